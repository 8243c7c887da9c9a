/* rcrp-sqlite-retention.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Erasure by recording. The hash chain covers event payloads, which hold
 * no personal data (a version's event names its content hash, not its
 * content; free text from callers is held by digest). So personal fields
 * can be blanked in the stored documents and versions without breaking
 * the chain, provided the erasure is itself in the chain first: a
 * call.erased event, and a row in erasures written in the same
 * transaction, which is the only thing the append-only triggers accept as
 * leave to change a stored document (see migration 9).
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rcrp-sqlite-store-private.h"

#define ERASED_TEXT "[erased under the retention period]"

static const char * const erased_fields[] = {
  "summary", "notes", "location", "caller.name", "caller.phone", "subject.name", "subject.age",
  "healthcare_setting.name", NULL
};

static void
remove_member (JsonObject *object,
               const char *parent,
               const char *member)
{
  JsonNode *node;

  if (parent == NULL)
    {
      json_object_remove_member (object, member);
      return;
    }

  node = json_object_get_member (object, parent);
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    json_object_remove_member (json_node_get_object (node), member);
}

/* Blanks the personal fields of one call object as the feed sent it. The
 * result is still a valid call, so it reads back like any other. */
static void
erase_call_object (JsonObject *call)
{
  json_object_set_string_member (call, "summary", ERASED_TEXT);
  remove_member (call, NULL, "notes");
  remove_member (call, NULL, "location");
  remove_member (call, "caller", "name");
  remove_member (call, "caller", "phone");
  remove_member (call, "subject", "name");
  remove_member (call, "subject", "age");
  remove_member (call, "healthcare_setting", "name");
}

static char *
node_to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);

  return json_generator_to_data (generator, NULL);
}

static gboolean
erase_versions (RcrpSqliteStore  *self,
                gint64            call_id,
                GHashTable       *documents,
                GError          **error)
{
  g_autoptr(RcrpCachedStatement) select = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) bodies = g_ptr_array_new_with_free_func (g_free);
  int rc;

  select = _rcrp_sqlite_statement (self, "SELECT id, body, document_id FROM call_versions WHERE call_id = ?1", error);
  if (select == NULL)
    return FALSE;
  sqlite3_bind_int64 (select, 1, call_id);

  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      g_autoptr(JsonParser) parser = NULL;
      gint64 *id;
      gint64 document_id = sqlite3_column_int64 (select, 2);

      g_hash_table_add (documents, g_memdup2 (&document_id, sizeof document_id));

      /* A version with no copy of its own (schema 14) is read from its
       * document, which is blanked below. */
      if (*(const char *) sqlite3_column_text (select, 1) == '\0')
        continue;

      parser = json_parser_new ();
      id = g_new (gint64, 1);
      *id = sqlite3_column_int64 (select, 0);
      g_ptr_array_add (ids, id);

      if (json_parser_load_from_data (parser, (const char *) sqlite3_column_text (select, 1), -1, NULL) &&
          JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          erase_call_object (json_node_get_object (json_parser_get_root (parser)));
          g_ptr_array_add (bodies, node_to_string (json_parser_get_root (parser)));
        }
      else
        g_ptr_array_add (bodies, g_strdup ("{}"));
    }
  if (rc != SQLITE_DONE)
    return _rcrp_sqlite_set_error (self, rc, _("erasing personal data"), error);

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(RcrpCachedStatement) update = NULL;

      update = _rcrp_sqlite_statement (self, "UPDATE call_versions SET body = ?2 WHERE id = ?1", error);
      if (update == NULL)
        return FALSE;
      sqlite3_bind_int64 (update, 1, *(gint64 *) g_ptr_array_index (ids, i));
      sqlite3_bind_text (update, 2, g_ptr_array_index (bodies, i), -1, SQLITE_STATIC);
      if (!_rcrp_sqlite_step_done (self, update, _("erasing personal data"), error))
        return FALSE;
    }

  return TRUE;
}

/* A feed document holds many calls; only those with a recorded erasure
 * are blanked in it. */
static gboolean
erase_document (RcrpSqliteStore  *self,
                gint64            document_id,
                GError          **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GHashTable) erased = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GBytes) document = NULL;
  g_autoptr(GBytes) rewritten = NULL;
  char *body = NULL;
  JsonNode *root;
  int rc;

  {
    g_autoptr(RcrpCachedStatement) refs = NULL;

    refs = _rcrp_sqlite_statement (self,
                                   "SELECT DISTINCT c.cad_ref FROM call_versions v JOIN erasures e ON e.call_id = v.call_id "
                                   "JOIN calls c ON c.id = v.call_id WHERE v.document_id = ?1",
                                   error);
    if (refs == NULL)
      return FALSE;
    sqlite3_bind_int64 (refs, 1, document_id);
    while ((rc = sqlite3_step (refs)) == SQLITE_ROW)
      g_hash_table_add (erased, g_strdup ((const char *) sqlite3_column_text (refs, 0)));
    if (rc != SQLITE_DONE)
      return _rcrp_sqlite_set_error (self, rc, _("erasing personal data"), error);
  }

  document = _rcrp_sqlite_read_document (self, document_id, error);
  if (document == NULL)
    return FALSE;

  if (!json_parser_load_from_data (parser, g_bytes_get_data (document, NULL), g_bytes_get_size (document), NULL))
    {
      /* Stored documents were strict JSON when accepted; this one is not
       * readable now, so nothing of it is kept. */
      body = g_strdup ("{\"erased\": true}");
    }
  else
    {
      root = json_parser_get_root (parser);
      if (JSON_NODE_HOLDS_OBJECT (root))
        {
          JsonObject *object = json_node_get_object (root);

          if (g_hash_table_contains (erased, json_object_get_string_member_with_default (object, "cad_ref", "")))
            erase_call_object (object);
        }
      else if (JSON_NODE_HOLDS_ARRAY (root))
        {
          JsonArray *array = json_node_get_array (root);

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *element = json_array_get_element (array, i);

              if (JSON_NODE_HOLDS_OBJECT (element) &&
                  g_hash_table_contains (erased, json_object_get_string_member_with_default (json_node_get_object (element),
                                                                                             "cad_ref", "")))
                erase_call_object (json_node_get_object (element));
            }
        }
      body = node_to_string (root);
    }

  rewritten = g_bytes_new_take (body, strlen (body));
  body = NULL;

  return _rcrp_sqlite_rewrite_document (self, document_id, rewritten, error);
}

static GPtrArray *
rcrp_sqlite_store_apply_retention (RcrpStore  *store,
                                   int         days,
                                   gboolean    dry_run,
                                   GError    **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  g_autoptr(GDateTime) now = rcrp_clock_now (self->clock);
  g_autoptr(GDateTime) cutoff = g_date_time_add_days (now, -days);
  g_autoptr(GPtrArray) refs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GHashTable) documents = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  int rc;

  if (!_rcrp_sqlite_require (self, RCRP_PERMISSION_APPLY_RETENTION, error))
    return NULL;

  if (!_rcrp_sqlite_begin (self, error))
    return NULL;

  {
    g_autoptr(RcrpCachedStatement) stmt = NULL;

    /* Closed calls only: decided, not awaiting a supervisor, untouched
     * for the whole period. */
    stmt = _rcrp_sqlite_statement (self,
                                   "SELECT id, cad_ref FROM calls WHERE outcome IS NOT NULL AND on_hold = 0 "
                                   "AND erased_at IS NULL AND updated_at < ?1 ORDER BY id",
                                   error);
    if (stmt == NULL)
      goto failed;
    sqlite3_bind_int64 (stmt, 1, _rcrp_sqlite_time_to_column (cutoff));
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        gint64 id = sqlite3_column_int64 (stmt, 0);

        g_array_append_val (ids, id);
        g_ptr_array_add (refs, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
      }
    if (rc != SQLITE_DONE)
      {
        _rcrp_sqlite_set_error (self, rc, _("erasing personal data"), error);
        goto failed;
      }
  }

  if (dry_run || ids->len == 0)
    {
      _rcrp_sqlite_rollback (self);
      return g_steal_pointer (&refs);
    }

  for (guint i = 0; i < ids->len; i++)
    {
      gint64 call_id = g_array_index (ids, gint64, i);
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) payload_node = NULL;
      g_autofree char *payload = NULL;
      gint64 event_id;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "cad_ref");
      json_builder_add_string_value (builder, g_ptr_array_index (refs, i));
      json_builder_set_member_name (builder, "retention_days");
      json_builder_add_int_value (builder, days);
      json_builder_set_member_name (builder, "fields");
      json_builder_begin_array (builder);
      for (guint f = 0; erased_fields[f] != NULL; f++)
        json_builder_add_string_value (builder, erased_fields[f]);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      payload_node = json_builder_get_root (builder);
      payload = node_to_string (payload_node);

      /* The record first: only then may the documents change. */
      event_id = _rcrp_sqlite_insert_event (self, now, "call.erased", call_id, payload, error);
      if (event_id < 0)
        goto failed;

      {
        g_autoptr(RcrpCachedStatement) stmt = NULL;

        stmt = _rcrp_sqlite_statement (self, "INSERT INTO erasures (call_id, event_id, erased_at) VALUES (?1, ?2, ?3)",
                                       error);
        if (stmt == NULL)
          goto failed;
        sqlite3_bind_int64 (stmt, 1, call_id);
        sqlite3_bind_int64 (stmt, 2, event_id);
        sqlite3_bind_int64 (stmt, 3, _rcrp_sqlite_time_to_column (now));
        if (!_rcrp_sqlite_step_done (self, stmt, _("erasing personal data"), error))
          goto failed;
      }

      if (!erase_versions (self, call_id, documents, error) ||
          !_rcrp_sqlite_search_unindex_call (self, call_id, error))
        goto failed;

      {
        g_autoptr(RcrpCachedStatement) stmt = NULL;

        stmt = _rcrp_sqlite_statement (self,
                                       "UPDATE calls SET summary = '" ERASED_TEXT "', erased_at = ?2, "
                                       "  postcode = NULL, subject_name = NULL, caller_name = NULL WHERE id = ?1",
                                       error);
        if (stmt == NULL)
          goto failed;
        sqlite3_bind_int64 (stmt, 1, call_id);
        sqlite3_bind_int64 (stmt, 2, _rcrp_sqlite_time_to_column (now));
        if (!_rcrp_sqlite_step_done (self, stmt, _("erasing personal data"), error))
          goto failed;
      }

      /* Found by its reference still, by nothing personal. */
      if (!_rcrp_sqlite_search_index_call (self, call_id, error))
        goto failed;

      {
        g_autoptr(RcrpCachedStatement) stmt = NULL;

        stmt = _rcrp_sqlite_statement (self, "UPDATE appeals SET grounds = '" ERASED_TEXT "' WHERE call_id = ?1", error);
        if (stmt == NULL)
          goto failed;
        sqlite3_bind_int64 (stmt, 1, call_id);
        if (!_rcrp_sqlite_step_done (self, stmt, _("erasing personal data"), error))
          goto failed;
      }
    }

  {
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, documents);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      if (!erase_document (self, *(gint64 *) key, error))
        goto failed;
  }

  /* The search index keeps deleted words in its segments until they are
   * merged: merge them now, so the erased names leave it too. */
  if (!_rcrp_sqlite_exec (self, "INSERT INTO call_search (call_search) VALUES ('optimize')",
                          _("erasing personal data"), error))
    goto failed;

  if (!_rcrp_sqlite_commit (self, error))
    return NULL;

  /* Out of the write-ahead log too, where the old pages would otherwise
   * wait for the next checkpoint. Best effort: a reader may hold it. */
  sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);

  return g_steal_pointer (&refs);

failed:
  _rcrp_sqlite_rollback (self);
  return NULL;
}

void
_rcrp_sqlite_retention_iface_init (RcrpStoreInterface *iface)
{
  iface->apply_retention = rcrp_sqlite_store_apply_retention;
}

/* rcrp-audit-state.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "rcrp-audit-state.h"
#include "rcrp-call.h"
#include "rcrp-feed.h"
#include "rcrp-text.h"

/* The rule of what each current-state row should be, given the events.
 * The store writes these rows alongside each event for the queue's and
 * the summaries' sake; here they are derived again from the log alone, in
 * the same steps, so a row edited by hand (a call marked decided to take
 * it out of the queue, a new administrator, a decision made to look
 * undone) no longer agrees with the record.
 */

typedef struct
{
  gint64  event_id;
  gint64  at;
  char   *outcome;
  char   *agency;
  char   *operator_name;
} Decision;

typedef struct
{
  gint64     call_id;
  gint64     received_event_id;  /* its first version's event; 0 if the log has none */
  guint      n_versions;
  gint64     current_version;    /* the version id its newest version event names, 0 if none */
  char      *current_hash;       /* and that version's content hash */
  const char *status;
  GArray    *decisions;          /* of Decision, in order */
  gboolean   on_hold;
  gint64     erased_event_id;
  gint64     erased_at;
  gboolean   row_seen;

  /* The current version's fields, from its stored bytes. */
  gboolean   have_current;
  char      *cad_ref;
  char      *category;
  gint64     grade;
  gint64     received_at;
  gint64     risks;
  char      *summary;
} CallState;

typedef struct
{
  gint64  event_id;
  gint64  call_id;
  char   *content_sha256;
  gboolean row_seen;
} VersionState;

typedef struct
{
  char    *role;
  char    *display_name;
  gint64   event_id;
  gboolean row_seen;
} UserState;

typedef struct
{
  GHashTable *calls;        /* call id → CallState */
  GHashTable *versions;     /* "call_id:sha256" → VersionState */
  GHashTable *version_ids;  /* version id → VersionState (events since schema 14 name it) */
  GHashTable *users;        /* os user → UserState */
  GHashTable *undone;       /* decision event id → undo event id */
  GHashTable *undone_seen;  /* decision event ids whose row was seen */
  GHashTable *erased_documents; /* document ids holding an erased call's version */
  gint64      n_rows;
  char       *bad_row;
} Replay;

static void
decision_clear (gpointer data)
{
  Decision *decision = data;

  g_free (decision->outcome);
  g_free (decision->agency);
  g_free (decision->operator_name);
}

static void
call_state_free (gpointer data)
{
  CallState *state = data;

  g_free (state->current_hash);
  g_array_unref (state->decisions);
  g_free (state->cad_ref);
  g_free (state->category);
  g_free (state->summary);
  g_free (state);
}

static void
version_state_free (gpointer data)
{
  VersionState *state = data;

  g_free (state->content_sha256);
  g_free (state);
}

static void
user_state_free (gpointer data)
{
  UserState *state = data;

  g_free (state->role);
  g_free (state->display_name);
  g_free (state);
}

static gint64 *
new_id (gint64 id)
{
  return g_memdup2 (&id, sizeof id);
}

/* A row as the store hands it over. */
typedef struct
{
  const RcrpAuditColumn *columns;
  guint                  n_columns;
} Row;

static const RcrpAuditColumn *
row_column (const Row  *row,
            const char *name)
{
  for (guint i = 0; i < row->n_columns; i++)
    if (g_str_equal (row->columns[i].name, name))
      return &row->columns[i];

  return NULL;
}

static gint64
row_int (const Row  *row,
         const char *name,
         gint64      otherwise)
{
  const RcrpAuditColumn *column = row_column (row, name);

  return column != NULL && column->type == RCRP_AUDIT_VALUE_INT ? column->number : otherwise;
}

/* Returns: (nullable): the text column, NULL when it is NULL. */
static const char *
row_text (const Row  *row,
          const char *name)
{
  const RcrpAuditColumn *column = row_column (row, name);

  return column != NULL && column->type == RCRP_AUDIT_VALUE_TEXT ? column->data : NULL;
}

static const RcrpAuditColumn *
row_bytes (const Row  *row,
           const char *name)
{
  const RcrpAuditColumn *column = row_column (row, name);

  return column != NULL && column->type == RCRP_AUDIT_VALUE_BYTES ? column : NULL;
}

static CallState *
call_state (Replay *replay,
            gint64  call_id)
{
  CallState *state = g_hash_table_lookup (replay->calls, &call_id);

  if (state == NULL)
    {
      state = g_new0 (CallState, 1);
      state->call_id = call_id;
      state->status = "new";
      state->decisions = g_array_new (FALSE, TRUE, sizeof (Decision));
      g_array_set_clear_func (state->decisions, decision_clear);
      g_hash_table_insert (replay->calls, new_id (call_id), state);
    }

  return state;
}

static const Decision *
latest_decision (Replay    *replay,
                 CallState *state)
{
  for (guint i = state->decisions->len; i > 0; i--)
    {
      const Decision *decision = &g_array_index (state->decisions, Decision, i - 1);

      if (!g_hash_table_contains (replay->undone, &decision->event_id))
        return decision;
    }

  return NULL;
}

static gboolean
disagrees (Replay      *replay,
           GError     **error,
           const char  *row,
           const char  *format,
           ...) G_GNUC_PRINTF (4, 5);

static gboolean
disagrees (Replay      *replay,
           GError     **error,
           const char  *row,
           const char  *format,
           ...)
{
  g_autofree char *problem = NULL;
  g_autofree char *safe_problem = NULL;
  va_list args;

  va_start (args, format);
  problem = g_strdup_vprintf (format, args);
  va_end (args);

  /* Whoever edited the row chose its text: never let it reach a
   * terminal or a log as control characters. */
  g_free (replay->bad_row);
  replay->bad_row = rcrp_text_escape_controls (row, -1, RCRP_ESCAPE_DEFAULT);
  safe_problem = rcrp_text_escape_controls (problem, -1, RCRP_ESCAPE_DEFAULT);
  g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_TAMPERED,
               _("The %s disagrees with the audit log: %s. It was changed outside the program, "
                 "or the log was cut or rewritten."),
               replay->bad_row, safe_problem);
  return FALSE;
}

static JsonObject *
parse_payload (const char *payload,
               JsonParser *parser)
{
  JsonNode *root;

  if (payload == NULL || !json_parser_load_from_data (parser, payload, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);

  return root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
}

static gint64
member_int (JsonObject *object,
            const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64
    ? json_node_get_int (node) : 0;
}

static const char *
member_text (JsonObject *object,
             const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
    ? json_node_get_string (node) : NULL;
}

/* The events, in order: each one's effect on the rows, as the store
 * makes it in the same transaction. */
static gboolean
replay_event (Replay    *replay,
              const Row *row,
              GError   **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gint64 id = row_int (row, "id", 0);
  gint64 at = row_int (row, "at", 0);
  gint64 call_id = row_int (row, "call_id", 0);
  const char *kind = row_text (row, "kind");
  JsonObject *payload;

  if (kind == NULL)
    return TRUE;

  payload = parse_payload (row_text (row, "payload"), parser);

  if (g_str_equal (kind, "call.received") || g_str_equal (kind, "call.updated"))
    {
      CallState *state = call_state (replay, call_id);
      const char *hash = member_text (payload, "content_sha256");
      gint64 version_id = member_int (payload, "version_id");
      VersionState *version;

      if (state->n_versions == 0)
        state->received_event_id = id;
      state->n_versions++;
      state->status = state->n_versions > 1 ? "updated" : state->status;
      state->current_version = version_id;
      g_free (state->current_hash);
      state->current_hash = g_strdup (hash);

      if (hash != NULL)
        {
          version = g_new0 (VersionState, 1);
          version->event_id = id;
          version->call_id = call_id;
          version->content_sha256 = g_strdup (hash);
          g_hash_table_replace (replay->versions,
                                g_strdup_printf ("%" G_GINT64_FORMAT ":%s", call_id, hash), version);
          if (version_id > 0)
            g_hash_table_replace (replay->version_ids, new_id (version_id), version);
        }
    }
  else if (g_str_equal (kind, "call.decided"))
    {
      CallState *state = call_state (replay, call_id);
      Decision decision = {
        id, at, g_strdup (member_text (payload, "outcome")), g_strdup (member_text (payload, "agency")),
        g_strdup (row_text (row, "operator")),
      };

      g_array_append_val (state->decisions, decision);
      state->status = "decided";
    }
  else if (g_str_equal (kind, "call.decision_undone"))
    {
      CallState *state = call_state (replay, call_id);

      g_hash_table_replace (replay->undone, new_id (member_int (payload, "decision_event_id")), new_id (id));
      if (latest_decision (replay, state) != NULL)
        state->status = "decided";
      else
        state->status = state->n_versions > 1 ? "updated" : "new";
    }
  else if (g_str_equal (kind, "referral.declined"))
    {
      /* Back to the coordinator for the next agency. */
      call_state (replay, call_id)->status = "updated";
    }
  else if (g_str_equal (kind, "appeal.lodged"))
    {
      call_state (replay, call_id)->on_hold = TRUE;
    }
  else if (g_str_equal (kind, "appeal.resolved"))
    {
      call_state (replay, call_id)->on_hold = FALSE;
    }
  else if (g_str_equal (kind, "call.erased"))
    {
      CallState *state = call_state (replay, call_id);

      state->erased_event_id = id;
      state->erased_at = at;
    }
  else if (g_str_equal (kind, "user.added"))
    {
      const char *os_user = member_text (payload, "os_user");
      UserState *user;

      if (os_user == NULL)
        return TRUE;
      user = g_hash_table_lookup (replay->users, os_user);
      if (user == NULL)
        {
          user = g_new0 (UserState, 1);
          g_hash_table_insert (replay->users, g_strdup (os_user), user);
        }
      g_free (user->role);
      user->role = g_strdup (member_text (payload, "role"));
      if (member_text (payload, "display_name") != NULL)
        {
          g_free (user->display_name);
          user->display_name = g_strdup (member_text (payload, "display_name"));
        }
      user->event_id = id;
    }
  else if (g_str_equal (kind, "user.removed"))
    {
      const char *os_user = member_text (payload, "os_user");

      if (os_user != NULL)
        g_hash_table_remove (replay->users, os_user);
    }

  return TRUE;
}

static gboolean
check_user (Replay    *replay,
            const Row *row,
            GError   **error)
{
  const char *os_user = row_text (row, "os_user");
  g_autofree char *name = g_strdup_printf (_("users row “%s”"), os_user != NULL ? os_user : "");
  UserState *user = os_user != NULL ? g_hash_table_lookup (replay->users, os_user) : NULL;

  if (user == NULL)
    return disagrees (replay, error, name, _("no event in the log adds this user, with the role %s"),
                      row_text (row, "role") != NULL ? row_text (row, "role") : "?");
  user->row_seen = TRUE;
  if (g_strcmp0 (row_text (row, "role"), user->role) != 0)
    return disagrees (replay, error, name, _("its role is %s, but event %" G_GINT64_FORMAT " made it %s"),
                      row_text (row, "role"), user->event_id, user->role);
  if (user->display_name != NULL && g_strcmp0 (row_text (row, "display_name"), user->display_name) != 0)
    return disagrees (replay, error, name, _("its name is not the one event %" G_GINT64_FORMAT " gave"),
                      user->event_id);

  return TRUE;
}

static gboolean
check_undone (Replay    *replay,
              const Row *row,
              GError   **error)
{
  gint64 decision_id = row_int (row, "decision_event_id", 0);
  gint64 undo_id = row_int (row, "undo_event_id", 0);
  g_autofree char *name = g_strdup_printf (_("undone_decisions row for decision %" G_GINT64_FORMAT), decision_id);
  gint64 *expected = g_hash_table_lookup (replay->undone, &decision_id);

  if (expected == NULL)
    return disagrees (replay, error, name, _("no call.decision_undone event in the log undoes that decision"));
  if (*expected != undo_id)
    return disagrees (replay, error, name, _("it names event %" G_GINT64_FORMAT " as the undo, the log event %"
                                             G_GINT64_FORMAT), undo_id, *expected);
  g_hash_table_add (replay->undone_seen, new_id (decision_id));

  return TRUE;
}

static gboolean
check_erasure (Replay    *replay,
               const Row *row,
               GError   **error)
{
  gint64 call_id = row_int (row, "call_id", 0);
  g_autofree char *name = g_strdup_printf (_("erasures row for call %" G_GINT64_FORMAT), call_id);
  CallState *state = g_hash_table_lookup (replay->calls, &call_id);

  if (state == NULL || state->erased_event_id == 0)
    return disagrees (replay, error, name, _("no call.erased event in the log erases that call"));
  if (row_int (row, "event_id", 0) != state->erased_event_id || row_int (row, "erased_at", 0) != state->erased_at)
    return disagrees (replay, error, name, _("it is not the erasure event %" G_GINT64_FORMAT " records"),
                      state->erased_event_id);

  return TRUE;
}

static gboolean
check_version (Replay    *replay,
               const Row *row,
               GError   **error)
{
  gint64 id = row_int (row, "id", 0);
  gint64 call_id = row_int (row, "call_id", 0);
  const char *hash = row_text (row, "content_sha256");
  g_autofree char *name = g_strdup_printf (_("call_versions row %" G_GINT64_FORMAT), id);
  g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT ":%s", call_id, hash != NULL ? hash : "");
  const RcrpAuditColumn *text = row_bytes (row, "text");
  VersionState *version = g_hash_table_lookup (replay->versions, key);
  VersionState *by_id = g_hash_table_lookup (replay->version_ids, &id);
  CallState *state = g_hash_table_lookup (replay->calls, &call_id);
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(RcrpCall) call = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean erased = state != NULL && state->erased_event_id != 0;

  if (version == NULL || (by_id != NULL && by_id != version))
    return disagrees (replay, error, name,
                      _("no call.received or call.updated event in the log records this version of call %"
                        G_GINT64_FORMAT " with its content hash"), call_id);
  version->row_seen = TRUE;
  if (erased)
    g_hash_table_add (replay->erased_documents, new_id (row_int (row, "document_id", 0)));

  if (text == NULL)
    return disagrees (replay, error, name, _("its bytes are missing from feed document %" G_GINT64_FORMAT),
                      row_int (row, "document_id", 0));

  /* Erasure blanks the personal fields of a version, by rule: its hash
   * is then of what was received, and cannot be checked again. */
  if (erased)
    return TRUE;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, text->data, text->length, &local_error) ||
      json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)) ||
      !(call = rcrp_feed_parse_call (json_node_get_object (json_parser_get_root (parser)), "", &local_error)))
    return disagrees (replay, error, name, _("its stored bytes are no longer a call (%s)"),
                      local_error != NULL ? local_error->message : _("not an object"));

  if (g_strcmp0 (rcrp_call_get_content_hash (call), version->content_sha256) != 0)
    return disagrees (replay, error, name,
                      _("its stored bytes do not have the content hash event %" G_GINT64_FORMAT " recorded"),
                      version->event_id);

  if (state != NULL && state->current_version == id)
    {
      GDateTime *received = rcrp_call_get_received_at (call);

      state->have_current = TRUE;
      state->cad_ref = g_strdup (rcrp_call_get_cad_ref (call));
      state->category = g_strdup (rcrp_category_to_string (rcrp_call_get_category (call)));
      state->grade = rcrp_call_get_grade (call);
      state->received_at = g_date_time_to_unix (received) * G_USEC_PER_SEC + g_date_time_get_microsecond (received);
      state->risks = rcrp_call_get_risks (call);
      state->summary = g_strdup (rcrp_call_get_summary (call));
    }

  return TRUE;
}

static gboolean
check_document (Replay    *replay,
                const Row *row,
                GError   **error)
{
  gint64 id = row_int (row, "id", 0);
  g_autofree char *name = g_strdup_printf (_("documents row %" G_GINT64_FORMAT), id);
  const RcrpAuditColumn *body = row_bytes (row, "body");
  g_autofree char *computed = NULL;

  /* Erasure rewrites a document's personal fields; its hash stays that
   * of the document as received. */
  if (g_hash_table_contains (replay->erased_documents, &id))
    return TRUE;

  computed = g_compute_checksum_for_data (G_CHECKSUM_SHA256, body != NULL ? (const guchar *) body->data : NULL,
                                         body != NULL ? body->length : 0);
  if (g_strcmp0 (computed, row_text (row, "sha256")) != 0)
    return disagrees (replay, error, name, _("its bytes do not have the SHA-256 stored with it"));

  return TRUE;
}

static gboolean
same_text (const char *stored,
           const char *derived)
{
  return g_strcmp0 (stored, derived) == 0;
}

static gboolean
check_call (Replay    *replay,
            const Row *row,
            GError   **error)
{
  gint64 id = row_int (row, "id", 0);
  g_autofree char *name = g_strdup_printf (_("calls row %" G_GINT64_FORMAT " (%s)"), id,
                                           row_text (row, "cad_ref") != NULL ? row_text (row, "cad_ref") : "");
  CallState *state = g_hash_table_lookup (replay->calls, &id);
  const Decision *decision;
  const char *outcome = row_text (row, "outcome");

  if (state == NULL || state->n_versions == 0)
    return disagrees (replay, error, name, _("no call.received event in the log records this call"));
  state->row_seen = TRUE;

  if ((guint) row_int (row, "version_count", 0) != state->n_versions)
    return disagrees (replay, error, name, _("it counts %" G_GINT64_FORMAT " versions, the log %u"),
                      row_int (row, "version_count", 0), state->n_versions);
  if (state->current_version > 0 && row_int (row, "current_version", 0) != state->current_version)
    return disagrees (replay, error, name, _("its current version is %" G_GINT64_FORMAT ", the log's %" G_GINT64_FORMAT),
                      row_int (row, "current_version", 0), state->current_version);
  if (!same_text (row_text (row, "status"), state->status))
    return disagrees (replay, error, name, _("its status is “%s”, but its events make it “%s”"),
                      row_text (row, "status") != NULL ? row_text (row, "status") : "", state->status);

  decision = latest_decision (replay, state);
  if (!same_text (outcome, decision != NULL ? decision->outcome : NULL))
    return disagrees (replay, error, name, _("its outcome is “%s”, but its events make it “%s”"),
                      outcome != NULL ? outcome : _("none"),
                      decision != NULL && decision->outcome != NULL ? decision->outcome : _("none"));
  if (decision != NULL &&
      (row_int (row, "decided_at", 0) != decision->at ||
       !same_text (row_text (row, "decided_by"), decision->operator_name) ||
       (g_strcmp0 (decision->outcome, "referred") == 0 && !same_text (row_text (row, "agency"), decision->agency))))
    return disagrees (replay, error, name, _("its decision is not the one event %" G_GINT64_FORMAT " records"),
                      decision->event_id);
  if (row_int (row, "on_hold", 0) != (state->on_hold ? 1 : 0))
    return disagrees (replay, error, name, state->on_hold ? _("it is not on hold, but an appeal is open in the log")
                                                          : _("it is on hold, but no appeal is open in the log"));
  if (row_int (row, "erased_at", 0) != state->erased_at)
    return disagrees (replay, error, name, state->erased_at != 0 ? _("the log erased it, the row does not say so")
                                                                 : _("it says erased, but the log erased nothing"));

  if (state->have_current &&
      (!same_text (row_text (row, "cad_ref"), state->cad_ref) ||
       !same_text (row_text (row, "category"), state->category) ||
       row_int (row, "grade", -1) != state->grade ||
       row_int (row, "received_at", -1) != state->received_at ||
       row_int (row, "risks", -1) != state->risks ||
       row_int (row, "threshold_risks", -1) != rcrp_risk_count_threshold (state->risks) ||
       !same_text (row_text (row, "summary"), state->summary)))
    return disagrees (replay, error, name,
                      _("its reference, category, grade, time, risks or summary are not those of its current "
                        "version %" G_GINT64_FORMAT), state->current_version);

  return TRUE;
}

static gboolean
on_audit_row_cb (const char             *table,
                 const RcrpAuditColumn  *columns,
                 guint                   n_columns,
                 gpointer                user_data,
                 GError                **error)
{
  Replay *replay = user_data;
  Row stored = { columns, n_columns };
  const Row *row = &stored;

  replay->n_rows++;
  if (g_str_equal (table, "events"))
    return replay_event (replay, row, error);
  if (g_str_equal (table, "users"))
    return check_user (replay, row, error);
  if (g_str_equal (table, "undone_decisions"))
    return check_undone (replay, row, error);
  if (g_str_equal (table, "erasures"))
    return check_erasure (replay, row, error);
  if (g_str_equal (table, "call_versions"))
    return check_version (replay, row, error);
  if (g_str_equal (table, "documents"))
    return check_document (replay, row, error);
  if (g_str_equal (table, "calls"))
    return check_call (replay, row, error);

  return TRUE;
}

/* What the log says exists and no row holds: a row deleted by hand. */
static gboolean
check_nothing_missing (Replay  *replay,
                       GError **error)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, replay->users);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      UserState *user = value;

      if (!user->row_seen)
        {
          g_autofree char *name = g_strdup_printf (_("users row “%s”"), (const char *) key);

          return disagrees (replay, error, name, _("it is missing, but event %" G_GINT64_FORMAT " made them %s"),
                            user->event_id, user->role);
        }
    }

  g_hash_table_iter_init (&iter, replay->undone);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (replay->undone_seen, key))
      {
        g_autofree char *name = g_strdup_printf (_("undone_decisions row for decision %" G_GINT64_FORMAT),
                                                 *(gint64 *) key);

        return disagrees (replay, error, name, _("it is missing, but event %" G_GINT64_FORMAT " undid that decision"),
                          *(gint64 *) value);
      }

  g_hash_table_iter_init (&iter, replay->versions);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      VersionState *version = value;

      if (!version->row_seen)
        {
          g_autofree char *name = g_strdup_printf (_("call_versions row of call %" G_GINT64_FORMAT), version->call_id);

          return disagrees (replay, error, name, _("it is missing, but event %" G_GINT64_FORMAT " stored it"),
                            version->event_id);
        }
    }

  g_hash_table_iter_init (&iter, replay->calls);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      CallState *state = value;

      if (state->n_versions > 0 && !state->row_seen)
        {
          g_autofree char *name = g_strdup_printf (_("calls row %" G_GINT64_FORMAT), state->call_id);

          return disagrees (replay, error, name, _("it is missing, but event %" G_GINT64_FORMAT " received the call"),
                            state->received_event_id);
        }
    }

  return TRUE;
}

gboolean
rcrp_audit_state_check (RcrpStore     *store,
                        GCancellable  *cancellable,
                        gint64        *n_rows,
                        char         **bad_row,
                        GError       **error)
{
  Replay replay = { NULL, };
  gboolean ok;

  g_return_val_if_fail (RCRP_IS_STORE (store), FALSE);

  replay.calls = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, call_state_free);
  replay.versions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, version_state_free);
  replay.version_ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  replay.users = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, user_state_free);
  replay.undone = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  replay.undone_seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  replay.erased_documents = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  ok = rcrp_store_read_audit_rows (store, on_audit_row_cb, &replay, cancellable, error) &&
       check_nothing_missing (&replay, error);

  if (n_rows != NULL)
    *n_rows = replay.n_rows;
  if (bad_row != NULL)
    *bad_row = g_steal_pointer (&replay.bad_row);

  g_free (replay.bad_row);
  g_hash_table_unref (replay.version_ids);
  g_hash_table_unref (replay.versions);
  g_hash_table_unref (replay.calls);
  g_hash_table_unref (replay.users);
  g_hash_table_unref (replay.undone);
  g_hash_table_unref (replay.undone_seen);
  g_hash_table_unref (replay.erased_documents);

  return ok;
}

/* rcrp-sqlite-search.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Finding calls: the queue's views and filters in SQL, and words matched
 * through a contentless FTS5 index over the reference, post code, names
 * and summary of each call's row, kept in step with each version stored
 * (and blanked by retention).
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rcrp-search.h"
#include "rcrp-sqlite-store-private.h"

/* The words of @text (rcrp_search_split_words(), which the queue's
 * highlighting shares) as an FTS5 query: each word quoted (so nothing the
 * user types is FTS5 syntax: no OR, NOT, NEAR, column filters or stray
 * quotes) and matched as a prefix, all of them required. NULL when there
 * is no word at all. */
static char *
fts_query (const char *text)
{
  g_auto(GStrv) words = rcrp_search_split_words (text);
  g_autoptr(GString) query = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    g_string_append_printf (query, "%s\"%s\"*", i > 0 ? " " : "", words[i]);

  if (query->len == 0)
    return NULL;

  return g_string_free (g_steal_pointer (&query), FALSE);
}

/* Puts @call_id's words from its calls row into the index, or takes
 * them out (@command "delete"). The values are read first and the index
 * written by INSERT ... VALUES: written from a SELECT, the statement
 * would open a savepoint on the index, and FTS5 flushes its pending
 * words to a segment of their own at each, which slowed a batch's
 * ingest by half. */
static gboolean
write_index (RcrpSqliteStore  *self,
             gint64            call_id,
             gboolean          remove,
             GError          **error)
{
  g_autoptr(RcrpCachedStatement) read = NULL;
  g_autoptr(RcrpCachedStatement) write = NULL;
  int rc;

  read = _rcrp_sqlite_statement (self, "SELECT " RCRP_SQLITE_SEARCH_VALUES " FROM calls WHERE id = ?1", error);
  if (read == NULL)
    return FALSE;
  sqlite3_bind_int64 (read, 1, call_id);
  rc = sqlite3_step (read);
  if (rc != SQLITE_ROW)
    return _rcrp_sqlite_set_error (self, rc == SQLITE_DONE ? SQLITE_NOTFOUND : rc,
                                   _("indexing a call for search"), error);

  if (remove)
    write = _rcrp_sqlite_statement (self,
                                    "INSERT INTO call_search (call_search, rowid, cad_ref, postcode, names, summary) "
                                    "VALUES ('delete', ?1, ?2, ?3, ?4, ?5)",
                                    error);
  else
    write = _rcrp_sqlite_statement (self,
                                    "INSERT INTO call_search (rowid, cad_ref, postcode, names, summary) "
                                    "VALUES (?1, ?2, ?3, ?4, ?5)",
                                    error);
  if (write == NULL)
    return FALSE;

  sqlite3_bind_int64 (write, 1, call_id);
  for (int i = 0; i < 4; i++)
    sqlite3_bind_value (write, i + 2, sqlite3_column_value (read, i));

  return _rcrp_sqlite_step_done (self, write, _("indexing a call for search"), error);
}

gboolean
_rcrp_sqlite_search_unindex_call (RcrpSqliteStore  *self,
                                  gint64            call_id,
                                  GError          **error)
{
  return write_index (self, call_id, TRUE, error);
}

gboolean
_rcrp_sqlite_search_index_call (RcrpSqliteStore  *self,
                                gint64            call_id,
                                GError          **error)
{
  return write_index (self, call_id, FALSE, error);
}

/* The WHERE of @filter for @view (its own view ignored), with ?1 the
 * words, ?2 the operator, ?3 local midnight, ?4 the category, ?5 the grade.
 * Sets @searching when words take part. */
static char *
where_clause (const RcrpQueueFilter *filter,
              RcrpQueueView          view,
              gboolean              *searching)
{
  GString *where = g_string_new ("WHERE 1");
  g_autofree char *query = fts_query (filter->text);
  gboolean few = view == RCRP_QUEUE_VIEW_OPEN || view == RCRP_QUEUE_VIEW_MINE ||
                 view == RCRP_QUEUE_VIEW_AWAITING_SUPERVISOR;

  *searching = query != NULL;

  switch (view)
    {
    case RCRP_QUEUE_VIEW_OPEN:
      g_string_append (where, " AND (c.outcome IS NULL OR c.status != 'decided')");
      break;
    case RCRP_QUEUE_VIEW_MINE:
      /* Driven from the few claims, not from every call of the year. */
      g_string_append (where, " AND c.id IN (SELECT k.call_id FROM claims k WHERE k.operator = ?2)");
      break;
    case RCRP_QUEUE_VIEW_AWAITING_SUPERVISOR:
      g_string_append (where, " AND c.on_hold = 1");
      break;
    case RCRP_QUEUE_VIEW_TODAY:
      g_string_append (where, " AND c.received_at >= ?3");
      break;
    case RCRP_QUEUE_VIEW_ALL:
    case RCRP_N_QUEUE_VIEWS:
    default:
      break;
    }

  /* The Open, Mine and Awaiting views are a few calls of a year's, found
   * by their own index; the unary + keeps SQLite from walking a year's
   * category or grade index instead. The other views walk those. */
  if (filter->category >= 0)
    g_string_append (where, few ? " AND +c.category = ?4" : " AND c.category = ?4");
  if (filter->grade > 0)
    g_string_append (where, few ? " AND +c.grade = ?5" : " AND c.grade = ?5");

  return g_string_free (where, FALSE);
}

/* Prepares @sql on @db, the store's connection or one of a worker's. */
static sqlite3_stmt *
prepare_filtered_on (RcrpSqliteStore        *self,
                     sqlite3                *db,
                     const RcrpQueueFilter  *filter,
                     const char             *sql,
                     GError                **error)
{
  g_autofree char *query = fts_query (filter->text);
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      if (db == self->db)
        _rcrp_sqlite_set_error (self, rc, _("searching the calls"), error);
      else
        g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_FAILED,
                     _("Cannot count the calls: %s"), sqlite3_errmsg (db));
      return NULL;
    }

  /* Parameters a statement does not use are not bound (SQLITE_RANGE). */
  if (query != NULL)
    sqlite3_bind_text (stmt, 1, query, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, self->operator_name, -1, SQLITE_STATIC);
  if (filter->today_start != NULL)
    sqlite3_bind_int64 (stmt, 3, _rcrp_sqlite_time_to_column (filter->today_start));
  else
    sqlite3_bind_int64 (stmt, 3, 0);
  if (filter->category >= 0)
    sqlite3_bind_text (stmt, 4, rcrp_category_to_string (filter->category), -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 5, filter->grade);

  return stmt;
}

static sqlite3_stmt *
prepare_filtered (RcrpSqliteStore        *self,
                  const RcrpQueueFilter  *filter,
                  const char             *sql,
                  GError                **error)
{
  return prepare_filtered_on (self, self->db, filter, sql, error);
}

/* The most recent matches, best first among them: what a coordinator
 * looks for while the caller is on the line, and what FTS5 can find
 * without scoring every call of a year that shares a first letter. */
#define SEARCH_LIMIT "500"

#define SEARCH_JOIN \
  "JOIN (SELECT rowid AS match_id, rank AS match_rank FROM call_search WHERE call_search MATCH ?1 " \
  "      ORDER BY rowid DESC LIMIT " SEARCH_LIMIT ") s " \
  "ON s.match_id = c.id "

#define QUEUE_ORDER_C \
  "c.on_hold DESC, c.status = 'decided', CASE WHEN c.status = 'decided' THEN -c.decided_at ELSE 0 END, " \
  "c.grade, c.threshold_risks DESC, c.received_at, c.id"

static GArray *
rcrp_sqlite_store_list_filtered_ids (RcrpStore              *store,
                                     const RcrpQueueFilter  *filter,
                                     GError                **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *where = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *query = fts_query (filter->text);
  gboolean searching;
  sqlite3_stmt *stmt;
  int rc;

  /* Words given, none of them a word: nothing matches; never an error. */
  if (filter->text != NULL && *filter->text != '\0' && query == NULL)
    return g_steal_pointer (&ids);

  where = where_clause (filter, filter->view, &searching);
  sql = g_strdup_printf ("SELECT c.id FROM calls c %s%s ORDER BY %s" QUEUE_ORDER_C,
                         searching ? SEARCH_JOIN : "", where, searching ? "s.match_rank, " : "");

  stmt = prepare_filtered (self, filter, sql, error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      _rcrp_sqlite_set_error (self, rc, _("searching the calls"), error);
      return NULL;
    }

  return g_steal_pointer (&ids);
}

static int
on_progress_cancelled_cb (void *data)
{
  return g_cancellable_is_cancelled (data);
}

/* As list_filtered_ids(), through a read-only connection of its own, as
 * count_views() does: for a worker thread. A million ids is a walk of an
 * index that takes the best part of a second, which nobody using the
 * store waits for. */
static GArray *
rcrp_sqlite_store_read_filtered_ids (RcrpStore              *store,
                                     const RcrpQueueFilter  *filter,
                                     guint                   limit,
                                     GCancellable           *cancellable,
                                     GError                **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *where = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *query = fts_query (filter->text);
  gboolean searching;
  sqlite3_stmt *stmt;
  sqlite3 *db = NULL;
  int rc;

  if (filter->text != NULL && *filter->text != '\0' && query == NULL)
    return g_steal_pointer (&ids);

  rc = sqlite3_open_v2 (self->path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_OPEN,
                   _("Cannot open %s to read the queue: %s"), self->path, sqlite3_errstr (rc));
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_busy_timeout (db, BUSY_TIMEOUT_MSEC);
  if (cancellable != NULL)
    sqlite3_progress_handler (db, 10000, on_progress_cancelled_cb, cancellable);

  where = where_clause (filter, filter->view, &searching);
  sql = g_strdup_printf ("SELECT c.id FROM calls c %s%s ORDER BY %s" QUEUE_ORDER_C " LIMIT %d",
                         searching ? SEARCH_JOIN : "", where, searching ? "s.match_rank, " : "",
                         limit > 0 ? (int) MIN (limit, G_MAXINT) : -1);

  stmt = prepare_filtered_on (self, db, filter, sql, error);
  if (stmt == NULL)
    {
      sqlite3_close (db);
      return NULL;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      if (!g_cancellable_set_error_if_cancelled (cancellable, error))
        g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_FAILED,
                     _("Cannot read the queue: %s"), sqlite3_errmsg (db));
      sqlite3_close (db);
      return NULL;
    }

  sqlite3_close (db);

  return g_steal_pointer (&ids);
}

/* Through a read-only connection of its own, as the chain walk does: so it
 * may run on a worker thread, and counting a year's calls holds up nobody
 * using the store meanwhile. */
static gboolean
rcrp_sqlite_store_count_views (RcrpStore              *store,
                               const RcrpQueueFilter  *filter,
                               guint                  *counts,
                               GError                **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autofree char *query = fts_query (filter->text);
  sqlite3 *db = NULL;
  int rc;

  rc = sqlite3_open_v2 (self->path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_OPEN,
                   _("Cannot open %s to count the calls: %s"), self->path, sqlite3_errstr (rc));
      sqlite3_close (db);
      return FALSE;
    }
  sqlite3_busy_timeout (db, BUSY_TIMEOUT_MSEC);

  for (guint v = 0; v < RCRP_N_QUEUE_VIEWS; v++)
    {
      g_autofree char *where = NULL;
      g_autofree char *sql = NULL;
      gboolean searching;
      sqlite3_stmt *stmt;

      counts[v] = 0;
      if (filter->text != NULL && *filter->text != '\0' && query == NULL)
        continue;

      where = where_clause (filter, v, &searching);
      sql = g_strdup_printf ("SELECT COUNT (*) FROM calls c %s%s", searching ? SEARCH_JOIN : "", where);
      stmt = prepare_filtered_on (self, db, filter, sql, error);
      if (stmt == NULL)
        {
          sqlite3_close (db);
          return FALSE;
        }
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        counts[v] = sqlite3_column_int (stmt, 0);
      sqlite3_finalize (stmt);
      if (rc != SQLITE_ROW)
        {
          g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_FAILED,
                       _("Cannot count the calls: %s"), sqlite3_errmsg (db));
          sqlite3_close (db);
          return FALSE;
        }
    }

  sqlite3_close (db);

  return TRUE;
}

/* A NULL sorts first in SQLite's ascending order, as the smallest value
 * does here. */
static gint64
key_column (sqlite3_stmt *stmt,
            int           column)
{
  return sqlite3_column_type (stmt, column) == SQLITE_NULL ? G_MININT64 : sqlite3_column_int64 (stmt, column);
}

static GArray *
rcrp_sqlite_store_get_queue_keys (RcrpStore              *store,
                                  const RcrpQueueFilter  *filter,
                                  const gint64           *ids,
                                  guint                   n_ids,
                                  GError                **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (RcrpQueueKey));
  g_autoptr(RcrpQueueFilter) all = rcrp_queue_filter_new ();
  g_autoptr(RcrpQueueFilter) unworded = NULL;
  g_autofree char *where = NULL;
  g_autofree char *sql = NULL;
  gboolean searching;
  sqlite3_stmt *stmt;

  /* The same view as list_filtered_ids(), so the two agree on who is in. */
  unworded = rcrp_queue_filter_copy (filter != NULL ? filter : all);
  g_clear_pointer (&unworded->text, g_free);
  where = where_clause (unworded, unworded->view, &searching);
  sql = g_strdup_printf ("SELECT c.id, c.on_hold, c.status = 'decided', "
                         "  CASE WHEN c.status = 'decided' THEN -c.decided_at ELSE 0 END, "
                         "  c.grade, c.threshold_risks, c.received_at "
                         "FROM calls c %s AND c.id = ?6", where);
  stmt = prepare_filtered (self, unworded, sql, error);
  if (stmt == NULL)
    return NULL;

  for (guint i = 0; i < n_ids; i++)
    {
      int rc;

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 6, ids[i]);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          RcrpQueueKey key = {
            .id = sqlite3_column_int64 (stmt, 0),
            .on_hold = key_column (stmt, 1),
            .decided = key_column (stmt, 2),
            .decided_rank = key_column (stmt, 3),
            .grade = key_column (stmt, 4),
            .threshold_risks = key_column (stmt, 5),
            .received_at = key_column (stmt, 6),
          };

          g_array_append_val (keys, key);
        }
      else if (rc != SQLITE_DONE)
        {
          sqlite3_finalize (stmt);
          _rcrp_sqlite_set_error (self, rc, _("placing calls in the queue"), error);
          return NULL;
        }
    }
  sqlite3_finalize (stmt);

  return g_steal_pointer (&keys);
}

void
_rcrp_sqlite_search_iface_init (RcrpStoreInterface *iface)
{
  iface->get_queue_keys = rcrp_sqlite_store_get_queue_keys;
  iface->list_filtered_ids = rcrp_sqlite_store_list_filtered_ids;
  iface->count_views = rcrp_sqlite_store_count_views;
  iface->read_filtered_ids = rcrp_sqlite_store_read_filtered_ids;
}

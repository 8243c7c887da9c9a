/* rcrp-sqlite-alerts.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the alert watch reads and notes: the log a page at a time, the
 * calls awaiting a decision by grade and time of receipt (through the
 * calls_waiting index of schema 15), and the watch's marks, in a TEMP
 * table of this connection. Rows only: what is late, and when to say it
 * again, is the watch's to decide.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rcrp-sqlite-store-private.h"

/* The marks are working state of one process, not records: a TEMP table,
 * which SQLite keeps in a temporary file with a page cache of its own, so
 * memory stays bounded however many calls are marked. */
static gboolean
ensure_marks (RcrpSqliteStore  *self,
              GError          **error)
{
  if (self->marks_ready)
    return TRUE;

  if (!_rcrp_sqlite_exec (self,
                          "PRAGMA temp_store = FILE;"
                          "CREATE TEMP TABLE IF NOT EXISTS alert_marks ("
                          "  marks      INTEGER NOT NULL,"
                          "  call_id    INTEGER NOT NULL,"
                          "  grade      INTEGER NOT NULL,"
                          "  marked_at  INTEGER NOT NULL,"
                          "  PRIMARY KEY (marks, call_id)"
                          ") WITHOUT ROWID;"
                          "CREATE INDEX IF NOT EXISTS temp.alert_marks_by_time ON alert_marks (marks, grade, marked_at);",
                          _("preparing the alerts' notes"), error))
    return FALSE;

  self->marks_ready = TRUE;

  return TRUE;
}

static GPtrArray *
rcrp_sqlite_store_list_call_changes (RcrpStore  *store,
                                     gint64      after_event_id,
                                     guint       limit,
                                     gint64     *last_event_id,
                                     GError    **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  g_autoptr(RcrpCachedStatement) stmt = NULL;
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) rcrp_call_change_free);
  gint64 last = after_event_id;
  int rc;

  /* Events about no call count towards the page too, so that a page is
   * bounded in time as well as in rows. */
  stmt = _rcrp_sqlite_statement (self,
                                 "SELECT id, call_id, kind FROM events WHERE id > ?1 ORDER BY id LIMIT ?2",
                                 error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, after_event_id);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? (gint64) limit : -1);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RcrpCallChange *change;

      last = sqlite3_column_int64 (stmt, 0);
      if (sqlite3_column_type (stmt, 1) == SQLITE_NULL)
        continue;

      change = g_new0 (RcrpCallChange, 1);
      change->event_id = last;
      change->call_id = sqlite3_column_int64 (stmt, 1);
      change->kind = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      g_ptr_array_add (changes, change);
    }

  if (rc != SQLITE_DONE)
    {
      _rcrp_sqlite_set_error (self, rc, _("reading the log"), error);
      return NULL;
    }

  *last_event_id = last;

  return g_steal_pointer (&changes);
}

static void
append_waiting (GArray       *calls,
                sqlite3_stmt *stmt)
{
  RcrpWaitingCall call = {
    .id = sqlite3_column_int64 (stmt, 0),
    .grade = sqlite3_column_int (stmt, 1),
    .received_at = sqlite3_column_int64 (stmt, 2),
    .marked_at = sqlite3_column_int64 (stmt, 3),
    .decided = sqlite3_column_int (stmt, 4) != 0,
  };

  g_array_append_val (calls, call);
}

static GArray *
rcrp_sqlite_store_list_waiting (RcrpStore              *store,
                                guint                   marks,
                                int                     grade,
                                gint64                  received_before,
                                const RcrpWaitingCall  *after,
                                guint                   limit,
                                GError                **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  g_autoptr(RcrpCachedStatement) stmt = NULL;
  g_autoptr(GArray) calls = g_array_new (FALSE, FALSE, sizeof (RcrpWaitingCall));
  int rc;

  if (!ensure_marks (self, error))
    return NULL;

  /* The index's own condition, word for word, so the planner takes it. */
  stmt = _rcrp_sqlite_statement (self,
                                 "SELECT c.id, c.grade, c.received_at, COALESCE (m.marked_at, 0), 0 "
                                 "FROM calls c INDEXED BY calls_waiting "
                                 "LEFT JOIN temp.alert_marks m ON m.marks = ?1 AND m.call_id = c.id "
                                 "WHERE c.status != 'decided' AND c.grade = ?2 AND c.received_at < ?3 "
                                 "  AND (c.received_at, c.id) > (?4, ?5) "
                                 "ORDER BY c.received_at, c.id LIMIT ?6",
                                 error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, marks);
  sqlite3_bind_int (stmt, 2, grade);
  sqlite3_bind_int64 (stmt, 3, received_before);
  sqlite3_bind_int64 (stmt, 4, after != NULL ? after->received_at : G_MININT64);
  sqlite3_bind_int64 (stmt, 5, after != NULL ? after->id : G_MININT64);
  sqlite3_bind_int64 (stmt, 6, limit);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    append_waiting (calls, stmt);

  if (rc != SQLITE_DONE)
    {
      _rcrp_sqlite_set_error (self, rc, _("reading the calls awaiting a decision"), error);
      return NULL;
    }

  return g_steal_pointer (&calls);
}

static GArray *
rcrp_sqlite_store_list_marked (RcrpStore  *store,
                               guint       marks,
                               int         grade,
                               gint64      marked_before,
                               guint       limit,
                               GError    **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  g_autoptr(RcrpCachedStatement) stmt = NULL;
  g_autoptr(GArray) calls = g_array_new (FALSE, FALSE, sizeof (RcrpWaitingCall));
  int rc;

  if (!ensure_marks (self, error))
    return NULL;

  stmt = _rcrp_sqlite_statement (self,
                                 "SELECT m.call_id, m.grade, COALESCE (c.received_at, 0), m.marked_at, "
                                 "  c.id IS NULL OR c.status = 'decided' "
                                 "FROM temp.alert_marks m LEFT JOIN calls c ON c.id = m.call_id "
                                 "WHERE m.marks = ?1 AND m.grade = ?2 AND m.marked_at <= ?3 AND (c.id IS NULL OR c.received_at < ?3) "
                                 "ORDER BY m.marked_at LIMIT ?4",
                                 error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, marks);
  sqlite3_bind_int (stmt, 2, grade);
  sqlite3_bind_int64 (stmt, 3, marked_before);
  sqlite3_bind_int64 (stmt, 4, limit);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    append_waiting (calls, stmt);

  if (rc != SQLITE_DONE)
    {
      _rcrp_sqlite_set_error (self, rc, _("reading the alerts' notes"), error);
      return NULL;
    }

  return g_steal_pointer (&calls);
}

static gboolean
rcrp_sqlite_store_set_mark (RcrpStore  *store,
                            guint       marks,
                            gint64      call_id,
                            int         grade,
                            gint64      marked_at,
                            GError    **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  g_autoptr(RcrpCachedStatement) stmt = NULL;

  if (!ensure_marks (self, error))
    return FALSE;

  stmt = _rcrp_sqlite_statement (self,
                                 "INSERT OR REPLACE INTO temp.alert_marks (marks, call_id, grade, marked_at) "
                                 "VALUES (?1, ?2, ?3, ?4)",
                                 error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, marks);
  sqlite3_bind_int64 (stmt, 2, call_id);
  sqlite3_bind_int (stmt, 3, grade);
  sqlite3_bind_int64 (stmt, 4, marked_at);

  return _rcrp_sqlite_step_done (self, stmt, _("noting an alert"), error);
}

static gboolean
rcrp_sqlite_store_clear_marks (RcrpStore  *store,
                               guint       marks,
                               gint64      call_id,
                               GError    **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  g_autoptr(RcrpCachedStatement) stmt = NULL;

  if (!ensure_marks (self, error))
    return FALSE;

  if (call_id != 0)
    stmt = _rcrp_sqlite_statement (self, "DELETE FROM temp.alert_marks WHERE marks = ?1 AND call_id = ?2", error);
  else
    stmt = _rcrp_sqlite_statement (self, "DELETE FROM temp.alert_marks WHERE marks = ?1 AND ?2 = 0", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, marks);
  sqlite3_bind_int64 (stmt, 2, call_id);

  return _rcrp_sqlite_step_done (self, stmt, _("clearing an alert's note"), error);
}

void
_rcrp_sqlite_alerts_iface_init (RcrpStoreInterface *iface)
{
  iface->list_call_changes = rcrp_sqlite_store_list_call_changes;
  iface->list_waiting = rcrp_sqlite_store_list_waiting;
  iface->list_marked = rcrp_sqlite_store_list_marked;
  iface->set_mark = rcrp_sqlite_store_set_mark;
  iface->clear_marks = rcrp_sqlite_store_clear_marks;
}

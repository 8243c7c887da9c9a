/* rcrp-sqlite-drafts.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rcrp-sqlite-store-private.h"

/* The checklist answers given so far on a call, one row per call. They are
 * working state, as a claim is: written on every answer, so not chained
 * into the audit log, which records the answers a decision was made on in
 * the decision's own event. Only the holder of the call's claim writes its
 * draft; a take-over carries the draft on to the new holder.
 */

static gboolean
rcrp_sqlite_store_save_draft (RcrpStore   *store,
                              gint64       call_id,
                              const char  *session,
                              GTimeSpan    lapse,
                              const char  *answers_json,
                              const char  *rules_version,
                              GError     **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  g_autoptr(GDateTime) now = rcrp_clock_now (self->clock);
  g_autofree char *cad_ref = NULL;

  if (!_rcrp_sqlite_require (self, RCRP_PERMISSION_CLAIM, error))
    return FALSE;

  if (!_rcrp_sqlite_begin (self, error))
    return FALSE;

  cad_ref = _rcrp_sqlite_dup_cad_ref (self, call_id, _("keeping the checklist answers"), error);
  if (cad_ref == NULL)
    goto failed;

  /* Answers belong to whoever works the call: never written over another
   * workstation's. */
  if (!_rcrp_sqlite_hold_claim (self, call_id, cad_ref, session, lapse, FALSE, now, error))
    goto failed;

  {
    g_autoptr(RcrpCachedStatement) stmt = NULL;

    stmt = _rcrp_sqlite_statement (self,
                                   "INSERT OR REPLACE INTO triage_drafts "
                                   "  (call_id, answers, rules_version, operator, workstation, session, updated_at) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                                   error);
    if (stmt == NULL)
      goto failed;
    sqlite3_bind_int64 (stmt, 1, call_id);
    sqlite3_bind_text (stmt, 2, answers_json, -1, SQLITE_STATIC);
    if (rules_version != NULL)
      sqlite3_bind_text (stmt, 3, rules_version, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 4, self->operator_name, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 5, self->workstation, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 6, session, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 7, _rcrp_sqlite_time_to_column (now));
    if (!_rcrp_sqlite_step_done (self, stmt, _("keeping the checklist answers"), error))
      goto failed;
  }

  return _rcrp_sqlite_commit (self, error);

failed:
  _rcrp_sqlite_rollback (self);
  return FALSE;
}

static RcrpTriageDraft *
rcrp_sqlite_store_get_draft (RcrpStore  *store,
                             gint64      call_id,
                             GError    **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  g_autoptr(RcrpCachedStatement) stmt = NULL;
  RcrpTriageDraft *draft;
  int rc;

  stmt = _rcrp_sqlite_statement (self,
                                 "SELECT answers, rules_version, operator, workstation, session, updated_at "
                                 "FROM triage_drafts WHERE call_id = ?1",
                                 error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, call_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return NULL;
  if (rc != SQLITE_ROW)
    {
      _rcrp_sqlite_set_error (self, rc, _("reading the checklist answers"), error);
      return NULL;
    }

  draft = g_new0 (RcrpTriageDraft, 1);
  draft->call_id = call_id;
  draft->answers_json = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  draft->rules_version = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  draft->operator_name = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  draft->workstation = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  draft->session = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  draft->updated_at = _rcrp_sqlite_time_from_column (sqlite3_column_int64 (stmt, 5));

  return draft;
}

void
_rcrp_sqlite_drafts_iface_init (RcrpStoreInterface *iface)
{
  iface->save_draft = rcrp_sqlite_store_save_draft;
  iface->get_draft = rcrp_sqlite_store_get_draft;
}

/* rcrp-sqlite-agencies.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rcrp-sqlite-store-private.h"

#define MAX_NOTE_CHARS 500
#define MAX_REASON_CHARS 1000

static char *
node_to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);

  return json_generator_to_data (generator, NULL);
}

static RcrpAgency *
agency_from_entry_column (sqlite3_stmt  *stmt,
                          int            column,
                          GError       **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  if (!json_parser_load_from_data (parser, text, -1, error))
    return NULL;

  return rcrp_agency_entry_from_json (json_parser_get_root (parser), "agency", error);
}

static gboolean
import_locked (RcrpSqliteStore  *self,
               GPtrArray        *agencies,
               const char       *source,
               GError          **error)
{
  g_autoptr(GDateTime) now = rcrp_clock_now (self->clock);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) payload_node = NULL;
  g_autofree char *payload = NULL;
  int rc;

  /* The whole directory goes into the event: what the board offered at
   * any moment can be told from the log alone. It holds no personal data.
   */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder, source);
  json_builder_set_member_name (builder, "agencies");
  json_builder_begin_array (builder);
  for (guint i = 0; i < agencies->len; i++)
    json_builder_add_value (builder, rcrp_agency_entry_to_json (g_ptr_array_index (agencies, i)));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  payload_node = json_builder_get_root (builder);
  payload = node_to_string (payload_node);

  if (_rcrp_sqlite_insert_event (self, now, "agency.directory", 0, payload, error) < 0)
    return FALSE;

  if (!_rcrp_sqlite_exec (self, "UPDATE agencies SET active = 0", _("importing agencies"), error))
    return FALSE;

  for (guint i = 0; i < agencies->len; i++)
    {
      RcrpAgency *agency = g_ptr_array_index (agencies, i);
      g_autoptr(RcrpCachedStatement) stmt = NULL;
      g_autoptr(JsonNode) entry = rcrp_agency_entry_to_json (agency);
      g_autofree char *entry_text = node_to_string (entry);

      stmt = _rcrp_sqlite_statement (self,
                                     "INSERT INTO agencies (id, position, active, entry) VALUES (?1, ?2, 1, ?3) "
                                     "ON CONFLICT (id) DO UPDATE SET position = ?2, active = 1, entry = ?3",
                                     error);
      if (stmt == NULL)
        return FALSE;

      sqlite3_bind_text (stmt, 1, rcrp_agency_get_id (agency), -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 2, i);
      sqlite3_bind_text (stmt, 3, entry_text, -1, SQLITE_STATIC);

      rc = sqlite3_step (stmt);
      if (rc != SQLITE_DONE)
        return _rcrp_sqlite_set_error (self, rc, _("importing agencies"), error);
    }

  return TRUE;
}

static gboolean
rcrp_sqlite_store_import_agencies (RcrpStore   *store,
                                   GPtrArray   *agencies,
                                   const char  *source,
                                   GError     **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);

  if (!_rcrp_sqlite_require (self, RCRP_PERMISSION_MANAGE_DIRECTORY, error))
    return FALSE;

  if (!_rcrp_sqlite_begin (self, error))
    return FALSE;

  if (!import_locked (self, agencies, source, error))
    {
      _rcrp_sqlite_rollback (self);
      return FALSE;
    }

  return _rcrp_sqlite_commit (self, error);
}

gboolean
_rcrp_sqlite_agencies_seed (RcrpSqliteStore  *self,
                            GError          **error)
{
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  g_autoptr(GPtrArray) defaults = NULL;
  gboolean empty;
  int rc;

  /* Cheap and read-only in the common case: the directory is there. */
  {
    g_autoptr(RcrpCachedStatement) stmt = _rcrp_sqlite_statement (self, "SELECT NOT EXISTS (SELECT 1 FROM agencies)", error);

    if (stmt == NULL)
      return FALSE;
    rc = sqlite3_step (stmt);
    if (rc != SQLITE_ROW)
      return _rcrp_sqlite_set_error (self, rc, _("reading the agency directory"), error);
    empty = sqlite3_column_int (stmt, 0);
  }

  if (!empty)
    return TRUE;

  if (!_rcrp_sqlite_begin (self, error))
    return FALSE;

  /* Again inside the write lock: another workstation may have seeded it. */
  {
    g_autoptr(RcrpCachedStatement) stmt = _rcrp_sqlite_statement (self, "SELECT NOT EXISTS (SELECT 1 FROM agencies)", error);

    if (stmt == NULL)
      goto failed;
    rc = sqlite3_step (stmt);
    if (rc != SQLITE_ROW)
      {
        _rcrp_sqlite_set_error (self, rc, _("reading the agency directory"), error);
        goto failed;
      }
    empty = sqlite3_column_int (stmt, 0);
  }

  if (!empty)
    {
      _rcrp_sqlite_rollback (self);
      return TRUE;
    }

  defaults = rcrp_agency_directory_get_default ();
  if (!import_locked (self, defaults, "built-in agency directory", error))
    goto failed;

  return _rcrp_sqlite_commit (self, error);

failed:
  _rcrp_sqlite_rollback (self);
  return FALSE;
}

static GPtrArray *
rcrp_sqlite_store_list_agencies (RcrpStore  *store,
                                 GError    **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  g_autoptr(RcrpCachedStatement) stmt = NULL;
  g_autoptr(GPtrArray) agencies = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  stmt = _rcrp_sqlite_statement (self,
                                 "SELECT a.entry, s.status, s.capacity, s.eta_minutes, s.note, "
                                 "  s.operator, s.workstation, s.changed_at "
                                 "FROM agencies a LEFT JOIN agency_state s ON s.agency_id = a.id "
                                 "WHERE a.active ORDER BY a.position",
                                 error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(RcrpAgency) agency = agency_from_entry_column (stmt, 0, error);

      if (agency == NULL)
        return NULL;

      if (sqlite3_column_type (stmt, 1) != SQLITE_NULL)
        {
          g_autoptr(GDateTime) changed_at = _rcrp_sqlite_time_from_column (sqlite3_column_int64 (stmt, 7));
          RcrpAgencyStatus status = RCRP_AGENCY_STATUS_UNKNOWN;

          rcrp_agency_status_from_string ((const char *) sqlite3_column_text (stmt, 1), &status);
          _rcrp_agency_set_state (agency, status,
                                  sqlite3_column_int (stmt, 2),
                                  sqlite3_column_int (stmt, 3),
                                  (const char *) sqlite3_column_text (stmt, 4),
                                  (const char *) sqlite3_column_text (stmt, 5),
                                  (const char *) sqlite3_column_text (stmt, 6),
                                  changed_at);
        }

      g_ptr_array_add (agencies, g_steal_pointer (&agency));
    }

  if (rc != SQLITE_DONE)
    {
      _rcrp_sqlite_set_error (self, rc, _("reading the agency directory"), error);
      return NULL;
    }

  return g_steal_pointer (&agencies);
}

/* Returns: (transfer full) (nullable): the active agency @id, or NULL with
 * RCRP_STORE_ERROR_NOT_FOUND.
 */
static RcrpAgency *
find_agency (RcrpSqliteStore  *self,
             const char       *id,
             GError          **error)
{
  g_autoptr(RcrpCachedStatement) stmt = NULL;
  int rc;

  stmt = _rcrp_sqlite_statement (self, "SELECT entry FROM agencies WHERE id = ?1 AND active", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return agency_from_entry_column (stmt, 0, error);

  if (rc == SQLITE_DONE)
    g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_NOT_FOUND,
                 _("There is no agency “%s” in the directory."), id);
  else
    _rcrp_sqlite_set_error (self, rc, _("reading the agency directory"), error);

  return NULL;
}

static gint64
rcrp_sqlite_store_set_agency_state (RcrpStore         *store,
                                    const char        *agency_id,
                                    RcrpAgencyStatus   status,
                                    int                capacity,
                                    int                eta_minutes,
                                    const char        *note,
                                    GError           **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  g_autoptr(GDateTime) now = rcrp_clock_now (self->clock);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) payload_node = NULL;
  g_autoptr(RcrpAgency) agency = NULL;
  g_autofree char *payload = NULL;
  gint64 event_id;
  int rc;

  if (note == NULL)
    note = "";

  if (status == RCRP_AGENCY_STATUS_UNKNOWN || status > RCRP_AGENCY_STATUS_CLOSED)
    {
      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_FAILED,
                   _("Choose the agency's status: available, limited, at capacity or closed."));
      return -1;
    }
  if (capacity < -1 || capacity > 9999 || eta_minutes < -1 || eta_minutes > 7 * 24 * 60)
    {
      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_FAILED,
                   _("Spaces must be 0 to 9999 and the expected response 0 to 10080 minutes."));
      return -1;
    }
  if (g_utf8_strlen (note, -1) > MAX_NOTE_CHARS)
    {
      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_FAILED,
                   _("The note is longer than %d characters."), MAX_NOTE_CHARS);
      return -1;
    }

  if (!_rcrp_sqlite_require (self, RCRP_PERMISSION_AGENCY_STATUS, error))
    return -1;

  if (!_rcrp_sqlite_begin (self, error))
    return -1;

  agency = find_agency (self, agency_id, error);
  if (agency == NULL)
    goto failed;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "agency");
  json_builder_add_string_value (builder, agency_id);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, rcrp_agency_status_to_string (status));
  json_builder_set_member_name (builder, "capacity");
  json_builder_add_int_value (builder, capacity);
  json_builder_set_member_name (builder, "eta_minutes");
  json_builder_add_int_value (builder, eta_minutes);
  json_builder_set_member_name (builder, "note");
  json_builder_add_string_value (builder, note);
  json_builder_end_object (builder);
  payload_node = json_builder_get_root (builder);
  payload = node_to_string (payload_node);

  event_id = _rcrp_sqlite_insert_event (self, now, "agency.status", 0, payload, error);
  if (event_id < 0)
    goto failed;

  {
    g_autoptr(RcrpCachedStatement) stmt = NULL;

    stmt = _rcrp_sqlite_statement (self,
                                   "INSERT OR REPLACE INTO agency_state "
                                   "(agency_id, status, capacity, eta_minutes, note, operator, workstation, changed_at, event_id) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                                   error);
    if (stmt == NULL)
      goto failed;

    sqlite3_bind_text (stmt, 1, agency_id, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 2, rcrp_agency_status_to_string (status), -1, SQLITE_STATIC);
    sqlite3_bind_int (stmt, 3, capacity);
    sqlite3_bind_int (stmt, 4, eta_minutes);
    sqlite3_bind_text (stmt, 5, note, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 6, self->operator_name, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 7, self->workstation, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 8, _rcrp_sqlite_time_to_column (now));
    sqlite3_bind_int64 (stmt, 9, event_id);

    rc = sqlite3_step (stmt);
    if (rc != SQLITE_DONE)
      {
        _rcrp_sqlite_set_error (self, rc, _("recording an agency's status"), error);
        goto failed;
      }
  }

  if (!_rcrp_sqlite_commit (self, error))
    return -1;

  return event_id;

failed:
  _rcrp_sqlite_rollback (self);
  return -1;
}

gboolean
_rcrp_sqlite_referrals_on_decision (RcrpSqliteStore  *self,
                                    RcrpDecision     *decision,
                                    gint64            event_id,
                                    GDateTime        *now,
                                    GError          **error)
{
  gint64 call_id = rcrp_decision_get_call_id (decision);

  /* A new decision replaces the call's open referral. */
  {
    g_autoptr(RcrpCachedStatement) stmt = NULL;

    stmt = _rcrp_sqlite_statement (self,
                                   "UPDATE referrals SET state = 'withdrawn', reason = 'superseded' "
                                   "WHERE call_id = ?1 AND state = 'pending'",
                                   error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, call_id);
    if (!_rcrp_sqlite_step_done (self, stmt, _("recording a decision"), error))
      return FALSE;
  }

  if (g_strcmp0 (rcrp_decision_get_outcome (decision), "referred") == 0)
    {
      g_autoptr(RcrpCachedStatement) stmt = NULL;
      g_autoptr(RcrpAgency) agency = find_agency (self, rcrp_decision_get_agency (decision), error);
      g_autoptr(GDateTime) due = NULL;

      if (agency == NULL)
        return FALSE;

      due = g_date_time_add_minutes (now, rcrp_agency_get_response_target (agency));

      stmt = _rcrp_sqlite_statement (self,
                                     "INSERT INTO referrals (decision_event_id, call_id, agency_id, state, referred_at, due_at) "
                                     "VALUES (?1, ?2, ?3, 'pending', ?4, ?5)",
                                     error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, event_id);
      sqlite3_bind_int64 (stmt, 2, call_id);
      sqlite3_bind_text (stmt, 3, rcrp_agency_get_id (agency), -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 4, _rcrp_sqlite_time_to_column (now));
      sqlite3_bind_int64 (stmt, 5, _rcrp_sqlite_time_to_column (due));
      if (!_rcrp_sqlite_step_done (self, stmt, _("recording a referral"), error))
        return FALSE;
    }

  return TRUE;
}

static RcrpReferralState
referral_state_from_string (const char *string)
{
  for (RcrpReferralState s = RCRP_REFERRAL_PENDING; s <= RCRP_REFERRAL_WITHDRAWN; s++)
    if (g_strcmp0 (string, rcrp_referral_state_to_string (s)) == 0)
      return s;

  return RCRP_REFERRAL_WITHDRAWN;
}

static GDateTime *
nullable_time (sqlite3_stmt *stmt,
               int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;

  return _rcrp_sqlite_time_from_column (sqlite3_column_int64 (stmt, column));
}

#define REFERRAL_COLUMNS \
  "SELECT r.decision_event_id, r.call_id, c.cad_ref, r.agency_id, r.state, " \
  "  r.referred_at, r.due_at, r.responded_at, r.responded_by, r.reason " \
  "FROM referrals r JOIN calls c ON c.id = r.call_id "

static GPtrArray *
read_referrals (RcrpSqliteStore  *self,
                sqlite3_stmt     *stmt,
                GError          **error)
{
  g_autoptr(GPtrArray) referrals = g_ptr_array_new_with_free_func ((GDestroyNotify) rcrp_referral_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RcrpReferral *referral = g_new0 (RcrpReferral, 1);

      referral->decision_event_id = sqlite3_column_int64 (stmt, 0);
      referral->call_id = sqlite3_column_int64 (stmt, 1);
      referral->cad_ref = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      referral->agency_id = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      referral->state = referral_state_from_string ((const char *) sqlite3_column_text (stmt, 4));
      referral->referred_at = nullable_time (stmt, 5);
      referral->due_at = nullable_time (stmt, 6);
      referral->responded_at = nullable_time (stmt, 7);
      referral->responded_by = g_strdup ((const char *) sqlite3_column_text (stmt, 8));
      referral->reason = g_strdup ((const char *) sqlite3_column_text (stmt, 9));
      g_ptr_array_add (referrals, referral);
    }

  if (rc != SQLITE_DONE)
    {
      _rcrp_sqlite_set_error (self, rc, _("reading referrals"), error);
      return NULL;
    }

  return g_steal_pointer (&referrals);
}

static GPtrArray *
rcrp_sqlite_store_list_referrals (RcrpStore  *store,
                                  gint64      call_id,
                                  gboolean    pending_only,
                                  GError    **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  g_autoptr(RcrpCachedStatement) stmt = NULL;

  stmt = _rcrp_sqlite_statement (self,
                                 REFERRAL_COLUMNS
                                 "WHERE (?1 = 0 OR r.call_id = ?1) AND (?2 = 0 OR r.state = 'pending') "
                                 "ORDER BY r.decision_event_id",
                                 error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, call_id);
  sqlite3_bind_int (stmt, 2, pending_only);

  return read_referrals (self, stmt, error);
}

static GPtrArray *
rcrp_sqlite_store_list_pending_referrals (RcrpStore  *store,
                                          GDateTime  *due_since,
                                          GError    **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  g_autoptr(RcrpCachedStatement) stmt = NULL;

  /* The index on (state, due_at) takes this straight to the few recent
   * ones, however many a year has left unanswered. */
  stmt = _rcrp_sqlite_statement (self,
                                 REFERRAL_COLUMNS
                                 "WHERE r.state = 'pending' AND r.due_at >= ?1 "
                                 "ORDER BY r.decision_event_id",
                                 error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, _rcrp_sqlite_time_to_column (due_since));

  return read_referrals (self, stmt, error);
}

static gint64
rcrp_sqlite_store_respond_to_referral (RcrpStore   *store,
                                       gint64       decision_event_id,
                                       gboolean     accepted,
                                       const char  *reason,
                                       GError     **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  g_autoptr(GDateTime) now = rcrp_clock_now (self->clock);
  g_autoptr(GDateTime) referred_at = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) payload_node = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *agency_id = NULL;
  g_autofree char *trimmed = g_strstrip (g_strdup (reason != NULL ? reason : ""));
  gint64 call_id, event_id;
  int rc;

  if (!accepted && *trimmed == '\0')
    {
      g_set_error (error, RCRP_DECISION_ERROR, RCRP_DECISION_ERROR_RATIONALE_REQUIRED,
                   _("Say why the agency declined: the reason is kept for the shift summary."));
      return -1;
    }
  if (g_utf8_strlen (trimmed, -1) > MAX_REASON_CHARS)
    {
      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_FAILED,
                   _("The reason is longer than %d characters."), MAX_REASON_CHARS);
      return -1;
    }

  if (!_rcrp_sqlite_require (self, RCRP_PERMISSION_REFERRAL_ANSWER, error))
    return -1;

  if (!_rcrp_sqlite_begin (self, error))
    return -1;

  {
    g_autoptr(RcrpCachedStatement) stmt = NULL;

    stmt = _rcrp_sqlite_statement (self,
                                   "SELECT call_id, agency_id, state, referred_at, responded_by "
                                   "FROM referrals WHERE decision_event_id = ?1",
                                   error);
    if (stmt == NULL)
      goto failed;

    sqlite3_bind_int64 (stmt, 1, decision_event_id);
    rc = sqlite3_step (stmt);
    if (rc == SQLITE_DONE)
      {
        g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_NOT_FOUND,
                     _("There is no referral made by decision %" G_GINT64_FORMAT "."), decision_event_id);
        goto failed;
      }
    if (rc != SQLITE_ROW)
      {
        _rcrp_sqlite_set_error (self, rc, _("recording an agency's answer"), error);
        goto failed;
      }

    if (!g_str_equal ((const char *) sqlite3_column_text (stmt, 2), "pending"))
      {
        RcrpReferralState state = referral_state_from_string ((const char *) sqlite3_column_text (stmt, 2));
        const char *by = (const char *) sqlite3_column_text (stmt, 4);

        g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_CONFLICT,
                     _("This referral is no longer waiting for an answer: %s%s%s."),
                     rcrp_referral_state_get_label (state),
                     by != NULL ? _(" by ") : "", by != NULL ? by : "");
        goto failed;
      }

    call_id = sqlite3_column_int64 (stmt, 0);
    agency_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    referred_at = _rcrp_sqlite_time_from_column (sqlite3_column_int64 (stmt, 3));
  }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "decision_event_id");
  json_builder_add_int_value (builder, decision_event_id);
  json_builder_set_member_name (builder, "agency");
  json_builder_add_string_value (builder, agency_id);
  json_builder_set_member_name (builder, "minutes");
  json_builder_add_double_value (builder, g_date_time_difference (now, referred_at) / (double) G_TIME_SPAN_MINUTE);
  if (*trimmed != '\0')
    {
      json_builder_set_member_name (builder, "reason");
      json_builder_add_string_value (builder, trimmed);
    }
  json_builder_end_object (builder);
  payload_node = json_builder_get_root (builder);
  payload = node_to_string (payload_node);

  event_id = _rcrp_sqlite_insert_event (self, now, accepted ? "referral.accepted" : "referral.declined",
                                        call_id, payload, error);
  if (event_id < 0)
    goto failed;

  {
    g_autoptr(RcrpCachedStatement) stmt = NULL;

    stmt = _rcrp_sqlite_statement (self,
                                   "UPDATE referrals SET state = ?2, responded_at = ?3, responded_by = ?4, "
                                   "  response_event_id = ?5, reason = ?6 WHERE decision_event_id = ?1",
                                   error);
    if (stmt == NULL)
      goto failed;
    sqlite3_bind_int64 (stmt, 1, decision_event_id);
    sqlite3_bind_text (stmt, 2, accepted ? "accepted" : "declined", -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 3, _rcrp_sqlite_time_to_column (now));
    sqlite3_bind_text (stmt, 4, self->operator_name, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 5, event_id);
    if (*trimmed != '\0')
      sqlite3_bind_text (stmt, 6, trimmed, -1, SQLITE_STATIC);
    if (!_rcrp_sqlite_step_done (self, stmt, _("recording an agency's answer"), error))
      goto failed;
  }

  /* A declined referral leaves the person without help: back to the
   * coordinator for the next agency. */
  if (!accepted)
    {
      g_autoptr(RcrpCachedStatement) stmt = NULL;

      stmt = _rcrp_sqlite_statement (self, "UPDATE calls SET status = 'updated', updated_at = ?2 WHERE id = ?1", error);
      if (stmt == NULL)
        goto failed;
      sqlite3_bind_int64 (stmt, 1, call_id);
      sqlite3_bind_int64 (stmt, 2, _rcrp_sqlite_time_to_column (now));
      if (!_rcrp_sqlite_step_done (self, stmt, _("recording an agency's answer"), error))
        goto failed;
    }

  if (!_rcrp_sqlite_commit (self, error))
    return -1;

  return event_id;

failed:
  _rcrp_sqlite_rollback (self);
  return -1;
}

static gint64
rcrp_sqlite_store_undo_decision (RcrpStore  *store,
                                 gint64      decision_event_id,
                                 GError    **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  g_autoptr(GDateTime) now = rcrp_clock_now (self->clock);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) payload_node = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *outcome = NULL;
  gint64 call_id, current, event_id;
  int rc;

  if (!_rcrp_sqlite_require (self, RCRP_PERMISSION_DECIDE, error))
    return -1;

  if (!_rcrp_sqlite_begin (self, error))
    return -1;

  {
    g_autoptr(RcrpCachedStatement) stmt = NULL;

    stmt = _rcrp_sqlite_statement (self,
                                   "SELECT call_id, json_extract (payload, '$.outcome'), "
                                   "  (SELECT MAX (d.id) FROM events d WHERE d.call_id = e.call_id AND d.kind = 'call.decided' "
                                   "     AND d.id NOT IN (SELECT decision_event_id FROM undone_decisions)) "
                                   "FROM events e WHERE id = ?1 AND kind = 'call.decided'",
                                   error);
    if (stmt == NULL)
      goto failed;

    sqlite3_bind_int64 (stmt, 1, decision_event_id);
    rc = sqlite3_step (stmt);
    if (rc == SQLITE_DONE)
      {
        g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_NOT_FOUND,
                     _("There is no decision %" G_GINT64_FORMAT " to undo."), decision_event_id);
        goto failed;
      }
    if (rc != SQLITE_ROW)
      {
        _rcrp_sqlite_set_error (self, rc, _("undoing a decision"), error);
        goto failed;
      }

    call_id = sqlite3_column_int64 (stmt, 0);
    outcome = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    current = sqlite3_column_int64 (stmt, 2);
  }

  if (current != decision_event_id)
    {
      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_CONFLICT,
                   _("This decision is no longer the call's current one, so it cannot be undone: "
                     "it was undone already or another decision followed it."));
      goto failed;
    }

  /* An appeal is against this decision: undoing it would leave the appeal
   * on hold against nothing. The supervisor's review settles it instead. */
  {
    g_autoptr(RcrpCachedStatement) stmt = NULL;

    stmt = _rcrp_sqlite_statement (self,
                                   "SELECT reference, state FROM appeals WHERE decision_event_id = ?1 "
                                   "ORDER BY id DESC LIMIT 1",
                                   error);
    if (stmt == NULL)
      goto failed;
    sqlite3_bind_int64 (stmt, 1, decision_event_id);
    rc = sqlite3_step (stmt);
    if (rc == SQLITE_ROW)
      {
        gboolean open = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1), "open") == 0;

        g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_INVALID,
                     open ? _("This decision is under appeal %s, so it cannot be undone: a supervisor's review "
                              "(uphold or overturn) decides it.")
                          : _("This decision was appealed (%s) and reviewed by a supervisor, so it cannot be "
                              "undone: record a new decision instead."),
                     (const char *) sqlite3_column_text (stmt, 0));
        goto failed;
      }
    if (rc != SQLITE_DONE)
      {
        _rcrp_sqlite_set_error (self, rc, _("undoing a decision"), error);
        goto failed;
      }
  }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "decision_event_id");
  json_builder_add_int_value (builder, decision_event_id);
  json_builder_set_member_name (builder, "outcome");
  json_builder_add_string_value (builder, outcome);
  json_builder_end_object (builder);
  payload_node = json_builder_get_root (builder);
  payload = node_to_string (payload_node);

  event_id = _rcrp_sqlite_insert_event (self, now, "call.decision_undone", call_id, payload, error);
  if (event_id < 0)
    goto failed;

  {
    g_autoptr(RcrpCachedStatement) stmt = NULL;

    stmt = _rcrp_sqlite_statement (self,
                                   "INSERT INTO undone_decisions (decision_event_id, undo_event_id) VALUES (?1, ?2)",
                                   error);
    if (stmt == NULL)
      goto failed;
    sqlite3_bind_int64 (stmt, 1, decision_event_id);
    sqlite3_bind_int64 (stmt, 2, event_id);
    if (!_rcrp_sqlite_step_done (self, stmt, _("undoing a decision"), error))
      goto failed;
  }

  {
    g_autoptr(RcrpCachedStatement) stmt = NULL;

    stmt = _rcrp_sqlite_statement (self,
                                   "UPDATE referrals SET state = 'withdrawn', reason = 'undone' "
                                   "WHERE decision_event_id = ?1 AND state = 'pending'",
                                   error);
    if (stmt == NULL)
      goto failed;
    sqlite3_bind_int64 (stmt, 1, decision_event_id);
    if (!_rcrp_sqlite_step_done (self, stmt, _("undoing a decision"), error))
      goto failed;
  }

  /* The call returns to the decision before, if any, and a referral that
   * decision made and this one had superseded waits for its answer again. */
  {
    g_autoptr(RcrpCachedStatement) stmt = NULL;

    stmt = _rcrp_sqlite_statement (self,
                                   "UPDATE referrals SET state = 'pending', reason = NULL "
                                   "WHERE state = 'withdrawn' AND reason = 'superseded' AND decision_event_id = "
                                   "  (SELECT MAX (d.id) FROM events d WHERE d.call_id = ?1 AND d.kind = 'call.decided' "
                                   "     AND d.id NOT IN (SELECT decision_event_id FROM undone_decisions))",
                                   error);
    if (stmt == NULL)
      goto failed;
    sqlite3_bind_int64 (stmt, 1, call_id);
    if (!_rcrp_sqlite_step_done (self, stmt, _("undoing a decision"), error))
      goto failed;
  }

  {
    g_autoptr(RcrpCachedStatement) stmt = NULL;

    stmt = _rcrp_sqlite_statement (self,
                                   "UPDATE calls SET "
                                   "  outcome = (SELECT json_extract (d.payload, '$.outcome') FROM events d "
                                   "             WHERE d.call_id = ?1 AND d.kind = 'call.decided' "
                                   "               AND d.id NOT IN (SELECT decision_event_id FROM undone_decisions) "
                                   "             ORDER BY d.id DESC LIMIT 1), "
                                   "  decided_at = (SELECT d.at FROM events d "
                                   "             WHERE d.call_id = ?1 AND d.kind = 'call.decided' "
                                   "               AND d.id NOT IN (SELECT decision_event_id FROM undone_decisions) "
                                   "             ORDER BY d.id DESC LIMIT 1), "
                                   "  first_decided_at = (SELECT MIN (d.at) FROM events d "
                                   "             WHERE d.call_id = ?1 AND d.kind = 'call.decided' "
                                   "               AND d.id NOT IN (SELECT decision_event_id FROM undone_decisions)), "
                                   "  decided_by = (SELECT d.operator FROM events d "
                                   "             WHERE d.call_id = ?1 AND d.kind = 'call.decided' "
                                   "               AND d.id NOT IN (SELECT decision_event_id FROM undone_decisions) "
                                   "             ORDER BY d.id DESC LIMIT 1), "
                                   "  agency = (SELECT json_extract (d.payload, '$.agency') FROM events d "
                                   "             WHERE d.call_id = ?1 AND d.kind = 'call.decided' "
                                   "               AND d.id NOT IN (SELECT decision_event_id FROM undone_decisions) "
                                   "             ORDER BY d.id DESC LIMIT 1), "
                                   "  updated_at = ?2 "
                                   "WHERE id = ?1",
                                   error);
    if (stmt == NULL)
      goto failed;
    sqlite3_bind_int64 (stmt, 1, call_id);
    sqlite3_bind_int64 (stmt, 2, _rcrp_sqlite_time_to_column (now));
    if (!_rcrp_sqlite_step_done (self, stmt, _("undoing a decision"), error))
      goto failed;
  }

  {
    g_autoptr(RcrpCachedStatement) stmt = NULL;

    stmt = _rcrp_sqlite_statement (self,
                                   "UPDATE calls SET status = CASE WHEN outcome IS NOT NULL THEN 'decided' "
                                   "  WHEN version_count > 1 THEN 'updated' ELSE 'new' END WHERE id = ?1",
                                   error);
    if (stmt == NULL)
      goto failed;
    sqlite3_bind_int64 (stmt, 1, call_id);
    if (!_rcrp_sqlite_step_done (self, stmt, _("undoing a decision"), error))
      goto failed;
  }

  if (!_rcrp_sqlite_commit (self, error))
    return -1;

  return event_id;

failed:
  _rcrp_sqlite_rollback (self);
  return -1;
}

void
_rcrp_sqlite_agencies_iface_init (RcrpStoreInterface *iface)
{
  iface->import_agencies = rcrp_sqlite_store_import_agencies;
  iface->list_agencies = rcrp_sqlite_store_list_agencies;
  iface->set_agency_state = rcrp_sqlite_store_set_agency_state;
  iface->list_referrals = rcrp_sqlite_store_list_referrals;
  iface->list_pending_referrals = rcrp_sqlite_store_list_pending_referrals;
  iface->respond_to_referral = rcrp_sqlite_store_respond_to_referral;
  iface->undo_decision = rcrp_sqlite_store_undo_decision;
}

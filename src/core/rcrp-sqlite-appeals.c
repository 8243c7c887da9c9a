/* rcrp-sqlite-appeals.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rcrp-sqlite-store-private.h"

#define MAX_GROUNDS_CHARS 2000
#define MAX_NAME_CHARS 120

/* Free text given by callers and partners can name people. The chain
 * holds its SHA-256, so the text is tamper-evident yet can be erased under
 * the retention period without breaking the chain; the text itself is in
 * the appeals and disputes tables.
 */
static char *
text_digest (const char *text)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

static char *
builder_to_string (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
}

static char *
trimmed (const char *text)
{
  return g_strstrip (g_strdup (text != NULL ? text : ""));
}

static int
local_year (GDateTime *at)
{
  g_autoptr(GTimeZone) tz = rcrp_agency_area_time_zone ();
  g_autoptr(GDateTime) local = g_date_time_to_timezone (at, tz);

  return g_date_time_get_year (local);
}

static GDateTime *
nullable_time (sqlite3_stmt *stmt,
               int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;

  return _rcrp_sqlite_time_from_column (sqlite3_column_int64 (stmt, column));
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

/* Appeals */

#define APPEAL_COLUMNS \
  "a.id, a.reference, a.call_id, c.cad_ref, a.decision_event_id, a.appealed_outcome, a.appellant, " \
  "a.appellant_name, a.grounds, a.lodged_at, a.lodged_by, a.state, a.resolved_at, a.resolved_by, " \
  "a.rationale, a.new_outcome"

static RcrpAppeal *
appeal_from_row (sqlite3_stmt *stmt)
{
  RcrpAppeal *appeal = g_new0 (RcrpAppeal, 1);

  appeal->id = sqlite3_column_int64 (stmt, 0);
  appeal->reference = column_dup (stmt, 1);
  appeal->call_id = sqlite3_column_int64 (stmt, 2);
  appeal->cad_ref = column_dup (stmt, 3);
  appeal->decision_event_id = sqlite3_column_int64 (stmt, 4);
  appeal->appealed_outcome = column_dup (stmt, 5);
  rcrp_appellant_from_string ((const char *) sqlite3_column_text (stmt, 6), &appeal->appellant);
  appeal->appellant_name = column_dup (stmt, 7);
  appeal->grounds = column_dup (stmt, 8);
  appeal->lodged_at = nullable_time (stmt, 9);
  appeal->lodged_by = column_dup (stmt, 10);
  rcrp_appeal_state_from_string ((const char *) sqlite3_column_text (stmt, 11), &appeal->state);
  appeal->resolved_at = nullable_time (stmt, 12);
  appeal->resolved_by = column_dup (stmt, 13);
  appeal->rationale = column_dup (stmt, 14);
  appeal->new_outcome = column_dup (stmt, 15);

  return appeal;
}

static RcrpAppeal *
read_appeal (RcrpSqliteStore  *self,
             const char       *reference,
             GError          **error)
{
  g_autoptr(RcrpCachedStatement) stmt = NULL;
  int rc;

  stmt = _rcrp_sqlite_statement (self,
                                 "SELECT " APPEAL_COLUMNS " FROM appeals a JOIN calls c ON c.id = a.call_id "
                                 "WHERE a.reference = ?1",
                                 error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, reference, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return appeal_from_row (stmt);

  if (rc == SQLITE_DONE)
    g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_NOT_FOUND,
                 _("There is no appeal %s."), reference);
  else
    _rcrp_sqlite_set_error (self, rc, _("reading an appeal"), error);

  return NULL;
}

static RcrpAppeal *
rcrp_sqlite_store_lodge_appeal (RcrpStore      *store,
                                gint64          call_id,
                                RcrpAppellant   appellant,
                                const char     *appellant_name,
                                const char     *grounds,
                                GError        **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  g_autoptr(GDateTime) now = rcrp_clock_now (self->clock);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *clean_grounds = trimmed (grounds);
  g_autofree char *clean_name = trimmed (appellant_name);
  g_autofree char *outcome = NULL;
  g_autofree char *reference = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *digest = NULL;
  gint64 decision_event_id, event_id, number;
  int year, rc;

  if (appellant > RCRP_APPELLANT_OTHER)
    {
      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_INVALID, _("Say who is appealing."));
      return NULL;
    }
  if (*clean_grounds == '\0')
    {
      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_INVALID,
                   _("Write down the grounds of the appeal, as the appellant gives them."));
      return NULL;
    }
  if (g_utf8_strlen (clean_grounds, -1) > MAX_GROUNDS_CHARS)
    {
      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_INVALID,
                   _("The grounds are longer than %d characters."), MAX_GROUNDS_CHARS);
      return NULL;
    }
  if (appellant == RCRP_APPELLANT_PARTNER_AGENCY && *clean_name == '\0')
    {
      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_INVALID,
                   _("Name the partner agency that is appealing."));
      return NULL;
    }
  if (g_utf8_strlen (clean_name, -1) > MAX_NAME_CHARS)
    {
      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_INVALID,
                   _("The appellant’s name is longer than %d characters."), MAX_NAME_CHARS);
      return NULL;
    }

  if (!_rcrp_sqlite_require (self, RCRP_PERMISSION_LODGE_APPEAL, error))
    return NULL;

  if (!_rcrp_sqlite_begin (self, error))
    return NULL;

  {
    g_autoptr(RcrpCachedStatement) stmt = NULL;

    stmt = _rcrp_sqlite_statement (self,
                                   "SELECT c.outcome, "
                                   "  (SELECT MAX (d.id) FROM events d WHERE d.call_id = c.id AND d.kind = 'call.decided' "
                                   "     AND d.id NOT IN (SELECT decision_event_id FROM undone_decisions)), "
                                   "  (SELECT reference FROM appeals a WHERE a.call_id = c.id AND a.state = 'open') "
                                   "FROM calls c WHERE c.id = ?1",
                                   error);
    if (stmt == NULL)
      goto failed;

    sqlite3_bind_int64 (stmt, 1, call_id);
    rc = sqlite3_step (stmt);
    if (rc == SQLITE_DONE)
      {
        g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_NOT_FOUND,
                     _("No call with id %" G_GINT64_FORMAT), call_id);
        goto failed;
      }
    if (rc != SQLITE_ROW)
      {
        _rcrp_sqlite_set_error (self, rc, _("lodging an appeal"), error);
        goto failed;
      }

    if (sqlite3_column_type (stmt, 0) == SQLITE_NULL)
      {
        g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_INVALID,
                     _("No decision has been made on this call yet, so there is nothing to appeal."));
        goto failed;
      }
    if (g_str_equal ((const char *) sqlite3_column_text (stmt, 0), "police_deployed"))
      {
        g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_INVALID,
                     _("Police are being deployed to this call: only a decision not to send police can be appealed."));
        goto failed;
      }
    if (sqlite3_column_type (stmt, 2) != SQLITE_NULL)
      {
        g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_CONFLICT,
                     _("Appeal %s on this call is already waiting for a supervisor."),
                     (const char *) sqlite3_column_text (stmt, 2));
        goto failed;
      }

    outcome = column_dup (stmt, 0);
    decision_event_id = sqlite3_column_int64 (stmt, 1);
  }

  /* Numbered inside the write lock: no two workstations get one number. */
  year = local_year (now);
  {
    g_autoptr(RcrpCachedStatement) stmt = NULL;

    stmt = _rcrp_sqlite_statement (self, "SELECT COALESCE (MAX (number), 0) + 1 FROM appeals WHERE year = ?1", error);
    if (stmt == NULL)
      goto failed;
    sqlite3_bind_int (stmt, 1, year);
    rc = sqlite3_step (stmt);
    if (rc != SQLITE_ROW)
      {
        _rcrp_sqlite_set_error (self, rc, _("lodging an appeal"), error);
        goto failed;
      }
    number = sqlite3_column_int64 (stmt, 0);
  }
  reference = g_strdup_printf ("ESC-%04d-%06" G_GINT64_FORMAT, year, number);

  digest = text_digest (clean_grounds);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "reference");
  json_builder_add_string_value (builder, reference);
  json_builder_set_member_name (builder, "decision_event_id");
  json_builder_add_int_value (builder, decision_event_id);
  json_builder_set_member_name (builder, "appealed_outcome");
  json_builder_add_string_value (builder, outcome);
  json_builder_set_member_name (builder, "appellant");
  json_builder_add_string_value (builder, rcrp_appellant_to_string (appellant));
  if (appellant == RCRP_APPELLANT_PARTNER_AGENCY)
    {
      json_builder_set_member_name (builder, "appellant_name");
      json_builder_add_string_value (builder, clean_name);
    }
  json_builder_set_member_name (builder, "grounds_sha256");
  json_builder_add_string_value (builder, digest);
  json_builder_end_object (builder);
  payload = builder_to_string (builder);

  event_id = _rcrp_sqlite_insert_event (self, now, "appeal.lodged", call_id, payload, error);
  if (event_id < 0)
    goto failed;

  {
    g_autoptr(RcrpCachedStatement) stmt = NULL;

    stmt = _rcrp_sqlite_statement (self,
                                   "INSERT INTO appeals (reference, year, number, call_id, decision_event_id, "
                                   "  appealed_outcome, appellant, appellant_name, grounds, lodged_at, lodged_by, state) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'open')",
                                   error);
    if (stmt == NULL)
      goto failed;
    sqlite3_bind_text (stmt, 1, reference, -1, SQLITE_STATIC);
    sqlite3_bind_int (stmt, 2, year);
    sqlite3_bind_int64 (stmt, 3, number);
    sqlite3_bind_int64 (stmt, 4, call_id);
    sqlite3_bind_int64 (stmt, 5, decision_event_id);
    sqlite3_bind_text (stmt, 6, outcome, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 7, rcrp_appellant_to_string (appellant), -1, SQLITE_STATIC);
    if (*clean_name != '\0')
      sqlite3_bind_text (stmt, 8, clean_name, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 9, clean_grounds, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 10, _rcrp_sqlite_time_to_column (now));
    sqlite3_bind_text (stmt, 11, self->operator_name, -1, SQLITE_STATIC);
    if (!_rcrp_sqlite_step_done (self, stmt, _("lodging an appeal"), error))
      goto failed;
  }

  {
    g_autoptr(RcrpCachedStatement) stmt = NULL;

    stmt = _rcrp_sqlite_statement (self, "UPDATE calls SET on_hold = 1, appeal_state = 'open', updated_at = ?2 WHERE id = ?1", error);
    if (stmt == NULL)
      goto failed;
    sqlite3_bind_int64 (stmt, 1, call_id);
    sqlite3_bind_int64 (stmt, 2, _rcrp_sqlite_time_to_column (now));
    if (!_rcrp_sqlite_step_done (self, stmt, _("lodging an appeal"), error))
      goto failed;
  }

  /* The call is the supervisor's now: whoever was working it lets go. */
  {
    g_autoptr(RcrpCachedStatement) stmt = _rcrp_sqlite_statement (self, "DELETE FROM claims WHERE call_id = ?1", error);

    if (stmt == NULL)
      goto failed;
    sqlite3_bind_int64 (stmt, 1, call_id);
    if (!_rcrp_sqlite_step_done (self, stmt, _("lodging an appeal"), error))
      goto failed;
  }

  if (!_rcrp_sqlite_commit (self, error))
    return NULL;

  return read_appeal (self, reference, error);

failed:
  _rcrp_sqlite_rollback (self);
  return NULL;
}

/* An overturn to an outcome other than police is checked against the
 * threshold like any decision, on the checklist it carries or, without
 * one, on the appealed decision's (its answers and any override it made),
 * which the supervisor is reviewing. */
static gboolean
check_overturn_threshold (RcrpSqliteStore  *self,
                          RcrpAppeal       *appeal,
                          RcrpDecision     *overturn,
                          GError          **error)
{
  g_autoptr(RcrpCachedStatement) stmt = NULL;
  RcrpCategory category = RCRP_CATEGORY_MENTAL_HEALTH_OTHER;
  RcrpTriageRules *rules;
  int rc;

  if (g_strcmp0 (rcrp_decision_get_outcome (overturn), "police_deployed") == 0)
    return TRUE;

  rules = _rcrp_sqlite_rules_in_force (error);
  if (rules == NULL)
    return FALSE;

  stmt = _rcrp_sqlite_statement (self,
                                 "SELECT c.category, e.payload FROM calls c LEFT JOIN events e "
                                 "  ON e.id = ?2 AND e.kind = 'call.decided' WHERE c.id = ?1",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, appeal->call_id);
  sqlite3_bind_int64 (stmt, 2, appeal->decision_event_id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return _rcrp_sqlite_set_error (self, rc, _("resolving an appeal"), error);

  rcrp_category_from_string ((const char *) sqlite3_column_text (stmt, 0), &category);
  if (rcrp_decision_get_answers_json (overturn) == NULL && sqlite3_column_type (stmt, 1) != SQLITE_NULL)
    {
      g_autoptr(RcrpDecision) appealed = rcrp_decision_new_from_json (appeal->call_id,
                                                                      (const char *) sqlite3_column_text (stmt, 1),
                                                                      NULL);

      if (appealed != NULL)
        {
          rcrp_decision_set_answers_json (overturn, rcrp_decision_get_answers_json (appealed));
          if (rcrp_decision_get_overrides (overturn)[0] == NULL)
            rcrp_decision_set_overrides (overturn, rcrp_decision_get_overrides (appealed));
        }
    }

  return rcrp_decision_check_threshold (overturn, rules, category, error);
}

static RcrpAppeal *
rcrp_sqlite_store_resolve_appeal (RcrpStore     *store,
                                  const char    *reference,
                                  RcrpDecision  *overturn,
                                  const char    *rationale,
                                  GError       **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  g_autoptr(GDateTime) now = rcrp_clock_now (self->clock);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(RcrpAppeal) appeal = NULL;
  g_autofree char *clean_rationale = trimmed (rationale);
  g_autofree char *payload = NULL;
  gint64 new_decision_id = 0;

  if (*clean_rationale == '\0')
    {
      g_set_error (error, RCRP_DECISION_ERROR, RCRP_DECISION_ERROR_RATIONALE_REQUIRED,
                   _("Write down the rationale for the review: it is required whether the appeal is upheld or not."));
      return NULL;
    }
  if (g_utf8_strlen (clean_rationale, -1) > MAX_GROUNDS_CHARS)
    {
      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_INVALID,
                   _("The rationale is longer than %d characters."), MAX_GROUNDS_CHARS);
      return NULL;
    }

  if (!_rcrp_sqlite_require (self, RCRP_PERMISSION_RESOLVE_APPEAL, error) ||
      (overturn != NULL && g_strcmp0 (rcrp_decision_get_outcome (overturn), "police_deployed") == 0 &&
       !_rcrp_sqlite_require (self, RCRP_PERMISSION_DEPLOY_POLICE, error)))
    return NULL;

  if (!_rcrp_sqlite_begin (self, error))
    return NULL;

  appeal = read_appeal (self, reference, error);
  if (appeal == NULL)
    goto failed;

  if (appeal->state != RCRP_APPEAL_OPEN)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (appeal->resolved_at);
      g_autofree char *when = g_date_time_format (local, "%H:%M");

      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_CONFLICT,
                   _("Appeal %s was already reviewed by %s at %s: %s."),
                   reference, appeal->resolved_by, when, rcrp_appeal_state_get_label (appeal->state));
      goto failed;
    }

  if (overturn != NULL)
    {
      if (rcrp_decision_get_call_id (overturn) != appeal->call_id)
        {
          g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_INVALID,
                       _("The new decision is for another call than appeal %s."), reference);
          goto failed;
        }
      if (g_strcmp0 (rcrp_decision_get_outcome (overturn), appeal->appealed_outcome) == 0 &&
          !g_str_equal (appeal->appealed_outcome, "referred"))
        {
          g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_INVALID,
                       _("Overturning needs another outcome than “%s”; to keep it, uphold the appeal."),
                       rcrp_outcome_get_label (appeal->appealed_outcome));
          goto failed;
        }
      if (rcrp_decision_get_rationale (overturn) == NULL)
        rcrp_decision_set_rationale (overturn, clean_rationale);
      if (!rcrp_decision_validate (overturn, error))
        goto failed;
      /* A supervisor's new outcome obeys the police threshold too. */
      if (!check_overturn_threshold (self, appeal, overturn, error))
        goto failed;

      /* The original decision stays; this one supersedes it. */
      new_decision_id = _rcrp_sqlite_store_decision (self, overturn, now, error);
      if (new_decision_id < 0)
        goto failed;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "reference");
  json_builder_add_string_value (builder, reference);
  json_builder_set_member_name (builder, "result");
  json_builder_add_string_value (builder, overturn != NULL ? "overturned" : "upheld");
  json_builder_set_member_name (builder, "rationale");
  json_builder_add_string_value (builder, clean_rationale);
  if (overturn != NULL)
    {
      json_builder_set_member_name (builder, "new_outcome");
      json_builder_add_string_value (builder, rcrp_decision_get_outcome (overturn));
      json_builder_set_member_name (builder, "new_decision_event_id");
      json_builder_add_int_value (builder, new_decision_id);
    }
  json_builder_set_member_name (builder, "review_minutes");
  json_builder_add_double_value (builder, g_date_time_difference (now, appeal->lodged_at) / (double) G_TIME_SPAN_MINUTE);
  json_builder_end_object (builder);
  payload = builder_to_string (builder);

  if (_rcrp_sqlite_insert_event (self, now, "appeal.resolved", appeal->call_id, payload, error) < 0)
    goto failed;

  {
    g_autoptr(RcrpCachedStatement) stmt = NULL;

    stmt = _rcrp_sqlite_statement (self,
                                   "UPDATE appeals SET state = ?2, resolved_at = ?3, resolved_by = ?4, "
                                   "  rationale = ?5, new_outcome = ?6 WHERE reference = ?1",
                                   error);
    if (stmt == NULL)
      goto failed;
    sqlite3_bind_text (stmt, 1, reference, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 2, overturn != NULL ? "overturned" : "upheld", -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 3, _rcrp_sqlite_time_to_column (now));
    sqlite3_bind_text (stmt, 4, self->operator_name, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 5, clean_rationale, -1, SQLITE_STATIC);
    if (overturn != NULL)
      sqlite3_bind_text (stmt, 6, rcrp_decision_get_outcome (overturn), -1, SQLITE_STATIC);
    if (!_rcrp_sqlite_step_done (self, stmt, _("recording a review"), error))
      goto failed;
  }

  {
    g_autoptr(RcrpCachedStatement) stmt = NULL;

    stmt = _rcrp_sqlite_statement (self,
                                   "UPDATE calls SET on_hold = 0, appeal_state = ?3, updated_at = ?2 WHERE id = ?1",
                                   error);
    if (stmt == NULL)
      goto failed;
    sqlite3_bind_int64 (stmt, 1, appeal->call_id);
    sqlite3_bind_int64 (stmt, 2, _rcrp_sqlite_time_to_column (now));
    sqlite3_bind_text (stmt, 3, overturn != NULL ? "overturned" : "upheld", -1, SQLITE_STATIC);
    if (!_rcrp_sqlite_step_done (self, stmt, _("recording a review"), error))
      goto failed;
  }

  if (!_rcrp_sqlite_commit (self, error))
    return NULL;

  if (overturn != NULL)
    _rcrp_decision_set_recorded (overturn, new_decision_id, now, self->operator_name, self->workstation);

  return read_appeal (self, reference, error);

failed:
  _rcrp_sqlite_rollback (self);
  return NULL;
}

static GPtrArray *
rcrp_sqlite_store_list_appeals (RcrpStore  *store,
                                gint64      call_id,
                                gboolean    open_only,
                                GError    **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  g_autoptr(RcrpCachedStatement) stmt = NULL;
  g_autoptr(GPtrArray) appeals = g_ptr_array_new_with_free_func ((GDestroyNotify) rcrp_appeal_free);
  int rc;

  stmt = _rcrp_sqlite_statement (self,
                                 "SELECT " APPEAL_COLUMNS " FROM appeals a JOIN calls c ON c.id = a.call_id "
                                 "WHERE (?1 = 0 OR a.call_id = ?1) AND (?2 = 0 OR a.state = 'open') ORDER BY a.id",
                                 error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, call_id);
  sqlite3_bind_int (stmt, 2, open_only);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (appeals, appeal_from_row (stmt));

  if (rc != SQLITE_DONE)
    {
      _rcrp_sqlite_set_error (self, rc, _("reading appeals"), error);
      return NULL;
    }

  return g_steal_pointer (&appeals);
}

/* Disputes */

#define DISPUTE_COLUMNS \
  "id, reference, kind, raised_by, summary, call_refs, state, opened_at, opened_by, changed_at, " \
  "learning, closed_at, closed_by"

static RcrpDispute *
dispute_from_row (sqlite3_stmt *stmt)
{
  RcrpDispute *dispute = g_new0 (RcrpDispute, 1);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GStrvBuilder) refs = g_strv_builder_new ();

  dispute->id = sqlite3_column_int64 (stmt, 0);
  dispute->reference = column_dup (stmt, 1);
  rcrp_dispute_kind_from_string ((const char *) sqlite3_column_text (stmt, 2), &dispute->kind);
  dispute->raised_by = column_dup (stmt, 3);
  dispute->summary = column_dup (stmt, 4);
  if (json_parser_load_from_data (parser, (const char *) sqlite3_column_text (stmt, 5), -1, NULL) &&
      JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
    {
      JsonArray *array = json_node_get_array (json_parser_get_root (parser));

      for (guint i = 0; i < json_array_get_length (array); i++)
        g_strv_builder_add (refs, json_array_get_string_element (array, i));
    }
  dispute->cad_refs = g_strv_builder_end (refs);
  rcrp_dispute_state_from_string ((const char *) sqlite3_column_text (stmt, 6), &dispute->state);
  dispute->opened_at = nullable_time (stmt, 7);
  dispute->opened_by = column_dup (stmt, 8);
  dispute->changed_at = nullable_time (stmt, 9);
  dispute->learning = column_dup (stmt, 10);
  dispute->closed_at = nullable_time (stmt, 11);
  dispute->closed_by = column_dup (stmt, 12);

  return dispute;
}

static RcrpDispute *
read_dispute (RcrpSqliteStore  *self,
              const char       *reference,
              GError          **error)
{
  g_autoptr(RcrpCachedStatement) stmt = NULL;
  int rc;

  stmt = _rcrp_sqlite_statement (self, "SELECT " DISPUTE_COLUMNS " FROM disputes WHERE reference = ?1", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, reference, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return dispute_from_row (stmt);

  if (rc == SQLITE_DONE)
    g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_NOT_FOUND, _("There is no dispute %s."), reference);
  else
    _rcrp_sqlite_set_error (self, rc, _("reading a dispute"), error);

  return NULL;
}

static RcrpDispute *
rcrp_sqlite_store_add_dispute (RcrpStore          *store,
                               RcrpDisputeKind     kind,
                               const char         *raised_by,
                               const char         *summary,
                               const char * const *cad_refs,
                               GError            **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  g_autoptr(GDateTime) now = rcrp_clock_now (self->clock);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonBuilder) refs_builder = json_builder_new ();
  g_autofree char *clean_by = trimmed (raised_by);
  g_autofree char *clean_summary = trimmed (summary);
  g_autofree char *refs_json = NULL;
  g_autofree char *reference = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *digest = NULL;
  gint64 number;
  int year, rc;

  if (kind > RCRP_DISPUTE_KIND_QUERY)
    {
      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_INVALID,
                   _("Say what it is: a dispute, a trend, a risk or a query."));
      return NULL;
    }
  if (*clean_by == '\0' || g_utf8_strlen (clean_by, -1) > MAX_NAME_CHARS)
    {
      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_INVALID,
                   _("Name who raised it (up to %d characters)."), MAX_NAME_CHARS);
      return NULL;
    }
  if (*clean_summary == '\0' || g_utf8_strlen (clean_summary, -1) > MAX_GROUNDS_CHARS)
    {
      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_INVALID,
                   _("Describe it (up to %d characters)."), MAX_GROUNDS_CHARS);
      return NULL;
    }

  if (!_rcrp_sqlite_require (self, RCRP_PERMISSION_ADD_DISPUTE, error))
    return NULL;

  if (!_rcrp_sqlite_begin (self, error))
    return NULL;

  json_builder_begin_array (refs_builder);
  for (guint i = 0; cad_refs != NULL && cad_refs[i] != NULL; i++)
    {
      g_autoptr(RcrpCachedStatement) stmt = _rcrp_sqlite_statement (self, "SELECT 1 FROM calls WHERE cad_ref = ?1", error);

      if (stmt == NULL)
        goto failed;
      sqlite3_bind_text (stmt, 1, cad_refs[i], -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_DONE)
        {
          g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_NOT_FOUND, _("No call with reference %s"), cad_refs[i]);
          goto failed;
        }
      if (rc != SQLITE_ROW)
        {
          _rcrp_sqlite_set_error (self, rc, _("logging a dispute"), error);
          goto failed;
        }
      json_builder_add_string_value (refs_builder, cad_refs[i]);
    }
  json_builder_end_array (refs_builder);
  refs_json = builder_to_string (refs_builder);

  year = local_year (now);
  {
    g_autoptr(RcrpCachedStatement) stmt = NULL;

    stmt = _rcrp_sqlite_statement (self, "SELECT COALESCE (MAX (number), 0) + 1 FROM disputes WHERE year = ?1", error);
    if (stmt == NULL)
      goto failed;
    sqlite3_bind_int (stmt, 1, year);
    rc = sqlite3_step (stmt);
    if (rc != SQLITE_ROW)
      {
        _rcrp_sqlite_set_error (self, rc, _("logging a dispute"), error);
        goto failed;
      }
    number = sqlite3_column_int64 (stmt, 0);
  }
  reference = g_strdup_printf ("DSP-%04d-%06" G_GINT64_FORMAT, year, number);

  digest = text_digest (clean_summary);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "reference");
  json_builder_add_string_value (builder, reference);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, rcrp_dispute_kind_to_string (kind));
  json_builder_set_member_name (builder, "raised_by");
  json_builder_add_string_value (builder, clean_by);
  json_builder_set_member_name (builder, "summary_sha256");
  json_builder_add_string_value (builder, digest);
  json_builder_set_member_name (builder, "cad_refs");
  {
    g_autoptr(JsonParser) parser = json_parser_new ();

    json_parser_load_from_data (parser, refs_json, -1, NULL);
    json_builder_add_value (builder, json_node_copy (json_parser_get_root (parser)));
  }
  json_builder_end_object (builder);
  payload = builder_to_string (builder);

  if (_rcrp_sqlite_insert_event (self, now, "dispute.added", 0, payload, error) < 0)
    goto failed;

  {
    g_autoptr(RcrpCachedStatement) stmt = NULL;

    stmt = _rcrp_sqlite_statement (self,
                                   "INSERT INTO disputes (reference, year, number, kind, raised_by, summary, call_refs, "
                                   "  state, opened_at, opened_by, changed_at) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'open', ?8, ?9, ?8)",
                                   error);
    if (stmt == NULL)
      goto failed;
    sqlite3_bind_text (stmt, 1, reference, -1, SQLITE_STATIC);
    sqlite3_bind_int (stmt, 2, year);
    sqlite3_bind_int64 (stmt, 3, number);
    sqlite3_bind_text (stmt, 4, rcrp_dispute_kind_to_string (kind), -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 5, clean_by, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 6, clean_summary, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 7, refs_json, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 8, _rcrp_sqlite_time_to_column (now));
    sqlite3_bind_text (stmt, 9, self->operator_name, -1, SQLITE_STATIC);
    if (!_rcrp_sqlite_step_done (self, stmt, _("logging a dispute"), error))
      goto failed;
  }

  if (!_rcrp_sqlite_commit (self, error))
    return NULL;

  return read_dispute (self, reference, error);

failed:
  _rcrp_sqlite_rollback (self);
  return NULL;
}

static RcrpDispute *
rcrp_sqlite_store_set_dispute_state (RcrpStore         *store,
                                     const char        *reference,
                                     RcrpDisputeState   state,
                                     const char        *learning,
                                     GError           **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  g_autoptr(GDateTime) now = rcrp_clock_now (self->clock);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(RcrpDispute) dispute = NULL;
  g_autofree char *clean_learning = trimmed (learning);
  g_autofree char *payload = NULL;

  if (state == RCRP_DISPUTE_OPEN || state > RCRP_DISPUTE_CLOSED)
    {
      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_INVALID,
                   _("A dispute moves on to under review or closed."));
      return NULL;
    }
  if (state == RCRP_DISPUTE_CLOSED && *clean_learning == '\0')
    {
      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_INVALID,
                   _("Record the learning to close the dispute."));
      return NULL;
    }
  if (g_utf8_strlen (clean_learning, -1) > MAX_GROUNDS_CHARS)
    {
      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_INVALID,
                   _("The learning is longer than %d characters."), MAX_GROUNDS_CHARS);
      return NULL;
    }

  if (!_rcrp_sqlite_require (self, state == RCRP_DISPUTE_CLOSED ? RCRP_PERMISSION_CLOSE_DISPUTE
                                                               : RCRP_PERMISSION_ADD_DISPUTE, error))
    return NULL;

  if (!_rcrp_sqlite_begin (self, error))
    return NULL;

  dispute = read_dispute (self, reference, error);
  if (dispute == NULL)
    goto failed;

  if (dispute->state == RCRP_DISPUTE_CLOSED)
    {
      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_CONFLICT,
                   _("Dispute %s was closed by %s."), reference, dispute->closed_by);
      goto failed;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "reference");
  json_builder_add_string_value (builder, reference);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, rcrp_dispute_state_to_string (state));
  if (*clean_learning != '\0')
    {
      json_builder_set_member_name (builder, "learning");
      json_builder_add_string_value (builder, clean_learning);
    }
  json_builder_end_object (builder);
  payload = builder_to_string (builder);

  if (_rcrp_sqlite_insert_event (self, now, state == RCRP_DISPUTE_CLOSED ? "dispute.closed" : "dispute.review",
                                 0, payload, error) < 0)
    goto failed;

  {
    g_autoptr(RcrpCachedStatement) stmt = NULL;

    stmt = _rcrp_sqlite_statement (self,
                                   "UPDATE disputes SET state = ?2, changed_at = ?3, "
                                   "  learning = CASE WHEN ?2 = 'closed' THEN ?4 ELSE learning END, "
                                   "  closed_at = CASE WHEN ?2 = 'closed' THEN ?3 END, "
                                   "  closed_by = CASE WHEN ?2 = 'closed' THEN ?5 END "
                                   "WHERE reference = ?1",
                                   error);
    if (stmt == NULL)
      goto failed;
    sqlite3_bind_text (stmt, 1, reference, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 2, rcrp_dispute_state_to_string (state), -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 3, _rcrp_sqlite_time_to_column (now));
    sqlite3_bind_text (stmt, 4, clean_learning, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 5, self->operator_name, -1, SQLITE_STATIC);
    if (!_rcrp_sqlite_step_done (self, stmt, _("updating a dispute"), error))
      goto failed;
  }

  if (!_rcrp_sqlite_commit (self, error))
    return NULL;

  return read_dispute (self, reference, error);

failed:
  _rcrp_sqlite_rollback (self);
  return NULL;
}

static GPtrArray *
rcrp_sqlite_store_list_disputes (RcrpStore  *store,
                                 int         state,
                                 int         kind,
                                 GError    **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  g_autoptr(RcrpCachedStatement) stmt = NULL;
  g_autoptr(GPtrArray) disputes = g_ptr_array_new_with_free_func ((GDestroyNotify) rcrp_dispute_free);
  int rc;

  stmt = _rcrp_sqlite_statement (self,
                                 "SELECT " DISPUTE_COLUMNS " FROM disputes "
                                 "WHERE (?1 IS NULL OR state = ?1) AND (?2 IS NULL OR kind = ?2) ORDER BY id DESC",
                                 error);
  if (stmt == NULL)
    return NULL;

  if (state >= 0)
    sqlite3_bind_text (stmt, 1, rcrp_dispute_state_to_string (state), -1, SQLITE_STATIC);
  if (kind >= 0)
    sqlite3_bind_text (stmt, 2, rcrp_dispute_kind_to_string (kind), -1, SQLITE_STATIC);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (disputes, dispute_from_row (stmt));

  if (rc != SQLITE_DONE)
    {
      _rcrp_sqlite_set_error (self, rc, _("reading disputes"), error);
      return NULL;
    }

  return g_steal_pointer (&disputes);
}

void
_rcrp_sqlite_appeals_iface_init (RcrpStoreInterface *iface)
{
  iface->lodge_appeal = rcrp_sqlite_store_lodge_appeal;
  iface->resolve_appeal = rcrp_sqlite_store_resolve_appeal;
  iface->list_appeals = rcrp_sqlite_store_list_appeals;
  iface->add_dispute = rcrp_sqlite_store_add_dispute;
  iface->set_dispute_state = rcrp_sqlite_store_set_dispute_state;
  iface->list_disputes = rcrp_sqlite_store_list_disputes;
}

/* rcrp-sqlite-summary.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "rcrp-sqlite-store-private.h"

static gboolean
rcrp_sqlite_store_foreach_summary_row (RcrpStore          *store,
                                       GDateTime          *from,
                                       GDateTime          *to,
                                       gboolean            include_personal,
                                       RcrpSummaryRowFunc  func,
                                       gpointer            user_data,
                                       GCancellable       *cancellable,
                                       GError            **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  g_autoptr(RcrpCachedStatement) stmt = NULL;
  g_autoptr(RcrpVersionReader) reader = include_personal ? _rcrp_version_reader_new (self) : NULL;
  guint n = 0;
  int rc;

  /* One range scan in order of receipt over the calls' current state
   * (kept with each decision, undo and appeal). The stored document is
   * read only when personal data was asked for. */
#define SUMMARY_COLUMNS \
  "c.id, c.cad_ref, c.received_at, c.category, c.grade, c.outcome, c.subject_sex, c.subject_ethnicity, " \
  "c.age_band, c.first_decided_at, c.decided_at, c.decided_by, c.agency, c.appeal_state"
#define SUMMARY_RANGE "WHERE c.received_at >= ?1 AND c.received_at < ?2 ORDER BY c.received_at, c.id"

  if (include_personal)
    stmt = _rcrp_sqlite_statement (self,
                                   "SELECT " SUMMARY_COLUMNS ", v.body, v.document_id, v.byte_offset, v.byte_length "
                                   "FROM calls c LEFT JOIN call_versions v ON v.id = c.current_version " SUMMARY_RANGE,
                                   error);
  else
    stmt = _rcrp_sqlite_statement (self, "SELECT " SUMMARY_COLUMNS " FROM calls c " SUMMARY_RANGE, error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, _rcrp_sqlite_time_to_column (from));
  sqlite3_bind_int64 (stmt, 2, _rcrp_sqlite_time_to_column (to));

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GDateTime) received_at = _rcrp_sqlite_time_from_column (sqlite3_column_int64 (stmt, 2));
      g_autoptr(GDateTime) decided_at = NULL;
      g_autoptr(RcrpCall) call = NULL;
      RcrpSummaryRow row = { 0, };

      if (++n % 1024 == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      row.call_id = sqlite3_column_int64 (stmt, 0);
      row.cad_ref = (const char *) sqlite3_column_text (stmt, 1);
      row.received_at = received_at;
      row.received_unix = g_date_time_to_unix (received_at);
      row.category = RCRP_CATEGORY_MENTAL_HEALTH_OTHER;
      rcrp_category_from_string ((const char *) sqlite3_column_text (stmt, 3), &row.category);
      row.grade = sqlite3_column_int (stmt, 4);
      row.outcome = (const char *) sqlite3_column_text (stmt, 5);
      row.sex = (const char *) sqlite3_column_text (stmt, 6);
      row.ethnicity = (const char *) sqlite3_column_text (stmt, 7);
      row.age_band = (const char *) sqlite3_column_text (stmt, 8);
      row.minutes_to_decision = -1;
      if (row.outcome != NULL && sqlite3_column_type (stmt, 9) != SQLITE_NULL)
        {
          row.minutes_to_decision = (sqlite3_column_int64 (stmt, 9) - sqlite3_column_int64 (stmt, 2)) / 60e6;
          row.first_decided = TRUE;
        }
      if (row.outcome != NULL && sqlite3_column_type (stmt, 10) != SQLITE_NULL)
        {
          decided_at = _rcrp_sqlite_time_from_column (sqlite3_column_int64 (stmt, 10));
          row.decided_at = decided_at;
          row.decided_by = (const char *) sqlite3_column_text (stmt, 11);
          row.agency = (const char *) sqlite3_column_text (stmt, 12);
        }
      row.appeal_result = (const char *) sqlite3_column_text (stmt, 13);

      /* Versions are read back in order of receipt, so each document is
       * read once. One that cannot be read leaves its row without names,
       * as a body that was not an object did before. */
      if (include_personal && sqlite3_column_type (stmt, 15) != SQLITE_NULL)
        call = _rcrp_version_reader_read (reader, (const char *) sqlite3_column_text (stmt, 14),
                                          sqlite3_column_int64 (stmt, 15), sqlite3_column_int64 (stmt, 16),
                                          sqlite3_column_int64 (stmt, 17), NULL);
      if (call != NULL)
        {
          row.subject_name = rcrp_call_get_subject_name (call);
          row.caller_name = rcrp_call_get_caller_name (call);
          row.caller_phone = rcrp_call_get_caller_phone (call);
          row.address = rcrp_call_get_address (call);
          row.postcode = rcrp_call_get_postcode (call);
        }

      if (!func (&row, user_data, error))
        return FALSE;
    }

  if (rc != SQLITE_DONE)
    return _rcrp_sqlite_set_error (self, rc, _("summarising calls"), error);

  return TRUE;
}

static gboolean
rcrp_sqlite_store_foreach_summary_count (RcrpStore           *store,
                                         GDateTime           *from,
                                         GDateTime           *to,
                                         RcrpSummaryRowFunc   func,
                                         gpointer             user_data,
                                         GCancellable        *cancellable,
                                         GError             **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = NULL;
  gboolean ok = TRUE;
  guint n = 0;
  int rc;

  /* Through a read-only connection of its own, as the chain walk does: a
   * month's pass holds up nobody writing meanwhile, and its dozen calls
   * into SQLite a row take no lock. The columns a summary counts and no
   * more, no time made for each call: little more than the scan itself. */
  rc = sqlite3_open_v2 (self->path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_busy_timeout (db, BUSY_TIMEOUT_MSEC);
      rc = sqlite3_prepare_v2 (db,
                               "SELECT received_at, category, grade, outcome, "
                               "  CASE WHEN outcome IS NOT NULL THEN first_decided_at - received_at END, "
                               "  CASE WHEN decided_at IS NOT NULL THEN agency END, "
                               "  subject_sex, subject_ethnicity, age_band "
                               "FROM calls WHERE received_at >= ?1 AND received_at < ?2",
                               -1, &stmt, NULL);
    }
  if (rc != SQLITE_OK)
    {
      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_OPEN,
                   _("Cannot open %s to summarise its calls: %s"), self->path,
                   db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      sqlite3_finalize (stmt);
      sqlite3_close (db);
      return FALSE;
    }

  sqlite3_bind_int64 (stmt, 1, _rcrp_sqlite_time_to_column (from));
  sqlite3_bind_int64 (stmt, 2, _rcrp_sqlite_time_to_column (to));

  while (ok && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 received = sqlite3_column_int64 (stmt, 0);
      RcrpSummaryRow row = { 0, };

      if (++n % 1024 == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          ok = FALSE;
          break;
        }

      /* Whole seconds, rounded down as g_date_time_to_unix() does. */
      row.received_unix = received >= 0 ? received / G_USEC_PER_SEC : -((-received + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
      row.category = RCRP_CATEGORY_MENTAL_HEALTH_OTHER;
      rcrp_category_from_string ((const char *) sqlite3_column_text (stmt, 1), &row.category);
      row.grade = sqlite3_column_int (stmt, 2);
      row.outcome = (const char *) sqlite3_column_text (stmt, 3);
      row.minutes_to_decision = -1;
      if (sqlite3_column_type (stmt, 4) != SQLITE_NULL)
        {
          row.minutes_to_decision = sqlite3_column_int64 (stmt, 4) / 60e6;
          row.first_decided = TRUE;
        }
      row.agency = (const char *) sqlite3_column_text (stmt, 5);
      row.sex = (const char *) sqlite3_column_text (stmt, 6);
      row.ethnicity = (const char *) sqlite3_column_text (stmt, 7);
      row.age_band = (const char *) sqlite3_column_text (stmt, 8);

      ok = func (&row, user_data, error);
    }

  if (ok && rc != SQLITE_DONE)
    {
      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_FAILED,
                   _("Cannot summarise the calls: %s"), sqlite3_errmsg (db));
      ok = FALSE;
    }

  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return ok;
}

static int
compare_minutes (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static gboolean
rcrp_sqlite_store_decision_minutes (RcrpStore     *store,
                                    GDateTime     *from,
                                    GDateTime     *to,
                                    const double  *fractions,
                                    guint          n_fractions,
                                    double        *values,
                                    double        *max,
                                    gint64        *count,
                                    GError       **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  int rc;

  *count = 0;
  *max = -1;
  for (guint i = 0; i < n_fractions; i++)
    values[i] = -1;

  {
    g_autoptr(RcrpCachedStatement) stmt = NULL;
    g_autoptr(GArray) minutes = g_array_new (FALSE, FALSE, sizeof (double));

    /* One pass over the range, the decided calls' times sorted here:
     * eight bytes a decided call, where a sorted temporary table cost
     * the database a sort and a B-tree of them, several times the scan. */
    stmt = _rcrp_sqlite_statement (self,
                                   "SELECT c.first_decided_at - c.received_at FROM calls c "
                                   "WHERE c.received_at >= ?1 AND c.received_at < ?2 AND c.outcome IS NOT NULL "
                                   "  AND c.first_decided_at IS NOT NULL",
                                   error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, _rcrp_sqlite_time_to_column (from));
    sqlite3_bind_int64 (stmt, 2, _rcrp_sqlite_time_to_column (to));

    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        double value = sqlite3_column_int64 (stmt, 0) / 60000000.0;

        *max = minutes->len > 0 ? MAX (*max, value) : value;
        g_array_append_val (minutes, value);
      }
    if (rc != SQLITE_DONE)
      return _rcrp_sqlite_set_error (self, rc, _("summarising decision times"), error);

    *count = minutes->len;
    if (*count == 0)
      return TRUE;

    g_array_sort (minutes, compare_minutes);

    for (guint i = 0; i < n_fractions; i++)
      {
        double position = fractions[i] * (*count - 1);
        gint64 lower = (gint64) floor (position);
        double weight = position - lower;
        double a = g_array_index (minutes, double, lower);
        double b = lower + 1 < *count ? g_array_index (minutes, double, lower + 1) : a;

        values[i] = a + weight * (b - a);
      }
  }

  return TRUE;
}

static GPtrArray *
rcrp_sqlite_store_referral_counts (RcrpStore  *store,
                                   GDateTime  *from,
                                   GDateTime  *to,
                                   GError    **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  g_autoptr(RcrpCachedStatement) stmt = NULL;
  g_autoptr(GPtrArray) counts = g_ptr_array_new_with_free_func ((GDestroyNotify) rcrp_referral_counts_free);
  int rc;

  stmt = _rcrp_sqlite_statement (self,
                                 "SELECT r.agency_id, SUM (r.state != 'withdrawn' OR r.reason IS NOT 'undone'), "
                                 "  SUM (r.state = 'accepted'), SUM (r.state = 'declined'), "
                                 "  SUM (r.state = 'pending'), SUM (r.state = 'withdrawn' AND r.reason IS NOT 'undone'), "
                                 "  AVG (CASE WHEN r.state = 'accepted' THEN (r.responded_at - r.referred_at) / 60000000.0 END), "
                                 "  SUM (r.state = 'withdrawn' AND r.reason IS 'undone') "
                                 "FROM referrals r JOIN calls c ON c.id = r.call_id "
                                 "WHERE c.received_at >= ?1 AND c.received_at < ?2 "
                                 "GROUP BY r.agency_id ORDER BY r.agency_id",
                                 error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, _rcrp_sqlite_time_to_column (from));
  sqlite3_bind_int64 (stmt, 2, _rcrp_sqlite_time_to_column (to));

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RcrpReferralCounts *c = g_new0 (RcrpReferralCounts, 1);

      c->agency_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      c->referred = sqlite3_column_int (stmt, 1);
      c->accepted = sqlite3_column_int (stmt, 2);
      c->declined = sqlite3_column_int (stmt, 3);
      c->pending = sqlite3_column_int (stmt, 4);
      c->withdrawn = sqlite3_column_int (stmt, 5);
      c->mean_minutes_to_accept = sqlite3_column_type (stmt, 6) == SQLITE_NULL ? -1 : sqlite3_column_double (stmt, 6);
      c->undone = sqlite3_column_int (stmt, 7);
      g_ptr_array_add (counts, c);
    }

  if (rc != SQLITE_DONE)
    {
      _rcrp_sqlite_set_error (self, rc, _("summarising referrals"), error);
      return NULL;
    }

  return g_steal_pointer (&counts);
}

static gboolean
rcrp_sqlite_store_escalation_counts (RcrpStore             *store,
                                     GDateTime             *from,
                                     GDateTime             *to,
                                     RcrpEscalationCounts  *counts,
                                     GError               **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  int rc;

  memset (counts, 0, sizeof *counts);
  counts->mean_review_minutes = -1;

  {
    g_autoptr(RcrpCachedStatement) stmt = NULL;

    /* From the few appeals to their calls, not from a month of calls to
     * look for appeals. */
    stmt = _rcrp_sqlite_statement (self,
                                   "SELECT COUNT (*), SUM (a.state = 'upheld'), SUM (a.state = 'overturned'), "
                                   "  SUM (a.state = 'open'), "
                                   "  AVG (CASE WHEN a.state != 'open' THEN (a.resolved_at - a.lodged_at) / 60000000.0 END) "
                                   "FROM appeals a CROSS JOIN calls c ON c.id = a.call_id "
                                   "WHERE c.received_at >= ?1 AND c.received_at < ?2",
                                   error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, _rcrp_sqlite_time_to_column (from));
    sqlite3_bind_int64 (stmt, 2, _rcrp_sqlite_time_to_column (to));
    rc = sqlite3_step (stmt);
    if (rc != SQLITE_ROW)
      return _rcrp_sqlite_set_error (self, rc, _("summarising appeals"), error);
    counts->urgent_appeals = sqlite3_column_int (stmt, 0);
    counts->upheld = sqlite3_column_int (stmt, 1);
    counts->overturned = sqlite3_column_int (stmt, 2);
    counts->open = sqlite3_column_int (stmt, 3);
    if (sqlite3_column_type (stmt, 4) != SQLITE_NULL)
      counts->mean_review_minutes = sqlite3_column_double (stmt, 4);
  }

  {
    g_autoptr(RcrpCachedStatement) stmt = NULL;

    /* Disputes about a call in the interval, or about no call and logged in it. */
    stmt = _rcrp_sqlite_statement (self,
                                   "SELECT COUNT (*) FROM disputes d WHERE "
                                   "  (d.call_refs = '[]' AND d.opened_at >= ?1 AND d.opened_at < ?2) OR "
                                   "  EXISTS (SELECT 1 FROM json_each (d.call_refs) j JOIN calls c ON c.cad_ref = j.value "
                                   "          WHERE c.received_at >= ?1 AND c.received_at < ?2)",
                                   error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, _rcrp_sqlite_time_to_column (from));
    sqlite3_bind_int64 (stmt, 2, _rcrp_sqlite_time_to_column (to));
    rc = sqlite3_step (stmt);
    if (rc != SQLITE_ROW)
      return _rcrp_sqlite_set_error (self, rc, _("summarising disputes"), error);
    counts->disputes_after_incident = sqlite3_column_int (stmt, 0);
  }

  return TRUE;
}

static gint64
rcrp_sqlite_store_log_export (RcrpStore   *store,
                              GDateTime   *from,
                              GDateTime   *to,
                              const char  *format,
                              gboolean     include_personal,
                              const char  *destination,
                              GError     **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  g_autoptr(GDateTime) now = rcrp_clock_now (self->clock);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *from_text = g_date_time_format_iso8601 (from);
  g_autofree char *to_text = g_date_time_format_iso8601 (to);
  g_autofree char *payload = NULL;
  gint64 event_id;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "from");
  json_builder_add_string_value (builder, from_text);
  json_builder_set_member_name (builder, "to");
  json_builder_add_string_value (builder, to_text);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, format);
  json_builder_set_member_name (builder, "personal_data");
  json_builder_add_boolean_value (builder, include_personal);
  json_builder_set_member_name (builder, "destination");
  json_builder_add_string_value (builder, destination);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  payload = json_generator_to_data (generator, NULL);

  if (!_rcrp_sqlite_require (self, include_personal ? RCRP_PERMISSION_EXPORT_PERSONAL : RCRP_PERMISSION_EXPORT, error))
    return -1;

  if (!_rcrp_sqlite_begin (self, error))
    return -1;

  event_id = _rcrp_sqlite_insert_event (self, now, "summary.exported", 0, payload, error);
  if (event_id < 0 || !_rcrp_sqlite_commit (self, error))
    {
      _rcrp_sqlite_rollback (self);
      return -1;
    }

  return event_id;
}

void
_rcrp_sqlite_summary_iface_init (RcrpStoreInterface *iface)
{
  iface->foreach_summary_row = rcrp_sqlite_store_foreach_summary_row;
  iface->foreach_summary_count = rcrp_sqlite_store_foreach_summary_count;
  iface->decision_minutes = rcrp_sqlite_store_decision_minutes;
  iface->referral_counts = rcrp_sqlite_store_referral_counts;
  iface->escalation_counts = rcrp_sqlite_store_escalation_counts;
  iface->log_export = rcrp_sqlite_store_log_export;
}

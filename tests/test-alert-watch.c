/* test-alert-watch.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rcrp-test-util.h"

#include "rcrp-alert-watch.h"
#include "rcrp-text.h"
#include "rcrp-clock.h"
#include "rcrp-feed.h"
#include "rcrp-sqlite-store.h"
#include "rcrp-test-decision.h"

typedef struct
{
  char      *folder;
  char      *path;
  RcrpClock *clock;
  RcrpStore *store;   /* this workstation */
  RcrpStore *other;   /* another workstation on the same database */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 22, 15, 0, 0);

  fixture->folder = g_dir_make_tmp ("rcrp-alert-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->folder, "shift.db", NULL);
  fixture->clock = rcrp_fixed_clock_new (now);
  fixture->store = rcrp_sqlite_store_open (fixture->path, fixture->clock, "me", "ws-1", &error);
  g_assert_no_error (error);
  fixture->other = rcrp_sqlite_store_open (fixture->path, fixture->clock, "other", "ws-2", &error);
  g_assert_no_error (error);
  /* "me" made the database and is its administrator; "other" coordinates. */
  g_assert_true (rcrp_store_add_user (fixture->store, "other", RCRP_ROLE_COORDINATOR, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_assert_finalize_object (fixture->store);
  g_assert_finalize_object (fixture->other);
  g_clear_object (&fixture->clock);
  g_clear_pointer (&fixture->path, g_free);
  rcrp_test_remove_tree (fixture->folder);
  g_clear_pointer (&fixture->folder, g_free);
}

static const char *people =
  ", \"subject\": {\"name\": \"Jane Doe\", \"age\": 41}"
  ", \"caller\": {\"name\": \"John Smith\", \"phone\": \"07700 900123\", \"relationship\": \"family\"}"
  ", \"location\": {\"address\": \"12 Acacia Avenue, Southampton\", \"postcode\": \"SO16 6YD\"}";

static char *
call_json (const char *cad_ref,
           int         grade,
           const char *received_at,
           const char *summary,
           const char *extra)
{
  return g_strdup_printf ("{\"schema\": \"rcrp.call/1\", \"cad_ref\": \"%s\", "
                          "\"received_at\": \"%s\", \"category\": \"concern_for_welfare\", "
                          "\"initial_grade\": %d, \"summary\": \"%s\"%s}",
                          cad_ref, received_at, grade, summary, extra != NULL ? extra : "");
}

static void
ingest_text (RcrpStore  *store,
             const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) document = g_bytes_new (text, strlen (text));
  g_autoptr(GPtrArray) calls = rcrp_feed_parse_bytes (document, "t.json", &error);

  g_assert_no_error (error);
  g_assert_true (rcrp_store_ingest (store, "t.json", document, calls, NULL, &error));
  g_assert_no_error (error);
}

static void
ingest (RcrpStore  *store,
        const char *cad_ref,
        int         grade,
        const char *received_at,
        const char *summary,
        const char *extra)
{
  g_autofree char *text = call_json (cad_ref, grade, received_at, summary, extra);

  ingest_text (store, text);
}

static RcrpCall *
parse_call (const char *summary,
            const char *extra)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = call_json ("P-1", 2, "2026-11-22T14:00:00Z", summary, extra);
  g_autoptr(GBytes) document = g_bytes_new (text, strlen (text));
  g_autoptr(GPtrArray) calls = rcrp_feed_parse_bytes (document, "t.json", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (calls->len, ==, 1);

  return g_object_ref (g_ptr_array_index (calls, 0));
}

static GPtrArray *
look (RcrpAlertWatch *watch)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *alerts = rcrp_alert_watch_look (watch, &error);

  g_assert_no_error (error);
  g_assert_nonnull (alerts);

  return alerts;
}

static RcrpAlertWatch *
started_watch (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  RcrpAlertWatch *watch = rcrp_alert_watch_new (fixture->store, fixture->clock);

  g_assert_true (rcrp_alert_watch_start (watch, &error));
  g_assert_no_error (error);

  return watch;
}

static void
advance (Fixture *fixture,
         int      minutes)
{
  rcrp_fixed_clock_advance (RCRP_FIXED_CLOCK (fixture->clock), minutes * G_TIME_SPAN_MINUTE);
}

static gint64
call_id (RcrpStore  *store,
         const char *cad_ref)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcrpCall) call = rcrp_store_get_call (store, cad_ref, &error);

  g_assert_no_error (error);
  return rcrp_call_get_id (call);
}

static void
assert_no_personal_data (const char *text)
{
  const char *personal[] = { "Jane", "Doe", "John", "Smith", "07700", "900123", "Acacia", "SO16", "6YD" };

  for (guint i = 0; i < G_N_ELEMENTS (personal); i++)
    if (strstr (text, personal[i]) != NULL)
      g_error ("“%s” leaks “%s”", text, personal[i]);
}

static void
test_headline_leaves_out_names (void)
{
  g_autoptr(RcrpCall) call = parse_call ("John Smith reports his sister Jane Doe is at 12 Acacia Avenue, "
                                         "SO16 6YD; call back on 07700 900123 or +44 7700-900-123. "
                                         "Smith's neighbour: doe-eyed MRS DOE\\nJane has a knife",
                                         people);
  g_autofree char *headline = rcrp_alert_dup_headline (call, NULL, 0);

  g_assert_cmpstr (headline, ==,
                   "[name] reports his sister [name] is at [address], [address]; call back on [number] "
                   "or +[number]. [name]'s neighbour: [name]-eyed MRS [name]");
  assert_no_personal_data (headline);
}

static void
test_headline_keeps_little_words (void)
{
  g_autoptr(RcrpCall) call = parse_call ("Ward 4 staff say the man in bed 12 left at 13:40",
                                         ", \"caller\": {\"name\": \"Nurse in charge\"}");
  g_autofree char *headline = rcrp_alert_dup_headline (call, NULL, 0);

  g_assert_cmpstr (headline, ==, "Ward 4 staff say the man in bed 12 left at 13:40");
}

static void
test_headline_is_cut_at_a_word (void)
{
  g_autoptr(RcrpCall) call = parse_call ("Neighbour reports shouting from the flat above for an hour", NULL);
  g_autofree char *headline = rcrp_alert_dup_headline (call, NULL, 30);

  g_assert_cmpstr (headline, ==, "Neighbour reports shouting…");
  g_assert_cmpint (g_utf8_strlen (headline, -1), <=, 30);
}

static void
test_urgency_follows_grade (void)
{
  g_assert_cmpint (rcrp_alert_urgency_for_grade (1), ==, RCRP_ALERT_URGENCY_CRITICAL);
  g_assert_cmpint (rcrp_alert_urgency_for_grade (2), ==, RCRP_ALERT_URGENCY_NORMAL);
  g_assert_cmpint (rcrp_alert_urgency_for_grade (3), ==, RCRP_ALERT_URGENCY_NORMAL);
  g_assert_cmpint (rcrp_alert_urgency_for_grade (4), ==, RCRP_ALERT_URGENCY_LOW);
}

static void
test_appeal_and_agency_alerts (void)
{
  g_autoptr(RcrpCall) call = parse_call ("Sister worried", people);
  g_autoptr(RcrpAlert) urgent = rcrp_alert_new_appeal (call, "Jane Doe's GP says she is at risk tonight", TRUE);
  g_autoptr(RcrpAlert) plain = rcrp_alert_new_appeal (call, "Please review", FALSE);
  g_autoptr(RcrpAlert) closed = rcrp_alert_new_agency ("crisis-cafe", "Crisis café", RCRP_AGENCY_ALERT_CLOSED, 3, 7);
  g_autoptr(RcrpAlert) full = rcrp_alert_new_agency ("crisis-cafe", "Crisis café", RCRP_AGENCY_ALERT_AT_CAPACITY, 1, 0);

  g_assert_cmpint (urgent->urgency, ==, RCRP_ALERT_URGENCY_CRITICAL);
  g_assert_cmpstr (urgent->title, ==, "Urgent appeal: grade 2 call P-1");
  g_assert_cmpstr (urgent->body, ==, "Concern for welfare — [name]'s GP says she is at risk tonight");
  g_assert_cmpstr (urgent->key, ==, plain->key);
  g_assert_cmpint (plain->urgency, ==, RCRP_ALERT_URGENCY_NORMAL);

  g_assert_cmpstr (closed->title, ==, "Crisis café has closed");
  g_assert_cmpstr (closed->body, ==, "3 pending referrals depend on it.");
  g_assert_cmpint (closed->call_id, ==, 7);
  g_assert_cmpstr (full->title, ==, "Crisis café is at capacity");
  g_assert_cmpstr (full->body, ==, "1 pending referral depends on it.");
  g_assert_cmpstr (closed->key, ==, full->key);
}

static void
test_new_call_from_any_workstation (Fixture       *fixture,
                                    gconstpointer  user_data)
{
  g_autoptr(RcrpAlertWatch) watch = started_watch (fixture);
  g_autoptr(GPtrArray) none = look (watch);
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(GPtrArray) again = NULL;
  RcrpAlert *alert;

  g_assert_cmpuint (none->len, ==, 0);

  ingest (fixture->other, "HC-1", 1, "2026-11-22T14:59:00Z", "Jane Doe's brother John Smith called", people);
  alerts = look (watch);

  g_assert_cmpuint (alerts->len, ==, 1);
  alert = g_ptr_array_index (alerts, 0);
  g_assert_cmpint (alert->kind, ==, RCRP_ALERT_NEW_CALL);
  g_assert_cmpint (alert->urgency, ==, RCRP_ALERT_URGENCY_CRITICAL);
  g_assert_cmpstr (alert->title, ==, "New grade 1 call: Concern for welfare");
  g_assert_cmpstr (alert->body, ==, "HC-1 — [name]'s brother [name] called");
  g_assert_cmpint (alert->call_id, ==, call_id (fixture->store, "HC-1"));
  g_assert_cmpstr (alert->cad_ref, ==, "HC-1");
  assert_no_personal_data (alert->title);

  /* Our own ingest (the spool at this workstation) is the C&C system's news too. */
  ingest (fixture->store, "HC-2", 3, "2026-11-22T14:59:00Z", "Walked out", NULL);
  again = look (watch);
  g_assert_cmpuint (again->len, ==, 1);
  g_assert_cmpstr (((RcrpAlert *) g_ptr_array_index (again, 0))->cad_ref, ==, "HC-2");

  g_assert_finalize_object (g_steal_pointer (&watch));
}

static void
test_calls_there_at_start_are_not_new (Fixture       *fixture,
                                       gconstpointer  user_data)
{
  g_autoptr(RcrpAlertWatch) watch = NULL;
  g_autoptr(GPtrArray) alerts = NULL;

  ingest (fixture->other, "OLD-1", 2, "2026-11-22T14:58:00Z", "Earlier", NULL);
  watch = started_watch (fixture);
  alerts = look (watch);

  g_assert_cmpuint (alerts->len, ==, 0);
}

static void
test_update_replaces (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(RcrpAlertWatch) watch = started_watch (fixture);
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  g_autoptr(GPtrArray) claimed = NULL;
  RcrpAlert *new_alert, *updated;
  g_autoptr(GError) error = NULL;

  ingest (fixture->other, "UP-1", 3, "2026-11-22T14:59:00Z", "Concern", NULL);
  first = look (watch);
  ingest (fixture->other, "UP-1", 2, "2026-11-22T14:59:00Z", "Concern, now with a knife", NULL);
  second = look (watch);

  g_assert_cmpuint (first->len, ==, 1);
  g_assert_cmpuint (second->len, ==, 1);
  new_alert = g_ptr_array_index (first, 0);
  updated = g_ptr_array_index (second, 0);
  g_assert_cmpint (updated->kind, ==, RCRP_ALERT_CALL_UPDATED);
  g_assert_cmpstr (updated->key, ==, new_alert->key);
  g_assert_cmpstr (updated->title, ==, "Updated grade 2 call: Concern for welfare");

  /* A claim changes nothing the coordinator needs telling. */
  g_assert_true (rcrp_store_claim_call (fixture->other, call_id (fixture->store, "UP-1"), "s", G_TIME_SPAN_HOUR,
                                        FALSE, NULL, &error));
  g_assert_no_error (error);
  claimed = look (watch);
  g_assert_cmpuint (claimed->len, ==, 0);
}

static void
test_decision_withdraws (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(RcrpAlertWatch) watch = started_watch (fixture);
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) decided = NULL;
  g_autoptr(GPtrArray) later = NULL;
  g_autoptr(RcrpDecision) decision = NULL;
  g_autoptr(GError) error = NULL;
  RcrpAlert *alert;

  ingest (fixture->other, "DEC-1", 1, "2026-11-22T14:59:00Z", "Concern", NULL);
  first = look (watch);
  g_assert_cmpuint (first->len, ==, 1);

  decision = rcrp_decision_new (call_id (fixture->store, "DEC-1"), "signposted", "signposted");
  rcrp_test_rule_out_police (decision);
  g_assert_cmpint (rcrp_store_record_decision (fixture->other, decision, &error), >, 0);
  g_assert_no_error (error);

  decided = look (watch);
  g_assert_cmpuint (decided->len, ==, 1);
  alert = g_ptr_array_index (decided, 0);
  g_assert_cmpint (alert->kind, ==, RCRP_ALERT_CALL_DECIDED);
  g_assert_cmpstr (alert->key, ==, ((RcrpAlert *) g_ptr_array_index (first, 0))->key);

  /* Decided calls are never late. */
  advance (fixture, 600);
  later = look (watch);
  g_assert_cmpuint (later->len, ==, 0);
}

static void
test_waiting_said_once_per_target (Fixture       *fixture,
                                   gconstpointer  user_data)
{
  g_autoptr(RcrpAlertWatch) watch = started_watch (fixture);
  g_autoptr(GPtrArray) arrived = NULL;
  g_autoptr(GPtrArray) at_4 = NULL;
  g_autoptr(GPtrArray) at_6 = NULL;
  g_autoptr(GPtrArray) at_8 = NULL;
  g_autoptr(GPtrArray) at_11 = NULL;
  g_autoptr(GPtrArray) at_11_again = NULL;
  RcrpAlert *alert;

  ingest (fixture->other, "W-1", 1, "2026-11-22T15:00:00Z", "Jane Doe threatening to jump", people);
  arrived = look (watch);
  g_assert_cmpuint (arrived->len, ==, 1);

  advance (fixture, 4);
  at_4 = look (watch);
  g_assert_cmpuint (at_4->len, ==, 0);

  advance (fixture, 2);
  at_6 = look (watch);
  g_assert_cmpuint (at_6->len, ==, 1);
  alert = g_ptr_array_index (at_6, 0);
  g_assert_cmpint (alert->kind, ==, RCRP_ALERT_CALL_WAITING);
  g_assert_cmpint (alert->urgency, ==, RCRP_ALERT_URGENCY_CRITICAL);
  g_assert_cmpstr (alert->title, ==, "Grade 1 call waiting 6 min: Concern for welfare");
  g_assert_cmpstr (alert->body, ==, "W-1 — [name] threatening to jump\nNo decision yet; the target for grade 1 is 5 min.");
  g_assert_cmpstr (alert->key, ==, ((RcrpAlert *) g_ptr_array_index (arrived, 0))->key);

  advance (fixture, 2);
  at_8 = look (watch);
  g_assert_cmpuint (at_8->len, ==, 0);

  advance (fixture, 3);
  at_11 = look (watch);
  g_assert_cmpuint (at_11->len, ==, 1);
  at_11_again = look (watch);
  g_assert_cmpuint (at_11_again->len, ==, 0);
}

static gboolean
past_target (Fixture    *fixture,
             const char *cad_ref,
             int         target_minutes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcrpCall) call = rcrp_store_get_call (fixture->store, cad_ref, &error);
  g_autoptr(GDateTime) now = rcrp_clock_now (fixture->clock);

  g_assert_no_error (error);
  return rcrp_call_is_past_target (call, now, target_minutes);
}

/* The queue row's "past the target" (rcrp_call_is_past_target()) and the
 * overdue alert follow one rule: late from the first second past the
 * target, never once decided. */
static void
test_row_and_alert_agree_on_late (Fixture       *fixture,
                                  gconstpointer  user_data)
{
  g_autoptr(RcrpAlertWatch) watch = started_watch (fixture);
  g_autoptr(GPtrArray) arrived = NULL;
  g_autoptr(GPtrArray) at_target = NULL;
  g_autoptr(GPtrArray) just_past = NULL;
  g_autoptr(RcrpDecision) decision = NULL;
  g_autoptr(GError) error = NULL;

  ingest (fixture->other, "L-1", 1, "2026-11-22T15:00:00Z", "Threatening to jump", NULL);
  arrived = look (watch);
  g_assert_false (past_target (fixture, "L-1", 5));

  advance (fixture, 5);
  at_target = look (watch);
  g_assert_cmpuint (at_target->len, ==, 0);
  g_assert_false (past_target (fixture, "L-1", 5));

  rcrp_fixed_clock_advance (RCRP_FIXED_CLOCK (fixture->clock), G_TIME_SPAN_SECOND);
  just_past = look (watch);
  g_assert_cmpuint (just_past->len, ==, 1);
  g_assert_cmpint (((RcrpAlert *) g_ptr_array_index (just_past, 0))->kind, ==, RCRP_ALERT_CALL_WAITING);
  g_assert_true (past_target (fixture, "L-1", 5));
  /* Another grade's target is another matter. */
  g_assert_false (past_target (fixture, "L-1", 15));

  decision = rcrp_decision_new (call_id (fixture->store, "L-1"), "signposted", "signposted");
  rcrp_test_rule_out_police (decision);
  g_assert_cmpint (rcrp_store_record_decision (fixture->other, decision, &error), >, 0);
  g_assert_no_error (error);
  g_assert_false (past_target (fixture, "L-1", 5));
}

/* A backlog's oldest call reads as the queue says it ("11 d 2 h"), not
 * as a count of hours no one reads at a glance. */
static void
test_waiting_days_as_the_queue_says (Fixture       *fixture,
                                     gconstpointer  user_data)
{
  g_autoptr(RcrpAlertWatch) watch = NULL;
  g_autoptr(GPtrArray) alerts = NULL;
  g_autofree char *queue_words = NULL;
  g_autofree char *expected = NULL;
  RcrpAlert *alert;

  ingest (fixture->other, "OLD", 3, "2026-11-11T13:00:00Z", "Left waiting", NULL);
  watch = started_watch (fixture);

  alerts = look (watch);
  g_assert_cmpuint (alerts->len, ==, 1);
  alert = g_ptr_array_index (alerts, 0);
  g_assert_cmpstr (alert->title, ==, "Grade 3 call waiting 11 d 2 h: Concern for welfare");

  queue_words = rcrp_format_waiting ((11 * 24 + 2) * 60 * 60);
  expected = g_strdup_printf ("Grade 3 call waiting %s: Concern for welfare", queue_words);
  g_assert_cmpstr (alert->title, ==, expected);

  {
    g_autofree char *seconds = rcrp_format_waiting (59);
    g_autofree char *minutes = rcrp_format_waiting (12 * 60);
    g_autofree char *hours = rcrp_format_waiting (65 * 60);

    g_assert_cmpstr (seconds, ==, "just now");
    g_assert_cmpstr (minutes, ==, "12 min");
    g_assert_cmpstr (hours, ==, "1 h 05 min");
  }
}

static void
test_waiting_at_start_and_targets (Fixture       *fixture,
                                   gconstpointer  user_data)
{
  g_autoptr(RcrpAlertWatch) watch = NULL;
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  RcrpAlert *alert;

  /* Two hours old at start: grade 3 (60 min) is late, grade 4 (240) is not. */
  ingest (fixture->other, "G3", 3, "2026-11-22T13:00:00Z", "Late", NULL);
  ingest (fixture->other, "G4", 4, "2026-11-22T13:00:00Z", "Not yet", NULL);
  watch = started_watch (fixture);

  first = look (watch);
  g_assert_cmpuint (first->len, ==, 1);
  alert = g_ptr_array_index (first, 0);
  g_assert_cmpstr (alert->cad_ref, ==, "G3");
  g_assert_cmpstr (alert->title, ==, "Grade 3 call waiting 2 h 00 min: Concern for welfare");
  g_assert_cmpint (alert->urgency, ==, RCRP_ALERT_URGENCY_NORMAL);

  rcrp_alert_watch_set_target_minutes (watch, 4, 90);
  g_assert_cmpint (rcrp_alert_watch_get_target_minutes (watch, 4), ==, 90);
  second = look (watch);
  g_assert_cmpuint (second->len, ==, 1);
  alert = g_ptr_array_index (second, 0);
  g_assert_cmpstr (alert->cad_ref, ==, "G4");
  /* Late is worth more than a grade 4's usual low urgency. */
  g_assert_cmpint (alert->urgency, ==, RCRP_ALERT_URGENCY_NORMAL);
}

static void
test_burst_comes_in_one_look (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autoptr(RcrpAlertWatch) watch = started_watch (fixture);
  g_autoptr(GString) document = g_string_new ("[");
  g_autoptr(GPtrArray) alerts = NULL;
  guint grade_1 = 0;

  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *cad_ref = g_strdup_printf ("B-%02u", i);
      g_autofree char *text = call_json (cad_ref, i < 3 ? 1 : 3, "2026-11-22T14:59:00Z", "Burst", NULL);

      g_string_append_printf (document, "%s%s", i > 0 ? ", " : "", text);
    }
  g_string_append (document, "]");
  ingest_text (fixture->other, document->str);

  alerts = look (watch);
  g_assert_cmpuint (alerts->len, ==, 20);
  for (guint i = 0; i < alerts->len; i++)
    {
      RcrpAlert *alert = g_ptr_array_index (alerts, i);

      g_assert_cmpint (alert->kind, ==, RCRP_ALERT_NEW_CALL);
      grade_1 += alert->grade == 1;
    }
  g_assert_cmpuint (grade_1, ==, 3);
}

/* A store that counts what the watch reads through it, passing everything
 * on to the real one: the watch sees only the RcrpStore interface. */
#define TEST_TYPE_COUNTING_STORE (test_counting_store_get_type ())
G_DECLARE_FINAL_TYPE (TestCountingStore, test_counting_store, TEST, COUNTING_STORE, GObject)

struct _TestCountingStore
{
  GObject    parent_instance;
  RcrpStore *inner;
  guint64    calls_read;     /* calls read, whole or as queue rows */
  guint64    rows_read;      /* every row: calls, ids, events, waiting calls, notes */
};

static void test_counting_store_iface_init (RcrpStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestCountingStore, test_counting_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RCRP_TYPE_STORE, test_counting_store_iface_init))

#define INNER(store) (TEST_COUNTING_STORE (store)->inner)
#define COUNT(store, calls, rows) \
  G_STMT_START { TEST_COUNTING_STORE (store)->calls_read += (calls); \
                 TEST_COUNTING_STORE (store)->rows_read += (rows); } G_STMT_END

static guint64
counting_get_change_stamp (RcrpStore *store)
{
  return rcrp_store_get_change_stamp (INNER (store));
}

static gint64
counting_get_last_event_id (RcrpStore  *store,
                            GError    **error)
{
  return rcrp_store_get_last_event_id (INNER (store), error);
}

static GArray *
counting_changed_calls (RcrpStore  *store,
                        gint64      after_event_id,
                        gint64     *last_event_id,
                        GError    **error)
{
  GArray *ids = rcrp_store_changed_calls (INNER (store), after_event_id, last_event_id, error);

  if (ids != NULL)
    COUNT (store, 0, ids->len);
  return ids;
}

static GArray *
counting_list_filtered_ids (RcrpStore              *store,
                            const RcrpQueueFilter  *filter,
                            GError                **error)
{
  GArray *ids = rcrp_store_list_filtered_ids (INNER (store), filter, error);

  if (ids != NULL)
    COUNT (store, 0, ids->len);
  return ids;
}

static GPtrArray *
counting_get_calls_by_id (RcrpStore     *store,
                          const gint64  *ids,
                          guint          n_ids,
                          GError       **error)
{
  GPtrArray *calls = rcrp_store_get_calls_by_id (INNER (store), ids, n_ids, error);

  if (calls != NULL)
    COUNT (store, calls->len, calls->len);
  return calls;
}

static RcrpCall *
counting_get_call (RcrpStore   *store,
                   const char  *cad_ref,
                   GError     **error)
{
  COUNT (store, 1, 1);
  return rcrp_store_get_call (INNER (store), cad_ref, error);
}

static GPtrArray *
counting_list_call_changes (RcrpStore  *store,
                            gint64      after_event_id,
                            guint       limit,
                            gint64     *last_event_id,
                            GError    **error)
{
  GPtrArray *changes = rcrp_store_list_call_changes (INNER (store), after_event_id, limit, last_event_id, error);

  if (changes != NULL)
    COUNT (store, 0, changes->len);
  return changes;
}

static GArray *
counting_list_waiting (RcrpStore              *store,
                       guint                   marks,
                       int                     grade,
                       gint64                  received_before,
                       const RcrpWaitingCall  *after,
                       guint                   limit,
                       GError                **error)
{
  GArray *calls = rcrp_store_list_waiting (INNER (store), marks, grade, received_before, after, limit, error);

  if (calls != NULL)
    COUNT (store, 0, calls->len);
  return calls;
}

static GArray *
counting_list_marked (RcrpStore  *store,
                      guint       marks,
                      int         grade,
                      gint64      marked_before,
                      guint       limit,
                      GError    **error)
{
  GArray *calls = rcrp_store_list_marked (INNER (store), marks, grade, marked_before, limit, error);

  if (calls != NULL)
    COUNT (store, 0, calls->len);
  return calls;
}

static gboolean
counting_set_mark (RcrpStore  *store,
                   guint       marks,
                   gint64      call_id,
                   int         grade,
                   gint64      marked_at,
                   GError    **error)
{
  return rcrp_store_set_mark (INNER (store), marks, call_id, grade, marked_at, error);
}

static gboolean
counting_clear_marks (RcrpStore  *store,
                      guint       marks,
                      gint64      call_id,
                      GError    **error)
{
  return rcrp_store_clear_marks (INNER (store), marks, call_id, error);
}

static void
test_counting_store_iface_init (RcrpStoreInterface *iface)
{
  iface->get_change_stamp = counting_get_change_stamp;
  iface->get_last_event_id = counting_get_last_event_id;
  iface->changed_calls = counting_changed_calls;
  iface->list_filtered_ids = counting_list_filtered_ids;
  iface->get_calls_by_id = counting_get_calls_by_id;
  iface->get_call = counting_get_call;
  iface->list_call_changes = counting_list_call_changes;
  iface->list_waiting = counting_list_waiting;
  iface->list_marked = counting_list_marked;
  iface->set_mark = counting_set_mark;
  iface->clear_marks = counting_clear_marks;
}

static void
test_counting_store_finalize (GObject *object)
{
  g_clear_object (&TEST_COUNTING_STORE (object)->inner);

  G_OBJECT_CLASS (test_counting_store_parent_class)->finalize (object);
}

static void
test_counting_store_class_init (TestCountingStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_counting_store_finalize;
}

static void
test_counting_store_init (TestCountingStore *self)
{
}

/* @n calls of @grade received at @received_at, in one document. */
static void
ingest_backlog (RcrpStore  *store,
                const char *prefix,
                guint       n,
                int         grade,
                const char *received_at)
{
  g_autoptr(GString) document = g_string_new ("[");

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *cad_ref = g_strdup_printf ("%s-%05u", prefix, i);
      g_autofree char *text = call_json (cad_ref, grade, received_at, "Backlog", NULL);

      g_string_append_printf (document, "%s%s", i > 0 ? ", " : "", text);
    }
  g_string_append (document, "]");
  ingest_text (store, document->str);
}

/* Looks until a look says nothing, counting what each call was said as. */
static guint
look_until_quiet (RcrpAlertWatch *watch,
                  GHashTable     *said,
                  guint          *most_in_a_look)
{
  guint looks = 0;

  for (;;)
    {
      g_autoptr(GPtrArray) alerts = look (watch);

      if (alerts->len == 0)
        return looks;

      looks++;
      g_assert_cmpuint (looks, <, 1000);
      *most_in_a_look = MAX (*most_in_a_look, alerts->len);
      for (guint i = 0; i < alerts->len; i++)
        {
          RcrpAlert *alert = g_ptr_array_index (alerts, i);

          g_assert_cmpint (alert->kind, ==, RCRP_ALERT_CALL_WAITING);
          /* Once per target period, never twice in one walk. */
          g_assert_false (g_hash_table_contains (said, alert->cad_ref));
          g_hash_table_add (said, g_strdup (alert->cad_ref));
        }
    }
}

static void
test_backlog_said_a_page_at_a_time (Fixture       *fixture,
                                    gconstpointer  user_data)
{
  g_autoptr(RcrpAlertWatch) watch = NULL;
  g_autoptr(GHashTable) said = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) again = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) decided_alerts = NULL;
  g_autoptr(RcrpDecision) decision = NULL;
  g_autoptr(GError) error = NULL;
  guint most = 0, most_again = 0;
  guint looks;

  /* An outage's worth: 300 grade 1 calls an hour late, one decided. */
  ingest_backlog (fixture->other, "BL", 300, 1, "2026-11-22T13:55:00Z");
  decision = rcrp_decision_new (call_id (fixture->store, "BL-00007"), "signposted", "signposted");
  rcrp_test_rule_out_police (decision);
  g_assert_cmpint (rcrp_store_record_decision (fixture->other, decision, &error), >, 0);
  g_assert_no_error (error);

  watch = started_watch (fixture);
  looks = look_until_quiet (watch, said, &most);

  /* Every late call is said, each once, a page at a time. */
  g_assert_cmpuint (g_hash_table_size (said), ==, 299);
  g_assert_false (g_hash_table_contains (said, "BL-00007"));
  g_assert_cmpuint (most, <, 100);
  g_assert_cmpuint (looks, >=, 3);

  /* Said again a target period later, and only then. */
  advance (fixture, 4);
  decided_alerts = look (watch);
  g_assert_cmpuint (decided_alerts->len, ==, 0);
  advance (fixture, 2);
  look_until_quiet (watch, again, &most_again);
  g_assert_cmpuint (g_hash_table_size (again), ==, 299);
  g_assert_cmpuint (most_again, <, 100);
}

static void
test_backlog_reads_a_bounded_amount (Fixture       *fixture,
                                     gconstpointer  user_data)
{
  g_autoptr(TestCountingStore) counting = g_object_new (TEST_TYPE_COUNTING_STORE, NULL);
  g_autoptr(RcrpAlertWatch) watch = NULL;
  g_autoptr(GError) error = NULL;
  guint64 calls_before, rows_before;
  guint said = 0;

  /* Two thousand open calls, none late yet (grade 4: four hours). */
  ingest_backlog (fixture->other, "BIG", 2000, 4, "2026-11-22T14:00:00Z");
  counting->inner = g_object_ref (fixture->store);
  watch = rcrp_alert_watch_new (RCRP_STORE (counting), fixture->clock);

  /* Starting reads nothing of the open calls. */
  g_assert_true (rcrp_alert_watch_start (watch, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counting->calls_read, ==, 0);
  g_assert_cmpuint (counting->rows_read, <=, 10);

  /* Nor does a look while none is late, however often. */
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(GPtrArray) alerts = look (watch);

      g_assert_cmpuint (alerts->len, ==, 0);
    }
  g_assert_cmpuint (counting->calls_read, ==, 0);
  g_assert_cmpuint (counting->rows_read, <=, 10);

  /* All of them late at once: each look reads a page, not the backlog. */
  advance (fixture, 4 * 60);
  for (guint i = 0; said < 2000; i++)
    {
      g_autoptr(GPtrArray) alerts = NULL;

      g_assert_cmpuint (i, <, 1000);
      calls_before = counting->calls_read;
      rows_before = counting->rows_read;
      alerts = look (watch);
      said += alerts->len;
      g_assert_cmpuint (alerts->len, >, 0);
      g_assert_cmpuint (counting->calls_read - calls_before, <=, 2 * 100);
      g_assert_cmpuint (counting->rows_read - rows_before, <=, 2 * 100 + 4 * 300);
    }
  g_assert_cmpuint (said, ==, 2000);

  g_assert_finalize_object (g_steal_pointer (&watch));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/alert/headline-leaves-out-names-numbers-and-places", test_headline_leaves_out_names);
  g_test_add_func ("/alert/headline-keeps-little-words", test_headline_keeps_little_words);
  g_test_add_func ("/alert/headline-is-cut-at-a-word", test_headline_is_cut_at_a_word);
  g_test_add_func ("/alert/urgency-follows-grade", test_urgency_follows_grade);
  g_test_add_func ("/alert/appeal-and-agency-alerts", test_appeal_and_agency_alerts);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/alert-watch/new-call-from-any-workstation", test_new_call_from_any_workstation);
  ADD ("/alert-watch/calls-there-at-start-are-not-new", test_calls_there_at_start_are_not_new);
  ADD ("/alert-watch/update-replaces-and-claims-say-nothing", test_update_replaces);
  ADD ("/alert-watch/decision-withdraws", test_decision_withdraws);
  ADD ("/alert-watch/waiting-said-once-per-target-period", test_waiting_said_once_per_target);
  ADD ("/alert-watch/waiting-at-start-and-changed-targets", test_waiting_at_start_and_targets);
  ADD ("/alert-watch/waiting-days-as-the-queue-says", test_waiting_days_as_the_queue_says);
  ADD ("/alert-watch/row-and-alert-agree-on-late", test_row_and_alert_agree_on_late);
  ADD ("/alert-watch/burst-comes-in-one-look", test_burst_comes_in_one_look);
  ADD ("/alert-watch/backlog-said-a-page-at-a-time", test_backlog_said_a_page_at_a_time);
  ADD ("/alert-watch/backlog-reads-a-bounded-amount", test_backlog_reads_a_bounded_amount);

#undef ADD

  return g_test_run ();
}

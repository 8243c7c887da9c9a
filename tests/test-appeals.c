/* test-appeals.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rcrp-test-util.h"

#include <gio/gio.h>

#include "rcrp-alert.h"
#include "rcrp-feed.h"
#include "rcrp-sqlite-store.h"
#include "rcrp-test-decision.h"

typedef struct
{
  char      *folder;
  char      *path;
  RcrpClock *clock;
  RcrpStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 ("2026-11-24T10:00:00Z", NULL);

  fixture->folder = g_dir_make_tmp ("rcrp-appeals-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->folder, "shift.db", NULL);
  fixture->clock = rcrp_fixed_clock_new (now);
  fixture->store = rcrp_sqlite_store_open (fixture->path, fixture->clock, "alice", "ws-1", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->clock);
  rcrp_test_remove_tree (fixture->folder);
  g_clear_pointer (&fixture->path, g_free);
  g_clear_pointer (&fixture->folder, g_free);
}

static gint64
ingest_call (RcrpStore  *store,
             const char *cad_ref,
             int         grade)
{
  g_autofree char *text = g_strdup_printf ("{\"schema\": \"rcrp.call/1\", \"cad_ref\": \"%s\", "
                                           "\"received_at\": \"2026-11-24T09:50:00Z\", "
                                           "\"category\": \"concern_for_welfare\", \"initial_grade\": %d, "
                                           "\"summary\": \"Daughter worried about her father\"}",
                                           cad_ref, grade);
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) calls = rcrp_feed_parse_bytes (bytes, "test", &error);
  g_autoptr(RcrpCall) call = NULL;
  RcrpIngestResult result;

  g_assert_no_error (error);
  g_assert_true (rcrp_store_ingest (store, "test", bytes, calls, &result, &error));
  g_assert_no_error (error);
  call = rcrp_store_get_call (store, cad_ref, &error);
  g_assert_no_error (error);

  return rcrp_call_get_id (call);
}

static gint64
decide (RcrpStore  *store,
        gint64      call_id,
        const char *outcome)
{
  g_autoptr(RcrpDecision) decision = rcrp_decision_new (call_id, outcome, outcome);
  g_autoptr(GError) error = NULL;
  gint64 id;

  if (g_str_equal (outcome, "referred"))
    rcrp_decision_set_agency (decision, "crisis-team");
  rcrp_test_rule_out_police (decision);
  id = rcrp_store_record_decision (store, decision, &error);
  g_assert_no_error (error);

  return id;
}

static void
test_only_non_deploy_outcomes (Fixture       *fixture,
                               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcrpAppeal) appeal = NULL;
  gint64 undecided = ingest_call (fixture->store, "CAD-1", 2);
  gint64 deployed = ingest_call (fixture->store, "CAD-2", 2);
  gint64 signposted = ingest_call (fixture->store, "CAD-3", 3);
  gint64 last;

  /* Nothing decided: nothing to appeal. */
  appeal = rcrp_store_lodge_appeal (fixture->store, undecided, RCRP_APPELLANT_CALLER, NULL, "Please send someone", &error);
  g_assert_null (appeal);
  g_assert_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* Police already going: nothing to appeal. */
  decide (fixture->store, deployed, "police_deployed");
  appeal = rcrp_store_lodge_appeal (fixture->store, deployed, RCRP_APPELLANT_CALLER, NULL, "Send them faster", &error);
  g_assert_null (appeal);
  g_assert_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "only a decision not to send police"));
  g_clear_error (&error);

  decide (fixture->store, signposted, "signposted");
  last = rcrp_store_get_last_event_id (fixture->store, &error);

  /* Grounds required; a partner must be named. */
  g_assert_null (rcrp_store_lodge_appeal (fixture->store, signposted, RCRP_APPELLANT_CALLER, NULL, "  ", &error));
  g_assert_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (rcrp_store_lodge_appeal (fixture->store, signposted, RCRP_APPELLANT_PARTNER_AGENCY, NULL,
                                          "We cannot reach him", &error));
  g_assert_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (rcrp_store_get_last_event_id (fixture->store, &error), ==, last);

  appeal = rcrp_store_lodge_appeal (fixture->store, signposted, RCRP_APPELLANT_PARTNER_AGENCY, "Crisis team",
                                    "He has stopped answering and has means", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (appeal->reference, ==, "ESC-2026-000001");
  g_assert_cmpstr (appeal->appealed_outcome, ==, "signposted");
  g_assert_cmpint (appeal->state, ==, RCRP_APPEAL_OPEN);
  g_assert_cmpstr (appeal->lodged_by, ==, "alice");
  g_assert_cmpstr (appeal->cad_ref, ==, "CAD-3");

  /* One open appeal a call. */
  g_clear_pointer (&appeal, rcrp_appeal_free);
  appeal = rcrp_store_lodge_appeal (fixture->store, signposted, RCRP_APPELLANT_CALLER, NULL, "Again", &error);
  g_assert_null (appeal);
  g_assert_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "ESC-2026-000001"));
}

static void
test_on_hold_rises_to_the_top (Fixture       *fixture,
                               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcrpAppeal) appeal = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(RcrpCall) call = NULL;
  gint64 urgent, appealed;

  urgent = ingest_call (fixture->store, "CAD-URGENT", 1);
  appealed = ingest_call (fixture->store, "CAD-LOW", 4);
  decide (fixture->store, appealed, "no_further_action");

  ids = rcrp_store_list_queue_ids (fixture->store, &error);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, urgent);

  appeal = rcrp_store_lodge_appeal (fixture->store, appealed, RCRP_APPELLANT_CALLER, NULL,
                                    "Her father is not answering the door", &error);
  g_assert_no_error (error);

  g_clear_pointer (&ids, g_array_unref);
  ids = rcrp_store_list_queue_ids (fixture->store, &error);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, appealed);
  g_assert_cmpint (g_array_index (ids, gint64, 1), ==, urgent);

  call = rcrp_store_get_call (fixture->store, "CAD-LOW", &error);
  g_assert_true (rcrp_call_get_on_hold (call));
}

static void
test_upheld_needs_rationale_and_keeps_outcome (Fixture       *fixture,
                                               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcrpAppeal) appeal = NULL;
  g_autoptr(RcrpAppeal) resolved = NULL;
  g_autoptr(RcrpAppeal) again = NULL;
  g_autoptr(RcrpCall) call = NULL;
  gint64 call_id = ingest_call (fixture->store, "CAD-1", 3);

  decide (fixture->store, call_id, "referred");
  appeal = rcrp_store_lodge_appeal (fixture->store, call_id, RCRP_APPELLANT_CALLER, NULL, "Wants police", &error);
  g_assert_no_error (error);

  g_assert_null (rcrp_store_resolve_appeal (fixture->store, appeal->reference, NULL, "", &error));
  g_assert_error (error, RCRP_DECISION_ERROR, RCRP_DECISION_ERROR_RATIONALE_REQUIRED);
  g_clear_error (&error);

  rcrp_fixed_clock_advance (RCRP_FIXED_CLOCK (fixture->clock), 7 * G_TIME_SPAN_MINUTE);
  resolved = rcrp_store_resolve_appeal (fixture->store, appeal->reference, NULL,
                                        "Crisis team is on its way; no risk to life described", &error);
  g_assert_no_error (error);
  g_assert_cmpint (resolved->state, ==, RCRP_APPEAL_UPHELD);
  g_assert_cmpfloat (rcrp_appeal_get_review_minutes (resolved), ==, 7.0);
  g_assert_null (resolved->new_outcome);

  call = rcrp_store_get_call (fixture->store, "CAD-1", &error);
  g_assert_cmpstr (rcrp_call_get_outcome (call), ==, "referred");
  g_assert_false (rcrp_call_get_on_hold (call));

  /* Reviewed once. */
  again = rcrp_store_resolve_appeal (fixture->store, appeal->reference, NULL, "Again", &error);
  g_assert_null (again);
  g_assert_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_CONFLICT);
}

static void
test_overturned_changes_outcome_keeps_history (Fixture       *fixture,
                                               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcrpAppeal) appeal = NULL;
  g_autoptr(RcrpAppeal) resolved = NULL;
  g_autoptr(RcrpDecision) overturn = NULL;
  g_autoptr(RcrpDecision) same = NULL;
  g_autoptr(GPtrArray) decisions = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(RcrpCall) call = NULL;
  gint64 call_id = ingest_call (fixture->store, "CAD-1", 3);
  gint64 original = decide (fixture->store, call_id, "signposted");

  appeal = rcrp_store_lodge_appeal (fixture->store, call_id, RCRP_APPELLANT_OTHER, NULL,
                                    "Neighbour heard shouting and breaking glass", &error);
  g_assert_no_error (error);

  /* Overturning to the same outcome is not overturning. */
  same = rcrp_decision_new (call_id, "signposted", NULL);
  g_assert_null (rcrp_store_resolve_appeal (fixture->store, appeal->reference, same, "x", &error));
  g_assert_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_INVALID);
  g_clear_error (&error);

  overturn = rcrp_decision_new (call_id, "police_deployed", NULL);
  resolved = rcrp_store_resolve_appeal (fixture->store, appeal->reference, overturn,
                                        "Sounds of violence: real and immediate risk", &error);
  g_assert_no_error (error);
  g_assert_cmpint (resolved->state, ==, RCRP_APPEAL_OVERTURNED);
  g_assert_cmpstr (resolved->new_outcome, ==, "police_deployed");
  g_assert_cmpstr (resolved->resolved_by, ==, "alice");
  g_assert_cmpint (rcrp_decision_get_event_id (overturn), >, original);

  call = rcrp_store_get_call (fixture->store, "CAD-1", &error);
  g_assert_cmpstr (rcrp_call_get_outcome (call), ==, "police_deployed");
  g_assert_false (rcrp_call_get_on_hold (call));

  /* The original decision stays in the history, before the new one. */
  decisions = rcrp_store_list_decisions (fixture->store, call_id, &error);
  g_assert_cmpuint (decisions->len, ==, 2);
  g_assert_cmpstr (rcrp_decision_get_outcome (g_ptr_array_index (decisions, 0)), ==, "signposted");
  g_assert_cmpint (rcrp_decision_get_undone_by (g_ptr_array_index (decisions, 0)), ==, 0);
  g_assert_cmpstr (rcrp_decision_get_outcome (g_ptr_array_index (decisions, 1)), ==, "police_deployed");
  g_assert_cmpstr (rcrp_decision_get_rationale (g_ptr_array_index (decisions, 1)), ==,
                   "Sounds of violence: real and immediate risk");

  events = rcrp_store_list_events (fixture->store, call_id, &error);
  {
    g_autoptr(GString) kinds = g_string_new (NULL);

    for (guint i = 0; i < events->len; i++)
      g_string_append_printf (kinds, "%s ", rcrp_event_get_kind (g_ptr_array_index (events, i)));
    g_assert_cmpstr (kinds->str, ==, "call.received call.decided appeal.lodged call.decided appeal.resolved ");
  }

  g_assert_true (rcrp_store_verify (fixture->store, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* What a supervisor and then the coordinator are told: the appeal's
 * reference and the call's survive the cleaning that takes out phone
 * numbers, which still goes. */
static void
test_alerts_keep_the_reference (Fixture       *fixture,
                                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcrpAppeal) appeal = NULL;
  g_autoptr(RcrpAppeal) resolved = NULL;
  g_autoptr(RcrpDecision) overturn = NULL;
  g_autoptr(RcrpCall) call = NULL;
  g_autoptr(RcrpAlert) lodged = NULL;
  g_autoptr(RcrpAlert) result = NULL;
  g_autofree char *message = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *grounds = NULL;
  gint64 call_id = ingest_call (fixture->store, "HC-20261122-0042", 3);

  decide (fixture->store, call_id, "signposted");
  appeal = rcrp_store_lodge_appeal (fixture->store, call_id, RCRP_APPELLANT_CALLER, NULL,
                                    "Ring her back on 07700 900123", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (appeal->reference, ==, "ESC-2026-000001");
  call = rcrp_store_get_call (fixture->store, "HC-20261122-0042", &error);
  g_assert_no_error (error);

  /* As the supervisor's workstation words it. */
  message = g_strdup_printf ("Urgent appeal %s on %s against “%s”: awaiting your review",
                             appeal->reference, appeal->cad_ref, "Signposted");
  lodged = rcrp_alert_new_appeal (call, message, TRUE);
  expected = g_strdup_printf ("Concern for welfare — %s", message);
  g_assert_cmpstr (lodged->body, ==, expected);

  grounds = rcrp_alert_dup_headline (call, "ESC-2026-000001: ring her back on 07700 900123 or 07700-900-123", 0);
  g_assert_cmpstr (grounds, ==, "ESC-2026-000001: ring her back on [number] or [number]");

  overturn = rcrp_decision_new (call_id, "police_deployed", NULL);
  resolved = rcrp_store_resolve_appeal (fixture->store, appeal->reference, overturn,
                                        "Tablets taken, call back on 07700 900123", &error);
  g_assert_no_error (error);
  result = rcrp_alert_new_appeal_result (call, resolved);
  g_assert_cmpint (result->urgency, ==, RCRP_ALERT_URGENCY_CRITICAL);
  g_assert_cmpint (result->call_id, ==, call_id);
  g_assert_cmpstr (result->title, ==, "Appeal ESC-2026-000001 overturned: grade 3 call HC-20261122-0042");
  g_assert_cmpstr (result->body, ==, "Now: Police deployed (by alice). Tablets taken, call back on [number]");
  g_assert_cmpstr (result->key, !=, lodged->key);
}

/* Several processes lodge appeals at the same moment: every reference is
 * different and they run without gaps. */
static void
test_references_unique_across_processes (Fixture       *fixture,
                                         gconstpointer  user_data)
{
  const char *cli = g_getenv ("RCRP_CLI");
  enum { N = 12 };
  GSubprocess *processes[N];
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) appeals = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_nonnull (cli);

  for (guint i = 0; i < N; i++)
    {
      g_autofree char *ref = g_strdup_printf ("CAD-%02u", i);

      decide (fixture->store, ingest_call (fixture->store, ref, 3), "signposted");
    }

  for (guint i = 0; i < N; i++)
    {
      g_autofree char *ref = g_strdup_printf ("CAD-%02u", i);

      processes[i] = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, cli, "appeals", "lodge", ref,
                                       "--by", "caller", "--grounds", "Wants police to attend",
                                       "--database", fixture->path, NULL);
      g_assert_no_error (error);
    }
  for (guint i = 0; i < N; i++)
    {
      g_assert_true (g_subprocess_wait_check (processes[i], NULL, &error));
      g_assert_no_error (error);
      g_object_unref (processes[i]);
    }

  appeals = rcrp_store_list_appeals (fixture->store, 0, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (appeals->len, ==, N);
  for (guint i = 0; i < N; i++)
    {
      RcrpAppeal *appeal = g_ptr_array_index (appeals, i);
      g_autofree char *expected = NULL;

      g_assert_false (g_hash_table_contains (seen, appeal->reference));
      g_hash_table_add (seen, appeal->reference);
      /* In the order they were stored, without gaps. */
      expected = g_strdup_printf ("ESC-%d-%06u", g_date_time_get_year (appeal->lodged_at), i + 1);
      g_assert_cmpstr (appeal->reference, ==, expected);
    }

  g_assert_true (rcrp_store_verify (fixture->store, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
test_disputes (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcrpDispute) dispute = NULL;
  g_autoptr(RcrpDispute) trend = NULL;
  g_autoptr(RcrpDispute) reviewed = NULL;
  g_autoptr(RcrpDispute) closed = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  const char * const calls[] = { "CAD-1", "CAD-2", NULL };
  const char * const missing[] = { "CAD-404", NULL };

  ingest_call (fixture->store, "CAD-1", 3);
  ingest_call (fixture->store, "CAD-2", 3);

  g_assert_null (rcrp_store_add_dispute (fixture->store, RCRP_DISPUTE_KIND_DISPUTE, "Crisis team",
                                         "Not our call", missing, &error));
  g_assert_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (rcrp_store_add_dispute (fixture->store, RCRP_DISPUTE_KIND_DISPUTE, "", "x", NULL, &error));
  g_assert_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_INVALID);
  g_clear_error (&error);

  dispute = rcrp_store_add_dispute (fixture->store, RCRP_DISPUTE_KIND_DISPUTE, "Acute trust",
                                    "Two patients who left A&E were not attended", calls, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dispute->reference, ==, "DSP-2026-000001");
  g_assert_cmpuint (g_strv_length (dispute->cad_refs), ==, 2);
  g_assert_cmpint (dispute->state, ==, RCRP_DISPUTE_OPEN);

  trend = rcrp_store_add_dispute (fixture->store, RCRP_DISPUTE_KIND_TREND, "Ambulance service",
                                  "More welfare calls after 2 a.m.", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (trend->reference, ==, "DSP-2026-000002");
  g_assert_cmpuint (g_strv_length (trend->cad_refs), ==, 0);

  reviewed = rcrp_store_set_dispute_state (fixture->store, dispute->reference, RCRP_DISPUTE_UNDER_REVIEW, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (reviewed->state, ==, RCRP_DISPUTE_UNDER_REVIEW);

  /* Closing needs the learning. */
  g_assert_null (rcrp_store_set_dispute_state (fixture->store, dispute->reference, RCRP_DISPUTE_CLOSED, " ", &error));
  g_assert_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_INVALID);
  g_clear_error (&error);
  closed = rcrp_store_set_dispute_state (fixture->store, dispute->reference, RCRP_DISPUTE_CLOSED,
                                         "Briefed the night shift on walked-out patients", &error);
  g_assert_no_error (error);
  g_assert_cmpint (closed->state, ==, RCRP_DISPUTE_CLOSED);
  g_assert_cmpstr (closed->learning, ==, "Briefed the night shift on walked-out patients");
  g_assert_cmpstr (closed->closed_by, ==, "alice");

  /* Filters. */
  listed = rcrp_store_list_disputes (fixture->store, RCRP_DISPUTE_OPEN, -1, &error);
  g_assert_cmpuint (listed->len, ==, 1);
  g_assert_cmpstr (((RcrpDispute *) g_ptr_array_index (listed, 0))->reference, ==, "DSP-2026-000002");
  g_clear_pointer (&listed, g_ptr_array_unref);
  listed = rcrp_store_list_disputes (fixture->store, -1, RCRP_DISPUTE_KIND_DISPUTE, &error);
  g_assert_cmpuint (listed->len, ==, 1);
  g_assert_cmpstr (((RcrpDispute *) g_ptr_array_index (listed, 0))->reference, ==, "DSP-2026-000001");
  g_clear_pointer (&listed, g_ptr_array_unref);
  listed = rcrp_store_list_disputes (fixture->store, -1, -1, &error);
  g_assert_cmpuint (listed->len, ==, 2);

  g_assert_true (rcrp_store_verify (fixture->store, NULL, NULL, &error));
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  /* The rcrp tool acts as alice, who made the database (a test build). */
  g_setenv ("RCRP_TEST_OPERATOR", "alice", TRUE);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/appeals/only-non-deploy-outcomes", test_only_non_deploy_outcomes);
  ADD ("/appeals/on-hold-rises-to-the-top", test_on_hold_rises_to_the_top);
  ADD ("/appeals/upheld-needs-rationale", test_upheld_needs_rationale_and_keeps_outcome);
  ADD ("/appeals/overturned-keeps-history", test_overturned_changes_outcome_keeps_history);
  ADD ("/appeals/references-unique-across-processes", test_references_unique_across_processes);
  ADD ("/appeals/disputes", test_disputes);
  ADD ("/appeals/alerts-keep-the-reference", test_alerts_keep_the_reference);

  return g_test_run ();
}

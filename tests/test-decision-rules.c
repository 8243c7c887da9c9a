/* test-decision-rules.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The safety rules the store enforces on every decision, whatever the
 * front end: police ruled out (or overridden by name, with a rationale)
 * before any other outcome; the claim, or an explicit take-over; no undo
 * under appeal; the checklist kept as a draft for the claim's holder.
 */

#include "config.h"

#include "rcrp-test-util.h"

#include <gio/gio.h>

#include "rcrp-feed.h"
#include "rcrp-sqlite-store.h"

#define LAPSE (15 * G_TIME_SPAN_MINUTE)

typedef struct
{
  char      *folder;
  char      *path;
  RcrpClock *clock;
  RcrpStore *store;   /* alice at ws-1 */
  RcrpStore *other;   /* bob at ws-2, on the same database */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 ("2026-11-24T10:00:00Z", NULL);

  fixture->folder = g_dir_make_tmp ("rcrp-decision-rules-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->folder, "shift.db", NULL);
  fixture->clock = rcrp_fixed_clock_new (now);
  fixture->store = rcrp_sqlite_store_open (fixture->path, fixture->clock, "alice", "ws-1", &error);
  g_assert_no_error (error);
  g_assert_true (rcrp_store_add_user (fixture->store, "bob", RCRP_ROLE_COORDINATOR, "Bob", &error));
  g_assert_no_error (error);
  fixture->other = rcrp_sqlite_store_open (fixture->path, fixture->clock, "bob", "ws-2", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_clear_object (&fixture->other);
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->clock);
  rcrp_test_remove_tree (fixture->folder);
  g_clear_pointer (&fixture->path, g_free);
  g_clear_pointer (&fixture->folder, g_free);
}

static gint64
ingest_call (RcrpStore  *store,
             const char *cad_ref,
             const char *category)
{
  g_autofree char *text = g_strdup_printf ("{\"schema\": \"rcrp.call/1\", \"cad_ref\": \"%s\", "
                                           "\"received_at\": \"2026-11-24T09:50:00Z\", "
                                           "\"category\": \"%s\", \"initial_grade\": 2, "
                                           "\"summary\": \"Daughter worried about her father\"}",
                                           cad_ref, category);
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

static const char *ALL_NO = "{\"cfw.crime\":\"no\",\"cfw.missing\":\"no\",\"cfw.risk_to_life\":\"no\"}";

static gint64
last_event (RcrpStore *store)
{
  g_autoptr(GError) error = NULL;
  gint64 id = rcrp_store_get_last_event_id (store, &error);

  g_assert_no_error (error);
  return id;
}

static GStrv
event_kinds (RcrpStore *store,
             gint64     call_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = rcrp_store_list_events (store, call_id, &error);
  g_autoptr(GStrvBuilder) kinds = g_strv_builder_new ();

  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    g_strv_builder_add (kinds, rcrp_event_get_kind (g_ptr_array_index (events, i)));

  return g_strv_builder_end (kinds);
}

/* 1. A non-police outcome with police not ruled out. */

static void
test_no_police_needs_threshold_ruled_out (Fixture       *fixture,
                                          gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  gint64 call_id = ingest_call (fixture->store, "CFW-1", "concern_for_welfare");
  const char *outcomes[] = { "referred", "signposted", "no_further_action" };
  gint64 before = last_event (fixture->store);

  /* Every threshold question still open, as on a checklist nobody
   * touched: refused for each non-police outcome, nothing recorded. */
  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    {
      g_autoptr(RcrpDecision) decision = rcrp_decision_new (call_id, outcomes[i], outcomes[i]);

      rcrp_decision_set_agency (decision, "crisis-team");
      rcrp_decision_set_answers_json (decision, "{\"cfw.crime\":\"unknown\"}");
      g_assert_cmpint (rcrp_store_record_decision (fixture->store, decision, &error), ==, -1);
      g_assert_error (error, RCRP_DECISION_ERROR, RCRP_DECISION_ERROR_THRESHOLD_OPEN);
      g_assert_nonnull (strstr (error->message, "police are not ruled out"));
      g_assert_nonnull (strstr (error->message, "Is a crime being committed, or has one been committed?” (unknown)"));
      g_assert_nonnull (strstr (error->message, "Is the person really missing?” (not answered)"));
      g_clear_error (&error);
    }
  g_assert_cmpint (last_event (fixture->store), ==, before);

  /* Police need no ruling out. */
  {
    g_autoptr(RcrpDecision) police = rcrp_decision_new (call_id, "police_deployed", "police_deployed");

    g_assert_cmpint (rcrp_store_record_decision (fixture->store, police, &error), >, before);
    g_assert_no_error (error);
  }

  /* Every threshold question answered no: no police is recorded. */
  {
    g_autoptr(RcrpDecision) signpost = rcrp_decision_new (call_id, "signposted", "signposted");

    rcrp_decision_set_answers_json (signpost, ALL_NO);
    rcrp_decision_set_rationale (signpost, "Found safe by his daughter");
    g_assert_cmpint (rcrp_store_record_decision (fixture->store, signpost, &error), >, 0);
    g_assert_no_error (error);
  }
}

static void
test_override_names_open_questions_with_rationale (Fixture       *fixture,
                                                   gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcrpDecision) partial = NULL;
  g_autoptr(RcrpDecision) silent = NULL;
  g_autoptr(RcrpDecision) overstated = NULL;
  g_autoptr(RcrpDecision) knowing = NULL;
  g_autoptr(GPtrArray) decisions = NULL;
  g_autoptr(GPtrArray) events = NULL;
  gint64 call_id = ingest_call (fixture->store, "CFW-2", "concern_for_welfare");
  const char *answers = "{\"cfw.crime\":\"no\",\"cfw.risk_to_life\":\"unknown\"}";
  RcrpDecision *stored;
  gint64 id;

  /* An override must name every open question... */
  partial = rcrp_decision_new (call_id, "signposted", "signposted");
  rcrp_decision_set_answers_json (partial, answers);
  rcrp_decision_set_overrides (partial, (const char *[]) { "cfw.risk_to_life", NULL });
  rcrp_decision_set_rationale (partial, "Caller says he is fine");
  g_assert_cmpint (rcrp_store_record_decision (fixture->store, partial, &error), ==, -1);
  g_assert_error (error, RCRP_DECISION_ERROR, RCRP_DECISION_ERROR_THRESHOLD_OPEN);
  g_assert_nonnull (strstr (error->message, "really missing"));
  g_assert_null (strstr (error->message, "real and immediate risk"));
  g_clear_error (&error);

  /* ...with a rationale, even when the outcome is the recommended one... */
  silent = rcrp_decision_new (call_id, "signposted", "signposted");
  rcrp_decision_set_answers_json (silent, answers);
  rcrp_decision_set_overrides (silent, (const char *[]) { "cfw.risk_to_life", "cfw.missing", NULL });
  g_assert_cmpint (rcrp_store_record_decision (fixture->store, silent, &error), ==, -1);
  g_assert_error (error, RCRP_DECISION_ERROR, RCRP_DECISION_ERROR_THRESHOLD_OPEN);
  g_assert_nonnull (strstr (error->message, "write down why"));
  g_clear_error (&error);

  /* ...and no more than the open ones: a question answered no is not
   * overridden. */
  overstated = rcrp_decision_new (call_id, "signposted", "signposted");
  rcrp_decision_set_answers_json (overstated, answers);
  rcrp_decision_set_overrides (overstated, (const char *[]) { "cfw.risk_to_life", "cfw.missing", "cfw.crime", NULL });
  rcrp_decision_set_rationale (overstated, "x");
  g_assert_cmpint (rcrp_store_record_decision (fixture->store, overstated, &error), ==, -1);
  g_assert_error (error, RCRP_DECISION_ERROR, RCRP_DECISION_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "cfw.crime"));
  g_clear_error (&error);

  knowing = rcrp_decision_new (call_id, "signposted", "signposted");
  rcrp_decision_set_answers_json (knowing, answers);
  rcrp_decision_set_overrides (knowing, (const char *[]) { "cfw.missing", "cfw.risk_to_life", NULL });
  rcrp_decision_set_rationale (knowing, "Daughter is with him now; GP visiting this afternoon.");
  id = rcrp_store_record_decision (fixture->store, knowing, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  /* The override is in the record: read back, and in the event itself. */
  decisions = rcrp_store_list_decisions (fixture->store, call_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (decisions->len, ==, 1);
  stored = g_ptr_array_index (decisions, 0);
  g_assert_cmpuint (g_strv_length ((char **) rcrp_decision_get_overrides (stored)), ==, 2);
  g_assert_true (g_strv_contains (rcrp_decision_get_overrides (stored), "cfw.missing"));
  g_assert_true (g_strv_contains (rcrp_decision_get_overrides (stored), "cfw.risk_to_life"));

  events = rcrp_store_list_events (fixture->store, call_id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    if (rcrp_event_get_id (g_ptr_array_index (events, i)) == id)
      g_assert_nonnull (strstr (rcrp_event_get_payload (g_ptr_array_index (events, i)),
                                "\"overrides\":[\"cfw.missing\",\"cfw.risk_to_life\"]"));

  g_assert_true (rcrp_store_verify (fixture->store, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* The questions are the call's category's, as the store has it: answers
 * to another category's questions rule nothing out. */
static void
test_threshold_of_the_calls_category (Fixture       *fixture,
                                      gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcrpDecision) decision = NULL;
  gint64 call_id = ingest_call (fixture->store, "AWOL-1", "awol_mental_health");

  decision = rcrp_decision_new (call_id, "referred", "referred");
  rcrp_decision_set_agency (decision, "crisis-team");
  rcrp_decision_set_answers_json (decision, ALL_NO);
  g_assert_cmpint (rcrp_store_record_decision (fixture->store, decision, &error), ==, -1);
  g_assert_error (error, RCRP_DECISION_ERROR, RCRP_DECISION_ERROR_THRESHOLD_OPEN);
  g_assert_nonnull (strstr (error->message, "police power"));
  g_clear_error (&error);

  rcrp_decision_set_answers_json (decision, "{\"aw.police_power\":\"no\",\"aw.risk\":\"no\"}");
  g_assert_cmpint (rcrp_store_record_decision (fixture->store, decision, &error), >, 0);
  g_assert_no_error (error);
}

/* 2. A decision needs the claim, or an explicit take-over. */

static void
test_decision_needs_the_claim (Fixture       *fixture,
                               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcrpDecision) mine = NULL;
  g_autoptr(RcrpDecision) stale = NULL;
  g_autoptr(RcrpDecision) outside = NULL;
  g_autoptr(RcrpDecision) taking = NULL;
  g_autoptr(RcrpClaim) claim = NULL;
  g_auto(GStrv) kinds = NULL;
  gint64 call_id = ingest_call (fixture->store, "CLM-1", "concern_for_welfare");
  gint64 before;

  /* Alice opens the call; Bob takes it over at his workstation. */
  g_assert_true (rcrp_store_claim_call (fixture->store, call_id, "alice-run", LAPSE, FALSE, NULL, &error));
  g_assert_true (rcrp_store_claim_call (fixture->other, call_id, "bob-run", LAPSE, TRUE, NULL, &error));
  g_assert_no_error (error);
  before = last_event (fixture->store);

  /* Alice's screen had not caught up: her Signpost is refused, saying who. */
  stale = rcrp_decision_new (call_id, "signposted", "signposted");
  rcrp_decision_set_answers_json (stale, ALL_NO);
  rcrp_decision_set_session (stale, "alice-run", LAPSE);
  g_assert_cmpint (rcrp_store_record_decision (fixture->store, stale, &error), ==, -1);
  g_assert_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_CLAIMED);
  g_assert_nonnull (strstr (error->message, "CLM-1 is being worked by bob at ws-2"));
  g_assert_nonnull (strstr (error->message, "nothing was recorded"));
  g_clear_error (&error);

  /* Nor outside any session. */
  outside = rcrp_decision_new (call_id, "signposted", "signposted");
  rcrp_decision_set_answers_json (outside, ALL_NO);
  g_assert_cmpint (rcrp_store_record_decision (fixture->store, outside, &error), ==, -1);
  g_assert_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_CLAIMED);
  g_clear_error (&error);
  g_assert_cmpint (last_event (fixture->store), ==, before);

  /* The holder decides. */
  mine = rcrp_decision_new (call_id, "signposted", "signposted");
  rcrp_decision_set_answers_json (mine, ALL_NO);
  rcrp_decision_set_session (mine, "bob-run", LAPSE);
  g_assert_cmpint (rcrp_store_record_decision (fixture->other, mine, &error), >, before);
  g_assert_no_error (error);

  /* Alice takes it back explicitly, with her decision: logged, in order. */
  taking = rcrp_decision_new (call_id, "police_deployed", "signposted");
  rcrp_decision_set_rationale (taking, "Daughter rang again: he has a knife");
  rcrp_decision_set_session (taking, "alice-run", LAPSE);
  rcrp_decision_set_take_over (taking, TRUE);
  g_assert_cmpint (rcrp_store_record_decision (fixture->store, taking, &error), >, 0);
  g_assert_no_error (error);

  claim = rcrp_store_get_claim (fixture->store, call_id, &error);
  g_assert_cmpstr (claim->session, ==, "alice-run");
  g_assert_cmpstr (claim->operator_name, ==, "alice");

  kinds = event_kinds (fixture->store, call_id);
  g_assert_cmpuint (g_strv_length (kinds), ==, 6);
  g_assert_cmpstr (kinds[3], ==, "call.decided");
  g_assert_cmpstr (kinds[4], ==, "call.taken_over");
  g_assert_cmpstr (kinds[5], ==, "call.decided");

  {
    g_autoptr(GPtrArray) decisions = rcrp_store_list_decisions (fixture->store, call_id, &error);

    g_assert_true (rcrp_decision_get_take_over (g_ptr_array_index (decisions, 1)));
    g_assert_false (rcrp_decision_get_take_over (g_ptr_array_index (decisions, 0)));
  }
}

static void
test_free_call_claimed_with_the_decision (Fixture       *fixture,
                                          gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcrpDecision) first = NULL;
  g_autoptr(RcrpDecision) later = NULL;
  g_autoptr(RcrpClaim) claim = NULL;
  g_auto(GStrv) kinds = NULL;
  gint64 call_id = ingest_call (fixture->store, "CLM-2", "concern_for_welfare");

  /* Nobody working it: the deciding session claims it in the same
   * transaction, logged. */
  first = rcrp_decision_new (call_id, "signposted", "signposted");
  rcrp_decision_set_answers_json (first, ALL_NO);
  rcrp_decision_set_session (first, "alice-run", LAPSE);
  g_assert_cmpint (rcrp_store_record_decision (fixture->store, first, &error), >, 0);
  g_assert_no_error (error);
  claim = rcrp_store_get_claim (fixture->store, call_id, &error);
  g_assert_cmpstr (claim->session, ==, "alice-run");
  kinds = event_kinds (fixture->store, call_id);
  g_assert_cmpstr (kinds[1], ==, "call.claimed");
  g_assert_cmpstr (kinds[2], ==, "call.decided");

  /* A claim not seen for its lapse is nobody's. */
  rcrp_fixed_clock_advance (RCRP_FIXED_CLOCK (fixture->clock), 16 * G_TIME_SPAN_MINUTE);
  later = rcrp_decision_new (call_id, "police_deployed", "police_deployed");
  rcrp_decision_set_session (later, "bob-run", LAPSE);
  g_assert_cmpint (rcrp_store_record_decision (fixture->other, later, &error), >, 0);
  g_assert_no_error (error);
}

/* 3. No undo once an appeal is lodged on the decision. */

static void
test_no_undo_under_appeal (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcrpDecision) decision = NULL;
  g_autoptr(RcrpAppeal) appeal = NULL;
  g_autoptr(RcrpAppeal) upheld = NULL;
  g_autoptr(RcrpCall) call = NULL;
  gint64 call_id = ingest_call (fixture->store, "APL-1", "concern_for_welfare");
  gint64 decided, before;

  decision = rcrp_decision_new (call_id, "signposted", "signposted");
  rcrp_decision_set_answers_json (decision, ALL_NO);
  decided = rcrp_store_record_decision (fixture->store, decision, &error);
  g_assert_no_error (error);

  appeal = rcrp_store_lodge_appeal (fixture->store, call_id, RCRP_APPELLANT_CALLER, NULL,
                                    "He has taken tablets", &error);
  g_assert_no_error (error);
  before = last_event (fixture->store);

  g_assert_cmpint (rcrp_store_undo_decision (fixture->store, decided, &error), ==, -1);
  g_assert_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, appeal->reference));
  g_assert_nonnull (strstr (error->message, "cannot be undone"));
  g_clear_error (&error);
  g_assert_cmpint (last_event (fixture->store), ==, before);

  call = rcrp_store_get_call (fixture->store, "APL-1", &error);
  g_assert_cmpstr (rcrp_call_get_outcome (call), ==, "signposted");
  g_assert_true (rcrp_call_get_on_hold (call));

  /* Reviewed and upheld, it stands: still not undone. */
  upheld = rcrp_store_resolve_appeal (fixture->store, appeal->reference, NULL, "Ambulance is with him", &error);
  g_assert_no_error (error);
  g_assert_cmpint (rcrp_store_undo_decision (fixture->store, decided, &error), ==, -1);
  g_assert_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_INVALID);
}

/* A supervisor's overturn to another outcome than police obeys the
 * threshold too: on the checklist it carries, else the appealed one's. */
static void
test_overturn_obeys_the_threshold (Fixture       *fixture,
                                   gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcrpDecision) decision = NULL;
  g_autoptr(RcrpDecision) open = NULL;
  g_autoptr(RcrpDecision) inherited = NULL;
  g_autoptr(RcrpAppeal) appeal = NULL;
  g_autoptr(RcrpAppeal) resolved = NULL;
  gint64 call_id = ingest_call (fixture->store, "OVT-1", "concern_for_welfare");

  decision = rcrp_decision_new (call_id, "signposted", "signposted");
  rcrp_decision_set_answers_json (decision, ALL_NO);
  g_assert_cmpint (rcrp_store_record_decision (fixture->store, decision, &error), >, 0);
  appeal = rcrp_store_lodge_appeal (fixture->store, call_id, RCRP_APPELLANT_PARTNER_AGENCY, "Crisis team",
                                    "He is known to us", &error);
  g_assert_no_error (error);

  open = rcrp_decision_new (call_id, "referred", NULL);
  rcrp_decision_set_agency (open, "crisis-team");
  rcrp_decision_set_answers_json (open, "{\"cfw.crime\":\"unknown\"}");
  g_assert_null (rcrp_store_resolve_appeal (fixture->store, appeal->reference, open, "Refer instead", &error));
  g_assert_error (error, RCRP_DECISION_ERROR, RCRP_DECISION_ERROR_THRESHOLD_OPEN);
  g_clear_error (&error);

  inherited = rcrp_decision_new (call_id, "referred", NULL);
  rcrp_decision_set_agency (inherited, "crisis-team");
  resolved = rcrp_store_resolve_appeal (fixture->store, appeal->reference, inherited, "Refer instead", &error);
  g_assert_no_error (error);
  g_assert_cmpint (resolved->state, ==, RCRP_APPEAL_OVERTURNED);
}

/* 4. The checklist as a draft per call, for the claim's holder. */

static void
test_draft_kept_for_the_holder (Fixture       *fixture,
                                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcrpTriageDraft) draft = NULL;
  g_autoptr(RcrpTriageDraft) seen = NULL;
  g_autoptr(RcrpTriageDraft) again = NULL;
  g_autoptr(RcrpStore) reopened = NULL;
  gint64 call_id = ingest_call (fixture->store, "DFT-1", "concern_for_welfare");
  gint64 before;

  g_assert_null (rcrp_store_get_draft (fixture->store, call_id, &error));
  g_assert_no_error (error);

  g_assert_true (rcrp_store_claim_call (fixture->store, call_id, "alice-run", LAPSE, FALSE, NULL, &error));
  before = last_event (fixture->store);
  g_assert_true (rcrp_store_save_draft (fixture->store, call_id, "alice-run", LAPSE,
                                        "{\"cfw.crime\":\"no\"}", "2026.11-1", &error));
  g_assert_no_error (error);
  /* Working state: not in the audit log. */
  g_assert_cmpint (last_event (fixture->store), ==, before);

  /* Other workstations see it as the holder's, and cannot write over it. */
  seen = rcrp_store_get_draft (fixture->other, call_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (seen->answers_json, ==, "{\"cfw.crime\":\"no\"}");
  g_assert_cmpstr (seen->operator_name, ==, "alice");
  g_assert_cmpstr (seen->workstation, ==, "ws-1");
  g_assert_cmpstr (seen->session, ==, "alice-run");
  g_assert_false (rcrp_store_save_draft (fixture->other, call_id, "bob-run", LAPSE,
                                         "{\"cfw.crime\":\"yes\"}", NULL, &error));
  g_assert_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_CLAIMED);
  g_clear_error (&error);

  /* Only answers a decision could carry. */
  g_assert_false (rcrp_store_save_draft (fixture->store, call_id, "alice-run", LAPSE, "{\"cfw.crime\":\"maybe\"}",
                                         NULL, &error));
  g_assert_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* A restart. */
  g_clear_object (&fixture->store);
  reopened = rcrp_sqlite_store_open (fixture->path, fixture->clock, "alice", "ws-1", &error);
  g_assert_no_error (error);
  draft = rcrp_store_get_draft (reopened, call_id, &error);
  g_assert_cmpstr (draft->answers_json, ==, "{\"cfw.crime\":\"no\"}");
  g_assert_cmpstr (draft->rules_version, ==, "2026.11-1");

  /* Taken over, the draft goes on with the new holder. */
  g_assert_true (rcrp_store_claim_call (fixture->other, call_id, "bob-run", LAPSE, TRUE, NULL, &error));
  g_assert_true (rcrp_store_save_draft (fixture->other, call_id, "bob-run", LAPSE,
                                        "{\"cfw.crime\":\"no\",\"cfw.missing\":\"unknown\"}", NULL, &error));
  g_assert_no_error (error);
  again = rcrp_store_get_draft (reopened, call_id, &error);
  g_assert_cmpstr (again->operator_name, ==, "bob");
  g_assert_cmpstr (again->answers_json, ==, "{\"cfw.crime\":\"no\",\"cfw.missing\":\"unknown\"}");
  g_assert_false (rcrp_store_save_draft (reopened, call_id, "alice-run", LAPSE, "{}", NULL, &error));
  g_assert_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_CLAIMED);
  g_clear_error (&error);

  g_assert_true (rcrp_store_verify (reopened, NULL, NULL, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/decision-rules/no-police-needs-threshold-ruled-out", test_no_police_needs_threshold_ruled_out);
  ADD ("/decision-rules/override-names-open-questions-with-rationale", test_override_names_open_questions_with_rationale);
  ADD ("/decision-rules/threshold-of-the-calls-category", test_threshold_of_the_calls_category);
  ADD ("/decision-rules/decision-needs-the-claim", test_decision_needs_the_claim);
  ADD ("/decision-rules/free-call-claimed-with-the-decision", test_free_call_claimed_with_the_decision);
  ADD ("/decision-rules/no-undo-under-appeal", test_no_undo_under_appeal);
  ADD ("/decision-rules/overturn-obeys-the-threshold", test_overturn_obeys_the_threshold);
  ADD ("/decision-rules/draft-kept-for-the-holder", test_draft_kept_for_the_holder);

#undef ADD

  return g_test_run ();
}

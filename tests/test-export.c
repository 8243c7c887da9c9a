/* test-export.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A known night shift, exported in every format and checked figure by
 * figure against ../shared/spec/shift-summary.md.
 */

#include "config.h"

#include "rcrp-test-util.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rcrp-feed.h"
#include "rcrp-sqlite-store.h"
#include "rcrp-summary.h"
#include "rcrp-test-decision.h"

/* The night of 24 October 2026, when the clocks go back: 19:00 BST
 * (18:00Z) to 07:00 GMT (07:00Z), thirteen hours. */
#define SHIFT "2026-10-24/night"
#define FROM  "2026-10-24T18:00:00Z"
#define TO    "2026-10-25T07:00:00Z"

#define SECRET_NAME    "Siobhan O'Brien-Secret"
#define SECRET_PHONE   "07700 900123"
#define SECRET_ADDRESS "Flat 2, 10 Secret Street"

typedef struct
{
  char      *folder;
  char      *path;
  RcrpClock *clock;
  RcrpStore *store;
} Fixture;

static void
at (Fixture    *fixture,
    const char *iso)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (time);
  rcrp_fixed_clock_set (RCRP_FIXED_CLOCK (fixture->clock), time);
}

static gint64
ingest (Fixture    *fixture,
        const char *cad_ref,
        const char *received_at,
        const char *category,
        int         grade,
        const char *extra)
{
  g_autofree char *text = g_strdup_printf ("{\"schema\": \"rcrp.call/1\", \"cad_ref\": \"%s\", \"received_at\": \"%s\", "
                                           "\"category\": \"%s\", \"initial_grade\": %d, "
                                           "\"summary\": \"Caller worried about a neighbour\"%s}",
                                           cad_ref, received_at, category, grade, extra != NULL ? extra : "");
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) calls = rcrp_feed_parse_bytes (bytes, cad_ref, &error);
  g_autoptr(RcrpCall) call = NULL;
  RcrpIngestResult result;

  g_assert_no_error (error);
  at (fixture, received_at);
  g_assert_true (rcrp_store_ingest (fixture->store, cad_ref, bytes, calls, &result, &error));
  g_assert_no_error (error);
  call = rcrp_store_get_call (fixture->store, cad_ref, &error);
  g_assert_no_error (error);

  return rcrp_call_get_id (call);
}

static gint64
decide (Fixture    *fixture,
        gint64      call_id,
        const char *when,
        const char *outcome,
        const char *agency)
{
  g_autoptr(RcrpDecision) decision = rcrp_decision_new (call_id, outcome, outcome);
  g_autoptr(GError) error = NULL;
  gint64 id;

  at (fixture, when);
  if (agency != NULL)
    rcrp_decision_set_agency (decision, agency);
  rcrp_test_rule_out_police (decision);
  id = rcrp_store_record_decision (fixture->store, decision, &error);
  g_assert_no_error (error);

  return id;
}

/* The shift, with a call just outside it on each side. */
static void
build_shift (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcrpAppeal) appeal = NULL;
  g_autoptr(RcrpAppeal) resolved = NULL;
  g_autoptr(RcrpDecision) overturn = NULL;
  g_autoptr(RcrpDispute) dispute = NULL;
  g_autoptr(RcrpDispute) outside = NULL;
  const char * const c2_refs[] = { "C2", NULL };
  const char * const before_refs[] = { "BEFORE", NULL };
  gint64 id, referral;

  id = ingest (fixture, "BEFORE", "2026-10-24T17:59:59Z", "concern_for_welfare", 2, NULL);
  decide (fixture, id, "2026-10-24T18:01:00Z", "police_deployed", NULL);

  /* C1: referred to the crisis team after 6 minutes, accepted. */
  id = ingest (fixture, "C1", "2026-10-24T18:00:00Z", "concern_for_welfare", 2,
               ", \"subject\": {\"name\": \"" SECRET_NAME "\", \"age\": 30, \"sex\": \"female\", \"ethnicity\": \"W1\"}, "
               "\"caller\": {\"name\": \"Pat Caller\", \"phone\": \"" SECRET_PHONE "\", \"relationship\": \"family\"}, "
               "\"location\": {\"address\": \"" SECRET_ADDRESS "\", \"postcode\": \"SO16 6YD\"}");
  referral = decide (fixture, id, "2026-10-24T18:06:00Z", "referred", "crisis-team");
  at (fixture, "2026-10-24T18:20:00Z");
  g_assert_cmpint (rcrp_store_respond_to_referral (fixture->store, referral, TRUE, NULL, &error), >, 0);
  g_assert_no_error (error);

  /* C2: police after 3 minutes. */
  id = ingest (fixture, "C2", "2026-10-24T19:30:00Z", "walked_out_of_healthcare", 1,
               ", \"subject\": {\"age\": 17, \"sex\": \"male\", \"ethnicity\": \"B1\"}");
  decide (fixture, id, "2026-10-24T19:33:00Z", "police_deployed", NULL);

  /* C3: signposted after 10 minutes, appealed, overturned to police. */
  id = ingest (fixture, "C3", "2026-10-24T22:10:00Z", "awol_mental_health", 2,
               ", \"subject\": {\"age\": 70, \"sex\": \"male\", \"ethnicity\": \"A1\"}");
  decide (fixture, id, "2026-10-24T22:20:00Z", "signposted", NULL);
  at (fixture, "2026-10-24T22:25:00Z");
  appeal = rcrp_store_lodge_appeal (fixture->store, id, RCRP_APPELLANT_PARTNER_AGENCY, "Ward 4",
                                    "Detained patient, high risk", &error);
  g_assert_no_error (error);
  at (fixture, "2026-10-24T22:35:00Z");
  overturn = rcrp_decision_new (id, "police_deployed", NULL);
  resolved = rcrp_store_resolve_appeal (fixture->store, appeal->reference, overturn, "Liable to be detained; risk", &error);
  g_assert_no_error (error);
  g_clear_pointer (&appeal, rcrp_appeal_free);
  g_clear_pointer (&resolved, rcrp_appeal_free);

  /* C4: 01:30 BST, the first time round. Referred to the ambulance
   * service after 40 minutes, declined, then to NHS 111. */
  id = ingest (fixture, "C4", "2026-10-25T00:30:00Z", "medical_incident", 3, NULL);
  referral = decide (fixture, id, "2026-10-25T01:10:00Z", "referred", "ambulance");
  at (fixture, "2026-10-25T01:15:00Z");
  g_assert_cmpint (rcrp_store_respond_to_referral (fixture->store, referral, FALSE, "No crews", &error), >, 0);
  g_assert_no_error (error);
  decide (fixture, id, "2026-10-25T01:20:00Z", "referred", "nhs-111-mh");

  /* C5: 01:30 GMT, the second time round. No further action after 2
   * minutes; the caller appeals; upheld. */
  id = ingest (fixture, "C5", "2026-10-25T01:30:00Z", "mental_health_other", 3,
               ", \"subject\": {\"sex\": \"other\", \"ethnicity\": \"NS\"}");
  decide (fixture, id, "2026-10-25T01:32:00Z", "no_further_action", NULL);
  at (fixture, "2026-10-25T01:40:00Z");
  appeal = rcrp_store_lodge_appeal (fixture->store, id, RCRP_APPELLANT_CALLER, NULL, "Wants police", &error);
  g_assert_no_error (error);
  at (fixture, "2026-10-25T01:50:00Z");
  resolved = rcrp_store_resolve_appeal (fixture->store, appeal->reference, NULL, "No risk described", &error);
  g_assert_no_error (error);

  /* C7: referred, then undone: undecided. */
  id = ingest (fixture, "C7", "2026-10-25T03:00:00Z", "concern_for_welfare", 3, NULL);
  referral = decide (fixture, id, "2026-10-25T03:05:00Z", "referred", "crisis-team");
  at (fixture, "2026-10-25T03:05:10Z");
  g_assert_cmpint (rcrp_store_undo_decision (fixture->store, referral, &error), >, 0);
  g_assert_no_error (error);

  /* C6: the last second of the shift, undecided. */
  ingest (fixture, "C6", "2026-10-25T06:59:59Z", "concern_for_welfare", 4, NULL);

  id = ingest (fixture, "AFTER", "2026-10-25T07:00:00Z", "medical_incident", 1, NULL);
  decide (fixture, id, "2026-10-25T07:01:00Z", "police_deployed", NULL);

  at (fixture, "2026-10-25T08:00:00Z");
  dispute = rcrp_store_add_dispute (fixture->store, RCRP_DISPUTE_KIND_DISPUTE, "Acute trust",
                                    "Should have attended", c2_refs, &error);
  g_assert_no_error (error);
  outside = rcrp_store_add_dispute (fixture->store, RCRP_DISPUTE_KIND_QUERY, "Acute trust",
                                    "About a call before the shift", before_refs, &error);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 ("2026-10-24T12:00:00Z", NULL);
  const char *operator_name = user_data != NULL ? user_data : "alice";

  g_setenv ("RCRP_TIME_ZONE", "Europe/London", TRUE);
  fixture->folder = g_dir_make_tmp ("rcrp-export-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->folder, "shift.db", NULL);
  fixture->clock = rcrp_fixed_clock_new (now);
  fixture->store = rcrp_sqlite_store_open (fixture->path, fixture->clock, operator_name, "ws-1", &error);
  g_assert_no_error (error);

  build_shift (fixture);
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

static void
shift_options (RcrpSummaryOptions *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Europe/London");

  rcrp_summary_options_init (options);
  g_assert_true (rcrp_summary_parse_shift (SHIFT, "07:00", "19:00", tz, &options->from, &options->to, &error));
  g_assert_no_error (error);
  options->generated_at = g_date_time_new_from_iso8601 ("2026-10-25T08:30:00Z", NULL);
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);

  return contents;
}

static void
test_shift_interval (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Europe/London");
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) to = NULL;
  g_autofree char *from_text = NULL;
  g_autofree char *to_text = NULL;

  g_assert_true (rcrp_summary_parse_shift (SHIFT, "07:00", "19:00", tz, &from, &to, &error));
  from_text = g_date_time_format_iso8601 (from);
  to_text = g_date_time_format_iso8601 (to);
  g_assert_cmpstr (from_text, ==, FROM);
  g_assert_cmpstr (to_text, ==, TO);
  g_assert_cmpint (g_date_time_difference (to, from), ==, 13 * G_TIME_SPAN_HOUR);

  g_clear_pointer (&from, g_date_time_unref);
  g_clear_pointer (&to, g_date_time_unref);
  g_clear_pointer (&from_text, g_free);
  g_clear_pointer (&to_text, g_free);
  g_assert_true (rcrp_summary_parse_shift ("2026-03-29/day", "07:00", "19:00", tz, &from, &to, &error));
  from_text = g_date_time_format_iso8601 (from);
  to_text = g_date_time_format_iso8601 (to);
  g_assert_cmpstr (from_text, ==, "2026-03-29T06:00:00Z");
  g_assert_cmpstr (to_text, ==, "2026-03-29T18:00:00Z");

  g_assert_false (rcrp_summary_parse_shift ("2026-02-30/day", "07:00", "19:00", tz, &from, &to, &error));
  g_assert_error (error, RCRP_SUMMARY_ERROR, RCRP_SUMMARY_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (rcrp_summary_parse_shift ("2026-10-24/evening", "07:00", "19:00", tz, &from, &to, &error));
  g_assert_error (error, RCRP_SUMMARY_ERROR, RCRP_SUMMARY_ERROR_INVALID);
}

/* Every figure of the contract, exactly. */
static void
test_json_figures (Fixture       *fixture,
                   gconstpointer  user_data)
{
  static const char *expected =
    "{\"schema\":\"rcrp.shift-summary/1\",\"from\":\"" FROM "\",\"to\":\"" TO "\","
    "\"generated_at\":\"2026-10-25T08:30:00Z\",\"calls\":7,"
    "\"by_category\":{\"concern_for_welfare\":3,\"walked_out_of_healthcare\":1,\"awol_mental_health\":1,"
    "\"medical_incident\":1,\"mental_health_other\":1},"
    "\"outcomes\":{\"police_deployed\":2,\"referred\":2,\"signposted\":0,\"no_further_action\":1,\"undecided\":2},"
    "\"referrals_by_agency\":{\"crisis-team\":1,\"nhs-111-mh\":1},"
    "\"decision_minutes\":{\"median\":6.0,\"p90\":28.0,\"max\":40.0},"
    "\"escalations\":{\"urgent_appeals\":2,\"upheld\":1,\"overturned\":1,\"disputes_after_incident\":1,"
    "\"awaiting_review\":0,\"mean_review_minutes\":10.0},"
    "\"deployments_avoided\":3,\"officer_hours_released\":6.5,"
    "\"disproportionality\":{"
    "\"ethnicity\":{\"A1\":{\"calls\":1,\"police_deployed\":1},\"B1\":{\"calls\":1,\"police_deployed\":1},"
    "\"NS\":{\"calls\":1,\"police_deployed\":0},\"W1\":{\"calls\":1,\"police_deployed\":0},"
    "\"unknown\":{\"calls\":3,\"police_deployed\":0}},"
    "\"sex\":{\"female\":{\"calls\":1,\"police_deployed\":0},\"male\":{\"calls\":2,\"police_deployed\":2},"
    "\"other\":{\"calls\":1,\"police_deployed\":0},\"unknown\":{\"calls\":3,\"police_deployed\":0}},"
    "\"age_band\":{\"0-17\":{\"calls\":1,\"police_deployed\":1},\"25-34\":{\"calls\":1,\"police_deployed\":0},"
    "\"65+\":{\"calls\":1,\"police_deployed\":1},\"unknown\":{\"calls\":4,\"police_deployed\":0}}}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) summary = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *text = NULL;
  RcrpSummaryOptions options;
  JsonObject *got, *want;

  shift_options (&options);
  summary = rcrp_summary_build (fixture->store, &options, NULL, &error);
  g_assert_no_error (error);
  rcrp_summary_options_clear (&options);

  /* The contract's members, compared as JSON (the extra members are
   * allowed, and checked below). */
  g_assert_true (json_parser_load_from_data (parser, expected, -1, &error));
  want = json_node_get_object (json_parser_get_root (parser));
  got = json_node_get_object (summary);
  {
    g_autoptr(GList) members = json_object_get_members (want);

    for (GList *l = members; l != NULL; l = l->next)
      {
        JsonNode *w = json_object_get_member (want, l->data);
        JsonNode *g = json_object_get_member (got, l->data);

        if (g == NULL || !json_node_equal (w, g))
          {
            g_autoptr(JsonGenerator) gen = json_generator_new ();
            g_autofree char *wt = NULL;
            g_autofree char *gt = NULL;

            json_generator_set_root (gen, w);
            wt = json_generator_to_data (gen, NULL);
            if (g != NULL)
              {
                json_generator_set_root (gen, g);
                gt = json_generator_to_data (gen, NULL);
              }
            g_error ("member “%s”: expected %s, got %s", (const char *) l->data, wt, gt);
          }
      }
  }

  /* Outcomes add up to the calls. */
  {
    JsonObject *outcomes = json_object_get_object_member (got, "outcomes");
    gint64 sum = 0;
    g_autoptr(GList) members = json_object_get_members (outcomes);

    for (GList *l = members; l != NULL; l = l->next)
      sum += json_object_get_int_member (outcomes, l->data);
    g_assert_cmpint (sum, ==, json_object_get_int_member (got, "calls"));
  }

  /* Referrals with their answers: the ambulance service declined. */
  {
    JsonObject *referrals = json_object_get_object_member (got, "referrals");
    JsonObject *ambulance = json_object_get_object_member (referrals, "ambulance");
    JsonObject *crisis = json_object_get_object_member (referrals, "crisis-team");

    g_autoptr(GList) agencies = json_object_get_members (referrals);

    g_assert_cmpint (json_object_get_int_member (ambulance, "declined"), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (ambulance, "name"), ==, "Ambulance service clinical hub");
    /* C1; C7's referral was undone, so never made. */
    g_assert_cmpint (json_object_get_int_member (crisis, "referred"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (crisis, "accepted"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (crisis, "withdrawn"), ==, 0);
    g_assert_cmpint (json_object_get_int_member (crisis, "undone"), ==, 1);
    g_assert_cmpfloat (json_object_get_double_member (crisis, "mean_minutes_to_accept"), ==, 14.0);

    /* The answers add up to the referrals, agency by agency. */
    for (GList *l = agencies; l != NULL; l = l->next)
      {
        JsonObject *r = json_object_get_object_member (referrals, l->data);

        g_assert_cmpint (json_object_get_int_member (r, "referred"), ==,
                         json_object_get_int_member (r, "accepted") + json_object_get_int_member (r, "declined") +
                         json_object_get_int_member (r, "pending") + json_object_get_int_member (r, "withdrawn"));
      }
  }

  /* Each grade against its target: C2 (grade 1) in 3 minutes; C1 and C3
   * (grade 2) in 6 and 10; C4 and C5 (grade 3) in 40 and 2, C7 undone;
   * C6 (grade 4) undecided. */
  {
    JsonObject *grades = json_object_get_object_member (got, "decisions_by_grade");
    struct { const char *grade; gint64 target, calls, decided, within; double median; } want_grades[] = {
      { "1", 5, 1, 1, 1, 3.0 }, { "2", 15, 2, 2, 2, 8.0 }, { "3", 60, 3, 2, 2, 21.0 }, { "4", 240, 1, 0, 0, -1 },
    };

    for (guint i = 0; i < G_N_ELEMENTS (want_grades); i++)
      {
        JsonObject *g = json_object_get_object_member (grades, want_grades[i].grade);

        g_assert_cmpint (json_object_get_int_member (g, "target_minutes"), ==, want_grades[i].target);
        g_assert_cmpint (json_object_get_int_member (g, "calls"), ==, want_grades[i].calls);
        g_assert_cmpint (json_object_get_int_member (g, "decided"), ==, want_grades[i].decided);
        g_assert_cmpint (json_object_get_int_member (g, "within_target"), ==, want_grades[i].within);
        if (want_grades[i].median < 0)
          g_assert_true (json_object_get_null_member (g, "median_minutes"));
        else
          g_assert_cmpfloat (json_object_get_double_member (g, "median_minutes"), ==, want_grades[i].median);
      }
  }

  /* A tighter target for grade 3: C4's 40 minutes are past it. */
  {
    g_autoptr(JsonNode) tighter = NULL;
    JsonObject *grade3;

    shift_options (&options);
    options.target_minutes[2] = 30;
    tighter = rcrp_summary_build (fixture->store, &options, NULL, &error);
    g_assert_no_error (error);
    rcrp_summary_options_clear (&options);
    grade3 = json_object_get_object_member (json_object_get_object_member (json_node_get_object (tighter),
                                                                           "decisions_by_grade"), "3");
    g_assert_cmpint (json_object_get_int_member (grade3, "target_minutes"), ==, 30);
    g_assert_cmpint (json_object_get_int_member (grade3, "within_target"), ==, 1);
  }

  /* Calls by local hour: C4 and C5 are both 01:30 on the clock. */
  {
    JsonArray *hours = json_object_get_array_member (got, "calls_by_hour");

    g_assert_cmpint (json_array_get_int_element (hours, 1), ==, 2);
    g_assert_cmpint (json_array_get_int_element (hours, 19), ==, 1);  /* C1, 19:00 BST */
  }
}

static GPtrArray *
csv_records (const char *text)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GPtrArray *record = g_ptr_array_new_with_free_func (g_free);
  GString *field = g_string_new (NULL);
  gboolean quoted = FALSE;

  /* A strict RFC 4180 reader: every record ends with CRLF. */
  for (const char *p = text; *p; p++)
    {
      if (quoted)
        {
          if (*p == '"' && p[1] == '"')
            g_string_append_c (field, *p++);
          else if (*p == '"')
            quoted = FALSE;
          else
            g_string_append_c (field, *p);
        }
      else if (*p == '"')
        {
          g_assert_cmpuint (field->len, ==, 0);
          quoted = TRUE;
        }
      else if (*p == ',')
        {
          g_ptr_array_add (record, g_string_free (field, FALSE));
          field = g_string_new (NULL);
        }
      else if (*p == '\r')
        {
          g_assert_cmpint (p[1], ==, '\n');
          p++;
          g_ptr_array_add (record, g_string_free (field, FALSE));
          field = g_string_new (NULL);
          g_ptr_array_add (records, record);
          record = g_ptr_array_new_with_free_func (g_free);
        }
      else
        {
          g_assert_cmpint (*p, !=, '\n');
          g_string_append_c (field, *p);
        }
    }

  g_assert_false (quoted);
  g_assert_cmpuint (field->len, ==, 0);
  g_assert_cmpuint (record->len, ==, 0);
  g_string_free (field, TRUE);
  g_ptr_array_unref (record);

  return records;
}

static void
assert_record (GPtrArray          *records,
               guint               index,
               const char * const *expected)
{
  GPtrArray *record = g_ptr_array_index (records, index);

  for (guint i = 0; expected[i] != NULL; i++)
    if (i >= record->len || g_strcmp0 (g_ptr_array_index (record, i), expected[i]) != 0)
      g_error ("row %u column %u: expected “%s”, got “%s”", index, i, expected[i],
               i < record->len ? (const char *) g_ptr_array_index (record, i) : "(none)");

  g_assert_cmpuint (record->len, ==, g_strv_length ((char **) expected));
}

static void
test_csv_rows (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->folder, "shift.csv", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) records = NULL;
  RcrpSummaryOptions options;
  GStatBuf st;

  shift_options (&options);
  g_assert_true (rcrp_summary_export (fixture->store, &options, RCRP_SUMMARY_FORMAT_CSV, path, NULL, &error));
  g_assert_no_error (error);
  rcrp_summary_options_clear (&options);

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0640);

  text = read_file (path);
  records = csv_records (text);
  g_assert_cmpuint (records->len, ==, 8);

  assert_record (records, 0, (const char *[]) { "cad_ref", "received_at", "category", "initial_grade", "outcome",
                                                "agency", "decided_at", "decided_by", "minutes_to_decision",
                                                "appealed", "appeal_result", NULL });
  assert_record (records, 1, (const char *[]) { "C1", "2026-10-24T18:00:00Z", "concern_for_welfare", "2", "referred",
                                                "crisis-team", "2026-10-24T18:06:00Z", user_data ? user_data : "alice",
                                                "6.0", "no", "", NULL });
  assert_record (records, 2, (const char *[]) { "C2", "2026-10-24T19:30:00Z", "walked_out_of_healthcare", "1",
                                                "police_deployed", "", "2026-10-24T19:33:00Z",
                                                user_data ? user_data : "alice", "3.0", "no", "", NULL });
  assert_record (records, 3, (const char *[]) { "C3", "2026-10-24T22:10:00Z", "awol_mental_health", "2",
                                                "police_deployed", "", "2026-10-24T22:35:00Z",
                                                user_data ? user_data : "alice", "10.0", "yes", "overturned", NULL });
  assert_record (records, 4, (const char *[]) { "C4", "2026-10-25T00:30:00Z", "medical_incident", "3", "referred",
                                                "nhs-111-mh", "2026-10-25T01:20:00Z", user_data ? user_data : "alice",
                                                "40.0", "no", "", NULL });
  assert_record (records, 5, (const char *[]) { "C5", "2026-10-25T01:30:00Z", "mental_health_other", "3",
                                                "no_further_action", "", "2026-10-25T01:32:00Z",
                                                user_data ? user_data : "alice", "2.0", "yes", "upheld", NULL });
  assert_record (records, 6, (const char *[]) { "C7", "2026-10-25T03:00:00Z", "concern_for_welfare", "3", "undecided",
                                                "", "", "", "", "no", "", NULL });
  assert_record (records, 7, (const char *[]) { "C6", "2026-10-25T06:59:59Z", "concern_for_welfare", "4", "undecided",
                                                "", "", "", "", "no", "", NULL });
}

/* A workstation name or person's name with commas, quotes and line
 * breaks comes through RFC 4180 quoting whole. */
static void
test_csv_quoting (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) output = g_memory_output_stream_new_resizable ();
  g_autoptr(GPtrArray) records = NULL;
  g_autofree char *text = NULL;
  RcrpSummaryOptions options;
  GPtrArray *c1;

  ingest (fixture, "Q1", "2026-10-24T20:00:00Z", "concern_for_welfare", 3,
          ", \"subject\": {\"name\": \"Jo \\\"JJ\\\" Smith, jr\\nsecond line\"}, "
          "\"location\": {\"address\": \"1 High St,\\r\\nTown\"}");

  shift_options (&options);
  options.include_personal = TRUE;
  g_assert_true (rcrp_summary_write_csv (fixture->store, &options, output, NULL, &error));
  g_assert_no_error (error);
  rcrp_summary_options_clear (&options);
  g_assert_true (g_output_stream_write_all (output, "", 1, NULL, NULL, &error));
  g_assert_true (g_output_stream_close (output, NULL, &error));

  text = g_strdup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (output)));
  g_assert_nonnull (strstr (text, "\"Jo \"\"JJ\"\" Smith, jr\nsecond line\""));
  records = csv_records (text);
  g_assert_cmpuint (records->len, ==, 9);
  c1 = g_ptr_array_index (records, 1);
  g_assert_cmpuint (c1->len, ==, 16);
  g_assert_cmpstr (g_ptr_array_index (c1, 11), ==, SECRET_NAME);
  g_assert_cmpstr (g_ptr_array_index (c1, 13), ==, SECRET_PHONE);
  g_assert_cmpstr (g_ptr_array_index (c1, 14), ==, SECRET_ADDRESS);
  for (guint i = 0; i < records->len; i++)
    {
      GPtrArray *record = g_ptr_array_index (records, i);

      if (g_str_equal (g_ptr_array_index (record, 0), "Q1"))
        {
          g_assert_cmpstr (g_ptr_array_index (record, 11), ==, "Jo \"JJ\" Smith, jr\nsecond line");
          g_assert_cmpstr (g_ptr_array_index (record, 14), ==, "1 High St,\r\nTown");
        }
    }
}

static char *
pdf_text (const char *pdf,
          const char *first_page)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int status;

  g_assert_true (g_spawn_sync (NULL, (char *[]) { (char *) "pdftotext", (char *) "-f", (char *) first_page,
                                                  (char *) "-l", (char *) first_page, (char *) "-layout",
                                                  (char *) pdf, (char *) "-", NULL },
                               NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  return g_steal_pointer (&out);
}

static void
test_pdf_pages (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->folder, "shift.pdf", NULL);
  g_autofree char *info = NULL;
  g_autofree char *page1 = NULL;
  g_autofree char *page2 = NULL;
  g_autofree char *page3 = NULL;
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  RcrpSummaryOptions options;
  int status;

  if (pdftotext == NULL)
    {
      g_test_fail_printf ("pdftotext (poppler-utils) is needed to read the report back");
      return;
    }

  shift_options (&options);
  g_assert_true (rcrp_summary_export (fixture->store, &options, RCRP_SUMMARY_FORMAT_PDF, path, NULL, &error));
  g_assert_no_error (error);
  rcrp_summary_options_clear (&options);

  /* Kept for a look by eye when the test is run by hand,
   * before anything is checked. */
  if (g_getenv ("RCRP_KEEP_REPORT") != NULL)
    {
      g_autoptr(GFile) source = g_file_new_for_path (path);
      g_autoptr(GFile) kept = g_file_new_for_path (g_getenv ("RCRP_KEEP_REPORT"));

      g_assert_true (g_file_copy (source, kept, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, NULL));
    }

  g_assert_true (g_spawn_sync (NULL, (char *[]) { (char *) "pdfinfo", path, NULL }, NULL, G_SPAWN_SEARCH_PATH,
                               NULL, NULL, &info, NULL, &status, &error));
  g_assert_nonnull (strstr (info, "Pages:           3"));
  g_assert_nonnull (strstr (info, "595.276 x 841.89 pts (A4)"));

  page1 = pdf_text (path, "1");
  for (const char * const *s = (const char *[]) { "shift summary", "Headline figures", "Calls received", "7",
                                                  "Deployments avoided", "Officer hours released", "6.5",
                                                  "6.0 min", "28.0 min", "40.0 min", "2: 1 upheld, 1 overturned",
                                                  "Outcomes by category", "Concern for welfare", "page 1 of 3",
                                                  "Decisions against each grade’s target", "Grade 1", "5 min",
                                                  "240 min", "Within target", "1 of 1", "21.0 min", NULL };
       *s != NULL; s++)
    if (strstr (page1, *s) == NULL)
      g_error ("page 1 lacks “%s”:\n%s", *s, page1);

  page2 = pdf_text (path, "2");
  for (const char * const *s = (const char *[]) { "Calls by hour", "Minutes from receipt to first decision",
                                                  "Referrals by agency", "Crisis resolution and home",
                                                  "Ambulance service clinical hub", "Superseded",
                                                  "1 referral undone by the coordinator is not counted", NULL };
       *s != NULL; s++)
    if (strstr (page2, *s) == NULL)
      g_error ("page 2 lacks “%s”:\n%s", *s, page2);
  /* Agencies by name, not id. */
  for (const char * const *s = (const char *[]) { "crisis-team", "nhs-111-mh", "ambulance ", NULL }; *s != NULL; s++)
    if (strstr (page2, *s) != NULL)
      g_error ("page 2 names an agency by its id “%s”:\n%s", *s, page2);
  /* The night shift's hours on the clock, 19:00 to 06:00 (the clocks go
   * back at 02:00 BST): twelve bars, no 07 to 18. */
  {
    g_auto(GStrv) lines = g_strsplit (page2, "\n", -1);
    gboolean found = FALSE;

    for (guint i = 0; lines[i] != NULL && !found; i++)
      {
        g_auto(GStrv) words = g_strsplit_set (g_strstrip (lines[i]), " ", -1);
        g_autoptr(GString) joined = g_string_new (NULL);

        for (guint w = 0; words[w] != NULL; w++)
          if (*words[w] != '\0')
            g_string_append_printf (joined, "%s ", words[w]);
        if (g_str_has_prefix (joined->str, "19 20 "))
          {
            g_assert_cmpstr (joined->str, ==, "19 20 21 22 23 00 01 02 03 04 05 06 ");
            found = TRUE;
          }
      }
    if (!found)
      g_error ("page 2 has no hours of the shift:\n%s", page2);
  }

  page3 = pdf_text (path, "3");
  for (const char * const *s = (const char *[]) { "Disproportionality", "Self-defined ethnicity", "B1", "1 of 1",
                                                  "Age band", "65+", "Appeals and disputes", "Overturned: 1", NULL };
       *s != NULL; s++)
    if (strstr (page3, *s) == NULL)
      g_error ("page 3 lacks “%s”:\n%s", *s, page3);
  /* No percentage of a group of one. */
  if (strstr (page3, "100%") != NULL || strstr (page3, "0%") != NULL)
    g_error ("page 3 gives a percentage of a small group:\n%s", page3);

}

/* Names, phones and addresses stay out of every format unless asked
 * for; asking is recorded. */
static void
test_no_personal_data (Fixture       *fixture,
                       gconstpointer  user_data)
{
  static const RcrpSummaryFormat formats[] = {
    RCRP_SUMMARY_FORMAT_JSON, RCRP_SUMMARY_FORMAT_CSV, RCRP_SUMMARY_FORMAT_PDF,
  };
  g_autoptr(GError) error = NULL;
  RcrpSummaryOptions options;

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *name = g_strdup_printf ("out.%s", rcrp_summary_format_to_string (formats[i]));
      g_autofree char *path = g_build_filename (fixture->folder, name, NULL);
      g_autofree char *contents = NULL;

      shift_options (&options);
      g_assert_true (rcrp_summary_export (fixture->store, &options, formats[i], path, NULL, &error));
      g_assert_no_error (error);
      rcrp_summary_options_clear (&options);

      contents = formats[i] == RCRP_SUMMARY_FORMAT_PDF ? pdf_text (path, "1") : read_file (path);
      if (formats[i] == RCRP_SUMMARY_FORMAT_PDF)
        for (const char *page = "2"; page != NULL; page = g_str_equal (page, "2") ? "3" : NULL)
          {
            g_autofree char *more = pdf_text (path, page);
            g_autofree char *joined = g_strconcat (contents, more, NULL);

            g_free (contents);
            contents = g_steal_pointer (&joined);
          }

      for (const char * const *secret = (const char *[]) { SECRET_NAME, SECRET_PHONE, SECRET_ADDRESS, "Pat Caller",
                                                          "SO16", NULL };
           *secret != NULL; secret++)
        if (strstr (contents, *secret) != NULL)
          g_error ("%s holds “%s”", name, *secret);
    }

  /* Every export is in the audit log, with whether it held personal data. */
  {
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_open_v2 (fixture->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT COUNT (*), SUM (json_extract (payload, '$.personal_data')) "
                                             "FROM events WHERE kind = 'summary.exported' AND operator = ?1",
                                         -1, &stmt, NULL), ==, SQLITE_OK);
    sqlite3_bind_text (stmt, 1, user_data ? user_data : "alice", -1, SQLITE_STATIC);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 3);
    g_assert_cmpint (sqlite3_column_int (stmt, 1), ==, 0);
    sqlite3_finalize (stmt);
    sqlite3_close (db);
  }

  g_assert_true (rcrp_store_verify (fixture->store, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* Through the command line: the shift shorthand, the exit codes. */
static void
test_cli_export (Fixture       *fixture,
                 gconstpointer  user_data)
{
  const char *cli = g_getenv ("RCRP_CLI");
  g_autofree char *path = g_build_filename (fixture->folder, "cli.json", NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  JsonObject *summary;

  g_assert_nonnull (cli);

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error, cli, "export", "--shift", SHIFT,
                              "--format", "json", "--output", path, "--database", fixture->path, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (process, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (json_parser_load_from_file (parser, path, &error));
  summary = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (summary, "from"), ==, FROM);
  g_assert_cmpstr (json_object_get_string_member (summary, "to"), ==, TO);
  g_assert_cmpint (json_object_get_int_member (summary, "calls"), ==, 7);

  /* A bad interval is a usage error naming the option. */
  g_clear_object (&process);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDERR_PIPE, &error, cli, "export", "--from", "yesterday",
                              "--to", TO, "--output", path, "--database", fixture->path, NULL);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 2);
  g_assert_nonnull (strstr (err, "--from"));
}

/* Exports and the handover PDF name people: each is written whole, 0640
 * whatever the umask, and a link placed where it goes is replaced, never
 * written through. */
static void
test_written_files_private_and_never_through_a_link (Fixture       *fixture,
                                                     gconstpointer  user_data)
{
  g_autofree char *victim = g_build_filename (fixture->folder, "victim.txt", NULL);
  g_autofree char *summary = g_build_filename (fixture->folder, "summary.json", NULL);
  g_autofree char *handover = g_build_filename (fixture->folder, "handover.pdf", NULL);
  const char *paths[] = { summary, handover };
  g_autofree char *kept = NULL;
  g_autoptr(GError) error = NULL;
  RcrpSummaryOptions options;
  mode_t old_umask;

  g_assert_true (g_file_set_contents (victim, "not to be overwritten", -1, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    g_assert_cmpint (symlink (victim, paths[i]), ==, 0);

  old_umask = umask (0);

  shift_options (&options);
  g_assert_true (rcrp_summary_export (fixture->store, &options, RCRP_SUMMARY_FORMAT_JSON, summary, NULL, &error));
  g_assert_no_error (error);
  rcrp_summary_options_clear (&options);

  g_assert_true (rcrp_pdf_write_text ("Shift handover", "Two calls open.", handover, &error));
  g_assert_no_error (error);

  umask (old_umask);

  kept = read_file (victim);
  g_assert_cmpstr (kept, ==, "not to be overwritten");
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      GStatBuf st;

      g_assert_cmpint (g_lstat (paths[i], &st), ==, 0);
      g_assert_true (S_ISREG (st.st_mode));
      g_assert_cmpint (st.st_mode & 0777, ==, 0640);
      g_assert_cmpint (st.st_size, >, 0);
    }

  /* Nothing left behind beside them. */
  {
    g_autoptr(GDir) dir = g_dir_open (fixture->folder, 0, NULL);
    const char *entry;

    while ((entry = g_dir_read_name (dir)) != NULL)
      g_assert_false (g_str_has_prefix (entry, ".summary.json.") || g_str_has_prefix (entry, ".handover.pdf."));
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  /* The rcrp tool acts as alice, who made the database (a test build). */
  g_setenv ("RCRP_TEST_OPERATOR", "alice", TRUE);

  g_test_add_func ("/export/shift-interval", test_shift_interval);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/export/json-figures", test_json_figures);
  ADD ("/export/csv-rows", test_csv_rows);
  ADD ("/export/csv-quoting", test_csv_quoting);
  ADD ("/export/pdf-pages", test_pdf_pages);
  ADD ("/export/no-personal-data", test_no_personal_data);
  ADD ("/export/cli", test_cli_export);
  ADD ("/export/written-files-private-and-never-through-a-link", test_written_files_private_and_never_through_a_link);

  return g_test_run ();
}

/* test-simulator.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rcrp-feed.h"
#include "rcrp-simulator.h"

#define N_CALLS 1000

static GDateTime *
fixed_now (void)
{
  return g_date_time_new_utc (2026, 11, 22, 15, 0, 0);
}

/* N_CALLS calls from one simulator, one a minute up to "now". */
static GPtrArray *
make_calls (guint32 seed)
{
  g_autoptr(GDateTime) now = fixed_now ();
  g_autoptr(RcrpSimulator) simulator = rcrp_simulator_new (seed, now);
  GPtrArray *calls = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);

  for (guint i = 0; i < N_CALLS; i++)
    {
      g_autoptr(GDateTime) received_at = g_date_time_add_minutes (now, (int) i - N_CALLS);

      g_ptr_array_add (calls, rcrp_simulator_next_call (simulator, received_at));
    }

  return calls;
}

static JsonObject *
call_object (GPtrArray *calls,
             guint      index)
{
  return json_node_get_object (g_ptr_array_index (calls, index));
}

static const char *
string_member (JsonObject *object,
               const char *member)
{
  return json_object_has_member (object, member) ? json_object_get_string_member (object, member) : NULL;
}

static gboolean
has_risk (JsonObject *call,
          const char *risk)
{
  JsonArray *risks;

  if (!json_object_has_member (call, "risk_indicators"))
    return FALSE;

  risks = json_object_get_array_member (call, "risk_indicators");
  for (guint i = 0; i < json_array_get_length (risks); i++)
    {
      if (g_str_equal (json_array_get_string_element (risks, i), risk))
        return TRUE;
    }

  return FALSE;
}

static void
test_same_seed_same_calls (void)
{
  g_autoptr(GDateTime) now = fixed_now ();
  g_autoptr(RcrpSimulator) first = rcrp_simulator_new (42, now);
  g_autoptr(RcrpSimulator) second = rcrp_simulator_new (42, now);
  g_autofree char *first_document = rcrp_simulator_generate (first, 200, 3 * G_TIME_SPAN_HOUR);
  g_autofree char *second_document = rcrp_simulator_generate (second, 200, 3 * G_TIME_SPAN_HOUR);
  g_autoptr(GPtrArray) again = make_calls (42);
  g_autoptr(GPtrArray) once_more = make_calls (42);

  g_assert_cmpstr (first_document, ==, second_document);

  for (guint i = 0; i < N_CALLS; i++)
    g_assert_true (json_node_equal (g_ptr_array_index (again, i), g_ptr_array_index (once_more, i)));

  g_assert_finalize_object (g_steal_pointer (&first));
  g_assert_finalize_object (g_steal_pointer (&second));
}

static void
test_other_seed_other_calls (void)
{
  g_autoptr(GPtrArray) one = make_calls (1);
  g_autoptr(GPtrArray) two = make_calls (2);
  g_autoptr(GHashTable) refs = g_hash_table_new (g_str_hash, g_str_equal);
  guint same_summaries = 0;

  for (guint i = 0; i < N_CALLS; i++)
    {
      JsonObject *a = call_object (one, i);
      JsonObject *b = call_object (two, i);

      if (g_str_equal (string_member (a, "summary"), string_member (b, "summary")))
        same_summaries++;

      g_assert_true (g_hash_table_add (refs, (gpointer) string_member (a, "cad_ref")));
      g_assert_true (g_hash_table_add (refs, (gpointer) string_member (b, "cad_ref")));
    }

  /* Different seeds share no cad_ref, and tell different stories. */
  g_assert_cmpuint (g_hash_table_size (refs), ==, 2 * N_CALLS);
  g_assert_cmpuint (same_summaries, <, N_CALLS / 20);
}

static void
test_cad_refs_unique_and_well_formed (void)
{
  g_autoptr(GPtrArray) calls = make_calls (7);
  g_autoptr(GHashTable) refs = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GRegex) pattern = g_regex_new ("^SIM-2026112[12]-[0-9]{6}-[0-9A-Z]{7}$", 0, 0, NULL);
  g_autofree char *suffix = NULL;

  for (guint i = 0; i < N_CALLS; i++)
    {
      const char *cad_ref = string_member (call_object (calls, i), "cad_ref");

      g_assert_true (g_regex_match (pattern, cad_ref, 0, NULL));
      g_assert_cmpuint (strlen (cad_ref), <=, 64);
      g_assert_true (g_hash_table_add (refs, (gpointer) cad_ref));

      /* One simulator, one suffix. */
      if (suffix == NULL)
        suffix = g_strdup (strrchr (cad_ref, '-'));
      g_assert_cmpstr (strrchr (cad_ref, '-'), ==, suffix);
    }
}

static void
test_every_category_appears (void)
{
  g_autoptr(GPtrArray) calls = make_calls (2026);
  guint counts[RCRP_N_CATEGORIES] = { 0, };
  /* The weights the simulator aims at, in per cent. */
  const guint weights[RCRP_N_CATEGORIES] = { 45, 15, 10, 15, 15 };

  for (guint i = 0; i < N_CALLS; i++)
    {
      RcrpCategory category;

      g_assert_true (rcrp_category_from_string (string_member (call_object (calls, i), "category"), &category));
      counts[category]++;
    }

  for (guint c = 0; c < RCRP_N_CATEGORIES; c++)
    {
      g_test_message ("%s: %u", rcrp_category_to_string (c), counts[c]);
      g_assert_cmpuint (counts[c], >, 0);
      /* Generous bounds: a thousand draws stay well within five points. */
      g_assert_cmpint (ABS ((int) counts[c] - (int) weights[c] * 10), <, 50);
    }
}

static void
test_every_call_passes_the_contract (void)
{
  g_autoptr(GPtrArray) calls = make_calls (99);
  g_autoptr(GDateTime) now = fixed_now ();
  g_autoptr(RcrpSimulator) simulator = rcrp_simulator_new (99, now);
  g_autofree char *document = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) parsed = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  for (guint i = 0; i < N_CALLS; i++)
    {
      g_autofree char *text = json_to_string (g_ptr_array_index (calls, i), FALSE);
      gsize text_length = strlen (text);
      g_autoptr(GBytes) one = g_bytes_new_take (g_steal_pointer (&text), text_length);
      g_autoptr(GPtrArray) result = NULL;

      result = rcrp_feed_parse_bytes (one, "simulated", &error);
      g_assert_no_error (error);
      g_assert_nonnull (result);
      g_assert_cmpuint (result->len, ==, 1);
    }

  /* The whole document too, as `rcrp simulate` prints it. */
  document = rcrp_simulator_generate (simulator, 300, 6 * G_TIME_SPAN_HOUR);
  length = strlen (document);
  bytes = g_bytes_new_take (g_steal_pointer (&document), length);
  parsed = rcrp_feed_parse_bytes (bytes, "simulated", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (parsed->len, ==, 300);
}

static void
test_generate_spreads_calls_up_to_now (void)
{
  g_autoptr(GDateTime) now = fixed_now ();
  g_autoptr(RcrpSimulator) simulator = rcrp_simulator_new (5, now);
  g_autofree char *document = rcrp_simulator_generate (simulator, 7, G_TIME_SPAN_HOUR);
  g_autoptr(JsonNode) root = json_from_string (document, NULL);
  JsonArray *array = json_node_get_array (root);
  g_autoptr(GDateTime) previous = NULL;

  g_assert_cmpuint (json_array_get_length (array), ==, 7);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "received_at"),
                   ==, "2026-11-22T14:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 6), "received_at"),
                   ==, "2026-11-22T15:00:00Z");

  for (guint i = 0; i < 7; i++)
    {
      const char *text = json_object_get_string_member (json_array_get_object_element (array, i), "received_at");
      g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 (text, NULL);

      g_assert_true (g_str_has_suffix (text, "Z"));
      if (previous != NULL)
        g_assert_cmpint (g_date_time_compare (previous, at), <, 0);
      g_clear_pointer (&previous, g_date_time_unref);
      previous = g_steal_pointer (&at);
    }
}

static void
test_healthcare_setting_is_consistent (void)
{
  g_autoptr(GPtrArray) calls = make_calls (314);
  guint detained_walk_outs = 0;

  for (guint i = 0; i < N_CALLS; i++)
    {
      JsonObject *call = call_object (calls, i);
      const char *category = string_member (call, "category");
      gboolean walked = g_str_equal (category, "walked_out_of_healthcare");
      gboolean awol = g_str_equal (category, "awol_mental_health");
      JsonObject *setting;
      g_autoptr(GDateTime) left_at = NULL;
      g_autoptr(GDateTime) received_at = NULL;
      gboolean detained;

      g_assert_cmpint (json_object_has_member (call, "healthcare_setting"), ==, walked || awol);
      if (!walked && !awol)
        continue;

      setting = json_object_get_object_member (call, "healthcare_setting");
      g_assert_nonnull (string_member (setting, "name"));

      left_at = g_date_time_new_from_iso8601 (string_member (setting, "left_at"), NULL);
      received_at = g_date_time_new_from_iso8601 (string_member (call, "received_at"), NULL);
      g_assert_cmpint (g_date_time_compare (left_at, received_at), <, 0);

      detained = json_object_get_boolean_member (setting, "detained");
      if (awol)
        g_assert_true (detained);

      /* Detained means a section and not informal; informal means not
       * detained; the summary says which. */
      if (detained)
        {
          g_assert_nonnull (string_member (setting, "mha_section"));
          g_assert_false (json_object_get_boolean_member_with_default (setting, "informal", FALSE));
          if (walked)
            {
              detained_walk_outs++;
              g_assert_nonnull (strstr (string_member (call, "summary"), "liable to be detained"));
            }
        }
      else
        {
          g_assert_false (json_object_has_member (setting, "mha_section"));
          if (json_object_get_boolean_member_with_default (setting, "informal", FALSE))
            g_assert_nonnull (strstr (string_member (call, "summary"), "Informal patient"));
        }
    }

  /* The rare walk-out who is really AWOL is there for triage to catch. */
  g_assert_cmpuint (detained_walk_outs, >, 0);
}

/* The words of the summary and the structured fields tell the same story. */
static void
test_summary_agrees_with_fields (void)
{
  g_autoptr(GPtrArray) calls = make_calls (1234);
  const struct {
    const char *words;
    const char *risk;
  } signs[] = {
    { "knife", "weapon" },
    { "hammer", "weapon" },
    { "broken bottle", "weapon" },
    { "end her life", "suicidal_intent" },
    { "end his life", "suicidal_intent" },
    { "wants to jump", "suicidal_intent" },
    { "cutting", "self_harm" },
    { "smashing windows", "crime_in_progress" },
    { "year-old child", "child_at_risk" },
    { "young child", "child_at_risk" },
    { "children are in", "child_at_risk" },
    { "dementia", "vulnerable_adult" },
    { "Whereabouts unknown", "location_unknown" },
    { "drinking heavily", "intoxication" },
  };

  for (guint i = 0; i < N_CALLS; i++)
    {
      JsonObject *call = call_object (calls, i);
      const char *summary = string_member (call, "summary");
      JsonObject *subject = json_object_get_object_member (call, "subject");
      int grade = (int) json_object_get_int_member_with_default (call, "initial_grade", 3);

      g_assert_cmpint (grade, >=, 1);
      g_assert_cmpint (grade, <=, 4);
      g_assert_cmpuint (strlen (summary), <=, 4000);

      for (guint s = 0; s < G_N_ELEMENTS (signs); s++)
        {
          if (strstr (summary, signs[s].words) != NULL && !has_risk (call, signs[s].risk))
            g_error ("Call %u says “%s” but has no %s indicator: %s", i, signs[s].words, signs[s].risk, summary);
        }

      if (strstr (summary, "Known to") != NULL || strstr (summary, "Open to the community") != NULL)
        g_assert_true (json_object_get_boolean_member (subject, "known_to_services"));
      if (strstr (summary, "Not known to mental health") != NULL || strstr (summary, "No previous contact") != NULL)
        g_assert_false (json_object_get_boolean_member (subject, "known_to_services"));

      /* Nobody knows where the person is: no exact address is made up. */
      if (has_risk (call, "location_unknown") && json_object_has_member (call, "location") &&
          !json_object_has_member (call, "healthcare_setting"))
        g_assert_false (json_object_has_member (json_object_get_object_member (call, "location"), "postcode"));

      /* Pronouns agree with the subject's sex. */
      if (g_str_equal (string_member (subject, "sex"), "female"))
        g_assert_null (strstr (summary, " his "));
      if (g_str_equal (string_member (subject, "sex"), "male"))
        g_assert_null (strstr (summary, " her "));

      /* Templates are all filled in. */
      g_assert_null (strchr (summary, '{'));
    }
}

static void
test_fields_vary_plausibly (void)
{
  g_autoptr(GPtrArray) calls = make_calls (77);
  g_autoptr(GHashTable) ethnicities = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) relationships = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) summaries = g_hash_table_new (g_str_hash, g_str_equal);
  guint grades[5] = { 0, };
  guint w1 = 0;
  guint with_postcode = 0;

  for (guint i = 0; i < N_CALLS; i++)
    {
      JsonObject *call = call_object (calls, i);
      JsonObject *subject = json_object_get_object_member (call, "subject");
      JsonObject *caller = json_object_get_object_member (call, "caller");
      const char *ethnicity = string_member (subject, "ethnicity");

      if (ethnicity != NULL)
        {
          g_hash_table_add (ethnicities, (gpointer) ethnicity);
          if (g_str_equal (ethnicity, "W1"))
            w1++;
        }

      g_hash_table_add (relationships, (gpointer) string_member (caller, "relationship"));
      g_hash_table_add (summaries, (gpointer) string_member (call, "summary"));
      grades[json_object_get_int_member_with_default (call, "initial_grade", 0)]++;

      if (json_object_has_member (call, "location") &&
          json_object_has_member (json_object_get_object_member (call, "location"), "postcode"))
        with_postcode++;
    }

  /* Every grade, most of the ethnicity codes with W1 the largest group,
   * every kind of caller, and summaries that hardly ever repeat. */
  for (guint g = 1; g <= 4; g++)
    g_assert_cmpuint (grades[g], >, 30);
  g_assert_cmpuint (g_hash_table_size (ethnicities), >=, 15);
  g_assert_cmpuint (w1, >, N_CALLS / 2);
  g_assert_cmpuint (g_hash_table_size (relationships), ==, 7);
  g_assert_cmpuint (g_hash_table_size (summaries), >, N_CALLS * 9 / 10);
  g_assert_cmpuint (with_postcode, >, N_CALLS / 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/simulator/same-seed-gives-same-calls", test_same_seed_same_calls);
  g_test_add_func ("/simulator/other-seed-gives-other-calls", test_other_seed_other_calls);
  g_test_add_func ("/simulator/cad-refs-are-unique-and-well-formed", test_cad_refs_unique_and_well_formed);
  g_test_add_func ("/simulator/every-category-appears-in-1000-calls", test_every_category_appears);
  g_test_add_func ("/simulator/every-call-passes-the-feed-contract", test_every_call_passes_the_contract);
  g_test_add_func ("/simulator/generate-spreads-calls-up-to-now", test_generate_spreads_calls_up_to_now);
  g_test_add_func ("/simulator/healthcare-setting-is-consistent", test_healthcare_setting_is_consistent);
  g_test_add_func ("/simulator/summary-agrees-with-fields", test_summary_agrees_with_fields);
  g_test_add_func ("/simulator/fields-vary-plausibly", test_fields_vary_plausibly);

  return g_test_run ();
}

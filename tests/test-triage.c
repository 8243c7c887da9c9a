/* test-triage.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rcrp-feed.h"
#include "rcrp-triage.h"

static RcrpTriageRules *rules;

static RcrpCall *
make_call (const char *category,
           const char *extra)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strdup_printf ("{\"schema\": \"rcrp.call/1\", \"cad_ref\": \"T-1\", "
                                           "\"received_at\": \"2026-11-22T14:03:11Z\", "
                                           "\"category\": \"%s\", \"summary\": \"s\"%s%s}",
                                           category, extra != NULL ? ", " : "", extra != NULL ? extra : "");
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GPtrArray) calls = rcrp_feed_parse_bytes (bytes, "t", &error);

  g_assert_no_error (error);
  return g_object_ref (g_ptr_array_index (calls, 0));
}

/* Answers written "id=yes,id=no". */
static RcrpTriageAnswers *
make_answers (const char *spec)
{
  RcrpTriageAnswers *answers = rcrp_triage_answers_new ();
  g_auto(GStrv) pairs = NULL;

  if (spec == NULL || *spec == '\0')
    return answers;

  pairs = g_strsplit (spec, ",", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (pairs[i], "=", 2);
      RcrpAnswer answer;

      g_assert_true (rcrp_answer_from_string (pair[1], &answer));
      rcrp_triage_answers_set (answers, pair[0], answer);
    }

  return answers;
}

static gboolean
strv_has (const char * const *strv,
          const char         *needle)
{
  for (guint i = 0; strv[i] != NULL; i++)
    if (strstr (strv[i], needle) != NULL)
      return TRUE;

  return FALSE;
}

typedef struct
{
  const char *name;
  const char *category;
  const char *call_extra;
  const char *answers;
  const char *outcome;
  const char *agency;      /* expected among the agencies, or NULL */
  gboolean    complete;
  const char *reason;      /* a fragment expected among the reasons */
} Case;

/* Every rule of every category. Threshold questions are answered "no"
 * unless the case is about them, so that the outcome is complete. */
static const Case cases[] = {
  /* Concern for welfare */
  { "cfw/risk-to-life-alone-forces-police", "concern_for_welfare", NULL,
    "cfw.risk_to_life=yes", "police_deployed", NULL, TRUE, "risk to life" },
  { "cfw/crime-alone-forces-police", "concern_for_welfare", NULL,
    "cfw.crime=yes", "police_deployed", NULL, TRUE, "crime" },
  { "cfw/missing-alone-forces-police", "concern_for_welfare", NULL,
    "cfw.missing=yes", "police_deployed", NULL, TRUE, "missing-person procedure" },
  { "cfw/threshold-wins-over-referral-rule", "concern_for_welfare", NULL,
    "cfw.risk_to_life=yes,cfw.crime=no,cfw.missing=no,cfw.professional_request=yes,cfw.own_steps_taken=no",
    "police_deployed", NULL, TRUE, "risk to life" },
  { "cfw/professional-without-own-steps-referred-back", "concern_for_welfare", NULL,
    "cfw.risk_to_life=no,cfw.crime=no,cfw.missing=no,cfw.professional_request=yes,cfw.own_steps_taken=no",
    "referred", "referring_service", TRUE, "refer back" },
  { "cfw/professional-with-own-steps-not-referred-back", "concern_for_welfare", NULL,
    "cfw.risk_to_life=no,cfw.crime=no,cfw.missing=no,cfw.professional_request=yes,cfw.own_steps_taken=yes",
    "signposted", "crisis_line", TRUE, "signpost" },
  { "cfw/known-to-services-referred-to-crisis-team", "concern_for_welfare", NULL,
    "cfw.risk_to_life=no,cfw.crime=no,cfw.missing=no,cfw.known_to_services=yes",
    "referred", "crisis_team", TRUE, "crisis team" },
  { "cfw/otherwise-signposted", "concern_for_welfare", NULL,
    "cfw.risk_to_life=no,cfw.crime=no,cfw.missing=no", "signposted", "crisis_line", TRUE, "No threshold met" },
  { "cfw/unknown-threshold-is-reported-not-silent", "concern_for_welfare", NULL,
    "cfw.risk_to_life=unknown,cfw.crime=no,cfw.missing=no", "signposted", NULL, FALSE, "Still unknown" },
  { "cfw/unanswered-threshold-is-reported", "concern_for_welfare", NULL,
    "", "signposted", NULL, FALSE, "Still unknown" },

  /* Walked out of a healthcare setting */
  { "wo/no-capacity-and-risk-forces-police", "walked_out_of_healthcare", NULL,
    "wo.no_capacity_and_risk=yes", "police_deployed", NULL, TRUE, "Lacks capacity" },
  { "wo/crime-forces-police", "walked_out_of_healthcare", NULL,
    "wo.crime=yes", "police_deployed", NULL, TRUE, "crime" },
  { "wo/setting-without-own-steps-referred-back", "walked_out_of_healthcare", NULL,
    "wo.no_capacity_and_risk=no,wo.crime=no,wo.setting_steps_taken=no",
    "referred", "healthcare_setting", TRUE, "refer back" },
  { "wo/liable-to-be-detained-treated-as-awol", "walked_out_of_healthcare", NULL,
    "wo.no_capacity_and_risk=no,wo.crime=no,wo.setting_steps_taken=yes,wo.detained=yes",
    "referred", "mental_health_service", TRUE, "treat as AWOL" },
  { "wo/informal-patient-with-capacity-no-police", "walked_out_of_healthcare", NULL,
    "wo.no_capacity_and_risk=no,wo.crime=no,wo.setting_steps_taken=yes,wo.detained=no,wo.informal_with_capacity=yes",
    "no_further_action", NULL, TRUE, "may leave" },
  { "wo/otherwise-setting-follows-up", "walked_out_of_healthcare", NULL,
    "wo.no_capacity_and_risk=no,wo.crime=no,wo.setting_steps_taken=yes,wo.detained=no,wo.informal_with_capacity=no",
    "referred", "healthcare_setting", TRUE, "Missing Adults" },

  /* AWOL from mental-health services */
  { "awol/detained-patient-with-risk-to-life-police", "awol_mental_health",
    "\"healthcare_setting\": {\"detained\": true, \"mha_section\": \"s3\"}",
    "aw.risk=yes", "police_deployed", NULL, TRUE, "risk to life" },
  { "awol/police-power-needed-police", "awol_mental_health", NULL,
    "aw.police_power=yes", "police_deployed", NULL, TRUE, "police power" },
  { "awol/service-can-return-referred", "awol_mental_health", NULL,
    "aw.risk=no,aw.police_power=no,aw.service_can_return=yes",
    "referred", "mental_health_service", TRUE, "returns the patient" },
  { "awol/otherwise-referred-to-service", "awol_mental_health", NULL,
    "aw.risk=no,aw.police_power=no,aw.service_can_return=no",
    "referred", "mental_health_service", TRUE, "police log" },

  /* Medical incident */
  { "medical/risk-with-police-need-police-and-ambulance", "medical_incident", NULL,
    "mi.risk_with_police_need=yes", "police_deployed", "ambulance", TRUE, "alongside the ambulance" },
  { "medical/crime-police", "medical_incident", NULL,
    "mi.crime=yes", "police_deployed", "ambulance", TRUE, "crime" },
  { "medical/ambulance-delay-alone-never-police", "medical_incident", NULL,
    "mi.risk_with_police_need=no,mi.crime=no,mi.ambulance_delayed=yes",
    "referred", "ambulance", TRUE, "escalated within the ambulance service" },
  { "medical/otherwise-ambulance-or-111", "medical_incident", NULL,
    "mi.risk_with_police_need=no,mi.crime=no,mi.ambulance_delayed=no",
    "referred", "ambulance", TRUE, "not a substitute" },

  /* Mental health, other */
  { "mh/risk-forces-police", "mental_health_other", NULL,
    "mh.risk=yes", "police_deployed", NULL, TRUE, "risk to life" },
  { "mh/crime-forces-police", "mental_health_other", NULL,
    "mh.crime=yes", "police_deployed", NULL, TRUE, "crime" },
  { "mh/known-to-services-crisis-team", "mental_health_other", NULL,
    "mh.risk=no,mh.crime=no,mh.known_to_services=yes", "referred", "crisis_team", TRUE, "crisis team" },
  { "mh/otherwise-crisis-line", "mental_health_other", NULL,
    "mh.risk=no,mh.crime=no,mh.known_to_services=no", "referred", "crisis_line", TRUE, "crisis line" },

  /* Risk indicators from the C&C system meet the threshold on their own. */
  { "indicators/suicidal-intent-forces-police", "concern_for_welfare",
    "\"risk_indicators\": [\"suicidal_intent\"]",
    "cfw.risk_to_life=no,cfw.crime=no,cfw.missing=no", "police_deployed", NULL, TRUE, "suicidal intent" },
  { "indicators/weapon-forces-police", "mental_health_other",
    "\"risk_indicators\": [\"weapon\"]",
    "mh.risk=no,mh.crime=no", "police_deployed", NULL, TRUE, "weapon" },
  { "indicators/crime-in-progress-forces-police", "walked_out_of_healthcare",
    "\"risk_indicators\": [\"crime_in_progress\"]", "", "police_deployed", NULL, TRUE, "crime is in progress" },
  { "indicators/medical-emergency-alone-is-ambulance-not-police", "medical_incident",
    "\"risk_indicators\": [\"medical_emergency\"]",
    "mi.risk_with_police_need=no,mi.crime=no,mi.ambulance_delayed=yes", "referred", "ambulance", TRUE,
    "medical emergency" },
  { "indicators/intoxication-alone-is-not-threshold", "concern_for_welfare",
    "\"risk_indicators\": [\"intoxication\", \"vulnerable_adult\"]",
    "cfw.risk_to_life=no,cfw.crime=no,cfw.missing=no", "signposted", NULL, TRUE, "signpost" },
};

static void
test_case (gconstpointer data)
{
  const Case *c = data;
  g_autoptr(RcrpCall) call = make_call (c->category, c->call_extra);
  g_autoptr(RcrpTriageAnswers) answers = make_answers (c->answers);
  g_autoptr(RcrpRecommendation) recommendation = rcrp_triage_recommend (rules, call, answers);
  const char * const *reasons = rcrp_recommendation_get_reasons (recommendation);

  g_assert_cmpstr (rcrp_recommendation_get_outcome (recommendation), ==, c->outcome);
  g_assert_cmpint (rcrp_recommendation_get_complete (recommendation), ==, c->complete);
  g_assert_cmpint (rcrp_recommendation_get_threshold_met (recommendation), ==,
                   g_str_equal (c->outcome, "police_deployed"));
  g_assert_cmpstr (rcrp_recommendation_get_rules_version (recommendation), ==,
                   rcrp_triage_rules_get_version (rules));

  if (c->agency != NULL && !g_strv_contains (rcrp_recommendation_get_agencies (recommendation), c->agency))
    g_error ("%s: %s not among the agencies", c->name, c->agency);

  if (!strv_has (reasons, c->reason))
    {
      g_autofree char *all = g_strjoinv (" | ", (char **) reasons);

      g_error ("%s: no reason mentions “%s”: %s", c->name, c->reason, all);
    }

  /* Every reason is a sentence a person can read out. */
  g_assert_nonnull (reasons[0]);
  for (guint i = 0; reasons[i] != NULL; i++)
    g_assert_cmpuint (strlen (reasons[i]), >, 10);
}

/* Each threshold question of each category forces police on its own,
 * whatever the other questions say. */
static void
test_each_threshold_question_alone_forces_police (void)
{
  for (guint c = 0; c < RCRP_N_CATEGORIES; c++)
    {
      GPtrArray *questions = rcrp_triage_rules_get_questions (rules, c);
      g_autoptr(RcrpCall) call = make_call (rcrp_category_to_string (c), NULL);
      guint n_threshold = 0;

      for (guint t = 0; t < questions->len; t++)
        {
          RcrpTriageQuestion *threshold = g_ptr_array_index (questions, t);
          g_autoptr(RcrpTriageAnswers) answers = rcrp_triage_answers_new ();
          g_autoptr(RcrpRecommendation) recommendation = NULL;

          if (!rcrp_triage_question_get_is_threshold (threshold))
            continue;
          n_threshold++;

          /* Everything else answered the "safest for no police" way. */
          for (guint q = 0; q < questions->len; q++)
            {
              RcrpTriageQuestion *other = g_ptr_array_index (questions, q);

              rcrp_triage_answers_set (answers, rcrp_triage_question_get_id (other),
                                       other == threshold ? RCRP_ANSWER_YES : RCRP_ANSWER_NO);
            }

          recommendation = rcrp_triage_recommend (rules, call, answers);
          if (g_strcmp0 (rcrp_recommendation_get_outcome (recommendation), "police_deployed") != 0)
            g_error ("%s: %s answered yes did not recommend police",
                     rcrp_category_to_string (c), rcrp_triage_question_get_id (threshold));
        }

      g_assert_cmpuint (n_threshold, >, 0);
    }
}

static void
test_threshold_questions_come_first (void)
{
  for (guint c = 0; c < RCRP_N_CATEGORIES; c++)
    {
      GPtrArray *questions = rcrp_triage_rules_get_questions (rules, c);
      gboolean seen_other = FALSE;

      g_assert_cmpuint (questions->len, >=, 3);
      for (guint q = 0; q < questions->len; q++)
        {
          RcrpTriageQuestion *question = g_ptr_array_index (questions, q);

          g_assert_nonnull (rcrp_triage_question_get_text (question));
          if (rcrp_triage_question_get_is_threshold (question))
            g_assert_false (seen_other);
          else
            seen_other = TRUE;
        }
    }
}

static void
test_unknowns_listed_by_question (void)
{
  g_autoptr(RcrpCall) call = make_call ("awol_mental_health", NULL);
  g_autoptr(RcrpTriageAnswers) answers = make_answers ("aw.risk=unknown,aw.service_can_return=yes");
  g_autoptr(RcrpRecommendation) recommendation = rcrp_triage_recommend (rules, call, answers);
  const char * const *unknowns = rcrp_recommendation_get_unknowns (recommendation);

  g_assert_false (rcrp_recommendation_get_complete (recommendation));
  g_assert_cmpstr (rcrp_recommendation_get_outcome (recommendation), !=, "police_deployed");
  g_assert_cmpuint (g_strv_length ((char **) unknowns), ==, 2);
  g_assert_true (strv_has (unknowns, "risk to life"));
  g_assert_true (strv_has (unknowns, "police power"));
}

static void
test_prefill_from_call (void)
{
  g_autoptr(RcrpCall) professional = make_call ("concern_for_welfare",
                                                "\"caller\": {\"relationship\": \"professional\"}, "
                                                "\"subject\": {\"known_to_services\": false}");
  g_autoptr(RcrpCall) detained = make_call ("walked_out_of_healthcare",
                                            "\"healthcare_setting\": {\"detained\": true}");
  g_autoptr(RcrpCall) bare = make_call ("concern_for_welfare", NULL);
  g_autoptr(RcrpTriageAnswers) a = rcrp_triage_answers_new_for_call (rules, professional);
  g_autoptr(RcrpTriageAnswers) b = rcrp_triage_answers_new_for_call (rules, detained);
  g_autoptr(RcrpTriageAnswers) c = rcrp_triage_answers_new_for_call (rules, bare);

  g_assert_cmpint (rcrp_triage_answers_get (a, "cfw.professional_request"), ==, RCRP_ANSWER_YES);
  g_assert_cmpint (rcrp_triage_answers_get (a, "cfw.known_to_services"), ==, RCRP_ANSWER_NO);
  g_assert_cmpint (rcrp_triage_answers_get (a, "cfw.risk_to_life"), ==, RCRP_ANSWER_UNANSWERED);
  g_assert_cmpint (rcrp_triage_answers_get (b, "wo.detained"), ==, RCRP_ANSWER_YES);
  g_assert_cmpint (rcrp_triage_answers_get (c, "cfw.professional_request"), ==, RCRP_ANSWER_UNANSWERED);
}

static void
test_answers_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcrpTriageAnswers) answers = make_answers ("cfw.crime=no,cfw.risk_to_life=unknown,cfw.missing=yes");
  g_autofree char *json = rcrp_triage_answers_to_json (answers);
  g_autoptr(RcrpTriageAnswers) back = rcrp_triage_answers_new_from_json (json, &error);
  g_autoptr(RcrpTriageAnswers) bad = NULL;

  g_assert_cmpstr (json, ==, "{\"cfw.crime\":\"no\",\"cfw.missing\":\"yes\",\"cfw.risk_to_life\":\"unknown\"}");
  g_assert_no_error (error);
  g_assert_cmpint (rcrp_triage_answers_get (back, "cfw.missing"), ==, RCRP_ANSWER_YES);
  g_assert_cmpint (rcrp_triage_answers_get (back, "cfw.risk_to_life"), ==, RCRP_ANSWER_UNKNOWN);

  bad = rcrp_triage_answers_new_from_json ("{\"cfw.crime\": \"maybe\"}", &error);
  g_assert_null (bad);
  g_assert_error (error, RCRP_TRIAGE_ERROR, RCRP_TRIAGE_ERROR_INVALID_ANSWERS);
  g_assert_nonnull (strstr (error->message, "cfw.crime"));
}

static char *
default_rules_text (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "triage", "triage-rules.json", NULL);
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);

  return text;
}

static char *
replace_once (const char *text,
              const char *from,
              const char *to)
{
  const char *at = strstr (text, from);

  g_assert_nonnull (at);
  return g_strdup_printf ("%.*s%s%s", (int) (at - text), text, to, at + strlen (from));
}

static RcrpTriageRules *
rules_from_text (const char  *text,
                 GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  return rcrp_triage_rules_new_from_bytes (bytes, "rules.json", error);
}

/* A rules table that tries to signpost on a threshold yes still yields
 * police: the invariant lives in the code, not the data. */
static void
test_hostile_rules_cannot_override_threshold (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = default_rules_text ();
  g_autofree char *hostile = replace_once (text,
                                           "{ \"when\": { \"cfw.professional_request\": \"yes\", \"cfw.own_steps_taken\": \"no\" },",
                                           "{ \"when\": { \"cfw.risk_to_life\": \"yes\" }, \"outcome\": \"signposted\", "
                                           "\"reason\": \"Hostile rule\" },\n"
                                           "        { \"when\": { \"cfw.professional_request\": \"yes\", \"cfw.own_steps_taken\": \"no\" },");
  g_autoptr(RcrpTriageRules) bad_rules = rules_from_text (hostile, &error);
  g_autoptr(RcrpCall) call = make_call ("concern_for_welfare", NULL);
  g_autoptr(RcrpTriageAnswers) answers = make_answers ("cfw.risk_to_life=yes");
  g_autoptr(RcrpRecommendation) recommendation = NULL;

  g_assert_no_error (error);
  recommendation = rcrp_triage_recommend (bad_rules, call, answers);
  g_assert_cmpstr (rcrp_recommendation_get_outcome (recommendation), ==, "police_deployed");
}

static void
test_bad_rules_refused_with_place (void)
{
  g_autofree char *text = default_rules_text ();
  const struct { const char *from; const char *to; const char *where; } faults[] = {
    { "\"outcome\": \"signposted\", \"agencies\": [\"crisis_line\", \"gp_out_of_hours\"",
      "\"outcome\": \"arrest\", \"agencies\": [\"crisis_line\", \"gp_out_of_hours\"",
      "rules.json: categories.concern_for_welfare.otherwise.outcome:" },
    { "\"agencies\": [\"referring_service\"]", "\"agencies\": [\"the_pub\"]",
      "rules.json: categories.concern_for_welfare.rules[0].agencies[0]:" },
    { "\"when\": { \"mh.known_to_services\": \"yes\" }", "\"when\": { \"mh.no_such\": \"yes\" }",
      "rules.json: categories.mental_health_other.rules[0].when.mh.no_such:" },
    { "\"when\": { \"aw.service_can_return\": \"yes\" }", "\"when\": { \"aw.service_can_return\": \"perhaps\" }",
      "rules.json: categories.awol_mental_health.rules[0].when.aw.service_can_return:" },
    { "\"weapon\": \"Risk", "\"spoon\": \"Risk", "rules.json: police_indicators.spoon:" },
    { "\"schema\": \"rcrp.triage-rules/1\"", "\"schema\": \"rcrp.triage-rules/9\"", "rules.json: schema:" },
    { "\"schema\":", "// comment\n  \"schema\":", "rules.json:2:3:" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *bad = replace_once (text, faults[i].from, faults[i].to);
      g_autoptr(RcrpTriageRules) refused = rules_from_text (bad, &error);

      g_assert_null (refused);
      g_assert_error (error, RCRP_TRIAGE_ERROR, RCRP_TRIAGE_ERROR_INVALID_RULES);
      if (!g_str_has_prefix (error->message, faults[i].where))
        g_error ("expected “%s…”, got “%s”", faults[i].where, error->message);
    }
}

static void
test_default_rules_equal_data_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = default_rules_text ();
  g_autoptr(RcrpTriageRules) from_file = rules_from_text (text, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (rcrp_triage_rules_get_version (from_file), ==, rcrp_triage_rules_get_version (rules));
}

static void
test_thrive_json (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = rcrp_thrive_to_json ("Threat to self", NULL, "High", "", NULL, "Engaging", 2, &error);
  g_autofree char *bad = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (json, ==, "{\"grade\":2,\"threat\":\"Threat to self\",\"risk\":\"High\",\"engagement\":\"Engaging\"}");

  bad = rcrp_thrive_to_json (NULL, NULL, NULL, NULL, NULL, NULL, 5, &error);
  g_assert_null (bad);
  g_assert_error (error, RCRP_TRIAGE_ERROR, RCRP_TRIAGE_ERROR_INVALID_THRIVE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  rules = rcrp_triage_rules_new_default (&error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/triage/%s", cases[i].name);

      g_test_add_data_func (path, &cases[i], test_case);
    }

  g_test_add_func ("/triage/each-threshold-question-alone-forces-police", test_each_threshold_question_alone_forces_police);
  g_test_add_func ("/triage/threshold-questions-come-first", test_threshold_questions_come_first);
  g_test_add_func ("/triage/unknowns-listed-by-question", test_unknowns_listed_by_question);
  g_test_add_func ("/triage/prefill-from-call", test_prefill_from_call);
  g_test_add_func ("/triage/answers-round-trip", test_answers_round_trip);
  g_test_add_func ("/triage/hostile-rules-cannot-override-threshold", test_hostile_rules_cannot_override_threshold);
  g_test_add_func ("/triage/bad-rules-refused-with-place", test_bad_rules_refused_with_place);
  g_test_add_func ("/triage/default-rules-equal-data-file", test_default_rules_equal_data_file);
  g_test_add_func ("/triage/thrive-json", test_thrive_json);

  status = g_test_run ();
  g_clear_object (&rules);

  return status;
}

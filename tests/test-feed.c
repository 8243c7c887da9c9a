/* test-feed.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sys/stat.h>
#include <unistd.h>

#include <fcntl.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "rcrp-feed.h"
#include "rcrp-json-strict.h"

/* The contract these tests hold the parser to is
 * ../shared/spec/call-feed.md; every case names the behaviour it checks.
 */

/* A valid call is these members; a case replaces one (same name) or adds
 * one. NULL as a value leaves the member out. */
static const char * const base_members[][2] = {
  { "schema",      "\"rcrp.call/1\"" },
  { "cad_ref",     "\"HC-20261122-0042\"" },
  { "received_at", "\"2026-11-22T14:03:11Z\"" },
  { "category",    "\"walked_out_of_healthcare\"" },
  { "summary",     "\"Ward staff report a patient left the ward.\"" },
};

static char *
call_with (const char *name,
           const char *value)
{
  GString *text = g_string_new ("{");
  gboolean replaced = FALSE;
  gboolean first = TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (base_members); i++)
    {
      const char *member_value = base_members[i][1];

      if (name != NULL && g_str_equal (name, base_members[i][0]))
        {
          member_value = value;
          replaced = TRUE;
        }

      if (member_value == NULL)
        continue;

      g_string_append_printf (text, "%s\"%s\": %s", first ? "" : ", ", base_members[i][0], member_value);
      first = FALSE;
    }

  if (name != NULL && !replaced && value != NULL)
    g_string_append_printf (text, ", \"%s\": %s", name, value);

  g_string_append (text, "}");

  return g_string_free (text, FALSE);
}

static GPtrArray *
parse_text (const char  *text,
            GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  return rcrp_feed_parse_bytes (bytes, "t.json", error);
}

static GPtrArray *
parse_len (const char  *text,
           gsize        length,
           GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, length);

  return rcrp_feed_parse_bytes (bytes, "t.json", error);
}

static void
assert_message_starts (const GError *error,
                       const char   *prefix)
{
  g_assert_nonnull (error);
  if (!g_str_has_prefix (error->message, prefix))
    g_error ("expected “%s…”, got “%s”", prefix, error->message);
}

static void
assert_message_mentions (const GError *error,
                         const char   *fragment)
{
  g_assert_nonnull (error);
  if (strstr (error->message, fragment) == NULL)
    g_error ("expected the message to mention “%s”: %s", fragment, error->message);
}

/* A string member value of @count copies of @unit, quoted. */
static char *
repeated_string (const char *unit,
                 guint       count)
{
  GString *text = g_string_new ("\"");

  for (guint i = 0; i < count; i++)
    g_string_append (text, unit);
  g_string_append_c (text, '"');

  return g_string_free (text, FALSE);
}

typedef struct
{
  const char *name;      /* the behaviour, for the test path */
  const char *member;
  const char *value;
  const char *field;     /* NULL: accepted; else the path the refusal names */
} FieldCase;

#define RISKS_ALL "[\"suicidal_intent\", \"self_harm\", \"weapon\", \"violence_to_others\", " \
                  "\"crime_in_progress\", \"child_at_risk\", \"medical_emergency\", \"intoxication\", " \
                  "\"location_unknown\", \"vulnerable_adult\"]"

/* At least a good and a bad case for every field of the contract. */
static const FieldCase field_cases[] = {
  { "exact-id", "schema", "\"rcrp.call/1\"", NULL },
  { "other-version", "schema", "\"rcrp.call/2\"", "schema" },
  { "different-case", "schema", "\"RCRP.call/1\"", "schema" },
  { "not-a-string", "schema", "1", "schema" },
  { "missing", "schema", NULL, "schema" },

  { "every-allowed-character", "cad_ref", "\"AZaz09-_/\"", NULL },
  { "one-character", "cad_ref", "\"7\"", NULL },
  { "64-characters", "cad_ref", "\"1234567890123456789012345678901234567890123456789012345678901234\"", NULL },
  { "65-characters", "cad_ref", "\"12345678901234567890123456789012345678901234567890123456789012345\"", "cad_ref" },
  { "empty", "cad_ref", "\"\"", "cad_ref" },
  { "space", "cad_ref", "\"HC 42\"", "cad_ref" },
  { "dot", "cad_ref", "\"HC.42\"", "cad_ref" },
  { "backslash", "cad_ref", "\"HC\\\\42\"", "cad_ref" },
  { "non-ascii-letter", "cad_ref", "\"HC-4é\"", "cad_ref" },
  { "newline", "cad_ref", "\"HC\\n42\"", "cad_ref" },
  { "number", "cad_ref", "42", "cad_ref" },
  { "null", "cad_ref", "null", "cad_ref" },
  { "missing", "cad_ref", NULL, "cad_ref" },

  { "utc-z", "received_at", "\"2026-11-22T14:03:11Z\"", NULL },
  { "plus-one-hour", "received_at", "\"2026-11-22T14:03:11+01:00\"", NULL },
  { "negative-offset", "received_at", "\"2024-02-29T00:00:00-05:30\"", NULL },
  { "fractional-seconds", "received_at", "\"2026-11-22T14:03:11.5Z\"", NULL },
  { "lowercase-t-and-z", "received_at", "\"2026-11-22t14:03:11.123z\"", NULL },
  { "leap-day-2000", "received_at", "\"2000-02-29T12:00:00Z\"", NULL },
  { "many-fraction-digits", "received_at", "\"2026-11-22T14:03:59.99999999999999999Z\"", NULL },
  { "leap-second", "received_at", "\"2016-12-31T23:59:60Z\"", NULL },
  { "leap-second-in-an-offset", "received_at", "\"2017-01-01T05:29:60+05:30\"", NULL },
  { "offset-plus-23-59", "received_at", "\"2026-11-22T14:03:11+23:59\"", NULL },
  { "offset-minus-23-59", "received_at", "\"2026-11-22T14:03:11-23:59\"", NULL },
  { "second-61", "received_at", "\"2016-12-31T23:59:61Z\"", "received_at" },
  { "offset-minute-60", "received_at", "\"2026-11-22T14:03:11+01:60\"", "received_at" },
  { "missing-offset", "received_at", "\"2026-11-22T14:03:11\"", "received_at" },
  { "date-only", "received_at", "\"2026-11-22\"", "received_at" },
  { "february-30", "received_at", "\"2026-02-30T10:00:00Z\"", "received_at" },
  { "2025-02-29", "received_at", "\"2025-02-29T10:00:00Z\"", "received_at" },
  { "1900-02-29", "received_at", "\"1900-02-29T10:00:00Z\"", "received_at" },
  { "april-31", "received_at", "\"2026-04-31T10:00:00Z\"", "received_at" },
  { "month-13", "received_at", "\"2026-13-01T10:00:00Z\"", "received_at" },
  { "hour-24", "received_at", "\"2026-11-22T24:00:00Z\"", "received_at" },
  { "minute-60", "received_at", "\"2026-11-22T14:60:00Z\"", "received_at" },
  { "no-seconds", "received_at", "\"2026-11-22T14:03Z\"", "received_at" },
  { "space-for-t", "received_at", "\"2026-11-22 14:03:11Z\"", "received_at" },
  { "offset-without-colon", "received_at", "\"2026-11-22T14:03:11+0100\"", "received_at" },
  { "offset-hour-24", "received_at", "\"2026-11-22T14:03:11+24:00\"", "received_at" },
  { "point-without-digits", "received_at", "\"2026-11-22T14:03:11.Z\"", "received_at" },
  { "text-after-z", "received_at", "\"2026-11-22T14:03:11Z \"", "received_at" },
  { "british-date", "received_at", "\"22/11/2026 14:03\"", "received_at" },
  { "empty", "received_at", "\"\"", "received_at" },
  { "unix-time-number", "received_at", "1795356191", "received_at" },
  { "missing", "received_at", NULL, "received_at" },

  { "concern-for-welfare", "category", "\"concern_for_welfare\"", NULL },
  { "walked-out-of-healthcare", "category", "\"walked_out_of_healthcare\"", NULL },
  { "awol-mental-health", "category", "\"awol_mental_health\"", NULL },
  { "medical-incident", "category", "\"medical_incident\"", NULL },
  { "mental-health-other", "category", "\"mental_health_other\"", NULL },
  { "unknown", "category", "\"burglary\"", "category" },
  { "different-case", "category", "\"Medical_Incident\"", "category" },
  { "number", "category", "1", "category" },
  { "missing", "category", NULL, "category" },

  { "grade-1", "initial_grade", "1", NULL },
  { "grade-2", "initial_grade", "2", NULL },
  { "grade-3", "initial_grade", "3", NULL },
  { "grade-4", "initial_grade", "4", NULL },
  { "grade-0", "initial_grade", "0", "initial_grade" },
  { "grade-5", "initial_grade", "5", "initial_grade" },
  { "negative", "initial_grade", "-1", "initial_grade" },
  { "fraction-form", "initial_grade", "2.0", "initial_grade" },
  { "exponent-form", "initial_grade", "2e0", "initial_grade" },
  { "string", "initial_grade", "\"2\"", "initial_grade" },
  { "null", "initial_grade", "null", "initial_grade" },
  { "boolean", "initial_grade", "true", "initial_grade" },

  { "one-character", "summary", "\"x\"", NULL },
  { "escapes", "summary", "\"Said \\\"leave me\\\"\\nthen left\"", NULL },
  { "empty", "summary", "\"\"", "summary" },
  { "array", "summary", "[]", "summary" },
  { "null", "summary", "null", "summary" },
  { "missing", "summary", NULL, "summary" },

  { "every-member", "location", "{\"address\": \"1 High St\", \"postcode\": \"SO16 6YD\", \"lat\": 50.9, \"lon\": -1.4}", NULL },
  { "extreme-coordinates", "location", "{\"lat\": -90, \"lon\": 180}", NULL },
  { "other-extremes", "location", "{\"lat\": 90.0, \"lon\": -180.0}", NULL },
  { "empty-object", "location", "{}", NULL },
  { "lat-over-90", "location", "{\"lat\": 90.5}", "location.lat" },
  { "lat-under-minus-90", "location", "{\"lat\": -90.0001}", "location.lat" },
  { "lon-over-180", "location", "{\"lon\": 180.01}", "location.lon" },
  { "lon-under-minus-180", "location", "{\"lon\": -181}", "location.lon" },
  { "lat-string", "location", "{\"lat\": \"50.9\"}", "location.lat" },
  { "lon-null", "location", "{\"lon\": null}", "location.lon" },
  { "address-number", "location", "{\"address\": 12}", "location.address" },
  { "postcode-boolean", "location", "{\"postcode\": false}", "location.postcode" },
  { "string", "location", "\"1 High St\"", "location" },
  { "array", "location", "[50.9, -1.4]", "location" },
  { "null", "location", "null", "location" },

  { "every-member", "caller", "{\"name\": \"Ward 4\", \"phone\": \"07700 900123\", \"relationship\": \"healthcare_setting\"}", NULL },
  { "relationship-self", "caller", "{\"relationship\": \"self\"}", NULL },
  { "relationship-family", "caller", "{\"relationship\": \"family\"}", NULL },
  { "relationship-friend", "caller", "{\"relationship\": \"friend\"}", NULL },
  { "relationship-professional", "caller", "{\"relationship\": \"professional\"}", NULL },
  { "relationship-healthcare-setting", "caller", "{\"relationship\": \"healthcare_setting\"}", NULL },
  { "relationship-public", "caller", "{\"relationship\": \"public\"}", NULL },
  { "relationship-other", "caller", "{\"relationship\": \"other\"}", NULL },
  { "relationship-unknown", "caller", "{\"relationship\": \"neighbour\"}", "caller.relationship" },
  { "relationship-number", "caller", "{\"relationship\": 1}", "caller.relationship" },
  { "name-array", "caller", "{\"name\": [\"a\"]}", "caller.name" },
  { "phone-number", "caller", "{\"phone\": 7700900123}", "caller.phone" },
  { "array", "caller", "[]", "caller" },

  { "every-member", "subject", "{\"name\": \"A\", \"age\": 41, \"sex\": \"female\", \"ethnicity\": \"W1\", \"known_to_services\": true}", NULL },
  { "age-0", "subject", "{\"age\": 0}", NULL },
  { "age-130", "subject", "{\"age\": 130, \"sex\": \"unknown\", \"ethnicity\": \"NS\"}", NULL },
  { "sex-female", "subject", "{\"sex\": \"female\"}", NULL },
  { "sex-male", "subject", "{\"sex\": \"male\"}", NULL },
  { "sex-other", "subject", "{\"sex\": \"other\"}", NULL },
  { "sex-unknown", "subject", "{\"sex\": \"unknown\"}", NULL },
  { "not-known-to-services", "subject", "{\"known_to_services\": false}", NULL },
  { "age-minus-1", "subject", "{\"age\": -1}", "subject.age" },
  { "age-131", "subject", "{\"age\": 131}", "subject.age" },
  { "age-fraction", "subject", "{\"age\": 41.5}", "subject.age" },
  { "age-exponent", "subject", "{\"age\": 4.1e1}", "subject.age" },
  { "age-string", "subject", "{\"age\": \"41\"}", "subject.age" },
  { "sex-abbreviated", "subject", "{\"sex\": \"f\"}", "subject.sex" },
  { "sex-capitalised", "subject", "{\"sex\": \"Female\"}", "subject.sex" },
  { "ethnicity-w5", "subject", "{\"ethnicity\": \"W5\"}", "subject.ethnicity" },
  { "ethnicity-a5", "subject", "{\"ethnicity\": \"A5\"}", "subject.ethnicity" },
  { "ethnicity-o1", "subject", "{\"ethnicity\": \"O1\"}", "subject.ethnicity" },
  { "ethnicity-lowercase", "subject", "{\"ethnicity\": \"w1\"}", "subject.ethnicity" },
  { "ethnicity-empty", "subject", "{\"ethnicity\": \"\"}", "subject.ethnicity" },
  { "ethnicity-number", "subject", "{\"ethnicity\": 1}", "subject.ethnicity" },
  { "known-to-services-yes", "subject", "{\"known_to_services\": \"yes\"}", "subject.known_to_services" },
  { "known-to-services-1", "subject", "{\"known_to_services\": 1}", "subject.known_to_services" },
  { "name-null", "subject", "{\"name\": null}", "subject.name" },
  { "boolean", "subject", "true", "subject" },

  { "empty", "risk_indicators", "[]", NULL },
  { "every-value", "risk_indicators", RISKS_ALL, NULL },
  { "unknown", "risk_indicators", "[\"weapon\", \"knife\"]", "risk_indicators[1]" },
  { "duplicate", "risk_indicators", "[\"weapon\", \"self_harm\", \"weapon\"]", "risk_indicators[2]" },
  { "different-case", "risk_indicators", "[\"Weapon\"]", "risk_indicators[0]" },
  { "number-element", "risk_indicators", "[1]", "risk_indicators[0]" },
  { "nested-array", "risk_indicators", "[[\"weapon\"]]", "risk_indicators[0]" },
  { "string", "risk_indicators", "\"weapon\"", "risk_indicators" },
  { "object", "risk_indicators", "{\"weapon\": true}", "risk_indicators" },
  { "null", "risk_indicators", "null", "risk_indicators" },

  { "every-member", "healthcare_setting", "{\"name\": \"Ward 4\", \"left_at\": \"2026-11-22T13:40:00Z\", \"detained\": false, "
                                          "\"mha_section\": \"s3\", \"informal\": true}", NULL },
  { "left-at-offset", "healthcare_setting", "{\"left_at\": \"2026-11-22T13:40:00.25+01:00\", \"detained\": true}", NULL },
  { "left-at-time-only", "healthcare_setting", "{\"left_at\": \"13:40\"}", "healthcare_setting.left_at" },
  { "left-at-missing-offset", "healthcare_setting", "{\"left_at\": \"2026-11-22T13:40:00\"}", "healthcare_setting.left_at" },
  { "left-at-february-30", "healthcare_setting", "{\"left_at\": \"2026-02-30T13:40:00Z\"}", "healthcare_setting.left_at" },
  { "left-at-number", "healthcare_setting", "{\"left_at\": 1795356191}", "healthcare_setting.left_at" },
  { "detained-string", "healthcare_setting", "{\"detained\": \"no\"}", "healthcare_setting.detained" },
  { "informal-number", "healthcare_setting", "{\"informal\": 1}", "healthcare_setting.informal" },
  { "mha-section-number", "healthcare_setting", "{\"mha_section\": 3}", "healthcare_setting.mha_section" },
  { "name-object", "healthcare_setting", "{\"name\": {}}", "healthcare_setting.name" },
  { "array", "healthcare_setting", "[]", "healthcare_setting" },

  { "text", "notes", "\"Known to the crisis team.\"", NULL },
  { "empty", "notes", "\"\"", NULL },
  { "number", "notes", "12", "notes" },
  { "null", "notes", "null", "notes" },

  { "object", "future_field", "{\"anything\": [1, 2, {\"deep\": true}]}", NULL },
  { "null", "future_field", "null", NULL },
  { "number", "future_field", "-12.5e3", NULL },
  { "looks-like-a-known-field", "Summary", "42", NULL },
};

static void
test_field (gconstpointer data)
{
  const FieldCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) array_error = NULL;
  g_autofree char *single = call_with (c->member, c->value);
  g_autofree char *other = call_with ("cad_ref", "\"OTHER-1\"");
  g_autofree char *array = g_strdup_printf ("[%s, %s]", other, single);
  g_autoptr(GPtrArray) calls = parse_text (single, &error);
  g_autoptr(GPtrArray) array_calls = parse_text (array, &array_error);

  if (c->field == NULL)
    {
      g_assert_no_error (error);
      g_assert_no_error (array_error);
      g_assert_cmpuint (calls->len, ==, 1);
      g_assert_cmpuint (array_calls->len, ==, 2);
      return;
    }

  /* A lone object: "SOURCE: FIELD: message". */
  {
    g_autofree char *prefix = g_strdup_printf ("t.json: %s: ", c->field);

    g_assert_null (calls);
    g_assert_error (error, RCRP_FEED_ERROR, RCRP_FEED_ERROR_INVALID);
    assert_message_starts (error, prefix);
  }

  /* In an array: "SOURCE: calls[INDEX].FIELD: message", and nothing of the
   * good call before it comes back. */
  {
    g_autofree char *prefix = g_strdup_printf ("t.json: calls[1].%s: ", c->field);

    g_assert_null (array_calls);
    g_assert_error (array_error, RCRP_FEED_ERROR, RCRP_FEED_ERROR_INVALID);
    assert_message_starts (array_error, prefix);
  }
}

/* The contract's own example, every accessor checked. */
static const char example_call[] =
  "{\n"
  "  \"schema\": \"rcrp.call/1\",\n"
  "  \"cad_ref\": \"HC-20261122-0042\",\n"
  "  \"received_at\": \"2026-11-22T14:03:11Z\",\n"
  "  \"category\": \"walked_out_of_healthcare\",\n"
  "  \"initial_grade\": 2,\n"
  "  \"summary\": \"Ward staff report a patient left the ward 20 minutes ago, not detained, said she wanted to go home.\",\n"
  "  \"location\": { \"address\": \"Tremona Road, Southampton\", \"postcode\": \"SO16 6YD\" },\n"
  "  \"caller\": { \"relationship\": \"healthcare_setting\", \"name\": \"Ward 4 nurse in charge\" },\n"
  "  \"subject\": { \"age\": 41, \"sex\": \"female\", \"ethnicity\": \"W1\", \"known_to_services\": true },\n"
  "  \"risk_indicators\": [\"vulnerable_adult\"],\n"
  "  \"healthcare_setting\": { \"name\": \"General Hospital Ward 4\", \"left_at\": \"2026-11-22T13:40:00Z\", "
  "\"detained\": false, \"informal\": true }\n"
  "}\n";

static void
test_example_call_values (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) calls = parse_text (example_call, &error);
  g_autoptr(GDateTime) received = g_date_time_new_utc (2026, 11, 22, 14, 3, 11);
  g_autoptr(GDateTime) left = g_date_time_new_utc (2026, 11, 22, 13, 40, 0);
  RcrpCall *call;

  g_assert_no_error (error);
  g_assert_cmpuint (calls->len, ==, 1);
  call = g_ptr_array_index (calls, 0);

  g_assert_cmpstr (rcrp_call_get_cad_ref (call), ==, "HC-20261122-0042");
  g_assert_true (g_date_time_equal (rcrp_call_get_received_at (call), received));
  g_assert_cmpint (rcrp_call_get_category (call), ==, RCRP_CATEGORY_WALKED_OUT_OF_HEALTHCARE);
  g_assert_cmpint (rcrp_call_get_grade (call), ==, 2);
  g_assert_cmpstr (rcrp_call_get_summary (call), ==,
                   "Ward staff report a patient left the ward 20 minutes ago, not detained, said she wanted to go home.");
  g_assert_cmpstr (rcrp_call_get_address (call), ==, "Tremona Road, Southampton");
  g_assert_cmpstr (rcrp_call_get_postcode (call), ==, "SO16 6YD");
  g_assert_cmpstr (rcrp_call_get_caller_name (call), ==, "Ward 4 nurse in charge");
  g_assert_null (rcrp_call_get_caller_phone (call));
  g_assert_cmpstr (rcrp_call_get_caller_relationship (call), ==, "healthcare_setting");
  g_assert_null (rcrp_call_get_subject_name (call));
  g_assert_cmpint (rcrp_call_get_subject_age (call), ==, 41);
  g_assert_cmpstr (rcrp_call_get_subject_sex (call), ==, "female");
  g_assert_cmpstr (rcrp_call_get_subject_ethnicity (call), ==, "W1");
  g_assert_cmpint (rcrp_call_get_known_to_services (call), ==, 1);
  g_assert_cmpuint (rcrp_call_get_risks (call), ==, RCRP_RISK_VULNERABLE_ADULT);
  g_assert_cmpstr (rcrp_call_get_setting_name (call), ==, "General Hospital Ward 4");
  g_assert_true (g_date_time_equal (rcrp_call_get_setting_left_at (call), left));
  g_assert_cmpint (rcrp_call_get_setting_detained (call), ==, 0);
  g_assert_cmpint (rcrp_call_get_setting_informal (call), ==, 1);
  g_assert_null (rcrp_call_get_setting_mha_section (call));
  g_assert_null (rcrp_call_get_notes (call));
}

static void
test_absent_fields_take_defaults (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = call_with (NULL, NULL);
  g_autoptr(GPtrArray) calls = parse_text (text, &error);
  RcrpCall *call;

  g_assert_no_error (error);
  call = g_ptr_array_index (calls, 0);
  g_assert_cmpint (rcrp_call_get_grade (call), ==, 3);
  g_assert_cmpuint (rcrp_call_get_risks (call), ==, RCRP_RISK_NONE);
  g_assert_null (rcrp_call_get_address (call));
  g_assert_null (rcrp_call_get_caller_relationship (call));
  g_assert_cmpint (rcrp_call_get_subject_age (call), ==, -1);
  g_assert_cmpint (rcrp_call_get_known_to_services (call), ==, -1);
  g_assert_cmpint (rcrp_call_get_setting_detained (call), ==, -1);
  g_assert_cmpint (rcrp_call_get_setting_informal (call), ==, -1);
  g_assert_null (rcrp_call_get_setting_left_at (call));
  g_assert_null (rcrp_call_get_notes (call));
}

typedef struct
{
  const char *text;
  const char *utc;   /* the instant, as ISO 8601 in UTC */
} TimeCase;

static void
test_received_at_instants (void)
{
  static const TimeCase cases[] = {
    { "2026-11-22T14:03:11Z", "2026-11-22T14:03:11Z" },
    { "2026-11-22T14:03:11+01:00", "2026-11-22T13:03:11Z" },
    { "2026-11-22T14:03:11-05:30", "2026-11-22T19:33:11Z" },
    { "2026-11-22t14:03:11z", "2026-11-22T14:03:11Z" },
    { "2026-11-22T14:03:11.25Z", "2026-11-22T14:03:11.250000Z" },
    { "2026-11-22T14:03:11.123456789Z", "2026-11-22T14:03:11.123456Z" },
    { "2026-11-22T14:03:59.99999999999999999Z", "2026-11-22T14:03:59.999999Z" },
    { "2026-12-31T23:30:00-01:00", "2027-01-01T00:30:00Z" },
    { "2024-02-29T00:00:00Z", "2024-02-29T00:00:00Z" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *value = g_strdup_printf ("\"%s\"", cases[i].text);
      g_autofree char *text = call_with ("received_at", value);
      g_autoptr(GPtrArray) calls = parse_text (text, &error);
      g_autoptr(GDateTime) utc = NULL;
      g_autofree char *formatted = NULL;

      g_assert_no_error (error);
      utc = g_date_time_to_utc (rcrp_call_get_received_at (g_ptr_array_index (calls, 0)));
      formatted = g_date_time_format_iso8601 (utc);
      g_assert_cmpstr (formatted, ==, cases[i].utc);
    }
}

static void
test_every_ethnicity_code_accepted (void)
{
  const char *codes[] = { "A1", "A2", "A3", "A4", "A9", "B1", "B2", "B9", "M1", "M2", "M3", "M9",
                          "O2", "O9", "W1", "W2", "W3", "W4", "W9", "NS" };
  const char *refused[] = { "A5", "A0", "B3", "M4", "O1", "O3", "W5", "W0", "NS ", "ns", "w1", "X1" };

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *subject = g_strdup_printf ("{\"ethnicity\": \"%s\"}", codes[i]);
      g_autofree char *text = call_with ("subject", subject);
      g_autoptr(GPtrArray) calls = parse_text (text, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (rcrp_call_get_subject_ethnicity (g_ptr_array_index (calls, 0)), ==, codes[i]);
    }

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *subject = g_strdup_printf ("{\"ethnicity\": \"%s\"}", refused[i]);
      g_autofree char *text = call_with ("subject", subject);
      g_autoptr(GPtrArray) calls = parse_text (text, &error);

      g_assert_null (calls);
      g_assert_error (error, RCRP_FEED_ERROR, RCRP_FEED_ERROR_INVALID);
      assert_message_starts (error, "t.json: subject.ethnicity: ");
    }
}

static void
test_every_risk_indicator_accepted (void)
{
  static const struct { const char *name; RcrpRisk risk; } risks[] = {
    { "suicidal_intent", RCRP_RISK_SUICIDAL_INTENT },
    { "self_harm", RCRP_RISK_SELF_HARM },
    { "weapon", RCRP_RISK_WEAPON },
    { "violence_to_others", RCRP_RISK_VIOLENCE_TO_OTHERS },
    { "crime_in_progress", RCRP_RISK_CRIME_IN_PROGRESS },
    { "child_at_risk", RCRP_RISK_CHILD_AT_RISK },
    { "medical_emergency", RCRP_RISK_MEDICAL_EMERGENCY },
    { "intoxication", RCRP_RISK_INTOXICATION },
    { "location_unknown", RCRP_RISK_LOCATION_UNKNOWN },
    { "vulnerable_adult", RCRP_RISK_VULNERABLE_ADULT },
  };
  guint all = 0;

  G_STATIC_ASSERT (G_N_ELEMENTS (risks) == RCRP_N_RISKS);

  for (guint i = 0; i < G_N_ELEMENTS (risks); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *value = g_strdup_printf ("[\"%s\"]", risks[i].name);
      g_autofree char *text = call_with ("risk_indicators", value);
      g_autoptr(GPtrArray) calls = parse_text (text, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (rcrp_call_get_risks (g_ptr_array_index (calls, 0)), ==, risks[i].risk);
      all |= risks[i].risk;
    }

  {
    g_autoptr(GError) error = NULL;
    g_autofree char *text = call_with ("risk_indicators", RISKS_ALL);
    g_autoptr(GPtrArray) calls = parse_text (text, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (rcrp_call_get_risks (g_ptr_array_index (calls, 0)), ==, all);
  }
}

static void
test_every_relationship_and_sex_kept (void)
{
  const char *relationships[] = { "self", "family", "friend", "professional", "healthcare_setting",
                                  "public", "other" };
  const char *sexes[] = { "female", "male", "other", "unknown" };

  for (guint i = 0; i < G_N_ELEMENTS (relationships); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *caller = g_strdup_printf ("{\"relationship\": \"%s\"}", relationships[i]);
      g_autofree char *text = call_with ("caller", caller);
      g_autoptr(GPtrArray) calls = parse_text (text, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (rcrp_call_get_caller_relationship (g_ptr_array_index (calls, 0)), ==, relationships[i]);
    }

  for (guint i = 0; i < G_N_ELEMENTS (sexes); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *subject = g_strdup_printf ("{\"sex\": \"%s\"}", sexes[i]);
      g_autofree char *text = call_with ("subject", subject);
      g_autoptr(GPtrArray) calls = parse_text (text, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (rcrp_call_get_subject_sex (g_ptr_array_index (calls, 0)), ==, sexes[i]);
    }
}

static void
test_subject_age_limits (void)
{
  static const struct { const char *value; int age; } cases[] = {
    { "0", 0 }, { "130", 130 }, { "-0", 0 },
    { "-1", -1 }, { "131", -1 }, { "41.5", -1 }, { "41.0", -1 }, { "\"41\"", -1 }, { "null", -1 },
    { "4294967337", -1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *subject = g_strdup_printf ("{\"age\": %s}", cases[i].value);
      g_autofree char *text = call_with ("subject", subject);
      g_autoptr(GPtrArray) calls = parse_text (text, &error);

      if (cases[i].age >= 0)
        {
          g_assert_no_error (error);
          g_assert_cmpint (rcrp_call_get_subject_age (g_ptr_array_index (calls, 0)), ==, cases[i].age);
        }
      else
        {
          g_assert_null (calls);
          g_assert_error (error, RCRP_FEED_ERROR, RCRP_FEED_ERROR_INVALID);
          assert_message_starts (error, "t.json: subject.age: ");
        }
    }
}

/* json-glib keeps whole numbers in 64 bits and wraps those that do not
 * fit: -18446744073709551615 would come out as 1. Such numbers must never
 * reach a field as some other value. */
static void
test_out_of_range_numbers_refused (void)
{
  static const struct { const char *member; const char *value; } cases[] = {
    { "initial_grade", "-18446744073709551615" },
    { "initial_grade", "18446744073709551617" },
    { "initial_grade", "9223372036854775809" },
    { "subject", "{\"age\": -18446744073709551575}" },
    { "location", "{\"lat\": 1e999}" },
    { "future_field", "-1e400" },
    { "future_field", "123456789012345678901234567890" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = call_with (cases[i].member, cases[i].value);
      g_autoptr(GPtrArray) calls = parse_text (text, &error);

      if (calls != NULL)
        g_error ("%s: %s was accepted as %d", cases[i].member, cases[i].value,
                 rcrp_call_get_grade (g_ptr_array_index (calls, 0)));
      g_assert_nonnull (error);
      g_assert_true (g_error_matches (error, RCRP_FEED_ERROR, RCRP_FEED_ERROR_SYNTAX) ||
                     g_error_matches (error, RCRP_FEED_ERROR, RCRP_FEED_ERROR_INVALID));
      assert_message_starts (error, "t.json:");
    }

  /* The extremes that do fit are kept exactly. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *text = call_with ("future_field", "[9223372036854775807, -9223372036854775808, 1.7976931348623157e308, 1e-400]");
    g_autoptr(GPtrArray) calls = parse_text (text, &error);

    g_assert_no_error (error);
    g_assert_nonnull (strstr (rcrp_call_get_canonical_json (g_ptr_array_index (calls, 0)),
                              "[9223372036854775807,-9223372036854775808,"));
  }
}

static void
test_text_limits_count_characters (void)
{
  static const struct { const char *member; guint min; guint max; } limits[] = {
    { "summary", 1, 4000 },
    { "notes", 0, 4000 },
  };
  /* Two-, three- and four-byte characters: a limit in bytes would refuse
   * these long before 4000. */
  const char *units[] = { "a", "é", "€", "😀" };

  for (guint l = 0; l < G_N_ELEMENTS (limits); l++)
    for (guint u = 0; u < G_N_ELEMENTS (units); u++)
      {
        g_autoptr(GError) error = NULL;
        g_autofree char *at_limit = repeated_string (units[u], limits[l].max);
        g_autofree char *over = repeated_string (units[u], limits[l].max + 1);
        g_autofree char *good = call_with (limits[l].member, at_limit);
        g_autofree char *bad = call_with (limits[l].member, over);
        g_autofree char *prefix = g_strdup_printf ("t.json: %s: ", limits[l].member);
        g_autoptr(GPtrArray) calls = parse_text (good, &error);

        g_assert_no_error (error);
        g_assert_cmpuint (calls->len, ==, 1);
        g_clear_pointer (&calls, g_ptr_array_unref);

        calls = parse_text (bad, &error);
        g_assert_null (calls);
        g_assert_error (error, RCRP_FEED_ERROR, RCRP_FEED_ERROR_INVALID);
        assert_message_starts (error, prefix);
        assert_message_mentions (error, "4001");
      }

  /* An escape is one character, however it is spelled. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *escaped = repeated_string ("\\u00e9", 4000);
    g_autofree char *text = call_with ("summary", escaped);
    g_autoptr(GPtrArray) calls = parse_text (text, &error);

    g_assert_no_error (error);
    g_assert_cmpint (g_utf8_strlen (rcrp_call_get_summary (g_ptr_array_index (calls, 0)), -1), ==, 4000);
  }
}

static void
test_refuses_whole_file_on_one_bad_call (void)
{
  g_autofree char *good_a = call_with ("cad_ref", "\"A-1\"");
  g_autofree char *good_b = call_with ("cad_ref", "\"B-2\"");
  g_autofree char *good_c = call_with ("cad_ref", "\"C-3\"");
  g_autofree char *bad = call_with ("subject", "{\"age\": 200}");
  g_autofree char *first_bad = g_strdup_printf ("[%s, %s, %s]", bad, good_a, good_b);
  g_autofree char *middle_bad = g_strdup_printf ("[%s, %s, %s]", good_a, bad, good_b);
  g_autofree char *last_bad = g_strdup_printf ("[\n%s,\n%s,\n%s,\n%s\n]", good_a, good_b, good_c, bad);
  g_autofree char *all_good = g_strdup_printf ("[%s, %s, %s]", good_a, good_b, good_c);
  const struct { const char *text; const char *prefix; } cases[] = {
    { first_bad, "t.json: calls[0].subject.age: " },
    { middle_bad, "t.json: calls[1].subject.age: " },
    { last_bad, "t.json: calls[3].subject.age: " },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) calls = parse_text (cases[i].text, &error);

      g_assert_null (calls);
      g_assert_error (error, RCRP_FEED_ERROR, RCRP_FEED_ERROR_INVALID);
      assert_message_starts (error, cases[i].prefix);
    }

  /* The same good calls on their own come back in file order. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) calls = parse_text (all_good, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (calls->len, ==, 3);
    g_assert_cmpstr (rcrp_call_get_cad_ref (g_ptr_array_index (calls, 0)), ==, "A-1");
    g_assert_cmpstr (rcrp_call_get_cad_ref (g_ptr_array_index (calls, 1)), ==, "B-2");
    g_assert_cmpstr (rcrp_call_get_cad_ref (g_ptr_array_index (calls, 2)), ==, "C-3");
  }
}

static void
test_refuses_files_that_hold_no_calls (void)
{
  static const struct { const char *text; const char *prefix; } cases[] = {
    { "[]", "t.json: " },
    { " [ ] ", "t.json: " },
    { "42", "t.json: " },
    { "\"rcrp.call/1\"", "t.json: " },
    { "true", "t.json: " },
    { "null", "t.json: " },
    { "[1]", "t.json: calls[0]: " },
    { "[null]", "t.json: calls[0]: " },
    { "[[]]", "t.json: calls[0]: " },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) calls = parse_text (cases[i].text, &error);

      g_assert_null (calls);
      g_assert_error (error, RCRP_FEED_ERROR, RCRP_FEED_ERROR_INVALID);
      assert_message_starts (error, cases[i].prefix);
      /* Not mistaken for a field path or a position. */
      g_assert_false (g_str_has_prefix (error->message, "t.json:1"));
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) calls = parse_text ("[]", &error);

    assert_message_mentions (error, "no calls");
  }

  /* A good call then a scalar: still nothing. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *good = call_with (NULL, NULL);
    g_autofree char *text = g_strdup_printf ("[%s, \"x\"]", good);
    g_autoptr(GPtrArray) calls = parse_text (text, &error);

    g_assert_null (calls);
    assert_message_starts (error, "t.json: calls[1]: ");
  }
}

static void
test_duplicate_cad_ref_in_one_file (void)
{
  g_autofree char *good = call_with (NULL, NULL);
  g_autofree char *other = call_with ("cad_ref", "\"OTHER\"");
  g_autofree char *changed = call_with ("summary", "\"A different account\"");
  g_autofree char *respaced = NULL;
  g_autofree char *same = NULL;
  g_autofree char *different = NULL;
  g_autofree char *spelled_differently = NULL;

  /* The same content in a different layout and member order is still
   * identical. */
  respaced = g_strdup ("{ \"summary\" : \"Ward staff report a patient left the ward.\",\n"
                       "  \"category\" : \"walked_out_of_healthcare\",\n"
                       "  \"received_at\" : \"2026-11-22T14:03:11Z\",\n"
                       "  \"cad_ref\" : \"HC-20261122-\\u0030042\",\n"
                       "  \"schema\" : \"rcrp.call\\/1\" }");
  same = g_strdup_printf ("[%s, %s, %s]", good, other, good);
  different = g_strdup_printf ("[%s, %s, %s]", good, other, changed);
  spelled_differently = g_strdup_printf ("[%s, %s]", good, respaced);

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) calls = parse_text (same, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (calls->len, ==, 3);
  }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) calls = parse_text (spelled_differently, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (rcrp_call_get_content_hash (g_ptr_array_index (calls, 0)), ==,
                     rcrp_call_get_content_hash (g_ptr_array_index (calls, 1)));
  }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) calls = parse_text (different, &error);

    g_assert_null (calls);
    g_assert_error (error, RCRP_FEED_ERROR, RCRP_FEED_ERROR_INVALID);
    /* Both places are named: the later one leads, the earlier is cited. */
    assert_message_starts (error, "t.json: calls[2].cad_ref: ");
    assert_message_mentions (error, "calls[0]");
    assert_message_mentions (error, "HC-20261122-0042");
  }
}

typedef struct
{
  const char *name;
  const char *text;
  gssize      length;  /* -1: strlen */
  int         code;
  const char *where;   /* "t.json:LINE:COLUMN: " */
  const char *says;    /* a fragment of the message */
} SyntaxCase;

#define SYNTAX   RCRP_FEED_ERROR_SYNTAX
#define ENCODING RCRP_FEED_ERROR_ENCODING

static const SyntaxCase syntax_cases[] = {
  { "line-comment", "{\n  // note\n  \"schema\": 1}", -1, SYNTAX, "t.json:2:3: ", "comments" },
  { "block-comment", "[\n  {} /* x */\n]", -1, SYNTAX, "t.json:2:6: ", "comments" },
  { "comment-before-value", "/* header */ {}", -1, SYNTAX, "t.json:1:1: ", "comments" },
  { "hex-number", "{\n  \"initial_grade\": 0x10\n}", -1, SYNTAX, "t.json:2:21: ", "hexadecimal" },
  { "nan", "{\"lat\": NaN}", -1, SYNTAX, "t.json:1:9: ", "NaN" },
  { "infinity", "[\n  1,\n  Infinity\n]", -1, SYNTAX, "t.json:3:3: ", "Infinity" },
  { "minus-infinity", "{\"lat\": -Infinity}", -1, SYNTAX, "t.json:1:10: ", "Infinity" },
  { "var-assignment", "var x = {\"schema\": \"rcrp.call/1\"}", -1, SYNTAX, "t.json:1:1: ", "unexpected word" },
  { "trailing-comma-object", "{\n  \"a\": 1,\n}", -1, SYNTAX, "t.json:3:1: ", "trailing comma" },
  { "trailing-comma-array", "[1, 2,\n]", -1, SYNTAX, "t.json:2:1: ", "trailing comma" },
  { "single-quoted-name", "{'a': 1}", -1, SYNTAX, "t.json:1:2: ", "double quotes" },
  { "single-quoted-value", "{\n\"a\": 'b'}", -1, SYNTAX, "t.json:2:6: ", "double quotes" },
  { "unquoted-name", "{a: 1}", -1, SYNTAX, "t.json:1:2: ", "unexpected word" },
  { "leading-zero", "{\"a\": 01}", -1, SYNTAX, "t.json:1:8: ", "leading zeros" },
  { "negative-leading-zero", "[-007]", -1, SYNTAX, "t.json:1:4: ", "leading zeros" },
  { "plus-sign", "[+1]", -1, SYNTAX, "t.json:1:2: ", "“+”" },
  { "bare-fraction", "[.5]", -1, SYNTAX, "t.json:1:2: ", "digit" },
  { "point-without-digits", "[1.]", -1, SYNTAX, "t.json:1:4: ", "decimal point" },
  { "exponent-without-digits", "[1e+]", -1, SYNTAX, "t.json:1:5: ", "exponent" },
  { "trailing-garbage", "{}\n{}", -1, SYNTAX, "t.json:2:1: ", "after the JSON value" },
  { "trailing-word", "[1] x", -1, SYNTAX, "t.json:1:5: ", "after the JSON value" },
  { "trailing-semicolon", "{};", -1, SYNTAX, "t.json:1:3: ", "after the JSON value" },
  { "unterminated-string", "{\"a\": \"abc", -1, SYNTAX, "t.json:1:11: ", "unterminated" },
  { "newline-in-string", "[\n\"abc\n\"]", -1, SYNTAX, "t.json:2:5: ", "control character" },
  { "tab-in-string", "{\"a\": \"a\tb\"}", -1, SYNTAX, "t.json:1:9: ", "control character" },
  { "invalid-escape", "{\"a\": \"\\q\"}", -1, SYNTAX, "t.json:1:9: ", "invalid escape" },
  { "short-unicode-escape", "[\"\\u12\"]", -1, SYNTAX, "t.json:1:7: ", "four hexadecimal digits" },
  { "lone-high-surrogate", "{\"a\": \"\\ud800\"}", -1, SYNTAX, "t.json:1:14: ", "surrogate" },
  { "high-surrogate-then-letter", "[\"\\ud800\\u0041\"]", -1, SYNTAX, "t.json:1:15: ", "surrogate" },
  { "lone-low-surrogate", "{\"a\": \"\\udc00\"}", -1, SYNTAX, "t.json:1:14: ", "surrogate" },
  { "nul-escape", "{\"cad_ref\": \"HC-1\\u0000X\"}", -1, SYNTAX, "t.json:1:18: ", "NUL" },
  { "duplicate-member", "{\"cad_ref\": \"A\",\n \"cad_ref\": \"B\"}", -1, SYNTAX, "t.json:2:2: ", "duplicate member" },
  { "duplicate-member-escaped", "{\"summary\": \"a\", \"summ\\u0061ry\": \"b\"}", -1, SYNTAX, "t.json:1:18: ", "duplicate member" },
  { "missing-colon", "{\"a\" 1}", -1, SYNTAX, "t.json:1:6: ", "“:”" },
  { "missing-comma", "[1 2]", -1, SYNTAX, "t.json:1:4: ", "“,” or “]”" },
  { "column-counts-characters", "{\"é\": \"ü\", x}", -1, SYNTAX, "t.json:1:12: ", "unexpected word" },
  { "column-after-wide-characters", "{\n  \"名前\": \"😀\", 01}", -1, SYNTAX, "t.json:2:14: ", "member name" },
  { "column-after-crlf", "{\r\n  \"é\": tru\r\n}", -1, SYNTAX, "t.json:2:8: ", "unexpected word" },
  { "empty-file", "", -1, SYNTAX, "t.json:1:1: ", "empty" },
  { "blank-file", "   \n", -1, SYNTAX, "t.json:2:1: ", "empty" },
  { "truncated", "[{\"a\": [1, 2", -1, SYNTAX, "t.json:1:13: ", "end of file" },
  { "integer-too-large", "{\"initial_grade\": -18446744073709551615}", -1, SYNTAX, "t.json:1:19: ", "range" },
  { "double-too-large", "[\n  1e999\n]", -1, SYNTAX, "t.json:2:3: ", "range" },
  { "byte-order-mark", "\xEF\xBB\xBF{}", -1, ENCODING, "t.json:1:1: ", "byte order mark" },
  { "invalid-utf8-line-3", "[\n{},\n  \"é\xff\"]", -1, ENCODING, "t.json:3:5: ", "UTF-8" },
  { "truncated-utf8", "[\"ab\xc3", -1, ENCODING, "t.json:1:5: ", "UTF-8" },
  { "overlong-utf8", "[\n\"\xc0\xaf\"]", -1, ENCODING, "t.json:2:2: ", "UTF-8" },
  { "utf8-surrogate", "[\"\xed\xa0\x80\"]", -1, ENCODING, "t.json:1:3: ", "UTF-8" },
  { "utf16", "{\0\"\0a\0\"\0:\0 \0" "1\0}\0", 16, ENCODING, "t.json:1:2: ", "UTF-8" },
  { "nul-byte", "[1]\0", 4, ENCODING, "t.json:1:4: ", "UTF-8" },
};

static void
test_syntax (gconstpointer data)
{
  const SyntaxCase *c = data;
  g_autoptr(GError) error = NULL;
  gsize length = c->length >= 0 ? (gsize) c->length : strlen (c->text);
  g_autoptr(GPtrArray) calls = parse_len (c->text, length, &error);

  g_assert_null (calls);
  g_assert_error (error, RCRP_FEED_ERROR, c->code);
  assert_message_starts (error, c->where);
  assert_message_mentions (error, c->says);
}

/* A syntax fault inside a real, multi-line call is placed exactly. */
static void
test_syntax_fault_in_a_call_is_placed (void)
{
  g_autoptr(GString) text = g_string_new (example_call);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) calls = NULL;
  gsize at;

  /* Line 6 is "  \"initial_grade\": 2,"; give it a leading zero. */
  at = strstr (text->str, "\"initial_grade\": 2") - text->str + strlen ("\"initial_grade\": ");
  g_string_insert_c (text, at, '0');
  calls = parse_text (text->str, &error);
  g_assert_null (calls);
  g_assert_error (error, RCRP_FEED_ERROR, RCRP_FEED_ERROR_SYNTAX);
  assert_message_starts (error, "t.json:6:21: ");
}

static void
test_deep_nesting_refused_without_crash (void)
{
  static const char *openers[] = { "[", "{\"a\":" };

  for (guint o = 0; o < G_N_ELEMENTS (openers); o++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GString) deep = g_string_new (NULL);
      g_autoptr(GPtrArray) calls = NULL;
      g_autofree char *where = g_strdup_printf ("t.json:1:%zu: ", RCRP_FEED_MAX_DEPTH * strlen (openers[o]) + 1);

      for (guint i = 0; i < 100000; i++)
        g_string_append (deep, openers[o]);

      calls = parse_text (deep->str, &error);
      g_assert_null (calls);
      g_assert_error (error, RCRP_FEED_ERROR, RCRP_FEED_ERROR_SYNTAX);
      assert_message_starts (error, where);
      assert_message_mentions (error, "nesting");
    }
}

/* @levels containers, alternating arrays and objects. */
static char *
nested (guint levels)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < levels; i++)
    g_string_append (text, i % 2 == 0 ? "[" : "{\"x\": ");
  g_string_append (text, "0");
  for (guint i = levels; i > 0; i--)
    g_string_append (text, (i - 1) % 2 == 0 ? "]" : "}");

  return g_string_free (text, FALSE);
}

/* Every container counts towards RCRP_FEED_MAX_DEPTH, the call object and
 * the array around the calls included: the document may nest exactly that
 * deep and no deeper. */
static void
test_nesting_limit_is_exact (void)
{
  /* A lone call is level 1, so an unknown member may hold MAX - 1. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *inner = nested (RCRP_FEED_MAX_DEPTH - 1);
    g_autofree char *text = call_with ("future", inner);
    g_autoptr(GPtrArray) calls = parse_text (text, &error);

    g_assert_no_error (error);
    g_assert_nonnull (strstr (rcrp_call_get_canonical_json (g_ptr_array_index (calls, 0)), "\"future\":[{\"x\":["));
  }

  {
    g_autoptr(GError) error = NULL;
    g_autofree char *inner = nested (RCRP_FEED_MAX_DEPTH);
    g_autofree char *text = call_with ("future", inner);
    g_autoptr(GPtrArray) calls = parse_text (text, &error);
    const char *deepest = strstr (text, inner);
    g_autofree char *where = NULL;
    gsize last = 0;

    /* The first container past the limit is the last opener of @inner. */
    g_assert_nonnull (deepest);
    for (gsize i = 0; inner[i] != '\0'; i++)
      if (inner[i] == '[' || inner[i] == '{')
        last = i;
    where = g_strdup_printf ("t.json:1:%zu: ", (gsize) (deepest - text) + last + 1);

    g_assert_null (calls);
    g_assert_error (error, RCRP_FEED_ERROR, RCRP_FEED_ERROR_SYNTAX);
    assert_message_starts (error, where);
    assert_message_mentions (error, "nesting");
  }

  /* In an array the call is level 2, so one level less is left. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *inner = nested (RCRP_FEED_MAX_DEPTH - 2);
    g_autofree char *call = call_with ("future", inner);
    g_autofree char *text = g_strdup_printf ("[%s]", call);
    g_autoptr(GPtrArray) calls = parse_text (text, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (calls->len, ==, 1);
  }

  {
    g_autoptr(GError) error = NULL;
    g_autofree char *inner = nested (RCRP_FEED_MAX_DEPTH - 1);
    g_autofree char *call = call_with ("future", inner);
    g_autofree char *text = g_strdup_printf ("[%s]", call);
    g_autoptr(GPtrArray) calls = parse_text (text, &error);

    g_assert_null (calls);
    g_assert_error (error, RCRP_FEED_ERROR, RCRP_FEED_ERROR_SYNTAX);
    assert_message_mentions (error, "nesting");
  }
}

static void
test_canonical_json_ignores_order_and_layout (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) a = parse_text ("{\"schema\": \"rcrp.call/1\", \"cad_ref\": \"X\", \"received_at\": "
                                       "\"2026-11-22T14:03:11Z\", \"category\": \"medical_incident\", \"summary\": \"s\", "
                                       "\"location\": {\"postcode\": \"P\", \"address\": \"A\"}, "
                                       "\"extra\": {\"b\": 1, \"a\": [2, {\"z\": null, \"y\": true}]}}",
                                       &error);
  g_autoptr(GPtrArray) b = parse_text ("{\n  \"extra\" : { \"a\" : [ 2 , { \"y\" : true , \"z\" : null } ] , \"b\" : 1 },\n"
                                       "  \"location\": {\"address\": \"\\u0041\", \"postcode\": \"P\"},\n"
                                       "  \"summary\": \"s\", \"category\": \"medical_incident\",\n"
                                       "  \"received_at\": \"2026-11-22T14:03:11Z\", \"cad_ref\": \"X\", \"schema\": \"rcrp.call/1\"\n}\n",
                                       &error);
  g_autoptr(GPtrArray) c = parse_text ("{\"extra\": {\"a\": [2, {\"y\": true, \"z\": null}], \"b\": 1}, "
                                       "\"location\": {\"address\": \"A\", \"postcode\": \"P\"}, "
                                       "\"summary\": \"t\", \"category\": \"medical_incident\", "
                                       "\"received_at\": \"2026-11-22T14:03:11Z\", \"cad_ref\": \"X\", \"schema\": \"rcrp.call/1\"}",
                                       &error);
  RcrpCall *first, *second, *third;
  const char *hash;

  g_assert_no_error (error);
  first = g_ptr_array_index (a, 0);
  second = g_ptr_array_index (b, 0);
  third = g_ptr_array_index (c, 0);

  g_assert_cmpstr (rcrp_call_get_canonical_json (first), ==,
                   "{\"cad_ref\":\"X\",\"category\":\"medical_incident\","
                   "\"extra\":{\"a\":[2,{\"y\":true,\"z\":null}],\"b\":1},"
                   "\"location\":{\"address\":\"A\",\"postcode\":\"P\"},"
                   "\"received_at\":\"2026-11-22T14:03:11Z\",\"schema\":\"rcrp.call/1\",\"summary\":\"s\"}");
  g_assert_cmpstr (rcrp_call_get_canonical_json (first), ==, rcrp_call_get_canonical_json (second));
  g_assert_cmpstr (rcrp_call_get_content_hash (first), ==, rcrp_call_get_content_hash (second));
  g_assert_cmpstr (rcrp_call_get_content_hash (first), !=, rcrp_call_get_content_hash (third));

  hash = rcrp_call_get_content_hash (first);
  g_assert_cmpuint (strlen (hash), ==, 64);
  for (const char *p = hash; *p != '\0'; p++)
    g_assert_true (g_ascii_isdigit (*p) || (*p >= 'a' && *p <= 'f'));
}

/* The canonical text is itself strict JSON and canonical: parsed again it
 * gives the same text back, whatever the strings and numbers held. */
static void
test_canonical_json_round_trips (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = call_with ("extra", "{\"quote\": \"a\\\"b\\\\c\\/d\", \"controls\": \"\\b\\f\\n\\r\\t\\u001f\", "
                                              "\"unicode\": \"é\\u00e9\\ud83d\\ude00\\u2028\", \"numbers\": "
                                              "[0, -0, 1.5e-3, 50.9, -1.4, 1e300, 9223372036854775807], "
                                              "\"literals\": [true, false, null], \"\\u00e9\": {}}");
  g_autoptr(GPtrArray) calls = parse_text (text, &error);
  g_autoptr(GPtrArray) again = NULL;
  const char *canonical;
  guint line = 0, column = 0;
  g_autofree char *message = NULL;

  g_assert_no_error (error);
  canonical = rcrp_call_get_canonical_json (g_ptr_array_index (calls, 0));
  if (!rcrp_json_strict_check (canonical, strlen (canonical), RCRP_FEED_MAX_DEPTH, &line, &column, &message))
    g_error ("canonical JSON is not strict JSON at %u:%u (%s): %s", line, column, message, canonical);

  again = parse_text (canonical, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rcrp_call_get_canonical_json (g_ptr_array_index (again, 0)), ==, canonical);
  g_assert_cmpstr (rcrp_call_get_content_hash (g_ptr_array_index (again, 0)), ==,
                   rcrp_call_get_content_hash (g_ptr_array_index (calls, 0)));
}

static void
test_unknown_members_kept_and_ignored (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *plain = call_with (NULL, NULL);
  g_autofree char *text = call_with ("triage_v2", "{\"score\": 7, \"grade\": 1, \"summary\": 12}");
  g_autoptr(GPtrArray) with_extra = parse_text (text, &error);
  g_autoptr(GPtrArray) without = parse_text (plain, &error);
  RcrpCall *call, *base;

  g_assert_no_error (error);
  call = g_ptr_array_index (with_extra, 0);
  base = g_ptr_array_index (without, 0);

  /* Kept in the stored document... */
  g_assert_nonnull (strstr (rcrp_call_get_canonical_json (call), "\"triage_v2\":{\"grade\":1,\"score\":7,\"summary\":12}"));
  g_assert_cmpstr (rcrp_call_get_content_hash (call), !=, rcrp_call_get_content_hash (base));
  /* ...and otherwise changes nothing. */
  g_assert_cmpint (rcrp_call_get_grade (call), ==, 3);
  g_assert_cmpstr (rcrp_call_get_summary (call), ==, rcrp_call_get_summary (base));
  g_assert_cmpstr (rcrp_call_get_cad_ref (call), ==, rcrp_call_get_cad_ref (base));
}

static void
test_parse_call_names_its_path (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RcrpCall) call = NULL;
  g_autofree char *bad = call_with ("subject", "{\"age\": 131}");
  g_autofree char *good = call_with (NULL, NULL);
  JsonObject *object;

  g_assert_true (json_parser_load_from_data (parser, bad, -1, &error));
  object = json_node_get_object (json_parser_get_root (parser));

  call = rcrp_feed_parse_call (object, "calls[3]", &error);
  g_assert_null (call);
  g_assert_error (error, RCRP_FEED_ERROR, RCRP_FEED_ERROR_INVALID);
  assert_message_starts (error, "calls[3].subject.age: ");
  g_clear_error (&error);

  call = rcrp_feed_parse_call (object, NULL, &error);
  g_assert_null (call);
  assert_message_starts (error, "subject.age: ");
  g_clear_error (&error);

  call = rcrp_feed_parse_call (object, "", &error);
  g_assert_null (call);
  assert_message_starts (error, "subject.age: ");
  g_clear_error (&error);

  g_assert_true (json_parser_load_from_data (parser, good, -1, &error));
  object = json_node_get_object (json_parser_get_root (parser));
  call = rcrp_feed_parse_call (object, "calls[0]", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rcrp_call_get_cad_ref (call), ==, "HC-20261122-0042");
  g_assert_cmpuint (strlen (rcrp_call_get_content_hash (call)), ==, 64);
}

static void
test_source_defaults (void)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static ("{\"schema\": 1}", 13);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) calls = rcrp_feed_parse_bytes (bytes, NULL, &error);

  g_assert_null (calls);
  assert_message_starts (error, "-: schema: ");
}

typedef struct
{
  char *folder;
} Folder;

static void
folder_set_up (Folder        *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->folder = g_dir_make_tmp ("rcrp-feed-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
folder_tear_down (Folder        *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->folder, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (fixture->folder, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        g_rmdir (child);
      else
        g_unlink (child);
    }

  g_rmdir (fixture->folder);
  g_clear_pointer (&fixture->folder, g_free);
}

static void
test_file_over_limit_refused_before_reading (Folder        *fixture,
                                             gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->folder, "big.json", NULL);
  g_autofree char *call = call_with (NULL, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GBytes) document = NULL;
  g_autoptr(GPtrArray) calls = NULL;

  /* A valid call made sparse to one byte over: the size alone refuses it. */
  g_assert_true (g_file_set_contents (path, call, -1, &error));
  g_assert_cmpint (truncate (path, RCRP_FEED_MAX_BYTES + 1), ==, 0);

  calls = rcrp_feed_parse_file (file, "big.json", &document, &error);
  g_assert_null (calls);
  g_assert_null (document);
  g_assert_error (error, RCRP_FEED_ERROR, RCRP_FEED_ERROR_TOO_LARGE);
  assert_message_starts (error, "big.json: ");
  assert_message_mentions (error, "8 MiB");
  g_clear_error (&error);

  /* Without a source name the path is the source. */
  {
    g_autofree char *prefix = g_strdup_printf ("%s: ", path);

    calls = rcrp_feed_parse_file (file, NULL, NULL, &error);
    g_assert_null (calls);
    g_assert_error (error, RCRP_FEED_ERROR, RCRP_FEED_ERROR_TOO_LARGE);
    assert_message_starts (error, prefix);
    g_clear_error (&error);
  }

  /* Far more than could be read into memory: only the size is looked at,
   * so this is as quick as the last. */
  if (truncate (path, G_GINT64_CONSTANT (64) << 30) == 0)
    {
      calls = rcrp_feed_parse_file (file, "huge.json", NULL, &error);
      g_assert_null (calls);
      g_assert_error (error, RCRP_FEED_ERROR, RCRP_FEED_ERROR_TOO_LARGE);
      assert_message_starts (error, "huge.json: ");
      assert_message_mentions (error, "68719476736");
    }
}

static void
test_file_at_limit_accepted (Folder        *fixture,
                             gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->folder, "exact.json", NULL);
  g_autofree char *call = call_with (NULL, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GBytes) document = NULL;
  g_autoptr(GPtrArray) calls = NULL;
  g_autofree char *padded = g_malloc (RCRP_FEED_MAX_BYTES);

  memset (padded, ' ', RCRP_FEED_MAX_BYTES);
  memcpy (padded, call, strlen (call));
  padded[RCRP_FEED_MAX_BYTES - 1] = '\n';
  g_assert_true (g_file_set_contents (path, padded, RCRP_FEED_MAX_BYTES, &error));

  calls = rcrp_feed_parse_file (file, NULL, &document, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (calls->len, ==, 1);
  g_assert_nonnull (document);
  g_assert_cmpuint (g_bytes_get_size (document), ==, RCRP_FEED_MAX_BYTES);
  g_assert_cmpmem (g_bytes_get_data (document, NULL), RCRP_FEED_MAX_BYTES, padded, RCRP_FEED_MAX_BYTES);
}

static void
test_bytes_size_limit (void)
{
  g_autofree char *call = call_with (NULL, NULL);
  char *padded = g_malloc (RCRP_FEED_MAX_BYTES + 1);

  memset (padded, ' ', RCRP_FEED_MAX_BYTES + 1);
  memcpy (padded, call, strlen (call));

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) exact = g_bytes_new_static (padded, RCRP_FEED_MAX_BYTES);
    g_autoptr(GPtrArray) calls = rcrp_feed_parse_bytes (exact, "exact", &error);

    g_assert_no_error (error);
    g_assert_cmpuint (calls->len, ==, 1);
  }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) over = g_bytes_new_take (padded, RCRP_FEED_MAX_BYTES + 1);
    g_autoptr(GPtrArray) calls = rcrp_feed_parse_bytes (over, "over", &error);

    g_assert_null (calls);
    g_assert_error (error, RCRP_FEED_ERROR, RCRP_FEED_ERROR_TOO_LARGE);
    assert_message_starts (error, "over: ");
  }
}

static void
test_unreadable_files_are_io_errors (Folder        *fixture,
                                     gconstpointer  user_data)
{
  g_autofree char *missing = g_build_filename (fixture->folder, "missing.json", NULL);
  g_autofree char *folder = g_build_filename (fixture->folder, "folder.json", NULL);
  g_autoptr(GFile) missing_file = g_file_new_for_path (missing);
  g_autoptr(GFile) folder_file = g_file_new_for_path (folder);

  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) document = NULL;
    g_autoptr(GPtrArray) calls = rcrp_feed_parse_file (missing_file, "missing.json", &document, &error);

    g_assert_null (calls);
    g_assert_null (document);
    g_assert_error (error, RCRP_FEED_ERROR, RCRP_FEED_ERROR_IO);
    assert_message_starts (error, "missing.json: ");
  }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) calls = rcrp_feed_parse_file (folder_file, "folder.json", NULL, &error);

    g_assert_null (calls);
    g_assert_error (error, RCRP_FEED_ERROR, RCRP_FEED_ERROR_IO);
    assert_message_starts (error, "folder.json: ");
  }
}

/* What RFC 3339 allows and GDateTime does not hold directly: a leap second
 * is kept as the last microsecond of its minute, and any offset to 23:59 is
 * applied exactly. */
static void
test_times_at_the_edges_of_rfc3339 (void)
{
  static const struct {
    const char *sent;
    const char *utc;
  } cases[] = {
    { "\"2016-12-31T23:59:60Z\"", "2016-12-31T23:59:59.999999Z" },
    { "\"2017-01-01T05:29:60+05:30\"", "2016-12-31T23:59:59.999999Z" },
    { "\"2026-11-22T14:03:11+23:59\"", "2026-11-21T14:04:11Z" },
    { "\"2026-11-22T14:03:11-23:59\"", "2026-11-23T14:02:11Z" },
    { "\"2026-11-22T14:03:11.250-00:30\"", "2026-11-22T14:33:11.250000Z" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = call_with ("received_at", cases[i].sent);
      g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) calls = rcrp_feed_parse_bytes (bytes, "edge.json", &error);
      g_autofree char *utc = NULL;

      g_assert_no_error (error);
      utc = g_date_time_format_iso8601 (rcrp_call_get_received_at (g_ptr_array_index (calls, 0)));
      g_assert_cmpstr (utc, ==, cases[i].utc);
    }
}

/* Only regular files are read, and what a path is, is asked of the opened
 * descriptor: a FIFO is refused at once rather than blocking, a device
 * rather than read for ever, and a link is followed only when allowed. */
static void
test_special_files_refused_at_once (Folder        *fixture,
                                    gconstpointer  user_data)
{
  g_autofree char *fifo = g_build_filename (fixture->folder, "pipe.json", NULL);
  g_autofree char *good = g_build_filename (fixture->folder, "good.json", NULL);
  g_autofree char *link = g_build_filename (fixture->folder, "link.json", NULL);
  g_autofree char *call = call_with (NULL, NULL);
  g_autoptr(GFile) fifo_file = g_file_new_for_path (fifo);
  g_autoptr(GFile) zero_file = g_file_new_for_path ("/dev/zero");
  g_autoptr(GFile) link_file = g_file_new_for_path (link);

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_true (g_file_set_contents (good, call, -1, NULL));
  g_assert_cmpint (symlink (good, link), ==, 0);

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) calls = rcrp_feed_parse_file (fifo_file, "pipe.json", NULL, &error);

    g_assert_null (calls);
    g_assert_error (error, RCRP_FEED_ERROR, RCRP_FEED_ERROR_IO);
    assert_message_starts (error, "pipe.json: a FIFO");
  }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) calls = rcrp_feed_parse_file (zero_file, NULL, NULL, &error);

    g_assert_null (calls);
    g_assert_error (error, RCRP_FEED_ERROR, RCRP_FEED_ERROR_IO);
    assert_message_starts (error, "/dev/zero: a device");
  }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) calls = rcrp_feed_parse_file (link_file, "link.json", NULL, &error);

    /* A link named on the command line is the user's own choice. */
    g_assert_no_error (error);
    g_assert_cmpuint (calls->len, ==, 1);
  }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) calls = rcrp_feed_parse_file_full (link_file, "link.json", RCRP_READ_FILE_NO_FOLLOW,
                                                            NULL, &error);

    g_assert_null (calls);
    g_assert_error (error, RCRP_FEED_ERROR, RCRP_FEED_ERROR_IO);
    assert_message_starts (error, "link.json: a symbolic link");
  }
}

/* A refused file gives no document back, and a good one the exact bytes
 * read; positions in a file use the source name given. */
static void
test_file_errors_use_source_name (Folder        *fixture,
                                  gconstpointer  user_data)
{
  g_autofree char *path = g_build_filename (fixture->folder, "bad.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  const char bad[] = "[\n  {\"a\": 1,}\n]\n";

  g_assert_true (g_file_set_contents (path, bad, -1, NULL));

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) document = NULL;
    g_autoptr(GPtrArray) calls = rcrp_feed_parse_file (file, "spool/bad.json", &document, &error);

    g_assert_null (calls);
    g_assert_null (document);
    g_assert_error (error, RCRP_FEED_ERROR, RCRP_FEED_ERROR_SYNTAX);
    assert_message_starts (error, "spool/bad.json:2:11: ");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (field_cases); i++)
    {
      const FieldCase *c = &field_cases[i];
      g_autofree char *path = g_strdup_printf ("/feed/field/%s/%s-%s", c->member,
                                               c->field == NULL ? "accepts" : "refuses", c->name);

      g_test_add_data_func (path, c, test_field);
    }

  for (guint i = 0; i < G_N_ELEMENTS (syntax_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/feed/syntax/refuses-%s", syntax_cases[i].name);

      g_test_add_data_func (path, &syntax_cases[i], test_syntax);
    }

  g_test_add_func ("/feed/example-call-values", test_example_call_values);
  g_test_add_func ("/feed/absent-fields-take-defaults", test_absent_fields_take_defaults);
  g_test_add_func ("/feed/received-at-instants", test_received_at_instants);
  g_test_add_func ("/feed/every-ethnicity-code-accepted", test_every_ethnicity_code_accepted);
  g_test_add_func ("/feed/every-risk-indicator-accepted", test_every_risk_indicator_accepted);
  g_test_add_func ("/feed/every-relationship-and-sex-kept", test_every_relationship_and_sex_kept);
  g_test_add_func ("/feed/subject-age-limits", test_subject_age_limits);
  g_test_add_func ("/feed/out-of-range-numbers-refused", test_out_of_range_numbers_refused);
  g_test_add_func ("/feed/text-limits-count-characters", test_text_limits_count_characters);
  g_test_add_func ("/feed/refuses-whole-file-on-one-bad-call", test_refuses_whole_file_on_one_bad_call);
  g_test_add_func ("/feed/refuses-files-that-hold-no-calls", test_refuses_files_that_hold_no_calls);
  g_test_add_func ("/feed/duplicate-cad-ref-in-one-file", test_duplicate_cad_ref_in_one_file);
  g_test_add_func ("/feed/syntax/fault-in-a-call-is-placed", test_syntax_fault_in_a_call_is_placed);
  g_test_add_func ("/feed/deep-nesting-refused-without-crash", test_deep_nesting_refused_without_crash);
  g_test_add_func ("/feed/nesting-limit-is-exact", test_nesting_limit_is_exact);
  g_test_add_func ("/feed/canonical-json-ignores-order-and-layout", test_canonical_json_ignores_order_and_layout);
  g_test_add_func ("/feed/canonical-json-round-trips", test_canonical_json_round_trips);
  g_test_add_func ("/feed/unknown-members-kept-and-ignored", test_unknown_members_kept_and_ignored);
  g_test_add_func ("/feed/parse-call-names-its-path", test_parse_call_names_its_path);
  g_test_add_func ("/feed/source-defaults-to-dash", test_source_defaults);
  g_test_add_func ("/feed/bytes-size-limit", test_bytes_size_limit);
  g_test_add ("/feed/file/over-limit-refused-before-reading", Folder, NULL,
              folder_set_up, test_file_over_limit_refused_before_reading, folder_tear_down);
  g_test_add ("/feed/file/at-limit-accepted", Folder, NULL,
              folder_set_up, test_file_at_limit_accepted, folder_tear_down);
  g_test_add ("/feed/file/unreadable-is-io-error", Folder, NULL,
              folder_set_up, test_unreadable_files_are_io_errors, folder_tear_down);
  g_test_add_func ("/feed/times-at-the-edges-of-rfc3339", test_times_at_the_edges_of_rfc3339);
  g_test_add ("/feed/file/special-files-refused-at-once", Folder, NULL,
              folder_set_up, test_special_files_refused_at_once, folder_tear_down);
  g_test_add ("/feed/file/errors-use-source-name", Folder, NULL,
              folder_set_up, test_file_errors_use_source_name, folder_tear_down);

  return g_test_run ();
}

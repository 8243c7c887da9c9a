/* test-feed.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "rcrp-feed.h"

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

typedef struct
{
  const char *member;
  const char *value;
  const char *field;     /* NULL: accepted; else the path the refusal names */
} FieldCase;

/* A good and a bad case for every field of the contract. */
static const FieldCase field_cases[] = {
  { "schema", "\"rcrp.call/1\"", NULL },
  { "schema", "\"rcrp.call/2\"", "schema" },
  { "schema", NULL, "schema" },
  { "cad_ref", "\"A-z_0/9\"", NULL },
  { "cad_ref", "\"1234567890123456789012345678901234567890123456789012345678901234\"", NULL },
  { "cad_ref", "\"12345678901234567890123456789012345678901234567890123456789012345\"", "cad_ref" },
  { "cad_ref", "\"\"", "cad_ref" },
  { "cad_ref", "\"HC 42\"", "cad_ref" },
  { "cad_ref", "\"HC-4é\"", "cad_ref" },
  { "cad_ref", "42", "cad_ref" },
  { "cad_ref", NULL, "cad_ref" },
  { "received_at", "\"2026-11-22T14:03:11+01:00\"", NULL },
  { "received_at", "\"2026-11-22t14:03:11.123z\"", NULL },
  { "received_at", "\"2024-02-29T00:00:00-05:30\"", NULL },
  { "received_at", "\"2026-11-22T14:03:11\"", "received_at" },
  { "received_at", "\"2026-11-22\"", "received_at" },
  { "received_at", "\"2026-02-30T10:00:00Z\"", "received_at" },
  { "received_at", "\"2025-02-29T10:00:00Z\"", "received_at" },
  { "received_at", "\"2026-11-22T24:00:00Z\"", "received_at" },
  { "received_at", "\"22/11/2026 14:03\"", "received_at" },
  { "received_at", "1795356191", "received_at" },
  { "received_at", NULL, "received_at" },
  { "category", "\"concern_for_welfare\"", NULL },
  { "category", "\"walked_out_of_healthcare\"", NULL },
  { "category", "\"awol_mental_health\"", NULL },
  { "category", "\"medical_incident\"", NULL },
  { "category", "\"mental_health_other\"", NULL },
  { "category", "\"burglary\"", "category" },
  { "category", NULL, "category" },
  { "initial_grade", "1", NULL },
  { "initial_grade", "4", NULL },
  { "initial_grade", "0", "initial_grade" },
  { "initial_grade", "5", "initial_grade" },
  { "initial_grade", "2.0", "initial_grade" },
  { "initial_grade", "2e0", "initial_grade" },
  { "initial_grade", "\"2\"", "initial_grade" },
  { "initial_grade", "null", "initial_grade" },
  { "summary", "\"x\"", NULL },
  { "summary", "\"\"", "summary" },
  { "summary", "[]", "summary" },
  { "summary", NULL, "summary" },
  { "location", "{\"address\": \"1 High St\", \"postcode\": \"SO16 6YD\", \"lat\": 50.9, \"lon\": -1.4}", NULL },
  { "location", "{\"lat\": -90, \"lon\": 180}", NULL },
  { "location", "{\"lat\": 90.5}", "location.lat" },
  { "location", "{\"lon\": -180.01}", "location.lon" },
  { "location", "{\"lat\": \"50.9\"}", "location.lat" },
  { "location", "{\"address\": 12}", "location.address" },
  { "location", "{\"postcode\": false}", "location.postcode" },
  { "location", "\"1 High St\"", "location" },
  { "caller", "{\"name\": \"Ward 4\", \"phone\": \"07700 900123\", \"relationship\": \"healthcare_setting\"}", NULL },
  { "caller", "{\"relationship\": \"self\"}", NULL },
  { "caller", "{\"relationship\": \"family\"}", NULL },
  { "caller", "{\"relationship\": \"friend\"}", NULL },
  { "caller", "{\"relationship\": \"professional\"}", NULL },
  { "caller", "{\"relationship\": \"public\"}", NULL },
  { "caller", "{\"relationship\": \"other\"}", NULL },
  { "caller", "{\"relationship\": \"neighbour\"}", "caller.relationship" },
  { "caller", "{\"name\": [\"a\"]}", "caller.name" },
  { "caller", "{\"phone\": 7700900123}", "caller.phone" },
  { "caller", "[]", "caller" },
  { "subject", "{\"name\": \"A\", \"age\": 0, \"sex\": \"female\", \"ethnicity\": \"W1\", \"known_to_services\": true}", NULL },
  { "subject", "{\"age\": 130, \"sex\": \"unknown\", \"ethnicity\": \"NS\"}", NULL },
  { "subject", "{\"sex\": \"male\"}", NULL },
  { "subject", "{\"sex\": \"other\"}", NULL },
  { "subject", "{\"age\": -1}", "subject.age" },
  { "subject", "{\"age\": 131}", "subject.age" },
  { "subject", "{\"age\": 41.5}", "subject.age" },
  { "subject", "{\"sex\": \"f\"}", "subject.sex" },
  { "subject", "{\"ethnicity\": \"W5\"}", "subject.ethnicity" },
  { "subject", "{\"ethnicity\": \"A5\"}", "subject.ethnicity" },
  { "subject", "{\"ethnicity\": \"w1\"}", "subject.ethnicity" },
  { "subject", "{\"known_to_services\": \"yes\"}", "subject.known_to_services" },
  { "subject", "{\"name\": null}", "subject.name" },
  { "subject", "true", "subject" },
  { "risk_indicators", "[]", NULL },
  { "risk_indicators", "[\"suicidal_intent\", \"self_harm\", \"weapon\", \"violence_to_others\", \"crime_in_progress\", "
                       "\"child_at_risk\", \"medical_emergency\", \"intoxication\", \"location_unknown\", \"vulnerable_adult\"]", NULL },
  { "risk_indicators", "[\"weapon\", \"knife\"]", "risk_indicators[1]" },
  { "risk_indicators", "[\"weapon\", \"weapon\"]", "risk_indicators[1]" },
  { "risk_indicators", "[1]", "risk_indicators[0]" },
  { "risk_indicators", "\"weapon\"", "risk_indicators" },
  { "healthcare_setting", "{\"name\": \"Ward 4\", \"left_at\": \"2026-11-22T13:40:00Z\", \"detained\": false, "
                          "\"mha_section\": \"s3\", \"informal\": true}", NULL },
  { "healthcare_setting", "{\"left_at\": \"13:40\"}", "healthcare_setting.left_at" },
  { "healthcare_setting", "{\"detained\": \"no\"}", "healthcare_setting.detained" },
  { "healthcare_setting", "{\"informal\": 1}", "healthcare_setting.informal" },
  { "healthcare_setting", "{\"mha_section\": 3}", "healthcare_setting.mha_section" },
  { "healthcare_setting", "{\"name\": {}}", "healthcare_setting.name" },
  { "healthcare_setting", "[]", "healthcare_setting" },
  { "notes", "\"Known to the crisis team.\"", NULL },
  { "notes", "\"\"", NULL },
  { "notes", "12", "notes" },
  { "future_field", "{\"anything\": [1, 2, {\"deep\": true}]}", NULL },
};

static void
test_field (gconstpointer data)
{
  const FieldCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *single = call_with (c->member, c->value);
  g_autofree char *other = call_with ("cad_ref", "\"OTHER-1\"");
  g_autofree char *array = g_strdup_printf ("[%s, %s]", other, single);
  g_autoptr(GPtrArray) calls = parse_text (single, &error);

  if (c->field == NULL)
    {
      g_assert_no_error (error);
      g_assert_cmpuint (calls->len, ==, 1);
      return;
    }

  /* A lone object: "SOURCE: FIELD: message". */
  {
    g_autofree char *prefix = g_strdup_printf ("t.json: %s: ", c->field);

    g_assert_null (calls);
    g_assert_error (error, RCRP_FEED_ERROR, RCRP_FEED_ERROR_INVALID);
    if (!g_str_has_prefix (error->message, prefix))
      g_error ("expected “%s…”, got “%s”", prefix, error->message);
  }

  /* In an array: "SOURCE: calls[INDEX].FIELD: message", and nothing of the
   * good call before it comes back. */
  {
    g_autoptr(GError) array_error = NULL;
    g_autoptr(GPtrArray) array_calls = parse_text (array, &array_error);
    g_autofree char *prefix = g_strdup_printf ("t.json: calls[1].%s: ", c->field);

    g_assert_null (array_calls);
    if (!g_str_has_prefix (array_error->message, prefix))
      g_error ("expected “%s…”, got “%s”", prefix, array_error->message);
  }
}

static void
test_defaults_and_values (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = call_with ("subject", "{\"age\": 41, \"sex\": \"female\", \"ethnicity\": \"W1\", "
                                                "\"known_to_services\": true}");
  g_autoptr(GPtrArray) calls = parse_text (text, &error);
  RcrpCall *call;

  g_assert_no_error (error);
  call = g_ptr_array_index (calls, 0);
  g_assert_cmpint (rcrp_call_get_grade (call), ==, 3);
  g_assert_cmpint (rcrp_call_get_category (call), ==, RCRP_CATEGORY_WALKED_OUT_OF_HEALTHCARE);
  g_assert_cmpint (rcrp_call_get_subject_age (call), ==, 41);
  g_assert_cmpstr (rcrp_call_get_subject_ethnicity (call), ==, "W1");
  g_assert_cmpint (rcrp_call_get_known_to_services (call), ==, 1);
  g_assert_cmpint (g_date_time_to_unix (rcrp_call_get_received_at (call)), ==, 1795356191);
}

static void
test_every_ethnicity_code (void)
{
  const char *codes[] = { "A1", "A2", "A3", "A4", "A9", "B1", "B2", "B9", "M1", "M2", "M3", "M9",
                          "O2", "O9", "W1", "W2", "W3", "W4", "W9", "NS" };

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *subject = g_strdup_printf ("{\"ethnicity\": \"%s\"}", codes[i]);
      g_autofree char *text = call_with ("subject", subject);
      g_autoptr(GPtrArray) calls = parse_text (text, &error);

      g_assert_no_error (error);
    }
}

static void
test_text_limits_count_characters (void)
{
  g_autoptr(GString) at_limit = g_string_new ("\"");
  g_autoptr(GString) over = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) calls = NULL;
  g_autofree char *text = NULL;

  /* 4000 two-byte characters: 8000 bytes, still within the limit. */
  for (guint i = 0; i < 4000; i++)
    g_string_append (at_limit, "é");
  over = g_string_new (at_limit->str);
  g_string_append (at_limit, "\"");
  g_string_append (over, "é\"");

  text = call_with ("summary", at_limit->str);
  calls = parse_text (text, &error);
  g_assert_no_error (error);
  g_clear_pointer (&calls, g_ptr_array_unref);
  g_free (text);

  text = call_with ("summary", over->str);
  calls = parse_text (text, &error);
  g_assert_null (calls);
  g_assert_true (g_str_has_prefix (error->message, "t.json: summary: "));
  g_assert_nonnull (strstr (error->message, "4001"));
  g_clear_error (&error);
  g_free (text);

  text = call_with ("notes", over->str);
  calls = parse_text (text, &error);
  g_assert_null (calls);
  g_assert_true (g_str_has_prefix (error->message, "t.json: notes: "));
}

typedef struct
{
  const char *name;
  const char *text;
  const char *where;   /* "t.json:LINE:COLUMN:" */
  const char *says;    /* a fragment of the message */
} SyntaxCase;

static const SyntaxCase syntax_cases[] = {
  { "line-comment", "{\n  // note\n  \"schema\": 1}", "t.json:2:3:", "comments" },
  { "block-comment", "[\n  {} /* x */\n]", "t.json:2:6:", "comments" },
  { "hex-number", "{\"initial_grade\": 0x2}", "t.json:1:20:", "hexadecimal" },
  { "nan", "{\"lat\": NaN}", "t.json:1:9:", "NaN" },
  { "infinity", "{\"lat\": -Infinity}", "t.json:1:10:", "NaN and Infinity" },
  { "var-assignment", "var x = {}", "t.json:1:1:", "unexpected word" },
  { "trailing-comma-object", "{\"a\": 1,}", "t.json:1:9:", "trailing comma" },
  { "trailing-comma-array", "[1, 2,\n]", "t.json:2:1:", "trailing comma" },
  { "single-quotes", "{'a': 1}", "t.json:1:2:", "double quotes" },
  { "leading-zero", "{\"a\": 01}", "t.json:1:8:", "leading zeros" },
  { "trailing-garbage", "{}\n{}", "t.json:2:1:", "after the JSON value" },
  { "unterminated-string", "{\"a\": \"abc", "t.json:1:11:", "unterminated" },
  { "control-character", "{\"a\": \"a\tb\"}", "t.json:1:9:", "control character" },
  { "invalid-escape", "{\"a\": \"\\q\"}", "t.json:1:9:", "invalid escape" },
  { "lone-surrogate", "{\"a\": \"\\udc00\"}", NULL, "surrogate" },
  { "duplicate-member", "{\"cad_ref\": \"A\",\n \"cad_ref\": \"B\"}", "t.json:2:2:", "duplicate member" },
  { "column-counts-characters", "{\"é\": \"ü\", x}", "t.json:1:12:", "unexpected word" },
  { "empty-file", "   \n", "t.json:2:1:", "empty" },
  { "truncated", "[{\"a\": [1, 2", "t.json:1:13:", "end of file" },
};

static void
test_syntax (gconstpointer data)
{
  const SyntaxCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) calls = parse_text (c->text, &error);

  g_assert_null (calls);
  g_assert_error (error, RCRP_FEED_ERROR, RCRP_FEED_ERROR_SYNTAX);
  if (c->where != NULL && !g_str_has_prefix (error->message, c->where))
    g_error ("%s: expected “%s…”, got “%s”", c->name, c->where, error->message);
  if (strstr (error->message, c->says) == NULL)
    g_error ("%s: expected the message to mention “%s”: %s", c->name, c->says, error->message);
}

static void
test_not_utf8_refused_with_position (void)
{
  g_autoptr(GError) error = NULL;
  const char text[] = "[\n{},\n  \"ab\xff\"]";
  g_autoptr(GBytes) bytes = g_bytes_new (text, sizeof text - 1);
  g_autoptr(GPtrArray) calls = rcrp_feed_parse_bytes (bytes, "t.json", &error);
  g_autoptr(GBytes) bom = g_bytes_new ("\xEF\xBB\xBF{}", 5);
  g_autoptr(GPtrArray) bom_calls = NULL;

  g_assert_null (calls);
  g_assert_error (error, RCRP_FEED_ERROR, RCRP_FEED_ERROR_ENCODING);
  g_assert_true (g_str_has_prefix (error->message, "t.json:3:6:"));
  g_clear_error (&error);

  bom_calls = rcrp_feed_parse_bytes (bom, "t.json", &error);
  g_assert_null (bom_calls);
  g_assert_error (error, RCRP_FEED_ERROR, RCRP_FEED_ERROR_ENCODING);
}

static void
test_deep_nesting_refused_without_crash (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GPtrArray) calls = NULL;
  g_autofree char *at_limit = NULL;
  g_autofree char *over_limit = NULL;
  g_autoptr(GString) nest = g_string_new (NULL);

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');

  calls = parse_text (deep->str, &error);
  g_assert_null (calls);
  g_assert_error (error, RCRP_FEED_ERROR, RCRP_FEED_ERROR_SYNTAX);
  g_assert_nonnull (strstr (error->message, "nesting"));
  g_clear_error (&error);

  /* The call object is level 1; an unknown member nested to exactly the
   * limit is kept, one level more is refused. */
  for (guint i = 0; i < RCRP_FEED_MAX_DEPTH - 1; i++)
    g_string_append_c (nest, '[');
  for (guint i = 0; i < RCRP_FEED_MAX_DEPTH - 1; i++)
    g_string_append_c (nest, ']');
  at_limit = call_with ("future", nest->str);
  g_clear_pointer (&calls, g_ptr_array_unref);
  calls = parse_text (at_limit, &error);
  g_assert_no_error (error);

  g_string_prepend_c (nest, '[');
  g_string_append_c (nest, ']');
  over_limit = call_with ("future", nest->str);
  g_clear_pointer (&calls, g_ptr_array_unref);
  calls = parse_text (over_limit, &error);
  g_assert_null (calls);
  g_assert_nonnull (strstr (error->message, "nesting"));
}

static void
test_whole_file_refusal (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *good = call_with (NULL, NULL);
  g_autofree char *other = call_with ("cad_ref", "\"OTHER\"");
  g_autofree char *changed = call_with ("summary", "\"A different account\"");
  g_autofree char *duplicate_same = g_strdup_printf ("[%s, %s, %s]", good, other, good);
  g_autofree char *duplicate_changed = g_strdup_printf ("[%s, %s, %s]", good, other, changed);
  g_autoptr(GPtrArray) calls = NULL;

  calls = parse_text (duplicate_same, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (calls->len, ==, 3);
  g_clear_pointer (&calls, g_ptr_array_unref);

  calls = parse_text (duplicate_changed, &error);
  g_assert_null (calls);
  g_assert_true (g_str_has_prefix (error->message, "t.json: calls[2].cad_ref: "));
  g_assert_nonnull (strstr (error->message, "calls[0]"));
  g_clear_error (&error);

  calls = parse_text ("[]", &error);
  g_assert_null (calls);
  g_assert_nonnull (strstr (error->message, "no calls"));
  g_clear_error (&error);

  calls = parse_text ("\"rcrp.call/1\"", &error);
  g_assert_null (calls);
  g_assert_error (error, RCRP_FEED_ERROR, RCRP_FEED_ERROR_INVALID);
  g_clear_error (&error);

  calls = parse_text ("[1]", &error);
  g_assert_null (calls);
  g_assert_true (g_str_has_prefix (error->message, "t.json: calls[0]: "));
}

static void
test_unknown_members_kept_and_canonical (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) a = parse_text ("{\"schema\": \"rcrp.call/1\", \"cad_ref\": \"X\", \"received_at\": "
                                       "\"2026-11-22T14:03:11Z\", \"category\": \"medical_incident\", \"summary\": \"s\", "
                                       "\"location\": {\"postcode\": \"P\", \"address\": \"A\"}, \"extra\": {\"b\": 1, \"a\": 2}}",
                                       &error);
  g_autoptr(GPtrArray) b = parse_text ("{\"extra\": {\"a\": 2, \"b\": 1}, \"location\": {\"address\": \"A\", \"postcode\": \"P\"}, "
                                       "\"summary\": \"s\", \"category\": \"medical_incident\", "
                                       "\"received_at\": \"2026-11-22T14:03:11Z\", \"cad_ref\": \"X\", \"schema\": \"rcrp.call/1\"}",
                                       &error);
  g_autoptr(GPtrArray) c = parse_text ("{\"extra\": {\"a\": 2, \"b\": 1}, \"location\": {\"address\": \"A\", \"postcode\": \"P\"}, "
                                       "\"summary\": \"t\", \"category\": \"medical_incident\", "
                                       "\"received_at\": \"2026-11-22T14:03:11Z\", \"cad_ref\": \"X\", \"schema\": \"rcrp.call/1\"}",
                                       &error);
  RcrpCall *first, *second, *third;

  g_assert_no_error (error);
  first = g_ptr_array_index (a, 0);
  second = g_ptr_array_index (b, 0);
  third = g_ptr_array_index (c, 0);

  g_assert_nonnull (strstr (rcrp_call_get_canonical_json (first), "\"extra\":{\"a\":2,\"b\":1}"));
  g_assert_cmpstr (rcrp_call_get_canonical_json (first), ==, rcrp_call_get_canonical_json (second));
  g_assert_cmpstr (rcrp_call_get_content_hash (first), ==, rcrp_call_get_content_hash (second));
  g_assert_cmpstr (rcrp_call_get_content_hash (first), !=, rcrp_call_get_content_hash (third));
  g_assert_cmpuint (strlen (rcrp_call_get_content_hash (first)), ==, 64);
}

static void
test_file_size_limit (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_dir_make_tmp ("rcrp-feed-XXXXXX", &error);
  g_autofree char *big = g_build_filename (folder, "big.json", NULL);
  g_autofree char *exact = g_build_filename (folder, "exact.json", NULL);
  g_autofree char *missing = g_build_filename (folder, "missing.json", NULL);
  g_autofree char *call = call_with (NULL, NULL);
  g_autoptr(GFile) big_file = g_file_new_for_path (big);
  g_autoptr(GFile) exact_file = g_file_new_for_path (exact);
  g_autoptr(GFile) missing_file = g_file_new_for_path (missing);
  g_autoptr(GPtrArray) calls = NULL;
  g_autoptr(GBytes) document = NULL;
  char *padded;
  int fd;

  /* A sparse file one byte over the limit: refused before it is read. */
  fd = g_open (big, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, RCRP_FEED_MAX_BYTES + 1), ==, 0);
  close (fd);

  calls = rcrp_feed_parse_file (big_file, "big.json", NULL, &error);
  g_assert_null (calls);
  g_assert_error (error, RCRP_FEED_ERROR, RCRP_FEED_ERROR_TOO_LARGE);
  g_assert_true (g_str_has_prefix (error->message, "big.json: "));
  g_clear_error (&error);

  /* Exactly at the limit (a valid call padded with spaces): accepted. */
  padded = g_malloc (RCRP_FEED_MAX_BYTES);
  memset (padded, ' ', RCRP_FEED_MAX_BYTES);
  memcpy (padded, call, strlen (call));
  g_assert_true (g_file_set_contents (exact, padded, RCRP_FEED_MAX_BYTES, &error));
  calls = rcrp_feed_parse_file (exact_file, NULL, &document, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (calls->len, ==, 1);
  g_assert_cmpuint (g_bytes_get_size (document), ==, RCRP_FEED_MAX_BYTES);
  g_clear_pointer (&calls, g_ptr_array_unref);

  /* The same bytes plus one, given directly, are refused too. */
  {
    g_autoptr(GBytes) over = NULL;

    padded = g_realloc (padded, RCRP_FEED_MAX_BYTES + 1);
    padded[RCRP_FEED_MAX_BYTES] = ' ';
    over = g_bytes_new_take (padded, RCRP_FEED_MAX_BYTES + 1);
    calls = rcrp_feed_parse_bytes (over, "over", &error);
    g_assert_null (calls);
    g_assert_error (error, RCRP_FEED_ERROR, RCRP_FEED_ERROR_TOO_LARGE);
    g_clear_error (&error);
  }

  calls = rcrp_feed_parse_file (missing_file, NULL, NULL, &error);
  g_assert_null (calls);
  g_assert_error (error, RCRP_FEED_ERROR, RCRP_FEED_ERROR_IO);

  g_unlink (big);
  g_unlink (exact);
  g_rmdir (folder);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (field_cases); i++)
    {
      const FieldCase *c = &field_cases[i];
      g_autofree char *path = g_strdup_printf ("/feed/field/%s/%s/%u", c->member,
                                               c->field == NULL ? "accepted" : "refused", i);

      g_test_add_data_func (path, c, test_field);
    }

  for (guint i = 0; i < G_N_ELEMENTS (syntax_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/feed/syntax/refuses-%s", syntax_cases[i].name);

      g_test_add_data_func (path, &syntax_cases[i], test_syntax);
    }

  g_test_add_func ("/feed/defaults-and-values", test_defaults_and_values);
  g_test_add_func ("/feed/every-ethnicity-code-accepted", test_every_ethnicity_code);
  g_test_add_func ("/feed/text-limits-count-characters", test_text_limits_count_characters);
  g_test_add_func ("/feed/not-utf8-refused-with-position", test_not_utf8_refused_with_position);
  g_test_add_func ("/feed/deep-nesting-refused-without-crash", test_deep_nesting_refused_without_crash);
  g_test_add_func ("/feed/refuses-whole-file-on-one-bad-call", test_whole_file_refusal);
  g_test_add_func ("/feed/unknown-members-kept-and-canonical", test_unknown_members_kept_and_canonical);
  g_test_add_func ("/feed/file-size-limit", test_file_size_limit);

  return g_test_run ();
}

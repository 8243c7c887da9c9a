/* test-json-strict.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>

#include "rcrp-json-strict.h"

/* rcrp_json_strict_check() on its own: what RFC 8259 allows passes, and
 * every departure is placed at a line and a column counted in characters.
 */

#define DEPTH 32

static gboolean
check (const char  *text,
       guint        max_depth,
       guint       *line,
       guint       *column,
       char       **message)
{
  return rcrp_json_strict_check (text, strlen (text), max_depth, line, column, message);
}

static const char * const valid_documents[] = {
  "{}",
  "[]",
  "0",
  "-0",
  "1.5e-3",
  "-12.25E+10",
  "1e5",
  "0.0",
  "-0.5e-0",
  "9223372036854775807",
  "-9223372036854775808",
  "1.7976931348623157e308",
  "1e-400",
  "true",
  "false",
  "null",
  "\"\"",
  "\"plain text\"",
  " \t\r\n{ \"a\" : [ 1 , 2 ] }\r\n ",
  "{\"nested\": {\"deeper\": [1, [2, [3, {\"deepest\": null}]]]}, \"list\": [true, false, null, \"x\"]}",
  "[\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\"]",
  "[\"\\u00e9\\u20AC \\uD83D\\uDE00 \\ud83d\\ude00\"]",
  "{\"é\": \"ü\", \"名前\": \"😀\"}",
  "[\"\x7f\"]",
  "{\"a\\nb\": 1, \"anb\": 2}",
  "{\"a\\tb\": 1, \"atb\": 2, \"a\\u0009c\": 3}",
  "{\"a\": 1, \"A\": 2, \"a \": 3}",
  "[{\"a\": 1}, {\"a\": 1}]",
  "{\"a\": {\"a\": {\"a\": 1}}}",
};

static void
test_valid_documents_pass (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (valid_documents); i++)
    {
      guint line = 0, column = 0;
      g_autofree char *message = NULL;

      if (!check (valid_documents[i], DEPTH, &line, &column, &message))
        g_error ("“%s” refused at %u:%u: %s", valid_documents[i], line, column, message);
      g_assert_null (message);
    }
}

typedef struct
{
  const char *name;
  const char *text;
  guint       line;
  guint       column;
  const char *says;
} Fault;

static const Fault faults[] = {
  { "empty", "", 1, 1, "empty" },
  { "only-white-space", " \n\t\n ", 3, 2, "empty" },
  { "line-comment", "{\n  // note\n  \"a\": 1}", 2, 3, "comments" },
  { "block-comment", "[1, /* x */ 2]", 1, 5, "comments" },
  { "comment-after-value", "{}\n// end", 2, 1, "after the JSON value" },
  { "hex-number", "[0x10]", 1, 3, "hexadecimal" },
  { "hex-number-upper", "[0X10]", 1, 3, "hexadecimal" },
  { "nan", "[NaN]", 1, 2, "NaN" },
  { "infinity", "[Infinity]", 1, 2, "Infinity" },
  { "minus-infinity", "[-Infinity]", 1, 3, "Infinity" },
  { "var-assignment", "var x = {}", 1, 1, "unexpected word" },
  { "undefined", "[undefined]", 1, 2, "unexpected word" },
  { "true-capitalised", "[True]", 1, 2, "unexpected word" },
  { "truthy", "[trueish]", 1, 6, "unexpected word" },
  { "short-literal", "[nul]", 1, 2, "unexpected word" },
  { "trailing-comma-object", "{\"a\": 1,\n}", 2, 1, "trailing comma" },
  { "trailing-comma-array", "[1,\n 2,\n ]", 3, 2, "trailing comma" },
  { "leading-comma", "[,1]", 1, 2, "unexpected “,”" },
  { "single-quotes", "['a']", 1, 2, "double quotes" },
  { "leading-zero", "[01]", 1, 3, "leading zeros" },
  { "negative-leading-zero", "[-01]", 1, 4, "leading zeros" },
  { "plus-sign", "[+1]", 1, 2, "“+”" },
  { "bare-fraction", "[.5]", 1, 2, "digit" },
  { "minus-alone", "[-]", 1, 3, "digit" },
  { "point-without-digits", "[1.e5]", 1, 4, "decimal point" },
  { "exponent-without-digits", "[1e]", 1, 4, "exponent" },
  { "integer-too-large", "[18446744073709551615]", 1, 2, "range" },
  { "integer-just-too-large", "[9223372036854775808]", 1, 2, "range" },
  { "negative-integer-too-large", "[\n -9223372036854775809]", 2, 2, "range" },
  { "double-too-large", "{\"a\": 1e309}", 1, 7, "range" },
  { "negative-double-too-large", "[-1.8e308]", 1, 2, "range" },
  { "trailing-garbage", "{}\n{}", 2, 1, "after the JSON value" },
  { "two-values", "1 2", 1, 3, "after the JSON value" },
  { "unterminated-string", "[\"abc", 1, 6, "unterminated" },
  { "unterminated-escape", "[\"abc\\", 1, 7, "unterminated" },
  { "unterminated-array", "[1,\n 2", 2, 3, "end of file" },
  { "unterminated-object", "{\"a\": 1", 1, 8, "end of file" },
  { "missing-value", "{\"a\": }", 1, 7, "a value" },
  { "newline-in-string", "[\"a\nb\"]", 1, 4, "control character" },
  { "tab-in-string", "[\"a\tb\"]", 1, 4, "control character" },
  { "nul-escape", "[\"a\\u0000b\"]", 1, 4, "NUL" },
  { "nul-escape-in-name", "{\"a\\u0000\": 1}", 1, 4, "NUL" },
  { "control-outside-string", "[1,\x01 2]", 1, 4, "control character" },
  { "form-feed-as-space", "[1,\f2]", 1, 4, "control character" },
  { "non-breaking-space", "[1,\xc2\xa0" "2]", 1, 4, "unexpected character" },
  { "invalid-escape", "[\"\\q\"]", 1, 4, "invalid escape" },
  { "escaped-single-quote", "[\"\\'\"]", 1, 4, "invalid escape" },
  { "short-unicode-escape", "[\"\\u12G4\"]", 1, 7, "four hexadecimal digits" },
  { "lone-high-surrogate", "[\"\\ud800\"]", 1, 9, "surrogate" },
  { "high-surrogate-then-other", "[\"\\ud800\\u0041\"]", 1, 15, "surrogate" },
  { "two-high-surrogates", "[\"\\ud800\\ud800\"]", 1, 15, "surrogate" },
  { "lone-low-surrogate", "[\"\\udc00x\"]", 1, 9, "surrogate" },
  { "duplicate-member", "{\"a\": 1,\n \"b\": 2,\n \"a\": 3}", 3, 2, "duplicate member" },
  { "duplicate-member-escaped", "{\"é\": 1, \"\\u00e9\": 2}", 1, 10, "duplicate member" },
  { "duplicate-member-solidus", "{\"a/b\": 1, \"a\\/b\": 2}", 1, 12, "duplicate member" },
  { "duplicate-member-surrogates", "{\"😀\": 1, \"\\ud83d\\ude00\": 2}", 1, 10, "duplicate member" },
  { "duplicate-member-nested", "[{\"x\": {\"k\": 1, \"k\": 2}}]", 1, 17, "duplicate member" },
  { "missing-colon", "{\"a\" 1}", 1, 6, "“:”" },
  { "number-as-name", "{1: 2}", 1, 2, "member name" },
  { "missing-comma", "{\"a\": 1 \"b\": 2}", 1, 9, "“,” or “}”" },
  { "columns-count-characters", "{\"é\": \"ü\", x}", 1, 12, "unexpected word" },
  { "columns-after-wide-characters", "{\n  \"名前\": \"😀\", 01}", 2, 14, "member name" },
  { "columns-after-crlf", "[\r\n\"€\",\r\n  .5]", 3, 3, "digit" },
};

static void
test_fault (gconstpointer data)
{
  const Fault *f = data;
  guint line = 0, column = 0;
  g_autofree char *message = NULL;

  if (check (f->text, DEPTH, &line, &column, &message))
    g_error ("%s: accepted", f->name);

  g_assert_nonnull (message);
  if (line != f->line || column != f->column)
    g_error ("%s: expected %u:%u, got %u:%u: %s", f->name, f->line, f->column, line, column, message);
  if (strstr (message, f->says) == NULL)
    g_error ("%s: expected the message to mention “%s”: %s", f->name, f->says, message);
}

static void
test_depth_limit_is_exact (void)
{
  for (guint max = 0; max <= 40; max++)
    {
      g_autoptr(GString) at = g_string_new (NULL);
      g_autoptr(GString) over = g_string_new (NULL);
      guint line = 0, column = 0;
      g_autofree char *message = NULL;

      for (guint i = 0; i < max; i++)
        g_string_append (at, i % 2 == 0 ? "[" : "{\"k\":");
      g_string_append (at, "1");
      for (guint i = max; i > 0; i--)
        g_string_append (at, (i - 1) % 2 == 0 ? "]" : "}");

      g_string_append_printf (over, "[%s]", at->str);

      if (!check (at->str, max, &line, &column, &message))
        g_error ("depth %u with limit %u refused: %s", max, max, message);

      g_assert_false (check (over->str, max, &line, &column, &message));
      g_assert_nonnull (strstr (message, "nesting"));
      g_assert_cmpuint (line, ==, 1);
      /* The opener past the limit is the last one. */
      g_assert_cmpuint (column, ==, (max == 0 ? 1 : strrchr (over->str, max % 2 == 1 ? '[' : '{') - over->str + 1));
    }
}

static void
test_hostile_nesting_does_not_crash (void)
{
  const char *openers[] = { "[", "{\"a\":", "[{\"a\":" };

  for (guint o = 0; o < G_N_ELEMENTS (openers); o++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      guint line = 0, column = 0;
      g_autofree char *message = NULL;

      for (guint i = 0; i < 100000; i++)
        g_string_append (text, openers[o]);

      g_assert_false (rcrp_json_strict_check (text->str, text->len, DEPTH, &line, &column, &message));
      g_assert_nonnull (strstr (message, "nesting"));
      g_assert_cmpuint (line, ==, 1);
    }

  /* Long but flat is fine. */
  {
    g_autoptr(GString) text = g_string_new ("[");

    for (guint i = 0; i < 100000; i++)
      g_string_append (text, i == 0 ? "[]" : ",[]");
    g_string_append (text, "]");
    g_assert_true (rcrp_json_strict_check (text->str, text->len, 2, NULL, NULL, NULL));
  }
}

static void
test_length_bounds_the_text (void)
{
  const char text[] = "[1, 2]garbage";
  const char unterminated[] = { '[', '1', ']' };
  guint line = 0, column = 0;
  g_autofree char *message = NULL;

  /* Only @length bytes are read; the text need not end in a NUL. */
  g_assert_true (rcrp_json_strict_check (text, 6, DEPTH, NULL, NULL, NULL));
  g_assert_true (rcrp_json_strict_check (unterminated, sizeof unterminated, DEPTH, NULL, NULL, NULL));
  g_assert_true (rcrp_json_strict_check ("[1]", 3, DEPTH, NULL, NULL, NULL));

  g_assert_false (rcrp_json_strict_check (text, 5, DEPTH, &line, &column, &message));
  g_assert_cmpuint (line, ==, 1);
  g_assert_cmpuint (column, ==, 6);
  g_assert_nonnull (strstr (message, "end of file"));
  g_clear_pointer (&message, g_free);

  g_assert_false (rcrp_json_strict_check (text, sizeof text - 1, DEPTH, &line, &column, &message));
  g_assert_cmpuint (column, ==, 7);
  g_clear_pointer (&message, g_free);

  /* A cut inside a literal or a number. */
  g_assert_false (rcrp_json_strict_check ("[true]", 4, DEPTH, &line, &column, &message));
  g_assert_cmpuint (column, ==, 2);
  g_clear_pointer (&message, g_free);
  g_assert_false (rcrp_json_strict_check ("[1.5]", 3, DEPTH, &line, &column, &message));
  g_assert_cmpuint (column, ==, 4);
  g_clear_pointer (&message, g_free);

  g_assert_false (rcrp_json_strict_check (NULL, 0, DEPTH, &line, &column, &message));
  g_assert_cmpuint (line, ==, 1);
  g_assert_cmpuint (column, ==, 1);
  g_assert_nonnull (strstr (message, "empty"));
}

static void
test_outputs_are_optional_and_untouched_on_success (void)
{
  guint line = 77, column = 88;
  char *message = (char *) "untouched";

  g_assert_true (check ("{\"a\": [1, 2.5, \"x\"]}", DEPTH, &line, &column, &message));
  g_assert_cmpuint (line, ==, 77);
  g_assert_cmpuint (column, ==, 88);
  g_assert_cmpstr (message, ==, "untouched");

  /* Failure with nowhere to report to is still a failure, and leaks nothing. */
  g_assert_false (check ("{\"a\": [1, 2.5, \"x\"],}", DEPTH, NULL, NULL, NULL));
  g_assert_false (check ("[[[[", 2, NULL, NULL, NULL));
}

/* Each call object's bytes, as sent, whatever they hold: strings with
 * brackets, commas and escaped quotes, nesting, and the spacing between. */
static void
test_top_level_spans_cover_each_value (void)
{
  static const struct {
    const char *text;
    const char *values[5];
  } cases[] = {
    { " {\"a\": 1} \n", { "{\"a\": 1}", NULL } },
    { "[]", { NULL } },
    { "[ ]", { NULL } },
    { "[\n  {\"a\": \"x]\\\"}, [\"}\n  ,{ \"b\" : [1, {\"c\": null}] }\n]\n",
      { "{\"a\": \"x]\\\"}, [\"}", "{ \"b\" : [1, {\"c\": null}] }", NULL } },
    { "[1,\"two\" , true,-3.5e2]", { "1", "\"two\"", "true", "-3.5e2", NULL } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GArray) spans = NULL;
      guint n = 0;

      g_assert_true (check (cases[i].text, DEPTH, NULL, NULL, NULL));
      spans = rcrp_json_strict_top_level_spans (cases[i].text, strlen (cases[i].text));
      while (cases[i].values[n] != NULL)
        n++;
      g_assert_cmpuint (spans->len, ==, n);

      for (guint j = 0; j < spans->len && cases[i].values[j] != NULL; j++)
        {
          RcrpJsonSpan *span = &g_array_index (spans, RcrpJsonSpan, j);
          g_autofree char *value = g_strndup (cases[i].text + span->offset, span->length);

          g_assert_cmpstr (value, ==, cases[i].values[j]);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/json-strict/valid-documents-pass", test_valid_documents_pass);

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autofree char *path = g_strdup_printf ("/json-strict/refuses-%s", faults[i].name);

      g_test_add_data_func (path, &faults[i], test_fault);
    }

  g_test_add_func ("/json-strict/depth-limit-is-exact", test_depth_limit_is_exact);
  g_test_add_func ("/json-strict/hostile-nesting-does-not-crash", test_hostile_nesting_does_not_crash);
  g_test_add_func ("/json-strict/length-bounds-the-text", test_length_bounds_the_text);
  g_test_add_func ("/json-strict/outputs-optional-and-untouched-on-success",
                   test_outputs_are_optional_and_untouched_on_success);
  g_test_add_func ("/json-strict/top-level-spans-cover-each-value", test_top_level_spans_cover_each_value);

  return g_test_run ();
}

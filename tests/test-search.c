/* test-search.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rcrp-test-util.h"

#include <gio/gio.h>

#include "rcrp-call-queue.h"
#include "rcrp-feed.h"
#include "rcrp-search.h"
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
ingest (RcrpStore  *store,
        const char *text)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) calls = rcrp_feed_parse_bytes (bytes, "test", &error);
  RcrpIngestResult result;

  g_assert_no_error (error);
  g_assert_true (rcrp_store_ingest (store, "test", bytes, calls, &result, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 ("2026-11-24T10:00:00Z", NULL);

  fixture->folder = g_dir_make_tmp ("rcrp-search-XXXXXX", &error);
  fixture->path = g_build_filename (fixture->folder, "shift.db", NULL);
  fixture->clock = rcrp_fixed_clock_new (now);
  fixture->store = rcrp_sqlite_store_open (fixture->path, fixture->clock, "alice", "ws-1", &error);
  g_assert_no_error (error);

  ingest (fixture->store,
          "[{\"schema\": \"rcrp.call/1\", \"cad_ref\": \"HC-20261124-0042\", \"received_at\": \"2026-11-24T09:00:00Z\", "
          "  \"category\": \"walked_out_of_healthcare\", \"initial_grade\": 2, "
          "  \"summary\": \"Patient left ward 4 barefoot, heading towards the river\", "
          "  \"location\": {\"postcode\": \"SO16 6YD\"}, "
          "  \"subject\": {\"name\": \"Zoë O'Connor-Smith\"}, \"caller\": {\"name\": \"Nurse Priya Patel\"}},"
          " {\"schema\": \"rcrp.call/1\", \"cad_ref\": \"CFW-0007\", \"received_at\": \"2026-11-23T22:00:00Z\", "
          "  \"category\": \"concern_for_welfare\", \"initial_grade\": 3, "
          "  \"summary\": \"Neighbour worried: OR the man at number 4 has not been seen\", "
          "  \"location\": {\"postcode\": \"SO15 2AB\"}, \"subject\": {\"name\": \"Łukasz Wójcik\"}},"
          " {\"schema\": \"rcrp.call/1\", \"cad_ref\": \"CFW-0008\", \"received_at\": \"2026-11-24T08:00:00Z\", "
          "  \"category\": \"concern_for_welfare\", \"initial_grade\": 2, "
          "  \"summary\": \"Friend says she is low; known to the crisis team\"}]");
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

/* The references found, comma-separated, in the order given. */
static char *
found (Fixture               *fixture,
       const RcrpQueueFilter *filter)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = rcrp_store_list_filtered_ids (fixture->store, filter, &error);
  g_autoptr(GPtrArray) calls = NULL;
  g_autoptr(GString) refs = g_string_new (NULL);

  g_assert_no_error (error);
  calls = rcrp_store_get_calls_by_id (fixture->store, (const gint64 *) (gpointer) ids->data, ids->len, &error);
  for (guint i = 0; i < calls->len; i++)
    g_string_append_printf (refs, "%s%s", i ? "," : "", rcrp_call_get_cad_ref (g_ptr_array_index (calls, i)));

  return g_string_free (g_steal_pointer (&refs), FALSE);
}

static char *
search (Fixture    *fixture,
        const char *words)
{
  g_autoptr(RcrpQueueFilter) filter = rcrp_queue_filter_new ();

  filter->text = g_strdup (words);

  return found (fixture, filter);
}

static void
assert_search (Fixture    *fixture,
               const char *words,
               const char *expected)
{
  g_autofree char *got = search (fixture, words);

  if (g_strcmp0 (got, expected) != 0)
    g_error ("searching “%s”: expected “%s”, got “%s”", words, expected, got);
}

static void
test_finds_by_each_field (Fixture       *fixture,
                          gconstpointer  user_data)
{
  assert_search (fixture, "HC-20261124-0042", "HC-20261124-0042");  /* reference */
  assert_search (fixture, "0042", "HC-20261124-0042");
  assert_search (fixture, "so16 6yd", "HC-20261124-0042");          /* post code */
  assert_search (fixture, "SO15", "CFW-0007");
  assert_search (fixture, "Connor", "HC-20261124-0042");            /* subject's name */
  assert_search (fixture, "Priya", "HC-20261124-0042");             /* caller's name */
  assert_search (fixture, "barefoot river", "HC-20261124-0042");    /* summary words */
  assert_search (fixture, "cris", "CFW-0008");                      /* as you type */
  assert_search (fixture, "Zoe", "HC-20261124-0042");               /* without the diaeresis */
  assert_search (fixture, "Łukasz", "CFW-0007");                    /* non-ASCII */
  assert_search (fixture, "wójcik", "CFW-0007");
  assert_search (fixture, "ward river nobody", "");                 /* every word must match */
}

static void
test_any_text_is_safe (Fixture       *fixture,
                       gconstpointer  user_data)
{
  /* Whatever is typed: results or none, never an SQL or FTS5 error. */
  static const char * const inputs[] = {
    "\"", "*", "-", "OR", "AND", "NOT", "NEAR", "'; DROP TABLE calls; --", "\"unbalanced", "col:umn", "^start",
    "a OR b", "(", ")", "{}", "+", "%", "_", "\\", "\xF0\x9F\x98\x80", "   ", "ward*", "-river", "summary:ward",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autofree char *got = search (fixture, inputs[i]);

      g_assert_nonnull (got);
    }

  /* OR is a word like any other, not an operator. */
  assert_search (fixture, "OR", "CFW-0007");  /* the word "OR" in its summary */
  assert_search (fixture, "'; DROP", "");
  assert_search (fixture, "-river", "HC-20261124-0042");
  assert_search (fixture, "summary:ward", "");  /* two words, not a column filter */

  /* The calls are all still there. */
  {
    g_autoptr(RcrpQueueFilter) all = rcrp_queue_filter_new ();
    g_autofree char *refs = found (fixture, all);

    g_assert_cmpstr (refs, ==, "CFW-0008,HC-20261124-0042,CFW-0007");  /* queue order */
  }
}

static void
test_filters_combine (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcrpQueueFilter) filter = rcrp_queue_filter_new ();
  g_autoptr(GDateTime) midnight = g_date_time_new_from_iso8601 ("2026-11-24T00:00:00Z", NULL);
  g_autoptr(RcrpCall) call = NULL;
  g_autoptr(RcrpDecision) decision = NULL;
  g_autofree char *refs = NULL;
  guint counts[RCRP_N_QUEUE_VIEWS];

  filter->today_start = g_date_time_ref (midnight);

  /* Decide one, claim another. */
  call = rcrp_store_get_call (fixture->store, "CFW-0008", &error);
  decision = rcrp_decision_new (rcrp_call_get_id (call), "signposted", "signposted");
  rcrp_test_rule_out_police (decision);
  g_assert_cmpint (rcrp_store_record_decision (fixture->store, decision, &error), >, 0);
  g_clear_object (&call);
  call = rcrp_store_get_call (fixture->store, "CFW-0007", &error);
  g_assert_true (rcrp_store_claim_call (fixture->store, rcrp_call_get_id (call), "s1", G_TIME_SPAN_HOUR, FALSE, NULL, &error));

  filter->view = RCRP_QUEUE_VIEW_OPEN;
  refs = found (fixture, filter);
  g_assert_cmpstr (refs, ==, "HC-20261124-0042,CFW-0007");
  g_clear_pointer (&refs, g_free);

  filter->view = RCRP_QUEUE_VIEW_TODAY;
  refs = found (fixture, filter);
  g_assert_cmpstr (refs, ==, "HC-20261124-0042,CFW-0008");
  g_clear_pointer (&refs, g_free);

  filter->view = RCRP_QUEUE_VIEW_MINE;
  refs = found (fixture, filter);
  g_assert_cmpstr (refs, ==, "CFW-0007");
  g_clear_pointer (&refs, g_free);

  /* View, category and grade together. */
  filter->view = RCRP_QUEUE_VIEW_TODAY;
  filter->category = RCRP_CATEGORY_CONCERN_FOR_WELFARE;
  refs = found (fixture, filter);
  g_assert_cmpstr (refs, ==, "CFW-0008");
  g_clear_pointer (&refs, g_free);
  filter->grade = 3;
  refs = found (fixture, filter);
  g_assert_cmpstr (refs, ==, "");
  g_clear_pointer (&refs, g_free);

  /* And words. */
  filter->view = RCRP_QUEUE_VIEW_ALL;
  filter->grade = 0;
  filter->text = g_strdup ("number");
  refs = found (fixture, filter);
  g_assert_cmpstr (refs, ==, "CFW-0007");
  g_clear_pointer (&refs, g_free);

  /* Counts for every view, with the same category and words. */
  g_assert_true (rcrp_store_count_views (fixture->store, filter, counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts[RCRP_QUEUE_VIEW_OPEN], ==, 1);
  g_assert_cmpuint (counts[RCRP_QUEUE_VIEW_MINE], ==, 1);
  g_assert_cmpuint (counts[RCRP_QUEUE_VIEW_AWAITING_SUPERVISOR], ==, 0);
  g_assert_cmpuint (counts[RCRP_QUEUE_VIEW_TODAY], ==, 0);
  g_assert_cmpuint (counts[RCRP_QUEUE_VIEW_ALL], ==, 1);
}

typedef struct
{
  guint position;
  guint removed;
  guint added;
} Change;

static void
on_items_changed_cb (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     GArray     *changes)
{
  Change change = { position, removed, added };

  g_array_append_val (changes, change);
}

/* Another workstation changes one call: a filtered queue redraws that
 * row only. */
static void
test_update_changes_only_its_row (Fixture       *fixture,
                                  gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcrpCallQueue) queue = rcrp_call_queue_new (fixture->store);
  g_autoptr(RcrpQueueFilter) filter = rcrp_queue_filter_new ();
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(RcrpStore) other = rcrp_sqlite_store_open (fixture->path, fixture->clock, "alice", "ws-2", &error);

  filter->category = RCRP_CATEGORY_CONCERN_FOR_WELFARE;
  rcrp_call_queue_set_filter (queue, filter);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, 2);

  g_signal_connect (queue, "items-changed", G_CALLBACK (on_items_changed_cb), changes);

  /* A new version of CFW-0007 from the feed, through another connection. */
  ingest (other, "{\"schema\": \"rcrp.call/1\", \"cad_ref\": \"CFW-0007\", \"received_at\": \"2026-11-23T22:00:00Z\", "
                 "\"category\": \"concern_for_welfare\", \"initial_grade\": 3, "
                 "\"summary\": \"Update: the man at number 4 was seen at the window\"}");

  g_assert_true (rcrp_call_queue_refresh (queue, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_cmpuint (g_array_index (changes, Change, 0).position, ==, 1);
  g_assert_cmpuint (g_array_index (changes, Change, 0).removed, ==, 1);
  g_assert_cmpuint (g_array_index (changes, Change, 0).added, ==, 1);

  /* A call of another category changes nothing shown. */
  g_array_set_size (changes, 0);
  ingest (other, "{\"schema\": \"rcrp.call/1\", \"cad_ref\": \"MED-0001\", \"received_at\": \"2026-11-24T09:30:00Z\", "
                 "\"category\": \"medical_incident\", \"summary\": \"Collapsed in the street\"}");
  rcrp_call_queue_refresh (queue, &error);
  g_assert_cmpuint (changes->len, ==, 0);

  /* The new summary is searchable at once. */
  assert_search (fixture, "window", "CFW-0007");
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Whether two comma-separated lists hold the same items, in any order
 * (the store ranks what it finds). */
static gboolean
same_set (const char *a,
          const char *b)
{
  g_auto(GStrv) as = g_strsplit (a, ",", -1);
  g_auto(GStrv) bs = g_strsplit (b, ",", -1);

  qsort (as, g_strv_length (as), sizeof (char *), compare_strings);
  qsort (bs, g_strv_length (bs), sizeof (char *), compare_strings);

  return g_strv_equal ((const char * const *) as, (const char * const *) bs);
}

/* The highlighting agrees with the store: for one word, a call is found
 * exactly when one of the fields the index holds has a word in bold. */
static void
test_highlight_agrees_with_store (Fixture       *fixture,
                                  gconstpointer  user_data)
{
  static const char * const words[] = {
    "zoe", "ZOË", "Zoe\xcc\x88", "łuk", "wojcik", "connor", "o", "so16", "6yd", "0042", "hc", "OR", "cris",
    "river", "ward", "4", "priya", "nobody", "smith", "ß",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(RcrpQueueFilter) all = rcrp_queue_filter_new ();
  g_autoptr(GArray) ids = rcrp_store_list_filtered_ids (fixture->store, all, &error);
  g_autoptr(GPtrArray) calls = rcrp_store_get_calls_by_id (fixture->store, (const gint64 *) (gpointer) ids->data,
                                                           ids->len, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (calls->len, ==, 3);

  for (guint w = 0; w < G_N_ELEMENTS (words); w++)
    {
      g_autofree char *got = search (fixture, words[w]);
      g_autoptr(GString) expected = g_string_new (NULL);

      for (guint i = 0; i < calls->len; i++)
        {
          RcrpCall *call = g_ptr_array_index (calls, i);
          const char *fields[] = {
            rcrp_call_get_cad_ref (call), rcrp_call_get_postcode (call), rcrp_call_get_subject_name (call),
            rcrp_call_get_caller_name (call), rcrp_call_get_summary (call),
          };
          gboolean matches = FALSE;

          for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
            {
              g_autofree char *markup = rcrp_search_highlight (fields[f], words[w]);

              g_assert_cmpint (rcrp_search_matches (fields[f], words[w]), ==, strstr (markup, "<span") != NULL);
              matches |= rcrp_search_matches (fields[f], words[w]);
            }
          if (matches)
            g_string_append_printf (expected, "%s%s", expected->len ? "," : "", rcrp_call_get_cad_ref (call));
        }

      if (!same_set (got, expected->str))
        g_error ("“%s”: the store found “%s”, the highlighting “%s”", words[w], got, expected->str);
    }
}

/* A word as the highlighting marks it. */
#define MATCH(word) "<span weight=\"bold\" underline=\"low\">" word "</span>"

static void
assert_highlight (const char *text,
                  const char *search,
                  const char *expected)
{
  g_autofree char *got = rcrp_search_highlight (text, search);

  if (g_strcmp0 (got, expected) != 0)
    g_error ("“%s” in “%s”: expected “%s”, got “%s”", search, text, expected, got);
}

static void
test_highlight_words (void)
{
  /* Each word of the search as the start of a word, the whole word shown. */
  assert_highlight ("Patient left ward 4 barefoot", "bare", "Patient left ward 4 " MATCH ("barefoot"));
  assert_highlight ("Patient left ward 4 barefoot", "foot", "Patient left ward 4 barefoot");
  assert_highlight ("Patient left ward 4 barefoot", "BAREFOOT", "Patient left ward 4 " MATCH ("barefoot"));
  assert_highlight ("PATIENT left", "patient", MATCH ("PATIENT") " left");
  assert_highlight ("Patient left ward 4 barefoot", "ward bare", "Patient left " MATCH ("ward") " 4 " MATCH ("barefoot"));
  assert_highlight ("Patient left ward 4 barefoot", "barefoot ward", "Patient left " MATCH ("ward") " 4 " MATCH ("barefoot"));
  assert_highlight ("ward 4, ward 5", "ward", MATCH ("ward") " 4, " MATCH ("ward") " 5");
  assert_highlight ("SO16 6YD", "so16 6", MATCH ("SO16") " " MATCH ("6YD"));
  assert_highlight ("HC-20261124-0042", "0042", "HC-20261124-" MATCH ("0042"));

  /* Diacritics folded both ways, as the index folds them. */
  assert_highlight ("Zoë Hart", "zoe", MATCH ("Zoë") " Hart");
  assert_highlight ("Zoe Hart", "zoë", MATCH ("Zoe") " Hart");
  assert_highlight ("Zoe\xcc\x88 Hart", "ZOE", MATCH ("Zoe\xcc\x88") " Hart");  /* a combining diaeresis */
  assert_highlight ("Zoë Hart", "Zoe\xcc\x88", MATCH ("Zoë") " Hart");
  assert_highlight ("Łukasz Wójcik", "wojc", "Łukasz " MATCH ("Wójcik"));
  assert_highlight ("Łukasz Wójcik", "łUK", MATCH ("Łukasz") " Wójcik");
  assert_highlight ("Zoë O'Connor-Smith", "connor smi", "Zoë O&apos;" MATCH ("Connor") "-" MATCH ("Smith"));

  /* Escaped for markup, inside a match and out of it. */
  assert_highlight ("Fish & chips <b>not bold</b>", "chips",
                    "Fish &amp; " MATCH ("chips") " &lt;b&gt;not bold&lt;/b&gt;");
  assert_highlight ("Fish & chips <b>", "fish", MATCH ("Fish") " &amp; chips &lt;b&gt;");
  assert_highlight ("a<b&c", "b", "a&lt;" MATCH ("b") "&amp;c");
  assert_highlight ("It's \"5 > 4\"", "it", MATCH ("It") "&apos;s &quot;5 &gt; 4&quot;");
  assert_highlight (NULL, "word", "");
}

static void
test_highlight_hostile_search (void)
{
  /* Text that is not a word matches nothing; what words there are match as
   * words, the way the store takes them, and nothing breaks the markup. */
  static const char * const nothing[] = {
    "", "   ", "\"", "*", "-", "'", "\"\"", "()", "<", "&", "<>", "</>", "\\", ";", "--", "\xcc\x88", NULL,
  };
  const char *text = "Tom & Jerry <ward 4> \"barefoot\" - OR *";

  for (guint i = 0; i < G_N_ELEMENTS (nothing); i++)
    {
      g_autofree char *snippet = rcrp_search_snippet (text, nothing[i], 80);

      assert_highlight (text, nothing[i], "Tom &amp; Jerry &lt;ward 4&gt; &quot;barefoot&quot; - OR *");
      g_assert_false (rcrp_search_matches (text, nothing[i]));
      g_assert_null (snippet);
    }

  assert_highlight (text, "'; DROP", "Tom &amp; Jerry &lt;ward 4&gt; &quot;barefoot&quot; - OR *");
  assert_highlight (text, "'; DROP TABLE calls; --", "Tom &amp; Jerry &lt;ward 4&gt; &quot;barefoot&quot; - OR *");
  assert_highlight (text, "\"barefoot", "Tom &amp; Jerry &lt;ward 4&gt; &quot;" MATCH ("barefoot") "&quot; - OR *");
  assert_highlight (text, "-barefoot*", "Tom &amp; Jerry &lt;ward 4&gt; &quot;" MATCH ("barefoot") "&quot; - OR *");
  assert_highlight (text, "OR", "Tom &amp; Jerry &lt;ward 4&gt; &quot;barefoot&quot; - " MATCH ("OR") " *");
  assert_highlight (text, "summary:ward", "Tom &amp; Jerry &lt;" MATCH ("ward") " 4&gt; &quot;barefoot&quot; - OR *");
  assert_highlight ("Patient left ward", "ward OR", "Patient left " MATCH ("ward"));
  assert_highlight (text, "<b>", "Tom &amp; Jerry &lt;ward 4&gt; &quot;" MATCH ("barefoot") "&quot; - OR *");  /* the word "b" */
  assert_highlight (text, "&amp;", "Tom &amp; Jerry &lt;ward 4&gt; &quot;barefoot&quot; - OR *");
  assert_highlight ("Bad \xff byte", "byte", "Bad \xef\xbf\xbd " MATCH ("byte"));

  {
    g_auto(GStrv) words = rcrp_search_split_words ("'; DROP TABLE \"calls\"; -- zoë*");
    const char * const expected[] = { "DROP", "TABLE", "calls", "zoë", NULL };

    g_assert_cmpstrv (words, expected);
  }
  {
    g_auto(GStrv) words = rcrp_search_split_words ("  \" * - ");

    g_assert_cmpstrv (words, (const char * const[]) { NULL });
  }
}

static void
test_snippet (void)
{
  const char *summary =
    "Caller reports that the patient left the ward at about ten this morning without telling staff, "
    "taking only a coat; staff searched the grounds and the car park, then the bus stop, and found "
    "a phone charger by the gate, and the patient was last seen walking barefoot towards the river "
    "path near the old mill, where the water is high after the recent rain.";
  g_autofree char *snippet = rcrp_search_snippet (summary, "barefoot", 80);
  g_autofree char *plain = NULL;
  g_autofree char *start = NULL;
  g_autofree char *short_snippet = NULL;
  g_autofree char *lines = NULL;

  /* Cut around the match, at word boundaries, with an ellipsis each side. */
  g_assert_cmpstr (snippet, ==, "…last seen walking " MATCH ("barefoot") " towards the river path near the old mill, where the…");

  /* Near the start: from the start, an ellipsis at the end only. */
  start = rcrp_search_snippet (summary, "patient", 80);
  g_assert_cmpstr (start, ==, "Caller reports that the " MATCH ("patient") " left the ward at about ten this morning without…");

  /* A short text whole; on one line; NULL without a match. */
  short_snippet = rcrp_search_snippet ("Patient left ward 4 barefoot", "bare", 80);
  g_assert_cmpstr (short_snippet, ==, "Patient left ward 4 " MATCH ("barefoot"));
  lines = rcrp_search_snippet ("Patient left\nward 4\n\n  barefoot & cold  ", "cold", 80);
  g_assert_cmpstr (lines, ==, "Patient left ward 4 barefoot &amp; " MATCH ("cold"));
  g_assert_null (rcrp_search_snippet (summary, "helicopter", 80));
  g_assert_null (rcrp_search_snippet (NULL, "barefoot", 80));

  /* The match is in the snippet's text, never cut off. */
  plain = rcrp_search_snippet (summary, "rain", 80);
  g_assert_true (g_str_has_suffix (plain, MATCH ("rain") "."));
  g_assert_true (g_str_has_prefix (plain, "…"));
  g_assert_cmpint (g_utf8_strlen (plain, -1), <=, 80 + 2 + strlen (MATCH ("")));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/search/finds-by-each-field", test_finds_by_each_field);
  ADD ("/search/any-text-is-safe", test_any_text_is_safe);
  ADD ("/search/filters-combine", test_filters_combine);
  ADD ("/search/update-changes-only-its-row", test_update_changes_only_its_row);
  ADD ("/search/highlight-agrees-with-store", test_highlight_agrees_with_store);
  g_test_add_func ("/search/highlight-words", test_highlight_words);
  g_test_add_func ("/search/highlight-hostile-search", test_highlight_hostile_search);
  g_test_add_func ("/search/snippet", test_snippet);

  return g_test_run ();
}

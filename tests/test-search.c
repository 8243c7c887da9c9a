/* test-search.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rcrp-test-util.h"

#include <gio/gio.h>

#include "rcrp-call-queue.h"
#include "rcrp-feed.h"
#include "rcrp-sqlite-store.h"

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

  return g_test_run ();
}

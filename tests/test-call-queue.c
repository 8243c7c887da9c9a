/* test-call-queue.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rcrp-test-util.h"

#include "rcrp-call-queue.h"
#include "rcrp-clock.h"
#include "rcrp-decision.h"
#include "rcrp-feed.h"
#include "rcrp-queue-fixture.h"
#include "rcrp-sqlite-store.h"
#include "rcrp-test-decision.h"

typedef struct
{
  char      *folder;
  char      *path;
  RcrpClock *clock;
  RcrpStore *store;   /* this workstation */
  RcrpStore *other;   /* another workstation on the same database */
  GArray    *changes; /* recorded items-changed: position, removed, added */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 22, 15, 0, 0);

  fixture->folder = g_dir_make_tmp ("rcrp-queue-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->folder, "shift.db", NULL);
  fixture->clock = rcrp_fixed_clock_new (now);
  fixture->store = rcrp_sqlite_store_open (fixture->path, fixture->clock, "me", "ws-1", &error);
  g_assert_no_error (error);
  /* The other workstation stores calls from the feed, so it is a user. */
  g_assert_true (rcrp_store_add_user (fixture->store, "other", RCRP_ROLE_COORDINATOR, NULL, &error));
  g_assert_no_error (error);
  fixture->other = rcrp_sqlite_store_open (fixture->path, fixture->clock, "other", "ws-2", &error);
  g_assert_no_error (error);
  fixture->changes = g_array_new (FALSE, FALSE, sizeof (guint));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_assert_finalize_object (fixture->store);
  g_assert_finalize_object (fixture->other);
  g_clear_object (&fixture->clock);
  g_clear_pointer (&fixture->changes, g_array_unref);
  g_clear_pointer (&fixture->path, g_free);
  rcrp_test_remove_tree (fixture->folder);
  g_clear_pointer (&fixture->folder, g_free);
}

static void
ingest_full (RcrpStore  *store,
             const char *cad_ref,
             const char *category,
             int         grade,
             const char *received_at,
             const char *summary)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strdup_printf ("{\"schema\": \"rcrp.call/1\", \"cad_ref\": \"%s\", "
                                           "\"received_at\": \"%s\", \"category\": \"%s\", "
                                           "\"initial_grade\": %d, \"summary\": \"%s\"}",
                                           cad_ref, received_at, category, grade, summary);
  g_autoptr(GBytes) document = g_bytes_new (text, strlen (text));
  g_autoptr(GPtrArray) calls = rcrp_feed_parse_bytes (document, "t.json", &error);
  RcrpIngestResult result;

  g_assert_no_error (error);
  g_assert_true (rcrp_store_ingest (store, "t.json", document, calls, &result, &error));
  g_assert_no_error (error);
}

static void
ingest (RcrpStore  *store,
        const char *cad_ref,
        int         grade,
        const char *received_at,
        const char *summary)
{
  ingest_full (store, cad_ref, "medical_incident", grade, received_at, summary);
}

static void
on_items_changed_cb (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     Fixture    *fixture)
{
  g_array_append_val (fixture->changes, position);
  g_array_append_val (fixture->changes, removed);
  g_array_append_val (fixture->changes, added);
}

static const char *
ref_at (RcrpCallQueue *queue,
        guint          position)
{
  g_autoptr(RcrpCall) call = g_list_model_get_item (G_LIST_MODEL (queue), position);
  static char buffer[128];

  g_assert_nonnull (call);
  g_strlcpy (buffer, rcrp_call_get_cad_ref (call), sizeof buffer);

  return buffer;
}

static void
assert_change (Fixture *fixture,
               guint    index,
               guint    position,
               guint    removed,
               guint    added)
{
  g_assert_cmpuint (fixture->changes->len, >=, 3 * (index + 1));
  g_assert_cmpuint (g_array_index (fixture->changes, guint, 3 * index), ==, position);
  g_assert_cmpuint (g_array_index (fixture->changes, guint, 3 * index + 1), ==, removed);
  g_assert_cmpuint (g_array_index (fixture->changes, guint, 3 * index + 2), ==, added);
}

static void
test_lists_in_queue_order (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(RcrpCallQueue) queue = NULL;

  ingest (fixture->store, "B", 2, "2026-11-22T14:00:00Z", "b");
  ingest (fixture->store, "A", 1, "2026-11-22T14:30:00Z", "a");
  ingest (fixture->store, "C", 2, "2026-11-22T14:10:00Z", "c");

  queue = rcrp_call_queue_new (fixture->store);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (queue)) == RCRP_TYPE_CALL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, 3);
  g_assert_cmpstr (ref_at (queue, 0), ==, "A");
  g_assert_cmpstr (ref_at (queue, 1), ==, "B");
  g_assert_cmpstr (ref_at (queue, 2), ==, "C");
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (queue), 3));
  g_assert_cmpuint (rcrp_call_queue_find (queue, 12345), ==, G_MAXUINT);
}

static void
test_other_workstation_insert_is_one_insertion (Fixture       *fixture,
                                                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcrpCallQueue) queue = NULL;

  ingest (fixture->store, "A", 1, "2026-11-22T14:00:00Z", "a");
  ingest (fixture->store, "C", 3, "2026-11-22T14:00:00Z", "c");

  queue = rcrp_call_queue_new (fixture->store);
  g_signal_connect (queue, "items-changed", G_CALLBACK (on_items_changed_cb), fixture);

  g_assert_false (rcrp_call_queue_refresh (queue, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->changes->len, ==, 0);

  ingest (fixture->other, "B", 2, "2026-11-22T14:00:00Z", "b");

  g_assert_true (rcrp_call_queue_refresh (queue, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->changes->len, ==, 3);
  assert_change (fixture, 0, 1, 0, 1);
  g_assert_cmpstr (ref_at (queue, 1), ==, "B");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, 3);
}

static void
test_update_in_place_changes_only_that_row (Fixture       *fixture,
                                            gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcrpCallQueue) queue = NULL;
  g_autoptr(RcrpCall) before = NULL;
  g_autoptr(RcrpCall) after = NULL;

  ingest (fixture->store, "A", 1, "2026-11-22T14:00:00Z", "a");
  ingest (fixture->store, "B", 2, "2026-11-22T14:00:00Z", "b");
  ingest (fixture->store, "C", 3, "2026-11-22T14:00:00Z", "c");

  queue = rcrp_call_queue_new (fixture->store);
  before = g_list_model_get_item (G_LIST_MODEL (queue), 1);
  g_assert_cmpstr (rcrp_call_get_summary (before), ==, "b");

  g_signal_connect (queue, "items-changed", G_CALLBACK (on_items_changed_cb), fixture);
  ingest (fixture->other, "B", 2, "2026-11-22T14:00:00Z", "b, now updated");

  g_assert_true (rcrp_call_queue_refresh (queue, &error));
  g_assert_cmpuint (fixture->changes->len, ==, 3);
  assert_change (fixture, 0, 1, 1, 1);

  after = g_list_model_get_item (G_LIST_MODEL (queue), 1);
  g_assert_cmpstr (rcrp_call_get_summary (after), ==, "b, now updated");
  g_assert_cmpint (rcrp_call_get_status (after), ==, RCRP_CALL_STATUS_UPDATED);
  g_assert_cmpuint (rcrp_call_queue_find (queue, rcrp_call_get_id (after)), ==, 1);
}

static void
test_regrade_moves_the_row (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcrpCallQueue) queue = NULL;

  ingest (fixture->store, "A", 1, "2026-11-22T14:00:00Z", "a");
  ingest (fixture->store, "B", 2, "2026-11-22T14:00:00Z", "b");
  ingest (fixture->store, "C", 3, "2026-11-22T14:00:00Z", "c");
  ingest (fixture->store, "D", 4, "2026-11-22T14:00:00Z", "d");

  queue = rcrp_call_queue_new (fixture->store);
  g_signal_connect (queue, "items-changed", G_CALLBACK (on_items_changed_cb), fixture);

  /* C becomes grade 1 and moves up past B; A and D stay untouched. */
  ingest (fixture->other, "C", 1, "2026-11-22T14:00:00Z", "c");
  g_assert_true (rcrp_call_queue_refresh (queue, &error));

  g_assert_cmpuint (fixture->changes->len, ==, 3);
  assert_change (fixture, 0, 1, 2, 2);
  g_assert_cmpstr (ref_at (queue, 0), ==, "A");
  g_assert_cmpstr (ref_at (queue, 1), ==, "C");
  g_assert_cmpstr (ref_at (queue, 2), ==, "B");
  g_assert_cmpstr (ref_at (queue, 3), ==, "D");
}

/* Another process, as another workstation is: `rcrp ingest` updates one
 * call, and the model changes that row alone. */
static void
test_other_process_update_changes_only_that_row (Fixture       *fixture,
                                                 gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcrpCallQueue) queue = NULL;
  g_autoptr(RcrpCall) after = NULL;
  g_autofree char *file = g_build_filename (fixture->folder, "update.json", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *cli = g_getenv ("RCRP_CLI");
  const char *argv[] = { cli, "ingest", "--database", fixture->path, file, NULL };
  int status = -1;

  g_assert_nonnull (cli);
  ingest (fixture->store, "A", 1, "2026-11-22T14:00:00Z", "a");
  ingest (fixture->store, "B", 2, "2026-11-22T14:00:00Z", "b");
  ingest (fixture->store, "C", 3, "2026-11-22T14:00:00Z", "c");

  queue = rcrp_call_queue_new (fixture->store);
  g_signal_connect (queue, "items-changed", G_CALLBACK (on_items_changed_cb), fixture);

  g_assert_true (g_file_set_contents (file,
                                      "{\"schema\": \"rcrp.call/1\", \"cad_ref\": \"B\", "
                                      "\"received_at\": \"2026-11-22T14:00:00Z\", \"category\": \"medical_incident\", "
                                      "\"initial_grade\": 2, \"summary\": \"b, from the other process\"}",
                                      -1, &error));
  /* As the database's first user, who may store calls (a test build). */
  g_setenv ("RCRP_TEST_OPERATOR", "me", TRUE);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error));
  g_unsetenv ("RCRP_TEST_OPERATOR");
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, &error));
  g_assert_no_error (error);

  g_assert_true (rcrp_call_queue_refresh (queue, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->changes->len, ==, 3);
  assert_change (fixture, 0, 1, 1, 1);
  after = g_list_model_get_item (G_LIST_MODEL (queue), 1);
  g_assert_cmpstr (rcrp_call_get_summary (after), ==, "b, from the other process");
  g_assert_cmpstr (ref_at (queue, 0), ==, "A");
  g_assert_cmpstr (ref_at (queue, 2), ==, "C");
}

/* Hundreds of calls at once from another workstation: each changed call
 * is reported once, and the model ends as the store's queue. */
static void
test_many_changes_at_once (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcrpCallQueue) queue = NULL;
  g_autoptr(GArray) changed = NULL;
  g_autoptr(GArray) expected = NULL;
  g_autoptr(GHashTable) distinct = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GString) document = g_string_new ("[");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) calls = NULL;
  RcrpIngestResult result;
  gint64 before, last = 0;
  guint n_items = 0;

  ingest (fixture->store, "A", 1, "2026-11-22T14:00:00Z", "a");
  queue = rcrp_call_queue_new (fixture->store);
  g_signal_connect (queue, "items-changed", G_CALLBACK (on_items_changed_cb), fixture);
  before = rcrp_store_get_last_event_id (fixture->store, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < 300; i++)
    g_string_append_printf (document, "%s{\"schema\": \"rcrp.call/1\", \"cad_ref\": \"M-%03u\", "
                            "\"received_at\": \"2026-11-22T13:%02u:00Z\", \"category\": \"medical_incident\", "
                            "\"initial_grade\": %u, \"summary\": \"m\"}",
                            i > 0 ? "," : "", i, i % 60, 1 + i % 4);
  g_string_append (document, "]");
  bytes = g_bytes_new (document->str, document->len);
  calls = rcrp_feed_parse_bytes (bytes, "many.json", &error);
  g_assert_no_error (error);
  g_assert_true (rcrp_store_ingest (fixture->other, "many.json", bytes, calls, &result, &error));
  g_assert_no_error (error);

  changed = rcrp_store_changed_calls (fixture->store, before, &last, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changed->len, ==, 300);
  for (guint i = 0; i < changed->len; i++)
    g_hash_table_add (distinct, &g_array_index (changed, gint64, i));
  g_assert_cmpuint (g_hash_table_size (distinct), ==, 300);
  g_assert_cmpint (last, >, before);

  g_assert_true (rcrp_call_queue_refresh (queue, &error));
  g_assert_no_error (error);

  /* The changes reported add up to the new length... */
  n_items = 1;
  for (guint i = 0; i < fixture->changes->len; i += 3)
    n_items = n_items - g_array_index (fixture->changes, guint, i + 1) + g_array_index (fixture->changes, guint, i + 2);
  g_assert_cmpuint (n_items, ==, 301);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, 301);

  /* ...and the rows are the store's, in its order. */
  expected = rcrp_store_list_queue_ids (fixture->store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < expected->len; i++)
    {
      g_autoptr(RcrpCall) call = g_list_model_get_item (G_LIST_MODEL (queue), i);

      g_assert_cmpint (rcrp_call_get_id (call), ==, g_array_index (expected, gint64, i));
    }
}


static void
assert_model_is_view (RcrpCallQueue         *queue,
                      RcrpStore             *store,
                      const RcrpQueueFilter *filter)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) expected = filter != NULL ? rcrp_store_list_filtered_ids (store, filter, &error)
                                              : rcrp_store_list_queue_ids (store, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    {
      g_autoptr(RcrpCall) call = g_list_model_get_item (G_LIST_MODEL (queue), i);

      g_assert_cmpint (rcrp_call_get_id (call), ==, g_array_index (expected, gint64, i));
    }
}

/* A few calls changing at a time are placed without reading the view
 * again: after each of many random changes from another workstation, every
 * view is exactly what the store lists. */
static void
test_patched_views_match_the_store (Fixture       *fixture,
                                    gconstpointer  user_data)
{
  static const char * const categories[] = { "medical_incident", "concern_for_welfare", "awol_mental_health" };
  static const char * const outcomes[] = { "signposted", "no_further_action", "police_deployed" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (9);
  g_autoptr(RcrpQueueFilter) open = rcrp_queue_filter_new ();
  g_autoptr(RcrpQueueFilter) narrow = rcrp_queue_filter_new ();
  g_autoptr(RcrpCallQueue) whole = NULL;
  g_autoptr(RcrpCallQueue) open_queue = NULL;
  g_autoptr(RcrpCallQueue) narrow_queue = NULL;
  guint n_calls = 40;

  for (guint i = 0; i < n_calls; i++)
    {
      g_autofree char *ref = g_strdup_printf ("R-%03u", i);
      g_autofree char *received = g_strdup_printf ("2026-11-22T%02u:%02u:00Z", 10 + i % 4, g_rand_int_range (rand, 0, 60));

      ingest_full (fixture->store, ref, categories[i % 3], g_rand_int_range (rand, 1, 5), received, "x");
    }

  g_assert_true (rcrp_store_add_user (fixture->store, "other", RCRP_ROLE_COORDINATOR, NULL, &error));
  g_assert_no_error (error);

  open->view = RCRP_QUEUE_VIEW_OPEN;
  narrow->category = RCRP_CATEGORY_CONCERN_FOR_WELFARE;
  narrow->grade = 2;
  whole = rcrp_call_queue_new (fixture->store);
  open_queue = rcrp_call_queue_new (fixture->store);
  rcrp_call_queue_set_filter (open_queue, open);
  narrow_queue = rcrp_call_queue_new (fixture->store);
  rcrp_call_queue_set_filter (narrow_queue, narrow);

  for (guint round = 0; round < 60; round++)
    {
      guint n_changes = g_rand_int_range (rand, 1, 4);

      for (guint c = 0; c < n_changes; c++)
        {
          guint pick = g_rand_int_range (rand, 0, n_calls);
          g_autofree char *ref = g_strdup_printf ("R-%03u", pick);
          g_autoptr(RcrpCall) call = rcrp_store_get_call (fixture->other, ref, &error);
          g_autoptr(GDateTime) received = NULL;

          g_assert_no_error (error);
          switch (g_rand_int_range (rand, 0, 3))
            {
            case 0:
              {
                /* Regraded, or moved to another category, by the feed. */
                g_autofree char *received_text = g_date_time_format_iso8601 (rcrp_call_get_received_at (call));

                ingest_full (fixture->other, ref, categories[g_rand_int_range (rand, 0, 3)],
                             g_rand_int_range (rand, 1, 5), received_text, "changed");
              }
              break;

            case 1:
              {
                g_autoptr(RcrpDecision) decision = NULL;
                const char *outcome = outcomes[g_rand_int_range (rand, 0, 3)];

                decision = rcrp_decision_new (rcrp_call_get_id (call), outcome, outcome);
                rcrp_test_rule_out_police (decision);
                g_assert_cmpint (rcrp_store_record_decision (fixture->other, decision, &error), >, 0);
                g_assert_no_error (error);
                rcrp_fixed_clock_advance (RCRP_FIXED_CLOCK (fixture->clock), G_TIME_SPAN_MINUTE);
              }
              break;

            default:
              {
                /* A new call. */
                g_autofree char *new_ref = g_strdup_printf ("R-%03u", n_calls);
                g_autofree char *received_text = g_strdup_printf ("2026-11-22T%02u:%02u:00Z",
                                                                  10 + g_rand_int_range (rand, 0, 4),
                                                                  g_rand_int_range (rand, 0, 60));

                ingest_full (fixture->other, new_ref, categories[n_calls % 3], g_rand_int_range (rand, 1, 5),
                             received_text, "new");
                n_calls++;
              }
              break;
            }
        }

      rcrp_call_queue_refresh (whole, &error);
      g_assert_no_error (error);
      assert_model_is_view (whole, fixture->store, NULL);
      rcrp_call_queue_refresh (open_queue, &error);
      g_assert_no_error (error);
      assert_model_is_view (open_queue, fixture->store, open);
      rcrp_call_queue_refresh (narrow_queue, &error);
      g_assert_no_error (error);
      assert_model_is_view (narrow_queue, fixture->store, narrow);
    }
}

static gint64
call_id_of (RcrpStore  *store,
            const char *cad_ref)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcrpCall) call = rcrp_store_get_call (store, cad_ref, &error);

  g_assert_no_error (error);
  return rcrp_call_get_id (call);
}

static void
on_loading_notify_cb (RcrpCallQueue *queue,
                      GParamSpec    *pspec,
                      guint         *notified)
{
  (*notified)++;
}

/* Until @object's only reference is the caller's. A GTask's callback
 * runs here, but its worker holds a reference of its own until just after
 * it returns the result, so the task (and the source object it holds) can
 * be let go on the worker after the callback: nothing then wakes this
 * thread, and a blocking g_main_context_iteration() hung about one run in
 * sixty. Look every few milliseconds instead, within a failure guard. */
static void
wait_until_only_reference (gpointer object)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (g_atomic_int_get (&G_OBJECT (object)->ref_count) > 1)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2 * 1000);
    }
}

/* A view of fifty thousand calls is read on a worker, through a connection
 * of its own: the queue is there at once, empty and loading, and fills in
 * with its first rows and then the rest; what is stored meanwhile is seen
 * by the next refresh. */
static void
test_background_read_of_a_big_view (Fixture       *fixture,
                                    gconstpointer  user_data)
{
  g_autofree char *path = g_build_filename (fixture->folder, "big.db", NULL);
  g_autoptr(RcrpStore) store = NULL;
  g_autoptr(RcrpStore) other = NULL;
  g_autoptr(RcrpCallQueue) queue = NULL;
  g_autoptr(RcrpQueueFilter) all = rcrp_queue_filter_new ();
  g_autoptr(RcrpQueueFilter) open = rcrp_queue_filter_new ();
  g_autoptr(RcrpCallQueue) switched = NULL;
  g_autoptr(GError) error = NULL;
  guint notified = 0;

  rcrp_queue_fixture_make_database (path, 50000);
  store = rcrp_sqlite_store_open (path, fixture->clock, "me", "ws-1", &error);
  g_assert_no_error (error);
  /* The other workstation stores calls, so it acts as the fixture's
   * first user, "bench", who may. */
  other = rcrp_sqlite_store_open (path, fixture->clock, "bench", "ws-2", &error);
  g_assert_no_error (error);

  queue = rcrp_call_queue_new_in_background (store, all);
  g_signal_connect (queue, "items-changed", G_CALLBACK (on_items_changed_cb), fixture);
  g_signal_connect (queue, "notify::loading", G_CALLBACK (on_loading_notify_cb), &notified);
  g_assert_true (rcrp_call_queue_get_loading (queue));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, 0);

  /* Written while the view is read, or just before: not missed either way. */
  ingest (other, "LATE-1", 1, "2026-11-22T14:59:00Z", "Arrived while reading");
  g_assert_false (rcrp_call_queue_refresh (queue, &error));
  g_assert_no_error (error);

  while (rcrp_call_queue_get_loading (queue))
    g_main_context_iteration (NULL, TRUE);

  /* The first rows, then the rest (with the call stored meanwhile, if
   * the first rows were read before it). */
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpuint (fixture->changes->len, ==, 6);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), >=, 50000);
  assert_change (fixture, 0, 0, 0, 64);
  g_assert_cmpuint (64 - g_array_index (fixture->changes, guint, 4) + g_array_index (fixture->changes, guint, 5),
                    ==, g_list_model_get_n_items (G_LIST_MODEL (queue)));

  rcrp_call_queue_refresh (queue, &error);
  g_assert_no_error (error);
  assert_model_is_view (queue, store, all);
  g_assert_cmpuint (rcrp_call_queue_find (queue, call_id_of (store, "LATE-1")), !=, G_MAXUINT);

  /* A new filter while the view is still being read: that one, at once. */
  switched = rcrp_call_queue_new_in_background (store, all);
  open->view = RCRP_QUEUE_VIEW_OPEN;
  rcrp_call_queue_set_filter (switched, open);
  g_assert_false (rcrp_call_queue_get_loading (switched));
  assert_model_is_view (switched, store, open);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (switched)), ==, 202);
  /* The cancelled read changes nothing when it ends (its task lets go
   * of the queue then). */
  wait_until_only_reference (switched);
  assert_model_is_view (switched, store, open);

  g_assert_finalize_object (g_steal_pointer (&switched));
  g_assert_finalize_object (g_steal_pointer (&queue));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/call-queue/lists-in-queue-order", test_lists_in_queue_order);
  ADD ("/call-queue/other-workstation-insert-is-one-insertion", test_other_workstation_insert_is_one_insertion);
  ADD ("/call-queue/update-in-place-changes-only-that-row", test_update_in_place_changes_only_that_row);
  ADD ("/call-queue/regrade-moves-the-row", test_regrade_moves_the_row);
  ADD ("/call-queue/other-process-update-changes-only-that-row", test_other_process_update_changes_only_that_row);
  ADD ("/call-queue/many-changes-at-once", test_many_changes_at_once);
  ADD ("/call-queue/patched-views-match-the-store", test_patched_views_match_the_store);
  ADD ("/call-queue/background-read-of-a-big-view", test_background_read_of_a_big_view);

#undef ADD

  return g_test_run ();
}

/* test-call-queue.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rcrp-test-util.h"

#include "rcrp-call-queue.h"
#include "rcrp-clock.h"
#include "rcrp-feed.h"
#include "rcrp-sqlite-store.h"

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
ingest (RcrpStore  *store,
        const char *cad_ref,
        int         grade,
        const char *received_at,
        const char *summary)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strdup_printf ("{\"schema\": \"rcrp.call/1\", \"cad_ref\": \"%s\", "
                                           "\"received_at\": \"%s\", \"category\": \"medical_incident\", "
                                           "\"initial_grade\": %d, \"summary\": \"%s\"}",
                                           cad_ref, received_at, grade, summary);
  g_autoptr(GBytes) document = g_bytes_new (text, strlen (text));
  g_autoptr(GPtrArray) calls = rcrp_feed_parse_bytes (document, "t.json", &error);
  RcrpIngestResult result;

  g_assert_no_error (error);
  g_assert_true (rcrp_store_ingest (store, "t.json", document, calls, &result, &error));
  g_assert_no_error (error);
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

#undef ADD

  return g_test_run ();
}

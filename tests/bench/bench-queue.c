/* bench-queue.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A year and more of calls (1,000,000 by default, RCRP_BENCH_CALLS to
 * change): how long the queue takes to read, a view to apply, and each
 * keystroke of a search, as medians and p99, with a plain sqlite3 count of
 * the same table as the baseline measured in the same run.
 *
 * The database is the shared queue fixture (rcrp-queue-fixture.h): the
 * store's schema filled by bulk SQL, search index included, so that making
 * it takes a minute, not hours.
 */

#include "config.h"

#include <stdio.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "rcrp-call-queue.h"
#include "rcrp-clock.h"
#include "rcrp-feed.h"
#include "rcrp-sqlite-store.h"

#include "rcrp-queue-fixture.h"

#include "bench-quick.h"

static void
check (int      rc,
       sqlite3 *db)
{
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    g_error ("sqlite: %s", sqlite3_errmsg (db));
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
quantile (GArray *values,
          double  q)
{
  g_array_sort (values, compare_doubles);

  return g_array_index (values, double, MIN (values->len - 1, (guint) (q * values->len)));
}

static double
timed_ids (RcrpStore             *store,
           const RcrpQueueFilter *filter,
           guint                 *n)
{
  g_autoptr(GError) error = NULL;
  gint64 begin = g_get_monotonic_time ();
  g_autoptr(GArray) ids = filter != NULL ? rcrp_store_list_filtered_ids (store, filter, &error)
                                         : rcrp_store_list_queue_ids (store, &error);

  g_assert_no_error (error);
  *n = ids->len;

  return (g_get_monotonic_time () - begin) / 1000.0;
}

/* The year that the startup benchmark made with `rcrp simulate --store`
 * and kept, when there is one: RCRP_BENCH_DATABASE, or year-N.db in
 * RCRP_BENCH_DIR. */
static char *
simulated_year (guint n_calls)
{
  const char *given = g_getenv ("RCRP_BENCH_DATABASE");
  const char *folder = g_getenv ("RCRP_BENCH_DIR");
  g_autofree char *name = g_strdup_printf ("year-%u.db", n_calls);
  g_autofree char *kept = NULL;

  if (given != NULL)
    return g_strdup (given);
  if (folder == NULL)
    return NULL;

  kept = g_build_filename (folder, name, NULL);
  if (g_file_test (kept, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&kept);

  return NULL;
}

int
main (int    argc,
      char **argv)
{
  const char *env = g_getenv ("RCRP_BENCH_CALLS");
  guint n_calls = env != NULL ? (guint) g_ascii_strtoull (env, NULL, 10) : bench_is_quick () ? 5000 : 1000000;
  guint rounds = bench_is_quick () ? 1 : 10;
  g_autofree char *folder = NULL;
  g_autofree char *path = simulated_year (n_calls);
  g_autoptr(RcrpClock) clock = rcrp_system_clock_new ();
  g_autoptr(RcrpStore) store = NULL;
  g_autoptr(RcrpStore) other = NULL;
  g_autoptr(RcrpCallQueue) queue = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) whole = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) open = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) narrowed = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) refresh = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) base = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(RcrpQueueFilter) filter = rcrp_queue_filter_new ();
  /* A name typed while the caller is on the line: one that is in the
   * simulated year, or words the fixture's summaries are made of. */
  static const char * const typed_name[] = { "p", "pr", "pri", "priy", "priya", "priya ", "priya y", "priya ya",
                                             "priya yar", "priya yard", "priya yardl", "priya yardle",
                                             "priya yardley" };
  static const char * const typed_words[] = { "b", "ba", "bar", "bare", "baref", "barefo", "barefoo", "barefoot",
                                              "barefoot r", "barefoot ri", "barefoot riv", "barefoot river" };
  const char * const *typed = path != NULL ? typed_name : typed_words;
  guint n_typed = path != NULL ? G_N_ELEMENTS (typed_name) : G_N_ELEMENTS (typed_words);
  guint n = 0;

  if (path != NULL)
    {
      printf ("database: %s (made with rcrp simulate --store)\n", path);
    }
  else
    {
      folder = g_dir_make_tmp ("rcrp-bench-queue-XXXXXX", NULL);
      path = g_build_filename (folder, "year.db", NULL);
      printf ("database: %u calls of the test fixture (no simulated year kept: run the startup benchmark "
              "first, or set RCRP_BENCH_DATABASE)\n", n_calls);
      rcrp_queue_fixture_make_database (path, n_calls);
    }

  store = rcrp_sqlite_store_open (path, clock, "bench", "bench-ws", &error);
  g_assert_no_error (error);
  /* Another workstation, as the database's first user: only a user of
   * the database stores calls. */
  other = rcrp_sqlite_store_open (path, clock, "bench", "bench-ws-2", &error);
  g_assert_no_error (error);
  queue = rcrp_call_queue_new (store);

  for (guint r = 0; r < rounds; r++)
    {
      double t;
      sqlite3 *db = NULL;
      sqlite3_stmt *stmt = NULL;
      gint64 begin;

      t = timed_ids (store, NULL, &n);
      g_array_append_val (whole, t);

      filter->view = RCRP_QUEUE_VIEW_OPEN;
      t = timed_ids (store, filter, &n);
      g_array_append_val (open, t);

      /* A category and a grade over the whole year. */
      filter->view = RCRP_QUEUE_VIEW_ALL;
      filter->category = RCRP_CATEGORY_CONCERN_FOR_WELFARE;
      filter->grade = 1;
      t = timed_ids (store, filter, &n);
      g_array_append_val (narrowed, t);
      filter->category = -1;
      filter->grade = 0;

      for (guint k = 0; k < n_typed; k++)
        {
          g_free (filter->text);
          filter->text = g_strdup (typed[k]);
          t = timed_ids (store, filter, &n);
          g_array_append_val (keys, t);
          if (g_getenv ("RCRP_BENCH_VERBOSE") != NULL)
            printf ("  round %u, \"%s\": %.1f ms, %u found\n", r + 1, typed[k], t, n);
        }
      g_clear_pointer (&filter->text, g_free);

      /* Another workstation stores a new version of one call; the whole
       * queue (the All view) catches up. */
      {
        g_autoptr(GArray) ids = rcrp_store_list_queue_ids (store, &error);
        gint64 id = g_array_index (ids, gint64, ids->len / 2 + r);
        g_autoptr(GPtrArray) calls = rcrp_store_get_calls_by_id (store, &id, 1, &error);
        RcrpCall *call = g_ptr_array_index (calls, 0);
        g_autofree char *received = g_date_time_format_iso8601 (rcrp_call_get_received_at (call));
        g_autofree char *text = g_strdup_printf ("{\"schema\": \"rcrp.call/1\", \"cad_ref\": \"%s\", "
                                                 "\"received_at\": \"%s\", \"category\": \"%s\", "
                                                 "\"initial_grade\": %d, \"summary\": \"Update %u\"}",
                                                 rcrp_call_get_cad_ref (call), received,
                                                 rcrp_category_to_string (rcrp_call_get_category (call)),
                                                 rcrp_call_get_grade (call), r);
        g_autoptr(GBytes) document = g_bytes_new (text, strlen (text));
        g_autoptr(GPtrArray) parsed = rcrp_feed_parse_bytes (document, "bench", &error);
        RcrpIngestResult result;

        g_assert_no_error (error);
        rcrp_call_queue_refresh (queue, NULL);
        g_assert_true (rcrp_store_ingest (other, "bench", document, parsed, &result, &error));
        g_assert_no_error (error);
        begin = g_get_monotonic_time ();
        rcrp_call_queue_refresh (queue, &error);
        g_assert_no_error (error);
        t = (g_get_monotonic_time () - begin) / 1000.0;
        g_array_append_val (refresh, t);
      }

      /* Baseline: the same table counted by sqlite3 alone. */
      begin = g_get_monotonic_time ();
      check (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), db);
      check (sqlite3_prepare_v2 (db, "SELECT COUNT (*) FROM calls", -1, &stmt, NULL), db);
      check (sqlite3_step (stmt), db);
      sqlite3_finalize (stmt);
      sqlite3_close (db);
      t = (g_get_monotonic_time () - begin) / 1000.0;
      g_array_append_val (base, t);
    }

  printf ("%u calls in the queue (baseline: sqlite3 COUNT(*) median %.1f ms)\n",
          g_list_model_get_n_items (G_LIST_MODEL (queue)), quantile (base, 0.5));
  printf ("whole queue, sorted: median %.1f ms (%.0f× baseline)\n", quantile (whole, 0.5),
          quantile (whole, 0.5) / quantile (base, 0.5));
  printf ("filter: view Open median %.1f ms; concern for welfare, grade 1, whole year median %.1f ms (%.1f× baseline)\n",
          quantile (open, 0.5), quantile (narrowed, 0.5), quantile (narrowed, 0.5) / quantile (base, 0.5));
  printf ("search keystroke (\"%s\" typed): p50 %.1f ms, p99 %.1f ms (target p99 under 50 ms)\n",
          typed[n_typed - 1], quantile (keys, 0.5), quantile (keys, 0.99));
  printf ("whole-queue model after one call changed elsewhere: median %.1f ms (%.0f× baseline)\n",
          quantile (refresh, 0.5), quantile (refresh, 0.5) / quantile (base, 0.5));

  g_clear_object (&queue);
  g_clear_object (&store);
  g_clear_object (&other);
  if (folder == NULL)
    return 0;
  if (g_getenv ("RCRP_BENCH_KEEP") != NULL)
    {
      printf ("kept %s\n", path);
      return 0;
    }
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_unlink (path);
    g_unlink (wal);
    g_unlink (shm);
    g_rmdir (folder);
  }

  return 0;
}

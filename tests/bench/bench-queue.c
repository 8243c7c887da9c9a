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

#include "rcrp-clock.h"
#include "rcrp-sqlite-store.h"

#include "rcrp-queue-fixture.h"

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

int
main (int    argc,
      char **argv)
{
  const char *env = g_getenv ("RCRP_BENCH_CALLS");
  guint n_calls = env != NULL ? (guint) g_ascii_strtoull (env, NULL, 10) : 1000000;
  g_autofree char *folder = g_dir_make_tmp ("rcrp-bench-queue-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (folder, "year.db", NULL);
  g_autoptr(RcrpClock) clock = rcrp_system_clock_new ();
  g_autoptr(RcrpStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) whole = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) open = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) base = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(RcrpQueueFilter) filter = rcrp_queue_filter_new ();
  static const char * const typed[] = { "b", "ba", "bar", "bare", "baref", "barefo", "barefoo", "barefoot",
                                        "barefoot r", "barefoot ri", "barefoot riv", "barefoot river" };
  guint n = 0;

  rcrp_queue_fixture_make_database (path, n_calls);
  store = rcrp_sqlite_store_open (path, clock, "bench", "bench-ws", &error);
  g_assert_no_error (error);

  for (guint r = 0; r < 5; r++)
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

      filter->view = RCRP_QUEUE_VIEW_ALL;
      for (guint k = 0; k < G_N_ELEMENTS (typed); k++)
        {
          g_free (filter->text);
          filter->text = g_strdup (typed[k]);
          t = timed_ids (store, filter, &n);
          g_array_append_val (keys, t);
        }
      g_clear_pointer (&filter->text, g_free);

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

  printf ("%u calls (baseline: sqlite3 COUNT(*) median %.1f ms)\n", n_calls, quantile (base, 0.5));
  printf ("whole queue, sorted: median %.1f ms (%.0f× baseline)\n", quantile (whole, 0.5),
          quantile (whole, 0.5) / quantile (base, 0.5));
  printf ("view Open: median %.1f ms\n", quantile (open, 0.5));
  printf ("search keystroke: p50 %.1f ms, p99 %.1f ms (target p99 under 50 ms)\n", quantile (keys, 0.5),
          quantile (keys, 0.99));

  g_clear_object (&store);
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

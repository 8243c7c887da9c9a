/* bench-queue.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A year and more of calls (1,000,000 by default, RCRP_BENCH_CALLS to
 * change): how long the queue takes to read, a view to apply, and each
 * keystroke of a search, as medians and p99, with a plain sqlite3 count of
 * the same table as the baseline measured in the same run.
 *
 * The database has the store's schema and is filled by bulk SQL, search
 * index included, so that making it takes a minute, not hours.
 */

#include "config.h"

#include <stdio.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "rcrp-clock.h"
#include "rcrp-sqlite-store.h"

static const char * const words[] = {
  "neighbour", "worried", "ward", "barefoot", "river", "bridge", "tablets", "sister", "friend", "crisis",
  "team", "missing", "door", "shouting", "hospital", "leave", "section", "care", "home", "street",
};
static const char * const names[] = { "Smith", "Jones", "Patel", "Williams", "Brown", "Zoë", "Łukasz", "O'Connor" };
static const char * const categories[] = {
  "concern_for_welfare", "walked_out_of_healthcare", "awol_mental_health", "medical_incident", "mental_health_other",
};

static void
check (int      rc,
       sqlite3 *db)
{
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    g_error ("sqlite: %s", sqlite3_errmsg (db));
}

static void
make_database (const char *path,
               guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcrpClock) clock = rcrp_system_clock_new ();
  g_autoptr(RcrpStore) store = rcrp_sqlite_store_open (path, clock, "bench", "bench-ws", &error);
  sqlite3 *db = NULL;
  sqlite3_stmt *call = NULL, *search = NULL;
  GRand *rand = g_rand_new_with_seed (7);
  gint64 start = 1704067200LL * G_USEC_PER_SEC;  /* 2024-01-01 */

  g_assert_no_error (error);
  g_clear_object (&store);

  check (sqlite3_open (path, &db), db);
  check (sqlite3_exec (db, "PRAGMA synchronous = OFF; BEGIN;"
                           "INSERT INTO documents (id, sha256, source, stored_at, operator, workstation, body) "
                           "VALUES (1, 'x', 'bench', 0, 'bench', 'bench', x'7b7d');", NULL, NULL, NULL), db);
  check (sqlite3_prepare_v2 (db, "INSERT INTO calls (id, cad_ref, category, grade, received_at, risks, threshold_risks, "
                                 "summary, status, version_count, current_version, updated_at, outcome, decided_at) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, 0, 0, ?6, ?7, 1, ?1, ?5, ?8, ?9)", -1, &call, NULL), db);
  check (sqlite3_prepare_v2 (db, "INSERT INTO call_search (rowid, cad_ref, postcode, names, summary) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5)", -1, &search, NULL), db);

  for (guint i = 1; i <= n; i++)
    {
      g_autofree char *ref = g_strdup_printf ("CAD-%08u", i);
      g_autofree char *summary = g_strdup_printf ("%s %s %s %s", words[g_rand_int_range (rand, 0, 20)],
                                                  words[g_rand_int_range (rand, 0, 20)],
                                                  words[g_rand_int_range (rand, 0, 20)],
                                                  words[g_rand_int_range (rand, 0, 20)]);
      g_autofree char *postcode = g_strdup_printf ("SO%u %u%c%c", g_rand_int_range (rand, 10, 60),
                                                   g_rand_int_range (rand, 1, 10), 'A' + g_rand_int_range (rand, 0, 26),
                                                   'A' + g_rand_int_range (rand, 0, 26));
      gint64 received = start + (gint64) i * 30 * G_USEC_PER_SEC;
      gboolean decided = i < n - 200;  /* the last 200 still open */

      sqlite3_bind_int64 (call, 1, i);
      sqlite3_bind_text (call, 2, ref, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (call, 3, categories[i % 5], -1, SQLITE_STATIC);
      sqlite3_bind_int (call, 4, 1 + (int) (i % 4));
      sqlite3_bind_int64 (call, 5, received);
      sqlite3_bind_text (call, 6, summary, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (call, 7, decided ? "decided" : "new", -1, SQLITE_STATIC);
      if (decided)
        {
          sqlite3_bind_text (call, 8, "signposted", -1, SQLITE_STATIC);
          sqlite3_bind_int64 (call, 9, received + 600 * G_USEC_PER_SEC);
        }
      else
        {
          sqlite3_bind_null (call, 8);
          sqlite3_bind_null (call, 9);
        }
      check (sqlite3_step (call), db);
      sqlite3_reset (call);

      sqlite3_bind_int64 (search, 1, i);
      sqlite3_bind_text (search, 2, ref, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (search, 3, postcode, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (search, 4, names[i % 8], -1, SQLITE_STATIC);
      sqlite3_bind_text (search, 5, summary, -1, SQLITE_TRANSIENT);
      check (sqlite3_step (search), db);
      sqlite3_reset (search);
    }

  check (sqlite3_exec (db, "COMMIT; ANALYZE;", NULL, NULL, NULL), db);
  sqlite3_finalize (call);
  sqlite3_finalize (search);
  sqlite3_close (db);
  g_rand_free (rand);
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

  make_database (path, n_calls);
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

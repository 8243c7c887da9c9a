/* bench-storage.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Storage per call: simulated calls in feed documents of 5,000, stored
 * through the core as `rcrp ingest` stores them (strict parse on one
 * thread, the store on another), then the database's bytes per call
 * against the feed documents' bytes per call, with where they go, table
 * by table and index by index (SQLite's dbstat). 200,000 calls by
 * default; RCRP_BENCH_CALLS to change, RCRP_BENCH_QUICK=1 for a few.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "rcrp-clock.h"
#include "rcrp-import.h"
#include "rcrp-simulator.h"
#include "rcrp-sqlite-store.h"

#define CALLS_PER_DOCUMENT 5000

static void
on_ingested_cb (const char             *source,
                GPtrArray              *calls,
                const RcrpIngestResult *result,
                const GError           *refusal,
                gpointer                user_data)
{
  if (refusal != NULL)
    g_error ("%s", refusal->message);
}

static void
remove_database (const char *path)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_unlink (file);
    }
}

static gint64
query_int (sqlite3    *db,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 22, 19, 0, 0);
  g_autoptr(RcrpSimulator) simulator = rcrp_simulator_new (20261122, now);
  g_autoptr(RcrpClock) clock = rcrp_fixed_clock_new (now);
  g_autoptr(RcrpStore) store = NULL;
  g_autoptr(RcrpImport) import = NULL;
  g_autofree char *folder = g_dir_make_tmp ("rcrp-bench-XXXXXX", &error);
  g_autofree char *path = NULL;
  const char *env = g_getenv ("RCRP_BENCH_CALLS");
  gboolean quick = g_strcmp0 (g_getenv ("RCRP_BENCH_QUICK"), "1") == 0;
  guint n_calls = env != NULL ? (guint) g_ascii_strtoull (env, NULL, 10) : quick ? 10000 : 200000;
  guint64 feed_bytes = 0;
  gint64 start, database_bytes, used_bytes = 0, n_stored;
  double seconds;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_no_error (error);
  path = g_build_filename (folder, "storage.db", NULL);

  store = rcrp_sqlite_store_open (path, clock, "bench", "bench-host", &error);
  g_assert_no_error (error);
  import = rcrp_import_new (store);

  n_calls = MAX (n_calls, 1);
  for (guint done = 0; done < n_calls; done += CALLS_PER_DOCUMENT)
    {
      guint n = MIN (CALLS_PER_DOCUMENT, n_calls - done);
      char *text = rcrp_simulator_generate (simulator, n, 12 * G_TIME_SPAN_HOUR);
      gsize length = strlen (text);

      feed_bytes += length;
      rcrp_import_add_bytes (import, g_bytes_new_take (text, length), "bench.json");
    }

  start = g_get_monotonic_time ();
  if (!rcrp_import_run (import, on_ingested_cb, NULL, &error))
    g_error ("%s", error->message);
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

  g_clear_object (&import);
  g_clear_object (&store);

  /* Everything into the main file, so its pages are all there is. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA wal_checkpoint (TRUNCATE)", NULL, NULL, NULL), ==, SQLITE_OK);

  n_stored = query_int (db, "SELECT COUNT (*) FROM calls");
  g_assert_cmpint (n_stored, ==, n_calls);
  database_bytes = query_int (db, "SELECT page_count * page_size FROM pragma_page_count (), pragma_page_size ()");

  g_print ("stored %u calls in %u documents in %.1f s\n", n_calls,
           (n_calls + CALLS_PER_DOCUMENT - 1) / CALLS_PER_DOCUMENT, seconds);
  if (sqlite3_prepare_v2 (db, "SELECT name, SUM (pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC",
                          -1, &stmt, NULL) == SQLITE_OK)
    {
      g_print ("%-36s %14s %10s\n", "table or index", "bytes", "per call");
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          gint64 bytes = sqlite3_column_int64 (stmt, 1);

          used_bytes += bytes;
          if (bytes * 1000 < database_bytes)
            continue;
          g_print ("%-36s %14" G_GINT64_FORMAT " %10.1f\n",
                   (const char *) sqlite3_column_text (stmt, 0), bytes, (double) bytes / n_calls);
        }
    }
  else
    {
      g_print ("(no dbstat in this SQLite: no breakdown)\n");
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  /* The file counts the pages the search index's merges freed too; they
   * are used again as the database grows. */
  if (used_bytes > 0)
    g_print ("in use %.1f bytes per call (ratio %.2f), free pages %.1f\n", (double) used_bytes / n_calls,
             (double) used_bytes / feed_bytes, (double) (database_bytes - used_bytes) / n_calls);
  g_print ("feed %.1f bytes per call, database file %.1f bytes per call: ratio %.2f (target <= 2.0)\n",
           (double) feed_bytes / n_calls, (double) database_bytes / n_calls,
           (double) database_bytes / feed_bytes);

  remove_database (path);
  g_rmdir (folder);

  return 0;
}

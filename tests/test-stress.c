/* test-stress.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Eight workstations ingest, claim and decide on one database at once;
 * afterwards every operation reported as done is in the store exactly
 * once, and the store verifies.
 */

#include "config.h"

#include <gio/gio.h>
#include <sqlite3.h>

#include "rcrp-clock.h"
#include "rcrp-sqlite-store.h"
#include "rcrp-test-util.h"

#define N_WORKERS 8

static gint64
query_int (sqlite3    *db,
           const char *sql,
           const char *text,
           gint64      number)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (text != NULL)
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_STATIC);
  else if (number >= 0)
    sqlite3_bind_int64 (stmt, 1, number);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

static void
test_eight_workstations_at_once (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_dir_make_tmp ("rcrp-stress-XXXXXX", &error);
  g_autofree char *path = g_build_filename (folder, "shift.db", NULL);
  const char *worker = g_getenv ("RCRP_STRESS_WORKER");
  const char *ops = g_getenv ("RCRP_STRESS_OPERATIONS");
  GSubprocess *processes[N_WORKERS];
  guint n_ingested = 0, n_decided = 0, n_claimed = 0;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(RcrpClock) clock = rcrp_fixed_clock_new (now);
  g_autoptr(RcrpStore) store = NULL;
  sqlite3 *db = NULL;

  g_assert_nonnull (worker);
  if (ops == NULL)
    ops = "1000";

  /* Created once first, as a deployment would. */
  store = rcrp_sqlite_store_open (path, clock, "setup", "ws-0", &error);
  g_assert_no_error (error);
  g_assert_true (rcrp_store_add_user (store, "stress", RCRP_ROLE_COORDINATOR, NULL, &error));
  g_assert_no_error (error);

  for (guint w = 0; w < N_WORKERS; w++)
    {
      g_autofree char *number = g_strdup_printf ("%u", w);

      processes[w] = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                                       &error, worker, path, number, ops, NULL);
      g_assert_no_error (error);
    }

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);

  for (guint w = 0; w < N_WORKERS; w++)
    {
      g_autofree char *out = NULL;
      g_auto(GStrv) lines = NULL;

      g_assert_true (g_subprocess_communicate_utf8 (processes[w], NULL, NULL, &out, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_successful (processes[w]));
      g_object_unref (processes[w]);

      lines = g_strsplit (out, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        {
          g_auto(GStrv) words = g_strsplit (lines[i], " ", -1);

          if (g_strv_length (words) < 2)
            continue;

          if (g_str_equal (words[0], "ingested"))
            {
              g_assert_cmpint (query_int (db, "SELECT count(*) FROM calls WHERE cad_ref = ?1", words[1], -1), ==, 1);
              n_ingested++;
            }
          else if (g_str_equal (words[0], "decided"))
            {
              gint64 call_id = g_ascii_strtoll (words[1], NULL, 10);
              gint64 event_id = g_ascii_strtoll (words[2], NULL, 10);

              g_assert_cmpint (query_int (db, "SELECT call_id FROM events WHERE id = ?1 AND kind = 'call.decided'",
                                          NULL, event_id), ==, call_id);
              n_decided++;
            }
          else if (g_str_equal (words[0], "claimed"))
            {
              n_claimed++;
            }
        }
    }

  /* Nothing more than was reported, either. */
  g_assert_cmpuint (n_ingested, >, 0);
  g_assert_cmpuint (n_decided, >, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM calls", NULL, -1), ==, n_ingested);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM events WHERE kind = 'call.decided'", NULL, -1), ==, n_decided);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM events WHERE kind IN ('call.claimed', 'call.taken_over')",
                              NULL, -1), <=, n_claimed);

  {
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
    sqlite3_finalize (stmt);
  }
  sqlite3_close (db);

  g_assert_true (rcrp_store_verify (store, NULL, NULL, &error));
  g_assert_no_error (error);

  g_test_message ("%u ingested, %u claimed, %u decided", n_ingested, n_claimed, n_decided);

  g_clear_object (&store);
  rcrp_test_remove_tree (folder);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/stress/eight-workstations-at-once", test_eight_workstations_at_once);

  return g_test_run ();
}

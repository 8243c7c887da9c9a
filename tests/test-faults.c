/* test-faults.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Faults of the shared database: a full disk, a lock held beyond the busy
 * timeout, the file moved away. Each gives a clear message, leaves nothing
 * half-written, and work carries on once the fault clears.
 */

#include "config.h"

#include "rcrp-test-util.h"

#include <signal.h>
#include <sys/resource.h>

#include <gio/gio.h>
#include <sqlite3.h>

#include "rcrp-simulator.h"
#include "rcrp-sqlite-store.h"

typedef struct
{
  char      *folder;
  char      *path;
  RcrpClock *clock;
  RcrpStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 ("2026-11-24T10:00:00Z", NULL);

  fixture->folder = g_dir_make_tmp ("rcrp-faults-XXXXXX", &error);
  fixture->path = g_build_filename (fixture->folder, "shift.db", NULL);
  fixture->clock = rcrp_fixed_clock_new (now);
  /* The rcrp tool acts as the same user (a test build). */
  fixture->store = rcrp_sqlite_store_open (fixture->path, fixture->clock, "alice", "ws-1", &error);
  g_assert_no_error (error);
  g_setenv ("RCRP_TEST_OPERATOR", "alice", TRUE);
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

static gint64
count (const char *path,
       const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return n;
}

static char *
write_calls (Fixture *fixture,
             guint    n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 ("2026-11-24T10:00:00Z", NULL);
  g_autoptr(RcrpSimulator) simulator = rcrp_simulator_new (7, now);
  g_autofree char *text = rcrp_simulator_generate (simulator, n, G_TIME_SPAN_HOUR);
  char *file = g_build_filename (fixture->folder, "calls.json", NULL);

  g_assert_true (g_file_set_contents (file, text, -1, &error));

  return file;
}

static void
limit_file_size (gpointer user_data)
{
  struct rlimit limit = { 48 * 1024, 48 * 1024 };

  /* EFBIG, which SQLite reports as a full disk, rather than SIGXFSZ. */
  signal (SIGXFSZ, SIG_IGN);
  setrlimit (RLIMIT_FSIZE, &limit);
}

static int
run_cli (gboolean     limited,
         char       **err,
         const char  *first,
         ...)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("RCRP_CLI"));
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  if (limited)
    g_subprocess_launcher_set_child_setup (launcher, limit_file_size, NULL, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, err, &error));
  g_assert_no_error (error);

  return g_subprocess_get_exit_status (process);
}

static void
test_full_disk (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autofree char *calls = write_calls (fixture, 400);
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  gint64 events = count (fixture->path, "SELECT COUNT (*) FROM events");

  g_assert_nonnull (g_getenv ("RCRP_CLI"));

  /* The files may grow no more than 48 KiB: the disk is full mid-way. */
  g_assert_cmpint (run_cli (TRUE, &err, "ingest", "--database", fixture->path, calls, NULL), !=, 0);
  if (strstr (err, "is full") == NULL)
    g_error ("no clear message about the full disk: %s", err);
  g_assert_nonnull (strstr (err, "Nothing was written"));

  /* Nothing half-written. */
  g_assert_cmpint (count (fixture->path, "SELECT COUNT (*) FROM calls"), ==, 0);
  g_assert_cmpint (count (fixture->path, "SELECT COUNT (*) FROM events"), ==, events);
  g_assert_true (rcrp_store_verify (fixture->store, NULL, NULL, &error));
  g_assert_no_error (error);

  /* Space again: the same file goes in whole. */
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (FALSE, &err, "ingest", "--database", fixture->path, calls, NULL), ==, 0);
  g_assert_cmpint (count (fixture->path, "SELECT COUNT (*) FROM calls"), ==, 400);
}

static void
test_locked_beyond_timeout (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autofree char *err = NULL;
  sqlite3 *db = NULL;

  /* Another workstation holds the write lock and does not let go. */
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);

  g_assert_cmpint (run_cli (FALSE, &err, "agencies", "status", "amhp", "closed", "--database", fixture->path, NULL),
                   ==, 1);
  if (strstr (err, "locked by another workstation for longer than 5 seconds") == NULL)
    g_error ("no clear message about the lock: %s", err);

  /* The lock clears: the same report goes in. */
  g_assert_cmpint (sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (FALSE, &err, "agencies", "status", "amhp", "closed", "--database", fixture->path, NULL),
                   ==, 0);
  g_assert_cmpint (count (fixture->path, "SELECT COUNT (*) FROM events WHERE kind = 'agency.status'"), ==, 1);
}

static void
test_file_moved_away (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *moved = g_build_filename (fixture->folder, "moved.db", NULL);
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);
  g_autofree char *moved_wal = g_strconcat (moved, "-wal", NULL);
  gint64 events;

  g_assert_true (rcrp_store_set_agency_state (fixture->store, "amhp", RCRP_AGENCY_STATUS_LIMITED, 1, -1, NULL, &error) > 0);
  events = rcrp_store_get_last_event_id (fixture->store, &error);

  /* Someone moves the shared file away while the app has it open. */
  g_assert_cmpint (g_rename (fixture->path, moved), ==, 0);
  g_rename (wal, moved_wal);

  g_assert_cmpint (rcrp_store_set_agency_state (fixture->store, "amhp", RCRP_AGENCY_STATUS_CLOSED, -1, -1, NULL, &error),
                   ==, -1);
  g_assert_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_OPEN);
  g_assert_nonnull (strstr (error->message, "moved, replaced or deleted"));
  g_clear_error (&error);

  /* Nothing went into the file nobody else can see. */
  g_clear_object (&fixture->store);
  g_assert_cmpint (count (moved, "SELECT MAX (id) FROM events"), ==, events);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/faults/full-disk", test_full_disk);
  ADD ("/faults/locked-beyond-timeout", test_locked_beyond_timeout);
  ADD ("/faults/file-moved-away", test_file_moved_away);

  return g_test_run ();
}

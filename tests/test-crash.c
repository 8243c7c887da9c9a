/* test-crash.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Kills a spool watcher with SIGKILL at random moments, many times: every
 * file it reported as stored is in the store, the store verifies, and a
 * restart finishes the spool with nothing lost or stored twice.
 */

#include "config.h"

#include <signal.h>

#include <gio/gio.h>

#include "rcrp-clock.h"
#include "rcrp-sqlite-store.h"
#include "rcrp-test-util.h"

#define N_FILES 150
#define CALLS_PER_FILE 4
#define N_KILLS 15

static void
write_spool (const char *spool)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (spool, 0750), ==, 0);

  for (guint f = 0; f < N_FILES; f++)
    {
      g_autoptr(GString) text = g_string_new ("[");
      g_autofree char *name = g_strdup_printf ("f%03u.json", f);
      g_autofree char *path = g_build_filename (spool, name, NULL);

      for (guint c = 0; c < CALLS_PER_FILE; c++)
        g_string_append_printf (text, "%s{\"schema\": \"rcrp.call/1\", \"cad_ref\": \"F%u-C%u\", "
                                "\"received_at\": \"2026-11-22T14:03:11Z\", \"category\": \"medical_incident\", "
                                "\"summary\": \"crash test\"}", c > 0 ? ", " : "", f, c);
      g_string_append (text, "]");

      g_assert_true (g_file_set_contents (path, text->str, -1, &error));
    }
}

static guint
count_json (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;
  guint n = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      n++;

  return n;
}

static void
test_killed_watcher_loses_nothing (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_dir_make_tmp ("rcrp-crash-XXXXXX", &error);
  g_autofree char *database = g_build_filename (folder, "shift.db", NULL);
  g_autofree char *spool = g_build_filename (folder, "spool", NULL);
  g_autofree char *processed = g_build_filename (spool, "processed", NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(RcrpClock) clock = rcrp_fixed_clock_new (now);
  g_autoptr(RcrpStore) store = NULL;
  const char *cli = g_getenv ("RCRP_CLI");
  guint reported = 0;

  g_assert_nonnull (cli);
  write_spool (spool);

  store = rcrp_sqlite_store_open (database, clock, "checker", "ws-check", &error);
  g_assert_no_error (error);
  /* Only a user of the database stores calls: the watchers act as its
   * first user (a test build lets them). */
  g_setenv ("RCRP_TEST_OPERATOR", "checker", TRUE);

  for (guint k = 0; k < N_KILLS; k++)
    {
      g_autoptr(GSubprocess) watcher = NULL;
      g_autoptr(GBytes) out = NULL;
      g_auto(GStrv) lines = NULL;

      watcher = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                                  cli, "spool", "--once", "--database", database, spool, NULL);
      g_assert_no_error (error);

      g_usleep (g_random_int_range (5, 40) * 1000);
      g_subprocess_send_signal (watcher, SIGKILL);
      g_assert_true (g_subprocess_communicate (watcher, NULL, NULL, &out, NULL, &error));
      g_assert_no_error (error);

      /* Every file the watcher said it stored is in processed/ and its
       * calls are in the store. */
      lines = g_strsplit (g_bytes_get_data (out, NULL) != NULL ? g_bytes_get_data (out, NULL) : "", "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        {
          g_autofree char *name = NULL;
          g_autofree char *moved = NULL;
          const char *colon = strchr (lines[i], ':');
          guint f;

          if (colon == NULL || !g_str_has_prefix (lines[i], "f"))
            continue;

          name = g_strndup (lines[i], colon - lines[i]);
          moved = g_build_filename (processed, name, NULL);
          g_assert_true (g_file_test (moved, G_FILE_TEST_EXISTS));

          f = (guint) g_ascii_strtoull (name + 1, NULL, 10);
          for (guint c = 0; c < CALLS_PER_FILE; c++)
            {
              g_autofree char *ref = g_strdup_printf ("F%u-C%u", f, c);
              g_autoptr(RcrpCall) call = rcrp_store_get_call (store, ref, &error);

              g_assert_no_error (error);
              g_assert_nonnull (call);
            }
          reported++;
        }

      g_assert_true (rcrp_store_verify (store, NULL, NULL, &error));
      g_assert_no_error (error);
    }

  /* A restart finishes the spool: claims of the dead processes are taken
   * over, and files stored just before a kill are not stored twice. */
  {
    g_autoptr(GSubprocess) finisher = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                                                         cli, "spool", "--once", "--database", database, spool, NULL);

    g_assert_no_error (error);
    g_assert_true (g_subprocess_wait_check (finisher, NULL, &error));
    g_assert_no_error (error);
  }

  g_assert_cmpuint (count_json (spool), ==, 0);
  g_assert_cmpuint (count_json (processed), ==, N_FILES);

  {
    g_autoptr(GArray) ids = rcrp_store_list_queue_ids (store, &error);
    gint64 n_events = 0;

    g_assert_no_error (error);
    g_assert_cmpuint (ids->len, ==, N_FILES * CALLS_PER_FILE);
    g_assert_true (rcrp_store_verify (store, &n_events, NULL, &error));
    /* One event a call, and the new database's first user and directory. */
    g_assert_cmpint (n_events, ==, N_FILES * CALLS_PER_FILE + 2);
  }

  g_test_message ("%u files reported stored before a kill", reported);

  g_clear_object (&store);
  rcrp_test_remove_tree (folder);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/crash/killed-watcher-loses-nothing", test_killed_watcher_loses_nothing);

  return g_test_run ();
}

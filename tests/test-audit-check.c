/* test-audit-check.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The start-up check of the audit chain from this workstation's
 * checkpoint: what it catches, what it leaves to the full walk, and a
 * checkpoint file edited by hand.
 */

#include "config.h"

#include "rcrp-test-util.h"

#include <sys/stat.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "rcrp-audit-check.h"
#include "rcrp-clock.h"
#include "rcrp-feed.h"
#include "rcrp-sqlite-store.h"

typedef struct
{
  char      *folder;
  char      *path;
  char      *state;
  RcrpClock *clock;
  RcrpStore *store;
} Fixture;

static void
ingest_calls_into (RcrpStore  *store,
                   guint       first,
                   guint       n,
                   const char *summary)
{
  for (guint i = first; i < first + n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = g_strdup_printf ("{\"schema\": \"rcrp.call/1\", \"cad_ref\": \"CAD-%u\", "
                                               "\"received_at\": \"2026-11-22T14:03:11Z\", "
                                               "\"category\": \"concern_for_welfare\", "
                                               "\"initial_grade\": 2, \"summary\": \"%s\"}", i, summary);
      g_autoptr(GBytes) document = g_bytes_new (text, strlen (text));
      g_autoptr(GPtrArray) calls = rcrp_feed_parse_bytes (document, "test.json", &error);
      RcrpIngestResult result;

      g_assert_no_error (error);
      g_assert_true (rcrp_store_ingest (store, "test.json", document, calls, &result, &error));
      g_assert_no_error (error);
    }
}

static void
ingest_calls (Fixture *fixture,
              guint    first,
              guint    n)
{
  ingest_calls_into (fixture->store, first, n, "x");
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 22, 15, 0, 0);

  fixture->folder = g_dir_make_tmp ("rcrp-audit-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->folder, "shift.db", NULL);
  fixture->state = g_build_filename (fixture->folder, "state", NULL);
  fixture->clock = rcrp_fixed_clock_new (now);
  fixture->store = rcrp_sqlite_store_open (fixture->path, fixture->clock, "tester", "ws-1", &error);
  g_assert_no_error (error);

  /* The first user and the directory, then ten calls: events 1 to 12. */
  ingest_calls (fixture, 0, 10);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_assert_finalize_object (fixture->store);
  g_clear_object (&fixture->clock);
  g_clear_pointer (&fixture->path, g_free);
  g_clear_pointer (&fixture->state, g_free);
  rcrp_test_remove_tree (fixture->folder);
  g_clear_pointer (&fixture->folder, g_free);
}

static void
exec_or_fail (const char *path,
              const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

static gboolean
check (Fixture             *fixture,
       RcrpAuditCheckDepth  depth,
       RcrpAuditReport     *report,
       GError             **error)
{
  return rcrp_audit_check (fixture->store, depth, fixture->state, NULL, NULL, NULL, report, error);
}

/* The only file in the checkpoint folder. */
static char *
checkpoint_file (Fixture *fixture)
{
  g_autofree char *folder = g_build_filename (fixture->state, "rcrp", "audit-checkpoints", NULL);
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  name = g_dir_read_name (dir);
  g_assert_nonnull (name);
  g_assert_null (g_dir_read_name (dir));

  return g_build_filename (folder, name, NULL);
}

/* Checks once from nothing, so there is a checkpoint at event 12, then
 * adds events 13 to 17. */
static void
checkpoint_then_more (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_auto(RcrpAuditReport) report = { 0, };

  g_assert_true (check (fixture, RCRP_AUDIT_CHECK_QUICK, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpint (report.from, ==, RCRP_AUDIT_FROM_FIRST_EVENT);
  g_assert_cmpint (report.n_events, ==, 12);
  g_assert_cmpint (report.head_event_id, ==, 12);
  g_assert_cmpint (report.last_full_check, >, 0);

  ingest_calls (fixture, 10, 5);
}

static void
test_walks_only_after_the_checkpoint (Fixture       *fixture,
                                      gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *file = NULL;
  GStatBuf st;
  g_auto(RcrpAuditReport) report = { 0, };

  checkpoint_then_more (fixture);

  g_assert_true (check (fixture, RCRP_AUDIT_CHECK_QUICK, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpint (report.from, ==, RCRP_AUDIT_FROM_CHECKPOINT);
  g_assert_cmpint (report.from_event_id, ==, 12);
  g_assert_cmpint (report.n_events, ==, 5);
  g_assert_cmpint (report.head_event_id, ==, 17);

  /* Moved on: nothing new to walk the next time. */
  g_assert_true (check (fixture, RCRP_AUDIT_CHECK_QUICK, &report, &error));
  g_assert_cmpint (report.from_event_id, ==, 17);
  g_assert_cmpint (report.n_events, ==, 0);

  /* The user's own, and nobody else's to read. */
  file = checkpoint_file (fixture);
  g_assert_cmpint (g_stat (file, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

static void
test_catches_an_edit_after_the_checkpoint (Fixture       *fixture,
                                           gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_auto(RcrpAuditReport) report = { 0, };

  checkpoint_then_more (fixture);
  exec_or_fail (fixture->path,
                "DROP TRIGGER events_append_only_update;"
                "UPDATE events SET operator = 'someone else' WHERE id = 15;");

  g_assert_false (check (fixture, RCRP_AUDIT_CHECK_QUICK, &report, &error));
  g_assert_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_TAMPERED);
  g_assert_cmpint (report.from, ==, RCRP_AUDIT_FROM_CHECKPOINT);
  g_assert_cmpint (report.broken_event_id, ==, 15);
  g_assert_nonnull (strstr (error->message, "event 15"));
}

/* Someone rewrites the log up to and including the checkpoint's event and
 * recomputes every hash, so the chain itself walks clean from the first
 * event: the checkpoint's hash no longer matches. */
static void
test_catches_a_rewritten_checkpoint_event (Fixture       *fixture,
                                           gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_auto(RcrpAuditReport) report = { 0, };

  checkpoint_then_more (fixture);
  /* Event 12 with another hash (its content edited to match it would be
   * the same to the check: the stored hash is what is compared). */
  exec_or_fail (fixture->path,
                "DROP TRIGGER events_append_only_update;"
                "UPDATE events SET hash = '1111111111111111111111111111111111111111111111111111111111111111', "
                "  operator = 'someone else' WHERE id = 12;");

  g_assert_false (check (fixture, RCRP_AUDIT_CHECK_QUICK, &report, &error));
  g_assert_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_TAMPERED);
  g_assert_cmpint (report.broken_event_id, ==, 12);
  g_assert_nonnull (strstr (error->message, "event 12"));
}

/* The same, done properly: the events from 3 on are replaced by others
 * with every hash recomputed (made by the store itself, in another
 * database with the same first two events), so the chain walks clean from
 * the first event. Only the checkpoint's hash shows it. */
static void
test_catches_a_consistently_rewritten_log (Fixture       *fixture,
                                           gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *forged_path = g_build_filename (fixture->folder, "forged.db", NULL);
  g_autofree char *sql = NULL;
  RcrpStore *forged;
  g_auto(RcrpAuditReport) report = { 0, };

  checkpoint_then_more (fixture);

  forged = rcrp_sqlite_store_open (forged_path, fixture->clock, "tester", "ws-1", &error);
  g_assert_no_error (error);
  ingest_calls_into (forged, 0, 15, "a different story");
  g_assert_finalize_object (forged);

  sql = g_strdup_printf ("ATTACH '%s' AS forged;"
                         "DROP TRIGGER events_append_only_delete;"
                         "DELETE FROM events WHERE id > 2;"
                         "INSERT INTO events SELECT * FROM forged.events WHERE id > 2;",
                         forged_path);
  exec_or_fail (fixture->path, sql);

  /* The walk from the first event finds nothing wrong. */
  g_assert_true (rcrp_store_verify (fixture->store, NULL, NULL, &error));
  g_assert_no_error (error);

  g_assert_false (check (fixture, RCRP_AUDIT_CHECK_QUICK, &report, &error));
  g_assert_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_TAMPERED);
  g_assert_cmpint (report.from, ==, RCRP_AUDIT_FROM_CHECKPOINT);
  g_assert_cmpint (report.broken_event_id, ==, 12);
  g_assert_nonnull (strstr (error->message, "rewritten"));
  g_clear_error (&error);

  /* And so does the full check, which confirms the checkpoint too. */
  g_assert_false (check (fixture, RCRP_AUDIT_CHECK_FULL, &report, &error));
  g_assert_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_TAMPERED);
  g_assert_cmpint (report.broken_event_id, ==, 12);
}

static void
test_refuses_an_edited_checkpoint_file (Fixture       *fixture,
                                        gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *path = NULL;
  g_auto(RcrpAuditReport) report = { 0, };

  checkpoint_then_more (fixture);
  /* An edit after the checkpoint, and then the checkpoint moved past it by
   * hand, so a quick check from it would not see the edit. */
  exec_or_fail (fixture->path,
                "DROP TRIGGER events_append_only_update;"
                "UPDATE events SET operator = 'someone else' WHERE id = 14;");
  path = checkpoint_file (fixture);
  g_assert_true (g_key_file_load_from_file (file, path, G_KEY_FILE_KEEP_COMMENTS, &error));
  g_assert_no_error (error);
  g_key_file_set_int64 (file, "Checkpoint", "Event", 17);
  {
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT hash FROM events WHERE id = 17", -1, &stmt, NULL), ==,
                     SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_key_file_set_string (file, "Checkpoint", "Hash", (const char *) sqlite3_column_text (stmt, 0));
    sqlite3_finalize (stmt);
    sqlite3_close (db);
  }
  g_assert_true (g_key_file_save_to_file (file, path, &error));
  g_assert_no_error (error);

  /* Refused, said so, and the whole log walked: the edit is found. */
  g_assert_false (check (fixture, RCRP_AUDIT_CHECK_QUICK, &report, &error));
  g_assert_nonnull (report.warning);
  g_assert_nonnull (strstr (report.warning, "not as this workstation wrote it"));
  g_assert_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_TAMPERED);
  g_assert_cmpint (report.from, ==, RCRP_AUDIT_CHECKPOINT_REFUSED);
  g_assert_cmpint (report.broken_event_id, ==, 14);
}

/* An edit before the checkpoint that leaves the hashes alone is not on
 * the quick check's path: the full walk finds it. */
static void
test_full_walk_catches_an_edit_before_the_checkpoint (Fixture       *fixture,
                                                      gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_auto(RcrpAuditReport) report = { 0, };

  checkpoint_then_more (fixture);
  exec_or_fail (fixture->path,
                "DROP TRIGGER events_append_only_update;"
                "UPDATE events SET operator = 'someone else' WHERE id = 5;");

  g_assert_true (check (fixture, RCRP_AUDIT_CHECK_QUICK, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpint (report.from, ==, RCRP_AUDIT_FROM_CHECKPOINT);

  g_assert_false (check (fixture, RCRP_AUDIT_CHECK_FULL, &report, &error));
  g_assert_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_TAMPERED);
  g_assert_cmpint (report.broken_event_id, ==, 5);
}

/* Events removed from the end, down past the checkpoint: the checkpoint's
 * event is gone. The walk from the first event cannot tell. */
static void
test_catches_a_log_cut_short (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_auto(RcrpAuditReport) report = { 0, };

  checkpoint_then_more (fixture);
  g_assert_true (check (fixture, RCRP_AUDIT_CHECK_QUICK, &report, &error));
  g_assert_cmpint (report.head_event_id, ==, 17);
  exec_or_fail (fixture->path,
                "DROP TRIGGER events_append_only_delete;"
                "DELETE FROM events WHERE id > 14;");

  g_assert_true (rcrp_store_verify (fixture->store, NULL, NULL, &error));
  g_assert_no_error (error);

  g_assert_false (check (fixture, RCRP_AUDIT_CHECK_QUICK, &report, &error));
  g_assert_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_TAMPERED);
  g_assert_cmpint (report.broken_event_id, ==, 17);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/audit-check/walks-only-after-the-checkpoint", test_walks_only_after_the_checkpoint);
  ADD ("/audit-check/catches-an-edit-after-the-checkpoint", test_catches_an_edit_after_the_checkpoint);
  ADD ("/audit-check/catches-a-rewritten-checkpoint-event", test_catches_a_rewritten_checkpoint_event);
  ADD ("/audit-check/catches-a-consistently-rewritten-log", test_catches_a_consistently_rewritten_log);
  ADD ("/audit-check/refuses-an-edited-checkpoint-file", test_refuses_an_edited_checkpoint_file);
  ADD ("/audit-check/full-walk-catches-an-edit-before-the-checkpoint",
       test_full_walk_catches_an_edit_before_the_checkpoint);
  ADD ("/audit-check/catches-a-log-cut-short", test_catches_a_log_cut_short);

#undef ADD

  return g_test_run ();
}

/* test-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rcrp-test-util.h"

#include <sys/stat.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "rcrp-clock.h"
#include "rcrp-feed.h"
#include "rcrp-sqlite-store.h"
#include "rcrp-store.h"
#include "rcrp-test-decision.h"

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
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 22, 15, 0, 0);

  fixture->folder = g_dir_make_tmp ("rcrp-store-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->folder, "shift.db", NULL);
  fixture->clock = rcrp_fixed_clock_new (now);
  fixture->store = rcrp_sqlite_store_open (fixture->path, fixture->clock, "tester", "ws-1", &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->store);

  /* tester made the database and is its administrator; a colleague on
   * another workstation coordinates too. */
  g_assert_true (rcrp_store_add_user (fixture->store, "colleague", RCRP_ROLE_COORDINATOR, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_assert_finalize_object (fixture->store);
  g_clear_object (&fixture->clock);
  g_clear_pointer (&fixture->path, g_free);
  rcrp_test_remove_tree (fixture->folder);
  g_clear_pointer (&fixture->folder, g_free);
}

/* A valid call; @extra is spliced in as more members. */
static char *
call_json (const char *cad_ref,
           int         grade,
           const char *received_at,
           const char *summary,
           const char *extra)
{
  return g_strdup_printf ("{\"schema\": \"rcrp.call/1\", \"cad_ref\": \"%s\", "
                          "\"received_at\": \"%s\", \"category\": \"concern_for_welfare\", "
                          "\"initial_grade\": %d, \"summary\": \"%s\"%s%s}",
                          cad_ref, received_at, grade, summary,
                          extra != NULL ? ", " : "", extra != NULL ? extra : "");
}

static gboolean
ingest_text (RcrpStore         *store,
             const char        *text,
             RcrpIngestResult  *result,
             GError           **error)
{
  g_autoptr(GBytes) document = g_bytes_new (text, strlen (text));
  g_autoptr(GPtrArray) calls = rcrp_feed_parse_bytes (document, "test.json", error);

  if (calls == NULL)
    return FALSE;

  return rcrp_store_ingest (store, "test.json", document, calls, result, error);
}

static guint
queue_length (RcrpStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = rcrp_store_list_queue_ids (store, &error);

  g_assert_no_error (error);
  return ids->len;
}

static gint64
count_rows (const char *path,
            const char *table)
{
  /* Events about calls: a new database also records its agency directory. */
  g_autofree char *sql = g_str_equal (table, "events") ?
    g_strdup ("SELECT count(*) FROM events WHERE call_id IS NOT NULL") :
    g_strdup_printf ("SELECT count(*) FROM %s", table);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 count;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return count;
}

static void
test_ingest_stores_calls_and_events (Fixture       *fixture,
                                     gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first = call_json ("CAD-1", 2, "2026-11-22T14:03:11Z", "Worried about neighbour", NULL);
  g_autofree char *second = call_json ("CAD-2", 3, "2026-11-22T14:10:00Z", "Left ward", NULL);
  g_autofree char *text = g_strdup_printf ("[%s, %s]", first, second);
  g_autoptr(RcrpCall) call = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GDateTime) now = rcrp_clock_now (fixture->clock);
  RcrpIngestResult result;

  g_assert_true (ingest_text (fixture->store, text, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.added, ==, 2);
  g_assert_cmpuint (result.updated, ==, 0);
  g_assert_cmpuint (result.unchanged, ==, 0);
  g_assert_cmpuint (queue_length (fixture->store), ==, 2);

  call = rcrp_store_get_call (fixture->store, "CAD-1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rcrp_call_get_cad_ref (call), ==, "CAD-1");
  g_assert_cmpstr (rcrp_call_get_summary (call), ==, "Worried about neighbour");
  g_assert_cmpint (rcrp_call_get_grade (call), ==, 2);
  g_assert_cmpint (rcrp_call_get_status (call), ==, RCRP_CALL_STATUS_NEW);
  g_assert_cmpuint (rcrp_call_get_version_count (call), ==, 1);
  g_assert_cmpint (rcrp_call_get_waiting_minutes (call, now), ==, 56);

  events = rcrp_store_list_events (fixture->store, rcrp_call_get_id (call), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpstr (rcrp_event_get_kind (g_ptr_array_index (events, 0)), ==, "call.received");
  g_assert_cmpstr (rcrp_event_get_operator (g_ptr_array_index (events, 0)), ==, "tester");
  g_assert_cmpstr (rcrp_event_get_workstation (g_ptr_array_index (events, 0)), ==, "ws-1");

  /* The raw document is kept byte for byte. */
  g_assert_cmpint (count_rows (fixture->path, "documents"), ==, 1);
}

static void
test_refused_file_leaves_store_unchanged (Fixture       *fixture,
                                          gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *good = call_json ("CAD-1", 2, "2026-11-22T14:03:11Z", "First", NULL);
  g_autofree char *other = call_json ("CAD-9", 2, "2026-11-22T14:03:11Z", "Would be new", NULL);
  g_autofree char *bad = call_json ("CAD-2", 7, "2026-11-22T14:03:11Z", "Grade out of range", NULL);
  g_autofree char *mixed = g_strdup_printf ("[%s, %s]", other, bad);
  RcrpIngestResult result;
  gint64 last_event_id;

  g_assert_true (ingest_text (fixture->store, good, &result, &error));
  g_assert_no_error (error);
  last_event_id = rcrp_store_get_last_event_id (fixture->store, &error);
  g_assert_no_error (error);

  g_assert_false (ingest_text (fixture->store, mixed, &result, &error));
  g_assert_error (error, RCRP_FEED_ERROR, RCRP_FEED_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "calls[1].initial_grade"));
  g_clear_error (&error);

  g_assert_cmpint (rcrp_store_get_last_event_id (fixture->store, &error), ==, last_event_id);
  g_assert_cmpuint (queue_length (fixture->store), ==, 1);
  g_assert_null (rcrp_store_get_call (fixture->store, "CAD-9", &error));
  g_assert_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_NOT_FOUND);
  g_assert_cmpint (count_rows (fixture->path, "documents"), ==, 1);
}

static void
test_redelivery_is_idempotent (Fixture       *fixture,
                               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = call_json ("CAD-1", 2, "2026-11-22T14:03:11Z", "Same content", "\"notes\": \"x\"");
  /* The same content with members in another order is the same call. */
  g_autofree char *reordered = g_strdup ("{\"notes\": \"x\", \"summary\": \"Same content\", "
                                         "\"initial_grade\": 2, \"category\": \"concern_for_welfare\", "
                                         "\"received_at\": \"2026-11-22T14:03:11Z\", "
                                         "\"cad_ref\": \"CAD-1\", \"schema\": \"rcrp.call/1\"}");
  RcrpIngestResult result;
  gint64 last_event_id;

  g_assert_true (ingest_text (fixture->store, text, &result, &error));
  g_assert_no_error (error);
  last_event_id = rcrp_store_get_last_event_id (fixture->store, &error);

  g_assert_true (ingest_text (fixture->store, text, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.added, ==, 0);
  g_assert_cmpuint (result.updated, ==, 0);
  g_assert_cmpuint (result.unchanged, ==, 1);

  g_assert_true (ingest_text (fixture->store, reordered, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.unchanged, ==, 1);

  g_assert_cmpint (rcrp_store_get_last_event_id (fixture->store, &error), ==, last_event_id);
  g_assert_cmpint (count_rows (fixture->path, "documents"), ==, 1);
  g_assert_cmpint (count_rows (fixture->path, "call_versions"), ==, 1);
}

static void
test_update_is_kept_as_history (Fixture       *fixture,
                                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *v1 = call_json ("CAD-1", 3, "2026-11-22T14:03:11Z", "First account", NULL);
  g_autofree char *v2 = call_json ("CAD-1", 1, "2026-11-22T14:03:11Z", "Now has a knife",
                                   "\"risk_indicators\": [\"weapon\"]");
  g_autoptr(RcrpCall) call = NULL;
  g_autoptr(GPtrArray) versions = NULL;
  g_autoptr(GPtrArray) events = NULL;
  RcrpIngestResult result;

  g_assert_true (ingest_text (fixture->store, v1, &result, &error));
  g_assert_no_error (error);
  g_assert_true (ingest_text (fixture->store, v2, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.updated, ==, 1);

  call = rcrp_store_get_call (fixture->store, "CAD-1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rcrp_call_get_summary (call), ==, "Now has a knife");
  g_assert_cmpint (rcrp_call_get_grade (call), ==, 1);
  g_assert_cmpuint (rcrp_call_get_risks (call), ==, RCRP_RISK_WEAPON);
  g_assert_cmpint (rcrp_call_get_status (call), ==, RCRP_CALL_STATUS_UPDATED);
  g_assert_cmpuint (rcrp_call_get_version_count (call), ==, 2);

  versions = rcrp_store_list_versions (fixture->store, rcrp_call_get_id (call), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (versions->len, ==, 2);
  g_assert_cmpstr (rcrp_call_get_summary (g_ptr_array_index (versions, 0)), ==, "First account");
  g_assert_cmpstr (rcrp_call_get_summary (g_ptr_array_index (versions, 1)), ==, "Now has a knife");

  events = rcrp_store_list_events (fixture->store, rcrp_call_get_id (call), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 2);
  g_assert_cmpstr (rcrp_event_get_kind (g_ptr_array_index (events, 0)), ==, "call.received");
  g_assert_cmpstr (rcrp_event_get_kind (g_ptr_array_index (events, 1)), ==, "call.updated");
}

static void
test_late_redelivery_does_not_revert (Fixture       *fixture,
                                      gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *v1 = call_json ("CAD-1", 3, "2026-11-22T14:03:11Z", "First account", NULL);
  g_autofree char *v2 = call_json ("CAD-1", 2, "2026-11-22T14:03:11Z", "Second account", NULL);
  g_autoptr(RcrpCall) call = NULL;
  RcrpIngestResult result;

  g_assert_true (ingest_text (fixture->store, v1, &result, &error));
  g_assert_true (ingest_text (fixture->store, v2, &result, &error));
  g_assert_true (ingest_text (fixture->store, v1, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.unchanged, ==, 1);

  call = rcrp_store_get_call (fixture->store, "CAD-1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rcrp_call_get_summary (call), ==, "Second account");
  g_assert_cmpuint (rcrp_call_get_version_count (call), ==, 2);
}

static void
test_queue_order (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a = call_json ("G3-OLD", 3, "2026-11-22T10:00:00Z", "a", NULL);
  g_autofree char *b = call_json ("G2-NEW", 2, "2026-11-22T14:00:00Z", "b", NULL);
  g_autofree char *c = call_json ("G2-OLD", 2, "2026-11-22T13:00:00Z", "c", NULL);
  g_autofree char *d = call_json ("G2-RISK", 2, "2026-11-22T14:30:00Z", "d",
                                  "\"risk_indicators\": [\"suicidal_intent\", \"intoxication\"]");
  g_autofree char *e = call_json ("G1", 1, "2026-11-22T14:50:00Z", "e", NULL);
  g_autofree char *text = g_strdup_printf ("[%s, %s, %s, %s, %s]", a, b, c, d, e);
  const char *expected[] = { "G1", "G2-RISK", "G2-OLD", "G2-NEW", "G3-OLD" };
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GPtrArray) calls = NULL;
  RcrpIngestResult result;

  g_assert_true (ingest_text (fixture->store, text, &result, &error));
  g_assert_no_error (error);

  ids = rcrp_store_list_queue_ids (fixture->store, &error);
  g_assert_no_error (error);
  calls = rcrp_store_get_calls_by_id (fixture->store, (gint64 *) (gpointer) ids->data, ids->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (calls->len, ==, G_N_ELEMENTS (expected));

  for (guint i = 0; i < calls->len; i++)
    g_assert_cmpstr (rcrp_call_get_cad_ref (g_ptr_array_index (calls, i)), ==, expected[i]);
}

static void
test_events_are_append_only (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = call_json ("CAD-1", 2, "2026-11-22T14:03:11Z", "x", NULL);
  const char *tampering[] = {
    "UPDATE events SET operator = 'someone else'",
    "DELETE FROM events",
    "UPDATE call_versions SET body = '{}'",
    "DELETE FROM call_versions",
    "DELETE FROM documents",
  };
  RcrpIngestResult result;
  sqlite3 *db = NULL;

  g_assert_true (ingest_text (fixture->store, text, &result, &error));
  g_assert_no_error (error);

  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  for (guint i = 0; i < G_N_ELEMENTS (tampering); i++)
    {
      char *message = NULL;

      g_assert_cmpint (sqlite3_exec (db, tampering[i], NULL, NULL, &message), ==, SQLITE_CONSTRAINT);
      g_assert_nonnull (strstr (message, "append-only"));
      sqlite3_free (message);
    }
  sqlite3_close (db);

  g_assert_cmpint (count_rows (fixture->path, "events"), ==, 1);
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

static void
test_verify_names_the_edited_event (Fixture       *fixture,
                                    gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  RcrpIngestResult result;
  gint64 n_events = 0;
  gint64 broken = 0;

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *ref = g_strdup_printf ("CAD-%u", i);
      g_autofree char *text = call_json (ref, 2, "2026-11-22T14:03:11Z", "x", NULL);

      g_assert_true (ingest_text (fixture->store, text, &result, &error));
      g_assert_no_error (error);
    }

  g_assert_true (rcrp_store_verify (fixture->store, &n_events, &broken, &error));
  g_assert_no_error (error);
  /* The first user, the directory, the colleague, then five calls. */
  g_assert_cmpint (n_events, ==, 8);
  g_assert_cmpint (broken, ==, 0);

  /* Someone with the sqlite3 shell drops the guard and edits event 3. */
  exec_or_fail (fixture->path,
                "DROP TRIGGER events_append_only_update;"
                "UPDATE events SET operator = 'someone else' WHERE id = 3;");

  g_assert_false (rcrp_store_verify (fixture->store, &n_events, &broken, &error));
  g_assert_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_TAMPERED);
  g_assert_cmpint (broken, ==, 3);
  g_assert_cmpint (n_events, ==, 2);
  g_assert_nonnull (strstr (error->message, "event 3"));
  g_assert_nonnull (strstr (error->message, "2026-11-22T15:00:00"));
}

static void
test_verify_detects_a_removed_event (Fixture       *fixture,
                                     gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  RcrpIngestResult result;
  gint64 broken = 0;

  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *ref = g_strdup_printf ("CAD-%u", i);
      g_autofree char *text = call_json (ref, 2, "2026-11-22T14:03:11Z", "x", NULL);

      g_assert_true (ingest_text (fixture->store, text, &result, &error));
    }

  exec_or_fail (fixture->path,
                "DROP TRIGGER events_append_only_delete;"
                "DELETE FROM events WHERE id = 2;");

  g_assert_false (rcrp_store_verify (fixture->store, NULL, &broken, &error));
  g_assert_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_TAMPERED);
  g_assert_cmpint (broken, ==, 3);
}

typedef struct
{
  GArray       *done;
  gint64        total;
  GCancellable *cancel_at_first;
} Progress;

static void
on_progress (gint64   done,
             gint64   total,
             gpointer user_data)
{
  Progress *progress = user_data;

  g_array_append_val (progress->done, done);
  progress->total = total;
  if (progress->cancel_at_first != NULL && done > 0)
    g_cancellable_cancel (progress->cancel_at_first);
}

/* The start-up check says how far it has got, and stops when asked. */
static void
test_verify_reports_progress_and_stops (Fixture       *fixture,
                                        gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) done = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GString) document = g_string_new ("[");
  Progress progress = { done, 0, NULL };
  RcrpIngestResult result;
  gint64 n_events = 0;

  /* Enough events for the walk to report along the way (every 4,096). */
  for (guint i = 0; i < 9000; i++)
    {
      g_autofree char *ref = g_strdup_printf ("CAD-%u", i);
      g_autofree char *text = call_json (ref, 2, "2026-11-22T14:03:11Z", "x", NULL);

      g_string_append_printf (document, "%s%s", i > 0 ? "," : "", text);
    }
  g_string_append (document, "]");
  g_assert_true (ingest_text (fixture->store, document->str, &result, &error));
  g_assert_no_error (error);

  g_assert_true (rcrp_store_verify_full (fixture->store, on_progress, &progress, NULL, &n_events, NULL, &error));
  g_assert_no_error (error);
  /* Three before the calls: the first user, the directory, the colleague. */
  g_assert_cmpint (n_events, ==, 9003);
  g_assert_cmpint (progress.total, ==, 9003);
  g_assert_cmpuint (done->len, ==, 4);
  g_assert_cmpint (g_array_index (done, gint64, 0), ==, 0);
  g_assert_cmpint (g_array_index (done, gint64, 1), ==, 4096);
  g_assert_cmpint (g_array_index (done, gint64, 2), ==, 8192);
  g_assert_cmpint (g_array_index (done, gint64, 3), ==, 9003);

  g_array_set_size (done, 0);
  progress.cancel_at_first = cancellable;
  g_assert_false (rcrp_store_verify_full (fixture->store, on_progress, &progress, cancellable, &n_events, NULL,
                                          &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (n_events, ==, 8192);
}

/* Two processes making a database that does not exist yet (rcrp init, the
 * one command that makes one) both end with it, created and migrated once:
 * each says it made it or found it there.
 */
static void
test_two_processes_create_database_at_once (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_dir_make_tmp ("rcrp-store-XXXXXX", &error);
  const char *cli = g_getenv ("RCRP_CLI");

  g_assert_nonnull (cli);

  for (guint round = 0; round < 15; round++)
    {
      g_autofree char *name = g_strdup_printf ("fresh-%u.db", round);
      g_autofree char *path = g_build_filename (folder, name, NULL);
      GSubprocess *processes[3];

      for (guint p = 0; p < G_N_ELEMENTS (processes); p++)
        {
          processes[p] = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                                           &error, cli, "init", path, NULL);
          g_assert_no_error (error);
        }

      for (guint p = 0; p < G_N_ELEMENTS (processes); p++)
        {
          g_assert_true (g_subprocess_wait (processes[p], NULL, &error));
          g_assert_no_error (error);
          g_assert_true (g_subprocess_get_if_exited (processes[p]));
          g_assert_cmpint (g_subprocess_get_exit_status (processes[p]), <=, 1);
          g_object_unref (processes[p]);
        }

      /* and it opens. */
      {
        g_autoptr(GSubprocess) list = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                                                        cli, "list", "--database", path, NULL);

        g_assert_no_error (error);
        g_assert_true (g_subprocess_wait_check (list, NULL, &error));
        g_assert_no_error (error);
      }
    }

  rcrp_test_remove_tree (folder);
}

static gint64
first_call_id (RcrpStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = rcrp_store_list_queue_ids (store, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, >, 0);

  return g_array_index (ids, gint64, 0);
}

static void
test_departing_decision_needs_rationale (Fixture       *fixture,
                                         gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = call_json ("CAD-1", 2, "2026-11-22T14:03:11Z", "x", NULL);
  g_autoptr(RcrpDecision) decision = NULL;
  g_autoptr(GPtrArray) decisions = NULL;
  RcrpIngestResult result;
  gint64 call_id, last_event_id;

  g_assert_true (ingest_text (fixture->store, text, &result, &error));
  call_id = first_call_id (fixture->store);
  last_event_id = rcrp_store_get_last_event_id (fixture->store, &error);

  decision = rcrp_decision_new (call_id, "no_further_action", "signposted");
  rcrp_decision_set_rationale (decision, "   \n ");
  g_assert_cmpint (rcrp_store_record_decision (fixture->store, decision, &error), ==, -1);
  g_assert_error (error, RCRP_DECISION_ERROR, RCRP_DECISION_ERROR_RATIONALE_REQUIRED);
  g_assert_nonnull (strstr (error->message, "No further action"));
  g_assert_nonnull (strstr (error->message, "Signpost"));
  g_clear_error (&error);
  g_assert_cmpint (rcrp_store_get_last_event_id (fixture->store, &error), ==, last_event_id);

  rcrp_decision_set_rationale (decision, "Caller's daughter has arrived and is staying the night.");
  rcrp_decision_set_rules_version (decision, "test-1");
  rcrp_decision_set_answers_json (decision, "{\"cfw.risk_to_life\":\"no\"}");
  /* The two threshold questions left open are overridden knowingly. */
  rcrp_decision_set_overrides (decision, (const char *[]) { "cfw.crime", "cfw.missing", NULL });
  g_assert_cmpint (rcrp_store_record_decision (fixture->store, decision, &error), >, last_event_id);
  g_assert_no_error (error);
  g_assert_cmpstr (rcrp_decision_get_operator (decision), ==, "tester");
  g_assert_cmpstr (rcrp_decision_get_workstation (decision), ==, "ws-1");

  decisions = rcrp_store_list_decisions (fixture->store, call_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (decisions->len, ==, 1);
  g_assert_cmpstr (rcrp_decision_get_outcome (g_ptr_array_index (decisions, 0)), ==, "no_further_action");
  g_assert_cmpstr (rcrp_decision_get_rationale (g_ptr_array_index (decisions, 0)), ==,
                   "Caller's daughter has arrived and is staying the night.");
  g_assert_cmpstr (rcrp_decision_get_rules_version (g_ptr_array_index (decisions, 0)), ==, "test-1");
  g_assert_cmpstr (rcrp_decision_get_answers_json (g_ptr_array_index (decisions, 0)), ==,
                   "{\"cfw.risk_to_life\":\"no\"}");
}

static void
test_referral_needs_agency (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = call_json ("CAD-1", 2, "2026-11-22T14:03:11Z", "x", NULL);
  g_autoptr(RcrpDecision) decision = NULL;
  g_autoptr(RcrpDecision) unknown = NULL;
  g_autoptr(RcrpDecision) nowhere = NULL;
  RcrpIngestResult result;

  g_assert_true (ingest_text (fixture->store, text, &result, &error));

  decision = rcrp_decision_new (first_call_id (fixture->store), "referred", "referred");
  g_assert_cmpint (rcrp_store_record_decision (fixture->store, decision, &error), ==, -1);
  g_assert_error (error, RCRP_DECISION_ERROR, RCRP_DECISION_ERROR_AGENCY_REQUIRED);
  g_clear_error (&error);

  unknown = rcrp_decision_new (first_call_id (fixture->store), "arrest", "referred");
  rcrp_decision_set_rationale (unknown, "x");
  g_assert_cmpint (rcrp_store_record_decision (fixture->store, unknown, &error), ==, -1);
  g_assert_error (error, RCRP_DECISION_ERROR, RCRP_DECISION_ERROR_INVALID);
  g_clear_error (&error);

  nowhere = rcrp_decision_new (424242, "signposted", "signposted");
  g_assert_cmpint (rcrp_store_record_decision (fixture->store, nowhere, &error), ==, -1);
  g_assert_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_NOT_FOUND);
}

static void
test_later_decision_supersedes_both_kept (Fixture       *fixture,
                                          gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = call_json ("CAD-1", 2, "2026-11-22T14:03:11Z", "x", NULL);
  g_autofree char *text2 = call_json ("CAD-2", 1, "2026-11-22T14:13:11Z", "y", NULL);
  g_autoptr(RcrpStore) other = NULL;
  g_autoptr(RcrpDecision) first = NULL;
  g_autoptr(RcrpDecision) second = NULL;
  g_autoptr(GPtrArray) decisions = NULL;
  g_autoptr(GArray) ids = NULL;
  RcrpIngestResult result;
  gint64 call_id;

  g_assert_true (ingest_text (fixture->store, text, &result, &error));
  call_id = first_call_id (fixture->store);

  other = rcrp_sqlite_store_open (fixture->path, fixture->clock, "colleague", "ws-2", &error);
  g_assert_no_error (error);

  first = rcrp_decision_new (call_id, "referred", "referred");
  rcrp_test_rule_out_police (first);
  rcrp_decision_set_agency (first, "crisis-team");
  g_assert_cmpint (rcrp_store_record_decision (fixture->store, first, &error), >, 0);

  rcrp_fixed_clock_advance (RCRP_FIXED_CLOCK (fixture->clock), 5 * G_TIME_SPAN_MINUTE);

  second = rcrp_decision_new (call_id, "police_deployed", "police_deployed");
  rcrp_decision_set_reasons (second, (const char *[]) { "Weapon now reported", NULL });
  g_assert_cmpint (rcrp_store_record_decision (other, second, &error), >,
                   rcrp_decision_get_event_id (first));
  g_assert_no_error (error);

  decisions = rcrp_store_list_decisions (fixture->store, call_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (decisions->len, ==, 2);
  g_assert_cmpstr (rcrp_decision_get_outcome (g_ptr_array_index (decisions, 0)), ==, "referred");
  g_assert_cmpstr (rcrp_decision_get_agency (g_ptr_array_index (decisions, 0)), ==, "crisis-team");
  g_assert_cmpstr (rcrp_decision_get_operator (g_ptr_array_index (decisions, 0)), ==, "tester");
  g_assert_cmpstr (rcrp_decision_get_outcome (g_ptr_array_index (decisions, 1)), ==, "police_deployed");
  g_assert_cmpstr (rcrp_decision_get_operator (g_ptr_array_index (decisions, 1)), ==, "colleague");
  g_assert_cmpstr (rcrp_decision_get_workstation (g_ptr_array_index (decisions, 1)), ==, "ws-2");
  g_assert_cmpstr (rcrp_decision_get_reasons (g_ptr_array_index (decisions, 1))[0], ==, "Weapon now reported");

  {
    g_autoptr(RcrpCall) call = rcrp_store_get_call (fixture->store, "CAD-1", &error);

    g_assert_no_error (error);
    g_assert_cmpint (rcrp_call_get_status (call), ==, RCRP_CALL_STATUS_DECIDED);
    g_assert_cmpstr (rcrp_call_get_outcome (call), ==, "police_deployed");
    g_assert_nonnull (rcrp_call_get_decided_at (call));
  }

  /* Decided calls go below the ones still waiting. */
  g_assert_true (ingest_text (fixture->store, text2, &result, &error));
  ids = rcrp_store_list_queue_ids (fixture->store, &error);
  g_assert_cmpuint (ids->len, ==, 2);
  g_assert_cmpint (g_array_index (ids, gint64, 1), ==, call_id);

  g_assert_true (rcrp_store_verify (fixture->store, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
test_simultaneous_decisions_loser_is_told (Fixture       *fixture,
                                           gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = call_json ("CAD-1", 2, "2026-11-22T14:03:11Z", "x", NULL);
  g_autoptr(RcrpStore) other = NULL;
  g_autoptr(RcrpDecision) mine = NULL;
  g_autoptr(RcrpDecision) theirs = NULL;
  g_autoptr(RcrpDecision) again = NULL;
  g_autoptr(GPtrArray) decisions = NULL;
  RcrpIngestResult result;
  gint64 call_id;

  g_assert_true (ingest_text (fixture->store, text, &result, &error));
  call_id = first_call_id (fixture->store);
  other = rcrp_sqlite_store_open (fixture->path, fixture->clock, "colleague", "ws-2", &error);

  /* Both looked at the call with no decision on it. */
  theirs = rcrp_decision_new (call_id, "police_deployed", "police_deployed");
  rcrp_decision_set_basis (theirs, 0);
  mine = rcrp_decision_new (call_id, "signposted", "signposted");
  rcrp_test_rule_out_police (mine);
  rcrp_decision_set_basis (mine, 0);

  g_assert_cmpint (rcrp_store_record_decision (other, theirs, &error), >, 0);
  g_assert_cmpint (rcrp_store_record_decision (fixture->store, mine, &error), ==, -1);
  g_assert_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "colleague at ws-2"));
  g_assert_nonnull (strstr (error->message, "Police deployed"));
  g_clear_error (&error);

  /* Having seen theirs, a new decision goes through. */
  again = rcrp_decision_new (call_id, "signposted", "police_deployed");
  rcrp_test_rule_out_police (again);
  rcrp_decision_set_rationale (again, "The man has been found safe by his family.");
  rcrp_decision_set_basis (again, rcrp_decision_get_event_id (theirs));
  g_assert_cmpint (rcrp_store_record_decision (fixture->store, again, &error), >, 0);
  g_assert_no_error (error);

  decisions = rcrp_store_list_decisions (fixture->store, call_id, &error);
  g_assert_cmpuint (decisions->len, ==, 2);
}

static void
test_claims_between_workstations (Fixture       *fixture,
                                  gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = call_json ("CAD-1", 2, "2026-11-22T14:03:11Z", "x", NULL);
  g_autoptr(RcrpStore) other = NULL;
  g_autoptr(RcrpClaim) holder = NULL;
  g_autoptr(RcrpClaim) claim = NULL;
  g_autoptr(GPtrArray) events = NULL;
  RcrpIngestResult result;
  GTimeSpan lapse = 10 * G_TIME_SPAN_MINUTE;
  gint64 call_id;

  g_assert_true (ingest_text (fixture->store, text, &result, &error));
  call_id = first_call_id (fixture->store);
  other = rcrp_sqlite_store_open (fixture->path, fixture->clock, "colleague", "ws-2", &error);
  g_assert_no_error (error);

  g_assert_null (rcrp_store_get_claim (fixture->store, call_id, &error));
  g_assert_no_error (error);

  /* Opening the call claims it; opening it again in the same session only
   * refreshes the claim. */
  g_assert_true (rcrp_store_claim_call (fixture->store, call_id, "session-1", lapse, FALSE, NULL, &error));
  g_assert_true (rcrp_store_claim_call (fixture->store, call_id, "session-1", lapse, FALSE, NULL, &error));
  g_assert_no_error (error);

  /* A second operator sees who holds it and cannot work it unknowingly. */
  g_assert_false (rcrp_store_claim_call (other, call_id, "session-2", lapse, FALSE, &holder, &error));
  g_assert_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_CLAIMED);
  g_assert_nonnull (strstr (error->message, "CAD-1 is being worked by tester at ws-1"));
  g_assert_cmpstr (holder->operator_name, ==, "tester");
  g_assert_cmpstr (holder->workstation, ==, "ws-1");
  g_clear_error (&error);

  /* An explicit take-over works, and is logged with the previous holder. */
  g_assert_true (rcrp_store_claim_call (other, call_id, "session-2", lapse, TRUE, NULL, &error));
  g_assert_no_error (error);
  claim = rcrp_store_get_claim (fixture->store, call_id, &error);
  g_assert_cmpstr (claim->operator_name, ==, "colleague");

  /* Idle past the lapse, the claim goes to whoever opens the call next. */
  rcrp_fixed_clock_advance (RCRP_FIXED_CLOCK (fixture->clock), 11 * G_TIME_SPAN_MINUTE);
  g_assert_true (rcrp_store_claim_call (fixture->store, call_id, "session-1", lapse, FALSE, NULL, &error));
  g_assert_no_error (error);

  /* Closing the app releases its claims. */
  g_assert_true (rcrp_store_release_claims (fixture->store, "session-1", &error));
  g_assert_null (rcrp_store_get_claim (fixture->store, call_id, &error));
  g_assert_no_error (error);

  events = rcrp_store_list_events (fixture->store, call_id, &error);
  g_assert_cmpuint (events->len, ==, 5);
  g_assert_cmpstr (rcrp_event_get_kind (g_ptr_array_index (events, 1)), ==, "call.claimed");
  g_assert_cmpstr (rcrp_event_get_kind (g_ptr_array_index (events, 2)), ==, "call.taken_over");
  g_assert_nonnull (strstr (rcrp_event_get_payload (g_ptr_array_index (events, 2)), "\"previous_operator\":\"tester\""));
  g_assert_cmpstr (rcrp_event_get_operator (g_ptr_array_index (events, 2)), ==, "colleague");
  g_assert_cmpstr (rcrp_event_get_kind (g_ptr_array_index (events, 3)), ==, "call.claimed");
  g_assert_nonnull (strstr (rcrp_event_get_payload (g_ptr_array_index (events, 3)), "\"previous_operator\":\"colleague\""));
  g_assert_cmpstr (rcrp_event_get_kind (g_ptr_array_index (events, 4)), ==, "call.released");

  g_assert_true (rcrp_store_verify (fixture->store, NULL, NULL, &error));
}

/* A database whose header says schema @version is refused with a
 * RCRP_STORE_ERROR_SCHEMA message holding each of @said (NULL-terminated);
 * "PATH" stands for the database's path. */
static void
assert_schema_refused (int                 version,
                       const char * const *said)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_dir_make_tmp ("rcrp-store-XXXXXX", &error);
  g_autofree char *path = g_build_filename (folder, "schema.db", NULL);
  g_autofree char *pragma = g_strdup_printf ("PRAGMA user_version = %d", version);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(RcrpClock) clock = rcrp_fixed_clock_new (now);
  g_autoptr(RcrpStore) store = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, pragma, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = rcrp_sqlite_store_open (path, clock, "tester", "ws-1", &error);
  g_assert_null (store);
  g_assert_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_SCHEMA);
  for (guint i = 0; said[i] != NULL; i++)
    g_assert_nonnull (strstr (error->message, g_str_equal (said[i], "PATH") ? path : said[i]));
  rcrp_test_remove_tree (folder);
}

static void
test_newer_schema_refused (void)
{
  assert_schema_refused (99, (const char *[]) { "newer version", NULL });
}

/* PRAGMA user_version is a number anyone can set: a negative one made every
 * command index migrations[-1] and crash. */
static void
test_negative_schema_refused (void)
{
  assert_schema_refused (-2000000000, (const char *[]) { "-2000000000", "PATH", NULL });
}

/* A database file left readable by anyone (cp, an old version, by hand) is
 * made owner and group only before it is opened, and its write-ahead log
 * with it; the log's other readers lose nothing. */
static void
test_open_file_mode_tightened (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_dir_make_tmp ("rcrp-store-XXXXXX", &error);
  g_autofree char *path = g_build_filename (folder, "open.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(RcrpClock) clock = rcrp_fixed_clock_new (now);
  RcrpStore *store;
  GStatBuf st;

  store = rcrp_sqlite_store_open (path, clock, "tester", "ws-1", &error);
  g_assert_no_error (error);
  g_assert_finalize_object (store);

  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  g_assert_true (g_file_set_contents (wal, "", 0, NULL));
  g_assert_cmpint (g_chmod (wal, 0666), ==, 0);

  /* Said on standard error as a message, with both modes. */
  store = rcrp_sqlite_store_open (path, clock, "tester", "ws-1", &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0640);
  if (g_stat (wal, &st) == 0)
    g_assert_cmpint (st.st_mode & 0007, ==, 0);

  g_assert_finalize_object (store);
  rcrp_test_remove_tree (folder);
}

static void
test_corrupt_file_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_dir_make_tmp ("rcrp-store-XXXXXX", &error);
  g_autofree char *path = g_build_filename (folder, "corrupt.db", NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(RcrpClock) clock = rcrp_fixed_clock_new (now);
  g_autoptr(RcrpStore) store = NULL;
  g_autofree char *garbage = g_strnfill (8192, 'x');

  g_assert_true (g_file_set_contents (path, garbage, -1, &error));

  store = rcrp_sqlite_store_open (path, clock, "tester", "ws-1", &error);
  g_assert_null (store);
  g_assert_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, path));
  rcrp_test_remove_tree (folder);
}

static void
test_network_file_systems_refused (void)
{
  const char *name = NULL;

  g_assert_false (rcrp_sqlite_store_fs_type_is_local (0x6969, &name));
  g_assert_cmpstr (name, ==, "NFS");
  g_assert_false (rcrp_sqlite_store_fs_type_is_local (0x517B, &name));
  g_assert_cmpstr (name, ==, "SMB");
  g_assert_false (rcrp_sqlite_store_fs_type_is_local ((long) 0xFF534D42, &name));
  g_assert_cmpstr (name, ==, "CIFS");
  g_assert_false (rcrp_sqlite_store_fs_type_is_local ((long) 0xFE534D42, &name));
  g_assert_cmpstr (name, ==, "SMB2");

  /* ext4, xfs, btrfs, tmpfs are local. */
  g_assert_true (rcrp_sqlite_store_fs_type_is_local (0xEF53, NULL));
  g_assert_true (rcrp_sqlite_store_fs_type_is_local (0x58465342, NULL));
  g_assert_true (rcrp_sqlite_store_fs_type_is_local (0x9123683E, NULL));
  g_assert_true (rcrp_sqlite_store_fs_type_is_local (0x01021994, NULL));
}

static void
test_database_is_private (Fixture       *fixture,
                          gconstpointer  user_data)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (fixture->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0007, ==, 0);
}

static void
test_change_stamp_sees_other_connection (Fixture       *fixture,
                                         gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcrpStore) other = NULL;
  g_autofree char *text = call_json ("CAD-1", 2, "2026-11-22T14:03:11Z", "x", NULL);
  g_autofree char *text2 = call_json ("CAD-2", 2, "2026-11-22T14:03:11Z", "y", NULL);
  g_autoptr(GArray) changed = NULL;
  RcrpIngestResult result;
  guint64 stamp;
  gint64 last = 0;

  stamp = rcrp_store_get_change_stamp (fixture->store);
  g_assert_cmpuint (rcrp_store_get_change_stamp (fixture->store), ==, stamp);

  g_assert_true (rcrp_store_add_user (fixture->store, "other", RCRP_ROLE_COORDINATOR, NULL, &error));
  other = rcrp_sqlite_store_open (fixture->path, fixture->clock, "other", "ws-2", &error);
  g_assert_no_error (error);
  g_assert_true (ingest_text (other, text, &result, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (rcrp_store_get_change_stamp (fixture->store), !=, stamp);
  stamp = rcrp_store_get_change_stamp (fixture->store);

  /* Our own commits move the stamp too. */
  g_assert_true (ingest_text (fixture->store, text2, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rcrp_store_get_change_stamp (fixture->store), !=, stamp);

  changed = rcrp_store_changed_calls (fixture->store, 0, &last, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changed->len, ==, 2);
  g_assert_cmpint (last, ==, 6);  /* the first user, the directory, the other user, the colleague, then the two calls */
}

/* Two processes (two workstations) ingest into one database at the same
 * moment: every call of both ends up stored once.
 */
static void
test_two_processes_ingest_at_once (Fixture       *fixture,
                                   gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("RCRP_CLI");
  GSubprocess *processes[2];
  guint per_file = 50, n_files = 6;
  GPtrArray *argv[2] = { NULL, NULL };

  g_assert_nonnull (cli);

  for (guint p = 0; p < 2; p++)
    {
      argv[p] = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (argv[p], g_strdup (cli));
      g_ptr_array_add (argv[p], g_strdup ("ingest"));
      g_ptr_array_add (argv[p], g_strdup ("--database"));
      g_ptr_array_add (argv[p], g_strdup (fixture->path));

      for (guint f = 0; f < n_files; f++)
        {
          g_autoptr(GString) text = g_string_new ("[");
          g_autofree char *name = g_strdup_printf ("p%u-f%u.json", p, f);
          char *file = g_build_filename (fixture->folder, name, NULL);

          for (guint c = 0; c < per_file; c++)
            {
              g_autofree char *ref = g_strdup_printf ("P%u-F%u-C%u", p, f, c);
              g_autofree char *call = call_json (ref, 1 + c % 4, "2026-11-22T14:03:11Z", "Concurrent", NULL);

              g_string_append_printf (text, "%s%s", c > 0 ? ", " : "", call);
            }
          g_string_append (text, "]");

          g_assert_true (g_file_set_contents (file, text->str, -1, &error));
          g_ptr_array_add (argv[p], file);
        }
      g_ptr_array_add (argv[p], NULL);
    }

  /* Both act as the database's first user, who may store calls (a test
   * build lets them). */
  g_setenv ("RCRP_TEST_OPERATOR", "tester", TRUE);

  for (guint p = 0; p < 2; p++)
    {
      processes[p] = g_subprocess_newv ((const char * const *) argv[p]->pdata,
                                        G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error);
      g_assert_no_error (error);
    }

  for (guint p = 0; p < 2; p++)
    {
      g_assert_true (g_subprocess_wait_check (processes[p], NULL, &error));
      g_assert_no_error (error);
      g_object_unref (processes[p]);
      g_ptr_array_unref (argv[p]);
    }
  g_unsetenv ("RCRP_TEST_OPERATOR");

  g_assert_cmpint (count_rows (fixture->path, "calls"), ==, 2 * n_files * per_file);
  g_assert_cmpint (count_rows (fixture->path, "events"), ==, 2 * n_files * per_file);
  g_assert_cmpint (count_rows (fixture->path, "documents"), ==, 2 * n_files);
  g_assert_cmpuint (queue_length (fixture->store), ==, 2 * n_files * per_file);
}

/* A database written before schema 14 (a canonical copy in each version,
 * hex content hashes, an FTS5 index with content) opens, migrates and
 * reads back as it was; its chain verifies; re-delivery is still
 * recognised, and a later update is indexed and chained. */
static void
test_migrates_schema_12 (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dump_path = g_test_build_filename (G_TEST_DIST, "data", "schema-12.sql", NULL);
  g_autofree char *dump = NULL;
  g_autofree char *path = g_build_filename (fixture->folder, "schema-12.db", NULL);
  /* OLD-B's second version, as it came, members in another order. */
  const char *again = "{\"cad_ref\": \"OLD-B\", \"schema\": \"rcrp.call/1\", \"category\": \"medical_incident\", "
                      "\"received_at\": \"2026-11-22T14:10:00Z\", \"initial_grade\": 1, "
                      "\"summary\": \"Collapsed outside the library, now unresponsive\"}";
  g_autofree char *update = call_json ("OLD-A", 1, "2026-11-22T14:03:11Z", "Ada seen on the pier", NULL);
  g_autoptr(RcrpStore) store = NULL;
  g_autoptr(RcrpCall) a = NULL;
  g_autoptr(RcrpCall) b = NULL;
  g_autoptr(GPtrArray) versions = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(RcrpQueueFilter) filter = rcrp_queue_filter_new ();
  g_autoptr(GArray) found = NULL;
  RcrpIngestResult result;
  sqlite3 *db = NULL;
  gint64 n_events, broken;
  gint64 id;

  g_assert_true (g_file_get_contents (dump_path, &dump, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, dump, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = rcrp_sqlite_store_open (path, fixture->clock, "tester", "ws-1", &error);
  g_assert_no_error (error);
  g_assert_true (rcrp_store_verify (store, &n_events, &broken, &error));
  g_assert_no_error (error);

  a = rcrp_store_get_call (store, "OLD-A", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rcrp_call_get_subject_name (a), ==, "Ada Lovelace");
  g_assert_cmpstr (rcrp_call_get_caller_phone (a), ==, "01632 960001");
  b = rcrp_store_get_call (store, "OLD-B", &error);
  g_assert_no_error (error);
  versions = rcrp_store_list_versions (store, rcrp_call_get_id (b), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (versions->len, ==, 2);
  g_assert_cmpstr (rcrp_call_get_summary (g_ptr_array_index (versions, 0)), ==, "Collapsed outside the library");

  /* The queue's rows carry the post code and names they highlight. */
  id = rcrp_call_get_id (a);
  rows = rcrp_store_get_calls_by_id (store, &id, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rcrp_call_get_postcode (g_ptr_array_index (rows, 0)), ==, "SO16 6YD");
  g_assert_cmpstr (rcrp_call_get_caller_name (g_ptr_array_index (rows, 0)), ==, "Charles Babbage");

  filter->text = g_strdup ("babbage");
  found = rcrp_store_list_filtered_ids (store, filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_pointer (&found, g_array_unref);

  /* Stored with a hex hash before: the same content again is nothing new. */
  {
    g_autoptr(GBytes) bytes = g_bytes_new (again, strlen (again));
    g_autoptr(GPtrArray) calls = rcrp_feed_parse_bytes (bytes, "again.json", &error);

    g_assert_no_error (error);
    g_assert_true (rcrp_store_ingest (store, "again.json", bytes, calls, &result, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (result.unchanged, ==, 1);
  }

  {
    g_autoptr(GBytes) bytes = g_bytes_new (update, strlen (update));
    g_autoptr(GPtrArray) calls = rcrp_feed_parse_bytes (bytes, "update.json", &error);

    g_assert_no_error (error);
    g_assert_true (rcrp_store_ingest (store, "update.json", bytes, calls, &result, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (result.updated, ==, 1);
  }

  g_free (filter->text);
  filter->text = g_strdup ("pier");
  found = rcrp_store_list_filtered_ids (store, filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_pointer (&found, g_array_unref);
  g_free (filter->text);
  filter->text = g_strdup ("neighbour");
  found = rcrp_store_list_filtered_ids (store, filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 0);

  g_clear_pointer (&versions, g_ptr_array_unref);
  versions = rcrp_store_list_versions (store, rcrp_call_get_id (a), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (versions->len, ==, 2);
  g_assert_cmpstr (rcrp_call_get_subject_name (g_ptr_array_index (versions, 0)), ==, "Ada Lovelace");
  g_assert_cmpstr (rcrp_call_get_summary (g_ptr_array_index (versions, 1)), ==, "Ada seen on the pier");

  g_assert_true (rcrp_store_verify (store, &n_events, &broken, &error));
  g_assert_no_error (error);
}

/* A batch document is kept compressed, and reads back byte for byte; each
 * call in it is read from its own bytes. */
static void
test_batch_document_reads_back_byte_for_byte (Fixture       *fixture,
                                              gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new ("[\n");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) calls = NULL;
  g_autoptr(RcrpCall) last = NULL;
  g_autoptr(GZlibDecompressor) decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(GInputStream) stored = NULL;
  g_autoptr(GInputStream) inflated = NULL;
  g_autoptr(GBytes) back = NULL;
  RcrpIngestResult result;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  for (guint i = 0; i < 400; i++)
    g_string_append_printf (text,
                            "  {\"schema\": \"rcrp.call/1\", \"cad_ref\": \"%s%u\", "
                            "\"received_at\": \"2026-11-22T14:03:11Z\", \"category\": \"concern_for_welfare\", "
                            "\"summary\": \"Call number %u, \\\"quoted\\\" [and] {bracketed}\", \"notes\": \"%0200u\"}%s\n",
                            i == 399 ? "LAST-" : "B-", i, i, i, i + 1 < 400 ? "," : "");
  g_string_append (text, "]\n");
  g_assert_cmpuint (text->len, >=, 64 * 1024);

  bytes = g_bytes_new (text->str, text->len);
  calls = rcrp_feed_parse_bytes (bytes, "batch.json", &error);
  g_assert_no_error (error);
  g_assert_true (rcrp_store_ingest (fixture->store, "batch.json", bytes, calls, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.added, ==, 400);

  last = rcrp_store_get_call (fixture->store, "LAST-399", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rcrp_call_get_summary (last), ==, "Call number 399, \"quoted\" [and] {bracketed}");

  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT body, encoding FROM documents", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, "gzip");
  g_assert_cmpint (sqlite3_column_bytes (stmt, 0), <, text->len / 4);
  stored = g_memory_input_stream_new_from_data (g_memdup2 (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0)),
                                                sqlite3_column_bytes (stmt, 0), g_free);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  inflated = g_converter_input_stream_new (stored, G_CONVERTER (decompressor));
  back = g_input_stream_read_bytes (inflated, text->len + 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (back, bytes));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/store/ingest-stores-calls-and-events", test_ingest_stores_calls_and_events);
  ADD ("/store/migrates-schema-12", test_migrates_schema_12);
  ADD ("/store/batch-document-reads-back-byte-for-byte", test_batch_document_reads_back_byte_for_byte);
  ADD ("/store/refused-file-leaves-store-unchanged", test_refused_file_leaves_store_unchanged);
  ADD ("/store/redelivery-is-idempotent", test_redelivery_is_idempotent);
  ADD ("/store/update-is-kept-as-history", test_update_is_kept_as_history);
  ADD ("/store/late-redelivery-does-not-revert", test_late_redelivery_does_not_revert);
  ADD ("/store/queue-order-grade-risk-waiting", test_queue_order);
  ADD ("/store/events-are-append-only", test_events_are_append_only);
  ADD ("/store/database-is-owner-and-group-only", test_database_is_private);
  ADD ("/store/change-stamp-sees-other-connection", test_change_stamp_sees_other_connection);
  ADD ("/store/two-processes-ingest-at-once", test_two_processes_ingest_at_once);
  ADD ("/store/verify-names-the-edited-event", test_verify_names_the_edited_event);
  ADD ("/store/verify-detects-a-removed-event", test_verify_detects_a_removed_event);
  ADD ("/store/verify-reports-progress-and-stops", test_verify_reports_progress_and_stops);
  ADD ("/store/departing-decision-needs-rationale", test_departing_decision_needs_rationale);
  ADD ("/store/referral-needs-agency", test_referral_needs_agency);
  ADD ("/store/later-decision-supersedes-both-kept", test_later_decision_supersedes_both_kept);
  ADD ("/store/claims-between-workstations", test_claims_between_workstations);
  ADD ("/store/simultaneous-decisions-loser-is-told", test_simultaneous_decisions_loser_is_told);
  g_test_add_func ("/store/newer-schema-refused", test_newer_schema_refused);
  g_test_add_func ("/store/negative-schema-refused", test_negative_schema_refused);
  g_test_add_func ("/store/open-file-mode-tightened", test_open_file_mode_tightened);
  g_test_add_func ("/store/two-processes-create-database-at-once", test_two_processes_create_database_at_once);
  g_test_add_func ("/store/corrupt-file-refused", test_corrupt_file_refused);
  g_test_add_func ("/store/network-file-systems-refused", test_network_file_systems_refused);

#undef ADD

  return g_test_run ();
}

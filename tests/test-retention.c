/* test-retention.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Erasure by recording: personal fields of old closed calls leave every
 * table and the file itself; counts, outcomes and the chain remain.
 */

#define _GNU_SOURCE
#include "config.h"

#include "rcrp-test-util.h"

#include <string.h>

#include <gio/gio.h>
#include <sqlite3.h>

#include "rcrp-feed.h"
#include "rcrp-sqlite-store.h"
#include "rcrp-summary.h"
#include "rcrp-test-decision.h"

#define OLD_NAME    "Perpetua Oldname"
#define OLD_PHONE   "07700 900555"
#define OLD_ADDRESS "14 Forgotten Lane"
#define NEW_NAME    "Recent Newname"

typedef struct
{
  char      *folder;
  char      *path;
  RcrpClock *clock;
  RcrpStore *store;
} Fixture;

static void
at (Fixture    *fixture,
    const char *iso)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (iso, NULL);

  rcrp_fixed_clock_set (RCRP_FIXED_CLOCK (fixture->clock), time);
}

static gint64
ingest (Fixture    *fixture,
        const char *text)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) calls = rcrp_feed_parse_bytes (bytes, "test", &error);
  RcrpIngestResult result;

  g_assert_no_error (error);
  g_assert_true (rcrp_store_ingest (fixture->store, "test", bytes, calls, &result, &error));
  g_assert_no_error (error);

  return rcrp_call_get_id (g_ptr_array_index (calls, 0));
}

static void
decide (Fixture    *fixture,
        const char *cad_ref,
        const char *outcome)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcrpCall) call = rcrp_store_get_call (fixture->store, cad_ref, &error);
  g_autoptr(RcrpDecision) decision = rcrp_decision_new (rcrp_call_get_id (call), outcome, outcome);

  g_assert_no_error (error);
  rcrp_test_rule_out_police (decision);
  g_assert_cmpint (rcrp_store_record_decision (fixture->store, decision, &error), >, 0);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) start = g_date_time_new_from_iso8601 ("2019-01-10T10:00:00Z", NULL);

  fixture->folder = g_dir_make_tmp ("rcrp-retention-XXXXXX", &error);
  fixture->path = g_build_filename (fixture->folder, "shift.db", NULL);
  fixture->clock = rcrp_fixed_clock_new (start);
  fixture->store = rcrp_sqlite_store_open (fixture->path, fixture->clock, "admin", "ws-1", &error);
  g_assert_no_error (error);

  /* In one document, as the feed sends them: an old call that closed,
   * and an old call still undecided. */
  ingest (fixture,
          "[{\"schema\": \"rcrp.call/1\", \"cad_ref\": \"OLD-1\", \"received_at\": \"2019-01-10T09:55:00Z\", "
          "\"category\": \"concern_for_welfare\", \"initial_grade\": 2, "
          "\"summary\": \"" OLD_NAME " is threatening to harm herself\", "
          "\"notes\": \"Sister " OLD_NAME " called twice\", "
          "\"location\": {\"address\": \"" OLD_ADDRESS "\", \"postcode\": \"SO16 6YD\", \"lat\": 50.9, \"lon\": -1.4}, "
          "\"caller\": {\"name\": \"Caller " OLD_NAME "\", \"phone\": \"" OLD_PHONE "\", \"relationship\": \"family\"}, "
          "\"subject\": {\"name\": \"" OLD_NAME "\", \"age\": 52, \"sex\": \"female\", \"ethnicity\": \"W1\"}}, "
          " {\"schema\": \"rcrp.call/1\", \"cad_ref\": \"OLD-OPEN\", \"received_at\": \"2019-01-10T09:56:00Z\", "
          "\"category\": \"medical_incident\", \"summary\": \"Undecided call about Ann Openname\"}]");
  decide (fixture, "OLD-1", "signposted");

  /* Years later, a recent call that closed. */
  at (fixture, "2026-11-20T10:00:00Z");
  ingest (fixture,
          "{\"schema\": \"rcrp.call/1\", \"cad_ref\": \"NEW-1\", \"received_at\": \"2026-11-20T09:55:00Z\", "
          "\"category\": \"concern_for_welfare\", \"summary\": \"" NEW_NAME " has not been seen\", "
          "\"subject\": {\"name\": \"" NEW_NAME "\"}}");
  decide (fixture, "NEW-1", "signposted");
  at (fixture, "2026-11-24T10:00:00Z");
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

/* Whether @needle is anywhere in the database's files, bytes and all. */
static gboolean
file_holds (Fixture    *fixture,
            const char *needle)
{
  static const char * const suffixes[] = { "", "-wal", NULL };

  for (guint i = 0; suffixes[i] != NULL; i++)
    {
      g_autofree char *path = g_strconcat (fixture->path, suffixes[i], NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (!g_file_get_contents (path, &contents, &length, NULL))
        continue;
      if (memmem (contents, length, needle, strlen (needle)) != NULL)
        return TRUE;
    }

  return FALSE;
}

static guint
search_hits (Fixture    *fixture,
             const char *words)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcrpQueueFilter) filter = rcrp_queue_filter_new ();
  g_autoptr(GArray) ids = NULL;

  filter->text = g_strdup (words);
  ids = rcrp_store_list_filtered_ids (fixture->store, filter, &error);
  g_assert_no_error (error);

  return ids->len;
}

/* How many of @terms the search index still holds, anywhere. */
static gint64
index_terms (Fixture    *fixture,
             const char *terms)
{
  g_autofree char *sql = g_strdup_printf ("SELECT COUNT (*) FROM temp.vocabulary WHERE term IN %s", terms);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE VIRTUAL TABLE temp.vocabulary USING fts5vocab (main, call_search, 'row')",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return n;
}

static void
test_erases_only_old_closed_calls (Fixture       *fixture,
                                   gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) dry = NULL;
  g_autoptr(GPtrArray) erased = NULL;
  g_autoptr(RcrpCall) old = NULL;
  g_autoptr(RcrpCall) open = NULL;
  g_autoptr(RcrpCall) recent = NULL;
  g_autoptr(GPtrArray) events = NULL;
  gint64 last;

  g_assert_true (file_holds (fixture, OLD_NAME));
  g_assert_true (file_holds (fixture, OLD_PHONE));
  g_assert_cmpuint (search_hits (fixture, "Oldname"), ==, 1);

  /* A dry run lists and changes nothing. */
  last = rcrp_store_get_last_event_id (fixture->store, &error);
  dry = rcrp_store_apply_retention (fixture->store, 2555, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dry->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (dry, 0), ==, "OLD-1");
  g_assert_cmpint (rcrp_store_get_last_event_id (fixture->store, &error), ==, last);

  erased = rcrp_store_apply_retention (fixture->store, 2555, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (erased->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (erased, 0), ==, "OLD-1");

  /* Gone from every table and from the file itself. */
  for (const char * const *secret = (const char *[]) { OLD_NAME, OLD_PHONE, OLD_ADDRESS, "is threatening", NULL };
       *secret != NULL; secret++)
    if (file_holds (fixture, *secret))
      g_error ("the database still holds “%s”", *secret);

  /* Nor can it be found, and the search index holds none of its words. */
  g_assert_cmpuint (search_hits (fixture, "Oldname"), ==, 0);
  g_assert_cmpuint (search_hits (fixture, "OLD-1"), ==, 1);
  g_assert_cmpint (index_terms (fixture, "('oldname', 'perpetua', 'forgotten', 'threatening', '07700')"), ==, 0);
  g_assert_cmpint (index_terms (fixture, "('newname')"), ==, 1);

  /* What was not due stays. */
  g_assert_true (file_holds (fixture, NEW_NAME));
  g_assert_true (file_holds (fixture, "Ann Openname"));

  /* The call reads back, without its personal details, with its counts. */
  old = rcrp_store_get_call (fixture->store, "OLD-1", &error);
  g_assert_no_error (error);
  g_assert_null (rcrp_call_get_subject_name (old));
  g_assert_null (rcrp_call_get_caller_phone (old));
  g_assert_null (rcrp_call_get_address (old));
  g_assert_cmpstr (rcrp_call_get_outcome (old), ==, "signposted");
  g_assert_cmpstr (rcrp_call_get_subject_ethnicity (old), ==, "W1");
  g_assert_cmpint (rcrp_call_get_category (old), ==, RCRP_CATEGORY_CONCERN_FOR_WELFARE);
  open = rcrp_store_get_call (fixture->store, "OLD-OPEN", &error);
  g_assert_cmpstr (rcrp_call_get_summary (open), ==, "Undecided call about Ann Openname");
  recent = rcrp_store_get_call (fixture->store, "NEW-1", &error);
  g_assert_cmpstr (rcrp_call_get_subject_name (recent), ==, NEW_NAME);

  /* Recorded, and the chain verifies. */
  events = rcrp_store_list_events (fixture->store, rcrp_call_get_id (old), &error);
  g_assert_cmpstr (rcrp_event_get_kind (g_ptr_array_index (events, events->len - 1)), ==, "call.erased");
  g_assert_true (rcrp_store_verify (fixture->store, NULL, NULL, &error));
  g_assert_no_error (error);

  /* The summary still counts it. */
  {
    RcrpSummaryOptions options;
    g_autoptr(JsonNode) summary = NULL;
    JsonObject *object;

    rcrp_summary_options_init (&options);
    options.from = g_date_time_new_from_iso8601 ("2019-01-10T00:00:00Z", NULL);
    options.to = g_date_time_new_from_iso8601 ("2019-01-11T00:00:00Z", NULL);
    summary = rcrp_summary_build (fixture->store, &options, NULL, &error);
    g_assert_no_error (error);
    object = json_node_get_object (summary);
    g_assert_cmpint (json_object_get_int_member (object, "calls"), ==, 2);
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (object, "outcomes"), "signposted"), ==, 1);
    rcrp_summary_options_clear (&options);
  }

  /* Applying again finds nothing more. */
  g_clear_pointer (&erased, g_ptr_array_unref);
  erased = rcrp_store_apply_retention (fixture->store, 2555, FALSE, &error);
  g_assert_cmpuint (erased->len, ==, 0);
}

static void
test_stored_documents_stay_guarded (Fixture       *fixture,
                                    gconstpointer  user_data)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  /* Without a recorded erasure, the documents and versions cannot be
   * changed, by this program or by hand. */
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE call_versions SET body = '{}'", NULL, NULL, &message), ==, SQLITE_CONSTRAINT);
  g_assert_nonnull (strstr (message, "append-only"));
  sqlite3_free (message);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE documents SET body = x'00'", NULL, NULL, &message), ==, SQLITE_CONSTRAINT);
  sqlite3_free (message);
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM documents", NULL, NULL, &message), ==, SQLITE_CONSTRAINT);
  sqlite3_free (message);
  sqlite3_close (db);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/retention/erases-only-old-closed-calls", test_erases_only_old_closed_calls);
  ADD ("/retention/stored-documents-stay-guarded", test_stored_documents_stay_guarded);

  return g_test_run ();
}

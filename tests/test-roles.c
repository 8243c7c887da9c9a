/* test-roles.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every role rule, through the core API and through the rcrp tool: each
 * role tries each guarded action for real and is allowed or refused as
 * the table below (written out here, not read from the code) says.
 */

#include "config.h"

#include "rcrp-test-util.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "rcrp-feed.h"
#include "rcrp-sqlite-store.h"
#include "rcrp-summary.h"
#include "rcrp-test-decision.h"

typedef struct
{
  char      *folder;
  char      *path;
  RcrpClock *clock;
  RcrpStore *admin;
  guint      n_calls;
} Fixture;

static const char * const users[] = { "coord", "clin", "sup", "mgr", "admin", "feed", "stranger" };
static const RcrpRole roles[] = {
  RCRP_ROLE_COORDINATOR, RCRP_ROLE_CLINICIAN, RCRP_ROLE_SUPERVISOR, RCRP_ROLE_MANAGER,
  RCRP_ROLE_ADMINISTRATOR, RCRP_ROLE_SERVICE, RCRP_ROLE_NONE,
};

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 ("2026-11-24T10:00:00Z", NULL);

  fixture->folder = g_dir_make_tmp ("rcrp-roles-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->folder, "shift.db", NULL);
  fixture->clock = rcrp_fixed_clock_new (now);
  /* admin makes the database, so is its administrator. */
  fixture->admin = rcrp_sqlite_store_open (fixture->path, fixture->clock, "admin", "ws-0", &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    if (roles[i] != RCRP_ROLE_NONE && roles[i] != RCRP_ROLE_ADMINISTRATOR)
      {
        g_assert_true (rcrp_store_add_user (fixture->admin, users[i], roles[i], NULL, &error));
        g_assert_no_error (error);
      }
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_clear_object (&fixture->admin);
  g_clear_object (&fixture->clock);
  rcrp_test_remove_tree (fixture->folder);
  g_clear_pointer (&fixture->path, g_free);
  g_clear_pointer (&fixture->folder, g_free);
}

static gint64
new_call (Fixture *fixture)
{
  g_autofree char *ref = g_strdup_printf ("CAD-%u", ++fixture->n_calls);
  g_autofree char *text = g_strdup_printf ("{\"schema\": \"rcrp.call/1\", \"cad_ref\": \"%s\", "
                                           "\"received_at\": \"2026-11-24T09:50:00Z\", "
                                           "\"category\": \"concern_for_welfare\", \"initial_grade\": 3, "
                                           "\"summary\": \"Friend worried\", "
                                           "\"subject\": {\"name\": \"Private Person\"}}", ref);
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) calls = rcrp_feed_parse_bytes (bytes, ref, &error);
  g_autoptr(RcrpCall) call = NULL;
  RcrpIngestResult result;

  g_assert_true (rcrp_store_ingest (fixture->admin, ref, bytes, calls, &result, &error));
  g_assert_no_error (error);
  call = rcrp_store_get_call (fixture->admin, ref, &error);

  return rcrp_call_get_id (call);
}

static gint64
admin_decides (Fixture    *fixture,
               gint64      call_id,
               const char *outcome)
{
  g_autoptr(RcrpDecision) decision = rcrp_decision_new (call_id, outcome, outcome);
  g_autoptr(GError) error = NULL;
  gint64 id;

  if (g_str_equal (outcome, "referred"))
    rcrp_decision_set_agency (decision, "crisis-team");
  rcrp_test_rule_out_police (decision);
  id = rcrp_store_record_decision (fixture->admin, decision, &error);
  g_assert_no_error (error);

  return id;
}

/* Each action, tried by @store as its user. */
typedef gboolean (*Action) (Fixture *fixture, RcrpStore *store, GError **error);

static gboolean
act_claim (Fixture *fixture, RcrpStore *store, GError **error)
{
  return rcrp_store_claim_call (store, new_call (fixture), "session", G_TIME_SPAN_HOUR, FALSE, NULL, error);
}

static gboolean
act_decide (Fixture *fixture, RcrpStore *store, GError **error)
{
  g_autoptr(RcrpDecision) decision = rcrp_decision_new (new_call (fixture), "signposted", "signposted");

  rcrp_test_rule_out_police (decision);
  return rcrp_store_record_decision (store, decision, error) > 0;
}

static gboolean
act_deploy (Fixture *fixture, RcrpStore *store, GError **error)
{
  g_autoptr(RcrpDecision) decision = rcrp_decision_new (new_call (fixture), "police_deployed", "police_deployed");

  return rcrp_store_record_decision (store, decision, error) > 0;
}

static gboolean
act_agency_status (Fixture *fixture, RcrpStore *store, GError **error)
{
  return rcrp_store_set_agency_state (store, "amhp", RCRP_AGENCY_STATUS_LIMITED, 1, 30, NULL, error) > 0;
}

static gboolean
act_referral_answer (Fixture *fixture, RcrpStore *store, GError **error)
{
  gint64 referral = admin_decides (fixture, new_call (fixture), "referred");

  return rcrp_store_respond_to_referral (store, referral, TRUE, NULL, error) > 0;
}

static gboolean
act_lodge_appeal (Fixture *fixture, RcrpStore *store, GError **error)
{
  gint64 call_id = new_call (fixture);
  g_autoptr(RcrpAppeal) appeal = NULL;

  admin_decides (fixture, call_id, "signposted");
  appeal = rcrp_store_lodge_appeal (store, call_id, RCRP_APPELLANT_CALLER, NULL, "Wants police", error);

  return appeal != NULL;
}

static gboolean
act_resolve_appeal (Fixture *fixture, RcrpStore *store, GError **error)
{
  gint64 call_id = new_call (fixture);
  g_autoptr(RcrpAppeal) appeal = NULL;
  g_autoptr(RcrpAppeal) resolved = NULL;
  g_autoptr(GError) local_error = NULL;

  admin_decides (fixture, call_id, "signposted");
  appeal = rcrp_store_lodge_appeal (fixture->admin, call_id, RCRP_APPELLANT_CALLER, NULL, "Wants police", &local_error);
  g_assert_no_error (local_error);
  resolved = rcrp_store_resolve_appeal (store, appeal->reference, NULL, "No risk described", error);

  return resolved != NULL;
}

static gboolean
act_add_dispute (Fixture *fixture, RcrpStore *store, GError **error)
{
  g_autoptr(RcrpDispute) dispute = rcrp_store_add_dispute (store, RCRP_DISPUTE_KIND_QUERY, "Trust", "A query", NULL, error);

  return dispute != NULL;
}

static gboolean
act_close_dispute (Fixture *fixture, RcrpStore *store, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(RcrpDispute) dispute = rcrp_store_add_dispute (fixture->admin, RCRP_DISPUTE_KIND_QUERY, "Trust", "A query",
                                                           NULL, &local_error);
  g_autoptr(RcrpDispute) closed = NULL;

  g_assert_no_error (local_error);
  closed = rcrp_store_set_dispute_state (store, dispute->reference, RCRP_DISPUTE_CLOSED, "Answered", error);

  return closed != NULL;
}

static gboolean
export (Fixture   *fixture,
        RcrpStore *store,
        gboolean   personal,
        GError   **error)
{
  g_autofree char *path = g_build_filename (fixture->folder, "out.csv", NULL);
  RcrpSummaryOptions options;
  gboolean ok;

  rcrp_summary_options_init (&options);
  options.from = g_date_time_new_from_iso8601 ("2026-11-24T00:00:00Z", NULL);
  options.to = g_date_time_new_from_iso8601 ("2026-11-25T00:00:00Z", NULL);
  options.include_personal = personal;
  g_unlink (path);
  ok = rcrp_summary_export (store, &options, RCRP_SUMMARY_FORMAT_CSV, path, NULL, error);
  rcrp_summary_options_clear (&options);

  /* Refused means nothing written. */
  g_assert_true (ok == g_file_test (path, G_FILE_TEST_EXISTS));

  return ok;
}

static gboolean
act_export (Fixture *fixture, RcrpStore *store, GError **error)
{
  return export (fixture, store, FALSE, error);
}

static gboolean
act_export_personal (Fixture *fixture, RcrpStore *store, GError **error)
{
  return export (fixture, store, TRUE, error);
}

static gboolean
act_import_directory (Fixture *fixture, RcrpStore *store, GError **error)
{
  g_autoptr(GPtrArray) agencies = rcrp_agency_directory_get_default ();

  return rcrp_store_import_agencies (store, agencies, "test", error);
}

static gboolean
act_manage_users (Fixture *fixture, RcrpStore *store, GError **error)
{
  g_autofree char *name = g_strdup_printf ("new%u", ++fixture->n_calls);

  return rcrp_store_add_user (store, name, RCRP_ROLE_CLINICIAN, NULL, error);
}

static gboolean
act_ingest (Fixture *fixture, RcrpStore *store, GError **error)
{
  g_autofree char *ref = g_strdup_printf ("FEED-%u", ++fixture->n_calls);
  g_autofree char *text = g_strdup_printf ("{\"schema\": \"rcrp.call/1\", \"cad_ref\": \"%s\", "
                                           "\"received_at\": \"2026-11-24T09:00:00Z\", "
                                           "\"category\": \"concern_for_welfare\", \"initial_grade\": 3, "
                                           "\"summary\": \"From the feed\"}", ref);
  g_autoptr(GBytes) document = g_bytes_new (text, strlen (text));
  g_autoptr(GPtrArray) calls = rcrp_feed_parse_bytes (document, "feed.json", NULL);
  RcrpIngestResult result;
  gboolean stored;

  g_assert_nonnull (calls);
  stored = rcrp_store_ingest (store, "feed.json", document, calls, &result, error);

  /* Refused means nothing stored. */
  if (!stored)
    {
      g_autoptr(GError) lookup_error = NULL;
      g_autoptr(RcrpCall) call = rcrp_store_get_call (store, ref, &lookup_error);

      g_assert_null (call);
    }

  return stored;
}

static gboolean
act_list_views (Fixture *fixture, RcrpStore *store, GError **error)
{
  return rcrp_store_check_permission (store, RCRP_PERMISSION_LIST_VIEWS, error);
}

static gboolean
act_apply_retention (Fixture *fixture, RcrpStore *store, GError **error)
{
  g_autoptr(GPtrArray) erased = rcrp_store_apply_retention (store, 30, TRUE, error);

  return erased != NULL;
}

/* Who may, by the rules: C coordinator, L clinician, S supervisor,
 * M manager, A administrator, F the feed service. */
static const struct {
  const char *name;
  Action      action;
  const char *allowed;
} rules[] = {
  { "claim a call",                act_claim,            "CLSA" },
  { "record a decision",           act_decide,           "CLSA" },
  { "deploy police",               act_deploy,           "CSA"  },
  { "update an agency's status",   act_agency_status,    "CLSA" },
  { "record an agency's answer",   act_referral_answer,  "CLSA" },
  { "lodge an appeal",             act_lodge_appeal,     "CSA"  },
  { "resolve an appeal",           act_resolve_appeal,   "SA"   },
  { "log a dispute",               act_add_dispute,      "CLSMA" },
  { "close a dispute",             act_close_dispute,    "SMA"  },
  { "export a summary",            act_export,           "CSMA" },
  { "export personal data",        act_export_personal,  "M"    },
  { "import the directory",        act_import_directory, "SA"   },
  { "manage users",                act_manage_users,     "A"    },
  { "apply the retention period",  act_apply_retention,  "A"    },
  { "store calls from the feed",   act_ingest,           "CSAF" },
  { "list who looked at a call",   act_list_views,       "MA"   },
};

static const char role_letters[] = { 'C', 'L', 'S', 'M', 'A', 'F', '-' };

static gint64
count_refusals (Fixture    *fixture,
                const char *user)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 count;

  g_assert_cmpint (sqlite3_open_v2 (fixture->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT COUNT (*) FROM events WHERE kind = 'access.refused' AND operator = ?1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, user, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return count;
}

static void
test_every_rule_through_the_core (Fixture       *fixture,
                                  gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  for (guint u = 0; u < G_N_ELEMENTS (users); u++)
    {
      g_autoptr(RcrpStore) store = rcrp_sqlite_store_open (fixture->path, fixture->clock, users[u], "ws-x", &error);
      gint64 refused = 0;

      g_assert_no_error (error);
      g_assert_cmpint (rcrp_store_get_role (store, &error), ==, roles[u]);

      for (guint r = 0; r < G_N_ELEMENTS (rules); r++)
        {
          gboolean allowed = strchr (rules[r].allowed, role_letters[u]) != NULL;
          gboolean done = rules[r].action (fixture, store, &error);

          if (done != allowed)
            g_error ("%s (%s) %s “%s”: %s", users[u], rcrp_role_to_string (roles[u]),
                     done ? "was allowed to" : "was refused", rules[r].name,
                     error != NULL ? error->message : "no error");

          if (!allowed)
            {
              g_assert_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_FORBIDDEN);
              /* The refusal says who and why, and is in the record. */
              g_assert_nonnull (strstr (error->message, users[u]));
              refused++;
              g_assert_cmpint (count_refusals (fixture, users[u]), ==, refused);
            }
          else
            g_assert_no_error (error);

          g_clear_error (&error);
        }
    }

  g_assert_true (rcrp_store_verify (fixture->admin, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
test_first_user_is_administrator (Fixture       *fixture,
                                  gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcrpStore) later = NULL;
  g_autoptr(GPtrArray) listed = NULL;

  g_assert_cmpint (rcrp_store_get_role (fixture->admin, &error), ==, RCRP_ROLE_ADMINISTRATOR);

  /* Opening an existing database makes nobody anything. */
  later = rcrp_sqlite_store_open (fixture->path, fixture->clock, "latecomer", "ws-9", &error);
  g_assert_no_error (error);
  g_assert_cmpint (rcrp_store_get_role (later, &error), ==, RCRP_ROLE_NONE);

  listed = rcrp_store_list_users (fixture->admin, &error);
  g_assert_cmpuint (listed->len, ==, 6);
  g_assert_cmpstr (((RcrpUser *) g_ptr_array_index (listed, 0))->os_user, ==, "admin");
  g_assert_cmpstr (((RcrpUser *) g_ptr_array_index (listed, 0))->added_by, ==, "admin");
}

static void
test_last_administrator_stays (Fixture       *fixture,
                               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcrpStore) second = NULL;

  g_assert_false (rcrp_store_remove_user (fixture->admin, "admin", &error));
  g_assert_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_false (rcrp_store_add_user (fixture->admin, "admin", RCRP_ROLE_COORDINATOR, NULL, &error));
  g_assert_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_CONFLICT);
  g_clear_error (&error);

  /* With a second administrator, the first can step down. */
  g_assert_true (rcrp_store_add_user (fixture->admin, "sup", RCRP_ROLE_ADMINISTRATOR, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (rcrp_store_add_user (fixture->admin, "admin", RCRP_ROLE_SUPERVISOR, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rcrp_store_get_role (fixture->admin, &error), ==, RCRP_ROLE_SUPERVISOR);
  g_assert_false (rcrp_store_add_user (fixture->admin, "x", RCRP_ROLE_CLINICIAN, NULL, &error));
  g_assert_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_FORBIDDEN);
  g_clear_error (&error);

  second = rcrp_sqlite_store_open (fixture->path, fixture->clock, "sup", "ws-2", &error);
  g_assert_true (rcrp_store_remove_user (second, "clin", &error));
  g_assert_no_error (error);
  g_assert_false (rcrp_store_remove_user (second, "clin", &error));
  g_assert_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (rcrp_store_add_user (second, "bad name", RCRP_ROLE_CLINICIAN, NULL, &error));
  g_assert_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_INVALID);
}

/* The rcrp tool, run as each user (a test build's RCRP_TEST_OPERATOR). */
static int
run_as (Fixture     *fixture,
        const char  *user,
        char       **err,
        const char  *first,
        ...)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *captured = NULL;
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("RCRP_CLI"));
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, (gpointer) "--database");
  g_ptr_array_add (argv, fixture->path);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_setenv (launcher, "RCRP_TEST_OPERATOR", user, TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &captured, &error));
  g_assert_no_error (error);

  if (err != NULL)
    *err = g_steal_pointer (&captured);

  return g_subprocess_get_exit_status (process);
}

static void
test_rules_through_the_tool (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = g_build_filename (fixture->folder, "x.csv", NULL);
  g_autofree char *err = NULL;
  g_autoptr(RcrpAppeal) appeal = NULL;
  gint64 call_id;

  g_assert_nonnull (g_getenv ("RCRP_CLI"));

  /* Users: only the administrator. */
  g_assert_cmpint (run_as (fixture, "sup", &err, "users", "add", "newbie", "clinician", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "sup is a supervisor and may not manage users"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_as (fixture, "admin", NULL, "users", "add", "newbie", "clinician", "--name", "New Bie", NULL), ==, 0);
  g_assert_cmpint (run_as (fixture, "newbie", NULL, "whoami", NULL), ==, 0);

  /* Agency status: clinicians yes, managers no. */
  g_assert_cmpint (run_as (fixture, "clin", NULL, "agencies", "status", "amhp", "closed", NULL), ==, 0);
  g_assert_cmpint (run_as (fixture, "mgr", &err, "agencies", "status", "amhp", "available", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "mgr is a manager"));
  g_clear_pointer (&err, g_free);

  /* Personal data: managers only, and recorded. */
  g_assert_cmpint (run_as (fixture, "coord", &err, "export", "--from", "2026-11-24T00:00:00Z", "--to",
                           "2026-11-25T00:00:00Z", "--format", "csv", "--include-personal-data", "--output", out,
                           NULL), ==, 1);
  g_assert_nonnull (strstr (err, "may not export personal data"));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_clear_pointer (&err, g_free);
  new_call (fixture);
  g_assert_cmpint (run_as (fixture, "mgr", NULL, "export", "--from", "2026-11-24T00:00:00Z", "--to",
                           "2026-11-25T00:00:00Z", "--format", "csv", "--include-personal-data", "--output", out,
                           NULL), ==, 0);
  {
    g_autofree char *csv = NULL;

    g_assert_true (g_file_get_contents (out, &csv, NULL, NULL));
    g_assert_nonnull (strstr (csv, "Private Person"));
  }
  {
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_open_v2 (fixture->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT operator, json_extract (payload, '$.personal_data'), "
                                             "json_extract (payload, '$.destination') FROM events "
                                             "WHERE kind = 'summary.exported'", -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "mgr");
    g_assert_cmpint (sqlite3_column_int (stmt, 1), ==, 1);
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 2), ==, out);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
    sqlite3_finalize (stmt);
    sqlite3_close (db);
  }

  /* Appeals: a coordinator lodges, only a supervisor resolves. */
  call_id = new_call (fixture);
  admin_decides (fixture, call_id, "signposted");
  g_assert_cmpint (run_as (fixture, "clin", &err, "appeals", "lodge", "CAD-2", "--by", "caller", "--grounds", "x", NULL), ==, 1);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_as (fixture, "coord", NULL, "appeals", "lodge", "CAD-2", "--by", "caller", "--grounds", "x", NULL), ==, 0);
  {
    g_autoptr(GPtrArray) open = rcrp_store_list_appeals (fixture->admin, call_id, TRUE, &error);

    g_assert_cmpuint (open->len, ==, 1);
    g_assert_cmpint (run_as (fixture, "coord", &err, "appeals", "resolve",
                             ((RcrpAppeal *) g_ptr_array_index (open, 0))->reference, "upheld", "--rationale", "r",
                             NULL), ==, 1);
    g_assert_nonnull (strstr (err, "may not resolve an appeal"));
    g_assert_cmpint (run_as (fixture, "sup", NULL, "appeals", "resolve",
                             ((RcrpAppeal *) g_ptr_array_index (open, 0))->reference, "overturned", "--rationale",
                             "Risk to life", NULL), ==, 0);
  }

  /* A stranger reads but does not write. */
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_as (fixture, "stranger", NULL, "list", NULL), ==, 0);
  g_assert_cmpint (run_as (fixture, "stranger", &err, "agencies", "status", "amhp", "closed", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "not a user of this shared database"));
  g_clear_pointer (&err, g_free);

  /* Storing calls needs a role: the feed service's, not a stranger's. */
  {
    g_autofree char *file = g_build_filename (fixture->folder, "feed.json", NULL);

    g_assert_true (g_file_set_contents (file, "{\"schema\": \"rcrp.call/1\", \"cad_ref\": \"VIEW-1\", "
                                        "\"received_at\": \"2026-11-24T09:00:00Z\", "
                                        "\"category\": \"concern_for_welfare\", \"initial_grade\": 3, "
                                        "\"summary\": \"Neighbour worried\", \"subject\": {\"name\": \"Ada Lovelace\"}}",
                                        -1, NULL));
    g_assert_cmpint (run_as (fixture, "stranger", &err, "ingest", file, NULL), ==, 1);
    g_assert_nonnull (strstr (err, "feed.json: not stored: stranger is not a user of this shared database, "
                                   "so may not store calls from the feed"));
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (run_as (fixture, "feed", NULL, "ingest", file, NULL), ==, 0);
    /* and nothing else. */
    g_assert_cmpint (run_as (fixture, "feed", &err, "decide", "VIEW-1", "police_deployed", "--rationale", "Risk to life", NULL), ==, 1);
    g_assert_nonnull (strstr (err, "feed is a service and may not"));
    g_clear_pointer (&err, g_free);
  }

  /* Each look at a call's details is recorded; managers see who looked. */
  g_assert_cmpint (run_as (fixture, "coord", NULL, "show", "VIEW-1", NULL), ==, 0);
  g_assert_cmpint (run_as (fixture, "stranger", NULL, "show", "VIEW-1", "--json", NULL), ==, 0);
  g_assert_cmpint (run_as (fixture, "coord", &err, "views", "VIEW-1", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "coord is a coordinator and may not list who looked at a call"));
  g_clear_pointer (&err, g_free);
  {
    g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
    g_autoptr(GSubprocess) process = NULL;
    g_autofree char *listed = NULL;
    g_autoptr(JsonNode) root = NULL;
    JsonArray *looks;

    g_subprocess_launcher_setenv (launcher, "RCRP_TEST_OPERATOR", "mgr", TRUE);
    process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("RCRP_CLI"), "views", "VIEW-1", "--json",
                                           "--database", fixture->path, NULL);
    g_assert_no_error (error);
    g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &listed, NULL, &error));
    g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
    root = json_from_string (listed, &error);
    g_assert_no_error (error);
    looks = json_node_get_array (root);
    g_assert_cmpuint (json_array_get_length (looks), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (looks, 0), "operator"), ==, "coord");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (looks, 0), "how"), ==, "show");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (looks, 1), "operator"), ==, "stranger");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (looks, 1), "how"), ==, "show --json");
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/roles/every-rule-through-the-core", test_every_rule_through_the_core);
  ADD ("/roles/first-user-is-administrator", test_first_user_is_administrator);
  ADD ("/roles/last-administrator-stays", test_last_administrator_stays);
  ADD ("/roles/rules-through-the-tool", test_rules_through_the_tool);

  return g_test_run ();
}

/* test-cli.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rcrp-test-util.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <unistd.h>

#include "rcrp-clock.h"
#include "rcrp-context.h"
#include "rcrp-feed.h"
#include "rcrp-sqlite-store.h"

typedef struct
{
  char *folder;
  char *database;
} Fixture;

typedef RcrpTestResult Result;

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, rcrp_test_result_clear)

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->folder = g_dir_make_tmp ("rcrp-cli-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->database = g_build_filename (fixture->folder, "shift.db", NULL);

  /* Made as a force makes one: every other command refuses a database
   * that does not exist. */
  {
    const char *argv[] = { g_getenv ("RCRP_CLI"), "init", fixture->database, NULL };
    int status = -1;

    g_assert_nonnull (argv[0]);
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL,
                                 &status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, &error));
    g_assert_no_error (error);
  }
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_clear_pointer (&fixture->database, g_free);
  rcrp_test_remove_tree (fixture->folder);
  g_clear_pointer (&fixture->folder, g_free);
}

/* Runs the rcrp binary with @args (NULL-terminated), feeding @input on
 * standard input and, if @environment is given, adding it to the
 * environment.
 */
static void
run_full (Result             *result,
          const char         *input,
          const char * const *environment,
          const char         *first,
          ...)
{
  va_list args;

  va_start (args, first);
  rcrp_test_run_cli_valist (result, input, environment, first, args);
  va_end (args);
}

#define run(result, ...) run_full (result, NULL, NULL, __VA_ARGS__, NULL)

static char *
write_file (Fixture    *fixture,
            const char *name,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fixture->folder, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, &error));
  g_assert_no_error (error);

  return path;
}

#define CALL(ref, grade) \
  "{\"schema\": \"rcrp.call/1\", \"cad_ref\": \"" ref "\", " \
  "\"received_at\": \"2026-11-22T14:03:11Z\", \"category\": \"awol_mental_health\", " \
  "\"initial_grade\": " #grade ", \"summary\": \"Patient on s3 has not returned from leave\"}"

static void
test_help_for_every_command (void)
{
  const char *commands[] = { "ingest", "list", "show", "simulate", "spool", "verify" };

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(Result) result = { 0, };

      run (&result, commands[i], "--help");
      g_assert_cmpint (result.status, ==, 0);
      g_assert_nonnull (strstr (result.out, "--database"));
      g_assert_nonnull (strstr (result.out, commands[i]));
    }

  {
    g_auto(Result) result = { 0, };

    run (&result, "--help");
    g_assert_cmpint (result.status, ==, 0);
    for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
      g_assert_nonnull (strstr (result.out, commands[i]));
  }
}

static void
test_usage_errors_exit_2 (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_auto(Result) unknown = { 0, };
  g_auto(Result) no_files = { 0, };
  g_auto(Result) bad_option = { 0, };
  g_auto(Result) missing = { 0, };
  g_autofree char *absent = g_build_filename (fixture->folder, "absent.json", NULL);

  run (&unknown, "frobnicate");
  g_assert_cmpint (unknown.status, ==, 2);
  g_assert_nonnull (strstr (unknown.err, "frobnicate"));

  run (&no_files, "ingest", "--database", fixture->database);
  g_assert_cmpint (no_files.status, ==, 2);

  run (&bad_option, "list", "--no-such-option");
  g_assert_cmpint (bad_option.status, ==, 2);

  run (&missing, "ingest", "--database", fixture->database, absent);
  g_assert_cmpint (missing.status, ==, 2);
  g_assert_nonnull (strstr (missing.err, "absent.json"));
}

static void
test_ingest_reports_refusals_with_position (Fixture       *fixture,
                                            gconstpointer  user_data)
{
  g_autofree char *good = write_file (fixture, "good.json", CALL ("GOOD-1", 2));
  g_autofree char *syntax = write_file (fixture, "syntax.json", "[\n  " CALL ("BAD-1", 2) ",\n  /* comment */\n]");
  g_autofree char *field = write_file (fixture, "field.json", "[" CALL ("OK-1", 2) ", " CALL ("BAD-2", 9) "]");
  g_autofree char *expected_syntax = g_strdup_printf ("%s:3:3:", syntax);
  g_autofree char *expected_field = g_strdup_printf ("%s: calls[1].initial_grade", field);
  g_auto(Result) result = { 0, };
  g_auto(Result) list = { 0, };

  run (&result, "ingest", "--database", fixture->database, good, syntax, field);
  g_assert_cmpint (result.status, ==, 1);
  g_assert_nonnull (strstr (result.err, expected_syntax));
  g_assert_nonnull (strstr (result.err, expected_field));
  g_assert_nonnull (strstr (result.out, "1 new"));

  /* The good file is stored; nothing from the refused ones is. */
  run (&list, "list", "--database", fixture->database);
  g_assert_cmpint (list.status, ==, 0);
  g_assert_nonnull (strstr (list.out, "GOOD-1"));
  g_assert_null (strstr (list.out, "OK-1"));
  g_assert_null (strstr (list.out, "BAD-"));
}

static void
test_ingest_from_standard_input (Fixture       *fixture,
                                 gconstpointer  user_data)
{
  g_auto(Result) result = { 0, };
  g_auto(Result) again = { 0, };
  g_auto(Result) bad = { 0, };
  const char *args[] = { NULL };

  run_full (&result, CALL ("STDIN-1", 1), args, "ingest", "--database", fixture->database, "-", NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "1 new"));

  run_full (&again, CALL ("STDIN-1", 1), args, "ingest", "--database", fixture->database, "-", NULL);
  g_assert_cmpint (again.status, ==, 0);
  g_assert_nonnull (strstr (again.out, "1 unchanged"));

  run_full (&bad, "{\"schema\": 0x1}", args, "ingest", "--database", fixture->database, "-", NULL);
  g_assert_cmpint (bad.status, ==, 1);
  g_assert_true (g_str_has_prefix (bad.err, "-:1:"));
}

static void
test_list_json_in_queue_order (Fixture       *fixture,
                               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *file = write_file (fixture, "calls.json",
                                      "[" CALL ("LOW", 4) ", " CALL ("HIGH", 1) ", " CALL ("MID", 2) "]");
  const char *expected[] = { "HIGH", "MID", "LOW" };
  const char *members[] = { "cad_ref", "category", "grade", "received_at", "waiting_minutes", "status" };
  g_auto(Result) ingest = { 0, };
  g_auto(Result) list = { 0, };
  JsonArray *array;

  run (&ingest, "ingest", "--database", fixture->database, file);
  g_assert_cmpint (ingest.status, ==, 0);

  run (&list, "list", "--json", "--database", fixture->database);
  g_assert_cmpint (list.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, list.out, -1, &error));
  g_assert_no_error (error);

  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, 3);

  for (guint i = 0; i < 3; i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);

      for (guint m = 0; m < G_N_ELEMENTS (members); m++)
        g_assert_true (json_object_has_member (object, members[m]));

      g_assert_cmpuint (json_object_get_size (object), ==, G_N_ELEMENTS (members));
      g_assert_cmpstr (json_object_get_string_member (object, "cad_ref"), ==, expected[i]);
      g_assert_cmpstr (json_object_get_string_member (object, "category"), ==, "awol_mental_health");
      g_assert_cmpstr (json_object_get_string_member (object, "received_at"), ==, "2026-11-22T14:03:11Z");
      g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "new");
      g_assert_cmpint (json_object_get_int_member (object, "waiting_minutes"), >, 0);
    }
}

static void
test_show_prints_call_and_history (Fixture       *fixture,
                                   gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *file = write_file (fixture, "calls.json", CALL ("SHOW-1", 2));
  g_autofree char *updated = write_file (fixture, "updated.json",
                                         "{\"schema\": \"rcrp.call/1\", \"cad_ref\": \"SHOW-1\", "
                                         "\"received_at\": \"2026-11-22T14:03:11Z\", \"category\": \"awol_mental_health\", "
                                         "\"initial_grade\": 1, \"summary\": \"Now reported to have a knife\"}");
  g_auto(Result) ingest = { 0, };
  g_auto(Result) show = { 0, };
  g_auto(Result) json = { 0, };
  g_auto(Result) missing = { 0, };
  JsonObject *object;

  run (&ingest, "ingest", "--database", fixture->database, file, updated);
  g_assert_cmpint (ingest.status, ==, 0);

  run (&show, "show", "--database", fixture->database, "SHOW-1");
  g_assert_cmpint (show.status, ==, 0);
  g_assert_nonnull (strstr (show.out, "SHOW-1"));
  g_assert_nonnull (strstr (show.out, "Now reported to have a knife"));
  g_assert_nonnull (strstr (show.out, "Received from the C&C feed"));
  g_assert_nonnull (strstr (show.out, "Updated by the C&C feed"));

  run (&json, "show", "--json", "--database", fixture->database, "SHOW-1");
  g_assert_cmpint (json.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, json.out, -1, &error));
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (object, "versions"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "updated");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "events")), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "decisions")), ==, 0);

  run (&missing, "show", "--database", fixture->database, "NO-SUCH-CALL");
  g_assert_cmpint (missing.status, ==, 1);
  g_assert_nonnull (strstr (missing.err, "NO-SUCH-CALL"));
}


/* The safety rules hold from the command line too: the store refuses, the
 * command says why and exits 1, and nothing is recorded. */
static void
test_decide_obeys_the_safety_rules (Fixture       *fixture,
                                    gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *file = write_file (fixture, "calls.json", CALL ("DEC-1", 2));
  g_autofree char *me = rcrp_context_dup_os_user ();
  const char *colleague[] = { "RCRP_TEST_OPERATOR", "colleague", NULL };
  g_autoptr(RcrpClock) clock = rcrp_system_clock_new ();
  g_autoptr(RcrpStore) workstation = NULL;
  g_autoptr(RcrpCall) call = NULL;
  g_auto(Result) ingest = { 0, };
  g_auto(Result) add = { 0, };
  g_auto(Result) open = { 0, };
  g_auto(Result) none = { 0, };
  g_auto(Result) held = { 0, };
  g_auto(Result) taken = { 0, };
  g_auto(Result) shown = { 0, };
  g_auto(Result) lodge = { 0, };
  g_auto(Result) undo = { 0, };
  g_autofree char *decision_id = NULL;

  run (&ingest, "ingest", "--database", fixture->database, file);
  g_assert_cmpint (ingest.status, ==, 0);
  run (&add, "users", "add", "colleague", "coordinator", "--database", fixture->database);
  g_assert_cmpint (add.status, ==, 0);

  /* Police not ruled out: refused, nothing recorded. */
  run (&open, "decide", "--database", fixture->database, "DEC-1", "signposted", "--answer", "aw.risk=unknown",
       "--rationale", "Ward says he is often late back");
  g_assert_cmpint (open.status, ==, 1);
  g_assert_nonnull (strstr (open.err, "police are not ruled out"));
  g_assert_nonnull (strstr (open.err, "(unknown)"));
  run (&none, "show", "--database", fixture->database, "DEC-1");
  g_assert_nonnull (strstr (none.out, "none yet"));

  /* Someone works the call at a workstation: a colleague's command is
   * refused, naming the holder, unless it takes the call over. */
  workstation = rcrp_sqlite_store_open (fixture->database, clock, me, "ws-gui", &error);
  g_assert_no_error (error);
  call = rcrp_store_get_call (workstation, "DEC-1", &error);
  g_assert_true (rcrp_store_claim_call (workstation, rcrp_call_get_id (call), "gui-run", G_TIME_SPAN_HOUR, FALSE,
                                        NULL, &error));
  g_assert_no_error (error);

  run_full (&held, NULL, colleague, "decide", "--database", fixture->database, "DEC-1", "signposted",
            "--answer", "aw.risk=no", "--answer", "aw.police_power=no", "--rationale", "Ward has found him", NULL);
  g_assert_cmpint (held.status, ==, 1);
  g_assert_nonnull (strstr (held.err, "is being worked by"));
  g_assert_nonnull (strstr (held.err, "ws-gui"));

  run_full (&taken, NULL, colleague, "decide", "--database", fixture->database, "DEC-1", "signposted",
            "--answer", "aw.risk=no", "--answer", "aw.police_power=no", "--rationale", "Ward has found him",
            "--take-over", NULL);
  g_assert_cmpint (taken.status, ==, 0);
  g_assert_nonnull (strstr (taken.out, "DEC-1: Signposted (decision "));
  decision_id = g_strndup (strstr (taken.out, "(decision ") + strlen ("(decision "),
                           strcspn (strstr (taken.out, "(decision ") + strlen ("(decision "), ")"));

  run (&shown, "show", "--database", fixture->database, "DEC-1");
  g_assert_nonnull (strstr (shown.out, "Taken over from another operator"));
  g_assert_nonnull (strstr (shown.out, "Decided on taking the call over"));

  /* Under appeal, no undo. */
  run (&lodge, "appeals", "lodge", "DEC-1", "--by", "caller", "--grounds", "He is not at the ward",
       "--database", fixture->database);
  g_assert_cmpint (lodge.status, ==, 0);
  run_full (&undo, NULL, colleague, "undo", "--database", fixture->database, decision_id, NULL);
  g_assert_cmpint (undo.status, ==, 1);
  g_assert_nonnull (strstr (undo.err, "under appeal ESC-"));
  g_assert_nonnull (strstr (undo.err, "cannot be undone"));
}

/* The claim-idle-minutes setting decides, for `rcrp decide` as for the
 * app, when a claim left idle at another workstation lapses: ten minutes
 * idle is live by the default of 15, lapsed once the force sets 5. */
static void
test_decide_honours_claim_idle_minutes (Fixture       *fixture,
                                        gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *file = write_file (fixture, "calls.json", CALL ("IDLE-1", 2));
  g_autofree char *me = rcrp_context_dup_os_user ();
  g_autofree char *config = g_build_filename (fixture->folder, "config", NULL);
  g_autofree char *settings_folder = g_build_filename (config, "glib-2.0", "settings", NULL);
  g_autofree char *keyfile = g_build_filename (settings_folder, "keyfile", NULL);
  g_autoptr(GDateTime) real_now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) then = g_date_time_add_minutes (real_now, -10);
  g_autoptr(RcrpClock) clock = rcrp_fixed_clock_new (then);
  g_autoptr(RcrpStore) workstation = NULL;
  g_autoptr(RcrpCall) call = NULL;
  const char *by_default[] = { "RCRP_TEST_OPERATOR", "colleague", NULL };
  const char *five_minutes[] = { "RCRP_TEST_OPERATOR", "colleague", "GSETTINGS_BACKEND", "keyfile",
                                 "XDG_CONFIG_HOME", config, NULL };
  g_auto(Result) ingest = { 0, };
  g_auto(Result) add = { 0, };
  g_auto(Result) held = { 0, };
  g_auto(Result) lapsed = { 0, };

  run (&ingest, "ingest", "--database", fixture->database, file);
  g_assert_cmpint (ingest.status, ==, 0);
  run (&add, "users", "add", "colleague", "coordinator", "--database", fixture->database);
  g_assert_cmpint (add.status, ==, 0);

  /* Opened at a workstation ten minutes ago, not seen since. */
  workstation = rcrp_sqlite_store_open (fixture->database, clock, me, "ws-gui", &error);
  g_assert_no_error (error);
  call = rcrp_store_get_call (workstation, "IDLE-1", &error);
  g_assert_no_error (error);
  g_assert_true (rcrp_store_claim_call (workstation, rcrp_call_get_id (call), "gui-run", 15 * G_TIME_SPAN_MINUTE,
                                        FALSE, NULL, &error));
  g_assert_no_error (error);

  run_full (&held, NULL, by_default, "decide", "--database", fixture->database, "IDLE-1", "signposted",
            "--answer", "aw.risk=no", "--answer", "aw.police_power=no", "--rationale", "Ward has found him", NULL);
  g_assert_cmpint (held.status, ==, 1);
  g_assert_nonnull (strstr (held.err, "is being worked by"));

  g_assert_cmpint (g_mkdir_with_parents (settings_folder, 0700), ==, 0);
  g_assert_true (g_file_set_contents (keyfile, "[io/github/rcrp/Coordinator]\nclaim-idle-minutes=5\n", -1, &error));
  g_assert_no_error (error);

  run_full (&lapsed, NULL, five_minutes, "decide", "--database", fixture->database, "IDLE-1", "signposted",
            "--answer", "aw.risk=no", "--answer", "aw.police_power=no", "--rationale", "Ward has found him", NULL);
  g_test_message ("%s", lapsed.err);
  g_assert_cmpint (lapsed.status, ==, 0);
  g_assert_nonnull (strstr (lapsed.out, "IDLE-1: Signposted (decision "));
}

/* An override is recorded and said in `rcrp show`. */
static void
test_decide_override_shown (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autofree char *file = write_file (fixture, "calls.json", CALL ("OVR-1", 3));
  g_auto(Result) ingest = { 0, };
  g_auto(Result) decide = { 0, };
  g_auto(Result) shown = { 0, };
  g_auto(Result) json = { 0, };

  run (&ingest, "ingest", "--database", fixture->database, file);
  run (&decide, "decide", "--database", fixture->database, "OVR-1", "referred", "--agency", "crisis-team",
       "--answer", "aw.risk=no", "--override", "aw.police_power",
       "--rationale", "Ward staff will return him; no entry needed");
  g_assert_cmpint (decide.status, ==, 0);

  run (&shown, "show", "--database", fixture->database, "OVR-1");
  g_assert_nonnull (strstr (shown.out, "Override: decided without police, these threshold questions not ruled out:"));
  g_assert_nonnull (strstr (shown.out, "aw.police_power"));
  g_assert_nonnull (strstr (shown.out, "Is a police power needed"));

  run (&json, "show", "--json", "--database", fixture->database, "OVR-1");
  g_assert_nonnull (strstr (json.out, "\"overrides\""));
}

/* Issue #25, point 12: a referral's line says when and by whom the
 * agency's answer was recorded, and the history names the agency. */
static void
test_show_referral_answers (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autofree char *file = write_file (fixture, "calls.json", CALL ("REF-1", 3));
  g_autofree char *me = rcrp_context_dup_os_user ();
  g_autofree char *decision_id = NULL;
  g_autofree char *answered = NULL;
  g_auto(Result) ingest = { 0, };
  g_auto(Result) decide = { 0, };
  g_auto(Result) pending = { 0, };
  g_auto(Result) decline = { 0, };
  g_auto(Result) shown = { 0, };
  const char *line;

  run (&ingest, "ingest", "--database", fixture->database, file);
  g_assert_cmpint (ingest.status, ==, 0);
  run (&decide, "decide", "--database", fixture->database, "REF-1", "referred", "--agency", "crisis-team",
       "--answer", "aw.risk=no", "--answer", "aw.police_power=no", "--rationale", "Ward staff will return him");
  g_assert_cmpint (decide.status, ==, 0);
  decision_id = g_strndup (strstr (decide.out, "(decision ") + strlen ("(decision "),
                           strcspn (strstr (decide.out, "(decision ") + strlen ("(decision "), ")"));

  /* Not answered yet: no answer is claimed. */
  run (&pending, "show", "--database", fixture->database, "REF-1");
  line = strstr (pending.out, "  Crisis resolution and home treatment team: ");
  g_assert_nonnull (line);
  g_assert_null (strstr (pending.out, "answered"));

  run (&decline, "referrals", "decline", decision_id, "--reason", "No capacity tonight",
       "--database", fixture->database);
  g_assert_cmpint (decline.status, ==, 0);

  run (&shown, "show", "--database", fixture->database, "REF-1");
  g_assert_cmpint (shown.status, ==, 0);
  line = strstr (shown.out, "  Crisis resolution and home treatment team: Declined, answered ");
  g_assert_nonnull (line);
  line = g_strndup (line, strcspn (line, "\n"));
  answered = g_strdup_printf (" by %s (answer due ", me);
  g_assert_nonnull (strstr (line, answered));
  g_assert_nonnull (strstr (line, "— No capacity tonight"));
  g_free ((char *) line);
  g_assert_nonnull (strstr (shown.out, "Referral declined by Crisis resolution and home treatment team"));
  g_assert_null (strstr (shown.out, "Referral declined by the agency"));
}

static void
test_database_from_environment (Fixture       *fixture,
                                gconstpointer  user_data)
{
  g_autofree char *file = write_file (fixture, "calls.json", CALL ("ENV-1", 2));
  g_autofree char *env_database = g_build_filename (fixture->folder, "from-env.db", NULL);
  const char *environment[] = { "RCRP_DATABASE", env_database, NULL };
  g_auto(Result) init = { 0, };
  g_auto(Result) ingest = { 0, };
  g_auto(Result) list = { 0, };
  g_auto(Result) option_wins = { 0, };

  run_full (&init, NULL, environment, "init", NULL);
  g_assert_cmpint (init.status, ==, 0);
  g_assert_true (g_file_test (env_database, G_FILE_TEST_EXISTS));
  run_full (&ingest, NULL, environment, "ingest", file, NULL);
  g_assert_cmpint (ingest.status, ==, 0);

  run_full (&list, NULL, environment, "list", NULL);
  g_assert_nonnull (strstr (list.out, "ENV-1"));

  /* --database wins over the environment. */
  run_full (&option_wins, NULL, environment, "list", "--database", fixture->database, NULL);
  g_assert_cmpint (option_wins.status, ==, 0);
  g_assert_null (strstr (option_wins.out, "ENV-1"));
}

/* Global options go before or after the command, and the environment
 * stands in for --database, all to the same effect. */
static void
test_database_before_or_after_the_command (Fixture       *fixture,
                                           gconstpointer  user_data)
{
  g_autofree char *file = write_file (fixture, "calls.json", "[" CALL ("GLOBAL-1", 2) ", " CALL ("GLOBAL-2", 1) "]");
  const char *environment[] = { "RCRP_DATABASE", fixture->database, NULL };
  g_autofree char *equals = g_strdup_printf ("--database=%s", fixture->database);
  g_auto(Result) ingest = { 0, };
  g_auto(Result) before = { 0, };
  g_auto(Result) after = { 0, };
  g_auto(Result) from_env = { 0, };
  g_auto(Result) short_before = { 0, };
  g_auto(Result) joined = { 0, };
  g_auto(Result) json_before = { 0, };
  g_auto(Result) json_after = { 0, };

  run (&ingest, "--database", fixture->database, "ingest", file);
  g_assert_cmpint (ingest.status, ==, 0);

  run (&before, "--database", fixture->database, "list");
  run (&after, "list", "--database", fixture->database);
  run_full (&from_env, NULL, environment, "list", NULL);
  run (&short_before, "-d", fixture->database, "list");
  run (&joined, equals, "list");

  g_assert_cmpint (before.status, ==, 0);
  g_assert_nonnull (strstr (before.out, "GLOBAL-1"));
  g_assert_nonnull (strstr (before.out, "GLOBAL-2"));
  g_assert_cmpstr (before.err, ==, "");
  g_assert_cmpint (after.status, ==, 0);
  g_assert_cmpint (from_env.status, ==, 0);
  g_assert_cmpstr (before.out, ==, after.out);
  g_assert_cmpstr (before.out, ==, from_env.out);
  g_assert_cmpstr (before.out, ==, short_before.out);
  g_assert_cmpstr (before.out, ==, joined.out);

  run (&json_before, "--database", fixture->database, "list", "--json");
  run (&json_after, "list", "--json", "--database", fixture->database);
  g_assert_cmpint (json_before.status, ==, 0);
  g_assert_cmpstr (json_before.out, ==, json_after.out);
}

static void
test_version_and_help_conventions (Fixture       *fixture,
                                   gconstpointer  user_data)
{
  g_autofree char *version = g_strdup_printf ("rcrp %s\n", PACKAGE_VERSION);
  g_auto(Result) global_version = { 0, };
  g_auto(Result) command_version = { 0, };
  g_auto(Result) help_command = { 0, };
  g_auto(Result) command_help = { 0, };
  g_auto(Result) global_help_command = { 0, };
  g_auto(Result) help_unknown = { 0, };
  g_auto(Result) bad_global = { 0, };
  g_auto(Result) missing_path = { 0, };
  g_auto(Result) no_command = { 0, };

  run (&global_version, "--version");
  g_assert_cmpint (global_version.status, ==, 0);
  g_assert_cmpstr (global_version.out, ==, version);

  run (&command_version, "list", "--version");
  g_assert_cmpint (command_version.status, ==, 0);
  g_assert_cmpstr (command_version.out, ==, version);

  /* "rcrp help show", "rcrp --help show" and "rcrp show --help" agree. */
  run (&help_command, "help", "show");
  run (&command_help, "show", "--help");
  run (&global_help_command, "--help", "show");
  g_assert_cmpint (help_command.status, ==, 0);
  g_assert_nonnull (strstr (help_command.out, "rcrp show"));
  g_assert_nonnull (strstr (help_command.out, "--json"));
  g_assert_cmpstr (help_command.out, ==, command_help.out);
  g_assert_cmpstr (help_command.out, ==, global_help_command.out);

  /* Usage errors: on standard error, exit status 2, naming the mistake. */
  run (&help_unknown, "help", "frobnicate");
  g_assert_cmpint (help_unknown.status, ==, 2);
  g_assert_cmpstr (help_unknown.out, ==, "");
  g_assert_nonnull (strstr (help_unknown.err, "frobnicate"));

  run (&bad_global, "--frobnicate", "list");
  g_assert_cmpint (bad_global.status, ==, 2);
  g_assert_cmpstr (bad_global.out, ==, "");
  g_assert_nonnull (strstr (bad_global.err, "--frobnicate"));

  run (&missing_path, "--database");
  g_assert_cmpint (missing_path.status, ==, 2);
  g_assert_nonnull (strstr (missing_path.err, "--database"));

  run (&no_command, "--database", fixture->database);
  g_assert_cmpint (no_command.status, ==, 2);
  g_assert_cmpstr (no_command.out, ==, "");
  g_assert_nonnull (strstr (no_command.err, "Usage"));
}

#define AWOL_SUICIDAL(ref) \
  "{\"schema\": \"rcrp.call/1\", \"cad_ref\": \"" ref "\", " \
  "\"received_at\": \"2026-11-22T14:03:11Z\", \"category\": \"awol_mental_health\", " \
  "\"initial_grade\": 2, \"summary\": \"Patient on s3 has not returned from leave, said she would end her life\", " \
  "\"risk_indicators\": [\"suicidal_intent\"]}"

/* A call nobody has decided yet shows what the rules recommend now, and
 * why, marked as not yet decided. */
static void
test_show_undecided_recommends (Fixture       *fixture,
                                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *file = write_file (fixture, "calls.json", "[" AWOL_SUICIDAL ("AWOL-SI-1") ", " CALL ("AWOL-2", 3) "]");
  g_auto(Result) ingest = { 0, };
  g_auto(Result) show = { 0, };
  g_auto(Result) json = { 0, };
  g_auto(Result) plain = { 0, };
  g_auto(Result) decided = { 0, };
  g_auto(Result) after = { 0, };
  JsonObject *recommendation;
  JsonArray *reasons;

  run (&ingest, "ingest", "--database", fixture->database, file);
  g_assert_cmpint (ingest.status, ==, 0);

  run (&show, "show", "--database", fixture->database, "AWOL-SI-1");
  g_assert_cmpint (show.status, ==, 0);
  g_assert_nonnull (strstr (show.out, "Recommendation (not yet decided):"));
  g_assert_nonnull (strstr (show.out, "Recommended: Deploy police"));
  g_assert_nonnull (strstr (show.out, "Reason: Real and immediate risk to life: suicidal intent reported"));
  g_assert_nonnull (strstr (show.out, "none yet"));

  run (&json, "show", "--json", "--database", fixture->database, "AWOL-SI-1");
  g_assert_cmpint (json.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, json.out, -1, &error));
  g_assert_no_error (error);
  recommendation = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                                  "current_recommendation");
  g_assert_nonnull (recommendation);
  g_assert_false (json_object_get_boolean_member (recommendation, "decided"));
  g_assert_cmpstr (json_object_get_string_member (recommendation, "outcome"), ==, "police_deployed");
  g_assert_true (json_object_get_boolean_member (recommendation, "threshold_met"));
  reasons = json_object_get_array_member (recommendation, "reasons");
  g_assert_cmpuint (json_array_get_length (reasons), >=, 1);
  g_assert_nonnull (strstr (json_array_get_string_element (reasons, 0), "suicidal intent"));
  g_assert_true (json_object_get_null_member (recommendation, "draft"));

  /* Without a risk indicator and with the threshold questions open, the
   * recommendation says police are not yet ruled out. */
  run (&plain, "show", "--database", fixture->database, "AWOL-2");
  g_assert_cmpint (plain.status, ==, 0);
  g_assert_nonnull (strstr (plain.out, "Recommendation (not yet decided):"));
  g_assert_nonnull (strstr (plain.out, "Incomplete: police not yet ruled out"));
  g_assert_nonnull (strstr (plain.out, "Is a police power needed"));

  /* Once decided, the decision says what was recommended; no block. */
  run (&decided, "decide", "--database", fixture->database, "AWOL-SI-1", "police_deployed");
  g_assert_cmpint (decided.status, ==, 0);
  run (&after, "show", "--database", fixture->database, "AWOL-SI-1");
  g_assert_cmpint (after.status, ==, 0);
  g_assert_null (strstr (after.out, "not yet decided"));
}

/* The answers a coordinator has given so far (the call's draft) count. */
static void
test_show_undecided_uses_the_draft (Fixture       *fixture,
                                    gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcrpClock) clock = rcrp_system_clock_new ();
  g_autoptr(RcrpStore) store = NULL;
  g_autoptr(RcrpCall) call = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *file = write_file (fixture, "calls.json", CALL ("DRAFT-1", 3));
  /* The OS user, who became the database's first user by ingesting. */
  g_autofree char *user = rcrp_context_dup_os_user ();
  g_autofree char *by = NULL;
  g_auto(Result) ingest = { 0, };
  g_auto(Result) show = { 0, };
  g_auto(Result) json = { 0, };
  JsonObject *recommendation;

  run (&ingest, "ingest", "--database", fixture->database, file);
  g_assert_cmpint (ingest.status, ==, 0);

  store = rcrp_sqlite_store_open (fixture->database, clock, user, "ws-1", &error);
  g_assert_no_error (error);
  call = rcrp_store_get_call (store, "DRAFT-1", &error);
  g_assert_no_error (error);
  g_assert_true (rcrp_store_claim_call (store, rcrp_call_get_id (call), "alice-run", 15 * G_TIME_SPAN_MINUTE,
                                        FALSE, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (rcrp_store_save_draft (store, rcrp_call_get_id (call), "alice-run", 15 * G_TIME_SPAN_MINUTE,
                                        "{\"aw.police_power\":\"no\",\"aw.risk\":\"no\","
                                        "\"aw.service_can_return\":\"yes\"}",
                                        "2026.11-1", &error));
  g_assert_no_error (error);

  run (&show, "show", "--database", fixture->database, "DRAFT-1");
  g_assert_cmpint (show.status, ==, 0);
  g_assert_nonnull (strstr (show.out, "Recommendation (not yet decided):"));
  g_assert_nonnull (strstr (show.out, "Recommended: Refer"));
  g_assert_nonnull (strstr (show.out, "returns the patient"));
  by = g_strdup_printf ("Draft answers by %s at ws-1", user);
  g_assert_nonnull (strstr (show.out, by));
  g_assert_nonnull (strstr (show.out, "aw.service_can_return"));
  g_assert_null (strstr (show.out, "Incomplete"));

  run (&json, "show", "--json", "--database", fixture->database, "DRAFT-1");
  g_assert_true (json_parser_load_from_data (parser, json.out, -1, &error));
  g_assert_no_error (error);
  recommendation = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                                  "current_recommendation");
  g_assert_cmpstr (json_object_get_string_member (recommendation, "outcome"), ==, "referred");
  g_assert_true (json_object_get_boolean_member (recommendation, "complete"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (recommendation, "answers"),
                                                  "aw.service_can_return"), ==, "yes");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (recommendation, "draft"),
                                                  "operator"), ==, user);
}

/* Every command that reads prints JSON with --json, before or after it. */
static void
test_json_on_every_reading_command (Fixture       *fixture,
                                    gconstpointer  user_data)
{
  g_autofree char *file = write_file (fixture, "calls.json", CALL ("JSON-1", 2));
  const char *commands[][3] = {
    { "list", NULL }, { "show", "JSON-1" }, { "verify", NULL }, { "agencies", "list" }, { "referrals", NULL },
    { "appeals", "list" }, { "disputes", "list" }, { "users", "list" }, { "whoami", NULL }, { "handover", NULL },
  };
  g_auto(Result) ingest = { 0, };

  run (&ingest, "--database", fixture->database, "ingest", file);
  g_assert_cmpint (ingest.status, ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      g_auto(Result) result = { 0, };

      if (commands[i][1] != NULL)
        run (&result, "--database", fixture->database, commands[i][0], commands[i][1], "--json");
      else
        run (&result, "--database", fixture->database, commands[i][0], "--json");

      if (result.status != 0 || !json_parser_load_from_data (parser, result.out, -1, &error))
        g_error ("rcrp %s --json: status %d, %s%s", commands[i][0], result.status, result.out, result.err);
      g_assert_nonnull (json_parser_get_root (parser));
    }

  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_auto(Result) verify = { 0, };
    g_auto(Result) whoami = { 0, };
    g_autofree char *user = rcrp_context_dup_os_user ();
    JsonObject *object;

    run (&verify, "verify", "--json", "--database", fixture->database);
    g_assert_true (json_parser_load_from_data (parser, verify.out, -1, NULL));
    object = json_node_get_object (json_parser_get_root (parser));
    g_assert_true (json_object_get_boolean_member (object, "intact"));
    g_assert_cmpint (json_object_get_int_member (object, "events"), >=, 1);

    run (&whoami, "whoami", "--json", "--database", fixture->database);
    g_assert_true (json_parser_load_from_data (parser, whoami.out, -1, NULL));
    object = json_node_get_object (json_parser_get_root (parser));
    g_assert_cmpstr (json_object_get_string_member (object, "os_user"), ==, user);
    g_assert_cmpstr (json_object_get_string_member (object, "role"), ==, "administrator");
  }

  /* The handover names the undecided call as its text does. */
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_auto(Result) text = { 0, };
    g_auto(Result) json = { 0, };
    JsonArray *calls;

    run (&text, "handover", "--database", fixture->database);
    g_assert_cmpint (text.status, ==, 0);
    g_assert_nonnull (strstr (text.out, "JSON-1"));
    run (&json, "handover", "--json", "--database", fixture->database);
    g_assert_true (json_parser_load_from_data (parser, json.out, -1, NULL));
    calls = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "undecided_calls");
    g_assert_cmpuint (json_array_get_length (calls), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (calls, 0), "cad_ref"), ==, "JSON-1");
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (calls, 0), "grade"), ==, 2);
  }
}

static void
test_simulate_is_valid_and_deterministic (Fixture       *fixture,
                                          gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) document = NULL;
  g_autoptr(GPtrArray) calls = NULL;
  g_auto(Result) first = { 0, };
  g_auto(Result) second = { 0, };
  g_auto(Result) other_seed = { 0, };

  run (&first, "simulate", "--count", "25", "--seed", "7", "--now", "2026-11-22T15:00:00Z");
  run (&second, "simulate", "--count", "25", "--seed", "7", "--now", "2026-11-22T15:00:00Z");
  run (&other_seed, "simulate", "--count", "25", "--seed", "8", "--now", "2026-11-22T15:00:00Z");
  g_assert_cmpint (first.status, ==, 0);
  g_assert_cmpstr (first.out, ==, second.out);
  g_assert_cmpstr (first.out, !=, other_seed.out);

  document = g_bytes_new (first.out, strlen (first.out));
  calls = rcrp_feed_parse_bytes (document, "simulated", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (calls->len, ==, 25);
}

static void
test_simulate_into_spool_then_spool_once (Fixture       *fixture,
                                          gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *spool = g_build_filename (fixture->folder, "spool", NULL);
  g_autofree char *processed = g_build_filename (spool, "processed", NULL);
  g_autoptr(GDir) dir = NULL;
  g_auto(Result) simulate = { 0, };
  g_auto(Result) watch = { 0, };
  g_auto(Result) list = { 0, };
  guint n_files = 0;
  const char *name;

  run (&simulate, "simulate", "--count", "3", "--rate", "6000", "--spool", spool);
  g_assert_cmpint (simulate.status, ==, 0);

  dir = g_dir_open (spool, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_assert_false (g_str_has_prefix (name, "."));
      if (g_str_has_suffix (name, ".json"))
        n_files++;
    }
  g_assert_cmpuint (n_files, ==, 3);

  run (&watch, "spool", "--once", "--database", fixture->database, spool);
  g_assert_cmpint (watch.status, ==, 0);
  g_assert_true (g_file_test (processed, G_FILE_TEST_IS_DIR));

  run (&list, "list", "--json", "--database", fixture->database);
  g_assert_nonnull (strstr (list.out, "\"cad_ref\""));
  {
    g_autoptr(JsonParser) parser = json_parser_new ();

    g_assert_true (json_parser_load_from_data (parser, list.out, -1, &error));
    g_assert_cmpuint (json_array_get_length (json_node_get_array (json_parser_get_root (parser))), ==, 3);
  }
}

/* A year's database for the benchmarks is made this way: the calls go in
 * through the core in documents, the oldest are decided, and the audit
 * chain of it all holds. */
static void
test_simulate_into_store (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcrpClock) clock = rcrp_system_clock_new ();
  g_autoptr(RcrpStore) store = NULL;
  g_autoptr(RcrpQueueFilter) filter = rcrp_queue_filter_new ();
  g_auto(Result) simulate = { 0, };
  g_auto(Result) verify = { 0, };
  g_auto(Result) wrong = { 0, };
  guint counts[RCRP_N_QUEUE_VIEWS] = { 0, };

  run (&simulate, "simulate", "--store", "--count", "2300", "--decided", "2250", "--seed", "5",
       "--spread", "43200", "--database", fixture->database);
  g_assert_cmpint (simulate.status, ==, 0);
  g_assert_nonnull (strstr (simulate.out, "2300 calls stored, 2250 of them decided"));

  store = rcrp_sqlite_store_open (fixture->database, clock, "someone", "ws", &error);
  g_assert_no_error (error);
  g_assert_true (rcrp_store_count_views (store, filter, counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts[RCRP_QUEUE_VIEW_ALL], ==, 2300);
  g_assert_cmpuint (counts[RCRP_QUEUE_VIEW_OPEN], ==, 50);

  run (&verify, "verify", "--database", fixture->database);
  g_assert_cmpint (verify.status, ==, 0);

  /* --decided makes sense only with --store. */
  run (&wrong, "simulate", "--count", "3", "--decided", "2");
  g_assert_cmpint (wrong.status, ==, 2);
  g_assert_nonnull (strstr (wrong.err, "--decided"));
}

/* Numbers and dates out of range are refused by name, never overflowed or
 * passed on to raise a GLib critical, and a 0 given is not "the default". */
static void
test_numbers_and_dates_range_checked (Fixture       *fixture,
                                      gconstpointer  user_data)
{
  static const struct {
    const char *args[8];
    const char *says;
  } cases[] = {
    { { "simulate", "--count", "2", "--spread", "1e300", NULL }, "--spread" },
    { { "simulate", "--count", "2", "--spread", "nan", NULL }, "--spread" },
    { { "simulate", "--count", "2", "--spread", "-5", NULL }, "--spread" },
    { { "simulate", "--count", "2", "--spool", "x", "--rate", "inf", NULL }, "--rate" },
    { { "export", "--shift", "9999-12-31/night", "--format", "json", "--output", "out.json", NULL }, "out of range" },
    { { "retention", "apply", "--days", "0", "--dry-run", NULL }, "--days must be at least 1" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Result) result = { 0, };
      const char *a[10] = { NULL, };
      guint n = 0;

      while (cases[i].args[n] != NULL)
        {
          a[n] = cases[i].args[n];
          n++;
        }
      a[n] = "--database";
      a[n + 1] = fixture->database;

      run (&result, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9]);
      g_test_message ("case %u: %s", i, result.err);
      g_assert_cmpint (result.status, ==, 2);
      g_assert_nonnull (strstr (result.err, cases[i].says));
      g_assert_null (strstr (result.err, "CRITICAL"));
      g_assert_cmpstr (result.out, ==, "");
    }
}

/* Text from the feed and names from the spool never reach the terminal or
 * the service's log raw: no escape sequence, no forged line. */
static void
test_control_characters_escaped (Fixture       *fixture,
                                 gconstpointer  user_data)
{
  g_autofree char *file = write_file (fixture, "calls.json",
                                      "{\"schema\": \"rcrp.call/1\", \"cad_ref\": \"CC-1\", "
                                      "\"received_at\": \"2026-11-22T14:03:11Z\", "
                                      "\"category\": \"awol_mental_health\", \"initial_grade\": 2, "
                                      "\"summary\": \"Patient \\u001b[31mRED\\u001b[0m \\u009b2J gone\"}");
  g_autofree char *spool = g_build_filename (fixture->folder, "spool", NULL);
  g_autofree char *bad = g_build_filename (spool, "forged\nrcrp spool: all well.json", NULL);
  g_auto(Result) ingest = { 0, };
  g_auto(Result) show = { 0, };
  g_auto(Result) list = { 0, };
  g_auto(Result) spooled = { 0, };
  g_auto(GStrv) lines = NULL;

  run (&ingest, "ingest", file, "--database", fixture->database);
  g_assert_cmpint (ingest.status, ==, 0);

  run (&show, "show", "CC-1", "--database", fixture->database);
  g_assert_cmpint (show.status, ==, 0);
  g_assert_null (strchr (show.out, '\x1b'));
  g_assert_null (strstr (show.out, "\xc2\x9b"));
  g_assert_nonnull (strstr (show.out, "Patient \\x1b[31mRED\\x1b[0m \\u009b2J gone"));

  run (&list, "list", "--database", fixture->database);
  g_assert_cmpint (list.status, ==, 0);
  g_assert_null (strchr (list.out, '\x1b'));

  g_assert_cmpint (g_mkdir (spool, 0750), ==, 0);
  g_assert_true (g_file_set_contents (bad, "[", -1, NULL));
  run (&spooled, "spool", spool, "--once", "--database", fixture->database);
  lines = g_strsplit (spooled.err, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2); /* one line and its end */
  g_assert_true (g_str_has_prefix (lines[0], "forged\\x0arcrp spool: all well.json:1:2: "));
}

static char *
checksum_of (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return g_strdup ("absent");

  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

static gint64
count_rows (const char *database,
            const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_open_v2 (database, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return n;
}

/* rcrp verify reads; it never writes what it checks: not with a writer's
 * WAL open beside it, not on an empty users table (it made its runner an
 * administrator), not on an old schema (it migrated). */
static void
test_verify_writes_nothing (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autofree char *file = write_file (fixture, "calls.json", "[" CALL ("VER-1", 2) "," CALL ("VER-2", 3) "]");
  g_autofree char *wal = g_strconcat (fixture->database, "-wal", NULL);
  g_autofree char *shm = g_strconcat (fixture->database, "-shm", NULL);
  g_autofree char *old = g_build_filename (fixture->folder, "old.db", NULL);
  g_autofree char *dump_path = g_test_build_filename (G_TEST_DIST, "data", "schema-12.sql", NULL);
  g_autofree char *dump = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(RcrpClock) clock = rcrp_fixed_clock_new (now);
  g_autoptr(GError) error = NULL;
  g_auto(Result) ingest = { 0, };
  g_auto(Result) verify = { 0, };
  g_auto(Result) verify_empty = { 0, };
  g_auto(Result) verify_old = { 0, };
  g_autofree char *db_before = NULL;
  g_autofree char *wal_before = NULL;
  g_autofree char *db_after = NULL;
  g_autofree char *wal_after = NULL;
  g_autofree char *shm_before = NULL;
  g_autofree char *shm_after = NULL;
  g_autofree char *user = rcrp_context_dup_os_user ();
  RcrpStore *writer;
  sqlite3 *db = NULL;
  gint64 events;

  run (&ingest, "ingest", file, "--database", fixture->database);
  g_assert_cmpint (ingest.status, ==, 0);

  /* A workstation has it open, its last commits still in the WAL. */
  writer = rcrp_sqlite_store_open (fixture->database, clock, user, "ws-1", &error);
  g_assert_no_error (error);
  g_assert_true (rcrp_store_claim_call (writer, 1, "session-1", 5 * G_TIME_SPAN_MINUTE, FALSE, NULL, &error));
  g_assert_no_error (error);
  db_before = checksum_of (fixture->database);
  wal_before = checksum_of (wal);
  shm_before = checksum_of (shm);
  g_assert_cmpstr (wal_before, !=, "absent");
  g_assert_cmpstr (shm_before, !=, "absent");

  run (&verify, "verify", "--database", fixture->database);
  g_assert_cmpint (verify.status, ==, 0);
  db_after = checksum_of (fixture->database);
  wal_after = checksum_of (wal);
  shm_after = checksum_of (shm);
  g_assert_cmpstr (db_after, ==, db_before);
  g_assert_cmpstr (wal_after, ==, wal_before);
  g_assert_cmpstr (shm_after, ==, shm_before);
  g_assert_finalize_object (writer);

  /* And it read the commits still in the WAL: the claim is counted. */
  {
    g_autofree char *counted = g_strdup_printf ("intact: %" G_GINT64_FORMAT " events",
                                                count_rows (fixture->database, "SELECT count(*) FROM events"));

    g_assert_nonnull (strstr (verify.out, counted));
  }

  /* No users at all: still nobody made administrator, nothing appended;
   * and the users the log added, now missing, are named. */
  g_assert_cmpint (sqlite3_open (fixture->database, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM users", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  events = count_rows (fixture->database, "SELECT count(*) FROM events");
  run (&verify_empty, "verify", "--database", fixture->database);
  g_assert_cmpint (verify_empty.status, ==, 1);
  g_assert_nonnull (strstr (verify_empty.err, "users row"));
  g_assert_cmpint (count_rows (fixture->database, "SELECT count(*) FROM users"), ==, 0);
  g_assert_cmpint (count_rows (fixture->database, "SELECT count(*) FROM events"), ==, events);

  /* An old schema is refused, not migrated. */
  g_assert_true (g_file_get_contents (dump_path, &dump, NULL, &error));
  g_assert_cmpint (sqlite3_open (old, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, dump, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  run (&verify_old, "verify", "--database", old);
  g_assert_cmpint (verify_old.status, ==, 2);
  g_assert_nonnull (strstr (verify_old.err, "schema version 12"));
  g_assert_cmpint (count_rows (old, "PRAGMA user_version"), ==, 12);
}

static gboolean
run_quietly (const char * const *argv)
{
  int status = -1;

  return g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
                       G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, NULL) &&
         g_spawn_check_wait_status (status, NULL);
}

/* A -wal or -shm file the writer cannot write (left at another owner or
 * mode, on a read-only bind, or immutable) is named, with the command that
 * fixes it, where SQLite says only "attempt to write a readonly database".
 * Tests run as root, for whom no mode stops a write: the file is made
 * immutable with chattr instead; skipped where the file system has no such
 * attribute. */
/* The same as a user whom modes bind: the database and its folder theirs,
 * its -wal left at 0440 (another user's, when the test runs as root, which
 * it then drops to nobody's with setpriv). Returns FALSE if that cannot be
 * arranged here. */
static gboolean
check_wal_mode_named (Fixture    *fixture,
                      const char *file)
{
  g_autofree char *wal = g_strconcat (fixture->database, "-wal", NULL);
  g_autofree char *state = g_build_filename (fixture->folder, "state-nobody", NULL);
  g_autofree char *setpriv = g_find_program_in_path ("setpriv");
  g_autofree char *me = rcrp_context_dup_os_user ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *paths[] = { fixture->folder, fixture->database, file, state };
  gboolean as_root = geteuid () == 0;
  GPtrArray *argv;

  if (as_root && setpriv == NULL)
    return FALSE;

  g_assert_cmpint (g_mkdir_with_parents (state, 0700), ==, 0);
  g_assert_true (g_file_set_contents (wal, "", 0, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (wal, 0440), ==, 0);
  if (as_root)
    for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
      g_assert_cmpint (chown (paths[i], 65534, 65534), ==, 0);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_unsetenv (launcher, "RCRP_DATABASE");
  g_subprocess_launcher_setenv (launcher, "RCRP_TEST_OPERATOR", me, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", state, TRUE);
  g_subprocess_launcher_setenv (launcher, "HOME", state, TRUE);
  argv = g_ptr_array_new ();
  if (as_root)
    {
      g_ptr_array_add (argv, setpriv);
      g_ptr_array_add (argv, (gpointer) "--reuid=65534");
      g_ptr_array_add (argv, (gpointer) "--regid=65534");
      g_ptr_array_add (argv, (gpointer) "--clear-groups");
    }
  g_ptr_array_add (argv, (gpointer) g_getenv ("RCRP_CLI"));
  g_ptr_array_add (argv, (gpointer) "ingest");
  g_ptr_array_add (argv, (gpointer) file);
  g_ptr_array_add (argv, (gpointer) "--database");
  g_ptr_array_add (argv, fixture->database);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_ptr_array_unref (argv);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error));
  g_assert_no_error (error);

  g_test_message ("%s", err);
  g_assert_false (g_subprocess_get_successful (process));
  g_assert_nonnull (strstr (err, wal));
  g_assert_nonnull (strstr (err, "mode 0440"));
  g_assert_nonnull (strstr (err, "chmod"));
  g_assert_nonnull (strstr (err, as_root ? "chown nobody:nogroup" : "chmod"));

  g_assert_cmpint (g_unlink (wal), ==, 0);
  if (as_root)
    for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
      g_assert_cmpint (chown (paths[i], 0, 0), ==, 0);

  return TRUE;
}

static void
test_unwritable_wal_named (Fixture       *fixture,
                           gconstpointer  user_data)
{
  static const char * const suffixes[] = { "-wal", "-shm" };
  g_autofree char *file = write_file (fixture, "calls.json", CALL ("WAL-1", 2));
  gboolean by_mode = check_wal_mode_named (fixture, file);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *side = g_strconcat (fixture->database, suffixes[i], NULL);
      g_autofree char *fix = g_strdup_printf ("chattr -i -a %s", side);
      const char *set[] = { "chattr", "+i", side, NULL };
      const char *clear[] = { "chattr", "-i", side, NULL };
      g_autoptr(GError) error = NULL;
      g_auto(Result) ingest = { 0, };
      g_auto(Result) again = { 0, };

      g_assert_true (g_file_set_contents (side, "", 0, &error));
      g_assert_no_error (error);
      g_assert_cmpint (g_chmod (side, 0640), ==, 0);
      if (!run_quietly (set))
        {
          if (!by_mode)
            g_test_skip ("neither chattr +i nor setpriv is possible here");
          return;
        }

      run (&ingest, "ingest", file, "--database", fixture->database);
      g_assert_true (run_quietly (clear));
      g_test_message ("%s", ingest.err);
      g_assert_cmpint (ingest.status, !=, 0);
      g_assert_nonnull (strstr (ingest.err, side));
      g_assert_nonnull (strstr (ingest.err, fix));

      /* Fixed as it says, the same ingest goes through. */
      run (&again, "ingest", file, "--database", fixture->database);
      g_assert_cmpint (again.status, ==, 0);
    }
}

/* On a small file system of its own, filled up: the message says "disk
 * full" and names the folder, every file of a multi-file ingest is
 * accounted for, and what is stored can still be read. Needs root, to
 * mount the file system; skipped otherwise. */
static void
test_full_disk (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autofree char *mount_point = g_build_filename (fixture->folder, "small", NULL);
  g_autofree char *database = g_build_filename (mount_point, "shift.db", NULL);
  g_autofree char *filler = g_build_filename (mount_point, "filler", NULL);
  g_autofree char *first = write_file (fixture, "first.json", CALL ("FULL-1", 2));
  g_autofree char *third = write_file (fixture, "third.json", CALL ("FULL-3", 2));
  g_autofree char *big = NULL;
  g_auto(Result) made = { 0, };
  g_auto(Result) setup = { 0, };
  g_auto(Result) simulate = { 0, };
  g_auto(Result) ingest = { 0, };
  g_auto(Result) list = { 0, };
  g_auto(Result) show = { 0, };
  g_auto(Result) full = { 0, };

  if (geteuid () != 0)
    {
      g_test_skip ("mounting a small file system needs root");
      return;
    }
  g_assert_cmpint (g_mkdir (mount_point, 0750), ==, 0);
  if (!run_quietly ((const char *[]) { "mount", "-t", "tmpfs", "-o", "size=1200k", "tmpfs", mount_point, NULL }))
    {
      g_test_skip ("this machine does not let a test mount a tmpfs");
      return;
    }

  /* A database with something in it, and a document too big for what is left. */
  run (&made, "init", database);
  g_assert_cmpint (made.status, ==, 0);
  run (&setup, "ingest", first, "--database", database);
  g_assert_cmpint (setup.status, ==, 0);
  run (&simulate, "simulate", "--count", "3000", "--seed", "4");
  g_assert_cmpint (simulate.status, ==, 0);
  big = write_file (fixture, "second.json", simulate.out);

  run (&ingest, "ingest", third, big, first, "--database", database);
  g_test_message ("%s", ingest.err);
  g_assert_cmpint (ingest.status, ==, 2);
  g_assert_nonnull (strstr (ingest.out, "third.json: 1 call: 1 new"));
  g_assert_nonnull (strstr (ingest.err, "second.json: not stored: Disk full"));
  g_assert_nonnull (strstr (ingest.err, mount_point));
  g_assert_nonnull (strstr (ingest.err, "first.json: not attempted, because storing"));

  /* Then no space at all: still "disk full", and reads work. */
  {
    g_autofree char *of = g_strconcat ("of=", filler, NULL);

    run_quietly ((const char *[]) { "dd", "if=/dev/zero", of, "bs=4096", NULL });
  }
  run (&full, "ingest", third, "--database", database);
  g_assert_cmpint (full.status, ==, 2);
  g_assert_nonnull (strstr (full.err, "Disk full"));
  g_assert_null (strstr (full.err, "disk I/O error"));

  run (&list, "list", "--database", database);
  g_assert_cmpint (list.status, ==, 0);
  g_assert_nonnull (strstr (list.out, "FULL-1"));
  g_assert_nonnull (strstr (list.out, "FULL-3"));
  /* A call's details are shown only when the look can be recorded: not
   * now, and it says why. */
  run (&show, "show", "FULL-3", "--database", database);
  g_assert_cmpint (show.status, ==, 2);
  g_assert_nonnull (strstr (show.err, "FULL-3 is not shown, because the look at its details could not be recorded"));
  g_assert_cmpstr (show.out, ==, "");

  g_assert_true (run_quietly ((const char *[]) { "umount", mount_point, NULL }));
}

/* Opening and creating are different acts: a mistyped --database is
 * refused, with its path and the way to make one, and nothing is made;
 * an empty one is an error; only rcrp init makes a named database, once;
 * the default one, which nobody named, is made with a notice. */
static void
test_opening_is_not_creating (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autofree char *folder = g_build_filename (fixture->folder, "typo", NULL);
  g_autofree char *typo = g_build_filename (folder, "shfit.db", NULL);
  g_autofree char *file = write_file (fixture, "calls.json", CALL ("OPEN-1", 2));
  g_autofree char *data_home = g_build_filename (fixture->folder, "data-home", NULL);
  g_autofree char *default_path = g_build_filename (data_home, "rcrp", "rcrp.db", NULL);
  const char *no_env[] = { "RCRP_DATABASE", "", "XDG_DATA_HOME", data_home, NULL };
  g_auto(Result) list = { 0, };
  g_auto(Result) ingest = { 0, };
  g_auto(Result) empty = { 0, };
  g_auto(Result) init = { 0, };
  g_auto(Result) again = { 0, };
  g_auto(Result) stored = { 0, };
  g_auto(Result) made_default = { 0, };

  run (&list, "list", "--database", typo);
  g_assert_cmpint (list.status, ==, 2);
  g_assert_nonnull (strstr (list.err, "there is no database at"));
  g_assert_nonnull (strstr (list.err, typo));
  g_assert_nonnull (strstr (list.err, "rcrp init"));
  run (&ingest, "ingest", file, "--database", typo);
  g_assert_cmpint (ingest.status, ==, 2);
  g_assert_false (g_file_test (typo, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));

  run (&empty, "list", "--database=");
  g_assert_cmpint (empty.status, ==, 2);
  g_assert_nonnull (strstr (empty.err, "--database is empty"));

  run (&init, "init", typo);
  g_assert_cmpint (init.status, ==, 0);
  g_assert_nonnull (strstr (init.out, "Made a new database at"));
  g_assert_true (g_file_test (typo, G_FILE_TEST_IS_REGULAR));
  run (&again, "init", typo);
  g_assert_cmpint (again.status, ==, 1);
  g_assert_nonnull (strstr (again.err, "already a database"));
  run (&stored, "ingest", file, "--database", typo);
  g_assert_cmpint (stored.status, ==, 0);

  /* Nobody named one: the default is made, and it says so. */
  g_assert_false (g_file_test (default_path, G_FILE_TEST_EXISTS));
  run_full (&made_default, NULL, no_env, "list", NULL);
  g_assert_cmpint (made_default.status, ==, 0);
  g_assert_nonnull (strstr (made_default.err, "making a new one"));
  g_assert_true (g_file_test (default_path, G_FILE_TEST_IS_REGULAR));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/cli/help-for-every-command", test_help_for_every_command);
  ADD ("/cli/usage-and-io-errors-exit-2", test_usage_errors_exit_2);
  ADD ("/cli/ingest-reports-refusals-with-position", test_ingest_reports_refusals_with_position);
  ADD ("/cli/ingest-from-standard-input", test_ingest_from_standard_input);
  ADD ("/cli/list-json-in-queue-order", test_list_json_in_queue_order);
  ADD ("/cli/show-prints-call-and-history", test_show_prints_call_and_history);
  ADD ("/cli/database-from-environment", test_database_from_environment);
  ADD ("/cli/database-before-or-after-the-command", test_database_before_or_after_the_command);
  ADD ("/cli/version-and-help-conventions", test_version_and_help_conventions);
  ADD ("/cli/json-on-every-reading-command", test_json_on_every_reading_command);
  ADD ("/cli/show-undecided-recommends", test_show_undecided_recommends);
  ADD ("/cli/show-undecided-uses-the-draft", test_show_undecided_uses_the_draft);
  ADD ("/cli/decide-obeys-the-safety-rules", test_decide_obeys_the_safety_rules);
  ADD ("/cli/decide-override-shown", test_decide_override_shown);
  ADD ("/cli/decide-honours-claim-idle-minutes", test_decide_honours_claim_idle_minutes);
  ADD ("/cli/show-referral-answers", test_show_referral_answers);
  ADD ("/cli/simulate-is-valid-and-deterministic", test_simulate_is_valid_and_deterministic);
  ADD ("/cli/simulate-into-spool-then-spool-once", test_simulate_into_spool_then_spool_once);
  ADD ("/cli/simulate-into-store", test_simulate_into_store);
  ADD ("/cli/numbers-and-dates-range-checked", test_numbers_and_dates_range_checked);
  ADD ("/cli/control-characters-escaped", test_control_characters_escaped);
  ADD ("/cli/verify-writes-nothing", test_verify_writes_nothing);
  ADD ("/cli/unwritable-wal-named", test_unwritable_wal_named);
  ADD ("/cli/full-disk", test_full_disk);
  ADD ("/cli/opening-is-not-creating", test_opening_is_not_creating);

#undef ADD

  return g_test_run ();
}

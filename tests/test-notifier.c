/* test-notifier.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The notifier's API for the appeals and agencies features, against the
 * test notification server (tests/ui/notifyserver.py) on a private bus:
 * what is sent, that a change made at this workstation is not shown back,
 * that Do not disturb lets only critical alerts through, and that Open
 * comes back as "open-call".
 *
 * libnotify keeps one D-Bus proxy per process, so the cases share one
 * notifier, one database and one server, and run in order.
 */

#include "config.h"

#include <json-glib/json-glib.h>

#include "rcrp-test-util.h"

#include "rcrp-clock.h"
#include "rcrp-feed.h"
#include "rcrp-notifier.h"
#include "rcrp-sqlite-store.h"

#define WAIT_USEC (10 * G_USEC_PER_SEC)

static struct
{
  GTestDBus    *bus;
  GSubprocess  *server;
  char         *folder;
  char         *log;
  RcrpStore    *store;
  RcrpContext  *context;
  RcrpSettings *settings;
  RcrpNotifier *notifier;
  gint64        call_id;
  gint64        opened_call_id;
} shared;

static JsonArray *
read_log (void)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  JsonArray *entries = json_array_new ();

  if (!g_file_get_contents (shared.log, &text, NULL, NULL))
    return entries;

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (*lines[i] == '\0' || !json_parser_load_from_data (parser, lines[i], -1, NULL))
        continue;
      json_array_add_element (entries, json_node_copy (json_parser_get_root (parser)));
    }

  return entries;
}

/* The @n-th entry of @event from the log, waiting for it while the main
 * context runs; NULL if it does not come. */
static JsonObject *
wait_for_entry (const char *event,
                guint       n,
                gint64      wait_usec)
{
  gint64 deadline = g_get_monotonic_time () + wait_usec;

  do
    {
      g_autoptr(JsonArray) entries = NULL;
      guint seen = 0;

      while (g_main_context_iteration (NULL, FALSE))
        ;

      entries = read_log ();
      for (guint i = 0; i < json_array_get_length (entries); i++)
        {
          JsonObject *entry = json_array_get_object_element (entries, i);

          if (g_str_equal (json_object_get_string_member (entry, "event"), event) && seen++ == n)
            return json_object_ref (entry);
        }

      g_usleep (10000);
    }
  while (g_get_monotonic_time () < deadline);

  return NULL;
}

static guint
count_entries (const char *event)
{
  g_autoptr(JsonArray) entries = read_log ();
  guint count = 0;

  for (guint i = 0; i < json_array_get_length (entries); i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (entries, i), "event"), event))
      count++;

  return count;
}

static void
run_for (gint64 usec)
{
  gint64 deadline = g_get_monotonic_time () + usec;

  while (g_get_monotonic_time () < deadline)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (10000);
    }
}

static gboolean
has_action (JsonObject *notification,
            const char *action)
{
  JsonArray *actions = json_object_get_array_member (notification, "actions");

  for (guint i = 0; i < json_array_get_length (actions); i += 2)
    if (g_str_equal (json_array_get_string_element (actions, i), action))
      return TRUE;

  return FALSE;
}

static gint64
urgency_of (JsonObject *notification)
{
  return json_object_get_int_member (json_object_get_object_member (notification, "hints"), "urgency");
}

static void
command (const char *text)
{
  GOutputStream *input = g_subprocess_get_stdin_pipe (shared.server);
  g_autofree char *line = g_strconcat (text, "\n", NULL);

  g_assert_true (g_output_stream_write_all (input, line, strlen (line), NULL, NULL, NULL));
  g_assert_true (g_output_stream_flush (input, NULL, NULL));
}

static void
on_open_call_cb (RcrpNotifier *notifier,
                 gint64        call_id,
                 const char   *activation_token)
{
  shared.opened_call_id = call_id;
}

static void
test_appeal_from_elsewhere (void)
{
  g_autoptr(JsonObject) sent = NULL;
  g_autofree char *invoke = NULL;
  const char *body;

  g_assert_true (rcrp_notifier_notify_appeal (shared.notifier, shared.call_id,
                                              "Jane Doe's GP (John Smith) says she is at risk tonight\nMore",
                                              TRUE, "ws-2"));
  sent = wait_for_entry ("notify", 0, WAIT_USEC);
  g_assert_nonnull (sent);

  g_assert_cmpstr (json_object_get_string_member (sent, "summary"), ==, "Urgent appeal: grade 2 call APPEAL-1");
  body = json_object_get_string_member (sent, "body");
  g_assert_cmpstr (body, ==, "Concern for welfare — [name]'s GP ([name]) says she is at risk tonight");
  g_assert_cmpint (urgency_of (sent), ==, 2);
  g_assert_true (has_action (sent, "open"));
  g_assert_false (has_action (sent, "claim"));

  /* Open comes back to the application as "open-call" for the call. */
  invoke = g_strdup_printf ("invoke %" G_GINT64_FORMAT " open", json_object_get_int_member (sent, "id"));
  command (invoke);
  for (gint64 deadline = g_get_monotonic_time () + WAIT_USEC;
       shared.opened_call_id == 0 && g_get_monotonic_time () < deadline;)
    run_for (10000);
  g_assert_cmpint (shared.opened_call_id, ==, shared.call_id);
}

static void
test_appeal_from_here_is_not_shown (void)
{
  guint before = count_entries ("notify");

  /* Made at this workstation: the supervisor here already knows. */
  g_assert_false (rcrp_notifier_notify_appeal (shared.notifier, shared.call_id, "Please review", TRUE, "WS-1"));
  run_for (G_USEC_PER_SEC / 2);
  g_assert_cmpuint (count_entries ("notify"), ==, before);
}

static void
test_agency_closed_then_full_replaces (void)
{
  guint before = count_entries ("notify");
  g_autoptr(JsonObject) closed = NULL;
  g_autoptr(JsonObject) full = NULL;
  g_autoptr(JsonObject) withdrawn = NULL;

  g_assert_true (rcrp_notifier_notify_agency (shared.notifier, "crisis-cafe", "Crisis café", RCRP_AGENCY_ALERT_CLOSED,
                                              3, shared.call_id, "ws-2"));
  closed = wait_for_entry ("notify", before, WAIT_USEC);
  g_assert_nonnull (closed);
  g_assert_cmpstr (json_object_get_string_member (closed, "summary"), ==, "Crisis café has closed");
  g_assert_cmpstr (json_object_get_string_member (closed, "body"), ==, "3 pending referrals depend on it.");
  g_assert_cmpint (urgency_of (closed), ==, 1);

  g_assert_true (rcrp_notifier_notify_agency (shared.notifier, "crisis-cafe", "Crisis café",
                                              RCRP_AGENCY_ALERT_AT_CAPACITY, 1, 0, "ws-3"));
  full = wait_for_entry ("notify", before + 1, WAIT_USEC);
  g_assert_nonnull (full);
  g_assert_cmpstr (json_object_get_string_member (full, "summary"), ==, "Crisis café is at capacity");
  g_assert_cmpint (json_object_get_int_member (full, "replaces_id"), ==, json_object_get_int_member (closed, "id"));
  g_assert_cmpint (json_object_get_int_member (full, "id"), ==, json_object_get_int_member (closed, "id"));

  /* Changed here, or with nothing depending on it: nothing to say. */
  g_assert_false (rcrp_notifier_notify_agency (shared.notifier, "crisis-cafe", "Crisis café",
                                               RCRP_AGENCY_ALERT_CLOSED, 2, 0, "ws-1"));
  g_assert_false (rcrp_notifier_notify_agency (shared.notifier, "crisis-cafe", "Crisis café",
                                               RCRP_AGENCY_ALERT_CLOSED, 0, 0, "ws-2"));

  rcrp_notifier_withdraw_agency (shared.notifier, "crisis-cafe");
  withdrawn = wait_for_entry ("close", 0, WAIT_USEC);
  g_assert_nonnull (withdrawn);
  g_assert_cmpint (json_object_get_int_member (withdrawn, "id"), ==, json_object_get_int_member (closed, "id"));
}

static void
test_do_not_disturb_lets_critical_through (void)
{
  guint before;
  g_autoptr(JsonObject) sent = NULL;

  g_object_set (shared.settings, "do-not-disturb", TRUE, NULL);
  before = count_entries ("notify");

  g_assert_false (rcrp_notifier_notify_appeal (shared.notifier, shared.call_id, "Please review", FALSE, "ws-2"));
  g_assert_false (rcrp_notifier_notify_agency (shared.notifier, "day-centre", "Day centre",
                                               RCRP_AGENCY_ALERT_CLOSED, 1, 0, "ws-2"));
  g_assert_true (rcrp_notifier_notify_appeal (shared.notifier, shared.call_id, "Now", TRUE, "ws-2"));

  sent = wait_for_entry ("notify", before, WAIT_USEC);
  g_assert_nonnull (sent);
  g_assert_cmpint (urgency_of (sent), ==, 2);
  run_for (G_USEC_PER_SEC / 2);
  g_assert_cmpuint (count_entries ("notify"), ==, before + 1);

  g_object_set (shared.settings, "do-not-disturb", FALSE, NULL);
}

static void
set_up (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(RcrpClock) clock = rcrp_fixed_clock_new (now);
  g_autoptr(RcrpStore) other = NULL;
  g_autoptr(GBytes) document = NULL;
  g_autoptr(GPtrArray) calls = NULL;
  g_autoptr(RcrpCall) call = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *path = NULL;
  g_autofree char *received = g_date_time_format_iso8601 (now);
  g_autofree char *text = NULL;
  g_autofree char *server_script = g_test_build_filename (G_TEST_DIST, "ui", "notifyserver.py", NULL);
  const char *python = g_getenv ("RCRP_PYTHON");

  shared.bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (shared.bus);

  shared.folder = g_dir_make_tmp ("rcrp-notifier-XXXXXX", &error);
  g_assert_no_error (error);
  shared.log = g_build_filename (shared.folder, "notifications.jsonl", NULL);
  g_file_set_contents (shared.log, "", 0, &error);
  g_assert_no_error (error);

  /* Made after the bus is up, for its address; fatal-warnings is for this
   * program, not for the server's Python bindings. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE);
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  shared.server = g_subprocess_launcher_spawn (launcher, &error, python != NULL ? python : "python3",
                                               server_script, shared.log, NULL);
  g_assert_no_error (error);
  g_assert_nonnull (wait_for_entry ("ready", 0, WAIT_USEC));

  path = g_build_filename (shared.folder, "shift.db", NULL);
  shared.store = rcrp_sqlite_store_open (path, clock, "me", "ws-1", &error);
  g_assert_no_error (error);
  /* The other workstation stores calls, so it is a user. */
  g_assert_true (rcrp_store_add_user (shared.store, "other", RCRP_ROLE_COORDINATOR, NULL, &error));
  g_assert_no_error (error);
  other = rcrp_sqlite_store_open (path, clock, "other", "ws-2", &error);
  g_assert_no_error (error);

  text = g_strdup_printf ("{\"schema\": \"rcrp.call/1\", \"cad_ref\": \"APPEAL-1\", \"received_at\": \"%s\", "
                          "\"category\": \"concern_for_welfare\", \"initial_grade\": 2, "
                          "\"summary\": \"Sister worried\", \"subject\": {\"name\": \"Jane Doe\"}, "
                          "\"caller\": {\"name\": \"John Smith\"}}", received);
  document = g_bytes_new (text, strlen (text));
  calls = rcrp_feed_parse_bytes (document, "t.json", &error);
  g_assert_no_error (error);
  g_assert_true (rcrp_store_ingest (other, "t.json", document, calls, NULL, &error));
  g_assert_no_error (error);
  call = rcrp_store_get_call (shared.store, "APPEAL-1", &error);
  g_assert_no_error (error);
  shared.call_id = rcrp_call_get_id (call);

  shared.context = rcrp_context_new (shared.store, clock, "me", "Me", "ws-1");
  shared.settings = rcrp_settings_new ();
  g_assert_nonnull (shared.settings);
  shared.notifier = rcrp_notifier_new (shared.context, shared.settings);
  g_signal_connect (shared.notifier, "open-call", G_CALLBACK (on_open_call_cb), NULL);
  rcrp_notifier_start (shared.notifier);
}

static void
tear_down (void)
{
  rcrp_notifier_shutdown (shared.notifier);
  g_clear_object (&shared.notifier);
  g_clear_object (&shared.settings);
  g_clear_object (&shared.context);
  g_clear_object (&shared.store);

  command ("quit");
  g_subprocess_wait (shared.server, NULL, NULL);
  g_clear_object (&shared.server);

  /* Neither g_test_dbus_down() nor the last unref, which waits for the
   * session bus connection to go: libnotify holds on to it for the life
   * of the process. */
  g_test_dbus_stop (shared.bus);

  rcrp_test_remove_tree (shared.folder);
  g_clear_pointer (&shared.folder, g_free);
  g_clear_pointer (&shared.log, g_free);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/notifier/appeal-from-elsewhere-is-sent-without-names", test_appeal_from_elsewhere);
  g_test_add_func ("/notifier/appeal-from-this-workstation-is-not-shown-back", test_appeal_from_here_is_not_shown);
  g_test_add_func ("/notifier/agency-closed-then-at-capacity-replaces", test_agency_closed_then_full_replaces);
  g_test_add_func ("/notifier/do-not-disturb-lets-critical-through", test_do_not_disturb_lets_critical_through);

  set_up ();
  status = g_test_run ();
  tear_down ();

  return status;
}

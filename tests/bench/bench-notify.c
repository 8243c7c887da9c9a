/* bench-notify.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How long from a file dropped into the spool to the desktop notification
 * call reaching the notification server: the spool watcher, the store,
 * the notifier and libnotify on its thread, as the app runs them, against
 * a notification server on a private bus (on a thread of its own here, so
 * both ends read one clock). In the same run, the time from the drop to
 * the call being stored (the spool's "file-processed") is the baseline:
 * what the notifier adds is the difference, and the ratio.
 *
 * Files are dropped one at a time, a second apart (and never before the
 * last one's notification), as isolated calls arrive: each is notified on
 * its own rather than as part of a burst. RCRP_BENCH_NOTIFY_SAMPLES sets
 * how many (default 200, so a run takes a little over three minutes);
 * RCRP_BENCH_QUICK=1, as the test command runs every benchmark, drops ten
 * files 100 ms apart.
 */

#include "config.h"

#include <glib/gstdio.h>

#include "rcrp-clock.h"
#include "rcrp-context.h"
#include "rcrp-notifier-private.h"
#include "rcrp-spool.h"
#include "rcrp-sqlite-store.h"

#include "../rcrp-test-util.h"

#define DEFAULT_SAMPLES 200
#define QUICK_SAMPLES 10
#define WARM_UP 5
#define SPACING_USEC G_USEC_PER_SEC
#define QUICK_SPACING_USEC (100 * 1000)
#define QUIET_MSEC 20
#define WAIT_USEC (5 * G_USEC_PER_SEC)

static const char introspection[] =
  "<node>"
  "  <interface name='org.freedesktop.Notifications'>"
  "    <method name='GetCapabilities'><arg direction='out' type='as'/></method>"
  "    <method name='Notify'>"
  "      <arg direction='in' type='s'/><arg direction='in' type='u'/><arg direction='in' type='s'/>"
  "      <arg direction='in' type='s'/><arg direction='in' type='s'/><arg direction='in' type='as'/>"
  "      <arg direction='in' type='a{sv}'/><arg direction='in' type='i'/><arg direction='out' type='u'/>"
  "    </method>"
  "    <method name='CloseNotification'><arg direction='in' type='u'/></method>"
  "    <method name='GetServerInformation'>"
  "      <arg direction='out' type='s'/><arg direction='out' type='s'/>"
  "      <arg direction='out' type='s'/><arg direction='out' type='s'/>"
  "    </method>"
  "  </interface>"
  "</node>";

typedef struct
{
  GMutex        mutex;
  GCond         cond;
  gboolean      ready;
  GHashTable   *arrivals;   /* reference → gint64 * (monotonic µs) */
  guint         last_id;
  char         *address;
  GMainContext *context;
  GMainLoop    *loop;
} Server;

static Server server;
static GHashTable *stored;  /* reference → gint64 *, on the main thread */

static gint64 *
new_time (gint64 value)
{
  gint64 *time = g_new (gint64, 1);

  *time = value;
  return time;
}

static void
on_server_method_cb (GDBusConnection       *connection,
                     const char            *sender,
                     const char            *path,
                     const char            *interface,
                     const char            *method,
                     GVariant              *parameters,
                     GDBusMethodInvocation *invocation,
                     gpointer               user_data)
{
  gint64 now = g_get_monotonic_time ();

  if (g_str_equal (method, "Notify"))
    {
      g_autoptr(GVariant) body_variant = g_variant_get_child_value (parameters, 4);
      const char *body = g_variant_get_string (body_variant, NULL);
      g_autofree char *reference = g_strndup (body, strcspn (body, " "));
      guint id;

      g_mutex_lock (&server.mutex);
      if (!g_hash_table_contains (server.arrivals, reference))
        g_hash_table_insert (server.arrivals, g_steal_pointer (&reference), new_time (now));
      id = ++server.last_id;
      g_mutex_unlock (&server.mutex);

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", id));
      g_main_context_wakeup (NULL);
    }
  else if (g_str_equal (method, "GetServerInformation"))
    {
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(ssss)", "bench", "rcrp", "1.0", "1.2"));
    }
  else if (g_str_equal (method, "GetCapabilities"))
    {
      const char *caps[] = { "actions", "body", NULL };

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", caps));
    }
  else
    {
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
}

static void
on_name_acquired_cb (GDBusConnection *connection,
                     const char      *name,
                     gpointer         user_data)
{
  g_mutex_lock (&server.mutex);
  server.ready = TRUE;
  g_cond_signal (&server.cond);
  g_mutex_unlock (&server.mutex);
}

static gpointer
server_thread (gpointer data)
{
  static const GDBusInterfaceVTable vtable = { on_server_method_cb, NULL, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusNodeInfo) node = g_dbus_node_info_new_for_xml (introspection, &error);
  g_autoptr(GDBusConnection) connection = NULL;

  g_assert_no_error (error);
  g_main_context_push_thread_default (server.context);

  connection = g_dbus_connection_new_for_address_sync (server.address,
                                                       G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                       G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                       NULL, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_register_object (connection, "/org/freedesktop/Notifications", node->interfaces[0],
                                     &vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  g_bus_own_name_on_connection (connection, "org.freedesktop.Notifications", G_BUS_NAME_OWNER_FLAGS_NONE,
                                on_name_acquired_cb, NULL, NULL, NULL);

  g_main_loop_run (server.loop);
  g_main_context_pop_thread_default (server.context);

  return NULL;
}

static void
on_file_processed_cb (RcrpSpool    *spool,
                      const char   *name,
                      gboolean      accepted,
                      const char   *message,
                      RcrpNotifier *notifier)
{
  g_assert_true (accepted);
  g_hash_table_insert (stored, g_strndup (name, strcspn (name, ".")), new_time (g_get_monotonic_time ()));

  /* As the application does. */
  rcrp_notifier_look_now (notifier);
}

static gint64
arrival_of (const char *reference)
{
  gint64 *time;

  g_mutex_lock (&server.mutex);
  time = g_hash_table_lookup (server.arrivals, reference);
  g_mutex_unlock (&server.mutex);

  return time != NULL ? *time : 0;
}

static gboolean
on_wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static void
run_main_until (gint64 deadline)
{
  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
}

static void
drop (const char *spool,
      const char *reference)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *received = g_date_time_format_iso8601 (now);
  g_autofree char *text = g_strdup_printf ("{\"schema\": \"rcrp.call/1\", \"cad_ref\": \"%s\", "
                                           "\"received_at\": \"%s\", \"category\": \"concern_for_welfare\", "
                                           "\"initial_grade\": 2, \"summary\": \"Neighbour worried, "
                                           "no answer at the door\"}", reference, received);
  g_autofree char *name = g_strdup_printf ("%s.json", reference);
  g_autofree char *temporary = g_strdup_printf ("%s/.%s.tmp", spool, name);
  g_autofree char *path = g_build_filename (spool, name, NULL);

  g_file_set_contents (temporary, text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_rename (temporary, path), ==, 0);
}

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
percentiles (GArray *values,
             double *p50,
             double *p99,
             double *max)
{
  g_array_sort (values, compare_int64);
  *p50 = g_array_index (values, gint64, values->len / 2) / 1000.0;
  *p99 = g_array_index (values, gint64, MIN (values->len - 1, values->len * 99 / 100)) / 1000.0;
  *max = g_array_index (values, gint64, values->len - 1) / 1000.0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTestDBus) bus = NULL;
  g_autoptr(GThread) thread = NULL;
  g_autoptr(RcrpClock) clock = rcrp_system_clock_new ();
  g_autoptr(RcrpStore) store = NULL;
  g_autoptr(RcrpContext) context = NULL;
  g_autoptr(RcrpNotifier) notifier = NULL;
  g_autoptr(RcrpSpool) spool = NULL;
  g_autoptr(GFile) spool_folder = NULL;
  g_autoptr(GArray) to_store = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) to_notify = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) store_to_notify = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *folder = NULL;
  g_autofree char *spool_path = NULL;
  g_autofree char *database = NULL;
  const char *samples_env = g_getenv ("RCRP_BENCH_NOTIFY_SAMPLES");
  gboolean quick = g_strcmp0 (g_getenv ("RCRP_BENCH_QUICK"), "1") == 0;
  guint samples = samples_env != NULL ? (guint) g_ascii_strtoull (samples_env, NULL, 10)
                                      : quick ? QUICK_SAMPLES : DEFAULT_SAMPLES;
  gint64 spacing = quick ? QUICK_SPACING_USEC : SPACING_USEC;
  double base_p50, base_p99, base_max, p50, p99, max, own_p50, own_p99, own_max;

  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);

  g_mutex_init (&server.mutex);
  g_cond_init (&server.cond);
  server.arrivals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  server.address = g_strdup (g_test_dbus_get_bus_address (bus));
  server.context = g_main_context_new ();
  server.loop = g_main_loop_new (server.context, FALSE);
  thread = g_thread_new ("bench-server", server_thread, NULL);

  g_mutex_lock (&server.mutex);
  while (!server.ready)
    g_cond_wait (&server.cond, &server.mutex);
  g_mutex_unlock (&server.mutex);

  folder = g_dir_make_tmp ("rcrp-bench-notify-XXXXXX", &error);
  g_assert_no_error (error);
  spool_path = g_build_filename (folder, "spool", NULL);
  g_assert_cmpint (g_mkdir (spool_path, 0700), ==, 0);
  database = g_build_filename (folder, "shift.db", NULL);

  store = rcrp_sqlite_store_open (database, clock, "bench", "bench-ws", &error);
  g_assert_no_error (error);
  context = rcrp_context_new (store, clock, "bench", "Bench", "bench-ws");
  notifier = rcrp_notifier_new (context, NULL);
  _rcrp_notifier_set_quiet_period (notifier, QUIET_MSEC);
  rcrp_notifier_start (notifier);

  stored = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  spool_folder = g_file_new_for_path (spool_path);
  spool = rcrp_spool_new (store, spool_folder);
  g_signal_connect (spool, "file-processed", G_CALLBACK (on_file_processed_cb), notifier);
  g_assert_true (rcrp_spool_start (spool, &error));
  g_assert_no_error (error);

  /* Wakes the main loop now and then, for the deadlines. */
  g_timeout_add (5, on_wake_cb, NULL);

  for (guint i = 0; i < WARM_UP + samples; i++)
    {
      g_autofree char *reference = g_strdup_printf ("BENCH-%05u", i);
      gint64 dropped, deadline, arrived = 0;
      gint64 *stored_at = NULL;

      drop (spool_path, reference);
      dropped = g_get_monotonic_time ();
      deadline = dropped + WAIT_USEC;

      /* The notifier's own look at the store may find the call before the
       * spool's signal for it has been dispatched here: wait for both. */
      while (((arrived = arrival_of (reference)) == 0 ||
              (stored_at = g_hash_table_lookup (stored, reference)) == NULL) &&
             g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, TRUE);

      if (arrived == 0)
        g_error ("No notification for %s within %d s", reference, (int) (WAIT_USEC / G_USEC_PER_SEC));
      if (stored_at == NULL)
        g_error ("%s was not reported stored within %d s", reference, (int) (WAIT_USEC / G_USEC_PER_SEC));

      /* The first few pay for starting libnotify and warming caches. */
      if (i >= WARM_UP)
        {
          gint64 values[] = { *stored_at - dropped, arrived - dropped, arrived - *stored_at };

          g_array_append_val (to_store, values[0]);
          g_array_append_val (to_notify, values[1]);
          g_array_append_val (store_to_notify, values[2]);
        }

      /* The next call a second after this one, as isolated calls come. */
      run_main_until (dropped + spacing);
    }

  percentiles (to_store, &base_p50, &base_p99, &base_max);
  percentiles (to_notify, &p50, &p99, &max);
  percentiles (store_to_notify, &own_p50, &own_p99, &own_max);

  g_print ("notification latency, %u files dropped one at a time into the spool, %.1f s apart:\n",
           samples, spacing / (double) G_USEC_PER_SEC);
  g_print ("  drop to stored (baseline, spool and store):  p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms\n",
           base_p50, base_p99, base_max);
  g_print ("  drop to notification call:                   p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms\n",
           p50, p99, max);
  g_print ("  ratio to the baseline:                       p50 %7.2fx     p99 %7.2fx\n",
           p50 / MAX (base_p50, 0.001), p99 / MAX (base_p99, 0.001));
  g_print ("  stored to notification call (the notifier):  p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms\n",
           own_p50, own_p99, own_max);

  rcrp_spool_stop (spool);
  rcrp_notifier_shutdown (notifier);
  g_main_loop_quit (server.loop);
  g_thread_join (g_steal_pointer (&thread));
  rcrp_test_remove_tree (folder);

  /* Not g_test_dbus_down(): libnotify keeps the session bus connection for
   * the life of the process. */
  g_test_dbus_stop (bus);
  g_steal_pointer (&bus);

  return 0;
}

/* rcrp-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <glib-unix.h>

#include "rcrp-application.h"
#include "rcrp-clock.h"
#include "rcrp-context.h"
#include "rcrp-feed.h"
#include "rcrp-notifier.h"
#include "rcrp-preferences-window.h"
#include "rcrp-settings.h"
#include "rcrp-simulator.h"
#include "rcrp-spool.h"
#include "rcrp-sqlite-store.h"
#include "rcrp-window.h"

/* The demo drops a new simulated call into its spool this often, so one
 * sees calls arrive as they would on a shift.
 */
#define DEMO_CALL_INTERVAL_SECONDS 15
#define DEMO_INITIAL_CALLS 40

struct _RcrpApplication
{
  AdwApplication  parent_instance;

  char           *database_option;
  char           *spool_option;
  gboolean        demo;

  RcrpSettings   *settings;
  RcrpContext    *context;
  RcrpSpool      *spool;
  RcrpSimulator  *demo_simulator;
  RcrpNotifier   *notifier;
  char           *database_label;
  char           *spool_problem;
  char           *demo_folder;
  char           *demo_spool;
  guint           demo_source;
  guint           sigint_source;
  guint           sigterm_source;
  guint           demo_serial;
  guint32         demo_seed;
  gboolean        create_agreed;  /* the user agreed to make a new database */
};

G_DEFINE_FINAL_TYPE (RcrpApplication, rcrp_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "database", 'd', 0, G_OPTION_ARG_FILENAME, NULL,
    N_("The shared database (default: $RCRP_DATABASE, the settings, then ~/.local/share/rcrp/rcrp.db)"),
    N_("PATH") },
  { "spool", 's', 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Watch this spool folder for flagged calls"), N_("DIR") },
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Start on a temporary database filled with simulated calls"), NULL },
  { NULL }
};

static RcrpWindow *
get_window (RcrpApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  return RCRP_IS_WINDOW (window) ? RCRP_WINDOW (window) : NULL;
}

static int
rcrp_application_handle_local_options (GApplication *app,
                                       GVariantDict *options)
{
  RcrpApplication *self = RCRP_APPLICATION (app);
  const char *value;

  if (g_variant_dict_lookup (options, "database", "^&ay", &value))
    self->database_option = g_strdup (value);
  if (g_variant_dict_lookup (options, "spool", "^&ay", &value))
    self->spool_option = g_strdup (value);
  self->demo = g_variant_dict_contains (options, "demo");

  return -1;
}

static gboolean
write_demo_call (RcrpApplication  *self,
                 GError          **error)
{
  g_autoptr(GDateTime) received_at = g_date_time_new_now_utc ();
  g_autoptr(JsonNode) node = rcrp_simulator_next_call (self->demo_simulator, received_at);
  g_autofree char *text = json_to_string (node, TRUE);
  g_autofree char *name = g_strdup_printf ("demo-%04u.json", ++self->demo_serial);
  g_autofree char *temporary = g_strdup_printf (".%s.tmp", name);
  g_autofree char *temporary_path = g_build_filename (self->demo_spool, temporary, NULL);
  g_autofree char *path = g_build_filename (self->demo_spool, name, NULL);

  /* As the contract asks of every writer: a dot-name, then a rename. */
  if (!g_file_set_contents_full (temporary_path, text, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0640, error))
    return FALSE;

  if (g_rename (temporary_path, path) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "%s: %s", path, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

static gboolean
on_demo_timeout_cb (gpointer user_data)
{
  RcrpApplication *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!write_demo_call (self, &error))
    {
      RcrpWindow *window = get_window (self);

      if (window != NULL)
        rcrp_window_add_toast (window, error->message);
    }

  return G_SOURCE_CONTINUE;
}

static gboolean
prepare_demo (RcrpApplication  *self,
              RcrpStore        *store,
              GError          **error)
{
  g_autoptr(GDateTime) time_now = g_date_time_new_now_utc ();
  g_autoptr(RcrpSimulator) simulator = rcrp_simulator_new (self->demo_seed, time_now);
  char *document = rcrp_simulator_generate (simulator, DEMO_INITIAL_CALLS, 3 * G_TIME_SPAN_HOUR);
  gsize length = strlen (document);
  g_autoptr(GBytes) bytes = g_bytes_new_take (document, length);
  g_autoptr(GPtrArray) calls = NULL;

  calls = rcrp_feed_parse_bytes (bytes, "demo", error);
  if (calls == NULL)
    return FALSE;

  return rcrp_store_ingest (store, "demo", bytes, calls, NULL, error);
}

static void
on_spool_file_processed_cb (RcrpSpool       *spool,
                            const char      *name,
                            gboolean         accepted,
                            const char      *message,
                            RcrpApplication *self)
{
  RcrpWindow *window = get_window (self);

  if (!accepted && window != NULL)
    {
      g_autofree char *text = NULL;

      /* Translators: %s is the feed's reason, which starts with the file
       * name, as in "Refused calls-0042.json: calls[3].subject.age: …". */
      text = g_strdup_printf (_("Refused %s"), message);
      rcrp_window_add_toast (window, text);
    }
}

static void
on_spool_scan_failed_cb (RcrpSpool       *spool,
                         const GError    *error,
                         RcrpApplication *self)
{
  RcrpWindow *window = get_window (self);

  /* The spool tries again on its own; the coordinator should know why
   * calls may be late. */
  if (window != NULL)
    rcrp_window_add_toast (window, error->message);
}

static gboolean
open_context (RcrpApplication  *self,
              GError          **error)
{
  g_autoptr(RcrpClock) clock = rcrp_system_clock_new ();
  g_autoptr(RcrpStore) store = NULL;
  g_autofree char *path = NULL;
  g_autofree char *spool_folder = NULL;
  g_autofree char *user = rcrp_context_dup_os_user ();
  g_autofree char *display_name = rcrp_context_dup_os_display_name ();
  g_autofree char *workstation = rcrp_context_dup_workstation_name ();

  if (self->demo)
    {
      self->demo_seed = g_random_int ();
      self->demo_folder = g_dir_make_tmp ("rcrp-demo-XXXXXX", error);
      if (self->demo_folder == NULL)
        return FALSE;

      path = g_build_filename (self->demo_folder, "demo.db", NULL);
      self->demo_spool = g_build_filename (self->demo_folder, "spool", NULL);
      self->database_label = g_strdup (_("Demo database"));
    }
  else
    {
      path = rcrp_context_resolve_database_path (self->database_option);
      self->database_label = g_path_get_basename (path);
    }

  store = rcrp_sqlite_store_open (path, clock, user, workstation, error);
  if (store == NULL)
    return FALSE;

  if (self->demo && !prepare_demo (self, store, error))
    return FALSE;

  /* One settings object for the app: the window's and the context's. */
  self->context = rcrp_context_new_full (store, clock, self->settings, NULL, user, display_name, workstation);

  if (self->spool_option != NULL)
    spool_folder = g_strdup (self->spool_option);
  else if (self->demo)
    spool_folder = g_strdup (self->demo_spool);
  else if (self->settings != NULL)
    spool_folder = rcrp_settings_dup_spool_folder (self->settings);

  if (spool_folder != NULL && *spool_folder != '\0')
    {
      g_autoptr(GFile) folder = g_file_new_for_commandline_arg (spool_folder);
      g_autoptr(GError) spool_error = NULL;

      self->spool = rcrp_spool_new (store, folder);
      g_signal_connect (self->spool, "file-processed",
                        G_CALLBACK (on_spool_file_processed_cb), self);
      g_signal_connect (self->spool, "scan-failed",
                        G_CALLBACK (on_spool_scan_failed_cb), self);

      /* A spool that cannot be watched is worth a warning, not a refusal
       * to start: calls can still come by `rcrp ingest`. */
      if (!rcrp_spool_start (self->spool, &spool_error))
        {
          self->spool_problem = g_strdup (spool_error->message);
          g_clear_object (&self->spool);
        }
    }

  if (self->demo)
    {
      g_autoptr(GDateTime) time_now = g_date_time_new_now_utc ();

      /* Another seed, so the live calls' references differ from the first batch's. */
      self->demo_simulator = rcrp_simulator_new (self->demo_seed + 1, time_now);
      self->demo_source = g_timeout_add_seconds (DEMO_CALL_INTERVAL_SECONDS, on_demo_timeout_cb, self);
    }

  return TRUE;
}

/* Notifications and preferences ------------------------------------------------------ */

/* The main window, even while the preferences or the about window has
 * the focus. */
static RcrpWindow *
find_main_window (RcrpApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (RCRP_IS_WINDOW (l->data))
      return l->data;

  return NULL;
}

static void
open_call (RcrpApplication *self,
           gint64           call_id,
           const char      *activation_token)
{
  RcrpWindow *window = find_main_window (self);

  if (window == NULL)
    return;

  /* The notification server hands over the right to take the focus. */
  if (activation_token != NULL)
    gtk_window_set_startup_id (GTK_WINDOW (window), activation_token);
  gtk_window_unminimize (GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (window));

  if (call_id != 0)
    rcrp_window_select_call (window, call_id);
}

static void
on_notifier_open_call_cb (RcrpNotifier    *notifier,
                          gint64           call_id,
                          const char      *activation_token,
                          RcrpApplication *self)
{
  open_call (self, call_id, activation_token);
}

static void
on_notifier_claim_call_cb (RcrpNotifier    *notifier,
                           gint64           call_id,
                           RcrpApplication *self)
{
  RcrpWindow *window = find_main_window (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) calls = NULL;
  g_autofree char *text = NULL;

  if (window == NULL)
    return;

  /* Refused claims say who holds the call. */
  if (!rcrp_window_claim_call (window, call_id, &error))
    {
      rcrp_window_add_toast (window, error->message);
      return;
    }

  calls = rcrp_store_get_calls_by_id (rcrp_context_get_store (self->context), &call_id, 1, NULL);
  if (calls != NULL && calls->len == 1)
    /* Translators: %s is a call reference. */
    text = g_strdup_printf (_("You have claimed %s"), rcrp_call_get_cad_ref (g_ptr_array_index (calls, 0)));
  rcrp_window_add_toast (window, text != NULL ? text : _("Call claimed"));
}

static void
on_notifier_show_toast_cb (RcrpNotifier    *notifier,
                           AdwToast        *toast,
                           RcrpApplication *self)
{
  RcrpWindow *window = find_main_window (self);

  if (window != NULL)
    rcrp_window_show_toast (window, toast);
}

static void
on_spool_file_stored_cb (RcrpSpool       *spool,
                         const char      *name,
                         gboolean         accepted,
                         const char      *message,
                         RcrpApplication *self)
{
  /* Said now rather than at the notifier's next look. */
  if (accepted && self->notifier != NULL)
    rcrp_notifier_look_now (self->notifier);
}

static void
start_notifier (RcrpApplication *self)
{
  if (self->context == NULL || self->notifier != NULL)
    return;

  self->notifier = rcrp_notifier_new (self->context, self->settings);
  g_signal_connect_object (self->notifier, "open-call", G_CALLBACK (on_notifier_open_call_cb), self, 0);
  g_signal_connect_object (self->notifier, "claim-call", G_CALLBACK (on_notifier_claim_call_cb), self, 0);
  g_signal_connect_object (self->notifier, "show-toast", G_CALLBACK (on_notifier_show_toast_cb), self, 0);
  if (self->spool != NULL)
    g_signal_connect_object (self->spool, "file-processed", G_CALLBACK (on_spool_file_stored_cb), self, 0);

  rcrp_notifier_start (self->notifier);
}

static void
stop_notifier (RcrpApplication *self)
{
  if (self->notifier != NULL)
    rcrp_notifier_shutdown (self->notifier);
  g_clear_object (&self->notifier);
}

static void
open_call_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  open_call (user_data, g_variant_get_int64 (parameter), NULL);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  RcrpApplication *self = user_data;
  RcrpWindow *window = find_main_window (self);
  GtkWidget *preferences;

  preferences = rcrp_preferences_window_new (window != NULL ? GTK_WINDOW (window) : NULL, self->settings);
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
add_notification_actions (RcrpApplication *self)
{
  static const GActionEntry entries[] = {
    { "open-call", open_call_action, "x" },
    { "preferences", preferences_action },
  };

  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         (const char *[]) { "<Control>comma", NULL });

  if (self->settings != NULL)
    {
      g_autoptr(GAction) do_not_disturb = NULL;

      do_not_disturb = g_settings_create_action (rcrp_settings_get_gsettings (self->settings), "do-not-disturb");
      g_action_map_add_action (G_ACTION_MAP (self), do_not_disturb);
    }
  else
    {
      /* No schema, no settings to change. */
      g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), "preferences")),
                                   FALSE);
    }
}

static void
on_create_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       RcrpApplication  *self)
{
  if (g_str_equal (response, "create"))
    {
      self->create_agreed = TRUE;
      g_application_activate (G_APPLICATION (self));
    }

  g_application_release (G_APPLICATION (self));
}

/* Opening and creating are different acts: a database someone named that
 * is not there (a mistyped path, a share not mounted) is made only when
 * the user says so, never silently, with its folders and its first user
 * as administrator. The default one, which nobody named, is just made.
 * Returns TRUE when it asked, and activation goes on from the answer. */
static gboolean
ask_before_creating (RcrpApplication *self)
{
  g_autofree char *path = NULL;
  AdwMessageDialog *dialog;

  if (self->demo || self->create_agreed)
    return FALSE;

  path = rcrp_context_resolve_database_path (self->database_option);
  if (g_file_test (path, G_FILE_TEST_EXISTS) || rcrp_context_is_default_database_path (path))
    return FALSE;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (NULL, _("No Database There"), NULL));
  adw_message_dialog_format_body (dialog,
                                  _("There is no database at %s. Check the name, or that the disk it is on "
                                    "is there, or make a new, empty one there: you become its administrator."),
                                  path);
  adw_message_dialog_add_responses (dialog, "quit", _("_Quit"), "create", _("_Make New Database"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "create", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "quit");
  adw_message_dialog_set_close_response (dialog, "quit");
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  g_signal_connect (dialog, "response", G_CALLBACK (on_create_response_cb), self);

  g_application_hold (G_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (dialog));

  return TRUE;
}

static void
rcrp_application_activate (GApplication *app)
{
  RcrpApplication *self = RCRP_APPLICATION (app);
  g_autoptr(GError) error = NULL;
  RcrpWindow *window = get_window (self);

  if (window == NULL && self->context == NULL && ask_before_creating (self))
    return;

  if (window == NULL)
    {
      if (self->context == NULL && !open_context (self, &error))
        window = rcrp_window_new_for_error (GTK_APPLICATION (self), self->settings, error->message);
      else
        window = rcrp_window_new (GTK_APPLICATION (self), self->context, self->settings,
                                  self->database_label);

      if (self->spool_problem != NULL)
        rcrp_window_add_toast (window, self->spool_problem);

      start_notifier (self);
    }

  gtk_window_present (GTK_WINDOW (window));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  RcrpApplication *self = user_data;
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "application-name", _("Right Care Coordinator"),
                        "application-icon", APPLICATION_ID,
                        "developer-name", _("The Right Care Coordinator developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("The mental-health deployment coordinator’s workstation "
                                      "under Right Care, Right Person."),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  g_autoptr(GPtrArray) windows = g_ptr_array_new_with_free_func (g_object_unref);

  for (GList *l = gtk_application_get_windows (app); l != NULL; l = l->next)
    g_ptr_array_add (windows, g_object_ref (l->data));

  /* Closed rather than destroyed, so each window keeps its size for next time. */
  for (guint i = 0; i < windows->len; i++)
    gtk_window_close (g_ptr_array_index (windows, i));

  g_application_quit (G_APPLICATION (app));
}

static gboolean
on_unix_signal_cb (gpointer user_data)
{
  /* Quit properly, so the demo's temporary database goes with it. */
  g_action_group_activate_action (G_ACTION_GROUP (user_data), "quit", NULL);

  return G_SOURCE_CONTINUE;
}

static const GActionEntry app_actions[] = {
  { "about", about_action },
  { "quit", quit_action },
};

static void
rcrp_application_startup (GApplication *app)
{
  RcrpApplication *self = RCRP_APPLICATION (app);

  G_APPLICATION_CLASS (rcrp_application_parent_class)->startup (app);

  self->settings = rcrp_settings_new ();

  self->sigint_source = g_unix_signal_add (SIGINT, on_unix_signal_cb, self);
  self->sigterm_source = g_unix_signal_add (SIGTERM, on_unix_signal_cb, self);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
  add_notification_actions (self);

  /* Application-wide keys; window commands set theirs in RcrpWindow. */
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit",
                                         (const char *[]) { "<Control>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-help-overlay",
                                         (const char *[]) { "<Control>question", "<Control><Shift>question", NULL });
}

static gboolean
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            remove_tree (child);
          else
            g_unlink (child);
        }
    }

  return g_rmdir (path) == 0;
}

static void
rcrp_application_shutdown (GApplication *app)
{
  RcrpApplication *self = RCRP_APPLICATION (app);

  g_clear_handle_id (&self->demo_source, g_source_remove);
  g_clear_handle_id (&self->sigint_source, g_source_remove);
  g_clear_handle_id (&self->sigterm_source, g_source_remove);
  if (self->spool != NULL)
    rcrp_spool_stop (self->spool);

  stop_notifier (self);

  G_APPLICATION_CLASS (rcrp_application_parent_class)->shutdown (app);

  g_clear_object (&self->spool);
  g_clear_object (&self->context);

  /* The demo's synthetic data goes with it. */
  if (self->demo_folder != NULL)
    remove_tree (self->demo_folder);
}

static void
rcrp_application_finalize (GObject *object)
{
  RcrpApplication *self = RCRP_APPLICATION (object);

  g_clear_pointer (&self->database_option, g_free);
  g_clear_pointer (&self->spool_option, g_free);
  g_clear_object (&self->settings);
  g_clear_object (&self->spool);
  g_clear_object (&self->context);
  g_clear_object (&self->demo_simulator);
  g_clear_object (&self->notifier);
  g_clear_pointer (&self->database_label, g_free);
  g_clear_pointer (&self->spool_problem, g_free);
  g_clear_pointer (&self->demo_folder, g_free);
  g_clear_pointer (&self->demo_spool, g_free);

  G_OBJECT_CLASS (rcrp_application_parent_class)->finalize (object);
}

static void
rcrp_application_class_init (RcrpApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = rcrp_application_finalize;

  app_class->handle_local_options = rcrp_application_handle_local_options;
  app_class->startup = rcrp_application_startup;
  app_class->activate = rcrp_application_activate;
  app_class->shutdown = rcrp_application_shutdown;
}

static void
rcrp_application_init (RcrpApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("The mental-health coordinator’s workstation: flagged calls, "
                                              "triage and referrals under Right Care, Right Person."));
}

RcrpApplication *
rcrp_application_new (void)
{
  /* Non-unique: each workstation (and each test) runs its own instance,
   * possibly on a different database. */
  return g_object_new (RCRP_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_NON_UNIQUE,
                       "resource-base-path", "/io/github/rcrp/Coordinator",
                       NULL);
}

RcrpNotifier *
rcrp_application_get_notifier (RcrpApplication *self)
{
  g_return_val_if_fail (RCRP_IS_APPLICATION (self), NULL);

  return self->notifier;
}

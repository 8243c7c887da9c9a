/* test-reports-export.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The app's Export dialog and `rcrp export` summarise a shift the same
 * way. After the shift pattern and the officer hours are changed in the
 * settings, the JSON summary of one shift exported through the dialog
 * (the real window, driven as a person would: date, shift, format, where
 * to save, Export) and the one `rcrp export --shift` writes agree in every
 * member but generated_at.
 *
 * The settings live in a key file under XDG folders of the test's own,
 * so the command-line tool run from here reads the same ones. GTK makes
 * the settings backend before any case runs, so the folders are made
 * here rather than by G_TEST_OPTION_ISOLATE_DIRS, which changes them
 * per case.
 */

#include "config.h"

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "rcrp-test-util.h"

#include "rcrp-context.h"
#include "rcrp-feed.h"
#include "rcrp-reports.h"
#include "rcrp-sqlite-store.h"
#include "rcrp-test-decision.h"

#define WAIT_USEC (20 * G_USEC_PER_SEC)

/* The day the clocks go forward: 08:00 BST is 07:00Z, 20:00 BST 19:00Z. */
#define SHIFT_DATE "2026-03-29"

typedef struct
{
  char        *folder;
  char        *path;
  RcrpClock   *clock;
  RcrpStore   *store;
  RcrpContext *context;
} Fixture;

static void
at (Fixture    *fixture,
    const char *iso)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (time);
  rcrp_fixed_clock_set (RCRP_FIXED_CLOCK (fixture->clock), time);
}

static void
add_call (Fixture    *fixture,
          const char *cad_ref,
          const char *received_at,
          const char *category,
          const char *outcome,
          const char *decided_at)
{
  g_autofree char *text = g_strdup_printf ("{\"schema\": \"rcrp.call/1\", \"cad_ref\": \"%s\", \"received_at\": \"%s\", "
                                           "\"category\": \"%s\", \"initial_grade\": 2, "
                                           "\"summary\": \"Caller worried about a neighbour\"}",
                                           cad_ref, received_at, category);
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) calls = rcrp_feed_parse_bytes (bytes, cad_ref, &error);
  g_autoptr(RcrpCall) call = NULL;
  g_autoptr(RcrpDecision) decision = NULL;

  g_assert_no_error (error);
  at (fixture, received_at);
  g_assert_true (rcrp_store_ingest (fixture->store, cad_ref, bytes, calls, NULL, &error));
  g_assert_no_error (error);

  if (outcome == NULL)
    return;

  call = rcrp_store_get_call (fixture->store, cad_ref, &error);
  g_assert_no_error (error);
  decision = rcrp_decision_new (rcrp_call_get_id (call), outcome, outcome);
  rcrp_test_rule_out_police (decision);
  at (fixture, decided_at);
  g_assert_cmpint (rcrp_store_record_decision (fixture->store, decision, &error), >, 0);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 (SHIFT_DATE "T12:00:00Z", NULL);
  g_autofree char *user = rcrp_context_dup_os_user ();

  fixture->folder = g_dir_make_tmp ("rcrp-reports-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->folder, "shift.db", NULL);
  fixture->clock = rcrp_fixed_clock_new (now);
  fixture->store = rcrp_sqlite_store_open (fixture->path, fixture->clock, user, "ws-1", &error);
  g_assert_no_error (error);

  /* In the 07:00–19:00 day shift only, in both, and in 08:00–20:00 only. */
  add_call (fixture, "EARLY", SHIFT_DATE "T06:30:00Z", "concern_for_welfare", "signposted", SHIFT_DATE "T06:40:00Z");
  add_call (fixture, "MIDDAY", SHIFT_DATE "T11:00:00Z", "concern_for_welfare", "signposted", SHIFT_DATE "T11:05:00Z");
  add_call (fixture, "LATE", SHIFT_DATE "T18:30:00Z", "medical_incident", "no_further_action",
            SHIFT_DATE "T18:50:00Z");
  fixture->context = rcrp_context_new (fixture->store, fixture->clock, user, "Test User", "ws-1");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_clear_object (&fixture->context);
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->clock);
  rcrp_test_remove_tree (fixture->folder);
  g_clear_pointer (&fixture->path, g_free);
  g_clear_pointer (&fixture->folder, g_free);
}

/* Widgets, found as a person finds them: by what they say. */

typedef gboolean (*WidgetPredicate) (GtkWidget  *widget,
                                     const char *text);

static GtkWidget *
find_widget (GtkWidget       *root,
             WidgetPredicate  predicate,
             const char      *text)
{
  if (predicate (root, text))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, predicate, text);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static char *
without_mnemonics (const char *label)
{
  g_autoptr(GString) text = g_string_new (label);

  g_string_replace (text, "_", "", 0);

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static gboolean
is_button_labelled (GtkWidget  *widget,
                    const char *text)
{
  g_autofree char *label = NULL;

  if (!GTK_IS_BUTTON (widget) || gtk_button_get_label (GTK_BUTTON (widget)) == NULL)
    return FALSE;

  label = without_mnemonics (gtk_button_get_label (GTK_BUTTON (widget)));

  return g_str_equal (label, text);
}

static gboolean
is_combo_row_titled (GtkWidget  *widget,
                     const char *text)
{
  return ADW_IS_COMBO_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), text) == 0;
}

static gboolean
is_entry (GtkWidget  *widget,
          const char *text)
{
  return GTK_IS_ENTRY (widget);
}

static gboolean
is_label_starting (GtkWidget  *widget,
                   const char *text)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget) &&
         g_str_has_prefix (gtk_label_get_text (GTK_LABEL (widget)), text);
}

typedef gboolean (*WindowPredicate) (GtkWindow *window);

static gboolean
is_export_window (GtkWindow *window)
{
  return g_strcmp0 (gtk_window_get_title (window), "Export a Shift Summary") == 0;
}

static gboolean
is_file_chooser (GtkWindow *window)
{
  return GTK_IS_FILE_CHOOSER_DIALOG (window);
}

static GtkWindow *
wait_for_window (WindowPredicate  predicate,
                 const char      *what)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_USEC;

  while (g_get_monotonic_time () < deadline)
    {
      GListModel *toplevels = gtk_window_get_toplevels ();

      for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
        {
          g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

          if (gtk_widget_get_visible (GTK_WIDGET (window)) && predicate (window))
            return window;
        }

      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }

  g_error ("%s never opened", what);
  return NULL;
}

/* A second of the main loop, for work the widgets do on idle. */
static void
settle (void)
{
  gint64 deadline = g_get_monotonic_time () + G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
}

static void
dump_labels (GtkWidget *root)
{
  if (GTK_IS_LABEL (root) && *gtk_label_get_text (GTK_LABEL (root)) != '\0')
    g_printerr ("  label: %s\n", gtk_label_get_text (GTK_LABEL (root)));

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    dump_labels (child);
}

static GtkWidget *
wait_for_label (GtkWidget  *root,
                const char *prefix)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_USEC;
  GtkWidget *label;

  while ((label = find_widget (root, is_label_starting, prefix)) == NULL && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }

  if (label == NULL)
    {
      dump_labels (root);
      g_error ("No “%s…” in the export dialog", prefix);
    }

  return label;
}

/* Exports the day shift of SHIFT_DATE as JSON to @path through the
 * dialog the window's Export action opens. */
static void
export_through_dialog (Fixture    *fixture,
                       const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) folder = g_file_get_parent (file);
  g_autofree char *name = g_file_get_basename (file);
  g_autoptr(GError) error = NULL;
  GtkWindow *window, *chooser;
  GtkWidget *entry, *shift, *format, *choose, *export, *accept;

  rcrp_reports_show_export (NULL, fixture->context);
  window = wait_for_window (is_export_window, "The export dialog");

  entry = find_widget (GTK_WIDGET (window), is_entry, NULL);
  shift = find_widget (GTK_WIDGET (window), is_combo_row_titled, "Shift");
  format = find_widget (GTK_WIDGET (window), is_combo_row_titled, "Format");
  choose = find_widget (GTK_WIDGET (window), is_button_labelled, "Choose…");
  export = find_widget (GTK_WIDGET (window), is_button_labelled, "Export");
  g_assert_nonnull (entry);
  g_assert_nonnull (shift);
  g_assert_nonnull (format);
  g_assert_nonnull (choose);
  g_assert_nonnull (export);

  gtk_editable_set_text (GTK_EDITABLE (entry), SHIFT_DATE);
  adw_combo_row_set_selected (ADW_COMBO_ROW (shift), 0);   /* Day */
  adw_combo_row_set_selected (ADW_COMBO_ROW (format), 0);  /* JSON */

  g_signal_emit_by_name (choose, "clicked");
  chooser = wait_for_window (is_file_chooser, "The file chooser");
  /* The chooser loads its first folder and fills in the name after it
   * opens; what is set before then is overwritten. */
  settle ();
  g_assert_true (gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, &error));
  g_assert_no_error (error);
  settle ();
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  accept = gtk_dialog_get_widget_for_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  g_assert_nonnull (accept);
  g_signal_emit_by_name (accept, "clicked");
  wait_for_label (GTK_WIDGET (window), path);

  g_signal_emit_by_name (export, "clicked");
  wait_for_label (GTK_WIDGET (window), "Written to");

  gtk_window_destroy (window);
}

G_GNUC_NULL_TERMINATED static void
run_cli (RcrpTestResult *result,
         const char     *first,
         ...)
{
  va_list args;

  va_start (args, first);
  rcrp_test_run_cli_valist (result, NULL, NULL, first, args);
  va_end (args);
}

static void
export_through_cli (Fixture    *fixture,
                    const char *path)
{
  RcrpTestResult result = { 0, };

  run_cli (&result, "export", "--shift", SHIFT_DATE "/day", "--format", "json",
                     "--output", path, "--database", fixture->path, NULL);
  if (result.status != 0)
    g_printerr ("%s", result.err);
  g_assert_cmpint (result.status, ==, 0);
  rcrp_test_result_clear (&result);
}

/* The summary as text, without the one member that says when it was made. */
static char *
read_summary (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *summary;

  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  summary = json_node_get_object (json_parser_get_root (parser));
  g_assert_true (json_object_has_member (summary, "generated_at"));
  json_object_remove_member (summary, "generated_at");

  return json_to_string (json_parser_get_root (parser), TRUE);
}

/* The force moves its shifts an hour later and says what a welfare
 * deployment costs it. */
static void
move_shifts_an_hour_later (GSettings *settings)
{
  g_assert_true (g_settings_set_string (settings, "shift-day-start", "08:00"));
  g_assert_true (g_settings_set_string (settings, "shift-night-start", "20:00"));
  g_assert_true (g_settings_set_string (settings, "officer-hours", "concern_for_welfare=4"));
  g_settings_sync ();
}

static void
test_gui_and_cli_agree_after_the_shift_changes (Fixture       *fixture,
                                                gconstpointer  user_data)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autofree char *gui_path = g_build_filename (fixture->folder, "gui.json", NULL);
  g_autofree char *cli_path = g_build_filename (fixture->folder, "cli.json", NULL);
  g_autofree char *gui = NULL;
  g_autofree char *cli = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *summary;

  move_shifts_an_hour_later (settings);

  export_through_cli (fixture, cli_path);
  export_through_dialog (fixture, gui_path);

  /* The command line took the new pattern, so the comparison means
   * something. */
  g_assert_true (json_parser_load_from_file (parser, cli_path, NULL));
  summary = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (summary, "from"), ==, SHIFT_DATE "T07:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (summary, "to"), ==, SHIFT_DATE "T19:00:00Z");
  g_assert_cmpint (json_object_get_int_member (summary, "calls"), ==, 2);
  g_assert_cmpfloat (json_object_get_double_member (summary, "officer_hours_released"), ==, 4.0 + 2.5);

  gui = read_summary (gui_path);
  cli = read_summary (cli_path);
  g_assert_cmpstr (gui, ==, cli);
}

/* The dialog offers the shift on now by the force's pattern, and says
 * its hours: at 07:30 BST, with shifts from 08:00, that is still the
 * night before. */
static void
test_dialog_offers_the_shift_on_now (Fixture       *fixture,
                                     gconstpointer  user_data)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  GtkWindow *window;
  GtkWidget *entry, *shift;
  GListModel *shifts;

  move_shifts_an_hour_later (settings);
  at (fixture, SHIFT_DATE "T06:30:00Z");

  rcrp_reports_show_export (NULL, fixture->context);
  window = wait_for_window (is_export_window, "The export dialog");
  entry = find_widget (GTK_WIDGET (window), is_entry, NULL);
  shift = find_widget (GTK_WIDGET (window), is_combo_row_titled, "Shift");
  g_assert_nonnull (entry);
  g_assert_nonnull (shift);
  shifts = adw_combo_row_get_model (ADW_COMBO_ROW (shift));

  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "2026-03-28");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (shift)), ==, 1);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (shifts), 0), ==, "Day (08:00–20:00)");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (shifts), 1), ==, "Night (20:00–08:00)");

  gtk_window_destroy (window);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) schema_dirs = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *schema_path = NULL;
  g_autofree char *home = g_dir_make_tmp ("rcrp-reports-home-XXXXXX", NULL);
  static const char * const xdg[] = { "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME" };
  int status;

  /* The file chooser's own settings are in the system's schemas, which
   * the isolated data folders would hide. */
  if (g_getenv ("GSETTINGS_SCHEMA_DIR") != NULL)
    g_ptr_array_add (schema_dirs, g_strdup (g_getenv ("GSETTINGS_SCHEMA_DIR")));
  for (const char * const *dir = g_get_system_data_dirs (); *dir != NULL; dir++)
    g_ptr_array_add (schema_dirs, g_build_filename (*dir, "glib-2.0", "schemas", NULL));
  g_ptr_array_add (schema_dirs, NULL);
  schema_path = g_strjoinv (G_SEARCHPATH_SEPARATOR_S, (char **) schema_dirs->pdata);
  g_setenv ("GSETTINGS_SCHEMA_DIR", schema_path, TRUE);

  g_assert_nonnull (home);
  for (guint i = 0; i < G_N_ELEMENTS (xdg); i++)
    {
      g_autofree char *dir = g_build_filename (home, xdg[i], NULL);

      g_setenv (xdg[i], dir, TRUE);
    }

  /* Settings both this process and the rcrp tool read. */
  g_setenv ("GSETTINGS_BACKEND", "keyfile", TRUE);
  g_setenv ("RCRP_TIME_ZONE", "Europe/London", TRUE);
  /* GTK's own file chooser, in this process, not a portal's. */
  g_setenv ("GTK_USE_PORTAL", "0", TRUE);
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add ("/reports/export/gui-and-cli-agree-after-the-shift-changes", Fixture, NULL,
              fixture_set_up, test_gui_and_cli_agree_after_the_shift_changes, fixture_tear_down);
  g_test_add ("/reports/export/dialog-offers-the-shift-on-now", Fixture, NULL,
              fixture_set_up, test_dialog_offers_the_shift_on_now, fixture_tear_down);

  status = g_test_run ();
  rcrp_test_remove_tree (home);

  return status;
}

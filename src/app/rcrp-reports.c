/* rcrp-reports.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The windows for managers and the support function: exporting a shift
 * summary, the handover page, and the list of disputes.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "rcrp-accessible.h"
#include "rcrp-checkpoint.h"
#include "rcrp-reports.h"
#include "rcrp-summary.h"

/* Escape closes, as in any dialog. */
static void
close_on_escape (GtkWidget *window)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                          gtk_named_action_new ("window.close")));
  gtk_widget_add_controller (window, controller);
}

/* Export */

static void
on_status_changed_cb (GtkLabel *label)
{
  gtk_widget_set_visible (GTK_WIDGET (label), *gtk_label_get_label (label) != '\0');
}

typedef struct
{
  RcrpContext     *context;
  GtkWindow       *window;
  GtkEntry        *date_entry;
  AdwComboRow     *shift_row;
  AdwComboRow     *format_row;
  AdwActionRow    *destination_row;
  GtkSwitch       *personal_switch;
  GtkButton       *export_button;
  GtkButton       *cancel_button;
  GtkProgressBar  *progress;
  GtkLabel        *status_label;
  GFile           *destination;
  GCancellable    *cancellable;
  guint            pulse_source;
} ExportDialog;

typedef struct
{
  RcrpStore          *store;
  RcrpSummaryOptions  options;
  RcrpSummaryFormat   format;
  char               *path;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  g_clear_object (&job->store);
  rcrp_summary_options_clear (&job->options);
  g_free (job->path);
  g_free (job);
}

static void
export_dialog_free (ExportDialog *dialog)
{
  g_clear_handle_id (&dialog->pulse_source, g_source_remove);
  g_cancellable_cancel (dialog->cancellable);
  g_clear_object (&dialog->cancellable);
  g_clear_object (&dialog->destination);
  g_clear_object (&dialog->context);
  g_free (dialog);
}

/* What was exported or handed over came from the log as it is now: say
 * so outside it (the journal; the signed trail when this user has a key,
 * which is the force's choice, so its absence is not an error). */
static void
record_checkpoint (RcrpStore  *store,
                   const char *reason)
{
  g_autoptr(GError) error = NULL;

  if (!rcrp_checkpoint_record (store, reason, NULL, NULL, NULL, &error) &&
      !g_error_matches (error, RCRP_CHECKPOINT_ERROR, RCRP_CHECKPOINT_ERROR_NO_KEY))
    g_message ("The audit checkpoint was not written: %s", error->message);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportJob *job = task_data;
  g_autoptr(GError) error = NULL;

  if (!rcrp_summary_export (job->store, &job->options, job->format, job->path, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  record_checkpoint (job->store, "export");
  g_task_return_boolean (task, TRUE);
}

static gboolean
pulse_cb (gpointer user_data)
{
  ExportDialog *dialog = user_data;

  gtk_progress_bar_pulse (dialog->progress);

  return G_SOURCE_CONTINUE;
}

static void
set_busy (ExportDialog *dialog,
          gboolean      busy)
{
  gtk_widget_set_sensitive (GTK_WIDGET (dialog->export_button), !busy);
  gtk_widget_set_visible (GTK_WIDGET (dialog->progress), busy);
  gtk_widget_set_visible (GTK_WIDGET (dialog->cancel_button), busy);
  g_clear_handle_id (&dialog->pulse_source, g_source_remove);
  if (busy)
    dialog->pulse_source = g_timeout_add (120, pulse_cb, dialog);
}

static void
on_export_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ExportDialog *dialog = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_text (dialog->status_label, _("Cancelled; nothing was written."));
      else
        gtk_label_set_text (dialog->status_label, error->message);
      set_busy (dialog, FALSE);
      return;
    }

  set_busy (dialog, FALSE);
  {
    g_autofree char *path = g_file_get_path (dialog->destination);
    g_autofree char *message = g_strdup_printf (_("Written to %s (owner and group only), and recorded in the audit log."),
                                                path);

    gtk_label_set_text (dialog->status_label, message);
  }
  gtk_button_set_label (dialog->export_button, _("_Open the Report"));
  rcrp_accessible_strip_mnemonics (GTK_WIDGET (dialog->export_button));
  g_object_set_data (G_OBJECT (dialog->export_button), "done", GINT_TO_POINTER (TRUE));
}

static void
on_export_clicked_cb (GtkButton    *button,
                      ExportDialog *dialog)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  g_autofree char *shift = NULL;
  ExportJob *job;

  if (g_object_get_data (G_OBJECT (button), "done") != NULL)
    {
      g_autofree char *uri = g_file_get_uri (dialog->destination);

      g_app_info_launch_default_for_uri (uri, NULL, &error);
      if (error != NULL)
        gtk_label_set_text (dialog->status_label, error->message);
      return;
    }

  if (dialog->destination == NULL)
    {
      gtk_label_set_text (dialog->status_label, _("Choose where to save the report."));
      return;
    }

  /* The shift and the figures as `rcrp export` works them out: from the
   * context, not from anything this window knows. */
  job = g_new0 (ExportJob, 1);
  shift = g_strdup_printf ("%s/%s", gtk_editable_get_text (GTK_EDITABLE (dialog->date_entry)),
                           adw_combo_row_get_selected (dialog->shift_row) == 0 ? "day" : "night");
  if (!rcrp_context_init_summary_options (dialog->context, &job->options, &error) ||
      !rcrp_context_resolve_shift (dialog->context, shift, &job->options.from, &job->options.to, &error))
    {
      gtk_label_set_text (dialog->status_label, error->message);
      export_job_free (job);
      return;
    }

  job->store = g_object_ref (rcrp_context_get_store (dialog->context));
  job->format = adw_combo_row_get_selected (dialog->format_row);
  job->options.include_personal = gtk_switch_get_active (dialog->personal_switch);
  job->path = g_file_get_path (dialog->destination);

  if (job->options.include_personal && job->format != RCRP_SUMMARY_FORMAT_CSV)
    {
      gtk_label_set_text (dialog->status_label, _("Personal data goes only in the per-call CSV."));
      export_job_free (job);
      return;
    }

  g_clear_object (&dialog->cancellable);
  dialog->cancellable = g_cancellable_new ();
  gtk_label_set_text (dialog->status_label, _("Summarising…"));
  set_busy (dialog, TRUE);

  /* Off the main thread: a month of calls must not freeze the window. */
  task = g_task_new (NULL, dialog->cancellable, on_export_done_cb, dialog);
  g_task_set_task_data (task, job, (GDestroyNotify) export_job_free);
  g_task_run_in_thread (task, export_thread);
}

static void
on_cancel_clicked_cb (GtkButton    *button,
                      ExportDialog *dialog)
{
  g_cancellable_cancel (dialog->cancellable);
}

static void
on_chooser_response_cb (GtkNativeDialog *chooser,
                        int              response,
                        ExportDialog    *dialog)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autofree char *path = NULL;

      g_clear_object (&dialog->destination);
      dialog->destination = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      path = g_file_get_path (dialog->destination);
      adw_action_row_set_subtitle (dialog->destination_row, path);
      gtk_button_set_label (dialog->export_button, _("_Export"));
      rcrp_accessible_strip_mnemonics (GTK_WIDGET (dialog->export_button));
      g_object_set_data (G_OBJECT (dialog->export_button), "done", NULL);
    }

  g_object_unref (chooser);
}

static void
on_choose_clicked_cb (GtkButton    *button,
                      ExportDialog *dialog)
{
  static const char * const extensions[] = { "json", "csv", "pdf" };
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;

  chooser = gtk_file_chooser_native_new (_("Save the Shift Summary"), dialog->window, GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Save"), _("_Cancel"));
  name = g_strdup_printf ("shift-summary-%s-%s.%s", gtk_editable_get_text (GTK_EDITABLE (dialog->date_entry)),
                          adw_combo_row_get_selected (dialog->shift_row) == 0 ? "day" : "night",
                          extensions[MIN (adw_combo_row_get_selected (dialog->format_row), 2)]);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response_cb), dialog);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
rcrp_reports_show_export (GtkWindow   *parent,
                          RcrpContext *context)
{
  static const char * const formats[] = { N_("JSON (for systems)"), N_("CSV (one row per call)"), N_("PDF (printable report)"), NULL };
  ExportDialog *dialog = g_new0 (ExportDialog, 1);
  RcrpSettings *settings = rcrp_context_get_settings (context);
  const char *day_start = rcrp_settings_get_shift_day_start (settings);
  const char *night_start = rcrp_settings_get_shift_night_start (settings);
  g_autofree char *current = rcrp_context_dup_shift_at (context, NULL);
  g_autoptr(GDateTime) now = rcrp_context_now (context);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (now, rcrp_context_get_time_zone (context));
  g_autofree char *date = NULL;
  gboolean night = FALSE;
  g_autoptr(GtkStringList) shift_model = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) format_model = gtk_string_list_new (NULL);
  GtkWidget *window, *toolbar, *header, *page, *group, *box, *buttons, *choose;
  gboolean may_personal = rcrp_role_can (rcrp_store_get_role (rcrp_context_get_store (context), NULL),
                                         RCRP_PERMISSION_EXPORT_PERSONAL);

  /* The shift on now, by the force's pattern; today's day shift if the
   * settings give no pattern, which Export then explains. */
  if (current != NULL)
    {
      night = g_str_has_suffix (current, "/night");
      date = g_strndup (current, strlen ("YYYY-MM-DD"));
    }
  else
    date = g_date_time_format (local, "%Y-%m-%d");

  {
    /* Translators: the day shift and its hours, as in "Day (07:00–19:00)". */
    g_autofree char *day = g_strdup_printf (_("Day (%s–%s)"), day_start, night_start);
    /* Translators: the night shift and its hours, as in "Night (19:00–07:00)". */
    g_autofree char *nights = g_strdup_printf (_("Night (%s–%s)"), night_start, day_start);

    gtk_string_list_append (shift_model, day);
    gtk_string_list_append (shift_model, nights);
  }
  for (guint i = 0; formats[i] != NULL; i++)
    gtk_string_list_append (format_model, _(formats[i]));

  dialog->context = g_object_ref (context);

  window = adw_window_new ();
  dialog->window = GTK_WINDOW (window);
  gtk_window_set_title (GTK_WINDOW (window), _("Export a Shift Summary"));
  gtk_window_set_transient_for (GTK_WINDOW (window), parent);
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (window), 520, -1);
  g_object_set_data_full (G_OBJECT (window), "export-dialog", dialog, (GDestroyNotify) export_dialog_free);
  close_on_escape (window);

  toolbar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  gtk_box_append (GTK_BOX (toolbar), header);

  page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_top (page, 12);
  gtk_widget_set_margin_bottom (page, 18);
  gtk_widget_set_margin_start (page, 18);
  gtk_widget_set_margin_end (page, 18);

  group = adw_preferences_group_new ();
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Every call received in the shift. No names, phone numbers or addresses "
                                           "unless a manager asks for them; every export is recorded."));

  /* HACK: GtkEntry, not AdwEntryRow: libadwaita 1.2's entry row never
   * reports its focus over AT-SPI. */
  {
    GtkWidget *row = adw_action_row_new ();

    dialog->date_entry = GTK_ENTRY (gtk_entry_new ());
    gtk_widget_set_valign (GTK_WIDGET (dialog->date_entry), GTK_ALIGN_CENTER);
    gtk_editable_set_text (GTK_EDITABLE (dialog->date_entry), date);
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Shift date (YYYY-MM-DD)"));
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), GTK_WIDGET (dialog->date_entry));
    adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), GTK_WIDGET (dialog->date_entry));
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  }

  dialog->shift_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (dialog->shift_row), _("Shift"));
  adw_combo_row_set_model (dialog->shift_row, G_LIST_MODEL (shift_model));
  adw_combo_row_set_selected (dialog->shift_row, night ? 1 : 0);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (dialog->shift_row));

  dialog->format_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (dialog->format_row), _("Format"));
  adw_combo_row_set_model (dialog->format_row, G_LIST_MODEL (format_model));
  adw_combo_row_set_selected (dialog->format_row, RCRP_SUMMARY_FORMAT_PDF);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (dialog->format_row));

  dialog->destination_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (dialog->destination_row), _("Save to"));
  adw_action_row_set_subtitle (dialog->destination_row, _("Not chosen yet"));
  choose = gtk_button_new_with_mnemonic (_("_Choose…"));
  gtk_widget_set_valign (choose, GTK_ALIGN_CENTER);
  rcrp_accessible_name_once (choose, _("Choose where to save"));
  g_signal_connect (choose, "clicked", G_CALLBACK (on_choose_clicked_cb), dialog);
  adw_action_row_add_suffix (dialog->destination_row, choose);
  adw_action_row_set_activatable_widget (dialog->destination_row, choose);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (dialog->destination_row));

  {
    GtkWidget *row = adw_action_row_new ();

    dialog->personal_switch = GTK_SWITCH (gtk_switch_new ());
    gtk_widget_set_valign (GTK_WIDGET (dialog->personal_switch), GTK_ALIGN_CENTER);
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Include personal data (CSV, managers only)"));
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), GTK_WIDGET (dialog->personal_switch));
    adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), GTK_WIDGET (dialog->personal_switch));
    gtk_accessible_update_property (GTK_ACCESSIBLE (dialog->personal_switch), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    _("Include personal data"), -1);
    gtk_widget_set_sensitive (row, may_personal);
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  }

  gtk_box_append (GTK_BOX (page), group);

  dialog->progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_widget_set_visible (GTK_WIDGET (dialog->progress), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (dialog->progress), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Export progress"), -1);
  gtk_box_append (GTK_BOX (page), GTK_WIDGET (dialog->progress));

  dialog->status_label = GTK_LABEL (gtk_label_new (NULL));
  /* Empty, it would be a Tab stop that says nothing. */
  gtk_widget_set_visible (GTK_WIDGET (dialog->status_label), FALSE);
  g_signal_connect (dialog->status_label, "notify::label", G_CALLBACK (on_status_changed_cb), NULL);
  gtk_label_set_wrap (dialog->status_label, TRUE);
  gtk_label_set_xalign (dialog->status_label, 0);
  gtk_label_set_selectable (dialog->status_label, TRUE);
  gtk_box_append (GTK_BOX (page), GTK_WIDGET (dialog->status_label));

  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  dialog->cancel_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Cancel Export")));
  gtk_widget_set_visible (GTK_WIDGET (dialog->cancel_button), FALSE);
  g_signal_connect (dialog->cancel_button, "clicked", G_CALLBACK (on_cancel_clicked_cb), dialog);
  dialog->export_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Export")));
  gtk_widget_add_css_class (GTK_WIDGET (dialog->export_button), "suggested-action");
  g_signal_connect (dialog->export_button, "clicked", G_CALLBACK (on_export_clicked_cb), dialog);
  gtk_box_append (GTK_BOX (buttons), GTK_WIDGET (dialog->cancel_button));
  gtk_box_append (GTK_BOX (buttons), GTK_WIDGET (dialog->export_button));
  gtk_box_append (GTK_BOX (page), buttons);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (box), toolbar);
  gtk_box_append (GTK_BOX (box), page);
  adw_window_set_content (ADW_WINDOW (window), box);

  rcrp_accessible_strip_mnemonics (window);
  rcrp_accessible_name_combo_row (dialog->shift_row);
  rcrp_accessible_name_combo_row (dialog->format_row);
  gtk_window_present (GTK_WINDOW (window));
}

/* Handover */

static void
on_handover_saved_cb (GtkNativeDialog *chooser,
                      int              response,
                      gpointer         user_data)
{
  GtkLabel *status = user_data;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      const char *text = g_object_get_data (G_OBJECT (status), "text");

      if (rcrp_pdf_write_text (_("Shift handover"), text, path, &error))
        {
          g_autofree char *message = g_strdup_printf (_("Saved %s"), path);

          gtk_label_set_text (status, message);
        }
      else
        gtk_label_set_text (status, error->message);
    }

  g_object_unref (chooser);
}

static void
on_handover_pdf_clicked_cb (GtkButton *button,
                            GtkLabel  *status)
{
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Save the Handover"), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (button))),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "handover.pdf");
  g_signal_connect (chooser, "response", G_CALLBACK (on_handover_saved_cb), status);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static GtkWidget *
text_window (GtkWindow  *parent,
             const char *title,
             GtkWidget  *top,
             GtkWidget  *content)
{
  GtkWidget *window = adw_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *scroller = gtk_scrolled_window_new ();

  gtk_window_set_title (GTK_WINDOW (window), title);
  gtk_window_set_transient_for (GTK_WINDOW (window), parent);
  gtk_window_set_default_size (GTK_WINDOW (window), 760, 640);
  close_on_escape (window);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  if (top != NULL)
    gtk_box_append (GTK_BOX (box), top);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), content);
  gtk_box_append (GTK_BOX (box), scroller);
  adw_window_set_content (ADW_WINDOW (window), box);

  return window;
}

void
rcrp_reports_show_handover (GtkWindow   *parent,
                            RcrpContext *context)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = rcrp_clock_now (rcrp_context_get_clock (context));
  g_autofree char *text = rcrp_handover_text (rcrp_context_get_store (context), now,
                                              rcrp_context_get_time_zone (context), &error);
  GtkWidget *label, *bar, *status, *save, *window;

  if (text != NULL)
    record_checkpoint (rcrp_context_get_store (context), "handover");

  label = gtk_label_new (text != NULL ? text : error->message);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_yalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "monospace");
  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_bottom (label, 12);
  gtk_widget_set_margin_start (label, 18);
  gtk_widget_set_margin_end (label, 18);
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Handover"), -1);

  bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_margin_top (bar, 6);
  gtk_widget_set_margin_start (bar, 18);
  gtk_widget_set_margin_end (bar, 18);
  status = gtk_label_new (_("What the next shift inherits, as of now. Calls are named by reference only."));
  gtk_label_set_xalign (GTK_LABEL (status), 0);
  gtk_label_set_wrap (GTK_LABEL (status), TRUE);
  gtk_widget_set_hexpand (status, TRUE);
  g_object_set_data_full (G_OBJECT (status), "text", g_strdup (text != NULL ? text : ""), g_free);
  save = gtk_button_new_with_mnemonic (_("Save as _PDF…"));
  g_signal_connect (save, "clicked", G_CALLBACK (on_handover_pdf_clicked_cb), status);
  gtk_box_append (GTK_BOX (bar), status);
  gtk_box_append (GTK_BOX (bar), save);

  window = text_window (parent, _("Shift Handover"), bar, label);
  gtk_window_present (GTK_WINDOW (window));
}

/* Disputes */

typedef struct
{
  RcrpContext *context;
  GtkListBox  *list;
  AdwComboRow *state_row;
  AdwComboRow *kind_row;
} DisputesView;

static void
disputes_view_free (DisputesView *view)
{
  g_clear_object (&view->context);
  g_free (view);
}

static void
fill_disputes (DisputesView *view)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) disputes = NULL;
  guint state = adw_combo_row_get_selected (view->state_row);
  guint kind = adw_combo_row_get_selected (view->kind_row);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (view->list))) != NULL)
    gtk_list_box_remove (view->list, child);

  /* Position 0 of each filter is "any". */
  disputes = rcrp_store_list_disputes (rcrp_context_get_store (view->context),
                                       state == 0 ? -1 : (int) state - 1, kind == 0 ? -1 : (int) kind - 1, &error);
  if (disputes == NULL)
    {
      gtk_list_box_append (view->list, gtk_label_new (error->message));
      return;
    }

  for (guint i = 0; i < disputes->len; i++)
    {
      RcrpDispute *d = g_ptr_array_index (disputes, i);
      GtkWidget *row = adw_action_row_new ();
      g_autoptr(GDateTime) opened = g_date_time_to_timezone (d->opened_at, rcrp_context_get_time_zone (view->context));
      g_autofree char *when = g_date_time_format (opened, "%Y-%m-%d %H:%M");
      g_autofree char *calls = g_strjoinv (", ", d->cad_refs);
      g_autofree char *title = g_strdup_printf ("%s · %s · %s · %s", d->reference, rcrp_dispute_kind_to_string (d->kind),
                                                rcrp_dispute_state_get_label (d->state), d->raised_by);
      g_autofree char *subtitle = g_strdup_printf ("%s%s%s%s%s\n%s", d->summary, *calls ? _(" — calls: ") : "", calls,
                                                   d->learning != NULL ? _(" — learning: ") : "",
                                                   d->learning != NULL ? d->learning : "", when);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_append (view->list, row);
    }

  if (disputes->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No disputes match"));
      gtk_list_box_append (view->list, row);
    }
}

void
rcrp_reports_show_disputes (GtkWindow   *parent,
                            RcrpContext *context)
{
  static const char * const states[] = { N_("Any state"), N_("Open"), N_("Under review"), N_("Closed"), NULL };
  static const char * const kinds[] = { N_("Any kind"), N_("Dispute"), N_("Trend"), N_("Risk"), N_("Query"), NULL };
  DisputesView *view = g_new0 (DisputesView, 1);
  g_autoptr(GtkStringList) state_model = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) kind_model = gtk_string_list_new (NULL);
  GtkWidget *filters, *content, *window, *clamp;

  for (guint i = 0; states[i] != NULL; i++)
    gtk_string_list_append (state_model, _(states[i]));
  for (guint i = 0; kinds[i] != NULL; i++)
    gtk_string_list_append (kind_model, _(kinds[i]));

  view->context = g_object_ref (context);

  filters = adw_preferences_group_new ();
  gtk_widget_set_margin_top (filters, 12);
  gtk_widget_set_margin_start (filters, 18);
  gtk_widget_set_margin_end (filters, 18);
  view->state_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (view->state_row), _("State"));
  adw_combo_row_set_model (view->state_row, G_LIST_MODEL (state_model));
  adw_combo_row_set_selected (view->state_row, 1);
  view->kind_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (view->kind_row), _("Kind"));
  adw_combo_row_set_model (view->kind_row, G_LIST_MODEL (kind_model));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (filters), GTK_WIDGET (view->state_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (filters), GTK_WIDGET (view->kind_row));

  view->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (view->list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (view->list), "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (view->list), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Disputes"), -1);
  clamp = adw_clamp_new ();
  adw_clamp_set_child (ADW_CLAMP (clamp), GTK_WIDGET (view->list));
  gtk_widget_set_margin_top (clamp, 12);
  gtk_widget_set_margin_bottom (clamp, 18);
  gtk_widget_set_margin_start (clamp, 18);
  gtk_widget_set_margin_end (clamp, 18);
  content = clamp;

  g_signal_connect_swapped (view->state_row, "notify::selected", G_CALLBACK (fill_disputes), view);
  g_signal_connect_swapped (view->kind_row, "notify::selected", G_CALLBACK (fill_disputes), view);
  fill_disputes (view);

  window = text_window (parent, _("Disputes, Trends, Risks and Queries"), filters, content);
  g_object_set_data_full (G_OBJECT (window), "disputes-view", view, (GDestroyNotify) disputes_view_free);
  gtk_window_present (GTK_WINDOW (window));
}

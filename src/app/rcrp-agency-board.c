/* rcrp-agency-board.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "rcrp-accessible.h"
#include "rcrp-agency-board.h"

struct _RcrpAgencyBoard
{
  GtkWidget       parent_instance;

  RcrpContext    *context;
  GPtrArray      *agencies;       /* as last read */
  RcrpCall       *call;
  char          **recommended;
  int             stale_minutes;
  guint           open_popovers;  /* no redraw under an open popover */
  gboolean        refresh_pending;

  GtkListBox     *list;
  GtkLabel       *summary_label;
  GtkLabel       *error_label;
  GtkCheckButton *for_call_check;
};

G_DEFINE_FINAL_TYPE (RcrpAgencyBoard, rcrp_agency_board, GTK_TYPE_WIDGET)

static const RcrpAgencyStatus settable[] = {
  RCRP_AGENCY_STATUS_AVAILABLE,
  RCRP_AGENCY_STATUS_LIMITED,
  RCRP_AGENCY_STATUS_AT_CAPACITY,
  RCRP_AGENCY_STATUS_CLOSED,
};

static void redraw (RcrpAgencyBoard *self);

static char *
format_age (GDateTime *then,
            GDateTime *now)
{
  GTimeSpan span = g_date_time_difference (now, then);

  if (span < G_TIME_SPAN_MINUTE)
    return g_strdup (_("just now"));
  if (span < G_TIME_SPAN_HOUR)
    return g_strdup_printf (ngettext ("%d minute ago", "%d minutes ago", (int) (span / G_TIME_SPAN_MINUTE)),
                            (int) (span / G_TIME_SPAN_MINUTE));
  if (span < G_TIME_SPAN_DAY)
    return g_strdup_printf (ngettext ("%d hour ago", "%d hours ago", (int) (span / G_TIME_SPAN_HOUR)),
                            (int) (span / G_TIME_SPAN_HOUR));
  return g_strdup_printf (ngettext ("%d day ago", "%d days ago", (int) (span / G_TIME_SPAN_DAY)),
                          (int) (span / G_TIME_SPAN_DAY));
}

static GtkWidget *
line_label (const char *text,
            const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);

  return label;
}

/* The spin buttons say "—" for "not known" (-1). */
static gboolean
on_spin_output_cb (GtkSpinButton *spin)
{
  int value = gtk_spin_button_get_value_as_int (spin);

  if (value >= 0)
    return FALSE;

  gtk_editable_set_text (GTK_EDITABLE (spin), "—");
  return TRUE;
}

static int
on_spin_input_cb (GtkSpinButton *spin,
                  double        *value)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (spin));
  char *end = NULL;
  double parsed;

  if (*text == '\0' || g_str_equal (text, "—") || g_str_equal (text, "-"))
    {
      *value = -1;
      return TRUE;
    }

  parsed = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0')
    return GTK_INPUT_ERROR;

  *value = parsed;
  return TRUE;
}

static GtkWidget *
spin_row (const char *label_text,
          int         value,
          int         upper,
          GtkWidget **out_spin)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new_with_mnemonic (label_text);
  GtkWidget *spin = gtk_spin_button_new_with_range (-1, upper, 1);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), spin);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  g_signal_connect (spin, "output", G_CALLBACK (on_spin_output_cb), NULL);
  g_signal_connect (spin, "input", G_CALLBACK (on_spin_input_cb), NULL);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), spin);
  *out_spin = spin;

  return box;
}

static void
on_status_clicked_cb (GtkButton       *button,
                      RcrpAgencyBoard *self)
{
  GtkWidget *popover = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_POPOVER);
  const char *agency_id = g_object_get_data (G_OBJECT (popover), "agency-id");
  GtkSpinButton *spaces = g_object_get_data (G_OBJECT (popover), "spaces");
  GtkSpinButton *eta = g_object_get_data (G_OBJECT (popover), "eta");
  GtkEditable *note = g_object_get_data (G_OBJECT (popover), "note");
  RcrpAgencyStatus status = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "status"));
  g_autoptr(GError) error = NULL;

  gtk_spin_button_update (spaces);
  gtk_spin_button_update (eta);

  if (rcrp_store_set_agency_state (rcrp_context_get_store (self->context), agency_id, status,
                                   gtk_spin_button_get_value_as_int (spaces),
                                   gtk_spin_button_get_value_as_int (eta),
                                   gtk_editable_get_text (note), &error) < 0)
    {
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);

  gtk_popover_popdown (GTK_POPOVER (popover));
  rcrp_agency_board_refresh (self);
}

static void
on_popover_visible_cb (GtkWidget       *popover,
                       GParamSpec      *pspec,
                       RcrpAgencyBoard *self)
{
  if (gtk_widget_get_visible (popover))
    {
      self->open_popovers++;
      return;
    }

  self->open_popovers--;
  if (self->open_popovers == 0 && self->refresh_pending)
    {
      self->refresh_pending = FALSE;
      /* Not inside the popover's own signal: it is about to go. */
      g_idle_add_once ((GSourceOnceFunc) redraw, self);
    }
}

static GtkWidget *
build_status_popover (RcrpAgencyBoard *self,
                      RcrpAgency      *agency)
{
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *spaces, *eta, *note;
  g_autofree char *heading = g_strdup_printf (_("Status of %s"), rcrp_agency_get_name (agency));
  GtkWidget *title = line_label (heading, "heading");

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_size_request (box, 280, -1);
  gtk_box_append (GTK_BOX (box), title);

  /* The optional details first, so the status click saves them too. */
  gtk_box_append (GTK_BOX (box), spin_row (_("_Spaces free"), rcrp_agency_get_capacity (agency), 9999, &spaces));
  gtk_box_append (GTK_BOX (box), spin_row (_("Expected _response (minutes)"),
                                           rcrp_agency_get_eta_minutes (agency), 10080, &eta));
  note = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (note), _("Note (optional)"));
  gtk_editable_set_text (GTK_EDITABLE (note), rcrp_agency_get_note (agency) != NULL ? rcrp_agency_get_note (agency) : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (note), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Note"), -1);
  gtk_box_append (GTK_BOX (box), note);

  for (guint i = 0; i < G_N_ELEMENTS (settable); i++)
    {
      GtkWidget *button = gtk_button_new ();
      GtkWidget *content = adw_button_content_new ();
      g_autofree char *accessible = g_strdup_printf (_("Set %s to %s"), rcrp_agency_get_name (agency),
                                                     rcrp_agency_status_get_label (settable[i]));

      adw_button_content_set_icon_name (ADW_BUTTON_CONTENT (content), rcrp_agency_status_get_icon (settable[i]));
      adw_button_content_set_label (ADW_BUTTON_CONTENT (content), rcrp_agency_status_get_label (settable[i]));
      gtk_widget_set_halign (content, GTK_ALIGN_START);
      gtk_button_set_child (GTK_BUTTON (button), content);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
      g_object_set_data (G_OBJECT (button), "status", GUINT_TO_POINTER (settable[i]));
      if (settable[i] == rcrp_agency_get_status (agency))
        gtk_widget_add_css_class (button, "suggested-action");
      g_signal_connect (button, "clicked", G_CALLBACK (on_status_clicked_cb), self);
      gtk_box_append (GTK_BOX (buttons), button);
    }
  gtk_box_append (GTK_BOX (box), buttons);

  gtk_popover_set_child (GTK_POPOVER (popover), box);
  g_object_set_data_full (G_OBJECT (popover), "agency-id", g_strdup (rcrp_agency_get_id (agency)), g_free);
  g_object_set_data (G_OBJECT (popover), "spaces", spaces);
  g_object_set_data (G_OBJECT (popover), "eta", eta);
  g_object_set_data (G_OBJECT (popover), "note", note);
  g_signal_connect (popover, "notify::visible", G_CALLBACK (on_popover_visible_cb), self);

  return popover;
}

static GtkWidget *
build_row (RcrpAgencyBoard *self,
           RcrpAgency      *agency,
           GDateTime       *now,
           GTimeZone       *tz)
{
  RcrpAgencyStatus status = rcrp_agency_get_status (agency);
  RcrpOpeningHours *hours = rcrp_agency_get_hours (agency);
  gboolean open = rcrp_opening_hours_is_open (hours, now, tz);
  gboolean stale = rcrp_agency_is_stale (agency, now, self->stale_minutes);
  g_autofree char *hours_text = rcrp_opening_hours_to_text (hours);
  g_autofree char *open_text = NULL;
  g_autofree char *contact = NULL;
  g_autofree char *updated = NULL;
  g_autofree char *figures = NULL;
  g_autofree char *accessible = NULL;
  g_autofree char *status_class = g_strdup_printf ("status-%s", rcrp_agency_status_to_string (status));
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *icon = gtk_image_new_from_icon_name (rcrp_agency_status_get_icon (status));
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *state = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *status_label, *menu_button, *updated_label;
  GString *numbers = g_string_new (NULL);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_margin_top (box, 10);
  gtk_widget_set_margin_bottom (box, 10);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  gtk_image_set_pixel_size (GTK_IMAGE (icon), 24);
  gtk_widget_set_valign (icon, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (icon, status_class);
  gtk_accessible_update_state (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  gtk_box_append (GTK_BOX (box), icon);

  gtk_widget_set_hexpand (text, TRUE);
  gtk_box_append (GTK_BOX (text), line_label (rcrp_agency_get_name (agency), "heading"));

  if (rcrp_opening_hours_is_always (hours))
    open_text = g_strdup (_("Open now · 24 hours, every day"));
  else if (open)
    {
      g_autoptr(GDateTime) closes = rcrp_opening_hours_next_change (hours, now, tz);
      g_autoptr(GDateTime) local = closes != NULL ? g_date_time_to_timezone (closes, tz) : NULL;
      g_autofree char *when = local != NULL ? g_date_time_format (local, "%a %H:%M") : g_strdup ("?");

      open_text = g_strdup_printf (_("Open now, until %s · %s"), when, hours_text);
    }
  else
    {
      g_autoptr(GDateTime) opens = rcrp_opening_hours_next_change (hours, now, tz);
      g_autoptr(GDateTime) local = opens != NULL ? g_date_time_to_timezone (opens, tz) : NULL;
      g_autofree char *when = local != NULL ? g_date_time_format (local, "%a %H:%M") : g_strdup ("?");

      open_text = g_strdup_printf (_("Closed now, opens %s · %s"), when, hours_text);
    }
  gtk_box_append (GTK_BOX (text), line_label (open_text, open ? NULL : "warning"));

  if (*rcrp_agency_get_phone (agency) != '\0' || *rcrp_agency_get_email (agency) != '\0')
    {
      GtkWidget *label;

      contact = g_strdup_printf ("%s%s%s", rcrp_agency_get_phone (agency),
                                 *rcrp_agency_get_phone (agency) && *rcrp_agency_get_email (agency) ? " · " : "",
                                 rcrp_agency_get_email (agency));
      label = line_label (contact, "caption");
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_box_append (GTK_BOX (text), label);
    }

  if (rcrp_agency_get_changed_at (agency) == NULL)
    updated = g_strdup (_("No report this shift"));
  else
    {
      g_autofree char *age = format_age (rcrp_agency_get_changed_at (agency), now);

      /* Translators: "Updated 5 minutes ago by alice at ws-1" */
      updated = g_strdup_printf (stale ? _("Stale: last updated %s by %s at %s") : _("Updated %s by %s at %s"),
                                 age, rcrp_agency_get_changed_by (agency),
                                 rcrp_agency_get_changed_workstation (agency));
    }
  updated_label = line_label (updated, "caption");
  if (stale)
    gtk_widget_add_css_class (updated_label, "stale");
  else
    gtk_widget_add_css_class (updated_label, "dim-label");
  gtk_box_append (GTK_BOX (text), updated_label);

  if (rcrp_agency_get_note (agency) != NULL && *rcrp_agency_get_note (agency) != '\0')
    gtk_box_append (GTK_BOX (text), line_label (rcrp_agency_get_note (agency), "agency-note"));

  gtk_box_append (GTK_BOX (box), text);

  /* The status in words, so it reads without colour. */
  gtk_widget_set_valign (state, GTK_ALIGN_CENTER);
  status_label = gtk_label_new (rcrp_agency_status_get_label (status));
  gtk_widget_add_css_class (status_label, "agency-status");
  gtk_widget_add_css_class (status_label, status_class);
  gtk_label_set_xalign (GTK_LABEL (status_label), 1);
  gtk_box_append (GTK_BOX (state), status_label);

  if (rcrp_agency_get_capacity (agency) >= 0)
    g_string_append_printf (numbers, ngettext ("%d space", "%d spaces", rcrp_agency_get_capacity (agency)),
                            rcrp_agency_get_capacity (agency));
  if (rcrp_agency_get_eta_minutes (agency) >= 0)
    g_string_append_printf (numbers, _("%sETA %d min"), numbers->len > 0 ? " · " : "",
                            rcrp_agency_get_eta_minutes (agency));
  figures = g_string_free (numbers, FALSE);
  if (*figures != '\0')
    {
      GtkWidget *label = gtk_label_new (figures);

      gtk_label_set_xalign (GTK_LABEL (label), 1);
      gtk_widget_add_css_class (label, "caption");
      gtk_widget_add_css_class (label, "numeric");
      gtk_box_append (GTK_BOX (state), label);
    }
  gtk_box_append (GTK_BOX (box), state);

  menu_button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu_button), "document-edit-symbolic");
  gtk_widget_set_valign (menu_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (menu_button, _("Set Status"));
  gtk_widget_add_css_class (menu_button, "flat");
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (menu_button), build_status_popover (self, agency));
  {
    g_autofree char *label = g_strdup_printf (_("Set status of %s"), rcrp_agency_get_name (agency));

    gtk_accessible_update_property (GTK_ACCESSIBLE (menu_button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  }
  gtk_box_append (GTK_BOX (box), menu_button);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  accessible = g_strdup_printf ("%s: %s. %s. %s%s%s", rcrp_agency_get_name (agency),
                                rcrp_agency_status_get_label (status), open_text,
                                figures, *figures ? ". " : "", updated);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  g_object_set_data_full (G_OBJECT (row), "agency-id", g_strdup (rcrp_agency_get_id (agency)), g_free);

  return row;
}

static void
redraw (RcrpAgencyBoard *self)
{
  g_autoptr(GDateTime) now = NULL;
  GTimeZone *tz;
  g_autoptr(GPtrArray) shown = NULL;
  g_autofree char *summary = NULL;
  GtkWidget *child;
  guint n_open = 0, n_full = 0, n_closed = 0;

  if (self->open_popovers > 0)
    {
      self->refresh_pending = TRUE;
      return;
    }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);

  if (self->agencies == NULL || self->context == NULL)
    return;

  now = rcrp_context_now (self->context);
  tz = rcrp_context_get_time_zone (self->context);

  if (self->call != NULL && gtk_check_button_get_active (self->for_call_check))
    shown = rcrp_agencies_rank_for (self->agencies, rcrp_call_get_category (self->call),
                                    (const char * const *) self->recommended, now, tz);
  else
    shown = g_ptr_array_ref (self->agencies);

  for (guint i = 0; i < shown->len; i++)
    {
      RcrpAgency *agency = g_ptr_array_index (shown, i);

      gtk_list_box_append (self->list, build_row (self, agency, now, tz));

      if (rcrp_agency_get_status (agency) == RCRP_AGENCY_STATUS_AT_CAPACITY)
        n_full++;
      if (!rcrp_agency_is_open (agency, now, tz))
        n_closed++;
      else
        n_open++;
    }

  summary = g_strdup_printf (_("%u agencies: %u open now, %u closed, %u at capacity"),
                             shown->len, n_open, n_closed, n_full);
  gtk_label_set_text (self->summary_label, summary);
}

void
rcrp_agency_board_refresh (RcrpAgencyBoard *self)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *agencies;

  g_return_if_fail (RCRP_IS_AGENCY_BOARD (self));

  if (self->context == NULL)
    return;

  agencies = rcrp_store_list_agencies (rcrp_context_get_store (self->context), &error);
  if (agencies == NULL)
    {
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return;
    }

  g_clear_pointer (&self->agencies, g_ptr_array_unref);
  self->agencies = agencies;
  redraw (self);
}

void
rcrp_agency_board_set_context (RcrpAgencyBoard *self,
                               RcrpContext     *context)
{
  g_return_if_fail (RCRP_IS_AGENCY_BOARD (self));

  if (g_set_object (&self->context, context))
    rcrp_agency_board_refresh (self);
}

void
rcrp_agency_board_set_stale_minutes (RcrpAgencyBoard *self,
                                     int              stale_minutes)
{
  g_return_if_fail (RCRP_IS_AGENCY_BOARD (self));

  self->stale_minutes = stale_minutes;
  redraw (self);
}

void
rcrp_agency_board_set_call (RcrpAgencyBoard    *self,
                            RcrpCall           *call,
                            const char * const *recommended)
{
  g_return_if_fail (RCRP_IS_AGENCY_BOARD (self));

  g_set_object (&self->call, call);
  g_strfreev (self->recommended);
  self->recommended = g_strdupv ((char **) recommended);
  gtk_widget_set_sensitive (GTK_WIDGET (self->for_call_check), call != NULL);
  redraw (self);
}

static void
on_for_call_toggled_cb (RcrpAgencyBoard *self)
{
  redraw (self);
}

static void
rcrp_agency_board_dispose (GObject *object)
{
  RcrpAgencyBoard *self = RCRP_AGENCY_BOARD (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), RCRP_TYPE_AGENCY_BOARD);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->context);
  g_clear_object (&self->call);
  g_clear_pointer (&self->agencies, g_ptr_array_unref);
  g_clear_pointer (&self->recommended, g_strfreev);

  G_OBJECT_CLASS (rcrp_agency_board_parent_class)->dispose (object);
}

static void
rcrp_agency_board_class_init (RcrpAgencyBoardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rcrp_agency_board_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/rcrp/Coordinator/rcrp-agency-board.ui");
  gtk_widget_class_bind_template_child (widget_class, RcrpAgencyBoard, list);
  gtk_widget_class_bind_template_child (widget_class, RcrpAgencyBoard, summary_label);
  gtk_widget_class_bind_template_child (widget_class, RcrpAgencyBoard, error_label);
  gtk_widget_class_bind_template_child (widget_class, RcrpAgencyBoard, for_call_check);
  gtk_widget_class_bind_template_callback (widget_class, on_for_call_toggled_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
rcrp_agency_board_init (RcrpAgencyBoard *self)
{
  self->stale_minutes = 60;

  gtk_widget_init_template (GTK_WIDGET (self));
  rcrp_accessible_strip_mnemonics (GTK_WIDGET (self));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Agency board"), -1);
}

/* rcrp-call-details.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "rcrp-call-details.h"
#include "rcrp-event.h"
#include "rcrp-queue-row.h"
#include "rcrp-text.h"

struct _RcrpCallDetails
{
  GtkWidget    parent_instance;

  RcrpCall    *call;
  AdwActionRow *waiting_row;

  GtkWidget   *scroller;
  GtkLabel    *reference_label;
  GtkLabel    *headline_label;
  GtkWidget   *risk_box;
  GtkImage    *risk_icon;
  GtkLabel    *risk_label;
  GtkLabel    *summary_label;
  GtkBox      *groups_box;
};

G_DEFINE_FINAL_TYPE (RcrpCallDetails, rcrp_call_details, GTK_TYPE_WIDGET)

static char *
format_local (GDateTime *time)
{
  g_autoptr(GDateTime) local = NULL;

  if (time == NULL)
    return NULL;

  local = g_date_time_to_local (time);

  /* Day, date and time to the second, in the control room's own zone. */
  return g_date_time_format (local, _("%a %e %b %Y, %H:%M:%S"));
}

static const char *
yes_no_unknown (int value)
{
  if (value < 0)
    return NULL;

  return value ? _("Yes") : _("No");
}

static const char *
relationship_label (const char *relationship)
{
  static const struct { const char *id; const char *label; } labels[] = {
    { "self",               N_("The person themselves") },
    { "family",             N_("Family") },
    { "friend",             N_("Friend") },
    { "professional",       N_("Professional") },
    { "healthcare_setting", N_("Healthcare setting") },
    { "public",             N_("Member of the public") },
    { "other",              N_("Other") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (relationship, labels[i].id) == 0)
      return _(labels[i].label);

  return relationship;
}

static const char *
sex_label (const char *sex)
{
  if (g_strcmp0 (sex, "female") == 0)
    return _("Female");
  if (g_strcmp0 (sex, "male") == 0)
    return _("Male");
  if (g_strcmp0 (sex, "other") == 0)
    return _("Other");
  if (g_strcmp0 (sex, "unknown") == 0)
    return _("Unknown");

  return sex;
}

/* Adds a row if there is something to say; returns it. */
static AdwActionRow *
add_row (AdwPreferencesGroup *group,
         const char          *title,
         const char          *value)
{
  AdwActionRow *row;

  if (value == NULL || *value == '\0')
    return NULL;

  row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (row, value);
  gtk_widget_add_css_class (GTK_WIDGET (row), "property");
  adw_preferences_group_add (group, GTK_WIDGET (row));

  return row;
}

static AdwPreferencesGroup *
new_group (RcrpCallDetails *self,
           const char      *title)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  gtk_box_append (self->groups_box, group);

  return ADW_PREFERENCES_GROUP (group);
}

/* Drops groups that ended up with no rows. */
static void
prune_group (RcrpCallDetails     *self,
             AdwPreferencesGroup *group,
             guint                n_rows)
{
  if (n_rows == 0)
    gtk_box_remove (self->groups_box, GTK_WIDGET (group));
}

#define COUNT(row) ((row) != NULL ? 1 : 0)

static void
add_call_groups (RcrpCallDetails *self,
                 RcrpCall        *call,
                 GDateTime       *now)
{
  AdwPreferencesGroup *group;
  g_autofree char *received = format_local (rcrp_call_get_received_at (call));
  g_autofree char *waiting = rcrp_format_waiting (rcrp_call_get_waiting_seconds (call, now));
  g_autofree char *age = NULL;
  g_autofree char *left_at = format_local (rcrp_call_get_setting_left_at (call));
  g_autofree char *versions = NULL;
  guint n;

  group = new_group (self, _("Call"));
  add_row (group, _("Received"), received);
  self->waiting_row = add_row (group, _("Waiting"), waiting);
  add_row (group, _("Status"), rcrp_call_status_get_label (rcrp_call_get_status (call)));
  versions = g_strdup_printf (ngettext ("%u version from the C&C feed",
                                        "%u versions from the C&C feed",
                                        rcrp_call_get_version_count (call)),
                              rcrp_call_get_version_count (call));
  add_row (group, _("Versions"), versions);
  add_row (group, _("Notes"), rcrp_call_get_notes (call));

  group = new_group (self, _("Location"));
  n = COUNT (add_row (group, _("Address"), rcrp_call_get_address (call)));
  n += COUNT (add_row (group, _("Postcode"), rcrp_call_get_postcode (call)));
  prune_group (self, group, n);

  group = new_group (self, _("Person"));
  if (rcrp_call_get_subject_age (call) >= 0)
    age = g_strdup_printf ("%d", rcrp_call_get_subject_age (call));
  n = COUNT (add_row (group, _("Name"), rcrp_call_get_subject_name (call)));
  n += COUNT (add_row (group, _("Age"), age));
  n += COUNT (add_row (group, _("Sex"), sex_label (rcrp_call_get_subject_sex (call))));
  n += COUNT (add_row (group, _("Self-defined ethnicity"), rcrp_call_get_subject_ethnicity (call)));
  n += COUNT (add_row (group, _("Known to services"), yes_no_unknown (rcrp_call_get_known_to_services (call))));
  prune_group (self, group, n);

  group = new_group (self, _("Caller"));
  n = COUNT (add_row (group, _("Name"), rcrp_call_get_caller_name (call)));
  n += COUNT (add_row (group, _("Phone"), rcrp_call_get_caller_phone (call)));
  n += COUNT (add_row (group, _("Relationship"), relationship_label (rcrp_call_get_caller_relationship (call))));
  prune_group (self, group, n);

  group = new_group (self, _("Healthcare Setting"));
  n = COUNT (add_row (group, _("Setting"), rcrp_call_get_setting_name (call)));
  n += COUNT (add_row (group, _("Left at"), left_at));
  n += COUNT (add_row (group, _("Liable to be detained"), yes_no_unknown (rcrp_call_get_setting_detained (call))));
  n += COUNT (add_row (group, _("Mental Health Act section"), rcrp_call_get_setting_mha_section (call)));
  n += COUNT (add_row (group, _("Informal patient"), yes_no_unknown (rcrp_call_get_setting_informal (call))));
  prune_group (self, group, n);
}

static void
add_history_group (RcrpCallDetails *self,
                   GPtrArray       *events)
{
  AdwPreferencesGroup *group;

  if (events == NULL || events->len == 0)
    return;

  group = new_group (self, _("History"));

  for (guint i = 0; i < events->len; i++)
    {
      RcrpEvent *event = g_ptr_array_index (events, i);
      g_autofree char *when = NULL;
      g_autofree char *who = NULL;
      AdwActionRow *row;

      /* Looks at the call are not things done to it. */
      if (rcrp_event_is_view (event))
        continue;

      when = format_local (rcrp_event_get_at (event));

      /* Translators: "who at which workstation" in the call history. */
      who = g_strdup_printf (_("%s — %s at %s"), when,
                             rcrp_event_get_operator (event),
                             rcrp_event_get_workstation (event));
      row = add_row (group, rcrp_event_get_description (event), who);
      if (row != NULL)
        gtk_widget_add_css_class (GTK_WIDGET (row), "history-entry");
    }
}

void
rcrp_call_details_set_call (RcrpCallDetails *self,
                            RcrpCall        *call,
                            GPtrArray       *events,
                            GDateTime       *now)
{
  g_autofree char *headline = NULL;
  g_autofree char *risks = NULL;
  GtkWidget *child;

  g_return_if_fail (RCRP_IS_CALL_DETAILS (self));
  g_return_if_fail (call == NULL || RCRP_IS_CALL (call));

  g_set_object (&self->call, call);
  self->waiting_row = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->groups_box))) != NULL)
    gtk_box_remove (self->groups_box, child);

  if (call == NULL)
    return;

  gtk_label_set_text (self->reference_label, rcrp_call_get_cad_ref (call));
  headline = g_strdup_printf (_("%s · Grade %d"),
                              rcrp_category_get_label (rcrp_call_get_category (call)),
                              rcrp_call_get_grade (call));
  gtk_label_set_text (self->headline_label, headline);

  risks = rcrp_format_risks (rcrp_call_get_risks (call));
  gtk_widget_set_visible (self->risk_box, risks != NULL);
  if (risks != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Risk indicators: %s"), risks);

      gtk_label_set_text (self->risk_label, text);
    }

  /* The icon and the colour repeat what the words say. */
  if (rcrp_risk_count_threshold (rcrp_call_get_risks (call)) > 0)
    {
      gtk_widget_remove_css_class (self->risk_box, "risk-other");
      gtk_widget_add_css_class (self->risk_box, "risk-threshold");
      gtk_image_set_from_icon_name (self->risk_icon, "dialog-warning-symbolic");
    }
  else
    {
      gtk_widget_remove_css_class (self->risk_box, "risk-threshold");
      gtk_widget_add_css_class (self->risk_box, "risk-other");
      gtk_image_set_from_icon_name (self->risk_icon, "emblem-important-symbolic");
    }

  gtk_label_set_text (self->summary_label, rcrp_call_get_summary (call));

  add_call_groups (self, call, now);
  add_history_group (self, events);
}

RcrpCall *
rcrp_call_details_get_call (RcrpCallDetails *self)
{
  g_return_val_if_fail (RCRP_IS_CALL_DETAILS (self), NULL);

  return self->call;
}

void
rcrp_call_details_update_waiting (RcrpCallDetails *self,
                                  GDateTime       *now)
{
  g_autofree char *waiting = NULL;

  g_return_if_fail (RCRP_IS_CALL_DETAILS (self));

  if (self->call == NULL || self->waiting_row == NULL)
    return;

  waiting = rcrp_format_waiting (rcrp_call_get_waiting_seconds (self->call, now));
  if (g_strcmp0 (adw_action_row_get_subtitle (self->waiting_row), waiting) != 0)
    adw_action_row_set_subtitle (self->waiting_row, waiting);
}

static void
rcrp_call_details_dispose (GObject *object)
{
  RcrpCallDetails *self = RCRP_CALL_DETAILS (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), RCRP_TYPE_CALL_DETAILS);

  /* dispose_template() leaves template children that have no id. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->call);

  G_OBJECT_CLASS (rcrp_call_details_parent_class)->dispose (object);
}

static void
rcrp_call_details_class_init (RcrpCallDetailsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rcrp_call_details_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/rcrp/Coordinator/rcrp-call-details.ui");
  gtk_widget_class_bind_template_child (widget_class, RcrpCallDetails, scroller);
  gtk_widget_class_bind_template_child (widget_class, RcrpCallDetails, reference_label);
  gtk_widget_class_bind_template_child (widget_class, RcrpCallDetails, headline_label);
  gtk_widget_class_bind_template_child (widget_class, RcrpCallDetails, risk_box);
  gtk_widget_class_bind_template_child (widget_class, RcrpCallDetails, risk_icon);
  gtk_widget_class_bind_template_child (widget_class, RcrpCallDetails, risk_label);
  gtk_widget_class_bind_template_child (widget_class, RcrpCallDetails, summary_label);
  gtk_widget_class_bind_template_child (widget_class, RcrpCallDetails, groups_box);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
rcrp_call_details_init (RcrpCallDetails *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  rcrp_reference_label_init (self->reference_label);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Call details"),
                                  -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->reference_label),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _("Call reference"),
                                  -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->summary_label),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _("Call handler’s summary"),
                                  -1);
}

/* rcrp-queue-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "rcrp-decision.h"
#include "rcrp-queue-row.h"

struct _RcrpQueueRow
{
  GtkWidget  parent_instance;

  RcrpCall  *call;
  gint64     shown_minutes;

  GtkLabel  *grade_label;
  GtkLabel  *reference_label;
  GtkLabel  *waiting_label;
  GtkLabel  *category_label;
  GtkLabel  *updated_label;
  GtkWidget *risk_box;
  GtkImage  *risk_icon;
  GtkLabel  *risk_label;
};

G_DEFINE_FINAL_TYPE (RcrpQueueRow, rcrp_queue_row, GTK_TYPE_WIDGET)

char *
rcrp_format_waiting (gint64 seconds)
{
  gint64 minutes = seconds / 60;

  if (minutes < 1)
    return g_strdup (_("just now"));
  if (minutes < 60)
    return g_strdup_printf (_("%" G_GINT64_FORMAT " min"), minutes);
  if (minutes < 24 * 60)
    return g_strdup_printf (_("%" G_GINT64_FORMAT " h %02" G_GINT64_FORMAT " min"),
                            minutes / 60, minutes % 60);

  return g_strdup_printf (_("%" G_GINT64_FORMAT " d %" G_GINT64_FORMAT " h"),
                          minutes / (24 * 60), (minutes / 60) % 24);
}

char *
rcrp_format_risks (guint risks)
{
  g_autoptr(GString) text = NULL;

  if (risks == 0)
    return NULL;

  text = g_string_new (NULL);

  /* Threshold indicators first: they are what the coordinator must see. */
  for (int pass = 0; pass < 2; pass++)
    {
      for (guint i = 0; i < RCRP_N_RISKS; i++)
        {
          RcrpRisk risk = 1u << i;
          gboolean threshold = (risk & RCRP_RISK_THRESHOLD_MASK) != 0;

          if (!(risks & risk) || threshold != (pass == 0))
            continue;

          if (text->len > 0)
            g_string_append (text, _(", "));
          g_string_append (text, rcrp_risk_get_label (risk));
        }
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
update_accessible_label (RcrpQueueRow *self)
{
  g_autofree char *risks = NULL;
  g_autofree char *label = NULL;
  const char *updated;

  if (self->call == NULL)
    return;

  risks = rcrp_format_risks (rcrp_call_get_risks (self->call));
  updated = rcrp_call_get_status (self->call) == RCRP_CALL_STATUS_UPDATED ? _(", updated") : "";

  /* One sentence a screen reader can say for the whole row. */
  if (rcrp_call_get_status (self->call) == RCRP_CALL_STATUS_DECIDED)
    label = g_strdup_printf (_("%s, %s, grade %d, decided: %s%s%s"),
                             rcrp_call_get_cad_ref (self->call),
                             rcrp_category_get_label (rcrp_call_get_category (self->call)),
                             rcrp_call_get_grade (self->call),
                             rcrp_outcome_get_done_label (rcrp_call_get_outcome (self->call)),
                             risks != NULL ? _(", risks: ") : "",
                             risks != NULL ? risks : "");
  else
    label = g_strdup_printf (_("%s, %s, grade %d, waiting %s%s%s%s"),
                             rcrp_call_get_cad_ref (self->call),
                             rcrp_category_get_label (rcrp_call_get_category (self->call)),
                             rcrp_call_get_grade (self->call),
                             gtk_label_get_text (self->waiting_label),
                             updated,
                             risks != NULL ? _(", risks: ") : "",
                             risks != NULL ? risks : "");

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

void
rcrp_queue_row_update_waiting (RcrpQueueRow *self,
                               GDateTime    *now)
{
  g_autofree char *text = NULL;
  gint64 seconds;

  g_return_if_fail (RCRP_IS_QUEUE_ROW (self));

  if (self->call == NULL)
    return;

  seconds = rcrp_call_get_waiting_seconds (self->call, now);

  /* A decided call no longer waits: its outcome is shown instead. */
  if (rcrp_call_get_status (self->call) == RCRP_CALL_STATUS_DECIDED)
    {
      gtk_label_set_text (self->waiting_label, rcrp_outcome_get_done_label (rcrp_call_get_outcome (self->call)));
      if (self->shown_minutes != -2)
        {
          self->shown_minutes = -2;
          update_accessible_label (self);
        }
      return;
    }

  /* The label changes once a minute; skip the work in between. */
  if (seconds / 60 == self->shown_minutes)
    return;

  self->shown_minutes = seconds / 60;
  text = rcrp_format_waiting (seconds);
  gtk_label_set_text (self->waiting_label, text);
  update_accessible_label (self);
}

void
rcrp_queue_row_set_call (RcrpQueueRow *self,
                         RcrpCall     *call,
                         GDateTime    *now)
{
  g_autofree char *grade = NULL;
  g_autofree char *risks = NULL;
  g_autofree char *grade_class = NULL;
  guint risk_set;

  g_return_if_fail (RCRP_IS_QUEUE_ROW (self));

  if (!g_set_object (&self->call, call) || call == NULL)
    return;

  grade = g_strdup_printf (_("Grade %d"), rcrp_call_get_grade (call));
  gtk_label_set_text (self->grade_label, grade);
  grade_class = g_strdup_printf ("grade-%d", rcrp_call_get_grade (call));
  gtk_widget_set_css_classes (GTK_WIDGET (self->grade_label),
                              (const char *[]) { "grade-badge", grade_class, NULL });

  gtk_label_set_text (self->reference_label, rcrp_call_get_cad_ref (call));
  gtk_label_set_text (self->category_label,
                      rcrp_category_get_label (rcrp_call_get_category (call)));
  gtk_widget_set_visible (GTK_WIDGET (self->updated_label),
                          rcrp_call_get_status (call) == RCRP_CALL_STATUS_UPDATED);
  if (rcrp_call_get_status (call) == RCRP_CALL_STATUS_DECIDED)
    gtk_widget_add_css_class (GTK_WIDGET (self->waiting_label), "outcome-badge");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->waiting_label), "outcome-badge");

  risk_set = rcrp_call_get_risks (call);
  risks = rcrp_format_risks (risk_set);
  gtk_widget_set_visible (self->risk_box, risks != NULL);
  gtk_label_set_text (self->risk_label, risks != NULL ? risks : "");

  if (rcrp_risk_count_threshold (risk_set) > 0)
    {
      gtk_widget_add_css_class (self->risk_box, "risk-threshold");
      gtk_image_set_from_icon_name (self->risk_icon, "dialog-warning-symbolic");
    }
  else
    {
      gtk_widget_remove_css_class (self->risk_box, "risk-threshold");
      gtk_image_set_from_icon_name (self->risk_icon, "dialog-information-symbolic");
    }

  self->shown_minutes = -1;
  rcrp_queue_row_update_waiting (self, now);
}

RcrpCall *
rcrp_queue_row_get_call (RcrpQueueRow *self)
{
  g_return_val_if_fail (RCRP_IS_QUEUE_ROW (self), NULL);

  return self->call;
}

static void
rcrp_queue_row_dispose (GObject *object)
{
  RcrpQueueRow *self = RCRP_QUEUE_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), RCRP_TYPE_QUEUE_ROW);
  g_clear_object (&self->call);

  G_OBJECT_CLASS (rcrp_queue_row_parent_class)->dispose (object);
}

static void
rcrp_queue_row_class_init (RcrpQueueRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rcrp_queue_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/rcrp/Coordinator/rcrp-queue-row.ui");
  gtk_widget_class_bind_template_child (widget_class, RcrpQueueRow, grade_label);
  gtk_widget_class_bind_template_child (widget_class, RcrpQueueRow, reference_label);
  gtk_widget_class_bind_template_child (widget_class, RcrpQueueRow, waiting_label);
  gtk_widget_class_bind_template_child (widget_class, RcrpQueueRow, category_label);
  gtk_widget_class_bind_template_child (widget_class, RcrpQueueRow, updated_label);
  gtk_widget_class_bind_template_child (widget_class, RcrpQueueRow, risk_box);
  gtk_widget_class_bind_template_child (widget_class, RcrpQueueRow, risk_icon);
  gtk_widget_class_bind_template_child (widget_class, RcrpQueueRow, risk_label);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_set_css_name (widget_class, "queuerow");
}

static void
rcrp_queue_row_init (RcrpQueueRow *self)
{
  self->shown_minutes = -1;
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
rcrp_queue_row_new (void)
{
  return g_object_new (RCRP_TYPE_QUEUE_ROW, NULL);
}

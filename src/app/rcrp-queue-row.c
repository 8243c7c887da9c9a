/* rcrp-queue-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "rcrp-decision.h"
#include "rcrp-queue-row.h"
#include "rcrp-text.h"
#include "rcrp-search.h"

/* A search's match line: two lines at most of a narrow queue. */
#define MATCH_CHARS 80

struct _RcrpQueueRow
{
  GtkWidget  parent_instance;

  RcrpCall  *call;
  gint64     shown_minutes;
  gint64     shown_seconds;
  char      *search;
  char      *match_text;   /* the match line without markup, or NULL */
  char      *own_session;
  GTimeSpan  claim_lapse;
  char      *holder;       /* another's live claim, or NULL */
  RcrpSettings *settings;  /* the grades' targets; may be NULL */
  gboolean   shown_past;   /* past its grade's target, as shown */

  GtkLabel  *grade_label;
  GtkLabel  *reference_label;
  GtkLabel  *waiting_label;
  GtkLabel  *category_label;
  GtkLabel  *updated_label;
  GtkWidget *risk_box;
  GtkImage  *risk_icon;
  GtkLabel  *risk_label;
  GtkLabel  *match_label;
  GtkLabel  *holder_label;
  GtkWidget *overdue_box;
  GtkLabel  *overdue_label;
};

G_DEFINE_FINAL_TYPE (RcrpQueueRow, rcrp_queue_row, GTK_TYPE_WIDGET)

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

void
rcrp_reference_label_init (GtkLabel *label)
{
  PangoAttrList *attributes = pango_attr_list_new ();

  pango_attr_list_insert (attributes, pango_attr_insert_hyphens_new (FALSE));
  gtk_label_set_attributes (label, attributes);
  pango_attr_list_unref (attributes);
}

static void
update_accessible_label (RcrpQueueRow *self,
                         gint64        seconds)
{
  g_autofree char *risks = NULL;
  g_autofree char *label = NULL;
  g_autofree char *state = NULL;
  RcrpCall *call = self->call;

  risks = rcrp_format_risks (rcrp_call_get_risks (call));

  switch (rcrp_call_get_status (call))
    {
    case RCRP_CALL_STATUS_DECIDED:
      /* Translators: the state of a decided call, as in "decided: Police deployed". */
      state = g_strdup_printf (_("decided: %s"),
                               rcrp_outcome_get_done_label (rcrp_call_get_outcome (call)));
      break;

    case RCRP_CALL_STATUS_UPDATED:
      {
        g_autofree char *waiting = rcrp_format_waiting_spoken (seconds);

        /* The words on the row when it is late, so both say the same. */
        if (self->shown_past)
          /* Translators: as in "12 min past the 5 min target, updated". */
          state = g_strdup_printf (_("%s, updated"), gtk_label_get_text (self->overdue_label));
        else
          /* Translators: as in "waiting 12 minutes, updated". */
          state = g_strdup_printf (_("waiting %s, updated"), waiting);
      }
      break;

    case RCRP_CALL_STATUS_NEW:
    default:
      {
        g_autofree char *waiting = rcrp_format_waiting_spoken (seconds);

        if (self->shown_past)
          state = g_strdup (gtk_label_get_text (self->overdue_label));
        else
          /* Translators: as in "waiting 12 minutes". */
          state = g_strdup_printf (_("waiting %s"), waiting);
      }
      break;
    }

  if (rcrp_call_get_on_hold (call))
    {
      /* Translators: a call held for an urgent appeal, then its state, as
       * in "on hold: appeal, decided: Signposted"; the same words as the
       * row's badge. */
      g_autofree char *held = g_strdup_printf (_("on hold: appeal, %s"), state);

      g_free (state);
      state = g_steal_pointer (&held);
    }

  /* One sentence a screen reader can say for the whole row. */
  if (risks != NULL)
    /* Translators: reference, category, grade, state and risk indicators of a
     * call in the queue, as in "HC-20261122-0042, Concern for welfare,
     * grade 2, waiting 12 minutes, risks: Suicidal intent". */
    label = g_strdup_printf (_("%s, %s, grade %d, %s, risks: %s"),
                             rcrp_call_get_cad_ref (call),
                             rcrp_category_get_label (rcrp_call_get_category (call)),
                             rcrp_call_get_grade (call),
                             state, risks);
  else
    /* Translators: as above, for a call without risk indicators. */
    label = g_strdup_printf (_("%s, %s, grade %d, %s"),
                             rcrp_call_get_cad_ref (call),
                             rcrp_category_get_label (rcrp_call_get_category (call)),
                             rcrp_call_get_grade (call),
                             state);

  /* Who works it, when it is someone else. */
  if (self->holder != NULL)
    {
      /* Translators: a queue row's spoken label and who holds the call,
       * as in "…, waiting 12 minutes, holds: Priya Shah". */
      g_autofree char *held = g_strdup_printf (_("%s, holds: %s"), label, self->holder);

      g_free (label);
      label = g_steal_pointer (&held);
    }

  /* Where a search matched, after what the row always says. */
  if (self->match_text != NULL)
    {
      /* Translators: a queue row's spoken label and where the search
       * matched it, as in "HC-20261122-0042, …, waiting 12 minutes, matched:
       * Patient left ward 4 barefoot". */
      g_autofree char *matched = g_strdup_printf (_("%s, matched: %s"), label, self->match_text);

      g_free (label);
      label = g_steal_pointer (&matched);
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);

  /* HACK: GTK 4.8 cannot label a list item (GtkListItem:accessible-label
   * came in 4.12), so a screen reader focusing the row found no name. Label
   * the item widget that holds this row; it is ours for as long as we are
   * bound to it. */
  if (gtk_widget_get_parent (GTK_WIDGET (self)) != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (GTK_WIDGET (self))),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                    -1);
}

void
rcrp_queue_row_update_waiting (RcrpQueueRow *self,
                               GDateTime    *now)
{
  g_autofree char *text = NULL;
  gint64 seconds;
  gint64 minutes;
  gboolean past;
  int target;

  g_return_if_fail (RCRP_IS_QUEUE_ROW (self));

  if (self->call == NULL)
    return;

  seconds = rcrp_call_get_waiting_seconds (self->call, now);
  target = rcrp_settings_get_waiting_target (self->settings, rcrp_call_get_grade (self->call));
  past = rcrp_call_is_past_target (self->call, now, target);

  /* A decided call no longer waits: its outcome is shown instead. */
  minutes = rcrp_call_get_status (self->call) == RCRP_CALL_STATUS_DECIDED ? -2 : seconds / 60;

  /* The text changes once a minute, or as the call passes its target;
   * skip the work in between. */
  if (minutes == self->shown_minutes && past == self->shown_past)
    return;

  self->shown_minutes = minutes;
  self->shown_seconds = seconds;
  self->shown_past = past;
  if (minutes == -2)
    gtk_label_set_text (self->waiting_label,
                        rcrp_outcome_get_done_label (rcrp_call_get_outcome (self->call)));
  else
    {
      text = rcrp_format_waiting (seconds);
      gtk_label_set_text (self->waiting_label, text);
    }

  /* Late in words and with a mark, not by colour alone; the time waited
   * is in those words, so it is not said twice. */
  if (past)
    {
      g_autofree char *target_text = rcrp_format_waiting ((gint64) target * 60);
      /* Translators: how long a call has waited and its grade's target for
       * a decision, as in "12 min past the 5 min target". */
      g_autofree char *late = g_strdup_printf (_("%s past the %s target"), text, target_text);

      gtk_label_set_text (self->overdue_label, late);
    }
  gtk_widget_set_visible (self->overdue_box, past);
  gtk_widget_set_visible (GTK_WIDGET (self->waiting_label), !past);

  update_accessible_label (self, seconds);
}

/* The reference marked where it matched, and a line from the first other
 * field the search matched, so the coordinator sees why the call is
 * listed. */
static void
update_match (RcrpQueueRow *self)
{
  const struct {
    const char *where;
    const char *text;
  } fields[] = {
    { NULL, rcrp_call_get_summary (self->call) },
    /* Translators: where a search matched a call in the queue, before the
     * matching words. */
    { N_("Person:"), rcrp_call_get_subject_name (self->call) },
    { N_("Caller:"), rcrp_call_get_caller_name (self->call) },
    { N_("Postcode:"), rcrp_call_get_postcode (self->call) },
  };
  const char *reference = rcrp_call_get_cad_ref (self->call);
  g_autofree char *markup = NULL;

  if (rcrp_search_matches (reference, self->search))
    {
      g_autofree char *highlighted = rcrp_search_highlight (reference, self->search);

      gtk_label_set_markup (self->reference_label, highlighted);
    }
  else
    gtk_label_set_text (self->reference_label, reference);

  g_clear_pointer (&self->match_text, g_free);
  for (guint i = 0; i < G_N_ELEMENTS (fields) && markup == NULL; i++)
    {
      markup = rcrp_search_snippet (fields[i].text, self->search, MATCH_CHARS);
      if (markup != NULL && fields[i].where != NULL)
        {
          g_autofree char *where = g_markup_escape_text (_(fields[i].where), -1);
          g_autofree char *labelled = g_strdup_printf ("%s %s", where, markup);

          g_free (markup);
          markup = g_steal_pointer (&labelled);
        }
    }

  if (markup != NULL)
    {
      gtk_label_set_markup (self->match_label, markup);
      self->match_text = g_strdup (gtk_label_get_text (self->match_label));
    }
  else
    gtk_label_set_text (self->match_label, "");
  gtk_widget_set_visible (GTK_WIDGET (self->match_label), markup != NULL);
}

void
rcrp_queue_row_set_search (RcrpQueueRow *self,
                           const char   *search)
{
  g_return_if_fail (RCRP_IS_QUEUE_ROW (self));

  if (g_strcmp0 (self->search, search) == 0)
    return;

  g_free (self->search);
  self->search = g_strdup (search);

  if (self->call == NULL)
    return;

  update_match (self);
  if (self->shown_minutes != -1)
    update_accessible_label (self, self->shown_seconds);
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

  gtk_label_set_text (self->category_label,
                      rcrp_category_get_label (rcrp_call_get_category (call)));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->category_label),
                               rcrp_category_get_label (rcrp_call_get_category (call)));
  /* One badge: an urgent appeal outranks an update from the feed. */
  if (rcrp_call_get_on_hold (call))
    {
      /* Translators: the badge of a call held for an urgent appeal. */
      gtk_label_set_text (self->updated_label, _("On hold: appeal"));
      gtk_widget_set_css_classes (GTK_WIDGET (self->updated_label),
                                  (const char *[]) { "onhold-badge", "caption-heading", NULL });
    }
  else
    {
      gtk_label_set_text (self->updated_label, _("Updated"));
      gtk_widget_set_css_classes (GTK_WIDGET (self->updated_label),
                                  (const char *[]) { "updated-badge", "caption-heading", NULL });
    }
  gtk_widget_set_visible (GTK_WIDGET (self->updated_label),
                          rcrp_call_get_on_hold (call) || rcrp_call_get_status (call) == RCRP_CALL_STATUS_UPDATED);
  if (rcrp_call_get_status (call) == RCRP_CALL_STATUS_DECIDED)
    gtk_widget_add_css_class (GTK_WIDGET (self->waiting_label), "outcome-badge");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->waiting_label), "outcome-badge");

  risk_set = rcrp_call_get_risks (call);
  risks = rcrp_format_risks (risk_set);
  gtk_widget_set_visible (self->risk_box, risks != NULL);
  gtk_label_set_text (self->risk_label, risks != NULL ? risks : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->risk_label), risks);

  if (rcrp_risk_count_threshold (risk_set) > 0)
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

  update_match (self);

  /* A claim held by another session, not yet lapsed. */
  g_clear_pointer (&self->holder, g_free);
  if (rcrp_call_get_claimed_by (call) != NULL &&
      g_strcmp0 (rcrp_call_get_claim_session (call), self->own_session) != 0 &&
      rcrp_call_get_claim_seen (call) != NULL && now != NULL &&
      g_date_time_difference (now, rcrp_call_get_claim_seen (call)) <
        (self->claim_lapse > 0 ? self->claim_lapse : RCRP_DECISION_DEFAULT_CLAIM_LAPSE))
    self->holder = g_strdup (rcrp_call_get_claimed_by (call));
  if (self->holder != NULL)
    {
      /* Translators: who works a call at another workstation. */
      g_autofree char *text = g_strdup_printf (_("holds: %s"), self->holder);

      gtk_label_set_text (self->holder_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->holder_label), self->holder != NULL);

  self->shown_minutes = -1;
  self->shown_past = FALSE;
  rcrp_queue_row_update_waiting (self, now);
}

void
rcrp_queue_row_set_settings (RcrpQueueRow *self,
                             RcrpSettings *settings)
{
  g_return_if_fail (RCRP_IS_QUEUE_ROW (self));
  g_return_if_fail (settings == NULL || RCRP_IS_SETTINGS (settings));

  g_set_object (&self->settings, settings);
}

void
rcrp_queue_row_set_own_session (RcrpQueueRow *self,
                                const char   *session,
                                GTimeSpan     lapse)
{
  g_return_if_fail (RCRP_IS_QUEUE_ROW (self));

  g_free (self->own_session);
  self->own_session = g_strdup (session);
  self->claim_lapse = lapse;
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
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), RCRP_TYPE_QUEUE_ROW);

  /* dispose_template() leaves template children that have no id. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->call);
  g_clear_pointer (&self->search, g_free);
  g_clear_pointer (&self->match_text, g_free);
  g_clear_pointer (&self->own_session, g_free);
  g_clear_pointer (&self->holder, g_free);
  g_clear_object (&self->settings);

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
  gtk_widget_class_bind_template_child (widget_class, RcrpQueueRow, match_label);
  gtk_widget_class_bind_template_child (widget_class, RcrpQueueRow, holder_label);
  gtk_widget_class_bind_template_child (widget_class, RcrpQueueRow, overdue_box);
  gtk_widget_class_bind_template_child (widget_class, RcrpQueueRow, overdue_label);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_set_css_name (widget_class, "queuerow");
}

static void
rcrp_queue_row_init (RcrpQueueRow *self)
{
  self->shown_minutes = -1;
  gtk_widget_init_template (GTK_WIDGET (self));

  rcrp_reference_label_init (self->reference_label);
}

GtkWidget *
rcrp_queue_row_new (void)
{
  return g_object_new (RCRP_TYPE_QUEUE_ROW, NULL);
}

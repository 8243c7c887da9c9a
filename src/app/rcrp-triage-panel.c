/* rcrp-triage-panel.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "rcrp-accessible.h"
#include "rcrp-agency.h"
#include "rcrp-appeal.h"
#include "rcrp-decision.h"
#include "rcrp-roles.h"
#include "rcrp-triage.h"
#include "rcrp-triage-panel.h"

static const char * const outcome_ids[] = {
  "police_deployed", "referred", "signposted", "no_further_action", NULL
};

/* Each action's key: Ctrl+Shift and the action's first letter. */
static const struct {
  const char *action;
  guint       key;
  const char *accel_label;
} outcome_actions[] = {
  { "triage.deploy-police",     GDK_KEY_P, "<Control><Shift>p" },
  { "triage.refer",             GDK_KEY_R, "<Control><Shift>r" },
  { "triage.signpost",          GDK_KEY_S, "<Control><Shift>s" },
  { "triage.no-further-action", GDK_KEY_N, "<Control><Shift>n" },
};

struct _RcrpTriagePanel
{
  GtkWidget           parent_instance;

  RcrpContext        *context;
  RcrpTriageRules    *rules;
  RcrpCall           *call;
  RcrpTriageAnswers  *answers;
  RcrpRecommendation *recommendation;
  GHashTable         *toggles;          /* question id → GtkToggleButton*[3] */
  GPtrArray          *question_rows;
  GPtrArray          *history_rows;
  gint64              basis;            /* newest decision shown */
  gboolean            updating;
  GPtrArray          *agencies;         /* RcrpAgency, ranked for the call */
  char               *chosen_agency;    /* the coordinator's pick, if any */
  char               *pending_outcome;  /* waiting for a confirmation */
  char              **pending_overrides; /* threshold questions confirmed as overridden */
  gboolean            hold_notice;       /* the info line says the call is on hold */
  char               *session;          /* the window's claim session */
  GTimeSpan           claim_lapse;
  gint64              offered_for;      /* the overdue referral the next agency was offered for */
  GtkWidget          *focus_root;       /* the window whose focus is followed */
  GtkWidget          *to_show;          /* weak: what to scroll into view */
  guint               show_frames;      /* frames left to keep it in view */
  guint               show_tick;

  GtkWidget          *root_box;
  GtkWidget          *scroller;
  GtkLabel           *rules_label;
  AdwPreferencesGroup *questions_group;
  GtkWidget          *recommendation_box;
  GtkImage           *recommendation_icon;
  GtkLabel           *recommendation_label;
  GtkLabel           *completeness_label;
  GtkLabel           *reasons_label;
  GtkLabel           *agencies_label;
  GtkSpinButton      *grade_spin;
  GtkEntry           *threat_entry;
  GtkEntry           *harm_entry;
  GtkEntry           *risk_entry;
  GtkEntry           *investigation_entry;
  GtkEntry           *vulnerability_entry;
  GtkEntry           *engagement_entry;
  GtkGrid            *outcome_grid;
  GtkButton          *outcome_buttons[4];
  AdwComboRow        *agency_row;
  GtkEntry           *rationale_entry;
  GtkLabel           *error_label;
  GtkLabel           *info_label;
  AdwPreferencesGroup *referral_group;
  GPtrArray          *referral_rows;
  AdwPreferencesGroup *appeal_group;
  GPtrArray          *appeal_rows;
  RcrpRole            role;
  AdwPreferencesGroup *history_group;
};

G_DEFINE_FINAL_TYPE (RcrpTriagePanel, rcrp_triage_panel, GTK_TYPE_WIDGET)

enum {
  DECISION_RECORDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void        load_referrals (RcrpTriagePanel *self);
static void        load_appeals   (RcrpTriagePanel *self);
static const char *agency_name    (RcrpTriagePanel *self,
                                   const char      *id);

static char *
join_lines (const char * const *lines,
            const char         *bullet)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; lines != NULL && lines[i] != NULL; i++)
    g_string_append_printf (text, "%s%s%s", i > 0 ? "\n" : "", bullet, lines[i]);

  return g_string_free (text, FALSE);
}

static void
show_error (RcrpTriagePanel *self,
            const char      *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
show_info (RcrpTriagePanel *self,
           const char      *message)
{
  gtk_label_set_text (self->info_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->info_label), message != NULL);
  self->hold_notice = FALSE;
}

/* The threshold questions the answers leave open, by the core's rule. */
static GStrv
open_thresholds (RcrpTriagePanel *self)
{
  if (self->call == NULL || self->rules == NULL || self->answers == NULL)
    return g_new0 (char *, 1);

  return rcrp_triage_rules_open_thresholds (self->rules, rcrp_call_get_category (self->call), self->answers);
}

/* Whether the store would take @outcome as it stands, without an
 * override: police always, anything else once police are ruled out. */
static gboolean
outcome_needs_override (RcrpTriagePanel *self,
                        const char      *outcome)
{
  g_auto(GStrv) open = NULL;

  if (g_strcmp0 (outcome, "police_deployed") == 0)
    return FALSE;

  open = open_thresholds (self);
  return open[0] != NULL;
}

/* The holder's answers so far, kept in the store so they survive another
 * call, an undo and a restart. */
static void
save_draft (RcrpTriagePanel *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;

  if (self->call == NULL || self->session == NULL || self->answers == NULL ||
      !gtk_widget_is_sensitive (GTK_WIDGET (self)))
    return;

  json = rcrp_triage_answers_to_json (self->answers);
  if (!rcrp_store_save_draft (rcrp_context_get_store (self->context), rcrp_call_get_id (self->call),
                              self->session, self->claim_lapse, json,
                              self->rules != NULL ? rcrp_triage_rules_get_version (self->rules) : NULL, &error))
    show_error (self, error->message);
}

/* Returns: (transfer full) (nullable): the call's draft, if it has one. */
static RcrpTriageDraft *
read_draft (RcrpTriagePanel *self)
{
  g_autoptr(GError) error = NULL;
  RcrpTriageDraft *draft;

  draft = rcrp_store_get_draft (rcrp_context_get_store (self->context), rcrp_call_get_id (self->call), &error);
  if (error != NULL)
    show_error (self, error->message);

  return draft;
}

static RcrpAgency *
selected_agency (RcrpTriagePanel *self)
{
  guint index = adw_combo_row_get_selected (self->agency_row);

  if (self->agencies == NULL || index >= self->agencies->len)
    return NULL;

  return g_ptr_array_index (self->agencies, index);
}

static char *
agency_choice_label (RcrpAgency *agency,
                     GDateTime  *now,
                     GTimeZone  *tz)
{
  RcrpAgencyStatus status = rcrp_agency_get_status (agency);

  if (!rcrp_opening_hours_is_open (rcrp_agency_get_hours (agency), now, tz))
    return g_strdup_printf (_("%s (closed now)"), rcrp_agency_get_name (agency));
  if (status == RCRP_AGENCY_STATUS_UNKNOWN || status == RCRP_AGENCY_STATUS_AVAILABLE)
    return g_strdup (rcrp_agency_get_name (agency));
  return g_strdup_printf ("%s (%s)", rcrp_agency_get_name (agency), rcrp_agency_status_get_label (status));
}

/* A long agency name wraps instead of widening the panel (and folding the
 * window into one pane). */
static void
wrap_button_label (GtkButton *button)
{
  GtkWidget *label = gtk_button_get_child (button);

  if (GTK_IS_LABEL (label))
    {
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
    }
}

static void
update_refer_button (RcrpTriagePanel *self)
{
  RcrpAgency *agency = selected_agency (self);
  g_autofree char *label = NULL;

  if (agency != NULL)
    label = g_strdup_printf (_("Refer to %s"), rcrp_agency_get_name (agency));
  else
    label = g_strdup (_("Refer"));

  gtk_button_set_label (self->outcome_buttons[1], label);
  wrap_button_label (self->outcome_buttons[1]);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->outcome_buttons[1]),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

/* The agencies for this call, ranked, in the combo; the coordinator's
 * pick is kept across refreshes, else the best one is chosen. */
static void
update_agencies (RcrpTriagePanel *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  GTimeZone *tz;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  const char * const *recommended;
  guint selected = 0;

  if (self->call == NULL || self->context == NULL || self->recommendation == NULL)
    return;

  all = rcrp_store_list_agencies (rcrp_context_get_store (self->context), &error);
  if (all == NULL)
    {
      show_error (self, error->message);
      return;
    }

  now = rcrp_context_now (self->context);
  tz = rcrp_context_get_time_zone (self->context);
  recommended = rcrp_recommendation_get_agencies (self->recommendation);

  g_clear_pointer (&self->agencies, g_ptr_array_unref);
  self->agencies = rcrp_agencies_rank_for (all, rcrp_call_get_category (self->call), recommended, now, tz);

  for (guint i = 0; i < self->agencies->len; i++)
    {
      RcrpAgency *agency = g_ptr_array_index (self->agencies, i);
      g_autofree char *label = agency_choice_label (agency, now, tz);

      gtk_string_list_append (labels, label);
      if (g_strcmp0 (rcrp_agency_get_id (agency), self->chosen_agency) == 0)
        selected = i;
    }

  self->updating = TRUE;
  adw_combo_row_set_model (self->agency_row, G_LIST_MODEL (labels));
  adw_combo_row_set_selected (self->agency_row, self->agencies->len > 0 ? selected : GTK_INVALID_LIST_POSITION);
  self->updating = FALSE;

  update_refer_button (self);
}

static void
on_agency_selected_cb (RcrpTriagePanel *self)
{
  RcrpAgency *agency;

  if (self->updating)
    return;

  agency = selected_agency (self);
  g_free (self->chosen_agency);
  self->chosen_agency = agency != NULL ? g_strdup (rcrp_agency_get_id (agency)) : NULL;
  update_refer_button (self);
}

static void
update_recommendation (RcrpTriagePanel *self)
{
  g_autofree char *reasons = NULL;
  g_autofree char *agencies = NULL;
  g_autoptr(GPtrArray) agency_labels = g_ptr_array_new ();
  const char *outcome;
  gboolean complete;

  if (self->call == NULL)
    return;

  g_clear_object (&self->recommendation);
  self->recommendation = rcrp_triage_recommend (self->rules, self->call, self->answers);
  outcome = rcrp_recommendation_get_outcome (self->recommendation);
  complete = rcrp_recommendation_get_complete (self->recommendation);

  gtk_label_set_text (self->recommendation_label, rcrp_outcome_get_label (outcome));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->recommendation_label),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _("Recommendation"),
                                  -1);

  if (rcrp_recommendation_get_threshold_met (self->recommendation))
    {
      gtk_image_set_from_icon_name (self->recommendation_icon, "dialog-warning-symbolic");
      gtk_label_set_text (self->completeness_label, _("Police threshold met"));
      gtk_widget_set_css_classes (GTK_WIDGET (self->completeness_label), (const char *[]) { "heading", "error", NULL });
    }
  else if (!complete)
    {
      gtk_image_set_from_icon_name (self->recommendation_icon, "dialog-information-symbolic");
      gtk_label_set_text (self->completeness_label, _("Incomplete: police not yet ruled out"));
      gtk_widget_set_css_classes (GTK_WIDGET (self->completeness_label), (const char *[]) { "heading", "warning", NULL });
    }
  else
    {
      gtk_image_set_from_icon_name (self->recommendation_icon, "emblem-ok-symbolic");
      gtk_label_set_text (self->completeness_label, _("Threshold questions answered"));
      gtk_widget_set_css_classes (GTK_WIDGET (self->completeness_label), (const char *[]) { "heading", "success", NULL });
    }

  reasons = join_lines (rcrp_recommendation_get_reasons (self->recommendation), "• ");
  gtk_label_set_text (self->reasons_label, reasons);

  for (const char * const *a = rcrp_recommendation_get_agencies (self->recommendation); *a != NULL; a++)
    g_ptr_array_add (agency_labels, (gpointer) rcrp_agency_kind_get_label (*a));
  g_ptr_array_add (agency_labels, NULL);
  if (agency_labels->len > 1)
    {
      g_autofree char *list = g_strjoinv (", ", (char **) agency_labels->pdata);

      agencies = g_strdup_printf (_("Agencies: %s"), list);
    }
  gtk_label_set_text (self->agencies_label, agencies != NULL ? agencies : "");
  gtk_widget_set_visible (GTK_WIDGET (self->agencies_label), agencies != NULL);

  /* The recommended action is the one Ctrl+Return takes; it is
   * highlighted only when the store would record it as it stands, never
   * while police are not ruled out. */
  for (guint i = 0; i < G_N_ELEMENTS (self->outcome_buttons); i++)
    {
      gboolean recommended = g_strcmp0 (outcome_ids[i], outcome) == 0;
      gboolean asks = recommended && outcome_needs_override (self, outcome);

      /* What is seen and what a screen reader says agree. */
      if (recommended && !asks)
        gtk_widget_add_css_class (GTK_WIDGET (self->outcome_buttons[i]), "suggested-action");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self->outcome_buttons[i]), "suggested-action");
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->outcome_buttons[i]),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      asks ? _("Recommended once police are ruled out")
                                           : recommended ? _("Recommended") : "",
                                      -1);
    }

  update_agencies (self);
}

static void
set_toggles (RcrpTriagePanel *self,
             const char      *question_id)
{
  GtkToggleButton **buttons = g_hash_table_lookup (self->toggles, question_id);
  RcrpAnswer answer = rcrp_triage_answers_get (self->answers, question_id);

  self->updating = TRUE;
  for (guint i = 0; i < 3; i++)
    {
      gboolean chosen = answer == (RcrpAnswer) (RCRP_ANSWER_YES + i);

      gtk_toggle_button_set_active (buttons[i], chosen);
      gtk_accessible_update_state (GTK_ACCESSIBLE (buttons[i]),
                                   GTK_ACCESSIBLE_STATE_CHECKED, chosen ? GTK_ACCESSIBLE_TRISTATE_TRUE
                                                                        : GTK_ACCESSIBLE_TRISTATE_FALSE,
                                   -1);
    }
  self->updating = FALSE;
}

static void
answer_question (RcrpTriagePanel *self,
                 const char      *question_id,
                 RcrpAnswer       answer)
{
  rcrp_triage_answers_set (self->answers, question_id, answer);
  set_toggles (self, question_id);
  show_error (self, NULL);
  update_recommendation (self);
  save_draft (self);
}

static void
on_answer_toggled_cb (GtkToggleButton *button,
                      RcrpTriagePanel *self)
{
  const char *question_id = g_object_get_data (G_OBJECT (button), "question-id");
  RcrpAnswer answer = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "answer"));

  if (self->updating)
    return;

  /* Clicking the active answer again clears it. */
  if (!gtk_toggle_button_get_active (button))
    {
      if (rcrp_triage_answers_get (self->answers, question_id) == answer)
        answer_question (self, question_id, RCRP_ANSWER_UNANSWERED);
      return;
    }

  answer_question (self, question_id, answer);
}

static gboolean
on_question_key_pressed_cb (GtkEventControllerKey *controller,
                            guint                  keyval,
                            guint                  keycode,
                            GdkModifierType        state,
                            RcrpTriagePanel       *self)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  const char *question_id = g_object_get_data (G_OBJECT (row), "question-id");
  RcrpAnswer answer;

  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK))
    return FALSE;

  switch (gdk_keyval_to_lower (keyval))
    {
    case GDK_KEY_y:
      answer = RCRP_ANSWER_YES;
      break;
    case GDK_KEY_n:
      answer = RCRP_ANSWER_NO;
      break;
    case GDK_KEY_u:
      answer = RCRP_ANSWER_UNKNOWN;
      break;
    default:
      return FALSE;
    }

  answer_question (self, question_id, answer);

  /* On to the next question, so a checklist is worked from the keyboard. */
  for (guint i = 0; i + 1 < self->question_rows->len; i++)
    {
      if (g_ptr_array_index (self->question_rows, i) == row)
        {
          GtkWidget *next = g_ptr_array_index (self->question_rows, i + 1);
          GtkToggleButton **buttons = g_hash_table_lookup (self->toggles,
                                                           g_object_get_data (G_OBJECT (next), "question-id"));

          gtk_widget_grab_focus (GTK_WIDGET (buttons[0]));
          break;
        }
    }

  return TRUE;
}

/* The focused control is kept clear of the edges of the checklist: the
 * decision pane under it and the recommendation over it never hide it.
 * Answers change the recommendation, and with it the space the checklist
 * has, so the place is checked again over the next few frames. */
#define SHOW_MARGIN 12
#define SHOW_FRAMES 3

static GtkWidget *
question_row_of (RcrpTriagePanel *self,
                 GtkWidget       *widget)
{
  for (GtkWidget *w = widget; w != NULL && w != GTK_WIDGET (self); w = gtk_widget_get_parent (w))
    for (guint i = 0; i < self->question_rows->len; i++)
      if (g_ptr_array_index (self->question_rows, i) == w)
        return w;

  return NULL;
}

static gboolean
keep_in_view_cb (GtkWidget     *widget,
                 GdkFrameClock *clock,
                 gpointer       user_data)
{
  RcrpTriagePanel *self = RCRP_TRIAGE_PANEL (widget);
  GtkWidget *viewport = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (self->scroller));
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scroller));
  graphene_rect_t bounds;

  if (self->to_show != NULL && viewport != NULL && gtk_widget_compute_bounds (self->to_show, viewport, &bounds))
    {
      double height = gtk_widget_get_height (viewport);
      double top = bounds.origin.y - SHOW_MARGIN;
      double bottom = bounds.origin.y + bounds.size.height + SHOW_MARGIN;
      double value = gtk_adjustment_get_value (adjustment);

      /* The whole question when it fits, else its start. */
      if (top < 0 || bottom - top > height)
        value += top;
      else if (bottom > height)
        value += bottom - height;
      gtk_adjustment_set_value (adjustment, value);
    }

  if (self->to_show == NULL || --self->show_frames == 0)
    {
      self->show_tick = 0;
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

static void
on_root_focus_changed_cb (GtkRoot         *root,
                          GParamSpec      *pspec,
                          RcrpTriagePanel *self)
{
  GtkWidget *focus = gtk_root_get_focus (root);
  GtkWidget *row;

  if (focus == NULL || !gtk_widget_is_ancestor (focus, self->scroller))
    return;

  /* A question is shown whole: its words, then its answers. */
  row = question_row_of (self, focus);
  g_set_weak_pointer (&self->to_show, row != NULL ? row : focus);
  self->show_frames = SHOW_FRAMES;
  if (self->show_tick == 0)
    self->show_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), keep_in_view_cb, NULL, NULL);
}

static void
rcrp_triage_panel_root (GtkWidget *widget)
{
  RcrpTriagePanel *self = RCRP_TRIAGE_PANEL (widget);

  GTK_WIDGET_CLASS (rcrp_triage_panel_parent_class)->root (widget);

  self->focus_root = GTK_WIDGET (gtk_widget_get_root (widget));
  g_signal_connect_object (self->focus_root, "notify::focus-widget",
                           G_CALLBACK (on_root_focus_changed_cb), self, 0);
}

static void
rcrp_triage_panel_unroot (GtkWidget *widget)
{
  RcrpTriagePanel *self = RCRP_TRIAGE_PANEL (widget);

  if (self->focus_root != NULL)
    g_signal_handlers_disconnect_by_func (self->focus_root, on_root_focus_changed_cb, self);
  self->focus_root = NULL;
  if (self->show_tick != 0)
    gtk_widget_remove_tick_callback (widget, self->show_tick);
  self->show_tick = 0;
  g_clear_weak_pointer (&self->to_show);

  GTK_WIDGET_CLASS (rcrp_triage_panel_parent_class)->unroot (widget);
}

static GtkWidget *
build_question_row (RcrpTriagePanel    *self,
                    RcrpTriageQuestion *question)
{
  static const char *labels[] = { N_("Yes"), N_("No"), N_("Unknown") };
  const char *id = rcrp_triage_question_get_id (question);
  const char *text = rcrp_triage_question_get_text (question);
  GtkToggleButton **buttons = g_new0 (GtkToggleButton *, 3);
  GtkEventController *keys;
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *heading = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *label = gtk_label_new (text);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

  /* The question on its own lines, the answers under it: questions are
   * long and must be read whole. */
  gtk_widget_set_margin_top (row, 10);
  gtk_widget_set_margin_bottom (row, 10);
  gtk_widget_set_margin_start (row, 12);
  gtk_widget_set_margin_end (row, 12);

  if (rcrp_triage_question_get_is_threshold (question))
    {
      GtkWidget *tag = gtk_label_new (_("Threshold"));

      gtk_widget_set_valign (tag, GTK_ALIGN_START);
      gtk_widget_add_css_class (tag, "threshold-tag");
      gtk_widget_add_css_class (tag, "caption-heading");
      gtk_box_append (GTK_BOX (heading), tag);
    }

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (heading), label);
  gtk_box_append (GTK_BOX (row), heading);

  if (rcrp_triage_question_get_help (question) != NULL)
    {
      GtkWidget *help = gtk_label_new (rcrp_triage_question_get_help (question));

      gtk_label_set_wrap (GTK_LABEL (help), TRUE);
      gtk_label_set_xalign (GTK_LABEL (help), 0);
      gtk_widget_add_css_class (help, "dim-label");
      gtk_widget_add_css_class (help, "caption");
      gtk_box_append (GTK_BOX (row), help);
    }

  gtk_widget_add_css_class (box, "linked");
  gtk_widget_set_halign (box, GTK_ALIGN_START);

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *accessible = g_strdup_printf ("%s: %s", _(labels[i]), text);
      /* One answer of three: radio buttons to a screen reader, which
       * say which is checked (GTK 4.8 has no toggle button role, and a
       * pressed push button is not read as an answer). */
      GtkWidget *button = g_object_new (GTK_TYPE_TOGGLE_BUTTON,
                                        "label", _(labels[i]),
                                        "accessible-role", GTK_ACCESSIBLE_ROLE_RADIO,
                                        NULL);

      if (i > 0)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), buttons[0]);

      g_object_set_data_full (G_OBJECT (button), "question-id", g_strdup (id), g_free);
      g_object_set_data (G_OBJECT (button), "answer", GUINT_TO_POINTER (RCRP_ANSWER_YES + i));
      gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                      -1);
      g_signal_connect (button, "toggled", G_CALLBACK (on_answer_toggled_cb), self);
      gtk_box_append (GTK_BOX (box), button);
      buttons[i] = GTK_TOGGLE_BUTTON (button);
    }

  gtk_box_append (GTK_BOX (row), box);
  g_hash_table_insert (self->toggles, g_strdup (id), buttons);

  g_object_set_data_full (G_OBJECT (row), "question-id", g_strdup (id), g_free);
  keys = gtk_event_controller_key_new ();
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_question_key_pressed_cb), self);
  gtk_widget_add_controller (row, keys);

  return row;
}

static void
clear_rows (AdwPreferencesGroup *group,
            GPtrArray           *rows)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);
}

static void
load_history (RcrpTriagePanel *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) decisions = NULL;

  clear_rows (self->history_group, self->history_rows);

  if (self->call == NULL)
    return;

  decisions = rcrp_store_list_decisions (rcrp_context_get_store (self->context),
                                         rcrp_call_get_id (self->call), &error);
  if (decisions == NULL)
    {
      show_error (self, error->message);
      return;
    }

  self->basis = 0;

  for (guint i = 0; i < decisions->len; i++)
    {
      RcrpDecision *decision = g_ptr_array_index (decisions, i);
      g_autoptr(GDateTime) local = g_date_time_to_local (rcrp_decision_get_at (decision));

      self->basis = MAX (self->basis, rcrp_decision_get_event_id (decision));
      g_autofree char *when = g_date_time_format (local, "%H:%M:%S");
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      GtkWidget *row = adw_action_row_new ();
      const char *who = rcrp_decision_get_display_name (decision) != NULL
                        ? rcrp_decision_get_display_name (decision)
                        : rcrp_decision_get_operator (decision);

      if (rcrp_decision_get_agency (decision) != NULL)
        title = g_strdup_printf ("%s — %s", rcrp_outcome_get_done_label (rcrp_decision_get_outcome (decision)),
                                 agency_name (self, rcrp_decision_get_agency (decision)));
      else
        title = g_strdup (rcrp_outcome_get_done_label (rcrp_decision_get_outcome (decision)));

      if (rcrp_decision_get_undone_by (decision) != 0)
        {
          g_autofree char *undone = g_strdup_printf (_("%s (undone)"), title);

          g_free (title);
          title = g_steal_pointer (&undone);
        }

      /* Translators: time, who, workstation and, if any, the rationale. */
      subtitle = g_strdup_printf (_("%s by %s at %s%s%s"), when, who,
                                  rcrp_decision_get_workstation (decision),
                                  rcrp_decision_get_rationale (decision) != NULL ? " — " : "",
                                  rcrp_decision_get_rationale (decision) != NULL
                                    ? rcrp_decision_get_rationale (decision) : "");

      /* An override of the police threshold is said in words. */
      if (rcrp_decision_get_overrides (decision)[0] != NULL)
        {
          guint n = g_strv_length ((char **) rcrp_decision_get_overrides (decision));
          g_autofree char *overridden = g_strdup_printf (ngettext ("%s\nOverride: police not ruled out (%u threshold question open)",
                                                                   "%s\nOverride: police not ruled out (%u threshold questions open)",
                                                                   n),
                                                         subtitle, n);

          g_free (subtitle);
          subtitle = g_steal_pointer (&overridden);
        }
      if (rcrp_decision_get_take_over (decision))
        {
          g_autofree char *taken = g_strdup_printf (_("%s\nOn taking the call over"), subtitle);

          g_free (subtitle);
          subtitle = g_steal_pointer (&taken);
        }

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_preferences_group_add (self->history_group, row);
      g_ptr_array_add (self->history_rows, row);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->history_group), decisions->len > 0);

  load_referrals (self);
  load_appeals (self);
}

static const char *
entry_text (GtkEntry *entry)
{
  return gtk_editable_get_text (GTK_EDITABLE (entry));
}

static const char *
agency_name (RcrpTriagePanel *self,
             const char      *id)
{
  RcrpAgency *agency = self->agencies != NULL ? rcrp_agencies_find (self->agencies, id) : NULL;

  /* Decisions from before the directory named a kind of agency. */
  return agency != NULL ? rcrp_agency_get_name (agency) : rcrp_agency_kind_get_label (id);
}

static void
record_outcome (RcrpTriagePanel *self,
                const char      *outcome)
{
  g_autoptr(RcrpDecision) decision = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *answers = NULL;
  g_autofree char *thrive = NULL;
  g_autofree char *done = NULL;
  RcrpAgency *agency = NULL;
  gint64 event_id;

  if (self->call == NULL || self->recommendation == NULL)
    return;

  thrive = rcrp_thrive_to_json (entry_text (self->threat_entry), entry_text (self->harm_entry),
                                entry_text (self->risk_entry), entry_text (self->investigation_entry),
                                entry_text (self->vulnerability_entry), entry_text (self->engagement_entry),
                                gtk_spin_button_get_value_as_int (self->grade_spin), &error);
  if (thrive == NULL)
    {
      show_error (self, error->message);
      return;
    }

  answers = rcrp_triage_answers_to_json (self->answers);

  decision = rcrp_decision_new (rcrp_call_get_id (self->call), outcome,
                                rcrp_recommendation_get_outcome (self->recommendation));
  if (g_str_equal (outcome, "referred"))
    {
      agency = selected_agency (self);
      if (agency != NULL)
        rcrp_decision_set_agency (decision, rcrp_agency_get_id (agency));
    }
  if (*entry_text (self->rationale_entry) != '\0')
    rcrp_decision_set_rationale (decision, entry_text (self->rationale_entry));
  rcrp_decision_set_answers_json (decision, answers);
  rcrp_decision_set_thrive_json (decision, thrive);
  rcrp_decision_set_rules_version (decision, rcrp_recommendation_get_rules_version (self->recommendation));
  rcrp_decision_set_reasons (decision, rcrp_recommendation_get_reasons (self->recommendation));
  rcrp_decision_set_display_name (decision, rcrp_context_get_display_name (self->context));
  rcrp_decision_set_basis (decision, self->basis);
  rcrp_decision_set_session (decision, self->session, self->claim_lapse);
  rcrp_decision_set_overrides (decision, (const char * const *) self->pending_overrides);
  g_clear_pointer (&self->pending_overrides, g_strfreev);

  event_id = rcrp_store_record_decision (rcrp_context_get_store (self->context), decision, &error);
  if (event_id < 0)
    {
      show_error (self, error->message);
      /* The loser of a race sees the winner's decision at once. */
      if (g_error_matches (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_CONFLICT))
        load_history (self);
      if (g_error_matches (error, RCRP_DECISION_ERROR, RCRP_DECISION_ERROR_RATIONALE_REQUIRED))
        gtk_widget_grab_focus (GTK_WIDGET (self->rationale_entry));
      return;
    }

  show_error (self, NULL);
  show_info (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->rationale_entry), "");
  load_history (self);

  if (agency != NULL)
    done = g_strdup_printf (_("%s: referred to %s"), rcrp_call_get_cad_ref (self->call), rcrp_agency_get_name (agency));
  else
    done = g_strdup_printf ("%s: %s", rcrp_call_get_cad_ref (self->call), rcrp_outcome_get_done_label (outcome));

  g_signal_emit (self, signals[DECISION_RECORDED], 0, rcrp_call_get_id (self->call), event_id, done);
}

static void
on_confirm_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        RcrpTriagePanel  *self)
{
  g_autofree char *outcome = g_steal_pointer (&self->pending_outcome);

  if (g_str_equal (response, "refer") && outcome != NULL)
    record_outcome (self, outcome);
  else
    g_clear_pointer (&self->pending_overrides, g_strfreev);
}

static void decide (RcrpTriagePanel *self,
                    const char      *outcome);

static void
on_override_reason_changed_cb (GtkEditable      *entry,
                               AdwMessageDialog *dialog)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "override", *text != '\0');
}

static void
on_override_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         RcrpTriagePanel  *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "reason");
  const char * const *open = g_object_get_data (G_OBJECT (dialog), "open");
  g_autofree char *outcome = g_steal_pointer (&self->pending_outcome);

  if (!g_str_equal (response, "override") || outcome == NULL || self->call == NULL)
    return;

  /* The coordinator named the open questions by confirming this list,
   * and said why: both go into the record with the decision. */
  gtk_editable_set_text (GTK_EDITABLE (self->rationale_entry), gtk_editable_get_text (entry));
  g_strfreev (self->pending_overrides);
  self->pending_overrides = g_strdupv ((char **) open);
  decide (self, outcome);
}

/* Police not ruled out: say which questions are open and ask, with the
 * reason required, before a decision not to send police. */
static void
ask_override (RcrpTriagePanel *self,
              const char      *outcome)
{
  g_auto(GStrv) open = open_thresholds (self);
  g_autofree char *heading = NULL;
  GString *body = g_string_new (NULL);
  GtkWidget *dialog, *entry;

  g_string_append_printf (body, _("“%s” would be recorded while these threshold questions are not answered No:\n"),
                          rcrp_outcome_get_label (outcome));
  for (guint i = 0; open[i] != NULL; i++)
    {
      RcrpTriageQuestion *question = rcrp_triage_rules_lookup_question (self->rules,
                                                                        rcrp_call_get_category (self->call), open[i]);
      RcrpAnswer answer = rcrp_triage_answers_get (self->answers, open[i]);

      g_string_append_printf (body, "\n• %s (%s)", question != NULL ? rcrp_triage_question_get_text (question) : open[i],
                              answer == RCRP_ANSWER_YES ? _("Yes") :
                              answer == RCRP_ANSWER_UNKNOWN ? _("Unknown") : _("not answered"));
    }
  g_string_append (body, _("\n\nRecord it only if police are not needed whatever the answers. The override and "
                           "your reason go into the record."));

  heading = g_strdup_printf (_("%s with Police Not Ruled Out?"), rcrp_outcome_get_label (outcome));
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), heading, body->str);
  g_string_free (body, TRUE);

  entry = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (entry), gtk_editable_get_text (GTK_EDITABLE (self->rationale_entry)));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Why police are not needed"), -1);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Why police are not needed (required)"));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "override", _("_Record Override"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "override", ADW_RESPONSE_DESTRUCTIVE);
  /* Enter or Escape never records it: only the button, with a reason. */
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  on_override_reason_changed_cb (GTK_EDITABLE (entry), ADW_MESSAGE_DIALOG (dialog));
  g_signal_connect (entry, "changed", G_CALLBACK (on_override_reason_changed_cb), dialog);

  g_object_set_data (G_OBJECT (dialog), "reason", entry);
  g_object_set_data_full (G_OBJECT (dialog), "open", g_steal_pointer (&open), (GDestroyNotify) g_strfreev);
  g_free (self->pending_outcome);
  self->pending_outcome = g_strdup (outcome);
  g_signal_connect (dialog, "response", G_CALLBACK (on_override_response_cb), self);
  rcrp_accessible_strip_mnemonics (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

/* One click: the outcome is recorded at once, unless police are not ruled
 * out (asks, naming the open questions) or a referral goes to an agency
 * that is closed or full (asks, saying why). */
static void
outcome_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  RcrpTriagePanel *self = RCRP_TRIAGE_PANEL (widget);
  const char *outcome = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (outcome_actions); i++)
    if (g_str_equal (action_name, outcome_actions[i].action))
      outcome = outcome_ids[i];

  if (g_str_equal (action_name, "triage.record") && self->recommendation != NULL)
    outcome = rcrp_recommendation_get_outcome (self->recommendation);

  if (outcome == NULL || self->call == NULL)
    return;

  g_clear_pointer (&self->pending_overrides, g_strfreev);
  decide (self, outcome);
}

static void
decide (RcrpTriagePanel *self,
        const char      *outcome)
{
  GtkWidget *widget = GTK_WIDGET (self);

  if (self->pending_overrides == NULL && outcome_needs_override (self, outcome))
    {
      ask_override (self, outcome);
      return;
    }

  if (g_str_equal (outcome, "referred"))
    {
      RcrpAgency *agency = selected_agency (self);
      GTimeZone *tz = rcrp_context_get_time_zone (self->context);
      g_autoptr(GDateTime) now = rcrp_context_now (self->context);
      g_autofree char *obstacle = NULL;
      g_autofree char *heading = NULL;
      GtkWidget *dialog;

      if (agency == NULL)
        {
          show_error (self, _("Choose the agency to refer to"));
          gtk_widget_grab_focus (GTK_WIDGET (self->agency_row));
          return;
        }

      obstacle = rcrp_agency_describe_obstacle (agency, now, tz);
      if (obstacle != NULL)
        {
          heading = g_strdup_printf (_("Refer to %s?"), rcrp_agency_get_name (agency));
          dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), heading, obstacle);
          adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                            "cancel", _("_Cancel"),
                                            "refer", _("_Refer Anyway"),
                                            NULL);
          adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "refer",
                                                      ADW_RESPONSE_DESTRUCTIVE);
          adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
          adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
          g_free (self->pending_outcome);
          self->pending_outcome = g_strdup (outcome);
          g_signal_connect (dialog, "response", G_CALLBACK (on_confirm_response_cb), self);
          rcrp_accessible_strip_mnemonics (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
          return;
        }
    }

  record_outcome (self, outcome);
}

/* Appeals */

static GtkWidget *
labelled (const char *label_text,
          GtkWidget  *widget)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *label = gtk_label_new_with_mnemonic (label_text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), widget);
  /* Named once, by the name its caller gives it, not by the label too. */
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), widget);

  return box;
}

static void
on_lodge_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      RcrpTriagePanel  *self)
{
  GtkDropDown *who = g_object_get_data (G_OBJECT (dialog), "who");
  GtkEditable *name = g_object_get_data (G_OBJECT (dialog), "name");
  GtkEditable *grounds = g_object_get_data (G_OBJECT (dialog), "grounds");
  g_autoptr(RcrpAppeal) appeal = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *done = NULL;

  if (!g_str_equal (response, "lodge") || self->call == NULL)
    return;

  appeal = rcrp_store_lodge_appeal (rcrp_context_get_store (self->context), rcrp_call_get_id (self->call),
                                    gtk_drop_down_get_selected (who), gtk_editable_get_text (name),
                                    gtk_editable_get_text (grounds), &error);
  if (appeal == NULL)
    {
      show_error (self, error->message);
      return;
    }

  show_error (self, NULL);
  done = g_strdup_printf (_("Appeal %s lodged: give this reference to the appellant. The call is on hold "
                            "for a supervisor."), appeal->reference);
  show_info (self, done);
  self->hold_notice = TRUE;
  load_history (self);
  g_signal_emit (self, signals[DECISION_RECORDED], 0, rcrp_call_get_id (self->call), (gint64) 0, done);
}

static void
lodge_appeal_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  RcrpTriagePanel *self = RCRP_TRIAGE_PANEL (widget);
  const char *who_labels[] = { rcrp_appellant_get_label (RCRP_APPELLANT_CALLER),
                               rcrp_appellant_get_label (RCRP_APPELLANT_PARTNER_AGENCY),
                               rcrp_appellant_get_label (RCRP_APPELLANT_OTHER), NULL };
  GtkWidget *dialog, *box, *who, *name, *grounds;
  g_autofree char *heading = NULL;

  if (self->call == NULL)
    return;

  heading = g_strdup_printf (_("Appeal the Decision on %s"), rcrp_call_get_cad_ref (self->call));
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), heading,
                                   _("The call goes on hold at the top of every queue until a supervisor reviews "
                                     "the decision. The appellant is given a reference number."));

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  who = gtk_drop_down_new_from_strings (who_labels);
  name = gtk_entry_new ();
  grounds = gtk_entry_new ();
  gtk_entry_set_activates_default (GTK_ENTRY (grounds), TRUE);
  gtk_box_append (GTK_BOX (box), labelled (_("_Who is appealing"), who));
  gtk_box_append (GTK_BOX (box), labelled (_("_Partner agency (if one is appealing)"), name));
  gtk_box_append (GTK_BOX (box), labelled (_("_Grounds, as given"), grounds));
  gtk_accessible_update_property (GTK_ACCESSIBLE (who), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Who is appealing"), -1);
  rcrp_accessible_name_drop_down (GTK_DROP_DOWN (who), _("Who is appealing"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (name), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Partner agency"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (grounds), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Grounds"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "lodge", _("_Lodge Appeal"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "lodge", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "lodge");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "who", who);
  g_object_set_data (G_OBJECT (dialog), "name", name);
  g_object_set_data (G_OBJECT (dialog), "grounds", grounds);
  g_signal_connect (dialog, "response", G_CALLBACK (on_lodge_response_cb), self);
  rcrp_accessible_strip_mnemonics (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (grounds);
}

static void
on_resolve_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        RcrpTriagePanel  *self)
{
  const char *reference = g_object_get_data (G_OBJECT (dialog), "reference");
  GtkEditable *rationale = g_object_get_data (G_OBJECT (dialog), "rationale");
  GtkDropDown *outcome = g_object_get_data (G_OBJECT (dialog), "outcome");
  g_autoptr(RcrpDecision) overturn = NULL;
  g_autoptr(RcrpAppeal) appeal = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *done = NULL;

  if (g_str_equal (response, "cancel") || self->call == NULL)
    return;

  if (g_str_equal (response, "overturn"))
    {
      const char *chosen = outcome_ids[gtk_drop_down_get_selected (outcome)];

      overturn = rcrp_decision_new (rcrp_call_get_id (self->call), chosen,
                                    self->recommendation != NULL ? rcrp_recommendation_get_outcome (self->recommendation) : NULL);
      if (g_str_equal (chosen, "referred") && selected_agency (self) != NULL)
        rcrp_decision_set_agency (overturn, rcrp_agency_get_id (selected_agency (self)));
      rcrp_decision_set_display_name (overturn, rcrp_context_get_display_name (self->context));
      if (self->answers != NULL)
        {
          g_autofree char *answers = rcrp_triage_answers_to_json (self->answers);

          rcrp_decision_set_answers_json (overturn, answers);
        }
    }

  appeal = rcrp_store_resolve_appeal (rcrp_context_get_store (self->context), reference, overturn,
                                      gtk_editable_get_text (rationale), &error);
  if (appeal == NULL)
    {
      show_error (self, error->message);
      load_history (self);
      return;
    }

  show_error (self, NULL);
  done = g_strdup_printf (_("Appeal %s: %s after %.0f min"), appeal->reference,
                          rcrp_appeal_state_get_label (appeal->state), rcrp_appeal_get_review_minutes (appeal));
  show_info (self, done);
  load_history (self);
  g_signal_emit (self, signals[DECISION_RECORDED], 0, rcrp_call_get_id (self->call), (gint64) 0, done);
}

static void
on_review_clicked_cb (GtkButton       *button,
                      RcrpTriagePanel *self)
{
  const char *reference = g_object_get_data (G_OBJECT (button), "reference");
  gboolean overturn = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "overturn"));
  const char *labels[] = { rcrp_outcome_get_label (outcome_ids[0]), rcrp_outcome_get_label (outcome_ids[1]),
                           rcrp_outcome_get_label (outcome_ids[2]), rcrp_outcome_get_label (outcome_ids[3]), NULL };
  g_autofree char *heading = g_strdup_printf (overturn ? _("Overturn Appeal %s") : _("Uphold Appeal %s"), reference);
  GtkWidget *dialog, *box, *rationale, *outcome = NULL;

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), heading,
                                   overturn ? _("The new outcome is recorded as your decision; the original stays "
                                                "in the history.")
                                            : _("The decision stands and the call comes off hold."));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  if (overturn)
    {
      outcome = gtk_drop_down_new_from_strings (labels);
      gtk_accessible_update_property (GTK_ACCESSIBLE (outcome), GTK_ACCESSIBLE_PROPERTY_LABEL, _("New outcome"), -1);
      rcrp_accessible_name_drop_down (GTK_DROP_DOWN (outcome), _("New outcome"));
      gtk_box_append (GTK_BOX (box), labelled (_("_New outcome"), outcome));
    }
  rationale = gtk_entry_new ();
  gtk_entry_set_activates_default (GTK_ENTRY (rationale), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (rationale), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Supervisor's rationale"), -1);
  gtk_box_append (GTK_BOX (box), labelled (_("Supervisor’s _rationale (required)"), rationale));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    overturn ? "overturn" : "uphold", overturn ? _("_Overturn") : _("_Uphold"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), overturn ? "overturn" : "uphold",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), overturn ? "overturn" : "uphold");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "reference", g_strdup (reference), g_free);
  g_object_set_data (G_OBJECT (dialog), "rationale", rationale);
  g_object_set_data (G_OBJECT (dialog), "outcome", outcome);
  g_signal_connect (dialog, "response", G_CALLBACK (on_resolve_response_cb), self);
  rcrp_accessible_strip_mnemonics (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (rationale);
}

static GtkWidget *
review_button (RcrpTriagePanel *self,
               RcrpAppeal      *appeal,
               gboolean         overturn)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (overturn ? _("_Overturn…") : _("_Uphold…"));
  g_autofree char *accessible = g_strdup_printf (overturn ? _("Overturn appeal %s") : _("Uphold appeal %s"),
                                                 appeal->reference);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  rcrp_accessible_name_once (button, accessible);
  g_object_set_data_full (G_OBJECT (button), "reference", g_strdup (appeal->reference), g_free);
  g_object_set_data (G_OBJECT (button), "overturn", GINT_TO_POINTER (overturn));
  g_signal_connect (button, "clicked", G_CALLBACK (on_review_clicked_cb), self);

  return button;
}

static void
load_appeals (RcrpTriagePanel *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) appeals = NULL;
  g_autoptr(GDateTime) now = NULL;
  gboolean open = FALSE;
  const char *outcome;

  clear_rows (self->appeal_group, self->appeal_rows);
  gtk_widget_set_visible (GTK_WIDGET (self->appeal_group), FALSE);

  if (self->call == NULL)
    return;

  appeals = rcrp_store_list_appeals (rcrp_context_get_store (self->context), rcrp_call_get_id (self->call),
                                     FALSE, &error);
  if (appeals == NULL)
    {
      show_error (self, error->message);
      return;
    }

  now = rcrp_clock_now (rcrp_context_get_clock (self->context));

  for (guint i = 0; i < appeals->len; i++)
    {
      RcrpAppeal *appeal = g_ptr_array_index (appeals, i);
      g_autoptr(GDateTime) lodged = g_date_time_to_timezone (appeal->lodged_at,
                                                             rcrp_context_get_time_zone (self->context));
      g_autofree char *lodged_text = g_date_time_format (lodged, "%H:%M");
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);

      if (appeal->state == RCRP_APPEAL_OPEN)
        {
          int waiting = (int) (g_date_time_difference (now, appeal->lodged_at) / G_TIME_SPAN_MINUTE);

          open = TRUE;
          title = g_strdup_printf (_("%s: on hold, awaiting supervisor for %d min"), appeal->reference, MAX (waiting, 0));
          subtitle = g_strdup_printf (_("%s%s%s at %s, lodged by %s: “%s”"), rcrp_appellant_get_label (appeal->appellant),
                                      appeal->appellant_name != NULL ? " " : "",
                                      appeal->appellant_name != NULL ? appeal->appellant_name : "",
                                      lodged_text, appeal->lodged_by, appeal->grounds);
          if (rcrp_role_can (self->role, RCRP_PERMISSION_RESOLVE_APPEAL))
            {
              adw_action_row_add_suffix (ADW_ACTION_ROW (row), review_button (self, appeal, FALSE));
              adw_action_row_add_suffix (ADW_ACTION_ROW (row), review_button (self, appeal, TRUE));
            }
        }
      else
        {
          title = g_strdup_printf ("%s: %s%s%s", appeal->reference, rcrp_appeal_state_get_label (appeal->state),
                                   appeal->new_outcome != NULL ? " — " : "",
                                   appeal->new_outcome != NULL ? rcrp_outcome_get_done_label (appeal->new_outcome) : "");
          subtitle = g_strdup_printf (_("Reviewed by %s %.0f min after the appeal: %s"), appeal->resolved_by,
                                      rcrp_appeal_get_review_minutes (appeal), appeal->rationale);
        }

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_preferences_group_add (self->appeal_group, row);
      g_ptr_array_add (self->appeal_rows, row);
    }

  outcome = rcrp_call_get_outcome (self->call);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "triage.lodge-appeal",
                                 !open && outcome != NULL && !g_str_equal (outcome, "police_deployed") &&
                                 rcrp_role_can (self->role, RCRP_PERMISSION_LODGE_APPEAL));

  if (!open && outcome != NULL && !g_str_equal (outcome, "police_deployed"))
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *button = gtk_button_new_with_mnemonic (_("_Lodge Appeal…"));

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "triage.lodge-appeal");
      rcrp_accessible_name_once (button, _("Lodge appeal"));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("The caller or a partner challenges this decision"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_preferences_group_add (self->appeal_group, row);
      g_ptr_array_add (self->appeal_rows, row);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->appeal_group), self->appeal_rows->len > 0);
}

/* Referrals */

static char *
referral_text (RcrpTriagePanel *self,
               RcrpAgency      *agency)
{
  RcrpCall *call = self->call;
  GString *text = g_string_new (NULL);
  g_autoptr(GDateTime) received = g_date_time_to_local (rcrp_call_get_received_at (call));
  g_autofree char *when = g_date_time_format (received, "%Y-%m-%d %H:%M");
  const char * const *reasons = self->recommendation != NULL ? rcrp_recommendation_get_reasons (self->recommendation) : NULL;

  /* What the agency needs to act, and no more: this goes by secure e-mail
   * or is read out on the phone. */
  g_string_append_printf (text, _("Right Care, Right Person referral to %s\n"), rcrp_agency_get_name (agency));
  g_string_append_printf (text, _("Police reference: %s (received %s)\n"), rcrp_call_get_cad_ref (call), when);
  g_string_append_printf (text, _("Category: %s\n"), rcrp_category_get_label (rcrp_call_get_category (call)));
  g_string_append_printf (text, _("Summary: %s\n"), rcrp_call_get_summary (call));
  if (rcrp_call_get_address (call) != NULL)
    g_string_append_printf (text, _("Location: %s\n"), rcrp_call_get_address (call));
  else if (rcrp_call_get_postcode (call) != NULL)
    g_string_append_printf (text, _("Location: %s\n"), rcrp_call_get_postcode (call));
  if (rcrp_call_get_subject_name (call) != NULL)
    g_string_append_printf (text, _("Person: %s\n"), rcrp_call_get_subject_name (call));
  if (reasons != NULL && reasons[0] != NULL)
    {
      g_string_append (text, _("Why this agency:\n"));
      for (guint i = 0; reasons[i] != NULL; i++)
        g_string_append_printf (text, "  • %s\n", reasons[i]);
    }
  if (self->answers != NULL && self->rules != NULL)
    {
      GPtrArray *questions = rcrp_triage_rules_get_questions (self->rules, rcrp_call_get_category (call));

      g_string_append (text, _("Checklist:\n"));
      for (guint i = 0; i < questions->len; i++)
        {
          RcrpTriageQuestion *q = g_ptr_array_index (questions, i);
          RcrpAnswer answer = rcrp_triage_answers_get (self->answers, rcrp_triage_question_get_id (q));

          if (answer != RCRP_ANSWER_UNANSWERED)
            g_string_append_printf (text, "  • %s %s\n", rcrp_triage_question_get_text (q),
                                    answer == RCRP_ANSWER_YES ? _("Yes") :
                                    answer == RCRP_ANSWER_NO ? _("No") : _("Unknown"));
        }
    }
  g_string_append_printf (text, _("Referred by %s, police control room\n"), rcrp_context_get_display_name (self->context));

  return g_string_free (text, FALSE);
}

static void
on_copy_referral_cb (GtkButton       *button,
                     RcrpTriagePanel *self)
{
  const char *agency_id = g_object_get_data (G_OBJECT (button), "agency-id");
  RcrpAgency *agency = self->agencies != NULL ? rcrp_agencies_find (self->agencies, agency_id) : NULL;
  g_autofree char *text = NULL;

  if (agency == NULL)
    return;

  text = referral_text (self, agency);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  show_info (self, _("Referral text copied"));
}

/* After a decline: the next suitable agency, ready to send. */
static void
offer_next_agency (RcrpTriagePanel *self,
                   const char      *declined_id,
                   const char      *why)
{
  GTimeZone *tz = rcrp_context_get_time_zone (self->context);
  g_autoptr(GDateTime) now = rcrp_context_now (self->context);
  g_autofree char *message = NULL;

  update_agencies (self);

  for (guint i = 0; self->agencies != NULL && i < self->agencies->len; i++)
    {
      RcrpAgency *agency = g_ptr_array_index (self->agencies, i);
      g_autofree char *obstacle = NULL;

      if (g_strcmp0 (rcrp_agency_get_id (agency), declined_id) == 0)
        continue;
      obstacle = rcrp_agency_describe_obstacle (agency, now, tz);
      if (obstacle != NULL)
        continue;

      g_free (self->chosen_agency);
      self->chosen_agency = g_strdup (rcrp_agency_get_id (agency));
      adw_combo_row_set_selected (self->agency_row, i);
      message = g_strdup_printf (_("%s Next suitable agency: %s. Press “Refer to %s” to send."),
                                 why, rcrp_agency_get_name (agency), rcrp_agency_get_name (agency));
      show_info (self, message);
      gtk_widget_grab_focus (GTK_WIDGET (self->outcome_buttons[1]));
      return;
    }

  message = g_strdup_printf (_("%s No other suitable agency can take the call now."), why);
  show_info (self, message);
}

static void
on_decline_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        RcrpTriagePanel  *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "reason");
  gint64 decision_event_id = *(gint64 *) g_object_get_data (G_OBJECT (dialog), "decision");
  const char *agency_id = g_object_get_data (G_OBJECT (dialog), "agency-id");
  g_autoptr(GError) error = NULL;
  g_autofree char *why = NULL;

  if (!g_str_equal (response, "decline"))
    return;

  if (rcrp_store_respond_to_referral (rcrp_context_get_store (self->context), decision_event_id, FALSE,
                                      gtk_editable_get_text (entry), &error) < 0)
    {
      show_error (self, error->message);
      return;
    }

  show_error (self, NULL);
  load_history (self);
  why = g_strdup_printf (_("%s declined: %s."), agency_name (self, agency_id), gtk_editable_get_text (entry));
  offer_next_agency (self, agency_id, why);
  g_signal_emit (self, signals[DECISION_RECORDED], 0, rcrp_call_get_id (self->call), (gint64) 0, why);
}

static void
on_decline_reason_changed_cb (GtkEditable      *entry,
                              AdwMessageDialog *dialog)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "decline", *text != '\0');
}

static void
on_decline_clicked_cb (GtkButton       *button,
                       RcrpTriagePanel *self)
{
  const char *agency_id = g_object_get_data (G_OBJECT (button), "agency-id");
  gint64 *decision = g_new (gint64, 1);
  g_autofree char *heading = g_strdup_printf (_("%s Declined the Referral"), agency_name (self, agency_id));
  GtkWidget *dialog, *entry;

  *decision = *(gint64 *) g_object_get_data (G_OBJECT (button), "decision");

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), heading,
                                   _("Say why, as the agency gave it. It is kept for the shift summary, "
                                     "and the next suitable agency is offered."));
  entry = gtk_entry_new ();
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reason for declining"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "decline", _("_Record Decline"),
                                    NULL);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "decline", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "decline");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "reason", entry);
  g_object_set_data_full (G_OBJECT (dialog), "decision", decision, g_free);
  g_object_set_data_full (G_OBJECT (dialog), "agency-id", g_strdup (agency_id), g_free);
  g_signal_connect (entry, "changed", G_CALLBACK (on_decline_reason_changed_cb), dialog);
  g_signal_connect (dialog, "response", G_CALLBACK (on_decline_response_cb), self);
  rcrp_accessible_strip_mnemonics (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_accept_clicked_cb (GtkButton       *button,
                      RcrpTriagePanel *self)
{
  gint64 decision = *(gint64 *) g_object_get_data (G_OBJECT (button), "decision");
  const char *agency_id = g_object_get_data (G_OBJECT (button), "agency-id");
  g_autoptr(GError) error = NULL;
  g_autofree char *done = NULL;

  if (rcrp_store_respond_to_referral (rcrp_context_get_store (self->context), decision, TRUE, NULL, &error) < 0)
    {
      show_error (self, error->message);
      load_history (self);
      return;
    }

  show_error (self, NULL);
  load_history (self);
  done = g_strdup_printf (_("%s accepted the referral"), agency_name (self, agency_id));
  g_signal_emit (self, signals[DECISION_RECORDED], 0, rcrp_call_get_id (self->call), (gint64) 0, done);
}

static GtkWidget *
referral_button (RcrpTriagePanel *self,
                 const char      *label,
                 const char      *accessible,
                 RcrpReferral    *referral,
                 GCallback        callback)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);
  gint64 *decision = g_new (gint64, 1);

  *decision = referral->decision_event_id;
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  rcrp_accessible_name_once (button, accessible);
  g_object_set_data_full (G_OBJECT (button), "decision", decision, g_free);
  g_object_set_data_full (G_OBJECT (button), "agency-id", g_strdup (referral->agency_id), g_free);
  g_signal_connect (button, "clicked", callback, self);

  return button;
}

static void
load_referrals (RcrpTriagePanel *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) referrals = NULL;
  RcrpReferral *referral;
  RcrpAgency *agency;
  GtkWidget *row;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  clear_rows (self->referral_group, self->referral_rows);
  gtk_widget_set_visible (GTK_WIDGET (self->referral_group), FALSE);

  if (self->call == NULL)
    return;

  referrals = rcrp_store_list_referrals (rcrp_context_get_store (self->context), rcrp_call_get_id (self->call),
                                         FALSE, &error);
  if (referrals == NULL)
    {
      show_error (self, error->message);
      return;
    }

  /* The latest referral: what the coordinator is waiting on. */
  if (referrals->len == 0)
    return;
  referral = g_ptr_array_index (referrals, referrals->len - 1);
  if (referral->state == RCRP_REFERRAL_WITHDRAWN)
    return;

  agency = self->agencies != NULL ? rcrp_agencies_find (self->agencies, referral->agency_id) : NULL;
  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);

  if (referral->state == RCRP_REFERRAL_PENDING)
    {
      g_autoptr(GDateTime) due = g_date_time_to_timezone (referral->due_at,
                                                          rcrp_context_get_time_zone (self->context));
      g_autoptr(GDateTime) now = rcrp_clock_now (rcrp_context_get_clock (self->context));
      g_autofree char *due_text = g_date_time_format (due, "%H:%M");
      gboolean overdue = g_date_time_compare (now, referral->due_at) > 0;

      title = g_strdup_printf (overdue ? _("%s: no answer, was due %s") : _("%s: waiting for an answer, due %s"),
                               agency_name (self, referral->agency_id), due_text);

      /* Past the agency's response target: the next suitable agency is
       * ready to send, once (the coordinator may choose otherwise). */
      if (overdue && self->offered_for != referral->decision_event_id)
        {
          int minutes = (int) (g_date_time_difference (now, referral->referred_at) / G_TIME_SPAN_MINUTE);
          g_autofree char *why = g_strdup_printf (_("%s has not answered in %d min."),
                                                  agency_name (self, referral->agency_id), minutes);

          self->offered_for = referral->decision_event_id;
          offer_next_agency (self, referral->agency_id, why);
        }
    }
  else
    {
      g_autoptr(GDateTime) at = g_date_time_to_timezone (referral->responded_at,
                                                         rcrp_context_get_time_zone (self->context));
      g_autofree char *at_text = g_date_time_format (at, "%H:%M");

      title = g_strdup_printf ("%s: %s %s%s%s", agency_name (self, referral->agency_id),
                               rcrp_referral_state_get_label (referral->state), at_text,
                               referral->reason != NULL ? " — " : "",
                               referral->reason != NULL ? referral->reason : "");
    }

  if (agency != NULL)
    subtitle = g_strdup_printf (_("Phone %s · %s"), *rcrp_agency_get_phone (agency) ? rcrp_agency_get_phone (agency) : "—",
                                *rcrp_agency_get_email (agency) ? rcrp_agency_get_email (agency) : "—");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
    }
  adw_preferences_group_add (self->referral_group, row);
  g_ptr_array_add (self->referral_rows, row);

  if (referral->state == RCRP_REFERRAL_PENDING)
    {
      GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *actions = adw_action_row_new ();

      gtk_box_append (GTK_BOX (buttons),
                      referral_button (self, _("_Copy Referral Text"), _("Copy referral text"),
                                       referral, G_CALLBACK (on_copy_referral_cb)));
      gtk_box_append (GTK_BOX (buttons),
                      referral_button (self, _("_Accepted"), _("Agency accepted"),
                                       referral, G_CALLBACK (on_accept_clicked_cb)));
      gtk_box_append (GTK_BOX (buttons),
                      referral_button (self, _("_Declined…"), _("Agency declined"),
                                       referral, G_CALLBACK (on_decline_clicked_cb)));
      gtk_widget_set_margin_top (buttons, 6);
      gtk_widget_set_margin_bottom (buttons, 6);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (actions), _("The agency’s answer"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (actions), buttons);
      adw_preferences_group_add (self->referral_group, actions);
      g_ptr_array_add (self->referral_rows, actions);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->referral_group), TRUE);
}

void
rcrp_triage_panel_set_call (RcrpTriagePanel *self,
                            RcrpCall        *call)
{
  gboolean same_call;
  GPtrArray *questions;

  g_return_if_fail (RCRP_IS_TRIAGE_PANEL (self));
  g_return_if_fail (call == NULL || RCRP_IS_CALL (call));

  same_call = self->call != NULL && call != NULL &&
              rcrp_call_get_id (self->call) == rcrp_call_get_id (call);

  g_set_object (&self->call, call);

  if (call == NULL || self->rules == NULL)
    return;

  /* What this operator may do, asked of the store (which checks again);
   * an administrator may change a role during the shift. */
  self->role = rcrp_store_get_role (rcrp_context_get_store (self->context), NULL);
  for (guint i = 0; i < G_N_ELEMENTS (self->outcome_buttons); i++)
    {
      gboolean allowed = rcrp_role_can (self->role, RCRP_PERMISSION_DECIDE) &&
                         (i != 0 || rcrp_role_can (self->role, RCRP_PERMISSION_DEPLOY_POLICE));

      gtk_widget_action_set_enabled (GTK_WIDGET (self), outcome_actions[i].action, allowed);
      if (!allowed)
        {
          g_autofree char *why = g_strdup_printf (_("A %s may not %s"), rcrp_role_get_label (self->role),
                                                  i == 0 ? rcrp_permission_get_label (RCRP_PERMISSION_DEPLOY_POLICE)
                                                         : rcrp_permission_get_label (RCRP_PERMISSION_DECIDE));

          gtk_widget_set_tooltip_text (GTK_WIDGET (self->outcome_buttons[i]), why);
        }
    }

  if (same_call)
    {
      /* New information (an update from the feed, another workstation's
       * decision): keep the coordinator's answers, recompute. A
       * supervisor's review takes the call off hold: it no longer waits
       * for one, and the history says what they decided. */
      if (self->hold_notice && !rcrp_call_get_on_hold (call))
        show_info (self, NULL);
      update_recommendation (self);
      load_history (self);
      return;
    }

  clear_rows (self->questions_group, self->question_rows);
  g_hash_table_remove_all (self->toggles);
  g_clear_object (&self->answers);
  g_clear_pointer (&self->pending_overrides, g_strfreev);
  self->answers = rcrp_triage_answers_new_for_call (self->rules, call);
  g_clear_pointer (&self->chosen_agency, g_free);
  show_info (self, NULL);

  /* The answers given so far on this call, here or at the workstation
   * that holds it: the checklist is worked on, not started again. */
  {
    g_autoptr(RcrpTriageDraft) draft = read_draft (self);
    RcrpTriageAnswers *kept = draft != NULL ? rcrp_triage_answers_new_from_json (draft->answers_json, NULL) : NULL;

    if (kept != NULL)
      {
        g_clear_object (&self->answers);
        self->answers = kept;
      }
  }

  questions = rcrp_triage_rules_get_questions (self->rules, rcrp_call_get_category (call));
  for (guint i = 0; i < questions->len; i++)
    {
      RcrpTriageQuestion *question = g_ptr_array_index (questions, i);
      GtkWidget *row = build_question_row (self, question);

      adw_preferences_group_add (self->questions_group, row);
      g_ptr_array_add (self->question_rows, row);
      set_toggles (self, rcrp_triage_question_get_id (question));
    }

  gtk_spin_button_set_value (self->grade_spin, rcrp_call_get_grade (call));
  gtk_editable_set_text (GTK_EDITABLE (self->threat_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->harm_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->risk_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->investigation_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->vulnerability_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->engagement_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->rationale_entry), "");
  show_error (self, NULL);

  update_recommendation (self);
  load_history (self);
}

void
rcrp_triage_panel_set_context (RcrpTriagePanel *self,
                               RcrpContext     *context)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *version = NULL;

  g_return_if_fail (RCRP_IS_TRIAGE_PANEL (self));

  if (!g_set_object (&self->context, context))
    return;

  g_clear_object (&self->rules);
  self->rules = rcrp_triage_rules_new_default (&error);
  if (self->rules == NULL)
    {
      show_error (self, error->message);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "triage.record", FALSE);
      return;
    }

  version = g_strdup_printf (_("RCRP rules version %s"), rcrp_triage_rules_get_version (self->rules));
  gtk_label_set_text (self->rules_label, version);
}

static void
rcrp_triage_panel_dispose (GObject *object)
{
  RcrpTriagePanel *self = RCRP_TRIAGE_PANEL (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), RCRP_TYPE_TRIAGE_PANEL);

  g_clear_object (&self->context);
  g_clear_object (&self->rules);
  g_clear_object (&self->call);
  g_clear_object (&self->answers);
  g_clear_object (&self->recommendation);
  g_clear_pointer (&self->toggles, g_hash_table_unref);
  g_clear_pointer (&self->question_rows, g_ptr_array_unref);
  g_clear_pointer (&self->history_rows, g_ptr_array_unref);
  g_clear_pointer (&self->referral_rows, g_ptr_array_unref);
  g_clear_pointer (&self->appeal_rows, g_ptr_array_unref);
  g_clear_pointer (&self->agencies, g_ptr_array_unref);
  g_clear_pointer (&self->chosen_agency, g_free);
  g_clear_pointer (&self->pending_outcome, g_free);
  g_clear_pointer (&self->pending_overrides, g_strfreev);
  g_clear_pointer (&self->session, g_free);
  g_clear_weak_pointer (&self->to_show);

  G_OBJECT_CLASS (rcrp_triage_panel_parent_class)->dispose (object);
}

static void
rcrp_triage_panel_class_init (RcrpTriagePanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rcrp_triage_panel_dispose;
  widget_class->root = rcrp_triage_panel_root;
  widget_class->unroot = rcrp_triage_panel_unroot;

  signals[DECISION_RECORDED] =
    g_signal_new ("decision-recorded",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_INT64, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/rcrp/Coordinator/rcrp-triage-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, RcrpTriagePanel, root_box);
  gtk_widget_class_bind_template_child (widget_class, RcrpTriagePanel, scroller);
  gtk_widget_class_bind_template_child (widget_class, RcrpTriagePanel, rules_label);
  gtk_widget_class_bind_template_child (widget_class, RcrpTriagePanel, questions_group);
  gtk_widget_class_bind_template_child (widget_class, RcrpTriagePanel, recommendation_box);
  gtk_widget_class_bind_template_child (widget_class, RcrpTriagePanel, recommendation_icon);
  gtk_widget_class_bind_template_child (widget_class, RcrpTriagePanel, recommendation_label);
  gtk_widget_class_bind_template_child (widget_class, RcrpTriagePanel, completeness_label);
  gtk_widget_class_bind_template_child (widget_class, RcrpTriagePanel, reasons_label);
  gtk_widget_class_bind_template_child (widget_class, RcrpTriagePanel, agencies_label);
  gtk_widget_class_bind_template_child (widget_class, RcrpTriagePanel, grade_spin);
  gtk_widget_class_bind_template_child (widget_class, RcrpTriagePanel, threat_entry);
  gtk_widget_class_bind_template_child (widget_class, RcrpTriagePanel, harm_entry);
  gtk_widget_class_bind_template_child (widget_class, RcrpTriagePanel, risk_entry);
  gtk_widget_class_bind_template_child (widget_class, RcrpTriagePanel, investigation_entry);
  gtk_widget_class_bind_template_child (widget_class, RcrpTriagePanel, vulnerability_entry);
  gtk_widget_class_bind_template_child (widget_class, RcrpTriagePanel, engagement_entry);
  gtk_widget_class_bind_template_child (widget_class, RcrpTriagePanel, outcome_grid);
  gtk_widget_class_bind_template_child (widget_class, RcrpTriagePanel, agency_row);
  gtk_widget_class_bind_template_child (widget_class, RcrpTriagePanel, rationale_entry);
  gtk_widget_class_bind_template_child (widget_class, RcrpTriagePanel, error_label);
  gtk_widget_class_bind_template_child (widget_class, RcrpTriagePanel, info_label);
  gtk_widget_class_bind_template_child (widget_class, RcrpTriagePanel, referral_group);
  gtk_widget_class_bind_template_child (widget_class, RcrpTriagePanel, appeal_group);
  gtk_widget_class_bind_template_child (widget_class, RcrpTriagePanel, history_group);

  /* Each outcome in one click or one key; Ctrl+Return takes the recommended one. */
  for (guint i = 0; i < G_N_ELEMENTS (outcome_actions); i++)
    {
      gtk_widget_class_install_action (widget_class, outcome_actions[i].action, NULL, outcome_action);
      gtk_widget_class_add_binding_action (widget_class, outcome_actions[i].key, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                           outcome_actions[i].action, NULL);
    }
  gtk_widget_class_install_action (widget_class, "triage.record", NULL, outcome_action);
  /* Ctrl+Shift+A lodges an appeal: bound in rcrp_triage_panel_init(),
   * ahead of the entries, which take it for "select none". */
  gtk_widget_class_install_action (widget_class, "triage.lodge-appeal", NULL, lodge_appeal_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "triage.record", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "triage.record", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
rcrp_triage_panel_init (RcrpTriagePanel *self)
{
  self->toggles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->question_rows = g_ptr_array_new ();
  self->history_rows = g_ptr_array_new ();
  self->referral_rows = g_ptr_array_new ();
  self->appeal_rows = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  /* A key binding of the panel comes after the focused entry's own
   * (GtkText takes Ctrl+Shift+A to unselect), so the appeal, reached for
   * from the rationale right after a decision, was never lodged. Caught
   * on the way down instead, before any entry sees it. */
  {
    GtkEventController *keys = gtk_shortcut_controller_new ();

    gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_a, GDK_CONTROL_MASK | GDK_SHIFT_MASK),
                                                            gtk_named_action_new ("triage.lodge-appeal")));
    gtk_widget_add_controller (GTK_WIDGET (self), keys);
  }

  g_signal_connect_swapped (self->agency_row, "notify::selected", G_CALLBACK (on_agency_selected_cb), self);
  rcrp_accessible_name_combo_row (self->agency_row);
  /* The row it sits in would name it "Grade" as well. */
  rcrp_accessible_name_once (GTK_WIDGET (self->grade_spin), _("THRIVE grade"));

  /* One click each: the outcome is recorded at once, and can be undone. */
  for (guint i = 0; outcome_ids[i] != NULL; i++)
    {
      GtkWidget *button = gtk_button_new_with_label (rcrp_outcome_get_label (outcome_ids[i]));
      g_autofree char *tooltip = NULL;
      g_autofree char *accel = gtk_accelerator_get_label_with_keycode (NULL,
                                                                       outcome_actions[i].key, 0,
                                                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK);

      tooltip = g_strdup_printf ("%s (%s)", rcrp_outcome_get_label (outcome_ids[i]), accel);
      gtk_widget_set_tooltip_text (button, tooltip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, rcrp_outcome_get_label (outcome_ids[i]),
                                      GTK_ACCESSIBLE_PROPERTY_KEY_SHORTCUTS, outcome_actions[i].accel_label,
                                      -1);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), outcome_actions[i].action);
      wrap_button_label (GTK_BUTTON (button));
      gtk_grid_attach (self->outcome_grid, button, i % 2, i / 2, 1, 1);
      self->outcome_buttons[i] = GTK_BUTTON (button);
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Triage"),
                                  -1);
  gtk_widget_set_visible (GTK_WIDGET (self->history_group), FALSE);
}

gboolean
rcrp_triage_panel_focus_checklist (RcrpTriagePanel *self)
{
  GtkWidget *row = NULL;
  GtkToggleButton **buttons;

  g_return_val_if_fail (RCRP_IS_TRIAGE_PANEL (self), FALSE);

  if (self->answers == NULL || self->question_rows->len == 0)
    return FALSE;

  /* Where the work is: the first question not answered yet. */
  for (guint i = 0; i < self->question_rows->len && row == NULL; i++)
    {
      GtkWidget *candidate = g_ptr_array_index (self->question_rows, i);

      if (rcrp_triage_answers_get (self->answers, g_object_get_data (G_OBJECT (candidate), "question-id")) ==
          RCRP_ANSWER_UNANSWERED)
        row = candidate;
    }
  if (row == NULL)
    row = g_ptr_array_index (self->question_rows, 0);

  buttons = g_hash_table_lookup (self->toggles, g_object_get_data (G_OBJECT (row), "question-id"));

  return buttons != NULL && gtk_widget_grab_focus (GTK_WIDGET (buttons[0]));
}

const char * const *
rcrp_triage_panel_get_recommended_agencies (RcrpTriagePanel *self)
{
  g_return_val_if_fail (RCRP_IS_TRIAGE_PANEL (self), NULL);

  if (self->recommendation == NULL)
    return NULL;

  return rcrp_recommendation_get_agencies (self->recommendation);
}

void
rcrp_triage_panel_set_session (RcrpTriagePanel *self,
                               const char      *session,
                               GTimeSpan        lapse)
{
  g_return_if_fail (RCRP_IS_TRIAGE_PANEL (self));

  g_free (self->session);
  self->session = g_strdup (session);
  self->claim_lapse = lapse;
}

void
rcrp_triage_panel_refresh_draft (RcrpTriagePanel *self)
{
  g_autoptr(RcrpTriageDraft) draft = NULL;
  g_autoptr(RcrpTriageAnswers) kept = NULL;
  g_autofree char *whose = NULL;
  GHashTableIter iter;
  gpointer question_id;

  g_return_if_fail (RCRP_IS_TRIAGE_PANEL (self));

  /* Our own answers are the ones on screen; only another holder's move. */
  if (self->call == NULL || self->context == NULL || gtk_widget_is_sensitive (GTK_WIDGET (self)))
    return;

  draft = read_draft (self);
  if (draft == NULL || g_strcmp0 (draft->session, self->session) == 0 ||
      (kept = rcrp_triage_answers_new_from_json (draft->answers_json, NULL)) == NULL)
    return;

  g_set_object (&self->answers, kept);
  g_hash_table_iter_init (&iter, self->toggles);
  while (g_hash_table_iter_next (&iter, &question_id, NULL))
    set_toggles (self, question_id);
  update_recommendation (self);

  /* Translators: whose checklist another workstation is looking at. */
  whose = g_strdup_printf (_("Answers so far by %s at %s (read only)"), draft->operator_name, draft->workstation);
  show_info (self, whose);
}

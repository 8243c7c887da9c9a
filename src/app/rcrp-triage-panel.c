/* rcrp-triage-panel.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "rcrp-decision.h"
#include "rcrp-triage.h"
#include "rcrp-triage-panel.h"

static const char * const outcome_ids[] = {
  "police_deployed", "referred", "signposted", "no_further_action", NULL
};

static const char * const agency_ids[] = {
  "crisis_line", "crisis_team", "ambulance", "mh_response_vehicle", "amhp",
  "adult_social_care", "social_care_out_of_hours", "childrens_services", "safe_haven",
  "gp_out_of_hours", "voluntary_sector", "healthcare_setting", "referring_service",
  "mental_health_service", NULL
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
  gboolean            outcome_chosen;   /* the coordinator picked one */
  gint64              basis;            /* newest decision shown */
  gboolean            updating;

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
  AdwEntryRow        *threat_row;
  AdwEntryRow        *harm_row;
  AdwEntryRow        *risk_row;
  AdwEntryRow        *investigation_row;
  AdwEntryRow        *vulnerability_row;
  AdwEntryRow        *engagement_row;
  GtkGrid            *outcome_grid;
  GtkToggleButton    *outcome_buttons[4];
  AdwComboRow        *agency_row;
  AdwEntryRow        *rationale_row;
  GtkLabel           *error_label;
  GtkButton          *record_button;
  AdwPreferencesGroup *history_group;
};

G_DEFINE_FINAL_TYPE (RcrpTriagePanel, rcrp_triage_panel, GTK_TYPE_WIDGET)

enum {
  DECISION_RECORDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static guint
index_of (const char * const *ids,
          const char         *id)
{
  for (guint i = 0; ids[i] != NULL; i++)
    if (g_strcmp0 (ids[i], id) == 0)
      return i;

  return GTK_INVALID_LIST_POSITION;
}

static char *
join_lines (const char * const *lines,
            const char         *bullet)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; lines != NULL && lines[i] != NULL; i++)
    g_string_append_printf (text, "%s%s%s", i > 0 ? "\n" : "", bullet, lines[i]);

  return g_string_free (text, FALSE);
}

static guint
selected_outcome (RcrpTriagePanel *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->outcome_buttons); i++)
    if (gtk_toggle_button_get_active (self->outcome_buttons[i]))
      return i;

  return GTK_INVALID_LIST_POSITION;
}

static void
select_outcome (RcrpTriagePanel *self,
                guint            index)
{
  if (index < G_N_ELEMENTS (self->outcome_buttons))
    gtk_toggle_button_set_active (self->outcome_buttons[index], TRUE);
}

static void
show_error (RcrpTriagePanel *self,
            const char      *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
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

  /* The outcome follows the recommendation until the coordinator picks one. */
  self->updating = TRUE;
  if (!self->outcome_chosen)
    {
      const char * const *suggested = rcrp_recommendation_get_agencies (self->recommendation);

      select_outcome (self, index_of (outcome_ids, outcome));
      if (suggested[0] != NULL)
        adw_combo_row_set_selected (self->agency_row, index_of (agency_ids, suggested[0]));
    }
  self->updating = FALSE;
}

static void
set_toggles (RcrpTriagePanel *self,
             const char      *question_id)
{
  GtkToggleButton **buttons = g_hash_table_lookup (self->toggles, question_id);
  RcrpAnswer answer = rcrp_triage_answers_get (self->answers, question_id);

  self->updating = TRUE;
  for (guint i = 0; i < 3; i++)
    gtk_toggle_button_set_active (buttons[i], answer == (RcrpAnswer) (RCRP_ANSWER_YES + i));
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
      GtkWidget *button = gtk_toggle_button_new_with_label (_(labels[i]));

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
                                 rcrp_agency_kind_get_label (rcrp_decision_get_agency (decision)));
      else
        title = g_strdup (rcrp_outcome_get_done_label (rcrp_decision_get_outcome (decision)));

      /* Translators: time, who, workstation and, if any, the rationale. */
      subtitle = g_strdup_printf (_("%s by %s at %s%s%s"), when, who,
                                  rcrp_decision_get_workstation (decision),
                                  rcrp_decision_get_rationale (decision) != NULL ? " — " : "",
                                  rcrp_decision_get_rationale (decision) != NULL
                                    ? rcrp_decision_get_rationale (decision) : "");

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_preferences_group_add (self->history_group, row);
      g_ptr_array_add (self->history_rows, row);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->history_group), decisions->len > 0);
}

static const char *
entry_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
record_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RcrpTriagePanel *self = RCRP_TRIAGE_PANEL (widget);
  g_autoptr(RcrpDecision) decision = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *answers = NULL;
  g_autofree char *thrive = NULL;
  guint outcome_index, agency_index;
  const char *outcome;

  if (self->call == NULL || self->recommendation == NULL)
    return;

  outcome_index = selected_outcome (self);
  if (outcome_index >= g_strv_length ((char **) outcome_ids))
    {
      show_error (self, _("Choose an outcome"));
      return;
    }
  outcome = outcome_ids[outcome_index];

  thrive = rcrp_thrive_to_json (entry_text (self->threat_row), entry_text (self->harm_row),
                                entry_text (self->risk_row), entry_text (self->investigation_row),
                                entry_text (self->vulnerability_row), entry_text (self->engagement_row),
                                gtk_spin_button_get_value_as_int (self->grade_spin), &error);
  if (thrive == NULL)
    {
      show_error (self, error->message);
      return;
    }

  answers = rcrp_triage_answers_to_json (self->answers);

  decision = rcrp_decision_new (rcrp_call_get_id (self->call), outcome,
                                rcrp_recommendation_get_outcome (self->recommendation));
  agency_index = adw_combo_row_get_selected (self->agency_row);
  if (g_str_equal (outcome, "referred") && agency_index < g_strv_length ((char **) agency_ids))
    rcrp_decision_set_agency (decision, agency_ids[agency_index]);
  if (*entry_text (self->rationale_row) != '\0')
    rcrp_decision_set_rationale (decision, entry_text (self->rationale_row));
  rcrp_decision_set_answers_json (decision, answers);
  rcrp_decision_set_thrive_json (decision, thrive);
  rcrp_decision_set_rules_version (decision, rcrp_recommendation_get_rules_version (self->recommendation));
  rcrp_decision_set_reasons (decision, rcrp_recommendation_get_reasons (self->recommendation));
  rcrp_decision_set_display_name (decision, rcrp_context_get_display_name (self->context));
  rcrp_decision_set_basis (decision, self->basis);

  if (rcrp_store_record_decision (rcrp_context_get_store (self->context), decision, &error) < 0)
    {
      show_error (self, error->message);
      /* The loser of a race sees the winner's decision at once. */
      if (g_error_matches (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_CONFLICT))
        load_history (self);
      if (g_error_matches (error, RCRP_DECISION_ERROR, RCRP_DECISION_ERROR_RATIONALE_REQUIRED))
        gtk_widget_grab_focus (GTK_WIDGET (self->rationale_row));
      return;
    }

  show_error (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->rationale_row), "");
  self->outcome_chosen = FALSE;
  load_history (self);

  g_signal_emit (self, signals[DECISION_RECORDED], 0, rcrp_call_get_id (self->call));
}

static void
on_outcome_toggled_cb (GtkToggleButton *button,
                       RcrpTriagePanel *self)
{
  guint index = selected_outcome (self);

  if (!gtk_toggle_button_get_active (button))
    return;

  gtk_widget_set_sensitive (GTK_WIDGET (self->agency_row),
                            index < G_N_ELEMENTS (outcome_ids) - 1 &&
                            g_str_equal (outcome_ids[index], "referred"));

  if (!self->updating)
    {
      self->outcome_chosen = TRUE;
      show_error (self, NULL);
    }
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

  if (same_call)
    {
      /* New information (an update from the feed, another workstation's
       * decision): keep the coordinator's answers, recompute. */
      update_recommendation (self);
      load_history (self);
      return;
    }

  clear_rows (self->questions_group, self->question_rows);
  g_hash_table_remove_all (self->toggles);
  g_clear_object (&self->answers);
  self->answers = rcrp_triage_answers_new_for_call (self->rules, call);
  self->outcome_chosen = FALSE;

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
  gtk_editable_set_text (GTK_EDITABLE (self->threat_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->harm_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->risk_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->investigation_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->vulnerability_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->engagement_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->rationale_row), "");
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

static GListModel *
labels_model (const char * const *ids,
              const char *(*label) (const char *))
{
  GtkStringList *list = gtk_string_list_new (NULL);

  for (guint i = 0; ids[i] != NULL; i++)
    gtk_string_list_append (list, label (ids[i]));

  return G_LIST_MODEL (list);
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

  G_OBJECT_CLASS (rcrp_triage_panel_parent_class)->dispose (object);
}

static void
rcrp_triage_panel_class_init (RcrpTriagePanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rcrp_triage_panel_dispose;

  signals[DECISION_RECORDED] =
    g_signal_new ("decision-recorded",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/rcrp/Coordinator/rcrp-triage-panel.ui");
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
  gtk_widget_class_bind_template_child (widget_class, RcrpTriagePanel, threat_row);
  gtk_widget_class_bind_template_child (widget_class, RcrpTriagePanel, harm_row);
  gtk_widget_class_bind_template_child (widget_class, RcrpTriagePanel, risk_row);
  gtk_widget_class_bind_template_child (widget_class, RcrpTriagePanel, investigation_row);
  gtk_widget_class_bind_template_child (widget_class, RcrpTriagePanel, vulnerability_row);
  gtk_widget_class_bind_template_child (widget_class, RcrpTriagePanel, engagement_row);
  gtk_widget_class_bind_template_child (widget_class, RcrpTriagePanel, outcome_grid);
  gtk_widget_class_bind_template_child (widget_class, RcrpTriagePanel, agency_row);
  gtk_widget_class_bind_template_child (widget_class, RcrpTriagePanel, rationale_row);
  gtk_widget_class_bind_template_child (widget_class, RcrpTriagePanel, error_label);
  gtk_widget_class_bind_template_child (widget_class, RcrpTriagePanel, record_button);
  gtk_widget_class_bind_template_child (widget_class, RcrpTriagePanel, history_group);

  /* The panel's one command, and its key. */
  gtk_widget_class_install_action (widget_class, "triage.record", NULL, record_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "triage.record", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "triage.record", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
rcrp_triage_panel_init (RcrpTriagePanel *self)
{
  g_autoptr(GListModel) agencies = NULL;

  self->toggles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->question_rows = g_ptr_array_new ();
  self->history_rows = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  agencies = labels_model (agency_ids, rcrp_agency_kind_get_label);
  adw_combo_row_set_model (self->agency_row, agencies);

  /* One click each: the coordinator's outcomes as a group of toggles. */
  for (guint i = 0; outcome_ids[i] != NULL; i++)
    {
      GtkWidget *button = gtk_toggle_button_new_with_label (rcrp_outcome_get_label (outcome_ids[i]));
      g_autofree char *accessible = g_strdup_printf (_("Outcome: %s"), rcrp_outcome_get_label (outcome_ids[i]));

      if (i > 0)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), self->outcome_buttons[0]);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                      -1);
      g_signal_connect (button, "toggled", G_CALLBACK (on_outcome_toggled_cb), self);
      gtk_grid_attach (self->outcome_grid, button, i % 2, i / 2, 1, 1);
      self->outcome_buttons[i] = GTK_TOGGLE_BUTTON (button);
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Triage"),
                                  -1);
  gtk_widget_set_visible (GTK_WIDGET (self->history_group), FALSE);
}

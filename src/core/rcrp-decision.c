/* rcrp-decision.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "rcrp-decision.h"

struct _RcrpDecision
{
  GObject     parent_instance;

  gint64      call_id;
  char       *outcome;
  char       *recommended_outcome;
  char       *agency;
  char       *rationale;
  char       *answers_json;
  char       *thrive_json;
  char       *rules_version;
  char      **reasons;
  char       *display_name;
  char      **overrides;
  char       *session;
  GTimeSpan   claim_lapse;
  gboolean    take_over;

  gint64      basis;
  gint64      event_id;
  GDateTime  *at;
  char       *operator_name;
  char       *workstation;
  gint64      undone_by;
};

G_DEFINE_FINAL_TYPE (RcrpDecision, rcrp_decision, G_TYPE_OBJECT)

G_DEFINE_QUARK (rcrp-decision-error-quark, rcrp_decision_error)

static const struct {
  const char *id;
  const char *label;
  const char *done;
} outcomes[] = {
  { "police_deployed",   N_("Deploy police"),      N_("Police deployed") },
  { "referred",          N_("Refer to an agency"), N_("Referred") },
  { "signposted",        N_("Signpost"),           N_("Signposted") },
  { "no_further_action", N_("No further action"),  N_("No further action") },
};

gboolean
rcrp_outcome_is_valid (const char *outcome)
{
  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    if (g_strcmp0 (outcome, outcomes[i].id) == 0)
      return TRUE;

  return FALSE;
}

const char *
rcrp_outcome_get_label (const char *outcome)
{
  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    if (g_strcmp0 (outcome, outcomes[i].id) == 0)
      return g_dgettext (GETTEXT_PACKAGE, outcomes[i].label);

  return outcome;
}

const char *
rcrp_outcome_get_done_label (const char *outcome)
{
  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    if (g_strcmp0 (outcome, outcomes[i].id) == 0)
      return g_dgettext (GETTEXT_PACKAGE, outcomes[i].done);

  return outcome;
}

static void
rcrp_decision_finalize (GObject *object)
{
  RcrpDecision *self = RCRP_DECISION (object);

  g_clear_pointer (&self->outcome, g_free);
  g_clear_pointer (&self->recommended_outcome, g_free);
  g_clear_pointer (&self->agency, g_free);
  g_clear_pointer (&self->rationale, g_free);
  g_clear_pointer (&self->answers_json, g_free);
  g_clear_pointer (&self->thrive_json, g_free);
  g_clear_pointer (&self->rules_version, g_free);
  g_clear_pointer (&self->reasons, g_strfreev);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->overrides, g_strfreev);
  g_clear_pointer (&self->session, g_free);
  g_clear_pointer (&self->at, g_date_time_unref);
  g_clear_pointer (&self->operator_name, g_free);
  g_clear_pointer (&self->workstation, g_free);

  G_OBJECT_CLASS (rcrp_decision_parent_class)->finalize (object);
}

static void
rcrp_decision_class_init (RcrpDecisionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rcrp_decision_finalize;
}

static void
rcrp_decision_init (RcrpDecision *self)
{
  self->basis = -1;
}

void
rcrp_decision_set_basis (RcrpDecision *self,
                         gint64        decision_event_id)
{
  g_return_if_fail (RCRP_IS_DECISION (self));
  self->basis = decision_event_id;
}

gint64
rcrp_decision_get_basis (RcrpDecision *self)
{
  g_return_val_if_fail (RCRP_IS_DECISION (self), -1);
  return self->basis;
}

void
rcrp_decision_set_overrides (RcrpDecision       *self,
                             const char * const *question_ids)
{
  g_return_if_fail (RCRP_IS_DECISION (self));

  g_strfreev (self->overrides);
  self->overrides = question_ids != NULL && question_ids[0] != NULL ? g_strdupv ((char **) question_ids) : NULL;
}

const char * const *
rcrp_decision_get_overrides (RcrpDecision *self)
{
  static const char * const none[] = { NULL };

  g_return_val_if_fail (RCRP_IS_DECISION (self), none);
  return self->overrides != NULL ? (const char * const *) self->overrides : none;
}

void
rcrp_decision_set_session (RcrpDecision *self,
                           const char   *session,
                           GTimeSpan     lapse)
{
  g_return_if_fail (RCRP_IS_DECISION (self));

  g_free (self->session);
  self->session = g_strdup (session);
  self->claim_lapse = lapse;
}

const char *
rcrp_decision_get_session (RcrpDecision *self)
{
  g_return_val_if_fail (RCRP_IS_DECISION (self), NULL);
  return self->session;
}

GTimeSpan
rcrp_decision_get_claim_lapse (RcrpDecision *self)
{
  g_return_val_if_fail (RCRP_IS_DECISION (self), RCRP_DECISION_DEFAULT_CLAIM_LAPSE);
  return self->claim_lapse > 0 ? self->claim_lapse : RCRP_DECISION_DEFAULT_CLAIM_LAPSE;
}

void
rcrp_decision_set_take_over (RcrpDecision *self,
                             gboolean      take_over)
{
  g_return_if_fail (RCRP_IS_DECISION (self));
  self->take_over = !!take_over;
}

gboolean
rcrp_decision_get_take_over (RcrpDecision *self)
{
  g_return_val_if_fail (RCRP_IS_DECISION (self), FALSE);
  return self->take_over;
}

RcrpDecision *
rcrp_decision_new (gint64      call_id,
                   const char *outcome,
                   const char *recommended_outcome)
{
  RcrpDecision *self = g_object_new (RCRP_TYPE_DECISION, NULL);

  self->call_id = call_id;
  self->outcome = g_strdup (outcome);
  self->recommended_outcome = g_strdup (recommended_outcome);

  return self;
}

#define STRING_SETTER(field)                                  \
  void                                                        \
  rcrp_decision_set_##field (RcrpDecision *self,              \
                             const char   *value)             \
  {                                                           \
    g_return_if_fail (RCRP_IS_DECISION (self));               \
    g_free (self->field);                                     \
    self->field = g_strdup (value);                           \
  }

STRING_SETTER (agency)
STRING_SETTER (rationale)
STRING_SETTER (answers_json)
STRING_SETTER (thrive_json)
STRING_SETTER (rules_version)
STRING_SETTER (display_name)

#undef STRING_SETTER

void
rcrp_decision_set_reasons (RcrpDecision       *self,
                           const char * const *reasons)
{
  g_return_if_fail (RCRP_IS_DECISION (self));

  g_strfreev (self->reasons);
  self->reasons = g_strdupv ((char **) reasons);
}

#define GETTER(type, field, fallback)                         \
  type                                                        \
  rcrp_decision_get_##field (RcrpDecision *self)              \
  {                                                           \
    g_return_val_if_fail (RCRP_IS_DECISION (self), fallback); \
    return self->field;                                       \
  }

GETTER (gint64, call_id, 0)
GETTER (const char *, outcome, NULL)
GETTER (const char *, recommended_outcome, NULL)
GETTER (const char *, agency, NULL)
GETTER (const char *, rationale, NULL)
GETTER (const char *, answers_json, NULL)
GETTER (const char *, thrive_json, NULL)
GETTER (const char *, rules_version, NULL)
GETTER (const char *, display_name, NULL)
GETTER (gint64, event_id, 0)
GETTER (GDateTime *, at, NULL)
GETTER (const char *, workstation, NULL)

#undef GETTER

const char *
rcrp_decision_get_operator (RcrpDecision *self)
{
  g_return_val_if_fail (RCRP_IS_DECISION (self), NULL);
  return self->operator_name;
}

const char * const *
rcrp_decision_get_reasons (RcrpDecision *self)
{
  static const char * const none[] = { NULL };

  g_return_val_if_fail (RCRP_IS_DECISION (self), none);
  return self->reasons != NULL ? (const char * const *) self->reasons : none;
}

gboolean
rcrp_decision_departs (RcrpDecision *self)
{
  g_return_val_if_fail (RCRP_IS_DECISION (self), FALSE);

  return g_strcmp0 (self->outcome, self->recommended_outcome) != 0;
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;

  return TRUE;
}

gboolean
rcrp_decision_validate (RcrpDecision  *self,
                        GError       **error)
{
  g_return_val_if_fail (RCRP_IS_DECISION (self), FALSE);

  if (self->call_id <= 0)
    {
      g_set_error (error, RCRP_DECISION_ERROR, RCRP_DECISION_ERROR_INVALID,
                   _("A decision must be about a call"));
      return FALSE;
    }

  if (!rcrp_outcome_is_valid (self->outcome))
    {
      g_set_error (error, RCRP_DECISION_ERROR, RCRP_DECISION_ERROR_INVALID,
                   _("“%s” is not an outcome"), self->outcome != NULL ? self->outcome : "");
      return FALSE;
    }

  if (self->recommended_outcome != NULL && !rcrp_outcome_is_valid (self->recommended_outcome))
    {
      g_set_error (error, RCRP_DECISION_ERROR, RCRP_DECISION_ERROR_INVALID,
                   _("“%s” is not an outcome"), self->recommended_outcome);
      return FALSE;
    }

  if (g_str_equal (self->outcome, "referred") && is_blank (self->agency))
    {
      g_set_error (error, RCRP_DECISION_ERROR, RCRP_DECISION_ERROR_AGENCY_REQUIRED,
                   _("A referral must name the agency it goes to"));
      return FALSE;
    }

  /* The coordinator has the last word, but a departure from the
   * recommendation must be explained for whoever reviews it later. */
  if (rcrp_decision_departs (self) && is_blank (self->rationale))
    {
      g_set_error (error, RCRP_DECISION_ERROR, RCRP_DECISION_ERROR_RATIONALE_REQUIRED,
                   _("“%s” departs from the recommendation (“%s”): write down why"),
                   rcrp_outcome_get_label (self->outcome),
                   self->recommended_outcome != NULL
                     ? rcrp_outcome_get_label (self->recommended_outcome) : _("none"));
      return FALSE;
    }

  return TRUE;
}

static gboolean
strv_has (const char * const *strv,
          const char         *value)
{
  return strv != NULL && g_strv_contains (strv, value);
}

/* “Question?” (unknown); “Question?” (not answered) */
static char *
describe_questions (RcrpTriageRules    *rules,
                    RcrpCategory        category,
                    RcrpTriageAnswers  *answers,
                    const char * const *ids)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      RcrpTriageQuestion *question = rcrp_triage_rules_lookup_question (rules, category, ids[i]);
      RcrpAnswer answer = rcrp_triage_answers_get (answers, ids[i]);
      const char *state = answer == RCRP_ANSWER_YES ? _("answered yes")
                          : answer == RCRP_ANSWER_UNKNOWN ? _("unknown") : _("not answered");

      if (i > 0)
        g_string_append (text, "; ");
      /* Translators: a threshold question and how it stands, as in
       * “Is a crime being committed?” (unknown). */
      g_string_append_printf (text, _("“%s” (%s)"),
                              question != NULL ? rcrp_triage_question_get_text (question) : ids[i], state);
    }

  return g_string_free (text, FALSE);
}

gboolean
rcrp_decision_check_threshold (RcrpDecision     *self,
                               RcrpTriageRules  *rules,
                               RcrpCategory      category,
                               GError          **error)
{
  g_autoptr(RcrpTriageAnswers) answers = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) missing = g_ptr_array_new ();
  g_auto(GStrv) open = NULL;

  g_return_val_if_fail (RCRP_IS_DECISION (self), FALSE);
  g_return_val_if_fail (RCRP_IS_TRIAGE_RULES (rules), FALSE);

  /* Police attending needs no ruling out. */
  if (g_strcmp0 (self->outcome, "police_deployed") == 0)
    return TRUE;

  answers = self->answers_json != NULL ? rcrp_triage_answers_new_from_json (self->answers_json, &local_error)
                                       : rcrp_triage_answers_new ();
  if (answers == NULL)
    {
      g_set_error (error, RCRP_DECISION_ERROR, RCRP_DECISION_ERROR_INVALID,
                   _("The checklist answers cannot be read: %s"), local_error->message);
      return FALSE;
    }

  open = rcrp_triage_rules_open_thresholds (rules, category, answers);

  /* The record must not say more was overridden than was. */
  for (guint i = 0; self->overrides != NULL && self->overrides[i] != NULL; i++)
    if (!strv_has ((const char * const *) open, self->overrides[i]))
      {
        g_set_error (error, RCRP_DECISION_ERROR, RCRP_DECISION_ERROR_INVALID,
                     _("“%s” is named as overridden, but it is not a threshold question of this call "
                       "left open: nothing was recorded. Check the checklist again."),
                     self->overrides[i]);
        return FALSE;
      }

  for (guint i = 0; open[i] != NULL; i++)
    if (!strv_has ((const char * const *) self->overrides, open[i]))
      g_ptr_array_add (missing, open[i]);
  g_ptr_array_add (missing, NULL);

  if (missing->len > 1)
    {
      g_autofree char *questions = describe_questions (rules, category, answers,
                                                       (const char * const *) missing->pdata);

      g_set_error (error, RCRP_DECISION_ERROR, RCRP_DECISION_ERROR_THRESHOLD_OPEN,
                   _("“%s” was not recorded: police are not ruled out. %s. Answer each threshold question "
                     "No, or override it knowingly, naming it, with a rationale."),
                   rcrp_outcome_get_label (self->outcome), questions);
      return FALSE;
    }

  if (open[0] != NULL && is_blank (self->rationale))
    {
      g_set_error (error, RCRP_DECISION_ERROR, RCRP_DECISION_ERROR_THRESHOLD_OPEN,
                   _("“%s” overrides the police threshold: write down why police are not needed."),
                   rcrp_outcome_get_label (self->outcome));
      return FALSE;
    }

  return TRUE;
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_json (JsonBuilder *builder,
          const char  *name,
          const char  *json)
{
  g_autoptr(JsonNode) node = NULL;

  json_builder_set_member_name (builder, name);

  if (json != NULL)
    node = json_from_string (json, NULL);

  if (node != NULL)
    json_builder_add_value (builder, g_steal_pointer (&node));
  else
    json_builder_add_null_value (builder);
}

char *
rcrp_decision_to_json (RcrpDecision *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (RCRP_IS_DECISION (self), NULL);

  json_builder_begin_object (builder);
  add_string (builder, "outcome", self->outcome);
  add_string (builder, "recommended_outcome", self->recommended_outcome);
  add_string (builder, "agency", self->agency);
  add_string (builder, "rationale", self->rationale);
  add_string (builder, "rules_version", self->rules_version);
  add_string (builder, "display_name", self->display_name);
  json_builder_set_member_name (builder, "reasons");
  json_builder_begin_array (builder);
  for (guint i = 0; self->reasons != NULL && self->reasons[i] != NULL; i++)
    json_builder_add_string_value (builder, self->reasons[i]);
  json_builder_end_array (builder);
  add_json (builder, "answers", self->answers_json);
  add_json (builder, "thrive", self->thrive_json);
  /* Only when there are any, so an ordinary decision reads as before. */
  if (self->overrides != NULL)
    {
      json_builder_set_member_name (builder, "overrides");
      json_builder_begin_array (builder);
      for (guint i = 0; self->overrides[i] != NULL; i++)
        json_builder_add_string_value (builder, self->overrides[i]);
      json_builder_end_array (builder);
    }
  if (self->take_over)
    {
      json_builder_set_member_name (builder, "take_over");
      json_builder_add_boolean_value (builder, TRUE);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);

  return json_to_string (root, FALSE);
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static char *
member_json (JsonObject *object,
             const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;

  return json_to_string (node, FALSE);
}

RcrpDecision *
rcrp_decision_new_from_json (gint64       call_id,
                             const char  *json,
                             GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) reasons = g_ptr_array_new ();
  RcrpDecision *self;
  JsonObject *object;
  JsonNode *reasons_node;

  root = json_from_string (json, &local_error);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, RCRP_DECISION_ERROR, RCRP_DECISION_ERROR_INVALID,
                   _("A recorded decision cannot be read: %s"),
                   local_error != NULL ? local_error->message : _("not an object"));
      return NULL;
    }

  object = json_node_get_object (root);
  self = rcrp_decision_new (call_id, member_string (object, "outcome"),
                            member_string (object, "recommended_outcome"));
  self->agency = g_strdup (member_string (object, "agency"));
  self->rationale = g_strdup (member_string (object, "rationale"));
  self->rules_version = g_strdup (member_string (object, "rules_version"));
  self->display_name = g_strdup (member_string (object, "display_name"));
  self->answers_json = member_json (object, "answers");
  self->thrive_json = member_json (object, "thrive");

  reasons_node = json_object_get_member (object, "reasons");
  if (reasons_node != NULL && JSON_NODE_HOLDS_ARRAY (reasons_node))
    {
      JsonArray *array = json_node_get_array (reasons_node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        g_ptr_array_add (reasons, (gpointer) json_array_get_string_element (array, i));
    }
  g_ptr_array_add (reasons, NULL);
  self->reasons = g_strdupv ((char **) reasons->pdata);

  {
    JsonNode *overrides_node = json_object_get_member (object, "overrides");
    JsonNode *take_over_node = json_object_get_member (object, "take_over");

    if (overrides_node != NULL && JSON_NODE_HOLDS_ARRAY (overrides_node))
      {
        JsonArray *array = json_node_get_array (overrides_node);
        g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

        for (guint i = 0; i < json_array_get_length (array); i++)
          if (json_array_get_string_element (array, i) != NULL)
            g_strv_builder_add (builder, json_array_get_string_element (array, i));
        self->overrides = g_strv_builder_end (builder);
        if (self->overrides[0] == NULL)
          g_clear_pointer (&self->overrides, g_strfreev);
      }

    if (take_over_node != NULL && JSON_NODE_HOLDS_VALUE (take_over_node) &&
        json_node_get_value_type (take_over_node) == G_TYPE_BOOLEAN)
      self->take_over = json_node_get_boolean (take_over_node);
  }

  return self;
}

void
_rcrp_decision_set_recorded (RcrpDecision *self,
                             gint64        event_id,
                             GDateTime    *at,
                             const char   *operator_name,
                             const char   *workstation)
{
  self->event_id = event_id;
  g_clear_pointer (&self->at, g_date_time_unref);
  self->at = at != NULL ? g_date_time_ref (at) : NULL;
  g_free (self->operator_name);
  self->operator_name = g_strdup (operator_name);
  g_free (self->workstation);
  self->workstation = g_strdup (workstation);
}

gint64
rcrp_decision_get_undone_by (RcrpDecision *self)
{
  g_return_val_if_fail (RCRP_IS_DECISION (self), 0);
  return self->undone_by;
}

void
_rcrp_decision_set_undone_by (RcrpDecision *self,
                              gint64        undo_event_id)
{
  g_return_if_fail (RCRP_IS_DECISION (self));
  self->undone_by = undo_event_id;
}

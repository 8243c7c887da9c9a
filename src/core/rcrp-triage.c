/* rcrp-triage.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "rcrp-core-resources.h"
#include "rcrp-decision.h"
#include "rcrp-json-strict.h"
#include "rcrp-triage.h"

#define RULES_SCHEMA "rcrp.triage-rules/1"
#define RULES_RESOURCE "/io/github/rcrp/Coordinator/core/triage-rules.json"

G_DEFINE_QUARK (rcrp-triage-error-quark, rcrp_triage_error)

static const char * const answer_names[] = { NULL, "yes", "no", "unknown" };

static const struct {
  const char *kind;
  const char *label;
} agency_kinds[] = {
  { "crisis_line",              N_("NHS 111 option 2 (mental-health line)") },
  { "crisis_team",              N_("Crisis resolution and home treatment team") },
  { "ambulance",                N_("Ambulance service") },
  { "mh_response_vehicle",      N_("Mental-health response vehicle") },
  { "amhp",                     N_("AMHP service") },
  { "adult_social_care",        N_("Adult social care") },
  { "social_care_out_of_hours", N_("Social care out of hours") },
  { "childrens_services",       N_("Children's services") },
  { "safe_haven",               N_("Safe haven / crisis café") },
  { "gp_out_of_hours",          N_("GP out of hours") },
  { "voluntary_sector",         N_("Voluntary sector") },
  { "healthcare_setting",       N_("The healthcare setting (refer back)") },
  { "referring_service",        N_("The referring service (refer back)") },
  { "mental_health_service",    N_("The responsible mental-health service") },
};

const char *
rcrp_answer_to_string (RcrpAnswer answer)
{
  g_return_val_if_fail (answer <= RCRP_ANSWER_UNKNOWN, NULL);
  return answer_names[answer];
}

gboolean
rcrp_answer_from_string (const char *string,
                         RcrpAnswer *answer)
{
  for (guint i = RCRP_ANSWER_YES; i <= RCRP_ANSWER_UNKNOWN; i++)
    {
      if (g_strcmp0 (string, answer_names[i]) == 0)
        {
          *answer = i;
          return TRUE;
        }
    }

  return FALSE;
}

gboolean
rcrp_agency_kind_is_valid (const char *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (agency_kinds); i++)
    if (g_strcmp0 (kind, agency_kinds[i].kind) == 0)
      return TRUE;

  return FALSE;
}

const char *
rcrp_agency_kind_get_label (const char *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (agency_kinds); i++)
    if (g_strcmp0 (kind, agency_kinds[i].kind) == 0)
      return g_dgettext (GETTEXT_PACKAGE, agency_kinds[i].label);

  return kind;
}

/* Questions */

struct _RcrpTriageQuestion
{
  GObject   parent_instance;

  char     *id;
  char     *text;
  char     *help;
  char     *reason;   /* said when a threshold question is answered yes */
  char     *prefill;  /* what of the call answers it, if anything */
  gboolean  is_threshold;
};

G_DEFINE_FINAL_TYPE (RcrpTriageQuestion, rcrp_triage_question, G_TYPE_OBJECT)

static void
rcrp_triage_question_finalize (GObject *object)
{
  RcrpTriageQuestion *self = RCRP_TRIAGE_QUESTION (object);

  g_free (self->id);
  g_free (self->text);
  g_free (self->help);
  g_free (self->reason);
  g_free (self->prefill);

  G_OBJECT_CLASS (rcrp_triage_question_parent_class)->finalize (object);
}

static void
rcrp_triage_question_class_init (RcrpTriageQuestionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rcrp_triage_question_finalize;
}

static void
rcrp_triage_question_init (RcrpTriageQuestion *self)
{
}

const char *
rcrp_triage_question_get_id (RcrpTriageQuestion *self)
{
  g_return_val_if_fail (RCRP_IS_TRIAGE_QUESTION (self), NULL);
  return self->id;
}

const char *
rcrp_triage_question_get_text (RcrpTriageQuestion *self)
{
  g_return_val_if_fail (RCRP_IS_TRIAGE_QUESTION (self), NULL);
  return self->text;
}

const char *
rcrp_triage_question_get_help (RcrpTriageQuestion *self)
{
  g_return_val_if_fail (RCRP_IS_TRIAGE_QUESTION (self), NULL);
  return self->help;
}

gboolean
rcrp_triage_question_get_is_threshold (RcrpTriageQuestion *self)
{
  g_return_val_if_fail (RCRP_IS_TRIAGE_QUESTION (self), FALSE);
  return self->is_threshold;
}

/* Answers */

struct _RcrpTriageAnswers
{
  GObject     parent_instance;
  GHashTable *answers;   /* id → RcrpAnswer */
};

G_DEFINE_FINAL_TYPE (RcrpTriageAnswers, rcrp_triage_answers, G_TYPE_OBJECT)

static void
rcrp_triage_answers_finalize (GObject *object)
{
  RcrpTriageAnswers *self = RCRP_TRIAGE_ANSWERS (object);

  g_clear_pointer (&self->answers, g_hash_table_unref);

  G_OBJECT_CLASS (rcrp_triage_answers_parent_class)->finalize (object);
}

static void
rcrp_triage_answers_class_init (RcrpTriageAnswersClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rcrp_triage_answers_finalize;
}

static void
rcrp_triage_answers_init (RcrpTriageAnswers *self)
{
  self->answers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

RcrpTriageAnswers *
rcrp_triage_answers_new (void)
{
  return g_object_new (RCRP_TYPE_TRIAGE_ANSWERS, NULL);
}

void
rcrp_triage_answers_set (RcrpTriageAnswers *self,
                         const char        *question_id,
                         RcrpAnswer         answer)
{
  g_return_if_fail (RCRP_IS_TRIAGE_ANSWERS (self));
  g_return_if_fail (question_id != NULL);

  if (answer == RCRP_ANSWER_UNANSWERED)
    g_hash_table_remove (self->answers, question_id);
  else
    g_hash_table_insert (self->answers, g_strdup (question_id), GUINT_TO_POINTER (answer));
}

RcrpAnswer
rcrp_triage_answers_get (RcrpTriageAnswers *self,
                         const char        *question_id)
{
  g_return_val_if_fail (RCRP_IS_TRIAGE_ANSWERS (self), RCRP_ANSWER_UNANSWERED);

  return GPOINTER_TO_UINT (g_hash_table_lookup (self->answers, question_id));
}

char *
rcrp_triage_answers_to_json (RcrpTriageAnswers *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GList) keys = NULL;

  g_return_val_if_fail (RCRP_IS_TRIAGE_ANSWERS (self), NULL);

  keys = g_list_sort (g_hash_table_get_keys (self->answers), (GCompareFunc) strcmp);

  json_builder_begin_object (builder);
  for (const GList *l = keys; l != NULL; l = l->next)
    {
      json_builder_set_member_name (builder, l->data);
      json_builder_add_string_value (builder, rcrp_answer_to_string (rcrp_triage_answers_get (self, l->data)));
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);

  return json_to_string (root, FALSE);
}

RcrpTriageAnswers *
rcrp_triage_answers_new_from_json (const char  *json,
                                   GError     **error)
{
  g_autoptr(RcrpTriageAnswers) self = rcrp_triage_answers_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *object;

  root = json_from_string (json, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, RCRP_TRIAGE_ERROR, RCRP_TRIAGE_ERROR_INVALID_ANSWERS,
                   _("Answers must be a JSON object of question ids"));
      return NULL;
    }

  object = json_node_get_object (root);
  members = json_object_get_members (object);

  for (const GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (object, l->data);
      RcrpAnswer answer;

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
          !rcrp_answer_from_string (json_node_get_string (node), &answer))
        {
          g_set_error (error, RCRP_TRIAGE_ERROR, RCRP_TRIAGE_ERROR_INVALID_ANSWERS,
                       _("%s: the answer must be “yes”, “no” or “unknown”"), (const char *) l->data);
          return NULL;
        }

      rcrp_triage_answers_set (self, l->data, answer);
    }

  return g_steal_pointer (&self);
}

/* Recommendations */

struct _RcrpRecommendation
{
  GObject    parent_instance;

  char      *outcome;
  GPtrArray *agencies;
  GPtrArray *reasons;
  GPtrArray *unknowns;
  gboolean   threshold_met;
  char      *rules_version;
};

G_DEFINE_FINAL_TYPE (RcrpRecommendation, rcrp_recommendation, G_TYPE_OBJECT)

static void
rcrp_recommendation_finalize (GObject *object)
{
  RcrpRecommendation *self = RCRP_RECOMMENDATION (object);

  g_free (self->outcome);
  g_ptr_array_unref (self->agencies);
  g_ptr_array_unref (self->reasons);
  g_ptr_array_unref (self->unknowns);
  g_free (self->rules_version);

  G_OBJECT_CLASS (rcrp_recommendation_parent_class)->finalize (object);
}

static void
rcrp_recommendation_class_init (RcrpRecommendationClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rcrp_recommendation_finalize;
}

static GPtrArray *
new_string_list (void)
{
  GPtrArray *list = g_ptr_array_new_with_free_func (g_free);

  /* Kept NULL-terminated so it reads as a strv. */
  g_ptr_array_add (list, NULL);
  return list;
}

static void
string_list_add (GPtrArray  *list,
                 const char *value)
{
  for (guint i = 0; i + 1 < list->len; i++)
    if (g_str_equal (g_ptr_array_index (list, i), value))
      return;

  g_ptr_array_insert (list, list->len - 1, g_strdup (value));
}

static void
rcrp_recommendation_init (RcrpRecommendation *self)
{
  self->agencies = new_string_list ();
  self->reasons = new_string_list ();
  self->unknowns = new_string_list ();
}

const char *
rcrp_recommendation_get_outcome (RcrpRecommendation *self)
{
  g_return_val_if_fail (RCRP_IS_RECOMMENDATION (self), NULL);
  return self->outcome;
}

const char * const *
rcrp_recommendation_get_agencies (RcrpRecommendation *self)
{
  g_return_val_if_fail (RCRP_IS_RECOMMENDATION (self), NULL);
  return (const char * const *) self->agencies->pdata;
}

const char * const *
rcrp_recommendation_get_reasons (RcrpRecommendation *self)
{
  g_return_val_if_fail (RCRP_IS_RECOMMENDATION (self), NULL);
  return (const char * const *) self->reasons->pdata;
}

const char * const *
rcrp_recommendation_get_unknowns (RcrpRecommendation *self)
{
  g_return_val_if_fail (RCRP_IS_RECOMMENDATION (self), NULL);
  return (const char * const *) self->unknowns->pdata;
}

gboolean
rcrp_recommendation_get_threshold_met (RcrpRecommendation *self)
{
  g_return_val_if_fail (RCRP_IS_RECOMMENDATION (self), FALSE);
  return self->threshold_met;
}

gboolean
rcrp_recommendation_get_complete (RcrpRecommendation *self)
{
  g_return_val_if_fail (RCRP_IS_RECOMMENDATION (self), FALSE);
  return self->threshold_met || self->unknowns->len <= 1;
}

const char *
rcrp_recommendation_get_rules_version (RcrpRecommendation *self)
{
  g_return_val_if_fail (RCRP_IS_RECOMMENDATION (self), NULL);
  return self->rules_version;
}

/* Rules */

typedef struct
{
  GHashTable *when;       /* question id → RcrpAnswer */
  char       *outcome;
  char      **agencies;
  char       *reason;
} Rule;

typedef struct
{
  GPtrArray *questions;   /* RcrpTriageQuestion, threshold first */
  GPtrArray *rules;       /* Rule */
  Rule      *otherwise;
} Category;

struct _RcrpTriageRules
{
  GObject   parent_instance;

  char     *version;
  char     *police_indicators[RCRP_N_RISKS];   /* reason, or NULL */
  Category  categories[RCRP_N_CATEGORIES];
};

G_DEFINE_FINAL_TYPE (RcrpTriageRules, rcrp_triage_rules, G_TYPE_OBJECT)

static void
rule_free (gpointer data)
{
  Rule *rule = data;

  if (rule == NULL)
    return;

  g_clear_pointer (&rule->when, g_hash_table_unref);
  g_free (rule->outcome);
  g_strfreev (rule->agencies);
  g_free (rule->reason);
  g_free (rule);
}

static void
rcrp_triage_rules_finalize (GObject *object)
{
  RcrpTriageRules *self = RCRP_TRIAGE_RULES (object);

  g_free (self->version);
  for (guint i = 0; i < RCRP_N_RISKS; i++)
    g_free (self->police_indicators[i]);
  for (guint i = 0; i < RCRP_N_CATEGORIES; i++)
    {
      g_clear_pointer (&self->categories[i].questions, g_ptr_array_unref);
      g_clear_pointer (&self->categories[i].rules, g_ptr_array_unref);
      g_clear_pointer (&self->categories[i].otherwise, rule_free);
    }

  G_OBJECT_CLASS (rcrp_triage_rules_parent_class)->finalize (object);
}

static void
rcrp_triage_rules_class_init (RcrpTriageRulesClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rcrp_triage_rules_finalize;
}

static void
rcrp_triage_rules_init (RcrpTriageRules *self)
{
}

static gboolean G_GNUC_PRINTF (4, 5)
rules_invalid (GError     **error,
               const char  *source,
               const char  *path,
               const char  *format,
               ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, RCRP_TRIAGE_ERROR, RCRP_TRIAGE_ERROR_INVALID_RULES,
               "%s: %s: %s", source, path, message);
  return FALSE;
}

static const char *
get_string_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static RcrpTriageQuestion *
find_question (Category   *category,
               const char *id)
{
  for (guint i = 0; i < category->questions->len; i++)
    {
      RcrpTriageQuestion *question = g_ptr_array_index (category->questions, i);

      if (g_str_equal (question->id, id))
        return question;
    }

  return NULL;
}

static Rule *
parse_rule (JsonNode    *node,
            Category    *category,
            const char  *source,
            const char  *path,
            gboolean     otherwise,
            GError     **error)
{
  g_autoptr(GPtrArray) agencies = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *field = NULL;
  Rule *rule;
  JsonObject *object;
  JsonNode *agencies_node;
  const char *outcome, *reason;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return rules_invalid (error, source, path, _("must be an object")), NULL;

  object = json_node_get_object (node);
  outcome = get_string_member (object, "outcome");
  reason = get_string_member (object, "reason");

  field = g_strdup_printf ("%s.outcome", path);
  if (!rcrp_outcome_is_valid (outcome))
    return rules_invalid (error, source, field, _("must be one of police_deployed, referred, signposted, no_further_action")), NULL;

  g_free (field);
  field = g_strdup_printf ("%s.reason", path);
  if (reason == NULL || *reason == '\0')
    return rules_invalid (error, source, field, _("every rule says why, in plain words")), NULL;

  agencies_node = json_object_get_member (object, "agencies");
  if (agencies_node != NULL)
    {
      JsonArray *array;

      g_free (field);
      field = g_strdup_printf ("%s.agencies", path);
      if (!JSON_NODE_HOLDS_ARRAY (agencies_node))
        return rules_invalid (error, source, field, _("must be an array of agency kinds")), NULL;

      array = json_node_get_array (agencies_node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          const char *kind = JSON_NODE_HOLDS_VALUE (element) &&
                             json_node_get_value_type (element) == G_TYPE_STRING
                             ? json_node_get_string (element) : NULL;

          if (!rcrp_agency_kind_is_valid (kind))
            {
              g_autofree char *element_path = g_strdup_printf ("%s.agencies[%u]", path, i);

              return rules_invalid (error, source, element_path, _("not a known agency kind")), NULL;
            }

          g_ptr_array_add (agencies, g_strdup (kind));
        }
    }
  g_ptr_array_add (agencies, NULL);

  rule = g_new0 (Rule, 1);
  rule->outcome = g_strdup (outcome);
  rule->reason = g_strdup (reason);
  rule->agencies = (char **) g_ptr_array_free (g_steal_pointer (&agencies), FALSE);
  rule->when = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (!otherwise)
    {
      JsonNode *when = json_object_get_member (object, "when");
      g_autoptr(GList) members = NULL;

      g_free (field);
      field = g_strdup_printf ("%s.when", path);
      if (when == NULL || !JSON_NODE_HOLDS_OBJECT (when) || json_object_get_size (json_node_get_object (when)) == 0)
        {
          rule_free (rule);
          return rules_invalid (error, source, field, _("must be an object of question ids and answers")), NULL;
        }

      members = json_object_get_members (json_node_get_object (when));
      for (const GList *l = members; l != NULL; l = l->next)
        {
          g_autofree char *condition = g_strdup_printf ("%s.%s", field, (const char *) l->data);
          const char *value = get_string_member (json_node_get_object (when), l->data);
          RcrpTriageQuestion *question = find_question (category, l->data);
          RcrpAnswer answer;

          if (question == NULL)
            {
              rule_free (rule);
              return rules_invalid (error, source, condition, _("no such question in this category")), NULL;
            }
          if (!rcrp_answer_from_string (value, &answer))
            {
              rule_free (rule);
              return rules_invalid (error, source, condition, _("must be “yes”, “no” or “unknown”")), NULL;
            }

          g_hash_table_insert (rule->when, g_strdup (l->data), GUINT_TO_POINTER (answer));
        }
    }

  return rule;
}

static gboolean
parse_category (Category    *category,
                JsonNode    *node,
                const char  *source,
                const char  *path,
                GError     **error)
{
  g_autoptr(GPtrArray) others = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *field = NULL;
  JsonObject *object;
  JsonNode *questions, *rules, *otherwise;
  guint n_threshold = 0;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return rules_invalid (error, source, path, _("must be an object"));

  object = json_node_get_object (node);
  category->questions = g_ptr_array_new_with_free_func (g_object_unref);
  category->rules = g_ptr_array_new_with_free_func (rule_free);

  questions = json_object_get_member (object, "questions");
  field = g_strdup_printf ("%s.questions", path);
  if (questions == NULL || !JSON_NODE_HOLDS_ARRAY (questions))
    return rules_invalid (error, source, field, _("must be an array of questions"));

  for (guint i = 0; i < json_array_get_length (json_node_get_array (questions)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (questions), i);
      g_autofree char *question_path = g_strdup_printf ("%s[%u]", field, i);
      g_autoptr(RcrpTriageQuestion) question = NULL;
      JsonObject *q;
      JsonNode *threshold;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return rules_invalid (error, source, question_path, _("must be an object"));

      q = json_node_get_object (element);
      question = g_object_new (RCRP_TYPE_TRIAGE_QUESTION, NULL);
      question->id = g_strdup (get_string_member (q, "id"));
      question->text = g_strdup (get_string_member (q, "text"));
      question->help = g_strdup (get_string_member (q, "help"));
      question->reason = g_strdup (get_string_member (q, "reason"));
      question->prefill = g_strdup (get_string_member (q, "prefill"));
      threshold = json_object_get_member (q, "threshold");
      question->is_threshold = threshold != NULL && JSON_NODE_HOLDS_VALUE (threshold) &&
                               json_node_get_value_type (threshold) == G_TYPE_BOOLEAN &&
                               json_node_get_boolean (threshold);

      if (question->id == NULL || *question->id == '\0')
        return rules_invalid (error, source, question_path, _("needs an id"));
      if (question->text == NULL || *question->text == '\0')
        return rules_invalid (error, source, question_path, _("needs the text of the question"));
      if (question->is_threshold && (question->reason == NULL || *question->reason == '\0'))
        return rules_invalid (error, source, question_path,
                              _("a threshold question says, as its reason, what a yes means"));
      if (find_question (category, question->id) != NULL)
        return rules_invalid (error, source, question_path, _("the id “%s” is used twice"), question->id);
      for (guint j = 0; j < others->len; j++)
        if (g_str_equal (((RcrpTriageQuestion *) g_ptr_array_index (others, j))->id, question->id))
          return rules_invalid (error, source, question_path, _("the id “%s” is used twice"), question->id);

      /* Threshold questions come first, whatever the file's order. */
      if (question->is_threshold)
        {
          g_ptr_array_add (category->questions, g_steal_pointer (&question));
          n_threshold++;
        }
      else
        {
          g_ptr_array_add (others, g_steal_pointer (&question));
        }
    }

  if (n_threshold == 0)
    return rules_invalid (error, source, field, _("every category needs at least one threshold question"));

  for (guint i = 0; i < others->len; i++)
    g_ptr_array_add (category->questions, g_object_ref (g_ptr_array_index (others, i)));

  rules = json_object_get_member (object, "rules");
  g_free (field);
  field = g_strdup_printf ("%s.rules", path);
  if (rules != NULL)
    {
      if (!JSON_NODE_HOLDS_ARRAY (rules))
        return rules_invalid (error, source, field, _("must be an array of rules"));

      for (guint i = 0; i < json_array_get_length (json_node_get_array (rules)); i++)
        {
          g_autofree char *rule_path = g_strdup_printf ("%s[%u]", field, i);
          Rule *rule = parse_rule (json_array_get_element (json_node_get_array (rules), i),
                                   category, source, rule_path, FALSE, error);

          if (rule == NULL)
            return FALSE;
          g_ptr_array_add (category->rules, rule);
        }
    }

  otherwise = json_object_get_member (object, "otherwise");
  g_free (field);
  field = g_strdup_printf ("%s.otherwise", path);
  if (otherwise == NULL)
    return rules_invalid (error, source, field, _("every category says what to do when no rule matches"));

  category->otherwise = parse_rule (otherwise, category, source, field, TRUE, error);

  return category->otherwise != NULL;
}

RcrpTriageRules *
rcrp_triage_rules_new_from_bytes (GBytes      *bytes,
                                  const char  *source,
                                  GError     **error)
{
  g_autoptr(RcrpTriageRules) self = NULL;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autofree char *message = NULL;
  JsonObject *root, *categories, *indicators;
  JsonNode *node;
  const char *text;
  gsize length;
  guint line, column;

  g_return_val_if_fail (bytes != NULL, NULL);

  if (source == NULL)
    source = "rules";

  text = g_bytes_get_data (bytes, &length);
  if (text == NULL || !g_utf8_validate_len (text, length, NULL) ||
      !rcrp_json_strict_check (text, length, 16, &line, &column, &message))
    {
      g_set_error (error, RCRP_TRIAGE_ERROR, RCRP_TRIAGE_ERROR_INVALID_RULES,
                   "%s:%u:%u: %s", source, message != NULL ? line : 1, message != NULL ? column : 1,
                   message != NULL ? message : _("not UTF-8 text"));
      return NULL;
    }

  if (!json_parser_load_from_data (parser, text, length, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      rules_invalid (error, source, "(top)", _("must be a JSON object"));
      return NULL;
    }

  root = json_node_get_object (json_parser_get_root (parser));
  if (g_strcmp0 (get_string_member (root, "schema"), RULES_SCHEMA) != 0)
    {
      rules_invalid (error, source, "schema", _("must be “%s”"), RULES_SCHEMA);
      return NULL;
    }

  self = g_object_new (RCRP_TYPE_TRIAGE_RULES, NULL);
  self->version = g_strdup (get_string_member (root, "version"));
  if (self->version == NULL || *self->version == '\0')
    {
      rules_invalid (error, source, "version", _("the rules must say their version"));
      return NULL;
    }

  node = json_object_get_member (root, "police_indicators");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      rules_invalid (error, source, "police_indicators", _("must be an object of risk indicators and reasons"));
      return NULL;
    }
  indicators = json_node_get_object (node);
  {
    g_autoptr(GList) members = json_object_get_members (indicators);

    for (const GList *l = members; l != NULL; l = l->next)
      {
        g_autofree char *path = g_strdup_printf ("police_indicators.%s", (const char *) l->data);
        const char *reason = get_string_member (indicators, l->data);
        RcrpRisk risk;

        if (!rcrp_risk_from_string (l->data, &risk))
          {
            rules_invalid (error, source, path, _("not a risk indicator of the call feed"));
            return NULL;
          }
        if (reason == NULL || *reason == '\0')
          {
            rules_invalid (error, source, path, _("must say, as a reason, why it meets the threshold"));
            return NULL;
          }

        self->police_indicators[g_bit_nth_lsf (risk, -1)] = g_strdup (reason);
      }
  }

  node = json_object_get_member (root, "categories");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      rules_invalid (error, source, "categories", _("must be an object with a member per call category"));
      return NULL;
    }
  categories = json_node_get_object (node);

  for (guint i = 0; i < RCRP_N_CATEGORIES; i++)
    {
      const char *name = rcrp_category_to_string (i);
      g_autofree char *path = g_strdup_printf ("categories.%s", name);
      JsonNode *category = json_object_get_member (categories, name);

      if (category == NULL)
        {
          rules_invalid (error, source, path, _("every call category needs its questions"));
          return NULL;
        }

      if (!parse_category (&self->categories[i], category, source, path, error))
        return NULL;
    }

  return g_steal_pointer (&self);
}

RcrpTriageRules *
rcrp_triage_rules_new_default (GError **error)
{
  g_autoptr(GBytes) bytes = NULL;

  bytes = g_resource_lookup_data (rcrp_core_get_resource (), RULES_RESOURCE,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return NULL;

  return rcrp_triage_rules_new_from_bytes (bytes, "triage-rules.json", error);
}

const char *
rcrp_triage_rules_get_version (RcrpTriageRules *self)
{
  g_return_val_if_fail (RCRP_IS_TRIAGE_RULES (self), NULL);
  return self->version;
}

GPtrArray *
rcrp_triage_rules_get_questions (RcrpTriageRules *self,
                                 RcrpCategory     category)
{
  g_return_val_if_fail (RCRP_IS_TRIAGE_RULES (self), NULL);
  g_return_val_if_fail (category < RCRP_N_CATEGORIES, NULL);

  return self->categories[category].questions;
}

RcrpTriageQuestion *
rcrp_triage_rules_lookup_question (RcrpTriageRules *self,
                                   RcrpCategory     category,
                                   const char      *question_id)
{
  g_return_val_if_fail (RCRP_IS_TRIAGE_RULES (self), NULL);
  g_return_val_if_fail (category < RCRP_N_CATEGORIES, NULL);

  return find_question (&self->categories[category], question_id);
}

RcrpTriageAnswers *
rcrp_triage_answers_new_for_call (RcrpTriageRules *rules,
                                  RcrpCall        *call)
{
  RcrpTriageAnswers *answers = rcrp_triage_answers_new ();
  GPtrArray *questions;

  g_return_val_if_fail (RCRP_IS_TRIAGE_RULES (rules), answers);
  g_return_val_if_fail (RCRP_IS_CALL (call), answers);

  questions = rules->categories[rcrp_call_get_category (call)].questions;

  for (guint i = 0; i < questions->len; i++)
    {
      RcrpTriageQuestion *question = g_ptr_array_index (questions, i);
      int known = -1;

      /* Only what the call itself states; threshold questions are never
       * answered for the coordinator. */
      if (question->prefill == NULL || question->is_threshold)
        continue;

      if (g_str_equal (question->prefill, "caller_professional"))
        known = rcrp_call_get_caller_relationship (call) == NULL ? -1
                : g_str_equal (rcrp_call_get_caller_relationship (call), "professional");
      else if (g_str_equal (question->prefill, "known_to_services"))
        known = rcrp_call_get_known_to_services (call);
      else if (g_str_equal (question->prefill, "detained"))
        known = rcrp_call_get_setting_detained (call);
      else if (g_str_equal (question->prefill, "informal"))
        known = rcrp_call_get_setting_informal (call);

      if (known >= 0)
        rcrp_triage_answers_set (answers, question->id, known ? RCRP_ANSWER_YES : RCRP_ANSWER_NO);
    }

  return answers;
}

char **
rcrp_triage_rules_open_thresholds (RcrpTriageRules   *rules,
                                   RcrpCategory       category,
                                   RcrpTriageAnswers *answers)
{
  g_autoptr(GStrvBuilder) open = g_strv_builder_new ();
  GPtrArray *questions;

  g_return_val_if_fail (RCRP_IS_TRIAGE_RULES (rules), NULL);
  g_return_val_if_fail (category < RCRP_N_CATEGORIES, NULL);
  g_return_val_if_fail (RCRP_IS_TRIAGE_ANSWERS (answers), NULL);

  questions = rules->categories[category].questions;
  for (guint i = 0; i < questions->len; i++)
    {
      RcrpTriageQuestion *question = g_ptr_array_index (questions, i);

      if (question->is_threshold && rcrp_triage_answers_get (answers, question->id) != RCRP_ANSWER_NO)
        g_strv_builder_add (open, question->id);
    }

  return g_strv_builder_end (open);
}

static gboolean
rule_matches (Rule              *rule,
              RcrpTriageAnswers *answers)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, rule->when);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (rcrp_triage_answers_get (answers, key) != GPOINTER_TO_UINT (value))
      return FALSE;

  return TRUE;
}

RcrpRecommendation *
rcrp_triage_recommend (RcrpTriageRules   *rules,
                       RcrpCall          *call,
                       RcrpTriageAnswers *answers)
{
  g_autoptr(RcrpRecommendation) self = g_object_new (RCRP_TYPE_RECOMMENDATION, NULL);
  Category *category;
  guint risks;

  g_return_val_if_fail (RCRP_IS_TRIAGE_RULES (rules), NULL);
  g_return_val_if_fail (RCRP_IS_CALL (call), NULL);
  g_return_val_if_fail (RCRP_IS_TRIAGE_ANSWERS (answers), NULL);

  category = &rules->categories[rcrp_call_get_category (call)];
  risks = rcrp_call_get_risks (call);
  self->rules_version = g_strdup (rules->version);

  /* The threshold pass. This is not left to the rules table: any yes, or
   * any police indicator from the call, means police attend. */
  for (guint i = 0; i < category->questions->len; i++)
    {
      RcrpTriageQuestion *question = g_ptr_array_index (category->questions, i);
      RcrpAnswer answer = rcrp_triage_answers_get (answers, question->id);

      if (!question->is_threshold)
        continue;

      if (answer == RCRP_ANSWER_YES)
        {
          self->threshold_met = TRUE;
          string_list_add (self->reasons, question->reason);
        }
      else if (answer != RCRP_ANSWER_NO)
        {
          string_list_add (self->unknowns, question->text);
        }
    }

  for (guint i = 0; i < RCRP_N_RISKS; i++)
    {
      if ((risks & (1u << i)) && rules->police_indicators[i] != NULL)
        {
          g_autofree char *reason = g_strdup_printf (_("%s (risk indicator from the call)"),
                                                     rules->police_indicators[i]);

          self->threshold_met = TRUE;
          string_list_add (self->reasons, reason);
        }
    }

  if (self->threshold_met)
    {
      self->outcome = g_strdup ("police_deployed");

      /* Police are not a substitute for an ambulance: where a medical need
       * is likely, the ambulance goes too. */
      if ((risks & RCRP_RISK_MEDICAL_EMERGENCY) ||
          rcrp_call_get_category (call) == RCRP_CATEGORY_MEDICAL_INCIDENT)
        string_list_add (self->agencies, "ambulance");

      return g_steal_pointer (&self);
    }

  {
    Rule *chosen = category->otherwise;

    for (guint i = 0; i < category->rules->len; i++)
      {
        Rule *rule = g_ptr_array_index (category->rules, i);

        if (rule_matches (rule, answers))
          {
            chosen = rule;
            break;
          }
      }

    self->outcome = g_strdup (chosen->outcome);
    for (guint i = 0; chosen->agencies[i] != NULL; i++)
      string_list_add (self->agencies, chosen->agencies[i]);

    /* An open threshold question is said first: "no police" is not safe
     * until it is answered. */
    for (guint i = 0; i + 1 < self->unknowns->len; i++)
      {
        g_autofree char *reason = g_strdup_printf (_("Still unknown: %s"),
                                                   (const char *) g_ptr_array_index (self->unknowns, i));

        string_list_add (self->reasons, reason);
      }

    string_list_add (self->reasons, chosen->reason);
  }

  if (risks & RCRP_RISK_MEDICAL_EMERGENCY)
    {
      string_list_add (self->agencies, "ambulance");
      string_list_add (self->reasons, _("A medical emergency is reported: the ambulance service attends"));
    }

  return g_steal_pointer (&self);
}

char *
rcrp_thrive_to_json (const char  *threat,
                     const char  *harm,
                     const char  *risk,
                     const char  *investigation,
                     const char  *vulnerability,
                     const char  *engagement,
                     int          grade,
                     GError     **error)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  const struct { const char *name; const char *value; } notes[] = {
    { "threat", threat },
    { "harm", harm },
    { "risk", risk },
    { "investigation", investigation },
    { "vulnerability", vulnerability },
    { "engagement", engagement },
  };

  if (grade < 1 || grade > 4)
    {
      g_set_error (error, RCRP_TRIAGE_ERROR, RCRP_TRIAGE_ERROR_INVALID_THRIVE,
                   _("The grade must be 1 (emergency) to 4 (resolved without deployment)"));
      return NULL;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "grade");
  json_builder_add_int_value (builder, grade);
  for (guint i = 0; i < G_N_ELEMENTS (notes); i++)
    {
      if (notes[i].value == NULL || *notes[i].value == '\0')
        continue;
      json_builder_set_member_name (builder, notes[i].name);
      json_builder_add_string_value (builder, notes[i].value);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);

  return json_to_string (root, FALSE);
}

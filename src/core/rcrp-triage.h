/* rcrp-triage.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rcrp-call.h"

G_BEGIN_DECLS

/* The RCRP threshold questions and the rules that turn their answers into a
 * recommendation. The questions and rules are data (data/triage/
 * triage-rules.json, compiled into the core) that a force can review line
 * by line; this code is their interpreter. One thing it does not leave to
 * the data: any threshold question answered yes, or any police indicator
 * on the call, recommends police, whatever else is answered.
 *
 * Outcomes are the strings of rcrp-decision.h. Agency kinds are a fixed
 * vocabulary: crisis_line (NHS 111 option 2), crisis_team (crisis
 * resolution and home treatment), ambulance, mh_response_vehicle, amhp,
 * adult_social_care, social_care_out_of_hours, childrens_services,
 * safe_haven, gp_out_of_hours, voluntary_sector, healthcare_setting (refer
 * back to the setting), referring_service (refer back to the
 * professional's own service), mental_health_service (the responsible
 * service, for AWOL patients).
 */

#define RCRP_TRIAGE_ERROR (rcrp_triage_error_quark ())

typedef enum
{
  RCRP_TRIAGE_ERROR_INVALID_RULES,
  RCRP_TRIAGE_ERROR_INVALID_ANSWERS,
  RCRP_TRIAGE_ERROR_INVALID_THRIVE,
} RcrpTriageError;

GQuark rcrp_triage_error_quark (void);

typedef enum
{
  RCRP_ANSWER_UNANSWERED,
  RCRP_ANSWER_YES,
  RCRP_ANSWER_NO,
  RCRP_ANSWER_UNKNOWN,
} RcrpAnswer;

const char *rcrp_answer_to_string        (RcrpAnswer   answer);
gboolean    rcrp_answer_from_string      (const char  *string,
                                          RcrpAnswer  *answer);
gboolean    rcrp_agency_kind_is_valid    (const char  *kind);
const char *rcrp_agency_kind_get_label   (const char  *kind);

#define RCRP_TYPE_TRIAGE_QUESTION (rcrp_triage_question_get_type ())
G_DECLARE_FINAL_TYPE (RcrpTriageQuestion, rcrp_triage_question, RCRP, TRIAGE_QUESTION, GObject)

const char *rcrp_triage_question_get_id           (RcrpTriageQuestion *self);
const char *rcrp_triage_question_get_text         (RcrpTriageQuestion *self);
const char *rcrp_triage_question_get_help         (RcrpTriageQuestion *self);
gboolean    rcrp_triage_question_get_is_threshold (RcrpTriageQuestion *self);

#define RCRP_TYPE_TRIAGE_ANSWERS (rcrp_triage_answers_get_type ())
G_DECLARE_FINAL_TYPE (RcrpTriageAnswers, rcrp_triage_answers, RCRP, TRIAGE_ANSWERS, GObject)

RcrpTriageAnswers *rcrp_triage_answers_new           (void);
void               rcrp_triage_answers_set           (RcrpTriageAnswers  *self,
                                                      const char         *question_id,
                                                      RcrpAnswer          answer);
RcrpAnswer         rcrp_triage_answers_get           (RcrpTriageAnswers  *self,
                                                      const char         *question_id);
/* A JSON object of the answered questions, members sorted. */
char              *rcrp_triage_answers_to_json       (RcrpTriageAnswers  *self);
RcrpTriageAnswers *rcrp_triage_answers_new_from_json (const char         *json,
                                                      GError            **error);

#define RCRP_TYPE_RECOMMENDATION (rcrp_recommendation_get_type ())
G_DECLARE_FINAL_TYPE (RcrpRecommendation, rcrp_recommendation, RCRP, RECOMMENDATION, GObject)

const char         *rcrp_recommendation_get_outcome        (RcrpRecommendation *self);
const char * const *rcrp_recommendation_get_agencies       (RcrpRecommendation *self);
const char * const *rcrp_recommendation_get_reasons        (RcrpRecommendation *self);
/* The threshold questions not yet answered yes or no. */
const char * const *rcrp_recommendation_get_unknowns       (RcrpRecommendation *self);
gboolean            rcrp_recommendation_get_threshold_met  (RcrpRecommendation *self);
/* FALSE while a threshold question is open: "no police" is not yet safe. */
gboolean            rcrp_recommendation_get_complete       (RcrpRecommendation *self);
const char         *rcrp_recommendation_get_rules_version  (RcrpRecommendation *self);

#define RCRP_TYPE_TRIAGE_RULES (rcrp_triage_rules_get_type ())
G_DECLARE_FINAL_TYPE (RcrpTriageRules, rcrp_triage_rules, RCRP, TRIAGE_RULES, GObject)

/* The rules compiled into the core. */
RcrpTriageRules    *rcrp_triage_rules_new_default      (GError            **error);
/* A rules file, refused whole with a message naming the place. */
RcrpTriageRules    *rcrp_triage_rules_new_from_bytes   (GBytes             *bytes,
                                                        const char         *source,
                                                        GError            **error);
const char         *rcrp_triage_rules_get_version      (RcrpTriageRules    *self);
/* Returns: (transfer none) (element-type RcrpTriageQuestion): threshold
 * questions first, then the others, each in the file's order. */
GPtrArray          *rcrp_triage_rules_get_questions    (RcrpTriageRules    *self,
                                                        RcrpCategory        category);
RcrpTriageQuestion *rcrp_triage_rules_lookup_question  (RcrpTriageRules    *self,
                                                        RcrpCategory        category,
                                                        const char         *question_id);

/* Answers for @call with what the call already says filled in (caller is
 * a professional, known to services, liable to be detained); the
 * coordinator's own questions are left unanswered. */
RcrpTriageAnswers  *rcrp_triage_answers_new_for_call   (RcrpTriageRules    *rules,
                                                        RcrpCall           *call);

/* Returns: (transfer full): the ids of @category's threshold questions
 * that @answers do not rule out (anything but no), in the rules' order;
 * empty when police are ruled out. The one place that says what "ruled
 * out" means, for the store's check and for the app's warning alike. */
char              **rcrp_triage_rules_open_thresholds  (RcrpTriageRules    *rules,
                                                        RcrpCategory        category,
                                                        RcrpTriageAnswers  *answers);

RcrpRecommendation *rcrp_triage_recommend              (RcrpTriageRules    *rules,
                                                        RcrpCall           *call,
                                                        RcrpTriageAnswers  *answers);

/* THRIVE: notes under each heading and the grade, as a JSON object. */
char               *rcrp_thrive_to_json                (const char         *threat,
                                                        const char         *harm,
                                                        const char         *risk,
                                                        const char         *investigation,
                                                        const char         *vulnerability,
                                                        const char         *engagement,
                                                        int                 grade,
                                                        GError            **error);

G_END_DECLS

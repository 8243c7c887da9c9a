/* rcrp-decision.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "rcrp-triage.h"

G_BEGIN_DECLS

#define RCRP_DECISION_ERROR (rcrp_decision_error_quark ())

typedef enum
{
  RCRP_DECISION_ERROR_INVALID,            /* an unknown outcome, no call */
  RCRP_DECISION_ERROR_RATIONALE_REQUIRED, /* departs from the recommendation without saying why */
  RCRP_DECISION_ERROR_AGENCY_REQUIRED,    /* a referral names no agency */
  RCRP_DECISION_ERROR_THRESHOLD_OPEN,     /* no police, with a threshold question not ruled out */
} RcrpDecisionError;

/* How long a claim not seen by its holder stays live, unless the decision
 * says otherwise: the default of the app's claim-idle-minutes. */
#define RCRP_DECISION_DEFAULT_CLAIM_LAPSE (15 * G_TIME_SPAN_MINUTE)

GQuark rcrp_decision_error_quark (void);

#define RCRP_TYPE_DECISION (rcrp_decision_get_type ())

G_DECLARE_FINAL_TYPE (RcrpDecision, rcrp_decision, RCRP, DECISION, GObject)

/* What the coordinator decided on a call, with the reasoning behind it:
 * the checklist answers and THRIVE assessment (JSON objects), the rules
 * version that produced the recommendation, and a rationale, which is
 * required when the outcome departs from the recommendation.
 *
 * Outcomes are "police_deployed", "referred", "signposted" and
 * "no_further_action".
 */
RcrpDecision *rcrp_decision_new                     (gint64         call_id,
                                                     const char    *outcome,
                                                     const char    *recommended_outcome);
void          rcrp_decision_set_agency              (RcrpDecision  *self,
                                                     const char    *agency);
void          rcrp_decision_set_rationale           (RcrpDecision  *self,
                                                     const char    *rationale);
void          rcrp_decision_set_answers_json        (RcrpDecision  *self,
                                                     const char    *answers_json);
void          rcrp_decision_set_thrive_json         (RcrpDecision  *self,
                                                     const char    *thrive_json);
void          rcrp_decision_set_rules_version       (RcrpDecision  *self,
                                                     const char    *rules_version);
void          rcrp_decision_set_reasons             (RcrpDecision  *self,
                                                     const char * const *reasons);
void          rcrp_decision_set_display_name        (RcrpDecision  *self,
                                                     const char    *display_name);
/* The newest decision on the call its author had seen (0: none). When set,
 * the store refuses the decision if another was recorded since, so two
 * workstations deciding at the same moment cannot silently overwrite each
 * other. -1 (the default) skips the check. */
void          rcrp_decision_set_basis               (RcrpDecision  *self,
                                                     gint64         decision_event_id);
gint64        rcrp_decision_get_basis               (RcrpDecision  *self);

/* The threshold questions (ids) the coordinator decided on without having
 * ruled them out (answered anything but no), overriding them knowingly. A
 * decision not to send police must name every such question here, with a
 * rationale, or the store refuses it (rcrp_decision_check_threshold()).
 * Stored with the decision, so the override is in the audit log. */
void          rcrp_decision_set_overrides           (RcrpDecision  *self,
                                                     const char * const *question_ids);
const char * const *rcrp_decision_get_overrides     (RcrpDecision  *self);

/* The claim session (one app run, as rcrp_store_claim_call()) the decision
 * is made in, and how long a claim its holder has not refreshed stays live
 * (<= 0: RCRP_DECISION_DEFAULT_CLAIM_LAPSE). The store records a decision
 * only from the session holding the call's live claim; if nobody holds
 * one, the session claims it in the same transaction. A NULL session (a
 * batch tool) may decide only on a call nobody is working. */
void          rcrp_decision_set_session             (RcrpDecision  *self,
                                                     const char    *session,
                                                     GTimeSpan      lapse);
const char   *rcrp_decision_get_session             (RcrpDecision  *self);
GTimeSpan     rcrp_decision_get_claim_lapse         (RcrpDecision  *self);
/* Decide on a call another session holds, taking it over: logged with the
 * previous holder, as an explicit take-over is. */
void          rcrp_decision_set_take_over           (RcrpDecision  *self,
                                                     gboolean       take_over);
gboolean      rcrp_decision_get_take_over           (RcrpDecision  *self);

gint64        rcrp_decision_get_call_id             (RcrpDecision  *self);
const char   *rcrp_decision_get_outcome             (RcrpDecision  *self);
const char   *rcrp_decision_get_recommended_outcome (RcrpDecision  *self);
const char   *rcrp_decision_get_agency              (RcrpDecision  *self);
const char   *rcrp_decision_get_rationale           (RcrpDecision  *self);
const char   *rcrp_decision_get_answers_json        (RcrpDecision  *self);
const char   *rcrp_decision_get_thrive_json         (RcrpDecision  *self);
const char   *rcrp_decision_get_rules_version       (RcrpDecision  *self);
const char * const *rcrp_decision_get_reasons       (RcrpDecision  *self);
const char   *rcrp_decision_get_display_name        (RcrpDecision  *self);
gboolean      rcrp_decision_departs                 (RcrpDecision  *self);

/* Set by the store when the decision is recorded or read back. */
gint64        rcrp_decision_get_event_id            (RcrpDecision  *self);
GDateTime    *rcrp_decision_get_at                  (RcrpDecision  *self);
const char   *rcrp_decision_get_operator            (RcrpDecision  *self);
const char   *rcrp_decision_get_workstation         (RcrpDecision  *self);
/* The event that undid this decision, or 0 if it stands. */
gint64        rcrp_decision_get_undone_by           (RcrpDecision  *self);

/* Checks the decision is complete enough to record. */
gboolean      rcrp_decision_validate                (RcrpDecision  *self,
                                                     GError       **error);

/* The police threshold rule, checked by the store inside its write
 * transaction with the rules in force and the call's @category: an outcome
 * other than police needs every threshold question answered no, or each
 * one that is not named in the overrides, with a rationale. A question
 * named in the overrides that is in fact ruled out is refused too, so the
 * record never says more was overridden than was. */
gboolean      rcrp_decision_check_threshold         (RcrpDecision    *self,
                                                     RcrpTriageRules *rules,
                                                     RcrpCategory     category,
                                                     GError         **error);

gboolean      rcrp_outcome_is_valid                 (const char    *outcome);
/* "Deploy police": what the coordinator chooses. */
const char   *rcrp_outcome_get_label                (const char    *outcome);
/* "Police deployed": what a call's status says afterwards. */
const char   *rcrp_outcome_get_done_label           (const char    *outcome);

/* The stored form, and back. */
char         *rcrp_decision_to_json                 (RcrpDecision  *self);
RcrpDecision *rcrp_decision_new_from_json           (gint64         call_id,
                                                     const char    *json,
                                                     GError       **error);
void          _rcrp_decision_set_recorded           (RcrpDecision  *self,
                                                     gint64         event_id,
                                                     GDateTime     *at,
                                                     const char    *operator_name,
                                                     const char    *workstation);

void          _rcrp_decision_set_undone_by          (RcrpDecision  *self,
                                                     gint64         undo_event_id);

G_END_DECLS

/* rcrp-decision.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define RCRP_DECISION_ERROR (rcrp_decision_error_quark ())

typedef enum
{
  RCRP_DECISION_ERROR_INVALID,            /* an unknown outcome, no call */
  RCRP_DECISION_ERROR_RATIONALE_REQUIRED, /* departs from the recommendation without saying why */
  RCRP_DECISION_ERROR_AGENCY_REQUIRED,    /* a referral names no agency */
} RcrpDecisionError;

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

/* rcrp-alert.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "rcrp-appeal.h"
#include "rcrp-call.h"

G_BEGIN_DECLS

/* What an alert is about. */
typedef enum
{
  RCRP_ALERT_NEW_CALL,      /* a flagged call arrived */
  RCRP_ALERT_CALL_UPDATED,  /* the C&C system changed a call not yet decided */
  RCRP_ALERT_CALL_WAITING,  /* waiting past its grade's target without a decision */
  RCRP_ALERT_CALL_DECIDED,  /* withdraws whatever was said about the call */
  RCRP_ALERT_APPEAL,        /* an appeal against a decision, for supervisors */
  RCRP_ALERT_AGENCY,        /* an agency a pending referral depends on closed or filled */
} RcrpAlertKind;

/* The same three levels as the desktop notification specification. */
typedef enum
{
  RCRP_ALERT_URGENCY_LOW,
  RCRP_ALERT_URGENCY_NORMAL,
  RCRP_ALERT_URGENCY_CRITICAL,
} RcrpAlertUrgency;

/* Why an agency needs the coordinator's attention. */
typedef enum
{
  RCRP_AGENCY_ALERT_CLOSED,
  RCRP_AGENCY_ALERT_AT_CAPACITY,
} RcrpAgencyAlert;

/* Something that needs the coordinator's attention, worded for a desktop
 * notification: @title and @body never hold a personal name, a phone
 * number or an address (see rcrp_alert_dup_headline()). @key names what
 * the alert replaces: a later alert with the same key takes the place of
 * an earlier one instead of standing beside it.
 */
typedef struct
{
  RcrpAlertKind     kind;
  RcrpAlertUrgency  urgency;
  char             *key;
  gint64            call_id;    /* 0 when not about one call */
  char             *cad_ref;    /* NULL when not about one call */
  int               grade;      /* 1–4, or 0 when not about one call */
  RcrpCategory      category;
  char             *title;
  char             *body;
} RcrpAlert;

#define RCRP_TYPE_ALERT (rcrp_alert_get_type ())

GType      rcrp_alert_get_type      (void) G_GNUC_CONST;
RcrpAlert *rcrp_alert_copy          (const RcrpAlert *alert);
void       rcrp_alert_free          (RcrpAlert       *alert);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcrpAlert, rcrp_alert_free)

/* @call must be read whole (rcrp_store_get_call()), so that the names in
 * it can be kept out of the text. @waited is how long it has waited, for
 * RCRP_ALERT_CALL_WAITING; @target_minutes its grade's target.
 */
RcrpAlert *rcrp_alert_new_for_call  (RcrpAlertKind    kind,
                                     RcrpCall        *call,
                                     GTimeSpan        waited,
                                     int              target_minutes);
/* An appeal against the decision on @call (read whole); @reason is free
 * text and is cleaned like a summary. An urgent appeal is critical.
 */
RcrpAlert *rcrp_alert_new_appeal    (RcrpCall        *call,
                                     const char      *reason,
                                     gboolean         urgent);
/* A supervisor's review of @appeal (upheld or overturned) against the
 * decision on @call (read whole), for the workstation that made that
 * decision. An overturn is critical: another outcome now stands. The
 * supervisor's rationale is cleaned like a summary.
 */
RcrpAlert *rcrp_alert_new_appeal_result (RcrpCall         *call,
                                         const RcrpAppeal *appeal);
/* An agency (an organisation, never a person) closed or at capacity while
 * @n_pending_referrals referrals wait on it; @call_id is the most urgent
 * of them, or 0.
 */
RcrpAlert *rcrp_alert_new_agency    (const char      *agency_id,
                                     const char      *agency_name,
                                     RcrpAgencyAlert  what,
                                     guint            n_pending_referrals,
                                     gint64           call_id);

/* The first line of the call's summary, safe to show outside the app:
 * words of the subject's and the caller's names become "[name]", the
 * address and postcode "[address]", anything that looks like a phone
 * number "[number]", but not a reference such as ESC-2026-000123 or
 * HC-20261122-0042; then cut to about @max_chars characters at a word.
 */
char      *rcrp_alert_dup_headline  (RcrpCall        *call,
                                     const char      *text,
                                     guint            max_chars);

/* How a grade's target urgency maps: grade 1 is critical, 4 is low. */
RcrpAlertUrgency rcrp_alert_urgency_for_grade (int grade);

G_END_DECLS

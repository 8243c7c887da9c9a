/* rcrp-appeal.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Who challenges a decision not to send police. */
typedef enum
{
  RCRP_APPELLANT_CALLER,
  RCRP_APPELLANT_PARTNER_AGENCY,
  RCRP_APPELLANT_OTHER,
} RcrpAppellant;

typedef enum
{
  RCRP_APPEAL_OPEN,        /* on hold, awaiting a supervisor */
  RCRP_APPEAL_UPHELD,      /* the decision stands */
  RCRP_APPEAL_OVERTURNED,  /* the supervisor recorded another outcome */
} RcrpAppealState;

const char *rcrp_appellant_to_string      (RcrpAppellant    appellant);
gboolean    rcrp_appellant_from_string    (const char      *string,
                                           RcrpAppellant   *appellant);
const char *rcrp_appellant_get_label      (RcrpAppellant    appellant);
const char *rcrp_appeal_state_to_string   (RcrpAppealState  state);
gboolean    rcrp_appeal_state_from_string (const char      *string,
                                           RcrpAppealState *state);
const char *rcrp_appeal_state_get_label   (RcrpAppealState  state);

/* An urgent appeal on a live incident, with the reference the caller or
 * partner is given (ESC-YYYY-NNNNNN, sequential within the year).
 */
typedef struct
{
  gint64           id;
  char            *reference;
  gint64           call_id;
  char            *cad_ref;
  gint64           decision_event_id;  /* the decision appealed */
  char            *appealed_outcome;
  RcrpAppellant    appellant;
  char            *appellant_name;     /* the partner agency, or NULL */
  char            *grounds;
  GDateTime       *lodged_at;
  char            *lodged_by;
  RcrpAppealState  state;
  GDateTime       *resolved_at;        /* NULL while open */
  char            *resolved_by;
  char            *rationale;
  char            *new_outcome;        /* when overturned */
} RcrpAppeal;

void rcrp_appeal_free (RcrpAppeal *appeal);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcrpAppeal, rcrp_appeal_free)

/* Minutes from lodging to review, or -1 while open. */
double rcrp_appeal_get_review_minutes (RcrpAppeal *appeal);

/* A partner's challenge after the incident: a dispute of a past decision,
 * or a trend, risk or query, about some calls or none.
 */
typedef enum
{
  RCRP_DISPUTE_KIND_DISPUTE,
  RCRP_DISPUTE_KIND_TREND,
  RCRP_DISPUTE_KIND_RISK,
  RCRP_DISPUTE_KIND_QUERY,
} RcrpDisputeKind;

typedef enum
{
  RCRP_DISPUTE_OPEN,
  RCRP_DISPUTE_UNDER_REVIEW,
  RCRP_DISPUTE_CLOSED,
} RcrpDisputeState;

const char *rcrp_dispute_kind_to_string    (RcrpDisputeKind   kind);
gboolean    rcrp_dispute_kind_from_string  (const char       *string,
                                            RcrpDisputeKind  *kind);
const char *rcrp_dispute_state_to_string   (RcrpDisputeState  state);
gboolean    rcrp_dispute_state_from_string (const char       *string,
                                            RcrpDisputeState *state);
const char *rcrp_dispute_state_get_label   (RcrpDisputeState  state);

typedef struct
{
  gint64            id;
  char             *reference;  /* DSP-YYYY-NNNNNN */
  RcrpDisputeKind   kind;
  char             *raised_by;
  char             *summary;
  char            **cad_refs;   /* possibly empty, never NULL */
  RcrpDisputeState  state;
  GDateTime        *opened_at;
  char             *opened_by;
  GDateTime        *changed_at;
  char             *learning;   /* recorded at closure */
  GDateTime        *closed_at;
  char             *closed_by;
} RcrpDispute;

void rcrp_dispute_free (RcrpDispute *dispute);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcrpDispute, rcrp_dispute_free)

G_END_DECLS

/* rcrp-call.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The call categories of ../shared/spec/call-feed.md, in the order the
 * coordinator sees them.
 */
typedef enum
{
  RCRP_CATEGORY_CONCERN_FOR_WELFARE,
  RCRP_CATEGORY_WALKED_OUT_OF_HEALTHCARE,
  RCRP_CATEGORY_AWOL_MENTAL_HEALTH,
  RCRP_CATEGORY_MEDICAL_INCIDENT,
  RCRP_CATEGORY_MENTAL_HEALTH_OTHER,
  RCRP_N_CATEGORIES
} RcrpCategory;

/* Risk indicators as bit flags so a call's set fits in one column. */
typedef enum
{
  RCRP_RISK_NONE               = 0,
  RCRP_RISK_SUICIDAL_INTENT    = 1 << 0,
  RCRP_RISK_SELF_HARM          = 1 << 1,
  RCRP_RISK_WEAPON             = 1 << 2,
  RCRP_RISK_VIOLENCE_TO_OTHERS = 1 << 3,
  RCRP_RISK_CRIME_IN_PROGRESS  = 1 << 4,
  RCRP_RISK_CHILD_AT_RISK      = 1 << 5,
  RCRP_RISK_MEDICAL_EMERGENCY  = 1 << 6,
  RCRP_RISK_INTOXICATION       = 1 << 7,
  RCRP_RISK_LOCATION_UNKNOWN   = 1 << 8,
  RCRP_RISK_VULNERABLE_ADULT   = 1 << 9,
} RcrpRisk;

#define RCRP_N_RISKS 10

/* Indicators that on their own point at the police threshold: a real and
 * immediate risk to life, of serious harm, or a crime.
 */
#define RCRP_RISK_THRESHOLD_MASK (RCRP_RISK_SUICIDAL_INTENT    | \
                                  RCRP_RISK_WEAPON             | \
                                  RCRP_RISK_VIOLENCE_TO_OTHERS | \
                                  RCRP_RISK_CRIME_IN_PROGRESS  | \
                                  RCRP_RISK_CHILD_AT_RISK      | \
                                  RCRP_RISK_MEDICAL_EMERGENCY)

typedef enum
{
  RCRP_CALL_STATUS_NEW,       /* received, no decision yet */
  RCRP_CALL_STATUS_UPDATED,   /* the C&C system sent a changed version */
  RCRP_CALL_STATUS_DECIDED,   /* a decision is recorded; see its outcome */
} RcrpCallStatus;

const char *rcrp_category_to_string      (RcrpCategory    category);
gboolean    rcrp_category_from_string    (const char     *string,
                                          RcrpCategory   *category);
const char *rcrp_category_get_label      (RcrpCategory    category);

const char *rcrp_risk_to_string          (RcrpRisk        risk);
gboolean    rcrp_risk_from_string        (const char     *string,
                                          RcrpRisk       *risk);
const char *rcrp_risk_get_label          (RcrpRisk        risk);
guint       rcrp_risk_count_threshold    (guint           risks);

/* The shift summary's age bands: "0-17", "18-24", ... "65+", or
 * "unknown" for a negative @age. */
const char *rcrp_age_band                (int             age);

const char *rcrp_call_status_to_string   (RcrpCallStatus  status);
gboolean    rcrp_call_status_from_string (const char     *string,
                                          RcrpCallStatus *status);
const char *rcrp_call_status_get_label   (RcrpCallStatus  status);

#define RCRP_TYPE_CALL (rcrp_call_get_type ())

G_DECLARE_FINAL_TYPE (RcrpCall, rcrp_call, RCRP, CALL, GObject)

/* A call is built from a validated feed object (rcrp_feed_parse_call()) or
 * read back from a store. Strings that the feed left out are NULL; numbers
 * it left out are -1, booleans it left out are -1 (unknown).
 */

gint64          rcrp_call_get_id                  (RcrpCall    *self);
const char     *rcrp_call_get_cad_ref             (RcrpCall    *self);
GDateTime      *rcrp_call_get_received_at         (RcrpCall    *self);
RcrpCategory    rcrp_call_get_category            (RcrpCall    *self);
int             rcrp_call_get_grade               (RcrpCall    *self);
const char     *rcrp_call_get_summary             (RcrpCall    *self);
guint           rcrp_call_get_risks               (RcrpCall    *self);
RcrpCallStatus  rcrp_call_get_status              (RcrpCall    *self);
guint           rcrp_call_get_version_count       (RcrpCall    *self);
GDateTime      *rcrp_call_get_updated_at          (RcrpCall    *self);
/* The latest decision's outcome ("referred", ...), or NULL if undecided;
 * kept after a later update from the feed reopens the call. */
const char     *rcrp_call_get_outcome             (RcrpCall    *self);
/* An urgent appeal against the outcome awaits a supervisor. */
gboolean        rcrp_call_get_on_hold             (RcrpCall    *self);
/* As the queue reads it: who holds the call's claim (NULL: nobody), in
 * which session, last seen when (a claim not seen for its lapse is
 * nobody's). */
const char     *rcrp_call_get_claimed_by          (RcrpCall    *self);
const char     *rcrp_call_get_claim_session       (RcrpCall    *self);
GDateTime      *rcrp_call_get_claim_seen          (RcrpCall    *self);
GDateTime      *rcrp_call_get_decided_at          (RcrpCall    *self);

const char     *rcrp_call_get_address             (RcrpCall    *self);
const char     *rcrp_call_get_postcode            (RcrpCall    *self);
const char     *rcrp_call_get_caller_name         (RcrpCall    *self);
const char     *rcrp_call_get_caller_phone        (RcrpCall    *self);
const char     *rcrp_call_get_caller_relationship (RcrpCall    *self);
const char     *rcrp_call_get_subject_name        (RcrpCall    *self);
int             rcrp_call_get_subject_age         (RcrpCall    *self);
const char     *rcrp_call_get_subject_sex         (RcrpCall    *self);
const char     *rcrp_call_get_subject_ethnicity   (RcrpCall    *self);
int             rcrp_call_get_known_to_services   (RcrpCall    *self);
const char     *rcrp_call_get_setting_name        (RcrpCall    *self);
int             rcrp_call_get_setting_detained    (RcrpCall    *self);
int             rcrp_call_get_setting_informal    (RcrpCall    *self);
const char     *rcrp_call_get_setting_mha_section (RcrpCall    *self);
GDateTime      *rcrp_call_get_setting_left_at     (RcrpCall    *self);
const char     *rcrp_call_get_notes               (RcrpCall    *self);

/* The call object as JSON text with members sorted, unknown members kept;
 * identical content gives identical text. */
const char     *rcrp_call_get_canonical_json      (RcrpCall    *self);
/* SHA-256 (hex) of the canonical JSON. */
const char     *rcrp_call_get_content_hash        (RcrpCall    *self);

/* Whole minutes since the call was received, never negative. */
gint64          rcrp_call_get_waiting_minutes     (RcrpCall    *self,
                                                   GDateTime   *now);
/* Seconds, for the ticking display. */
gint64          rcrp_call_get_waiting_seconds     (RcrpCall    *self,
                                                   GDateTime   *now);
/* Whether the call waits for a decision longer than @target_minutes (its
 * grade's target) at @now: undecided, not on hold, and received more than
 * that long ago. The same rule the overdue alerts follow. */
gboolean        rcrp_call_is_past_target          (RcrpCall    *self,
                                                   GDateTime   *now,
                                                   int          target_minutes);

G_END_DECLS

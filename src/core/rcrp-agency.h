/* rcrp-agency.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "rcrp-call.h"

G_BEGIN_DECLS

#define RCRP_AGENCY_ERROR (rcrp_agency_error_quark ())

typedef enum
{
  RCRP_AGENCY_ERROR_SYNTAX,   /* not strict JSON; the message gives FILE:LINE:COLUMN */
  RCRP_AGENCY_ERROR_INVALID,  /* a field is wrong; the message gives its path */
  RCRP_AGENCY_ERROR_IO,
} RcrpAgencyError;

GQuark rcrp_agency_error_quark (void);

#define RCRP_AGENCY_DIRECTORY_SCHEMA "rcrp.agencies/1"
#define RCRP_AGENCY_DIRECTORY_MAX_BYTES (1024 * 1024)

/* What an agency says of itself now. UNKNOWN until anyone has reported. */
typedef enum
{
  RCRP_AGENCY_STATUS_UNKNOWN,
  RCRP_AGENCY_STATUS_AVAILABLE,
  RCRP_AGENCY_STATUS_LIMITED,
  RCRP_AGENCY_STATUS_AT_CAPACITY,
  RCRP_AGENCY_STATUS_CLOSED,
} RcrpAgencyStatus;

const char *rcrp_agency_status_to_string   (RcrpAgencyStatus  status);
gboolean    rcrp_agency_status_from_string (const char       *string,
                                            RcrpAgencyStatus *status);
/* "Available", "At capacity": always shown as words, never by colour alone. */
const char *rcrp_agency_status_get_label   (RcrpAgencyStatus  status);
const char *rcrp_agency_status_get_icon    (RcrpAgencyStatus  status);

/* Weekly opening hours in local time. A span whose closing time is not
 * after its opening time runs overnight into the next day; "24/7" is
 * always open. Times are local wall-clock times, so on the days the clocks
 * change a span is an hour shorter or longer, as it is for the agency.
 */
typedef struct _RcrpOpeningHours RcrpOpeningHours;

RcrpOpeningHours *rcrp_opening_hours_new_always (void);
/* Parses "24/7" or [{"days": ["mon", ...], "open": "HH:MM", "close": "HH:MM"}].
 * @path names @node in messages ("agencies[2].hours").
 */
RcrpOpeningHours *rcrp_opening_hours_parse      (JsonNode               *node,
                                                 const char             *path,
                                                 GError                **error);
RcrpOpeningHours *rcrp_opening_hours_ref        (RcrpOpeningHours       *self);
void              rcrp_opening_hours_unref      (RcrpOpeningHours       *self);
gboolean          rcrp_opening_hours_is_always  (RcrpOpeningHours       *self);
/* Whether open at the instant @at, judged on the local clock of @tz. */
gboolean          rcrp_opening_hours_is_open    (RcrpOpeningHours       *self,
                                                 GDateTime              *at,
                                                 GTimeZone              *tz);
/* Returns: (transfer full) (nullable): the next instant after @at at which
 * the agency opens or closes (within a week), NULL for 24/7.
 */
GDateTime        *rcrp_opening_hours_next_change (RcrpOpeningHours      *self,
                                                  GDateTime             *at,
                                                  GTimeZone             *tz);
/* "Mon–Fri 09:00–17:00; Sat 10:00–14:00", or "24 hours, every day". */
char             *rcrp_opening_hours_to_text    (RcrpOpeningHours       *self);
JsonNode         *rcrp_opening_hours_to_json    (RcrpOpeningHours       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcrpOpeningHours, rcrp_opening_hours_unref)

#define RCRP_TYPE_AGENCY (rcrp_agency_get_type ())

G_DECLARE_FINAL_TYPE (RcrpAgency, rcrp_agency, RCRP, AGENCY, GObject)

/* A partner agency: its directory entry (who it is, when it is open, what
 * it takes) and its live state as last reported on the shift.
 */
const char       *rcrp_agency_get_id                 (RcrpAgency  *self);
const char       *rcrp_agency_get_name               (RcrpAgency  *self);
const char       *rcrp_agency_get_kind               (RcrpAgency  *self);
const char       *rcrp_agency_get_phone              (RcrpAgency  *self);
const char       *rcrp_agency_get_email              (RcrpAgency  *self);
RcrpOpeningHours *rcrp_agency_get_hours              (RcrpAgency  *self);
gboolean          rcrp_agency_accepts                (RcrpAgency  *self,
                                                      RcrpCategory category);
int               rcrp_agency_get_response_target    (RcrpAgency  *self);

RcrpAgencyStatus  rcrp_agency_get_status             (RcrpAgency  *self);
/* Spaces free now; -1 when not reported. */
int               rcrp_agency_get_capacity           (RcrpAgency  *self);
/* Expected response in minutes; -1 when not reported. */
int               rcrp_agency_get_eta_minutes        (RcrpAgency  *self);
const char       *rcrp_agency_get_note               (RcrpAgency  *self);
const char       *rcrp_agency_get_changed_by         (RcrpAgency  *self);
const char       *rcrp_agency_get_changed_workstation (RcrpAgency *self);
/* (nullable): when the state was last reported. */
GDateTime        *rcrp_agency_get_changed_at         (RcrpAgency  *self);

gboolean          rcrp_agency_is_open                (RcrpAgency  *self,
                                                      GDateTime   *at,
                                                      GTimeZone   *tz);
/* Whether the state is older than @stale_minutes at @now (or never reported). */
gboolean          rcrp_agency_is_stale               (RcrpAgency  *self,
                                                      GDateTime   *now,
                                                      int          stale_minutes);
/* Returns: (transfer full) (nullable): why a referral now might not be
 * taken up (closed by its hours, reported closed or at capacity), or NULL
 * when nothing stands in the way.
 */
char             *rcrp_agency_describe_obstacle      (RcrpAgency  *self,
                                                      GDateTime   *now,
                                                      GTimeZone   *tz);

/* For the store: the live state as read back. */
void              _rcrp_agency_set_state             (RcrpAgency       *self,
                                                      RcrpAgencyStatus  status,
                                                      int               capacity,
                                                      int               eta_minutes,
                                                      const char       *note,
                                                      const char       *changed_by,
                                                      const char       *changed_workstation,
                                                      GDateTime        *changed_at);
RcrpAgency       *_rcrp_agency_copy_entry            (RcrpAgency       *self);

/* The directory: a JSON document of agencies (rcrp.agencies/1). Parsing is
 * all or nothing; errors say "SOURCE:LINE:COLUMN: ..." for syntax and
 * "SOURCE: agencies[INDEX].FIELD: ..." for fields.
 *
 * Returns: (transfer full) (element-type RcrpAgency)
 */
GPtrArray        *rcrp_agency_directory_parse_bytes  (GBytes      *bytes,
                                                      const char  *source,
                                                      GError     **error);
GPtrArray        *rcrp_agency_directory_parse_file   (GFile       *file,
                                                      GError     **error);
/* The directory compiled into the program (data/agencies/). */
GPtrArray        *rcrp_agency_directory_get_default  (void);
/* The directory entries (not the live state) of @agencies, as a document
 * rcrp_agency_directory_parse_bytes() reads back.
 */
char             *rcrp_agency_directory_to_json      (GPtrArray   *agencies);
/* One entry as a JSON object, as the directory document holds it. */
JsonNode         *rcrp_agency_entry_to_json          (RcrpAgency  *self);
RcrpAgency       *rcrp_agency_entry_from_json        (JsonNode    *node,
                                                      const char  *path,
                                                      GError     **error);

/* The agencies suitable for a call of @category, best first: those of the
 * @recommended kinds (in that order), then the others that accept the
 * category; within each, those that can take a referral now first.
 *
 * Returns: (transfer container) (element-type RcrpAgency)
 */
GPtrArray        *rcrp_agencies_rank_for             (GPtrArray          *agencies,
                                                      RcrpCategory        category,
                                                      const char * const *recommended,
                                                      GDateTime          *now,
                                                      GTimeZone          *tz);
/* The force area's local time, by which opening hours are read:
 * $RCRP_TIME_ZONE if set, else Europe/London (RCRP is for England and Wales).
 */
GTimeZone        *rcrp_agency_area_time_zone         (void);

RcrpAgency       *rcrp_agencies_find                 (GPtrArray          *agencies,
                                                      const char         *id);

G_END_DECLS

/* rcrp-summary.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "rcrp-settings.h"
#include "rcrp-store.h"

G_BEGIN_DECLS

/* Shift summaries for managers, as ../shared/spec/shift-summary.md says:
 * every call received in [from, to), in JSON, CSV or a printable PDF.
 */

#define RCRP_SUMMARY_SCHEMA "rcrp.shift-summary/1"

#define RCRP_SUMMARY_ERROR (rcrp_summary_error_quark ())

typedef enum
{
  RCRP_SUMMARY_ERROR_INVALID,  /* a bad interval, shift or setting */
  RCRP_SUMMARY_ERROR_FAILED,
} RcrpSummaryError;

GQuark rcrp_summary_error_quark (void);

typedef enum
{
  RCRP_SUMMARY_FORMAT_JSON,
  RCRP_SUMMARY_FORMAT_CSV,
  RCRP_SUMMARY_FORMAT_PDF,
} RcrpSummaryFormat;

gboolean     rcrp_summary_format_from_string (const char         *string,
                                              RcrpSummaryFormat  *format);
const char  *rcrp_summary_format_to_string   (RcrpSummaryFormat   format);

typedef struct
{
  GDateTime *from;
  GDateTime *to;
  /* Average officer hours a deployment of each category takes: what not
   * deploying releases. */
  double     officer_hours[RCRP_N_CATEGORIES];
  gboolean   include_personal;
  GDateTime *generated_at;
  /* Minutes to decide a call of each grade (1–4 at [0]–[3]), which the
   * report measures decisions against. */
  int        target_minutes[4];
  /* The force's time zone, which the calls' hours are counted in; NULL
   * for rcrp_agency_area_time_zone(). */
  GTimeZone *time_zone;
} RcrpSummaryOptions;

/* The defaults, with their reasoning in the README. */
void      rcrp_summary_options_init          (RcrpSummaryOptions  *options);
void      rcrp_summary_options_clear         (RcrpSummaryOptions  *options);
/* The grades' targets from @settings (may be NULL: the defaults stay). */
void      rcrp_summary_options_apply_settings (RcrpSummaryOptions *options,
                                               RcrpSettings       *settings);
/* "concern_for_welfare=2.5,medical_incident=3" over the defaults. */
gboolean  rcrp_summary_parse_officer_hours   (const char          *text,
                                              double              *hours,
                                              GError             **error);

/* "2026-11-22/day" or "2026-11-22/night": the day shift from @day_start
 * to @night_start, the night shift from @night_start to @day_start the
 * next morning ("HH:MM", local time in @tz).
 */
gboolean  rcrp_summary_parse_shift          (const char          *shift,
                                              const char          *day_start,
                                              const char          *night_start,
                                              GTimeZone           *tz,
                                              GDateTime          **from,
                                              GDateTime          **to,
                                              GError             **error);

/* Returns: (transfer full): the summary as the JSON contract has it,
 * worked out by the store in SQL and by streaming the calls one at a time.
 */
JsonNode *rcrp_summary_build                 (RcrpStore           *store,
                                              RcrpSummaryOptions  *options,
                                              GCancellable        *cancellable,
                                              GError             **error);

/* Writes one RFC 4180 row per call (CRLF, quoted where needed). */
gboolean  rcrp_summary_write_csv             (RcrpStore           *store,
                                              RcrpSummaryOptions  *options,
                                              GOutputStream       *output,
                                              GCancellable        *cancellable,
                                              GError             **error);

/* Draws the printable A4 report of @summary (from rcrp_summary_build()),
 * its times in @tz (NULL: rcrp_agency_area_time_zone()). */
gboolean  rcrp_summary_write_pdf             (JsonNode            *summary,
                                              GTimeZone           *tz,
                                              const char          *path,
                                              GError             **error);

/* Writes the summary of @options in @format to @path (created 0640,
 * written whole or not at all) and records the export in the audit log.
 * Progress is not reported; @cancellable stops it.
 */
gboolean  rcrp_summary_export                (RcrpStore           *store,
                                              RcrpSummaryOptions  *options,
                                              RcrpSummaryFormat    format,
                                              const char          *path,
                                              GCancellable        *cancellable,
                                              GError             **error);

/* What the next shift inherits, as plain text: undecided calls, calls on
 * hold for a supervisor, pending referrals with how long they have
 * waited, open disputes, and agencies closed or at capacity. Calls are
 * named by reference only. Times are in @tz, the force's time zone
 * (NULL: rcrp_agency_area_time_zone()).
 */
char     *rcrp_handover_text                 (RcrpStore           *store,
                                              GDateTime           *now,
                                              GTimeZone           *tz,
                                              GError             **error);
/* The same as a JSON object: at, appeals, undecided_calls,
 * pending_referrals, open_disputes, agencies_unavailable. */
char     *rcrp_handover_to_json              (RcrpStore           *store,
                                              GDateTime           *now,
                                              GTimeZone           *tz,
                                              GError             **error);

/* Sets @text on A4 pages under @title (the handover's printable form). */
gboolean  rcrp_pdf_write_text                (const char          *title,
                                              const char          *text,
                                              const char          *path,
                                              GError             **error);

G_END_DECLS

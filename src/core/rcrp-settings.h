/* rcrp-settings.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The schema's defaults, for when it is not installed. */
#define RCRP_DEFAULT_SHIFT_DAY_START      "07:00"
#define RCRP_DEFAULT_SHIFT_NIGHT_START    "19:00"
#define RCRP_DEFAULT_AGENCY_STALE_MINUTES 60
#define RCRP_DEFAULT_RETENTION_DAYS       2555
#define RCRP_DEFAULT_CLAIM_IDLE_MINUTES   15

#define RCRP_TYPE_SETTINGS (rcrp_settings_get_type ())

G_DECLARE_FINAL_TYPE (RcrpSettings, rcrp_settings, RCRP, SETTINGS, GObject)

/* The application's GSettings as a typed object; the rest of the program
 * reads its properties, never key strings. Returns NULL when the schema is
 * not installed (a command-line tool run from a build tree), in which case
 * callers use their defaults.
 *
 * Properties: "database-path" (string), "spool-folder" (string),
 * "claim-idle-minutes", "agency-stale-minutes", "retention-days" (int),
 * "shift-day-start", "shift-night-start" ("HH:MM", the force's local time),
 * "officer-hours" ("CATEGORY=HOURS,…" over the built-in averages),
 * "waiting-target-grade-1" … "waiting-target-grade-4" (int, minutes),
 * "do-not-disturb", "notification-sounds" (boolean),
 * "window-width", "window-height" (int), "window-maximized" (boolean).
 */
RcrpSettings *rcrp_settings_new                  (void);
GSettings    *rcrp_settings_get_gsettings        (RcrpSettings *self);
char         *rcrp_settings_dup_database_path    (RcrpSettings *self);
char         *rcrp_settings_dup_spool_folder     (RcrpSettings *self);
/* Minutes to decide a call of @grade (1–4): the setting, or the default
 * when @self is NULL (no schema installed). */
int           rcrp_settings_get_waiting_target   (RcrpSettings *self,
                                                  int           grade);
/* The same for the rest: @self may be NULL. */
const char   *rcrp_settings_get_shift_day_start  (RcrpSettings *self);
const char   *rcrp_settings_get_shift_night_start (RcrpSettings *self);
const char   *rcrp_settings_get_officer_hours    (RcrpSettings *self);
int           rcrp_settings_get_agency_stale_minutes (RcrpSettings *self);
int           rcrp_settings_get_retention_days   (RcrpSettings *self);
int           rcrp_settings_get_claim_idle_minutes (RcrpSettings *self);

G_END_DECLS

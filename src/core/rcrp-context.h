/* rcrp-context.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rcrp-clock.h"
#include "rcrp-settings.h"
#include "rcrp-store.h"
#include "rcrp-summary.h"

G_BEGIN_DECLS

#define RCRP_TYPE_CONTEXT (rcrp_context_get_type ())

G_DECLARE_FINAL_TYPE (RcrpContext, rcrp_context, RCRP, CONTEXT, GObject)

/* The services every panel and command needs, handed down as a
 * construct-only property: the store, the clock, the settings, the force's
 * time zone, and who is signed in at which workstation. The app and the
 * rcrp tool each make one, so what one front end works out from the
 * settings (a shift's hours, the officer hours, the grades' targets) the
 * other works out the same way, here.
 *
 * rcrp_context_new() reads the installed settings (none from a build tree:
 * then the defaults hold) and takes the force's time zone from
 * rcrp_agency_area_time_zone(); rcrp_context_new_full() is given both.
 */
RcrpContext *rcrp_context_new                  (RcrpStore   *store,
                                                RcrpClock   *clock,
                                                const char  *operator_name,
                                                const char  *display_name,
                                                const char  *workstation);
/* @settings may be NULL (the defaults), @time_zone too (the area's). */
RcrpContext *rcrp_context_new_full             (RcrpStore    *store,
                                                RcrpClock    *clock,
                                                RcrpSettings *settings,
                                                GTimeZone    *time_zone,
                                                const char   *operator_name,
                                                const char   *display_name,
                                                const char   *workstation);
RcrpStore   *rcrp_context_get_store            (RcrpContext *self);
RcrpClock   *rcrp_context_get_clock            (RcrpContext *self);
/* May be NULL: no schema installed, the defaults hold. */
RcrpSettings *rcrp_context_get_settings        (RcrpContext *self);
/* The force's time zone, in which shifts start and end and calls' hours
 * are counted: never the machine's own. */
GTimeZone   *rcrp_context_get_time_zone        (RcrpContext *self);
/* Returns: (transfer full): the clock's time, in UTC. */
GDateTime   *rcrp_context_now                  (RcrpContext *self);
/* How long another session's claim not seen by its holder stays live
 * before this one takes it without a take-over: claim-idle-minutes. */
GTimeSpan    rcrp_context_get_claim_lapse      (RcrpContext *self);
const char  *rcrp_context_get_operator         (RcrpContext *self);
const char  *rcrp_context_get_display_name     (RcrpContext *self);
const char  *rcrp_context_get_workstation      (RcrpContext *self);

/* Shifts and summaries, by the settings' pattern in the force's zone. */

/* "YYYY-MM-DD/day" or "YYYY-MM-DD/night": the [from, to) it covers. */
gboolean     rcrp_context_resolve_shift        (RcrpContext         *self,
                                                const char          *shift,
                                                GDateTime          **from,
                                                GDateTime          **to,
                                                GError             **error);
/* Returns: (transfer full): the shift on at @time (NULL: now), in the
 * form rcrp_context_resolve_shift() reads; a night shift is named by the
 * date it starts. */
char        *rcrp_context_dup_shift_at         (RcrpContext         *self,
                                                GDateTime           *time);
/* Initialises @options for a summary: the officer hours and the grades'
 * targets from the settings, the force's time zone. Fails, naming the
 * setting, when the officer hours cannot be read; @options is then
 * initialised all the same (the defaults) and must be cleared. */
gboolean     rcrp_context_init_summary_options (RcrpContext         *self,
                                                RcrpSummaryOptions  *options,
                                                GError             **error);

/* Who is at the keyboard and where, from the OS. */
char        *rcrp_context_dup_os_user          (void);
char        *rcrp_context_dup_os_display_name  (void);
char        *rcrp_context_dup_workstation_name (void);

/* The database to use: @option (--database) if given, else $RCRP_DATABASE,
 * else the GSettings key, else rcrp/rcrp.db under the user data folder.
 */
char        *rcrp_context_resolve_database_path (const char *option);
/* Opening and creating are different acts: only the default database (the
 * one nobody named) is made without being asked for. Whether @path is it. */
gboolean     rcrp_context_is_default_database_path (const char *path);

G_END_DECLS

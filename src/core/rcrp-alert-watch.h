/* rcrp-alert-watch.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rcrp-alert.h"
#include "rcrp-clock.h"
#include "rcrp-store.h"

G_BEGIN_DECLS

#define RCRP_TYPE_ALERT_WATCH (rcrp_alert_watch_get_type ())

G_DECLARE_FINAL_TYPE (RcrpAlertWatch, rcrp_alert_watch, RCRP, ALERT_WATCH, GObject)

/* Default waiting targets, in minutes, by grade. */
#define RCRP_DEFAULT_TARGET_GRADE_1 5
#define RCRP_DEFAULT_TARGET_GRADE_2 15
#define RCRP_DEFAULT_TARGET_GRADE_3 60
#define RCRP_DEFAULT_TARGET_GRADE_4 240

/* Watches the store for what needs the coordinator's attention: calls
 * that arrive, change or are decided (whichever workstation stored them),
 * and calls waiting past their grade's target without a decision, said
 * again at most once per target period. Time comes from @clock only.
 *
 * What is in the store when the watch starts is known, not new: only
 * calls already past their target are said, at the first look.
 */
RcrpAlertWatch *rcrp_alert_watch_new                (RcrpStore       *store,
                                                     RcrpClock       *clock);

void            rcrp_alert_watch_set_target_minutes (RcrpAlertWatch  *self,
                                                     int              grade,
                                                     int              minutes);
int             rcrp_alert_watch_get_target_minutes (RcrpAlertWatch  *self,
                                                     int              grade);

gboolean        rcrp_alert_watch_start              (RcrpAlertWatch  *self,
                                                     GError         **error);

/* Returns: (transfer full) (element-type RcrpAlert): what happened since
 * the last look, oldest first; empty when nothing did. Cheap when the
 * store has not changed. On error nothing is lost: the next look sees it.
 *
 * Each look reads a bounded amount whatever the store holds: at most 2000
 * events of the log (a bigger burst is told over the next looks) and a
 * page of the calls past their target (a backlog is told a page a look,
 * most urgent grade first); the watch's notes of what it has said are
 * kept in the store, not in memory. Looks may run on a worker thread, one
 * at a time; targets may be set from another thread meanwhile.
 */
GPtrArray      *rcrp_alert_watch_look               (RcrpAlertWatch  *self,
                                                     GError         **error);

G_END_DECLS

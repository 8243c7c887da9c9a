/* rcrp-notifier.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "rcrp-alert.h"
#include "rcrp-context.h"
#include "rcrp-settings.h"

G_BEGIN_DECLS

#define RCRP_TYPE_NOTIFIER (rcrp_notifier_get_type ())

G_DECLARE_FINAL_TYPE (RcrpNotifier, rcrp_notifier, RCRP, NOTIFIER, GObject)

/* Pulls the coordinator's attention when it matters: new calls, calls
 * waiting past their grade's target, urgent appeals, agencies closing
 * under pending referrals. Owned by the application; watches the store
 * itself. A burst becomes one summary, a call has at most one
 * notification (replaced as it changes), Do not disturb holds back all
 * but critical ones, and nothing it does can block the window. Without a
 * notification server (or with one that does not answer) the same alert
 * is shown in the window instead.
 *
 * Signals:
 *   open-call (gint64 call_id, const char *activation_token): present the
 *     window (even when minimised) and select the call; @call_id 0 means
 *     just the window.
 *   claim-call (gint64 call_id): claim the call at this workstation.
 *   show-toast (AdwToast *toast): show this in the window; it already
 *     replaced an earlier toast about the same thing.
 *
 * One per process: libnotify keeps process-wide state, bound to the
 * first notifier's thread.
 */
RcrpNotifier *rcrp_notifier_new              (RcrpContext     *context,
                                              RcrpSettings    *settings);

/* Starts watching the store; the first look says which calls are already
 * past their target. */
void          rcrp_notifier_start            (RcrpNotifier    *self);
/* Looks at the store now instead of at the next tick, as when this
 * workstation's spool has just stored a file. */
void          rcrp_notifier_look_now         (RcrpNotifier    *self);
/* Takes down what is on the desktop and stops, without waiting on a hung
 * server. */
void          rcrp_notifier_shutdown         (RcrpNotifier    *self);

/* For the appeals feature: an appeal against the decision on @call_id.
 * @reason is free text and is cleaned of the call's names before it is
 * shown. @origin_workstation is where the appeal was made (the event's
 * workstation): an appeal made here is not shown back here. Call it only
 * at workstations whose operator handles appeals (supervisors); roles
 * are the caller's business. Returns TRUE if an alert goes out.
 */
gboolean      rcrp_notifier_notify_appeal    (RcrpNotifier    *self,
                                              gint64           call_id,
                                              const char      *reason,
                                              gboolean         urgent,
                                              const char      *origin_workstation);
/* A supervisor's result on @appeal (upheld or overturned), for the
 * workstation whose decision was appealed: the caller decides which that
 * is. An overturn is critical. Returns TRUE if an alert goes out. */
gboolean      rcrp_notifier_notify_appeal_result (RcrpNotifier     *self,
                                                  const RcrpAppeal *appeal);
/* Withdraws the appeal alert for @call_id, as when the appeal is settled. */
void          rcrp_notifier_withdraw_appeal  (RcrpNotifier    *self,
                                              gint64           call_id);

/* For the agencies feature: an agency that @n_pending_referrals pending
 * referrals depend on has closed or is at capacity. @call_id is the most
 * urgent of those calls (Open selects it), or 0. A change made at
 * @origin_workstation is not shown back there. Returns TRUE if an alert
 * goes out.
 */
gboolean      rcrp_notifier_notify_agency    (RcrpNotifier    *self,
                                              const char      *agency_id,
                                              const char      *agency_name,
                                              RcrpAgencyAlert  what,
                                              guint            n_pending_referrals,
                                              gint64           call_id,
                                              const char      *origin_workstation);
/* Withdraws the agency's alert, as when it opens again. */
void          rcrp_notifier_withdraw_agency  (RcrpNotifier    *self,
                                              const char      *agency_id);

G_END_DECLS

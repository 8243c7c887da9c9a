/* rcrp-desktop-notifications.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rcrp-alert.h"

G_BEGIN_DECLS

#define RCRP_TYPE_DESKTOP_NOTIFICATIONS (rcrp_desktop_notifications_get_type ())

G_DECLARE_FINAL_TYPE (RcrpDesktopNotifications, rcrp_desktop_notifications,
                      RCRP, DESKTOP_NOTIFICATIONS, GObject)

/* Desktop notifications through libnotify, on a thread of their own:
 * notify_notification_show() is a synchronous D-Bus call that a slow or
 * hung notification server can hold for the bus's 25 seconds, and nothing
 * of that may reach the window. libnotify is used from that thread only,
 * including its D-Bus signals (actions, closing).
 *
 * Signals, emitted on the main context:
 *   sent (guint serial, GError *error): how a rcrp_desktop_notifications_show()
 *     went; @error is NULL when the server took it.
 *   action (const char *action, gint64 call_id, const char *activation_token):
 *     the coordinator chose "open" (also for a click on the notification
 *     itself) or "claim"; @activation_token may be NULL.
 */
RcrpDesktopNotifications *rcrp_desktop_notifications_new      (const char               *app_name);

/* Shows @alert, in place of what was shown under its key or, when there
 * is none, under @adopt_key (a summary taking the place of the first call
 * it sums up). Returns a serial for the "sent" signal.
 */
guint                     rcrp_desktop_notifications_show     (RcrpDesktopNotifications *self,
                                                               const RcrpAlert          *alert,
                                                               const char               *adopt_key,
                                                               gboolean                  can_claim,
                                                               gboolean                  sound);
/* Takes down what is shown under @key, if anything. */
void                      rcrp_desktop_notifications_withdraw (RcrpDesktopNotifications *self,
                                                               const char               *key);
/* Takes down what is shown (its actions would reach nobody) and stops
 * the thread, waiting for it at most a moment: a hung server cannot hold
 * up quitting.
 */
void                      rcrp_desktop_notifications_shutdown (RcrpDesktopNotifications *self);

G_END_DECLS

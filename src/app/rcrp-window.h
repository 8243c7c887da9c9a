/* rcrp-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "rcrp-context.h"
#include "rcrp-settings.h"

G_BEGIN_DECLS

#define RCRP_TYPE_WINDOW (rcrp_window_get_type ())

G_DECLARE_FINAL_TYPE (RcrpWindow, rcrp_window, RCRP, WINDOW, AdwApplicationWindow)

RcrpWindow *rcrp_window_new           (GtkApplication *application,
                                       RcrpContext    *context,
                                       RcrpSettings   *settings,
                                       const char     *database_label);
/* A window that says why the shared database could not be opened. */
RcrpWindow *rcrp_window_new_for_error (GtkApplication *application,
                                       RcrpSettings   *settings,
                                       const char     *message);
void        rcrp_window_add_toast     (RcrpWindow     *self,
                                       const char     *message);
void        rcrp_window_select_call   (RcrpWindow     *self,
                                       gint64          call_id);
/* Shows an alert the notifier made (takes a reference). */
void        rcrp_window_show_toast    (RcrpWindow     *self,
                                       AdwToast       *toast);
/* Claims @call_id in this window's session, as a notification's Claim
 * does, without opening it. */
gboolean    rcrp_window_claim_call    (RcrpWindow     *self,
                                       gint64          call_id,
                                       GError        **error);

G_END_DECLS

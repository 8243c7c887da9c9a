/* rcrp-preferences-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "rcrp-settings.h"

G_BEGIN_DECLS

#define RCRP_TYPE_PREFERENCES_WINDOW (rcrp_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (RcrpPreferencesWindow, rcrp_preferences_window, RCRP, PREFERENCES_WINDOW, AdwPreferencesWindow)

/* Notifications: do not disturb, sounds and the waiting target of each
 * grade, each control bound to @settings as it changes.
 */
GtkWidget *rcrp_preferences_window_new (GtkWindow    *parent,
                                        RcrpSettings *settings);

G_END_DECLS

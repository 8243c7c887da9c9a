/* rcrp-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define RCRP_TYPE_APPLICATION (rcrp_application_get_type ())

G_DECLARE_FINAL_TYPE (RcrpApplication, rcrp_application, RCRP, APPLICATION, AdwApplication)

RcrpApplication *rcrp_application_new (void);

/* (nullable): the desktop notifications of this workstation, once the
 * shared database is open. */
struct _RcrpNotifier *rcrp_application_get_notifier (RcrpApplication *self);

G_END_DECLS

/* rcrp-reports.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "rcrp-context.h"

G_BEGIN_DECLS

/* Export a shift summary: shift, format, destination; runs on a worker
 * thread with progress and Cancel, then offers to open the result. */
void rcrp_reports_show_export   (GtkWindow   *parent,
                                 RcrpContext *context);
/* What the next shift inherits, with Save as PDF. */
void rcrp_reports_show_handover (GtkWindow   *parent,
                                 RcrpContext *context);
/* Disputes after the incident, filtered by state and kind. */
void rcrp_reports_show_disputes (GtkWindow   *parent,
                                 RcrpContext *context);

G_END_DECLS

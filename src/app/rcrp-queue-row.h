/* rcrp-queue-row.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "rcrp-call.h"
#include "rcrp-settings.h"

G_BEGIN_DECLS

#define RCRP_TYPE_QUEUE_ROW (rcrp_queue_row_get_type ())

G_DECLARE_FINAL_TYPE (RcrpQueueRow, rcrp_queue_row, RCRP, QUEUE_ROW, GtkWidget)

GtkWidget *rcrp_queue_row_new            (void);
RcrpCall  *rcrp_queue_row_get_call       (RcrpQueueRow *self);
void       rcrp_queue_row_set_call       (RcrpQueueRow *self,
                                          RcrpCall     *call,
                                          GDateTime    *now);
void       rcrp_queue_row_update_waiting (RcrpQueueRow *self,
                                          GDateTime    *now);
/* The words searched for, to show where the call matched; NULL or no
 * words for none. */
void       rcrp_queue_row_set_search     (RcrpQueueRow *self,
                                          const char   *search);
/* This window's claim session and its lapse: a call held live by any
 * other session says "holds: NAME". */
void       rcrp_queue_row_set_own_session (RcrpQueueRow *self,
                                           const char   *session,
                                           GTimeSpan     lapse);
/* Where the grades' targets come from: a call waiting past its grade's
 * target says "12 min past the 5 min target". NULL for the defaults. */
void       rcrp_queue_row_set_settings    (RcrpQueueRow *self,
                                           RcrpSettings *settings);

/* Sets @label up to show a call reference: it may wrap anywhere when it
 * must, but without the hyphen Pango would add, which reads as part of the
 * reference. Shared with the details pane. */
void       rcrp_reference_label_init     (GtkLabel     *label);
/* "Suicidal intent, weapon", or NULL for none. */
char      *rcrp_format_risks             (guint         risks);

G_END_DECLS

/* rcrp-call-details.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "rcrp-call.h"

G_BEGIN_DECLS

#define RCRP_TYPE_CALL_DETAILS (rcrp_call_details_get_type ())

G_DECLARE_FINAL_TYPE (RcrpCallDetails, rcrp_call_details, RCRP, CALL_DETAILS, GtkWidget)

/* Shows @call (read in full from the store) and its @events
 * (element-type RcrpEvent), oldest first.
 */
void      rcrp_call_details_set_call       (RcrpCallDetails *self,
                                            RcrpCall        *call,
                                            GPtrArray       *events,
                                            GDateTime       *now);
RcrpCall *rcrp_call_details_get_call       (RcrpCallDetails *self);
void      rcrp_call_details_update_waiting (RcrpCallDetails *self,
                                            GDateTime       *now);

G_END_DECLS

/* rcrp-agency-board.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "rcrp-context.h"

G_BEGIN_DECLS

#define RCRP_TYPE_AGENCY_BOARD (rcrp_agency_board_get_type ())

G_DECLARE_FINAL_TYPE (RcrpAgencyBoard, rcrp_agency_board, RCRP, AGENCY_BOARD, GtkWidget)

/* The partner agencies at a glance: open now or not by their hours in the
 * force area's local time, status in words and icon, spaces, expected
 * response, and how old the report is (stale after @stale_minutes). Each
 * row sets the agency's status in two clicks: the status button, then the
 * status.
 */
void rcrp_agency_board_set_context       (RcrpAgencyBoard    *self,
                                          RcrpContext        *context);
void rcrp_agency_board_set_stale_minutes (RcrpAgencyBoard    *self,
                                          int                 stale_minutes);
/* Re-reads the agencies from the store and redraws. */
void rcrp_agency_board_refresh           (RcrpAgencyBoard    *self);
/* The call on show, for the filter "Only for this call": agencies that
 * take its category, those of @recommended kinds first. NULL for none.
 */
void rcrp_agency_board_set_call          (RcrpAgencyBoard    *self,
                                          RcrpCall           *call,
                                          const char * const *recommended);

G_END_DECLS

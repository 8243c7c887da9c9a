/* rcrp-triage-panel.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "rcrp-context.h"

G_BEGIN_DECLS

#define RCRP_TYPE_TRIAGE_PANEL (rcrp_triage_panel_get_type ())

G_DECLARE_FINAL_TYPE (RcrpTriagePanel, rcrp_triage_panel, RCRP, TRIAGE_PANEL, GtkWidget)

/* The checklist for the selected call: the RCRP questions of its category,
 * threshold ones first, the recommendation updating as answers change,
 * THRIVE, and the decision with its history.
 *
 * Signals: decision-recorded (gint64 call_id, gint64 decision_event_id
 * or 0 for an agency's answer, const char *what_was_done)
 */
void rcrp_triage_panel_set_context (RcrpTriagePanel *self,
                                    RcrpContext     *context);
/* @call read in full from the store, or NULL. Answers given so far are
 * kept when the same call is shown again (for example after an update
 * from another workstation). */
void rcrp_triage_panel_set_call    (RcrpTriagePanel *self,
                                    RcrpCall        *call);

/* The window's claim session and its lapse: decisions and the checklist
 * draft are written in it, and the store checks it holds the call. */
void rcrp_triage_panel_set_session (RcrpTriagePanel *self,
                                    const char      *session,
                                    GTimeSpan        lapse);
/* While the panel is read only (another workstation holds the call), show
 * that holder's answers as they stand in the store. */
void rcrp_triage_panel_refresh_draft (RcrpTriagePanel *self);

/* Puts the focus on the checklist, at the first question not answered
 * yet. Returns FALSE when it cannot (no call, or read only). */
gboolean rcrp_triage_panel_focus_checklist (RcrpTriagePanel *self);

/* The kinds of agency the call's recommendation names, best first. */
const char * const *rcrp_triage_panel_get_recommended_agencies (RcrpTriagePanel *self);

G_END_DECLS

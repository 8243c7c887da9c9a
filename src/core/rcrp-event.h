/* rcrp-event.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define RCRP_TYPE_EVENT (rcrp_event_get_type ())

G_DECLARE_FINAL_TYPE (RcrpEvent, rcrp_event, RCRP, EVENT, GObject)

/* One entry of the append-only log. @kind is a stable machine name
 * ("call.received", "call.updated", ...); @payload is JSON text.
 */
RcrpEvent  *rcrp_event_new             (gint64      id,
                                        const char *kind,
                                        GDateTime  *at,
                                        gint64      call_id,
                                        const char *operator_name,
                                        const char *workstation,
                                        const char *payload);

gint64      rcrp_event_get_id          (RcrpEvent *self);
const char *rcrp_event_get_kind        (RcrpEvent *self);
GDateTime  *rcrp_event_get_at          (RcrpEvent *self);
gint64      rcrp_event_get_call_id     (RcrpEvent *self);
const char *rcrp_event_get_operator    (RcrpEvent *self);
const char *rcrp_event_get_workstation (RcrpEvent *self);
const char *rcrp_event_get_payload     (RcrpEvent *self);
/* A sentence for the history list ("Received from the C&C feed"). */
const char *rcrp_event_get_description (RcrpEvent *self);
/* The same, naming the agency an answer to a referral came from
 * ("Referral declined by Crisis team"), by its name in @agencies
 * (element-type RcrpAgency, may be NULL) or else by its id. */
char       *rcrp_event_dup_description (RcrpEvent *self,
                                        GPtrArray *agencies);
/* Whether the event records someone looking at the call ("call.viewed")
 * rather than something done to it: kept out of the call's history, and
 * listed on their own to those who may see who looked. */
gboolean    rcrp_event_is_view         (RcrpEvent *self);

/* The kind of event that records a look at a call's personal details. */
#define RCRP_EVENT_KIND_CALL_VIEWED "call.viewed"

G_END_DECLS

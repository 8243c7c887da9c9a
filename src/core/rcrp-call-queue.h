/* rcrp-call-queue.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rcrp-store.h"

G_BEGIN_DECLS

#define RCRP_TYPE_CALL_QUEUE (rcrp_call_queue_get_type ())

G_DECLARE_FINAL_TYPE (RcrpCallQueue, rcrp_call_queue, RCRP, CALL_QUEUE, GObject)

/* A GListModel of RcrpCall in queue order, backed by the store. It holds
 * the ordered ids and fetches calls on demand, keeping only those asked for.
 */
RcrpCallQueue *rcrp_call_queue_new     (RcrpStore      *store);

/* As rcrp_call_queue_new(), showing only the calls matching @filter
 * (copied; NULL for all) from the first read. */
RcrpCallQueue *rcrp_call_queue_new_filtered (RcrpStore             *store,
                                             const RcrpQueueFilter *filter);

/* As rcrp_call_queue_new_filtered(), reading the view on a worker thread
 * through a connection of its own: the queue is empty and #RcrpCallQueue:loading
 * is TRUE until the view is read. Its first rows come first, then the
 * rest, each in one items-changed on the thread default main context of
 * the caller; then loading turns FALSE. Refreshing does nothing meanwhile;
 * a new filter reads at once. */
RcrpCallQueue *rcrp_call_queue_new_in_background (RcrpStore             *store,
                                                  const RcrpQueueFilter *filter);

/* Whether the view is still being read. */
gboolean       rcrp_call_queue_get_loading (RcrpCallQueue  *self);

/* Catches up with the store: cheap when nothing changed. Emits
 * items-changed only for the positions affected. Returns TRUE if anything
 * changed.
 */
gboolean       rcrp_call_queue_refresh (RcrpCallQueue  *self,
                                        GError        **error);

/* Returns the position of the call with @id, or G_MAXUINT. */
guint          rcrp_call_queue_find    (RcrpCallQueue  *self,
                                        gint64          id);

/* Shows only the calls matching @filter (copied), or all for NULL. */
void           rcrp_call_queue_set_filter (RcrpCallQueue         *self,
                                           const RcrpQueueFilter *filter);

G_END_DECLS

/* rcrp-spool.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rcrp-store.h"

G_BEGIN_DECLS

#define RCRP_SPOOL_ERROR (rcrp_spool_error_quark ())

typedef enum
{
  RCRP_SPOOL_ERROR_FOLDER,  /* the spool folder cannot be used */
} RcrpSpoolError;

GQuark rcrp_spool_error_quark (void);

#define RCRP_TYPE_SPOOL (rcrp_spool_get_type ())

G_DECLARE_FINAL_TYPE (RcrpSpool, rcrp_spool, RCRP, SPOOL, GObject)

/* Watches a spool folder: every "*.json" file not starting with "."
 * is claimed by an atomic rename (so of several workstations watching one
 * folder exactly one takes it), ingested whole into @store, then moved to
 * processed/ or to rejected/ with NAME.error.txt beside it. Nothing is ever
 * deleted. A file claimed by a process that died is taken up again at the
 * next start; re-ingesting it is harmless because ingest is idempotent.
 * A file the store cannot take for reasons of its own (busy, full,
 * read-only) goes back into the spool to be tried again.
 * Only regular files are read, and links are never followed: a symbolic
 * link, a FIFO, a device or a name ending in ".JSON" (any case but lower)
 * is claimed all the same and filed in rejected/ with its reason, so that
 * nothing in the spool is skipped unseen. The spool's own folders must be
 * real folders; a symbolic link in their place stops the scan with a
 * message.
 *
 * Signals:
 *   file-processed (const char *name, gboolean accepted, const char *message)
 *   scan-failed (const GError *error): a scan started by rcrp_spool_start()
 *     stopped early, because of the folder or the store; rcrp_spool_scan()
 *     returns the error instead.
 *
 * Properties:
 *   stale-claim-age (guint, seconds): how old another workstation's claim
 *     must be before it is taken over; RCRP_SPOOL_DEFAULT_STALE_CLAIM_AGE.
 *   rescan-interval (guint, seconds): how often a watching spool looks at the
 *     folder even without a change notice; RCRP_SPOOL_DEFAULT_RESCAN_INTERVAL.
 */

/* Another workstation's claim is taken over only after this long, as we
 * cannot ask a process on another host whether it is still working on it.
 */
#define RCRP_SPOOL_DEFAULT_STALE_CLAIM_AGE (10 * 60)
/* File monitors can miss events (network file systems, bursts), so a
 * watching spool also looks on this period.
 */
#define RCRP_SPOOL_DEFAULT_RESCAN_INTERVAL 5

RcrpSpool *rcrp_spool_new          (RcrpStore  *store,
                                    GFile      *folder);
GFile     *rcrp_spool_get_folder   (RcrpSpool  *self);

/* Processes every file waiting now, on this thread. Returns the number of
 * files processed (accepted or rejected) in @n_processed.
 */
gboolean   rcrp_spool_scan         (RcrpSpool  *self,
                                    guint      *n_processed,
                                    GError    **error);

/* Starts watching: a scan at once and on every change in the folder, with
 * the work done on a worker thread and the signal emitted on the thread
 * default main context of the caller.
 */
gboolean   rcrp_spool_start        (RcrpSpool  *self,
                                    GError    **error);
/* Stops watching at once; a scan under way finishes its current file and
 * still reports what it did.
 */
void       rcrp_spool_stop         (RcrpSpool  *self);

guint      rcrp_spool_get_stale_claim_age (RcrpSpool *self);
void       rcrp_spool_set_stale_claim_age (RcrpSpool *self,
                                           guint      seconds);
guint      rcrp_spool_get_rescan_interval (RcrpSpool *self);
void       rcrp_spool_set_rescan_interval (RcrpSpool *self,
                                           guint      seconds);

G_END_DECLS

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

/* Watches a spool folder: every regular "*.json" file not starting with "."
 * is claimed by an atomic rename (so of several workstations watching one
 * folder exactly one takes it), ingested whole into @store, then moved to
 * processed/ or to rejected/ with NAME.error.txt beside it. Nothing is ever
 * deleted. A file claimed by a process that died is taken up again at the
 * next start; re-ingesting it is harmless because ingest is idempotent.
 *
 * Signals:
 *   file-processed (const char *name, gboolean accepted, const char *message)
 */
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
void       rcrp_spool_stop         (RcrpSpool  *self);

G_END_DECLS

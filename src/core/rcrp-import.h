/* rcrp-import.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rcrp-store.h"

G_BEGIN_DECLS

#define RCRP_TYPE_IMPORT (rcrp_import_get_type ())

G_DECLARE_FINAL_TYPE (RcrpImport, rcrp_import, RCRP, IMPORT, GObject)

/* Called once per document, in order, on the thread that runs the import:
 * with the calls stored and what that did, or with the feed's refusal.
 */
typedef void (*RcrpImportFunc) (const char             *source,
                                GPtrArray              *calls,
                                const RcrpIngestResult *result,
                                const GError           *refusal,
                                gpointer                user_data);

/* Stores many feed documents, reading and checking the next ones on a
 * worker thread while the store writes the current one: a backlog after an
 * outage or a bulk load takes as long as the slower of the two, not both.
 * Each document is still stored whole or not at all.
 */
RcrpImport *rcrp_import_new       (RcrpStore       *store);
void        rcrp_import_add_file  (RcrpImport      *self,
                                   GFile           *file,
                                   const char      *source);
void        rcrp_import_add_bytes (RcrpImport      *self,
                                   GBytes          *document,
                                   const char      *source);

/* Runs the import. Refused documents are reported and skipped; a store
 * error (busy, full, read-only) stops the import and is returned, with the
 * documents before it stored and none after.
 */
gboolean    rcrp_import_run       (RcrpImport      *self,
                                   RcrpImportFunc   func,
                                   gpointer         user_data,
                                   GError         **error);

G_END_DECLS

/* rcrp-audit-state.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rcrp-store.h"

G_BEGIN_DECLS

/* Rebuilds, from the chained events alone, what the current-state rows of
 * @store should hold (each call's row and versions, the users and their
 * roles, the undone decisions, the erasures) and compares them with the
 * rows as stored; checks each stored version's bytes against the content
 * hash its event recorded and each feed document's bytes against its
 * SHA-256. The hash chain itself is rcrp_store_verify()'s: this pass
 * assumes the events are those written.
 *
 * Returns FALSE with RCRP_STORE_ERROR_TAMPERED and a message naming the
 * first row that disagrees (@bad_row, if not NULL, is set to it, as
 * "calls row 12"), or another error if the rows cannot be read. Reads
 * only; may run on a worker thread. @n_rows is set to the rows checked.
 */
gboolean rcrp_audit_state_check (RcrpStore     *store,
                                 GCancellable  *cancellable,
                                 gint64        *n_rows,
                                 char         **bad_row,
                                 GError       **error);

G_END_DECLS

/* rcrp-head-signature.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rcrp-store.h"

G_BEGIN_DECLS

/* Appends signed by their writers. Each user who writes the database (a
 * coordinator's workstation, the CLI, the spool service) may hold an
 * Ed25519 key of their own, outside the database; every transaction that
 * appends events then stores, with them, that user's signature over the
 * transaction's first event id, the new head's id and its hash. Whoever
 * can write the database file but holds no such key cannot sign what they
 * append. The public keys are pinned outside the database, in a folder
 * administrators keep (RCRP_WRITER_KEYS_DIR, one USER.pub per user), so
 * nobody can add their own key by writing the database.
 */

#define RCRP_WRITER_KEYS_DIR "/etc/rcrp/writer-keys"

typedef struct _RcrpHeadSigner RcrpHeadSigner;

/* Returns: (transfer full): where a writer's private key is looked for:
 * $RCRP_WRITER_KEY if set, else $XDG_STATE_HOME/rcrp/writer-key; its public
 * key beside it, ".pub". */
char           *rcrp_head_signer_dup_default_key (void);

/* Loads the private key at @path (the default if NULL). Returns NULL with
 * no error when there is none (appends are then unsigned), NULL with
 * @error set when there is one that cannot be used (too open, not Ed25519).
 */
RcrpHeadSigner *rcrp_head_signer_load            (const char      *path,
                                                  GError         **error);
void            rcrp_head_signer_free            (RcrpHeadSigner  *self);

/* Signs, as @signer (the OS user the events were written as), the events
 * @first_event_id to @head_event_id whose newest has @head_hash. Returns
 * the key's id (SHA-256 fingerprint, hex) and the signature (base64). */
gboolean        rcrp_head_signer_sign            (RcrpHeadSigner  *self,
                                                  const char      *signer,
                                                  gint64           first_event_id,
                                                  gint64           head_event_id,
                                                  const char      *head_hash,
                                                  char           **key_id,
                                                  char           **signature,
                                                  GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcrpHeadSigner, rcrp_head_signer_free)

/* Checks that every event of @store's log, from the first one a writer
 * signed, lies in a transaction signed by the user it was written as, with
 * that user's key pinned in @keys_dir, over the hash the event has now; and
 * that the newest event is signed. So events appended with the sqlite3
 * shell, even with a correct hash chain and consistent rows, are caught:
 * the first is named (@broken_event_id). Events from before the first
 * signature (a database older than signing) are counted in @n_unsigned.
 * @n_signatures: signatures checked. Reads only.
 *
 * Returns FALSE with RCRP_STORE_ERROR_TAMPERED on the first event that is
 * not signed as it should be, or another error if the keys or rows cannot
 * be read.
 */
gboolean        rcrp_head_signature_verify_log   (RcrpStore       *store,
                                                  const char      *keys_dir,
                                                  gint64          *n_signatures,
                                                  gint64          *n_unsigned,
                                                  gint64          *broken_event_id,
                                                  GError         **error);

G_END_DECLS

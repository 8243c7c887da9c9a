/* rcrp-checkpoint.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rcrp-store.h"

G_BEGIN_DECLS

/* Checkpoints of the audit log kept outside the database: the head of
 * the chain (its event count, the newest event's id and hash) written to
 * the systemd journal (or syslog) and appended to a trail file signed
 * with an Ed25519 key that the database's writers do not hold. Proves
 * later that the log still holds every head checkpointed, so cutting it
 * short or rewriting it, even with every hash recomputed, is caught.
 */

#define RCRP_CHECKPOINT_ERROR (rcrp_checkpoint_error_quark ())

typedef enum
{
  RCRP_CHECKPOINT_ERROR_NO_KEY,    /* no signing key (or public key) where looked for */
  RCRP_CHECKPOINT_ERROR_KEY,       /* a key file that cannot be used, or is too open */
  RCRP_CHECKPOINT_ERROR_EXISTS,    /* a key is already there: never overwritten */
  RCRP_CHECKPOINT_ERROR_TRAIL,     /* the trail cannot be read or written */
  RCRP_CHECKPOINT_ERROR_NONE,      /* the trail holds no checkpoint of this database */
} RcrpCheckpointError;

GQuark rcrp_checkpoint_error_quark (void);

/* The journal's MESSAGE_ID of a checkpoint: `journalctl MESSAGE_ID=...`. */
#define RCRP_CHECKPOINT_MESSAGE_ID "5b1c4f0e8a2d4c6f9e3a7b0d1c2e4f60"

/* Returns: (transfer full): $XDG_STATE_HOME/rcrp/checkpoint-key, the
 * private key's default place; its public key is beside it, ".pub". */
char     *rcrp_checkpoint_dup_default_key   (void);

/* Returns: (transfer full): $XDG_STATE_HOME/rcrp/checkpoints, the default
 * trail folder (one file per database). */
char     *rcrp_checkpoint_dup_default_trail (void);

/* Makes a new Ed25519 key pair: @private_path (PKCS #8 PEM, created 0600,
 * never through a link, never over an existing file) and @public_path
 * (PEM, 0644), to be handed to whoever audits the log.
 * Returns the public key's fingerprint (SHA-256, hex) in @fingerprint.
 */
gboolean  rcrp_checkpoint_generate_key      (const char   *private_path,
                                             const char   *public_path,
                                             char        **fingerprint,
                                             GError      **error);

/* Records a checkpoint of @store's log for @reason ("export", "handover",
 * "interval", "manual"): always to the journal (or syslog when there is
 * no journal), and, signed with @private_key (the default if NULL),
 * appended to the trail in @trail_dir (the default if NULL), the file it
 * wrote returned in @trail_file. Without a private key the journal entry
 * is made and RCRP_CHECKPOINT_ERROR_NO_KEY returned. Does not write to
 * the database.
 */
gboolean  rcrp_checkpoint_record            (RcrpStore    *store,
                                             const char   *reason,
                                             const char   *private_key,
                                             const char   *trail_dir,
                                             char        **trail_file,
                                             GError      **error);

/* Checks @store's log against the checkpoints in @trail (a trail file,
 * all of whose checkpoints must be of this log, or a folder, whose
 * checkpoints of this database are checked; the default folder if NULL):
 * each must be signed by @public_key (the default private key's ".pub" if
 * NULL), and the event it names as the head must still be in the log
 * with the hash it recorded. Returns FALSE with RCRP_STORE_ERROR_TAMPERED
 * and @broken_event_id on the first that is not (the log was cut short or
 * rewritten), or on a checkpoint whose signature fails (the trail was
 * edited). @n_checked: checkpoints checked. Run it after
 * rcrp_store_verify(): that the events up to a head are those written is
 * the chain's to show.
 */
gboolean  rcrp_checkpoint_verify_trail      (RcrpStore    *store,
                                             const char   *trail,
                                             const char   *public_key,
                                             guint        *n_checked,
                                             gint64       *broken_event_id,
                                             GError      **error);

G_END_DECLS

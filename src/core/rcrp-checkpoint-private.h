/* rcrp-checkpoint-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <gnutls/abstract.h>

G_BEGIN_DECLS

/* GnuTLS's handles, freed on every path out of scope. */
typedef struct gnutls_privkey_st RcrpPrivateKey;
typedef struct gnutls_pubkey_st RcrpPublicKey;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcrpPrivateKey, gnutls_privkey_deinit)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcrpPublicKey, gnutls_pubkey_deinit)

/* The Ed25519 keys rcrp_checkpoint_generate_key() makes, read as the
 * checkpoints read them: a regular file, never through a link, a private
 * key only if nobody else can read it. */
gnutls_privkey_t _rcrp_checkpoint_load_private_key (const char  *path,
                                                    GError     **error);
gnutls_pubkey_t  _rcrp_checkpoint_load_public_key  (const char  *path,
                                                    GError     **error);
/* Returns: (transfer full) (nullable): the key's SHA-256 key id, in hex. */
char            *_rcrp_checkpoint_fingerprint      (gnutls_pubkey_t key);

G_END_DECLS

/* rcrp-head-signature.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>

#include "rcrp-checkpoint.h"
#include "rcrp-checkpoint-private.h"
#include "rcrp-head-signature.h"
#include "rcrp-text.h"

/* What a signature covers, each field length-prefixed in this order, so
 * no two heads sign the same text. */
#define HEAD_FORMAT "rcrp.head/1"

struct _RcrpHeadSigner
{
  gnutls_privkey_t  key;
  char             *key_id;
};

char *
rcrp_head_signer_dup_default_key (void)
{
  const char *path = g_getenv ("RCRP_WRITER_KEY");

  if (path != NULL && *path != '\0')
    return g_strdup (path);

  return g_build_filename (g_get_user_state_dir (), "rcrp", "writer-key", NULL);
}

RcrpHeadSigner *
rcrp_head_signer_load (const char  *path,
                       GError     **error)
{
  g_autofree char *default_path = NULL;
  g_autoptr(RcrpPrivateKey) key = NULL;
  g_autoptr(RcrpPublicKey) pub = NULL;
  RcrpHeadSigner *self;
  int rc;

  if (path == NULL)
    path = default_path = rcrp_head_signer_dup_default_key ();

  /* No key, no signature: the verifier says so, if keys are pinned. */
  if (!g_file_test (path, G_FILE_TEST_EXISTS) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    return NULL;

  key = _rcrp_checkpoint_load_private_key (path, error);
  if (key == NULL)
    return NULL;

  if ((rc = gnutls_pubkey_init (&pub)) < 0 || (rc = gnutls_pubkey_import_privkey (pub, key, 0, 0)) < 0)
    {
      g_set_error (error, RCRP_CHECKPOINT_ERROR, RCRP_CHECKPOINT_ERROR_KEY,
                   _("The writer key %s cannot be used: %s"), path, gnutls_strerror (rc));
      return NULL;
    }

  self = g_new0 (RcrpHeadSigner, 1);
  self->key = g_steal_pointer (&key);
  self->key_id = _rcrp_checkpoint_fingerprint (pub);

  return self;
}

void
rcrp_head_signer_free (RcrpHeadSigner *self)
{
  if (self == NULL)
    return;

  gnutls_privkey_deinit (self->key);
  g_free (self->key_id);
  g_free (self);
}

static void
add_field (GString    *text,
           const char *value)
{
  g_string_append_printf (text, "%zu:%s\n", value != NULL ? strlen (value) : 0, value != NULL ? value : "");
}

static char *
signed_text (const char *signer,
             const char *key_id,
             gint64      first_event_id,
             gint64      head_event_id,
             const char *head_hash)
{
  GString *text = g_string_new (NULL);
  char number[32];

  add_field (text, HEAD_FORMAT);
  add_field (text, signer);
  add_field (text, key_id);
  g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, first_event_id);
  add_field (text, number);
  g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, head_event_id);
  add_field (text, number);
  add_field (text, head_hash);

  return g_string_free (text, FALSE);
}

gboolean
rcrp_head_signer_sign (RcrpHeadSigner  *self,
                       const char      *signer,
                       gint64           first_event_id,
                       gint64           head_event_id,
                       const char      *head_hash,
                       char           **key_id,
                       char           **signature,
                       GError         **error)
{
  g_autofree char *text = NULL;
  gnutls_datum_t data, signed_data = { NULL, 0 };
  int rc;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (signer != NULL && head_hash != NULL, FALSE);

  text = signed_text (signer, self->key_id, first_event_id, head_event_id, head_hash);
  data.data = (unsigned char *) text;
  data.size = strlen (text);
  if ((rc = gnutls_privkey_sign_data2 (self->key, GNUTLS_SIGN_EDDSA_ED25519, 0, &data, &signed_data)) < 0)
    {
      g_set_error (error, RCRP_CHECKPOINT_ERROR, RCRP_CHECKPOINT_ERROR_KEY,
                   _("Cannot sign what was recorded with the writer key: %s"), gnutls_strerror (rc));
      return FALSE;
    }

  *signature = g_base64_encode (signed_data.data, signed_data.size);
  *key_id = g_strdup (self->key_id);
  gnutls_free (signed_data.data);

  return TRUE;
}

/* The verifier's side. */

typedef struct
{
  gnutls_pubkey_t key;
  char           *key_id;
} PinnedKey;

static void
pinned_key_free (gpointer data)
{
  PinnedKey *pinned = data;

  gnutls_pubkey_deinit (pinned->key);
  g_free (pinned->key_id);
  g_free (pinned);
}

typedef struct
{
  gint64  head_event_id;
  gint64  first_event_id;
  char   *signer;
  char   *key_id;
  char   *signature;
} Signature;

static void
signature_clear (gpointer data)
{
  Signature *signature = data;

  g_free (signature->signer);
  g_free (signature->key_id);
  g_free (signature->signature);
}

typedef struct
{
  const char *keys_dir;
  GHashTable *keys;          /* "user" or "user:key id" → PinnedKey */
  GArray     *signatures;    /* of Signature, by head */
  guint       next;          /* the first signature whose head is not behind the walk */
  gint64      signed_from;   /* the first event a signature covers; 0 if none */
  gint64      newest;
  gboolean    newest_covered;
  gint64      n_checked;
  gint64      n_unsigned;
  gint64      broken_event_id;
} Walk;

static const RcrpAuditColumn *
column (const RcrpAuditColumn *columns,
        guint                  n_columns,
        const char            *name)
{
  for (guint i = 0; i < n_columns; i++)
    if (g_str_equal (columns[i].name, name))
      return &columns[i];

  return NULL;
}

static gint64
column_int (const RcrpAuditColumn *columns,
            guint                  n_columns,
            const char            *name)
{
  const RcrpAuditColumn *found = column (columns, n_columns, name);

  return found != NULL && found->type == RCRP_AUDIT_VALUE_INT ? found->number : 0;
}

static const char *
column_text (const RcrpAuditColumn *columns,
             guint                  n_columns,
             const char            *name)
{
  const RcrpAuditColumn *found = column (columns, n_columns, name);

  return found != NULL && found->type == RCRP_AUDIT_VALUE_TEXT ? found->data : NULL;
}

static gboolean
forged (Walk        *walk,
        gint64       event_id,
        GError     **error,
        const char  *format,
        ...) G_GNUC_PRINTF (4, 5);

static gboolean
forged (Walk        *walk,
        gint64       event_id,
        GError     **error,
        const char  *format,
        ...)
{
  g_autofree char *problem = NULL;
  g_autofree char *safe = NULL;
  va_list args;

  va_start (args, format);
  problem = g_strdup_vprintf (format, args);
  va_end (args);

  /* Names and kinds come from the rows: never raw to a terminal. */
  safe = rcrp_text_escape_controls (problem, -1, RCRP_ESCAPE_DEFAULT);
  walk->broken_event_id = event_id;
  g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_TAMPERED,
               _("Event %" G_GINT64_FORMAT " is not signed as its writer signs what they record: %s. It was "
                 "appended or changed outside the program (with the sqlite3 shell, say), or written by a user "
                 "whose key is not pinned in %s."),
               event_id, safe, walk->keys_dir);
  return FALSE;
}

static gboolean
check_signature (Walk            *walk,
                 const Signature *signature,
                 gint64           event_id,
                 const char      *hash,
                 GError         **error)
{
  g_autofree char *text = NULL;
  g_autofree guchar *raw = NULL;
  g_autofree char *by_id = g_strdup_printf ("%s:%s", signature->signer, signature->key_id);
  PinnedKey *pinned = g_hash_table_lookup (walk->keys, by_id);
  gnutls_datum_t data, signature_datum;
  gsize size = 0;

  if (pinned == NULL)
    return forged (walk, event_id, error,
                   g_hash_table_contains (walk->keys, signature->signer)
                   ? _("it is signed as %s with a key (%.16s…) other than theirs")
                   : _("it is signed as %s, who has no key pinned"),
                   signature->signer, signature->key_id);

  text = signed_text (signature->signer, signature->key_id, signature->first_event_id, signature->head_event_id,
                      hash);
  raw = g_base64_decode (signature->signature, &size);
  data.data = (unsigned char *) text;
  data.size = strlen (text);
  signature_datum.data = raw;
  signature_datum.size = size;
  if (gnutls_pubkey_verify_data2 (pinned->key, GNUTLS_SIGN_EDDSA_ED25519, 0, &data, &signature_datum) < 0)
    return forged (walk, event_id, error,
                   _("the signature %s made of events %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT " does not hold "
                     "for them as they are now"),
                   signature->signer, signature->first_event_id, signature->head_event_id);

  walk->n_checked++;

  return TRUE;
}

static gboolean
on_signed_row_cb (const char             *table,
                  const RcrpAuditColumn  *columns,
                  guint                   n_columns,
                  gpointer                user_data,
                  GError                **error)
{
  Walk *walk = user_data;
  const Signature *signature;
  const char *operator_name;
  gint64 id;

  if (g_str_equal (table, "head_signatures"))
    {
      Signature row = {
        column_int (columns, n_columns, "head_event_id"), column_int (columns, n_columns, "first_event_id"),
        g_strdup (column_text (columns, n_columns, "signer")), g_strdup (column_text (columns, n_columns, "key_id")),
        g_strdup (column_text (columns, n_columns, "signature")),
      };

      if (walk->signatures->len == 0)
        walk->signed_from = row.first_event_id;
      g_array_append_val (walk->signatures, row);
      return TRUE;
    }

  id = column_int (columns, n_columns, "id");
  operator_name = column_text (columns, n_columns, "operator");
  walk->newest = id;
  walk->newest_covered = FALSE;

  while (walk->next < walk->signatures->len &&
         g_array_index (walk->signatures, Signature, walk->next).head_event_id < id)
    walk->next++;
  signature = walk->next < walk->signatures->len ? &g_array_index (walk->signatures, Signature, walk->next) : NULL;

  if (signature == NULL || signature->first_event_id > id)
    {
      /* Before the first signature: written before its writers signed. */
      if (walk->signatures->len == 0 || id < walk->signed_from)
        {
          walk->n_unsigned++;
          return TRUE;
        }
      return forged (walk, id, error, _("no writer signed it (a %s by %s at %s)"),
                     column_text (columns, n_columns, "kind"), operator_name,
                     column_text (columns, n_columns, "workstation"));
    }

  if (g_strcmp0 (signature->signer, operator_name) != 0)
    return forged (walk, id, error, _("it says %s wrote it, but it lies in what %s signed"),
                   operator_name, signature->signer);

  walk->newest_covered = TRUE;
  if (id == signature->head_event_id)
    return check_signature (walk, signature, id, column_text (columns, n_columns, "hash"), error);

  return TRUE;
}

/* USER.pub, or USER~ANYTHING.pub for a further key of the same user. */
static gboolean
load_pinned_keys (Walk    *walk,
                  GError **error)
{
  g_autoptr(GDir) dir = g_dir_open (walk->keys_dir, 0, error);
  const char *name;

  if (dir == NULL)
    return FALSE;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *user = NULL;
      gnutls_pubkey_t key;
      PinnedKey *pinned;
      const char *end;

      if (!g_str_has_suffix (name, ".pub") || name[0] == '.')
        continue;
      end = strchr (name, '~');
      user = g_strndup (name, (end != NULL ? end : name + strlen (name) - 4) - name);
      path = g_build_filename (walk->keys_dir, name, NULL);
      key = _rcrp_checkpoint_load_public_key (path, error);
      if (key == NULL)
        return FALSE;

      pinned = g_new0 (PinnedKey, 1);
      pinned->key = key;
      pinned->key_id = _rcrp_checkpoint_fingerprint (key);
      g_hash_table_insert (walk->keys, g_strdup_printf ("%s:%s", user, pinned->key_id), pinned);
      g_hash_table_add (walk->keys, g_steal_pointer (&user));
    }

  return TRUE;
}

gboolean
rcrp_head_signature_verify_log (RcrpStore  *store,
                                const char *keys_dir,
                                gint64     *n_signatures,
                                gint64     *n_unsigned,
                                gint64     *broken_event_id,
                                GError    **error)
{
  Walk walk = { keys_dir, };
  gboolean ok;

  g_return_val_if_fail (RCRP_IS_STORE (store), FALSE);
  g_return_val_if_fail (keys_dir != NULL, FALSE);

  /* The users themselves are keys too, mapped to nothing: to tell "a key
   * not theirs" from "no key at all". */
  walk.keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  walk.signatures = g_array_new (FALSE, TRUE, sizeof (Signature));
  g_array_set_clear_func (walk.signatures, signature_clear);

  ok = load_pinned_keys (&walk, error) &&
       rcrp_store_read_signed_heads (store, on_signed_row_cb, &walk, NULL, error);

  /* The newest event must be signed: else removing every signature would
   * make the whole log look older than signing. */
  if (ok && walk.newest > 0 && !walk.newest_covered)
    ok = forged (&walk, walk.newest, error, _("it is the newest event, and no writer signed it"));

  /* A head signed and gone: the log was cut after it. */
  if (ok && walk.signatures->len > 0 &&
      g_array_index (walk.signatures, Signature, walk.signatures->len - 1).head_event_id > walk.newest)
    {
      const Signature *last = &g_array_index (walk.signatures, Signature, walk.signatures->len - 1);

      walk.broken_event_id = last->head_event_id;
      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_TAMPERED,
                   _("The audit log no longer holds event %" G_GINT64_FORMAT ", which its writer signed as the head "
                     "of what they recorded: the log was cut short after event %" G_GINT64_FORMAT "."),
                   last->head_event_id, walk.newest);
      ok = FALSE;
    }

  if (n_signatures != NULL)
    *n_signatures = walk.n_checked;
  if (n_unsigned != NULL)
    *n_unsigned = walk.n_unsigned;
  if (broken_event_id != NULL)
    *broken_event_id = walk.broken_event_id;

  g_array_unref (walk.signatures);
  {
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, walk.keys);
    while (g_hash_table_iter_next (&iter, &key, &value))
      if (value != key && value != NULL)
        pinned_key_free (value);
  }
  g_hash_table_unref (walk.keys);

  return ok;
}

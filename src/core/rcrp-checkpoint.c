/* rcrp-checkpoint.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <json-glib/json-glib.h>

#include "rcrp-checkpoint.h"
#include "rcrp-checkpoint-private.h"
#include "rcrp-context.h"
#include "rcrp-file.h"
#include "rcrp-text.h"

/* One line of a trail, as JSON; the signature covers every other member,
 * each length-prefixed in this order (signed_text()). */
#define CHECKPOINT_FORMAT "rcrp.checkpoint/1"

/* A trail line longer than this is not one we wrote. */
#define MAX_LINE 8192

G_DEFINE_QUARK (rcrp-checkpoint-error-quark, rcrp_checkpoint_error)

typedef struct
{
  char   *database;      /* the store's identity without its first hash: "sqlite:/abs/path" */
  char   *first_hash;    /* the hash of event 1 when it was taken, "" for an empty log */
  gint64  events;
  gint64  head_id;
  char   *head_hash;
  char   *at;            /* ISO 8601, UTC */
  char   *reason;
  char   *operator_name;
  char   *key_id;        /* the signing key's fingerprint */
  char   *signature;     /* base64 */
} Checkpoint;

static void
checkpoint_clear (Checkpoint *checkpoint)
{
  g_clear_pointer (&checkpoint->database, g_free);
  g_clear_pointer (&checkpoint->first_hash, g_free);
  g_clear_pointer (&checkpoint->head_hash, g_free);
  g_clear_pointer (&checkpoint->at, g_free);
  g_clear_pointer (&checkpoint->reason, g_free);
  g_clear_pointer (&checkpoint->operator_name, g_free);
  g_clear_pointer (&checkpoint->key_id, g_free);
  g_clear_pointer (&checkpoint->signature, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Checkpoint, checkpoint_clear)
typedef struct gnutls_x509_privkey_int RcrpX509Key;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcrpX509Key, gnutls_x509_privkey_deinit)

char *
rcrp_checkpoint_dup_default_key (void)
{
  return g_build_filename (g_get_user_state_dir (), "rcrp", "checkpoint-key", NULL);
}

char *
rcrp_checkpoint_dup_default_trail (void)
{
  return g_build_filename (g_get_user_state_dir (), "rcrp", "checkpoints", NULL);
}

static gboolean
key_failed (int          rc,
            const char  *path,
            GError     **error)
{
  g_set_error (error, RCRP_CHECKPOINT_ERROR, RCRP_CHECKPOINT_ERROR_KEY,
               _("The checkpoint key %s cannot be used: %s"), path, gnutls_strerror (rc));
  return FALSE;
}

char *
_rcrp_checkpoint_fingerprint (gnutls_pubkey_t key)
{
  guchar id[32];
  size_t size = sizeof id;

  if (gnutls_pubkey_get_key_id (key, GNUTLS_KEYID_USE_SHA256, id, &size) < 0)
    return NULL;

  {
    GString *hex = g_string_sized_new (2 * size);

    for (gsize i = 0; i < size; i++)
      g_string_append_printf (hex, "%02x", id[i]);

    return g_string_free (hex, FALSE);
  }
}

/* Writes @data to @path, created with @mode, never through a link and
 * never over a file already there. */
static gboolean
write_new_file (const char     *path,
                const guchar   *data,
                gsize           size,
                mode_t          mode,
                GError        **error)
{
  int fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
  gssize written = 0;

  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, RCRP_CHECKPOINT_ERROR,
                   saved == EEXIST ? RCRP_CHECKPOINT_ERROR_EXISTS : RCRP_CHECKPOINT_ERROR_KEY,
                   saved == EEXIST ? _("%s is already there; a checkpoint key is never overwritten "
                                       "(move it away first if it is to be replaced)")
                                   : _("Cannot create %s: %s"),
                   path, g_strerror (saved));
      return FALSE;
    }

  while ((gsize) written < size)
    {
      gssize n = write (fd, data + written, size - written);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          close (fd);
          g_unlink (path);
          g_set_error (error, RCRP_CHECKPOINT_ERROR, RCRP_CHECKPOINT_ERROR_KEY,
                       _("Cannot write %s: %s"), path, g_strerror (saved));
          return FALSE;
        }
      written += n;
    }

  if (fchmod (fd, mode) != 0 || fsync (fd) != 0 || close (fd) != 0)
    {
      int saved = errno;

      g_unlink (path);
      g_set_error (error, RCRP_CHECKPOINT_ERROR, RCRP_CHECKPOINT_ERROR_KEY,
                   _("Cannot write %s: %s"), path, g_strerror (saved));
      return FALSE;
    }

  return TRUE;
}

static gboolean
make_folder_for (const char  *path,
                 int          mode,
                 GError     **error)
{
  g_autofree char *folder = g_path_get_dirname (path);

  if (g_mkdir_with_parents (folder, mode) != 0)
    {
      int saved = errno;

      g_set_error (error, RCRP_CHECKPOINT_ERROR, RCRP_CHECKPOINT_ERROR_TRAIL,
                   _("Cannot make the folder %s: %s"), folder, g_strerror (saved));
      return FALSE;
    }

  return TRUE;
}

gboolean
rcrp_checkpoint_generate_key (const char  *private_path,
                              const char  *public_path,
                              char       **fingerprint,
                              GError     **error)
{
  g_autoptr(RcrpX509Key) x509 = NULL;
  g_autoptr(RcrpPrivateKey) key = NULL;
  g_autoptr(RcrpPublicKey) pub = NULL;
  gnutls_datum_t private_pem = { NULL, 0 };
  gnutls_datum_t public_pem = { NULL, 0 };
  gboolean ok;
  int rc;

  g_return_val_if_fail (private_path != NULL && public_path != NULL, FALSE);

  if (!make_folder_for (private_path, 0700, error) || !make_folder_for (public_path, 0755, error))
    return FALSE;

  /* A key already made is never replaced: checkpoints signed with it
   * could no longer be checked. */
  for (guint i = 0; i < 2; i++)
    {
      const char *path = i == 0 ? private_path : public_path;

      if (g_file_test (path, G_FILE_TEST_EXISTS) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        {
          g_set_error (error, RCRP_CHECKPOINT_ERROR, RCRP_CHECKPOINT_ERROR_EXISTS,
                       _("%s is already there; a checkpoint key is never overwritten (move it away first "
                         "if it is to be replaced, and keep its public key to check the old checkpoints)"),
                       path);
          return FALSE;
        }
    }

  if ((rc = gnutls_x509_privkey_init (&x509)) < 0 ||
      (rc = gnutls_x509_privkey_generate (x509, GNUTLS_PK_EDDSA_ED25519,
                                          GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_ED25519), 0)) < 0 ||
      (rc = gnutls_x509_privkey_export2_pkcs8 (x509, GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN,
                                               &private_pem)) < 0 ||
      (rc = gnutls_privkey_init (&key)) < 0 ||
      (rc = gnutls_privkey_import_x509 (key, x509, GNUTLS_PRIVKEY_IMPORT_AUTO_RELEASE)) < 0 ||
      (rc = gnutls_pubkey_init (&pub)) < 0 ||
      (rc = gnutls_pubkey_import_privkey (pub, key, 0, 0)) < 0 ||
      (rc = gnutls_pubkey_export2 (pub, GNUTLS_X509_FMT_PEM, &public_pem)) < 0)
    {
      gnutls_free (private_pem.data);
      return key_failed (rc, private_path, error);
    }
  /* The private key now belongs to @key, which frees it. */
  x509 = NULL;

  ok = write_new_file (private_path, private_pem.data, private_pem.size, 0600, error);
  if (ok && !write_new_file (public_path, public_pem.data, public_pem.size, 0644, error))
    {
      /* Half a pair is no use: never leave one behind. */
      g_unlink (private_path);
      ok = FALSE;
    }

  gnutls_memset (private_pem.data, 0, private_pem.size);
  gnutls_free (private_pem.data);
  gnutls_free (public_pem.data);

  if (ok && fingerprint != NULL)
    *fingerprint = _rcrp_checkpoint_fingerprint (pub);

  return ok;
}

static gboolean
read_key_file (const char  *path,
               gboolean     private_key,
               GBytes     **contents,
               GError     **error)
{
  g_autofree char *text = NULL;
  struct stat st;
  gsize length;
  int fd;

  fd = open (path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, RCRP_CHECKPOINT_ERROR,
                   saved == ENOENT ? RCRP_CHECKPOINT_ERROR_NO_KEY : RCRP_CHECKPOINT_ERROR_KEY,
                   saved == ENOENT ? (private_key ? _("There is no checkpoint key at %s; an administrator makes "
                                                      "one with “rcrp checkpoint-key”")
                                                  : _("There is no public checkpoint key at %s; give the one "
                                                      "“rcrp checkpoint-key” made with --public-key"))
                                   : _("Cannot open the checkpoint key %s: %s"),
                   path, g_strerror (saved));
      return FALSE;
    }

  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode) || st.st_size > 64 * 1024)
    {
      close (fd);
      g_set_error (error, RCRP_CHECKPOINT_ERROR, RCRP_CHECKPOINT_ERROR_KEY,
                   _("The checkpoint key %s is not a key file"), path);
      return FALSE;
    }

  /* As ssh does: a private key others can read is no longer private. */
  if (private_key && (st.st_mode & 0077) != 0)
    {
      close (fd);
      g_set_error (error, RCRP_CHECKPOINT_ERROR, RCRP_CHECKPOINT_ERROR_KEY,
                   _("The checkpoint key %s can be read by others (mode %04o); it is not used. "
                     "Run “chmod 600 %s”, and make a new key if others may have copied it"),
                   path, (unsigned) (st.st_mode & 07777), path);
      return FALSE;
    }

  {
    g_autoptr(GIOChannel) channel = g_io_channel_unix_new (fd);

    g_io_channel_set_close_on_unref (channel, TRUE);
    g_io_channel_set_encoding (channel, NULL, NULL);
    if (g_io_channel_read_to_end (channel, &text, &length, error) != G_IO_STATUS_NORMAL)
      return FALSE;
  }

  *contents = g_bytes_new_take (g_steal_pointer (&text), length);

  return TRUE;
}

gnutls_privkey_t
_rcrp_checkpoint_load_private_key (const char  *path,
                                   GError     **error)
{
  g_autoptr(GBytes) contents = NULL;
  g_autoptr(RcrpPrivateKey) key = NULL;
  gnutls_datum_t datum;
  gsize size;
  int rc;

  if (!read_key_file (path, TRUE, &contents, error))
    return NULL;

  datum.data = (unsigned char *) g_bytes_get_data (contents, &size);
  datum.size = size;
  if ((rc = gnutls_privkey_init (&key)) < 0 ||
      (rc = gnutls_privkey_import_x509_raw (key, &datum, GNUTLS_X509_FMT_PEM, NULL, 0)) < 0)
    return key_failed (rc, path, error), NULL;

  if (gnutls_privkey_get_pk_algorithm (key, NULL) != GNUTLS_PK_EDDSA_ED25519)
    {
      g_set_error (error, RCRP_CHECKPOINT_ERROR, RCRP_CHECKPOINT_ERROR_KEY,
                   _("The checkpoint key %s is not an Ed25519 key"), path);
      return NULL;
    }

  return g_steal_pointer (&key);
}

gnutls_pubkey_t
_rcrp_checkpoint_load_public_key (const char  *path,
                                  GError     **error)
{
  g_autoptr(GBytes) contents = NULL;
  g_autoptr(RcrpPublicKey) key = NULL;
  gnutls_datum_t datum;
  gsize size;
  int rc;

  if (!read_key_file (path, FALSE, &contents, error))
    return NULL;

  datum.data = (unsigned char *) g_bytes_get_data (contents, &size);
  datum.size = size;
  if ((rc = gnutls_pubkey_init (&key)) < 0 ||
      (rc = gnutls_pubkey_import (key, &datum, GNUTLS_X509_FMT_PEM)) < 0)
    return key_failed (rc, path, error), NULL;

  if (gnutls_pubkey_get_pk_algorithm (key, NULL) != GNUTLS_PK_EDDSA_ED25519)
    {
      g_set_error (error, RCRP_CHECKPOINT_ERROR, RCRP_CHECKPOINT_ERROR_KEY,
                   _("The public checkpoint key %s is not an Ed25519 key"), path);
      return NULL;
    }

  return g_steal_pointer (&key);
}

static void
add_field (GString    *text,
           const char *value)
{
  g_string_append_printf (text, "%zu:%s\n", value != NULL ? strlen (value) : 0, value != NULL ? value : "");
}

/* What the signature covers: every member but the signature, each
 * length-prefixed, so no two checkpoints sign the same text. */
static char *
signed_text (const Checkpoint *checkpoint)
{
  GString *text = g_string_new (NULL);
  char number[32];

  add_field (text, CHECKPOINT_FORMAT);
  add_field (text, checkpoint->database);
  add_field (text, checkpoint->first_hash);
  g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, checkpoint->events);
  add_field (text, number);
  g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, checkpoint->head_id);
  add_field (text, number);
  add_field (text, checkpoint->head_hash);
  add_field (text, checkpoint->at);
  add_field (text, checkpoint->reason);
  add_field (text, checkpoint->operator_name);
  add_field (text, checkpoint->key_id);

  return g_string_free (text, FALSE);
}

static char *
checkpoint_to_line (const Checkpoint *checkpoint)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  char *line;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, CHECKPOINT_FORMAT);
  json_builder_set_member_name (builder, "database");
  json_builder_add_string_value (builder, checkpoint->database);
  json_builder_set_member_name (builder, "first_hash");
  json_builder_add_string_value (builder, checkpoint->first_hash);
  json_builder_set_member_name (builder, "events");
  json_builder_add_int_value (builder, checkpoint->events);
  json_builder_set_member_name (builder, "head_id");
  json_builder_add_int_value (builder, checkpoint->head_id);
  json_builder_set_member_name (builder, "head_hash");
  json_builder_add_string_value (builder, checkpoint->head_hash);
  json_builder_set_member_name (builder, "at");
  json_builder_add_string_value (builder, checkpoint->at);
  json_builder_set_member_name (builder, "reason");
  json_builder_add_string_value (builder, checkpoint->reason);
  json_builder_set_member_name (builder, "operator");
  json_builder_add_string_value (builder, checkpoint->operator_name);
  json_builder_set_member_name (builder, "key");
  json_builder_add_string_value (builder, checkpoint->key_id);
  json_builder_set_member_name (builder, "signature");
  json_builder_add_string_value (builder, checkpoint->signature);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  line = json_generator_to_data (generator, NULL);

  return line;
}

static gboolean
checkpoint_from_line (const char  *line,
                      Checkpoint  *checkpoint)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonObject *object;
  JsonNode *root;
  const char * const strings[] = { "format", "database", "first_hash", "head_hash", "at", "reason", "operator",
                                   "key", "signature" };

  if (!json_parser_load_from_data (parser, line, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;
  object = json_node_get_object (root);

  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    {
      JsonNode *node = json_object_get_member (object, strings[i]);

      if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        return FALSE;
    }
  for (guint i = 0; i < 2; i++)
    {
      JsonNode *node = json_object_get_member (object, i == 0 ? "events" : "head_id");

      if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
        return FALSE;
    }
  if (!g_str_equal (json_object_get_string_member (object, "format"), CHECKPOINT_FORMAT))
    return FALSE;

  checkpoint->database = g_strdup (json_object_get_string_member (object, "database"));
  checkpoint->first_hash = g_strdup (json_object_get_string_member (object, "first_hash"));
  checkpoint->events = json_object_get_int_member (object, "events");
  checkpoint->head_id = json_object_get_int_member (object, "head_id");
  checkpoint->head_hash = g_strdup (json_object_get_string_member (object, "head_hash"));
  checkpoint->at = g_strdup (json_object_get_string_member (object, "at"));
  checkpoint->reason = g_strdup (json_object_get_string_member (object, "reason"));
  checkpoint->operator_name = g_strdup (json_object_get_string_member (object, "operator"));
  checkpoint->key_id = g_strdup (json_object_get_string_member (object, "key"));
  checkpoint->signature = g_strdup (json_object_get_string_member (object, "signature"));

  return TRUE;
}

/* The journal first (structured, with MESSAGE_ID, so an auditor finds
 * every checkpoint with journalctl and a log server keeps a copy); syslog
 * where there is no journal. Either is out of reach of whoever can only
 * write the database. */
static void
log_checkpoint (const Checkpoint *checkpoint)
{
  g_autofree char *message = NULL;
  g_autofree char *events = g_strdup_printf ("%" G_GINT64_FORMAT, checkpoint->events);
  g_autofree char *head_id = g_strdup_printf ("%" G_GINT64_FORMAT, checkpoint->head_id);
  GLogField fields[] = {
    { "MESSAGE", NULL, -1 },
    { "MESSAGE_ID", RCRP_CHECKPOINT_MESSAGE_ID, -1 },
    { "PRIORITY", "6", -1 },
    { "SYSLOG_IDENTIFIER", "rcrp", -1 },
    { "GLIB_DOMAIN", "rcrp", -1 },
    { "RCRP_DATABASE", checkpoint->database, -1 },
    { "RCRP_FIRST_HASH", checkpoint->first_hash, -1 },
    { "RCRP_EVENTS", events, -1 },
    { "RCRP_HEAD_ID", head_id, -1 },
    { "RCRP_HEAD_HASH", checkpoint->head_hash, -1 },
    { "RCRP_REASON", checkpoint->reason, -1 },
  };
  g_autofree char *safe_database = rcrp_text_escape_controls (checkpoint->database, -1, 0);

  message = g_strdup_printf ("rcrp audit checkpoint (%s): %s holds %" G_GINT64_FORMAT " events, head %"
                             G_GINT64_FORMAT " %s",
                             checkpoint->reason, safe_database, checkpoint->events, checkpoint->head_id,
                             checkpoint->head_hash);
  fields[0].value = message;

  if (g_log_writer_journald (G_LOG_LEVEL_INFO, fields, G_N_ELEMENTS (fields), NULL) != G_LOG_WRITER_HANDLED)
    {
      openlog ("rcrp", LOG_PID, LOG_AUTHPRIV);
      syslog (LOG_AUTHPRIV | LOG_INFO, "%s", message);
      closelog ();
    }
}

static char *
trail_file_for (const char *trail_dir,
                const char *database)
{
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, database, -1);
  g_autofree char *name = g_strdup_printf ("%.16s.checkpoints", digest);

  return g_build_filename (trail_dir, name, NULL);
}

/* Appends @line and a newline in one write, so two workstations sharing
 * a trail never interleave. */
static gboolean
append_line (const char  *path,
             const char  *line,
             GError     **error)
{
  g_autofree char *text = g_strconcat (line, "\n", NULL);
  gsize length = strlen (text);
  gssize written;
  int fd;

  fd = open (path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0640);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, RCRP_CHECKPOINT_ERROR, RCRP_CHECKPOINT_ERROR_TRAIL,
                   _("Cannot open the checkpoint trail %s: %s"), path, g_strerror (saved));
      return FALSE;
    }

  do
    written = write (fd, text, length);
  while (written < 0 && errno == EINTR);

  if (written != (gssize) length || fsync (fd) != 0)
    {
      int saved = written < 0 ? errno : EIO;

      close (fd);
      g_set_error (error, RCRP_CHECKPOINT_ERROR, RCRP_CHECKPOINT_ERROR_TRAIL,
                   saved == ENOSPC ? _("Disk full: cannot add to the checkpoint trail %s")
                                   : _("Cannot add to the checkpoint trail %s: %s"),
                   path, g_strerror (saved));
      return FALSE;
    }

  close (fd);

  return TRUE;
}

static gboolean
split_identity (RcrpStore   *store,
                char       **database,
                char       **first_hash,
                GError     **error)
{
  g_autofree char *identity = rcrp_store_dup_log_identity (store, error);
  char *hash;

  if (identity == NULL)
    return FALSE;

  hash = strrchr (identity, '#');
  *first_hash = g_strdup (hash != NULL ? hash + 1 : "");
  if (hash != NULL)
    *hash = '\0';
  *database = g_steal_pointer (&identity);

  return TRUE;
}

gboolean
rcrp_checkpoint_record (RcrpStore   *store,
                        const char  *reason,
                        const char  *private_key,
                        const char  *trail_dir,
                        char       **trail_file,
                        GError     **error)
{
  g_auto(Checkpoint) checkpoint = { NULL, };
  g_autofree char *default_key = NULL;
  g_autofree char *default_trail = NULL;
  g_autofree char *text = NULL;
  g_autofree char *line = NULL;
  g_autofree char *path = NULL;
  g_autoptr(RcrpPrivateKey) key = NULL;
  g_autoptr(RcrpPublicKey) pub = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) key_error = NULL;
  gnutls_datum_t data, signature = { NULL, 0 };
  int rc;

  g_return_val_if_fail (RCRP_IS_STORE (store), FALSE);
  g_return_val_if_fail (reason != NULL, FALSE);

  if (private_key == NULL)
    private_key = default_key = rcrp_checkpoint_dup_default_key ();
  if (trail_dir == NULL)
    trail_dir = default_trail = rcrp_checkpoint_dup_default_trail ();

  if (!split_identity (store, &checkpoint.database, &checkpoint.first_hash, error))
    return FALSE;

  checkpoint.head_id = rcrp_store_get_last_event_id (store, error);
  if (checkpoint.head_id < 0)
    return FALSE;
  /* Ids run from 1 without gaps on an intact chain. */
  checkpoint.events = checkpoint.head_id;
  if (checkpoint.head_id > 0)
    {
      checkpoint.head_hash = rcrp_store_dup_event_hash (store, checkpoint.head_id, error);
      if (checkpoint.head_hash == NULL)
        return FALSE;
    }
  else
    checkpoint.head_hash = g_strdup ("");
  checkpoint.at = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  checkpoint.reason = g_strdup (reason);
  checkpoint.operator_name = rcrp_context_dup_os_user ();

  log_checkpoint (&checkpoint);

  key = _rcrp_checkpoint_load_private_key (private_key, error);
  if (key == NULL)
    return FALSE;

  if ((rc = gnutls_pubkey_init (&pub)) < 0 || (rc = gnutls_pubkey_import_privkey (pub, key, 0, 0)) < 0)
    return key_failed (rc, private_key, error);
  checkpoint.key_id = _rcrp_checkpoint_fingerprint (pub);

  text = signed_text (&checkpoint);
  data.data = (unsigned char *) text;
  data.size = strlen (text);
  if ((rc = gnutls_privkey_sign_data2 (key, GNUTLS_SIGN_EDDSA_ED25519, 0, &data, &signature)) < 0)
    return key_failed (rc, private_key, error);
  checkpoint.signature = g_base64_encode (signature.data, signature.size);
  gnutls_free (signature.data);

  line = checkpoint_to_line (&checkpoint);
  path = trail_file_for (trail_dir, checkpoint.database);
  if (g_mkdir_with_parents (trail_dir, 0750) != 0)
    {
      int saved = errno;

      g_set_error (error, RCRP_CHECKPOINT_ERROR, RCRP_CHECKPOINT_ERROR_TRAIL,
                   _("Cannot make the checkpoint trail folder %s: %s"), trail_dir, g_strerror (saved));
      return FALSE;
    }
  if (!append_line (path, line, error))
    return FALSE;

  if (trail_file != NULL)
    *trail_file = g_steal_pointer (&path);

  return TRUE;
}

static gboolean
trail_broken (gint64      *broken_event_id,
              gint64       event_id,
              GError     **error,
              const char  *format,
              ...) G_GNUC_PRINTF (4, 5);

static gboolean
trail_broken (gint64      *broken_event_id,
              gint64       event_id,
              GError     **error,
              const char  *format,
              ...)
{
  va_list args;

  *broken_event_id = event_id;
  va_start (args, format);
  g_set_error_literal (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_TAMPERED, "");
  if (error != NULL && *error != NULL)
    {
      g_free ((*error)->message);
      (*error)->message = g_strdup_vprintf (format, args);
    }
  va_end (args);

  return FALSE;
}

/* Checks one trail line: its signature, then the log against it. */
static gboolean
check_line (RcrpStore       *store,
            gnutls_pubkey_t  key,
            const char      *key_id,
            const char      *database,
            const char      *file,
            guint            line_number,
            const char      *line,
            gboolean         all_of_this_log,
            guint           *n_checked,
            gint64          *last_good,
            gint64          *broken_event_id,
            GError         **error)
{
  g_auto(Checkpoint) checkpoint = { NULL, };
  g_autofree char *text = NULL;
  g_autofree guchar *signature = NULL;
  g_autofree char *hash = NULL;
  g_autoptr(GError) local_error = NULL;
  gnutls_datum_t data, signature_datum;
  gsize signature_size = 0;

  if (*line == '\0')
    return TRUE;

  if (!checkpoint_from_line (line, &checkpoint))
    return trail_broken (broken_event_id, 0, error,
                         _("Line %u of the checkpoint trail %s is not a checkpoint: the trail was edited."),
                         line_number, file);

  if (!all_of_this_log && !g_str_equal (checkpoint.database, database))
    return TRUE;

  text = signed_text (&checkpoint);
  signature = g_base64_decode (checkpoint.signature, &signature_size);
  data.data = (unsigned char *) text;
  data.size = strlen (text);
  signature_datum.data = signature;
  signature_datum.size = signature_size;
  if (!g_str_equal (checkpoint.key_id, key_id) ||
      gnutls_pubkey_verify_data2 (key, GNUTLS_SIGN_EDDSA_ED25519, 0, &data, &signature_datum) < 0)
    return trail_broken (broken_event_id, 0, error,
                         g_str_equal (checkpoint.key_id, key_id)
                         ? _("The checkpoint on line %u of %s (%s) does not carry a good signature: the trail was "
                             "edited or the checkpoint forged.")
                         : _("The checkpoint on line %u of %s (%s) is signed by another key (%.16s…), not the "
                             "public key given: check it with that workstation's key, or it was forged."),
                         line_number, file, checkpoint.at, checkpoint.key_id);

  (*n_checked)++;

  if (checkpoint.head_id <= 0)
    return TRUE;

  hash = rcrp_store_dup_event_hash (store, checkpoint.head_id, &local_error);
  if (hash == NULL && !g_error_matches (local_error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (hash == NULL)
    return trail_broken (broken_event_id, checkpoint.head_id, error,
                         _("The audit log no longer holds event %" G_GINT64_FORMAT ", the head of %" G_GINT64_FORMAT
                           " events checkpointed at %s (%s, line %u of %s): the log was cut short or replaced "
                           "by an older copy."),
                         checkpoint.head_id, checkpoint.events, checkpoint.at, checkpoint.reason, line_number, file);
  if (!g_str_equal (hash, checkpoint.head_hash))
    {
      /* Each hash covers all before it: the change lies after the newest
       * head that still matched. */
      g_autofree char *since = *last_good > 0 && *last_good < checkpoint.head_id
        ? g_strdup_printf (_("the change lies after event %" G_GINT64_FORMAT ", still as checkpointed"), *last_good)
        : g_strdup (_("no earlier checkpoint narrows where"));

      return trail_broken (broken_event_id, checkpoint.head_id, error,
                           _("The audit chain is broken at event %" G_GINT64_FORMAT ": it is not the event "
                             "checkpointed at %s (%s, line %u of %s), so the log was rewritten up to there (%s)."),
                           checkpoint.head_id, checkpoint.at, checkpoint.reason, line_number, file, since);
    }

  *last_good = MAX (*last_good, checkpoint.head_id);

  return TRUE;
}

static gboolean
check_file (RcrpStore        *store,
            gnutls_pubkey_t   key,
            const char       *key_id,
            const char       *database,
            const char       *file,
            gboolean          all_of_this_log,
            guint            *n_checked,
            gint64           *last_good,
            gint64           *broken_event_id,
            GError          **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  const char *data;

  bytes = rcrp_read_regular_file (file, NULL, 256 * 1024 * 1024, RCRP_READ_FILE_DEFAULT, &local_error);
  if (bytes == NULL)
    {
      g_set_error (error, RCRP_CHECKPOINT_ERROR, RCRP_CHECKPOINT_ERROR_TRAIL,
                   _("Cannot read the checkpoint trail %s: %s"), file, local_error->message);
      return FALSE;
    }
  data = g_bytes_get_data (bytes, &length);
  if (length > 0 && memchr (data, '\0', length) != NULL)
    return trail_broken (broken_event_id, 0, error, _("The checkpoint trail %s holds binary data: it was edited."),
                         file);
  contents = g_strndup (data != NULL ? data : "", length);

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (strlen (lines[i]) > MAX_LINE)
        return trail_broken (broken_event_id, 0, error,
                             _("Line %u of the checkpoint trail %s is not a checkpoint: the trail was edited."),
                             i + 1, file);
      if (!check_line (store, key, key_id, database, file, i + 1, lines[i], all_of_this_log,
                       n_checked, last_good, broken_event_id, error))
        return FALSE;
    }

  return TRUE;
}

gboolean
rcrp_checkpoint_verify_trail (RcrpStore   *store,
                              const char  *trail,
                              const char  *public_key,
                              guint       *n_checked,
                              gint64      *broken_event_id,
                              GError     **error)
{
  g_autofree char *default_trail = NULL;
  g_autofree char *default_public = NULL;
  g_autofree char *database = NULL;
  g_autofree char *first_hash = NULL;
  g_autofree char *key_id = NULL;
  g_autoptr(RcrpPublicKey) key = NULL;
  guint ignored_count;
  gint64 ignored_id;
  gint64 last_good = 0;

  g_return_val_if_fail (RCRP_IS_STORE (store), FALSE);

  if (n_checked == NULL)
    n_checked = &ignored_count;
  if (broken_event_id == NULL)
    broken_event_id = &ignored_id;
  *n_checked = 0;
  *broken_event_id = 0;

  if (trail == NULL)
    trail = default_trail = rcrp_checkpoint_dup_default_trail ();
  if (public_key == NULL)
    {
      g_autofree char *private_key = rcrp_checkpoint_dup_default_key ();

      public_key = default_public = g_strconcat (private_key, ".pub", NULL);
    }

  key = _rcrp_checkpoint_load_public_key (public_key, error);
  if (key == NULL)
    return FALSE;
  key_id = _rcrp_checkpoint_fingerprint (key);

  if (!split_identity (store, &database, &first_hash, error))
    return FALSE;

  if (g_file_test (trail, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (trail, 0, error);
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *name;

      if (dir == NULL)
        return FALSE;
      while ((name = g_dir_read_name (dir)) != NULL)
        if (g_str_has_suffix (name, ".checkpoints"))
          g_ptr_array_add (names, g_build_filename (trail, name, NULL));
      g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);

      for (guint i = 0; i < names->len; i++)
        if (!check_file (store, key, key_id, database, g_ptr_array_index (names, i), FALSE,
                         n_checked, &last_good, broken_event_id, error))
          return FALSE;
    }
  else if (!check_file (store, key, key_id, database, trail, TRUE, n_checked, &last_good, broken_event_id, error))
    {
      return FALSE;
    }

  if (*n_checked == 0)
    {
      g_set_error (error, RCRP_CHECKPOINT_ERROR, RCRP_CHECKPOINT_ERROR_NONE,
                   _("%s holds no checkpoint of %s signed with %s: nothing to check the log against."),
                   trail, database, public_key);
      return FALSE;
    }

  return TRUE;
}

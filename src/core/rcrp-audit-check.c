/* rcrp-audit-check.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "rcrp-audit-check.h"
#include "rcrp-audit-state.h"

/* What a workstation keeps, per log, of how far it has checked the chain:
 *
 *   STATE/rcrp/audit-key                          32 random bytes, 0600
 *   STATE/rcrp/audit-checkpoints/ID.checkpoint    a key file, 0600
 *
 * ID is a hash of the log's identity (its path and first event). The
 * checkpoint names the log, an event and that event's hash, when the last
 * full walk was, and an HMAC-SHA256 of all that under the key, so an edit
 * by anyone who does not hold the key is seen. It is not in the shared
 * database: whoever can edit the log could edit it there too.
 */

#define KEY_LENGTH 32
#define MAC_LABEL "rcrp-audit-checkpoint/1"
#define GROUP "Checkpoint"

typedef struct
{
  char   *log;
  gint64  event_id;
  char   *hash;
  gint64  full_check;  /* Unix time */
} Checkpoint;

static void
checkpoint_clear (Checkpoint *checkpoint)
{
  g_clear_pointer (&checkpoint->log, g_free);
  g_clear_pointer (&checkpoint->hash, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Checkpoint, checkpoint_clear)

static gboolean
ensure_private_folder (const char  *path,
                       GError     **error)
{
  if (g_mkdir_with_parents (path, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot make the folder %s for the audit checkpoint: %s"),
                   path, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

/* Writes @length bytes to @path, mode 0600, whole or not at all, without
 * replacing anything there unless @replace.
 */
static gboolean
write_private_file (const char    *path,
                    const guint8  *data,
                    gsize          length,
                    gboolean       replace,
                    GError       **error)
{
  g_autofree char *temporary = g_strconcat (path, ".XXXXXX", NULL);
  int saved_errno;
  int fd;

  fd = g_mkstemp_full (temporary, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    goto failed;

  for (gsize written = 0; written < length;)
    {
      ssize_t n = write (fd, data + written, length - written);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        goto failed_open;
      written += (gsize) n;
    }
  if (fsync (fd) != 0)
    goto failed_open;
  if (close (fd) != 0)
    {
      fd = -1;
      goto failed_open;
    }
  fd = -1;

  /* A hard link fails if @path exists: two processes making the key at
   * once end up with one key. */
  if (replace ? rename (temporary, path) == 0 : link (temporary, path) == 0)
    {
      if (!replace)
        g_unlink (temporary);
      return TRUE;
    }

failed_open:
  saved_errno = errno;
  if (fd >= 0)
    close (fd);
  g_unlink (temporary);
  errno = saved_errno;
failed:
  saved_errno = errno;
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _("Cannot write %s: %s"), path, g_strerror (saved_errno));
  return FALSE;
}

/* Reads this workstation's key, making it the first time. A key that
 * others could read (or that is not this user's) is no secret: it is
 * replaced, with a warning, so checkpoints made under it are refused.
 */
static gboolean
load_key (const char  *folder,
          guint8       key[KEY_LENGTH],
          GError     **error)
{
  g_autofree char *path = g_build_filename (folder, "audit-key", NULL);

  for (guint attempt = 0; attempt < 2; attempt++)
    {
      g_autofree char *contents = NULL;
      gsize length = 0;
      GStatBuf st;

      if (g_lstat (path, &st) == 0)
        {
          gboolean private = S_ISREG (st.st_mode) && st.st_uid == getuid () &&
                             (st.st_mode & 077) == 0 && st.st_size == KEY_LENGTH;

          if (private && g_file_get_contents (path, &contents, &length, NULL) && length == KEY_LENGTH)
            {
              memcpy (key, contents, KEY_LENGTH);
              return TRUE;
            }

          /* Checkpoints made under it are refused from now on, and say so. */
          if (getrandom (key, KEY_LENGTH, 0) != KEY_LENGTH)
            break;
          return write_private_file (path, key, KEY_LENGTH, TRUE, error);
        }

      if (errno != ENOENT)
        break;

      if (getrandom (key, KEY_LENGTH, 0) != KEY_LENGTH)
        break;
      if (write_private_file (path, key, KEY_LENGTH, FALSE, NULL))
        return TRUE;
      /* Another process made one meanwhile: use that. */
    }

  {
    int saved_errno = errno;

    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                 _("Cannot read or make the audit checkpoint key %s: %s"), path, g_strerror (saved_errno));
  }
  return FALSE;
}

static void
hmac_add_field (GHmac      *hmac,
                const char *value)
{
  g_autofree char *length = g_strdup_printf ("%zu:", strlen (value));

  /* Length-prefixed, so no two different checkpoints give the same text. */
  g_hmac_update (hmac, (const guchar *) length, -1);
  g_hmac_update (hmac, (const guchar *) value, -1);
}

static char *
checkpoint_mac (const guint8      key[KEY_LENGTH],
                const Checkpoint *checkpoint)
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, key, KEY_LENGTH);
  char number[32];

  hmac_add_field (hmac, MAC_LABEL);
  hmac_add_field (hmac, checkpoint->log);
  g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, checkpoint->event_id);
  hmac_add_field (hmac, number);
  hmac_add_field (hmac, checkpoint->hash);
  g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, checkpoint->full_check);
  hmac_add_field (hmac, number);

  return g_strdup (g_hmac_get_string (hmac));
}

/* Compares in time that does not depend on where they differ. */
static gboolean
same_mac (const char *a,
          const char *b)
{
  gsize length = strlen (a);
  guint8 difference = 0;

  if (strlen (b) != length)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    difference |= (guint8) (a[i] ^ b[i]);

  return difference == 0;
}

static char *
checkpoint_path (const char *folder,
                 const char *log)
{
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, log, -1);
  g_autofree char *name = g_strdup_printf ("%.32s.checkpoint", digest);

  return g_build_filename (folder, "audit-checkpoints", name, NULL);
}

typedef enum
{
  LOADED_NONE,
  LOADED_GOOD,
  LOADED_REFUSED,
} Loaded;

static Loaded
load_checkpoint (const char  *path,
                 const guint8 key[KEY_LENGTH],
                 const char  *log,
                 Checkpoint  *checkpoint,
                 char       **why)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *mac = NULL;
  g_autofree char *expected = NULL;

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &error))
    {
      if (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return LOADED_NONE;
      *why = g_strdup (error->message);
      return LOADED_REFUSED;
    }

  checkpoint->log = g_key_file_get_string (file, GROUP, "Log", NULL);
  checkpoint->event_id = g_key_file_get_int64 (file, GROUP, "Event", NULL);
  checkpoint->hash = g_key_file_get_string (file, GROUP, "Hash", NULL);
  checkpoint->full_check = g_key_file_get_int64 (file, GROUP, "FullCheck", NULL);
  mac = g_key_file_get_string (file, GROUP, "MAC", NULL);

  if (checkpoint->log == NULL || checkpoint->hash == NULL || mac == NULL || checkpoint->event_id <= 0)
    {
      *why = g_strdup (_("it is incomplete"));
      return LOADED_REFUSED;
    }

  expected = checkpoint_mac (key, checkpoint);
  if (!same_mac (mac, expected))
    {
      *why = g_strdup (_("its authentication code does not match"));
      return LOADED_REFUSED;
    }

  /* Authentic, but for another log (a database replaced at this path, or
   * a name clash): nothing to start from. */
  if (g_strcmp0 (checkpoint->log, log) != 0)
    return LOADED_NONE;

  return LOADED_GOOD;
}

static gboolean
save_checkpoint (const char        *path,
                 const guint8       key[KEY_LENGTH],
                 const Checkpoint  *checkpoint,
                 GError           **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *mac = checkpoint_mac (key, checkpoint);
  g_autofree char *data = NULL;
  gsize length;

  if (!ensure_private_folder (folder, error))
    return FALSE;

  g_key_file_set_comment (file, NULL, NULL,
                          " How far this workstation has checked the audit chain of one log.\n"
                          " Authenticated: an edited copy is refused and the whole log is checked.",
                          NULL);
  g_key_file_set_string (file, GROUP, "Log", checkpoint->log);
  g_key_file_set_int64 (file, GROUP, "Event", checkpoint->event_id);
  g_key_file_set_string (file, GROUP, "Hash", checkpoint->hash);
  g_key_file_set_int64 (file, GROUP, "FullCheck", checkpoint->full_check);
  g_key_file_set_string (file, GROUP, "MAC", mac);
  data = g_key_file_to_data (file, &length, NULL);

  return write_private_file (path, (const guint8 *) data, length, TRUE, error);
}

void
rcrp_audit_report_clear (RcrpAuditReport *report)
{
  g_clear_pointer (&report->warning, g_free);
  g_clear_pointer (&report->broken_row, g_free);
}

gboolean
rcrp_audit_check (RcrpStore           *store,
                  RcrpAuditCheckDepth  depth,
                  const char          *state_dir,
                  RcrpProgressFunc     progress,
                  gpointer             progress_data,
                  GCancellable        *cancellable,
                  RcrpAuditReport     *report,
                  GError             **error)
{
  g_auto(Checkpoint) checkpoint = { NULL, };
  g_autoptr(GError) local_error = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *log = NULL;
  g_autofree char *path = NULL;
  g_autofree char *why = NULL;
  g_autofree char *head_hash = NULL;
  guint8 key[KEY_LENGTH];
  gboolean have_key;
  Loaded loaded = LOADED_NONE;
  gint64 head_id = 0;

  g_return_val_if_fail (RCRP_IS_STORE (store), FALSE);
  g_return_val_if_fail (report != NULL, FALSE);

  /* Zeroed by the caller or filled by an earlier check. */
  rcrp_audit_report_clear (report);
  memset (report, 0, sizeof *report);

  log = rcrp_store_dup_log_identity (store, error);
  if (log == NULL)
    return FALSE;

  folder = g_build_filename (state_dir != NULL ? state_dir : g_get_user_state_dir (), "rcrp", NULL);
  path = checkpoint_path (folder, log);

  /* Without a key nothing can be trusted or kept: the whole walk, every
   * time, as before there were checkpoints. */
  have_key = ensure_private_folder (folder, &local_error) && load_key (folder, key, &local_error);
  if (!have_key)
    report->warning = g_strdup_printf (_("%s; checking the whole log"), local_error->message);
  else
    loaded = load_checkpoint (path, key, log, &checkpoint, &why);

  if (loaded == LOADED_REFUSED)
    report->warning = g_strdup_printf (_("The audit checkpoint %s is not as this workstation wrote it (%s); "
                                         "checking the whole log instead"),
                                       path, why);

  if (loaded == LOADED_GOOD)
    {
      report->from = RCRP_AUDIT_FROM_CHECKPOINT;
      report->from_event_id = checkpoint.event_id;
      report->last_full_check = checkpoint.full_check;

      /* From the checkpoint: all of a quick check, the first part of a
       * full one (which the walk from the first event cannot do: a chain
       * rewritten consistently walks clean). */
      if (!rcrp_store_verify_from (store, checkpoint.event_id, checkpoint.hash,
                                   depth == RCRP_AUDIT_CHECK_QUICK ? progress : NULL, progress_data,
                                   cancellable, &report->n_events, &head_id, &head_hash,
                                   &report->broken_event_id, error))
        return FALSE;
    }

  if (loaded != LOADED_GOOD || depth == RCRP_AUDIT_CHECK_FULL)
    {
      g_clear_pointer (&head_hash, g_free);
      report->from = loaded == LOADED_REFUSED ? RCRP_AUDIT_CHECKPOINT_REFUSED : RCRP_AUDIT_FROM_FIRST_EVENT;
      report->from_event_id = 0;
      if (!rcrp_store_verify_from (store, 0, NULL, progress, progress_data, cancellable,
                                   &report->n_events, &head_id, &head_hash,
                                   &report->broken_event_id, error))
        return FALSE;
      report->last_full_check = g_get_real_time () / G_USEC_PER_SEC;
    }

  report->head_event_id = head_id;

  if (have_key && head_id > 0)
    {
      Checkpoint next = { log, head_id, head_hash, report->last_full_check };

      if (!save_checkpoint (path, key, &next, &local_error) && report->warning == NULL)
        report->warning = g_strdup_printf (_("%s; the next check of the log starts further back"),
                                           local_error->message);
    }

  /* The chain holds; do the rows that the queue, the roles and the
   * summaries read still follow from it? */
  if (depth == RCRP_AUDIT_CHECK_FULL &&
      !rcrp_audit_state_check (store, cancellable, &report->n_rows, &report->broken_row, error))
    return FALSE;

  return TRUE;
}

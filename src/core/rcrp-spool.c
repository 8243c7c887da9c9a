/* rcrp-spool.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "rcrp-feed.h"
#include "rcrp-spool.h"

/* A claim left by a workstation we cannot ask about (another host) is
 * taken over after this long; one on this host as soon as its process is
 * gone.
 */
#define STALE_CLAIM_SECONDS (10 * 60)

/* Monitors can miss events (some file systems, a burst during start-up),
 * so the folder is also looked at on this period.
 */
#define RESCAN_INTERVAL_SECONDS 5

#define CLAIMED_FOLDER   ".claimed"
#define PROCESSED_FOLDER "processed"
#define REJECTED_FOLDER  "rejected"

struct _RcrpSpool
{
  GObject       parent_instance;

  RcrpStore    *store;
  GFile        *folder;
  char         *path;
  char         *host;

  GFileMonitor *monitor;
  guint         rescan_source;
  gboolean      scanning;
  gboolean      rescan_pending;
  gboolean      running;
};

G_DEFINE_FINAL_TYPE (RcrpSpool, rcrp_spool, G_TYPE_OBJECT)

G_DEFINE_QUARK (rcrp-spool-error-quark, rcrp_spool_error)

enum {
  FILE_PROCESSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  char     *name;
  gboolean  accepted;
  char     *message;
} Outcome;

static void
outcome_free (gpointer data)
{
  Outcome *outcome = data;

  g_free (outcome->name);
  g_free (outcome->message);
  g_free (outcome);
}

static void
rcrp_spool_dispose (GObject *object)
{
  RcrpSpool *self = RCRP_SPOOL (object);

  rcrp_spool_stop (self);

  G_OBJECT_CLASS (rcrp_spool_parent_class)->dispose (object);
}

static void
rcrp_spool_finalize (GObject *object)
{
  RcrpSpool *self = RCRP_SPOOL (object);

  g_clear_object (&self->store);
  g_clear_object (&self->folder);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->host, g_free);

  G_OBJECT_CLASS (rcrp_spool_parent_class)->finalize (object);
}

static void
rcrp_spool_class_init (RcrpSpoolClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rcrp_spool_dispose;
  object_class->finalize = rcrp_spool_finalize;

  /**
   * RcrpSpool::file-processed:
   * @name: the file's name in the spool folder
   * @accepted: whether its calls were stored
   * @message: what was stored, or why it was refused
   */
  signals[FILE_PROCESSED] =
    g_signal_new ("file-processed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3,
                  G_TYPE_STRING, G_TYPE_BOOLEAN, G_TYPE_STRING);
}

static void
rcrp_spool_init (RcrpSpool *self)
{
  char *host;

  /* The claim names use "~" as a separator, which no host name holds. */
  host = g_strdup (g_get_host_name ());
  g_strdelimit (host, "~/", '_');
  self->host = host;
}

RcrpSpool *
rcrp_spool_new (RcrpStore *store,
                GFile     *folder)
{
  RcrpSpool *self;

  g_return_val_if_fail (RCRP_IS_STORE (store), NULL);
  g_return_val_if_fail (G_IS_FILE (folder), NULL);

  self = g_object_new (RCRP_TYPE_SPOOL, NULL);
  self->store = g_object_ref (store);
  self->folder = g_object_ref (folder);
  self->path = g_file_get_path (folder);

  return self;
}

GFile *
rcrp_spool_get_folder (RcrpSpool *self)
{
  g_return_val_if_fail (RCRP_IS_SPOOL (self), NULL);

  return self->folder;
}

static gboolean
ensure_folder (const char  *path,
               GError     **error)
{
  if (g_mkdir_with_parents (path, 0750) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, RCRP_SPOOL_ERROR, RCRP_SPOOL_ERROR_FOLDER,
                   _("Cannot use the spool folder %s: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

/* Renames without ever replacing what is at @to. */
static int
rename_no_replace (const char *from,
                   const char *to)
{
#ifdef RENAME_NOREPLACE
  if (renameat2 (AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
    return 0;
  if (errno != EINVAL && errno != ENOSYS)
    return -1;
#endif

  /* A hard link fails if the target exists, which is what we want. */
  if (link (from, to) != 0)
    return -1;

  return unlink (from);
}

/* Moves @from into @folder under @name, or name.1.json, name.2.json … if
 * taken. Returns the name used.
 */
static char *
move_into (const char  *from,
           const char  *folder,
           const char  *name,
           GError     **error)
{
  g_autofree char *stem = g_str_has_suffix (name, ".json")
                          ? g_strndup (name, strlen (name) - strlen (".json"))
                          : g_strdup (name);

  for (guint i = 0; i < 10000; i++)
    {
      g_autofree char *candidate = i == 0 ? g_strdup (name)
                                          : g_strdup_printf ("%s.%u.json", stem, i);
      g_autofree char *to = g_build_filename (folder, candidate, NULL);
      g_autofree char *error_name = g_strdup_printf ("%s.error.txt", candidate);
      g_autofree char *error_path = g_build_filename (folder, error_name, NULL);

      /* A name whose error file already exists is taken too, so a refused
       * file never gets someone else's explanation. */
      if (g_file_test (error_path, G_FILE_TEST_EXISTS))
        continue;

      if (rename_no_replace (from, to) == 0)
        return g_steal_pointer (&candidate);

      if (errno != EEXIST)
        {
          int saved_errno = errno;

          g_set_error (error, RCRP_SPOOL_ERROR, RCRP_SPOOL_ERROR_FOLDER,
                       _("Cannot move %s to %s: %s"), name, folder, g_strerror (saved_errno));
          return NULL;
        }
    }

  g_set_error (error, RCRP_SPOOL_ERROR, RCRP_SPOOL_ERROR_FOLDER,
               _("Cannot find a free name for %s in %s"), name, folder);
  return NULL;
}

static gboolean
write_error_file (const char  *folder,
                  const char  *name,
                  const char  *message,
                  GError     **error)
{
  g_autofree char *error_name = g_strdup_printf ("%s.error.txt", name);
  g_autofree char *path = g_build_filename (folder, error_name, NULL);
  g_autofree char *text = g_strdup_printf ("%s\n", message);

  return g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0640, error);
}

/* Splits a claim name NAME~HOST~PID~RANDOM. */
static gboolean
parse_claim (const char  *claim,
             char       **name,
             char       **host,
             GPid        *pid)
{
  g_autofree char *copy = g_strdup (claim);
  char *sep[3];
  char *end;
  gint64 value;

  for (int i = 2; i >= 0; i--)
    {
      sep[i] = strrchr (copy, '~');
      if (sep[i] == NULL)
        return FALSE;
      *sep[i] = '\0';
    }

  value = g_ascii_strtoll (sep[1] + 1, &end, 10);
  if (*end != '\0' || value <= 0 || value > G_MAXINT)
    return FALSE;

  *name = g_strdup (copy);
  *host = g_strdup (sep[0] + 1);
  *pid = (GPid) value;

  return TRUE;
}

static char *
new_claim_name (RcrpSpool  *self,
                const char *name)
{
  return g_strdup_printf ("%s~%s~%d~%08x", name, self->host, (int) getpid (), g_random_int ());
}

static gboolean
claim_is_stale (RcrpSpool  *self,
                const char *host,
                GPid        pid,
                const char *claimed_path)
{
  GStatBuf st;

  if (g_str_equal (host, self->host))
    {
      if (pid == getpid ())
        return FALSE;

      return kill (pid, 0) != 0 && errno == ESRCH;
    }

  /* rename() sets the change time, so it tells when the claim was made. */
  if (g_stat (claimed_path, &st) != 0)
    return FALSE;

  return (time (NULL) - st.st_ctime) > STALE_CLAIM_SECONDS;
}

static void
report (RcrpSpool  *self,
        GPtrArray  *outcomes,
        const char *name,
        gboolean    accepted,
        const char *message)
{
  if (outcomes != NULL)
    {
      Outcome *outcome = g_new0 (Outcome, 1);

      outcome->name = g_strdup (name);
      outcome->accepted = accepted;
      outcome->message = g_strdup (message);
      g_ptr_array_add (outcomes, outcome);
    }
  else
    {
      g_signal_emit (self, signals[FILE_PROCESSED], 0, name, accepted, message);
    }
}

/* Processes one claimed file. Returns FALSE only for a fault that is not
 * the file's (the store or the folder), in which case it is put back.
 */
static gboolean
process_claimed (RcrpSpool   *self,
                 const char  *claimed_path,
                 const char  *name,
                 GPtrArray   *outcomes,
                 GError     **error)
{
  g_autofree char *processed = g_build_filename (self->path, PROCESSED_FOLDER, NULL);
  g_autofree char *rejected = g_build_filename (self->path, REJECTED_FOLDER, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (claimed_path);
  g_autoptr(GBytes) document = NULL;
  g_autoptr(GPtrArray) calls = NULL;
  g_autoptr(GError) feed_error = NULL;
  g_autoptr(GError) store_error = NULL;
  g_autofree char *final_name = NULL;
  g_autofree char *summary = NULL;
  RcrpIngestResult result = { 0, };

  calls = rcrp_feed_parse_file (file, name, &document, &feed_error);

  if (calls == NULL && !g_error_matches (feed_error, RCRP_FEED_ERROR, RCRP_FEED_ERROR_IO))
    {
      final_name = move_into (claimed_path, rejected, name, error);
      if (final_name == NULL)
        return FALSE;

      if (!write_error_file (rejected, final_name, feed_error->message, error))
        return FALSE;

      report (self, outcomes, name, FALSE, feed_error->message);
      return TRUE;
    }

  if (calls == NULL ||
      !rcrp_store_ingest (self->store, name, document, calls, &result, &store_error))
    {
      g_autofree char *back = g_build_filename (self->path, name, NULL);
      GError *cause = calls == NULL ? feed_error : store_error;

      /* Not the file's fault: put it back for a later try. */
      if (rename_no_replace (claimed_path, back) != 0)
        g_warning ("Cannot return %s to the spool: %s", name, g_strerror (errno));

      g_propagate_prefixed_error (error, g_error_copy (cause), "%s: ", name);
      return FALSE;
    }

  final_name = move_into (claimed_path, processed, name, error);
  if (final_name == NULL)
    return FALSE;

  summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%u call: %u new, %u updated, %u unchanged",
                                          "%u calls: %u new, %u updated, %u unchanged",
                                          calls->len),
                             calls->len, result.added, result.updated, result.unchanged);
  report (self, outcomes, name, TRUE, summary);

  return TRUE;
}

static gboolean
recover_stale_claims (RcrpSpool  *self,
                      const char *claimed_folder,
                      guint      *n_processed,
                      GPtrArray  *outcomes,
                      GError    **error)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_free);
  const char *entry;

  dir = g_dir_open (claimed_folder, 0, NULL);
  if (dir == NULL)
    return TRUE;

  while ((entry = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (entries, g_strdup (entry));

  for (guint i = 0; i < entries->len; i++)
    {
      const char *claim = g_ptr_array_index (entries, i);
      g_autofree char *name = NULL;
      g_autofree char *host = NULL;
      g_autofree char *claimed_path = g_build_filename (claimed_folder, claim, NULL);
      g_autofree char *retaken = NULL;
      g_autofree char *retaken_path = NULL;
      GPid pid;

      if (!parse_claim (claim, &name, &host, &pid))
        continue;

      if (!claim_is_stale (self, host, pid, claimed_path))
        continue;

      /* Take it over by renaming the claim: of several workstations doing
       * the same, one wins and the rest see ENOENT. */
      retaken = new_claim_name (self, name);
      retaken_path = g_build_filename (claimed_folder, retaken, NULL);
      if (g_rename (claimed_path, retaken_path) != 0)
        continue;

      if (!process_claimed (self, retaken_path, name, outcomes, error))
        return FALSE;

      (*n_processed)++;
    }

  return TRUE;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
scan (RcrpSpool  *self,
      guint      *n_processed,
      GPtrArray  *outcomes,
      GError    **error)
{
  g_autofree char *claimed_folder = g_build_filename (self->path, CLAIMED_FOLDER, NULL);
  g_autofree char *processed = g_build_filename (self->path, PROCESSED_FOLDER, NULL);
  g_autofree char *rejected = g_build_filename (self->path, REJECTED_FOLDER, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *entry;

  *n_processed = 0;

  if (self->path == NULL)
    {
      g_set_error (error, RCRP_SPOOL_ERROR, RCRP_SPOOL_ERROR_FOLDER,
                   _("The spool folder must be a local folder"));
      return FALSE;
    }

  if (!ensure_folder (self->path, error) ||
      !ensure_folder (claimed_folder, error) ||
      !ensure_folder (processed, error) ||
      !ensure_folder (rejected, error))
    return FALSE;

  if (!recover_stale_claims (self, claimed_folder, n_processed, outcomes, error))
    return FALSE;

  dir = g_dir_open (self->path, 0, &local_error);
  if (dir == NULL)
    {
      g_set_error (error, RCRP_SPOOL_ERROR, RCRP_SPOOL_ERROR_FOLDER,
                   _("Cannot read the spool folder %s: %s"), self->path, local_error->message);
      return FALSE;
    }

  while ((entry = g_dir_read_name (dir)) != NULL)
    {
      /* Writers write to a dot-name and rename into place. */
      if (entry[0] == '.' || !g_str_has_suffix (entry, ".json"))
        continue;

      g_ptr_array_add (names, g_strdup (entry));
    }

  /* Oldest name first is as fair as a folder listing can be. */
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (self->path, name, NULL);
      g_autofree char *claim = new_claim_name (self, name);
      g_autofree char *claimed_path = g_build_filename (claimed_folder, claim, NULL);
      GStatBuf st;

      /* Only regular files; a link could point anywhere. */
      if (g_lstat (path, &st) != 0 || !S_ISREG (st.st_mode))
        continue;

      /* The atomic claim: exactly one workstation's rename succeeds. */
      if (g_rename (path, claimed_path) != 0)
        {
          if (errno == ENOENT)
            continue;

          g_set_error (error, RCRP_SPOOL_ERROR, RCRP_SPOOL_ERROR_FOLDER,
                       _("Cannot claim %s: %s"), name, g_strerror (errno));
          return FALSE;
        }

      if (!process_claimed (self, claimed_path, name, outcomes, error))
        return FALSE;

      (*n_processed)++;
    }

  return TRUE;
}

gboolean
rcrp_spool_scan (RcrpSpool  *self,
                 guint      *n_processed,
                 GError    **error)
{
  guint ignored;

  g_return_val_if_fail (RCRP_IS_SPOOL (self), FALSE);

  return scan (self, n_processed != NULL ? n_processed : &ignored, NULL, error);
}

static void schedule_scan (RcrpSpool *self);

static void
scan_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  RcrpSpool *self = source_object;
  GPtrArray *outcomes = g_ptr_array_new_with_free_func (outcome_free);
  g_autoptr(GError) error = NULL;
  guint n_processed;

  if (!scan (self, &n_processed, outcomes, &error))
    g_warning ("Spool %s: %s", self->path, error->message);

  g_task_return_pointer (task, outcomes, (GDestroyNotify) g_ptr_array_unref);
}

static void
on_scan_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  RcrpSpool *self = RCRP_SPOOL (object);
  g_autoptr(GPtrArray) outcomes = g_task_propagate_pointer (G_TASK (result), NULL);

  self->scanning = FALSE;

  for (guint i = 0; outcomes != NULL && i < outcomes->len; i++)
    {
      Outcome *outcome = g_ptr_array_index (outcomes, i);

      g_signal_emit (self, signals[FILE_PROCESSED], 0,
                     outcome->name, outcome->accepted, outcome->message);
    }

  if (self->rescan_pending && self->running)
    {
      self->rescan_pending = FALSE;
      schedule_scan (self);
    }
}

static void
schedule_scan (RcrpSpool *self)
{
  g_autoptr(GTask) task = NULL;

  /* One scan at a time; an event during a scan asks for one more after. */
  if (self->scanning)
    {
      self->rescan_pending = TRUE;
      return;
    }

  self->scanning = TRUE;
  task = g_task_new (self, NULL, on_scan_done_cb, NULL);
  g_task_set_source_tag (task, schedule_scan);
  g_task_run_in_thread (task, scan_thread);
}

static void
on_monitor_changed_cb (GFileMonitor      *monitor,
                       GFile             *file,
                       GFile             *other_file,
                       GFileMonitorEvent  event,
                       RcrpSpool         *self)
{
  switch (event)
    {
    case G_FILE_MONITOR_EVENT_CREATED:
    case G_FILE_MONITOR_EVENT_MOVED_IN:
    case G_FILE_MONITOR_EVENT_RENAMED:
    case G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT:
      schedule_scan (self);
      break;

    default:
      break;
    }
}

static gboolean
on_rescan_timeout_cb (gpointer user_data)
{
  schedule_scan (user_data);

  return G_SOURCE_CONTINUE;
}

gboolean
rcrp_spool_start (RcrpSpool  *self,
                  GError    **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (RCRP_IS_SPOOL (self), FALSE);

  if (self->running)
    return TRUE;

  if (self->path == NULL)
    {
      g_set_error (error, RCRP_SPOOL_ERROR, RCRP_SPOOL_ERROR_FOLDER,
                   _("The spool folder must be a local folder"));
      return FALSE;
    }

  if (!ensure_folder (self->path, error))
    return FALSE;

  self->monitor = g_file_monitor_directory (self->folder, G_FILE_MONITOR_WATCH_MOVES, NULL, &local_error);
  if (self->monitor == NULL)
    {
      g_set_error (error, RCRP_SPOOL_ERROR, RCRP_SPOOL_ERROR_FOLDER,
                   _("Cannot watch the spool folder %s: %s"), self->path, local_error->message);
      return FALSE;
    }

  g_signal_connect (self->monitor, "changed", G_CALLBACK (on_monitor_changed_cb), self);
  self->rescan_source = g_timeout_add_seconds (RESCAN_INTERVAL_SECONDS, on_rescan_timeout_cb, self);
  self->running = TRUE;

  schedule_scan (self);

  return TRUE;
}

void
rcrp_spool_stop (RcrpSpool *self)
{
  g_return_if_fail (RCRP_IS_SPOOL (self));

  self->running = FALSE;
  self->rescan_pending = FALSE;
  g_clear_handle_id (&self->rescan_source, g_source_remove);

  if (self->monitor != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->monitor, on_monitor_changed_cb, self);
      g_file_monitor_cancel (self->monitor);
      g_clear_object (&self->monitor);
    }
}

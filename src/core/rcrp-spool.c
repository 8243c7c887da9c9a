/* rcrp-spool.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* For renameat2() and RENAME_NOREPLACE. */
#define _GNU_SOURCE

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#ifdef HAVE_SYS_INOTIFY_H
#include <sys/inotify.h>
#endif
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <glib-unix.h>

#include "rcrp-feed.h"
#include "rcrp-spool.h"

/* How a file travels through the spool folder DIR:
 *
 *   DIR/NAME                       waiting; written as DIR/.something and
 *                                  renamed into place by its writer
 *   DIR/.claimed/NAME.HOST.PID.RND claimed by one process on one host, by a
 *                                  rename(2) that only one claimant can win
 *   DIR/processed/NAME             stored (or already stored: ingest is
 *                                  idempotent)
 *   DIR/rejected/NAME              refused, with DIR/rejected/NAME.error.txt
 *
 * A name already taken in processed/ or rejected/ becomes NAME.1.json,
 * NAME.2.json and so on: nothing is ever overwritten or deleted. If the
 * store cannot take a file for reasons of its own, the file goes back to
 * DIR/NAME and is tried again later.
 */

#define CLAIMED_FOLDER   ".claimed"
#define PROCESSED_FOLDER "processed"
#define REJECTED_FOLDER  "rejected"

/* A change notice in a quiet folder is acted on at once, so an isolated
 * call is stored as soon as it lands. Notices that follow within this long
 * of it (a writer dropping fifty files) are gathered into one more scan at
 * the end of that time.
 */
#define COALESCE_MSEC 200

/* A file created under its final name (rather than renamed into place) is
 * being written until the monitor says the writer is done with it; past
 * this long without that word, the next scan takes it anyway.
 */
#define WRITING_PATIENCE_USEC (30 * G_USEC_PER_SEC)

/* Host names go into claim names, so they are cut down to something short
 * that cannot contain the separator.
 */
#define MAX_HOST_LENGTH 64

/* A claim name adds ".HOST.PID.RANDOM" to the file's name and must still
 * fit in NAME_MAX; longer names are claimed under a shortened name.
 */
#define CLAIM_SUFFIX_MAX (1 + MAX_HOST_LENGTH + 1 + 10 + 1 + 8)
#define MAX_CLAIMABLE_NAME (NAME_MAX - CLAIM_SUFFIX_MAX)

struct _RcrpSpool
{
  GObject       parent_instance;

  RcrpStore    *store;
  GFile        *folder;
  char         *path;
  char         *host;

  guint         stale_claim_age;
  guint         rescan_interval;

  /* Watching: touched on the main context only. */
  GMainContext *context;
  GFileMonitor *monitor;            /* where inotify cannot be had */
  GSource      *inotify_source;
  int           inotify_fd;
  GSource      *rescan_source;
  GSource      *coalesce_source;
  GCancellable *cancellable;
  gint64        gather_until;       /* monotonic µs: notices before then wait for it */
  GHashTable   *writing;            /* name → gint64 *, created at (monotonic µs) */
  guint         running : 1;
  guint         scanning : 1;
  guint         rescan_pending : 1;
  guint         backing_off : 1;
};

G_DEFINE_FINAL_TYPE (RcrpSpool, rcrp_spool, G_TYPE_OBJECT)

G_DEFINE_QUARK (rcrp-spool-error-quark, rcrp_spool_error)

enum {
  PROP_0,
  PROP_STORE,
  PROP_FOLDER,
  PROP_STALE_CLAIM_AGE,
  PROP_RESCAN_INTERVAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  FILE_PROCESSED,
  SCAN_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void start_scan  (RcrpSpool *self);
static void request_scan (RcrpSpool *self);

/* File operations ------------------------------------------------------------ */

/* Renames without ever replacing what is at @to; fails with EEXIST if
 * something is there. Returns 0 or -1 with errno set, as rename(2) does.
 */
static int
rename_no_replace (const char *from,
                   const char *to)
{
  int saved_errno;

  if (renameat2 (AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
    return 0;
  if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
    return -1;

  /* The file system cannot rename without replacing: a hard link fails
   * if the target exists, which is what we want.
   */
  if (link (from, to) == 0)
    {
      if (unlink (from) == 0)
        return 0;

      saved_errno = errno;
      unlink (to);
      errno = saved_errno;
      return -1;
    }
  if (errno != EPERM && errno != EOPNOTSUPP && errno != ENOSYS)
    return -1;

  /* No hard links either (FAT, some network shares). Only this process
   * holds @from, so the one race left is two processes moving files of
   * the same name into the same folder at the same instant.
   */
  if (access (to, F_OK) == 0)
    {
      errno = EEXIST;
      return -1;
    }
  if (errno != ENOENT)
    return -1;

  return rename (from, to);
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

/* The spool's own folders (.claimed, processed, rejected) are made by the
 * spool and must be real folders: a symbolic link there would have every
 * file claimed or filed written through it, wherever it points.
 */
static gboolean
ensure_subfolder (const char  *path,
                  GError     **error)
{
  GStatBuf st;

  if (!ensure_folder (path, error))
    return FALSE;

  if (g_lstat (path, &st) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, RCRP_SPOOL_ERROR, RCRP_SPOOL_ERROR_FOLDER,
                   _("Cannot use the spool folder %s: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }

  if (S_ISLNK (st.st_mode))
    {
      g_set_error (error, RCRP_SPOOL_ERROR, RCRP_SPOOL_ERROR_FOLDER,
                   _("%s is a symbolic link; the spool writes only into real folders of its own. "
                     "Remove the link and the spool makes the folder again"),
                   path);
      return FALSE;
    }

  if (!S_ISDIR (st.st_mode))
    {
      g_set_error (error, RCRP_SPOOL_ERROR, RCRP_SPOOL_ERROR_FOLDER,
                   _("%s is not a folder; the spool needs a folder of that name"), path);
      return FALSE;
    }

  return TRUE;
}

/* The name NAME.N.json for the N-th clash, or NAME.N for a name without
 * the extension.
 */
static char *
numbered_name (const char *name,
               guint       n)
{
  if (n == 0)
    return g_strdup (name);

  if (g_str_has_suffix (name, ".json"))
    return g_strdup_printf ("%.*s.%u.json", (int) (strlen (name) - strlen (".json")), name, n);

  return g_strdup_printf ("%s.%u", name, n);
}

/* Moves @from into @folder as @name, or as the first of NAME.1.json,
 * NAME.2.json, ... that is free. A name whose NAME.error.txt exists counts
 * as taken, so a refused file never sits beside someone else's reason.
 *
 * Returns: (transfer full): the name used, or NULL with @error set.
 */
static char *
move_into (const char  *from,
           const char  *folder,
           const char  *name,
           GError     **error)
{
  for (guint n = 0; n < 100000; n++)
    {
      g_autofree char *candidate = numbered_name (name, n);
      g_autofree char *to = g_build_filename (folder, candidate, NULL);
      g_autofree char *error_name = g_strconcat (candidate, ".error.txt", NULL);
      g_autofree char *error_path = g_build_filename (folder, error_name, NULL);

      if (g_file_test (error_path, G_FILE_TEST_EXISTS))
        continue;

      if (rename_no_replace (from, to) == 0)
        return g_steal_pointer (&candidate);

      if (errno != EEXIST)
        {
          int saved_errno = errno;

          g_set_error (error, RCRP_SPOOL_ERROR, RCRP_SPOOL_ERROR_FOLDER,
                       _("Cannot move %s into %s: %s"), name, folder, g_strerror (saved_errno));
          return NULL;
        }
    }

  g_set_error (error, RCRP_SPOOL_ERROR, RCRP_SPOOL_ERROR_FOLDER,
               _("Cannot find a free name for %s in %s"), name, folder);
  return NULL;
}

/* Writes @text to FOLDER/NAME with mode 0640 so that it appears whole or
 * not at all: written under a dot-name, flushed, then renamed without
 * replacing anything. If NAME is taken, NAME with a number is used.
 */
static gboolean
write_new_file (const char  *folder,
                const char  *name,
                const char  *text,
                GError     **error)
{
  g_autofree char *template = g_strdup_printf (".%s.XXXXXX", name);
  g_autofree char *temporary = g_build_filename (folder, template, NULL);
  gsize length = strlen (text);
  gsize written = 0;
  int saved_errno;
  int fd;

  fd = g_mkstemp_full (temporary, O_WRONLY | O_CLOEXEC, 0640);
  if (fd < 0)
    goto failed;

  /* The umask must not make the explanation unreadable to the group that
   * runs the spool. */
  if (fchmod (fd, 0640) != 0)
    goto failed_open;

  while (written < length)
    {
      ssize_t n = write (fd, text + written, length - written);

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
      goto failed_unlink;
    }
  fd = -1;

  for (guint n = 0; n < 1000; n++)
    {
      g_autofree char *candidate = n == 0 ? g_strdup (name)
                                          : g_strdup_printf ("%s.%u", name, n);
      g_autofree char *path = g_build_filename (folder, candidate, NULL);

      if (rename_no_replace (temporary, path) == 0)
        return TRUE;
      if (errno != EEXIST)
        goto failed_unlink;
    }
  errno = EEXIST;

failed_open:
  saved_errno = errno;
  if (fd >= 0)
    close (fd);
  errno = saved_errno;
failed_unlink:
  saved_errno = errno;
  g_unlink (temporary);
  errno = saved_errno;
failed:
  saved_errno = errno;
  g_set_error (error, RCRP_SPOOL_ERROR, RCRP_SPOOL_ERROR_FOLDER,
               _("Cannot write %s in %s: %s"), name, folder, g_strerror (saved_errno));
  return FALSE;
}

/* Claims ----------------------------------------------------------------------- */

/* Whether @name ends in ".json" in any case: ".JSON" is claimed too, but
 * only to be refused with a reason, never left unseen in the spool. */
static gboolean
has_json_suffix (const char *name)
{
  gsize length = strlen (name);

  return length > strlen (".json") &&
         g_ascii_strcasecmp (name + length - strlen (".json"), ".json") == 0;
}

/* Splits a claim name NAME.HOST.PID.RANDOM. Host names have had their dots
 * replaced, so the last three dots are the separators.
 */
static gboolean
parse_claim (const char  *claim,
             char       **name,
             char       **host,
             pid_t       *pid)
{
  g_autofree char *copy = g_strdup (claim);
  char *separators[3];
  char *end = NULL;
  gint64 value;

  for (int i = 2; i >= 0; i--)
    {
      separators[i] = strrchr (copy, '.');
      if (separators[i] == NULL || separators[i] == copy)
        return FALSE;
      *separators[i] = '\0';
    }

  value = g_ascii_strtoll (separators[1] + 1, &end, 10);
  if (end == separators[1] + 1 || *end != '\0' || value <= 0 || value > G_MAXINT)
    return FALSE;

  if (!has_json_suffix (copy) || separators[0][1] == '\0')
    return FALSE;

  *name = g_strdup (copy);
  *host = g_strdup (separators[0] + 1);
  *pid = (pid_t) value;

  return TRUE;
}

static char *
make_claim_name (const char *name,
                 const char *host)
{
  return g_strdup_printf ("%s.%s.%d.%08x", name, host, (int) getpid (), g_random_int ());
}

/* The name a file is claimed and filed under: its own, unless so long that
 * the claim suffix would not fit, in which case a shortened one that stays
 * unique through a hash of the whole name.
 */
static char *
claimable_name (const char *name)
{
  g_autofree char *hash = NULL;
  gsize keep;

  if (strlen (name) <= MAX_CLAIMABLE_NAME)
    return g_strdup (name);

  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA1, name, -1);
  keep = MAX_CLAIMABLE_NAME - 1 - 12 - strlen (".json");
  /* Cut at a character boundary when the name is UTF-8. */
  if (g_utf8_validate (name, -1, NULL))
    keep = g_utf8_find_prev_char (name, name + keep + 1) - name;

  return g_strdup_printf ("%.*s~%.12s.json", (int) keep, name, hash);
}

/* Whether the process @pid started after @when. A claim left before a
 * reboot may carry the pid of a process that is alive now but is not the
 * one that made it; Linux tells us when each process started.
 */
static gboolean
process_started_after (pid_t  pid,
                       time_t when)
{
  g_autofree char *stat_path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *contents = NULL;
  g_autofree char *system_stat = NULL;
  g_auto(GStrv) fields = NULL;
  char *after_name;
  const char *btime;
  guint64 start_ticks;
  guint64 boot_time;
  long ticks_per_second;

  if (!g_file_get_contents (stat_path, &contents, NULL, NULL) ||
      !g_file_get_contents ("/proc/stat", &system_stat, NULL, NULL))
    return FALSE;

  /* The command name may hold spaces and parentheses; the fields after the
   * last ")" are plain. The start time is field 22, the 20th after it.
   */
  after_name = strrchr (contents, ')');
  if (after_name == NULL)
    return FALSE;
  fields = g_strsplit (g_strstrip (after_name + 1), " ", 0);
  if (g_strv_length (fields) < 20)
    return FALSE;
  start_ticks = g_ascii_strtoull (fields[19], NULL, 10);

  btime = strstr (system_stat, "\nbtime ");
  if (btime == NULL)
    return FALSE;
  boot_time = g_ascii_strtoull (btime + strlen ("\nbtime "), NULL, 10);

  ticks_per_second = sysconf (_SC_CLK_TCK);
  if (ticks_per_second <= 0 || boot_time == 0)
    return FALSE;

  /* A second of slack for the rounding of both clocks. */
  return (gint64) (boot_time + start_ticks / (guint64) ticks_per_second) > (gint64) when + 1;
}

/* The work of one scan ------------------------------------------------------------ */

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Everything a scan needs, copied so that a worker thread never touches
 * the RcrpSpool itself (which stays alive until the scan's callback has
 * run, because the callback holds a reference).
 */
typedef struct
{
  RcrpSpool    *spool;       /* only to emit signals on */
  RcrpStore    *store;
  char         *path;
  char         *host;
  guint         stale_claim_age;
  GMainContext *context;     /* where to report; NULL reports at once */
  GCancellable *cancellable;
  GHashTable   *skip;        /* names still being written; NULL for none */
  guint         n_processed;
} ScanJob;

static ScanJob *
scan_job_new (RcrpSpool    *self,
              GMainContext *context,
              GCancellable *cancellable)
{
  ScanJob *job = g_new0 (ScanJob, 1);

  job->spool = self;
  job->store = g_object_ref (self->store);
  job->path = g_strdup (self->path);
  job->host = g_strdup (self->host);
  job->stale_claim_age = self->stale_claim_age;
  job->context = context != NULL ? g_main_context_ref (context) : NULL;
  job->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;

  return job;
}

static void
scan_job_free (gpointer data)
{
  ScanJob *job = data;

  g_clear_object (&job->store);
  g_clear_pointer (&job->path, g_free);
  g_clear_pointer (&job->host, g_free);
  g_clear_pointer (&job->context, g_main_context_unref);
  g_clear_object (&job->cancellable);
  g_clear_pointer (&job->skip, g_hash_table_unref);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScanJob, scan_job_free)

typedef struct
{
  RcrpSpool *spool;
  char      *name;
  gboolean   accepted;
  char      *message;
} Outcome;

static void
outcome_free (gpointer data)
{
  Outcome *outcome = data;

  g_clear_object (&outcome->spool);
  g_free (outcome->name);
  g_free (outcome->message);
  g_free (outcome);
}

static gboolean
emit_outcome_cb (gpointer data)
{
  Outcome *outcome = data;

  g_signal_emit (outcome->spool, signals[FILE_PROCESSED], 0,
                 outcome->name, outcome->accepted, outcome->message);

  return G_SOURCE_REMOVE;
}

static void
report (ScanJob    *job,
        const char *name,
        gboolean    accepted,
        const char *message)
{
  g_autoptr(GSource) source = NULL;
  Outcome *outcome;

  job->n_processed++;

  if (job->context == NULL)
    {
      g_signal_emit (job->spool, signals[FILE_PROCESSED], 0, name, accepted, message);
      return;
    }

  /* Each file is reported as soon as it is done, not when the whole scan
   * is, so a coordinator sees calls arrive during a large drop.
   */
  outcome = g_new0 (Outcome, 1);
  outcome->spool = g_object_ref (job->spool);
  outcome->name = g_strdup (name);
  outcome->accepted = accepted;
  outcome->message = g_strdup (message);

  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, emit_outcome_cb, outcome, outcome_free);
  g_source_set_static_name (source, "[rcrp] spool file processed");
  g_source_attach (source, job->context);
}

static char *
describe_result (guint                   n_calls,
                 const RcrpIngestResult *result)
{
  if (result->added == 0 && result->updated == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u call, already stored: unchanged",
                                         "%u calls, all already stored: unchanged",
                                         n_calls),
                            n_calls);

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u call: %u new, %u updated, %u unchanged",
                                       "%u calls: %u new, %u updated, %u unchanged",
                                       n_calls),
                          n_calls, result->added, result->updated, result->unchanged);
}

/* Puts a claimed file back in the spool for a later try, under its own name
 * or, if a new file of that name has arrived meanwhile, a numbered one.
 */
static void
put_back (ScanJob    *job,
          const char *claimed_path,
          const char *name,
          GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *used = move_into (claimed_path, job->path, name, &local_error);

  if (used == NULL)
    {
      /* It stays claimed by this process and is taken up again once the
       * process has gone. */
      g_prefix_error (error, _("%s could not be put back in the spool either (%s); it is in %s. "),
                      name, local_error->message, claimed_path);
    }
}

static gboolean
reject (ScanJob     *job,
        const char  *claimed_path,
        const char  *name,
        const char  *message,
        GError     **error)
{
  g_autofree char *folder = g_build_filename (job->path, REJECTED_FOLDER, NULL);
  g_autofree char *used = NULL;
  g_autofree char *error_name = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  used = move_into (claimed_path, folder, name, error);
  if (used == NULL)
    return FALSE;

  /* The first line is the message a person acts on; it names the file and
   * the line and column or the field. */
  g_string_append_printf (text, "%s\n\n", message);
  if (!g_str_equal (used, name))
    g_string_append_printf (text, _("Received as %s; kept as %s because that name was taken.\n"),
                            name, used);
  g_string_append (text, _("Nothing from this file was stored. Put a corrected file in the spool "
                           "folder to try again.\n"));
  g_string_append_printf (text, _("Refused on %s by process %d.\n"), job->host, (int) getpid ());

  error_name = g_strconcat (used, ".error.txt", NULL);
  if (!write_new_file (folder, error_name, text->str, error))
    {
      g_prefix_error (error, _("%s was refused (%s) but the reason could not be saved: "),
                      name, message);
      return FALSE;
    }

  report (job, name, FALSE, message);

  return TRUE;
}

/* Processes a file this process has claimed. Returns TRUE once the file is
 * in processed/ or rejected/. Returns FALSE if the folder or the store
 * failed, with the file put back in the spool to be tried again.
 */
static gboolean
process_claimed (ScanJob     *job,
                 const char  *claimed_path,
                 const char  *name,
                 GError     **error)
{
  g_autofree char *source = g_build_filename (job->path, name, NULL);
  g_autofree char *processed = g_build_filename (job->path, PROCESSED_FOLDER, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (claimed_path);
  g_autoptr(GBytes) document = NULL;
  g_autoptr(GPtrArray) calls = NULL;
  g_autoptr(GError) feed_error = NULL;
  g_autoptr(GError) store_error = NULL;
  g_autofree char *used = NULL;
  g_autofree char *message = NULL;
  RcrpIngestResult result = { 0, };

  /* Messages name the file as the writer named it, not as it is claimed. */
  /* Only names in lower-case ".json" are read; any other case is filed
   * with a reason rather than sit in the spool unseen. */
  if (!g_str_has_suffix (name, ".json"))
    {
      g_autofree char *refusal =
        g_strdup_printf (_("%s: not read, because only names ending in lower-case “.json” are; "
                           "rename it to end in “.json” and put it in the spool again"),
                         name);

      return reject (job, claimed_path, name, refusal, error);
    }

  /* The claim is a rename, which moves a symbolic link rather than what
   * it points to: the read refuses links, and anything but a regular
   * file, on the opened descriptor, so a link swapped in after the folder
   * was read is refused too. */
  calls = rcrp_feed_parse_file_full (file, name, RCRP_READ_FILE_NO_FOLLOW, &document, &feed_error);
  if (calls == NULL)
    return reject (job, claimed_path, name, feed_error->message, error);

  /* The whole file or nothing. Any failure here is the store's (busy,
   * full, read-only, damaged), not the file's, which the feed parser has
   * already accepted: the file goes back to be tried again.
   */
  if (!rcrp_store_ingest (job->store, source, document, calls, &result, &store_error))
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&store_error),
                                  _("%s was not stored and stays in the spool to be tried again: "),
                                  name);
      put_back (job, claimed_path, name, error);
      return FALSE;
    }

  used = move_into (claimed_path, processed, name, error);
  if (used == NULL)
    {
      /* Stored, but it cannot be filed: put it back, and the next scan
       * stores nothing new and tries filing it again. */
      g_prefix_error (error, _("%s was stored but cannot be filed: "), name);
      put_back (job, claimed_path, name, error);
      return FALSE;
    }

  message = describe_result (calls->len, &result);
  report (job, name, TRUE, message);

  return TRUE;
}

static gboolean
claim_is_stale (ScanJob    *job,
                const char *host,
                pid_t       pid,
                const char *claimed_path)
{
  GStatBuf st;

  /* rename(2) sets the change time, so it says when the claim was made.
   * Whatever was claimed is taken up, links and special files included,
   * to be refused with a reason. */
  if (g_lstat (claimed_path, &st) != 0 || S_ISDIR (st.st_mode))
    return FALSE;

  if (g_str_equal (host, job->host))
    {
      /* Another spool in this process is working on it. */
      if (pid == getpid ())
        return FALSE;

      if (kill (pid, 0) == -1 && errno == ESRCH)
        return TRUE;

      return process_started_after (pid, st.st_ctime);
    }

  return (gint64) time (NULL) - (gint64) st.st_ctime >= (gint64) job->stale_claim_age;
}

/* Takes over claims whose owner has died, or that another host has held
 * for too long, and finishes them.
 */
static gboolean
recover_stale_claims (ScanJob     *job,
                      const char  *claimed_folder,
                      GError     **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = NULL;
  const char *entry;

  dir = g_dir_open (claimed_folder, 0, NULL);
  if (dir == NULL)
    return TRUE;

  while ((entry = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (entries, g_strdup (entry));
  g_ptr_array_sort (entries, compare_names);

  for (guint i = 0; i < entries->len; i++)
    {
      const char *claim = g_ptr_array_index (entries, i);
      g_autofree char *claimed_path = g_build_filename (claimed_folder, claim, NULL);
      g_autofree char *name = NULL;
      g_autofree char *host = NULL;
      g_autofree char *retaken = NULL;
      g_autofree char *retaken_path = NULL;
      pid_t pid;

      if (g_cancellable_is_cancelled (job->cancellable))
        return TRUE;

      if (!parse_claim (claim, &name, &host, &pid) ||
          !claim_is_stale (job, host, pid, claimed_path))
        continue;

      /* Take it over with a rename of our own: of several workstations
       * doing the same, one wins and the rest see ENOENT. */
      retaken = make_claim_name (name, job->host);
      retaken_path = g_build_filename (claimed_folder, retaken, NULL);
      if (rename (claimed_path, retaken_path) != 0)
        continue;

      if (!process_claimed (job, retaken_path, name, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
is_candidate_name (const char *name)
{
  /* Writers write to a dot-name and rename into place. */
  return name[0] != '.' && has_json_suffix (name);
}

static gboolean
run_scan (ScanJob  *job,
          GError  **error)
{
  g_autofree char *claimed_folder = NULL;
  g_autofree char *processed = NULL;
  g_autofree char *rejected = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GError) claim_error = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *entry;

  if (job->path == NULL)
    {
      g_set_error (error, RCRP_SPOOL_ERROR, RCRP_SPOOL_ERROR_FOLDER,
                   _("The spool folder must be a local folder"));
      return FALSE;
    }

  claimed_folder = g_build_filename (job->path, CLAIMED_FOLDER, NULL);
  processed = g_build_filename (job->path, PROCESSED_FOLDER, NULL);
  rejected = g_build_filename (job->path, REJECTED_FOLDER, NULL);

  if (!ensure_folder (job->path, error) ||
      !ensure_subfolder (claimed_folder, error) ||
      !ensure_subfolder (processed, error) ||
      !ensure_subfolder (rejected, error))
    return FALSE;

  if (!recover_stale_claims (job, claimed_folder, error))
    return FALSE;

  dir = g_dir_open (job->path, 0, &local_error);
  if (dir == NULL)
    {
      g_set_error (error, RCRP_SPOOL_ERROR, RCRP_SPOOL_ERROR_FOLDER,
                   _("Cannot read the spool folder %s: %s"), job->path, local_error->message);
      return FALSE;
    }

  while ((entry = g_dir_read_name (dir)) != NULL)
    {
      if (is_candidate_name (entry))
        g_ptr_array_add (names, g_strdup (entry));
    }

  /* In name order, which for the usual time-stamped names is the order of
   * writing. */
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (job->path, name, NULL);
      g_autofree char *filed_name = NULL;
      g_autofree char *claim = NULL;
      g_autofree char *claimed_path = NULL;
      GStatBuf st;

      if (g_cancellable_is_cancelled (job->cancellable))
        break;

      /* Written in place and not finished yet: claimed once the writer is
       * done with it, rather than half-written and then refused. */
      if (job->skip != NULL && g_hash_table_contains (job->skip, name))
        continue;

      /* Another watcher may have claimed it meanwhile. A folder is left
       * alone; a link, a FIFO or a device is claimed, without ever being
       * followed or opened for reading, and refused with its reason. */
      if (g_lstat (path, &st) != 0 || S_ISDIR (st.st_mode))
        continue;

      filed_name = claimable_name (name);
      claim = make_claim_name (filed_name, job->host);
      claimed_path = g_build_filename (claimed_folder, claim, NULL);

      /* The claim: of several processes renaming the same file exactly one
       * succeeds; the others find it gone and move on. */
      if (rename (path, claimed_path) != 0)
        {
          int saved_errno = errno;

          if (saved_errno != ENOENT && claim_error == NULL)
            g_set_error (&claim_error, RCRP_SPOOL_ERROR, RCRP_SPOOL_ERROR_FOLDER,
                         _("Cannot claim %s in %s: %s"), name, job->path, g_strerror (saved_errno));
          continue;
        }

      if (!process_claimed (job, claimed_path, filed_name, error))
        return FALSE;
    }

  /* One file that cannot be claimed (its permissions, say) does not hold
   * up the others, but it is reported. */
  if (claim_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&claim_error));
      return FALSE;
    }

  return TRUE;
}

/* Watching ------------------------------------------------------------------------- */

static void
scan_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  ScanJob *job = task_data;
  GError *error = NULL;

  if (run_scan (job, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_scan_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(RcrpSpool) self = user_data;
  g_autoptr(GError) error = NULL;
  ScanJob *job = g_task_get_task_data (G_TASK (result));

  self->scanning = FALSE;

  /* The worker thread may hold the task a moment longer than this
   * callback runs; the store must not outlive the scan there. The worker
   * is done with the job once it has returned. */
  g_clear_object (&job->store);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      /* Something outside the files is wrong (the folder, the database):
       * change notices (including the one for a file just put back) wait
       * for the periodic rescan instead of hammering it. */
      self->backing_off = TRUE;

      if (g_signal_has_handler_pending (self, signals[SCAN_FAILED], 0, TRUE))
        g_signal_emit (self, signals[SCAN_FAILED], 0, error);
      else
        g_warning ("Spool %s: %s", self->path, error->message);
    }

  if (self->running && self->rescan_pending)
    request_scan (self);

  /* Dropping the reference here, on the main context, may dispose of the
   * spool: never on the worker thread. */
}

/* Returns: (transfer full) (nullable): the names of files still being
 * written, for a scan to leave alone; forgets those past their patience.
 */
static GHashTable *
files_being_written (RcrpSpool *self)
{
  gint64 now = g_get_monotonic_time ();
  GHashTable *names = NULL;
  GHashTableIter iter;
  gpointer name, created;

  g_hash_table_iter_init (&iter, self->writing);
  while (g_hash_table_iter_next (&iter, &name, &created))
    {
      if (now - *(gint64 *) created > WRITING_PATIENCE_USEC)
        {
          g_hash_table_iter_remove (&iter);
          continue;
        }
      if (names == NULL)
        names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_add (names, g_strdup (name));
    }

  return names;
}

static void
start_scan (RcrpSpool *self)
{
  g_autoptr(GTask) task = NULL;
  ScanJob *job;

  g_assert (!self->scanning);

  self->scanning = TRUE;
  self->rescan_pending = FALSE;

  /* The callback, which holds a reference to the spool, runs on the
   * context the spool reports on. */
  g_main_context_push_thread_default (self->context);
  task = g_task_new (NULL, NULL, on_scan_done_cb, g_object_ref (self));
  g_main_context_pop_thread_default (self->context);

  g_task_set_source_tag (task, start_scan);
  g_task_set_name (task, "[rcrp] spool scan");
  job = scan_job_new (self, self->context, self->cancellable);
  job->skip = files_being_written (self);
  g_task_set_task_data (task, job, scan_job_free);
  g_task_run_in_thread (task, scan_thread);
}

static gboolean
on_coalesce_timeout_cb (gpointer user_data)
{
  RcrpSpool *self = user_data;

  g_clear_pointer (&self->coalesce_source, g_source_unref);

  if (self->scanning)
    self->rescan_pending = TRUE;
  else
    start_scan (self);

  return G_SOURCE_REMOVE;
}

/* Asks for a scan: at once, unless change notices are being gathered
 * (see note_change()), then at the end of that. One scan runs at a time;
 * a request during a scan runs another after it.
 */
static void
request_scan (RcrpSpool *self)
{
  gint64 now;

  if (!self->running)
    return;

  if (self->scanning || self->backing_off)
    {
      self->rescan_pending = TRUE;
      return;
    }

  if (self->coalesce_source != NULL)
    return;

  now = g_get_monotonic_time ();
  if (now >= self->gather_until)
    {
      start_scan (self);
      return;
    }

  self->coalesce_source = g_timeout_source_new ((guint) ((self->gather_until - now + 999) / 1000));
  g_source_set_callback (self->coalesce_source, on_coalesce_timeout_cb, self, NULL);
  g_source_set_static_name (self->coalesce_source, "[rcrp] spool coalesce");
  g_source_attach (self->coalesce_source, self->context);
}

/* A change notice for a file to take: the first in a quiet folder is
 * scanned for at once, so the first file of a burst is not kept waiting;
 * those that follow within COALESCE_MSEC of it become one more scan. The
 * periodic rescan does not open a window, so it never delays a call.
 */
static void
note_change (RcrpSpool *self)
{
  gint64 now = g_get_monotonic_time ();
  gboolean quiet = now >= self->gather_until;

  request_scan (self);
  if (quiet)
    self->gather_until = now + COALESCE_MSEC * 1000;
}

static gboolean
on_rescan_timeout_cb (gpointer user_data)
{
  RcrpSpool *self = user_data;

  self->backing_off = FALSE;
  request_scan (self);

  return G_SOURCE_CONTINUE;
}

/* What a change notice says of one name in the folder, whichever source
 * gave it: the kernel's inotify directly, or a GFileMonitor elsewhere.
 */
typedef enum
{
  NOTICE_CREATED,   /* made under this name: being written */
  NOTICE_WRITTEN,   /* a writer closed it, or GIO says it is done */
  NOTICE_ARRIVED,   /* renamed or moved into place, whole */
  NOTICE_GONE,      /* claimed (by us or another workstation) or taken away */
} SpoolNotice;

static void
take_notice (RcrpSpool   *self,
             SpoolNotice  notice,
             const char  *name)
{
  if (name == NULL || !is_candidate_name (name))
    return;

  switch (notice)
    {
    case NOTICE_CREATED:
      /* Made under its final name: it is being written, and is taken when
       * the writer is done with it (on close, or after a pause in the
       * writing that GIO reports as done). */
      if (!g_hash_table_contains (self->writing, name))
        {
          gint64 *created = g_new (gint64, 1);

          *created = g_get_monotonic_time ();
          g_hash_table_insert (self->writing, g_strdup (name), created);
        }
      break;

    case NOTICE_WRITTEN:
    case NOTICE_ARRIVED:
      g_hash_table_remove (self->writing, name);
      note_change (self);
      break;

    case NOTICE_GONE:
      g_hash_table_remove (self->writing, name);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
on_monitor_changed_cb (GFileMonitor      *monitor,
                       GFile             *file,
                       GFile             *other_file,
                       GFileMonitorEvent  event,
                       gpointer           user_data)
{
  RcrpSpool *self = user_data;
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *other = other_file != NULL ? g_file_get_basename (other_file) : NULL;

  switch (event)
    {
    case G_FILE_MONITOR_EVENT_CREATED:
      take_notice (self, NOTICE_CREATED, name);
      break;

    case G_FILE_MONITOR_EVENT_MOVED_IN:
      take_notice (self, NOTICE_ARRIVED, name);
      break;

    case G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT:
      take_notice (self, NOTICE_WRITTEN, name);
      break;

    case G_FILE_MONITOR_EVENT_RENAMED:
      /* A writer's ".tmp" renamed into place, whole. */
      take_notice (self, NOTICE_GONE, name);
      take_notice (self, NOTICE_ARRIVED, other);
      break;

    case G_FILE_MONITOR_EVENT_DELETED:
    case G_FILE_MONITOR_EVENT_MOVED_OUT:
      take_notice (self, NOTICE_GONE, name);
      break;

    case G_FILE_MONITOR_EVENT_CHANGED:
    case G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED:
    case G_FILE_MONITOR_EVENT_PRE_UNMOUNT:
    case G_FILE_MONITOR_EVENT_UNMOUNTED:
    case G_FILE_MONITOR_EVENT_MOVED:
    default:
      break;
    }
}

#ifdef HAVE_SYS_INOTIFY_H
/* Reads the kernel's notices for the folder. GIO's own inotify backend
 * sleeps 100 ms after any notice it finds uninteresting (a writer's
 * IN_MODIFY, say), so a call renamed into place just then waited that
 * long; read directly, a notice is acted on when it comes.
 */
static gboolean
on_inotify_readable_cb (int           fd,
                        GIOCondition  condition,
                        gpointer      user_data)
{
  RcrpSpool *self = user_data;
  char buffer[16 * (sizeof (struct inotify_event) + NAME_MAX + 1)]
    __attribute__ ((aligned (__alignof__ (struct inotify_event))));

  for (;;)
    {
      ssize_t n_read = read (fd, buffer, sizeof buffer);
      ssize_t offset = 0;

      if (n_read < 0 && errno == EINTR)
        continue;
      if (n_read <= 0)
        break;

      while (offset < n_read)
        {
          const struct inotify_event *event = (const struct inotify_event *) (buffer + offset);
          const char *name = event->len > 0 ? event->name : NULL;

          offset += sizeof (struct inotify_event) + event->len;

          if (event->mask & IN_Q_OVERFLOW)
            note_change (self);  /* notices were lost: look at the whole folder */
          else if (event->mask & IN_CREATE)
            take_notice (self, NOTICE_CREATED, name);
          else if (event->mask & IN_CLOSE_WRITE)
            take_notice (self, NOTICE_WRITTEN, name);
          else if (event->mask & IN_MOVED_TO)
            take_notice (self, NOTICE_ARRIVED, name);
          else if (event->mask & (IN_MOVED_FROM | IN_DELETE))
            take_notice (self, NOTICE_GONE, name);
        }
    }

  return G_SOURCE_CONTINUE;
}

/* Returns: whether the folder is watched through inotify; FALSE leaves
 * it to a GFileMonitor.
 */
static gboolean
watch_with_inotify (RcrpSpool *self)
{
  int fd = inotify_init1 (IN_NONBLOCK | IN_CLOEXEC);

  if (fd < 0)
    return FALSE;

  if (inotify_add_watch (fd, self->path,
                         IN_CREATE | IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_ONLYDIR) < 0)
    {
      close (fd);
      return FALSE;
    }

  self->inotify_fd = fd;
  self->inotify_source = g_unix_fd_source_new (fd, G_IO_IN);
  g_source_set_callback (self->inotify_source, G_SOURCE_FUNC (on_inotify_readable_cb), self, NULL);
  g_source_set_static_name (self->inotify_source, "[rcrp] spool inotify");
  g_source_attach (self->inotify_source, self->context);

  return TRUE;
}
#endif

static void
unwatch (RcrpSpool *self)
{
  if (self->inotify_source != NULL)
    {
      g_source_destroy (self->inotify_source);
      g_clear_pointer (&self->inotify_source, g_source_unref);
    }
  if (self->inotify_fd >= 0)
    {
      close (self->inotify_fd);
      self->inotify_fd = -1;
    }

  if (self->monitor != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->monitor, on_monitor_changed_cb, self);
      g_file_monitor_cancel (self->monitor);
      g_clear_object (&self->monitor);
    }
}

static void
restart_rescan_timer (RcrpSpool *self)
{
  if (self->rescan_source != NULL)
    {
      g_source_destroy (self->rescan_source);
      g_clear_pointer (&self->rescan_source, g_source_unref);
    }

  if (!self->running)
    return;

  self->rescan_source = g_timeout_source_new_seconds (self->rescan_interval);
  g_source_set_callback (self->rescan_source, on_rescan_timeout_cb, self, NULL);
  g_source_set_static_name (self->rescan_source, "[rcrp] spool rescan");
  g_source_attach (self->rescan_source, self->context);
}

/* GObject ----------------------------------------------------------------------------- */

static void
rcrp_spool_dispose (GObject *object)
{
  RcrpSpool *self = RCRP_SPOOL (object);

  /* A scan holds a reference until its callback has run, so none is
   * running here. */
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
  g_clear_pointer (&self->writing, g_hash_table_unref);

  G_OBJECT_CLASS (rcrp_spool_parent_class)->finalize (object);
}

static void
rcrp_spool_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  RcrpSpool *self = RCRP_SPOOL (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_FOLDER:
      g_value_set_object (value, self->folder);
      break;

    case PROP_STALE_CLAIM_AGE:
      g_value_set_uint (value, self->stale_claim_age);
      break;

    case PROP_RESCAN_INTERVAL:
      g_value_set_uint (value, self->rescan_interval);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rcrp_spool_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  RcrpSpool *self = RCRP_SPOOL (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_FOLDER:
      self->folder = g_value_dup_object (value);
      self->path = self->folder != NULL ? g_file_get_path (self->folder) : NULL;
      break;

    case PROP_STALE_CLAIM_AGE:
      rcrp_spool_set_stale_claim_age (self, g_value_get_uint (value));
      break;

    case PROP_RESCAN_INTERVAL:
      rcrp_spool_set_rescan_interval (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rcrp_spool_class_init (RcrpSpoolClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rcrp_spool_dispose;
  object_class->finalize = rcrp_spool_finalize;
  object_class->get_property = rcrp_spool_get_property;
  object_class->set_property = rcrp_spool_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         RCRP_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_FOLDER] =
    g_param_spec_object ("folder", NULL, NULL,
                         G_TYPE_FILE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_STALE_CLAIM_AGE] =
    g_param_spec_uint ("stale-claim-age", NULL, NULL,
                       0, G_MAXUINT, RCRP_SPOOL_DEFAULT_STALE_CLAIM_AGE,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_RESCAN_INTERVAL] =
    g_param_spec_uint ("rescan-interval", NULL, NULL,
                       1, 24 * 60 * 60, RCRP_SPOOL_DEFAULT_RESCAN_INTERVAL,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RcrpSpool::file-processed:
   * @name: the file's name in the spool folder
   * @accepted: whether its calls were stored
   * @message: what was stored, or why the file was refused
   */
  signals[FILE_PROCESSED] =
    g_signal_new ("file-processed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3,
                  G_TYPE_STRING, G_TYPE_BOOLEAN, G_TYPE_STRING);

  /**
   * RcrpSpool::scan-failed:
   * @error: what went wrong; %RCRP_STORE_ERROR when the database could not
   *   take a file (which is then back in the spool), %RCRP_SPOOL_ERROR for
   *   the folder
   */
  signals[SCAN_FAILED] =
    g_signal_new ("scan-failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1,
                  G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
rcrp_spool_init (RcrpSpool *self)
{
  const char *host = g_get_host_name ();
  GString *clean = g_string_new (NULL);

  self->stale_claim_age = RCRP_SPOOL_DEFAULT_STALE_CLAIM_AGE;
  self->rescan_interval = RCRP_SPOOL_DEFAULT_RESCAN_INTERVAL;
  self->writing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->inotify_fd = -1;

  /* The host name goes into claim names between dots, so it keeps only
   * letters, digits and hyphens. */
  for (const char *p = host; *p != '\0' && clean->len < MAX_HOST_LENGTH; p++)
    g_string_append_c (clean, g_ascii_isalnum (*p) || *p == '-' ? *p : '_');
  if (clean->len == 0)
    g_string_append (clean, "localhost");

  self->host = g_string_free (clean, FALSE);
}

/* Public API ---------------------------------------------------------------------------- */

RcrpSpool *
rcrp_spool_new (RcrpStore *store,
                GFile     *folder)
{
  g_return_val_if_fail (RCRP_IS_STORE (store), NULL);
  g_return_val_if_fail (G_IS_FILE (folder), NULL);

  return g_object_new (RCRP_TYPE_SPOOL,
                       "store", store,
                       "folder", folder,
                       NULL);
}

GFile *
rcrp_spool_get_folder (RcrpSpool *self)
{
  g_return_val_if_fail (RCRP_IS_SPOOL (self), NULL);

  return self->folder;
}

guint
rcrp_spool_get_stale_claim_age (RcrpSpool *self)
{
  g_return_val_if_fail (RCRP_IS_SPOOL (self), 0);

  return self->stale_claim_age;
}

void
rcrp_spool_set_stale_claim_age (RcrpSpool *self,
                                guint      seconds)
{
  g_return_if_fail (RCRP_IS_SPOOL (self));

  if (self->stale_claim_age == seconds)
    return;

  self->stale_claim_age = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STALE_CLAIM_AGE]);
}

guint
rcrp_spool_get_rescan_interval (RcrpSpool *self)
{
  g_return_val_if_fail (RCRP_IS_SPOOL (self), 0);

  return self->rescan_interval;
}

void
rcrp_spool_set_rescan_interval (RcrpSpool *self,
                                guint      seconds)
{
  g_return_if_fail (RCRP_IS_SPOOL (self));
  g_return_if_fail (seconds > 0);

  if (self->rescan_interval == seconds)
    return;

  self->rescan_interval = seconds;
  restart_rescan_timer (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESCAN_INTERVAL]);
}

gboolean
rcrp_spool_scan (RcrpSpool  *self,
                 guint      *n_processed,
                 GError    **error)
{
  g_autoptr(ScanJob) job = NULL;
  gboolean ok;

  g_return_val_if_fail (RCRP_IS_SPOOL (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  job = scan_job_new (self, NULL, NULL);
  ok = run_scan (job, error);

  if (n_processed != NULL)
    *n_processed = job->n_processed;

  return ok;
}

gboolean
rcrp_spool_start (RcrpSpool  *self,
                  GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GFileMonitor) monitor = NULL;

  g_return_val_if_fail (RCRP_IS_SPOOL (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

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

  /* Notices are delivered on the thread-default context, which is the one
   * this spool reports on. */
  self->context = g_main_context_ref_thread_default ();
#ifdef HAVE_SYS_INOTIFY_H
  if (!watch_with_inotify (self))
#endif
    {
      monitor = g_file_monitor_directory (self->folder, G_FILE_MONITOR_WATCH_MOVES, NULL, &local_error);
      if (monitor == NULL)
        {
          g_clear_pointer (&self->context, g_main_context_unref);
          g_set_error (error, RCRP_SPOOL_ERROR, RCRP_SPOOL_ERROR_FOLDER,
                       _("Cannot watch the spool folder %s: %s"), self->path, local_error->message);
          return FALSE;
        }
      self->monitor = g_steal_pointer (&monitor);
      g_signal_connect (self->monitor, "changed", G_CALLBACK (on_monitor_changed_cb), self);
    }
  self->cancellable = g_cancellable_new ();
  self->running = TRUE;
  self->backing_off = FALSE;
  restart_rescan_timer (self);

  /* Whatever arrived while nobody was watching, and claims left by a
   * process that died. */
  if (self->scanning)
    self->rescan_pending = TRUE;
  else
    start_scan (self);

  return TRUE;
}

void
rcrp_spool_stop (RcrpSpool *self)
{
  g_return_if_fail (RCRP_IS_SPOOL (self));

  self->running = FALSE;
  self->rescan_pending = FALSE;
  self->backing_off = FALSE;

  restart_rescan_timer (self);

  if (self->coalesce_source != NULL)
    {
      g_source_destroy (self->coalesce_source);
      g_clear_pointer (&self->coalesce_source, g_source_unref);
    }

  /* Without the monitor's word, what was being written is known no more. */
  g_hash_table_remove_all (self->writing);

  unwatch (self);

  /* A scan under way stops after the file it is on. */
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }

  g_clear_pointer (&self->context, g_main_context_unref);
}

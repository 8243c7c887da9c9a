/* test-spool.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "rcrp-clock.h"
#include "rcrp-feed.h"
#include "rcrp-spool.h"
#include "rcrp-sqlite-store.h"

/* A store that is busy for its first @failures ingests, then hands on to a
 * real one: the database trouble the spool must not blame on the file.
 */
#define TEST_TYPE_FLAKY_STORE (test_flaky_store_get_type ())
G_DECLARE_FINAL_TYPE (TestFlakyStore, test_flaky_store, TEST, FLAKY_STORE, GObject)

struct _TestFlakyStore
{
  GObject    parent_instance;
  RcrpStore *inner;
  guint      failures;
  guint      attempts;
};

static void test_flaky_store_iface_init (RcrpStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestFlakyStore, test_flaky_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RCRP_TYPE_STORE, test_flaky_store_iface_init))

static gboolean
test_flaky_store_ingest (RcrpStore         *store,
                         const char        *source,
                         GBytes            *document,
                         GPtrArray         *calls,
                         RcrpIngestResult  *result,
                         GError           **error)
{
  TestFlakyStore *self = TEST_FLAKY_STORE (store);

  self->attempts++;
  if (self->failures > 0)
    {
      self->failures--;
      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_BUSY,
                   "The shared database is locked by another workstation");
      return FALSE;
    }

  return rcrp_store_ingest (self->inner, source, document, calls, result, error);
}

static void
test_flaky_store_iface_init (RcrpStoreInterface *iface)
{
  iface->ingest = test_flaky_store_ingest;
}

static void
test_flaky_store_finalize (GObject *object)
{
  TestFlakyStore *self = TEST_FLAKY_STORE (object);

  g_clear_object (&self->inner);

  G_OBJECT_CLASS (test_flaky_store_parent_class)->finalize (object);
}

static void
test_flaky_store_class_init (TestFlakyStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_flaky_store_finalize;
}

static void
test_flaky_store_init (TestFlakyStore *self)
{
}

static TestFlakyStore *
test_flaky_store_new (RcrpStore *inner,
                      guint      failures)
{
  TestFlakyStore *self = g_object_new (TEST_TYPE_FLAKY_STORE, NULL);

  self->inner = g_object_ref (inner);
  self->failures = failures;

  return self;
}

/* Fixture ------------------------------------------------------------------------ */

typedef struct
{
  char      *name;
  gboolean   accepted;
  char      *message;
} Record;

static void
record_free (gpointer data)
{
  Record *record = data;

  g_free (record->name);
  g_free (record->message);
  g_free (record);
}

typedef struct
{
  char       *root;
  char       *folder;
  char       *database;
  RcrpClock  *clock;
  RcrpStore  *store;
  RcrpSpool  *spool;
  GPtrArray  *records;
  GPtrArray  *failures;
} Fixture;

static void
on_file_processed_cb (RcrpSpool  *spool,
                      const char *name,
                      gboolean    accepted,
                      const char *message,
                      GPtrArray  *records)
{
  Record *record = g_new0 (Record, 1);

  record->name = g_strdup (name);
  record->accepted = accepted;
  record->message = g_strdup (message);
  g_ptr_array_add (records, record);
}

static void
on_scan_failed_cb (RcrpSpool    *spool,
                   const GError *error,
                   GPtrArray    *failures)
{
  g_ptr_array_add (failures, g_error_copy (error));
}

static RcrpStore *
open_store (Fixture    *fixture,
            const char *workstation)
{
  g_autoptr(GError) error = NULL;
  RcrpStore *store;

  store = rcrp_sqlite_store_open (fixture->database, fixture->clock, "tester", workstation, &error);
  g_assert_no_error (error);

  return store;
}

static RcrpSpool *
new_spool (Fixture   *fixture,
           RcrpStore *store)
{
  g_autoptr(GFile) folder = g_file_new_for_path (fixture->folder);
  RcrpSpool *spool = rcrp_spool_new (store, folder);

  g_signal_connect (spool, "file-processed", G_CALLBACK (on_file_processed_cb), fixture->records);
  g_signal_connect (spool, "scan-failed", G_CALLBACK (on_scan_failed_cb), fixture->failures);

  return spool;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 22, 15, 0, 0);

  /* Isolated per test case by G_TEST_OPTION_ISOLATE_DIRS, and removed with it. */
  fixture->root = g_build_filename (g_get_user_cache_dir (), "rcrp-spool-test", NULL);
  g_assert_cmpint (g_mkdir_with_parents (fixture->root, 0700), ==, 0);
  fixture->folder = g_build_filename (fixture->root, "spool", NULL);
  fixture->database = g_build_filename (fixture->root, "calls.db", NULL);
  fixture->clock = rcrp_fixed_clock_new (now);
  fixture->store = open_store (fixture, "ws-test");
  fixture->records = g_ptr_array_new_with_free_func (record_free);
  fixture->failures = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  fixture->spool = new_spool (fixture, fixture->store);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  if (fixture->spool != NULL)
    g_assert_finalize_object (g_steal_pointer (&fixture->spool));
  g_assert_finalize_object (g_steal_pointer (&fixture->store));
  g_clear_object (&fixture->clock);
  g_clear_pointer (&fixture->records, g_ptr_array_unref);
  g_clear_pointer (&fixture->failures, g_ptr_array_unref);
  g_clear_pointer (&fixture->root, g_free);
  g_clear_pointer (&fixture->folder, g_free);
  g_clear_pointer (&fixture->database, g_free);
}

/* Helpers ------------------------------------------------------------------------- */

static char *
call_json (const char *cad_ref,
           const char *summary)
{
  return g_strdup_printf ("{\n"
                          "  \"schema\": \"rcrp.call/1\",\n"
                          "  \"cad_ref\": \"%s\",\n"
                          "  \"received_at\": \"2026-11-22T14:03:11Z\",\n"
                          "  \"category\": \"concern_for_welfare\",\n"
                          "  \"initial_grade\": 3,\n"
                          "  \"summary\": \"%s\"\n"
                          "}\n",
                          cad_ref, summary);
}

static char *
path_in (const char *folder,
         const char *name)
{
  return g_build_filename (folder, name, NULL);
}

static char *
sub_path (Fixture    *fixture,
          const char *subfolder,
          const char *name)
{
  return g_build_filename (fixture->folder, subfolder, name, NULL);
}

static void
write_file (const char *path,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *parent = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (parent, 0750), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

/* Drops a file the way the feed contract asks a writer to: under a
 * dot-name first, then renamed into place.
 */
static void
drop_file (Fixture    *fixture,
           const char *name,
           const char *contents)
{
  g_autofree char *temporary = path_in (fixture->folder, ".incoming.tmp");
  g_autofree char *path = path_in (fixture->folder, name);

  write_file (temporary, contents);
  g_assert_cmpint (g_rename (temporary, path), ==, 0);
}

static void
drop_call (Fixture    *fixture,
           const char *name,
           const char *cad_ref)
{
  g_autofree char *contents = call_json (cad_ref, "RP concerned for her brother.");

  drop_file (fixture, name, contents);
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  return contents;
}

static guint
count_entries (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  guint n = 0;

  if (dir == NULL)
    return 0;

  while (g_dir_read_name (dir) != NULL)
    n++;

  return n;
}

static void
scan (Fixture *fixture,
      guint    expected)
{
  g_autoptr(GError) error = NULL;
  guint n_processed = G_MAXUINT;

  g_assert_true (rcrp_spool_scan (fixture->spool, &n_processed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_processed, ==, expected);
}

static void
assert_stored (RcrpStore  *store,
               const char *cad_ref)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcrpCall) call = rcrp_store_get_call (store, cad_ref, &error);

  g_assert_no_error (error);
  g_assert_nonnull (call);
  g_assert_cmpstr (rcrp_call_get_cad_ref (call), ==, cad_ref);
}

static void
assert_not_stored (RcrpStore  *store,
                   const char *cad_ref)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcrpCall) call = rcrp_store_get_call (store, cad_ref, &error);

  g_assert_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_NOT_FOUND);
  g_assert_null (call);
}

static gint64
last_event_id (RcrpStore *store)
{
  g_autoptr(GError) error = NULL;
  gint64 id = rcrp_store_get_last_event_id (store, &error);

  g_assert_no_error (error);

  return id;
}

static Record *
record_at (Fixture *fixture,
           guint    index)
{
  g_assert_cmpuint (index, <, fixture->records->len);

  return g_ptr_array_index (fixture->records, index);
}

/* The host part of a claim name, as the spool writes it. */
static char *
claim_host (void)
{
  GString *clean = g_string_new (NULL);

  for (const char *p = g_get_host_name (); *p != '\0' && clean->len < 64; p++)
    g_string_append_c (clean, g_ascii_isalnum (*p) || *p == '-' ? *p : '_');

  return g_string_free (clean, FALSE);
}

static GPid
dead_pid (void)
{
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "true", NULL };
  GPid pid = 0;
  int status;

  g_spawn_async (NULL, (char **) argv, NULL,
                 G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
                 NULL, NULL, &pid, &error);
  g_assert_no_error (error);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);

  return pid;
}

/* Tests: one scan at a time ------------------------------------------------------ */

static void
test_accepted_file_is_stored_and_processed (Fixture       *fixture,
                                            gconstpointer  user_data)
{
  g_autofree char *first = call_json ("HC-20261122-0001", "Ward staff report a patient left.");
  g_autofree char *second = call_json ("HC-20261122-0002", "RP concerned for her son.");
  g_autofree char *document = g_strdup_printf ("[%s, %s]", first, second);
  g_autofree char *waiting = path_in (fixture->folder, "calls.json");
  g_autofree char *processed = sub_path (fixture, "processed", "calls.json");
  g_autofree char *kept = NULL;
  g_autofree char *claimed = path_in (fixture->folder, ".claimed");
  g_autofree char *rejected = path_in (fixture->folder, "rejected");
  g_autofree char *processed_folder = path_in (fixture->folder, "processed");
  GStatBuf st;

  drop_file (fixture, "calls.json", document);
  scan (fixture, 1);

  g_assert_false (g_file_test (waiting, G_FILE_TEST_EXISTS));
  kept = read_file (processed);
  g_assert_cmpstr (kept, ==, document);
  assert_stored (fixture->store, "HC-20261122-0001");
  assert_stored (fixture->store, "HC-20261122-0002");

  g_assert_cmpuint (fixture->records->len, ==, 1);
  g_assert_cmpstr (record_at (fixture, 0)->name, ==, "calls.json");
  g_assert_true (record_at (fixture, 0)->accepted);
  g_assert_nonnull (strstr (record_at (fixture, 0)->message, "2 new"));

  /* Nothing left claimed or refused, and the folders are private. */
  g_assert_cmpuint (count_entries (claimed), ==, 0);
  g_assert_cmpuint (count_entries (rejected), ==, 0);
  g_assert_cmpint (g_stat (processed_folder, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0007, ==, 0);
}

static void
test_bad_file_is_rejected_with_reason (Fixture       *fixture,
                                       gconstpointer  user_data)
{
  g_autofree char *good = call_json ("HC-20261122-0010", "RP concerned for her son.");
  g_autofree char *bad = call_json ("HC-20261122-0011", "RP concerned for her son.");
  g_autofree char *document = NULL;
  g_autofree char *rejected = sub_path (fixture, "rejected", "bad.json");
  g_autofree char *reason_path = sub_path (fixture, "rejected", "bad.json.error.txt");
  g_autofree char *syntax_reason_path = sub_path (fixture, "rejected", "syntax.json.error.txt");
  g_autofree char *reason = NULL;
  g_autofree char *syntax_reason = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) syntax_lines = NULL;
  GStatBuf st;
  char *category;

  /* The second call of two has a category the contract does not know: the
   * whole file is refused and the good call is not stored either. */
  category = strstr (bad, "concern_for_welfare");
  memcpy (category, "concern_for_whatev", strlen ("concern_for_whatev"));
  document = g_strdup_printf ("[%s, %s]", good, bad);
  drop_file (fixture, "bad.json", document);
  drop_file (fixture, "syntax.json", "{\n  \"schema\": \"rcrp.call/1\",\n  // a comment\n}\n");

  scan (fixture, 2);

  g_assert_true (g_file_test (rejected, G_FILE_TEST_IS_REGULAR));
  reason = read_file (reason_path);
  lines = g_strsplit (reason, "\n", 2);
  g_assert_nonnull (strstr (lines[0], "bad.json"));
  g_assert_nonnull (strstr (lines[0], "calls[1].category"));
  assert_not_stored (fixture->store, "HC-20261122-0010");
  assert_not_stored (fixture->store, "HC-20261122-0011");

  /* A syntax fault is named by line and column. */
  syntax_reason = read_file (syntax_reason_path);
  syntax_lines = g_strsplit (syntax_reason, "\n", 2);
  g_assert_true (g_str_has_prefix (syntax_lines[0], "syntax.json:3:"));

  /* Written whole, readable by the group, by no one else. */
  g_assert_cmpint (g_stat (reason_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0640);

  g_assert_cmpuint (fixture->records->len, ==, 2);
  g_assert_cmpstr (record_at (fixture, 0)->name, ==, "bad.json");
  g_assert_false (record_at (fixture, 0)->accepted);
  g_assert_cmpstr (record_at (fixture, 0)->message, ==, lines[0]);
  g_assert_false (record_at (fixture, 1)->accepted);
  /* Nothing but what a new database starts with: its first user and
   * the agency directory. */
  g_assert_cmpint (last_event_id (fixture->store), ==, 2);
}

static void
test_ignores_dot_files_other_names_and_folders (Fixture       *fixture,
                                                gconstpointer  user_data)
{
  g_autofree char *contents = call_json ("HC-20261122-0020", "RP concerned for her son.");
  g_autofree char *folder_named_json = path_in (fixture->folder, "folder.json");
  g_autofree char *inner = path_in (folder_named_json, "inner.json");
  const char *names[] = { ".in-progress.json", "notes.txt", "calls.json.tmp", "json" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = path_in (fixture->folder, names[i]);

      write_file (path, contents);
    }
  write_file (inner, contents);

  scan (fixture, 0);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = path_in (fixture->folder, names[i]);
      g_autofree char *kept = read_file (path);

      g_assert_cmpstr (kept, ==, contents);
    }
  g_assert_true (g_file_test (inner, G_FILE_TEST_IS_REGULAR));
  assert_not_stored (fixture->store, "HC-20261122-0020");
  g_assert_cmpuint (fixture->records->len, ==, 0);
}

/* The refusal filed for @name in rejected/, which must exist. */
static char *
read_refusal (Fixture    *fixture,
              const char *name)
{
  g_autofree char *error_name = g_strconcat (name, ".error.txt", NULL);
  g_autofree char *path = sub_path (fixture, "rejected", error_name);

  return read_file (path);
}

static const Record *
find_record (Fixture    *fixture,
             const char *name)
{
  for (guint i = 0; i < fixture->records->len; i++)
    {
      const Record *record = g_ptr_array_index (fixture->records, i);

      if (g_str_equal (record->name, name))
        return record;
    }

  g_error ("no report for %s", name);
}

/* A link, a FIFO and a ".JSON" name are never read, and never skipped
 * unseen either: each is filed in rejected/ with its reason and reported,
 * the link moved as a link and its target left alone.
 */
static void
test_refuses_links_special_files_and_upper_case (Fixture       *fixture,
                                                 gconstpointer  user_data)
{
  g_autofree char *contents = call_json ("HC-20261122-0021", "RP concerned for her son.");
  g_autofree char *upper = call_json ("HC-20261122-0022", "RP concerned for her son.");
  g_autofree char *target = path_in (fixture->root, "elsewhere.json");
  g_autofree char *link = path_in (fixture->folder, "link.json");
  g_autofree char *fifo = path_in (fixture->folder, "pipe.json");
  g_autofree char *upper_path = path_in (fixture->folder, "CALLS.JSON");
  g_autofree char *filed_link = sub_path (fixture, "rejected", "link.json");
  g_autofree char *filed_fifo = sub_path (fixture, "rejected", "pipe.json");
  g_autofree char *filed_upper = sub_path (fixture, "rejected", "CALLS.JSON");
  g_autofree char *processed = g_build_filename (fixture->folder, "processed", NULL);
  g_autofree char *reason = NULL;
  GStatBuf st;

  write_file (target, contents);
  write_file (upper_path, upper);
  g_assert_cmpint (symlink (target, link), ==, 0);
  g_assert_cmpint (mkfifo (fifo, 0640), ==, 0);

  /* A FIFO would block a read for ever: the scan returns. */
  scan (fixture, 3);

  assert_not_stored (fixture->store, "HC-20261122-0021");
  assert_not_stored (fixture->store, "HC-20261122-0022");
  g_assert_cmpuint (count_entries (fixture->folder), ==, 3); /* .claimed, processed, rejected */
  g_assert_cmpuint (count_entries (processed), ==, 0);

  g_assert_true (g_file_test (filed_link, G_FILE_TEST_IS_SYMLINK));
  g_assert_cmpint (g_stat (target, &st), ==, 0);
  g_assert_true (S_ISREG (st.st_mode));
  reason = read_refusal (fixture, "link.json");
  g_assert_true (g_str_has_prefix (reason, "link.json: a symbolic link"));
  g_clear_pointer (&reason, g_free);
  g_assert_false (find_record (fixture, "link.json")->accepted);
  g_assert_nonnull (strstr (find_record (fixture, "link.json")->message, "symbolic link"));

  g_assert_cmpint (g_lstat (filed_fifo, &st), ==, 0);
  g_assert_true (S_ISFIFO (st.st_mode));
  reason = read_refusal (fixture, "pipe.json");
  g_assert_true (g_str_has_prefix (reason, "pipe.json: a FIFO"));
  g_clear_pointer (&reason, g_free);
  g_assert_false (find_record (fixture, "pipe.json")->accepted);

  g_assert_true (g_file_test (filed_upper, G_FILE_TEST_IS_REGULAR));
  reason = read_refusal (fixture, "CALLS.JSON");
  g_assert_nonnull (strstr (reason, "lower-case"));
  g_assert_false (find_record (fixture, "CALLS.JSON")->accepted);

  /* Filed once: the next scan has nothing to say. */
  scan (fixture, 0);
}

typedef struct
{
  char          *path;
  char          *link;
  char          *contents;
  volatile gint  stop;
} Swapper;

/* Puts a regular file in the spool and, at once, a link over it, again and
 * again, as someone who can write the spool folder could. */
static gpointer
swap_thread (gpointer data)
{
  Swapper *swapper = data;
  g_autofree char *temporary = g_strconcat (swapper->path, ".tmp", NULL);
  g_autofree char *dir = g_path_get_dirname (swapper->path);
  g_autofree char *dot_file = g_build_filename (dir, ".f.tmp", NULL);
  g_autofree char *dot_link = g_build_filename (dir, ".l.tmp", NULL);

  while (!g_atomic_int_get (&swapper->stop))
    {
      g_file_set_contents (dot_file, swapper->contents, -1, NULL);
      g_rename (dot_file, swapper->path);
      g_unlink (dot_link);
      if (symlink (swapper->link, dot_link) == 0)
        g_rename (dot_link, swapper->path);
    }

  return NULL;
}

/* A regular file seen when the folder is read and swapped for a link
 * before the claim: the claim moves the link, and the read refuses it,
 * so what the link points to is never stored. */
static void
test_link_swapped_in_before_claim_is_refused (Fixture       *fixture,
                                              gconstpointer  user_data)
{
  g_autofree char *secret = call_json ("HC-20261122-0666", "Outside the spool.");
  g_autofree char *target = path_in (fixture->root, "outside.json");
  g_autofree char *processed = g_build_filename (fixture->folder, "processed", NULL);
  Swapper swapper = { 0, };
  GThread *thread;
  gint64 until;
  guint rounds = 0;

  write_file (target, secret);
  g_assert_cmpint (g_mkdir_with_parents (fixture->folder, 0750), ==, 0);
  swapper.path = path_in (fixture->folder, "swap.json");
  swapper.link = g_strdup (target);
  swapper.contents = call_json ("HC-20261122-0023", "In the spool.");

  thread = g_thread_new ("swapper", swap_thread, &swapper);
  until = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < until)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (rcrp_spool_scan (fixture->spool, NULL, &error));
      g_assert_no_error (error);
      rounds++;
    }
  g_atomic_int_set (&swapper.stop, 1);
  g_thread_join (thread);

  g_test_message ("%u scans, %u files reported", rounds, fixture->records->len);
  g_assert_cmpuint (fixture->records->len, >, 0);

  /* The regular file was stored at least once; the link's target never. */
  assert_not_stored (fixture->store, "HC-20261122-0666");
  {
    g_autoptr(GDir) dir = g_dir_open (processed, 0, NULL);
    const char *entry;

    while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (processed, entry, NULL);

        g_assert_false (g_file_test (path, G_FILE_TEST_IS_SYMLINK));
      }
  }

  g_free (swapper.path);
  g_free (swapper.link);
  g_free (swapper.contents);
}

/* processed/, rejected/ and .claimed/ are the spool's own: a link in the
 * place of one stops the scan with a message, and nothing is written
 * through it. */
static void
test_refuses_linked_subfolders (Fixture       *fixture,
                                gconstpointer  user_data)
{
  const char *subfolders[] = { "processed", "rejected", ".claimed" };

  for (guint i = 0; i < G_N_ELEMENTS (subfolders); i++)
    {
      g_autofree char *elsewhere = path_in (fixture->root, subfolders[i][0] == '.' ? "claimed-elsewhere"
                                                                              : subfolders[i]);
      g_autofree char *sub = path_in (fixture->folder, subfolders[i]);
      g_autofree char *name = g_strdup_printf ("call-%u.json", i);
      g_autofree char *dropped = path_in (fixture->folder, name);
      g_autoptr(GError) error = NULL;

      g_assert_cmpint (g_mkdir_with_parents (elsewhere, 0750), ==, 0);
      g_assert_cmpint (g_mkdir_with_parents (fixture->folder, 0750), ==, 0);
      /* The other folders real, this one a link. */
      for (guint j = 0; j < G_N_ELEMENTS (subfolders); j++)
        {
          g_autofree char *other = path_in (fixture->folder, subfolders[j]);

          if (j != i && !g_file_test (other, G_FILE_TEST_IS_SYMLINK))
            g_mkdir_with_parents (other, 0750);
          else if (j != i)
            {
              g_assert_cmpint (g_unlink (other), ==, 0);
              g_assert_cmpint (g_mkdir (other, 0750), ==, 0);
            }
        }
      if (g_file_test (sub, G_FILE_TEST_IS_DIR) && !g_file_test (sub, G_FILE_TEST_IS_SYMLINK))
        g_assert_cmpint (g_rmdir (sub), ==, 0);
      g_assert_cmpint (symlink (elsewhere, sub), ==, 0);
      drop_call (fixture, name, "HC-20261122-0030");

      g_assert_false (rcrp_spool_scan (fixture->spool, NULL, &error));
      g_assert_error (error, RCRP_SPOOL_ERROR, RCRP_SPOOL_ERROR_FOLDER);
      g_assert_nonnull (strstr (error->message, sub));
      g_assert_nonnull (strstr (error->message, "symbolic link"));

      g_assert_cmpuint (count_entries (elsewhere), ==, 0);
      g_assert_true (g_file_test (dropped, G_FILE_TEST_IS_REGULAR));
      assert_not_stored (fixture->store, "HC-20261122-0030");
      g_assert_cmpint (g_unlink (dropped), ==, 0);
    }
}

static void
test_never_ingests_twice (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autofree char *again = sub_path (fixture, "processed", "repeat.1.json");
  g_autofree char *first = sub_path (fixture, "processed", "repeat.json");
  gint64 events;

  drop_call (fixture, "repeat.json", "HC-20261122-0030");
  scan (fixture, 1);
  events = last_event_id (fixture->store);
  g_assert_cmpint (events, >, 0);

  /* At-least-once delivery: the same content again changes nothing. */
  drop_call (fixture, "repeat.json", "HC-20261122-0030");
  scan (fixture, 1);
  g_assert_cmpint (last_event_id (fixture->store), ==, events);

  g_assert_true (g_file_test (first, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (again, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (fixture->records->len, ==, 2);
  g_assert_true (record_at (fixture, 1)->accepted);
  g_assert_nonnull (strstr (record_at (fixture, 1)->message, "unchanged"));

  /* A scan with nothing waiting processes nothing. */
  scan (fixture, 0);
}

static void
test_name_collision_does_not_clobber (Fixture       *fixture,
                                      gconstpointer  user_data)
{
  g_autofree char *processed = sub_path (fixture, "processed", "clash.json");
  g_autofree char *processed_1 = sub_path (fixture, "processed", "clash.1.json");
  g_autofree char *processed_2 = sub_path (fixture, "processed", "clash.2.json");
  g_autofree char *rejected = sub_path (fixture, "rejected", "refused.json");
  g_autofree char *rejected_reason = sub_path (fixture, "rejected", "refused.json.error.txt");
  g_autofree char *rejected_1 = sub_path (fixture, "rejected", "refused.1.json");
  g_autofree char *orphan_reason = sub_path (fixture, "rejected", "refused.1.json.error.txt");
  g_autofree char *rejected_2 = sub_path (fixture, "rejected", "refused.2.json");
  g_autofree char *rejected_2_reason = sub_path (fixture, "rejected", "refused.2.json.error.txt");
  g_autofree char *kept = NULL;
  g_autofree char *kept_reason = NULL;
  g_autofree char *kept_orphan = NULL;
  g_autofree char *reason = NULL;

  write_file (processed, "earlier file\n");
  write_file (processed_1, "earlier file 1\n");
  write_file (rejected, "earlier refusal\n");
  write_file (rejected_reason, "earlier reason\n");
  /* A reason without its file still reserves the name. */
  write_file (orphan_reason, "orphan reason\n");

  drop_call (fixture, "clash.json", "HC-20261122-0040");
  drop_file (fixture, "refused.json", "not json at all");
  scan (fixture, 2);

  kept = read_file (processed);
  g_assert_cmpstr (kept, ==, "earlier file\n");
  g_clear_pointer (&kept, g_free);
  kept = read_file (processed_1);
  g_assert_cmpstr (kept, ==, "earlier file 1\n");
  g_assert_true (g_file_test (processed_2, G_FILE_TEST_IS_REGULAR));
  assert_stored (fixture->store, "HC-20261122-0040");

  g_clear_pointer (&kept, g_free);
  kept = read_file (rejected);
  g_assert_cmpstr (kept, ==, "earlier refusal\n");
  kept_reason = read_file (rejected_reason);
  g_assert_cmpstr (kept_reason, ==, "earlier reason\n");
  kept_orphan = read_file (orphan_reason);
  g_assert_cmpstr (kept_orphan, ==, "orphan reason\n");
  g_assert_false (g_file_test (rejected_1, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (rejected_2, G_FILE_TEST_IS_REGULAR));
  reason = read_file (rejected_2_reason);
  g_assert_true (g_str_has_prefix (reason, "refused.json:1:"));
}

static void
test_long_name_is_claimed_under_short_one (Fixture       *fixture,
                                           gconstpointer  user_data)
{
  g_autoptr(GString) name = g_string_new (NULL);
  g_autofree char *processed = path_in (fixture->folder, "processed");
  g_autoptr(GDir) dir = NULL;
  const char *kept;

  /* 245 bytes is a legal name, too long to add ".HOST.PID.RANDOM" to. */
  while (name->len < 240)
    g_string_append (name, "incident-");
  g_string_truncate (name, 240);
  g_string_append (name, ".json");

  drop_call (fixture, name->str, "HC-20261122-0045");
  scan (fixture, 1);
  assert_stored (fixture->store, "HC-20261122-0045");

  dir = g_dir_open (processed, 0, NULL);
  kept = g_dir_read_name (dir);
  g_assert_nonnull (kept);
  g_assert_true (g_str_has_prefix (kept, "incident-incident-"));
  g_assert_true (g_str_has_suffix (kept, ".json"));
  g_assert_cmpuint (strlen (kept), <, name->len);
  g_assert_null (g_dir_read_name (dir));
}

static void
test_finishes_claim_of_dead_process (Fixture       *fixture,
                                     gconstpointer  user_data)
{
  g_autofree char *host = claim_host ();
  g_autofree char *dead_claim = g_strdup_printf ("orphan.json.%s.%d.0badf00d", host, (int) dead_pid ());
  g_autofree char *dead_path = sub_path (fixture, ".claimed", dead_claim);
  g_autofree char *stored_claim = g_strdup_printf ("stored.json.%s.%d.0000beef", host, (int) dead_pid ());
  g_autofree char *stored_path = sub_path (fixture, ".claimed", stored_claim);
  g_autofree char *live_claim = g_strdup_printf ("busy.json.%s.%d.12345678", host, (int) getppid ());
  g_autofree char *live_path = sub_path (fixture, ".claimed", live_claim);
  g_autofree char *mine_claim = g_strdup_printf ("mine.json.%s.%d.87654321", host, (int) getpid ());
  g_autofree char *mine_path = sub_path (fixture, ".claimed", mine_claim);
  g_autofree char *orphan_contents = call_json ("HC-20261122-0050", "RP concerned for her son.");
  g_autofree char *stored_contents = call_json ("HC-20261122-0051", "RP concerned for his mother.");
  g_autofree char *processed_orphan = sub_path (fixture, "processed", "orphan.json");
  g_autofree char *processed_stored = sub_path (fixture, "processed", "stored.json");
  g_autoptr(GBytes) bytes = g_bytes_new (stored_contents, strlen (stored_contents));
  g_autoptr(GPtrArray) calls = NULL;
  g_autoptr(GError) error = NULL;
  RcrpIngestResult result;
  gint64 events;

  /* One process died after claiming a file; another died after storing
   * its file but before filing it away. */
  write_file (dead_path, orphan_contents);
  write_file (stored_path, stored_contents);
  calls = rcrp_feed_parse_bytes (bytes, "stored.json", &error);
  g_assert_no_error (error);
  rcrp_store_ingest (fixture->store, "stored.json", bytes, calls, &result, &error);
  g_assert_no_error (error);
  events = last_event_id (fixture->store);

  /* A living process on this host, and this very process, are left alone. */
  write_file (live_path, orphan_contents);
  write_file (mine_path, orphan_contents);

  scan (fixture, 2);

  g_assert_true (g_file_test (processed_orphan, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (processed_stored, G_FILE_TEST_IS_REGULAR));
  g_assert_false (g_file_test (dead_path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (stored_path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (live_path, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (mine_path, G_FILE_TEST_IS_REGULAR));
  assert_stored (fixture->store, "HC-20261122-0050");

  /* The already stored file changed nothing: one new event, for the orphan. */
  g_assert_cmpint (last_event_id (fixture->store), ==, events + 1);
  g_assert_cmpuint (fixture->records->len, ==, 2);
  g_assert_cmpstr (record_at (fixture, 0)->name, ==, "orphan.json");
  g_assert_cmpstr (record_at (fixture, 1)->name, ==, "stored.json");
  g_assert_nonnull (strstr (record_at (fixture, 1)->message, "unchanged"));
}

static void
test_other_host_claim_taken_over_when_old (Fixture       *fixture,
                                           gconstpointer  user_data)
{
  g_autofree char *claim = g_strdup_printf ("remote.json.ws-elsewhere.%d.abcdef01", (int) getpid ());
  g_autofree char *claim_path = sub_path (fixture, ".claimed", claim);
  g_autofree char *contents = call_json ("HC-20261122-0060", "RP concerned for her son.");
  g_autofree char *processed = sub_path (fixture, "processed", "remote.json");

  write_file (claim_path, contents);

  /* Another workstation may still be working on a fresh claim. */
  g_assert_cmpuint (rcrp_spool_get_stale_claim_age (fixture->spool), ==, RCRP_SPOOL_DEFAULT_STALE_CLAIM_AGE);
  scan (fixture, 0);
  g_assert_true (g_file_test (claim_path, G_FILE_TEST_IS_REGULAR));

  /* The age is measured from the claim's rename, which cannot be faked
   * backwards, so the test shortens the age instead. */
  g_object_set (fixture->spool, "stale-claim-age", 0, NULL);
  scan (fixture, 1);
  g_assert_false (g_file_test (claim_path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (processed, G_FILE_TEST_IS_REGULAR));
  assert_stored (fixture->store, "HC-20261122-0060");
}

static void
test_store_failure_puts_file_back (Fixture       *fixture,
                                   gconstpointer  user_data)
{
  g_autoptr(TestFlakyStore) flaky = test_flaky_store_new (fixture->store, 1);
  g_autoptr(RcrpSpool) spool = new_spool (fixture, RCRP_STORE (flaky));
  g_autofree char *waiting = path_in (fixture->folder, "locked.json");
  g_autofree char *claimed = path_in (fixture->folder, ".claimed");
  g_autofree char *processed = sub_path (fixture, "processed", "locked.json");
  g_autofree char *rejected = path_in (fixture->folder, "rejected");
  g_autoptr(GError) error = NULL;
  guint n_processed = G_MAXUINT;

  drop_call (fixture, "locked.json", "HC-20261122-0070");

  /* The database is busy: not the file's fault, so not refused. */
  g_assert_false (rcrp_spool_scan (spool, &n_processed, &error));
  g_assert_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, "locked.json"));
  g_assert_cmpuint (n_processed, ==, 0);
  g_assert_true (g_file_test (waiting, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (count_entries (claimed), ==, 0);
  g_assert_cmpuint (count_entries (rejected), ==, 0);
  g_assert_cmpuint (fixture->records->len, ==, 0);
  g_clear_error (&error);

  /* Next time round it goes through. */
  g_assert_true (rcrp_spool_scan (spool, &n_processed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_processed, ==, 1);
  g_assert_true (g_file_test (processed, G_FILE_TEST_IS_REGULAR));
  assert_stored (fixture->store, "HC-20261122-0070");
  g_assert_cmpuint (flaky->attempts, ==, 2);

  g_assert_finalize_object (g_steal_pointer (&spool));
  g_assert_finalize_object (g_steal_pointer (&flaky));
}

/* Tests: several spools on one folder ---------------------------------------------- */

#define N_RACE_FILES 200

static void
drop_race_files (Fixture *fixture)
{
  for (guint i = 0; i < N_RACE_FILES; i++)
    {
      g_autofree char *name = g_strdup_printf ("race-%03u.json", i);
      g_autofree char *cad_ref = g_strdup_printf ("RACE-%03u", i);

      drop_call (fixture, name, cad_ref);
    }
}

/* Every file stored exactly once and filed under its own name; nothing
 * left behind or refused. */
static void
assert_race_finished (Fixture *fixture)
{
  g_autofree char *processed = path_in (fixture->folder, "processed");
  g_autofree char *rejected = path_in (fixture->folder, "rejected");
  g_autofree char *claimed = path_in (fixture->folder, ".claimed");
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (count_entries (processed), ==, N_RACE_FILES);
  g_assert_cmpuint (count_entries (rejected), ==, 0);
  g_assert_cmpuint (count_entries (claimed), ==, 0);
  /* processed/, rejected/ and .claimed/ are all that is left. */
  g_assert_cmpuint (count_entries (fixture->folder), ==, 3);

  for (guint i = 0; i < N_RACE_FILES; i++)
    {
      g_autofree char *name = g_strdup_printf ("race-%03u.json", i);
      g_autofree char *path = path_in (processed, name);
      g_autofree char *cad_ref = g_strdup_printf ("RACE-%03u", i);
      g_autoptr(RcrpCall) call = NULL;
      g_autoptr(GPtrArray) events = NULL;

      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

      call = rcrp_store_get_call (fixture->store, cad_ref, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (rcrp_call_get_version_count (call), ==, 1);
      events = rcrp_store_list_events (fixture->store, rcrp_call_get_id (call), &error);
      g_assert_no_error (error);
      g_assert_cmpuint (events->len, ==, 1);
    }

  g_assert_cmpint (last_event_id (fixture->store), ==, N_RACE_FILES + 2);  /* and the first two */
}

typedef struct
{
  RcrpSpool *spool;
  guint      n_processed;
  GError    *error;
} RaceRunner;

static gpointer
race_thread (gpointer data)
{
  RaceRunner *runner = data;

  rcrp_spool_scan (runner->spool, &runner->n_processed, &runner->error);

  return NULL;
}

static void
test_two_spools_race (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(RcrpStore) other_store = open_store (fixture, "ws-other");
  g_autoptr(GPtrArray) other_records = g_ptr_array_new_with_free_func (record_free);
  g_autoptr(GFile) folder = g_file_new_for_path (fixture->folder);
  g_autoptr(RcrpSpool) other = rcrp_spool_new (other_store, folder);
  RaceRunner runners[2] = { { fixture->spool, 0, NULL }, { other, 0, NULL } };
  GThread *threads[2];

  g_signal_connect (other, "file-processed", G_CALLBACK (on_file_processed_cb), other_records);
  drop_race_files (fixture);

  /* Two workstations with their own database connections, at once. */
  for (guint i = 0; i < 2; i++)
    threads[i] = g_thread_new ("race", race_thread, &runners[i]);
  for (guint i = 0; i < 2; i++)
    {
      g_thread_join (threads[i]);
      g_assert_no_error (runners[i].error);
    }

  g_test_message ("spools took %u and %u files", runners[0].n_processed, runners[1].n_processed);
  g_assert_cmpuint (runners[0].n_processed + runners[1].n_processed, ==, N_RACE_FILES);
  g_assert_cmpuint (fixture->records->len + other_records->len, ==, N_RACE_FILES);
  assert_race_finished (fixture);

  g_assert_finalize_object (g_steal_pointer (&other));
  g_assert_finalize_object (g_steal_pointer (&other_store));
}

static void
test_two_processes_race (Fixture       *fixture,
                         gconstpointer  user_data)
{
  const char *cli = g_getenv ("RCRP_CLI");
  GSubprocess *processes[2];

  if (cli == NULL || !g_file_test (cli, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("RCRP_CLI is not set to the rcrp tool");
      return;
    }

  drop_race_files (fixture);

  /* Only a user of the database stores calls: the watchers act as its
   * first user (a test build lets them). */
  g_setenv ("RCRP_TEST_OPERATOR", "tester", TRUE);

  /* Two headless watchers, as two workstations would run them. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GError) error = NULL;

      processes[i] = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                                       cli, "spool", "--once", "--database", fixture->database,
                                       fixture->folder, NULL);
      g_assert_no_error (error);
    }

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GError) error = NULL;

      g_subprocess_wait_check (processes[i], NULL, &error);
      g_assert_no_error (error);
      g_clear_object (&processes[i]);
    }
  g_unsetenv ("RCRP_TEST_OPERATOR");

  assert_race_finished (fixture);
}

/* Tests: watching ------------------------------------------------------------------- */

static gboolean
on_guard_timeout_cb (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;

  return G_SOURCE_REMOVE;
}

/* Runs the main context until @done says so. The guard only turns a hang
 * into a failure; it is not a timing assertion.
 */
static void
run_until (gboolean (*done) (Fixture *fixture),
           Fixture   *fixture)
{
  gboolean expired = FALSE;
  guint guard = g_timeout_add_seconds (60, on_guard_timeout_cb, &expired);

  while (!done (fixture) && !expired)
    g_main_context_iteration (NULL, TRUE);

  g_assert_false (expired);
  g_source_remove (guard);
}

static gboolean
has_one_record (Fixture *fixture)
{
  return fixture->records->len >= 1;
}

static gboolean
has_fifty_records (Fixture *fixture)
{
  return fixture->records->len >= 50;
}

static gboolean
spool_is_gone (Fixture *fixture)
{
  return fixture->spool == NULL;
}

static gboolean
has_failure (Fixture *fixture)
{
  return fixture->failures->len >= 1;
}

/* Drops the fixture's spool and waits until the last reference (a scan's,
 * perhaps) has gone on the main context.
 */
static void
release_spool (Fixture *fixture)
{
  g_object_add_weak_pointer (G_OBJECT (fixture->spool), (gpointer *) &fixture->spool);
  g_object_unref (fixture->spool);
  run_until (spool_is_gone, fixture);
}

static void
test_watcher_reports_dropped_file (Fixture       *fixture,
                                   gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *processed = sub_path (fixture, "processed", "dropped.json");

  g_assert_true (rcrp_spool_start (fixture->spool, &error));
  g_assert_no_error (error);

  drop_call (fixture, "dropped.json", "HC-20261122-0080");
  run_until (has_one_record, fixture);

  g_assert_cmpstr (record_at (fixture, 0)->name, ==, "dropped.json");
  g_assert_true (record_at (fixture, 0)->accepted);
  g_assert_true (g_file_test (processed, G_FILE_TEST_IS_REGULAR));
  assert_stored (fixture->store, "HC-20261122-0080");

  rcrp_spool_stop (fixture->spool);
  release_spool (fixture);
  g_assert_cmpuint (fixture->failures->len, ==, 0);
}

static void
test_watcher_dispose_while_scanning (Fixture       *fixture,
                                     gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *processed = path_in (fixture->folder, "processed");

  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *name = g_strdup_printf ("burst-%02u.json", i);
      g_autofree char *cad_ref = g_strdup_printf ("BURST-%02u", i);

      drop_call (fixture, name, cad_ref);
    }

  /* The first scan starts at once on a worker thread; letting go of the
   * spool then must neither crash nor lose the scan's work. */
  g_assert_true (rcrp_spool_start (fixture->spool, &error));
  g_assert_no_error (error);
  release_spool (fixture);

  g_assert_cmpuint (count_entries (processed), ==, 50);
  g_assert_cmpuint (fixture->records->len, ==, 50);
}

static void
test_watcher_retries_after_store_failure (Fixture       *fixture,
                                          gconstpointer  user_data)
{
  g_autoptr(TestFlakyStore) flaky = test_flaky_store_new (fixture->store, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *processed = sub_path (fixture, "processed", "retry.json");
  g_autofree char *waiting = path_in (fixture->folder, "retry.json");
  const GError *failure;

  g_assert_finalize_object (g_steal_pointer (&fixture->spool));
  fixture->spool = new_spool (fixture, RCRP_STORE (flaky));
  rcrp_spool_set_rescan_interval (fixture->spool, 1);
  g_assert_cmpuint (rcrp_spool_get_rescan_interval (fixture->spool), ==, 1);

  g_assert_true (rcrp_spool_start (fixture->spool, &error));
  g_assert_no_error (error);
  drop_call (fixture, "retry.json", "HC-20261122-0090");

  run_until (has_failure, fixture);
  failure = g_ptr_array_index (fixture->failures, 0);
  g_assert_error (failure, RCRP_STORE_ERROR, RCRP_STORE_ERROR_BUSY);

  /* The periodic rescan tries the file again and the store takes it. */
  run_until (has_one_record, fixture);
  g_assert_true (record_at (fixture, 0)->accepted);
  g_assert_true (g_file_test (processed, G_FILE_TEST_IS_REGULAR));
  g_assert_false (g_file_test (waiting, G_FILE_TEST_EXISTS));
  assert_stored (fixture->store, "HC-20261122-0090");

  rcrp_spool_stop (fixture->spool);
  release_spool (fixture);
  g_assert_finalize_object (g_steal_pointer (&flaky));
}

static void
test_watcher_takes_a_burst (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *processed = path_in (fixture->folder, "processed");

  g_assert_true (rcrp_spool_start (fixture->spool, &error));
  g_assert_no_error (error);
  /* A second start is harmless. */
  g_assert_true (rcrp_spool_start (fixture->spool, &error));

  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *name = g_strdup_printf ("wave-%02u.json", i);
      g_autofree char *cad_ref = g_strdup_printf ("WAVE-%02u", i);

      drop_call (fixture, name, cad_ref);
    }

  run_until (has_fifty_records, fixture);
  g_assert_cmpuint (count_entries (processed), ==, 50);

  rcrp_spool_stop (fixture->spool);
  release_spool (fixture);
  g_assert_cmpuint (fixture->records->len, ==, 50);
}

static gboolean
on_spin_timeout_cb (gpointer user_data)
{
  gboolean *over = user_data;

  *over = TRUE;
  return G_SOURCE_REMOVE;
}

/* Lets the watcher run for @msec: long enough for a scan to have started
 * and finished had it been asked for. */
static void
spin_for (guint msec)
{
  gboolean over = FALSE;

  g_timeout_add (msec, on_spin_timeout_cb, &over);
  while (!over)
    g_main_context_iteration (NULL, TRUE);
}

/* A writer that ignores the contract and writes under the final name is
 * left alone until it has finished, even past the gathering window: the
 * file is taken whole, not claimed half-written and refused. */
static void
test_watcher_waits_for_file_written_in_place (Fixture       *fixture,
                                              gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = call_json ("HC-20261122-0095", "RP concerned for her brother.");
  g_autofree char *path = path_in (fixture->folder, "in-place.json");
  g_autofree char *processed = sub_path (fixture, "processed", "in-place.json");
  gsize half = strlen (contents) / 2;
  int fd;

  g_assert_true (rcrp_spool_start (fixture->spool, &error));
  g_assert_no_error (error);
  /* The scan at start, of an empty folder. */
  spin_for (300);

  fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, contents, half), ==, (gssize) half);
  /* More than the gathering window, less than GIO's two seconds before it
   * takes a pause in the writing for the end of it. */
  spin_for (700);

  g_assert_cmpuint (fixture->records->len, ==, 0);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  g_assert_cmpint (write (fd, contents + half, strlen (contents) - half), ==, (gssize) (strlen (contents) - half));
  g_assert_cmpint (close (fd), ==, 0);
  run_until (has_one_record, fixture);

  g_assert_cmpstr (record_at (fixture, 0)->name, ==, "in-place.json");
  g_assert_true (record_at (fixture, 0)->accepted);
  g_assert_true (g_file_test (processed, G_FILE_TEST_IS_REGULAR));
  assert_stored (fixture->store, "HC-20261122-0095");

  rcrp_spool_stop (fixture->spool);
  release_spool (fixture);
  g_assert_cmpuint (fixture->failures->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/spool/accepted-file-is-stored-and-processed", test_accepted_file_is_stored_and_processed);
  ADD ("/spool/bad-file-is-rejected-with-reason", test_bad_file_is_rejected_with_reason);
  ADD ("/spool/ignores-dot-files-other-names-and-folders", test_ignores_dot_files_other_names_and_folders);
  ADD ("/spool/refuses-links-special-files-and-upper-case", test_refuses_links_special_files_and_upper_case);
  ADD ("/spool/link-swapped-in-before-claim-is-refused", test_link_swapped_in_before_claim_is_refused);
  ADD ("/spool/refuses-linked-subfolders", test_refuses_linked_subfolders);
  ADD ("/spool/never-ingests-a-file-twice", test_never_ingests_twice);
  ADD ("/spool/name-collision-does-not-clobber", test_name_collision_does_not_clobber);
  ADD ("/spool/long-name-is-claimed-under-short-one", test_long_name_is_claimed_under_short_one);
  ADD ("/spool/finishes-claim-of-dead-process", test_finishes_claim_of_dead_process);
  ADD ("/spool/takes-over-old-claim-of-other-host", test_other_host_claim_taken_over_when_old);
  ADD ("/spool/store-failure-puts-file-back", test_store_failure_puts_file_back);
  ADD ("/spool/two-spools-race-over-200-files", test_two_spools_race);
  ADD ("/spool/two-processes-race-over-200-files", test_two_processes_race);
  ADD ("/spool/watcher-reports-dropped-file", test_watcher_reports_dropped_file);
  ADD ("/spool/watcher-survives-dispose-while-scanning", test_watcher_dispose_while_scanning);
  ADD ("/spool/watcher-retries-after-store-failure", test_watcher_retries_after_store_failure);
  ADD ("/spool/watcher-takes-a-burst", test_watcher_takes_a_burst);
  ADD ("/spool/watcher-waits-for-a-file-written-in-place", test_watcher_waits_for_file_written_in_place);

#undef ADD

  return g_test_run ();
}

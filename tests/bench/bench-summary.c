/* bench-summary.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A month of calls (300,000) summarised as the shift-summary JSON: time
 * and peak memory of `rcrp export`, each run a process of its own so its
 * peak is its own. The same for 100,000 calls shows whether memory grows
 * with the number of calls. The baseline, measured in the same run, is the
 * sqlite3 floor: one plain scan of the same rows' category and outcome.
 *
 * The databases are made with the store's schema and filled by bulk SQL
 * (decision events with placeholder hashes: a summary does not walk the
 * chain), so making them takes seconds, not the hours 300,000 audited
 * decisions one by one would.
 */

#include "config.h"

#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "rcrp-clock.h"
#include "rcrp-context.h"
#include "rcrp-sqlite-store.h"

#include "bench-quick.h"

#define RUNS 5

static const char * const categories[] = {
  "concern_for_welfare", "walked_out_of_healthcare", "awol_mental_health", "medical_incident", "mental_health_other",
};
static const char * const outcomes[] = { "police_deployed", "referred", "signposted", "no_further_action" };
static const char * const ethnicities[] = { "W1", "W2", "B1", "B2", "A1", "A2", "M1", "O9", "NS" };
static const char * const sexes[] = { "female", "male", "other", "unknown" };
static const char * const bands[] = { "0-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+", "unknown" };
static const char * const agencies[] = { "crisis-team", "nhs-111-mh", "ambulance", "safe-haven" };

static void
check (int      rc,
       sqlite3 *db)
{
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    g_error ("sqlite: %s", sqlite3_errmsg (db));
}

/* Calls spread over November 2026, four in five decided. */
static void
make_database (const char *path,
               guint       n_calls)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcrpClock) clock = rcrp_system_clock_new ();
  /* The first user of a database is its administrator; `rcrp export`
   * runs as the user who runs this, who must be allowed to export. */
  g_autofree char *user = rcrp_context_dup_os_user ();
  g_autoptr(RcrpStore) store = rcrp_sqlite_store_open (path, clock, user, "bench-ws", &error);
  gint64 start = g_date_time_to_unix (g_date_time_new_from_iso8601 ("2026-11-01T00:00:00Z", NULL)) * G_USEC_PER_SEC;
  gint64 span = 30LL * 24 * 3600 * G_USEC_PER_SEC;
  sqlite3_stmt *call_stmt = NULL, *version_stmt = NULL, *event_stmt = NULL, *outcome_stmt = NULL;
  sqlite3 *db = NULL;
  GRand *rand = g_rand_new_with_seed (42);

  g_assert_no_error (error);
  g_clear_object (&store);

  check (sqlite3_open (path, &db), db);
  check (sqlite3_exec (db, "PRAGMA synchronous = OFF; BEGIN;"
                           "INSERT INTO documents (id, sha256, source, stored_at, operator, workstation, body) "
                           "VALUES (1, 'x', 'bench', 0, 'bench', 'bench', x'7b7d');", NULL, NULL, NULL), db);
  check (sqlite3_prepare_v2 (db, "INSERT INTO calls (id, cad_ref, category, grade, received_at, risks, threshold_risks, "
                                 "summary, status, version_count, current_version, updated_at, subject_sex, "
                                 "subject_ethnicity, age_band) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, 0, 0, 'Synthetic call', 'new', 1, ?1, ?5, ?6, ?7, ?8)",
                             -1, &call_stmt, NULL), db);
  check (sqlite3_prepare_v2 (db, "INSERT INTO call_versions (id, call_id, content_sha256, document_id, document_index, body) "
                                 "VALUES (?1, ?1, 'x', 1, 0, '{}')", -1, &version_stmt, NULL), db);
  check (sqlite3_prepare_v2 (db, "INSERT INTO events (at, kind, call_id, operator, workstation, payload, prev_hash, hash) "
                                 "VALUES (?1, 'call.decided', ?2, 'bench', 'bench-ws', ?3, 'x', 'x')",
                             -1, &event_stmt, NULL), db);
  check (sqlite3_prepare_v2 (db, "UPDATE calls SET status = 'decided', outcome = ?2, decided_at = ?3, "
                                 "first_decided_at = ?3, decided_by = 'bench', "
                                 "agency = json_extract (?4, '$.agency') WHERE id = ?1",
                             -1, &outcome_stmt, NULL), db);

  for (guint i = 1; i <= n_calls; i++)
    {
      g_autofree char *ref = g_strdup_printf ("BENCH-%07u", i);
      gint64 received = start + (gint64) ((double) span * (i - 1) / n_calls);

      sqlite3_bind_int64 (call_stmt, 1, i);
      sqlite3_bind_text (call_stmt, 2, ref, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (call_stmt, 3, categories[g_rand_int_range (rand, 0, G_N_ELEMENTS (categories))], -1, SQLITE_STATIC);
      sqlite3_bind_int (call_stmt, 4, g_rand_int_range (rand, 1, 5));
      sqlite3_bind_int64 (call_stmt, 5, received);
      sqlite3_bind_text (call_stmt, 6, sexes[g_rand_int_range (rand, 0, G_N_ELEMENTS (sexes))], -1, SQLITE_STATIC);
      sqlite3_bind_text (call_stmt, 7, ethnicities[g_rand_int_range (rand, 0, G_N_ELEMENTS (ethnicities))], -1, SQLITE_STATIC);
      sqlite3_bind_text (call_stmt, 8, bands[g_rand_int_range (rand, 0, G_N_ELEMENTS (bands))], -1, SQLITE_STATIC);
      check (sqlite3_step (call_stmt), db);
      sqlite3_reset (call_stmt);

      sqlite3_bind_int64 (version_stmt, 1, i);
      check (sqlite3_step (version_stmt), db);
      sqlite3_reset (version_stmt);

      if (g_rand_int_range (rand, 0, 5) > 0)
        {
          const char *outcome = outcomes[g_rand_int_range (rand, 0, G_N_ELEMENTS (outcomes))];
          gint64 decided = received + g_rand_int_range (rand, 60, 90 * 60) * (gint64) G_USEC_PER_SEC;
          g_autofree char *payload = g_str_equal (outcome, "referred")
            ? g_strdup_printf ("{\"outcome\":\"referred\",\"agency\":\"%s\"}",
                               agencies[g_rand_int_range (rand, 0, G_N_ELEMENTS (agencies))])
            : g_strdup_printf ("{\"outcome\":\"%s\"}", outcome);

          sqlite3_bind_int64 (event_stmt, 1, decided);
          sqlite3_bind_int64 (event_stmt, 2, i);
          sqlite3_bind_text (event_stmt, 3, payload, -1, SQLITE_TRANSIENT);
          check (sqlite3_step (event_stmt), db);
          sqlite3_reset (event_stmt);

          sqlite3_bind_int64 (outcome_stmt, 1, i);
          sqlite3_bind_text (outcome_stmt, 2, outcome, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (outcome_stmt, 3, decided);
          sqlite3_bind_text (outcome_stmt, 4, payload, -1, SQLITE_STATIC);
          check (sqlite3_step (outcome_stmt), db);
          sqlite3_reset (outcome_stmt);
        }
    }

  check (sqlite3_exec (db, "COMMIT; ANALYZE;", NULL, NULL, NULL), db);
  sqlite3_finalize (call_stmt);
  sqlite3_finalize (version_stmt);
  sqlite3_finalize (event_stmt);
  sqlite3_finalize (outcome_stmt);
  sqlite3_close (db);
  g_rand_free (rand);
}

/* Runs `rcrp export` on @path; sets the wall time and the child's peak
 * resident memory. */
static void
run_export (const char *path,
            const char *output,
            double     *seconds,
            long       *peak_kib)
{
  const char *cli = g_getenv ("RCRP_CLI");
  g_autoptr(GError) error = NULL;
  struct rusage usage;
  GPid pid;
  int status;
  gint64 start = g_get_monotonic_time ();
  char *argv[] = { (char *) cli, (char *) "export", (char *) "--from", (char *) "2026-11-01T00:00:00Z",
                   (char *) "--to", (char *) "2026-12-01T00:00:00Z", (char *) "--format", (char *) "json",
                   (char *) "--output", (char *) output, (char *) "--database", (char *) path, NULL };

  g_assert_nonnull (cli);
  if (!g_spawn_async (NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, &error))
    g_error ("%s", error->message);

  if (wait4 (pid, &status, 0, &usage) < 0 || !WIFEXITED (status) || WEXITSTATUS (status) != 0)
    g_error ("rcrp export failed (its message is above)");

  *seconds = (g_get_monotonic_time () - start) / 1e6;
  *peak_kib = usage.ru_maxrss;
}

static double
baseline_scan (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 start = g_get_monotonic_time ();
  guint counts[8] = { 0, };

  check (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), db);
  check (sqlite3_prepare_v2 (db, "SELECT category, outcome FROM calls WHERE received_at >= ?1 AND received_at < ?2",
                             -1, &stmt, NULL), db);
  sqlite3_bind_int64 (stmt, 1, 0);
  sqlite3_bind_int64 (stmt, 2, G_MAXINT64);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    counts[(sqlite3_column_bytes (stmt, 0) + sqlite3_column_bytes (stmt, 1)) % 8]++;
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return (g_get_monotonic_time () - start) / 1e6;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), (int (*) (const void *, const void *)) compare_doubles);

  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

int
main (int    argc,
      char **argv)
{
  guint sizes[] = { 100000, 300000 };
  guint runs = bench_is_quick () ? 1 : RUNS;
  g_autofree char *folder = g_dir_make_tmp ("rcrp-bench-summary-XXXXXX", NULL);
  long peaks[G_N_ELEMENTS (sizes)];
  double medians[G_N_ELEMENTS (sizes)];

  if (bench_is_quick ())
    {
      sizes[0] = 2000;
      sizes[1] = 6000;
    }

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autofree char *name = g_strdup_printf ("month-%u.db", sizes[s]);
      g_autofree char *path = g_build_filename (folder, name, NULL);
      g_autofree char *output = g_build_filename (folder, "summary.json", NULL);
      double times[RUNS], baselines[RUNS];
      long peak = 0;

      make_database (path, sizes[s]);

      for (guint r = 0; r < runs; r++)
        {
          long run_peak;

          run_export (path, output, &times[r], &run_peak);
          baselines[r] = baseline_scan (path);
          peak = MAX (peak, run_peak);
        }

      medians[s] = median (times, runs);
      peaks[s] = peak;
      printf ("%u calls: summary median %.3f s (target under 2 s), sqlite3 scan median %.3f s, ratio %.1f×; "
              "peak memory %.1f MiB\n",
              sizes[s], medians[s], median (baselines, runs), medians[s] / median (baselines, runs), peak / 1024.0);

      g_unlink (output);
      if (g_getenv ("RCRP_BENCH_KEEP") != NULL)
        {
          printf ("kept %s\n", path);
          continue;
        }
      for (const char *suffix = ""; suffix != NULL; suffix = *suffix == '\0' ? "-wal" : *suffix == '-' && suffix[1] == 'w' ? "-shm" : NULL)
        {
          g_autofree char *file = g_strconcat (path, suffix, NULL);

          g_unlink (file);
        }
    }

  printf ("Memory, %u against %u calls: %.2f× (flat means it does not grow with the calls)\n",
          sizes[1], sizes[0], (double) peaks[1] / peaks[0]);
  printf ("Time, %u against %u calls: %.2f×\n", sizes[1], sizes[0], medians[1] / medians[0]);

  if (g_getenv ("RCRP_BENCH_KEEP") == NULL)
    g_rmdir (folder);

  return 0;
}

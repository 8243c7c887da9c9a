/* bench-ingest.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Stores 100,000 simulated calls through the core (RcrpImport: strict
 * parse and validation on one thread, the store on another, as
 * `rcrp ingest` and a spool backlog do), and in the same run
 * inserts the very same rows with the plain sqlite3 API, so the figure
 * that matters is the ratio: what the core's checks, canonical JSON,
 * hashing and versioning cost over the inserts they make.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "rcrp-clock.h"
#include "rcrp-feed.h"
#include "rcrp-import.h"
#include "rcrp-simulator.h"
#include "rcrp-sqlite-store.h"

#include "bench-quick.h"

#define CALLS_PER_DOCUMENT 1000
#define RUNS 5

/* What the core writes for each document; call_search is the FTS5 index,
 * whose rowid is the call id and not among its columns. It is contentless
 * (schema 14), so what it indexed is read from the calls rows it was fed
 * from. */
static const char * const tables[] = { "documents", "calls", "call_versions", "events", "call_search" };
static const char * const sources[] = { "documents", "calls", "call_versions", "events", "calls" };
static const char * const columns[] = {
  "*", "*", "*", "*",
  "id AS rowid, cad_ref, COALESCE (postcode, '') AS postcode, "
  "COALESCE (subject_name, '') || ' ' || COALESCE (caller_name, '') AS names, "
  "CASE WHEN erased_at IS NULL THEN summary ELSE '' END AS summary"
};

typedef struct
{
  GPtrArray *rows[G_N_ELEMENTS (tables)];   /* of GPtrArray of sqlite3_value */
  guint      n_columns[G_N_ELEMENTS (tables)];
  GPtrArray *schema;                        /* CREATE statements */
  char      *insert[G_N_ELEMENTS (tables)]; /* INSERT statements, by column name */
} Rows;

static void
free_row (gpointer data)
{
  GPtrArray *row = data;

  g_ptr_array_unref (row);
}

static char *
make_folder (void)
{
  g_autoptr(GError) error = NULL;
  char *folder = g_dir_make_tmp ("rcrp-bench-XXXXXX", &error);

  g_assert_no_error (error);
  return folder;
}

static void
remove_database (const char *path)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_unlink (file);
    }
}

static void
on_ingested_cb (const char             *source,
                GPtrArray              *calls,
                const RcrpIngestResult *result,
                const GError           *refusal,
                gpointer                user_data)
{
  if (refusal != NULL)
    g_error ("%s", refusal->message);
}

static double
run_core (GPtrArray  *documents,
          const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 22, 19, 0, 0);
  g_autoptr(RcrpClock) clock = rcrp_fixed_clock_new (now);
  g_autoptr(RcrpStore) store = NULL;
  g_autoptr(RcrpImport) import = NULL;
  gint64 start;

  remove_database (path);
  store = rcrp_sqlite_store_open (path, clock, "bench", "bench-host", &error);
  g_assert_no_error (error);

  import = rcrp_import_new (store);
  for (guint i = 0; i < documents->len; i++)
    rcrp_import_add_bytes (import, g_ptr_array_index (documents, i), "bench.json");

  start = g_get_monotonic_time ();

  if (!rcrp_import_run (import, on_ingested_cb, NULL, &error))
    g_error ("%s", error->message);

  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

/* Reads back every row the core wrote, to insert the same ones again. */
static void
capture_rows (const char *path,
              Rows       *rows)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);

  /* Not the shadow tables of a virtual table (the search index's):
   * creating the virtual table makes them. */
  rows->schema = g_ptr_array_new_with_free_func (g_free);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL "
                                       "AND name NOT LIKE 'sqlite_%' "
                                       "AND name NOT IN (SELECT name FROM pragma_table_list WHERE type = 'shadow') "
                                       "ORDER BY type = 'table' DESC, rowid",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (rows->schema, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT %s FROM %s ORDER BY rowid", columns[t], sources[t]);
      g_autoptr(GString) insert = g_string_new (NULL);

      rows->rows[t] = g_ptr_array_new_with_free_func (free_row);
      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      rows->n_columns[t] = sqlite3_column_count (stmt);

      g_string_append_printf (insert, "INSERT INTO %s (", tables[t]);
      for (guint c = 0; c < rows->n_columns[t]; c++)
        g_string_append_printf (insert, "%s%s", c > 0 ? ", " : "", sqlite3_column_name (stmt, c));
      g_string_append (insert, ") VALUES (");
      for (guint c = 0; c < rows->n_columns[t]; c++)
        g_string_append_printf (insert, "%s?%u", c > 0 ? ", " : "", c + 1);
      g_string_append (insert, ")");
      rows->insert[t] = g_string_free (g_steal_pointer (&insert), FALSE);

      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          GPtrArray *row = g_ptr_array_new_with_free_func ((GDestroyNotify) sqlite3_value_free);

          for (guint c = 0; c < rows->n_columns[t]; c++)
            g_ptr_array_add (row, sqlite3_value_dup (sqlite3_column_value (stmt, c)));
          g_ptr_array_add (rows->rows[t], row);
        }
      sqlite3_finalize (stmt);
    }

  sqlite3_close (db);
}

static void
exec_or_die (sqlite3    *db,
             const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static void
insert_rows (sqlite3      *db,
             sqlite3_stmt *stmt,
             GPtrArray    *table_rows,
             guint         from,
             guint         to)
{
  for (guint r = from; r < to && r < table_rows->len; r++)
    {
      GPtrArray *row = g_ptr_array_index (table_rows, r);

      for (guint c = 0; c < row->len; c++)
        sqlite3_bind_value (stmt, c + 1, g_ptr_array_index (row, c));

      if (sqlite3_step (stmt) != SQLITE_DONE)
        g_error ("insert: %s", sqlite3_errmsg (db));
      sqlite3_reset (stmt);
    }
}

static double
run_baseline (Rows       *rows,
              const char *path,
              guint       n_documents)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *inserts[G_N_ELEMENTS (tables)];
  guint calls_per_document;
  gint64 start;

  remove_database (path);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  exec_or_die (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;");
  for (guint i = 0; i < rows->schema->len; i++)
    exec_or_die (db, g_ptr_array_index (rows->schema, i));

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    g_assert_cmpint (sqlite3_prepare_v2 (db, rows->insert[t], -1, &inserts[t], NULL), ==, SQLITE_OK);

  calls_per_document = rows->rows[1]->len / n_documents;
  start = g_get_monotonic_time ();

  /* One transaction a document, as the core does. */
  for (guint d = 0; d < n_documents; d++)
    {
      guint from = d * calls_per_document;
      guint to = d + 1 == n_documents ? G_MAXUINT : from + calls_per_document;

      exec_or_die (db, "BEGIN IMMEDIATE");
      insert_rows (db, inserts[0], rows->rows[0], d, d + 1);
      insert_rows (db, inserts[1], rows->rows[1], from, to);
      insert_rows (db, inserts[2], rows->rows[2], from, to);
      insert_rows (db, inserts[3], rows->rows[3], from, to);
      insert_rows (db, inserts[4], rows->rows[4], from, to);
      exec_or_die (db, "COMMIT");
    }

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    sqlite3_finalize (inserts[t]);
  sqlite3_close (db);

  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
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
main (int   argc,
      char *argv[])
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 22, 19, 0, 0);
  g_autoptr(RcrpSimulator) simulator = rcrp_simulator_new (20261122, now);
  g_autoptr(GPtrArray) documents = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autofree char *folder = make_folder ();
  g_autofree char *core_path = g_build_filename (folder, "core.db", NULL);
  g_autofree char *baseline_path = g_build_filename (folder, "baseline.db", NULL);
  const char *env = g_getenv ("RCRP_BENCH_CALLS");
  guint n_calls = env != NULL ? (guint) g_ascii_strtoull (env, NULL, 10) : bench_is_quick () ? 2000 : 100000;
  guint runs = bench_is_quick () ? 1 : RUNS;
  guint n_documents;
  double core[RUNS], baseline[RUNS];
  double core_median, baseline_median;
  Rows rows = { 0, };

  n_calls = MAX (n_calls, CALLS_PER_DOCUMENT);
  n_documents = n_calls / CALLS_PER_DOCUMENT;
  n_calls = n_documents * CALLS_PER_DOCUMENT;

  for (guint d = 0; d < n_documents; d++)
    {
      char *text = rcrp_simulator_generate (simulator, CALLS_PER_DOCUMENT, 12 * G_TIME_SPAN_HOUR);

      g_ptr_array_add (documents, g_bytes_new_take (text, strlen (text)));
    }

  /* A first run makes the rows the baseline inserts. */
  run_core (documents, core_path);
  capture_rows (core_path, &rows);
  g_assert_cmpuint (rows.rows[1]->len, ==, n_calls);

  for (guint i = 0; i < runs; i++)
    {
      core[i] = run_core (documents, core_path);
      baseline[i] = run_baseline (&rows, baseline_path, n_documents);
      g_print ("run %u: core %.3f s, sqlite3 baseline %.3f s\n", i + 1, core[i], baseline[i]);
    }

  core_median = median (core, runs);
  baseline_median = median (baseline, runs);

  g_print ("ingest %u calls in %u documents: core median %.3f s (%.0f calls/s), "
           "sqlite3 baseline median %.3f s, ratio %.2fx (target <= 2x)\n",
           n_calls, n_documents, core_median, n_calls / core_median,
           baseline_median, core_median / baseline_median);

  remove_database (core_path);
  remove_database (baseline_path);
  g_rmdir (folder);

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      g_ptr_array_unref (rows.rows[t]);
      g_free (rows.insert[t]);
    }
  g_ptr_array_unref (rows.schema);

  return 0;
}

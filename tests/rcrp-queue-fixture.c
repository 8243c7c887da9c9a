/* rcrp-queue-fixture.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sqlite3.h>

#include "rcrp-clock.h"
#include "rcrp-sqlite-store.h"

#include "rcrp-queue-fixture.h"

static const char * const words[] = {
  "neighbour", "worried", "ward", "barefoot", "river", "bridge", "tablets", "sister", "friend", "crisis",
  "team", "missing", "door", "shouting", "hospital", "leave", "section", "care", "home", "street",
};
static const char * const names[] = { "Smith", "Jones", "Patel", "Williams", "Brown", "Zoë", "Łukasz", "O'Connor" };
static const char * const categories[] = {
  "concern_for_welfare", "walked_out_of_healthcare", "awol_mental_health", "medical_incident", "mental_health_other",
};

static void
check (int      rc,
       sqlite3 *db)
{
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    g_error ("sqlite: %s", sqlite3_errmsg (db));
}

void
rcrp_queue_fixture_make_database (const char *path,
                                  guint       n_calls)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcrpClock) clock = rcrp_system_clock_new ();
  g_autoptr(RcrpStore) store = rcrp_sqlite_store_open (path, clock, "bench", "bench-ws", &error);
  sqlite3 *db = NULL;
  sqlite3_stmt *call = NULL, *search = NULL;
  GRand *rand = g_rand_new_with_seed (7);
  gint64 start = 1704067200LL * G_USEC_PER_SEC;  /* 2024-01-01 */

  g_assert_no_error (error);
  g_clear_object (&store);

  check (sqlite3_open (path, &db), db);
  check (sqlite3_exec (db, "PRAGMA synchronous = OFF; BEGIN;"
                           "INSERT INTO documents (id, sha256, source, stored_at, operator, workstation, body) "
                           "VALUES (1, 'x', 'bench', 0, 'bench', 'bench', x'7b7d');", NULL, NULL, NULL), db);
  check (sqlite3_prepare_v2 (db, "INSERT INTO calls (id, cad_ref, category, grade, received_at, risks, threshold_risks, "
                                 "summary, status, version_count, current_version, updated_at, outcome, decided_at) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, 0, 0, ?6, ?7, 1, ?1, ?5, ?8, ?9)", -1, &call, NULL), db);
  check (sqlite3_prepare_v2 (db, "INSERT INTO call_search (rowid, cad_ref, postcode, names, summary) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5)", -1, &search, NULL), db);

  for (guint i = 1; i <= n_calls; i++)
    {
      g_autofree char *ref = g_strdup_printf ("CAD-%08u", i);
      g_autofree char *summary = g_strdup_printf ("%s %s %s %s", words[g_rand_int_range (rand, 0, 20)],
                                                  words[g_rand_int_range (rand, 0, 20)],
                                                  words[g_rand_int_range (rand, 0, 20)],
                                                  words[g_rand_int_range (rand, 0, 20)]);
      g_autofree char *postcode = g_strdup_printf ("SO%u %u%c%c", g_rand_int_range (rand, 10, 60),
                                                   g_rand_int_range (rand, 1, 10), 'A' + g_rand_int_range (rand, 0, 26),
                                                   'A' + g_rand_int_range (rand, 0, 26));
      gint64 received = start + (gint64) i * 30 * G_USEC_PER_SEC;
      gboolean decided = i + 200 < n_calls;  /* the last 201 still open */

      sqlite3_bind_int64 (call, 1, i);
      sqlite3_bind_text (call, 2, ref, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (call, 3, categories[i % 5], -1, SQLITE_STATIC);
      sqlite3_bind_int (call, 4, 1 + (int) (i % 4));
      sqlite3_bind_int64 (call, 5, received);
      sqlite3_bind_text (call, 6, summary, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (call, 7, decided ? "decided" : "new", -1, SQLITE_STATIC);
      if (decided)
        {
          sqlite3_bind_text (call, 8, "signposted", -1, SQLITE_STATIC);
          sqlite3_bind_int64 (call, 9, received + 600 * G_USEC_PER_SEC);
        }
      else
        {
          sqlite3_bind_null (call, 8);
          sqlite3_bind_null (call, 9);
        }
      check (sqlite3_step (call), db);
      sqlite3_reset (call);

      sqlite3_bind_int64 (search, 1, i);
      sqlite3_bind_text (search, 2, ref, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (search, 3, postcode, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (search, 4, names[i % 8], -1, SQLITE_STATIC);
      sqlite3_bind_text (search, 5, summary, -1, SQLITE_TRANSIENT);
      check (sqlite3_step (search), db);
      sqlite3_reset (search);
    }

  check (sqlite3_exec (db, "COMMIT; ANALYZE;", NULL, NULL, NULL), db);
  sqlite3_finalize (call);
  sqlite3_finalize (search);
  sqlite3_close (db);
  g_rand_free (rand);
}

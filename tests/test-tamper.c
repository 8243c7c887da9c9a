/* test-tamper.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Edits to the database made as someone who can write it would make
 * them, with the append-only triggers dropped, each of which `rcrp verify`
 * (the hash chain and the rows rebuilt from it) or `rcrp verify
 * --checkpoints` (the signed checkpoint trail outside the database) must
 * catch, naming the first bad event or row. README's tamper table lists
 * the same cases.
 */

#include "config.h"

#include "rcrp-test-util.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>

#include "rcrp-checkpoint.h"
#include "rcrp-feed.h"
#include "rcrp-head-signature.h"
#include "rcrp-sqlite-store.h"
#include "rcrp-test-decision.h"

typedef struct
{
  char *folder;
  char *path;
  char *trail;
  char *pinned;   /* the writers' public keys, as /etc/rcrp/writer-keys holds them */
} Fixture;

/* Whether the fixture's writers sign their appends. */
static gboolean signing;

typedef RcrpTestResult Result;

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, rcrp_test_result_clear)

static char *state_home;

/* As alice, the databases' first user, with the checkpoint trail in the
 * test's own state folder. */
static void
run_cli (Result     *result,
         const char *first,
         ...)
{
  const char *environment[] = { "RCRP_TEST_OPERATOR", "alice", "XDG_STATE_HOME", state_home, NULL };
  va_list args;

  va_start (args, first);
  rcrp_test_run_cli_valist (result, NULL, environment, first, args);
  va_end (args);
}

static gint64
ingest (RcrpStore  *store,
        const char *text)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) calls = rcrp_feed_parse_bytes (bytes, "feed.json", &error);
  RcrpIngestResult result;

  g_assert_no_error (error);
  g_assert_true (rcrp_store_ingest (store, "feed.json", bytes, calls, &result, &error));
  g_assert_no_error (error);

  return 0;
}

#define CALL(ref, grade, summary) \
  "{\"schema\": \"rcrp.call/1\", \"cad_ref\": \"" ref "\", " \
  "\"received_at\": \"2026-11-24T09:50:00Z\", \"category\": \"concern_for_welfare\", " \
  "\"initial_grade\": " #grade ", \"summary\": \"" summary "\"}"

static gint64
decide (RcrpStore  *store,
        gint64      call_id,
        const char *outcome)
{
  g_autoptr(RcrpDecision) decision = rcrp_decision_new (call_id, outcome, outcome);
  g_autoptr(GError) error = NULL;
  gint64 id;

  if (g_str_equal (outcome, "referred"))
    rcrp_decision_set_agency (decision, "crisis-team");
  rcrp_test_rule_out_police (decision);
  id = rcrp_store_record_decision (store, decision, &error);
  g_assert_no_error (error);

  return id;
}

/* A small shift: six calls (one sent twice, two in one batch document),
 * decisions, an undo, an appeal, a second user; the last event is a
 * claim, which changes no row the log covers. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 ("2026-11-24T10:00:00Z", NULL);
  g_autoptr(RcrpClock) clock = rcrp_fixed_clock_new (now);
  g_autoptr(RcrpAppeal) appeal = NULL;
  RcrpStore *store;
  gint64 undone;

  fixture->folder = g_dir_make_tmp ("rcrp-tamper-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->folder, "shift.db", NULL);
  fixture->trail = g_build_filename (fixture->folder, "trail", NULL);
  g_free (state_home);
  state_home = g_build_filename (fixture->folder, "state", NULL);
  fixture->pinned = g_build_filename (fixture->folder, "writer-keys", NULL);

  /* alice's key, where the app, the CLI and the spool service look for
   * it ($RCRP_WRITER_KEY, inherited by the CLI), pinned as alice.pub. */
  if (signing)
    {
      g_autofree char *key = g_build_filename (state_home, "rcrp", "writer-key", NULL);
      g_autofree char *pinned = g_build_filename (fixture->pinned, "alice.pub", NULL);
      g_auto(Result) made = { 0, };
      g_auto(Result) again = { 0, };

      g_assert_cmpint (g_mkdir_with_parents (fixture->pinned, 0755), ==, 0);
      run_cli (&made, "writer-key", "--public-key", pinned, NULL);
      g_assert_cmpint (made.status, ==, 0);
      g_assert_nonnull (strstr (made.out, "/etc/rcrp/writer-keys/"));
      g_assert_true (g_file_test (key, G_FILE_TEST_IS_REGULAR));
      run_cli (&again, "writer-key", NULL);
      g_assert_cmpint (again.status, ==, 1);
      g_setenv ("RCRP_WRITER_KEY", key, TRUE);
    }

  store = rcrp_sqlite_store_open (fixture->path, clock, "alice", "ws-1", &error);
  g_assert_no_error (error);

  ingest (store, CALL ("CAD-1", 2, "Daughter worried about her father"));
  ingest (store, CALL ("CAD-2", 3, "Neighbour heard shouting"));
  ingest (store, CALL ("CAD-2", 2, "Neighbour heard shouting, now quiet"));
  ingest (store, CALL ("CAD-3", 2, "Man on the bridge parapet"));
  ingest (store, CALL ("CAD-4", 3, "Missed his depot injection"));
  ingest (store, "[" CALL ("CAD-5", 2, "Caller says she cannot cope") ","
                     CALL ("CAD-6", 3, "Wandering in the road at night") "]");

  decide (store, 1, "signposted");
  decide (store, 2, "referred");
  undone = decide (store, 3, "signposted");
  g_assert_cmpint (rcrp_store_undo_decision (store, undone, &error), >, 0);
  g_assert_no_error (error);
  appeal = rcrp_store_lodge_appeal (store, 1, RCRP_APPELLANT_CALLER, NULL, "Wants police to attend", &error);
  g_assert_no_error (error);
  g_assert_true (rcrp_store_add_user (store, "bob", RCRP_ROLE_COORDINATOR, "Bob Jones", &error));
  g_assert_no_error (error);
  g_assert_true (rcrp_store_claim_call (store, 6, "session-1", 5 * G_TIME_SPAN_MINUTE, FALSE, NULL, &error));
  g_assert_no_error (error);

  g_assert_finalize_object (store);
}

/* The same shift, and what the rest of the control room does: the crisis
 * team reports itself limited, the ambulance service answers nothing yet,
 * a dispute is logged and taken under review, and the coordinator working
 * CAD-6 has answered part of its checklist. */
static void
fixture_set_up_board (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 ("2026-11-24T10:05:00Z", NULL);
  g_autoptr(RcrpClock) clock = rcrp_fixed_clock_new (now);
  g_autoptr(GError) error = NULL;
  g_autoptr(RcrpDispute) dispute = NULL;
  g_autoptr(RcrpDispute) reviewed = NULL;
  const char * const refs[] = { "CAD-2", "CAD-4", NULL };
  RcrpStore *store;

  fixture_set_up (fixture, user_data);
  store = rcrp_sqlite_store_open (fixture->path, clock, "alice", "ws-1", &error);
  g_assert_no_error (error);

  g_assert_cmpint (rcrp_store_set_agency_state (store, "crisis-team", RCRP_AGENCY_STATUS_LIMITED, 1, 40,
                                                "One team out", &error), >, 0);
  g_assert_no_error (error);
  dispute = rcrp_store_add_dispute (store, RCRP_DISPUTE_KIND_DISPUTE, "Crisis team manager",
                                    "Referred two calls out of hours", refs, &error);
  g_assert_no_error (error);
  reviewed = rcrp_store_set_dispute_state (store, "DSP-2026-000001", RCRP_DISPUTE_UNDER_REVIEW, NULL, &error);
  g_assert_no_error (error);
  rcrp_store_save_draft (store, 6, "session-1", 5 * G_TIME_SPAN_MINUTE, "{\"risk_to_life\":\"no\"}", NULL, &error);
  g_assert_no_error (error);

  g_assert_finalize_object (store);
}

static void
fixture_set_up_signed (Fixture       *fixture,
                       gconstpointer  user_data)
{
  signing = TRUE;
  fixture_set_up (fixture, user_data);
  signing = FALSE;
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  if (g_getenv ("RCRP_WRITER_KEY") != NULL)
    g_unsetenv ("RCRP_WRITER_KEY");
  g_clear_pointer (&fixture->pinned, g_free);
  rcrp_test_remove_tree (fixture->folder);
  g_clear_pointer (&fixture->trail, g_free);
  g_clear_pointer (&fixture->path, g_free);
  g_clear_pointer (&fixture->folder, g_free);
}

static void
exec_sql (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

static gint64
query_int (const char *path,
           const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return value;
}

/* What someone with the sqlite3 shell does first. */
static void
drop_triggers (const char *path)
{
  exec_sql (path,
            "DROP TRIGGER IF EXISTS events_append_only_update;"
            "DROP TRIGGER IF EXISTS events_append_only_delete;"
            "DROP TRIGGER IF EXISTS call_versions_append_only_update;"
            "DROP TRIGGER IF EXISTS call_versions_append_only_delete;"
            "DROP TRIGGER IF EXISTS documents_append_only_update;"
            "DROP TRIGGER IF EXISTS documents_append_only_delete;"
            "DROP TRIGGER IF EXISTS erasures_append_only_update;"
            "DROP TRIGGER IF EXISTS erasures_append_only_delete;");
}

static void
checksum_add_field (GChecksum  *checksum,
                    const char *value)
{
  g_autofree char *length = g_strdup_printf ("%zu:", value != NULL ? strlen (value) : 0);

  g_checksum_update (checksum, (const guchar *) length, -1);
  if (value != NULL)
    g_checksum_update (checksum, (const guchar *) value, -1);
}

/* Recomputes every hash from event @from on, as a forger who knows the
 * published formula would, so the chain walks clean again. */
static void
rehash_from (const char *path,
             gint64      from)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autofree char *prev = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT hash FROM events WHERE id < ?1 ORDER BY id DESC LIMIT 1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, from);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    prev = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  else
    prev = g_strnfill (64, '0');
  sqlite3_finalize (stmt);

  for (gint64 id = from;; id++)
    {
      g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
      sqlite3_stmt *update = NULL;
      char number[32];

      g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT id, at, kind, COALESCE (call_id, 0), operator, workstation, "
                                               "payload FROM events WHERE id = ?1", -1, &stmt, NULL), ==, SQLITE_OK);
      sqlite3_bind_int64 (stmt, 1, id);
      if (sqlite3_step (stmt) != SQLITE_ROW)
        {
          sqlite3_finalize (stmt);
          break;
        }
      checksum_add_field (checksum, prev);
      for (int column = 0; column < 7; column++)
        {
          if (column == 0 || column == 1 || column == 3)
            {
              g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, column));
              checksum_add_field (checksum, number);
            }
          else
            checksum_add_field (checksum, (const char *) sqlite3_column_text (stmt, column));
        }
      sqlite3_finalize (stmt);

      g_assert_cmpint (sqlite3_prepare_v2 (db, "UPDATE events SET prev_hash = ?2, hash = ?3 WHERE id = ?1",
                                           -1, &update, NULL), ==, SQLITE_OK);
      sqlite3_bind_int64 (update, 1, id);
      sqlite3_bind_text (update, 2, prev, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (update, 3, g_checksum_get_string (checksum), -1, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (update), ==, SQLITE_DONE);
      sqlite3_finalize (update);

      g_free (prev);
      prev = g_strdup (g_checksum_get_string (checksum));
    }

  sqlite3_close (db);
}

static char *
checksum_of_file (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return g_strdup ("absent");

  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

/* Runs `rcrp verify`, which must find the edit and name @expected, and
 * leave the database as it found it. */
static void
assert_verify_catches (Fixture    *fixture,
                       const char *expected)
{
  g_auto(Result) result = { 0, };
  g_autofree char *before = checksum_of_file (fixture->path);
  g_autofree char *after = NULL;

  run_cli (&result, "verify", "--database", fixture->path, NULL);
  if (result.status != 1 || strstr (result.err, expected) == NULL)
    g_error ("rcrp verify should name “%s”; it exited %d: %s%s", expected, result.status, result.out, result.err);
  g_test_message ("%s", result.err);
  after = checksum_of_file (fixture->path);
  g_assert_cmpstr (after, ==, before);
}

typedef struct
{
  const char *name;
  const char *sql;       /* run with the triggers dropped */
  gint64      rehash;    /* then recompute the chain from this event (0: not) */
  const char *expected;  /* what `rcrp verify` names */
} TamperCase;

#define LAST_DECISION_OF(call) "(SELECT MAX (id) FROM events WHERE kind = 'call.decided' AND call_id = " #call ")"

static const TamperCase verify_cases[] = {
  /* The log itself. */
  { "event-edited", "UPDATE events SET operator = 'mallory' WHERE id = 3", 0, "broken at event 3" },
  { "event-deleted", "DELETE FROM events WHERE id = 4", 0, "broken at event 5" },
  { "delete-last-ten", "DELETE FROM events WHERE id > (SELECT MAX (id) - 10 FROM events)", 0, "row" },
  { "delete-every-event", "DELETE FROM events", 0, "users row “alice”" },
  { "rewrite-from-an-edit",
    "UPDATE events SET operator = 'mallory' WHERE id = " LAST_DECISION_OF (2), -1, "calls row 2 (CAD-2)" },
  { "forged-decision-appended",
    "INSERT INTO events (at, kind, call_id, operator, workstation, payload, prev_hash, hash) "
    "VALUES (1795600000000000, 'call.decided', 4, 'alice', 'ws-1', "
    "'{\"call_id\":4,\"outcome\":\"police_deployed\"}', '', '')", -2, "calls row 4 (CAD-4)" },
  /* The calls rows: the queue, the summaries. */
  { "calls-status-decided", "UPDATE calls SET status = 'decided' WHERE id = 5", 0, "calls row 5 (CAD-5)" },
  { "calls-outcome", "UPDATE calls SET outcome = 'police_deployed' WHERE id = 2", 0, "calls row 2 (CAD-2)" },
  { "calls-undecided", "UPDATE calls SET status = 'new', outcome = NULL, decided_at = NULL WHERE id = 2", 0,
    "calls row 2 (CAD-2)" },
  { "calls-hold-lifted", "UPDATE calls SET on_hold = 0 WHERE id = 1", 0, "calls row 1 (CAD-1)" },
  { "calls-grade", "UPDATE calls SET grade = 4 WHERE id = 3", 0, "calls row 3 (CAD-3)" },
  { "calls-summary", "UPDATE calls SET summary = 'Nothing to see' WHERE id = 4", 0, "calls row 4 (CAD-4)" },
  { "calls-deleted", "DELETE FROM calls WHERE id = 6", 0, "calls row 6" },
  { "calls-decided-by", "UPDATE calls SET decided_by = 'bob' WHERE id = 1", 0, "calls row 1 (CAD-1)" },
  /* What the summaries count: a response time, the person's age band. */
  { "calls-first-decided-at", "UPDATE calls SET first_decided_at = first_decided_at - 3600000000 WHERE id = 1", 0,
    "calls row 1 (CAD-1)" },
  { "calls-age-band", "UPDATE calls SET age_band = '18-24', subject_sex = 'female' WHERE id = 4", 0,
    "calls row 4 (CAD-4)" },
  /* What was received. */
  { "documents-body-in-a-call",
    "UPDATE documents SET body = CAST (replace (CAST (body AS TEXT), 'parapet', 'railing') AS BLOB) WHERE id = 4", 0,
    "call_versions row 4" },
  { "documents-body-outside-calls",
    "UPDATE documents SET body = CAST (CAST (body AS TEXT) || ' ' AS BLOB) WHERE id = 1", 0, "documents row 1" },
  { "documents-body-and-hash",
    "UPDATE documents SET body = CAST (replace (CAST (body AS TEXT), 'father', 'mother') AS BLOB), "
    "  sha256 = '' WHERE id = 1", 0, "call_versions row 1" },
  { "call-versions-body",
    "UPDATE call_versions SET body = '" CALL ("CAD-3", 4, "Man sitting on a bench") "' WHERE id = 4", 0,
    "call_versions row 4" },
  { "call-versions-span-swapped",
    "UPDATE call_versions SET byte_offset = (SELECT byte_offset FROM call_versions WHERE id = 7), "
    "  byte_length = (SELECT byte_length FROM call_versions WHERE id = 7) WHERE id = 6", 0, "call_versions row 6" },
  { "call-versions-deleted", "DELETE FROM call_versions WHERE id = 3", 0, "call_versions row of call 2" },
  /* Who may do what. */
  { "users-new-administrator",
    "INSERT INTO users (os_user, role, added_by, added_at) VALUES ('mallory', 'administrator', 'alice', 0)", 0,
    "users row “mallory”" },
  { "users-promoted", "UPDATE users SET role = 'administrator' WHERE os_user = 'bob'", 0, "users row “bob”" },
  { "users-deleted", "DELETE FROM users WHERE os_user = 'bob'", 0, "users row “bob”" },
  /* Undone decisions and erasures. */
  { "undone-decision-forgotten", "DELETE FROM undone_decisions", 0, "undone_decisions row for decision" },
  { "decision-made-to-look-undone",
    "INSERT INTO undone_decisions VALUES (" LAST_DECISION_OF (2) ", 1)", 0, "undone_decisions row for decision" },
  { "erasure-forged", "INSERT INTO erasures VALUES (5, 1, 0)", 0, "erasures row for call 5" },
};

/* The other rows the log's events make, each edited, deleted and made up. */
static const TamperCase board_cases[] = {
  /* The agency board: the directory... */
  { "agencies-entry-edited",
    "UPDATE agencies SET entry = json_set (entry, '$.phone', '0000 000000') WHERE id = 'crisis-team'", 0,
    "agencies row “crisis-team”" },
  { "agencies-taken-off", "UPDATE agencies SET active = 0 WHERE id = 'ambulance'", 0, "agencies row “ambulance”" },
  { "agencies-deleted", "DELETE FROM agencies WHERE id = 'safe-haven'", 0, "agencies row “safe-haven”" },
  { "agencies-inserted",
    "INSERT INTO agencies VALUES ('private-clinic', 99, 1, '{\"id\":\"private-clinic\",\"name\":\"Clinic\"}')", 0,
    "agencies row “private-clinic”" },
  /* ...and what each agency says it can take. */
  { "agency-state-edited", "UPDATE agency_state SET status = 'available', capacity = 5 WHERE agency_id = 'crisis-team'",
    0, "agency_state row “crisis-team”" },
  { "agency-state-deleted", "DELETE FROM agency_state", 0, "agency_state row “crisis-team”" },
  { "agency-state-inserted",
    "INSERT INTO agency_state VALUES ('amhp', 'closed', 0, 0, '', 'alice', 'ws-1', 0, 1)", 0, "agency_state row “amhp”" },
  /* Referrals. */
  { "referrals-answered", "UPDATE referrals SET state = 'accepted', responded_by = 'bob', responded_at = 1", 0,
    "referrals row for decision" },
  { "referrals-due-later", "UPDATE referrals SET due_at = due_at + 3600000000", 0, "referrals row for decision" },
  { "referrals-deleted", "DELETE FROM referrals", 0, "referrals row for decision" },
  { "referrals-inserted",
    "INSERT INTO referrals (decision_event_id, call_id, agency_id, state, referred_at, due_at) "
    "VALUES (9, 1, 'amhp', 'pending', 0, 0)", 0, "referrals row for decision 9" },
  /* Appeals. */
  { "appeals-resolved", "UPDATE appeals SET state = 'upheld', resolved_by = 'bob', resolved_at = 1", 0,
    "appeals row ESC-2026-000001" },
  { "appeals-grounds-edited", "UPDATE appeals SET grounds = 'Wants nothing done'", 0, "appeals row ESC-2026-000001" },
  { "appeals-deleted", "DELETE FROM appeals", 0, "appeals row ESC-2026-000001" },
  { "appeals-inserted",
    "INSERT INTO appeals (reference, year, number, call_id, decision_event_id, appealed_outcome, appellant, grounds, "
    "  lodged_at, lodged_by, state) VALUES ('ESC-2026-000002', 2026, 2, 2, 11, 'referred', 'caller', 'x', 0, 'alice', "
    "  'open')", 0, "appeals row ESC-2026-000002" },
  { "calls-appeal-state", "UPDATE calls SET appeal_state = NULL WHERE id = 1", 0, "calls row 1 (CAD-1)" },
  /* Disputes. */
  { "disputes-closed", "UPDATE disputes SET state = 'closed', learning = 'None', closed_by = 'bob', closed_at = 1", 0,
    "disputes row DSP-2026-000001" },
  { "disputes-summary-edited", "UPDATE disputes SET summary = 'Nothing happened'", 0, "disputes row DSP-2026-000001" },
  { "disputes-calls-edited", "UPDATE disputes SET call_refs = '[\"CAD-2\"]'", 0, "disputes row DSP-2026-000001" },
  { "disputes-deleted", "DELETE FROM disputes", 0, "disputes row DSP-2026-000001" },
  { "disputes-inserted",
    "INSERT INTO disputes (reference, year, number, kind, raised_by, summary, call_refs, state, opened_at, opened_by, "
    "  changed_at) VALUES ('DSP-2026-000002', 2026, 2, 'risk', 'x', 'y', '[]', 'open', 0, 'alice', 0)", 0,
    "disputes row DSP-2026-000002" },
  /* Who works which call. */
  { "claims-edited", "UPDATE claims SET operator = 'bob', workstation = 'ws-2' WHERE call_id = 6", 0,
    "claims row for call 6" },
  { "claims-deleted", "DELETE FROM claims", 0, "claims row for call 6" },
  { "claims-inserted", "INSERT INTO claims VALUES (3, 'bob', 'ws-2', 'session-9', 0, 0)", 0, "claims row for call 3" },
  /* A checklist draft is only ever its claim holder's. */
  { "drafts-writer-edited", "UPDATE triage_drafts SET operator = 'bob' WHERE call_id = 6", 0,
    "triage_drafts row for call 6" },
  { "drafts-inserted",
    "INSERT INTO triage_drafts VALUES (3, '{}', NULL, 'alice', 'ws-1', 'session-1', 1795600000000000)", 0,
    "triage_drafts row for call 3" },
  /* The search index: a call hidden from search, or one made up. */
  { "search-emptied", "INSERT INTO call_search (call_search) VALUES ('delete-all')", 0, "call_search row" },
  { "search-inserted",
    "INSERT INTO call_search (rowid, cad_ref, postcode, names, summary) VALUES (99, 'CAD-99', '', '', '')", 0,
    "call_search row 99" },
};

static void
test_verify_catches (Fixture       *fixture,
                     gconstpointer  user_data)
{
  const TamperCase *edit = user_data;

  drop_triggers (fixture->path);
  exec_sql (fixture->path, edit->sql);
  if (edit->rehash == -1)
    rehash_from (fixture->path, query_int (fixture->path, "SELECT " LAST_DECISION_OF (2)));
  else if (edit->rehash == -2)
    rehash_from (fixture->path, query_int (fixture->path, "SELECT MAX (id) FROM events"));

  assert_verify_catches (fixture, edit->expected);
}

static void
test_untouched_passes (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_auto(Result) result = { 0, };

  run_cli (&result, "verify", "--database", fixture->path, NULL);
  g_assert_null (strstr (result.err, "rcrp verify:"));
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "intact"));
}

/* Erasure blanks what was received, by rule: the rows still follow from
 * the log, and an edit to an erased call is still caught. */
static void
test_erasure_passes (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(GDateTime) later = g_date_time_new_from_iso8601 ("2027-06-01T10:00:00Z", NULL);
  g_autoptr(RcrpClock) clock = rcrp_fixed_clock_new (later);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) erased = NULL;
  g_auto(Result) result = { 0, };
  RcrpStore *store;

  store = rcrp_sqlite_store_open (fixture->path, clock, "alice", "ws-1", &error);
  g_assert_no_error (error);
  erased = rcrp_store_apply_retention (store, 30, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (erased->len, >, 0);
  g_assert_finalize_object (store);

  run_cli (&result, "verify", "--database", fixture->path, NULL);
  g_assert_null (strstr (result.err, "rcrp verify:"));
  g_assert_cmpint (result.status, ==, 0);

  drop_triggers (fixture->path);
  exec_sql (fixture->path, "UPDATE calls SET erased_at = NULL WHERE id = 2");
  assert_verify_catches (fixture, "calls row 2 (CAD-2)");
}

/* Edits the chain and the rows cannot show, since whoever made them kept
 * every row consistent with the log, but which the signed checkpoint trail
 * outside the database catches. */
typedef struct
{
  const char *name;
  const char *sql;
  gint64      rehash;        /* recompute the chain from this event (0: not) */
  gboolean    verify_sees;   /* whether `rcrp verify` alone catches it too */
  const char *expected;      /* what `rcrp verify --checkpoints` names */
} CheckpointCase;

static const CheckpointCase checkpoint_cases[] = {
  /* The last event is a claim: the claims row it made names it... */
  { "delete-last-event", "DELETE FROM events WHERE id = (SELECT MAX (id) FROM events)", 0, TRUE,
    "no longer holds event 16" },
  /* ...unless it goes too: then only the checkpoint shows the cut. */
  { "delete-last-event-and-its-row",
    "DELETE FROM events WHERE id = (SELECT MAX (id) FROM events); DELETE FROM claims", 0, FALSE,
    "no longer holds event 16" },
  { "delete-last-ten", "DELETE FROM events WHERE id > (SELECT MAX (id) - 10 FROM events)", 0, TRUE,
    "no longer holds event 16" },
  { "delete-every-event", "DELETE FROM events", 0, TRUE, "no longer holds event 16" },
  /* Everything the log covers, emptied together: a fresh database. */
  { "delete-everything",
    "DELETE FROM events; DELETE FROM users; DELETE FROM calls; DELETE FROM call_versions; DELETE FROM documents; "
    "DELETE FROM undone_decisions; DELETE FROM referrals; DELETE FROM appeals; DELETE FROM claims; "
    "DELETE FROM erasures; DELETE FROM agencies; DELETE FROM agency_state; DELETE FROM disputes; "
    "DELETE FROM triage_drafts; INSERT INTO call_search (call_search) VALUES ('delete-all');", 0, FALSE, "no longer holds event 16" },
  /* Where an event was recorded from, changed, every hash recomputed. */
  { "rewrite-consistently", "UPDATE events SET workstation = 'ws-9' WHERE id = 4", 4, FALSE,
    "broken at event 16" },
  { "rewrite-from-an-edit", "UPDATE events SET operator = 'mallory' WHERE id = 10", 10, TRUE,
    "broken at event 16" },
};

static void
make_checkpoint (Fixture *fixture)
{
  g_auto(Result) key = { 0, };
  g_auto(Result) checkpoint = { 0, };
  g_autofree char *private_key = g_build_filename (fixture->folder, "keys", "checkpoint-key", NULL);
  g_autofree char *public_key = g_strconcat (private_key, ".pub", NULL);

  run_cli (&key, "checkpoint-key", "--key", private_key, "--public-key", public_key, NULL);
  g_assert_cmpint (key.status, ==, 0);
  run_cli (&checkpoint, "checkpoint", "--database", fixture->path, "--key", private_key, "--trail", fixture->trail,
           NULL);
  g_assert_cmpint (checkpoint.status, ==, 0);
}

static void
run_verify_checkpoints (Fixture *fixture,
                        Result  *result)
{
  g_autofree char *public_key = g_build_filename (fixture->folder, "keys", "checkpoint-key.pub", NULL);
  g_autofree char *option = g_strconcat ("--checkpoints=", fixture->trail, NULL);

  run_cli (result, "verify", "--database", fixture->path, option, "--public-key", public_key, NULL);
}

static void
test_checkpoints_catch (Fixture       *fixture,
                        gconstpointer  user_data)
{
  const CheckpointCase *edit = user_data;
  g_auto(Result) plain = { 0, };
  g_auto(Result) result = { 0, };
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  make_checkpoint (fixture);
  g_assert_cmpint (query_int (fixture->path, "SELECT MAX (id) FROM events"), ==, 16);

  drop_triggers (fixture->path);
  exec_sql (fixture->path, edit->sql);
  if (edit->rehash > 0)
    rehash_from (fixture->path, edit->rehash);

  /* What the database alone shows. */
  run_cli (&plain, "verify", "--database", fixture->path, NULL);
  if (plain.status != (edit->verify_sees ? 1 : 0))
    g_error ("rcrp verify alone should %s; it exited %d: %s%s", edit->verify_sees ? "catch it" : "pass",
             plain.status, plain.out, plain.err);

  before = checksum_of_file (fixture->path);
  run_verify_checkpoints (fixture, &result);
  if (result.status != 1 || strstr (result.err, edit->expected) == NULL)
    g_error ("rcrp verify --checkpoints should name “%s”; it exited %d: %s%s", edit->expected, result.status,
             result.out, result.err);
  g_test_message ("%s", result.err);
  after = checksum_of_file (fixture->path);
  g_assert_cmpstr (after, ==, before);
}

static void
test_checkpoints_untouched (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 ("2026-11-24T11:00:00Z", NULL);
  g_autoptr(RcrpClock) clock = rcrp_fixed_clock_new (now);
  g_autoptr(GError) error = NULL;
  g_auto(Result) result = { 0, };
  RcrpStore *store;

  make_checkpoint (fixture);

  /* The log goes on after a checkpoint: that is no break. */
  store = rcrp_sqlite_store_open (fixture->path, clock, "alice", "ws-1", &error);
  g_assert_no_error (error);
  ingest (store, CALL ("CAD-7", 2, "Found sleeping in a doorway"));
  g_assert_finalize_object (store);

  run_verify_checkpoints (fixture, &result);
  g_assert_null (strstr (result.err, "rcrp verify:"));
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "1 checkpoint checked"));
}

/* Two checkpoints, a consistent rewrite between them: the older one still
 * matches and bounds where the change lies. */
static void
test_checkpoints_narrow_a_rewrite (Fixture       *fixture,
                                   gconstpointer  user_data)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 ("2026-11-24T11:00:00Z", NULL);
  g_autoptr(RcrpClock) clock = rcrp_fixed_clock_new (now);
  g_autoptr(GError) error = NULL;
  g_autofree char *private_key = g_build_filename (fixture->folder, "keys", "checkpoint-key", NULL);
  g_auto(Result) checkpoint = { 0, };
  g_auto(Result) result = { 0, };
  RcrpStore *store;

  make_checkpoint (fixture);
  store = rcrp_sqlite_store_open (fixture->path, clock, "alice", "ws-1", &error);
  g_assert_no_error (error);
  ingest (store, CALL ("CAD-7", 2, "Found sleeping in a doorway"));
  ingest (store, CALL ("CAD-8", 3, "Shouting at passers-by"));
  g_assert_finalize_object (store);
  run_cli (&checkpoint, "checkpoint", "--database", fixture->path, "--key", private_key, "--trail", fixture->trail,
           NULL);
  g_assert_cmpint (checkpoint.status, ==, 0);

  drop_triggers (fixture->path);
  exec_sql (fixture->path, "UPDATE events SET workstation = 'ws-9' WHERE id = 17");
  rehash_from (fixture->path, 17);

  run_verify_checkpoints (fixture, &result);
  g_assert_cmpint (result.status, ==, 1);
  g_test_message ("%s", result.err);
  g_assert_nonnull (strstr (result.err, "broken at event 18"));
  g_assert_nonnull (strstr (result.err, "line 2"));
  g_assert_nonnull (strstr (result.err, "after event 16"));
}

/* A private key others can read is no longer private: refused, as ssh
 * does, with the fix. */
static void
test_checkpoints_key_too_open (Fixture       *fixture,
                               gconstpointer  user_data)
{
  g_autofree char *private_key = g_build_filename (fixture->folder, "keys", "checkpoint-key", NULL);
  g_auto(Result) checkpoint = { 0, };

  make_checkpoint (fixture);
  g_assert_cmpint (g_chmod (private_key, 0644), ==, 0);
  run_cli (&checkpoint, "checkpoint", "--database", fixture->path, "--key", private_key, "--trail", fixture->trail,
           NULL);
  g_assert_cmpint (checkpoint.status, ==, 2);
  g_assert_nonnull (strstr (checkpoint.err, "can be read by others"));
  g_assert_nonnull (strstr (checkpoint.err, "chmod 600"));
}

/* The trail is outside the database's writers' reach; one that was edited
 * anyway (by whoever could) fails its signature. */
static void
test_checkpoints_edited_trail (Fixture       *fixture,
                               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autofree char *file = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *edited = NULL;
  g_auto(Result) result = { 0, };
  g_auto(GStrv) parts = NULL;

  make_checkpoint (fixture);
  dir = g_dir_open (fixture->trail, 0, &error);
  g_assert_no_error (error);
  file = g_build_filename (fixture->trail, g_dir_read_name (dir), NULL);
  g_assert_true (g_file_get_contents (file, &contents, NULL, &error));
  g_assert_no_error (error);

  /* A shorter log claimed at the checkpoint, to hide a cut. */
  parts = g_strsplit (contents, "\"head_id\":16", 2);
  g_assert_cmpuint (g_strv_length (parts), ==, 2);
  edited = g_strjoin ("\"head_id\":15", parts[0], parts[1], NULL);
  g_assert_true (g_file_set_contents (file, edited, -1, &error));
  g_assert_no_error (error);

  run_verify_checkpoints (fixture, &result);
  g_assert_cmpint (result.status, ==, 1);
  g_assert_nonnull (strstr (result.err, "line 1"));
  g_assert_nonnull (strstr (result.err, "signature"));
}

/* With a key in its default place, a handover records a checkpoint by
 * itself, and verify finds the trail and the public key where they are
 * made by default. */
static void
test_checkpoints_on_handover (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autofree char *trail = g_build_filename (state_home, "rcrp", "checkpoints", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autofree char *file = NULL;
  g_autofree char *contents = NULL;
  g_auto(Result) key = { 0, };
  g_auto(Result) handover = { 0, };
  g_auto(Result) result = { 0, };
  g_auto(Result) again = { 0, };

  run_cli (&key, "checkpoint-key", NULL);
  g_assert_cmpint (key.status, ==, 0);
  g_assert_nonnull (strstr (key.out, "Fingerprint: SHA256:"));
  run_cli (&again, "checkpoint-key", NULL);
  g_assert_cmpint (again.status, ==, 1);
  g_assert_nonnull (strstr (again.err, "never overwritten"));

  run_cli (&handover, "handover", "--database", fixture->path, NULL);
  g_assert_cmpint (handover.status, ==, 0);
  g_assert_null (strstr (handover.err, "checkpoint"));

  dir = g_dir_open (trail, 0, &error);
  g_assert_no_error (error);
  file = g_build_filename (trail, g_dir_read_name (dir), NULL);
  g_assert_true (g_file_get_contents (file, &contents, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (contents, "\"reason\":\"handover\""));

  run_cli (&result, "verify", "--database", fixture->path, "--checkpoints", NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "1 checkpoint checked"));
}

/* Appends signed by their writers: `rcrp verify --writer-keys` names the
 * first event appended by anyone without a pinned key, even when its hash
 * is right, every row agrees and it came after the newest checkpoint. */

static void
run_verify_signed (Fixture *fixture,
                   Result  *result)
{
  g_autofree char *option = g_strconcat ("--writer-keys=", fixture->pinned, NULL);

  run_cli (result, "verify", "--database", fixture->path, option, NULL);
}

/* What the app (the store in this process), the CLI and the spool
 * service append is theirs, signed. */
static void
test_signed_untouched_passes (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autofree char *feed = g_build_filename (fixture->folder, "more.json", NULL);
  g_autofree char *spool = g_build_filename (fixture->folder, "spool", NULL);
  g_autofree char *spooled = g_build_filename (spool, "spooled.json", NULL);
  g_autoptr(GError) error = NULL;
  g_auto(Result) ingest = { 0, };
  g_auto(Result) decide = { 0, };
  g_auto(Result) spooling = { 0, };
  g_auto(Result) result = { 0, };

  g_assert_true (g_file_set_contents (feed, CALL ("CAD-7", 2, "Found sleeping in a doorway"), -1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir_with_parents (spool, 0750), ==, 0);
  g_assert_true (g_file_set_contents (spooled, CALL ("CAD-8", 3, "Shouting at passers-by"), -1, &error));
  g_assert_no_error (error);

  run_cli (&ingest, "ingest", feed, "--database", fixture->path, NULL);
  g_assert_cmpint (ingest.status, ==, 0);
  run_cli (&decide, "decide", "CAD-7", "police_deployed", "--rationale", "Doorway by the river", "--database",
           fixture->path, NULL);
  if (decide.status != 0)
    g_error ("rcrp decide exited %d: %s%s", decide.status, decide.out, decide.err);
  run_cli (&spooling, "spool", spool, "--once", "--database", fixture->path, NULL);
  g_assert_cmpint (spooling.status, ==, 0);
  g_assert_cmpint (query_int (fixture->path, "SELECT count(*) FROM calls"), ==, 8);

  run_verify_signed (fixture, &result);
  if (result.status != 0)
    g_error ("rcrp verify --writer-keys should pass: %s%s", result.out, result.err);
  g_assert_nonnull (strstr (result.out, "Every event is signed by its writer"));
  g_assert_cmpint (query_int (fixture->path, "SELECT count(*) FROM head_signatures WHERE signer = 'alice'"), >, 10);
}

typedef struct
{
  const char *name;
  const char *sql;       /* run with the triggers dropped; the chain is then rehashed from event 17 */
  gboolean    rows_see;  /* whether `rcrp verify` without keys catches it */
  const char *expected;  /* what `rcrp verify --writer-keys` names */
} SignedCase;

static const SignedCase signed_cases[] = {
  /* A decision recorded by hand, with a right hash, and the calls row
   * made to agree: only its missing signature shows it. */
  { "forged-decision-rows-consistent",
    "INSERT INTO events (id, at, kind, call_id, operator, workstation, payload, prev_hash, hash) "
    "VALUES (17, 1795600000000000, 'call.decided', 4, 'alice', 'ws-1', "
    "'{\"call_id\":4,\"outcome\":\"signposted\"}', '', '');"
    "UPDATE calls SET status = 'decided', outcome = 'signposted', decided_at = 1795600000000000, "
    "  first_decided_at = 1795600000000000, decided_by = 'alice', updated_at = 1795600000000000 WHERE id = 4;",
    FALSE, "Event 17 is not signed" },
  /* An event no row depends on. */
  { "forged-view",
    "INSERT INTO events (id, at, kind, call_id, operator, workstation, payload, prev_hash, hash) "
    "VALUES (17, 1795600000000000, 'call.viewed', 3, 'bob', 'ws-2', '{\"how\":\"show\"}', '', '')",
    FALSE, "Event 17 is not signed" },
  /* The signatures removed as well: the newest event is unsigned. */
  { "forged-and-signatures-deleted",
    "INSERT INTO events (id, at, kind, call_id, operator, workstation, payload, prev_hash, hash) "
    "VALUES (17, 1795600000000000, 'call.viewed', 3, 'bob', 'ws-2', '{\"how\":\"show\"}', '', '');"
    "DELETE FROM head_signatures", FALSE, "Event 17 is not signed" },
  /* A signature copied onto the forged head: it signs another hash. */
  { "forged-with-a-copied-signature",
    "INSERT INTO events (id, at, kind, call_id, operator, workstation, payload, prev_hash, hash) "
    "VALUES (17, 1795600000000000, 'call.viewed', 3, 'alice', 'ws-1', '{\"how\":\"show\"}', '', '');"
    "INSERT INTO head_signatures SELECT 17, 17, signer, key_id, signature FROM head_signatures "
    "  WHERE head_event_id = 16", FALSE, "Event 17 is not signed" },
  /* An event in the middle changed and every hash after it recomputed:
   * the signature of its transaction no longer holds. */
  { "rewritten-and-rehashed",
    "UPDATE events SET workstation = 'ws-9' WHERE id = 4", FALSE, "Event 4 is not signed" },
};

static void
test_signed_catches (Fixture       *fixture,
                     gconstpointer  user_data)
{
  const SignedCase *edit = user_data;
  g_auto(Result) plain = { 0, };
  g_auto(Result) checkpoints = { 0, };
  g_auto(Result) result = { 0, };
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  /* Checkpointed first: the forgery comes after the newest checkpoint. */
  make_checkpoint (fixture);
  drop_triggers (fixture->path);
  exec_sql (fixture->path, edit->sql);
  rehash_from (fixture->path, g_str_has_prefix (edit->name, "rewritten") ? 4 : 17);

  run_cli (&plain, "verify", "--database", fixture->path, NULL);
  if (plain.status != (edit->rows_see ? 1 : 0))
    g_error ("rcrp verify without keys should %s; it exited %d: %s%s", edit->rows_see ? "catch it" : "pass",
             plain.status, plain.out, plain.err);
  if (!g_str_has_prefix (edit->name, "rewritten"))
    {
      run_verify_checkpoints (fixture, &checkpoints);
      g_assert_cmpint (checkpoints.status, ==, 0);
    }

  before = checksum_of_file (fixture->path);
  run_verify_signed (fixture, &result);
  if (result.status != 1 || strstr (result.err, edit->expected) == NULL)
    g_error ("rcrp verify --writer-keys should name “%s”; it exited %d: %s%s", edit->expected, result.status,
             result.out, result.err);
  g_test_message ("%s", result.err);
  after = checksum_of_file (fixture->path);
  g_assert_cmpstr (after, ==, before);
}

/* An insider with a pinned key of their own signs in their own name only:
 * events written as someone else, under their signature, are named. */
static void
test_signed_impersonation (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autofree char *bob_key = g_build_filename (fixture->folder, "bob", "writer-key", NULL);
  g_autofree char *bob_pinned = g_build_filename (fixture->pinned, "bob.pub", NULL);
  g_autofree char *fingerprint = NULL;
  g_autofree char *key_id = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(RcrpHeadSigner) bob = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Result) result = { 0, };
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_true (rcrp_checkpoint_generate_key (bob_key, bob_pinned, &fingerprint, &error));
  g_assert_no_error (error);
  bob = rcrp_head_signer_load (bob_key, &error);
  g_assert_no_error (error);

  drop_triggers (fixture->path);
  exec_sql (fixture->path,
            "INSERT INTO events (id, at, kind, call_id, operator, workstation, payload, prev_hash, hash) "
            "VALUES (17, 1795600000000000, 'call.viewed', 3, 'alice', 'ws-1', '{\"how\":\"show\"}', '', '')");
  rehash_from (fixture->path, 17);

  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT hash FROM events WHERE id = 17", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  hash = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_assert_true (rcrp_head_signer_sign (bob, "bob", 17, 17, hash, &key_id, &signature, &error));
  g_assert_no_error (error);
  sql = g_strdup_printf ("INSERT INTO head_signatures VALUES (17, 17, 'bob', '%s', '%s')", key_id, signature);
  exec_sql (fixture->path, sql);

  run_verify_signed (fixture, &result);
  g_test_message ("%s", result.err);
  g_assert_cmpint (result.status, ==, 1);
  g_assert_nonnull (strstr (result.err, "Event 17"));
  g_assert_nonnull (strstr (result.err, "it says alice wrote it, but it lies in what bob signed"));
}

/* --json says which row, for a script that files the finding. */
static void
test_json_names_the_row (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_auto(Result) result = { 0, };
  JsonObject *object;

  drop_triggers (fixture->path);
  exec_sql (fixture->path, "UPDATE calls SET status = 'decided' WHERE id = 5");
  run_cli (&result, "verify", "--database", fixture->path, "--json", NULL);
  g_assert_cmpint (result.status, ==, 1);
  g_assert_true (json_parser_load_from_data (parser, result.out, -1, &error));
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_false (json_object_get_boolean_member (object, "intact"));
  g_assert_cmpstr (json_object_get_string_member (object, "broken_row"), ==, "calls row 5 (CAD-5)");
  g_assert_true (json_object_get_null_member (object, "broken_event"));
  g_assert_true (json_object_get_null_member (object, "checkpoints"));
  g_assert_cmpint (json_object_get_int_member (object, "events"), ==, 16);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/tamper/untouched-passes", Fixture, NULL, fixture_set_up, test_untouched_passes, fixture_tear_down);
  g_test_add ("/tamper/json-names-the-row", Fixture, NULL, fixture_set_up, test_json_names_the_row,
              fixture_tear_down);
  g_test_add ("/tamper/erasure-passes", Fixture, NULL, fixture_set_up, test_erasure_passes, fixture_tear_down);
  for (guint i = 0; i < G_N_ELEMENTS (verify_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/tamper/verify/%s", verify_cases[i].name);

      g_test_add (name, Fixture, &verify_cases[i], fixture_set_up, test_verify_catches, fixture_tear_down);
    }

  g_test_add ("/tamper/board/untouched-passes", Fixture, NULL, fixture_set_up_board, test_untouched_passes,
              fixture_tear_down);
  for (guint i = 0; i < G_N_ELEMENTS (board_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/tamper/verify/%s", board_cases[i].name);

      g_test_add (name, Fixture, &board_cases[i], fixture_set_up_board, test_verify_catches, fixture_tear_down);
    }

  g_test_add ("/tamper/signed/untouched-passes", Fixture, NULL, fixture_set_up_signed, test_signed_untouched_passes,
              fixture_tear_down);
  g_test_add ("/tamper/signed/impersonation", Fixture, NULL, fixture_set_up_signed, test_signed_impersonation,
              fixture_tear_down);
  for (guint i = 0; i < G_N_ELEMENTS (signed_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/tamper/signed/%s", signed_cases[i].name);

      g_test_add (name, Fixture, &signed_cases[i], fixture_set_up_signed, test_signed_catches, fixture_tear_down);
    }

  g_test_add ("/tamper/checkpoints/untouched-passes", Fixture, NULL, fixture_set_up, test_checkpoints_untouched,
              fixture_tear_down);
  g_test_add ("/tamper/checkpoints/on-handover", Fixture, NULL, fixture_set_up, test_checkpoints_on_handover,
              fixture_tear_down);
  g_test_add ("/tamper/checkpoints/narrow-a-rewrite", Fixture, NULL, fixture_set_up,
              test_checkpoints_narrow_a_rewrite, fixture_tear_down);
  g_test_add ("/tamper/checkpoints/key-too-open", Fixture, NULL, fixture_set_up, test_checkpoints_key_too_open,
              fixture_tear_down);
  g_test_add ("/tamper/checkpoints/edited-trail", Fixture, NULL, fixture_set_up, test_checkpoints_edited_trail,
              fixture_tear_down);
  for (guint i = 0; i < G_N_ELEMENTS (checkpoint_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/tamper/checkpoints/%s", checkpoint_cases[i].name);

      g_test_add (name, Fixture, &checkpoint_cases[i], fixture_set_up, test_checkpoints_catch, fixture_tear_down);
    }

  return g_test_run ();
}

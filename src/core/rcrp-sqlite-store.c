/* rcrp-sqlite-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "rcrp-call-private.h"
#include "rcrp-feed.h"
#include "rcrp-json-strict.h"
#include "rcrp-sqlite-store-private.h"

/* The chain walk reports progress and looks for cancellation this often. */
#define VERIFY_PROGRESS_EVERY 4096

/* The queue is every call still waiting for the coordinator. Later
 * statuses (decided, closed) leave it.
 */

/* The queue: calls waiting for a decision first, most urgent and longest
 * waiting first; decided calls after them, latest decision first, so a
 * coordinator can still reach one when new information comes in.
 */
#define QUEUE_ORDER \
  "ORDER BY on_hold DESC, status = 'decided', " \
  "  CASE WHEN status = 'decided' THEN -decided_at ELSE 0 END, " \
  "  grade, threshold_risks DESC, received_at, id"

static void rcrp_sqlite_store_iface_init (RcrpStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RcrpSqliteStore, rcrp_sqlite_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RCRP_TYPE_STORE, rcrp_sqlite_store_iface_init))


/* Numbered migrations; schema version N is reached by running the first N.
 * Only ever append to this list.
 */
static const char * const migrations[] = {
  /* 1: the walking skeleton's schema. */
  "CREATE TABLE documents ("
  "  id           INTEGER PRIMARY KEY,"
  "  sha256       TEXT    NOT NULL,"
  "  source       TEXT    NOT NULL,"
  "  stored_at    INTEGER NOT NULL,"
  "  operator     TEXT    NOT NULL,"
  "  workstation  TEXT    NOT NULL,"
  "  body         BLOB    NOT NULL"
  ");"
  "CREATE TABLE calls ("
  "  id                INTEGER PRIMARY KEY,"
  "  cad_ref           TEXT    NOT NULL UNIQUE,"
  "  category          TEXT    NOT NULL,"
  "  grade             INTEGER NOT NULL,"
  "  received_at       INTEGER NOT NULL,"
  "  risks             INTEGER NOT NULL,"
  "  threshold_risks   INTEGER NOT NULL,"
  "  summary           TEXT    NOT NULL,"
  "  status            TEXT    NOT NULL,"
  "  version_count     INTEGER NOT NULL,"
  "  current_version   INTEGER NOT NULL,"
  "  updated_at        INTEGER NOT NULL"
  ");"
  "CREATE INDEX calls_queue_order ON calls (grade, threshold_risks DESC, received_at, id);"
  "CREATE TABLE call_versions ("
  "  id               INTEGER PRIMARY KEY,"
  "  call_id          INTEGER NOT NULL REFERENCES calls (id),"
  "  content_sha256   TEXT    NOT NULL,"
  "  document_id      INTEGER NOT NULL REFERENCES documents (id),"
  "  document_index   INTEGER NOT NULL,"
  "  body             TEXT    NOT NULL,"
  "  UNIQUE (call_id, content_sha256)"
  ");"
  /* Each event's hash covers its content and the previous event's hash,
   * so any edit, insertion or removal breaks the chain from there on. */
  "CREATE TABLE events ("
  "  id           INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  at           INTEGER NOT NULL,"
  "  kind         TEXT    NOT NULL,"
  "  call_id      INTEGER REFERENCES calls (id),"
  "  operator     TEXT    NOT NULL,"
  "  workstation  TEXT    NOT NULL,"
  "  payload      TEXT    NOT NULL,"
  "  prev_hash    TEXT    NOT NULL,"
  "  hash         TEXT    NOT NULL"
  ");"
  "CREATE INDEX events_by_call ON events (call_id, id);"
  /* The record is append-only: what was received and what happened is
   * never changed or removed, by this program or by hand. */
  "CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events"
  "  BEGIN SELECT RAISE (ABORT, 'events are append-only'); END;"
  "CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events"
  "  BEGIN SELECT RAISE (ABORT, 'events are append-only'); END;"
  "CREATE TRIGGER call_versions_append_only_update BEFORE UPDATE ON call_versions"
  "  BEGIN SELECT RAISE (ABORT, 'call versions are append-only'); END;"
  "CREATE TRIGGER call_versions_append_only_delete BEFORE DELETE ON call_versions"
  "  BEGIN SELECT RAISE (ABORT, 'call versions are append-only'); END;"
  "CREATE TRIGGER documents_append_only_update BEFORE UPDATE ON documents"
  "  BEGIN SELECT RAISE (ABORT, 'documents are append-only'); END;"
  "CREATE TRIGGER documents_append_only_delete BEFORE DELETE ON documents"
  "  BEGIN SELECT RAISE (ABORT, 'documents are append-only'); END;",

  /* 2: decisions. The decision itself is an event; the calls row keeps the
   * current outcome for the queue. */
  "ALTER TABLE calls ADD COLUMN outcome TEXT;"
  "ALTER TABLE calls ADD COLUMN decided_at INTEGER;"
  "CREATE INDEX events_by_call_kind ON events (call_id, kind, id);",

  /* 3: claims. Who works a call now is state, kept here; every claim,
   * take-over and release is also an event. */
  "CREATE TABLE claims ("
  "  call_id      INTEGER PRIMARY KEY REFERENCES calls (id),"
  "  operator     TEXT    NOT NULL,"
  "  workstation  TEXT    NOT NULL,"
  "  session      TEXT    NOT NULL,"
  "  since        INTEGER NOT NULL,"
  "  seen         INTEGER NOT NULL"
  ");"
  "CREATE INDEX claims_by_session ON claims (session);",

  /* 4: agencies and referrals. The directory and each agency's live state
   * are state kept here; every import, report, referral answer and undo is
   * an event. */
  "CREATE TABLE agencies ("
  "  id           TEXT    PRIMARY KEY,"
  "  position     INTEGER NOT NULL,"
  "  active       INTEGER NOT NULL,"
  "  entry        TEXT    NOT NULL"
  ");"
  "CREATE TABLE agency_state ("
  "  agency_id    TEXT    PRIMARY KEY,"
  "  status       TEXT    NOT NULL,"
  "  capacity     INTEGER NOT NULL,"
  "  eta_minutes  INTEGER NOT NULL,"
  "  note         TEXT    NOT NULL,"
  "  operator     TEXT    NOT NULL,"
  "  workstation  TEXT    NOT NULL,"
  "  changed_at   INTEGER NOT NULL,"
  "  event_id     INTEGER NOT NULL"
  ");"
  "CREATE TABLE referrals ("
  "  decision_event_id  INTEGER PRIMARY KEY,"
  "  call_id            INTEGER NOT NULL REFERENCES calls (id),"
  "  agency_id          TEXT    NOT NULL,"
  "  state              TEXT    NOT NULL,"
  "  referred_at        INTEGER NOT NULL,"
  "  due_at             INTEGER NOT NULL,"
  "  responded_at       INTEGER,"
  "  responded_by       TEXT,"
  "  response_event_id  INTEGER,"
  "  reason             TEXT"
  ");"
  "CREATE INDEX referrals_by_call ON referrals (call_id, decision_event_id);"
  "CREATE INDEX referrals_by_state ON referrals (state, due_at);"
  "CREATE TABLE undone_decisions ("
  "  decision_event_id  INTEGER PRIMARY KEY,"
  "  undo_event_id      INTEGER NOT NULL"
  ");",

  /* 5: urgent appeals and disputes after the incident. Each lodging,
   * resolution and change is also an event. References are numbered per
   * year inside the write transaction, so concurrent appeals from several
   * workstations cannot share one. */
  "ALTER TABLE calls ADD COLUMN on_hold INTEGER NOT NULL DEFAULT 0;"
  "CREATE TABLE appeals ("
  "  id                  INTEGER PRIMARY KEY,"
  "  reference           TEXT    NOT NULL UNIQUE,"
  "  year                INTEGER NOT NULL,"
  "  number              INTEGER NOT NULL,"
  "  call_id             INTEGER NOT NULL REFERENCES calls (id),"
  "  decision_event_id   INTEGER NOT NULL,"
  "  appealed_outcome    TEXT    NOT NULL,"
  "  appellant           TEXT    NOT NULL,"
  "  appellant_name      TEXT,"
  "  grounds             TEXT    NOT NULL,"
  "  lodged_at           INTEGER NOT NULL,"
  "  lodged_by           TEXT    NOT NULL,"
  "  state               TEXT    NOT NULL,"
  "  resolved_at         INTEGER,"
  "  resolved_by         TEXT,"
  "  rationale           TEXT,"
  "  new_outcome         TEXT,"
  "  UNIQUE (year, number)"
  ");"
  "CREATE INDEX appeals_by_call ON appeals (call_id, id);"
  "CREATE INDEX appeals_by_state ON appeals (state, lodged_at);"
  "CREATE TABLE disputes ("
  "  id                  INTEGER PRIMARY KEY,"
  "  reference           TEXT    NOT NULL UNIQUE,"
  "  year                INTEGER NOT NULL,"
  "  number              INTEGER NOT NULL,"
  "  kind                TEXT    NOT NULL,"
  "  raised_by           TEXT    NOT NULL,"
  "  summary             TEXT    NOT NULL,"
  "  call_refs           TEXT    NOT NULL,"
  "  state               TEXT    NOT NULL,"
  "  opened_at           INTEGER NOT NULL,"
  "  opened_by           TEXT    NOT NULL,"
  "  changed_at          INTEGER NOT NULL,"
  "  learning            TEXT,"
  "  closed_at           INTEGER,"
  "  closed_by           TEXT,"
  "  UNIQUE (year, number)"
  ");"
  "CREATE INDEX disputes_by_state ON disputes (state, opened_at);",

  /* 6: what shift summaries count, kept with the call's current state so
   * they are summed in SQL without reading the stored documents: the
   * person's sex, self-defined ethnicity and age band (not the age). */
  "ALTER TABLE calls ADD COLUMN subject_sex TEXT;"
  "ALTER TABLE calls ADD COLUMN subject_ethnicity TEXT;"
  "ALTER TABLE calls ADD COLUMN age_band TEXT;"
  "UPDATE calls SET "
  "  subject_sex = (SELECT json_extract (v.body, '$.subject.sex') FROM call_versions v WHERE v.id = calls.current_version), "
  "  subject_ethnicity = (SELECT json_extract (v.body, '$.subject.ethnicity') FROM call_versions v WHERE v.id = calls.current_version), "
  "  age_band = (SELECT CASE "
  "      WHEN a IS NULL THEN 'unknown' WHEN a < 18 THEN '0-17' WHEN a < 25 THEN '18-24' "
  "      WHEN a < 35 THEN '25-34' WHEN a < 45 THEN '35-44' WHEN a < 55 THEN '45-54' "
  "      WHEN a < 65 THEN '55-64' ELSE '65+' END "
  "    FROM (SELECT json_extract (v.body, '$.subject.age') AS a FROM call_versions v WHERE v.id = calls.current_version));"
  "CREATE INDEX calls_by_received ON calls (received_at);",

  /* 7: the rest of what a summary reads, kept current with each decision,
   * undo and appeal, so a month is one range scan: when the call was first
   * decided, by whom its current decision was made and for which agency,
   * and how its latest appeal stands. */
  "ALTER TABLE calls ADD COLUMN first_decided_at INTEGER;"
  "ALTER TABLE calls ADD COLUMN decided_by TEXT;"
  "ALTER TABLE calls ADD COLUMN agency TEXT;"
  "ALTER TABLE calls ADD COLUMN appeal_state TEXT;"
  "UPDATE calls SET "
  "  first_decided_at = (SELECT MIN (e.at) FROM events e WHERE e.call_id = calls.id AND e.kind = 'call.decided' "
  "                        AND e.id NOT IN (SELECT decision_event_id FROM undone_decisions)), "
  "  decided_by = (SELECT e.operator FROM events e WHERE e.call_id = calls.id AND e.kind = 'call.decided' "
  "                  AND e.id NOT IN (SELECT decision_event_id FROM undone_decisions) ORDER BY e.id DESC LIMIT 1), "
  "  agency = (SELECT json_extract (e.payload, '$.agency') FROM events e WHERE e.call_id = calls.id "
  "              AND e.kind = 'call.decided' AND e.id NOT IN (SELECT decision_event_id FROM undone_decisions) "
  "            ORDER BY e.id DESC LIMIT 1), "
  "  appeal_state = (SELECT a.state FROM appeals a WHERE a.call_id = calls.id ORDER BY a.id DESC LIMIT 1) "
  "WHERE outcome IS NOT NULL OR EXISTS (SELECT 1 FROM appeals a WHERE a.call_id = calls.id);",

  /* 8: users and their roles. Every change is also an event; the table
   * is the current list. */
  "CREATE TABLE users ("
  "  os_user       TEXT    PRIMARY KEY,"
  "  role          TEXT    NOT NULL,"
  "  display_name  TEXT,"
  "  added_by      TEXT    NOT NULL,"
  "  added_at      INTEGER NOT NULL"
  ");",

  /* 9: erasure under the retention period, by recording. A call.erased
   * event in the chain comes first; then, and only for calls listed in
   * erasures (written in the same transaction), the stored documents and
   * versions may have their personal fields blanked. Nothing else may
   * change them, and nothing may delete them. */
  "CREATE TABLE erasures ("
  "  call_id    INTEGER PRIMARY KEY REFERENCES calls (id),"
  "  event_id   INTEGER NOT NULL,"
  "  erased_at  INTEGER NOT NULL"
  ");"
  "ALTER TABLE calls ADD COLUMN erased_at INTEGER;"
  "DROP TRIGGER call_versions_append_only_update;"
  "CREATE TRIGGER call_versions_append_only_update BEFORE UPDATE ON call_versions "
  "  WHEN NOT EXISTS (SELECT 1 FROM erasures e WHERE e.call_id = OLD.call_id) "
  "    OR NEW.id != OLD.id OR NEW.call_id != OLD.call_id OR NEW.content_sha256 != OLD.content_sha256 "
  "    OR NEW.document_id != OLD.document_id OR NEW.document_index != OLD.document_index "
  "  BEGIN SELECT RAISE (ABORT, 'call versions are append-only'); END;"
  "DROP TRIGGER documents_append_only_update;"
  "CREATE TRIGGER documents_append_only_update BEFORE UPDATE ON documents "
  "  WHEN NOT EXISTS (SELECT 1 FROM call_versions v JOIN erasures e ON e.call_id = v.call_id "
  "                   WHERE v.document_id = OLD.id) "
  "    OR NEW.id != OLD.id OR NEW.sha256 != OLD.sha256 OR NEW.source != OLD.source "
  "    OR NEW.stored_at != OLD.stored_at OR NEW.operator != OLD.operator OR NEW.workstation != OLD.workstation "
  "  BEGIN SELECT RAISE (ABORT, 'documents are append-only'); END;"
  "CREATE TRIGGER erasures_append_only_update BEFORE UPDATE ON erasures"
  "  BEGIN SELECT RAISE (ABORT, 'erasures are append-only'); END;"
  "CREATE TRIGGER erasures_append_only_delete BEFORE DELETE ON erasures"
  "  BEGIN SELECT RAISE (ABORT, 'erasures are append-only'); END;",

  /* 10: search. An FTS5 index of each call's current reference, post
   * code, names and summary, by call id. Diacritics are folded, so
   * "Zoe" finds "Zoë". */
  "CREATE VIRTUAL TABLE call_search USING fts5 (cad_ref, postcode, names, summary, "
  "  tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3');"
  "INSERT INTO call_search (rowid, cad_ref, postcode, names, summary) "
  "  SELECT c.id, c.cad_ref, COALESCE (json_extract (v.body, '$.location.postcode'), ''), "
  "    COALESCE (json_extract (v.body, '$.subject.name'), '') || ' ' || "
  "    COALESCE (json_extract (v.body, '$.caller.name'), ''), c.summary "
  "  FROM calls c JOIN call_versions v ON v.id = c.current_version;"
  "CREATE INDEX calls_by_category ON calls (category, grade);"
  "CREATE INDEX calls_on_hold ON calls (on_hold) WHERE on_hold = 1;",

  /* 11: the queue's order as an index, so reading the queue is a walk of
   * the index and not a sort of every call. The expressions must stay the
   * same as QUEUE_ORDER's. */
  "CREATE INDEX calls_queue ON calls (on_hold DESC, status = 'decided', "
  "  CASE WHEN status = 'decided' THEN -decided_at ELSE 0 END, "
  "  grade, threshold_risks DESC, received_at, id);"
  /* And the Open view's few calls among a year's, in the same order. */
  "CREATE INDEX calls_queue_open ON calls (on_hold DESC, status = 'decided', "
  "  CASE WHEN status = 'decided' THEN -decided_at ELSE 0 END, "
  "  grade, threshold_risks DESC, received_at, id) "
  "  WHERE outcome IS NULL OR status != 'decided';",

  /* 12: a year's calls of one category or one grade, in queue order, so a
   * filter is a walk of an index and not a sort of a fifth of the year.
   * The grade index carries the category too, for both at once. */
  "CREATE INDEX IF NOT EXISTS calls_queue_by_category ON calls (category, on_hold DESC, status = 'decided', "
  "  CASE WHEN status = 'decided' THEN -decided_at ELSE 0 END, "
  "  grade, threshold_risks DESC, received_at, id);"
  "CREATE INDEX IF NOT EXISTS calls_queue_by_grade ON calls (grade, on_hold DESC, status = 'decided', "
  "  CASE WHEN status = 'decided' THEN -decided_at ELSE 0 END, "
  "  threshold_risks DESC, received_at, id, category);",

  /* 13 (safety): the checklist answers given so far on each call, before a
   * decision. Working state, like claims, overwritten as the coordinator
   * answers and not in the audit log: the answers a decision was made on
   * are recorded in the decision's own event. */
  "CREATE TABLE triage_drafts ("
  "  call_id        INTEGER PRIMARY KEY REFERENCES calls (id),"
  "  answers        TEXT    NOT NULL,"
  "  rules_version  TEXT,"
  "  operator       TEXT    NOT NULL,"
  "  workstation    TEXT    NOT NULL,"
  "  session        TEXT    NOT NULL,"
  "  updated_at     INTEGER NOT NULL"
  ");",

  /* 14: each fact once. A version no longer keeps a canonical copy of its
   * call: it is read back from the call's bytes in the document as
   * received (byte_offset, byte_length), and its content hash stays, for
   * re-delivery, as its 32 bytes rather than 64 hex digits. Versions
   * stored before keep their copy and their hex. A batch document may
   * be kept gzip-compressed (encoding), inflating to the very bytes whose
   * hash is in sha256. The search index is contentless: the calls row
   * already holds its words, with the post code and names the queue
   * shows. Three indexes go: calls_queue_order has served no query since
   * schema 11, calls_by_category none since schema 12's category and grade
   * indexes, and events_by_call's look-ups are events_by_call_kind's (a
   * call's few events then sorted by id).
   * Under a recorded erasure a document is rewritten, so the spans of the
   * versions in it may move then, and only then. */
  "ALTER TABLE documents ADD COLUMN encoding TEXT;"
  "ALTER TABLE call_versions ADD COLUMN byte_offset INTEGER;"
  "ALTER TABLE call_versions ADD COLUMN byte_length INTEGER;"
  "ALTER TABLE calls ADD COLUMN postcode TEXT;"
  "ALTER TABLE calls ADD COLUMN subject_name TEXT;"
  "ALTER TABLE calls ADD COLUMN caller_name TEXT;"
  "UPDATE calls SET "
  "  postcode = (SELECT json_extract (v.body, '$.location.postcode') FROM call_versions v WHERE v.id = calls.current_version), "
  "  subject_name = (SELECT json_extract (v.body, '$.subject.name') FROM call_versions v WHERE v.id = calls.current_version), "
  "  caller_name = (SELECT json_extract (v.body, '$.caller.name') FROM call_versions v WHERE v.id = calls.current_version) "
  "WHERE erased_at IS NULL;"
  "DROP TRIGGER documents_append_only_update;"
  "CREATE TRIGGER documents_append_only_update BEFORE UPDATE ON documents "
  "  WHEN NOT EXISTS (SELECT 1 FROM call_versions v JOIN erasures e ON e.call_id = v.call_id "
  "                   WHERE v.document_id = OLD.id) "
  "    OR NEW.id != OLD.id OR NEW.sha256 != OLD.sha256 OR NEW.source != OLD.source "
  "    OR NEW.stored_at != OLD.stored_at OR NEW.operator != OLD.operator OR NEW.workstation != OLD.workstation "
  "    OR NEW.encoding IS NOT OLD.encoding "
  "  BEGIN SELECT RAISE (ABORT, 'documents are append-only'); END;"
  "DROP TRIGGER call_versions_append_only_update;"
  "CREATE TRIGGER call_versions_append_only_update BEFORE UPDATE ON call_versions "
  "  WHEN NEW.id != OLD.id OR NEW.call_id != OLD.call_id OR NEW.content_sha256 != OLD.content_sha256 "
  "    OR NEW.document_id != OLD.document_id OR NEW.document_index != OLD.document_index "
  "    OR NOT EXISTS (SELECT 1 FROM call_versions v JOIN erasures e ON e.call_id = v.call_id "
  "                   WHERE v.document_id = OLD.document_id) "
  "    OR (NEW.body != OLD.body AND NOT EXISTS (SELECT 1 FROM erasures e WHERE e.call_id = OLD.call_id)) "
  "  BEGIN SELECT RAISE (ABORT, 'call versions are append-only'); END;"
  "DROP TABLE call_search;"
  "CREATE VIRTUAL TABLE call_search USING fts5 (cad_ref, postcode, names, summary, content = '', "
  "  tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2');"
  "INSERT INTO call_search (rowid, cad_ref, postcode, names, summary) "
  "  SELECT id, " RCRP_SQLITE_SEARCH_VALUES " FROM calls;"
  "DROP INDEX calls_queue_order;"
  "DROP INDEX calls_by_category;"
  "DROP INDEX events_by_call;",

  /* 15: the calls awaiting a decision, by grade and time of receipt, so
   * the alert watch finds those past their grade's target a page at a
   * time from where it left off, however many are waiting, instead of
   * holding every open call in memory. */
  "CREATE INDEX calls_waiting ON calls (grade, received_at, id) WHERE status != 'decided';",

  /* 16: appends signed by their writers. A transaction that appends events
   * stores, with them, its writer's Ed25519 signature over its first
   * event, the new head and the head's hash, under a key kept outside the
   * database (rcrp-head-signature.c); whoever writes the file without
   * that key cannot sign what they append. */
  "CREATE TABLE head_signatures ("
  "  head_event_id   INTEGER PRIMARY KEY,"
  "  first_event_id  INTEGER NOT NULL,"
  "  signer          TEXT    NOT NULL,"
  "  key_id          TEXT    NOT NULL,"
  "  signature       TEXT    NOT NULL"
  ");",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == RCRP_SQLITE_SCHEMA_VERSION);

static RcrpStoreError
error_code_from_sqlite (int rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return RCRP_STORE_ERROR_BUSY;
    case SQLITE_FULL:
      return RCRP_STORE_ERROR_FULL;
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return RCRP_STORE_ERROR_READ_ONLY;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return RCRP_STORE_ERROR_CORRUPT;
    case SQLITE_CANTOPEN:
      return RCRP_STORE_ERROR_OPEN;
    default:
      return RCRP_STORE_ERROR_FAILED;
    }
}

static char *
dup_owner_name (uid_t uid)
{
  struct passwd *entry = getpwuid (uid);

  return entry != NULL ? g_strdup (entry->pw_name) : g_strdup_printf ("%u", (unsigned) uid);
}

static char *
dup_group_name (gid_t gid)
{
  struct group *entry = getgrgid (gid);

  return entry != NULL ? g_strdup (entry->gr_name) : g_strdup_printf ("%u", (unsigned) gid);
}

/* Which of the database's files (itself, its -wal, its -shm, or the folder
 * they must be made in) this process cannot write, and the command that
 * fixes it; NULL if it finds none. SQLite says only "attempt to write a
 * readonly database" whichever it is. */
static char *
describe_unwritable (const char *path)
{
  static const char * const suffixes[] = { "", "-wal", "-shm" };
  g_autofree char *folder = g_path_get_dirname (path);
  GStatBuf database;
  gboolean have_database = g_stat (path, &database) == 0;

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_autofree char *owner = NULL;
      g_autofree char *group = NULL;
      g_autofree char *me = NULL;
      const char *verb;
      GStatBuf st;
      int saved_errno;

      if (g_lstat (file, &st) != 0)
        {
          /* SQLite makes the -wal and -shm beside the database. */
          if (i > 0 && errno == ENOENT && access (folder, W_OK | X_OK) != 0)
            {
              saved_errno = errno;
              if (saved_errno == EROFS)
                return g_strdup_printf (_("%s cannot be made: the folder %s is on a file system mounted "
                                          "read-only; remount it read-write"), file, folder);
              return g_strdup_printf (_("%s cannot be made: the folder %s does not let %s create files (%s); "
                                        "let the database's users write the folder, for example with "
                                        "“chmod g+w %s”"), file, folder,
                                      me = dup_owner_name (geteuid ()), g_strerror (saved_errno), folder);
            }
          continue;
        }

      if (access (file, R_OK | W_OK) == 0)
        continue;
      saved_errno = errno;
      verb = access (file, R_OK) != 0 ? _("read") : _("write");

      if (saved_errno == EROFS)
        return g_strdup_printf (_("%s is on a file system mounted read-only; remount it read-write"), file);
      if (saved_errno == EPERM)
        return g_strdup_printf (_("%s is marked immutable or append-only; as root, run “chattr -i -a %s”"),
                                file, file);

      owner = dup_owner_name (st.st_uid);
      group = dup_group_name (st.st_gid);
      me = dup_owner_name (geteuid ());
      if (i > 0 && have_database)
        {
          g_autofree char *database_owner = dup_owner_name (database.st_uid);
          g_autofree char *database_group = dup_group_name (database.st_gid);

          /* Its -wal and -shm must be writable by whoever writes the
           * database: the same owner, group and mode as the database. */
          return g_strdup_printf (_("%s is owned by %s:%s with mode %04o, so %s cannot %s it; give it the "
                                    "database's owner, group and mode: “chown %s:%s %s && chmod %04o %s”"),
                                  file, owner, group, (unsigned) (st.st_mode & 07777), me, verb,
                                  database_owner, database_group, file,
                                  (unsigned) (database.st_mode & 0660) | 0600, file);
        }

      return g_strdup_printf (_("%s is owned by %s:%s with mode %04o, so %s cannot %s it; let the database's "
                                "users read and write it: “chmod 660 %s”, and “chown %s %s” if %s is not in the "
                                "group %s"),
                              file, owner, group, (unsigned) (st.st_mode & 07777), me, verb, file, me, file, me,
                              group);
    }

  return NULL;
}

gboolean
_rcrp_sqlite_set_error (RcrpSqliteStore  *self,
                        int               rc,
                        const char       *doing,
                        GError          **error)
{
  RcrpStoreError code = error_code_from_sqlite (rc);
  const char *detail = self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc);

  /* A write the file system refused (no space, a quota, a file-size
   * limit) comes back as SQLITE_IOERR_WRITE as often as SQLITE_FULL, and
   * SQLite does not keep the errno reliably: say so in the same words. */
  if (rc == SQLITE_IOERR_WRITE)
    code = RCRP_STORE_ERROR_FULL;

  /* Any other I/O failure the system put down to space: the -shm index
   * that cannot grow on a full disk made every command, a read-only list
   * too, say "disk I/O error". */
  if ((rc & 0xff) == SQLITE_IOERR && self->db != NULL)
    {
      int system_errno = sqlite3_system_errno (self->db);

      if (system_errno == ENOSPC || system_errno == EDQUOT || system_errno == EFBIG)
        code = RCRP_STORE_ERROR_FULL;
    }

  switch (code)
    {
    case RCRP_STORE_ERROR_BUSY:
      g_set_error (error, RCRP_STORE_ERROR, code,
                   _("The shared database %s is locked by another workstation "
                     "for longer than %d seconds while %s. Try again; if it "
                     "persists, check that no process is stuck."),
                   self->path, BUSY_TIMEOUT_MSEC / 1000, doing);
      break;

    case RCRP_STORE_ERROR_FULL:
      {
        g_autofree char *folder = g_path_get_dirname (self->path);

        g_set_error (error, RCRP_STORE_ERROR, code,
                     _("Disk full: the disk holding the folder %s is full, or a quota or file-size limit "
                       "stops %s growing, while %s. Nothing was written; free some space there and try "
                       "again."),
                     folder, self->path, doing);
      }
      break;

    case RCRP_STORE_ERROR_READ_ONLY:
      {
        g_autofree char *unwritable = describe_unwritable (self->path);

        if (unwritable != NULL)
          g_set_error (error, RCRP_STORE_ERROR, code,
                       _("The database %s cannot be written while %s: %s."),
                       self->path, doing, unwritable);
        else
          g_set_error (error, RCRP_STORE_ERROR, code,
                       _("The database %s cannot be written while %s (%s). "
                         "Check its permissions and the file system."),
                       self->path, doing, detail);
      }
      break;

    case RCRP_STORE_ERROR_OPEN:
      {
        g_autofree char *unwritable = describe_unwritable (self->path);

        if (unwritable != NULL)
          g_set_error (error, RCRP_STORE_ERROR, code,
                       _("The database %s cannot be opened: %s."), self->path, unwritable);
        else
          g_set_error (error, RCRP_STORE_ERROR, code, _("Database error while %s: %s"), doing, detail);
      }
      break;

    case RCRP_STORE_ERROR_CORRUPT:
      g_set_error (error, RCRP_STORE_ERROR, code,
                   _("The database %s is damaged or is not a database (%s)."),
                   self->path, detail);
      break;

    default:
      g_set_error (error, RCRP_STORE_ERROR, code,
                   _("Database error while %s: %s"), doing, detail);
      break;
    }

  return FALSE;
}

sqlite3_stmt *
_rcrp_sqlite_statement (RcrpSqliteStore  *self,
                        const char       *sql,
                        GError          **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    return stmt;

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _rcrp_sqlite_set_error (self, rc, _("preparing a query"), error);
      return NULL;
    }

  /* Keyed by the address of the string literal: every caller passes one. */
  g_hash_table_insert (self->statements, (gpointer) sql, stmt);

  return stmt;
}

gboolean
_rcrp_sqlite_step_done (RcrpSqliteStore  *self,
                        sqlite3_stmt     *stmt,
                        const char       *doing,
                        GError          **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    return _rcrp_sqlite_set_error (self, rc, doing, error);

  return TRUE;
}

gboolean
_rcrp_sqlite_exec (RcrpSqliteStore  *self,
                   const char       *sql,
                   const char       *doing,
                   GError          **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return _rcrp_sqlite_set_error (self, rc, doing, error);

  return TRUE;
}

gboolean
_rcrp_sqlite_begin (RcrpSqliteStore  *self,
                    GError          **error)
{
  GStatBuf st;

  /* Another workstation may have appended since our last transaction. */
  g_clear_pointer (&self->chain_head_hash, g_free);
  self->transaction_first_event_id = 0;

  /* SQLite writes on through its open descriptor after the file is
   * deleted or replaced, where no other workstation would ever see it:
   * refuse instead, plainly, before anything is written. */
  if (g_stat (self->path, &st) != 0 || st.st_dev != self->file_device || st.st_ino != self->file_inode)
    {
      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_OPEN,
                   _("The shared database %s has been moved, replaced or deleted since it was opened. Nothing "
                     "was written. Restore it, then restart the app to reconnect."),
                   self->path);
      return FALSE;
    }

  /* A writer takes the write lock at once, so two workstations queue on
   * the busy timeout instead of failing half-way with SQLITE_BUSY.
   */
  return _rcrp_sqlite_exec (self, "BEGIN IMMEDIATE", _("starting a transaction"), error);
}

/* The writer's signature of what this transaction appended, stored with it. */
static gboolean
sign_head (RcrpSqliteStore  *self,
           GError          **error)
{
  g_autoptr(RcrpCachedStatement) stmt = NULL;
  g_autofree char *key_id = NULL;
  g_autofree char *signature = NULL;

  if (!rcrp_head_signer_sign (self->head_signer, self->operator_name, self->transaction_first_event_id,
                              self->chain_head_id, self->chain_head_hash, &key_id, &signature, error))
    return FALSE;

  stmt = _rcrp_sqlite_statement (self,
                                 "INSERT INTO head_signatures (head_event_id, first_event_id, signer, key_id, signature) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5)",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, self->chain_head_id);
  sqlite3_bind_int64 (stmt, 2, self->transaction_first_event_id);
  sqlite3_bind_text (stmt, 3, self->operator_name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, key_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, signature, -1, SQLITE_STATIC);

  return _rcrp_sqlite_step_done (self, stmt, _("signing what was recorded"), error);
}

gboolean
_rcrp_sqlite_commit (RcrpSqliteStore  *self,
                     GError          **error)
{
  if (self->head_signer != NULL && self->transaction_first_event_id > 0 && self->chain_head_hash != NULL &&
      !sign_head (self, error))
    {
      _rcrp_sqlite_rollback (self);
      return FALSE;
    }
  self->transaction_first_event_id = 0;

  if (!_rcrp_sqlite_exec (self, "COMMIT", _("committing"), error))
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }

  self->local_commits++;

  return TRUE;
}

void
_rcrp_sqlite_rollback (RcrpSqliteStore *self)
{
  g_clear_pointer (&self->chain_head_hash, g_free);
  self->transaction_first_event_id = 0;

  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

gboolean
rcrp_sqlite_store_fs_type_is_local (long         f_type,
                                    const char **name)
{
  static const struct {
    long        magic;
    const char *name;
  } remote[] = {
    { 0x6969,              "NFS" },
    { 0x517B,              "SMB" },
    { (long) 0xFF534D42,   "CIFS" },
    { (long) 0xFE534D42,   "SMB2" },
    { 0x564c,              "NCP" },
    { 0x73757245,          "Coda" },
    { 0x5346414F,          "AFS" },
    { 0x6B414653,          "AFS" },
    { 0x47504653,          "GPFS" },
    { 0x0BD00BD0,          "Lustre" },
    { 0x65735546,          "FUSE (for example sshfs)" },
    { 0x19830326,          "FhGFS" },
    { 0x013111A8,          "IBRIX" },
    { 0x00C36400,          "CephFS" },
    { 0x61756673,          "AuFS" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (remote); i++)
    {
      /* statfs reports f_type as a signed long; compare the low 32 bits. */
      if ((f_type & 0xFFFFFFFFL) == (remote[i].magic & 0xFFFFFFFFL))
        {
          if (name != NULL)
            *name = remote[i].name;
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
check_local_file_system (const char  *path,
                         GError     **error)
{
  g_autofree char *folder = g_path_get_dirname (path);
  const char *name = NULL;
  struct statfs st;

  if (statfs (folder, &st) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_OPEN,
                   _("Cannot open the database folder %s: %s"),
                   folder, g_strerror (saved_errno));
      return FALSE;
    }

  if (!rcrp_sqlite_store_fs_type_is_local ((long) st.f_type, &name))
    {
      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_NETWORK_FS,
                   _("The database %s is on a network file system (%s). The "
                     "shared log needs every workstation's process on one "
                     "host, with the database on that host's local disk; "
                     "a database on NFS or SMB could be corrupted, so it "
                     "is refused."),
                   path, name);
      return FALSE;
    }

  return TRUE;
}

/* The database, its write-ahead log and the log's index hold health data:
 * never readable by others. One left more open than 0660 (copied with cp,
 * made by an old version, or by hand) is tightened when it is ours, and
 * refused with the fix when it is not. SQLite gives a new -wal and -shm
 * the database file's mode, so the database is tightened first. */
static gboolean
check_file_mode (const char  *path,
                 const char  *database,
                 GError     **error)
{
  GStatBuf st;

  /* Followed: a database reached through a link is judged by its file. */
  if (g_stat (path, &st) != 0)
    {
      int saved_errno = errno;

      if (saved_errno == ENOENT && path != database)
        return TRUE;

      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_OPEN,
                   _("Cannot open the database %s: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }

  if ((st.st_mode & 0007) == 0)
    return TRUE;

  if (st.st_uid == geteuid () && g_chmod (path, st.st_mode & 0660) == 0)
    {
      g_message (_("%s could be read by anyone on this computer (mode %04o); it is now owner and group only (%04o)"),
                 path, (guint) (st.st_mode & 07777), (guint) (st.st_mode & 0660));
      return TRUE;
    }

  g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_OPEN,
               _("%s can be read by anyone on this computer (mode %04o), and it holds health data: "
                 "it is not opened until its owner makes it owner and group only, with "
                 "chmod o-rwx '%s'"),
               path, (guint) (st.st_mode & 07777), path);
  return FALSE;
}

static gboolean
check_file_modes (const char  *path,
                  GError     **error)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  return check_file_mode (path, path, error) &&
         check_file_mode (wal, path, error) &&
         check_file_mode (shm, path, error);
}

static gboolean
create_file_private (const char  *path,
                     GError     **error)
{
  g_autofree char *folder = g_path_get_dirname (path);
  int fd;

  if (g_mkdir_with_parents (folder, 0750) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_OPEN,
                   _("Cannot create the database folder %s: %s"),
                   folder, g_strerror (saved_errno));
      return FALSE;
    }

  /* Create the file ourselves so it is owner/group only from its first
   * byte; SQLite gives the -wal and -shm files the same mode.
   */
  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0660);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, RCRP_STORE_ERROR,
                   saved_errno == EACCES || saved_errno == EROFS
                     ? RCRP_STORE_ERROR_READ_ONLY : RCRP_STORE_ERROR_OPEN,
                   _("Cannot create the database %s: %s"),
                   path, g_strerror (saved_errno));
      return FALSE;
    }

  close (fd);

  return TRUE;
}

static gboolean
migrate (RcrpSqliteStore  *self,
         GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt = NULL;
  int version;
  int rc;

  /* Up to date (the usual case): no write lock, so a workstation starts
   * while another is writing. */
  rc = sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && sqlite3_column_int (stmt, 0) == RCRP_SQLITE_SCHEMA_VERSION)
    {
      sqlite3_finalize (stmt);
      return TRUE;
    }

  /* A reader never upgrades what it reads. */
  if (self->read_only)
    {
      if (rc != SQLITE_ROW)
        {
          sqlite3_finalize (stmt);
          return _rcrp_sqlite_set_error (self, rc, _("reading the schema version"), error);
        }
      version = sqlite3_column_int (stmt, 0);
      sqlite3_finalize (stmt);
      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_SCHEMA,
                   _("The database %s has schema version %d and this version of Right Care Coordinator "
                     "reads version %d; it is only read here, never upgraded. Open it once with the "
                     "app or a command that writes, or check it with the version that wrote it."),
                   self->path, version, RCRP_SQLITE_SCHEMA_VERSION);
      return FALSE;
    }
  sqlite3_finalize (stmt);
  stmt = NULL;

  if (!_rcrp_sqlite_begin (self, error))
    return FALSE;

  rc = sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &stmt, NULL);
  if (rc != SQLITE_OK || sqlite3_step (stmt) != SQLITE_ROW)
    {
      if (rc == SQLITE_OK)
        rc = sqlite3_errcode (self->db);
      sqlite3_finalize (stmt);
      _rcrp_sqlite_rollback (self);
      return _rcrp_sqlite_set_error (self, rc, _("reading the schema version"), error);
    }

  version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  /* The header is only a number in the file: checked before it indexes
   * the migrations. */
  if (version < 0)
    {
      _rcrp_sqlite_rollback (self);
      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_SCHEMA,
                   _("The database %s says its schema is version %d, which no version of Right Care "
                     "Coordinator writes: the file is damaged or is not one of its databases. "
                     "Restore it from a backup."),
                   self->path, version);
      return FALSE;
    }

  if (version > RCRP_SQLITE_SCHEMA_VERSION)
    {
      _rcrp_sqlite_rollback (self);
      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_SCHEMA,
                   _("The database %s was written by a newer version of Right "
                     "Care Coordinator (schema %d; this version knows up to "
                     "%d). Update this workstation."),
                   self->path, version, RCRP_SQLITE_SCHEMA_VERSION);
      return FALSE;
    }

  for (int i = version; i < RCRP_SQLITE_SCHEMA_VERSION; i++)
    {
      g_autofree char *set_version = NULL;
      g_autofree char *doing = g_strdup_printf (_("upgrading the schema to version %d"), i + 1);

      if (!_rcrp_sqlite_exec (self, migrations[i], doing, &local_error))
        {
          _rcrp_sqlite_rollback (self);
          g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_SCHEMA,
                       "%s", local_error->message);
          return FALSE;
        }

      set_version = g_strdup_printf ("PRAGMA user_version = %d", i + 1);
      if (!_rcrp_sqlite_exec (self, set_version, doing, error))
        {
          _rcrp_sqlite_rollback (self);
          return FALSE;
        }
    }

  return _rcrp_sqlite_commit (self, error);
}

gint64
_rcrp_sqlite_time_to_column (GDateTime *dt)
{
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
}

GDateTime *
_rcrp_sqlite_time_from_column (gint64 usec)
{
  static GDateTime *epoch;

  /* One epoch for the process (a GDateTime never changes, and may be
   * shared between threads): a summary makes one time or two for each
   * of a month's calls. */
  if (g_once_init_enter (&epoch))
    g_once_init_leave (&epoch, g_date_time_new_from_unix_utc (0));

  return g_date_time_add (epoch, usec);
}

/* What the chain records of a stored version: its number and content
 * hash, and the row that says where its bytes lie. The reference, the
 * document and its source are each kept once, in their own rows. Events
 * written before schema 14 also named them; they verify as written. */
static char *
event_payload_for_version (RcrpCall *call,
                           gint64    version_id,
                           guint     version)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, version);
  json_builder_set_member_name (builder, "version_id");
  json_builder_add_int_value (builder, version_id);
  json_builder_set_member_name (builder, "content_sha256");
  json_builder_add_string_value (builder, rcrp_call_get_content_hash (call));
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
}

#define GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"

static void
checksum_add_field (GChecksum  *checksum,
                    const char *value)
{
  g_autofree char *length = g_strdup_printf ("%zu:", value != NULL ? strlen (value) : 0);

  /* Length-prefixed, so no two different events can hash the same text. */
  g_checksum_update (checksum, (const guchar *) length, -1);
  if (value != NULL)
    g_checksum_update (checksum, (const guchar *) value, -1);
}

static char *
compute_event_hash (const char *prev_hash,
                    gint64      id,
                    gint64      at,
                    const char *kind,
                    gint64      call_id,
                    const char *operator_name,
                    const char *workstation,
                    const char *payload)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  char number[32];

  checksum_add_field (checksum, prev_hash);
  g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, id);
  checksum_add_field (checksum, number);
  g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, at);
  checksum_add_field (checksum, number);
  checksum_add_field (checksum, kind);
  g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, call_id);
  checksum_add_field (checksum, number);
  checksum_add_field (checksum, operator_name);
  checksum_add_field (checksum, workstation);
  checksum_add_field (checksum, payload);

  return g_strdup (g_checksum_get_string (checksum));
}

/* Reads the head of the chain. Called inside the write transaction, so no
 * other workstation can append between this and our insert.
 */
static gboolean
read_chain_head (RcrpSqliteStore  *self,
                 gint64           *head_id,
                 char            **head_hash,
                 GError          **error)
{
  g_autoptr(RcrpCachedStatement) stmt = NULL;
  int rc;

  stmt = _rcrp_sqlite_statement (self, "SELECT id, hash FROM events ORDER BY id DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *head_id = sqlite3_column_int64 (stmt, 0);
      *head_hash = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      return TRUE;
    }
  else if (rc == SQLITE_DONE)
    {
      *head_id = 0;
      *head_hash = g_strdup (GENESIS_HASH);
      return TRUE;
    }

  return _rcrp_sqlite_set_error (self, rc, _("reading the log"), error);
}

gint64
_rcrp_sqlite_insert_event (RcrpSqliteStore  *self,
                           GDateTime        *at,
                           const char       *kind,
                           gint64            call_id,
                           const char       *payload,
                           GError          **error)
{
  g_autoptr(RcrpCachedStatement) stmt = NULL;
  g_autofree char *hash = NULL;
  gint64 at_column = _rcrp_sqlite_time_to_column (at);
  gint64 id;
  int rc;

  g_assert (!sqlite3_get_autocommit (self->db));

  if (self->chain_head_hash == NULL &&
      !read_chain_head (self, &self->chain_head_id, &self->chain_head_hash, error))
    return -1;

  id = self->chain_head_id + 1;
  hash = compute_event_hash (self->chain_head_hash, id, at_column, kind,
                             MAX (call_id, 0), self->operator_name,
                             self->workstation, payload);

  stmt = _rcrp_sqlite_statement (self,
                                 "INSERT INTO events (id, at, kind, call_id, operator, workstation, payload, prev_hash, hash) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                                 error);
  if (stmt == NULL)
    return -1;

  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, at_column);
  sqlite3_bind_text (stmt, 3, kind, -1, SQLITE_STATIC);
  if (call_id > 0)
    sqlite3_bind_int64 (stmt, 4, call_id);
  else
    sqlite3_bind_null (stmt, 4);
  sqlite3_bind_text (stmt, 5, self->operator_name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, self->workstation, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, payload, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, self->chain_head_hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, hash, -1, SQLITE_STATIC);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      _rcrp_sqlite_set_error (self, rc, _("recording an event"), error);
      return -1;
    }

  self->chain_head_id = id;
  g_free (self->chain_head_hash);
  self->chain_head_hash = g_steal_pointer (&hash);
  if (self->transaction_first_event_id == 0)
    self->transaction_first_event_id = id;

  return id;
}

/* A SHA-256 in hex as its 32 bytes, as versions keep it since schema 14. */
static gboolean
hash_to_blob (const char *hex,
              guint8      digest[32])
{
  if (hex == NULL || strlen (hex) != 64)
    return FALSE;

  for (guint i = 0; i < 32; i++)
    {
      int high = g_ascii_xdigit_value (hex[2 * i]);
      int low = g_ascii_xdigit_value (hex[2 * i + 1]);

      if (high < 0 || low < 0)
        return FALSE;
      digest[i] = (guint8) (high << 4 | low);
    }

  return TRUE;
}

/* Looks up the call with @cad_ref: sets @call_id (0 if new), @version_count,
 * and whether a version with @content_hash is already stored.
 */
static gboolean
find_call_version (RcrpSqliteStore  *self,
                   const char       *cad_ref,
                   const char       *content_hash,
                   gint64           *call_id,
                   guint            *version_count,
                   gboolean         *seen,
                   GError          **error)
{
  g_autoptr(RcrpCachedStatement) stmt = NULL;
  guint8 digest[32];
  int rc;

  stmt = _rcrp_sqlite_statement (self,
                                 "SELECT c.id, c.version_count, "
                                 "  EXISTS (SELECT 1 FROM call_versions v "
                                 "          WHERE v.call_id = c.id AND v.content_sha256 IN (?2, ?3)) "
                                 "FROM calls c WHERE c.cad_ref = ?1",
                                 error);
  if (stmt == NULL)
    return FALSE;

  /* The hash as stored since schema 14, and as hex text before. */
  sqlite3_bind_text (stmt, 1, cad_ref, -1, SQLITE_STATIC);
  if (!hash_to_blob (content_hash, digest))
    {
      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_FAILED,
                   _("The call %s has no SHA-256 content hash (%s)."), cad_ref, content_hash);
      return FALSE;
    }
  sqlite3_bind_blob (stmt, 2, digest, sizeof digest, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, content_hash, -1, SQLITE_STATIC);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *call_id = sqlite3_column_int64 (stmt, 0);
      *version_count = sqlite3_column_int (stmt, 1);
      *seen = sqlite3_column_int (stmt, 2) != 0;
      return TRUE;
    }
  else if (rc == SQLITE_DONE)
    {
      *call_id = 0;
      *version_count = 0;
      *seen = FALSE;
      return TRUE;
    }

  return _rcrp_sqlite_set_error (self, rc, _("looking up a call"), error);
}

/* Documents of this size and more (a batch: a backlog, an import) are
 * kept gzip-compressed, where nearly all of a database's bytes would
 * otherwise be; the few bytes of a single call's document are kept as
 * they came, readable with sqlite3 alone. */
#define COMPRESS_DOCUMENTS_FROM (64 * 1024)

/* Runs all of @input through @converter. */
static GBytes *
convert_bytes (GConverter  *converter,
               GBytes      *input,
               GError     **error)
{
  g_autoptr(GByteArray) output = g_byte_array_new ();
  const guint8 *in;
  gsize in_size;
  gsize in_done = 0;

  in = g_bytes_get_data (input, &in_size);
  g_byte_array_set_size (output, MAX (in_size, 4096));

  for (gsize out_done = 0;;)
    {
      GConverterResult result;
      gsize read = 0, written = 0;

      if (out_done == output->len)
        g_byte_array_set_size (output, output->len * 2);

      result = g_converter_convert (converter, in + in_done, in_size - in_done,
                                    output->data + out_done, output->len - out_done,
                                    G_CONVERTER_INPUT_AT_END, &read, &written, error);
      if (result == G_CONVERTER_ERROR)
        return NULL;
      in_done += read;
      out_done += written;
      if (result == G_CONVERTER_FINISHED)
        {
          g_byte_array_set_size (output, out_done);
          break;
        }
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&output));
}

static GBytes *
encode_document (GBytes      *document,
                 const char **encoding,
                 GError     **error)
{
  g_autoptr(GZlibCompressor) compressor = NULL;

  *encoding = NULL;
  if (g_bytes_get_size (document) < COMPRESS_DOCUMENTS_FROM)
    return g_bytes_ref (document);

  *encoding = "gzip";
  compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);

  return convert_bytes (G_CONVERTER (compressor), document, error);
}

/* The bytes as received of document @document_id, kept as @stored in
 * @encoding (NULL: as they came). */
static GBytes *
decode_document (gint64       document_id,
                 GBytes      *stored,
                 const char  *encoding,
                 GError     **error)
{
  g_autoptr(GZlibDecompressor) decompressor = NULL;
  g_autoptr(GError) local_error = NULL;
  GBytes *document;

  if (encoding == NULL)
    return g_bytes_ref (stored);

  if (!g_str_equal (encoding, "gzip"))
    {
      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_CORRUPT,
                   _("The feed document %" G_GINT64_FORMAT " is kept in an encoding (%s) that this version "
                     "cannot read. Update this workstation."),
                   document_id, encoding);
      return NULL;
    }

  decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  document = convert_bytes (G_CONVERTER (decompressor), stored, &local_error);
  if (document == NULL)
    g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_CORRUPT,
                 _("The feed document %" G_GINT64_FORMAT " is damaged: %s"), document_id, local_error->message);

  return document;
}

GBytes *
_rcrp_sqlite_read_document (RcrpSqliteStore  *self,
                            gint64            document_id,
                            GError          **error)
{
  g_autoptr(RcrpCachedStatement) stmt = NULL;
  g_autoptr(GBytes) stored = NULL;
  int rc;

  stmt = _rcrp_sqlite_statement (self, "SELECT body, encoding FROM documents WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, document_id);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        {
          g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_CORRUPT,
                       _("The feed document %" G_GINT64_FORMAT " that a call version names is missing."),
                       document_id);
          return NULL;
        }
      _rcrp_sqlite_set_error (self, rc, _("reading a feed document"), error);
      return NULL;
    }

  stored = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));

  return decode_document (document_id, stored, (const char *) sqlite3_column_text (stmt, 1), error);
}

gboolean
_rcrp_sqlite_rewrite_document (RcrpSqliteStore  *self,
                               gint64            document_id,
                               GBytes           *bytes,
                               GError          **error)
{
  g_autoptr(GBytes) stored = NULL;
  g_autoptr(GArray) spans = NULL;
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  {
    g_autoptr(RcrpCachedStatement) stmt = _rcrp_sqlite_statement (self, "SELECT encoding FROM documents WHERE id = ?1",
                                                                  error);
    int rc;

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, document_id);
    rc = sqlite3_step (stmt);
    if (rc != SQLITE_ROW)
      return _rcrp_sqlite_set_error (self, rc, _("erasing personal data"), error);

    if (sqlite3_column_type (stmt, 0) == SQLITE_NULL)
      stored = g_bytes_ref (bytes);
    else
      {
        g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);

        stored = convert_bytes (G_CONVERTER (compressor), bytes, error);
        if (stored == NULL)
          return FALSE;
      }
  }

  {
    g_autoptr(RcrpCachedStatement) stmt = _rcrp_sqlite_statement (self, "UPDATE documents SET body = ?2 WHERE id = ?1",
                                                                  error);
    gsize stored_size;
    gconstpointer stored_data = g_bytes_get_data (stored, &stored_size);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, document_id);
    sqlite3_bind_blob64 (stmt, 2, stored_data != NULL ? stored_data : "", stored_size, SQLITE_STATIC);
    if (!_rcrp_sqlite_step_done (self, stmt, _("erasing personal data"), error))
      return FALSE;
  }

  /* The calls in it may have moved: each version with a span follows its
   * call by its place in the document. */
  spans = rcrp_json_strict_top_level_spans (data, size);
  for (guint i = 0; i < spans->len; i++)
    {
      g_autoptr(RcrpCachedStatement) stmt = NULL;
      RcrpJsonSpan *span = &g_array_index (spans, RcrpJsonSpan, i);

      stmt = _rcrp_sqlite_statement (self,
                                     "UPDATE call_versions SET byte_offset = ?3, byte_length = ?4 "
                                     "WHERE document_id = ?1 AND document_index = ?2 AND byte_offset IS NOT NULL "
                                     "  AND (byte_offset != ?3 OR byte_length != ?4)",
                                     error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, document_id);
      sqlite3_bind_int (stmt, 2, i);
      sqlite3_bind_int64 (stmt, 3, span->offset);
      sqlite3_bind_int64 (stmt, 4, span->length);
      if (!_rcrp_sqlite_step_done (self, stmt, _("erasing personal data"), error))
        return FALSE;
    }

  return TRUE;
}

struct _RcrpVersionReader
{
  RcrpSqliteStore *store;
  gint64           document_id;
  GBytes          *document;
};

RcrpVersionReader *
_rcrp_version_reader_new (RcrpSqliteStore *self)
{
  RcrpVersionReader *reader = g_new0 (RcrpVersionReader, 1);

  reader->store = self;

  return reader;
}

void
_rcrp_version_reader_free (RcrpVersionReader *reader)
{
  g_clear_pointer (&reader->document, g_bytes_unref);
  g_free (reader);
}

static RcrpCall *
call_from_version_text (const char  *text,
                        gssize       length,
                        GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, text, length, &local_error) ||
      (root = json_parser_get_root (parser)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_CORRUPT,
                   _("A stored call version cannot be read: %s"),
                   local_error != NULL ? local_error->message : _("not an object"));
      return NULL;
    }

  return rcrp_feed_parse_call (json_node_get_object (root), "", error);
}

RcrpCall *
_rcrp_version_reader_read (RcrpVersionReader  *reader,
                           const char         *body,
                           gint64              document_id,
                           gint64              offset,
                           gint64              length,
                           GError            **error)
{
  const char *data;
  gsize size;

  if (body != NULL && *body != '\0')
    return call_from_version_text (body, -1, error);

  if (reader->document == NULL || reader->document_id != document_id)
    {
      g_clear_pointer (&reader->document, g_bytes_unref);
      reader->document = _rcrp_sqlite_read_document (reader->store, document_id, error);
      if (reader->document == NULL)
        return NULL;
      reader->document_id = document_id;
    }

  data = g_bytes_get_data (reader->document, &size);
  if (offset < 0 || length <= 0 || (gsize) offset > size || (gsize) length > size - offset)
    {
      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_CORRUPT,
                   _("A stored call version lies outside its feed document %" G_GINT64_FORMAT "."),
                   document_id);
      return NULL;
    }

  return call_from_version_text (data + offset, length, error);
}

static gint64
insert_document (RcrpSqliteStore  *self,
                 const char       *source,
                 GBytes           *document,
                 GDateTime        *now,
                 GError          **error)
{
  g_autoptr(RcrpCachedStatement) stmt = NULL;
  g_autoptr(GBytes) stored = NULL;
  g_autofree char *sha256 = NULL;
  const char *encoding = NULL;
  gconstpointer data;
  gsize size;
  int rc;

  /* The hash is of the bytes as received, however they are kept. */
  data = g_bytes_get_data (document, &size);
  sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, size);

  stored = encode_document (document, &encoding, error);
  if (stored == NULL)
    return -1;
  data = g_bytes_get_data (stored, &size);

  stmt = _rcrp_sqlite_statement (self,
                                 "INSERT INTO documents (sha256, source, stored_at, operator, workstation, body, encoding) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                                 error);
  if (stmt == NULL)
    return -1;

  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, source, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, _rcrp_sqlite_time_to_column (now));
  sqlite3_bind_text (stmt, 4, self->operator_name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, self->workstation, -1, SQLITE_STATIC);
  sqlite3_bind_blob64 (stmt, 6, data != NULL ? data : "", size, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, encoding, -1, SQLITE_STATIC);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      _rcrp_sqlite_set_error (self, rc, _("storing the feed document"), error);
      return -1;
    }

  return sqlite3_last_insert_rowid (self->db);
}

/* Stores @call, element @document_index of @document_id, lying at @span
 * in its bytes (NULL when it could not be placed: then the version keeps
 * a canonical copy, as versions did before schema 14). */
static gboolean
store_call_version (RcrpSqliteStore     *self,
                    RcrpCall            *call,
                    gint64               document_id,
                    guint                document_index,
                    const RcrpJsonSpan  *span,
                    gint64               call_id,
                    guint                version_count,
                    GDateTime           *now,
                    GError             **error)
{
  g_autofree char *payload = NULL;
  guint8 digest[32];
  gint64 version_id;
  guint version = version_count + 1;
  guint risks = rcrp_call_get_risks (call);
  int rc;

  if (call_id == 0)
    {
      g_autoptr(RcrpCachedStatement) stmt = NULL;

      stmt = _rcrp_sqlite_statement (self,
                                     "INSERT INTO calls (cad_ref, category, grade, received_at, risks, "
                                     "  threshold_risks, summary, status, version_count, current_version, updated_at) "
                                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'new', 0, 0, ?8)",
                                     error);
      if (stmt == NULL)
        return FALSE;

      sqlite3_bind_text (stmt, 1, rcrp_call_get_cad_ref (call), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, rcrp_category_to_string (rcrp_call_get_category (call)), -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 3, rcrp_call_get_grade (call));
      sqlite3_bind_int64 (stmt, 4, _rcrp_sqlite_time_to_column (rcrp_call_get_received_at (call)));
      sqlite3_bind_int64 (stmt, 5, risks);
      sqlite3_bind_int (stmt, 6, rcrp_risk_count_threshold (risks));
      sqlite3_bind_text (stmt, 7, rcrp_call_get_summary (call), -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 8, _rcrp_sqlite_time_to_column (now));

      rc = sqlite3_step (stmt);
      if (rc != SQLITE_DONE)
        return _rcrp_sqlite_set_error (self, rc, _("storing a call"), error);

      call_id = sqlite3_last_insert_rowid (self->db);
    }
  else if (!_rcrp_sqlite_search_unindex_call (self, call_id, error))
    {
      return FALSE;
    }

  {
    g_autoptr(RcrpCachedStatement) stmt = NULL;

    stmt = _rcrp_sqlite_statement (self,
                                   "INSERT INTO call_versions (call_id, content_sha256, document_id, document_index, body, "
                                   "  byte_offset, byte_length) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                                   error);
    if (stmt == NULL)
      return FALSE;

    if (!hash_to_blob (rcrp_call_get_content_hash (call), digest))
      {
        g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_FAILED,
                     _("The call %s has no SHA-256 content hash (%s)."),
                     rcrp_call_get_cad_ref (call), rcrp_call_get_content_hash (call));
        return FALSE;
      }
    sqlite3_bind_int64 (stmt, 1, call_id);
    sqlite3_bind_blob (stmt, 2, digest, sizeof digest, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 3, document_id);
    sqlite3_bind_int (stmt, 4, document_index);
    if (span != NULL)
      {
        sqlite3_bind_text (stmt, 5, "", -1, SQLITE_STATIC);
        sqlite3_bind_int64 (stmt, 6, span->offset);
        sqlite3_bind_int64 (stmt, 7, span->length);
      }
    else
      sqlite3_bind_text (stmt, 5, rcrp_call_get_canonical_json (call), -1, SQLITE_STATIC);

    rc = sqlite3_step (stmt);
    if (rc != SQLITE_DONE)
      return _rcrp_sqlite_set_error (self, rc, _("storing a call version"), error);

    version_id = sqlite3_last_insert_rowid (self->db);
  }

  payload = event_payload_for_version (call, version_id, version);
  if (_rcrp_sqlite_insert_event (self, now, version == 1 ? "call.received" : "call.updated",
                                 call_id, payload, error) < 0)
    return FALSE;

  {
    g_autoptr(RcrpCachedStatement) stmt = NULL;

    /* The calls row is the current state derived from the versions and
     * events, kept for the queue's sake; the record itself is append-only.
     */
    stmt = _rcrp_sqlite_statement (self,
                                   "UPDATE calls SET category = ?2, grade = ?3, received_at = ?4, "
                                   "  risks = ?5, threshold_risks = ?6, summary = ?7, "
                                   "  status = CASE WHEN ?8 > 1 THEN 'updated' ELSE status END, "
                                   "  version_count = ?8, current_version = ?9, updated_at = ?10, "
                                   "  subject_sex = ?11, subject_ethnicity = ?12, age_band = ?13, "
                                   "  postcode = ?14, subject_name = ?15, caller_name = ?16 "
                                   "WHERE id = ?1",
                                   error);
    if (stmt == NULL)
      return FALSE;

    sqlite3_bind_int64 (stmt, 1, call_id);
    sqlite3_bind_text (stmt, 2, rcrp_category_to_string (rcrp_call_get_category (call)), -1, SQLITE_STATIC);
    sqlite3_bind_int (stmt, 3, rcrp_call_get_grade (call));
    sqlite3_bind_int64 (stmt, 4, _rcrp_sqlite_time_to_column (rcrp_call_get_received_at (call)));
    sqlite3_bind_int64 (stmt, 5, risks);
    sqlite3_bind_int (stmt, 6, rcrp_risk_count_threshold (risks));
    sqlite3_bind_text (stmt, 7, rcrp_call_get_summary (call), -1, SQLITE_STATIC);
    sqlite3_bind_int (stmt, 8, version);
    sqlite3_bind_int64 (stmt, 9, version_id);
    sqlite3_bind_int64 (stmt, 10, _rcrp_sqlite_time_to_column (now));
    sqlite3_bind_text (stmt, 11, rcrp_call_get_subject_sex (call), -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 12, rcrp_call_get_subject_ethnicity (call), -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 13, rcrp_age_band (rcrp_call_get_subject_age (call)), -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 14, rcrp_call_get_postcode (call), -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 15, rcrp_call_get_subject_name (call), -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 16, rcrp_call_get_caller_name (call), -1, SQLITE_STATIC);

    rc = sqlite3_step (stmt);
    if (rc != SQLITE_DONE)
      return _rcrp_sqlite_set_error (self, rc, _("updating a call"), error);
  }

  if (!_rcrp_sqlite_search_index_call (self, call_id, error))
    return FALSE;

  return TRUE;
}

static gboolean
rcrp_sqlite_store_ingest (RcrpStore         *store,
                          const char        *source,
                          GBytes            *document,
                          GPtrArray         *calls,
                          RcrpIngestResult  *result,
                          GError           **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autoptr(GDateTime) now = rcrp_clock_now (self->clock);
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  RcrpIngestResult counts = { 0, };
  g_autoptr(GArray) spans = NULL;
  gint64 document_id = 0;

  /* Only a user of the database stores calls (the refusal is logged). */
  if (!_rcrp_sqlite_require (self, RCRP_PERMISSION_INGEST, error))
    return FALSE;

  if (!_rcrp_sqlite_begin (self, error))
    return FALSE;

  for (guint i = 0; i < calls->len; i++)
    {
      RcrpCall *call = g_ptr_array_index (calls, i);
      gint64 call_id = 0;
      guint version_count = 0;
      gboolean seen = FALSE;

      if (!find_call_version (self, rcrp_call_get_cad_ref (call),
                              rcrp_call_get_content_hash (call),
                              &call_id, &version_count, &seen, error))
        goto failed;

      /* Delivery is at-least-once and may come out of order: content
       * already stored for this call, whether its latest version or an
       * earlier one, is a re-delivery and changes nothing.
       */
      if (seen)
        {
          counts.unchanged++;
          continue;
        }

      /* The raw document is kept once, and only if it brings something. */
      if (document_id == 0)
        {
          gsize size;
          const char *data = g_bytes_get_data (document, &size);

          document_id = insert_document (self, source, document, now, error);
          if (document_id < 0)
            goto failed;

          /* The document passed the strict check, so its calls are its
           * top-level values, in order. */
          spans = rcrp_json_strict_top_level_spans (data, size);
        }

      if (!store_call_version (self, call, document_id, i,
                               spans->len == calls->len ? &g_array_index (spans, RcrpJsonSpan, i) : NULL,
                               call_id, version_count, now, error))
        goto failed;

      if (call_id == 0)
        counts.added++;
      else
        counts.updated++;
    }

  if (document_id == 0)
    {
      /* Nothing new: leave the database exactly as it was. */
      _rcrp_sqlite_rollback (self);
    }
  else if (!_rcrp_sqlite_commit (self, error))
    {
      return FALSE;
    }

  *result = counts;

  return TRUE;

failed:
  _rcrp_sqlite_rollback (self);
  return FALSE;
}

static GArray *
rcrp_sqlite_store_list_queue_ids (RcrpStore  *store,
                                  GError    **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  g_autoptr(RcrpCachedStatement) stmt = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  stmt = _rcrp_sqlite_statement (self,
                                 "SELECT id FROM calls " QUEUE_ORDER,
                                 error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }

  if (rc != SQLITE_DONE)
    {
      _rcrp_sqlite_set_error (self, rc, _("reading the queue"), error);
      return NULL;
    }

  return g_steal_pointer (&ids);
}

static void
set_outcome_from_columns (RcrpCall     *call,
                          sqlite3_stmt *stmt,
                          int           outcome_column,
                          int           decided_at_column)
{
  g_autoptr(GDateTime) decided_at = NULL;

  if (sqlite3_column_type (stmt, outcome_column) == SQLITE_NULL)
    return;

  decided_at = _rcrp_sqlite_time_from_column (sqlite3_column_int64 (stmt, decided_at_column));
  _rcrp_call_set_outcome (call, (const char *) sqlite3_column_text (stmt, outcome_column), decided_at);
}

static RcrpCall *
call_from_queue_row (sqlite3_stmt *stmt)
{
  RcrpCall *call = _rcrp_call_new ();
  g_autoptr(GDateTime) received_at = NULL;
  g_autoptr(GDateTime) updated_at = NULL;
  RcrpCategory category = RCRP_CATEGORY_MENTAL_HEALTH_OTHER;
  RcrpCallStatus status = RCRP_CALL_STATUS_NEW;

  rcrp_category_from_string ((const char *) sqlite3_column_text (stmt, 2), &category);
  rcrp_call_status_from_string ((const char *) sqlite3_column_text (stmt, 7), &status);
  received_at = _rcrp_sqlite_time_from_column (sqlite3_column_int64 (stmt, 4));
  updated_at = _rcrp_sqlite_time_from_column (sqlite3_column_int64 (stmt, 9));

  _rcrp_call_set_id (call, sqlite3_column_int64 (stmt, 0));
  _rcrp_call_set_cad_ref (call, (const char *) sqlite3_column_text (stmt, 1));
  _rcrp_call_set_category (call, category);
  _rcrp_call_set_grade (call, sqlite3_column_int (stmt, 3));
  _rcrp_call_set_received_at (call, received_at);
  _rcrp_call_set_risks (call, sqlite3_column_int64 (stmt, 5));
  _rcrp_call_set_summary (call, (const char *) sqlite3_column_text (stmt, 6));
  _rcrp_call_set_status (call, status);
  _rcrp_call_set_version_count (call, sqlite3_column_int (stmt, 8));
  _rcrp_call_set_updated_at (call, updated_at);
  set_outcome_from_columns (call, stmt, 10, 11);
  _rcrp_call_set_on_hold (call, sqlite3_column_int (stmt, 12));
  /* What the search index holds besides the summary, so the queue can
   * show where a search matched. */
  _rcrp_call_set_location (call, NULL, (const char *) sqlite3_column_text (stmt, 13));
  _rcrp_call_set_subject (call, (const char *) sqlite3_column_text (stmt, 14), -1, NULL, NULL, -1);
  _rcrp_call_set_caller (call, (const char *) sqlite3_column_text (stmt, 15), NULL, NULL);
  /* Who works it, so the queue can say so. */
  if (sqlite3_column_type (stmt, 16) != SQLITE_NULL)
    {
      g_autoptr(GDateTime) seen = _rcrp_sqlite_time_from_column (sqlite3_column_int64 (stmt, 18));

      _rcrp_call_set_claim (call, (const char *) sqlite3_column_text (stmt, 16),
                            (const char *) sqlite3_column_text (stmt, 17), seen);
    }

  return call;
}

#define CALL_COLUMNS \
  "c.id, c.cad_ref, c.category, c.grade, c.received_at, c.risks, c.summary, c.status, c.version_count, " \
  "c.updated_at, c.outcome, c.decided_at, c.on_hold, c.postcode, c.subject_name, c.caller_name, " \
  "COALESCE (u.display_name, k.operator), k.session, k.seen"

static GPtrArray *
rcrp_sqlite_store_get_calls_by_id (RcrpStore     *store,
                                   const gint64  *ids,
                                   guint          n_ids,
                                   GError       **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  g_autoptr(GPtrArray) calls = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;

  stmt = _rcrp_sqlite_statement (self, "SELECT " CALL_COLUMNS " FROM calls c "
                                 "LEFT JOIN claims k ON k.call_id = c.id LEFT JOIN users u ON u.os_user = k.operator "
                                 "WHERE c.id = ?1", error);
  if (stmt == NULL)
    return NULL;

  for (guint i = 0; i < n_ids; i++)
    {
      g_autoptr(RcrpCachedStatement) row = stmt;
      int rc;

      sqlite3_bind_int64 (row, 1, ids[i]);
      rc = sqlite3_step (row);

      if (rc == SQLITE_ROW)
        g_ptr_array_add (calls, call_from_queue_row (row));
      else if (rc != SQLITE_DONE)
        {
          _rcrp_sqlite_set_error (self, rc, _("reading calls"), error);
          return NULL;
        }
    }

  return g_steal_pointer (&calls);
}

static RcrpCall *
rcrp_sqlite_store_get_call (RcrpStore   *store,
                            const char  *cad_ref,
                            GError     **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  g_autoptr(RcrpCachedStatement) stmt = NULL;
  g_autoptr(GDateTime) updated_at = NULL;
  g_autoptr(RcrpCall) call = NULL;
  g_autoptr(RcrpVersionReader) reader = _rcrp_version_reader_new (self);
  RcrpCallStatus status = RCRP_CALL_STATUS_NEW;
  int rc;

  stmt = _rcrp_sqlite_statement (self,
                                 "SELECT c.id, c.status, c.version_count, c.updated_at, v.body, c.outcome, c.decided_at, c.on_hold, "
                                 "  v.document_id, v.byte_offset, v.byte_length "
                                 "FROM calls c JOIN call_versions v ON v.id = c.current_version "
                                 "WHERE c.cad_ref = ?1",
                                 error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, cad_ref, -1, SQLITE_STATIC);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_NOT_FOUND,
                   _("No call with reference %s"), cad_ref);
      return NULL;
    }
  else if (rc != SQLITE_ROW)
    {
      _rcrp_sqlite_set_error (self, rc, _("reading a call"), error);
      return NULL;
    }

  call = _rcrp_version_reader_read (reader, (const char *) sqlite3_column_text (stmt, 4),
                                    sqlite3_column_int64 (stmt, 8), sqlite3_column_int64 (stmt, 9),
                                    sqlite3_column_int64 (stmt, 10), error);
  if (call == NULL)
    return NULL;

  rcrp_call_status_from_string ((const char *) sqlite3_column_text (stmt, 1), &status);
  updated_at = _rcrp_sqlite_time_from_column (sqlite3_column_int64 (stmt, 3));

  _rcrp_call_set_id (call, sqlite3_column_int64 (stmt, 0));
  _rcrp_call_set_status (call, status);
  _rcrp_call_set_version_count (call, sqlite3_column_int (stmt, 2));
  _rcrp_call_set_updated_at (call, updated_at);
  set_outcome_from_columns (call, stmt, 5, 6);
  _rcrp_call_set_on_hold (call, sqlite3_column_int (stmt, 7));

  return g_steal_pointer (&call);
}

static GPtrArray *
rcrp_sqlite_store_list_events (RcrpStore  *store,
                               gint64      call_id,
                               GError    **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  g_autoptr(RcrpCachedStatement) stmt = NULL;
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  stmt = _rcrp_sqlite_statement (self,
                                 "SELECT id, at, kind, call_id, operator, workstation, payload "
                                 "FROM events WHERE call_id = ?1 ORDER BY id",
                                 error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, call_id);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GDateTime) at = _rcrp_sqlite_time_from_column (sqlite3_column_int64 (stmt, 1));

      g_ptr_array_add (events,
                       rcrp_event_new (sqlite3_column_int64 (stmt, 0),
                                       (const char *) sqlite3_column_text (stmt, 2),
                                       at,
                                       sqlite3_column_int64 (stmt, 3),
                                       (const char *) sqlite3_column_text (stmt, 4),
                                       (const char *) sqlite3_column_text (stmt, 5),
                                       (const char *) sqlite3_column_text (stmt, 6)));
    }

  if (rc != SQLITE_DONE)
    {
      _rcrp_sqlite_set_error (self, rc, _("reading a call's history"), error);
      return NULL;
    }

  return g_steal_pointer (&events);
}

static GPtrArray *
rcrp_sqlite_store_list_versions (RcrpStore  *store,
                                 gint64      call_id,
                                 GError    **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  g_autoptr(RcrpCachedStatement) stmt = NULL;
  g_autoptr(GPtrArray) versions = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(RcrpVersionReader) reader = _rcrp_version_reader_new (self);
  int rc;

  stmt = _rcrp_sqlite_statement (self,
                                 "SELECT body, document_id, byte_offset, byte_length FROM call_versions "
                                 "WHERE call_id = ?1 ORDER BY id",
                                 error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, call_id);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RcrpCall *call = _rcrp_version_reader_read (reader, (const char *) sqlite3_column_text (stmt, 0),
                                                  sqlite3_column_int64 (stmt, 1), sqlite3_column_int64 (stmt, 2),
                                                  sqlite3_column_int64 (stmt, 3), error);

      if (call == NULL)
        return NULL;

      _rcrp_call_set_id (call, call_id);
      _rcrp_call_set_version_count (call, versions->len + 1);
      g_ptr_array_add (versions, call);
    }

  if (rc != SQLITE_DONE)
    {
      _rcrp_sqlite_set_error (self, rc, _("reading a call's versions"), error);
      return NULL;
    }

  return g_steal_pointer (&versions);
}

static gint64
rcrp_sqlite_store_get_last_event_id (RcrpStore  *store,
                                     GError    **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  g_autoptr(RcrpCachedStatement) stmt = NULL;
  int rc;

  stmt = _rcrp_sqlite_statement (self, "SELECT COALESCE (MAX (id), 0) FROM events", error);
  if (stmt == NULL)
    return -1;

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      _rcrp_sqlite_set_error (self, rc, _("reading the log"), error);
      return -1;
    }

  return sqlite3_column_int64 (stmt, 0);
}

static guint64
rcrp_sqlite_store_get_change_stamp (RcrpStore *store)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  sqlite3_stmt *stmt;
  guint64 data_version = 0;

  /* PRAGMA data_version moves when another connection commits; our own
   * commits are counted separately. Both only grow, so their sum does.
   */
  stmt = _rcrp_sqlite_statement (self, "PRAGMA data_version", NULL);
  if (stmt != NULL)
    {
      if (sqlite3_step (stmt) == SQLITE_ROW)
        data_version = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
    }

  return data_version + self->local_commits;
}

static GArray *
rcrp_sqlite_store_changed_calls (RcrpStore  *store,
                                 gint64      after_event_id,
                                 gint64     *last_event_id,
                                 GError    **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  g_autoptr(RcrpCachedStatement) stmt = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  /* Keys of their own: pointers into @ids would move as it grows. */
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  gint64 last = after_event_id;
  int rc;

  stmt = _rcrp_sqlite_statement (self,
                                 "SELECT id, call_id FROM events WHERE id > ?1 ORDER BY id",
                                 error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, after_event_id);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      last = sqlite3_column_int64 (stmt, 0);

      if (sqlite3_column_type (stmt, 1) != SQLITE_NULL)
        {
          gint64 call_id = sqlite3_column_int64 (stmt, 1);

          if (!g_hash_table_contains (seen, &call_id))
            {
              g_array_append_val (ids, call_id);
              g_hash_table_add (seen, g_memdup2 (&call_id, sizeof call_id));
            }
        }
    }

  if (rc != SQLITE_DONE)
    {
      _rcrp_sqlite_set_error (self, rc, _("reading the log"), error);
      return NULL;
    }

  *last_event_id = last;

  return g_steal_pointer (&ids);
}

/* The columns the chain walk reads, in the order hash_of_event_row() takes
 * them. */
#define CHAIN_COLUMNS \
  "id, at, kind, COALESCE (call_id, 0), operator, workstation, payload, prev_hash, hash"

static char *
hash_of_event_row (sqlite3_stmt *stmt)
{
  return compute_event_hash ((const char *) sqlite3_column_text (stmt, 7),
                             sqlite3_column_int64 (stmt, 0),
                             sqlite3_column_int64 (stmt, 1),
                             (const char *) sqlite3_column_text (stmt, 2),
                             sqlite3_column_int64 (stmt, 3),
                             (const char *) sqlite3_column_text (stmt, 4),
                             (const char *) sqlite3_column_text (stmt, 5),
                             (const char *) sqlite3_column_text (stmt, 6));
}

/* A connection that reads: for a store opened read-only (rcrp verify),
 * one that leaves the -shm file as it found it too. A reader in WAL mode
 * otherwise records where it reads from in the -shm index ("read marks");
 * with readonly_shm SQLite maps it read-only and, where no mark fits,
 * reads the write-ahead log into its own memory instead. */
static int
open_reader (const char  *path,
             gboolean     leave_shm,
             int          flags,
             sqlite3    **db)
{
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autofree char *file_uri = NULL;
  g_autofree char *uri = NULL;

  /* With no -shm file yet there is nothing to leave as it was, and a
   * read-only mapping could not make one. */
  if (!leave_shm || !g_file_test (shm, G_FILE_TEST_IS_REGULAR) ||
      (file_uri = g_filename_to_uri (path, NULL, NULL)) == NULL)
    return sqlite3_open_v2 (path, db, SQLITE_OPEN_READONLY | flags, NULL);

  uri = g_strconcat (file_uri, "?mode=ro&readonly_shm=1", NULL);

  return sqlite3_open_v2 (uri, db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | flags, NULL);
}

/* A connection of its own, read-only: WAL lets it read a consistent
 * snapshot while this workstation goes on writing, so a long walk (at
 * start-up, on a worker thread) blocks nobody.
 */
static sqlite3 *
open_chain_reader (RcrpSqliteStore  *self,
                   GError          **error)
{
  sqlite3 *db = NULL;
  int rc;

  rc = open_reader (self->path, self->read_only, SQLITE_OPEN_NOMUTEX, &db);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_OPEN,
                   _("Cannot open %s to verify it: %s"), self->path, sqlite3_errstr (rc));
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_busy_timeout (db, BUSY_TIMEOUT_MSEC);

  return db;
}

static gboolean
set_broken (gint64       id,
            gint64       at,
            const char  *problem,
            gint64      *broken_event_id,
            GError     **error)
{
  g_autoptr(GDateTime) when = _rcrp_sqlite_time_from_column (at);
  g_autofree char *when_text = g_date_time_format_iso8601 (when);

  *broken_event_id = id;
  g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_TAMPERED,
               _("The audit chain is broken at event %" G_GINT64_FORMAT
                 " (recorded %s): %s."),
               id, when_text, problem);
  return FALSE;
}

/* Confirms that event @id is still the one whose hash was @hash when this
 * workstation last checked the chain up to it, and that its content still
 * gives that hash. A consistent rewrite of the chain up to there (every
 * hash recomputed) changes that event's hash too, so it is caught here
 * without walking what comes before.
 */
static gboolean
check_anchor (sqlite3     *db,
              gint64       id,
              const char  *hash,
              gint64      *broken_event_id,
              GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autofree char *computed = NULL;
  const char *problem = NULL;
  gint64 at;
  int rc;

  rc = sqlite3_prepare_v2 (db, "SELECT " CHAIN_COLUMNS " FROM events WHERE id = ?1", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, RCRP_STORE_ERROR, error_code_from_sqlite (rc),
                   _("Cannot verify the log: %s"), sqlite3_errmsg (db));
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, id);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      sqlite3_finalize (stmt);
      *broken_event_id = id;
      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_TAMPERED,
                   _("The audit chain is broken at event %" G_GINT64_FORMAT
                     ": this workstation checked it earlier and it is gone, so the log was cut"
                     " short or replaced by an older copy."),
                   id);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      g_set_error (error, RCRP_STORE_ERROR, error_code_from_sqlite (rc),
                   _("Cannot verify the log: %s"), sqlite3_errmsg (db));
      sqlite3_finalize (stmt);
      return FALSE;
    }

  at = sqlite3_column_int64 (stmt, 1);
  computed = hash_of_event_row (stmt);
  if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 8), computed) != 0)
    problem = _("its content was changed after it was written");
  else if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 8), hash) != 0)
    problem = _("it is not the event this workstation checked earlier, so the log was rewritten up to here");
  sqlite3_finalize (stmt);

  if (problem != NULL)
    return set_broken (id, at, problem, broken_event_id, error);

  return TRUE;
}

static gboolean
rcrp_sqlite_store_verify_from (RcrpStore         *store,
                               gint64             after_event_id,
                               const char        *after_hash,
                               RcrpProgressFunc   progress,
                               gpointer           progress_data,
                               GCancellable      *cancellable,
                               gint64            *n_events,
                               gint64            *head_event_id,
                               char             **head_hash,
                               gint64            *broken_event_id,
                               GError           **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autofree char *expected_prev = NULL;
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = NULL;
  gint64 expected_id = after_event_id + 1;
  gint64 total = 0;
  int rc;

  *n_events = 0;
  *broken_event_id = 0;

  db = open_chain_reader (self, error);
  if (db == NULL)
    return FALSE;

  if (after_event_id > 0 && !check_anchor (db, after_event_id, after_hash, broken_event_id, error))
    {
      sqlite3_close (db);
      return FALSE;
    }
  expected_prev = g_strdup (after_event_id > 0 ? after_hash : GENESIS_HASH);

  if (progress != NULL)
    {
      /* The newest id is the count to expect on an unbroken chain. */
      rc = sqlite3_prepare_v2 (db, "SELECT COALESCE (MAX (id), 0) FROM events", -1, &stmt, NULL);
      if (rc == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
        total = MAX (sqlite3_column_int64 (stmt, 0) - after_event_id, 0);
      sqlite3_finalize (stmt);
      stmt = NULL;
      progress (0, total, progress_data);
    }

  rc = sqlite3_prepare_v2 (db, "SELECT " CHAIN_COLUMNS " FROM events WHERE id > ?1 ORDER BY id",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, RCRP_STORE_ERROR, error_code_from_sqlite (rc),
                   _("Cannot verify the log: %s"), sqlite3_errmsg (db));
      sqlite3_close (db);
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, after_event_id);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      const char *prev_hash = (const char *) sqlite3_column_text (stmt, 7);
      const char *hash = (const char *) sqlite3_column_text (stmt, 8);
      g_autofree char *computed = hash_of_event_row (stmt);
      const char *problem = NULL;

      if (id != expected_id)
        problem = _("events before it are missing");
      else if (g_strcmp0 (prev_hash, expected_prev) != 0)
        problem = _("it does not follow from the event before it");
      else if (g_strcmp0 (hash, computed) != 0)
        problem = _("its content was changed after it was written");

      if (problem != NULL)
        {
          gint64 at = sqlite3_column_int64 (stmt, 1);

          sqlite3_finalize (stmt);
          sqlite3_close (db);
          return set_broken (id, at, problem, broken_event_id, error);
        }

      g_free (expected_prev);
      expected_prev = g_strdup (hash);
      expected_id = id + 1;
      (*n_events)++;

      if ((*n_events & (VERIFY_PROGRESS_EVERY - 1)) == 0)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            {
              sqlite3_finalize (stmt);
              sqlite3_close (db);
              return FALSE;
            }
          if (progress != NULL)
            progress (*n_events, MAX (total, *n_events), progress_data);
        }
    }

  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      g_set_error (error, RCRP_STORE_ERROR, error_code_from_sqlite (rc),
                   _("Cannot verify the log: %s"), sqlite3_errmsg (db));
      sqlite3_close (db);
      return FALSE;
    }

  sqlite3_close (db);

  if (progress != NULL)
    progress (*n_events, *n_events, progress_data);

  *head_event_id = expected_id - 1;
  *head_hash = g_steal_pointer (&expected_prev);

  return TRUE;
}

static gboolean
rcrp_sqlite_store_verify (RcrpStore         *store,
                          RcrpProgressFunc   progress,
                          gpointer           progress_data,
                          GCancellable      *cancellable,
                          gint64            *n_events,
                          gint64            *broken_event_id,
                          GError           **error)
{
  g_autofree char *head_hash = NULL;
  gint64 head_id;

  return rcrp_sqlite_store_verify_from (store, 0, GENESIS_HASH, progress, progress_data, cancellable,
                                        n_events, &head_id, &head_hash, broken_event_id, error);
}

/* The audit's state pass: rows, as they are stored, for the core to
 * compare with the log. */

/* Room for the widest table (calls has 26 columns) and @text; a wider
 * table is a programming error, never silently cut short: the columns
 * past the end were read as NULL and every call with a name disagreed. */
#define MAX_AUDIT_COLUMNS 48

/* The row @stmt is on, as columns (those named with a leading "_" are
 * read by the store itself and left out), with @text as @text_column. */
static guint
audit_row_from_statement (sqlite3_stmt    *stmt,
                          const char      *text_column,
                          GBytes          *text,
                          RcrpAuditColumn *columns)
{
  int n = sqlite3_column_count (stmt);
  guint n_columns = 0;

  g_assert (n < MAX_AUDIT_COLUMNS);

  for (int i = 0; i < n; i++)
    {
      const char *name = sqlite3_column_name (stmt, i);
      RcrpAuditColumn *column = &columns[n_columns];

      if (name[0] == '_')
        continue;

      memset (column, 0, sizeof *column);
      column->name = name;
      switch (sqlite3_column_type (stmt, i))
        {
        case SQLITE_INTEGER:
          column->type = RCRP_AUDIT_VALUE_INT;
          column->number = sqlite3_column_int64 (stmt, i);
          break;
        case SQLITE_FLOAT:
          column->type = RCRP_AUDIT_VALUE_INT;
          column->number = (gint64) sqlite3_column_double (stmt, i);
          break;
        case SQLITE_TEXT:
          column->type = RCRP_AUDIT_VALUE_TEXT;
          column->data = (const char *) sqlite3_column_text (stmt, i);
          column->length = sqlite3_column_bytes (stmt, i);
          break;
        case SQLITE_BLOB:
          column->type = RCRP_AUDIT_VALUE_BYTES;
          column->data = sqlite3_column_blob (stmt, i);
          column->length = sqlite3_column_bytes (stmt, i);
          break;
        default:
          column->type = RCRP_AUDIT_VALUE_NULL;
          break;
        }
      n_columns++;
    }

  if (text != NULL)
    {
      gsize size;

      columns[n_columns].name = text_column;
      columns[n_columns].type = RCRP_AUDIT_VALUE_BYTES;
      columns[n_columns].number = 0;
      columns[n_columns].data = g_bytes_get_data (text, &size);
      columns[n_columns].length = size;
      n_columns++;
    }

  return n_columns;
}

static gboolean
audit_reader_failed (sqlite3  *db,
                     int       rc,
                     GError  **error)
{
  g_set_error (error, RCRP_STORE_ERROR, error_code_from_sqlite (rc),
               _("Cannot read the database to check it against its log: %s"), sqlite3_errmsg (db));
  return FALSE;
}

/* The bytes of a stored document as received, read through @db. */
static GBytes *
audit_read_document (sqlite3  *db,
                     gint64    document_id,
                     GError  **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GBytes) stored = NULL;
  GBytes *document;
  int rc;

  rc = sqlite3_prepare_v2 (db, "SELECT body, encoding FROM documents WHERE id = ?1", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return audit_reader_failed (db, rc, error), NULL;
  sqlite3_bind_int64 (stmt, 1, document_id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_NOT_FOUND,
                     _("The feed document %" G_GINT64_FORMAT " is missing."), document_id);
      else
        audit_reader_failed (db, rc, error);
      sqlite3_finalize (stmt);
      return NULL;
    }
  stored = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  document = decode_document (document_id, stored, (const char *) sqlite3_column_text (stmt, 1), error);
  sqlite3_finalize (stmt);

  return document;
}

/* The writers' signatures and what they sign, for the core to check. */
static gboolean
rcrp_sqlite_store_read_signed_heads (RcrpStore         *store,
                                     RcrpAuditRowFunc   func,
                                     gpointer           user_data,
                                     GCancellable      *cancellable,
                                     GError           **error)
{
  static const struct
  {
    const char *table;
    const char *sql;
  } queries[] = {
    { "head_signatures", "SELECT head_event_id, first_event_id, signer, key_id, signature FROM head_signatures "
                         "ORDER BY head_event_id" },
    { "events", "SELECT id, operator, workstation, kind, hash FROM events ORDER BY id" },
  };
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  sqlite3 *db;
  int rc;

  db = open_chain_reader (self, error);
  if (db == NULL)
    return FALSE;

  rc = sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
  for (guint q = 0; rc == SQLITE_OK && q < G_N_ELEMENTS (queries); q++)
    {
      sqlite3_stmt *stmt = NULL;
      gint64 n = 0;

      rc = sqlite3_prepare_v2 (db, queries[q].sql, -1, &stmt, NULL);
      if (rc != SQLITE_OK)
        break;

      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          RcrpAuditColumn columns[MAX_AUDIT_COLUMNS];
          guint n_columns = audit_row_from_statement (stmt, NULL, NULL, columns);

          if (!func (queries[q].table, columns, n_columns, user_data, error) ||
              ((++n & (VERIFY_PROGRESS_EVERY - 1)) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error)))
            {
              sqlite3_finalize (stmt);
              sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
              sqlite3_close (db);
              return FALSE;
            }
        }
      sqlite3_finalize (stmt);
      if (rc == SQLITE_DONE)
        rc = SQLITE_OK;
    }

  if (rc != SQLITE_OK)
    audit_reader_failed (db, rc, error);
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_close (db);

  return rc == SQLITE_OK;
}

static gboolean
rcrp_sqlite_store_read_audit_rows (RcrpStore         *store,
                                   RcrpAuditRowFunc   func,
                                   gpointer           user_data,
                                   GCancellable      *cancellable,
                                   GError           **error)
{
  static const struct
  {
    const char *table;
    const char *sql;
  } queries[] = {
    { "events", "SELECT id, at, kind, call_id, operator, workstation, payload FROM events ORDER BY id" },
    { "users", "SELECT os_user, role, display_name, added_by, added_at FROM users ORDER BY os_user" },
    { "undone_decisions", "SELECT decision_event_id, undo_event_id FROM undone_decisions ORDER BY decision_event_id" },
    { "erasures", "SELECT call_id, event_id, erased_at FROM erasures ORDER BY call_id" },
    /* Grouped by document, so each is read once. */
    { "call_versions", "SELECT id, call_id, document_id, document_index, "
                       "  CASE WHEN typeof (content_sha256) = 'blob' THEN lower (hex (content_sha256)) "
                       "    ELSE content_sha256 END AS content_sha256, "
                       "  body AS _body, byte_offset AS _offset, byte_length AS _length "
                       "FROM call_versions ORDER BY document_id, id" },
    { "documents", "SELECT id, sha256, source, stored_at, encoding AS _encoding, body AS _body "
                   "FROM documents ORDER BY id" },
    { "calls", "SELECT id, cad_ref, category, grade, received_at, risks, threshold_risks, summary, status, "
               "  version_count, current_version, outcome, decided_at, first_decided_at, decided_by, agency, "
               "  on_hold, erased_at, appeal_state, subject_sex, subject_ethnicity, age_band, postcode, subject_name, "
               "  caller_name FROM calls ORDER BY id" },
    /* The rows the log's other events make: the board, the referrals,
     * the appeals and disputes, who works which call. */
    { "agencies", "SELECT id, position, active, entry FROM agencies ORDER BY id" },
    { "agency_state", "SELECT agency_id, status, capacity, eta_minutes, note, operator, workstation, changed_at, "
                      "  event_id FROM agency_state ORDER BY agency_id" },
    { "referrals", "SELECT decision_event_id, call_id, agency_id, state, referred_at, due_at, responded_at, "
                   "  responded_by, response_event_id, reason FROM referrals ORDER BY decision_event_id" },
    { "appeals", "SELECT id, reference, year, number, call_id, decision_event_id, appealed_outcome, appellant, "
                 "  appellant_name, grounds, lodged_at, lodged_by, state, resolved_at, resolved_by, rationale, "
                 "  new_outcome FROM appeals ORDER BY id" },
    { "disputes", "SELECT id, reference, year, number, kind, raised_by, summary, call_refs, state, opened_at, "
                  "  opened_by, changed_at, learning, closed_at, closed_by FROM disputes ORDER BY id" },
    { "claims", "SELECT call_id, operator, workstation, session, since, seen FROM claims ORDER BY call_id" },
    { "triage_drafts", "SELECT call_id, operator, workstation, session, updated_at FROM triage_drafts "
                       "ORDER BY call_id" },
    /* The search index is contentless: which calls it holds is what can
     * be read back. */
    { "call_search", "SELECT rowid AS id FROM call_search ORDER BY rowid" },
  };
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  sqlite3 *db;
  int rc;

  db = open_chain_reader (self, error);
  if (db == NULL)
    return FALSE;

  /* One read transaction: the rows and the log are of the same moment. */
  rc = sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      audit_reader_failed (db, rc, error);
      sqlite3_close (db);
      return FALSE;
    }

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      g_autoptr(GBytes) document = NULL;
      gint64 document_id = -1;
      sqlite3_stmt *stmt = NULL;
      gint64 n = 0;

      rc = sqlite3_prepare_v2 (db, queries[q].sql, -1, &stmt, NULL);
      if (rc != SQLITE_OK)
        goto failed;

      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          RcrpAuditColumn columns[MAX_AUDIT_COLUMNS];
          g_autoptr(GBytes) text = NULL;
          const char *text_column = NULL;
          guint n_columns;

          if (g_str_equal (queries[q].table, "call_versions"))
            {
              gint64 id = sqlite3_column_int64 (stmt, 2);

              /* The bytes the program reads as this version: its copy
               * when it has one, as _rcrp_version_reader_read() does. */
              text_column = "text";
              if (sqlite3_column_type (stmt, 6) == SQLITE_NULL || sqlite3_column_bytes (stmt, 5) > 0)
                text = g_bytes_new (sqlite3_column_text (stmt, 5), sqlite3_column_bytes (stmt, 5));
              else
                {
                  gint64 offset = sqlite3_column_int64 (stmt, 6);
                  gint64 length = sqlite3_column_int64 (stmt, 7);
                  gsize size;

                  if (id != document_id)
                    {
                      g_clear_pointer (&document, g_bytes_unref);
                      document = audit_read_document (db, id, NULL);
                      document_id = id;
                    }
                  /* A version whose bytes cannot be found has no text;
                   * the core says so. */
                  if (document != NULL)
                    {
                      g_bytes_get_data (document, &size);
                      if (offset >= 0 && length >= 0 && (gsize) offset <= size && (gsize) length <= size - offset)
                        text = g_bytes_new_from_bytes (document, offset, length);
                    }
                }
            }
          else if (g_str_equal (queries[q].table, "documents"))
            {
              g_autoptr(GBytes) stored = g_bytes_new (sqlite3_column_blob (stmt, 5), sqlite3_column_bytes (stmt, 5));
              g_autoptr(GError) local_error = NULL;

              text_column = "body";
              text = decode_document (sqlite3_column_int64 (stmt, 0), stored,
                                      (const char *) sqlite3_column_text (stmt, 4), &local_error);
              if (text == NULL)
                {
                  /* Damaged beyond decoding: handed on as stored, so its
                   * hash disagrees and the core names it. */
                  text = g_steal_pointer (&stored);
                }
            }

          n_columns = audit_row_from_statement (stmt, text_column, text, columns);
          if (!func (queries[q].table, columns, n_columns, user_data, error))
            {
              sqlite3_finalize (stmt);
              sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
              sqlite3_close (db);
              return FALSE;
            }

          if ((++n & (VERIFY_PROGRESS_EVERY - 1)) == 0 &&
              g_cancellable_set_error_if_cancelled (cancellable, error))
            {
              sqlite3_finalize (stmt);
              sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
              sqlite3_close (db);
              return FALSE;
            }
        }
      sqlite3_finalize (stmt);
      if (rc != SQLITE_DONE)
        goto failed;
    }

  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_close (db);

  return TRUE;

failed:
  audit_reader_failed (db, rc, error);
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_close (db);
  return FALSE;
}

static char *
rcrp_sqlite_store_dup_event_hash (RcrpStore  *store,
                                  gint64      event_id,
                                  GError    **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  sqlite3_stmt *stmt = NULL;
  char *hash = NULL;
  sqlite3 *db;
  int rc;

  db = open_chain_reader (self, error);
  if (db == NULL)
    return NULL;

  rc = sqlite3_prepare_v2 (db, "SELECT hash FROM events WHERE id = ?1", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_int64 (stmt, 1, event_id);
      rc = sqlite3_step (stmt);
    }
  if (rc == SQLITE_ROW)
    hash = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  else if (rc == SQLITE_DONE)
    g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_NOT_FOUND,
                 _("The log of %s has no event %" G_GINT64_FORMAT "."), self->path, event_id);
  else
    g_set_error (error, RCRP_STORE_ERROR, error_code_from_sqlite (rc),
                 _("Cannot read the log of %s: %s"), self->path, sqlite3_errmsg (db));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return hash;
}

/* The path the database was opened by, made absolute, and the hash of its
 * first event: another database at the same path, or a copy elsewhere, is
 * another log.
 */
static char *
rcrp_sqlite_store_dup_log_identity (RcrpStore  *store,
                                    GError    **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autofree char *absolute = NULL;
  g_autofree char *first = NULL;
  sqlite3_stmt *stmt = NULL;
  char *resolved;
  sqlite3 *db;
  int rc;

  resolved = realpath (self->path, NULL);
  absolute = resolved != NULL ? g_strdup (resolved) : g_canonicalize_filename (self->path, NULL);
  free (resolved);

  db = open_chain_reader (self, error);
  if (db == NULL)
    return NULL;

  rc = sqlite3_prepare_v2 (db, "SELECT hash FROM events WHERE id = 1", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        first = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      g_set_error (error, RCRP_STORE_ERROR, error_code_from_sqlite (rc),
                   _("Cannot read the log of %s: %s"), self->path, sqlite3_errmsg (db));
      sqlite3_finalize (stmt);
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return g_strdup_printf ("sqlite:%s#%s", absolute, first != NULL ? first : "");
}

gint64
_rcrp_sqlite_store_decision (RcrpSqliteStore  *self,
                             RcrpDecision     *decision,
                             GDateTime        *now,
                             GError          **error)
{
  g_autoptr(RcrpCachedStatement) stmt = NULL;
  g_autofree char *payload = rcrp_decision_to_json (decision);
  gint64 call_id = rcrp_decision_get_call_id (decision);
  gint64 event_id;
  int rc;

  event_id = _rcrp_sqlite_insert_event (self, now, "call.decided", call_id, payload, error);
  if (event_id < 0)
    return -1;

  if (!_rcrp_sqlite_referrals_on_decision (self, decision, event_id, now, error))
    return -1;

  stmt = _rcrp_sqlite_statement (self,
                                 "UPDATE calls SET status = 'decided', outcome = ?2, decided_at = ?3, "
                                 "  updated_at = ?3, first_decided_at = COALESCE (first_decided_at, ?3), "
                                 "  decided_by = ?4, agency = ?5 WHERE id = ?1",
                                 error);
  if (stmt == NULL)
    return -1;

  sqlite3_bind_int64 (stmt, 1, call_id);
  sqlite3_bind_text (stmt, 2, rcrp_decision_get_outcome (decision), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, _rcrp_sqlite_time_to_column (now));
  sqlite3_bind_text (stmt, 4, self->operator_name, -1, SQLITE_STATIC);
  if (g_strcmp0 (rcrp_decision_get_outcome (decision), "referred") == 0)
    sqlite3_bind_text (stmt, 5, rcrp_decision_get_agency (decision), -1, SQLITE_STATIC);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      _rcrp_sqlite_set_error (self, rc, _("recording a decision"), error);
      return -1;
    }

  return event_id;
}

/* The rules a decision is checked against: those compiled in, read once. */
RcrpTriageRules *
_rcrp_sqlite_rules_in_force (GError **error)
{
  static RcrpTriageRules *rules;

  if (g_once_init_enter (&rules))
    {
      RcrpTriageRules *loaded = rcrp_triage_rules_new_default (error);

      if (loaded == NULL)
        return NULL;
      g_once_init_leave (&rules, loaded);
    }

  return rules;
}

static gint64
rcrp_sqlite_store_record_decision (RcrpStore     *store,
                                   RcrpDecision  *decision,
                                   GError       **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  g_autoptr(GDateTime) now = rcrp_clock_now (self->clock);
  g_autofree char *payload = NULL;
  gint64 call_id = rcrp_decision_get_call_id (decision);
  g_autofree char *cad_ref = NULL;
  RcrpCategory category = RCRP_CATEGORY_MENTAL_HEALTH_OTHER;
  RcrpTriageRules *rules;
  gint64 event_id;
  int rc;

  rules = _rcrp_sqlite_rules_in_force (error);
  if (rules == NULL)
    return -1;

  if (!_rcrp_sqlite_require (self, RCRP_PERMISSION_DECIDE, error) ||
      (g_strcmp0 (rcrp_decision_get_outcome (decision), "police_deployed") == 0 &&
       !_rcrp_sqlite_require (self, RCRP_PERMISSION_DEPLOY_POLICE, error)))
    return -1;

  if (!_rcrp_sqlite_begin (self, error))
    return -1;

  {
    g_autoptr(RcrpCachedStatement) stmt = _rcrp_sqlite_statement (self, "SELECT cad_ref, category FROM calls WHERE id = ?1",
                                                                  error);

    if (stmt == NULL)
      goto failed;

    sqlite3_bind_int64 (stmt, 1, call_id);
    rc = sqlite3_step (stmt);
    if (rc == SQLITE_DONE)
      {
        g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_NOT_FOUND,
                     _("No call with id %" G_GINT64_FORMAT), call_id);
        goto failed;
      }
    else if (rc != SQLITE_ROW)
      {
        _rcrp_sqlite_set_error (self, rc, _("recording a decision"), error);
        goto failed;
      }
    cad_ref = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    rcrp_category_from_string ((const char *) sqlite3_column_text (stmt, 1), &category);
  }

  /* The rules of the core, whatever the front end: the category is the
   * call's as stored now, in this transaction. */
  if (!rcrp_decision_check_threshold (decision, rules, category, error))
    goto failed;

  if (!_rcrp_sqlite_hold_claim (self, call_id, cad_ref, rcrp_decision_get_session (decision),
                                rcrp_decision_get_claim_lapse (decision), rcrp_decision_get_take_over (decision),
                                now, error))
    goto failed;

  /* The version check, inside the write transaction: a decision made on
   * an outcome that has since changed is refused, and says by whom. */
  if (rcrp_decision_get_basis (decision) >= 0)
    {
      g_autoptr(RcrpCachedStatement) stmt = NULL;

      stmt = _rcrp_sqlite_statement (self,
                                     "SELECT operator, workstation, payload FROM events "
                                     "WHERE call_id = ?1 AND kind = 'call.decided' AND id > ?2 "
                                     "ORDER BY id DESC LIMIT 1",
                                     error);
      if (stmt == NULL)
        goto failed;

      sqlite3_bind_int64 (stmt, 1, call_id);
      sqlite3_bind_int64 (stmt, 2, rcrp_decision_get_basis (decision));
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          g_autoptr(RcrpDecision) winner = rcrp_decision_new_from_json (call_id,
                                                                        (const char *) sqlite3_column_text (stmt, 2),
                                                                        NULL);

          g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_CONFLICT,
                       _("%s at %s has just recorded “%s” on this call. Review their decision; "
                         "yours was not recorded."),
                       (const char *) sqlite3_column_text (stmt, 0),
                       (const char *) sqlite3_column_text (stmt, 1),
                       winner != NULL ? rcrp_outcome_get_done_label (rcrp_decision_get_outcome (winner)) : "?");
          goto failed;
        }
      else if (rc != SQLITE_DONE)
        {
          _rcrp_sqlite_set_error (self, rc, _("recording a decision"), error);
          goto failed;
        }
    }

  event_id = _rcrp_sqlite_store_decision (self, decision, now, error);
  if (event_id < 0)
    goto failed;

  if (!_rcrp_sqlite_commit (self, error))
    return -1;

  _rcrp_decision_set_recorded (decision, event_id, now, self->operator_name, self->workstation);

  return event_id;

failed:
  _rcrp_sqlite_rollback (self);
  return -1;
}

static GPtrArray *
rcrp_sqlite_store_list_decisions (RcrpStore  *store,
                                  gint64      call_id,
                                  GError    **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  g_autoptr(RcrpCachedStatement) stmt = NULL;
  g_autoptr(GPtrArray) decisions = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  stmt = _rcrp_sqlite_statement (self,
                                 "SELECT e.id, e.at, e.operator, e.workstation, e.payload, u.undo_event_id "
                                 "FROM events e LEFT JOIN undone_decisions u ON u.decision_event_id = e.id "
                                 "WHERE e.call_id = ?1 AND e.kind = 'call.decided' ORDER BY e.id",
                                 error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, call_id);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GDateTime) at = _rcrp_sqlite_time_from_column (sqlite3_column_int64 (stmt, 1));
      RcrpDecision *decision;

      decision = rcrp_decision_new_from_json (call_id, (const char *) sqlite3_column_text (stmt, 4), error);
      if (decision == NULL)
        return NULL;

      _rcrp_decision_set_recorded (decision, sqlite3_column_int64 (stmt, 0), at,
                                   (const char *) sqlite3_column_text (stmt, 2),
                                   (const char *) sqlite3_column_text (stmt, 3));
      _rcrp_decision_set_undone_by (decision, sqlite3_column_int64 (stmt, 5));
      g_ptr_array_add (decisions, decision);
    }

  if (rc != SQLITE_DONE)
    {
      _rcrp_sqlite_set_error (self, rc, _("reading a call's decisions"), error);
      return NULL;
    }

  return g_steal_pointer (&decisions);
}

static RcrpClaim *
claim_from_row (sqlite3_stmt *stmt,
                int           first)
{
  RcrpClaim *claim = g_new0 (RcrpClaim, 1);

  claim->operator_name = g_strdup ((const char *) sqlite3_column_text (stmt, first));
  claim->workstation = g_strdup ((const char *) sqlite3_column_text (stmt, first + 1));
  claim->session = g_strdup ((const char *) sqlite3_column_text (stmt, first + 2));
  claim->since = _rcrp_sqlite_time_from_column (sqlite3_column_int64 (stmt, first + 3));
  claim->seen = _rcrp_sqlite_time_from_column (sqlite3_column_int64 (stmt, first + 4));

  return claim;
}

static RcrpClaim *
read_claim (RcrpSqliteStore  *self,
            gint64            call_id,
            GError          **error)
{
  g_autoptr(RcrpCachedStatement) stmt = NULL;
  int rc;

  stmt = _rcrp_sqlite_statement (self,
                                 "SELECT operator, workstation, session, since, seen FROM claims WHERE call_id = ?1",
                                 error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, call_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return claim_from_row (stmt, 0);
  if (rc != SQLITE_DONE)
    _rcrp_sqlite_set_error (self, rc, _("reading a claim"), error);

  return NULL;
}

static char *
claim_payload (const char *session,
               RcrpClaim  *previous)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "session");
  json_builder_add_string_value (builder, session);
  if (previous != NULL)
    {
      g_autofree char *since = g_date_time_format_iso8601 (previous->since);

      json_builder_set_member_name (builder, "previous_operator");
      json_builder_add_string_value (builder, previous->operator_name);
      json_builder_set_member_name (builder, "previous_workstation");
      json_builder_add_string_value (builder, previous->workstation);
      json_builder_set_member_name (builder, "previous_since");
      json_builder_add_string_value (builder, since);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static gboolean
write_claim (RcrpSqliteStore  *self,
             gint64            call_id,
             const char       *session,
             GDateTime        *now,
             GError          **error)
{
  g_autoptr(RcrpCachedStatement) stmt = NULL;

  stmt = _rcrp_sqlite_statement (self,
                                 "INSERT OR REPLACE INTO claims (call_id, operator, workstation, session, since, seen) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, call_id);
  sqlite3_bind_text (stmt, 2, self->operator_name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, self->workstation, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, session, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, _rcrp_sqlite_time_to_column (now));

  return _rcrp_sqlite_step_done (self, stmt, _("claiming a call"), error);
}

gboolean
_rcrp_sqlite_hold_claim (RcrpSqliteStore  *self,
                         gint64            call_id,
                         const char       *cad_ref,
                         const char       *session,
                         GTimeSpan         lapse,
                         gboolean          take_over,
                         GDateTime        *now,
                         GError          **error)
{
  g_autoptr(RcrpClaim) current = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *payload = NULL;
  gboolean live;

  current = read_claim (self, call_id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (current != NULL && session != NULL && g_str_equal (current->session, session))
    return TRUE;

  live = current != NULL && g_date_time_difference (now, current->seen) < lapse;

  if (live && !take_over)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (current->since);
      g_autofree char *since = g_date_time_format (local, "%H:%M");

      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_CLAIMED,
                   _("%s is being worked by %s at %s since %s: nothing was recorded. "
                     "Take the call over to decide on it."),
                   cad_ref, current->operator_name, current->workstation, since);
      return FALSE;
    }

  /* Nobody is working it and no session asks for it: a batch tool's
   * decision, with nothing to take from anyone. */
  if (!live && session == NULL)
    return TRUE;

  payload = claim_payload (session != NULL ? session : "", current);
  if (_rcrp_sqlite_insert_event (self, now, live ? "call.taken_over" : "call.claimed", call_id, payload, error) < 0)
    return FALSE;

  if (session != NULL)
    return write_claim (self, call_id, session, now, error);

  /* Taken over outside any session: the previous holder's claim ends. */
  {
    g_autoptr(RcrpCachedStatement) stmt = _rcrp_sqlite_statement (self, "DELETE FROM claims WHERE call_id = ?1", error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, call_id);
    return _rcrp_sqlite_step_done (self, stmt, _("claiming a call"), error);
  }
}

/* Returns: (transfer full) (nullable): the reference of the call
 * @call_id, or %NULL with @error saying there is none; @doing names the
 * work for any other failure.
 */
char *
_rcrp_sqlite_dup_cad_ref (RcrpSqliteStore  *self,
                          gint64            call_id,
                          const char       *doing,
                          GError          **error)
{
  g_autoptr(RcrpCachedStatement) stmt = _rcrp_sqlite_statement (self, "SELECT cad_ref FROM calls WHERE id = ?1", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, call_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return g_strdup ((const char *) sqlite3_column_text (stmt, 0));

  if (rc == SQLITE_DONE)
    g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_NOT_FOUND,
                 _("No call with id %" G_GINT64_FORMAT), call_id);
  else
    _rcrp_sqlite_set_error (self, rc, doing, error);
  return NULL;
}

static gboolean
rcrp_sqlite_store_claim_call (RcrpStore   *store,
                              gint64       call_id,
                              const char  *session,
                              GTimeSpan    lapse,
                              gboolean     take_over,
                              RcrpClaim  **holder,
                              GError     **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  g_autoptr(GDateTime) now = rcrp_clock_now (self->clock);
  g_autoptr(RcrpClaim) current = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *cad_ref = NULL;
  g_autofree char *payload = NULL;
  const char *kind;
  gboolean live;
  int rc;

  if (!_rcrp_sqlite_require (self, RCRP_PERMISSION_CLAIM, error))
    return FALSE;

  if (!_rcrp_sqlite_begin (self, error))
    return FALSE;

  cad_ref = _rcrp_sqlite_dup_cad_ref (self, call_id, _("claiming a call"), error);
  if (cad_ref == NULL)
    goto failed;

  current = read_claim (self, call_id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      goto failed;
    }

  if (current != NULL && g_str_equal (current->session, session))
    {
      g_autoptr(RcrpCachedStatement) stmt = _rcrp_sqlite_statement (self, "UPDATE claims SET seen = ?2 WHERE call_id = ?1", error);

      if (stmt == NULL)
        goto failed;
      sqlite3_bind_int64 (stmt, 1, call_id);
      sqlite3_bind_int64 (stmt, 2, _rcrp_sqlite_time_to_column (now));
      if ((rc = sqlite3_step (stmt)) != SQLITE_DONE)
        {
          _rcrp_sqlite_set_error (self, rc, _("claiming a call"), error);
          goto failed;
        }
      return _rcrp_sqlite_commit (self, error);
    }

  live = current != NULL && g_date_time_difference (now, current->seen) < lapse;

  if (live && !take_over)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (current->since);
      g_autofree char *since = g_date_time_format (local, "%H:%M");

      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_CLAIMED,
                   _("%s is being worked by %s at %s since %s. Take it over to work it yourself."),
                   cad_ref, current->operator_name, current->workstation, since);
      if (holder != NULL)
        *holder = g_steal_pointer (&current);
      goto failed;
    }

  /* A lapsed claim is replaced quietly; a live one only by an explicit
   * take-over. Both say whose claim it was. */
  kind = live ? "call.taken_over" : "call.claimed";
  payload = claim_payload (session, current);
  if (_rcrp_sqlite_insert_event (self, now, kind, call_id, payload, error) < 0)
    goto failed;

  {
    g_autoptr(RcrpCachedStatement) stmt = NULL;

    stmt = _rcrp_sqlite_statement (self,
                                   "INSERT OR REPLACE INTO claims (call_id, operator, workstation, session, since, seen) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
                                   error);
    if (stmt == NULL)
      goto failed;
    sqlite3_bind_int64 (stmt, 1, call_id);
    sqlite3_bind_text (stmt, 2, self->operator_name, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 3, self->workstation, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 4, session, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 5, _rcrp_sqlite_time_to_column (now));
    if ((rc = sqlite3_step (stmt)) != SQLITE_DONE)
      {
        _rcrp_sqlite_set_error (self, rc, _("claiming a call"), error);
        goto failed;
      }
  }

  return _rcrp_sqlite_commit (self, error);

failed:
  _rcrp_sqlite_rollback (self);
  return FALSE;
}

static RcrpClaim *
rcrp_sqlite_store_get_claim (RcrpStore  *store,
                             gint64      call_id,
                             GError    **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);

  return read_claim (self, call_id, error);
}

static gboolean
rcrp_sqlite_store_release_claims (RcrpStore   *store,
                                  const char  *session,
                                  GError     **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  g_autoptr(GDateTime) now = rcrp_clock_now (self->clock);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *payload = claim_payload (session, NULL);
  int rc;

  if (!_rcrp_sqlite_begin (self, error))
    return FALSE;

  {
    g_autoptr(RcrpCachedStatement) stmt = _rcrp_sqlite_statement (self, "SELECT call_id FROM claims WHERE session = ?1", error);

    if (stmt == NULL)
      goto failed;
    sqlite3_bind_text (stmt, 1, session, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        gint64 id = sqlite3_column_int64 (stmt, 0);
        g_array_append_val (ids, id);
      }
    if (rc != SQLITE_DONE)
      {
        _rcrp_sqlite_set_error (self, rc, _("releasing claims"), error);
        goto failed;
      }
  }

  if (ids->len == 0)
    {
      _rcrp_sqlite_rollback (self);
      return TRUE;
    }

  for (guint i = 0; i < ids->len; i++)
    if (_rcrp_sqlite_insert_event (self, now, "call.released", g_array_index (ids, gint64, i), payload, error) < 0)
      goto failed;

  {
    g_autoptr(RcrpCachedStatement) stmt = _rcrp_sqlite_statement (self, "DELETE FROM claims WHERE session = ?1", error);

    if (stmt == NULL)
      goto failed;
    sqlite3_bind_text (stmt, 1, session, -1, SQLITE_STATIC);
    if ((rc = sqlite3_step (stmt)) != SQLITE_DONE)
      {
        _rcrp_sqlite_set_error (self, rc, _("releasing claims"), error);
        goto failed;
      }
  }

  return _rcrp_sqlite_commit (self, error);

failed:
  _rcrp_sqlite_rollback (self);
  return FALSE;
}

static gint64
rcrp_sqlite_store_log_call_viewed (RcrpStore   *store,
                                   gint64       call_id,
                                   const char  *how,
                                   GError     **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  g_autoptr(GDateTime) now = rcrp_clock_now (self->clock);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *payload = NULL;
  gint64 event_id;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "view");
  json_builder_add_string_value (builder, how);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  payload = json_to_string (root, FALSE);

  if (!_rcrp_sqlite_begin (self, error))
    return -1;

  event_id = _rcrp_sqlite_insert_event (self, now, RCRP_EVENT_KIND_CALL_VIEWED, call_id, payload, error);
  if (event_id < 0 || !_rcrp_sqlite_commit (self, error))
    {
      _rcrp_sqlite_rollback (self);
      return -1;
    }

  return event_id;
}

static void
rcrp_sqlite_store_iface_init (RcrpStoreInterface *iface)
{
  iface->ingest = rcrp_sqlite_store_ingest;
  iface->list_queue_ids = rcrp_sqlite_store_list_queue_ids;
  iface->get_calls_by_id = rcrp_sqlite_store_get_calls_by_id;
  iface->get_call = rcrp_sqlite_store_get_call;
  iface->list_events = rcrp_sqlite_store_list_events;
  iface->list_versions = rcrp_sqlite_store_list_versions;
  iface->get_last_event_id = rcrp_sqlite_store_get_last_event_id;
  iface->get_change_stamp = rcrp_sqlite_store_get_change_stamp;
  iface->changed_calls = rcrp_sqlite_store_changed_calls;
  iface->verify = rcrp_sqlite_store_verify;
  iface->verify_from = rcrp_sqlite_store_verify_from;
  iface->dup_log_identity = rcrp_sqlite_store_dup_log_identity;
  iface->record_decision = rcrp_sqlite_store_record_decision;
  iface->list_decisions = rcrp_sqlite_store_list_decisions;
  iface->claim_call = rcrp_sqlite_store_claim_call;
  iface->get_claim = rcrp_sqlite_store_get_claim;
  iface->release_claims = rcrp_sqlite_store_release_claims;
  iface->log_call_viewed = rcrp_sqlite_store_log_call_viewed;
  iface->read_audit_rows = rcrp_sqlite_store_read_audit_rows;
  iface->read_signed_heads = rcrp_sqlite_store_read_signed_heads;
  iface->dup_event_hash = rcrp_sqlite_store_dup_event_hash;

  _rcrp_sqlite_agencies_iface_init (iface);
  _rcrp_sqlite_appeals_iface_init (iface);
  _rcrp_sqlite_summary_iface_init (iface);
  _rcrp_sqlite_users_iface_init (iface);
  _rcrp_sqlite_retention_iface_init (iface);
  _rcrp_sqlite_search_iface_init (iface);
  _rcrp_sqlite_drafts_iface_init (iface);
  _rcrp_sqlite_alerts_iface_init (iface);
}

static void
rcrp_sqlite_store_finalize (GObject *object)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (object);

  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    {
      sqlite3_close (self->db);
      self->db = NULL;
    }
  g_clear_pointer (&self->path, g_free);
  g_clear_object (&self->clock);
  g_clear_pointer (&self->operator_name, g_free);
  g_clear_pointer (&self->workstation, g_free);
  g_clear_pointer (&self->chain_head_hash, g_free);
  g_clear_pointer (&self->head_signer, rcrp_head_signer_free);
  g_rec_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (rcrp_sqlite_store_parent_class)->finalize (object);
}

static void
rcrp_sqlite_store_class_init (RcrpSqliteStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rcrp_sqlite_store_finalize;
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
rcrp_sqlite_store_init (RcrpSqliteStore *self)
{
  g_rec_mutex_init (&self->mutex);
  self->statements = g_hash_table_new_full (NULL, NULL, NULL, finalize_statement);
}

static gboolean
configure_connection (RcrpSqliteStore  *self,
                      GError          **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean is_wal;
  gint64 deadline;
  int rc;

  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MSEC);
  sqlite3_extended_result_codes (self->db, TRUE);

  /* A reader sets nothing that is kept in the file. */
  if (self->read_only)
    return _rcrp_sqlite_exec (self, "PRAGMA trusted_schema = OFF;", _("opening the database"), error);

  /* Special-category data: what is erased or replaced is overwritten with
   * zeros in the file, not left in free pages. */
  sqlite3_exec (self->db, "PRAGMA secure_delete = ON", NULL, NULL, NULL);

  /* Switching a new database to WAL takes a lock without calling the busy
   * handler, so two workstations opening it at once can see SQLITE_BUSY at
   * once: retry for as long as the busy timeout would have waited.
   */
  deadline = g_get_monotonic_time () + BUSY_TIMEOUT_MSEC * 1000;
  for (;;)
    {
      rc = sqlite3_prepare_v2 (self->db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL);
      if (rc == SQLITE_OK)
        rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        break;

      sqlite3_finalize (stmt);
      stmt = NULL;

      if (((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) &&
          g_get_monotonic_time () < deadline)
        {
          g_usleep (10 * 1000 + g_random_int_range (0, 20 * 1000));
          continue;
        }

      return _rcrp_sqlite_set_error (self, rc, _("opening the database"), error);
    }

  is_wal = g_ascii_strcasecmp ((const char *) sqlite3_column_text (stmt, 0), "wal") == 0;
  sqlite3_finalize (stmt);

  if (!is_wal)
    {
      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_OPEN,
                   _("The database %s cannot use write-ahead logging, which "
                     "the shared log needs."), self->path);
      return FALSE;
    }

  /* FULL: in WAL mode this syncs the log at every commit, so a write that
   * was reported as stored survives a power cut, not only a crash.
   */
  return _rcrp_sqlite_exec (self,
                            "PRAGMA synchronous = FULL;"
                            "PRAGMA foreign_keys = ON;"
                            "PRAGMA trusted_schema = OFF;",
                            _("opening the database"), error);
}

/* On a full disk a reader cannot make the -shm index that WAL needs, and
 * every read failed. When the write-ahead log is empty (or gone), the
 * database file alone is the whole log: read it as immutable, with no
 * index, no lock and no -wal. A log with something in it is never read
 * this way, as what it holds would be missed.
 */
static gboolean
reopen_immutable (RcrpSqliteStore  *self,
                  GError          **error)
{
  g_autofree char *wal = g_strconcat (self->path, "-wal", NULL);
  g_autofree char *uri = NULL;
  g_autofree char *file_uri = NULL;
  GStatBuf st;
  int rc;

  if (g_stat (wal, &st) == 0 && st.st_size > 0)
    return FALSE;

  file_uri = g_filename_to_uri (self->path, NULL, NULL);
  if (file_uri == NULL)
    return FALSE;
  uri = g_strconcat (file_uri, "?mode=ro&immutable=1", NULL);

  /* Statements prepared on the first connection go with it. */
  g_hash_table_remove_all (self->statements);
  sqlite3_close_v2 (self->db);
  self->db = NULL;

  rc = sqlite3_open_v2 (uri, &self->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_URI, NULL);
  if (rc != SQLITE_OK)
    return _rcrp_sqlite_set_error (self, rc, _("opening the database"), error);

  if (!configure_connection (self, error) || !migrate (self, error))
    return FALSE;

  g_message (_("The disk holding %s is full: it is read from the database file alone, which holds the "
               "whole log while its write-ahead log is empty. Nothing can be stored until space is freed."),
             self->path);

  return TRUE;
}

static RcrpStore *
open_store (const char  *path,
            RcrpClock   *clock,
            const char  *operator_name,
            const char  *workstation,
            gboolean     read_only,
            GError     **error)
{
  g_autoptr(RcrpSqliteStore) self = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (RCRP_IS_CLOCK (clock), NULL);
  g_return_val_if_fail (operator_name != NULL, NULL);
  g_return_val_if_fail (workstation != NULL, NULL);

  self = g_object_new (RCRP_TYPE_SQLITE_STORE, NULL);
  self->path = g_canonicalize_filename (path, NULL);
  self->clock = g_object_ref (clock);
  self->operator_name = g_strdup (operator_name);
  self->workstation = g_strdup (workstation);
  self->read_only = read_only;

  if (read_only && !g_file_test (self->path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_OPEN,
                   _("There is no database at %s"), self->path);
      return NULL;
    }

  if (!g_file_test (self->path, G_FILE_TEST_EXISTS) &&
      !create_file_private (self->path, error))
    return NULL;

  if (!check_local_file_system (self->path, error) ||
      (!read_only && !check_file_modes (self->path, error)))
    return NULL;

  if (read_only)
    rc = open_reader (self->path, TRUE, SQLITE_OPEN_FULLMUTEX, &self->db);
  else
    rc = sqlite3_open_v2 (self->path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      _rcrp_sqlite_set_error (self, rc, _("opening the database"), error);
      return NULL;
    }

  {
    GStatBuf st;

    if (g_stat (self->path, &st) != 0)
      {
        int saved = errno;

        g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_OPEN,
                     _("Cannot open the database %s: %s"), self->path, g_strerror (saved));
        return NULL;
      }
    self->file_device = st.st_dev;
    self->file_inode = st.st_ino;
  }

  if (read_only)
    {
      g_autoptr(GError) local_error = NULL;

      if (!configure_connection (self, &local_error) || !migrate (self, &local_error))
        {
          if (!g_error_matches (local_error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_FULL) ||
              !reopen_immutable (self, error))
            {
              if (local_error != NULL)
                g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
        }
    }
  else if (!configure_connection (self, error) || !migrate (self, error))
    return NULL;

  /* A writer with a key of its own signs what it appends, from its first
   * write (the seeds included). */
  if (!read_only)
    {
      g_autoptr(GError) key_error = NULL;

      self->head_signer = rcrp_head_signer_load (NULL, &key_error);
      if (key_error != NULL)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&key_error),
                                      _("Nothing is written to %s without its writer's signature: "), self->path);
          return NULL;
        }
    }

  if (!read_only &&
      (!_rcrp_sqlite_users_seed (self, error) || !_rcrp_sqlite_agencies_seed (self, error)))
    return NULL;

  return RCRP_STORE (g_steal_pointer (&self));
}

RcrpStore *
rcrp_sqlite_store_open (const char  *path,
                        RcrpClock   *clock,
                        const char  *operator_name,
                        const char  *workstation,
                        GError     **error)
{
  return open_store (path, clock, operator_name, workstation, FALSE, error);
}

RcrpStore *
rcrp_sqlite_store_open_read_only (const char  *path,
                                  RcrpClock   *clock,
                                  const char  *operator_name,
                                  const char  *workstation,
                                  GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  return open_store (path, clock, operator_name, workstation, TRUE, error);
}

const char *
rcrp_sqlite_store_get_path (RcrpSqliteStore *self)
{
  g_return_val_if_fail (RCRP_IS_SQLITE_STORE (self), NULL);

  return self->path;
}

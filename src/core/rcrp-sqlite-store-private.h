/* rcrp-sqlite-store-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sys/stat.h>
#include <sqlite3.h>

#include "rcrp-head-signature.h"
#include "rcrp-sqlite-store.h"

G_BEGIN_DECLS

/* What the parts of the SQLite store share. rcrp-sqlite-store.c holds the
 * connection, migrations, the hash chain and calls; each other feature
 * (agencies, users, ...) lives in a file rcrp-sqlite-FEATURE.c of its own
 * that fills in its part of the interface from an _iface_init function
 * called by rcrp_sqlite_store_iface_init().
 */

/* How long a writer waits for another workstation's transaction before
 * giving up. Transactions here are short; five seconds means something is
 * wrong, and the user is told.
 */
#define BUSY_TIMEOUT_MSEC 5000

struct _RcrpSqliteStore
{
  GObject     parent_instance;

  /* One connection, shared by the threads of this process (the spool
   * worker and the UI); the mutex keeps transactions whole.
   */
  GRecMutex   mutex;
  sqlite3    *db;
  GHashTable *statements;

  char       *path;
  dev_t       file_device;  /* the file opened, to notice it moved away */
  ino_t       file_inode;
  RcrpClock  *clock;
  char       *operator_name;
  char       *workstation;
  gboolean    read_only;

  /* Commits made through this connection: PRAGMA data_version only
   * counts other connections' commits.
   */
  guint64     local_commits;

  /* The alert marks' TEMP table exists on this connection. */
  gboolean    marks_ready;

  /* The head of the hash chain, valid inside one write transaction. */
  gint64      chain_head_id;
  char       *chain_head_hash;

  /* This writer's key, if it has one, and the first event the open
   * transaction appended (0: none yet): the commit signs the new head. */
  RcrpHeadSigner *head_signer;
  gint64      transaction_first_event_id;
};

/* A cached statement is reset (not finalised) when it goes out of scope,
 * so every path through a function leaves it ready for the next use.
 */
typedef sqlite3_stmt RcrpCachedStatement;

static inline void
rcrp_cached_statement_reset (RcrpCachedStatement *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcrpCachedStatement, rcrp_cached_statement_reset)

/* Sets @error from the SQLite result @rc, saying what was being done. Returns FALSE. */
gboolean      _rcrp_sqlite_set_error       (RcrpSqliteStore  *self,
                                            int               rc,
                                            const char       *doing,
                                            GError          **error);
/* A prepared statement cached for the connection, keyed by the address of
 * @sql, which must be a string literal. Use with g_autoptr(RcrpCachedStatement).
 */
sqlite3_stmt *_rcrp_sqlite_statement       (RcrpSqliteStore  *self,
                                            const char       *sql,
                                            GError          **error);
/* Steps @stmt, which must finish (an INSERT, UPDATE or DELETE). */
gboolean      _rcrp_sqlite_step_done       (RcrpSqliteStore  *self,
                                            sqlite3_stmt     *stmt,
                                            const char       *doing,
                                            GError          **error);
gboolean      _rcrp_sqlite_exec            (RcrpSqliteStore  *self,
                                            const char       *sql,
                                            const char       *doing,
                                            GError          **error);
/* BEGIN IMMEDIATE: writers queue on the busy timeout. */
gboolean      _rcrp_sqlite_begin           (RcrpSqliteStore  *self,
                                            GError          **error);
gboolean      _rcrp_sqlite_commit          (RcrpSqliteStore  *self,
                                            GError          **error);
void          _rcrp_sqlite_rollback        (RcrpSqliteStore  *self);
/* Appends an event to the hash chain; inside a write transaction only.
 * @call_id <= 0 for an event about no call. Returns its id or -1.
 */
gint64        _rcrp_sqlite_insert_event    (RcrpSqliteStore  *self,
                                            GDateTime        *at,
                                            const char       *kind,
                                            gint64            call_id,
                                            const char       *payload,
                                            GError          **error);
gint64        _rcrp_sqlite_time_to_column  (GDateTime        *dt);
GDateTime    *_rcrp_sqlite_time_from_column (gint64           usec);

/* Records @decision (already checked) inside a write transaction: the
 * event, its referral, the call's outcome. Returns the event id or -1.
 */
gint64        _rcrp_sqlite_store_decision        (RcrpSqliteStore    *self,
                                                  RcrpDecision       *decision,
                                                  GDateTime          *now,
                                                  GError            **error);

/* Inside a write transaction: whether @session (NULL: none) may write to
 * @call_id now, as the holder of its live claim. A free call is claimed
 * for @session there (logged); another session's live claim refuses it
 * with RCRP_STORE_ERROR_CLAIMED naming the holder, unless @take_over,
 * which is logged with the previous holder. A NULL @session passes only
 * where nobody holds a live claim, or with @take_over.
 */
gboolean      _rcrp_sqlite_hold_claim            (RcrpSqliteStore    *self,
                                                  gint64              call_id,
                                                  const char         *cad_ref,
                                                  const char         *session,
                                                  GTimeSpan           lapse,
                                                  gboolean            take_over,
                                                  GDateTime          *now,
                                                  GError            **error);

/* Returns: (transfer none): the triage rules decisions are checked against. */
RcrpTriageRules *_rcrp_sqlite_rules_in_force     (GError            **error);

/* rcrp-sqlite-alerts.c */
void          _rcrp_sqlite_alerts_iface_init     (RcrpStoreInterface *iface);

/* rcrp-sqlite-drafts.c */
void          _rcrp_sqlite_drafts_iface_init     (RcrpStoreInterface *iface);

/* A stored document as it was received, byte for byte (inflated when it
 * is kept compressed). */
GBytes       *_rcrp_sqlite_read_document         (RcrpSqliteStore    *self,
                                                  gint64              document_id,
                                                  GError            **error);
/* Replaces a document's bytes under a recorded erasure, compressed again
 * if it was, and moves its versions' spans to where their calls now lie. */
gboolean      _rcrp_sqlite_rewrite_document      (RcrpSqliteStore    *self,
                                                  gint64              document_id,
                                                  GBytes             *bytes,
                                                  GError            **error);

/* Reads call versions back, from the canonical copy that versions stored
 * before schema 14 keep, or from the call's bytes in its document. It
 * holds the last document read, so a walk over many versions in order of
 * receipt reads each document once. One operation's lifetime only: a
 * document may be erased by another workstation afterwards. */
typedef struct _RcrpVersionReader RcrpVersionReader;

RcrpVersionReader *_rcrp_version_reader_new      (RcrpSqliteStore    *self);
void          _rcrp_version_reader_free          (RcrpVersionReader  *reader);
/* @body is the version's stored canonical copy, "" or NULL when it has
 * none; then @document_id, @offset and @length say where it lies. */
RcrpCall     *_rcrp_version_reader_read          (RcrpVersionReader  *reader,
                                                  const char         *body,
                                                  gint64              document_id,
                                                  gint64              offset,
                                                  gint64              length,
                                                  GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcrpVersionReader, _rcrp_version_reader_free)

/* rcrp-sqlite-agencies.c */
void          _rcrp_sqlite_agencies_iface_init   (RcrpStoreInterface *iface);
/* Puts the built-in directory into a database that has none yet. */
gboolean      _rcrp_sqlite_agencies_seed         (RcrpSqliteStore    *self,
                                                  GError            **error);
/* Inside record_decision's transaction: checks a referral's agency, opens
 * the referral and withdraws the call's earlier pending ones.
 */
gboolean      _rcrp_sqlite_referrals_on_decision (RcrpSqliteStore    *self,
                                                  RcrpDecision       *decision,
                                                  gint64              event_id,
                                                  GDateTime          *now,
                                                  GError            **error);

/* rcrp-sqlite-appeals.c */
void          _rcrp_sqlite_appeals_iface_init    (RcrpStoreInterface *iface);

/* rcrp-sqlite-summary.c */
void          _rcrp_sqlite_summary_iface_init    (RcrpStoreInterface *iface);

/* rcrp-sqlite-retention.c */
void          _rcrp_sqlite_retention_iface_init  (RcrpStoreInterface *iface);

/* rcrp-sqlite-search.c */
void          _rcrp_sqlite_search_iface_init     (RcrpStoreInterface *iface);
/* What the search index holds of a call, from its calls row: the
 * reference, post code, names and summary, and no personal words once
 * the call is erased. */
#define RCRP_SQLITE_SEARCH_VALUES \
  "cad_ref, COALESCE (postcode, ''), COALESCE (subject_name, '') || ' ' || COALESCE (caller_name, ''), " \
  "CASE WHEN erased_at IS NULL THEN summary ELSE '' END"

/* Inside a write transaction, around a change to the calls row: the
 * index is contentless, so a call's words are taken out with the values
 * they were put in with, read from the row before it changes, and put
 * back from the row after. */
gboolean      _rcrp_sqlite_search_unindex_call   (RcrpSqliteStore    *self,
                                                  gint64              call_id,
                                                  GError            **error);
gboolean      _rcrp_sqlite_search_index_call     (RcrpSqliteStore    *self,
                                                  gint64              call_id,
                                                  GError            **error);

/* rcrp-sqlite-users.c */
void          _rcrp_sqlite_users_iface_init      (RcrpStoreInterface *iface);
/* Makes the opener of a database with no users its administrator. */
gboolean      _rcrp_sqlite_users_seed            (RcrpSqliteStore    *self,
                                                  GError            **error);
/* Outside a transaction: whether this connection's operator may do
 * @permission; a refusal is recorded as an event and set in @error.
 */
gboolean      _rcrp_sqlite_require               (RcrpSqliteStore    *self,
                                                  RcrpPermission      permission,
                                                  GError            **error);

char          *_rcrp_sqlite_dup_cad_ref  (RcrpSqliteStore  *self,
                                          gint64            call_id,
                                          const char       *doing,
                                          GError          **error);

G_END_DECLS

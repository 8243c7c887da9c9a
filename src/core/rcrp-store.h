/* rcrp-store.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rcrp-agency.h"
#include "rcrp-appeal.h"
#include "rcrp-call.h"
#include "rcrp-decision.h"
#include "rcrp-event.h"
#include "rcrp-roles.h"

G_BEGIN_DECLS

#define RCRP_STORE_ERROR (rcrp_store_error_quark ())

typedef enum
{
  RCRP_STORE_ERROR_OPEN,          /* the database cannot be opened or created */
  RCRP_STORE_ERROR_NETWORK_FS,    /* the database is on NFS/SMB and WAL needs one host */
  RCRP_STORE_ERROR_SCHEMA,        /* written by a newer version, or a migration failed */
  RCRP_STORE_ERROR_BUSY,          /* locked beyond the busy timeout */
  RCRP_STORE_ERROR_FULL,          /* the disk is full */
  RCRP_STORE_ERROR_READ_ONLY,     /* the database cannot be written */
  RCRP_STORE_ERROR_CORRUPT,       /* the file is not a database or is damaged */
  RCRP_STORE_ERROR_NOT_FOUND,     /* no such call */
  RCRP_STORE_ERROR_TAMPERED,      /* the audit chain is broken */
  RCRP_STORE_ERROR_CLAIMED,       /* another operator is working the call */
  RCRP_STORE_ERROR_CONFLICT,      /* someone else decided meanwhile */
  RCRP_STORE_ERROR_FAILED,        /* anything else */
  RCRP_STORE_ERROR_INVALID,       /* not allowed by the process (an appeal on a deployment, ...) */
  RCRP_STORE_ERROR_FORBIDDEN,     /* the operator's role does not allow it */
} RcrpStoreError;

GQuark rcrp_store_error_quark (void);

/* Who is working a call. */
typedef struct
{
  char      *operator_name;
  char      *workstation;
  char      *session;
  GDateTime *since;
  GDateTime *seen;
} RcrpClaim;

void rcrp_claim_free (RcrpClaim *claim);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcrpClaim, rcrp_claim_free)

/* The checklist answers a coordinator has given so far on a call, before
 * deciding: working state, kept per call so they survive opening another
 * call, an undo and a restart, and shown to other workstations as the
 * holder's. */
typedef struct
{
  gint64     call_id;
  char      *answers_json;   /* as rcrp_triage_answers_to_json() */
  char      *rules_version;  /* nullable */
  char      *operator_name;
  char      *workstation;
  char      *session;
  GDateTime *updated_at;
} RcrpTriageDraft;

void rcrp_triage_draft_free (RcrpTriageDraft *draft);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcrpTriageDraft, rcrp_triage_draft_free)

/* A referral to an agency, from the decision that made it until the agency
 * answers. A later decision on the call, or undoing this one, withdraws it.
 */
typedef enum
{
  RCRP_REFERRAL_PENDING,
  RCRP_REFERRAL_ACCEPTED,
  RCRP_REFERRAL_DECLINED,
  RCRP_REFERRAL_WITHDRAWN,
} RcrpReferralState;

const char *rcrp_referral_state_to_string (RcrpReferralState state);
const char *rcrp_referral_state_get_label (RcrpReferralState state);

typedef struct
{
  gint64             decision_event_id;
  gint64             call_id;
  char              *cad_ref;
  char              *agency_id;
  RcrpReferralState  state;
  GDateTime         *referred_at;
  GDateTime         *due_at;        /* referred_at + the agency's response target */
  GDateTime         *responded_at;  /* nullable */
  char              *responded_by;  /* nullable */
  char              *reason;        /* nullable: why declined or withdrawn */
} RcrpReferral;

void rcrp_referral_free (RcrpReferral *referral);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcrpReferral, rcrp_referral_free)

/* One call as a shift summary counts it. Strings belong to the store and
 * live until the callback returns. Personal fields are NULL unless asked
 * for.
 */
typedef struct
{
  gint64        call_id;
  const char   *cad_ref;
  GDateTime    *received_at;
  RcrpCategory  category;
  int           grade;
  const char   *outcome;             /* latest decision after appeals and undo; NULL undecided */
  const char   *agency;              /* of that decision, for a referral */
  GDateTime    *decided_at;          /* of that decision */
  const char   *decided_by;
  double        minutes_to_decision; /* received to first decision; < 0 undecided */
  const char   *sex;                 /* as sent, or NULL */
  const char   *ethnicity;
  const char   *age_band;
  const char   *appeal_result;       /* NULL, "open", "upheld" or "overturned" (latest appeal) */
  const char   *subject_name;        /* personal: only with include_personal */
  const char   *caller_name;
  const char   *caller_phone;
  const char   *address;
  const char   *postcode;
  gboolean      first_decided;       /* decided, with a first decision time: minutes_to_decision
                                      * is the time to it, below 0 too (clocks apart) */
  gint64        received_unix;       /* received_at in seconds since 1970 (UTC) */
} RcrpSummaryRow;

/* Progress of a long walk: @done of about @total, from the thread doing it. */
typedef void (*RcrpProgressFunc) (gint64   done,
                                  gint64   total,
                                  gpointer user_data);

/* One column of a stored row for the audit's state pass. A NULL column
 * has RCRP_AUDIT_VALUE_NULL. @data (text, NUL-terminated, or bytes, of
 * @length) belongs to the store and lives until the callback returns.
 */
typedef enum
{
  RCRP_AUDIT_VALUE_NULL,
  RCRP_AUDIT_VALUE_INT,
  RCRP_AUDIT_VALUE_TEXT,
  RCRP_AUDIT_VALUE_BYTES,
} RcrpAuditValueType;

typedef struct
{
  const char         *name;
  RcrpAuditValueType  type;
  gint64              number;
  const char         *data;
  gsize               length;
} RcrpAuditColumn;

/* One stored row: @table names its table, @columns its @n_columns
 * columns by name. Return FALSE, with @error set, to stop.
 */
typedef gboolean (*RcrpAuditRowFunc) (const char             *table,
                                      const RcrpAuditColumn  *columns,
                                      guint                   n_columns,
                                      gpointer                user_data,
                                      GError                **error);

typedef gboolean (*RcrpSummaryRowFunc) (const RcrpSummaryRow  *row,
                                        gpointer               user_data,
                                        GError               **error);

/* Per agency, the referrals made on the summarised calls and their
 * answers; a referral undone is counted apart, not as one made. */
typedef struct
{
  char   *agency_id;
  guint   referred;
  guint   accepted;
  guint   declined;
  guint   pending;
  guint   withdrawn;               /* superseded by a later decision */
  double  mean_minutes_to_accept;  /* < 0 when none accepted */
  guint   undone;                  /* taken back by Undo: in none of the counts above */
} RcrpReferralCounts;

void rcrp_referral_counts_free (RcrpReferralCounts *counts);

typedef struct
{
  guint urgent_appeals;
  guint upheld;
  guint overturned;
  guint open;
  guint disputes_after_incident;
  double mean_review_minutes;       /* < 0 when none reviewed */
} RcrpEscalationCounts;

/* The queue's views, each a filter on the calls. */
typedef enum
{
  RCRP_QUEUE_VIEW_OPEN,                 /* undecided, or back for a new decision */
  RCRP_QUEUE_VIEW_MINE,                 /* claimed by this operator */
  RCRP_QUEUE_VIEW_AWAITING_SUPERVISOR,  /* on hold for an urgent appeal */
  RCRP_QUEUE_VIEW_TODAY,                /* received since local midnight */
  RCRP_QUEUE_VIEW_ALL,
  RCRP_N_QUEUE_VIEWS
} RcrpQueueView;

const char *rcrp_queue_view_to_string   (RcrpQueueView  view);
gboolean    rcrp_queue_view_from_string (const char    *string,
                                         RcrpQueueView *view);
const char *rcrp_queue_view_get_label   (RcrpQueueView  view);

typedef struct
{
  RcrpQueueView  view;
  int            category;     /* an RcrpCategory, or -1 for any */
  int            grade;        /* 1 to 4, or 0 for any */
  char          *text;         /* words to search for; NULL or "" for none */
  GDateTime     *today_start;  /* local midnight, for RCRP_QUEUE_VIEW_TODAY */
} RcrpQueueFilter;

RcrpQueueFilter *rcrp_queue_filter_new  (void);
RcrpQueueFilter *rcrp_queue_filter_copy (const RcrpQueueFilter *filter);
void             rcrp_queue_filter_free (RcrpQueueFilter       *filter);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcrpQueueFilter, rcrp_queue_filter_free)

/* A call's place in the queue order, for placing one call without reading
 * the whole queue: calls on hold first, then undecided before decided, the
 * latest decision first among those, then grade, threshold risks (more
 * first), waiting longest, and id. */
typedef struct
{
  gint64 id;
  gint64 on_hold;
  gint64 decided;
  gint64 decided_rank;   /* minus the decision time; 0 while undecided */
  gint64 grade;
  gint64 threshold_risks;
  gint64 received_at;
} RcrpQueueKey;

/* Negative when @a comes before @b in the queue. */
int              rcrp_queue_key_compare (const RcrpQueueKey    *a,
                                         const RcrpQueueKey    *b);

/* A user of the shared database: an OS user name and the one role it has. */
typedef struct
{
  char      *os_user;
  RcrpRole   role;
  char      *display_name;  /* nullable */
  char      *added_by;
  GDateTime *added_at;
} RcrpUser;

void rcrp_user_free (RcrpUser *user);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcrpUser, rcrp_user_free)

/* What one ingest did, for the caller's report. */
typedef struct
{
  guint added;      /* new cad_refs */
  guint updated;    /* known cad_refs with content not seen before */
  guint unchanged;  /* re-deliveries of content already stored */
} RcrpIngestResult;

/* One event of the log about a call, for following the log a page at a
 * time rather than holding the calls it touched. */
typedef struct
{
  gint64  event_id;
  gint64  call_id;
  char   *kind;      /* "call.received", "call.decided", ... */
} RcrpCallChange;

void rcrp_call_change_free (RcrpCallChange *change);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcrpCallChange, rcrp_call_change_free)

/* A call awaiting a decision, as the alert watch walks them: by when it
 * was received, and whether (and when) the walker has marked it said. */
typedef struct
{
  gint64   id;
  int      grade;
  gint64   received_at;   /* microseconds since the epoch */
  gint64   marked_at;     /* likewise; 0 when not marked */
  gboolean decided;       /* decided since it was marked */
} RcrpWaitingCall;

#define RCRP_TYPE_STORE (rcrp_store_get_type ())

G_DECLARE_INTERFACE (RcrpStore, rcrp_store, RCRP, STORE, GObject)

/* The store is the one place the rest of the program keeps and reads its
 * records. SQLite implements it now (RcrpSqliteStore); a force-wide
 * deployment implements it on PostgreSQL. Nothing above this interface
 * knows which.
 *
 * Every change is an append-only event. Calls are never overwritten: a new
 * version of a call from the feed is stored beside the old ones and the
 * call's current state follows from them.
 */
struct _RcrpStoreInterface
{
  GTypeInterface parent_iface;

  gboolean   (*ingest)            (RcrpStore         *self,
                                   const char        *source,
                                   GBytes            *document,
                                   GPtrArray         *calls,
                                   RcrpIngestResult  *result,
                                   GError           **error);
  GArray    *(*list_queue_ids)    (RcrpStore         *self,
                                   GError           **error);
  GPtrArray *(*get_calls_by_id)   (RcrpStore         *self,
                                   const gint64      *ids,
                                   guint              n_ids,
                                   GError           **error);
  RcrpCall  *(*get_call)          (RcrpStore         *self,
                                   const char        *cad_ref,
                                   GError           **error);
  GPtrArray *(*list_events)       (RcrpStore         *self,
                                   gint64             call_id,
                                   GError           **error);
  GPtrArray *(*list_versions)     (RcrpStore         *self,
                                   gint64             call_id,
                                   GError           **error);
  gint64     (*get_last_event_id) (RcrpStore         *self,
                                   GError           **error);
  guint64    (*get_change_stamp)  (RcrpStore         *self);
  GArray    *(*changed_calls)     (RcrpStore         *self,
                                   gint64             after_event_id,
                                   gint64            *last_event_id,
                                   GError           **error);
  gboolean   (*verify)            (RcrpStore         *self,
                                   RcrpProgressFunc   progress,
                                   gpointer           progress_data,
                                   GCancellable      *cancellable,
                                   gint64            *n_events,
                                   gint64            *broken_event_id,
                                   GError           **error);
  gboolean   (*verify_from)       (RcrpStore         *self,
                                   gint64             after_event_id,
                                   const char        *after_hash,
                                   RcrpProgressFunc   progress,
                                   gpointer           progress_data,
                                   GCancellable      *cancellable,
                                   gint64            *n_events,
                                   gint64            *head_event_id,
                                   char             **head_hash,
                                   gint64            *broken_event_id,
                                   GError           **error);
  char      *(*dup_log_identity)  (RcrpStore         *self,
                                   GError           **error);
  gint64     (*record_decision)   (RcrpStore         *self,
                                   RcrpDecision      *decision,
                                   GError           **error);
  GPtrArray *(*list_decisions)    (RcrpStore         *self,
                                   gint64             call_id,
                                   GError           **error);
  gboolean   (*claim_call)        (RcrpStore         *self,
                                   gint64             call_id,
                                   const char        *session,
                                   GTimeSpan          lapse,
                                   gboolean           take_over,
                                   RcrpClaim        **holder,
                                   GError           **error);
  RcrpClaim *(*get_claim)         (RcrpStore         *self,
                                   gint64             call_id,
                                   GError           **error);
  gboolean   (*release_claims)    (RcrpStore         *self,
                                   const char        *session,
                                   GError           **error);

  gboolean   (*import_agencies)   (RcrpStore         *self,
                                   GPtrArray         *agencies,
                                   const char        *source,
                                   GError           **error);
  GPtrArray *(*list_agencies)     (RcrpStore         *self,
                                   GError           **error);
  gint64     (*set_agency_state)  (RcrpStore         *self,
                                   const char        *agency_id,
                                   RcrpAgencyStatus   status,
                                   int                capacity,
                                   int                eta_minutes,
                                   const char        *note,
                                   GError           **error);
  GPtrArray *(*list_referrals)    (RcrpStore         *self,
                                   gint64             call_id,
                                   gboolean           pending_only,
                                   GError           **error);
  GPtrArray *(*list_pending_referrals) (RcrpStore      *self,
                                        GDateTime      *due_since,
                                        GError        **error);
  gint64     (*respond_to_referral) (RcrpStore       *self,
                                     gint64           decision_event_id,
                                     gboolean         accepted,
                                     const char      *reason,
                                     GError         **error);
  gint64     (*undo_decision)     (RcrpStore         *self,
                                   gint64             decision_event_id,
                                   GError           **error);

  RcrpAppeal  *(*lodge_appeal)    (RcrpStore         *self,
                                   gint64             call_id,
                                   RcrpAppellant      appellant,
                                   const char        *appellant_name,
                                   const char        *grounds,
                                   GError           **error);
  RcrpAppeal  *(*resolve_appeal)  (RcrpStore         *self,
                                   const char        *reference,
                                   RcrpDecision      *overturn,
                                   const char        *rationale,
                                   GError           **error);
  GPtrArray   *(*list_appeals)    (RcrpStore         *self,
                                   gint64             call_id,
                                   gboolean           open_only,
                                   GError           **error);
  RcrpDispute *(*add_dispute)     (RcrpStore         *self,
                                   RcrpDisputeKind    kind,
                                   const char        *raised_by,
                                   const char        *summary,
                                   const char * const *cad_refs,
                                   GError           **error);
  RcrpDispute *(*set_dispute_state) (RcrpStore       *self,
                                     const char      *reference,
                                     RcrpDisputeState state,
                                     const char      *learning,
                                     GError         **error);
  GPtrArray   *(*list_disputes)   (RcrpStore         *self,
                                   int                state,
                                   int                kind,
                                   GError           **error);

  gboolean     (*foreach_summary_row) (RcrpStore          *self,
                                       GDateTime          *from,
                                       GDateTime          *to,
                                       gboolean            include_personal,
                                       RcrpSummaryRowFunc  func,
                                       gpointer            user_data,
                                       GCancellable       *cancellable,
                                       GError            **error);
  gboolean     (*foreach_summary_count) (RcrpStore        *self,
                                         GDateTime        *from,
                                         GDateTime        *to,
                                         RcrpSummaryRowFunc func,
                                         gpointer          user_data,
                                         GCancellable     *cancellable,
                                         GError          **error);
  gboolean     (*decision_minutes) (RcrpStore         *self,
                                    GDateTime         *from,
                                    GDateTime         *to,
                                    const double      *fractions,
                                    guint              n_fractions,
                                    double            *values,
                                    double            *max,
                                    gint64            *count,
                                    GError           **error);
  GPtrArray   *(*referral_counts) (RcrpStore         *self,
                                   GDateTime         *from,
                                   GDateTime         *to,
                                   GError           **error);
  gboolean     (*escalation_counts) (RcrpStore        *self,
                                     GDateTime        *from,
                                     GDateTime        *to,
                                     RcrpEscalationCounts *counts,
                                     GError          **error);
  RcrpRole     (*get_role)        (RcrpStore         *self,
                                   GError           **error);
  gboolean     (*check_permission) (RcrpStore        *self,
                                    RcrpPermission    permission,
                                    GError          **error);
  gboolean     (*add_user)        (RcrpStore         *self,
                                   const char        *os_user,
                                   RcrpRole           role,
                                   const char        *display_name,
                                   GError           **error);
  gboolean     (*remove_user)     (RcrpStore         *self,
                                   const char        *os_user,
                                   GError           **error);
  GPtrArray   *(*list_users)      (RcrpStore         *self,
                                   GError           **error);
  GPtrArray   *(*apply_retention) (RcrpStore         *self,
                                   int                days,
                                   gboolean           dry_run,
                                   GError           **error);
  GArray      *(*list_filtered_ids) (RcrpStore               *self,
                                     const RcrpQueueFilter   *filter,
                                     GError                 **error);
  gboolean     (*count_views)     (RcrpStore               *self,
                                   const RcrpQueueFilter   *filter,
                                   guint                   *counts,
                                   GError                 **error);
  GArray      *(*get_queue_keys)  (RcrpStore               *self,
                                   const RcrpQueueFilter   *filter,
                                   const gint64            *ids,
                                   guint                    n_ids,
                                   GError                 **error);
  gint64       (*log_export)      (RcrpStore         *self,
                                   GDateTime         *from,
                                   GDateTime         *to,
                                   const char        *format,
                                   gboolean           include_personal,
                                   const char        *destination,
                                   GError           **error);
  gboolean     (*save_draft)      (RcrpStore         *self,
                                   gint64             call_id,
                                   const char        *session,
                                   GTimeSpan          lapse,
                                   const char        *answers_json,
                                   const char        *rules_version,
                                   GError           **error);
  RcrpTriageDraft *(*get_draft)   (RcrpStore         *self,
                                   gint64             call_id,
                                   GError           **error);
  gint64       (*log_call_viewed) (RcrpStore         *self,
                                   gint64             call_id,
                                   const char        *how,
                                   GError           **error);

  /* Added at the end (#24): the rows the audit rebuilds from the log. */
  gboolean     (*read_audit_rows) (RcrpStore               *self,
                                   RcrpAuditRowFunc         func,
                                   gpointer                 user_data,
                                   GCancellable            *cancellable,
                                   GError                 **error);
  char        *(*dup_event_hash)  (RcrpStore               *self,
                                   gint64                   event_id,
                                   GError                 **error);

  GPtrArray   *(*list_call_changes) (RcrpStore       *self,
                                     gint64           after_event_id,
                                     guint            limit,
                                     gint64          *last_event_id,
                                     GError         **error);
  GArray      *(*list_waiting)    (RcrpStore         *self,
                                   guint              marks,
                                   int                grade,
                                   gint64             received_before,
                                   const RcrpWaitingCall *after,
                                   guint              limit,
                                   GError           **error);
  GArray      *(*list_marked)     (RcrpStore         *self,
                                   guint              marks,
                                   int                grade,
                                   gint64             marked_before,
                                   guint              limit,
                                   GError           **error);
  gboolean     (*set_mark)        (RcrpStore         *self,
                                   guint              marks,
                                   gint64             call_id,
                                   int                grade,
                                   gint64             marked_at,
                                   GError           **error);
  gboolean     (*clear_marks)     (RcrpStore         *self,
                                   guint              marks,
                                   gint64             call_id,
                                   GError           **error);
  GArray      *(*read_filtered_ids) (RcrpStore             *self,
                                     const RcrpQueueFilter *filter,
                                     guint                  limit,
                                     GCancellable          *cancellable,
                                     GError               **error);

  /* Added at the end (#24): the writers' signatures of their appends. */
  gboolean     (*read_signed_heads) (RcrpStore             *self,
                                     RcrpAuditRowFunc       func,
                                     gpointer               user_data,
                                     GCancellable          *cancellable,
                                     GError               **error);
};

/* Stores @calls (all parsed from @document, which came from @source) in one
 * transaction: all of them or, on error, none.
 */
gboolean   rcrp_store_ingest            (RcrpStore         *self,
                                         const char        *source,
                                         GBytes            *document,
                                         GPtrArray         *calls,
                                         RcrpIngestResult  *result,
                                         GError           **error);

/* Returns: (transfer full) (element-type gint64): the ids of the calls in
 * the queue, most urgent first: grade, then threshold risk indicators, then
 * longest waiting.
 */
GArray    *rcrp_store_list_queue_ids    (RcrpStore         *self,
                                         GError           **error);

/* Returns: (transfer full) (element-type RcrpCall): the calls with @ids, in
 * the same order; ids that do not exist are left out.
 */
GPtrArray *rcrp_store_get_calls_by_id   (RcrpStore         *self,
                                         const gint64      *ids,
                                         guint              n_ids,
                                         GError           **error);

/* Returns: (transfer full): the call's current state with every field, or
 * NULL with RCRP_STORE_ERROR_NOT_FOUND.
 */
RcrpCall  *rcrp_store_get_call          (RcrpStore         *self,
                                         const char        *cad_ref,
                                         GError           **error);

/* Returns: (transfer full) (element-type RcrpEvent): the call's history, oldest first. */
GPtrArray *rcrp_store_list_events       (RcrpStore         *self,
                                         gint64             call_id,
                                         GError           **error);

/* Returns: (transfer full) (element-type RcrpCall): every version of the
 * call received from the feed, oldest first.
 */
GPtrArray *rcrp_store_list_versions     (RcrpStore         *self,
                                         gint64             call_id,
                                         GError           **error);

gint64     rcrp_store_get_last_event_id (RcrpStore         *self,
                                         GError           **error);

/* Cheap: a number that grows whenever anything, in this process or another,
 * commits to the store. Compare with the value from an earlier call to know
 * whether to look for changes. A change may be reported that touched nothing
 * a caller cares about; a commit is never missed.
 */
guint64    rcrp_store_get_change_stamp  (RcrpStore         *self);

/* Returns: (transfer full) (element-type gint64): the distinct call ids
 * touched by events after @after_event_id; @last_event_id is set to the
 * newest event id seen.
 */
GArray    *rcrp_store_changed_calls     (RcrpStore         *self,
                                         gint64             after_event_id,
                                         gint64            *last_event_id,
                                         GError           **error);

/* Walks the tamper-evident chain of events from the first. On a break
 * returns FALSE with RCRP_STORE_ERROR_TAMPERED, @broken_event_id set to the
 * first event that does not verify and a message naming it and its time.
 * @n_events is set to the number of events checked. Reads through a
 * connection of its own, so it may run on a worker thread while the store
 * is used elsewhere.
 */
gboolean   rcrp_store_verify            (RcrpStore         *self,
                                         gint64            *n_events,
                                         gint64            *broken_event_id,
                                         GError           **error);

/* As rcrp_store_verify(), calling @progress now and then (from the calling
 * thread) and stopping with G_IO_ERROR_CANCELLED when @cancellable is. */
gboolean   rcrp_store_verify_full       (RcrpStore         *self,
                                         RcrpProgressFunc   progress,
                                         gpointer           progress_data,
                                         GCancellable      *cancellable,
                                         gint64            *n_events,
                                         gint64            *broken_event_id,
                                         GError           **error);

/* As rcrp_store_verify_full(), from a point already checked: confirms that
 * event @after_event_id still has the hash @after_hash (and that its
 * content gives it), then walks only the events after it. With
 * @after_event_id 0 (and @after_hash NULL) it walks from the first event.
 * On success @head_event_id and @head_hash are the newest event checked
 * (@after_event_id and its hash when nothing came after), for the next
 * check to start from. A missing or different event at the start point
 * is RCRP_STORE_ERROR_TAMPERED with @broken_event_id set to it.
 */
gboolean   rcrp_store_verify_from       (RcrpStore         *self,
                                         gint64             after_event_id,
                                         const char        *after_hash,
                                         RcrpProgressFunc   progress,
                                         gpointer           progress_data,
                                         GCancellable      *cancellable,
                                         gint64            *n_events,
                                         gint64            *head_event_id,
                                         char             **head_hash,
                                         gint64            *broken_event_id,
                                         GError           **error);

/* Returns: (transfer full): a name for this log that is the same for every
 * connection to this database and differs for another database, even one
 * put at the same path: for keeping a workstation's own notes on it (its
 * audit checkpoint), never shown as anything but an identity.
 */
char      *rcrp_store_dup_log_identity  (RcrpStore         *self,
                                         GError           **error);

/* Records a decision on a call as an event, after checking it
 * (rcrp_decision_validate()). A later decision supersedes an earlier one
 * as the call's outcome; both stay in the record. Returns the event id, or
 * -1 with @error set.
 *
 * Inside the write transaction it also enforces, whatever the front end:
 * - the claim: the decision's session must hold the call's live claim. If
 *   nobody holds one, the session claims it there and then (logged); a
 *   decision with no session is allowed only then. A live claim of
 *   another session is refused with RCRP_STORE_ERROR_CLAIMED naming the
 *   holder, unless the decision takes the call over (logged as a
 *   take-over with the previous holder);
 * - the police threshold (rcrp_decision_check_threshold()) with the rules
 *   in force and the call's category: no police only with every threshold
 *   question answered no, or overridden by name with a rationale.
 */
gint64     rcrp_store_record_decision   (RcrpStore         *self,
                                         RcrpDecision      *decision,
                                         GError           **error);

/* Returns: (transfer full) (element-type RcrpDecision): every decision on
 * the call, oldest first; the last is the call's outcome.
 */
GPtrArray *rcrp_store_list_decisions    (RcrpStore         *self,
                                         gint64             call_id,
                                         GError           **error);

/* Claims @call_id for this connection's operator in @session (one app
 * run). A claim held by another session that has not been seen for @lapse
 * has lapsed and is taken silently (logged as such); a live one is taken
 * only with @take_over, which is logged with the previous holder. Otherwise
 * returns FALSE with RCRP_STORE_ERROR_CLAIMED, a message naming the holder,
 * and @holder (if given) set. Claiming again in the same session refreshes
 * the claim.
 */
gboolean   rcrp_store_claim_call        (RcrpStore         *self,
                                         gint64             call_id,
                                         const char        *session,
                                         GTimeSpan          lapse,
                                         gboolean           take_over,
                                         RcrpClaim        **holder,
                                         GError           **error);

/* Returns: (transfer full) (nullable): the call's claim, or NULL if none. */
RcrpClaim *rcrp_store_get_claim         (RcrpStore         *self,
                                         gint64             call_id,
                                         GError           **error);

/* Releases every claim of @session, as when the app closes. */
gboolean   rcrp_store_release_claims    (RcrpStore         *self,
                                         const char        *session,
                                         GError           **error);

/* Replaces the agency directory with @agencies (directory entries; their
 * live state is kept for ids that remain), as one event naming @source.
 * Agencies left out are hidden from the board; their history stays.
 */
gboolean   rcrp_store_import_agencies   (RcrpStore         *self,
                                         GPtrArray         *agencies,
                                         const char        *source,
                                         GError           **error);

/* Returns: (transfer full) (element-type RcrpAgency): the directory in its
 * order, each with its latest reported state.
 */
GPtrArray *rcrp_store_list_agencies     (RcrpStore         *self,
                                         GError           **error);

/* Records an agency's state as reported now by this connection's
 * operator. Every report is kept as an event; the latest is the state.
 * @capacity and @eta_minutes are -1 when not known. Returns the event id.
 */
gint64     rcrp_store_set_agency_state  (RcrpStore         *self,
                                         const char        *agency_id,
                                         RcrpAgencyStatus   status,
                                         int                capacity,
                                         int                eta_minutes,
                                         const char        *note,
                                         GError           **error);

/* Returns: (transfer full) (element-type RcrpReferral): the referrals of
 * @call_id (0: of every call), oldest first; with @pending_only, only
 * those still waiting for the agency's answer.
 */
GPtrArray *rcrp_store_list_referrals    (RcrpStore         *self,
                                         gint64             call_id,
                                         gboolean           pending_only,
                                         GError           **error);

/* Returns: (transfer full) (element-type RcrpReferral): the referrals
 * still waiting for an answer that was due at or after @due_since, oldest
 * first: the live ones, whatever a long history has left unanswered.
 */
GPtrArray *rcrp_store_list_pending_referrals (RcrpStore      *self,
                                              GDateTime      *due_since,
                                              GError        **error);

/* Records the agency's answer to the pending referral made by the
 * decision @decision_event_id. A decline needs a @reason. It puts the call
 * back in front of the coordinator (status "updated") for a new decision.
 */
gint64     rcrp_store_respond_to_referral (RcrpStore       *self,
                                           gint64           decision_event_id,
                                           gboolean         accepted,
                                           const char      *reason,
                                           GError         **error);

/* Undoes the decision @decision_event_id, which must be the call's current
 * one, by recording that it was undone: nothing is deleted. The call's
 * outcome becomes the decision before it, or none. A referral it made is
 * withdrawn. Returns the event id. A decision an appeal was lodged
 * against is never undone (RCRP_STORE_ERROR_INVALID): the supervisor's
 * review decides it.
 */
gint64     rcrp_store_undo_decision     (RcrpStore         *self,
                                         gint64             decision_event_id,
                                         GError           **error);

/* Lodges an urgent appeal against the call's current outcome, which must
 * be a decision not to deploy police. The call goes on hold, to the top of
 * every queue, until a supervisor resolves the appeal. @grounds are
 * required, and @appellant_name for a partner agency. Returns the appeal
 * with its reference, numbered in sequence within the year.
 */
RcrpAppeal  *rcrp_store_lodge_appeal      (RcrpStore          *self,
                                           gint64              call_id,
                                           RcrpAppellant       appellant,
                                           const char         *appellant_name,
                                           const char         *grounds,
                                           GError            **error);

/* A supervisor's review of the open appeal @reference: upheld when
 * @overturn is NULL, otherwise overturned by recording @overturn (a
 * decision with another outcome) as the call's new decision; the original
 * decision stays in the history. @rationale is required either way.
 */
RcrpAppeal  *rcrp_store_resolve_appeal    (RcrpStore          *self,
                                           const char         *reference,
                                           RcrpDecision       *overturn,
                                           const char         *rationale,
                                           GError            **error);

/* Returns: (transfer full) (element-type RcrpAppeal): of @call_id (0: of
 * every call), oldest first; with @open_only, those awaiting review.
 */
GPtrArray   *rcrp_store_list_appeals      (RcrpStore          *self,
                                           gint64              call_id,
                                           gboolean            open_only,
                                           GError            **error);

/* Logs a partner's dispute, trend, risk or query after the incident,
 * against the calls @cad_refs (possibly none).
 */
RcrpDispute *rcrp_store_add_dispute       (RcrpStore          *self,
                                           RcrpDisputeKind     kind,
                                           const char         *raised_by,
                                           const char         *summary,
                                           const char * const *cad_refs,
                                           GError            **error);

/* Moves a dispute to under review, or closes it with the @learning, which
 * closing requires.
 */
RcrpDispute *rcrp_store_set_dispute_state (RcrpStore          *self,
                                           const char         *reference,
                                           RcrpDisputeState    state,
                                           const char         *learning,
                                           GError            **error);

/* Returns: (transfer full) (element-type RcrpDispute): newest first,
 * filtered by @state and @kind (-1: any).
 */
GPtrArray   *rcrp_store_list_disputes     (RcrpStore          *self,
                                           int                 state,
                                           int                 kind,
                                           GError            **error);

/* Calls every call received in [@from, @to) to @func, in order of
 * receipt, streaming: one row in memory at a time. Stops early, returning
 * FALSE, when @func does or @cancellable is cancelled.
 */
gboolean   rcrp_store_foreach_summary_row (RcrpStore          *self,
                                           GDateTime          *from,
                                           GDateTime          *to,
                                           gboolean            include_personal,
                                           RcrpSummaryRowFunc  func,
                                           gpointer            user_data,
                                           GCancellable       *cancellable,
                                           GError            **error);

/* As rcrp_store_foreach_summary_row(), with only what a summary counts:
 * received_unix, category, grade, outcome, agency, minutes_to_decision,
 * first_decided, sex, ethnicity and age_band. The rest is unset (NULL,
 * 0), and rows come in no particular order. A summary of a month is this
 * one narrow pass.
 */
gboolean   rcrp_store_foreach_summary_count (RcrpStore          *self,
                                             GDateTime          *from,
                                             GDateTime          *to,
                                             RcrpSummaryRowFunc  func,
                                             gpointer            user_data,
                                             GCancellable       *cancellable,
                                             GError            **error);

/* Of the calls received in [@from, @to) that are decided: how many
 * (@count), the longest time to the first decision in minutes (@max), and
 * the quantile at each of @fractions (0..1, linear between the closest
 * ranks) in @values. One pass over the calls, the times sorted in memory
 * (eight bytes a decided call).
 */
gboolean   rcrp_store_decision_minutes    (RcrpStore          *self,
                                           GDateTime          *from,
                                           GDateTime          *to,
                                           const double       *fractions,
                                           guint               n_fractions,
                                           double             *values,
                                           double             *max,
                                           gint64             *count,
                                           GError            **error);

/* Returns: (transfer full) (element-type RcrpReferralCounts): by agency,
 * for the referrals made on calls received in [@from, @to).
 */
GPtrArray *rcrp_store_referral_counts     (RcrpStore          *self,
                                           GDateTime          *from,
                                           GDateTime          *to,
                                           GError            **error);

/* Appeals on the calls received in [@from, @to), and the disputes about
 * them (or, about no call, logged in the interval).
 */
gboolean   rcrp_store_escalation_counts   (RcrpStore            *self,
                                           GDateTime            *from,
                                           GDateTime            *to,
                                           RcrpEscalationCounts *counts,
                                           GError              **error);

/* Records in the audit log that this operator exported a summary of
 * [@from, @to) as @format to @destination, and whether it held personal
 * data. Returns the event id.
 */
gint64     rcrp_store_log_export          (RcrpStore          *self,
                                           GDateTime          *from,
                                           GDateTime          *to,
                                           const char         *format,
                                           gboolean            include_personal,
                                           const char         *destination,
                                           GError            **error);

/* The role of this connection's operator; RCRP_ROLE_NONE if not a user. */
RcrpRole   rcrp_store_get_role            (RcrpStore          *self,
                                           GError            **error);

/* Whether this connection's operator may do @permission. If not, returns
 * FALSE with RCRP_STORE_ERROR_FORBIDDEN and a message naming the user, the
 * role and who may, and records the refusal in the audit log. Every write
 * the store offers checks this itself; callers use it to ask first.
 */
gboolean   rcrp_store_check_permission    (RcrpStore          *self,
                                           RcrpPermission      permission,
                                           GError            **error);

/* Administrators only. Adds @os_user with @role, or changes the role of
 * one already there; the last administrator keeps that role.
 */
gboolean   rcrp_store_add_user            (RcrpStore          *self,
                                           const char         *os_user,
                                           RcrpRole            role,
                                           const char         *display_name,
                                           GError            **error);
gboolean   rcrp_store_remove_user         (RcrpStore          *self,
                                           const char         *os_user,
                                           GError            **error);
/* Returns: (transfer full) (element-type RcrpUser): by user name. */
GPtrArray *rcrp_store_list_users          (RcrpStore          *self,
                                           GError            **error);

/* Administrators only. Erases the personal fields (names, phone numbers,
 * address, post code, coordinates, free text) of every decided call not
 * on hold whose last activity is more than @days old, by recording: a
 * call.erased event for each, then the stored documents and versions
 * blanked where the erasure allows it. Counts, categories, outcomes,
 * decisions and demographic categories remain; the chain still verifies.
 * With @dry_run nothing changes.
 *
 * Returns: (transfer full) (element-type utf8): the references erased (or
 * that would be).
 */
GPtrArray *rcrp_store_apply_retention     (RcrpStore          *self,
                                           int                 days,
                                           gboolean            dry_run,
                                           GError            **error);

/* Keeps @answers_json (valid checklist answers) as the call's draft, for
 * @session, which must hold the call's live claim (or claims it if nobody
 * holds one, logged as opening the call would be); another session's live
 * claim refuses it with RCRP_STORE_ERROR_CLAIMED. Drafts are working state
 * and not in the audit log: what counts, the answers a decision was made
 * on, is recorded with the decision itself.
 */
gboolean   rcrp_store_save_draft          (RcrpStore             *self,
                                           gint64                 call_id,
                                           const char            *session,
                                           GTimeSpan              lapse,
                                           const char            *answers_json,
                                           const char            *rules_version,
                                           GError               **error);

/* Returns: (transfer full) (nullable): the call's draft, or NULL if none
 * (@error unset) or on error.
 */
RcrpTriageDraft *rcrp_store_get_draft     (RcrpStore             *self,
                                           gint64                 call_id,
                                           GError               **error);

/* Returns: (transfer full) (element-type gint64): the calls matching
 * @filter: its view, category, grade and search words (over reference,
 * post code, names and summary; any text is safe to pass, and words match
 * as prefixes). In queue order, or best match first when searching.
 */
GArray    *rcrp_store_list_filtered_ids   (RcrpStore             *self,
                                           const RcrpQueueFilter *filter,
                                           GError               **error);

/* How many calls each view would show with @filter's category, grade and
 * words; @counts has RCRP_N_QUEUE_VIEWS places. Safe to call from a worker
 * thread: it reads through a connection of its own.
 */
gboolean   rcrp_store_count_views         (RcrpStore             *self,
                                           const RcrpQueueFilter *filter,
                                           guint                 *counts,
                                           GError               **error);

/* Returns: (transfer full) (element-type RcrpQueueKey): the queue keys of
 * those of @ids that @filter's view, category and grade show now (its
 * words are not looked at), or of all of them that exist for a NULL
 * @filter; in the order of @ids.
 */
GArray    *rcrp_store_get_queue_keys      (RcrpStore             *self,
                                           const RcrpQueueFilter *filter,
                                           const gint64          *ids,
                                           guint                  n_ids,
                                           GError               **error);

/* Records that this operator looked at @call_id's personal details, @how
 * ("app", "show", "show --json"), as the Data Protection Act 2018 s.62
 * asks of law-enforcement processing: who, when, where and which call. Any
 * reader may look, so no role is needed; a look that cannot be recorded
 * (a full disk, a read-only store) fails, and a front end then decides
 * whether to show anything. Returns the event's id, or -1.
 */
gint64     rcrp_store_log_call_viewed     (RcrpStore          *self,
                                           gint64              call_id,
                                           const char         *how,
                                           GError            **error);

/* Reads, in one snapshot and read-only, every row the audit's state
 * pass compares with the log, in this order: "events" (id, at, kind,
 * call_id, operator, payload), "users", "undone_decisions", "erasures",
 * "call_versions" (with "content_sha256" in hex and "text", the version's
 * bytes wherever they are kept), "documents" (with "body", the bytes as
 * received, however they are kept) and "calls". The store decides nothing
 * about them: rcrp_audit_state_check() does.
 */
gboolean   rcrp_store_read_audit_rows     (RcrpStore             *self,
                                           RcrpAuditRowFunc       func,
                                           gpointer               user_data,
                                           GCancellable          *cancellable,
                                           GError               **error);

/* Reads, in one snapshot and read-only, the writers' signatures of their
 * appends, "head_signatures" (head_event_id, first_event_id, signer,
 * key_id, signature) by head, then "events" (id, operator, workstation,
 * kind, hash) by id. The store decides nothing about them:
 * rcrp_head_signature_verify_log() does.
 */
gboolean   rcrp_store_read_signed_heads   (RcrpStore             *self,
                                           RcrpAuditRowFunc       func,
                                           gpointer               user_data,
                                           GCancellable          *cancellable,
                                           GError               **error);

/* Returns: (transfer full): the hash stored with event @event_id, read
 * read-only, or NULL with RCRP_STORE_ERROR_NOT_FOUND if the log has no
 * such event. Whether the event still gives that hash is
 * rcrp_store_verify()'s to say.
 */
char      *rcrp_store_dup_event_hash      (RcrpStore             *self,
                                           gint64                 event_id,
                                           GError               **error);

/* Returns: (transfer full) (element-type RcrpCallChange): the events about
 * calls after @after_event_id, oldest first, at most @limit of them (0:
 * no limit); @last_event_id is set to the newest event looked at, about a
 * call or not, so the next page starts after it. A page shorter than
 * @limit ends at the newest event.
 */
GPtrArray *rcrp_store_list_call_changes   (RcrpStore             *self,
                                           gint64                 after_event_id,
                                           guint                  limit,
                                           gint64                *last_event_id,
                                           GError               **error);

/* Marks are a walker's notes on calls (the alert watch's "said at"), kept
 * beside the calls by the store, private to this connection and this
 * process and gone when it closes: a set of them per @marks, a number the
 * walker chooses, so that two walkers do not share notes.
 *
 * Returns: (transfer full) (element-type RcrpWaitingCall): of @grade, the
 * calls awaiting a decision received before @received_before, after
 * @after (NULL: from the first) in order of receipt (then id), at most
 * @limit (> 0), each with its mark in @marks if any. An index holds them
 * in that order, so a page costs the same whatever the backlog.
 */
GArray    *rcrp_store_list_waiting        (RcrpStore             *self,
                                           guint                  marks,
                                           int                    grade,
                                           gint64                 received_before,
                                           const RcrpWaitingCall *after,
                                           guint                  limit,
                                           GError               **error);

/* Returns: (transfer full) (element-type RcrpWaitingCall): the calls
 * marked in @marks with @grade at or before @marked_before, oldest mark
 * first, at most @limit (> 0); decided ones too, flagged, for the walker
 * to clear.
 */
GArray    *rcrp_store_list_marked         (RcrpStore             *self,
                                           guint                  marks,
                                           int                    grade,
                                           gint64                 marked_before,
                                           guint                  limit,
                                           GError               **error);

/* Marks @call_id in @marks, with its @grade, at @marked_at (microseconds
 * since the epoch), replacing its mark if it had one. */
gboolean   rcrp_store_set_mark            (RcrpStore             *self,
                                           guint                  marks,
                                           gint64                 call_id,
                                           int                    grade,
                                           gint64                 marked_at,
                                           GError               **error);

/* Clears the mark of @call_id in @marks, or every mark in @marks for 0. */
gboolean   rcrp_store_clear_marks         (RcrpStore             *self,
                                           guint                  marks,
                                           gint64                 call_id,
                                           GError               **error);

/* As rcrp_store_list_filtered_ids(), through a read-only connection of
 * its own: for a worker thread, so reading a big view holds up nobody
 * using the store meanwhile. Only the first @limit (0: all). Stops with
 * G_IO_ERROR_CANCELLED when @cancellable is.
 */
GArray    *rcrp_store_read_filtered_ids   (RcrpStore             *self,
                                           const RcrpQueueFilter *filter,
                                           guint                  limit,
                                           GCancellable          *cancellable,
                                           GError               **error);

G_END_DECLS

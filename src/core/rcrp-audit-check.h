/* rcrp-audit-check.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rcrp-store.h"

G_BEGIN_DECLS

/* How deep a check of the audit chain goes. */
typedef enum
{
  /* From this workstation's checkpoint, if it has a good one for this
   * log; from the first event otherwise. What the app does at start. */
  RCRP_AUDIT_CHECK_QUICK,
  /* Every event from the first, as well as the checkpoint. */
  RCRP_AUDIT_CHECK_FULL,
} RcrpAuditCheckDepth;

/* Where a check began. */
typedef enum
{
  RCRP_AUDIT_FROM_FIRST_EVENT,    /* no checkpoint for this log (or a full check) */
  RCRP_AUDIT_FROM_CHECKPOINT,     /* from this workstation's checkpoint */
  RCRP_AUDIT_CHECKPOINT_REFUSED,  /* the checkpoint file was not as written: walked from the first */
} RcrpAuditFrom;

typedef struct
{
  RcrpAuditFrom from;
  gint64        from_event_id;    /* the checkpoint's event, 0 from the first */
  gint64        n_events;         /* events walked */
  gint64        head_event_id;    /* the newest event checked, the next checkpoint */
  gint64        broken_event_id;  /* on RCRP_STORE_ERROR_TAMPERED */
  gint64        last_full_check;  /* Unix time of this workstation's last full walk, 0 for never */
  char         *warning;          /* what went wrong with the checkpoint itself, to log; or NULL */
  gint64        n_rows;           /* current-state rows compared with the log (a full check) */
  char         *broken_row;       /* the first that disagrees, as "calls row 12"; or NULL */
} RcrpAuditReport;

void     rcrp_audit_report_clear (RcrpAuditReport *report);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RcrpAuditReport, rcrp_audit_report_clear)

/* Checks the audit chain of @store from this workstation's checkpoint (or
 * the whole of it, for RCRP_AUDIT_CHECK_FULL) and, when it is intact,
 * moves the checkpoint to the newest event.
 *
 * The checkpoint (an event id and its hash) is kept per log in
 * @state_dir/rcrp/audit-checkpoints/ (the user's state folder when NULL),
 * mode 0600, authenticated with HMAC-SHA256 under a key of this
 * workstation's user (@state_dir/rcrp/audit-key, 0600): a checkpoint file
 * that was edited, copied from another log, or written under another key
 * is refused (saying why in @report's warning, for the caller to log) and
 * the chain is walked from the first event.
 * A full check also confirms the checkpoint, so a chain rewritten
 * consistently since it was taken is caught, and then rebuilds the
 * current-state rows from the log (rcrp_audit_state_check()): a row that
 * disagrees is RCRP_STORE_ERROR_TAMPERED with @report's broken_row set.
 *
 * Failing to save the checkpoint is a warning, not an error: the next
 * check walks further. @report starts zeroed (or filled by an earlier
 * check) and is cleared with rcrp_audit_report_clear(). Returns FALSE with the error of
 * rcrp_store_verify_from() (RCRP_STORE_ERROR_TAMPERED on a break).
 * May run on a worker thread.
 */
gboolean rcrp_audit_check (RcrpStore           *store,
                           RcrpAuditCheckDepth  depth,
                           const char          *state_dir,
                           RcrpProgressFunc     progress,
                           gpointer             progress_data,
                           GCancellable        *cancellable,
                           RcrpAuditReport     *report,
                           GError             **error);

G_END_DECLS

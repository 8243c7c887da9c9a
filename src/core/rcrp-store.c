/* rcrp-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rcrp-store.h"

G_DEFINE_QUARK (rcrp-store-error-quark, rcrp_store_error)

G_DEFINE_INTERFACE (RcrpStore, rcrp_store, G_TYPE_OBJECT)

static void
rcrp_store_default_init (RcrpStoreInterface *iface)
{
}

gboolean
rcrp_store_ingest (RcrpStore         *self,
                   const char        *source,
                   GBytes            *document,
                   GPtrArray         *calls,
                   RcrpIngestResult  *result,
                   GError           **error)
{
  RcrpIngestResult ignored;

  g_return_val_if_fail (RCRP_IS_STORE (self), FALSE);
  g_return_val_if_fail (source != NULL, FALSE);
  g_return_val_if_fail (document != NULL, FALSE);
  g_return_val_if_fail (calls != NULL, FALSE);

  return RCRP_STORE_GET_IFACE (self)->ingest (self, source, document, calls,
                                              result != NULL ? result : &ignored,
                                              error);
}

GArray *
rcrp_store_list_queue_ids (RcrpStore  *self,
                           GError    **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), NULL);

  return RCRP_STORE_GET_IFACE (self)->list_queue_ids (self, error);
}

GPtrArray *
rcrp_store_get_calls_by_id (RcrpStore     *self,
                            const gint64  *ids,
                            guint          n_ids,
                            GError       **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), NULL);
  g_return_val_if_fail (ids != NULL || n_ids == 0, NULL);

  return RCRP_STORE_GET_IFACE (self)->get_calls_by_id (self, ids, n_ids, error);
}

RcrpCall *
rcrp_store_get_call (RcrpStore   *self,
                     const char  *cad_ref,
                     GError     **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), NULL);
  g_return_val_if_fail (cad_ref != NULL, NULL);

  return RCRP_STORE_GET_IFACE (self)->get_call (self, cad_ref, error);
}

GPtrArray *
rcrp_store_list_events (RcrpStore  *self,
                        gint64      call_id,
                        GError    **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), NULL);

  return RCRP_STORE_GET_IFACE (self)->list_events (self, call_id, error);
}

GPtrArray *
rcrp_store_list_versions (RcrpStore  *self,
                          gint64      call_id,
                          GError    **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), NULL);

  return RCRP_STORE_GET_IFACE (self)->list_versions (self, call_id, error);
}

gint64
rcrp_store_get_last_event_id (RcrpStore  *self,
                              GError    **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), -1);

  return RCRP_STORE_GET_IFACE (self)->get_last_event_id (self, error);
}

guint64
rcrp_store_get_change_stamp (RcrpStore *self)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), 0);

  return RCRP_STORE_GET_IFACE (self)->get_change_stamp (self);
}

GArray *
rcrp_store_changed_calls (RcrpStore  *self,
                          gint64      after_event_id,
                          gint64     *last_event_id,
                          GError    **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), NULL);
  g_return_val_if_fail (last_event_id != NULL, NULL);

  return RCRP_STORE_GET_IFACE (self)->changed_calls (self, after_event_id,
                                                     last_event_id, error);
}

gboolean
rcrp_store_verify (RcrpStore  *self,
                   gint64     *n_events,
                   gint64     *broken_event_id,
                   GError    **error)
{
  return rcrp_store_verify_full (self, NULL, NULL, NULL, n_events, broken_event_id, error);
}

gboolean
rcrp_store_verify_full (RcrpStore         *self,
                        RcrpProgressFunc   progress,
                        gpointer           progress_data,
                        GCancellable      *cancellable,
                        gint64            *n_events,
                        gint64            *broken_event_id,
                        GError           **error)
{
  gint64 ignored_count, ignored_id;

  g_return_val_if_fail (RCRP_IS_STORE (self), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);

  return RCRP_STORE_GET_IFACE (self)->verify (self, progress, progress_data, cancellable,
                                              n_events != NULL ? n_events : &ignored_count,
                                              broken_event_id != NULL ? broken_event_id : &ignored_id,
                                              error);
}

gboolean
rcrp_store_verify_from (RcrpStore         *self,
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
  gint64 ignored_count, ignored_id, ignored_head;
  g_autofree char *ignored_hash = NULL;

  g_return_val_if_fail (RCRP_IS_STORE (self), FALSE);
  g_return_val_if_fail (after_event_id >= 0, FALSE);
  g_return_val_if_fail (after_event_id == 0 || after_hash != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);

  return RCRP_STORE_GET_IFACE (self)->verify_from (self, after_event_id, after_hash,
                                                   progress, progress_data, cancellable,
                                                   n_events != NULL ? n_events : &ignored_count,
                                                   head_event_id != NULL ? head_event_id : &ignored_head,
                                                   head_hash != NULL ? head_hash : &ignored_hash,
                                                   broken_event_id != NULL ? broken_event_id : &ignored_id,
                                                   error);
}

char *
rcrp_store_dup_log_identity (RcrpStore  *self,
                             GError    **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), NULL);

  return RCRP_STORE_GET_IFACE (self)->dup_log_identity (self, error);
}

gint64
rcrp_store_record_decision (RcrpStore     *self,
                            RcrpDecision  *decision,
                            GError       **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), -1);
  g_return_val_if_fail (RCRP_IS_DECISION (decision), -1);

  /* Checked here, below every user interface, so no front end can skip it. */
  if (!rcrp_decision_validate (decision, error))
    return -1;

  return RCRP_STORE_GET_IFACE (self)->record_decision (self, decision, error);
}

GPtrArray *
rcrp_store_list_decisions (RcrpStore  *self,
                           gint64      call_id,
                           GError    **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), NULL);

  return RCRP_STORE_GET_IFACE (self)->list_decisions (self, call_id, error);
}

void
rcrp_triage_draft_free (RcrpTriageDraft *draft)
{
  if (draft == NULL)
    return;

  g_free (draft->answers_json);
  g_free (draft->rules_version);
  g_free (draft->operator_name);
  g_free (draft->workstation);
  g_free (draft->session);
  g_clear_pointer (&draft->updated_at, g_date_time_unref);
  g_free (draft);
}

gboolean
rcrp_store_save_draft (RcrpStore   *self,
                       gint64       call_id,
                       const char  *session,
                       GTimeSpan    lapse,
                       const char  *answers_json,
                       const char  *rules_version,
                       GError     **error)
{
  g_autoptr(RcrpTriageAnswers) answers = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (RCRP_IS_STORE (self), FALSE);
  g_return_val_if_fail (session != NULL, FALSE);
  g_return_val_if_fail (answers_json != NULL, FALSE);

  /* Only what a decision could carry is kept. */
  answers = rcrp_triage_answers_new_from_json (answers_json, &local_error);
  if (answers == NULL)
    {
      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_INVALID,
                   _("The checklist answers were not kept: %s"), local_error->message);
      return FALSE;
    }

  return RCRP_STORE_GET_IFACE (self)->save_draft (self, call_id, session,
                                                  lapse > 0 ? lapse : RCRP_DECISION_DEFAULT_CLAIM_LAPSE,
                                                  answers_json, rules_version, error);
}

RcrpTriageDraft *
rcrp_store_get_draft (RcrpStore  *self,
                      gint64      call_id,
                      GError    **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), NULL);

  return RCRP_STORE_GET_IFACE (self)->get_draft (self, call_id, error);
}

GPtrArray *
rcrp_store_list_call_changes (RcrpStore  *self,
                              gint64      after_event_id,
                              guint       limit,
                              gint64     *last_event_id,
                              GError    **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), NULL);
  g_return_val_if_fail (last_event_id != NULL, NULL);

  return RCRP_STORE_GET_IFACE (self)->list_call_changes (self, after_event_id, limit, last_event_id, error);
}

GArray *
rcrp_store_list_waiting (RcrpStore              *self,
                         guint                   marks,
                         int                     grade,
                         gint64                  received_before,
                         const RcrpWaitingCall  *after,
                         guint                   limit,
                         GError                **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), NULL);
  g_return_val_if_fail (limit > 0, NULL);

  return RCRP_STORE_GET_IFACE (self)->list_waiting (self, marks, grade, received_before, after, limit, error);
}

GArray *
rcrp_store_list_marked (RcrpStore  *self,
                        guint       marks,
                        int         grade,
                        gint64      marked_before,
                        guint       limit,
                        GError    **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), NULL);
  g_return_val_if_fail (limit > 0, NULL);

  return RCRP_STORE_GET_IFACE (self)->list_marked (self, marks, grade, marked_before, limit, error);
}

gboolean
rcrp_store_set_mark (RcrpStore  *self,
                     guint       marks,
                     gint64      call_id,
                     int         grade,
                     gint64      marked_at,
                     GError    **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), FALSE);

  return RCRP_STORE_GET_IFACE (self)->set_mark (self, marks, call_id, grade, marked_at, error);
}

gboolean
rcrp_store_clear_marks (RcrpStore  *self,
                        guint       marks,
                        gint64      call_id,
                        GError    **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), FALSE);

  return RCRP_STORE_GET_IFACE (self)->clear_marks (self, marks, call_id, error);
}

GArray *
rcrp_store_read_filtered_ids (RcrpStore              *self,
                              const RcrpQueueFilter  *filter,
                              guint                   limit,
                              GCancellable           *cancellable,
                              GError                **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), NULL);
  g_return_val_if_fail (filter != NULL, NULL);

  return RCRP_STORE_GET_IFACE (self)->read_filtered_ids (self, filter, limit, cancellable, error);
}

void
rcrp_call_change_free (RcrpCallChange *change)
{
  if (change == NULL)
    return;

  g_free (change->kind);
  g_free (change);
}

void
rcrp_claim_free (RcrpClaim *claim)
{
  if (claim == NULL)
    return;

  g_free (claim->operator_name);
  g_free (claim->workstation);
  g_free (claim->session);
  g_clear_pointer (&claim->since, g_date_time_unref);
  g_clear_pointer (&claim->seen, g_date_time_unref);
  g_free (claim);
}

gboolean
rcrp_store_claim_call (RcrpStore   *self,
                       gint64       call_id,
                       const char  *session,
                       GTimeSpan    lapse,
                       gboolean     take_over,
                       RcrpClaim  **holder,
                       GError     **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), FALSE);
  g_return_val_if_fail (session != NULL, FALSE);

  if (holder != NULL)
    *holder = NULL;

  return RCRP_STORE_GET_IFACE (self)->claim_call (self, call_id, session, lapse, take_over, holder, error);
}

RcrpClaim *
rcrp_store_get_claim (RcrpStore  *self,
                      gint64      call_id,
                      GError    **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), NULL);

  return RCRP_STORE_GET_IFACE (self)->get_claim (self, call_id, error);
}

gboolean
rcrp_store_release_claims (RcrpStore   *self,
                           const char  *session,
                           GError     **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), FALSE);
  g_return_val_if_fail (session != NULL, FALSE);

  return RCRP_STORE_GET_IFACE (self)->release_claims (self, session, error);
}

static const struct {
  const char *string;
  const char *label;
} referral_states[] = {
  [RCRP_REFERRAL_PENDING]   = { "pending",   N_("Waiting for the agency") },
  [RCRP_REFERRAL_ACCEPTED]  = { "accepted",  N_("Accepted") },
  [RCRP_REFERRAL_DECLINED]  = { "declined",  N_("Declined") },
  [RCRP_REFERRAL_WITHDRAWN] = { "withdrawn", N_("Withdrawn") },
};

const char *
rcrp_referral_state_to_string (RcrpReferralState state)
{
  g_return_val_if_fail (state <= RCRP_REFERRAL_WITHDRAWN, NULL);
  return referral_states[state].string;
}

const char *
rcrp_referral_state_get_label (RcrpReferralState state)
{
  g_return_val_if_fail (state <= RCRP_REFERRAL_WITHDRAWN, NULL);
  return g_dgettext (GETTEXT_PACKAGE, referral_states[state].label);
}

void
rcrp_referral_free (RcrpReferral *referral)
{
  if (referral == NULL)
    return;

  g_free (referral->cad_ref);
  g_free (referral->agency_id);
  g_clear_pointer (&referral->referred_at, g_date_time_unref);
  g_clear_pointer (&referral->due_at, g_date_time_unref);
  g_clear_pointer (&referral->responded_at, g_date_time_unref);
  g_free (referral->responded_by);
  g_free (referral->reason);
  g_free (referral);
}

gboolean
rcrp_store_import_agencies (RcrpStore   *self,
                            GPtrArray   *agencies,
                            const char  *source,
                            GError     **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), FALSE);
  g_return_val_if_fail (agencies != NULL && agencies->len > 0, FALSE);

  return RCRP_STORE_GET_IFACE (self)->import_agencies (self, agencies, source, error);
}

GPtrArray *
rcrp_store_list_agencies (RcrpStore  *self,
                          GError    **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), NULL);

  return RCRP_STORE_GET_IFACE (self)->list_agencies (self, error);
}

gint64
rcrp_store_set_agency_state (RcrpStore         *self,
                             const char        *agency_id,
                             RcrpAgencyStatus   status,
                             int                capacity,
                             int                eta_minutes,
                             const char        *note,
                             GError           **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), -1);
  g_return_val_if_fail (agency_id != NULL, -1);

  return RCRP_STORE_GET_IFACE (self)->set_agency_state (self, agency_id, status, capacity,
                                                        eta_minutes, note, error);
}

GPtrArray *
rcrp_store_list_referrals (RcrpStore  *self,
                           gint64      call_id,
                           gboolean    pending_only,
                           GError    **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), NULL);

  return RCRP_STORE_GET_IFACE (self)->list_referrals (self, call_id, pending_only, error);
}

GPtrArray *
rcrp_store_list_pending_referrals (RcrpStore  *self,
                                   GDateTime  *due_since,
                                   GError    **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), NULL);
  g_return_val_if_fail (due_since != NULL, NULL);

  return RCRP_STORE_GET_IFACE (self)->list_pending_referrals (self, due_since, error);
}

gint64
rcrp_store_respond_to_referral (RcrpStore   *self,
                                gint64       decision_event_id,
                                gboolean     accepted,
                                const char  *reason,
                                GError     **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), -1);

  return RCRP_STORE_GET_IFACE (self)->respond_to_referral (self, decision_event_id, accepted, reason, error);
}

gint64
rcrp_store_undo_decision (RcrpStore  *self,
                          gint64      decision_event_id,
                          GError    **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), -1);

  return RCRP_STORE_GET_IFACE (self)->undo_decision (self, decision_event_id, error);
}

RcrpAppeal *
rcrp_store_lodge_appeal (RcrpStore      *self,
                         gint64          call_id,
                         RcrpAppellant   appellant,
                         const char     *appellant_name,
                         const char     *grounds,
                         GError        **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), NULL);

  return RCRP_STORE_GET_IFACE (self)->lodge_appeal (self, call_id, appellant, appellant_name, grounds, error);
}

RcrpAppeal *
rcrp_store_resolve_appeal (RcrpStore     *self,
                           const char    *reference,
                           RcrpDecision  *overturn,
                           const char    *rationale,
                           GError       **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), NULL);
  g_return_val_if_fail (reference != NULL, NULL);

  return RCRP_STORE_GET_IFACE (self)->resolve_appeal (self, reference, overturn, rationale, error);
}

GPtrArray *
rcrp_store_list_appeals (RcrpStore  *self,
                         gint64      call_id,
                         gboolean    open_only,
                         GError    **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), NULL);

  return RCRP_STORE_GET_IFACE (self)->list_appeals (self, call_id, open_only, error);
}

RcrpDispute *
rcrp_store_add_dispute (RcrpStore          *self,
                        RcrpDisputeKind     kind,
                        const char         *raised_by,
                        const char         *summary,
                        const char * const *cad_refs,
                        GError            **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), NULL);

  return RCRP_STORE_GET_IFACE (self)->add_dispute (self, kind, raised_by, summary, cad_refs, error);
}

RcrpDispute *
rcrp_store_set_dispute_state (RcrpStore         *self,
                              const char        *reference,
                              RcrpDisputeState   state,
                              const char        *learning,
                              GError           **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), NULL);
  g_return_val_if_fail (reference != NULL, NULL);

  return RCRP_STORE_GET_IFACE (self)->set_dispute_state (self, reference, state, learning, error);
}

GPtrArray *
rcrp_store_list_disputes (RcrpStore  *self,
                          int         state,
                          int         kind,
                          GError    **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), NULL);

  return RCRP_STORE_GET_IFACE (self)->list_disputes (self, state, kind, error);
}

void
rcrp_referral_counts_free (RcrpReferralCounts *counts)
{
  if (counts == NULL)
    return;

  g_free (counts->agency_id);
  g_free (counts);
}

gboolean
rcrp_store_foreach_summary_row (RcrpStore          *self,
                                GDateTime          *from,
                                GDateTime          *to,
                                gboolean            include_personal,
                                RcrpSummaryRowFunc  func,
                                gpointer            user_data,
                                GCancellable       *cancellable,
                                GError            **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), FALSE);
  g_return_val_if_fail (from != NULL && to != NULL && func != NULL, FALSE);

  return RCRP_STORE_GET_IFACE (self)->foreach_summary_row (self, from, to, include_personal, func, user_data,
                                                           cancellable, error);
}

gboolean
rcrp_store_foreach_summary_count (RcrpStore          *self,
                                  GDateTime          *from,
                                  GDateTime          *to,
                                  RcrpSummaryRowFunc  func,
                                  gpointer            user_data,
                                  GCancellable       *cancellable,
                                  GError            **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), FALSE);
  g_return_val_if_fail (from != NULL && to != NULL && func != NULL, FALSE);

  return RCRP_STORE_GET_IFACE (self)->foreach_summary_count (self, from, to, func, user_data, cancellable, error);
}

gboolean
rcrp_store_decision_minutes (RcrpStore     *self,
                             GDateTime     *from,
                             GDateTime     *to,
                             const double  *fractions,
                             guint          n_fractions,
                             double        *values,
                             double        *max,
                             gint64        *count,
                             GError       **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), FALSE);

  return RCRP_STORE_GET_IFACE (self)->decision_minutes (self, from, to, fractions, n_fractions, values, max,
                                                        count, error);
}

GPtrArray *
rcrp_store_referral_counts (RcrpStore  *self,
                            GDateTime  *from,
                            GDateTime  *to,
                            GError    **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), NULL);

  return RCRP_STORE_GET_IFACE (self)->referral_counts (self, from, to, error);
}

gboolean
rcrp_store_escalation_counts (RcrpStore             *self,
                              GDateTime             *from,
                              GDateTime             *to,
                              RcrpEscalationCounts  *counts,
                              GError               **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), FALSE);

  return RCRP_STORE_GET_IFACE (self)->escalation_counts (self, from, to, counts, error);
}

gint64
rcrp_store_log_export (RcrpStore   *self,
                       GDateTime   *from,
                       GDateTime   *to,
                       const char  *format,
                       gboolean     include_personal,
                       const char  *destination,
                       GError     **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), -1);

  return RCRP_STORE_GET_IFACE (self)->log_export (self, from, to, format, include_personal, destination, error);
}

void
rcrp_user_free (RcrpUser *user)
{
  if (user == NULL)
    return;

  g_free (user->os_user);
  g_free (user->display_name);
  g_free (user->added_by);
  g_clear_pointer (&user->added_at, g_date_time_unref);
  g_free (user);
}

RcrpRole
rcrp_store_get_role (RcrpStore  *self,
                     GError    **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), RCRP_ROLE_NONE);

  return RCRP_STORE_GET_IFACE (self)->get_role (self, error);
}

gboolean
rcrp_store_check_permission (RcrpStore       *self,
                             RcrpPermission   permission,
                             GError         **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), FALSE);
  g_return_val_if_fail (permission < RCRP_N_PERMISSIONS, FALSE);

  return RCRP_STORE_GET_IFACE (self)->check_permission (self, permission, error);
}

gboolean
rcrp_store_add_user (RcrpStore   *self,
                     const char  *os_user,
                     RcrpRole     role,
                     const char  *display_name,
                     GError     **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), FALSE);
  g_return_val_if_fail (os_user != NULL, FALSE);

  return RCRP_STORE_GET_IFACE (self)->add_user (self, os_user, role, display_name, error);
}

gboolean
rcrp_store_remove_user (RcrpStore   *self,
                        const char  *os_user,
                        GError     **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), FALSE);
  g_return_val_if_fail (os_user != NULL, FALSE);

  return RCRP_STORE_GET_IFACE (self)->remove_user (self, os_user, error);
}

GPtrArray *
rcrp_store_list_users (RcrpStore  *self,
                       GError    **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), NULL);

  return RCRP_STORE_GET_IFACE (self)->list_users (self, error);
}

GPtrArray *
rcrp_store_apply_retention (RcrpStore  *self,
                            int         days,
                            gboolean    dry_run,
                            GError    **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), NULL);
  g_return_val_if_fail (days >= 1, NULL);

  return RCRP_STORE_GET_IFACE (self)->apply_retention (self, days, dry_run, error);
}

static const struct {
  const char *string;
  const char *label;
} queue_views[] = {
  [RCRP_QUEUE_VIEW_OPEN]                = { "open",                N_("Open") },
  [RCRP_QUEUE_VIEW_MINE]                = { "mine",                N_("Mine") },
  [RCRP_QUEUE_VIEW_AWAITING_SUPERVISOR] = { "awaiting-supervisor", N_("Awaiting supervisor") },
  [RCRP_QUEUE_VIEW_TODAY]               = { "today",               N_("Today") },
  [RCRP_QUEUE_VIEW_ALL]                 = { "all",                 N_("All") },
};

const char *
rcrp_queue_view_to_string (RcrpQueueView view)
{
  g_return_val_if_fail (view < RCRP_N_QUEUE_VIEWS, NULL);
  return queue_views[view].string;
}

gboolean
rcrp_queue_view_from_string (const char    *string,
                             RcrpQueueView *view)
{
  for (guint i = 0; i < RCRP_N_QUEUE_VIEWS; i++)
    {
      if (g_strcmp0 (string, queue_views[i].string) == 0)
        {
          *view = i;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
rcrp_queue_view_get_label (RcrpQueueView view)
{
  g_return_val_if_fail (view < RCRP_N_QUEUE_VIEWS, NULL);
  return g_dgettext (GETTEXT_PACKAGE, queue_views[view].label);
}

RcrpQueueFilter *
rcrp_queue_filter_new (void)
{
  RcrpQueueFilter *filter = g_new0 (RcrpQueueFilter, 1);

  filter->view = RCRP_QUEUE_VIEW_ALL;
  filter->category = -1;

  return filter;
}

RcrpQueueFilter *
rcrp_queue_filter_copy (const RcrpQueueFilter *filter)
{
  RcrpQueueFilter *copy = g_memdup2 (filter, sizeof *filter);

  copy->text = g_strdup (filter->text);
  if (filter->today_start != NULL)
    copy->today_start = g_date_time_ref (filter->today_start);

  return copy;
}

void
rcrp_queue_filter_free (RcrpQueueFilter *filter)
{
  if (filter == NULL)
    return;

  g_free (filter->text);
  g_clear_pointer (&filter->today_start, g_date_time_unref);
  g_free (filter);
}

GArray *
rcrp_store_list_filtered_ids (RcrpStore             *self,
                              const RcrpQueueFilter *filter,
                              GError               **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), NULL);
  g_return_val_if_fail (filter != NULL, NULL);

  return RCRP_STORE_GET_IFACE (self)->list_filtered_ids (self, filter, error);
}

gboolean
rcrp_store_count_views (RcrpStore             *self,
                        const RcrpQueueFilter *filter,
                        guint                 *counts,
                        GError               **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), FALSE);
  g_return_val_if_fail (filter != NULL && counts != NULL, FALSE);

  return RCRP_STORE_GET_IFACE (self)->count_views (self, filter, counts, error);
}

GArray *
rcrp_store_get_queue_keys (RcrpStore             *self,
                           const RcrpQueueFilter *filter,
                           const gint64          *ids,
                           guint                  n_ids,
                           GError               **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), NULL);
  g_return_val_if_fail (ids != NULL || n_ids == 0, NULL);

  return RCRP_STORE_GET_IFACE (self)->get_queue_keys (self, filter, ids, n_ids, error);
}

#define COMPARE_UP(field) if (a->field != b->field) return a->field < b->field ? -1 : 1
#define COMPARE_DOWN(field) if (a->field != b->field) return a->field > b->field ? -1 : 1

int
rcrp_queue_key_compare (const RcrpQueueKey *a,
                        const RcrpQueueKey *b)
{
  COMPARE_DOWN (on_hold);
  COMPARE_UP (decided);
  COMPARE_UP (decided_rank);
  COMPARE_UP (grade);
  COMPARE_DOWN (threshold_risks);
  COMPARE_UP (received_at);
  COMPARE_UP (id);

  return 0;
}

#undef COMPARE_UP
#undef COMPARE_DOWN

gint64
rcrp_store_log_call_viewed (RcrpStore   *self,
                            gint64       call_id,
                            const char  *how,
                            GError     **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), -1);
  g_return_val_if_fail (call_id > 0, -1);
  g_return_val_if_fail (how != NULL, -1);

  return RCRP_STORE_GET_IFACE (self)->log_call_viewed (self, call_id, how, error);
}

gboolean
rcrp_store_read_audit_rows (RcrpStore         *self,
                            RcrpAuditRowFunc   func,
                            gpointer           user_data,
                            GCancellable      *cancellable,
                            GError           **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);

  if (RCRP_STORE_GET_IFACE (self)->read_audit_rows == NULL)
    {
      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_FAILED,
                   _("This store cannot be checked against its log."));
      return FALSE;
    }

  return RCRP_STORE_GET_IFACE (self)->read_audit_rows (self, func, user_data, cancellable, error);
}

gboolean
rcrp_store_read_signed_heads (RcrpStore         *self,
                              RcrpAuditRowFunc   func,
                              gpointer           user_data,
                              GCancellable      *cancellable,
                              GError           **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);

  if (RCRP_STORE_GET_IFACE (self)->read_signed_heads == NULL)
    {
      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_FAILED,
                   _("This store keeps no signatures of its appends."));
      return FALSE;
    }

  return RCRP_STORE_GET_IFACE (self)->read_signed_heads (self, func, user_data, cancellable, error);
}

char *
rcrp_store_dup_event_hash (RcrpStore  *self,
                           gint64      event_id,
                           GError    **error)
{
  g_return_val_if_fail (RCRP_IS_STORE (self), NULL);

  if (RCRP_STORE_GET_IFACE (self)->dup_event_hash == NULL)
    {
      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_FAILED,
                   _("This store cannot be checked against checkpoints."));
      return NULL;
    }

  return RCRP_STORE_GET_IFACE (self)->dup_event_hash (self, event_id, error);
}

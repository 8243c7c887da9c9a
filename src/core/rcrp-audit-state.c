/* rcrp-audit-state.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "rcrp-agency.h"
#include "rcrp-audit-state.h"
#include "rcrp-call.h"
#include "rcrp-feed.h"
#include "rcrp-text.h"

/* The rule of what each current-state row should be, given the events.
 * The store writes these rows alongside each event for the queue's and
 * the summaries' sake; here they are derived again from the log alone, in
 * the same steps, so a row edited by hand (a call marked decided to take
 * it out of the queue, a new administrator, a decision made to look
 * undone) no longer agrees with the record.
 */

typedef struct
{
  gint64  event_id;
  gint64  at;
  char   *outcome;
  char   *agency;
  char   *operator_name;
} Decision;

typedef struct
{
  gint64     call_id;
  gint64     received_event_id;  /* its first version's event; 0 if the log has none */
  guint      n_versions;
  gint64     current_version;    /* the version id its newest version event names, 0 if none */
  char      *current_hash;       /* and that version's content hash */
  const char *status;
  GArray    *decisions;          /* of Decision, in order */
  gboolean   on_hold;
  gint64     erased_event_id;
  gint64     erased_at;
  gint64     first_decided_at;   /* for the summaries' response times; 0 if none */
  gboolean   row_seen;
  gboolean   indexed;            /* its call_search row was seen */
  char      *appeal_state;       /* its latest appeal's state, NULL if none */
  GPtrArray *referrals;          /* of Referral, its own, oldest first (not owned) */

  /* Who works it now, as its claim events leave it. */
  gboolean   claimed;
  gint64     claim_event_id;
  gint64     claim_since;
  char      *claim_operator;
  char      *claim_workstation;
  char      *claim_session;
  gboolean   claim_row_seen;

  /* The current version's fields, from its stored bytes. */
  gboolean   have_current;
  char      *cad_ref;
  char      *category;
  gint64     grade;
  gint64     received_at;
  gint64     risks;
  char      *summary;
  char      *subject_sex;
  char      *subject_ethnicity;
  char      *age_band;
  char      *postcode;
  char      *subject_name;
  char      *caller_name;
} CallState;

typedef struct
{
  gint64  event_id;
  gint64  call_id;
  char   *content_sha256;
  gboolean row_seen;
} VersionState;

typedef struct
{
  char    *role;
  char    *display_name;
  gint64   event_id;
  gboolean row_seen;
} UserState;

typedef struct
{
  gint64   decision_event_id;
  gint64   call_id;
  char    *agency;
  char    *state;
  char    *reason;
  gint64   referred_at;
  gint64   due_at;             /* -1: the agency's target is not in the log */
  gint64   responded_at;       /* 0: no answer */
  char    *responded_by;
  gint64   response_event_id;
  gboolean row_seen;
} Referral;

typedef struct
{
  JsonNode *entry;
  gint64    position;
  gboolean  active;
  int       response_target;   /* minutes; -1 if the entry does not read */
  gint64    event_id;
  gboolean  row_seen;
} Agency;

typedef struct
{
  char    *status;
  gint64   capacity;
  gint64   eta_minutes;
  char    *note;
  char    *operator_name;
  char    *workstation;
  gint64   at;
  gint64   event_id;
  gboolean row_seen;
} AgencyStatus;

typedef struct
{
  gint64   call_id;
  gint64   decision_event_id;
  char    *appealed_outcome;
  char    *appellant;
  char    *appellant_name;     /* NULL if the event names none */
  char    *grounds_sha256;
  gint64   lodged_at;
  char    *lodged_by;
  char    *state;
  gint64   resolved_at;        /* 0: open */
  char    *resolved_by;
  char    *rationale;
  char    *new_outcome;
  gint64   event_id;
  gboolean row_seen;
} Appeal;

typedef struct
{
  char     *kind;
  char     *raised_by;
  char     *summary_sha256;
  JsonNode *cad_refs;
  char     *state;
  gint64    opened_at;
  char     *opened_by;
  gint64    changed_at;
  char     *learning;
  gint64    closed_at;         /* 0: not closed */
  char     *closed_by;
  gint64    event_id;
  gboolean  row_seen;
} Dispute;

typedef struct
{
  GHashTable *calls;        /* call id → CallState */
  GHashTable *versions;     /* "call_id:sha256" → VersionState */
  GHashTable *version_ids;  /* version id → VersionState (events since schema 14 name it) */
  GHashTable *users;        /* os user → UserState */
  GHashTable *undone;       /* decision event id → undo event id */
  GHashTable *undone_seen;  /* decision event ids whose row was seen */
  GHashTable *erased_documents; /* document ids holding an erased call's version */
  GHashTable *referrals;    /* decision event id → Referral */
  GHashTable *agencies;     /* agency id → Agency */
  GHashTable *agency_status; /* agency id → AgencyStatus */
  GHashTable *appeals;      /* reference → Appeal */
  GHashTable *disputes;     /* reference → Dispute */
  GHashTable *claim_sessions; /* "call:session:operator:workstation" → first claim time */
  gint64      n_rows;
  char       *bad_row;
} Replay;

static void
decision_clear (gpointer data)
{
  Decision *decision = data;

  g_free (decision->outcome);
  g_free (decision->agency);
  g_free (decision->operator_name);
}

static void
referral_free (gpointer data)
{
  Referral *referral = data;

  g_free (referral->agency);
  g_free (referral->state);
  g_free (referral->reason);
  g_free (referral->responded_by);
  g_free (referral);
}

static void
agency_free (gpointer data)
{
  Agency *agency = data;

  g_clear_pointer (&agency->entry, json_node_unref);
  g_free (agency);
}

static void
agency_status_free (gpointer data)
{
  AgencyStatus *status = data;

  g_free (status->status);
  g_free (status->note);
  g_free (status->operator_name);
  g_free (status->workstation);
  g_free (status);
}

static void
appeal_free (gpointer data)
{
  Appeal *appeal = data;

  g_free (appeal->appealed_outcome);
  g_free (appeal->appellant);
  g_free (appeal->appellant_name);
  g_free (appeal->grounds_sha256);
  g_free (appeal->lodged_by);
  g_free (appeal->state);
  g_free (appeal->resolved_by);
  g_free (appeal->rationale);
  g_free (appeal->new_outcome);
  g_free (appeal);
}

static void
dispute_free (gpointer data)
{
  Dispute *dispute = data;

  g_free (dispute->kind);
  g_free (dispute->raised_by);
  g_free (dispute->summary_sha256);
  g_clear_pointer (&dispute->cad_refs, json_node_unref);
  g_free (dispute->state);
  g_free (dispute->opened_by);
  g_free (dispute->learning);
  g_free (dispute->closed_by);
  g_free (dispute);
}

static void
call_state_free (gpointer data)
{
  CallState *state = data;

  g_free (state->appeal_state);
  g_ptr_array_unref (state->referrals);
  g_free (state->claim_operator);
  g_free (state->claim_workstation);
  g_free (state->claim_session);
  g_free (state->current_hash);
  g_array_unref (state->decisions);
  g_free (state->cad_ref);
  g_free (state->category);
  g_free (state->summary);
  g_free (state->subject_sex);
  g_free (state->subject_ethnicity);
  g_free (state->age_band);
  g_free (state->postcode);
  g_free (state->subject_name);
  g_free (state->caller_name);
  g_free (state);
}

static void
version_state_free (gpointer data)
{
  VersionState *state = data;

  g_free (state->content_sha256);
  g_free (state);
}

static void
user_state_free (gpointer data)
{
  UserState *state = data;

  g_free (state->role);
  g_free (state->display_name);
  g_free (state);
}

static gint64 *
new_id (gint64 id)
{
  return g_memdup2 (&id, sizeof id);
}

/* A row as the store hands it over. */
typedef struct
{
  const RcrpAuditColumn *columns;
  guint                  n_columns;
} Row;

static const RcrpAuditColumn *
row_column (const Row  *row,
            const char *name)
{
  for (guint i = 0; i < row->n_columns; i++)
    if (g_str_equal (row->columns[i].name, name))
      return &row->columns[i];

  return NULL;
}

static gint64
row_int (const Row  *row,
         const char *name,
         gint64      otherwise)
{
  const RcrpAuditColumn *column = row_column (row, name);

  return column != NULL && column->type == RCRP_AUDIT_VALUE_INT ? column->number : otherwise;
}

/* Returns: (nullable): the text column, NULL when it is NULL. */
static const char *
row_text (const Row  *row,
          const char *name)
{
  const RcrpAuditColumn *column = row_column (row, name);

  return column != NULL && column->type == RCRP_AUDIT_VALUE_TEXT ? column->data : NULL;
}

static const RcrpAuditColumn *
row_bytes (const Row  *row,
           const char *name)
{
  const RcrpAuditColumn *column = row_column (row, name);

  return column != NULL && column->type == RCRP_AUDIT_VALUE_BYTES ? column : NULL;
}

static CallState *
call_state (Replay *replay,
            gint64  call_id)
{
  CallState *state = g_hash_table_lookup (replay->calls, &call_id);

  if (state == NULL)
    {
      state = g_new0 (CallState, 1);
      state->call_id = call_id;
      state->status = "new";
      state->referrals = g_ptr_array_new ();
      state->decisions = g_array_new (FALSE, TRUE, sizeof (Decision));
      g_array_set_clear_func (state->decisions, decision_clear);
      g_hash_table_insert (replay->calls, new_id (call_id), state);
    }

  return state;
}

static const Decision *
latest_decision (Replay    *replay,
                 CallState *state)
{
  for (guint i = state->decisions->len; i > 0; i--)
    {
      const Decision *decision = &g_array_index (state->decisions, Decision, i - 1);

      if (!g_hash_table_contains (replay->undone, &decision->event_id))
        return decision;
    }

  return NULL;
}

static gboolean
disagrees (Replay      *replay,
           GError     **error,
           const char  *row,
           const char  *format,
           ...) G_GNUC_PRINTF (4, 5);

static gboolean
disagrees (Replay      *replay,
           GError     **error,
           const char  *row,
           const char  *format,
           ...)
{
  g_autofree char *problem = NULL;
  g_autofree char *safe_problem = NULL;
  va_list args;

  va_start (args, format);
  problem = g_strdup_vprintf (format, args);
  va_end (args);

  /* Whoever edited the row chose its text: never let it reach a
   * terminal or a log as control characters. */
  g_free (replay->bad_row);
  replay->bad_row = rcrp_text_escape_controls (row, -1, RCRP_ESCAPE_DEFAULT);
  safe_problem = rcrp_text_escape_controls (problem, -1, RCRP_ESCAPE_DEFAULT);
  g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_TAMPERED,
               _("The %s disagrees with the audit log: %s. It was changed outside the program, "
                 "or the log was cut or rewritten."),
               replay->bad_row, safe_problem);
  return FALSE;
}

static JsonObject *
parse_payload (const char *payload,
               JsonParser *parser)
{
  JsonNode *root;

  if (payload == NULL || !json_parser_load_from_data (parser, payload, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);

  return root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
}

static gint64
member_int (JsonObject *object,
            const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64
    ? json_node_get_int (node) : 0;
}

static const char *
member_text (JsonObject *object,
             const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
    ? json_node_get_string (node) : NULL;
}

static void
replace_text (char       **field,
              const char  *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

static void
referral_set (Referral   *referral,
              const char *state,
              const char *reason)
{
  replace_text (&referral->state, state);
  replace_text (&referral->reason, reason);
}

/* A decision withdraws the call's waiting referral and, if it refers, makes
 * one, due when the agency's response target, as the directory then in
 * force gave it, runs out. */
static void
replay_referrals_on_decision (Replay           *replay,
                              CallState        *state,
                              const Decision   *decision)
{
  Referral *referral;
  Agency *agency;

  for (guint i = 0; i < state->referrals->len; i++)
    {
      Referral *open = g_ptr_array_index (state->referrals, i);

      if (g_strcmp0 (open->state, "pending") == 0)
        referral_set (open, "withdrawn", "superseded");
    }

  if (g_strcmp0 (decision->outcome, "referred") != 0)
    return;

  referral = g_new0 (Referral, 1);
  referral->decision_event_id = decision->event_id;
  referral->call_id = state->call_id;
  referral->agency = g_strdup (decision->agency);
  referral->state = g_strdup ("pending");
  referral->referred_at = decision->at;
  agency = decision->agency != NULL ? g_hash_table_lookup (replay->agencies, decision->agency) : NULL;
  referral->due_at = agency != NULL && agency->response_target >= 0
    ? decision->at + agency->response_target * G_TIME_SPAN_MINUTE : -1;
  g_hash_table_replace (replay->referrals, new_id (decision->event_id), referral);
  g_ptr_array_add (state->referrals, referral);
}

static void
replay_directory (Replay     *replay,
                  gint64      event_id,
                  JsonObject *payload)
{
  JsonNode *list = payload != NULL ? json_object_get_member (payload, "agencies") : NULL;
  GHashTableIter iter;
  gpointer value;

  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    return;

  g_hash_table_iter_init (&iter, replay->agencies);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    ((Agency *) value)->active = FALSE;

  for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
    {
      JsonNode *entry = json_array_get_element (json_node_get_array (list), i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (entry) ? json_node_get_object (entry) : NULL;
      const char *id = member_text (object, "id");
      g_autoptr(RcrpAgency) parsed = NULL;
      Agency *agency;

      if (id == NULL)
        continue;
      agency = g_hash_table_lookup (replay->agencies, id);
      if (agency == NULL)
        {
          agency = g_new0 (Agency, 1);
          g_hash_table_insert (replay->agencies, g_strdup (id), agency);
        }
      g_clear_pointer (&agency->entry, json_node_unref);
      agency->entry = json_node_copy (entry);
      agency->position = i;
      agency->active = TRUE;
      agency->event_id = event_id;
      parsed = rcrp_agency_entry_from_json (entry, "", NULL);
      agency->response_target = parsed != NULL ? rcrp_agency_get_response_target (parsed) : -1;
    }
}

static void
replay_agency_status (Replay     *replay,
                      const Row  *row,
                      JsonObject *payload)
{
  const char *id = member_text (payload, "agency");
  AgencyStatus *status;

  if (id == NULL)
    return;
  status = g_hash_table_lookup (replay->agency_status, id);
  if (status == NULL)
    {
      status = g_new0 (AgencyStatus, 1);
      g_hash_table_insert (replay->agency_status, g_strdup (id), status);
    }
  replace_text (&status->status, member_text (payload, "status"));
  status->capacity = member_int (payload, "capacity");
  status->eta_minutes = member_int (payload, "eta_minutes");
  replace_text (&status->note, member_text (payload, "note"));
  replace_text (&status->operator_name, row_text (row, "operator"));
  replace_text (&status->workstation, row_text (row, "workstation"));
  status->at = row_int (row, "at", 0);
  status->event_id = row_int (row, "id", 0);
}

static void
replay_dispute (Replay     *replay,
                const Row  *row,
                const char *kind,
                JsonObject *payload)
{
  const char *reference = member_text (payload, "reference");
  gint64 at = row_int (row, "at", 0);
  Dispute *dispute;

  if (reference == NULL)
    return;
  dispute = g_hash_table_lookup (replay->disputes, reference);

  if (g_str_equal (kind, "dispute.added"))
    {
      JsonNode *refs = json_object_get_member (payload, "cad_refs");

      if (dispute == NULL)
        {
          dispute = g_new0 (Dispute, 1);
          g_hash_table_insert (replay->disputes, g_strdup (reference), dispute);
        }
      replace_text (&dispute->kind, member_text (payload, "kind"));
      replace_text (&dispute->raised_by, member_text (payload, "raised_by"));
      replace_text (&dispute->summary_sha256, member_text (payload, "summary_sha256"));
      g_clear_pointer (&dispute->cad_refs, json_node_unref);
      dispute->cad_refs = refs != NULL ? json_node_copy (refs) : NULL;
      replace_text (&dispute->state, "open");
      dispute->opened_at = dispute->changed_at = at;
      replace_text (&dispute->opened_by, row_text (row, "operator"));
      dispute->event_id = row_int (row, "id", 0);
      return;
    }

  if (dispute == NULL)
    return;
  dispute->event_id = row_int (row, "id", 0);
  dispute->changed_at = at;
  replace_text (&dispute->state, member_text (payload, "state"));
  if (g_str_equal (kind, "dispute.closed"))
    {
      replace_text (&dispute->learning, member_text (payload, "learning"));
      dispute->closed_at = at;
      replace_text (&dispute->closed_by, row_text (row, "operator"));
    }
  else
    {
      dispute->closed_at = 0;
      g_clear_pointer (&dispute->closed_by, g_free);
    }
}

/* The events, in order: each one's effect on the rows, as the store
 * makes it in the same transaction. */
static gboolean
replay_event (Replay    *replay,
              const Row *row,
              GError   **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gint64 id = row_int (row, "id", 0);
  gint64 at = row_int (row, "at", 0);
  gint64 call_id = row_int (row, "call_id", 0);
  const char *kind = row_text (row, "kind");
  JsonObject *payload;

  if (kind == NULL)
    return TRUE;

  payload = parse_payload (row_text (row, "payload"), parser);

  if (g_str_equal (kind, "call.received") || g_str_equal (kind, "call.updated"))
    {
      CallState *state = call_state (replay, call_id);
      const char *hash = member_text (payload, "content_sha256");
      gint64 version_id = member_int (payload, "version_id");
      VersionState *version;

      if (state->n_versions == 0)
        state->received_event_id = id;
      state->n_versions++;
      state->status = state->n_versions > 1 ? "updated" : state->status;
      state->current_version = version_id;
      g_free (state->current_hash);
      state->current_hash = g_strdup (hash);

      if (hash != NULL)
        {
          version = g_new0 (VersionState, 1);
          version->event_id = id;
          version->call_id = call_id;
          version->content_sha256 = g_strdup (hash);
          g_hash_table_replace (replay->versions,
                                g_strdup_printf ("%" G_GINT64_FORMAT ":%s", call_id, hash), version);
          if (version_id > 0)
            g_hash_table_replace (replay->version_ids, new_id (version_id), version);
        }
    }
  else if (g_str_equal (kind, "call.decided"))
    {
      CallState *state = call_state (replay, call_id);
      Decision decision = {
        id, at, g_strdup (member_text (payload, "outcome")), g_strdup (member_text (payload, "agency")),
        g_strdup (row_text (row, "operator")),
      };

      g_array_append_val (state->decisions, decision);
      state->status = "decided";
      if (state->first_decided_at == 0)
        state->first_decided_at = at;
      replay_referrals_on_decision (replay, state,
                                    &g_array_index (state->decisions, Decision, state->decisions->len - 1));
    }
  else if (g_str_equal (kind, "call.decision_undone"))
    {
      CallState *state = call_state (replay, call_id);

      gint64 decision_id = member_int (payload, "decision_event_id");
      Referral *referral = g_hash_table_lookup (replay->referrals, &decision_id);
      const Decision *latest;

      g_hash_table_replace (replay->undone, new_id (decision_id), new_id (id));
      if (referral != NULL && g_strcmp0 (referral->state, "pending") == 0)
        referral_set (referral, "withdrawn", "undone");

      /* The store takes the earliest of the decisions still standing. */
      state->first_decided_at = 0;
      for (guint i = 0; i < state->decisions->len; i++)
        {
          const Decision *standing = &g_array_index (state->decisions, Decision, i);

          if (!g_hash_table_contains (replay->undone, &standing->event_id) &&
              (state->first_decided_at == 0 || standing->at < state->first_decided_at))
            state->first_decided_at = standing->at;
        }

      /* The decision before comes back, and the referral it made waits
       * for its answer again. */
      latest = latest_decision (replay, state);
      if (latest != NULL)
        {
          Referral *earlier = g_hash_table_lookup (replay->referrals, &latest->event_id);

          if (earlier != NULL && g_strcmp0 (earlier->state, "withdrawn") == 0 &&
              g_strcmp0 (earlier->reason, "superseded") == 0)
            referral_set (earlier, "pending", NULL);
          state->status = "decided";
        }
      else
        state->status = state->n_versions > 1 ? "updated" : "new";
    }
  else if (g_str_equal (kind, "referral.accepted") || g_str_equal (kind, "referral.declined"))
    {
      gint64 decision_id = member_int (payload, "decision_event_id");
      Referral *referral = g_hash_table_lookup (replay->referrals, &decision_id);
      gboolean accepted = g_str_equal (kind, "referral.accepted");

      if (referral != NULL)
        {
          referral_set (referral, accepted ? "accepted" : "declined", member_text (payload, "reason"));
          referral->responded_at = at;
          replace_text (&referral->responded_by, row_text (row, "operator"));
          referral->response_event_id = id;
        }
      /* Declined: back to the coordinator for the next agency. */
      if (!accepted)
        call_state (replay, call_id)->status = "updated";
    }
  else if (g_str_equal (kind, "appeal.lodged"))
    {
      CallState *state = call_state (replay, call_id);
      const char *reference = member_text (payload, "reference");

      state->on_hold = TRUE;
      replace_text (&state->appeal_state, "open");
      /* The call is the supervisor's: whoever worked it lets go. */
      state->claimed = FALSE;
      if (reference != NULL)
        {
          Appeal *appeal = g_new0 (Appeal, 1);

          appeal->call_id = call_id;
          appeal->decision_event_id = member_int (payload, "decision_event_id");
          appeal->appealed_outcome = g_strdup (member_text (payload, "appealed_outcome"));
          appeal->appellant = g_strdup (member_text (payload, "appellant"));
          appeal->appellant_name = g_strdup (member_text (payload, "appellant_name"));
          appeal->grounds_sha256 = g_strdup (member_text (payload, "grounds_sha256"));
          appeal->lodged_at = at;
          appeal->lodged_by = g_strdup (row_text (row, "operator"));
          appeal->state = g_strdup ("open");
          appeal->event_id = id;
          g_hash_table_replace (replay->appeals, g_strdup (reference), appeal);
        }
    }
  else if (g_str_equal (kind, "appeal.resolved"))
    {
      CallState *state = call_state (replay, call_id);
      const char *reference = member_text (payload, "reference");
      Appeal *appeal = reference != NULL ? g_hash_table_lookup (replay->appeals, reference) : NULL;

      state->on_hold = FALSE;
      replace_text (&state->appeal_state, member_text (payload, "result"));
      if (appeal != NULL)
        {
          replace_text (&appeal->state, member_text (payload, "result"));
          appeal->resolved_at = at;
          replace_text (&appeal->resolved_by, row_text (row, "operator"));
          replace_text (&appeal->rationale, member_text (payload, "rationale"));
          replace_text (&appeal->new_outcome, member_text (payload, "new_outcome"));
          appeal->event_id = id;
        }
    }
  else if (g_str_equal (kind, "call.claimed") || g_str_equal (kind, "call.taken_over"))
    {
      CallState *state = call_state (replay, call_id);
      const char *session = member_text (payload, "session");

      /* Taken over outside any session, the claim just ends. */
      state->claimed = session != NULL && *session != '\0';
      if (state->claimed)
        {
          g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT ":%s:%s:%s", call_id, session,
                                                  row_text (row, "operator"), row_text (row, "workstation"));

          state->claim_event_id = id;
          state->claim_since = at;
          replace_text (&state->claim_operator, row_text (row, "operator"));
          replace_text (&state->claim_workstation, row_text (row, "workstation"));
          replace_text (&state->claim_session, session);
          if (!g_hash_table_contains (replay->claim_sessions, key))
            g_hash_table_insert (replay->claim_sessions, g_steal_pointer (&key), new_id (at));
        }
    }
  else if (g_str_equal (kind, "call.released"))
    {
      call_state (replay, call_id)->claimed = FALSE;
    }
  else if (g_str_equal (kind, "agency.directory"))
    {
      replay_directory (replay, id, payload);
    }
  else if (g_str_equal (kind, "agency.status"))
    {
      replay_agency_status (replay, row, payload);
    }
  else if (g_str_has_prefix (kind, "dispute."))
    {
      replay_dispute (replay, row, kind, payload);
    }
  else if (g_str_equal (kind, "call.erased"))
    {
      CallState *state = call_state (replay, call_id);

      state->erased_event_id = id;
      state->erased_at = at;
    }
  else if (g_str_equal (kind, "user.added"))
    {
      const char *os_user = member_text (payload, "os_user");
      UserState *user;

      if (os_user == NULL)
        return TRUE;
      user = g_hash_table_lookup (replay->users, os_user);
      if (user == NULL)
        {
          user = g_new0 (UserState, 1);
          g_hash_table_insert (replay->users, g_strdup (os_user), user);
        }
      g_free (user->role);
      user->role = g_strdup (member_text (payload, "role"));
      if (member_text (payload, "display_name") != NULL)
        {
          g_free (user->display_name);
          user->display_name = g_strdup (member_text (payload, "display_name"));
        }
      user->event_id = id;
    }
  else if (g_str_equal (kind, "user.removed"))
    {
      const char *os_user = member_text (payload, "os_user");

      if (os_user != NULL)
        g_hash_table_remove (replay->users, os_user);
    }

  return TRUE;
}

static gboolean
same_text (const char *stored,
           const char *derived)
{
  return g_strcmp0 (stored, derived) == 0;
}

/* Whether the column @name is NULL when @have is FALSE, and @value when it
 * is TRUE. */
static gboolean
same_nullable_int (const Row  *row,
                   const char *name,
                   gboolean    have,
                   gint64      value)
{
  const RcrpAuditColumn *column = row_column (row, name);

  if (!have)
    return column == NULL || column->type == RCRP_AUDIT_VALUE_NULL;

  return column != NULL && column->type == RCRP_AUDIT_VALUE_INT && column->number == value;
}

static const char *
or_none (const char *text)
{
  return text != NULL ? text : _("none");
}

static gboolean
check_agency (Replay    *replay,
              const Row *row,
              GError   **error)
{
  const char *id = row_text (row, "id");
  g_autofree char *name = g_strdup_printf (_("agencies row “%s”"), id != NULL ? id : "");
  Agency *agency = id != NULL ? g_hash_table_lookup (replay->agencies, id) : NULL;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  const char *entry = row_text (row, "entry");

  if (agency == NULL)
    return disagrees (replay, error, name, _("no agency.directory event in the log lists this agency"));
  agency->row_seen = TRUE;
  if ((row_int (row, "active", 0) != 0) != agency->active)
    return disagrees (replay, error, name, agency->active ? _("it is off the board, but event %" G_GINT64_FORMAT
                                                              " put it in the directory")
                                                          : _("it is on the board, but event %" G_GINT64_FORMAT
                                                              " took it out of the directory"),
                      agency->event_id);
  if (row_int (row, "position", -1) != agency->position)
    return disagrees (replay, error, name, _("its place on the board is not the one event %" G_GINT64_FORMAT " gave"),
                      agency->event_id);
  if (entry == NULL || !json_parser_load_from_data (parser, entry, -1, NULL) ||
      json_parser_get_root (parser) == NULL || !json_node_equal (json_parser_get_root (parser), agency->entry))
    return disagrees (replay, error, name, _("its entry (name, telephone, hours, what it accepts, its target) is "
                                             "not the one event %" G_GINT64_FORMAT " recorded"), agency->event_id);

  return TRUE;
}

static gboolean
check_agency_status (Replay    *replay,
                     const Row *row,
                     GError   **error)
{
  const char *id = row_text (row, "agency_id");
  g_autofree char *name = g_strdup_printf (_("agency_state row “%s”"), id != NULL ? id : "");
  AgencyStatus *status = id != NULL ? g_hash_table_lookup (replay->agency_status, id) : NULL;

  if (status == NULL)
    return disagrees (replay, error, name, _("no agency.status event in the log reports this agency's state"));
  status->row_seen = TRUE;
  if (row_int (row, "event_id", 0) != status->event_id)
    return disagrees (replay, error, name, _("it names event %" G_GINT64_FORMAT ", but the latest report in the log "
                                             "is event %" G_GINT64_FORMAT), row_int (row, "event_id", 0),
                      status->event_id);
  if (!same_text (row_text (row, "status"), status->status) ||
      row_int (row, "capacity", -1) != status->capacity ||
      row_int (row, "eta_minutes", -1) != status->eta_minutes ||
      !same_text (row_text (row, "note"), status->note) ||
      !same_text (row_text (row, "operator"), status->operator_name) ||
      !same_text (row_text (row, "workstation"), status->workstation) ||
      row_int (row, "changed_at", 0) != status->at)
    return disagrees (replay, error, name, _("its status, capacity, time to arrive, note or who reported it is not "
                                             "what event %" G_GINT64_FORMAT " reported"), status->event_id);

  return TRUE;
}

static gboolean
check_referral (Replay    *replay,
                const Row *row,
                GError   **error)
{
  gint64 decision_id = row_int (row, "decision_event_id", 0);
  g_autofree char *name = g_strdup_printf (_("referrals row for decision %" G_GINT64_FORMAT), decision_id);
  Referral *referral = g_hash_table_lookup (replay->referrals, &decision_id);
  gboolean answered;

  if (referral == NULL)
    return disagrees (replay, error, name, _("no call.decided event in the log made this referral"));
  referral->row_seen = TRUE;
  if (row_int (row, "call_id", 0) != referral->call_id || !same_text (row_text (row, "agency_id"), referral->agency) ||
      row_int (row, "referred_at", 0) != referral->referred_at ||
      (referral->due_at >= 0 && row_int (row, "due_at", 0) != referral->due_at))
    return disagrees (replay, error, name, _("its call, agency or times are not those decision %" G_GINT64_FORMAT
                                             " and the agency's target make"), decision_id);
  if (!same_text (row_text (row, "state"), referral->state) || !same_text (row_text (row, "reason"), referral->reason))
    return disagrees (replay, error, name, _("it is “%s” (%s), but its events make it “%s” (%s)"),
                      or_none (row_text (row, "state")), or_none (row_text (row, "reason")),
                      referral->state, or_none (referral->reason));
  answered = referral->response_event_id != 0;
  if (!same_nullable_int (row, "response_event_id", answered, referral->response_event_id) ||
      !same_nullable_int (row, "responded_at", answered, referral->responded_at) ||
      !same_text (row_text (row, "responded_by"), referral->responded_by))
    return disagrees (replay, error, name, answered ? _("its answer is not the one event %" G_GINT64_FORMAT " records")
                                                    : _("it records an answer, but no event in the log gives one"),
                      referral->response_event_id);

  return TRUE;
}

/* A reference as the store numbers it: PREFIX-YEAR-NUMBER. */
static gboolean
reference_numbers (const char *reference,
                   gint64     *year,
                   gint64     *number)
{
  g_auto(GStrv) parts = reference != NULL ? g_strsplit (reference, "-", 3) : NULL;

  if (parts == NULL || g_strv_length (parts) != 3)
    return FALSE;
  *year = g_ascii_strtoll (parts[1], NULL, 10);
  *number = g_ascii_strtoll (parts[2], NULL, 10);

  return TRUE;
}

static gboolean
same_digest (const char *text,
             const char *sha256)
{
  g_autofree char *computed = NULL;

  /* Events written before the digest was recorded cannot say. */
  if (sha256 == NULL)
    return TRUE;
  computed = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text != NULL ? text : "", -1);

  return g_str_equal (computed, sha256);
}

static gboolean
check_appeal (Replay    *replay,
              const Row *row,
              GError   **error)
{
  const char *reference = row_text (row, "reference");
  g_autofree char *name = g_strdup_printf (_("appeals row %s"), reference != NULL ? reference : "");
  Appeal *appeal = reference != NULL ? g_hash_table_lookup (replay->appeals, reference) : NULL;
  CallState *call;
  gint64 year = 0, number = 0;
  gboolean resolved;

  if (appeal == NULL)
    return disagrees (replay, error, name, _("no appeal.lodged event in the log lodges this appeal"));
  appeal->row_seen = TRUE;
  call = g_hash_table_lookup (replay->calls, &appeal->call_id);

  if (row_int (row, "call_id", 0) != appeal->call_id ||
      row_int (row, "decision_event_id", 0) != appeal->decision_event_id ||
      !same_text (row_text (row, "appealed_outcome"), appeal->appealed_outcome) ||
      !same_text (row_text (row, "appellant"), appeal->appellant) ||
      (appeal->appellant_name != NULL && !same_text (row_text (row, "appellant_name"), appeal->appellant_name)) ||
      row_int (row, "lodged_at", 0) != appeal->lodged_at || !same_text (row_text (row, "lodged_by"), appeal->lodged_by) ||
      !reference_numbers (reference, &year, &number) || row_int (row, "year", 0) != year ||
      row_int (row, "number", 0) != number)
    return disagrees (replay, error, name, _("its call, decision, appellant or lodging is not what event %"
                                             G_GINT64_FORMAT " records"), appeal->event_id);
  /* Erasure blanks the grounds, by rule. */
  if ((call == NULL || call->erased_event_id == 0) && !same_digest (row_text (row, "grounds"), appeal->grounds_sha256))
    return disagrees (replay, error, name, _("its grounds are not those whose SHA-256 the log recorded when it was "
                                             "lodged"));
  if (!same_text (row_text (row, "state"), appeal->state))
    return disagrees (replay, error, name, _("it is “%s”, but its events make it “%s”"),
                      or_none (row_text (row, "state")), appeal->state);
  resolved = appeal->resolved_at != 0;
  if (!same_nullable_int (row, "resolved_at", resolved, appeal->resolved_at) ||
      !same_text (row_text (row, "resolved_by"), appeal->resolved_by) ||
      !same_text (row_text (row, "rationale"), appeal->rationale) ||
      !same_text (row_text (row, "new_outcome"), appeal->new_outcome))
    return disagrees (replay, error, name, _("its review is not the one event %" G_GINT64_FORMAT " records"),
                      appeal->event_id);

  return TRUE;
}

static gboolean
check_dispute (Replay    *replay,
               const Row *row,
               GError   **error)
{
  const char *reference = row_text (row, "reference");
  g_autofree char *name = g_strdup_printf (_("disputes row %s"), reference != NULL ? reference : "");
  Dispute *dispute = reference != NULL ? g_hash_table_lookup (replay->disputes, reference) : NULL;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  const char *refs = row_text (row, "call_refs");
  gint64 year = 0, number = 0;
  gboolean closed;

  if (dispute == NULL)
    return disagrees (replay, error, name, _("no dispute.added event in the log logs this dispute"));
  dispute->row_seen = TRUE;

  if (!same_text (row_text (row, "kind"), dispute->kind) || !same_text (row_text (row, "raised_by"), dispute->raised_by) ||
      row_int (row, "opened_at", 0) != dispute->opened_at || !same_text (row_text (row, "opened_by"), dispute->opened_by) ||
      !reference_numbers (reference, &year, &number) || row_int (row, "year", 0) != year ||
      row_int (row, "number", 0) != number ||
      (dispute->cad_refs != NULL &&
       (refs == NULL || !json_parser_load_from_data (parser, refs, -1, NULL) ||
        json_parser_get_root (parser) == NULL || !json_node_equal (json_parser_get_root (parser), dispute->cad_refs))))
    return disagrees (replay, error, name, _("its kind, who raised it, its calls or its opening are not what the log "
                                             "records"));
  if (!same_digest (row_text (row, "summary"), dispute->summary_sha256))
    return disagrees (replay, error, name, _("its summary is not the one whose SHA-256 the log recorded"));
  closed = dispute->closed_at != 0;
  if (!same_text (row_text (row, "state"), dispute->state) || row_int (row, "changed_at", 0) != dispute->changed_at ||
      !same_nullable_int (row, "closed_at", closed, dispute->closed_at) ||
      !same_text (row_text (row, "closed_by"), dispute->closed_by) ||
      (closed && !same_text (row_text (row, "learning"), dispute->learning)))
    return disagrees (replay, error, name, _("it is “%s”, but event %" G_GINT64_FORMAT " left it “%s”"),
                      or_none (row_text (row, "state")), dispute->event_id, or_none (dispute->state));

  return TRUE;
}

static gboolean
check_claim (Replay    *replay,
             const Row *row,
             GError   **error)
{
  gint64 call_id = row_int (row, "call_id", 0);
  g_autofree char *name = g_strdup_printf (_("claims row for call %" G_GINT64_FORMAT), call_id);
  CallState *state = g_hash_table_lookup (replay->calls, &call_id);

  if (state == NULL || !state->claimed)
    return disagrees (replay, error, name, _("nobody works this call by the log: no claim event, or its claim "
                                             "was released, taken away or ended by an appeal"));
  state->claim_row_seen = TRUE;
  /* Only when it was last seen at its workstation is not in the log. */
  if (!same_text (row_text (row, "operator"), state->claim_operator) ||
      !same_text (row_text (row, "workstation"), state->claim_workstation) ||
      !same_text (row_text (row, "session"), state->claim_session) ||
      row_int (row, "since", 0) != state->claim_since || row_int (row, "seen", 0) < state->claim_since)
    return disagrees (replay, error, name, _("it is not the claim event %" G_GINT64_FORMAT " made (%s at %s)"),
                      state->claim_event_id, state->claim_operator, state->claim_workstation);

  return TRUE;
}

/* A draft is written by the holder of the call's claim only: its writer
 * must have claimed the call in the log before writing it. What it holds
 * is not in the log; the answers a decision was made on are, in the
 * decision's own event. */
static gboolean
check_draft (Replay    *replay,
             const Row *row,
             GError   **error)
{
  gint64 call_id = row_int (row, "call_id", 0);
  g_autofree char *name = g_strdup_printf (_("triage_drafts row for call %" G_GINT64_FORMAT), call_id);
  g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT ":%s:%s:%s", call_id,
                                          or_none (row_text (row, "session")), or_none (row_text (row, "operator")),
                                          or_none (row_text (row, "workstation")));
  gint64 *claimed_at = g_hash_table_lookup (replay->claim_sessions, key);

  if (claimed_at == NULL || row_int (row, "updated_at", 0) < *claimed_at)
    return disagrees (replay, error, name, _("its writer (%s at %s) never held the call's claim in the log before "
                                             "writing it"),
                      or_none (row_text (row, "operator")), or_none (row_text (row, "workstation")));

  return TRUE;
}

static gboolean
check_indexed (Replay    *replay,
               const Row *row,
               GError   **error)
{
  gint64 id = row_int (row, "id", 0);
  g_autofree char *name = g_strdup_printf (_("call_search row %" G_GINT64_FORMAT), id);
  CallState *state = g_hash_table_lookup (replay->calls, &id);

  if (state == NULL || state->n_versions == 0)
    return disagrees (replay, error, name, _("the search index holds a call the log never received"));
  state->indexed = TRUE;

  return TRUE;
}

static gboolean
check_user (Replay    *replay,
            const Row *row,
            GError   **error)
{
  const char *os_user = row_text (row, "os_user");
  g_autofree char *name = g_strdup_printf (_("users row “%s”"), os_user != NULL ? os_user : "");
  UserState *user = os_user != NULL ? g_hash_table_lookup (replay->users, os_user) : NULL;

  if (user == NULL)
    return disagrees (replay, error, name, _("no event in the log adds this user, with the role %s"),
                      row_text (row, "role") != NULL ? row_text (row, "role") : "?");
  user->row_seen = TRUE;
  if (g_strcmp0 (row_text (row, "role"), user->role) != 0)
    return disagrees (replay, error, name, _("its role is %s, but event %" G_GINT64_FORMAT " made it %s"),
                      row_text (row, "role"), user->event_id, user->role);
  if (user->display_name != NULL && g_strcmp0 (row_text (row, "display_name"), user->display_name) != 0)
    return disagrees (replay, error, name, _("its name is not the one event %" G_GINT64_FORMAT " gave"),
                      user->event_id);

  return TRUE;
}

static gboolean
check_undone (Replay    *replay,
              const Row *row,
              GError   **error)
{
  gint64 decision_id = row_int (row, "decision_event_id", 0);
  gint64 undo_id = row_int (row, "undo_event_id", 0);
  g_autofree char *name = g_strdup_printf (_("undone_decisions row for decision %" G_GINT64_FORMAT), decision_id);
  gint64 *expected = g_hash_table_lookup (replay->undone, &decision_id);

  if (expected == NULL)
    return disagrees (replay, error, name, _("no call.decision_undone event in the log undoes that decision"));
  if (*expected != undo_id)
    return disagrees (replay, error, name, _("it names event %" G_GINT64_FORMAT " as the undo, the log event %"
                                             G_GINT64_FORMAT), undo_id, *expected);
  g_hash_table_add (replay->undone_seen, new_id (decision_id));

  return TRUE;
}

static gboolean
check_erasure (Replay    *replay,
               const Row *row,
               GError   **error)
{
  gint64 call_id = row_int (row, "call_id", 0);
  g_autofree char *name = g_strdup_printf (_("erasures row for call %" G_GINT64_FORMAT), call_id);
  CallState *state = g_hash_table_lookup (replay->calls, &call_id);

  if (state == NULL || state->erased_event_id == 0)
    return disagrees (replay, error, name, _("no call.erased event in the log erases that call"));
  if (row_int (row, "event_id", 0) != state->erased_event_id || row_int (row, "erased_at", 0) != state->erased_at)
    return disagrees (replay, error, name, _("it is not the erasure event %" G_GINT64_FORMAT " records"),
                      state->erased_event_id);

  return TRUE;
}

static gboolean
check_version (Replay    *replay,
               const Row *row,
               GError   **error)
{
  gint64 id = row_int (row, "id", 0);
  gint64 call_id = row_int (row, "call_id", 0);
  const char *hash = row_text (row, "content_sha256");
  g_autofree char *name = g_strdup_printf (_("call_versions row %" G_GINT64_FORMAT), id);
  g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT ":%s", call_id, hash != NULL ? hash : "");
  const RcrpAuditColumn *text = row_bytes (row, "text");
  VersionState *version = g_hash_table_lookup (replay->versions, key);
  VersionState *by_id = g_hash_table_lookup (replay->version_ids, &id);
  CallState *state = g_hash_table_lookup (replay->calls, &call_id);
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(RcrpCall) call = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean erased = state != NULL && state->erased_event_id != 0;

  if (version == NULL || (by_id != NULL && by_id != version))
    return disagrees (replay, error, name,
                      _("no call.received or call.updated event in the log records this version of call %"
                        G_GINT64_FORMAT " with its content hash"), call_id);
  version->row_seen = TRUE;
  if (erased)
    g_hash_table_add (replay->erased_documents, new_id (row_int (row, "document_id", 0)));

  if (text == NULL)
    return disagrees (replay, error, name, _("its bytes are missing from feed document %" G_GINT64_FORMAT),
                      row_int (row, "document_id", 0));

  /* Erasure blanks the personal fields of a version, by rule: its hash
   * is then of what was received, and cannot be checked again. */
  if (erased)
    return TRUE;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, text->data, text->length, &local_error) ||
      json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)) ||
      !(call = rcrp_feed_parse_call (json_node_get_object (json_parser_get_root (parser)), "", &local_error)))
    return disagrees (replay, error, name, _("its stored bytes are no longer a call (%s)"),
                      local_error != NULL ? local_error->message : _("not an object"));

  if (g_strcmp0 (rcrp_call_get_content_hash (call), version->content_sha256) != 0)
    return disagrees (replay, error, name,
                      _("its stored bytes do not have the content hash event %" G_GINT64_FORMAT " recorded"),
                      version->event_id);

  if (state != NULL && state->current_version == id)
    {
      GDateTime *received = rcrp_call_get_received_at (call);

      state->have_current = TRUE;
      state->cad_ref = g_strdup (rcrp_call_get_cad_ref (call));
      state->category = g_strdup (rcrp_category_to_string (rcrp_call_get_category (call)));
      state->grade = rcrp_call_get_grade (call);
      state->received_at = g_date_time_to_unix (received) * G_USEC_PER_SEC + g_date_time_get_microsecond (received);
      state->risks = rcrp_call_get_risks (call);
      state->summary = g_strdup (rcrp_call_get_summary (call));
      state->subject_sex = g_strdup (rcrp_call_get_subject_sex (call));
      state->subject_ethnicity = g_strdup (rcrp_call_get_subject_ethnicity (call));
      state->age_band = g_strdup (rcrp_age_band (rcrp_call_get_subject_age (call)));
      state->postcode = g_strdup (rcrp_call_get_postcode (call));
      state->subject_name = g_strdup (rcrp_call_get_subject_name (call));
      state->caller_name = g_strdup (rcrp_call_get_caller_name (call));
    }

  return TRUE;
}

static gboolean
check_document (Replay    *replay,
                const Row *row,
                GError   **error)
{
  gint64 id = row_int (row, "id", 0);
  g_autofree char *name = g_strdup_printf (_("documents row %" G_GINT64_FORMAT), id);
  const RcrpAuditColumn *body = row_bytes (row, "body");
  g_autofree char *computed = NULL;

  /* Erasure rewrites a document's personal fields; its hash stays that
   * of the document as received. */
  if (g_hash_table_contains (replay->erased_documents, &id))
    return TRUE;

  computed = g_compute_checksum_for_data (G_CHECKSUM_SHA256, body != NULL ? (const guchar *) body->data : NULL,
                                         body != NULL ? body->length : 0);
  if (g_strcmp0 (computed, row_text (row, "sha256")) != 0)
    return disagrees (replay, error, name, _("its bytes do not have the SHA-256 stored with it"));

  return TRUE;
}

static gboolean
check_call (Replay    *replay,
            const Row *row,
            GError   **error)
{
  gint64 id = row_int (row, "id", 0);
  g_autofree char *name = g_strdup_printf (_("calls row %" G_GINT64_FORMAT " (%s)"), id,
                                           row_text (row, "cad_ref") != NULL ? row_text (row, "cad_ref") : "");
  CallState *state = g_hash_table_lookup (replay->calls, &id);
  const Decision *decision;
  const char *outcome = row_text (row, "outcome");

  if (state == NULL || state->n_versions == 0)
    return disagrees (replay, error, name, _("no call.received event in the log records this call"));
  state->row_seen = TRUE;

  if ((guint) row_int (row, "version_count", 0) != state->n_versions)
    return disagrees (replay, error, name, _("it counts %" G_GINT64_FORMAT " versions, the log %u"),
                      row_int (row, "version_count", 0), state->n_versions);
  if (state->current_version > 0 && row_int (row, "current_version", 0) != state->current_version)
    return disagrees (replay, error, name, _("its current version is %" G_GINT64_FORMAT ", the log's %" G_GINT64_FORMAT),
                      row_int (row, "current_version", 0), state->current_version);
  if (!same_text (row_text (row, "status"), state->status))
    return disagrees (replay, error, name, _("its status is “%s”, but its events make it “%s”"),
                      row_text (row, "status") != NULL ? row_text (row, "status") : "", state->status);

  decision = latest_decision (replay, state);
  if (!same_text (outcome, decision != NULL ? decision->outcome : NULL))
    return disagrees (replay, error, name, _("its outcome is “%s”, but its events make it “%s”"),
                      outcome != NULL ? outcome : _("none"),
                      decision != NULL && decision->outcome != NULL ? decision->outcome : _("none"));
  if (!same_nullable_int (row, "first_decided_at", state->first_decided_at != 0, state->first_decided_at))
    return disagrees (replay, error, name, _("its first decision time is not that of its first decision in the "
                                             "log still standing"));
  if (decision != NULL &&
      (row_int (row, "decided_at", 0) != decision->at ||
       !same_text (row_text (row, "decided_by"), decision->operator_name) ||
       (g_strcmp0 (decision->outcome, "referred") == 0 && !same_text (row_text (row, "agency"), decision->agency))))
    return disagrees (replay, error, name, _("its decision is not the one event %" G_GINT64_FORMAT " records"),
                      decision->event_id);
  if (!same_text (row_text (row, "appeal_state"), state->appeal_state))
    return disagrees (replay, error, name, _("its appeal is “%s”, but its events make it “%s”"),
                      or_none (row_text (row, "appeal_state")), or_none (state->appeal_state));
  if (row_int (row, "on_hold", 0) != (state->on_hold ? 1 : 0))
    return disagrees (replay, error, name, state->on_hold ? _("it is not on hold, but an appeal is open in the log")
                                                          : _("it is on hold, but no appeal is open in the log"));
  if (row_int (row, "erased_at", 0) != state->erased_at)
    return disagrees (replay, error, name, state->erased_at != 0 ? _("the log erased it, the row does not say so")
                                                                 : _("it says erased, but the log erased nothing"));

  if (state->have_current &&
      (!same_text (row_text (row, "cad_ref"), state->cad_ref) ||
       !same_text (row_text (row, "category"), state->category) ||
       row_int (row, "grade", -1) != state->grade ||
       row_int (row, "received_at", -1) != state->received_at ||
       row_int (row, "risks", -1) != state->risks ||
       row_int (row, "threshold_risks", -1) != rcrp_risk_count_threshold (state->risks) ||
       !same_text (row_text (row, "summary"), state->summary)))
    return disagrees (replay, error, name,
                      _("its reference, category, grade, time, risks or summary are not those of its current "
                        "version %" G_GINT64_FORMAT), state->current_version);
  /* What the shift summaries count and the queue shows of the person. */
  if (state->have_current &&
      (!same_text (row_text (row, "subject_sex"), state->subject_sex) ||
       !same_text (row_text (row, "subject_ethnicity"), state->subject_ethnicity) ||
       !same_text (row_text (row, "age_band"), state->age_band) ||
       !same_text (row_text (row, "postcode"), state->postcode) ||
       !same_text (row_text (row, "subject_name"), state->subject_name) ||
       !same_text (row_text (row, "caller_name"), state->caller_name)))
    return disagrees (replay, error, name,
                      _("the sex, ethnicity, age band, post code or names it holds for the summaries and the "
                        "queue are not those of its current version %" G_GINT64_FORMAT), state->current_version);

  return TRUE;
}

static gboolean
on_audit_row_cb (const char             *table,
                 const RcrpAuditColumn  *columns,
                 guint                   n_columns,
                 gpointer                user_data,
                 GError                **error)
{
  Replay *replay = user_data;
  Row stored = { columns, n_columns };
  const Row *row = &stored;

  replay->n_rows++;
  if (g_str_equal (table, "events"))
    return replay_event (replay, row, error);
  if (g_str_equal (table, "users"))
    return check_user (replay, row, error);
  if (g_str_equal (table, "undone_decisions"))
    return check_undone (replay, row, error);
  if (g_str_equal (table, "erasures"))
    return check_erasure (replay, row, error);
  if (g_str_equal (table, "call_versions"))
    return check_version (replay, row, error);
  if (g_str_equal (table, "documents"))
    return check_document (replay, row, error);
  if (g_str_equal (table, "calls"))
    return check_call (replay, row, error);
  if (g_str_equal (table, "agencies"))
    return check_agency (replay, row, error);
  if (g_str_equal (table, "agency_state"))
    return check_agency_status (replay, row, error);
  if (g_str_equal (table, "referrals"))
    return check_referral (replay, row, error);
  if (g_str_equal (table, "appeals"))
    return check_appeal (replay, row, error);
  if (g_str_equal (table, "disputes"))
    return check_dispute (replay, row, error);
  if (g_str_equal (table, "claims"))
    return check_claim (replay, row, error);
  if (g_str_equal (table, "triage_drafts"))
    return check_draft (replay, row, error);
  if (g_str_equal (table, "call_search"))
    return check_indexed (replay, row, error);

  return TRUE;
}

/* What the log says exists and no row holds: a row deleted by hand. */
static gboolean
check_nothing_missing (Replay  *replay,
                       GError **error)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, replay->users);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      UserState *user = value;

      if (!user->row_seen)
        {
          g_autofree char *name = g_strdup_printf (_("users row “%s”"), (const char *) key);

          return disagrees (replay, error, name, _("it is missing, but event %" G_GINT64_FORMAT " made them %s"),
                            user->event_id, user->role);
        }
    }

  g_hash_table_iter_init (&iter, replay->undone);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (replay->undone_seen, key))
      {
        g_autofree char *name = g_strdup_printf (_("undone_decisions row for decision %" G_GINT64_FORMAT),
                                                 *(gint64 *) key);

        return disagrees (replay, error, name, _("it is missing, but event %" G_GINT64_FORMAT " undid that decision"),
                          *(gint64 *) value);
      }

  g_hash_table_iter_init (&iter, replay->versions);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      VersionState *version = value;

      if (!version->row_seen)
        {
          g_autofree char *name = g_strdup_printf (_("call_versions row of call %" G_GINT64_FORMAT), version->call_id);

          return disagrees (replay, error, name, _("it is missing, but event %" G_GINT64_FORMAT " stored it"),
                            version->event_id);
        }
    }

  g_hash_table_iter_init (&iter, replay->calls);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      CallState *state = value;

      if (state->n_versions > 0 && !state->row_seen)
        {
          g_autofree char *name = g_strdup_printf (_("calls row %" G_GINT64_FORMAT), state->call_id);

          return disagrees (replay, error, name, _("it is missing, but event %" G_GINT64_FORMAT " received the call"),
                            state->received_event_id);
        }
      if (state->claimed && !state->claim_row_seen)
        {
          g_autofree char *name = g_strdup_printf (_("claims row for call %" G_GINT64_FORMAT), state->call_id);

          return disagrees (replay, error, name, _("it is missing, but event %" G_GINT64_FORMAT " claimed the call "
                                                   "for %s and nothing since let it go"),
                            state->claim_event_id, state->claim_operator);
        }
      if (state->n_versions > 0 && !state->indexed)
        {
          g_autofree char *name = g_strdup_printf (_("call_search row %" G_GINT64_FORMAT), state->call_id);

          return disagrees (replay, error, name, _("it is missing: the call cannot be found by search"));
        }
    }

  g_hash_table_iter_init (&iter, replay->referrals);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!((Referral *) value)->row_seen)
      {
        g_autofree char *name = g_strdup_printf (_("referrals row for decision %" G_GINT64_FORMAT), *(gint64 *) key);

        return disagrees (replay, error, name, _("it is missing, but that decision referred the call to %s"),
                          or_none (((Referral *) value)->agency));
      }

  g_hash_table_iter_init (&iter, replay->agencies);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!((Agency *) value)->row_seen)
      {
        g_autofree char *name = g_strdup_printf (_("agencies row “%s”"), (const char *) key);

        return disagrees (replay, error, name, _("it is missing, but event %" G_GINT64_FORMAT " listed the agency"),
                          ((Agency *) value)->event_id);
      }

  g_hash_table_iter_init (&iter, replay->agency_status);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!((AgencyStatus *) value)->row_seen)
      {
        g_autofree char *name = g_strdup_printf (_("agency_state row “%s”"), (const char *) key);

        return disagrees (replay, error, name, _("it is missing, but event %" G_GINT64_FORMAT " reported it"),
                          ((AgencyStatus *) value)->event_id);
      }

  g_hash_table_iter_init (&iter, replay->appeals);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!((Appeal *) value)->row_seen)
      {
        g_autofree char *name = g_strdup_printf (_("appeals row %s"), (const char *) key);

        return disagrees (replay, error, name, _("it is missing, but event %" G_GINT64_FORMAT " lodged it"),
                          ((Appeal *) value)->event_id);
      }

  g_hash_table_iter_init (&iter, replay->disputes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!((Dispute *) value)->row_seen)
      {
        g_autofree char *name = g_strdup_printf (_("disputes row %s"), (const char *) key);

        return disagrees (replay, error, name, _("it is missing, but the log logged it (event %" G_GINT64_FORMAT ")"),
                          ((Dispute *) value)->event_id);
      }

  return TRUE;
}

gboolean
rcrp_audit_state_check (RcrpStore     *store,
                        GCancellable  *cancellable,
                        gint64        *n_rows,
                        char         **bad_row,
                        GError       **error)
{
  Replay replay = { NULL, };
  gboolean ok;

  g_return_val_if_fail (RCRP_IS_STORE (store), FALSE);

  replay.calls = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, call_state_free);
  replay.versions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, version_state_free);
  replay.version_ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  replay.users = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, user_state_free);
  replay.undone = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  replay.undone_seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  replay.erased_documents = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  replay.referrals = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, referral_free);
  replay.agencies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, agency_free);
  replay.agency_status = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, agency_status_free);
  replay.appeals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, appeal_free);
  replay.disputes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, dispute_free);
  replay.claim_sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  ok = rcrp_store_read_audit_rows (store, on_audit_row_cb, &replay, cancellable, error) &&
       check_nothing_missing (&replay, error);

  if (n_rows != NULL)
    *n_rows = replay.n_rows;
  if (bad_row != NULL)
    *bad_row = g_steal_pointer (&replay.bad_row);

  g_free (replay.bad_row);
  g_hash_table_unref (replay.version_ids);
  g_hash_table_unref (replay.versions);
  g_hash_table_unref (replay.calls);
  g_hash_table_unref (replay.users);
  g_hash_table_unref (replay.undone);
  g_hash_table_unref (replay.undone_seen);
  g_hash_table_unref (replay.erased_documents);
  g_hash_table_unref (replay.claim_sessions);
  g_hash_table_unref (replay.disputes);
  g_hash_table_unref (replay.appeals);
  g_hash_table_unref (replay.agency_status);
  g_hash_table_unref (replay.agencies);
  g_hash_table_unref (replay.referrals);

  return ok;
}

/* rcrp-appeal.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rcrp-appeal.h"

typedef struct
{
  const char *string;
  const char *label;
} Name;

static const Name appellants[] = {
  [RCRP_APPELLANT_CALLER]         = { "caller",         N_("The caller") },
  [RCRP_APPELLANT_PARTNER_AGENCY] = { "partner_agency", N_("A partner agency") },
  [RCRP_APPELLANT_OTHER]          = { "other",          N_("Someone else") },
};

static const Name appeal_states[] = {
  [RCRP_APPEAL_OPEN]       = { "open",       N_("On hold – awaiting supervisor") },
  [RCRP_APPEAL_UPHELD]     = { "upheld",     N_("Upheld: the decision stands") },
  [RCRP_APPEAL_OVERTURNED] = { "overturned", N_("Overturned") },
};

static const Name dispute_kinds[] = {
  [RCRP_DISPUTE_KIND_DISPUTE] = { "dispute", N_("Dispute of a decision") },
  [RCRP_DISPUTE_KIND_TREND]   = { "trend",   N_("Trend") },
  [RCRP_DISPUTE_KIND_RISK]    = { "risk",    N_("Risk") },
  [RCRP_DISPUTE_KIND_QUERY]   = { "query",   N_("Query") },
};

static const Name dispute_states[] = {
  [RCRP_DISPUTE_OPEN]         = { "open",         N_("Open") },
  [RCRP_DISPUTE_UNDER_REVIEW] = { "under_review", N_("Under review") },
  [RCRP_DISPUTE_CLOSED]       = { "closed",       N_("Closed") },
};

static gboolean
lookup (const Name *names,
        guint       n_names,
        const char *string,
        guint      *value)
{
  for (guint i = 0; i < n_names; i++)
    {
      if (g_strcmp0 (string, names[i].string) == 0)
        {
          *value = i;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
rcrp_appellant_to_string (RcrpAppellant appellant)
{
  g_return_val_if_fail (appellant < G_N_ELEMENTS (appellants), NULL);
  return appellants[appellant].string;
}

gboolean
rcrp_appellant_from_string (const char    *string,
                            RcrpAppellant *appellant)
{
  return lookup (appellants, G_N_ELEMENTS (appellants), string, (guint *) appellant);
}

const char *
rcrp_appellant_get_label (RcrpAppellant appellant)
{
  g_return_val_if_fail (appellant < G_N_ELEMENTS (appellants), NULL);
  return g_dgettext (GETTEXT_PACKAGE, appellants[appellant].label);
}

const char *
rcrp_appeal_state_to_string (RcrpAppealState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (appeal_states), NULL);
  return appeal_states[state].string;
}

gboolean
rcrp_appeal_state_from_string (const char      *string,
                               RcrpAppealState *state)
{
  return lookup (appeal_states, G_N_ELEMENTS (appeal_states), string, (guint *) state);
}

const char *
rcrp_appeal_state_get_label (RcrpAppealState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (appeal_states), NULL);
  return g_dgettext (GETTEXT_PACKAGE, appeal_states[state].label);
}

const char *
rcrp_dispute_kind_to_string (RcrpDisputeKind kind)
{
  g_return_val_if_fail (kind < G_N_ELEMENTS (dispute_kinds), NULL);
  return dispute_kinds[kind].string;
}

gboolean
rcrp_dispute_kind_from_string (const char      *string,
                               RcrpDisputeKind *kind)
{
  return lookup (dispute_kinds, G_N_ELEMENTS (dispute_kinds), string, (guint *) kind);
}

const char *
rcrp_dispute_state_to_string (RcrpDisputeState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (dispute_states), NULL);
  return dispute_states[state].string;
}

gboolean
rcrp_dispute_state_from_string (const char       *string,
                                RcrpDisputeState *state)
{
  return lookup (dispute_states, G_N_ELEMENTS (dispute_states), string, (guint *) state);
}

const char *
rcrp_dispute_state_get_label (RcrpDisputeState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (dispute_states), NULL);
  return g_dgettext (GETTEXT_PACKAGE, dispute_states[state].label);
}

void
rcrp_appeal_free (RcrpAppeal *appeal)
{
  if (appeal == NULL)
    return;

  g_free (appeal->reference);
  g_free (appeal->cad_ref);
  g_free (appeal->appealed_outcome);
  g_free (appeal->appellant_name);
  g_free (appeal->grounds);
  g_clear_pointer (&appeal->lodged_at, g_date_time_unref);
  g_free (appeal->lodged_by);
  g_clear_pointer (&appeal->resolved_at, g_date_time_unref);
  g_free (appeal->resolved_by);
  g_free (appeal->rationale);
  g_free (appeal->new_outcome);
  g_free (appeal);
}

double
rcrp_appeal_get_review_minutes (RcrpAppeal *appeal)
{
  if (appeal->resolved_at == NULL)
    return -1;

  return g_date_time_difference (appeal->resolved_at, appeal->lodged_at) / (double) G_TIME_SPAN_MINUTE;
}

void
rcrp_dispute_free (RcrpDispute *dispute)
{
  if (dispute == NULL)
    return;

  g_free (dispute->reference);
  g_free (dispute->raised_by);
  g_free (dispute->summary);
  g_strfreev (dispute->cad_refs);
  g_clear_pointer (&dispute->opened_at, g_date_time_unref);
  g_free (dispute->opened_by);
  g_clear_pointer (&dispute->changed_at, g_date_time_unref);
  g_free (dispute->learning);
  g_clear_pointer (&dispute->closed_at, g_date_time_unref);
  g_free (dispute->closed_by);
  g_free (dispute);
}

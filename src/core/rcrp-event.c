/* rcrp-event.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "rcrp-agency.h"
#include "rcrp-event.h"

struct _RcrpEvent
{
  GObject    parent_instance;

  gint64     id;
  char      *kind;
  GDateTime *at;
  gint64     call_id;
  char      *operator_name;
  char      *workstation;
  char      *payload;
};

G_DEFINE_FINAL_TYPE (RcrpEvent, rcrp_event, G_TYPE_OBJECT)

static void
rcrp_event_finalize (GObject *object)
{
  RcrpEvent *self = RCRP_EVENT (object);

  g_clear_pointer (&self->kind, g_free);
  g_clear_pointer (&self->at, g_date_time_unref);
  g_clear_pointer (&self->operator_name, g_free);
  g_clear_pointer (&self->workstation, g_free);
  g_clear_pointer (&self->payload, g_free);

  G_OBJECT_CLASS (rcrp_event_parent_class)->finalize (object);
}

static void
rcrp_event_class_init (RcrpEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rcrp_event_finalize;
}

static void
rcrp_event_init (RcrpEvent *self)
{
}

RcrpEvent *
rcrp_event_new (gint64      id,
                const char *kind,
                GDateTime  *at,
                gint64      call_id,
                const char *operator_name,
                const char *workstation,
                const char *payload)
{
  RcrpEvent *self;

  g_return_val_if_fail (kind != NULL, NULL);
  g_return_val_if_fail (at != NULL, NULL);

  self = g_object_new (RCRP_TYPE_EVENT, NULL);
  self->id = id;
  self->kind = g_strdup (kind);
  self->at = g_date_time_ref (at);
  self->call_id = call_id;
  self->operator_name = g_strdup (operator_name);
  self->workstation = g_strdup (workstation);
  self->payload = g_strdup (payload != NULL ? payload : "{}");

  return self;
}

gint64
rcrp_event_get_id (RcrpEvent *self)
{
  g_return_val_if_fail (RCRP_IS_EVENT (self), 0);
  return self->id;
}

const char *
rcrp_event_get_kind (RcrpEvent *self)
{
  g_return_val_if_fail (RCRP_IS_EVENT (self), NULL);
  return self->kind;
}

GDateTime *
rcrp_event_get_at (RcrpEvent *self)
{
  g_return_val_if_fail (RCRP_IS_EVENT (self), NULL);
  return self->at;
}

gint64
rcrp_event_get_call_id (RcrpEvent *self)
{
  g_return_val_if_fail (RCRP_IS_EVENT (self), 0);
  return self->call_id;
}

const char *
rcrp_event_get_operator (RcrpEvent *self)
{
  g_return_val_if_fail (RCRP_IS_EVENT (self), NULL);
  return self->operator_name;
}

const char *
rcrp_event_get_workstation (RcrpEvent *self)
{
  g_return_val_if_fail (RCRP_IS_EVENT (self), NULL);
  return self->workstation;
}

const char *
rcrp_event_get_payload (RcrpEvent *self)
{
  g_return_val_if_fail (RCRP_IS_EVENT (self), NULL);
  return self->payload;
}

const char *
rcrp_event_get_description (RcrpEvent *self)
{
  g_return_val_if_fail (RCRP_IS_EVENT (self), NULL);

  if (g_str_equal (self->kind, "call.received"))
    return _("Received from the C&C feed");
  if (g_str_equal (self->kind, "call.updated"))
    return _("Updated by the C&C feed");
  if (g_str_equal (self->kind, "call.decided"))
    return _("Decision recorded");
  if (g_str_equal (self->kind, "call.claimed"))
    return _("Opened to work on");
  if (g_str_equal (self->kind, "call.taken_over"))
    return _("Taken over from another operator");
  if (g_str_equal (self->kind, "call.released"))
    return _("Released");
  if (g_str_equal (self->kind, "call.decision_undone"))
    return _("Decision undone");
  if (g_str_equal (self->kind, "referral.accepted"))
    return _("Referral accepted by the agency");
  if (g_str_equal (self->kind, "referral.declined"))
    return _("Referral declined by the agency");
  if (g_str_equal (self->kind, "call.erased"))
    return _("Personal details erased under the retention period");
  if (g_str_equal (self->kind, RCRP_EVENT_KIND_CALL_VIEWED))
    return _("Personal details looked at");
  if (g_str_equal (self->kind, "appeal.lodged"))
    /* Said of the past: the history must not read as if the call still
     * waits for a supervisor once one has reviewed it. */
    return _("Urgent appeal lodged; the call was held for a supervisor");
  if (g_str_equal (self->kind, "appeal.resolved"))
    return _("Appeal reviewed by a supervisor");

  return self->kind;
}

char *
rcrp_event_dup_description (RcrpEvent *self,
                            GPtrArray *agencies)
{
  g_autoptr(JsonParser) parser = NULL;
  const char *agency_id = NULL;
  RcrpAgency *agency;
  gboolean accepted;

  g_return_val_if_fail (RCRP_IS_EVENT (self), NULL);

  accepted = g_str_equal (self->kind, "referral.accepted");
  if (!accepted && !g_str_equal (self->kind, "referral.declined"))
    return g_strdup (rcrp_event_get_description (self));

  parser = json_parser_new ();
  if (self->payload != NULL && json_parser_load_from_data (parser, self->payload, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    agency_id = json_object_get_string_member_with_default (json_node_get_object (json_parser_get_root (parser)),
                                                            "agency", NULL);
  if (agency_id == NULL)
    return g_strdup (rcrp_event_get_description (self));

  agency = agencies != NULL ? rcrp_agencies_find (agencies, agency_id) : NULL;
  if (accepted)
    /* Translators: %s is an agency, as in "Referral accepted by Crisis team". */
    return g_strdup_printf (_("Referral accepted by %s"), agency != NULL ? rcrp_agency_get_name (agency) : agency_id);

  /* Translators: %s is an agency, as in "Referral declined by Crisis team". */
  return g_strdup_printf (_("Referral declined by %s"), agency != NULL ? rcrp_agency_get_name (agency) : agency_id);
}

gboolean
rcrp_event_is_view (RcrpEvent *self)
{
  g_return_val_if_fail (RCRP_IS_EVENT (self), FALSE);

  return g_str_equal (self->kind, RCRP_EVENT_KIND_CALL_VIEWED);
}

/* rcrp-call.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rcrp-call-private.h"

struct _RcrpCall
{
  GObject         parent_instance;

  gint64          id;
  char           *cad_ref;
  GDateTime      *received_at;
  RcrpCategory    category;
  int             grade;
  char           *summary;
  guint           risks;
  RcrpCallStatus  status;
  guint           version_count;
  GDateTime      *updated_at;
  char           *outcome;
  GDateTime      *decided_at;
  gboolean        on_hold;
  char           *claimed_by;     /* who holds the call now, or NULL */
  char           *claim_session;
  GDateTime      *claim_seen;

  char           *address;
  char           *postcode;
  char           *caller_name;
  char           *caller_phone;
  char           *caller_relationship;
  char           *subject_name;
  int             subject_age;
  char           *subject_sex;
  char           *subject_ethnicity;
  int             known_to_services;
  char           *setting_name;
  GDateTime      *setting_left_at;
  int             setting_detained;
  char           *setting_mha_section;
  int             setting_informal;
  char           *notes;

  char           *canonical_json;
  char           *content_hash;
};

G_DEFINE_FINAL_TYPE (RcrpCall, rcrp_call, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CAD_REF,
  PROP_CATEGORY,
  PROP_GRADE,
  PROP_RISKS,
  PROP_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const struct {
  const char *id;
  const char *label;
} categories[] = {
  { "concern_for_welfare",      N_("Concern for welfare") },
  { "walked_out_of_healthcare", N_("Walked out of healthcare") },
  { "awol_mental_health",       N_("AWOL from mental-health services") },
  { "medical_incident",         N_("Medical incident") },
  { "mental_health_other",      N_("Mental health, other") },
};

G_STATIC_ASSERT (G_N_ELEMENTS (categories) == RCRP_N_CATEGORIES);

static const struct {
  const char *id;
  const char *label;
} risks[] = {
  { "suicidal_intent",    N_("Suicidal intent") },
  { "self_harm",          N_("Self-harm") },
  { "weapon",             N_("Weapon") },
  { "violence_to_others", N_("Violence to others") },
  { "crime_in_progress",  N_("Crime in progress") },
  { "child_at_risk",      N_("Child at risk") },
  { "medical_emergency",  N_("Medical emergency") },
  { "intoxication",       N_("Intoxication") },
  { "location_unknown",   N_("Location unknown") },
  { "vulnerable_adult",   N_("Vulnerable adult") },
};

G_STATIC_ASSERT (G_N_ELEMENTS (risks) == RCRP_N_RISKS);

static const struct {
  const char *id;
  const char *label;
} statuses[] = {
  { "new",     N_("New") },
  { "updated", N_("Updated") },
  { "decided", N_("Decided") },
};

const char *
rcrp_category_to_string (RcrpCategory category)
{
  g_return_val_if_fail (category < RCRP_N_CATEGORIES, NULL);
  return categories[category].id;
}

gboolean
rcrp_category_from_string (const char   *string,
                           RcrpCategory *category)
{
  for (guint i = 0; i < G_N_ELEMENTS (categories); i++)
    {
      if (g_strcmp0 (string, categories[i].id) == 0)
        {
          *category = i;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
rcrp_category_get_label (RcrpCategory category)
{
  g_return_val_if_fail (category < RCRP_N_CATEGORIES, NULL);
  return g_dgettext (GETTEXT_PACKAGE, categories[category].label);
}

static int
risk_index (RcrpRisk risk)
{
  for (guint i = 0; i < RCRP_N_RISKS; i++)
    if (risk == (1u << i))
      return i;

  return -1;
}

const char *
rcrp_risk_to_string (RcrpRisk risk)
{
  int i = risk_index (risk);

  g_return_val_if_fail (i >= 0, NULL);
  return risks[i].id;
}

gboolean
rcrp_risk_from_string (const char *string,
                       RcrpRisk   *risk)
{
  for (guint i = 0; i < G_N_ELEMENTS (risks); i++)
    {
      if (g_strcmp0 (string, risks[i].id) == 0)
        {
          *risk = 1u << i;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
rcrp_risk_get_label (RcrpRisk risk)
{
  int i = risk_index (risk);

  g_return_val_if_fail (i >= 0, NULL);
  return g_dgettext (GETTEXT_PACKAGE, risks[i].label);
}

guint
rcrp_risk_count_threshold (guint set)
{
  return (guint) __builtin_popcount (set & RCRP_RISK_THRESHOLD_MASK);
}

const char *
rcrp_call_status_to_string (RcrpCallStatus status)
{
  g_return_val_if_fail (status < G_N_ELEMENTS (statuses), NULL);
  return statuses[status].id;
}

gboolean
rcrp_call_status_from_string (const char     *string,
                              RcrpCallStatus *status)
{
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      if (g_strcmp0 (string, statuses[i].id) == 0)
        {
          *status = i;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
rcrp_call_status_get_label (RcrpCallStatus status)
{
  g_return_val_if_fail (status < G_N_ELEMENTS (statuses), NULL);
  return g_dgettext (GETTEXT_PACKAGE, statuses[status].label);
}

static void
rcrp_call_finalize (GObject *object)
{
  RcrpCall *self = RCRP_CALL (object);

  g_clear_pointer (&self->cad_ref, g_free);
  g_clear_pointer (&self->received_at, g_date_time_unref);
  g_clear_pointer (&self->summary, g_free);
  g_clear_pointer (&self->updated_at, g_date_time_unref);
  g_clear_pointer (&self->outcome, g_free);
  g_clear_pointer (&self->claimed_by, g_free);
  g_clear_pointer (&self->claim_session, g_free);
  g_clear_pointer (&self->claim_seen, g_date_time_unref);
  g_clear_pointer (&self->decided_at, g_date_time_unref);
  g_clear_pointer (&self->address, g_free);
  g_clear_pointer (&self->postcode, g_free);
  g_clear_pointer (&self->caller_name, g_free);
  g_clear_pointer (&self->caller_phone, g_free);
  g_clear_pointer (&self->caller_relationship, g_free);
  g_clear_pointer (&self->subject_name, g_free);
  g_clear_pointer (&self->subject_sex, g_free);
  g_clear_pointer (&self->subject_ethnicity, g_free);
  g_clear_pointer (&self->setting_name, g_free);
  g_clear_pointer (&self->setting_left_at, g_date_time_unref);
  g_clear_pointer (&self->setting_mha_section, g_free);
  g_clear_pointer (&self->notes, g_free);
  g_clear_pointer (&self->canonical_json, g_free);
  g_clear_pointer (&self->content_hash, g_free);

  G_OBJECT_CLASS (rcrp_call_parent_class)->finalize (object);
}

static void
rcrp_call_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  RcrpCall *self = RCRP_CALL (object);

  switch (prop_id)
    {
    case PROP_CAD_REF:
      g_value_set_string (value, self->cad_ref);
      break;

    case PROP_CATEGORY:
      g_value_set_uint (value, self->category);
      break;

    case PROP_GRADE:
      g_value_set_int (value, self->grade);
      break;

    case PROP_RISKS:
      g_value_set_uint (value, self->risks);
      break;

    case PROP_STATUS:
      g_value_set_uint (value, self->status);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rcrp_call_class_init (RcrpCallClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rcrp_call_finalize;
  object_class->get_property = rcrp_call_get_property;

  properties[PROP_CAD_REF] =
    g_param_spec_string ("cad-ref", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CATEGORY] =
    g_param_spec_uint ("category", NULL, NULL, 0, RCRP_N_CATEGORIES - 1, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_GRADE] =
    g_param_spec_int ("grade", NULL, NULL, 1, 4, 3,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_RISKS] =
    g_param_spec_uint ("risks", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_uint ("status", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rcrp_call_init (RcrpCall *self)
{
  self->grade = 3;
  self->subject_age = -1;
  self->known_to_services = -1;
  self->setting_detained = -1;
  self->setting_informal = -1;
}

RcrpCall *
_rcrp_call_new (void)
{
  return g_object_new (RCRP_TYPE_CALL, NULL);
}

#define GETTER(type, name, field, fallback)          \
  type                                               \
  rcrp_call_get_##name (RcrpCall *self)              \
  {                                                  \
    g_return_val_if_fail (RCRP_IS_CALL (self), fallback); \
    return self->field;                              \
  }

GETTER (gint64, id, id, 0)
GETTER (const char *, cad_ref, cad_ref, NULL)
GETTER (GDateTime *, received_at, received_at, NULL)
GETTER (RcrpCategory, category, category, 0)
GETTER (int, grade, grade, 0)
GETTER (const char *, summary, summary, NULL)
GETTER (guint, risks, risks, 0)
GETTER (RcrpCallStatus, status, status, 0)
GETTER (guint, version_count, version_count, 0)
GETTER (GDateTime *, updated_at, updated_at, NULL)
GETTER (const char *, outcome, outcome, NULL)
GETTER (GDateTime *, decided_at, decided_at, NULL)
GETTER (const char *, address, address, NULL)
GETTER (const char *, postcode, postcode, NULL)
GETTER (const char *, caller_name, caller_name, NULL)
GETTER (const char *, caller_phone, caller_phone, NULL)
GETTER (const char *, caller_relationship, caller_relationship, NULL)
GETTER (const char *, subject_name, subject_name, NULL)
GETTER (int, subject_age, subject_age, -1)
GETTER (const char *, subject_sex, subject_sex, NULL)
GETTER (const char *, subject_ethnicity, subject_ethnicity, NULL)
GETTER (int, known_to_services, known_to_services, -1)
GETTER (const char *, setting_name, setting_name, NULL)
GETTER (int, setting_detained, setting_detained, -1)
GETTER (int, setting_informal, setting_informal, -1)
GETTER (const char *, setting_mha_section, setting_mha_section, NULL)
GETTER (GDateTime *, setting_left_at, setting_left_at, NULL)
GETTER (const char *, notes, notes, NULL)
GETTER (const char *, canonical_json, canonical_json, NULL)
GETTER (const char *, content_hash, content_hash, NULL)

#undef GETTER

gint64
rcrp_call_get_waiting_seconds (RcrpCall  *self,
                               GDateTime *now)
{
  GTimeSpan span;

  g_return_val_if_fail (RCRP_IS_CALL (self), 0);
  g_return_val_if_fail (now != NULL, 0);

  if (self->received_at == NULL)
    return 0;

  /* A C&C clock a little ahead of ours must not show negative waits. */
  span = g_date_time_difference (now, self->received_at);

  return MAX (span, 0) / G_TIME_SPAN_SECOND;
}

gint64
rcrp_call_get_waiting_minutes (RcrpCall  *self,
                               GDateTime *now)
{
  return rcrp_call_get_waiting_seconds (self, now) / 60;
}

gboolean
rcrp_call_is_past_target (RcrpCall  *self,
                          GDateTime *now,
                          int        target_minutes)
{
  g_return_val_if_fail (RCRP_IS_CALL (self), FALSE);
  g_return_val_if_fail (now != NULL, FALSE);

  if (self->status == RCRP_CALL_STATUS_DECIDED || rcrp_call_get_on_hold (self) || self->received_at == NULL)
    return FALSE;

  return g_date_time_difference (now, self->received_at) > (GTimeSpan) target_minutes * G_TIME_SPAN_MINUTE;
}

static void
replace_string (char       **field,
                const char  *value)
{
  char *copy = g_strdup (value);

  g_free (*field);
  *field = copy;
}

static void
replace_datetime (GDateTime **field,
                  GDateTime  *value)
{
  GDateTime *copy = value != NULL ? g_date_time_ref (value) : NULL;

  g_clear_pointer (field, g_date_time_unref);
  *field = copy;
}

void
_rcrp_call_set_id (RcrpCall *self,
                   gint64    id)
{
  self->id = id;
}

void
_rcrp_call_set_cad_ref (RcrpCall   *self,
                        const char *cad_ref)
{
  replace_string (&self->cad_ref, cad_ref);
}

void
_rcrp_call_set_received_at (RcrpCall  *self,
                            GDateTime *received_at)
{
  replace_datetime (&self->received_at, received_at);
}

void
_rcrp_call_set_category (RcrpCall     *self,
                         RcrpCategory  category)
{
  self->category = category;
}

void
_rcrp_call_set_grade (RcrpCall *self,
                      int       grade)
{
  self->grade = grade;
}

void
_rcrp_call_set_summary (RcrpCall   *self,
                        const char *summary)
{
  replace_string (&self->summary, summary);
}

void
_rcrp_call_set_risks (RcrpCall *self,
                      guint     set)
{
  self->risks = set;
}

void
_rcrp_call_set_status (RcrpCall       *self,
                       RcrpCallStatus  status)
{
  self->status = status;
}

void
_rcrp_call_set_version_count (RcrpCall *self,
                              guint     count)
{
  self->version_count = count;
}

void
_rcrp_call_set_updated_at (RcrpCall  *self,
                           GDateTime *updated_at)
{
  replace_datetime (&self->updated_at, updated_at);
}

void
_rcrp_call_set_outcome (RcrpCall   *self,
                        const char *outcome,
                        GDateTime  *decided_at)
{
  replace_string (&self->outcome, outcome);
  replace_datetime (&self->decided_at, decided_at);
}

void
_rcrp_call_set_location (RcrpCall   *self,
                         const char *address,
                         const char *postcode)
{
  replace_string (&self->address, address);
  replace_string (&self->postcode, postcode);
}

void
_rcrp_call_set_caller (RcrpCall   *self,
                       const char *name,
                       const char *phone,
                       const char *relationship)
{
  replace_string (&self->caller_name, name);
  replace_string (&self->caller_phone, phone);
  replace_string (&self->caller_relationship, relationship);
}

void
_rcrp_call_set_subject (RcrpCall   *self,
                        const char *name,
                        int         age,
                        const char *sex,
                        const char *ethnicity,
                        int         known_to_services)
{
  replace_string (&self->subject_name, name);
  self->subject_age = age;
  replace_string (&self->subject_sex, sex);
  replace_string (&self->subject_ethnicity, ethnicity);
  self->known_to_services = known_to_services;
}

void
_rcrp_call_set_setting (RcrpCall   *self,
                        const char *name,
                        GDateTime  *left_at,
                        int         detained,
                        const char *mha_section,
                        int         informal)
{
  replace_string (&self->setting_name, name);
  replace_datetime (&self->setting_left_at, left_at);
  self->setting_detained = detained;
  replace_string (&self->setting_mha_section, mha_section);
  self->setting_informal = informal;
}

void
_rcrp_call_set_notes (RcrpCall   *self,
                      const char *notes)
{
  replace_string (&self->notes, notes);
}

void
_rcrp_call_set_canonical_json (RcrpCall   *self,
                               const char *json)
{
  replace_string (&self->canonical_json, json);
  g_clear_pointer (&self->content_hash, g_free);

  if (json != NULL)
    self->content_hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, json, -1);
}

gboolean
rcrp_call_get_on_hold (RcrpCall *self)
{
  g_return_val_if_fail (RCRP_IS_CALL (self), FALSE);
  return self->on_hold;
}

void
_rcrp_call_set_on_hold (RcrpCall *self,
                        gboolean  on_hold)
{
  g_return_if_fail (RCRP_IS_CALL (self));
  self->on_hold = on_hold;
}

const char *
rcrp_call_get_claimed_by (RcrpCall *self)
{
  g_return_val_if_fail (RCRP_IS_CALL (self), NULL);
  return self->claimed_by;
}

const char *
rcrp_call_get_claim_session (RcrpCall *self)
{
  g_return_val_if_fail (RCRP_IS_CALL (self), NULL);
  return self->claim_session;
}

GDateTime *
rcrp_call_get_claim_seen (RcrpCall *self)
{
  g_return_val_if_fail (RCRP_IS_CALL (self), NULL);
  return self->claim_seen;
}

void
_rcrp_call_set_claim (RcrpCall   *self,
                      const char *claimed_by,
                      const char *session,
                      GDateTime  *seen)
{
  g_return_if_fail (RCRP_IS_CALL (self));

  g_free (self->claimed_by);
  self->claimed_by = g_strdup (claimed_by);
  g_free (self->claim_session);
  self->claim_session = g_strdup (session);
  g_clear_pointer (&self->claim_seen, g_date_time_unref);
  self->claim_seen = seen != NULL ? g_date_time_ref (seen) : NULL;
}

const char *
rcrp_age_band (int age)
{
  static const struct {
    int         below;
    const char *band;
  } bands[] = {
    { 18, "0-17" }, { 25, "18-24" }, { 35, "25-34" }, { 45, "35-44" },
    { 55, "45-54" }, { 65, "55-64" }, { G_MAXINT, "65+" },
  };

  if (age < 0)
    return "unknown";

  for (guint i = 0; i < G_N_ELEMENTS (bands); i++)
    if (age < bands[i].below)
      return bands[i].band;

  return "65+";
}

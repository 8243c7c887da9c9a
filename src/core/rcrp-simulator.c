/* rcrp-simulator.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rcrp-simulator.h"

/* Synthetic calls for demos, training and benchmarks. Everything comes
 * from a GRand seeded by the caller, never from the clock, so a seed and a
 * "now" give the same calls on every machine. The people, places and
 * phone numbers are invented; phone numbers use Ofcom's drama range.
 */

struct _RcrpSimulator
{
  GObject    parent_instance;

  GRand     *rand;
  guint32    seed;
  GDateTime *now;
  guint      serial;
};

G_DEFINE_FINAL_TYPE (RcrpSimulator, rcrp_simulator, G_TYPE_OBJECT)

typedef struct
{
  const char *category;
  guint       weight;
} CategoryWeight;

static const CategoryWeight category_weights[] = {
  { "concern_for_welfare",      45 },
  { "walked_out_of_healthcare", 15 },
  { "awol_mental_health",       10 },
  { "medical_incident",         15 },
  { "mental_health_other",      15 },
};

static const char * const first_names[] = {
  "Amira", "Ben", "Chloe", "Daniel", "Ella", "Femi", "Grace", "Harpreet", "Isaac", "Jade",
  "Kamil", "Leah", "Mohammed", "Niamh", "Oliver", "Priya", "Quentin", "Rosa", "Samuel", "Tia",
  "Usman", "Violet", "Wiktoria", "Xavier", "Yusuf", "Zara",
};

static const char * const surnames[] = {
  "Ahmed", "Baker", "Campbell", "Davies", "Evans", "Fraser", "Green", "Hussain", "Iqbal",
  "Jones", "Khan", "Lewis", "Mensah", "Nowak", "Okafor", "Patel", "Quinn", "Roberts",
  "Singh", "Taylor", "Uddin", "Vaughan", "Walker", "Young",
};

static const char * const streets[] = {
  "Tremona Road", "Portswood Road", "Shirley High Street", "Bitterne Road West",
  "Millbrook Road East", "Lodge Road", "Bedford Place", "Northam Road", "Weston Lane",
  "Thomas Lewis Way", "Winchester Road", "Above Bar Street", "Hill Lane", "Burgess Road",
};

static const char * const postcode_districts[] = {
  "SO14", "SO15", "SO16", "SO17", "SO18", "SO19", "SO30", "SO31", "SO40", "SO50",
};

static const char * const ethnicities[] = {
  "W1", "W1", "W1", "W1", "W1", "W1", "W2", "W9", "A1", "A2", "A3", "A9",
  "B1", "B2", "M1", "M3", "O9", "NS", "NS",
};

static const char * const settings[] = {
  "General Hospital Emergency Department", "General Hospital Ward 4",
  "Western Community Hospital", "Royal South Hants Hospital Outpatients",
};

static const char * const mh_settings[] = {
  "Antelope House Acute Ward", "Parklands Hospital Ward 2", "Melbury Lodge",
};

static const char *
pick (RcrpSimulator      *self,
      const char * const *list,
      guint               n)
{
  return list[g_rand_int_range (self->rand, 0, n)];
}

#define PICK(self, list) pick (self, list, G_N_ELEMENTS (list))

static gboolean
chance (RcrpSimulator *self,
        double         probability)
{
  return g_rand_double (self->rand) < probability;
}

static const char *
pick_category (RcrpSimulator *self)
{
  guint total = 0, roll;

  for (guint i = 0; i < G_N_ELEMENTS (category_weights); i++)
    total += category_weights[i].weight;

  roll = g_rand_int_range (self->rand, 0, total);
  for (guint i = 0; i < G_N_ELEMENTS (category_weights); i++)
    {
      if (roll < category_weights[i].weight)
        return category_weights[i].category;
      roll -= category_weights[i].weight;
    }

  return category_weights[0].category;
}

static char *
make_name (RcrpSimulator *self)
{
  return g_strdup_printf ("%s %s", PICK (self, first_names), PICK (self, surnames));
}

static char *
make_postcode (RcrpSimulator *self)
{
  return g_strdup_printf ("%s %d%c%c", PICK (self, postcode_districts),
                          g_rand_int_range (self->rand, 1, 10),
                          'A' + g_rand_int_range (self->rand, 0, 26),
                          'A' + g_rand_int_range (self->rand, 0, 26));
}

static char *
make_phone (RcrpSimulator *self)
{
  /* 07700 900000–900999 is reserved for drama: never a real number. */
  return g_strdup_printf ("07700 900%03d", g_rand_int_range (self->rand, 0, 1000));
}

static char *
format_time (GDateTime *time)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

typedef struct
{
  const char *relationship;
  const char *summary;
  guint       risks;       /* indexes into risk_names, as bits */
  int         grade;
} Scenario;

enum {
  R_SUICIDAL = 1 << 0,
  R_SELF_HARM = 1 << 1,
  R_WEAPON = 1 << 2,
  R_VIOLENCE = 1 << 3,
  R_CRIME = 1 << 4,
  R_CHILD = 1 << 5,
  R_MEDICAL = 1 << 6,
  R_INTOX = 1 << 7,
  R_LOCATION = 1 << 8,
  R_VULNERABLE = 1 << 9,
};

static const char * const risk_names[] = {
  "suicidal_intent", "self_harm", "weapon", "violence_to_others", "crime_in_progress",
  "child_at_risk", "medical_emergency", "intoxication", "location_unknown", "vulnerable_adult",
};

static const Scenario welfare[] = {
  { "family", "Caller's %s has not answered the phone for two days and missed a family meal; no known risks, caller asking for a welfare check.", 0, 3 },
  { "friend", "Friend received texts from %s saying goodbye and that they have tablets saved up. Currently at home alone.", R_SUICIDAL, 1 },
  { "professional", "Housing officer asks police to do a safe and well check on tenant %s who has not engaged for three weeks. Has not tried to visit or phone next of kin.", R_VULNERABLE, 3 },
  { "public", "Member of the public reports %s sitting on the railway footbridge, distressed and shouting.", R_SUICIDAL | R_LOCATION, 1 },
  { "family", "Mother reports %s is low in mood and not eating; known to the community mental-health team, no threats made.", 0, 3 },
  { "professional", "GP surgery reports %s missed a depot injection appointment and asks police to check on them.", R_VULNERABLE, 4 },
  { "self", "Caller %s says they are struggling and want someone to talk to tonight; no plan to harm themselves.", 0, 3 },
  { "family", "Partner reports %s has cut their arms and is refusing to let anyone in; heard breaking glass.", R_SELF_HARM | R_MEDICAL, 1 },
  { "public", "Neighbour concerned for %s who was heard shouting at a child and seems intoxicated.", R_CHILD | R_INTOX, 2 },
};

static const Scenario walkouts[] = {
  { "healthcare_setting", "Ward staff report %s left the ward 20 minutes ago, not detained, said they wanted to go home.", R_VULNERABLE, 3 },
  { "healthcare_setting", "Emergency department reports %s left before assessment after an overdose; staff have phoned them with no answer.", R_SUICIDAL | R_MEDICAL, 2 },
  { "healthcare_setting", "Patient %s walked out of outpatients; staff have not searched the grounds or contacted next of kin.", 0, 4 },
  { "healthcare_setting", "Elderly patient %s with dementia left the ward in a hospital gown; staff searched the grounds, no trace.", R_VULNERABLE | R_LOCATION, 2 },
};

static const Scenario awol[] = {
  { "healthcare_setting", "%s, detained under section 3, failed to return from section 17 leave. Address known; ward can arrange return.", 0, 3 },
  { "healthcare_setting", "%s, detained under section 2, absconded from the garden; has made threats to harm their ex-partner.", R_VIOLENCE, 1 },
  { "healthcare_setting", "%s is AWOL from the acute ward; staff believe they are at their mother's address and need a warrant to enter.", 0, 2 },
};

static const Scenario medical[] = {
  { "public", "%s collapsed in the street, breathing; ambulance called, caller asks for police as the ambulance is delayed.", R_MEDICAL, 2 },
  { "family", "%s has taken an overdose of paracetamol and is now refusing the ambulance crew entry.", R_MEDICAL | R_SUICIDAL, 1 },
  { "healthcare_setting", "Ambulance crew request police to help with %s who is aggressive and has a knife.", R_MEDICAL | R_WEAPON | R_VIOLENCE, 1 },
  { "public", "%s fallen and cannot get up, lives alone, no injuries reported.", R_VULNERABLE, 3 },
};

static const Scenario other[] = {
  { "self", "%s calling repeatedly saying they hear voices telling them people are watching the flat.", 0, 3 },
  { "public", "%s shouting in the shopping centre, appears confused; security staff with them.", R_VULNERABLE, 3 },
  { "family", "%s has stopped medication and is threatening family members with a hammer.", R_WEAPON | R_VIOLENCE, 1 },
  { "professional", "Crisis team asks for advice about %s who disclosed thoughts of self-harm but has a safety plan.", R_SELF_HARM, 4 },
};

static const Scenario *
pick_scenario (RcrpSimulator *self,
               const char    *category)
{
  if (g_str_equal (category, "concern_for_welfare"))
    return &welfare[g_rand_int_range (self->rand, 0, G_N_ELEMENTS (welfare))];
  if (g_str_equal (category, "walked_out_of_healthcare"))
    return &walkouts[g_rand_int_range (self->rand, 0, G_N_ELEMENTS (walkouts))];
  if (g_str_equal (category, "awol_mental_health"))
    return &awol[g_rand_int_range (self->rand, 0, G_N_ELEMENTS (awol))];
  if (g_str_equal (category, "medical_incident"))
    return &medical[g_rand_int_range (self->rand, 0, G_N_ELEMENTS (medical))];

  return &other[g_rand_int_range (self->rand, 0, G_N_ELEMENTS (other))];
}

/* The scenarios name the person where "%s" stands. */
static char *
fill_in_name (const char *text,
              const char *name)
{
  const char *at = strstr (text, "%s");

  if (at == NULL)
    return g_strdup (text);

  return g_strdup_printf ("%.*s%s%s", (int) (at - text), text, name, at + 2);
}

static void
rcrp_simulator_finalize (GObject *object)
{
  RcrpSimulator *self = RCRP_SIMULATOR (object);

  g_clear_pointer (&self->rand, g_rand_free);
  g_clear_pointer (&self->now, g_date_time_unref);

  G_OBJECT_CLASS (rcrp_simulator_parent_class)->finalize (object);
}

static void
rcrp_simulator_class_init (RcrpSimulatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rcrp_simulator_finalize;
}

static void
rcrp_simulator_init (RcrpSimulator *self)
{
}

RcrpSimulator *
rcrp_simulator_new (guint32    seed,
                    GDateTime *now)
{
  RcrpSimulator *self;

  g_return_val_if_fail (now != NULL, NULL);

  self = g_object_new (RCRP_TYPE_SIMULATOR, NULL);
  self->seed = seed;
  self->rand = g_rand_new_with_seed (seed);
  self->now = g_date_time_to_utc (now);

  return self;
}

JsonNode *
rcrp_simulator_next_call (RcrpSimulator *self,
                          GDateTime     *received_at)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *received = NULL;
  g_autofree char *cad_ref = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *date = NULL;
  const char *category;
  const Scenario *scenario;
  guint risks;
  int grade;

  g_return_val_if_fail (RCRP_IS_SIMULATOR (self), NULL);
  g_return_val_if_fail (received_at != NULL, NULL);

  category = pick_category (self);
  scenario = pick_scenario (self, category);
  subject = make_name (self);
  received = format_time (received_at);
  date = g_date_time_format (received_at, "%Y%m%d");

  /* The seed in the reference keeps two simulators' calls apart. */
  cad_ref = g_strdup_printf ("S%04X-%s-%04u", self->seed & 0xFFFF, date, ++self->serial);

  summary = fill_in_name (scenario->summary, subject);
  risks = scenario->risks;
  if (chance (self, 0.15))
    risks |= R_INTOX;

  /* Call handlers do not always grade the way the scenario suggests. */
  grade = scenario->grade;
  if (chance (self, 0.2))
    {
      int step = chance (self, 0.5) ? 1 : -1;

      grade = CLAMP (grade + step, 1, 4);
    }

  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "schema");
  json_builder_add_string_value (builder, "rcrp.call/1");
  json_builder_set_member_name (builder, "cad_ref");
  json_builder_add_string_value (builder, cad_ref);
  json_builder_set_member_name (builder, "received_at");
  json_builder_add_string_value (builder, received);
  json_builder_set_member_name (builder, "category");
  json_builder_add_string_value (builder, category);
  json_builder_set_member_name (builder, "initial_grade");
  json_builder_add_int_value (builder, grade);
  json_builder_set_member_name (builder, "summary");
  json_builder_add_string_value (builder, summary);

  json_builder_set_member_name (builder, "location");
  json_builder_begin_object (builder);
  {
    g_autofree char *address = g_strdup_printf ("%d %s, Southampton",
                                                g_rand_int_range (self->rand, 1, 240),
                                                PICK (self, streets));
    g_autofree char *postcode = make_postcode (self);

    json_builder_set_member_name (builder, "address");
    json_builder_add_string_value (builder, address);
    json_builder_set_member_name (builder, "postcode");
    json_builder_add_string_value (builder, postcode);
    json_builder_set_member_name (builder, "lat");
    json_builder_add_double_value (builder, 50.88 + g_rand_double_range (self->rand, 0, 0.08));
    json_builder_set_member_name (builder, "lon");
    json_builder_add_double_value (builder, -1.47 + g_rand_double_range (self->rand, 0, 0.12));
  }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "caller");
  json_builder_begin_object (builder);
  {
    g_autofree char *caller = make_name (self);
    g_autofree char *phone = make_phone (self);

    if (!g_str_equal (scenario->relationship, "self"))
      {
        json_builder_set_member_name (builder, "name");
        json_builder_add_string_value (builder, caller);
      }
    json_builder_set_member_name (builder, "phone");
    json_builder_add_string_value (builder, phone);
    json_builder_set_member_name (builder, "relationship");
    json_builder_add_string_value (builder, scenario->relationship);
  }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "subject");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, subject);
  json_builder_set_member_name (builder, "age");
  json_builder_add_int_value (builder, g_rand_int_range (self->rand, 16, 90));
  json_builder_set_member_name (builder, "sex");
  json_builder_add_string_value (builder, chance (self, 0.03) ? "unknown"
                                          : chance (self, 0.5) ? "female" : "male");
  json_builder_set_member_name (builder, "ethnicity");
  json_builder_add_string_value (builder, PICK (self, ethnicities));
  json_builder_set_member_name (builder, "known_to_services");
  json_builder_add_boolean_value (builder, chance (self, 0.55));
  json_builder_end_object (builder);

  if (risks != 0)
    {
      json_builder_set_member_name (builder, "risk_indicators");
      json_builder_begin_array (builder);
      for (guint i = 0; i < G_N_ELEMENTS (risk_names); i++)
        if (risks & (1u << i))
          json_builder_add_string_value (builder, risk_names[i]);
      json_builder_end_array (builder);
    }

  if (g_str_equal (category, "walked_out_of_healthcare") ||
      g_str_equal (category, "awol_mental_health"))
    {
      gboolean is_awol = g_str_equal (category, "awol_mental_health");
      g_autoptr(GDateTime) left = g_date_time_add_minutes (received_at, -g_rand_int_range (self->rand, 10, 240));
      g_autofree char *left_text = format_time (left);

      json_builder_set_member_name (builder, "healthcare_setting");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, is_awol ? PICK (self, mh_settings) : PICK (self, settings));
      json_builder_set_member_name (builder, "left_at");
      json_builder_add_string_value (builder, left_text);
      json_builder_set_member_name (builder, "detained");
      json_builder_add_boolean_value (builder, is_awol);
      if (is_awol)
        {
          json_builder_set_member_name (builder, "mha_section");
          json_builder_add_string_value (builder, chance (self, 0.5) ? "s3" : "s2");
        }
      json_builder_set_member_name (builder, "informal");
      json_builder_add_boolean_value (builder, !is_awol);
      json_builder_end_object (builder);
    }

  if (chance (self, 0.3))
    {
      json_builder_set_member_name (builder, "notes");
      json_builder_add_string_value (builder, chance (self, 0.5)
                                     ? "Previous similar calls this month."
                                     : "Caller will stay on the line if needed.");
    }

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

char *
rcrp_simulator_generate (RcrpSimulator *self,
                         guint          count,
                         GTimeSpan      spread)
{
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
  g_autoptr(JsonArray) array = json_array_sized_new (count);
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  g_return_val_if_fail (RCRP_IS_SIMULATOR (self), NULL);

  for (guint i = 0; i < count; i++)
    {
      /* Evenly spread, the last at "now", so the queue shows a realistic
       * mix of waiting times. */
      GTimeSpan before = count > 1 ? spread - (spread / (count - 1)) * i : 0;
      g_autoptr(GDateTime) received_at = g_date_time_add (self->now, -before);

      json_array_add_element (array, rcrp_simulator_next_call (self, received_at));
    }

  json_node_set_array (root, array);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);

  return json_generator_to_data (generator, NULL);
}

/* rcrp-simulator.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rcrp-call.h"
#include "rcrp-simulator.h"

/* Synthetic calls for demos, training and benchmarks.
 *
 * Everything comes from a GRand seeded by the caller, never from the clock,
 * so a seed and a "now" give the same calls on every machine. The people,
 * towns, streets, hospitals and postcodes are invented (the postcode areas
 * are ones Royal Mail does not use) and the phone numbers are in Ofcom's
 * drama ranges, so nothing here can be mistaken for a real person.
 *
 * A call is put together the way a call handler writes one: an opening line
 * that says who rang about whom, a sentence for each risk the call carries,
 * some background and what has been done so far. The risk indicators are
 * chosen first and the text follows from them, so the two always agree.
 */

struct _RcrpSimulator
{
  GObject    parent_instance;

  GRand     *rand;
  GDateTime *now;
  guint      serial;
  char       suffix[8];
};

G_DEFINE_FINAL_TYPE (RcrpSimulator, rcrp_simulator, G_TYPE_OBJECT)

/* Local short names for the risk bits, to keep the tables readable. */
enum
{
  SUICIDAL   = RCRP_RISK_SUICIDAL_INTENT,
  SELF_HARM  = RCRP_RISK_SELF_HARM,
  WEAPON     = RCRP_RISK_WEAPON,
  VIOLENCE   = RCRP_RISK_VIOLENCE_TO_OTHERS,
  CRIME      = RCRP_RISK_CRIME_IN_PROGRESS,
  CHILD      = RCRP_RISK_CHILD_AT_RISK,
  MEDICAL    = RCRP_RISK_MEDICAL_EMERGENCY,
  INTOX      = RCRP_RISK_INTOXICATION,
  LOCATION   = RCRP_RISK_LOCATION_UNKNOWN,
  VULNERABLE = RCRP_RISK_VULNERABLE_ADULT,
};

/* A piece of a summary and the risk indicators its words assert. Text
 * holds {keys} that expand() fills in: the subject's {name}, {age},
 * pronouns ({he} {He} {him} {his} {His} {himself}), verbs that agree with
 * the pronoun ({is} {has} {was} {s} {es}), the caller's relation to the
 * subject ({rel}) and details of the place ({setting}, {section}, {ago},
 * {street}, {town}, {landmark}, {agency}, {last_seen}, {days}, {child_age},
 * {hours}).
 */
typedef struct
{
  const char *text;
  guint       risks;
} Fragment;

#define END_FRAGMENTS { NULL, 0 }

/* A sentence of a summary that only fits some calls. Hearsay needs a caller
 * who knows the person; a passer-by can only say what they see.
 */
typedef struct
{
  const char *text;
  gboolean    hearsay;
  int         min_age;   /* 0, or the age below which the line rings false */
} Line;

#define END_LINES { NULL, FALSE, 0 }

/* Who rang, how often callers of that kind ring about this category, and
 * the opening lines they give rise to.
 */
typedef struct
{
  const char     *relationship;
  guint           weight;
  gboolean        knows_subject;
  const Fragment *openers;
} CallerKind;

/* How likely each risk indicator is in a category, per mille, in the bit
 * order of RcrpRisk.
 */
typedef struct
{
  RcrpCategory       category;
  guint              weight;
  int                min_age;
  int                max_age;
  guint              risk_odds[RCRP_N_RISKS];
  const CallerKind  *callers;
  guint              n_callers;
  const Line        *background;
} CategoryPlan;

/* Places ------------------------------------------------------------------ */

typedef struct
{
  const char *name;
  const char *area;      /* postcode area, not one Royal Mail uses */
  double      lat;
  double      lon;
} Town;

static const Town towns[] = {
  { "Hallowfield",   "HF", 52.6412, -1.7208 },
  { "Brackenmoor",   "BK", 52.7120, -1.5933 },
  { "Whitlow Cross", "WJ", 52.5804, -1.8641 },
  { "Ashby Vale",    "AV", 52.6930, -1.9125 },
  { "Fenwick Green", "FQ", 52.6155, -1.6312 },
  { "Dunmere",       "DX", 52.7541, -1.8017 },
};

static const char * const streets[] = {
  "Marlow Crescent", "Tanner's Lane", "Fennel Close", "Beacon Rise", "Old Forge Road",
  "Kestrel Way", "Station Approach", "Chantry Walk", "Larkspur Drive", "Quarry Hill",
  "Mill Race Lane", "Nightingale Grove", "Bishopsgate Road", "Cooper Street",
  "Hawthorn Avenue", "Sandpiper Court", "Wharf Road", "Tollgate Lane", "Orchard Mews",
  "Priory Gardens", "Canal Side", "Kingfisher Parade", "Lime Kiln Road", "Ashgrove Terrace",
};

static const char * const blocks[] = {
  "Carrow House", "Juniper Court", "Wren Tower", "Fairhaven Lodge", "Maltings House",
};

static const char * const landmarks[] = {
  "the footbridge over the railway", "the multi-storey car park", "the canal towpath",
  "the bus station", "the retail park", "the war memorial", "the river bridge",
  "the recreation ground", "the bandstand in the park", "the railway station forecourt",
};

/* Unit letters of a real inward code never use C I K M O V. */
static const char postcode_unit_letters[] = "ABDEFGHJLNPQRSTUWXYZ";

typedef enum
{
  SETTING_DEPARTMENT,      /* emergency department, minor injuries, urgent care */
  SETTING_WARD,            /* a general hospital ward */
  SETTING_MENTAL_HEALTH,   /* a mental-health ward, where patients may be detained */
} SettingKind;

typedef struct
{
  const char  *name;
  const char  *street;
  guint        town;
  SettingKind  kind;
} Setting;

static const Setting settings[] = {
  { "Hallowfield General Hospital Emergency Department", "Infirmary Road", 0, SETTING_DEPARTMENT },
  { "Hallowfield General Hospital Ward 7 (Acute Medicine)", "Infirmary Road", 0, SETTING_WARD },
  { "Brackenmoor Community Hospital Minor Injuries Unit", "Spital Lane", 1, SETTING_DEPARTMENT },
  { "St Aldhelm's Hospital Ward 12", "Abbey Fields Road", 3, SETTING_WARD },
  { "Dunmere Urgent Treatment Centre", "Market Hill", 5, SETTING_DEPARTMENT },
  { "Elm Lodge Mental Health Unit, Larch Ward", "Coldharbour Lane", 0, SETTING_MENTAL_HEALTH },
  { "Fenwick House, Heather Ward", "Rectory Road", 4, SETTING_MENTAL_HEALTH },
  { "The Harbour Centre, Willow Ward", "Wharf Road", 2, SETTING_MENTAL_HEALTH },
  { "Castlebrook Road Mental Health Unit, Rowan Ward", "Castlebrook Road", 1, SETTING_MENTAL_HEALTH },
};

typedef struct
{
  const char *name;
  gboolean    mental_health;   /* then the person is known to services */
} Agency;

static const Agency agencies[] = {
  { "Adult Social Care", FALSE },
  { "the community mental health team", TRUE },
  { "Hallowfield Homes housing association", FALSE },
  { "the GP surgery", FALSE },
  { "the crisis resolution and home treatment team", TRUE },
  { "the drug and alcohol service", FALSE },
  { "the supported housing provider", FALSE },
  { "the probation service", FALSE },
};

/* Read both after "since" and on their own. */
static const char * const last_seen[] = {
  "yesterday evening", "this morning", "last night", "yesterday afternoon", "yesterday lunchtime",
};

/* People -------------------------------------------------------------------- */

static const char * const female_names[] = {
  "Amira", "Bethany", "Chloe", "Danielle", "Eilidh", "Folake", "Gemma", "Harpreet", "Imogen",
  "Joanne", "Kirsty", "Leanne", "Maryam", "Niamh", "Olena", "Priya", "Rosa", "Shanice",
  "Tamsin", "Wiktoria", "Yasmin", "Zoe", "Margaret", "Pauline", "Deborah",
};

static const char * const male_names[] = {
  "Aaron", "Bilal", "Callum", "Darren", "Emeka", "Finlay", "Gareth", "Hamza", "Ieuan",
  "Jamal", "Kieran", "Liam", "Mohammed", "Nathan", "Oskar", "Pawel", "Rhys", "Stuart",
  "Tariq", "Usman", "Wayne", "Yusuf", "Derek", "Raymond", "Graham",
};

static const char * const neutral_names[] = {
  "Alex", "Sam", "Jordan", "Charlie", "Robin", "Jamie", "Riley", "Ash",
};

static const char * const surnames[] = {
  "Ashcombe", "Bramwell", "Carrow", "Delacey", "Ellery", "Fairbairn", "Gorrie", "Hollins",
  "Ibbotson", "Jessop", "Kettering", "Lydgate", "Marrable", "Nuttall", "Okonedo", "Pettifer",
  "Quennell", "Rudd", "Stannard", "Thackray", "Underhill", "Varley", "Whitmore", "Yardley",
  "Akhtar", "Banerjee", "Chaudhry", "Mensah-Reid", "Nowicki", "Osei", "Kowalczyk", "Begum",
};

typedef struct
{
  const char *code;
  guint       weight;   /* per ten thousand */
} EthnicityWeight;

/* Roughly the 2021 census for England and Wales, with "not stated" as
 * often as it is in real incident logs.
 */
static const EthnicityWeight ethnicity_weights[] = {
  { "W1", 6800 }, { "W2", 80 }, { "W3", 20 }, { "W4", 20 }, { "W9", 560 },
  { "A1", 290 }, { "A2", 250 }, { "A3", 100 }, { "A4", 60 }, { "A9", 150 },
  { "B1", 100 }, { "B2", 230 }, { "B9", 50 },
  { "M1", 80 }, { "M2", 40 }, { "M3", 70 }, { "M9", 60 },
  { "O2", 60 }, { "O9", 140 },
  { "NS", 840 },
};

typedef struct
{
  char       *name;        /* NULL when the caller does not know it */
  int         age;         /* -1 when not known */
  const char *sex;
  const char *ethnicity;   /* NULL when not given */
  int         known;       /* known to services: -1 not known to the caller */
} Person;

/* Opening lines --------------------------------------------------------------- */

static const Fragment welfare_family[] = {
  { "RP's {rel} {name}{age} has not been heard from since {last_seen}; not answering {his} phone and messages are not being read.", 0 },
  { "RP concerned for {rel} {name}{age}, who sounded very low on the phone {last_seen} and has not replied since.", 0 },
  { "RP reports {rel} {name}{age} did not turn up for a family meal and is not answering the door at {his} flat.", 0 },
  { "RP's {rel} {name}{age} rang RP in tears {last_seen} saying {he} could not cope any more, then hung up.", 0 },
  { "RP states {rel} {name}{age} has been increasingly withdrawn over the past fortnight and stopped eating.", 0 },
  END_FRAGMENTS
};

static const Fragment welfare_friend[] = {
  { "RP is a friend of {name}{age} and has received worrying messages from {him} {last_seen}.", 0 },
  { "RP concerned for friend {name}{age}, who did not turn up to meet RP as arranged and is not answering the door.", 0 },
  { "RP saw a post by {name}{age} on social media {last_seen} that reads like a goodbye.", 0 },
  END_FRAGMENTS
};

static const Fragment welfare_professional[] = {
  { "Call from {agency} asking police to carry out a safe and well check on {name}{age}.", 0 },
  { "{Agency} reports {name}{age} has not engaged with the service for {days} days and asks police to check on {him}.", 0 },
  { "Support worker from {agency} reports {name}{age} missed a planned visit today and the flat is in darkness.", 0 },
  END_FRAGMENTS
};

static const Fragment welfare_public[] = {
  { "Member of the public reports {name} sitting alone at {landmark}, {street}, appearing distressed.", 0 },
  { "RP driving past saw {name} walking in the road near {landmark}, crying and not responding to passers-by.", 0 },
  { "Member of the public reports {name} standing close to the edge at {landmark} for the last ten minutes.", SUICIDAL },
  { "Neighbour reports hearing {name} shouting and sobbing in the flat upstairs at {street} for over an hour.", 0 },
  END_FRAGMENTS
};

static const Fragment welfare_self[] = {
  { "RP is the subject, {name}{age}. States {he} {is} struggling to cope and wants to speak to someone tonight.", 0 },
  { "RP {name}{age} calling from home; says {he} {has} not slept for three days and feel{s} unsafe on {his} own.", 0 },
  END_FRAGMENTS
};

static const Fragment welfare_other[] = {
  { "Landlord of {name}{age} reports rent unpaid, post piling up behind the door and no answer for a week.", 0 },
  { "Taxi driver reports dropping {name} at {landmark}; {he} said things on the journey that worried the driver.", 0 },
  END_FRAGMENTS
};

static const CallerKind welfare_callers[] = {
  { "family",       40, TRUE,  welfare_family },
  { "friend",       15, TRUE,  welfare_friend },
  { "professional", 20, TRUE,  welfare_professional },
  { "public",       15, FALSE, welfare_public },
  { "self",          7, TRUE,  welfare_self },
  { "other",         3, TRUE,  welfare_other },
};

static const Fragment walked_setting[] = {
  { "{Setting} reports patient {name}{age} left the department {ago} before {his} assessment was complete.", 0 },
  { "Call from {setting}: {name}{age} left {ago} while waiting to be seen, against medical advice.", 0 },
  { "{Setting} reports {name}{age} went outside for a cigarette {ago} and has not come back in.", 0 },
  END_FRAGMENTS
};

/* For a ward rather than a department; chosen in place of the lines above
 * once the setting is known. */
static const Fragment walked_ward[] = {
  { "Nurse in charge at {setting} reports {name}{age} walked off the ward {ago} and has not come back.", 0 },
  { "Call from {setting}: {name}{age} self-discharged against medical advice {ago}.", 0 },
  { "{Setting} reports {name}{age} went out for a cigarette {ago} and has not returned to the ward.", 0 },
  END_FRAGMENTS
};

static const Fragment walked_family[] = {
  { "RP's {rel} {name}{age} rang RP to say {he} {has} walked out of {setting} {ago}; RP does not know where {he} {is} now.", 0 },
  END_FRAGMENTS
};

static const CallerKind walked_callers[] = {
  { "healthcare_setting", 85, TRUE, walked_setting },
  { "family",             15, TRUE, walked_family },
};

static const Fragment awol_setting[] = {
  { "{Setting} reports {name}{age}, detained under {section}, failed to return from section 17 leave that ended {ago}.", 0 },
  { "{Name}{age}, detained under {section}, absconded from the garden at {setting} {ago}.", 0 },
  { "Ward staff at {setting} report {name}{age}, {section}, ran off from escorting staff in {town} town centre {ago}.", 0 },
  { "{Setting} reports {name}{age}, detained under {section}, is absent without leave; last seen on the ward {ago}.", 0 },
  END_FRAGMENTS
};

static const CallerKind awol_callers[] = {
  { "healthcare_setting", 100, TRUE, awol_setting },
};

static const Fragment medical_public[] = {
  { "RP reports {name} has collapsed outside the shops on {street} and is not responding; breathing noisily.", MEDICAL },
  { "Member of the public reports {name} slumped on a bench at {landmark}, possibly having a fit.", MEDICAL },
  { "RP reports {name} has fallen down the steps at {landmark} and has a head injury; conscious but confused.", MEDICAL },
  END_FRAGMENTS
};

static const Fragment medical_family[] = {
  { "RP's {rel} {name}{age} has taken an overdose of paracetamol about an hour ago and is now vomiting.", MEDICAL | SUICIDAL },
  { "RP's {rel} {name}{age} has fallen at home and cannot get up; no obvious injuries, ambulance delayed.", 0 },
  { "RP reports {rel} {name}{age} is having chest pains and the ambulance has quoted a wait of {hours} hours; RP asking if police can take {him} to hospital.", MEDICAL },
  END_FRAGMENTS
};

static const Fragment medical_professional[] = {
  { "Ambulance crew on scene at {street} request police assistance with {name}{age}, who is refusing treatment.", 0 },
  { "Paramedic requests police attend as patient {name}{age} has become aggressive towards the crew.", VIOLENCE },
  { "NHS 111 passing a call regarding {name}{age}, who is drowsy after taking unknown tablets; ambulance assigned.", MEDICAL },
  END_FRAGMENTS
};

static const Fragment medical_self[] = {
  { "RP {name}{age} states {he} {has} taken all of {his} tablets and now feel{s} very unwell.", MEDICAL | SUICIDAL },
  END_FRAGMENTS
};

static const CallerKind medical_callers[] = {
  { "public",       40, FALSE, medical_public },
  { "family",       35, TRUE,  medical_family },
  { "professional", 20, TRUE,  medical_professional },
  { "self",          5, TRUE,  medical_self },
};

static const Fragment other_self[] = {
  { "RP {name}{age} calling for the fourth time tonight stating the neighbours are watching {him} through the walls.", 0 },
  { "RP {name}{age} says {he} hear{s} voices telling {him} to leave the house and does not know what to do.", 0 },
  END_FRAGMENTS
};

static const Fragment other_family[] = {
  { "RP's {rel} {name}{age} has stopped taking {his} medication and is becoming increasingly paranoid.", 0 },
  { "RP reports {rel} {name}{age} has not slept for days, is talking very fast and has been giving money away to strangers.", VULNERABLE },
  { "RP's {rel} {name}{age} is barricaded in the bedroom shouting that people are coming to get {him}.", 0 },
  END_FRAGMENTS
};

static const Fragment other_public[] = {
  { "Security at the shopping centre on {street} report {name} shouting at shoppers and appearing very confused.", 0 },
  { "RP reports {name} walking up and down {street} talking loudly to {himself} and banging on doors.", 0 },
  END_FRAGMENTS
};

static const Fragment other_professional[] = {
  { "Crisis line passing details of {name}{age}, who disclosed distressing thoughts during a call; line asking police for advice only.", 0 },
  { "{Agency} reports {name}{age} made concerning comments at an appointment today and left before the end.", 0 },
  END_FRAGMENTS
};

static const Fragment other_other[] = {
  { "Staff at a hotel on {street} report guest {name}{age} behaving erratically and refusing to leave the lobby.", 0 },
  END_FRAGMENTS
};

static const CallerKind other_callers[] = {
  { "self",         25, TRUE,  other_self },
  { "family",       30, TRUE,  other_family },
  { "public",       20, FALSE, other_public },
  { "professional", 20, TRUE,  other_professional },
  { "other",         5, TRUE,  other_other },
};

/* Risks, background and closing lines ---------------------------------------- */

/* Sentences per risk indicator, in the bit order of RcrpRisk; every list
 * has at least one line that is not hearsay and fits any age.
 */

static const Line suicidal_lines[] = {
  { "{He} {has} said {he} intend{s} to end {his} life tonight.", TRUE },
  { "Sent a text saying goodbye and that {he} {has} tablets saved up.", TRUE },
  { "{He} {has} made a previous attempt on {his} life and {is} talking about doing so again.", TRUE },
  { "{He} {was} heard saying {he} want{s} to jump.", FALSE },
  END_LINES
};

static const Line self_harm_lines[] = {
  { "History of self-harm; believed to have cut {himself} again.", TRUE },
  { "Disclosed cutting {his} arms earlier today.", TRUE },
  { "Blood visible on {his} forearms.", FALSE },
  END_LINES
};

static const Line weapon_lines[] = {
  { "Believed to have a kitchen knife with {him}.", TRUE },
  { "Has a hammer and has been waving it around.", FALSE },
  { "{He} {was} seen holding a broken bottle.", FALSE },
  END_LINES
};

static const Line violence_lines[] = {
  { "{He} {has} threatened to hurt {his} ex-partner.", TRUE },
  { "{He} {has} assaulted a family member in the past when unwell.", TRUE },
  { "{He} {was} shouting threats at passers-by and squaring up to people.", FALSE },
  END_LINES
};

static const Line crime_lines[] = {
  { "{He} {is} currently smashing windows.", FALSE },
  { "Damage to a parked car in the last few minutes.", FALSE },
  { "{He} {has} just taken items from a shop without paying and staff are following {him}.", FALSE },
  END_LINES
};

static const Line child_lines[] = {
  { "There is a {child_age}-year-old child at the address with {him}.", TRUE },
  { "{His} two young children are in the flat.", TRUE },
  { "{He} {has} a young child with {him} in a pushchair.", FALSE },
  END_LINES
};

static const Line medical_lines[] = {
  { "{He} {has} taken an unknown quantity of tablets and {is} drowsy.", TRUE },
  { "{He} {is} diabetic and {has} not eaten or taken insulin today.", TRUE },
  { "{He} {is} drifting in and out of consciousness.", FALSE },
  END_LINES
};

static const Line intoxication_lines[] = {
  { "{He} {has} been drinking heavily all afternoon.", TRUE },
  { "Believed to be under the influence of drugs.", FALSE },
  { "Smells strongly of alcohol and is unsteady on {his} feet.", FALSE },
  END_LINES
};

static const Line location_lines[] = {
  { "Whereabouts unknown; phone going straight to voicemail.", TRUE },
  { "Phone is switched off and {he} {is} not at any of the usual addresses.", TRUE },
  { "{He} walked off before RP could stop {him}; direction of travel not known.", FALSE },
  END_LINES
};

static const Line vulnerable_lines[] = {
  { "{He} {has} a learning disability and {is} not used to being out alone.", TRUE },
  { "Frail, with early-stage dementia.", TRUE, 65 },
  { "{He} seem{s} very confused and cannot say where {he} live{s}.", FALSE },
  END_LINES
};

static const Line * const risk_lines[RCRP_N_RISKS] = {
  suicidal_lines, self_harm_lines, weapon_lines, violence_lines, crime_lines,
  child_lines, medical_lines, intoxication_lines, location_lines, vulnerable_lines,
};

static const Line welfare_background[] = {
  { "Lives alone.", TRUE, 0 },
  { "Recently lost {his} job and has been struggling with debt.", TRUE, 0 },
  { "Car is still outside the address and curtains have been closed all day.", FALSE, 0 },
  { "Nearest relative lives over an hour away and cannot attend.", TRUE, 0 },
  { "Recently discharged from hospital after a fall.", TRUE, 60 },
  { "Relationship ended last month.", TRUE, 0 },
  END_LINES
};

/* Walk-outs from a department or a general ward. */
static const Line walked_background[] = {
  { "Came in by ambulance after a fall earlier today.", TRUE, 0 },
  { "Had been referred to the liaison psychiatry team.", TRUE, 0 },
  { "Was wearing a hospital gown and slippers when {he} left.", TRUE, 0 },
  { "Has a cannula still in {his} arm.", TRUE, 0 },
  { "Was brought in by friends after a night out.", TRUE, 0 },
  END_LINES
};

/* Walk-outs from a mental-health ward. */
static const Line ward_background[] = {
  { "Admitted informally four days ago after a crisis at home.", TRUE, 0 },
  { "Had been asking to go home all morning.", TRUE, 0 },
  { "Left without {his} coat or phone.", TRUE, 0 },
  END_LINES
};

static const Line awol_background[] = {
  { "Has been on the ward for six weeks.", TRUE, 0 },
  { "Was granted unescorted leave for the first time this week.", TRUE, 0 },
  { "Has gone absent twice before and was found at a relative's address.", TRUE, 0 },
  { "Has been more unsettled since a change of medication.", TRUE, 0 },
  END_LINES
};

static const Line medical_background[] = {
  { "First aider from a nearby shop is with {him}.", FALSE, 0 },
  { "Lives alone.", TRUE, 0 },
  { "Has a heart condition and takes blood thinners.", TRUE, 50 },
  END_LINES
};

static const char * const ambulance_lines[] = {
  "Ambulance has been requested and is on the way.",
  "Ambulance service quoting a delay of {hours} hours.",
  "Ambulance not yet requested.",
  NULL
};

static const Line other_background[] = {
  { "Similar calls from this address most nights this week.", FALSE, 0 },
  { "Has a diagnosis of bipolar disorder according to RP.", TRUE, 0 },
  { "Recently moved into the area and has no local support.", TRUE, 0 },
  END_LINES
};

static const char * const known_lines[] = {
  "Known to the CMHT and has a care coordinator.",
  "Known to mental health services; under the crisis team last year.",
  "Open to the community mental health team.",
  NULL
};

static const char * const not_known_lines[] = {
  "Not known to mental health services as far as RP is aware.",
  "No previous contact with mental health services.",
  NULL
};

/* The plan per category ------------------------------------------------------------ */

static const CategoryPlan plans[] = {
  { RCRP_CATEGORY_CONCERN_FOR_WELFARE, 45, 18, 94,
    /* suicidal self-harm weapon violence crime child medical intox location vulnerable */
    { 110, 120, 20, 30, 10, 30, 40, 180, 150, 280 },
    welfare_callers, G_N_ELEMENTS (welfare_callers), welfare_background },
  { RCRP_CATEGORY_WALKED_OUT_OF_HEALTHCARE, 15, 18, 92,
    { 90, 100, 15, 30, 5, 0, 60, 140, 500, 420 },
    walked_callers, G_N_ELEMENTS (walked_callers), walked_background },
  { RCRP_CATEGORY_AWOL_MENTAL_HEALTH, 10, 18, 70,
    { 80, 80, 40, 130, 20, 10, 20, 100, 500, 280 },
    awol_callers, G_N_ELEMENTS (awol_callers), awol_background },
  { RCRP_CATEGORY_MEDICAL_INCIDENT, 15, 18, 96,
    { 50, 40, 30, 60, 20, 20, 200, 250, 20, 330 },
    medical_callers, G_N_ELEMENTS (medical_callers), medical_background },
  { RCRP_CATEGORY_MENTAL_HEALTH_OTHER, 15, 18, 85,
    { 60, 100, 50, 80, 50, 20, 20, 200, 50, 280 },
    other_callers, G_N_ELEMENTS (other_callers), other_background },
};

G_STATIC_ASSERT (G_N_ELEMENTS (plans) == RCRP_N_CATEGORIES);

static const char * const notes_lines[] = {
  "Caller happy to be called back on this number.",
  "Caller advised to ring back if anything changes.",
  "Previous incidents at this address: three in the last twelve months.",
  "Interpreter may be needed: first language Polish.",
  "Interpreter may be needed: first language Punjabi.",
  "Caller became upset and ended the call; call back attempted, no answer.",
  "Transferred from the ambulance service's control room.",
  "Caller has hearing loss; text relay used.",
  NULL
};

/* Randomness -------------------------------------------------------------------- */

static guint
pick_index (RcrpSimulator *self,
            guint          n)
{
  g_assert (n > 0);

  return (guint) g_rand_int_range (self->rand, 0, (gint32) n);
}

static const char *
pick_line (RcrpSimulator      *self,
           const char * const *lines)
{
  return lines[pick_index (self, g_strv_length ((char **) lines))];
}

#define PICK(self, list) ((list)[pick_index ((self), G_N_ELEMENTS (list))])

static guint
count_fragments (const Fragment *fragments)
{
  guint n = 0;

  while (fragments[n].text != NULL)
    n++;

  return n;
}

static const Fragment *
pick_fragment (RcrpSimulator  *self,
               const Fragment *fragments)
{
  return &fragments[pick_index (self, count_fragments (fragments))];
}

/* Returns a line that fits what the caller knows and the person's age, or
 * NULL if none does.
 */
static const char *
pick_fitting_line (RcrpSimulator *self,
                   const Line    *lines,
                   gboolean       knows_subject,
                   int            age)
{
  const Line *usable[8];
  guint n = 0;

  for (guint i = 0; lines[i].text != NULL && n < G_N_ELEMENTS (usable); i++)
    {
      if ((knows_subject || !lines[i].hearsay) &&
          (lines[i].min_age == 0 || age >= lines[i].min_age))
        usable[n++] = &lines[i];
    }

  if (n == 0)
    return NULL;

  return usable[pick_index (self, n)]->text;
}

/* TRUE with a probability of @per_mille / 1000. */
static gboolean
chance (RcrpSimulator *self,
        guint          per_mille)
{
  return (guint) g_rand_int_range (self->rand, 0, 1000) < per_mille;
}

static int
range (RcrpSimulator *self,
       int            low,
       int            high)
{
  return g_rand_int_range (self->rand, low, high + 1);
}

static const CategoryPlan *
pick_plan (RcrpSimulator *self)
{
  guint total = 0;
  guint roll;

  for (guint i = 0; i < G_N_ELEMENTS (plans); i++)
    total += plans[i].weight;

  roll = pick_index (self, total);
  for (guint i = 0; i < G_N_ELEMENTS (plans); i++)
    {
      if (roll < plans[i].weight)
        return &plans[i];
      roll -= plans[i].weight;
    }

  g_assert_not_reached ();
}

static const CallerKind *
pick_caller (RcrpSimulator      *self,
             const CategoryPlan *plan)
{
  guint total = 0;
  guint roll;

  for (guint i = 0; i < plan->n_callers; i++)
    total += plan->callers[i].weight;

  roll = pick_index (self, total);
  for (guint i = 0; i < plan->n_callers; i++)
    {
      if (roll < plan->callers[i].weight)
        return &plan->callers[i];
      roll -= plan->callers[i].weight;
    }

  g_assert_not_reached ();
}

static const char *
pick_ethnicity (RcrpSimulator *self)
{
  guint total = 0;
  guint roll;

  for (guint i = 0; i < G_N_ELEMENTS (ethnicity_weights); i++)
    total += ethnicity_weights[i].weight;

  roll = pick_index (self, total);
  for (guint i = 0; i < G_N_ELEMENTS (ethnicity_weights); i++)
    {
      if (roll < ethnicity_weights[i].weight)
        return ethnicity_weights[i].code;
      roll -= ethnicity_weights[i].weight;
    }

  g_assert_not_reached ();
}

/* Adults in the age range, weighted towards the middle the way calls are. */
static int
pick_age (RcrpSimulator *self,
          int            min_age,
          int            max_age)
{
  int a = range (self, min_age, max_age);
  int b = range (self, min_age, max_age);

  return (a + b) / 2;
}

static const char *
pick_first_name (RcrpSimulator *self,
                 const char    *sex)
{
  if (g_str_equal (sex, "female"))
    return PICK (self, female_names);
  if (g_str_equal (sex, "male"))
    return PICK (self, male_names);

  return PICK (self, neutral_names);
}

static char *
make_postcode (RcrpSimulator *self,
               const Town    *town)
{
  return g_strdup_printf ("%s%d %d%c%c", town->area, range (self, 1, 12), range (self, 1, 9),
                          postcode_unit_letters[pick_index (self, sizeof postcode_unit_letters - 1)],
                          postcode_unit_letters[pick_index (self, sizeof postcode_unit_letters - 1)]);
}

static char *
make_mobile (RcrpSimulator *self)
{
  return g_strdup_printf ("07700 900%03d", range (self, 0, 999));
}

static char *
make_landline (RcrpSimulator *self)
{
  return g_strdup_printf ("01632 960%03d", range (self, 0, 999));
}

static char *
format_time (GDateTime *time)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

/* Summary text --------------------------------------------------------------------- */

#define MAX_VARS 32

typedef struct
{
  const char *keys[MAX_VARS];
  char       *values[MAX_VARS];
  guint       n;
} Vars;

static void
vars_clear (Vars *vars)
{
  for (guint i = 0; i < vars->n; i++)
    g_free (vars->values[i]);
  vars->n = 0;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Vars, vars_clear)

static void
vars_take (Vars       *vars,
           const char *key,
           char       *value)
{
  for (guint i = 0; i < vars->n; i++)
    {
      if (g_str_equal (vars->keys[i], key))
        {
          g_free (vars->values[i]);
          vars->values[i] = value;
          return;
        }
    }

  g_assert (vars->n < MAX_VARS);
  vars->keys[vars->n] = key;
  vars->values[vars->n] = value;
  vars->n++;
}

static void
vars_set (Vars       *vars,
          const char *key,
          const char *value)
{
  vars_take (vars, key, g_strdup (value));
}

static const char *
vars_lookup (const Vars *vars,
             const char *key)
{
  for (guint i = 0; i < vars->n; i++)
    {
      if (g_str_equal (vars->keys[i], key))
        return vars->values[i];
    }

  return NULL;
}

static void
append_capitalised (GString    *out,
                    const char *value)
{
  if (value[0] == '\0')
    return;

  g_string_append_unichar (out, g_unichar_totitle (g_utf8_get_char (value)));
  g_string_append (out, g_utf8_next_char (value));
}

/* Fills in {key} from @vars; {Key} gives the value with a capital letter,
 * for the start of a sentence.
 */
static void
expand_into (GString    *out,
             const Vars *vars,
             const char *text)
{
  const char *p = text;

  while (*p != '\0')
    {
      const char *open = strchr (p, '{');
      const char *close;
      g_autofree char *key = NULL;
      const char *value;
      gboolean capital;

      if (open == NULL)
        {
          g_string_append (out, p);
          return;
        }

      g_string_append_len (out, p, open - p);
      close = strchr (open, '}');
      g_assert (close != NULL);

      key = g_strndup (open + 1, close - open - 1);
      capital = g_ascii_isupper (key[0]);
      key[0] = g_ascii_tolower (key[0]);

      value = vars_lookup (vars, key);
      if (value == NULL)
        g_error ("Simulator text “%s” uses {%s}, which is not set", text, key);

      if (capital)
        append_capitalised (out, value);
      else
        g_string_append (out, value);

      p = close + 1;
    }
}

static void
set_pronouns (Vars       *vars,
              const char *sex)
{
  gboolean female = g_str_equal (sex, "female");
  gboolean male = g_str_equal (sex, "male");

  if (female || male)
    {
      vars_set (vars, "he", female ? "she" : "he");
      vars_set (vars, "him", female ? "her" : "him");
      vars_set (vars, "his", female ? "her" : "his");
      vars_set (vars, "himself", female ? "herself" : "himself");
      vars_set (vars, "is", "is");
      vars_set (vars, "has", "has");
      vars_set (vars, "was", "was");
      vars_set (vars, "s", "s");
      vars_set (vars, "es", "es");
    }
  else
    {
      vars_set (vars, "he", "they");
      vars_set (vars, "him", "them");
      vars_set (vars, "his", "their");
      vars_set (vars, "himself", "themselves");
      vars_set (vars, "is", "are");
      vars_set (vars, "has", "have");
      vars_set (vars, "was", "were");
      vars_set (vars, "s", "");
      vars_set (vars, "es", "");
    }
}

/* The subject as the caller would name them to a relative. */
static const char *
relation_word (RcrpSimulator *self,
               const Person  *subject)
{
  static const char * const young[][3] = {
    { "daughter", "son", "child" },
    { "sister", "brother", "sibling" },
    { "partner", "partner", "partner" },
  };
  static const char * const middle[][3] = {
    { "wife", "husband", "partner" },
    { "partner", "partner", "partner" },
    { "sister", "brother", "sibling" },
    { "daughter", "son", "child" },
  };
  static const char * const old[][3] = {
    { "mother", "father", "parent" },
    { "wife", "husband", "partner" },
    { "mother", "father", "parent" },
  };
  guint column = g_str_equal (subject->sex, "female") ? 0 : g_str_equal (subject->sex, "male") ? 1 : 2;

  if (subject->age >= 0 && subject->age < 30)
    return PICK (self, young)[column];
  if (subject->age >= 0 && subject->age < 62)
    return PICK (self, middle)[column];

  return PICK (self, old)[column];
}

static const char *
section_words (const char *section)
{
  if (g_str_equal (section, "s2"))
    return "section 2";
  if (g_str_equal (section, "s3"))
    return "section 3";
  if (g_str_equal (section, "s37"))
    return "section 37";
  if (g_str_equal (section, "s37/41"))
    return "section 37/41 (restricted patient)";
  if (g_str_equal (section, "s136"))
    return "section 136";
  if (g_str_equal (section, "s5(2)"))
    return "a section 5(2) holding power";

  return section;
}

static char *
ago_words (int minutes)
{
  if (minutes < 90)
    return g_strdup_printf ("%d minutes ago", minutes);

  return g_strdup_printf ("about %d hours ago", (minutes + 30) / 60);
}

/* What has been done so far and what the caller asks for, which is what
 * the coordinator's first questions are about.
 */
static const char *
closing_line (RcrpSimulator *self,
              RcrpCategory   category,
              const char    *relationship)
{
  static const char * const setting_lines[] = {
    "Staff have searched the grounds and phoned {him} with no answer; NOK not yet contacted.",
    "Staff have not yet searched the grounds or contacted NOK.",
    "Staff have searched the building and phoned NOK, who have not seen {him}.",
    "Risk assessment completed by staff; requesting police assistance to locate.",
    "Staff have not completed a risk assessment yet.",
    NULL
  };
  static const char * const awol_lines[] = {
    "Ward believes {he} {has} gone to {his} home address and could arrange return with the ambulance service.",
    "Ward requests police assistance as {he} {has} previously been violent when returned.",
    "Staff think {he} will be at a friend's flat; a section 135(2) warrant may be needed to gain entry.",
    "Ward has phoned {him} and NOK; no answer from either.",
    NULL
  };
  static const char * const professional_lines[] = {
    "Service has phoned {him} twice but has not visited.",
    "Service has visited twice and phoned NOK without success.",
    "Service has not tried to contact NOK.",
    "Asking for advice only at this stage.",
    NULL
  };
  static const char * const family_lines[] = {
    "RP requesting police attend.",
    "RP has tried {his} GP and NHS 111 with no answer.",
    "RP will try to get round to the address but is worried.",
    "RP asking what can be done.",
    NULL
  };
  static const char * const public_lines[] = {
    "RP is staying at a distance and watching.",
    "RP has had to leave the scene.",
    "RP willing to stay on the line.",
    NULL
  };
  static const char * const other_lines[] = {
    "RP has stayed nearby.",
    "RP asking for police to attend.",
    "RP does not know who else to call.",
    NULL
  };
  static const char * const self_lines[] = {
    "RP asking to speak to someone from the mental health team.",
    "RP says {he} do{es} not want police at the door.",
    "RP agreed to stay on the line while options are explored.",
    NULL
  };

  if (category == RCRP_CATEGORY_AWOL_MENTAL_HEALTH)
    return pick_line (self, awol_lines);
  if (g_str_equal (relationship, "healthcare_setting"))
    return pick_line (self, setting_lines);
  if (g_str_equal (relationship, "professional"))
    return pick_line (self, professional_lines);
  if (g_str_equal (relationship, "public"))
    return pick_line (self, public_lines);
  if (g_str_equal (relationship, "self"))
    return pick_line (self, self_lines);
  if (g_str_equal (relationship, "other"))
    return pick_line (self, other_lines);

  return pick_line (self, family_lines);
}

/* The call --------------------------------------------------------------------------- */

typedef struct
{
  const Setting *setting;
  GDateTime     *left_at;
  gboolean       detained;
  const char    *section;     /* NULL when not detained */
  int            informal;    /* -1: not an inpatient, so neither */
} SettingFacts;

static void
builder_add_string (JsonBuilder *builder,
                    const char  *member,
                    const char  *value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value);
}

static void
builder_add_int (JsonBuilder *builder,
                 const char  *member,
                 gint64       value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_int_value (builder, value);
}

static void
builder_add_boolean (JsonBuilder *builder,
                     const char  *member,
                     gboolean     value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_boolean_value (builder, value);
}

static void
builder_add_double (JsonBuilder *builder,
                    const char  *member,
                    double       value)
{
  json_builder_set_member_name (builder, member);
  /* Rounded to 1/4096 of a degree (about 25 metres): such a number is exact
   * in binary, so the generator writes it out in full instead of as the
   * 17-digit approximation of a decimal fraction. */
  json_builder_add_double_value (builder, (double) (gint64) (value * 4096.0 + (value < 0 ? -0.5 : 0.5)) / 4096.0);
}

static void
pick_setting_facts (RcrpSimulator *self,
                    RcrpCategory   category,
                    GDateTime     *received_at,
                    SettingFacts  *facts)
{
  static const char * const awol_sections[] = {
    "s3", "s3", "s3", "s3", "s2", "s2", "s2", "s37", "s37", "s37/41",
  };
  gboolean awol = category == RCRP_CATEGORY_AWOL_MENTAL_HEALTH;
  int minutes;
  guint index;

  if (awol)
    {
      /* AWOL is from mental-health wards only. */
      do
        index = pick_index (self, G_N_ELEMENTS (settings));
      while (settings[index].kind != SETTING_MENTAL_HEALTH);
      minutes = range (self, 20, 600);
    }
  else
    {
      index = pick_index (self, G_N_ELEMENTS (settings));
      minutes = range (self, 5, 180);
    }

  facts->setting = &settings[index];
  facts->left_at = g_date_time_add_minutes (received_at, -minutes);

  if (awol)
    {
      facts->detained = TRUE;
      facts->section = PICK (self, awol_sections);
      facts->informal = FALSE;
    }
  else if (facts->setting->kind == SETTING_MENTAL_HEALTH)
    {
      /* Now and then a walk-out turns out to be someone liable to be
       * detained: the coordinator should then treat it as AWOL. */
      facts->detained = chance (self, 120);
      facts->section = facts->detained ? (chance (self, 500) ? "s5(2)" : "s2") : NULL;
      facts->informal = !facts->detained;
    }
  else if (facts->setting->kind == SETTING_DEPARTMENT && chance (self, 60))
    {
      /* Brought to the emergency department as a place of safety. */
      facts->detained = TRUE;
      facts->section = "s136";
      facts->informal = FALSE;
    }
  else
    {
      /* Not a mental-health inpatient, so neither detained nor informal. */
      facts->detained = FALSE;
      facts->section = NULL;
      facts->informal = -1;
    }
}

static guint
pick_risks (RcrpSimulator      *self,
            const CategoryPlan *plan,
            guint               given)
{
  guint risks = given;

  for (guint i = 0; i < RCRP_N_RISKS; i++)
    {
      if (chance (self, plan->risk_odds[i]))
        risks |= 1u << i;
    }

  return risks;
}

/* Call handlers grade on what they hear: threats to life high, the rest
 * lower, with the variation real grading has.
 */
static int
pick_grade (RcrpSimulator *self,
            guint          risks)
{
  static const guint threshold[] = { 600, 350, 50, 0 };
  static const guint vulnerable[] = { 50, 350, 450, 150 };
  static const guint routine[] = { 10, 150, 500, 340 };
  const guint *odds;
  guint roll;

  if (rcrp_risk_count_threshold (risks) > 0)
    odds = threshold;
  else if (risks & (VULNERABLE | LOCATION | SELF_HARM))
    odds = vulnerable;
  else
    odds = routine;

  roll = pick_index (self, 1000);
  for (int grade = 1; grade <= 4; grade++)
    {
      if (roll < odds[grade - 1])
        return grade;
      roll -= odds[grade - 1];
    }

  return 3;
}

static void
make_subject (RcrpSimulator      *self,
              const CategoryPlan *plan,
              const CallerKind   *caller,
              Person             *subject)
{
  guint sex_roll = pick_index (self, 1000);

  if (sex_roll < 485)
    subject->sex = "female";
  else if (sex_roll < 975)
    subject->sex = "male";
  else if (sex_roll < 985)
    subject->sex = "other";
  else
    subject->sex = "unknown";

  if (caller->knows_subject)
    {
      subject->name = g_strdup_printf ("%s %s", pick_first_name (self, subject->sex), PICK (self, surnames));
      subject->age = pick_age (self, plan->min_age, plan->max_age);
      subject->ethnicity = chance (self, 900) ? pick_ethnicity (self) : NULL;
      subject->known = chance (self, 850) ? (int) chance (self, 550) : -1;
    }
  else
    {
      /* A passer-by knows neither name nor history, and may not be sure
       * whether it is a man or a woman. */
      if (chance (self, 150))
        subject->sex = "unknown";
      subject->name = NULL;
      subject->age = -1;
      subject->ethnicity = chance (self, 400) ? "NS" : NULL;
      subject->known = -1;
    }

  /* Health settings know their patients and their history. */
  if (g_str_equal (caller->relationship, "healthcare_setting"))
    {
      if (subject->ethnicity == NULL)
        subject->ethnicity = pick_ethnicity (self);
      if (subject->known < 0)
        subject->known = (int) chance (self, 700);
    }
}

static void
set_subject_vars (RcrpSimulator *self,
                  Vars          *vars,
                  const Person  *subject)
{
  set_pronouns (vars, subject->sex);

  if (subject->name != NULL)
    {
      vars_set (vars, "name", subject->name);
    }
  else
    {
      static const char * const decades[] = { "twenties", "thirties", "forties", "fifties", "sixties" };
      const char *noun = g_str_equal (subject->sex, "female") ? "woman"
                         : g_str_equal (subject->sex, "male") ? "man"
                         : "person";

      vars_take (vars, "name", g_strdup_printf ("a %s, thought to be in %s %s,", noun,
                                                vars_lookup (vars, "his"), PICK (self, decades)));
    }

  if (subject->age >= 0)
    vars_take (vars, "age", g_strdup_printf (" (%d)", subject->age));
  else
    vars_set (vars, "age", "");
}

static char *
compose_summary (RcrpSimulator      *self,
                 const CategoryPlan *plan,
                 const CallerKind   *caller,
                 const Fragment     *opener,
                 const Person       *subject,
                 const SettingFacts *facts,
                 guint               risks,
                 const Vars         *vars)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint mentioned = opener->risks;
  const Line *background;
  const char *first_background;
  const char *line;
  guint n_background;

  expand_into (text, vars, opener->text);

  /* A walk-out says what the patient's legal status is, since the
   * coordinator's first question turns on it (AWOL openers say it already).
   */
  if (plan->category == RCRP_CATEGORY_WALKED_OUT_OF_HEALTHCARE && facts != NULL)
    {
      g_string_append_c (text, ' ');
      if (facts->detained)
        expand_into (text, vars, "Staff say {he} {is} liable to be detained under {section}.");
      else if (facts->informal == TRUE)
        expand_into (text, vars, "Informal patient, not detained.");
      else
        expand_into (text, vars, "Not detained under the Mental Health Act.");
    }

  for (guint i = 0; i < RCRP_N_RISKS; i++)
    {
      guint bit = 1u << i;

      if ((risks & bit) == 0 || (mentioned & bit) != 0)
        continue;

      line = pick_fitting_line (self, risk_lines[i], caller->knows_subject, subject->age);
      if (line == NULL)
        continue;

      g_string_append_c (text, ' ');
      expand_into (text, vars, line);
      mentioned |= bit;
    }

  background = plan->background;
  if (facts != NULL && facts->setting->kind == SETTING_MENTAL_HEALTH &&
      plan->category == RCRP_CATEGORY_WALKED_OUT_OF_HEALTHCARE)
    background = ward_background;

  n_background = pick_index (self, 3);
  first_background = NULL;
  for (guint i = 0; i < n_background; i++)
    {
      line = pick_fitting_line (self, background, caller->knows_subject, subject->age);

      /* A sentence twice reads like a copying slip, not a call. */
      if (line == NULL || line == first_background)
        continue;
      first_background = line;

      g_string_append_c (text, ' ');
      expand_into (text, vars, line);
    }

  /* Where the ambulance is, unless the opening line said so already. */
  if (plan->category == RCRP_CATEGORY_MEDICAL_INCIDENT && strstr (opener->text, "mbulance") == NULL)
    {
      g_string_append_c (text, ' ');
      expand_into (text, vars, pick_line (self, ambulance_lines));
    }

  if (subject->known == 1 && chance (self, 700))
    {
      g_string_append_c (text, ' ');
      expand_into (text, vars, pick_line (self, known_lines));
    }
  else if (subject->known == 0 && chance (self, 500))
    {
      g_string_append_c (text, ' ');
      expand_into (text, vars, pick_line (self, not_known_lines));
    }

  g_string_append_c (text, ' ');
  expand_into (text, vars, closing_line (self, plan->category, caller->relationship));

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
add_location (RcrpSimulator *self,
              JsonBuilder   *builder,
              const Town    *town,
              const char    *street,
              const char    *landmark,
              const Setting *setting,
              gboolean       at_home,
              guint          risks)
{
  g_autofree char *address = NULL;
  g_autofree char *postcode = NULL;

  if (setting != NULL)
    {
      /* Walk-outs and AWOL are logged at the place the patient left. */
      address = g_strdup_printf ("%s, %s, %s", setting->name, setting->street, towns[setting->town].name);
      town = &towns[setting->town];
    }
  else if ((risks & LOCATION) != 0)
    {
      /* Nobody knows where the person is: the log holds the last sighting
       * at best. */
      if (chance (self, 500))
        return;
      address = g_strdup_printf ("Last seen near %s, %s", landmark, town->name);
    }
  else if (!at_home)
    {
      address = g_strdup_printf ("Near %s, %s, %s", landmark, street, town->name);
    }
  else if (chance (self, 300))
    {
      address = g_strdup_printf ("Flat %d, %s, %s, %s", range (self, 1, 48), PICK (self, blocks),
                                 street, town->name);
    }
  else
    {
      address = g_strdup_printf ("%d %s, %s", range (self, 1, 220), street, town->name);
    }

  json_builder_set_member_name (builder, "location");
  json_builder_begin_object (builder);
  builder_add_string (builder, "address", address);

  if ((risks & LOCATION) == 0 || setting != NULL)
    {
      postcode = make_postcode (self, town);
      builder_add_string (builder, "postcode", postcode);

      if (chance (self, 800))
        {
          builder_add_double (builder, "lat", town->lat + g_rand_double_range (self->rand, -0.02, 0.02));
          builder_add_double (builder, "lon", town->lon + g_rand_double_range (self->rand, -0.03, 0.03));
        }
    }

  json_builder_end_object (builder);
}

static void
add_caller (RcrpSimulator    *self,
            JsonBuilder      *builder,
            const CallerKind *caller,
            const Person     *subject,
            const Setting    *setting,
            const char       *agency)
{
  const char *relationship = caller->relationship;
  g_autofree char *name = NULL;
  g_autofree char *phone = NULL;
  const char *sex = chance (self, 500) ? "female" : "male";

  if (g_str_equal (relationship, "self"))
    {
      name = g_strdup (subject->name);
      phone = make_mobile (self);
    }
  else if (g_str_equal (relationship, "healthcare_setting"))
    {
      static const char * const roles[] = { "Staff Nurse", "Charge Nurse", "Ward Manager", "Dr" };

      if (chance (self, 300))
        name = g_strdup_printf ("%s nurse in charge", setting != NULL ? setting->name : "Ward");
      else
        name = g_strdup_printf ("%s %s %s", PICK (self, roles), pick_first_name (self, sex),
                                PICK (self, surnames));
      phone = make_landline (self);
    }
  else if (g_str_equal (relationship, "professional"))
    {
      name = g_strdup_printf ("%s %s, %s", pick_first_name (self, sex), PICK (self, surnames), agency);
      phone = chance (self, 500) ? make_landline (self) : make_mobile (self);
    }
  else if (g_str_equal (relationship, "public") && chance (self, 350))
    {
      /* Passers-by often will not give a name. */
      phone = make_mobile (self);
    }
  else
    {
      const char *surname = PICK (self, surnames);

      /* Family usually share a surname with the person they ring about. */
      if (g_str_equal (relationship, "family") && subject->name != NULL && chance (self, 600))
        surname = strrchr (subject->name, ' ') + 1;

      name = g_strdup_printf ("%s %s", pick_first_name (self, sex), surname);
      phone = make_mobile (self);
    }

  json_builder_set_member_name (builder, "caller");
  json_builder_begin_object (builder);
  if (name != NULL)
    builder_add_string (builder, "name", name);
  if (chance (self, 950))
    builder_add_string (builder, "phone", phone);
  builder_add_string (builder, "relationship", relationship);
  json_builder_end_object (builder);
}

static void
add_subject (JsonBuilder  *builder,
             const Person *subject)
{
  json_builder_set_member_name (builder, "subject");
  json_builder_begin_object (builder);
  if (subject->name != NULL)
    builder_add_string (builder, "name", subject->name);
  if (subject->age >= 0)
    builder_add_int (builder, "age", subject->age);
  builder_add_string (builder, "sex", subject->sex);
  if (subject->ethnicity != NULL)
    builder_add_string (builder, "ethnicity", subject->ethnicity);
  if (subject->known >= 0)
    builder_add_boolean (builder, "known_to_services", subject->known);
  json_builder_end_object (builder);
}

static void
add_setting (JsonBuilder        *builder,
             const SettingFacts *facts)
{
  g_autofree char *left_at = format_time (facts->left_at);

  json_builder_set_member_name (builder, "healthcare_setting");
  json_builder_begin_object (builder);
  builder_add_string (builder, "name", facts->setting->name);
  builder_add_string (builder, "left_at", left_at);
  builder_add_boolean (builder, "detained", facts->detained);
  if (facts->section != NULL)
    builder_add_string (builder, "mha_section", facts->section);
  if (facts->informal >= 0)
    builder_add_boolean (builder, "informal", facts->informal);
  json_builder_end_object (builder);
}

/* GObject ------------------------------------------------------------------------------ */

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

/* The suffix of every cad_ref. The MurmurHash3 finaliser is a bijection on
 * 32 bits, so two seeds never share a suffix, and neighbouring seeds give
 * suffixes that look unrelated. Seven Crockford base-32 digits hold 35 bits.
 */
static void
make_seed_suffix (guint32 seed,
                  char    suffix[8])
{
  static const char digits[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  guint32 h = seed;

  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;

  for (int i = 6; i >= 0; i--)
    {
      suffix[i] = digits[h & 31];
      h >>= 5;
    }
  suffix[7] = '\0';
}

RcrpSimulator *
rcrp_simulator_new (guint32    seed,
                    GDateTime *now)
{
  RcrpSimulator *self;

  g_return_val_if_fail (now != NULL, NULL);

  self = g_object_new (RCRP_TYPE_SIMULATOR, NULL);
  self->rand = g_rand_new_with_seed (seed);
  self->now = g_date_time_to_utc (now);
  make_seed_suffix (seed, self->suffix);

  return self;
}

JsonNode *
rcrp_simulator_next_call (RcrpSimulator *self,
                          GDateTime     *received_at)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GDateTime) received_utc = NULL;
  g_autofree char *received = NULL;
  g_autofree char *date = NULL;
  g_autofree char *cad_ref = NULL;
  g_autofree char *summary = NULL;
  g_auto(Vars) vars = { 0, };
  const CategoryPlan *plan;
  const CallerKind *caller;
  const Fragment *opener;
  const Town *town;
  const char *street;
  const char *landmark;
  const Agency *agency;
  SettingFacts facts = { NULL, };
  Person subject = { NULL, };
  gboolean has_setting;
  guint risks;
  int grade;

  g_return_val_if_fail (RCRP_IS_SIMULATOR (self), NULL);
  g_return_val_if_fail (received_at != NULL, NULL);

  received_utc = g_date_time_to_utc (received_at);
  received = format_time (received_utc);
  date = g_date_time_format (received_utc, "%Y%m%d");
  cad_ref = g_strdup_printf ("SIM-%s-%06u-%s", date, ++self->serial, self->suffix);

  plan = pick_plan (self);
  caller = pick_caller (self, plan);
  make_subject (self, plan, caller, &subject);

  town = &PICK (self, towns);
  street = PICK (self, streets);
  landmark = PICK (self, landmarks);
  agency = &PICK (self, agencies);
  if (g_str_equal (caller->relationship, "professional") && agency->mental_health)
    subject.known = TRUE;

  has_setting = plan->category == RCRP_CATEGORY_WALKED_OUT_OF_HEALTHCARE ||
                plan->category == RCRP_CATEGORY_AWOL_MENTAL_HEALTH;
  if (has_setting)
    pick_setting_facts (self, plan->category, received_utc, &facts);

  if (caller->openers == walked_setting && facts.setting->kind != SETTING_DEPARTMENT)
    opener = pick_fragment (self, walked_ward);
  else
    opener = pick_fragment (self, caller->openers);

  risks = pick_risks (self, plan, opener->risks);
  /* Someone who rings about themselves is where they are. */
  if (g_str_equal (caller->relationship, "self"))
    risks &= ~(guint) LOCATION;

  grade = pick_grade (self, risks);

  set_subject_vars (self, &vars, &subject);
  vars_set (&vars, "rel", relation_word (self, &subject));
  vars_set (&vars, "street", street);
  vars_set (&vars, "town", town->name);
  vars_set (&vars, "landmark", landmark);
  vars_set (&vars, "agency", agency->name);
  vars_set (&vars, "last_seen", PICK (self, last_seen));
  vars_take (&vars, "days", g_strdup_printf ("%d", range (self, 5, 30)));
  vars_take (&vars, "child_age", g_strdup_printf ("%d", range (self, 2, 12)));
  vars_take (&vars, "hours", g_strdup_printf ("%d", range (self, 2, 9)));
  if (has_setting)
    {
      GTimeSpan gone = g_date_time_difference (received_utc, facts.left_at);

      vars_set (&vars, "setting", facts.setting->name);
      vars_take (&vars, "ago", ago_words ((int) (gone / G_TIME_SPAN_MINUTE)));
      vars_set (&vars, "section", facts.section != NULL ? section_words (facts.section) : "");
    }

  summary = compose_summary (self, plan, caller, opener, &subject,
                             has_setting ? &facts : NULL, risks, &vars);

  builder = json_builder_new ();
  json_builder_begin_object (builder);

  builder_add_string (builder, "schema", "rcrp.call/1");
  builder_add_string (builder, "cad_ref", cad_ref);
  builder_add_string (builder, "received_at", received);
  builder_add_string (builder, "category", rcrp_category_to_string (plan->category));
  /* The grade is optional in the contract; leave it out now and then so
   * consumers meet the default too. */
  if (chance (self, 970))
    builder_add_int (builder, "initial_grade", grade);
  builder_add_string (builder, "summary", summary);

  add_location (self, builder, town, street, landmark, facts.setting,
                !g_str_equal (caller->relationship, "public"), risks);
  add_caller (self, builder, caller, &subject, facts.setting, agency->name);
  add_subject (builder, &subject);

  if (risks != 0)
    {
      json_builder_set_member_name (builder, "risk_indicators");
      json_builder_begin_array (builder);
      for (guint i = 0; i < RCRP_N_RISKS; i++)
        {
          if (risks & (1u << i))
            json_builder_add_string_value (builder, rcrp_risk_to_string (1u << i));
        }
      json_builder_end_array (builder);
    }

  if (has_setting)
    add_setting (builder, &facts);

  if (chance (self, 300))
    builder_add_string (builder, "notes", pick_line (self, notes_lines));

  json_builder_end_object (builder);

  g_clear_pointer (&subject.name, g_free);
  g_clear_pointer (&facts.left_at, g_date_time_unref);

  return json_builder_get_root (builder);
}

char *
rcrp_simulator_generate (RcrpSimulator *self,
                         guint          count,
                         GTimeSpan      spread)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  JsonArray *array;

  g_return_val_if_fail (RCRP_IS_SIMULATOR (self), NULL);
  g_return_val_if_fail (spread >= 0, NULL);

  array = json_array_sized_new (count);

  for (guint i = 0; i < count; i++)
    {
      /* Evenly spread, the last exactly at "now", so the queue shows a
       * realistic mix of waiting times. Split so that nothing overflows. */
      GTimeSpan before = 0;
      g_autoptr(GDateTime) received_at = NULL;

      if (count > 1)
        {
          GTimeSpan step = spread / (count - 1);
          GTimeSpan rest = spread % (count - 1);

          before = spread - step * i - rest * i / (count - 1);
        }
      received_at = g_date_time_add (self->now, -before);

      json_array_add_element (array, rcrp_simulator_next_call (self, received_at));
    }

  root = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (root, array);

  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);

  return json_generator_to_data (generator, NULL);
}

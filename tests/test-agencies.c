/* test-agencies.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rcrp-test-util.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sqlite3.h>

#include "rcrp-agency.h"
#include "rcrp-feed.h"
#include "rcrp-sqlite-store.h"
#include "rcrp-test-decision.h"

/* Opening hours, read in Europe/London whatever the machine's zone. */

static GTimeZone *
london (void)
{
  GTimeZone *tz = g_time_zone_new_identifier ("Europe/London");

  g_assert_nonnull (tz);
  return tz;
}

static RcrpOpeningHours *
hours_from (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  RcrpOpeningHours *hours;

  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  hours = rcrp_opening_hours_parse (json_parser_get_root (parser), "hours", &error);
  g_assert_no_error (error);
  g_assert_nonnull (hours);

  return hours;
}

static void
assert_open_at (RcrpOpeningHours *hours,
                const char       *utc,
                gboolean          expected)
{
  g_autoptr(GTimeZone) tz = london ();
  g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 (utc, NULL);

  g_assert_nonnull (at);
  if (rcrp_opening_hours_is_open (hours, at, tz) != expected)
    g_error ("at %s expected %s", utc, expected ? "open" : "closed");
}

static void
test_hours_always (void)
{
  g_autoptr(RcrpOpeningHours) hours = hours_from ("\"24/7\"");
  g_autoptr(GTimeZone) tz = london ();
  g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 ("2026-03-29T01:30:00Z", NULL);
  g_autofree char *text = rcrp_opening_hours_to_text (hours);

  g_assert_true (rcrp_opening_hours_is_always (hours));
  assert_open_at (hours, "2026-03-29T01:30:00Z", TRUE);
  assert_open_at (hours, "2026-12-25T03:00:00Z", TRUE);
  g_assert_null (rcrp_opening_hours_next_change (hours, at, tz));
  g_assert_cmpstr (text, ==, "24 hours, every day");
}

static void
test_hours_closed_days (void)
{
  g_autoptr(RcrpOpeningHours) hours =
    hours_from ("[{\"days\": [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"], \"open\": \"09:00\", \"close\": \"17:00\"},"
                " {\"days\": [\"sat\"], \"open\": \"10:00\", \"close\": \"14:00\"}]");
  g_autoptr(GTimeZone) tz = london ();
  g_autofree char *text = rcrp_opening_hours_to_text (hours);

  /* 2026-11-23 is a Monday; November is GMT, so UTC is the local time. */
  assert_open_at (hours, "2026-11-23T08:59:59Z", FALSE);
  assert_open_at (hours, "2026-11-23T09:00:00Z", TRUE);
  assert_open_at (hours, "2026-11-23T16:59:59Z", TRUE);
  assert_open_at (hours, "2026-11-23T17:00:00Z", FALSE);
  assert_open_at (hours, "2026-11-28T11:00:00Z", TRUE);   /* Saturday */
  assert_open_at (hours, "2026-11-28T14:00:00Z", FALSE);
  assert_open_at (hours, "2026-11-29T11:00:00Z", FALSE);  /* Sunday: closed all day */

  g_assert_cmpstr (text, ==, "Mon–Fri 09:00–17:00; Sat 10:00–14:00");

  /* Friday evening: next opens Monday 09:00. */
  {
    g_autoptr(GDateTime) friday = g_date_time_new_from_iso8601 ("2026-11-27T18:00:00Z", NULL);
    g_autoptr(GDateTime) saturday = rcrp_opening_hours_next_change (hours, friday, tz);
    g_autofree char *when = g_date_time_format_iso8601 (saturday);

    g_assert_cmpstr (when, ==, "2026-11-28T10:00:00Z");
  }
}

static void
test_hours_across_midnight (void)
{
  /* Friday night into Saturday morning, and Sunday into Monday. */
  g_autoptr(RcrpOpeningHours) hours =
    hours_from ("[{\"days\": [\"fri\", \"sun\"], \"open\": \"22:00\", \"close\": \"02:00\"}]");
  g_autofree char *text = rcrp_opening_hours_to_text (hours);

  assert_open_at (hours, "2026-11-27T21:59:00Z", FALSE);  /* Fri 21:59 */
  assert_open_at (hours, "2026-11-27T22:00:00Z", TRUE);
  assert_open_at (hours, "2026-11-27T23:59:59Z", TRUE);
  assert_open_at (hours, "2026-11-28T00:00:00Z", TRUE);   /* Sat 00:00 */
  assert_open_at (hours, "2026-11-28T01:59:00Z", TRUE);
  assert_open_at (hours, "2026-11-28T02:00:00Z", FALSE);
  assert_open_at (hours, "2026-11-28T22:30:00Z", FALSE);  /* Sat night: not listed */
  assert_open_at (hours, "2026-11-29T23:00:00Z", TRUE);   /* Sun night */
  assert_open_at (hours, "2026-11-30T01:00:00Z", TRUE);   /* into Monday */
  assert_open_at (hours, "2026-11-30T03:00:00Z", FALSE);
  /* Thursday night is not Friday night. */
  assert_open_at (hours, "2026-11-27T01:00:00Z", FALSE);

  g_assert_cmpstr (text, ==, "Fri, Sun 22:00–02:00 (next day)");

  {
    g_autoptr(RcrpOpeningHours) whole = hours_from ("[{\"days\": [\"sat\"], \"open\": \"00:00\", \"close\": \"24:00\"}]");

    assert_open_at (whole, "2026-11-28T00:00:00Z", TRUE);
    assert_open_at (whole, "2026-11-28T23:59:59Z", TRUE);
    assert_open_at (whole, "2026-11-29T00:00:00Z", FALSE);
    assert_open_at (whole, "2026-11-27T23:59:59Z", FALSE);
  }
}

/* Clocks go forward at 01:00 UTC on Sunday 29 March 2026 and back at
 * 01:00 UTC on Sunday 25 October 2026. Opening hours are local times.
 */
static void
test_hours_daylight_saving (void)
{
  g_autoptr(RcrpOpeningHours) day = hours_from ("[{\"days\": [\"sat\", \"sun\"], \"open\": \"09:00\", \"close\": \"17:00\"}]");
  g_autoptr(RcrpOpeningHours) night = hours_from ("[{\"days\": [\"sat\"], \"open\": \"22:00\", \"close\": \"06:00\"}]");
  g_autoptr(GTimeZone) tz = london ();

  /* Spring: Saturday 08:30 UTC is 08:30 GMT, closed; Sunday 08:30 UTC is
   * 09:30 BST, open; Sunday 16:30 UTC is 17:30 BST, closed. */
  assert_open_at (day, "2026-03-28T08:30:00Z", FALSE);
  assert_open_at (day, "2026-03-29T08:30:00Z", TRUE);
  assert_open_at (day, "2026-03-29T15:59:00Z", TRUE);
  assert_open_at (day, "2026-03-29T16:00:00Z", FALSE);

  /* Autumn: Saturday 16:30 UTC is 17:30 BST, closed; Sunday 16:30 UTC is
   * 16:30 GMT, open. */
  assert_open_at (day, "2026-10-24T16:30:00Z", FALSE);
  assert_open_at (day, "2026-10-25T16:30:00Z", TRUE);
  assert_open_at (day, "2026-10-25T08:30:00Z", FALSE);  /* 08:30 GMT */

  /* The night the clocks go forward, 22:00 GMT to 06:00 BST is seven hours. */
  assert_open_at (night, "2026-03-28T21:59:00Z", FALSE);
  assert_open_at (night, "2026-03-28T22:00:00Z", TRUE);
  assert_open_at (night, "2026-03-29T00:59:59Z", TRUE);   /* 00:59:59 GMT */
  assert_open_at (night, "2026-03-29T01:00:00Z", TRUE);   /* 02:00 BST */
  assert_open_at (night, "2026-03-29T04:59:00Z", TRUE);   /* 05:59 BST */
  assert_open_at (night, "2026-03-29T05:00:00Z", FALSE);  /* 06:00 BST */

  /* The night they go back, 22:00 BST to 06:00 GMT is nine hours,
   * and the repeated hour 01:00–02:00 is open both times. */
  assert_open_at (night, "2026-10-24T20:59:00Z", FALSE);  /* 21:59 BST */
  assert_open_at (night, "2026-10-24T21:00:00Z", TRUE);   /* 22:00 BST */
  assert_open_at (night, "2026-10-25T00:30:00Z", TRUE);   /* 01:30 BST */
  assert_open_at (night, "2026-10-25T01:30:00Z", TRUE);   /* 01:30 GMT */
  assert_open_at (night, "2026-10-25T05:59:00Z", TRUE);
  assert_open_at (night, "2026-10-25T06:00:00Z", FALSE);

  /* The next change after Saturday 20:00 BST is the 22:00 BST opening. */
  {
    g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 ("2026-10-24T19:00:00Z", NULL);
    g_autoptr(GDateTime) next = rcrp_opening_hours_next_change (night, at, tz);
    g_autofree char *when = g_date_time_format_iso8601 (next);
    g_autoptr(GDateTime) closes = NULL;
    g_autofree char *closes_when = NULL;

    g_assert_cmpstr (when, ==, "2026-10-24T21:00:00Z");
    closes = rcrp_opening_hours_next_change (night, next, tz);
    closes_when = g_date_time_format_iso8601 (closes);
    g_assert_cmpstr (closes_when, ==, "2026-10-25T06:00:00Z");
  }
}

static void
test_hours_refused (void)
{
  static const struct {
    const char *json;
    const char *message;
  } cases[] = {
    { "\"24/6\"", "hours: “24/6” is not opening hours" },
    { "[]", "hours: no opening hours" },
    { "42", "hours: expected \"24/7\" or a list of spans" },
    { "[{\"days\": [\"mon\"], \"open\": \"9:00\", \"close\": \"17:00\"}]", "hours[0].open: expected a time" },
    { "[{\"days\": [\"mon\"], \"open\": \"24:00\", \"close\": \"17:00\"}]", "hours[0].open: expected a time" },
    { "[{\"days\": [\"mon\"], \"open\": \"09:00\", \"close\": \"17:60\"}]", "hours[0].close: expected a time" },
    { "[{\"days\": [\"mon\"], \"open\": \"09:00\", \"close\": \"09:00\"}]", "hours[0].close: opens and closes at the same time" },
    { "[{\"days\": [\"monday\"], \"open\": \"09:00\", \"close\": \"17:00\"}]", "hours[0].days[0]: expected one of" },
    { "[{\"days\": [], \"open\": \"09:00\", \"close\": \"17:00\"}]", "hours[0].days: expected a list of days" },
    { "[{\"days\": [\"mon\"], \"open\": \"09:00\", \"close\": \"17:00\", \"until\": 1}]", "hours[0]: unknown member “until”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(RcrpOpeningHours) hours = NULL;

      g_assert_true (json_parser_load_from_data (parser, cases[i].json, -1, NULL));
      hours = rcrp_opening_hours_parse (json_parser_get_root (parser), "hours", &error);
      g_assert_null (hours);
      g_assert_error (error, RCRP_AGENCY_ERROR, RCRP_AGENCY_ERROR_INVALID);
      if (!g_str_has_prefix (error->message, cases[i].message))
        g_error ("%s: got “%s”, expected “%s…”", cases[i].json, error->message, cases[i].message);
    }
}

/* The directory */

static void
test_default_directory (void)
{
  g_autoptr(GPtrArray) agencies = rcrp_agency_directory_get_default ();
  g_autofree char *json = rcrp_agency_directory_to_json (agencies);
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GError) error = NULL;
  static const char * const required_kinds[] = {
    "crisis_line", "crisis_team", "ambulance", "mh_response_vehicle", "amhp", "adult_social_care",
    "social_care_out_of_hours", "childrens_services", "safe_haven", "gp_out_of_hours", "voluntary_sector",
  };

  for (guint k = 0; k < G_N_ELEMENTS (required_kinds); k++)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < agencies->len; i++)
        found |= g_str_equal (rcrp_agency_get_kind (g_ptr_array_index (agencies, i)), required_kinds[k]);
      if (!found)
        g_error ("the default directory has no %s", required_kinds[k]);
    }

  /* Export and import give the same directory. */
  again = rcrp_agency_directory_parse_bytes (bytes, "exported", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->len, ==, agencies->len);
  for (guint i = 0; i < agencies->len; i++)
    {
      RcrpAgency *a = g_ptr_array_index (agencies, i);
      RcrpAgency *b = g_ptr_array_index (again, i);
      g_autofree char *ha = rcrp_opening_hours_to_text (rcrp_agency_get_hours (a));
      g_autofree char *hb = rcrp_opening_hours_to_text (rcrp_agency_get_hours (b));

      g_assert_cmpstr (rcrp_agency_get_id (a), ==, rcrp_agency_get_id (b));
      g_assert_cmpstr (rcrp_agency_get_name (a), ==, rcrp_agency_get_name (b));
      g_assert_cmpstr (rcrp_agency_get_phone (a), ==, rcrp_agency_get_phone (b));
      g_assert_cmpstr (rcrp_agency_get_email (a), ==, rcrp_agency_get_email (b));
      g_assert_cmpstr (ha, ==, hb);
      g_assert_cmpint (rcrp_agency_get_response_target (a), ==, rcrp_agency_get_response_target (b));
      for (RcrpCategory c = 0; c < RCRP_N_CATEGORIES; c++)
        g_assert_cmpint (rcrp_agency_accepts (a, c), ==, rcrp_agency_accepts (b, c));
    }
}

#define AGENCY(id, extra) \
  "{\"id\": \"" id "\", \"name\": \"Team\", \"kind\": \"crisis_team\", \"phone\": \"1\", " \
  "\"email\": \"a@b.example\", \"hours\": \"24/7\", \"accepts\": [\"concern_for_welfare\"], " \
  "\"response_target_minutes\": 30" extra "}"

static void
test_directory_refused_with_position (void)
{
  static const struct {
    const char *text;
    const char *message;
  } cases[] = {
    { "{\"schema\": \"rcrp.agencies/1\",\n  // a comment\n  \"agencies\": []}", "dir.json:2:3: " },
    { "{\"schema\": \"rcrp.agencies/1\", \"agencies\": [" AGENCY ("a", "") ",]}", "dir.json:1:" },
    { "{\"schema\": \"rcrp.agencies/1\", \"agencies\": [0x1]}", "dir.json:1:" },
    { "{\"schema\": \"rcrp.agencies/2\", \"agencies\": [" AGENCY ("a", "") "]}", "dir.json: schema: expected" },
    { "{\"schema\": \"rcrp.agencies/1\", \"agencies\": []}", "dir.json: agencies: expected a list of at least one" },
    { "{\"schema\": \"rcrp.agencies/1\", \"agencies\": [" AGENCY ("a", "") ", " AGENCY ("a", "") "]}",
      "dir.json: agencies[1].id: “a” is used twice" },
    { "{\"schema\": \"rcrp.agencies/1\", \"agencies\": [" AGENCY ("a", "") ", " AGENCY ("B!", "") "]}",
      "dir.json: agencies[1].id: “B!” is not an agency id" },
    { "{\"schema\": \"rcrp.agencies/1\", \"agencies\": [" AGENCY ("a", ", \"fax\": \"1\"") "]}",
      "dir.json: agencies[0].fax: unknown member" },
    { "{\"schema\": \"rcrp.agencies/1\", \"agencies\": [{\"id\": \"a\", \"name\": \"T\", \"kind\": \"police\", "
      "\"phone\": \"\", \"email\": \"\", \"hours\": \"24/7\", \"accepts\": [\"concern_for_welfare\"], "
      "\"response_target_minutes\": 5}]}",
      "dir.json: agencies[0].kind: “police” is not a known kind" },
    { "{\"schema\": \"rcrp.agencies/1\", \"agencies\": [{\"id\": \"a\", \"name\": \"T\", \"kind\": \"amhp\", "
      "\"phone\": \"\", \"email\": \"\", \"hours\": \"24/7\", \"accepts\": [\"burglary\"], "
      "\"response_target_minutes\": 5}]}",
      "dir.json: agencies[0].accepts[0]: not a call category" },
    { "{\"schema\": \"rcrp.agencies/1\", \"agencies\": [{\"id\": \"a\", \"name\": \"T\", \"kind\": \"amhp\", "
      "\"phone\": \"\", \"email\": \"\", \"hours\": [{\"days\": [\"mon\"], \"open\": \"25:00\", \"close\": \"02:00\"}], "
      "\"accepts\": [\"concern_for_welfare\"], \"response_target_minutes\": 5}]}",
      "dir.json: agencies[0].hours[0].open: expected a time" },
    { "{\"schema\": \"rcrp.agencies/1\", \"agencies\": [{\"id\": \"a\", \"name\": \"T\", \"kind\": \"amhp\", "
      "\"phone\": \"\", \"email\": \"nobody\", \"hours\": \"24/7\", "
      "\"accepts\": [\"concern_for_welfare\"], \"response_target_minutes\": 5}]}",
      "dir.json: agencies[0].email: “nobody” is not an e-mail address" },
    /* Found by the fuzzer: each raised a json-glib critical. */
    { "{\"schema\": {}}", "dir.json: schema: expected" },
    { "{\"schema\": 1, \"agencies\": []}", "dir.json: schema: expected" },
    { "{\"schema\": \"rcrp.agencies/1\", \"agencies\": [{\"id\": \"a\", \"name\": \"T\", \"kind\": \"amhp\", "
      "\"phone\": \"\", \"email\": \"\", \"hours\": [{\"days\": [\"mon\"], \"open\": 9, \"close\": \"17:00\"}], "
      "\"accepts\": [\"concern_for_welfare\"], \"response_target_minutes\": 5}]}",
      "dir.json: agencies[0].hours[0].open: expected a time" },
    { "{\"schema\": \"rcrp.agencies/1\", \"agencies\": [{\"id\": \"a\", \"name\": \"T\", \"kind\": \"amhp\", "
      "\"phone\": \"\", \"email\": \"\", \"hours\": [{\"days\": [\"mon\"], \"open\": \"09:00\", \"close\": [1]}], "
      "\"accepts\": [\"concern_for_welfare\"], \"response_target_minutes\": 5}]}",
      "dir.json: agencies[0].hours[0].close: expected a time" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (cases[i].text, strlen (cases[i].text));
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) agencies = rcrp_agency_directory_parse_bytes (bytes, "dir.json", &error);

      g_assert_null (agencies);
      g_assert_nonnull (error);
      if (!g_str_has_prefix (error->message, cases[i].message))
        g_error ("case %u: got “%s”, expected “%s…”", i, error->message, cases[i].message);
    }
}

/* The store */

typedef struct
{
  char      *folder;
  char      *path;
  RcrpClock *clock;
  RcrpStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 ("2026-11-24T10:00:00Z", NULL);

  fixture->folder = g_dir_make_tmp ("rcrp-agencies-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->folder, "shift.db", NULL);
  fixture->clock = rcrp_fixed_clock_new (now);
  fixture->store = rcrp_sqlite_store_open (fixture->path, fixture->clock, "alice", "ws-1", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->clock);
  rcrp_test_remove_tree (fixture->folder);
  g_clear_pointer (&fixture->path, g_free);
  g_clear_pointer (&fixture->folder, g_free);
}

static RcrpAgency *
find_listed (RcrpStore  *store,
             const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) agencies = rcrp_store_list_agencies (store, &error);
  RcrpAgency *agency;

  g_assert_no_error (error);
  agency = rcrp_agencies_find (agencies, id);

  return agency != NULL ? g_object_ref (agency) : NULL;
}

static gint64
ingest_call (RcrpStore  *store,
             const char *cad_ref)
{
  g_autofree char *text = g_strdup_printf ("{\"schema\": \"rcrp.call/1\", \"cad_ref\": \"%s\", "
                                           "\"received_at\": \"2026-11-24T09:55:00Z\", "
                                           "\"category\": \"concern_for_welfare\", \"initial_grade\": 2, "
                                           "\"summary\": \"Neighbour worried about a man in distress\"}",
                                           cad_ref);
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) calls = rcrp_feed_parse_bytes (bytes, "test", &error);
  g_autoptr(RcrpCall) call = NULL;
  RcrpIngestResult result;

  g_assert_no_error (error);
  g_assert_true (rcrp_store_ingest (store, "test", bytes, calls, &result, &error));
  g_assert_no_error (error);
  call = rcrp_store_get_call (store, cad_ref, &error);
  g_assert_no_error (error);

  return rcrp_call_get_id (call);
}

static gint64
decide (RcrpStore  *store,
        gint64      call_id,
        const char *outcome,
        const char *agency,
        GError    **error)
{
  g_autoptr(RcrpDecision) decision = rcrp_decision_new (call_id, outcome, outcome);

  if (agency != NULL)
    rcrp_decision_set_agency (decision, agency);
  rcrp_test_rule_out_police (decision);

  return rcrp_store_record_decision (store, decision, error);
}

static char *
call_status (RcrpStore  *store,
             const char *cad_ref,
             char      **outcome)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcrpCall) call = rcrp_store_get_call (store, cad_ref, &error);

  g_assert_no_error (error);
  *outcome = g_strdup (rcrp_call_get_outcome (call));

  return g_strdup (rcrp_call_status_to_string (rcrp_call_get_status (call)));
}

static void
test_new_database_has_the_default_directory (Fixture       *fixture,
                                             gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) listed = rcrp_store_list_agencies (fixture->store, &error);
  g_autoptr(GPtrArray) defaults = rcrp_agency_directory_get_default ();
  g_autoptr(RcrpStore) second = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, defaults->len);
  for (guint i = 0; i < listed->len; i++)
    {
      g_assert_cmpstr (rcrp_agency_get_id (g_ptr_array_index (listed, i)), ==,
                       rcrp_agency_get_id (g_ptr_array_index (defaults, i)));
      g_assert_cmpint (rcrp_agency_get_status (g_ptr_array_index (listed, i)), ==, RCRP_AGENCY_STATUS_UNKNOWN);
    }

  /* Opening it again does not seed it twice. */
  second = rcrp_sqlite_store_open (fixture->path, fixture->clock, "bob", "ws-2", &error);
  g_assert_no_error (error);
  /* Its first user and the directory. */
  g_assert_cmpint (rcrp_store_get_last_event_id (second, &error), ==, 2);
}

static void
test_status_is_an_event_and_latest_wins (Fixture       *fixture,
                                         gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcrpStore) other = rcrp_sqlite_store_open (fixture->path, fixture->clock, "bob", "ws-2", &error);
  g_autoptr(RcrpAgency) agency = NULL;
  gint64 first, second;

  g_assert_no_error (error);
  /* A co-located ambulance clinician reports too. */
  g_assert_true (rcrp_store_add_user (fixture->store, "bob", RCRP_ROLE_CLINICIAN, NULL, &error));
  g_assert_no_error (error);

  first = rcrp_store_set_agency_state (fixture->store, "crisis-team", RCRP_AGENCY_STATUS_LIMITED, 2, 45,
                                       "Two clinicians on", &error);
  g_assert_no_error (error);
  rcrp_fixed_clock_advance (RCRP_FIXED_CLOCK (fixture->clock), 5 * G_TIME_SPAN_MINUTE);
  second = rcrp_store_set_agency_state (other, "crisis-team", RCRP_AGENCY_STATUS_AT_CAPACITY, 0, -1,
                                        NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (second, >, first);

  agency = find_listed (fixture->store, "crisis-team");
  g_assert_cmpint (rcrp_agency_get_status (agency), ==, RCRP_AGENCY_STATUS_AT_CAPACITY);
  g_assert_cmpint (rcrp_agency_get_capacity (agency), ==, 0);
  g_assert_cmpint (rcrp_agency_get_eta_minutes (agency), ==, -1);
  g_assert_cmpstr (rcrp_agency_get_changed_by (agency), ==, "bob");
  g_assert_cmpstr (rcrp_agency_get_changed_workstation (agency), ==, "ws-2");

  /* Both reports are in the verified log. */
  g_assert_true (rcrp_store_verify (fixture->store, NULL, NULL, &error));
  g_assert_no_error (error);

  /* Stale after the configured time. */
  {
    g_autoptr(GDateTime) now = rcrp_clock_now (fixture->clock);
    g_autoptr(GDateTime) later = g_date_time_add_minutes (now, 61);

    g_assert_false (rcrp_agency_is_stale (agency, now, 60));
    g_assert_true (rcrp_agency_is_stale (agency, later, 60));
  }

  /* Refusals leave the state as it was. */
  g_assert_cmpint (rcrp_store_set_agency_state (fixture->store, "no-such", RCRP_AGENCY_STATUS_CLOSED, -1, -1, NULL, &error), ==, -1);
  g_assert_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (rcrp_store_set_agency_state (fixture->store, "crisis-team", RCRP_AGENCY_STATUS_UNKNOWN, -1, -1, NULL, &error), ==, -1);
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpint (rcrp_store_get_last_event_id (fixture->store, &error), ==, second);
}

static void
test_import_replaces_and_keeps_state (Fixture       *fixture,
                                      gconstpointer  user_data)
{
  const char *text = "{\"schema\": \"rcrp.agencies/1\", \"agencies\": [" AGENCY ("crisis-team", "") ", "
                     AGENCY ("night-team", "") "]}";
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) agencies = rcrp_agency_directory_parse_bytes (bytes, "new.json", &error);
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(RcrpAgency) gone = NULL;

  g_assert_no_error (error);
  rcrp_store_set_agency_state (fixture->store, "crisis-team", RCRP_AGENCY_STATUS_LIMITED, 1, 30, NULL, &error);
  g_assert_no_error (error);

  g_assert_true (rcrp_store_import_agencies (fixture->store, agencies, "new.json", &error));
  g_assert_no_error (error);

  listed = rcrp_store_list_agencies (fixture->store, &error);
  g_assert_cmpuint (listed->len, ==, 2);
  g_assert_cmpstr (rcrp_agency_get_id (g_ptr_array_index (listed, 0)), ==, "crisis-team");
  g_assert_cmpint (rcrp_agency_get_status (g_ptr_array_index (listed, 0)), ==, RCRP_AGENCY_STATUS_LIMITED);
  g_assert_cmpstr (rcrp_agency_get_id (g_ptr_array_index (listed, 1)), ==, "night-team");

  /* An agency left out of the directory takes no more referrals. */
  {
    gint64 call_id = ingest_call (fixture->store, "CAD-1");

    g_assert_cmpint (decide (fixture->store, call_id, "referred", "ambulance", &error), ==, -1);
    g_assert_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_NOT_FOUND);
    g_assert_nonnull (strstr (error->message, "ambulance"));
  }
}

static void
test_referral_lifecycle (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) referrals = NULL;
  g_autofree char *status = NULL;
  g_autofree char *outcome = NULL;
  gint64 call_id = ingest_call (fixture->store, "CAD-1");
  gint64 referral, answer;
  RcrpReferral *r;

  referral = decide (fixture->store, call_id, "referred", "crisis-team", &error);
  g_assert_no_error (error);

  referrals = rcrp_store_list_referrals (fixture->store, 0, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (referrals->len, ==, 1);
  r = g_ptr_array_index (referrals, 0);
  g_assert_cmpint (r->decision_event_id, ==, referral);
  g_assert_cmpstr (r->cad_ref, ==, "CAD-1");
  g_assert_cmpstr (r->agency_id, ==, "crisis-team");
  g_assert_cmpint (r->state, ==, RCRP_REFERRAL_PENDING);
  /* The crisis team answers within 60 minutes. */
  g_assert_cmpint (g_date_time_difference (r->due_at, r->referred_at), ==, 60 * G_TIME_SPAN_MINUTE);

  /* A decline needs its reason. */
  g_assert_cmpint (rcrp_store_respond_to_referral (fixture->store, referral, FALSE, "  ", &error), ==, -1);
  g_assert_error (error, RCRP_DECISION_ERROR, RCRP_DECISION_ERROR_RATIONALE_REQUIRED);
  g_clear_error (&error);

  rcrp_fixed_clock_advance (RCRP_FIXED_CLOCK (fixture->clock), 12 * G_TIME_SPAN_MINUTE);
  answer = rcrp_store_respond_to_referral (fixture->store, referral, FALSE, "No capacity tonight", &error);
  g_assert_no_error (error);
  g_assert_cmpint (answer, >, referral);

  /* Declined: back in front of the coordinator, the earlier outcome kept. */
  status = call_status (fixture->store, "CAD-1", &outcome);
  g_assert_cmpstr (status, ==, "updated");
  g_assert_cmpstr (outcome, ==, "referred");

  g_clear_pointer (&referrals, g_ptr_array_unref);
  referrals = rcrp_store_list_referrals (fixture->store, call_id, FALSE, &error);
  r = g_ptr_array_index (referrals, 0);
  g_assert_cmpint (r->state, ==, RCRP_REFERRAL_DECLINED);
  g_assert_cmpstr (r->reason, ==, "No capacity tonight");
  g_assert_cmpstr (r->responded_by, ==, "alice");
  g_assert_cmpint (g_date_time_difference (r->responded_at, r->referred_at), ==, 12 * G_TIME_SPAN_MINUTE);

  /* Answered once only. */
  g_assert_cmpint (rcrp_store_respond_to_referral (fixture->store, referral, TRUE, NULL, &error), ==, -1);
  g_assert_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_CONFLICT);
  g_clear_error (&error);

  /* The next agency accepts. */
  referral = decide (fixture->store, call_id, "referred", "nhs-111-mh", &error);
  g_assert_no_error (error);
  g_assert_cmpint (rcrp_store_respond_to_referral (fixture->store, referral, TRUE, NULL, &error), >, 0);
  g_assert_no_error (error);

  g_clear_pointer (&referrals, g_ptr_array_unref);
  referrals = rcrp_store_list_referrals (fixture->store, call_id, FALSE, &error);
  g_assert_cmpuint (referrals->len, ==, 2);
  g_assert_cmpint (((RcrpReferral *) g_ptr_array_index (referrals, 1))->state, ==, RCRP_REFERRAL_ACCEPTED);
  g_clear_pointer (&referrals, g_ptr_array_unref);
  referrals = rcrp_store_list_referrals (fixture->store, 0, TRUE, &error);
  g_assert_cmpuint (referrals->len, ==, 0);

  g_assert_true (rcrp_store_verify (fixture->store, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* The live referrals: those whose answer was due since a time, however
 * many older ones were never answered. */
static void
test_pending_referrals_since (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) live = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GDateTime) since = NULL;
  g_autoptr(GDateTime) now = NULL;
  gint64 old_call = ingest_call (fixture->store, "CAD-OLD");
  gint64 answered_call = ingest_call (fixture->store, "CAD-ANSWERED");
  gint64 new_call = ingest_call (fixture->store, "CAD-NEW");
  gint64 old_referral, answered, new_referral;

  old_referral = decide (fixture->store, old_call, "referred", "crisis-team", &error);
  g_assert_no_error (error);

  /* Two days on. */
  rcrp_fixed_clock_advance (RCRP_FIXED_CLOCK (fixture->clock), 48 * G_TIME_SPAN_HOUR);
  answered = decide (fixture->store, answered_call, "referred", "crisis-team", &error);
  g_assert_no_error (error);
  g_assert_cmpint (rcrp_store_respond_to_referral (fixture->store, answered, TRUE, NULL, &error), >, 0);
  new_referral = decide (fixture->store, new_call, "referred", "crisis-team", &error);
  g_assert_no_error (error);

  now = rcrp_clock_now (fixture->clock);
  since = g_date_time_add_hours (now, -24);
  live = rcrp_store_list_pending_referrals (fixture->store, since, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (live->len, ==, 1);
  g_assert_cmpint (((RcrpReferral *) g_ptr_array_index (live, 0))->decision_event_id, ==, new_referral);
  g_assert_cmpstr (((RcrpReferral *) g_ptr_array_index (live, 0))->cad_ref, ==, "CAD-NEW");

  /* Still pending, and listed as such, but not live. */
  all = rcrp_store_list_referrals (fixture->store, 0, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 2);
  g_assert_cmpint (((RcrpReferral *) g_ptr_array_index (all, 0))->decision_event_id, ==, old_referral);
}

static void
test_undo_is_an_event (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) decisions = NULL;
  g_autoptr(GPtrArray) referrals = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *status = NULL;
  g_autofree char *outcome = NULL;
  gint64 call_id = ingest_call (fixture->store, "CAD-1");
  gint64 referral, undo, deploy, undo2;

  referral = decide (fixture->store, call_id, "referred", "crisis-team", &error);
  g_assert_no_error (error);
  undo = rcrp_store_undo_decision (fixture->store, referral, &error);
  g_assert_no_error (error);
  g_assert_cmpint (undo, >, referral);

  /* Back to no decision; the referral is withdrawn. */
  status = call_status (fixture->store, "CAD-1", &outcome);
  g_assert_cmpstr (status, ==, "new");
  g_assert_null (outcome);
  referrals = rcrp_store_list_referrals (fixture->store, call_id, FALSE, &error);
  g_assert_cmpint (((RcrpReferral *) g_ptr_array_index (referrals, 0))->state, ==, RCRP_REFERRAL_WITHDRAWN);

  /* Undone once only. */
  g_assert_cmpint (rcrp_store_undo_decision (fixture->store, referral, &error), ==, -1);
  g_assert_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_CONFLICT);
  g_clear_error (&error);

  deploy = decide (fixture->store, call_id, "police_deployed", NULL, &error);
  g_assert_no_error (error);

  /* All three are kept, in order, and the decision list says which was undone. */
  decisions = rcrp_store_list_decisions (fixture->store, call_id, &error);
  g_assert_cmpuint (decisions->len, ==, 2);
  g_assert_cmpint (rcrp_decision_get_undone_by (g_ptr_array_index (decisions, 0)), ==, undo);
  g_assert_cmpint (rcrp_decision_get_undone_by (g_ptr_array_index (decisions, 1)), ==, 0);
  events = rcrp_store_list_events (fixture->store, call_id, &error);
  g_assert_cmpuint (events->len, ==, 4);
  g_assert_cmpstr (rcrp_event_get_kind (g_ptr_array_index (events, 1)), ==, "call.decided");
  g_assert_cmpstr (rcrp_event_get_kind (g_ptr_array_index (events, 2)), ==, "call.decision_undone");
  g_assert_cmpstr (rcrp_event_get_kind (g_ptr_array_index (events, 3)), ==, "call.decided");

  g_clear_pointer (&status, g_free);
  g_clear_pointer (&outcome, g_free);
  status = call_status (fixture->store, "CAD-1", &outcome);
  g_assert_cmpstr (outcome, ==, "police_deployed");

  /* Undoing the deployment after a referral brings the referral back. */
  referral = decide (fixture->store, call_id, "referred", "ambulance", &error);
  g_assert_no_error (error);
  deploy = decide (fixture->store, call_id, "police_deployed", NULL, &error);
  g_assert_no_error (error);
  /* Only the current decision can be undone. */
  g_assert_cmpint (rcrp_store_undo_decision (fixture->store, referral, &error), ==, -1);
  g_assert_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_CONFLICT);
  g_clear_error (&error);
  undo2 = rcrp_store_undo_decision (fixture->store, deploy, &error);
  g_assert_no_error (error);
  g_assert_cmpint (undo2, >, deploy);

  g_clear_pointer (&status, g_free);
  g_clear_pointer (&outcome, g_free);
  status = call_status (fixture->store, "CAD-1", &outcome);
  g_assert_cmpstr (status, ==, "decided");
  g_assert_cmpstr (outcome, ==, "referred");
  g_clear_pointer (&referrals, g_ptr_array_unref);
  referrals = rcrp_store_list_referrals (fixture->store, call_id, TRUE, &error);
  g_assert_cmpuint (referrals->len, ==, 1);
  g_assert_cmpstr (((RcrpReferral *) g_ptr_array_index (referrals, 0))->agency_id, ==, "ambulance");

  g_assert_true (rcrp_store_verify (fixture->store, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
test_ranking_and_obstacles (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) agencies = NULL;
  g_autoptr(GPtrArray) ranked = NULL;
  g_autoptr(GTimeZone) tz = london ();
  /* Tuesday 24 November 2026, 10:00 GMT. */
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 ("2026-11-24T10:00:00Z", NULL);
  const char * const recommended[] = { "crisis_team", "crisis_line", NULL };
  g_autofree char *obstacle = NULL;

  rcrp_store_set_agency_state (fixture->store, "crisis-team", RCRP_AGENCY_STATUS_AT_CAPACITY, 0, -1, NULL, &error);
  g_assert_no_error (error);
  agencies = rcrp_store_list_agencies (fixture->store, &error);

  ranked = rcrp_agencies_rank_for (agencies, RCRP_CATEGORY_CONCERN_FOR_WELFARE, recommended, now, tz);
  /* Recommended first, those that can take it now before those that cannot. */
  g_assert_cmpstr (rcrp_agency_get_id (g_ptr_array_index (ranked, 0)), ==, "nhs-111-mh");
  g_assert_cmpstr (rcrp_agency_get_id (g_ptr_array_index (ranked, 1)), ==, "crisis-team");
  /* Only agencies that take the category. */
  for (guint i = 0; i < ranked->len; i++)
    g_assert_true (rcrp_agency_accepts (g_ptr_array_index (ranked, i), RCRP_CATEGORY_CONCERN_FOR_WELFARE));
  g_assert_null (rcrp_agencies_find (ranked, "healthcare-setting"));

  obstacle = rcrp_agency_describe_obstacle (rcrp_agencies_find (agencies, "crisis-team"), now, tz);
  g_assert_nonnull (strstr (obstacle, "at capacity"));
  g_assert_nonnull (strstr (obstacle, "alice"));
  g_clear_pointer (&obstacle, g_free);

  /* The safe haven opens at 18:00. */
  obstacle = rcrp_agency_describe_obstacle (rcrp_agencies_find (agencies, "safe-haven"), now, tz);
  g_assert_nonnull (strstr (obstacle, "closed now"));
  g_assert_nonnull (strstr (obstacle, "Tue 18:00"));
  g_clear_pointer (&obstacle, g_free);

  g_assert_null (rcrp_agency_describe_obstacle (rcrp_agencies_find (agencies, "ambulance"), now, tz));
}

/* Two processes report at once: both reports are kept, the later shown. */
static void
test_two_processes_report_status (Fixture       *fixture,
                                  gconstpointer  user_data)
{
  const char *cli = g_getenv ("RCRP_CLI");
  g_autoptr(GSubprocess) a = NULL;
  g_autoptr(GSubprocess) b = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(RcrpAgency) agency = NULL;
  gint64 last;

  g_assert_nonnull (cli);
  g_clear_object (&fixture->store);

  for (guint round = 0; round < 10; round++)
    {
      a = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, cli, "agencies", "status", "amhp", "limited",
                            "--capacity", "1", "--database", fixture->path, NULL);
      g_assert_no_error (error);
      b = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, cli, "agencies", "status", "amhp", "closed",
                            "--note", "Duty AMHP out", "--database", fixture->path, NULL);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_wait_check (a, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (g_subprocess_wait_check (b, NULL, &error));
      g_assert_no_error (error);
      g_clear_object (&a);
      g_clear_object (&b);
    }

  fixture->store = rcrp_sqlite_store_open (fixture->path, fixture->clock, "alice", "ws-1", &error);
  g_assert_no_error (error);
  last = rcrp_store_get_last_event_id (fixture->store, &error);
  /* The first user, the directory and twenty reports. */
  g_assert_cmpint (last, ==, 22);
  g_assert_true (rcrp_store_verify (fixture->store, NULL, NULL, &error));
  g_assert_no_error (error);

  /* The state shown is the last report committed. */
  {
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;
    g_autofree char *latest = NULL;

    g_assert_cmpint (sqlite3_open_v2 (fixture->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT json_extract (payload, '$.status') FROM events "
                                             "WHERE kind = 'agency.status' ORDER BY id DESC LIMIT 1",
                                         -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    latest = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_finalize (stmt);
    sqlite3_close (db);

    agency = find_listed (fixture->store, "amhp");
    g_assert_cmpstr (rcrp_agency_status_to_string (rcrp_agency_get_status (agency)), ==, latest);
  }
}

/* A bad directory through the CLI changes nothing. */
static void
test_cli_import_refuses_whole (Fixture       *fixture,
                               gconstpointer  user_data)
{
  const char *cli = g_getenv ("RCRP_CLI");
  g_autofree char *bad = g_build_filename (fixture->folder, "bad.json", NULL);
  g_autofree char *exported = g_build_filename (fixture->folder, "out.json", NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *bad_text = g_strdup ("{\"schema\": \"rcrp.agencies/1\", \"agencies\": [\n  "
                                        AGENCY ("fine", "") ",\n  "
                                        AGENCY ("also-fine", ", \"response_target_minutes\": 0") "\n]}");
  g_autoptr(GPtrArray) before = rcrp_store_list_agencies (fixture->store, &error);
  g_autoptr(GPtrArray) after = NULL;
  GStatBuf st;

  g_assert_true (g_file_set_contents (bad, bad_text, -1, &error));

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                              cli, "agencies", "import", bad, "--database", fixture->path, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
  /* A duplicate member is a syntax fault, with its line and column. */
  g_assert_nonnull (strstr (err, "bad.json:3:"));
  g_assert_nonnull (strstr (err, "response_target_minutes"));

  after = rcrp_store_list_agencies (fixture->store, &error);
  g_assert_cmpuint (after->len, ==, before->len);
  g_assert_cmpint (rcrp_store_get_last_event_id (fixture->store, &error), ==, 2);

  /* Export writes the directory, group-readable only, and it imports back. */
  g_clear_object (&process);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                              cli, "agencies", "export", exported, "--database", fixture->path, NULL);
  g_assert_true (g_subprocess_wait_check (process, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (exported, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0640);
  g_clear_object (&process);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                              cli, "agencies", "import", exported, "--database", fixture->path, NULL);
  g_assert_true (g_subprocess_wait_check (process, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rcrp_store_get_last_event_id (fixture->store, &error), ==, 3);
}

/* `rcrp agencies import /dev/zero` grew to 4 GB and a FIFO blocked it for
 * ever: only a regular file within the limit is read. */
static void
test_directory_file_regular_and_bounded (void)
{
  g_autofree char *folder = g_dir_make_tmp ("rcrp-agencies-XXXXXX", NULL);
  g_autofree char *fifo = g_build_filename (folder, "agencies.json", NULL);
  g_autofree char *big = g_build_filename (folder, "big.json", NULL);
  g_autoptr(GFile) fifo_file = g_file_new_for_path (fifo);
  g_autoptr(GFile) zero_file = g_file_new_for_path ("/dev/zero");
  g_autoptr(GFile) big_file = g_file_new_for_path (big);
  g_autoptr(GError) error = NULL;
  GPtrArray *agencies;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  agencies = rcrp_agency_directory_parse_file (fifo_file, &error);
  g_assert_null (agencies);
  g_assert_error (error, RCRP_AGENCY_ERROR, RCRP_AGENCY_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "FIFO"));
  g_clear_error (&error);

  agencies = rcrp_agency_directory_parse_file (zero_file, &error);
  g_assert_null (agencies);
  g_assert_error (error, RCRP_AGENCY_ERROR, RCRP_AGENCY_ERROR_IO);
  g_assert_true (g_str_has_prefix (error->message, "/dev/zero: a device"));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (big, "[", -1, NULL));
  g_assert_cmpint (truncate (big, RCRP_AGENCY_DIRECTORY_MAX_BYTES + 1), ==, 0);
  agencies = rcrp_agency_directory_parse_file (big_file, &error);
  g_assert_null (agencies);
  g_assert_error (error, RCRP_AGENCY_ERROR, RCRP_AGENCY_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "1 MiB"));
  g_clear_error (&error);

  g_unlink (fifo);
  g_unlink (big);
  g_rmdir (folder);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  /* The rcrp tool acts as alice, who made the database (a test build). */
  g_setenv ("RCRP_TEST_OPERATOR", "alice", TRUE);

  g_test_add_func ("/agencies/hours/always", test_hours_always);
  g_test_add_func ("/agencies/hours/closed-days", test_hours_closed_days);
  g_test_add_func ("/agencies/hours/across-midnight", test_hours_across_midnight);
  g_test_add_func ("/agencies/hours/daylight-saving", test_hours_daylight_saving);
  g_test_add_func ("/agencies/hours/refused", test_hours_refused);
  g_test_add_func ("/agencies/directory/default", test_default_directory);
  g_test_add_func ("/agencies/directory/refused-with-position", test_directory_refused_with_position);
  g_test_add_func ("/agencies/directory/file-regular-and-bounded", test_directory_file_regular_and_bounded);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/agencies/store/default-directory", test_new_database_has_the_default_directory);
  ADD ("/agencies/store/status-latest-wins", test_status_is_an_event_and_latest_wins);
  ADD ("/agencies/store/import-keeps-state", test_import_replaces_and_keeps_state);
  ADD ("/agencies/store/referral-lifecycle", test_referral_lifecycle);
  ADD ("/agencies/store/pending-referrals-since", test_pending_referrals_since);
  ADD ("/agencies/store/undo-is-an-event", test_undo_is_an_event);
  ADD ("/agencies/store/ranking", test_ranking_and_obstacles);
  ADD ("/agencies/store/two-processes", test_two_processes_report_status);
  ADD ("/agencies/cli/import-refuses-whole", test_cli_import_refuses_whole);

  return g_test_run ();
}

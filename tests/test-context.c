/* test-context.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * RcrpContext: the one place both front ends read a shift's hours, the
 * officer hours, the grades' targets and the force's time zone from. The
 * process runs in UTC, so that a shift reckoned in the machine's zone
 * rather than the force's shows.
 */

#include "config.h"

#include <json-glib/json-glib.h>

#include "rcrp-test-util.h"

#include "rcrp-context.h"
#include "rcrp-feed.h"
#include "rcrp-sqlite-store.h"

typedef struct
{
  char        *folder;
  RcrpClock   *clock;
  RcrpStore   *store;
} Fixture;

static GDateTime *
utc (const char *iso)
{
  GDateTime *time = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (time);

  return time;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = utc ("2026-03-29T12:00:00Z");
  g_autofree char *path = NULL;

  fixture->folder = g_dir_make_tmp ("rcrp-context-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->folder, "shift.db", NULL);
  fixture->clock = rcrp_fixed_clock_new (now);
  fixture->store = rcrp_sqlite_store_open (path, fixture->clock, "alice", "ws-1", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->clock);
  rcrp_test_remove_tree (fixture->folder);
  g_clear_pointer (&fixture->folder, g_free);
}

static RcrpContext *
context_in (Fixture      *fixture,
            RcrpSettings *settings,
            const char   *zone)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (zone);

  g_assert_nonnull (tz);

  return rcrp_context_new_full (fixture->store, fixture->clock, settings, tz, "alice", "Alice", "ws-1");
}

static void
assert_shift (RcrpContext *context,
              const char  *shift,
              const char  *from,
              const char  *to)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autofree char *start_text = NULL;
  g_autofree char *end_text = NULL;

  g_assert_true (rcrp_context_resolve_shift (context, shift, &start, &end, &error));
  g_assert_no_error (error);
  start_text = g_date_time_format_iso8601 (start);
  end_text = g_date_time_format_iso8601 (end);
  g_assert_cmpstr (start_text, ==, from);
  g_assert_cmpstr (end_text, ==, to);
}

static void
assert_shift_at (RcrpContext *context,
                 const char  *time,
                 const char  *shift)
{
  g_autoptr(GDateTime) at = utc (time);
  g_autofree char *found = rcrp_context_dup_shift_at (context, at);

  g_assert_cmpstr (found, ==, shift);
}

/* The clocks go forward at 01:00Z on 29 March 2026. In a process whose
 * own zone is UTC, a context for Europe/London starts the day shift at
 * 07:00 BST (06:00Z) and calls 06:30Z part of it; the night before is
 * eleven hours long. A context for UTC says otherwise, so it is the
 * context's zone that decides, not the machine's. */
static void
test_time_zone_decides_shift_boundaries (Fixture       *fixture,
                                         gconstpointer  user_data)
{
  g_autoptr(RcrpContext) london = context_in (fixture, NULL, "Europe/London");
  g_autoptr(RcrpContext) utc_context = context_in (fixture, NULL, "UTC");
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();

  g_assert_cmpstr (g_time_zone_get_identifier (local), ==, "UTC");
  g_assert_cmpstr (g_time_zone_get_identifier (rcrp_context_get_time_zone (london)), ==, "Europe/London");

  assert_shift (london, "2026-03-28/night", "2026-03-28T19:00:00Z", "2026-03-29T06:00:00Z");
  assert_shift (london, "2026-03-29/day", "2026-03-29T06:00:00Z", "2026-03-29T18:00:00Z");
  assert_shift (utc_context, "2026-03-29/day", "2026-03-29T07:00:00Z", "2026-03-29T19:00:00Z");

  assert_shift_at (london, "2026-03-29T05:59:59Z", "2026-03-28/night");
  assert_shift_at (london, "2026-03-29T06:30:00Z", "2026-03-29/day");
  assert_shift_at (london, "2026-03-29T18:00:00Z", "2026-03-29/night");
  assert_shift_at (utc_context, "2026-03-29T06:30:00Z", "2026-03-28/night");

  /* Without a time, by the context's clock. */
  {
    g_autoptr(GDateTime) at = utc ("2026-03-29T06:30:00Z");
    g_autofree char *now_shift = NULL;

    rcrp_fixed_clock_set (RCRP_FIXED_CLOCK (fixture->clock), at);
    now_shift = rcrp_context_dup_shift_at (london, NULL);
    g_assert_cmpstr (now_shift, ==, "2026-03-29/day");
  }
}

/* A context made without a zone takes the force area's
 * ($RCRP_TIME_ZONE), never the machine's. */
static void
test_default_time_zone_is_the_areas (Fixture       *fixture,
                                     gconstpointer  user_data)
{
  g_autoptr(RcrpContext) context = NULL;

  g_setenv ("RCRP_TIME_ZONE", "Europe/Dublin", TRUE);
  context = rcrp_context_new (fixture->store, fixture->clock, "alice", "Alice", "ws-1");
  g_unsetenv ("RCRP_TIME_ZONE");

  g_assert_cmpstr (g_time_zone_get_identifier (rcrp_context_get_time_zone (context)), ==, "Europe/Dublin");
}

static void
add_call (Fixture    *fixture,
          const char *cad_ref,
          const char *received_at)
{
  g_autofree char *text = g_strdup_printf ("{\"schema\": \"rcrp.call/1\", \"cad_ref\": \"%s\", \"received_at\": \"%s\", "
                                           "\"category\": \"medical_incident\", \"initial_grade\": 2, "
                                           "\"summary\": \"Man collapsed outside the station\"}",
                                           cad_ref, received_at);
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) calls = rcrp_feed_parse_bytes (bytes, cad_ref, &error);

  g_assert_no_error (error);
  g_assert_true (rcrp_store_ingest (fixture->store, cad_ref, bytes, calls, NULL, &error));
  g_assert_no_error (error);
}

/* A summary made with the context's options counts the calls' hours on
 * the force's clock: 06:30Z on the morning the clocks went forward is
 * 07:30 in London. */
static void
test_summary_hours_in_the_forces_zone (Fixture       *fixture,
                                       gconstpointer  user_data)
{
  g_autoptr(RcrpContext) context = context_in (fixture, NULL, "Europe/London");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) summary = NULL;
  RcrpSummaryOptions options;
  JsonArray *hours;

  add_call (fixture, "MORNING", "2026-03-29T06:30:00Z");

  g_assert_true (rcrp_context_init_summary_options (context, &options, &error));
  g_assert_no_error (error);
  g_assert_true (rcrp_context_resolve_shift (context, "2026-03-29/day", &options.from, &options.to, &error));
  g_assert_no_error (error);
  summary = rcrp_summary_build (fixture->store, &options, NULL, &error);
  g_assert_no_error (error);
  rcrp_summary_options_clear (&options);

  hours = json_object_get_array_member (json_node_get_object (summary), "calls_by_hour");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (summary), "calls"), ==, 1);
  g_assert_cmpint (json_array_get_int_element (hours, 7), ==, 1);
  g_assert_cmpint (json_array_get_int_element (hours, 6), ==, 0);
}

/* The shift pattern, the officer hours, the targets and the claim lapse
 * come from the settings, and follow them when they change. */
static void
test_settings_decide_shift_and_figures (Fixture       *fixture,
                                        gconstpointer  user_data)
{
  g_autoptr(RcrpSettings) settings = rcrp_settings_new ();
  g_autoptr(RcrpContext) context = NULL;
  g_autoptr(GError) error = NULL;
  GSettings *gsettings;
  RcrpSummaryOptions options;

  g_assert_nonnull (settings);
  gsettings = rcrp_settings_get_gsettings (settings);
  context = context_in (fixture, settings, "Europe/London");
  g_assert_true (rcrp_context_get_settings (context) == settings);

  /* The defaults first. */
  assert_shift (context, "2026-03-29/day", "2026-03-29T06:00:00Z", "2026-03-29T18:00:00Z");
  g_assert_cmpint (rcrp_context_get_claim_lapse (context), ==, 15 * G_TIME_SPAN_MINUTE);

  g_settings_set_string (gsettings, "shift-day-start", "08:00");
  g_settings_set_string (gsettings, "shift-night-start", "20:00");
  g_settings_set_string (gsettings, "officer-hours", "medical_incident=5");
  g_settings_set_int (gsettings, "waiting-target-grade-2", 20);
  g_settings_set_int (gsettings, "claim-idle-minutes", 5);

  assert_shift (context, "2026-03-29/day", "2026-03-29T07:00:00Z", "2026-03-29T19:00:00Z");
  assert_shift (context, "2026-03-29/night", "2026-03-29T19:00:00Z", "2026-03-30T07:00:00Z");
  assert_shift_at (context, "2026-03-29T06:30:00Z", "2026-03-28/night");
  g_assert_cmpint (rcrp_context_get_claim_lapse (context), ==, 5 * G_TIME_SPAN_MINUTE);

  g_assert_true (rcrp_context_init_summary_options (context, &options, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (options.officer_hours[RCRP_CATEGORY_MEDICAL_INCIDENT], ==, 5.0);
  g_assert_cmpfloat (options.officer_hours[RCRP_CATEGORY_CONCERN_FOR_WELFARE], ==, 2.0);
  g_assert_cmpint (options.target_minutes[1], ==, 20);
  g_assert_cmpint (options.target_minutes[0], ==, 5);
  g_assert_nonnull (options.time_zone);
  g_assert_cmpstr (g_time_zone_get_identifier (options.time_zone), ==, "Europe/London");
  rcrp_summary_options_clear (&options);

  g_clear_object (&context);
  g_assert_finalize_object (g_steal_pointer (&settings));
}

/* Settings that cannot be used are refused by name; the summary's
 * defaults are left whole, not half-read. */
static void
test_bad_settings_named (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(RcrpSettings) settings = rcrp_settings_new ();
  g_autoptr(RcrpContext) context = context_in (fixture, settings, "Europe/London");
  GSettings *gsettings = rcrp_settings_get_gsettings (settings);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) to = NULL;
  g_autofree char *shift = NULL;
  RcrpSummaryOptions options;

  g_settings_set_string (gsettings, "officer-hours", "medical_incident=5,nonsense=1");
  g_assert_false (rcrp_context_init_summary_options (context, &options, &error));
  g_assert_error (error, RCRP_SUMMARY_ERROR, RCRP_SUMMARY_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "officer-hours"));
  g_assert_nonnull (strstr (error->message, "nonsense"));
  g_assert_cmpfloat (options.officer_hours[RCRP_CATEGORY_MEDICAL_INCIDENT], ==, 2.5);
  rcrp_summary_options_clear (&options);
  g_clear_error (&error);

  g_settings_set_string (gsettings, "shift-day-start", "19:00");
  g_settings_set_string (gsettings, "shift-night-start", "07:00");
  g_assert_false (rcrp_context_resolve_shift (context, "2026-03-29/day", &from, &to, &error));
  g_assert_error (error, RCRP_SUMMARY_ERROR, RCRP_SUMMARY_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "19:00"));
  shift = rcrp_context_dup_shift_at (context, NULL);
  g_assert_null (shift);
}

int
main (int    argc,
      char **argv)
{
  /* The machine's own zone, which must not matter. */
  g_setenv ("TZ", "UTC", TRUE);
  g_unsetenv ("RCRP_TIME_ZONE");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/context/time-zone-decides-shift-boundaries", test_time_zone_decides_shift_boundaries);
  ADD ("/context/default-time-zone-is-the-areas", test_default_time_zone_is_the_areas);
  ADD ("/context/summary-hours-in-the-forces-zone", test_summary_hours_in_the_forces_zone);
  ADD ("/context/settings-decide-shift-and-figures", test_settings_decide_shift_and_figures);
  ADD ("/context/bad-settings-named", test_bad_settings_named);

  return g_test_run ();
}

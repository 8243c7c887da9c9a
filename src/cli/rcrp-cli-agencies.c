/* rcrp-cli-agencies.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "rcrp-cli.h"

static char *
format_age (GDateTime *then,
            GDateTime *now)
{
  GTimeSpan span;

  if (then == NULL)
    return g_strdup (_("never"));

  span = g_date_time_difference (now, then);
  if (span < G_TIME_SPAN_MINUTE)
    return g_strdup (_("just now"));
  if (span < G_TIME_SPAN_HOUR)
    return g_strdup_printf (_("%d min ago"), (int) (span / G_TIME_SPAN_MINUTE));
  if (span < G_TIME_SPAN_DAY)
    return g_strdup_printf (_("%d h %02d min ago"), (int) (span / G_TIME_SPAN_HOUR),
                            (int) (span % G_TIME_SPAN_HOUR / G_TIME_SPAN_MINUTE));
  return g_strdup_printf (_("%d days ago"), (int) (span / G_TIME_SPAN_DAY));
}

static char *
format_local (GDateTime *time,
              GTimeZone *tz)
{
  g_autoptr(GDateTime) local = NULL;

  if (time == NULL)
    return g_strdup ("-");

  local = g_date_time_to_timezone (time, tz);

  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

static void
add_state_json (JsonBuilder *builder,
                RcrpAgency  *agency,
                GDateTime   *now,
                GTimeZone   *tz)
{
  g_autofree char *changed = NULL;

  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, rcrp_agency_status_to_string (rcrp_agency_get_status (agency)));
  json_builder_set_member_name (builder, "open_now");
  json_builder_add_boolean_value (builder, rcrp_agency_is_open (agency, now, tz));
  json_builder_set_member_name (builder, "capacity");
  if (rcrp_agency_get_capacity (agency) >= 0)
    json_builder_add_int_value (builder, rcrp_agency_get_capacity (agency));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "eta_minutes");
  if (rcrp_agency_get_eta_minutes (agency) >= 0)
    json_builder_add_int_value (builder, rcrp_agency_get_eta_minutes (agency));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "note");
  json_builder_add_string_value (builder, rcrp_agency_get_note (agency) != NULL ? rcrp_agency_get_note (agency) : "");
  json_builder_set_member_name (builder, "changed_by");
  json_builder_add_string_value (builder, rcrp_agency_get_changed_by (agency));
  json_builder_set_member_name (builder, "changed_at");
  if (rcrp_agency_get_changed_at (agency) != NULL)
    {
      changed = g_date_time_format_iso8601 (rcrp_agency_get_changed_at (agency));
      json_builder_add_string_value (builder, changed);
    }
  else
    json_builder_add_null_value (builder);
}

static int
agencies_list (RcrpContext *context,
               gboolean     json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) agencies = rcrp_store_list_agencies (rcrp_context_get_store (context), &error);
  g_autoptr(GDateTime) now = rcrp_context_now (context);
  GTimeZone *tz = rcrp_context_get_time_zone (context);

  if (agencies == NULL)
    {
      g_printerr ("rcrp agencies: %s\n", error->message);
      return EXIT_USAGE;
    }

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < agencies->len; i++)
        {
          RcrpAgency *agency = g_ptr_array_index (agencies, i);
          g_autoptr(JsonNode) entry = rcrp_agency_entry_to_json (agency);
          JsonObject *object = json_node_get_object (entry);

          g_autoptr(GList) members = json_object_get_members (object);

          json_builder_begin_object (builder);
          for (GList *l = members; l != NULL; l = l->next)
            {
              json_builder_set_member_name (builder, l->data);
              json_builder_add_value (builder, json_node_copy (json_object_get_member (object, l->data)));
            }
          add_state_json (builder, agency, now, tz);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);

      root = json_builder_get_root (builder);
      json_generator_set_root (generator, root);
      json_generator_set_pretty (generator, TRUE);
      text = json_generator_to_data (generator, NULL);
      g_print ("%s\n", text);

      return EXIT_OK;
    }

  g_print ("%-20s %-13s %-9s %-7s %-7s %-16s %s\n",
           _("ID"), _("STATUS"), _("HOURS"), _("SPACES"), _("ETA"), _("UPDATED"), _("NAME"));
  for (guint i = 0; i < agencies->len; i++)
    {
      RcrpAgency *agency = g_ptr_array_index (agencies, i);
      g_autofree char *age = format_age (rcrp_agency_get_changed_at (agency), now);
      g_autofree char *spaces = rcrp_agency_get_capacity (agency) >= 0 ?
        g_strdup_printf ("%d", rcrp_agency_get_capacity (agency)) : g_strdup ("-");
      g_autofree char *eta = rcrp_agency_get_eta_minutes (agency) >= 0 ?
        g_strdup_printf (_("%d min"), rcrp_agency_get_eta_minutes (agency)) : g_strdup ("-");

      g_print ("%-20s %-13s %-9s %-7s %-7s %-16s %s\n",
               rcrp_agency_get_id (agency),
               rcrp_agency_status_get_label (rcrp_agency_get_status (agency)),
               rcrp_opening_hours_is_open (rcrp_agency_get_hours (agency), now, tz) ? _("open") : _("closed"),
               spaces, eta, age, rcrp_agency_get_name (agency));
    }

  return EXIT_OK;
}

static int
agencies_status (RcrpStore  *store,
                 int         argc,
                 char      **argv,
                 int         capacity,
                 int         eta,
                 const char *note)
{
  g_autoptr(GError) error = NULL;
  RcrpAgencyStatus status;
  gint64 event_id;

  if (argc != 4)
    {
      g_printerr (_("Usage: rcrp agencies status AGENCY_ID available|limited|at_capacity|closed "
                    "[--capacity N] [--eta MINUTES] [--note TEXT]\n"));
      return EXIT_USAGE;
    }

  if (!rcrp_agency_status_from_string (argv[3], &status) || status == RCRP_AGENCY_STATUS_UNKNOWN)
    {
      g_printerr (_("rcrp agencies status: “%s” is not a status: give available, limited, at_capacity or closed\n"),
                  argv[3]);
      return EXIT_USAGE;
    }

  event_id = rcrp_store_set_agency_state (store, argv[2], status, capacity, eta, note, &error);
  if (event_id < 0)
    {
      g_printerr ("rcrp agencies status: %s\n", error->message);
      return EXIT_REFUSED;
    }

  g_print (_("%s: %s (event %" G_GINT64_FORMAT ")\n"), argv[2], rcrp_agency_status_get_label (status), event_id);

  return EXIT_OK;
}

static int
agencies_import (RcrpStore  *store,
                 const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) agencies = NULL;
  g_autofree char *source = g_file_get_parse_name (file);

  /* All or nothing: a bad file changes nothing. */
  agencies = rcrp_agency_directory_parse_file (file, &error);
  if (agencies == NULL)
    {
      g_printerr ("rcrp agencies import: %s\n", error->message);
      return g_error_matches (error, RCRP_AGENCY_ERROR, RCRP_AGENCY_ERROR_IO) ? EXIT_USAGE : EXIT_REFUSED;
    }

  if (!rcrp_store_import_agencies (store, agencies, source, &error))
    {
      g_printerr ("rcrp agencies import: %s\n", error->message);
      return EXIT_USAGE;
    }

  g_print (ngettext ("Imported %u agency from %s.\n", "Imported %u agencies from %s.\n", agencies->len),
           agencies->len, source);

  return EXIT_OK;
}

static int
agencies_export (RcrpStore  *store,
                 const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) agencies = rcrp_store_list_agencies (store, &error);
  g_autofree char *text = NULL;

  if (agencies == NULL)
    {
      g_printerr ("rcrp agencies export: %s\n", error->message);
      return EXIT_USAGE;
    }

  text = rcrp_agency_directory_to_json (agencies);

  if (g_str_equal (path, "-"))
    {
      g_print ("%s\n", text);
      return EXIT_OK;
    }

  /* Written whole (temporary file and rename), readable by the group only. */
  if (!g_file_set_contents_full (path, text, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0640, &error))
    {
      g_printerr ("rcrp agencies export: %s\n", error->message);
      return EXIT_USAGE;
    }

  g_print (ngettext ("Exported %u agency to %s.\n", "Exported %u agencies to %s.\n", agencies->len),
           agencies->len, path);

  return EXIT_OK;
}

int
rcrp_cli_command_agencies (int    argc,
                           char **argv)
{
  g_autoptr(GOptionContext) option_context = g_option_context_new (_("list|status|import|export — the agency board"));
  g_autoptr(RcrpClock) clock = rcrp_system_clock_new ();
  g_autoptr(RcrpStore) store = NULL;
  g_autofree char *note = NULL;
  gboolean json = FALSE;
  int capacity = -1;
  int eta = -1;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("list: print JSON"), NULL },
    { "capacity", 0, 0, G_OPTION_ARG_INT, &capacity, N_("status: spaces free now"), N_("N") },
    { "eta", 0, 0, G_OPTION_ARG_INT, &eta, N_("status: expected response in minutes"), N_("MINUTES") },
    { "note", 0, 0, G_OPTION_ARG_STRING, &note, N_("status: a note for the board"), N_("TEXT") },
    { NULL }
  };

  g_option_context_add_main_entries (option_context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (option_context,
                                    _("rcrp agencies list [--json]\n"
                                      "rcrp agencies status AGENCY_ID available|limited|at_capacity|closed "
                                      "[--capacity N] [--eta MINUTES] [--note TEXT]\n"
                                      "rcrp agencies import FILE   (replaces the directory; a bad file changes nothing)\n"
                                      "rcrp agencies export FILE|-"));
  if (!rcrp_cli_parse_options (option_context, &argc, &argv))
    return EXIT_USAGE;

  if (argc < 2 ||
      (!g_str_equal (argv[1], "list") && !g_str_equal (argv[1], "status") &&
       !g_str_equal (argv[1], "import") && !g_str_equal (argv[1], "export")))
    {
      g_printerr (_("rcrp agencies: say list, status, import or export. Try “rcrp agencies --help”.\n"));
      return EXIT_USAGE;
    }

  if ((g_str_equal (argv[1], "import") || g_str_equal (argv[1], "export")) && argc != 3)
    {
      g_printerr (_("rcrp agencies %s: give one FILE\n"), argv[1]);
      return EXIT_USAGE;
    }

  if (!(store = rcrp_cli_open_store (clock)))
    return EXIT_USAGE;

  if (g_str_equal (argv[1], "list"))
    {
      g_autoptr(RcrpContext) context = rcrp_cli_context_new (store, clock);

      return agencies_list (context, json);
    }
  if (g_str_equal (argv[1], "status"))
    return agencies_status (store, argc, argv, capacity, eta, note);
  if (g_str_equal (argv[1], "import"))
    return agencies_import (store, argv[2]);

  return agencies_export (store, argv[2]);
}

int
rcrp_cli_command_referrals (int    argc,
                            char **argv)
{
  g_autoptr(GOptionContext) option_context = g_option_context_new (_("[accept|decline DECISION_ID] — referrals"));
  g_autoptr(RcrpClock) clock = rcrp_system_clock_new ();
  g_autoptr(RcrpStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) referrals = NULL;
  g_autoptr(RcrpContext) context = NULL;
  g_autoptr(GDateTime) now = NULL;
  GTimeZone *tz;
  g_autofree char *reason = NULL;
  gboolean pending = FALSE;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "pending", 0, 0, G_OPTION_ARG_NONE, &pending, N_("Only those waiting for an answer"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print a JSON array (decision_event_id, cad_ref, agency_id, state, referred_at, due_at, overdue, "
         "responded_at, responded_by, reason)"), NULL },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_("decline: why the agency declined"), N_("TEXT") },
    { NULL }
  };

  g_option_context_add_main_entries (option_context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (option_context,
                                    _("rcrp referrals [--pending] [--json]\n"
                                      "rcrp referrals accept DECISION_ID\n"
                                      "rcrp referrals decline DECISION_ID --reason TEXT"));
  if (!rcrp_cli_parse_options (option_context, &argc, &argv))
    return EXIT_USAGE;

  if (!(store = rcrp_cli_open_store (clock)))
    return EXIT_USAGE;
  context = rcrp_cli_context_new (store, clock);
  now = rcrp_context_now (context);
  tz = rcrp_context_get_time_zone (context);

  if (argc >= 2 && (g_str_equal (argv[1], "accept") || g_str_equal (argv[1], "decline")))
    {
      gboolean accepted = g_str_equal (argv[1], "accept");
      gint64 decision_event_id;
      char *end = NULL;

      if (argc != 3 || (decision_event_id = g_ascii_strtoll (argv[2], &end, 10)) <= 0 || *end != '\0')
        {
          g_printerr (_("rcrp referrals %s: give the number of the decision that made the referral\n"), argv[1]);
          return EXIT_USAGE;
        }

      if (rcrp_store_respond_to_referral (store, decision_event_id, accepted, reason, &error) < 0)
        {
          g_printerr ("rcrp referrals %s: %s\n", argv[1], error->message);
          return EXIT_REFUSED;
        }

      g_print (accepted ? _("Referral %" G_GINT64_FORMAT " accepted.\n") : _("Referral %" G_GINT64_FORMAT " declined.\n"),
               decision_event_id);
      return EXIT_OK;
    }

  if (argc > 1)
    {
      g_printerr (_("rcrp referrals: unexpected argument “%s”\n"), argv[1]);
      return EXIT_USAGE;
    }

  referrals = rcrp_store_list_referrals (store, 0, pending, &error);
  if (referrals == NULL)
    {
      g_printerr ("rcrp referrals: %s\n", error->message);
      return EXIT_USAGE;
    }

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < referrals->len; i++)
        {
          RcrpReferral *referral = g_ptr_array_index (referrals, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "decision_event_id");
          json_builder_add_int_value (builder, referral->decision_event_id);
          json_builder_set_member_name (builder, "cad_ref");
          json_builder_add_string_value (builder, referral->cad_ref);
          json_builder_set_member_name (builder, "agency_id");
          json_builder_add_string_value (builder, referral->agency_id);
          json_builder_set_member_name (builder, "state");
          json_builder_add_string_value (builder, rcrp_referral_state_to_string (referral->state));
          rcrp_cli_add_time_member (builder, "referred_at", referral->referred_at);
          rcrp_cli_add_time_member (builder, "due_at", referral->due_at);
          json_builder_set_member_name (builder, "overdue");
          json_builder_add_boolean_value (builder, referral->state == RCRP_REFERRAL_PENDING &&
                                                   g_date_time_compare (now, referral->due_at) > 0);
          rcrp_cli_add_time_member (builder, "responded_at", referral->responded_at);
          json_builder_set_member_name (builder, "responded_by");
          if (referral->responded_by != NULL)
            json_builder_add_string_value (builder, referral->responded_by);
          else
            json_builder_add_null_value (builder);
          json_builder_set_member_name (builder, "reason");
          if (referral->reason != NULL)
            json_builder_add_string_value (builder, referral->reason);
          else
            json_builder_add_null_value (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      rcrp_cli_print_json (builder);
      return EXIT_OK;
    }

  g_print ("%-9s %-14s %-20s %-24s %-16s %s\n",
           _("DECISION"), _("CALL"), _("AGENCY"), _("STATE"), _("REFERRED"), _("ANSWER DUE"));
  for (guint i = 0; i < referrals->len; i++)
    {
      RcrpReferral *referral = g_ptr_array_index (referrals, i);
      g_autofree char *referred = format_local (referral->referred_at, tz);
      g_autofree char *due = format_local (referral->due_at, tz);
      gboolean overdue = referral->state == RCRP_REFERRAL_PENDING &&
                         g_date_time_compare (now, referral->due_at) > 0;

      g_print ("%-9" G_GINT64_FORMAT " %-14s %-20s %-24s %-16s %s%s\n",
               referral->decision_event_id, referral->cad_ref, referral->agency_id,
               rcrp_referral_state_get_label (referral->state), referred, due,
               overdue ? _(" (overdue)") : "");
    }

  return EXIT_OK;
}

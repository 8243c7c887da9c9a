/* rcrp-cli-appeals.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "rcrp-cli.h"

/* In the force's time zone, as the app shows it. */
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
add_time (JsonBuilder *builder,
          const char  *member,
          GDateTime   *time)
{
  json_builder_set_member_name (builder, member);
  if (time != NULL)
    {
      g_autofree char *text = g_date_time_format_iso8601 (time);

      json_builder_add_string_value (builder, text);
    }
  else
    json_builder_add_null_value (builder);
}

static void
add_string (JsonBuilder *builder,
            const char  *member,
            const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
print_builder (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

static void
print_appeal (RcrpAppeal *appeal,
              GTimeZone  *tz)
{
  g_autofree char *lodged = format_local (appeal->lodged_at, tz);
  g_autofree char *resolved = format_local (appeal->resolved_at, tz);

  g_print ("%s  %s  %s\n", appeal->reference, appeal->cad_ref, rcrp_appeal_state_get_label (appeal->state));
  g_print (_("  Lodged %s by %s for %s%s%s, against “%s”\n"), lodged, appeal->lodged_by,
           rcrp_appellant_get_label (appeal->appellant),
           appeal->appellant_name != NULL ? ": " : "", appeal->appellant_name != NULL ? appeal->appellant_name : "",
           rcrp_outcome_get_label (appeal->appealed_outcome));
  g_print (_("  Grounds: %s\n"), appeal->grounds);
  if (appeal->state != RCRP_APPEAL_OPEN)
    {
      g_print (_("  Reviewed %s by %s after %.0f min%s%s\n"), resolved, appeal->resolved_by,
               rcrp_appeal_get_review_minutes (appeal),
               appeal->new_outcome != NULL ? _(", new outcome: ") : "",
               appeal->new_outcome != NULL ? rcrp_outcome_get_label (appeal->new_outcome) : "");
      g_print (_("  Rationale: %s\n"), appeal->rationale);
    }
}

static int
appeals_list (RcrpContext *context,
              gboolean     open_only,
              gboolean     json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) appeals = rcrp_store_list_appeals (rcrp_context_get_store (context), 0, open_only, &error);
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  if (appeals == NULL)
    {
      g_printerr ("rcrp appeals: %s\n", error->message);
      return EXIT_USAGE;
    }

  json_builder_begin_array (builder);
  for (guint i = 0; i < appeals->len; i++)
    {
      RcrpAppeal *appeal = g_ptr_array_index (appeals, i);

      if (!json)
        {
          print_appeal (appeal, rcrp_context_get_time_zone (context));
          continue;
        }

      json_builder_begin_object (builder);
      add_string (builder, "reference", appeal->reference);
      add_string (builder, "cad_ref", appeal->cad_ref);
      add_string (builder, "state", rcrp_appeal_state_to_string (appeal->state));
      add_string (builder, "appealed_outcome", appeal->appealed_outcome);
      add_string (builder, "appellant", rcrp_appellant_to_string (appeal->appellant));
      add_string (builder, "appellant_name", appeal->appellant_name);
      add_string (builder, "grounds", appeal->grounds);
      add_time (builder, "lodged_at", appeal->lodged_at);
      add_string (builder, "lodged_by", appeal->lodged_by);
      add_time (builder, "resolved_at", appeal->resolved_at);
      add_string (builder, "resolved_by", appeal->resolved_by);
      add_string (builder, "rationale", appeal->rationale);
      add_string (builder, "new_outcome", appeal->new_outcome);
      json_builder_set_member_name (builder, "review_minutes");
      if (appeal->resolved_at != NULL)
        json_builder_add_double_value (builder, rcrp_appeal_get_review_minutes (appeal));
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  if (json)
    print_builder (builder);
  else if (appeals->len == 0)
    g_print ("%s\n", open_only ? _("No appeals are waiting for a supervisor.") : _("No appeals."));

  return EXIT_OK;
}

int
rcrp_cli_command_appeals (int    argc,
                          char **argv)
{
  g_autoptr(GOptionContext) option_context = g_option_context_new (_("[list|lodge|resolve] — urgent appeals"));
  g_autoptr(RcrpClock) clock = rcrp_system_clock_new ();
  g_autoptr(RcrpStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *by = NULL;
  g_autofree char *name = NULL;
  g_autofree char *grounds = NULL;
  g_autofree char *rationale = NULL;
  g_autofree char *outcome = NULL;
  g_autofree char *agency = NULL;
  gboolean open_only = FALSE;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "open", 0, 0, G_OPTION_ARG_NONE, &open_only, N_("list: only those awaiting a supervisor"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("list: print JSON"), NULL },
    { "by", 0, 0, G_OPTION_ARG_STRING, &by, N_("lodge: caller, partner_agency or other"), N_("WHO") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("lodge: the partner agency's name"), N_("NAME") },
    { "grounds", 0, 0, G_OPTION_ARG_STRING, &grounds, N_("lodge: the grounds given"), N_("TEXT") },
    { "outcome", 0, 0, G_OPTION_ARG_STRING, &outcome, N_("resolve overturned: the new outcome (default police_deployed)"), N_("OUTCOME") },
    { "agency", 0, 0, G_OPTION_ARG_STRING, &agency, N_("resolve overturned: the agency, for a referral"), N_("ID") },
    { "rationale", 0, 0, G_OPTION_ARG_STRING, &rationale, N_("resolve: the supervisor's rationale"), N_("TEXT") },
    { NULL }
  };

  g_option_context_add_main_entries (option_context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (option_context,
                                    _("rcrp appeals [list] [--open] [--json]\n"
                                      "rcrp appeals lodge CAD_REF --by caller|partner_agency|other [--name NAME] --grounds TEXT\n"
                                      "rcrp appeals resolve ESC-REF upheld|overturned --rationale TEXT "
                                      "[--outcome OUTCOME] [--agency ID]"));
  if (!rcrp_cli_parse_options (option_context, &argc, &argv))
    return EXIT_USAGE;

  if (!(store = rcrp_cli_open_store (clock)))
    return EXIT_USAGE;

  if (argc < 2 || g_str_equal (argv[1], "list"))
    {
      g_autoptr(RcrpContext) context = rcrp_cli_context_new (store, clock);

      return appeals_list (context, open_only, json);
    }

  if (g_str_equal (argv[1], "lodge"))
    {
      g_autoptr(RcrpCall) call = NULL;
      g_autoptr(RcrpAppeal) appeal = NULL;
      RcrpAppellant appellant;

      if (argc != 3 || by == NULL || !rcrp_appellant_from_string (by, &appellant))
        {
          g_printerr (_("Usage: rcrp appeals lodge CAD_REF --by caller|partner_agency|other [--name NAME] --grounds TEXT\n"));
          return EXIT_USAGE;
        }

      call = rcrp_store_get_call (store, argv[2], &error);
      if (call == NULL)
        {
          g_printerr ("rcrp appeals lodge: %s\n", error->message);
          return EXIT_REFUSED;
        }

      appeal = rcrp_store_lodge_appeal (store, rcrp_call_get_id (call), appellant, name, grounds, &error);
      if (appeal == NULL)
        {
          g_printerr ("rcrp appeals lodge: %s\n", error->message);
          return EXIT_REFUSED;
        }

      g_print (_("%s: appeal lodged; the call is on hold awaiting a supervisor.\n"), appeal->reference);
      return EXIT_OK;
    }

  if (g_str_equal (argv[1], "resolve"))
    {
      g_autoptr(RcrpAppeal) appeal = NULL;
      g_autoptr(RcrpDecision) overturn = NULL;
      gboolean upheld;

      if (argc != 4 || (!g_str_equal (argv[3], "upheld") && !g_str_equal (argv[3], "overturned")))
        {
          g_printerr (_("Usage: rcrp appeals resolve ESC-REF upheld|overturned --rationale TEXT [--outcome OUTCOME] [--agency ID]\n"));
          return EXIT_USAGE;
        }
      upheld = g_str_equal (argv[3], "upheld");

      if (!upheld)
        {
          g_autoptr(GPtrArray) all = rcrp_store_list_appeals (store, 0, FALSE, &error);
          RcrpAppeal *found = NULL;

          for (guint i = 0; all != NULL && i < all->len; i++)
            if (g_str_equal (((RcrpAppeal *) g_ptr_array_index (all, i))->reference, argv[2]))
              found = g_ptr_array_index (all, i);

          if (found == NULL)
            {
              g_printerr (_("rcrp appeals resolve: There is no appeal %s.\n"), argv[2]);
              return EXIT_REFUSED;
            }

          overturn = rcrp_decision_new (found->call_id, outcome != NULL ? outcome : "police_deployed", NULL);
          if (agency != NULL)
            rcrp_decision_set_agency (overturn, agency);
        }

      appeal = rcrp_store_resolve_appeal (store, argv[2], overturn, rationale, &error);
      if (appeal == NULL)
        {
          g_printerr ("rcrp appeals resolve: %s\n", error->message);
          return EXIT_REFUSED;
        }

      g_print (_("%s: %s after %.0f min.\n"), appeal->reference, rcrp_appeal_state_get_label (appeal->state),
               rcrp_appeal_get_review_minutes (appeal));
      return EXIT_OK;
    }

  g_printerr (_("rcrp appeals: say list, lodge or resolve. Try “rcrp appeals --help”.\n"));
  return EXIT_USAGE;
}

int
rcrp_cli_command_disputes (int    argc,
                           char **argv)
{
  g_autoptr(GOptionContext) option_context =
    g_option_context_new (_("list|add|review|close — disputes after the incident"));
  g_autoptr(RcrpClock) clock = rcrp_system_clock_new ();
  g_autoptr(RcrpStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *state_option = NULL;
  g_autofree char *kind_option = NULL;
  g_autofree char *raised_by = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *learning = NULL;
  g_auto(GStrv) calls = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "state", 0, 0, G_OPTION_ARG_STRING, &state_option, N_("list: open, under_review or closed"), N_("STATE") },
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind_option, N_("list, add: dispute, trend, risk or query"), N_("KIND") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("list: print JSON"), NULL },
    { "raised-by", 0, 0, G_OPTION_ARG_STRING, &raised_by, N_("add: the partner who raised it"), N_("NAME") },
    { "summary", 0, 0, G_OPTION_ARG_STRING, &summary, N_("add: what it is about"), N_("TEXT") },
    { "call", 0, 0, G_OPTION_ARG_STRING_ARRAY, &calls, N_("add: a call it concerns (repeat for more)"), N_("CAD_REF") },
    { "learning", 0, 0, G_OPTION_ARG_STRING, &learning, N_("close: the learning recorded"), N_("TEXT") },
    { NULL }
  };
  int state = -1, kind = -1;

  g_option_context_add_main_entries (option_context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (option_context,
                                    _("rcrp disputes list [--state STATE] [--kind KIND] [--json]\n"
                                      "rcrp disputes add --kind KIND --raised-by NAME --summary TEXT [--call CAD_REF]…\n"
                                      "rcrp disputes review DSP-REF\n"
                                      "rcrp disputes close DSP-REF --learning TEXT"));
  if (!rcrp_cli_parse_options (option_context, &argc, &argv))
    return EXIT_USAGE;

  if (state_option != NULL && !rcrp_dispute_state_from_string (state_option, (RcrpDisputeState *) &state))
    {
      g_printerr (_("rcrp disputes: “%s” is not a state: open, under_review or closed\n"), state_option);
      return EXIT_USAGE;
    }
  if (kind_option != NULL && !rcrp_dispute_kind_from_string (kind_option, (RcrpDisputeKind *) &kind))
    {
      g_printerr (_("rcrp disputes: “%s” is not a kind: dispute, trend, risk or query\n"), kind_option);
      return EXIT_USAGE;
    }

  if (!(store = rcrp_cli_open_store (clock)))
    return EXIT_USAGE;

  if (argc < 2 || g_str_equal (argv[1], "list"))
    {
      g_autoptr(RcrpContext) context = rcrp_cli_context_new (store, clock);
      g_autoptr(GPtrArray) disputes = rcrp_store_list_disputes (store, state, kind, &error);
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      if (disputes == NULL)
        {
          g_printerr ("rcrp disputes: %s\n", error->message);
          return EXIT_USAGE;
        }

      json_builder_begin_array (builder);
      for (guint i = 0; i < disputes->len; i++)
        {
          RcrpDispute *d = g_ptr_array_index (disputes, i);
          g_autofree char *opened = format_local (d->opened_at, rcrp_context_get_time_zone (context));
          g_autofree char *refs = g_strjoinv (", ", d->cad_refs);

          if (!json)
            {
              g_print ("%s  %-8s %-13s %s  %s\n", d->reference, rcrp_dispute_kind_to_string (d->kind),
                       rcrp_dispute_state_get_label (d->state), opened, d->raised_by);
              g_print ("  %s\n", d->summary);
              if (*refs != '\0')
                g_print (_("  Calls: %s\n"), refs);
              if (d->learning != NULL)
                g_print (_("  Learning: %s\n"), d->learning);
              continue;
            }

          json_builder_begin_object (builder);
          add_string (builder, "reference", d->reference);
          add_string (builder, "kind", rcrp_dispute_kind_to_string (d->kind));
          add_string (builder, "state", rcrp_dispute_state_to_string (d->state));
          add_string (builder, "raised_by", d->raised_by);
          add_string (builder, "summary", d->summary);
          json_builder_set_member_name (builder, "cad_refs");
          json_builder_begin_array (builder);
          for (guint r = 0; d->cad_refs[r] != NULL; r++)
            json_builder_add_string_value (builder, d->cad_refs[r]);
          json_builder_end_array (builder);
          add_time (builder, "opened_at", d->opened_at);
          add_string (builder, "opened_by", d->opened_by);
          add_string (builder, "learning", d->learning);
          add_time (builder, "closed_at", d->closed_at);
          add_string (builder, "closed_by", d->closed_by);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);

      if (json)
        print_builder (builder);
      else if (disputes->len == 0)
        g_print ("%s\n", _("No disputes."));

      return EXIT_OK;
    }

  if (g_str_equal (argv[1], "add"))
    {
      g_autoptr(RcrpDispute) dispute = NULL;

      if (argc != 2 || kind < 0)
        {
          g_printerr (_("Usage: rcrp disputes add --kind KIND --raised-by NAME --summary TEXT [--call CAD_REF]…\n"));
          return EXIT_USAGE;
        }

      dispute = rcrp_store_add_dispute (store, kind, raised_by, summary, (const char * const *) calls, &error);
      if (dispute == NULL)
        {
          g_printerr ("rcrp disputes add: %s\n", error->message);
          return EXIT_REFUSED;
        }

      g_print (_("%s: logged.\n"), dispute->reference);
      return EXIT_OK;
    }

  if (g_str_equal (argv[1], "review") || g_str_equal (argv[1], "close"))
    {
      gboolean close = g_str_equal (argv[1], "close");
      g_autoptr(RcrpDispute) dispute = NULL;

      if (argc != 3)
        {
          g_printerr (_("Usage: rcrp disputes %s DSP-REF%s\n"), argv[1], close ? " --learning TEXT" : "");
          return EXIT_USAGE;
        }

      dispute = rcrp_store_set_dispute_state (store, argv[2], close ? RCRP_DISPUTE_CLOSED : RCRP_DISPUTE_UNDER_REVIEW,
                                              learning, &error);
      if (dispute == NULL)
        {
          g_printerr ("rcrp disputes %s: %s\n", argv[1], error->message);
          return EXIT_REFUSED;
        }

      g_print ("%s: %s.\n", dispute->reference, rcrp_dispute_state_get_label (dispute->state));
      return EXIT_OK;
    }

  g_printerr (_("rcrp disputes: say list, add, review or close. Try “rcrp disputes --help”.\n"));
  return EXIT_USAGE;
}

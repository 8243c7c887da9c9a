/* rcrp-cli-export.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>

#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>

#include "rcrp-cli.h"
#include "rcrp-summary.h"

static GDateTime *
parse_time (const char  *option,
            const char  *value,
            GError     **error)
{
  GDateTime *time;

  /* RFC 3339 with an offset, as the contract says. */
  if (strlen (value) < 20 || (time = g_date_time_new_from_iso8601 (value, NULL)) == NULL)
    {
      g_set_error (error, RCRP_SUMMARY_ERROR, RCRP_SUMMARY_ERROR_INVALID,
                   _("%s: “%s” is not an RFC 3339 time with an offset, such as 2026-11-22T07:00:00Z"),
                   option, value);
      return NULL;
    }

  return time;
}

int
rcrp_cli_command_export (int    argc,
                         char **argv)
{
  g_autoptr(GOptionContext) option_context = g_option_context_new (_("— export a shift summary"));
  g_autoptr(RcrpClock) clock = rcrp_system_clock_new ();
  g_autoptr(RcrpStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *shift = NULL;
  g_autofree char *format_option = NULL;
  g_autofree char *output = NULL;
  g_autofree char *hours_option = NULL;
  g_autoptr(RcrpContext) context = NULL;
  gboolean personal = FALSE;
  RcrpSummaryFormat format = RCRP_SUMMARY_FORMAT_JSON;
  RcrpSummaryOptions options;
  const GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, N_("Start of the interval (RFC 3339), included"), N_("TIME") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, N_("End of the interval (RFC 3339), not included"), N_("TIME") },
    { "shift", 0, 0, G_OPTION_ARG_STRING, &shift, N_("A shift instead: YYYY-MM-DD/day or YYYY-MM-DD/night"), N_("SHIFT") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_option, N_("json (default), csv or pdf"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("The file to write (created owner/group-only)"), N_("FILE") },
    { "include-personal-data", 0, 0, G_OPTION_ARG_NONE, &personal,
      N_("CSV: add names, phone numbers and addresses (managers only; recorded in the audit log)"), NULL },
    { "officer-hours", 0, 0, G_OPTION_ARG_STRING, &hours_option,
      N_("Average officer hours per deployment, CATEGORY=HOURS,…"), N_("LIST") },
    { NULL }
  };

  g_option_context_add_main_entries (option_context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (option_context,
                                    _("Summarises every call received in [FROM, TO), or in the shift "
                                      "(by default day 07:00–19:00, night 19:00–07:00, the force's local time; "
                                      "see the settings shift-day-start and shift-night-start). Personal data is "
                                      "never in a summary unless a manager asks with --include-personal-data."));
  if (!rcrp_cli_parse_options (option_context, &argc, &argv))
    return EXIT_USAGE;

  if (argc > 1)
    {
      g_printerr (_("rcrp export: unexpected argument “%s”\n"), argv[1]);
      return EXIT_USAGE;
    }

  if (format_option != NULL && !rcrp_summary_format_from_string (format_option, &format))
    {
      g_printerr (_("rcrp export: --format: “%s” is not json, csv or pdf\n"), format_option);
      return EXIT_USAGE;
    }

  if (output == NULL)
    {
      g_printerr (_("rcrp export: say where to write with --output FILE\n"));
      return EXIT_USAGE;
    }

  if (shift != NULL && (from != NULL || to != NULL))
    {
      g_printerr (_("rcrp export: give --shift, or --from and --to, not both\n"));
      return EXIT_USAGE;
    }

  if (shift == NULL && (from == NULL || to == NULL))
    {
      g_printerr (_("rcrp export: give the interval with --from and --to, or --shift\n"));
      return EXIT_USAGE;
    }

  if (personal && format != RCRP_SUMMARY_FORMAT_CSV)
    {
      g_printerr (_("rcrp export: personal data goes only in the per-call CSV (--format csv)\n"));
      return EXIT_USAGE;
    }

  if (!(store = rcrp_cli_open_store (clock)))
    return EXIT_USAGE;
  context = rcrp_cli_context_new (store, clock);

  /* The shift, the officer hours and the targets as the app's Export
   * dialog works them out: from the context. */
  if (!rcrp_context_init_summary_options (context, &options, &error) ||
      (shift != NULL && !rcrp_context_resolve_shift (context, shift, &options.from, &options.to, &error)) ||
      (shift == NULL && ((options.from = parse_time ("--from", from, &error)) == NULL ||
                         (options.to = parse_time ("--to", to, &error)) == NULL)) ||
      (hours_option != NULL && !rcrp_summary_parse_officer_hours (hours_option, options.officer_hours, &error)))
    {
      g_printerr ("rcrp export: %s\n", error->message);
      rcrp_summary_options_clear (&options);
      return EXIT_USAGE;
    }
  options.include_personal = personal;

  if (!rcrp_summary_export (store, &options, format, output, NULL, &error))
    {
      g_printerr ("rcrp export: %s\n", error->message);
      rcrp_summary_options_clear (&options);
      return g_error_matches (error, RCRP_SUMMARY_ERROR, RCRP_SUMMARY_ERROR_INVALID) ? EXIT_USAGE : EXIT_REFUSED;
    }

  g_printerr (_("Wrote %s\n"), output);
  rcrp_summary_options_clear (&options);

  /* What was exported came from the log as it is now: say so outside it. */
  rcrp_cli_record_checkpoint (store, "export", "export");

  return EXIT_OK;
}

int
rcrp_cli_command_handover (int    argc,
                           char **argv)
{
  g_autoptr(GOptionContext) option_context = g_option_context_new (_("— what the next shift inherits"));
  g_autoptr(RcrpClock) clock = rcrp_system_clock_new ();
  g_autoptr(RcrpStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RcrpContext) context = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *output = NULL;
  g_autofree char *text = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "pdf", 0, 0, G_OPTION_ARG_FILENAME, &output, N_("Write it as a PDF page too"), N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print a JSON object (at, appeals, undecided_calls, pending_referrals, open_disputes, agencies_unavailable)"),
      NULL },
    { NULL }
  };

  g_option_context_add_main_entries (option_context, entries, GETTEXT_PACKAGE);
  if (!rcrp_cli_parse_options (option_context, &argc, &argv))
    return EXIT_USAGE;

  if (!(store = rcrp_cli_open_store (clock)))
    return EXIT_USAGE;
  context = rcrp_cli_context_new (store, clock);

  now = rcrp_context_now (context);
  if (json)
    {
      g_autofree char *document = rcrp_handover_to_json (store, now, rcrp_context_get_time_zone (context), &error);

      if (document == NULL)
        {
          g_printerr ("rcrp handover: %s\n", error->message);
          return EXIT_USAGE;
        }
      g_print ("%s\n", document);

      if (output == NULL)
        {
          rcrp_cli_record_checkpoint (store, "handover", "handover");
          return EXIT_OK;
        }
    }

  text = rcrp_handover_text (store, now, rcrp_context_get_time_zone (context), &error);
  if (text == NULL)
    {
      g_printerr ("rcrp handover: %s\n", error->message);
      return EXIT_USAGE;
    }

  if (!json)
    g_print ("%s", text);

  if (output != NULL && !rcrp_pdf_write_text (_("Shift handover"), text, output, &error))
    {
      g_printerr ("rcrp handover: %s\n", error->message);
      return EXIT_USAGE;
    }

  rcrp_cli_record_checkpoint (store, "handover", "handover");

  return EXIT_OK;
}

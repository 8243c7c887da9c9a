/* rcrp-cli-users.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "rcrp-cli.h"
#include "rcrp-context.h"
#include "rcrp-settings.h"

int
rcrp_cli_command_users (int    argc,
                        char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("list|add|remove — who may do what"));
  g_autoptr(RcrpClock) clock = rcrp_system_clock_new ();
  g_autoptr(RcrpStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("add: the name shown for the user"), N_("NAME") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("list: print a JSON array (os_user, role, display_name, added_by)"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
                                    _("rcrp users list [--json]\n"
                                      "rcrp users add OS_USER coordinator|clinician|supervisor|manager|administrator|service [--name NAME]\n"
                                      "rcrp users remove OS_USER\n\n"
                                      "Only an administrator adds and removes users. The first user of a new "
                                      "database is its administrator; a database keeps at least one."));
  if (!rcrp_cli_parse_options (context, &argc, &argv))
    return EXIT_USAGE;

  if (!(store = rcrp_cli_open_store (clock)))
    return EXIT_USAGE;

  if (argc < 2 || g_str_equal (argv[1], "list"))
    {
      g_autoptr(GPtrArray) users = rcrp_store_list_users (store, &error);

      if (users == NULL)
        {
          g_printerr ("rcrp users: %s\n", error->message);
          return EXIT_USAGE;
        }

      if (json)
        {
          g_autoptr(JsonBuilder) builder = json_builder_new ();

          json_builder_begin_array (builder);
          for (guint i = 0; i < users->len; i++)
            {
              RcrpUser *user = g_ptr_array_index (users, i);

              json_builder_begin_object (builder);
              json_builder_set_member_name (builder, "os_user");
              json_builder_add_string_value (builder, user->os_user);
              json_builder_set_member_name (builder, "role");
              json_builder_add_string_value (builder, rcrp_role_to_string (user->role));
              json_builder_set_member_name (builder, "display_name");
              if (user->display_name != NULL)
                json_builder_add_string_value (builder, user->display_name);
              else
                json_builder_add_null_value (builder);
              json_builder_set_member_name (builder, "added_by");
              json_builder_add_string_value (builder, user->added_by);
              json_builder_end_object (builder);
            }
          json_builder_end_array (builder);
          rcrp_cli_print_json (builder);
          return EXIT_OK;
        }

      g_print ("%-20s %-14s %-24s %s\n", _("USER"), _("ROLE"), _("NAME"), _("ADDED BY"));
      for (guint i = 0; i < users->len; i++)
        {
          RcrpUser *user = g_ptr_array_index (users, i);

          g_print ("%-20s %-14s %-24s %s\n", user->os_user, rcrp_role_to_string (user->role),
                   user->display_name != NULL ? user->display_name : "-", user->added_by);
        }
      return EXIT_OK;
    }

  if (g_str_equal (argv[1], "add"))
    {
      RcrpRole role;

      if (argc != 4 || !rcrp_role_from_string (argv[3], &role))
        {
          g_printerr (_("Usage: rcrp users add OS_USER coordinator|clinician|supervisor|manager|administrator|service [--name NAME]\n"));
          return EXIT_USAGE;
        }

      if (!rcrp_store_add_user (store, argv[2], role, name, &error))
        {
          g_printerr ("rcrp users add: %s\n", error->message);
          return EXIT_REFUSED;
        }

      g_print (_("%s is a %s.\n"), argv[2], rcrp_role_to_string (role));
      return EXIT_OK;
    }

  if (g_str_equal (argv[1], "remove"))
    {
      if (argc != 3)
        {
          g_printerr (_("Usage: rcrp users remove OS_USER\n"));
          return EXIT_USAGE;
        }

      if (!rcrp_store_remove_user (store, argv[2], &error))
        {
          g_printerr ("rcrp users remove: %s\n", error->message);
          return EXIT_REFUSED;
        }

      g_print (_("%s is no longer a user.\n"), argv[2]);
      return EXIT_OK;
    }

  g_printerr (_("rcrp users: say list, add or remove. Try “rcrp users --help”.\n"));
  return EXIT_USAGE;
}

int
rcrp_cli_command_whoami (int    argc,
                         char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("— your user name and role in the shared database"));
  g_autoptr(RcrpClock) clock = rcrp_system_clock_new ();
  g_autoptr(RcrpStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *user = rcrp_context_dup_os_user ();
  RcrpRole role;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print a JSON object (os_user, role)"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!rcrp_cli_parse_options (context, &argc, &argv))
    return EXIT_USAGE;

  if (!(store = rcrp_cli_open_store (clock)))
    return EXIT_USAGE;

  role = rcrp_store_get_role (store, &error);
  if (error != NULL)
    {
      g_printerr ("rcrp whoami: %s\n", error->message);
      return EXIT_USAGE;
    }

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "os_user");
      json_builder_add_string_value (builder, user);
      json_builder_set_member_name (builder, "role");
      json_builder_add_string_value (builder, rcrp_role_to_string (role));
      json_builder_end_object (builder);
      rcrp_cli_print_json (builder);
      return EXIT_OK;
    }

  g_print ("%s %s\n", user, rcrp_role_to_string (role));

  return EXIT_OK;
}

int
rcrp_cli_command_retention (int    argc,
                            char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("apply — erase personal details of old closed calls"));
  g_autoptr(RcrpClock) clock = rcrp_system_clock_new ();
  g_autoptr(RcrpStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) erased = NULL;
  g_autoptr(RcrpSettings) settings = rcrp_settings_new ();
  gboolean dry_run = FALSE;
  int days = -1;
  const GOptionEntry entries[] = {
    { "days", 0, 0, G_OPTION_ARG_INT, &days, N_("The retention period (default: the retention-days setting, 2555)"), N_("N") },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, N_("List what would be erased; change nothing"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
                                    _("Administrators only. Each erasure is recorded in the audit log first; "
                                      "the chain still verifies, and the counts summaries need remain."));
  if (!rcrp_cli_parse_options (context, &argc, &argv))
    return EXIT_USAGE;

  if (argc != 2 || !g_str_equal (argv[1], "apply"))
    {
      g_printerr (_("Usage: rcrp retention apply [--days N] [--dry-run]\n"));
      return EXIT_USAGE;
    }

  /* Not given: the setting. A --days 0 given is refused below, never read
   * as "the default". */
  if (days == -1)
    days = rcrp_settings_get_retention_days (settings);
  if (days < 1)
    {
      g_printerr (_("rcrp retention: --days must be at least 1\n"));
      return EXIT_USAGE;
    }

  if (!(store = rcrp_cli_open_store (clock)))
    return EXIT_USAGE;

  erased = rcrp_store_apply_retention (store, days, dry_run, &error);
  if (erased == NULL)
    {
      g_printerr ("rcrp retention: %s\n", error->message);
      return EXIT_REFUSED;
    }

  for (guint i = 0; i < erased->len; i++)
    g_print ("%s\n", (const char *) g_ptr_array_index (erased, i));
  g_printerr (dry_run ? _("%u calls would be erased (closed more than %d days ago).\n")
                      : _("%u calls erased (closed more than %d days ago).\n"),
              erased->len, days);

  return EXIT_OK;
}

/* rcrp-cli-checkpoint.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * rcrp checkpoint-key and rcrp checkpoint: the audit log's head recorded
 * outside the database, signed.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "rcrp-checkpoint.h"
#include "rcrp-context.h"
#include "rcrp-head-signature.h"
#include "rcrp-cli.h"

int
rcrp_cli_command_checkpoint_key (int    argc,
                                 char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("— make the key pair that signs audit checkpoints"));
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *public_key = NULL;
  g_autofree char *fingerprint = NULL;
  const GOptionEntry entries[] = {
    { "key", 0, 0, G_OPTION_ARG_FILENAME, &key,
      N_("Where the private key goes (default: the user's state folder, rcrp/checkpoint-key)"), N_("FILE") },
    { "public-key", 0, 0, G_OPTION_ARG_FILENAME, &public_key,
      N_("Where the public key goes (default: the private key's name with .pub)"), N_("FILE") },
    { NULL }
  };

  g_option_context_set_description (context,
                                    _("Makes an Ed25519 key pair. The private key (mode 0600) signs the "
                                      "checkpoints that export, handover, the spool service and "
                                      "“rcrp checkpoint” write; keep it out of the database's folder, "
                                      "readable only by the user that writes checkpoints. Give the public "
                                      "key to whoever audits the log: “rcrp verify --checkpoints” needs it. "
                                      "An existing key is never overwritten."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!rcrp_cli_parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc > 1)
    {
      g_printerr (_("rcrp checkpoint-key: unexpected argument “%s”\n"), argv[1]);
      return EXIT_USAGE;
    }

  if (key == NULL)
    key = rcrp_checkpoint_dup_default_key ();
  if (public_key == NULL)
    public_key = g_strconcat (key, ".pub", NULL);

  if (!rcrp_checkpoint_generate_key (key, public_key, &fingerprint, &error))
    {
      g_printerr ("rcrp checkpoint-key: %s\n", error->message);
      return g_error_matches (error, RCRP_CHECKPOINT_ERROR, RCRP_CHECKPOINT_ERROR_EXISTS) ? EXIT_REFUSED : EXIT_USAGE;
    }

  g_print (_("Private key: %s (keep it; nobody else may read it)\n"), key);
  g_print (_("Public key:  %s (give it to the auditors)\n"), public_key);
  g_print (_("Fingerprint: SHA256:%s\n"), fingerprint);

  return EXIT_OK;
}

int
rcrp_cli_command_writer_key (int    argc,
                             char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("— make the key pair that signs what this user records"));
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *public_key = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *user = rcrp_context_dup_os_user ();
  const GOptionEntry entries[] = {
    { "key", 0, 0, G_OPTION_ARG_FILENAME, &key,
      N_("Where the private key goes (default: $RCRP_WRITER_KEY, else the user's state folder, rcrp/writer-key)"),
      N_("FILE") },
    { "public-key", 0, 0, G_OPTION_ARG_FILENAME, &public_key,
      N_("Where the public key goes (default: the private key's name with .pub)"), N_("FILE") },
    { NULL }
  };

  g_option_context_set_description (context,
                                    _("Makes an Ed25519 key pair for the user who runs it (a coordinator, "
                                      "or the spool service's user). From then on the app, the CLI and the "
                                      "spool service sign, as this user, the head of every transaction that "
                                      "records events, so events appended to the database by any other "
                                      "means are named by “rcrp verify”. An administrator pins the public "
                                      "key as " RCRP_WRITER_KEYS_DIR "/USER.pub, where the database's "
                                      "writers cannot change it. An existing key is never overwritten."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!rcrp_cli_parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc > 1)
    {
      g_printerr (_("rcrp writer-key: unexpected argument “%s”\n"), argv[1]);
      return EXIT_USAGE;
    }

  if (key == NULL)
    key = rcrp_head_signer_dup_default_key ();
  if (public_key == NULL)
    public_key = g_strconcat (key, ".pub", NULL);

  if (!rcrp_checkpoint_generate_key (key, public_key, &fingerprint, &error))
    {
      g_printerr ("rcrp writer-key: %s\n", error->message);
      return g_error_matches (error, RCRP_CHECKPOINT_ERROR, RCRP_CHECKPOINT_ERROR_EXISTS) ? EXIT_REFUSED : EXIT_USAGE;
    }

  g_print (_("Private key: %s (keep it; nobody else may read it)\n"), key);
  g_print (_("Public key:  %s\n"), public_key);
  g_print (_("Fingerprint: SHA256:%s\n"), fingerprint);
  g_print (_("Pin it, as root: install -m 0644 %s %s/%s.pub\n"), public_key, RCRP_WRITER_KEYS_DIR, user);

  return EXIT_OK;
}

gboolean
rcrp_cli_record_checkpoint (RcrpStore  *store,
                            const char *command,
                            const char *reason)
{
  g_autoptr(GError) error = NULL;

  if (rcrp_checkpoint_record (store, reason, NULL, NULL, NULL, &error))
    return TRUE;

  /* Without a key the journal still has it; that is the force's choice. */
  if (!g_error_matches (error, RCRP_CHECKPOINT_ERROR, RCRP_CHECKPOINT_ERROR_NO_KEY))
    g_printerr (_("rcrp %s: the audit checkpoint was not written: %s\n"), command, error->message);

  return FALSE;
}

int
rcrp_cli_command_checkpoint (int    argc,
                             char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("— record the audit log's head outside the database"));
  g_autoptr(RcrpClock) clock = rcrp_system_clock_new ();
  g_autoptr(RcrpStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *trail = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *written = NULL;
  const GOptionEntry entries[] = {
    { "key", 0, 0, G_OPTION_ARG_FILENAME, &key, N_("The private key that signs it"), N_("FILE") },
    { "trail", 0, 0, G_OPTION_ARG_FILENAME, &trail,
      N_("The folder of checkpoint trails (default: the user's state folder, rcrp/checkpoints)"), N_("DIR") },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_("Why, as recorded (default: manual)"), N_("WORD") },
    { NULL }
  };

  g_option_context_set_description (context,
                                    _("Writes the chain's head (its event count, the newest event's id and "
                                      "hash) to the systemd journal (or syslog) and appends it, signed, to "
                                      "the database's trail file. Reads the database only. For a timer, "
                                      "or before handing a copy of the database on."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!rcrp_cli_parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc > 1)
    {
      g_printerr (_("rcrp checkpoint: unexpected argument “%s”\n"), argv[1]);
      return EXIT_USAGE;
    }

  if (!(store = rcrp_cli_open_store_read_only (clock)))
    return EXIT_USAGE;

  if (!rcrp_checkpoint_record (store, reason != NULL ? reason : "manual", key, trail, &written, &error))
    {
      g_printerr ("rcrp checkpoint: %s\n", error->message);
      return EXIT_USAGE;
    }

  g_print (_("Checkpoint added to %s\n"), written);

  return EXIT_OK;
}

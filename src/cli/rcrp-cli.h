/* rcrp-cli.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "rcrp-clock.h"
#include "rcrp-context.h"
#include "rcrp-store.h"

G_BEGIN_DECLS

/* Exit codes, as the README promises. */
enum {
  EXIT_OK = 0,
  EXIT_REFUSED = 1,
  EXIT_USAGE = 2,
};

/* Adds --database and parses; prints the error and returns FALSE. */
gboolean   rcrp_cli_parse_options     (GOptionContext  *context,
                                       int             *argc,
                                       char          ***argv);
/* Prints @builder's value as indented JSON, for every command's --json. */
void       rcrp_cli_print_json        (JsonBuilder     *builder);
/* Adds @member as an RFC 3339 time, or null. */
void       rcrp_cli_add_time_member   (JsonBuilder     *builder,
                                       const char      *member,
                                       GDateTime       *time);
/* Opens the shared database as the OS user; prints why not. */
RcrpStore *rcrp_cli_open_store        (RcrpClock       *clock);
/* The same, for reading only: nothing created, migrated or seeded. */
RcrpStore *rcrp_cli_open_store_read_only (RcrpClock     *clock);
/* For commands that only read: as rcrp_cli_open_store(), and read-only
 * when a full disk stops it opening for writing. */
RcrpStore *rcrp_cli_open_store_for_reading (RcrpClock   *clock);
/* The context the app would have over @store: the settings, the force's
 * time zone, the OS user at this workstation. */
RcrpContext *rcrp_cli_context_new     (RcrpStore       *store,
                                       RcrpClock       *clock);

/* rcrp-cli-agencies.c */
int        rcrp_cli_command_agencies  (int              argc,
                                       char           **argv);
int        rcrp_cli_command_referrals (int              argc,
                                       char           **argv);

/* rcrp-cli-appeals.c */
int        rcrp_cli_command_appeals   (int              argc,
                                       char           **argv);
int        rcrp_cli_command_disputes  (int              argc,
                                       char           **argv);

/* rcrp-cli-checkpoint.c */
int        rcrp_cli_command_checkpoint_key (int         argc,
                                            char      **argv);
int        rcrp_cli_command_writer_key     (int         argc,
                                            char      **argv);
int        rcrp_cli_command_checkpoint     (int         argc,
                                            char      **argv);
/* Records a checkpoint of @store's log for @reason, after @command's
 * work; says why on standard error if a key is there but it failed. */
gboolean   rcrp_cli_record_checkpoint      (RcrpStore  *store,
                                            const char *command,
                                            const char *reason);

/* rcrp-cli-decide.c */
int        rcrp_cli_command_decide    (int              argc,
                                       char           **argv);
int        rcrp_cli_command_undo      (int              argc,
                                       char           **argv);

/* rcrp-cli-export.c */
int        rcrp_cli_command_export    (int              argc,
                                       char           **argv);
int        rcrp_cli_command_handover  (int              argc,
                                       char           **argv);

/* rcrp-cli-users.c */
int        rcrp_cli_command_users     (int              argc,
                                       char           **argv);
int        rcrp_cli_command_whoami    (int              argc,
                                       char           **argv);
int        rcrp_cli_command_retention (int              argc,
                                       char           **argv);

G_END_DECLS

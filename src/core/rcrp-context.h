/* rcrp-context.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rcrp-clock.h"
#include "rcrp-store.h"

G_BEGIN_DECLS

#define RCRP_TYPE_CONTEXT (rcrp_context_get_type ())

G_DECLARE_FINAL_TYPE (RcrpContext, rcrp_context, RCRP, CONTEXT, GObject)

/* The services every panel and command needs, handed down as a
 * construct-only property: the store, the clock, and who is signed in at
 * which workstation.
 */
RcrpContext *rcrp_context_new                  (RcrpStore   *store,
                                                RcrpClock   *clock,
                                                const char  *operator_name,
                                                const char  *display_name,
                                                const char  *workstation);
RcrpStore   *rcrp_context_get_store            (RcrpContext *self);
RcrpClock   *rcrp_context_get_clock            (RcrpContext *self);
const char  *rcrp_context_get_operator         (RcrpContext *self);
const char  *rcrp_context_get_display_name     (RcrpContext *self);
const char  *rcrp_context_get_workstation      (RcrpContext *self);

/* Who is at the keyboard and where, from the OS. */
char        *rcrp_context_dup_os_user          (void);
char        *rcrp_context_dup_os_display_name  (void);
char        *rcrp_context_dup_workstation_name (void);

/* The database to use: @option (--database) if given, else $RCRP_DATABASE,
 * else the GSettings key, else rcrp/rcrp.db under the user data folder.
 */
char        *rcrp_context_resolve_database_path (const char *option);
/* Opening and creating are different acts: only the default database (the
 * one nobody named) is made without being asked for. Whether @path is it. */
gboolean     rcrp_context_is_default_database_path (const char *path);

G_END_DECLS

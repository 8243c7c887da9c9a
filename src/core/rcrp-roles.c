/* rcrp-roles.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rcrp-roles.h"

static const struct {
  const char *string;
  const char *label;
} roles[] = {
  [RCRP_ROLE_NONE]          = { "none",          N_("Not a user") },
  [RCRP_ROLE_COORDINATOR]   = { "coordinator",   N_("Coordinator") },
  [RCRP_ROLE_CLINICIAN]     = { "clinician",     N_("Clinician") },
  [RCRP_ROLE_SUPERVISOR]    = { "supervisor",    N_("Supervisor") },
  [RCRP_ROLE_MANAGER]       = { "manager",       N_("Manager") },
  [RCRP_ROLE_ADMINISTRATOR] = { "administrator", N_("Administrator") },
  [RCRP_ROLE_SERVICE]       = { "service",       N_("Feed service") },
};

G_STATIC_ASSERT (G_N_ELEMENTS (roles) == RCRP_N_ROLES);

static const struct {
  const char *string;
  const char *label;
} permissions[] = {
  [RCRP_PERMISSION_CLAIM]            = { "claim",            N_("work on calls") },
  [RCRP_PERMISSION_DECIDE]           = { "decide",           N_("record decisions") },
  [RCRP_PERMISSION_DEPLOY_POLICE]    = { "deploy_police",    N_("deploy police") },
  [RCRP_PERMISSION_AGENCY_STATUS]    = { "agency_status",    N_("update an agency’s status") },
  [RCRP_PERMISSION_REFERRAL_ANSWER]  = { "referral_answer",  N_("record an agency’s answer") },
  [RCRP_PERMISSION_LODGE_APPEAL]     = { "lodge_appeal",     N_("lodge an appeal") },
  [RCRP_PERMISSION_RESOLVE_APPEAL]   = { "resolve_appeal",   N_("resolve an appeal") },
  [RCRP_PERMISSION_ADD_DISPUTE]      = { "add_dispute",      N_("log or review a dispute") },
  [RCRP_PERMISSION_CLOSE_DISPUTE]    = { "close_dispute",    N_("close a dispute") },
  [RCRP_PERMISSION_EXPORT]           = { "export",           N_("export shift summaries") },
  [RCRP_PERMISSION_EXPORT_PERSONAL]  = { "export_personal",  N_("export personal data") },
  [RCRP_PERMISSION_MANAGE_DIRECTORY] = { "manage_directory", N_("import the agency directory") },
  [RCRP_PERMISSION_MANAGE_USERS]     = { "manage_users",     N_("manage users") },
  [RCRP_PERMISSION_APPLY_RETENTION]  = { "apply_retention",  N_("apply the retention period") },
  [RCRP_PERMISSION_INGEST]           = { "ingest",           N_("store calls from the feed") },
  [RCRP_PERMISSION_LIST_VIEWS]       = { "list_views",       N_("list who looked at a call") },
};

#define P(x) (1u << RCRP_PERMISSION_##x)

/* The rules, in one place. Clinicians work calls and agencies but do not
 * send police; only supervisors (and administrators) resolve appeals; only
 * managers export personal data, and they with administrators see who
 * looked at a call; only administrators manage users. Calls come in from
 * the feed through the service's user, or through a coordinator's or a
 * supervisor's app watching the spool; someone who is not a user of the
 * database can store nothing.
 */
static const guint granted[] = {
  [RCRP_ROLE_NONE]          = 0,
  [RCRP_ROLE_COORDINATOR]   = P (CLAIM) | P (DECIDE) | P (DEPLOY_POLICE) | P (AGENCY_STATUS) | P (REFERRAL_ANSWER) |
                              P (LODGE_APPEAL) | P (ADD_DISPUTE) | P (EXPORT) | P (INGEST),
  [RCRP_ROLE_CLINICIAN]     = P (CLAIM) | P (DECIDE) | P (AGENCY_STATUS) | P (REFERRAL_ANSWER) | P (ADD_DISPUTE),
  [RCRP_ROLE_SUPERVISOR]    = P (CLAIM) | P (DECIDE) | P (DEPLOY_POLICE) | P (AGENCY_STATUS) | P (REFERRAL_ANSWER) |
                              P (LODGE_APPEAL) | P (RESOLVE_APPEAL) | P (ADD_DISPUTE) | P (CLOSE_DISPUTE) |
                              P (EXPORT) | P (MANAGE_DIRECTORY) | P (INGEST),
  [RCRP_ROLE_MANAGER]       = P (ADD_DISPUTE) | P (CLOSE_DISPUTE) | P (EXPORT) | P (EXPORT_PERSONAL) |
                              P (LIST_VIEWS),
  [RCRP_ROLE_ADMINISTRATOR] = P (CLAIM) | P (DECIDE) | P (DEPLOY_POLICE) | P (AGENCY_STATUS) | P (REFERRAL_ANSWER) |
                              P (LODGE_APPEAL) | P (RESOLVE_APPEAL) | P (ADD_DISPUTE) | P (CLOSE_DISPUTE) |
                              P (EXPORT) | P (MANAGE_DIRECTORY) | P (MANAGE_USERS) | P (APPLY_RETENTION) |
                              P (INGEST) | P (LIST_VIEWS),
  [RCRP_ROLE_SERVICE]       = P (INGEST),
};

G_STATIC_ASSERT (G_N_ELEMENTS (granted) == RCRP_N_ROLES);

G_STATIC_ASSERT (G_N_ELEMENTS (permissions) == RCRP_N_PERMISSIONS);

const char *
rcrp_role_to_string (RcrpRole role)
{
  g_return_val_if_fail (role < RCRP_N_ROLES, NULL);
  return roles[role].string;
}

gboolean
rcrp_role_from_string (const char *string,
                       RcrpRole   *role)
{
  for (guint i = RCRP_ROLE_COORDINATOR; i < G_N_ELEMENTS (roles); i++)
    {
      if (g_strcmp0 (string, roles[i].string) == 0)
        {
          *role = i;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
rcrp_role_get_label (RcrpRole role)
{
  g_return_val_if_fail (role < RCRP_N_ROLES, NULL);
  return g_dgettext (GETTEXT_PACKAGE, roles[role].label);
}

const char *
rcrp_permission_to_string (RcrpPermission permission)
{
  g_return_val_if_fail (permission < RCRP_N_PERMISSIONS, NULL);
  return permissions[permission].string;
}

const char *
rcrp_permission_get_label (RcrpPermission permission)
{
  g_return_val_if_fail (permission < RCRP_N_PERMISSIONS, NULL);
  return g_dgettext (GETTEXT_PACKAGE, permissions[permission].label);
}

gboolean
rcrp_role_can (RcrpRole       role,
               RcrpPermission permission)
{
  g_return_val_if_fail (role < RCRP_N_ROLES, FALSE);
  g_return_val_if_fail (permission < RCRP_N_PERMISSIONS, FALSE);

  return (granted[role] & (1u << permission)) != 0;
}

char *
rcrp_permission_dup_holders (RcrpPermission permission)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  for (guint r = RCRP_ROLE_COORDINATOR; r < G_N_ELEMENTS (roles); r++)
    if (rcrp_role_can (r, permission))
      g_ptr_array_add (names, (gpointer) roles[r].string);
  g_ptr_array_add (names, NULL);

  return g_strjoinv (", ", (char **) names->pdata);
}

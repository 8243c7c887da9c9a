/* rcrp-roles.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Who does what on the shift. Each OS user has one role, kept in the
 * shared store; the first user of a new database is its administrator.
 */
typedef enum
{
  RCRP_ROLE_NONE,           /* not a user of this database: may read only */
  RCRP_ROLE_COORDINATOR,
  RCRP_ROLE_CLINICIAN,
  RCRP_ROLE_SUPERVISOR,
  RCRP_ROLE_MANAGER,
  RCRP_ROLE_ADMINISTRATOR,
  RCRP_ROLE_SERVICE,        /* the headless feed (rcrp spool as a service): stores calls, nothing else */
  RCRP_N_ROLES
} RcrpRole;

typedef enum
{
  RCRP_PERMISSION_CLAIM,            /* open a call to work on it, take it over */
  RCRP_PERMISSION_DECIDE,           /* record or undo a decision other than deploying police */
  RCRP_PERMISSION_DEPLOY_POLICE,
  RCRP_PERMISSION_AGENCY_STATUS,    /* report an agency's status */
  RCRP_PERMISSION_REFERRAL_ANSWER,  /* record an agency's answer to a referral */
  RCRP_PERMISSION_LODGE_APPEAL,
  RCRP_PERMISSION_RESOLVE_APPEAL,
  RCRP_PERMISSION_ADD_DISPUTE,      /* log a dispute or move it to review */
  RCRP_PERMISSION_CLOSE_DISPUTE,
  RCRP_PERMISSION_EXPORT,           /* shift summaries without personal data */
  RCRP_PERMISSION_EXPORT_PERSONAL,  /* with names, phone numbers and addresses */
  RCRP_PERMISSION_MANAGE_DIRECTORY, /* import the agency directory */
  RCRP_PERMISSION_MANAGE_USERS,
  RCRP_PERMISSION_APPLY_RETENTION,
  RCRP_PERMISSION_INGEST,           /* store calls from the feed (ingest, the spool) */
  RCRP_PERMISSION_LIST_VIEWS,       /* list who looked at a call's personal details */
  RCRP_N_PERMISSIONS
} RcrpPermission;

const char *rcrp_role_to_string          (RcrpRole        role);
gboolean    rcrp_role_from_string        (const char     *string,
                                          RcrpRole       *role);
const char *rcrp_role_get_label          (RcrpRole        role);
const char *rcrp_permission_to_string    (RcrpPermission  permission);
/* "deploy police", for "… may not deploy police" */
const char *rcrp_permission_get_label    (RcrpPermission  permission);
gboolean    rcrp_role_can                (RcrpRole        role,
                                          RcrpPermission  permission);
/* "supervisor or administrator": who may, for a refusal's message. */
char       *rcrp_permission_dup_holders  (RcrpPermission  permission);

G_END_DECLS

/* rcrp-sqlite-users.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rcrp-sqlite-store-private.h"

#define MAX_USER_CHARS 64
#define MAX_DISPLAY_CHARS 120

static char *
user_payload (const char *os_user,
              RcrpRole    role,
              const char *display_name,
              const char *note)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "os_user");
  json_builder_add_string_value (builder, os_user);
  if (role != RCRP_ROLE_NONE)
    {
      json_builder_set_member_name (builder, "role");
      json_builder_add_string_value (builder, rcrp_role_to_string (role));
    }
  if (display_name != NULL)
    {
      json_builder_set_member_name (builder, "display_name");
      json_builder_add_string_value (builder, display_name);
    }
  if (note != NULL)
    {
      json_builder_set_member_name (builder, "note");
      json_builder_add_string_value (builder, note);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
}

/* The role of @os_user, inside or outside a transaction. */
static gboolean
lookup_role (RcrpSqliteStore  *self,
             const char       *os_user,
             RcrpRole         *role,
             GError          **error)
{
  g_autoptr(RcrpCachedStatement) stmt = NULL;
  int rc;

  *role = RCRP_ROLE_NONE;

  stmt = _rcrp_sqlite_statement (self, "SELECT role FROM users WHERE os_user = ?1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, os_user, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    rcrp_role_from_string ((const char *) sqlite3_column_text (stmt, 0), role);
  else if (rc != SQLITE_DONE)
    return _rcrp_sqlite_set_error (self, rc, _("reading the users"), error);

  return TRUE;
}

gboolean
_rcrp_sqlite_users_seed (RcrpSqliteStore  *self,
                         GError          **error)
{
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  g_autoptr(GDateTime) now = rcrp_clock_now (self->clock);
  g_autofree char *payload = NULL;
  int rc;

  {
    g_autoptr(RcrpCachedStatement) stmt = _rcrp_sqlite_statement (self, "SELECT EXISTS (SELECT 1 FROM users)", error);

    if (stmt == NULL)
      return FALSE;
    rc = sqlite3_step (stmt);
    if (rc != SQLITE_ROW)
      return _rcrp_sqlite_set_error (self, rc, _("reading the users"), error);
    if (sqlite3_column_int (stmt, 0))
      return TRUE;
  }

  if (!_rcrp_sqlite_begin (self, error))
    return FALSE;

  /* Again under the write lock: the first to get here is the first user. */
  {
    g_autoptr(RcrpCachedStatement) stmt = _rcrp_sqlite_statement (self, "SELECT EXISTS (SELECT 1 FROM users)", error);

    if (stmt == NULL)
      goto failed;
    rc = sqlite3_step (stmt);
    if (rc != SQLITE_ROW)
      {
        _rcrp_sqlite_set_error (self, rc, _("reading the users"), error);
        goto failed;
      }
    if (sqlite3_column_int (stmt, 0))
      {
        _rcrp_sqlite_rollback (self);
        return TRUE;
      }
  }

  payload = user_payload (self->operator_name, RCRP_ROLE_ADMINISTRATOR, NULL, "first user of the database");
  if (_rcrp_sqlite_insert_event (self, now, "user.added", 0, payload, error) < 0)
    goto failed;

  {
    g_autoptr(RcrpCachedStatement) stmt = NULL;

    stmt = _rcrp_sqlite_statement (self,
                                   "INSERT INTO users (os_user, role, added_by, added_at) VALUES (?1, 'administrator', ?1, ?2)",
                                   error);
    if (stmt == NULL)
      goto failed;
    sqlite3_bind_text (stmt, 1, self->operator_name, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 2, _rcrp_sqlite_time_to_column (now));
    rc = sqlite3_step (stmt);
    if (rc != SQLITE_DONE)
      {
        _rcrp_sqlite_set_error (self, rc, _("adding the first user"), error);
        goto failed;
      }
  }

  return _rcrp_sqlite_commit (self, error);

failed:
  _rcrp_sqlite_rollback (self);
  return FALSE;
}

gboolean
_rcrp_sqlite_require (RcrpSqliteStore  *self,
                      RcrpPermission    permission,
                      GError          **error)
{
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *holders = NULL;
  g_autofree char *payload = NULL;
  RcrpRole role;

  g_assert (sqlite3_get_autocommit (self->db));

  if (!lookup_role (self, self->operator_name, &role, error))
    return FALSE;

  if (rcrp_role_can (role, permission))
    return TRUE;

  holders = rcrp_permission_dup_holders (permission);
  if (role == RCRP_ROLE_NONE)
    g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_FORBIDDEN,
                 _("%s is not a user of this shared database, so may not %s. Ask an administrator "
                   "to add you (rcrp users add %s ROLE)."),
                 self->operator_name, rcrp_permission_get_label (permission), self->operator_name);
  else
    g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_FORBIDDEN,
                 _("%s is a %s and may not %s: that needs a %s."),
                 self->operator_name, rcrp_role_to_string (role), rcrp_permission_get_label (permission), holders);

  /* The refusal is part of the record too; if even that cannot be
   * written, the refusal stands. */
  now = rcrp_clock_now (self->clock);
  payload = user_payload (self->operator_name, role, NULL, rcrp_permission_to_string (permission));
  if (_rcrp_sqlite_begin (self, NULL))
    {
      if (_rcrp_sqlite_insert_event (self, now, "access.refused", 0, payload, NULL) < 0 ||
          !_rcrp_sqlite_commit (self, NULL))
        _rcrp_sqlite_rollback (self);
    }

  return FALSE;
}

static RcrpRole
rcrp_sqlite_store_get_role (RcrpStore  *store,
                            GError    **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  RcrpRole role;

  if (!lookup_role (self, self->operator_name, &role, error))
    return RCRP_ROLE_NONE;

  return role;
}

static gboolean
rcrp_sqlite_store_check_permission (RcrpStore       *store,
                                    RcrpPermission   permission,
                                    GError         **error)
{
  return _rcrp_sqlite_require (RCRP_SQLITE_STORE (store), permission, error);
}

static gboolean
count_administrators (RcrpSqliteStore  *self,
                      const char       *except,
                      gint64           *count,
                      GError          **error)
{
  g_autoptr(RcrpCachedStatement) stmt = NULL;
  int rc;

  stmt = _rcrp_sqlite_statement (self, "SELECT COUNT (*) FROM users WHERE role = 'administrator' AND os_user != ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, except, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return _rcrp_sqlite_set_error (self, rc, _("reading the users"), error);
  *count = sqlite3_column_int64 (stmt, 0);

  return TRUE;
}

static gboolean
valid_user_name (const char *name)
{
  if (name == NULL || *name == '\0' || strlen (name) > MAX_USER_CHARS)
    return FALSE;

  /* POSIX portable user names, and the "." and "@" of directory accounts. */
  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '_' && *p != '-' && *p != '@')
      return FALSE;

  return *name != '-';
}

static gboolean
rcrp_sqlite_store_add_user (RcrpStore   *store,
                            const char  *os_user,
                            RcrpRole     role,
                            const char  *display_name,
                            GError     **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  g_autoptr(GDateTime) now = rcrp_clock_now (self->clock);
  g_autofree char *payload = NULL;
  RcrpRole current;
  gint64 others;
  int rc;

  if (!valid_user_name (os_user))
    {
      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_INVALID,
                   _("“%s” is not an OS user name (letters, digits, “.”, “_”, “-”, “@”; up to %d)."),
                   os_user, MAX_USER_CHARS);
      return FALSE;
    }
  if (role == RCRP_ROLE_NONE || role >= RCRP_N_ROLES)
    {
      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_INVALID,
                   _("Give a role: coordinator, clinician, supervisor, manager or administrator."));
      return FALSE;
    }
  if (display_name != NULL && g_utf8_strlen (display_name, -1) > MAX_DISPLAY_CHARS)
    {
      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_INVALID,
                   _("The display name is longer than %d characters."), MAX_DISPLAY_CHARS);
      return FALSE;
    }

  if (!_rcrp_sqlite_require (self, RCRP_PERMISSION_MANAGE_USERS, error))
    return FALSE;

  if (!_rcrp_sqlite_begin (self, error))
    return FALSE;

  if (!lookup_role (self, os_user, &current, error) || !count_administrators (self, os_user, &others, error))
    goto failed;

  if (current == RCRP_ROLE_ADMINISTRATOR && role != RCRP_ROLE_ADMINISTRATOR && others == 0)
    {
      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_CONFLICT,
                   _("%s is the only administrator: add another before changing this role."), os_user);
      goto failed;
    }

  payload = user_payload (os_user, role, display_name, current != RCRP_ROLE_NONE ? "role changed" : NULL);
  if (_rcrp_sqlite_insert_event (self, now, "user.added", 0, payload, error) < 0)
    goto failed;

  {
    g_autoptr(RcrpCachedStatement) stmt = NULL;

    stmt = _rcrp_sqlite_statement (self,
                                   "INSERT INTO users (os_user, role, display_name, added_by, added_at) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5) "
                                   "ON CONFLICT (os_user) DO UPDATE SET role = ?2, "
                                   "  display_name = COALESCE (?3, display_name), added_by = ?4, added_at = ?5",
                                   error);
    if (stmt == NULL)
      goto failed;
    sqlite3_bind_text (stmt, 1, os_user, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 2, rcrp_role_to_string (role), -1, SQLITE_STATIC);
    if (display_name != NULL)
      sqlite3_bind_text (stmt, 3, display_name, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 4, self->operator_name, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 5, _rcrp_sqlite_time_to_column (now));
    rc = sqlite3_step (stmt);
    if (rc != SQLITE_DONE)
      {
        _rcrp_sqlite_set_error (self, rc, _("adding a user"), error);
        goto failed;
      }
  }

  return _rcrp_sqlite_commit (self, error);

failed:
  _rcrp_sqlite_rollback (self);
  return FALSE;
}

static gboolean
rcrp_sqlite_store_remove_user (RcrpStore   *store,
                               const char  *os_user,
                               GError     **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  g_autoptr(GDateTime) now = rcrp_clock_now (self->clock);
  g_autofree char *payload = NULL;
  RcrpRole current;
  gint64 others;
  int rc;

  if (!_rcrp_sqlite_require (self, RCRP_PERMISSION_MANAGE_USERS, error))
    return FALSE;

  if (!_rcrp_sqlite_begin (self, error))
    return FALSE;

  if (!lookup_role (self, os_user, &current, error) || !count_administrators (self, os_user, &others, error))
    goto failed;

  if (current == RCRP_ROLE_NONE)
    {
      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_NOT_FOUND, _("%s is not a user of this database."), os_user);
      goto failed;
    }
  if (current == RCRP_ROLE_ADMINISTRATOR && others == 0)
    {
      g_set_error (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_CONFLICT,
                   _("%s is the only administrator and cannot be removed."), os_user);
      goto failed;
    }

  payload = user_payload (os_user, current, NULL, NULL);
  if (_rcrp_sqlite_insert_event (self, now, "user.removed", 0, payload, error) < 0)
    goto failed;

  {
    g_autoptr(RcrpCachedStatement) stmt = _rcrp_sqlite_statement (self, "DELETE FROM users WHERE os_user = ?1", error);

    if (stmt == NULL)
      goto failed;
    sqlite3_bind_text (stmt, 1, os_user, -1, SQLITE_STATIC);
    rc = sqlite3_step (stmt);
    if (rc != SQLITE_DONE)
      {
        _rcrp_sqlite_set_error (self, rc, _("removing a user"), error);
        goto failed;
      }
  }

  return _rcrp_sqlite_commit (self, error);

failed:
  _rcrp_sqlite_rollback (self);
  return FALSE;
}

static GPtrArray *
rcrp_sqlite_store_list_users (RcrpStore  *store,
                              GError    **error)
{
  RcrpSqliteStore *self = RCRP_SQLITE_STORE (store);
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  g_autoptr(RcrpCachedStatement) stmt = NULL;
  g_autoptr(GPtrArray) users = g_ptr_array_new_with_free_func ((GDestroyNotify) rcrp_user_free);
  int rc;

  stmt = _rcrp_sqlite_statement (self,
                                 "SELECT os_user, role, display_name, added_by, added_at FROM users ORDER BY os_user",
                                 error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RcrpUser *user = g_new0 (RcrpUser, 1);

      user->os_user = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      rcrp_role_from_string ((const char *) sqlite3_column_text (stmt, 1), &user->role);
      user->display_name = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      user->added_by = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      user->added_at = _rcrp_sqlite_time_from_column (sqlite3_column_int64 (stmt, 4));
      g_ptr_array_add (users, user);
    }

  if (rc != SQLITE_DONE)
    {
      _rcrp_sqlite_set_error (self, rc, _("reading the users"), error);
      return NULL;
    }

  return g_steal_pointer (&users);
}

void
_rcrp_sqlite_users_iface_init (RcrpStoreInterface *iface)
{
  iface->get_role = rcrp_sqlite_store_get_role;
  iface->check_permission = rcrp_sqlite_store_check_permission;
  iface->add_user = rcrp_sqlite_store_add_user;
  iface->remove_user = rcrp_sqlite_store_remove_user;
  iface->list_users = rcrp_sqlite_store_list_users;
}

/* rcrp-sqlite-store.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rcrp-clock.h"
#include "rcrp-store.h"

G_BEGIN_DECLS

#define RCRP_TYPE_SQLITE_STORE (rcrp_sqlite_store_get_type ())

G_DECLARE_FINAL_TYPE (RcrpSqliteStore, rcrp_sqlite_store, RCRP, SQLITE_STORE, GObject)

/* Opens (creating and migrating as needed) the database at @path in WAL
 * mode. Refuses a database on a network file system. @operator_name and
 * @workstation stamp every event this connection writes.
 */
RcrpStore *rcrp_sqlite_store_open (const char  *path,
                                   RcrpClock   *clock,
                                   const char  *operator_name,
                                   const char  *workstation,
                                   GError     **error);

/* Opens an existing database for reading only, as a check must: nothing
 * is created, migrated, seeded or tightened, and a database of another
 * schema version is refused rather than upgraded. Every write through it
 * fails. SQLite's -shm index (and an empty -wal) may be created beside a
 * database that had none; the database and an existing WAL are left byte
 * for byte as they were.
 */
RcrpStore *rcrp_sqlite_store_open_read_only (const char  *path,
                                             RcrpClock   *clock,
                                             const char  *operator_name,
                                             const char  *workstation,
                                             GError     **error);

const char *rcrp_sqlite_store_get_path (RcrpSqliteStore *self);

/* The schema version this build writes. */
#define RCRP_SQLITE_SCHEMA_VERSION 16

/* Whether a file system of statfs type @f_type can hold a WAL database;
 * if not, @name is set to what it is called ("NFS", "SMB", ...).
 * Exposed for tests.
 */
gboolean rcrp_sqlite_store_fs_type_is_local (long          f_type,
                                             const char  **name);

G_END_DECLS

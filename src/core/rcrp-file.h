/* rcrp-file.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  RCRP_READ_FILE_DEFAULT   = 0,
  /* A symbolic link is refused, never followed: for folders that someone
   * other than the reader can write, such as the spool. */
  RCRP_READ_FILE_NO_FOLLOW = 1 << 0,
} RcrpReadFileFlags;

/* Reads the whole of @path, which must be a regular file of at most
 * @max_bytes. The checks are made on the opened descriptor, so a file
 * swapped between a check and the read cannot slip through, and a FIFO or a
 * device never blocks or streams for ever. Messages start with @source (or
 * @path) and say what was found: a symbolic link, a FIFO, a folder, a file
 * too large.
 *
 * Errors are in G_IO_ERROR: G_IO_ERROR_TOO_MANY_LINKS for a refused link,
 * G_IO_ERROR_NOT_REGULAR_FILE, G_IO_ERROR_MESSAGE_TOO_LARGE, or the code of
 * the failing system call.
 *
 * Returns: (transfer full): the bytes, or NULL with @error set.
 */
GBytes *rcrp_read_regular_file (const char         *path,
                                const char         *source,
                                gsize               max_bytes,
                                RcrpReadFileFlags   flags,
                                GError            **error);

/* A file written whole or not at all, readable by owner and group only:
 * created as .NAME.XXXXXX beside @path with mode 0640 whatever the umask,
 * then renamed over @path by rcrp_atomic_file_commit(). A link at @path is
 * replaced, never written through. Freed uncommitted, the temporary file is
 * removed.
 */
typedef struct _RcrpAtomicFile RcrpAtomicFile;

RcrpAtomicFile *rcrp_atomic_file_new                (const char      *path,
                                                     GError         **error);
/* The open descriptor of the temporary file, to write to. */
int             rcrp_atomic_file_get_fd             (RcrpAtomicFile  *self);
/* Its path, for writers that open by name (cairo). */
const char     *rcrp_atomic_file_get_temporary_path (RcrpAtomicFile  *self);
/* Flushes to disk and renames into place. */
gboolean        rcrp_atomic_file_commit             (RcrpAtomicFile  *self,
                                                     GError         **error);
void            rcrp_atomic_file_free               (RcrpAtomicFile  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcrpAtomicFile, rcrp_atomic_file_free)

G_END_DECLS

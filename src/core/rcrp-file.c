/* rcrp-file.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "rcrp-file.h"

static const char *
describe_type (mode_t mode)
{
  if (S_ISDIR (mode))
    return _("a folder");
  if (S_ISFIFO (mode))
    return _("a FIFO (named pipe)");
  if (S_ISSOCK (mode))
    return _("a socket");
  if (S_ISCHR (mode) || S_ISBLK (mode))
    return _("a device");

  return _("not a regular file");
}

/* "8 MiB", "256 KiB": limits are round numbers, said as a person would. */
static char *
format_limit (gsize max_bytes)
{
  if (max_bytes >= 1024 * 1024 && max_bytes % (1024 * 1024) == 0)
    return g_strdup_printf (_("%" G_GSIZE_FORMAT " MiB"), max_bytes / (1024 * 1024));
  if (max_bytes >= 1024 && max_bytes % 1024 == 0)
    return g_strdup_printf (_("%" G_GSIZE_FORMAT " KiB"), max_bytes / 1024);

  return g_strdup_printf (_("%" G_GSIZE_FORMAT " bytes"), max_bytes);
}

GBytes *
rcrp_read_regular_file (const char         *path,
                        const char         *source,
                        gsize               max_bytes,
                        RcrpReadFileFlags   flags,
                        GError            **error)
{
  g_autofree char *contents = NULL;
  struct stat st;
  gsize length = 0;
  gsize allocated;
  int open_flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
  int saved_errno;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  if (source == NULL)
    source = path;

  if (flags & RCRP_READ_FILE_NO_FOLLOW)
    open_flags |= O_NOFOLLOW;

  /* O_NONBLOCK so that opening a FIFO returns at once; the descriptor
   * says what it is before anything is read. */
  fd = open (path, open_flags);
  if (fd < 0)
    {
      saved_errno = errno;

      if (saved_errno == ELOOP && (flags & RCRP_READ_FILE_NO_FOLLOW))
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_LINKS,
                     _("%s: a symbolic link, which is never followed here; only regular files are read"),
                     source);
      else
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                     "%s: %s", source, g_strerror (saved_errno));
      return NULL;
    }

  if (fstat (fd, &st) != 0)
    {
      saved_errno = errno;
      close (fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "%s: %s", source, g_strerror (saved_errno));
      return NULL;
    }

  if (!S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   _("%s: %s, not a regular file; refused"), source, describe_type (st.st_mode));
      return NULL;
    }

  /* Refused before reading, so a huge file costs nothing. */
  if ((guint64) st.st_size > max_bytes)
    {
      g_autofree char *limit = format_limit (max_bytes);

      close (fd);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                   _("%s: the file is larger than %s (%" G_GUINT64_FORMAT " bytes); refused"),
                   source, limit, (guint64) st.st_size);
      return NULL;
    }

  /* The file may still grow while it is read: read one byte beyond the
   * limit to notice. */
  allocated = (gsize) st.st_size + 1;
  contents = g_malloc (allocated + 1);

  for (;;)
    {
      ssize_t n;

      if (length == allocated)
        {
          if (allocated > max_bytes)
            break;
          allocated = MIN (allocated * 2, max_bytes + 1);
          contents = g_realloc (contents, allocated + 1);
        }

      n = read (fd, contents + length, allocated - length);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          saved_errno = errno;
          close (fd);
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       "%s: %s", source, g_strerror (saved_errno));
          return NULL;
        }
      if (n == 0)
        break;
      length += (gsize) n;
    }

  close (fd);

  if (length > max_bytes)
    {
      g_autofree char *limit = format_limit (max_bytes);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                   _("%s: the file grew larger than %s while it was read; refused"),
                   source, limit);
      return NULL;
    }

  /* A terminating NUL that is not part of the bytes, for text parsers. */
  contents[length] = '\0';

  return g_bytes_new_take (g_steal_pointer (&contents), length);
}

/* Files written whole -------------------------------------------------------------- */

struct _RcrpAtomicFile
{
  char *path;
  char *temporary_path;
  int   fd;
};

RcrpAtomicFile *
rcrp_atomic_file_new (const char  *path,
                      GError     **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *template = NULL;
  RcrpAtomicFile *self;
  int saved_errno;

  g_return_val_if_fail (path != NULL, NULL);

  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  template = g_strdup_printf (".%s.XXXXXX", base);

  self = g_new0 (RcrpAtomicFile, 1);
  self->path = g_strdup (path);
  self->temporary_path = g_build_filename (dir, template, NULL);

  /* O_EXCL through mkstemp: a new file, never one that someone placed. */
  self->fd = g_mkstemp_full (self->temporary_path, O_RDWR | O_CLOEXEC, 0640);
  if (self->fd < 0)
    {
      saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot write in %s: %s"), dir, g_strerror (saved_errno));
      g_clear_pointer (&self->temporary_path, g_free);
      rcrp_atomic_file_free (self);
      return NULL;
    }

  /* The umask may have taken the group's read. */
  if (fchmod (self->fd, 0640) != 0)
    {
      saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot write %s: %s"), path, g_strerror (saved_errno));
      rcrp_atomic_file_free (self);
      return NULL;
    }

  return self;
}

int
rcrp_atomic_file_get_fd (RcrpAtomicFile *self)
{
  return self->fd;
}

const char *
rcrp_atomic_file_get_temporary_path (RcrpAtomicFile *self)
{
  return self->temporary_path;
}

gboolean
rcrp_atomic_file_commit (RcrpAtomicFile  *self,
                         GError         **error)
{
  int saved_errno;

  g_return_val_if_fail (self->fd >= 0, FALSE);

  if (fsync (self->fd) != 0)
    {
      saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot write %s: %s"), self->path, g_strerror (saved_errno));
      return FALSE;
    }

  if (close (self->fd) != 0)
    {
      saved_errno = errno;
      self->fd = -1;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot write %s: %s"), self->path, g_strerror (saved_errno));
      return FALSE;
    }
  self->fd = -1;

  if (g_rename (self->temporary_path, self->path) != 0)
    {
      saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot write %s: %s"), self->path, g_strerror (saved_errno));
      return FALSE;
    }

  g_clear_pointer (&self->temporary_path, g_free);

  return TRUE;
}

void
rcrp_atomic_file_free (RcrpAtomicFile *self)
{
  if (self == NULL)
    return;

  if (self->fd >= 0)
    close (self->fd);
  if (self->temporary_path != NULL)
    g_unlink (self->temporary_path);

  g_free (self->path);
  g_free (self->temporary_path);
  g_free (self);
}

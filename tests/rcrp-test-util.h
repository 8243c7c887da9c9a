/* rcrp-test-util.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <glib/gstdio.h>

/* Removes a test's temporary folder and everything in it, so test runs do
 * not leave databases of synthetic calls behind. */
static inline void
rcrp_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (path == NULL)
    return;

  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        rcrp_test_remove_tree (child);
      else
        g_unlink (child);
    }

  g_rmdir (path);
}

/* What a run of the rcrp tool printed and how it ended. */
typedef struct
{
  int   status;
  char *out;
  char *err;
} RcrpTestResult;

static inline void
rcrp_test_result_clear (RcrpTestResult *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
}

/* Runs the rcrp tool ($RCRP_CLI) with the arguments from @first to NULL,
 * @input (or nothing) on standard input, RCRP_DATABASE taken out of its
 * environment and @environment (NAME, VALUE, ..., NULL; may be NULL) put
 * in. Fails the test if the tool cannot be started. */
static inline void
rcrp_test_run_cli_valist (RcrpTestResult     *result,
                          const char         *input,
                          const char * const *environment,
                          const char         *first,
                          va_list             args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *cli = g_getenv ("RCRP_CLI");

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer) cli);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_unsetenv (launcher, "RCRP_DATABASE");
  for (guint i = 0; environment != NULL && environment[i] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, environment[i], environment[i + 1], TRUE);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  g_subprocess_communicate_utf8 (process, input != NULL ? input : "", NULL, &result->out, &result->err, &error);
  g_assert_no_error (error);

  result->status = g_subprocess_get_exit_status (process);
}

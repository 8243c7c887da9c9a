/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "rcrp-application.h"

/* Whether the machine has a graphics device that GL could run on: a DRM
 * render node, or NVIDIA's own driver. */
static gboolean
has_gpu (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/dev/dri", 0, NULL);
  const char *name;

  if (g_file_test ("/dev/nvidiactl", G_FILE_TEST_EXISTS))
    return TRUE;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "renderD"))
      return TRUE;

  return FALSE;
}

/* Without a GPU, as on the thin clients and virtual desktops many control
 * rooms use, GTK 4.8's GL renderer runs on Mesa's software rasteriser
 * (llvmpipe), which holds about 100 MB more than GTK's cairo renderer and
 * draws no faster. Use cairo there; GSK_RENDERER still decides when set. */
static void
choose_renderer (void)
{
  if (g_getenv ("GSK_RENDERER") != NULL)
    return;

  if (!has_gpu () || g_getenv ("LIBGL_ALWAYS_SOFTWARE") != NULL)
    g_setenv ("GSK_RENDERER", "cairo", FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(RcrpApplication) app = NULL;

  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  choose_renderer ();

  app = rcrp_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}

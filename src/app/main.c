/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

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
 * rooms use, GTK 4.8 draws with GL on Mesa's software rasteriser
 * (llvmpipe), and loads it even to draw with cairo. Measured under Xvfb on
 * a million calls: 224 MB resident with GL, 150 MB with cairo, 90 MB with
 * GL not loaded at all, drawing the same. So there, use cairo and leave GL
 * out; GSK_RENDERER, when set, still decides. */
static void
choose_renderer (void)
{
  if (g_getenv ("GSK_RENDERER") != NULL)
    return;

  if (has_gpu () && g_getenv ("LIBGL_ALWAYS_SOFTWARE") == NULL)
    return;

  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  g_setenv ("GDK_DEBUG", "gl-disable", FALSE);
}

/* A call read whole inflates its feed document (a few MB for one of 5,000
 * calls) on whichever thread reads it. glibc raises its threshold for
 * handing big blocks back to the kernel each time one is freed, so those
 * buffers come to live in the threads' heaps and resident memory creeps up
 * with every document read: 117 MB at 30 s rising to 120 MB at 150 s on a
 * backlog of a million calls, against 93 MB with the threshold held at its
 * default, as here. */
static void
keep_big_blocks_apart (void)
{
#ifdef __GLIBC__
  mallopt (M_MMAP_THRESHOLD, 128 * 1024);
#endif
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
  keep_big_blocks_apart ();

  app = rcrp_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}

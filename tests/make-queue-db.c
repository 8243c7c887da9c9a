/* make-queue-db.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * make-queue-db PATH N: a database of N synthetic calls for a test, made in
 * seconds (see rcrp-queue-fixture.h for what the calls are).
 */

#include "config.h"

#include <stdio.h>

#include "rcrp-queue-fixture.h"

int
main (int   argc,
      char *argv[])
{
  guint64 n_calls;

  if (argc != 3 || !g_ascii_string_to_unsigned (argv[2], 10, 1, G_MAXUINT32 - 256, &n_calls, NULL))
    {
      fprintf (stderr, "usage: make-queue-db PATH N\n");
      return 2;
    }

  if (g_file_test (argv[1], G_FILE_TEST_EXISTS))
    {
      fprintf (stderr, "make-queue-db: %s already exists\n", argv[1]);
      return 1;
    }

  rcrp_queue_fixture_make_database (argv[1], (guint) n_calls);

  return 0;
}

/* bench-quick.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * RCRP_BENCH_QUICK=1, as the README's test command sets it, runs each
 * benchmark once on tiny counts, so that one which no longer runs fails
 * the suite. Its figures mean nothing; the README's come from full runs.
 */

#pragma once

#include <glib.h>

static inline gboolean
bench_is_quick (void)
{
  static int quick = -1;

  if (quick < 0)
    {
      quick = g_strcmp0 (g_getenv ("RCRP_BENCH_QUICK"), "1") == 0;
      if (quick)
        g_print ("quick mode (RCRP_BENCH_QUICK=1): tiny counts, one round; these figures mean nothing\n");
    }

  return quick;
}

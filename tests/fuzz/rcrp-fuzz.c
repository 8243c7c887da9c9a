/* rcrp-fuzz.c: what every harness shares.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rcrp-fuzz.h"

/* A GLib critical or warning reachable from input is a defect: it aborts,
 * and libFuzzer keeps the input that did it. */
int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);

  return 0;
}

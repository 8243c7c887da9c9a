/* rcrp-notifier-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rcrp-notifier.h"

G_BEGIN_DECLS

/* How long things must be quiet before calls arriving are no longer one
 * burst (2 seconds). For benchmarks that time single notifications back
 * to back.
 */
void _rcrp_notifier_set_quiet_period (RcrpNotifier *self,
                                      guint         msec);

G_END_DECLS

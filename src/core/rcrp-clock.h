/* rcrp-clock.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define RCRP_TYPE_CLOCK (rcrp_clock_get_type ())

G_DECLARE_INTERFACE (RcrpClock, rcrp_clock, RCRP, CLOCK, GObject)

struct _RcrpClockInterface
{
  GTypeInterface parent_iface;

  GDateTime *(*now) (RcrpClock *self);
};

/* Returns: (transfer full): the current time, in UTC. */
GDateTime *rcrp_clock_now (RcrpClock *self);

#define RCRP_TYPE_SYSTEM_CLOCK (rcrp_system_clock_get_type ())
G_DECLARE_FINAL_TYPE (RcrpSystemClock, rcrp_system_clock, RCRP, SYSTEM_CLOCK, GObject)

RcrpClock *rcrp_system_clock_new (void);

/* A clock that stands still until told otherwise, for tests and benchmarks. */
#define RCRP_TYPE_FIXED_CLOCK (rcrp_fixed_clock_get_type ())
G_DECLARE_FINAL_TYPE (RcrpFixedClock, rcrp_fixed_clock, RCRP, FIXED_CLOCK, GObject)

RcrpClock *rcrp_fixed_clock_new     (GDateTime      *now);
void       rcrp_fixed_clock_set     (RcrpFixedClock *self,
                                     GDateTime      *now);
void       rcrp_fixed_clock_advance (RcrpFixedClock *self,
                                     GTimeSpan       span);

G_END_DECLS

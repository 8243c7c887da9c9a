/* rcrp-clock.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rcrp-clock.h"

G_DEFINE_INTERFACE (RcrpClock, rcrp_clock, G_TYPE_OBJECT)

static void
rcrp_clock_default_init (RcrpClockInterface *iface)
{
}

GDateTime *
rcrp_clock_now (RcrpClock *self)
{
  g_return_val_if_fail (RCRP_IS_CLOCK (self), NULL);

  return RCRP_CLOCK_GET_IFACE (self)->now (self);
}

struct _RcrpSystemClock
{
  GObject parent_instance;
};

static GDateTime *
rcrp_system_clock_now (RcrpClock *clock)
{
  return g_date_time_new_now_utc ();
}

static void
rcrp_system_clock_iface_init (RcrpClockInterface *iface)
{
  iface->now = rcrp_system_clock_now;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (RcrpSystemClock, rcrp_system_clock, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RCRP_TYPE_CLOCK, rcrp_system_clock_iface_init))

static void
rcrp_system_clock_class_init (RcrpSystemClockClass *klass)
{
}

static void
rcrp_system_clock_init (RcrpSystemClock *self)
{
}

RcrpClock *
rcrp_system_clock_new (void)
{
  return g_object_new (RCRP_TYPE_SYSTEM_CLOCK, NULL);
}

struct _RcrpFixedClock
{
  GObject    parent_instance;
  GMutex     mutex;
  GDateTime *now;
};

static GDateTime *
rcrp_fixed_clock_now (RcrpClock *clock)
{
  RcrpFixedClock *self = RCRP_FIXED_CLOCK (clock);
  GDateTime *now;

  g_mutex_lock (&self->mutex);
  now = g_date_time_ref (self->now);
  g_mutex_unlock (&self->mutex);

  return now;
}

static void
rcrp_fixed_clock_iface_init (RcrpClockInterface *iface)
{
  iface->now = rcrp_fixed_clock_now;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (RcrpFixedClock, rcrp_fixed_clock, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RCRP_TYPE_CLOCK, rcrp_fixed_clock_iface_init))

static void
rcrp_fixed_clock_finalize (GObject *object)
{
  RcrpFixedClock *self = RCRP_FIXED_CLOCK (object);

  g_clear_pointer (&self->now, g_date_time_unref);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (rcrp_fixed_clock_parent_class)->finalize (object);
}

static void
rcrp_fixed_clock_class_init (RcrpFixedClockClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rcrp_fixed_clock_finalize;
}

static void
rcrp_fixed_clock_init (RcrpFixedClock *self)
{
  g_mutex_init (&self->mutex);
}

RcrpClock *
rcrp_fixed_clock_new (GDateTime *now)
{
  RcrpFixedClock *self;

  g_return_val_if_fail (now != NULL, NULL);

  self = g_object_new (RCRP_TYPE_FIXED_CLOCK, NULL);
  self->now = g_date_time_to_utc (now);

  return RCRP_CLOCK (self);
}

void
rcrp_fixed_clock_set (RcrpFixedClock *self,
                      GDateTime      *now)
{
  g_return_if_fail (RCRP_IS_FIXED_CLOCK (self));
  g_return_if_fail (now != NULL);

  g_mutex_lock (&self->mutex);
  g_clear_pointer (&self->now, g_date_time_unref);
  self->now = g_date_time_to_utc (now);
  g_mutex_unlock (&self->mutex);
}

void
rcrp_fixed_clock_advance (RcrpFixedClock *self,
                          GTimeSpan       span)
{
  GDateTime *later;

  g_return_if_fail (RCRP_IS_FIXED_CLOCK (self));

  g_mutex_lock (&self->mutex);
  later = g_date_time_add (self->now, span);
  g_date_time_unref (self->now);
  self->now = later;
  g_mutex_unlock (&self->mutex);
}

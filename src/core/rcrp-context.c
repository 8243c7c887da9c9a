/* rcrp-context.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <pwd.h>
#include <string.h>
#include <unistd.h>

#include "rcrp-agency.h"
#include "rcrp-context.h"

struct _RcrpContext
{
  GObject       parent_instance;

  RcrpStore    *store;
  RcrpClock    *clock;
  RcrpSettings *settings;   /* NULL without an installed schema: the defaults */
  GTimeZone    *time_zone;  /* the force's */
  char         *operator_name;
  char         *display_name;
  char         *workstation;
};

G_DEFINE_FINAL_TYPE (RcrpContext, rcrp_context, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_CLOCK,
  PROP_SETTINGS,
  PROP_TIME_ZONE,
  PROP_OPERATOR,
  PROP_DISPLAY_NAME,
  PROP_WORKSTATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
rcrp_context_finalize (GObject *object)
{
  RcrpContext *self = RCRP_CONTEXT (object);

  g_clear_object (&self->store);
  g_clear_object (&self->clock);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->time_zone, g_time_zone_unref);
  g_clear_pointer (&self->operator_name, g_free);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->workstation, g_free);

  G_OBJECT_CLASS (rcrp_context_parent_class)->finalize (object);
}

static void
rcrp_context_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  RcrpContext *self = RCRP_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_CLOCK:
      g_value_set_object (value, self->clock);
      break;

    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    case PROP_TIME_ZONE:
      g_value_set_boxed (value, self->time_zone);
      break;

    case PROP_OPERATOR:
      g_value_set_string (value, self->operator_name);
      break;

    case PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;

    case PROP_WORKSTATION:
      g_value_set_string (value, self->workstation);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rcrp_context_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  RcrpContext *self = RCRP_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_CLOCK:
      self->clock = g_value_dup_object (value);
      break;

    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    case PROP_TIME_ZONE:
      self->time_zone = g_value_dup_boxed (value);
      break;

    case PROP_OPERATOR:
      self->operator_name = g_value_dup_string (value);
      break;

    case PROP_DISPLAY_NAME:
      self->display_name = g_value_dup_string (value);
      break;

    case PROP_WORKSTATION:
      self->workstation = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rcrp_context_constructed (GObject *object)
{
  RcrpContext *self = RCRP_CONTEXT (object);

  G_OBJECT_CLASS (rcrp_context_parent_class)->constructed (object);

  if (self->time_zone == NULL)
    self->time_zone = rcrp_agency_area_time_zone ();
}

static void
rcrp_context_class_init (RcrpContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = rcrp_context_constructed;
  object_class->finalize = rcrp_context_finalize;
  object_class->get_property = rcrp_context_get_property;
  object_class->set_property = rcrp_context_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, RCRP_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLOCK] =
    g_param_spec_object ("clock", NULL, NULL, RCRP_TYPE_CLOCK,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, RCRP_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIME_ZONE] =
    g_param_spec_boxed ("time-zone", NULL, NULL, G_TYPE_TIME_ZONE,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OPERATOR] =
    g_param_spec_string ("operator", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WORKSTATION] =
    g_param_spec_string ("workstation", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rcrp_context_init (RcrpContext *self)
{
}

RcrpContext *
rcrp_context_new (RcrpStore  *store,
                  RcrpClock  *clock,
                  const char *operator_name,
                  const char *display_name,
                  const char *workstation)
{
  g_autoptr(RcrpSettings) settings = rcrp_settings_new ();

  return rcrp_context_new_full (store, clock, settings, NULL, operator_name, display_name, workstation);
}

RcrpContext *
rcrp_context_new_full (RcrpStore    *store,
                       RcrpClock    *clock,
                       RcrpSettings *settings,
                       GTimeZone    *time_zone,
                       const char   *operator_name,
                       const char   *display_name,
                       const char   *workstation)
{
  g_return_val_if_fail (RCRP_IS_STORE (store), NULL);
  g_return_val_if_fail (RCRP_IS_CLOCK (clock), NULL);
  g_return_val_if_fail (settings == NULL || RCRP_IS_SETTINGS (settings), NULL);

  return g_object_new (RCRP_TYPE_CONTEXT,
                       "store", store,
                       "clock", clock,
                       "settings", settings,
                       "time-zone", time_zone,
                       "operator", operator_name,
                       "display-name", display_name,
                       "workstation", workstation,
                       NULL);
}

RcrpStore *
rcrp_context_get_store (RcrpContext *self)
{
  g_return_val_if_fail (RCRP_IS_CONTEXT (self), NULL);
  return self->store;
}

RcrpClock *
rcrp_context_get_clock (RcrpContext *self)
{
  g_return_val_if_fail (RCRP_IS_CONTEXT (self), NULL);
  return self->clock;
}

RcrpSettings *
rcrp_context_get_settings (RcrpContext *self)
{
  g_return_val_if_fail (RCRP_IS_CONTEXT (self), NULL);
  return self->settings;
}

GTimeZone *
rcrp_context_get_time_zone (RcrpContext *self)
{
  g_return_val_if_fail (RCRP_IS_CONTEXT (self), NULL);
  return self->time_zone;
}

GDateTime *
rcrp_context_now (RcrpContext *self)
{
  g_return_val_if_fail (RCRP_IS_CONTEXT (self), NULL);
  return rcrp_clock_now (self->clock);
}

GTimeSpan
rcrp_context_get_claim_lapse (RcrpContext *self)
{
  g_return_val_if_fail (RCRP_IS_CONTEXT (self), RCRP_DEFAULT_CLAIM_IDLE_MINUTES * G_TIME_SPAN_MINUTE);

  return rcrp_settings_get_claim_idle_minutes (self->settings) * G_TIME_SPAN_MINUTE;
}

gboolean
rcrp_context_resolve_shift (RcrpContext  *self,
                            const char   *shift,
                            GDateTime   **from,
                            GDateTime   **to,
                            GError      **error)
{
  g_return_val_if_fail (RCRP_IS_CONTEXT (self), FALSE);
  g_return_val_if_fail (shift != NULL, FALSE);

  return rcrp_summary_parse_shift (shift,
                                   rcrp_settings_get_shift_day_start (self->settings),
                                   rcrp_settings_get_shift_night_start (self->settings),
                                   self->time_zone, from, to, error);
}

char *
rcrp_context_dup_shift_at (RcrpContext *self,
                           GDateTime   *time)
{
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) yesterday = NULL;
  g_autofree char *today_date = NULL;
  g_autofree char *yesterday_date = NULL;
  char *candidates[3] = { NULL, };
  char *found = NULL;

  g_return_val_if_fail (RCRP_IS_CONTEXT (self), NULL);

  now = time != NULL ? g_date_time_ref (time) : rcrp_clock_now (self->clock);
  local = g_date_time_to_timezone (now, self->time_zone);
  yesterday = g_date_time_add_days (local, -1);
  today_date = g_date_time_format (local, "%Y-%m-%d");
  yesterday_date = yesterday != NULL ? g_date_time_format (yesterday, "%Y-%m-%d") : NULL;

  /* Whichever of the three shifts that touch this local date holds the
   * time, by the same reckoning the summary's interval uses, so a clock
   * change cannot put the two at odds. */
  candidates[0] = yesterday_date != NULL ? g_strdup_printf ("%s/night", yesterday_date) : NULL;
  candidates[1] = g_strdup_printf ("%s/day", today_date);
  candidates[2] = g_strdup_printf ("%s/night", today_date);

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      g_autoptr(GDateTime) from = NULL;
      g_autoptr(GDateTime) to = NULL;

      if (found == NULL && candidates[i] != NULL &&
          rcrp_context_resolve_shift (self, candidates[i], &from, &to, NULL) &&
          g_date_time_compare (from, now) <= 0 && g_date_time_compare (now, to) < 0)
        found = g_steal_pointer (&candidates[i]);
    }

  /* g_autofree frees one pointer, not an array of them. */
  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    g_free (candidates[i]);

  /* NULL only for a shift pattern the settings cannot give. */
  return found;
}

gboolean
rcrp_context_init_summary_options (RcrpContext         *self,
                                   RcrpSummaryOptions  *options,
                                   GError             **error)
{
  double officer_hours[RCRP_N_CATEGORIES];
  const char *hours;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (RCRP_IS_CONTEXT (self), FALSE);
  g_return_val_if_fail (options != NULL, FALSE);

  rcrp_summary_options_init (options);
  rcrp_summary_options_apply_settings (options, self->settings);
  options->time_zone = g_time_zone_ref (self->time_zone);

  /* Into a copy, so that a setting read halfway leaves the defaults. */
  hours = rcrp_settings_get_officer_hours (self->settings);
  memcpy (officer_hours, options->officer_hours, sizeof officer_hours);
  if (*hours != '\0' && !rcrp_summary_parse_officer_hours (hours, officer_hours, &local_error))
    {
      g_set_error (error, RCRP_SUMMARY_ERROR, RCRP_SUMMARY_ERROR_INVALID,
                   _("the officer-hours setting: %s"), local_error->message);
      return FALSE;
    }
  memcpy (options->officer_hours, officer_hours, sizeof officer_hours);

  return TRUE;
}

const char *
rcrp_context_get_operator (RcrpContext *self)
{
  g_return_val_if_fail (RCRP_IS_CONTEXT (self), NULL);
  return self->operator_name;
}

const char *
rcrp_context_get_display_name (RcrpContext *self)
{
  g_return_val_if_fail (RCRP_IS_CONTEXT (self), NULL);
  return self->display_name;
}

const char *
rcrp_context_get_workstation (RcrpContext *self)
{
  g_return_val_if_fail (RCRP_IS_CONTEXT (self), NULL);
  return self->workstation;
}

char *
rcrp_context_dup_os_user (void)
{
#if RCRP_TEST_IDENTITY
  /* Test builds only (meson -Dtest_identity=true): roles are tried as
   * several users without creating OS accounts. */
  const char *test_operator = g_getenv ("RCRP_TEST_OPERATOR");

  if (test_operator != NULL && *test_operator != '\0')
    {
      static gsize warned;

      if (g_once_init_enter (&warned))
        {
          g_printerr ("rcrp: test build: acting as “%s” (RCRP_TEST_OPERATOR), not the OS user\n", test_operator);
          g_once_init_leave (&warned, 1);
        }

      return g_strdup (test_operator);
    }
#endif

  return g_strdup (g_get_user_name ());
}

char *
rcrp_context_dup_os_display_name (void)
{
  const char *real_name = g_get_real_name ();

  /* GLib answers "Unknown" when the passwd entry has no full name. */
  if (real_name == NULL || *real_name == '\0' || g_str_equal (real_name, "Unknown"))
    return g_strdup (g_get_user_name ());

  return g_strdup (real_name);
}

char *
rcrp_context_dup_workstation_name (void)
{
  return g_strdup (g_get_host_name ());
}

static char *
default_database_path (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "rcrp", "rcrp.db", NULL);

  return g_canonicalize_filename (path, NULL);
}

char *
rcrp_context_resolve_database_path (const char *option)
{
  const char *env;

  if (option != NULL && *option != '\0')
    return g_canonicalize_filename (option, NULL);

  env = g_getenv ("RCRP_DATABASE");
  if (env != NULL && *env != '\0')
    return g_canonicalize_filename (env, NULL);

  {
    g_autoptr(RcrpSettings) settings = rcrp_settings_new ();

    if (settings != NULL)
      {
        g_autofree char *path = rcrp_settings_dup_database_path (settings);

        if (path != NULL && *path != '\0')
          return g_canonicalize_filename (path, NULL);
      }
  }

  return default_database_path ();
}

gboolean
rcrp_context_is_default_database_path (const char *path)
{
  g_autofree char *default_path = default_database_path ();
  g_autofree char *canonical = NULL;

  g_return_val_if_fail (path != NULL, FALSE);

  canonical = g_canonicalize_filename (path, NULL);

  return g_str_equal (canonical, default_path);
}

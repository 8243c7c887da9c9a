/* rcrp-settings.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rcrp-alert-watch.h"
#include "rcrp-settings.h"

struct _RcrpSettings
{
  GObject    parent_instance;

  GSettings *settings;
  char      *database_path;
  char      *spool_folder;
  int        claim_idle_minutes;
  int        agency_stale_minutes;
  int        retention_days;
  char      *shift_day_start;
  char      *shift_night_start;
  char      *officer_hours;
  int        waiting_targets[4];
  gboolean   do_not_disturb;
  gboolean   notification_sounds;
  int        window_width;
  int        window_height;
  gboolean   window_maximized;
};

G_DEFINE_FINAL_TYPE (RcrpSettings, rcrp_settings, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DATABASE_PATH,
  PROP_SPOOL_FOLDER,
  PROP_CLAIM_IDLE_MINUTES,
  PROP_AGENCY_STALE_MINUTES,
  PROP_RETENTION_DAYS,
  PROP_SHIFT_DAY_START,
  PROP_SHIFT_NIGHT_START,
  PROP_OFFICER_HOURS,
  PROP_WAITING_TARGET_GRADE_1,
  PROP_WAITING_TARGET_GRADE_2,
  PROP_WAITING_TARGET_GRADE_3,
  PROP_WAITING_TARGET_GRADE_4,
  PROP_DO_NOT_DISTURB,
  PROP_NOTIFICATION_SOUNDS,
  PROP_WINDOW_WIDTH,
  PROP_WINDOW_HEIGHT,
  PROP_WINDOW_MAXIMIZED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
rcrp_settings_finalize (GObject *object)
{
  RcrpSettings *self = RCRP_SETTINGS (object);

  g_clear_object (&self->settings);
  g_clear_pointer (&self->database_path, g_free);
  g_clear_pointer (&self->spool_folder, g_free);
  g_clear_pointer (&self->shift_day_start, g_free);
  g_clear_pointer (&self->shift_night_start, g_free);
  g_clear_pointer (&self->officer_hours, g_free);

  G_OBJECT_CLASS (rcrp_settings_parent_class)->finalize (object);
}

static void
set_string (RcrpSettings *self,
            char        **field,
            const char   *value,
            int           prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_int (RcrpSettings *self,
         int          *field,
         int           value,
         int           prop_id)
{
  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
rcrp_settings_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  RcrpSettings *self = RCRP_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_DATABASE_PATH:
      g_value_set_string (value, self->database_path);
      break;

    case PROP_SPOOL_FOLDER:
      g_value_set_string (value, self->spool_folder);
      break;

    case PROP_CLAIM_IDLE_MINUTES:
      g_value_set_int (value, self->claim_idle_minutes);
      break;

    case PROP_AGENCY_STALE_MINUTES:
      g_value_set_int (value, self->agency_stale_minutes);
      break;

    case PROP_RETENTION_DAYS:
      g_value_set_int (value, self->retention_days);
      break;

    case PROP_SHIFT_DAY_START:
      g_value_set_string (value, self->shift_day_start);
      break;

    case PROP_SHIFT_NIGHT_START:
      g_value_set_string (value, self->shift_night_start);
      break;

    case PROP_OFFICER_HOURS:
      g_value_set_string (value, self->officer_hours);
      break;

    case PROP_WAITING_TARGET_GRADE_1:
    case PROP_WAITING_TARGET_GRADE_2:
    case PROP_WAITING_TARGET_GRADE_3:
    case PROP_WAITING_TARGET_GRADE_4:
      g_value_set_int (value, self->waiting_targets[prop_id - PROP_WAITING_TARGET_GRADE_1]);
      break;

    case PROP_DO_NOT_DISTURB:
      g_value_set_boolean (value, self->do_not_disturb);
      break;

    case PROP_NOTIFICATION_SOUNDS:
      g_value_set_boolean (value, self->notification_sounds);
      break;

    case PROP_WINDOW_WIDTH:
      g_value_set_int (value, self->window_width);
      break;

    case PROP_WINDOW_HEIGHT:
      g_value_set_int (value, self->window_height);
      break;

    case PROP_WINDOW_MAXIMIZED:
      g_value_set_boolean (value, self->window_maximized);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rcrp_settings_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  RcrpSettings *self = RCRP_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_DATABASE_PATH:
      set_string (self, &self->database_path, g_value_get_string (value), prop_id);
      break;

    case PROP_SPOOL_FOLDER:
      set_string (self, &self->spool_folder, g_value_get_string (value), prop_id);
      break;

    case PROP_CLAIM_IDLE_MINUTES:
      if (self->claim_idle_minutes != g_value_get_int (value))
        {
          self->claim_idle_minutes = g_value_get_int (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_AGENCY_STALE_MINUTES:
      set_int (self, &self->agency_stale_minutes, g_value_get_int (value), prop_id);
      break;

    case PROP_RETENTION_DAYS:
      set_int (self, &self->retention_days, g_value_get_int (value), prop_id);
      break;

    case PROP_SHIFT_DAY_START:
      set_string (self, &self->shift_day_start, g_value_get_string (value), prop_id);
      break;

    case PROP_SHIFT_NIGHT_START:
      set_string (self, &self->shift_night_start, g_value_get_string (value), prop_id);
      break;

    case PROP_OFFICER_HOURS:
      set_string (self, &self->officer_hours, g_value_get_string (value), prop_id);
      break;

    case PROP_WAITING_TARGET_GRADE_1:
    case PROP_WAITING_TARGET_GRADE_2:
    case PROP_WAITING_TARGET_GRADE_3:
    case PROP_WAITING_TARGET_GRADE_4:
      if (self->waiting_targets[prop_id - PROP_WAITING_TARGET_GRADE_1] != g_value_get_int (value))
        {
          self->waiting_targets[prop_id - PROP_WAITING_TARGET_GRADE_1] = g_value_get_int (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_DO_NOT_DISTURB:
      if (self->do_not_disturb != g_value_get_boolean (value))
        {
          self->do_not_disturb = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_NOTIFICATION_SOUNDS:
      if (self->notification_sounds != g_value_get_boolean (value))
        {
          self->notification_sounds = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_WINDOW_WIDTH:
      if (self->window_width != g_value_get_int (value))
        {
          self->window_width = g_value_get_int (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_WINDOW_HEIGHT:
      if (self->window_height != g_value_get_int (value))
        {
          self->window_height = g_value_get_int (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_WINDOW_MAXIMIZED:
      if (self->window_maximized != g_value_get_boolean (value))
        {
          self->window_maximized = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rcrp_settings_class_init (RcrpSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rcrp_settings_finalize;
  object_class->get_property = rcrp_settings_get_property;
  object_class->set_property = rcrp_settings_set_property;

  properties[PROP_DATABASE_PATH] =
    g_param_spec_string ("database-path", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SPOOL_FOLDER] =
    g_param_spec_string ("spool-folder", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLAIM_IDLE_MINUTES] =
    g_param_spec_int ("claim-idle-minutes", NULL, NULL, 1, 480, RCRP_DEFAULT_CLAIM_IDLE_MINUTES,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AGENCY_STALE_MINUTES] =
    g_param_spec_int ("agency-stale-minutes", NULL, NULL, 5, 1440, RCRP_DEFAULT_AGENCY_STALE_MINUTES,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RETENTION_DAYS] =
    g_param_spec_int ("retention-days", NULL, NULL, 30, 36500, RCRP_DEFAULT_RETENTION_DAYS,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHIFT_DAY_START] =
    g_param_spec_string ("shift-day-start", NULL, NULL, RCRP_DEFAULT_SHIFT_DAY_START,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHIFT_NIGHT_START] =
    g_param_spec_string ("shift-night-start", NULL, NULL, RCRP_DEFAULT_SHIFT_NIGHT_START,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OFFICER_HOURS] =
    g_param_spec_string ("officer-hours", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WAITING_TARGET_GRADE_1] =
    g_param_spec_int ("waiting-target-grade-1", NULL, NULL, 1, 1440, 5,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WAITING_TARGET_GRADE_2] =
    g_param_spec_int ("waiting-target-grade-2", NULL, NULL, 1, 1440, 15,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WAITING_TARGET_GRADE_3] =
    g_param_spec_int ("waiting-target-grade-3", NULL, NULL, 1, 1440, 60,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WAITING_TARGET_GRADE_4] =
    g_param_spec_int ("waiting-target-grade-4", NULL, NULL, 1, 1440, 240,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DO_NOT_DISTURB] =
    g_param_spec_boolean ("do-not-disturb", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NOTIFICATION_SOUNDS] =
    g_param_spec_boolean ("notification-sounds", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WINDOW_WIDTH] =
    g_param_spec_int ("window-width", NULL, NULL, 0, G_MAXINT, 1200,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WINDOW_HEIGHT] =
    g_param_spec_int ("window-height", NULL, NULL, 0, G_MAXINT, 760,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WINDOW_MAXIMIZED] =
    g_param_spec_boolean ("window-maximized", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rcrp_settings_init (RcrpSettings *self)
{
  self->claim_idle_minutes = RCRP_DEFAULT_CLAIM_IDLE_MINUTES;
  self->agency_stale_minutes = RCRP_DEFAULT_AGENCY_STALE_MINUTES;
  self->retention_days = RCRP_DEFAULT_RETENTION_DAYS;
  self->shift_day_start = g_strdup (RCRP_DEFAULT_SHIFT_DAY_START);
  self->shift_night_start = g_strdup (RCRP_DEFAULT_SHIFT_NIGHT_START);
  self->officer_hours = g_strdup ("");
  self->waiting_targets[0] = RCRP_DEFAULT_TARGET_GRADE_1;
  self->waiting_targets[1] = RCRP_DEFAULT_TARGET_GRADE_2;
  self->waiting_targets[2] = RCRP_DEFAULT_TARGET_GRADE_3;
  self->waiting_targets[3] = RCRP_DEFAULT_TARGET_GRADE_4;
  self->notification_sounds = TRUE;
  self->window_width = 1200;
  self->window_height = 760;
}

RcrpSettings *
rcrp_settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  RcrpSettings *self;

  /* A command-line tool run from a build tree has no installed schema;
   * asking GSettings for it would abort the process.
   */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema == NULL)
    return NULL;

  self = g_object_new (RCRP_TYPE_SETTINGS, NULL);
  self->settings = g_settings_new_full (schema, NULL, NULL);

  g_settings_bind (self->settings, "database-path", self, "database-path", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "spool-folder", self, "spool-folder", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "claim-idle-minutes", self, "claim-idle-minutes", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "agency-stale-minutes", self, "agency-stale-minutes", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "retention-days", self, "retention-days", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "shift-day-start", self, "shift-day-start", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "shift-night-start", self, "shift-night-start", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "officer-hours", self, "officer-hours", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "waiting-target-grade-1", self, "waiting-target-grade-1", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "waiting-target-grade-2", self, "waiting-target-grade-2", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "waiting-target-grade-3", self, "waiting-target-grade-3", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "waiting-target-grade-4", self, "waiting-target-grade-4", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "do-not-disturb", self, "do-not-disturb", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "notification-sounds", self, "notification-sounds", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-width", self, "window-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "window-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "window-maximized", G_SETTINGS_BIND_DEFAULT);

  return self;
}

GSettings *
rcrp_settings_get_gsettings (RcrpSettings *self)
{
  g_return_val_if_fail (RCRP_IS_SETTINGS (self), NULL);

  return self->settings;
}

char *
rcrp_settings_dup_database_path (RcrpSettings *self)
{
  g_return_val_if_fail (RCRP_IS_SETTINGS (self), NULL);

  return g_strdup (self->database_path);
}

char *
rcrp_settings_dup_spool_folder (RcrpSettings *self)
{
  g_return_val_if_fail (RCRP_IS_SETTINGS (self), NULL);

  return g_strdup (self->spool_folder);
}

int
rcrp_settings_get_waiting_target (RcrpSettings *self,
                                  int           grade)
{
  static const int defaults[] = {
    RCRP_DEFAULT_TARGET_GRADE_1, RCRP_DEFAULT_TARGET_GRADE_2,
    RCRP_DEFAULT_TARGET_GRADE_3, RCRP_DEFAULT_TARGET_GRADE_4,
  };
  int index = CLAMP (grade, 1, 4) - 1;

  g_return_val_if_fail (self == NULL || RCRP_IS_SETTINGS (self), defaults[index]);

  return self != NULL ? self->waiting_targets[index] : defaults[index];
}

/* The getters below answer for a NULL @self (no schema installed) with the
 * built-in defaults, so that a caller never needs to know which it has. */

const char *
rcrp_settings_get_shift_day_start (RcrpSettings *self)
{
  g_return_val_if_fail (self == NULL || RCRP_IS_SETTINGS (self), RCRP_DEFAULT_SHIFT_DAY_START);

  return self != NULL ? self->shift_day_start : RCRP_DEFAULT_SHIFT_DAY_START;
}

const char *
rcrp_settings_get_shift_night_start (RcrpSettings *self)
{
  g_return_val_if_fail (self == NULL || RCRP_IS_SETTINGS (self), RCRP_DEFAULT_SHIFT_NIGHT_START);

  return self != NULL ? self->shift_night_start : RCRP_DEFAULT_SHIFT_NIGHT_START;
}

const char *
rcrp_settings_get_officer_hours (RcrpSettings *self)
{
  g_return_val_if_fail (self == NULL || RCRP_IS_SETTINGS (self), "");

  return self != NULL && self->officer_hours != NULL ? self->officer_hours : "";
}

int
rcrp_settings_get_agency_stale_minutes (RcrpSettings *self)
{
  g_return_val_if_fail (self == NULL || RCRP_IS_SETTINGS (self), RCRP_DEFAULT_AGENCY_STALE_MINUTES);

  return self != NULL ? self->agency_stale_minutes : RCRP_DEFAULT_AGENCY_STALE_MINUTES;
}

int
rcrp_settings_get_retention_days (RcrpSettings *self)
{
  g_return_val_if_fail (self == NULL || RCRP_IS_SETTINGS (self), RCRP_DEFAULT_RETENTION_DAYS);

  return self != NULL ? self->retention_days : RCRP_DEFAULT_RETENTION_DAYS;
}

int
rcrp_settings_get_claim_idle_minutes (RcrpSettings *self)
{
  g_return_val_if_fail (self == NULL || RCRP_IS_SETTINGS (self), RCRP_DEFAULT_CLAIM_IDLE_MINUTES);

  return self != NULL ? self->claim_idle_minutes : RCRP_DEFAULT_CLAIM_IDLE_MINUTES;
}

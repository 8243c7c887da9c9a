/* rcrp-context.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <pwd.h>
#include <unistd.h>

#include "rcrp-context.h"
#include "rcrp-settings.h"

struct _RcrpContext
{
  GObject    parent_instance;

  RcrpStore *store;
  RcrpClock *clock;
  char      *operator_name;
  char      *display_name;
  char      *workstation;
};

G_DEFINE_FINAL_TYPE (RcrpContext, rcrp_context, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_CLOCK,
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
rcrp_context_class_init (RcrpContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rcrp_context_finalize;
  object_class->get_property = rcrp_context_get_property;
  object_class->set_property = rcrp_context_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, RCRP_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLOCK] =
    g_param_spec_object ("clock", NULL, NULL, RCRP_TYPE_CLOCK,
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
  g_return_val_if_fail (RCRP_IS_STORE (store), NULL);
  g_return_val_if_fail (RCRP_IS_CLOCK (clock), NULL);

  return g_object_new (RCRP_TYPE_CONTEXT,
                       "store", store,
                       "clock", clock,
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

/* rcrp-preferences-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "rcrp-accessible.h"
#include "rcrp-preferences-window.h"

struct _RcrpPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  RcrpSettings         *settings;

  GtkSwitch            *do_not_disturb_switch;
  GtkSwitch            *sounds_switch;
  GtkSpinButton        *target_1;
  GtkSpinButton        *target_2;
  GtkSpinButton        *target_3;
  GtkSpinButton        *target_4;
};

G_DEFINE_FINAL_TYPE (RcrpPreferencesWindow, rcrp_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
bind (RcrpPreferencesWindow *self,
      const char            *setting,
      gpointer               target,
      const char            *property)
{
  /* Settings apply as they change; there is nothing to confirm. */
  g_object_bind_property (self->settings, setting, target, property,
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
}

static void
rcrp_preferences_window_constructed (GObject *object)
{
  RcrpPreferencesWindow *self = RCRP_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (rcrp_preferences_window_parent_class)->constructed (object);

  bind (self, "do-not-disturb", self->do_not_disturb_switch, "active");
  bind (self, "notification-sounds", self->sounds_switch, "active");
  bind (self, "waiting-target-grade-1", gtk_spin_button_get_adjustment (self->target_1), "value");
  bind (self, "waiting-target-grade-2", gtk_spin_button_get_adjustment (self->target_2), "value");
  bind (self, "waiting-target-grade-3", gtk_spin_button_get_adjustment (self->target_3), "value");
  bind (self, "waiting-target-grade-4", gtk_spin_button_get_adjustment (self->target_4), "value");
}

static void
rcrp_preferences_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), RCRP_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (rcrp_preferences_window_parent_class)->dispose (object);
}

static void
rcrp_preferences_window_finalize (GObject *object)
{
  RcrpPreferencesWindow *self = RCRP_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (rcrp_preferences_window_parent_class)->finalize (object);
}

static void
rcrp_preferences_window_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  RcrpPreferencesWindow *self = RCRP_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rcrp_preferences_window_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  RcrpPreferencesWindow *self = RCRP_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rcrp_preferences_window_class_init (RcrpPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = rcrp_preferences_window_constructed;
  object_class->dispose = rcrp_preferences_window_dispose;
  object_class->finalize = rcrp_preferences_window_finalize;
  object_class->get_property = rcrp_preferences_window_get_property;
  object_class->set_property = rcrp_preferences_window_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, RCRP_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/rcrp/Coordinator/rcrp-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RcrpPreferencesWindow, do_not_disturb_switch);
  gtk_widget_class_bind_template_child (widget_class, RcrpPreferencesWindow, sounds_switch);
  gtk_widget_class_bind_template_child (widget_class, RcrpPreferencesWindow, target_1);
  gtk_widget_class_bind_template_child (widget_class, RcrpPreferencesWindow, target_2);
  gtk_widget_class_bind_template_child (widget_class, RcrpPreferencesWindow, target_3);
  gtk_widget_class_bind_template_child (widget_class, RcrpPreferencesWindow, target_4);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
rcrp_preferences_window_init (RcrpPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  rcrp_accessible_name_search_entries (GTK_WIDGET (self), _("Search the preferences"));
  rcrp_accessible_strip_mnemonics (GTK_WIDGET (self));
}

GtkWidget *
rcrp_preferences_window_new (GtkWindow    *parent,
                             RcrpSettings *settings)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (RCRP_IS_SETTINGS (settings), NULL);

  return g_object_new (RCRP_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "settings", settings,
                       NULL);
}

/* rcrp-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "rcrp-call-details.h"
#include "rcrp-call-queue.h"
#include "rcrp-queue-row.h"
#include "rcrp-triage-panel.h"
#include "rcrp-window.h"

/* Another workstation's commit shows within a second: PRAGMA data_version
 * makes a look this often cost next to nothing when nothing changed.
 */
#define REFRESH_INTERVAL_MSEC 500

struct _RcrpWindow
{
  AdwApplicationWindow  parent_instance;

  RcrpContext          *context;
  RcrpSettings         *settings;
  char                 *database_label;
  char                 *error_message;

  RcrpCallQueue        *queue;
  GHashTable           *bound_rows;
  gint64                selected_id;
  gint64                details_event_id;
  char                 *last_refresh_error;
  guint                 refresh_source;
  guint                 tick_source;

  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  AdwLeaflet           *leaflet;
  AdwWindowTitle       *queue_title;
  GtkMenuButton        *menu_button;
  GtkStack             *queue_stack;
  GtkListView          *queue_view;
  GtkSingleSelection   *selection;
  AdwWindowTitle       *details_title;
  GtkStack             *details_stack;
  RcrpCallDetails      *call_details;
  RcrpTriagePanel      *triage_panel;
  GtkRevealer          *claim_revealer;
  GtkLabel             *claim_label;
  char                 *session;
  gint64                claimed_id;
  guint                 claim_source;
  AdwStatusPage        *error_page;
};

G_DEFINE_FINAL_TYPE (RcrpWindow, rcrp_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_SETTINGS,
  PROP_DATABASE_LABEL,
  PROP_ERROR_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GDateTime *
now (RcrpWindow *self)
{
  if (self->context == NULL)
    return g_date_time_new_now_utc ();

  return rcrp_clock_now (rcrp_context_get_clock (self->context));
}

static void
update_queue_state (RcrpWindow *self)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->queue));
  g_autofree char *count = NULL;

  gtk_stack_set_visible_child_name (self->queue_stack, n_items > 0 ? "list" : "empty");

  count = g_strdup_printf (ngettext ("%u call waiting", "%u calls waiting", n_items), n_items);
  adw_window_title_set_subtitle (self->queue_title, count);
}

#define CLAIM_HEARTBEAT_SECONDS 60

/* Claims idle longer than this lapse (a setting), so a call is never stuck
 * with an operator who walked away. */
static GTimeSpan
claim_lapse (RcrpWindow *self)
{
  int minutes = 15;

  if (self->settings != NULL)
    g_object_get (self->settings, "claim-idle-minutes", &minutes, NULL);

  return minutes * G_TIME_SPAN_MINUTE;
}

/* Opening a call claims it; if another operator holds it, say who and
 * keep the triage panel read-only until an explicit take-over. */
static void
claim_selected_call (RcrpWindow *self,
                     gboolean    take_over)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcrpClaim) holder = NULL;
  RcrpStore *store = rcrp_context_get_store (self->context);
  gboolean held;

  if (self->selected_id == 0)
    return;

  self->claimed_id = self->selected_id;
  held = rcrp_store_claim_call (store, self->selected_id, self->session, claim_lapse (self),
                                take_over, &holder, &error);

  if (!held && !g_error_matches (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_CLAIMED))
    rcrp_window_add_toast (self, error->message);

  gtk_label_set_text (self->claim_label, held ? "" : error->message);
  gtk_revealer_set_reveal_child (self->claim_revealer, !held && holder != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->triage_panel), held);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.take-over", !held && holder != NULL);
}

static void
take_over_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  RcrpWindow *self = RCRP_WINDOW (widget);

  claim_selected_call (self, TRUE);
}

static gboolean
on_claim_heartbeat_cb (gpointer user_data)
{
  RcrpWindow *self = user_data;
  g_autoptr(GError) error = NULL;

  /* Keeps our claim alive while the call stays open here. */
  if (self->selected_id != 0 && self->claimed_id == self->selected_id &&
      gtk_widget_get_sensitive (GTK_WIDGET (self->triage_panel)))
    rcrp_store_claim_call (rcrp_context_get_store (self->context), self->selected_id,
                           self->session, claim_lapse (self), FALSE, NULL, &error);

  return G_SOURCE_CONTINUE;
}

static void
show_selected_call (RcrpWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(RcrpCall) full = NULL;
  g_autoptr(GDateTime) time_now = NULL;
  RcrpCall *call = gtk_single_selection_get_selected_item (self->selection);
  RcrpStore *store;
  gint64 last_event_id;

  if (call == NULL)
    {
      self->selected_id = 0;
      rcrp_call_details_set_call (self->call_details, NULL, NULL, NULL);
      gtk_stack_set_visible_child_name (self->details_stack, "none");
      return;
    }

  store = rcrp_context_get_store (self->context);
  self->selected_id = rcrp_call_get_id (call);

  /* Taken before reading, so a change made meanwhile is seen next time. */
  last_event_id = rcrp_store_get_last_event_id (store, &error);
  if (last_event_id < 0)
    {
      rcrp_window_add_toast (self, error->message);
      return;
    }

  full = rcrp_store_get_call (store, rcrp_call_get_cad_ref (call), &error);
  if (full == NULL)
    {
      rcrp_window_add_toast (self, error->message);
      return;
    }

  events = rcrp_store_list_events (store, rcrp_call_get_id (full), &error);
  if (events == NULL)
    rcrp_window_add_toast (self, error->message);

  self->details_event_id = last_event_id;
  time_now = now (self);
  rcrp_call_details_set_call (self->call_details, full, events, time_now);
  rcrp_triage_panel_set_call (self->triage_panel, full);
  gtk_stack_set_visible_child_name (self->details_stack, "call");

  if (self->claimed_id != self->selected_id)
    claim_selected_call (self, FALSE);
}

/* Whether anything happened to the call on show since it was read. */
static gboolean
selected_call_changed (RcrpWindow *self)
{
  g_autoptr(GArray) changed = NULL;
  g_autoptr(GError) error = NULL;
  gint64 last_event_id = self->details_event_id;

  if (self->selected_id == 0)
    return FALSE;

  changed = rcrp_store_changed_calls (rcrp_context_get_store (self->context),
                                      self->details_event_id, &last_event_id, &error);
  if (changed == NULL)
    {
      g_debug ("Could not look for changes to the call on show: %s", error->message);
      return FALSE;
    }

  for (guint i = 0; i < changed->len; i++)
    if (g_array_index (changed, gint64, i) == self->selected_id)
      return TRUE;

  self->details_event_id = last_event_id;

  return FALSE;
}

static void
on_selection_notify_selected_cb (RcrpWindow *self)
{
  show_selected_call (self);
}

static void
report_refresh_error (RcrpWindow   *self,
                      const GError *error)
{
  /* The store is looked at twice a second: say what is wrong once, not
   * every time, and again only when it changes. */
  if (g_strcmp0 (self->last_refresh_error, error != NULL ? error->message : NULL) == 0)
    return;

  g_clear_pointer (&self->last_refresh_error, g_free);
  if (error == NULL)
    return;

  self->last_refresh_error = g_strdup (error->message);
  rcrp_window_add_toast (self, error->message);
}

static gboolean
on_refresh_timeout_cb (gpointer user_data)
{
  RcrpWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean changed;

  /* Hold the selection on the same call while rows move around it. */
  g_signal_handlers_block_by_func (self->selection, on_selection_notify_selected_cb, self);

  changed = rcrp_call_queue_refresh (self->queue, &error);
  if (changed && self->selected_id != 0)
    gtk_single_selection_set_selected (self->selection,
                                       rcrp_call_queue_find (self->queue, self->selected_id));

  g_signal_handlers_unblock_by_func (self->selection, on_selection_notify_selected_cb, self);

  if (!changed)
    {
      if (error != NULL)
        report_refresh_error (self, error);

      return G_SOURCE_CONTINUE;
    }

  report_refresh_error (self, NULL);
  update_queue_state (self);

  /* The call on show may have left the queue, or changed. */
  if (gtk_single_selection_get_selected_item (self->selection) == NULL)
    {
      if (self->selected_id != 0)
        show_selected_call (self);
    }
  else if (selected_call_changed (self))
    {
      show_selected_call (self);
    }

  return G_SOURCE_CONTINUE;
}

static gboolean
on_tick_timeout_cb (gpointer user_data)
{
  RcrpWindow *self = user_data;
  g_autoptr(GDateTime) time_now = now (self);
  GHashTableIter iter;
  gpointer row;

  /* Only the rows on screen are bound, so this is a few dozen at most. */
  g_hash_table_iter_init (&iter, self->bound_rows);
  while (g_hash_table_iter_next (&iter, &row, NULL))
    rcrp_queue_row_update_waiting (row, time_now);

  rcrp_call_details_update_waiting (self->call_details, time_now);

  return G_SOURCE_CONTINUE;
}

static void
on_factory_setup_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     RcrpWindow               *self)
{
  gtk_list_item_set_child (item, rcrp_queue_row_new ());
}

static void
on_factory_bind_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    RcrpWindow               *self)
{
  RcrpQueueRow *row = RCRP_QUEUE_ROW (gtk_list_item_get_child (item));
  g_autoptr(GDateTime) time_now = now (self);

  rcrp_queue_row_set_call (row, gtk_list_item_get_item (item), time_now);
  g_hash_table_add (self->bound_rows, row);
}

static void
on_factory_unbind_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      RcrpWindow               *self)
{
  g_hash_table_remove (self->bound_rows, gtk_list_item_get_child (item));
}

static void
on_queue_view_activate_cb (GtkListView *view,
                           guint        position,
                           RcrpWindow  *self)
{
  gtk_single_selection_set_selected (self->selection, position);
  adw_leaflet_set_visible_child_name (self->leaflet, "details");
  gtk_widget_child_focus (GTK_WIDGET (self->call_details), GTK_DIR_TAB_FORWARD);
}

static void
focus_queue_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  RcrpWindow *self = RCRP_WINDOW (widget);

  adw_leaflet_set_visible_child_name (self->leaflet, "queue");
  gtk_widget_grab_focus (GTK_WIDGET (self->queue_view));
}

static void
focus_details_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  RcrpWindow *self = RCRP_WINDOW (widget);

  adw_leaflet_set_visible_child_name (self->leaflet, "details");
  gtk_widget_child_focus (GTK_WIDGET (self->call_details), GTK_DIR_TAB_FORWARD);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RcrpWindow *self = RCRP_WINDOW (widget);

  if (adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK))
    gtk_widget_grab_focus (GTK_WIDGET (self->queue_view));
}

static void
open_menu_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  RcrpWindow *self = RCRP_WINDOW (widget);

  gtk_menu_button_popup (self->menu_button);
}

static void
setup_queue (RcrpWindow *self)
{
  /* The list view reads the queue through the selection; nothing copies it. */
  self->queue = rcrp_call_queue_new (rcrp_context_get_store (self->context));
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (self->queue));
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);

  update_queue_state (self);
  show_selected_call (self);

  /* The queue is what the coordinator works from: start there. */
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->queue_view));

  self->refresh_source = g_timeout_add (REFRESH_INTERVAL_MSEC, on_refresh_timeout_cb, self);
  self->tick_source = g_timeout_add_seconds (1, on_tick_timeout_cb, self);
}

static void
verify_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;

  if (rcrp_store_verify (task_data, NULL, NULL, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_verify_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  RcrpWindow *self = RCRP_WINDOW (object);
  g_autoptr(GError) error = NULL;

  if (g_task_propagate_boolean (G_TASK (result), &error))
    return;

  /* The log is evidence: a broken chain is said at once and stays on
   * screen until dismissed. */
  {
    g_autofree char *message = g_strdup_printf (_("The shared log failed its integrity check: %s"),
                                                error->message);
    g_autofree char *escaped = g_markup_escape_text (message, -1);
    AdwToast *toast = adw_toast_new (escaped);

    adw_toast_set_timeout (toast, 0);
    adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
    adw_toast_overlay_add_toast (self->toast_overlay, toast);
  }
}

/* Walks the audit chain in the background at start, as `rcrp verify`
 * does, so a long log never delays the window. */
static void
start_verify (RcrpWindow *self)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, on_verify_done_cb, NULL);

  g_task_set_source_tag (task, start_verify);
  g_task_set_task_data (task, g_object_ref (rcrp_context_get_store (self->context)), g_object_unref);
  g_task_run_in_thread (task, verify_thread);
}

static void
on_triage_panel_decision_recorded_cb (RcrpWindow *self,
                                      gint64      call_id)
{
  /* Show our own decision at once rather than at the next poll. */
  on_refresh_timeout_cb (self);
  rcrp_window_add_toast (self, _("Decision recorded"));
}

static void
rcrp_window_constructed (GObject *object)
{
  RcrpWindow *self = RCRP_WINDOW (object);

  G_OBJECT_CLASS (rcrp_window_parent_class)->constructed (object);

  if (self->settings != NULL)
    {
      int width, height;
      gboolean maximized;

      g_object_get (self->settings,
                    "window-width", &width,
                    "window-height", &height,
                    "window-maximized", &maximized,
                    NULL);
      gtk_window_set_default_size (GTK_WINDOW (self), width, height);
      if (maximized)
        gtk_window_maximize (GTK_WINDOW (self));
    }

  adw_window_title_set_subtitle (self->details_title, self->database_label);

  if (self->context == NULL)
    {
      adw_status_page_set_description (self->error_page, self->error_message);
      gtk_stack_set_visible_child_name (self->main_stack, "error");
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.focus-queue", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.focus-details", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.back", FALSE);
      return;
    }

  gtk_stack_set_visible_child_name (self->main_stack, "main");
  rcrp_triage_panel_set_context (self->triage_panel, self->context);
  self->session = g_uuid_string_random ();
  self->claim_source = g_timeout_add_seconds (CLAIM_HEARTBEAT_SECONDS, on_claim_heartbeat_cb, self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.take-over", FALSE);
  setup_queue (self);
  start_verify (self);
}

static gboolean
rcrp_window_close_request (GtkWindow *window)
{
  RcrpWindow *self = RCRP_WINDOW (window);

  /* Saved once on closing rather than on every step of a resize. */
  if (self->settings != NULL)
    {
      int width, height;

      gtk_window_get_default_size (window, &width, &height);
      g_object_set (self->settings,
                    "window-width", width,
                    "window-height", height,
                    "window-maximized", gtk_window_is_maximized (window),
                    NULL);
    }

  return GTK_WINDOW_CLASS (rcrp_window_parent_class)->close_request (window);
}

static void
rcrp_window_dispose (GObject *object)
{
  RcrpWindow *self = RCRP_WINDOW (object);

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  g_clear_handle_id (&self->tick_source, g_source_remove);
  g_clear_handle_id (&self->claim_source, g_source_remove);

  /* Closing the window lets go of the calls it held. */
  if (self->context != NULL && self->session != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!rcrp_store_release_claims (rcrp_context_get_store (self->context), self->session, &error))
        g_message ("Could not release claims: %s", error->message);
      g_clear_pointer (&self->session, g_free);
    }

  if (self->queue_view != NULL)
    gtk_list_view_set_model (self->queue_view, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), RCRP_TYPE_WINDOW);

  g_clear_object (&self->queue);
  g_clear_pointer (&self->bound_rows, g_hash_table_unref);

  G_OBJECT_CLASS (rcrp_window_parent_class)->dispose (object);
}

static void
rcrp_window_finalize (GObject *object)
{
  RcrpWindow *self = RCRP_WINDOW (object);

  g_clear_object (&self->context);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->database_label, g_free);
  g_clear_pointer (&self->error_message, g_free);
  g_clear_pointer (&self->last_refresh_error, g_free);

  G_OBJECT_CLASS (rcrp_window_parent_class)->finalize (object);
}

static void
rcrp_window_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  RcrpWindow *self = RCRP_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;

    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    case PROP_DATABASE_LABEL:
      g_value_set_string (value, self->database_label);
      break;

    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rcrp_window_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  RcrpWindow *self = RCRP_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;

    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    case PROP_DATABASE_LABEL:
      self->database_label = g_value_dup_string (value);
      break;

    case PROP_ERROR_MESSAGE:
      self->error_message = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rcrp_window_class_init (RcrpWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = rcrp_window_constructed;
  object_class->dispose = rcrp_window_dispose;
  object_class->finalize = rcrp_window_finalize;
  object_class->get_property = rcrp_window_get_property;
  object_class->set_property = rcrp_window_set_property;

  window_class->close_request = rcrp_window_close_request;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, RCRP_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, RCRP_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DATABASE_LABEL] =
    g_param_spec_string ("database-label", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/rcrp/Coordinator/rcrp-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RcrpWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RcrpWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, RcrpWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, RcrpWindow, queue_title);
  gtk_widget_class_bind_template_child (widget_class, RcrpWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, RcrpWindow, queue_stack);
  gtk_widget_class_bind_template_child (widget_class, RcrpWindow, queue_view);
  gtk_widget_class_bind_template_child (widget_class, RcrpWindow, selection);
  gtk_widget_class_bind_template_child (widget_class, RcrpWindow, details_title);
  gtk_widget_class_bind_template_child (widget_class, RcrpWindow, details_stack);
  gtk_widget_class_bind_template_child (widget_class, RcrpWindow, call_details);
  gtk_widget_class_bind_template_child (widget_class, RcrpWindow, triage_panel);
  gtk_widget_class_bind_template_child (widget_class, RcrpWindow, claim_revealer);
  gtk_widget_class_bind_template_child (widget_class, RcrpWindow, claim_label);

  gtk_widget_class_install_action (widget_class, "win.take-over", NULL, take_over_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.take-over", NULL);
  gtk_widget_class_bind_template_callback (widget_class, on_triage_panel_decision_recorded_cb);
  gtk_widget_class_bind_template_child (widget_class, RcrpWindow, error_page);
  gtk_widget_class_bind_template_callback (widget_class, on_factory_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_factory_bind_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_factory_unbind_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_queue_view_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_selection_notify_selected_cb);

  /* Every command the window has, and its key, in one place. */
  gtk_widget_class_install_action (widget_class, "win.focus-queue", NULL, focus_queue_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_CONTROL_MASK, "win.focus-queue", NULL);

  gtk_widget_class_install_action (widget_class, "win.focus-details", NULL, focus_details_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_CONTROL_MASK, "win.focus-details", NULL);

  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.back", NULL);

  gtk_widget_class_install_action (widget_class, "win.open-menu", NULL, open_menu_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, 0, "win.open-menu", NULL);

  g_type_ensure (RCRP_TYPE_CALL_DETAILS);
  g_type_ensure (RCRP_TYPE_TRIAGE_PANEL);
}

static void
rcrp_window_init (RcrpWindow *self)
{
  self->bound_rows = g_hash_table_new (NULL, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
}

RcrpWindow *
rcrp_window_new (GtkApplication *application,
                 RcrpContext    *context,
                 RcrpSettings   *settings,
                 const char     *database_label)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (RCRP_IS_CONTEXT (context), NULL);

  return g_object_new (RCRP_TYPE_WINDOW,
                       "application", application,
                       "context", context,
                       "settings", settings,
                       "database-label", database_label,
                       NULL);
}

RcrpWindow *
rcrp_window_new_for_error (GtkApplication *application,
                           RcrpSettings   *settings,
                           const char     *message)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);

  return g_object_new (RCRP_TYPE_WINDOW,
                       "application", application,
                       "settings", settings,
                       "error-message", message,
                       NULL);
}

void
rcrp_window_add_toast (RcrpWindow *self,
                       const char *message)
{
  g_autofree char *escaped = NULL;
  AdwToast *toast;

  g_return_if_fail (RCRP_IS_WINDOW (self));

  /* Toast titles are markup; messages quote file names and user text. */
  escaped = g_markup_escape_text (message, -1);
  toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
rcrp_window_select_call (RcrpWindow *self,
                         gint64      call_id)
{
  guint position;

  g_return_if_fail (RCRP_IS_WINDOW (self));

  if (self->queue == NULL)
    return;

  rcrp_call_queue_refresh (self->queue, NULL);
  position = rcrp_call_queue_find (self->queue, call_id);
  if (position != G_MAXUINT)
    gtk_single_selection_set_selected (self->selection, position);
}

/* Alerts from the notifier ------------------------------------------------------------- */

void
rcrp_window_show_toast (RcrpWindow *self,
                        AdwToast   *toast)
{
  g_return_if_fail (RCRP_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, g_object_ref (toast));
}

gboolean
rcrp_window_claim_call (RcrpWindow  *self,
                        gint64       call_id,
                        GError     **error)
{
  g_return_val_if_fail (RCRP_IS_WINDOW (self), FALSE);

  if (self->context == NULL || self->session == NULL)
    {
      g_set_error_literal (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_FAILED, _("No shared database is open"));
      return FALSE;
    }

  /* In this window's session, so its heartbeat and closing apply. */
  return rcrp_store_claim_call (rcrp_context_get_store (self->context), call_id, self->session,
                                claim_lapse (self), FALSE, NULL, error);
}

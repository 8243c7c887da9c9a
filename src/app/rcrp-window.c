/* rcrp-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "rcrp-audit-check.h"

#include "rcrp-accessible.h"
#include "rcrp-agency-board.h"
#include "rcrp-call-details.h"
#include "rcrp-call-queue.h"
#include "rcrp-application.h"
#include "rcrp-notifier.h"
#include "rcrp-queue-row.h"
#include "rcrp-reports.h"
#include "rcrp-triage-panel.h"
#include "rcrp-window.h"

/* Another workstation's commit shows within a second: PRAGMA data_version
 * makes a look this often cost next to nothing when nothing changed.
 */
#define REFRESH_INTERVAL_MSEC 500

/* Opening hours, stale reports and overdue referrals change with time. */
#define AGENCY_CHECK_SECONDS 30

/* Referrals are alerted on while their answer was due within this span;
 * older unanswered ones are history (the handover lists the week's). */
#define LIVE_REFERRAL_SPAN (24 * G_TIME_SPAN_HOUR)

/* More overdue referrals than this at once are said in one toast. */
#define MAX_OVERDUE_TOASTS 3

/* Long enough to reach for Undo after a one-click action. */
#define UNDO_TOAST_SECONDS 10

struct _RcrpWindow
{
  AdwApplicationWindow  parent_instance;

  RcrpContext          *context;
  RcrpSettings         *settings;
  char                 *database_label;
  char                 *error_message;

  RcrpCallQueue        *queue;
  GtkSliceListModel    *shown;            /* the queue as far as the list view has it yet */
  guint                 grow_source;
  gint64                select_when_read; /* a call asked for while the queue is read */
  GHashTable           *bound_rows;
  gint64                selected_id;
  gint64                viewed_id;      /* the call whose look was last recorded */
  gint64                details_event_id;
  char                 *last_refresh_error;
  guint                 refresh_source;
  guint                 setup_source;
  guint                 tick_source;
  guint                 queue_end_source;
  gboolean              queue_at_end;

  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  AdwLeaflet           *leaflet;
  AdwWindowTitle       *queue_title;
  GtkMenuButton        *menu_button;
  GtkStack             *queue_stack;
  GtkSearchBar         *search_bar;
  AdwStatusPage        *empty_page;
  GtkSearchEntry       *search_entry;
  GtkDropDown          *view_dropdown;
  GtkToggleButton      *search_button;
  GtkStringList        *view_labels;
  RcrpQueueFilter      *filter;
  gboolean              updating_views;
  gboolean              counting;         /* a count of the views runs */
  gboolean              counts_stale;     /* and another is wanted after it */
  GtkListView          *queue_view;
  GtkSingleSelection   *selection;
  AdwViewSwitcherTitle *details_title;
  AdwViewStack         *view_stack;
  RcrpAgencyBoard      *agency_board;
  guint64               board_stamp;
  guint                 agency_source;
  GHashTable           *overdue_alerted;  /* decision event ids already said */
  gint64                last_decision_id; /* for Ctrl+Z */
  AdwToast             *undo_toast;       /* weak: the Undo toast on show */
  gint64                undo_decision_id; /* what it undoes */
  gint64                undo_call_id;
  gboolean              selected_on_hold;
  gboolean              claim_on_hold;    /* the claim decision was made for an on-hold call */
  GHashTable           *appeals_alerted;  /* open appeal ids already said */
  guint64               appeals_stamp;    /* the store's change stamp they were read at */
  GHashTable           *appeals_watched;  /* open appeals on decisions made here: id → call id */
  GHashTable           *agencies_alerted; /* "agency@report time" already said, of agencies
                                           * closed or full now */
  GtkStack             *details_stack;
  RcrpCallDetails      *call_details;
  RcrpTriagePanel      *triage_panel;
  GtkRevealer          *claim_revealer;
  GtkLabel             *claim_label;
  GtkWidget            *take_over_button;
  GtkRevealer          *check_revealer;
  GtkLabel             *check_label;
  GtkProgressBar       *check_progress;
  GCancellable         *check_cancellable;
  guint                 check_source;
  gint64                check_started;
  int                   check_done;       /* atomic: events walked */
  int                   check_total;      /* atomic */
  guint                 full_check_source;
  gint64                last_full_check;  /* Unix time, from the checkpoint */
  gulong                first_paint_handler;
  gboolean              queue_painted;
  gboolean              start_check_begun;
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

static void check_new_appeals (RcrpWindow *self);
static void check_appeal_results (RcrpWindow *self);
static void check_agency_alerts (RcrpWindow *self);
static void on_selection_notify_selected_cb (RcrpWindow *self);

static GDateTime *
now (RcrpWindow *self)
{
  if (self->context == NULL)
    return g_date_time_new_now_utc ();

  return rcrp_clock_now (rcrp_context_get_clock (self->context));
}

/* HACK: GTK 4.8's GtkListView makes and measures about 200 rows the first
 * time it is shown with a long model, whatever fits on screen; with the
 * queue's rows (several labels each, shaped by HarfBuzz) that is most of a
 * second on the control room's machines before anything is drawn, and the
 * main loop answers nobody meanwhile, the accessibility bus included. So
 * the list view is given the queue a slice at a time: the first rows at
 * once, a few more every eighth of a second (sooner kept the main loop
 * too busy to answer the accessibility bus), then the whole queue, by
 * which time its rows are made. Selecting a call beyond the slice widens it first.
 * Later GTK versions (4.12's GtkListView) build only what they show. */
#define SHOWN_FIRST 24
#define SHOWN_STEP 16
#define SHOWN_STEP_MSEC 120
#define SHOWN_ENOUGH 240

static gboolean
on_grow_shown_timeout_cb (gpointer user_data)
{
  RcrpWindow *self = user_data;
  guint size = gtk_slice_list_model_get_size (self->shown) + SHOWN_STEP;

  if (size >= SHOWN_ENOUGH || size >= g_list_model_get_n_items (G_LIST_MODEL (self->queue)))
    {
      gtk_slice_list_model_set_size (self->shown, G_MAXUINT);
      self->grow_source = 0;
      return G_SOURCE_REMOVE;
    }

  gtk_slice_list_model_set_size (self->shown, size);

  return G_SOURCE_CONTINUE;
}

/* Makes sure the list view has the row at @position of the queue. */
static void
show_position (RcrpWindow *self,
               guint       position)
{
  if (position == G_MAXUINT || position < gtk_slice_list_model_get_size (self->shown))
    return;

  g_clear_handle_id (&self->grow_source, g_source_remove);
  gtk_slice_list_model_set_size (self->shown, G_MAXUINT);
}

static void
select_position (RcrpWindow *self,
                 guint       position)
{
  show_position (self, position);
  gtk_single_selection_set_selected (self->selection, position);
}

typedef struct
{
  RcrpStore       *store;
  RcrpQueueFilter *filter;
  guint            counts[RCRP_N_QUEUE_VIEWS];
} CountJob;

static void
count_job_free (gpointer data)
{
  CountJob *job = data;

  g_clear_object (&job->store);
  g_clear_pointer (&job->filter, rcrp_queue_filter_free);
  g_free (job);
}

static void
count_views_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  CountJob *job = task_data;
  GError *error = NULL;

  if (rcrp_store_count_views (job->store, job->filter, job->counts, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void start_counting_views (RcrpWindow *self);

static void
on_views_counted_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  RcrpWindow *self = RCRP_WINDOW (object);
  CountJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  const char *labels[RCRP_N_QUEUE_VIEWS + 1] = { NULL, };
  char *texts[RCRP_N_QUEUE_VIEWS] = { NULL, };

  self->counting = FALSE;

  /* The window has gone meanwhile. */
  if (self->view_labels == NULL || self->filter == NULL)
    return;

  /* Something changed while counting: count again, and show that. */
  if (self->counts_stale)
    {
      self->counts_stale = FALSE;
      start_counting_views (self);
      return;
    }

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_debug ("Could not count the views: %s", error->message);
      return;
    }

  for (guint v = 0; v < RCRP_N_QUEUE_VIEWS; v++)
    labels[v] = texts[v] = g_strdup_printf ("%s (%'u)", rcrp_queue_view_get_label (v), job->counts[v]);

  self->updating_views = TRUE;
  gtk_string_list_splice (self->view_labels, 0, RCRP_N_QUEUE_VIEWS, labels);
  gtk_drop_down_set_selected (self->view_dropdown, self->filter->view);
  self->updating_views = FALSE;

  for (guint v = 0; v < RCRP_N_QUEUE_VIEWS; v++)
    g_free (texts[v]);
}

/* One count at a time; asked again meanwhile, it runs once more after. */
static void
start_counting_views (RcrpWindow *self)
{
  g_autoptr(GTask) task = NULL;
  CountJob *job;

  if (self->counting)
    {
      self->counts_stale = TRUE;
      return;
    }

  job = g_new0 (CountJob, 1);
  job->store = g_object_ref (rcrp_context_get_store (self->context));
  job->filter = rcrp_queue_filter_copy (self->filter);

  self->counting = TRUE;
  task = g_task_new (self, NULL, on_views_counted_cb, NULL);
  g_task_set_source_tag (task, start_counting_views);
  g_task_set_task_data (task, job, count_job_free);
  g_task_run_in_thread (task, count_views_thread);
}

static void
update_queue_state (RcrpWindow *self)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->queue));
  g_autofree char *count = NULL;

  /* The first rows of a long queue come before the rest. */
  if (rcrp_call_queue_get_loading (self->queue))
    {
      gtk_stack_set_visible_child_name (self->queue_stack, n_items > 0 ? "list" : "loading");
      adw_window_title_set_subtitle (self->queue_title, _("Reading the queue…"));
      return;
    }

  gtk_stack_set_visible_child_name (self->queue_stack, n_items > 0 ? "list" : "empty");

  /* An empty search is not an empty shift. */
  if (self->filter != NULL &&
      ((self->filter->text != NULL && *self->filter->text != '\0') || self->filter->view != RCRP_QUEUE_VIEW_ALL))
    {
      adw_status_page_set_icon_name (self->empty_page, "system-search-symbolic");
      adw_status_page_set_title (self->empty_page, _("No Matching Calls"));
      adw_status_page_set_description (self->empty_page, _("Try other words, or another view."));
    }
  else
    {
      adw_status_page_set_icon_name (self->empty_page, "emblem-ok-symbolic");
      adw_status_page_set_title (self->empty_page, _("No Calls Waiting"));
      adw_status_page_set_description (self->empty_page,
                                       _("Flagged calls from the command-and-control system appear here as they arrive."));
    }

  /* Waiting only in the Open view; the others hold decided calls too. */
  if (self->filter != NULL && self->filter->view == RCRP_QUEUE_VIEW_OPEN)
    count = g_strdup_printf (ngettext ("%'u call waiting", "%'u calls waiting", n_items), n_items);
  else
    count = g_strdup_printf (ngettext ("%'u call", "%'u calls", n_items), n_items);
  adw_window_title_set_subtitle (self->queue_title, count);

  /* Each view with how many calls it would show, counted off the main
   * thread: on a year's database that takes a moment. */
  if (self->filter != NULL)
    start_counting_views (self);
}

static void
apply_filter (RcrpWindow *self)
{
  g_autoptr(GDateTime) time_now = rcrp_clock_now (rcrp_context_get_clock (self->context));
  GTimeZone *tz = rcrp_context_get_time_zone (self->context);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (time_now, tz);

  g_clear_pointer (&self->filter->today_start, g_date_time_unref);
  self->filter->today_start = g_date_time_new (tz, g_date_time_get_year (local), g_date_time_get_month (local),
                                               g_date_time_get_day_of_month (local), 0, 0, 0);

  g_signal_handlers_block_by_func (self->selection, on_selection_notify_selected_cb, self);
  rcrp_call_queue_set_filter (self->queue, self->filter);
  select_position (self, rcrp_call_queue_find (self->queue, self->selected_id));
  g_signal_handlers_unblock_by_func (self->selection, on_selection_notify_selected_cb, self);
  update_queue_state (self);
}

static void
on_search_changed_cb (RcrpWindow *self)
{
  GHashTableIter iter;
  gpointer row;

  if (self->queue == NULL)
    return;

  g_free (self->filter->text);
  self->filter->text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  apply_filter (self);

  /* Rows bound again show the new words; rows still listed must too. */
  g_hash_table_iter_init (&iter, self->bound_rows);
  while (g_hash_table_iter_next (&iter, &row, NULL))
    rcrp_queue_row_set_search (row, self->filter->text);
}

static void
on_view_selected_cb (RcrpWindow *self)
{
  guint view = gtk_drop_down_get_selected (self->view_dropdown);

  if (self->queue == NULL || self->updating_views || view >= RCRP_N_QUEUE_VIEWS)
    return;

  self->filter->view = view;
  if (self->settings != NULL)
    g_settings_set_string (rcrp_settings_get_gsettings (self->settings), "queue-view", rcrp_queue_view_to_string (view));
  apply_filter (self);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RcrpWindow *self = RCRP_WINDOW (widget);

  adw_leaflet_set_visible_child_name (self->leaflet, "queue");
  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
choose_view_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  RcrpWindow *self = RCRP_WINDOW (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->view_dropdown));
}

#define CLAIM_HEARTBEAT_SECONDS 60

/* Claims idle longer than this lapse (a setting), so a call is never stuck
 * with an operator who walked away. */
static GTimeSpan
claim_lapse (RcrpWindow *self)
{
  if (self->context == NULL)
    return RCRP_DEFAULT_CLAIM_IDLE_MINUTES * G_TIME_SPAN_MINUTE;

  return rcrp_context_get_claim_lapse (self->context);
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
  self->claim_on_hold = self->selected_on_hold;

  /* Those who may not work calls (managers, readers) look without
   * claiming: no refusal to log each time they open one. */
  if (!rcrp_role_can (rcrp_store_get_role (store, NULL), RCRP_PERMISSION_CLAIM))
    {
      gtk_label_set_text (self->claim_label, _("Read only: your role does not work on calls."));
      gtk_revealer_set_reveal_child (self->claim_revealer, TRUE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->triage_panel), FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.take-over", FALSE);
      return;
    }

  /* On hold, a call is the supervisor's: others see it, read-only. */
  if (self->selected_on_hold && !rcrp_role_can (rcrp_store_get_role (store, NULL), RCRP_PERMISSION_RESOLVE_APPEAL))
    {
      rcrp_store_release_claims (store, self->session, NULL);
      gtk_label_set_text (self->claim_label, _("On hold: an urgent appeal is awaiting a supervisor's review."));
      gtk_revealer_set_reveal_child (self->claim_revealer, TRUE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->triage_panel), FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.take-over", FALSE);
      return;
    }

  held = rcrp_store_claim_call (store, self->selected_id, self->session, claim_lapse (self),
                                take_over, &holder, &error);

  if (!held && !g_error_matches (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_CLAIMED))
    rcrp_window_add_toast (self, error->message);

  gtk_label_set_text (self->claim_label, held ? "" : error->message);
  gtk_revealer_set_reveal_child (self->claim_revealer, !held && holder != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->triage_panel), held);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.take-over", !held && holder != NULL);
  if (!held)
    rcrp_triage_panel_refresh_draft (self->triage_panel);
}

/* Another workstation may have taken the call on show over: its claim
 * event reaches us with the store's changes. Then say who, and stop
 * offering actions the store would refuse. */
static void
check_claim_still_held (RcrpWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcrpClaim) claim = NULL;
  g_autofree char *text = NULL;

  if (self->selected_id == 0 || self->claimed_id != self->selected_id ||
      !gtk_widget_get_sensitive (GTK_WIDGET (self->triage_panel)))
    return;

  claim = rcrp_store_get_claim (rcrp_context_get_store (self->context), self->selected_id, &error);
  if (error != NULL)
    {
      g_debug ("Could not read the claim on the call on show: %s", error->message);
      return;
    }

  /* Let go of elsewhere (the other workstation closed): ours again. */
  if (claim == NULL)
    {
      claim_selected_call (self, FALSE);
      return;
    }

  if (g_str_equal (claim->session, self->session))
    return;

  /* Translators: the call on show was taken over at another workstation. */
  text = g_strdup_printf (_("Taken over by %s at %s. Take it over again to work on it."),
                          claim->operator_name, claim->workstation);
  gtk_label_set_text (self->claim_label, text);
  gtk_revealer_set_reveal_child (self->claim_revealer, TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->triage_panel), FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.take-over", TRUE);
  rcrp_triage_panel_refresh_draft (self->triage_panel);
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
      self->viewed_id = 0;
      rcrp_call_details_set_call (self->call_details, NULL, NULL, NULL);
      rcrp_agency_board_set_call (self->agency_board, NULL, NULL);
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

  /* A look at another call's details is recorded (a refresh of the same
   * call is not a new look). A coordinator in the middle of a crisis call
   * still sees it if the record cannot be made; the failure is said. */
  if (rcrp_call_get_id (full) != self->viewed_id)
    {
      g_autoptr(GError) view_error = NULL;

      self->viewed_id = rcrp_call_get_id (full);
      if (rcrp_store_log_call_viewed (store, self->viewed_id, "app", &view_error) < 0)
        rcrp_window_add_toast (self, view_error->message);
    }

  self->details_event_id = last_event_id;
  time_now = now (self);
  rcrp_call_details_set_call (self->call_details, full, events, time_now);
  rcrp_triage_panel_set_call (self->triage_panel, full);
  rcrp_agency_board_set_call (self->agency_board, full,
                              rcrp_triage_panel_get_recommended_agencies (self->triage_panel));
  gtk_stack_set_visible_child_name (self->details_stack, "call");

  self->selected_on_hold = rcrp_call_get_on_hold (full);
  if (self->claimed_id != self->selected_id || self->claim_on_hold != self->selected_on_hold)
    claim_selected_call (self, FALSE);
  else
    check_claim_still_held (self);
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

/* Folded, the queue and the call take turns on screen. A call chosen
 * in the queue itself, by arrow keys or a click, opens with Enter or the
 * click (the row's activation), so the coordinator can look down the
 * queue; one chosen from elsewhere (a screen reader's selection, an
 * alert's Open) opens at once. Unfolded, the visible page is left alone:
 * the leaflet would move the focus out of the queue with it. */
static void
follow_selection (RcrpWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  if (self->selected_id == 0 || !adw_leaflet_get_folded (self->leaflet))
    return;

  if (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self->queue_view)))
    adw_leaflet_set_visible_child_name (self->leaflet, "details");
}

/* A window that folds (made 1024 px wide) with a call open keeps the
 * call on screen, over the queue, rather than hiding it. */
static void
on_leaflet_folded_cb (RcrpWindow *self)
{
  if (adw_leaflet_get_folded (self->leaflet) && self->selected_id != 0)
    adw_leaflet_set_visible_child_name (self->leaflet, "details");
}

static void
on_selection_notify_selected_cb (RcrpWindow *self)
{
  show_selected_call (self);
  follow_selection (self);
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

/* An appeal against the decision the Undo toast offers to undo, lodged
 * here or elsewhere: the store would refuse the undo, so it is not
 * offered. */
static void
withdraw_undo_if_appealed (RcrpWindow *self)
{
  g_autoptr(GPtrArray) appeals = NULL;
  gboolean appealed = FALSE;

  if (self->undo_decision_id <= 0)
    return;

  appeals = rcrp_store_list_appeals (rcrp_context_get_store (self->context), self->undo_call_id, FALSE, NULL);
  for (guint i = 0; appeals != NULL && i < appeals->len; i++)
    if (((RcrpAppeal *) g_ptr_array_index (appeals, i))->decision_event_id == self->undo_decision_id)
      appealed = TRUE;

  if (!appealed)
    return;

  if (self->undo_toast != NULL)
    adw_toast_dismiss (self->undo_toast);
  if (self->last_decision_id == self->undo_decision_id)
    {
      self->last_decision_id = 0;
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo-last", FALSE);
    }
  self->undo_decision_id = 0;
}

static gboolean
on_refresh_timeout_cb (gpointer user_data)
{
  RcrpWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean changed;

  /* Agency reports do not touch the queue: the board looks for itself. */
  {
    guint64 stamp = rcrp_store_get_change_stamp (rcrp_context_get_store (self->context));

    if (stamp != self->board_stamp)
      {
        self->board_stamp = stamp;
        rcrp_agency_board_refresh (self->agency_board);
        check_agency_alerts (self);
        /* Another holder's answers are not events: follow them here. */
        rcrp_triage_panel_refresh_draft (self->triage_panel);
      }
  }

  /* Hold the selection on the same call while rows move around it. */
  g_signal_handlers_block_by_func (self->selection, on_selection_notify_selected_cb, self);

  changed = rcrp_call_queue_refresh (self->queue, &error);
  if (changed && self->selected_id != 0)
    select_position (self, rcrp_call_queue_find (self->queue, self->selected_id));

  g_signal_handlers_unblock_by_func (self->selection, on_selection_notify_selected_cb, self);

  if (!changed)
    {
      if (error != NULL)
        report_refresh_error (self, error);

      return G_SOURCE_CONTINUE;
    }

  report_refresh_error (self, NULL);
  update_queue_state (self);
  check_new_appeals (self);
  check_appeal_results (self);
  withdraw_undo_if_appealed (self);

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

  /* An appeal lodged elsewhere reaches a supervisor within a second. */
  check_new_appeals (self);

  return G_SOURCE_CONTINUE;
}

static void
on_factory_setup_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     RcrpWindow               *self)
{
  GtkWidget *row = rcrp_queue_row_new ();

  rcrp_queue_row_set_settings (RCRP_QUEUE_ROW (row), self->settings);
  gtk_list_item_set_child (item, row);
}

static void
on_factory_bind_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    RcrpWindow               *self)
{
  RcrpQueueRow *row = RCRP_QUEUE_ROW (gtk_list_item_get_child (item));
  g_autoptr(GDateTime) time_now = now (self);

  rcrp_queue_row_set_search (row, self->filter != NULL ? self->filter->text : NULL);
  rcrp_queue_row_set_own_session (row, self->session, claim_lapse (self));
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
  GHashTableIter iter;
  gpointer row;

  adw_leaflet_set_visible_child_name (self->leaflet, "queue");

  /* On the call on show, if its row is on screen: the list's own focus
   * stays at a position while rows move around it. */
  g_hash_table_iter_init (&iter, self->bound_rows);
  while (self->selected_id != 0 && g_hash_table_iter_next (&iter, &row, NULL))
    {
      RcrpCall *call = rcrp_queue_row_get_call (row);

      if (call != NULL && rcrp_call_get_id (call) == self->selected_id &&
          gtk_widget_get_parent (row) != NULL && gtk_widget_grab_focus (gtk_widget_get_parent (row)))
        return;
    }

  gtk_widget_grab_focus (GTK_WIDGET (self->queue_view));
}

static void
focus_details_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  RcrpWindow *self = RCRP_WINDOW (widget);

  adw_leaflet_set_visible_child_name (self->leaflet, "details");
  adw_view_stack_set_visible_child_name (self->view_stack, "call");
  gtk_widget_child_focus (GTK_WIDGET (self->call_details), GTK_DIR_TAB_FORWARD);
}

static void
focus_checklist_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  RcrpWindow *self = RCRP_WINDOW (widget);

  if (self->selected_id == 0)
    return;

  adw_leaflet_set_visible_child_name (self->leaflet, "details");
  adw_view_stack_set_visible_child_name (self->view_stack, "call");
  if (!rcrp_triage_panel_focus_checklist (self->triage_panel))
    gtk_widget_child_focus (GTK_WIDGET (self->call_details), GTK_DIR_TAB_FORWARD);
}

/* F6 goes round the panes: the queue, the call, its triage; Shift+F6 the
 * other way. Folded, the call and its triage share a page. */
typedef enum {
  PANE_QUEUE,
  PANE_CALL,
  PANE_TRIAGE,
  N_PANES
} Pane;

static Pane
focused_pane (RcrpWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->triage_panel)))
    return PANE_TRIAGE;
  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->view_stack)))
    return PANE_CALL;

  return PANE_QUEUE;
}

static void
focus_pane (RcrpWindow *self,
            Pane        pane)
{
  if (pane != PANE_QUEUE && self->selected_id == 0)
    pane = PANE_QUEUE;

  switch (pane)
    {
    case PANE_QUEUE:
      gtk_widget_activate_action (GTK_WIDGET (self), "win.focus-queue", NULL);
      break;

    case PANE_CALL:
      gtk_widget_activate_action (GTK_WIDGET (self), "win.focus-details", NULL);
      break;

    case PANE_TRIAGE:
    case N_PANES:
    default:
      gtk_widget_activate_action (GTK_WIDGET (self), "win.focus-checklist", NULL);
      break;
    }
}

static void
cycle_panes_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  RcrpWindow *self = RCRP_WINDOW (widget);
  int step = g_str_equal (action_name, "win.previous-pane") ? N_PANES - 1 : 1;

  focus_pane (self, (focused_pane (self) + step) % N_PANES);
}

/* Back is there only while the call covers the queue. */
static void
update_back (RcrpWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.back",
                                 self->context != NULL && adw_leaflet_get_folded (self->leaflet) &&
                                 g_strcmp0 (adw_leaflet_get_visible_child_name (self->leaflet), "details") == 0);
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

/* HACK: GTK 4.8 sizes the list's scroll range from the rows it has
 * measured, taking every other row to be their average height. Queue rows
 * are not all one height (a category that wraps, risks, badges), so with a
 * million calls the estimate falls a dozen rows short: dragging the
 * scrollbar to its end stopped at the 13th call from the end, and no
 * scrolling went further, since the range itself ended there. Later GTK
 * versions keep the range in step with what they measure. Asking for the
 * last row by position places it exactly (the End key does the same), so do
 * that whenever the view comes to the end of its range.
 */
static gboolean
on_queue_end_idle_cb (gpointer user_data)
{
  RcrpWindow *self = user_data;
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->queue));

  self->queue_end_source = 0;
  if (n_items > 0)
    {
      show_position (self, n_items - 1);
      gtk_widget_activate_action (GTK_WIDGET (self->queue_view), "list.scroll-to-item", "u", n_items - 1);
    }

  return G_SOURCE_REMOVE;
}

static void
on_queue_adjustment_value_changed_cb (GtkAdjustment *adjustment,
                                      RcrpWindow    *self)
{
  double end = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);
  gboolean at_end = end > 0 && gtk_adjustment_get_value (adjustment) >= end - 1;

  /* Once on arriving: the last row, once shown, stays at the end. */
  if (at_end && !self->queue_at_end && self->queue_end_source == 0)
    self->queue_end_source = g_idle_add (on_queue_end_idle_cb, self);

  self->queue_at_end = at_end;
}

static void
start_showing_rows (RcrpWindow *self)
{
  /* Below the idles' priority: GTK registers the window on the
   * accessibility bus from an idle, which a busier source would hold back
   * until every row was made. */
  if (self->grow_source == 0 && gtk_slice_list_model_get_size (self->shown) != G_MAXUINT)
    self->grow_source = g_timeout_add_full (G_PRIORITY_LOW, SHOWN_STEP_MSEC, on_grow_shown_timeout_cb, self, NULL);
}

/* The first rows of the queue are read: on show at once. */
static void
on_queue_items_changed_cb (RcrpWindow *self)
{
  if (!rcrp_call_queue_get_loading (self->queue))
    return;

  update_queue_state (self);
  start_showing_rows (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The queue has been read: show it, with the call asked for meanwhile. */
static void
on_queue_loading_notify_cb (RcrpWindow *self)
{
  if (rcrp_call_queue_get_loading (self->queue))
    return;

  update_queue_state (self);
  start_showing_rows (self);
  /* Focus went nowhere while the list was not on show. */
  if (gtk_window_get_focus (GTK_WINDOW (self)) == NULL)
    gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->queue_view));
  if (self->select_when_read != 0)
    {
      rcrp_window_select_call (self, self->select_when_read);
      self->select_when_read = 0;
    }

  /* The first frame with the queue in it is the start-up's end: see
   * on_first_paint_cb(). */
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
setup_queue (RcrpWindow *self)
{
  /* The view chosen last time, all calls if none. */
  self->filter = rcrp_queue_filter_new ();
  if (self->settings != NULL)
    {
      g_autofree char *view = g_settings_get_string (rcrp_settings_get_gsettings (self->settings), "queue-view");
      RcrpQueueView chosen;

      if (rcrp_queue_view_from_string (view, &chosen))
        self->filter->view = chosen;
    }
  self->view_labels = gtk_string_list_new (NULL);
  for (guint v = 0; v < RCRP_N_QUEUE_VIEWS; v++)
    gtk_string_list_append (self->view_labels, rcrp_queue_view_get_label (v));
  self->updating_views = TRUE;
  gtk_drop_down_set_model (self->view_dropdown, G_LIST_MODEL (self->view_labels));
  gtk_drop_down_set_selected (self->view_dropdown, self->filter->view);
  self->updating_views = FALSE;

  /* The list view reads the queue through the selection; nothing copies it.
   * The view's ids are read on a worker: with a backlog of a million calls
   * that takes a second, which the window does not wait for. */
  self->queue = rcrp_call_queue_new_in_background (rcrp_context_get_store (self->context), self->filter);
  g_signal_connect_object (self->queue, "notify::loading", G_CALLBACK (on_queue_loading_notify_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->queue, "items-changed", G_CALLBACK (on_queue_items_changed_cb), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  self->shown = gtk_slice_list_model_new (g_object_ref (G_LIST_MODEL (self->queue)), 0, SHOWN_FIRST);
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (self->shown));
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect_object (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->queue_view)), "value-changed",
                           G_CALLBACK (on_queue_adjustment_value_changed_cb), self, 0);

  update_queue_state (self);
  show_selected_call (self);

  /* The queue is what the coordinator works from: start there. */
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->queue_view));

  self->refresh_source = g_timeout_add (REFRESH_INTERVAL_MSEC, on_refresh_timeout_cb, self);
  self->tick_source = g_timeout_add_seconds (1, on_tick_timeout_cb, self);
}

static gboolean
setup_queue_idle (gpointer user_data)
{
  RcrpWindow *self = user_data;

  self->setup_source = 0;
  setup_queue (self);

  return G_SOURCE_REMOVE;
}

/* Start-up timings for the benchmarks, as debug messages in a domain of
 * their own: G_MESSAGES_DEBUG=Rcrp-Timing prints them. */
#define TIMING_DOMAIN "Rcrp-Timing"

/* The check says how far it has got once it has taken this long. */
#define CHECK_QUIET_MSEC 1000
#define CHECK_UPDATE_MSEC 200

static void
on_verify_progress (gint64   done,
                    gint64   total,
                    gpointer user_data)
{
  RcrpWindow *self = user_data;

  g_atomic_int_set (&self->check_total, (int) MIN (total, G_MAXINT));
  g_atomic_int_set (&self->check_done, (int) MIN (done, G_MAXINT));
}

typedef struct
{
  RcrpStore           *store;
  RcrpAuditCheckDepth  depth;
  RcrpAuditReport      report;
} CheckJob;

static void
check_job_free (gpointer data)
{
  CheckJob *job = data;

  g_clear_object (&job->store);
  rcrp_audit_report_clear (&job->report);
  g_free (job);
}

static void
verify_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  CheckJob *job = task_data;
  GError *error = NULL;

  if (rcrp_audit_check (job->store, job->depth, NULL, on_verify_progress, source_object, cancellable,
                        &job->report, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* The daily full walk is a background duty: on a thread of its own at the
 * lowest priority (a thread's nice value cannot be raised again, so not
 * one of GLib's pool), it yields to everything the coordinator does. */
static gpointer
full_check_thread (gpointer data)
{
  g_autoptr(GTask) task = data;

  setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), 19);
  verify_thread (task, g_task_get_source_object (task), g_task_get_task_data (task),
                 g_task_get_cancellable (task));

  return NULL;
}

static gboolean
on_check_progress_cb (gpointer user_data)
{
  RcrpWindow *self = user_data;
  int done = g_atomic_int_get (&self->check_done);
  int total = g_atomic_int_get (&self->check_total);
  g_autofree char *done_text = NULL;
  g_autofree char *total_text = NULL;
  g_autofree char *text = NULL;

  if (g_get_monotonic_time () - self->check_started < CHECK_QUIET_MSEC * 1000 || total <= 0)
    return G_SOURCE_CONTINUE;

  done_text = g_strdup_printf ("%'d", done);
  total_text = g_strdup_printf ("%'d", total);
  /* Translators: progress of the start-up check of the audit trail, as in
   * "Checking the shared log: 45,000 of 1,200,000 events". */
  text = g_strdup_printf (_("Checking the shared log: %s of %s events"), done_text, total_text);
  gtk_label_set_text (self->check_label, text);
  gtk_progress_bar_set_fraction (self->check_progress, CLAMP ((double) done / (double) total, 0.0, 1.0));
  gtk_revealer_set_reveal_child (self->check_revealer, TRUE);

  return G_SOURCE_CONTINUE;
}

static void
on_verify_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  RcrpWindow *self = RCRP_WINDOW (object);
  g_autoptr(GError) error = NULL;
  gboolean intact = g_task_propagate_boolean (G_TASK (result), &error);
  CheckJob *job = g_task_get_task_data (G_TASK (result));

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_handle_id (&self->check_source, g_source_remove);
  g_clear_object (&self->check_cancellable);
  gtk_revealer_set_reveal_child (self->check_revealer, FALSE);
  if (job->depth == RCRP_AUDIT_CHECK_QUICK)
    g_log (TIMING_DOMAIN, G_LOG_LEVEL_DEBUG, "log checked at %" G_GINT64_FORMAT " µs (monotonic), %s",
           g_get_monotonic_time (), intact ? "intact" : "broken");
  g_log (TIMING_DOMAIN, G_LOG_LEVEL_DEBUG, "%s check of the log: %" G_GINT64_FORMAT " events from event %"
         G_GINT64_FORMAT ", %s",
         job->depth == RCRP_AUDIT_CHECK_FULL ? "full" : "start-up",
         job->report.n_events, job->report.from_event_id, intact ? "intact" : "broken");

  /* The checkpoint file was not as written, or cannot be kept: the log
   * itself is as the walk says, but someone should know. */
  if (job->report.warning != NULL)
    g_warning ("%s", job->report.warning);

  if (intact)
    {
      self->last_full_check = job->report.last_full_check;
      return;
    }

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

/* Checks the audit chain in the background, so a long log never delays
 * the window; past a second it shows how far it has got. At start the
 * check runs from this workstation's checkpoint (the whole log the first
 * time); the full walk, as `rcrp verify` does it, runs once a day. */
static void
start_verify (RcrpWindow          *self,
              RcrpAuditCheckDepth  depth)
{
  g_autoptr(GTask) task = NULL;
  CheckJob *job = g_new0 (CheckJob, 1);

  job->store = g_object_ref (rcrp_context_get_store (self->context));
  job->depth = depth;

  self->check_cancellable = g_cancellable_new ();
  self->check_started = g_get_monotonic_time ();
  g_atomic_int_set (&self->check_total, 0);
  self->check_source = g_timeout_add (CHECK_UPDATE_MSEC, on_check_progress_cb, self);

  task = g_task_new (self, self->check_cancellable, on_verify_done_cb, NULL);
  g_task_set_source_tag (task, start_verify);
  g_task_set_task_data (task, job, check_job_free);
  if (depth == RCRP_AUDIT_CHECK_FULL)
    g_thread_unref (g_thread_new ("rcrp-full-check", full_check_thread, g_steal_pointer (&task)));
  else
    g_task_run_in_thread (task, verify_thread);
}

/* The full walk of the log: on each workstation once a day, looked for
 * every hour, the first time ten minutes after start so that it never
 * competes with start-up. */
#define FULL_CHECK_PERIOD_SECONDS (24 * 60 * 60)
#define FULL_CHECK_FIRST_LOOK_SECONDS (10 * 60)
#define FULL_CHECK_LOOK_SECONDS (60 * 60)

static gboolean
on_full_check_look_cb (gpointer user_data)
{
  RcrpWindow *self = user_data;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  /* Not while another check runs, nor after one that found a break. */
  if (self->check_cancellable == NULL && self->last_full_check > 0 &&
      now - self->last_full_check >= FULL_CHECK_PERIOD_SECONDS)
    start_verify (self, RCRP_AUDIT_CHECK_FULL);

  return G_SOURCE_CONTINUE;
}

static gboolean
on_full_check_first_look_cb (gpointer user_data)
{
  RcrpWindow *self = user_data;

  self->full_check_source = g_timeout_add_seconds (FULL_CHECK_LOOK_SECONDS, on_full_check_look_cb, self);
  on_full_check_look_cb (self);

  return G_SOURCE_REMOVE;
}

/* The first frame is on screen: only now read the queue, which on a year's
 * database takes a moment, and start the check of the log. */
static void
on_first_paint_cb (GdkFrameClock *clock,
                   RcrpWindow    *self)
{
  if (!self->queue_painted && self->setup_source == 0 && self->first_paint_handler != 0 &&
      gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      if (self->queue != NULL && rcrp_call_queue_get_loading (self->queue) &&
          g_list_model_get_n_items (G_LIST_MODEL (self->queue)) == 0)
        return;

      if (self->queue != NULL)
        {
          /* The frame after the queue was read: what the coordinator sees. */
          self->queue_painted = TRUE;
          g_signal_handler_disconnect (clock, self->first_paint_handler);
          self->first_paint_handler = 0;
          g_log (TIMING_DOMAIN, G_LOG_LEVEL_DEBUG, "queue drawn at %" G_GINT64_FORMAT " µs (monotonic)",
                 g_get_monotonic_time ());
          return;
        }

      g_log (TIMING_DOMAIN, G_LOG_LEVEL_DEBUG, "first frame drawn at %" G_GINT64_FORMAT " µs (monotonic)",
             g_get_monotonic_time ());
      /* At the default priority, not an idle's: an idle waits for the main
       * loop to have nothing else to do, and at start-up there is always
       * something (the alerts' first looks, the accessibility bus, the
       * toasts), which held the queue back by half a second or more. */
      self->setup_source = g_idle_add_full (G_PRIORITY_DEFAULT, setup_queue_idle, self, NULL);
      self->full_check_source = g_timeout_add_seconds (FULL_CHECK_FIRST_LOOK_SECONDS,
                                                       on_full_check_first_look_cb, self);
    }
}

static void
rcrp_window_realize (GtkWidget *widget)
{
  RcrpWindow *self = RCRP_WINDOW (widget);

  GTK_WIDGET_CLASS (rcrp_window_parent_class)->realize (widget);

  /* The application gives the window its shortcuts window once added. */
  {
    GtkShortcutsWindow *shortcuts = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (self));

    if (shortcuts != NULL)
      rcrp_accessible_name_shortcuts_window (shortcuts);
  }

  /* The check of the log from this workstation's checkpoint is a few reads
   * on a worker: started now, it is done by the time the first frame is
   * drawn, rather than queued behind the queue's first rows. */
  if (self->context != NULL && !self->start_check_begun)
    {
      self->start_check_begun = TRUE;
      start_verify (self, RCRP_AUDIT_CHECK_QUICK);
    }

  if (self->context != NULL && self->first_paint_handler == 0 && !self->queue_painted)
    self->first_paint_handler = g_signal_connect (gtk_widget_get_frame_clock (widget), "after-paint",
                                                  G_CALLBACK (on_first_paint_cb), self);
}

static void
rcrp_window_unrealize (GtkWidget *widget)
{
  RcrpWindow *self = RCRP_WINDOW (widget);

  if (self->first_paint_handler != 0)
    g_clear_signal_handler (&self->first_paint_handler, gtk_widget_get_frame_clock (widget));

  GTK_WIDGET_CLASS (rcrp_window_parent_class)->unrealize (widget);
}

static void
on_triage_panel_decision_recorded_cb (RcrpWindow *self,
                                      gint64      call_id,
                                      gint64      decision_event_id,
                                      const char *what)
{
  g_autofree char *escaped = g_markup_escape_text (what, -1);
  AdwToast *toast = adw_toast_new (escaped);

  /* Show our own decision at once rather than at the next poll. */
  on_refresh_timeout_cb (self);

  /* An appeal just lodged here takes the Undo away at once. */
  if (decision_event_id == 0)
    withdraw_undo_if_appealed (self);

  /* Undo is itself recorded; nothing is deleted. */
  if (decision_event_id > 0)
    {
      if (self->undo_toast != NULL)
        g_object_remove_weak_pointer (G_OBJECT (self->undo_toast), (gpointer *) &self->undo_toast);
      self->undo_toast = toast;
      g_object_add_weak_pointer (G_OBJECT (toast), (gpointer *) &self->undo_toast);
      self->undo_decision_id = decision_event_id;
      self->undo_call_id = call_id;
      self->last_decision_id = decision_event_id;
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo-last", TRUE);
      adw_toast_set_button_label (toast, _("Undo"));
      adw_toast_set_action_name (toast, "win.undo-decision");
      adw_toast_set_action_target_value (toast, g_variant_new_int64 (decision_event_id));
      adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
    }
  adw_toast_set_timeout (toast, UNDO_TOAST_SECONDS);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
undo_decision_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  RcrpWindow *self = RCRP_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (rcrp_store_undo_decision (rcrp_context_get_store (self->context),
                                g_variant_get_int64 (parameter), &error) < 0)
    {
      rcrp_window_add_toast (self, error->message);
      return;
    }

  on_refresh_timeout_cb (self);
  show_selected_call (self);
  rcrp_window_add_toast (self, _("Decision undone; the undo is in the record"));
}

static void
undo_last_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  RcrpWindow *self = RCRP_WINDOW (widget);
  gint64 id = self->last_decision_id;

  if (id <= 0)
    return;

  self->last_decision_id = 0;
  gtk_widget_action_set_enabled (widget, "win.undo-last", FALSE);
  gtk_widget_activate_action (widget, "win.undo-decision", "x", id);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RcrpWindow *self = RCRP_WINDOW (widget);

  rcrp_reports_show_export (GTK_WINDOW (self), self->context);
}

static void
handover_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  RcrpWindow *self = RCRP_WINDOW (widget);

  rcrp_reports_show_handover (GTK_WINDOW (self), self->context);
}

static void
disputes_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  RcrpWindow *self = RCRP_WINDOW (widget);

  rcrp_reports_show_disputes (GTK_WINDOW (self), self->context);
}

static void
show_agencies_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  RcrpWindow *self = RCRP_WINDOW (widget);

  adw_leaflet_set_visible_child_name (self->leaflet, "details");
  adw_view_stack_set_visible_child_name (self->view_stack, "agencies");
  gtk_widget_child_focus (GTK_WIDGET (self->agency_board), GTK_DIR_TAB_FORWARD);
}

static void
open_call_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  RcrpWindow *self = RCRP_WINDOW (widget);

  rcrp_window_select_call (self, g_variant_get_int64 (parameter));
  adw_view_stack_set_visible_child_name (self->view_stack, "call");
  adw_leaflet_set_visible_child_name (self->leaflet, "details");
}

/* Forgets what was said about anything no longer in @items (each a
 * struct with a gint64 id at @id_offset): what is said is remembered only
 * while it is live, so these sets stay as small as what is live (a day's
 * referrals, the open appeals), however long the window is open. */
static void
forget_said_except (GHashTable *said,
                    GPtrArray  *items,
                    goffset     id_offset)
{
  g_autoptr(GHashTable) live = g_hash_table_new (g_int64_hash, g_int64_equal);
  GHashTableIter iter;
  gpointer key;

  for (guint i = 0; i < items->len; i++)
    g_hash_table_add (live, G_STRUCT_MEMBER_P (g_ptr_array_index (items, i), id_offset));

  g_hash_table_iter_init (&iter, said);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (live, key))
      g_hash_table_iter_remove (&iter);
}

/* A referral past its agency's response target without an answer: say so
 * once, and offer to open the call, where the next agency is a click away. */
static void
check_overdue_referrals (RcrpWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GPtrArray) agencies = NULL;
  g_autoptr(GDateTime) time_now = now (self);

  g_autoptr(GDateTime) since = g_date_time_add (time_now, -LIVE_REFERRAL_SPAN);
  guint n_new = 0;

  pending = rcrp_store_list_pending_referrals (rcrp_context_get_store (self->context), since, &error);
  if (pending == NULL)
    return;

  forget_said_except (self->overdue_alerted, pending, G_STRUCT_OFFSET (RcrpReferral, decision_event_id));

  /* Many at once (a database restored, a workstation back after a night
   * off) are one toast, not a flood. */
  for (guint i = 0; i < pending->len; i++)
    {
      RcrpReferral *referral = g_ptr_array_index (pending, i);

      if (g_date_time_compare (time_now, referral->due_at) > 0 &&
          !g_hash_table_contains (self->overdue_alerted, &referral->decision_event_id))
        n_new++;
    }
  if (n_new > MAX_OVERDUE_TOASTS)
    {
      g_autofree char *message = g_strdup_printf (ngettext ("%u referral has had no answer past its agency’s target.",
                                                            "%u referrals have had no answer past their agencies’ targets.",
                                                            n_new),
                                                  n_new);
      g_autofree char *escaped = g_markup_escape_text (message, -1);
      AdwToast *toast = adw_toast_new (escaped);

      for (guint i = 0; i < pending->len; i++)
        {
          RcrpReferral *referral = g_ptr_array_index (pending, i);

          if (g_date_time_compare (time_now, referral->due_at) > 0)
            g_hash_table_add (self->overdue_alerted, g_memdup2 (&referral->decision_event_id, sizeof (gint64)));
        }
      adw_toast_set_timeout (toast, 0);
      adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
      return;
    }

  for (guint i = 0; i < pending->len; i++)
    {
      RcrpReferral *referral = g_ptr_array_index (pending, i);
      g_autofree char *message = NULL;
      g_autofree char *escaped = NULL;
      RcrpAgency *agency;
      AdwToast *toast;
      int minutes;

      if (g_date_time_compare (time_now, referral->due_at) <= 0 ||
          g_hash_table_contains (self->overdue_alerted, &referral->decision_event_id))
        continue;

      if (agencies == NULL)
        agencies = rcrp_store_list_agencies (rcrp_context_get_store (self->context), NULL);
      agency = agencies != NULL ? rcrp_agencies_find (agencies, referral->agency_id) : NULL;
      minutes = (int) (g_date_time_difference (time_now, referral->referred_at) / G_TIME_SPAN_MINUTE);

      g_hash_table_add (self->overdue_alerted, g_memdup2 (&referral->decision_event_id, sizeof (gint64)));
      message = g_strdup_printf (_("%s: no answer from %s after %d min (target %d). Open the call to refer on."),
                                 referral->cad_ref,
                                 agency != NULL ? rcrp_agency_get_name (agency) : referral->agency_id,
                                 minutes, agency != NULL ? rcrp_agency_get_response_target (agency) : 0);
      escaped = g_markup_escape_text (message, -1);
      toast = adw_toast_new (escaped);
      adw_toast_set_timeout (toast, 0);
      adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
      adw_toast_set_button_label (toast, _("Open"));
      adw_toast_set_action_name (toast, "win.open-call");
      adw_toast_set_action_target_value (toast, g_variant_new_int64 (referral->call_id));
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
    }
}

/* Supervisors hear of each urgent appeal once, wherever they are. */
static void
check_new_appeals (RcrpWindow *self)
{
  RcrpStore *store = rcrp_context_get_store (self->context);
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  RcrpNotifier *notifier = RCRP_IS_APPLICATION (application)
                           ? rcrp_application_get_notifier (RCRP_APPLICATION (application)) : NULL;
  g_autoptr(GPtrArray) open = NULL;

  guint64 stamp;

  if (!rcrp_role_can (rcrp_store_get_role (store, NULL), RCRP_PERMISSION_RESOLVE_APPEAL))
    return;

  /* Looked at every second, read only when something was stored. */
  stamp = rcrp_store_get_change_stamp (store);
  if (stamp == self->appeals_stamp)
    return;

  open = rcrp_store_list_appeals (store, 0, TRUE, NULL);
  if (open == NULL)
    return;
  self->appeals_stamp = stamp;
  forget_said_except (self->appeals_alerted, open, G_STRUCT_OFFSET (RcrpAppeal, id));

  for (guint i = 0; i < open->len; i++)
    {
      RcrpAppeal *appeal = g_ptr_array_index (open, i);
      g_autofree char *message = NULL;

      if (g_hash_table_contains (self->appeals_alerted, &appeal->id))
        continue;

      message = g_strdup_printf (_("Urgent appeal %s on %s against “%s”: awaiting your review"),
                                 appeal->reference, appeal->cad_ref, rcrp_outcome_get_label (appeal->appealed_outcome));

      /* Critical, on the desktop or, without a notification server, in the
       * window, with a way to the call. */
      if (notifier != NULL)
        rcrp_notifier_notify_appeal (notifier, appeal->call_id, message, TRUE, NULL);
      else
        {
          g_autofree char *escaped = g_markup_escape_text (message, -1);
          AdwToast *toast = adw_toast_new (escaped);

          adw_toast_set_timeout (toast, 0);
          adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
          adw_toast_set_button_label (toast, _("Open"));
          adw_toast_set_action_name (toast, "win.open-call");
          adw_toast_set_action_target_value (toast, g_variant_new_int64 (appeal->call_id));
          adw_toast_overlay_add_toast (self->toast_overlay, toast);
        }
      g_hash_table_add (self->appeals_alerted, g_memdup2 (&appeal->id, sizeof (gint64)));
    }
}

/* The workstation whose decision was appealed hears the supervisor's
 * result: open appeals on decisions made here are watched until they are
 * settled. */
static void
check_appeal_results (RcrpWindow *self)
{
  RcrpStore *store = rcrp_context_get_store (self->context);
  const char *workstation = rcrp_context_get_workstation (self->context);
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  RcrpNotifier *notifier = RCRP_IS_APPLICATION (application)
                           ? rcrp_application_get_notifier (RCRP_APPLICATION (application)) : NULL;
  g_autoptr(GPtrArray) open = rcrp_store_list_appeals (store, 0, TRUE, NULL);
  g_autoptr(GHashTable) still_open = g_hash_table_new (g_int64_hash, g_int64_equal);
  GHashTableIter iter;
  gpointer key, value;

  if (open == NULL || workstation == NULL)
    return;

  for (guint i = 0; i < open->len; i++)
    {
      RcrpAppeal *appeal = g_ptr_array_index (open, i);
      g_autoptr(GPtrArray) decisions = NULL;
      gint64 ours = 0;

      g_hash_table_add (still_open, &appeal->id);
      if (g_hash_table_contains (self->appeals_watched, &appeal->id))
        continue;

      /* Looked up once: another workstation's appeals are kept with no
       * call, so as not to be looked up again. */
      decisions = rcrp_store_list_decisions (store, appeal->call_id, NULL);
      for (guint d = 0; decisions != NULL && d < decisions->len; d++)
        {
          RcrpDecision *decision = g_ptr_array_index (decisions, d);

          if (rcrp_decision_get_event_id (decision) == appeal->decision_event_id &&
              g_ascii_strcasecmp (rcrp_decision_get_workstation (decision), workstation) == 0)
            ours = appeal->call_id;
        }
      g_hash_table_insert (self->appeals_watched, g_memdup2 (&appeal->id, sizeof (gint64)),
                           g_memdup2 (&ours, sizeof (gint64)));
    }

  g_hash_table_iter_init (&iter, self->appeals_watched);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autoptr(GPtrArray) appeals = NULL;

      if (g_hash_table_contains (still_open, key))
        continue;

      if (*(gint64 *) value != 0)
        appeals = rcrp_store_list_appeals (store, *(gint64 *) value, FALSE, NULL);
      for (guint i = 0; appeals != NULL && i < appeals->len; i++)
        {
          RcrpAppeal *appeal = g_ptr_array_index (appeals, i);

          if (appeal->id != *(gint64 *) key || appeal->state == RCRP_APPEAL_OPEN)
            continue;

          if (notifier != NULL)
            rcrp_notifier_notify_appeal_result (notifier, appeal);
          else
            {
              g_autofree char *message = g_strdup_printf (_("Appeal %s on %s: %s"), appeal->reference, appeal->cad_ref,
                                                          rcrp_appeal_state_get_label (appeal->state));

              rcrp_window_add_toast (self, message);
            }
        }
      g_hash_table_iter_remove (&iter);
    }
}

/* An agency that pending referrals wait on reports itself closed or full:
 * the coordinator hears, except at the workstation that reported it. */
static void
check_agency_alerts (RcrpWindow *self)
{
  RcrpStore *store = rcrp_context_get_store (self->context);
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  RcrpNotifier *notifier = RCRP_IS_APPLICATION (application)
                           ? rcrp_application_get_notifier (RCRP_APPLICATION (application)) : NULL;
  g_autoptr(GPtrArray) agencies = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GDateTime) time_now = now (self);
  g_autoptr(GDateTime) since = g_date_time_add (time_now, -LIVE_REFERRAL_SPAN);

  g_autoptr(GHashTable) said = NULL;

  if (notifier == NULL ||
      (agencies = rcrp_store_list_agencies (store, NULL)) == NULL ||
      (pending = rcrp_store_list_pending_referrals (store, since, NULL)) == NULL)
    return;

  /* Only the reports standing now are remembered, one per agency at most. */
  said = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < agencies->len; i++)
    {
      RcrpAgency *agency = g_ptr_array_index (agencies, i);
      RcrpAgencyStatus status = rcrp_agency_get_status (agency);
      g_autofree char *key = NULL;
      gint64 first_call = 0;
      guint waiting = 0;

      if (status != RCRP_AGENCY_STATUS_CLOSED && status != RCRP_AGENCY_STATUS_AT_CAPACITY)
        {
          rcrp_notifier_withdraw_agency (notifier, rcrp_agency_get_id (agency));
          continue;
        }

      /* Kept while the report stands; a later report is news again. */
      key = g_strdup_printf ("%s@%" G_GINT64_FORMAT, rcrp_agency_get_id (agency),
                             g_date_time_to_unix (rcrp_agency_get_changed_at (agency)));
      if (g_hash_table_remove (self->agencies_alerted, key))
        {
          g_hash_table_add (said, g_steal_pointer (&key));
          continue;
        }

      for (guint r = 0; r < pending->len; r++)
        {
          RcrpReferral *referral = g_ptr_array_index (pending, r);

          if (g_str_equal (referral->agency_id, rcrp_agency_get_id (agency)))
            {
              if (waiting++ == 0)
                first_call = referral->call_id;
            }
        }
      if (waiting == 0)
        continue;

      g_hash_table_add (said, g_steal_pointer (&key));

      rcrp_notifier_notify_agency (notifier, rcrp_agency_get_id (agency), rcrp_agency_get_name (agency),
                                   status == RCRP_AGENCY_STATUS_CLOSED ? RCRP_AGENCY_ALERT_CLOSED
                                                                       : RCRP_AGENCY_ALERT_AT_CAPACITY,
                                   waiting, first_call, rcrp_agency_get_changed_workstation (agency));
    }

  g_hash_table_unref (self->agencies_alerted);
  self->agencies_alerted = g_steal_pointer (&said);
}

static gboolean
on_agency_timeout_cb (gpointer user_data)
{
  RcrpWindow *self = user_data;

  rcrp_agency_board_refresh (self->agency_board);
  check_overdue_referrals (self);

  return G_SOURCE_CONTINUE;
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

  adw_view_switcher_title_set_subtitle (self->details_title, self->database_label);

  if (self->context == NULL)
    {
      adw_status_page_set_description (self->error_page, self->error_message);
      gtk_stack_set_visible_child_name (self->main_stack, "error");
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.focus-queue", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.focus-details", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.back", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.focus-checklist", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.next-pane", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.previous-pane", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.handover", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.disputes", FALSE);
      return;
    }

  gtk_stack_set_visible_child_name (self->main_stack, "main");
  rcrp_triage_panel_set_context (self->triage_panel, self->context);
  rcrp_agency_board_set_context (self->agency_board, self->context);
  if (self->settings != NULL)
    rcrp_agency_board_set_stale_minutes (self->agency_board, rcrp_settings_get_agency_stale_minutes (self->settings));
  self->agency_source = g_timeout_add_seconds (AGENCY_CHECK_SECONDS, on_agency_timeout_cb, self);
  self->session = g_uuid_string_random ();
  rcrp_triage_panel_set_session (self->triage_panel, self->session, claim_lapse (self));
  self->claim_source = g_timeout_add_seconds (CLAIM_HEARTBEAT_SECONDS, on_claim_heartbeat_cb, self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.take-over", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo-last", FALSE);
  update_back (self);
  /* The window first, then the queue and the check of the log: see
   * on_first_paint_cb(), connected when the window is realized. */
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

  g_clear_handle_id (&self->setup_source, g_source_remove);
  g_clear_handle_id (&self->check_source, g_source_remove);
  g_clear_handle_id (&self->full_check_source, g_source_remove);
  if (self->check_cancellable != NULL)
    g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  g_clear_handle_id (&self->grow_source, g_source_remove);
  g_clear_handle_id (&self->tick_source, g_source_remove);
  g_clear_handle_id (&self->queue_end_source, g_source_remove);
  g_clear_handle_id (&self->claim_source, g_source_remove);
  g_clear_handle_id (&self->agency_source, g_source_remove);
  if (self->undo_toast != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->undo_toast), (gpointer *) &self->undo_toast);
  self->undo_toast = NULL;

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

  g_clear_object (&self->shown);
  g_clear_object (&self->queue);
  g_clear_pointer (&self->bound_rows, g_hash_table_unref);
  g_clear_pointer (&self->overdue_alerted, g_hash_table_unref);
  g_clear_pointer (&self->filter, rcrp_queue_filter_free);
  g_clear_object (&self->view_labels);
  g_clear_pointer (&self->appeals_alerted, g_hash_table_unref);
  g_clear_pointer (&self->appeals_watched, g_hash_table_unref);
  g_clear_pointer (&self->agencies_alerted, g_hash_table_unref);

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

/* The window's keys that work wherever the focus is, an entry included:
 * caught on the way down, before the focused widget, which may have a
 * use of its own for them. Ctrl+Z is not among them: in an entry with
 * typing to undo, the typing is undone first (an entry with nothing to
 * undo passes it on to the window). */
static const struct {
  guint           key;
  GdkModifierType modifiers;
  const char     *action;
} global_keys[] = {
  { GDK_KEY_1,     GDK_CONTROL_MASK,                  "win.focus-queue" },
  { GDK_KEY_2,     GDK_CONTROL_MASK,                  "win.focus-details" },
  { GDK_KEY_3,     GDK_CONTROL_MASK,                  "win.show-agencies" },
  { GDK_KEY_j,     GDK_CONTROL_MASK,                  "win.focus-checklist" },
  { GDK_KEY_F6,    0,                                 "win.next-pane" },
  { GDK_KEY_F6,    GDK_SHIFT_MASK,                    "win.previous-pane" },
  { GDK_KEY_f,     GDK_CONTROL_MASK,                  "win.search" },
  { GDK_KEY_v,     GDK_ALT_MASK,                      "win.choose-view" },
  { GDK_KEY_Left,  GDK_ALT_MASK,                      "win.back" },
  /* Only while the call covers the queue (win.back is off otherwise), so
   * an entry's or a list's own Escape is not taken from it. */
  { GDK_KEY_Escape, 0,                                "win.back" },
  { GDK_KEY_t,     GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.take-over" },
  { GDK_KEY_e,     GDK_CONTROL_MASK,                  "win.export" },
  { GDK_KEY_h,     GDK_CONTROL_MASK,                  "win.handover" },
};

static void
add_global_keys (RcrpWindow *self)
{
  GtkEventController *keys = gtk_shortcut_controller_new ();

  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (keys), GTK_SHORTCUT_SCOPE_GLOBAL);
  for (guint i = 0; i < G_N_ELEMENTS (global_keys); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (global_keys[i].key,
                                                                                    global_keys[i].modifiers),
                                                            gtk_named_action_new (global_keys[i].action)));
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
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
  widget_class->realize = rcrp_window_realize;
  widget_class->unrealize = rcrp_window_unrealize;

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
  gtk_widget_class_bind_template_child (widget_class, RcrpWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, RcrpWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, RcrpWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, RcrpWindow, view_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RcrpWindow, search_button);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_view_selected_cb);
  gtk_widget_class_bind_template_child (widget_class, RcrpWindow, queue_view);
  gtk_widget_class_bind_template_child (widget_class, RcrpWindow, selection);
  gtk_widget_class_bind_template_child (widget_class, RcrpWindow, details_title);
  gtk_widget_class_bind_template_child (widget_class, RcrpWindow, details_stack);
  gtk_widget_class_bind_template_child (widget_class, RcrpWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, RcrpWindow, agency_board);
  gtk_widget_class_bind_template_child (widget_class, RcrpWindow, call_details);
  gtk_widget_class_bind_template_child (widget_class, RcrpWindow, triage_panel);
  gtk_widget_class_bind_template_child (widget_class, RcrpWindow, claim_revealer);
  gtk_widget_class_bind_template_child (widget_class, RcrpWindow, claim_label);
  gtk_widget_class_bind_template_child (widget_class, RcrpWindow, take_over_button);
  gtk_widget_class_bind_template_child (widget_class, RcrpWindow, check_revealer);
  gtk_widget_class_bind_template_child (widget_class, RcrpWindow, check_label);
  gtk_widget_class_bind_template_child (widget_class, RcrpWindow, check_progress);

  gtk_widget_class_install_action (widget_class, "win.take-over", NULL, take_over_action);
  gtk_widget_class_bind_template_callback (widget_class, on_triage_panel_decision_recorded_cb);
  gtk_widget_class_bind_template_child (widget_class, RcrpWindow, error_page);
  gtk_widget_class_bind_template_callback (widget_class, on_factory_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_factory_bind_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_factory_unbind_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_queue_view_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_selection_notify_selected_cb);

  /* Every command the window has, and its key, in one place. The keys
   * that must work from an entry too are in global_keys[] above:
   * Ctrl+1 queue, Ctrl+2 call, Ctrl+3 agencies, Ctrl+J checklist, F6 and
   * Shift+F6 the next and previous pane, Ctrl+F search, Alt+V view,
   * Alt+Left and Escape back, Ctrl+Shift+T take over, Ctrl+E export, Ctrl+H
   * handover. */
  gtk_widget_class_install_action (widget_class, "win.focus-queue", NULL, focus_queue_action);
  gtk_widget_class_install_action (widget_class, "win.focus-details", NULL, focus_details_action);
  gtk_widget_class_install_action (widget_class, "win.focus-checklist", NULL, focus_checklist_action);
  gtk_widget_class_install_action (widget_class, "win.next-pane", NULL, cycle_panes_action);
  gtk_widget_class_install_action (widget_class, "win.previous-pane", NULL, cycle_panes_action);

  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);

  gtk_widget_class_install_action (widget_class, "win.undo-decision", "x", undo_decision_action);
  gtk_widget_class_install_action (widget_class, "win.undo-last", NULL, undo_last_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "win.undo-last", NULL);

  gtk_widget_class_install_action (widget_class, "win.open-call", "x", open_call_action);

  gtk_widget_class_install_action (widget_class, "win.show-agencies", NULL, show_agencies_action);

  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.choose-view", NULL, choose_view_action);

  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.handover", NULL, handover_action);
  gtk_widget_class_install_action (widget_class, "win.disputes", NULL, disputes_action);

  gtk_widget_class_install_action (widget_class, "win.open-menu", NULL, open_menu_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, 0, "win.open-menu", NULL);

  g_type_ensure (RCRP_TYPE_CALL_DETAILS);
  g_type_ensure (RCRP_TYPE_TRIAGE_PANEL);
  g_type_ensure (RCRP_TYPE_AGENCY_BOARD);
}

static void
rcrp_window_init (RcrpWindow *self)
{
  self->bound_rows = g_hash_table_new (NULL, NULL);
  self->overdue_alerted = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->appeals_alerted = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->appeals_watched = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->agencies_alerted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  add_global_keys (self);

  rcrp_accessible_name_toasts (self->toast_overlay);
  rcrp_accessible_name_drop_down (self->view_dropdown, _("View"));
  rcrp_accessible_name_icon_buttons (GTK_WIDGET (self->search_bar), "window-close-symbolic", _("Close the search"));
  rcrp_accessible_name_search_entries (GTK_WIDGET (self->search_bar), NULL);
  rcrp_accessible_follow_toggle (self->search_button);
  /* Not "Take over the call Take Over". */
  rcrp_accessible_name_once (self->take_over_button, _("Take over the call"));

  g_signal_connect_swapped (self->leaflet, "notify::folded", G_CALLBACK (on_leaflet_folded_cb), self);
  g_signal_connect_swapped (self->leaflet, "notify::folded", G_CALLBACK (update_back), self);
  g_signal_connect_swapped (self->leaflet, "notify::visible-child", G_CALLBACK (update_back), self);
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

  if (rcrp_call_queue_get_loading (self->queue))
    {
      self->select_when_read = call_id;
      return;
    }

  rcrp_call_queue_refresh (self->queue, NULL);
  position = rcrp_call_queue_find (self->queue, call_id);
  if (position != G_MAXUINT)
    select_position (self, position);
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

/* rcrp-desktop-notifications.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <libnotify/notify.h>

#include "rcrp-desktop-notifications.h"

/* How long quitting waits for the notifications thread to take down
 * what it showed; a hung server gets no longer than this.
 */
#define SHUTDOWN_WAIT_USEC (G_USEC_PER_SEC / 2)

typedef struct _Worker Worker;

/* Shared by the main thread and the notifications thread. Everything
 * below "thread only" is touched on the notifications thread alone.
 */
struct _Worker
{
  gatomicrefcount  ref_count;
  GMainContext    *context;
  GMainLoop       *loop;
  GMainContext    *owner_context;
  GWeakRef         owner;
  char            *app_name;

  GMutex           mutex;
  GCond            cond;
  gboolean         finished;

  /* Thread only. */
  GHashTable      *shown;          /* key → NotifyNotification */
  gboolean         server_checked;
  gboolean         body_markup;
};

typedef enum
{
  JOB_SHOW,
  JOB_WITHDRAW,
  JOB_QUIT,
} JobKind;

typedef struct
{
  Worker           *worker;
  JobKind           kind;
  guint             serial;
  char             *key;
  char             *adopt_key;
  char             *title;
  char             *body;
  RcrpAlertUrgency  urgency;
  gint64            call_id;
  gboolean          can_claim;
  gboolean          sound;
} Job;

typedef struct
{
  Worker *worker;
  guint   serial;
  GError *error;
  char   *action;
  gint64  call_id;
  char   *activation_token;
} Report;

typedef struct
{
  Worker *worker;
  gint64  call_id;
} ActionData;

struct _RcrpDesktopNotifications
{
  GObject  parent_instance;

  Worker  *worker;
  GThread *thread;
  guint    last_serial;
};

G_DEFINE_FINAL_TYPE (RcrpDesktopNotifications, rcrp_desktop_notifications, G_TYPE_OBJECT)

enum {
  SENT,
  ACTION,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The worker --------------------------------------------------------------------------- */

static Worker *
worker_ref (Worker *worker)
{
  g_atomic_ref_count_inc (&worker->ref_count);
  return worker;
}

static void
worker_unref (Worker *worker)
{
  if (!g_atomic_ref_count_dec (&worker->ref_count))
    return;

  g_clear_pointer (&worker->shown, g_hash_table_unref);
  g_clear_pointer (&worker->loop, g_main_loop_unref);
  g_clear_pointer (&worker->context, g_main_context_unref);
  g_clear_pointer (&worker->owner_context, g_main_context_unref);
  g_weak_ref_clear (&worker->owner);
  g_mutex_clear (&worker->mutex);
  g_cond_clear (&worker->cond);
  g_free (worker->app_name);
  g_free (worker);
}

static void
job_free (gpointer data)
{
  Job *job = data;

  g_clear_pointer (&job->worker, worker_unref);
  g_free (job->key);
  g_free (job->adopt_key);
  g_free (job->title);
  g_free (job->body);
  g_free (job);
}

static void
report_free (gpointer data)
{
  Report *report = data;

  g_clear_pointer (&report->worker, worker_unref);
  g_clear_error (&report->error);
  g_free (report->action);
  g_free (report->activation_token);
  g_free (report);
}

/* On the main context. */
static gboolean
deliver_report_cb (gpointer data)
{
  Report *report = data;
  g_autoptr(RcrpDesktopNotifications) self = g_weak_ref_get (&report->worker->owner);

  if (self == NULL)
    return G_SOURCE_REMOVE;

  if (report->action != NULL)
    g_signal_emit (self, signals[ACTION], 0, report->action, report->call_id, report->activation_token);
  else
    g_signal_emit (self, signals[SENT], 0, report->serial, report->error);

  return G_SOURCE_REMOVE;
}

static void
post_report (Worker *worker,
             Report *report)
{
  report->worker = worker_ref (worker);
  g_main_context_invoke_full (worker->owner_context, G_PRIORITY_DEFAULT,
                              deliver_report_cb, report, report_free);
}

static void
post_sent (Worker *worker,
           guint   serial,
           GError *error)
{
  Report *report = g_new0 (Report, 1);

  report->serial = serial;
  report->error = error != NULL ? g_error_copy (error) : NULL;
  post_report (worker, report);
}

/* libnotify calls this on the notifications thread: its D-Bus proxy was
 * made there, with that thread's context as the default. */
static void
on_action_cb (NotifyNotification *notification,
              char               *action,
              gpointer            user_data)
{
  ActionData *data = user_data;
  Report *report = g_new0 (Report, 1);

  /* A click on the notification itself opens the call. */
  report->action = g_strdup (g_str_equal (action, "default") ? "open" : action);
  report->call_id = data->call_id;
  report->activation_token = g_strdup (notify_notification_get_activation_token (notification));
  post_report (data->worker, report);
}

typedef struct
{
  Worker             *worker;
  NotifyNotification *notification;
} Forget;

static gboolean
forget_closed_cb (gpointer data)
{
  Forget *forget = data;
  const char *key = g_object_get_data (G_OBJECT (forget->notification), "rcrp-key");

  if (key != NULL && g_hash_table_lookup (forget->worker->shown, key) == forget->notification)
    g_hash_table_remove (forget->worker->shown, key);

  return G_SOURCE_REMOVE;
}

static void
forget_free (gpointer data)
{
  Forget *forget = data;

  g_object_unref (forget->notification);
  worker_unref (forget->worker);
  g_free (forget);
}

static void
on_notification_closed_cb (NotifyNotification *notification,
                           Worker             *worker)
{
  g_autoptr(GSource) source = g_idle_source_new ();
  Forget *forget = g_new0 (Forget, 1);

  /* Not during libnotify's own emission, which goes on using the object. */
  forget->worker = worker_ref (worker);
  forget->notification = g_object_ref (notification);
  g_source_set_callback (source, forget_closed_cb, forget, forget_free);
  g_source_set_static_name (source, "[rcrp] forget closed notification");
  g_source_attach (source, worker->context);
}

static gboolean
is_closed (NotifyNotification *notification)
{
  return notify_notification_get_closed_reason (notification) != NOTIFY_CLOSED_REASON_UNSET;
}

static gboolean
check_server (Worker  *worker,
              GError **error)
{
  GList *caps;

  if (worker->server_checked)
    return TRUE;

  /* One look, whose failure is quiet; notify_get_server_caps() would warn
   * when nobody answers. */
  if (!notify_get_server_info (NULL, NULL, NULL, NULL))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                           _("No desktop notification server answered"));
      return FALSE;
    }

  caps = notify_get_server_caps ();
  worker->body_markup = g_list_find_custom (caps, "body-markup", (GCompareFunc) g_strcmp0) != NULL;
  g_list_free_full (caps, g_free);
  worker->server_checked = TRUE;

  return TRUE;
}

/* The notification to show @key in: the one already there, else the one
 * of @adopt_key, else a new one. One object per notification on screen,
 * so libnotify never sees two objects with one id.
 */
static NotifyNotification *
take_notification (Worker     *worker,
                   const char *key,
                   const char *adopt_key)
{
  NotifyNotification *notification = g_hash_table_lookup (worker->shown, key);

  if (notification != NULL && is_closed (notification))
    {
      g_hash_table_remove (worker->shown, key);
      notification = NULL;
    }

  if (adopt_key != NULL && g_strcmp0 (adopt_key, key) != 0)
    {
      NotifyNotification *adopted = g_hash_table_lookup (worker->shown, adopt_key);

      if (adopted != NULL && notification == NULL && !is_closed (adopted))
        {
          notification = adopted;
          g_object_ref (notification);
          g_hash_table_remove (worker->shown, adopt_key);
          return notification;
        }
      else if (adopted != NULL)
        {
          if (!is_closed (adopted))
            notify_notification_close (adopted, NULL);
          g_hash_table_remove (worker->shown, adopt_key);
        }
    }

  if (notification != NULL)
    return g_object_ref (notification);

  notification = notify_notification_new ("", NULL, NULL);
  g_signal_connect (notification, "closed", G_CALLBACK (on_notification_closed_cb), worker);

  return notification;
}

static NotifyUrgency
notify_urgency (RcrpAlertUrgency urgency)
{
  switch (urgency)
    {
    case RCRP_ALERT_URGENCY_LOW:
      return NOTIFY_URGENCY_LOW;

    case RCRP_ALERT_URGENCY_CRITICAL:
      return NOTIFY_URGENCY_CRITICAL;

    case RCRP_ALERT_URGENCY_NORMAL:
    default:
      return NOTIFY_URGENCY_NORMAL;
    }
}

static void
add_action (NotifyNotification *notification,
            Worker             *worker,
            const char         *action,
            const char         *label,
            gint64              call_id)
{
  ActionData *data = g_new0 (ActionData, 1);

  /* The worker outlives every notification it holds. */
  data->worker = worker;
  data->call_id = call_id;
  notify_notification_add_action (notification, action, label, on_action_cb, data, g_free);
}

static void
fill (NotifyNotification *notification,
      Worker             *worker,
      Job                *job)
{
  g_autofree char *body = NULL;
  gboolean critical = job->urgency == RCRP_ALERT_URGENCY_CRITICAL;

  body = worker->body_markup ? g_markup_escape_text (job->body, -1) : g_strdup (job->body);
  notify_notification_update (notification, job->title, body, APPLICATION_ID);

  notify_notification_clear_hints (notification);
  notify_notification_set_urgency (notification, notify_urgency (job->urgency));
  /* A critical notification stays until someone deals with it. */
  notify_notification_set_timeout (notification, critical ? NOTIFY_EXPIRES_NEVER : NOTIFY_EXPIRES_DEFAULT);
  if (job->sound)
    notify_notification_set_hint (notification, "sound-name",
                                  g_variant_new_string (critical ? "dialog-warning" : "message-new-instant"));
  else
    notify_notification_set_hint (notification, "suppress-sound", g_variant_new_boolean (TRUE));

  notify_notification_clear_actions (notification);
  add_action (notification, worker, "default", _("Open"), job->call_id);
  add_action (notification, worker, "open", _("Open"), job->call_id);
  if (job->can_claim)
    add_action (notification, worker, "claim", _("Claim"), job->call_id);
}

static void
show_job (Job *job)
{
  Worker *worker = job->worker;
  NotifyNotification *notification;
  g_autoptr(GError) error = NULL;

  if (!check_server (worker, &error))
    {
      post_sent (worker, job->serial, error);
      return;
    }

  notification = take_notification (worker, job->key, job->adopt_key);
  fill (notification, worker, job);
  g_object_set_data_full (G_OBJECT (notification), "rcrp-key", g_strdup (job->key), g_free);
  g_hash_table_replace (worker->shown, g_strdup (job->key), g_object_ref (notification));

  if (!notify_notification_show (notification, &error))
    {
      /* Gone, or never there: look for it afresh next time. */
      worker->server_checked = FALSE;
      g_hash_table_remove (worker->shown, job->key);
    }

  g_object_unref (notification);
  post_sent (worker, job->serial, error);
}

static void
withdraw_job (Job *job)
{
  NotifyNotification *notification = g_hash_table_lookup (job->worker->shown, job->key);

  if (notification == NULL)
    return;

  if (!is_closed (notification) && job->worker->server_checked)
    notify_notification_close (notification, NULL);
  g_hash_table_remove (job->worker->shown, job->key);
}

static void
quit_job (Job *job)
{
  Worker *worker = job->worker;
  GHashTableIter iter;
  gpointer value;

  if (worker->server_checked)
    {
      g_hash_table_iter_init (&iter, worker->shown);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        if (!is_closed (value))
          notify_notification_close (value, NULL);
    }

  g_main_loop_quit (worker->loop);
}

static gboolean
run_job_cb (gpointer data)
{
  Job *job = data;

  switch (job->kind)
    {
    case JOB_SHOW:
      show_job (job);
      break;

    case JOB_WITHDRAW:
      withdraw_job (job);
      break;

    case JOB_QUIT:
    default:
      quit_job (job);
      break;
    }

  return G_SOURCE_REMOVE;
}

static gpointer
worker_thread (gpointer data)
{
  Worker *worker = data;

  /* libnotify makes its D-Bus proxy on first use, here, so its signals
   * (actions, closing) come to this thread's context too. */
  g_main_context_push_thread_default (worker->context);
  notify_init (worker->app_name);

  g_main_loop_run (worker->loop);

  /* The notifications go on the thread that made them. */
  g_hash_table_remove_all (worker->shown);
  g_main_context_pop_thread_default (worker->context);

  g_mutex_lock (&worker->mutex);
  worker->finished = TRUE;
  g_cond_signal (&worker->cond);
  g_mutex_unlock (&worker->mutex);

  worker_unref (worker);

  return NULL;
}

static void
post_job (RcrpDesktopNotifications *self,
          Job                      *job)
{
  job->worker = worker_ref (self->worker);
  g_main_context_invoke_full (self->worker->context, G_PRIORITY_DEFAULT, run_job_cb, job, job_free);
}

/* GObject ----------------------------------------------------------------------------- */

static void
rcrp_desktop_notifications_dispose (GObject *object)
{
  RcrpDesktopNotifications *self = RCRP_DESKTOP_NOTIFICATIONS (object);

  rcrp_desktop_notifications_shutdown (self);

  G_OBJECT_CLASS (rcrp_desktop_notifications_parent_class)->dispose (object);
}

static void
rcrp_desktop_notifications_finalize (GObject *object)
{
  RcrpDesktopNotifications *self = RCRP_DESKTOP_NOTIFICATIONS (object);

  g_clear_pointer (&self->worker, worker_unref);

  G_OBJECT_CLASS (rcrp_desktop_notifications_parent_class)->finalize (object);
}

static void
rcrp_desktop_notifications_class_init (RcrpDesktopNotificationsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rcrp_desktop_notifications_dispose;
  object_class->finalize = rcrp_desktop_notifications_finalize;

  signals[SENT] =
    g_signal_new ("sent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_ERROR);
  signals[ACTION] =
    g_signal_new ("action", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_INT64, G_TYPE_STRING);
}

static void
rcrp_desktop_notifications_init (RcrpDesktopNotifications *self)
{
}

RcrpDesktopNotifications *
rcrp_desktop_notifications_new (const char *app_name)
{
  RcrpDesktopNotifications *self = g_object_new (RCRP_TYPE_DESKTOP_NOTIFICATIONS, NULL);
  Worker *worker = g_new0 (Worker, 1);

  g_atomic_ref_count_init (&worker->ref_count);
  worker->context = g_main_context_new ();
  worker->loop = g_main_loop_new (worker->context, FALSE);
  worker->owner_context = g_main_context_ref_thread_default ();
  worker->app_name = g_strdup (app_name);
  worker->shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  g_weak_ref_init (&worker->owner, self);
  g_mutex_init (&worker->mutex);
  g_cond_init (&worker->cond);

  self->worker = worker;
  self->thread = g_thread_new ("rcrp-notify", worker_thread, worker_ref (worker));

  return self;
}

guint
rcrp_desktop_notifications_show (RcrpDesktopNotifications *self,
                                 const RcrpAlert          *alert,
                                 const char               *adopt_key,
                                 gboolean                  can_claim,
                                 gboolean                  sound)
{
  Job *job;

  g_return_val_if_fail (RCRP_IS_DESKTOP_NOTIFICATIONS (self), 0);
  g_return_val_if_fail (alert != NULL, 0);

  job = g_new0 (Job, 1);
  job->kind = JOB_SHOW;
  job->serial = ++self->last_serial;
  job->key = g_strdup (alert->key);
  job->adopt_key = g_strdup (adopt_key);
  job->title = g_strdup (alert->title);
  job->body = g_strdup (alert->body);
  job->urgency = alert->urgency;
  job->call_id = alert->call_id;
  job->can_claim = can_claim && alert->call_id != 0;
  job->sound = sound;

  if (self->thread == NULL)
    {
      Report *report = g_new0 (Report, 1);
      g_autoptr(GSource) source = g_idle_source_new ();

      /* Said later, like every other answer, so callers see one order. */
      report->worker = worker_ref (self->worker);
      report->serial = job->serial;
      report->error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CLOSED, _("Desktop notifications have stopped"));
      g_source_set_callback (source, deliver_report_cb, report, report_free);
      g_source_attach (source, self->worker->owner_context);
      job_free (job);

      return self->last_serial;
    }

  post_job (self, job);

  return self->last_serial;
}

void
rcrp_desktop_notifications_withdraw (RcrpDesktopNotifications *self,
                                     const char               *key)
{
  Job *job;

  g_return_if_fail (RCRP_IS_DESKTOP_NOTIFICATIONS (self));
  g_return_if_fail (key != NULL);

  if (self->thread == NULL)
    return;

  job = g_new0 (Job, 1);
  job->kind = JOB_WITHDRAW;
  job->key = g_strdup (key);
  post_job (self, job);
}

void
rcrp_desktop_notifications_shutdown (RcrpDesktopNotifications *self)
{
  Job *job;
  gint64 deadline;
  gboolean finished;

  g_return_if_fail (RCRP_IS_DESKTOP_NOTIFICATIONS (self));

  if (self->thread == NULL)
    return;

  job = g_new0 (Job, 1);
  job->kind = JOB_QUIT;
  post_job (self, job);

  deadline = g_get_monotonic_time () + SHUTDOWN_WAIT_USEC;
  g_mutex_lock (&self->worker->mutex);
  while (!self->worker->finished)
    if (!g_cond_wait_until (&self->worker->cond, &self->worker->mutex, deadline))
      break;
  finished = self->worker->finished;
  g_mutex_unlock (&self->worker->mutex);

  /* A thread stuck in a call to a hung server ends on its own when the
   * call times out; it holds its own reference to what it uses. */
  if (finished)
    g_thread_join (self->thread);
  else
    g_thread_unref (self->thread);
  self->thread = NULL;

  g_weak_ref_set (&self->worker->owner, NULL);
}

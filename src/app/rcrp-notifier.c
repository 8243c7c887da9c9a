/* rcrp-notifier.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "rcrp-alert-watch.h"
#include "rcrp-desktop-notifications.h"
#include "rcrp-notifier-private.h"

/* The store's change counter costs next to nothing to read, so it is read
 * often: a call stored at another workstation is said within this.
 */
#define LOOK_INTERVAL_MSEC 200

/* The first look waits for the window to be on screen: it reads from the
 * same store as the queue being shown, and on two cores competes with it. */
#define FIRST_LOOK_MSEC 1000

/* A notification server slower than this is as good as absent for the
 * alert at hand: it is shown in the window, and later alerts go there
 * straight away until the server answers again.
 */
#define PATIENCE_USEC (G_USEC_PER_SEC)
#define WATCHDOG_INTERVAL_MSEC 100

/* Noise control: up to this many calls arriving together are notified
 * one by one; from the next one on, a single summary stands for them all,
 * brought up to date at most once a second, until things are quiet for
 * two seconds.
 */
#define MAX_SINGLES 2
#define SUMMARY_INTERVAL_USEC (G_USEC_PER_SEC)
#define QUIET_MSEC 2000

#define TOAST_TIMEOUT_SECONDS 10

typedef enum
{
  STREAM_NEW,
  STREAM_UPDATED,
  STREAM_WAITING,
  N_STREAMS
} StreamId;

typedef struct
{
  RcrpNotifier  *notifier;
  RcrpAlertKind  kind;
  const char    *key;
  GPtrArray     *singles;         /* keys of the calls notified one by one */
  guint          count;
  guint          count_grade_1;
  RcrpAlert     *most_urgent;
  gboolean       summarised;
  gboolean       dirty;
  gint64         last_summary_at;
  guint          quiet_source;
  guint          update_source;
} Stream;

/* An alert the notification server has not answered for yet. */
typedef struct
{
  RcrpAlert *alert;
  gint64     since;
  gboolean   in_window;
} Outstanding;

/* An alert kept back while the server does not answer, latest per key. */
typedef struct
{
  RcrpAlert *alert;
  char      *adopt_key;
  gboolean   can_claim;
} Held;

struct _RcrpNotifier
{
  GObject                   parent_instance;

  RcrpContext              *context;
  RcrpSettings             *settings;
  RcrpAlertWatch           *watch;
  RcrpDesktopNotifications *desktop;

  guint                     look_source;
  guint                     watchdog_source;
  GHashTable               *outstanding;   /* serial → Outstanding */
  GPtrArray                *held;          /* of Held, oldest first */
  gboolean                  server_stuck;
  GHashTable               *toasts;        /* key → AdwToast in the window */
  Stream                    streams[N_STREAMS];
  char                     *last_look_error;
  guint                     quiet_msec;
  gboolean                  looking;       /* a look runs on a worker */
  gboolean                  look_again;    /* and another is wanted after it */
};

G_DEFINE_FINAL_TYPE (RcrpNotifier, rcrp_notifier, G_TYPE_OBJECT)

enum {
  OPEN_CALL,
  CLAIM_CALL,
  SHOW_TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
outstanding_free (gpointer data)
{
  Outstanding *outstanding = data;

  rcrp_alert_free (outstanding->alert);
  g_free (outstanding);
}

static void
held_free (gpointer data)
{
  Held *held = data;

  rcrp_alert_free (held->alert);
  g_free (held->adopt_key);
  g_free (held);
}

static gboolean
get_boolean_setting (RcrpNotifier *self,
                     const char   *name,
                     gboolean      fallback)
{
  gboolean value = fallback;

  if (self->settings != NULL)
    g_object_get (self->settings, name, &value, NULL);

  return value;
}

/* Do not disturb holds back everything but critical alerts. */
static gboolean
is_held_back (RcrpNotifier    *self,
              const RcrpAlert *alert)
{
  return alert->urgency != RCRP_ALERT_URGENCY_CRITICAL &&
         get_boolean_setting (self, "do-not-disturb", FALSE);
}

static gboolean
is_own (RcrpNotifier *self,
        const char   *origin_workstation)
{
  const char *workstation = rcrp_context_get_workstation (self->context);

  return origin_workstation != NULL && workstation != NULL &&
         g_ascii_strcasecmp (origin_workstation, workstation) == 0;
}

/* In the window ------------------------------------------------------------------------ */

static void
on_toast_dismissed_cb (AdwToast     *toast,
                       RcrpNotifier *self)
{
  const char *key = g_object_get_data (G_OBJECT (toast), "rcrp-key");

  if (key != NULL && g_hash_table_lookup (self->toasts, key) == toast)
    g_hash_table_remove (self->toasts, key);
}

static void
dismiss_toast (RcrpNotifier *self,
               const char   *key)
{
  g_autofree char *stolen_key = NULL;
  g_autoptr(AdwToast) toast = NULL;

  /* Out of the table first, so the "dismissed" handler finds nothing to do. */
  if (g_hash_table_steal_extended (self->toasts, key, (gpointer *) &stolen_key, (gpointer *) &toast))
    adw_toast_dismiss (toast);
}

static void
show_in_window (RcrpNotifier    *self,
                const RcrpAlert *alert)
{
  g_autofree char *first_line = g_strndup (alert->body, strcspn (alert->body, "\n"));
  g_autofree char *text = NULL;
  g_autofree char *markup = NULL;
  AdwToast *toast;

  /* Translators: an alert in the window: its title, then its first line. */
  text = *first_line != '\0' ? g_strdup_printf (_("%s. %s"), alert->title, first_line) : g_strdup (alert->title);
  markup = g_markup_escape_text (text, -1);
  toast = adw_toast_new (markup);

  if (alert->urgency == RCRP_ALERT_URGENCY_CRITICAL)
    {
      adw_toast_set_timeout (toast, 0);
      adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
    }
  else
    {
      adw_toast_set_timeout (toast, TOAST_TIMEOUT_SECONDS);
    }

  if (alert->call_id != 0)
    {
      adw_toast_set_button_label (toast, _("Open"));
      adw_toast_set_action_name (toast, "app.open-call");
      adw_toast_set_action_target_value (toast, g_variant_new_int64 (alert->call_id));
    }

  /* Replaced, not stacked, in the window as on the desktop. */
  dismiss_toast (self, alert->key);
  g_object_set_data_full (G_OBJECT (toast), "rcrp-key", g_strdup (alert->key), g_free);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (on_toast_dismissed_cb), self, 0);
  g_hash_table_replace (self->toasts, g_strdup (alert->key), toast);

  g_signal_emit (self, signals[SHOW_TOAST], 0, toast);
}

/* On the desktop ----------------------------------------------------------------------- */

static void
hold (RcrpNotifier    *self,
      const RcrpAlert *alert,
      const char      *adopt_key,
      gboolean         can_claim)
{
  Held *held = g_new0 (Held, 1);

  for (guint i = 0; i < self->held->len; i++)
    if (g_str_equal (((Held *) g_ptr_array_index (self->held, i))->alert->key, alert->key))
      g_ptr_array_remove_index (self->held, i--);

  held->alert = rcrp_alert_copy (alert);
  held->adopt_key = g_strdup (adopt_key);
  held->can_claim = can_claim;
  g_ptr_array_add (self->held, held);
}

static guint deliver (RcrpNotifier    *self,
                      const RcrpAlert *alert,
                      const char      *adopt_key,
                      gboolean         can_claim);

static gboolean
on_watchdog_timeout_cb (gpointer user_data)
{
  RcrpNotifier *self = user_data;
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->outstanding);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Outstanding *outstanding = value;

      if (!outstanding->in_window && now - outstanding->since > PATIENCE_USEC)
        {
          g_debug ("The notification server has not answered for %" G_GINT64_FORMAT " ms; "
                   "showing alerts in the window", (now - outstanding->since) / 1000);
          outstanding->in_window = TRUE;
          self->server_stuck = TRUE;
          show_in_window (self, outstanding->alert);
        }
    }

  if (g_hash_table_size (self->outstanding) > 0)
    return G_SOURCE_CONTINUE;

  self->watchdog_source = 0;
  return G_SOURCE_REMOVE;
}

/* Returns the serial of the desktop notification, or 0 if it was kept
 * back for a server that does not answer. */
static guint
deliver (RcrpNotifier    *self,
         const RcrpAlert *alert,
         const char      *adopt_key,
         gboolean         can_claim)
{
  Outstanding *outstanding;
  guint serial;

  if (self->desktop == NULL)
    return 0;

  if (self->server_stuck)
    {
      show_in_window (self, alert);
      hold (self, alert, adopt_key, can_claim);
      return 0;
    }

  outstanding = g_new0 (Outstanding, 1);
  outstanding->alert = rcrp_alert_copy (alert);
  outstanding->since = g_get_monotonic_time ();

  serial = rcrp_desktop_notifications_show (self->desktop, alert, adopt_key, can_claim,
                                            get_boolean_setting (self, "notification-sounds", TRUE));
  g_hash_table_insert (self->outstanding, GUINT_TO_POINTER (serial), outstanding);

  if (self->watchdog_source == 0)
    self->watchdog_source = g_timeout_add (WATCHDOG_INTERVAL_MSEC, on_watchdog_timeout_cb, self);

  return serial;
}

static void
withdraw (RcrpNotifier *self,
          const char   *key)
{
  for (guint i = 0; i < self->held->len; i++)
    if (g_str_equal (((Held *) g_ptr_array_index (self->held, i))->alert->key, key))
      g_ptr_array_remove_index (self->held, i--);

  for (guint s = 0; s < N_STREAMS; s++)
    {
      guint index;

      if (g_ptr_array_find_with_equal_func (self->streams[s].singles, key, g_str_equal, &index))
        g_ptr_array_remove_index (self->streams[s].singles, index);
    }

  dismiss_toast (self, key);
  if (self->desktop != NULL)
    rcrp_desktop_notifications_withdraw (self->desktop, key);
}

static void
on_desktop_sent_cb (RcrpDesktopNotifications *desktop,
            guint                     serial,
            const GError             *error,
            RcrpNotifier             *self)
{
  Outstanding *outstanding = g_hash_table_lookup (self->outstanding, GUINT_TO_POINTER (serial));

  if (outstanding == NULL)
    return;

  if (error != NULL)
    {
      g_debug ("Desktop notification not shown: %s", error->message);
      if (!outstanding->in_window)
        show_in_window (self, outstanding->alert);
    }

  g_hash_table_remove (self->outstanding, GUINT_TO_POINTER (serial));

  /* The server answered again: what was kept back goes out, as it now stands. */
  if (self->server_stuck && g_hash_table_size (self->outstanding) == 0)
    {
      g_autoptr(GPtrArray) held = g_steal_pointer (&self->held);

      self->held = g_ptr_array_new_with_free_func (held_free);
      self->server_stuck = FALSE;

      for (guint i = 0; i < held->len; i++)
        {
          Held *item = g_ptr_array_index (held, i);
          guint resent = deliver (self, item->alert, item->adopt_key, item->can_claim);
          Outstanding *again = g_hash_table_lookup (self->outstanding, GUINT_TO_POINTER (resent));

          /* Already shown in the window once. */
          if (again != NULL)
            again->in_window = TRUE;
        }
    }
}

static void
on_desktop_action_cb (RcrpDesktopNotifications *desktop,
              const char               *action,
              gint64                    call_id,
              const char               *activation_token,
              RcrpNotifier             *self)
{
  if (g_str_equal (action, "open"))
    g_signal_emit (self, signals[OPEN_CALL], 0, call_id, activation_token);
  else if (g_str_equal (action, "claim"))
    g_signal_emit (self, signals[CLAIM_CALL], 0, call_id);
}

/* Noise control ------------------------------------------------------------------------- */

static char *
summary_title (Stream *stream)
{
  g_autofree char *count = NULL;
  g_autofree char *grade_1 = NULL;
  guint n = stream->count;

  switch (stream->kind)
    {
    case RCRP_ALERT_NEW_CALL:
      count = g_strdup_printf (ngettext ("%u new call", "%u new calls", n), n);
      break;

    case RCRP_ALERT_CALL_UPDATED:
      count = g_strdup_printf (ngettext ("%u call updated", "%u calls updated", n), n);
      break;

    case RCRP_ALERT_CALL_WAITING:
    default:
      count = g_strdup_printf (ngettext ("%u call waiting past its target",
                                         "%u calls waiting past their target", n), n);
      break;
    }

  if (stream->count_grade_1 == 0)
    return g_steal_pointer (&count);

  grade_1 = g_strdup_printf (ngettext ("%u grade 1", "%u grade 1", stream->count_grade_1),
                             stream->count_grade_1);
  /* Translators: a summary's count, then how many of them are grade 1:
   * "20 new calls, 3 grade 1". */
  return g_strdup_printf (C_("summary", "%s, %s"), count, grade_1);
}

static void
send_summary (Stream *stream)
{
  RcrpNotifier *self = stream->notifier;
  const RcrpAlert *most_urgent = stream->most_urgent;
  g_autoptr(RcrpAlert) summary = g_new0 (RcrpAlert, 1);
  g_autoptr(GPtrArray) singles = NULL;
  const char *adopt_key = NULL;

  summary->kind = stream->kind;
  summary->key = g_strdup (stream->key);
  summary->urgency = stream->count_grade_1 > 0 ? RCRP_ALERT_URGENCY_CRITICAL : RCRP_ALERT_URGENCY_NORMAL;
  summary->call_id = most_urgent->call_id;
  summary->cad_ref = g_strdup (most_urgent->cad_ref);
  summary->grade = most_urgent->grade;
  summary->category = most_urgent->category;
  summary->title = summary_title (stream);
  /* Translators: "Most urgent: HC-20261122-0042, grade 1, Concern for welfare". */
  summary->body = g_strdup_printf (_("Most urgent: %s, grade %d, %s"), most_urgent->cad_ref, most_urgent->grade,
                                   rcrp_category_get_label (most_urgent->category));

  /* The summary takes the place of the first call it stands for; the
   * others' notifications go. */
  singles = g_steal_pointer (&stream->singles);
  stream->singles = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < singles->len; i++)
    {
      const char *key = g_ptr_array_index (singles, i);

      dismiss_toast (self, key);
      if (i == 0)
        adopt_key = key;
      else
        withdraw (self, key);
    }

  deliver (self, summary, adopt_key, FALSE);

  stream->summarised = TRUE;
  stream->dirty = FALSE;
  stream->last_summary_at = g_get_monotonic_time ();
}

static gboolean
on_stream_update_timeout_cb (gpointer user_data)
{
  Stream *stream = user_data;

  stream->update_source = 0;
  if (stream->dirty)
    send_summary (stream);

  return G_SOURCE_REMOVE;
}

static void
stream_reset (Stream *stream)
{
  g_clear_handle_id (&stream->update_source, g_source_remove);
  g_clear_handle_id (&stream->quiet_source, g_source_remove);
  g_ptr_array_set_size (stream->singles, 0);
  g_clear_pointer (&stream->most_urgent, rcrp_alert_free);
  stream->count = 0;
  stream->count_grade_1 = 0;
  stream->summarised = FALSE;
  stream->dirty = FALSE;
}

static gboolean
on_stream_quiet_timeout_cb (gpointer user_data)
{
  Stream *stream = user_data;

  stream->quiet_source = 0;
  if (stream->dirty)
    send_summary (stream);
  stream_reset (stream);

  return G_SOURCE_REMOVE;
}

static void
stream_arrive (Stream    *stream,
               GPtrArray *alerts)
{
  RcrpNotifier *self = stream->notifier;

  for (guint i = 0; i < alerts->len; i++)
    {
      const RcrpAlert *alert = g_ptr_array_index (alerts, i);

      stream->count++;
      if (alert->grade == 1)
        stream->count_grade_1++;
      if (stream->most_urgent == NULL || alert->grade < stream->most_urgent->grade)
        {
          g_clear_pointer (&stream->most_urgent, rcrp_alert_free);
          stream->most_urgent = rcrp_alert_copy (alert);
        }
    }

  g_clear_handle_id (&stream->quiet_source, g_source_remove);
  stream->quiet_source = g_timeout_add (self->quiet_msec, on_stream_quiet_timeout_cb, stream);

  if (!stream->summarised && stream->count <= MAX_SINGLES)
    {
      for (guint i = 0; i < alerts->len; i++)
        {
          const RcrpAlert *alert = g_ptr_array_index (alerts, i);

          deliver (self, alert, NULL, TRUE);
          if (!g_ptr_array_find_with_equal_func (stream->singles, alert->key, g_str_equal, NULL))
            g_ptr_array_add (stream->singles, g_strdup (alert->key));
        }
      return;
    }

  if (!stream->summarised)
    {
      send_summary (stream);
      return;
    }

  stream->dirty = TRUE;
  if (stream->update_source == 0)
    {
      gint64 wait = stream->last_summary_at + SUMMARY_INTERVAL_USEC - g_get_monotonic_time ();

      stream->update_source = g_timeout_add (MAX (wait, 0) / 1000, on_stream_update_timeout_cb, stream);
    }
}

static StreamId
stream_for (RcrpAlertKind kind)
{
  switch (kind)
    {
    case RCRP_ALERT_NEW_CALL:
      return STREAM_NEW;

    case RCRP_ALERT_CALL_UPDATED:
      return STREAM_UPDATED;

    case RCRP_ALERT_CALL_WAITING:
    default:
      return STREAM_WAITING;
    }
}

/* Looking ---------------------------------------------------------------------------------- */

/* A look reads the store: the log since the last one, a page of the calls
 * past their target, and each call it tells of whole, for the names that
 * must stay out of the text, which means its feed document. That can take
 * a tenth of a second, so it runs on a worker, one look at a time; what it
 * found is said here, on the main thread. */
static void
look_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  RcrpAlertWatch *watch = task_data;
  GError *error = NULL;
  GPtrArray *alerts;

  alerts = rcrp_alert_watch_look (watch, &error);
  if (alerts == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, alerts, (GDestroyNotify) g_ptr_array_unref);
}

static void look (RcrpNotifier *self);

static void
on_looked_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  RcrpNotifier *self = RCRP_NOTIFIER (object);
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *batches[N_STREAMS] = { NULL };

  self->looking = FALSE;
  alerts = g_task_propagate_pointer (G_TASK (result), &error);

  /* Shut down meanwhile: nobody to tell. */
  if (self->look_source == 0)
    return;

  if (alerts == NULL)
    {
      /* The window says what is wrong with the store; once is enough here. */
      if (g_strcmp0 (self->last_look_error, error->message) != 0)
        {
          g_debug ("Looking for alerts: %s", error->message);
          g_free (self->last_look_error);
          self->last_look_error = g_strdup (error->message);
        }
      return;
    }

  g_clear_pointer (&self->last_look_error, g_free);

  for (guint i = 0; i < alerts->len; i++)
    {
      RcrpAlert *alert = g_ptr_array_index (alerts, i);
      StreamId id;

      if (alert->kind == RCRP_ALERT_CALL_DECIDED)
        {
          withdraw (self, alert->key);
          continue;
        }

      if (is_held_back (self, alert))
        continue;

      id = stream_for (alert->kind);
      if (batches[id] == NULL)
        batches[id] = g_ptr_array_new ();
      g_ptr_array_add (batches[id], alert);
    }

  for (guint s = 0; s < N_STREAMS; s++)
    {
      if (batches[s] == NULL)
        continue;

      stream_arrive (&self->streams[s], batches[s]);
      g_ptr_array_unref (batches[s]);
    }

  /* Asked for meanwhile (a file from the spool): at once, not at the next tick. */
  if (self->look_again)
    {
      self->look_again = FALSE;
      look (self);
    }
}

static void
look (RcrpNotifier *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->looking)
    {
      self->look_again = TRUE;
      return;
    }

  self->looking = TRUE;
  task = g_task_new (self, NULL, on_looked_cb, NULL);
  g_task_set_source_tag (task, look);
  g_task_set_task_data (task, g_object_ref (self->watch), g_object_unref);
  g_task_run_in_thread (task, look_thread);
}

static gboolean
on_look_timeout_cb (gpointer user_data)
{
  look (user_data);

  return G_SOURCE_CONTINUE;
}

static gboolean
on_first_look_timeout_cb (gpointer user_data)
{
  RcrpNotifier *self = user_data;

  look (self);
  self->look_source = g_timeout_add (LOOK_INTERVAL_MSEC, on_look_timeout_cb, self);

  return G_SOURCE_REMOVE;
}

static void
apply_targets (RcrpNotifier *self)
{
  if (self->settings == NULL)
    return;

  for (int grade = 1; grade <= 4; grade++)
    {
      g_autofree char *name = g_strdup_printf ("waiting-target-grade-%d", grade);
      int minutes = 0;

      g_object_get (self->settings, name, &minutes, NULL);
      if (minutes > 0)
        rcrp_alert_watch_set_target_minutes (self->watch, grade, minutes);
    }
}

static void
on_settings_notify_cb (RcrpSettings *settings,
                       GParamSpec   *pspec,
                       RcrpNotifier *self)
{
  if (g_str_has_prefix (pspec->name, "waiting-target-grade-"))
    apply_targets (self);
}

/* GObject ----------------------------------------------------------------------------------- */

static void
rcrp_notifier_dispose (GObject *object)
{
  RcrpNotifier *self = RCRP_NOTIFIER (object);

  rcrp_notifier_shutdown (self);

  G_OBJECT_CLASS (rcrp_notifier_parent_class)->dispose (object);
}

static void
rcrp_notifier_finalize (GObject *object)
{
  RcrpNotifier *self = RCRP_NOTIFIER (object);

  for (guint s = 0; s < N_STREAMS; s++)
    {
      g_clear_pointer (&self->streams[s].singles, g_ptr_array_unref);
      g_clear_pointer (&self->streams[s].most_urgent, rcrp_alert_free);
    }

  g_clear_object (&self->context);
  g_clear_object (&self->settings);
  g_clear_object (&self->watch);
  g_clear_pointer (&self->outstanding, g_hash_table_unref);
  g_clear_pointer (&self->held, g_ptr_array_unref);
  g_clear_pointer (&self->toasts, g_hash_table_unref);
  g_clear_pointer (&self->last_look_error, g_free);

  G_OBJECT_CLASS (rcrp_notifier_parent_class)->finalize (object);
}

static void
rcrp_notifier_class_init (RcrpNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rcrp_notifier_dispose;
  object_class->finalize = rcrp_notifier_finalize;

  signals[OPEN_CALL] =
    g_signal_new ("open-call", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_STRING);
  signals[CLAIM_CALL] =
    g_signal_new ("claim-call", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[SHOW_TOAST] =
    g_signal_new ("show-toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, ADW_TYPE_TOAST);
}

static void
rcrp_notifier_init (RcrpNotifier *self)
{
  static const char * const stream_keys[N_STREAMS] = { "calls:new", "calls:updated", "calls:waiting" };
  static const RcrpAlertKind stream_kinds[N_STREAMS] = {
    RCRP_ALERT_NEW_CALL, RCRP_ALERT_CALL_UPDATED, RCRP_ALERT_CALL_WAITING,
  };

  self->quiet_msec = QUIET_MSEC;
  self->outstanding = g_hash_table_new_full (NULL, NULL, NULL, outstanding_free);
  self->held = g_ptr_array_new_with_free_func (held_free);
  self->toasts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);

  for (guint s = 0; s < N_STREAMS; s++)
    {
      self->streams[s].notifier = self;
      self->streams[s].kind = stream_kinds[s];
      self->streams[s].key = stream_keys[s];
      self->streams[s].singles = g_ptr_array_new_with_free_func (g_free);
    }
}

RcrpNotifier *
rcrp_notifier_new (RcrpContext  *context,
                   RcrpSettings *settings)
{
  RcrpNotifier *self;

  g_return_val_if_fail (RCRP_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (settings == NULL || RCRP_IS_SETTINGS (settings), NULL);

  self = g_object_new (RCRP_TYPE_NOTIFIER, NULL);
  self->context = g_object_ref (context);
  self->settings = settings != NULL ? g_object_ref (settings) : NULL;
  self->watch = rcrp_alert_watch_new (rcrp_context_get_store (context), rcrp_context_get_clock (context));
  self->desktop = rcrp_desktop_notifications_new (_("Right Care Coordinator"));

  g_signal_connect_object (self->desktop, "sent", G_CALLBACK (on_desktop_sent_cb), self, 0);
  g_signal_connect_object (self->desktop, "action", G_CALLBACK (on_desktop_action_cb), self, 0);
  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "notify", G_CALLBACK (on_settings_notify_cb), self, 0);

  apply_targets (self);

  return self;
}

void
rcrp_notifier_start (RcrpNotifier *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (RCRP_IS_NOTIFIER (self));

  if (self->look_source != 0 || self->desktop == NULL)
    return;

  /* If the store cannot be read now, the first look tries again. */
  if (!rcrp_alert_watch_start (self->watch, &error))
    g_debug ("Starting the alert watch: %s", error->message);

  self->look_source = g_timeout_add (FIRST_LOOK_MSEC, on_first_look_timeout_cb, self);
}

void
rcrp_notifier_look_now (RcrpNotifier *self)
{
  g_return_if_fail (RCRP_IS_NOTIFIER (self));

  if (self->look_source != 0)
    look (self);
}

void
rcrp_notifier_shutdown (RcrpNotifier *self)
{
  g_return_if_fail (RCRP_IS_NOTIFIER (self));

  g_clear_handle_id (&self->look_source, g_source_remove);
  g_clear_handle_id (&self->watchdog_source, g_source_remove);
  for (guint s = 0; s < N_STREAMS; s++)
    if (self->streams[s].singles != NULL)
      stream_reset (&self->streams[s]);

  if (self->desktop != NULL)
    {
      rcrp_desktop_notifications_shutdown (self->desktop);
      g_clear_object (&self->desktop);
    }
}

gboolean
rcrp_notifier_notify_appeal (RcrpNotifier *self,
                             gint64        call_id,
                             const char   *reason,
                             gboolean      urgent,
                             const char   *origin_workstation)
{
  g_autoptr(GPtrArray) calls = NULL;
  g_autoptr(RcrpCall) call = NULL;
  g_autoptr(RcrpAlert) alert = NULL;
  g_autoptr(GError) error = NULL;
  RcrpStore *store;

  g_return_val_if_fail (RCRP_IS_NOTIFIER (self), FALSE);

  if (is_own (self, origin_workstation))
    return FALSE;

  /* Read whole, for the names to keep out of the text. */
  store = rcrp_context_get_store (self->context);
  calls = rcrp_store_get_calls_by_id (store, &call_id, 1, &error);
  if (calls != NULL && calls->len == 1)
    call = rcrp_store_get_call (store, rcrp_call_get_cad_ref (g_ptr_array_index (calls, 0)), &error);
  if (call == NULL)
    {
      g_debug ("Appeal on call %" G_GINT64_FORMAT " not notified: %s", call_id,
               error != NULL ? error->message : "no such call");
      return FALSE;
    }

  alert = rcrp_alert_new_appeal (call, reason, urgent);
  if (is_held_back (self, alert))
    return FALSE;

  deliver (self, alert, NULL, FALSE);

  return TRUE;
}

gboolean
rcrp_notifier_notify_appeal_result (RcrpNotifier     *self,
                                    const RcrpAppeal *appeal)
{
  g_autoptr(RcrpCall) call = NULL;
  g_autoptr(RcrpAlert) alert = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (RCRP_IS_NOTIFIER (self), FALSE);
  g_return_val_if_fail (appeal != NULL, FALSE);

  if (appeal->state == RCRP_APPEAL_OPEN)
    return FALSE;

  /* Read whole, for the names to keep out of the text. */
  call = rcrp_store_get_call (rcrp_context_get_store (self->context), appeal->cad_ref, &error);
  if (call == NULL)
    {
      g_debug ("Result of appeal %s not notified: %s", appeal->reference, error->message);
      return FALSE;
    }

  alert = rcrp_alert_new_appeal_result (call, appeal);
  if (is_held_back (self, alert))
    return FALSE;

  deliver (self, alert, NULL, FALSE);

  return TRUE;
}

void
rcrp_notifier_withdraw_appeal (RcrpNotifier *self,
                               gint64        call_id)
{
  g_autofree char *key = NULL;

  g_return_if_fail (RCRP_IS_NOTIFIER (self));

  key = g_strdup_printf ("appeal:%" G_GINT64_FORMAT, call_id);
  withdraw (self, key);
}

gboolean
rcrp_notifier_notify_agency (RcrpNotifier    *self,
                             const char      *agency_id,
                             const char      *agency_name,
                             RcrpAgencyAlert  what,
                             guint            n_pending_referrals,
                             gint64           call_id,
                             const char      *origin_workstation)
{
  g_autoptr(RcrpAlert) alert = NULL;

  g_return_val_if_fail (RCRP_IS_NOTIFIER (self), FALSE);
  g_return_val_if_fail (agency_id != NULL && agency_name != NULL, FALSE);

  if (is_own (self, origin_workstation) || n_pending_referrals == 0)
    return FALSE;

  alert = rcrp_alert_new_agency (agency_id, agency_name, what, n_pending_referrals, call_id);
  if (is_held_back (self, alert))
    return FALSE;

  deliver (self, alert, NULL, FALSE);

  return TRUE;
}

void
rcrp_notifier_withdraw_agency (RcrpNotifier *self,
                               const char   *agency_id)
{
  g_autofree char *key = NULL;

  g_return_if_fail (RCRP_IS_NOTIFIER (self));
  g_return_if_fail (agency_id != NULL);

  key = g_strdup_printf ("agency:%s", agency_id);
  withdraw (self, key);
}

void
_rcrp_notifier_set_quiet_period (RcrpNotifier *self,
                                 guint         msec)
{
  g_return_if_fail (RCRP_IS_NOTIFIER (self));

  self->quiet_msec = msec;
}

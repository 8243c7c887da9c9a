/* rcrp-alert-watch.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rcrp-alert-watch.h"

#define N_GRADES 4

/* Calls are read from the store this many at a time at the start. */
#define READ_PAGE 256

/* What the watch remembers of a call awaiting a decision. */
typedef struct
{
  char         *cad_ref;
  int           grade;
  gint64        received_at;         /* microseconds since the epoch */
  guint         version_count;
  gint64        last_waiting_alert;  /* likewise; 0 when none yet */
} Awaiting;

struct _RcrpAlertWatch
{
  GObject     parent_instance;

  RcrpStore  *store;
  RcrpClock  *clock;
  int         target_minutes[N_GRADES];

  gboolean    started;
  guint64     change_stamp;
  gint64      last_event_id;
  GHashTable *awaiting;   /* call id (gint64 *) → Awaiting */
};

G_DEFINE_FINAL_TYPE (RcrpAlertWatch, rcrp_alert_watch, G_TYPE_OBJECT)

static void
awaiting_free (gpointer data)
{
  Awaiting *awaiting = data;

  g_free (awaiting->cad_ref);
  g_free (awaiting);
}

static gint64
time_to_usec (GDateTime *time)
{
  return time != NULL ? g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time) : 0;
}

static int
grade_index (int grade)
{
  return CLAMP (grade, 1, N_GRADES) - 1;
}

static void
remember (RcrpAlertWatch *self,
          RcrpCall       *call,
          gint64          last_waiting_alert)
{
  Awaiting *awaiting = g_new0 (Awaiting, 1);
  gint64 *id = g_new (gint64, 1);

  *id = rcrp_call_get_id (call);
  awaiting->cad_ref = g_strdup (rcrp_call_get_cad_ref (call));
  awaiting->grade = rcrp_call_get_grade (call);
  awaiting->received_at = time_to_usec (rcrp_call_get_received_at (call));
  awaiting->version_count = rcrp_call_get_version_count (call);
  awaiting->last_waiting_alert = last_waiting_alert;

  g_hash_table_replace (self->awaiting, id, awaiting);
}

static void
rcrp_alert_watch_finalize (GObject *object)
{
  RcrpAlertWatch *self = RCRP_ALERT_WATCH (object);

  g_clear_object (&self->store);
  g_clear_object (&self->clock);
  g_clear_pointer (&self->awaiting, g_hash_table_unref);

  G_OBJECT_CLASS (rcrp_alert_watch_parent_class)->finalize (object);
}

static void
rcrp_alert_watch_class_init (RcrpAlertWatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rcrp_alert_watch_finalize;
}

static void
rcrp_alert_watch_init (RcrpAlertWatch *self)
{
  self->awaiting = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, awaiting_free);
  self->target_minutes[0] = RCRP_DEFAULT_TARGET_GRADE_1;
  self->target_minutes[1] = RCRP_DEFAULT_TARGET_GRADE_2;
  self->target_minutes[2] = RCRP_DEFAULT_TARGET_GRADE_3;
  self->target_minutes[3] = RCRP_DEFAULT_TARGET_GRADE_4;
}

RcrpAlertWatch *
rcrp_alert_watch_new (RcrpStore *store,
                      RcrpClock *clock)
{
  RcrpAlertWatch *self;

  g_return_val_if_fail (RCRP_IS_STORE (store), NULL);
  g_return_val_if_fail (RCRP_IS_CLOCK (clock), NULL);

  self = g_object_new (RCRP_TYPE_ALERT_WATCH, NULL);
  self->store = g_object_ref (store);
  self->clock = g_object_ref (clock);

  return self;
}

void
rcrp_alert_watch_set_target_minutes (RcrpAlertWatch *self,
                                     int             grade,
                                     int             minutes)
{
  g_return_if_fail (RCRP_IS_ALERT_WATCH (self));
  g_return_if_fail (grade >= 1 && grade <= N_GRADES);
  g_return_if_fail (minutes > 0);

  self->target_minutes[grade - 1] = minutes;
}

int
rcrp_alert_watch_get_target_minutes (RcrpAlertWatch *self,
                                     int             grade)
{
  g_return_val_if_fail (RCRP_IS_ALERT_WATCH (self), 0);

  return self->target_minutes[grade_index (grade)];
}

gboolean
rcrp_alert_watch_start (RcrpAlertWatch  *self,
                        GError         **error)
{
  g_autoptr(GArray) ids = NULL;
  gint64 last_event_id;
  guint64 change_stamp;

  g_return_val_if_fail (RCRP_IS_ALERT_WATCH (self), FALSE);

  /* Taken before reading: a call that arrives meanwhile is read twice,
   * which is harmless, rather than missed. */
  change_stamp = rcrp_store_get_change_stamp (self->store);
  last_event_id = rcrp_store_get_last_event_id (self->store, error);
  if (last_event_id < 0)
    return FALSE;

  /* Only the calls still waiting for a decision: a year's decided calls
   * are read by the database, not brought into memory. */
  {
    g_autoptr(RcrpQueueFilter) open = rcrp_queue_filter_new ();

    open->view = RCRP_QUEUE_VIEW_OPEN;
    ids = rcrp_store_list_filtered_ids (self->store, open, error);
    if (ids == NULL)
      return FALSE;
  }

  g_hash_table_remove_all (self->awaiting);

  for (guint first = 0; first < ids->len; first += READ_PAGE)
    {
      guint n = MIN (READ_PAGE, ids->len - first);
      g_autoptr(GPtrArray) calls = NULL;

      calls = rcrp_store_get_calls_by_id (self->store, &g_array_index (ids, gint64, first), n, error);
      if (calls == NULL)
        return FALSE;

      for (guint i = 0; i < calls->len; i++)
        {
          RcrpCall *call = g_ptr_array_index (calls, i);

          if (rcrp_call_get_status (call) != RCRP_CALL_STATUS_DECIDED)
            remember (self, call, 0);
        }
    }

  self->change_stamp = change_stamp;
  self->last_event_id = last_event_id;
  self->started = TRUE;

  return TRUE;
}

static gboolean
catch_up (RcrpAlertWatch  *self,
          GDateTime       *now,
          GPtrArray       *alerts,
          GError         **error)
{
  g_autoptr(GArray) changed = NULL;
  g_autoptr(GPtrArray) calls = NULL;
  gint64 last_event_id = self->last_event_id;
  guint64 change_stamp = rcrp_store_get_change_stamp (self->store);

  if (change_stamp == self->change_stamp)
    return TRUE;

  changed = rcrp_store_changed_calls (self->store, self->last_event_id, &last_event_id, error);
  if (changed == NULL)
    return FALSE;

  if (changed->len > 0)
    {
      calls = rcrp_store_get_calls_by_id (self->store, (const gint64 *) changed->data, changed->len, error);
      if (calls == NULL)
        return FALSE;
    }

  for (guint i = 0; calls != NULL && i < calls->len; i++)
    {
      RcrpCall *call = g_ptr_array_index (calls, i);
      gint64 id = rcrp_call_get_id (call);
      Awaiting *awaiting = g_hash_table_lookup (self->awaiting, &id);
      g_autoptr(RcrpCall) full = NULL;
      g_autoptr(GError) local_error = NULL;
      RcrpAlertKind kind;

      if (rcrp_call_get_status (call) == RCRP_CALL_STATUS_DECIDED)
        {
          if (awaiting != NULL)
            {
              g_ptr_array_add (alerts, rcrp_alert_new_for_call (RCRP_ALERT_CALL_DECIDED, call, 0, 0));
              g_hash_table_remove (self->awaiting, &id);
            }
          continue;
        }

      if (awaiting == NULL)
        /* A call decided before and reopened by the feed is a change, not news. */
        kind = rcrp_call_get_outcome (call) != NULL ? RCRP_ALERT_CALL_UPDATED : RCRP_ALERT_NEW_CALL;
      else if (awaiting->version_count != rcrp_call_get_version_count (call) ||
               awaiting->grade != rcrp_call_get_grade (call))
        kind = RCRP_ALERT_CALL_UPDATED;
      else
        continue;   /* claimed, released: nothing the coordinator needs told */

      /* The whole call, for the names that must stay out of the text. */
      full = rcrp_store_get_call (self->store, rcrp_call_get_cad_ref (call), &local_error);
      if (full == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      g_ptr_array_add (alerts, rcrp_alert_new_for_call (kind, full, 0, 0));

      /* A new call's alert counts as its first: the waiting alert comes a
       * target period later, not in the same breath. */
      remember (self, call, awaiting != NULL ? awaiting->last_waiting_alert : time_to_usec (now));
    }

  self->change_stamp = change_stamp;
  self->last_event_id = last_event_id;

  return TRUE;
}

static gboolean
check_waiting (RcrpAlertWatch  *self,
               GDateTime       *now,
               GPtrArray       *alerts,
               GError         **error)
{
  gint64 now_usec = time_to_usec (now);
  g_autoptr(GArray) due = g_array_new (FALSE, FALSE, sizeof (gint64));
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->awaiting);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Awaiting *awaiting = value;
      GTimeSpan target = (GTimeSpan) self->target_minutes[grade_index (awaiting->grade)] * G_TIME_SPAN_MINUTE;

      if (now_usec - awaiting->received_at <= target)
        continue;
      if (awaiting->last_waiting_alert != 0 && now_usec - awaiting->last_waiting_alert < target)
        continue;

      g_array_append_val (due, *(gint64 *) key);
    }

  for (guint i = 0; i < due->len; i++)
    {
      gint64 id = g_array_index (due, gint64, i);
      Awaiting *awaiting = g_hash_table_lookup (self->awaiting, &id);
      g_autoptr(RcrpCall) full = NULL;
      int target_minutes = self->target_minutes[grade_index (awaiting->grade)];

      full = rcrp_store_get_call (self->store, awaiting->cad_ref, error);
      if (full == NULL)
        return FALSE;

      g_ptr_array_add (alerts, rcrp_alert_new_for_call (RCRP_ALERT_CALL_WAITING, full,
                                                        now_usec - awaiting->received_at,
                                                        target_minutes));
      awaiting->last_waiting_alert = now_usec;
    }

  return TRUE;
}

GPtrArray *
rcrp_alert_watch_look (RcrpAlertWatch  *self,
                       GError         **error)
{
  g_autoptr(GPtrArray) alerts = g_ptr_array_new_with_free_func ((GDestroyNotify) rcrp_alert_free);
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (RCRP_IS_ALERT_WATCH (self), NULL);

  if (!self->started && !rcrp_alert_watch_start (self, error))
    return NULL;

  now = rcrp_clock_now (self->clock);

  /* Alerts found before an error are kept: what they are about is
   * remembered as said, so dropping them would lose them for good. The
   * next look takes up the rest. */
  if (!catch_up (self, now, alerts, &local_error) ||
      !check_waiting (self, now, alerts, &local_error))
    {
      if (alerts->len == 0)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }

      g_debug ("Looking for alerts stopped early: %s", local_error->message);
    }

  return g_steal_pointer (&alerts);
}

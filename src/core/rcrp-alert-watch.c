/* rcrp-alert-watch.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rcrp-alert-watch.h"

#define N_GRADES 4

/* The log is followed this many events a look: a burst bigger than this
 * (a day's documents from the C&C system after an outage) is said over
 * the next few looks, and no look reads more than this. */
#define CHANGES_PAGE 2000

/* At most this many calls are said to be waiting at each look; the rest
 * follow at the next ones. A backlog of a million open calls is walked a
 * page at a time from where the last look stopped. Each call said is read
 * whole, with its feed document (a few milliseconds for a document of
 * 5,000 calls), so the page is small: a backlog is a summary that grows
 * ("calls waiting past their target"), not a call at a time. */
#define WAITING_PAGE 4

/* And at most this many of the calls awaiting a decision are looked at
 * per grade a look, said or not. */
#define WALK_PAGE 256

/* Each watch keeps its notes (when it last said each call) apart from
 * any other watch on the same store. */
static guint last_marks_id;

struct _RcrpAlertWatch
{
  GObject          parent_instance;

  RcrpStore       *store;
  RcrpClock       *clock;
  int              target_minutes[N_GRADES];
  guint            marks;

  gboolean         started;
  gboolean         behind;           /* the last look stopped at a full page of the log */
  guint64          change_stamp;
  gint64           last_event_id;
  /* Per grade, the last call awaiting a decision that the walk of those
   * past their target has come to; calls after it are not yet late or
   * not yet looked at. */
  RcrpWaitingCall  walked[N_GRADES];
  gboolean         walking[N_GRADES];
};

G_DEFINE_FINAL_TYPE (RcrpAlertWatch, rcrp_alert_watch, G_TYPE_OBJECT)

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

static GTimeSpan
target_of (RcrpAlertWatch *self,
           int             grade)
{
  return (GTimeSpan) g_atomic_int_get (&self->target_minutes[grade_index (grade)]) * G_TIME_SPAN_MINUTE;
}

static void
rcrp_alert_watch_dispose (GObject *object)
{
  RcrpAlertWatch *self = RCRP_ALERT_WATCH (object);

  /* The notes live in the store's connection, which may outlive the watch. */
  if (self->store != NULL)
    rcrp_store_clear_marks (self->store, self->marks, 0, NULL);

  g_clear_object (&self->store);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (rcrp_alert_watch_parent_class)->dispose (object);
}

static void
rcrp_alert_watch_class_init (RcrpAlertWatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rcrp_alert_watch_dispose;
}

static void
rcrp_alert_watch_init (RcrpAlertWatch *self)
{
  self->marks = g_atomic_int_add (&last_marks_id, 1) + 1;
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

  /* Set from the settings on the main thread while a look may run on a
   * worker (RcrpNotifier): each target is read whole. */
  g_atomic_int_set (&self->target_minutes[grade - 1], minutes);
}

int
rcrp_alert_watch_get_target_minutes (RcrpAlertWatch *self,
                                     int             grade)
{
  g_return_val_if_fail (RCRP_IS_ALERT_WATCH (self), 0);

  return g_atomic_int_get (&self->target_minutes[grade_index (grade)]);
}

/* Cheap whatever the store holds: what is there now is known, and only
 * where the log ends is noted. The calls already late are found by the
 * looks, a page at a time. */
gboolean
rcrp_alert_watch_start (RcrpAlertWatch  *self,
                        GError         **error)
{
  gint64 last_event_id;
  guint64 change_stamp;

  g_return_val_if_fail (RCRP_IS_ALERT_WATCH (self), FALSE);

  /* Taken before reading: a call that arrives meanwhile is read twice,
   * which is harmless, rather than missed. */
  change_stamp = rcrp_store_get_change_stamp (self->store);
  last_event_id = rcrp_store_get_last_event_id (self->store, error);
  if (last_event_id < 0)
    return FALSE;

  if (!rcrp_store_clear_marks (self->store, self->marks, 0, error))
    return FALSE;

  for (guint i = 0; i < N_GRADES; i++)
    self->walking[i] = FALSE;

  self->change_stamp = change_stamp;
  self->last_event_id = last_event_id;
  self->behind = FALSE;
  self->started = TRUE;

  return TRUE;
}

/* What the log says happened to one call in a page of it. */
typedef struct
{
  gint64   call_id;
  gboolean received;
  gboolean updated;    /* a new version, or back for a new decision */
  gboolean decided;
  gboolean undone;
} Happened;

static Happened *
happened_for (GArray     *happened,
              GHashTable *places,
              gint64      call_id)
{
  gpointer place;

  if (!g_hash_table_lookup_extended (places, &call_id, NULL, &place))
    {
      Happened fresh = { .call_id = call_id };

      g_array_append_val (happened, fresh);
      place = GUINT_TO_POINTER (happened->len - 1);
      g_hash_table_insert (places, g_memdup2 (&call_id, sizeof call_id), place);
    }

  return &g_array_index (happened, Happened, GPOINTER_TO_UINT (place));
}

static gboolean
say_call (RcrpAlertWatch  *self,
          RcrpAlertKind    kind,
          RcrpCall        *call,
          gint64           now_usec,
          GPtrArray       *alerts,
          GError         **error)
{
  g_autoptr(RcrpCall) full = NULL;

  /* The whole call, for the names that must stay out of the text. */
  full = rcrp_store_get_call (self->store, rcrp_call_get_cad_ref (call), error);
  if (full == NULL)
    return FALSE;

  g_ptr_array_add (alerts, rcrp_alert_new_for_call (kind, full, 0, 0));

  /* A call's news counts as saying it: the waiting alert comes a target
   * period later, not in the same breath. */
  return rcrp_store_set_mark (self->store, self->marks, rcrp_call_get_id (call),
                              rcrp_call_get_grade (call), now_usec, error);
}

static gboolean
catch_up (RcrpAlertWatch  *self,
          GDateTime       *now,
          GPtrArray       *alerts,
          GError         **error)
{
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GArray) happened = g_array_new (FALSE, FALSE, sizeof (Happened));
  g_autoptr(GHashTable) places = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) calls = NULL;
  gint64 now_usec = time_to_usec (now);
  gint64 last_event_id = self->last_event_id;
  guint64 change_stamp = rcrp_store_get_change_stamp (self->store);

  if (change_stamp == self->change_stamp && !self->behind)
    return TRUE;

  changes = rcrp_store_list_call_changes (self->store, self->last_event_id, CHANGES_PAGE, &last_event_id, error);
  if (changes == NULL)
    return FALSE;

  for (guint i = 0; i < changes->len; i++)
    {
      RcrpCallChange *change = g_ptr_array_index (changes, i);
      Happened *what = happened_for (happened, places, change->call_id);

      if (g_str_equal (change->kind, "call.received"))
        what->received = TRUE;
      else if (g_str_equal (change->kind, "call.updated") || g_str_equal (change->kind, "referral.declined"))
        what->updated = TRUE;
      else if (g_str_equal (change->kind, "call.decided"))
        what->decided = TRUE;
      else if (g_str_equal (change->kind, "call.decision_undone"))
        what->undone = TRUE;
      /* Claims, releases, erasures and the rest: nothing to tell. */
    }

  for (guint i = 0; i < happened->len; i++)
    g_array_append_val (ids, g_array_index (happened, Happened, i).call_id);

  if (ids->len > 0)
    {
      calls = rcrp_store_get_calls_by_id (self->store, (const gint64 *) (gpointer) ids->data, ids->len, error);
      if (calls == NULL)
        return FALSE;
    }

  for (guint i = 0; calls != NULL && i < calls->len; i++)
    {
      RcrpCall *call = g_ptr_array_index (calls, i);
      gint64 id = rcrp_call_get_id (call);
      const Happened *what = happened_for (happened, places, id);
      RcrpAlertKind kind;

      if (rcrp_call_get_status (call) == RCRP_CALL_STATUS_DECIDED)
        {
          /* Withdraws whatever was said about it; decided calls are never late. */
          if (what->decided)
            {
              g_ptr_array_add (alerts, rcrp_alert_new_for_call (RCRP_ALERT_CALL_DECIDED, call, 0, 0));
              if (!rcrp_store_clear_marks (self->store, self->marks, id, error))
                return FALSE;
            }
          continue;
        }

      if (what->received && rcrp_call_get_outcome (call) == NULL)
        kind = RCRP_ALERT_NEW_CALL;
      else if (what->received || what->updated || what->undone)
        /* Changed by the feed, sent back by an agency, or a decision
         * undone: a call back in front of the coordinator is a change,
         * not news. */
        kind = RCRP_ALERT_CALL_UPDATED;
      else
        continue;

      if (!say_call (self, kind, call, now_usec, alerts, error))
        return FALSE;
    }

  self->change_stamp = change_stamp;
  /* A full page: there may be more after it, whatever the stamp says.
   * Ids are given in sequence, so a full page spans at least its size. */
  self->behind = last_event_id - self->last_event_id >= CHANGES_PAGE;
  self->last_event_id = last_event_id;

  return TRUE;
}

static gboolean
say_waiting (RcrpAlertWatch         *self,
             const RcrpWaitingCall  *waiting,
             gint64                  now_usec,
             GPtrArray              *alerts,
             GError                **error)
{
  g_autoptr(GPtrArray) calls = NULL;
  g_autoptr(RcrpCall) full = NULL;
  RcrpCall *call;

  calls = rcrp_store_get_calls_by_id (self->store, &waiting->id, 1, error);
  if (calls == NULL)
    return FALSE;
  if (calls->len == 0)
    return rcrp_store_clear_marks (self->store, self->marks, waiting->id, error);

  call = g_ptr_array_index (calls, 0);
  full = rcrp_store_get_call (self->store, rcrp_call_get_cad_ref (call), error);
  if (full == NULL)
    return FALSE;

  g_ptr_array_add (alerts, rcrp_alert_new_for_call (RCRP_ALERT_CALL_WAITING, full,
                                                    now_usec - waiting->received_at,
                                                    (int) (target_of (self, waiting->grade) / G_TIME_SPAN_MINUTE)));

  return rcrp_store_set_mark (self->store, self->marks, waiting->id, rcrp_call_get_grade (call), now_usec, error);
}

/* Calls past their grade's target, said at most once per target period:
 * those said before come back from the notes by when they were said;
 * those never said from a walk of the calls awaiting a decision by time
 * of receipt, from where the last look stopped. Both are pages of an
 * index, at most WAITING_PAGE calls a look in all, most urgent grade
 * first. */
static gboolean
check_waiting (RcrpAlertWatch  *self,
               GDateTime       *now,
               GPtrArray       *alerts,
               GError         **error)
{
  gint64 now_usec = time_to_usec (now);
  guint budget = WAITING_PAGE;

  for (int grade = 1; grade <= N_GRADES && budget > 0; grade++)
    {
      int g = grade_index (grade);
      gint64 late_before = now_usec - target_of (self, grade);
      g_autoptr(GArray) again = NULL;

      again = rcrp_store_list_marked (self->store, self->marks, grade, late_before, budget, error);
      if (again == NULL)
        return FALSE;

      for (guint i = 0; i < again->len; i++)
        {
          const RcrpWaitingCall *waiting = &g_array_index (again, RcrpWaitingCall, i);

          if (waiting->decided)
            {
              if (!rcrp_store_clear_marks (self->store, self->marks, waiting->id, error))
                return FALSE;
              continue;
            }

          if (!say_waiting (self, waiting, now_usec, alerts, error))
            return FALSE;
          budget--;
        }

      /* Calls past their target that were never said, walked in order of
       * receipt: those said already (news, or earlier in this walk) come
       * back through their notes above. The walk only goes forward, as
       * calls come to be late in order of receipt; one page of it a look. */
      if (budget > 0)
        {
          g_autoptr(GArray) page = NULL;

          page = rcrp_store_list_waiting (self->store, self->marks, grade, late_before,
                                          self->walking[g] ? &self->walked[g] : NULL, WALK_PAGE, error);
          if (page == NULL)
            return FALSE;

          for (guint i = 0; i < page->len && budget > 0; i++)
            {
              const RcrpWaitingCall *waiting = &g_array_index (page, RcrpWaitingCall, i);

              self->walked[g] = *waiting;
              self->walking[g] = TRUE;

              if (waiting->marked_at != 0)
                continue;

              if (!say_waiting (self, waiting, now_usec, alerts, error))
                return FALSE;
              budget--;
            }
        }
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

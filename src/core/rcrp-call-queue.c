/* rcrp-call-queue.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rcrp-call-queue.h"

/* Calls are fetched from the store a page at a time around the row asked
 * for, and the cache is dropped when it grows past a few screens' worth:
 * the list view keeps its own references to the rows it shows.
 */
#define FETCH_PAGE 64
#define CACHE_LIMIT 4096

/* More changed calls than this at once, and the view is read again whole. */
#define PATCH_LIMIT 64

struct _RcrpCallQueue
{
  GObject     parent_instance;

  RcrpStore  *store;
  GArray     *ids;
  GHashTable *cache;
  guint64     change_stamp;
  gint64      last_event_id;
  RcrpQueueFilter *filter;  /* nullable: the whole queue */

  gboolean      loading;
  GCancellable *cancellable;  /* of the read in the background */
};

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
rcrp_call_queue_get_item_type (GListModel *model)
{
  return RCRP_TYPE_CALL;
}

static guint
rcrp_call_queue_get_n_items (GListModel *model)
{
  RcrpCallQueue *self = RCRP_CALL_QUEUE (model);

  return self->ids->len;
}

static void
fetch_page (RcrpCallQueue *self,
            guint          position)
{
  g_autoptr(GArray) wanted = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) calls = NULL;
  g_autoptr(GError) error = NULL;
  guint end = MIN (self->ids->len, position + FETCH_PAGE);

  if (g_hash_table_size (self->cache) > CACHE_LIMIT)
    g_hash_table_remove_all (self->cache);

  for (guint i = position; i < end; i++)
    {
      gint64 id = g_array_index (self->ids, gint64, i);

      if (!g_hash_table_contains (self->cache, &id))
        g_array_append_val (wanted, id);
    }

  calls = rcrp_store_get_calls_by_id (self->store, (gint64 *) (gpointer) wanted->data,
                                      wanted->len, &error);
  if (calls == NULL)
    {
      g_warning ("Could not read calls for the queue: %s", error->message);
      return;
    }

  for (guint i = 0; i < calls->len; i++)
    {
      RcrpCall *call = g_ptr_array_index (calls, i);
      gint64 *key = g_new (gint64, 1);

      *key = rcrp_call_get_id (call);
      g_hash_table_insert (self->cache, key, g_object_ref (call));
    }
}

static gpointer
rcrp_call_queue_get_item (GListModel *model,
                          guint       position)
{
  RcrpCallQueue *self = RCRP_CALL_QUEUE (model);
  RcrpCall *call;
  gint64 id;

  if (position >= self->ids->len)
    return NULL;

  id = g_array_index (self->ids, gint64, position);
  call = g_hash_table_lookup (self->cache, &id);

  if (call == NULL)
    {
      fetch_page (self, position);
      call = g_hash_table_lookup (self->cache, &id);
    }

  return call != NULL ? g_object_ref (call) : NULL;
}

static void
rcrp_call_queue_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = rcrp_call_queue_get_item_type;
  iface->get_n_items = rcrp_call_queue_get_n_items;
  iface->get_item = rcrp_call_queue_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (RcrpCallQueue, rcrp_call_queue, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, rcrp_call_queue_list_model_init))

static void
rcrp_call_queue_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  RcrpCallQueue *self = RCRP_CALL_QUEUE (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rcrp_call_queue_finalize (GObject *object)
{
  RcrpCallQueue *self = RCRP_CALL_QUEUE (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->filter, rcrp_queue_filter_free);
  g_clear_object (&self->store);
  g_clear_pointer (&self->ids, g_array_unref);
  g_clear_pointer (&self->cache, g_hash_table_unref);

  G_OBJECT_CLASS (rcrp_call_queue_parent_class)->finalize (object);
}

static void
rcrp_call_queue_class_init (RcrpCallQueueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rcrp_call_queue_finalize;
  object_class->get_property = rcrp_call_queue_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rcrp_call_queue_init (RcrpCallQueue *self)
{
  self->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->cache = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
}

RcrpCallQueue *
rcrp_call_queue_new (RcrpStore *store)
{
  return rcrp_call_queue_new_filtered (store, NULL);
}

RcrpCallQueue *
rcrp_call_queue_new_filtered (RcrpStore             *store,
                              const RcrpQueueFilter *filter)
{
  RcrpCallQueue *self;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (RCRP_IS_STORE (store), NULL);

  self = g_object_new (RCRP_TYPE_CALL_QUEUE, NULL);
  self->store = g_object_ref (store);
  if (filter != NULL)
    self->filter = rcrp_queue_filter_copy (filter);

  if (!rcrp_call_queue_refresh (self, &error))
    {
      if (error != NULL)
        g_warning ("Could not read the queue: %s", error->message);
    }

  return self;
}

/* The first rows of a view come first, read with a limit: they are on
 * screen while the rest of a long view is still being read. */
#define HEAD_ROWS 64

typedef struct
{
  RcrpStore       *store;
  RcrpQueueFilter *filter;
  guint            limit;          /* 0: the whole view */
  guint64          change_stamp;   /* before the read: what changes after it */
  gint64           last_event_id;
} ReadJob;

static void
read_job_free (gpointer data)
{
  ReadJob *job = data;

  g_clear_object (&job->store);
  g_clear_pointer (&job->filter, rcrp_queue_filter_free);
  g_free (job);
}

static void
read_view_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  ReadJob *job = task_data;
  GError *error = NULL;
  GArray *ids;

  ids = rcrp_store_read_filtered_ids (job->store, job->filter, job->limit, cancellable, &error);
  if (ids == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, ids, (GDestroyNotify) g_array_unref);
}

static void
set_loading (RcrpCallQueue *self,
             gboolean       loading)
{
  if (self->loading == loading)
    return;

  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* Replaces the ids with @ids, as one change of the rows between the
 * first and the last that differ. */
static void
take_ids (RcrpCallQueue *self,
          GArray        *ids)
{
  g_autoptr(GArray) old_ids = g_steal_pointer (&self->ids);
  guint old_len = old_ids->len, new_len = ids->len, prefix, suffix;

  for (prefix = 0; prefix < old_len && prefix < new_len; prefix++)
    if (g_array_index (old_ids, gint64, prefix) != g_array_index (ids, gint64, prefix))
      break;

  for (suffix = 0; suffix < old_len - prefix && suffix < new_len - prefix; suffix++)
    if (g_array_index (old_ids, gint64, old_len - 1 - suffix) != g_array_index (ids, gint64, new_len - 1 - suffix))
      break;

  self->ids = g_array_ref (ids);

  if (old_len - prefix - suffix > 0 || new_len - prefix - suffix > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), prefix, old_len - prefix - suffix, new_len - prefix - suffix);
}

static void read_in_background (RcrpCallQueue *self,
                                ReadJob       *job);

static void
on_view_read_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  RcrpCallQueue *self = RCRP_CALL_QUEUE (object);
  ReadJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  ids = g_task_propagate_pointer (G_TASK (result), &error);

  /* Cancelled by a new filter, which has read the view itself. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !self->loading)
    return;

  if (ids == NULL)
    {
      /* The next refresh reads it again, on this thread. */
      g_warning ("Could not read the queue: %s", error->message);
      g_clear_object (&self->cancellable);
      self->change_stamp = 0;
      set_loading (self, FALSE);
      return;
    }

  take_ids (self, ids);

  /* The head is on show; now the whole view, from the same point in the log. */
  if (job->limit > 0 && ids->len == job->limit)
    {
      ReadJob *rest = g_new0 (ReadJob, 1);

      rest->store = g_object_ref (job->store);
      rest->filter = rcrp_queue_filter_copy (job->filter);
      rest->change_stamp = job->change_stamp;
      rest->last_event_id = job->last_event_id;
      read_in_background (self, rest);
      return;
    }

  g_clear_object (&self->cancellable);
  self->change_stamp = job->change_stamp;
  self->last_event_id = job->last_event_id;
  set_loading (self, FALSE);
}

static void
read_in_background (RcrpCallQueue *self,
                    ReadJob       *job)
{
  g_autoptr(GTask) task = NULL;

  task = g_task_new (self, self->cancellable, on_view_read_cb, NULL);
  g_task_set_source_tag (task, read_in_background);
  g_task_set_task_data (task, job, read_job_free);
  g_task_run_in_thread (task, read_view_thread);
}

RcrpCallQueue *
rcrp_call_queue_new_in_background (RcrpStore             *store,
                                   const RcrpQueueFilter *filter)
{
  g_autoptr(GError) error = NULL;
  RcrpCallQueue *self;
  ReadJob *job;

  g_return_val_if_fail (RCRP_IS_STORE (store), NULL);

  self = g_object_new (RCRP_TYPE_CALL_QUEUE, NULL);
  self->store = g_object_ref (store);
  self->filter = filter != NULL ? rcrp_queue_filter_copy (filter) : rcrp_queue_filter_new ();

  job = g_new0 (ReadJob, 1);
  job->store = g_object_ref (store);
  job->filter = rcrp_queue_filter_copy (self->filter);
  job->limit = HEAD_ROWS;
  /* Both cheap, and taken before the read: a change made meanwhile is
   * seen by the first refresh after, rather than missed. */
  job->change_stamp = rcrp_store_get_change_stamp (store);
  job->last_event_id = rcrp_store_get_last_event_id (store, &error);
  if (job->last_event_id < 0)
    {
      g_warning ("Could not read the queue: %s", error->message);
      read_job_free (job);
      return self;
    }

  self->loading = TRUE;
  self->cancellable = g_cancellable_new ();
  read_in_background (self, job);

  return self;
}

gboolean
rcrp_call_queue_get_loading (RcrpCallQueue *self)
{
  g_return_val_if_fail (RCRP_IS_CALL_QUEUE (self), FALSE);

  return self->loading;
}

/* Where @key goes in @ids, which is in queue order: the keys of the calls
 * it probes are read from the store as the search needs them. */
static gboolean
find_place (RcrpCallQueue      *self,
            GArray             *ids,
            const RcrpQueueKey *key,
            GHashTable         *known,
            guint              *place,
            GError            **error)
{
  guint low = 0, high = ids->len;

  while (low < high)
    {
      guint middle = low + (high - low) / 2;
      gint64 id = g_array_index (ids, gint64, middle);
      RcrpQueueKey *probe = g_hash_table_lookup (known, &id);

      if (probe == NULL)
        {
          g_autoptr(GArray) keys = rcrp_store_get_queue_keys (self->store, NULL, &id, 1, error);

          if (keys == NULL)
            return FALSE;
          /* Gone meanwhile: the next full read will sort it out. */
          if (keys->len == 0)
            return FALSE;
          probe = g_memdup2 (&g_array_index (keys, RcrpQueueKey, 0), sizeof (RcrpQueueKey));
          g_hash_table_insert (known, &probe->id, probe);
        }

      if (rcrp_queue_key_compare (probe, key) < 0)
        low = middle + 1;
      else
        high = middle;
    }

  *place = low;

  return TRUE;
}

/* The view after @changed calls changed, worked out from the current one
 * with a lookup per changed call and a binary search for its place,
 * instead of reading the whole view again: on a year's database that is
 * a few milliseconds against a tenth of a second or, from a cold disk,
 * seconds. NULL when it cannot be done this way. */
static GArray *
patched_ids (RcrpCallQueue *self,
             GArray        *changed,
             GHashTable    *changed_set)
{
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GArray) members = NULL;
  g_autoptr(GHashTable) known = NULL;
  g_autoptr(GError) error = NULL;

  if (changed->len > PATCH_LIMIT ||
      (self->filter != NULL && self->filter->text != NULL && *self->filter->text != '\0'))
    return NULL;

  members = rcrp_store_get_queue_keys (self->store, self->filter, (const gint64 *) (gpointer) changed->data,
                                       changed->len, &error);
  if (members == NULL)
    return NULL;

  ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), self->ids->len + members->len);
  for (guint i = 0; i < self->ids->len; i++)
    {
      gint64 id = g_array_index (self->ids, gint64, i);

      if (!g_hash_table_contains (changed_set, &id))
        g_array_append_val (ids, id);
    }

  known = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
  for (guint i = 0; i < members->len; i++)
    {
      const RcrpQueueKey *key = &g_array_index (members, RcrpQueueKey, i);
      guint place;

      if (!find_place (self, ids, key, known, &place, &error))
        return NULL;
      g_array_insert_val (ids, place, key->id);
    }

  return g_steal_pointer (&ids);
}

gboolean
rcrp_call_queue_refresh (RcrpCallQueue  *self,
                         GError        **error)
{
  g_autoptr(GArray) changed = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GArray) old_ids = NULL;
  g_autoptr(GHashTable) changed_set = NULL;
  guint64 stamp;
  gint64 last_event_id = self->last_event_id;
  guint old_len, new_len, prefix, suffix;

  g_return_val_if_fail (RCRP_IS_CALL_QUEUE (self), FALSE);

  /* The read under way brings the view; changes after it, the next refresh. */
  if (self->loading)
    return FALSE;

  stamp = rcrp_store_get_change_stamp (self->store);
  if (stamp == self->change_stamp && self->change_stamp != 0)
    return FALSE;

  if (self->last_event_id == 0 && self->ids->len == 0)
    {
      /* The first read: nothing is cached yet that could be stale, so the
       * log need not be walked, only its end noted. */
      changed = g_array_new (FALSE, FALSE, sizeof (gint64));
      last_event_id = rcrp_store_get_last_event_id (self->store, error);
      if (last_event_id < 0)
        return FALSE;
    }
  else
    {
      changed = rcrp_store_changed_calls (self->store, self->last_event_id, &last_event_id, error);
      if (changed == NULL)
        return FALSE;
    }

  changed_set = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < changed->len; i++)
    g_hash_table_add (changed_set, &g_array_index (changed, gint64, i));

  /* A few calls changed in a view already read: place just those. The
   * keys it probes are read one by one, so if anything was written
   * meanwhile the view is read whole instead, in one consistent read. */
  if (self->change_stamp != 0 && self->ids->len > 0)
    {
      ids = patched_ids (self, changed, changed_set);
      if (ids != NULL && rcrp_store_get_change_stamp (self->store) != stamp)
        g_clear_pointer (&ids, g_array_unref);
    }

  if (ids == NULL)
    {
      ids = self->filter != NULL ? rcrp_store_list_filtered_ids (self->store, self->filter, error)
                                 : rcrp_store_list_queue_ids (self->store, error);
      if (ids == NULL)
        return FALSE;
    }

  self->change_stamp = stamp;
  self->last_event_id = last_event_id;

  for (guint i = 0; i < changed->len; i++)
    g_hash_table_remove (self->cache, &g_array_index (changed, gint64, i));

  /* The rows before the first and after the last difference stay; the span
   * between them is replaced. Inserting one call gives one insertion.
   */
  old_len = self->ids->len;
  new_len = ids->len;

  for (prefix = 0; prefix < old_len && prefix < new_len; prefix++)
    if (g_array_index (self->ids, gint64, prefix) != g_array_index (ids, gint64, prefix))
      break;

  for (suffix = 0; suffix < old_len - prefix && suffix < new_len - prefix; suffix++)
    if (g_array_index (self->ids, gint64, old_len - 1 - suffix) !=
        g_array_index (ids, gint64, new_len - 1 - suffix))
      break;

  old_ids = g_steal_pointer (&self->ids);
  self->ids = g_steal_pointer (&ids);

  if (old_len - prefix - suffix > 0 || new_len - prefix - suffix > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), prefix,
                                old_len - prefix - suffix,
                                new_len - prefix - suffix);

  /* Calls that changed in place keep their position but must be redrawn. */
  for (guint i = 0; i < new_len; i++)
    {
      gint64 id;

      if (i == prefix)
        {
          i = new_len - suffix;
          if (i >= new_len)
            break;
        }

      id = g_array_index (self->ids, gint64, i);
      if (g_hash_table_contains (changed_set, &id))
        g_list_model_items_changed (G_LIST_MODEL (self), i, 1, 1);
    }

  return TRUE;
}

guint
rcrp_call_queue_find (RcrpCallQueue *self,
                      gint64         id)
{
  g_return_val_if_fail (RCRP_IS_CALL_QUEUE (self), G_MAXUINT);

  for (guint i = 0; i < self->ids->len; i++)
    if (g_array_index (self->ids, gint64, i) == id)
      return i;

  return G_MAXUINT;
}

void
rcrp_call_queue_set_filter (RcrpCallQueue         *self,
                            const RcrpQueueFilter *filter)
{
  g_return_if_fail (RCRP_IS_CALL_QUEUE (self));

  g_clear_pointer (&self->filter, rcrp_queue_filter_free);
  if (filter != NULL)
    self->filter = rcrp_queue_filter_copy (filter);

  /* The view being read is not wanted any more. */
  if (self->loading)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      set_loading (self, FALSE);
    }

  /* Read again at the next refresh, which keeps the rows both lists share. */
  self->change_stamp = 0;
  rcrp_call_queue_refresh (self, NULL);
}

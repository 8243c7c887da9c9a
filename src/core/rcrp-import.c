/* rcrp-import.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rcrp-feed.h"
#include "rcrp-import.h"

/* How many checked documents may wait for the store: enough to keep both
 * threads busy, few enough that a large backlog does not sit in memory.
 */
#define MAX_AHEAD 4

typedef struct
{
  char      *source;
  GFile     *file;
  GBytes    *document;
  GPtrArray *calls;
  GError    *refusal;
} Item;

struct _RcrpImport
{
  GObject    parent_instance;

  RcrpStore *store;
  GPtrArray *items;

  /* Between the checking thread and the storing one. */
  GMutex     mutex;
  GCond      cond;
  guint      checked;      /* items[0..checked) are ready */
  guint      stored;       /* items[0..stored) are done */
  gboolean   cancelled;
};

G_DEFINE_FINAL_TYPE (RcrpImport, rcrp_import, G_TYPE_OBJECT)

static void
item_free (gpointer data)
{
  Item *item = data;

  g_free (item->source);
  g_clear_object (&item->file);
  g_clear_pointer (&item->document, g_bytes_unref);
  g_clear_pointer (&item->calls, g_ptr_array_unref);
  g_clear_error (&item->refusal);
  g_free (item);
}

static void
rcrp_import_finalize (GObject *object)
{
  RcrpImport *self = RCRP_IMPORT (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (rcrp_import_parent_class)->finalize (object);
}

static void
rcrp_import_class_init (RcrpImportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rcrp_import_finalize;
}

static void
rcrp_import_init (RcrpImport *self)
{
  self->items = g_ptr_array_new_with_free_func (item_free);
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
}

RcrpImport *
rcrp_import_new (RcrpStore *store)
{
  RcrpImport *self;

  g_return_val_if_fail (RCRP_IS_STORE (store), NULL);

  self = g_object_new (RCRP_TYPE_IMPORT, NULL);
  self->store = g_object_ref (store);

  return self;
}

void
rcrp_import_add_file (RcrpImport *self,
                      GFile      *file,
                      const char *source)
{
  Item *item;

  g_return_if_fail (RCRP_IS_IMPORT (self));
  g_return_if_fail (G_IS_FILE (file));

  item = g_new0 (Item, 1);
  item->file = g_object_ref (file);
  item->source = source != NULL ? g_strdup (source) : g_file_get_parse_name (file);
  g_ptr_array_add (self->items, item);
}

void
rcrp_import_add_bytes (RcrpImport *self,
                       GBytes     *document,
                       const char *source)
{
  Item *item;

  g_return_if_fail (RCRP_IS_IMPORT (self));
  g_return_if_fail (document != NULL);

  item = g_new0 (Item, 1);
  item->document = g_bytes_ref (document);
  item->source = g_strdup (source != NULL ? source : "-");
  g_ptr_array_add (self->items, item);
}

static gpointer
check_thread (gpointer data)
{
  RcrpImport *self = data;

  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);

      g_mutex_lock (&self->mutex);
      while (!self->cancelled && i >= self->stored + MAX_AHEAD)
        g_cond_wait (&self->cond, &self->mutex);
      if (self->cancelled)
        {
          g_mutex_unlock (&self->mutex);
          break;
        }
      g_mutex_unlock (&self->mutex);

      if (item->file != NULL)
        item->calls = rcrp_feed_parse_file (item->file, item->source, &item->document, &item->refusal);
      else
        item->calls = rcrp_feed_parse_bytes (item->document, item->source, &item->refusal);

      g_mutex_lock (&self->mutex);
      self->checked = i + 1;
      g_cond_broadcast (&self->cond);
      g_mutex_unlock (&self->mutex);
    }

  return NULL;
}

gboolean
rcrp_import_run (RcrpImport      *self,
                 RcrpImportFunc   func,
                 gpointer         user_data,
                 GError         **error)
{
  GThread *thread;
  gboolean ok = TRUE;

  g_return_val_if_fail (RCRP_IS_IMPORT (self), FALSE);

  self->checked = 0;
  self->stored = 0;
  self->cancelled = FALSE;

  thread = g_thread_new ("rcrp-import-check", check_thread, self);

  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);
      RcrpIngestResult result = { 0, };

      g_mutex_lock (&self->mutex);
      while (self->checked <= i)
        g_cond_wait (&self->cond, &self->mutex);
      g_mutex_unlock (&self->mutex);

      if (item->calls != NULL)
        {
          if (!rcrp_store_ingest (self->store, item->source, item->document,
                                  item->calls, &result, error))
            {
              ok = FALSE;
              break;
            }
        }

      if (func != NULL)
        func (item->source, item->calls, item->calls != NULL ? &result : NULL,
              item->refusal, user_data);

      /* What is stored need not stay in memory. */
      g_clear_pointer (&item->calls, g_ptr_array_unref);
      g_clear_pointer (&item->document, g_bytes_unref);

      g_mutex_lock (&self->mutex);
      self->stored = i + 1;
      g_cond_broadcast (&self->cond);
      g_mutex_unlock (&self->mutex);
    }

  g_mutex_lock (&self->mutex);
  self->cancelled = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);

  g_thread_join (thread);

  return ok;
}

/* bench-commit.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Commit latency of a decision with 1, 4 and 8 workstations writing to one
 * database at once (each a process of its own), as p50 and p99, and as
 * ratios against the single writer measured in the same run.
 */

#include "config.h"

#include <stdio.h>

#include <glib/gstdio.h>

#include "rcrp-clock.h"
#include "rcrp-feed.h"
#include "rcrp-sqlite-store.h"
#include "../rcrp-test-decision.h"

#include "bench-quick.h"

#define N_CALLS 200
#define DECISIONS_PER_WRITER 2000

static guint decisions_per_writer = DECISIONS_PER_WRITER;

static int
run_writer (const char *path,
            guint       count)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcrpClock) clock = rcrp_system_clock_new ();
  g_autoptr(RcrpStore) store = rcrp_sqlite_store_open (path, clock, "bench", "bench-ws", &error);
  g_autoptr(GArray) ids = NULL;

  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  ids = rcrp_store_list_queue_ids (store, &error);
  setvbuf (stdout, NULL, _IOFBF, 1 << 16);

  for (guint i = 0; i < count; i++)
    {
      gint64 id = g_array_index (ids, gint64, g_random_int_range (0, ids->len));
      g_autoptr(RcrpDecision) decision = rcrp_decision_new (id, "signposted", "signposted");
      gint64 start;

      rcrp_test_rule_out_police (decision);
      start = g_get_monotonic_time ();

      if (rcrp_store_record_decision (store, decision, &error) < 0)
        {
          g_printerr ("%s\n", error->message);
          g_clear_error (&error);
          continue;
        }

      printf ("%" G_GINT64_FORMAT "\n", g_get_monotonic_time () - start);
    }

  return 0;
}

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
prepare (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcrpClock) clock = rcrp_system_clock_new ();
  g_autoptr(RcrpStore) store = rcrp_sqlite_store_open (path, clock, "bench", "bench-setup", &error);
  g_autoptr(GString) text = g_string_new ("[");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) calls = NULL;

  g_assert_no_error (error);
  for (guint i = 0; i < N_CALLS; i++)
    g_string_append_printf (text, "%s{\"schema\": \"rcrp.call/1\", \"cad_ref\": \"B-%u\", "
                            "\"received_at\": \"2026-11-22T14:03:11Z\", \"category\": \"mental_health_other\", "
                            "\"summary\": \"bench\"}", i > 0 ? ", " : "", i);
  g_string_append (text, "]");

  bytes = g_bytes_new (text->str, text->len);
  calls = rcrp_feed_parse_bytes (bytes, "bench", &error);
  g_assert_no_error (error);
  g_assert_true (rcrp_store_ingest (store, "bench", bytes, calls, NULL, &error));
}

static void
measure (const char *self_path,
         guint       writers,
         gint64     *p50,
         gint64     *p99)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_dir_make_tmp ("rcrp-bench-commit-XXXXXX", &error);
  g_autofree char *path = g_build_filename (folder, "shift.db", NULL);
  g_autofree char *count = g_strdup_printf ("%u", decisions_per_writer);
  g_autoptr(GArray) latencies = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) processes = g_ptr_array_new_with_free_func (g_object_unref);
  const char *suffixes[] = { "", "-wal", "-shm" };

  prepare (path);

  for (guint w = 0; w < writers; w++)
    {
      GSubprocess *process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                               self_path, "--writer", path, count, NULL);

      g_assert_no_error (error);
      g_ptr_array_add (processes, process);
    }

  for (guint w = 0; w < writers; w++)
    {
      g_autofree char *out = NULL;
      g_auto(GStrv) lines = NULL;

      g_assert_true (g_subprocess_communicate_utf8 (g_ptr_array_index (processes, w), NULL, NULL, &out, NULL, &error));
      lines = g_strsplit (out, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        {
          gint64 value;

          if (*lines[i] == '\0')
            continue;
          value = g_ascii_strtoll (lines[i], NULL, 10);
          g_array_append_val (latencies, value);
        }
    }

  /* Every commit must have succeeded, or the figures flatter us. */
  g_assert_cmpuint (latencies->len, ==, writers * decisions_per_writer);
  g_array_sort (latencies, compare_int64);
  *p50 = g_array_index (latencies, gint64, latencies->len / 2);
  *p99 = g_array_index (latencies, gint64, MIN (latencies->len - 1, latencies->len * 99 / 100));

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_unlink (file);
    }
  g_rmdir (folder);
}

int
main (int   argc,
      char *argv[])
{
  const guint writers[] = { 1, 4, 8 };
  gint64 base_p50 = 0, base_p99 = 0;

  if (argc == 4 && g_str_equal (argv[1], "--writer"))
    return run_writer (argv[2], (guint) g_ascii_strtoull (argv[3], NULL, 10));

  if (bench_is_quick ())
    decisions_per_writer = 100;

  for (guint i = 0; i < G_N_ELEMENTS (writers); i++)
    {
      gint64 p50, p99;

      measure (argv[0], writers[i], &p50, &p99);
      if (i == 0)
        {
          base_p50 = p50;
          base_p99 = p99;
        }

      g_print ("decision commit latency, %u writer%s x %u commits: p50 %.2f ms (%.1fx), p99 %.2f ms (%.1fx)\n",
               writers[i], writers[i] > 1 ? "s" : "", decisions_per_writer,
               p50 / 1000.0, (double) p50 / MAX (base_p50, 1), p99 / 1000.0, (double) p99 / MAX (base_p99, 1));
    }

  return 0;
}

/* stress-worker.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One workstation of the stress test: ingests, claims and decides on one
 * shared database as fast as it can, and prints a line for every operation
 * the store reported as done, so the test can check each is there exactly
 * once.
 */

#include "config.h"

#include <stdio.h>

#include "rcrp-clock.h"
#include "rcrp-feed.h"
#include "rcrp-sqlite-store.h"
#include "rcrp-test-decision.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcrpClock) clock = rcrp_system_clock_new ();
  g_autoptr(RcrpStore) store = NULL;
  g_autoptr(GArray) mine = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *workstation = NULL;
  g_autofree char *session = NULL;
  guint worker, n_ops;

  if (argc != 4)
    {
      g_printerr ("usage: stress-worker DATABASE WORKER OPERATIONS\n");
      return 2;
    }

  worker = (guint) g_ascii_strtoull (argv[2], NULL, 10);
  n_ops = (guint) g_ascii_strtoull (argv[3], NULL, 10);
  workstation = g_strdup_printf ("ws-%u", worker);
  session = g_strdup_printf ("session-%u", worker);

  store = rcrp_sqlite_store_open (argv[1], clock, "stress", workstation, &error);
  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  /* Line-buffered, so what was printed is what was reported done. */
  setvbuf (stdout, NULL, _IOLBF, 0);

  for (guint i = 0; i < n_ops; i++)
    {
      g_clear_error (&error);

      if (i % 3 == 0 || mine->len == 0)
        {
          g_autofree char *ref = g_strdup_printf ("W%u-%u", worker, i);
          g_autofree char *text = g_strdup_printf ("{\"schema\": \"rcrp.call/1\", \"cad_ref\": \"%s\", "
                                                   "\"received_at\": \"2026-11-22T14:03:11Z\", "
                                                   "\"category\": \"mental_health_other\", \"summary\": \"stress\"}",
                                                   ref);
          g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
          g_autoptr(GPtrArray) calls = rcrp_feed_parse_bytes (bytes, ref, &error);
          g_autoptr(GArray) ids = NULL;
          RcrpIngestResult result;

          if (calls == NULL || !rcrp_store_ingest (store, ref, bytes, calls, &result, &error))
            {
              g_printerr ("ingest %s: %s\n", ref, error->message);
              continue;
            }

          printf ("ingested %s\n", ref);

          {
            g_autoptr(RcrpCall) call = rcrp_store_get_call (store, ref, &error);

            if (call != NULL)
              {
                gint64 id = rcrp_call_get_id (call);
                g_array_append_val (mine, id);
              }
          }
        }
      else if (i % 3 == 1)
        {
          gint64 id = g_array_index (mine, gint64, g_random_int_range (0, mine->len));

          if (rcrp_store_claim_call (store, id, session, G_TIME_SPAN_HOUR, TRUE, NULL, &error))
            printf ("claimed %" G_GINT64_FORMAT "\n", id);
          else
            g_printerr ("claim %" G_GINT64_FORMAT ": %s\n", id, error->message);
        }
      else
        {
          gint64 id = g_array_index (mine, gint64, g_random_int_range (0, mine->len));
          g_autoptr(RcrpDecision) decision = rcrp_decision_new (id, "signposted", "signposted");
          gint64 event_id;

          rcrp_decision_set_reasons (decision, (const char *[]) { "stress", NULL });
          rcrp_test_rule_out_police (decision);
          /* In the session that claimed it: another worker may have
           * taken the call over since, and then this one is refused. */
          rcrp_decision_set_session (decision, session, G_TIME_SPAN_HOUR);
          event_id = rcrp_store_record_decision (store, decision, &error);
          if (event_id > 0)
            printf ("decided %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n", id, event_id);
          else
            g_printerr ("decide %" G_GINT64_FORMAT ": %s\n", id, error->message);
        }
    }

  return 0;
}

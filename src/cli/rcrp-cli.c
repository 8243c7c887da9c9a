/* rcrp-cli.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <gio/gunixinputstream.h>
#include <glib/gstdio.h>

#include "rcrp-audit-check.h"
#include "rcrp-agency.h"
#include "rcrp-call-queue.h"
#include "rcrp-checkpoint.h"
#include "rcrp-head-signature.h"
#include "rcrp-cli.h"
#include "rcrp-clock.h"
#include "rcrp-context.h"
#include "rcrp-decision.h"
#include "rcrp-feed.h"
#include "rcrp-import.h"
#include "rcrp-simulator.h"
#include "rcrp-spool.h"
#include "rcrp-sqlite-store.h"
#include "rcrp-text.h"

typedef struct
{
  const char *name;
  const char *parameters;
  const char *summary;
  int (*run) (int argc, char **argv);
} RcrpCommand;

/* --database after the command, and before it: given both, the one after
 * the command counts, as the nearer says more about what was meant. */
static char *database_option;
static char *global_database_option;
/* Set by rcrp init, the one command that makes a named database. */
static gboolean creating_database;

static gboolean
on_version_option_cb (const char  *option_name,
                      const char  *value,
                      gpointer     data,
                      GError     **error)
{
  /* As GOption's own --help does: say it and stop. */
  g_print ("rcrp %s\n", PACKAGE_VERSION);
  exit (EXIT_OK);
}

static const GOptionEntry database_entries[] = {
  { "database", 'd', 0, G_OPTION_ARG_FILENAME, &database_option,
    N_("The shared database (default: $RCRP_DATABASE, the settings, then ~/.local/share/rcrp/rcrp.db)"),
    N_("PATH") },
  { "version", 0, G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK, on_version_option_cb,
    N_("Print the version and exit"), NULL },
  { NULL }
};

gboolean
rcrp_cli_parse_options (GOptionContext  *context,
                        int             *argc,
                        char          ***argv)
{
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, database_entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("rcrp: %s\n", error->message);
      g_printerr (_("Try “rcrp %s --help”.\n"), (*argv)[0]);
      return FALSE;
    }

  return TRUE;
}

void
rcrp_cli_print_json (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = json_to_string (root, TRUE);

  g_print ("%s\n", text);
}

void
rcrp_cli_add_time_member (JsonBuilder *builder,
                          const char  *member,
                          GDateTime   *time)
{
  json_builder_set_member_name (builder, member);
  if (time != NULL)
    {
      g_autofree char *text = g_date_time_format_iso8601 (time);

      json_builder_add_string_value (builder, text);
    }
  else
    {
      json_builder_add_null_value (builder);
    }
}

/* The database named after the command, else before it, or NULL (said)
 * when it cannot be used: an empty name, or a file that does not exist.
 * Only `rcrp init` makes a named database, so a mistyped --database is
 * refused rather than made, with its folders and its runner as
 * administrator. The default one, which nobody named, is made with a
 * notice. */
static char *
dup_database_path (void)
{
  const char *option = database_option != NULL ? database_option : global_database_option;
  g_autofree char *path = NULL;

  if (option != NULL && *option == '\0')
    {
      g_printerr (_("rcrp: --database is empty: name the database file\n"));
      return NULL;
    }

  path = rcrp_context_resolve_database_path (option);
  if (creating_database || g_file_test (path, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&path);

  if (!rcrp_context_is_default_database_path (path))
    {
      g_printerr (_("rcrp: there is no database at %s. Check the name (--database, $RCRP_DATABASE or the "
                    "database-path setting), or make a new one with “rcrp init %s”.\n"),
                  path, path);
      return NULL;
    }

  g_printerr (_("rcrp: no database yet at %s (the default): making a new one; you are its administrator.\n"),
              path);
  return g_steal_pointer (&path);
}

static RcrpStore *
open_store (RcrpClock *clock,
            gboolean   read_only)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = dup_database_path ();
  g_autofree char *user = rcrp_context_dup_os_user ();
  g_autofree char *workstation = rcrp_context_dup_workstation_name ();
  RcrpStore *store;

  if (path == NULL)
    return NULL;

  if (read_only)
    store = rcrp_sqlite_store_open_read_only (path, clock, user, workstation, &error);
  else
    store = rcrp_sqlite_store_open (path, clock, user, workstation, &error);
  if (store == NULL)
    g_printerr ("rcrp: %s\n", error->message);

  return store;
}

RcrpStore *
rcrp_cli_open_store (RcrpClock *clock)
{
  return open_store (clock, FALSE);
}

RcrpStore *
rcrp_cli_open_store_read_only (RcrpClock *clock)
{
  return open_store (clock, TRUE);
}

RcrpContext *
rcrp_cli_context_new (RcrpStore *store,
                      RcrpClock *clock)
{
  g_autofree char *user = rcrp_context_dup_os_user ();
  g_autofree char *display_name = rcrp_context_dup_os_display_name ();
  g_autofree char *workstation = rcrp_context_dup_workstation_name ();

  return rcrp_context_new (store, clock, user, display_name, workstation);
}

RcrpStore *
rcrp_cli_open_store_for_reading (RcrpClock *clock)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = dup_database_path ();
  g_autofree char *user = rcrp_context_dup_os_user ();
  g_autofree char *workstation = rcrp_context_dup_workstation_name ();
  RcrpStore *store;

  if (path == NULL)
    return NULL;

  store = rcrp_sqlite_store_open (path, clock, user, workstation, &error);

  /* A full disk stops every write, not the reading of what is stored. */
  if (store == NULL && g_error_matches (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_FULL))
    {
      g_clear_error (&error);
      store = rcrp_sqlite_store_open_read_only (path, clock, user, workstation, &error);
    }

  if (store == NULL)
    g_printerr ("rcrp: %s\n", error->message);

  return store;
}

static GBytes *
read_standard_input (GError **error)
{
  g_autoptr(GInputStream) input = g_unix_input_stream_new (0, FALSE);
  g_autoptr(GByteArray) buffer = g_byte_array_new ();
  guint8 chunk[65536];

  /* Reads one byte past the limit, so an oversized document is refused
   * without holding more of it than that.
   */
  while (buffer->len <= RCRP_FEED_MAX_BYTES)
    {
      gssize n = g_input_stream_read (input, chunk, sizeof chunk, NULL, error);

      if (n < 0)
        return NULL;
      if (n == 0)
        break;

      g_byte_array_append (buffer, chunk, n);
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&buffer));
}

typedef struct
{
  int   status;
  guint n_reported;  /* files stored or refused, in the order given */
} IngestRun;

static void
on_ingested_cb (const char             *source,
                GPtrArray              *calls,
                const RcrpIngestResult *result,
                const GError           *refusal,
                gpointer                user_data)
{
  IngestRun *run = user_data;

  run->n_reported++;

  if (refusal != NULL)
    {
      g_printerr ("%s\n", refusal->message);
      run->status = MAX (run->status, g_error_matches (refusal, RCRP_FEED_ERROR, RCRP_FEED_ERROR_IO)
                                        ? EXIT_USAGE : EXIT_REFUSED);
      return;
    }

  g_print (ngettext ("%s: %u call: %u new, %u updated, %u unchanged\n",
                     "%s: %u calls: %u new, %u updated, %u unchanged\n",
                     calls->len),
           source, calls->len, result->added, result->updated, result->unchanged);
}

static int
command_ingest (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE… — store flagged calls from feed files (“-” reads standard input)"));
  g_autoptr(RcrpClock) clock = rcrp_system_clock_new ();
  g_autoptr(RcrpStore) store = NULL;
  g_autoptr(RcrpImport) import = NULL;
  g_autoptr(GError) error = NULL;
  IngestRun run = { EXIT_OK, 0 };

  g_option_context_set_description (context,
                                    _("Each file holds one call object or an array of them "
                                      "(see the call feed contract) and is accepted or refused "
                                      "whole. Refusals are printed as FILE:LINE:COLUMN: message "
                                      "or FILE: calls[INDEX].FIELD: message.\n\n"
                                      "Exit status: 0 all stored, 1 some file refused, "
                                      "2 usage or I/O error."));

  if (!rcrp_cli_parse_options (context, &argc, &argv))
    return EXIT_USAGE;

  if (argc < 2)
    {
      g_printerr (_("rcrp ingest: name at least one file, or “-” for standard input\n"));
      return EXIT_USAGE;
    }

  if (!(store = rcrp_cli_open_store (clock)))
    return EXIT_USAGE;

  import = rcrp_import_new (store);

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "-"))
        {
          g_autoptr(GError) read_error = NULL;
          g_autoptr(GBytes) document = read_standard_input (&read_error);

          if (document == NULL)
            {
              g_printerr ("-: %s\n", read_error->message);
              return EXIT_USAGE;
            }

          rcrp_import_add_bytes (import, document, "-");
        }
      else
        {
          g_autoptr(GFile) file = g_file_new_for_commandline_arg (argv[i]);

          rcrp_import_add_file (import, file, argv[i]);
        }
    }

  if (!rcrp_import_run (import, on_ingested_cb, &run, &error))
    {
      /* Every file is accounted for: those before were stored or refused
       * (and said so), this one was not stored, and the rest were not
       * tried. */
      const char *failed = argv[1 + run.n_reported];

      g_printerr (_("%s: not stored: %s\n"), failed, error->message);
      for (int i = 2 + (int) run.n_reported; i < argc; i++)
        g_printerr (_("%s: not attempted, because storing %s failed; ingest it again once that is "
                      "fixed (a file already stored is left unchanged by storing it again)\n"),
                    argv[i], failed);
      /* Not allowed is a refusal, like any other command's. */
      return g_error_matches (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_FORBIDDEN) ? EXIT_REFUSED : EXIT_USAGE;
    }

  return run.status;
}

static char *
format_received (GDateTime *received_at,
                 gboolean   utc)
{
  g_autoptr(GDateTime) local = NULL;

  if (utc)
    return g_date_time_format (received_at, "%Y-%m-%dT%H:%M:%SZ");

  local = g_date_time_to_local (received_at);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

static int
command_list (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("— print the call queue in the coordinator’s order"));
  g_autoptr(RcrpClock) clock = rcrp_system_clock_new ();
  g_autoptr(RcrpStore) store = NULL;
  g_autoptr(RcrpCallQueue) queue = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  gboolean json = FALSE;
  guint n_items;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print a JSON array of objects (cad_ref, category, grade, received_at, waiting_minutes, status)"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!rcrp_cli_parse_options (context, &argc, &argv))
    return EXIT_USAGE;

  if (argc > 1)
    {
      g_printerr (_("rcrp list: unexpected argument “%s”\n"), argv[1]);
      return EXIT_USAGE;
    }

  if (!(store = rcrp_cli_open_store_for_reading (clock)))
    return EXIT_USAGE;

  queue = rcrp_call_queue_new (store);
  now = rcrp_clock_now (clock);
  n_items = g_list_model_get_n_items (G_LIST_MODEL (queue));

  if (json)
    {
      builder = json_builder_new ();
      json_builder_begin_array (builder);
    }
  else if (n_items > 0)
    {
      g_print ("%-24s %-26s %5s  %-16s %7s  %s\n",
               _("REFERENCE"), _("CATEGORY"), _("GRADE"), _("RECEIVED"), _("WAITING"), _("STATUS"));
    }

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(RcrpCall) call = g_list_model_get_item (G_LIST_MODEL (queue), i);
      g_autofree char *received = NULL;

      if (call == NULL)
        {
          g_printerr (_("rcrp list: the queue changed while it was read\n"));
          return EXIT_USAGE;
        }

      received = format_received (rcrp_call_get_received_at (call), json);

      if (json)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "cad_ref");
          json_builder_add_string_value (builder, rcrp_call_get_cad_ref (call));
          json_builder_set_member_name (builder, "category");
          json_builder_add_string_value (builder, rcrp_category_to_string (rcrp_call_get_category (call)));
          json_builder_set_member_name (builder, "grade");
          json_builder_add_int_value (builder, rcrp_call_get_grade (call));
          json_builder_set_member_name (builder, "received_at");
          json_builder_add_string_value (builder, received);
          json_builder_set_member_name (builder, "waiting_minutes");
          json_builder_add_int_value (builder, rcrp_call_get_waiting_minutes (call, now));
          json_builder_set_member_name (builder, "status");
          json_builder_add_string_value (builder, rcrp_call_status_to_string (rcrp_call_get_status (call)));
          json_builder_end_object (builder);
        }
      else
        {
          g_print ("%-24s %-26s %5d  %-16s %7" G_GINT64_FORMAT "  %s\n",
                   rcrp_call_get_cad_ref (call),
                   rcrp_category_get_label (rcrp_call_get_category (call)),
                   rcrp_call_get_grade (call),
                   received,
                   rcrp_call_get_waiting_minutes (call, now),
                   rcrp_call_status_get_label (rcrp_call_get_status (call)));
        }
    }

  if (json)
    {
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      json_generator_set_root (generator, root);
      json_generator_set_pretty (generator, TRUE);
      text = json_generator_to_data (generator, NULL);
      g_print ("%s\n", text);
    }
  else if (n_items == 0)
    {
      g_print (_("No calls waiting.\n"));
    }

  return EXIT_OK;
}

static gboolean
write_spool_file (const char  *folder,
                  const char  *name,
                  const char  *contents,
                  GError     **error)
{
  g_autofree char *temporary = g_strdup_printf (".%s.tmp", name);
  g_autofree char *temporary_path = g_build_filename (folder, temporary, NULL);
  g_autofree char *path = g_build_filename (folder, name, NULL);

  /* Write under a dot-name and rename into place, as the feed contract
   * asks of every writer, so a watcher never reads half a file.
   */
  if (!g_file_set_contents_full (temporary_path, contents, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0640, error))
    return FALSE;

  if (g_rename (temporary_path, path) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot move %s into the spool: %s"), name, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

/* Storing simulated calls: documents of this many calls, handed to the
 * import a few at a time so a year of them never sits in memory at once. */
#define SIMULATE_DOCUMENT_CALLS 1000
#define SIMULATE_DOCUMENTS_PER_RUN 8

static const char * const simulated_outcomes[] = {
  "referred", "referred", "referred", "signposted", "signposted", "no_further_action", "police_deployed",
};

/* Share of simulated referrals the agency answers (accepts); the rest are
 * left waiting, as some are in life. */
#define SIMULATE_ANSWERED 0.95

typedef struct
{
  RcrpStore *store;
  RcrpFixedClock *clock;
  GPtrArray *slice_ends;  /* when each document is stored */
  GPtrArray *agencies;
  GRand     *rand;
  RcrpTriageRules *rules;
  guint      to_decide;  /* calls still to be decided, oldest first */
  guint      stored;
  guint      decided;
  GError    *error;
} SimulateStore;

/* Records an outcome for each call of a stored document while any are left
 * to decide, as a coordinator would have: each through the store, so the
 * history and the audit chain are those of a real year. */
static void
on_simulated_document_cb (const char             *source,
                          GPtrArray              *calls,
                          const RcrpIngestResult *result,
                          const GError           *refusal,
                          gpointer                user_data)
{
  SimulateStore *state = user_data;

  if (refusal != NULL || state->error != NULL)
    {
      if (refusal != NULL && state->error == NULL)
        state->error = g_error_copy (refusal);
      return;
    }

  state->stored += calls->len;


  for (guint i = 0; i < calls->len && state->to_decide > 0; i++)
    {
      const char *outcome = simulated_outcomes[g_rand_int_range (state->rand, 0, G_N_ELEMENTS (simulated_outcomes))];
      g_autoptr(RcrpCall) call = rcrp_store_get_call (state->store,
                                                      rcrp_call_get_cad_ref (g_ptr_array_index (calls, i)),
                                                      &state->error);
      g_autoptr(RcrpDecision) decision = NULL;
      gint64 event_id;

      if (call == NULL)
        return;

      /* Decided a few minutes after the call came in, as on the day. */
      {
        g_autoptr(GDateTime) decided_at = g_date_time_add_minutes (rcrp_call_get_received_at (call),
                                                                   g_rand_int_range (state->rand, 3, 40));

        rcrp_fixed_clock_set (state->clock, decided_at);
      }

      decision = rcrp_decision_new (rcrp_call_get_id (call), outcome, outcome);
      rcrp_decision_set_rules_version (decision, rcrp_triage_rules_get_version (state->rules));
      rcrp_decision_set_rationale (decision, _("Simulated decision"));
      /* As a coordinator would have: police ruled out before any other
       * outcome, so the store's threshold rule is met. */
      if (!g_str_equal (outcome, "police_deployed"))
        {
          g_autoptr(RcrpTriageAnswers) answers = rcrp_triage_answers_new ();
          GPtrArray *questions = rcrp_triage_rules_get_questions (state->rules, rcrp_call_get_category (call));
          g_autofree char *json = NULL;

          for (guint q = 0; q < questions->len; q++)
            if (rcrp_triage_question_get_is_threshold (g_ptr_array_index (questions, q)))
              rcrp_triage_answers_set (answers, rcrp_triage_question_get_id (g_ptr_array_index (questions, q)),
                                       RCRP_ANSWER_NO);
          json = rcrp_triage_answers_to_json (answers);
          rcrp_decision_set_answers_json (decision, json);
        }
      if (g_str_equal (outcome, "referred") && state->agencies->len > 0)
        rcrp_decision_set_agency (decision,
                                  rcrp_agency_get_id (g_ptr_array_index (state->agencies,
                                                                         g_rand_int_range (state->rand, 0,
                                                                                           state->agencies->len))));
      event_id = rcrp_store_record_decision (state->store, decision, &state->error);
      if (event_id <= 0)
        return;

      if (rcrp_decision_get_agency (decision) != NULL && g_rand_double (state->rand) < SIMULATE_ANSWERED)
        {
          rcrp_fixed_clock_advance (state->clock, g_rand_int_range (state->rand, 5, 50) * G_TIME_SPAN_MINUTE);
          if (rcrp_store_respond_to_referral (state->store, event_id, TRUE, NULL, &state->error) <= 0)
            return;
        }

      state->to_decide--;
      state->decided++;
    }

  /* The decisions moved the clock back: the next document is stored when
   * its calls have come in. */
  if (state->stored / SIMULATE_DOCUMENT_CALLS < state->slice_ends->len)
    rcrp_fixed_clock_set (state->clock, g_ptr_array_index (state->slice_ends,
                                                           state->stored / SIMULATE_DOCUMENT_CALLS));
}

#define MAX_SIMULATE_SPREAD_MINUTES (10 * 365 * 24 * 60)
#define MAX_SIMULATE_RATE           60000

/* Stores @count calls received over @spread before @now, straight into the
 * shared database through the core, and decides the oldest @decided of
 * them. Makes the year-long databases the benchmarks need. */
static int
simulate_into_store (guint32    seed,
                     GDateTime *now,
                     guint      count,
                     GTimeSpan  spread,
                     guint      decided)
{
  /* Events are stamped with the simulated times, not today's. */
  g_autoptr(RcrpClock) clock = rcrp_fixed_clock_new (now);
  g_autoptr(RcrpStore) store = NULL;
  g_autoptr(GPtrArray) agencies = NULL;
  g_autoptr(RcrpTriageRules) rules = NULL;
  g_autoptr(GError) error = NULL;
  guint n_documents = (count + SIMULATE_DOCUMENT_CALLS - 1) / SIMULATE_DOCUMENT_CALLS;
  SimulateStore state = { 0 };

  if (!(store = rcrp_cli_open_store (clock)))
    return EXIT_USAGE;

  rules = rcrp_triage_rules_new_default (&error);
  if (rules == NULL)
    {
      g_printerr ("rcrp simulate: %s\n", error->message);
      return EXIT_USAGE;
    }
  state.rules = rules;

  agencies = rcrp_store_list_agencies (store, &error);
  if (agencies == NULL)
    {
      g_printerr ("rcrp simulate: %s\n", error->message);
      return EXIT_USAGE;
    }

  state.store = store;
  state.clock = RCRP_FIXED_CLOCK (clock);
  state.slice_ends = g_ptr_array_new_with_free_func ((GDestroyNotify) g_date_time_unref);
  state.agencies = agencies;
  state.rand = g_rand_new_with_seed (seed);
  state.to_decide = MIN (decided, count);

  for (guint d = 0; d < n_documents && state.error == NULL; d += SIMULATE_DOCUMENTS_PER_RUN)
    {
      g_autoptr(RcrpImport) import = rcrp_import_new (store);

      for (guint k = d; k < MIN (n_documents, d + SIMULATE_DOCUMENTS_PER_RUN); k++)
        {
          /* Each document covers its own slice of the spread, oldest first. */
          guint n = MIN (SIMULATE_DOCUMENT_CALLS, count - k * SIMULATE_DOCUMENT_CALLS);
          GTimeSpan slice = spread / n_documents;
          g_autoptr(GDateTime) slice_end = g_date_time_add (now, -(GTimeSpan) (n_documents - 1 - k) * slice);
          g_autoptr(RcrpSimulator) simulator = rcrp_simulator_new (seed + k, slice_end);
          g_autofree char *source = g_strdup_printf ("simulated-%u", k + 1);
          char *text = rcrp_simulator_generate (simulator, n, slice);
          g_autoptr(GBytes) document = g_bytes_new_take (text, strlen (text));

          rcrp_import_add_bytes (import, document, source);
          g_ptr_array_add (state.slice_ends, g_date_time_ref (slice_end));
        }

      /* Each document is stored as its last call comes in. */
      rcrp_fixed_clock_set (state.clock, g_ptr_array_index (state.slice_ends, d));

      if (!rcrp_import_run (import, on_simulated_document_cb, &state, &error))
        break;
    }

  g_rand_free (state.rand);
  g_ptr_array_unref (state.slice_ends);

  if (error == NULL && state.error != NULL)
    error = g_steal_pointer (&state.error);
  g_clear_error (&state.error);

  if (error != NULL)
    {
      g_printerr (_("rcrp simulate: stopped after %u calls stored and %u decided: %s\n"),
                  state.stored, state.decided, error->message);
      return EXIT_USAGE;
    }

  g_print (_("%u calls stored, %u of them decided\n"), state.stored, state.decided);

  return EXIT_OK;
}

static int
command_simulate (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("— write realistic synthetic calls for demos, training and benchmarks"));
  g_autoptr(RcrpSimulator) simulator = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *spool = NULL;
  g_autofree char *now_option = NULL;
  int count = 10;
  gint64 seed = -1;
  double rate = 6.0;
  double spread_minutes = 180.0;
  gboolean into_store = FALSE;
  int decided = 0;
  const GOptionEntry entries[] = {
    { "count", 'n', 0, G_OPTION_ARG_INT, &count, N_("How many calls (default 10)"), N_("N") },
    { "seed", 's', 0, G_OPTION_ARG_INT64, &seed, N_("Seed, for the same calls every time"), N_("S") },
    { "now", 0, 0, G_OPTION_ARG_STRING, &now_option, N_("Pretend it is this RFC 3339 time"), N_("TIME") },
    { "spread", 0, 0, G_OPTION_ARG_DOUBLE, &spread_minutes,
      N_("Spread the calls’ received times over this many minutes before now (default 180)"), N_("MINUTES") },
    { "spool", 0, 0, G_OPTION_ARG_FILENAME, &spool, N_("Drop the calls one by one into this spool folder"), N_("DIR") },
    { "rate", 'r', 0, G_OPTION_ARG_DOUBLE, &rate, N_("With --spool: calls a minute (default 6)"), N_("R") },
    { "store", 0, 0, G_OPTION_ARG_NONE, &into_store, N_("Store the calls in the shared database"), NULL },
    { "decided", 0, 0, G_OPTION_ARG_INT, &decided,
      N_("With --store: record an outcome for the oldest N of them"), N_("N") },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
                                    _("Without --spool, prints one feed document (a JSON array) "
                                      "to standard output. With --spool, writes each call as its "
                                      "own file into the folder, R a minute, received “now”. With "
                                      "--store, stores them in the shared database through the "
                                      "core, in documents of 1,000, and decides the oldest N "
                                      "(--decided): a year of calls for benchmarks is "
                                      "--count 1000000 --spread 525600 --decided 999800."));
  if (!rcrp_cli_parse_options (context, &argc, &argv))
    return EXIT_USAGE;

  /* Written so that NaN fails too; ten years is more than any benchmark
   * or demo spreads calls over, and far from overflowing microseconds. */
  if (argc > 1 || count < 1 || !(rate > 0 && rate <= MAX_SIMULATE_RATE) ||
      !(spread_minutes >= 0 && spread_minutes <= MAX_SIMULATE_SPREAD_MINUTES) || decided < 0 ||
      (into_store && spool != NULL) || (decided > 0 && !into_store))
    {
      g_printerr (_("rcrp simulate: --count must be at least 1, --rate from above 0 to %d a minute, "
                    "--spread from 0 to %d minutes (ten years); --decided goes with --store, and --store "
                    "not with --spool\n"),
                  MAX_SIMULATE_RATE, MAX_SIMULATE_SPREAD_MINUTES);
      return EXIT_USAGE;
    }

  if (now_option != NULL)
    {
      now = g_date_time_new_from_iso8601 (now_option, NULL);
      if (now == NULL)
        {
          g_printerr (_("rcrp simulate: --now: “%s” is not an RFC 3339 time with an offset\n"), now_option);
          return EXIT_USAGE;
        }
    }
  else
    {
      now = g_date_time_new_now_utc ();
    }

  if (seed < 0)
    seed = g_random_int ();

  if (into_store)
    return simulate_into_store ((guint32) seed, now, (guint) count,
                                (GTimeSpan) (spread_minutes * G_TIME_SPAN_MINUTE), (guint) decided);

  simulator = rcrp_simulator_new ((guint32) seed, now);

  if (spool == NULL)
    {
      g_autofree char *document = rcrp_simulator_generate (simulator, count,
                                                           (GTimeSpan) (spread_minutes * G_TIME_SPAN_MINUTE));

      g_print ("%s\n", document);
      return EXIT_OK;
    }

  if (g_mkdir_with_parents (spool, 0750) != 0)
    {
      g_printerr (_("rcrp simulate: cannot create %s: %s\n"), spool, g_strerror (errno));
      return EXIT_USAGE;
    }

  for (int i = 0; i < count; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GDateTime) received_at = g_date_time_new_now_utc ();
      g_autoptr(JsonNode) node = rcrp_simulator_next_call (simulator, received_at);
      g_autofree char *text = json_to_string (node, TRUE);
      g_autofree char *name = g_strdup_printf ("sim-%" G_GINT64_FORMAT "-%04d.json",
                                               g_get_real_time (), i);

      if (!write_spool_file (spool, name, text, &error))
        {
          g_printerr ("rcrp simulate: %s\n", error->message);
          return EXIT_USAGE;
        }

      g_print ("%s\n", name);

      if (i + 1 < count)
        g_usleep ((gulong) (60.0 * G_USEC_PER_SEC / rate));
    }

  return EXIT_OK;
}

static void
on_spool_file_processed_cb (RcrpSpool  *spool,
                            const char *name,
                            gboolean    accepted,
                            const char *message,
                            gpointer    user_data)
{
  /* A file name may hold a line feed: escaped, so that one report stays
   * one line of the service's log. */
  g_autofree char *safe_name = rcrp_text_escape_controls (name, -1, RCRP_ESCAPE_DEFAULT);
  g_autofree char *safe_message = rcrp_text_escape_controls (message, -1, RCRP_ESCAPE_DEFAULT);

  if (accepted)
    g_print ("%s: %s\n", safe_name, safe_message != NULL ? safe_message : _("stored"));
  else
    g_printerr ("%s\n", safe_message);
}

static void
on_spool_scan_failed_cb (RcrpSpool    *spool,
                         const GError *error,
                         gpointer      user_data)
{
  /* The file stays in the spool and is tried again at the next rescan. */
  g_printerr ("rcrp spool: %s\n", error->message);
}

static gboolean
on_signal_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
on_checkpoint_timeout_cb (gpointer user_data)
{
  rcrp_cli_record_checkpoint (user_data, "spool", "interval");
  return G_SOURCE_CONTINUE;
}

static int
command_spool (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("DIR — watch a spool folder and store every call dropped into it"));
  g_autoptr(RcrpClock) clock = rcrp_system_clock_new ();
  g_autoptr(RcrpStore) store = NULL;
  g_autoptr(RcrpSpool) spool = NULL;
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  gboolean once = FALSE;
  int checkpoint_minutes = 60;
  const GOptionEntry entries[] = {
    { "once", 0, 0, G_OPTION_ARG_NONE, &once, N_("Process what is waiting, then exit"), NULL },
    { "checkpoint-every", 0, 0, G_OPTION_ARG_INT, &checkpoint_minutes,
      N_("Record an audit checkpoint at start and every MINUTES (default 60; 0 never)"), N_("MINUTES") },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
                                    _("Runs headless, as a service would. Accepted files move to "
                                      "DIR/processed/, refused ones to DIR/rejected/ with "
                                      "NAME.error.txt. Any number of watchers may share a folder. "
                                      "Stops on SIGINT or SIGTERM."));
  if (!rcrp_cli_parse_options (context, &argc, &argv))
    return EXIT_USAGE;

  if (argc != 2)
    {
      g_printerr (_("rcrp spool: name exactly one spool folder\n"));
      return EXIT_USAGE;
    }
  if (checkpoint_minutes < 0 || checkpoint_minutes > 7 * 24 * 60)
    {
      g_printerr (_("rcrp spool: --checkpoint-every takes 0 (never) to 10080 minutes (a week), not %d\n"),
                  checkpoint_minutes);
      return EXIT_USAGE;
    }

  if (!(store = rcrp_cli_open_store (clock)))
    return EXIT_USAGE;

  folder = g_file_new_for_commandline_arg (argv[1]);
  spool = rcrp_spool_new (store, folder);
  g_signal_connect (spool, "file-processed", G_CALLBACK (on_spool_file_processed_cb), NULL);
  g_signal_connect (spool, "scan-failed", G_CALLBACK (on_spool_scan_failed_cb), NULL);

  if (once)
    {
      guint n_processed = 0;

      if (!rcrp_spool_scan (spool, &n_processed, &error))
        {
          g_printerr ("rcrp spool: %s\n", error->message);
          return EXIT_USAGE;
        }

      return EXIT_OK;
    }

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, on_signal_cb, loop);
  g_unix_signal_add (SIGTERM, on_signal_cb, loop);

  if (!rcrp_spool_start (spool, &error))
    {
      g_printerr ("rcrp spool: %s\n", error->message);
      return EXIT_USAGE;
    }

  if (checkpoint_minutes > 0)
    {
      rcrp_cli_record_checkpoint (store, "spool", "interval");
      g_timeout_add_seconds (checkpoint_minutes * 60, on_checkpoint_timeout_cb, store);
    }

  g_main_loop_run (loop);
  rcrp_spool_stop (spool);

  return EXIT_OK;
}

static void
print_field (const char *label,
             const char *value)
{
  if (value != NULL && *value != '\0')
    g_print ("  %-22s %s\n", label, value);
}

static char *
format_local_time (GDateTime *time)
{
  g_autoptr(GDateTime) local = NULL;

  if (time == NULL)
    return NULL;

  local = g_date_time_to_local (time);
  return g_date_time_format (local, "%Y-%m-%d %H:%M:%S %Z");
}

static void
print_answers (const char *answers_json)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  g_autoptr(GList) members = NULL;

  if (answers_json == NULL || (root = json_from_string (answers_json, NULL)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (root))
    return;

  object = json_node_get_object (root);
  members = json_object_get_members (object);
  if (members == NULL)
    return;

  g_print ("    %s\n", _("Answers:"));
  for (const GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (object, l->data);
      g_autofree char *value = json_to_string (node, FALSE);

      g_print ("      %-30s %s\n", (const char *) l->data, value);
    }
}

/* Police not ruled out, overridden knowingly: said in words, for review. */
static void
print_overrides (RcrpDecision *decision,
                 RcrpCategory  category)
{
  const char * const *overrides = rcrp_decision_get_overrides (decision);
  g_autoptr(RcrpTriageRules) rules = NULL;

  if (overrides[0] == NULL)
    return;

  rules = rcrp_triage_rules_new_default (NULL);
  g_print ("    %s\n", _("Override: decided without police, these threshold questions not ruled out:"));
  for (guint i = 0; overrides[i] != NULL; i++)
    {
      RcrpTriageQuestion *question = rules != NULL ? rcrp_triage_rules_lookup_question (rules, category, overrides[i])
                                                   : NULL;

      g_print ("      %s  %s\n", overrides[i], question != NULL ? rcrp_triage_question_get_text (question) : "");
    }
}

/* What the triage rules recommend now for a call nobody has decided: from
 * the call's own data and, where a coordinator has begun the checklist,
 * the answers kept as its draft, as the triage panel shows them. */
typedef struct
{
  RcrpTriageRules    *rules;
  RcrpTriageAnswers  *answers;
  RcrpRecommendation *recommendation;
  RcrpTriageDraft    *draft;  /* nullable */
} PendingRecommendation;

static void
pending_recommendation_clear (PendingRecommendation *pending)
{
  g_clear_object (&pending->recommendation);
  g_clear_object (&pending->answers);
  g_clear_object (&pending->rules);
  g_clear_pointer (&pending->draft, rcrp_triage_draft_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PendingRecommendation, pending_recommendation_clear)

static gboolean
pending_recommendation_init (PendingRecommendation  *pending,
                             RcrpStore              *store,
                             RcrpCall               *call,
                             GError                **error)
{
  g_autoptr(GError) draft_error = NULL;

  if (!(pending->rules = rcrp_triage_rules_new_default (error)))
    return FALSE;

  pending->draft = rcrp_store_get_draft (store, rcrp_call_get_id (call), &draft_error);
  if (draft_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&draft_error));
      return FALSE;
    }

  /* The draft holds every answer given so far, the call's own included. */
  if (pending->draft != NULL)
    pending->answers = rcrp_triage_answers_new_from_json (pending->draft->answers_json, NULL);
  if (pending->answers == NULL)
    pending->answers = rcrp_triage_answers_new_for_call (pending->rules, call);

  pending->recommendation = rcrp_triage_recommend (pending->rules, call, pending->answers);

  return TRUE;
}

static void
add_strv_json (JsonBuilder        *builder,
               const char         *member,
               const char * const *values)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);
}

static void
add_pending_recommendation_json (JsonBuilder           *builder,
                                 PendingRecommendation *pending)
{
  RcrpRecommendation *recommendation = pending->recommendation;
  g_autofree char *answers = rcrp_triage_answers_to_json (pending->answers);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "decided");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_set_member_name (builder, "outcome");
  json_builder_add_string_value (builder, rcrp_recommendation_get_outcome (recommendation));
  add_strv_json (builder, "agencies", rcrp_recommendation_get_agencies (recommendation));
  add_strv_json (builder, "reasons", rcrp_recommendation_get_reasons (recommendation));
  add_strv_json (builder, "open_threshold_questions", rcrp_recommendation_get_unknowns (recommendation));
  json_builder_set_member_name (builder, "threshold_met");
  json_builder_add_boolean_value (builder, rcrp_recommendation_get_threshold_met (recommendation));
  json_builder_set_member_name (builder, "complete");
  json_builder_add_boolean_value (builder, rcrp_recommendation_get_complete (recommendation));
  json_builder_set_member_name (builder, "rules_version");
  json_builder_add_string_value (builder, rcrp_recommendation_get_rules_version (recommendation));
  json_builder_set_member_name (builder, "answers");
  json_builder_add_value (builder, json_from_string (answers, NULL));

  json_builder_set_member_name (builder, "draft");
  if (pending->draft != NULL)
    {
      g_autofree char *updated_at = g_date_time_format_iso8601 (pending->draft->updated_at);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "operator");
      json_builder_add_string_value (builder, pending->draft->operator_name);
      json_builder_set_member_name (builder, "workstation");
      json_builder_add_string_value (builder, pending->draft->workstation);
      json_builder_set_member_name (builder, "updated_at");
      json_builder_add_string_value (builder, updated_at);
      json_builder_end_object (builder);
    }
  else
    {
      json_builder_add_null_value (builder);
    }
  json_builder_end_object (builder);
}

static void
print_pending_recommendation (PendingRecommendation *pending)
{
  RcrpRecommendation *recommendation = pending->recommendation;
  const char * const *agencies = rcrp_recommendation_get_agencies (recommendation);
  const char * const *reasons = rcrp_recommendation_get_reasons (recommendation);
  const char * const *open = rcrp_recommendation_get_unknowns (recommendation);
  g_autofree char *answers = rcrp_triage_answers_to_json (pending->answers);

  g_print ("\n%s\n", _("Recommendation (not yet decided):"));
  g_print ("  %s %s\n", _("Recommended:"), rcrp_outcome_get_label (rcrp_recommendation_get_outcome (recommendation)));
  for (guint i = 0; agencies[i] != NULL; i++)
    g_print ("    %s %s\n", _("Agency:"), rcrp_agency_kind_get_label (agencies[i]));
  g_print ("    %s %s\n", _("Rules version:"), rcrp_recommendation_get_rules_version (recommendation));
  for (guint i = 0; reasons[i] != NULL; i++)
    g_print ("    %s %s\n", _("Reason:"), reasons[i]);
  if (!rcrp_recommendation_get_complete (recommendation))
    {
      g_print ("    %s\n", _("Incomplete: police not yet ruled out; threshold questions open:"));
      for (guint i = 0; open[i] != NULL; i++)
        g_print ("      %s\n", open[i]);
    }
  if (pending->draft != NULL)
    {
      g_autofree char *at = format_local_time (pending->draft->updated_at);

      g_print (_("    Draft answers by %s at %s, %s\n"), pending->draft->operator_name,
               pending->draft->workstation, at);
    }
  print_answers (answers);
}

static int
command_show (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("CAD_REF — print a call with its decisions and history, for audit and scripting"));
  g_autoptr(RcrpClock) clock = rcrp_system_clock_new ();
  g_autoptr(RcrpStore) store = NULL;
  g_autoptr(RcrpCall) call = NULL;
  g_autoptr(GPtrArray) decisions = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) versions = NULL;
  g_autoptr(GPtrArray) agencies = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *received = NULL;
  g_autofree char *grade = NULL;
  g_autofree char *waiting = NULL;
  g_auto(PendingRecommendation) pending = { 0, };
  gboolean undecided;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print JSON: the call as received, its decisions, its events and, while undecided, the current recommendation"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!rcrp_cli_parse_options (context, &argc, &argv))
    return EXIT_USAGE;

  if (argc != 2)
    {
      g_printerr (_("rcrp show: name exactly one call reference\n"));
      return EXIT_USAGE;
    }

  if (!(store = rcrp_cli_open_store_for_reading (clock)))
    return EXIT_USAGE;

  call = rcrp_store_get_call (store, argv[1], &error);
  if (call == NULL)
    {
      g_printerr ("rcrp show: %s\n", error->message);
      return g_error_matches (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_NOT_FOUND) ? EXIT_REFUSED : EXIT_USAGE;
    }

  if (!(decisions = rcrp_store_list_decisions (store, rcrp_call_get_id (call), &error)) ||
      !(events = rcrp_store_list_events (store, rcrp_call_get_id (call), &error)) ||
      !(versions = rcrp_store_list_versions (store, rcrp_call_get_id (call), &error)))
    {
      g_printerr ("rcrp show: %s\n", error->message);
      return EXIT_USAGE;
    }

  /* The look is recorded before anything personal is printed, and nothing
   * is printed if it cannot be (a full disk, say). */
  if (rcrp_store_log_call_viewed (store, rcrp_call_get_id (call), json ? "show --json" : "show", &error) < 0)
    {
      g_printerr (_("rcrp show: %s is not shown, because the look at its details could not be recorded, "
                    "as every look at personal details must be: %s\n"),
                  rcrp_call_get_cad_ref (call), error->message);
      return EXIT_USAGE;
    }

  undecided = rcrp_call_get_status (call) != RCRP_CALL_STATUS_DECIDED;
  if (undecided && !pending_recommendation_init (&pending, store, call, &error))
    {
      g_printerr ("rcrp show: %s\n", error->message);
      return EXIT_USAGE;
    }

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "call");
      json_builder_add_value (builder, json_from_string (rcrp_call_get_canonical_json (call), NULL));
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, rcrp_call_status_to_string (rcrp_call_get_status (call)));
      json_builder_set_member_name (builder, "versions");
      json_builder_add_int_value (builder, versions->len);

      json_builder_set_member_name (builder, "decisions");
      json_builder_begin_array (builder);
      for (guint i = 0; i < decisions->len; i++)
        {
          RcrpDecision *decision = g_ptr_array_index (decisions, i);
          g_autofree char *body = rcrp_decision_to_json (decision);
          g_autoptr(JsonNode) node = json_from_string (body, NULL);
          JsonObject *object = json_node_get_object (node);
          g_autofree char *at = g_date_time_format_iso8601 (rcrp_decision_get_at (decision));

          json_object_set_int_member (object, "event_id", rcrp_decision_get_event_id (decision));
          json_object_set_string_member (object, "at", at);
          json_object_set_string_member (object, "operator", rcrp_decision_get_operator (decision));
          json_object_set_string_member (object, "workstation", rcrp_decision_get_workstation (decision));
          json_builder_add_value (builder, g_steal_pointer (&node));
        }
      json_builder_end_array (builder);

      json_builder_set_member_name (builder, "events");
      json_builder_begin_array (builder);
      for (guint i = 0; i < events->len; i++)
        {
          RcrpEvent *event = g_ptr_array_index (events, i);
          g_autofree char *at = g_date_time_format_iso8601 (rcrp_event_get_at (event));

          if (rcrp_event_is_view (event))
            continue;

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_int_value (builder, rcrp_event_get_id (event));
          json_builder_set_member_name (builder, "kind");
          json_builder_add_string_value (builder, rcrp_event_get_kind (event));
          json_builder_set_member_name (builder, "at");
          json_builder_add_string_value (builder, at);
          json_builder_set_member_name (builder, "operator");
          json_builder_add_string_value (builder, rcrp_event_get_operator (event));
          json_builder_set_member_name (builder, "workstation");
          json_builder_add_string_value (builder, rcrp_event_get_workstation (event));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);

      /* null once the call is decided: its decisions say what was recommended. */
      json_builder_set_member_name (builder, "current_recommendation");
      if (undecided)
        add_pending_recommendation_json (builder, &pending);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);

      root = json_builder_get_root (builder);
      text = json_to_string (root, TRUE);
      g_print ("%s\n", text);
      return EXIT_OK;
    }

  now = rcrp_clock_now (clock);
  received = format_local_time (rcrp_call_get_received_at (call));
  grade = g_strdup_printf ("%d", rcrp_call_get_grade (call));
  waiting = g_strdup_printf (_("%" G_GINT64_FORMAT " minutes"), rcrp_call_get_waiting_minutes (call, now));

  g_print ("%s\n", rcrp_call_get_cad_ref (call));
  print_field (_("Category:"), rcrp_category_get_label (rcrp_call_get_category (call)));
  print_field (_("Grade:"), grade);
  print_field (_("Received:"), received);
  print_field (_("Waiting:"), waiting);
  print_field (_("Status:"), rcrp_call_status_get_label (rcrp_call_get_status (call)));
  print_field (_("Summary:"), rcrp_call_get_summary (call));
  print_field (_("Postcode:"), rcrp_call_get_postcode (call));

  if (undecided)
    print_pending_recommendation (&pending);

  g_print ("\n%s\n", _("Decisions (the last is the call’s outcome):"));
  if (decisions->len == 0)
    g_print ("  %s\n", _("none yet"));
  for (guint i = 0; i < decisions->len; i++)
    {
      RcrpDecision *decision = g_ptr_array_index (decisions, i);
      g_autofree char *at = format_local_time (rcrp_decision_get_at (decision));
      const char * const *reasons = rcrp_decision_get_reasons (decision);

      g_print ("  %s  %s", at, rcrp_outcome_get_label (rcrp_decision_get_outcome (decision)));
      if (rcrp_decision_get_agency (decision) != NULL)
        g_print (" — %s", rcrp_decision_get_agency (decision));
      g_print (_("  by %s (%s) at %s%s\n"),
               rcrp_decision_get_display_name (decision) != NULL
                 ? rcrp_decision_get_display_name (decision) : rcrp_decision_get_operator (decision),
               rcrp_decision_get_operator (decision),
               rcrp_decision_get_workstation (decision),
               rcrp_decision_get_undone_by (decision) != 0 ? _(" — undone") : "");
      if (rcrp_decision_get_recommended_outcome (decision) != NULL)
        g_print ("    %s %s%s\n", _("Recommended:"),
                 rcrp_outcome_get_label (rcrp_decision_get_recommended_outcome (decision)),
                 rcrp_decision_departs (decision) ? _(" (departed from)") : "");
      if (rcrp_decision_get_rules_version (decision) != NULL)
        g_print ("    %s %s\n", _("Rules version:"), rcrp_decision_get_rules_version (decision));
      for (guint r = 0; reasons[r] != NULL; r++)
        g_print ("    %s %s\n", _("Reason:"), reasons[r]);
      if (rcrp_decision_get_rationale (decision) != NULL)
        g_print ("    %s %s\n", _("Rationale:"), rcrp_decision_get_rationale (decision));
      print_overrides (decision, rcrp_call_get_category (call));
      if (rcrp_decision_get_take_over (decision))
        g_print ("    %s\n", _("Decided on taking the call over from the operator who held it"));
      print_answers (rcrp_decision_get_answers_json (decision));
    }

  agencies = rcrp_store_list_agencies (store, NULL);
  {
    g_autoptr(GPtrArray) referrals = rcrp_store_list_referrals (store, rcrp_call_get_id (call), FALSE, NULL);

    for (guint i = 0; referrals != NULL && i < referrals->len; i++)
      {
        RcrpReferral *referral = g_ptr_array_index (referrals, i);
        RcrpAgency *agency = agencies != NULL ? rcrp_agencies_find (agencies, referral->agency_id) : NULL;
        g_autofree char *due = format_local_time (referral->due_at);
        g_autofree char *answered = NULL;

        if (i == 0)
          g_print ("\n%s\n", _("Referrals:"));
        /* When the agency answered and who recorded it: an inquest asks. */
        if (referral->responded_at != NULL)
          {
            g_autofree char *at = format_local_time (referral->responded_at);

            /* Translators: when and by whom an agency's answer was recorded,
             * as in ", answered Sun 22 Nov 14:12 by jdoe". */
            answered = g_strdup_printf (_(", answered %s by %s"), at,
                                        referral->responded_by != NULL ? referral->responded_by : _("unknown"));
          }
        g_print (_("  %s: %s%s (answer due %s)%s%s\n"),
                 agency != NULL ? rcrp_agency_get_name (agency) : referral->agency_id,
                 rcrp_referral_state_get_label (referral->state), answered != NULL ? answered : "", due,
                 referral->reason != NULL ? " — " : "", referral->reason != NULL ? referral->reason : "");
      }
  }

  g_print ("\n%s\n", _("History:"));
  for (guint i = 0; i < events->len; i++)
    {
      RcrpEvent *event = g_ptr_array_index (events, i);
      g_autofree char *at = format_local_time (rcrp_event_get_at (event));
      g_autofree char *description = NULL;

      /* Who looked is listed by rcrp views, to those who may see it. */
      if (rcrp_event_is_view (event))
        continue;

      description = rcrp_event_dup_description (event, agencies);
      g_print (_("  #%-6" G_GINT64_FORMAT " %s  %s  (%s at %s)\n"),
               rcrp_event_get_id (event), at, description,
               rcrp_event_get_operator (event), rcrp_event_get_workstation (event));
    }

  return EXIT_OK;
}

static gboolean
on_checkpoints_option_cb (const char  *option_name,
                          const char  *value,
                          gpointer     user_data,
                          GError     **error)
{
  char **trail = user_data;

  g_free (*trail);
  *trail = g_strdup (value != NULL ? value : "");
  return TRUE;
}

static int
command_init (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("[PATH] — make a new shared database"));
  g_autoptr(RcrpClock) clock = rcrp_system_clock_new ();
  g_autoptr(RcrpStore) store = NULL;
  g_autofree char *path = NULL;
  g_autofree char *user = rcrp_context_dup_os_user ();

  g_option_context_set_description (context,
                                    _("Makes the database at PATH (or --database, $RCRP_DATABASE, the "
                                      "setting, the default), owner and group only, with its folder. You "
                                      "become its first user and administrator. Every other command refuses "
                                      "a database that does not exist, so that a mistyped name is not made "
                                      "into a new, empty database. Exit status: 0 made, 1 one is already "
                                      "there, 2 usage or I/O error."));
  if (!rcrp_cli_parse_options (context, &argc, &argv))
    return EXIT_USAGE;

  if (argc > 2)
    {
      g_printerr (_("rcrp init: name at most one database file\n"));
      return EXIT_USAGE;
    }
  if (argc == 2)
    {
      g_free (database_option);
      database_option = g_strdup (argv[1]);
    }

  creating_database = TRUE;
  path = dup_database_path ();
  if (path == NULL)
    return EXIT_USAGE;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_printerr (_("rcrp init: there is already a database at %s; nothing was changed\n"), path);
      return EXIT_REFUSED;
    }

  if (!(store = rcrp_cli_open_store (clock)))
    return EXIT_USAGE;

  g_print (_("Made a new database at %s; %s is its administrator.\n"), path, user);

  return EXIT_OK;
}

static int
command_views (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("CAD_REF — who looked at a call’s personal details, and when"));
  g_autoptr(RcrpClock) clock = rcrp_system_clock_new ();
  g_autoptr(RcrpStore) store = NULL;
  g_autoptr(RcrpCall) call = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  gboolean json = FALSE;
  guint n_views = 0;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print a JSON array of the looks"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
                                    _("Every look at a call’s details, in the app or with rcrp show, is "
                                      "recorded in the audit log (Data Protection Act 2018 s.62). Managers "
                                      "and administrators only."));
  if (!rcrp_cli_parse_options (context, &argc, &argv))
    return EXIT_USAGE;

  if (argc != 2)
    {
      g_printerr (_("rcrp views: name exactly one call reference\n"));
      return EXIT_USAGE;
    }

  if (!(store = rcrp_cli_open_store (clock)))
    return EXIT_USAGE;

  if (!rcrp_store_check_permission (store, RCRP_PERMISSION_LIST_VIEWS, &error))
    {
      g_printerr ("rcrp views: %s\n", error->message);
      return EXIT_REFUSED;
    }

  call = rcrp_store_get_call (store, argv[1], &error);
  if (call == NULL)
    {
      g_printerr ("rcrp views: %s\n", error->message);
      return g_error_matches (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_NOT_FOUND) ? EXIT_REFUSED : EXIT_USAGE;
    }

  if (!(events = rcrp_store_list_events (store, rcrp_call_get_id (call), &error)))
    {
      g_printerr ("rcrp views: %s\n", error->message);
      return EXIT_USAGE;
    }

  if (json)
    {
      builder = json_builder_new ();
      json_builder_begin_array (builder);
    }
  else
    g_print ("%-20s %-16s %-20s %s\n", _("WHEN"), _("WHO"), _("WORKSTATION"), _("HOW"));

  for (guint i = 0; i < events->len; i++)
    {
      RcrpEvent *event = g_ptr_array_index (events, i);
      g_autoptr(JsonNode) payload = NULL;
      const char *how = NULL;

      if (!rcrp_event_is_view (event))
        continue;

      payload = json_from_string (rcrp_event_get_payload (event), NULL);
      if (payload != NULL && JSON_NODE_HOLDS_OBJECT (payload))
        {
          JsonNode *member = json_object_get_member (json_node_get_object (payload), "view");

          if (member != NULL && JSON_NODE_HOLDS_VALUE (member) && json_node_get_value_type (member) == G_TYPE_STRING)
            how = json_node_get_string (member);
        }
      n_views++;

      if (json)
        {
          json_builder_begin_object (builder);
          rcrp_cli_add_time_member (builder, "at", rcrp_event_get_at (event));
          json_builder_set_member_name (builder, "operator");
          json_builder_add_string_value (builder, rcrp_event_get_operator (event));
          json_builder_set_member_name (builder, "workstation");
          json_builder_add_string_value (builder, rcrp_event_get_workstation (event));
          json_builder_set_member_name (builder, "how");
          json_builder_add_string_value (builder, how);
          json_builder_set_member_name (builder, "event_id");
          json_builder_add_int_value (builder, rcrp_event_get_id (event));
          json_builder_end_object (builder);
        }
      else
        {
          g_autofree char *at = format_local_time (rcrp_event_get_at (event));

          g_print ("%-20s %-16s %-20s %s\n", at, rcrp_event_get_operator (event),
                   rcrp_event_get_workstation (event), how != NULL ? how : "");
        }
    }

  if (json)
    {
      json_builder_end_array (builder);
      rcrp_cli_print_json (builder);
    }
  else if (n_views == 0)
    g_print ("%s\n", _("Nobody has looked at its details."));

  return EXIT_OK;
}

static int
command_verify (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("— check the tamper-evident audit chain"));
  g_autoptr(RcrpClock) clock = rcrp_system_clock_new ();
  g_autoptr(RcrpStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(RcrpAuditReport) report = { 0, };
  g_autofree char *trail = NULL;
  g_autofree char *public_key = NULL;
  g_autofree char *writer_keys = NULL;
  guint n_checkpoints = 0;
  gint64 broken_checkpoint = 0;
  gint64 n_signatures = -1;
  gint64 n_unsigned = 0;
  gboolean intact;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "checkpoints", 0, G_OPTION_FLAG_OPTIONAL_ARG | G_OPTION_FLAG_FILENAME, G_OPTION_ARG_CALLBACK,
      on_checkpoints_option_cb,
      N_("Also prove the log still holds every head in the signed checkpoint trail FILE, or in the trails "
         "of this database in DIR (default: the user's state folder, rcrp/checkpoints)"), N_("FILE|DIR") },
    { "public-key", 0, 0, G_OPTION_ARG_FILENAME, &public_key,
      N_("The public key the checkpoints are signed with (default: rcrp/checkpoint-key.pub in the user's "
         "state folder)"), N_("FILE") },
    { "writer-keys", 0, 0, G_OPTION_ARG_FILENAME, &writer_keys,
      N_("Check that every event is signed by its writer with a key pinned in DIR, one USER.pub each (default: "
         RCRP_WRITER_KEYS_DIR ", when it exists)"), N_("DIR") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print a JSON object (intact, events, rows, checkpoints, signed_heads, error, warning); the exit status "
         "is the same"),
      NULL },
    { NULL }
  };
  GOptionGroup *group;

  g_option_context_set_description (context,
                                    _("Walks every event from the first, checking each one’s "
                                      "SHA-256 hash over its content and the previous event’s "
                                      "hash, and confirms the checkpoint this user’s workstation "
                                      "keeps of the log (which it then moves to the newest event). "
                                      "Then rebuilds the current-state rows (calls, versions, users, "
                                      "undone decisions, erasures, the agency board, referrals, appeals, "
                                      "disputes, claims, drafts, the search index) from the events and "
                                      "checks each stored document and version against its hash, naming "
                                      "the first row that disagrees. With --checkpoints, checks the signed "
                                      "checkpoint trail too, which catches a log cut short or rewritten "
                                      "with every hash recomputed. With writers' keys pinned, checks that "
                                      "every event is signed by its writer, which catches events appended "
                                      "by any other means. Reads the database only. "
                                      "Exit status: 0 intact, 1 broken (the first broken "
                                      "event or row is named), 2 usage or I/O error."));
  group = g_option_group_new (NULL, NULL, NULL, &trail, NULL);
  g_option_group_add_entries (group, entries);
  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  g_option_context_set_main_group (context, group);
  if (!rcrp_cli_parse_options (context, &argc, &argv))
    return EXIT_USAGE;

  if (argc > 1)
    {
      g_printerr (_("rcrp verify: unexpected argument “%s”\n"), argv[1]);
      return EXIT_USAGE;
    }

  /* A check that wrote to what it checks would prove nothing. */
  if (!(store = rcrp_cli_open_store_read_only (clock)))
    return EXIT_USAGE;

  intact = rcrp_audit_check (store, RCRP_AUDIT_CHECK_FULL, NULL, NULL, NULL, NULL, &report, &error);
  if (report.warning != NULL)
    g_printerr ("rcrp verify: %s\n", report.warning);

  /* The chain and rows may look whole and still be a rewrite, or cut
   * short: the trail outside the database says what they were. It is
   * checked after a break too, as it often names the cause (a log cut
   * short leaves rows that no event explains). */
  if (trail != NULL && (intact || g_error_matches (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_TAMPERED)))
    {
      g_autoptr(GError) trail_error = NULL;

      if (!rcrp_checkpoint_verify_trail (store, *trail != '\0' ? trail : NULL, public_key,
                                         &n_checkpoints, &broken_checkpoint, &trail_error))
        {
          if (intact)
            {
              intact = FALSE;
              g_propagate_error (&error, g_steal_pointer (&trail_error));
            }
          else
            g_printerr ("rcrp verify: %s\n", trail_error->message);
        }
    }

  /* Appends made outside the program, after the newest checkpoint too:
   * only their writers' keys, pinned outside the database, tell. */
  if (writer_keys == NULL && g_file_test (RCRP_WRITER_KEYS_DIR, G_FILE_TEST_IS_DIR))
    writer_keys = g_strdup (RCRP_WRITER_KEYS_DIR);
  if (writer_keys != NULL && intact)
    {
      gint64 forged_event = 0;

      intact = rcrp_head_signature_verify_log (store, writer_keys, &n_signatures, &n_unsigned, &forged_event,
                                               &error);
      if (forged_event > 0)
        report.broken_event_id = forged_event;
    }

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "intact");
      json_builder_add_boolean_value (builder, intact);
      json_builder_set_member_name (builder, "events");
      json_builder_add_int_value (builder, report.n_events);
      json_builder_set_member_name (builder, "rows");
      json_builder_add_int_value (builder, report.n_rows);
      json_builder_set_member_name (builder, "checkpoints");
      if (trail != NULL)
        json_builder_add_int_value (builder, n_checkpoints);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "signed_heads");
      if (n_signatures >= 0)
        json_builder_add_int_value (builder, n_signatures);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "broken_event");
      if (report.broken_event_id > 0 || broken_checkpoint > 0)
        json_builder_add_int_value (builder, report.broken_event_id > 0 ? report.broken_event_id : broken_checkpoint);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "broken_row");
      if (report.broken_row != NULL)
        json_builder_add_string_value (builder, report.broken_row);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "error");
      if (!intact)
        json_builder_add_string_value (builder, error->message);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "warning");
      if (report.warning != NULL)
        json_builder_add_string_value (builder, report.warning);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
      rcrp_cli_print_json (builder);
    }

  if (!intact)
    {
      g_printerr ("rcrp verify: %s\n", error->message);
      return g_error_matches (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_TAMPERED)
        ? EXIT_REFUSED : EXIT_USAGE;
    }

  if (json)
    return EXIT_OK;

  g_print (ngettext ("Audit chain intact: %" G_GINT64_FORMAT " event verified.\n",
                     "Audit chain intact: %" G_GINT64_FORMAT " events verified.\n",
                     report.n_events),
           report.n_events);
  g_print (ngettext ("Current state agrees with the log: %" G_GINT64_FORMAT " row checked.\n",
                     "Current state agrees with the log: %" G_GINT64_FORMAT " rows checked.\n",
                     report.n_rows),
           report.n_rows);
  if (n_signatures >= 0)
    {
      g_print (ngettext ("Every event is signed by its writer: %" G_GINT64_FORMAT " signature checked "
                         "against the keys in %s.\n",
                         "Every event is signed by its writer: %" G_GINT64_FORMAT " signatures checked "
                         "against the keys in %s.\n",
                         n_signatures),
               n_signatures, writer_keys);
      if (n_unsigned > 0)
        g_print (ngettext ("(%" G_GINT64_FORMAT " event, the first, was recorded before its writers signed.)\n",
                           "(%" G_GINT64_FORMAT " events, the first ones, were recorded before their writers "
                           "signed.)\n",
                           n_unsigned),
                 n_unsigned);
    }
  if (trail != NULL)
    g_print (ngettext ("Every checkpointed head is in the log: %u checkpoint checked.\n",
                       "Every checkpointed head is in the log: %u checkpoints checked.\n",
                       n_checkpoints),
             n_checkpoints);

  return EXIT_OK;
}

static const RcrpCommand commands[] = {
  { "ingest",   N_("FILE…|-"),           N_("Store flagged calls from feed files or standard input"), command_ingest },
  { "list",     N_("[--json]"),          N_("Print the call queue, most urgent first"), command_list },
  { "simulate", N_("--count N [--seed S] [--spool DIR --rate R]"), N_("Write synthetic calls"), command_simulate },
  { "show",     N_("CAD_REF [--json]"),  N_("Print a call with its decisions and history"), command_show },
  { "decide",   N_("CAD_REF OUTCOME [--answer ID=A]… [--override ID]… [--rationale T] [--take-over]"),
    N_("Record a decision, as the app's actions do"), rcrp_cli_command_decide },
  { "undo",     N_("DECISION_ID"),       N_("Undo a decision by recording the undo"), rcrp_cli_command_undo },
  { "spool",    N_("DIR [--once]"),      N_("Watch a spool folder headless"), command_spool },
  { "init",     N_("[PATH]"),            N_("Make a new shared database (the only command that makes one)"), command_init },
  { "views",    N_("CAD_REF [--json]"),  N_("Who looked at a call’s personal details (managers)"), command_views },
  { "verify",   N_("[--checkpoints[=FILE|DIR]] [--public-key FILE] [--json]"),
    N_("Check the tamper-evident audit chain, the rows built from it, and its checkpoints"), command_verify },
  { "checkpoint", N_("[--key FILE] [--trail DIR]"), N_("Record the log's head outside the database, signed"),
    rcrp_cli_command_checkpoint },
  { "checkpoint-key", N_("[--key FILE] [--public-key FILE]"), N_("Make the key pair that signs checkpoints"),
    rcrp_cli_command_checkpoint_key },
  { "writer-key", N_("[--key FILE] [--public-key FILE]"), N_("Make the key pair that signs what you record"),
    rcrp_cli_command_writer_key },
  { "agencies", N_("list|status|import|export …"), N_("The partner agency board and directory"), rcrp_cli_command_agencies },
  { "referrals", N_("[--pending] [--json]|accept|decline …"), N_("Referrals and the agencies' answers"), rcrp_cli_command_referrals },
  { "appeals",  N_("[list]|lodge|resolve …"), N_("Urgent appeals of decisions not to send police"), rcrp_cli_command_appeals },
  { "disputes", N_("list|add|review|close …"), N_("Disputes, trends, risks and queries after the incident"), rcrp_cli_command_disputes },
  { "export",   N_("--from T --to T|--shift S --format F --output FILE"), N_("Export a shift summary (JSON, CSV, PDF)"), rcrp_cli_command_export },
  { "handover", N_("[--pdf FILE] [--json]"), N_("What the next shift inherits"), rcrp_cli_command_handover },
  { "users",    N_("[list [--json]]|add|remove …"), N_("Who may do what (administrators)"), rcrp_cli_command_users },
  { "whoami",   N_("[--json]"),          N_("Your user name and role"), rcrp_cli_command_whoami },
  { "retention", N_("apply [--days N] [--dry-run]"), N_("Erase personal details of old closed calls (administrators)"), rcrp_cli_command_retention },
};

static void
print_usage (FILE *stream)
{
  fprintf (stream, "%s\n\n", _("Usage: rcrp [--database PATH] COMMAND [OPTION…]"));
  fprintf (stream, "%s\n", _("Right Care Coordinator’s command-line tool. Commands:"));

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (stream, "  %-9s %-44s %s\n", commands[i].name,
             _(commands[i].parameters), _(commands[i].summary));

  fprintf (stream, "\n%s\n", _("Global options, before or after the command:"));
  fprintf (stream, "  %-22s %s\n", "-d, --database PATH",
           _("The shared database (else $RCRP_DATABASE, the settings, ~/.local/share/rcrp/rcrp.db)"));
  fprintf (stream, "  %-22s %s\n", "-h, --help", _("Print this, or with a command, that command’s help"));
  fprintf (stream, "  %-22s %s\n", "--version", _("Print the version"));
  fprintf (stream, "\n%s\n", _("“rcrp help COMMAND” or “rcrp COMMAND --help” says more about a command."));
  fprintf (stream, "%s\n", _("Exit status: 0 ok, 1 some input refused (for verify: the chain is broken), "
                             "2 usage or I/O error."));
}

static const RcrpCommand *
lookup_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (name, commands[i].name))
      return &commands[i];

  return NULL;
}

static int
run_command (const RcrpCommand  *command,
             int                 argc,
             char              **argv)
{
  g_autofree char *prgname = g_strdup_printf ("rcrp %s", command->name);
  int status;

  g_set_prgname (prgname);
  status = command->run (argc, argv);

  g_clear_pointer (&database_option, g_free);
  g_clear_pointer (&global_database_option, g_free);

  return status;
}

/* Says what went wrong before the command and how to find out more. */
static int G_GNUC_PRINTF (1, 2)
usage_error (const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("rcrp: %s\n%s\n", message, _("Try “rcrp --help”."));
  g_clear_pointer (&global_database_option, g_free);

  return EXIT_USAGE;
}

/* Everything the tool prints passes here: names, summaries and addresses
 * come from the feed, file names from whoever wrote the spool, and none of
 * them may drive the terminal. Line feeds the tool writes itself stay. */
static void
print_escaped (FILE        *stream,
               const gchar *text)
{
  g_autofree char *escaped = rcrp_text_escape_controls (text, -1, RCRP_ESCAPE_KEEP_NEWLINES);

  fputs (escaped, stream);
  fflush (stream);
}

static void
print_to_stdout (const gchar *text)
{
  print_escaped (stdout, text);
}

static void
print_to_stderr (const gchar *text)
{
  print_escaped (stderr, text);
}

int
main (int    argc,
      char **argv)
{
  const RcrpCommand *command;
  gboolean help = FALSE;
  int first = 1;

  setlocale (LC_ALL, "");

  /* One line per result, written as it happens: a service's log (and a
   * crash test) must see every report made before the process died. */
  setvbuf (stdout, NULL, _IOLBF, 0);
  g_set_print_handler (print_to_stdout);
  g_set_printerr_handler (print_to_stderr);
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Global options before the command, as git, apt and systemctl take
   * them; the command's own parser takes the same ones after it. */
  while (first < argc && argv[first][0] == '-')
    {
      const char *arg = argv[first];

      if (g_str_equal (arg, "--"))
        {
          first++;
          break;
        }
      else if (g_str_equal (arg, "--help") || g_str_equal (arg, "-h"))
        {
          help = TRUE;
          first++;
        }
      else if (g_str_equal (arg, "--version"))
        {
          g_print ("rcrp %s\n", PACKAGE_VERSION);
          g_clear_pointer (&global_database_option, g_free);
          return EXIT_OK;
        }
      else if (g_str_equal (arg, "--database") || g_str_equal (arg, "-d"))
        {
          if (first + 1 >= argc || argv[first + 1][0] == '\0')
            return usage_error (_("%s needs a PATH"), arg);
          g_free (global_database_option);
          global_database_option = g_strdup (argv[first + 1]);
          first += 2;
        }
      else if (g_str_has_prefix (arg, "--database="))
        {
          if (arg[strlen ("--database=")] == '\0')
            return usage_error (_("%s needs a PATH"), "--database");
          g_free (global_database_option);
          global_database_option = g_strdup (arg + strlen ("--database="));
          first++;
        }
      else
        {
          return usage_error (_("unknown option “%s” (global options: --database PATH, --help, --version)"), arg);
        }
    }

  if (first >= argc)
    {
      g_clear_pointer (&global_database_option, g_free);
      print_usage (help ? stdout : stderr);
      return help ? EXIT_OK : EXIT_USAGE;
    }

  /* "rcrp help COMMAND" and "rcrp --help COMMAND" are "rcrp COMMAND --help". */
  if (g_str_equal (argv[first], "help") || help)
    {
      const char *name = g_str_equal (argv[first], "help") ? argv[first + 1] : argv[first];
      char *help_argv[] = { NULL, (char *) "--help", NULL };

      if (name == NULL || g_str_equal (name, "help"))
        {
          g_clear_pointer (&global_database_option, g_free);
          print_usage (stdout);
          return EXIT_OK;
        }

      if ((command = lookup_command (name)) == NULL)
        return usage_error (_("unknown command “%s”"), name);

      help_argv[0] = (char *) command->name;
      return run_command (command, 2, help_argv);
    }

  if ((command = lookup_command (argv[first])) == NULL)
    return usage_error (_("unknown command “%s”"), argv[first]);

  return run_command (command, argc - first, argv + first);
}

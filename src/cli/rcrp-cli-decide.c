/* rcrp-cli-decide.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>

#include <glib/gi18n.h>

#include "rcrp-cli.h"
#include "rcrp-context.h"

/* A refusal by the rules (the store's or the decision's own) is the
 * user's to put right, not an I/O failure. */
static int
exit_status_for (const GError *error)
{
  if (error->domain == RCRP_DECISION_ERROR || error->domain == RCRP_TRIAGE_ERROR)
    return EXIT_REFUSED;
  if (g_error_matches (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_CLAIMED) ||
      g_error_matches (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_CONFLICT) ||
      g_error_matches (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_INVALID) ||
      g_error_matches (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_FORBIDDEN) ||
      g_error_matches (error, RCRP_STORE_ERROR, RCRP_STORE_ERROR_NOT_FOUND))
    return EXIT_REFUSED;

  return EXIT_USAGE;
}

/* rcrp decide: the same decision the app's one-click actions record, with
 * the same rules, checked by the store. The command is a claim session of
 * its own: it claims the call for the decision if nobody is working it
 * (logged), is refused if someone is, unless --take-over (logged), and
 * releases its claim when done. */
int
rcrp_cli_command_decide (int    argc,
                         char **argv)
{
  g_autoptr(GOptionContext) option_context = NULL;
  g_autoptr(RcrpContext) context = NULL;
  g_autoptr(RcrpClock) clock = rcrp_system_clock_new ();
  g_autoptr(RcrpStore) store = NULL;
  g_autoptr(RcrpTriageRules) rules = NULL;
  g_autoptr(RcrpCall) call = NULL;
  g_autoptr(RcrpTriageAnswers) answers = NULL;
  g_autoptr(RcrpRecommendation) recommendation = NULL;
  g_autoptr(RcrpDecision) decision = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) answer_options = NULL;
  g_auto(GStrv) override_options = NULL;
  g_autofree char *agency = NULL;
  g_autofree char *rationale = NULL;
  g_autofree char *session = NULL;
  g_autofree char *answers_json = NULL;
  gboolean take_over = FALSE;
  const char *outcome;
  gint64 event_id;
  const GOptionEntry entries[] = {
    { "answer", 0, 0, G_OPTION_ARG_STRING_ARRAY, &answer_options,
      N_("A checklist answer, as QUESTION_ID=yes|no|unknown (repeat for each)"), N_("ID=ANSWER") },
    { "override", 0, 0, G_OPTION_ARG_STRING_ARRAY, &override_options,
      N_("Decide without police with this threshold question not ruled out (repeat; needs --rationale)"),
      N_("QUESTION_ID") },
    { "agency", 0, 0, G_OPTION_ARG_STRING, &agency, N_("For a referral: the agency's id"), N_("ID") },
    { "rationale", 0, 0, G_OPTION_ARG_STRING, &rationale, N_("Why, when departing from the recommendation"),
      N_("TEXT") },
    { "take-over", 0, 0, G_OPTION_ARG_NONE, &take_over,
      N_("Take the call over from whoever is working it (logged)"), NULL },
    { NULL }
  };

  option_context = g_option_context_new (_("CAD_REF OUTCOME — record a decision: police_deployed, referred, "
                                           "signposted or no_further_action"));
  g_option_context_add_main_entries (option_context, entries, GETTEXT_PACKAGE);
  if (!rcrp_cli_parse_options (option_context, &argc, &argv))
    return EXIT_USAGE;

  if (argc != 3)
    {
      g_printerr (_("rcrp decide: give a call reference and an outcome\n"));
      return EXIT_USAGE;
    }

  outcome = argv[2];
  if (!rcrp_outcome_is_valid (outcome))
    {
      g_printerr (_("rcrp decide: “%s” is not an outcome: police_deployed, referred, signposted or "
                    "no_further_action\n"), outcome);
      return EXIT_USAGE;
    }

  rules = rcrp_triage_rules_new_default (&error);
  if (rules == NULL || !(store = rcrp_cli_open_store (clock)))
    {
      if (error != NULL)
        g_printerr ("rcrp decide: %s\n", error->message);
      return EXIT_USAGE;
    }

  call = rcrp_store_get_call (store, argv[1], &error);
  if (call == NULL)
    {
      g_printerr ("rcrp decide: %s\n", error->message);
      return exit_status_for (error);
    }

  /* What the call says already, then what the coordinator answers. */
  answers = rcrp_triage_answers_new_for_call (rules, call);
  for (guint i = 0; answer_options != NULL && answer_options[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (answer_options[i], "=", 2);
      RcrpAnswer answer;

      if (parts[0] == NULL || parts[1] == NULL || !rcrp_answer_from_string (parts[1], &answer) ||
          rcrp_triage_rules_lookup_question (rules, rcrp_call_get_category (call), parts[0]) == NULL)
        {
          g_printerr (_("rcrp decide: --answer %s: give a question of this call's checklist and yes, no or "
                        "unknown, as cfw.crime=no\n"), answer_options[i]);
          return EXIT_USAGE;
        }
      rcrp_triage_answers_set (answers, parts[0], answer);
    }

  recommendation = rcrp_triage_recommend (rules, call, answers);
  answers_json = rcrp_triage_answers_to_json (answers);

  decision = rcrp_decision_new (rcrp_call_get_id (call), outcome, rcrp_recommendation_get_outcome (recommendation));
  rcrp_decision_set_agency (decision, agency);
  rcrp_decision_set_rationale (decision, rationale);
  rcrp_decision_set_answers_json (decision, answers_json);
  rcrp_decision_set_rules_version (decision, rcrp_recommendation_get_rules_version (recommendation));
  rcrp_decision_set_reasons (decision, rcrp_recommendation_get_reasons (recommendation));
  rcrp_decision_set_overrides (decision, (const char * const *) override_options);
  rcrp_decision_set_take_over (decision, take_over);

  {
    g_autofree char *uuid = g_uuid_string_random ();

    session = g_strdup_printf ("cli-%s", uuid);
  }
  /* Another session's idle claim lapses when it would for the app. */
  context = rcrp_cli_context_new (store, clock);
  rcrp_decision_set_session (decision, session, rcrp_context_get_claim_lapse (context));

  event_id = rcrp_store_record_decision (store, decision, &error);

  /* A one-shot session: whatever it claimed, it lets go. */
  {
    g_autoptr(GError) release_error = NULL;

    if (!rcrp_store_release_claims (store, session, &release_error))
      g_printerr ("rcrp decide: %s\n", release_error->message);
  }

  if (event_id < 0)
    {
      g_printerr ("rcrp decide: %s\n", error->message);
      return exit_status_for (error);
    }

  g_print (_("%s: %s (decision %" G_GINT64_FORMAT ")\n"), rcrp_call_get_cad_ref (call),
           rcrp_outcome_get_done_label (outcome), event_id);

  return EXIT_OK;
}

int
rcrp_cli_command_undo (int    argc,
                       char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("DECISION_ID — undo a decision (the id `rcrp decide` "
                                                              "printed), by recording the undo"));
  g_autoptr(RcrpClock) clock = rcrp_system_clock_new ();
  g_autoptr(RcrpStore) store = NULL;
  g_autoptr(GError) error = NULL;
  char *end = NULL;
  gint64 decision_id, event_id;

  if (!rcrp_cli_parse_options (context, &argc, &argv))
    return EXIT_USAGE;

  if (argc != 2 || (decision_id = g_ascii_strtoll (argv[1], &end, 10)) <= 0 || *end != '\0')
    {
      g_printerr (_("rcrp undo: give the decision's number\n"));
      return EXIT_USAGE;
    }

  if (!(store = rcrp_cli_open_store (clock)))
    return EXIT_USAGE;

  event_id = rcrp_store_undo_decision (store, decision_id, &error);
  if (event_id < 0)
    {
      g_printerr ("rcrp undo: %s\n", error->message);
      return exit_status_for (error);
    }

  g_print (_("Decision %" G_GINT64_FORMAT " undone (event %" G_GINT64_FORMAT ")\n"), decision_id, event_id);

  return EXIT_OK;
}

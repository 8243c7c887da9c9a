/* rcrp-alert.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rcrp-alert.h"
#include "rcrp-decision.h"
#include "rcrp-text.h"

/* A notification shows two or three lines; the rest is in the app. */
#define HEADLINE_CHARS 120

/* Fewer digits than this are times, ages, ward and house numbers; more
 * are phone numbers (or close enough to them to leave out).
 */
#define PHONE_MIN_DIGITS 7

G_DEFINE_BOXED_TYPE (RcrpAlert, rcrp_alert, rcrp_alert_copy, rcrp_alert_free)

RcrpAlert *
rcrp_alert_copy (const RcrpAlert *alert)
{
  RcrpAlert *copy;

  g_return_val_if_fail (alert != NULL, NULL);

  copy = g_new0 (RcrpAlert, 1);
  *copy = *alert;
  copy->key = g_strdup (alert->key);
  copy->cad_ref = g_strdup (alert->cad_ref);
  copy->title = g_strdup (alert->title);
  copy->body = g_strdup (alert->body);

  return copy;
}

void
rcrp_alert_free (RcrpAlert *alert)
{
  if (alert == NULL)
    return;

  g_free (alert->key);
  g_free (alert->cad_ref);
  g_free (alert->title);
  g_free (alert->body);
  g_free (alert);
}

RcrpAlertUrgency
rcrp_alert_urgency_for_grade (int grade)
{
  if (grade <= 1)
    return RCRP_ALERT_URGENCY_CRITICAL;
  if (grade >= 4)
    return RCRP_ALERT_URGENCY_LOW;

  return RCRP_ALERT_URGENCY_NORMAL;
}

/* Cleaning the headline -------------------------------------------------------------- */

typedef enum
{
  MARK_NAME,
  MARK_ADDRESS,
  MARK_NUMBER,
} Mark;

typedef struct
{
  gsize  start;     /* byte offsets in the text */
  gsize  end;
  char  *folded;    /* casefolded, for comparing */
  guint  n_digits;  /* all digits: how many; else 0 */
} Word;

typedef struct
{
  GPtrArray *words; /* of char *, casefolded */
  Mark       mark;
} Phrase;

static void
clear_word (gpointer data)
{
  Word *word = data;

  g_free (word->folded);
}

static void
free_phrase (gpointer data)
{
  Phrase *phrase = data;

  g_ptr_array_unref (phrase->words);
  g_free (phrase);
}

/* Words are runs of letters and digits, so "Smith's" holds the word
 * "Smith" and "Smith-Jones" two words.
 */
static GArray *
split_words (const char *text)
{
  GArray *words = g_array_new (FALSE, TRUE, sizeof (Word));
  const char *p = text;

  g_array_set_clear_func (words, clear_word);

  while (*p != '\0')
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c))
        {
          const char *start = p;
          gboolean all_digits = TRUE;
          guint n_chars = 0;
          Word word = { 0 };

          while (*p != '\0' && g_unichar_isalnum (c = g_utf8_get_char (p)))
            {
              all_digits = all_digits && g_unichar_isdigit (c);
              n_chars++;
              p = g_utf8_next_char (p);
            }

          word.start = start - text;
          word.end = p - text;
          word.folded = g_utf8_casefold (start, p - start);
          word.n_digits = all_digits ? n_chars : 0;
          g_array_append_val (words, word);
        }
      else
        {
          p = g_utf8_next_char (p);
        }
    }

  return words;
}

/* Titles and little words stay: "Mr [name]" is fine, and a caller "Nurse
 * in charge" must not take every "in" out of the summary.
 */
static gboolean
is_kept_word (const char *folded)
{
  static const char * const kept[] = {
    "mr", "mrs", "ms", "mx", "miss", "dr", "prof", "sir",
    "an", "and", "or", "of", "in", "at", "on", "to", "for", "from", "with", "by", "the",
  };

  if (g_utf8_strlen (folded, -1) < 2)
    return TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (kept); i++)
    if (g_str_equal (folded, kept[i]))
      return TRUE;

  return FALSE;
}

static void
add_phrase (GPtrArray  *phrases,
            GArray     *words,
            guint       first,
            guint       n_words,
            Mark        mark)
{
  Phrase *phrase;

  if (n_words == 0)
    return;

  phrase = g_new0 (Phrase, 1);
  phrase->words = g_ptr_array_new_with_free_func (g_free);
  phrase->mark = mark;
  for (guint i = first; i < first + n_words; i++)
    g_ptr_array_add (phrase->words, g_strdup (g_array_index (words, Word, i).folded));

  g_ptr_array_add (phrases, phrase);
}

/* Every word of a name on its own: a summary says "Mr Smith" as often as
 * "John Smith".
 */
static void
add_name (GPtrArray  *phrases,
          const char *name)
{
  g_autoptr(GArray) words = NULL;

  if (name == NULL)
    return;

  words = split_words (name);
  for (guint i = 0; i < words->len; i++)
    if (!is_kept_word (g_array_index (words, Word, i).folded))
      add_phrase (phrases, words, i, 1, MARK_NAME);
}

/* An address as the phrases between its commas ("12 Acacia Avenue",
 * "Southampton"), a postcode with and without its space.
 */
static void
add_place (GPtrArray  *phrases,
           const char *address,
           const char *postcode)
{
  if (address != NULL)
    {
      g_auto(GStrv) parts = g_strsplit_set (address, ",;\n", -1);

      for (guint i = 0; parts[i] != NULL; i++)
        {
          g_autoptr(GArray) words = split_words (parts[i]);

          if (words->len > 1 || (words->len == 1 && !is_kept_word (g_array_index (words, Word, 0).folded)))
            add_phrase (phrases, words, 0, words->len, MARK_ADDRESS);
        }
    }

  if (postcode != NULL)
    {
      g_autoptr(GArray) words = split_words (postcode);
      g_autoptr(GString) joined = g_string_new (NULL);

      add_phrase (phrases, words, 0, words->len, MARK_ADDRESS);

      if (words->len > 1)
        {
          g_autoptr(GArray) single = NULL;

          for (guint i = 0; i < words->len; i++)
            g_string_append (joined, g_array_index (words, Word, i).folded);
          single = split_words (joined->str);
          add_phrase (phrases, single, 0, single->len, MARK_ADDRESS);
        }
    }
}

static int
compare_phrase_length (gconstpointer a,
                       gconstpointer b)
{
  const Phrase *phrase_a = *(const Phrase * const *) a;
  const Phrase *phrase_b = *(const Phrase * const *) b;

  return (int) phrase_b->words->len - (int) phrase_a->words->len;
}

static guint
match_phrase (GArray       *words,
              guint         at,
              const Phrase *phrase)
{
  if (at + phrase->words->len > words->len)
    return 0;

  for (guint i = 0; i < phrase->words->len; i++)
    if (!g_str_equal (g_array_index (words, Word, at + i).folded, g_ptr_array_index (phrase->words, i)))
      return 0;

  return phrase->words->len;
}

static gboolean
is_number_separator (const char *text,
                     gsize       start,
                     gsize       end)
{
  if (end - start > 3)
    return FALSE;

  for (gsize i = start; i < end; i++)
    if (strchr (" -+().", text[i]) == NULL)
      return FALSE;

  return TRUE;
}

/* Digits split by spaces or dashes, as people write phone numbers. */
static guint
match_number (const char *text,
              GArray     *words,
              guint       at)
{
  guint n_digits = 0;
  guint i;

  for (i = at; i < words->len; i++)
    {
      Word *word = &g_array_index (words, Word, i);

      if (word->n_digits == 0)
        break;
      if (i > at && !is_number_separator (text, g_array_index (words, Word, i - 1).end, word->start))
        break;

      n_digits += word->n_digits;
    }

  return n_digits >= PHONE_MIN_DIGITS ? i - at : 0;
}

/* A reference such as ESC-2026-000123 or HC-20261122-0042: a short code
 * in capitals, then groups of digits, each joined by a dash alone. It is
 * what the reader needs to find the call or appeal, and is no one's phone
 * number, however many digits it has. Returns how many words it takes.
 */
static guint
match_reference (const char *text,
                 GArray     *words,
                 guint       at)
{
  Word *code = &g_array_index (words, Word, at);
  gsize length = code->end - code->start;
  guint i;

  if (code->n_digits != 0 || length < 2 || length > 5)
    return 0;
  for (gsize c = code->start; c < code->end; c++)
    if (!g_ascii_isupper (text[c]))
      return 0;

  for (i = at + 1; i < words->len; i++)
    {
      Word *group = &g_array_index (words, Word, i);
      Word *before = &g_array_index (words, Word, i - 1);

      if (group->n_digits == 0 || group->start != before->end + 1 || text[before->end] != '-')
        break;
    }

  return i - at > 1 ? i - at : 0;
}

static const char *
mark_text (Mark mark)
{
  switch (mark)
    {
    case MARK_NAME:
      /* Translators: stands for a person's name left out of a notification. */
      return _("[name]");

    case MARK_ADDRESS:
      /* Translators: stands for an address left out of a notification. */
      return _("[address]");

    case MARK_NUMBER:
    default:
      /* Translators: stands for a phone number left out of a notification. */
      return _("[number]");
    }
}

static gboolean
only_spaces (const char *text)
{
  return text[strspn (text, " ")] == '\0';
}

static char *
first_line (const char *text)
{
  gsize length = strcspn (text, "\r\n");

  return g_strstrip (g_strndup (text, length));
}

/* Cuts at a space so no word is left half there. */
static void
shorten (GString *text,
         guint    max_chars)
{
  const char *cut;
  const char *space;

  if (max_chars == 0 || g_utf8_strlen (text->str, -1) <= max_chars)
    return;

  cut = g_utf8_offset_to_pointer (text->str, max_chars - 1);
  space = g_utf8_strrchr (text->str, cut - text->str, ' ');
  if (space != NULL && space > text->str + (cut - text->str) / 2)
    cut = space;

  g_string_truncate (text, cut - text->str);
  while (text->len > 0 && strchr (" ,;:-", text->str[text->len - 1]) != NULL)
    g_string_truncate (text, text->len - 1);
  g_string_append (text, "…");
}

char *
rcrp_alert_dup_headline (RcrpCall   *call,
                         const char *text,
                         guint       max_chars)
{
  g_autoptr(GPtrArray) phrases = g_ptr_array_new_with_free_func (free_phrase);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GArray) words = NULL;
  g_autofree char *line = NULL;
  gsize copied = 0;
  gsize last_mark_end = 0;
  int last_mark = -1;

  g_return_val_if_fail (RCRP_IS_CALL (call), NULL);

  if (text == NULL)
    text = rcrp_call_get_summary (call);
  if (text == NULL)
    return g_strdup ("");

  line = first_line (text);

  add_name (phrases, rcrp_call_get_subject_name (call));
  add_name (phrases, rcrp_call_get_caller_name (call));
  add_place (phrases, rcrp_call_get_address (call), rcrp_call_get_postcode (call));
  g_ptr_array_sort (phrases, compare_phrase_length);

  words = split_words (line);

  for (guint i = 0; i < words->len;)
    {
      guint n_words = 0;
      Mark mark = MARK_NAME;

      /* Kept as it is: the text is copied up to the next mark. */
      n_words = match_reference (line, words, i);
      if (n_words > 0)
        {
          i += n_words;
          continue;
        }

      n_words = match_number (line, words, i);
      if (n_words > 0)
        mark = MARK_NUMBER;

      for (guint p = 0; n_words == 0 && p < phrases->len; p++)
        {
          const Phrase *phrase = g_ptr_array_index (phrases, p);

          n_words = match_phrase (words, i, phrase);
          mark = phrase->mark;
        }

      if (n_words == 0)
        {
          i++;
          continue;
        }

      g_string_append_len (out, line + copied, g_array_index (words, Word, i).start - copied);

      /* "[name] [name]" says no more than "[name]". */
      if ((int) mark == last_mark && only_spaces (out->str + last_mark_end))
        g_string_truncate (out, last_mark_end);
      else
        g_string_append (out, mark_text (mark));

      last_mark_end = out->len;
      last_mark = mark;
      copied = g_array_index (words, Word, i + n_words - 1).end;
      i += n_words;
    }

  g_string_append (out, line + copied);
  shorten (out, max_chars);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Building alerts --------------------------------------------------------------------- */

/* Minutes in the words of the queue (rcrp_format_waiting). */
static char *
format_minutes (gint64 minutes)
{
  /* A target of none is "0 min", not "just now". */
  if (minutes < 1)
    return g_strdup_printf (_("%d min"), 0);

  return rcrp_format_waiting (minutes * 60);
}

static RcrpAlert *
alert_for_call (RcrpAlertKind  kind,
                RcrpCall      *call)
{
  RcrpAlert *alert = g_new0 (RcrpAlert, 1);

  alert->kind = kind;
  alert->call_id = rcrp_call_get_id (call);
  alert->cad_ref = g_strdup (rcrp_call_get_cad_ref (call));
  alert->grade = rcrp_call_get_grade (call);
  alert->category = rcrp_call_get_category (call);
  alert->urgency = rcrp_alert_urgency_for_grade (alert->grade);
  alert->key = g_strdup_printf ("call:%" G_GINT64_FORMAT, alert->call_id);

  return alert;
}

RcrpAlert *
rcrp_alert_new_for_call (RcrpAlertKind  kind,
                         RcrpCall      *call,
                         GTimeSpan      waited,
                         int            target_minutes)
{
  g_autoptr(RcrpAlert) alert = NULL;
  g_autofree char *headline = NULL;
  const char *category;

  g_return_val_if_fail (RCRP_IS_CALL (call), NULL);
  g_return_val_if_fail (kind <= RCRP_ALERT_CALL_DECIDED, NULL);

  alert = alert_for_call (kind, call);
  category = rcrp_category_get_label (alert->category);
  headline = rcrp_alert_dup_headline (call, NULL, HEADLINE_CHARS);

  switch (kind)
    {
    case RCRP_ALERT_NEW_CALL:
      /* Translators: "New grade 1 call: Concern for welfare". */
      alert->title = g_strdup_printf (_("New grade %d call: %s"), alert->grade, category);
      alert->body = g_strdup_printf ("%s — %s", alert->cad_ref, headline);
      break;

    case RCRP_ALERT_CALL_UPDATED:
      /* Translators: "Updated grade 2 call: Concern for welfare". */
      alert->title = g_strdup_printf (_("Updated grade %d call: %s"), alert->grade, category);
      alert->body = g_strdup_printf ("%s — %s", alert->cad_ref, headline);
      break;

    case RCRP_ALERT_CALL_WAITING:
      {
        g_autofree char *waited_text = format_minutes (waited / G_TIME_SPAN_MINUTE);
        g_autofree char *target_text = format_minutes (target_minutes);

        /* Translators: "Grade 1 call waiting 12 min: Concern for welfare". */
        alert->title = g_strdup_printf (_("Grade %d call waiting %s: %s"), alert->grade, waited_text, category);
        /* Translators: the call reference and its summary, then the target
         * as in "No decision yet; the target for grade 1 is 5 min." */
        alert->body = g_strdup_printf (_("%s — %s\nNo decision yet; the target for grade %d is %s."),
                                       alert->cad_ref, headline, alert->grade, target_text);
        /* Late is worth more attention than new. */
        if (alert->urgency == RCRP_ALERT_URGENCY_LOW)
          alert->urgency = RCRP_ALERT_URGENCY_NORMAL;
      }
      break;

    case RCRP_ALERT_CALL_DECIDED:
      alert->urgency = RCRP_ALERT_URGENCY_LOW;
      /* Translators: "Decided: HC-20261122-0042". */
      alert->title = g_strdup_printf (_("Decided: %s"), alert->cad_ref);
      alert->body = g_strdup ("");
      break;

    case RCRP_ALERT_APPEAL:
    case RCRP_ALERT_AGENCY:
    default:
      g_assert_not_reached ();
    }

  return g_steal_pointer (&alert);
}

RcrpAlert *
rcrp_alert_new_appeal (RcrpCall   *call,
                       const char *reason,
                       gboolean    urgent)
{
  g_autoptr(RcrpAlert) alert = NULL;
  g_autofree char *cleaned = NULL;

  g_return_val_if_fail (RCRP_IS_CALL (call), NULL);

  alert = alert_for_call (RCRP_ALERT_APPEAL, call);
  g_free (alert->key);
  alert->key = g_strdup_printf ("appeal:%" G_GINT64_FORMAT, alert->call_id);
  alert->urgency = urgent ? RCRP_ALERT_URGENCY_CRITICAL : RCRP_ALERT_URGENCY_NORMAL;

  if (urgent)
    /* Translators: "Urgent appeal: grade 2 call HC-20261122-0042". */
    alert->title = g_strdup_printf (_("Urgent appeal: grade %d call %s"), alert->grade, alert->cad_ref);
  else
    /* Translators: "Appeal: grade 2 call HC-20261122-0042". */
    alert->title = g_strdup_printf (_("Appeal: grade %d call %s"), alert->grade, alert->cad_ref);

  cleaned = rcrp_alert_dup_headline (call, reason != NULL ? reason : "", HEADLINE_CHARS);
  alert->body = g_strdup_printf ("%s — %s", rcrp_category_get_label (alert->category), cleaned);

  return g_steal_pointer (&alert);
}

RcrpAlert *
rcrp_alert_new_appeal_result (RcrpCall         *call,
                              const RcrpAppeal *appeal)
{
  g_autoptr(RcrpAlert) alert = NULL;
  g_autofree char *cleaned = NULL;
  g_autofree char *outcome = NULL;

  g_return_val_if_fail (RCRP_IS_CALL (call), NULL);
  g_return_val_if_fail (appeal != NULL && appeal->state != RCRP_APPEAL_OPEN, NULL);

  alert = alert_for_call (RCRP_ALERT_APPEAL, call);
  g_free (alert->key);
  alert->key = g_strdup_printf ("appeal-result:%" G_GINT64_FORMAT, appeal->id);

  if (appeal->state == RCRP_APPEAL_OVERTURNED)
    {
      /* Another outcome now stands: the coordinator must not act on the old one. */
      alert->urgency = RCRP_ALERT_URGENCY_CRITICAL;
      /* Translators: "Appeal ESC-2026-000001 overturned: grade 2 call HC-20261122-0042". */
      alert->title = g_strdup_printf (_("Appeal %s overturned: grade %d call %s"),
                                      appeal->reference, alert->grade, alert->cad_ref);
      /* Translators: the outcome a supervisor recorded, as in "Now: Police deployed". */
      outcome = g_strdup_printf (_("Now: %s"), rcrp_outcome_get_done_label (appeal->new_outcome));
    }
  else
    {
      alert->urgency = RCRP_ALERT_URGENCY_NORMAL;
      /* Translators: "Appeal ESC-2026-000001 upheld: grade 2 call HC-20261122-0042". */
      alert->title = g_strdup_printf (_("Appeal %s upheld: grade %d call %s"),
                                      appeal->reference, alert->grade, alert->cad_ref);
      /* Translators: the decision that stands, as in "The decision stands: Signposted". */
      outcome = g_strdup_printf (_("The decision stands: %s"), rcrp_outcome_get_done_label (appeal->appealed_outcome));
    }

  cleaned = rcrp_alert_dup_headline (call, appeal->rationale != NULL ? appeal->rationale : "", HEADLINE_CHARS);
  if (*cleaned != '\0')
    /* Translators: the result, who reviewed it and why, as in
     * "Now: Police deployed (by sup). Possible overdose: risk to life". */
    alert->body = g_strdup_printf (_("%s (by %s). %s"), outcome, appeal->resolved_by, cleaned);
  else
    alert->body = g_strdup_printf (_("%s (by %s)."), outcome, appeal->resolved_by);

  return g_steal_pointer (&alert);
}

RcrpAlert *
rcrp_alert_new_agency (const char      *agency_id,
                       const char      *agency_name,
                       RcrpAgencyAlert  what,
                       guint            n_pending_referrals,
                       gint64           call_id)
{
  RcrpAlert *alert;

  g_return_val_if_fail (agency_id != NULL, NULL);
  g_return_val_if_fail (agency_name != NULL, NULL);

  alert = g_new0 (RcrpAlert, 1);
  alert->kind = RCRP_ALERT_AGENCY;
  alert->urgency = RCRP_ALERT_URGENCY_NORMAL;
  alert->key = g_strdup_printf ("agency:%s", agency_id);
  alert->call_id = call_id;

  if (what == RCRP_AGENCY_ALERT_CLOSED)
    /* Translators: %s is an agency, as in "Crisis café has closed". */
    alert->title = g_strdup_printf (_("%s has closed"), agency_name);
  else
    /* Translators: %s is an agency, as in "Crisis café is at capacity". */
    alert->title = g_strdup_printf (_("%s is at capacity"), agency_name);

  alert->body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "%u pending referral depends on it.",
                                              "%u pending referrals depend on it.",
                                              n_pending_referrals),
                                 n_pending_referrals);

  return alert;
}

/* rcrp-search.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the words of a search are, and where they match in a text, the way
 * the store's FTS5 index (unicode61, remove_diacritics 2, each word a
 * prefix) sees it: the store builds its query from the same words, so what
 * the queue shows in bold is what made a call match.
 */

#include "config.h"

#include <string.h>

#include "rcrp-search.h"

#define ELLIPSIS "\xe2\x80\xa6"

/* Bold and underlined: it reads without colour, and shows in a heading,
 * which is bold already. HACK: GTK 4.8 draws no single underline under
 * text of the body size (it does under larger text); a low one shows. */
#define MATCH_START "<span weight=\"bold\" underline=\"low\">"
#define MATCH_END "</span>"

/* A word starts with a letter or digit; combining marks belong to the
 * word they follow, as unicode61 keeps them, so "Zoë" written with a
 * combining diaeresis is one word. */
static gboolean
next_word (const char  *p,
           const char **start,
           const char **end)
{
  while (*p != '\0' && !g_unichar_isalnum (g_utf8_get_char (p)))
    p = g_utf8_next_char (p);

  if (*p == '\0')
    return FALSE;

  *start = p;
  while (*p != '\0' && (g_unichar_isalnum (g_utf8_get_char (p)) || g_unichar_ismark (g_utf8_get_char (p))))
    p = g_utf8_next_char (p);
  *end = p;

  return TRUE;
}

GStrv
rcrp_search_split_words (const char *search)
{
  GPtrArray *words = g_ptr_array_new ();
  g_autofree char *valid = NULL;
  const char *start;
  const char *end;

  if (search != NULL)
    {
      valid = g_utf8_make_valid (search, -1);
      for (const char *p = valid; next_word (p, &start, &end); p = end)
        g_ptr_array_add (words, g_strndup (start, end - start));
    }
  g_ptr_array_add (words, NULL);

  return (GStrv) g_ptr_array_free (words, FALSE);
}

static void
append_folded (GString    *folded,
               const char *start,
               const char *end)
{
  for (const char *p = start; p < end && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar decomposed[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
      gsize n = g_unichar_fully_decompose (g_utf8_get_char (p), FALSE, decomposed, G_N_ELEMENTS (decomposed));

      for (gsize i = 0; i < n; i++)
        if (!g_unichar_ismark (decomposed[i]))
          g_string_append_unichar (folded, g_unichar_tolower (decomposed[i]));
    }
}

char *
rcrp_search_fold (const char *word)
{
  g_autofree char *valid = NULL;
  GString *folded = g_string_new (NULL);

  g_return_val_if_fail (word != NULL, NULL);

  valid = g_utf8_make_valid (word, -1);
  append_folded (folded, valid, valid + strlen (valid));

  return g_string_free (folded, FALSE);
}

/* The words of @search, folded. */
static GStrv
fold_search (const char *search)
{
  GStrv words = rcrp_search_split_words (search);

  for (guint i = 0; words[i] != NULL; i++)
    {
      char *folded = rcrp_search_fold (words[i]);

      g_free (words[i]);
      words[i] = folded;
    }

  return words;
}

static gboolean
word_matches (const char  *start,
              const char  *end,
              GStrv        folded_search,
              GString     *scratch)
{
  g_string_truncate (scratch, 0);
  append_folded (scratch, start, end);

  for (guint i = 0; folded_search[i] != NULL; i++)
    if (g_str_has_prefix (scratch->str, folded_search[i]))
      return TRUE;

  return FALSE;
}

/* The first word of @text that matches, as byte offsets; FALSE if none. */
static gboolean
find_match (const char *text,
            GStrv       folded_search,
            gsize      *match_start,
            gsize      *match_end)
{
  g_autoptr(GString) scratch = g_string_new (NULL);
  const char *start;
  const char *end;

  for (const char *p = text; next_word (p, &start, &end); p = end)
    {
      if (word_matches (start, end, folded_search, scratch))
        {
          *match_start = start - text;
          *match_end = end - text;
          return TRUE;
        }
    }

  return FALSE;
}

static void
append_escaped (GString    *markup,
                const char *start,
                const char *end)
{
  g_autofree char *escaped = g_markup_escape_text (start, end - start);

  g_string_append (markup, escaped);
}

static void
append_highlighted (GString    *markup,
                    const char *text,
                    GStrv       folded_search)
{
  g_autoptr(GString) scratch = g_string_new (NULL);
  const char *shown = text;
  const char *start;
  const char *end;

  for (const char *p = text; next_word (p, &start, &end); p = end)
    {
      if (!word_matches (start, end, folded_search, scratch))
        continue;

      append_escaped (markup, shown, start);
      g_string_append (markup, MATCH_START);
      append_escaped (markup, start, end);
      g_string_append (markup, MATCH_END);
      shown = end;
    }

  append_escaped (markup, shown, shown + strlen (shown));
}

gboolean
rcrp_search_matches (const char *text,
                     const char *search)
{
  g_auto(GStrv) folded_search = fold_search (search);
  g_autofree char *valid = NULL;
  gsize start;
  gsize end;

  if (text == NULL || folded_search[0] == NULL)
    return FALSE;

  valid = g_utf8_make_valid (text, -1);

  return find_match (valid, folded_search, &start, &end);
}

char *
rcrp_search_highlight (const char *text,
                       const char *search)
{
  g_auto(GStrv) folded_search = fold_search (search);
  g_autofree char *valid = NULL;
  GString *markup = g_string_new (NULL);

  if (text == NULL)
    return g_string_free (markup, FALSE);

  valid = g_utf8_make_valid (text, -1);
  append_highlighted (markup, valid, folded_search);

  return g_string_free (markup, FALSE);
}

/* @text on one line: each run of white space (new lines too) one space,
 * none at either end. */
static char *
one_line (const char *text)
{
  GString *line = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        {
          space = line->len > 0;
          continue;
        }

      if (space)
        g_string_append_c (line, ' ');
      space = FALSE;
      g_string_append_unichar (line, c);
    }

  return g_string_free (line, FALSE);
}

char *
rcrp_search_snippet (const char *text,
                     const char *search,
                     guint       max_chars)
{
  g_auto(GStrv) folded_search = fold_search (search);
  g_autofree char *valid = NULL;
  g_autofree char *line = NULL;
  g_autofree char *piece = NULL;
  g_autoptr(GString) markup = NULL;
  const char *start;
  const char *end;
  const char *line_end;
  const char *space;
  gsize match_start;
  gsize match_end;
  glong n_chars;
  glong match_char;
  glong lead;

  if (text == NULL || folded_search[0] == NULL)
    return NULL;

  valid = g_utf8_make_valid (text, -1);
  line = one_line (valid);
  if (!find_match (line, folded_search, &match_start, &match_end))
    return NULL;

  markup = g_string_new (NULL);
  n_chars = g_utf8_strlen (line, -1);
  if (n_chars <= (glong) max_chars)
    {
      append_highlighted (markup, line, folded_search);
      return g_string_free (g_steal_pointer (&markup), FALSE);
    }

  /* From the start of the text when the match ends in the first half of
   * the piece; else from the start of a word a little before the match.
   * Either way the match is near the start, where a narrow queue, which
   * ellipsizes the line, still shows it. Then as much as fits, up to the
   * end of a word. */
  line_end = line + strlen (line);
  match_char = g_utf8_pointer_to_offset (line, line + match_start);
  lead = max_chars / 4;
  start = line;
  if (g_utf8_pointer_to_offset (line, line + match_end) > (glong) (max_chars / 2))
    {
      start = g_utf8_offset_to_pointer (line, match_char - lead);
      space = memchr (start, ' ', (line + match_start) - start);
      start = space != NULL ? space + 1 : line + match_start;
    }

  end = start;
  for (guint i = 0; i < max_chars && *end != '\0'; i++)
    end = g_utf8_next_char (end);
  if (end < line_end)
    {
      const char *last_space = NULL;

      for (const char *p = line + match_end; p < end; p++)
        if (*p == ' ')
          last_space = p;
      if (last_space != NULL)
        end = last_space;
    }

  piece = g_strndup (start, end - start);
  if (start > line)
    g_string_append (markup, ELLIPSIS);
  append_highlighted (markup, piece, folded_search);
  if (end < line_end)
    g_string_append (markup, ELLIPSIS);

  return g_string_free (g_steal_pointer (&markup), FALSE);
}

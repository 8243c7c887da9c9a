/* rcrp-search.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The words of a search as the store matches them: runs of letters and
 * digits (with any combining marks), in the order typed. Everything else
 * separates words and is never query syntax. An empty vector when there is
 * no word at all. */
GStrv     rcrp_search_split_words (const char *search);

/* @word folded as the search index folds it: lower case, diacritics
 * removed ("Zoë" and "zoe" both give "zoe"). */
char     *rcrp_search_fold        (const char *word);

/* Whether a word of @text begins with one of the words of @search, as the
 * store would match it. */
gboolean  rcrp_search_matches     (const char *text,
                                   const char *search);

/* @text as Pango markup, escaped, with each of its words that a word of
 * @search begins in bold and underlined. */
char     *rcrp_search_highlight   (const char *text,
                                   const char *search);

/* About @max_chars characters of @text on one line, around its first word
 * that matches @search, as rcrp_search_highlight() gives them, with an
 * ellipsis where the text was cut; NULL when nothing in @text matches. */
char     *rcrp_search_snippet     (const char *text,
                                   const char *search,
                                   guint       max_chars);

G_END_DECLS

/* rcrp-json-strict.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* json-glib 1.6 accepts comments, hex numbers, "var x =" and any nesting
 * depth. This checks a document against the strict RFC 8259 grammar, and a
 * nesting limit, before json-glib sees it.
 *
 * On failure returns FALSE and sets @line and @column (1-based, columns in
 * characters) and @message (transfer full) to say what is wrong there.
 * The text must already be valid UTF-8.
 */
gboolean rcrp_json_strict_check (const char  *text,
                                 gsize        length,
                                 guint        max_depth,
                                 guint       *line,
                                 guint       *column,
                                 char       **message);

/* Where each call object lies in a document that passed
 * rcrp_json_strict_check(): for an array, each element's first byte and
 * length; for a single value, the value's. The store keeps these, not a
 * copy of each call, and reads a call back from its bytes as received.
 * Returns an array of RcrpJsonSpan, empty when @text is no JSON value.
 */
typedef struct
{
  gsize offset;
  gsize length;
} RcrpJsonSpan;

GArray *rcrp_json_strict_top_level_spans (const char *text,
                                          gsize       length);

G_END_DECLS

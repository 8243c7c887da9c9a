/* rcrp-text.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  RCRP_ESCAPE_DEFAULT       = 0,
  /* Keep line feeds and tabs, for text laid out in lines by the program
   * itself; without it they are escaped too, as in a file name. */
  RCRP_ESCAPE_KEEP_NEWLINES = 1 << 0,
} RcrpEscapeFlags;

/* @text with every control character made visible, for a terminal or a
 * log: C0 controls and DEL as "\x1b", C1 controls (U+0080 to U+009F, which
 * some terminals obey) as "\u009b", and bytes that are not UTF-8 as "\xff".
 * Text from the feed, from file names or from the users table can then
 * never move the cursor, recolour the screen or forge a line of a log.
 *
 * Returns: (transfer full): the escaped text.
 */
char *rcrp_text_escape_controls (const char      *text,
                                 gssize           length,
                                 RcrpEscapeFlags  flags);

/* How long something has waited, in the words the queue, the details
 * pane, the notifications and the alerts panel all use: "just now",
 * "12 min", "1 h 05 min", "11 d 2 h". One formatter, so a call never
 * reads as "266 h 37 min" in one place and "11 d 2 h" in another. */
char *rcrp_format_waiting        (gint64 seconds);
/* The same for screen readers: "12 minutes", "1 hour 5 minutes". */
char *rcrp_format_waiting_spoken (gint64 seconds);

G_END_DECLS

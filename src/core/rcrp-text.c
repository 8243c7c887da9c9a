/* rcrp-text.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "rcrp-text.h"

char *
rcrp_text_escape_controls (const char      *text,
                           gssize           length,
                           RcrpEscapeFlags  flags)
{
  GString *escaped;
  const char *p;
  const char *end;

  if (text == NULL)
    return NULL;

  if (length < 0)
    length = strlen (text);

  escaped = g_string_sized_new (length);
  end = text + length;

  for (p = text; p < end;)
    {
      guchar c = (guchar) *p;
      gunichar u;
      const char *next;

      if (c < 0x80)
        {
          if ((c == '\n' || c == '\t') && (flags & RCRP_ESCAPE_KEEP_NEWLINES))
            g_string_append_c (escaped, c);
          else if (c < 0x20 || c == 0x7f)
            g_string_append_printf (escaped, "\\x%02x", c);
          else
            g_string_append_c (escaped, c);
          p++;
          continue;
        }

      u = g_utf8_get_char_validated (p, end - p);
      if (u == (gunichar) -1 || u == (gunichar) -2)
        {
          g_string_append_printf (escaped, "\\x%02x", c);
          p++;
          continue;
        }

      next = g_utf8_next_char (p);
      if (u >= 0x80 && u <= 0x9f)
        g_string_append_printf (escaped, "\\u%04x", u);
      else
        g_string_append_len (escaped, p, next - p);
      p = next;
    }

  return g_string_free (escaped, FALSE);
}

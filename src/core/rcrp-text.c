/* rcrp-text.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

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

char *
rcrp_format_waiting (gint64 seconds)
{
  int minutes = (int) MIN (seconds / 60, G_MAXINT);

  if (minutes < 1)
    return g_strdup (_("just now"));
  if (minutes < 60)
    /* Translators: a short waiting time in minutes, as in "12 min". */
    return g_strdup_printf (_("%d min"), minutes);
  if (minutes < 24 * 60)
    /* Translators: a waiting time in hours and minutes, as in "1 h 05 min". */
    return g_strdup_printf (_("%d h %02d min"), minutes / 60, minutes % 60);

  /* Translators: a waiting time in days and hours, as in "2 d 3 h". */
  return g_strdup_printf (_("%d d %d h"), minutes / (24 * 60), (minutes / 60) % 24);
}

char *
rcrp_format_waiting_spoken (gint64 seconds)
{
  int minutes = (int) MIN (seconds / 60, G_MAXINT);
  g_autofree char *hours_text = NULL;
  g_autofree char *minutes_text = NULL;

  if (minutes < 1)
    return g_strdup (_("less than a minute"));

  minutes_text = g_strdup_printf (ngettext ("%d minute", "%d minutes", minutes % 60), minutes % 60);
  if (minutes < 60)
    return g_steal_pointer (&minutes_text);

  hours_text = g_strdup_printf (ngettext ("%d hour", "%d hours", minutes / 60), minutes / 60);
  if (minutes % 60 == 0)
    return g_steal_pointer (&hours_text);

  /* Translators: hours and minutes of waiting, as in "1 hour 5 minutes". */
  return g_strdup_printf (_("%s %s"), hours_text, minutes_text);
}

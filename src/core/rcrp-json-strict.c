/* rcrp-json-strict.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "rcrp-json-strict.h"

/* A recursive-descent check of RFC 8259. Recursion is bounded by
 * @max_depth, which is checked before descending, so hostile nesting ends
 * in an error, never in a stack overflow.
 */

typedef struct
{
  const char *text;
  gsize       length;
  gsize       pos;
  guint       line;
  guint       column;
  guint       max_depth;
  char       *message;
  guint       error_line;
  guint       error_column;
} Scanner;

static gboolean G_GNUC_PRINTF (2, 3)
fail (Scanner    *s,
      const char *format,
      ...)
{
  va_list args;

  if (s->message != NULL)
    return FALSE;

  va_start (args, format);
  s->message = g_strdup_vprintf (format, args);
  va_end (args);

  s->error_line = s->line;
  s->error_column = s->column;

  return FALSE;
}

static inline int
peek (Scanner *s)
{
  return s->pos < s->length ? (guchar) s->text[s->pos] : -1;
}

static inline void
advance (Scanner *s)
{
  guchar c;

  if (s->pos >= s->length)
    return;

  c = s->text[s->pos++];

  if (c == '\n')
    {
      s->line++;
      s->column = 1;
    }
  else if ((c & 0xC0) != 0x80)
    {
      /* Count characters, not bytes: continuation bytes do not move. */
      s->column++;
    }
}

static void
skip_whitespace (Scanner *s)
{
  for (;;)
    {
      int c = peek (s);

      if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
        advance (s);
      else
        return;
    }
}

static gboolean
looking_at (Scanner    *s,
            const char *word)
{
  gsize n = strlen (word);

  return s->length - s->pos >= n && memcmp (s->text + s->pos, word, n) == 0;
}

static gboolean
explain_unexpected (Scanner    *s,
                    const char *expected)
{
  int c = peek (s);

  if (c == -1)
    return fail (s, _("unexpected end of file; expected %s"), expected);
  if (c == '/')
    return fail (s, _("comments are not allowed in JSON"));
  if (looking_at (s, "NaN") || looking_at (s, "Infinity") || looking_at (s, "-Infinity"))
    return fail (s, _("NaN and Infinity are not JSON numbers"));
  if (c == '\'')
    return fail (s, _("strings must be in double quotes"));
  if (c == '+')
    return fail (s, _("a number cannot start with “+”"));
  if (c == '.')
    return fail (s, _("a number must start with a digit"));
  if (g_ascii_isalpha (c) || c == '_' || c == '$')
    return fail (s, _("unexpected word; text must be a string in double quotes"));
  if (c < 0x20)
    return fail (s, _("control character (U+%04X) outside a string"), c);
  if (c < 0x80)
    return fail (s, _("unexpected “%c”; expected %s"), c, expected);

  return fail (s, _("unexpected character; expected %s"), expected);
}

static gboolean
read_hex4 (Scanner  *s,
           gunichar *value)
{
  *value = 0;

  for (guint i = 0; i < 4; i++)
    {
      int c = peek (s);

      if (!g_ascii_isxdigit (c))
        return fail (s, _("“\\u” must be followed by four hexadecimal digits"));

      *value = (*value << 4) | g_ascii_xdigit_value (c);
      advance (s);
    }

  return TRUE;
}

/* Scans a string starting at its opening quote; appends the decoded text
 * to @decoded if given (for spotting duplicate member names).
 */
static gboolean
scan_string (Scanner *s,
             GString *decoded)
{
  guint escape_line = 0;
  guint escape_column = 0;

  advance (s); /* the opening quote */

  for (;;)
    {
      int c = peek (s);

      if (c == -1)
        return fail (s, _("unterminated string"));

      if (c == '"')
        {
          advance (s);
          return TRUE;
        }

      if (c < 0x20)
        return fail (s, _("control character (U+%04X) in a string; it must be escaped"), c);

      if (c != '\\')
        {
          if (decoded != NULL)
            g_string_append_c (decoded, (char) c);
          advance (s);
          continue;
        }

      escape_line = s->line;
      escape_column = s->column;
      advance (s);
      c = peek (s);

      switch (c)
        {
        case '"': case '\\': case '/':
          if (decoded != NULL)
            g_string_append_c (decoded, (char) c);
          advance (s);
          break;

        /* Decoded as what they stand for, so "a\nb" and "anb" are two
         * different member names. */
        case 'b': case 'f': case 'n': case 'r': case 't':
          if (decoded != NULL)
            g_string_append_c (decoded, c == 'b' ? '\b' : c == 'f' ? '\f' :
                                        c == 'n' ? '\n' : c == 'r' ? '\r' : '\t');
          advance (s);
          break;

        case 'u':
          {
            gunichar unit;

            advance (s);
            if (!read_hex4 (s, &unit))
              return FALSE;

            /* json-glib ends its strings at a NUL, so "HC-1\u0000X"
             * would be checked and stored as "HC-1": refuse it rather than
             * let the stored text differ from what was sent. */
            if (unit == 0)
              {
                s->line = escape_line;
                s->column = escape_column;
                return fail (s, _("“\\u0000” (NUL) cannot be held in text"));
              }

            if (unit >= 0xDC00 && unit <= 0xDFFF)
              return fail (s, _("lone low surrogate in a “\\u” escape"));

            if (unit >= 0xD800 && unit <= 0xDBFF)
              {
                gunichar low;

                if (!looking_at (s, "\\u"))
                  return fail (s, _("high surrogate not followed by a low surrogate"));
                advance (s);
                advance (s);
                if (!read_hex4 (s, &low))
                  return FALSE;
                if (low < 0xDC00 || low > 0xDFFF)
                  return fail (s, _("high surrogate not followed by a low surrogate"));

                unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
              }

            if (decoded != NULL)
              g_string_append_unichar (decoded, unit);
          }
          break;

        case -1:
          return fail (s, _("unterminated string"));

        default:
          return fail (s, _("invalid escape in a string"));
        }
    }
}

static gboolean
scan_digits (Scanner    *s,
             const char *what)
{
  if (!g_ascii_isdigit (peek (s)))
    return fail (s, _("expected a digit %s"), what);

  while (g_ascii_isdigit (peek (s)))
    advance (s);

  return TRUE;
}

/* json-glib reads whole numbers into 64 bits with no overflow check
 * (-18446744073709551615 comes out as 1) and others into a double (1e999
 * comes out as infinity, which has no JSON spelling). RFC 8259 lets an
 * implementation limit the range of numbers; this one refuses what it
 * could not hold exactly, rather than hand on a different value.
 */
static gboolean
number_in_range (const char *start,
                 gsize       length,
                 gboolean    integer)
{
  if (integer)
    {
      gboolean negative = start[0] == '-';
      const char *digits = start + (negative ? 1 : 0);
      gsize n = length - (negative ? 1 : 0);
      const char *limit = negative ? "9223372036854775808" : "9223372036854775807";

      /* No leading zeros here, so more digits means larger. */
      return n < 19 || (n == 19 && memcmp (digits, limit, 19) <= 0);
    }
  else
    {
      g_autofree char *copy = g_strndup (start, length);

      return isfinite (g_ascii_strtod (copy, NULL));
    }
}

static gboolean
scan_number (Scanner *s)
{
  gsize start = s->pos;
  guint start_line = s->line;
  guint start_column = s->column;
  gboolean integer = TRUE;

  if (peek (s) == '-')
    {
      advance (s);
      if (looking_at (s, "Infinity"))
        return fail (s, _("NaN and Infinity are not JSON numbers"));
    }

  if (peek (s) == '0')
    {
      advance (s);
      if (peek (s) == 'x' || peek (s) == 'X')
        return fail (s, _("hexadecimal numbers are not allowed in JSON"));
      if (g_ascii_isdigit (peek (s)))
        return fail (s, _("leading zeros are not allowed in JSON numbers"));
    }
  else if (!scan_digits (s, _("in a number")))
    {
      return FALSE;
    }

  if (peek (s) == '.')
    {
      integer = FALSE;
      advance (s);
      if (!scan_digits (s, _("after the decimal point")))
        return FALSE;
    }

  if (peek (s) == 'e' || peek (s) == 'E')
    {
      integer = FALSE;
      advance (s);
      if (peek (s) == '+' || peek (s) == '-')
        advance (s);
      if (!scan_digits (s, _("in the exponent")))
        return FALSE;
    }

  if (!number_in_range (s->text + start, s->pos - start, integer))
    {
      s->line = start_line;
      s->column = start_column;
      return fail (s, integer ? _("number out of range; whole numbers must fit in 64 bits")
                              : _("number out of range; too large for a double"));
    }

  return TRUE;
}

static gboolean scan_value (Scanner *s,
                            guint    depth);

static gboolean
scan_object (Scanner *s,
             guint    depth)
{
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  advance (s); /* { */
  skip_whitespace (s);

  if (peek (s) == '}')
    {
      advance (s);
      return TRUE;
    }

  for (;;)
    {
      g_autoptr(GString) name = g_string_new (NULL);
      guint name_line, name_column;

      if (peek (s) == '}')
        return fail (s, _("trailing comma before “}”"));
      if (peek (s) != '"')
        return explain_unexpected (s, _("a member name in double quotes"));

      name_line = s->line;
      name_column = s->column;
      if (!scan_string (s, name))
        return FALSE;

      if (g_hash_table_contains (names, name->str))
        {
          s->line = name_line;
          s->column = name_column;
          return fail (s, _("duplicate member “%s” in one object"), name->str);
        }
      g_hash_table_add (names, g_string_free (g_steal_pointer (&name), FALSE));

      skip_whitespace (s);
      if (peek (s) != ':')
        return explain_unexpected (s, _("“:” after the member name"));
      advance (s);
      skip_whitespace (s);

      if (!scan_value (s, depth))
        return FALSE;

      skip_whitespace (s);
      if (peek (s) == ',')
        {
          advance (s);
          skip_whitespace (s);
          continue;
        }
      if (peek (s) == '}')
        {
          advance (s);
          return TRUE;
        }

      return explain_unexpected (s, _("“,” or “}” after an object member"));
    }
}

static gboolean
scan_array (Scanner *s,
            guint    depth)
{
  advance (s); /* [ */
  skip_whitespace (s);

  if (peek (s) == ']')
    {
      advance (s);
      return TRUE;
    }

  for (;;)
    {
      if (peek (s) == ']')
        return fail (s, _("trailing comma before “]”"));

      if (!scan_value (s, depth))
        return FALSE;

      skip_whitespace (s);
      if (peek (s) == ',')
        {
          advance (s);
          skip_whitespace (s);
          continue;
        }
      if (peek (s) == ']')
        {
          advance (s);
          return TRUE;
        }

      return explain_unexpected (s, _("“,” or “]” after an array element"));
    }
}

static gboolean
scan_literal (Scanner    *s,
              const char *word)
{
  if (!looking_at (s, word))
    return explain_unexpected (s, _("a value"));

  for (gsize i = 0; word[i] != '\0'; i++)
    advance (s);

  if (g_ascii_isalnum (peek (s)) || peek (s) == '_')
    return fail (s, _("unexpected word; text must be a string in double quotes"));

  return TRUE;
}

static gboolean
scan_value (Scanner *s,
            guint    depth)
{
  switch (peek (s))
    {
    case '{':
    case '[':
      if (depth >= s->max_depth)
        return fail (s, _("nesting deeper than %u levels"), s->max_depth);
      return peek (s) == '{' ? scan_object (s, depth + 1) : scan_array (s, depth + 1);

    case '"':
      return scan_string (s, NULL);

    case '-':
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      return scan_number (s);

    case 't':
      return scan_literal (s, "true");

    case 'f':
      return scan_literal (s, "false");

    case 'n':
      return scan_literal (s, "null");

    default:
      return explain_unexpected (s, _("a value"));
    }
}

gboolean
rcrp_json_strict_check (const char  *text,
                        gsize        length,
                        guint        max_depth,
                        guint       *line,
                        guint       *column,
                        char       **message)
{
  Scanner s = {
    .text = text,
    .length = length,
    .line = 1,
    .column = 1,
    .max_depth = max_depth,
  };
  gboolean ok;

  g_return_val_if_fail (text != NULL || length == 0, FALSE);

  skip_whitespace (&s);

  if (peek (&s) == -1)
    {
      fail (&s, _("the file is empty"));
      ok = FALSE;
    }
  else
    {
      ok = scan_value (&s, 0);
      if (ok)
        {
          skip_whitespace (&s);
          if (peek (&s) != -1)
            ok = fail (&s, _("unexpected text after the JSON value"));
        }
    }

  if (!ok)
    {
      if (line != NULL)
        *line = s.error_line;
      if (column != NULL)
        *column = s.error_column;
      if (message != NULL)
        *message = g_steal_pointer (&s.message);
    }

  g_free (s.message);

  return ok;
}

static gboolean
is_json_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The end of the value starting at @i: the text is already known to be
 * strict JSON, so only strings (which may hold brackets) and nesting need
 * following. */
static gsize
skip_value (const char *text,
            gsize       length,
            gsize       i)
{
  guint depth = 0;

  while (i < length)
    {
      char c = text[i];

      if (c == '"')
        {
          for (i++; i < length && text[i] != '"'; i++)
            if (text[i] == '\\')
              i++;
          i++;
          if (depth == 0)
            return i;
        }
      else if (c == '{' || c == '[')
        {
          depth++;
          i++;
        }
      else if (c == '}' || c == ']')
        {
          if (depth == 0)
            return i;
          i++;
          if (--depth == 0)
            return i;
        }
      else if (depth == 0 && (c == ',' || is_json_space (c)))
        return i;
      else
        i++;
    }

  return i;
}

GArray *
rcrp_json_strict_top_level_spans (const char *text,
                                  gsize       length)
{
  GArray *spans = g_array_new (FALSE, FALSE, sizeof (RcrpJsonSpan));
  gsize i = 0;

  while (i < length && is_json_space (text[i]))
    i++;
  if (i == length)
    return spans;

  if (text[i] != '[')
    {
      RcrpJsonSpan span = { i, skip_value (text, length, i) - i };

      g_array_append_val (spans, span);
      return spans;
    }

  for (i++; i < length;)
    {
      RcrpJsonSpan span;

      while (i < length && (is_json_space (text[i]) || text[i] == ','))
        i++;
      if (i >= length || text[i] == ']')
        break;

      span.offset = i;
      i = skip_value (text, length, i);
      span.length = i - span.offset;
      g_array_append_val (spans, span);
    }

  return spans;
}

/* rcrp-feed.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rcrp-call-private.h"
#include "rcrp-feed.h"
#include "rcrp-json-strict.h"

/* The call feed contract, ../shared/spec/call-feed.md. Everything that
 * arrives here is untrusted: the whole document is checked against strict
 * JSON before json-glib sees it, then every field against the table.
 */

#define SCHEMA_ID        "rcrp.call/1"
#define MAX_SUMMARY      4000
#define MAX_NOTES        4000
#define MAX_CAD_REF      64

G_DEFINE_QUARK (rcrp-feed-error-quark, rcrp_feed_error)

static const char * const relationships[] = {
  "self", "family", "friend", "professional", "healthcare_setting", "public", "other", NULL
};

static const char * const sexes[] = {
  "female", "male", "other", "unknown", NULL
};

static const char * const ethnicities[] = {
  "A1", "A2", "A3", "A4", "A9", "B1", "B2", "B9", "M1", "M2", "M3", "M9",
  "O2", "O9", "W1", "W2", "W3", "W4", "W9", "NS", NULL
};

/* What a validator needs to say where a fault is. */
typedef struct
{
  const char *source;
  const char *prefix;   /* "calls[3]" or "" */
} Where;

static gboolean G_GNUC_PRINTF (4, 5)
invalid (GError     **error,
         const Where *where,
         const char  *field,
         const char  *format,
         ...)
{
  g_autofree char *message = NULL;
  g_autofree char *path = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (where->prefix[0] == '\0')
    path = g_strdup (field);
  else if (field[0] == '\0')
    path = g_strdup (where->prefix);
  else
    path = g_strdup_printf ("%s.%s", where->prefix, field);

  g_set_error (error, RCRP_FEED_ERROR, RCRP_FEED_ERROR_INVALID,
               "%s: %s: %s", where->source, path, message);

  return FALSE;
}

static gboolean
in_list (const char         *value,
         const char * const *list)
{
  return value != NULL && g_strv_contains (list, value);
}

static char *
describe_list (const char * const *list)
{
  return g_strjoinv (", ", (char **) list);
}

static gboolean
node_is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
node_is_integer (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64;
}

static gboolean
node_is_number (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) &&
         (json_node_get_value_type (node) == G_TYPE_INT64 ||
          json_node_get_value_type (node) == G_TYPE_DOUBLE);
}

static gboolean
node_is_boolean (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN;
}

static gboolean
is_leap_year (int year)
{
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static gboolean
parse_digits (const char **p,
              guint        n,
              int         *value)
{
  *value = 0;

  for (guint i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit ((*p)[i]))
        return FALSE;
      *value = *value * 10 + ((*p)[i] - '0');
    }

  *p += n;

  return TRUE;
}

/* RFC 3339 date-time: full-date "T" full-time, the offset required. */
static GDateTime *
parse_rfc3339 (const char *text)
{
  static const int days_in_month[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  g_autoptr(GDateTime) local = NULL;
  GDateTime *utc;
  GTimeSpan offset;
  const char *p = text;
  int year, month, day, hour, minute, second;
  int microseconds = 0;
  int max_day;

  if (!parse_digits (&p, 4, &year) || *p++ != '-' ||
      !parse_digits (&p, 2, &month) || *p++ != '-' ||
      !parse_digits (&p, 2, &day) ||
      (*p != 'T' && *p != 't'))
    return NULL;
  p++;

  if (!parse_digits (&p, 2, &hour) || *p++ != ':' ||
      !parse_digits (&p, 2, &minute) || *p++ != ':' ||
      !parse_digits (&p, 2, &second))
    return NULL;

  /* GDateTime holds microseconds: digits past the sixth are dropped, not
   * rounded, so 59.9999999 stays in its second instead of becoming 60. */
  if (*p == '.')
    {
      int scale = 100000;

      p++;
      if (!g_ascii_isdigit (*p))
        return NULL;
      while (g_ascii_isdigit (*p))
        {
          microseconds += (*p - '0') * scale;
          scale /= 10;
          p++;
        }
    }

  /* RFC 3339 allows second 60, a leap second (23:59:60Z, or 05:29:60+05:30
   * in that offset). */
  if (year < 1 || month < 1 || month > 12 || day < 1 ||
      hour > 23 || minute > 59 || second > 60)
    return NULL;

  max_day = days_in_month[month - 1] + (month == 2 && is_leap_year (year) ? 1 : 0);
  if (day > max_day)
    return NULL;

  if ((*p == 'Z' || *p == 'z') && p[1] == '\0')
    {
      offset = 0;
    }
  else if ((*p == '+' || *p == '-'))
    {
      int sign = *p == '-' ? -1 : 1;
      int offset_hours, offset_minutes;

      p++;
      if (!parse_digits (&p, 2, &offset_hours) || *p++ != ':' ||
          !parse_digits (&p, 2, &offset_minutes) || *p != '\0' ||
          offset_hours > 23 || offset_minutes > 59)
        return NULL;

      /* Applied by hand: GTimeZone refuses some offsets RFC 3339 allows,
       * such as +23:59. */
      offset = sign * (offset_hours * G_TIME_SPAN_HOUR + offset_minutes * G_TIME_SPAN_MINUTE);
    }
  else
    {
      return NULL;
    }

  /* GDateTime has no leap seconds: 60 is held as the last microsecond of
   * second 59, which keeps it in its minute and in order. The raw document
   * keeps what was sent. */
  if (second == 60)
    {
      second = 59;
      microseconds = G_USEC_PER_SEC - 1;
    }

  local = g_date_time_new_utc (year, month, day, hour, minute, second);
  if (local == NULL)
    return NULL;

  /* Added exactly, not through a double's rounding. */
  utc = g_date_time_add (local, microseconds - offset);

  return utc;
}

/* Reads an optional string member. Absent: TRUE with *out NULL. */
static gboolean
get_string (JsonObject   *object,
            const char   *member,
            const Where  *where,
            const char   *field,
            const char  **out,
            GError      **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = NULL;

  if (node == NULL)
    return TRUE;

  if (!node_is_string (node))
    return invalid (error, where, field, _("must be a string"));

  *out = json_node_get_string (node);

  return TRUE;
}

static gboolean
get_required_string (JsonObject   *object,
                     const char   *member,
                     const Where  *where,
                     const char  **out,
                     GError      **error)
{
  if (!get_string (object, member, where, member, out, error))
    return FALSE;

  if (*out == NULL)
    return invalid (error, where, member, _("is required"));

  return TRUE;
}

static gboolean
get_boolean (JsonObject   *object,
             const char   *member,
             const Where  *where,
             const char   *field,
             int          *out,
             GError      **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = -1;

  if (node == NULL)
    return TRUE;

  if (!node_is_boolean (node))
    return invalid (error, where, field, _("must be true or false"));

  *out = json_node_get_boolean (node) ? 1 : 0;

  return TRUE;
}

static gboolean
get_enum (JsonObject          *object,
          const char          *member,
          const Where         *where,
          const char          *field,
          const char * const  *allowed,
          const char         **out,
          GError             **error)
{
  if (!get_string (object, member, where, field, out, error))
    return FALSE;

  if (*out != NULL && !in_list (*out, allowed))
    {
      g_autofree char *list = describe_list (allowed);

      return invalid (error, where, field, _("“%s” is not one of: %s"), *out, list);
    }

  return TRUE;
}

static gboolean
get_optional_object (JsonObject   *object,
                     const char   *member,
                     const Where  *where,
                     JsonObject  **out,
                     GError      **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = NULL;

  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, where, member, _("must be an object"));

  *out = json_node_get_object (node);

  return TRUE;
}

static gboolean
check_text_length (const char  *text,
                   guint        min,
                   guint        max,
                   const Where *where,
                   const char  *field,
                   GError     **error)
{
  glong length = g_utf8_strlen (text, -1);

  if (length < (glong) min)
    return invalid (error, where, field, _("must not be empty"));
  if (length > (glong) max)
    return invalid (error, where, field, _("is %ld characters long; the limit is %u"), length, max);

  return TRUE;
}

static gboolean
check_cad_ref (const char  *cad_ref,
               const Where *where,
               GError     **error)
{
  gsize length = strlen (cad_ref);

  if (length == 0 || length > MAX_CAD_REF)
    return invalid (error, where, "cad_ref", _("must be 1 to %d characters"), MAX_CAD_REF);

  for (gsize i = 0; i < length; i++)
    {
      char c = cad_ref[i];

      if (!g_ascii_isalnum (c) && c != '-' && c != '_' && c != '/')
        return invalid (error, where, "cad_ref",
                        _("may hold only letters A–Z and a–z, digits, “-”, “_” and “/”"));
    }

  return TRUE;
}

static gboolean
parse_location (RcrpCall    *call,
                JsonObject  *object,
                const Where *where,
                GError     **error)
{
  JsonObject *location;
  const char *address, *postcode;
  const struct { const char *member; const char *field; double limit; } coords[] = {
    { "lat", "location.lat", 90.0 },
    { "lon", "location.lon", 180.0 },
  };

  if (!get_optional_object (object, "location", where, &location, error))
    return FALSE;
  if (location == NULL)
    return TRUE;

  if (!get_string (location, "address", where, "location.address", &address, error) ||
      !get_string (location, "postcode", where, "location.postcode", &postcode, error))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (coords); i++)
    {
      JsonNode *node = json_object_get_member (location, coords[i].member);
      double value;

      if (node == NULL)
        continue;

      if (!node_is_number (node))
        return invalid (error, where, coords[i].field, _("must be a number"));

      value = json_node_get_double (node);
      if (value < -coords[i].limit || value > coords[i].limit)
        return invalid (error, where, coords[i].field,
                        _("must be from −%g to %g"), coords[i].limit, coords[i].limit);
    }

  _rcrp_call_set_location (call, address, postcode);

  return TRUE;
}

static gboolean
parse_caller (RcrpCall    *call,
              JsonObject  *object,
              const Where *where,
              GError     **error)
{
  JsonObject *caller;
  const char *name, *phone, *relationship;

  if (!get_optional_object (object, "caller", where, &caller, error))
    return FALSE;
  if (caller == NULL)
    return TRUE;

  if (!get_string (caller, "name", where, "caller.name", &name, error) ||
      !get_string (caller, "phone", where, "caller.phone", &phone, error) ||
      !get_enum (caller, "relationship", where, "caller.relationship", relationships, &relationship, error))
    return FALSE;

  _rcrp_call_set_caller (call, name, phone, relationship);

  return TRUE;
}

static gboolean
parse_subject (RcrpCall    *call,
               JsonObject  *object,
               const Where *where,
               GError     **error)
{
  JsonObject *subject;
  JsonNode *age_node;
  const char *name, *sex, *ethnicity;
  int known = -1;
  int age = -1;

  if (!get_optional_object (object, "subject", where, &subject, error))
    return FALSE;
  if (subject == NULL)
    return TRUE;

  if (!get_string (subject, "name", where, "subject.name", &name, error) ||
      !get_enum (subject, "sex", where, "subject.sex", sexes, &sex, error) ||
      !get_enum (subject, "ethnicity", where, "subject.ethnicity", ethnicities, &ethnicity, error) ||
      !get_boolean (subject, "known_to_services", where, "subject.known_to_services", &known, error))
    return FALSE;

  age_node = json_object_get_member (subject, "age");
  if (age_node != NULL)
    {
      gint64 value;

      if (!node_is_integer (age_node) ||
          (value = json_node_get_int (age_node)) < 0 || value > 130)
        return invalid (error, where, "subject.age", _("must be a whole number from 0 to 130"));

      age = (int) value;
    }

  _rcrp_call_set_subject (call, name, age, sex, ethnicity, known);

  return TRUE;
}

static gboolean
parse_setting (RcrpCall    *call,
               JsonObject  *object,
               const Where *where,
               GError     **error)
{
  g_autoptr(GDateTime) left_at = NULL;
  JsonObject *setting;
  const char *name, *left_text, *section;
  int detained, informal;

  if (!get_optional_object (object, "healthcare_setting", where, &setting, error))
    return FALSE;
  if (setting == NULL)
    return TRUE;

  if (!get_string (setting, "name", where, "healthcare_setting.name", &name, error) ||
      !get_string (setting, "left_at", where, "healthcare_setting.left_at", &left_text, error) ||
      !get_boolean (setting, "detained", where, "healthcare_setting.detained", &detained, error) ||
      !get_string (setting, "mha_section", where, "healthcare_setting.mha_section", &section, error) ||
      !get_boolean (setting, "informal", where, "healthcare_setting.informal", &informal, error))
    return FALSE;

  if (left_text != NULL && (left_at = parse_rfc3339 (left_text)) == NULL)
    return invalid (error, where, "healthcare_setting.left_at",
                    _("“%s” is not an RFC 3339 date and time with an offset"), left_text);

  _rcrp_call_set_setting (call, name, left_at, detained, section, informal);

  return TRUE;
}

static gboolean
parse_risks (RcrpCall    *call,
             JsonObject  *object,
             const Where *where,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, "risk_indicators");
  JsonArray *array;
  guint set = 0;

  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return invalid (error, where, "risk_indicators", _("must be an array of strings"));

  array = json_node_get_array (node);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *field = g_strdup_printf ("risk_indicators[%u]", i);
      RcrpRisk risk;

      if (!node_is_string (element))
        return invalid (error, where, field, _("must be a string"));

      if (!rcrp_risk_from_string (json_node_get_string (element), &risk))
        return invalid (error, where, field, _("“%s” is not a known risk indicator"),
                        json_node_get_string (element));

      if (set & risk)
        return invalid (error, where, field, _("“%s” is listed twice"),
                        json_node_get_string (element));

      set |= risk;
    }

  _rcrp_call_set_risks (call, set);

  return TRUE;
}

/* Canonical text: members sorted by name at every level, no white space,
 * so the same content always gives the same bytes and the same hash.
 */
static void
write_canonical_string (GString    *out,
                        const char *text)
{
  const char *run = text;
  const char *p;

  g_string_append_c (out, '"');

  /* Copy runs that need no escaping in one go. */
  for (p = text; *p != '\0'; p++)
    {
      guchar c = *p;

      if (c != '"' && c != '\\' && c >= 0x20)
        continue;

      g_string_append_len (out, run, p - run);
      if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, c);
        }
      run = p + 1;
    }

  g_string_append_len (out, run, p - run);
  g_string_append_c (out, '"');
}

static void
write_canonical (GString  *out,
                 JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);
        gboolean first = TRUE;

        members = g_list_sort (members, (GCompareFunc) strcmp);
        g_string_append_c (out, '{');
        for (const GList *l = members; l != NULL; l = l->next)
          {
            if (!first)
              g_string_append_c (out, ',');
            first = FALSE;
            write_canonical_string (out, l->data);
            g_string_append_c (out, ':');
            write_canonical (out, json_object_get_member (object, l->data));
          }
        g_string_append_c (out, '}');
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        g_string_append_c (out, '[');
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            write_canonical (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;

    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          write_canonical_string (out, json_node_get_string (node));
          break;

        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;

        case G_TYPE_DOUBLE:
          {
            char buffer[G_ASCII_DTOSTR_BUF_SIZE];

            g_string_append (out, g_ascii_formatd (buffer, sizeof buffer, "%.17g",
                                                   json_node_get_double (node)));
          }
          break;

        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;

        default:
          g_assert_not_reached ();
        }
      break;

    default:
      g_assert_not_reached ();
    }
}

static RcrpCall *
parse_call (JsonNode     *node,
            const Where  *where,
            GError      **error)
{
  g_autoptr(RcrpCall) call = _rcrp_call_new ();
  g_autoptr(GDateTime) received_at = NULL;
  g_autoptr(GString) canonical = g_string_new (NULL);
  JsonObject *object;
  JsonNode *grade_node;
  const char *schema, *cad_ref, *received_text, *category_text, *summary, *notes;
  RcrpCategory category;
  int grade = 3;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      invalid (error, where, "", _("must be a call object"));
      return NULL;
    }

  object = json_node_get_object (node);

  if (!get_required_string (object, "schema", where, &schema, error))
    return NULL;
  if (!g_str_equal (schema, SCHEMA_ID))
    {
      invalid (error, where, "schema", _("must be “%s”, not “%s”"), SCHEMA_ID, schema);
      return NULL;
    }

  if (!get_required_string (object, "cad_ref", where, &cad_ref, error) ||
      !check_cad_ref (cad_ref, where, error))
    return NULL;

  if (!get_required_string (object, "received_at", where, &received_text, error))
    return NULL;
  if ((received_at = parse_rfc3339 (received_text)) == NULL)
    {
      invalid (error, where, "received_at",
               _("“%s” is not an RFC 3339 date and time with an offset (2026-11-22T14:03:11Z)"),
               received_text);
      return NULL;
    }

  if (!get_required_string (object, "category", where, &category_text, error))
    return NULL;
  if (!rcrp_category_from_string (category_text, &category))
    {
      g_autoptr(GString) list = g_string_new (NULL);

      for (guint i = 0; i < RCRP_N_CATEGORIES; i++)
        g_string_append_printf (list, "%s%s", i > 0 ? ", " : "", rcrp_category_to_string (i));

      invalid (error, where, "category", _("“%s” is not one of: %s"), category_text, list->str);
      return NULL;
    }

  grade_node = json_object_get_member (object, "initial_grade");
  if (grade_node != NULL)
    {
      gint64 value;

      if (!node_is_integer (grade_node) ||
          (value = json_node_get_int (grade_node)) < 1 || value > 4)
        {
          invalid (error, where, "initial_grade", _("must be a whole number from 1 to 4"));
          return NULL;
        }

      grade = (int) value;
    }

  if (!get_required_string (object, "summary", where, &summary, error) ||
      !check_text_length (summary, 1, MAX_SUMMARY, where, "summary", error))
    return NULL;

  if (!get_string (object, "notes", where, "notes", &notes, error) ||
      (notes != NULL && !check_text_length (notes, 0, MAX_NOTES, where, "notes", error)))
    return NULL;

  if (!parse_location (call, object, where, error) ||
      !parse_caller (call, object, where, error) ||
      !parse_subject (call, object, where, error) ||
      !parse_risks (call, object, where, error) ||
      !parse_setting (call, object, where, error))
    return NULL;

  _rcrp_call_set_cad_ref (call, cad_ref);
  _rcrp_call_set_received_at (call, received_at);
  _rcrp_call_set_category (call, category);
  _rcrp_call_set_grade (call, grade);
  _rcrp_call_set_summary (call, summary);
  _rcrp_call_set_notes (call, notes);

  /* Unknown members stay in the canonical text, so a newer C&C system's
   * extra fields are kept with the call.
   */
  write_canonical (canonical, node);
  _rcrp_call_set_canonical_json (call, canonical->str);

  return g_steal_pointer (&call);
}

RcrpCall *
rcrp_feed_parse_call (JsonObject  *object,
                      const char  *path,
                      GError     **error)
{
  g_autoptr(JsonNode) node = NULL;
  Where where = { "", path != NULL ? path : "" };
  g_autoptr(GError) local_error = NULL;
  RcrpCall *call;

  g_return_val_if_fail (object != NULL, NULL);

  node = json_node_init_object (json_node_alloc (), object);
  call = parse_call (node, &where, &local_error);

  if (call == NULL)
    {
      /* No source: drop the leading ": " the message would start with. */
      const char *message = local_error->message;

      if (g_str_has_prefix (message, ": "))
        message += 2;
      g_set_error_literal (error, local_error->domain, local_error->code, message);
    }

  return call;
}

static void
position_of (const char *text,
             const char *at,
             guint      *line,
             guint      *column)
{
  *line = 1;
  *column = 1;

  for (const char *p = text; p < at; p++)
    {
      if (*p == '\n')
        {
          (*line)++;
          *column = 1;
        }
      else if ((*p & 0xC0) != 0x80)
        {
          (*column)++;
        }
    }
}

GPtrArray *
rcrp_feed_parse_bytes (GBytes      *document,
                       const char  *source,
                       GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GPtrArray) calls = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GHashTable) seen = NULL;
  g_autofree char *message = NULL;
  const char *text;
  const char *end = NULL;
  gsize length;
  guint line, column;
  JsonNode *root;

  g_return_val_if_fail (document != NULL, NULL);

  if (source == NULL)
    source = "-";

  text = g_bytes_get_data (document, &length);
  if (text == NULL)
    text = "";

  if (length > RCRP_FEED_MAX_BYTES)
    {
      g_set_error (error, RCRP_FEED_ERROR, RCRP_FEED_ERROR_TOO_LARGE,
                   _("%s: the file is larger than %d MiB; refused"),
                   source, RCRP_FEED_MAX_BYTES / (1024 * 1024));
      return NULL;
    }

  if (length >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0)
    {
      g_set_error (error, RCRP_FEED_ERROR, RCRP_FEED_ERROR_ENCODING,
                   _("%s:1:1: the file starts with a byte order mark, which JSON does not allow"),
                   source);
      return NULL;
    }

  if (!g_utf8_validate_len (text, length, &end))
    {
      position_of (text, end, &line, &column);
      g_set_error (error, RCRP_FEED_ERROR, RCRP_FEED_ERROR_ENCODING,
                   _("%s:%u:%u: the file is not valid UTF-8 text"),
                   source, line, column);
      return NULL;
    }

  if (!rcrp_json_strict_check (text, length, RCRP_FEED_MAX_DEPTH, &line, &column, &message))
    {
      g_set_error (error, RCRP_FEED_ERROR, RCRP_FEED_ERROR_SYNTAX,
                   "%s:%u:%u: %s", source, line, column, message);
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, text, length, &local_error))
    {
      /* The strict check passed, so json-glib should too; say so plainly
       * if it does not. */
      g_set_error (error, RCRP_FEED_ERROR, RCRP_FEED_ERROR_SYNTAX,
                   "%s: %s", source, local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  calls = g_ptr_array_new_with_free_func (g_object_unref);

  if (JSON_NODE_HOLDS_OBJECT (root))
    {
      Where where = { source, "" };
      RcrpCall *call = parse_call (root, &where, error);

      if (call == NULL)
        return NULL;

      g_ptr_array_add (calls, call);
      return g_steal_pointer (&calls);
    }

  if (!JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error (error, RCRP_FEED_ERROR, RCRP_FEED_ERROR_INVALID,
                   _("%s: the file must hold a call object or an array of call objects"),
                   source);
      return NULL;
    }

  if (json_array_get_length (json_node_get_array (root)) == 0)
    {
      g_set_error (error, RCRP_FEED_ERROR, RCRP_FEED_ERROR_INVALID,
                   _("%s: the file holds no calls"), source);
      return NULL;
    }

  seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < json_array_get_length (json_node_get_array (root)); i++)
    {
      g_autofree char *prefix = g_strdup_printf ("calls[%u]", i);
      Where where = { source, prefix };
      RcrpCall *call;
      gpointer earlier;

      call = parse_call (json_array_get_element (json_node_get_array (root), i), &where, error);
      if (call == NULL)
        return NULL;

      g_ptr_array_add (calls, call);

      /* Two different versions of one call in one file leave no order to
       * tell which is current. */
      if (g_hash_table_lookup_extended (seen, rcrp_call_get_cad_ref (call), NULL, &earlier))
        {
          RcrpCall *first = g_ptr_array_index (calls, GPOINTER_TO_UINT (earlier));

          if (!g_str_equal (rcrp_call_get_content_hash (first), rcrp_call_get_content_hash (call)))
            {
              invalid (error, &where, "cad_ref",
                       _("“%s” already appears at calls[%u] with different content"),
                       rcrp_call_get_cad_ref (call), GPOINTER_TO_UINT (earlier));
              return NULL;
            }
        }
      else
        {
          g_hash_table_insert (seen, (gpointer) rcrp_call_get_cad_ref (call), GUINT_TO_POINTER (i));
        }
    }

  return g_steal_pointer (&calls);
}

GPtrArray *
rcrp_feed_parse_file (GFile       *file,
                      const char  *source_name,
                      GBytes     **out_document,
                      GError     **error)
{
  return rcrp_feed_parse_file_full (file, source_name, RCRP_READ_FILE_DEFAULT, out_document, error);
}

GPtrArray *
rcrp_feed_parse_file_full (GFile              *file,
                           const char         *source_name,
                           RcrpReadFileFlags   flags,
                           GBytes            **out_document,
                           GError            **error)
{
  g_autoptr(GBytes) document = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *source = NULL;
  g_autofree char *path = NULL;
  GPtrArray *calls;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  path = g_file_get_path (file);
  source = g_strdup (source_name);
  if (source == NULL)
    source = path != NULL ? g_strdup (path) : g_file_get_uri (file);

  if (path == NULL)
    {
      g_set_error (error, RCRP_FEED_ERROR, RCRP_FEED_ERROR_IO,
                   _("%s: not a local file; feed files are read from a local path"), source);
      return NULL;
    }

  /* Regular files only, checked on the opened descriptor: a FIFO does not
   * block, a device does not stream for ever, and a file too large is
   * refused before it is read. */
  document = rcrp_read_regular_file (path, source, RCRP_FEED_MAX_BYTES, flags, &local_error);
  if (document == NULL)
    {
      g_set_error_literal (error, RCRP_FEED_ERROR,
                           g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE)
                             ? RCRP_FEED_ERROR_TOO_LARGE : RCRP_FEED_ERROR_IO,
                           local_error->message);
      return NULL;
    }

  calls = rcrp_feed_parse_bytes (document, source, error);

  if (calls != NULL && out_document != NULL)
    *out_document = g_steal_pointer (&document);

  return calls;
}

/* rcrp-agency.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rcrp-agency.h"
#include "rcrp-file.h"
#include "rcrp-json-strict.h"
#include "rcrp-triage.h"

#define DEFAULT_DIRECTORY_RESOURCE "/io/github/rcrp/Coordinator/core/default-agencies.json"
#define DIRECTORY_MAX_DEPTH 16
#define MINUTES_PER_DAY (24 * 60)

G_DEFINE_QUARK (rcrp-agency-error-quark, rcrp_agency_error)

static const struct {
  const char *string;
  const char *label;
  const char *icon;
} statuses[] = {
  [RCRP_AGENCY_STATUS_UNKNOWN]     = { "unknown",     N_("Not reported"), "dialog-question-symbolic" },
  [RCRP_AGENCY_STATUS_AVAILABLE]   = { "available",   N_("Available"),    "emblem-ok-symbolic" },
  [RCRP_AGENCY_STATUS_LIMITED]     = { "limited",     N_("Limited"),      "dialog-warning-symbolic" },
  [RCRP_AGENCY_STATUS_AT_CAPACITY] = { "at_capacity", N_("At capacity"),  "action-unavailable-symbolic" },
  [RCRP_AGENCY_STATUS_CLOSED]      = { "closed",      N_("Closed"),       "window-close-symbolic" },
};

static const char * const day_names[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };
static const char * const day_labels[] = {
  N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"),
};

const char *
rcrp_agency_status_to_string (RcrpAgencyStatus status)
{
  g_return_val_if_fail (status <= RCRP_AGENCY_STATUS_CLOSED, NULL);
  return statuses[status].string;
}

gboolean
rcrp_agency_status_from_string (const char       *string,
                                RcrpAgencyStatus *status)
{
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      if (g_strcmp0 (string, statuses[i].string) == 0)
        {
          *status = i;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
rcrp_agency_status_get_label (RcrpAgencyStatus status)
{
  g_return_val_if_fail (status <= RCRP_AGENCY_STATUS_CLOSED, NULL);
  return g_dgettext (GETTEXT_PACKAGE, statuses[status].label);
}

const char *
rcrp_agency_status_get_icon (RcrpAgencyStatus status)
{
  g_return_val_if_fail (status <= RCRP_AGENCY_STATUS_CLOSED, NULL);
  return statuses[status].icon;
}

/* Opening hours */

typedef struct
{
  guint8  day;    /* 0 = Monday */
  guint16 open;   /* minutes after local midnight */
  guint16 close;  /* 1..1440; not after open: the next day */
} Span;

struct _RcrpOpeningHours
{
  gatomicrefcount  ref_count;
  gboolean         always;
  GArray          *spans;
};

static RcrpOpeningHours *
opening_hours_new (void)
{
  RcrpOpeningHours *self = g_new0 (RcrpOpeningHours, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->spans = g_array_new (FALSE, FALSE, sizeof (Span));

  return self;
}

RcrpOpeningHours *
rcrp_opening_hours_new_always (void)
{
  RcrpOpeningHours *self = opening_hours_new ();

  self->always = TRUE;

  return self;
}

RcrpOpeningHours *
rcrp_opening_hours_ref (RcrpOpeningHours *self)
{
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
rcrp_opening_hours_unref (RcrpOpeningHours *self)
{
  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_array_unref (self->spans);
      g_free (self);
    }
}

gboolean
rcrp_opening_hours_is_always (RcrpOpeningHours *self)
{
  return self->always;
}

/* "HH:MM", 00:00 to 24:00. */
static gboolean
parse_clock (const char *text,
             int        *minutes)
{
  if (text == NULL || strlen (text) != 5 || text[2] != ':' ||
      !g_ascii_isdigit (text[0]) || !g_ascii_isdigit (text[1]) ||
      !g_ascii_isdigit (text[3]) || !g_ascii_isdigit (text[4]))
    return FALSE;

  int h = (text[0] - '0') * 10 + (text[1] - '0');
  int m = (text[3] - '0') * 10 + (text[4] - '0');

  if (m > 59 || h > 24 || (h == 24 && m != 0))
    return FALSE;

  *minutes = h * 60 + m;

  return TRUE;
}

static gboolean G_GNUC_PRINTF (3, 4)
invalid (GError    **error,
         const char *path,
         const char *format,
         ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, RCRP_AGENCY_ERROR, RCRP_AGENCY_ERROR_INVALID, "%s: %s", path, message);

  return FALSE;
}

/* The member's text, or NULL when it is missing or anything but a string:
 * json-glib's own getters raise a critical on an object or a number, and a
 * directory file is input, not a promise. */
static const char *
text_member (JsonObject *object,
             const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

RcrpOpeningHours *
rcrp_opening_hours_parse (JsonNode    *node,
                          const char  *path,
                          GError     **error)
{
  g_autoptr(RcrpOpeningHours) self = NULL;
  JsonArray *array;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      if (g_strcmp0 (json_node_get_string (node), "24/7") != 0)
        {
          invalid (error, path, _("“%s” is not opening hours: give \"24/7\" or a list of spans"),
                   json_node_get_string (node));
          return NULL;
        }

      return rcrp_opening_hours_new_always ();
    }

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      invalid (error, path, _("expected \"24/7\" or a list of spans"));
      return NULL;
    }

  array = json_node_get_array (node);
  if (json_array_get_length (array) == 0)
    {
      invalid (error, path, _("no opening hours: an agency that is never open cannot take referrals"));
      return NULL;
    }

  self = opening_hours_new ();

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *here = g_strdup_printf ("%s[%u]", path, i);
      JsonObject *object;
      JsonNode *days;
      const char *open_text, *close_text;
      int open, close;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          invalid (error, here, _("expected an object with days, open and close"));
          return NULL;
        }
      object = json_node_get_object (element);

      {
        g_autoptr(GList) members = json_object_get_members (object);

        for (GList *l = members; l != NULL; l = l->next)
          if (!g_str_equal (l->data, "days") && !g_str_equal (l->data, "open") && !g_str_equal (l->data, "close"))
            {
              invalid (error, here, _("unknown member “%s”"), (const char *) l->data);
              return NULL;
            }
      }

      open_text = text_member (object, "open");
      close_text = text_member (object, "close");
      if (!parse_clock (open_text, &open) || open == MINUTES_PER_DAY)
        {
          g_autofree char *field = g_strdup_printf ("%s.open", here);
          invalid (error, field, _("expected a time “HH:MM” from 00:00 to 23:59"));
          return NULL;
        }
      if (!parse_clock (close_text, &close) || close == 0)
        {
          g_autofree char *field = g_strdup_printf ("%s.close", here);
          invalid (error, field, _("expected a time “HH:MM” from 00:01 to 24:00"));
          return NULL;
        }
      if (open == close)
        {
          g_autofree char *field = g_strdup_printf ("%s.close", here);
          invalid (error, field, _("opens and closes at the same time: for a whole day give 00:00 to 24:00"));
          return NULL;
        }

      days = json_object_get_member (object, "days");
      if (days == NULL || !JSON_NODE_HOLDS_ARRAY (days) || json_array_get_length (json_node_get_array (days)) == 0)
        {
          g_autofree char *field = g_strdup_printf ("%s.days", here);
          invalid (error, field, _("expected a list of days such as [\"mon\", \"tue\"]"));
          return NULL;
        }

      for (guint d = 0; d < json_array_get_length (json_node_get_array (days)); d++)
        {
          JsonNode *day_node = json_array_get_element (json_node_get_array (days), d);
          const char *name = JSON_NODE_HOLDS_VALUE (day_node) &&
                             json_node_get_value_type (day_node) == G_TYPE_STRING ?
                             json_node_get_string (day_node) : NULL;
          Span span = { 0, open, close };
          guint day;

          for (day = 0; day < G_N_ELEMENTS (day_names); day++)
            if (g_strcmp0 (name, day_names[day]) == 0)
              break;

          if (day == G_N_ELEMENTS (day_names))
            {
              g_autofree char *field = g_strdup_printf ("%s.days[%u]", here, d);
              invalid (error, field, _("expected one of mon, tue, wed, thu, fri, sat, sun"));
              return NULL;
            }

          span.day = day;
          g_array_append_val (self->spans, span);
        }
    }

  return g_steal_pointer (&self);
}

gboolean
rcrp_opening_hours_is_open (RcrpOpeningHours *self,
                            GDateTime        *at,
                            GTimeZone        *tz)
{
  g_autoptr(GDateTime) local = NULL;
  guint weekday;
  int minute;

  if (self->always)
    return TRUE;

  /* Judged on the local clock: the spans are what the agency's door says. */
  local = g_date_time_to_timezone (at, tz);
  weekday = g_date_time_get_day_of_week (local) - 1;
  minute = g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local);

  for (guint i = 0; i < self->spans->len; i++)
    {
      const Span *span = &g_array_index (self->spans, Span, i);

      if (span->close > span->open)
        {
          if (span->day == weekday && minute >= span->open && minute < span->close)
            return TRUE;
        }
      else
        {
          /* Overnight: from opening on its day to closing on the next. */
          if ((span->day == weekday && minute >= span->open) ||
              ((guint) (span->day + 1) % 7 == weekday && minute < span->close))
            return TRUE;
        }
    }

  return FALSE;
}

GDateTime *
rcrp_opening_hours_next_change (RcrpOpeningHours *self,
                                GDateTime        *at,
                                GTimeZone        *tz)
{
  gboolean open_now;
  g_autoptr(GDateTime) probe = NULL;

  if (self->always)
    return NULL;

  open_now = rcrp_opening_hours_is_open (self, at, tz);

  /* Opening hours change on whole minutes of the local clock; step
   * through the next week a minute at a time in UTC, which needs no
   * special case for the hour the clocks skip or repeat. 10080 cheap
   * checks at most, and only for the board's "opens at" text.
   */
  probe = g_date_time_add_seconds (at, 60 - g_date_time_get_seconds (at));
  for (guint i = 0; i <= 7 * MINUTES_PER_DAY + 60; i++)
    {
      if (rcrp_opening_hours_is_open (self, probe, tz) != open_now)
        return g_steal_pointer (&probe);

      {
        g_autoptr(GDateTime) next = g_date_time_add_minutes (probe, 1);

        g_date_time_unref (probe);
        probe = g_steal_pointer (&next);
      }
    }

  return NULL;
}

static int
compare_spans (gconstpointer a,
               gconstpointer b)
{
  const Span *x = a, *y = b;

  if (x->open != y->open)
    return x->open - y->open;
  if (x->close != y->close)
    return x->close - y->close;
  return x->day - y->day;
}

static void
append_clock (GString *string,
              int      minutes)
{
  g_string_append_printf (string, "%02d:%02d", minutes / 60, minutes % 60);
}

typedef struct
{
  guint first;  /* index into the sorted spans */
  guint end;
} Group;

static int
compare_groups (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  GArray *spans = user_data;
  const Group *x = a, *y = b;

  return g_array_index (spans, Span, x->first).day - g_array_index (spans, Span, y->first).day;
}

char *
rcrp_opening_hours_to_text (RcrpOpeningHours *self)
{
  g_autoptr(GArray) spans = NULL;
  g_autoptr(GArray) groups = NULL;
  GString *text;

  if (self->always)
    return g_strdup (_("24 hours, every day"));

  /* Group the days that share the same times ("Mon–Fri 09:00–17:00"),
   * the groups in the order of their first day. */
  spans = g_array_copy (self->spans);
  g_array_sort (spans, compare_spans);
  groups = g_array_new (FALSE, FALSE, sizeof (Group));
  for (guint i = 0; i < spans->len;)
    {
      Group group = { i, i + 1 };

      while (group.end < spans->len &&
             g_array_index (spans, Span, group.end).open == g_array_index (spans, Span, i).open &&
             g_array_index (spans, Span, group.end).close == g_array_index (spans, Span, i).close)
        group.end++;
      g_array_append_val (groups, group);
      i = group.end;
    }
  g_array_sort_with_data (groups, compare_groups, spans);

  text = g_string_new (NULL);

  for (guint g = 0; g < groups->len; g++)
    {
      const Group *group = &g_array_index (groups, Group, g);
      const Span *first = &g_array_index (spans, Span, group->first);

      if (text->len > 0)
        g_string_append (text, "; ");

      /* Runs of consecutive days as ranges. */
      for (guint k = group->first; k < group->end;)
        {
          guint end = k;

          while (end + 1 < group->end &&
                 g_array_index (spans, Span, end + 1).day == g_array_index (spans, Span, end).day + 1)
            end++;

          if (k > group->first)
            g_string_append (text, ", ");
          g_string_append (text, g_dgettext (GETTEXT_PACKAGE, day_labels[g_array_index (spans, Span, k).day]));
          if (end > k)
            {
              g_string_append (text, end == k + 1 ? ", " : "–");
              g_string_append (text, g_dgettext (GETTEXT_PACKAGE, day_labels[g_array_index (spans, Span, end).day]));
            }
          k = end + 1;
        }

      g_string_append_c (text, ' ');
      append_clock (text, first->open);
      g_string_append (text, "–");
      append_clock (text, first->close);
      if (first->close <= first->open)
        g_string_append (text, _(" (next day)"));
    }

  return g_string_free (text, FALSE);
}

JsonNode *
rcrp_opening_hours_to_json (RcrpOpeningHours *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  if (self->always)
    return json_node_init_string (json_node_alloc (), "24/7");

  json_builder_begin_array (builder);
  for (guint i = 0; i < self->spans->len; i++)
    {
      const Span *span = &g_array_index (self->spans, Span, i);
      g_autofree char *open = g_strdup_printf ("%02d:%02d", span->open / 60, span->open % 60);
      g_autofree char *close = g_strdup_printf ("%02d:%02d", span->close / 60, span->close % 60);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "days");
      json_builder_begin_array (builder);
      json_builder_add_string_value (builder, day_names[span->day]);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "open");
      json_builder_add_string_value (builder, open);
      json_builder_set_member_name (builder, "close");
      json_builder_add_string_value (builder, close);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  return json_builder_get_root (builder);
}

/* Agencies */

struct _RcrpAgency
{
  GObject           parent_instance;

  char             *id;
  char             *name;
  char             *kind;
  char             *phone;
  char             *email;
  RcrpOpeningHours *hours;
  guint             accepts;   /* 1 << RcrpCategory */
  int               response_target;

  RcrpAgencyStatus  status;
  int               capacity;
  int               eta_minutes;
  char             *note;
  char             *changed_by;
  char             *changed_workstation;
  GDateTime        *changed_at;
};

G_DEFINE_FINAL_TYPE (RcrpAgency, rcrp_agency, G_TYPE_OBJECT)

static void
rcrp_agency_finalize (GObject *object)
{
  RcrpAgency *self = RCRP_AGENCY (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->kind, g_free);
  g_clear_pointer (&self->phone, g_free);
  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->hours, rcrp_opening_hours_unref);
  g_clear_pointer (&self->note, g_free);
  g_clear_pointer (&self->changed_by, g_free);
  g_clear_pointer (&self->changed_workstation, g_free);
  g_clear_pointer (&self->changed_at, g_date_time_unref);

  G_OBJECT_CLASS (rcrp_agency_parent_class)->finalize (object);
}

static void
rcrp_agency_class_init (RcrpAgencyClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rcrp_agency_finalize;
}

static void
rcrp_agency_init (RcrpAgency *self)
{
  self->capacity = -1;
  self->eta_minutes = -1;
}

const char *
rcrp_agency_get_id (RcrpAgency *self)
{
  g_return_val_if_fail (RCRP_IS_AGENCY (self), NULL);
  return self->id;
}

const char *
rcrp_agency_get_name (RcrpAgency *self)
{
  g_return_val_if_fail (RCRP_IS_AGENCY (self), NULL);
  return self->name;
}

const char *
rcrp_agency_get_kind (RcrpAgency *self)
{
  g_return_val_if_fail (RCRP_IS_AGENCY (self), NULL);
  return self->kind;
}

const char *
rcrp_agency_get_phone (RcrpAgency *self)
{
  g_return_val_if_fail (RCRP_IS_AGENCY (self), NULL);
  return self->phone;
}

const char *
rcrp_agency_get_email (RcrpAgency *self)
{
  g_return_val_if_fail (RCRP_IS_AGENCY (self), NULL);
  return self->email;
}

RcrpOpeningHours *
rcrp_agency_get_hours (RcrpAgency *self)
{
  g_return_val_if_fail (RCRP_IS_AGENCY (self), NULL);
  return self->hours;
}

gboolean
rcrp_agency_accepts (RcrpAgency   *self,
                     RcrpCategory  category)
{
  g_return_val_if_fail (RCRP_IS_AGENCY (self), FALSE);
  return (self->accepts & (1u << category)) != 0;
}

int
rcrp_agency_get_response_target (RcrpAgency *self)
{
  g_return_val_if_fail (RCRP_IS_AGENCY (self), 0);
  return self->response_target;
}

RcrpAgencyStatus
rcrp_agency_get_status (RcrpAgency *self)
{
  g_return_val_if_fail (RCRP_IS_AGENCY (self), RCRP_AGENCY_STATUS_UNKNOWN);
  return self->status;
}

int
rcrp_agency_get_capacity (RcrpAgency *self)
{
  g_return_val_if_fail (RCRP_IS_AGENCY (self), -1);
  return self->capacity;
}

int
rcrp_agency_get_eta_minutes (RcrpAgency *self)
{
  g_return_val_if_fail (RCRP_IS_AGENCY (self), -1);
  return self->eta_minutes;
}

const char *
rcrp_agency_get_note (RcrpAgency *self)
{
  g_return_val_if_fail (RCRP_IS_AGENCY (self), NULL);
  return self->note;
}

const char *
rcrp_agency_get_changed_by (RcrpAgency *self)
{
  g_return_val_if_fail (RCRP_IS_AGENCY (self), NULL);
  return self->changed_by;
}

const char *
rcrp_agency_get_changed_workstation (RcrpAgency *self)
{
  g_return_val_if_fail (RCRP_IS_AGENCY (self), NULL);
  return self->changed_workstation;
}

GDateTime *
rcrp_agency_get_changed_at (RcrpAgency *self)
{
  g_return_val_if_fail (RCRP_IS_AGENCY (self), NULL);
  return self->changed_at;
}

gboolean
rcrp_agency_is_open (RcrpAgency *self,
                     GDateTime  *at,
                     GTimeZone  *tz)
{
  g_return_val_if_fail (RCRP_IS_AGENCY (self), FALSE);

  /* An agency that says it has closed early is closed whatever its hours. */
  if (self->status == RCRP_AGENCY_STATUS_CLOSED)
    return FALSE;

  return rcrp_opening_hours_is_open (self->hours, at, tz);
}

gboolean
rcrp_agency_is_stale (RcrpAgency *self,
                      GDateTime  *now,
                      int         stale_minutes)
{
  g_return_val_if_fail (RCRP_IS_AGENCY (self), TRUE);

  if (self->changed_at == NULL)
    return TRUE;

  return g_date_time_difference (now, self->changed_at) > (GTimeSpan) stale_minutes * G_TIME_SPAN_MINUTE;
}

char *
rcrp_agency_describe_obstacle (RcrpAgency *self,
                               GDateTime  *now,
                               GTimeZone  *tz)
{
  g_return_val_if_fail (RCRP_IS_AGENCY (self), NULL);

  if (self->status == RCRP_AGENCY_STATUS_CLOSED || self->status == RCRP_AGENCY_STATUS_AT_CAPACITY)
    {
      g_autoptr(GDateTime) local = self->changed_at != NULL ? g_date_time_to_timezone (self->changed_at, tz) : NULL;
      g_autofree char *when = local != NULL ? g_date_time_format (local, "%H:%M") : g_strdup ("?");

      if (self->status == RCRP_AGENCY_STATUS_CLOSED)
        return g_strdup_printf (_("%s reported itself closed at %s (%s)."), self->name, when,
                                self->changed_by != NULL ? self->changed_by : "?");
      return g_strdup_printf (_("%s reported itself at capacity at %s (%s)."), self->name, when,
                              self->changed_by != NULL ? self->changed_by : "?");
    }

  if (!rcrp_opening_hours_is_open (self->hours, now, tz))
    {
      g_autoptr(GDateTime) opens = rcrp_opening_hours_next_change (self->hours, now, tz);
      g_autoptr(GDateTime) local = opens != NULL ? g_date_time_to_timezone (opens, tz) : NULL;
      g_autofree char *when = local != NULL ? g_date_time_format (local, "%a %H:%M") : NULL;
      g_autofree char *hours = rcrp_opening_hours_to_text (self->hours);

      return g_strdup_printf (_("%s is closed now (hours: %s); it opens %s."), self->name, hours,
                              when != NULL ? when : _("later"));
    }

  return NULL;
}

void
_rcrp_agency_set_state (RcrpAgency       *self,
                        RcrpAgencyStatus  status,
                        int               capacity,
                        int               eta_minutes,
                        const char       *note,
                        const char       *changed_by,
                        const char       *changed_workstation,
                        GDateTime        *changed_at)
{
  self->status = status;
  self->capacity = capacity;
  self->eta_minutes = eta_minutes;
  g_free (self->note);
  self->note = g_strdup (note);
  g_free (self->changed_by);
  self->changed_by = g_strdup (changed_by);
  g_free (self->changed_workstation);
  self->changed_workstation = g_strdup (changed_workstation);
  g_clear_pointer (&self->changed_at, g_date_time_unref);
  if (changed_at != NULL)
    self->changed_at = g_date_time_ref (changed_at);
}

RcrpAgency *
_rcrp_agency_copy_entry (RcrpAgency *self)
{
  RcrpAgency *copy = g_object_new (RCRP_TYPE_AGENCY, NULL);

  copy->id = g_strdup (self->id);
  copy->name = g_strdup (self->name);
  copy->kind = g_strdup (self->kind);
  copy->phone = g_strdup (self->phone);
  copy->email = g_strdup (self->email);
  copy->hours = rcrp_opening_hours_ref (self->hours);
  copy->accepts = self->accepts;
  copy->response_target = self->response_target;

  return copy;
}

/* The directory */

static gboolean
is_valid_id (const char *id)
{
  if (id == NULL || *id == '\0' || strlen (id) > 64 || !g_ascii_islower (*id))
    return FALSE;

  for (const char *p = id; *p; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '-')
      return FALSE;

  return TRUE;
}

static const char *
string_member (JsonObject  *object,
               const char  *member,
               const char  *path,
               gsize        max_chars,
               gboolean     may_be_empty,
               GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  const char *value;

  if (node == NULL)
    {
      invalid (error, path, _("“%s” is missing"), member);
      return NULL;
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      invalid (error, path, _("“%s” must be text"), member);
      return NULL;
    }

  value = json_node_get_string (node);
  if (!may_be_empty && *value == '\0')
    {
      invalid (error, path, _("“%s” is empty"), member);
      return NULL;
    }
  if (g_utf8_strlen (value, -1) > (glong) max_chars)
    {
      invalid (error, path, _("“%s” is longer than %zu characters"), member, max_chars);
      return NULL;
    }

  return value;
}

RcrpAgency *
rcrp_agency_entry_from_json (JsonNode    *node,
                             const char  *path,
                             GError     **error)
{
  static const char * const known[] = {
    "id", "name", "kind", "phone", "email", "hours", "accepts", "response_target_minutes", NULL
  };
  g_autoptr(RcrpAgency) self = NULL;
  g_autofree char *field = NULL;
  JsonObject *object;
  JsonNode *accepts, *target;
  const char *value;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      invalid (error, path, _("expected an agency object"));
      return NULL;
    }
  object = json_node_get_object (node);

  {
    g_autoptr(GList) members = json_object_get_members (object);

    for (GList *l = members; l != NULL; l = l->next)
      if (!g_strv_contains (known, l->data))
        {
          g_autofree char *here = g_strdup_printf ("%s.%s", path, (const char *) l->data);
          invalid (error, here, _("unknown member"));
          return NULL;
        }
  }

  self = g_object_new (RCRP_TYPE_AGENCY, NULL);

  field = g_strdup_printf ("%s.id", path);
  if ((value = string_member (object, "id", path, 64, FALSE, error)) == NULL)
    return NULL;
  if (!is_valid_id (value))
    {
      invalid (error, field, _("“%s” is not an agency id: lower-case letters, digits and “-”, starting with a letter"),
               value);
      return NULL;
    }
  self->id = g_strdup (value);

  if ((value = string_member (object, "name", path, 120, FALSE, error)) == NULL)
    return NULL;
  self->name = g_strdup (value);

  if ((value = string_member (object, "kind", path, 64, FALSE, error)) == NULL)
    return NULL;
  if (!rcrp_agency_kind_is_valid (value))
    {
      g_free (field);
      field = g_strdup_printf ("%s.kind", path);
      invalid (error, field, _("“%s” is not a known kind of agency"), value);
      return NULL;
    }
  self->kind = g_strdup (value);

  if ((value = string_member (object, "phone", path, 40, TRUE, error)) == NULL)
    return NULL;
  self->phone = g_strdup (value);

  if ((value = string_member (object, "email", path, 254, TRUE, error)) == NULL)
    return NULL;
  if (*value != '\0' && (strchr (value, '@') == NULL || strchr (value, ' ') != NULL))
    {
      g_free (field);
      field = g_strdup_printf ("%s.email", path);
      invalid (error, field, _("“%s” is not an e-mail address"), value);
      return NULL;
    }
  self->email = g_strdup (value);

  g_free (field);
  field = g_strdup_printf ("%s.hours", path);
  if (json_object_get_member (object, "hours") == NULL)
    {
      invalid (error, path, _("“hours” is missing"));
      return NULL;
    }
  self->hours = rcrp_opening_hours_parse (json_object_get_member (object, "hours"), field, error);
  if (self->hours == NULL)
    return NULL;

  g_free (field);
  field = g_strdup_printf ("%s.accepts", path);
  accepts = json_object_get_member (object, "accepts");
  if (accepts == NULL || !JSON_NODE_HOLDS_ARRAY (accepts) || json_array_get_length (json_node_get_array (accepts)) == 0)
    {
      invalid (error, field, _("expected a list of the call categories the agency takes"));
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (json_node_get_array (accepts)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (accepts), i);
      RcrpCategory category;

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING ||
          !rcrp_category_from_string (json_node_get_string (element), &category))
        {
          g_autofree char *here = g_strdup_printf ("%s[%u]", field, i);
          invalid (error, here, _("not a call category of the feed contract"));
          return NULL;
        }
      self->accepts |= 1u << category;
    }

  g_free (field);
  field = g_strdup_printf ("%s.response_target_minutes", path);
  target = json_object_get_member (object, "response_target_minutes");
  if (target == NULL || !JSON_NODE_HOLDS_VALUE (target) || json_node_get_value_type (target) != G_TYPE_INT64 ||
      json_node_get_int (target) < 1 || json_node_get_int (target) > 7 * 24 * 60)
    {
      invalid (error, field, _("expected whole minutes from 1 to 10080"));
      return NULL;
    }
  self->response_target = json_node_get_int (target);

  return g_steal_pointer (&self);
}

JsonNode *
rcrp_agency_entry_to_json (RcrpAgency *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, self->id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, self->name);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, self->kind);
  json_builder_set_member_name (builder, "phone");
  json_builder_add_string_value (builder, self->phone);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, self->email);
  json_builder_set_member_name (builder, "hours");
  json_builder_add_value (builder, rcrp_opening_hours_to_json (self->hours));
  json_builder_set_member_name (builder, "accepts");
  json_builder_begin_array (builder);
  for (guint c = 0; c < RCRP_N_CATEGORIES; c++)
    if (self->accepts & (1u << c))
      json_builder_add_string_value (builder, rcrp_category_to_string (c));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "response_target_minutes");
  json_builder_add_int_value (builder, self->response_target);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void
position_of (const char *text,
             const char *at,
             guint      *line,
             guint      *column)
{
  *line = 1;
  *column = 1;
  for (const char *p = text; p < at; p = g_utf8_next_char (p))
    {
      if (*p == '\n')
        {
          (*line)++;
          *column = 1;
        }
      else
        (*column)++;
    }
}

GPtrArray *
rcrp_agency_directory_parse_bytes (GBytes      *bytes,
                                   const char  *source,
                                   GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GPtrArray) agencies = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *message = NULL;
  const char *text, *end;
  gsize length;
  guint line, column;
  JsonNode *root, *list;
  JsonObject *object;
  const char *schema;

  text = g_bytes_get_data (bytes, &length);
  if (text == NULL)
    text = "";

  if (length > RCRP_AGENCY_DIRECTORY_MAX_BYTES)
    {
      g_set_error (error, RCRP_AGENCY_ERROR, RCRP_AGENCY_ERROR_INVALID,
                   _("%s: larger than %d KiB, which no agency directory needs; refused"),
                   source, RCRP_AGENCY_DIRECTORY_MAX_BYTES / 1024);
      return NULL;
    }

  if (!g_utf8_validate_len (text, length, &end))
    {
      position_of (text, end, &line, &column);
      g_set_error (error, RCRP_AGENCY_ERROR, RCRP_AGENCY_ERROR_SYNTAX,
                   _("%s:%u:%u: not valid UTF-8 text"), source, line, column);
      return NULL;
    }

  /* json-glib alone would take comments, hex numbers and any depth. */
  if (!rcrp_json_strict_check (text, length, DIRECTORY_MAX_DEPTH, &line, &column, &message))
    {
      g_set_error (error, RCRP_AGENCY_ERROR, RCRP_AGENCY_ERROR_SYNTAX,
                   "%s:%u:%u: %s", source, line, column, message);
      return NULL;
    }

  if (!json_parser_load_from_data (parser, text, length, &local_error))
    {
      g_set_error (error, RCRP_AGENCY_ERROR, RCRP_AGENCY_ERROR_SYNTAX,
                   "%s: %s", source, local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, RCRP_AGENCY_ERROR, RCRP_AGENCY_ERROR_INVALID,
                   _("%s: expected an object with “schema” and “agencies”"), source);
      return NULL;
    }
  object = json_node_get_object (root);

  schema = text_member (object, "schema");
  if (g_strcmp0 (schema, RCRP_AGENCY_DIRECTORY_SCHEMA) != 0)
    {
      g_set_error (error, RCRP_AGENCY_ERROR, RCRP_AGENCY_ERROR_INVALID,
                   _("%s: schema: expected “%s”"), source, RCRP_AGENCY_DIRECTORY_SCHEMA);
      return NULL;
    }

  list = json_object_get_member (object, "agencies");
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list) || json_array_get_length (json_node_get_array (list)) == 0)
    {
      g_set_error (error, RCRP_AGENCY_ERROR, RCRP_AGENCY_ERROR_INVALID,
                   _("%s: agencies: expected a list of at least one agency"), source);
      return NULL;
    }

  for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
    {
      g_autofree char *path = g_strdup_printf ("agencies[%u]", i);
      g_autoptr(GError) entry_error = NULL;
      RcrpAgency *agency;

      agency = rcrp_agency_entry_from_json (json_array_get_element (json_node_get_array (list), i),
                                            path, &entry_error);
      if (agency == NULL)
        {
          g_set_error (error, RCRP_AGENCY_ERROR, entry_error->code, "%s: %s", source, entry_error->message);
          return NULL;
        }

      g_ptr_array_add (agencies, agency);

      if (g_hash_table_contains (seen, agency->id))
        {
          g_set_error (error, RCRP_AGENCY_ERROR, RCRP_AGENCY_ERROR_INVALID,
                       _("%s: %s.id: “%s” is used twice"), source, path, agency->id);
          return NULL;
        }
      g_hash_table_add (seen, agency->id);
    }

  return g_steal_pointer (&agencies);
}

GPtrArray *
rcrp_agency_directory_parse_file (GFile   *file,
                                  GError **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *source = g_file_get_parse_name (file);
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(GError) local_error = NULL;

  if (path == NULL)
    {
      g_set_error (error, RCRP_AGENCY_ERROR, RCRP_AGENCY_ERROR_IO,
                   _("%s: not a local file; the agency directory is read from a local path"), source);
      return NULL;
    }

  /* A regular file of a size no directory exceeds: /dev/zero or a FIFO is
   * refused at once rather than read for ever. */
  bytes = rcrp_read_regular_file (path, source, RCRP_AGENCY_DIRECTORY_MAX_BYTES, RCRP_READ_FILE_DEFAULT,
                                  &local_error);
  if (bytes == NULL)
    {
      g_set_error_literal (error, RCRP_AGENCY_ERROR,
                           g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE)
                             ? RCRP_AGENCY_ERROR_INVALID : RCRP_AGENCY_ERROR_IO,
                           local_error->message);
      return NULL;
    }

  return rcrp_agency_directory_parse_bytes (bytes, source, error);
}

GPtrArray *
rcrp_agency_directory_get_default (void)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *agencies;

  bytes = g_resources_lookup_data (DEFAULT_DIRECTORY_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  if (bytes == NULL)
    g_error ("The built-in agency directory is missing: %s", error->message);

  /* Checked by the tests; a broken built-in directory is a build fault. */
  agencies = rcrp_agency_directory_parse_bytes (bytes, "built-in agency directory", &error);
  if (agencies == NULL)
    g_error ("%s", error->message);

  return agencies;
}

char *
rcrp_agency_directory_to_json (GPtrArray *agencies)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schema");
  json_builder_add_string_value (builder, RCRP_AGENCY_DIRECTORY_SCHEMA);
  json_builder_set_member_name (builder, "agencies");
  json_builder_begin_array (builder);
  for (guint i = 0; i < agencies->len; i++)
    json_builder_add_value (builder, rcrp_agency_entry_to_json (g_ptr_array_index (agencies, i)));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);

  return json_generator_to_data (generator, NULL);
}

RcrpAgency *
rcrp_agencies_find (GPtrArray  *agencies,
                    const char *id)
{
  for (guint i = 0; i < agencies->len; i++)
    {
      RcrpAgency *agency = g_ptr_array_index (agencies, i);

      if (g_strcmp0 (agency->id, id) == 0)
        return agency;
    }

  return NULL;
}

typedef struct
{
  RcrpAgency *agency;
  guint       recommended_rank;  /* position among the recommended kinds, or G_MAXUINT */
  gboolean    can_take;
  guint       position;          /* in the directory */
} Ranked;

static int
compare_ranked (gconstpointer a,
                gconstpointer b)
{
  const Ranked *x = a, *y = b;

  if ((x->recommended_rank == G_MAXUINT) != (y->recommended_rank == G_MAXUINT))
    return x->recommended_rank == G_MAXUINT ? 1 : -1;
  if (x->can_take != y->can_take)
    return x->can_take ? -1 : 1;
  if (x->recommended_rank != y->recommended_rank)
    return x->recommended_rank < y->recommended_rank ? -1 : 1;
  return (int) x->position - (int) y->position;
}

GPtrArray *
rcrp_agencies_rank_for (GPtrArray          *agencies,
                        RcrpCategory        category,
                        const char * const *recommended,
                        GDateTime          *now,
                        GTimeZone          *tz)
{
  g_autoptr(GArray) ranked = g_array_new (FALSE, FALSE, sizeof (Ranked));
  GPtrArray *result = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < agencies->len; i++)
    {
      RcrpAgency *agency = g_ptr_array_index (agencies, i);
      Ranked r = { agency, G_MAXUINT, FALSE, i };
      g_autofree char *obstacle = NULL;

      if (recommended != NULL)
        for (guint k = 0; recommended[k] != NULL; k++)
          if (g_strcmp0 (recommended[k], agency->kind) == 0)
            {
              r.recommended_rank = k;
              break;
            }

      /* A recommended agency is offered even if its directory entry does
       * not list the category: the rules asked for it. */
      if (r.recommended_rank == G_MAXUINT && !rcrp_agency_accepts (agency, category))
        continue;

      obstacle = rcrp_agency_describe_obstacle (agency, now, tz);
      r.can_take = obstacle == NULL;
      g_array_append_val (ranked, r);
    }

  g_array_sort (ranked, compare_ranked);

  for (guint i = 0; i < ranked->len; i++)
    g_ptr_array_add (result, g_object_ref (g_array_index (ranked, Ranked, i).agency));

  return result;
}

GTimeZone *
rcrp_agency_area_time_zone (void)
{
  const char *id = g_getenv ("RCRP_TIME_ZONE");
  GTimeZone *tz;

  tz = g_time_zone_new_identifier (id != NULL && *id != '\0' ? id : "Europe/London");
  if (tz == NULL)
    {
      g_warning ("Unknown time zone “%s”; using Europe/London", id);
      tz = g_time_zone_new_identifier ("Europe/London");
    }
  if (tz == NULL)
    tz = g_time_zone_new_local ();

  return tz;
}

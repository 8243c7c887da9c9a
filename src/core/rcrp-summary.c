/* rcrp-summary.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <unistd.h>

#include <gio/gunixoutputstream.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "rcrp-alert-watch.h"
#include "rcrp-file.h"
#include "rcrp-summary.h"

G_DEFINE_QUARK (rcrp-summary-error-quark, rcrp_summary_error)

static const char * const format_names[] = { "json", "csv", "pdf" };

static const char * const outcome_names[] = {
  "police_deployed", "referred", "signposted", "no_further_action", "undecided",
};

static const char * const age_bands[] = {
  "0-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+", "unknown",
};

/* Upper bounds, in minutes, of the time-to-decision distribution's bars. */
static const double histogram_bounds[] = { 5, 15, 30, 60, 120, INFINITY };
static const char * const histogram_labels[] = { "0-5", "5-15", "15-30", "30-60", "60-120", "120+" };

/* Average officer hours that deploying to a call of each category takes,
 * and so what a decision not to deploy releases. Working assumptions, not
 * published figures: a force sets its own from its duty records (see the
 * README). Order as RcrpCategory.
 */
static const double default_officer_hours[RCRP_N_CATEGORIES] = {
  2.0,  /* concern for welfare: two officers, about an hour on scene */
  3.0,  /* walked out of healthcare: search, then returning the person */
  4.0,  /* AWOL from mental-health services: enquiries like a missing person's */
  2.5,  /* medical incident: waiting with the person for an ambulance */
  2.0,  /* other mental-health calls */
};

gboolean
rcrp_summary_format_from_string (const char        *string,
                                 RcrpSummaryFormat *format)
{
  for (guint i = 0; i < G_N_ELEMENTS (format_names); i++)
    {
      if (g_strcmp0 (string, format_names[i]) == 0)
        {
          *format = i;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
rcrp_summary_format_to_string (RcrpSummaryFormat format)
{
  g_return_val_if_fail (format <= RCRP_SUMMARY_FORMAT_PDF, NULL);
  return format_names[format];
}

void
rcrp_summary_options_init (RcrpSummaryOptions *options)
{
  memset (options, 0, sizeof *options);
  memcpy (options->officer_hours, default_officer_hours, sizeof default_officer_hours);
  options->target_minutes[0] = RCRP_DEFAULT_TARGET_GRADE_1;
  options->target_minutes[1] = RCRP_DEFAULT_TARGET_GRADE_2;
  options->target_minutes[2] = RCRP_DEFAULT_TARGET_GRADE_3;
  options->target_minutes[3] = RCRP_DEFAULT_TARGET_GRADE_4;
}

void
rcrp_summary_options_apply_settings (RcrpSummaryOptions *options,
                                     RcrpSettings       *settings)
{
  if (settings == NULL)
    return;

  for (int grade = 1; grade <= 4; grade++)
    options->target_minutes[grade - 1] = rcrp_settings_get_waiting_target (settings, grade);
}

void
rcrp_summary_options_clear (RcrpSummaryOptions *options)
{
  g_clear_pointer (&options->from, g_date_time_unref);
  g_clear_pointer (&options->to, g_date_time_unref);
  g_clear_pointer (&options->generated_at, g_date_time_unref);
  g_clear_pointer (&options->time_zone, g_time_zone_unref);
}

gboolean
rcrp_summary_parse_officer_hours (const char  *text,
                                  double      *hours,
                                  GError     **error)
{
  g_auto(GStrv) pairs = g_strsplit (text, ",", -1);

  for (guint i = 0; pairs[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (g_strstrip (pairs[i]), "=", 2);
      RcrpCategory category;
      char *end = NULL;
      double value;

      if (g_strv_length (parts) != 2 || !rcrp_category_from_string (g_strstrip (parts[0]), &category))
        {
          g_set_error (error, RCRP_SUMMARY_ERROR, RCRP_SUMMARY_ERROR_INVALID,
                       _("officer hours: “%s” is not CATEGORY=HOURS with a category of the feed contract"),
                       pairs[i]);
          return FALSE;
        }

      value = g_ascii_strtod (g_strstrip (parts[1]), &end);
      if (end == parts[1] || *end != '\0' || !(value >= 0 && value <= 100))
        {
          g_set_error (error, RCRP_SUMMARY_ERROR, RCRP_SUMMARY_ERROR_INVALID,
                       _("officer hours: “%s” is not a number of hours from 0 to 100"), parts[1]);
          return FALSE;
        }

      hours[category] = value;
    }

  return TRUE;
}

static gboolean
parse_clock (const char *text,
             int        *hour,
             int        *minute)
{
  if (text == NULL || strlen (text) != 5 || text[2] != ':' ||
      !g_ascii_isdigit (text[0]) || !g_ascii_isdigit (text[1]) ||
      !g_ascii_isdigit (text[3]) || !g_ascii_isdigit (text[4]))
    return FALSE;

  *hour = (text[0] - '0') * 10 + (text[1] - '0');
  *minute = (text[3] - '0') * 10 + (text[4] - '0');

  return *hour < 24 && *minute < 60;
}

gboolean
rcrp_summary_parse_shift (const char  *shift,
                          const char  *day_start,
                          const char  *night_start,
                          GTimeZone   *tz,
                          GDateTime  **from,
                          GDateTime  **to,
                          GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (shift, "/", 2);
  int year, month, day, day_h, day_m, night_h, night_m;
  gboolean night;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) next_day = NULL;

  if (!parse_clock (day_start, &day_h, &day_m) || !parse_clock (night_start, &night_h, &night_m) ||
      day_h * 60 + day_m >= night_h * 60 + night_m)
    {
      g_set_error (error, RCRP_SUMMARY_ERROR, RCRP_SUMMARY_ERROR_INVALID,
                   _("The shift pattern %s–%s is not valid: the day shift must start before the night shift"),
                   day_start, night_start);
      return FALSE;
    }

  if (g_strv_length (parts) != 2 || sscanf (parts[0], "%4d-%2d-%2d", &year, &month, &day) != 3 ||
      strlen (parts[0]) != 10 || (!g_str_equal (parts[1], "day") && !g_str_equal (parts[1], "night")) ||
      !g_date_valid_dmy (day, month, year))
    {
      g_set_error (error, RCRP_SUMMARY_ERROR, RCRP_SUMMARY_ERROR_INVALID,
                   _("shift: “%s” is not YYYY-MM-DD/day or YYYY-MM-DD/night"), shift);
      return FALSE;
    }
  night = g_str_equal (parts[1], "night");

  /* Local clock times; across a clock change the shift is an hour longer
   * or shorter, as it is for the people working it. */
  start = g_date_time_new (tz, year, month, day, night ? night_h : day_h, night ? night_m : day_m, 0);
  if (night)
    {
      g_autoptr(GDateTime) noon = g_date_time_new (tz, year, month, day, 12, 0, 0);
      g_autoptr(GDateTime) tomorrow = noon != NULL ? g_date_time_add_days (noon, 1) : NULL;

      /* The night of 9999-12-31 ends in a year GDateTime cannot hold. */
      if (tomorrow != NULL)
        next_day = g_date_time_new (tz, g_date_time_get_year (tomorrow), g_date_time_get_month (tomorrow),
                                    g_date_time_get_day_of_month (tomorrow), day_h, day_m, 0);
    }
  else
    next_day = g_date_time_new (tz, year, month, day, night_h, night_m, 0);

  if (start == NULL || next_day == NULL)
    {
      g_set_error (error, RCRP_SUMMARY_ERROR, RCRP_SUMMARY_ERROR_INVALID, _("shift: “%s” is out of range"), shift);
      return FALSE;
    }

  *from = g_date_time_to_utc (start);
  *to = g_date_time_to_utc (next_day);

  return TRUE;
}

static double
round1 (double value)
{
  return round (value * 10) / 10;
}

static char *
format_utc (GDateTime *time)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

/* Counts for the disproportionality table. */
typedef struct
{
  guint calls;
  guint police_deployed;
} Pair;

typedef struct
{
  RcrpSummaryOptions *options;
  GTimeZone          *tz;
  guint               calls;
  guint               by_category[RCRP_N_CATEGORIES];
  guint               outcomes[G_N_ELEMENTS (outcome_names)];
  guint               by_category_outcome[RCRP_N_CATEGORIES][G_N_ELEMENTS (outcome_names)];
  guint               by_grade[5];
  guint               by_hour[24];
  guint               histogram[G_N_ELEMENTS (histogram_bounds)];
  guint               deployments_avoided;
  double              officer_hours;
  GHashTable         *referrals_by_agency;  /* id → count */
  GHashTable         *ethnicity;            /* code → Pair */
  GHashTable         *sex;
  GHashTable         *age_band;
  GArray             *minutes;              /* to the first decision, of each decided call */
  GArray             *grade_minutes[5];     /* the same by grade, 1–4 */
  guint               grade_within[5];      /* decided within the grade's target */
  /* The area's offset from UTC in the hour last seen, when it is one
   * offset all that hour: a month's calls need few look-ups. */
  gint64              tz_hour;
  gint32              tz_offset;
} Tally;

static guint
outcome_index (const char *outcome)
{
  for (guint i = 0; i < G_N_ELEMENTS (outcome_names) - 1; i++)
    if (g_strcmp0 (outcome, outcome_names[i]) == 0)
      return i;

  return G_N_ELEMENTS (outcome_names) - 1;  /* undecided */
}

static void
count_pair (GHashTable *table,
            const char *key,
            gboolean    deployed)
{
  Pair *pair = g_hash_table_lookup (table, key);

  if (pair == NULL)
    {
      pair = g_new0 (Pair, 1);
      g_hash_table_insert (table, g_strdup (key), pair);
    }

  pair->calls++;
  if (deployed)
    pair->police_deployed++;
}

static gint32
offset_at (GTimeZone *tz,
           gint64     seconds)
{
  int interval = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, seconds);

  return g_time_zone_get_offset (tz, MAX (interval, 0));
}

static gint32
local_offset (Tally  *tally,
              gint64  seconds)
{
  gint64 hour = seconds >= 0 ? seconds / 3600 : (seconds - 3599) / 3600;
  gint32 first, last;

  if (hour == tally->tz_hour)
    return tally->tz_offset;

  /* Intervals are contiguous: one offset at both ends of the hour is the
   * offset all through it. */
  first = offset_at (tally->tz, hour * 3600);
  last = offset_at (tally->tz, hour * 3600 + 3599);
  if (first != last)
    return offset_at (tally->tz, seconds);

  tally->tz_hour = hour;
  tally->tz_offset = first;

  return first;
}

/* The value of rank @k (0-based) of @values[0..@n) in ascending order,
 * leaving those below it before it and those above after it: Hoare's
 * selection, linear on average, where a sort of a month's times is not. */
static double
select_rank (double *values,
             gsize   n,
             gsize   k)
{
  gsize left = 0, right = n - 1;

  while (left < right)
    {
      double pivot = values[left + (right - left) / 2];
      gsize i = left, j = right;

      while (i <= j)
        {
          while (values[i] < pivot)
            i++;
          while (values[j] > pivot)
            j--;
          if (i <= j)
            {
              double swap = values[i];

              values[i] = values[j];
              values[j] = swap;
              i++;
              if (j == 0)
                break;
              j--;
            }
        }

      if (k <= j)
        right = j;
      else if (k >= i)
        left = i;
      else
        break;
    }

  return values[k];
}

/* The quantile at each of @fractions of @minutes (linear between the
 * closest ranks), and the longest: from the times the rows brought,
 * rather than by a second pass over the calls. */
static void
decision_quantiles (GArray       *minutes,
                    const double *fractions,
                    guint         n_fractions,
                    double       *values,
                    double       *max)
{
  double *v = (double *) (gpointer) minutes->data;
  gsize n = minutes->len;

  *max = -1;
  for (guint i = 0; i < n_fractions; i++)
    values[i] = -1;
  if (n == 0)
    return;

  *max = v[0];
  for (gsize i = 1; i < n; i++)
    *max = MAX (*max, v[i]);

  for (guint i = 0; i < n_fractions; i++)
    {
      double position = fractions[i] * (n - 1);
      gsize lower = (gsize) floor (position);
      double weight = position - lower;
      double a = select_rank (v, n, lower);
      double b = a;

      /* The next rank is the least of those after it. */
      if (lower + 1 < n)
        {
          b = v[lower + 1];
          for (gsize j = lower + 2; j < n; j++)
            b = MIN (b, v[j]);
        }

      values[i] = a + weight * (b - a);
    }
}

static gboolean
tally_row (const RcrpSummaryRow  *row,
           gpointer               user_data,
           GError               **error)
{
  Tally *tally = user_data;
  guint outcome = outcome_index (row->outcome);
  gboolean deployed = outcome == 0;
  gint64 seconds = row->received_unix;
  gint64 local_seconds = seconds + local_offset (tally, seconds);

  tally->calls++;
  tally->by_category[row->category]++;
  tally->outcomes[outcome]++;
  tally->by_category_outcome[row->category][outcome]++;
  if (row->grade >= 1 && row->grade <= 4)
    tally->by_grade[row->grade]++;
  /* The local hour without a GDateTime for each of a month's calls. */
  tally->by_hour[((local_seconds % 86400) + 86400) % 86400 / 3600]++;

  if (row->outcome != NULL && !deployed)
    {
      tally->deployments_avoided++;
      tally->officer_hours += tally->options->officer_hours[row->category];
    }

  if (outcome == 1 && row->agency != NULL)
    {
      guint count = GPOINTER_TO_UINT (g_hash_table_lookup (tally->referrals_by_agency, row->agency));

      g_hash_table_insert (tally->referrals_by_agency, g_strdup (row->agency), GUINT_TO_POINTER (count + 1));
    }

  if (row->first_decided)
    g_array_append_val (tally->minutes, row->minutes_to_decision);
  if (row->first_decided && row->grade >= 1 && row->grade <= 4)
    {
      g_array_append_val (tally->grade_minutes[row->grade], row->minutes_to_decision);
      if (row->minutes_to_decision <= tally->options->target_minutes[row->grade - 1])
        tally->grade_within[row->grade]++;
    }

  if (row->minutes_to_decision >= 0)
    {
      for (guint i = 0; i < G_N_ELEMENTS (histogram_bounds); i++)
        if (row->minutes_to_decision < histogram_bounds[i])
          {
            tally->histogram[i]++;
            break;
          }
    }

  count_pair (tally->ethnicity, row->ethnicity != NULL ? row->ethnicity : "unknown", deployed);
  count_pair (tally->sex, row->sex != NULL ? row->sex : "unknown", deployed);
  count_pair (tally->age_band, row->age_band != NULL ? row->age_band : "unknown", deployed);

  return TRUE;
}

static void
add_pairs (JsonBuilder *builder,
           const char  *member,
           GHashTable  *table,
           const char * const *order)
{
  g_autoptr(GList) keys = g_hash_table_get_keys (table);

  json_builder_set_member_name (builder, member);
  json_builder_begin_object (builder);

  if (order != NULL)
    {
      /* In the order given, present ones only. */
      for (guint i = 0; order[i] != NULL; i++)
        {
          Pair *pair = g_hash_table_lookup (table, order[i]);

          if (pair == NULL)
            continue;
          json_builder_set_member_name (builder, order[i]);
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "calls");
          json_builder_add_int_value (builder, pair->calls);
          json_builder_set_member_name (builder, "police_deployed");
          json_builder_add_int_value (builder, pair->police_deployed);
          json_builder_end_object (builder);
        }
    }
  else
    {
      keys = g_list_sort (keys, (GCompareFunc) g_strcmp0);
      for (GList *l = keys; l != NULL; l = l->next)
        {
          Pair *pair = g_hash_table_lookup (table, l->data);

          json_builder_set_member_name (builder, l->data);
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "calls");
          json_builder_add_int_value (builder, pair->calls);
          json_builder_set_member_name (builder, "police_deployed");
          json_builder_add_int_value (builder, pair->police_deployed);
          json_builder_end_object (builder);
        }
    }

  json_builder_end_object (builder);
}

static void
add_minutes (JsonBuilder *builder,
             const char  *member,
             double       value,
             gboolean     present)
{
  json_builder_set_member_name (builder, member);
  if (present)
    json_builder_add_double_value (builder, round1 (value));
  else
    json_builder_add_null_value (builder);
}

static void
tally_clear (Tally *tally)
{
  g_clear_pointer (&tally->referrals_by_agency, g_hash_table_unref);
  g_clear_pointer (&tally->ethnicity, g_hash_table_unref);
  g_clear_pointer (&tally->sex, g_hash_table_unref);
  g_clear_pointer (&tally->age_band, g_hash_table_unref);
  g_clear_pointer (&tally->minutes, g_array_unref);
  for (guint g = 0; g < G_N_ELEMENTS (tally->grade_minutes); g++)
    g_clear_pointer (&tally->grade_minutes[g], g_array_unref);
}

JsonNode *
rcrp_summary_build (RcrpStore           *store,
                    RcrpSummaryOptions  *options,
                    GCancellable        *cancellable,
                    GError             **error)
{
  static const double fractions[] = { 0.5, 0.9 };
  static const char * const sexes[] = { "female", "male", "other", "unknown", NULL };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) referral_counts = NULL;
  g_autoptr(GPtrArray) agencies = NULL;
  g_autoptr(GTimeZone) tz = options->time_zone != NULL ? g_time_zone_ref (options->time_zone)
                                                      : rcrp_agency_area_time_zone ();
  g_autoptr(GDateTime) generated_at = NULL;
  g_autofree char *from_text = NULL;
  g_autofree char *to_text = NULL;
  g_autofree char *generated_text = NULL;
  RcrpEscalationCounts escalations;
  double quantiles[G_N_ELEMENTS (fractions)], max_minutes;
  gint64 decided;
  Tally tally = { 0, };

  g_return_val_if_fail (options->from != NULL && options->to != NULL, NULL);

  if (g_date_time_compare (options->from, options->to) >= 0)
    {
      g_set_error (error, RCRP_SUMMARY_ERROR, RCRP_SUMMARY_ERROR_INVALID,
                   _("The interval is empty: --from must come before --to"));
      return NULL;
    }

  tally.options = options;
  tally.tz = tz;
  tally.referrals_by_agency = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  tally.ethnicity = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  tally.sex = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  tally.age_band = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  tally.minutes = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint g = 1; g <= 4; g++)
    tally.grade_minutes[g] = g_array_new (FALSE, FALSE, sizeof (double));
  tally.tz_hour = G_MININT64;

  if (!rcrp_store_foreach_summary_count (store, options->from, options->to, tally_row, &tally, cancellable, error) ||
      (referral_counts = rcrp_store_referral_counts (store, options->from, options->to, error)) == NULL ||
      !rcrp_store_escalation_counts (store, options->from, options->to, &escalations, error) ||
      (agencies = rcrp_store_list_agencies (store, error)) == NULL)
    {
      tally_clear (&tally);
      return NULL;
    }

  decision_quantiles (tally.minutes, fractions, G_N_ELEMENTS (fractions), quantiles, &max_minutes);
  decided = tally.minutes->len;

  generated_at = options->generated_at != NULL ? g_date_time_ref (options->generated_at) : g_date_time_new_now_utc ();
  from_text = format_utc (options->from);
  to_text = format_utc (options->to);
  generated_text = format_utc (generated_at);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schema");
  json_builder_add_string_value (builder, RCRP_SUMMARY_SCHEMA);
  json_builder_set_member_name (builder, "from");
  json_builder_add_string_value (builder, from_text);
  json_builder_set_member_name (builder, "to");
  json_builder_add_string_value (builder, to_text);
  json_builder_set_member_name (builder, "generated_at");
  json_builder_add_string_value (builder, generated_text);
  json_builder_set_member_name (builder, "calls");
  json_builder_add_int_value (builder, tally.calls);

  json_builder_set_member_name (builder, "by_category");
  json_builder_begin_object (builder);
  for (guint c = 0; c < RCRP_N_CATEGORIES; c++)
    {
      json_builder_set_member_name (builder, rcrp_category_to_string (c));
      json_builder_add_int_value (builder, tally.by_category[c]);
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "outcomes");
  json_builder_begin_object (builder);
  for (guint o = 0; o < G_N_ELEMENTS (outcome_names); o++)
    {
      json_builder_set_member_name (builder, outcome_names[o]);
      json_builder_add_int_value (builder, tally.outcomes[o]);
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "referrals_by_agency");
  json_builder_begin_object (builder);
  {
    g_autoptr(GList) ids = g_list_sort (g_hash_table_get_keys (tally.referrals_by_agency), (GCompareFunc) g_strcmp0);

    for (GList *l = ids; l != NULL; l = l->next)
      {
        json_builder_set_member_name (builder, l->data);
        json_builder_add_int_value (builder, GPOINTER_TO_UINT (g_hash_table_lookup (tally.referrals_by_agency, l->data)));
      }
  }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "decision_minutes");
  json_builder_begin_object (builder);
  add_minutes (builder, "median", quantiles[0], decided > 0);
  add_minutes (builder, "p90", quantiles[1], decided > 0);
  add_minutes (builder, "max", max_minutes, decided > 0);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "escalations");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "urgent_appeals");
  json_builder_add_int_value (builder, escalations.urgent_appeals);
  json_builder_set_member_name (builder, "upheld");
  json_builder_add_int_value (builder, escalations.upheld);
  json_builder_set_member_name (builder, "overturned");
  json_builder_add_int_value (builder, escalations.overturned);
  json_builder_set_member_name (builder, "disputes_after_incident");
  json_builder_add_int_value (builder, escalations.disputes_after_incident);
  json_builder_set_member_name (builder, "awaiting_review");
  json_builder_add_int_value (builder, escalations.open);
  add_minutes (builder, "mean_review_minutes", escalations.mean_review_minutes, escalations.mean_review_minutes >= 0);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "deployments_avoided");
  json_builder_add_int_value (builder, tally.deployments_avoided);
  json_builder_set_member_name (builder, "officer_hours_released");
  json_builder_add_double_value (builder, round1 (tally.officer_hours));

  json_builder_set_member_name (builder, "disproportionality");
  json_builder_begin_object (builder);
  add_pairs (builder, "ethnicity", tally.ethnicity, NULL);
  add_pairs (builder, "sex", tally.sex, sexes);
  {
    const char *bands[G_N_ELEMENTS (age_bands) + 1] = { NULL, };

    memcpy (bands, age_bands, sizeof age_bands);
    add_pairs (builder, "age_band", tally.age_band, bands);
  }
  json_builder_end_object (builder);

  /* Beyond the contract's minimum: what the report draws and a force's
   * returns ask for. */
  json_builder_set_member_name (builder, "outcomes_by_category");
  json_builder_begin_object (builder);
  for (guint c = 0; c < RCRP_N_CATEGORIES; c++)
    {
      json_builder_set_member_name (builder, rcrp_category_to_string (c));
      json_builder_begin_object (builder);
      for (guint o = 0; o < G_N_ELEMENTS (outcome_names); o++)
        {
          json_builder_set_member_name (builder, outcome_names[o]);
          json_builder_add_int_value (builder, tally.by_category_outcome[c][o]);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "calls_by_hour");
  json_builder_begin_array (builder);
  for (guint h = 0; h < 24; h++)
    json_builder_add_int_value (builder, tally.by_hour[h]);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "decision_minutes_histogram");
  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (histogram_labels); i++)
    {
      json_builder_set_member_name (builder, histogram_labels[i]);
      json_builder_add_int_value (builder, tally.histogram[i]);
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "referrals");
  json_builder_begin_object (builder);
  for (guint i = 0; i < referral_counts->len; i++)
    {
      RcrpReferralCounts *r = g_ptr_array_index (referral_counts, i);
      RcrpAgency *agency = rcrp_agencies_find (agencies, r->agency_id);

      json_builder_set_member_name (builder, r->agency_id);
      json_builder_begin_object (builder);
      /* The agency as a manager knows it; the id when it has gone. */
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, agency != NULL ? rcrp_agency_get_name (agency) : r->agency_id);
      json_builder_set_member_name (builder, "referred");
      json_builder_add_int_value (builder, r->referred);
      json_builder_set_member_name (builder, "accepted");
      json_builder_add_int_value (builder, r->accepted);
      json_builder_set_member_name (builder, "declined");
      json_builder_add_int_value (builder, r->declined);
      json_builder_set_member_name (builder, "pending");
      json_builder_add_int_value (builder, r->pending);
      json_builder_set_member_name (builder, "withdrawn");
      json_builder_add_int_value (builder, r->withdrawn);
      add_minutes (builder, "mean_minutes_to_accept", r->mean_minutes_to_accept, r->mean_minutes_to_accept >= 0);
      /* Taken back by the coordinator's Undo: never a referral, so in
       * none of the counts above. */
      json_builder_set_member_name (builder, "undone");
      json_builder_add_int_value (builder, r->undone);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  /* Each grade's calls against its target for a decision. */
  json_builder_set_member_name (builder, "decisions_by_grade");
  json_builder_begin_object (builder);
  for (guint g = 1; g <= 4; g++)
    {
      GArray *minutes = tally.grade_minutes[g];
      char name[2] = { (char) ('0' + g), '\0' };
      double median = -1, longest;

      decision_quantiles (minutes, fractions, 1, &median, &longest);
      json_builder_set_member_name (builder, name);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "target_minutes");
      json_builder_add_int_value (builder, options->target_minutes[g - 1]);
      json_builder_set_member_name (builder, "calls");
      json_builder_add_int_value (builder, tally.by_grade[g]);
      json_builder_set_member_name (builder, "decided");
      json_builder_add_int_value (builder, minutes->len);
      json_builder_set_member_name (builder, "within_target");
      json_builder_add_int_value (builder, tally.grade_within[g]);
      add_minutes (builder, "median_minutes", median, minutes->len > 0);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "home_office_return");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "mental_health_related_calls");
  json_builder_add_int_value (builder, tally.calls);
  json_builder_set_member_name (builder, "police_attended");
  json_builder_add_int_value (builder, tally.outcomes[0]);
  json_builder_set_member_name (builder, "not_attended_referred_or_signposted");
  json_builder_add_int_value (builder, tally.outcomes[1] + tally.outcomes[2]);
  json_builder_set_member_name (builder, "no_further_action");
  json_builder_add_int_value (builder, tally.outcomes[3]);
  json_builder_set_member_name (builder, "by_initial_grade");
  json_builder_begin_object (builder);
  for (guint g = 1; g <= 4; g++)
    {
      char name[2] = { (char) ('0' + g), '\0' };

      json_builder_set_member_name (builder, name);
      json_builder_add_int_value (builder, tally.by_grade[g]);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "officer_hours_per_deployment");
  json_builder_begin_object (builder);
  for (guint c = 0; c < RCRP_N_CATEGORIES; c++)
    {
      json_builder_set_member_name (builder, rcrp_category_to_string (c));
      json_builder_add_double_value (builder, options->officer_hours[c]);
    }
  json_builder_end_object (builder);

  json_builder_end_object (builder);

  tally_clear (&tally);

  return json_builder_get_root (builder);
}

/* CSV */

static void
csv_field (GString    *line,
           const char *value)
{
  if (line->len > 0)
    g_string_append_c (line, ',');

  if (value == NULL)
    return;

  /* RFC 4180: quoted when it holds a comma, a quote or a line break; a
   * quote inside is doubled. */
  if (strpbrk (value, ",\"\r\n") == NULL)
    {
      g_string_append (line, value);
      return;
    }

  g_string_append_c (line, '"');
  for (const char *p = value; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (line, '"');
      g_string_append_c (line, *p);
    }
  g_string_append_c (line, '"');
}

typedef struct
{
  GOutputStream *output;
  GCancellable  *cancellable;
  gboolean       include_personal;
  GString       *line;
} CsvWriter;

static gboolean
write_line (CsvWriter  *writer,
            GError    **error)
{
  g_string_append (writer->line, "\r\n");

  if (!g_output_stream_write_all (writer->output, writer->line->str, writer->line->len, NULL,
                                  writer->cancellable, error))
    return FALSE;

  g_string_truncate (writer->line, 0);

  return TRUE;
}

static gboolean
csv_row (const RcrpSummaryRow  *row,
         gpointer               user_data,
         GError               **error)
{
  CsvWriter *writer = user_data;
  g_autofree char *received = format_utc (row->received_at);
  g_autofree char *decided = row->decided_at != NULL ? format_utc (row->decided_at) : NULL;
  g_autofree char *minutes = NULL;
  char grade[16];

  if (row->minutes_to_decision >= 0)
    {
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];

      minutes = g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.1f", round1 (row->minutes_to_decision)));
    }
  g_snprintf (grade, sizeof grade, "%d", row->grade);

  csv_field (writer->line, row->cad_ref);
  csv_field (writer->line, received);
  csv_field (writer->line, rcrp_category_to_string (row->category));
  csv_field (writer->line, grade);
  csv_field (writer->line, row->outcome != NULL ? row->outcome : "undecided");
  csv_field (writer->line, row->agency);
  csv_field (writer->line, decided);
  csv_field (writer->line, row->decided_by);
  csv_field (writer->line, minutes);
  csv_field (writer->line, row->appeal_result != NULL ? "yes" : "no");
  csv_field (writer->line, row->appeal_result);

  if (writer->include_personal)
    {
      csv_field (writer->line, row->subject_name);
      csv_field (writer->line, row->caller_name);
      csv_field (writer->line, row->caller_phone);
      csv_field (writer->line, row->address);
      csv_field (writer->line, row->postcode);
    }

  return write_line (writer, error);
}

gboolean
rcrp_summary_write_csv (RcrpStore           *store,
                        RcrpSummaryOptions  *options,
                        GOutputStream       *output,
                        GCancellable        *cancellable,
                        GError             **error)
{
  static const char * const header[] = {
    "cad_ref", "received_at", "category", "initial_grade", "outcome", "agency", "decided_at",
    "decided_by", "minutes_to_decision", "appealed", "appeal_result", NULL
  };
  static const char * const personal_header[] = {
    "subject_name", "caller_name", "caller_phone", "address", "postcode", NULL
  };
  g_autoptr(GString) line = g_string_new (NULL);
  CsvWriter writer = { output, cancellable, options->include_personal, line };

  for (guint i = 0; header[i] != NULL; i++)
    csv_field (line, header[i]);
  for (guint i = 0; options->include_personal && personal_header[i] != NULL; i++)
    csv_field (line, personal_header[i]);
  if (!write_line (&writer, error))
    return FALSE;

  return rcrp_store_foreach_summary_row (store, options->from, options->to, options->include_personal,
                                         csv_row, &writer, cancellable, error);
}

/* Export */

static gboolean
write_bytes (int          fd,
             const char  *data,
             gsize        length,
             GError     **error)
{
  while (length > 0)
    {
      gssize n = write (fd, data, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s", g_strerror (saved));
          return FALSE;
        }
      data += n;
      length -= n;
    }

  return TRUE;
}

gboolean
rcrp_summary_export (RcrpStore           *store,
                     RcrpSummaryOptions  *options,
                     RcrpSummaryFormat    format,
                     const char          *path,
                     GCancellable        *cancellable,
                     GError             **error)
{
  g_autoptr(RcrpAtomicFile) file = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean ok = FALSE;
  int fd;

  /* Asked before any work; the store asks again when it records the export. */
  if (!rcrp_store_check_permission (store, options->include_personal ? RCRP_PERMISSION_EXPORT_PERSONAL
                                                                     : RCRP_PERMISSION_EXPORT, error))
    return FALSE;

  /* Owner and group only, from the first byte: the file may hold
   * personal data, and is never seen half-written. */
  file = rcrp_atomic_file_new (path, error);
  if (file == NULL)
    return FALSE;
  fd = rcrp_atomic_file_get_fd (file);

  switch (format)
    {
    case RCRP_SUMMARY_FORMAT_JSON:
      {
        g_autoptr(JsonNode) summary = rcrp_summary_build (store, options, cancellable, &local_error);
        g_autoptr(JsonGenerator) generator = json_generator_new ();
        g_autofree char *text = NULL;
        gsize length;

        if (summary == NULL)
          break;
        json_generator_set_root (generator, summary);
        json_generator_set_pretty (generator, TRUE);
        json_generator_set_indent (generator, 2);
        text = json_generator_to_data (generator, &length);
        ok = write_bytes (fd, text, length, &local_error) && write_bytes (fd, "\n", 1, &local_error);
      }
      break;

    case RCRP_SUMMARY_FORMAT_CSV:
      {
        g_autoptr(GOutputStream) raw = g_unix_output_stream_new (fd, FALSE);
        g_autoptr(GOutputStream) buffered = g_buffered_output_stream_new_sized (raw, 64 * 1024);

        ok = rcrp_summary_write_csv (store, options, buffered, cancellable, &local_error) &&
             g_output_stream_flush (buffered, cancellable, &local_error);
      }
      break;

    case RCRP_SUMMARY_FORMAT_PDF:
      {
        g_autoptr(JsonNode) summary = rcrp_summary_build (store, options, cancellable, &local_error);

        if (summary != NULL)
          ok = rcrp_summary_write_pdf (summary, options->time_zone, rcrp_atomic_file_get_temporary_path (file),
                                       &local_error);
      }
      break;

    default:
      g_assert_not_reached ();
    }

  /* Logged before it is in place: no export without its record. */
  if (ok && rcrp_store_log_export (store, options->from, options->to, rcrp_summary_format_to_string (format),
                                   options->include_personal, path, &local_error) < 0)
    ok = FALSE;

  if (ok && !rcrp_atomic_file_commit (file, &local_error))
    ok = FALSE;

  if (!ok)
    g_propagate_error (error, g_steal_pointer (&local_error));

  return ok;
}

/* Handover */

static char *
format_wait (GDateTime *since,
             GDateTime *now)
{
  GTimeSpan span = g_date_time_difference (now, since);
  int minutes = (int) (span / G_TIME_SPAN_MINUTE);

  if (minutes < 60)
    return g_strdup_printf (_("%d min"), MAX (minutes, 0));

  return g_strdup_printf (_("%d h %02d min"), minutes / 60, minutes % 60);
}

/* Unanswered referrals older than this are history, not handover. */
#define HANDOVER_REFERRAL_SPAN (7 * G_TIME_SPAN_DAY)

/* What a handover holds, chosen once for its text and its JSON. */
typedef struct
{
  GPtrArray *appeals;    /* awaiting a supervisor */
  GPtrArray *calls;      /* undecided, most urgent first */
  GPtrArray *referrals;  /* waiting for the agency's answer, due within the week */
  GPtrArray *disputes;   /* not closed */
  GPtrArray *directory;  /* every agency, to name the referrals' */
  GPtrArray *agencies;   /* closed or at capacity now */
  GPtrArray *obstacles;  /* what stands in each of those agencies' way, in words */
  GTimeZone *tz;
} Handover;

static void
handover_clear (Handover *handover)
{
  g_clear_pointer (&handover->appeals, g_ptr_array_unref);
  g_clear_pointer (&handover->calls, g_ptr_array_unref);
  g_clear_pointer (&handover->referrals, g_ptr_array_unref);
  g_clear_pointer (&handover->disputes, g_ptr_array_unref);
  g_clear_pointer (&handover->directory, g_ptr_array_unref);
  g_clear_pointer (&handover->agencies, g_ptr_array_unref);
  g_clear_pointer (&handover->obstacles, g_ptr_array_unref);
  g_clear_pointer (&handover->tz, g_time_zone_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Handover, handover_clear)

static gboolean
handover_collect (Handover   *handover,
                  RcrpStore  *store,
                  GDateTime  *now,
                  GTimeZone  *tz,
                  GError    **error)
{
  g_autoptr(GArray) ids = NULL;
  g_autoptr(RcrpQueueFilter) open = rcrp_queue_filter_new ();
  g_autoptr(GDateTime) week_ago = g_date_time_add (now, -HANDOVER_REFERRAL_SPAN);

  handover->tz = tz != NULL ? g_time_zone_ref (tz) : rcrp_agency_area_time_zone ();

  /* The open calls and the week's unanswered referrals, not a year of
   * history. */
  open->view = RCRP_QUEUE_VIEW_OPEN;
  if ((ids = rcrp_store_list_filtered_ids (store, open, error)) == NULL ||
      (handover->calls = rcrp_store_get_calls_by_id (store, (const gint64 *) (gpointer) ids->data, ids->len,
                                                     error)) == NULL ||
      (handover->referrals = rcrp_store_list_pending_referrals (store, week_ago, error)) == NULL ||
      (handover->appeals = rcrp_store_list_appeals (store, 0, TRUE, error)) == NULL ||
      (handover->disputes = rcrp_store_list_disputes (store, -1, -1, error)) == NULL ||
      (handover->directory = rcrp_store_list_agencies (store, error)) == NULL)
    return FALSE;

  for (guint i = handover->calls->len; i > 0; i--)
    if (rcrp_call_get_outcome (g_ptr_array_index (handover->calls, i - 1)) != NULL)
      g_ptr_array_remove_index (handover->calls, i - 1);

  for (guint i = handover->disputes->len; i > 0; i--)
    if (((RcrpDispute *) g_ptr_array_index (handover->disputes, i - 1))->state == RCRP_DISPUTE_CLOSED)
      g_ptr_array_remove_index (handover->disputes, i - 1);

  handover->agencies = g_ptr_array_new_with_free_func (g_object_unref);
  handover->obstacles = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < handover->directory->len; i++)
    {
      RcrpAgency *agency = g_ptr_array_index (handover->directory, i);
      char *obstacle = rcrp_agency_describe_obstacle (agency, now, handover->tz);

      if (obstacle == NULL)
        continue;
      g_ptr_array_add (handover->agencies, g_object_ref (agency));
      g_ptr_array_add (handover->obstacles, obstacle);
    }

  return TRUE;
}

char *
rcrp_handover_text (RcrpStore  *store,
                    GDateTime  *now,
                    GTimeZone  *tz,
                    GError    **error)
{
  g_auto(Handover) handover = { 0, };
  g_autoptr(GDateTime) local_now = NULL;
  g_autofree char *when = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  if (!handover_collect (&handover, store, now, tz, error))
    return NULL;

  local_now = g_date_time_to_timezone (now, handover.tz);
  when = g_date_time_format (local_now, "%a %e %b %Y %H:%M %Z");
  g_string_append_printf (text, _("Shift handover, %s\n\n"), when);

  g_string_append (text, _("Calls awaiting a supervisor (urgent appeals):\n"));
  for (guint i = 0; i < handover.appeals->len; i++)
    {
      RcrpAppeal *appeal = g_ptr_array_index (handover.appeals, i);
      g_autofree char *wait = format_wait (appeal->lodged_at, now);

      g_string_append_printf (text, _("  %s  %s  against “%s”, waiting %s\n"), appeal->reference, appeal->cad_ref,
                              rcrp_outcome_get_label (appeal->appealed_outcome), wait);
    }
  if (handover.appeals->len == 0)
    g_string_append (text, _("  none\n"));

  g_string_append (text, _("\nUndecided calls, most urgent first:\n"));
  for (guint i = 0; i < handover.calls->len; i++)
    {
      RcrpCall *call = g_ptr_array_index (handover.calls, i);
      g_autofree char *wait = format_wait (rcrp_call_get_received_at (call), now);

      g_string_append_printf (text, _("  %s  grade %d  %s  waiting %s\n"), rcrp_call_get_cad_ref (call),
                              rcrp_call_get_grade (call), rcrp_category_get_label (rcrp_call_get_category (call)), wait);
    }
  if (handover.calls->len == 0)
    g_string_append (text, _("  none\n"));

  g_string_append (text, _("\nReferrals waiting for the agency's answer:\n"));
  for (guint i = 0; i < handover.referrals->len; i++)
    {
      RcrpReferral *referral = g_ptr_array_index (handover.referrals, i);
      RcrpAgency *agency = rcrp_agencies_find (handover.directory, referral->agency_id);
      g_autofree char *wait = format_wait (referral->referred_at, now);

      g_string_append_printf (text, _("  %s  %s  waiting %s%s\n"), referral->cad_ref,
                              agency != NULL ? rcrp_agency_get_name (agency) : referral->agency_id, wait,
                              g_date_time_compare (now, referral->due_at) > 0 ? _(" (past its response target)") : "");
    }
  if (handover.referrals->len == 0)
    g_string_append (text, _("  none\n"));

  g_string_append (text, _("\nOpen disputes and queries:\n"));
  for (guint i = 0; i < handover.disputes->len; i++)
    {
      RcrpDispute *dispute = g_ptr_array_index (handover.disputes, i);

      g_string_append_printf (text, "  %s  %s  %s  (%s)\n", dispute->reference,
                              rcrp_dispute_kind_to_string (dispute->kind), dispute->raised_by,
                              rcrp_dispute_state_get_label (dispute->state));
    }
  if (handover.disputes->len == 0)
    g_string_append (text, _("  none\n"));

  g_string_append (text, _("\nAgencies closed or at capacity now:\n"));
  for (guint i = 0; i < handover.obstacles->len; i++)
    g_string_append_printf (text, "  %s\n", (const char *) g_ptr_array_index (handover.obstacles, i));
  if (handover.obstacles->len == 0)
    g_string_append (text, _("  none\n"));

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
add_time_member (JsonBuilder *builder,
                 const char  *member,
                 GDateTime   *time)
{
  g_autofree char *text = g_date_time_format_iso8601 (time);

  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, text);
}

static void
add_minutes_member (JsonBuilder *builder,
                    const char  *member,
                    GDateTime   *since,
                    GDateTime   *now)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_int_value (builder, MAX (g_date_time_difference (now, since) / G_TIME_SPAN_MINUTE, 0));
}

char *
rcrp_handover_to_json (RcrpStore  *store,
                       GDateTime  *now,
                       GTimeZone  *tz,
                       GError    **error)
{
  g_auto(Handover) handover = { 0, };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  if (!handover_collect (&handover, store, now, tz, error))
    return NULL;

  json_builder_begin_object (builder);
  add_time_member (builder, "at", now);

  json_builder_set_member_name (builder, "appeals");
  json_builder_begin_array (builder);
  for (guint i = 0; i < handover.appeals->len; i++)
    {
      RcrpAppeal *appeal = g_ptr_array_index (handover.appeals, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "reference");
      json_builder_add_string_value (builder, appeal->reference);
      json_builder_set_member_name (builder, "cad_ref");
      json_builder_add_string_value (builder, appeal->cad_ref);
      json_builder_set_member_name (builder, "appealed_outcome");
      json_builder_add_string_value (builder, appeal->appealed_outcome);
      add_time_member (builder, "lodged_at", appeal->lodged_at);
      add_minutes_member (builder, "waiting_minutes", appeal->lodged_at, now);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "undecided_calls");
  json_builder_begin_array (builder);
  for (guint i = 0; i < handover.calls->len; i++)
    {
      RcrpCall *call = g_ptr_array_index (handover.calls, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "cad_ref");
      json_builder_add_string_value (builder, rcrp_call_get_cad_ref (call));
      json_builder_set_member_name (builder, "grade");
      json_builder_add_int_value (builder, rcrp_call_get_grade (call));
      json_builder_set_member_name (builder, "category");
      json_builder_add_string_value (builder, rcrp_category_to_string (rcrp_call_get_category (call)));
      add_time_member (builder, "received_at", rcrp_call_get_received_at (call));
      add_minutes_member (builder, "waiting_minutes", rcrp_call_get_received_at (call), now);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "pending_referrals");
  json_builder_begin_array (builder);
  for (guint i = 0; i < handover.referrals->len; i++)
    {
      RcrpReferral *referral = g_ptr_array_index (handover.referrals, i);
      RcrpAgency *agency = rcrp_agencies_find (handover.directory, referral->agency_id);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "cad_ref");
      json_builder_add_string_value (builder, referral->cad_ref);
      json_builder_set_member_name (builder, "agency_id");
      json_builder_add_string_value (builder, referral->agency_id);
      json_builder_set_member_name (builder, "agency_name");
      json_builder_add_string_value (builder, agency != NULL ? rcrp_agency_get_name (agency) : referral->agency_id);
      add_time_member (builder, "referred_at", referral->referred_at);
      add_minutes_member (builder, "waiting_minutes", referral->referred_at, now);
      json_builder_set_member_name (builder, "past_response_target");
      json_builder_add_boolean_value (builder, g_date_time_compare (now, referral->due_at) > 0);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "open_disputes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < handover.disputes->len; i++)
    {
      RcrpDispute *dispute = g_ptr_array_index (handover.disputes, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "reference");
      json_builder_add_string_value (builder, dispute->reference);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, rcrp_dispute_kind_to_string (dispute->kind));
      json_builder_set_member_name (builder, "raised_by");
      json_builder_add_string_value (builder, dispute->raised_by);
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder, rcrp_dispute_state_to_string (dispute->state));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "agencies_unavailable");
  json_builder_begin_array (builder);
  for (guint i = 0; i < handover.agencies->len; i++)
    {
      RcrpAgency *agency = g_ptr_array_index (handover.agencies, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "agency_id");
      json_builder_add_string_value (builder, rcrp_agency_get_id (agency));
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, rcrp_agency_get_name (agency));
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, rcrp_agency_status_to_string (rcrp_agency_get_status (agency)));
      json_builder_set_member_name (builder, "obstacle");
      json_builder_add_string_value (builder, g_ptr_array_index (handover.obstacles, i));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, TRUE);
}

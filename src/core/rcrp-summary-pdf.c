/* rcrp-summary-pdf.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <pango/pangocairo.h>

#include "rcrp-agency.h"
#include "rcrp-decision.h"
#include "rcrp-file.h"
#include "rcrp-summary.h"

/* A4 in points, with 2 cm margins. */
#define PAGE_WIDTH  595.276
#define PAGE_HEIGHT 841.890
#define MARGIN      56.7
#define CONTENT     (PAGE_WIDTH - 2 * MARGIN)
#define N_PAGES     3

/* A share of fewer calls than this is given as "1 of 1", not "100%": a
 * percentage of a handful says more than the handful does. */
#define MIN_CALLS_FOR_PERCENT 10

static const char * const outcome_names[] = {
  "police_deployed", "referred", "signposted", "no_further_action", "undecided",
};

/* Greys far enough apart to tell apart on a monochrome printer; the
 * undecided share is hatched, and every segment is labelled too. */
static const double outcome_greys[] = { 0.15, 0.40, 0.62, 0.82, 1.0 };

typedef struct
{
  cairo_t  *cr;
  JsonObject *summary;
  int       page;
  GTimeZone *tz;          /* the force's; not owned */
} Report;

static double
text (Report     *report,
      double      x,
      double      y,
      double      width,
      const char *font,
      PangoAlignment alignment,
      const char *string)
{
  PangoLayout *layout = pango_cairo_create_layout (report->cr);
  PangoFontDescription *description = pango_font_description_from_string (font);
  int w, h;

  /* Points are PDF units: sizes mean what they say. */
  pango_cairo_context_set_resolution (pango_layout_get_context (layout), 72);
  pango_layout_context_changed (layout);

  pango_layout_set_font_description (layout, description);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, alignment);
  pango_layout_set_text (layout, string, -1);
  cairo_move_to (report->cr, x, y);
  pango_cairo_show_layout (report->cr, layout);
  pango_layout_get_size (layout, &w, &h);

  pango_font_description_free (description);
  g_object_unref (layout);

  return (double) h / PANGO_SCALE;
}

static gint64
member_int (JsonObject *object,
            const char *member)
{
  return json_object_get_int_member_with_default (object, member, 0);
}

static JsonObject *
member_object (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static char *
minutes_text (JsonObject *object,
              const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("—");

  return g_strdup_printf (_("%.1f min"), json_node_get_double (node));
}

/* "3 of 4" for a small group, "75% (30 of 40)" for a large one. */
static char *
share_text (gint64 part,
            gint64 whole)
{
  if (whole <= 0)
    return g_strdup ("—");
  if (whole < MIN_CALLS_FOR_PERCENT)
    /* Translators: a share of a small group, as in "1 of 1". */
    return g_strdup_printf (_("%" G_GINT64_FORMAT " of %" G_GINT64_FORMAT), part, whole);

  /* Translators: a share of a group, as in "75% (30 of 40)". */
  return g_strdup_printf (_("%.0f%% (%" G_GINT64_FORMAT " of %" G_GINT64_FORMAT ")"),
                          100.0 * part / whole, part, whole);
}

static char *
local_text (GTimeZone  *tz,
            const char *iso)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_iso8601 (iso, NULL);
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup (iso);
  local = g_date_time_to_timezone (utc, tz);

  return g_date_time_format (local, "%a %e %b %Y %H:%M %Z");
}

static void
footer (Report *report)
{
  g_autofree char *line = g_strdup_printf (_("Right Care Coordinator · shift summary · no personal data · page %d of %d"),
                                           report->page, N_PAGES);

  cairo_set_source_rgb (report->cr, 0.3, 0.3, 0.3);
  text (report, MARGIN, PAGE_HEIGHT - MARGIN + 14, CONTENT, "Sans 7.5", PANGO_ALIGN_CENTER, line);
  cairo_set_source_rgb (report->cr, 0, 0, 0);
}

static double
heading (Report     *report,
         double      y,
         const char *title)
{
  double h = text (report, MARGIN, y, CONTENT, "Sans Bold 12.5", PANGO_ALIGN_LEFT, title);

  cairo_set_line_width (report->cr, 0.6);
  cairo_move_to (report->cr, MARGIN, y + h + 2);
  cairo_line_to (report->cr, MARGIN + CONTENT, y + h + 2);
  cairo_stroke (report->cr);

  return y + h + 10;
}

static void
hatch (cairo_t *cr,
       double   x,
       double   y,
       double   w,
       double   h)
{
  cairo_save (cr);
  cairo_rectangle (cr, x, y, w, h);
  cairo_clip (cr);
  cairo_set_line_width (cr, 0.5);
  for (double d = -h; d < w; d += 4)
    {
      cairo_move_to (cr, x + d, y + h);
      cairo_line_to (cr, x + d + h, y);
    }
  cairo_stroke (cr);
  cairo_restore (cr);
}

static void
segment (Report *report,
         guint   outcome,
         double  x,
         double  y,
         double  w,
         double  h)
{
  cairo_t *cr = report->cr;
  double grey = outcome_greys[outcome];

  cairo_set_source_rgb (cr, grey, grey, grey);
  cairo_rectangle (cr, x, y, w, h);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_set_line_width (cr, 0.5);
  cairo_stroke (cr);
  if (outcome == G_N_ELEMENTS (outcome_names) - 1)
    hatch (cr, x, y, w, h);
}

static double
headline (Report *report,
          double  y)
{
  JsonObject *s = report->summary;
  JsonObject *minutes = member_object (s, "decision_minutes");
  JsonObject *escalations = member_object (s, "escalations");
  JsonObject *outcomes = member_object (s, "outcomes");
  g_autofree char *median = minutes_text (minutes, "median");
  g_autofree char *p90 = minutes_text (minutes, "p90");
  g_autofree char *max = minutes_text (minutes, "max");
  struct {
    const char *label;
    char       *value;
  } figures[] = {
    { _("Calls received"), g_strdup_printf ("%" G_GINT64_FORMAT, member_int (s, "calls")) },
    { _("Police deployed"), g_strdup_printf ("%" G_GINT64_FORMAT, member_int (outcomes, "police_deployed")) },
    { _("Deployments avoided"), g_strdup_printf ("%" G_GINT64_FORMAT, member_int (s, "deployments_avoided")) },
    { _("Officer hours released"), g_strdup_printf ("%.1f", json_object_get_double_member_with_default (s, "officer_hours_released", 0)) },
    { _("Median time to decision"), g_strdup (median) },
    { _("90th percentile"), g_strdup (p90) },
    { _("Longest"), g_strdup (max) },
    { _("Still undecided"), g_strdup_printf ("%" G_GINT64_FORMAT, member_int (outcomes, "undecided")) },
    { _("Urgent appeals"), g_strdup_printf (_("%" G_GINT64_FORMAT ": %" G_GINT64_FORMAT " upheld, %" G_GINT64_FORMAT " overturned"),
                                            member_int (escalations, "urgent_appeals"),
                                            member_int (escalations, "upheld"),
                                            member_int (escalations, "overturned")) },
    { _("Disputes after the incident"), g_strdup_printf ("%" G_GINT64_FORMAT, member_int (escalations, "disputes_after_incident")) },
  };
  double box_w = (CONTENT - 12) / 2;
  double box_h = 42;

  y = heading (report, y, _("Headline figures"));

  for (guint i = 0; i < G_N_ELEMENTS (figures); i++)
    {
      double x = MARGIN + (i % 2) * (box_w + 12);
      double top = y + (i / 2) * (box_h + 6);

      cairo_set_line_width (report->cr, 0.6);
      cairo_rectangle (report->cr, x, top, box_w, box_h);
      cairo_stroke (report->cr);
      text (report, x + 8, top + 5, box_w - 16, "Sans 8.5", PANGO_ALIGN_LEFT, figures[i].label);
      text (report, x + 8, top + 19, box_w - 16, strlen (figures[i].value) > 14 ? "Sans Bold 10" : "Sans Bold 12",
            PANGO_ALIGN_LEFT, figures[i].value);
      g_free (figures[i].value);
    }

  return y + ((G_N_ELEMENTS (figures) + 1) / 2) * (box_h + 6) + 12;
}

static double
outcomes_chart (Report *report,
                double  y)
{
  JsonObject *by_category = member_object (report->summary, "outcomes_by_category");
  double label_w = 175;
  double bar_w = CONTENT - label_w - 40;
  double bar_h = 20;
  gint64 most = 1;

  y = heading (report, y, _("Outcomes by category"));

  for (RcrpCategory c = 0; c < RCRP_N_CATEGORIES; c++)
    {
      JsonObject *row = member_object (by_category, rcrp_category_to_string (c));
      gint64 total = 0;

      for (guint o = 0; o < G_N_ELEMENTS (outcome_names); o++)
        total += member_int (row, outcome_names[o]);
      most = MAX (most, total);
    }

  for (RcrpCategory c = 0; c < RCRP_N_CATEGORIES; c++)
    {
      JsonObject *row = member_object (by_category, rcrp_category_to_string (c));
      double x = MARGIN + label_w;
      gint64 total = 0;
      g_autofree char *total_text = NULL;

      text (report, MARGIN, y + 3, label_w - 8, "Sans 8.5", PANGO_ALIGN_RIGHT, rcrp_category_get_label (c));

      for (guint o = 0; o < G_N_ELEMENTS (outcome_names); o++)
        {
          gint64 n = member_int (row, outcome_names[o]);
          double w = bar_w * n / most;

          total += n;
          if (n == 0)
            continue;

          segment (report, o, x, y, w, bar_h);
          if (w >= 14)
            {
              g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, n);

              /* A clear patch behind the number on the hatching. */
              if (o == G_N_ELEMENTS (outcome_names) - 1)
                {
                  cairo_set_source_rgb (report->cr, 1, 1, 1);
                  cairo_rectangle (report->cr, x + w / 2 - 8, y + 4, 16, bar_h - 8);
                  cairo_fill (report->cr);
                  cairo_set_source_rgb (report->cr, 0, 0, 0);
                }
              /* Light text on the dark greys, dark on the light ones. */
              if (outcome_greys[o] < 0.5)
                cairo_set_source_rgb (report->cr, 1, 1, 1);
              text (report, x, y + 4, w, "Sans Bold 8", PANGO_ALIGN_CENTER, count);
              cairo_set_source_rgb (report->cr, 0, 0, 0);
            }
          x += w;
        }

      total_text = g_strdup_printf ("%" G_GINT64_FORMAT, total);
      text (report, x + 4, y + 4, 36, "Sans 8", PANGO_ALIGN_LEFT, total_text);
      y += bar_h + 6;
    }

  /* The legend. */
  {
    double x = MARGIN + label_w;

    y += 4;
    for (guint o = 0; o < G_N_ELEMENTS (outcome_names); o++)
      {
        const char *label = g_str_equal (outcome_names[o], "undecided") ? _("Undecided")
                                                                        : rcrp_outcome_get_done_label (outcome_names[o]);

        segment (report, o, x, y + 2, 10, 10);
        text (report, x + 14, y, 95, "Sans 8", PANGO_ALIGN_LEFT, label);
        x += 14 + 95;
        if (x > MARGIN + CONTENT - 100)
          {
            x = MARGIN + label_w;
            y += 16;
          }
      }
  }

  return y + 24;
}

static double
bar_chart (Report             *report,
           double              y,
           const char         *title,
           const char * const *labels,
           const gint64       *values,
           guint               n,
           double              height)
{
  double slot = CONTENT / n;
  gint64 most = 1;

  y = heading (report, y, title);

  for (guint i = 0; i < n; i++)
    most = MAX (most, values[i]);

  cairo_set_line_width (report->cr, 0.6);
  cairo_move_to (report->cr, MARGIN, y + height);
  cairo_line_to (report->cr, MARGIN + CONTENT, y + height);
  cairo_stroke (report->cr);

  for (guint i = 0; i < n; i++)
    {
      double h = (height - 14) * values[i] / most;
      double x = MARGIN + i * slot + slot * 0.15;
      g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, values[i]);

      cairo_set_source_rgb (report->cr, 0.45, 0.45, 0.45);
      cairo_rectangle (report->cr, x, y + height - h, slot * 0.7, h);
      cairo_fill (report->cr);
      cairo_set_source_rgb (report->cr, 0, 0, 0);
      text (report, MARGIN + i * slot, y + height - h - 12, slot, "Sans 7", PANGO_ALIGN_CENTER, count);
      text (report, MARGIN + i * slot, y + height + 3, slot, "Sans 7", PANGO_ALIGN_CENTER, labels[i]);
    }

  return y + height + 30;
}

static double
table (Report             *report,
       double              y,
       const char * const *columns,
       const double       *widths,
       guint               n_columns,
       GPtrArray          *rows)  /* of char*[n_columns] */
{
  double header_h = 14;
  double x;

  x = MARGIN;
  for (guint c = 0; c < n_columns; c++)
    {
      double h = text (report, x, y, widths[c] - 4, "Sans Bold 8.5", c == 0 ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT,
                       columns[c]);

      header_h = MAX (header_h, h + 3);
      x += widths[c];
    }
  y += header_h;
  cairo_set_line_width (report->cr, 0.4);
  cairo_move_to (report->cr, MARGIN, y);
  cairo_line_to (report->cr, MARGIN + CONTENT, y);
  cairo_stroke (report->cr);
  y += 3;

  for (guint r = 0; r < rows->len; r++)
    {
      char **cells = g_ptr_array_index (rows, r);

      double tallest = 13;

      x = MARGIN;
      for (guint c = 0; c < n_columns; c++)
        {
          double h = text (report, x, y, widths[c] - 4, "Sans 8.5", c == 0 ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT, cells[c]);

          /* A long agency name wraps: the next row goes below it. */
          tallest = MAX (tallest, h + 2);
          x += widths[c];
        }
      y += tallest;
    }

  return y + 10;
}

static void
add_row (GPtrArray *rows,
         guint      n,
         ...)
{
  char **cells = g_new0 (char *, n + 1);
  va_list args;

  va_start (args, n);
  for (guint i = 0; i < n; i++)
    cells[i] = g_strdup (va_arg (args, const char *));
  va_end (args);

  g_ptr_array_add (rows, cells);
}

static double
disproportionality (Report     *report,
                    double      y,
                    const char *member,
                    const char *title)
{
  static const char *columns[] = { NULL, N_("Calls"), N_("Police deployed"), N_("Share deployed") };
  static const double widths[] = { 200, 90, 110, 81.6 };
  JsonObject *groups = member_object (member_object (report->summary, "disproportionality"), member);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GList) names = groups != NULL ? json_object_get_members (groups) : NULL;
  const char *header[4] = { title, _(columns[1]), _(columns[2]), _(columns[3]) };

  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonObject *pair = member_object (groups, l->data);
      gint64 calls = member_int (pair, "calls");
      gint64 deployed = member_int (pair, "police_deployed");
      g_autofree char *calls_text = g_strdup_printf ("%" G_GINT64_FORMAT, calls);
      g_autofree char *deployed_text = g_strdup_printf ("%" G_GINT64_FORMAT, deployed);
      g_autofree char *rate = share_text (deployed, calls);

      add_row (rows, 4, (const char *) l->data, calls_text, deployed_text, rate);
    }

  if (rows->len == 0)
    add_row (rows, 4, _("no calls"), "", "", "");

  return table (report, y, header, widths, 4, rows);
}

/* How many of each grade were decided within the grade's target, and how
 * long the middle one took. */
static double
grades_table (Report *report,
              double  y)
{
  static const char *columns[] = { N_("Grade"), N_("Target"), N_("Calls"), N_("Decided"),
                                   N_("Within target"), N_("Median to decision") };
  static const double widths[] = { 70, 70, 60, 65, 120, 96.6 };
  JsonObject *grades = member_object (report->summary, "decisions_by_grade");
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  const char *header[G_N_ELEMENTS (columns)];

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    header[i] = _(columns[i]);

  for (guint g = 1; g <= 4; g++)
    {
      char name[2] = { (char) ('0' + g), '\0' };
      JsonObject *grade = member_object (grades, name);
      g_autofree char *label = g_strdup_printf (_("Grade %u"), g);
      g_autofree char *target = g_strdup_printf (_("%" G_GINT64_FORMAT " min"), member_int (grade, "target_minutes"));
      g_autofree char *calls = g_strdup_printf ("%" G_GINT64_FORMAT, member_int (grade, "calls"));
      g_autofree char *decided = g_strdup_printf ("%" G_GINT64_FORMAT, member_int (grade, "decided"));
      g_autofree char *within = share_text (member_int (grade, "within_target"), member_int (grade, "decided"));
      g_autofree char *median = minutes_text (grade, "median_minutes");

      if (grade == NULL)
        continue;
      add_row (rows, G_N_ELEMENTS (columns), label, target, calls, decided, within, median);
    }
  if (rows->len == 0)
    add_row (rows, G_N_ELEMENTS (columns), _("no calls"), "", "", "", "", "");

  y = heading (report, y, _("Decisions against each grade’s target"));
  y = table (report, y, header, widths, G_N_ELEMENTS (columns), rows);

  return y;
}

gboolean
rcrp_summary_write_pdf (JsonNode    *summary,
                        GTimeZone   *tz,
                        const char  *path,
                        GError     **error)
{
  g_autoptr(GTimeZone) area_tz = tz != NULL ? g_time_zone_ref (tz) : rcrp_agency_area_time_zone ();
  cairo_surface_t *surface;
  cairo_status_t status;
  Report report = { 0, };
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *generated = NULL;
  g_autofree char *period = NULL;
  double y;

  g_return_val_if_fail (JSON_NODE_HOLDS_OBJECT (summary), FALSE);

  report.summary = json_node_get_object (summary);
  report.tz = area_tz;
  from = local_text (report.tz, json_object_get_string_member_with_default (report.summary, "from", ""));
  to = local_text (report.tz, json_object_get_string_member_with_default (report.summary, "to", ""));
  generated = local_text (report.tz, json_object_get_string_member_with_default (report.summary, "generated_at", ""));

  surface = cairo_pdf_surface_create (path, PAGE_WIDTH, PAGE_HEIGHT);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, "Right Care, Right Person shift summary");
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Right Care Coordinator");
  report.cr = cairo_create (surface);

  /* Page 1: the headline, what happened to the calls, and how fast each
   * grade was decided against its target. */
  report.page = 1;
  y = MARGIN;
  y += text (&report, MARGIN, y, CONTENT, "Sans Bold 20", PANGO_ALIGN_LEFT, _("Right Care, Right Person — shift summary"));
  period = g_strdup_printf (_("Calls received from %s to %s\nGenerated %s"), from, to, generated);
  y += text (&report, MARGIN, y + 4, CONTENT, "Sans 11", PANGO_ALIGN_LEFT, period) + 18;
  y = headline (&report, y);
  y = outcomes_chart (&report, y);
  y = grades_table (&report, y);
  footer (&report);
  cairo_show_page (report.cr);

  /* Page 2: when calls came and how fast they were decided; referrals. */
  report.page = 2;
  y = MARGIN;
  {
    JsonArray *hours = json_object_get_array_member (report.summary, "calls_by_hour");
    g_autoptr(GDateTime) start = g_date_time_new_from_iso8601 (json_object_get_string_member (report.summary, "from"), NULL);
    g_autoptr(GDateTime) end = g_date_time_new_from_iso8601 (json_object_get_string_member (report.summary, "to"), NULL);
    gint64 values[24];
    char *labels[25] = { NULL, };
    gboolean seen[24] = { FALSE, };
    guint n = 0;

    /* The hours on the clock that the shift covers, in shift order from
     * its first: 12 for a 12-hour shift (the hour the clocks go back
     * comes round twice and is one bar), all 24 for a day or more. */
    for (gint64 t = g_date_time_to_unix (start) - g_date_time_to_unix (start) % 3600;
         t < g_date_time_to_unix (end) && n < 24; t += 3600)
      {
        g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (t);
        g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, report.tz);
        guint hour = g_date_time_get_hour (local);

        if (seen[hour])
          continue;
        seen[hour] = TRUE;
        values[n] = hours != NULL && hour < json_array_get_length (hours) ? json_array_get_int_element (hours, hour) : 0;
        labels[n] = g_strdup_printf ("%02u", hour);
        n++;
      }
    if (n > 0)
      y = bar_chart (&report, y, _("Calls by hour of receipt (local time)"), (const char * const *) labels, values, n, 150);
    for (guint i = 0; i < n; i++)
      g_free (labels[i]);
  }
  {
    static const char * const labels[] = { "0–5", "5–15", "15–30", "30–60", "60–120", "120+" };
    static const char * const members[] = { "0-5", "5-15", "15-30", "30-60", "60-120", "120+" };
    JsonObject *histogram = member_object (report.summary, "decision_minutes_histogram");
    gint64 values[G_N_ELEMENTS (members)];

    for (guint i = 0; i < G_N_ELEMENTS (members); i++)
      values[i] = member_int (histogram, members[i]);
    y = bar_chart (&report, y, _("Minutes from receipt to first decision"), labels, values, G_N_ELEMENTS (labels), 130);
  }
  {
    /* Referred is the sum of the four answers after it. */
    static const char *columns[] = { N_("Agency"), N_("Referred"), N_("Accepted"), N_("Declined"),
                                     N_("Waiting"), N_("Superseded"), N_("Mean to accept") };
    static const double widths[] = { 150, 52, 56, 54, 50, 64, 55.6 };
    JsonObject *referrals = member_object (report.summary, "referrals");
    g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
    g_autoptr(GList) agencies = referrals != NULL ? json_object_get_members (referrals) : NULL;
    const char *header[G_N_ELEMENTS (columns)];
    gint64 undone = 0;

    for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
      header[i] = _(columns[i]);

    for (GList *l = agencies; l != NULL; l = l->next)
      {
        JsonObject *r = member_object (referrals, l->data);
        g_autofree char *referred = g_strdup_printf ("%" G_GINT64_FORMAT, member_int (r, "referred"));
        g_autofree char *accepted = g_strdup_printf ("%" G_GINT64_FORMAT, member_int (r, "accepted"));
        g_autofree char *declined = g_strdup_printf ("%" G_GINT64_FORMAT, member_int (r, "declined"));
        g_autofree char *pending = g_strdup_printf ("%" G_GINT64_FORMAT, member_int (r, "pending"));
        g_autofree char *withdrawn = g_strdup_printf ("%" G_GINT64_FORMAT, member_int (r, "withdrawn"));
        g_autofree char *mean = minutes_text (r, "mean_minutes_to_accept");

        undone += member_int (r, "undone");
        /* An agency whose only referral was undone had none. */
        if (member_int (r, "referred") == 0)
          continue;
        add_row (rows, G_N_ELEMENTS (columns),
                 r != NULL ? json_object_get_string_member_with_default (r, "name", l->data) : (const char *) l->data,
                 referred, accepted, declined, pending, withdrawn, mean);
      }
    if (rows->len == 0)
      add_row (rows, G_N_ELEMENTS (columns), _("no referrals"), "", "", "", "", "", "");

    y = heading (&report, y, _("Referrals by agency"));
    y = table (&report, y, header, widths, G_N_ELEMENTS (columns), rows);
    if (undone > 0)
      {
        g_autofree char *note = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                              "%" G_GINT64_FORMAT " referral undone by the coordinator is not counted.",
                                                              "%" G_GINT64_FORMAT " referrals undone by the coordinator are not counted.",
                                                              undone),
                                                 undone);

        y += text (&report, MARGIN, y - 6, CONTENT, "Sans 8", PANGO_ALIGN_LEFT, note);
      }
  }
  footer (&report);
  cairo_show_page (report.cr);

  /* Page 3: who police were sent to, and the challenges. */
  report.page = 3;
  y = MARGIN;
  y = heading (&report, y, _("Disproportionality: calls and deployments by group"));
  y = disproportionality (&report, y, "ethnicity", _("Self-defined ethnicity"));
  y = disproportionality (&report, y, "sex", _("Sex"));
  y = disproportionality (&report, y, "age_band", _("Age band"));
  {
    JsonObject *escalations = member_object (report.summary, "escalations");
    g_autofree char *review = minutes_text (escalations, "mean_review_minutes");
    g_autofree char *lines = g_strdup_printf (_("Urgent appeals: %" G_GINT64_FORMAT "\n"
                                                "Upheld (the decision stood): %" G_GINT64_FORMAT "\n"
                                                "Overturned: %" G_GINT64_FORMAT "\n"
                                                "Awaiting a supervisor at the time of the report: %" G_GINT64_FORMAT "\n"
                                                "Mean time from appeal to review: %s\n"
                                                "Disputes after the incident: %" G_GINT64_FORMAT),
                                              member_int (escalations, "urgent_appeals"),
                                              member_int (escalations, "upheld"),
                                              member_int (escalations, "overturned"),
                                              member_int (escalations, "awaiting_review"),
                                              review,
                                              member_int (escalations, "disputes_after_incident"));

    y = heading (&report, y, _("Appeals and disputes"));
    text (&report, MARGIN, y, CONTENT, "Sans 9.5", PANGO_ALIGN_LEFT, lines);
  }
  footer (&report);
  cairo_show_page (report.cr);

  cairo_destroy (report.cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, RCRP_SUMMARY_ERROR, RCRP_SUMMARY_ERROR_FAILED,
                   _("Cannot write the report %s: %s"), path, cairo_status_to_string (status));
      return FALSE;
    }

  return TRUE;
}

gboolean
rcrp_pdf_write_text (const char  *title,
                     const char  *body,
                     const char  *path,
                     GError     **error)
{
  g_autoptr(RcrpAtomicFile) file = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  PangoLayout *layout;
  PangoFontDescription *font = NULL;
  PangoLayoutIter *iter;
  Report report = { NULL, NULL, 1 };
  cairo_status_t status;
  double y, page_top, title_h;

  /* A handover names people: owner and group only, whole or not at all,
   * and never through a link placed at @path. */
  file = rcrp_atomic_file_new (path, error);
  if (file == NULL)
    return FALSE;

  surface = cairo_pdf_surface_create (rcrp_atomic_file_get_temporary_path (file), PAGE_WIDTH, PAGE_HEIGHT);
  cr = cairo_create (surface);
  layout = pango_cairo_create_layout (cr);
  report.cr = cr;

  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  title_h = text (&report, MARGIN, MARGIN, CONTENT, "Sans Bold 16", PANGO_ALIGN_LEFT, title);

  font = pango_font_description_from_string ("Sans 10");
  pango_cairo_context_set_resolution (pango_layout_get_context (layout), 72);
  pango_layout_context_changed (layout);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (int) (CONTENT * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text (layout, body, -1);

  /* Line by line, onto as many pages as it takes. */
  page_top = MARGIN + title_h + 12;
  y = 0;
  iter = pango_layout_get_iter (layout);
  do
    {
      PangoLayoutLine *line = pango_layout_iter_get_line_readonly (iter);
      PangoRectangle logical;
      double top, baseline;

      pango_layout_iter_get_line_extents (iter, NULL, &logical);
      top = (double) logical.y / PANGO_SCALE - y;
      if (page_top + top + (double) logical.height / PANGO_SCALE > PAGE_HEIGHT - MARGIN)
        {
          cairo_show_page (cr);
          report.page++;
          y = (double) logical.y / PANGO_SCALE;
          page_top = MARGIN;
          top = 0;
        }
      baseline = (double) pango_layout_iter_get_baseline (iter) / PANGO_SCALE - y;
      cairo_move_to (cr, MARGIN + (double) logical.x / PANGO_SCALE, page_top + baseline);
      pango_cairo_show_layout_line (cr, line);
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);
  cairo_show_page (cr);

  pango_font_description_free (font);
  g_object_unref (layout);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, RCRP_SUMMARY_ERROR, RCRP_SUMMARY_ERROR_FAILED,
                   _("Cannot write %s: %s"), path, cairo_status_to_string (status));
      return FALSE;
    }

  return rcrp_atomic_file_commit (file, error);
}

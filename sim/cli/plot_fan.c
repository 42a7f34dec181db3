/* The fan chart: one metric over calendar dates, its median and the bands
 * holding 50, 80 and 95% of replications, against the targets on it with
 * the probability of meeting each printed beside (template plots/fan.gp). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ddrsim/calendar.h"
#include "ddrsim/stats.h"
#include "plot.h"

/* Where a date label goes: right of its line, or left of it near the right
 * edge so that it is never clipped; raised a level when it would run into
 * the previous label. */
static void deadline_label(plot_buf *b, plot_lang lang, int32_t day, int32_t first, int32_t last,
                           int level) {
  char when[64];
  plot_date(lang, day, when, sizeof when);
  int right_edge = (double)(day - first) > 0.82 * (double)(last - first);
  pb_add(b, "set label ");
  pb_quoted(b, when);
  pb_add(b,
         " at %.0f, graph %.3f %s offset character %s,0 font font_small tc rgb target_colour "
         "boxed\n",
         plot_x(day), 0.035 + 0.06 * level, right_edge ? "right" : "left",
         right_edge ? "-0.4" : "0.4");
}

void plot_target_marks(plot_buf *b, plot_lang lang, const ddr_resfile *rf, const char *metric,
                       int32_t first, int32_t last) {
  int32_t dates[64];
  double thresholds[64];
  size_t nd = 0, nt = 0;
  int level = 0;
  for (size_t g = 0; g < rf->ntargets; g++) {
    const ddr_resfile_target *t = &rf->targets[g];
    if (strcmp(t->metric, metric) != 0) continue;
    int seen = 0;
    for (size_t i = 0; i < nt; i++) seen |= thresholds[i] == t->threshold;
    if (!seen && nt < 64) {
      char num[64], text[128];
      thresholds[nt++] = t->threshold;
      plot_number(lang, t->threshold, t->threshold == floor(t->threshold) ? 0 : 2, num, sizeof num);
      snprintf(text, sizeof text, plot_tr(lang, "target %s"), num);
      pb_add(b,
             "set arrow from graph 0, first %.17g to graph 1, first %.17g nohead dt 2 lw 2 "
             "lc rgb target_colour front\n",
             t->threshold, t->threshold);
      pb_add(b, "set label ");
      pb_quoted(b, text);
      /* side by side, so that close thresholds keep their labels apart */
      pb_add(b,
             " at graph %.2f, first %.17g left offset 0,0.7 font font_small tc rgb "
             "target_colour boxed front\n",
             0.01 + 0.1 * (double)((nt - 1) % 8), t->threshold);
    }
    pb_add(b, "set label '' at %.0f, %.17g point pt 7 ps 1.3 lc rgb target_colour front\n",
           plot_x(t->deadline), t->threshold);
    seen = 0;
    for (size_t i = 0; i < nd; i++) seen |= dates[i] == t->deadline;
    if (seen || nd == 64) continue;
    dates[nd++] = t->deadline;
    pb_add(b,
           "set arrow from %.0f, graph 0 to %.0f, graph 1 nohead dt 3 lw 1.5 lc rgb "
           "target_colour\n",
           plot_x(t->deadline), plot_x(t->deadline));
    /* deadlines come in any order: compare with the nearest one labelled */
    level = 0;
    for (size_t i = 0; i + 1 < nd; i++)
      if (abs(dates[i] - t->deadline) < (last - first) / 6) level++;
    deadline_label(b, lang, t->deadline, first, last, level);
  }
}

/* The probability of meeting each target on the metric, one line each at the
 * top right, where the y axis leaves room for them. Returns the lines. */
static int probability_lines(plot_buf *b, plot_lang lang, const ddr_resfile *rf, const char *metric,
                             double spacing) {
  int k = 0;
  for (size_t g = 0; g < rf->ntargets; g++) {
    const ddr_resfile_target *t = &rf->targets[g];
    if (strcmp(t->metric, metric) != 0) continue;
    char phrase[256], prob[96], text[400];
    plot_target_phrase(lang, t, phrase, sizeof phrase);
    plot_prob(lang, t->s.prob, t->s.lo, t->s.hi, prob, sizeof prob);
    snprintf(text, sizeof text, "%s = %s", phrase, prob);
    pb_add(b, "set label ");
    pb_quoted(b, text);
    /* a line apart in characters, so that they never overlap whatever the
     * format's font size */
    pb_add(b, " at graph 0.99, graph 0.975 right offset 0,%.2f tc rgb target_colour boxed front\n",
           -1.35 * k);
    k++;
  }
  return k;
}

ddr_status plot_fan(ddr_resfile *rf, const plot_opts *opts, ddr_error *err) {
  size_t m;
  const char *metric = opts->metric;
  if (!metric) {
    size_t g = 0;
    if (opts->target) {
      if (plot_find_target(rf, opts->target, &g, err)) return err->status;
      metric = rf->targets[g].metric;
    } else {
      metric = rf->ntargets ? rf->targets[0].metric : rf->metric_names[0];
    }
  }
  if (plot_find_metric(rf, metric, &m, err)) return err->status;
  size_t T = rf->nsteps;
  int32_t first = rf->cal.start, last = ddr_calendar_step_last(&rf->cal, (int)T - 1);
  plot_job job = {.kind = "fan", .width = 1400, .height = 800};
  plot_buf *d = &job.data;
  pb_add(d, "# %s: quantiles over replications at the end of each step\n", metric);
  pb_add(d, "# date,q2.5,q5,q10,q25,q50,q75,q80,q90,q95,q97.5,mean\n");
  double top = 0;
  for (size_t t = 0; t < T; t++) {
    char iso[16];
    ddr_date_format(ddr_calendar_step_last(&rf->cal, (int)t), iso, sizeof iso);
    pb_add(d, "%s", iso);
    const double *q = rf->quantiles + (m * T + t) * DDR_NQUANTILES;
    for (int k = 0; k < DDR_NQUANTILES; k++) pb_add(d, ",%.10g", q[k]);
    pb_add(d, ",%.10g\n", rf->mean[m * T + t]);
    if (q[DDR_NQUANTILES - 1] > top) top = q[DDR_NQUANTILES - 1];
  }
  size_t ntargets = 0;
  double lo = 0;
  for (size_t g = 0; g < rf->ntargets; g++)
    if (strcmp(rf->targets[g].metric, metric) == 0) {
      ntargets++;
      if (rf->targets[g].threshold > top) top = rf->targets[g].threshold;
    }
  for (size_t t = 0; t < T; t++) lo = fmin(lo, rf->quantiles[(m * T + t) * DDR_NQUANTILES]);
  /* room at the top for the probabilities, a line each */
  double spacing = ntargets <= 5 ? 0.07 : 0.35 / (double)ntargets;
  double room = ntargets ? 0.05 + spacing * (double)ntargets : 0.03;
  plot_buf axes = {0}, marks = {0};
  plot_xaxis(&axes, opts->lang, first, last, 1);
  plot_yaxis(&axes, opts->lang, lo, lo + (top - lo) / (1 - room), 0);
  plot_target_marks(&marks, opts->lang, rf, metric, first, last);
  probability_lines(&marks, opts->lang, rf, metric, spacing);
  char title[1400], ylabel[800], caption[4600];
  snprintf(title, sizeof title, "%s: %s", rf->scenario_name, metric);
  plot_metric_label(opts->lang, rf, m, ylabel, sizeof ylabel);
  plot_caption(opts->lang, rf, caption, sizeof caption);
  plot_buf q = {0};
  const char *names[] = {"TITLE", "YLABEL", "CAPTION"};
  const char *texts[] = {title, ylabel, caption};
  for (int i = 0; i < 3; i++) {
    q.n = 0;
    pb_quoted(&q, texts[i]);
    plot_job_set(&job, names[i], q.s);
  }
  static const char *const words[][2] = {{"KEY95", "95% of replications"},
                                         {"KEY80", "80%"},
                                         {"KEY50", "50%"},
                                         {"KEYMEDIAN", "median"}};
  for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
    q.n = 0;
    pb_quoted(&q, plot_tr(opts->lang, words[i][1]));
    plot_job_set(&job, words[i][0], q.s);
  }
  plot_job_set(&job, "AXES", axes.s);
  plot_job_set(&job, "TARGETS", marks.s);
  ddr_status rc = axes.oom || marks.oom || q.oom
                      ? ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory")
                      : plot_draw(&job, opts, err);
  pb_free(&q);
  pb_free(&axes);
  pb_free(&marks);
  plot_job_free(&job);
  return rc;
}

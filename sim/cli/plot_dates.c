/* When is a target reached: the share of replications that have reached it
 * by each date (each replication's first step at or above the threshold;
 * "never" counts as not reached), with P50 and P80 marked, the deadline and
 * the probability of meeting it (template plots/dates.gp). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ddrsim/calendar.h"
#include "ddrsim/stats.h"
#include "plot.h"

/* The share of replications that reached target g by the end of each step. */
static ddr_status reached_share(const ddr_resfile *rf, size_t g, double *share, uint64_t *count,
                                ddr_error *err) {
  size_t N = (size_t)rf->replications, G = rf->ntargets, T = rf->nsteps;
  int32_t *step = malloc(N * G * sizeof *step + 1);
  if (!step) return ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory");
  ddr_status rc = ddr_resfile_outcomes(rf, NULL, step, err);
  if (rc == DDR_OK) {
    memset(count, 0, T * sizeof *count);
    for (size_t r = 0; r < N; r++) {
      int32_t s = step[r * G + g];
      if (s >= 0 && (size_t)s < T) count[s]++;
    }
    uint64_t sum = 0;
    for (size_t t = 0; t < T; t++) {
      sum += count[t];
      count[t] = sum;
      share[t] = (double)sum / (double)N;
    }
  }
  free(step);
  return rc;
}

/* A quantile of the date reached, marked on the curve at its level. */
static void mark_quantile(plot_buf *b, plot_lang lang, const ddr_resfile *rf, double day_q,
                          double level, const char *name, int32_t first) {
  if (isnan(day_q)) return;
  int32_t day = rf->cal.start + (int32_t)lround(day_q);
  char when[64], text[128], fmt[16];
  plot_date(lang, day, when, sizeof when);
  snprintf(fmt, sizeof fmt, "%s: %%s", name);
  snprintf(text, sizeof text, plot_tr(lang, fmt), when);
  pb_add(b, "set arrow from %.0f, %g to %.0f, %g nohead dt 2 lw 1.2 lc rgb quantile_colour\n",
         plot_x(first), level, plot_x(day), level);
  pb_add(b, "set arrow from %.0f, %g to %.0f, 0 nohead dt 2 lw 1.2 lc rgb quantile_colour\n",
         plot_x(day), level, plot_x(day));
  pb_add(b, "set label '' at %.0f, %g point pt 7 ps 1.2 lc rgb quantile_colour front\n",
         plot_x(day), level);
  pb_add(b, "set label ");
  pb_quoted(b, text);
  pb_add(b, " at %.0f, %g right offset character -0.6,0.7 tc rgb quantile_colour boxed front\n",
         plot_x(day), level);
}

ddr_status plot_dates(ddr_resfile *rf, const plot_opts *opts, ddr_error *err) {
  size_t g = 0, T = rf->nsteps;
  if (opts->target) {
    if (plot_find_target(rf, opts->target, &g, err)) return err->status;
  } else if (opts->metric) {
    for (g = 0; g < rf->ntargets && strcmp(rf->targets[g].metric, opts->metric) != 0; g++) continue;
    if (g == rf->ntargets)
      return ddr_error_set(err, DDR_EINPUT, NULL, 0, 0, NULL,
                           "%s has no target on metric \"%s\" (--target ID picks one)", rf->path,
                           opts->metric);
  } else if (plot_find_target(rf, NULL, &g, err)) {
    return err->status;
  }
  const ddr_resfile_target *tg = &rf->targets[g];
  double *share = malloc(T * sizeof *share + 1);
  uint64_t *count = malloc(T * sizeof *count + 1);
  plot_job job = {.kind = "dates", .width = 1400, .height = 800};
  plot_buf axes = {0}, marks = {0}, q = {0};
  ddr_status rc;
  if (!share || !count) {
    rc = ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    goto done;
  }
  if ((rc = reached_share(rf, g, share, count, err))) goto done;
  int32_t first = rf->cal.start, last = ddr_calendar_step_last(&rf->cal, (int)T - 1);
  plot_buf *d = &job.data;
  pb_add(d, "# target %s: %s >= %.10g (deadline ", tg->id, tg->metric, tg->threshold);
  char iso[16];
  ddr_date_format(tg->deadline, iso, sizeof iso);
  pb_add(d, "%s), %llu replications\n", iso, (unsigned long long)rf->replications);
  pb_add(d, "# date (last day of the step),replications that reached it by then,share\n");
  /* the curve starts at 0 on the start date */
  ddr_date_format(first, iso, sizeof iso);
  pb_add(d, "%s,0,0\n", iso);
  for (size_t t = 0; t < T; t++) {
    ddr_date_format(ddr_calendar_step_last(&rf->cal, (int)t), iso, sizeof iso);
    pb_add(d, "%s,%llu,%.10g\n", iso, (unsigned long long)count[t], share[t]);
  }
  plot_xaxis(&axes, opts->lang, first, last, 1);
  plot_yaxis(&axes, opts->lang, 0, 1, 0);
  /* the deadline, and the probability of meeting the target there */
  char when[64], phrase[256], prob[96], text[512];
  plot_date(opts->lang, tg->deadline, when, sizeof when);
  pb_add(&marks,
         "set arrow from %.0f, graph 0 to %.0f, graph 1 nohead dt 3 lw 1.5 lc rgb "
         "target_colour\n",
         plot_x(tg->deadline), plot_x(tg->deadline));
  int right_edge = (double)(tg->deadline - first) > 0.82 * (double)(last - first);
  pb_add(&marks, "set label ");
  pb_quoted(&marks, when);
  pb_add(&marks,
         " at %.0f, graph 0.035 %s offset character %s,0 font font_small tc rgb "
         "target_colour boxed front\n",
         plot_x(tg->deadline), right_edge ? "right" : "left", right_edge ? "-0.4" : "0.4");
  int sd = ddr_calendar_step_of(&rf->cal, tg->deadline);
  if (sd >= 0 && (size_t)sd < T)
    pb_add(&marks, "set label '' at %.0f, %.10g point pt 9 ps 1.8 lc rgb target_colour front\n",
           plot_x(tg->deadline), share[sd]);
  mark_quantile(&marks, opts->lang, rf, tg->s.day_q[plot_qcol(0.5)], 0.5, "P50", first);
  mark_quantile(&marks, opts->lang, rf, tg->s.day_q[plot_qcol(0.8)], 0.8, "P80", first);
  /* the notes go top left, or bottom right when the curve is already high
   * in the first half of the horizon */
  size_t mid = (size_t)(0.45 * (double)T);
  int low = share[mid < T ? mid : T - 1] > 0.55;
  /* the lines a line apart in characters, whatever the format's font */
  double x = low ? 0.98 : 0.02, y = low ? 0.40 : 0.96, dy = 1.35;
  const char *align = low ? "right" : "left";
  plot_target_phrase(opts->lang, tg, phrase, sizeof phrase);
  plot_prob(opts->lang, tg->s.prob, tg->s.lo, tg->s.hi, prob, sizeof prob);
  snprintf(text, sizeof text, "%s = %s", phrase, prob);
  pb_add(&marks, "set label ");
  pb_quoted(&marks, text);
  pb_add(&marks, " at graph %.2f, graph %.3f %s tc rgb target_colour boxed front\n", x, y, align);
  const char *lines[2] = {"P50: not within the horizon", "P80: not within the horizon"};
  double levels[2] = {0.5, 0.8};
  int k = 1;
  for (int i = 0; i < 2; i++)
    if (isnan(tg->s.day_q[plot_qcol(levels[i])])) {
      pb_add(&marks, "set label ");
      pb_quoted(&marks, plot_tr(opts->lang, lines[i]));
      pb_add(&marks,
             " at graph %.2f, graph %.3f %s offset 0,%.2f tc rgb quantile_colour boxed front\n", x,
             y, align, -dy * k++);
    }
  double never = 1 - share[T - 1];
  if (never > 0) {
    char pct[64], pcts[80];
    plot_number(opts->lang, 100 * never, never < 0.1 ? 1 : 0, pct, sizeof pct);
    snprintf(pcts, sizeof pcts, "%s%s%%", pct, opts->lang == PLOT_FR ? "\u202f" : "");
    snprintf(text, sizeof text,
             plot_tr(opts->lang, "Not reached within the horizon in %s of replications"), pcts);
    pb_add(&marks, "set label ");
    pb_quoted(&marks, text);
    pb_add(&marks, " at graph %.2f, graph %.3f %s offset 0,%.2f tc rgb \"#555555\" boxed front\n",
           x, y, align, -dy * k++);
  }
  char thr[64], title[1600], caption[4600];
  plot_number(opts->lang, tg->threshold, tg->threshold == floor(tg->threshold) ? 0 : 2, thr,
              sizeof thr);
  snprintf(title, sizeof title, plot_tr(opts->lang, "%s: when is %s ≥ %s reached?"),
           rf->scenario_name, tg->metric, thr);
  plot_caption(opts->lang, rf, caption, sizeof caption);
  const char *names[] = {"TITLE", "YLABEL", "CAPTION", "SUBTITLE"};
  const char *texts[] = {title, plot_tr(opts->lang, "Share of replications that reached it"),
                         caption, tg->label};
  for (int i = 0; i < 4; i++) {
    q.n = 0;
    pb_quoted(&q, texts[i]);
    plot_job_set(&job, names[i], q.s);
  }
  plot_job_set(&job, "AXES", axes.s);
  plot_job_set(&job, "MARKS", marks.s);
  rc = axes.oom || marks.oom || q.oom
           ? ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory")
           : plot_draw(&job, opts, err);
done:
  free(share);
  free(count);
  pb_free(&axes);
  pb_free(&marks);
  pb_free(&q);
  plot_job_free(&job);
  return rc;
}

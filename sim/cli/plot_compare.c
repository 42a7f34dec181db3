/* Several runs side by side: their medians and 80% bands of a metric on one
 * chart (template plots/compare.gp), and the paired difference of each run
 * from the first, replication by replication (plots/difference.gp): runs of
 * the same scenario family and seed share their random numbers, so the
 * difference shows what the change did, not the noise. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ddrsim/calendar.h"
#include "ddrsim/stats.h"
#include "plot.h"

/* Okabe-Ito colours, most distinct first, each with its own dash pattern so
 * that runs stay apart in greyscale too. */
static const char *const run_colour[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                         "#E69F00", "#56B4E9", "#000000", "#F0E442"};
#define NCOLOURS (sizeof run_colour / sizeof *run_colour)

/* The metric to draw: asked for, else that of the target asked for or of
 * the first target of the first file, else its first metric. */
static ddr_status pick_metric(ddr_resfile *rf, const plot_opts *opts, const char **metric,
                              ddr_error *err) {
  size_t g;
  if (opts->metric) {
    *metric = opts->metric;
  } else if (opts->target) {
    if (plot_find_target(rf, opts->target, &g, err)) return err->status;
    *metric = rf->targets[g].metric;
  } else {
    *metric = rf->ntargets ? rf->targets[0].metric : rf->metric_names[0];
  }
  return DDR_OK;
}

/* Each run's name in the legend: its scenario name, with its file when two
 * runs have the same name. */
static void run_name(ddr_resfile **rfs, size_t n, size_t i, char *buf, size_t size) {
  int twice = 0;
  for (size_t j = 0; j < n; j++)
    twice |= j != i && !strcmp(rfs[j]->scenario_name, rfs[i]->scenario_name);
  if (!twice) {
    snprintf(buf, size, "%s", rfs[i]->scenario_name);
    return;
  }
  const char *base = strrchr(rfs[i]->path, '/');
  snprintf(buf, size, "%s (%s)", rfs[i]->scenario_name, base ? base + 1 : rfs[i]->path);
}

static void set_quoted(plot_job *job, const char *name, const char *text) {
  plot_buf q = {0};
  pb_quoted(&q, text);
  plot_job_set(job, name, q.s);
  pb_free(&q);
}

/* One caption line per run. */
static void captions(plot_buf *b, plot_lang lang, ddr_resfile **rfs, size_t n) {
  for (size_t i = 0; i < n; i++) {
    char caption[4600];
    plot_caption(lang, rfs[i], caption, sizeof caption);
    pb_add(b, "set label ");
    pb_quoted(b, caption);
    pb_add(b, " at screen 0.01, screen %.4f font font_small tc rgb \"#555555\"\n",
           0.02 + 0.025 * (double)(n - 1 - i));
  }
}

/* The probability of meeting the target, run by run, in each run's colour. */
static void probability_block(plot_buf *b, plot_lang lang, ddr_resfile **rfs, size_t n,
                              const ddr_resfile_target *tg, double spacing) {
  char phrase[256], head[300];
  plot_target_phrase(lang, tg, phrase, sizeof phrase);
  snprintf(head, sizeof head, plot_tr(lang, "%s of each run:"), phrase);
  pb_add(b, "set label ");
  pb_quoted(b, head);
  pb_add(b, " at graph 0.99, graph 0.975 right tc rgb target_colour boxed front\n");
  for (size_t i = 0; i < n; i++) {
    char name[600], prob[96] = "—", text[800];
    run_name(rfs, n, i, name, sizeof name);
    for (size_t g = 0; g < rfs[i]->ntargets; g++)
      if (!strcmp(rfs[i]->targets[g].id, tg->id)) {
        const ddr_target_summary *s = &rfs[i]->targets[g].s;
        plot_prob(lang, s->prob, s->lo, s->hi, prob, sizeof prob);
      }
    snprintf(text, sizeof text, "%s: %s", name, prob);
    pb_add(b, "set label ");
    pb_quoted(b, text);
    /* a line apart in characters: no overlap whatever the format's font */
    pb_add(b, " at graph 0.99, graph 0.975 right offset 0,%.2f tc rgb \"%s\" boxed front\n",
           -1.35 * (double)(i + 1), run_colour[i % NCOLOURS]);
  }
}

ddr_status plot_compare(ddr_resfile **rfs, size_t n, const plot_opts *opts, ddr_error *err) {
  const char *metric = NULL;
  size_t m0 = 0;
  if (pick_metric(rfs[0], opts, &metric, err)) return err->status;
  if (plot_find_metric(rfs[0], metric, &m0, err)) return err->status;
  plot_job job = {.kind = "compare", .width = 1400, .height = 800 + 30 * (int)(n > 2 ? n - 2 : 0)};
  plot_buf *d = &job.data, plots = {0}, axes = {0}, marks = {0};
  int32_t first = rfs[0]->cal.start, last = first;
  double lo = 0, hi = 0;
  int c10 = plot_qcol(0.1), c50 = plot_qcol(0.5), c90 = plot_qcol(0.9);
  for (size_t i = 0; i < n; i++) {
    ddr_resfile *rf = rfs[i];
    size_t m, T = rf->nsteps;
    if (plot_find_metric(rf, metric, &m, err)) goto fail;
    char name[600];
    run_name(rfs, n, i, name, sizeof name);
    pb_add(d, "%s# run %zu: %s (%s), metric %s\n# date,q10,q50,q90\n", i ? "\n\n" : "", i, name,
           rf->path, metric);
    for (size_t t = 0; t < T; t++) {
      char iso[16];
      const double *q = rf->quantiles + (m * T + t) * DDR_NQUANTILES;
      ddr_date_format(ddr_calendar_step_last(&rf->cal, (int)t), iso, sizeof iso);
      pb_add(d, "%s,%.10g,%.10g,%.10g\n", iso, q[c10], q[c50], q[c90]);
      lo = fmin(lo, q[c10]);
      hi = fmax(hi, q[c90]);
    }
    if (rf->cal.start < first) first = rf->cal.start;
    int32_t l = ddr_calendar_step_last(&rf->cal, (int)T - 1);
    if (l > last) last = l;
    const char *colour = run_colour[i % NCOLOURS];
    pb_add(&plots,
           "%s%s index %zu using 1:2:4 with filledcurves fs transparent solid 0.18 lc rgb "
           "\"%s\" notitle, \\\n     '' index %zu using 1:3 with lines lw 3 dt %zu lc rgb "
           "\"%s\" title ",
           i ? ", \\\n     " : "", i ? "''" : "data", i, colour, i, i % 5 + 1, colour);
    pb_quoted(&plots, name);
  }
  /* the target whose probabilities are printed */
  const ddr_resfile_target *tg = NULL;
  for (size_t g = 0; g < rfs[0]->ntargets && !tg; g++)
    if (!strcmp(rfs[0]->targets[g].metric, metric) &&
        (!opts->target || !strcmp(rfs[0]->targets[g].id, opts->target)))
      tg = &rfs[0]->targets[g];
  for (size_t g = 0; g < rfs[0]->ntargets; g++)
    if (!strcmp(rfs[0]->targets[g].metric, metric)) hi = fmax(hi, rfs[0]->targets[g].threshold);
  double spacing = 0.07, room = tg ? 0.05 + spacing * (double)(n + 1) : 0.03;
  plot_xaxis(&axes, opts->lang, first, last, 1);
  plot_yaxis(&axes, opts->lang, lo, lo + (hi - lo) / (1 - room), 0);
  plot_target_marks(&marks, opts->lang, rfs[0], metric, first, last);
  if (tg) probability_block(&marks, opts->lang, rfs, n, tg, spacing);
  captions(&marks, opts->lang, rfs, n);
  pb_add(&marks, "set bmargin %.1f\n", 4.5 + 1.2 * (double)n);
  char title[1200], ylabel[800];
  snprintf(title, sizeof title, plot_tr(opts->lang, "%s: median and 80%% of replications"), metric);
  plot_metric_label(opts->lang, rfs[0], m0, ylabel, sizeof ylabel);
  set_quoted(&job, "TITLE", title);
  set_quoted(&job, "YLABEL", ylabel);
  plot_job_set(&job, "AXES", axes.s);
  plot_job_set(&job, "MARKS", marks.s);
  plot_job_set(&job, "PLOTS", plots.s ? plots.s : "");
  ddr_status rc = plots.oom || axes.oom || marks.oom
                      ? ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory")
                      : plot_draw(&job, opts, err);
  pb_free(&plots);
  pb_free(&axes);
  pb_free(&marks);
  plot_job_free(&job);
  return rc;
fail:
  pb_free(&plots);
  pb_free(&axes);
  pb_free(&marks);
  plot_job_free(&job);
  return err->status;
}

/* Whether b can be paired with a, replication by replication. */
static ddr_status check_pair(const ddr_resfile *a, const ddr_resfile *b, ddr_error *err) {
  const char *lead = "cannot pair %s with %s: ";
  char why[1400];
  if (a->seed != b->seed)
    snprintf(why, sizeof why,
             "they were run with different seeds (%llu and %llu), so their replications do not "
             "share random numbers; rerun one with --seed %llu",
             (unsigned long long)b->seed, (unsigned long long)a->seed, (unsigned long long)a->seed);
  else if (a->replications != b->replications)
    snprintf(why, sizeof why,
             "they hold different numbers of replications (%llu and %llu); rerun one with -n %llu",
             (unsigned long long)b->replications, (unsigned long long)a->replications,
             (unsigned long long)a->replications);
  else if (a->cal.start != b->cal.start || a->cal.end != b->cal.end ||
           a->cal.step_days != b->cal.step_days) {
    char s1[16], e1[16], s2[16], e2[16];
    ddr_date_format(b->cal.start, s1, sizeof s1), ddr_date_format(b->cal.end, e1, sizeof e1);
    ddr_date_format(a->cal.start, s2, sizeof s2), ddr_date_format(a->cal.end, e2, sizeof e2);
    snprintf(why, sizeof why,
             "their calendars differ (%s to %s in steps of %d days, and %s to %s in steps of %d "
             "days); a paired difference needs the same steps",
             s1, e1, b->cal.step_days, s2, e2, a->cal.step_days);
  } else if (a->rng_version != b->rng_version)
    snprintf(why, sizeof why,
             "they were written by ddrsim versions with different random streams (%d and %d); "
             "rerun both with this ddrsim",
             b->rng_version, a->rng_version);
  else
    return DDR_OK;
  char msg[DDR_ERROR_MSG_MAX];
  snprintf(msg, sizeof msg, lead, b->path, a->path);
  return ddr_error_set(err, DDR_EINPUT, NULL, 0, 0, NULL, "%s%s", msg, why);
}

/* Quantiles over replications of b - a at each step: q2.5, q10, q50, q90,
 * q97.5 and the mean, into the data as one block. */
static ddr_status difference_block(const ddr_resfile *a, const ddr_resfile *b, size_t ma, size_t mb,
                                   plot_buf *d, double *lo, double *hi, ddr_error *err) {
  size_t N = (size_t)a->replications, T = a->nsteps;
  int32_t *va = malloc(N * T * sizeof *va + 1), *vb = malloc(N * T * sizeof *vb + 1);
  ddr_status rc = DDR_OK;
  if (!va || !vb) {
    rc = ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    goto done;
  }
  if ((rc = ddr_resfile_series(a, ma, va, err)) || (rc = ddr_resfile_series(b, mb, vb, err)))
    goto done;
  int cols[] = {plot_qcol(0.025), plot_qcol(0.1), plot_qcol(0.5), plot_qcol(0.9), plot_qcol(0.975)};
  for (size_t t = 0; t < T; t++) {
    ddr_hist h;
    ddr_hist_init(&h);
    for (size_t r = 0; r < N; r++)
      if (ddr_hist_add(&h, vb[r * T + t] - va[r * T + t])) {
        ddr_hist_release(&h);
        rc = ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory");
        goto done;
      }
    double mean, sd, q[DDR_NQUANTILES];
    ddr_hist_summary(&h, &mean, &sd, q);
    ddr_hist_release(&h);
    char iso[16];
    ddr_date_format(ddr_calendar_step_last(&a->cal, (int)t), iso, sizeof iso);
    pb_add(d, "%s", iso);
    for (int k = 0; k < 5; k++) pb_add(d, ",%.10g", q[cols[k]]);
    pb_add(d, ",%.10g\n", mean);
    *lo = fmin(*lo, q[cols[0]]);
    *hi = fmax(*hi, q[cols[4]]);
  }
done:
  free(va);
  free(vb);
  return rc;
}

ddr_status plot_difference(ddr_resfile **rfs, size_t n, const plot_opts *opts, ddr_error *err) {
  const char *metric = NULL;
  size_t ma;
  if (pick_metric(rfs[0], opts, &metric, err)) return err->status;
  for (size_t i = 0; i < n; i++)
    if (!rfs[i]->full)
      return ddr_error_set(err, DDR_EINPUT, NULL, 0, 0, NULL,
                           "%s holds no per-replication series, which a paired difference needs: "
                           "rerun it with --store full",
                           rfs[i]->path);
  for (size_t i = 1; i < n; i++)
    if (check_pair(rfs[0], rfs[i], err)) return err->status;
  if (plot_find_metric(rfs[0], metric, &ma, err)) return err->status;
  size_t pairs = n - 1;
  plot_job job = {
      .kind = "difference", .width = 1400, .height = pairs == 1 ? 800 : 230 + 400 * (int)pairs};
  plot_buf panels = {0}, axes = {0}, marks = {0};
  double lo = 0, hi = 0;
  char nameA[600], nameB[600], text[1400];
  run_name(rfs, n, 0, nameA, sizeof nameA);
  ddr_status rc = DDR_OK;
  for (size_t i = 1; i < n; i++) {
    size_t mb;
    if ((rc = plot_find_metric(rfs[i], metric, &mb, err))) goto done;
    run_name(rfs, n, i, nameB, sizeof nameB);
    pb_add(&job.data, "%s# %s (%s) - %s (%s), paired by replication: %s\n", i > 1 ? "\n\n" : "",
           nameB, rfs[i]->path, nameA, rfs[0]->path, metric);
    pb_add(&job.data, "# date,q2.5,q10,q50,q90,q97.5,mean\n");
    if ((rc = difference_block(rfs[0], rfs[i], ma, mb, &job.data, &lo, &hi, err))) goto done;
  }
  int32_t first = rfs[0]->cal.start,
          last = ddr_calendar_step_last(&rfs[0]->cal, (int)rfs[0]->nsteps - 1);
  plot_xaxis(&axes, opts->lang, first, last, 1);
  if (hi - lo < 1) hi = lo + 1;
  double pad = 0.06 * (hi - lo);
  plot_yaxis(&axes, opts->lang, lo < 0 ? lo - pad : lo, hi + pad, 0);
  char unit[300], title[2000];
  snprintf(unit, sizeof unit, "%s", plot_unit(opts->lang, rfs[0]->metric_units[ma]));
  snprintf(text, sizeof text, plot_tr(opts->lang, "difference (%s)"), unit);
  set_quoted(&job, "YLABEL", text);
  if (pairs == 1) {
    run_name(rfs, n, 1, nameB, sizeof nameB);
    snprintf(title, sizeof title, plot_tr(opts->lang, "Paired difference %s − %s: %s"), nameB,
             nameA, metric);
  } else {
    snprintf(title, sizeof title, plot_tr(opts->lang, "Paired differences from %s: %s"), nameA,
             metric);
  }
  set_quoted(&job, "TITLE", title);
  captions(&marks, opts->lang, rfs, n);
  /* one panel per pair, stacked, on the same axes */
  double top = 1 - 150.0 / job.height, bottom = (60.0 + 28.0 * (double)n) / job.height + 0.06;
  double h = (top - bottom) / (double)pairs;
  for (size_t i = 0; i < pairs; i++) {
    pb_add(&panels, "set tmargin at screen %.4f\nset bmargin at screen %.4f\n",
           top - h * (double)i - (i > 0 ? 0.035 : 0), top - h * (double)(i + 1));
    if (pairs > 1) {
      run_name(rfs, n, i + 1, nameB, sizeof nameB);
      snprintf(text, sizeof text, plot_tr(opts->lang, "%s − %s"), nameB, nameA);
      pb_add(&panels, "set label 90 ");
      pb_quoted(&panels, text);
      pb_add(&panels, " at graph 0.01, graph 1.0 left offset 0,0.6 tc rgb \"#333333\" front\n");
      if (i == 0)
        pb_add(&panels, "set key at graph 1, graph 1.01 right bottom horizontal reverse Left "
                        "samplen 1.5 width -3 maxrows 1\n");
      /* dates under the bottom panel only */
      plot_xaxis(&panels, opts->lang, first, last, i + 1 == pairs);
    }
    if (i > 0) pb_add(&panels, "set key off\n");
    pb_add(&panels,
           "plot data index %zu using 1:2:6 with filledcurves lc rgb band95 title "
           "key95, \\\n     '' index %zu using 1:3:5 with filledcurves lc rgb band80 "
           "title key80, \\\n     '' index %zu using 1:4 with lines lw 2.5 lc rgb "
           "median_colour title key_median, \\\n     0 with lines lw 1.2 lc rgb "
           "\"#333333\" notitle\n",
           i, i, i);
    if (i == 0) pb_add(&panels, "unset label\n");
  }
  set_quoted(&job, "KEY95", plot_tr(opts->lang, "95% of replications"));
  set_quoted(&job, "KEY80", plot_tr(opts->lang, "80%"));
  set_quoted(&job, "KEYMEDIAN", plot_tr(opts->lang, "median"));
  plot_job_set(&job, "AXES", axes.s);
  plot_job_set(&job, "MARKS", marks.s);
  plot_job_set(&job, "PANELS", panels.s);
  rc = panels.oom || axes.oom || marks.oom
           ? ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory")
           : plot_draw(&job, opts, err);
done:
  pb_free(&panels);
  pb_free(&axes);
  pb_free(&marks);
  plot_job_free(&job);
  return rc;
}

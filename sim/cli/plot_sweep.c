/* A target's probability across the points of a sweep file, with its 95%
 * Wilson interval as error bars (template plots/sweep.gp): against the
 * chosen key (--key, else the first) for a one-key sweep; for a grid over
 * two keys, one line per value of the other key; otherwise the points in
 * design order. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ddrsim/sweep.h"
#include "plot.h"

/* The design's value as a data field: no commas, which separate fields. */
static void add_field(plot_buf *b, const char *s) {
  for (; *s; s++) pb_add(b, "%c", *s == ',' ? ';' : *s);
}

static ddr_status find_key(const ddr_sweep_table *t, const char *key, size_t *k, ddr_error *err) {
  for (*k = 0; *k < t->nkeys; (*k)++)
    if (!key || strcmp(t->keys[*k], key) == 0) return DDR_OK;
  char list[1024] = "";
  for (size_t i = 0; i < t->nkeys; i++)
    snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", t->keys[i]);
  return ddr_error_set(err, DDR_EINPUT, NULL, 0, 0, NULL,
                       "%s varies no key \"%s\"; its keys are: %s", t->path, key, list);
}

/* The other key's distinct values, in order of first appearance; returns
 * how many (series[p] gets each point's). */
static size_t group_points(const ddr_sweep_table *t, size_t other, size_t *series) {
  size_t n = 0;
  for (size_t p = 0; p < t->npoints; p++) {
    size_t q = 0;
    while (q < p && strcmp(t->value[q * t->nkeys + other], t->value[p * t->nkeys + other])) q++;
    series[p] = q < p ? series[q] : n++;
  }
  return n;
}

ddr_status plot_sweep(const ddr_sweep_table *t, const plot_opts *opts, ddr_error *err) {
  size_t g = 0, xk = 0, other = t->nkeys;
  if (!t->ntargets)
    return ddr_error_set(err, DDR_EINPUT, NULL, 0, 0, NULL, "%s has no targets", t->path);
  if (opts->target) {
    while (g < t->ntargets && strcmp(t->target[g], opts->target)) g++;
    if (g == t->ntargets)
      return ddr_error_set(err, DDR_EINPUT, NULL, 0, 0, NULL, "%s has no target \"%s\"", t->path,
                           opts->target);
  }
  if (find_key(t, opts->key, &xk, err)) return err->status;
  int grid = strcmp(t->design_kind, "grid") == 0;
  if (grid && t->nkeys == 2) other = 1 - xk;
  int by_order = t->nkeys > 2 || (!grid && t->nkeys > 1);
  int numeric = !by_order;
  for (size_t p = 0; numeric && p < t->npoints; p++)
    numeric = isfinite(t->number[p * t->nkeys + xk]);
  size_t *series = calloc(t->npoints + 1, sizeof *series);
  plot_job job = {.kind = "sweep", .width = 1400, .height = 800};
  plot_buf q = {0}, ser = {0};
  if (!series) return ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory");
  size_t ns = other < t->nkeys ? group_points(t, other, series) : 1;
  plot_buf *d = &job.data;
  pb_add(d, "# target %s across the points of %s\n", t->target[g], t->path);
  pb_add(d, "# point,x,probability,wilson_lo,wilson_hi,x as written\n");
  pb_add(&ser, "nseries = %zu\narray series_title[%zu]\n", ns, ns);
  for (size_t s = 0; s < ns; s++) {
    if (s) pb_add(d, "\n\n");
    for (size_t p = 0; p < t->npoints; p++) {
      if (series[p] != s) continue;
      size_t c = p * t->ntargets + g;
      double x = by_order ? (double)p : numeric ? t->number[p * t->nkeys + xk] : (double)p;
      pb_add(d, "%zu,%.10g,%.10g,%.10g,%.10g,", p, x, t->prob[c], t->lo[c], t->hi[c]);
      if (by_order)
        pb_add(d, "%zu", p);
      else
        add_field(d, t->value[p * t->nkeys + xk]);
      pb_add(d, "\n");
      if (s < ns && other < t->nkeys && !ser.oom && series[p] == s) {
        /* the title of this line: the other key's value (once per series) */
        size_t first = 0;
        while (series[first] != s) first++;
        if (first == p) {
          pb_add(&ser, "series_title[%zu] = ", s + 1);
          pb_quoted(&ser, t->value[p * t->nkeys + other]);
          pb_add(&ser, "\n");
        }
      }
    }
  }
  if (other == t->nkeys) pb_add(&ser, "series_title[1] = ''\nunset key\n");
  char title[1200], sub[1600], caption[2400], xl[600];
  snprintf(title, sizeof title, plot_tr(opts->lang, "Probability of meeting %s across the sweep"),
           t->target[g]);
  const char *scn = strrchr(t->scenario_file, '/'), *des = strrchr(t->design_file, '/');
  snprintf(sub, sizeof sub, plot_tr(opts->lang, "%s, design %s (%s), 95%% Wilson intervals"),
           scn ? scn + 1 : t->scenario_file, des ? des + 1 : t->design_file, t->design_kind);
  char reps[64];
  plot_number(opts->lang, (double)t->replications, 0, reps, sizeof reps);
  snprintf(caption, sizeof caption,
           plot_tr(opts->lang, "Seed %llu for every point (paired), %s replications per point"),
           (unsigned long long)t->seed, reps);
  if (by_order)
    snprintf(xl, sizeof xl, "%s", plot_tr(opts->lang, "Design point"));
  else
    snprintf(xl, sizeof xl, "%s", t->keys[xk]);
  const char *names[] = {"TITLE", "SUBTITLE", "CAPTION", "XLABEL", "YLABEL", "KEYTITLE"};
  const char *texts[] = {title,
                         sub,
                         caption,
                         xl,
                         plot_tr(opts->lang, "Probability met"),
                         other < t->nkeys ? t->keys[other] : ""};
  for (int i = 0; i < 6; i++) {
    q.n = 0;
    pb_quoted(&q, texts[i]);
    plot_job_set(&job, names[i], q.s);
  }
  plot_job_set(&job, "SERIES", ser.s);
  ddr_status rc = q.oom || ser.oom
                      ? ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory")
                      : plot_draw(&job, opts, err);
  free(series);
  pb_free(&q);
  pb_free(&ser);
  plot_job_free(&job);
  return rc;
}

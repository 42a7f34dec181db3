/* What a brief holds, in order: the title; for each run its description
 * and key table (each target's probability with its interval, P50 and P80
 * dates and the summary's sentence); for several runs the comparison (the
 * compare chart, a table of the differences and the paired-difference
 * chart); for each run its fan charts, when each target is reached, where
 * people wait and the redeployment timeline; the provenance. The numbers
 * come from the same code as `summary` and `compare`, the pictures from the
 * same code as `plot`, so the brief never says anything they do not. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "compare.h"
#include "ddrsim/calendar.h"
#include "ddrsim/stats.h"
#include "ddrsim/version.h"
#include "report.h"

#define qi cli_quantile_index

/* Targets the redeployment timeline shows, one row each: a region's
 * (redeployment-<region> on redeployment.deployed.<region>) or the whole
 * plan's (plot_redeployment.c). */
static int on_timeline(const ddr_resfile_target *t) {
  return strncmp(t->id, "redeployment-", 13) == 0 &&
         strncmp(t->metric, "redeployment.deployed", 21) == 0;
}

static int region_metric(const char *metric) {
  return strncmp(metric, "redeployment.deployed.", 22) == 0;
}

/* The metrics that have targets, once each in order (a region's own
 * redeployment metric is left to the timeline); returns how many. */
static size_t target_metrics(const ddr_resfile *rf, const char **out, size_t cap) {
  size_t n = 0;
  for (size_t g = 0; g < rf->ntargets; g++) {
    const char *m = rf->targets[g].metric;
    size_t i = 0;
    while (i < n && strcmp(out[i], m)) i++;
    if (i == n && n < cap && !region_metric(m)) out[n++] = m;
  }
  return n;
}

static int has_timeline(const ddr_resfile *rf) {
  for (size_t g = 0; g < rf->ntargets; g++)
    if (on_timeline(&rf->targets[g]) && region_metric(rf->targets[g].metric)) return 1;
  return 0;
}

/* A run's name: its scenario's, with its file when two runs share it. */
static void run_name(ddr_resfile **rfs, size_t n, size_t i, char *buf, size_t size) {
  int twice = 0;
  for (size_t j = 0; j < n; j++)
    twice |= j != i && !strcmp(rfs[j]->scenario_name, rfs[i]->scenario_name);
  const char *base = strrchr(rfs[i]->path, '/');
  if (twice)
    snprintf(buf, size, "%s (%s)", rfs[i]->scenario_name, base ? base + 1 : rfs[i]->path);
  else
    snprintf(buf, size, "%s", rfs[i]->scenario_name);
}

/* A file name made of letters, digits, '.', '-' and '_'. */
static void safe_name(const char *s, char *buf, size_t size) {
  size_t i = 0;
  for (; s[i] && i + 1 < size; i++) {
    char c = s[i];
    int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             c == '.' || c == '-' || c == '_';
    buf[i] = ok ? c : '_';
  }
  buf[i] = '\0';
}

/* Draw one picture with the plot code and hand it to the format. */
static ddr_status figure(rep_writer *w, const char *kind, ddr_resfile **rfs, size_t n,
                         const char *metric, const char *target, const char *alt,
                         const char *caption, ddr_error *err) {
  char path[4800], what[200], text[2048];
  w->nfig++;
  safe_name(target ? target : metric ? metric : "", what, sizeof what);
  snprintf(path, sizeof path, "%s/%02d-%s%s%s%s", w->imgdir, w->nfig, kind, what[0] ? "-" : "",
           what, w->fmt->image_ext);
  plot_opts o = {.output = path, .metric = metric, .target = target, .lang = w->lang, .quiet = 1};
  if (w->drawn && w->drawn(path))
    return ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory");
  ddr_status rc;
  if (!strcmp(kind, "compare"))
    rc = plot_compare(rfs, n, &o, err);
  else if (!strcmp(kind, "difference"))
    rc = plot_difference(rfs, n, &o, err);
  else if (!strcmp(kind, "fan"))
    rc = plot_fan(rfs[0], &o, err);
  else if (!strcmp(kind, "dates"))
    rc = plot_dates(rfs[0], &o, err);
  else if (!strcmp(kind, "bottlenecks"))
    rc = plot_bottlenecks(rfs[0], &o, err);
  else
    rc = plot_redeployment(rfs[0], &o, err);
  if (rc) return rc;
  snprintf(text, sizeof text, rep_tr(w->lang, "Figure %d. %s"), w->nfig, caption);
  return w->fmt->figure(w, path, alt, text, err);
}

/* ---- Cells ---- */

static void cell_num(rep_cell *c, const char *key, double x) {
  if (c->nval < 4) c->key[c->nval] = key, c->val[c->nval++] = x;
}

/* A date reached (days since the start, NaN: never) in a cell. */
static void cell_day(plot_lang lang, const ddr_resfile *rf, double day, rep_cell *c) {
  if (isnan(day)) {
    snprintf(c->text, sizeof c->text, "%s", rep_tr(lang, "not within the horizon"));
    return;
  }
  int32_t d = rf->cal.start + (int32_t)lround(day);
  plot_date(lang, d, c->text, sizeof c->text);
  ddr_date_format(d, c->iso, sizeof c->iso);
}

static void free_table(rep_table *t) {
  for (size_t r = 0; t->notes && r < t->nrows; r++) free(t->notes[r]);
  free(t->notes);
  free(t->cells);
}

static ddr_status alloc_table(rep_table *t, size_t nrows, ddr_error *err) {
  t->nrows = nrows;
  t->cells = calloc(nrows * t->ncols + 1, sizeof *t->cells);
  t->notes = calloc(nrows + 1, sizeof *t->notes);
  t->row_ids = calloc(nrows + 1, sizeof *t->row_ids);
  if (!t->cells || !t->notes || !t->row_ids) {
    free(t->row_ids);
    t->row_ids = NULL;
    free_table(t);
    return ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory");
  }
  return DDR_OK;
}

/* ---- The key table ---- */

static ddr_status key_table(rep_writer *w, const ddr_resfile *rf, ddr_error *err) {
  plot_lang lang = w->lang;
  rep_table t = {.kind = "key", .ncols = 4, .width = {44, 24, 16, 16}, .numeric = {0, 1, 1, 1}};
  t.head[0] = rep_tr(lang, "Target");
  t.head[1] = rep_tr(lang, "Probability met by the deadline [95% interval]");
  t.head[2] = rep_tr(lang, "Half the runs reach it by (P50)");
  t.head[3] = rep_tr(lang, "80% of the runs by (P80)");
  t.note_head = rep_tr(lang, "In words");
  if (alloc_table(&t, rf->ntargets, err)) return err->status;
  char words[2048], thr[64], when[64];
  for (size_t g = 0; g < rf->ntargets; g++) {
    const ddr_resfile_target *tg = &rf->targets[g];
    rep_cell *c = &t.cells[g * 4];
    plot_number(lang, tg->threshold, tg->threshold == floor(tg->threshold) ? 0 : 2, thr,
                sizeof thr);
    plot_date(lang, tg->deadline, when, sizeof when);
    snprintf(c[0].text, sizeof c[0].text, rep_tr(lang, "%s\n(%s ≥ %s by %s)"), tg->label,
             tg->metric, thr, when);
    plot_prob(lang, tg->s.prob, tg->s.lo, tg->s.hi, c[1].text, sizeof c[1].text);
    cell_num(&c[1], "probability", tg->s.prob);
    cell_num(&c[1], "lo", tg->s.lo);
    cell_num(&c[1], "hi", tg->s.hi);
    cell_day(lang, rf, tg->s.day_q[qi(0.5)], &c[2]);
    cell_day(lang, rf, tg->s.day_q[qi(0.8)], &c[3]);
    rep_target_sentence(lang, rf, tg, words, sizeof words);
    t.notes[g] = strdup(words);
    t.row_ids[g] = tg->id;
  }
  w->fmt->table(w, &t);
  free(t.row_ids);
  free_table(&t);
  return DDR_OK;
}

static ddr_status run_summary(rep_writer *w, ddr_resfile **rfs, size_t n, size_t i,
                              ddr_error *err) {
  const ddr_resfile *rf = rfs[i];
  char name[1200], text[1600], reps[64];
  if (n > 1) {
    run_name(rfs, n, i, name, sizeof name);
    snprintf(text, sizeof text, "%c: %s", (char)('A' + i), name);
    w->fmt->heading(w, 2, text, 1);
  }
  if (rf->description && rf->description[0]) w->fmt->para(w, rf->description, REP_LEAD);
  if (rf->ntargets == 0) {
    w->fmt->para(w, rep_tr(w->lang, "The scenario sets no targets."), REP_NOTE);
    return DDR_OK;
  }
  if (key_table(w, rf, err)) return err->status;
  if (i + 1 < n) return DDR_OK;
  plot_number(w->lang, (double)rf->replications, 0, reps, sizeof reps);
  snprintf(text, sizeof text,
           rep_tr(w->lang, "Probability: the share of the %s replications that meet the target "
                           "by its deadline, with its 95%% interval. P50 and P80: the dates by "
                           "which half and 80%% of the replications have reached it."),
           reps);
  w->fmt->para(w, text, REP_NOTE);
  return DDR_OK;
}

/* ---- The comparison ---- */

typedef struct outcomes {
  uint8_t *met;
  int32_t *step;
} outcomes;

static const ddr_resfile_target *find_target(const ddr_resfile *rf, const char *id, size_t *g) {
  for (size_t i = 0; i < rf->ntargets; i++)
    if (!strcmp(rf->targets[i].id, id)) {
      *g = i;
      return &rf->targets[i];
    }
  return NULL;
}

/* "25 Jan 2022 → 3 Dec 2021 (−53 days)" */
static void shift_cell(plot_lang lang, double a, double b, double d, rep_cell *c) {
  char x[64], y[64], days[64];
  if (isnan(a))
    snprintf(x, sizeof x, "%s", rep_tr(lang, "never"));
  else
    plot_date(lang, (int32_t)lround(a), x, sizeof x);
  if (isnan(b))
    snprintf(y, sizeof y, "%s", rep_tr(lang, "never"));
  else
    plot_date(lang, (int32_t)lround(b), y, sizeof y);
  if (isnan(d)) {
    snprintf(c->text, sizeof c->text, "%s → %s", x, y);
    return;
  }
  plot_signed(lang, d, 0, days, sizeof days);
  snprintf(c->text, sizeof c->text, rep_tr(lang, "%s → %s\n(%s days)"), x, y, days);
  cell_num(c, "days", d);
}

static void diff_row(plot_lang lang, const cmp_diff *d, rep_cell *c) {
  char a[32], b[32], lo[32], hi[32], diff[32];
  int dec = d->pa < 0.05 || d->pa > 0.95 || d->pb < 0.05 || d->pb > 0.95 ? 3 : 2;
  plot_number(lang, d->pa, dec, a, sizeof a);
  plot_number(lang, d->pb, dec, b, sizeof b);
  snprintf(c[0].text, sizeof c[0].text, "%s → %s", a, b);
  cell_num(&c[0], "baseline", d->pa);
  cell_num(&c[0], "run", d->pb);
  plot_signed(lang, d->diff, dec, diff, sizeof diff);
  plot_signed(lang, d->lo, dec, lo, sizeof lo);
  plot_signed(lang, d->hi, dec, hi, sizeof hi);
  snprintf(c[1].text, sizeof c[1].text, rep_tr(lang, "%s\n[%s to %s]"), diff, lo, hi);
  cell_num(&c[1], "difference", d->diff);
  cell_num(&c[1], "lo", d->lo);
  cell_num(&c[1], "hi", d->hi);
  shift_cell(lang, d->p50a, d->p50b, d->d50, &c[2]);
  shift_cell(lang, d->p80a, d->p80b, d->d80, &c[3]);
  if (!d->paired) {
    snprintf(c[4].text, sizeof c[4].text, "%s", rep_tr(lang, "not paired"));
  } else if (d->reached_both > 1) {
    char m[32];
    plot_signed(lang, d->mean_days, 1, m, sizeof m);
    plot_signed(lang, d->mean_lo, 1, lo, sizeof lo);
    plot_signed(lang, d->mean_hi, 1, hi, sizeof hi);
    snprintf(c[4].text, sizeof c[4].text, rep_tr(lang, "%s days\n[%s to %s]"), m, lo, hi);
    cell_num(&c[4], "mean", d->mean_days);
    cell_num(&c[4], "lo", d->mean_lo);
    cell_num(&c[4], "hi", d->mean_hi);
    cell_num(&c[4], "sd", d->sd_days);
  } else {
    snprintf(c[4].text, sizeof c[4].text, "%s", rep_tr(lang, "too few runs reach it in both"));
  }
}

static ddr_status compare_table(rep_writer *w, ddr_resfile **rfs, size_t n, const outcomes *oc,
                                int paired, ddr_error *err) {
  plot_lang lang = w->lang;
  rep_table t = {.kind = "comparison",
                 .ncols = 6,
                 .width = {25, 13, 16, 16, 16, 14},
                 .numeric = {0, 1, 1, 1, 1, 1}};
  t.head[0] = rep_tr(lang, "Target (run against A)");
  t.head[1] = rep_tr(lang, "P(met): A → run");
  t.head[2] = rep_tr(lang, "Difference [95% interval]");
  t.head[3] = rep_tr(lang, "P50: A → run");
  t.head[4] = rep_tr(lang, "P80: A → run");
  t.head[5] = rep_tr(lang, paired ? "Mean paired shift of the date reached [95% interval]"
                                  : "Mean paired shift of the date reached");
  t.note_head = rep_tr(lang, "Notes");
  const ddr_resfile *a = rfs[0];
  if (alloc_table(&t, a->ntargets * (n - 1), err)) return err->status;
  size_t rows = 0;
  for (size_t g = 0; g < a->ntargets; g++)
    for (size_t r = 1; r < n; r++) {
      size_t gb;
      const ddr_resfile_target *tb = find_target(rfs[r], a->targets[g].id, &gb);
      if (!tb) continue;
      cmp_side sa = {a, &a->targets[g], oc[0].met, oc[0].step, g};
      cmp_side sb = {rfs[r], tb, oc[r].met, oc[r].step, gb};
      cmp_diff d;
      if (cmp_target(&sa, &sb, paired, &d) < 0) {
        free(t.row_ids);
        free_table(&t);
        return ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory");
      }
      rep_cell *c = &t.cells[rows * t.ncols];
      char name[1200];
      run_name(rfs, n, r, name, sizeof name);
      snprintf(c[0].text, sizeof c[0].text, rep_tr(lang, "%s\n(%c: %s)"), a->targets[g].label,
               (char)('A' + r), name);
      diff_row(lang, &d, c + 1);
      if (tb->threshold != a->targets[g].threshold || tb->deadline != a->targets[g].deadline ||
          strcmp(tb->metric, a->targets[g].metric)) {
        char note[600], by[16];
        ddr_date_format(tb->deadline, by, sizeof by);
        snprintf(note, sizeof note,
                 rep_tr(lang, "In %c the target %s is defined differently (%s ≥ %g by %s)."),
                 (char)('A' + r), tb->id, tb->metric, tb->threshold, by);
        t.notes[rows] = strdup(note);
      }
      t.row_ids[rows++] = a->targets[g].id;
    }
  t.nrows = rows;
  if (rows) w->fmt->table(w, &t);
  free(t.row_ids);
  free_table(&t);
  return DDR_OK;
}

static ddr_status comparison(rep_writer *w, ddr_resfile **rfs, size_t n, ddr_error *err) {
  plot_lang lang = w->lang;
  char text[3000], why[600], name[1200];
  outcomes *oc = calloc(n, sizeof *oc);
  ddr_status rc = DDR_OK;
  if (!oc) return ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory");
  for (size_t i = 0; i < n; i++) {
    size_t cells = (size_t)rfs[i]->replications * rfs[i]->ntargets;
    oc[i].met = malloc(cells + 1);
    oc[i].step = malloc((cells + 1) * sizeof *oc[i].step);
    if (!oc[i].met || !oc[i].step) {
      rc = ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory");
      goto done;
    }
    if ((rc = ddr_resfile_outcomes(rfs[i], oc[i].met, oc[i].step, err))) goto done;
  }
  w->fmt->heading(w, 1, rep_tr(lang, "Comparison"), 0);
  size_t unpaired = 0;
  for (size_t r = 1; r < n && !unpaired; r++)
    if (cmp_pairing_problem(rfs[0], rfs[r], why, sizeof why)) unpaired = r;
  run_name(rfs, n, 0, name, sizeof name);
  if (!unpaired) {
    snprintf(text, sizeof text,
             rep_tr(lang, "Each run is compared with A (%s), the baseline. The runs pair: they "
                          "share the seed (%llu), the number of replications (%llu) and the "
                          "calendar, so replication i of each drew the same random numbers "
                          "wherever the scenarios agree, and they are compared replication by "
                          "replication (as ddrsim compare does)."),
             name, (unsigned long long)rfs[0]->seed, (unsigned long long)rfs[0]->replications);
    w->fmt->para(w, text, REP_TEXT);
  } else {
    snprintf(text, sizeof text,
             rep_tr(lang, "These runs cannot be paired: %s and %s: %s. They are compared as "
                          "independent samples, as ddrsim compare --unpaired does: the "
                          "intervals carry the sampling noise of both runs, and nothing is said "
                          "replication by replication. To pair them, run both scenarios with "
                          "the same seed and number of replications."),
             rfs[0]->path, rfs[unpaired]->path, why);
    w->fmt->para(w, text, REP_NOTE);
  }
  const char *metrics[64];
  size_t nm = target_metrics(rfs[0], metrics, 64);
  if (nm == 0) metrics[nm++] = rfs[0]->metric_names[0];
  for (size_t k = 0; k < nm; k++) {
    snprintf(text, sizeof text,
             rep_tr(lang, "%s in each run: the median (line) and the range holding 80%% of the "
                          "replications (band)."),
             metrics[k]);
    if ((rc = figure(w, "compare", rfs, n, metrics[k], NULL, text, text, err))) goto done;
  }
  if ((rc = compare_table(w, rfs, n, oc, !unpaired, err))) goto done;
  int full = 1;
  for (size_t i = 0; i < n; i++) full &= rfs[i]->full;
  if (unpaired) {
    w->fmt->para(w, rep_tr(lang, "No paired-difference chart: the runs cannot be paired."),
                 REP_NOTE);
  } else if (!full) {
    w->fmt->para(w,
                 rep_tr(lang, "No paired-difference chart: it needs each replication's series, "
                              "which only runs stored with --store full keep."),
                 REP_NOTE);
  } else {
    for (size_t k = 0; k < nm; k++) {
      snprintf(text, sizeof text,
               rep_tr(lang, "Paired difference of %s from A, replication by replication: the "
                            "median and the ranges holding 80%% and 95%% of the replications."),
               metrics[k]);
      if ((rc = figure(w, "difference", rfs, n, metrics[k], NULL, text, text, err))) goto done;
    }
  }
done:
  for (size_t i = 0; i < n; i++) free(oc[i].met), free(oc[i].step);
  free(oc);
  return rc;
}

/* ---- Each run's pictures ---- */

static ddr_status forecast(rep_writer *w, ddr_resfile **rfs, size_t n, size_t i, ddr_error *err) {
  plot_lang lang = w->lang;
  ddr_resfile *rf = rfs[i];
  char text[3000], name[1200];
  run_name(rfs, n, i, name, sizeof name);
  if (n > 1)
    snprintf(text, sizeof text, rep_tr(lang, "Forecast of %c: %s"), (char)('A' + i), name);
  else
    snprintf(text, sizeof text, "%s", rep_tr(lang, "Forecast"));
  w->fmt->heading(w, 1, text, 0);
  const char *metrics[64];
  size_t nm = target_metrics(rf, metrics, 64);
  if (nm == 0) metrics[nm++] = rf->metric_names[0];
  for (size_t k = 0; k < nm; k++) {
    snprintf(text, sizeof text, rep_tr(lang, "%s over time"), metrics[k]);
    w->fmt->heading(w, 2, text, 0);
    snprintf(text, sizeof text,
             rep_tr(lang, "%s over time: the median (line) and the ranges holding 50%%, 80%% and "
                          "95%% of the replications, against the targets (dashed) and their "
                          "deadlines (dotted)."),
             metrics[k]);
    if (figure(w, "fan", &rf, 1, metrics[k], NULL, text, text, err)) return err->status;
  }
  int dated = 0;
  for (size_t g = 0; g < rf->ntargets; g++) {
    const ddr_resfile_target *t = &rf->targets[g];
    if (on_timeline(t)) continue;
    if (!dated++) w->fmt->heading(w, 2, rep_tr(lang, "When each target is reached"), 0);
    snprintf(text, sizeof text,
             rep_tr(lang, "%s: the share of the replications that have reached it by each date, "
                          "with the P50 and P80 dates and the deadline."),
             t->label);
    if (figure(w, "dates", &rf, 1, NULL, t->id, text, text, err)) return err->status;
  }
  size_t nstages = cli_stage_peaks(rf, NULL, 0);
  if (nstages) {
    w->fmt->heading(w, 2, rep_tr(lang, "Where people wait"), 0);
    cli_stage_peak *p = calloc(nstages, sizeof *p);
    char **items = calloc(nstages, sizeof *items);
    int oom = !p || !items;
    if (!oom) cli_stage_peaks(rf, p, nstages);
    for (size_t k = 0; !oom && k < nstages; k++) {
      rep_stage_sentence(lang, rf, &p[k], text, sizeof text);
      oom = !(items[k] = strdup(text));
    }
    if (!oom) w->fmt->items(w, items, nstages);
    for (size_t k = 0; items && k < nstages; k++) free(items[k]);
    free(items);
    free(p);
    if (oom) return ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    snprintf(text, sizeof text, "%s",
             rep_tr(lang, "Each stage's queue and the people in it, and the utilisation of each "
                          "site and training centre, over time (median and 80% of the "
                          "replications)."));
    if (figure(w, "bottlenecks", &rf, 1, NULL, NULL, text, text, err)) return err->status;
  }
  if (has_timeline(rf)) {
    w->fmt->heading(w, 2, rep_tr(lang, "Redeployment"), 0);
    snprintf(text, sizeof text, "%s",
             rep_tr(lang, "For each region and the whole plan, the date by which its planned "
                          "units have all deployed (P10 to P90, P50 marked) against the plan "
                          "date, with the probability of being done on time."));
    if (figure(w, "redeployment", &rf, 1, NULL, NULL, text, text, err)) return err->status;
  }
  return DDR_OK;
}

/* ---- Provenance ---- */

static ddr_status provenance(rep_writer *w, ddr_resfile **rfs, size_t n, ddr_error *err) {
  plot_lang lang = w->lang;
  static const char *const rows[] = {"File",   "Scenario", "Scenario file", "Seed", "Replications",
                                     "Stored", "ddrsim",   "Run on",        "Host"};
  const size_t nrows = sizeof rows / sizeof *rows;
  w->fmt->heading(w, 1, rep_tr(lang, "Provenance"), 1);
  char when[64], text[1200];
  time_t now = time(NULL);
  struct tm tm;
  strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
  snprintf(text, sizeof text,
           rep_tr(lang, "Written on %s by ddrsim %s from these files; nothing was rerun. "
                        "Each picture's caption names its scenario file, seed, number of "
                        "replications, ddrsim version and run date."),
           when, DDRSIM_VERSION);
  w->fmt->para(w, text, REP_NOTE);
  for (size_t first = 0; first < n; first += 4) {
    size_t cols = n - first < 4 ? n - first : 4;
    rep_table t = {.kind = "provenance", .ncols = cols + 1, .width = {16}};
    t.head[0] = "";
    for (size_t j = 0; j < cols; j++) {
      static const char *const letters[] = {"A", "B", "C", "D", "E", "F", "G", "H", "I",
                                            "J", "K", "L", "M", "N", "O", "P", "Q", "R",
                                            "S", "T", "U", "V", "W", "X", "Y", "Z"};
      t.head[j + 1] = n > 1 ? letters[(first + j) % 26] : rep_tr(lang, "Run");
      t.width[j + 1] = (int)(84 / cols);
    }
    if (alloc_table(&t, nrows, err)) return err->status;
    for (size_t r = 0; r < nrows; r++) {
      snprintf(t.cells[r * t.ncols].text, sizeof t.cells->text, "%s", rep_tr(lang, rows[r]));
      for (size_t j = 0; j < cols; j++) {
        const ddr_resfile *rf = rfs[first + j];
        rep_cell *c = &t.cells[r * t.ncols + j + 1];
        switch (r) {
        case 0:
          snprintf(c->text, sizeof c->text, "%s", rf->path);
          break;
        case 1:
          snprintf(c->text, sizeof c->text, "%s", rf->scenario_name);
          break;
        case 2:
          snprintf(c->text, sizeof c->text, "%s", rf->scenario_file);
          break;
        case 3:
          snprintf(c->text, sizeof c->text, "%llu", (unsigned long long)rf->seed);
          break;
        case 4:
          plot_number(lang, (double)rf->replications, 0, c->text, sizeof c->text);
          break;
        case 5:
          snprintf(c->text, sizeof c->text, "%s",
                   rep_tr(lang, rf->full ? "every replication's series (--store full)"
                                         : "summaries (--store summary)"));
          break;
        case 6:
          snprintf(c->text, sizeof c->text, "%s", rf->version);
          break;
        case 7:
          snprintf(c->text, sizeof c->text, "%s", rf->started ? rf->started : "");
          break;
        default:
          snprintf(c->text, sizeof c->text, "%s", rf->host ? rf->host : "");
          break;
        }
      }
    }
    w->fmt->table(w, &t);
    free(t.row_ids);
    free_table(&t);
  }
  return DDR_OK;
}

ddr_status rep_build(rep_writer *w, ddr_resfile **rfs, size_t n, ddr_error *err) {
  plot_lang lang = w->lang;
  char title[3000], sub[600], names[1200], reps[64];
  run_name(rfs, n, 0, title, sizeof title);
  for (size_t i = 1; i < n; i++) {
    run_name(rfs, n, i, names, sizeof names);
    size_t len = strlen(title);
    snprintf(title + len, sizeof title - len, "%s%s",
             rep_tr(lang, i == 1 ? " compared with " : ", "), names);
  }
  plot_number(lang, (double)rfs[0]->replications, 0, reps, sizeof reps);
  if (n == 1)
    snprintf(sub, sizeof sub, rep_tr(lang, "Forecast brief: %s replications, seed %llu, ddrsim %s"),
             reps, (unsigned long long)rfs[0]->seed, rfs[0]->version);
  else
    snprintf(sub, sizeof sub, rep_tr(lang, "Forecast brief comparing %zu runs"), n);
  w->fmt->begin(w, title, sub);
  for (size_t i = 0; i < n; i++)
    if (run_summary(w, rfs, n, i, err)) return err->status;
  if (n > 1 && comparison(w, rfs, n, err)) return err->status;
  for (size_t i = 0; i < n; i++)
    if (forecast(w, rfs, n, i, err)) return err->status;
  if (provenance(w, rfs, n, err)) return err->status;
  w->fmt->end(w);
  return w->out.oom ? ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory") : DDR_OK;
}

/* The Monte Carlo driver: batches of replications across OpenMP threads, each
 * batch then added to exact integer histograms (in parallel over cells), so
 * the summaries do not depend on the thread count. Each replication's events
 * are collected by the thread that ran it, then put in replication order. */
#include "ddrsim/engine.h"

#include "bigmem.h"
#include "tally.h"

#include <math.h>
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EVENTS_PER_THREAD 64 /* first room for events in each thread's buffer */

/* What one thread needs for its replications; allocated once per run. */
typedef struct worker {
  void *state;
  double *inputs;
  int32_t *row;  /* one step's metrics */
  ddr_event *ev; /* events of the replications it ran in this batch */
  size_t nev, evcap;
  ddr_status evfail;   /* the first of its replications whose events failed */
  uint64_t evfail_rep; /* (the earliest, as a thread takes them in order) */
  char evwhy[256];
} worker;

/* Where a replication's events are: in which thread's buffer, from where. */
typedef struct rep_events {
  int worker;
  size_t at, n;
} rep_events;

/* The events of a batch in replication order, and their counts so far. */
typedef struct event_tally {
  rep_events *rep;        /* [batch] */
  uint64_t *off;          /* [batch + 1], as in ddr_batch */
  ddr_event *all;         /* the batch's events */
  size_t cap;             /* room in all */
  uint64_t *seen;         /* [kinds] last replication + 1 counted for the kind */
  ddr_event_summary *sum; /* [kinds], the run's tally's */
} event_tally;

/* The run's summaries so far are a ddr_tally: one histogram per (metric,
 * step) and per target (the step reached, nsteps meaning never), filled
 * batch by batch, in parallel over cells, so no thread owns a private copy;
 * the histograms borrow one arena sized from the first batch. */
typedef ddr_tally tally;

typedef struct shape {
  size_t M, T, G, K, Ku;
  size_t E; /* event kinds */
} shape;

static shape shape_of(const ddr_scenario *scn) {
  const ddr_inputs *in = ddr_scenario_inputs(scn);
  shape s = {ddr_scenario_metric_count(scn), (size_t)ddr_scenario_calendar(scn)->nsteps,
             ddr_scenario_target_count(scn), ddr_inputs_count(in),
             ddr_inputs_uncertain_count(in), ddr_scenario_event_kind_count(scn)};
  return s;
}

/* Simulate replication rep into series[M][T], inputs into inputs[K]. */
static void run_replication(const ddr_scenario *scn, uint64_t seed, uint64_t rep, void *state,
                            double *inputs, int32_t *series, int32_t *row, size_t M, size_t T) {
  const ddr_model_type *m = ddr_scenario_model(scn);
  const void *params = ddr_scenario_params(scn);
  ddr_inputs_sample(ddr_scenario_inputs(scn), seed, rep, inputs);
  ddr_rep r = {seed, rep, inputs, ddr_scenario_calendar(scn)};
  m->init(params, state, &r);
  for (size_t t = 0; t < T; t++) {
    m->step(params, state, &r, (int)t, row);
    for (size_t k = 0; k < M; k++) series[k * T + t] = row[k];
  }
}

static void evaluate_targets(const ddr_scenario *scn, const int32_t *series, size_t T,
                             ddr_outcome *out) {
  for (size_t g = 0; g < ddr_scenario_target_count(scn); g++) {
    const ddr_target *tg = ddr_scenario_target(scn, g);
    const int32_t *s = series + tg->metric * T;
    out[g].met = s[tg->deadline_step] >= tg->threshold;
    out[g].step_reached = -1;
    for (size_t t = 0; t < T; t++)
      if (s[t] >= tg->threshold) {
        out[g].step_reached = (int32_t)t;
        break;
      }
  }
}

/* Note why replication rep's events failed, unless an earlier one of the
 * thread's did. */
static void events_failed(worker *wk, ddr_status st, uint64_t rep, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void events_failed(worker *wk, ddr_status st, uint64_t rep, const char *fmt, ...) {
  if (wk->evfail) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(wk->evwhy, sizeof wk->evwhy, fmt, ap);
  va_end(ap);
  wk->evfail = st;
  wk->evfail_rep = rep;
}

/* Room for more events after the worker's nev, grown between model calls. */
static int reserve_events(worker *wk, size_t more) {
  if (more <= wk->evcap - wk->nev) return 0;
  if (more > SIZE_MAX / 2 / sizeof(ddr_event) - wk->nev) return -1;
  size_t cap = wk->evcap ? wk->evcap : EVENTS_PER_THREAD;
  while (cap - wk->nev < more) cap *= 2;
  ddr_event *ev = realloc(wk->ev, cap * sizeof *ev);
  if (!ev) return -1;
  wk->ev = ev;
  wk->evcap = cap;
  return 0;
}

/* What is wrong with event j of a replication's events ev, or NULL. */
static const char *event_fault(const ddr_event *ev, size_t j, const shape *sh) {
  if (ev[j].kind >= sh->E) return "an unregistered kind";
  if (ev[j].first >= (int64_t)sh->T) return "a first step past the horizon";
  if (ev[j].last < ev[j].first) return "a last step before its first";
  if (j > 0 && ev[j].first < ev[j - 1].first) return "an event out of order (by first step)";
  return NULL;
}

/* After replication rep's last step, append its events to the worker's
 * buffer, asking again with room for all when they did not fit, and check
 * them (engine.h says what is checked). */
static void collect_events(const ddr_scenario *scn, worker *wk, uint64_t rep, const shape *sh,
                           rep_events *re) {
  const ddr_model_type *m = ddr_scenario_model(scn);
  const void *params = ddr_scenario_params(scn);
  re->worker = omp_get_thread_num();
  re->at = wk->nev;
  re->n = 0;
  if (wk->evfail) return; /* the batch fails anyway */
  size_t room = wk->evcap - wk->nev;
  size_t n = m->events(params, wk->state, wk->ev + wk->nev, room);
  if (n > room) {
    if (reserve_events(wk, n) < 0) {
      events_failed(wk, DDR_ENOMEM, rep, "out of memory for the %zu events of replication %llu", n,
                    (unsigned long long)rep);
      return;
    }
    size_t again = m->events(params, wk->state, wk->ev + wk->nev, n);
    if (again != n) {
      events_failed(wk, DDR_EINTERNAL, rep,
                    "model %s reported %zu events of replication %llu, then %zu", m->name, n,
                    (unsigned long long)rep, again);
      return;
    }
  }
  const ddr_event *ev = wk->ev + wk->nev;
  for (size_t j = 0; j < n; j++) {
    const char *bad = event_fault(ev, j, sh);
    if (bad) {
      events_failed(wk, DDR_EINTERNAL, rep,
                    "model %s reported %s in replication %llu: event %zu of kind %u, steps %d to "
                    "%d (%zu kinds, %zu steps)",
                    m->name, bad, (unsigned long long)rep, j, ev[j].kind, (int)ev[j].first,
                    (int)ev[j].last, sh->E, sh->T);
      return;
    }
  }
  wk->nev += n;
  re->n = n;
}

/* Put a batch's events in replication order into et->all and count them by
 * kind; the error of the earliest replication whose events failed, if any. */
static ddr_status gather_events(event_tally *et, worker *w, int nw, uint64_t first, uint64_t count,
                                ddr_error *err) {
  const worker *bad = NULL;
  for (int t = 0; t < nw; t++)
    if (w[t].evfail && (!bad || w[t].evfail_rep < bad->evfail_rep)) bad = &w[t];
  if (bad) return ddr_error_set(err, bad->evfail, NULL, 0, 0, NULL, "%s", bad->evwhy);
  et->off[0] = 0;
  for (uint64_t i = 0; i < count; i++) et->off[i + 1] = et->off[i] + et->rep[i].n;
  size_t total = (size_t)et->off[count];
  if (total > et->cap) {
    ddr_event *all = realloc(et->all, total * sizeof *all);
    if (!all)
      return ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL,
                           "out of memory for the %zu events of replications %llu to %llu", total,
                           (unsigned long long)first, (unsigned long long)(first + count - 1));
    et->all = all;
    et->cap = total;
  }
  for (uint64_t i = 0; i < count; i++) {
    const rep_events *re = &et->rep[i];
    ddr_event *dst = et->all + et->off[i];
    if (re->n) memcpy(dst, w[re->worker].ev + re->at, re->n * sizeof *dst);
    for (size_t j = 0; j < re->n; j++) {
      uint32_t k = dst[j].kind;
      et->sum[k].events++;
      if (et->seen[k] != first + i + 1) {
        et->seen[k] = first + i + 1;
        et->sum[k].replications++;
      }
    }
  }
  return DDR_OK;
}

static void event_tally_free(event_tally *et) {
  free(et->rep);
  free(et->off);
  free(et->all);
  free(et->seen);
}

void ddr_results_free(ddr_results *res) {
  if (!res) return;
  free(res->events);
  free(res->mean);
  free(res->sd);
  free(res->quantiles);
  free(res->min);
  free(res->max);
  free(res->targets);
  free(res);
}

static void free_workers(worker *w, int n) {
  if (!w) return;
  for (int i = 0; i < n; i++) {
    free(w[i].state);
    free(w[i].inputs);
    free(w[i].row);
    free(w[i].ev);
  }
  free(w);
}

static worker *make_workers(const ddr_scenario *scn, int n, const shape *sh) {
  worker *w = calloc((size_t)n, sizeof *w);
  if (!w) return NULL;
  const ddr_model_type *m = ddr_scenario_model(scn);
  size_t ssize = m->state_size(ddr_scenario_params(scn));
  for (int i = 0; i < n; i++) {
    w[i].state = calloc(1, ssize ? ssize : 1);
    w[i].inputs = calloc(sh->K + 1, sizeof(double));
    w[i].row = calloc(sh->M + 1, sizeof(int32_t));
    if (!w[i].state || !w[i].inputs || !w[i].row ||
        (m->events && reserve_events(&w[i], EVENTS_PER_THREAD) < 0)) {
      free_workers(w, n);
      return NULL;
    }
  }
  return w;
}

/* Size every histogram from the range its cell takes in the first batch,
 * with some room on both sides, in one arena: a histogram grown value by
 * value would allocate and copy again and again. */
static ddr_status tally_size(tally *ty, const ddr_scenario *scn, const shape *sh,
                             const int32_t *series, uint64_t count, int nthreads, ddr_error *err) {
  size_t cells = sh->M * sh->T;
  int32_t *lo = malloc(cells * sizeof *lo);
  uint32_t *width = malloc(cells * sizeof *width);
  if (!lo || !width) {
    free(lo), free(width);
    return ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory in summaries");
  }
#pragma omp parallel for schedule(static) num_threads(nthreads)
  for (size_t c = 0; c < cells; c++) {
    int32_t a = series[c], b = series[c];
    for (uint64_t i = 1; i < count; i++) {
      int32_t v = series[i * cells + c];
      a = v < a ? v : a;
      b = v > b ? v : b;
    }
    int64_t margin = ((int64_t)b - a) / 8 + 8;
    int64_t l = (int64_t)a - margin, h = (int64_t)b + margin + 1;
    if (l < INT32_MIN) l = INT32_MIN;
    if (h > (int64_t)INT32_MAX + 1) h = (int64_t)INT32_MAX + 1;
    lo[c] = (int32_t)l;
    width[c] = (uint32_t)(h - l);
  }
  size_t total = 0, widest = 0;
  for (size_t c = 0; c < cells; c++) {
    total += width[c];
    if (width[c] > width[widest]) widest = c;
  }
  ddr_status st = DDR_OK;
  if (total * sizeof(uint32_t) > DDR_TALLY_BUDGET) {
    char day[16];
    ddr_date_format(ddr_calendar_step_last(ddr_scenario_calendar(scn), (int)(widest % sh->T)), day,
                    sizeof day);
    st = ddr_error_set(err, DDR_ENOMEM, ddr_scenario_file(scn), 0, 0, NULL,
                       "exact summaries would need %.1f GB: values spread too widely (%s on %s "
                       "ranges over %u values); narrow the distributions or shorten the horizon",
                       (double)total * sizeof(uint32_t) / 1e9,
                       ddr_scenario_metric(scn, widest / sh->T)->name, day, width[widest]);
  } else {
    ty->arena_bytes = total * sizeof(uint32_t);
    ty->arena = ddr_big_alloc(ty->arena_bytes);
    if (!ty->arena)
      st = ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory in summaries");
    else
      for (size_t c = 0, at = 0; c < cells; at += width[c], c++)
        ddr_hist_borrow(&ty->hist[c], lo[c], width[c], ty->arena + at);
  }
  free(lo);
  free(width);
  return st;
}

#if defined(__GNUC__)
#define prefetch(p) __builtin_prefetch(p)
#else
#define prefetch(p) ((void)(p))
#endif

#define TALLY_BLOCK 16  /* cells: one cache line of a replication's row */
#define TALLY_ROWS  512 /* replications gathered at a time */

/* Add a batch to the histograms. Cells are visited in blocks of one cache
 * line of the batch's rows; the block's values of a few hundred
 * replications are first gathered cell by cell, then each cell's are added
 * at once, its histogram staying in the nearest cache (adding row by row
 * touched the 16 histograms in turn, each a few kilobytes, and missed).
 * Returns nonzero when out of memory. */
static ddr_status tally_batch(tally *ty, const ddr_scenario *scn, const shape *sh,
                              const int32_t *series, const ddr_outcome *outcomes, uint64_t count,
                              int nthreads, ddr_error *err) {
  size_t cells = sh->M * sh->T;
  ddr_status st;
  if (!ty->arena && count > 0 && (st = tally_size(ty, scn, sh, series, count, nthreads, err)))
    return st;
  size_t nblocks = (cells + TALLY_BLOCK - 1) / TALLY_BLOCK;
  int failed = 0;
#pragma omp parallel for schedule(dynamic, 8) reduction(| : failed) num_threads(nthreads)
  for (size_t b = 0; b < nblocks; b++) {
    size_t c0 = b * TALLY_BLOCK, nc = c0 + TALLY_BLOCK < cells ? TALLY_BLOCK : cells - c0;
    int32_t col[TALLY_BLOCK][TALLY_ROWS];
    for (uint64_t i0 = 0; i0 < count; i0 += TALLY_ROWS) {
      size_t n = count - i0 < TALLY_ROWS ? (size_t)(count - i0) : TALLY_ROWS;
      for (size_t i = 0; i < n; i++) {
        const int32_t *row = series + (i0 + i) * cells + c0;
        /* rows lie a replication apart, too far for the hardware to guess */
        if (i0 + i + 8 < count) prefetch(row + 8 * cells);
        for (size_t c = 0; c < nc; c++) col[c][i] = row[c];
      }
      for (size_t c = 0; c < nc; c++) failed |= ddr_hist_add_many(&ty->hist[c0 + c], col[c], n);
    }
  }
  for (uint64_t i = 0; i < count; i++)
    for (size_t g = 0; g < sh->G; g++) {
      const ddr_outcome *oc = &outcomes[i * sh->G + g];
      ty->met[g] += oc->met;
      failed |=
          ddr_hist_add(&ty->reach[g], oc->step_reached < 0 ? (int32_t)sh->T : oc->step_reached);
    }
  return failed ? ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory in summaries")
                : DDR_OK;
}

ddr_status ddr_tally_add_batch(ddr_tally *t, const ddr_scenario *scn, const ddr_batch *b,
                               int threads, ddr_error *err) {
  shape sh = shape_of(scn);
  if (!b->series || b->nmetrics != sh.M || b->nsteps != sh.T || b->ntargets != sh.G ||
      t->nmetrics != sh.M || t->nsteps != sh.T || t->ntargets != sh.G || t->nevent_kinds != sh.E)
    return ddr_error_set(err, DDR_EINTERNAL, NULL, 0, 0, NULL,
                         "a batch without series, or of another shape than the tally's");
  int nw = threads > 0 ? threads : omp_get_max_threads();
  uint64_t *seen = calloc(sh.E + 1, sizeof *seen); /* replication + 1 last counted, by kind */
  if (!seen) return ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory");
  ddr_status st = DDR_OK;
  for (uint64_t i = 0; b->event_off && i < b->count && !st; i++)
    for (uint64_t j = b->event_off[i]; j < b->event_off[i + 1]; j++) {
      uint32_t k = b->events[j].kind;
      if (k >= sh.E) {
        st = ddr_error_set(err, DDR_EINPUT, NULL, 0, 0, NULL,
                           "replication %llu has an event of kind %u; the scenario has %zu kinds",
                           (unsigned long long)(b->first + i), k, sh.E);
        break;
      }
      t->events[k].events++;
      if (seen[k] != b->first + i + 1) t->events[k].replications++, seen[k] = b->first + i + 1;
    }
  free(seen);
  if (!st) st = tally_batch(t, scn, &sh, b->series, b->outcomes, b->count, nw, err);
  if (!st) t->replications += b->count;
  return st;
}

/* Type-7 quantile of the reach histogram, where the value nsteps stands for
 * "never reached": a quantile that touches it is never (NAN). */
static double reach_quantile(const ddr_hist *h, double p, size_t T, int step_days) {
  if (h->n == 0) return NAN;
  double pos = (double)(h->n - 1) * p;
  uint64_t k = (uint64_t)floor(pos);
  double frac = pos - (double)k;
  double lo = ddr_hist_order_stat(h, k);
  double hi = frac > 0 && k + 1 < h->n ? ddr_hist_order_stat(h, k + 1) : lo;
  if (lo >= (double)T || hi >= (double)T) return NAN;
  double step = frac >= 0.5 ? hi - (hi - lo) * (1 - frac) : lo + (hi - lo) * frac;
  return (step + 1) * step_days - 1; /* last day of the step, days since start */
}

ddr_status ddr_engine_summarise(const ddr_scenario *scn, const ddr_tally *ty, int threads,
                                ddr_results **out, ddr_error *err) {
  shape s = shape_of(scn), *sh = &s;
  if (ty->nmetrics != sh->M || ty->nsteps != sh->T || ty->ntargets != sh->G ||
      ty->nevent_kinds != sh->E)
    return ddr_error_set(err, DDR_EINTERNAL, NULL, 0, 0, NULL,
                         "a tally of another shape than the scenario's");
  int nw = threads > 0 ? threads : omp_get_max_threads();
  uint64_t n = ty->replications;
  ddr_results *res = calloc(1, sizeof *res);
  size_t cells = sh->M * sh->T;
  if (!res) goto nomem;
  res->replications = n;
  res->nmetrics = sh->M, res->nsteps = sh->T, res->ntargets = sh->G;
  res->mean = calloc(cells + 1, sizeof(double));
  res->sd = calloc(cells + 1, sizeof(double));
  res->quantiles = calloc(cells * DDR_NQUANTILES + 1, sizeof(double));
  res->min = calloc(cells + 1, sizeof(int32_t));
  res->max = calloc(cells + 1, sizeof(int32_t));
  res->targets = calloc(sh->G + 1, sizeof(ddr_target_summary));
  res->nevent_kinds = sh->E;
  res->events = calloc(sh->E + 1, sizeof(ddr_event_summary));
  if (!res->mean || !res->sd || !res->quantiles || !res->min || !res->max || !res->targets ||
      !res->events)
    goto nomem;
  if (sh->E) memcpy(res->events, ty->events, sh->E * sizeof *res->events);
#pragma omp parallel for schedule(dynamic, 64) num_threads(nw)
  for (size_t c = 0; c < cells; c++) {
    const ddr_hist *h = &ty->hist[c];
    ddr_hist_summary(h, &res->mean[c], &res->sd[c], res->quantiles + c * DDR_NQUANTILES);
    res->min[c] = n ? ddr_hist_order_stat(h, 0) : 0;
    res->max[c] = n ? ddr_hist_order_stat(h, n - 1) : 0;
  }
  int step_days = ddr_scenario_calendar(scn)->step_days;
  for (size_t g = 0; g < sh->G; g++) {
    const ddr_hist *h = &ty->reach[g];
    ddr_target_summary *ts = &res->targets[g];
    ts->met = ty->met[g];
    ts->prob = n ? (double)ty->met[g] / (double)n : NAN;
    ddr_wilson95(ty->met[g], n, &ts->lo, &ts->hi);
    ts->reached = n - (h->n && h->lo <= (int32_t)sh->T && (int64_t)h->lo + h->width > (int64_t)sh->T
                           ? h->count[sh->T - (size_t)h->lo]
                           : 0);
    for (int q = 0; q < DDR_NQUANTILES; q++)
      ts->day_q[q] = reach_quantile(h, ddr_quantile_levels[q], sh->T, step_days);
  }
  *out = res;
  return DDR_OK;
nomem:
  ddr_results_free(res);
  return ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory while summarising");
}

/* Replications per batch: a multiple of 256 (the result file's chunk rows)
 * keeping the batch's series near 32 MB. */
static uint64_t batch_size(const shape *sh, uint64_t requested) {
  if (requested) return requested;
  uint64_t per = (uint64_t)(sh->M * sh->T) * sizeof(int32_t) + 1;
  uint64_t b = (32u << 20) / per;
  if (b >= 256) b = b / 256 * 256; /* whole chunks of the result file's series */
  return b < 1 ? 1 : b > 4096 ? 4096 : b;
}

ddr_status ddr_engine_run_tally(const ddr_scenario *scn, const ddr_run_options *opt,
                                const ddr_sink *sink, ddr_tally **out, ddr_error *err) {
  shape sh = shape_of(scn);
  int nw = opt->threads > 0 ? opt->threads : omp_get_max_threads();
  uint64_t N = opt->replications, B = batch_size(&sh, opt->batch_size), R0 = opt->first;
  if (B > N && N > 0) B = N;
  ddr_status st = DDR_OK;
  tally *ty = ddr_tally_create(sh.M, sh.T, sh.G, sh.E);
  int events = ddr_scenario_model(scn)->events != NULL;
  event_tally et = {events ? calloc(B + 1, sizeof(rep_events)) : NULL,
                    events ? calloc(B + 1, sizeof(uint64_t)) : NULL,
                    NULL,
                    0,
                    calloc(sh.E + 1, sizeof(uint64_t)),
                    ty ? ty->events : NULL};
  worker *w = make_workers(scn, nw, &sh);
  double *binputs = calloc(B * sh.Ku + 1, sizeof(double));
  ddr_outcome *boutcomes = calloc(B * sh.G + 1, sizeof(ddr_outcome));
  size_t bseries_bytes = (B * sh.M * sh.T + 1) * sizeof(int32_t);
  int32_t *bseries = ddr_big_alloc(bseries_bytes);
  *out = NULL;
  if (!ty || !w || !binputs || !boutcomes || !bseries || (events && (!et.rep || !et.off)) ||
      !et.seen || !et.sum) {
    st = ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL,
                       "out of memory setting up %d threads and batches of %llu", nw,
                       (unsigned long long)B);
    goto done;
  }
  const ddr_inputs *in = ddr_scenario_inputs(scn);
  for (uint64_t first = 0; first < N; first += B) {
    uint64_t count = N - first < B ? N - first : B;
    for (int t = 0; t < nw; t++) w[t].nev = 0;
#pragma omp parallel for schedule(dynamic, 1) num_threads(nw)
    for (uint64_t i = 0; i < count; i++) {
      if (opt->stop && *opt->stop) continue; /* asked to stop: skip the rest of the batch */
      worker *wk = &w[omp_get_thread_num()];
      int32_t *series = bseries + i * sh.M * sh.T;
      run_replication(scn, opt->seed, R0 + first + i, wk->state, wk->inputs, series, wk->row, sh.M,
                      sh.T);
      for (size_t k = 0; k < sh.Ku; k++)
        binputs[i * sh.Ku + k] = wk->inputs[ddr_inputs_uncertain_index(in, k)];
      evaluate_targets(scn, series, sh.T, boutcomes + i * sh.G);
      if (events) collect_events(scn, wk, R0 + first + i, &sh, &et.rep[i]);
    }
    if (opt->stop && *opt->stop) {
      st = ddr_error_set(err, DDR_EINTERRUPT, NULL, 0, 0, NULL,
                         "interrupted after %llu of %llu replications", (unsigned long long)first,
                         (unsigned long long)N);
      goto done;
    }
    if (events && (st = gather_events(&et, w, nw, R0 + first, count, err))) goto done;
    if ((st = tally_batch(ty, scn, &sh, bseries, boutcomes, count, nw, err))) goto done;
    ty->replications = first + count;
    if (sink && sink->batch) {
      ddr_batch b = {.first = R0 + first,
                     .count = count,
                     .ninputs = sh.Ku,
                     .inputs = binputs,
                     .ntargets = sh.G,
                     .outcomes = boutcomes,
                     .nmetrics = sh.M,
                     .nsteps = sh.T,
                     .series = opt->keep_series ? bseries : NULL,
                     .event_off = events ? et.off : NULL,
                     .events = et.all};
      if ((st = sink->batch(sink->ctx, &b, err))) goto done;
    }
    if (opt->progress) opt->progress(opt->progress_ctx, first + count, N);
  }
  *out = ty;
  ty = NULL;
done:
  ddr_tally_free(ty);
  event_tally_free(&et);
  free_workers(w, nw);
  free(binputs);
  free(boutcomes);
  ddr_big_free(bseries, bseries_bytes);
  return st;
}

ddr_status ddr_engine_run(const ddr_scenario *scn, const ddr_run_options *opt, const ddr_sink *sink,
                          ddr_results **out, ddr_error *err) {
  ddr_tally *t = NULL;
  *out = NULL;
  ddr_status st = ddr_engine_run_tally(scn, opt, sink, &t, err);
  if (!st) st = ddr_engine_summarise(scn, t, opt->threads, out, err);
  ddr_tally_free(t);
  return st;
}

ddr_status ddr_engine_run_one(const ddr_scenario *scn, uint64_t seed, uint64_t rep, int32_t *series,
                              ddr_error *err) {
  shape sh = shape_of(scn);
  worker *w = make_workers(scn, 1, &sh);
  if (!w) return ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory");
  run_replication(scn, seed, rep, w->state, w->inputs, series, w->row, sh.M, sh.T);
  free_workers(w, 1);
  return DDR_OK;
}

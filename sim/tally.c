/* Tallies: the exact integer histograms and counts a run's summaries are
 * made from (ddr_tally, engine.h). They add up: tallies of disjoint
 * replications merged, in this process or across processes through their
 * counts as one array, give the summaries of all the replications, bit for
 * bit. The engine fills them (engine.c); merge and MPI runs add them. */
#include "ddrsim/engine.h"

#include <stdint.h>
#include <stdlib.h>

#include "bigmem.h"
#include "tally.h"

ddr_tally *ddr_tally_create(size_t nmetrics, size_t nsteps, size_t ntargets, size_t nevent_kinds) {
  ddr_tally *t = calloc(1, sizeof *t);
  if (!t) return NULL;
  t->nmetrics = nmetrics, t->nsteps = nsteps, t->ntargets = ntargets;
  t->nevent_kinds = nevent_kinds;
  t->hist = calloc(nmetrics * nsteps + 1, sizeof *t->hist);
  t->reach = calloc(ntargets + 1, sizeof *t->reach);
  t->met = calloc(ntargets + 1, sizeof *t->met);
  t->events = calloc(nevent_kinds + 1, sizeof *t->events);
  if (!t->hist || !t->reach || !t->met || !t->events) {
    ddr_tally_free(t);
    return NULL;
  }
  return t;
}

void ddr_tally_free(ddr_tally *t) {
  if (!t) return;
  if (t->hist)
    for (size_t c = 0; c < t->nmetrics * t->nsteps; c++) ddr_hist_release(&t->hist[c]);
  if (t->reach)
    for (size_t g = 0; g < t->ntargets; g++) ddr_hist_release(&t->reach[g]);
  free(t->hist);
  free(t->reach);
  free(t->met);
  free(t->events);
  ddr_big_free(t->arena, t->arena_bytes);
  free(t);
}

ddr_status ddr_tally_reserve(ddr_tally *t, const int32_t *lo, const int32_t *hi, ddr_error *err) {
  size_t mt = t->nmetrics * t->nsteps, C = mt + t->ntargets, total = 0;
  for (size_t c = 0; c < C; c++)
    if (lo[c] <= hi[c]) total += (size_t)((int64_t)hi[c] - lo[c] + 1);
  if (total * sizeof(uint32_t) > DDR_TALLY_BUDGET)
    return ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL,
                         "exact summaries would need %.1f GB: values spread too widely",
                         (double)total * sizeof(uint32_t) / 1e9);
  if (t->arena || !total) return DDR_OK;
  /* one allocation for all, on huge pages: a histogram each would fault in
   * page after page */
  if (!(t->arena = ddr_big_alloc(total * sizeof(uint32_t))))
    return ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory in summaries");
  t->arena_bytes = total * sizeof(uint32_t);
  for (size_t c = 0, at = 0; c < C; c++) {
    if (lo[c] > hi[c]) continue;
    uint32_t w = (uint32_t)((int64_t)hi[c] - lo[c] + 1);
    ddr_hist_borrow(c < mt ? &t->hist[c] : &t->reach[c - mt], lo[c], w, t->arena + at);
    at += w;
  }
  return DDR_OK;
}

ddr_status ddr_tally_merge(ddr_tally *dst, const ddr_tally *src, ddr_error *err) {
  if (dst->nmetrics != src->nmetrics || dst->nsteps != src->nsteps ||
      dst->ntargets != src->ntargets || dst->nevent_kinds != src->nevent_kinds)
    return ddr_error_set(err, DDR_EINTERNAL, NULL, 0, 0, NULL, "tallies of different shapes");
  int failed = 0;
  size_t cells = dst->nmetrics * dst->nsteps;
  for (size_t c = 0; c < cells; c++) failed |= ddr_hist_merge(&dst->hist[c], &src->hist[c]);
  for (size_t g = 0; g < dst->ntargets; g++) {
    failed |= ddr_hist_merge(&dst->reach[g], &src->reach[g]);
    dst->met[g] += src->met[g];
  }
  for (size_t k = 0; k < dst->nevent_kinds; k++) {
    dst->events[k].events += src->events[k].events;
    dst->events[k].replications += src->events[k].replications;
  }
  dst->replications += src->replications;
  return failed ? ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory in summaries")
                : DDR_OK;
}

/* Cell c: the metrics' histograms, then the targets' reach. */
static ddr_hist *cell(const ddr_tally *t, size_t c) {
  size_t mt = t->nmetrics * t->nsteps;
  return c < mt ? &t->hist[c] : &t->reach[c - mt];
}

void ddr_tally_range(const ddr_tally *t, int32_t *lo, int32_t *hi) {
  size_t C = t->nmetrics * t->nsteps + t->ntargets;
  for (size_t c = 0; c < C; c++) {
    const ddr_hist *h = cell(t, c);
    if (!h->n) continue;
    if (h->vmin < lo[c]) lo[c] = h->vmin;
    if (h->vmax > hi[c]) hi[c] = h->vmax;
  }
}

ddr_status ddr_tally_counts(ddr_tally *t, uint32_t **counts, size_t *n, ddr_error *err) {
  size_t C = t->nmetrics * t->nsteps + t->ntargets;
  /* the histograms must still lie in the arena, one after the other */
  for (size_t c = 0, at = 0; c < C; c++) {
    const ddr_hist *h = cell(t, c);
    if (!h->count) continue;
    if (!h->borrowed || h->count != t->arena + at)
      return ddr_error_set(err, DDR_EINTERNAL, NULL, 0, 0, NULL,
                           "a histogram of the tally has outgrown its reserved range");
    at += h->width;
  }
  *counts = t->arena;
  *n = t->arena_bytes / sizeof(uint32_t);
  return DDR_OK;
}

void ddr_tally_recount(ddr_tally *t) {
  size_t C = t->nmetrics * t->nsteps + t->ntargets;
#pragma omp parallel for schedule(dynamic, 256)
  for (size_t c = 0; c < C; c++) {
    ddr_hist *h = cell(t, c);
    h->n = 0;
    for (uint32_t i = 0; h->count && i < h->width; i++) {
      uint32_t k = h->count[i];
      if (!k) continue;
      int32_t v = (int32_t)((int64_t)h->lo + i);
      if (!h->n) h->vmin = v;
      h->vmax = v;
      h->n += k;
    }
  }
}

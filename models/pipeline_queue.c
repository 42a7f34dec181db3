/* FCFS queues of counts with exact random removals (see pipeline_queue.h). */
#include "pipeline_queue.h"

#include <string.h>

void pq_push(pq *q, int t, size_t g, uint32_t n) {
  if (!n) return;
  uint32_t *b = q->cell + (size_t)t * (q->G + 1);
  b[g] += n;
  b[q->G] += n;
  q->ns->queued += n;
}

/* Skip empty buckets at the head. */
static void advance_head(pq *q, int t) {
  while (q->ns->qhead < t && q->cell[(size_t)q->ns->qhead * (q->G + 1) + q->G] == 0) q->ns->qhead++;
}

void pq_take(pq *q, int t, uint32_t k, ddr_stream *s, uint32_t *out) {
  size_t G = q->G;
  memset(out, 0, G * sizeof *out);
  if (k > q->ns->queued) k = (uint32_t)q->ns->queued;
  q->ns->queued -= k;
  for (int b = q->ns->qhead; k > 0 && b <= t; b++) {
    uint32_t *cell = q->cell + (size_t)b * (G + 1);
    if (cell[G] == 0) continue;
    if (cell[G] <= k) { /* the whole bucket */
      for (size_t g = 0; g < G; g++) out[g] += cell[g], cell[g] = 0;
      k -= cell[G];
      cell[G] = 0;
      continue;
    }
    /* part of a bucket: who among the same step's arrivals comes first is
     * random, so the groups taken are multivariate hypergeometric */
    uint32_t took[PIPE_MAX_GROUPS];
    ddr_mv_hypergeometric(s, k, G, cell, took);
    for (size_t g = 0; g < G; g++) out[g] += took[g], cell[g] -= took[g];
    cell[G] -= k;
    k = 0;
  }
  advance_head(q, t);
}

uint32_t pq_group_total(const pq *q, int t, size_t g) {
  uint64_t n = 0;
  for (int b = q->ns->qhead; b <= t; b++) n += q->cell[(size_t)b * (q->G + 1) + g];
  return (uint32_t)n;
}

void pq_take_group(pq *q, int t, size_t g, uint32_t k) {
  size_t G = q->G;
  q->ns->queued -= k;
  for (int b = q->ns->qhead; k > 0 && b <= t; b++) {
    uint32_t *cell = q->cell + (size_t)b * (G + 1);
    uint32_t x = cell[g] < k ? cell[g] : k;
    cell[g] -= x;
    cell[G] -= x;
    k -= x;
  }
  advance_head(q, t);
}

void pq_lose(pq *q, int t, double p, ddr_stream *s, uint32_t *out) {
  size_t G = q->G;
  memset(out, 0, G * sizeof *out);
  if (p <= 0 || q->ns->queued == 0) return;
  /* Independent losses with probability p are, in law, a binomial number of
   * losses spread uniformly over the waiting people: one draw in the common
   * case of no loss, and exact. */
  uint32_t lost = ddr_binomial(s, p, (uint32_t)q->ns->queued);
  if (!lost) return;
  uint64_t rest = q->ns->queued;
  q->ns->queued -= lost;
  for (int b = q->ns->qhead; lost > 0 && b <= t; b++) {
    uint32_t *cell = q->cell + (size_t)b * (G + 1);
    for (size_t g = 0; g < G && lost > 0; g++) {
      if (!cell[g]) continue;
      uint32_t x = ddr_hypergeometric(s, cell[g], (uint32_t)(rest - cell[g]), lost);
      rest -= cell[g];
      cell[g] -= x;
      cell[G] -= x;
      out[g] += x;
      lost -= x;
    }
  }
  advance_head(q, t);
}

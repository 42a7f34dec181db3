/* First-come-first-served queues of counts, by arrival step and group, with
 * exact random removals. Private to the pipeline model. */
#ifndef DDRSIM_PIPELINE_QUEUE_H
#define DDRSIM_PIPELINE_QUEUE_H

#include <stdint.h>
#include "ddrsim/rng.h"
#include "pipeline_impl.h"

/* A view of one node's queue inside the replication state: cell[b*(G+1)+g]
 * holds the people of group g who arrived in step b; cell[b*(G+1)+G] is the
 * bucket's total. */
typedef struct pq {
  uint32_t *cell;
  size_t G;
  node_s *ns; /* queued and qhead live here */
} pq;

void pq_push(pq *q, int t, size_t g, uint32_t n);
/* Take k people, oldest first (within a step in random order); out[g]. */
void pq_take(pq *q, int t, uint32_t k, ddr_stream *s, uint32_t *out);
/* Take k people of group g only, oldest first. */
void pq_take_group(pq *q, int t, size_t g, uint32_t k);
/* Everyone waiting of group g. */
uint32_t pq_group_total(const pq *q, int t, size_t g);
/* Each waiting person leaves with probability p; out[g] who left. */
void pq_lose(pq *q, int t, double p, ddr_stream *s, uint32_t *out);

#endif

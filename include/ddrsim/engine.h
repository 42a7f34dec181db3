/* The Monte Carlo driver: runs a scenario's replications in batches across
 * OpenMP threads, feeds each batch to an output store and summarises.
 *
 * Replication r's numbers depend only on (scenario, seed, r), so the results
 * are the same bits for any thread count; batches are handed to the store in
 * replication order.
 *
 * Events. When the model has an `events` operation, the engine asks it for
 * each replication's events after the replication's last step, into a buffer
 * of each thread's that it grows between calls (a model never allocates), and
 * hands them to the sink with the batch, in replication order. It checks each
 * event: kind < ddr_scenario_event_kind_count, first < nsteps (a negative
 * first step: it began before the start date and was still going on),
 * first <= last (last may lie past the horizon), and events in the order
 * they began (first never decreasing); a model breaking this fails the run
 * with DDR_EINTERNAL, naming the replication. */
#ifndef DDRSIM_ENGINE_H
#define DDRSIM_ENGINE_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include "ddrsim/scenario.h"
#include "ddrsim/stats.h"
#include "ddrsim/status.h"

#define DDR_DEFAULT_SEED 2531u /* after resolution 2531 (2020); documented in the man page */
/* The most replications a run may have: histogram counts are 32-bit. */
#define DDR_MAX_REPLICATIONS 4000000000ull

/* Outcome of a target in one replication. */
typedef struct ddr_outcome {
  uint8_t met;          /* metric >= threshold at the end of the deadline's step */
  int32_t step_reached; /* first step with metric >= threshold, -1 if never */
} ddr_outcome;

/* What one batch of replications produced, in replication order. */
typedef struct ddr_batch {
  uint64_t first, count; /* replications [first, first + count) */
  size_t ninputs;        /* uncertain inputs recorded per replication */
  const double *inputs;  /* [count][ninputs] sampled uncertain inputs */
  size_t ntargets;
  const ddr_outcome *outcomes; /* [count][ntargets] */
  size_t nmetrics, nsteps;
  const int32_t *series; /* [count][nmetrics][nsteps], NULL unless full store */
  /* Events: replication first + i's are events[event_off[i] .. event_off[i + 1]),
   * in the order they began; event_off[count] is the batch's total. event_off
   * is NULL when the model has no events operation (no events). */
  const uint64_t *event_off; /* [count + 1] */
  const ddr_event *events;
} ddr_batch;

/* Summaries of a run. */
typedef struct ddr_target_summary {
  uint64_t met;        /* replications meeting the target */
  double prob, lo, hi; /* probability and 95% Wilson interval */
  uint64_t reached;    /* replications where it was reached within the horizon */
  /* quantiles of the day it is reached (days since start, end of step, with
   * linear interpolation); NAN where the quantile falls among "never". */
  double day_q[DDR_NQUANTILES];
} ddr_target_summary;

/* Events of one kind over all replications: mean events per replication is
 * events / replications of the run, the share with at least one
 * replications / replications of the run. */
typedef struct ddr_event_summary {
  uint64_t replications; /* replications with at least one event of the kind */
  uint64_t events;       /* events of the kind in all replications */
} ddr_event_summary;

typedef struct ddr_results {
  uint64_t replications;
  size_t nmetrics, nsteps, ntargets;
  double *mean, *sd;  /* [nmetrics][nsteps] */
  double *quantiles;  /* [nmetrics][nsteps][DDR_NQUANTILES] */
  int32_t *min, *max; /* [nmetrics][nsteps] */
  ddr_target_summary *targets;
  size_t nevent_kinds;
  ddr_event_summary *events; /* [nevent_kinds], by kind */
} ddr_results;

void ddr_results_free(ddr_results *res);

/* Where batches and results go; a pluggable output (HDF5 file, memory...). */
typedef struct ddr_sink {
  void *ctx;
  ddr_status (*batch)(void *ctx, const ddr_batch *b, ddr_error *err);
} ddr_sink;

typedef struct ddr_run_options {
  uint64_t seed;
  uint64_t replications;
  int threads;         /* 0: OpenMP's default */
  int keep_series;     /* fill ddr_batch.series */
  uint64_t batch_size; /* replications per batch; 0: automatic */
  /* Called after each batch from the calling thread. */
  void (*progress)(void *ctx, uint64_t done, uint64_t total);
  void *progress_ctx;
  /* Set asynchronously (signal handler) to stop after the current batch. */
  volatile sig_atomic_t *stop;
  /* First replication run: the run covers [first, first + replications),
   * one shard of a larger run; 0 for a whole run. */
  uint64_t first;
} ddr_run_options;

/* What the summaries of a run are made from: exact integer histograms and
 * counts, which add up. Tallies of disjoint ranges of replications merged
 * (ddr_tally_merge) give the very summaries a run of their union gives, bit
 * for bit: the summaries read only counts, never the order they came in. */
typedef struct ddr_tally {
  uint64_t replications; /* replications tallied */
  size_t nmetrics, nsteps, ntargets, nevent_kinds;
  ddr_hist *hist;            /* [nmetrics * nsteps]: metric k at step t is hist[k * nsteps + t] */
  ddr_hist *reach;           /* [ntargets]: first step reaching the threshold, nsteps if never */
  uint64_t *met;             /* [ntargets] replications meeting the target */
  ddr_event_summary *events; /* [nevent_kinds] */
  uint32_t *arena;           /* storage the histograms borrow (private) */
  size_t arena_bytes;
} ddr_tally;

/* An empty tally of that shape; NULL when out of memory. */
ddr_tally *ddr_tally_create(size_t nmetrics, size_t nsteps, size_t ntargets, size_t nevent_kinds);
void ddr_tally_free(ddr_tally *t);
/* Give an empty tally's histograms room for the values lo[c] .. hi[c] of
 * each cell c (the metric cells, then the targets' reach; lo > hi: none), in
 * one allocation, before adding tallies to it. */
ddr_status ddr_tally_reserve(ddr_tally *t, const int32_t *lo, const int32_t *hi, ddr_error *err);
/* dst += src (tallies of disjoint replications, of the same shape). */
ddr_status ddr_tally_merge(ddr_tally *dst, const ddr_tally *src, ddr_error *err);
/* Widen lo[c] / hi[c] to the values each cell of t holds (the metric cells,
 * then the targets' reach), for ddr_tally_reserve: the union of several
 * tallies' ranges, also across processes. */
void ddr_tally_range(const ddr_tally *t, int32_t *lo, int32_t *hi);
/* A reserved tally's counts as one array, its histograms' one after the
 * other (*counts NULL, *n 0 when no cell holds a value), so that tallies
 * reserved with the same ranges add up element by element outside the
 * engine (MPI_Reduce). After changing them call ddr_tally_recount. */
ddr_status ddr_tally_counts(ddr_tally *t, uint32_t **counts, size_t *n, ddr_error *err);
/* Make each histogram's number of values and smallest and largest value
 * agree with its counts again. The met and event counts and replications
 * are the caller's to add. */
void ddr_tally_recount(ddr_tally *t);

/* Add a batch read back from a file run with --store full (its series,
 * outcomes and events) to t, as the run that made it did: the tally of a
 * file that kept none. */
ddr_status ddr_tally_add_batch(ddr_tally *t, const ddr_scenario *scn, const ddr_batch *b,
                               int threads, ddr_error *err);

/* Run replications [opt->first, opt->first + opt->replications), hand their
 * batches to sink (may be NULL) and return their tally in *out. */
ddr_status ddr_engine_run_tally(const ddr_scenario *scn, const ddr_run_options *opt,
                                const ddr_sink *sink, ddr_tally **out, ddr_error *err);

/* The summaries of a tally (of a whole run, or of shards merged), on threads
 * threads (0: OpenMP's default). ddr_engine_run ends here too. */
ddr_status ddr_engine_summarise(const ddr_scenario *scn, const ddr_tally *t, int threads,
                                ddr_results **out, ddr_error *err);

/* Run replications and summarise them into *out. sink may be NULL. */
ddr_status ddr_engine_run(const ddr_scenario *scn, const ddr_run_options *opt, const ddr_sink *sink,
                          ddr_results **out, ddr_error *err);

/* Run one replication alone, writing its series [nmetrics][nsteps] (for
 * tests and tools); its inputs are sampled as in a full run. */
ddr_status ddr_engine_run_one(const ddr_scenario *scn, uint64_t seed, uint64_t rep, int32_t *series,
                              ddr_error *err);

#endif

/* Result files: writing a run to HDF5 safely, and reading it back.
 *
 * A run is written under a temporary name beside the output path and renamed
 * over it only when complete, so a crash never leaves a half-written file
 * under the real name; an existing file is never replaced unless forced.
 * The layout is documented in docs/file-format.md. */
#ifndef DDRSIM_STORE_H
#define DDRSIM_STORE_H

#include <stddef.h>
#include <stdint.h>
#include "ddrsim/calendar.h"
#include "ddrsim/engine.h"
#include "ddrsim/inputs.h"
#include "ddrsim/scenario.h"
#include "ddrsim/status.h"

#define DDR_FILE_FORMAT_VERSION 1 /* bumped on any incompatible layout change */

/* A scenario file as read, for the files a what-if scenario extends. */
typedef struct ddr_store_source {
  const char *file; /* path as opened */
  const char *text; /* verbatim */
  size_t text_len;
} ddr_store_source;

/* What is known before the run starts. */
typedef struct ddr_store_header {
  const char *scenario_name;
  const char *description;
  const char *scenario_file; /* path as given */
  const char *scenario_text; /* verbatim */
  size_t scenario_text_len;
  const char *resolved_text; /* after --set, as YAML */
  const ddr_calendar *cal;
  size_t ninputs; /* all inputs; only uncertain ones are sampled columns */
  const ddr_input *const *inputs;
  size_t nmetrics;
  const ddr_metric *const *metrics;
  size_t ntargets;
  const ddr_target *const *targets;
  int full;              /* --store full: per-replication series */
  uint64_t replications; /* planned; datasets are sized to it */
  /* Kinds of events (ddr_scenario_add_event_kind); none: no /events group */
  size_t nevent_kinds;
  const char *const *event_kind_names;
  const char *const *event_kind_labels; /* entries may be NULL */
  /* The files the scenario extends (`extends:`): its parent, then the
   * parent's parent...; 0 for a scenario without a parent. */
  size_t nparents;
  const ddr_store_source *parents;
  /* A part file (one shard of a larger run: ddrsim run --shard, or an MPI
   * rank's share): it holds replications [part->first, part->first +
   * replications) and, written by ddr_store_write_tally, their tally, so that
   * ddrsim merge can rebuild the whole run's summaries. NULL: a whole run. */
  const struct ddr_part_info *part;
} ddr_store_header;

/* Which shard a part file holds (/part in docs/file-format.md). */
typedef struct ddr_part_info {
  uint32_t shard, shards; /* shard (1-based) of shards */
  uint64_t first, count;  /* its replications: [first, first + count) */
  uint64_t total;         /* replications of the whole run */
  uint64_t seed;
} ddr_part_info;

/* The near-equal contiguous range of shard (1-based) of shards over total
 * replications: [*first, *first + *count). */
void ddr_part_range(uint64_t total, uint32_t shard, uint32_t shards, uint64_t *first,
                    uint64_t *count);

/* Provenance: the only part of a file allowed to differ between runs of the
 * same work. */
typedef struct ddr_run_info {
  const char *version; /* ddrsim version */
  uint64_t seed;
  uint64_t replications;
  int threads;
  char host[256];
  char started[32]; /* ISO 8601 UTC */
  double wall_seconds;
  const char *command_line;
} ddr_run_info;

typedef struct ddr_store ddr_store;

/* Start a result file. Fails with DDR_EEXIST if path exists and !force, with
 * DDR_EIO if its directory is missing or not writable or path is a
 * directory. */
ddr_status ddr_store_create(const char *path, int force, const ddr_store_header *hdr,
                            ddr_store **out, ddr_error *err);

/* Append one batch (replications in order), its events to the end of the
 * event table. */
ddr_status ddr_store_write_batch(ddr_store *st, const ddr_batch *b, ddr_error *err);

/* Write summaries and provenance, close and move into place; frees st. */
ddr_status ddr_store_finish(ddr_store *st, const ddr_results *res, const ddr_run_info *info,
                            ddr_error *err);

/* Write the tally of the file's replications, before ddr_store_finish: a
 * part file's /part/tally, or /tally in a whole run's file, which lets more
 * replications be added to it exactly (ddrsim run --extend). */
ddr_status ddr_store_write_tally(ddr_store *st, const ddr_tally *t, ddr_error *err);

/* Close and delete the temporary file; frees st. NULL is a no-op. */
void ddr_store_abort(ddr_store *st);

/* The temporary file being written (for a signal handler's last-resort
 * clean-up). */
const char *ddr_store_temp_path(const ddr_store *st);

/* A sink for ddr_engine_run that writes batches to st. */
ddr_sink ddr_store_sink(ddr_store *st);

/* ---- Reading ---- */

typedef struct ddr_resfile_target {
  char *id, *label, *metric;
  double threshold;
  int32_t deadline; /* day */
  ddr_target_summary s;
} ddr_resfile_target;

typedef struct ddr_resfile_event_kind {
  char *name, *label; /* label "" when none */
  ddr_event_summary s;
} ddr_resfile_event_kind;

/* A result file's header and summaries, loaded into memory (not the
 * per-replication datasets nor the event table). */
typedef struct ddr_resfile {
  char *path;
  char *group; /* NULL for a run file; a sweep point's group ("/points/0003") */
  int format_version, rng_version;
  char *version, *scenario_name, *description, *scenario_file, *scenario_text, *host, *started;
  uint64_t seed, replications;
  int threads;
  double wall_seconds;
  int full;
  ddr_calendar cal;
  size_t nmetrics, nsteps;
  char **metric_names, **metric_units;
  double *mean, *sd, *quantiles; /* as in ddr_results */
  size_t ntargets;
  ddr_resfile_target *targets;
  size_t nevent_kinds; /* 0 in a file without /events */
  ddr_resfile_event_kind *event_kinds;
} ddr_resfile;

/* Load a result file; clear errors for a missing file, a file that is not
 * HDF5 or not ddrsim's, a truncated one, or one from a newer format. */
ddr_status ddr_resfile_load(const char *path, ddr_resfile **out, ddr_error *err);
/* The same for the run in a group of a file: a sweep point ("/points/0003");
 * group NULL is the file's root. */
ddr_status ddr_resfile_load_group(const char *path, const char *group, ddr_resfile **out,
                                  ddr_error *err);
void ddr_resfile_free(ddr_resfile *rf);

/* Each replication's target results, [replications][ntargets] (either
 * array may be NULL): met by the deadline, and the first step the threshold
 * was reached (-1 if never within the horizon). */
ddr_status ddr_resfile_outcomes(const ddr_resfile *rf, uint8_t *met, int32_t *step_reached,
                                ddr_error *err);
/* One metric's series for every replication, [replications][nsteps]; only in
 * a file run with --store full (a clear error otherwise). */
ddr_status ddr_resfile_series(const ddr_resfile *rf, size_t metric, int32_t *out, ddr_error *err);
/* The scenario as run (/scenario/resolved: after extends and --set, as
 * YAML), malloc'd into *text. */
ddr_status ddr_resfile_resolved(const ddr_resfile *rf, char **text, ddr_error *err);

/* The sampled inputs of every replication (/inputs): the uncertain inputs'
 * key paths and the values they take ("a date": days since 1970-01-01), and
 * each replication's values. */
typedef struct ddr_resfile_inputs {
  size_t ncols;   /* uncertain (sampled) inputs */
  char **name;    /* [ncols] key paths, in column order */
  char **kind;    /* [ncols] "a probability in [0, 1]", "a date"... */
  double *values; /* [replications][ncols] */
} ddr_resfile_inputs;
ddr_status ddr_resfile_read_inputs(const ddr_resfile *rf, ddr_resfile_inputs **out, ddr_error *err);
void ddr_resfile_inputs_free(ddr_resfile_inputs *in);

/* The table of events (/events), one entry per event, in the file's order;
 * none (n = 0) in a file without /events. */
typedef struct ddr_resfile_events {
  size_t n;
  uint64_t *replication;
  uint32_t *kind;                                         /* index into rf->event_kinds */
  int32_t *first_step, *last_step, *first_day, *last_day; /* days since the start */
} ddr_resfile_events;
ddr_status ddr_resfile_read_events(const ddr_resfile *rf, ddr_resfile_events **out, ddr_error *err);
void ddr_resfile_events_free(ddr_resfile_events *ev);

#endif

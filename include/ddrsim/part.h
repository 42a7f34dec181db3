/* Reading part files: one shard of a run each (ddrsim run --shard, or an MPI
 * rank's share), joined by ddrsim merge into the file a run of all the
 * replications in one process writes.
 *
 * A part is read a block of replications at a time, as ddr_batch values the
 * store writes again, and its tally (the exact histograms and counts its
 * summaries come from) is read whole, so a merge never holds more than a
 * block of series. The layout of /part is in docs/file-format.md.
 *
 * A sweep part file (ddrsim sweep --shard) holds one such part per design
 * point, each in its point's group, and its own shard plan and design at the
 * top (ddr_sweep_part_*, sweep.h). */
#ifndef DDRSIM_PART_H
#define DDRSIM_PART_H

#include <stddef.h>
#include <stdint.h>

#include "ddrsim/engine.h"
#include "ddrsim/status.h"
#include "ddrsim/store.h"

typedef struct ddr_part ddr_part;

/* Open a part file; clear errors, naming the file, for a missing file, one
 * that is not a ddrsim result file, or a result file that is not a part. */
ddr_status ddr_part_open(const char *path, ddr_part **out, ddr_error *err);
/* The same for the part at group of a file: a point of a sweep part file
 * ("/points/0003"); group NULL is the file's root. */
ddr_status ddr_part_open_group(const char *path, const char *group, ddr_part **out, ddr_error *err);
/* The same for a part read for its rows alone, which may have no tally: the
 * hidden part of an MPI rank, whose tally went to rank 0 by MPI. */
ddr_status ddr_part_open_rows(const char *path, ddr_part **out, ddr_error *err);
/* A whole run's result file read as the one part of itself (replications 0
 * to n - 1 of n), for adding replications to it; its tally is /tally, when
 * it has one. A part file is refused. */
ddr_status ddr_part_open_whole(const char *path, ddr_part **out, ddr_error *err);
void ddr_part_close(ddr_part *p); /* NULL: no-op */
/* Does it hold its tally (a part's /part/tally, a whole file's /tally)? */
int ddr_part_has_tally(const ddr_part *p);

/* The part's name for messages: its file, or "FILE (point N)". */
const char *ddr_part_path(const ddr_part *p);
const ddr_part_info *ddr_part_info_of(const ddr_part *p);
int ddr_part_full(const ddr_part *p);             /* run with --store full */
const char *ddr_part_resolved(const ddr_part *p); /* /scenario/resolved */
/* The scenario's file and text, then each file it extends (/scenario/files
 * and /scenario/texts): n entries, the first the scenario itself. */
size_t ddr_part_sources(const ddr_part *p, const char *const **files, const char *const **texts);

/* Widen lo[c] / hi[c] to the values each of its tally's cells holds (the
 * metric cells, then the targets' reach: cells in all, else an error), for
 * ddr_tally_reserve. */
ddr_status ddr_part_tally_range(const ddr_part *p, size_t cells, int32_t *lo, int32_t *hi,
                                ddr_error *err);
/* t += its tally, without a tally of its own in memory. */
ddr_status ddr_part_add_tally(const ddr_part *p, ddr_tally *t, ddr_error *err);

/* Replications [first, first + count) of the part (absolute numbers) as a
 * batch whose arrays live in p until the next call. */
ddr_status ddr_part_read_batch(ddr_part *p, uint64_t first, uint64_t count, ddr_batch *b,
                               ddr_error *err);

#endif

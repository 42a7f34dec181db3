/* ddrsim run --checkpoint DIR (checkpoint.c): a long run in segments, each
 * kept in DIR as soon as it is done, so that a run killed at any moment
 * loses at most the segment it was in, and --resume goes on from there. */
#ifndef DDRSIM_CHECKPOINT_H
#define DDRSIM_CHECKPOINT_H

#include "ddrsim/engine.h"
#include "ddrsim/store.h"

typedef struct cli_checkpoint {
  const char *dir;
  uint64_t every; /* replications per segment; 0: automatic */
  int resume;     /* go on from the segments DIR holds */
  int keep_tally; /* the result keeps its tally (--extendable) */
} cli_checkpoint;

/* Run opt's replications (opt->first 0) of scn in segments of ck->every
 * into ck->dir, then join them into output as ddrsim merge does (the same
 * file, bit for bit, as a run without checkpoints) and remove the
 * checkpoint. hdr: the header of the whole run (hdr->replications the
 * run's); its part is set per segment. Without ck->resume, a directory
 * holding segments is refused; with it, segments of another run are. On
 * interruption (opt->stop) the finished segments stay for --resume. */
ddr_status cli_checkpoint_run(const cli_checkpoint *ck, const ddr_scenario *scn,
                              const ddr_store_header *hdr, const ddr_run_options *opt,
                              const char *output, int force, const char *command_line,
                              ddr_error *err);

#endif

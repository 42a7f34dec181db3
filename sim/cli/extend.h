/* ddrsim run --extend FILE -n MORE (extend.c): more replications added to a
 * finished run, as if they had all been run at once. */
#ifndef DDRSIM_EXTEND_H
#define DDRSIM_EXTEND_H

#include "ddrsim/engine.h"
#include "ddrsim/status.h"

typedef struct cli_extend {
  const char *file;   /* the finished run */
  const char *output; /* NULL: FILE, replaced once the new file is complete */
  uint64_t more;      /* replications to add */
  int force;          /* replace an existing output other than FILE */
  /* threads, progress and stop of the run (seed, replications, first and
   * series are FILE's) */
  const ddr_run_options *opt;
} cli_extend;

/* Add x->more replications to x->file's run. The result keeps its tally, so
 * that it can be extended again. */
ddr_status cli_extend_run(const cli_extend *x, const char *command_line, ddr_error *err);

#endif

/* Commands under mpirun (mpi_parts.c): each rank writes its shard as a
 * hidden part file beside the output, and rank 0 merges them (ddrsim run and
 * ddrsim sweep). */
#ifndef DDRSIM_MPI_PARTS_H
#define DDRSIM_MPI_PARTS_H

#include "ddrsim/status.h"
#include "run_mpi.h"

typedef struct cli_mpi_parts {
  char final[4096];  /* the output, written by rank 0's merge */
  char prefix[4096]; /* the parts' names but for "I-of-K"; "" until set up */
  char part[4096];   /* this rank's part file */
  /* Setup's first collective call, which every rank makes once: 0 not made
   * yet (a rank failing before setup makes it in finish, saying so), 1 made
   * and every rank came, -1 made and some rank had failed. Until it is made
   * no other collective call may be. */
  int gate;
} cli_mpi_parts;

/* This rank's share: shard rank + 1 of size, into the hidden part file
 * mp->part (named from rank 0's process id, the same on every rank). Refuses
 * --shard (sharded) and, unless force, an existing output; fails when a
 * rank failed before it. A collective call. */
ddr_status cli_mpi_parts_setup(const cli_mpi *m, cli_mpi_parts *mp, const char *output, int force,
                               int sharded, unsigned *shard, unsigned *shards, ddr_error *err);

/* After every rank's work (status: this rank's exit status): if all
 * succeeded, rank 0 merges the parts into the output and, unless quiet,
 * prints it; every rank removes its part; MPI ends. Returns the exit status. */
/* For a finish: when the gate was not passed, make the calls setup would
 * have (for a rank that failed before it) and return 1: no other collective
 * call may follow, only cli_mpi_end. */
int cli_mpi_parts_gate_closed(const cli_mpi *m, cli_mpi_parts *mp);
int cli_mpi_parts_finish(cli_mpi *m, cli_mpi_parts *mp, int status, int quiet, int force,
                         const char *cmdline);

#endif

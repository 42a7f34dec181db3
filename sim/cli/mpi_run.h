/* ddrsim run under mpirun (mpi_run.c): rank 0 writes the result file itself,
 * the other ranks their shares' rows to hidden part files beside it. */
#ifndef DDRSIM_MPI_RUN_H
#define DDRSIM_MPI_RUN_H

#include <time.h>

#include "ddrsim/engine.h"
#include "ddrsim/store.h"
#include "mpi_parts.h"

/* After each rank's run. status: the rank's exit status so far. On rank 0,
 * *store is the open result file holding rank 0's own replications (taken:
 * finished or removed here) and info its provenance, its wall time counted
 * from start; on the other ranks
 * *store is NULL and their part is written. tally: the rank's (NULL if it
 * failed). When every rank succeeded, the tallies are added up on rank 0,
 * which copies the other ranks' rows into its file, summarises and finishes
 * it (keeping the tally when keep_tally: --extendable), and unless quiet
 * prints its summary. Every rank removes its part, and
 * MPI ends. A collective call; returns the exit status. */
int cli_mpi_run_finish(cli_mpi *m, cli_mpi_parts *mp, int status, const ddr_scenario *scn, int full,
                       ddr_store **store, const ddr_tally *tally, ddr_run_info *info,
                       const struct timespec *start, int quiet, int keep_tally);

#endif

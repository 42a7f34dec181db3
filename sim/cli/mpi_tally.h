/* The ranks' tallies of an MPI run added up on rank 0 (mpi_tally.c). */
#ifndef DDRSIM_MPI_TALLY_H
#define DDRSIM_MPI_TALLY_H

#include "ddrsim/engine.h"
#include "ddrsim/status.h"
#include "run_mpi.h"

/* A collective call: every rank passes the tally of its replications; rank 0
 * gets in *total the tally of all of them (NULL on the other ranks). Fails on
 * every rank when it fails on one. */
ddr_status cli_mpi_tally_reduce(const cli_mpi *m, const ddr_tally *local, ddr_tally **total,
                                ddr_error *err);

#endif

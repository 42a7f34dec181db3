/* ddrsim run under mpirun: each rank runs its share of the replications
 * (shard rank + 1 of size) into a hidden part file beside the output, and
 * when every rank has succeeded rank 0 joins the parts with ddrsim merge's
 * code. A rank that fails or dies leaves nothing under the output name.
 * Without MPI (DDRSIM_MPI unset) these functions report a single process. */
#include "run_mpi.h"

#include <stdlib.h>

#ifdef DDRSIM_MPI
#include <mpi.h>
#endif

/* Launched by mpirun (OpenMPI, or a PMI launcher such as srun)? Only then
 * is MPI started, so that a plain run pays nothing for it. */
static int launched_by_mpi(void) {
  return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMI_SIZE") || getenv("PMIX_RANK");
}

int cli_mpi_start(cli_mpi *m, int *argc, char ***argv) {
  m->active = 0, m->rank = 0, m->size = 1;
#ifdef DDRSIM_MPI
  if (!launched_by_mpi()) return 0;
  int provided;
  if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) return -1;
  MPI_Comm_rank(MPI_COMM_WORLD, &m->rank);
  MPI_Comm_size(MPI_COMM_WORLD, &m->size);
  m->active = 1;
#else
  (void)argc, (void)argv;
  (void)launched_by_mpi;
#endif
  return 0;
}

int cli_mpi_all(const cli_mpi *m, int ok) {
#ifdef DDRSIM_MPI
  if (m->active) {
    int all = 0;
    MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_LAND, MPI_COMM_WORLD);
    return all;
  }
#endif
  (void)m;
  return ok;
}

int cli_mpi_from_root(const cli_mpi *m, int value) {
#ifdef DDRSIM_MPI
  if (m->active) MPI_Bcast(&value, 1, MPI_INT, 0, MPI_COMM_WORLD);
#endif
  (void)m;
  return value;
}

void cli_mpi_end(cli_mpi *m) {
#ifdef DDRSIM_MPI
  if (m->active) MPI_Finalize();
#endif
  m->active = 0;
}

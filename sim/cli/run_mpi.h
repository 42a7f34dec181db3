/* ddrsim run across MPI ranks (run_mpi.c). */
#ifndef DDRSIM_RUN_MPI_H
#define DDRSIM_RUN_MPI_H

typedef struct cli_mpi {
  int active;     /* MPI started: launched by mpirun in a build with MPI */
  int rank, size; /* 0 and 1 when not active */
} cli_mpi;

/* Start MPI when launched by mpirun; -1 if it could not start. */
int cli_mpi_start(cli_mpi *m, int *argc, char ***argv);
/* 1 when ok on every rank (a collective call). */
int cli_mpi_all(const cli_mpi *m, int ok);
/* Rank 0's value on every rank (a collective call). */
int cli_mpi_from_root(const cli_mpi *m, int value);
void cli_mpi_end(cli_mpi *m);

#endif

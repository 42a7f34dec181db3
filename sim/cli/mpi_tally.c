/* Adding up the ranks' tallies of an MPI run on rank 0, exactly: the ranks
 * agree on each cell's range of values (MPI_Allreduce of the smallest and
 * largest), each lays its counts out densely over those ranges, and the
 * counts are summed element by element (MPI_Reduce). Integer sums do not
 * depend on the order they are made in, so the summaries are those of a
 * run in one process, bit for bit, with no file in between. */
#include "mpi_tally.h"

#include <limits.h>
#include <stdlib.h>

#ifdef DDRSIM_MPI
#include <mpi.h>
#endif

#define REDUCE_CHUNK (1 << 26) /* elements per MPI call: counts are ints */

#ifdef DDRSIM_MPI
/* counts summed on rank 0, in chunks */
static int reduce_sum(void *buf, size_t n, MPI_Datatype type, size_t size, int root_rank) {
  char *p = buf;
  for (size_t at = 0; at < n; at += REDUCE_CHUNK) {
    int k = (int)(n - at < REDUCE_CHUNK ? n - at : REDUCE_CHUNK);
    int rc = root_rank
                 ? MPI_Reduce(MPI_IN_PLACE, p + at * size, k, type, MPI_SUM, 0, MPI_COMM_WORLD)
                 : MPI_Reduce(p + at * size, NULL, k, type, MPI_SUM, 0, MPI_COMM_WORLD);
    if (rc != MPI_SUCCESS) return -1;
  }
  return 0;
}

static int allreduce(void *buf, size_t n, MPI_Datatype type, size_t size, MPI_Op op) {
  char *p = buf;
  for (size_t at = 0; at < n; at += REDUCE_CHUNK) {
    int k = (int)(n - at < REDUCE_CHUNK ? n - at : REDUCE_CHUNK);
    if (MPI_Allreduce(MPI_IN_PLACE, p + at * size, k, type, op, MPI_COMM_WORLD) != MPI_SUCCESS)
      return -1;
  }
  return 0;
}
#endif

ddr_status cli_mpi_tally_reduce(const cli_mpi *m, const ddr_tally *local, ddr_tally **total,
                                ddr_error *err) {
  *total = NULL;
#ifdef DDRSIM_MPI
  size_t C = local->nmetrics * local->nsteps + local->ntargets;
  size_t nscalars = 1 + local->ntargets + 2 * local->nevent_kinds;
  int32_t *lo = malloc((C + 1) * sizeof *lo), *hi = malloc((C + 1) * sizeof *hi);
  uint64_t *scalars = malloc(nscalars * sizeof *scalars);
  ddr_tally *t =
      ddr_tally_create(local->nmetrics, local->nsteps, local->ntargets, local->nevent_kinds);
  uint32_t *counts = NULL;
  size_t n = 0;
  ddr_status rc = DDR_OK;
  if (!lo || !hi || !scalars || !t)
    rc = ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory adding up the ranks");
  /* every rank takes part in every collective call below, failed or not */
  if (!cli_mpi_all(m, rc == DDR_OK)) goto fail;
  for (size_t c = 0; c < C; c++) lo[c] = INT32_MAX, hi[c] = INT32_MIN;
  ddr_tally_range(local, lo, hi);
  if (allreduce(lo, C, MPI_INT32_T, sizeof *lo, MPI_MIN) ||
      allreduce(hi, C, MPI_INT32_T, sizeof *hi, MPI_MAX)) {
    rc = ddr_error_set(err, DDR_EINTERNAL, NULL, 0, 0, NULL, "MPI failed adding up the ranks");
    goto fail; /* MPI's default handler has aborted the job already */
  }
  if (!(rc = ddr_tally_reserve(t, lo, hi, err)) && !(rc = ddr_tally_merge(t, local, err)))
    rc = ddr_tally_counts(t, &counts, &n, err);
  if (!cli_mpi_all(m, rc == DDR_OK)) goto fail;
  scalars[0] = local->replications;
  for (size_t g = 0; g < local->ntargets; g++) scalars[1 + g] = local->met[g];
  for (size_t k = 0; k < local->nevent_kinds; k++) {
    scalars[1 + local->ntargets + 2 * k] = local->events[k].events;
    scalars[2 + local->ntargets + 2 * k] = local->events[k].replications;
  }
  int root = m->rank == 0;
  if (reduce_sum(counts, n, MPI_UINT32_T, sizeof *counts, root) ||
      reduce_sum(scalars, nscalars, MPI_UINT64_T, sizeof *scalars, root)) {
    rc = ddr_error_set(err, DDR_EINTERNAL, NULL, 0, 0, NULL, "MPI failed adding up the ranks");
    goto fail;
  }
  if (root) {
    ddr_tally_recount(t);
    t->replications = scalars[0];
    for (size_t g = 0; g < t->ntargets; g++) t->met[g] = scalars[1 + g];
    for (size_t k = 0; k < t->nevent_kinds; k++) {
      t->events[k].events = scalars[1 + t->ntargets + 2 * k];
      t->events[k].replications = scalars[2 + t->ntargets + 2 * k];
    }
    *total = t;
    t = NULL;
  }
  goto done;
fail:
  if (rc == DDR_OK)
    rc = ddr_error_set(err, DDR_EINTERNAL, NULL, 0, 0, NULL,
                       "another rank failed while the ranks' results were added up");
done:
  ddr_tally_free(t);
  free(lo);
  free(hi);
  free(scalars);
  return rc;
#else
  (void)m, (void)local;
  return ddr_error_set(err, DDR_EINTERNAL, NULL, 0, 0, NULL, "ddrsim was built without MPI");
#endif
}

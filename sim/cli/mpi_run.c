/* ddrsim run under mpirun. Rank 0 runs the first share of the replications
 * straight into the result file's temporary name, as a run in one process
 * does; each other rank runs its share into a hidden part file beside it,
 * with its rows only. When every rank has succeeded, the ranks' tallies are
 * added up on rank 0 through MPI (mpi_tally.c), and rank 0 appends the
 * other ranks' rows in replication order, summarises and moves the file
 * into place. A rank that fails or dies leaves nothing under the output
 * name. No file carries a tally and no rank writes its rows twice, so the
 * work beyond the replications themselves is small and does not grow with
 * the ranks. */
#include "mpi_run.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "ddrsim/part.h"
#include "mpi_tally.h"

/* Rank 0: ranks 2..K's rows, in order, into st. */
static ddr_status append_ranks(const cli_mpi *m, const cli_mpi_parts *mp, const ddr_scenario *scn,
                               int full, uint64_t total, ddr_store *st, ddr_error *err) {
  ddr_status rc = DDR_OK;
  uint64_t B = cli_merge_block_size(scn, full);
  for (int r = 2; r <= m->size && !rc; r++) {
    char path[sizeof mp->prefix + 32];
    snprintf(path, sizeof path, "%s%d-of-%d", mp->prefix, r, m->size);
    ddr_part *p = NULL;
    uint64_t first, count;
    ddr_part_range(total, (uint32_t)r, (uint32_t)m->size, &first, &count);
    if (!(rc = ddr_part_open_rows(path, &p, err))) {
      const ddr_part_info *pi = ddr_part_info_of(p);
      if (pi->first != first || pi->count != count || pi->total != total)
        rc = ddr_error_set(err, DDR_EINTERNAL, path, 0, 0, NULL,
                           "%s does not hold rank %d's replications", path, r - 1);
      else
        rc = cli_merge_copy_rows(&p, 1, B, st, err);
    }
    ddr_part_close(p);
  }
  return rc;
}

/* Rank 0, every rank having run: the whole file. */
static ddr_status finish_file(const cli_mpi *m, const cli_mpi_parts *mp, const ddr_scenario *scn,
                              int full, ddr_store **store, const ddr_tally *total,
                              ddr_run_info *info, const struct timespec *start, int keep_tally,
                              ddr_error *err) {
  ddr_results *res = NULL;
  ddr_status rc;
  if (!(rc = append_ranks(m, mp, scn, full, total->replications, *store, err)) &&
      !(keep_tally && (rc = ddr_store_write_tally(*store, total, err))) &&
      !(rc = ddr_engine_summarise(scn, total, info->threads, &res, err))) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    info->wall_seconds =
        (double)(t.tv_sec - start->tv_sec) + 1e-9 * (double)(t.tv_nsec - start->tv_nsec);
    ddr_store *st = *store;
    *store = NULL; /* finish frees it, whatever happens */
    rc = ddr_store_finish(st, res, info, err);
  }
  ddr_results_free(res);
  return rc;
}

int cli_mpi_run_finish(cli_mpi *m, cli_mpi_parts *mp, int status, const ddr_scenario *scn, int full,
                       ddr_store **store, const ddr_tally *tally, ddr_run_info *info,
                       const struct timespec *start, int quiet, int keep_tally) {
  ddr_error err;
  ddr_error_clear(&err);
  ddr_tally *total = NULL;
  if (status) { /* before waiting on the others: mpirun may end this rank any moment */
    ddr_store_abort(*store);
    *store = NULL;
  }
  if (cli_mpi_parts_gate_closed(m, mp)) {
    cli_mpi_end(m);
    return status ? status : DDR_EINTERNAL;
  }
  int ok = cli_mpi_all(m, status == 0 && mp->prefix[0] && tally), mst = 0;
  if (!ok && m->rank == 0 && !status)
    fprintf(stderr, "ddrsim: a rank failed; nothing was written to %s\n", mp->final);
  /* one rank's tally is the whole run's already */
  if (ok && m->size > 1 && cli_mpi_tally_reduce(m, tally, &total, &err)) mst = cli_fail(&err);
  if (ok && !mst && m->rank == 0) {
    if (finish_file(m, mp, scn, full, store, total ? total : tally, info, start, keep_tally, &err))
      mst = cli_fail(&err);
    else if (!quiet)
      cli_print_merged(mp->final);
  }
  mst = cli_mpi_from_root(m, mst);
  ddr_tally_free(total);
  ddr_store_abort(*store); /* rank 0's file when something failed */
  *store = NULL;
  if (m->rank > 0 && mp->prefix[0]) unlink(mp->part);
  cli_stop_temp(3, NULL);
  cli_mpi_end(m);
  return status ? status : mst;
}

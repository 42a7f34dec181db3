/* ddrsim run and ddrsim sweep under mpirun: each rank runs its share of the
 * replications (shard rank + 1 of size) into a hidden part file beside the
 * output, and when every rank has succeeded rank 0 joins the parts with
 * ddrsim merge's code (a run's parts or a sweep's). A rank that fails or
 * dies leaves nothing under the output name. */
#include "mpi_parts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

ddr_status cli_mpi_parts_setup(const cli_mpi *m, cli_mpi_parts *mp, const char *output, int force,
                               int sharded, unsigned *shard, unsigned *shards, ddr_error *err) {
  mp->prefix[0] = '\0';
  mp->gate = cli_mpi_all(m, 1) ? 1 : -1;
  if (mp->gate < 0)
    return ddr_error_set(err, DDR_EINTERNAL, NULL, 0, 0, NULL,
                         "another rank failed before the run started");
  if (sharded)
    return ddr_error_set(err, DDR_EUSAGE, NULL, 0, 0, NULL,
                         "--shard is for separate processes; under mpirun the ranks share the "
                         "replications themselves");
  snprintf(mp->final, sizeof mp->final, "%s", output);
  int token = cli_mpi_from_root(m, (int)getpid());
  struct stat sb;
  int exists = m->rank == 0 && !force && lstat(mp->final, &sb) == 0;
  if (cli_mpi_from_root(m, exists))
    return ddr_error_set(err, DDR_EEXIST, NULL, 0, 0, NULL,
                         "%s exists; refusing to overwrite it (use --force to replace it)",
                         mp->final);
  const char *slash = strrchr(mp->final, '/');
  int dlen = slash ? (int)(slash - mp->final + 1) : 0;
  *shard = (unsigned)m->rank + 1;
  *shards = (unsigned)m->size;
  int n = snprintf(mp->prefix, sizeof mp->prefix, "%.*s.%s.mpi-%d.part-", dlen, mp->final,
                   mp->final + dlen, token);
  if (n < 0 || (size_t)n + 32 > sizeof mp->prefix || (size_t)n + 32 > sizeof mp->part) {
    mp->prefix[0] = '\0';
    return ddr_error_set(err, DDR_EUSAGE, NULL, 0, 0, NULL, "output path too long: %s", mp->final);
  }
  memcpy(mp->part, mp->prefix, (size_t)n);
  snprintf(mp->part + n, sizeof mp->part - (size_t)n, "%u-of-%u", *shard, *shards);
  return DDR_OK;
}

/* Rank 0: join the size parts into the output. Returns the exit status. */
static int merge_parts(const cli_mpi *m, const cli_mpi_parts *mp, int quiet, int force,
                       const char *cmdline) {
  ddr_error err;
  ddr_error_clear(&err);
  char **paths = calloc((size_t)m->size, sizeof *paths);
  size_t len = strlen(mp->prefix) + 32;
  int st = 0, ok = paths != NULL;
  for (int r = 0; paths && r < m->size; r++)
    if ((paths[r] = malloc(len)))
      snprintf(paths[r], len, "%s%d-of-%d", mp->prefix, r + 1, m->size);
    else
      ok = 0;
  if (!ok)
    st = cli_fail((ddr_error_set(&err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory"), &err));
  else if (cli_merge_parts((const char *const *)paths, (size_t)m->size, mp->final, force, 0,
                           cmdline, &err))
    st = cli_fail(&err);
  else if (!quiet)
    cli_print_merged(mp->final);
  for (int r = 0; paths && r < m->size; r++) free(paths[r]);
  free(paths);
  return st;
}

int cli_mpi_parts_gate_closed(const cli_mpi *m, cli_mpi_parts *mp) {
  if (mp->gate > 0) return 0;
  if (mp->gate == 0) cli_mpi_all(m, 0); /* the others wait in setup */
  mp->gate = -1;
  return 1;
}

int cli_mpi_parts_finish(cli_mpi *m, cli_mpi_parts *mp, int status, int quiet, int force,
                         const char *cmdline) {
  if (cli_mpi_parts_gate_closed(m, mp)) {
    cli_mpi_end(m);
    return status ? status : DDR_EINTERNAL;
  }
  int ok = cli_mpi_all(m, status == 0 && mp->prefix[0]);
  int mst = 0;
  if (m->rank == 0 && !ok && !status)
    fprintf(stderr, "ddrsim: a rank failed; nothing was written to %s\n", mp->final);
  if (ok && m->rank == 0) mst = merge_parts(m, mp, quiet, force, cmdline);
  mst = cli_mpi_from_root(m, mst);
  if (mp->prefix[0]) unlink(mp->part); /* this rank's part */
  cli_stop_temp(3, NULL);
  cli_mpi_end(m);
  return status ? status : mst;
}

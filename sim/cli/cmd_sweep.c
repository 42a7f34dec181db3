/* `ddrsim sweep`: run one ensemble per point of a design file (a grid or a
 * Latin hypercube over --set key paths), every point with the same seed, and
 * write them all into one sweep file, safely as a run's result file. */
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <omp.h>

#include "cli.h"
#include "mpi_parts.h"
#include "ddrsim/engine.h"
#include "ddrsim/scenario.h"
#include "ddrsim/store.h"
#include "ddrsim/sweep.h"
#include "ddrsim/version.h"

static const char sweep_usage[] =
    "Usage: ddrsim sweep SCENARIO DESIGN.yaml -o FILE.h5 [OPTIONS]\n"
    "\n"
    "Run SCENARIO once per point of DESIGN (a grid or a Latin hypercube over\n"
    "--set key paths; docs/sweeps.md), every point with the same seed so that\n"
    "points are paired, and write all points into one HDF5 sweep file. Under\n"
    "mpirun the ranks share every point's replications.\n"
    "\n"
    "  -o, --output FILE     sweep file to write (required)\n"
    "  -n, --replications N  replications per point (default 10000)\n"
    "  -s, --seed S          random seed of every point (default 2531)\n"
    "  -j, --threads T       OpenMP threads (default: all cores)\n"
    "      --shard I/N       run only the I-th of N near-equal parts of every\n"
    "                        point's replications and write a sweep part file;\n"
    "                        ddrsim merge joins the N parts into the sweep file\n"
    "      --force           replace an existing file\n"
    "  -q, --quiet           no list of the points\n"
    "  -h, --help            this text\n";

typedef struct sweep_args {
  cli_run_opts o;
  const char *scenario, *design;
} sweep_args;

static int parse_args(int argc, char **argv, sweep_args *a) {
  static const struct option longopts[] = {{"replications", required_argument, NULL, 'n'},
                                           {"seed", required_argument, NULL, 's'},
                                           {"threads", required_argument, NULL, 'j'},
                                           {"output", required_argument, NULL, 'o'},
                                           {"force", no_argument, NULL, 'F'},
                                           {"shard", required_argument, NULL, 'P'},
                                           {"quiet", no_argument, NULL, 'q'},
                                           {"help", no_argument, NULL, 'h'},
                                           {NULL, 0, NULL, 0}};
  int c, status;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":n:s:j:o:qh", longopts, NULL)) != -1) {
    if (cli_run_option("sweep", c, optarg, &a->o, &status)) {
      if (status) return status;
      continue;
    }
    switch (c) {
    case 'h':
      fputs(sweep_usage, stdout);
      return -1;
    case ':':
      return cli_usage("sweep", "option %s needs a value", argv[optind - 1]);
    default:
      return cli_usage("sweep", "unknown option \"%s\"", argv[optind - 1]);
    }
  }
  if (argc - optind != 2) return cli_usage("sweep", "expected a scenario and a design file");
  a->scenario = argv[optind];
  a->design = argv[optind + 1];
  if (!a->o.output) return cli_usage("sweep", "expected an output file (-o FILE.h5)");
  return 0;
}

/* Every point's scenario, loaded and checked before anything runs, so that
 * a bad design fails at once and writes nothing. */
static ddr_status load_points(const sweep_args *a, const ddr_sweep_design *d, ddr_scenario **scn,
                              ddr_error *err) {
  char *sets[DDR_SWEEP_MAX_KEYS];
  ddr_status st = DDR_OK;
  for (size_t p = 0; p < d->npoints && !st; p++) {
    size_t k = 0;
    for (; k < d->nkeys; k++)
      if (!(sets[k] = ddr_sweep_design_set(d, p, k))) break;
    if (k < d->nkeys)
      st = ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    else if ((st = ddr_scenario_load(a->scenario, (const char *const *)sets, d->nkeys, &scn[p],
                                     err)))
      ddr_sweep_design_blame(d, p, err);
    while (k-- > 0) free(sets[k]);
  }
  return st;
}

/* Run one point (its shard's replications with --shard) into the scratch
 * run file (a part file with --shard), then copy it into the sweep. */
static ddr_status run_point(const sweep_args *a, const ddr_scenario *scn, ddr_sweep_file *sf,
                            size_t p, const char *cmdline, ddr_error *err) {
  ddr_store *store = NULL;
  ddr_results *res = NULL;
  ddr_tally *tally = NULL;
  char *resolved = NULL;
  ddr_store_header hdr;
  cli_header_arrays arr = {0};
  ddr_part_info part = {a->o.shard, a->o.shards, 0, a->o.reps, a->o.reps, a->o.seed};
  if (a->o.shards) ddr_part_range(a->o.reps, a->o.shard, a->o.shards, &part.first, &part.count);
  ddr_status st = ddr_scenario_resolved_text(scn, &resolved, err);
  if (!st) st = cli_store_header(scn, resolved, 0, part.count, &hdr, &arr, err);
  hdr.part = a->o.shards ? &part : NULL;
  if (!st) st = cli_store_create(2, ddr_sweep_file_point_path(sf), 1, &hdr, &store, err);
  ddr_run_info info = {0};
  info.version = DDRSIM_VERSION;
  info.seed = a->o.seed;
  info.replications = part.count;
  info.threads = a->o.threads ? a->o.threads : omp_get_max_threads();
  gethostname(info.host, sizeof info.host - 1);
  time_t now = time(NULL);
  strftime(info.started, sizeof info.started, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
  info.command_line = cmdline;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  ddr_run_options opt = {0};
  opt.seed = a->o.seed;
  opt.replications = part.count;
  opt.first = part.first;
  opt.threads = info.threads;
  opt.stop = &cli_stop_requested;
  if (!st) {
    ddr_sink sink = ddr_store_sink(store);
    if (!(st = ddr_engine_run_tally(scn, &opt, &sink, &tally, err)) && a->o.shards)
      st = ddr_store_write_tally(store, tally, err);
    if (!st) st = ddr_engine_summarise(scn, tally, info.threads, &res, err);
  }
  if (!st && res->replications < part.count)
    st = ddr_error_set(err, DDR_EINTERRUPT, NULL, 0, 0, NULL, "interrupted");
  if (!st) {
    clock_gettime(CLOCK_MONOTONIC, &t1);
    info.wall_seconds = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    ddr_store *s = store;
    store = NULL;
    st = ddr_store_finish(s, res, &info, err);
  }
  cli_stop_temp(2, NULL);
  if (!st) st = ddr_sweep_file_add_point(sf, p, err);
  ddr_store_abort(store);
  ddr_results_free(res);
  ddr_tally_free(tally);
  cli_header_arrays_free(&arr);
  free(resolved);
  return st;
}

static void print_points(const char *path) {
  ddr_sweep_table *t = NULL;
  ddr_error err;
  if (ddr_sweep_table_load(path, &t, &err) == DDR_OK) cli_print_sweep(t, "table", stdout);
  ddr_sweep_table_free(t);
}

int cmd_sweep(int argc, char **argv) {
  sweep_args a = {0};
  a.o.reps = 10000;
  a.o.seed = DDR_DEFAULT_SEED;
  int rc = parse_args(argc, argv, &a);
  if (rc) return rc < 0 ? 0 : rc;
  ddr_error err;
  ddr_error_clear(&err);
  ddr_sweep_design *d = NULL;
  ddr_scenario **scn = NULL;
  ddr_sweep_file *sf = NULL;
  char cmdline[4096] = "";
  int status = 0, quiet = a.o.quiet, force = a.o.force;
  cli_mpi mpi;
  cli_mpi_parts parts = {0};
  if (cli_mpi_start(&mpi, NULL, NULL) < 0) {
    fprintf(stderr, "ddrsim: cannot start MPI\n");
    return DDR_EINTERNAL;
  }
  cli_command_line(argc, argv, cmdline, sizeof cmdline);
  cli_stop_install();
  if (ddr_sweep_design_load(a.design, &d, &err)) goto fail;
  if (!(scn = calloc(d->npoints, sizeof *scn))) {
    ddr_error_set(&err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    goto fail;
  }
  if (load_points(&a, d, scn, &err)) goto fail;
  if (mpi.active) {
    cli_stop_urgent();
    /* this rank's shard of every point into a hidden sweep part file; rank 0
     * merges them at the end, as for ddrsim run */
    if (cli_mpi_parts_setup(&mpi, &parts, a.o.output, a.o.force, a.o.shards != 0, &a.o.shard,
                            &a.o.shards, &err))
      goto fail;
    a.o.output = parts.part;
    a.o.force = 1; /* a part left by an earlier run of the same process id */
    a.o.quiet = 1; /* rank 0 prints the merged file's points */
  }
  if (a.o.threads) omp_set_num_threads(a.o.threads);
  /* a shard runs its range of every point's replications */
  ddr_part_info part = {a.o.shard, a.o.shards, 0, a.o.reps, a.o.reps, a.o.seed};
  if (a.o.shards) ddr_part_range(a.o.reps, a.o.shard, a.o.shards, &part.first, &part.count);
  sigset_t block, saved;
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigaddset(&block, SIGTERM);
  sigprocmask(SIG_BLOCK, &block, &saved);
  ddr_status cst = ddr_sweep_file_create(a.o.output, a.o.force, d, a.scenario,
                                         a.o.shards ? &part : NULL, &sf, &err);
  if (!cst) {
    cli_stop_temp(0, ddr_sweep_file_temp_path(sf));
    cli_stop_temp(1, ddr_sweep_file_point_path(sf));
  }
  sigprocmask(SIG_SETMASK, &saved, NULL);
  if (cst) goto fail;
  for (size_t p = 0; p < d->npoints; p++) {
    if (cli_stop_requested) {
      ddr_error_set(&err, DDR_EINTERRUPT, NULL, 0, 0, NULL, "interrupted");
      goto fail;
    }
    if (!a.o.quiet && isatty(STDERR_FILENO))
      fprintf(stderr, "\rpoint %zu of %zu ", p + 1, d->npoints);
    if (run_point(&a, scn[p], sf, p, cmdline, &err)) goto fail;
  }
  if (!a.o.quiet && isatty(STDERR_FILENO)) fputc('\n', stderr);
  ddr_sweep_file *f = sf;
  sf = NULL;
  ddr_status fst = ddr_sweep_file_finish(f, &err);
  cli_stop_temp(0, NULL);
  cli_stop_temp(1, NULL);
  if (fst) goto fail;
  if (mpi.active) cli_stop_temp(3, a.o.output); /* this rank's part, until rank 0 has it */
  if (!a.o.quiet) print_points(a.o.output);
  goto done;
fail:
  if (sf) cli_output_blame(&err, ddr_sweep_file_point_path(sf), a.o.output); /* not the scratch */
  status = cli_fail(&err);
  if (err.status == DDR_EINTERRUPT)
    fprintf(stderr, "ddrsim: nothing was written to %s\n", a.o.output);
done:
  ddr_sweep_file_abort(sf);
  for (size_t p = 0; scn && p < d->npoints; p++) ddr_scenario_free(scn[p]);
  free(scn);
  ddr_sweep_design_free(d);
  if (mpi.active) status = cli_mpi_parts_finish(&mpi, &parts, status, quiet, force, cmdline);
  return status;
}

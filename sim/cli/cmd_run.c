/* `ddrsim run`: load a scenario, run replications, write the result file
 * safely, print the summary. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <omp.h>

#include "cli.h"
#include "checkpoint.h"
#include "extend.h"
#include "mpi_run.h"
#include "ddrsim/engine.h"
#include "ddrsim/part.h"
#include "ddrsim/scenario.h"
#include "ddrsim/store.h"
#include "ddrsim/version.h"

#define RUN_DEFAULT_REPS 10000

static const char run_usage[] =
    "Usage: ddrsim run [SCENARIO] [OPTIONS]\n"
    "\n"
    "Run replications of SCENARIO (default: the shipped baseline,\n"
    "scenarios/mali-2020-baseline.yaml) and write them to an HDF5 file.\n"
    "\n"
    "  -n, --replications N  number of replications (default 10000)\n"
    "  -s, --seed S          random seed (default 2531); same seed, same results\n"
    "  -j, --threads T       OpenMP threads (default: all cores); results do not\n"
    "                        depend on it\n"
    "  -o, --output FILE     result file (default results/<scenario>.h5)\n"
    "      --set KEY=VALUE   override a scenario value, e.g.\n"
    "                        --set nodes.training.centres.bamako.seats=400\n"
    "      --store WHAT      summary (default: summaries, sampled inputs, target\n"
    "                        outcomes) or full (also every replication's series)\n"
    "      --shard I/N       run only the I-th of N near-equal parts of the\n"
    "                        replications and write a part file; ddrsim merge\n"
    "                        joins the N parts into the file of the whole run\n"
    "      --checkpoint DIR  keep the finished replications in DIR as the run goes,\n"
    "                        a segment at a time, so that a run killed at any\n"
    "                        moment can go on with --resume; DIR is removed once\n"
    "                        the result file is written\n"
    "      --checkpoint-every N  replications per segment (default: about a\n"
    "                        minute of work each)\n"
    "      --resume          go on with the run kept in --checkpoint DIR (same\n"
    "                        scenario, options and seed); the result is the file\n"
    "                        of an uninterrupted run, bit for bit\n"
    "      --extendable      keep the run's exact histograms in the file (/tally),\n"
    "                        so that --extend can add replications to it later\n"
    "      --extend FILE     add -n more replications to the finished run FILE,\n"
    "                        with its scenario and seed: FILE becomes (or -o gets)\n"
    "                        the file of a run of all of them, bit for bit; FILE\n"
    "                        must have been run with --extendable or --store full\n"
    "      --force           replace an existing result file\n"
    "  -q, --quiet           no progress bar and no summary\n"
    "  -h, --help            this text\n";

typedef struct progress {
  int enabled;
  struct timespec start;
  int shown;
} progress;

static double since(const struct timespec *t0) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)(now.tv_sec - t0->tv_sec) + 1e-9 * (double)(now.tv_nsec - t0->tv_nsec);
}

/* A bar on stderr once the run has taken more than a second. */
static void show_progress(void *ctx, uint64_t done, uint64_t total) {
  progress *p = ctx;
  double el = since(&p->start);
  if (!p->enabled || (el < 1.0 && !p->shown)) return;
  p->shown = 1;
  double rate = el > 0 ? (double)done / el : 0;
  double left = rate > 0 ? (double)(total - done) / rate : 0;
  int width = 30, fill = total ? (int)(width * (double)done / (double)total) : width;
  fprintf(stderr, "\r[%.*s%*s] %llu/%llu replications, %.0f/s, %.0f s left ", fill,
          "==============================", width - fill, "", (unsigned long long)done,
          (unsigned long long)total, rate, left);
  if (done == total) fputc('\n', stderr);
  fflush(stderr);
}

/* results/<name of the scenario file without .yaml>.h5, or for shard I of N
 * results/<name>.part-I-of-N.h5 */
static void default_output(const char *scenario, unsigned shard, unsigned shards, char *buf,
                           size_t size) {
  const char *base = strrchr(scenario, '/');
  base = base ? base + 1 : scenario;
  size_t n = strlen(base);
  if (n > 5 && strcmp(base + n - 5, ".yaml") == 0)
    n -= 5;
  else if (n > 4 && strcmp(base + n - 4, ".yml") == 0)
    n -= 4;
  if (shards)
    snprintf(buf, size, "results/%.*s.part-%u-of-%u.h5", (int)n, base, shard, shards);
  else
    snprintf(buf, size, "results/%.*s.h5", (int)n, base);
}

typedef struct run_args {
  cli_run_opts o;
  cli_checkpoint ck;
  const char *extend;
  int extendable, reps_given, seed_given;
  const char *scenario, *store;
  const char **sets;
  size_t nsets;
} run_args;

static int parse_args(int argc, char **argv, run_args *a) {
  static const struct option longopts[] = {{"replications", required_argument, NULL, 'n'},
                                           {"seed", required_argument, NULL, 's'},
                                           {"threads", required_argument, NULL, 'j'},
                                           {"output", required_argument, NULL, 'o'},
                                           {"set", required_argument, NULL, 'S'},
                                           {"store", required_argument, NULL, 'T'},
                                           {"force", no_argument, NULL, 'F'},
                                           {"shard", required_argument, NULL, 'P'},
                                           {"checkpoint", required_argument, NULL, 'C'},
                                           {"checkpoint-every", required_argument, NULL, 'E'},
                                           {"resume", no_argument, NULL, 'R'},
                                           {"extend", required_argument, NULL, 'X'},
                                           {"extendable", no_argument, NULL, 'K'},
                                           {"quiet", no_argument, NULL, 'q'},
                                           {"help", no_argument, NULL, 'h'},
                                           {NULL, 0, NULL, 0}};
  int c, status;
  unsigned long long every;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":n:s:j:o:qh", longopts, NULL)) != -1) {
    a->reps_given |= c == 'n';
    a->seed_given |= c == 's';
    if (cli_run_option("run", c, optarg, &a->o, &status)) {
      if (status) return status;
      continue;
    }
    switch (c) {
    case 'S':
      a->sets[a->nsets++] = optarg;
      break;
    case 'T':
      if (strcmp(optarg, "summary") && strcmp(optarg, "full"))
        return cli_usage("run", "--store expects summary or full, found \"%s\"", optarg);
      a->store = optarg;
      break;
    case 'C':
      a->ck.dir = optarg;
      break;
    case 'E':
      if (cli_parse_u64(optarg, &every) || every == 0)
        return cli_usage("run",
                         "--checkpoint-every expects a number of replications (1 or "
                         "more), found \"%s\"",
                         optarg);
      a->ck.every = every;
      break;
    case 'R':
      a->ck.resume = 1;
      break;
    case 'X':
      a->extend = optarg;
      break;
    case 'K':
      a->extendable = 1;
      break;
    case 'h':
      fputs(run_usage, stdout);
      return -1;
    case ':':
      return cli_usage("run", "option %s needs a value", argv[optind - 1]);
    default:
      return cli_usage("run", "unknown option \"%s\"", argv[optind - 1]);
    }
  }
  if (optind < argc) a->scenario = argv[optind++];
  if (optind < argc) return cli_usage("run", "unexpected argument \"%s\"", argv[optind]);
  if ((a->ck.resume || a->ck.every) && !a->ck.dir)
    return cli_usage("run", "%s needs --checkpoint DIR",
                     a->ck.resume ? "--resume" : "--checkpoint-every");
  if (a->ck.dir && a->o.shards)
    return cli_usage("run", "--checkpoint and --shard do not go together: a shard is a part "
                            "of a run already; run a lost shard again alone");
  if (a->ck.dir && a->o.reps == 0)
    return cli_usage("run", "--checkpoint with -n 0: there is nothing to keep");
  if (a->extendable && a->o.shards)
    return cli_usage("run", "--extendable is for a whole run: a --shard's part keeps its tally "
                            "already (ddrsim merge --extendable keeps it in the joined file)");
  if (a->extend) {
    const char *clash = a->scenario                   ? "a scenario"
                        : a->nsets                    ? "--set"
                        : a->seed_given               ? "-s"
                        : strcmp(a->store, "summary") ? "--store"
                        : a->o.shards                 ? "--shard"
                        : a->ck.dir                   ? "--checkpoint"
                                                      : NULL;
    if (clash)
      return cli_usage("run",
                       "--extend takes the scenario, seed and store of the file it "
                       "extends: %s does not go with it",
                       clash);
    if (!a->reps_given || a->o.reps == 0)
      return cli_usage("run", "--extend needs -n MORE, the replications to add (1 or more)");
  }
  return 0;
}

/* ddrsim run --extend FILE -n MORE (extend.c), printing the summary of the
 * result unless quiet. */
static int run_extend(run_args *a, int argc, char **argv) {
  ddr_error err;
  ddr_error_clear(&err);
  cli_mpi mpi;
  if (cli_mpi_start(&mpi, NULL, NULL) == 0 && mpi.active) {
    /* each rank would extend the file on its own */
    int status =
        mpi.rank == 0 ? cli_usage("run", "--extend is for one process, not mpirun") : DDR_EUSAGE;
    cli_mpi_end(&mpi);
    return status;
  }
  char cmdline[4096];
  cli_command_line(argc - 1, argv + 1, cmdline, sizeof cmdline);
  cli_stop_install();
  if (a->o.threads) omp_set_num_threads(a->o.threads);
  progress pr = {!a->o.quiet && isatty(STDERR_FILENO), {0, 0}, 0};
  clock_gettime(CLOCK_MONOTONIC, &pr.start);
  ddr_run_options opt = {.threads = a->o.threads ? a->o.threads : omp_get_max_threads(),
                         .progress = show_progress,
                         .progress_ctx = &pr,
                         .stop = &cli_stop_requested};
  cli_extend x = {a->extend, a->o.output, a->o.reps, a->o.force, &opt};
  if (cli_extend_run(&x, cmdline, &err)) {
    int status = cli_fail(&err);
    if (err.status == DDR_EINTERRUPT)
      fprintf(stderr, "ddrsim: %s is unchanged\n", a->o.output ? a->o.output : a->extend);
    return status;
  }
  if (!a->o.quiet) cli_print_merged(a->o.output ? a->o.output : a->extend);
  return 0;
}

int cmd_run(int argc, char **argv) {
  run_args a = {0};
  a.o.reps = RUN_DEFAULT_REPS;
  a.o.seed = DDR_DEFAULT_SEED;
  a.store = "summary";
  a.sets = calloc((size_t)argc + 1, sizeof *a.sets);
  if (!a.sets) return DDR_ENOMEM;
  int rc = parse_args(argc, argv, &a);
  if (rc || a.extend) {
    free(a.sets);
    return rc ? (rc < 0 ? 0 : rc) : run_extend(&a, argc, argv);
  }
  ddr_error err;
  ddr_error_clear(&err);
  ddr_scenario *scn = NULL;
  ddr_store *store = NULL;
  ddr_results *res = NULL;
  ddr_tally *tally = NULL;
  ddr_resfile *rf = NULL;
  cli_header_arrays harr = {0};
  char *resolved = NULL, outbuf[4096], cmdline[4096] = "";
  int status = 0, quiet = a.o.quiet;
  cli_mpi mpi;
  cli_mpi_parts parts = {0};
  ddr_run_info info = {0};
  int full = 0;
  progress pr = {0, {0, 0}, 0};
  clock_gettime(CLOCK_MONOTONIC, &pr.start);
  if (cli_mpi_start(&mpi, NULL, NULL) < 0) {
    free(a.sets);
    fprintf(stderr, "ddrsim: cannot start MPI\n");
    return DDR_EINTERNAL;
  }
  /* from the start, so that an interrupted run never leaves a temporary file */
  cli_stop_install();
  if (!a.scenario && !(a.scenario = cli_default_scenario())) {
    status = cli_usage("run", "no scenario given and the baseline "
                              "(scenarios/mali-2020-baseline.yaml) was not found");
    goto done;
  }
  if (ddr_scenario_load(a.scenario, a.sets, a.nsets, &scn, &err) ||
      ddr_scenario_resolved_text(scn, &resolved, &err))
    goto fail;
  if (!a.o.output) {
    default_output(a.scenario, a.o.shard, a.o.shards, outbuf, sizeof outbuf);
    a.o.output = outbuf;
    if (mkdir("results", 0777) && errno != EEXIST) {
      ddr_error_set(&err, DDR_EIO, "results", 0, 0, NULL, "cannot create directory: %s",
                    strerror(errno));
      goto fail;
    }
  }
  if (mpi.active && a.ck.dir) {
    status = mpi.rank == 0 ? cli_usage("run", "--checkpoint is for a run in one process, not "
                                              "under mpirun")
                           : DDR_EUSAGE;
    goto done;
  }
  if (mpi.active) {
    cli_stop_urgent();
    /* this rank's shard: rank 0's into the output, the others' into hidden
     * part files that rank 0 joins at the end (mpi_run.c) */
    if (cli_mpi_parts_setup(&mpi, &parts, a.o.output, a.o.force, a.o.shards != 0, &a.o.shard,
                            &a.o.shards, &err))
      goto fail;
    if (mpi.rank > 0) {
      a.o.output = parts.part;
      a.o.force = 1; /* a part left by an earlier run of the same process id */
    }
    a.o.quiet = 1; /* rank 0 prints the whole file's summary at the end */
  }
  /* the store compresses with OpenMP threads too: -j limits them all */
  if (a.o.threads) omp_set_num_threads(a.o.threads);
  full = strcmp(a.store, "full") == 0;
  /* a shard runs its range of the replications and writes a part file */
  ddr_part_info part = {a.o.shard, a.o.shards, 0, a.o.reps, a.o.reps, a.o.seed};
  if (a.o.shards) ddr_part_range(a.o.reps, a.o.shard, a.o.shards, &part.first, &part.count);
  /* rank 0 of an MPI run writes the whole file, its own share first */
  int whole = !a.o.shards || (mpi.active && mpi.rank == 0);
  ddr_store_header hdr;
  if (cli_store_header(scn, resolved, full, whole ? a.o.reps : part.count, &hdr, &harr, &err))
    goto fail;
  hdr.part = whole ? NULL : &part;
  info.version = DDRSIM_VERSION;
  info.seed = a.o.seed;
  info.replications = whole ? a.o.reps : part.count;
  info.threads = a.o.threads ? a.o.threads : omp_get_max_threads();
  gethostname(info.host, sizeof info.host - 1);
  time_t now = time(NULL);
  strftime(info.started, sizeof info.started, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
  cli_command_line(argc - 1, argv + 1, cmdline, sizeof cmdline);
  info.command_line = cmdline;

  pr.enabled = !a.o.quiet && isatty(STDERR_FILENO);
  clock_gettime(CLOCK_MONOTONIC, &pr.start);
  ddr_run_options opt = {.seed = a.o.seed,
                         .replications = part.count,
                         .threads = info.threads,
                         .keep_series = full,
                         .progress = show_progress,
                         .progress_ctx = &pr,
                         .stop = &cli_stop_requested,
                         .first = part.first};
  if (a.ck.dir) { /* in segments kept in the checkpoint, joined at the end */
    a.ck.keep_tally = a.extendable;
    if (cli_checkpoint_run(&a.ck, scn, &hdr, &opt, a.o.output, a.o.force, cmdline, &err)) goto fail;
    goto summary;
  }
  if (cli_store_create(0, a.o.output, a.o.force, &hdr, &store, &err)) goto fail;
  if (cli_stop_requested) {
    ddr_error_set(&err, DDR_EINTERRUPT, NULL, 0, 0, NULL, "interrupted before the run started");
    goto fail;
  }
  ddr_sink sink = ddr_store_sink(store);
  if (ddr_engine_run_tally(scn, &opt, &sink, &tally, &err)) goto fail;
  /* rank 0 finishes the file once every rank has run (cli_mpi_run_finish);
   * the other ranks' tallies go to it by MPI, not in their parts */
  if (mpi.active && mpi.rank == 0) goto done;
  if (((a.o.shards || a.extendable) && !mpi.active && ddr_store_write_tally(store, tally, &err)) ||
      ddr_engine_summarise(scn, tally, info.threads, &res, &err))
    goto fail;
  info.wall_seconds = since(&pr.start);
  ddr_store *st = store;
  store = NULL; /* finish frees it, whatever happens */
  ddr_status fst = ddr_store_finish(st, res, &info, &err);
  cli_stop_temp(0, NULL); /* moved into place, or removed */
  if (fst) goto fail;
  if (mpi.active) cli_stop_temp(3, a.o.output); /* this rank's part, until rank 0 has it */
summary:
  if (!a.o.quiet) {
    if (ddr_resfile_load(a.o.output, &rf, &err)) goto fail;
    cli_print_summary(rf, "table", stdout);
  }
  goto done;
fail:
  status = cli_fail(&err);
  if (err.status == DDR_EINTERRUPT && mpi.rank == 0) /* the others' outputs are hidden parts */
    fprintf(stderr, "ddrsim: nothing was written to %s\n", a.o.output ? a.o.output : "the output");
done:
  if (mpi.active) {
    status = cli_mpi_run_finish(&mpi, &parts, status, scn, full, &store, tally, &info, &pr.start,
                                quiet, a.extendable);
    cli_stop_temp(0, NULL);
  }
  ddr_store_abort(store);
  ddr_resfile_free(rf);
  ddr_results_free(res);
  ddr_tally_free(tally);
  ddr_scenario_free(scn);
  free(resolved);
  cli_header_arrays_free(&harr);
  free(a.sets);
  return status;
}

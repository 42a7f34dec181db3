/* `ddrsim merge`: join the part files of a run split into shards (ddrsim run
 * --shard I/N, or the ranks of an MPI run) into the file one process running
 * all the replications writes, per-replication datasets and summaries bit
 * for bit. The summaries come from the parts' tallies merged, through the
 * engine's own summarising code; the rows are copied a block at a time.
 * Parts of a sweep are joined point by point with the same code
 * (merge_sweep.c). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <omp.h>

#include "cli.h"
#include "ddrsim/engine.h"
#include "ddrsim/inputs.h"
#include "ddrsim/part.h"
#include "ddrsim/scenario.h"
#include "ddrsim/store.h"
#include "ddrsim/version.h"

static const char merge_usage[] =
    "Usage: ddrsim merge PART.h5... -o FILE [OPTIONS]\n"
    "\n"
    "Join the part files written by ddrsim run --shard I/N (all N of them, in\n"
    "any order) into FILE, the same file ddrsim run writes for all the\n"
    "replications in one process; or the parts of ddrsim sweep --shard I/N\n"
    "into the file of the whole sweep.\n"
    "\n"
    "  -o, --output FILE     result file (required)\n"
    "      --extendable      keep the run's exact histograms (/tally), so that\n"
    "                        ddrsim run --extend can add replications to it\n"
    "      --force           replace an existing result file\n"
    "  -q, --quiet           no summary\n"
    "  -h, --help            this text\n";

#define MERGE_BLOCK_BYTES (32u << 20) /* series held per block */

/* Refuse n parts when the first is a checkpoint's segment, or some are
 * missing since there are fewer than shards: a part may claim any number,
 * and the plan is sized only once it fits the parts given. */
static ddr_status plan_size(const ddr_part_info *const *info, const char *const *name, size_t n,
                            const char *what, ddr_error *err) {
  const ddr_part_info *a = info[0];
  if (a->shards == UINT32_MAX)
    return ddr_error_set(err, DDR_EINPUT, name[0], 0, 0, NULL,
                         "%s is a segment of a checkpoint (ddrsim run --checkpoint), not a "
                         "shard: finish its run with --checkpoint DIR --resume",
                         name[0]);
  if (a->shards <= n) return DDR_OK;
  /* fewer parts than shards: some are missing, whatever the plan claims */
  uint32_t s = 1;
  for (int again = 1; again;) {
    again = 0;
    for (size_t i = 0; i < n; i++)
      if (info[i]->shard == s) s++, again = 1;
  }
  return ddr_error_set(err, DDR_EINPUT, NULL, 0, 0, NULL,
                       "shard %u of %u is missing (at least %llu of the %u parts of the %s of %s "
                       "are missing; given %zu)",
                       s, a->shards, (unsigned long long)(a->shards - n), a->shards, what, name[0],
                       n);
}

ddr_status cli_merge_plan(const ddr_part_info *const *info, const char *const *name, size_t n,
                          const char *what, size_t *slot, ddr_error *err) {
  const ddr_part_info *a = info[0];
  ddr_status rc = plan_size(info, name, n, what, err);
  if (rc) return rc;
  for (uint32_t s = 0; s < a->shards; s++) slot[s] = n;
  for (size_t i = 0; i < n; i++) {
    const ddr_part_info *b = info[i];
    uint64_t first, count;
    if (a->seed != b->seed)
      return ddr_error_set(err, DDR_EINPUT, name[i], 0, 0, NULL,
                           "%s and %s are parts of %ss with different seeds (%llu and %llu)",
                           name[0], name[i], what, (unsigned long long)a->seed,
                           (unsigned long long)b->seed);
    if (a->total != b->total)
      return ddr_error_set(err, DDR_EINPUT, name[i], 0, 0, NULL,
                           "%s and %s are parts of %ss of different replication counts (%llu "
                           "and %llu)",
                           name[0], name[i], what, (unsigned long long)a->total,
                           (unsigned long long)b->total);
    ddr_part_range(b->total, b->shard, b->shards, &first, &count);
    if (a->shards != b->shards || b->first != first || b->count != count)
      return ddr_error_set(err, DDR_EINPUT, name[i], 0, 0, NULL,
                           "%s (shard %u of %u) and %s (shard %u of %u) are parts of different "
                           "shard plans",
                           name[0], a->shard, a->shards, name[i], b->shard, b->shards);
    if (slot[b->shard - 1] < n)
      return ddr_error_set(err, DDR_EINPUT, name[i], 0, 0, NULL,
                           "%s and %s are both shard %u of %u", name[slot[b->shard - 1]], name[i],
                           b->shard, b->shards);
    slot[b->shard - 1] = i;
  }
  for (uint32_t s = 0; s < a->shards; s++)
    if (slot[s] == n) {
      size_t missing = 0;
      for (uint32_t t = 0; t < a->shards; t++) missing += slot[t] == n;
      return ddr_error_set(err, DDR_EINPUT, NULL, 0, 0, NULL,
                           "shard %u of %u is missing (%zu of the %u parts of the %s of %s are "
                           "missing; given %zu)",
                           s + 1, a->shards, missing, a->shards, what, name[0], n);
    }
  return DDR_OK;
}

/* Parts of one run: same scenario and store, then the same seed,
 * replications and shard plan, each shard once. slot[i] is shard i + 1's
 * part. */
static ddr_status check_parts(ddr_part *const *p, size_t n, ddr_part **slot, ddr_error *err) {
  const char *pa = ddr_part_path(p[0]);
  const ddr_part_info **info = calloc(n, sizeof *info);
  const char **name = calloc(n, sizeof *name);
  size_t *index = calloc(n, sizeof *index); /* the plan fits the parts given */
  ddr_status rc = DDR_OK;
  if (!info || !name || !index) {
    rc = ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    goto done;
  }
  for (size_t i = 0; i < n; i++) info[i] = ddr_part_info_of(p[i]), name[i] = ddr_part_path(p[i]);
  for (size_t i = 0; i < n && !rc; i++) {
    const char *pb = ddr_part_path(p[i]);
    if (strcmp(ddr_part_resolved(p[0]), ddr_part_resolved(p[i])))
      rc = ddr_error_set(err, DDR_EINPUT, pb, 0, 0, NULL,
                         "%s and %s are parts of different scenarios (their resolved scenarios "
                         "differ)",
                         pa, pb);
    else if (ddr_part_full(p[0]) != ddr_part_full(p[i]))
      rc = ddr_error_set(
          err, DDR_EINPUT, pb, 0, 0, NULL, "%s was run with --store %s but %s with --store %s", pa,
          ddr_part_full(p[0]) ? "full" : "summary", pb, ddr_part_full(p[i]) ? "full" : "summary");
  }
  if (!rc && !(rc = cli_merge_plan(info, name, n, "run", index, err)))
    for (uint32_t s = 0; s < info[0]->shards; s++) slot[s] = p[index[s]];
done:
  free(info);
  free(name);
  free(index);
  return rc;
}

static ddr_status merge_interrupted(ddr_error *err) {
  return ddr_error_set(err, DDR_EINTERRUPT, NULL, 0, 0, NULL,
                       "interrupted while joining the parts");
}

uint64_t cli_merge_block_size(const ddr_scenario *scn, int full) {
  if (!full) return 4096;
  uint64_t per = (uint64_t)ddr_scenario_metric_count(scn) *
                     (uint64_t)ddr_scenario_calendar(scn)->nsteps * sizeof(int32_t) +
                 1;
  uint64_t b = MERGE_BLOCK_BYTES / per / 256 * 256;
  return b < 256 ? 256 : b > 4096 ? 4096 : b;
}

ddr_status cli_merge_copy_rows(ddr_part *const *slot, uint32_t shards, uint64_t B, ddr_store *st,
                               ddr_error *err) {
  for (uint32_t s = 0; s < shards; s++) {
    const ddr_part_info *pi = ddr_part_info_of(slot[s]);
    uint64_t end = pi->first + pi->count;
    for (uint64_t pos = pi->first; pos < end;) {
      uint64_t next = (pos / B + 1) * B;
      if (next > end) next = end;
      ddr_batch b;
      ddr_status rc;
      if (cli_stop_requested) return merge_interrupted(err);
      if ((rc = ddr_part_read_batch(slot[s], pos, next - pos, &b, err)) ||
          (rc = ddr_store_write_batch(st, &b, err)))
        return rc;
      pos = next;
    }
  }
  return DDR_OK;
}

/* The tally of a file that kept none but its series (--store full): its
 * replications added up again, a block at a time. */
static ddr_status rebuild_tally(ddr_part *p, const ddr_scenario *scn, ddr_tally **out,
                                ddr_error *err) {
  const ddr_part_info *pi = ddr_part_info_of(p);
  ddr_tally *t =
      ddr_tally_create(ddr_scenario_metric_count(scn), (size_t)ddr_scenario_calendar(scn)->nsteps,
                       ddr_scenario_target_count(scn), ddr_scenario_event_kind_count(scn));
  ddr_status rc = t ? DDR_OK : ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory");
  uint64_t B = cli_merge_block_size(scn, 1), end = pi->first + pi->count;
  for (uint64_t pos = pi->first; !rc && pos < end; pos += B) {
    ddr_batch b;
    if (cli_stop_requested)
      rc = merge_interrupted(err);
    else if (!(rc = ddr_part_read_batch(p, pos, end - pos < B ? end - pos : B, &b, err)))
      rc = ddr_tally_add_batch(t, scn, &b, 0, err);
  }
  if (rc) {
    ddr_tally_free(t);
    return rc;
  }
  *out = t;
  return DDR_OK;
}

/* The parts' tallies added up: those they hold, or those rebuilt from their
 * series. */
static ddr_status merge_tallies(ddr_part *const *slot, uint32_t shards, const ddr_scenario *scn,
                                ddr_tally **out, ddr_error *err) {
  ddr_tally *all =
      ddr_tally_create(ddr_scenario_metric_count(scn), (size_t)ddr_scenario_calendar(scn)->nsteps,
                       ddr_scenario_target_count(scn), ddr_scenario_event_kind_count(scn));
  ddr_status rc = DDR_OK;
  size_t C = all ? all->nmetrics * all->nsteps + all->ntargets : 0;
  int32_t *lo = malloc((C + 1) * sizeof *lo), *hi = malloc((C + 1) * sizeof *hi);
  if (!all || !lo || !hi) {
    ddr_tally_free(all);
    free(lo), free(hi);
    return ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory");
  }
  /* Two passes: the union of the parts' ranges sizes every histogram once,
   * then each part's counts are added in; one part's tally in memory at a
   * time, and no histogram grows and moves. */
  ddr_tally **rebuilt = calloc(shards, sizeof *rebuilt);
  if (!rebuilt) rc = ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory");
  for (size_t c = 0; c < C; c++) lo[c] = INT32_MAX, hi[c] = INT32_MIN;
  for (uint32_t s = 0; s < shards && !rc; s++)
    if (ddr_part_has_tally(slot[s]))
      rc = ddr_part_tally_range(slot[s], C, lo, hi, err);
    else if (ddr_part_full(slot[s]) && !(rc = rebuild_tally(slot[s], scn, &rebuilt[s], err)))
      ddr_tally_range(rebuilt[s], lo, hi);
    else if (!rc)
      rc = ddr_error_set(err, DDR_EINPUT, ddr_part_path(slot[s]), 0, 0, NULL,
                         "%s keeps neither its tally nor its series: exact summaries cannot be "
                         "made with its replications",
                         ddr_part_path(slot[s]));
  if (!rc) rc = ddr_tally_reserve(all, lo, hi, err);
  for (uint32_t s = 0; s < shards && !rc; s++)
    rc = cli_stop_requested ? merge_interrupted(err)
         : rebuilt[s]       ? ddr_tally_merge(all, rebuilt[s], err)
                            : ddr_part_add_tally(slot[s], all, err);
  for (uint32_t s = 0; rebuilt && s < shards; s++) ddr_tally_free(rebuilt[s]);
  free(rebuilt);
  free(lo);
  free(hi);
  if (rc) {
    ddr_tally_free(all);
    return rc;
  }
  *out = all;
  return DDR_OK;
}

/* The arrays a store header points to. */
typedef struct header_arrays {
  const ddr_input **inputs;
  const ddr_metric **metrics;
  const ddr_target **targets;
  const char **kinds; /* names, then labels */
} header_arrays;

static void header_arrays_free(header_arrays *a) {
  free(a->inputs);
  free(a->metrics);
  free(a->targets);
  free(a->kinds);
}

/* The header of the merged file: the scenario as reloaded from the parts'
 * resolved text for what it defines, its files as the parts recorded them. */
static ddr_status merged_header(const ddr_scenario *scn, const char *resolved, int full,
                                uint64_t reps, ddr_store_header *h, header_arrays *a,
                                ddr_error *err) {
  const ddr_inputs *in = ddr_scenario_inputs(scn);
  size_t ni = ddr_inputs_count(in), nm = ddr_scenario_metric_count(scn),
         nt = ddr_scenario_target_count(scn), nk = ddr_scenario_event_kind_count(scn);
  a->inputs = calloc(ni + 1, sizeof *a->inputs);
  a->metrics = calloc(nm + 1, sizeof *a->metrics);
  a->targets = calloc(nt + 1, sizeof *a->targets);
  a->kinds = calloc(2 * nk + 1, sizeof *a->kinds);
  if (!a->inputs || !a->metrics || !a->targets || !a->kinds)
    return ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory");
  for (size_t k = 0; k < nk; k++) {
    a->kinds[k] = ddr_scenario_event_kind_name(scn, k);
    a->kinds[nk + k] = ddr_scenario_event_kind_label(scn, k);
  }
  for (size_t i = 0; i < ni; i++) a->inputs[i] = ddr_inputs_get(in, i);
  for (size_t i = 0; i < nm; i++) a->metrics[i] = ddr_scenario_metric(scn, i);
  for (size_t i = 0; i < nt; i++) a->targets[i] = ddr_scenario_target(scn, i);
  *h = (ddr_store_header){.scenario_name = ddr_scenario_name(scn),
                          .description = ddr_scenario_description(scn),
                          .resolved_text = resolved,
                          .cal = ddr_scenario_calendar(scn),
                          .ninputs = ni,
                          .inputs = a->inputs,
                          .nmetrics = nm,
                          .metrics = a->metrics,
                          .ntargets = nt,
                          .targets = a->targets,
                          .full = full,
                          .replications = reps,
                          .nevent_kinds = nk,
                          .event_kind_names = a->kinds,
                          .event_kind_labels = a->kinds + nk};
  return DDR_OK;
}

ddr_status cli_part_scenario(const ddr_part *p, ddr_scenario **scn, ddr_error *err) {
  const char *const *files, *const *texts, *resolved = ddr_part_resolved(p);
  ddr_part_sources(p, &files, &texts);
  ddr_status rc = ddr_scenario_load_string(files[0], resolved, strlen(resolved), NULL, 0, scn, err);
  if (rc) {
    char why[DDR_ERROR_MSG_MAX];
    snprintf(why, sizeof why, "%s", err->msg);
    ddr_error_set(err, rc, ddr_part_path(p), 0, 0, NULL, "the scenario of %s does not load: %s",
                  ddr_part_path(p), why);
  }
  return rc;
}

ddr_status cli_merge_write(ddr_part *const *slot, uint32_t n, const char *output, int force,
                           int keep_tally, const char *command_line, ddr_error *err) {
  const ddr_part_info *pi = ddr_part_info_of(slot[0]);
  uint64_t total = 0;
  for (uint32_t i = 0; i < n; i++) total += ddr_part_info_of(slot[i])->count;
  const char *const *files, *const *texts;
  size_t nsrc = ddr_part_sources(slot[0], &files, &texts);
  const char *resolved = ddr_part_resolved(slot[0]);
  ddr_scenario *scn = NULL;
  ddr_store *st = NULL;
  ddr_tally *tally = NULL;
  ddr_results *res = NULL;
  ddr_store_source *parents = calloc(nsrc, sizeof *parents);
  header_arrays arr = {0};
  ddr_store_header hdr;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  ddr_status rc = cli_part_scenario(slot[0], &scn, err);
  if (rc) goto done;
  int full = ddr_part_full(slot[0]);
  if ((rc = merged_header(scn, resolved, full, total, &hdr, &arr, err))) goto done;
  if (!parents) {
    rc = ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    goto done;
  }
  /* the scenario as the parts were run from it, not as reloaded */
  hdr.scenario_file = files[0];
  hdr.scenario_text = texts[0];
  hdr.scenario_text_len = strlen(texts[0]);
  for (size_t i = 1; i < nsrc; i++)
    parents[i - 1] = (ddr_store_source){files[i], texts[i], strlen(texts[i])};
  hdr.nparents = nsrc - 1;
  hdr.parents = parents;
  if ((rc = merge_tallies(slot, n, scn, &tally, err)) ||
      (rc = ddr_engine_summarise(scn, tally, 0, &res, err)) ||
      (rc = cli_store_create(0, output, force, &hdr, &st, err)) ||
      (rc = cli_merge_copy_rows(slot, n, cli_merge_block_size(scn, full), st, err)) ||
      (keep_tally && (rc = ddr_store_write_tally(st, tally, err))))
    goto done;
  ddr_run_info info = {.version = DDRSIM_VERSION,
                       .seed = pi->seed,
                       .replications = total,
                       .threads = omp_get_max_threads(),
                       .command_line = command_line};
  gethostname(info.host, sizeof info.host - 1);
  time_t now = time(NULL);
  strftime(info.started, sizeof info.started, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
  clock_gettime(CLOCK_MONOTONIC, &t1);
  info.wall_seconds = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
  ddr_store *s = st;
  st = NULL; /* finish frees it */
  rc = ddr_store_finish(s, res, &info, err);
done:
  cli_stop_temp(0, NULL);
  ddr_store_abort(st);
  ddr_results_free(res);
  ddr_tally_free(tally);
  ddr_scenario_free(scn);
  free(parents);
  header_arrays_free(&arr);
  return rc;
}

ddr_status cli_merge_run(ddr_part *const *p, size_t n, const char *output, int force,
                         int keep_tally, const char *command_line, ddr_error *err) {
  /* shards <= n once checked, before slot is filled */
  ddr_part **slot = calloc(n + 1, sizeof *slot);
  ddr_status rc;
  if (!slot) return ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory");
  if (!(rc = check_parts(p, n, slot, err)))
    rc = cli_merge_write(slot, ddr_part_info_of(p[0])->shards, output, force, keep_tally,
                         command_line, err);
  free(slot);
  return rc;
}

ddr_status cli_merge_parts(const char *const *paths, size_t n, const char *output, int force,
                           int keep_tally, const char *command_line, ddr_error *err) {
  /* the first part says what is merged: a run's parts or a sweep's */
  if (ddr_sweep_file_is_part(paths[0]) == 1)
    return keep_tally ? ddr_error_set(err, DDR_EUSAGE, paths[0], 0, 0, NULL,
                                      "%s is a part of a sweep: --extendable is for a run's parts",
                                      paths[0])
                      : cli_merge_sweep_parts(paths, n, output, force, command_line, err);
  ddr_part **p = calloc(n + 1, sizeof *p);
  ddr_status rc = DDR_OK;
  if (!p) return ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory");
  for (size_t i = 0; i < n && !rc; i++) rc = ddr_part_open(paths[i], &p[i], err);
  if (!rc) rc = cli_merge_run(p, n, output, force, keep_tally, command_line, err);
  for (size_t i = 0; i < n; i++) ddr_part_close(p[i]);
  free(p);
  return rc;
}

void cli_print_merged(const char *path) {
  ddr_resfile *rf = NULL;
  ddr_sweep_table *t = NULL;
  ddr_error err;
  if (ddr_sweep_file_is_sweep(path) == 1) {
    if (ddr_sweep_table_load(path, &t, &err) == DDR_OK) cli_print_sweep(t, "table", stdout);
  } else if (ddr_resfile_load(path, &rf, &err) == DDR_OK) {
    cli_print_summary(rf, "table", stdout);
  }
  ddr_sweep_table_free(t);
  ddr_resfile_free(rf);
}

int cmd_merge(int argc, char **argv) {
  static const struct option longopts[] = {
      {"output", required_argument, NULL, 'o'}, {"force", no_argument, NULL, 'F'},
      {"quiet", no_argument, NULL, 'q'},        {"extendable", no_argument, NULL, 'K'},
      {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
  const char *output = NULL;
  int force = 0, quiet = 0, keep_tally = 0, c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":o:qh", longopts, NULL)) != -1) {
    switch (c) {
    case 'o':
      output = optarg;
      break;
    case 'F':
      force = 1;
      break;
    case 'q':
      quiet = 1;
      break;
    case 'K':
      keep_tally = 1;
      break;
    case 'h':
      fputs(merge_usage, stdout);
      return 0;
    case ':':
      return cli_usage("merge", "option %s needs a value", argv[optind - 1]);
    default:
      return cli_usage("merge", "unknown option \"%s\"", argv[optind - 1]);
    }
  }
  if (optind >= argc) return cli_usage("merge", "no part files given");
  cli_stop_install();
  if (!output) return cli_usage("merge", "no output file given (-o FILE)");
  char cmdline[4096];
  size_t len = (size_t)snprintf(cmdline, sizeof cmdline, "ddrsim");
  for (int i = 0; i < argc && len < sizeof cmdline; i++)
    len += (size_t)snprintf(cmdline + len, sizeof cmdline - len, " %s", argv[i]);
  ddr_error err;
  ddr_error_clear(&err);
  if (cli_merge_parts((const char *const *)argv + optind, (size_t)(argc - optind), output, force,
                      keep_tally, cmdline, &err))
    return cli_fail(&err);
  if (!quiet) cli_print_merged(output);
  return 0;
}

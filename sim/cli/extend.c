/* ddrsim run --extend FILE -n MORE: add replications to a finished run.
 * Replication r depends only on (scenario, seed, r), so replications n to
 * n + MORE - 1 are run from FILE's own scenario and seed into a hidden part
 * file beside the output, and joined with FILE by ddrsim merge's code: the
 * result is the file of a run of n + MORE replications, bit for bit (all
 * but /provenance). Exact summaries need FILE's tally: kept in /tally by a
 * run with --extendable (and by every extended file), or rebuilt from the
 * series of a run with --store full. FILE is replaced only once the new
 * file is complete (or left alone with -o OTHER). */
#define _XOPEN_SOURCE 700 /* realpath */
#include "extend.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "ddrsim/part.h"

/* The hidden part beside the output: ".<name>.extend-<pid>.h5" */
static void part_path(const char *output, char *buf, size_t size) {
  const char *slash = strrchr(output, '/');
  int dlen = slash ? (int)(slash - output + 1) : 0;
  snprintf(buf, size, "%.*s.%s.extend-%ld.h5", dlen, output, output + dlen, (long)getpid());
}

/* Replications [first, first + more) of the run of file into a part. */
static ddr_status run_more(const ddr_scenario *scn, const ddr_part *p0, const cli_extend *x,
                           const char *path, ddr_error *err) {
  const ddr_part_info *pi = ddr_part_info_of(p0);
  int full = ddr_part_full(p0);
  ddr_part_info part = {2, 2, pi->count, x->more, pi->count + x->more, pi->seed};
  ddr_store_header hdr;
  cli_header_arrays harr = {0};
  ddr_store *st = NULL;
  ddr_tally *t = NULL;
  ddr_results *res = NULL;
  char *resolved = NULL;
  ddr_status rc;
  if ((rc = ddr_scenario_resolved_text(scn, &resolved, err)) ||
      (rc = cli_store_header(scn, resolved, full, x->more, &hdr, &harr, err)))
    goto done;
  hdr.part = &part;
  if ((rc = cli_store_create(1, path, 1, &hdr, &st, err))) goto done;
  ddr_run_options opt = *x->opt;
  opt.seed = pi->seed, opt.replications = x->more, opt.first = pi->count, opt.keep_series = full;
  ddr_sink sink = ddr_store_sink(st);
  if ((rc = ddr_engine_run_tally(scn, &opt, &sink, &t, err)) ||
      (rc = ddr_store_write_tally(st, t, err)) ||
      (rc = ddr_engine_summarise(scn, t, opt.threads, &res, err)))
    goto done;
  ddr_run_info info = {.version = "", .seed = pi->seed, .replications = x->more};
  ddr_store *s = st;
  st = NULL; /* finish frees it */
  rc = ddr_store_finish(s, res, &info, err);
done:
  ddr_store_abort(st);
  cli_stop_temp(1, NULL);
  ddr_results_free(res);
  ddr_tally_free(t);
  cli_header_arrays_free(&harr);
  free(resolved);
  return rc;
}

ddr_status cli_extend_run(const cli_extend *x, const char *command_line, ddr_error *err) {
  /* in place through a symbolic link: the file it points to */
  char real[PATH_MAX];
  const char *output = x->output ? x->output : realpath(x->file, real) ? real : x->file;
  char path[PATH_MAX + 64] = "";
  ddr_part *p[2] = {NULL, NULL};
  ddr_scenario *scn = NULL;
  struct stat sb;
  ddr_status rc;
  if ((rc = ddr_part_open_whole(x->file, &p[0], err))) return rc;
  uint64_t n = ddr_part_info_of(p[0])->count;
  if (x->more > DDR_MAX_REPLICATIONS - n) {
    rc = ddr_error_set(err, DDR_EUSAGE, x->file, 0, 0, NULL,
                       "%s holds %llu replications: %llu more would pass the most a run may have "
                       "(%llu)",
                       x->file, (unsigned long long)n, (unsigned long long)x->more,
                       (unsigned long long)DDR_MAX_REPLICATIONS);
    goto done;
  }
  if (!ddr_part_has_tally(p[0]) && !ddr_part_full(p[0])) {
    rc = ddr_error_set(err, DDR_EINPUT, x->file, 0, 0, NULL,
                       "%s keeps neither its tally nor its series, so replications cannot be "
                       "added to it exactly; run with --extendable (or --store full) to extend "
                       "a run later, or run this one again with -n %llu",
                       x->file, (unsigned long long)(ddr_part_info_of(p[0])->count + x->more));
    goto done;
  }
  if (x->output && !x->force && lstat(x->output, &sb) == 0) {
    rc =
        ddr_error_set(err, DDR_EEXIST, x->output, 0, 0, NULL,
                      "%s exists; refusing to overwrite it (use --force to replace it)", x->output);
    goto done;
  }
  part_path(output, path, sizeof path);
  cli_stop_temp(2, path);
  if ((rc = cli_part_scenario(p[0], &scn, err)) || (rc = run_more(scn, p[0], x, path, err)) ||
      (rc = ddr_part_open(path, &p[1], err)))
    goto done;
  /* FILE itself is replaced, atomically, once the new file is complete; an
   * OTHER that appeared meanwhile is not, without --force */
  rc = cli_merge_write(p, 2, output, x->output ? x->force : 1, 1, command_line, err);
done:
  ddr_part_close(p[0]);
  ddr_part_close(p[1]);
  ddr_scenario_free(scn);
  cli_stop_temp(2, NULL);
  if (path[0]) unlink(path);
  return rc;
}

/* ddrsim run --checkpoint DIR: the run in segments of replications, each
 * written to DIR as a part file (its rows and exact tally) under a temporary
 * name and renamed into place only once complete, so that a kill at any
 * moment, even SIGKILL, leaves complete segments and at most a temporary
 * file. --resume keeps the segments that belong to this run, removes the
 * temporary files (and the output's, left by a kill while joining) and runs
 * the rest. One run at a time may use a checkpoint (a lock). The result file is then joined from
 * the segments by ddrsim merge's code: tallies add up exactly and rows are
 * copied in order, so it is the file of an uninterrupted run, bit for bit.
 *
 * Segments are named segment-<first replication, 20 digits>.h5; their /part
 * says which replications they hold (shard: the segment's number, shards
 * 4294967295: a checkpoint's segment, not a shard of a plan). */
#include "checkpoint.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "ddrsim/part.h"

#define SEGMENT_SECONDS 60.0 /* work per segment by default */
#define SEGMENT_FIRST   1024 /* replications of the first, which measures the pace */
#define SEGMENT_ROUND   256  /* segments are whole chunks of rows */
#define SEGMENT_MARK    UINT32_MAX

typedef struct segments {
  ddr_part **p; /* in replication order */
  size_t n, cap;
} segments;

static void segments_free(segments *s) {
  for (size_t i = 0; i < s->n; i++) ddr_part_close(s->p[i]);
  free(s->p);
  s->p = NULL, s->n = s->cap = 0;
}

static int is_segment(const char *name) {
  size_t n = strlen(name);
  return strncmp(name, "segment-", 8) == 0 && n > 11 && strcmp(name + n - 3, ".h5") == 0;
}

/* a temporary file a killed run left: ".segment-....h5.tmp.PID" */
static int is_leftover(const char *name) {
  return strncmp(name, ".segment-", 9) == 0 && strstr(name, ".h5.tmp.") != NULL;
}

static int by_first(const void *a, const void *b) {
  uint64_t x = ddr_part_info_of(*(ddr_part *const *)a)->first,
           y = ddr_part_info_of(*(ddr_part *const *)b)->first;
  return x < y ? -1 : x > y;
}

/* Does segment p belong to the run (same scenario, seed, replications,
 * store)? */
static ddr_status check_segment(const ddr_part *p, const ddr_store_header *hdr,
                                const ddr_run_options *opt, ddr_error *err) {
  const ddr_part_info *pi = ddr_part_info_of(p);
  const char *name = ddr_part_path(p), *why = NULL;
  char buf[128];
  if (pi->shards != SEGMENT_MARK)
    why = "it is not a checkpoint's segment";
  else if (strcmp(ddr_part_resolved(p), hdr->resolved_text))
    why = "its scenario differs (after extends and --set)";
  else if (pi->seed != opt->seed)
    snprintf(buf, sizeof buf, "its seed is %llu, not %llu", (unsigned long long)pi->seed,
             (unsigned long long)opt->seed),
        why = buf;
  else if (pi->total != opt->replications)
    snprintf(buf, sizeof buf, "it is of a run of %llu replications, not %llu",
             (unsigned long long)pi->total, (unsigned long long)opt->replications),
        why = buf;
  else if (ddr_part_full(p) != hdr->full)
    why = hdr->full ? "it was run with --store summary, not full" : "it was run with --store full";
  if (!why) return DDR_OK;
  return ddr_error_set(err, DDR_EINPUT, name, 0, 0, NULL,
                       "%s is a checkpoint of another run: %s; resume with the options it was "
                       "run with, or remove the checkpoint",
                       name, why);
}

/* Read the checkpoint: its segments of this run, in order, covering
 * replications 0 .. *done - 1; temporary files of a killed run removed. */
static ddr_status read_checkpoint(const cli_checkpoint *ck, const ddr_store_header *hdr,
                                  const ddr_run_options *opt, segments *s, uint64_t *done,
                                  ddr_error *err) {
  DIR *d = opendir(ck->dir);
  if (!d)
    return ddr_error_set(err, DDR_EIO, ck->dir, 0, 0, NULL, "cannot read the checkpoint %s: %s",
                         ck->dir, strerror(errno));
  ddr_status rc = DDR_OK;
  struct dirent *e;
  char path[4096 + 300];
  while (!rc && (e = readdir(d))) {
    snprintf(path, sizeof path, "%s/%s", ck->dir, e->d_name);
    if (is_leftover(e->d_name)) {
      if (ck->resume) unlink(path);
      continue;
    }
    if (!is_segment(e->d_name)) continue;
    if (!ck->resume) {
      rc = ddr_error_set(err, DDR_EEXIST, ck->dir, 0, 0, NULL,
                         "%s holds a checkpoint already; add --resume to go on with it, or "
                         "remove it",
                         ck->dir);
      break;
    }
    if (s->n == s->cap) {
      size_t cap = s->cap ? 2 * s->cap : 16;
      ddr_part **p = realloc(s->p, cap * sizeof *p);
      if (!p) {
        rc = ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory");
        break;
      }
      s->p = p, s->cap = cap;
    }
    if (!(rc = ddr_part_open(path, &s->p[s->n], err))) {
      s->n++;
      rc = check_segment(s->p[s->n - 1], hdr, opt, err);
    }
  }
  closedir(d);
  if (rc) return rc;
  if (s->n) qsort(s->p, s->n, sizeof *s->p, by_first); /* s->p is NULL when there is none */
  *done = 0;
  for (size_t i = 0; i < s->n; i++) {
    const ddr_part_info *pi = ddr_part_info_of(s->p[i]);
    if (pi->first != *done)
      return ddr_error_set(err, DDR_EINPUT, ddr_part_path(s->p[i]), 0, 0, NULL,
                           "the checkpoint %s is damaged: %s holds replications from %llu, but "
                           "those before it end at %llu",
                           ck->dir, ddr_part_path(s->p[i]), (unsigned long long)pi->first,
                           (unsigned long long)*done);
    *done += pi->count;
  }
  return DDR_OK;
}

typedef struct offset_progress {
  const ddr_run_options *opt;
  uint64_t before;
} offset_progress;

static void segment_progress(void *ctx, uint64_t done, uint64_t total) {
  offset_progress *op = ctx;
  (void)total;
  op->opt->progress(op->opt->progress_ctx, op->before + done, op->opt->replications);
}

/* Run replications [first, first + count) into a new segment. */
static ddr_status run_segment(const cli_checkpoint *ck, const ddr_scenario *scn,
                              const ddr_store_header *whole, const ddr_run_options *opt,
                              uint32_t number, uint64_t first, uint64_t count, ddr_error *err) {
  char path[4096 + 64];
  snprintf(path, sizeof path, "%s/segment-%020llu.h5", ck->dir, (unsigned long long)first);
  ddr_part_info pi = {number, SEGMENT_MARK, first, count, opt->replications, opt->seed};
  ddr_store_header hdr = *whole;
  hdr.replications = count;
  hdr.part = &pi;
  ddr_store *st = NULL;
  ddr_tally *t = NULL;
  ddr_results *res = NULL;
  offset_progress op = {opt, first};
  ddr_run_options o = *opt;
  o.first = first, o.replications = count;
  o.progress = opt->progress ? segment_progress : NULL, o.progress_ctx = &op;
  ddr_status rc = cli_store_create(1, path, 1, &hdr, &st, err);
  if (rc) return rc;
  ddr_sink sink = ddr_store_sink(st);
  if (!(rc = ddr_engine_run_tally(scn, &o, &sink, &t, err)) &&
      !(rc = ddr_store_write_tally(st, t, err)) &&
      !(rc = ddr_engine_summarise(scn, t, opt->threads, &res, err))) {
    ddr_run_info info = {.version = "", .seed = opt->seed, .replications = count};
    ddr_store *s = st;
    st = NULL; /* finish frees it */
    rc = ddr_store_finish(s, res, &info, err);
  }
  ddr_store_abort(st);
  cli_stop_temp(1, NULL);
  ddr_results_free(res);
  ddr_tally_free(t);
  return rc;
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* The next segment's replications: as asked, or about SEGMENT_SECONDS of
 * work at the pace of the last (rate: replications per second, 0 before the
 * first). Each segment costs its tally written and read again, a second or
 * so: a segment of a minute keeps that to a few percent. */
static uint64_t segment_size(const cli_checkpoint *ck, double rate) {
  if (ck->every) return ck->every;
  if (rate <= 0) return SEGMENT_FIRST;
  double r = rate * SEGMENT_SECONDS;
  uint64_t n = r > 1e12 ? (uint64_t)1e12 : (uint64_t)r;
  n = (n + SEGMENT_ROUND - 1) / SEGMENT_ROUND * SEGMENT_ROUND;
  return n < SEGMENT_ROUND ? SEGMENT_ROUND : n;
}

/* The segments, and the checkpoint itself, once the result is in place. */
static void remove_checkpoint(const cli_checkpoint *ck, const segments *s) {
  for (size_t i = 0; i < s->n; i++) {
    const ddr_part_info *pi = ddr_part_info_of(s->p[i]);
    char path[4096 + 64];
    snprintf(path, sizeof path, "%s/segment-%020llu.h5", ck->dir, (unsigned long long)pi->first);
    unlink(path);
  }
  char lock[4096 + 16];
  snprintf(lock, sizeof lock, "%s/.lock", ck->dir);
  unlink(lock);
  rmdir(ck->dir); /* only when empty: a user's other files stay */
}

/* One run at a time in a checkpoint: a second would remove the first's
 * temporary files and mix segments. The lock goes with the process, even
 * when it is killed. Returns the lock's descriptor, or -1 (err set). */
static int lock_checkpoint(const cli_checkpoint *ck, ddr_error *err) {
  char path[4096 + 16];
  snprintf(path, sizeof path, "%s/.lock", ck->dir);
  int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  if (fd < 0) {
    ddr_error_set(err, DDR_EIO, ck->dir, 0, 0, NULL, "cannot use the checkpoint %s: %s", ck->dir,
                  strerror(errno));
    return -1;
  }
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ddr_error_set(err, DDR_EEXIST, ck->dir, 0, 0, NULL,
                  "another run is using the checkpoint %s (it is locked)", ck->dir);
    close(fd);
    return -1;
  }
  return fd;
}

/* Every segment is open while they are read and joined: make room for as
 * many files as the system allows, or say what to do. */
static ddr_status room_for_segments(const cli_checkpoint *ck, ddr_error *err) {
  size_t n = 0;
  DIR *d = opendir(ck->dir);
  for (struct dirent *e; d && (e = readdir(d));) n += is_segment(e->d_name);
  if (d) closedir(d);
  struct rlimit rl;
  rlim_t want = (rlim_t)n + 64;
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= want) return DDR_OK;
  rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ? want : rl.rlim_max;
  if (setrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur >= want) return DDR_OK;
  return ddr_error_set(err, DDR_ENOMEM, ck->dir, 0, 0, NULL,
                       "the checkpoint %s holds %zu segments, more than the %llu files a process "
                       "may open here (ulimit -n); raise the limit and run again with --resume",
                       ck->dir, n, (unsigned long long)rl.rlim_max);
}

/* The temporary files of the output that a run killed while joining its
 * segments left beside it (".NAME.tmp.PID", PID no longer running). */
static void remove_dead_temps(const char *output) {
  const char *slash = strrchr(output, '/');
  const char *base = slash ? slash + 1 : output;
  char dir[4096], prefix[4096 + 8], path[8192 + 16];
  cli_output_dir(output, dir, sizeof dir);
  snprintf(prefix, sizeof prefix, ".%s.tmp.", base);
  DIR *d = opendir(dir);
  struct dirent *e;
  while (d && (e = readdir(d))) {
    size_t n = strlen(prefix);
    if (strncmp(e->d_name, prefix, n) != 0) continue;
    char *rest;
    long pid = strtol(e->d_name + n, &rest, 10);
    if (*rest || pid <= 0 || (kill((pid_t)pid, 0) != 0 && errno == ESRCH)) {
      snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
      unlink(path);
    }
  }
  if (d) closedir(d);
}

ddr_status cli_checkpoint_run(const cli_checkpoint *ck, const ddr_scenario *scn,
                              const ddr_store_header *hdr, const ddr_run_options *opt,
                              const char *output, int force, const char *command_line,
                              ddr_error *err) {
  segments s = {0};
  uint64_t done = 0, N = opt->replications;
  double rate = 0;
  struct stat sb;
  ddr_status rc = DDR_OK;
  int lock = -1;
  if (!force && lstat(output, &sb) == 0)
    return ddr_error_set(err, DDR_EEXIST, output, 0, 0, NULL,
                         "%s exists; refusing to overwrite it (use --force to replace it)", output);
  /* better known before the run than after it */
  if ((rc = cli_output_check(output, err))) return rc;
  if (mkdir(ck->dir, 0777) != 0 && errno != EEXIST)
    return ddr_error_set(err, DDR_EIO, ck->dir, 0, 0, NULL,
                         "cannot create the checkpoint directory %s: %s", ck->dir, strerror(errno));
  if (stat(ck->dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
    return ddr_error_set(err, DDR_EIO, ck->dir, 0, 0, NULL, "the checkpoint %s is not a directory",
                         ck->dir);
  if ((lock = lock_checkpoint(ck, err)) < 0) return err->status;
  if (ck->resume) remove_dead_temps(output);
  if ((rc = room_for_segments(ck, err)) || (rc = read_checkpoint(ck, hdr, opt, &s, &done, err)))
    goto done;
  if (done > 0 && opt->progress) opt->progress(opt->progress_ctx, done, N);
  uint32_t number = (uint32_t)s.n + 1;
  segments_free(&s); /* all of them are read again at the end */
  for (; done < N; number++) {
    uint64_t every = segment_size(ck, rate), count = N - done < every ? N - done : every;
    double t0 = now();
    if ((rc = run_segment(ck, scn, hdr, opt, number, done, count, err))) {
      if (rc == DDR_EINTERRUPT)
        ddr_error_set(err, rc, NULL, 0, 0, NULL,
                      "interrupted; the %llu of %llu replications done are kept in %s: run the "
                      "same command with --resume to go on",
                      (unsigned long long)done, (unsigned long long)N, ck->dir);
      goto done;
    }
    done += count;
    double t = now() - t0;
    rate = t > 0 ? (double)count / t : 0;
  }
  if ((rc = room_for_segments(ck, err)) ||
      (rc = read_checkpoint(&(cli_checkpoint){ck->dir, ck->every, 1, ck->keep_tally}, hdr, opt, &s,
                            &done, err)))
    goto done;
  if (done != N || s.n == 0) {
    rc = ddr_error_set(err, DDR_EINTERNAL, ck->dir, 0, 0, NULL,
                       "the checkpoint %s holds %llu of %llu replications after the run", ck->dir,
                       (unsigned long long)done, (unsigned long long)N);
    goto done;
  }
  if (!(rc = cli_merge_write(s.p, (uint32_t)s.n, output, force, ck->keep_tally, command_line, err)))
    remove_checkpoint(ck, &s);
done:
  segments_free(&s);
  if (lock >= 0) close(lock);
  return rc;
}

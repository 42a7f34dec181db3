/* `ddrsim export FILE.h5 --csv DIR`: a result file as CSV files a
 * spreadsheet opens (the files are described in docs/export.md).
 *
 * Each file is written under a temporary name in DIR and renamed when
 * complete, so a failure or Ctrl-C never leaves a half file under a final
 * name; existing files are never replaced without --force, and they are all
 * checked before anything is written. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "ddrsim/stats.h"

static const char export_usage[] =
    "Usage: ddrsim export FILE.h5 --csv DIR [--force]\n"
    "\n"
    "Write a result file as CSV files a spreadsheet opens, in DIR (created if\n"
    "missing):\n"
    "  summary.csv    each metric at each date: mean, sd and quantiles\n"
    "  targets.csv    each target: probability met, its 95% interval, dates\n"
    "                 reached (quantiles, ISO dates or \"never\")\n"
    "  inputs.csv     each replication's sampled inputs\n"
    "  outcomes.csv   each replication's target results\n"
    "  events.csv     each event (only when the model reports events)\n"
    "  series/METRIC.csv  one per metric, a row per replication and a column per\n"
    "                 date (only for runs with --store full)\n"
    "See docs/export.md.\n"
    "\n"
    "      --csv DIR    directory to write to\n"
    "      --force      replace files that exist (default: refuse, write nothing)\n";

/* The temporary file being written, for the signal handler. */
static char temp_path[4096];
static volatile sig_atomic_t have_temp;

static void on_signal(int sig) {
  (void)sig;
  if (have_temp) unlink(temp_path);
  _exit(DDR_EINTERRUPT);
}

typedef struct exporter {
  const ddr_resfile *rf;
  const char *dir;
  int force;
  ddr_error *err;
} exporter;

/* A metric name as a file name: anything but letters, digits, '.', '-' and
 * '_' becomes '_'. */
static void file_name_of(const char *metric, char *buf, size_t size) {
  size_t i = 0;
  for (; metric[i] && i + 1 < size; i++) {
    char c = metric[i];
    int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             c == '.' || c == '-' || c == '_';
    buf[i] = ok && !(i == 0 && c == '.') ? c : '_';
  }
  buf[i] = '\0';
}

/* ---- The files ---- */

static void iso(int32_t day, FILE *fp) {
  char b[16];
  ddr_date_format(day, b, sizeof b);
  fputs(b, fp);
}

static void quantile_header(FILE *fp, const char *prefix) {
  for (int q = 0; q < DDR_NQUANTILES; q++)
    fprintf(fp, ",%sp%g", prefix, 100 * ddr_quantile_levels[q]);
}

static int write_summary(const ddr_resfile *rf, FILE *fp) {
  size_t T = rf->nsteps;
  fputs("metric,unit,date,day,mean,sd", fp);
  quantile_header(fp, "");
  fputc('\n', fp);
  for (size_t m = 0; m < rf->nmetrics; m++)
    for (size_t t = 0; t < T; t++) {
      size_t cell = m * T + t;
      int32_t last = ddr_calendar_step_last(&rf->cal, (int)t);
      cli_csv_field(fp, rf->metric_names[m]);
      fputc(',', fp);
      cli_csv_field(fp, rf->metric_units[m]);
      fputc(',', fp);
      iso(last, fp);
      fprintf(fp, ",%d,", (int)(last - rf->cal.start));
      cli_csv_number(fp, rf->mean[cell]);
      fputc(',', fp);
      cli_csv_number(fp, rf->sd[cell]);
      for (int q = 0; q < DDR_NQUANTILES; q++) {
        fputc(',', fp);
        cli_csv_number(fp, rf->quantiles[cell * DDR_NQUANTILES + q]);
      }
      fputc('\n', fp);
    }
  return 0;
}

static int write_targets(const ddr_resfile *rf, FILE *fp) {
  char d[16];
  fputs("id,label,metric,threshold,deadline,replications,met_count,probability,interval_lo,"
        "interval_hi,reached_count",
        fp);
  quantile_header(fp, "date_");
  fputc('\n', fp);
  for (size_t g = 0; g < rf->ntargets; g++) {
    const ddr_resfile_target *t = &rf->targets[g];
    cli_csv_field(fp, t->id);
    fputc(',', fp);
    cli_csv_field(fp, t->label);
    fputc(',', fp);
    cli_csv_field(fp, t->metric);
    fputc(',', fp);
    cli_csv_number(fp, t->threshold);
    fputc(',', fp);
    iso(t->deadline, fp);
    fprintf(fp, ",%llu,%llu,", (unsigned long long)rf->replications, (unsigned long long)t->s.met);
    cli_csv_number(fp, t->s.prob);
    fputc(',', fp);
    cli_csv_number(fp, t->s.lo);
    fputc(',', fp);
    cli_csv_number(fp, t->s.hi);
    fprintf(fp, ",%llu", (unsigned long long)t->s.reached);
    for (int q = 0; q < DDR_NQUANTILES; q++) {
      cli_day_iso(rf, t->s.day_q[q], d, sizeof d);
      fprintf(fp, ",%s", d);
    }
    fputc('\n', fp);
  }
  return 0;
}

static int write_inputs(const ddr_resfile *rf, FILE *fp, ddr_error *err) {
  ddr_resfile_inputs *in;
  if (ddr_resfile_read_inputs(rf, &in, err)) return -1;
  fputs("replication", fp);
  for (size_t c = 0; c < in->ncols; c++) {
    fputc(',', fp);
    cli_csv_field(fp, in->name[c]);
  }
  fputc('\n', fp);
  for (uint64_t i = 0; i < rf->replications; i++) {
    fprintf(fp, "%llu", (unsigned long long)i);
    for (size_t c = 0; c < in->ncols; c++) {
      double v = in->values[i * in->ncols + c];
      fputc(',', fp);
      /* sampled dates are days since 1970-01-01: a spreadsheet reads ISO */
      if (strcmp(in->kind[c], "a date") == 0 && v == floor(v) && fabs(v) < 1e7)
        iso((int32_t)v, fp);
      else
        cli_csv_number(fp, v);
    }
    fputc('\n', fp);
  }
  ddr_resfile_inputs_free(in);
  return 0;
}

static int write_outcomes(const ddr_resfile *rf, FILE *fp, ddr_error *err) {
  size_t G = rf->ntargets, cells = (size_t)rf->replications * G;
  uint8_t *met = malloc(cells + 1);
  int32_t *step = malloc((cells + 1) * sizeof *step);
  int rc = -1;
  if (!met || !step) {
    ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory reading %s", rf->path);
    goto done;
  }
  if (ddr_resfile_outcomes(rf, met, step, err)) goto done;
  fputs("replication", fp);
  for (size_t g = 0; g < G; g++) {
    const char *id = rf->targets[g].id;
    static const char *const cols[] = {"met", "date_reached", "day_reached"};
    for (int k = 0; k < 3; k++) {
      char name[600];
      snprintf(name, sizeof name, "%s.%s", id, cols[k]);
      fputc(',', fp);
      cli_csv_field(fp, name);
    }
  }
  fputc('\n', fp);
  for (uint64_t i = 0; i < rf->replications; i++) {
    fprintf(fp, "%llu", (unsigned long long)i);
    for (size_t g = 0; g < G; g++) {
      int32_t s = step[i * G + g];
      fprintf(fp, ",%d,", met[i * G + g] ? 1 : 0);
      if (s < 0) {
        fputs("never,", fp); /* and an empty day */
        continue;
      }
      int32_t day = ddr_calendar_step_last(&rf->cal, s);
      iso(day, fp);
      fprintf(fp, ",%d", (int)(day - rf->cal.start));
    }
    fputc('\n', fp);
  }
  rc = 0;
done:
  free(met);
  free(step);
  return rc;
}

static int write_events(const ddr_resfile *rf, FILE *fp, ddr_error *err) {
  ddr_resfile_events *ev;
  if (ddr_resfile_read_events(rf, &ev, err)) return -1;
  fputs("replication,kind,label,first_step,last_step,first_day,last_day,first_date,last_date\n",
        fp);
  for (size_t i = 0; i < ev->n; i++) {
    const ddr_resfile_event_kind *k = &rf->event_kinds[ev->kind[i]];
    fprintf(fp, "%llu,", (unsigned long long)ev->replication[i]);
    cli_csv_field(fp, k->name);
    fputc(',', fp);
    cli_csv_field(fp, k->label);
    fprintf(fp, ",%d,%d,%d,%d,", (int)ev->first_step[i], (int)ev->last_step[i],
            (int)ev->first_day[i], (int)ev->last_day[i]);
    iso(rf->cal.start + ev->first_day[i], fp);
    fputc(',', fp);
    iso(rf->cal.start + ev->last_day[i], fp);
    fputc('\n', fp);
  }
  ddr_resfile_events_free(ev);
  return 0;
}

static int write_series(const ddr_resfile *rf, size_t m, FILE *fp, ddr_error *err) {
  size_t T = rf->nsteps;
  int32_t *v = malloc(((size_t)rf->replications * T + 1) * sizeof *v);
  if (!v) {
    ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory reading %s", rf->path);
    return -1;
  }
  if (ddr_resfile_series(rf, m, v, err)) {
    free(v);
    return -1;
  }
  fputs("replication", fp);
  for (size_t t = 0; t < T; t++) {
    fputc(',', fp);
    iso(ddr_calendar_step_last(&rf->cal, (int)t), fp);
  }
  fputc('\n', fp);
  for (uint64_t i = 0; i < rf->replications; i++) {
    fprintf(fp, "%llu", (unsigned long long)i);
    for (size_t t = 0; t < T; t++) fprintf(fp, ",%d", (int)v[i * T + t]);
    fputc('\n', fp);
  }
  free(v);
  return 0;
}

/* ---- Writing one file safely ---- */

enum { F_SUMMARY, F_TARGETS, F_INPUTS, F_OUTCOMES, F_EVENTS, F_SERIES };

typedef struct out_file {
  int what;
  size_t metric; /* F_SERIES */
  char path[4096];
  int created; /* written by this export where no file was: removed if it fails */
} out_file;

static int write_body(const exporter *ex, const out_file *o, FILE *fp) {
  switch (o->what) {
  case F_SUMMARY:
    return write_summary(ex->rf, fp);
  case F_TARGETS:
    return write_targets(ex->rf, fp);
  case F_INPUTS:
    return write_inputs(ex->rf, fp, ex->err);
  case F_OUTCOMES:
    return write_outcomes(ex->rf, fp, ex->err);
  case F_EVENTS:
    return write_events(ex->rf, fp, ex->err);
  default:
    return write_series(ex->rf, o->metric, fp, ex->err);
  }
}

/* "<dir>/.<base>.tmp.<pid>" beside path. */
static void temp_name_of(const char *path, char *buf, size_t size) {
  const char *slash = strrchr(path, '/');
  size_t dlen = slash ? (size_t)(slash - path + 1) : 0;
  snprintf(buf, size, "%.*s.%s.tmp.%ld", (int)dlen, path, path + dlen, (long)getpid());
}

static int file_exists(const char *path);

static ddr_status write_file(const exporter *ex, out_file *o) {
  sigset_t block, saved;
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigaddset(&block, SIGTERM);
  /* no signal between the temporary file appearing and its name being known */
  sigprocmask(SIG_BLOCK, &block, &saved);
  temp_name_of(o->path, temp_path, sizeof temp_path);
  FILE *fp = fopen(temp_path, "wx");
  have_temp = fp != NULL;
  sigprocmask(SIG_SETMASK, &saved, NULL);
  if (!fp)
    return ddr_error_set(ex->err, DDR_EIO, NULL, 0, 0, NULL, "cannot write %s: %s", o->path,
                         strerror(errno));
  int existed = file_exists(o->path);
  int rc = write_body(ex, o, fp);
  int werr = ferror(fp) || fflush(fp) != 0 || fsync(fileno(fp)) != 0;
  int saved_errno = errno;
  if (fclose(fp) != 0) werr = 1;
  ddr_status st = DDR_OK;
  if (rc == 0 && werr)
    st = ddr_error_set(ex->err, DDR_EIO, NULL, 0, 0, NULL, "cannot write %s: %s", o->path,
                       strerror(saved_errno));
  else if (rc != 0)
    st = ex->err->status ? ex->err->status : DDR_EINTERNAL;
  else if (!ex->force && link(temp_path, o->path) == 0)
    ; /* in place, and nothing was replaced */
  else if (!ex->force && errno == EEXIST)
    st = ddr_error_set(ex->err, DDR_EEXIST, NULL, 0, 0, NULL,
                       "%s appeared while exporting: not replaced (use --force to replace it)",
                       o->path);
  else if ((ex->force || access(o->path, F_OK) != 0) && rename(temp_path, o->path) == 0)
    have_temp = 0; /* forced, or no hard links on this file system */
  else if (!st)
    st = ddr_error_set(ex->err, DDR_EIO, NULL, 0, 0, NULL, "cannot create %s: %s", o->path,
                       strerror(errno));
  if (have_temp) unlink(temp_path);
  have_temp = 0;
  o->created = st == DDR_OK && !existed;
  return st;
}

/* ---- The command ---- */

/* Make dir and any missing parent; *made is the length of the shortest
 * prefix of dir this call created (0: none), for undo_dir. */
static ddr_status make_dir(const char *dir, size_t *made, ddr_error *err) {
  char path[4096];
  struct stat sb;
  *made = 0;
  snprintf(path, sizeof path, "%s", dir);
  /* each missing component in turn, as mkdir -p */
  for (char *p = path + 1;; p++) {
    char c = *p;
    if (c != '/' && c != '\0') continue;
    *p = '\0';
    if (mkdir(path, 0777) == 0) {
      if (!*made) *made = strlen(path);
    } else if (errno != EEXIST) {
      return ddr_error_set(err, DDR_EIO, NULL, 0, 0, NULL, "cannot create directory %s: %s", path,
                           strerror(errno));
    }
    *p = c;
    if (!c) break;
  }
  if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
    return ddr_error_set(err, DDR_EIO, NULL, 0, 0, NULL, "%s is not a directory", dir);
  return DDR_OK;
}

/* Remove the directories make_dir created (emptied first by the caller):
 * dir, then its parents down to the first one made. */
static void undo_dir(const char *dir, size_t made) {
  char path[4096];
  snprintf(path, sizeof path, "%s", dir);
  for (size_t len = strlen(path); made && len >= made; len = strlen(path)) {
    if (rmdir(path) != 0) return;
    char *slash = strrchr(path, '/');
    if (!slash) return;
    *slash = '\0';
  }
}

/* The files to write, in order; returns how many (NULL when out of
 * memory). */
static out_file *plan_files(const ddr_resfile *rf, const char *dir, int has_events, size_t *n) {
  static const char *const names[] = {"summary.csv", "targets.csv", "inputs.csv", "outcomes.csv",
                                      "events.csv"};
  size_t nseries = rf->full ? rf->nmetrics : 0;
  out_file *o = calloc(5 + nseries, sizeof *o);
  if (!o) return NULL;
  *n = 0;
  for (int k = F_SUMMARY; k <= F_EVENTS; k++) {
    if (k == F_EVENTS && !has_events) continue;
    o[*n].what = k;
    snprintf(o[(*n)++].path, sizeof o->path, "%s/%s", dir, names[k]);
  }
  for (size_t m = 0; m < nseries; m++) {
    char base[512];
    file_name_of(rf->metric_names[m], base, sizeof base);
    o[*n].what = F_SERIES;
    o[*n].metric = m;
    snprintf(o[(*n)++].path, sizeof o->path, "%s/series/%s.csv", dir, base);
  }
  return o;
}

static int file_exists(const char *path) {
  struct stat sb;
  return lstat(path, &sb) == 0;
}

int cmd_export(int argc, char **argv) {
  static const struct option longopts[] = {{"csv", required_argument, NULL, 'c'},
                                           {"force", no_argument, NULL, 'F'},
                                           {"help", no_argument, NULL, 'h'},
                                           {NULL, 0, NULL, 0}};
  const char *dir = NULL;
  int c, force = 0;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
    switch (c) {
    case 'c':
      dir = optarg;
      break;
    case 'F':
      force = 1;
      break;
    case 'h':
      fputs(export_usage, stdout);
      return 0;
    case ':':
      return cli_usage("export", "option %s needs a value", argv[optind - 1]);
    default:
      return cli_usage("export", "unknown option \"%s\"", argv[optind - 1]);
    }
  }
  if (optind + 1 != argc) return cli_usage("export", "expected one result file");
  if (!dir || !*dir) return cli_usage("export", "--csv DIR says where to write the CSV files");
  ddr_error err;
  ddr_error_clear(&err);
  ddr_resfile *rf = NULL;
  out_file *files = NULL;
  size_t n = 0, made_dir = 0, made_series = 0;
  int status = 0;
  char series_dir[4200] = "";
  struct sigaction sa = {0};
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  if (ddr_resfile_load(argv[optind], &rf, &err)) goto fail;
  if (!(files = plan_files(rf, dir, rf->nevent_kinds > 0, &n))) {
    ddr_error_set(&err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    goto fail;
  }
  /* all or nothing: check every name before writing the first file */
  for (size_t i = 0; !force && i < n; i++)
    if (file_exists(files[i].path)) {
      ddr_error_set(&err, DDR_EEXIST, NULL, 0, 0, NULL,
                    "%s exists: nothing was written (use --force to replace the files)",
                    files[i].path);
      goto fail;
    }
  snprintf(series_dir, sizeof series_dir, "%s/series", dir);
  if (make_dir(dir, &made_dir, &err) || (rf->full && make_dir(series_dir, &made_series, &err)))
    goto fail;
  exporter ex = {rf, dir, force, &err};
  for (size_t i = 0; i < n; i++)
    if (write_file(&ex, &files[i])) goto fail;
  goto done;
fail:
  /* all or nothing: what this export added goes; files it replaced
   * (--force) cannot come back */
  for (size_t i = 0; files && i < n; i++)
    if (files[i].created) unlink(files[i].path);
  undo_dir(series_dir, made_series);
  undo_dir(dir, made_dir);
  status = cli_fail(&err);
done:
  free(files);
  ddr_resfile_free(rf);
  return status;
}

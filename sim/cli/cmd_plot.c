/* `ddrsim plot`: a fan chart of one metric from a result file, against the
 * targets on it, drawn by gnuplot from the template plots/fan.gp. */
#include <errno.h>
#include <stdarg.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "ddrsim/stats.h"
#include "ddrsim/version.h"

static const char plot_usage[] =
    "Usage: ddrsim plot FILE.h5 [OPTIONS]\n"
    "\n"
    "Draw a fan chart of a metric over time: the median and the bands holding 50%,\n"
    "80% and 95% of replications, with the targets on that metric, their deadlines\n"
    "and the probability of meeting them. The format follows the output name:\n"
    ".png, .svg or .pdf. An existing plot is replaced.\n"
    "\n"
    "  -o, --output FILE   image to write (default: FILE.h5 with .png)\n"
    "  -m, --metric NAME   metric to draw (default: that of the first target)\n"
    "      --keep-script   keep the data (.dat) and gnuplot script (.gp) beside it\n"
    "  -h, --help          this text\n";

/* 3000 -> "3,000" */
static void thousands(double x, char *buf, size_t size) {
  char digits[64];
  snprintf(digits, sizeof digits, "%.0f", fabs(x));
  size_t n = strlen(digits), k = 0;
  if (x < 0 && k + 1 < size) buf[k++] = '-';
  for (size_t i = 0; i < n && k + 2 < size; i++) {
    buf[k++] = digits[i];
    if ((n - i - 1) % 3 == 0 && i + 1 < n) buf[k++] = ',';
  }
  buf[k] = '\0';
}

/* 2022-06-30 -> "30 Jun 2022" */
static void long_date(int32_t day, char *buf, size_t size) {
  static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char iso[16];
  ddr_date_format(day, iso, sizeof iso);
  int m = atoi(iso + 5);
  snprintf(buf, size, "%d %s %.4s", atoi(iso + 8), months[(m - 1) % 12], iso);
}

/* Text for a gnuplot single-quoted string, where nothing is expanded (no
 * backquote commands, no escapes): only the quote itself is doubled. */
static void gp_escape(const char *in, char *out, size_t size) {
  size_t k = 0;
  for (; *in && k + 3 < size; in++) {
    if (*in == '\'') out[k++] = '\'';
    out[k++] = *in == '\n' || *in == '\r' ? ' ' : *in;
  }
  out[k] = '\0';
}

static const char *find_template(void) {
  static const char *const candidates[] = {"plots/fan.gp", DDRSIM_DATA_DIR "/plots/fan.gp",
                                           DDRSIM_SOURCE_DIR "/plots/fan.gp"};
  for (size_t i = 0; i < sizeof candidates / sizeof *candidates; i++)
    if (access(candidates[i], R_OK) == 0) return candidates[i];
  return NULL;
}

static int have_gnuplot(void) {
  const char *path = getenv("PATH");
  char buf[4096];
  for (const char *p = path ? path : "/usr/bin"; *p;) {
    size_t n = strcspn(p, ":");
    snprintf(buf, sizeof buf, "%.*s/gnuplot", (int)n, p);
    if (access(buf, X_OK) == 0) return 1;
    p += n + (p[n] == ':');
  }
  return 0;
}

/* Append text to a growing buffer. */
typedef struct sbuf {
  char *s;
  size_t n, cap;
} sbuf;

static void sb_add(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_add(sbuf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int need = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (need < 0) return;
  if (b->n + (size_t)need + 1 > b->cap) {
    size_t cap = (b->n + (size_t)need + 1) * 2;
    char *s = realloc(b->s, cap);
    if (!s) return;
    b->s = s, b->cap = cap;
  }
  va_start(ap, fmt);
  vsnprintf(b->s + b->n, b->cap - b->n, fmt, ap);
  va_end(ap);
  b->n += (size_t)need;
}

/* The template with every @NAME@ replaced by its value. */
static char *fill_template(const char *text, const char *const *names, const char *const *values,
                           size_t n) {
  sbuf out = {0};
  for (const char *p = text; *p;) {
    const char *at = strchr(p, '@');
    if (!at) {
      sb_add(&out, "%s", p);
      break;
    }
    sb_add(&out, "%.*s", (int)(at - p), p);
    size_t i;
    for (i = 0; i < n; i++)
      if (strncmp(at + 1, names[i], strlen(names[i])) == 0 && at[1 + strlen(names[i])] == '@')
        break;
    if (i < n) {
      sb_add(&out, "%s", values[i]);
      p = at + strlen(names[i]) + 2;
    } else {
      sb_add(&out, "@");
      p = at + 1;
    }
  }
  return out.s;
}

static int write_data(const ddr_resfile *rf, size_t m, const char *path) {
  FILE *f = fopen(path, "w");
  if (!f) return -1;
  size_t T = rf->nsteps;
  for (size_t t = 0; t < T; t++) {
    char d[16];
    ddr_date_format(ddr_calendar_step_last(&rf->cal, (int)t), d, sizeof d);
    fprintf(f, "%s", d);
    const double *q = rf->quantiles + (m * T + t) * DDR_NQUANTILES;
    for (int k = 0; k < DDR_NQUANTILES; k++) fprintf(f, ",%.6g", q[k]);
    fprintf(f, ",%.6g\n", rf->mean[m * T + t]);
  }
  return fclose(f);
}

/* Run gnuplot on a script, with no shell in between; what it prints (it
 * prints nothing when all is well) goes to said. Returns its exit status. */
static int run_gnuplot(const char *script, char *said, size_t size) {
  int fd[2];
  said[0] = '\0';
  if (pipe(fd)) return -1;
  pid_t pid = fork();
  if (pid < 0) {
    close(fd[0]), close(fd[1]);
    return -1;
  }
  if (pid == 0) {
    dup2(fd[1], STDOUT_FILENO);
    dup2(fd[1], STDERR_FILENO);
    close(fd[0]), close(fd[1]);
    execlp("gnuplot", "gnuplot", script, (char *)NULL);
    _exit(127);
  }
  close(fd[1]);
  size_t n = 0;
  ssize_t got;
  char sink[512];
  while ((got = read(fd[0], n + 1 < size ? said + n : sink,
                     n + 1 < size ? size - 1 - n : sizeof sink)) > 0)
    if (n + 1 < size) n += (size_t)got;
  said[n] = '\0';
  close(fd[0]);
  int status;
  if (waitpid(pid, &status, 0) < 0) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static char *targets_block(const ddr_resfile *rf, const char *metric, sbuf *lines) {
  sbuf b = {0};
  int k = 0;
  double drawn[64];
  int ndrawn = 0;
  sb_add(&b, "%s", "");
  for (size_t g = 0; g < rf->ntargets; g++) {
    const ddr_resfile_target *t = &rf->targets[g];
    if (strcmp(t->metric, metric) != 0) continue;
    char iso[16], when[32], thr[64];
    ddr_date_format(t->deadline, iso, sizeof iso);
    long_date(t->deadline, when, sizeof when);
    thousands(t->threshold, thr, sizeof thr);
    sb_add(&b,
           "set arrow %d from '%s', graph 0 to '%s', graph 1 nohead dt 3 lw 1.5 lc rgb "
           "\"#b2182b\"\n",
           k + 1, iso, iso);
    sb_add(
        &b,
        "set label %d '%s' at '%s', graph 0.03 left offset 0.5,0 font \",9\" tc rgb \"#b2182b\"\n",
        1000 + k, when, iso);
    /* two decimals, three near 0 or 1 where two would hide the interval */
    int dec = t->s.prob < 0.05 || t->s.prob > 0.95 ? 3 : 2;
    sb_add(&b,
           "set label %d \"P(≥ %s by %s) = %.*f [%.*f–%.*f]\" at graph 0.98, graph %.2f right "
           "font \",11\" tc rgb \"#b2182b\"\n",
           2000 + k, thr, when, dec, t->s.prob, dec, t->s.lo, dec, t->s.hi, 0.96 - 0.055 * k);
    int seen = 0;
    for (int i = 0; i < ndrawn; i++) seen |= drawn[i] == t->threshold;
    if (!seen && ndrawn < 64) {
      drawn[ndrawn++] = t->threshold;
      sb_add(lines, ", \\\n     %.17g with lines dt 2 lw 2 lc rgb \"#b2182b\" title 'target: %s'",
             t->threshold, thr);
    }
    k++;
  }
  return b.s;
}

/* gnuplot runs a file name that starts with '<' or '|' as a command: give it
 * paths that cannot, ./name for a relative one. */
static void plain_path(const char *in, char *out, size_t size) {
  snprintf(out, size, "%s%s", in[0] == '/' ? "" : "./", in);
}

static void replace_ext(const char *path, const char *ext, char *out, size_t size) {
  const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
  size_t n = dot && (!slash || dot > slash) ? (size_t)(dot - path) : strlen(path);
  snprintf(out, size, "%.*s%s", (int)n, path, ext);
}

static const char *terminal_for(const char *out) {
  const char *dot = strrchr(out, '.');
  if (!dot) return NULL;
  if (strcmp(dot, ".png") == 0)
    return "set terminal pngcairo size 1400,800 enhanced font \"DejaVu Sans,13\"";
  if (strcmp(dot, ".svg") == 0)
    return "set terminal svg size 1000,580 dynamic enhanced font \"DejaVu Sans,12\"";
  if (strcmp(dot, ".pdf") == 0)
    return "set terminal pdfcairo size 17cm,10cm enhanced font \"DejaVu Sans,9\"";
  return NULL;
}

int cmd_plot(int argc, char **argv) {
  static const struct option longopts[] = {{"output", required_argument, NULL, 'o'},
                                           {"metric", required_argument, NULL, 'm'},
                                           {"keep-script", no_argument, NULL, 'K'},
                                           {"help", no_argument, NULL, 'h'},
                                           {NULL, 0, NULL, 0}};
  const char *output = NULL, *metric = NULL;
  int keep = 0, c, status = 0;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":o:m:h", longopts, NULL)) != -1) {
    switch (c) {
    case 'o':
      output = optarg;
      break;
    case 'm':
      metric = optarg;
      break;
    case 'K':
      keep = 1;
      break;
    case 'h':
      fputs(plot_usage, stdout);
      return 0;
    case ':':
      return cli_usage("plot", "option %s needs a value", argv[optind - 1]);
    default:
      return cli_usage("plot", "unknown option \"%s\"", argv[optind - 1]);
    }
  }
  if (optind + 1 != argc) return cli_usage("plot", "expected one result file");
  const char *file = argv[optind];
  char outbuf[4096], datpath[4200], gppath[4200], tmpout[4300], tmpl_err[256];
  if (!output) {
    replace_ext(file, ".png", outbuf, sizeof outbuf);
    output = outbuf;
  }
  const char *terminal = terminal_for(output);
  if (!terminal)
    return cli_usage("plot", "cannot tell the format of \"%s\": name it .png, .svg or .pdf",
                     output);
  ddr_error err;
  ddr_error_clear(&err);
  ddr_resfile *rf = NULL;
  char *tmpl = NULL, *script = NULL, *tblock = NULL;
  sbuf lines = {0};
  if (!have_gnuplot()) {
    ddr_error_set(&err, DDR_EIO, NULL, 0, 0, NULL,
                  "gnuplot is not installed; install the Debian package gnuplot-nox "
                  "(apt-get install gnuplot-nox)");
    goto fail;
  }
  const char *tpath = find_template();
  if (!tpath || !(tmpl = cli_read_text(tpath))) {
    snprintf(tmpl_err, sizeof tmpl_err, "%s", tpath ? tpath : "plots/fan.gp");
    ddr_error_set(&err, DDR_EIO, NULL, 0, 0, NULL, "cannot read the plot template %s", tmpl_err);
    goto fail;
  }
  if (ddr_resfile_load(file, &rf, &err)) goto fail;
  if (!metric) metric = rf->ntargets ? rf->targets[0].metric : rf->metric_names[0];
  size_t m;
  for (m = 0; m < rf->nmetrics && strcmp(rf->metric_names[m], metric) != 0; m++) continue;
  if (m == rf->nmetrics) {
    ddr_error_set(&err, DDR_EINPUT, NULL, 0, 0, NULL,
                  "%s has no metric \"%s\" (ddrsim validate --metrics SCENARIO lists them)", file,
                  metric);
    goto fail;
  }
  if (rf->replications == 0 || rf->nsteps == 0) {
    ddr_error_set(&err, DDR_EINPUT, NULL, 0, 0, NULL, "%s holds no replications to plot", file);
    goto fail;
  }
  replace_ext(output, ".dat", datpath, sizeof datpath);
  replace_ext(output, ".gp", gppath, sizeof gppath);
  if (!keep) {
    snprintf(datpath, sizeof datpath, "%s.%ld.dat.tmp", output, (long)getpid());
    snprintf(gppath, sizeof gppath, "%s.%ld.gp.tmp", output, (long)getpid());
  }
  snprintf(tmpout, sizeof tmpout, "%s.%ld.tmp", output, (long)getpid());
  if (write_data(rf, m, datpath)) {
    ddr_error_set(&err, DDR_EIO, NULL, 0, 0, NULL, "cannot write %s: %s", datpath, strerror(errno));
    goto fail;
  }
  char raw[1400], title[2800], caption[2800], ylabel[800], xmin[16], xmax[16];
  char out_esc[9000], dat_esc[9000];
  snprintf(raw, sizeof raw, "%s: %s", rf->scenario_name, metric);
  gp_escape(raw, title, sizeof title);
  snprintf(raw, sizeof raw, "%s (%s)", metric, rf->metric_units[m]);
  gp_escape(raw, ylabel, sizeof ylabel);
  snprintf(raw, sizeof raw, "Scenario %s, seed %llu, %llu replications, ddrsim %s, run %.10s",
           rf->scenario_file, (unsigned long long)rf->seed, (unsigned long long)rf->replications,
           rf->version, rf->started);
  gp_escape(raw, caption, sizeof caption);
  char plain[9000];
  plain_path(tmpout, plain, sizeof plain);
  gp_escape(plain, out_esc, sizeof out_esc);
  plain_path(datpath, plain, sizeof plain);
  gp_escape(plain, dat_esc, sizeof dat_esc);
  ddr_date_format(rf->cal.start, xmin, sizeof xmin);
  ddr_date_format(ddr_calendar_step_last(&rf->cal, (int)rf->nsteps - 1), xmax, sizeof xmax);
  tblock = targets_block(rf, metric, &lines);
  const char *names[] = {"TERMINAL", "OUTPUT",  "XMIN",    "XMAX", "TITLE",
                         "YLABEL",   "CAPTION", "TARGETS", "DATA", "TARGET_LINES"};
  const char *values[] = {terminal, out_esc,
                          xmin,     xmax,
                          title,    ylabel,
                          caption,  tblock ? tblock : "",
                          dat_esc,  lines.s ? lines.s : ""};
  script = fill_template(tmpl, names, values, sizeof names / sizeof *names);
  FILE *f = script ? fopen(gppath, "w") : NULL;
  if (!f || fputs(script, f) < 0 || fclose(f)) {
    ddr_error_set(&err, DDR_EIO, NULL, 0, 0, NULL, "cannot write %s", gppath);
    goto fail;
  }
  char said[2048], script_path[9000];
  plain_path(gppath, script_path, sizeof script_path);
  int rc = run_gnuplot(script_path, said, sizeof said);
  if (rc != 0 || said[0]) {
    ddr_error_set(&err, DDR_EIO, NULL, 0, 0, NULL, "gnuplot failed drawing %s: %s", output,
                  said[0] ? said : "no message");
    goto fail;
  }
  if (rename(tmpout, output)) {
    ddr_error_set(&err, DDR_EIO, NULL, 0, 0, NULL, "cannot write %s: %s", output, strerror(errno));
    goto fail;
  }
  printf("%s\n", output);
  goto done;
fail:
  status = cli_fail(&err);
  unlink(tmpout);
done:
  if (!keep) {
    unlink(datpath);
    unlink(gppath);
  }
  ddr_resfile_free(rf);
  free(tmpl);
  free(script);
  free(tblock);
  free(lines.s);
  return status;
}

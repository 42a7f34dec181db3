/* `ddrsim report FILE.h5 [FILE.h5 ...] -o BRIEF.html|BRIEF.md`: a brief of
 * result files for people who will not open them (report_build.c says what
 * it holds). Like every output of ddrsim it is written safely: the pictures
 * are drawn in a temporary folder beside the output, the document under a
 * temporary name, and both are moved into place only when complete; an
 * existing brief is never replaced without --force, and Ctrl-C leaves
 * nothing behind. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "report.h"

#define MAX_RUNS 26 /* named A to Z */

static const char report_usage[] =
    "Usage: ddrsim report FILE.h5 [FILE.h5 ...] [-o BRIEF.html|BRIEF.md] [OPTIONS]\n"
    "\n"
    "Write a brief of result files for a report. Nothing is rerun: everything\n"
    "comes from the files. It holds each scenario's name and description; a key\n"
    "table (each target's probability of being met with its 95% interval, the\n"
    "P50 and P80 dates, and the summary's sentence); the fan chart of each\n"
    "target's metric, when each target is reached, where people wait (queues,\n"
    "utilisation) and the redeployment timeline when the scenario has a plan;\n"
    "for several files the comparison with the first (the compare chart, the\n"
    "differences with their intervals as in `ddrsim compare`, and the paired\n"
    "difference chart for runs stored with --store full; runs that cannot be\n"
    "paired are compared as independent samples, and the brief says so); and\n"
    "the provenance of every file.\n"
    "\n"
    "The format follows the output name:\n"
    "  .html  one self-contained page (pictures inlined as SVG, styles inline,\n"
    "         nothing loaded from the network), laid out for A4 when printed\n"
    "  .md    Markdown, its pictures as PNG files in the folder NAME-images\n"
    "         beside it, referenced relatively\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE   the brief (default: the first file's name with .html)\n"
    "      --lang LANG     en (default) or fr: headings, sentences, dates, numbers\n"
    "                      and pictures\n"
    "      --force         replace a brief (and its pictures' folder) that exists\n"
    "  -h, --help          this text\n"
    "\n"
    "Needs gnuplot (Debian package gnuplot-nox).\n";

/* What a signal must remove: the document's temporary file, the pictures
 * drawn so far and gnuplot's temporary files beside them, the temporary
 * folder. Filled before each file can exist, read by the handler. */
static char temp_doc[4200], temp_dir[4200];
static char *temp_files[4 * 256];
static volatile sig_atomic_t ntemp;

static void on_signal(int sig) {
  (void)sig;
  for (sig_atomic_t i = 0; i < ntemp; i++) unlink(temp_files[i]);
  if (temp_doc[0]) unlink(temp_doc);
  if (temp_dir[0]) rmdir(temp_dir);
  _exit(DDR_EINTERRUPT);
}

/* Remember a picture and the temporary files plot_draw writes beside it;
 * nonzero when out of memory or room. */
static int remember(const char *path) {
  static const char *const ext[] = {"", ".%ld.tmp", ".%ld.dat.tmp", ".%ld.gp.tmp"};
  if (ntemp + 4 > (sig_atomic_t)(sizeof temp_files / sizeof *temp_files)) return 1;
  for (int k = 0; k < 4; k++) {
    char suffix[64], *s;
    snprintf(suffix, sizeof suffix, ext[k], (long)getpid());
    size_t n = strlen(path) + strlen(suffix) + 1;
    if (!(s = malloc(n))) return 1;
    snprintf(s, n, "%s%s", path, suffix);
    temp_files[ntemp] = s;
    ntemp++;
  }
  return 0;
}

static void forget_all(void) {
  sig_atomic_t n = ntemp;
  ntemp = 0;
  for (sig_atomic_t i = 0; i < n; i++) free(temp_files[i]);
}

static int path_exists(const char *path) {
  struct stat sb;
  return lstat(path, &sb) == 0;
}

/* The folder of a Markdown brief's pictures: brief.md -> brief-images. */
static void images_dir(const char *output, char *buf, size_t size) {
  const char *dot = strrchr(output, '.'), *slash = strrchr(output, '/');
  size_t n = dot && (!slash || dot > slash) ? (size_t)(dot - output) : strlen(output);
  snprintf(buf, size, "%.*s-images", (int)n, output);
}

/* Remove a folder of pictures being replaced (--force): its files, then
 * itself. One that holds folders is not ours to remove. */
static ddr_status remove_images(const char *dir, ddr_error *err) {
  DIR *d = opendir(dir);
  if (!d)
    return ddr_error_set(err, DDR_EIO, NULL, 0, 0, NULL, "cannot replace %s: %s", dir,
                         strerror(errno));
  struct dirent *e;
  char path[8400];
  ddr_status rc = DDR_OK;
  while (!rc && (e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    struct stat sb;
    if (lstat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
      rc = ddr_error_set(err, DDR_EIO, NULL, 0, 0, NULL,
                         "cannot replace %s: it holds a folder (%s), which a brief never writes",
                         dir, e->d_name);
    else if (unlink(path))
      rc = ddr_error_set(err, DDR_EIO, NULL, 0, 0, NULL, "cannot replace %s: %s", path,
                         strerror(errno));
  }
  closedir(d);
  if (!rc && rmdir(dir))
    rc = ddr_error_set(err, DDR_EIO, NULL, 0, 0, NULL, "cannot replace %s: %s", dir,
                       strerror(errno));
  return rc;
}

/* Empty and remove the temporary folder (what is left in it: nothing when
 * all went well for HTML). */
static void remove_temp_dir(void) {
  if (!temp_dir[0]) return;
  DIR *d = opendir(temp_dir);
  if (d) {
    struct dirent *e;
    char path[8400];
    while ((e = readdir(d)))
      if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
        snprintf(path, sizeof path, "%s/%s", temp_dir, e->d_name);
        unlink(path);
      }
    closedir(d);
  }
  rmdir(temp_dir);
  temp_dir[0] = '\0';
}

/* The format for an output name, or NULL. */
static const rep_format *format_for(const char *output) {
  const char *dot = strrchr(output, '.'), *slash = strrchr(output, '/');
  if (!dot || (slash && dot < slash)) return NULL;
  if (!strcmp(dot, ".html") || !strcmp(dot, ".htm")) return &rep_html;
  if (!strcmp(dot, ".md") || !strcmp(dot, ".markdown")) return &rep_markdown;
  return NULL;
}

typedef struct report_args {
  const char *output;
  plot_lang lang;
  int force;
} report_args;

/* Options; returns -1 to go on, else the exit code. */
static int parse(int argc, char **argv, report_args *a) {
  static const struct option longopts[] = {{"output", required_argument, NULL, 'o'},
                                           {"lang", required_argument, NULL, 'L'},
                                           {"force", no_argument, NULL, 'F'},
                                           {"help", no_argument, NULL, 'h'},
                                           {NULL, 0, NULL, 0}};
  int c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
    switch (c) {
    case 'o':
      a->output = optarg;
      break;
    case 'L':
      if (strcmp(optarg, "en") && strcmp(optarg, "fr"))
        return cli_usage("report", "unknown language \"%s\" (languages: en, fr)", optarg);
      a->lang = strcmp(optarg, "fr") == 0 ? PLOT_FR : PLOT_EN;
      break;
    case 'F':
      a->force = 1;
      break;
    case 'h':
      fputs(report_usage, stdout);
      return 0;
    case ':':
      return cli_usage("report", "option %s needs a value", argv[optind - 1]);
    default:
      return cli_usage("report", "unknown option \"%s\"", argv[optind - 1]);
    }
  }
  size_t nfiles = (size_t)(argc - optind);
  if (nfiles == 0) return cli_usage("report", "expected a result file");
  if (nfiles > MAX_RUNS) return cli_usage("report", "at most %d result files", MAX_RUNS);
  return -1;
}

/* Load the files; each must hold replications to report on. */
static ddr_status load_all(char **paths, size_t n, ddr_resfile **rfs, ddr_error *err) {
  for (size_t i = 0; i < n; i++) {
    if (ddr_resfile_load(paths[i], &rfs[i], err)) return err->status;
    if (rfs[i]->replications == 0 || rfs[i]->nsteps == 0 || rfs[i]->nmetrics == 0)
      return ddr_error_set(err, DDR_EINPUT, NULL, 0, 0, NULL,
                           "%s holds no replications to report on", rfs[i]->path);
  }
  return DDR_OK;
}

/* Move the brief (and a Markdown brief's pictures) into place. */
static ddr_status finish(const rep_writer *w, const char *output, const char *imgdir, int force,
                         ddr_error *err) {
  if (cli_write_text(temp_doc, w->out.s ? w->out.s : "", w->out.n, err)) return err->status;
  if (w->fmt == &rep_markdown) {
    if (force && path_exists(imgdir) && remove_images(imgdir, err)) return err->status;
    if (rename(temp_dir, imgdir))
      return ddr_error_set(err, DDR_EIO, NULL, 0, 0, NULL, "cannot write %s: %s", imgdir,
                           strerror(errno));
    temp_dir[0] = '\0';
    forget_all(); /* the pictures are in place now */
  }
  if (rename(temp_doc, output))
    return ddr_error_set(err, DDR_EIO, NULL, 0, 0, NULL, "cannot write %s: %s", output,
                         strerror(errno));
  temp_doc[0] = '\0';
  return DDR_OK;
}

int cmd_report(int argc, char **argv) {
  report_args a = {0};
  int status = parse(argc, argv, &a);
  if (status >= 0) return status;
  status = 0;
  size_t n = (size_t)(argc - optind);
  char outbuf[4096], imgdir[4200];
  if (!a.output) {
    const char *f = argv[optind], *dot = strrchr(f, '.'), *slash = strrchr(f, '/');
    size_t len = dot && (!slash || dot > slash) ? (size_t)(dot - f) : strlen(f);
    snprintf(outbuf, sizeof outbuf, "%.*s.html", (int)len, f);
    a.output = outbuf;
  }
  const rep_format *fmt = format_for(a.output);
  if (!fmt)
    return cli_usage("report", "cannot tell the format of \"%s\": name it .html or .md", a.output);
  images_dir(a.output, imgdir, sizeof imgdir);
  ddr_error err;
  ddr_error_clear(&err);
  ddr_resfile *rfs[MAX_RUNS] = {0};
  rep_writer w = {.fmt = fmt, .lang = a.lang, .drawn = remember};
  struct sigaction sa = {0};
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  if (!plot_have_gnuplot()) {
    ddr_error_set(&err, DDR_EIO, NULL, 0, 0, NULL,
                  "gnuplot is not installed (not found on the PATH); the brief's pictures need "
                  "it: apt-get install gnuplot-nox");
    goto fail;
  }
  if (load_all(argv + optind, n, rfs, &err)) goto fail;
  if (cli_output_check(a.output, &err)) goto fail;
  /* nothing is drawn when the brief could not be written in the end */
  if (!a.force && path_exists(a.output)) {
    ddr_error_set(&err, DDR_EEXIST, NULL, 0, 0, NULL,
                  "%s exists: nothing was written (use --force to replace it)", a.output);
    goto fail;
  }
  if (!a.force && fmt == &rep_markdown && path_exists(imgdir)) {
    ddr_error_set(&err, DDR_EEXIST, NULL, 0, 0, NULL,
                  "%s exists: nothing was written (use --force to replace it and %s)", imgdir,
                  a.output);
    goto fail;
  }
  /* the temporary folder beside the output, so that renames stay on one
   * file system; its name starts with a dot */
  const char *slash = strrchr(a.output, '/');
  int dirlen = slash ? (int)(slash - a.output + 1) : 0;
  snprintf(temp_dir, sizeof temp_dir, "%.*s.%s.%ld.tmp", dirlen, a.output,
           slash ? slash + 1 : a.output, (long)getpid());
  snprintf(temp_doc, sizeof temp_doc, "%s.%ld.tmp", a.output, (long)getpid());
  if (mkdir(temp_dir, 0777)) {
    int e = errno;
    temp_dir[0] = '\0';
    ddr_error_set(&err, DDR_EIO, NULL, 0, 0, NULL, "cannot write %s: %s", a.output, strerror(e));
    goto fail;
  }
  snprintf(w.imgdir, sizeof w.imgdir, "%s", temp_dir);
  const char *base = strrchr(imgdir, '/');
  snprintf(w.imgref, sizeof w.imgref, "%s", base ? base + 1 : imgdir);
  if (rep_build(&w, rfs, n, &err) || finish(&w, a.output, imgdir, a.force, &err)) goto fail;
  printf("%s\n", a.output);
  if (fmt == &rep_markdown) printf("%s/\n", imgdir);
  goto done;
fail:
  /* the temporary folder and document are beside the output: name it */
  cli_output_blame(&err, temp_dir, a.output);
  cli_output_blame(&err, temp_doc, a.output);
  status = cli_fail(&err);
done:
  if (temp_doc[0]) unlink(temp_doc);
  for (sig_atomic_t i = 0; i < ntemp; i++) unlink(temp_files[i]);
  remove_temp_dir();
  forget_all();
  pb_free(&w.out);
  pb_free(&w.pending);
  for (size_t i = 0; i < n; i++) ddr_resfile_free(rfs[i]);
  return status;
}

/* Drawing one picture: the template plots/<kind>.gp filled in, its data
 * written beside it, gnuplot run on it with no shell in between, and the
 * image moved into place only when gnuplot has drawn it without a word. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "ddrsim/version.h"
#include "plot.h"

void plot_job_set(plot_job *job, const char *name, const char *value) {
  for (size_t i = 0; i < job->nvars; i++)
    if (strcmp(job->names[i], name) == 0) {
      free(job->values[i]);
      job->values[i] = strdup(value ? value : "");
      return;
    }
  if (job->nvars == sizeof job->names / sizeof *job->names) return;
  job->names[job->nvars] = name;
  job->values[job->nvars++] = strdup(value ? value : "");
}

void plot_job_free(plot_job *job) {
  for (size_t i = 0; i < job->nvars; i++) free(job->values[i]);
  job->nvars = 0;
  pb_free(&job->data);
}

/* The terminal for an output name: a page 17 cm wide in a report, with
 * fonts of about 9 points there whatever the format. */
static int terminal_for(const char *out, int w, int h, char *buf, size_t size) {
  const char *dot = strrchr(out, '.'), *slash = strrchr(out, '/');
  if (!dot || (slash && dot < slash)) return -1;
  if (strcmp(dot, ".png") == 0)
    snprintf(buf, size,
             "set terminal pngcairo size %d,%d noenhanced font \"DejaVu Sans,19\" linewidth 2\n"
             "fs = 19",
             w, h);
  else if (strcmp(dot, ".svg") == 0)
    snprintf(buf, size,
             "set terminal svg size %d,%d dynamic noenhanced font \"DejaVu Sans,18\" linewidth 1.4 "
             "background \"white\"\nfs = 18",
             w * 5 / 7, h * 5 / 7);
  else if (strcmp(dot, ".pdf") == 0)
    snprintf(
        buf, size,
        "set terminal pdfcairo size 17cm,%.2fcm noenhanced font \"DejaVu Sans,9\" linewidth 1\n"
        "fs = 9",
        17.0 * h / w);
  else
    return -1;
  return 0;
}

int plot_format_known(const char *output) {
  char buf[256];
  return terminal_for(output, 1, 1, buf, sizeof buf) == 0;
}

int plot_have_gnuplot(void) {
  const char *path = getenv("PATH");
  char buf[4096];
  for (const char *p = path ? path : "/usr/bin:/bin"; *p;) {
    size_t n = strcspn(p, ":");
    snprintf(buf, sizeof buf, "%.*s/gnuplot", (int)n, n ? p : ".");
    if (access(buf, X_OK) == 0) return 1;
    p += n + (p[n] == ':');
  }
  return 0;
}

static char *find_template(const char *kind) {
  const char *const dirs[] = {"plots", DDRSIM_DATA_DIR "/plots", DDRSIM_SOURCE_DIR "/plots"};
  char path[4096];
  for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
    snprintf(path, sizeof path, "%s/%s.gp", dirs[i], kind);
    if (access(path, R_OK) == 0) return cli_read_text(path);
  }
  return NULL;
}

/* The template with every @NAME@ replaced by its value. */
static void fill_template(plot_buf *out, const char *text, const char *const *names,
                          char *const *values, size_t n) {
  for (const char *p = text; *p;) {
    const char *at = strchr(p, '@');
    if (!at) {
      pb_add(out, "%s", p);
      break;
    }
    pb_add(out, "%.*s", (int)(at - p), p);
    size_t i;
    for (i = 0; i < n; i++)
      if (strncmp(at + 1, names[i], strlen(names[i])) == 0 && at[1 + strlen(names[i])] == '@')
        break;
    if (i < n) {
      pb_add(out, "%s", values[i]);
      p = at + strlen(names[i]) + 2;
    } else {
      pb_add(out, "@");
      p = at + 1;
    }
  }
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

/* Run `gnuplot -e SETUP SCRIPT`; what it prints (nothing when all is well)
 * goes to said. Returns its exit status. */
static int run_gnuplot(const char *setup, const char *script, char *said, size_t size) {
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
    execlp("gnuplot", "gnuplot", "-e", setup, script, (char *)NULL);
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

/* Whether gnuplot wrote the whole picture at path (in output's format): it says nothing and exits 0
 * when the disk fills under it, leaving a cut file. Each format ends with a known trailer: PNG's
 * IEND chunk, SVG's closing tag, PDF's %%EOF. */
static int picture_complete(const char *path, const char *output) {
  static const char png_end[] = "IEND\xae\x42\x60\x82";
  char tail[64] = {0};
  const char *dot = strrchr(output, '.');
  FILE *f = fopen(path, "rb");
  long n = 0;
  if (f && fseek(f, -(long)(sizeof tail - 1), SEEK_END) != 0) fseek(f, 0, SEEK_SET);
  if (f) n = (long)fread(tail, 1, sizeof tail - 1, f);
  if (f) fclose(f);
  if (n <= 0) return 0;
  if (dot && strcmp(dot, ".png") == 0) return n >= 8 && memcmp(tail + n - 8, png_end, 8) == 0;
  tail[n] = '\0';
  if (dot && strcmp(dot, ".svg") == 0) return strstr(tail, "</svg>") != NULL;
  if (dot && strcmp(dot, ".pdf") == 0) return strstr(tail, "%%EOF") != NULL;
  return 1; /* a format without a known trailer */
}

/* Why a picture was cut: a full disk, most likely. */
static const char *cut_reason(const char *path) {
  char dir[4300];
  const char *slash = strrchr(path, '/');
  struct statvfs vfs;
  snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) + 1 : 1, slash ? path : ".");
  if (statvfs(dir, &vfs) == 0 && vfs.f_bavail == 0) return strerror(ENOSPC);
  return "gnuplot wrote an incomplete picture";
}

ddr_status plot_draw(const plot_job *job, const plot_opts *opts, ddr_error *err) {
  const char *output = opts->output;
  char terminal[512], datpath[4200], gppath[4200], tmpout[4300], plain[4400];
  char said[2048];
  plot_buf vars = {0}, script = {0}, setup = {0};
  ddr_status rc = DDR_OK;
  char *tmpl = NULL;
  if (terminal_for(output, job->width, job->height, terminal, sizeof terminal))
    return ddr_error_set(err, DDR_EUSAGE, NULL, 0, 0, NULL,
                         "cannot tell the format of \"%s\": name it .png, .svg or .pdf", output);
  if (!(tmpl = find_template(job->kind)))
    return ddr_error_set(err, DDR_EIO, NULL, 0, 0, NULL,
                         "cannot read the plot template plots/%s.gp (is ddrsim installed?)",
                         job->kind);
  replace_ext(output, ".dat", datpath, sizeof datpath);
  replace_ext(output, ".gp", gppath, sizeof gppath);
  if (!opts->keep) {
    snprintf(datpath, sizeof datpath, "%s.%ld.dat.tmp", output, (long)getpid());
    snprintf(gppath, sizeof gppath, "%s.%ld.gp.tmp", output, (long)getpid());
  }
  snprintf(tmpout, sizeof tmpout, "%s.%ld.tmp", output, (long)getpid());
  if (job->data.oom) {
    rc = ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory drawing %s", output);
    goto done;
  }
  if ((rc = cli_write_text(datpath, job->data.s ? job->data.s : "", job->data.n, err))) {
    if (!opts->keep) cli_output_blame(err, output, output); /* not the temporary name */
    goto done;
  }
  /* the common variables, then the kind's */
  const char *names[20] = {"TERMINAL", "OUTPUT", "DATA"};
  char *values[20];
  plain_path(output, plain, sizeof plain);
  pb_quoted(&vars, plain);
  plain_path(datpath, plain, sizeof plain);
  size_t mark = vars.n;
  pb_quoted(&vars, plain);
  if (vars.oom) {
    rc = ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory drawing %s", output);
    goto done;
  }
  char *outq = strndup(vars.s, mark), *datq = strdup(vars.s + mark);
  values[0] = terminal, values[1] = outq, values[2] = datq;
  size_t n = 3;
  for (size_t i = 0; i < job->nvars && n < 20; i++, n++)
    names[n] = job->names[i], values[n] = job->values[i] ? job->values[i] : "";
  fill_template(&script, tmpl, names, values, n);
  free(outq);
  free(datq);
  if (script.oom || !script.s) {
    rc = ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory drawing %s", output);
    goto done;
  }
  if ((rc = cli_write_text(gppath, script.s, script.n, err))) {
    if (!opts->keep) cli_output_blame(err, output, output);
    goto done;
  }
  /* the script draws to the image's name; this run draws to a temporary one */
  plain_path(tmpout, plain, sizeof plain);
  pb_add(&setup, "outfile = ");
  pb_quoted(&setup, plain);
  plain_path(gppath, plain, sizeof plain);
  int status = run_gnuplot(setup.s ? setup.s : "", plain, said, sizeof said);
  if (status != 0 || said[0]) {
    size_t len = strlen(said);
    while (len && (said[len - 1] == '\n' || said[len - 1] == ' ')) said[--len] = '\0';
    rc = ddr_error_set(err, DDR_EIO, NULL, 0, 0, NULL, "gnuplot failed drawing %s: %s", output,
                       said[0] ? said
                       : status == 127
                           ? "cannot run gnuplot (install the Debian package gnuplot-nox)"
                           : "no message");
    goto done;
  }
  if (!picture_complete(tmpout, output))
    rc = ddr_error_set(err, DDR_EIO, NULL, 0, 0, NULL, "cannot write %s: %s", output,
                       cut_reason(output));
  else if (rename(tmpout, output))
    rc = ddr_error_set(err, DDR_EIO, NULL, 0, 0, NULL, "cannot write %s: %s", output,
                       strerror(errno));
  else if (!opts->quiet)
    printf("%s\n", output);
done:
  unlink(tmpout);
  if (!opts->keep) {
    unlink(datpath);
    unlink(gppath);
  }
  free(tmpl);
  pb_free(&vars);
  pb_free(&script);
  pb_free(&setup);
  return rc;
}

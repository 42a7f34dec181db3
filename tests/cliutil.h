/* For the test programs that run the ddrsim binary: a scratch directory
 * (dir, made by the program's group setup) and shell commands run in it,
 * their output kept in out. Include from one source file per program. */
#ifndef DDRSIM_CLIUTIL_H
#define DDRSIM_CLIUTIL_H

#include <sys/stat.h>
#include <sys/wait.h>

#include "testutil.h"

static char dir[256];
static char out[1 << 17];

/* Run a shell command in dir; its stdout+stderr in out; returns the exit
 * code (128 when it did not exit). */
static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...) {
  char cmd[4096], full[4600], path[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(cmd, sizeof cmd, fmt, ap);
  va_end(ap);
  snprintf(full, sizeof full, "cd %s && (%s) > cmd.out 2>&1", dir, cmd);
  int rc = system(full);
  snprintf(path, sizeof path, "%s/cmd.out", dir);
  char *text = tu_read_file(path, NULL);
  snprintf(out, sizeof out, "%s", text ? text : "");
  free(text);
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : 128;
}

/* Make dir a fresh directory /tmp/ddrsim-<name>-XXXXXX; 0 on success. */
static inline int tu_make_dir(const char *name) {
  snprintf(dir, sizeof dir, "/tmp/ddrsim-%s-XXXXXX", name);
  return mkdtemp(dir) ? 0 : -1;
}

/* Run shipped scenarios into dir, each "FILE.yaml OPTIONS" (quietly); 0 if
 * all ran, else -1 after printing the failing run's output. */
static inline int tu_run_shipped(const char *const *runs, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (sh("%s run %s/scenarios/%s -q", tu_bin(), tu_source_dir(), runs[i]) != 0) {
      fprintf(stderr, "run failed: %s\n", out);
      return -1;
    }
  return 0;
}

/* Does name exist in dir? */
static inline int tu_exists(const char *name) {
  char path[512];
  struct stat sb;
  snprintf(path, sizeof path, "%s/%s", dir, name);
  return stat(path, &sb) == 0;
}

/* Remove dir and everything in it. */
static inline int tu_remove_dir(void) {
  char cmd[512];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  return system(cmd);
}

#endif

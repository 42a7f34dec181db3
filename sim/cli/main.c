/* ddrsim command line: dispatches to the sub-commands. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>
#include <hdf5.h>

#include "cli.h"
#include "ddrsim/version.h"

static const char usage[] =
    "Usage: ddrsim COMMAND [OPTIONS]\n"
    "\n"
    "Monte Carlo forecasts of disarmament, demobilization and reintegration (DDR)\n"
    "and security-sector-reform programmes.\n"
    "\n"
    "Commands:\n"
    "  run [SCENARIO]     run replications and write an HDF5 result file\n"
    "  validate SCENARIO  check a scenario without running it\n"
    "  summary FILE.h5    print the targets and key figures of a result file\n"
    "  plot FILE.h5 ...   draw fan charts, target dates, comparisons, bottlenecks\n"
    "  compare A.h5 B.h5  differences of target probabilities and dates between runs\n"
    "  export FILE.h5     write a result file as CSV files for spreadsheets\n"
    "  report FILE.h5 ... write a brief (HTML or Markdown) with tables and plots\n"
    "  sweep SCN DESIGN  run one ensemble per point of a design (grid, Latin hypercube)\n"
    "  merge PART.h5 ...  join the part files of ddrsim run --shard into one file\n"
    "\n"
    "Options:\n"
    "  -h, --help         this text (ddrsim COMMAND --help for a command's options)\n"
    "  -V, --version      print the version\n"
    "\n"
    "Exit codes: 0 success, 2 usage error, 3 invalid input, 4 input/output error,\n"
    "5 output exists, 6 out of memory, 7 interrupted, 70 internal error.\n"
    "See ddrsim(1) and scenarios/README.md.\n";

int cli_fail(const ddr_error *err) {
  ddr_error_print(err, stderr);
  return err->status == DDR_OK ? DDR_EINTERNAL : (int)err->status;
}

int cli_usage(const char *cmd, const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "ddrsim%s%s: ", cmd ? " " : "", cmd ? cmd : "");
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, "\nTry 'ddrsim %s%s--help'.\n", cmd ? cmd : "", cmd ? " " : "");
  return DDR_EUSAGE;
}

char *cli_read_text(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  char *buf = NULL;
  size_t n = 0, cap = 0, got;
  char chunk[4096];
  while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
    if (n + got + 1 > cap) {
      cap = (n + got + 1) * 2;
      char *b = realloc(buf, cap);
      if (!b) {
        free(buf);
        fclose(f);
        return NULL;
      }
      buf = b;
    }
    memcpy(buf + n, chunk, got);
    n += got;
  }
  fclose(f);
  if (!buf)
    buf = calloc(1, 1);
  else
    buf[n] = '\0';
  return buf;
}

int cli_parse_u64(const char *s, unsigned long long *out) {
  char *end;
  if (!s || !*s || *s == '-') return -1;
  *out = strtoull(s, &end, 10);
  return *end ? -1 : 0;
}

int cli_parse_shard(const char *s, unsigned *shard, unsigned *shards) {
  unsigned long long i, n;
  const char *slash = strchr(s, '/');
  char head[32];
  if (!slash || (size_t)(slash - s) >= sizeof head) return -1;
  snprintf(head, sizeof head, "%.*s", (int)(slash - s), s);
  if (cli_parse_u64(head, &i) || cli_parse_u64(slash + 1, &n) || i < 1 || i > n || n > INT32_MAX)
    return -1;
  *shard = (unsigned)i;
  *shards = (unsigned)n;
  return 0;
}

const char *cli_default_scenario(void) {
  static const char *const candidates[] = {"scenarios/mali-2020-baseline.yaml",
                                           DDRSIM_DATA_DIR "/scenarios/mali-2020-baseline.yaml",
                                           DDRSIM_SOURCE_DIR "/scenarios/mali-2020-baseline.yaml"};
  for (size_t i = 0; i < sizeof candidates / sizeof *candidates; i++)
    if (access(candidates[i], R_OK) == 0) return candidates[i];
  return NULL;
}

int main(int argc, char **argv) {
  /* GSL's default handler aborts; every input is checked before GSL sees it,
   * and a NaN from GSL is better than a core dump. */
  gsl_set_error_handler_off();
  /* HDF5 1.10 cannot close a file whose flush once failed (a full disk): the
   * close fails ("slist already enabled") and its clean-up at exit then
   * crashes on the half-closed file. The stores close every file they open
   * themselves and discard a failed one's temporary file, so nothing is lost
   * by leaving HDF5's own clean-up to the end of the process. */
  H5dont_atexit();
  if (argc < 2) {
    fputs(usage, stderr);
    return DDR_EUSAGE;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
    if (strcmp(cmd, "help") == 0 && argc > 2) {
      static char help_opt[] = "--help";
      static char *args[4];
      args[0] = argv[0], args[1] = argv[2], args[2] = help_opt, args[3] = NULL;
      argv = args;
      argc = 3;
      cmd = args[1];
    } else {
      fputs(usage, stdout);
      return 0;
    }
  }
  if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
    printf("ddrsim %s\n", DDRSIM_VERSION);
    return 0;
  }
  if (strcmp(cmd, "run") == 0) return cmd_run(argc - 1, argv + 1);
  if (strcmp(cmd, "validate") == 0) return cmd_validate(argc - 1, argv + 1);
  if (strcmp(cmd, "summary") == 0) return cmd_summary(argc - 1, argv + 1);
  if (strcmp(cmd, "plot") == 0) return cmd_plot(argc - 1, argv + 1);
  if (strcmp(cmd, "compare") == 0) return cmd_compare(argc - 1, argv + 1);
  if (strcmp(cmd, "export") == 0) return cmd_export(argc - 1, argv + 1);
  if (strcmp(cmd, "report") == 0) return cmd_report(argc - 1, argv + 1);
  if (strcmp(cmd, "sweep") == 0) return cmd_sweep(argc - 1, argv + 1);
  if (strcmp(cmd, "merge") == 0) return cmd_merge(argc - 1, argv + 1);
  return cli_usage(NULL,
                   "unknown command \"%s\" (commands: run, validate, summary, plot, compare, "
                   "export, report, merge, sweep)",
                   cmd);
}

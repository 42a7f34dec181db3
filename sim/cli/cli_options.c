/* Options several commands share, parsed and checked in one place. */
#include <string.h>

#include "cli.h"

int cli_run_option(const char *cmd, int c, const char *arg, cli_run_opts *o, int *status) {
  unsigned long long v;
  *status = 0;
  switch (c) {
  case 'n':
    if (cli_parse_u64(arg, &o->reps) || o->reps > DDR_MAX_REPLICATIONS)
      *status = cli_usage(cmd, "-n expects a number of replications (0 to 4e9), found \"%s\"", arg);
    return 1;
  case 's':
    if (cli_parse_u64(arg, &o->seed))
      *status = cli_usage(cmd, "-s expects a non-negative integer seed, found \"%s\"", arg);
    return 1;
  case 'j':
    if (cli_parse_u64(arg, &v) || v < 1 || v > 1024)
      *status = cli_usage(cmd, "-j expects a number of threads (1 to 1024), found \"%s\"", arg);
    else
      o->threads = (int)v;
    return 1;
  case 'o':
    o->output = arg;
    return 1;
  case 'F':
    o->force = 1;
    return 1;
  case 'P':
    if (cli_parse_shard(arg, &o->shard, &o->shards))
      *status = cli_usage(cmd, "--shard expects I/N with 1 <= I <= N, found \"%s\"", arg);
    return 1;
  case 'q':
    o->quiet = 1;
    return 1;
  default:
    return 0;
  }
}

int cli_parse_format(const char *cmd, const char *arg, const char **format) {
  if (strcmp(arg, "table") && strcmp(arg, "csv") && strcmp(arg, "json"))
    return cli_usage(cmd, "--format expects table, csv or json, found \"%s\"", arg);
  *format = arg;
  return 0;
}

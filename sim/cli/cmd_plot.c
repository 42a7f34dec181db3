/* `ddrsim plot`: pictures of result files for reports, drawn by gnuplot from
 * the templates in plots/. This file reads the options and the files and
 * hands them to the kind of plot asked for (plot_<kind>.c). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "plot.h"

static const char plot_usage[] =
    "Usage: ddrsim plot FILE.h5 [FILE.h5 ...] [OPTIONS]\n"
    "\n"
    "Draw a picture of result files for a report. Nothing is rerun: everything\n"
    "comes from the files. The format follows the output name: .png, .svg or .pdf.\n"
    "An existing picture is replaced.\n"
    "\n"
    "Kinds (--kind):\n"
    "  fan           a metric over time: median, bands holding 50%, 80% and 95% of\n"
    "                replications, its targets with their deadlines and the\n"
    "                probability of meeting them (the default for one file)\n"
    "  dates         when a target is reached: the share of replications that have\n"
    "                reached it by each date, with P50, P80, the deadline, P(met)\n"
    "  compare       several runs: the median and 80% band of a metric for each\n"
    "                (the default for several files)\n"
    "  difference    several runs paired with the first: each replication's\n"
    "                difference of a metric, its median and 80% and 95% bands;\n"
    "                needs runs with --store full, the same seed, replications and\n"
    "                calendar\n"
    "  bottlenecks   each stage's queue and occupancy, each site's and training\n"
    "                centre's utilisation, over time\n"
    "  redeployment  for each region, the date its planned units have all deployed\n"
    "                (P10, P50, P90) against its plan date\n"
    "  sweep         a sweep file (ddrsim sweep): a target's probability at each\n"
    "                point with its 95% interval, against a key's values\n"
    "\n"
    "Options:\n"
    "  -k, --kind KIND     fan, dates, compare, difference, bottlenecks, redeployment\n"
    "  -o, --output FILE   picture to write (default: the first file's name with\n"
    "                      .png for a fan chart, -KIND.png for the others)\n"
    "  -m, --metric NAME   metric of a fan chart, comparison or difference (default:\n"
    "                      that of the target, else the first metric)\n"
    "  -t, --target ID     target of a dates plot (default: the first target); the\n"
    "                      target whose probabilities a comparison prints\n"
    "      --key KEY       --kind sweep: the key path on the x axis (default: the\n"
    "                      first); a grid over two keys draws a line per value of\n"
    "                      the other\n"
    "      --lang LANG     en (default) or fr: words, month names and numbers\n"
    "      --keep-script   keep the data (.dat) and the gnuplot script (.gp) beside\n"
    "                      the picture; `gnuplot FILE.gp` redraws it\n"
    "  -h, --help          this text\n"
    "\n"
    "Needs gnuplot (Debian package gnuplot-nox).\n";

static const char *const kinds[] = {"fan",         "dates",        "compare", "difference",
                                    "bottlenecks", "redeployment", "sweep",   NULL};

static int known_kind(const char *k) {
  for (size_t i = 0; kinds[i]; i++)
    if (strcmp(kinds[i], k) == 0) return 1;
  return 0;
}

/* FILE.h5 -> FILE.png (fan) or FILE-KIND.png */
static void default_output(const char *file, const char *kind, char *out, size_t size) {
  const char *dot = strrchr(file, '.'), *slash = strrchr(file, '/');
  size_t n = dot && (!slash || dot > slash) ? (size_t)(dot - file) : strlen(file);
  if (strcmp(kind, "fan") == 0)
    snprintf(out, size, "%.*s.png", (int)n, file);
  else
    snprintf(out, size, "%.*s-%s.png", (int)n, file, kind);
}

static ddr_status draw(const char *kind, ddr_resfile **rfs, size_t n, const plot_opts *opts,
                       ddr_error *err) {
  if (strcmp(kind, "compare") == 0) return plot_compare(rfs, n, opts, err);
  if (strcmp(kind, "difference") == 0) return plot_difference(rfs, n, opts, err);
  if (strcmp(kind, "fan") == 0) return plot_fan(rfs[0], opts, err);
  if (strcmp(kind, "dates") == 0) return plot_dates(rfs[0], opts, err);
  if (strcmp(kind, "bottlenecks") == 0) return plot_bottlenecks(rfs[0], opts, err);
  return plot_redeployment(rfs[0], opts, err);
}

int cmd_plot(int argc, char **argv) {
  static const struct option longopts[] = {{"output", required_argument, NULL, 'o'},
                                           {"kind", required_argument, NULL, 'k'},
                                           {"metric", required_argument, NULL, 'm'},
                                           {"target", required_argument, NULL, 't'},
                                           {"lang", required_argument, NULL, 'L'},
                                           {"keep-script", no_argument, NULL, 'K'},
                                           {"key", required_argument, NULL, 'Y'},
                                           {"help", no_argument, NULL, 'h'},
                                           {NULL, 0, NULL, 0}};
  plot_opts opts = {0};
  const char *kind = NULL;
  int c, status = 0;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":o:k:m:t:h", longopts, NULL)) != -1) {
    switch (c) {
    case 'o':
      opts.output = optarg;
      break;
    case 'k':
      if (!known_kind(optarg))
        return cli_usage("plot",
                         "unknown kind \"%s\" (kinds: fan, dates, compare, difference, "
                         "bottlenecks, redeployment, sweep)",
                         optarg);
      kind = optarg;
      break;
    case 'm':
      opts.metric = optarg;
      break;
    case 't':
      opts.target = optarg;
      break;
    case 'L':
      if (strcmp(optarg, "en") && strcmp(optarg, "fr"))
        return cli_usage("plot", "unknown language \"%s\" (languages: en, fr)", optarg);
      opts.lang = strcmp(optarg, "fr") == 0 ? PLOT_FR : PLOT_EN;
      break;
    case 'K':
      opts.keep = 1;
      break;
    case 'Y':
      opts.key = optarg;
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
  size_t nfiles = (size_t)(argc - optind);
  if (nfiles == 0) return cli_usage("plot", "expected a result file");
  if (!kind) kind = nfiles > 1 ? "compare" : "fan";
  int several = strcmp(kind, "compare") == 0 || strcmp(kind, "difference") == 0;
  if (several && nfiles < 2)
    return cli_usage("plot", "--kind %s needs two result files or more", kind);
  if (!several && nfiles > 1)
    return cli_usage("plot",
                     "--kind %s draws one result file (compare and difference take "
                     "several)",
                     kind);
  char outbuf[4096];
  if (!opts.output) {
    default_output(argv[optind], kind, outbuf, sizeof outbuf);
    opts.output = outbuf;
  }
  if (!plot_format_known(opts.output))
    return cli_usage("plot", "cannot tell the format of \"%s\": name it .png, .svg or .pdf",
                     opts.output);
  ddr_error err;
  ddr_error_clear(&err);
  ddr_resfile **rfs = calloc(nfiles, sizeof *rfs);
  if (!rfs) {
    ddr_error_set(&err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    return cli_fail(&err);
  }
  if (!plot_have_gnuplot()) {
    ddr_error_set(&err, DDR_EIO, NULL, 0, 0, NULL,
                  "gnuplot is not installed (not found on the PATH); install the Debian package "
                  "gnuplot-nox: apt-get install gnuplot-nox");
    goto fail;
  }
  if (cli_output_check(opts.output, &err)) goto fail;
  if (strcmp(kind, "sweep") == 0) {
    ddr_sweep_table *t = NULL;
    if (ddr_sweep_table_load(argv[optind], &t, &err) == DDR_OK) plot_sweep(t, &opts, &err);
    ddr_sweep_table_free(t);
    if (err.status) goto fail;
    goto done;
  }
  for (size_t i = 0; i < nfiles; i++) {
    if (ddr_resfile_load(argv[optind + (int)i], &rfs[i], &err)) goto fail;
    if (rfs[i]->replications == 0 || rfs[i]->nsteps == 0 || rfs[i]->nmetrics == 0) {
      ddr_error_set(&err, DDR_EINPUT, NULL, 0, 0, NULL, "%s holds no replications to plot",
                    rfs[i]->path);
      goto fail;
    }
  }
  if (draw(kind, rfs, nfiles, &opts, &err)) goto fail;
  goto done;
fail:
  status = cli_fail(&err);
done:
  for (size_t i = 0; i < nfiles; i++) ddr_resfile_free(rfs[i]);
  free(rfs);
  return status;
}

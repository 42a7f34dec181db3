/* `ddrsim validate`: check a scenario without running it, and list what it
 * defines (metrics, inputs), what it resolves to and changes from its parent
 * (--explain), or what the reader accepts (keys). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ddrsim/scenario.h"

static const char validate_usage[] =
    "Usage: ddrsim validate SCENARIO [OPTIONS]\n"
    "       ddrsim validate --keys\n"
    "\n"
    "Check SCENARIO as `ddrsim run` would, without running it.\n"
    "\n"
    "      --set KEY=VALUE   override a scenario value first (as for run)\n"
    "      --metrics         list the metrics the scenario defines\n"
    "      --inputs          list its inputs with their distributions\n"
    "      --explain         print the scenario as resolved (after extends and\n"
    "                        --set) as YAML; for a what-if file (extends:), then\n"
    "                        list what differs from its parent by key path:\n"
    "                        + path: value (added), - path (removed),\n"
    "                        ~ path: old -> new (changed)\n"
    "      --keys            list every key the scenario reader accepts\n"
    "  -h, --help            this text\n";

/* The resolved scenario, then what it changes from its parent (the parent as
 * resolved itself, without --set): the lines of ddr_ynode_diff under a
 * comment naming the parent. */
static int explain(const ddr_scenario *scn) {
  ddr_error err;
  char *text = NULL, *diff = NULL;
  const ddr_ydoc *doc = ddr_scenario_doc(scn), *parent = ddr_ydoc_parent(doc);
  ddr_error_clear(&err);
  if (ddr_scenario_resolved_text(scn, &text, &err) ||
      (parent && ddr_ynode_diff(ddr_ydoc_root(parent), ddr_ydoc_root(doc), &diff, &err))) {
    free(text);
    return cli_fail(&err);
  }
  fputs(text, stdout);
  if (parent)
    printf("# changes from the parent %s:%s\n%s", ddr_ydoc_name(parent), diff[0] ? "" : " none",
           diff);
  free(text);
  free(diff);
  return 0;
}

static void print_keys(void) {
  const ddr_keytable *const *t = ddr_scenario_keytables();
  for (; *t; t++)
    for (const ddr_keydoc *k = (*t)->keys; k->key; k++)
      printf("%s\t%s\t%s\n", (*t)->context, k->key, k->doc);
}

int cmd_validate(int argc, char **argv) {
  static const struct option longopts[] = {{"set", required_argument, NULL, 'S'},
                                           {"metrics", no_argument, NULL, 'M'},
                                           {"inputs", no_argument, NULL, 'I'},
                                           {"keys", no_argument, NULL, 'K'},
                                           {"explain", no_argument, NULL, 'E'},
                                           {"help", no_argument, NULL, 'h'},
                                           {NULL, 0, NULL, 0}};
  const char **sets = calloc((size_t)argc + 1, sizeof *sets);
  size_t nsets = 0;
  int list_metrics = 0, list_inputs = 0, list_explain = 0, c, status = 0;
  if (!sets) return DDR_ENOMEM;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
    switch (c) {
    case 'S':
      sets[nsets++] = optarg;
      break;
    case 'M':
      list_metrics = 1;
      break;
    case 'I':
      list_inputs = 1;
      break;
    case 'E':
      list_explain = 1;
      break;
    case 'K':
      print_keys();
      free(sets);
      return 0;
    case 'h':
      fputs(validate_usage, stdout);
      free(sets);
      return 0;
    case ':':
      free(sets);
      return cli_usage("validate", "option %s needs a value", argv[optind - 1]);
    default:
      free(sets);
      return cli_usage("validate", "unknown option \"%s\"", argv[optind - 1]);
    }
  }
  if (optind + 1 != argc) {
    free(sets);
    return cli_usage("validate",
                     optind >= argc ? "expected a scenario file" : "expected one scenario file");
  }
  ddr_error err;
  ddr_scenario *scn = NULL;
  ddr_error_clear(&err);
  if (ddr_scenario_load(argv[optind], sets, nsets, &scn, &err)) {
    status = cli_fail(&err);
    goto done;
  }
  const ddr_calendar *cal = ddr_scenario_calendar(scn);
  const ddr_inputs *in = ddr_scenario_inputs(scn);
  char a[16], b[16];
  ddr_date_format(cal->start, a, sizeof a);
  ddr_date_format(cal->end, b, sizeof b);
  if (list_metrics)
    for (size_t i = 0; i < ddr_scenario_metric_count(scn); i++) {
      const ddr_metric *m = ddr_scenario_metric(scn, i);
      printf("%s\t%s\t%s\n", m->name, m->unit, m->doc);
    }
  if (list_inputs)
    for (size_t i = 0; i < ddr_inputs_count(in); i++) {
      const ddr_input *it = ddr_inputs_get(in, i);
      char desc[256];
      ddr_dist_describe(&it->dist, desc, sizeof desc);
      printf("%s\t%s\n", it->path, desc);
    }
  if (list_explain) status = explain(scn);
  if (!list_metrics && !list_inputs && !list_explain)
    printf("%s: ok: scenario %s, %d %s steps from %s to %s, %zu inputs (%zu uncertain), "
           "%zu metrics, %zu targets\n",
           argv[optind], ddr_scenario_name(scn), cal->nsteps,
           cal->step_days == 7 ? "weekly" : "daily", a, b, ddr_inputs_count(in),
           ddr_inputs_uncertain_count(in), ddr_scenario_metric_count(scn),
           ddr_scenario_target_count(scn));
done:
  ddr_scenario_free(scn);
  free(sets);
  return status;
}

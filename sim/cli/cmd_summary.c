/* `ddrsim summary`: the targets and key figures of a result file, as a table
 * for people or CSV / JSON for programs. */
#include <getopt.h>
#include <math.h>
#include <string.h>

#include "cli.h"
#include "ddrsim/stats.h"

static const char summary_usage[] =
    "Usage: ddrsim summary FILE.h5 [--format table|csv|json]\n"
    "\n"
    "Print the probability of meeting each target (with its 95% interval), the\n"
    "dates by which targets are reached (P10, P50, P80, P90), how often events\n"
    "of each kind happen (when the model reports events) and the outcomes at\n"
    "the end of the horizon.\n"
    "\n"
    "      --format F   table (default), csv or json\n";

/* Index of the quantile level p in ddr_quantile_levels. */
static int qi(double p) {
  for (int i = 0; i < DDR_NQUANTILES; i++)
    if (fabs(ddr_quantile_levels[i] - p) < 1e-9) return i;
  return 0;
}

static void day_text(const ddr_resfile *rf, double day, char *buf, size_t size) {
  if (isnan(day))
    snprintf(buf, size, "never");
  else
    ddr_date_format(rf->cal.start + (int32_t)lround(day), buf, size);
}

/* Metrics worth a line in the table: outcome counts and weapons. */
static int is_key_metric(const char *name) {
  const char *dot = strchr(name, '.');
  if (!dot || strchr(dot + 1, '.')) return 0;
  return strcmp(dot, ".count") == 0 || strcmp(dot, ".weapons") == 0 || strcmp(dot, ".passed") == 0;
}

/* Events of a kind per replication on average, and the share of replications
 * with at least one (NAN without replications). */
static double event_mean(const ddr_resfile *rf, const ddr_resfile_event_kind *k) {
  return rf->replications ? (double)k->s.events / (double)rf->replications : NAN;
}
static double event_share(const ddr_resfile *rf, const ddr_resfile_event_kind *k) {
  return rf->replications ? (double)k->s.replications / (double)rf->replications : NAN;
}

static void print_events_table(const ddr_resfile *rf, FILE *fp) {
  for (size_t k = 0; k < rf->nevent_kinds; k++) {
    const ddr_resfile_event_kind *ek = &rf->event_kinds[k];
    fprintf(fp, "\nEvent %s%s%s\n", ek->name, ek->label[0] ? ": " : "", ek->label);
    if (rf->replications)
      fprintf(fp, "  %.2f per replication on average, at least one in %.1f%% of replications\n",
              event_mean(rf, ek), 100.0 * event_share(rf, ek));
  }
}

static void print_table(const ddr_resfile *rf, FILE *fp) {
  char a[16], b[16], c[16], d[16], e[16];
  size_t T = rf->nsteps;
  fprintf(fp, "%s: %s\n", rf->scenario_name, rf->scenario_file);
  fprintf(fp, "%llu replications, seed %llu, ddrsim %s\n", (unsigned long long)rf->replications,
          (unsigned long long)rf->seed, rf->version);
  for (size_t g = 0; g < rf->ntargets; g++) {
    const ddr_resfile_target *t = &rf->targets[g];
    ddr_date_format(t->deadline, a, sizeof a);
    fprintf(fp, "\nTarget %s: %s (%s >= %g by %s)\n", t->id, t->label, t->metric, t->threshold, a);
    fprintf(fp, "  probability met: %.3f  [95%% interval %.3f-%.3f]\n", t->s.prob, t->s.lo,
            t->s.hi);
    day_text(rf, t->s.day_q[qi(0.10)], a, sizeof a);
    day_text(rf, t->s.day_q[qi(0.50)], b, sizeof b);
    day_text(rf, t->s.day_q[qi(0.80)], c, sizeof c);
    day_text(rf, t->s.day_q[qi(0.90)], d, sizeof d);
    if (rf->replications)
      fprintf(fp, "  date reached: P10 %s, P50 %s, P80 %s, P90 %s\n", a, b, c, d);
    fprintf(fp, "  reached within the horizon in %.1f%% of replications\n",
            rf->replications ? 100.0 * (double)t->s.reached / (double)rf->replications : 0.0);
  }
  print_events_table(rf, fp);
  if (T == 0 || rf->replications == 0) return;
  ddr_date_format(rf->cal.end, e, sizeof e);
  fprintf(fp, "\nAt the end of the horizon (%s)          mean      P10      P50      P90\n", e);
  for (size_t m = 0; m < rf->nmetrics; m++) {
    if (!is_key_metric(rf->metric_names[m])) continue;
    size_t cell = m * T + T - 1;
    const double *q = rf->quantiles + cell * DDR_NQUANTILES;
    fprintf(fp, "  %-34s %9.1f %8.0f %8.0f %8.0f\n", rf->metric_names[m], rf->mean[cell],
            q[qi(0.10)], q[qi(0.50)], q[qi(0.90)]);
  }
}

static void print_csv(const ddr_resfile *rf, FILE *fp) {
  char a[16];
  fprintf(fp, "kind,name,statistic,value\n");
  for (size_t g = 0; g < rf->ntargets; g++) {
    const ddr_resfile_target *t = &rf->targets[g];
    fprintf(fp, "target,%s,probability,%.6f\ntarget,%s,probability_lo,%.6f\n", t->id, t->s.prob,
            t->id, t->s.lo);
    fprintf(fp, "target,%s,probability_hi,%.6f\n", t->id, t->s.hi);
    for (int q = 0; q < DDR_NQUANTILES; q++) {
      day_text(rf, t->s.day_q[q], a, sizeof a);
      fprintf(fp, "target,%s,date_p%g,%s\n", t->id, 100 * ddr_quantile_levels[q], a);
    }
  }
  for (size_t k = 0; k < rf->nevent_kinds; k++) {
    const ddr_resfile_event_kind *ek = &rf->event_kinds[k];
    fprintf(fp, "event,%s,count,%llu\nevent,%s,replications_with_any,%llu\n", ek->name,
            (unsigned long long)ek->s.events, ek->name, (unsigned long long)ek->s.replications);
    fprintf(fp, "event,%s,mean_per_replication,%.6f\nevent,%s,share_with_any,%.6f\n", ek->name,
            event_mean(rf, ek), ek->name, event_share(rf, ek));
  }
  size_t T = rf->nsteps;
  if (T == 0 || rf->replications == 0) return;
  for (size_t m = 0; m < rf->nmetrics; m++) {
    size_t cell = m * T + T - 1;
    fprintf(fp, "metric_at_end,%s,mean,%.6f\n", rf->metric_names[m], rf->mean[cell]);
    for (int q = 0; q < DDR_NQUANTILES; q++)
      fprintf(fp, "metric_at_end,%s,p%g,%.6f\n", rf->metric_names[m], 100 * ddr_quantile_levels[q],
              rf->quantiles[cell * DDR_NQUANTILES + q]);
  }
}

static void json_string(FILE *fp, const char *s) {
  fputc('"', fp);
  for (; *s; s++) {
    unsigned char ch = (unsigned char)*s;
    if (ch == '"' || ch == '\\')
      fprintf(fp, "\\%c", ch);
    else if (ch < 0x20)
      fprintf(fp, "\\u%04x", ch);
    else
      fputc(ch, fp);
  }
  fputc('"', fp);
}

static void json_number(FILE *fp, double x) {
  if (isfinite(x))
    fprintf(fp, "%.17g", x);
  else
    fputs("null", fp);
}

static void print_json(const ddr_resfile *rf, FILE *fp) {
  char a[16];
  fputs("{\"scenario\": ", fp);
  json_string(fp, rf->scenario_name);
  fprintf(fp, ", \"replications\": %llu, \"seed\": %llu, \"targets\": [",
          (unsigned long long)rf->replications, (unsigned long long)rf->seed);
  for (size_t g = 0; g < rf->ntargets; g++) {
    const ddr_resfile_target *t = &rf->targets[g];
    fputs(g ? ", {\"id\": " : "{\"id\": ", fp);
    json_string(fp, t->id);
    fputs(", \"label\": ", fp);
    json_string(fp, t->label);
    fputs(", \"probability\": ", fp);
    json_number(fp, t->s.prob);
    fputs(", \"interval\": [", fp);
    json_number(fp, t->s.lo);
    fputs(", ", fp);
    json_number(fp, t->s.hi);
    fputs("], \"date_quantiles\": {", fp);
    for (int q = 0; q < DDR_NQUANTILES; q++) {
      day_text(rf, t->s.day_q[q], a, sizeof a);
      fprintf(fp, "%s\"%g\": ", q ? ", " : "", ddr_quantile_levels[q]);
      if (isnan(t->s.day_q[q]))
        fputs("null", fp);
      else
        json_string(fp, a);
    }
    fputs("}}", fp);
  }
  if (rf->nevent_kinds) fputs("], \"events\": [", fp);
  for (size_t k = 0; k < rf->nevent_kinds; k++) {
    const ddr_resfile_event_kind *ek = &rf->event_kinds[k];
    fputs(k ? ", {\"name\": " : "{\"name\": ", fp);
    json_string(fp, ek->name);
    fputs(", \"label\": ", fp);
    json_string(fp, ek->label);
    fprintf(fp, ", \"count\": %llu, \"replications_with_any\": %llu, \"mean_per_replication\": ",
            (unsigned long long)ek->s.events, (unsigned long long)ek->s.replications);
    json_number(fp, event_mean(rf, ek));
    fputs(", \"share_with_any\": ", fp);
    json_number(fp, event_share(rf, ek));
    fputs("}", fp);
  }
  fputs("], \"at_end\": {", fp);
  size_t T = rf->nsteps;
  for (size_t m = 0; T && rf->replications && m < rf->nmetrics; m++) {
    size_t cell = m * T + T - 1;
    fputs(m ? ", " : "", fp);
    json_string(fp, rf->metric_names[m]);
    fputs(": {\"mean\": ", fp);
    json_number(fp, rf->mean[cell]);
    fputs(", \"median\": ", fp);
    json_number(fp, rf->quantiles[cell * DDR_NQUANTILES + qi(0.5)]);
    fputs("}", fp);
  }
  fputs("}}\n", fp);
}

int cli_print_summary(const ddr_resfile *rf, const char *format, FILE *fp) {
  if (strcmp(format, "csv") == 0)
    print_csv(rf, fp);
  else if (strcmp(format, "json") == 0)
    print_json(rf, fp);
  else
    print_table(rf, fp);
  return 0;
}

int cmd_summary(int argc, char **argv) {
  static const struct option longopts[] = {{"format", required_argument, NULL, 'f'},
                                           {"help", no_argument, NULL, 'h'},
                                           {NULL, 0, NULL, 0}};
  const char *format = "table";
  int c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":f:h", longopts, NULL)) != -1) {
    switch (c) {
    case 'f':
      if (strcmp(optarg, "table") && strcmp(optarg, "csv") && strcmp(optarg, "json"))
        return cli_usage("summary", "--format expects table, csv or json, found \"%s\"", optarg);
      format = optarg;
      break;
    case 'h':
      fputs(summary_usage, stdout);
      return 0;
    case ':':
      return cli_usage("summary", "option %s needs a value", argv[optind - 1]);
    default:
      return cli_usage("summary", "unknown option \"%s\"", argv[optind - 1]);
    }
  }
  if (optind + 1 != argc) return cli_usage("summary", "expected one result file");
  ddr_error err;
  ddr_resfile *rf = NULL;
  ddr_error_clear(&err);
  if (ddr_resfile_load(argv[optind], &rf, &err)) return cli_fail(&err);
  cli_print_summary(rf, format, stdout);
  ddr_resfile_free(rf);
  return 0;
}

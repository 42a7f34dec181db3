/* `ddrsim summary`: the targets and key figures of a result file, as a table
 * for people or CSV / JSON for programs. */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ddrsim/stats.h"

static const char summary_usage[] =
    "Usage: ddrsim summary FILE.h5 [--format table|csv|json] [--point K]\n"
    "\n"
    "Print the probability of meeting each target (with its 95% interval), the\n"
    "dates by which targets are reached (P10, P50, P80, P90), how often events\n"
    "of each kind happen (when the model reports events) and the outcomes at\n"
    "the end of the horizon. Each target is also said in words a briefer can\n"
    "paste, and each stage's queue (metrics <stage>.queue) by its longest median\n"
    "and when.\n"
    "\n"
    "      --format F   table (default), csv or json\n"
    "      --point K    of a sweep file (ddrsim sweep), point K as a run; without it\n"
    "                   a sweep file's points are listed with each target's\n"
    "                   probability\n";

#define qi cli_quantile_index

/* Room for the sentences: a label of any length fits. */
#define SENTENCE_MAX 2048

/* The stages' queue peaks (malloc'd; *n of them, NULL when none). */
static cli_stage_peak *stage_peaks(const ddr_resfile *rf, size_t *n) {
  *n = cli_stage_peaks(rf, NULL, 0);
  cli_stage_peak *p = *n ? calloc(*n, sizeof *p) : NULL;
  if (!p)
    *n = 0;
  else
    cli_stage_peaks(rf, p, *n);
  return p;
}

/* The last (as /time/date) or first day of step t as YYYY-MM-DD in buf[16]. */
static const char *step_date(const ddr_resfile *rf, int t, int last, char *buf) {
  ddr_date_format(last ? ddr_calendar_step_last(&rf->cal, t) : ddr_calendar_step_first(&rf->cal, t),
                  buf, 16);
  return buf;
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
  char a[16], b[16], c[16], d[16], e[16], words[SENTENCE_MAX];
  size_t T = rf->nsteps;
  fprintf(fp, "%s: %s\n", rf->scenario_name, rf->scenario_file);
  fprintf(fp, "%llu replications, seed %llu, ddrsim %s\n", (unsigned long long)rf->replications,
          (unsigned long long)rf->seed, rf->version);
  for (size_t g = 0; g < rf->ntargets; g++) {
    const ddr_resfile_target *t = &rf->targets[g];
    ddr_date_format(t->deadline, a, sizeof a);
    fprintf(fp, "\nTarget %s: %s (%s >= %g by %s)\n", t->id, t->label, t->metric, t->threshold, a);
    if (!rf->replications) { /* a run of -n 0 (or an empty shard): no estimate at all */
      fprintf(fp, "  no replications: nothing can be said\n");
      continue;
    }
    fprintf(fp, "  probability met: %.3f  [95%% interval %.3f-%.3f]\n", t->s.prob, t->s.lo,
            t->s.hi);
    cli_day_iso(rf, t->s.day_q[qi(0.10)], a, sizeof a);
    cli_day_iso(rf, t->s.day_q[qi(0.50)], b, sizeof b);
    cli_day_iso(rf, t->s.day_q[qi(0.80)], c, sizeof c);
    cli_day_iso(rf, t->s.day_q[qi(0.90)], d, sizeof d);
    if (rf->replications)
      fprintf(fp, "  date reached: P10 %s, P50 %s, P80 %s, P90 %s\n", a, b, c, d);
    fprintf(fp, "  reached within the horizon in %.1f%% of replications\n",
            rf->replications ? 100.0 * (double)t->s.reached / (double)rf->replications : 0.0);
    if (rf->replications) {
      cli_target_sentence(rf, t, words, sizeof words);
      fprintf(fp, "  in words: %s\n", words);
    }
  }
  print_events_table(rf, fp);
  size_t nstages;
  cli_stage_peak *peaks = stage_peaks(rf, &nstages);
  if (nstages) fprintf(fp, "\nQueues (people waiting to enter each stage)\n");
  for (size_t i = 0; i < nstages; i++) {
    cli_stage_sentence(rf, &peaks[i], words, sizeof words);
    fprintf(fp, "  %s\n", words);
  }
  free(peaks);
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
  char a[16], words[SENTENCE_MAX];
  fprintf(fp, "kind,name,statistic,value\n");
  for (size_t g = 0; g < rf->ntargets; g++) {
    const ddr_resfile_target *t = &rf->targets[g];
    fprintf(fp, "target,%s,probability,%.6f\ntarget,%s,probability_lo,%.6f\n", t->id, t->s.prob,
            t->id, t->s.lo);
    fprintf(fp, "target,%s,probability_hi,%.6f\n", t->id, t->s.hi);
    for (int q = 0; q < DDR_NQUANTILES; q++) {
      cli_day_iso(rf, t->s.day_q[q], a, sizeof a);
      fprintf(fp, "target,%s,date_p%g,%s\n", t->id, 100 * ddr_quantile_levels[q], a);
    }
    if (rf->replications) {
      cli_target_sentence(rf, t, words, sizeof words);
      fprintf(fp, "target,%s,sentence,", t->id);
      cli_csv_field(fp, words);
      fputc('\n', fp);
    }
  }
  size_t nstages;
  cli_stage_peak *peaks = stage_peaks(rf, &nstages);
  for (size_t i = 0; i < nstages; i++) {
    const cli_stage_peak *p = &peaks[i];
    const char *st = p->stage;
    fprintf(fp, "stage,%s,metric,%s\n", st, rf->metric_names[p->metric]);
    fprintf(fp, "stage,%s,peak_median_queue,%.6f\n", st, p->median);
    fprintf(fp, "stage,%s,peak_date,%s\n", st, p->median > 0 ? step_date(rf, p->step, 1, a) : "");
    fprintf(fp, "stage,%s,peak_step_start,%s\n", st,
            p->median > 0 ? step_date(rf, p->step, 0, a) : "");
    fprintf(fp, "stage,%s,p90_at_peak,%.6f\n", st, p->p90_then);
    fprintf(fp, "stage,%s,peak_p90_queue,%.6f\n", st, p->p90_peak);
    fprintf(fp, "stage,%s,peak_p90_date,%s\n", st,
            p->p90_peak > 0 ? step_date(rf, p->p90_step, 1, a) : "");
    cli_stage_sentence(rf, p, words, sizeof words);
    fprintf(fp, "stage,%s,sentence,", st);
    cli_csv_field(fp, words);
    fputc('\n', fp);
  }
  free(peaks);
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

/* ", "key": "YYYY-MM-DD"", or null when there is no such date. */
static void json_day(FILE *fp, const char *key, const char *date) {
  fprintf(fp, ", \"%s\": ", key);
  if (date)
    cli_json_string(fp, date);
  else
    fputs("null", fp);
}

static void print_json(const ddr_resfile *rf, FILE *fp) {
  char a[16], words[SENTENCE_MAX];
  fputs("{\"scenario\": ", fp);
  cli_json_string(fp, rf->scenario_name);
  fprintf(fp, ", \"replications\": %llu, \"seed\": %llu, \"targets\": [",
          (unsigned long long)rf->replications, (unsigned long long)rf->seed);
  for (size_t g = 0; g < rf->ntargets; g++) {
    const ddr_resfile_target *t = &rf->targets[g];
    fputs(g ? ", {\"id\": " : "{\"id\": ", fp);
    cli_json_string(fp, t->id);
    fputs(", \"label\": ", fp);
    cli_json_string(fp, t->label);
    fputs(", \"probability\": ", fp);
    cli_json_number(fp, t->s.prob);
    fputs(", \"interval\": [", fp);
    cli_json_number(fp, t->s.lo);
    fputs(", ", fp);
    cli_json_number(fp, t->s.hi);
    fputs("], \"date_quantiles\": {", fp);
    for (int q = 0; q < DDR_NQUANTILES; q++) {
      cli_day_iso(rf, t->s.day_q[q], a, sizeof a);
      fprintf(fp, "%s\"%g\": ", q ? ", " : "", ddr_quantile_levels[q]);
      if (isnan(t->s.day_q[q]))
        fputs("null", fp);
      else
        cli_json_string(fp, a);
    }
    fputs("}, \"sentence\": ", fp);
    if (rf->replications) {
      cli_target_sentence(rf, t, words, sizeof words);
      cli_json_string(fp, words);
    } else {
      fputs("null", fp);
    }
    fputs("}", fp);
  }
  if (rf->nevent_kinds) fputs("], \"events\": [", fp);
  for (size_t k = 0; k < rf->nevent_kinds; k++) {
    const ddr_resfile_event_kind *ek = &rf->event_kinds[k];
    fputs(k ? ", {\"name\": " : "{\"name\": ", fp);
    cli_json_string(fp, ek->name);
    fputs(", \"label\": ", fp);
    cli_json_string(fp, ek->label);
    fprintf(fp, ", \"count\": %llu, \"replications_with_any\": %llu, \"mean_per_replication\": ",
            (unsigned long long)ek->s.events, (unsigned long long)ek->s.replications);
    cli_json_number(fp, event_mean(rf, ek));
    fputs(", \"share_with_any\": ", fp);
    cli_json_number(fp, event_share(rf, ek));
    fputs("}", fp);
  }
  fputs("], \"stages\": [", fp);
  size_t nstages;
  cli_stage_peak *peaks = stage_peaks(rf, &nstages);
  for (size_t i = 0; i < nstages; i++) {
    const cli_stage_peak *p = &peaks[i];
    fputs(i ? ", {\"stage\": " : "{\"stage\": ", fp);
    cli_json_string(fp, p->stage);
    fputs(", \"metric\": ", fp);
    cli_json_string(fp, rf->metric_names[p->metric]);
    fputs(", \"peak_median_queue\": ", fp);
    cli_json_number(fp, p->median);
    json_day(fp, "peak_date", p->median > 0 ? step_date(rf, p->step, 1, a) : NULL);
    json_day(fp, "peak_step_start", p->median > 0 ? step_date(rf, p->step, 0, a) : NULL);
    fputs(", \"p90_at_peak\": ", fp);
    cli_json_number(fp, p->p90_then);
    fputs(", \"peak_p90_queue\": ", fp);
    cli_json_number(fp, p->p90_peak);
    json_day(fp, "peak_p90_date", p->p90_peak > 0 ? step_date(rf, p->p90_step, 1, a) : NULL);
    fputs(", \"sentence\": ", fp);
    cli_stage_sentence(rf, p, words, sizeof words);
    cli_json_string(fp, words);
    fputs("}", fp);
  }
  free(peaks);
  fputs("], \"at_end\": {", fp);
  size_t T = rf->nsteps;
  for (size_t m = 0; T && rf->replications && m < rf->nmetrics; m++) {
    size_t cell = m * T + T - 1;
    fputs(m ? ", " : "", fp);
    cli_json_string(fp, rf->metric_names[m]);
    fputs(": {\"mean\": ", fp);
    cli_json_number(fp, rf->mean[cell]);
    fputs(", \"median\": ", fp);
    cli_json_number(fp, rf->quantiles[cell * DDR_NQUANTILES + qi(0.5)]);
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
                                           {"point", required_argument, NULL, 'P'},
                                           {"help", no_argument, NULL, 'h'},
                                           {NULL, 0, NULL, 0}};
  const char *format = "table";
  long point = -1;
  unsigned long long v;
  int c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":f:h", longopts, NULL)) != -1) {
    switch (c) {
    case 'f':
      if (cli_parse_format("summary", optarg, &format)) return DDR_EUSAGE;
      break;
    case 'P':
      if (cli_parse_u64(optarg, &v) || v > 1000000)
        return cli_usage("summary", "--point expects a point number, found \"%s\"", optarg);
      point = (long)v;
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
  int sweep = cli_summary_sweep(argv[optind], point, format);
  if (sweep >= 0) return sweep;
  ddr_error err;
  ddr_resfile *rf = NULL;
  ddr_error_clear(&err);
  if (ddr_resfile_load(argv[optind], &rf, &err)) return cli_fail(&err);
  cli_print_summary(rf, format, stdout);
  ddr_resfile_free(rf);
  return 0;
}

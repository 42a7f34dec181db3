/* `ddrsim compare A.h5 B.h5 [C.h5 ...]`: each run against the first (the
 * baseline), target by target, as a table for people or CSV / JSON for
 * programs. Runs that share their random numbers are compared replication
 * by replication; others only with --unpaired, as independent samples. */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "compare.h"

#define MAX_RUNS 26 /* named A to Z */

static const char compare_usage[] =
    "Usage: ddrsim compare A.h5 B.h5 [C.h5 ...] [--format table|csv|json] [--unpaired]\n"
    "\n"
    "Compare each run with the first, the baseline: for every target (matched by\n"
    "id) the difference of the probabilities of meeting it, B - A, with its 95%\n"
    "interval, and of the dates by which half (P50) and 80% (P80) of the runs\n"
    "reach it, in days (negative: B reaches it earlier). Targets found in only\n"
    "some runs are listed as such.\n"
    "\n"
    "Runs pair when they share the seed, the number of replications and the\n"
    "calendar (start, step, horizon): replication i of each then draws the same\n"
    "random numbers wherever the scenarios agree, and the runs are compared\n"
    "replication by replication (Newcombe's interval for paired proportions;\n"
    "how often B reaches the target earlier; the mean paired difference of the\n"
    "dates). Runs that do not pair are refused unless --unpaired is given.\n"
    "\n"
    "      --format F   table (default), csv or json\n"
    "      --unpaired   compare runs that do not pair as independent samples\n"
    "                   (wider intervals, no replication-by-replication figures)\n";

typedef struct run {
  char name; /* 'A', 'B', ... */
  ddr_resfile *rf;
  uint8_t *met; /* [replications][ntargets] */
  int32_t *step;
} run;

const char *cmp_pairing_problem(const ddr_resfile *a, const ddr_resfile *b, char *why,
                                size_t size) {
  char s1[16], s2[16], e1[16], e2[16];
  ddr_date_format(a->cal.start, s1, sizeof s1);
  ddr_date_format(b->cal.start, s2, sizeof s2);
  ddr_date_format(a->cal.end, e1, sizeof e1);
  ddr_date_format(b->cal.end, e2, sizeof e2);
  if (a->seed != b->seed)
    snprintf(why, size, "they were run with different seeds (%llu and %llu)",
             (unsigned long long)a->seed, (unsigned long long)b->seed);
  else if (a->replications != b->replications)
    snprintf(why, size, "they have different numbers of replications (%llu and %llu)",
             (unsigned long long)a->replications, (unsigned long long)b->replications);
  else if (a->cal.start != b->cal.start || a->cal.end != b->cal.end ||
           a->cal.step_days != b->cal.step_days)
    snprintf(why, size,
             "their calendars differ (%s to %s in steps of %d days, and %s to %s in steps of %d "
             "days)",
             s1, e1, a->cal.step_days, s2, e2, b->cal.step_days);
  else if (a->rng_version != b->rng_version)
    snprintf(why, size,
             "they were written by ddrsim versions that draw different random numbers (random "
             "stream versions %d and %d)",
             a->rng_version, b->rng_version);
  else
    return NULL;
  return why;
}

static void refuse_unpaired(const run *a, const run *b, const char *why) {
  fprintf(stderr,
          "ddrsim compare: %s and %s cannot be paired: %s.\n"
          "A paired comparison sets replication i of one run against replication i of the\n"
          "other, which drew the same random numbers only if the runs share the seed, the\n"
          "number of replications and the calendar (start, step, horizon). These runs do not,\n"
          "so compared as they are they are two independent samples: the difference then\n"
          "carries the sampling noise of both runs (a wider interval) and nothing can be said\n"
          "replication by replication.\n"
          "To pair them, run both scenarios with the same --seed and -n (seed %llu and %llu\n"
          "replications in %s); to compare them as independent samples, add --unpaired.\n",
          a->rf->path, b->rf->path, why, (unsigned long long)a->rf->seed,
          (unsigned long long)a->rf->replications, a->rf->path);
}

static const ddr_resfile_target *find_target(const ddr_resfile *rf, const char *id, size_t *g) {
  for (size_t i = 0; i < rf->ntargets; i++)
    if (strcmp(rf->targets[i].id, id) == 0) {
      if (g) *g = i;
      return &rf->targets[i];
    }
  return NULL;
}

/* Every target id of the runs, in order of first appearance (pointers into
 * the runs); returns how many. */
static size_t all_targets(const run *runs, size_t nruns, const char **ids) {
  size_t n = 0;
  for (size_t r = 0; r < nruns; r++)
    for (size_t g = 0; g < runs[r].rf->ntargets; g++) {
      const char *id = runs[r].rf->targets[g].id;
      size_t i = 0;
      while (i < n && strcmp(ids[i], id)) i++;
      if (i == n) ids[n++] = id;
    }
  return n;
}

static int same_definition(const ddr_resfile_target *x, const ddr_resfile_target *y) {
  return strcmp(x->metric, y->metric) == 0 && x->threshold == y->threshold &&
         x->deadline == y->deadline;
}

/* The difference of run b against the baseline a on target id; 1 if both
 * have it, 0 if not, -1 when out of memory. */
static int diff_of(const run *a, const run *b, const char *id, int paired, cmp_diff *d) {
  cmp_side sa = {a->rf, NULL, a->met, a->step, 0}, sb = {b->rf, NULL, b->met, b->step, 0};
  if (!(sa.t = find_target(a->rf, id, &sa.g)) || !(sb.t = find_target(b->rf, id, &sb.g))) return 0;
  return cmp_target(&sa, &sb, paired, d) < 0 ? -1 : 1;
}

/* ---- Printing ---- */

static void iso_or_never(double day, char *buf, size_t size) {
  if (isnan(day))
    snprintf(buf, size, "never");
  else
    ddr_date_format((int32_t)lround(day), buf, size);
}

/* "56 days earlier", "the same day", "12 days later" */
static void shift_words(double days, char *buf, size_t size) {
  long d = lround(days);
  if (isnan(days))
    snprintf(buf, size, "not defined: one run does not reach it within its horizon");
  else if (d == 0)
    snprintf(buf, size, "the same date");
  else
    snprintf(buf, size, "%ld day%s %s", labs(d), labs(d) == 1 ? "" : "s",
             d < 0 ? "earlier" : "later");
}

static void print_presence(const run *runs, size_t nruns, const char *id, FILE *fp) {
  fputs("  found only in", fp);
  for (size_t r = 0, k = 0; r < nruns; r++)
    if (find_target(runs[r].rf, id, NULL)) fprintf(fp, "%s %c", k++ ? "," : "", runs[r].name);
  fputs("; not in", fp);
  for (size_t r = 0, k = 0; r < nruns; r++)
    if (!find_target(runs[r].rf, id, NULL)) fprintf(fp, "%s %c", k++ ? "," : "", runs[r].name);
  fputs("\n", fp);
}

static void print_table_diff(const run *a, const run *b, const cmp_diff *d, FILE *fp) {
  char x[16], y[16], w[96];
  char A = a->name, B = b->name;
  fprintf(
      fp,
      "  %c vs %c: probability met %.3f -> %.3f, %c - %c %+.3f [95%% interval %+.3f to %+.3f]%s\n",
      B, A, d->pa, d->pb, B, A, d->diff, d->lo, d->hi,
      d->paired ? " (paired)" : " (independent samples)");
  if (d->paired)
    fprintf(fp, "    met in both %llu, only in %c %llu, only in %c %llu, in neither %llu\n",
            (unsigned long long)d->both, A, (unsigned long long)d->a_only, B,
            (unsigned long long)d->b_only, (unsigned long long)d->neither);
  iso_or_never(d->p50a, x, sizeof x);
  iso_or_never(d->p50b, y, sizeof y);
  shift_words(d->d50, w, sizeof w);
  fprintf(fp, "    P50 date (half the runs reach it): %s -> %s, %c %s\n", x, y, B, w);
  iso_or_never(d->p80a, x, sizeof x);
  iso_or_never(d->p80b, y, sizeof y);
  shift_words(d->d80, w, sizeof w);
  fprintf(fp, "    P80 date (80%% of runs reach it): %s -> %s, %c %s\n", x, y, B, w);
  if (!d->paired) return;
  uint64_t n = a->rf->replications;
  if (n == 0) return;
  fprintf(fp,
          "    replication by replication: %c reaches it earlier in %.1f%%, at the same step in "
          "%.1f%%, later in %.1f%% (neither within the horizon: %.1f%%)\n",
          B, 100.0 * (double)d->earlier / (double)n, 100.0 * (double)d->same / (double)n,
          100.0 * (double)d->later / (double)n, 100.0 * (double)d->none / (double)n);
  if (d->reached_both > 1)
    fprintf(fp,
            "    where both reach it (%llu replications): %c - %c %+.1f days on average [95%% "
            "interval %+.1f to %+.1f], median %+.1f\n",
            (unsigned long long)d->reached_both, B, A, d->mean_days, d->mean_lo, d->mean_hi,
            d->median_days);
}

static void print_runs_table(const run *runs, size_t nruns, int paired, FILE *fp) {
  char s[16], e[16];
  const ddr_resfile *a = runs[0].rf;
  fprintf(fp, "Comparing %zu runs with %c, the baseline", nruns, runs[0].name);
  if (paired) {
    ddr_date_format(a->cal.start, s, sizeof s);
    ddr_date_format(a->cal.end, e, sizeof e);
    fprintf(fp, ", paired (seed %llu, %llu replications, %s to %s in steps of %d day%s)",
            (unsigned long long)a->seed, (unsigned long long)a->replications, s, e,
            a->cal.step_days, a->cal.step_days == 1 ? "" : "s");
  } else {
    fputs(", as independent samples (--unpaired)", fp);
  }
  fputs("\n", fp);
  for (size_t r = 0; r < nruns; r++)
    fprintf(fp, "  %c  %s (%s; seed %llu, %llu replications)\n", runs[r].name,
            runs[r].rf->scenario_name, runs[r].rf->path, (unsigned long long)runs[r].rf->seed,
            (unsigned long long)runs[r].rf->replications);
}

static void print_def(const ddr_resfile_target *t, FILE *fp) {
  char dl[16];
  ddr_date_format(t->deadline, dl, sizeof dl);
  fprintf(fp, "%s >= %g by %s", t->metric, t->threshold, dl);
}

static int print_table(const run *runs, size_t nruns, const char **ids, size_t nids, int paired,
                       FILE *fp) {
  print_runs_table(runs, nruns, paired, fp);
  for (size_t i = 0; i < nids; i++) {
    const ddr_resfile_target *t = NULL;
    size_t have = 0;
    for (size_t r = 0; r < nruns; r++) {
      const ddr_resfile_target *x = find_target(runs[r].rf, ids[i], NULL);
      if (x && !t) t = x;
      have += x != NULL;
    }
    fprintf(fp, "\nTarget %s: %s (", ids[i], t->label);
    print_def(t, fp);
    fputs(")\n", fp);
    for (size_t r = 0; r < nruns; r++) {
      const ddr_resfile_target *x = find_target(runs[r].rf, ids[i], NULL);
      if (x && !same_definition(x, t)) {
        fprintf(fp, "  note: in %c the target is ", runs[r].name);
        print_def(x, fp);
        fputs("\n", fp);
      }
    }
    if (have < nruns) print_presence(runs, nruns, ids[i], fp);
    for (size_t r = 1; r < nruns; r++) {
      cmp_diff d;
      int rc = diff_of(&runs[0], &runs[r], ids[i], paired, &d);
      if (rc < 0) return -1;
      if (rc) print_table_diff(&runs[0], &runs[r], &d, fp);
    }
  }
  return 0;
}

/* ---- CSV: one row per statistic, as `ddrsim summary --format csv` ---- */

static void csv_row(FILE *fp, const char *id, const run *b, const char *stat) {
  cli_csv_field(fp, id);
  fputc(',', fp);
  cli_csv_field(fp, b->rf->path);
  fprintf(fp, ",%s,", stat);
}

static void csv_num(FILE *fp, const char *id, const run *b, const char *stat, double x) {
  csv_row(fp, id, b, stat);
  cli_csv_number(fp, x);
  fputc('\n', fp);
}

static void csv_text(FILE *fp, const char *id, const run *b, const char *stat, const char *s) {
  csv_row(fp, id, b, stat);
  cli_csv_field(fp, s);
  fputc('\n', fp);
}

static void csv_diff(FILE *fp, const char *id, const run *b, const cmp_diff *d) {
  char x[16];
  csv_text(fp, id, b, "present", "both");
  csv_text(fp, id, b, "paired", d->paired ? "yes" : "no");
  csv_num(fp, id, b, "probability_baseline", d->pa);
  csv_num(fp, id, b, "probability_run", d->pb);
  csv_num(fp, id, b, "difference", d->diff);
  csv_num(fp, id, b, "difference_lo", d->lo);
  csv_num(fp, id, b, "difference_hi", d->hi);
  csv_text(fp, id, b, "interval_method",
           d->paired ? "newcombe-paired-method-10" : "newcombe-independent-method-10");
  if (d->paired) {
    csv_num(fp, id, b, "met_both", (double)d->both);
    csv_num(fp, id, b, "met_baseline_only", (double)d->a_only);
    csv_num(fp, id, b, "met_run_only", (double)d->b_only);
    csv_num(fp, id, b, "met_neither", (double)d->neither);
  }
  static const char *const names[4] = {"p50_baseline", "p50_run", "p80_baseline", "p80_run"};
  const double days[4] = {d->p50a, d->p50b, d->p80a, d->p80b};
  for (int k = 0; k < 4; k++) {
    iso_or_never(days[k], x, sizeof x);
    csv_text(fp, id, b, names[k], x);
  }
  csv_num(fp, id, b, "p50_difference_days", d->d50);
  csv_num(fp, id, b, "p80_difference_days", d->d80);
  if (!d->paired) return;
  csv_num(fp, id, b, "reached_earlier", (double)d->earlier);
  csv_num(fp, id, b, "reached_same_step", (double)d->same);
  csv_num(fp, id, b, "reached_later", (double)d->later);
  csv_num(fp, id, b, "reached_neither", (double)d->none);
  csv_num(fp, id, b, "reached_both", (double)d->reached_both);
  csv_num(fp, id, b, "paired_mean_difference_days", d->mean_days);
  csv_num(fp, id, b, "paired_mean_difference_lo", d->mean_lo);
  csv_num(fp, id, b, "paired_mean_difference_hi", d->mean_hi);
  csv_num(fp, id, b, "paired_sd_difference_days", d->sd_days);
  csv_num(fp, id, b, "paired_median_difference_days", d->median_days);
}

static int print_csv(const run *runs, size_t nruns, const char **ids, size_t nids, int paired,
                     FILE *fp) {
  fputs("target,run,statistic,value\n", fp);
  for (size_t r = 0; r < nruns; r++) {
    csv_text(fp, "", &runs[r], "role", r ? "run" : "baseline");
    csv_text(fp, "", &runs[r], "scenario", runs[r].rf->scenario_name);
  }
  for (size_t i = 0; i < nids; i++)
    for (size_t r = 1; r < nruns; r++) {
      cmp_diff d;
      int rc = diff_of(&runs[0], &runs[r], ids[i], paired, &d);
      if (rc < 0) return -1;
      if (rc) {
        csv_diff(fp, ids[i], &runs[r], &d);
      } else {
        int in_a = find_target(runs[0].rf, ids[i], NULL) != NULL;
        csv_text(fp, ids[i], &runs[r], "present",
                 in_a                                    ? "baseline only"
                 : find_target(runs[r].rf, ids[i], NULL) ? "run only"
                                                         : "neither");
      }
    }
  return 0;
}

/* ---- JSON ---- */

static void json_key_num(FILE *fp, const char *key, double x) {
  fprintf(fp, ", \"%s\": ", key);
  cli_json_number(fp, x);
}

static void json_key_day(FILE *fp, const char *key, double day) {
  char x[16];
  fprintf(fp, ", \"%s\": ", key);
  if (isnan(day)) {
    fputs("null", fp);
  } else {
    iso_or_never(day, x, sizeof x);
    cli_json_string(fp, x);
  }
}

static void json_diff(FILE *fp, const run *b, const cmp_diff *d) {
  fprintf(fp, "{\"run\": \"%c\", \"paired\": %s", b->name, d->paired ? "true" : "false");
  json_key_num(fp, "probability_baseline", d->pa);
  json_key_num(fp, "probability_run", d->pb);
  json_key_num(fp, "difference", d->diff);
  fputs(", \"interval\": [", fp);
  cli_json_number(fp, d->lo);
  fputs(", ", fp);
  cli_json_number(fp, d->hi);
  fprintf(fp, "], \"interval_method\": \"%s\"",
          d->paired ? "newcombe-paired-method-10" : "newcombe-independent-method-10");
  if (d->paired)
    fprintf(fp,
            ", \"met\": {\"both\": %llu, \"baseline_only\": %llu, \"run_only\": %llu, "
            "\"neither\": %llu}",
            (unsigned long long)d->both, (unsigned long long)d->a_only,
            (unsigned long long)d->b_only, (unsigned long long)d->neither);
  json_key_day(fp, "p50_baseline", d->p50a);
  json_key_day(fp, "p50_run", d->p50b);
  json_key_num(fp, "p50_difference_days", d->d50);
  json_key_day(fp, "p80_baseline", d->p80a);
  json_key_day(fp, "p80_run", d->p80b);
  json_key_num(fp, "p80_difference_days", d->d80);
  if (d->paired) {
    fprintf(fp,
            ", \"reached\": {\"earlier\": %llu, \"same_step\": %llu, \"later\": %llu, "
            "\"neither\": %llu, \"both\": %llu}",
            (unsigned long long)d->earlier, (unsigned long long)d->same,
            (unsigned long long)d->later, (unsigned long long)d->none,
            (unsigned long long)d->reached_both);
    json_key_num(fp, "paired_mean_difference_days", d->mean_days);
    fputs(", \"paired_mean_interval\": [", fp);
    cli_json_number(fp, d->mean_lo);
    fputs(", ", fp);
    cli_json_number(fp, d->mean_hi);
    fputs("]", fp);
    json_key_num(fp, "paired_sd_difference_days", d->sd_days);
    json_key_num(fp, "paired_median_difference_days", d->median_days);
  }
  fputs("}", fp);
}

static int print_json(const run *runs, size_t nruns, const char **ids, size_t nids, int paired,
                      FILE *fp) {
  fprintf(fp, "{\"paired\": %s, \"runs\": [", paired ? "true" : "false");
  for (size_t r = 0; r < nruns; r++) {
    fprintf(fp, "%s{\"name\": \"%c\", \"file\": ", r ? ", " : "", runs[r].name);
    cli_json_string(fp, runs[r].rf->path);
    fputs(", \"scenario\": ", fp);
    cli_json_string(fp, runs[r].rf->scenario_name);
    fprintf(fp, ", \"seed\": %llu, \"replications\": %llu}", (unsigned long long)runs[r].rf->seed,
            (unsigned long long)runs[r].rf->replications);
  }
  fputs("], \"targets\": [", fp);
  for (size_t i = 0; i < nids; i++) {
    fputs(i ? ", {\"id\": " : "{\"id\": ", fp);
    cli_json_string(fp, ids[i]);
    fputs(", \"present\": [", fp);
    for (size_t r = 0, k = 0; r < nruns; r++)
      if (find_target(runs[r].rf, ids[i], NULL))
        fprintf(fp, "%s\"%c\"", k++ ? ", " : "", runs[r].name);
    fputs("], \"comparisons\": [", fp);
    for (size_t r = 1, k = 0; r < nruns; r++) {
      cmp_diff d;
      int rc = diff_of(&runs[0], &runs[r], ids[i], paired, &d);
      if (rc < 0) return -1;
      if (!rc) continue;
      fputs(k++ ? ", " : "", fp);
      json_diff(fp, &runs[r], &d);
    }
    fputs("]}", fp);
  }
  fputs("]}\n", fp);
  return 0;
}

/* ---- The command ---- */

static void free_runs(run *runs, size_t n) {
  for (size_t r = 0; r < n; r++) {
    ddr_resfile_free(runs[r].rf);
    free(runs[r].met);
    free(runs[r].step);
  }
}

/* Load a run with its per-replication target outcomes. */
static ddr_status load_run(const char *path, run *r, ddr_error *err) {
  ddr_status st = ddr_resfile_load(path, &r->rf, err);
  if (st) return st;
  size_t cells = (size_t)r->rf->replications * r->rf->ntargets;
  r->met = malloc(cells + 1);
  r->step = malloc((cells + 1) * sizeof *r->step);
  if (!r->met || !r->step)
    return ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory reading %s", path);
  return ddr_resfile_outcomes(r->rf, r->met, r->step, err);
}

int cmd_compare(int argc, char **argv) {
  static const struct option longopts[] = {{"format", required_argument, NULL, 'f'},
                                           {"unpaired", no_argument, NULL, 'u'},
                                           {"help", no_argument, NULL, 'h'},
                                           {NULL, 0, NULL, 0}};
  const char *format = "table";
  int c, unpaired = 0;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":f:h", longopts, NULL)) != -1) {
    switch (c) {
    case 'f':
      if (cli_parse_format("compare", optarg, &format)) return DDR_EUSAGE;
      break;
    case 'u':
      unpaired = 1;
      break;
    case 'h':
      fputs(compare_usage, stdout);
      return 0;
    case ':':
      return cli_usage("compare", "option %s needs a value", argv[optind - 1]);
    default:
      return cli_usage("compare", "unknown option \"%s\"", argv[optind - 1]);
    }
  }
  size_t nruns = (size_t)(argc - optind);
  if (nruns < 2) return cli_usage("compare", "expected at least two result files");
  if (nruns > MAX_RUNS) return cli_usage("compare", "at most %d result files", MAX_RUNS);
  run runs[MAX_RUNS] = {{0}};
  const char **ids = NULL;
  ddr_error err;
  ddr_error_clear(&err);
  int status = 0;
  size_t nids = 0, ntotal = 0;
  for (size_t r = 0; r < nruns; r++) {
    runs[r].name = (char)('A' + r);
    if (load_run(argv[optind + (int)r], &runs[r], &err)) {
      status = cli_fail(&err);
      goto done;
    }
    ntotal += runs[r].rf->ntargets;
  }
  /* paired unless asked otherwise, and then every run must pair with the
   * baseline */
  int paired = !unpaired;
  for (size_t r = 1; paired && r < nruns; r++) {
    char why[512];
    if (!cmp_pairing_problem(runs[0].rf, runs[r].rf, why, sizeof why)) continue;
    refuse_unpaired(&runs[0], &runs[r], why);
    status = DDR_EINPUT;
    goto done;
  }
  if (!(ids = calloc(ntotal + 1, sizeof *ids))) {
    status = cli_fail(&(ddr_error){.status = DDR_ENOMEM, .msg = "out of memory"});
    goto done;
  }
  nids = all_targets(runs, nruns, ids);
  int rc = strcmp(format, "csv") == 0    ? print_csv(runs, nruns, ids, nids, paired, stdout)
           : strcmp(format, "json") == 0 ? print_json(runs, nruns, ids, nids, paired, stdout)
                                         : print_table(runs, nruns, ids, nids, paired, stdout);
  if (rc < 0) status = cli_fail(&(ddr_error){.status = DDR_ENOMEM, .msg = "out of memory"});
done:
  free(ids);
  free_runs(runs, nruns);
  return status;
}

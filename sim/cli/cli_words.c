/* Sentences a briefer can paste into a report: how likely a target is to be
 * met and when it is reached, and where each stage's queue is longest. They
 * are built from what the result file says (label, threshold, deadline,
 * probability, date quantiles, queue quantiles), and say plainly when a date
 * cannot be given because too few runs reach the target within the horizon. */
#include <ctype.h>
#include <math.h>
#include <string.h>

#include "cli.h"
#include "ddrsim/stats.h"

/* Index of the quantile level p in ddr_quantile_levels. */
int cli_quantile_index(double p) {
  for (int i = 0; i < DDR_NQUANTILES; i++)
    if (fabs(ddr_quantile_levels[i] - p) < 1e-9) return i;
  return 0;
}

/* Does the text after a label's last " by " name a date or a time ("mid-2022",
 * "the end of the mandate year")? Then the sentence's own deadline replaces
 * it; "deployed by region" keeps its "by". */
static int names_a_time(const char *s) {
  static const char *const words[] = {"end",    "mid",      "year",   "month",  "mandate",
                                      "start",  "quarter",  "spring", "summer", "autumn",
                                      "winter", "deadline", "date"};
  for (const char *c = s; *c; c++)
    if (isdigit((unsigned char)*c)) return 1;
  for (size_t i = 0; i < sizeof words / sizeof *words; i++)
    if (strstr(s, words[i])) return 1;
  return 0;
}

void cli_target_subject(const ddr_resfile_target *t, char *buf, size_t size) {
  char label[512], n1[32], n2[32];
  snprintf(label, sizeof label, "%s", t->label);
  char *by = NULL;
  for (char *p = strstr(label, " by "); p; p = strstr(p + 1, " by ")) by = p;
  if (by && names_a_time(by + 4)) *by = '\0';
  /* "At least" starts a sentence; "FDSM" is an acronym and stays */
  if (isupper((unsigned char)label[0]) && islower((unsigned char)label[1]))
    label[0] = (char)tolower((unsigned char)label[0]);
  cli_count(t->threshold, n1, sizeof n1);
  snprintf(n2, sizeof n2, "%g", t->threshold);
  if (!label[0])
    snprintf(buf, size, "the target of %s at least %s", t->metric, n1);
  else if (strstr(label, n1) || strstr(label, n2))
    snprintf(buf, size, "the target of %s", label);
  else /* the label does not say how many: the sentence does */
    snprintf(buf, size, "the target of %s (%s at least %s)", label, t->metric, n1);
}

/* "half the runs reach it by ... (P50) and 80% by ... (P80)", or why no date
 * can be given. */
static void reach_clause(const ddr_resfile *rf, const ddr_resfile_target *t, char *buf,
                         size_t size) {
  char d50[40], d80[40], end[40], share[16];
  double p50 = t->s.day_q[cli_quantile_index(0.5)], p80 = t->s.day_q[cli_quantile_index(0.8)];
  cli_long_date(rf->cal.end, end, sizeof end);
  cli_percent_number((double)t->s.reached / (double)rf->replications, share, sizeof share);
  if (!isnan(p50)) cli_long_date(rf->cal.start + (int32_t)lround(p50), d50, sizeof d50);
  if (!isnan(p80)) cli_long_date(rf->cal.start + (int32_t)lround(p80), d80, sizeof d80);
  if (t->s.reached == 0)
    snprintf(buf, size, "no run reaches it within the horizon (by %s), so no date can be given",
             end);
  else if (isnan(p50))
    snprintf(buf, size,
             "only %s%% of runs reach it within the horizon (by %s), so there is no P50 or P80 "
             "date",
             share, end);
  else if (isnan(p80))
    snprintf(buf, size,
             "half the runs reach it by %s (P50), but only %s%% reach it within the horizon "
             "(by %s), so there is no P80 date",
             d50, share, end);
  else
    snprintf(buf, size, "half the runs reach it by %s (P50) and 80%% by %s (P80)", d50, d80);
}

void cli_target_sentence(const ddr_resfile *rf, const ddr_resfile_target *t, char *buf,
                         size_t size) {
  char subject[640], deadline[40], p[16], lo[16], hi[16], reach[320];
  if (rf->replications == 0) {
    snprintf(buf, size, "No replications: nothing can be said.");
    return;
  }
  cli_target_subject(t, subject, sizeof subject);
  cli_long_date(t->deadline, deadline, sizeof deadline);
  cli_percent_number(t->s.prob, p, sizeof p);
  cli_percent_number(t->s.lo, lo, sizeof lo);
  cli_percent_number(t->s.hi, hi, sizeof hi);
  reach_clause(rf, t, reach, sizeof reach);
  /* none or all of the runs is not a certainty: the interval says how sure */
  if (t->s.met == 0)
    snprintf(buf, size,
             "None of the %llu runs meets %s by %s (95%% interval for the chance %s-%s%%); %s.",
             (unsigned long long)rf->replications, subject, deadline, lo, hi, reach);
  else if (t->s.met == rf->replications)
    snprintf(buf, size, "All %llu runs meet %s by %s (95%% interval for the chance %s-%s%%); %s.",
             (unsigned long long)rf->replications, subject, deadline, lo, hi, reach);
  else
    snprintf(buf, size, "There is %s%s%% chance (95%% interval %s-%s%%) that %s is met by %s; %s.",
             p[0] == '<'                                                           ? "a less than "
             : p[0] == '>'                                                         ? "a more than "
             : p[0] == '8' || strncmp(p, "11", 2) == 0 || strncmp(p, "18", 2) == 0 ? "an "
                                                                                   : "a ",
             p + (p[0] == '<' || p[0] == '>'), lo, hi, subject, deadline, reach);
}

/* A stage's queue: a metric "<node>.queue" (one dot). */
static int is_stage_queue(const char *name) {
  const char *dot = strchr(name, '.');
  return dot && dot != name && strcmp(dot, ".queue") == 0;
}

/* The step where the quantile q of metric m is largest (the first of
 * equals). */
static int peak_step(const ddr_resfile *rf, size_t m, int q, double *value) {
  int best = 0;
  const double *row = rf->quantiles + m * rf->nsteps * DDR_NQUANTILES;
  for (size_t t = 1; t < rf->nsteps; t++)
    if (row[t * DDR_NQUANTILES + q] > row[(size_t)best * DDR_NQUANTILES + q]) best = (int)t;
  *value = row[(size_t)best * DDR_NQUANTILES + q];
  return best;
}

size_t cli_stage_peaks(const ddr_resfile *rf, cli_stage_peak *out, size_t cap) {
  size_t n = 0;
  int q50 = cli_quantile_index(0.5), q90 = cli_quantile_index(0.9);
  if (rf->nsteps == 0 || rf->replications == 0) return 0;
  for (size_t m = 0; m < rf->nmetrics; m++) {
    const char *name = rf->metric_names[m];
    if (!is_stage_queue(name)) continue;
    if (n < cap) {
      cli_stage_peak *p = &out[n];
      p->metric = m;
      snprintf(p->stage, sizeof p->stage, "%.*s", (int)(strchr(name, '.') - name), name);
      p->step = peak_step(rf, m, q50, &p->median);
      p->p90_then = rf->quantiles[(m * rf->nsteps + (size_t)p->step) * DDR_NQUANTILES + q90];
      p->p90_step = peak_step(rf, m, q90, &p->p90_peak);
    }
    n++;
  }
  return n;
}

/* "in the week of 12 April 2021", "on 12 April 2021". */
static void when_text(const ddr_resfile *rf, int step, char *buf, size_t size) {
  char first[40], last[40];
  cli_long_date(ddr_calendar_step_first(&rf->cal, step), first, sizeof first);
  cli_long_date(ddr_calendar_step_last(&rf->cal, step), last, sizeof last);
  if (rf->cal.step_days == 1)
    snprintf(buf, size, "on %s", first);
  else if (rf->cal.step_days == 7)
    snprintf(buf, size, "in the week of %s", first);
  else
    snprintf(buf, size, "from %s to %s", first, last);
}

void cli_stage_sentence(const ddr_resfile *rf, const cli_stage_peak *p, char *buf, size_t size) {
  char when[96], n[32], n90[32];
  const char *unit = rf->metric_units[p->metric];
  const char *period = rf->cal.step_days == 1 ? "day" : rf->cal.step_days == 7 ? "week" : "step";
  if (p->median > 0) {
    when_text(rf, p->step, when, sizeof when);
    cli_count(round(p->median), n, sizeof n);
    cli_count(round(p->p90_then), n90, sizeof n90);
    snprintf(buf, size, "%s: longest queue %s %s (median) %s (P90 that %s: %s)", p->stage, n,
             strcmp(n, "1") == 0 && strcmp(unit, "people") == 0 ? "person" : unit, when, period,
             n90);
  } else if (p->p90_peak > 0) {
    when_text(rf, p->p90_step, when, sizeof when);
    cli_count(round(p->p90_peak), n90, sizeof n90);
    snprintf(buf, size,
             "%s: no queue in most runs (median 0 throughout); in 1 run in 10 it reaches %s %s "
             "(P90) %s",
             p->stage, n90, unit, when);
  } else {
    snprintf(buf, size, "%s: no queue in at least 9 runs in 10 at any date (P90 0 throughout)",
             p->stage);
  }
}

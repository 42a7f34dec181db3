/* Security shocks: exactly known cases (a site closed on a fixed date for a
 * fixed time holds its people and admits nobody for exactly that long; a
 * suspended centre's courses end that much later; overlapping cuts
 * multiply), Poisson counts per replication (chi-square), dispersal,
 * conservation, common random numbers, and bad input. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>

#include "testutil.h"

/* weekly steps from a Monday: 2021-03-15 is day 70, in step 10 */
#define CAL "calendar: {start: 2021-01-04, end: 2022-12-31, step: week}\n"

/* One site of 10 places, stays of exactly a week, a long queue: 10 people
 * complete every step. */
static const char site[] = "scenario: {name: site}\n" CAL "groups: [{id: a, size: 0}]\n"
                           "nodes:\n"
                           "  - {id: in, type: intake, rate_per_week: 0, to: stage}\n"
                           "  - id: stage\n"
                           "    type: stage\n"
                           "    sites: [{id: s, capacity: 10}, {id: t, capacity: 20}]\n"
                           "    routing: by_group\n"
                           "    duration_days: 7\n"
                           "    to: done\n"
                           "  - {id: done, type: sink}\n"
                           "  - {id: gone, type: sink}\n"
                           "initial:\n"
                           "  - {node: stage, group: a, count: 1000}\n";

static const char *const by_group[] = {"nodes.stage.sites=[{id: s, capacity: 10, groups: [a]}]"};

static void test_closed_site_holds_people(void **state) {
  (void)state;
  const char *sets[] = {by_group[0], "shocks=[{id: x, dates: [2021-03-15], duration_days: 21, "
                                     "effects: [{node: stage, site: s}]}]"};
  ddr_scenario *scn = tu_load(site, sets, 2);
  size_t T = (size_t)ddr_scenario_calendar(scn)->nsteps;
  size_t done = tu_metric(scn, "done.count"), occ = tu_metric(scn, "stage.occupancy"),
         active = tu_metric(scn, "shocks.x.active");
  int32_t *s = tu_run_checked(scn, 0);
  for (int t = 0; t < 30; t++) {
    int want = t <= 9 ? 10 * t : t <= 12 ? 90 : 10 * (t - 3);
    assert_int_equal(s[done * T + (size_t)t], want);
    assert_int_equal(s[occ * T + (size_t)t], 10); /* held while closed */
    assert_int_equal(s[active * T + (size_t)t], t >= 10 && t <= 12);
  }
  free(s);
  ddr_scenario_free(scn);
}

static void test_dispersal_empties_closed_site(void **state) {
  (void)state;
  const char *sets[] = {by_group[0], "shocks=[{id: x, dates: [2021-03-15], duration_days: 21, "
                                     "effects: [{node: stage, site: s}], dispersal: 1, "
                                     "dispersal_to: gone}]"};
  ddr_scenario *scn = tu_load(site, sets, 2);
  size_t T = (size_t)ddr_scenario_calendar(scn)->nsteps;
  size_t done = tu_metric(scn, "done.count"), gone = tu_metric(scn, "gone.count"),
         occ = tu_metric(scn, "stage.occupancy"), dispersed = tu_metric(scn, "shocks.x.dispersed");
  int32_t *s = tu_run_checked(scn, 0);
  for (int t = 0; t < 30; t++) {
    assert_int_equal(s[done * T + (size_t)t], t <= 13 ? 10 * (t < 9 ? t : 9) : 10 * (t - 4));
    assert_int_equal(s[gone * T + (size_t)t], t < 10 ? 0 : 10);
    assert_int_equal(s[dispersed * T + (size_t)t], t < 10 ? 0 : 10);
    assert_int_equal(s[occ * T + (size_t)t], t >= 10 && t <= 12 ? 0 : 10);
  }
  free(s);
  ddr_scenario_free(scn);
}

/* Dated shocks last whole days from their date: one that began a week
 * before the start and lasts ten days is still on in step 0; one on the last
 * day of step 0 lasting a week covers steps 0 and 1. */
static void test_dated_shock_days(void **state) {
  (void)state;
  const char *sets[] = {by_group[0], "shocks=[{id: x, dates: [2020-12-28], duration_days: 10, "
                                     "effects: [{node: stage}]}, {id: y, dates: [2021-01-10], "
                                     "duration_days: 7, effects: [{node: stage}]}]"};
  ddr_scenario *scn = tu_load(site, sets, 2);
  size_t T = (size_t)ddr_scenario_calendar(scn)->nsteps;
  size_t x = tu_metric(scn, "shocks.x.active"), y = tu_metric(scn, "shocks.y.active");
  int32_t *s = tu_run_checked(scn, 0);
  assert_int_equal(s[x * T + 0], 1);
  assert_int_equal(s[x * T + 1], 0);
  assert_int_equal(s[y * T + 0], 1);
  assert_int_equal(s[y * T + 1], 1);
  assert_int_equal(s[y * T + 2], 0);
  free(s);
  ddr_scenario_free(scn);
}

/* A place closed by two effects of one shock is dispersed once: the same
 * draws as with one effect. */
static void test_place_dispersed_once(void **state) {
  (void)state;
  const char *one[] = {"nodes.stage.sites=[{id: s, capacity: 1000, groups: [a]}]",
                       "shocks=[{id: x, dates: [2021-03-15], duration_days: 7, effects: [{node: "
                       "stage}], dispersal: 0.5, dispersal_to: gone}]"};
  const char *two[] = {one[0], "shocks=[{id: x, dates: [2021-03-15], duration_days: 7, effects: "
                               "[{node: stage}, {node: stage, site: s}], dispersal: 0.5, "
                               "dispersal_to: gone}]"};
  const char *stay = "nodes.stage.duration_days=140"; /* all 1000 inside in step 10 */
  const char *sa[] = {one[0], one[1], stay}, *sb[] = {two[0], two[1], stay};
  ddr_scenario *a = tu_load(site, sa, 3), *b = tu_load(site, sb, 3);
  size_t T = (size_t)ddr_scenario_calendar(a)->nsteps, g = tu_metric(a, "gone.count");
  for (uint64_t r = 0; r < 5; r++) {
    int32_t *x = tu_run_checked(a, r), *y = tu_run_checked(b, r);
    /* Binomial(1000, 0.5) once, not twice: within 5 standard errors of 500
     * (a double dispersal, about 750, is 16 away) */
    double se = sqrt(1000 * 0.25);
    assert_true(fabs(x[g * T + T - 1] - 500.0) < 5 * se);
    assert_memory_equal(x, y, ddr_scenario_metric_count(a) * T * sizeof *x);
    free(x);
    free(y);
  }
  ddr_scenario_free(a);
  ddr_scenario_free(b);
}

/* Two half cuts of a site of 20: 10 places while one lasts, 5 while both. */
static void test_overlapping_cuts_multiply(void **state) {
  (void)state;
  const char *sets[] = {
      "nodes.stage.sites=[{id: s, capacity: 20, groups: [a]}]",
      "shocks=[{id: x, dates: [2021-03-15], duration_days: 28, effects: [{node: stage, factor: "
      "0.5}]}, {id: y, dates: [2021-03-29], duration_days: 28, effects: [{node: stage, site: s, "
      "factor: 0.5}]}]"};
  ddr_scenario *scn = tu_load(site, sets, 2);
  size_t T = (size_t)ddr_scenario_calendar(scn)->nsteps, occ = tu_metric(scn, "stage.occupancy");
  int32_t *s = tu_run_checked(scn, 0);
  for (int t = 0; t < 25; t++) {
    int x = t >= 10 && t <= 13, y = t >= 12 && t <= 15;
    assert_int_equal(s[occ * T + (size_t)t], x && y ? 5 : x || y ? 10 : 20);
  }
  free(s);
  ddr_scenario_free(scn);
}

static const char centre[] = TU_CENTRE;

/* 7 courses of 6 weeks end in step 42; a two-week suspension of the centre
 * from step 10 holds the course running then, and all after it, 2 steps. */
static void test_suspended_courses_end_later(void **state) {
  (void)state;
  const char *sets[] = {"shocks=[{id: x, dates: [2021-03-15], duration_days: 14, "
                        "effects: [{node: training, centre: c}]}]"};
  ddr_scenario *scn = tu_load(centre, sets, 1);
  ddr_results *res = tu_run_all(scn, 10, 2);
  for (int q = 0; q < DDR_NQUANTILES; q++) assert_true(res->targets[0].day_q[q] == 44 * 7 + 6);
  ddr_results_free(res);
  ddr_scenario_free(scn);
}

/* The number of occurrences per replication is Poisson with mean rate x
 * years: chi-square over 3000 replications, cells pooled to expect >= 5;
 * their start steps are uniform over the horizon. */
static void test_counts_are_poisson(void **state) {
  (void)state;
  const char *sets[] = {"shocks=[{id: x, rate_per_year: 2.5, duration_days: 10, "
                        "effects: [{node: training}]}]"};
  ddr_scenario *scn = tu_load(centre, sets, 1);
  const ddr_model_type *m = ddr_scenario_model(scn);
  const void *params = ddr_scenario_params(scn);
  const ddr_calendar *cal = ddr_scenario_calendar(scn);
  const ddr_inputs *in = ddr_scenario_inputs(scn);
  double mu = 2.5 * cal->nsteps * cal->step_days / 365.25;
  enum { R = 3000, K = 40 };
  double counts[K] = {0}, quarters[4] = {0};
  void *st = calloc(1, m->state_size(params));
  double *inputs = calloc(ddr_inputs_count(in), sizeof *inputs);
  ddr_event ev[64];
  for (uint64_t r = 0; r < R; r++) {
    ddr_inputs_sample(in, TU_SEED, r, inputs);
    ddr_rep rep = {TU_SEED, r, inputs, cal};
    m->init(params, st, &rep);
    size_t n = m->events(params, st, ev, 64);
    assert_true(n < 64);
    counts[n < K ? n : K - 1]++;
    for (size_t i = 0; i < n; i++) {
      assert_true(i == 0 || ev[i].first >= ev[i - 1].first);
      quarters[ev[i].first * 4 / cal->nsteps]++;
    }
  }
  double chi = 0, obs = 0, expct = 0, total = 0;
  int df = -1;
  for (int k = 0; k < K; k++) {
    obs += counts[k];
    expct += R * gsl_ran_poisson_pdf((unsigned)k, mu);
    if (expct >= 5 && (R - total - expct) >= 5) {
      chi += (obs - expct) * (obs - expct) / expct;
      total += expct;
      df++;
      obs = expct = 0;
    }
  }
  expct = R - total; /* the tail */
  chi += (obs - expct) * (obs - expct) / expct;
  df++;
  double p = gsl_cdf_chisq_Q(chi, df);
  if (p < 1e-3) fail_msg("counts not Poisson(%g): chi2 %g on %d df, p = %g", mu, chi, df, p);
  /* 104 steps: quarters of 26 steps each expect a quarter of the starts */
  double all = quarters[0] + quarters[1] + quarters[2] + quarters[3], chiq = 0;
  for (int q = 0; q < 4; q++) chiq += (quarters[q] - all / 4) * (quarters[q] - all / 4) / (all / 4);
  if (gsl_cdf_chisq_Q(chiq, 3) < 1e-3) fail_msg("start steps not uniform: chi2 %g", chiq);
  free(st);
  free(inputs);
  ddr_scenario_free(scn);
}

static const char north[] =
    "shocks=[{id: north, rate_per_year: {dist: uniform, min: 1, max: 3}, duration_days: {dist: "
    "lognormal, median: 30, p90: 90}, effects: [{node: cantonment, site: kidal-1}, {node: "
    "cantonment, site: kidal-2}, {node: training, factor: 0}], dispersal: 0.3, dispersal_to: "
    "dropped_out}]";

/* Everyone accounted for every step, with closures and dispersal. */
static void test_conservation_with_shocks(void **state) {
  (void)state;
  char *text = tu_baseline();
  const char *sets[] = {north};
  ddr_scenario *scn = tu_load(text, sets, 1);
  size_t T = (size_t)ddr_scenario_calendar(scn)->nsteps,
         dispersed = tu_metric(scn, "shocks.north.dispersed");
  int any = 0;
  for (uint64_t r = 0; r < 20; r++) {
    int32_t *s = tu_run_checked(scn, r);
    any |= s[dispersed * T + T - 1] > 0;
    free(s);
  }
  assert_true(any);
  ddr_scenario_free(scn);
  free(text);
}

/* Shocks are drawn from streams of their own: a shock on training leaves
 * everything upstream as it was, and changing a node leaves the shocks as
 * they were. */
static void test_common_random_numbers(void **state) {
  (void)state;
  char *text = tu_baseline();
  const char *one[] = {"shocks=[{id: t, rate_per_year: 2, duration_days: 60, effects: [{node: "
                       "training}], dispersal: 0.5, dispersal_to: dropped_out}]"};
  const char *two[] = {one[0], "nodes.training.centres.national.seats=500"};
  ddr_scenario *a = tu_load(text, NULL, 0), *b = tu_load(text, one, 1), *c = tu_load(text, two, 2);
  const char *upstream[] = {"registration.arrived", "cantonment.completed", "vetting.completed",
                            "screening.to.training"};
  const ddr_model_type *m = ddr_scenario_model(b);
  const ddr_inputs *in = ddr_scenario_inputs(b);
  double *inputs = calloc(ddr_inputs_count(in), sizeof *inputs);
  void *sb = calloc(1, m->state_size(ddr_scenario_params(b))),
       *sc = calloc(1, m->state_size(ddr_scenario_params(c)));
  for (uint64_t r = 0; r < 5; r++) {
    int32_t *xa = tu_run_checked(a, r), *xb = tu_run_checked(b, r);
    tu_assert_same_metrics(a, xa, b, xb, upstream, sizeof upstream / sizeof *upstream, r);
    free(xa);
    free(xb);
    ddr_event eb[256], ec[256];
    ddr_inputs_sample(in, TU_SEED, r, inputs);
    ddr_rep rep = {TU_SEED, r, inputs, ddr_scenario_calendar(b)};
    m->init(ddr_scenario_params(b), sb, &rep);
    size_t nb = m->events(ddr_scenario_params(b), sb, eb, 256);
    ddr_inputs_sample(ddr_scenario_inputs(c), TU_SEED, r, inputs);
    m->init(ddr_scenario_params(c), sc, &rep);
    size_t nc = m->events(ddr_scenario_params(c), sc, ec, 256);
    assert_int_equal(nb, nc);
    assert_memory_equal(eb, ec, nb * sizeof *eb);
  }
  free(inputs);
  free(sb);
  free(sc);
  ddr_scenario_free(a);
  ddr_scenario_free(b);
  ddr_scenario_free(c);
  free(text);
}

static void test_bad_shocks(void **state) {
  (void)state;
  static const struct {
    const char *set, *want;
  } cases[] = {
      {"shocks=[{id: x, duration_days: 3, effects: [{node: training}]}]",
       "shocks.x: missing required key \"rate_per_year\""},
      {"shocks=[{id: x, rate_per_year: 1, dates: [2021-02-01], duration_days: 3, effects: [{node: "
       "training}]}]",
       "give either \"rate_per_year\" or \"dates\""},
      {"shocks=[{id: x, rate_per_year: 1, effects: [{node: training}]}]",
       "shocks.x.duration_days: missing required key"},
      {"shocks=[{id: x, rate_per_year: 1, duration_days: 3}]",
       "shocks.x.effects: missing required key \"effects\""},
      {"shocks=[{id: x, rate_per_year: 1, duration_days: 3, effects: []}]",
       "expected 1 to 256 effects, found 0"},
      {"shocks=[{id: x, rate_per_year: -1, duration_days: 3, effects: [{node: training}]}]",
       "shocks.x.rate_per_year"},
      {"shocks=[{id: x, rate_per_year: 1000, duration_days: 3, effects: [{node: training}]}]",
       "expected at most 1000"},
      {"shocks=[{id: x, rate_per_year: {dist: gamma, shape: 2, scale: 1}, duration_days: 3, "
       "effects: [{node: training}]}]",
       "expected at most 1000 (a bounded rate"},
      {"shocks=[{id: x, dates: [], duration_days: 3, effects: [{node: training}]}]",
       "expected 1 to 1000 dates, found 0"},
      {"shocks=[{id: x, dates: [2021-02-30], duration_days: 3, effects: [{node: training}]}]",
       "shocks.x.dates[0]"},
      {"shocks=[{id: x, rate_per_year: 1, duration_days: -3, effects: [{node: training}]}]",
       "shocks.x.duration_days"},
      {"shocks=[{id: x, rate_per_year: 1, duration_days: 3, effects: [{node: nowhere}]}]",
       "shocks.x.effects[0].node: unknown node \"nowhere\""},
      {"shocks=[{id: x, rate_per_year: 1, duration_days: 3, effects: [{node: done}]}]",
       "node \"done\" is an outcome"},
      {"shocks=[{id: x, rate_per_year: 1, duration_days: 3, effects: [{node: training, site: "
       "s}]}]",
       "unknown site \"s\""},
      {"shocks=[{id: x, rate_per_year: 1, duration_days: 3, effects: [{node: training, centre: "
       "d}]}]",
       "unknown centre \"d\" at \"training\""},
      {"shocks=[{id: x, rate_per_year: 1, duration_days: 3, effects: [{node: training, factor: "
       "2}]}]",
       "shocks.x.effects[0].factor"},
      {"shocks=[{id: x, rate_per_year: 1, duration_days: 3, effects: [{node: training, rate: "
       "2}]}]",
       "unknown key \"rate\""},
      {"shocks=[{id: x, rate_per_year: 1, duration_days: 3, effects: [{node: training}], "
       "dispersal: 0.2}]",
       "shocks.x.dispersal_to: missing required key"},
      {"shocks=[{id: x, rate_per_year: 1, duration_days: 3, effects: [{node: training}], "
       "dispersal: 0.2, dispersal_to: in}]",
       "shocks.x.dispersal_to: \"in\" is an intake"},
      {"shocks=[{id: x, rate_per_year: 1, duration_days: 3, effects: [{node: training}], "
       "dispersal_to: done}]",
       "\"dispersal_to\" goes with \"dispersal\""},
      {"shocks=[{id: x, rate_per_year: 1, duration_days: 3, effects: [{node: training}], "
       "dispersal: 1.5, dispersal_to: done}]",
       "shocks.x.dispersal"},
      {"shocks=[{id: x, rate_per_year: 1, duration_days: 3, effects: [{node: training}]}, {id: x, "
       "rate_per_year: 1, duration_days: 3, effects: [{node: training}]}]",
       "duplicate shock id \"x\""},
      {"shocks=[{id: x, rate_per_year: 1, duration_days: 3, effects: [{node: training}], when: "
       "2}]",
       "unknown key \"when\""},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    const char *sets[] = {cases[i].set};
    tu_assert_contains(tu_load_error(centre, sets, 1), cases[i].want);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_closed_site_holds_people),
      cmocka_unit_test(test_dispersal_empties_closed_site),
      cmocka_unit_test(test_overlapping_cuts_multiply),
      cmocka_unit_test(test_dated_shock_days),
      cmocka_unit_test(test_place_dispersed_once),
      cmocka_unit_test(test_suspended_courses_end_later),
      cmocka_unit_test(test_counts_are_poisson),
      cmocka_unit_test(test_conservation_with_shocks),
      cmocka_unit_test(test_common_random_numbers),
      cmocka_unit_test(test_bad_shocks),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

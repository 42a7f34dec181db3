/* The pipeline model against answers known in advance: loss chains, a
 * capacity-bound centre, the duration law of a stage, conservation every
 * step, thread-count reproducibility and common random numbers. Statistical
 * checks use a fixed seed and tolerances from the standard error. */
#include <math.h>
#include <gsl/gsl_cdf.h>

#include "pipeline_impl.h"
#include "testutil.h"

#define SEED TU_SEED

/* Three splits in a row, each passing people on with probability p_i: the
 * number reaching the end is Binomial(N, p1 p2 p3). */
static const char loss_chain[] = "scenario: {name: loss-chain}\n"
                                 "calendar: {start: 2021-01-01, end: 2021-03-31, step: week}\n"
                                 "groups: [{id: a, size: 1000}]\n"
                                 "nodes:\n"
                                 "  - {id: in, type: intake, rate_per_week: 100000000, to: s1}\n"
                                 "  - {id: s1, type: split, branches: {s2: 0.9, lost: rest}}\n"
                                 "  - {id: s2, type: split, branches: {s3: 0.8, lost: rest}}\n"
                                 "  - {id: s3, type: split, branches: {done: 0.7, lost: rest}}\n"
                                 "  - {id: done, type: sink}\n"
                                 "  - {id: lost, type: sink}\n";

static void test_loss_chain_mean_and_variance(void **state) {
  (void)state;
  ddr_scenario *scn = tu_load(loss_chain, NULL, 0);
  const uint64_t n = 20000;
  ddr_results *res = tu_run_all(scn, n, 2);
  size_t T = res->nsteps, m = tu_metric(scn, "done.count");
  double p = 0.9 * 0.8 * 0.7, N = 1000;
  double mu = N * p, var = N * p * (1 - p);
  double mean = res->mean[m * T + T - 1], sd = res->sd[m * T + T - 1];
  /* SE of the mean: sd/sqrt(n); of the variance: about var*sqrt(2/(n-1)) */
  assert_true(fabs(mean - mu) < 4 * sqrt(var / n));
  assert_true(fabs(sd * sd - var) < 4 * var * sqrt(2.0 / (n - 1)) + 1e-9);
  ddr_results_free(res);
  ddr_scenario_free(scn);
}

/* Waiting at a site with no places, each person leaves with probability q
 * per week: after step t (attrition applied t+1 times) Binomial(N, (1-q)^(t+1)) remain. */
static const char attrition[] = "scenario: {name: attrition}\n"
                                "calendar: {start: 2021-01-01, end: 2021-06-30, step: week}\n"
                                "groups: [{id: a, size: 500}]\n"
                                "nodes:\n"
                                "  - {id: in, type: intake, rate_per_week: 100000000, to: wait}\n"
                                "  - id: wait\n"
                                "    type: stage\n"
                                "    sites: [{id: closed, capacity: 0}]\n"
                                "    duration_days: 7\n"
                                "    attrition_per_week: 0.05\n"
                                "    attrition_to: gone\n"
                                "    to: done\n"
                                "  - {id: done, type: sink}\n"
                                "  - {id: gone, type: sink}\n";

static void test_attrition_while_waiting(void **state) {
  (void)state;
  ddr_scenario *scn = tu_load(attrition, NULL, 0);
  const uint64_t n = 20000;
  ddr_results *res = tu_run_all(scn, n, 2);
  size_t T = res->nsteps, m = tu_metric(scn, "wait.queue");
  for (size_t t = 0; t < T; t += 5) {
    double p = pow(0.95, (double)(t + 1)), mu = 500 * p, var = 500 * p * (1 - p);
    double mean = res->mean[m * T + t], sd = res->sd[m * T + t];
    assert_true(fabs(mean - mu) < 4 * sqrt(var / n));
    assert_true(fabs(sd * sd - var) < 4 * var * sqrt(2.0 / (n - 1)) + 1e-9);
  }
  ddr_results_free(res);
  ddr_scenario_free(scn);
}

/* N people waiting at a centre of S seats, one course of L weeks at a time:
 * everyone has passed at the end of step ceil(N/S) * L, not a step earlier. */
static const char centre[] = TU_CENTRE;

static void test_capacity_bound_centre_completion(void **state) {
  (void)state;
  ddr_scenario *scn = tu_load(centre, NULL, 0);
  ddr_results *res = tu_run_all(scn, 50, 1);
  int courses = (1000 + 149) / 150, done_step = courses * 6; /* 7 courses, step 42 */
  double day = (done_step + 1) * 7 - 1;
  for (int q = 0; q < DDR_NQUANTILES; q++) assert_true(res->targets[0].day_q[q] == day);
  size_t T = res->nsteps, m = tu_metric(scn, "done.count"), c = tu_metric(scn, "training.courses");
  assert_int_equal((int)res->max[m * T + done_step - 1], 900); /* 6 courses of 150 */
  assert_int_equal((int)res->min[m * T + done_step], 1000);
  assert_int_equal((int)res->max[c * T + 3], 1); /* one course at a time */
  assert_true(res->targets[0].prob == 1.0);
  ddr_results_free(res);
  ddr_scenario_free(scn);
}

/* Chi-square test of departures per step against a duration law: obs[t] are
 * the departures in step t, cdf(t) the law's P(stay < (t + 1) steps), total
 * the number of entrants. Cells are pooled until they expect 5. */
static void assert_departures_follow(const double *obs, size_t T, double total,
                                     double (*cdf)(size_t t)) {
  double chi2 = 0, prev_cdf = 0, po = 0, pe = 0;
  int df = -1;
  for (size_t t = 0; t < T; t++) {
    double c = cdf(t);
    po += obs[t], pe += total * (c - prev_cdf);
    prev_cdf = c;
    if (pe >= 5) {
      chi2 += (po - pe) * (po - pe) / pe;
      df++;
      po = pe = 0;
    }
  }
  assert_true(df >= 5);
  double crit = gsl_cdf_chisq_Pinv(0.999, df);
  if (chi2 > crit) fail_msg("chi2 %.1f > %.1f (df %d)", chi2, crit, df);
}

static int pipe_node_index_for_test(const pipe_params *pp, const char *id) {
  for (size_t i = 0; i < pp->nnodes; i++)
    if (strcmp(pp->nodes[i].id, id) == 0) return (int)i;
  fail_msg("no node %s", id);
  return -1;
}

static double gamma_weeks(size_t t) {
  return gsl_cdf_gamma_P((double)(t + 1) * 7, 2.5, 20);
}

static double lognormal_weeks(size_t t) {
  return gsl_cdf_lognormal_P((double)(t + 1) * 7, log(30), log(3) / 1.2815515655446004);
}

/* What a stage releases from one batch of entrants follows the duration law
 * on the step grid: chi-square against the expected counts. */
static const char release[] = "scenario: {name: release}\n"
                              "calendar: {start: 2021-01-01, end: 2022-12-31, step: week}\n"
                              "groups: [{id: a, size: 0}]\n"
                              "nodes:\n"
                              "  - {id: in, type: intake, rate_per_week: 0, to: stage}\n"
                              "  - id: stage\n"
                              "    type: stage\n"
                              "    duration_days: {dist: gamma, shape: 2.5, scale: 20}\n"
                              "    to: done\n"
                              "  - {id: done, type: sink}\n"
                              "initial:\n"
                              "  - {node: stage, group: a, count: 200000}\n";

static void test_release_matches_duration(void **state) {
  (void)state;
  ddr_scenario *scn = tu_load(release, NULL, 0);
  int32_t *series = tu_run_checked(scn, 7);
  size_t T = (size_t)ddr_scenario_calendar(scn)->nsteps, m = tu_metric(scn, "done.count");
  double *obs = calloc(T, sizeof *obs);
  for (size_t t = 0; t < T; t++) obs[t] = series[m * T + t] - (t ? series[m * T + t - 1] : 0);
  assert_departures_follow(obs, T, 200000, gamma_weeks);
  free(obs);
  free(series);
  ddr_scenario_free(scn);
}

/* The same for a few entrants at a time (one draw per person, through the
 * guide table): departures summed over replications against the law; with a
 * constant scale (a table fixed for the run) and with an uncertain one kept
 * within 1e-7 of 1 (tables built per replication, on demand). */
static void release_few(const char *scale) {
  const char *sets[] = {"initial=[{node: stage, group: a, count: 5}]",
                        "nodes.stage.duration_days={dist: lognormal, median: 30, p90: 90}", scale};
  ddr_scenario *scn = tu_load(release, sets, 3);
  const uint64_t n = 40000;
  ddr_results *res = tu_run_all(scn, n, 2);
  size_t T = res->nsteps, m = tu_metric(scn, "done.count");
  /* departures summed over replications: n times the change of the mean */
  double *obs = calloc(T, sizeof *obs);
  for (size_t t = 0; t < T; t++)
    obs[t] = round((res->mean[m * T + t] - (t ? res->mean[m * T + t - 1] : 0)) * (double)n);
  assert_departures_follow(obs, T, 5.0 * n, lognormal_weeks);
  free(obs);
  ddr_results_free(res);
  ddr_scenario_free(scn);
}

static void test_release_few_per_step(void **state) {
  (void)state;
  release_few("nodes.stage.duration_scale=1");
  release_few("nodes.stage.duration_scale={dist: uniform, min: 0.9999999, max: 1.0000001}");
}

/* A stay table computed on demand, piece by piece, is the table computed at
 * once, to the bit. */
static void test_stay_table_on_demand(void **state) {
  (void)state;
  const char *sets[] = {"nodes.stage.duration_days={dist: lognormal, median: 20, p90: 45}"};
  ddr_scenario *scn = tu_load(release, sets, 1);
  const pipe_params *pp = ddr_scenario_params(scn);
  const node_p *np = &pp->nodes[pipe_node_index_for_test(pp, "stage")];
  size_t K = (size_t)np->maxsteps, bytes = pipe_duration_table_size(np);
  double *full = malloc(bytes), *lazy = malloc(bytes);
  memset(lazy, 0, bytes);
  pipe_duration_table(np, 7, 1.3, full, 1);
  int32_t ncum = pipe_duration_table(np, 7, 1.3, lazy, 0);
  assert_true(ncum < (int32_t)K - 1); /* the test is about the pieces left to do */
  for (int to = ncum + 1; to <= (int)K; to += 3) pipe_duration_extend(np, 7, 1.3, lazy, &ncum, to);
  assert_memory_equal(full, lazy, K * sizeof(double));
  assert_memory_equal(full + K, lazy + K, PIPE_GUIDE * sizeof(int32_t));
  free(full);
  free(lazy);
  ddr_scenario_free(scn);
}

/* Least-full filling equals its definition, one place at a time, on random
 * sites: balanced, unbalanced, full, closed and exactly tied. */
static void test_least_full_matches_one_by_one(void **state) {
  (void)state;
  ddr_stream rs;
  ddr_stream_init(&rs, 99, 0, ddr_component_id("test.fill"), 0);
  for (int it = 0; it < 100000; it++) {
    size_t S = 1 + ddr_uniform_below(&rs, 8);
    uint32_t cap[8], occ[8], give[8], want[8];
    uint8_t ok[8];
    uint64_t used[8];
    for (size_t s = 0; s < S; s++) {
      int kind = (int)ddr_uniform_below(&rs, 4);
      cap[s] = kind == 0 ? 0 : kind == 1 ? 30 : 1 + ddr_uniform_below(&rs, 600);
      occ[s] = kind == 1 ? 10 : ddr_uniform_below(&rs, cap[s] + 1);
      ok[s] = occ[s] < cap[s] && ddr_uniform_below(&rs, 10) != 0;
      used[s] = occ[s];
      want[s] = 0;
    }
    uint32_t k = ddr_uniform_below(&rs, 2000);
    for (uint32_t left = k; left > 0; left--) {
      size_t b = S;
      for (size_t s = 0; s < S; s++)
        if (ok[s] && used[s] < cap[s] &&
            (b == S || used[s] * cap[b] < used[b] * cap[s] ||
             (used[s] * cap[b] == used[b] * cap[s] && s < b)))
          b = s;
      if (b == S) break;
      want[b]++, used[b]++;
    }
    pipe_fill_sites(S, cap, ok, k, occ, give);
    if (memcmp(give, want, S * sizeof *give)) fail_msg("case %d differs", it);
  }
}

/* A stay of exactly two weeks, entered in step 0, ends in step 2; people
 * admitted at once never wait, so attrition never touches them. */
static void test_exact_stay_and_no_loss_without_waiting(void **state) {
  (void)state;
  const char *sets[] = {"initial=[{node: stage, group: a, count: 100}]",
                        "nodes.stage.duration_days=14", "nodes.stage.attrition_per_week=0.5",
                        "nodes.stage.attrition_to=done"};
  ddr_scenario *scn = tu_load(release, sets, 4);
  int32_t *s = tu_run_checked(scn, 0);
  size_t T = (size_t)ddr_scenario_calendar(scn)->nsteps, m = tu_metric(scn, "done.count");
  size_t lost = tu_metric(scn, "stage.lost");
  assert_int_equal(s[m * T + 0], 0);
  assert_int_equal(s[m * T + 1], 0);
  assert_int_equal(s[m * T + 2], 100);
  assert_int_equal(s[lost * T + T - 1], 0);
  free(s);
  ddr_scenario_free(scn);
}

static void test_conservation_every_step(void **state) {
  (void)state;
  char *text = tu_baseline();
  ddr_scenario *scn = tu_load(text, NULL, 0);
  for (uint64_t r = 0; r < 20; r++) free(tu_run_checked(scn, r));
  ddr_scenario_free(scn);
  free(text);
}

/* Same bits with 1 and 2 threads and different batch sizes. */
typedef struct capture {
  int32_t *series;
  size_t cells;
} capture;

static ddr_status keep_batch(void *ctx, const ddr_batch *b, ddr_error *err) {
  (void)err;
  capture *c = ctx;
  memcpy(c->series + b->first * c->cells, b->series, b->count * c->cells * sizeof(int32_t));
  return DDR_OK;
}

static void test_thread_count_reproducibility(void **state) {
  (void)state;
  char *text = tu_baseline();
  ddr_scenario *scn = tu_load(text, NULL, 0);
  size_t M = ddr_scenario_metric_count(scn), T = (size_t)ddr_scenario_calendar(scn)->nsteps;
  const uint64_t n = 700;
  ddr_results *res[3];
  capture cap[3];
  int threads[3] = {1, 2, 2};
  uint64_t batch[3] = {0, 0, 256};
  for (int k = 0; k < 3; k++) {
    cap[k].cells = M * T;
    cap[k].series = calloc(n * M * T, sizeof(int32_t));
    ddr_sink sink = {&cap[k], keep_batch};
    ddr_run_options opt = {SEED, n, threads[k], 1, batch[k], NULL, NULL, NULL, 0};
    ddr_error err;
    assert_int_equal(ddr_engine_run(scn, &opt, &sink, &res[k], &err), DDR_OK);
  }
  for (int k = 1; k < 3; k++) {
    assert_memory_equal(cap[0].series, cap[k].series, n * M * T * sizeof(int32_t));
    assert_memory_equal(res[0]->mean, res[k]->mean, M * T * sizeof(double));
    assert_memory_equal(res[0]->sd, res[k]->sd, M * T * sizeof(double));
    assert_memory_equal(res[0]->quantiles, res[k]->quantiles,
                        M * T * DDR_NQUANTILES * sizeof(double));
    assert_memory_equal(res[0]->targets, res[k]->targets,
                        res[0]->ntargets * sizeof(ddr_target_summary));
  }
  for (int k = 0; k < 3; k++) {
    ddr_results_free(res[k]);
    free(cap[k].series);
  }
  ddr_scenario_free(scn);
  free(text);
}

/* Changing the training centre leaves every series upstream of training the
 * same, replication by replication, and changes training itself. */
static void test_common_random_numbers(void **state) {
  (void)state;
  char *text = tu_baseline();
  const char *sets[] = {"nodes.training.centres.national.seats=600"};
  ddr_scenario *a = tu_load(text, NULL, 0), *b = tu_load(text, sets, 1);
  size_t M = ddr_scenario_metric_count(a), T = (size_t)ddr_scenario_calendar(a)->nsteps;
  assert_int_equal(M, ddr_scenario_metric_count(b));
  const char *upstream[] = {"registration.", "cantonment.", "vetting.", "screening."};
  int32_t *sa = calloc(M * T, sizeof *sa), *sb = calloc(M * T, sizeof *sb);
  int differs = 0;
  for (uint64_t r = 0; r < 30; r++) {
    ddr_error err;
    assert_int_equal(ddr_engine_run_one(a, SEED, r, sa, &err), DDR_OK);
    assert_int_equal(ddr_engine_run_one(b, SEED, r, sb, &err), DDR_OK);
    for (size_t m = 0; m < M; m++) {
      const char *name = ddr_scenario_metric(a, m)->name;
      int up = 0;
      for (size_t u = 0; u < 4; u++) up |= strncmp(name, upstream[u], strlen(upstream[u])) == 0;
      int same = memcmp(sa + m * T, sb + m * T, T * sizeof *sa) == 0;
      if (up && !same)
        fail_msg("replication %llu: %s differs upstream of the change", (unsigned long long)r,
                 name);
      if (!up && !same) differs = 1;
    }
  }
  assert_true(differs);
  free(sa);
  free(sb);
  ddr_scenario_free(a);
  ddr_scenario_free(b);
  free(text);
}

/* Sites never hold more than their capacity. */
static void test_capacities_never_exceeded(void **state) {
  (void)state;
  char *text = tu_baseline();
  const char *sets[] = {"nodes.registration.rate_per_week=2000"}; /* fill the sites */
  ddr_scenario *scn = tu_load(text, sets, 1);
  size_t M = ddr_scenario_metric_count(scn), T = (size_t)ddr_scenario_calendar(scn)->nsteps;
  size_t q = tu_metric(scn, "cantonment.queue");
  int queued = 0;
  for (uint64_t r = 0; r < 10; r++) {
    int32_t *s = tu_run_checked(scn, r);
    for (size_t m = 0; m < M; m++) {
      const char *name = ddr_scenario_metric(scn, m)->name;
      if (strstr(name, ".utilisation"))
        for (size_t t = 0; t < T; t++)
          if (s[m * T + t] > 100) fail_msg("%s at %zu: %d%%", name, t, s[m * T + t]);
    }
    for (size_t t = 0; t < T; t++) queued |= s[q * T + t] > 0;
    free(s);
  }
  assert_true(queued); /* the test did exercise full sites */
  ddr_scenario_free(scn);
  free(text);
}

/* Per-group results and quotas: two movements of 300 and 100 through a
 * split that sends everyone on; targets on one group's count are judged on
 * that group alone, and the groups add up to the total. */
static const char quotas[] =
    "scenario: {name: quotas}\n"
    "calendar: {start: 2021-01-04, end: 2021-12-31, step: week}\n"
    "groups: [{id: a, size: 300}, {id: b, size: 100}]\n"
    "nodes:\n"
    "  - {id: in, type: intake, rate_per_week: 40, to: s}\n"
    "  - {id: s, type: split, branches: {done: 1, other: rest}}\n"
    "  - {id: done, type: sink}\n"
    "  - {id: other, type: sink}\n"
    "targets:\n"
    "  - {id: b-all, metric: done.count.b, at_least: 100, by: 2021-12-31}\n"
    "  - {id: a-all, metric: done.count.a, at_least: 300, by: 2021-12-31}\n"
    "  - {id: b-more, metric: done.count.b, at_least: 101, by: 2021-12-31}\n";

static void test_per_group_targets(void **state) {
  (void)state;
  ddr_scenario *scn = tu_load(quotas, NULL, 0);
  size_t T = (size_t)ddr_scenario_calendar(scn)->nsteps;
  size_t total = tu_metric(scn, "done.count"), a = tu_metric(scn, "done.count.a"),
         b = tu_metric(scn, "done.count.b");
  for (uint64_t r = 0; r < 5; r++) {
    int32_t *x = tu_run_checked(scn, r);
    for (size_t t = 0; t < T; t++) assert_int_equal(x[total * T + t], x[a * T + t] + x[b * T + t]);
    assert_int_equal(x[a * T + T - 1], 300);
    assert_int_equal(x[b * T + T - 1], 100);
    free(x);
  }
  ddr_results *res = tu_run_all(scn, 200, 2);
  assert_true(res->targets[0].prob == 1.0 && res->targets[1].prob == 1.0);
  assert_true(res->targets[2].prob == 0.0);
  ddr_results_free(res);
  ddr_scenario_free(scn);
}

/* Tallies of disjoint ranges of replications add up to the tally of the
 * whole, by merging tallies, by adding into a tally sized beforehand, and
 * by summing their counts laid out over the same ranges (as MPI runs do):
 * the summaries are the whole run's, bit for bit. */
static void test_tallies_add_up(void **state) {
  (void)state;
  char *text = tu_baseline();
  ddr_scenario *scn = tu_load(text, NULL, 0);
  ddr_error err;
  ddr_run_options whole = {TU_SEED, 300, 2, 0, 0, NULL, NULL, NULL, 0};
  ddr_run_options a = whole, b = whole;
  a.replications = 130, b.first = 130, b.replications = 170;
  ddr_tally *ta = NULL, *tb = NULL;
  assert_int_equal(ddr_engine_run_tally(scn, &a, NULL, &ta, &err), DDR_OK);
  assert_int_equal(ddr_engine_run_tally(scn, &b, NULL, &tb, &err), DDR_OK);
  ddr_results *want = tu_run_all(scn, 300, 2), *got = NULL;
  /* merged into an empty tally sized to the union of the two */
  size_t C = ta->nmetrics * ta->nsteps + ta->ntargets;
  int32_t *lo = malloc(C * sizeof *lo), *hi = malloc(C * sizeof *hi);
  ddr_tally *sum = ddr_tally_create(ta->nmetrics, ta->nsteps, ta->ntargets, ta->nevent_kinds);
  for (size_t c = 0; c < C; c++) lo[c] = INT32_MAX, hi[c] = INT32_MIN;
  ddr_tally_range(ta, lo, hi);
  ddr_tally_range(tb, lo, hi);
  assert_int_equal(ddr_tally_reserve(sum, lo, hi, &err), DDR_OK);
  assert_int_equal(ddr_tally_merge(sum, ta, &err), DDR_OK);
  assert_int_equal(ddr_tally_merge(sum, tb, &err), DDR_OK);
  assert_int_equal(ddr_engine_summarise(scn, sum, 2, &got, &err), DDR_OK);
  size_t cells = want->nmetrics * want->nsteps;
  assert_memory_equal(got->mean, want->mean, cells * sizeof *got->mean);
  assert_memory_equal(got->quantiles, want->quantiles, cells * DDR_NQUANTILES * sizeof(double));
  assert_true(got->targets[1].prob == want->targets[1].prob);
  ddr_results_free(got);
  /* as an MPI run adds them up: each laid out densely over the same ranges,
   * the counts summed element by element, then recounted */
  ddr_tally *da = ddr_tally_create(ta->nmetrics, ta->nsteps, ta->ntargets, ta->nevent_kinds);
  ddr_tally *db = ddr_tally_create(ta->nmetrics, ta->nsteps, ta->ntargets, ta->nevent_kinds);
  uint32_t *ca, *cb;
  size_t na, nb;
  assert_int_equal(ddr_tally_reserve(da, lo, hi, &err), DDR_OK);
  assert_int_equal(ddr_tally_reserve(db, lo, hi, &err), DDR_OK);
  assert_int_equal(ddr_tally_merge(da, ta, &err), DDR_OK);
  assert_int_equal(ddr_tally_merge(db, tb, &err), DDR_OK);
  assert_int_equal(ddr_tally_counts(da, &ca, &na, &err), DDR_OK);
  assert_int_equal(ddr_tally_counts(db, &cb, &nb, &err), DDR_OK);
  assert_int_equal(na, nb);
  assert_true(na > C); /* not one value per cell: the test would be too easy */
  for (size_t i = 0; i < na; i++) ca[i] += cb[i];
  ddr_tally_recount(da);
  da->replications += db->replications;
  for (size_t g = 0; g < da->ntargets; g++) da->met[g] += db->met[g];
  assert_int_equal(ddr_engine_summarise(scn, da, 2, &got, &err), DDR_OK);
  assert_memory_equal(got->mean, want->mean, cells * sizeof *got->mean);
  assert_memory_equal(got->sd, want->sd, cells * sizeof *got->sd);
  assert_memory_equal(got->min, want->min, cells * sizeof *got->min);
  assert_memory_equal(got->max, want->max, cells * sizeof *got->max);
  assert_memory_equal(got->quantiles, want->quantiles, cells * DDR_NQUANTILES * sizeof(double));
  assert_memory_equal(got->targets, want->targets, want->ntargets * sizeof *got->targets);
  ddr_results_free(got);
  ddr_tally_free(da);
  ddr_tally_free(db);
  /* and merged into the first part's own tally, growing as needed */
  assert_int_equal(ddr_tally_merge(ta, tb, &err), DDR_OK);
  assert_int_equal(ddr_engine_summarise(scn, ta, 1, &got, &err), DDR_OK);
  assert_memory_equal(got->quantiles, want->quantiles, cells * DDR_NQUANTILES * sizeof(double));
  ddr_results_free(got);
  ddr_results_free(want);
  ddr_tally_free(sum);
  ddr_tally_free(ta);
  ddr_tally_free(tb);
  free(lo);
  free(hi);
  ddr_scenario_free(scn);
  free(text);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_loss_chain_mean_and_variance),
      cmocka_unit_test(test_attrition_while_waiting),
      cmocka_unit_test(test_capacity_bound_centre_completion),
      cmocka_unit_test(test_release_matches_duration),
      cmocka_unit_test(test_release_few_per_step),
      cmocka_unit_test(test_stay_table_on_demand),
      cmocka_unit_test(test_least_full_matches_one_by_one),
      cmocka_unit_test(test_exact_stay_and_no_loss_without_waiting),
      cmocka_unit_test(test_conservation_every_step),
      cmocka_unit_test(test_thread_count_reproducibility),
      cmocka_unit_test(test_common_random_numbers),
      cmocka_unit_test(test_capacities_never_exceeded),
      cmocka_unit_test(test_per_group_targets),
      cmocka_unit_test(test_tallies_add_up),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

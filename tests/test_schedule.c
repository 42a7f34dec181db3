/* Milestones, gates and schedules: cases whose answer is known exactly (a
 * gate on a fixed date delays completion by exactly that; a capacity that
 * changes on a date admits exactly its new value from that step), uncertain
 * dates checked against each replication's sampled inputs, conservation,
 * common random numbers upstream of a gated node, and bad input. */
#include "testutil.h"

/* weekly steps from a Monday: 2021-03-15 is day 70, in step 10 */
#define CAL "calendar: {start: 2021-01-04, end: 2022-12-31, step: week}\n"

static const char centre[] = TU_CENTRE "milestones:\n"
                                       "  - {id: go, date: 2021-03-15}\n"
                                       "  - {id: later, after: go, delay_days: 14}\n";

/* Without a gate, 7 courses of 6 weeks finish in step 42; gated by a
 * milestone in step 10 they finish in step 52, and by one two weeks later
 * in step 54. */
static void check_centre_done(const char *gate, int done_step) {
  const char *sets[] = {gate};
  ddr_scenario *scn = tu_load(centre, sets, gate ? 1 : 0);
  ddr_results *res = tu_run_all(scn, 20, 2);
  double day = (done_step + 1) * 7 - 1;
  for (int q = 0; q < DDR_NQUANTILES; q++) assert_true(res->targets[0].day_q[q] == day);
  size_t T = res->nsteps, m = tu_metric(scn, "done.count");
  assert_int_equal((int)res->max[m * T + done_step - 1], 900);
  assert_int_equal((int)res->min[m * T + done_step], 1000);
  ddr_results_free(res);
  ddr_scenario_free(scn);
}

static void test_gate_delays_training_exactly(void **state) {
  (void)state;
  check_centre_done(NULL, 42);
  check_centre_done("nodes.training.gate=go", 52);
  check_centre_done("nodes.training.gate=later", 54);
}

/* An intake and a split gated by milestones: nobody arrives before the
 * first, nobody passes the split before the second; then all at once. */
static const char flow[] = "scenario: {name: flow}\n" CAL "milestones:\n"
                           "  - {id: open, date: 2021-02-01}\n"
                           "  - {id: screen, date: 2021-03-15}\n"
                           "groups: [{id: a, size: 500}]\n"
                           "nodes:\n"
                           "  - {id: in, type: intake, rate_per_week: 100000000, to: split, "
                           "gate: open}\n"
                           "  - {id: split, type: split, branches: {done: 0.5, other: rest}, "
                           "gate: screen}\n"
                           "  - {id: done, type: sink}\n"
                           "  - {id: other, type: sink}\n";

static void test_gated_intake_and_split(void **state) {
  (void)state;
  ddr_scenario *scn = tu_load(flow, NULL, 0);
  size_t T = (size_t)ddr_scenario_calendar(scn)->nsteps;
  size_t arrived = tu_metric(scn, "in.arrived"), done = tu_metric(scn, "done.count"),
         other = tu_metric(scn, "other.count");
  for (uint64_t r = 0; r < 5; r++) {
    int32_t *s = tu_run_checked(scn, r);
    for (size_t t = 0; t < 12; t++) {
      assert_int_equal(s[arrived * T + t], t < 4 ? 0 : 500); /* 2021-02-01 is in step 4 */
      assert_int_equal(s[done * T + t] + s[other * T + t], t < 10 ? 0 : 500);
    }
    free(s);
  }
  ddr_scenario_free(scn);
}

/* One site whose capacity is 10 until 2021-03-15, then 50; stays of exactly
 * a week, so the site holds exactly its capacity while people wait. */
static const char site[] = "scenario: {name: site}\n" CAL "milestones:\n"
                           "  - {id: ready, date: {dist: uniform, min: 2021-02-01, max: "
                           "2021-06-01}}\n"
                           "groups: [{id: a, size: 0}]\n"
                           "nodes:\n"
                           "  - {id: in, type: intake, rate_per_week: 0, to: stage}\n"
                           "  - id: stage\n"
                           "    type: stage\n"
                           "    sites:\n"
                           "      - id: s\n"
                           "        capacity:\n"
                           "          schedule:\n"
                           "            - value: 10\n"
                           "            - {from: 2021-03-15, value: 50}\n"
                           "    duration_days: 7\n"
                           "    to: done\n"
                           "  - {id: done, type: sink}\n"
                           "initial:\n"
                           "  - {node: stage, group: a, count: 5000}\n";

static void test_capacity_changes_on_a_date(void **state) {
  (void)state;
  ddr_scenario *scn = tu_load(site, NULL, 0);
  size_t T = (size_t)ddr_scenario_calendar(scn)->nsteps, occ = tu_metric(scn, "stage.occupancy");
  int32_t *s = tu_run_checked(scn, 0);
  for (size_t t = 0; t < 40; t++) assert_int_equal(s[occ * T + t], t < 10 ? 10 : 50);
  free(s);
  ddr_scenario_free(scn);
}

/* An uncertain date as the replication sampled it (days since 1970), and
 * the step holding it. */
static double sampled_day(const ddr_scenario *scn, uint64_t rep, const char *path) {
  const ddr_inputs *in = ddr_scenario_inputs(scn);
  long i = ddr_inputs_find(in, path);
  if (i < 0) fail_msg("no input %s", path);
  double *v = calloc(ddr_inputs_count(in), sizeof *v);
  ddr_inputs_sample(in, TU_SEED, rep, v);
  double day = v[i];
  free(v);
  return day;
}

static int sampled_step(const ddr_scenario *scn, uint64_t rep, const char *path) {
  return ddr_calendar_step_of(ddr_scenario_calendar(scn), (int32_t)sampled_day(scn, rep, path));
}

/* A change after an uncertain milestone happens in the step its sampled
 * date falls in, replication by replication. */
static void test_change_after_uncertain_milestone(void **state) {
  (void)state;
  const char *sets[] = {"nodes.stage.sites.s.capacity={schedule: [{value: 10}, "
                        "{after: ready, value: 50}]}"};
  ddr_scenario *scn = tu_load(site, sets, 1);
  size_t T = (size_t)ddr_scenario_calendar(scn)->nsteps, occ = tu_metric(scn, "stage.occupancy");
  int seen_early = 0, seen_late = 0;
  for (uint64_t r = 0; r < 20; r++) {
    int k = sampled_step(scn, r, "milestones.ready.date");
    assert_true(k >= 4 && k <= 21);
    seen_early |= k<10, seen_late |= k> 14;
    int32_t *s = tu_run_checked(scn, r);
    for (size_t t = 0; t < 30; t++) assert_int_equal(s[occ * T + t], (int)t < k ? 10 : 50);
    free(s);
  }
  assert_true(seen_early && seen_late); /* the date did vary */
  ddr_scenario_free(scn);
}

/* Two changes on uncertain dates: the one that began last is in force,
 * whichever order they come in. */
static void test_latest_change_wins(void **state) {
  (void)state;
  const char *sets[] = {"nodes.stage.sites.s.capacity={schedule: [{value: 10}, "
                        "{from: {dist: uniform, min: 2021-02-01, max: 2021-06-01}, value: 20}, "
                        "{from: {dist: uniform, min: 2021-02-01, max: 2021-06-01}, value: 30}]}"};
  ddr_scenario *scn = tu_load(site, sets, 1);
  size_t T = (size_t)ddr_scenario_calendar(scn)->nsteps, occ = tu_metric(scn, "stage.occupancy");
  int both_orders = 0;
  for (uint64_t r = 0; r < 40; r++) {
    const char *pa = "nodes.stage.sites.s.capacity.schedule[1].from",
               *pb = "nodes.stage.sites.s.capacity.schedule[2].from";
    int a = sampled_step(scn, r, pa), b = sampled_step(scn, r, pb);
    double da = sampled_day(scn, r, pa), db = sampled_day(scn, r, pb);
    both_orders |= da < db ? 1 : da > db ? 2 : 0;
    int32_t *s = tu_run_checked(scn, r);
    for (int t = 0; t < 30; t++) {
      /* once both have begun, the later day wins, even within one step */
      int want = t < a && t < b ? 10 : t < b ? 20 : t < a ? 30 : da > db ? 20 : 30;
      assert_int_equal(s[occ * T + (size_t)t], want);
    }
    free(s);
  }
  assert_int_equal(both_orders, 3);
  ddr_scenario_free(scn);
}

/* More courses at once from a date than at the start: the centre has room
 * for them. */
static void test_more_courses_later(void **state) {
  (void)state;
  const char *sets[] = {"nodes.training.centres.c.courses_at_once={schedule: [{value: 1}, "
                        "{after: go, value: 3}]}"};
  ddr_scenario *scn = tu_load(centre, sets, 1);
  size_t T = (size_t)ddr_scenario_calendar(scn)->nsteps, c = tu_metric(scn, "training.courses");
  int32_t *s = tu_run_checked(scn, 0);
  assert_int_equal(s[c * T + 9], 1);
  assert_int_equal(s[c * T + 10], 3);
  free(s);
  ddr_scenario_free(scn);
}

/* Entries dated before the start date: the one that began last is in
 * force from the start, whatever the order they are listed in. */
static void test_changes_before_the_start(void **state) {
  (void)state;
  const char *sets[] = {"nodes.stage.sites.s.capacity={schedule: [{value: 10}, {from: 2020-12-01, "
                        "value: 20}, {from: 2020-06-01, value: 30}]}"};
  ddr_scenario *scn = tu_load(site, sets, 1);
  size_t T = (size_t)ddr_scenario_calendar(scn)->nsteps, occ = tu_metric(scn, "stage.occupancy");
  int32_t *s = tu_run_checked(scn, 0);
  for (size_t t = 0; t < 20; t++) assert_int_equal(s[occ * T + t], 20);
  free(s);
  ddr_scenario_free(scn);
}

/* An uncertain value turned into a schedule keeps its random stream: until
 * the change, the runs are the same, replication by replication. */
static void test_schedule_keeps_the_value_paired(void **state) {
  (void)state;
  const char *plain[] = {"nodes.in.rate_per_week={dist: uniform, min: 50, max: 150}",
                         "groups.a.size=20000"};
  const char *sched[] = {"nodes.in.rate_per_week={schedule: [{value: {dist: uniform, min: 50, max: "
                         "150}}, {from: 2022-01-03, value: 5}]}",
                         "groups.a.size=20000"};
  ddr_scenario *a = tu_load(site, plain, 2), *b = tu_load(site, sched, 2);
  size_t T = (size_t)ddr_scenario_calendar(a)->nsteps, m = tu_metric(a, "in.arrived");
  assert_int_equal(m, tu_metric(b, "in.arrived"));
  for (uint64_t r = 0; r < 5; r++) {
    int32_t *x = tu_run_checked(a, r), *y = tu_run_checked(b, r);
    assert_memory_equal(x + m * T, y + m * T, 52 * sizeof *x); /* 2022-01-03 is in step 52 */
    assert_true(x[m * T + T - 1] != y[m * T + T - 1]);
    free(x);
    free(y);
  }
  ddr_scenario_free(a);
  ddr_scenario_free(b);
}

/* A gate on training changes nothing upstream of it, replication by
 * replication; everyone is still accounted for every step. */
static void test_upstream_unchanged_by_gate(void **state) {
  (void)state;
  char *text = tu_baseline();
  const char *sets[] = {"milestones=[{id: agreement, date: {dist: triangular, min: 2020-09-01, "
                        "mode: 2020-12-01, max: 2021-06-30}}]",
                        "nodes.training.gate=agreement"};
  ddr_scenario *a = tu_load(text, NULL, 0), *b = tu_load(text, sets, 2);
  size_t T = (size_t)ddr_scenario_calendar(a)->nsteps;
  const char *upstream[] = {"registration.arrived", "cantonment.completed", "cantonment.occupancy",
                            "vetting.completed", "screening.to.training"};
  const char *downstream = "integrated.count";
  int differs = 0;
  for (uint64_t r = 0; r < 5; r++) {
    int32_t *sa = tu_run_checked(a, r), *sb = tu_run_checked(b, r);
    tu_assert_same_metrics(a, sa, b, sb, upstream, sizeof upstream / sizeof *upstream, r);
    differs |= memcmp(sa + tu_metric(a, downstream) * T, sb + tu_metric(b, downstream) * T,
                      T * sizeof *sa) != 0;
    free(sa);
    free(sb);
  }
  assert_true(differs);
  ddr_scenario_free(a);
  ddr_scenario_free(b);
  free(text);
}

static void test_bad_milestones_and_schedules(void **state) {
  (void)state;
  static const struct {
    const char *set, *want;
  } cases[] = {
      {"milestones=[{id: m}]", "milestones.m: missing required key \"date\""},
      {"milestones=[{id: m, date: 2021-01-01, after: x}]", "give either \"date\" or \"after\""},
      {"milestones=[{id: m, after: x}]", "milestones.m.after: unknown milestone \"x\""},
      {"milestones=[{id: m, after: n}, {id: n, date: 2021-01-01}]", "defined later in the list"},
      {"milestones=[{id: m, date: 2021-01-01, delay_days: 3}]", "\"delay_days\" goes with"},
      {"milestones=[{id: m, date: 2021-01-01}, {id: m, date: 2021-01-02}]",
       "duplicate milestone id \"m\""},
      {"milestones=[{id: m, date: 2021-13-01}]", "milestones.m.date"},
      {"milestones=[{id: m, date: 2021-01-01, when: 3}]", "when"},
      {"milestones=[{id: go, date: 2021-03-15}, {id: m, after: go, delay_days: -2}]",
       "milestones.m.delay_days"},
      {"nodes.training.gate=nowhere", "nodes.training.gate: unknown milestone \"nowhere\""},
      {"nodes.done.gate=go", "gate"},
      {"nodes.training.centres.c.seats={schedule: []}", "expected 1 to 64 entries, found 0"},
      {"nodes.training.centres.c.seats={schedule: [{value: 1, from: 2021-01-01}]}",
       "schedule[0]: the first entry is the value from the start date"},
      {"nodes.training.centres.c.seats={schedule: [{value: 1}, {value: 2}]}",
       "schedule[1]: missing \"from\" (a date) or \"after\""},
      {"nodes.training.centres.c.seats={schedule: [{value: 1}, {value: 2, from: 2021-01-01, "
       "after: go}]}",
       "give either \"from\" (a date) or \"after\""},
      {"nodes.training.centres.c.seats={schedule: [{value: 1}, {value: 2, after: nope}]}",
       "schedule[1].after: unknown milestone \"nope\""},
      {"nodes.training.centres.c.seats={schedule: [{value: 1}, {value: 0, after: go}]}",
       "schedule[1].value"},
      {"nodes.training.centres.c.seats={schedule: [{value: 1}, {from: 2021-02-30, value: 2}]}",
       "schedule[1].from"},
      {"nodes.training.centres.c.seats={schedule: [{value: 1}], unit: 3}", "unit"},
      {"groups.a.size={schedule: [{value: 3}]}",
       "groups.a.size: this value cannot change over time"},
      {"nodes.training.centres.c.course_weeks={schedule: [{value: 6}, {after: go, value: 2000}]}",
       "course_weeks.schedule[1].value: expected at most 1040"},
      {"nodes.training.centres.c.courses_at_once={schedule: [{value: 1}, {after: go, value: "
       "5000}]}",
       "expected at most 1000 courses at once"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    const char *sets[] = {cases[i].set};
    tu_assert_contains(tu_load_error(centre, sets, 1), cases[i].want);
  }
  /* people in service on the start date must fit the capacity in force then */
  const char *fit[] = {"initial=[{node: stage, group: a, count: 30, where: in_service}]",
                       "nodes.stage.sites.s.capacity={schedule: [{value: 50}, {from: 2020-12-01, "
                       "value: 20}]}"};
  tu_assert_contains(tu_load_error(site, fit, 2), "which can hold as few as 20");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_gate_delays_training_exactly),
      cmocka_unit_test(test_gated_intake_and_split),
      cmocka_unit_test(test_capacity_changes_on_a_date),
      cmocka_unit_test(test_change_after_uncertain_milestone),
      cmocka_unit_test(test_latest_change_wins),
      cmocka_unit_test(test_more_courses_later),
      cmocka_unit_test(test_changes_before_the_start),
      cmocka_unit_test(test_schedule_keeps_the_value_paired),
      cmocka_unit_test(test_upstream_unchanged_by_gate),
      cmocka_unit_test(test_bad_milestones_and_schedules),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

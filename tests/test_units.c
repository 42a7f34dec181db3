/* Redeployment: a unit deploys exactly its formation and logistics delays
 * after its last member arrives, units go to regions in the stated order and
 * number, a blocked region waits until the block ends, and bad input. */
#include "testutil.h"

/* weekly steps from a Monday (2021-01-04); 300 people reach `integrated` in
 * step 0 (or when the intake's milestone comes) */
static const char units[] = "scenario: {name: units}\n"
                            "calendar: {start: 2021-01-04, end: 2022-12-31, step: week}\n"
                            "groups: [{id: a, size: 300}]\n"
                            "milestones: [{id: open, date: 2021-01-04}]\n"
                            "nodes:\n"
                            "  - {id: in, type: intake, rate_per_week: 100000000, to: integrated, "
                            "gate: open}\n"
                            "  - {id: integrated, type: sink}\n"
                            "redeployment:\n"
                            "  from: integrated\n"
                            "  unit_size: 100\n"
                            "  formation_days: 14\n"
                            "  logistics_days: 21\n"
                            "  regions:\n"
                            "    - {id: north, units: 2}\n"
                            "    - {id: east, units: 2}\n";

static int32_t at(const ddr_scenario *scn, const int32_t *s, const char *name, int t) {
  size_t T = (size_t)ddr_scenario_calendar(scn)->nsteps;
  return s[tu_metric(scn, name) * T + (size_t)t];
}

/* Complete at the end of step 0 (day 6); formed 14 days later (day 20, step
 * 2); deployable 21 days after that (day 41, step 5). Three units of 100:
 * two to the north, one of the two planned for the east. */
static void test_deployment_after_delays(void **state) {
  (void)state;
  ddr_scenario *scn = tu_load(units, NULL, 0);
  int32_t *s = tu_run_checked(scn, 0);
  for (int t = 0; t < 20; t++) {
    assert_int_equal(at(scn, s, "redeployment.formed", t), t < 2 ? 0 : 3);
    assert_int_equal(at(scn, s, "redeployment.deployed", t), t < 5 ? 0 : 3);
    assert_int_equal(at(scn, s, "redeployment.deployed.north", t), t < 5 ? 0 : 2);
    assert_int_equal(at(scn, s, "redeployment.deployed.east", t), t < 5 ? 0 : 1);
  }
  free(s);
  ddr_scenario_free(scn);
}

/* The people arrive when the intake opens (2021-03-15, step 10): everything
 * happens 10 steps later. */
static void test_deployment_follows_arrival(void **state) {
  (void)state;
  const char *sets[] = {"milestones=[{id: open, date: 2021-03-15}]"};
  ddr_scenario *scn = tu_load(units, sets, 1);
  int32_t *s = tu_run_checked(scn, 0);
  for (int t = 0; t < 30; t++) {
    assert_int_equal(at(scn, s, "redeployment.formed", t), t < 12 ? 0 : 3);
    assert_int_equal(at(scn, s, "redeployment.deployed", t), t < 15 ? 0 : 3);
  }
  free(s);
  ddr_scenario_free(scn);
}

/* The east is blocked from 2021-01-25 (step 3) for three weeks (steps 3-5):
 * its unit, ready in step 5, deploys in step 6; the north's on time. */
static void test_blocked_region_waits(void **state) {
  (void)state;
  const char *sets[] = {"shocks=[{id: road, dates: [2021-01-25], duration_days: 21, effects: "
                        "[{region: east}]}]"};
  ddr_scenario *scn = tu_load(units, sets, 1);
  int32_t *s = tu_run_checked(scn, 0);
  for (int t = 0; t < 20; t++) {
    assert_int_equal(at(scn, s, "redeployment.deployed.north", t), t < 5 ? 0 : 2);
    assert_int_equal(at(scn, s, "redeployment.deployed.east", t), t < 6 ? 0 : 1);
    assert_int_equal(at(scn, s, "redeployment.blocked.east", t), t >= 3 && t <= 5);
    assert_int_equal(at(scn, s, "redeployment.blocked.north", t), 0);
  }
  free(s);
  ddr_scenario_free(scn);
}

/* With uncertain delays, each unit deploys in the step holding the day its
 * last member arrived plus its two delays, which are whole days between the
 * bounds: all three units deploy between the extremes. */
static void test_uncertain_delays_within_bounds(void **state) {
  (void)state;
  const char *sets[] = {"redeployment.formation_days={dist: uniform, min: 7, max: 21}",
                        "redeployment.logistics_days={dist: uniform, min: 14, max: 35}"};
  ddr_scenario *scn = tu_load(units, sets, 2);
  int early = 0, late = 0;
  for (uint64_t r = 0; r < 30; r++) {
    int32_t *s = tu_run_checked(scn, r);
    /* days 6 + 21 = 27 (step 3) at the earliest, 6 + 56 = 62 (step 8) at the latest */
    assert_int_equal(at(scn, s, "redeployment.deployed", 2), 0);
    assert_int_equal(at(scn, s, "redeployment.deployed", 8), 3);
    early |= at(scn, s, "redeployment.deployed", 4) > 0;
    late |= at(scn, s, "redeployment.deployed", 6) < 3;
    free(s);
  }
  assert_true(early && late);
  ddr_scenario_free(scn);
}

/* Delays beyond any horizon: nothing forms or deploys, and nothing
 * overflows. */
static void test_very_long_delays(void **state) {
  (void)state;
  const char *sets[] = {"redeployment.formation_days=3000000000"};
  ddr_scenario *scn = tu_load(units, sets, 1);
  int32_t *s = tu_run_checked(scn, 0);
  size_t T = (size_t)ddr_scenario_calendar(scn)->nsteps;
  assert_int_equal(at(scn, s, "redeployment.formed", (int)T - 1), 0);
  assert_int_equal(at(scn, s, "redeployment.deployed", (int)T - 1), 0);
  free(s);
  ddr_scenario_free(scn);
}

/* The plan is a set of targets: per region by its date (or the plan's, or
 * the end of the horizon), and the whole plan. */
static void test_plan_targets(void **state) {
  (void)state;
  const char *sets[] = {"redeployment.regions.north.by=2021-02-15", "redeployment.by=2021-06-30"};
  ddr_scenario *scn = tu_load(units, sets, 2);
  assert_int_equal(ddr_scenario_target_count(scn), 3);
  const ddr_target *n = ddr_scenario_target(scn, 0), *e = ddr_scenario_target(scn, 1),
                   *all = ddr_scenario_target(scn, 2);
  assert_string_equal(n->id, "redeployment-north");
  assert_string_equal(n->label, "All 2 planned units deployed in north");
  assert_string_equal(n->metric_name, "redeployment.deployed.north");
  assert_true(n->threshold == 2);
  assert_int_equal(n->deadline_step, 6); /* 2021-02-15 */
  assert_string_equal(e->id, "redeployment-east");
  assert_int_equal(e->deadline_step, 25); /* the plan's date, 2021-06-30 */
  assert_string_equal(all->id, "redeployment-plan");
  assert_true(all->threshold == 4);
  ddr_results *res = tu_run_all(scn, 20, 2);
  /* the north's two units deploy in step 5 (day 41), the east gets one of
   * its two: never done */
  assert_true(res->targets[0].prob == 1.0);
  for (int q = 0; q < DDR_NQUANTILES; q++) assert_true(res->targets[0].day_q[q] == 41);
  assert_true(res->targets[1].prob == 0.0 && res->targets[2].prob == 0.0);
  ddr_results_free(res);
  ddr_scenario_free(scn);
  const char *clash[] = {"targets=[{id: redeployment-east, metric: in.arrived, at_least: 1, by: "
                         "2021-06-30}]"};
  tu_assert_contains(tu_load_error(units, clash, 1), "the model sets a target of that id");
}

static void test_bad_redeployment(void **state) {
  (void)state;
  static const struct {
    const char *set, *want;
  } cases[] = {
      {"redeployment.from=in", "redeployment.from: expected an outcome"},
      {"redeployment.from=nowhere", "redeployment.from: unknown node \"nowhere\""},
      {"redeployment.unit_size=0", "redeployment.unit_size"},
      {"redeployment.formation_days=-1", "redeployment.formation_days"},
      {"redeployment.logistics_days={dist: normal, mean: 3, sd: 1}", "redeployment.logistics_days"},
      {"redeployment.regions=[]", "expected 1 to 64 regions, found 0"},
      {"redeployment.regions=[{id: a, units: 1.5}]", "expected a whole number of units"},
      {"redeployment.regions=[{id: a, units: 0}]", "redeployment.regions.a.units"},
      {"redeployment.regions=[{id: a, units: 1}, {id: a, units: 2}]", "duplicate region id \"a\""},
      {"redeployment.regions=[{id: a, units: 6000}, {id: b, units: 6000}]",
       "expected at most 10000 units"},
      {"redeployment.regions=[{id: a}]", "redeployment.regions.a.units: missing required key"},
      {"redeployment.ships=3", "unknown key \"ships\""},
      {"redeployment.by=2030-01-01", "redeployment.by"},
      {"redeployment.regions.east.by=2019-01-01", "redeployment.regions.east.by"},
      {"shocks=[{id: x, dates: [2021-02-01], duration_days: 7, effects: [{region: west}]}]",
       "shocks.x.effects[0].region: unknown region \"west\"; regions are: north, east"},
      {"shocks=[{id: x, dates: [2021-02-01], duration_days: 7, effects: [{region: east, node: "
       "in}]}]",
       "blocks a region or cuts a node, not both"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    const char *sets[] = {cases[i].set};
    tu_assert_contains(tu_load_error(units, sets, 1), cases[i].want);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_deployment_after_delays),
      cmocka_unit_test(test_deployment_follows_arrival),
      cmocka_unit_test(test_blocked_region_waits),
      cmocka_unit_test(test_uncertain_delays_within_bounds),
      cmocka_unit_test(test_very_long_delays),
      cmocka_unit_test(test_plan_targets),
      cmocka_unit_test(test_bad_redeployment),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Reading scenarios: one test per class of bad input, each matching the
 * message (file:line:column, key path, expected and found), and --set. */
#include "testutil.h"

static const char base[] =
    "scenario: {name: base}\n"                                           /* 1 */
    "calendar: {start: 2021-01-01, end: 2022-12-31, step: week}\n"       /* 2 */
    "groups:\n"                                                          /* 3 */
    "  - {id: a, size: 100}\n"                                           /* 4 */
    "  - {id: b, size: {dist: uniform, min: 10, max: 20}}\n"             /* 5 */
    "nodes:\n"                                                           /* 6 */
    "  - {id: in, type: intake, rate_per_week: 10, to: camp}\n"          /* 7 */
    "  - id: camp\n"                                                     /* 8 */
    "    type: stage\n"                                                  /* 9 */
    "    sites:\n"                                                       /* 10 */
    "      - {id: north, capacity: 50}\n"                                /* 11 */
    "    duration_days: {dist: triangular, min: 7, mode: 14, max: 30}\n" /* 12 */
    "    to: screen\n"                                                   /* 13 */
    "  - id: screen\n"                                                   /* 14 */
    "    type: split\n"                                                  /* 15 */
    "    branches: {school: 0.6, home: rest}\n"                          /* 16 */
    "  - id: school\n"                                                   /* 17 */
    "    type: training\n"                                               /* 18 */
    "    centres:\n"                                                     /* 19 */
    "      - {id: gao, seats: 30, course_weeks: 8}\n"                    /* 20 */
    "    to: army\n"                                                     /* 21 */
    "  - {id: army, type: sink}\n"                                       /* 22 */
    "  - {id: home, type: sink}\n"                                       /* 23 */
    "targets:\n"                                                         /* 24 */
    "  - {id: t, metric: army.count, at_least: 50, by: 2022-06-30}\n";   /* 25 */

static const char *with_set(const char *set) {
  const char *sets[] = {set};
  return tu_load_error(base, sets, 1);
}

static void test_base_loads(void **state) {
  (void)state;
  ddr_scenario *scn = tu_load(base, NULL, 0);
  assert_string_equal(ddr_scenario_name(scn), "base");
  assert_int_equal(ddr_scenario_calendar(scn)->nsteps, 104 + 1);
  assert_true(ddr_scenario_metric_find(scn, "army.count.b") >= 0);
  ddr_scenario_free(scn);
}

static void test_negative_integer(void **state) {
  (void)state;
  const char *e = with_set("nodes.school.centres.gao.seats=-3");
  tu_assert_contains(e, "nodes.school.centres.gao.seats: ");
  tu_assert_contains(e, "expected a whole number >= 1");
  tu_assert_contains(e, "-3");
}

static void test_error_position_in_file(void **state) {
  (void)state;
  char *text = strdup(base);
  char *p = strstr(text, "seats: 30");
  memcpy(p, "seats: -3", 9);
  const char *e = tu_load_error(text, NULL, 0);
  tu_assert_contains(e, "test.yaml:20:");
  tu_assert_contains(e, "nodes.school.centres.gao.seats");
  free(text);
}

static void test_unknown_key_did_you_mean(void **state) {
  (void)state;
  char *text = strdup(base);
  char *p = strstr(text, "seats: 30");
  memcpy(p, "seets: 30", 9);
  const char *e = tu_load_error(text, NULL, 0);
  tu_assert_contains(e, "test.yaml:20:");
  tu_assert_contains(e, "unknown key \"seets\"; did you mean \"seats\"?");
  free(text);
  e = with_set("calender=1");
  tu_assert_contains(e, "did you mean \"calendar\"?");
}

static void test_unknown_key_lists_valid(void **state) {
  (void)state;
  const char *e = with_set("nodes.camp.xyzzy=1");
  tu_assert_contains(e, "unknown key \"xyzzy\"; valid keys here are: id, type");
}

static void test_missing_key(void **state) {
  (void)state;
  const char *e = tu_load_error("scenario: {name: x}\ngroups: []\nnodes: []\n", NULL, 0);
  tu_assert_contains(e, "missing required key \"calendar\"");
}

static void test_unknown_reference(void **state) {
  (void)state;
  const char *e = with_set("nodes.camp.to=screan");
  tu_assert_contains(e, "nodes.camp.to: unknown node \"screan\"; nodes are: in, camp, screen");
  e = with_set("targets.t.metric=army.cuont");
  tu_assert_contains(e, "unknown metric \"army.cuont\"");
  tu_assert_contains(e, "army.count");
}

static void test_cycle(void **state) {
  (void)state;
  const char *e = with_set("nodes.school.to=camp");
  tu_assert_contains(e, "the nodes form a cycle");
}

static void test_date_outside_horizon(void **state) {
  (void)state;
  const char *e = with_set("targets.t.by=2030-01-01");
  tu_assert_contains(e,
                     "targets.t.by: expected a date within the horizon 2021-01-01 to 2022-12-31");
  e = with_set("calendar.start=2021-02-30");
  tu_assert_contains(e, "calendar.start: expected a date YYYY-MM-DD, found \"2021-02-30\"");
}

static void test_probability_out_of_range(void **state) {
  (void)state;
  const char *e = with_set("nodes.screen.branches.school=1.5");
  tu_assert_contains(
      e, "nodes.screen.branches.school: expected a probability in [0, 1], found \"1.5\"");
  e = with_set("nodes.screen.branches.school={dist: normal, mean: 0.5, sd: 0.1}");
  tu_assert_contains(e, "can take values outside that range");
}

static void test_min_greater_than_max(void **state) {
  (void)state;
  const char *e = with_set("groups.b.size={dist: uniform, min: 30, max: 20}");
  tu_assert_contains(e, "groups.b.size: ");
  tu_assert_contains(e, "min");
  tu_assert_contains(e, "max");
}

static void test_bad_distribution(void **state) {
  (void)state;
  const char *e = with_set("groups.b.size={dist: poisson, mean: 3}");
  tu_assert_contains(e, "unknown distribution \"poisson\"; expected one of constant, uniform");
  e = with_set("groups.b.size={dist: uniform, min: 1, mode: 3}");
  tu_assert_contains(e, "unknown parameter \"mode\" for a uniform distribution");
}

static void test_set_errors(void **state) {
  (void)state;
  const char *e = with_set("nodes.schol.to=army");
  tu_assert_contains(e, "--set");
  tu_assert_contains(e, "schol");
  e = with_set("no-equals-sign");
  tu_assert_contains(e, "expected key.path=value");
}

static void test_set_overrides(void **state) {
  (void)state;
  const char *sets[] = {"nodes.school.centres.gao.seats=45", "calendar.step=day"};
  ddr_scenario *scn = tu_load(base, sets, 2);
  const ddr_inputs *in = ddr_scenario_inputs(scn);
  long i = ddr_inputs_find(in, "nodes.school.centres.gao.seats");
  assert_true(i >= 0);
  assert_true(ddr_inputs_get(in, (size_t)i)->dist.c[0] == 45);
  assert_int_equal(ddr_scenario_calendar(scn)->step_days, 1);
  char *resolved;
  ddr_error err;
  assert_int_equal(ddr_scenario_resolved_text(scn, &resolved, &err), DDR_OK);
  tu_assert_contains(resolved, "45");
  free(resolved);
  ddr_scenario_free(scn);
}

static void test_duplicate_ids(void **state) {
  (void)state;
  const char *e = with_set("nodes.camp.sites={0: 1}");
  tu_assert_contains(e, "nodes.camp.sites: expected a list");
  char *text = strdup(base);
  char *p = strstr(text, "{id: home, type: sink}");
  memcpy(p, "{id: army, type: sink}", 22);
  e = tu_load_error(text, NULL, 0);
  tu_assert_contains(e, "duplicate node id \"army\"");
  free(text);
}

static void test_yaml_syntax_error(void **state) {
  (void)state;
  const char *e = tu_load_error("scenario: {name: x\ncalendar: [\n", NULL, 0);
  tu_assert_contains(e, "test.yaml:");
}

static void test_not_a_number(void **state) {
  (void)state;
  const char *e = with_set("nodes.in.rate_per_week=fast");
  tu_assert_contains(e, "nodes.in.rate_per_week: expected a number >= 0 or a distribution");
  e = with_set("nodes.in.rate_per_week=nan");
  tu_assert_contains(e, "found \"nan\"");
}

static void test_split_needs_rest(void **state) {
  (void)state;
  const char *e = with_set("nodes.screen.branches.home=0.2");
  tu_assert_contains(e, "expected one branch whose value is \"rest\"");
  e = with_set("nodes.screen.branches={school: 0.7, home: 0.6, army: rest}");
  tu_assert_contains(e, "can add up to more than 1");
}

static void test_group_without_intake(void **state) {
  (void)state;
  const char *e = with_set("nodes.in.groups=[a]");
  tu_assert_contains(e, "group \"b\" presents itself at no intake node");
}

static void test_site_groups(void **state) {
  (void)state;
  const char *s1[] = {"nodes.camp.sites=[{id: north, capacity: 50, groups: [a]}]"};
  tu_assert_contains(tu_load_error(base, s1, 1), "apply only with routing: by_group");
  const char *s2[] = {"nodes.camp.routing=by_group",
                      "nodes.camp.sites=[{id: north, capacity: 50, groups: [a]}]"};
  tu_assert_contains(tu_load_error(base, s2, 2), "no site takes group \"b\"");
  const char *s3[] = {
      "nodes.camp.routing=by_group",
      "nodes.camp.sites=[{id: n, capacity: 5, groups: [a]}, {id: s, capacity: 5, groups: [b]}]",
      "initial=[{node: army, count: 3}]"};
  tu_assert_contains(tu_load_error(base, s3, 3), "needs everyone's group");
  const char *ok[] = {
      "nodes.camp.routing=by_group",
      "nodes.camp.sites=[{id: n, capacity: 5, groups: [a]}, {id: s, capacity: 5, groups: [b]}]"};
  ddr_scenario_free(tu_load(base, ok, 2));
  const char *s4[] = {"initial=[{node: screen, count: 3}]"};
  tu_assert_contains(tu_load_error(base, s4, 1), "people cannot start at split node");
  const char *s5[] = {"initial=[{node: camp, group: a, count: 3, site: north}]"};
  tu_assert_contains(tu_load_error(base, s5, 1), "site is for people in_service");
  const char *s6[] = {"initial=[{node: camp, group: a, count: 30, where: in_service}, "
                      "{node: camp, group: b, count: 30, where: in_service}]"};
  tu_assert_contains(tu_load_error(base, s6, 1),
                     "up to 60 people in service at site \"north\" of stage \"camp\"");
}

static void test_upper_bounds(void **state) {
  (void)state;
  const char *s1[] = {"groups.a.size=5e9"};
  tu_assert_contains(tu_load_error(base, s1, 1), "of at most 1000000000");
  const char *s2[] = {"nodes.in.rate_per_week=2e8"};
  tu_assert_contains(tu_load_error(base, s2, 1), "expected at most 1e+08");
  const char *s3[] = {"nodes.school.centres.gao.course_weeks=3e9"};
  tu_assert_contains(tu_load_error(base, s3, 1), "expected at most 1040");
  const char *s4[] = {"groups.a.size=1e9", "groups.b.size=1e9",
                      "initial=[{node: army, group: a, count: 2e8}]"};
  tu_assert_contains(tu_load_error(base, s4, 3), "expected at most 2147483647");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_base_loads),
      cmocka_unit_test(test_negative_integer),
      cmocka_unit_test(test_error_position_in_file),
      cmocka_unit_test(test_unknown_key_did_you_mean),
      cmocka_unit_test(test_unknown_key_lists_valid),
      cmocka_unit_test(test_missing_key),
      cmocka_unit_test(test_unknown_reference),
      cmocka_unit_test(test_cycle),
      cmocka_unit_test(test_date_outside_horizon),
      cmocka_unit_test(test_probability_out_of_range),
      cmocka_unit_test(test_min_greater_than_max),
      cmocka_unit_test(test_bad_distribution),
      cmocka_unit_test(test_set_errors),
      cmocka_unit_test(test_set_overrides),
      cmocka_unit_test(test_duplicate_ids),
      cmocka_unit_test(test_yaml_syntax_error),
      cmocka_unit_test(test_not_a_number),
      cmocka_unit_test(test_split_needs_rest),
      cmocka_unit_test(test_group_without_intake),
      cmocka_unit_test(test_site_groups),
      cmocka_unit_test(test_upper_bounds),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

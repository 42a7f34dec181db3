/* Every shipped scenario end to end through the command line: it validates,
 * runs, summarises and plots; each what-if explains what it changes from the
 * baseline; the shocks are in the result file; and a what-if shares its
 * random numbers with the baseline upstream of what it changes. */

#include "cliutil.h"

static int setup(void **state) {
  (void)state;
  return tu_make_dir("test-scenarios");
}

static int teardown(void **state) {
  (void)state;
  return tu_remove_dir();
}

static const char *const shipped[] = {"mali-2020-baseline",        "mali-2020-second-centre",
                                      "mali-2020-agreement-slips", "mali-2020-security-shocks",
                                      "mali-2020-redeployment",    "ostland-fictional"};

/* Run `ddrsim ARGS`, failing the test with its output unless it exits 0. */
#define ddrsim_ok(...)                                                                             \
  do {                                                                                             \
    if (sh(__VA_ARGS__)) fail_msg("exit code nonzero:\n%s", out);                                  \
  } while (0)

static void test_every_scenario_runs(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof shipped / sizeof *shipped; i++) {
    const char *s = shipped[i];
    ddrsim_ok("%s validate %s/scenarios/%s.yaml", tu_bin(), tu_source_dir(), s);
    ddrsim_ok("%s run %s/scenarios/%s.yaml -n 400 -j 2 -q -o %s.h5", tu_bin(), tu_source_dir(), s,
              s);
    ddrsim_ok("%s summary %s.h5", tu_bin(), s);
    tu_assert_contains(out, "probability met:");
    ddrsim_ok("%s plot %s.h5 -o %s.png", tu_bin(), s, s);
  }
}

/* Each what-if is the baseline plus a few changes, and says which. */
static void test_what_ifs_explain_their_changes(void **state) {
  (void)state;
  static const struct {
    const char *file, *change;
  } cases[] = {
      {"mali-2020-second-centre", "\n+ nodes.training.centres.gao: {id: gao, seats: 300"},
      {"mali-2020-agreement-slips", "\n+ nodes.training.gate: first-course"},
      {"mali-2020-security-shocks", "\n+ shocks: [{id: kidal-sites"},
      {"mali-2020-redeployment", "\n+ redeployment: {from: integrated"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    ddrsim_ok("%s validate %s/scenarios/%s.yaml --explain", tu_bin(), tu_source_dir(),
              cases[i].file);
    tu_assert_contains(out, cases[i].change);
    tu_assert_contains(out, "mali-2020-baseline.yaml");
  }
}

/* The shocks of each replication are in the file, and the summary counts
 * them; the redeployment targets give per region dates. */
static void test_shocks_and_units_reported(void **state) {
  (void)state;
  ddrsim_ok("%s run %s/scenarios/mali-2020-security-shocks.yaml -n 300 -q -o shocks.h5", tu_bin(),
            tu_source_dir());
  ddrsim_ok("/usr/bin/python3 -c \"import h5py; f = h5py.File('shocks.h5', 'r'); "
            "k = list(f['events/kind_name'].asstr()[()]); n = len(f['events/kind']); "
            "r = f['events/replication'][()]; "
            "assert k == ['shocks.kidal-sites', 'shocks.menaka-sites', "
            "'shocks.training-suspended'], k; "
            "assert n > 300 and r.min() >= 0 and r.max() < 300, (n, r.min(), r.max()); "
            "print('events', n)\"");
  ddrsim_ok("%s summary shocks.h5", tu_bin());
  tu_assert_contains(out, "shocks.training-suspended");
  ddrsim_ok("%s run %s/scenarios/mali-2020-redeployment.yaml -n 300 -q -o units.h5", tu_bin(),
            tu_source_dir());
  ddrsim_ok("%s summary units.h5", tu_bin());
  tu_assert_contains(out, "Target redeployment-kidal: All 3 planned units deployed in Kidal");
  tu_assert_contains(out, "Target redeployment-plan: The whole redeployment plan (12 units)");
  tu_assert_contains(out, "Target plan-50");
}

/* Same seed: the second centre changes nothing upstream of training, so the
 * summaries of cantonment and vetting are identical, bit for bit; those of
 * the integrated are not. */
static void test_what_if_is_paired_with_baseline(void **state) {
  (void)state;
  ddrsim_ok("%s run %s/scenarios/mali-2020-baseline.yaml -n 500 -q -o a.h5", tu_bin(),
            tu_source_dir());
  ddrsim_ok("%s run %s/scenarios/mali-2020-second-centre.yaml -n 500 -q -o b.h5", tu_bin(),
            tu_source_dir());
  ddrsim_ok("/usr/bin/python3 -c \"import h5py, numpy as np\n"
            "a, b = h5py.File('a.h5', 'r'), h5py.File('b.h5', 'r')\n"
            "def q(f, m): return f['summary/quantiles'][list(f['metrics/name'].asstr()[()])"
            ".index(m)]\n"
            "for m in ['cantonment.completed', 'vetting.completed', 'screening.to.training']:\n"
            "    assert np.array_equal(q(a, m), q(b, m), equal_nan=True), m\n"
            "assert not np.array_equal(q(a, 'integrated.count'), q(b, 'integrated.count'))\n"
            "print('paired')\"");
  tu_assert_contains(out, "paired");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_every_scenario_runs),
      cmocka_unit_test(test_what_ifs_explain_their_changes),
      cmocka_unit_test(test_shocks_and_units_reported),
      cmocka_unit_test(test_what_if_is_paired_with_baseline),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

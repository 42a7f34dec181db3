/* End to end: the numbers for briefers. `ddrsim summary`'s sentences and
 * queue peaks, `ddrsim compare` (paired and not, refusals) and `ddrsim
 * export`, run on the shipped scenarios and checked against the HDF5 files
 * with numpy (tests/numbers_check.py). Small runs keep it fast. */
#include <sys/stat.h>
#include <unistd.h>

#include "cliutil.h"

static int exists(const char *name) {
  char path[512];
  struct stat st;
  snprintf(path, sizeof path, "%s/%s", dir, name);
  return stat(path, &st) == 0;
}

/* A run of a shipped scenario (-q), failing the test if it fails. */
static void run(const char *scenario, const char *output, const char *extra) {
  int rc =
      sh("%s run %s/scenarios/%s -q -o %s %s", tu_bin(), tu_source_dir(), scenario, output, extra);
  if (rc != 0) fail_msg("ddrsim run %s: %s", scenario, out);
}

/* numbers_check.py with arguments; fails the test with its message. */
static void check(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void check(const char *fmt, ...) {
  char args[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(args, sizeof args, fmt, ap);
  va_end(ap);
  if (sh("/usr/bin/python3 %s/tests/numbers_check.py %s", tu_source_dir(), args) != 0)
    fail_msg("numbers_check.py %s: %s", args, out);
  tu_assert_contains(out, "ok ");
}

static int setup(void **state) {
  (void)state;
  if (tu_make_dir("test-numbers")) return -1;
  /* shared by the tests: the baseline and a what-if, paired */
  static const char *const runs[] = {"mali-2020-baseline.yaml -n 300 -o base.h5",
                                     "mali-2020-second-centre.yaml -n 300 -o second.h5"};
  return tu_run_shipped(runs, 2);
}

static int teardown(void **state) {
  (void)state;
  return tu_remove_dir();
}

static void test_summary_in_words(void **state) {
  (void)state;
  assert_int_equal(sh("%s summary base.h5", tu_bin()), 0);
  tu_assert_contains(out, "  in words: There is a");
  tu_assert_contains(out, "% chance (95% interval ");
  tu_assert_contains(out, "that the target of at least 3,000 integrated into the FDSM is met by "
                          "30 June 2022; half the runs reach it by ");
  tu_assert_contains(out, " (P50) and 80% by ");
  tu_assert_contains(out, "\nQueues (people waiting to enter each stage)\n");
  tu_assert_contains(out, "  training: longest queue ");
  tu_assert_contains(out, " people (median) in the week of ");
  tu_assert_contains(out, "  cantonment: ");
  /* the same in CSV and JSON, and the peaks are the stored medians' */
  assert_int_equal(sh("%s summary base.h5 --format csv > s.csv", tu_bin()), 0);
  check("summary base.h5 s.csv");
  assert_int_equal(sh("grep -c '^target,integrated-3000-2022,sentence,\"There is a' s.csv"), 0);
  assert_int_equal(sh("grep -c '^stage,training,peak_median_queue,' s.csv"), 0);
  assert_int_equal(sh("%s summary base.h5 --format json > s.json && /usr/bin/python3 -c \"import "
                      "json; d = json.load(open('s.json')); print(d['targets'][1]['sentence']); "
                      "print([s['stage'] for s in d['stages']])\"",
                      tu_bin()),
                   0);
  tu_assert_contains(out, "There is a");
  tu_assert_contains(out, "['cantonment', 'vetting', 'training']");
}

/* A target no run meets nor reaches is said so, without dates. */
static void test_summary_never(void **state) {
  (void)state;
  run("mali-2020-baseline.yaml", "never.h5", "-n 40 --set 'targets[0].at_least=100000'");
  assert_int_equal(sh("%s summary never.h5", tu_bin()), 0);
  tu_assert_contains(out, "None of the 40 runs meets the target of at least 3,000 integrated into "
                          "the FDSM (integrated.count at least 100,000) by 30 June 2021 (95% "
                          "interval for the chance 0-");
  tu_assert_contains(out, "no run reaches it within the horizon (by 30 June 2023), so no date "
                          "can be given.");
}

static void test_compare_paired(void **state) {
  (void)state;
  assert_int_equal(sh("%s compare base.h5 second.h5", tu_bin()), 0);
  tu_assert_contains(out, "paired (seed 2531, 300 replications, 2020-07-01 to 2023-06-30 in "
                          "steps of 7 days)");
  tu_assert_contains(out, "B vs A: probability met ");
  tu_assert_contains(out, "(paired)");
  tu_assert_contains(out, "P50 date (half the runs reach it): ");
  tu_assert_contains(out, "replication by replication: B reaches it earlier in ");
  /* the difference and its interval, recomputed from /targets/met */
  assert_int_equal(sh("%s compare base.h5 second.h5 --format json > c.json", tu_bin()), 0);
  check("compare base.h5 second.h5 c.json");
  assert_int_equal(sh("%s compare base.h5 second.h5 --format csv", tu_bin()), 0);
  tu_assert_contains(out, "target,run,statistic,value\n");
  tu_assert_contains(out,
                     "integrated-3000-2022,second.h5,interval_method,newcombe-paired-method-10");
  /* a run against itself: no difference at all */
  assert_int_equal(sh("%s compare base.h5 base.h5", tu_bin()), 0);
  tu_assert_contains(out, "B - A +0.000");
  tu_assert_contains(out, "only in A 0, only in B 0");
  tu_assert_contains(out, "B the same date");
  tu_assert_contains(out, "B - A +0.0 days on average");
}

/* More training seats, everything else the same (same seed, paired): the
 * target is reached earlier on average, by a paired difference of the days
 * reached larger than its standard error (numpy, from the two files), and
 * compare says so. */
static void test_compare_more_seats(void **state) {
  (void)state;
  run("mali-2020-baseline.yaml", "seats.h5",
      "-n 300 --set nodes.training.centres.national.seats=600");
  check("earlier base.h5 seats.h5 integrated-3000-2022");
  assert_int_equal(sh("%s compare base.h5 seats.h5", tu_bin()), 0);
  tu_assert_contains(out, "(paired)");
  assert_int_equal(sh("%s compare base.h5 seats.h5 --format json > seats.json", tu_bin()), 0);
  check("compare base.h5 seats.h5 seats.json");
  assert_int_equal(sh("/usr/bin/python3 -c \"import json; t = json.load(open('seats.json'))"
                      "['targets']; c = [x for x in t if x['id'] == 'integrated-3000-2022'][0]"
                      "['comparisons'][0]; print(c['paired_mean_difference_days'] < 0, "
                      "c['reached']['earlier'] > c['reached']['later'])\""),
                   0);
  assert_string_equal(out, "True True\n");
}

static void test_compare_refuses_unpaired(void **state) {
  (void)state;
  run("mali-2020-second-centre.yaml", "seed7.h5", "-n 300 -s 7");
  run("mali-2020-second-centre.yaml", "n200.h5", "-n 200");
  assert_int_equal(sh("%s compare base.h5 seed7.h5", tu_bin()), 3);
  tu_assert_contains(out, "base.h5 and seed7.h5 cannot be paired: they were run with different "
                          "seeds (2531 and 7)");
  tu_assert_contains(out, "two independent samples");
  tu_assert_contains(out, "add --unpaired");
  assert_int_equal(sh("%s compare base.h5 n200.h5", tu_bin()), 3);
  tu_assert_contains(out, "cannot be paired: they have different numbers of replications (300 "
                          "and 200)");
  assert_int_equal(sh("%s compare base.h5 second.h5 n200.h5", tu_bin()), 3);
  tu_assert_contains(out, "base.h5 and n200.h5 cannot be paired");
  /* --unpaired: independent samples, checked with numpy too */
  assert_int_equal(sh("%s compare base.h5 seed7.h5 --unpaired", tu_bin()), 0);
  tu_assert_contains(out, "as independent samples (--unpaired)");
  tu_assert_contains(out, "(independent samples)");
  assert_int_equal(sh("%s compare base.h5 n200.h5 --unpaired --format json > u.json", tu_bin()), 0);
  check("compare base.h5 n200.h5 u.json --unpaired");
}

static void test_compare_targets_and_errors(void **state) {
  (void)state;
  run("mali-2020-redeployment.yaml", "redeploy.h5", "-n 300");
  assert_int_equal(sh("%s compare base.h5 redeploy.h5", tu_bin()), 0);
  tu_assert_contains(out, "Target plan-50: ");
  tu_assert_contains(out, "found only in B; not in A");
  assert_int_equal(sh("%s compare base.h5 redeploy.h5 --format csv", tu_bin()), 0);
  tu_assert_contains(out, "plan-50,redeploy.h5,present,run only");
  assert_int_equal(sh("%s compare base.h5", tu_bin()), 2);
  tu_assert_contains(out, "expected at least two result files");
  assert_int_equal(sh("echo hello > text.h5 && %s compare base.h5 text.h5", tu_bin()), 3);
  tu_assert_contains(out, "text.h5 is not an HDF5 file");
  assert_int_equal(sh("%s compare base.h5 missing.h5", tu_bin()), 4);
  tu_assert_contains(out, "missing.h5");
  assert_int_equal(sh("%s compare --help", tu_bin()), 0);
  tu_assert_contains(out, "--unpaired");
}

static void test_export(void **state) {
  (void)state;
  /* events and full series: every file, every number */
  run("mali-2020-security-shocks.yaml", "shocks.h5", "-n 30 --store full");
  assert_int_equal(sh("%s export shocks.h5 --csv out/shocks", tu_bin()), 0);
  assert_true(exists("out/shocks/summary.csv") && exists("out/shocks/targets.csv"));
  assert_true(exists("out/shocks/inputs.csv") && exists("out/shocks/outcomes.csv"));
  assert_true(exists("out/shocks/events.csv"));
  assert_true(exists("out/shocks/series/integrated.count.csv"));
  check("export shocks.h5 out/shocks");
  /* never clobbered without --force: nothing is written, nothing changes */
  assert_int_equal(sh("md5sum out/shocks/*.csv > before.md5 && echo x > out/shocks/series/x"), 0);
  assert_int_equal(
      sh("rm out/shocks/targets.csv && %s export shocks.h5 --csv out/shocks", tu_bin()), 5);
  tu_assert_contains(out, "out/shocks/summary.csv exists: nothing was written");
  tu_assert_contains(out, "--force");
  assert_false(exists("out/shocks/targets.csv"));
  assert_int_equal(sh("md5sum -c before.md5 2>/dev/null | grep -c FAILED || true"), 0);
  assert_int_equal(atoi(out), 1); /* only the removed targets.csv */
  assert_int_equal(sh("%s export shocks.h5 --csv out/shocks --force", tu_bin()), 0);
  check("export shocks.h5 out/shocks");
  assert_int_equal(sh("ls -A out/shocks out/shocks/series | grep -c 'tmp' || true"), 0);
  assert_int_equal(atoi(out), 0);
  /* a summary-only run without events: no events.csv, no series */
  assert_int_equal(sh("%s export base.h5 --csv plain", tu_bin()), 0);
  assert_false(exists("plain/events.csv"));
  assert_false(exists("plain/series"));
  check("export base.h5 plain");
  /* errors */
  assert_int_equal(sh("%s export base.h5", tu_bin()), 2);
  tu_assert_contains(out, "--csv DIR");
  assert_int_equal(sh("%s export nothing.h5 --csv x", tu_bin()), 4);
  assert_false(exists("x"));
  assert_int_equal(sh("touch afile && %s export base.h5 --csv afile", tu_bin()), 4);
  tu_assert_contains(out, "afile");
  assert_int_equal(sh("%s help export", tu_bin()), 0);
  tu_assert_contains(out, "outcomes.csv");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_summary_in_words),
      cmocka_unit_test(test_summary_never),
      cmocka_unit_test(test_compare_paired),
      cmocka_unit_test(test_compare_more_seats),
      cmocka_unit_test(test_compare_refuses_unpaired),
      cmocka_unit_test(test_compare_targets_and_errors),
      cmocka_unit_test(test_export),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

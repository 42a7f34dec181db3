/* Hostile input (issue 6): the fuzzers' regression inputs, files that are not
 * scenarios, numbers that overflow, YAML built to exhaust the reader, and
 * absurd but valid scenarios (a 50-year daily horizon, a million people, a
 * hundred stages, thousands of sites, -n 0 and -n 1). Each either works or
 * gets a clear error naming the file, in bounded time and memory, and a
 * refused run writes nothing. */
#include <dirent.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cliutil.h"
#include "fuzz/fuzz_common.h"

#define BASELINE "scenarios/mali-2020-baseline.yaml"

/* Peak memory any command of these tests may take (resident, KiB): none
 * needs more than a few hundred MB; the rest is room for sanitizer builds. */
#define MAX_RSS_KB (1536L << 10)

static int setup(void **state) {
  (void)state;
  return tu_make_dir("test-hostile");
}

static int teardown(void **state) {
  (void)state;
  return tu_remove_dir();
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Write len bytes to dir/name. */
static void put(const char *name, const void *data, size_t len) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *fp = fopen(path, "wb");
  assert_non_null(fp);
  assert_int_equal(fwrite(data, 1, len, fp), len);
  assert_int_equal(fclose(fp), 0);
}

static void put_text(const char *name, const char *text) {
  put(name, text, strlen(text));
}

/* No command so far took more than MAX_RSS_KB (the largest child's peak). */
static void assert_memory_bounded(void) {
  struct rusage ru;
  assert_int_equal(getrusage(RUSAGE_CHILDREN, &ru), 0);
  if (ru.ru_maxrss > MAX_RSS_KB) fail_msg("a command took %ld KiB of memory", ru.ru_maxrss);
}

/* `ddrsim validate FILE` refuses FILE with an input error naming it and
 * saying what: the output holds each of the needles. */
static void assert_refused(const char *file, const char *needle) {
  int rc = sh("%s validate %s", tu_bin(), file);
  if (rc != 3) fail_msg("validate %s: exit %d, expected 3 (invalid input): %s", file, rc, out);
  tu_assert_contains(out, file);
  tu_assert_contains(out, needle);
}

/* ---- the fuzzers' inputs ---- */

/* Load a regression input as the fuzz harness of its name did: scenario-*
 * as a scenario file lying in scenarios/ (so it may extend the shipped
 * ones), set-* as NUL-separated --set arguments on the baseline; then the
 * harnesses' own checks (fuzz_common.h): it fails with a clear error, or
 * it loads, its resolved text reads back as the same tree and, when small,
 * one replication runs. */
static void load_regression(const char *path, const char *name) {
  ddr_error err;
  ddr_scenario *scn = NULL;
  char as[1024];
  size_t len = 0;
  char *buf = tu_read_file(path, &len);
  ddr_status st;
  assert_non_null(buf);
  ddr_error_clear(&err);
  if (strncmp(name, "set-", 4) == 0) {
    const char *sets[8];
    size_t nsets = 0;
    for (size_t at = 0; at < len && nsets < 8; at += strlen(buf + at) + 1) sets[nsets++] = buf + at;
    snprintf(as, sizeof as, "%s/%s", tu_source_dir(), BASELINE);
    st = ddr_scenario_load(as, sets, nsets, &scn, &err);
  } else {
    snprintf(as, sizeof as, "%s/scenarios/%s", tu_source_dir(), name);
    st = ddr_scenario_load_string(as, buf, len, NULL, 0, &scn, &err);
  }
  fprintf(stderr, "%s\n", name); /* the checks below abort, naming the promise broken */
  if (st)
    fuzz_check_error(st, &err);
  else
    fuzz_exercise(scn);
  ddr_scenario_free(scn);
  free(buf);
}

static void test_fuzz_regressions(void **state) {
  (void)state;
  char path[1024];
  snprintf(path, sizeof path, "%s/tests/fuzz/regress", tu_source_dir());
  DIR *d = opendir(path);
  assert_non_null(d);
  size_t n = 0;
  for (struct dirent *e; (e = readdir(d));) {
    if (e->d_name[0] == '.') continue;
    if (strncmp(e->d_name, "scenario-", 9) && strncmp(e->d_name, "set-", 4))
      fail_msg("%s: a regression input is named scenario-* or set-*", e->d_name);
    snprintf(path, sizeof path, "%s/tests/fuzz/regress/%s", tu_source_dir(), e->d_name);
    load_regression(path, e->d_name);
    n++;
  }
  closedir(d);
  assert_true(n > 0);
}

/* ---- files that are not scenarios ---- */

static void test_not_scenarios(void **state) {
  (void)state;
  put_text("empty.yaml", "");
  assert_refused("empty.yaml", "expected a mapping, found an empty file");
  put_text("comments.yaml", "# nothing but a comment\n\n");
  assert_refused("comments.yaml", "expected a mapping, found an empty file");
  put_text("list.yaml", "- a\n- b\n");
  assert_refused("list.yaml", "expected a mapping at the top of the file, found a sequence");

  /* random bytes: a fixed generator, so the file is the same every time */
  unsigned char noise[4096];
  uint32_t x = 2531;
  for (size_t i = 0; i < sizeof noise; i++) {
    x = x * 1664525u + 1013904223u;
    noise[i] = (unsigned char)(x >> 24);
  }
  put("noise.yaml", noise, sizeof noise);
  assert_refused("noise.yaml", "binary file: contains a NUL byte, expected YAML text");
  for (size_t i = 0; i < sizeof noise; i++) noise[i] |= 0x80; /* no NUL: not UTF-8 either */
  put("noise-high.yaml", noise, sizeof noise);
  assert_refused("noise-high.yaml", "invalid UTF-8");
  put("utf16.yaml", "\xff\xfes\0c\0", 6);
  assert_refused("utf16.yaml", "expected UTF-8 text, found a UTF-16 byte order mark");

  assert_int_equal(sh("cp %s/docs/images/mali-2020-baseline.png picture.yaml", tu_source_dir()), 0);
  assert_refused("picture.yaml", "expected a YAML scenario, found a PNG image");
  /* a result file passed as a scenario (a run of -n 0 is quick to write) */
  assert_int_equal(sh("%s run %s/%s -n 0 -q -o result.h5", tu_bin(), tu_source_dir(), BASELINE), 0);
  assert_refused("result.h5", "expected a YAML scenario, found an HDF5 file");
  assert_int_equal(sh("%s validate .", tu_bin()), 4);
  tu_assert_contains(out, "cannot read: Is a directory");
  assert_int_equal(sh("%s validate missing.yaml", tu_bin()), 4);
  tu_assert_contains(out, "missing.yaml: cannot open: No such file or directory");
  assert_memory_bounded();
}

/* A parent that is not a file, which could be read forever, is refused. */
static void test_hostile_extends(void **state) {
  (void)state;
  put_text("zero.yaml", "extends: /dev/zero\n");
  assert_refused("zero.yaml", "zero.yaml:1:10: extends: expected the parent scenario /dev/zero to "
                              "be a file, found a character device");
  assert_int_equal(sh("rm -f fifo && mkfifo fifo"), 0);
  put_text("fifo.yaml", "extends: fifo\n");
  assert_refused("fifo.yaml", "found a pipe");
  put_text("dir.yaml", "extends: .\n");
  assert_refused("dir.yaml", "found a directory");
  put_text("self.yaml", "extends: self.yaml\n");
  assert_refused("self.yaml", "the chain of extends is a cycle");
}

/* Files past the 16 MiB limit are refused before they are read: a 200 MB
 * file (sparse, so quick to make) at once, an endless stream at the limit. */
static void test_huge_files(void **state) {
  (void)state;
  assert_int_equal(sh("truncate -s 200M huge.yaml"), 0);
  double t0 = now();
  assert_refused("huge.yaml", "file too large: 209715200 bytes, more than the limit of 16777216");
  assert_int_equal(sh("rm huge.yaml"), 0);
  int rc = sh("yes 'key: value' | %s validate /dev/stdin", tu_bin());
  assert_int_equal(rc, 3);
  tu_assert_contains(out, "/dev/stdin: file too large: more than the limit of 16777216 bytes");
  assert_true(now() - t0 < 20);
  assert_memory_bounded();
}

/* ---- YAML built to exhaust the reader ---- */

/* A file of text repeated n times between head and tail. */
static void put_repeated(const char *name, const char *head, const char *unit, size_t n,
                         const char *tail) {
  size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail);
  char *buf = malloc(hl + ul * n + tl);
  assert_non_null(buf);
  memcpy(buf, head, hl);
  for (size_t i = 0; i < n; i++) memcpy(buf + hl + i * ul, unit, ul);
  memcpy(buf + hl + ul * n, tail, tl);
  put(name, buf, hl + ul * n + tl);
  free(buf);
}

static void test_exhausting_yaml(void **state) {
  (void)state;
  double t0 = now();
  put_repeated("deep-seq.yaml", "a: ", "[", 100000, "\n");
  assert_refused("deep-seq.yaml", "nesting deeper than 64 levels");
  put_repeated("deep-map.yaml", "a: ", "{b: ", 100000, "\n");
  assert_refused("deep-map.yaml", "nesting deeper than 64 levels");
  put_repeated("deep-top.yaml", "", "[", 100000, "\n");
  assert_refused("deep-top.yaml", "found a sequence");
  put_repeated("deep-block.yaml", "a:\n", "  - ", 100000, "x\n");
  assert_refused("deep-block.yaml", "nesting deeper than 64 levels");
  /* billion laughs: each alias would multiply the one before by nine */
  put_text("laughs.yaml", "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
                          "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                          "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                          "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n");
  assert_refused("laughs.yaml", "anchors and aliases are not supported (found anchor &a)");
  put_repeated("aliases.yaml", "a: &x 1\nb: [*x", ", *x", 1000000, "]\n");
  assert_refused("aliases.yaml", "anchors and aliases are not supported");
  put_repeated("nodes.yaml", "a: [0", ", 0", 2000000, "]\n");
  assert_refused("nodes.yaml", "too many nodes: more than the limit of 1000000");
  put_repeated("keys.yaml", "scenario: {name: x}\n", "k: 1\n", 2, "");
  assert_refused("keys.yaml", "duplicate key \"k\" (first at line 2)");
  put_text("tags.yaml", "a: !!binary aGVsbG8=\n");
  assert_refused("tags.yaml", "explicit tags are not supported");
  put_text("docs.yaml", "a: 1\n---\na: 2\n");
  assert_refused("docs.yaml", "more than one document");
  put_text("nul-escape.yaml", "scenario: {name: \"a\\0b\"}\n");
  assert_refused("nul-escape.yaml", "a string contains a NUL character");
  if (now() - t0 > 20) fail_msg("hostile YAML took %.1f s", now() - t0);
  assert_memory_bounded();
}

/* ---- numbers ---- */

static void test_numbers(void **state) {
  (void)state;
  static const struct {
    const char *set, *needle;
  } cases[] = {
      {"initial[0].count=1e30", "initial[0].count: expected a whole number >= 0 of at most "
                                "1000000000, found \"1e30\""},
      {"groups.cma.size=99999999999999999999", "groups.cma.size: expected a whole number >= 0 of "
                                               "at most 1000000000, found "
                                               "\"99999999999999999999\""},
      {"groups.cma.size=.nan", "groups.cma.size: expected a whole number >= 0 or a distribution"},
      {"groups.cma.size=.inf", "groups.cma.size: expected a whole number >= 0 or a distribution"},
      {"groups.cma.size=-5", "groups.cma.size: expected a whole number >= 0, found \"-5\""},
      {"nodes.registration.rate_per_week=-.inf", "expected a number >= 0 or a distribution"},
      {"nodes.registration.rate_per_week=1e308", "expected at most 1e+08"},
      {"nodes.registration.rate_per_week={dist: uniform, min: 0, max: .inf}", "rate_per_week"},
      {"nodes.cantonment.duration_days={dist: normal, mean: 1e308, sd: 1e308}",
       "which can take values outside that range"},
      {"nodes.cantonment.duration_days={dist: lognormal, median: 42, p90: 1e308}",
       "stays can exceed 20 years"},
      {"targets.integrated-3000-2022.at_least=.nan", "at_least: expected a number, found \".nan\""},
      {"nodes.training.centres.national.seats=2147483648",
       "expected a whole number >= 1 of at most"},
      {"nodes.training.centres.national.course_weeks=1e9", "expected at most 1040"},
      {"nodes.cantonment.attrition_per_week=1.5", "expected a probability in [0, 1]"},
      {"nodes.screening.branches.training=-0.1", "expected a probability in [0, 1]"},
      {"calendar.end=9999-12-31", "expected a horizon of at most 200 years"},
      {"calendar.end=2020-02-30", "expected a date YYYY-MM-DD, found \"2020-02-30\""},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int rc = sh("%s validate %s/%s --set '%s'", tu_bin(), tu_source_dir(), BASELINE, cases[i].set);
    if (rc != 3) fail_msg("--set %s: exit %d, expected 3: %s", cases[i].set, rc, out);
    tu_assert_contains(out, "ddrsim: --set:1:");
    tu_assert_contains(out, cases[i].needle);
  }
  /* a key path too long to hold is refused, not cut short */
  assert_int_equal(sh("%s validate %s/%s --set \"groups.$(printf 'a%%.0s' $(seq 300)).size=5\"",
                      tu_bin(), tu_source_dir(), BASELINE),
                   2);
  tu_assert_contains(out, "--set: expected a key path of at most 255 characters, found 312");
  /* the same in a file: the error names it, with line and column */
  put_text("count.yaml", "extends: SRC/" BASELINE "\ninitial:\n  - {node: vetting, count: 1e30}\n");
  assert_int_equal(sh("sed -i 's|SRC|%s|' count.yaml", tu_source_dir()), 0);
  assert_refused("count.yaml", "count.yaml:3:28: initial[0].count: expected a whole number >= 0 of "
                               "at most 1000000000, found \"1e30\"");
  /* -n that are not a number of replications: usage errors, nothing written */
  static const char *const bad_n[] = {"-1",         "1e30", "99999999999999999999",
                                      "4000000001", "abc",  ""};
  for (size_t i = 0; i < sizeof bad_n / sizeof bad_n[0]; i++) {
    assert_int_equal(
        sh("%s run %s/%s -n '%s' -q -o bad-n.h5", tu_bin(), tu_source_dir(), BASELINE, bad_n[i]),
        2);
    tu_assert_contains(out, "-n expects a number of replications (0 to 4e9)");
    assert_false(tu_exists("bad-n.h5"));
  }
}

/* ---- absurd but valid scenarios ---- */

/* -n 0 writes a file of no replications: summary says nothing can be said,
 * plot and report refuse it clearly; -n 1 runs (its interval is as wide as
 * one replication allows). */
static void test_zero_and_one_replication(void **state) {
  (void)state;
  assert_int_equal(sh("%s run %s/%s -n 0 -q -o zero.h5", tu_bin(), tu_source_dir(), BASELINE), 0);
  assert_int_equal(sh("%s summary zero.h5", tu_bin()), 0);
  tu_assert_contains(out, "0 replications, seed 2531");
  tu_assert_contains(out, "no replications: nothing can be said");
  assert_null(strstr(out, "nan"));
  assert_int_equal(sh("%s summary zero.h5 --format json", tu_bin()), 0);
  tu_assert_contains(out, "\"probability\": null");
  assert_int_equal(sh("%s plot zero.h5 -o zero.svg", tu_bin()), 3);
  tu_assert_contains(out, "zero.h5 holds no replications to plot");
  assert_false(tu_exists("zero.svg"));
  assert_int_equal(sh("%s report zero.h5 -o zero.html", tu_bin()), 3);
  tu_assert_contains(out, "zero.h5 holds no replications to report on");
  assert_false(tu_exists("zero.html"));

  assert_int_equal(sh("%s run %s/%s -n 1 -q -o one.h5", tu_bin(), tu_source_dir(), BASELINE), 0);
  assert_int_equal(sh("%s summary one.h5", tu_bin()), 0);
  tu_assert_contains(out, "1 replications, seed 2531");
  tu_assert_contains(out, "[95% interval 0.000-0.793]");
  assert_int_equal(sh("%s plot one.h5 -o one.svg", tu_bin()), 0);
}

/* Fifty years by day: a small scenario runs; the baseline's histograms
 * would need 3 GB and the run is refused after its first batch, saying so,
 * writing nothing; two hundred years by day exceeds the cell limit and is
 * refused when read, with the memory it would need. */
static void test_fifty_years_by_day(void **state) {
  (void)state;
  put_text("centre.yaml", TU_CENTRE);
  assert_int_equal(sh("%s run centre.yaml --set calendar.step=day --set calendar.end=2070-12-31 "
                      "-n 20 -q -o centre.h5",
                      tu_bin()),
                   0);
  assert_int_equal(sh("%s summary centre.h5", tu_bin()), 0);
  tu_assert_contains(out, "probability met: 1.000");

  const char *days = "--set calendar.step=day --set calendar.end=2070-06-30";
  assert_int_equal(sh("%s validate %s/%s %s", tu_bin(), tu_source_dir(), BASELINE, days), 0);
  tu_assert_contains(out, "18262 daily steps from 2020-07-01 to 2070-06-30");
  int rc =
      sh("%s run %s/%s %s -n 100 -j 1 -q -o days.h5", tu_bin(), tu_source_dir(), BASELINE, days);
  assert_int_equal(rc, 6);
  tu_assert_contains(out, "mali-2020-baseline.yaml: exact summaries would need");
  tu_assert_contains(out, "GB: values spread too widely");
  assert_false(tu_exists("days.h5"));
  assert_int_equal(sh("ls -A | grep -c tmp || true"), 0);
  assert_int_equal(atoi(out), 0);

  rc = sh("%s run %s/%s --set calendar.step=day --set calendar.end=2220-06-01 -q -o long.h5",
          tu_bin(), tu_source_dir(), BASELINE);
  assert_int_equal(rc, 3);
  tu_assert_contains(out, "--set:1:1: calendar: expected at most 4194304 metric values per "
                          "replication (metrics x steps), found 73 metrics x 73019 daily steps = "
                          "5330387, which would need about 1.1 GB of memory; use weekly steps");
  assert_false(tu_exists("long.h5"));
  assert_memory_bounded();
}

static void test_million_people(void **state) {
  (void)state;
  assert_int_equal(sh("%s run %s/%s --set groups.cma.size=1000000 "
                      "--set nodes.registration.rate_per_week=20000 -n 20 -q -o million.h5",
                      tu_bin(), tu_source_dir(), BASELINE),
                   0);
  assert_int_equal(sh("%s summary million.h5 --format csv", tu_bin()), 0);
  /* a billion is the limit of a count; more is refused */
  assert_int_equal(
      sh("%s validate %s/%s --set groups.cma.size=1000000001", tu_bin(), tu_source_dir(), BASELINE),
      3);
  tu_assert_contains(out, "of at most 1000000000, found \"1000000001\"");
}

/* A chain of stages: n of them, each with `sites` sites (none when 0). */
static void put_chain(const char *name, int n, int sites, const char *step) {
  size_t cap = 256 + (size_t)n * (160 + 32 * (size_t)sites), len = 0;
  char *buf = malloc(cap);
  assert_non_null(buf);
  len += (size_t)snprintf(buf + len, cap - len,
                          "scenario: {name: chain}\n"
                          "calendar: {start: 2021-01-04, end: 2025-12-31, step: %s}\n"
                          "groups: [{id: a, size: 5000}]\n"
                          "nodes:\n"
                          "  - {id: in, type: intake, rate_per_week: 100, to: s1}\n",
                          step);
  for (int i = 1; i <= n; i++) {
    char next[32];
    snprintf(next, sizeof next, i < n ? "s%d" : "done", i + 1);
    len += (size_t)snprintf(buf + len, cap - len,
                            "  - id: s%d\n    type: stage\n    duration_days: {dist: uniform, "
                            "min: 1, max: 14}\n    to: %s\n",
                            i, next);
    if (sites) len += (size_t)snprintf(buf + len, cap - len, "    sites:\n");
    for (int j = 0; j < sites; j++)
      len += (size_t)snprintf(buf + len, cap - len, "      - {id: x%d, capacity: 50}\n", j);
  }
  len += (size_t)snprintf(buf + len, cap - len,
                          "  - {id: done, type: sink}\n"
                          "targets: [{id: all, metric: done.count, at_least: 4000, by: "
                          "2025-06-30}]\n");
  put(name, buf, len);
  free(buf);
}

static void test_hundred_stages(void **state) {
  (void)state;
  put_chain("hundred.yaml", 100, 0, "week");
  assert_int_equal(sh("%s validate hundred.yaml", tu_bin()), 0);
  tu_assert_contains(out, "hundred.yaml: ok: scenario chain, 261 weekly steps");
  assert_int_equal(sh("%s run hundred.yaml -n 20 -q -o hundred.h5", tu_bin()), 0);
  assert_int_equal(sh("%s summary hundred.h5", tu_bin()), 0);
  tu_assert_contains(out, "20 replications");
}

/* Wide scenarios read in bounded time: 998 stages of 64 sites each (the
 * limits of both) are read and refused for their size; more centres or
 * targets than allowed are refused at once (100,000 of either took minutes). */
static void test_wide_scenarios(void **state) {
  (void)state;
  double t0 = now();
  put_chain("grid.yaml", 998, 64, "week");
  assert_refused("grid.yaml", "calendar: expected at most 4194304 metric values per replication "
                              "(metrics x steps), found 131739 metrics x 261 weekly steps");
  put_chain("grid-400.yaml", 400, 8, "week");
  assert_int_equal(sh("%s validate grid-400.yaml", tu_bin()), 0);
  tu_assert_contains(out, "grid-400.yaml: ok");

  put_repeated("centres.yaml",
               "scenario: {name: c}\ncalendar: {start: 2021-01-04, end: 2021-12-31}\n"
               "groups: [{id: a, size: 1}]\nnodes:\n"
               "  - {id: in, type: intake, rate_per_week: 1, to: t}\n"
               "  - id: t\n    type: training\n    to: done\n    centres:\n",
               "      - {seats: 5, course_weeks: 2, id: c}\n", 5000,
               "  - {id: done, type: sink}\n");
  assert_refused("centres.yaml", "centres.yaml:10:7: nodes.t.centres: expected 1 to 64 centres, "
                                 "found 5000");
  put_repeated("targets.yaml",
               "scenario: {name: c}\ncalendar: {start: 2021-01-04, end: 2021-12-31}\n"
               "groups: [{id: a, size: 1}]\nnodes:\n"
               "  - {id: in, type: intake, rate_per_week: 1, to: done}\n"
               "  - {id: done, type: sink}\ntargets:\n",
               "  - {metric: done.count, at_least: 1, by: 2021-06-30, id: t}\n", 5000, "");
  assert_refused("targets.yaml", "targets.yaml:8:3: targets: expected at most 1000 targets, "
                                 "found 5000");
  if (now() - t0 > 30) fail_msg("wide scenarios took %.1f s", now() - t0);
  assert_memory_bounded();
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_fuzz_regressions),         cmocka_unit_test(test_not_scenarios),
      cmocka_unit_test(test_hostile_extends),          cmocka_unit_test(test_huge_files),
      cmocka_unit_test(test_exhausting_yaml),          cmocka_unit_test(test_numbers),
      cmocka_unit_test(test_zero_and_one_replication), cmocka_unit_test(test_fifty_years_by_day),
      cmocka_unit_test(test_million_people),           cmocka_unit_test(test_hundred_stages),
      cmocka_unit_test(test_wide_scenarios),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

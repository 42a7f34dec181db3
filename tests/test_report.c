/* End to end: `ddrsim report`. The HTML brief of short runs of the shipped
 * scenarios holds its sections and pictures, loads nothing from anywhere,
 * parses as HTML and says the numbers of `summary` and `compare`
 * (tests/report_check.py); the Markdown brief writes its pictures beside it
 * and references them relatively; several files give the comparison, said
 * unpaired when the runs cannot be paired; an existing brief is never
 * replaced without --force; bad input gets a clear error. */
#include <sys/stat.h>
#include <unistd.h>

#include "cliutil.h"

static int exists(const char *name) {
  char path[512];
  struct stat st;
  snprintf(path, sizeof path, "%s/%s", dir, name);
  return stat(path, &st) == 0;
}

/* report_check.py with arguments; fails the test with its message. */
static void check(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void check(const char *fmt, ...) {
  char args[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(args, sizeof args, fmt, ap);
  va_end(ap);
  if (sh("/usr/bin/python3 %s/tests/report_check.py %s", tu_source_dir(), args) != 0)
    fail_msg("report_check.py %s: %s", args, out);
  tu_assert_contains(out, "ok report");
}

/* Fail unless the file of the test directory holds the text. */
static void assert_file_contains(const char *name, const char *needle) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  char *text = tu_read_file(path, NULL);
  if (!text) fail_msg("no %s", name);
  if (!strstr(text, needle)) {
    free(text);
    fail_msg("expected \"%s\" in %s", needle, name);
  }
  free(text);
}

/* Nothing temporary is left in the test directory. */
static void assert_no_temporaries(void) {
  assert_int_equal(sh("ls -A . out 2>/dev/null | grep -c 'tmp' || true"), 0);
  assert_int_equal(atoi(out), 0);
}

/* Short runs of the shipped scenarios, shared by every test, with their
 * summaries as JSON. */
static int setup(void **state) {
  (void)state;
  if (tu_make_dir("test-report")) return -1;
  static const char *const runs[] = {
      "mali-2020-baseline.yaml -n 120 --store full -o base.h5",
      "mali-2020-second-centre.yaml -n 120 --store full -o centre.h5",
      "mali-2020-second-centre.yaml -n 120 -o centre-summary.h5",
      "mali-2020-second-centre.yaml -n 120 -s 7 -o seed7.h5",
      "mali-2020-redeployment.yaml -n 120 -o redeploy.h5",
  };
  if (tu_run_shipped(runs, sizeof runs / sizeof *runs)) return -1;
  static const char *const files[] = {"base", "centre", "seed7", "redeploy"};
  for (size_t i = 0; i < sizeof files / sizeof *files; i++)
    if (sh("%s summary %s.h5 --format json > %s.json", tu_bin(), files[i], files[i]) != 0)
      return -1;
  return 0;
}

static int teardown(void **state) {
  (void)state;
  return tu_remove_dir();
}

/* One file: its sections, a fan chart, a dates chart per target and the
 * bottlenecks (4 pictures), the summary's numbers, nothing external. */
static void test_html_one_file(void **state) {
  (void)state;
  assert_int_equal(sh("%s report base.h5 -o one.html", tu_bin()), 0);
  assert_string_equal(out, "one.html\n");
  check("one.html 4 base.json --headings 'mali-2020-baseline|Forecast|integrated.count over "
        "time|When each target is reached|Where people wait|Provenance'");
  assert_file_contains("one.html", "<style>");
  assert_file_contains("one.html", "@media print");
  assert_file_contains("one.html", "size: A4");
  assert_file_contains("one.html", "<section class=\"sheet\">");
  assert_file_contains("one.html", "Accelerated DDR-integration in Mali from 1 July 2020");
  assert_file_contains("one.html", "training: longest queue ");
  /* provenance: file, scenario file, seed, replications, version, run date, host */
  assert_file_contains("one.html", "<td>base.h5</td>");
  assert_file_contains("one.html", "/scenarios/mali-2020-baseline.yaml</td>");
  assert_file_contains("one.html", "<td>2531</td>");
  assert_file_contains("one.html", "<td>120</td>");
  assert_file_contains("one.html", "by ddrsim 0.1.0 from these files");
  /* the pictures' ids are their own: no two pictures define gpPt0 */
  assert_int_equal(sh("grep -o \"id='f[0-9]*-gpPt0'\" one.html | sort | uniq -d | wc -l"), 0);
  assert_int_equal(atoi(out), 0);
  assert_no_temporaries();
}

/* The redeployment plan: its timeline, and no dates chart per region. */
static void test_html_redeployment(void **state) {
  (void)state;
  assert_int_equal(sh("%s report redeploy.h5 -o r.html", tu_bin()), 0);
  /* fans: redeployment.deployed, integrated.count; dates: plan-50 and the
   * two integrated targets; bottlenecks; the timeline */
  check("r.html 7 redeploy.json --headings 'Redeployment|redeployment.deployed over time'");
}

static void test_html_compare(void **state) {
  (void)state;
  /* paired and stored full: compare chart, table, paired-difference chart,
   * then each run's 4 pictures */
  assert_int_equal(sh("%s compare base.h5 centre.h5 --format json > c.json", tu_bin()), 0);
  assert_int_equal(sh("%s report base.h5 centre.h5 -o two.html", tu_bin()), 0);
  check("two.html 10 base.json centre.json --compare c.json --headings 'Comparison|A: "
        "mali-2020-baseline|B: mali-2020-second-centre|Forecast of B: mali-2020-second-centre'");
  assert_file_contains("two.html",
                       "The runs pair: they share the seed (2531), the number of replications "
                       "(120)");
  assert_file_contains("two.html",
                       "<title>mali-2020-baseline compared with mali-2020-second-centre");
  /* without the series: no paired-difference chart, and why */
  assert_int_equal(sh("%s report base.h5 centre-summary.h5 -o two-summary.html", tu_bin()), 0);
  check("two-summary.html 9 base.json centre.json --compare c.json");
  assert_file_contains("two-summary.html",
                       "No paired-difference chart: it needs each replication&#39;s series, "
                       "which only runs stored with --store full keep.");
}

/* Runs that cannot be paired are compared as independent samples, and the
 * brief says so. */
static void test_html_unpaired(void **state) {
  (void)state;
  assert_int_equal(sh("%s compare base.h5 seed7.h5 --unpaired --format json > u.json", tu_bin()),
                   0);
  assert_int_equal(sh("%s report base.h5 seed7.h5 -o unpaired.html", tu_bin()), 0);
  check("unpaired.html 9 base.json seed7.json --compare u.json");
  assert_file_contains("unpaired.html",
                       "These runs cannot be paired: base.h5 and seed7.h5: they were run with "
                       "different seeds (2531 and 7). They are compared as independent "
                       "samples, as ddrsim compare --unpaired does");
  assert_file_contains("unpaired.html", ">not paired</td>");
  assert_file_contains("unpaired.html", "No paired-difference chart: the runs cannot be paired.");
}

static void test_markdown(void **state) {
  (void)state;
  assert_int_equal(sh("mkdir -p out && %s report base.h5 centre.h5 -o out/brief.md", tu_bin()), 0);
  tu_assert_contains(out, "out/brief.md\nout/brief-images/\n");
  assert_int_equal(sh("ls out/brief-images | wc -l"), 0);
  assert_int_equal(atoi(out), 10);
  /* every picture referenced relatively, each a PNG that exists */
  assert_int_equal(sh("grep -o '](brief-images/[^)]*)' out/brief.md | wc -l"), 0);
  assert_int_equal(atoi(out), 10);
  assert_int_equal(sh("cd out && for f in $(grep -o '](brief-images/[^)]*)' brief.md | "
                      "tr -d '()]'); do head -c 4 $f | tail -c 3; echo; done | sort | uniq -c"),
                   0);
  tu_assert_contains(out, "10 PNG");
  assert_int_equal(sh("grep -c '](/' out/brief.md || true"), 0);
  assert_int_equal(atoi(out), 0);
  assert_file_contains("out/brief.md",
                       "# mali-2020-baseline compared with mali-2020-second-centre\n");
  assert_file_contains("out/brief.md", "## Comparison\n");
  assert_file_contains("out/brief.md",
                       "| Target | Probability met by the deadline \\[95% interval\\] |");
  assert_file_contains("out/brief.md", "- `integrated-3000-2022`: There is a");
  assert_file_contains("out/brief.md", "## Provenance\n");
  assert_no_temporaries();
}

static void test_french(void **state) {
  (void)state;
  assert_int_equal(sh("%s report base.h5 --lang fr -o fr.html", tu_bin()), 0);
  check("fr.html 4 base.json --french --headings 'Prévision|Quand chaque cible est atteinte|Où les "
        "gens "
        "attendent|Provenance'");
  assert_file_contains("fr.html", "<html lang=\"fr\">");
  assert_file_contains("fr.html",
                       "La probabilité que la cible « At least 3,000 integrated into the FDSM "
                       "by mid-2022 » soit atteinte au 30 juin 2022 est de ");
  assert_file_contains("fr.html", "juil.");
}

/* Never clobbered without --force; replaced with it; no temporary left. */
static void test_no_clobber(void **state) {
  (void)state;
  assert_int_equal(sh("echo keep > kept.html && %s report base.h5 -o kept.html", tu_bin()), 5);
  tu_assert_contains(out, "kept.html exists: nothing was written (use --force to replace it)");
  assert_int_equal(sh("cat kept.html"), 0);
  assert_string_equal(out, "keep\n");
  assert_int_equal(sh("%s report base.h5 -o kept.html --force", tu_bin()), 0);
  assert_int_equal(sh("head -c 15 kept.html"), 0);
  assert_string_equal(out, "<!DOCTYPE html>");
  /* Markdown: the brief or its pictures' folder */
  assert_int_equal(sh("mkdir -p m/b-images && %s report base.h5 -o m/b.md", tu_bin()), 5);
  tu_assert_contains(out, "m/b-images exists: nothing was written");
  assert_false(exists("m/b.md"));
  assert_int_equal(sh("%s report base.h5 -o m/b.md --force", tu_bin()), 0);
  assert_int_equal(sh("%s report base.h5 -o m/b.md", tu_bin()), 5);
  tu_assert_contains(out, "m/b.md exists: nothing was written");
  assert_int_equal(
      sh("%s report base.h5 centre.h5 -o m/b.md --force >/dev/null && ls m/b-images | wc -l",
         tu_bin()),
      0);
  assert_int_equal(atoi(out), 10); /* the old pictures replaced, not mixed in */
  assert_int_equal(sh("ls -A m | grep -c tmp || true"), 0);
  assert_int_equal(atoi(out), 0);
  assert_no_temporaries();
}

static void test_errors(void **state) {
  (void)state;
  assert_int_equal(sh("echo hello > text.h5 && %s report text.h5 -o e.html", tu_bin()), 3);
  tu_assert_contains(out, "text.h5 is not an HDF5 file");
  assert_int_equal(sh("%s report base.h5 missing.h5 -o e.html", tu_bin()), 4);
  tu_assert_contains(out, "missing.h5");
  assert_int_equal(sh("%s report base.h5 -o e.pdf", tu_bin()), 2);
  tu_assert_contains(out, "cannot tell the format of \"e.pdf\": name it .html or .md");
  assert_int_equal(sh("%s report base.h5 -o nodir/e.html", tu_bin()), 4);
  tu_assert_contains(out, "cannot write nodir/e.html");
  assert_int_equal(sh("%s report base.h5 --lang de", tu_bin()), 2);
  tu_assert_contains(out, "unknown language \"de\" (languages: en, fr)");
  assert_int_equal(sh("%s report", tu_bin()), 2);
  tu_assert_contains(out, "expected a result file");
  assert_int_equal(sh("PATH=/nonexistent %s report base.h5 -o nognuplot.html", tu_bin()), 4);
  tu_assert_contains(out, "gnuplot-nox");
  assert_false(exists("e.html") || exists("nognuplot.html"));
  assert_no_temporaries();
  assert_int_equal(sh("%s report --help", tu_bin()), 0);
  tu_assert_contains(out, "--lang LANG");
  tu_assert_contains(out, "--force");
  tu_assert_contains(out, "NAME-images");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_html_one_file), cmocka_unit_test(test_html_redeployment),
      cmocka_unit_test(test_html_compare),  cmocka_unit_test(test_html_unpaired),
      cmocka_unit_test(test_markdown),      cmocka_unit_test(test_french),
      cmocka_unit_test(test_no_clobber),    cmocka_unit_test(test_errors),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

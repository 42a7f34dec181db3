/* End to end: every kind of `ddrsim plot` from real runs of the shipped
 * scenarios, in each format, at the expected size, without a gnuplot
 * warning; the data beside the pictures checked against the result files
 * (with h5py and numpy); the refusals and the error for a missing gnuplot. */
#include <sys/stat.h>
#include <unistd.h>

#include "cliutil.h"

static int exists(const char *name) {
  char path[512];
  struct stat st;
  snprintf(path, sizeof path, "%s/%s", dir, name);
  return stat(path, &st) == 0;
}

/* Short runs of the shipped scenarios, shared by every test. */
static int setup(void **state) {
  (void)state;
  if (tu_make_dir("test-plots")) return -1;
  static const char *const runs[] = {
      "mali-2020-baseline.yaml -n 150 --store full -o base.h5",
      "mali-2020-second-centre.yaml -n 150 --store full -o centre.h5",
      "mali-2020-redeployment.yaml -n 150 -o redeploy.h5",
      "ostland-fictional.yaml -n 150 -o ostland.h5",
      "mali-2020-baseline.yaml -n 150 -o summary-only.h5",
      "mali-2020-baseline.yaml -n 150 -s 7 --store full -o seed7.h5",
      "mali-2020-baseline.yaml -n 100 --store full -o n100.h5",
  };
  if (tu_run_shipped(runs, sizeof runs / sizeof *runs)) return -1;
  return 0;
}

static int teardown(void **state) {
  (void)state;
  return tu_remove_dir();
}

/* Width and height from a PNG's IHDR chunk. */
static void png_size(const char *name, unsigned *w, unsigned *h) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  size_t len = 0;
  unsigned char *b = (unsigned char *)tu_read_file(path, &len);
  if (!b) fail_msg("no %s", name);
  assert_true(len > 24 && memcmp(b + 1, "PNG", 3) == 0);
  *w = (unsigned)b[16] << 24 | (unsigned)b[17] << 16 | (unsigned)b[18] << 8 | b[19];
  *h = (unsigned)b[20] << 24 | (unsigned)b[21] << 16 | (unsigned)b[22] << 8 | b[23];
  free(b);
}

/* Draw one picture in the three formats: a PNG of w x h pixels, an SVG that
 * parses as XML with the same proportions, a whole PDF. args names the
 * output with the placeholder OUT. */
static void draw_all(const char *files, const char *args, unsigned w, unsigned h) {
  static const char *const ext[] = {"png", "svg", "pdf"};
  for (int i = 0; i < 3; i++) {
    int rc = sh("%s plot %s %s -o pic.%s", tu_bin(), files, args, ext[i]);
    if (rc != 0) fail_msg("ddrsim plot %s %s -o pic.%s: %s", files, args, ext[i], out);
  }
  unsigned pw, ph;
  png_size("pic.png", &pw, &ph);
  if (pw != w || ph != h) fail_msg("%s %s: PNG %ux%u, expected %ux%u", files, args, pw, ph, w, h);
  assert_int_equal(sh("/usr/bin/python3 -c \"import xml.dom.minidom as m; "
                      "s = m.parse('pic.svg').documentElement; "
                      "print(s.getAttribute('viewBox'))\""),
                   0);
  unsigned sw = 0, shh = 0;
  assert_int_equal(sscanf(out, "0 0 %u %u", &sw, &shh), 2);
  assert_int_equal(sw, w * 5 / 7);
  assert_int_equal(shh, h * 5 / 7);
  assert_int_equal(sh("head -c 5 pic.pdf; tail -c 7 pic.pdf | tr -d '\\n\\r'"), 0);
  tu_assert_contains(out, "%PDF-");
  tu_assert_contains(out, "%%EOF");
  assert_int_equal(sh("ls -A | grep -c 'tmp' || true"), 0);
  assert_int_equal(atoi(out), 0); /* nothing left behind */
}

/* A kept script redraws its picture, and gnuplot says nothing doing so. */
static void assert_quiet_script(const char *gp) {
  int rc = sh("gnuplot %s", gp);
  if (rc != 0 || out[0]) fail_msg("gnuplot %s: exit %d, said \"%s\"", gp, rc, out);
}

static void test_fan(void **state) {
  (void)state;
  draw_all("base.h5", "", 1400, 800);
  assert_int_equal(sh("%s plot base.h5 -o fan.png --keep-script", tu_bin()), 0);
  assert_true(exists("fan.gp") && exists("fan.dat"));
  char *gp = tu_read_source("plots/fan.gp");
  free(gp);
  assert_int_equal(sh("cat fan.gp"), 0);
  tu_assert_contains(out, "P(≥3,000 by 30 Jun 2022) = 0.");
  tu_assert_contains(out, "P(≥3,000 by 30 Jun 2021) = 0.");
  tu_assert_contains(out, "'mali-2020-baseline: integrated.count'");
  tu_assert_contains(out, "seed 2531, 150 replications, ddrsim 0.1.0, run ");
  tu_assert_contains(out, "/scenarios/mali-2020-baseline.yaml");
  /* the band edges are the stored quantiles */
  int rc = sh("/usr/bin/python3 %s/tests/plot_check.py fan base.h5 fan.dat integrated.count",
              tu_source_dir());
  if (rc) fail_msg("plot_check.py: %s", out);
  assert_quiet_script("fan.gp");
  /* a deadline on the horizon's last day is labelled left of its line */
  assert_int_equal(
      sh("%s plot redeploy.h5 -m redeployment.deployed -o edge.png --keep-script", tu_bin()), 0);
  assert_int_equal(sh("grep \"'30 Jun 2023' at\" edge.gp"), 0);
  tu_assert_contains(out, "right offset character -0.4");
  assert_int_equal(sh("%s plot base.h5 -m nope.count", tu_bin()), 3);
  tu_assert_contains(out, "base.h5 has no metric \"nope.count\"");
}

static void test_dates(void **state) {
  (void)state;
  draw_all("base.h5", "-k dates -t integrated-3000-2022", 1400, 800);
  assert_int_equal(
      sh("%s plot base.h5 -k dates -t integrated-3000-2022 -o dates.png --keep-script", tu_bin()),
      0);
  int rc = sh("/usr/bin/python3 %s/tests/plot_check.py dates base.h5 dates.dat "
              "integrated-3000-2022",
              tu_source_dir());
  if (rc) fail_msg("plot_check.py: %s", out);
  tu_assert_contains(out, "share reached at the P50 date");
  assert_quiet_script("dates.gp");
  assert_int_equal(sh("grep -c 'P50: \\|P80: ' dates.gp"), 0);
  assert_int_equal(atoi(out), 2);
  assert_int_equal(sh("%s plot base.h5 -k dates -t nope", tu_bin()), 3);
  tu_assert_contains(out, "base.h5 has no target \"nope\" (it has integrated-3000-mandate, ");
}

static void test_compare(void **state) {
  (void)state;
  draw_all("base.h5 centre.h5", "", 1400, 800);
  draw_all("base.h5 centre.h5 seed7.h5", "-k compare -m training.queue", 1400, 830);
  assert_int_equal(sh("%s plot base.h5 centre.h5 -o cmp.png --keep-script -t "
                      "integrated-3000-2022",
                      tu_bin()),
                   0);
  assert_int_equal(sh("cat cmp.gp"), 0);
  tu_assert_contains(out, "title 'mali-2020-baseline'");
  tu_assert_contains(out, "title 'mali-2020-second-centre'");
  tu_assert_contains(out, "P(≥3,000 by 30 Jun 2022) of each run:");
  assert_quiet_script("cmp.gp");
  /* two runs of one scenario are told apart by their files */
  assert_int_equal(sh("%s plot base.h5 summary-only.h5 -o same.png --keep-script", tu_bin()), 0);
  assert_int_equal(sh("cat same.gp"), 0);
  tu_assert_contains(out, "'mali-2020-baseline (summary-only.h5)'");
}

static void test_difference(void **state) {
  (void)state;
  draw_all("base.h5 centre.h5", "-k difference", 1400, 800);
  draw_all("base.h5 centre.h5 base.h5", "-k difference", 1400, 1030);
  /* a run against itself: every difference is zero */
  assert_int_equal(sh("%s plot base.h5 base.h5 -k difference -o self.png --keep-script", tu_bin()),
                   0);
  assert_int_equal(sh("grep -v '^#' self.dat | cut -d, -f2- | sort -u"), 0);
  assert_string_equal(out, "0,0,0,0,0,0\n");
  assert_quiet_script("self.gp");
  assert_int_equal(sh("%s plot base.h5 seed7.h5 -k difference", tu_bin()), 3);
  tu_assert_contains(out, "cannot pair seed7.h5 with base.h5: they were run with different "
                          "seeds (7 and 2531)");
  tu_assert_contains(out, "--seed 2531");
  assert_int_equal(sh("%s plot base.h5 n100.h5 -k difference", tu_bin()), 3);
  tu_assert_contains(out, "different numbers of replications (100 and 150)");
  assert_int_equal(sh("%s plot base.h5 summary-only.h5 -k difference", tu_bin()), 3);
  tu_assert_contains(out, "summary-only.h5 holds no per-replication series, which a paired "
                          "difference needs: rerun it with --store full");
  assert_int_equal(sh("%s plot base.h5 -k difference", tu_bin()), 2);
  tu_assert_contains(out, "needs two result files or more");
}

static void test_bottlenecks(void **state) {
  (void)state;
  draw_all("base.h5", "-k bottlenecks", 1400, 260 + 310 * 3);    /* cantonment, vetting, training */
  draw_all("ostland.h5", "-k bottlenecks", 1400, 260 + 310 * 4); /* and a second training */
  assert_int_equal(sh("%s plot base.h5 -k bottlenecks -o b.png --keep-script", tu_bin()), 0);
  assert_int_equal(sh("cat b.gp"), 0);
  tu_assert_contains(out, "'cantonment: people (median and 80%)'");
  tu_assert_contains(out, "title 'gao-1'");
  tu_assert_contains(out, "title 'national'");
  tu_assert_contains(out, "Longest median queue: ");
  assert_quiet_script("b.gp");
}

static void test_redeployment(void **state) {
  (void)state;
  draw_all("redeploy.h5", "-k redeployment", 1400, 300 + 85 * 5);
  assert_int_equal(sh("%s plot redeploy.h5 -k redeployment -o r.png --keep-script", tu_bin()), 0);
  assert_int_equal(sh("cat r.gp"), 0);
  tu_assert_contains(out, "'Ménaka (2 units)'");
  tu_assert_contains(out, "'Whole plan (12 units)'");
  assert_int_equal(sh("grep -c '^[0-9],redeployment-' r.dat"), 0);
  assert_int_equal(atoi(out), 5);
  assert_quiet_script("r.gp");
  assert_int_equal(sh("%s plot base.h5 -k redeployment", tu_bin()), 3);
  tu_assert_contains(out, "base.h5 has no redeployment plan (targets redeployment-<region>)");
}

static void test_french(void **state) {
  (void)state;
  assert_int_equal(sh("%s plot base.h5 --lang fr -o fr.svg", tu_bin()), 0);
  assert_int_equal(sh("cat fr.svg"), 0);
  tu_assert_contains(out, "juil.");
  tu_assert_contains(out, "janv.");
  tu_assert_contains(out, "au 30 juin 2022) = 0,");
  tu_assert_contains(out, "3\u202f000"); /* thousands: a narrow no-break space */
  tu_assert_contains(out, "réplications");
  assert_int_equal(sh("%s plot redeploy.h5 --lang fr -k redeployment -o fr2.svg", tu_bin()), 0);
  assert_int_equal(sh("cat fr2.svg"), 0);
  tu_assert_contains(out, "Ensemble du plan (12 unités)");
  assert_int_equal(sh("%s plot base.h5 --lang de", tu_bin()), 2);
  tu_assert_contains(out, "unknown language \"de\" (languages: en, fr)");
}

static void test_errors(void **state) {
  (void)state;
  /* no gnuplot on the PATH: the package to install is named */
  assert_int_equal(sh("PATH=/nonexistent %s plot base.h5 -o nognuplot.png", tu_bin()), 4);
  tu_assert_contains(out, "gnuplot is not installed");
  tu_assert_contains(out, "gnuplot-nox");
  assert_false(exists("nognuplot.png"));
  assert_int_equal(sh("%s plot base.h5 -k pie", tu_bin()), 2);
  tu_assert_contains(out, "unknown kind \"pie\"");
  assert_int_equal(sh("%s plot base.h5 centre.h5 -k fan", tu_bin()), 2);
  tu_assert_contains(out, "--kind fan draws one result file");
  assert_int_equal(sh("%s plot base.h5 -o x.gif", tu_bin()), 2);
  tu_assert_contains(out, "name it .png, .svg or .pdf");
  assert_int_equal(sh("echo hello > text.h5 && %s plot text.h5", tu_bin()), 3);
  tu_assert_contains(out, "text.h5 is not an HDF5 file");
  assert_int_equal(sh("%s plot --help", tu_bin()), 0);
  tu_assert_contains(out, "--kind KIND");
  tu_assert_contains(out, "--lang LANG");
  tu_assert_contains(out, "gnuplot-nox");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_fan),         cmocka_unit_test(test_dates),
      cmocka_unit_test(test_compare),     cmocka_unit_test(test_difference),
      cmocka_unit_test(test_bottlenecks), cmocka_unit_test(test_redeployment),
      cmocka_unit_test(test_french),      cmocka_unit_test(test_errors),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

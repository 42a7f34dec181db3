/* End to end: the ddrsim command line on the shipped scenarios, the result
 * files it writes (read back in C and with h5py), and the output-file rules. */
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cliutil.h"
#include "ddrsim/store.h"

static const char *bin(void) {
  return tu_bin();
}

static int setup(void **state) {
  (void)state;
  return tu_make_dir("test-cli");
}

static int teardown(void **state) {
  (void)state;
  return tu_remove_dir();
}

static int exists(const char *name) {
  char path[512];
  struct stat st;
  snprintf(path, sizeof path, "%s/%s", dir, name);
  return stat(path, &st) == 0;
}

/* No temporary file is ever left behind. */
static void assert_no_temp(void) {
  assert_int_equal(sh("ls -A . | grep -c '\\.tmp\\.' || true"), 0);
  assert_int_equal(atoi(out), 0);
}

static void test_version_and_help(void **state) {
  (void)state;
  assert_int_equal(sh("%s --version", bin()), 0);
  tu_assert_contains(out, "ddrsim 0.1.0");
  assert_int_equal(sh("%s run --help", bin()), 0);
  tu_assert_contains(out, "--replications");
  assert_int_equal(sh("%s help summary", bin()), 0);
  tu_assert_contains(out, "--format");
  assert_int_equal(sh("%s frobnicate", bin()), 2);
  tu_assert_contains(out, "unknown command \"frobnicate\"");
  assert_int_equal(sh("%s run -n lots", bin()), 2);
  tu_assert_contains(out, "-n expects a number of replications");
  assert_int_equal(sh("%s run --bogus", bin()), 2);
  tu_assert_contains(out, "unknown option \"--bogus\"");
}

static void test_validate(void **state) {
  (void)state;
  assert_int_equal(sh("%s validate %s/scenarios/mali-2020-baseline.yaml", bin(), tu_source_dir()),
                   0);
  tu_assert_contains(out, "ok: scenario mali-2020-baseline");
  assert_int_equal(
      sh("%s validate --metrics %s/scenarios/mali-2020-baseline.yaml", bin(), tu_source_dir()), 0);
  tu_assert_contains(out, "integrated.count\tpeople");
  assert_int_equal(sh("%s validate --keys", bin()), 0);
  tu_assert_contains(out, "centres[]\tseats");
  assert_int_equal(sh("%s validate %s/scenarios/mali-2020-baseline.yaml --set "
                      "nodes.training.centres.national.seats=-3",
                      bin(), tu_source_dir()),
                   3);
  tu_assert_contains(out, "--set");
  tu_assert_contains(
      out, "nodes.training.centres.national.seats: expected a whole number >= 1, found \"-3\"");
  assert_int_equal(sh("%s validate missing.yaml", bin()), 4);
  tu_assert_contains(out, "missing.yaml");
}

static void test_run_writes_file_and_summary(void **state) {
  (void)state;
  assert_int_equal(
      sh("%s run %s/scenarios/mali-2020-baseline.yaml -n 300 -o a.h5", bin(), tu_source_dir()), 0);
  tu_assert_contains(out, "Target integrated-3000-mandate");
  tu_assert_contains(out, "probability met:");
  assert_true(exists("a.h5"));
  assert_no_temp();
  assert_int_equal(sh("%s summary a.h5", bin()), 0);
  tu_assert_contains(out, "300 replications, seed 2531");
  assert_int_equal(sh("%s summary a.h5 --format csv", bin()), 0);
  tu_assert_contains(out, "target,integrated-3000-2022,probability,");
  assert_int_equal(sh("%s summary a.h5 --format json", bin()), 0);
  tu_assert_contains(out, "\"scenario\": \"mali-2020-baseline\"");
  ddr_resfile *rf;
  ddr_error err;
  char path[512];
  snprintf(path, sizeof path, "%s/a.h5", dir);
  assert_int_equal(ddr_resfile_load(path, &rf, &err), DDR_OK);
  assert_int_equal(rf->replications, 300);
  assert_int_equal(rf->seed, 2531);
  assert_int_equal(rf->ntargets, 2);
  ddr_resfile_free(rf);
}

static void test_default_output_and_force(void **state) {
  (void)state;
  /* no scenario: the baseline; no -o: results/<scenario>.h5 */
  assert_int_equal(sh("DDRSIM_X=1 %s run -n 50 -q", bin()), 0);
  assert_true(exists("results/mali-2020-baseline.h5"));
  assert_int_equal(sh("md5sum results/mali-2020-baseline.h5 > before.md5"), 0);
  assert_int_equal(sh("%s run -n 60 -q", bin()), 5);
  tu_assert_contains(out, "exists");
  tu_assert_contains(out, "--force");
  assert_int_equal(sh("md5sum -c before.md5"), 0); /* untouched */
  assert_int_equal(sh("%s run -n 60 -q --force", bin()), 0);
  assert_int_equal(
      sh("%s summary results/mali-2020-baseline.h5 | grep -c '60 replications'", bin()), 0);
  assert_no_temp();
}

static void test_output_errors(void **state) {
  (void)state;
  const char *scn = tu_source_dir();
  assert_int_equal(
      sh("%s run %s/scenarios/mali-2020-baseline.yaml -n 10 -o nodir/x.h5", bin(), scn), 4);
  tu_assert_contains(out, "does not exist");
  assert_int_equal(
      sh("mkdir -p adir && %s run %s/scenarios/mali-2020-baseline.yaml -n 10 -o adir", bin(), scn),
      4);
  tu_assert_contains(out, "is a directory");
  assert_int_equal(
      sh("printf 'scenario: {name: x}\\n' > bad.yaml && %s run bad.yaml -o bad.h5", bin()), 3);
  tu_assert_contains(out, "bad.yaml");
  tu_assert_contains(out, "missing required key \"calendar\"");
  assert_false(exists("bad.h5"));
  assert_int_equal(sh("echo hello > text.h5 && %s summary text.h5", bin()), 3);
  tu_assert_contains(out, "text.h5");
  assert_no_temp();
}

/* The same work gives the same file, whatever the thread count, outside
 * /provenance; and the stored quantiles are numpy's on the full series. */
static void test_threads_and_full_store(void **state) {
  (void)state;
  const char *scn = tu_source_dir();
  assert_int_equal(
      sh("%s run %s/scenarios/mali-2020-baseline.yaml -n 600 -j 1 --store full -o one.h5 -q", bin(),
         scn),
      0);
  assert_int_equal(
      sh("%s run %s/scenarios/mali-2020-baseline.yaml -n 600 -j 2 --store full -o two.h5 -q", bin(),
         scn),
      0);
  int rc = sh("h5diff --exclude-path /provenance one.h5 two.h5");
  if (rc != 0) fail_msg("h5diff found differences: %s", out);
  rc = sh("/usr/bin/python3 %s/tests/check_quantiles.py one.h5", scn);
  if (rc != 0) fail_msg("check_quantiles.py: %s", out);
  tu_assert_contains(out, "quantiles match");
}

/* Width and height from a PNG's IHDR chunk. */
static void png_size(const char *name, unsigned *w, unsigned *h) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  size_t len = 0;
  unsigned char *b = (unsigned char *)tu_read_file(path, &len);
  assert_non_null(b);
  assert_true(len > 24 && memcmp(b + 1, "PNG", 3) == 0);
  *w = (unsigned)b[16] << 24 | (unsigned)b[17] << 16 | (unsigned)b[18] << 8 | b[19];
  *h = (unsigned)b[20] << 24 | (unsigned)b[21] << 16 | (unsigned)b[22] << 8 | b[23];
  free(b);
}

static void test_plot(void **state) {
  (void)state;
  assert_int_equal(
      sh("%s run %s/scenarios/mali-2020-baseline.yaml -n 200 -o p.h5 -q", bin(), tu_source_dir()),
      0);
  assert_int_equal(sh("%s plot p.h5", bin()), 0); /* p.png beside it; gnuplot said nothing */
  unsigned w, h;
  png_size("p.png", &w, &h);
  assert_int_equal(w, 1400);
  assert_int_equal(h, 800);
  assert_int_equal(sh("%s plot p.h5 -o p.svg --keep-script -m cantonment.occupancy", bin()), 0);
  assert_int_equal(sh("grep -c '<svg' p.svg"), 0);
  assert_true(exists("p.gp") && exists("p.dat"));
  /* the data beside the picture holds the stored quantiles: 157 weekly rows */
  assert_int_equal(sh("grep -vc '^#' p.dat"), 0);
  assert_int_equal(atoi(out), 157);
  assert_int_equal(sh("%s plot p.h5 -o p.pdf", bin()), 0);
  assert_int_equal(sh("head -c 4 p.pdf"), 0);
  tu_assert_contains(out, "%PDF");
  assert_int_equal(sh("%s plot p.h5 -m nope.count", bin()), 3);
  tu_assert_contains(out, "p.h5 has no metric \"nope.count\"");
  assert_int_equal(sh("%s plot p.h5 -o p.gif", bin()), 2);
  tu_assert_contains(out, "name it .png, .svg or .pdf");
  assert_int_equal(sh("ls -A | grep -c 'tmp' || true"), 0);
  assert_int_equal(atoi(out), 0);
  /* text from a result file never reaches gnuplot as a command */
  assert_int_equal(sh("%s run %s/scenarios/mali-2020-baseline.yaml -n 20 -q -o evil.h5 "
                      "--set 'scenario.name=it'\\''s `touch pwned`'",
                      bin(), tu_source_dir()),
                   0);
  assert_int_equal(sh("%s plot evil.h5", bin()), 0);
  assert_false(exists("pwned"));
  /* nor do file names: gnuplot runs a name starting with < or | */
  assert_int_equal(sh("cp evil.h5 '<touch pwned2;x.h5' && %s plot '<touch pwned2;x.h5'", bin()), 0);
  assert_int_equal(sh("cp evil.h5 '|touch pwned3;x.h5' && %s plot '|touch pwned3;x.h5'", bin()), 0);
  assert_false(exists("pwned2"));
  assert_false(exists("pwned3"));
}

/* SIGTERM stops a run promptly and leaves nothing under the output name. */
static void test_interrupt_leaves_nothing(void **state) {
  (void)state;
  const char *scn = tu_source_dir();
  int rc = sh("%s run %s/scenarios/mali-2020-baseline.yaml -n 2000000 -o big.h5 -q & pid=$!; "
              "sleep 1; kill -TERM $pid; wait $pid",
              bin(), scn);
  assert_int_equal(rc, 7);
  tu_assert_contains(out, "interrupted");
  assert_false(exists("big.h5"));
  assert_no_temp();
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_version_and_help),
      cmocka_unit_test(test_validate),
      cmocka_unit_test(test_run_writes_file_and_summary),
      cmocka_unit_test(test_default_output_and_force),
      cmocka_unit_test(test_output_errors),
      cmocka_unit_test(test_threads_and_full_store),
      cmocka_unit_test(test_plot),
      cmocka_unit_test(test_interrupt_leaves_nothing),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

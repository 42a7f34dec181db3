/* End to end: ddrsim run --shard I/N and ddrsim merge give the file of a run
 * in one process, bit for bit (h5diff without /provenance), for any number
 * of shards and threads, with and without --store full, with and without
 * events (1, 3 and 4 shards of the baseline, 3 or 4 of the other cases);
 * merge refuses parts that do not belong together, naming them; an
 * MPI run (when built with MPI) gives the same file at 1, 2 and 3 ranks; and
 * a shard or rank that fails or is killed publishes nothing. */
#include <sys/stat.h>
#include <unistd.h>

#include "cliutil.h"

#define BASELINE "scenarios/mali-2020-baseline.yaml"
#define SHOCKS   "scenarios/mali-2020-security-shocks.yaml"
#define REPS     41 /* small, and not a multiple of 3 or 4 */

static int setup(void **state) {
  (void)state;
  return tu_make_dir("test-shards");
}

static int teardown(void **state) {
  (void)state;
  return tu_remove_dir();
}

/* h5diff of two result files, provenance aside; 0 when identical. */
static int same(const char *a, const char *b) {
  return sh("h5diff --exclude-path /provenance %s %s", a, b);
}

static void assert_no_stray(void) {
  assert_int_equal(sh("ls -A . | grep -c '^\\.' || true"), 0);
  assert_int_equal(atoi(out), 0);
}

/* Whole run in one process, then N shards (threads alternating 1 and 2)
 * merged in reverse order, for each N of plans (nplans of them). */
static void check_shards(const char *scenario, const char *store, const int *plans, size_t nplans) {
  const char *b = tu_bin(), *src = tu_source_dir();
  assert_int_equal(sh("rm -f *.h5 && %s run %s/%s -n %d -j 2 -q --store %s -o whole.h5", b, src,
                      scenario, REPS, store),
                   0);
  for (size_t k = 0; k < nplans; k++) {
    int n = plans[k];
    char parts[256] = "";
    for (int i = n; i >= 1; i--) {
      int rc = sh("%s run %s/%s -n %d -j %d -q --store %s --shard %d/%d -o part-%d.h5", b, src,
                  scenario, REPS, 1 + i % 2, store, i, n, i);
      if (rc) fail_msg("shard %d/%d of %s: %s", i, n, scenario, out);
      size_t len = strlen(parts);
      snprintf(parts + len, sizeof parts - len, " part-%d.h5", i);
    }
    if (sh("%s merge%s -o merged-%d.h5 -q", b, parts, n)) fail_msg("merge: %s", out);
    char merged[32];
    snprintf(merged, sizeof merged, "merged-%d.h5", n);
    if (same("whole.h5", merged))
      fail_msg("%s, %d shards, --store %s: merged file differs: %s", scenario, n, store, out);
    assert_int_equal(sh("rm -f part-*.h5"), 0);
  }
  assert_no_stray();
}

/* 1, 3 and 4 shards of the baseline; the other cases with 3 or 4 shards,
 * which cover their own ground (series, events) at a third of the cost */
static const int all_plans[] = {1, 3, 4}, three[] = {3}, four[] = {4};

static void test_baseline_summary(void **state) {
  (void)state;
  check_shards(BASELINE, "summary", all_plans, 3);
}

static void test_baseline_full(void **state) {
  (void)state;
  check_shards(BASELINE, "full", three, 1);
}

static void test_shocks_summary(void **state) {
  (void)state;
  check_shards(SHOCKS, "summary", four, 1);
}

static void test_shocks_full(void **state) {
  (void)state;
  check_shards(SHOCKS, "full", three, 1);
}

/* Parts of a run of 3 shards, p1..p3, and odd ones. */
static void make_parts(void) {
  const char *b = tu_bin(), *src = tu_source_dir();
  assert_int_equal(sh("rm -f *.h5"), 0);
  for (int i = 1; i <= 3; i++)
    assert_int_equal(sh("%s run %s/%s -n 20 -q --shard %d/3 -o p%d.h5", b, src, BASELINE, i, i), 0);
}

static void expect_refusal(const char *args, const char *message) {
  int rc = sh("%s merge %s -o out.h5 -q", tu_bin(), args);
  if (rc == 0) fail_msg("merge %s succeeded", args);
  tu_assert_contains(out, message);
  assert_false(tu_exists("out.h5"));
}

static void test_merge_errors(void **state) {
  (void)state;
  const char *b = tu_bin(), *src = tu_source_dir();
  make_parts();
  assert_int_equal(sh("%s run %s/%s -n 20 -q --shard 2/3 -s 9 -o seed.h5", b, src, BASELINE), 0);
  assert_int_equal(sh("%s run %s/%s -n 21 -q --shard 2/3 -o reps.h5", b, src, BASELINE), 0);
  assert_int_equal(sh("%s run %s/%s -n 20 -q --shard 2/4 -o plan.h5", b, src, BASELINE), 0);
  assert_int_equal(sh("%s run %s/%s -n 20 -q --shard 2/3 --set calendar.end=2024-01-31 -o "
                      "scen.h5",
                      b, src, BASELINE),
                   0);
  assert_int_equal(sh("%s run %s/%s -n 20 -q -o whole.h5", b, src, BASELINE), 0);
  assert_int_equal(sh("echo not hdf5 > text.h5"), 0);
  expect_refusal("p1.h5 seed.h5 p3.h5", "p1.h5 and seed.h5 are parts of runs with different seeds");
  expect_refusal("p1.h5 reps.h5 p3.h5", "different replication counts");
  expect_refusal("p1.h5 plan.h5 p3.h5", "are parts of different shard plans");
  expect_refusal("p1.h5 scen.h5 p3.h5", "p1.h5 and scen.h5 are parts of different scenarios");
  expect_refusal("p1.h5 p3.h5", "shard 2 of 3 is missing");
  expect_refusal("p1.h5 p2.h5 p2.h5 p3.h5", "p2.h5 and p2.h5 are both shard 2 of 3");
  expect_refusal("p1.h5 whole.h5 p3.h5", "whole.h5 is not a ddrsim part file");
  expect_refusal("p1.h5 text.h5 p3.h5", "text.h5");
  expect_refusal("p1.h5 nowhere.h5 p3.h5", "nowhere.h5");
  assert_int_not_equal(sh("%s merge p1.h5 p2.h5 p3.h5", b), 0);
  tu_assert_contains(out, "-o FILE");
  /* the output follows run's rules: never clobbered without --force */
  assert_int_equal(sh("%s merge p1.h5 p2.h5 p3.h5 -o whole.h5 -q", b), 5);
  tu_assert_contains(out, "whole.h5 exists");
  assert_int_equal(sh("%s merge p3.h5 p2.h5 p1.h5 -o whole.h5 -q --force", b), 0);
  assert_int_equal(sh("%s --help", b), 0);
  tu_assert_contains(out, "merge");
  assert_no_stray();
}

/* mpirun at 1, 2 and 3 ranks, one thread each: the one-process file, and no
 * part file left beside it. */
static void test_mpi(void **state) {
  (void)state;
  const char *mpiexec = getenv("DDRSIM_MPIEXEC");
  if (!mpiexec || !*mpiexec) {
    print_message("ddrsim was built without MPI (DDRSIM_MPI off): MPI runs not tested\n");
    skip();
  }
  const char *b = tu_bin(), *src = tu_source_dir();
  assert_int_equal(
      sh("rm -f *.h5 && %s run %s/%s -n %d -j 2 -q --store full -o whole.h5", b, src, SHOCKS, REPS),
      0);
  for (int k = 1; k <= 3; k++) {
    int rc = sh("OMP_NUM_THREADS=1 %s --allow-run-as-root --oversubscribe -n %d %s run %s/%s -n "
                "%d -j 1 -q --store full -o mpi-%d.h5",
                mpiexec, k, b, src, SHOCKS, REPS, k);
    if (rc) fail_msg("mpirun -n %d: %s", k, out);
    char name[32];
    snprintf(name, sizeof name, "mpi-%d.h5", k);
    if (same("whole.h5", name)) fail_msg("%d ranks: the file differs: %s", k, out);
  }
  /* the output is never clobbered without --force */
  assert_int_not_equal(sh("%s --allow-run-as-root --oversubscribe -n 2 %s run %s/%s -n 5 -q -o "
                          "mpi-2.h5",
                          mpiexec, b, src, SHOCKS),
                       0);
  tu_assert_contains(out, "mpi-2.h5 exists");
  assert_no_stray();
}

/* The MPI launcher, or NULL (with a message) when built without MPI. */
static const char *mpi_launcher(void) {
  const char *mpiexec = getenv("DDRSIM_MPIEXEC");
  if (mpiexec && *mpiexec) return mpiexec;
  print_message("ddrsim was built without MPI (DDRSIM_MPI off): MPI failures not tested\n");
  return NULL;
}

/* A shard, then a rank, that fails after its first batch (the test-only
 * DDRSIM_TEST_FAIL_SHARD: the baseline's batches hold 512 replications, so
 * 1,200 per shard make three): the error is named, nothing is written under
 * the output name and no part or temporary file is left behind. */
static void test_failed_rank(void **state) {
  (void)state;
  const char *b = tu_bin(), *src = tu_source_dir();
  assert_int_equal(sh("rm -f *.h5"), 0);
  assert_int_not_equal(sh("DDRSIM_TEST_FAIL_SHARD=2 %s run %s/%s -n 2400 -j 1 -q --shard 2/2 -o "
                          "p.h5",
                          b, src, BASELINE),
                       0);
  tu_assert_contains(out, "p.h5: shard 2 failed after its first batch");
  assert_false(tu_exists("p.h5"));
  assert_no_stray();
  const char *mpiexec = mpi_launcher();
  if (!mpiexec) skip();
  int rc = sh("OMP_NUM_THREADS=1 DDRSIM_TEST_FAIL_SHARD=2 %s --allow-run-as-root --oversubscribe "
              "-n 3 %s run %s/%s -n 3600 -j 1 -q -o failed.h5",
              mpiexec, b, src, BASELINE);
  assert_int_not_equal(rc, 0);
  tu_assert_contains(out, "shard 2 failed after its first batch");
  tu_assert_contains(out, "a rank failed; nothing was written to failed.h5");
  assert_false(tu_exists("failed.h5"));
  assert_no_stray();
}

/* kill -9 of rank 1 while both ranks write: mpirun ends the survivor, which
 * must not publish an output, and removes its own temporary part. The killed
 * rank cannot clean up: its temporary part (a hidden file) is the only thing
 * that may remain. */
static void test_killed_rank(void **state) {
  (void)state;
  const char *mpiexec = mpi_launcher();
  if (!mpiexec) skip();
  const char *b = tu_bin(), *src = tu_source_dir();
  assert_int_equal(sh("rm -f *.h5"), 0);
  /* rank 1 is found among mpirun's children by its environment, so that no
   * other process is touched; the kill comes once both temporary parts
   * exist, long before either rank can finish its 5,000 replications */
  int rc = sh("OMP_NUM_THREADS=1 %s --allow-run-as-root --oversubscribe -n 2 %s run %s/%s -n "
              "10000 -j 1 -q -o killed.h5 >mpi.out 2>&1 & m=$!; i=0; "
              "while [ $i -lt 300 ] && [ $(ls -A | grep -c '^\\..*\\.tmp\\.') -lt 2 ]; do "
              "sleep 0.05; i=$((i + 1)); done; k=0; "
              "for p in $(pgrep -P $m); do "
              "if tr '\\0' '\\n' </proc/$p/environ | grep -qx OMPI_COMM_WORLD_RANK=1; then "
              "kill -9 $p; k=1; fi; done; wait $m; r=$?; cat mpi.out; rm -f mpi.out; "
              "[ $k -eq 1 ] || echo 'rank 1 not found'; exit $r",
              mpiexec, b, src, BASELINE);
  if (rc == 0) fail_msg("mpirun succeeded although rank 1 was killed: %s", out);
  if (strstr(out, "rank 1 not found")) fail_msg("rank 1 was not killed: %s", out);
  assert_false(tu_exists("killed.h5"));
  sh("ls -A | grep -v -e '^cmd\\.out$' -e '^\\.\\.killed\\.h5\\.mpi-[0-9]*\\.part-2-of-2\\.tmp\\.' "
     "|| true");
  if (*out) fail_msg("left behind after rank 1 was killed: %s", out);
  assert_int_equal(sh("rm -f .*.tmp.*"), 0);
}

/* Under mpirun: a rank failing before the ranks have met (a scenario that
 * does not load on one of them) ends the run with a clear error instead of
 * a hang, leaving nothing; --extend and --checkpoint, which are for one
 * process, are refused once, by rank 0. */
static void test_mpi_refusals(void **state) {
  (void)state;
  const char *mpiexec = mpi_launcher();
  if (!mpiexec) skip();
  const char *b = tu_bin(), *src = tu_source_dir();
  assert_int_equal(sh("rm -f *.h5"), 0);
  int rc = sh("OMP_NUM_THREADS=1 timeout 120 %s --allow-run-as-root --oversubscribe -n 2 %s run "
              "%s/%s -n 400 -j 1 -q -o mm.h5 : -n 1 %s run missing.yaml -n 400 -j 1 -q -o mm.h5",
              mpiexec, b, src, BASELINE, b);
  if (rc == 124) fail_msg("mpirun hung when a rank failed before the others met: %s", out);
  assert_int_not_equal(rc, 0);
  tu_assert_contains(out, "missing.yaml");
  assert_false(tu_exists("mm.h5"));
  assert_no_stray();
  assert_int_equal(sh("%s run %s/%s -n 50 -q --extendable -o e.h5", b, src, BASELINE), 0);
  rc = sh("%s --allow-run-as-root --oversubscribe -n 2 %s run --extend e.h5 -n 10", mpiexec, b);
  assert_int_not_equal(rc, 0);
  tu_assert_contains(out, "--extend is for one process, not mpirun");
  char *second = strstr(out, "--extend is for one process");
  assert_null(strstr(second + 1, "--extend is for one process"));
  rc = sh("%s --allow-run-as-root --oversubscribe -n 2 %s run %s/%s -n 50 --checkpoint ck -o c.h5",
          mpiexec, b, src, BASELINE);
  assert_int_not_equal(rc, 0);
  tu_assert_contains(out, "--checkpoint is for a run in one process");
  assert_int_equal(sh("rm -f *.h5"), 0);
  assert_no_stray();
}

/* merge --extendable keeps the joined run's histograms, so that it can be
 * extended; the result equals a run of all of them kept --extendable. */
static void test_merge_extendable(void **state) {
  (void)state;
  const char *b = tu_bin(), *src = tu_source_dir();
  assert_int_equal(sh("rm -f *.h5"), 0);
  for (int i = 1; i <= 2; i++)
    assert_int_equal(
        sh("%s run %s/%s -n %d -q --shard %d/2 -o p%d.h5", b, src, BASELINE, REPS, i, i), 0);
  assert_int_equal(sh("%s merge p1.h5 p2.h5 --extendable -q -o m.h5", b), 0);
  assert_int_equal(sh("%s run --extend m.h5 -n 19 -q", b), 0);
  assert_int_equal(sh("%s run %s/%s -n %d -q --extendable -o all.h5", b, src, BASELINE, REPS + 19),
                   0);
  if (same("all.h5", "m.h5")) fail_msg("merged --extendable, then extended, differs: %s", out);
  assert_int_equal(sh("rm -f *.h5"), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_baseline_summary), cmocka_unit_test(test_baseline_full),
      cmocka_unit_test(test_shocks_summary),   cmocka_unit_test(test_shocks_full),
      cmocka_unit_test(test_merge_errors),     cmocka_unit_test(test_mpi),
      cmocka_unit_test(test_failed_rank),      cmocka_unit_test(test_killed_rank),
      cmocka_unit_test(test_mpi_refusals),     cmocka_unit_test(test_merge_extendable),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

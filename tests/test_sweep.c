/* ddrsim sweep end to end: a 2 x 2 grid whose points equal separate runs
 * with the same --set values and seed, a Latin hypercube that is one (one
 * point per stratum of each key) and reproducible from its seed, summary of
 * a point and of the list, the sweep plot, and bad design files; the grid in
 * shards merged, and under mpirun, equal to the one-process sweep, and merge
 * refusing sweep parts that do not belong together. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cliutil.h"

#define SCN   "%s/scenarios/mali-2020-second-centre.yaml"
#define SEATS "nodes.training.centres.gao.seats"
#define OPENS "nodes.training.centres.gao.courses_at_once.schedule[1].from"

static void write_file(const char *name, const char *text) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static int setup(void **state) {
  (void)state;
  if (tu_make_dir("sweep")) return -1;
  write_file("grid.yaml", "design: grid\ninputs:\n  " SEATS ": [150, 450]\n  " OPENS
                          ": [2021-03-01, 2021-09-01]\n");
  /* the 2 x 2 grid, run once for the tests that read it */
  return sh("%s sweep " SCN " grid.yaml -o grid.h5 -n 60 -s 7 -q", tu_bin(), tu_source_dir());
}

static int teardown(void **state) {
  (void)state;
  return tu_remove_dir();
}

static void grid_points_equal_runs(void **state) {
  (void)state;
  static const char *const seats[] = {"150", "150", "450", "450"};
  static const char *const opens[] = {"2021-03-01", "2021-09-01", "2021-03-01", "2021-09-01"};
  assert_int_equal(sh("/usr/bin/python3 %s/tests/sweep_check.py table grid.h5 4", tu_source_dir()),
                   0);
  for (int p = 0; p < 4; p++) {
    assert_int_equal(sh("%s run " SCN " -n 60 -s 7 -q -o run%d.h5 --set " SEATS "=%s --set '" OPENS
                        "=%s'",
                        tu_bin(), tu_source_dir(), p, seats[p], opens[p]),
                     0);
    int rc = sh("/usr/bin/python3 %s/tests/sweep_check.py same grid.h5 %d run%d.h5",
                tu_source_dir(), p, p);
    if (rc) fprintf(stderr, "%s", out);
    assert_int_equal(rc, 0);
  }
}

static void summary_point_and_list(void **state) {
  (void)state;
  assert_int_equal(sh("%s summary grid.h5 --point 2", tu_bin()), 0);
  assert_non_null(strstr(out, "Point 2 of grid.h5: " SEATS "=450 " OPENS "=2021-03-01"));
  assert_non_null(strstr(out, "probability met:"));
  assert_int_equal(sh("%s summary grid.h5 --point 2 --format csv > p2.csv && %s summary run2.h5 "
                      "--format csv > r2.csv && cmp p2.csv r2.csv",
                      tu_bin(), tu_bin()),
                   0);
  assert_int_equal(sh("%s summary grid.h5", tu_bin()), 0);
  assert_non_null(strstr(out, "4 points, 60 replications each, seed 7"));
  assert_non_null(strstr(out, "Target integrated-3000-2022"));
  assert_int_equal(sh("%s summary grid.h5 --format csv", tu_bin()), 0);
  assert_non_null(strstr(out, "point,group," SEATS "," OPENS ",target,probability"));
  assert_non_null(strstr(out, "\n3,/points/0003,450,2021-09-01,integrated-3000-2022,"));
  assert_int_equal(sh("%s summary grid.h5 --format json | /usr/bin/python3 -c \"import json,sys; "
                      "d=json.load(sys.stdin); assert len(d['points'])==4; "
                      "assert d['points'][1]['values']['" SEATS "']=='150'\"",
                      tu_bin()),
                   0);
  assert_int_not_equal(sh("%s summary grid.h5 --point 4", tu_bin()), 0);
  assert_non_null(strstr(out, "grid.h5 has 4 points (0 to 3); no point 4"));
  assert_int_not_equal(sh("%s summary grid.h5 --point 0 --format csv && %s summary run0.h5 "
                          "--point 0",
                          tu_bin(), tu_bin()),
                       0);
  assert_non_null(strstr(out, "run0.h5 is not a sweep file"));
  assert_int_not_equal(sh("%s compare grid.h5 run0.h5", tu_bin()), 0);
  assert_non_null(strstr(out, "grid.h5 is a sweep file of 4 points, not a run"));
}

static void sweep_plot_draws(void **state) {
  (void)state;
  if (sh("command -v gnuplot") != 0) skip();
  assert_int_equal(sh("%s plot grid.h5 --kind sweep --target integrated-3000-2022 -o s.png "
                      "--keep-script && test -s s.png && test -s s.gp && test -s s.dat",
                      tu_bin()),
                   0);
  assert_int_equal(sh("grep -c '^[0-9]' s.dat"), 0);
  assert_int_equal(atoi(out), 4);
  assert_int_equal(sh("%s plot grid.h5 --kind sweep --key " OPENS " -o s.svg --lang fr && test -s "
                      "s.svg",
                      tu_bin()),
                   0);
  assert_int_not_equal(sh("%s plot grid.h5 --kind sweep --key nope -o s.pdf", tu_bin()), 0);
  assert_non_null(strstr(out, "varies no key \"nope\""));
}

/* The documented examples (docs/sweeps.md) load and run; the Latin
 * hypercube is one and comes back the same from its seed. */
static void documented_examples_and_lhs(void **state) {
  (void)state;
  assert_int_equal(sh("/usr/bin/python3 -c \"import re; t=open('%s/docs/sweeps.md').read(); "
                      "b=re.findall(r'\\x60\\x60\\x60yaml\\n(.*?)\\x60\\x60\\x60', t, re.S); "
                      "assert len(b)==2; [open('doc%%d.yaml'%%i,'w').write(x) for i,x in "
                      "enumerate(b)]\"",
                      tu_source_dir()),
                   0);
  assert_int_equal(sh("%s sweep " SCN " doc0.yaml -o doc0.h5 -n 20 -q", tu_bin(), tu_source_dir()),
                   0);
  assert_int_equal(
      sh("%s sweep " SCN " doc1.yaml -o lhs.h5 -n 20 -q -j 1", tu_bin(), tu_source_dir()), 0);
  /* 2021-01-01 and 2021-12-31 are days 18628 and 18992 since 1970 */
  int rc = sh("/usr/bin/python3 %s/tests/sweep_check.py strata lhs.h5 100,500,1 18628,18992,1",
              tu_source_dir());
  if (rc) fprintf(stderr, "%s", out);
  assert_int_equal(rc, 0);
  assert_int_equal(
      sh("%s sweep " SCN " doc1.yaml -o lhs2.h5 -n 20 -q -j 2", tu_bin(), tu_source_dir()), 0);
  assert_int_equal(sh("h5diff --exclude-path /points/0000/provenance lhs.h5 lhs2.h5 /sweep "
                      "/sweep && h5diff lhs.h5 lhs2.h5 /points/0005/summary /points/0005/summary"),
                   0);
  /* a continuous range too, with another seed giving other points */
  write_file("lhs3.yaml", "design: latin-hypercube\npoints: 5\nseed: 3\ninputs:\n"
                          "  nodes.training.centres.gao.course_weeks.min: {min: 8.5, max: 10}\n");
  assert_int_equal(sh("%s sweep " SCN " lhs3.yaml -o lhs3.h5 -n 10 -q", tu_bin(), tu_source_dir()),
                   0);
  rc = sh("/usr/bin/python3 %s/tests/sweep_check.py strata lhs3.h5 8.5,10,0", tu_source_dir());
  if (rc) fprintf(stderr, "%s", out);
  assert_int_equal(rc, 0);
}

static void output_rules(void **state) {
  (void)state;
  assert_int_equal(sh("%s sweep " SCN " grid.yaml -o grid.h5 -n 5 -q", tu_bin(), tu_source_dir()),
                   DDR_EEXIST);
  assert_non_null(strstr(out, "grid.h5 exists; refusing to overwrite it (use --force"));
  assert_int_equal(sh("%s sweep " SCN " grid.yaml -o forced.h5 -n 5 -q && %s sweep " SCN
                      " grid.yaml -o forced.h5 -n 5 -q --force",
                      tu_bin(), tu_source_dir(), tu_bin(), tu_source_dir()),
                   0);
  /* interrupted: nothing left behind, not even the scratch point file */
  assert_int_equal(sh("mkdir -p intr && (%s sweep " SCN " grid.yaml -o intr/x.h5 -n 3000 -q -j 1 "
                      "& pid=$!; sleep 0.5; kill -INT $pid; wait $pid; echo rc=$?) ; ls -A intr",
                      tu_bin(), tu_source_dir()),
                   0);
  assert_non_null(strstr(out, "rc=7"));
  assert_int_equal(sh("ls -A intr | wc -l"), 0);
  assert_int_equal(atoi(out), 0);
}

/* A bad design gives a clear error at its place, before anything is run. */
static void bad_design(const char *name, const char *text, int code, const char *msg) {
  write_file(name, text);
  int rc = sh("%s sweep " SCN " %s -o bad.h5 -n 5 -q", tu_bin(), tu_source_dir(), name);
  if (rc != code || !strstr(out, msg))
    fprintf(stderr, "%s: exit %d, expected %d, said: %s\n", name, rc, code, out);
  assert_int_equal(rc, code);
  assert_non_null(strstr(out, msg));
  assert_int_not_equal(sh("test -e bad.h5"), 0);
}

static void bad_designs(void **state) {
  (void)state;
  bad_design("b1.yaml", "design: grid\ninputs:\n  nodes.training.centres.nowhere.seats: [1, 2]\n",
             DDR_EINPUT,
             "b1.yaml:3:3: nodes.training.centres.nowhere: design point 0 "
             "(nodes.training.centres.nowhere.seats=1): no item with id \"nowhere\"");
  bad_design("b2.yaml", "design: grid\ninputs:\n  " SEATS ": [300, -3]\n", DDR_EINPUT,
             "b2.yaml:3:43: " SEATS ": design point 1 (" SEATS
             "=-3): expected a whole number >= 1, found \"-3\"");
  bad_design("b3.yaml", "design: grid\ninputs:\n  " SEATS ": []\n", DDR_EINPUT,
             "b3.yaml:3:37: " SEATS ": expected at least one value, found []");
  bad_design("b4.yaml", "design: grid\ninputs: {}\n", DDR_EINPUT,
             "b4.yaml:2:9: inputs: expected a mapping of --set key paths to the values they "
             "take, found an empty one");
  bad_design("b5.yaml",
             "design: latin-hypercube\npoints: 4\nseed: 1\ninputs:\n  " SEATS
             ": {min: 500, max: 100}\n",
             DDR_EINPUT, "b5.yaml:5:53: " SEATS ": max: expected a value >= min, found \"100\"");
  bad_design("b6.yaml", "design: grid\nreplications: 5\ninputs:\n  " SEATS ": [1]\n", DDR_EINPUT,
             "b6.yaml:2:1: replications: unknown key in a design file; expected one of: design, "
             "description, inputs, points, seed");
  bad_design("b7.yaml",
             "design: latin-hypercube\npoints: 4\nseed: 1\ninputs:\n  " SEATS
             ": {min: 1, max: 9, step: 2}\n",
             DDR_EINPUT, "b7.yaml:5:54: step: unknown key in a range; expected one of: min, max");
  bad_design("b8.yaml", "design: factorial\ninputs:\n  " SEATS ": [1]\n", DDR_EINPUT,
             "b8.yaml:1:9: design: expected grid or latin-hypercube, found \"factorial\"");
  bad_design("b9.yaml",
             "design: latin-hypercube\npoints: 4\ninputs:\n  " SEATS ": {min: 1, max: 9}\n",
             DDR_EINPUT, "seed: expected a non-negative integer seed for the Latin hypercube");
}

/* h5diff of two sweep files of the 2 x 2 grid, the points' provenance
 * aside; 0 when identical. */
static int same_sweep(const char *a, const char *b) {
  return sh("h5diff --exclude-path /points/0000/provenance --exclude-path /points/0001/provenance "
            "--exclude-path /points/0002/provenance --exclude-path /points/0003/provenance %s %s",
            a, b);
}

static void assert_no_hidden(void) {
  assert_int_equal(sh("ls -A . | grep -c '^\\.' || true"), 0);
  assert_int_equal(atoi(out), 0);
}

/* The grid in 1 and 3 shards (threads 1 and 2), merged in any order: the
 * one-process sweep's file (grid.h5), point by point. */
static void shards_merge_to_the_sweep(void **state) {
  (void)state;
  static const int plans[] = {1, 3};
  for (size_t k = 0; k < sizeof plans / sizeof *plans; k++) {
    int n = plans[k];
    char parts[256] = "";
    for (int i = n; i >= 1; i--) {
      int rc = sh("%s sweep " SCN " grid.yaml -o sp-%d.h5 -n 60 -s 7 -q -j %d --shard %d/%d",
                  tu_bin(), tu_source_dir(), i, 1 + i % 2, i, n);
      if (rc) fail_msg("shard %d/%d: %s", i, n, out);
      size_t len = strlen(parts);
      snprintf(parts + len, sizeof parts - len, " sp-%d.h5", i);
    }
    /* a part is not a sweep file: summary points to merge */
    assert_int_not_equal(sh("%s summary sp-1.h5", tu_bin()), 0);
    tu_assert_contains(out, "sp-1.h5 is a part of a sweep of 4 points");
    if (sh("%s merge%s -o merged-%d.h5", tu_bin(), parts, n)) fail_msg("merge: %s", out);
    tu_assert_contains(out, "4 points, 60 replications each, seed 7");
    char merged[32];
    snprintf(merged, sizeof merged, "merged-%d.h5", n);
    if (same_sweep("grid.h5", merged)) fail_msg("%d shards: the merged sweep differs: %s", n, out);
    assert_int_equal(sh("rm -f sp-*.h5 %s", merged), 0);
  }
  assert_no_hidden();
}

static void expect_refusal(const char *args, const char *message) {
  int rc = sh("%s merge %s -o out.h5 -q", tu_bin(), args);
  if (rc == 0) fail_msg("merge %s succeeded", args);
  tu_assert_contains(out, message);
  assert_int_equal(sh("test -e out.h5"), 1);
}

/* Merge refuses sweep parts that do not belong together, naming them. */
static void merge_refuses_odd_sweep_parts(void **state) {
  (void)state;
  const char *b = tu_bin(), *src = tu_source_dir();
  write_file("other.yaml", "design: grid\ninputs:\n  " SEATS ": [150, 300]\n  " OPENS
                           ": [2021-03-01, 2021-09-01]\n");
  char scn2[600];
  snprintf(scn2, sizeof scn2,
           "extends: %s/scenarios/mali-2020-second-centre.yaml\ncalendar:\n  end: 2024-01-31\n",
           src);
  write_file("scn2.yaml", scn2);
  for (int i = 1; i <= 3; i++)
    assert_int_equal(sh("%s sweep " SCN " grid.yaml -n 20 -q --shard %d/3 -o q%d.h5", b, src, i, i),
                     0);
  /* shard 2 of another seed, replication count, plan, design, scenario */
  assert_int_equal(sh("%s sweep " SCN " grid.yaml -n 20 -q -s 9 --shard 2/3 -o seed.h5", b, src),
                   0);
  assert_int_equal(sh("%s sweep " SCN " grid.yaml -n 21 -q --shard 2/3 -o reps.h5", b, src), 0);
  assert_int_equal(sh("%s sweep " SCN " grid.yaml -n 20 -q --shard 2/4 -o plan.h5", b, src), 0);
  assert_int_equal(sh("%s sweep " SCN " other.yaml -n 20 -q --shard 2/3 -o design.h5", b, src), 0);
  assert_int_equal(sh("%s sweep scn2.yaml grid.yaml -n 20 -q --shard 2/3 -o scen.h5", b), 0);
  assert_int_equal(sh("%s run " SCN " -n 20 -q --shard 2/3 -o runpart.h5", b, src), 0);
  expect_refusal("q1.h5 seed.h5 q3.h5",
                 "q1.h5 and seed.h5 are parts of sweeps with different seeds");
  expect_refusal("q1.h5 reps.h5 q3.h5",
                 "q1.h5 and reps.h5 are parts of sweeps of different replication counts");
  expect_refusal("q1.h5 plan.h5 q3.h5", "are parts of different shard plans");
  expect_refusal("q1.h5 design.h5 q3.h5",
                 "q1.h5 and design.h5 are parts of sweeps of different designs");
  expect_refusal("q1.h5 scen.h5 q3.h5",
                 "q1.h5 (point 0) and scen.h5 (point 0) are parts of different scenarios");
  expect_refusal("q1.h5 q3.h5", "shard 2 of 3 is missing");
  expect_refusal("q1.h5 q2.h5 q2.h5 q3.h5", "q2.h5 and q2.h5 are both shard 2 of 3");
  expect_refusal("q1.h5 runpart.h5 q3.h5", "runpart.h5 is not a part of a sweep");
  expect_refusal("runpart.h5 q1.h5 q3.h5", "q1.h5 is a part of a sweep of 4 points");
  expect_refusal("q1.h5 grid.h5 q3.h5", "grid.h5 is not a part of a sweep");
  /* --shard is for separate processes, not for a sweep under mpirun; the
   * parts' output follows the sweep's rules */
  assert_int_equal(sh("%s sweep " SCN " grid.yaml -n 20 -q --shard 1/3 -o q1.h5", b, src),
                   DDR_EEXIST);
  assert_int_equal(sh("%s sweep " SCN " grid.yaml -n 20 -q --shard 4/3 -o q4.h5", b, src),
                   DDR_EUSAGE);
  tu_assert_contains(out, "--shard expects I/N with 1 <= I <= N, found \"4/3\"");
  assert_int_equal(sh("rm -f q*.h5 seed.h5 reps.h5 plan.h5 design.h5 scen.h5 runpart.h5"), 0);
  assert_no_hidden();
}

/* mpirun at 2 ranks, one thread each: the one-process sweep's file, and no
 * part left beside it. */
static void mpi_sweep(void **state) {
  (void)state;
  const char *mpiexec = getenv("DDRSIM_MPIEXEC");
  if (!mpiexec || !*mpiexec) {
    print_message("ddrsim was built without MPI (DDRSIM_MPI off): MPI sweeps not tested\n");
    skip();
  }
  int rc = sh("OMP_NUM_THREADS=1 %s --allow-run-as-root --oversubscribe -n 2 %s sweep " SCN
              " grid.yaml -o mpi.h5 -n 60 -s 7 -j 1 -q",
              mpiexec, tu_bin(), tu_source_dir());
  if (rc) fail_msg("mpirun -n 2: %s", out);
  if (same_sweep("grid.h5", "mpi.h5")) fail_msg("2 ranks: the sweep differs: %s", out);
  assert_int_not_equal(sh("%s --allow-run-as-root --oversubscribe -n 2 %s sweep " SCN
                          " grid.yaml -o mpi.h5 -n 5 -q",
                          mpiexec, tu_bin(), tu_source_dir()),
                       0);
  tu_assert_contains(out, "mpi.h5 exists");
  assert_no_hidden();
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(grid_points_equal_runs),
      cmocka_unit_test(summary_point_and_list),
      cmocka_unit_test(sweep_plot_draws),
      cmocka_unit_test(documented_examples_and_lhs),
      cmocka_unit_test(output_rules),
      cmocka_unit_test(bad_designs),
      cmocka_unit_test(shards_merge_to_the_sweep),
      cmocka_unit_test(merge_refuses_odd_sweep_parts),
      cmocka_unit_test(mpi_sweep),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

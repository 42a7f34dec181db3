/* ddrsim sweep end to end: a 2 x 2 grid whose points equal separate runs
 * with the same --set values and seed, a Latin hypercube that is one (one
 * point per stratum of each key) and reproducible from its seed, summary of
 * a point and of the list, the sweep plot, and bad design files. */
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

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(grid_points_equal_runs), cmocka_unit_test(summary_point_and_list),
      cmocka_unit_test(sweep_plot_draws),       cmocka_unit_test(documented_examples_and_lhs),
      cmocka_unit_test(output_rules),           cmocka_unit_test(bad_designs),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

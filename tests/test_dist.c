/* Tests of the distribution families (sim/dist.c, sim/dist_families.c): every
 * family's samples against its own cdf and mean, support, the messages for bad
 * parameters, lookup, copying and descriptions. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_cdf.h>

#include "ddrsim/dist.h"

#define N_DRAWS   100000
#define PIT_CELLS 20

/* Set up a family from "name=value name=value" (strtod spellings, so "nan"
 * and "inf" work); values and weights go through the arrays. */
static ddr_status make(ddr_dist *d, const char *family, const char *spec, const double *values,
                       const double *weights, size_t n, char *msg, size_t msgsize) {
  const ddr_dist_type *type = ddr_dist_type_find(family);
  assert_non_null(type);
  double p[DDR_DIST_MAX_PARAMS] = {0};
  int given[DDR_DIST_MAX_PARAMS] = {0};
  char buf[256];
  snprintf(buf, sizeof buf, "%s", spec);
  for (char *tok = strtok(buf, " "); tok; tok = strtok(NULL, " ")) {
    char *eq = strchr(tok, '=');
    assert_non_null(eq);
    *eq = '\0';
    int i = ddr_dist_param_index(type, tok);
    if (i < 0) fail_msg("test bug: %s has no parameter %s", family, tok);
    p[i] = strtod(eq + 1, NULL);
    given[i] = 1;
  }
  return ddr_dist_init(d, type, p, given, values, weights, n, msg, msgsize);
}

static void make_ok(ddr_dist *d, const char *family, const char *spec) {
  char msg[256];
  ddr_status st = make(d, family, spec, NULL, NULL, 0, msg, sizeof msg);
  if (st != DDR_OK) fail_msg("%s(%s): %s", family, spec, msg);
}

/* Draw N_DRAWS values: all finite and inside [lo, hi]; the sample mean within
 * 4 standard errors (from the sample variance) of mean(); and, for continuous
 * families, the probability integral transform cdf(X) uniform by a chi-square
 * test on PIT_CELLS equiprobable cells. */
static void check_samples(const ddr_dist *d, int continuous, uint32_t seed) {
  char what[256];
  ddr_dist_describe(d, what, sizeof what);
  ddr_stream s;
  ddr_stream_init(&s, seed, 0, ddr_component_id(what), 0);
  unsigned cells[PIT_CELLS] = {0};
  double sum = 0, sum2 = 0;
  for (int i = 0; i < N_DRAWS; i++) {
    double x = ddr_dist_sample(d, &s);
    if (!isfinite(x) || x < d->lo || x > d->hi)
      fail_msg("%s: sample %g outside [%g, %g]", what, x, d->lo, d->hi);
    sum += x;
    sum2 += x * x;
    if (continuous) {
      int c = (int)(ddr_dist_cdf(d, x) * PIT_CELLS);
      cells[c < 0 ? 0 : c >= PIT_CELLS ? PIT_CELLS - 1 : c]++;
    }
  }
  double mean = sum / N_DRAWS, var = sum2 / N_DRAWS - mean * mean;
  double se = sqrt((var > 0 ? var : 0) / N_DRAWS), mu = ddr_dist_mean(d);
  if (!(fabs(mean - mu) <= 4 * se + 1e-12 * fabs(mu)))
    fail_msg("%s: sample mean %.6g, mean() %.6g, se %.3g", what, mean, mu, se);
  if (continuous) {
    double e = (double)N_DRAWS / PIT_CELLS, chi2 = 0;
    for (int c = 0; c < PIT_CELLS; c++) chi2 += (cells[c] - e) * (cells[c] - e) / e;
    double crit = gsl_cdf_chisq_Pinv(0.999, PIT_CELLS - 1);
    if (!(chi2 < crit)) fail_msg("%s: PIT chi-square %g >= %g", what, chi2, crit);
  }
}

static void test_continuous_families(void **state) {
  (void)state;
  const char *cases[][2] = {
      {"uniform", "min=2 max=5"},
      {"triangular", "min=1 mode=2 max=10"},
      {"triangular", "min=0 mode=0 max=1"},
      {"triangular", "min=0 mode=1 max=1"},
      {"normal", "mean=10 sd=3"},
      {"normal", "mean=10 sd=3 min=8"},          /* one-sided, resampled */
      {"normal", "mean=10 sd=3 min=5 max=12"},   /* two-sided, resampled */
      {"normal", "mean=0 sd=1 min=0.1 max=0.3"}, /* little mass: inverted */
      {"normal", "mean=0 sd=1 min=4"},           /* far upper tail: inverted */
      {"normal", "mean=0 sd=1 max=-3.5"},        /* far lower tail: inverted */
      {"lognormal", "median=30 p90=60"},
      {"lognormal", "mu=1 sigma=0.4"},
      {"gamma", "shape=0.3 scale=2"},
      {"gamma", "shape=4.5 scale=0.5"},
      {"gamma", "mean=20 sd=5"},
      {"beta", "alpha=2 beta=5"},
      {"beta", "alpha=0.5 beta=0.3"},
      {"beta", "alpha=0.05 beta=0.1"},
      {"beta", "alpha=0.5 beta=0.8 min=-1 max=1"},
      {"pert", "min=30 mode=60 max=120"},
      {"pert", "min=0 mode=0 max=1 lambda=2"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    ddr_dist d;
    make_ok(&d, cases[i][0], cases[i][1]);
    check_samples(&d, 1, 100 + (uint32_t)i);
    ddr_dist_release(&d);
  }
}

/* The parameters mean what they say. */
static void test_parameterisations(void **state) {
  (void)state;
  ddr_dist d;
  make_ok(&d, "lognormal", "median=30 p90=60");
  assert_true(fabs(ddr_dist_cdf(&d, 30) - 0.5) < 1e-12);
  assert_true(fabs(ddr_dist_cdf(&d, 60) - 0.9) < 1e-9);
  make_ok(&d, "gamma", "mean=20 sd=5");
  assert_true(fabs(d.c[0] - 16) < 1e-12 && fabs(d.c[1] - 1.25) < 1e-12);
  assert_true(fabs(ddr_dist_mean(&d) - 20) < 1e-12);
  make_ok(&d, "pert", "min=30 mode=60 max=120");
  assert_true(fabs(ddr_dist_mean(&d) - (30 + 4 * 60 + 120) / 6.0) < 1e-12);
  make_ok(&d, "normal", "mean=0 sd=1 min=0");
  assert_true(fabs(ddr_dist_mean(&d) - sqrt(2 / 3.141592653589793)) < 1e-12);
  assert_true(ddr_dist_cdf(&d, -0.1) == 0 && fabs(ddr_dist_cdf(&d, 1) - 0.682689492137086) < 1e-9);
  make_ok(&d, "triangular", "min=0 mode=1 max=3");
  assert_true(fabs(ddr_dist_cdf(&d, 1) - 1 / 3.0) < 1e-15);
}

static void test_point_families(void **state) {
  (void)state;
  ddr_dist d;
  ddr_stream s;
  ddr_stream_init(&s, 1, 2, 3, 4);
  make_ok(&d, "constant", "value=7.5");
  for (int i = 0; i < 100; i++) assert_true(ddr_dist_sample(&d, &s) == 7.5);
  assert_true(ddr_dist_cdf(&d, 7.4) == 0 && ddr_dist_cdf(&d, 7.5) == 1);
  assert_true(ddr_dist_mean(&d) == 7.5);
  ddr_dist_init_constant(&d, -2);
  assert_true(ddr_dist_sample(&d, &s) == -2 && ddr_dist_mean(&d) == -2);
  make_ok(&d, "uniform", "min=3 max=3");
  for (int i = 0; i < 100; i++) assert_true(ddr_dist_sample(&d, &s) == 3);
  assert_true(ddr_dist_cdf(&d, 2.9) == 0 && ddr_dist_cdf(&d, 3) == 1);
}

/* Chi-square of value counts against the weights. */
static void check_table(const ddr_dist *d, const double *values, const double *probs, size_t n,
                        uint32_t seed) {
  unsigned *count = calloc(n, sizeof *count);
  ddr_stream s;
  ddr_stream_init(&s, seed, 0, 0, 0);
  for (int i = 0; i < N_DRAWS; i++) {
    double x = ddr_dist_sample(d, &s);
    size_t j = 0;
    while (j < n && values[j] != x) j++;
    if (j == n) fail_msg("drew %g, not a listed value", x);
    count[j]++;
  }
  double chi2 = 0;
  int cells = 0;
  for (size_t j = 0; j < n; j++) {
    double e = N_DRAWS * probs[j];
    if (e == 0) {
      assert_int_equal(count[j], 0);
      continue;
    }
    chi2 += (count[j] - e) * (count[j] - e) / e;
    cells++;
  }
  free(count);
  double crit = gsl_cdf_chisq_Pinv(0.999, cells - 1);
  if (!(chi2 < crit)) fail_msg("table chi-square %g >= %g", chi2, crit);
  check_samples(d, 0, seed + 1);
}

static void test_discrete_empirical(void **state) {
  (void)state;
  char msg[256];
  ddr_dist d, e;
  const double v[5] = {3, 1, 4, 10, 5};
  const double w[5] = {1, 2, 0, 3, 4};
  const double pw[5] = {0.1, 0.2, 0, 0.3, 0.4};
  assert_int_equal(make(&d, "discrete", "", v, w, 5, msg, sizeof msg), DDR_OK);
  check_table(&d, v, pw, 5, 11);
  /* cdf is the step function over the values in numeric order. */
  assert_true(ddr_dist_cdf(&d, 0.5) == 0);
  assert_true(fabs(ddr_dist_cdf(&d, 3) - 0.3) < 1e-15);
  assert_true(fabs(ddr_dist_cdf(&d, 4.5) - 0.3) < 1e-15);
  assert_true(fabs(ddr_dist_cdf(&d, 9.99) - 0.7) < 1e-15);
  assert_true(ddr_dist_cdf(&d, 10) == 1);
  assert_true(fabs(ddr_dist_mean(&d) - (0.3 + 0.2 + 3 + 2)) < 1e-12);
  assert_true(d.lo == 1 && d.hi == 10);

  /* A deep copy survives the original. */
  assert_int_equal(ddr_dist_copy(&e, &d), DDR_OK);
  assert_ptr_not_equal(e.values, d.values);
  ddr_dist_release(&d);
  check_table(&e, v, pw, 5, 12);
  ddr_dist_release(&e);
  ddr_dist_release(&e); /* releasing twice is harmless */

  const double eq[5] = {0.2, 0.2, 0.2, 0.2, 0.2};
  assert_int_equal(make(&d, "discrete", "", v, NULL, 5, msg, sizeof msg), DDR_OK);
  check_table(&d, v, eq, 5, 13);
  ddr_dist_release(&d);
  assert_int_equal(make(&d, "empirical", "", v, NULL, 5, msg, sizeof msg), DDR_OK);
  check_table(&d, v, eq, 5, 14);
  assert_true(fabs(ddr_dist_mean(&d) - 23 / 5.0) < 1e-12);
  ddr_dist_release(&d);
}

typedef struct bad_case {
  const char *family, *spec, *expect;
} bad_case;

static void test_bad_parameters(void **state) {
  (void)state;
  const bad_case cases[] = {
      {"constant", "", "missing parameter \"value\" for constant"},
      {"uniform", "min=2 max=1", "expected min <= max, found min 2, max 1"},
      {"uniform", "min=2", "missing parameter \"max\" for uniform"},
      {"triangular", "min=5 mode=3 max=4",
       "expected min <= mode <= max, found min 5, mode 3, max 4"},
      {"triangular", "min=1 max=4", "missing parameter \"mode\" for triangular"},
      {"triangular", "min=2 mode=2 max=2", "expected min < max, found min 2, max 2"},
      {"normal", "mean=1", "missing parameter \"sd\" for normal"},
      {"normal", "mean=1 sd=0", "expected sd > 0, found sd 0"},
      {"normal", "mean=1 sd=-2", "expected sd > 0, found sd -2"},
      {"normal", "mean=0 sd=1 min=3 max=1", "expected min < max, found min 3, max 1"},
      {"normal", "mean=0 sd=1 min=7 max=8", "expected P(min <= X <= max) >= 1e-06, found"},
      {"normal", "mean=0 sd=1 min=6", "expected P(min <= X <= max) >= 1e-06, found"},
      {"normal", "mean=nan sd=1", "expected a finite number for \"mean\", found nan"},
      {"normal", "mean=0 sd=inf", "expected a finite number for \"sd\", found inf"},
      {"lognormal", "median=10 p90=20 mu=1",
       "give either median and p90 or mu and sigma, not both"},
      {"lognormal", "median=10 sigma=1", "give either median and p90 or mu and sigma, not both"},
      {"lognormal", "median=10", "missing parameter \"p90\" for lognormal"},
      {"lognormal", "sigma=1", "missing parameter \"mu\" for lognormal"},
      {"lognormal", "", "give either median and p90 or mu and sigma"},
      {"lognormal", "median=-1 p90=2", "expected median > 0, found median -1"},
      {"lognormal", "median=10 p90=5", "expected p90 > median, found median 10, p90 5"},
      {"lognormal", "median=10 p90=10", "expected p90 > median"},
      {"lognormal", "mu=1 sigma=0", "expected sigma > 0, found sigma 0"},
      {"gamma", "shape=2 scale=1 mean=2", "give either shape and scale or mean and sd, not both"},
      {"gamma", "shape=-1 scale=1", "expected shape > 0, found shape -1"},
      {"gamma", "shape=1 scale=0", "expected scale > 0, found scale 0"},
      {"gamma", "mean=3", "missing parameter \"sd\" for gamma"},
      {"gamma", "mean=3 sd=-1", "expected sd > 0, found sd -1"},
      {"gamma", "", "give either shape and scale or mean and sd"},
      {"beta", "alpha=0 beta=1", "expected alpha > 0, found alpha 0"},
      {"beta", "alpha=1 beta=-3", "expected beta > 0, found beta -3"},
      {"beta", "alpha=1", "missing parameter \"beta\" for beta"},
      {"beta", "alpha=1 beta=1 min=0", "give both min and max for beta, or neither"},
      {"beta", "alpha=1 beta=1 min=2 max=2", "expected min < max, found min 2, max 2"},
      {"pert", "min=1 mode=0 max=2", "expected min <= mode <= max, found min 1, mode 0, max 2"},
      {"pert", "min=1 mode=1 max=1", "expected min < max, found min 1, max 1"},
      {"pert", "min=0 mode=1 max=2 lambda=0", "expected lambda > 0, found lambda 0"},
      {"pert", "min=0 max=2", "missing parameter \"mode\" for pert"},
      {"pert", "min=0 mode=1 max=2 lambda=-inf", "expected a finite number for \"lambda\""},
      {"discrete", "", "missing parameter \"values\" for discrete"},
      {"empirical", "", "missing parameter \"values\" for empirical"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    ddr_dist d;
    char msg[256] = "";
    ddr_status st = make(&d, cases[i].family, cases[i].spec, NULL, NULL, 0, msg, sizeof msg);
    if (st != DDR_EINPUT || !strstr(msg, cases[i].expect))
      fail_msg("%s(%s): status %d, message \"%s\", expected \"%s\"", cases[i].family, cases[i].spec,
               st, msg, cases[i].expect);
    assert_null(d.values);
  }
}

static void test_bad_tables(void **state) {
  (void)state;
  const double v[3] = {1, 2, 3}, vnan[3] = {1, NAN, 3};
  const double wneg[3] = {1, -1, 1}, wzero[3] = {0, 0, 0}, winf[3] = {1, INFINITY, 1};
  const struct {
    const char *family;
    const double *values, *weights;
    const char *expect;
  } cases[] = {
      {"discrete", v, wneg, "expected weights >= 0, found weight -1 at position 2"},
      {"discrete", v, wzero, "expected weights with a positive finite sum, found sum 0"},
      {"discrete", v, winf, "expected finite weights, found inf at position 2"},
      {"discrete", vnan, NULL, "expected finite values, found nan at position 2"},
      {"empirical", v, wneg, "\"weights\" is not a parameter of empirical"},
      {"normal", v, NULL, "\"values\" is not a parameter of normal"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    ddr_dist d;
    char msg[256] = "";
    ddr_status st =
        make(&d, cases[i].family, strcmp(cases[i].family, "normal") ? "" : "mean=0 sd=1",
             cases[i].values, cases[i].weights, 3, msg, sizeof msg);
    if (st != DDR_EINPUT || !strstr(msg, cases[i].expect))
      fail_msg("%s: status %d, message \"%s\", expected \"%s\"", cases[i].family, st, msg,
               cases[i].expect);
    assert_null(d.values);
    assert_null(d.cum);
  }
}

static void test_registry(void **state) {
  (void)state;
  int n = 0;
  for (const ddr_dist_type *const *t = ddr_dist_types; *t; t++, n++) {
    assert_ptr_equal(ddr_dist_type_find((*t)->name), *t);
    assert_non_null((*t)->summary);
    assert_non_null((*t)->param_names[0]);
    assert_non_null((*t)->prepare);
    assert_non_null((*t)->sample);
    assert_non_null((*t)->cdf);
    assert_non_null((*t)->mean);
  }
  assert_int_equal(n, 10);
  assert_null(ddr_dist_type_find("nope"));
  assert_ptr_equal(ddr_dist_type_find("pert"), ddr_dist_pert);
  assert_int_equal(ddr_dist_param_index(ddr_dist_pert, "lambda"), 3);
  assert_int_equal(ddr_dist_param_index(ddr_dist_pert, "sd"), -1);
  assert_int_equal(ddr_dist_param_index(ddr_dist_discrete, "weights"), 1);
}

static void expect_description(const ddr_dist *d, const char *expect) {
  char buf[256];
  ddr_dist_describe(d, buf, sizeof buf);
  if (strcmp(buf, expect) != 0) fail_msg("described as \"%s\", expected \"%s\"", buf, expect);
}

static void test_describe(void **state) {
  (void)state;
  ddr_dist d;
  char msg[128];
  make_ok(&d, "pert", "min=30 mode=60 max=120");
  expect_description(&d, "pert(min=30, mode=60, max=120, lambda=4)");
  make_ok(&d, "normal", "mean=10 sd=2.5 min=0");
  expect_description(&d, "normal(mean=10, sd=2.5, min=0)");
  make_ok(&d, "lognormal", "median=30 p90=60");
  expect_description(&d, "lognormal(median=30, p90=60)");
  ddr_dist_init_constant(&d, 3);
  expect_description(&d, "constant(value=3)");

  const double v[3] = {1, 2, 3}, w[3] = {1, 1, 2};
  assert_int_equal(make(&d, "discrete", "", v, w, 3, msg, sizeof msg), DDR_OK);
  expect_description(&d, "discrete(values=[1, 2, 3], weights=[0.25, 0.25, 0.5])");
  ddr_dist_release(&d);

  double many[20];
  for (int i = 0; i < 20; i++) many[i] = i + 1;
  assert_int_equal(make(&d, "empirical", "", many, NULL, 20, msg, sizeof msg), DDR_OK);
  expect_description(&d, "empirical(values=[1, 2, 3, 4, 5, 6, 7, 8, ...], n=20)");
  /* A short buffer is cut, never overrun. */
  char small[12];
  memset(small, 'x', sizeof small);
  ddr_dist_describe(&d, small, 10);
  assert_int_equal(strlen(small), 9);
  assert_true(small[10] == 'x' && small[11] == 'x');
  ddr_dist_release(&d);
}

/* A draw is fixed by the stream key alone. */
static void test_reproducible(void **state) {
  (void)state;
  ddr_dist d;
  make_ok(&d, "gamma", "shape=0.7 scale=3");
  ddr_stream a, b;
  ddr_stream_init(&a, 8, 1, 2, 3);
  ddr_stream_init(&b, 8, 1, 2, 3);
  for (int i = 0; i < 1000; i++) assert_true(ddr_dist_sample(&d, &a) == ddr_dist_sample(&d, &b));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_continuous_families),
      cmocka_unit_test(test_parameterisations),
      cmocka_unit_test(test_point_families),
      cmocka_unit_test(test_discrete_empirical),
      cmocka_unit_test(test_bad_parameters),
      cmocka_unit_test(test_bad_tables),
      cmocka_unit_test(test_registry),
      cmocka_unit_test(test_describe),
      cmocka_unit_test(test_reproducible),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

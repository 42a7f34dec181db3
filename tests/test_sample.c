/* Tests of the exact discrete samplers (sim/sample.c): chi-square goodness of
 * fit against GSL's probabilities on grids covering every method and branch,
 * edge cases, and the multivariate forms' invariants and moments. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include "ddrsim/rng.h"

#define N_DRAWS 100000

/* A discrete law for the chi-square helper: pmf(k) and P(X < k0), P(X > k1). */
typedef struct law {
  double (*pmf)(const struct law *, unsigned k);
  double (*below)(const struct law *, unsigned k0); /* P(X < k0) */
  double (*above)(const struct law *, unsigned k1); /* P(X > k1) */
  double a, b;                                      /* parameters */
  unsigned n1, n2, t;
} law;

typedef uint32_t (*draw_fn)(ddr_stream *, const law *);

/* Draw ndraws values and compare their histogram on [k0, k1] (plus the two
 * tails) with the law. Cells are pooled from the left until each expects at
 * least 5 draws (the usual validity rule); the statistic must stay below the
 * 0.999 quantile of chi-square with cells - 1 degrees of freedom. */
static void chi_square_n(const char *what, ddr_stream *s, draw_fn draw, const law *L, unsigned k0,
                         unsigned k1, int ndraws) {
  size_t width = (size_t)(k1 - k0) + 1;
  double *obs = calloc(width + 2, sizeof *obs), *exp_ = calloc(width + 2, sizeof *exp_);
  assert_non_null(obs);
  assert_non_null(exp_);
  for (int i = 0; i < ndraws; i++) {
    uint32_t k = draw(s, L);
    obs[k < k0 ? 0 : k > k1 ? width + 1 : k - k0 + 1] += 1;
  }
  exp_[0] = k0 > 0 ? ndraws * L->below(L, k0) : 0;
  for (size_t i = 0; i < width; i++) exp_[i + 1] = ndraws * L->pmf(L, k0 + (unsigned)i);
  exp_[width + 1] = ndraws * L->above(L, k1);

  /* Pool in place: cell c accumulates consecutive entries until it expects 5;
   * a short remainder joins the last full cell. */
  size_t cells = 0;
  double o = 0, e = 0;
  for (size_t i = 0; i < width + 2; i++) {
    if (exp_[i] == 0 && obs[i] > 0) fail_msg("%s: drew an impossible value (cell %zu)", what, i);
    o += obs[i];
    e += exp_[i];
    if (e >= 5) {
      obs[cells] = o;
      exp_[cells++] = e;
      o = e = 0;
    }
  }
  if (cells > 0) {
    obs[cells - 1] += o;
    exp_[cells - 1] += e;
  }
  double chi2 = 0;
  for (size_t c = 0; c < cells; c++) chi2 += (obs[c] - exp_[c]) * (obs[c] - exp_[c]) / exp_[c];
  free(obs);
  free(exp_);
  if (cells < 2) return; /* a point mass: nothing to test beyond impossibility */
  double crit = gsl_cdf_chisq_Pinv(0.999, (double)cells - 1);
  if (!(chi2 < crit)) fail_msg("%s: chi-square %g >= %g with %zu cells", what, chi2, crit, cells);
}

static void chi_square(const char *what, ddr_stream *s, draw_fn draw, const law *L, unsigned k0,
                       unsigned k1) {
  chi_square_n(what, s, draw, L, k0, k1, N_DRAWS);
}

/* ---------------------------------------------------------------- binomial */

static double binom_pmf(const law *L, unsigned k) {
  return gsl_ran_binomial_pdf(k, L->a, (unsigned)L->b);
}
static double binom_below(const law *L, unsigned k) {
  return gsl_cdf_binomial_P(k - 1, L->a, (unsigned)L->b);
}
static double binom_above(const law *L, unsigned k) {
  return gsl_cdf_binomial_Q(k, L->a, (unsigned)L->b);
}
static uint32_t binom_draw(ddr_stream *s, const law *L) {
  return ddr_binomial(s, L->a, (uint32_t)L->b);
}

/* Cells over mean +- 8 sd (and a margin for tiny sd), clipped to [lo, hi]. */
static void window(double mean, double sd, double lo, double hi, unsigned *k0, unsigned *k1) {
  double a = floor(mean - 8 * sd - 5), b = ceil(mean + 8 * sd + 5);
  *k0 = (unsigned)(a < lo ? lo : a);
  *k1 = (unsigned)(b > hi ? hi : b);
}

static void test_binomial_grid(void **state) {
  (void)state;
  /* n p from 0.001 to 9e5: inversion (n p < 10) and BTRS, with and without
   * the p > 1/2 reflection; n = 4e9 checks the large-count arithmetic. */
  const unsigned ns[] = {1, 5, 30, 200, 10000, 1000000, 4000000000u};
  const double ps[] = {0.001, 0.05, 0.3, 0.5, 0.9};
  ddr_stream s;
  for (size_t i = 0; i < sizeof ns / sizeof *ns; i++) {
    for (size_t j = 0; j < sizeof ps / sizeof *ps; j++) {
      law L = {binom_pmf, binom_below, binom_above, ps[j], ns[i], 0, 0, 0};
      double mean = ns[i] * ps[j], sd = sqrt(mean * (1 - ps[j]));
      unsigned k0, k1;
      window(mean, sd, 0, ns[i], &k0, &k1);
      char what[64];
      snprintf(what, sizeof what, "binomial(n=%u, p=%g)", ns[i], ps[j]);
      ddr_stream_init(&s, 1000 + i, j, ddr_component_id("test.binomial"), 0);
      chi_square(what, &s, binom_draw, &L, k0, k1);
    }
  }
  /* Right at the switch between the methods. */
  const double edge[][2] = {{20, 0.5}, {2000, 0.005}, {21, 0.5}, {100, 0.0999}, {100, 0.1001}};
  for (size_t i = 0; i < sizeof edge / sizeof *edge; i++) {
    law L = {binom_pmf, binom_below, binom_above, edge[i][1], edge[i][0], 0, 0, 0};
    unsigned k0, k1;
    double mean = edge[i][0] * edge[i][1];
    window(mean, sqrt(mean), 0, edge[i][0], &k0, &k1);
    ddr_stream_init(&s, 77, i, ddr_component_id("test.binomial.edge"), 0);
    chi_square("binomial at the method switch", &s, binom_draw, &L, k0, k1);
  }
}

static void test_binomial_edges(void **state) {
  (void)state;
  ddr_stream s;
  ddr_stream_init(&s, 5, 0, 0, 0);
  for (int i = 0; i < 100; i++) {
    assert_int_equal(ddr_binomial(&s, 0, 100), 0);
    assert_int_equal(ddr_binomial(&s, -0.5, 100), 0);
    assert_int_equal(ddr_binomial(&s, NAN, 100), 0);
    assert_int_equal(ddr_binomial(&s, 1, 100), 100);
    assert_int_equal(ddr_binomial(&s, 1.5, 100), 100);
    assert_int_equal(ddr_binomial(&s, 0.5, 0), 0);
    assert_true(ddr_binomial(&s, 1e-300, UINT32_MAX) <= 1);
    assert_true(ddr_binomial(&s, 0.7, 3) <= 3);
  }
  /* Same key, same draws. */
  ddr_stream a, b;
  ddr_stream_init(&a, 9, 1, 2, 3);
  ddr_stream_init(&b, 9, 1, 2, 3);
  for (int i = 0; i < 1000; i++)
    assert_int_equal(ddr_binomial(&a, 0.3, 1000), ddr_binomial(&b, 0.3, 1000));
}

/* ----------------------------------------------------------------- Poisson */

static double pois_pmf(const law *L, unsigned k) {
  return gsl_ran_poisson_pdf(k, L->a);
}
static double pois_below(const law *L, unsigned k) {
  return gsl_cdf_poisson_P(k - 1, L->a);
}
static double pois_above(const law *L, unsigned k) {
  return gsl_cdf_poisson_Q(k, L->a);
}
static uint32_t pois_draw(ddr_stream *s, const law *L) {
  return ddr_poisson(s, L->a);
}

static void test_poisson(void **state) {
  (void)state;
  const double mus[] = {0.1, 3, 9.9, 10, 10.1, 50, 1000, 1e6};
  ddr_stream s;
  for (size_t i = 0; i < sizeof mus / sizeof *mus; i++) {
    law L = {pois_pmf, pois_below, pois_above, mus[i], 0, 0, 0, 0};
    unsigned k0, k1;
    window(mus[i], sqrt(mus[i]), 0, 4e9, &k0, &k1);
    char what[64];
    snprintf(what, sizeof what, "poisson(mu=%g)", mus[i]);
    ddr_stream_init(&s, 2000, i, ddr_component_id("test.poisson"), 0);
    chi_square(what, &s, pois_draw, &L, k0, k1);
  }
  ddr_stream_init(&s, 1, 0, 0, 0);
  assert_int_equal(ddr_poisson(&s, 0), 0);
  assert_int_equal(ddr_poisson(&s, -1), 0);
}

/* ---------------------------------------------------------- hypergeometric */

static double hyp_pmf(const law *L, unsigned k) {
  return gsl_ran_hypergeometric_pdf(k, L->n1, L->n2, L->t);
}
static double hyp_below(const law *L, unsigned k) {
  return gsl_cdf_hypergeometric_P(k - 1, L->n1, L->n2, L->t);
}
static double hyp_above(const law *L, unsigned k) {
  return gsl_cdf_hypergeometric_Q(k, L->n1, L->n2, L->t);
}
static uint32_t hyp_draw(ddr_stream *s, const law *L) {
  return ddr_hypergeometric(s, L->n1, L->n2, L->t);
}

static void test_hypergeometric(void **state) {
  (void)state;
  /* Sequential draws (t <= 20), the mode search, and each symmetry: more
   * successes than failures, more than half drawn, both. */
  const unsigned cases[][3] = {
      {10, 20, 5},          {20, 10, 15},           {5, 1000, 30},
      {100, 200, 50},       {300, 100, 250},        {1000, 1000, 1990},
      {3, 1000000, 500000}, {1000000, 1000000, 30}, {400000, 600000, 300000},
      {1000000, 3, 999000}, {50, 50, 100},
  };
  ddr_stream s;
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    law L = {hyp_pmf, hyp_below, hyp_above, 0, 0, cases[i][0], cases[i][1], cases[i][2]};
    double N = (double)cases[i][0] + cases[i][1], p = cases[i][0] / N, t = cases[i][2];
    double mean = t * p, sd = sqrt(t * p * (1 - p) * (N - t) / (N - 1 > 0 ? N - 1 : 1));
    double lo = t > cases[i][1] ? t - cases[i][1] : 0, hi = t < cases[i][0] ? t : cases[i][0];
    unsigned k0, k1;
    window(mean, sd, lo, hi, &k0, &k1);
    char what[96];
    snprintf(what, sizeof what, "hypergeometric(n1=%u, n2=%u, t=%u)", cases[i][0], cases[i][1],
             cases[i][2]);
    ddr_stream_init(&s, 3000, i, ddr_component_id("test.hyper"), 0);
    chi_square(what, &s, hyp_draw, &L, k0, k1);
  }
  ddr_stream_init(&s, 1, 0, 0, 0);
  assert_int_equal(ddr_hypergeometric(&s, 10, 20, 0), 0);
  assert_int_equal(ddr_hypergeometric(&s, 0, 20, 7), 0);
  assert_int_equal(ddr_hypergeometric(&s, 10, 0, 7), 7);
  assert_int_equal(ddr_hypergeometric(&s, 10, 20, 30), 10);
}

/* ------------------------------------------------------------ multivariate */

static void test_multinomial(void **state) {
  (void)state;
  enum { K = 5, R = 20000 };
  const double p[K] = {0.1, 0.2, 0.3, 0.0, 0.4};
  const uint32_t n = 1000;
  double sum[K] = {0}, sum2[K] = {0};
  uint32_t out[K];
  ddr_stream s;
  ddr_stream_init(&s, 4000, 0, ddr_component_id("test.multinomial"), 0);
  for (int r = 0; r < R; r++) {
    ddr_multinomial(&s, n, K, p, out);
    uint32_t total = 0;
    for (int i = 0; i < K; i++) {
      total += out[i];
      sum[i] += out[i];
      sum2[i] += (double)out[i] * out[i];
    }
    assert_int_equal(total, n);
    assert_int_equal(out[3], 0);
  }
  /* Marginals are binomial(n, p_i): mean n p, variance v = n p (1 - p); the
   * sample mean has sd sqrt(v / R), the sample variance about v sqrt(2 / R). */
  for (int i = 0; i < K; i++) {
    double m = sum[i] / R, v = sum2[i] / R - m * m;
    double mu = n * p[i], var = n * p[i] * (1 - p[i]);
    assert_true(fabs(m - mu) <= 4 * sqrt(var / R) + 1e-12);
    assert_true(fabs(v - var) <= 4 * var * sqrt(2.0 / R) + 1e-12);
  }
  /* Probabilities that sum to slightly more than 1 after rounding. */
  double tenth[10];
  for (int i = 0; i < 10; i++) tenth[i] = 0.1;
  uint32_t out10[10];
  for (int r = 0; r < 1000; r++) {
    ddr_multinomial(&s, 37, 10, tenth, out10);
    uint32_t total = 0;
    for (int i = 0; i < 10; i++) total += out10[i];
    assert_int_equal(total, 37);
  }
  const double one = 1;
  ddr_multinomial(&s, 12, 1, &one, out);
  assert_int_equal(out[0], 12);
}

/* Few draws take the items one at a time: the marginal of a kind must be
 * hypergeometric (chi-square against GSL's probabilities). */
static void test_mv_hypergeometric_one_by_one(void **state) {
  (void)state;
  enum { K = 4, R = 40000 };
  const uint32_t n[K] = {30, 12, 0, 58}, t = 25;
  uint32_t out[K];
  double hist[26] = {0};
  ddr_stream s;
  ddr_stream_init(&s, 77, 0, ddr_component_id("test.mvhyper1"), 0);
  for (int r = 0; r < R; r++) {
    ddr_mv_hypergeometric(&s, t, K, n, out);
    assert_int_equal(out[0] + out[1] + out[2] + out[3], t);
    assert_int_equal(out[2], 0);
    hist[out[1]]++;
  }
  double chi2 = 0, po = 0, pe = 0;
  int df = -1;
  for (uint32_t x = 0; x <= t; x++) {
    po += hist[x];
    pe += R * gsl_ran_hypergeometric_pdf(x, n[1], 100 - n[1], t);
    if (pe >= 5 || x == t) {
      chi2 += (po - pe) * (po - pe) / (pe > 0 ? pe : 1);
      df++;
      po = pe = 0;
    }
  }
  assert_true(chi2 < gsl_cdf_chisq_Pinv(0.999, df));
}

static void test_mv_hypergeometric(void **state) {
  (void)state;
  enum { K = 5, R = 20000 };
  const uint32_t n[K] = {5, 0, 20, 7, 100};
  const uint32_t t = 60, N = 132;
  double sum[K] = {0};
  uint32_t out[K];
  ddr_stream s;
  ddr_stream_init(&s, 5000, 0, ddr_component_id("test.mvhyper"), 0);
  for (int r = 0; r < R; r++) {
    ddr_mv_hypergeometric(&s, t, K, n, out);
    uint32_t total = 0;
    for (int i = 0; i < K; i++) {
      assert_true(out[i] <= n[i]);
      total += out[i];
      sum[i] += out[i];
    }
    assert_int_equal(total, t);
  }
  /* Marginal i is hypergeometric: mean t n_i / N, variance
   * t (n_i/N)(1 - n_i/N)(N - t)/(N - 1). */
  for (int i = 0; i < K; i++) {
    double pi = (double)n[i] / N, var = t * pi * (1 - pi) * (N - t) / (N - 1);
    assert_true(fabs(sum[i] / R - t * pi) <= 4 * sqrt(var / R) + 1e-12);
  }
  ddr_mv_hypergeometric(&s, N, K, n, out);
  for (int i = 0; i < K; i++) assert_int_equal(out[i], n[i]);
  /* Counts whose total exceeds 32 bits. */
  const uint32_t big[3] = {4000000000u, 4000000000u, 10};
  uint32_t outb[3];
  ddr_mv_hypergeometric(&s, 3000000000u, 3, big, outb);
  assert_int_equal((uint64_t)outb[0] + outb[1] + outb[2], 3000000000u);
  assert_true(outb[2] <= 10);
}

/* The rejection steps of BTRS and PTRS matter only for a minority of draws, so
 * an error there (a dropped Stirling correction, a squeeze constant off by a
 * few percent) shifts probabilities by ~0.1%; that takes millions of draws to
 * see. These cases sit where the rejection region is largest. */
static void test_rejection_deep(void **state) {
  (void)state;
  enum { DEEP = 5000000 };
  ddr_stream s;
  const double bin[][2] = {{100, 0.1}, {200, 0.05}, {30, 0.5}};
  for (size_t i = 0; i < sizeof bin / sizeof *bin; i++) {
    law L = {binom_pmf, binom_below, binom_above, bin[i][1], bin[i][0], 0, 0, 0};
    double mean = bin[i][0] * bin[i][1];
    unsigned k0, k1;
    window(mean, sqrt(mean), 0, bin[i][0], &k0, &k1);
    ddr_stream_init(&s, 6000, i, ddr_component_id("test.binomial.deep"), 0);
    chi_square_n("binomial, deep", &s, binom_draw, &L, k0, k1, DEEP);
  }
  const double mus[] = {15, 100};
  for (size_t i = 0; i < sizeof mus / sizeof *mus; i++) {
    law L = {pois_pmf, pois_below, pois_above, mus[i], 0, 0, 0, 0};
    unsigned k0, k1;
    window(mus[i], sqrt(mus[i]), 0, 4e9, &k0, &k1);
    ddr_stream_init(&s, 6100, i, ddr_component_id("test.poisson.deep"), 0);
    chi_square_n("poisson, deep", &s, pois_draw, &L, k0, k1, DEEP);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_binomial_grid),
      cmocka_unit_test(test_binomial_edges),
      cmocka_unit_test(test_poisson),
      cmocka_unit_test(test_hypergeometric),
      cmocka_unit_test(test_multinomial),
      cmocka_unit_test(test_mv_hypergeometric),
      cmocka_unit_test(test_mv_hypergeometric_one_by_one),
      cmocka_unit_test(test_rejection_deep),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Exact discrete samplers drawing from a ddr_stream: binomial, Poisson,
 * hypergeometric, multinomial and multivariate hypergeometric. They are called
 * millions of times per run, so none allocates, and a binomial with few trials
 * costs one uniform and no logarithm. */
#include "ddrsim/rng.h"

#include <assert.h>
#include <float.h>
#include <math.h>

#define HALF_LOG_2PI 0.91893853320467274178

/* Beyond this many steps a sequential search with mean < 10 has passed all but
 * ~1e-70 of the mass (far below the 2^-52 resolution of a uniform); reaching it
 * means rounding left the uniform above the summed probabilities, and the draw
 * is repeated. */
#define SEARCH_CUTOFF 110

/* fc(k) = log k! - [(k + 1/2) log(k + 1) - (k + 1) + log(2 pi) / 2], the error
 * of Stirling's formula, for k = 0..9 (computed in extended precision). */
static const double stirling_tail_table[10] = {0.081061466795327258197,  0.041340695955409294054,
                                               0.027677925684998338953,  0.020790672103765093365,
                                               0.016644691189821192272,  0.013876128823070747569,
                                               0.011896709945891769961,  0.01041126526197209707,
                                               0.0092554621827127319875, 0.0083305634333628725274};

/* fc(k): the table for k < 10, otherwise the asymptotic series in 1/(k + 1)
 * (1/12x - 1/360x^3 + 1/1260x^5 - 1/1680x^7 + 1/1188x^9); the first omitted
 * term is below 1e-14 at k = 10. */
static double stirling_tail(double k) {
  if (k < 10) return stirling_tail_table[(int)k];
  double x = k + 1, y = 1 / (x * x);
  return (1.0 / 12 - (1.0 / 360 - (1.0 / 1260 - (1.0 / 1680 - y / 1188) * y) * y) * y) / x;
}

/* log k! for integer k >= 0. Not lgamma: glibc's writes the global signgam,
 * a data race when replications run in threads. */
static double log_factorial(double k) {
  static const double table[10] = {0,
                                   0,
                                   0.69314718055994530943,
                                   1.7917594692280550009,
                                   3.1780538303479456198,
                                   4.7874917427820459941,
                                   6.5792512120101009953,
                                   8.5251613610654143009,
                                   10.604602902745250227,
                                   12.801827480081469612};
  if (k < 10) return table[(int)k];
  return (k + 0.5) * log(k + 1) - (k + 1) + HALF_LOG_2PI + stirling_tail(k);
}

/* ---------------------------------------------------------------- binomial */

/* q^n by repeated squaring: for small n it is cheaper than exp and log1p, and
 * its error (about n ulps, from the rounding of q = 1 - p) stays below 1e-14. */
static double small_power(double q, uint32_t n) {
  double r = 1;
  for (; n; n >>= 1, q *= q)
    if (n & 1) r *= q;
  return r;
}

/* 1/k for the sequential searches, which would otherwise divide at each step
 * (entry 0 is unused). */
static const double reciprocal[SEARCH_CUTOFF + 1] = {
#define R1(k) 1.0 / (k)
#define R10(k)                                                                                     \
  R1(k), R1(k + 1), R1(k + 2), R1(k + 3), R1(k + 4), R1(k + 5), R1(k + 6), R1(k + 7), R1(k + 8),   \
      R1(k + 9)
    0,       R10(1),  R10(11), R10(21), R10(31), R10(41), R10(51),
    R10(61), R10(71), R10(81), R10(91), R10(101)
#undef R10
#undef R1
};

/* BINV (Kachitvichyanukul and Schmeiser 1988): sequential search from 0 with
 * the recurrence f(k) = f(k - 1) ((n + 1) r / k - r), r = p / q. Needs n p < ~10
 * so the search is short and (1 - p)^n does not underflow. For large n,
 * exp(n log1p(-p)) rather than pow(1 - p, n): 1 - p is rounded, and that error
 * grows n-fold. */
static uint32_t binomial_inversion(ddr_stream *s, double p, uint32_t n) {
  double q = 1 - p, r = p / q, g = r * ((double)n + 1);
  double f0 = n <= 64 ? small_power(q, n) : exp((double)n * log1p(-p));
  uint32_t bound = n < SEARCH_CUTOFF ? n : SEARCH_CUTOFF;
  for (;;) {
    double u = ddr_stream_uniform(s), f = f0;
    for (uint32_t k = 0;; k++) {
      if (u < f) return k;
      if (k == bound) break;
      u -= f;
      f *= g * reciprocal[k + 1] - r;
    }
  }
}

/* log(f(k) / f(m)) for the binomial pmf f and its mode m, with log k! from
 * Stirling's formula plus the tail fc (exact for k < 10). Written as
 * differences of log1p so that no term is much larger than the result: the
 * textbook log m! + log (n-m)! - log k! - log (n-k)! + (k-m) log(p/q) cancels
 * terms of size n log n and loses ~1e-9 at n = 1e6 and ~1e-5 at n = 4e9. */
static double binomial_log_ratio(double k, double m, double n, double p, double q) {
  double d = k - m;
  double lk = log(p * (n - k + 1) / (q * (k + 1)));
  double t = (n + 1) * log1p(d / (n - k + 1)) + d * lk +
             (m + 0.5) * (log1p(-d / (n - m + 1)) - log1p(d / (m + 1)));
  return t + stirling_tail(m) + stirling_tail(n - m) - stirling_tail(k) - stirling_tail(n - k);
}

/* BTRS, transformed rejection with squeeze (Hormann 1993, "The generation of
 * binomial random variates", J. Statist. Comput. Simul. 46), for p <= 1/2 and
 * n p >= 10. The constants are the paper's; the squeeze accepts most pairs
 * without a logarithm. */
static uint32_t binomial_btrs(ddr_stream *s, double p, uint32_t n) {
  double nd = n, q = 1 - p;
  double spq = sqrt(nd * p * q);
  double b = 1.15 + 2.53 * spq;
  double a = -0.0873 + 0.0248 * b + 0.01 * p;
  double c = nd * p + 0.5;
  double vr = 0.92 - 4.2 / b;
  double alpha = (2.83 + 5.1 / b) * spq;
  double m = floor((nd + 1) * p);
  for (;;) {
    double u = ddr_stream_uniform(s) - 0.5;
    double v = ddr_stream_uniform(s);
    double us = 0.5 - fabs(u);
    /* Kept in double: near u = +-1/2 the transform reaches ~1e20. */
    double k = floor((2 * a / us + b) * u + c);
    if (k < 0 || k > nd) continue;
    if (us >= 0.07 && v <= vr) return (uint32_t)k;
    double lv = log(v * alpha / (a / (us * us) + b));
    if (lv <= binomial_log_ratio(k, m, nd, p, q)) return (uint32_t)k;
  }
}

uint32_t ddr_binomial(ddr_stream *s, double p, uint32_t n) {
  if (n == 0 || !(p > 0)) return 0;
  if (p >= 1) return n;
  /* Both methods want p <= 1/2; 1 - p is exact for p > 1/2. */
  int flip = p > 0.5;
  double pp = flip ? 1 - p : p;
  uint32_t k = (double)n * pp < 10 ? binomial_inversion(s, pp, n) : binomial_btrs(s, pp, n);
  return flip ? n - k : k;
}

/* ----------------------------------------------------------------- Poisson */

static uint32_t poisson_inversion(ddr_stream *s, double mu) {
  double f0 = exp(-mu);
  for (;;) {
    double u = ddr_stream_uniform(s), f = f0;
    for (uint32_t k = 0;; k++) {
      if (u < f) return k;
      if (k == SEARCH_CUTOFF) break;
      u -= f;
      f *= mu * reciprocal[k + 1];
    }
  }
}

/* PTRS (Hormann 1993, "The transformed rejection method for generating Poisson
 * random variables", Insurance: Mathematics and Economics 12) for mu >= 10.
 * The log pmf is written around k + 1 - mu so it keeps its precision when mu
 * is large: log f(k) = (k + 1 - mu) - (k + 1/2) log1p((k + 1 - mu) / mu)
 * - log(mu) / 2 - log(2 pi) / 2 - fc(k). */
static uint32_t poisson_ptrs(ddr_stream *s, double mu) {
  double slam = sqrt(mu);
  double b = 0.931 + 2.53 * slam;
  double a = -0.059 + 0.02483 * b;
  double invalpha = 1.1239 + 1.1328 / (b - 3.4);
  double vr = 0.9277 - 3.6224 / (b - 2);
  double lconst = 0.5 * log(mu) + HALF_LOG_2PI;
  for (;;) {
    double u = ddr_stream_uniform(s) - 0.5;
    double v = ddr_stream_uniform(s);
    double us = 0.5 - fabs(u);
    double k = floor((2 * a / us + b) * u + mu + 0.43);
    if (k < 0 || k > UINT32_MAX) continue;
    if (us >= 0.07 && v <= vr) return (uint32_t)k;
    if (us < 0.013 && v > us) continue;
    double d = k + 1 - mu;
    double lf = d - (k + 0.5) * log1p(d / mu) - lconst - stirling_tail(k);
    if (log(v * invalpha / (a / (us * us) + b)) <= lf) return (uint32_t)k;
  }
}

uint32_t ddr_poisson(ddr_stream *s, double mu) {
  if (!(mu > 0)) return 0;
  return mu < 10 ? poisson_inversion(s, mu) : poisson_ptrs(s, mu);
}

/* ---------------------------------------------------------- hypergeometric */

/* Successes in t draws from m successes among N items, one draw at a time:
 * O(t), for small t. */
static uint64_t hyper_sequential(ddr_stream *s, uint64_t m, uint64_t N, uint64_t t) {
  uint64_t k = 0;
  double succ = (double)m, total = (double)N;
  for (uint64_t i = 0; i < t && succ > 0; i++, total -= 1) {
    if (ddr_stream_uniform(s) * total < succ) {
      k++;
      succ -= 1;
    }
  }
  return k;
}

/* Search outward from the mode, alternating sides, summing the pmf by its
 * recurrence; any fixed order of the support inverts exactly. f(mode) comes from
 * log factorials, whose sum loses precision for large N, so it is deliberately
 * scaled down by more than that error: the summed mass then stays below 1, a
 * uniform that falls past it starts again, and the result is exactly
 * proportional to the recurrence whatever the error in f(mode). O(sd) steps. */
static uint64_t hyper_mode_search(ddr_stream *s, uint64_t m, uint64_t N, uint64_t t) {
  double F = (double)(N - m), md = (double)m, td = (double)t, Nd = (double)N;
  double kmin = td > F ? td - F : 0, kmax = td < md ? td : md;
  double mode = floor((td + 1) * (md + 1) / (Nd + 2));
  if (mode < kmin) mode = kmin;
  if (mode > kmax) mode = kmax;
  double terms[9] = {
      log_factorial(md),         log_factorial(F),          log_factorial(td),
      log_factorial(Nd - td),    -log_factorial(Nd),        -log_factorial(mode),
      -log_factorial(md - mode), -log_factorial(td - mode), -log_factorial(F - td + mode)};
  double lp = 0, mag = 0;
  for (int i = 0; i < 9; i++) {
    lp += terms[i];
    mag += fabs(terms[i]);
  }
  /* Bound on the error of lp: rounding (a few ulps of each term) plus the
   * truncated Stirling series (< 1e-14 per term). */
  double fmode = exp(lp - 1e-12 - 16 * DBL_EPSILON * mag);
  double tiny = fmode * 1e-20; /* past this the rest of a tail is negligible */
  for (;;) {
    double u = ddr_stream_uniform(s);
    if (u < fmode) return (uint64_t)mode;
    u -= fmode;
    double ku = mode, kl = mode, fu = fmode, fl = fmode;
    for (;;) {
      int up = ku < kmax && fu > tiny, down = kl > kmin && fl > tiny;
      if (!up && !down) break;
      if (up) {
        fu *= (md - ku) * (td - ku) / ((ku + 1) * (F - td + ku + 1));
        ku += 1;
        if (u < fu) return (uint64_t)ku;
        u -= fu;
      }
      if (down) {
        fl *= kl * (F - td + kl) / ((md - kl + 1) * (td - kl + 1));
        kl -= 1;
        if (u < fl) return (uint64_t)kl;
        u -= fl;
      }
    }
  }
}

/* Hypergeometric with 64-bit counts (the multivariate form sums uint32 counts).
 * Reduced by symmetry to t <= N/2 draws and the rarer kind, which keeps the
 * mode search short and the sequential one for small t. */
static uint64_t hyper64(ddr_stream *s, uint64_t n1, uint64_t n2, uint64_t t) {
  uint64_t N = n1 + n2;
  assert(t <= N);
  if (t >= N) return n1; /* all drawn (and a bad t cannot run away) */
  if (t == 0 || n1 == 0) return 0;
  if (n2 == 0) return t;
  int complement = t > N / 2; /* count successes left behind instead */
  uint64_t tt = complement ? N - t : t;
  int swap = n1 > n2; /* count failures instead */
  uint64_t m = swap ? n2 : n1;
  uint64_t x = tt <= 20 ? hyper_sequential(s, m, N, tt) : hyper_mode_search(s, m, N, tt);
  if (swap) x = tt - x;
  return complement ? n1 - x : x;
}

uint32_t ddr_hypergeometric(ddr_stream *s, uint32_t n1, uint32_t n2, uint32_t t) {
  return (uint32_t)hyper64(s, n1, n2, t);
}

/* ------------------------------------------------------------ multivariate */

void ddr_multinomial(ddr_stream *s, uint32_t n, size_t k, const double *p, uint32_t *out) {
  if (k == 0) return;
  double rest = 1; /* probability not yet given to a category */
  uint32_t left = n;
  for (size_t i = 0; i + 1 < k; i++) {
    double pi = p[i] > 0 ? p[i] : 0;
    /* Rounding in rest can push the ratio just past 1. */
    double c = pi <= 0 ? 0 : pi >= rest ? 1 : pi / rest;
    out[i] = left > 0 && c > 0 ? ddr_binomial(s, c, left) : 0;
    left -= out[i];
    rest -= pi;
  }
  out[k - 1] = left;
}

/* Few draws: take the items one at a time, each uniformly among those left,
 * which is exact and cheaper than a hypergeometric draw per kind. */
#define MVH_ONE_BY_ONE 48

void ddr_mv_hypergeometric(ddr_stream *s, uint32_t t, size_t k, const uint32_t *n, uint32_t *out) {
  if (k == 0) return;
  uint64_t rest = 0; /* items of the kinds not yet visited */
  for (size_t i = 0; i < k; i++) rest += n[i];
  assert(t <= rest);
  uint64_t left = t <= rest ? t : rest;
  if (left <= MVH_ONE_BY_ONE && rest <= UINT32_MAX && k <= 64) {
    uint32_t have[64];
    for (size_t i = 0; i < k; i++) have[i] = n[i], out[i] = 0;
    for (; left > 0; left--, rest--) {
      uint32_t u = ddr_uniform_below(s, (uint32_t)rest);
      size_t i = 0;
      while (u >= have[i]) u -= have[i++];
      have[i]--;
      out[i]++;
    }
    return;
  }
  for (size_t i = 0; i + 1 < k; i++) {
    rest -= n[i];
    out[i] = left > 0 ? (uint32_t)hyper64(s, n[i], rest, left) : 0;
    left -= out[i];
  }
  out[k - 1] = (uint32_t)left;
}

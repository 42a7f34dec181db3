/* The distribution families: for each, the parameter check that fills the
 * canonical values, a sampler that draws only from the ddr_stream (so a draw is
 * fixed by the stream's key), the cdf and the mean; and the registry listing
 * them. Generic set-up, copying and describing are in dist.c. */
#include "ddrsim/dist.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <gsl/gsl_cdf.h>

/* z of the 90th percentile of the standard normal: lognormal p90 = median e^(z sigma). */
#define Z90 1.2815515655446004
/* Below this probability of [min, max] a truncated normal is sampled by
 * inversion rather than by resampling, which would need 1/P tries. */
#define NORMAL_RESAMPLE_MIN 0.25
#define NORMAL_MIN_MASS     1e-6

static int fail(char *msg, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *msg, size_t size, const char *fmt, ...) {
  if (msg && size) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, size, fmt, ap);
    va_end(ap);
  }
  return -1;
}

/* Check that parameter i was given; the message names it and the family. */
static int need(const ddr_dist *d, const int *given, int i, char *msg, size_t size) {
  if (given[i]) return 0;
  return fail(msg, size, "missing parameter \"%s\" for %s", d->type->param_names[i], d->type->name);
}

/* Shared check of min <= mode <= max with min < max (triangular, pert). */
static int check_min_mode_max(double lo, double mode, double hi, char *msg, size_t size) {
  if (!(lo <= mode && mode <= hi))
    return fail(msg, size, "expected min <= mode <= max, found min %g, mode %g, max %g", lo, mode,
                hi);
  if (!(lo < hi)) return fail(msg, size, "expected min < max, found min %g, max %g", lo, hi);
  return 0;
}

/* ------------------------------------------------------------- samplers */

/* Standard normal by Leva's ratio of uniforms (ACM TOMS 18, 1992): the
 * quadratic squeezes avoid the logarithm in all but ~1% of draws. */
static double std_normal(ddr_stream *s) {
  const double S = 0.449871, T = -0.386595, A = 0.19600, B = 0.25472;
  const double R1 = 0.27597, R2 = 0.27846;
  double u, v, q;
  do {
    u = ddr_stream_uniform(s);
    v = 1.7156 * (ddr_stream_uniform(s) - 0.5);
    double x = u - S, y = fabs(v) - T;
    q = x * x + y * (A * y - B * x);
  } while (q > R1 && (q > R2 || v * v > -4 * u * u * log(u)));
  return v / u;
}

/* Gamma(a, 1) for a >= 1 by Marsaglia and Tsang (ACM TOMS 26, 2000). */
static double gamma_mt(ddr_stream *s, double a) {
  double dd = a - 1.0 / 3, c = 1 / sqrt(9 * dd);
  for (;;) {
    double x, v;
    do {
      x = std_normal(s);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    double u = ddr_stream_uniform(s), x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2) return dd * v;
    if (log(u) < 0.5 * x2 + dd * (1 - v + log(v))) return dd * v;
  }
}

/* log of a Gamma(a, 1) draw. For a < 1, Gamma(a) = Gamma(a + 1) U^(1/a), kept
 * in logs because U^(1/a) underflows for small a. */
static double log_gamma_draw(ddr_stream *s, double a) {
  if (a >= 1) return log(gamma_mt(s, a));
  double g = log(gamma_mt(s, a + 1));
  return g + log(ddr_stream_uniform(s)) / a;
}

static double gamma_draw(ddr_stream *s, double a) {
  return a >= 1 ? gamma_mt(s, a) : exp(log_gamma_draw(s, a));
}

/* Beta(a, b) as X / (X + Y) with X, Y gamma; through logs when a shape is
 * below 1 and both gammas could underflow to 0. */
static double beta_draw(ddr_stream *s, double a, double b) {
  if (a >= 1 && b >= 1) {
    double x = gamma_mt(s, a), y = gamma_mt(s, b);
    return x / (x + y);
  }
  double lx = log_gamma_draw(s, a), ly = log_gamma_draw(s, b);
  return 1 / (1 + exp(ly - lx));
}

/* ------------------------------------------------------------- constant */

static const char *const constant_names[] = {"value", NULL};

static int constant_prepare(ddr_dist *d, const int *given, char *msg, size_t size) {
  if (need(d, given, 0, msg, size)) return -1;
  d->c[0] = d->lo = d->hi = d->p[0];
  return 0;
}
static double constant_sample(const ddr_dist *d, ddr_stream *s) {
  (void)s;
  return d->c[0];
}
static double constant_cdf(const ddr_dist *d, double x) {
  return x < d->c[0] ? 0 : 1;
}
static double constant_mean(const ddr_dist *d) {
  return d->c[0];
}

static const ddr_dist_type constant_type = {
    .name = "constant",
    .summary = "always the same value",
    .param_names = constant_names,
    .prepare = constant_prepare,
    .sample = constant_sample,
    .cdf = constant_cdf,
    .mean = constant_mean,
};

/* -------------------------------------------------------------- uniform */

static const char *const uniform_names[] = {"min", "max", NULL};

static int uniform_prepare(ddr_dist *d, const int *given, char *msg, size_t size) {
  if (need(d, given, 0, msg, size) || need(d, given, 1, msg, size)) return -1;
  if (!(d->p[0] <= d->p[1]))
    return fail(msg, size, "expected min <= max, found min %g, max %g", d->p[0], d->p[1]);
  d->c[0] = d->lo = d->p[0];
  d->c[1] = d->hi = d->p[1];
  return 0;
}
static double uniform_sample(const ddr_dist *d, ddr_stream *s) {
  return d->c[0] + (d->c[1] - d->c[0]) * ddr_stream_uniform(s);
}
static double uniform_cdf(const ddr_dist *d, double x) {
  if (x < d->c[0]) return 0;
  if (x >= d->c[1]) return 1;
  return (x - d->c[0]) / (d->c[1] - d->c[0]);
}
static double uniform_mean(const ddr_dist *d) {
  return 0.5 * (d->c[0] + d->c[1]);
}

static const ddr_dist_type uniform_type = {
    .name = "uniform",
    .summary = "equally likely anywhere in [min, max]",
    .param_names = uniform_names,
    .prepare = uniform_prepare,
    .sample = uniform_sample,
    .cdf = uniform_cdf,
    .mean = uniform_mean,
};

/* ----------------------------------------------------------- triangular */

static const char *const triangular_names[] = {"min", "mode", "max", NULL};

static int triangular_prepare(ddr_dist *d, const int *given, char *msg, size_t size) {
  for (int i = 0; i < 3; i++)
    if (need(d, given, i, msg, size)) return -1;
  if (check_min_mode_max(d->p[0], d->p[1], d->p[2], msg, size)) return -1;
  for (int i = 0; i < 3; i++) d->c[i] = d->p[i];
  d->lo = d->p[0];
  d->hi = d->p[2];
  return 0;
}
static double triangular_sample(const ddr_dist *d, ddr_stream *s) {
  double a = d->c[0], m = d->c[1], b = d->c[2], u = ddr_stream_uniform(s);
  double x = u < (m - a) / (b - a) ? a + sqrt(u * (b - a) * (m - a))
                                   : b - sqrt((1 - u) * (b - a) * (b - m));
  return x < a ? a : x > b ? b : x; /* sqrt rounding only */
}
static double triangular_cdf(const ddr_dist *d, double x) {
  double a = d->c[0], m = d->c[1], b = d->c[2];
  if (x <= a) return 0;
  if (x >= b) return 1;
  if (x <= m) return (x - a) * (x - a) / ((b - a) * (m - a));
  return 1 - (b - x) * (b - x) / ((b - a) * (b - m));
}
static double triangular_mean(const ddr_dist *d) {
  return (d->c[0] + d->c[1] + d->c[2]) / 3;
}

static const ddr_dist_type triangular_type = {
    .name = "triangular",
    .summary = "rises linearly from min to mode, falls to max",
    .param_names = triangular_names,
    .prepare = triangular_prepare,
    .sample = triangular_sample,
    .cdf = triangular_cdf,
    .mean = triangular_mean,
};

/* --------------------------------------------------------------- normal */

/* c[]: mean, sd, tail (1: probabilities measured from the upper tail, kept when
 * [min, max] lies above the mean so that small masses stay precise), F(a) (the
 * tail probability at the standardised lower bound a), mass of [min, max],
 * method (0 untruncated, 1 resample, 2 invert). */
enum { N_MEAN, N_SD, N_TAIL, N_FA, N_MASS, N_METHOD };

static const char *const normal_names[] = {"mean", "sd", "min", "max", NULL};

/* Standard normal P(Z <= z), or P(Z > z) when upper, with infinite z. */
static double phi_tail(double z, int upper) {
  if (isinf(z)) return (z > 0) != (upper != 0) ? 1 : 0;
  return upper ? gsl_cdf_ugaussian_Q(z) : gsl_cdf_ugaussian_P(z);
}

static double std_density(double z) {
  return isinf(z) ? 0 : exp(-0.5 * z * z) * 0.39894228040143267794;
}

static int normal_prepare(ddr_dist *d, const int *given, char *msg, size_t size) {
  if (need(d, given, 0, msg, size) || need(d, given, 1, msg, size)) return -1;
  double mean = d->p[0], sd = d->p[1];
  if (!(sd > 0)) return fail(msg, size, "expected sd > 0, found sd %g", sd);
  d->lo = given[2] ? d->p[2] : -INFINITY;
  d->hi = given[3] ? d->p[3] : INFINITY;
  if (given[2] && given[3] && !(d->lo < d->hi))
    return fail(msg, size, "expected min < max, found min %g, max %g", d->lo, d->hi);
  double a = (d->lo - mean) / sd, b = (d->hi - mean) / sd;
  int upper = a > 0;
  double fa = phi_tail(a, upper), fb = phi_tail(b, upper);
  double mass = upper ? fa - fb : fb - fa;
  if (!(mass >= NORMAL_MIN_MASS))
    return fail(msg, size,
                "expected P(min <= X <= max) >= %g, found %.3g for mean %g, sd %g, min %g, max %g",
                NORMAL_MIN_MASS, mass, mean, sd, d->lo, d->hi);
  d->c[N_MEAN] = mean;
  d->c[N_SD] = sd;
  d->c[N_TAIL] = upper;
  d->c[N_FA] = fa;
  d->c[N_MASS] = mass;
  d->c[N_METHOD] = !given[2] && !given[3] ? 0 : mass >= NORMAL_RESAMPLE_MIN ? 1 : 2;
  return 0;
}

static double normal_sample(const ddr_dist *d, ddr_stream *s) {
  double mean = d->c[N_MEAN], sd = d->c[N_SD], x;
  switch ((int)d->c[N_METHOD]) {
  case 0:
    return mean + sd * std_normal(s);
  case 1: /* truncation by resampling, never by clamping */
    do x = mean + sd * std_normal(s);
    while (x < d->lo || x > d->hi);
    return x;
  default: { /* little mass inside: invert the cdf restricted to [min, max] */
    double u = ddr_stream_uniform(s) * d->c[N_MASS];
    x = d->c[N_TAIL] ? mean + sd * gsl_cdf_ugaussian_Qinv(d->c[N_FA] - u)
                     : mean + sd * gsl_cdf_ugaussian_Pinv(d->c[N_FA] + u);
    return x < d->lo ? d->lo : x > d->hi ? d->hi : x; /* rounding only */
  }
  }
}

static double normal_cdf(const ddr_dist *d, double x) {
  if (x < d->lo) return 0;
  if (x >= d->hi) return 1;
  int upper = d->c[N_TAIL] != 0;
  double fx = phi_tail((x - d->c[N_MEAN]) / d->c[N_SD], upper);
  double f = (upper ? d->c[N_FA] - fx : fx - d->c[N_FA]) / d->c[N_MASS];
  return f < 0 ? 0 : f > 1 ? 1 : f;
}

/* E[X | min <= X <= max] = mean + sd (phi(a) - phi(b)) / P(a <= Z <= b). */
static double normal_mean(const ddr_dist *d) {
  double mean = d->c[N_MEAN], sd = d->c[N_SD];
  double a = (d->lo - mean) / sd, b = (d->hi - mean) / sd;
  return mean + sd * (std_density(a) - std_density(b)) / d->c[N_MASS];
}

static const ddr_dist_type normal_type = {
    .name = "normal",
    .summary = "Gaussian, optionally truncated to [min, max] (by resampling)",
    .param_names = normal_names,
    .prepare = normal_prepare,
    .sample = normal_sample,
    .cdf = normal_cdf,
    .mean = normal_mean,
};

/* ------------------------------------------------------------ lognormal */

static const char *const lognormal_names[] = {"median", "p90", "mu", "sigma", NULL};

static int lognormal_prepare(ddr_dist *d, const int *given, char *msg, size_t size) {
  int quantiles = given[0] || given[1], moments = given[2] || given[3];
  if (quantiles && moments)
    return fail(msg, size, "give either median and p90 or mu and sigma, not both");
  if (!quantiles && !moments)
    return fail(msg, size,
                "missing parameters for lognormal: give either median and p90 or mu "
                "and sigma");
  if (quantiles) {
    if (need(d, given, 0, msg, size) || need(d, given, 1, msg, size)) return -1;
    double med = d->p[0], p90 = d->p[1];
    if (!(med > 0)) return fail(msg, size, "expected median > 0, found median %g", med);
    if (!(p90 > med))
      return fail(msg, size, "expected p90 > median, found median %g, p90 %g", med, p90);
    d->c[0] = log(med);
    d->c[1] = (log(p90) - log(med)) / Z90;
  } else {
    if (need(d, given, 2, msg, size) || need(d, given, 3, msg, size)) return -1;
    if (!(d->p[3] > 0)) return fail(msg, size, "expected sigma > 0, found sigma %g", d->p[3]);
    d->c[0] = d->p[2];
    d->c[1] = d->p[3];
  }
  d->lo = 0;
  d->hi = INFINITY;
  return 0;
}
static double lognormal_sample(const ddr_dist *d, ddr_stream *s) {
  return exp(d->c[0] + d->c[1] * std_normal(s));
}
static double lognormal_cdf(const ddr_dist *d, double x) {
  if (!(x > 0)) return 0;
  if (isinf(x)) return 1;
  /* Phi((ln x - mu) / sigma) through erfc: as accurate as GSL's and several
   * times faster, which matters when stay tables are built per replication */
  return 0.5 * erfc(-(log(x) - d->c[0]) / (d->c[1] * 1.4142135623730951));
}
static double lognormal_mean(const ddr_dist *d) {
  return exp(d->c[0] + 0.5 * d->c[1] * d->c[1]);
}

static const ddr_dist_type lognormal_type = {
    .name = "lognormal",
    .summary = "log is normal; from median and p90 or from mu and sigma",
    .param_names = lognormal_names,
    .prepare = lognormal_prepare,
    .sample = lognormal_sample,
    .cdf = lognormal_cdf,
    .mean = lognormal_mean,
};

/* ---------------------------------------------------------------- gamma */

static const char *const gamma_names[] = {"shape", "scale", "mean", "sd", NULL};

static int gamma_prepare(ddr_dist *d, const int *given, char *msg, size_t size) {
  int direct = given[0] || given[1], moments = given[2] || given[3];
  if (direct && moments)
    return fail(msg, size, "give either shape and scale or mean and sd, not both");
  if (!direct && !moments)
    return fail(msg, size,
                "missing parameters for gamma: give either shape and scale or mean "
                "and sd");
  int first = moments ? 2 : 0;
  if (need(d, given, first, msg, size) || need(d, given, first + 1, msg, size)) return -1;
  for (int i = first; i < first + 2; i++)
    if (!(d->p[i] > 0))
      return fail(msg, size, "expected %s > 0, found %s %g", gamma_names[i], gamma_names[i],
                  d->p[i]);
  if (moments) {
    double r = d->p[2] / d->p[3];
    d->c[0] = r * r;
    d->c[1] = d->p[3] * d->p[3] / d->p[2];
  } else {
    d->c[0] = d->p[0];
    d->c[1] = d->p[1];
  }
  d->lo = 0;
  d->hi = INFINITY;
  return 0;
}
static double gamma_sample(const ddr_dist *d, ddr_stream *s) {
  return d->c[1] * gamma_draw(s, d->c[0]);
}
static double gamma_cdf(const ddr_dist *d, double x) {
  if (!(x > 0)) return 0;
  if (isinf(x)) return 1;
  return gsl_cdf_gamma_P(x, d->c[0], d->c[1]);
}
static double gamma_mean(const ddr_dist *d) {
  return d->c[0] * d->c[1];
}

static const ddr_dist_type gamma_type = {
    .name = "gamma",
    .summary = "gamma; from shape and scale or from mean and sd",
    .param_names = gamma_names,
    .prepare = gamma_prepare,
    .sample = gamma_sample,
    .cdf = gamma_cdf,
    .mean = gamma_mean,
};

/* ----------------------------------------------------------- beta, pert */

/* Both keep c[] = alpha, beta, min, max and share sampler, cdf and mean. */

static double scaled_beta_sample(const ddr_dist *d, ddr_stream *s) {
  double x = d->c[2] + (d->c[3] - d->c[2]) * beta_draw(s, d->c[0], d->c[1]);
  return x < d->c[2] ? d->c[2] : x > d->c[3] ? d->c[3] : x; /* rounding only */
}
static double scaled_beta_cdf(const ddr_dist *d, double x) {
  double z = (x - d->c[2]) / (d->c[3] - d->c[2]);
  if (!(z > 0)) return 0;
  if (z >= 1) return 1;
  return gsl_cdf_beta_P(z, d->c[0], d->c[1]);
}
static double scaled_beta_mean(const ddr_dist *d) {
  return d->c[2] + (d->c[3] - d->c[2]) * d->c[0] / (d->c[0] + d->c[1]);
}

static const char *const beta_names[] = {"alpha", "beta", "min", "max", NULL};

static int beta_prepare(ddr_dist *d, const int *given, char *msg, size_t size) {
  for (int i = 0; i < 2; i++) {
    if (need(d, given, i, msg, size)) return -1;
    if (!(d->p[i] > 0))
      return fail(msg, size, "expected %s > 0, found %s %g", beta_names[i], beta_names[i], d->p[i]);
  }
  if (!given[2] != !given[3]) return fail(msg, size, "give both min and max for beta, or neither");
  double lo = given[2] ? d->p[2] : 0, hi = given[3] ? d->p[3] : 1;
  if (!(lo < hi)) return fail(msg, size, "expected min < max, found min %g, max %g", lo, hi);
  d->c[0] = d->p[0];
  d->c[1] = d->p[1];
  d->c[2] = d->lo = lo;
  d->c[3] = d->hi = hi;
  return 0;
}

static const ddr_dist_type beta_type = {
    .name = "beta",
    .summary = "beta on [0, 1], or rescaled to [min, max]",
    .param_names = beta_names,
    .prepare = beta_prepare,
    .sample = scaled_beta_sample,
    .cdf = scaled_beta_cdf,
    .mean = scaled_beta_mean,
};

static const char *const pert_names[] = {"min", "mode", "max", "lambda", NULL};

static int pert_prepare(ddr_dist *d, const int *given, char *msg, size_t size) {
  for (int i = 0; i < 3; i++)
    if (need(d, given, i, msg, size)) return -1;
  if (!given[3]) d->p[3] = 4; /* the classic PERT weight of the mode */
  double lo = d->p[0], mode = d->p[1], hi = d->p[2], lambda = d->p[3];
  if (check_min_mode_max(lo, mode, hi, msg, size)) return -1;
  if (!(lambda > 0)) return fail(msg, size, "expected lambda > 0, found lambda %g", lambda);
  d->c[0] = 1 + lambda * (mode - lo) / (hi - lo);
  d->c[1] = 1 + lambda * (hi - mode) / (hi - lo);
  d->c[2] = d->lo = lo;
  d->c[3] = d->hi = hi;
  return 0;
}

static const ddr_dist_type pert_type = {
    .name = "pert",
    .summary = "beta-PERT from min, mode, max (lambda weights the mode, default 4)",
    .param_names = pert_names,
    .prepare = pert_prepare,
    .sample = scaled_beta_sample,
    .cdf = scaled_beta_cdf,
    .mean = scaled_beta_mean,
};

/* ---------------------------------------------------- discrete, empirical */

/* ddr_dist_init has copied the values and the raw weights (or ones) into
 * d->values and d->cum; these check them and turn cum into cumulative
 * probabilities ending exactly at 1. */

static const char *const discrete_names[] = {"values", "weights", NULL};
static const char *const empirical_names[] = {"values", NULL};

static int table_prepare(ddr_dist *d, const int *given, char *msg, size_t size) {
  (void)given; /* values and weights come as arrays */
  if (d->nvalues == 0) return fail(msg, size, "missing parameter \"values\" for %s", d->type->name);
  double sum = 0;
  for (size_t i = 0; i < d->nvalues; i++) {
    if (!(d->cum[i] >= 0))
      return fail(msg, size, "expected weights >= 0, found weight %g at position %zu", d->cum[i],
                  i + 1);
    sum += d->cum[i];
  }
  if (!(sum > 0) || isinf(sum))
    return fail(msg, size, "expected weights with a positive finite sum, found sum %g", sum);
  double acc = 0;
  d->lo = d->hi = d->values[0];
  for (size_t i = 0; i < d->nvalues; i++) {
    acc += d->cum[i];
    d->cum[i] = acc / sum;
    if (d->values[i] < d->lo) d->lo = d->values[i];
    if (d->values[i] > d->hi) d->hi = d->values[i];
  }
  d->cum[d->nvalues - 1] = 1;
  return 0;
}

/* First value whose cumulative probability exceeds u; zero weights are never
 * chosen since u > 0 and their cum equals the previous one. */
static double discrete_sample(const ddr_dist *d, ddr_stream *s) {
  double u = ddr_stream_uniform(s);
  size_t lo = 0, hi = d->nvalues - 1;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (d->cum[mid] > u)
      hi = mid;
    else
      lo = mid + 1;
  }
  return d->values[lo];
}

/* Values keep their given order (so describe shows them as written), hence a
 * linear scan; the cdf is not on any hot path. */
static double table_cdf(const ddr_dist *d, double x) {
  double f = 0, prev = 0;
  for (size_t i = 0; i < d->nvalues; i++) {
    if (d->values[i] <= x) f += d->cum[i] - prev;
    prev = d->cum[i];
  }
  return f > 1 ? 1 : f;
}

static double table_mean(const ddr_dist *d) {
  double m = 0, prev = 0;
  for (size_t i = 0; i < d->nvalues; i++) {
    m += d->values[i] * (d->cum[i] - prev);
    prev = d->cum[i];
  }
  return m;
}

static double empirical_sample(const ddr_dist *d, ddr_stream *s) {
  size_t i = (size_t)(ddr_stream_uniform(s) * (double)d->nvalues);
  return d->values[i < d->nvalues ? i : d->nvalues - 1];
}

static const ddr_dist_type discrete_type = {
    .name = "discrete",
    .summary = "one of the listed values, with the given weights (default equal)",
    .param_names = discrete_names,
    .prepare = table_prepare,
    .sample = discrete_sample,
    .cdf = table_cdf,
    .mean = table_mean,
};

static const ddr_dist_type empirical_type = {
    .name = "empirical",
    .summary = "one of the observed values, each equally likely",
    .param_names = empirical_names,
    .prepare = table_prepare,
    .sample = empirical_sample,
    .cdf = table_cdf,
    .mean = table_mean,
};

/* ------------------------------------------------------------- registry */

const ddr_dist_type *ddr_dist_constant = &constant_type, *ddr_dist_uniform = &uniform_type,
                    *ddr_dist_triangular = &triangular_type, *ddr_dist_normal = &normal_type,
                    *ddr_dist_lognormal = &lognormal_type, *ddr_dist_gamma = &gamma_type,
                    *ddr_dist_beta = &beta_type, *ddr_dist_pert = &pert_type,
                    *ddr_dist_discrete = &discrete_type, *ddr_dist_empirical = &empirical_type;

const ddr_dist_type *const ddr_dist_types[] = {&constant_type,
                                               &uniform_type,
                                               &triangular_type,
                                               &normal_type,
                                               &lognormal_type,
                                               &gamma_type,
                                               &beta_type,
                                               &pert_type,
                                               &discrete_type,
                                               &empirical_type,
                                               NULL};

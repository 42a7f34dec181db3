/* Integer histograms: exact quantiles, means and spreads that merge exactly. */
#include "ddrsim/stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const double ddr_quantile_levels[DDR_NQUANTILES] = {0.025, 0.05, 0.10, 0.25, 0.50,
                                                    0.75,  0.80, 0.90, 0.95, 0.975};

void ddr_hist_init(ddr_hist *h) {
  memset(h, 0, sizeof *h);
}

void ddr_hist_borrow(ddr_hist *h, int32_t lo, uint32_t width, uint32_t *storage) {
  ddr_hist_init(h);
  h->lo = lo;
  h->width = width;
  h->count = storage;
  h->borrowed = 1;
}

void ddr_hist_release(ddr_hist *h) {
  if (!h->borrowed) free(h->count);
  ddr_hist_init(h);
}

/* Make room for v; grows with slack on the side that overflowed so a slowly
 * drifting range does not reallocate on every new value. */
static int hist_reserve(ddr_hist *h, int32_t v) {
  if (!h->count) {
    h->count = calloc(256, sizeof *h->count);
    if (!h->count) return -1;
    h->lo = v - 128;
    h->width = 256;
    return 0;
  }
  int64_t lo = h->lo, hi = (int64_t)h->lo + h->width; /* [lo, hi) */
  if (v >= lo && v < hi) return 0;
  int64_t span = hi - lo;
  int64_t nlo = lo, nhi = hi, grow = span / 2 > 64 ? span / 2 : 64;
  if (v < lo) nlo = v - grow;
  if (v >= hi) nhi = (int64_t)v + grow;
  if (nlo < INT32_MIN) nlo = INT32_MIN;
  if (nhi > (int64_t)INT32_MAX + 1) nhi = (int64_t)INT32_MAX + 1;
  uint32_t *c = calloc((size_t)(nhi - nlo), sizeof *c);
  if (!c) return -1;
  memcpy(c + (lo - nlo), h->count, (size_t)span * sizeof *c);
  if (!h->borrowed) free(h->count);
  h->borrowed = 0;
  h->count = c;
  h->lo = (int32_t)nlo;
  h->width = (uint32_t)(nhi - nlo);
  return 0;
}

int ddr_hist_add_n(ddr_hist *h, int32_t v, uint64_t times) {
  if (!times) return 0;
  if (hist_reserve(h, v)) return -1;
  h->count[(int64_t)v - h->lo] += (uint32_t)times;
  if (h->n == 0 || v < h->vmin) h->vmin = v;
  if (h->n == 0 || v > h->vmax) h->vmax = v;
  h->n += times;
  return 0;
}

/* One pass for the smallest and largest value (it vectorises), so that when
 * both lie in the allocated range the values are counted with no test each:
 * the summaries add every metric of every step of every replication. */
int ddr_hist_add_many(ddr_hist *h, const int32_t *v, size_t n) {
  if (n == 0) return 0;
  int32_t a = v[0], b = v[0];
  for (size_t i = 1; i < n; i++) {
    a = v[i] < a ? v[i] : a;
    b = v[i] > b ? v[i] : b;
  }
  if (!h->count || a < h->lo || (int64_t)b >= (int64_t)h->lo + h->width) {
    for (size_t i = 0; i < n; i++)
      if (ddr_hist_add(h, v[i])) return -1;
    return 0;
  }
  uint32_t lo = (uint32_t)h->lo; /* v - lo in unsigned arithmetic cannot overflow */
  if (a == b) {
    h->count[(uint32_t)a - lo] += (uint32_t)n;
  } else {
    for (size_t i = 0; i < n; i++) h->count[(uint32_t)v[i] - lo]++;
  }
  if (h->n == 0 || a < h->vmin) h->vmin = a;
  if (h->n == 0 || b > h->vmax) h->vmax = b;
  h->n += n;
  return 0;
}

int ddr_hist_merge(ddr_hist *dst, const ddr_hist *src) {
  if (!src->count || src->n == 0) return 0;
  if (hist_reserve(dst, src->vmin) || hist_reserve(dst, src->vmax)) return -1;
  for (int64_t v = src->vmin; v <= src->vmax; v++)
    dst->count[v - dst->lo] += src->count[v - src->lo];
  if (dst->n == 0 || src->vmin < dst->vmin) dst->vmin = src->vmin;
  if (dst->n == 0 || src->vmax > dst->vmax) dst->vmax = src->vmax;
  dst->n += src->n;
  return 0;
}

double ddr_hist_mean(const ddr_hist *h) {
  if (h->n == 0) return NAN;
  /* integer sums are exact and need no particular order */
  int64_t s = 0;
  for (int64_t v = h->vmin; v <= h->vmax; v++) s += (int64_t)h->count[v - h->lo] * v;
  return (double)s / (double)h->n;
}

double ddr_hist_sd(const ddr_hist *h) {
  if (h->n < 2) return h->n == 1 ? 0.0 : NAN;
  double m = ddr_hist_mean(h), s = 0;
  for (int64_t v = h->vmin; v <= h->vmax; v++) {
    double d = (double)v - m;
    s += h->count[v - h->lo] * d * d;
  }
  return sqrt(s / (double)(h->n - 1));
}

int32_t ddr_hist_order_stat(const ddr_hist *h, uint64_t k) {
  if (k == 0) return h->vmin;
  if (k + 1 == h->n) return h->vmax;
  uint64_t seen = 0;
  for (int64_t v = h->vmin; v <= h->vmax; v++) {
    seen += h->count[v - h->lo];
    if (seen > k) return (int32_t)v;
  }
  return h->vmax; /* not reached when k < n */
}

/* Type 7 between the order statistics lo and hi; the same arithmetic as
 * numpy's _lerp, so results agree to the bit. */
static double lerp7(double lo, double hi, double frac) {
  if (frac == 0.0) return lo;
  return frac >= 0.5 ? hi - (hi - lo) * (1 - frac) : lo + (hi - lo) * frac;
}

void ddr_hist_quantiles(const ddr_hist *h, const double *levels, size_t n, double *out) {
  if (h->n == 0) {
    for (size_t i = 0; i < n; i++) out[i] = NAN;
    return;
  }
  /* walk the histogram once, with the positions wanted in increasing order */
  uint64_t seen = 0; /* values in bins before i */
  uint32_t i = (uint32_t)((int64_t)h->vmin - h->lo);
  for (size_t q = 0; q < n; q++) {
    double pos = (double)(h->n - 1) * levels[q];
    uint64_t k = (uint64_t)floor(pos);
    double frac = pos - (double)k;
    while (seen + h->count[i] <= k) seen += h->count[i++];
    double lo = (double)h->lo + i, hi = lo;
    if (frac > 0 && k + 1 < h->n) {
      uint32_t j = i;
      uint64_t s2 = seen;
      while (s2 + h->count[j] <= k + 1) s2 += h->count[j++];
      hi = (double)h->lo + j;
    }
    out[q] = lerp7(lo, hi, frac);
  }
}

double ddr_hist_quantile(const ddr_hist *h, double p) {
  if (h->n == 0) return NAN;
  double pos = (double)(h->n - 1) * p; /* type 7: 0-based position */
  uint64_t k = (uint64_t)floor(pos);
  double frac = pos - (double)k;
  double lo = ddr_hist_order_stat(h, k);
  if (frac == 0.0 || k + 1 >= h->n) return lo;
  return lerp7(lo, ddr_hist_order_stat(h, k + 1), frac);
}

void ddr_wilson95(uint64_t k, uint64_t n, double *lo, double *hi) {
  if (n == 0) {
    *lo = NAN;
    *hi = NAN;
    return;
  }
  const double z = 1.959963984540054;
  double p = (double)k / (double)n, nn = (double)n;
  double denom = 1 + z * z / nn;
  double centre = (p + z * z / (2 * nn)) / denom;
  double half = z * sqrt(p * (1 - p) / nn + z * z / (4 * nn * nn)) / denom;
  *lo = centre - half < 0 ? 0 : centre - half;
  *hi = centre + half > 1 ? 1 : centre + half;
}

void ddr_hist_summary(const ddr_hist *h, double *mean, double *sd, double *quantiles) {
  *mean = ddr_hist_mean(h);
  if (h->n == 0) {
    *sd = NAN;
    for (int q = 0; q < DDR_NQUANTILES; q++) quantiles[q] = NAN;
    return;
  }
  /* one more pass gives the spread and the order statistics the quantiles
   * interpolate between: the k-th and (k+1)-th smallest for each level */
  uint64_t k[DDR_NQUANTILES];
  double frac[DDR_NQUANTILES], lo[DDR_NQUANTILES], hi[DDR_NQUANTILES];
  for (int q = 0; q < DDR_NQUANTILES; q++) {
    double pos = (double)(h->n - 1) * ddr_quantile_levels[q];
    k[q] = (uint64_t)floor(pos);
    frac[q] = pos - (double)k[q];
  }
  double s = 0, m = *mean;
  uint64_t seen = 0;
  int qa = 0, qb = 0; /* next level whose k-th / (k+1)-th value is unknown */
  for (int64_t v = h->vmin; v <= h->vmax; v++) {
    uint32_t c = h->count[v - h->lo];
    if (!c) continue;
    double d = (double)v - m;
    s += c * d * d;
    seen += c; /* order statistics [seen - c, seen) equal v */
    for (; qa < DDR_NQUANTILES && k[qa] < seen; qa++) lo[qa] = (double)v;
    for (; qb < DDR_NQUANTILES && (k[qb] + 1 < seen || k[qb] + 1 >= h->n); qb++)
      hi[qb] = k[qb] + 1 >= h->n ? lo[qb] : (double)v;
  }
  for (int q = 0; q < DDR_NQUANTILES; q++) quantiles[q] = lerp7(lo[q], hi[q], frac[q]);
  *sd = h->n < 2 ? 0.0 : sqrt(s / (double)(h->n - 1));
}

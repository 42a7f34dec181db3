/* Integer histograms: exact quantiles, means and spreads that merge exactly. */
#include "ddrsim/stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const double ddr_quantile_levels[DDR_NQUANTILES] = {0.025, 0.05, 0.10, 0.25, 0.50,
                                                    0.75,  0.90, 0.95, 0.975};

void ddr_hist_init(ddr_hist *h) {
  memset(h, 0, sizeof *h);
}

void ddr_hist_release(ddr_hist *h) {
  free(h->count);
  ddr_hist_init(h);
}

/* Make room for v; grows with slack on the side that overflowed so a slowly
 * drifting range does not reallocate on every new value. */
static int hist_reserve(ddr_hist *h, int32_t v) {
  if (!h->count) {
    h->count = calloc(16, sizeof *h->count);
    if (!h->count) return -1;
    h->lo = v - 8;
    h->width = 16;
    return 0;
  }
  int64_t lo = h->lo, hi = (int64_t)h->lo + h->width; /* [lo, hi) */
  if (v >= lo && v < hi) return 0;
  int64_t span = hi - lo;
  int64_t nlo = lo, nhi = hi;
  if (v < lo) nlo = v - span / 2 - 8;
  if (v >= hi) nhi = (int64_t)v + span / 2 + 8;
  if (nlo < INT32_MIN) nlo = INT32_MIN;
  if (nhi > (int64_t)INT32_MAX + 1) nhi = (int64_t)INT32_MAX + 1;
  uint64_t *c = calloc((size_t)(nhi - nlo), sizeof *c);
  if (!c) return -1;
  memcpy(c + (lo - nlo), h->count, (size_t)span * sizeof *c);
  free(h->count);
  h->count = c;
  h->lo = (int32_t)nlo;
  h->width = (uint32_t)(nhi - nlo);
  return 0;
}

int ddr_hist_add_n(ddr_hist *h, int32_t v, uint64_t times) {
  if (hist_reserve(h, v)) return -1;
  h->count[(int64_t)v - h->lo] += times;
  h->n += times;
  return 0;
}

int ddr_hist_add(ddr_hist *h, int32_t v) {
  if (h->count && v >= h->lo && (int64_t)v < (int64_t)h->lo + h->width) {
    h->count[v - h->lo]++;
    h->n++;
    return 0;
  }
  return ddr_hist_add_n(h, v, 1);
}

int ddr_hist_merge(ddr_hist *dst, const ddr_hist *src) {
  if (!src->count || src->n == 0) return 0;
  /* find the occupied range of src, then reserve both ends in dst */
  uint32_t a = 0, b = src->width;
  while (a < b && src->count[a] == 0) a++;
  while (b > a && src->count[b - 1] == 0) b--;
  if (hist_reserve(dst, src->lo + (int32_t)a) || hist_reserve(dst, src->lo + (int32_t)(b - 1)))
    return -1;
  for (uint32_t i = a; i < b; i++) dst->count[(int64_t)src->lo + i - dst->lo] += src->count[i];
  dst->n += src->n;
  return 0;
}

double ddr_hist_mean(const ddr_hist *h) {
  if (h->n == 0) return NAN;
  long double s = 0;
  for (uint32_t i = 0; i < h->width; i++)
    if (h->count[i]) s += (long double)h->count[i] * ((long double)h->lo + i);
  return (double)(s / h->n);
}

double ddr_hist_sd(const ddr_hist *h) {
  if (h->n < 2) return h->n == 1 ? 0.0 : NAN;
  long double m = ddr_hist_mean(h), s = 0;
  for (uint32_t i = 0; i < h->width; i++) {
    if (!h->count[i]) continue;
    long double d = (long double)h->lo + i - m;
    s += (long double)h->count[i] * d * d;
  }
  return (double)sqrtl(s / (h->n - 1));
}

int32_t ddr_hist_order_stat(const ddr_hist *h, uint64_t k) {
  uint64_t seen = 0;
  for (uint32_t i = 0; i < h->width; i++) {
    seen += h->count[i];
    if (seen > k) return h->lo + (int32_t)i;
  }
  return h->lo + (int32_t)h->width - 1; /* not reached when k < n */
}

double ddr_hist_quantile(const ddr_hist *h, double p) {
  if (h->n == 0) return NAN;
  double pos = (double)(h->n - 1) * p; /* type 7: 0-based position */
  uint64_t k = (uint64_t)floor(pos);
  double frac = pos - (double)k;
  double lo = ddr_hist_order_stat(h, k);
  if (frac == 0.0 || k + 1 >= h->n) return lo;
  double hi = ddr_hist_order_stat(h, k + 1);
  /* the same arithmetic as numpy's _lerp, so results agree to the bit */
  return frac >= 0.5 ? hi - (hi - lo) * (1 - frac) : lo + (hi - lo) * frac;
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

/* Exact summaries of integer-valued outputs through integer histograms.
 *
 * Streaming quantile estimators are approximate and wrong on multimodal
 * outputs; a histogram of integer values is exact, costs one increment per
 * value and merges by addition, so summaries are identical whatever the
 * number of threads or processes that filled the parts. */
#ifndef DDRSIM_STATS_H
#define DDRSIM_STATS_H

#include <stddef.h>
#include <stdint.h>

/* The quantile levels stored in summaries. */
#define DDR_NQUANTILES 10
/* 0.025, 0.05, 0.10, 0.25, 0.50, 0.75, 0.80, 0.90, 0.95, 0.975: P80 is how
 * planners quote a date they can commit to */
extern const double ddr_quantile_levels[DDR_NQUANTILES];

/* A dense histogram over [lo, lo + width): counts[v - lo]. */
typedef struct ddr_hist {
  int32_t lo;
  uint32_t width;
  int32_t vmin, vmax; /* smallest and largest value added, when n > 0 */
  uint64_t n;         /* number of values added */
  uint32_t *count;    /* NULL while empty; a run has at most 4e9 replications */
  int borrowed;       /* count lives in memory the histogram does not own */
} ddr_hist;

void ddr_hist_init(ddr_hist *h);
/* Give an empty histogram zeroed storage for [lo, lo + width) that it does
 * not own (an arena shared by many histograms); growing beyond it moves the
 * counts to memory of its own. */
void ddr_hist_borrow(ddr_hist *h, int32_t lo, uint32_t width, uint32_t *storage);
void ddr_hist_release(ddr_hist *h);
/* Add a value `times` times; grows the range when needed. Returns -1 if out
 * of memory. */
int ddr_hist_add_n(ddr_hist *h, int32_t v, uint64_t times);

/* Add a value. Inline: summaries add every metric of every step of every
 * replication, and almost always inside the range already seen. */
static inline int ddr_hist_add(ddr_hist *h, int32_t v) {
  if (h->n && v >= h->vmin && v <= h->vmax) {
    h->count[v - h->lo]++;
    h->n++;
    return 0;
  }
  return ddr_hist_add_n(h, v, 1);
}
/* Add n values; the same as n calls of ddr_hist_add, faster when they all
 * fall in the range already allocated. Returns -1 if out of memory. */
int ddr_hist_add_many(ddr_hist *h, const int32_t *v, size_t n);
/* dst += src. Returns -1 if out of memory. */
int ddr_hist_merge(ddr_hist *dst, const ddr_hist *src);
double ddr_hist_mean(const ddr_hist *h);
double ddr_hist_sd(const ddr_hist *h); /* sample sd (n - 1); 0 when n < 2 */
/* The k-th smallest value, 0-based (k < n). */
int32_t ddr_hist_order_stat(const ddr_hist *h, uint64_t k);
/* Several type-7 quantiles in one pass; levels must be increasing. */
void ddr_hist_quantiles(const ddr_hist *h, const double *levels, size_t n, double *out);
/* Hyndman-Fan type 7 quantile (R's default, numpy.quantile's "linear"). */
double ddr_hist_quantile(const ddr_hist *h, double p);

/* Mean, sd and the DDR_NQUANTILES standard quantiles in two passes over the
 * histogram; the same values as the separate functions. */
void ddr_hist_summary(const ddr_hist *h, double *mean, double *sd, double *quantiles);

/* Wilson score interval for k successes in n trials at 95%. */
void ddr_wilson95(uint64_t k, uint64_t n, double *lo, double *hi);

#endif

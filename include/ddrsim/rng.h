/* Counter-based random streams (Random123 Philox4x64-10).
 *
 * A stream is named by (seed, replication, component, step): the component is
 * a stable hash of a key path (never a thread or rank number), the step is part
 * of the counter. So every number a replication draws is fixed by the scenario
 * and seed alone, whatever the thread or process count, and two scenarios that
 * differ in one node draw identical numbers in every other node. Philox4x64
 * gives 256 bits per block for about the cost of Philox4x32's 128. */
#ifndef DDRSIM_RNG_H
#define DDRSIM_RNG_H

#include <stddef.h>
#include <stdint.h>
#include <gsl/gsl_rng.h>

/* Bumped whenever the mapping from (seed, replication, component, step) to
 * numbers changes; recorded in every result file. */
#define DDR_RNG_STREAM_VERSION 1

/* Step value reserved for sampling a replication's uncertain inputs. */
#define DDR_STEP_INPUTS 0xFFFFFFFFu

typedef struct ddr_stream {
  uint64_t key[2]; /* seed, component */
  uint64_t ctr[4]; /* block index, step, replication, 0 */
  uint32_t buf[8]; /* the current output block as 32-bit words, low half first */
  unsigned avail;  /* words of buf not yet used (taken from buf[8-avail]) */
} ddr_stream;

/* Stable 32-bit id of a key path (FNV-1a): the component of a stream. */
uint32_t ddr_component_id(const char *keypath);

/* Position a stream at the start of (seed, replication, component, step). */
void ddr_stream_init(ddr_stream *s, uint64_t seed, uint64_t replication, uint32_t component,
                     uint32_t step);

/* Refill buf from the next counter block; used by the inline getters. */
void ddr_stream_refill(ddr_stream *s);

/* Next 32 random bits. */
static inline uint32_t ddr_stream_u32(ddr_stream *s) {
  if (s->avail == 0) ddr_stream_refill(s);
  return s->buf[8 - s->avail--];
}

/* Uniform on the open interval (0, 1): 52 random bits x give (x + 0.5) / 2^52.
 * With 52 bits every result is exact, so the largest is 1 - 2^-53; with 53
 * bits, (2^53 - 1 + 0.5) rounds up to 2^53 and the result would be 1.0. */
static inline double ddr_stream_uniform(ddr_stream *s) {
  uint64_t hi = ddr_stream_u32(s) >> 6, lo = ddr_stream_u32(s) >> 6; /* 26 + 26 bits */
  return ((double)(hi * 67108864u + lo) + 0.5) * (1.0 / 4503599627370496.0);
}

/* Uniform on (0, 1) with 32 random bits: one word, for table look-ups where
 * a resolution of 2^-32 is ample. */
static inline double ddr_stream_uniform32(ddr_stream *s) {
  return ((double)ddr_stream_u32(s) + 0.5) * (1.0 / 4294967296.0);
}

/* Uniform integer in [0, range), range >= 1, without bias: Lemire's
 * multiply-shift with rejection. */
static inline uint32_t ddr_uniform_below(ddr_stream *s, uint32_t range) {
  uint64_t m = (uint64_t)ddr_stream_u32(s) * range;
  uint32_t low = (uint32_t)m;
  if (low < range) {
    uint32_t floor = (uint32_t)(-range) % range;
    while (low < floor) {
      m = (uint64_t)ddr_stream_u32(s) * range;
      low = (uint32_t)m;
    }
  }
  return (uint32_t)(m >> 32);
}

/* The same streams as a gsl_rng_type, so GSL's samplers can draw from them.
 * gsl_rng_set(r, seed) gives the stream (seed, 0, 0, 0); use ddr_rng_position
 * to key it fully. get() returns 32 bits; get_double() is ddr_stream_uniform. */
extern const gsl_rng_type *ddr_rng_philox;

/* The ddr_stream inside a gsl_rng of type ddr_rng_philox. */
ddr_stream *ddr_rng_stream(gsl_rng *r);

/* Key a gsl_rng of type ddr_rng_philox like ddr_stream_init. */
void ddr_rng_position(gsl_rng *r, uint64_t seed, uint64_t replication, uint32_t component,
                      uint32_t step);

/* Exact binomial draw: each of n trials succeeds with probability p.
 * Inversion for small means, Hormann's BTRS otherwise; validated against
 * GSL's probabilities by chi-square tests. */
uint32_t ddr_binomial(ddr_stream *s, double p, uint32_t n);

/* Exact Poisson draw with mean mu (>= 0). */
uint32_t ddr_poisson(ddr_stream *s, double mu);

/* Exact hypergeometric draw: successes in t draws without replacement from
 * n1 successes and n2 failures. */
uint32_t ddr_hypergeometric(ddr_stream *s, uint32_t n1, uint32_t n2, uint32_t t);

/* Multinomial: split n over k categories with probabilities p (summing to 1,
 * the last taking the rest) into out[k], by conditional binomials. */
void ddr_multinomial(ddr_stream *s, uint32_t n, size_t k, const double *p, uint32_t *out);

/* Multivariate hypergeometric: draw t of the sum(n[0..k)) items without
 * replacement; out[i] items of kind i. Requires t <= sum n. */
void ddr_mv_hypergeometric(ddr_stream *s, uint32_t t, size_t k, const uint32_t *n, uint32_t *out);

#endif

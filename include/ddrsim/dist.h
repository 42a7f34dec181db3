/* Probability distributions for uncertain inputs and per-person durations.
 *
 * A distribution family is a const descriptor (name, parameter names, check,
 * sample, cdf) in a registry, the way gsl_rng_type is; a ddr_dist is a family
 * plus its parameter values. Families: constant, uniform, triangular, normal
 * (optionally truncated to [min, max], by resampling), lognormal, gamma, beta
 * (optionally scaled to [min, max]), pert, discrete, empirical. */
#ifndef DDRSIM_DIST_H
#define DDRSIM_DIST_H

#include <stddef.h>
#include "ddrsim/rng.h"
#include "ddrsim/status.h"

#define DDR_DIST_MAX_PARAMS 6

typedef struct ddr_dist ddr_dist;

typedef struct ddr_dist_type {
  const char *name;    /* as written after dist: in a scenario */
  const char *summary; /* one line for help and docs */
  /* Accepted parameter spellings. A family may accept alternative sets
   * (lognormal: median+p90 or mu+sigma); `prepare` turns whatever was given
   * into the canonical internal values. */
  const char *const *param_names; /* NULL-terminated */
  /* Validate the given parameters (given[i] nonzero if param_names[i] was
   * written) and compute canonical values into d->c[]; on failure write a
   * message ("expected min <= mode <= max, found min 5, mode 3, max 4") into msg. */
  int (*prepare)(ddr_dist *d, const int *given, char *msg, size_t msgsize);
  double (*sample)(const ddr_dist *d, ddr_stream *s);
  double (*cdf)(const ddr_dist *d, double x); /* P(X <= x) */
  double (*mean)(const ddr_dist *d);
} ddr_dist_type;

struct ddr_dist {
  const ddr_dist_type *type;
  double p[DDR_DIST_MAX_PARAMS]; /* as given, indexed like type->param_names; NaN if not
                                    given (defaults, like pert's lambda, are filled in) */
  double c[DDR_DIST_MAX_PARAMS]; /* canonical values computed by prepare */
  double lo, hi;                 /* support, filled by prepare (may be +-INFINITY) */
  size_t nvalues;                /* discrete and empirical: number of values */
  double *values;                /* owned; NULL for other families */
  double *cum;                   /* owned cumulative weights, normalised to 1 */
};

/* NULL-terminated list of all families. */
extern const ddr_dist_type *const ddr_dist_types[];

extern const ddr_dist_type *ddr_dist_constant, *ddr_dist_uniform, *ddr_dist_triangular,
    *ddr_dist_normal, *ddr_dist_lognormal, *ddr_dist_gamma, *ddr_dist_beta, *ddr_dist_pert,
    *ddr_dist_discrete, *ddr_dist_empirical;

/* Family by name, NULL if none. */
const ddr_dist_type *ddr_dist_type_find(const char *name);

/* Index of a parameter name in type->param_names, -1 if not accepted. */
int ddr_dist_param_index(const ddr_dist_type *type, const char *name);

/* Set up a distribution. p[] holds values for the names flagged in given[].
 * values/weights are used by discrete (values + weights, weights may be NULL
 * for equal) and empirical (values); they are copied. Returns DDR_EINPUT with
 * a message in msg when the parameters are invalid. */
ddr_status ddr_dist_init(ddr_dist *d, const ddr_dist_type *type, const double *p, const int *given,
                         const double *values, const double *weights, size_t nvalues, char *msg,
                         size_t msgsize);

/* A constant distribution at x. */
void ddr_dist_init_constant(ddr_dist *d, double x);

/* Free owned tables (not d itself). */
void ddr_dist_release(ddr_dist *d);

/* Deep copy (tables duplicated). */
ddr_status ddr_dist_copy(ddr_dist *dst, const ddr_dist *src);

static inline double ddr_dist_sample(const ddr_dist *d, ddr_stream *s) {
  return d->type->sample(d, s);
}
static inline double ddr_dist_cdf(const ddr_dist *d, double x) {
  return d->type->cdf(d, x);
}
static inline double ddr_dist_mean(const ddr_dist *d) {
  return d->type->mean(d);
}

/* Human-readable description: "pert(min=30, mode=60, max=120, lambda=4)"; the
 * parameters as given, discrete and empirical with their (truncated) lists. */
void ddr_dist_describe(const ddr_dist *d, char *buf, size_t size);

#endif

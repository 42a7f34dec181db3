/* Distributions: lookup by name, set-up from given parameters (with the checks
 * every family shares), copying, releasing and describing. The families
 * themselves are in dist_families.c. */
#include "ddrsim/dist.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Lists longer than this are cut short with "..." in descriptions. */
#define DESCRIBE_MAX_VALUES 8

const ddr_dist_type *ddr_dist_type_find(const char *name) {
  for (const ddr_dist_type *const *t = ddr_dist_types; *t; t++)
    if (strcmp((*t)->name, name) == 0) return *t;
  return NULL;
}

int ddr_dist_param_index(const ddr_dist_type *type, const char *name) {
  for (int i = 0; type->param_names[i]; i++)
    if (strcmp(type->param_names[i], name) == 0) return i;
  return -1;
}

static ddr_status input_error(char *msg, size_t size, const char *fmt, const char *a,
                              const char *b) {
  if (msg && size) snprintf(msg, size, fmt, a, b);
  return DDR_EINPUT;
}

/* Copy values and weights (ones when NULL) into freshly owned tables; the
 * family's prepare checks and normalises them. */
static ddr_status copy_tables(ddr_dist *d, const double *values, const double *weights, size_t n,
                              char *msg, size_t size) {
  for (size_t i = 0; i < n; i++) {
    if (!isfinite(values[i])) {
      if (msg && size)
        snprintf(msg, size, "expected finite values, found %g at position %zu", values[i], i + 1);
      return DDR_EINPUT;
    }
    if (weights && !isfinite(weights[i])) {
      if (msg && size)
        snprintf(msg, size, "expected finite weights, found %g at position %zu", weights[i], i + 1);
      return DDR_EINPUT;
    }
  }
  d->values = malloc(n * sizeof *d->values);
  d->cum = malloc(n * sizeof *d->cum);
  if (!d->values || !d->cum) {
    if (msg && size) snprintf(msg, size, "out of memory for %zu values", n);
    return DDR_ENOMEM;
  }
  memcpy(d->values, values, n * sizeof *values);
  for (size_t i = 0; i < n; i++) d->cum[i] = weights ? weights[i] : 1;
  d->nvalues = n;
  return DDR_OK;
}

ddr_status ddr_dist_init(ddr_dist *d, const ddr_dist_type *type, const double *p, const int *given,
                         const double *values, const double *weights, size_t nvalues, char *msg,
                         size_t msgsize) {
  int flags[DDR_DIST_MAX_PARAMS] = {0};
  ddr_status st = DDR_OK;
  memset(d, 0, sizeof *d);
  d->type = type;
  if (msg && msgsize) msg[0] = '\0';
  int takes_values = ddr_dist_param_index(type, "values") >= 0;
  for (int i = 0; i < DDR_DIST_MAX_PARAMS; i++) d->p[i] = d->c[i] = NAN;
  /* values and weights arrive as arrays, never through p[]. */
  for (int i = 0; !takes_values && type->param_names[i]; i++) {
    flags[i] = given && given[i];
    if (!flags[i]) continue;
    if (!isfinite(p[i]))
      return input_error(msg, msgsize, "expected a finite number for \"%s\", found %s",
                         type->param_names[i],
                         isnan(p[i]) ? "nan"
                         : p[i] > 0  ? "inf"
                                     : "-inf");
    d->p[i] = p[i];
  }
  if (nvalues > 0 && !takes_values)
    return input_error(msg, msgsize, "\"%s\" is not a parameter of %s", "values", type->name);
  if (weights && nvalues > 0 && ddr_dist_param_index(type, "weights") < 0)
    return input_error(msg, msgsize, "\"%s\" is not a parameter of %s", "weights", type->name);
  if (takes_values && nvalues > 0) {
    st = copy_tables(d, values, weights, nvalues, msg, msgsize);
    if (st != DDR_OK) goto fail;
  }
  if (type->prepare(d, flags, msg, msgsize) != 0) {
    st = DDR_EINPUT;
    goto fail;
  }
  return DDR_OK;
fail:
  ddr_dist_release(d);
  return st;
}

void ddr_dist_init_constant(ddr_dist *d, double x) {
  memset(d, 0, sizeof *d);
  d->type = ddr_dist_constant;
  for (int i = 0; i < DDR_DIST_MAX_PARAMS; i++) d->p[i] = d->c[i] = NAN;
  d->p[0] = d->c[0] = d->lo = d->hi = x;
}

void ddr_dist_release(ddr_dist *d) {
  if (!d) return;
  free(d->values);
  free(d->cum);
  d->values = d->cum = NULL;
  d->nvalues = 0;
}

ddr_status ddr_dist_copy(ddr_dist *dst, const ddr_dist *src) {
  *dst = *src;
  dst->values = dst->cum = NULL;
  if (src->nvalues == 0) return DDR_OK;
  size_t bytes = src->nvalues * sizeof *src->values;
  dst->values = malloc(bytes);
  dst->cum = malloc(bytes);
  if (!dst->values || !dst->cum) {
    ddr_dist_release(dst);
    return DDR_ENOMEM;
  }
  memcpy(dst->values, src->values, bytes);
  memcpy(dst->cum, src->cum, bytes);
  return DDR_OK;
}

/* snprintf that appends at *n and never runs past size (*n may exceed size
 * once the output is cut; later calls then do nothing). */
static void append(char *buf, size_t size, size_t *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void append(char *buf, size_t size, size_t *n, const char *fmt, ...) {
  if (*n >= size) return;
  va_list ap;
  va_start(ap, fmt);
  int k = vsnprintf(buf + *n, size - *n, fmt, ap);
  va_end(ap);
  if (k > 0) *n += (size_t)k;
}

/* "name=[a, b, c, ...]"; weights are shown normalised, as differences of cum. */
static void append_list(const ddr_dist *d, int weights, char *buf, size_t size, size_t *n) {
  size_t shown = d->nvalues < DESCRIBE_MAX_VALUES ? d->nvalues : DESCRIBE_MAX_VALUES;
  append(buf, size, n, "%s=[", weights ? "weights" : "values");
  for (size_t i = 0; i < shown; i++) {
    double x = weights ? d->cum[i] - (i ? d->cum[i - 1] : 0) : d->values[i];
    append(buf, size, n, "%s%g", i ? ", " : "", x);
  }
  append(buf, size, n, "%s]", shown < d->nvalues ? ", ..." : "");
}

void ddr_dist_describe(const ddr_dist *d, char *buf, size_t size) {
  size_t n = 0;
  if (size == 0) return;
  buf[0] = '\0';
  append(buf, size, &n, "%s(", d->type->name);
  if (d->values) {
    append_list(d, 0, buf, size, &n);
    if (ddr_dist_param_index(d->type, "weights") >= 0) {
      append(buf, size, &n, ", ");
      append_list(d, 1, buf, size, &n);
    }
    if (d->nvalues > DESCRIBE_MAX_VALUES) append(buf, size, &n, ", n=%zu", d->nvalues);
  } else {
    int first = 1;
    for (int i = 0; d->type->param_names[i]; i++) {
      if (isnan(d->p[i])) continue;
      append(buf, size, &n, "%s%s=%g", first ? "" : ", ", d->type->param_names[i], d->p[i]);
      first = 0;
    }
  }
  append(buf, size, &n, ")");
}

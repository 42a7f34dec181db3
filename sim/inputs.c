/* The table of uncertain inputs and their per-replication sampling. */
#include "ddrsim/inputs.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ddr_inputs {
  ddr_input *items;
  size_t n, cap;
  size_t *uncertain; /* indices of uncertain inputs, in order */
  size_t nuncertain;
};

ddr_inputs *ddr_inputs_create(void) {
  return calloc(1, sizeof(ddr_inputs));
}

void ddr_inputs_free(ddr_inputs *in) {
  if (!in) return;
  for (size_t i = 0; i < in->n; i++) {
    free(in->items[i].path);
    ddr_dist_release(&in->items[i].dist);
  }
  free(in->items);
  free(in->uncertain);
  free(in);
}

long ddr_inputs_add(ddr_inputs *in, const char *path, ddr_input_kind kind, ddr_dist *dist) {
  if (in->n == in->cap) {
    size_t cap = in->cap ? 2 * in->cap : 32;
    ddr_input *items = realloc(in->items, cap * sizeof *items);
    if (!items) return -1;
    in->items = items;
    size_t *unc = realloc(in->uncertain, cap * sizeof *unc);
    if (!unc) return -1;
    in->uncertain = unc;
    in->cap = cap;
  }
  char *p = strdup(path);
  if (!p) return -1;
  ddr_input *it = &in->items[in->n];
  it->path = p;
  it->kind = kind;
  it->dist = *dist;
  memset(dist, 0, sizeof *dist); /* moved */
  it->component = ddr_component_id(path);
  it->uncertain = it->dist.type != ddr_dist_constant;
  if (it->uncertain) in->uncertain[in->nuncertain++] = in->n;
  return (long)in->n++;
}

size_t ddr_inputs_count(const ddr_inputs *in) {
  return in->n;
}
const ddr_input *ddr_inputs_get(const ddr_inputs *in, size_t i) {
  return &in->items[i];
}

long ddr_inputs_find(const ddr_inputs *in, const char *path) {
  for (size_t i = 0; i < in->n; i++)
    if (strcmp(in->items[i].path, path) == 0) return (long)i;
  return -1;
}

size_t ddr_inputs_uncertain_count(const ddr_inputs *in) {
  return in->nuncertain;
}
size_t ddr_inputs_uncertain_index(const ddr_inputs *in, size_t k) {
  return in->uncertain[k];
}

static int kind_is_integer(ddr_input_kind k) {
  return k == DDR_IN_COUNT || k == DDR_IN_POSCOUNT || k == DDR_IN_DATE;
}

void ddr_inputs_sample(const ddr_inputs *in, uint64_t seed, uint64_t rep, double *out) {
  for (size_t i = 0; i < in->n; i++) {
    const ddr_input *it = &in->items[i];
    double x;
    if (!it->uncertain) {
      x = it->dist.c[0];
    } else {
      ddr_stream s;
      ddr_stream_init(&s, seed, rep, it->component, DDR_STEP_INPUTS);
      x = ddr_dist_sample(&it->dist, &s);
    }
    if (kind_is_integer(it->kind)) x = round(x);
    /* Rounding can push a count to 0 when the support reaches just above it. */
    if (it->kind == DDR_IN_POSCOUNT && x < 1) x = 1;
    out[i] = x;
  }
}

const char *ddr_input_kind_text(ddr_input_kind kind) {
  switch (kind) {
  case DDR_IN_COUNT:
    return "a whole number >= 0";
  case DDR_IN_POSCOUNT:
    return "a whole number >= 1";
  case DDR_IN_PROB:
    return "a probability in [0, 1]";
  case DDR_IN_NONNEG:
    return "a number >= 0";
  case DDR_IN_POSITIVE:
    return "a number > 0";
  case DDR_IN_REAL:
    return "a number";
  case DDR_IN_DATE:
    return "a date";
  }
  return "a value";
}

int ddr_input_kind_check(ddr_input_kind kind, const ddr_dist *d, char *msg, size_t msgsize) {
  double lo = -INFINITY, hi = INFINITY;
  int open_lo = 0; /* whether the kind excludes lo itself */
  switch (kind) {
  case DDR_IN_COUNT:
    lo = 0, hi = DDR_COUNT_MAX;
    break;
  case DDR_IN_POSCOUNT:
    lo = 0.5, hi = DDR_COUNT_MAX;
    break;
  case DDR_IN_PROB:
    lo = 0, hi = 1;
    break;
  case DDR_IN_NONNEG:
    lo = 0;
    break;
  case DDR_IN_POSITIVE:
    lo = 0, open_lo = 1;
    break;
  case DDR_IN_REAL:
  case DDR_IN_DATE:
    return 0;
  }
  int is_const = d->type == ddr_dist_constant;
  int bad_lo = open_lo ? d->lo <= lo : d->lo < lo;
  if (!bad_lo && d->hi <= hi) return 0;
  char desc[256];
  ddr_dist_describe(d, desc, sizeof desc);
  if (!bad_lo && hi == DDR_COUNT_MAX)
    snprintf(msg, msgsize, "expected %s of at most %.0f, found %s", ddr_input_kind_text(kind), hi,
             desc);
  else if (is_const)
    snprintf(msg, msgsize, "expected %s, found %g", ddr_input_kind_text(kind), d->c[0]);
  else if (isinf(d->lo) || isinf(d->hi))
    snprintf(msg, msgsize,
             "expected %s, found %s, which can take values outside that range (bound it with "
             "min and max, or choose a bounded family)",
             ddr_input_kind_text(kind), desc);
  else
    snprintf(msg, msgsize, "expected %s, found %s, whose values range over [%g, %g]",
             ddr_input_kind_text(kind), desc, d->lo, d->hi);
  return -1;
}

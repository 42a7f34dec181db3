/* Uncertain inputs: every number or date of a scenario that may be uncertain.
 *
 * Each input has a key path (the same in the scenario, in errors, in --set
 * and in the result file), a kind that says which values make sense, and a
 * distribution. It is sampled once per replication from its own stream,
 * keyed by its key path, so changing one input leaves the others' draws as
 * they were. */
#ifndef DDRSIM_INPUTS_H
#define DDRSIM_INPUTS_H

#include <stddef.h>
#include <stdint.h>
#include "ddrsim/dist.h"

/* Counts (people, places, seats) are at most a billion: far beyond any
 * programme, and small enough that sums of them never overflow. */
#define DDR_COUNT_MAX 1e9

typedef enum {
  DDR_IN_COUNT,    /* integer >= 0 (sampled values are rounded) */
  DDR_IN_POSCOUNT, /* integer >= 1 */
  DDR_IN_PROB,     /* real in [0, 1] */
  DDR_IN_NONNEG,   /* real >= 0 (rates, durations in days) */
  DDR_IN_POSITIVE, /* real > 0 */
  DDR_IN_REAL,     /* any real */
  DDR_IN_DATE      /* a date: days since 1970-01-01, rounded */
} ddr_input_kind;

typedef struct ddr_input {
  char *path; /* key path */
  ddr_input_kind kind;
  ddr_dist dist;
  uint32_t component; /* stream component: ddr_component_id(path) */
  int uncertain;      /* 0 for constants */
} ddr_input;

typedef struct ddr_inputs ddr_inputs;

ddr_inputs *ddr_inputs_create(void);
void ddr_inputs_free(ddr_inputs *in);

/* Add an input (dist is moved in: the table owns its tables); returns its
 * index or -1 when out of memory. */
long ddr_inputs_add(ddr_inputs *in, const char *path, ddr_input_kind kind, ddr_dist *dist);

size_t ddr_inputs_count(const ddr_inputs *in);
const ddr_input *ddr_inputs_get(const ddr_inputs *in, size_t i);
/* Index by key path, -1 if none. */
long ddr_inputs_find(const ddr_inputs *in, const char *path);

/* Number of uncertain inputs and the index of the k-th one. */
size_t ddr_inputs_uncertain_count(const ddr_inputs *in);
size_t ddr_inputs_uncertain_index(const ddr_inputs *in, size_t k);

/* Sample every input of replication rep into out[count]. */
void ddr_inputs_sample(const ddr_inputs *in, uint64_t seed, uint64_t rep, double *out);

/* Whether a distribution's support fits a kind; on failure msg says why. */
int ddr_input_kind_check(ddr_input_kind kind, const ddr_dist *d, char *msg, size_t msgsize);

/* "a probability in [0, 1]", for messages. */
const char *ddr_input_kind_text(ddr_input_kind kind);

#endif

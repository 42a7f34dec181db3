/* The model interface: what a domain model gives the engine.
 *
 * A model is a static const descriptor (like gsl_rng_type). The engine owns
 * all memory: it asks the model for the size of one replication's state,
 * allocates it once per thread and reuses it; a model's init and step never
 * allocate. Parameters are immutable once created and shared by all threads.
 *
 * Required operations: create, free, state_size, init, step, population.
 * The engine checks them once when a scenario is loaded. Optional: events
 * (NULL for a model without events; see engine.h for what becomes of them). */
#ifndef DDRSIM_MODEL_H
#define DDRSIM_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include "ddrsim/calendar.h"
#include "ddrsim/status.h"
#include "ddrsim/yaml.h"

typedef struct ddr_scenario ddr_scenario;

/* A documented key of one kind of mapping. Tables end with {NULL, NULL}. */
typedef struct ddr_keydoc {
  const char *key;
  const char *doc;
} ddr_keydoc;

/* A named table of keys: the kind of mapping ("calendar", "node/stage") and
 * the keys it accepts. scenarios/README.md documents every one (a test
 * checks). */
typedef struct ddr_keytable {
  const char *context;
  const ddr_keydoc *keys;
} ddr_keytable;

/* Something that happened in one replication over a span of steps, such as
 * a security shock: its kind (an index returned by
 * ddr_scenario_add_event_kind), and its first and last step (inclusive;
 * last may lie beyond the horizon when it outlasts it). */
typedef struct ddr_event {
  uint32_t kind;
  int32_t first, last;
} ddr_event;

/* What one replication is: its seed, number and sampled inputs. */
typedef struct ddr_rep {
  uint64_t seed;
  uint64_t index;       /* replication number, 0-based */
  const double *inputs; /* sampled value of every input, by input index */
  const ddr_calendar *cal;
} ddr_rep;

typedef struct ddr_model_type {
  const char *name;    /* as written in `model:`; the default is "pipeline" */
  const char *summary; /* one line for --help and docs */
  /* Top-level keys of the scenario the model reads (besides the engine's
   * scenario, calendar, targets). NULL-terminated. */
  const char *const *sections;
  /* The keys of every kind of mapping the model reads, for docs and checks;
   * terminated by {NULL, NULL}. */
  const ddr_keytable *keytables;
  /* Read the model's part of the scenario: register inputs and metrics on scn
   * (ddr_scenario_add_input / ddr_scenario_add_metric) and build parameters. */
  ddr_status (*create)(ddr_scenario *scn, const ddr_ynode *root, void **params, ddr_error *err);
  void (*free)(void *params);
  size_t (*state_size)(const void *params);
  /* Start a replication at the as-of date. */
  void (*init)(const void *params, void *state, const ddr_rep *rep);
  /* Advance through step t and write every metric's value at the end of step
   * t into obs[0 .. number of metrics). */
  void (*step)(const void *params, void *state, const ddr_rep *rep, int t, int32_t *obs);
  /* Everyone the model holds (pools, queues, in service, outcomes): constant
   * over a replication, which the conservation tests check every step. */
  int64_t (*population)(const void *params, const void *state);
  /* Optional: after the last step of a replication, write its events into
   * out[0 .. max) in the order they began and return how many there are; when
   * that is more than max, the engine calls again with room for all. */
  size_t (*events)(const void *params, const void *state, ddr_event *out, size_t max);
} ddr_model_type;

/* NULL-terminated registry of models. */
extern const ddr_model_type *const ddr_model_types[];

/* Model by name, NULL if none. */
const ddr_model_type *ddr_model_find(const char *name);

#endif

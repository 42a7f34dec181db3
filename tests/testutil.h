/* Helpers shared by the test programs: scenarios from strings, runs kept in
 * memory, and paths to the source tree and the built binary. */
#ifndef DDRSIM_TESTUTIL_H
#define DDRSIM_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ddrsim/engine.h"
#include "ddrsim/scenario.h"

/* Load a scenario held in a string; fails the test (printing the error) if it
 * does not load. */
static inline ddr_scenario *tu_load(const char *text, const char *const *sets, size_t nsets) {
  ddr_error err;
  ddr_scenario *scn = NULL;
  ddr_error_clear(&err);
  if (ddr_scenario_load_string("test.yaml", text, strlen(text), sets, nsets, &scn, &err)) {
    ddr_error_print(&err, stderr);
    fail_msg("scenario did not load");
  }
  return scn;
}

/* Load a scenario from the first len bytes of text. */
static inline ddr_scenario *tu_load_string_n(const char *text, size_t len) {
  ddr_error err;
  ddr_scenario *scn = NULL;
  ddr_error_clear(&err);
  if (ddr_scenario_load_string("example.yaml", text, len, NULL, 0, &scn, &err)) {
    ddr_error_print(&err, stderr);
    fail_msg("example did not load");
  }
  return scn;
}

/* Load a scenario expected to fail; returns the formatted error line. */
static inline const char *tu_load_error(const char *text, const char *const *sets, size_t nsets) {
  static char line[4096];
  ddr_error err;
  ddr_scenario *scn = NULL;
  ddr_error_clear(&err);
  ddr_status st =
      ddr_scenario_load_string("test.yaml", text, strlen(text), sets, nsets, &scn, &err);
  if (st == DDR_OK) {
    ddr_scenario_free(scn);
    fail_msg("scenario loaded but an error was expected");
  }
  ddr_error_format(&err, line, sizeof line);
  return line;
}

/* assert that haystack contains needle, printing both otherwise */
#define tu_assert_contains(haystack, needle)                                                       \
  do {                                                                                             \
    const char *h_ = (haystack), *n_ = (needle);                                                   \
    if (!strstr(h_, n_)) fail_msg("expected \"%s\" in \"%s\"", n_, h_);                            \
  } while (0)

static inline const char *tu_source_dir(void) {
  const char *d = getenv("DDRSIM_SOURCE_DIR");
  return d ? d : ".";
}

static inline const char *tu_bin(void) {
  const char *b = getenv("DDRSIM_BIN");
  return b ? b : "ddrsim";
}

/* Read a whole file into a malloc'd string (NULL if it cannot). */
static inline char *tu_read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
    free(buf);
    buf = NULL;
  }
  fclose(f);
  if (buf) buf[n] = '\0';
  if (len) *len = (size_t)n;
  return buf;
}

/* A file of the source tree (path relative to it), which must exist. */
static inline char *tu_read_source(const char *relative) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", tu_source_dir(), relative);
  char *text = tu_read_file(path, NULL);
  if (!text) fail_msg("cannot read %s", path);
  return text;
}

/* The seed of the model tests. */
#define TU_SEED 12345u

/* Run one replication through the model interface, checking conservation
 * at the start and after every step. Returns the series [M][T] (malloc'd). */
static inline int32_t *tu_run_checked(const ddr_scenario *scn, uint64_t rep) {
  const ddr_model_type *m = ddr_scenario_model(scn);
  const void *params = ddr_scenario_params(scn);
  size_t M = ddr_scenario_metric_count(scn), T = (size_t)ddr_scenario_calendar(scn)->nsteps;
  const ddr_inputs *in = ddr_scenario_inputs(scn);
  double *inputs = calloc(ddr_inputs_count(in) + 1, sizeof *inputs);
  void *state = calloc(1, m->state_size(params) + 1);
  int32_t *row = calloc(M, sizeof *row), *series = calloc(M * T, sizeof *series);
  assert_non_null(inputs);
  assert_non_null(state);
  ddr_inputs_sample(in, TU_SEED, rep, inputs);
  ddr_rep r = {TU_SEED, rep, inputs, ddr_scenario_calendar(scn)};
  m->init(params, state, &r);
  int64_t pop0 = m->population(params, state);
  for (size_t t = 0; t < T; t++) {
    m->step(params, state, &r, (int)t, row);
    int64_t pop = m->population(params, state);
    if (pop != pop0)
      fail_msg("replication %llu step %zu: %lld people, expected %lld", (unsigned long long)rep, t,
               (long long)pop, (long long)pop0);
    for (size_t k = 0; k < M; k++) series[k * T + t] = row[k];
  }
  free(inputs);
  free(state);
  free(row);
  return series;
}

static inline size_t tu_metric(const ddr_scenario *scn, const char *name) {
  long m = ddr_scenario_metric_find(scn, name);
  if (m < 0) fail_msg("no metric %s", name);
  return (size_t)m;
}

static inline ddr_results *tu_run_all(const ddr_scenario *scn, uint64_t reps, int threads) {
  ddr_run_options opt = {TU_SEED, reps, threads, 0, 0, NULL, NULL, NULL, 0};
  ddr_results *res = NULL;
  ddr_error err;
  ddr_error_clear(&err);
  if (ddr_engine_run(scn, &opt, NULL, &res, &err)) {
    ddr_error_print(&err, stderr);
    fail_msg("run failed");
  }
  return res;
}

/* The shipped baseline's text (malloc'd). */
static inline char *tu_baseline(void) {
  return tu_read_source("scenarios/mali-2020-baseline.yaml");
}

/* A capacity-bound training centre, weekly steps from 2021-01-04 (a Monday):
 * 1000 waiting at the start for courses of 150 seats and 6 weeks, one at a
 * time, so 7 courses end in step 42. Append keys of the top level to it. */
#define TU_CENTRE                                                                                  \
  "scenario: {name: centre}\n"                                                                     \
  "calendar: {start: 2021-01-04, end: 2022-12-31, step: week}\n"                                   \
  "groups: [{id: a, size: 0}]\n"                                                                   \
  "nodes:\n"                                                                                       \
  "  - {id: in, type: intake, rate_per_week: 0, to: training}\n"                                   \
  "  - id: training\n"                                                                             \
  "    type: training\n"                                                                           \
  "    centres: [{id: c, seats: 150, course_weeks: 6}]\n"                                          \
  "    to: done\n"                                                                                 \
  "  - {id: done, type: sink}\n"                                                                   \
  "initial:\n"                                                                                     \
  "  - {node: training, group: a, count: 1000}\n"                                                  \
  "targets:\n"                                                                                     \
  "  - {id: all, metric: done.count, at_least: 1000, by: 2022-06-30}\n"

/* Fail unless the named metrics' series are the same in two runs of one
 * replication (common random numbers upstream of a change). */
static inline void tu_assert_same_metrics(const ddr_scenario *a, const int32_t *sa,
                                          const ddr_scenario *b, const int32_t *sb,
                                          const char *const *names, size_t n, uint64_t rep) {
  size_t T = (size_t)ddr_scenario_calendar(a)->nsteps;
  for (size_t k = 0; k < n; k++)
    if (memcmp(sa + tu_metric(a, names[k]) * T, sb + tu_metric(b, names[k]) * T, T * sizeof *sa))
      fail_msg("%s differs in replication %llu", names[k], (unsigned long long)rep);
}

#endif

/* What both harnesses do with a scenario once it has loaded or failed to:
 * a failure must be a clear error (a known status, a message, the file
 * named), and a loaded scenario goes through what `ddrsim validate --explain
 * --inputs` prints and, when small, one replication as `ddrsim run` would
 * simulate it. Any crash, sanitizer report or broken promise aborts. */
#ifndef DDRSIM_FUZZ_COMMON_H
#define DDRSIM_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ddrsim/engine.h"
#include "ddrsim/scenario.h"

/* One replication is simulated when metrics x steps is at most this. */
#define FUZZ_MAX_CELLS 200000u

static void fuzz_fail(const char *why, const ddr_error *err) {
  char line[2048];
  ddr_error_format(err, line, sizeof line);
  fprintf(stderr, "fuzz: %s: %s\n", why, line);
  abort();
}

/* The promise of every error: a known status, the file and a message. */
static void fuzz_check_error(ddr_status st, const ddr_error *err) {
  if (st != err->status) fuzz_fail("returned status differs from the error's", err);
  if (strcmp(ddr_status_text(st), "internal error") == 0) fuzz_fail("internal error", err);
  if (st == DDR_ENOMEM) return; /* allowed: the sanitizer's allocator may say no */
  if (!err->file[0]) fuzz_fail("error without a file name", err);
  if (!err->msg[0]) fuzz_fail("error without a message", err);
}

/* The resolved text (validate --explain) must read back as the same tree:
 * ddr_ynode_emit promises to quote what needs quoting. */
static void fuzz_check_emit(const ddr_scenario *scn, const char *text) {
  ddr_error err;
  ddr_ydoc *back = NULL;
  char *diff = NULL;
  ddr_error_clear(&err);
  if (ddr_ydoc_load_string("resolved.yaml", text, strlen(text), &back, &err))
    fuzz_fail("the resolved scenario does not read back", &err);
  if (ddr_ynode_diff(ddr_ydoc_root(ddr_scenario_doc(scn)), ddr_ydoc_root(back), &diff, &err))
    fuzz_check_error(err.status, &err);
  else if (diff[0]) {
    fprintf(stderr, "fuzz: the resolved scenario reads back differently:\n%s", diff);
    abort();
  }
  free(diff);
  ddr_ydoc_free(back);
}

/* validate --explain --inputs, then one replication when it is small. */
static void fuzz_exercise(const ddr_scenario *scn) {
  ddr_error err;
  char *text = NULL, *diff = NULL;
  ddr_error_clear(&err);
  const ddr_ydoc *doc = ddr_scenario_doc(scn), *parent = ddr_ydoc_parent(doc);
  ddr_status st = ddr_scenario_resolved_text(scn, &text, &err);
  if (st) fuzz_check_error(st, &err);
  if (!st) fuzz_check_emit(scn, text);
  if (!st && parent) {
    st = ddr_ynode_diff(ddr_ydoc_root(parent), ddr_ydoc_root(doc), &diff, &err);
    if (st) fuzz_check_error(st, &err);
  }
  free(text);
  free(diff);
  const ddr_inputs *in = ddr_scenario_inputs(scn);
  for (size_t i = 0; i < ddr_inputs_count(in); i++) {
    char desc[256];
    ddr_dist_describe(&ddr_inputs_get(in, i)->dist, desc, sizeof desc);
  }
  size_t M = ddr_scenario_metric_count(scn), T = (size_t)ddr_scenario_calendar(scn)->nsteps;
  if (M == 0 || T == 0 || M * T > FUZZ_MAX_CELLS) return;
  int32_t *series = malloc(M * T * sizeof *series);
  if (!series) return;
  st = ddr_engine_run_one(scn, DDR_DEFAULT_SEED, 0, series, &err);
  if (st) fuzz_check_error(st, &err);
  free(series);
}

#endif

/* What both harnesses (and tests/test_hostile.c, with their regression
 * inputs) do with a scenario once it has loaded or failed to:
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

static inline void fuzz_fail(const char *why, const ddr_error *err) {
  char line[2048];
  ddr_error_format(err, line, sizeof line);
  fprintf(stderr, "fuzz: %s: %s\n", why, line);
  abort();
}

/* The promise of every error: a known status, the file and a message. */
static inline void fuzz_check_error(ddr_status st, const ddr_error *err) {
  if (st != err->status) fuzz_fail("returned status differs from the error's", err);
  if (strcmp(ddr_status_text(st), "internal error") == 0) fuzz_fail("internal error", err);
  if (st == DDR_ENOMEM) return; /* allowed: the sanitizer's allocator may say no */
  if (!err->file[0]) fuzz_fail("error without a file name", err);
  if (!err->msg[0]) fuzz_fail("error without a message", err);
}

/* Whether b, read back from a's emitted text, is the same tree. Quotes the
 * writer had to add (to ---x, say) change nothing the reader sees; they
 * would change a null or `remove: true`, which must stay plain. */
static inline int fuzz_same_tree(const ddr_ynode *a, const ddr_ynode *b) {
  if (a->kind != b->kind || a->n != b->n) return 0;
  if (a->kind == DDR_Y_SCALAR)
    return strcmp(a->scalar, b->scalar) == 0 && ddr_yscalar_is_null(a) == ddr_yscalar_is_null(b) &&
           (a->plain == b->plain || strcmp(a->scalar, "true") != 0);
  for (size_t i = 0; i < a->n; i++)
    if ((a->kind == DDR_Y_MAP && strcmp(a->keys[i], b->keys[i]) != 0) ||
        !fuzz_same_tree(a->items[i], b->items[i]))
      return 0;
  return 1;
}

/* The resolved text (validate --explain) must read back as the same tree:
 * ddr_ynode_emit promises to quote what needs quoting. */
static inline void fuzz_check_emit(const ddr_scenario *scn, const char *text) {
  ddr_error err;
  ddr_ydoc *back = NULL;
  char *diff = NULL;
  ddr_error_clear(&err);
  if (ddr_ydoc_load_string("resolved.yaml", text, strlen(text), &back, &err))
    fuzz_fail("the resolved scenario does not read back", &err);
  const ddr_ynode *root = ddr_ydoc_root(ddr_scenario_doc(scn));
  if (!fuzz_same_tree(root, ddr_ydoc_root(back))) {
    ddr_ynode_diff(root, ddr_ydoc_root(back), &diff, &err);
    fprintf(stderr, "fuzz: the resolved scenario reads back differently:\n%s\n", diff ? diff : "");
    abort();
  }
  free(diff);
  ddr_ydoc_free(back);
}

/* validate --explain --inputs, then one replication when it is small. */
static inline void fuzz_exercise(const ddr_scenario *scn) {
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

/* `ddrsim compare`: the differences between a run and the baseline run for
 * one target, computed from each replication's outcomes (compare_calc.c)
 * and printed by cmd_compare.c. */
#ifndef DDRSIM_CLI_COMPARE_H
#define DDRSIM_CLI_COMPARE_H

#include <stdint.h>
#include "ddrsim/store.h"

/* One run's outcomes of one target, per replication. */
typedef struct cmp_side {
  const ddr_resfile *rf;
  const ddr_resfile_target *t;
  const uint8_t *met;  /* met[i * ntargets + g] */
  const int32_t *step; /* first step reached, -1 if never */
  size_t g;            /* the target's column */
} cmp_side;

/* The run (B) against the baseline (A) on one target. Dates are days since
 * 1970-01-01 (NaN: never within the horizon), so runs with different
 * calendars compare too. */
typedef struct cmp_diff {
  int paired;
  double pa, pb;       /* probabilities met */
  double diff, lo, hi; /* pb - pa and its 95% interval */
  /* paired: replications met in both, only in A, only in B, in neither */
  uint64_t both, a_only, b_only, neither;
  double p50a, p50b, p80a, p80b; /* date quantiles */
  double d50, d80;               /* p50b - p50a, p80b - p80a in days; NaN when either is never */
  /* paired: replication by replication, day reached in B minus in A */
  uint64_t earlier, same, later,
      none; /* B earlier (or A never), same step, later (or B never), neither reaches it */
  uint64_t reached_both; /* replications where both reach it: the next four are over these */
  double mean_days, sd_days, mean_lo, mean_hi, median_days;
} cmp_diff;

/* The 95% interval for p1 - p2 from paired outcomes: a replications with
 * both, b with the first only, c with the second only, d with neither
 * (Newcombe 1998, method 10). */
void cmp_newcombe_paired(uint64_t a, uint64_t b, uint64_t c, uint64_t d, double *lo, double *hi);
/* The same for independent samples: k1 of n1 and k2 of n2 (Newcombe 1998,
 * method 10 for unpaired data). */
void cmp_newcombe_unpaired(uint64_t k1, uint64_t n1, uint64_t k2, uint64_t n2, double *lo,
                           double *hi);

/* Why b cannot be paired with a, in words ("they were run with different
 * seeds (2531 and 7)") into why; NULL if it can (cmd_compare.c). */
const char *cmp_pairing_problem(const ddr_resfile *a, const ddr_resfile *b, char *why, size_t size);

/* B against A; paired when the runs pair (same replications, seed,
 * calendar). Returns -1 when out of memory. */
int cmp_target(const cmp_side *a, const cmp_side *b, int paired, cmp_diff *out);

#endif

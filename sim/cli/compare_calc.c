/* The numbers of `ddrsim compare`: differences of target probabilities with
 * their intervals, and of the dates targets are reached, between a run and
 * the baseline run, replication by replication when the runs are paired.
 *
 * Why Newcombe's method 10 for the interval of a difference of paired
 * proportions, rather than Wald on the paired differences: the Wald interval
 * (B - A) +- 1.96 sd / sqrt(n) collapses to a single point when no
 * replication changes its outcome between the runs (b = c = 0: a what-if
 * that does not touch the target, or a target every run misses), and its
 * coverage falls well below 95% near 0 and 1, which is where mandate
 * targets often are (a 1% chance of meeting a deadline). Newcombe's hybrid
 * score interval is built from the Wilson intervals of the two
 * probabilities, the ones `ddrsim summary` prints, corrected for their
 * correlation (phi, estimated from the paired 2x2 table); it stays within
 * [-1, 1], never has zero width, and keeps close to 95% coverage at the
 * boundaries (Newcombe, Statistics in Medicine 17:2635-2650, 1998; the same
 * method as Altman et al., Statistics with Confidence, 2000, p. 52). For
 * independent samples (--unpaired) the same construction without the
 * correlation is Newcombe's method 10 for unpaired data (Statistics in
 * Medicine 17:873-890, 1998). */
#include <math.h>
#include <stdlib.h>

#include "compare.h"
#include "ddrsim/stats.h"

#define Z95 1.959963984540054

void cmp_newcombe_paired(uint64_t a, uint64_t b, uint64_t c, uint64_t d, double *lo, double *hi) {
  uint64_t n = a + b + c + d;
  if (n == 0) {
    *lo = *hi = NAN;
    return;
  }
  double nn = (double)n, p1 = (double)(a + b) / nn, p2 = (double)(a + c) / nn;
  double l1, u1, l2, u2;
  ddr_wilson95(a + b, n, &l1, &u1);
  ddr_wilson95(a + c, n, &l2, &u2);
  /* phi: the correlation of the two outcomes, with Newcombe's adjustment of
   * a positive ad - bc by n/2; 0 when a margin is empty */
  double phi = 0;
  double r1 = (double)(a + b), r2 = (double)(c + d), c1 = (double)(a + c), c2 = (double)(b + d);
  if (r1 > 0 && r2 > 0 && c1 > 0 && c2 > 0) {
    double ad_bc = (double)a * (double)d - (double)b * (double)c, den = sqrt(r1 * r2 * c1 * c2);
    if (ad_bc > nn / 2)
      phi = (ad_bc - nn / 2) / den;
    else if (ad_bc < 0)
      phi = ad_bc / den;
  }
  double dl1 = p1 - l1, du1 = u1 - p1, dl2 = p2 - l2, du2 = u2 - p2;
  double below = sqrt(fmax(0, dl1 * dl1 - 2 * phi * dl1 * du2 + du2 * du2));
  double above = sqrt(fmax(0, du1 * du1 - 2 * phi * du1 * dl2 + dl2 * dl2));
  *lo = fmax(-1, p1 - p2 - below);
  *hi = fmin(1, p1 - p2 + above);
}

void cmp_newcombe_unpaired(uint64_t k1, uint64_t n1, uint64_t k2, uint64_t n2, double *lo,
                           double *hi) {
  if (n1 == 0 || n2 == 0) {
    *lo = *hi = NAN;
    return;
  }
  double p1 = (double)k1 / (double)n1, p2 = (double)k2 / (double)n2;
  double l1, u1, l2, u2;
  ddr_wilson95(k1, n1, &l1, &u1);
  ddr_wilson95(k2, n2, &l2, &u2);
  *lo = fmax(-1, p1 - p2 - sqrt((p1 - l1) * (p1 - l1) + (u2 - p2) * (u2 - p2)));
  *hi = fmin(1, p1 - p2 + sqrt((u1 - p1) * (u1 - p1) + (p2 - l2) * (p2 - l2)));
}

/* A date quantile of the target as days since 1970-01-01 (NaN: never). */
static double quantile_day(const cmp_side *s, double level) {
  double q = s->t->s.day_q[0];
  for (int i = 0; i < DDR_NQUANTILES; i++)
    if (fabs(ddr_quantile_levels[i] - level) < 1e-9) q = s->t->s.day_q[i];
  return isnan(q) ? NAN : (double)s->rf->cal.start + q;
}

static int cmp_double(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return (a > b) - (a < b);
}

/* Day reached in replication i (days since 1970-01-01), -1 if never. */
static int64_t day_reached(const cmp_side *s, uint64_t i) {
  int32_t step = s->step[i * s->rf->ntargets + s->g];
  return step < 0 ? -1 : (int64_t)ddr_calendar_step_last(&s->rf->cal, step);
}

/* Replication by replication: who meets the target, who reaches it first,
 * and by how many days when both reach it. */
static int paired_days(const cmp_side *a, const cmp_side *b, cmp_diff *o) {
  uint64_t n = a->rf->replications;
  size_t ga = a->rf->ntargets, gb = b->rf->ntargets;
  double *d = malloc((n + 1) * sizeof *d);
  if (!d) return -1;
  double sum = 0, sum2 = 0;
  for (uint64_t i = 0; i < n; i++) {
    int ma = a->met[i * ga + a->g] != 0, mb = b->met[i * gb + b->g] != 0;
    o->both += ma && mb;
    o->a_only += ma && !mb;
    o->b_only += !ma && mb;
    o->neither += !ma && !mb;
    int64_t da = day_reached(a, i), db = day_reached(b, i);
    if (da < 0 && db < 0)
      o->none++;
    else if (da < 0 || (db >= 0 && db < da))
      o->earlier++;
    else if (db < 0 || db > da)
      o->later++;
    else
      o->same++;
    if (da >= 0 && db >= 0) {
      double x = (double)(db - da);
      d[o->reached_both++] = x;
      sum += x;
    }
  }
  uint64_t k = o->reached_both;
  o->mean_days = o->sd_days = o->mean_lo = o->mean_hi = o->median_days = NAN;
  if (k > 0) {
    o->mean_days = sum / (double)k;
    qsort(d, k, sizeof *d, cmp_double);
    /* type 7 median, as the stored quantiles */
    double h = 0.5 * (double)(k - 1);
    uint64_t j = (uint64_t)h;
    o->median_days = j + 1 < k ? d[j] + (h - (double)j) * (d[j + 1] - d[j]) : d[j];
  }
  if (k > 1) {
    for (uint64_t i = 0; i < k; i++) sum2 += (d[i] - o->mean_days) * (d[i] - o->mean_days);
    o->sd_days = sqrt(sum2 / (double)(k - 1));
    double se = o->sd_days / sqrt((double)k);
    o->mean_lo = o->mean_days - Z95 * se;
    o->mean_hi = o->mean_days + Z95 * se;
  }
  free(d);
  return 0;
}

int cmp_target(const cmp_side *a, const cmp_side *b, int paired, cmp_diff *o) {
  *o = (cmp_diff){0};
  o->paired = paired;
  o->pa = a->t->s.prob;
  o->pb = b->t->s.prob;
  o->diff = o->pb - o->pa;
  o->p50a = quantile_day(a, 0.5);
  o->p50b = quantile_day(b, 0.5);
  o->p80a = quantile_day(a, 0.8);
  o->p80b = quantile_day(b, 0.8);
  o->d50 = o->p50b - o->p50a; /* NaN when either is never */
  o->d80 = o->p80b - o->p80a;
  o->mean_days = o->sd_days = o->mean_lo = o->mean_hi = o->median_days = NAN;
  if (!paired) {
    cmp_newcombe_unpaired(b->t->s.met, b->rf->replications, a->t->s.met, a->rf->replications,
                          &o->lo, &o->hi);
    return 0;
  }
  if (paired_days(a, b, o) < 0) return -1;
  /* p1 is B, p2 is A: the interval is for B - A */
  cmp_newcombe_paired(o->both, o->b_only, o->a_only, o->neither, &o->lo, &o->hi);
  return 0;
}

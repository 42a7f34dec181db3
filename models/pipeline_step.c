/* One replication of the pipeline model: start state, then step by step, each
 * node in topological order, so people can pass several nodes in one step. */
#include <math.h>
#include <string.h>

#include "pipeline_impl.h"
#include "pipeline_queue.h"
#include "pipeline_sched.h"
#include "pipeline_shocks.h"
#include "pipeline_units.h"

#define AT(base, off, type)  ((type *)((char *)(base) + (off)))
#define CAT(base, off, type) ((const type *)((const char *)(base) + (off)))
#define STEP_INIT            0xFFFFFFFEu /* stream step used for drawing the start state */

typedef struct run {
  const pipe_params *pp;
  void *st;
  const ddr_rep *rep;
  int t;
  const double *cur; /* the values in force: inputs, as schedules change them */
  const double *fac; /* capacity factors in force (shocks), 1 without */
} run;

static inline double input(const run *r, size_t i) {
  return r->cur[i];
}

/* Capacity of site s now: as scheduled, cut by the shocks in progress. */
static inline double site_cap(const run *r, const node_p *np, size_t s) {
  double cap = input(r, np->sites[s].capacity_in);
  if (!np->shocked) return cap;
  double f = r->fac[np->fac] * r->fac[np->sites[s].fac];
  return f == 1 ? cap : floor(cap * f);
}

/* Whether a site (s >= 0) or a whole unlimited stage (s < 0) is closed. */
static inline int closed(const run *r, const node_p *np, long s) {
  return np->shocked && (r->fac[np->fac] == 0 || (s >= 0 && r->fac[np->sites[s].fac] == 0));
}

/* Whether the node's milestone (if any) has happened by step t. */
static inline int gate_open(const run *r, const node_p *np) {
  return np->gate < 0 || r->t >= CAT(r->st, r->pp->st_milestones, int32_t)[np->gate];
}

static pq queue_of(const run *r, const node_p *np) {
  pq q = {AT(r->st, np->st_queue, uint32_t), r->pp->ngroups, AT(r->st, np->st_node, node_s)};
  return q;
}

/* A stage's stay table for this replication: fixed in the parameters when
 * the scale is constant, else in the state and computed on demand. */
typedef struct stays {
  const node_p *np;
  double *cum;   /* cum[k] = P(exit offset <= k), then the guide */
  int32_t *ncum; /* entries computed; cum[K - 1] = 1 always */
  int32_t all;   /* for a fixed table */
  double scale;
  int step_days;
} stays;

static void stays_of(const run *r, const node_p *np, stays *t) {
  *t = (stays){np, np->pmf_fixed, NULL, np->maxsteps - 1, 1, r->pp->step_days};
  if (np->pmf_fixed) {
    t->ncum = &t->all; /* fixed tables are complete */
  } else {
    t->cum = AT(r->st, np->st_pmf, double);
    t->ncum = &AT(r->st, np->st_node, node_s)->ncum;
    t->scale = input(r, np->scale_in);
  }
}

/* cum[k], computing it first if needed. */
static inline double stay_cum(stays *t, size_t k) {
  if (k >= (size_t)*t->ncum && k + 1 < (size_t)t->np->maxsteps)
    pipe_duration_extend(t->np, t->step_days, t->scale, t->cum, t->ncum,
                         (int)(k + 1 > 2 * (size_t)*t->ncum ? k + 1 : 2 * (size_t)*t->ncum));
  return t->cum[k];
}

/* Probability over one step of an event with probability pweek per week. */
static double per_step(double pweek, int step_days) {
  if (step_days == 7 || pweek <= 0 || pweek >= 1) return pweek;
  return 1 - pow(1 - pweek, step_days / 7.0);
}

/* Hand n people of group g to node j within the current step. */
static void push(const run *r, int j, size_t g, uint32_t n) {
  if (!n) return;
  const node_p *np = &r->pp->nodes[j];
  node_s *ns = AT(r->st, np->st_node, node_s);
  ns->cum_arrived += n;
  switch (np->type) {
  case NODE_STAGE:
  case NODE_TRAINING: {
    pq q = queue_of(r, np);
    pq_push(&q, r->t, g, n);
    break;
  }
  case NODE_SPLIT:
    AT(r->st, np->st_inbox, uint32_t)[g] += n;
    break;
  case NODE_SINK:
    AT(r->st, np->st_byg, uint64_t)[g] += n;
    break;
  case NODE_INTAKE:
    break; /* refused when the scenario is read */
  }
}

/* One person of group g enters a site (its departures dep_s, its occupancy
 * occ_s): draw the step of their exit (by inversion, starting from the guide
 * table) and book it. The caller finds the site's ring once for all its
 * entrants. */
static inline void enter_one(stays *t, size_t K, size_t G, uint32_t *dep_s, uint32_t *occ_s,
                             size_t g, size_t now, ddr_stream *str, uint32_t *leave, int now0) {
  const int32_t *guide = (const int32_t *)(t->cum + K);
  double u = ddr_stream_uniform32(str);
  size_t k = (size_t)guide[(int)(u * PIPE_GUIDE)];
  while (k + 1 < K && u > stay_cum(t, k)) k++;
  if (k == 0 && !now0) {
    leave[g]++;
    return;
  }
  size_t slot = now + k;
  if (slot >= K) slot -= K;
  uint32_t *d = dep_s + slot * (G + 1);
  d[g]++;
  d[G]++;
  (*occ_s)++;
}

/* Spread c entrants of group g at site s over their exit steps; those leaving
 * within the current step go to leave[g]. now0 != 0 at the start state, when
 * exit step 0 is still ahead. */
static void enter_service(const run *r, const node_p *np, size_t s, size_t g, uint32_t c,
                          ddr_stream *str, uint32_t *leave, int now0) {
  if (!c) return;
  size_t G = r->pp->ngroups, K = (size_t)np->maxsteps;
  stays t;
  stays_of(r, np, &t);
  uint32_t *dep = AT(r->st, np->st_dep, uint32_t) + s * K * (G + 1);
  uint32_t *occ = AT(r->st, np->st_occ, uint32_t);
  size_t now = (size_t)r->t % K;
  /* offsets k: leave at the end of step t + k, kept in slot (t + k) mod K */
  if (c < 64) { /* one draw per person is cheaper than a binomial per step of stay */
    for (uint32_t i = 0; i < c; i++) enter_one(&t, K, G, dep, occ + s, g, now, str, leave, now0);
    return;
  }
  uint32_t rest = c;
  double below = 0; /* P(offset < k) */
  for (size_t k = 0; k < K && rest > 0; k++) {
    uint32_t x;
    double ck = stay_cum(&t, k);
    if (k + 1 == K || ck >= 1) {
      x = rest;
    } else {
      double pk = (ck - below) / (1 - below);
      x = ddr_binomial(str, pk < 0 ? 0 : pk > 1 ? 1 : pk, rest);
    }
    below = ck;
    rest -= x;
    if (!x) continue;
    if (k == 0 && !now0) {
      leave[g] += x;
      continue;
    }
    size_t slot = now + k;
    if (slot >= K) slot -= K;
    dep[slot * (G + 1) + g] += x;
    dep[slot * (G + 1) + G] += x;
    occ[s] += x;
  }
}

/* Whether the next place at a site with used/cap comes before one at b:
 * exact, with cross products of integers below 2^30, the first listed
 * winning a tie. */
static inline int before(uint64_t ua, uint64_t ca, size_t a, uint64_t ub, uint64_t cb, size_t b) {
  uint64_t l = ua * cb, r = ub * ca;
  return l < r || (l == r && a < b);
}

#define LEVEL_BITS 30 /* levels are p / 2^30: finer than any share step 1/capacity */

/* Places of a site below the level p / 2^30: j >= 0 with (occ + j) / cap < p / 2^30. */
static inline uint32_t below_level(uint64_t p, uint32_t occ, uint32_t cap) {
  uint64_t q = (uint64_t)1 << LEVEL_BITS, lim = (p * cap + q - 1) >> LEVEL_BITS; /* ceil */
  uint64_t n = lim > occ ? lim - occ : 0;
  return n < cap - occ ? (uint32_t)n : cap - occ;
}

/* Add k more places one at a time, each to the eligible site with room and
 * the lowest share (occ + give) / cap, the first listed among equals. */
static void add_one_by_one(size_t S, const uint32_t *cap, const uint8_t *ok, uint32_t k,
                           const uint32_t *occ, uint32_t *give) {
  uint64_t used[PIPE_MAX_SITES];
  for (size_t s = 0; s < S; s++) used[s] = (uint64_t)occ[s] + give[s];
  for (; k > 0; k--) {
    size_t b = S;
    for (size_t s = 0; s < S; s++)
      if (ok[s] && used[s] < cap[s] && (b == S || before(used[s], cap[s], s, used[b], cap[b], b)))
        b = s;
    if (b == S) return;
    give[b]++;
    used[b]++;
  }
}

/* The usual case: the level (k + O) / C (O people in, C places in all, over
 * the sites taking part) is reached by every site taking part, each taking
 * its places below it; then give back the last ones taken (at most one a
 * site) or add the few at the level itself. A site already above the level
 * takes nothing: it leaves the set, which lowers the level, and the level is
 * computed again (a few rounds at most; a site once above stays above). A
 * site above the final level would take a place only after every place
 * below it, so the result is the one-at-a-time one. Returns 0 when more
 * places are asked for than there are, for fill_least_full's general
 * search. */
static int fill_balanced(size_t S, const uint32_t *cap, const uint8_t *ok_in, uint32_t k,
                         const uint32_t *occ, uint32_t *give) {
  uint8_t ok[PIPE_MAX_SITES];
  uint64_t C = 0, O = 0;
  for (size_t s = 0; s < S; s++)
    if ((ok[s] = ok_in[s])) C += cap[s], O += occ[s];
  uint64_t num = k + O; /* the level is num / C */
  for (int above = 1; above;) {
    if (C == 0 || num > C || C > (1ull << 32)) return 0; /* products below stay under 2^64 */
    above = 0;
    for (size_t s = 0; s < S; s++)
      if (ok[s] && (uint64_t)occ[s] * C > num * cap[s]) {
        ok[s] = 0, C -= cap[s], O -= occ[s], above = 1;
        num = k + O;
      }
  }
  uint64_t taken = 0;
  for (size_t s = 0; s < S; s++) {
    give[s] = 0;
    if (!ok[s]) continue;
    uint64_t lim = (num * cap[s] + C - 1) / C; /* places j with (occ + j) / cap < num / C */
    give[s] = lim > occ[s] ? (uint32_t)(lim - occ[s]) : 0;
    if (give[s] > cap[s] - occ[s]) give[s] = cap[s] - occ[s];
    taken += give[s];
  }
  for (; taken > k; taken--) { /* give back the last place taken */
    size_t w = S;
    for (size_t s = 0; s < S; s++)
      if (give[s] &&
          (w == S || before(occ[w] + give[w] - 1, cap[w], w, occ[s] + give[s] - 1, cap[s], s)))
        w = s;
    give[w]--;
  }
  add_one_by_one(S, cap, ok, (uint32_t)(k - taken), occ, give); /* places at the level */
  return 1;
}

/* Sites with room, least full first: each of k places goes to the site with
 * the lowest share of its places taken (used / capacity; the first listed
 * among equals), as people arriving one by one would be sent. Computed as a
 * water level: the highest level p / 2^30 whose places below it number at
 * most k (all of them come first), then the few left one by one. */
void pipe_fill_sites(size_t S, const uint32_t *cap, const uint8_t *ok, uint32_t k,
                     const uint32_t *occ, uint32_t *give) {
  for (size_t s = 0; s < S; s++) give[s] = 0;
  if (fill_balanced(S, cap, ok, k, occ, give)) return;
  uint64_t lo = 0, hi = (uint64_t)1 << LEVEL_BITS; /* at level 1 every place is below */
  while (lo < hi) { /* the largest level with at most k places below it */
    uint64_t mid = (lo + hi + 1) / 2, n = 0;
    for (size_t s = 0; s < S; s++)
      if (ok[s]) n += below_level(mid, occ[s], cap[s]);
    if (n <= k)
      lo = mid;
    else
      hi = mid - 1;
  }
  for (size_t s = 0; s < S; s++) {
    give[s] = ok[s] ? below_level(lo, occ[s], cap[s]) : 0;
    k -= give[s];
  }
  add_one_by_one(S, cap, ok, k, occ, give); /* the rest */
}

static void fill_least_full(const node_p *np, const uint32_t *cap, uint32_t mask, uint32_t k,
                            const uint32_t *occ, uint32_t *give) {
  size_t S = np->nsites;
  uint8_t ok[PIPE_MAX_SITES];
  for (size_t s = 0; s < S; s++) ok[s] = (np->sites[s].groups & mask) && occ[s] < cap[s];
  pipe_fill_sites(S, cap, ok, k, occ, give);
}

/* Send the people taken from the queue (took[g] of each group) to the sites
 * (give[s] to each). Who goes where is random: a multivariate hypergeometric
 * split per site. */
static void send_to_sites(const run *r, const node_p *np, uint32_t *took, const uint32_t *give,
                          uint32_t k, ddr_stream *str, uint32_t *leave) {
  size_t G = r->pp->ngroups, S = np->nsites;
  uint32_t part[PIPE_MAX_GROUPS];
  if (k <= 64) {
    /* one person at a time, sites filled in order: each person's group is
     * drawn among those left, so who goes where is random as required */
    stays t;
    stays_of(r, np, &t);
    uint32_t *dep = AT(r->st, np->st_dep, uint32_t), *occ = AT(r->st, np->st_occ, uint32_t);
    size_t K = (size_t)np->maxsteps, now = (size_t)r->t % K;
    uint32_t rest = k;
    for (size_t s = 0; s < S; s++) {
      uint32_t *dep_s = dep + s * K * (G + 1);
      for (uint32_t i = 0; i < give[s]; i++, rest--) {
        uint32_t u = ddr_uniform_below(str, rest);
        size_t g = 0;
        while (u >= took[g]) u -= took[g++];
        took[g]--;
        enter_one(&t, K, G, dep_s, occ + s, g, now, str, leave, 0);
      }
    }
    return;
  }
  for (size_t s = 0; s < S; s++) {
    if (!give[s]) continue;
    ddr_mv_hypergeometric(str, give[s], G, took, part);
    for (size_t g = 0; g < G; g++) {
      took[g] -= part[g];
      enter_service(r, np, s, g, part[g], str, leave, 0);
    }
  }
}

static void stage_admit(const run *r, const node_p *np, ddr_stream *str, uint32_t *leave) {
  size_t G = r->pp->ngroups;
  pq q = queue_of(r, np);
  node_s *ns = q.ns;
  uint32_t took[PIPE_MAX_GROUPS];
  if (np->unlimited) {
    if (closed(r, np, -1)) return;
    pq_take(&q, r->t, (uint32_t)ns->queued, str, took);
    for (size_t g = 0; g < G; g++) enter_service(r, np, 0, g, took[g], str, leave, 0);
    return;
  }
  uint32_t *occ = AT(r->st, np->st_occ, uint32_t);
  uint32_t give[PIPE_MAX_SITES], cap[PIPE_MAX_SITES];
  size_t S = np->nsites;
  for (size_t s = 0; s < S; s++) cap[s] = (uint32_t)site_cap(r, np, s);
  if (np->routing == ROUTE_LEAST_FULL) {
    uint64_t free_places = 0;
    for (size_t s = 0; s < S; s++)
      if (cap[s] > occ[s]) free_places += cap[s] - occ[s];
    uint32_t k = (uint32_t)(free_places < ns->queued ? free_places : ns->queued);
    if (!k) return;
    fill_least_full(np, cap, 0xFFFFFFFFu, k, occ, give);
    pq_take(&q, r->t, k, str, took);
    send_to_sites(r, np, took, give, k, str, leave);
    return;
  }
  for (size_t g = 0; g < G; g++) { /* by_group: groups do not share sites */
    uint32_t waiting = pq_group_total(&q, r->t, g);
    if (!waiting) continue;
    uint64_t free_places = 0;
    for (size_t s = 0; s < S; s++)
      if ((np->sites[s].groups & (1u << g)) && cap[s] > occ[s]) free_places += cap[s] - occ[s];
    uint32_t k = (uint32_t)(free_places < waiting ? free_places : waiting);
    if (!k) continue;
    fill_least_full(np, cap, 1u << g, k, occ, give);
    pq_take_group(&q, r->t, g, k);
    for (size_t s = 0; s < S; s++) enter_service(r, np, s, g, give[s], str, leave, 0);
  }
}

static void step_stage(const run *r, const node_p *np, ddr_stream *str) {
  size_t G = r->pp->ngroups, K = (size_t)np->maxsteps, S = np->unlimited ? 1 : np->nsites;
  node_s *ns = AT(r->st, np->st_node, node_s);
  uint32_t leave[PIPE_MAX_GROUPS] = {0}, lost[PIPE_MAX_GROUPS];
  uint32_t *occ = AT(r->st, np->st_occ, uint32_t);
  size_t slot = (size_t)r->t % K;
  for (size_t s = 0; s < S; s++) { /* those whose time is up */
    uint32_t *d = AT(r->st, np->st_dep, uint32_t) + (s * K + slot) * (G + 1);
    if (!d[G]) continue;
    if (closed(r, np, np->unlimited ? -1 : (long)s)) {
      /* held in a closed place: they leave in the first step it is open */
      uint32_t *next = AT(r->st, np->st_dep, uint32_t) + (s * K + (slot + 1) % K) * (G + 1);
      if (next != d)
        for (size_t g = 0; g <= G; g++) next[g] += d[g], d[g] = 0;
      continue;
    }
    for (size_t g = 0; g < G; g++) leave[g] += d[g], d[g] = 0;
    occ[s] -= d[G];
    d[G] = 0;
  }
  if (gate_open(r, np)) stage_admit(r, np, str, leave);
  /* those still waiting after admissions may give up */
  if (np->has_attrition) {
    pq q = queue_of(r, np);
    pq_lose(&q, r->t, per_step(input(r, np->attrition_in), r->pp->step_days), str, lost);
    for (size_t g = 0; g < G; g++) {
      ns->cum_lost += lost[g];
      push(r, np->attrition_to, g, lost[g]);
    }
  }
  uint64_t out = 0;
  uint64_t *byg = AT(r->st, np->st_byg, uint64_t);
  for (size_t g = 0; g < G; g++) {
    out += leave[g];
    byg[g] += leave[g];
    push(r, np->to, g, leave[g]);
  }
  ns->cum_completed += out;
  if (np->has_weapons && out)
    ns->cum_weapons += ddr_binomial(str, input(r, np->weapons_in), (uint32_t)out);
}

static void step_training(const run *r, const node_p *np, ddr_stream *str) {
  size_t G = r->pp->ngroups;
  node_s *ns = AT(r->st, np->st_node, node_s);
  course_s *courses = AT(r->st, np->st_courses, course_s);
  uint64_t *byg = AT(r->st, np->st_byg, uint64_t);
  double pdrop = input(r, np->dropout_in), pfail = input(r, np->fail_in);
  for (size_t c = 0; c < np->ncentres; c++) { /* suspended courses: held, they end later */
    const centre_p *ce = &np->centres[c];
    if (r->fac[np->fac] * r->fac[ce->fac] != 0) continue;
    for (int k = 0; k < ce->max_courses; k++)
      if (courses[ce->state_courses + (size_t)k].end_step >= r->t)
        courses[ce->state_courses + (size_t)k].end_step++;
  }
  for (int c = 0; c < np->max_courses; c++) { /* courses ending now */
    course_s *co = &courses[c];
    if (co->end_step != r->t) continue;
    for (size_t g = 0; g < G; g++) {
      uint32_t n = co->n[g];
      if (!n) continue;
      uint32_t d = ddr_binomial(str, pdrop, n);
      uint32_t f = ddr_binomial(str, pfail, n - d);
      uint32_t pass = n - d - f;
      ns->cum_dropped += d, ns->cum_failed += f, ns->cum_passed += pass;
      byg[g] += pass;
      ns->occupancy -= n;
      push(r, np->dropout_to, g, d);
      push(r, np->fail_to, g, f);
      push(r, np->to, g, pass);
    }
    co->end_step = -1;
    ns->ncourses--;
  }
  pq q = queue_of(r, np);
  for (size_t c = 0; c < np->ncentres && ns->queued > 0 && gate_open(r, np); c++) {
    /* courses starting now */
    const centre_p *ce = &np->centres[c];
    if (ce->intake_step && !ce->intake_step[r->t]) continue;
    int at_once = (int)input(r, ce->courses_in);
    uint32_t seats = (uint32_t)floor(input(r, ce->seats_in) * r->fac[np->fac] * r->fac[ce->fac]);
    if (!seats) continue; /* closed, or cut to nothing */
    uint32_t min_cohort = (uint32_t)input(r, ce->min_cohort_in);
    int len = (int)lround(input(r, ce->weeks_in) * 7.0 / r->pp->step_days);
    if (len < 1) len = 1;
    course_s *slots = courses + ce->state_courses;
    int running = 0;
    for (int k = 0; k < ce->max_courses; k++) running += slots[k].end_step >= 0;
    for (int k = 0; k < ce->max_courses && running < at_once; k++) {
      if (slots[k].end_step >= 0) continue;
      if (ns->queued < min_cohort || ns->queued == 0) break;
      uint32_t n = ns->queued < seats ? (uint32_t)ns->queued : seats;
      pq_take(&q, r->t, n, str, slots[k].n);
      slots[k].end_step = r->t + len;
      ns->occupancy += n;
      ns->ncourses++;
      running++;
    }
  }
  /* those still waiting after courses started may give up */
  if (np->has_attrition) {
    uint32_t lost[PIPE_MAX_GROUPS];
    pq_lose(&q, r->t, per_step(input(r, np->attrition_in), r->pp->step_days), str, lost);
    for (size_t g = 0; g < G; g++) {
      ns->cum_lost += lost[g];
      push(r, np->attrition_to, g, lost[g]);
    }
  }
}

static void step_split(const run *r, const node_p *np, ddr_stream *str) {
  size_t G = r->pp->ngroups, B = np->nbranches;
  uint32_t *inbox = AT(r->st, np->st_inbox, uint32_t);
  uint64_t *byg = AT(r->st, np->st_byg, uint64_t);
  double p[64];
  uint32_t out[64];
  if (!gate_open(r, np) || r->fac[np->fac] == 0) return; /* arrivals wait in the inbox */
  for (size_t b = 0; b + 1 < B; b++) p[b] = input(r, np->branch_p_in[b]);
  double sum = 0;
  for (size_t b = 0; b + 1 < B; b++) sum += p[b];
  p[B - 1] = sum < 1 ? 1 - sum : 0;
  for (size_t g = 0; g < G; g++) {
    if (!inbox[g]) continue;
    ddr_multinomial(str, inbox[g], B, p, out);
    for (size_t b = 0; b < B; b++) {
      byg[b] += out[b]; /* a split keeps its per-branch totals in byg */
      push(r, np->branch_to[b], g, out[b]);
    }
    inbox[g] = 0;
  }
}

static void step_intake(const run *r, const node_p *np, ddr_stream *str) {
  size_t G = r->pp->ngroups;
  uint32_t *pools = AT(r->st, r->pp->st_pools, uint32_t);
  uint64_t *byg = AT(r->st, np->st_byg, uint64_t);
  uint32_t avail[PIPE_MAX_GROUPS], took[PIPE_MAX_GROUPS];
  uint64_t total = 0;
  if (!gate_open(r, np)) return;
  for (size_t g = 0; g < G; g++) {
    avail[g] = (np->groups & (1u << g)) ? pools[g] : 0;
    total += avail[g];
  }
  if (!total) return;
  double mu = input(r, np->rate_in) * r->fac[np->fac] * r->pp->step_days / 7.0;
  uint32_t n = ddr_poisson(str, mu);
  if (n > total) n = (uint32_t)total;
  if (!n) return;
  AT(r->st, np->st_node, node_s)->cum_arrived += n;
  /* who presents is a random draw from those still to come */
  ddr_mv_hypergeometric(str, n, G, avail, took);
  for (size_t g = 0; g < G; g++) {
    pools[g] -= took[g];
    byg[g] += took[g];
    push(r, np->to, g, took[g]);
  }
}

static int32_t clamp32(uint64_t v) {
  return v > INT32_MAX ? INT32_MAX : (int32_t)v;
}

/* lround(100 used / cap). Capacities are whole numbers, and then the same
 * value comes from integers, without a call into libm for each of the
 * utilisations written every step: 100 used / cap is a tie exactly when the
 * integer formula meets one, and otherwise lies at least 1 / (2 cap) from
 * one, far beyond the rounding error of the division in double. */
static int32_t percent(uint64_t used, double cap) {
  if (!(cap > 0)) return 0;
  if (cap <= 2147483647.0 && used <= UINT32_MAX && cap == (double)(uint32_t)cap) {
    uint64_t c = (uint32_t)cap;
    return (int32_t)((200 * used + c) / (2 * c)); /* floor(100 used / c + 1/2) */
  }
  return (int32_t)lround(100.0 * (double)used / cap);
}

static void set_by_group(const run *r, long m, uint64_t total, const uint64_t *byg, int32_t *obs) {
  obs[m] = clamp32(total);
  if (r->pp->ngroups < 2) return;
  for (size_t g = 0; g < r->pp->ngroups; g++) obs[m + 1 + (long)g] = clamp32(byg[g]);
}

static void observe(const run *r, const node_p *np, int32_t *obs) {
  const node_s *ns = CAT(r->st, np->st_node, node_s);
  const uint64_t *byg = CAT(r->st, np->st_byg, uint64_t);
  size_t G = r->pp->ngroups;
  switch (np->type) {
  case NODE_INTAKE: {
    const uint32_t *pools = CAT(r->st, r->pp->st_pools, uint32_t);
    uint64_t rem = 0;
    for (size_t g = 0; g < G; g++)
      if (np->groups & (1u << g)) rem += pools[g];
    set_by_group(r, np->m_arrived, ns->cum_arrived, byg, obs);
    obs[np->m_remaining] = clamp32(rem);
    break;
  }
  case NODE_STAGE: {
    const uint32_t *occ = CAT(r->st, np->st_occ, uint32_t);
    uint64_t in = 0;
    for (size_t s = 0; s < (np->unlimited ? 1 : np->nsites); s++) in += occ[s];
    obs[np->m_arrived] = clamp32(ns->cum_arrived);
    obs[np->m_queue] = clamp32(ns->queued);
    obs[np->m_occupancy] = clamp32(in);
    set_by_group(r, np->m_completed, ns->cum_completed, byg, obs);
    if (np->m_lost >= 0) obs[np->m_lost] = clamp32(ns->cum_lost);
    if (np->m_weapons >= 0) obs[np->m_weapons] = clamp32(ns->cum_weapons);
    for (size_t s = 0; s < np->nsites; s++) {
      obs[np->sites[s].m_occupancy] = (int32_t)occ[s];
      obs[np->sites[s].m_utilisation] = percent(occ[s], input(r, np->sites[s].capacity_in));
    }
    break;
  }
  case NODE_TRAINING: {
    obs[np->m_arrived] = clamp32(ns->cum_arrived);
    obs[np->m_queue] = clamp32(ns->queued);
    obs[np->m_occupancy] = clamp32(ns->occupancy);
    obs[np->m_courses] = ns->ncourses;
    set_by_group(r, np->m_passed, ns->cum_passed, byg, obs);
    obs[np->m_failed] = clamp32(ns->cum_failed);
    obs[np->m_dropped] = clamp32(ns->cum_dropped);
    if (np->m_lost >= 0) obs[np->m_lost] = clamp32(ns->cum_lost);
    const course_s *courses = CAT(r->st, np->st_courses, course_s);
    for (size_t c = 0; c < np->ncentres; c++) {
      const centre_p *ce = &np->centres[c];
      uint64_t in = 0;
      int running = 0;
      for (int k = 0; k < ce->max_courses; k++) {
        const course_s *co = &courses[ce->state_courses + (size_t)k];
        if (co->end_step < 0) continue;
        running++;
        for (size_t g = 0; g < G; g++) in += co->n[g];
      }
      obs[ce->m_in_training] = clamp32(in);
      obs[ce->m_courses] = running;
      obs[ce->m_utilisation] = percent(in, input(r, ce->seats_in) * input(r, ce->courses_in));
    }
    break;
  }
  case NODE_SPLIT:
    obs[np->m_arrived] = clamp32(ns->cum_arrived);
    for (size_t b = 0; b < np->nbranches; b++) obs[np->m_branch + (long)b] = clamp32(byg[b]);
    break;
  case NODE_SINK: {
    uint64_t total = 0;
    for (size_t g = 0; g < G; g++) total += byg[g];
    set_by_group(r, np->m_count, total, byg, obs);
    break;
  }
  }
}

/* Those inside the places shock sh closes as it begins (its effects with a
 * factor of 0) each leave with the shock's dispersal probability; a place
 * two of its effects close is dispersed once. */
static uint64_t disperse(const run *r, const shock_p *sh, ddr_stream *str) {
  const pipe_params *pp = r->pp;
  size_t G = pp->ngroups;
  double p = input(r, sh->dispersal_in);
  uint64_t total = 0;
  uint8_t *shut = AT(r->st, pp->st_shut, uint8_t);
  memset(shut, 0, pp->nfac);
  for (size_t e = 0; e < sh->neffects; e++) {
    const effect_p *ef = &sh->effects[e];
    if (ef->region < 0 && input(r, ef->factor_in) == 0) shut[ef->fac] = 1;
  }
  for (size_t i = 0; i < pp->nnodes; i++) {
    const node_p *np = &pp->nodes[i];
    if (!np->shocked) continue;
    if (np->type == NODE_STAGE) {
      size_t K = (size_t)np->maxsteps, S = np->unlimited ? 1 : np->nsites;
      uint32_t *occ = AT(r->st, np->st_occ, uint32_t);
      for (size_t s = 0; s < S; s++) {
        if (!shut[np->fac] && (np->unlimited || !shut[np->sites[s].fac])) continue;
        for (size_t k = 0; k < K; k++) {
          uint32_t *d = AT(r->st, np->st_dep, uint32_t) + (s * K + k) * (G + 1);
          for (size_t g = 0; g < G && d[G]; g++) {
            uint32_t x = ddr_binomial(str, p, d[g]);
            d[g] -= x, d[G] -= x, occ[s] -= x, total += x;
            push(r, sh->dispersal_to, g, x);
          }
        }
      }
    } else if (np->type == NODE_TRAINING) {
      node_s *ns = AT(r->st, np->st_node, node_s);
      course_s *courses = AT(r->st, np->st_courses, course_s);
      for (size_t c = 0; c < np->ncentres; c++) {
        const centre_p *ce = &np->centres[c];
        if (!shut[np->fac] && !shut[ce->fac]) continue;
        for (int k = 0; k < ce->max_courses; k++) {
          course_s *co = &courses[ce->state_courses + (size_t)k];
          if (co->end_step < 0) continue;
          uint32_t left = 0;
          for (size_t g = 0; g < G; g++) {
            uint32_t x = ddr_binomial(str, p, co->n[g]);
            co->n[g] -= x, ns->occupancy -= x, total += x, left += co->n[g];
            push(r, sh->dispersal_to, g, x);
          }
          if (!left) co->end_step = -1, ns->ncourses--; /* nobody left to train */
        }
      }
    }
  }
  return total;
}

/* The shocks of step t: factors in force, and dispersal where they begin. */
static void step_shocks(const run *r) {
  const pipe_params *pp = r->pp;
  pipe_shocks_factors(pp, r->st, r->rep, r->t);
  for (size_t i = 0; i < pp->nshocks; i++) {
    const shock_p *sh = &pp->shocks[i];
    if (!sh->has_dispersal || !pipe_shock_starts(pp, r->st, i, r->t)) continue;
    ddr_stream s;
    ddr_stream_init(&s, r->rep->seed, r->rep->index, sh->component, (uint32_t)r->t);
    AT(r->st, sh->st, shock_s)->dispersed += disperse(r, sh, &s);
  }
}

void pipe_init(const void *params, void *state, const ddr_rep *rep) {
  const pipe_params *pp = params;
  run r = {pp, state, rep, 0, AT(state, pp->st_cur, double), AT(state, pp->st_fac, double)};
  memset(state, 0, pp->state_size);
  pipe_sched_init(pp, state, rep);
  for (size_t k = 0; k < pp->nfac; k++) AT(state, pp->st_fac, double)[k] = 1;
  if (pp->nshocks) pipe_shocks_init(pp, state, rep);
  if (pp->units) pipe_units_init(pp, state, rep);
  uint32_t *pools = AT(state, pp->st_pools, uint32_t);
  for (size_t g = 0; g < pp->ngroups; g++) pools[g] = (uint32_t)input(&r, pp->group_size_in[g]);
  for (size_t i = 0; i < pp->nnodes; i++) {
    const node_p *np = &pp->nodes[i];
    if (np->type == NODE_TRAINING) {
      course_s *courses = AT(state, np->st_courses, course_s);
      for (int c = 0; c < np->max_courses; c++) courses[c].end_step = -1;
    }
    if (np->type == NODE_STAGE && !np->pmf_fixed)
      AT(state, np->st_node, node_s)->ncum = pipe_duration_table(
          np, pp->step_days, input(&r, np->scale_in), AT(state, np->st_pmf, double), 0);
  }
  for (size_t i = 0; i < pp->ninitial; i++) {
    const initial_p *ip = &pp->initial[i];
    const node_p *np = &pp->nodes[ip->node];
    uint32_t n = (uint32_t)input(&r, ip->count_in);
    if (np->type == NODE_SINK) {
      AT(state, np->st_byg, uint64_t)[ip->group] += n;
    } else if (!ip->in_service) {
      pq q = queue_of(&r, np);
      pq_push(&q, 0, (size_t)ip->group, n);
    } else {
      ddr_stream s;
      ddr_stream_init(&s, rep->seed, rep->index, np->component, STEP_INIT - (uint32_t)i);
      enter_service(&r, np, ip->site < 0 ? 0 : (size_t)ip->site, (size_t)ip->group, n, &s, NULL, 1);
    }
  }
}

void pipe_step(const void *params, void *state, const ddr_rep *rep, int t, int32_t *obs) {
  const pipe_params *pp = params;
  run r = {pp, state, rep, t, AT(state, pp->st_cur, double), AT(state, pp->st_fac, double)};
  if (pp->nscheds) pipe_sched_step(pp, state, rep, t);
  if (pp->nshocks) step_shocks(&r);
  for (size_t k = 0; k < pp->nnodes; k++) {
    const node_p *np = &pp->nodes[pp->order[k]];
    ddr_stream s;
    ddr_stream_init(&s, rep->seed, rep->index, np->component, (uint32_t)t);
    switch (np->type) {
    case NODE_INTAKE:
      step_intake(&r, np, &s);
      break;
    case NODE_STAGE:
      step_stage(&r, np, &s);
      break;
    case NODE_SPLIT:
      step_split(&r, np, &s);
      break;
    case NODE_TRAINING:
      step_training(&r, np, &s);
      break;
    case NODE_SINK:
      break;
    }
  }
  if (pp->units)
    pipe_units_step(pp, state, rep, t,
                    CAT(state, pp->nodes[pp->units->from].st_node, node_s)->cum_arrived);
  for (size_t i = 0; i < pp->nnodes; i++) observe(&r, &pp->nodes[i], obs);
  if (pp->units) pipe_units_observe(pp, state, t, obs);
  for (size_t i = 0; i < pp->nshocks; i++) {
    const shock_p *sh = &pp->shocks[i];
    obs[sh->m_active] = pipe_shock_active(pp, state, i, t);
    if (sh->m_dispersed >= 0)
      obs[sh->m_dispersed] = clamp32(CAT(state, sh->st, shock_s)->dispersed);
  }
}

int64_t pipe_population(const void *params, const void *state) {
  const pipe_params *pp = params;
  int64_t n = 0;
  const uint32_t *pools = CAT(state, pp->st_pools, uint32_t);
  for (size_t g = 0; g < pp->ngroups; g++) n += pools[g];
  for (size_t i = 0; i < pp->nnodes; i++) {
    const node_p *np = &pp->nodes[i];
    const node_s *ns = CAT(state, np->st_node, node_s);
    const uint64_t *byg = CAT(state, np->st_byg, uint64_t);
    const uint32_t *inbox = CAT(state, np->st_inbox, uint32_t);
    for (size_t g = 0; g < pp->ngroups; g++) n += inbox[g];
    switch (np->type) {
    case NODE_STAGE: {
      const uint32_t *occ = CAT(state, np->st_occ, uint32_t);
      for (size_t s = 0; s < (np->unlimited ? 1 : np->nsites); s++) n += occ[s];
      n += (int64_t)ns->queued;
      break;
    }
    case NODE_TRAINING:
      n += (int64_t)(ns->queued + ns->occupancy);
      break;
    case NODE_SINK:
      for (size_t g = 0; g < pp->ngroups; g++) n += (int64_t)byg[g];
      break;
    default:
      break;
    }
  }
  return n;
}

/* The pipeline model's metrics and the layout of one replication's state. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ddrsim/scenario.h"
#include "pipeline_impl.h"
#include "pipeline_read.h"
#include "pipeline_shocks.h"
#include "pipeline_units.h"

/* Register "<node>.<measure>" (and, when by_group, "<node>.<measure>.<group>"
 * for every group, at the following indices). */
static ddr_status add(ddr_scenario *scn, const pipe_params *pp, const char *node,
                      const char *measure, const char *unit, const char *doc, int by_group,
                      long *out, ddr_error *err) {
  char name[DDR_PATH_MAX];
  ddr_path_format(name, "%s.%s", node, measure);
  if ((*out = ddr_scenario_add_metric(scn, name, unit, doc, err)) < 0) return err->status;
  if (!by_group || pp->ngroups < 2) return DDR_OK;
  for (size_t g = 0; g < pp->ngroups; g++) {
    ddr_path_format(name, "%s.%s.%s", node, measure, pp->group_ids[g]);
    if (ddr_scenario_add_metric(scn, name, unit, doc, err) < 0) return err->status;
  }
  return DDR_OK;
}

static ddr_status stage_metrics(ddr_scenario *scn, const pipe_params *pp, node_p *np,
                                ddr_error *err) {
  ddr_status st;
  const char *id = np->id;
  if ((st = add(scn, pp, id, "queue", "people", "waiting to enter", 0, &np->m_queue, err)) ||
      (st = add(scn, pp, id, "occupancy", "people", "in the stage", 0, &np->m_occupancy, err)) ||
      (st = add(scn, pp, id, "completed", "people", "cumulative completions", 1, &np->m_completed,
                err)))
    return st;
  np->m_lost = np->m_weapons = -1;
  if (np->has_attrition && (st = add(scn, pp, id, "lost", "people", "cumulative lost while waiting",
                                     0, &np->m_lost, err)))
    return st;
  if (np->has_weapons && (st = add(scn, pp, id, "weapons", "weapons",
                                   "cumulative weapons handed in", 0, &np->m_weapons, err)))
    return st;
  for (size_t s = 0; s < np->nsites; s++) {
    char m[DDR_PATH_MAX];
    ddr_path_format(m, "sites.%s.occupancy", np->sites[s].id);
    if ((st = add(scn, pp, id, m, "people", "in the site", 0, &np->sites[s].m_occupancy, err)))
      return st;
    ddr_path_format(m, "sites.%s.utilisation", np->sites[s].id);
    if ((st = add(scn, pp, id, m, "percent", "occupancy as a share of capacity", 0,
                  &np->sites[s].m_utilisation, err)))
      return st;
  }
  return DDR_OK;
}

static ddr_status training_metrics(ddr_scenario *scn, const pipe_params *pp, node_p *np,
                                   ddr_error *err) {
  ddr_status st;
  const char *id = np->id;
  if ((st = add(scn, pp, id, "queue", "people", "waiting for a course", 0, &np->m_queue, err)) ||
      (st = add(scn, pp, id, "in_training", "people", "in courses", 0, &np->m_occupancy, err)) ||
      (st = add(scn, pp, id, "courses", "courses", "courses running", 0, &np->m_courses, err)) ||
      (st = add(scn, pp, id, "passed", "people", "cumulative passes", 1, &np->m_passed, err)) ||
      (st = add(scn, pp, id, "failed", "people", "cumulative fails", 0, &np->m_failed, err)) ||
      (st = add(scn, pp, id, "dropped", "people", "cumulative drop-outs from courses", 0,
                &np->m_dropped, err)))
    return st;
  np->m_lost = -1;
  if (np->has_attrition && (st = add(scn, pp, id, "lost", "people", "cumulative lost while waiting",
                                     0, &np->m_lost, err)))
    return st;
  for (size_t c = 0; c < np->ncentres; c++) {
    centre_p *ce = &np->centres[c];
    char m[DDR_PATH_MAX];
    ddr_path_format(m, "centres.%s.in_training", ce->id);
    if ((st =
             add(scn, pp, id, m, "people", "in courses at the centre", 0, &ce->m_in_training, err)))
      return st;
    ddr_path_format(m, "centres.%s.courses", ce->id);
    if ((st = add(scn, pp, id, m, "courses", "courses running at the centre", 0, &ce->m_courses,
                  err)))
      return st;
    ddr_path_format(m, "centres.%s.utilisation", ce->id);
    if ((st = add(scn, pp, id, m, "percent", "trainees as a share of seats times courses at once",
                  0, &ce->m_utilisation, err)))
      return st;
  }
  return DDR_OK;
}

ddr_status pipe_register_metrics(ddr_scenario *scn, pipe_params *pp, ddr_error *err) {
  for (size_t i = 0; i < pp->nnodes; i++) {
    node_p *np = &pp->nodes[i];
    ddr_status st = DDR_OK;
    np->m_arrived = np->m_queue = np->m_occupancy = np->m_completed = np->m_lost = -1;
    np->m_weapons = np->m_remaining = np->m_branch = np->m_passed = np->m_failed = -1;
    np->m_dropped = np->m_courses = np->m_count = -1;
    switch (np->type) {
    case NODE_INTAKE:
      if ((st = add(scn, pp, np->id, "arrived", "people", "cumulative presentations", 1,
                    &np->m_arrived, err)) ||
          (st = add(scn, pp, np->id, "remaining", "people", "still to present themselves", 0,
                    &np->m_remaining, err)))
        return st;
      break;
    case NODE_STAGE:
    case NODE_TRAINING:
      if ((st = add(scn, pp, np->id, "arrived", "people", "cumulative arrivals", 0, &np->m_arrived,
                    err)))
        return st;
      st = np->type == NODE_STAGE ? stage_metrics(scn, pp, np, err)
                                  : training_metrics(scn, pp, np, err);
      break;
    case NODE_SPLIT:
      if ((st = add(scn, pp, np->id, "arrived", "people", "cumulative arrivals", 0, &np->m_arrived,
                    err)))
        return st;
      for (size_t b = 0; b < np->nbranches && !st; b++) {
        char m[DDR_PATH_MAX];
        long idx;
        ddr_path_format(m, "to.%s", pp->nodes[np->branch_to[b]].id);
        st = add(scn, pp, np->id, m, "people", "cumulative sent down this branch", 0, &idx, err);
        if (b == 0) np->m_branch = idx;
      }
      break;
    case NODE_SINK:
      st = add(scn, pp, np->id, "count", "people", "cumulative count, including the start", 1,
               &np->m_count, err);
      break;
    }
    if (st) return st;
  }
  return DDR_OK;
}

/* Cumulative distribution of a duration over steps at a given scale:
 * cum[k] = P(floor(D * scale / step_days) <= k) = P(D * scale < (k + 1) *
 * step_days), the limit from below (a stay of exactly one step ends in the
 * next step). cum[K - 1] is 1: at most 1e-6 lies beyond (see duration_steps)
 * and is cut there. Entries are computed on demand, [*ncum, to) here: most
 * stays are short, and a table per replication need not be evaluated far. */
void pipe_duration_extend(const node_p *np, int step_days, double scale, double *cum, int32_t *ncum,
                          int to) {
  int K = np->maxsteps;
  if (to > K - 1) to = K - 1;
  for (int k = *ncum; k < to; k++) {
    double edge = (double)(k + 1) * step_days / scale;
    double c = ddr_dist_cdf(&np->duration, nextafter(edge, -INFINITY));
    if (k > 0 && c < cum[k - 1]) c = cum[k - 1];
    if (c >= 1 - 1e-15) { /* nothing left to tell apart from 1 */
      for (int j = k; j < K - 1; j++) cum[j] = 1.0;
      *ncum = K - 1;
      return;
    }
    cum[k] = c;
  }
  if (to > *ncum) *ncum = to;
}

/* Start a table: the entries the guide needs (or all of them when full),
 * the final 1, and the guide: guide[j] is the first k with cum[k] > j /
 * PIPE_GUIDE, so drawing an offset by inversion starts its search there.
 * Returns the number of entries computed. */
int32_t pipe_duration_table(const node_p *np, int step_days, double scale, double *cum, int full) {
  int K = np->maxsteps;
  int32_t ncum = 0;
  cum[K - 1] = 1.0;
  if (full) {
    pipe_duration_extend(np, step_days, scale, cum, &ncum, K - 1);
  } else {
    int chunk = 16;
    while (ncum < K - 1 && (ncum == 0 || cum[ncum - 1] <= 1 - 1.0 / PIPE_GUIDE)) {
      pipe_duration_extend(np, step_days, scale, cum, &ncum, ncum + chunk);
      chunk *= 2;
    }
  }
  int32_t *guide = (int32_t *)(cum + K);
  int k = 0;
  for (int j = 0; j < PIPE_GUIDE; j++) {
    while (k < ncum && cum[k] <= (double)j / PIPE_GUIDE) k++;
    guide[j] = k < ncum ? k : K - 1;
  }
  return ncum;
}

size_t pipe_duration_table_size(const node_p *np) {
  return (size_t)np->maxsteps * sizeof(double) + PIPE_GUIDE * sizeof(int32_t);
}

/* With a constant scale the table is the same in every replication. */
ddr_status pipe_fix_durations(ddr_scenario *scn, pipe_params *pp, ddr_error *err) {
  const ddr_inputs *in = ddr_scenario_inputs(scn);
  for (size_t i = 0; i < pp->nnodes; i++) {
    node_p *np = &pp->nodes[i];
    if (np->type != NODE_STAGE) continue;
    const ddr_input *sc = ddr_inputs_get(in, np->scale_in);
    if (sc->uncertain) continue;
    if (!(np->pmf_fixed = malloc(pipe_duration_table_size(np)))) return pipe_nomem(err, np->id);
    pipe_duration_table(np, pp->step_days, sc->dist.c[0], np->pmf_fixed, 1);
  }
  return DDR_OK;
}

static size_t take(size_t *off, size_t bytes) {
  size_t at = *off;
  *off += (bytes + 7) & ~(size_t)7;
  return at;
}

void pipe_layout(pipe_params *pp) {
  size_t off = 0, G = pp->ngroups, T = (size_t)pp->nsteps;
  pp->st_pools = take(&off, G * sizeof(uint32_t));
  pp->st_cur = take(&off, pp->ninputs * sizeof(double));
  pp->st_milestones = take(&off, pp->nmilestones * sizeof(int32_t));
  pp->st_msday = take(&off, pp->nmilestones * sizeof(double));
  pp->st_entries = take(&off, pp->nentries * sizeof(int32_t));
  pp->st_eday = take(&off, pp->nentries * sizeof(double));
  pp->st_fac = take(&off, pp->nfac * sizeof(double));
  pp->st_shut = take(&off, pp->nfac); /* scratch: places a shock closes */
  off = pipe_shocks_layout(pp, off);
  off = pipe_units_layout(pp, off);
  for (size_t i = 0; i < pp->nnodes; i++) {
    node_p *np = &pp->nodes[i];
    np->st_node = take(&off, sizeof(node_s));
    /* by-group totals; a split keeps its per-branch totals here */
    np->st_byg = take(&off, (G > np->nbranches ? G : np->nbranches) * sizeof(uint64_t));
    np->st_inbox = take(&off, G * sizeof(uint32_t));
    if (np->type == NODE_STAGE || np->type == NODE_TRAINING)
      np->st_queue = take(&off, T * (G + 1) * sizeof(uint32_t));
    if (np->type == NODE_STAGE) {
      size_t S = np->unlimited ? 1 : np->nsites, K = (size_t)np->maxsteps;
      np->st_occ = take(&off, S * sizeof(uint32_t));
      np->st_dep = take(&off, S * K * (G + 1) * sizeof(uint32_t));
      np->st_pmf = take(&off, pipe_duration_table_size(np));
    }
    if (np->type == NODE_TRAINING) {
      size_t slot = 0;
      for (size_t c = 0; c < np->ncentres; c++) {
        np->centres[c].state_courses = slot;
        slot += (size_t)np->centres[c].max_courses;
      }
      np->st_courses = take(&off, (size_t)np->max_courses * sizeof(course_s));
    }
  }
  pp->state_size = off;
}

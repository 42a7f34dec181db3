/* Redeployment: people reaching an outcome (the integrated) are formed into
 * units of a stated size; the units go to regions in a stated order and
 * number, each deploying after its own formation and logistics delays, and
 * only while its region is not blocked by a shock. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ddrsim/scenario.h"
#include "pipeline_impl.h"
#include "pipeline_keys.h"
#include "pipeline_read.h"
#include "pipeline_units.h"

#define STEP_UNITS 0xFFFFFFFCu /* stream step of the draws of a replication's unit delays */

#define AT(base, off, type)  ((type *)((char *)(base) + (off)))
#define CAT(base, off, type) ((const type *)((const char *)(base) + (off)))

int pipe_region_index(const pipe_params *pp, const char *id) {
  for (size_t i = 0; i < pp->nregions; i++)
    if (strcmp(pp->regions[i].id, id) == 0) return (int)i;
  return -1;
}

static ddr_status read_delay(const ddr_ynode *m, const char *path, const char *key, ddr_dist *d,
                             ddr_error *err) {
  char sub[DDR_PATH_MAX];
  const ddr_ynode *v = ddr_ymap_get(m, key);
  ddr_path_join(sub, path, key);
  if (!v) {
    ddr_dist_init_constant(d, 0);
    return DDR_OK;
  }
  return ddr_read_dist(v, sub, DDR_IN_NONNEG, NULL, d, err);
}

static ddr_status read_regions(const pipe_params *pp, units_p *u, const ddr_calendar *cal,
                               const ddr_ynode *m, const char *path, region_p **out, size_t *n,
                               ddr_error *err) {
  const ddr_ynode *seq;
  char rpath[DDR_PATH_MAX];
  ddr_status st = ddr_read_seq(m, path, "regions", 1, &seq, err);
  if (st) return st;
  ddr_path_join(rpath, path, "regions");
  if (seq->n == 0 || seq->n > PIPE_MAX_REGIONS)
    return ddr_read_error(err, seq, rpath, "expected 1 to %d regions, found %zu", PIPE_MAX_REGIONS,
                          seq->n);
  if (!(*out = calloc(seq->n, sizeof **out))) return pipe_nomem(err, rpath);
  for (size_t i = 0; i < seq->n; i++) {
    char p[DDR_PATH_MAX];
    const char *id, *label;
    const ddr_ynode *r = seq->items[i];
    region_p *rg = &(*out)[i];
    ddr_path_index(p, rpath, i);
    if ((st = ddr_read_keys(r, p, pipe_region_keys, err)) ||
        (st = ddr_read_id(r, p, "id", 1, &id, err)))
      return st;
    ddr_path_join(p, rpath, id);
    for (size_t j = 0; j < *n; j++)
      if (strcmp((*out)[j].id, id) == 0)
        return ddr_read_error(err, ddr_ymap_get(r, "id"), p, "duplicate region id \"%s\"", id);
    if (!(rg->id = strdup(id))) return pipe_nomem(err, p);
    (*n)++;
    double units;
    if ((st = ddr_read_string(r, p, "label", 0, id, &label, err)) ||
        (st = ddr_read_double(r, p, "units", 1, 0, 1, PIPE_MAX_UNITS, &units, err)) ||
        (st = ddr_read_date(r, p, "by", 0, u->by, cal->start, cal->end, &rg->by, err)))
      return st;
    if (!(rg->label = strdup(label))) return pipe_nomem(err, p);
    if (units != floor(units)) {
      char sub[DDR_PATH_MAX];
      ddr_path_join(sub, p, "units");
      return ddr_read_error(err, ddr_ymap_get(r, "units"), sub,
                            "expected a whole number of units, found %g", units);
    }
    rg->units = (int)units;
    rg->first_unit = u->nunits;
    u->nunits += rg->units;
    if (u->nunits > PIPE_MAX_UNITS)
      return ddr_read_error(err, ddr_ymap_get(r, "units"), p,
                            "expected at most %d units in all regions together", PIPE_MAX_UNITS);
  }
  (void)pp;
  return DDR_OK;
}

ddr_status pipe_read_units(ddr_scenario *scn, pipe_params *pp, const ddr_ynode *root,
                           ddr_error *err) {
  const ddr_ynode *m;
  const char *path = "redeployment";
  ddr_status st = ddr_read_map(root, "", path, 0, &m, err);
  if (st || !m) return st;
  units_p *u = calloc(1, sizeof *u);
  if (!u) return pipe_nomem(err, path);
  pp->units = u;
  u->component = ddr_component_id(path);
  if ((st = ddr_read_keys(m, path, pipe_redeployment_keys, err)) ||
      (st = pipe_read_ref(pp, m, path, "from", 1, &u->from, err)))
    return st;
  if (pp->nodes[u->from].type != NODE_SINK)
    return ddr_read_error(err, ddr_ymap_get(m, "from"), "redeployment.from",
                          "expected an outcome (a sink such as the integrated), found %s node "
                          "\"%s\"",
                          pp->nodes[u->from].type == NODE_INTAKE ? "an intake" : "a",
                          pp->nodes[u->from].id);
  if ((st = ddr_read_input(scn, m, path, "unit_size", DDR_IN_POSCOUNT, 1, 0, &u->size_in, err)) ||
      (st = read_delay(m, path, "formation_days", &u->formation, err)))
    return st;
  u->has_formation = 1;
  if ((st = read_delay(m, path, "logistics_days", &u->logistics, err))) return st;
  u->has_logistics = 1;
  const ddr_calendar *cal = ddr_scenario_calendar(scn);
  if ((st = ddr_read_date(m, path, "by", 0, cal->end, cal->start, cal->end, &u->by, err)))
    return st;
  return read_regions(pp, u, cal, m, path, &pp->regions, &pp->nregions, err);
}

/* The plan as targets: each region's units, and all of them, deployed by
 * their dates (the end of the horizon when none is given), so that every run
 * says when each is done. */
static ddr_status plan_targets(ddr_scenario *scn, const pipe_params *pp, ddr_error *err) {
  char id[DDR_PATH_MAX], label[DDR_PATH_MAX + 64], metric[DDR_PATH_MAX];
  for (size_t i = 0; i < pp->nregions; i++) {
    const region_p *rg = &pp->regions[i];
    ddr_path_format(id, "redeployment-%s", rg->id);
    snprintf(label, sizeof label, "All %d planned unit%s deployed in %s", rg->units,
             rg->units == 1 ? "" : "s", rg->label);
    ddr_path_format(metric, "redeployment.deployed.%s", rg->id);
    if (ddr_scenario_add_target(scn, id, label, metric, rg->units, rg->by, err) < 0)
      return err->status;
  }
  snprintf(label, sizeof label, "The whole redeployment plan (%d units) deployed",
           pp->units->nunits);
  if (ddr_scenario_add_target(scn, "redeployment-plan", label, "redeployment.deployed",
                              pp->units->nunits, pp->units->by, err) < 0)
    return err->status;
  return DDR_OK;
}

ddr_status pipe_unit_metrics(ddr_scenario *scn, pipe_params *pp, ddr_error *err) {
  units_p *u = pp->units;
  if (!u) return DDR_OK;
  if ((u->m_formed = ddr_scenario_add_metric(scn, "redeployment.formed", "units",
                                             "cumulative units formed", err)) < 0 ||
      (u->m_deployed = ddr_scenario_add_metric(scn, "redeployment.deployed", "units",
                                               "cumulative units deployed", err)) < 0)
    return err->status;
  for (size_t i = 0; i < pp->nregions; i++) {
    char name[DDR_PATH_MAX];
    ddr_path_format(name, "redeployment.deployed.%s", pp->regions[i].id);
    if ((pp->regions[i].m_deployed = ddr_scenario_add_metric(
             scn, name, "units", "cumulative units deployed in the region", err)) < 0)
      return err->status;
    ddr_path_format(name, "redeployment.blocked.%s", pp->regions[i].id);
    if ((pp->regions[i].m_blocked = ddr_scenario_add_metric(
             scn, name, "shocks", "shocks blocking the region at the end of the step", err)) < 0)
      return err->status;
  }
  return plan_targets(scn, pp, err);
}

size_t pipe_units_layout(pipe_params *pp, size_t off) {
  units_p *u = pp->units;
  pp->st_blocked = off;
  off += (pp->nregions * sizeof(int32_t) + 7) & ~(size_t)7;
  if (!u) return off;
  u->st = off;
  off += (sizeof(units_s) + (size_t)u->nunits * sizeof(unit_s) + 7) & ~(size_t)7;
  return off;
}

void pipe_units_free(pipe_params *pp) {
  for (size_t i = 0; i < pp->nregions; i++) free(pp->regions[i].id), free(pp->regions[i].label);
  free(pp->regions);
  units_p *u = pp->units;
  if (!u) return;
  if (u->has_formation) ddr_dist_release(&u->formation);
  if (u->has_logistics) ddr_dist_release(&u->logistics);
  free(u);
}

/* ------------------------------------------------------ per replication */

/* Each unit's delays, drawn at the start so that they do not depend on how
 * fast people arrive (common random numbers between scenarios). */
void pipe_units_init(const pipe_params *pp, void *state, const ddr_rep *rep) {
  const units_p *u = pp->units;
  units_s *us = AT(state, u->st, units_s);
  unit_s *unit = AT(state, u->st + sizeof(units_s), unit_s);
  ddr_stream s;
  ddr_stream_init(&s, rep->seed, rep->index, u->component, STEP_UNITS);
  us->size = (uint32_t)rep->inputs[u->size_in];
  us->complete = us->deployed = 0;
  for (int j = 0; j < u->nunits; j++) {
    /* whole days; past 20 years (beyond any horizon) how long does not matter */
    double f = floor(ddr_dist_sample(&u->formation, &s) + 0.5),
           l = floor(ddr_dist_sample(&u->logistics, &s) + 0.5);
    unit[j].formation_days = (int32_t)(f < PIPE_MAX_DURATION_DAYS ? f : PIPE_MAX_DURATION_DAYS);
    unit[j].logistics_days = (int32_t)(l < PIPE_MAX_DURATION_DAYS ? l : PIPE_MAX_DURATION_DAYS);
    unit[j].formed = unit[j].ready = unit[j].deployed = -1;
  }
}

/* The step holding a day after the start; nsteps and more for later. */
static int32_t step_of_day(const ddr_calendar *cal, double day) {
  double last = (double)cal->start + (double)cal->nsteps * cal->step_days;
  if (day >= last) return cal->nsteps;
  return ddr_calendar_step_of(cal, (int32_t)day);
}

void pipe_units_step(const pipe_params *pp, void *state, const ddr_rep *rep, int t,
                     uint64_t arrived) {
  const units_p *u = pp->units;
  units_s *us = AT(state, u->st, units_s);
  unit_s *unit = AT(state, u->st + sizeof(units_s), unit_s);
  const int32_t *blocked = CAT(state, pp->st_blocked, int32_t);
  const ddr_calendar *cal = rep->cal;
  /* units whose last member arrived this step */
  while (us->complete < u->nunits && arrived >= (uint64_t)(us->complete + 1) * us->size) {
    unit_s *un = &unit[us->complete++];
    double end = (double)ddr_calendar_step_last(cal, t);
    un->formed = step_of_day(cal, end + un->formation_days);
    un->ready = step_of_day(cal, end + un->formation_days + un->logistics_days);
  }
  for (size_t i = 0; i < pp->nregions; i++) {
    const region_p *rg = &pp->regions[i];
    if (blocked[i]) continue;
    for (int j = rg->first_unit; j < rg->first_unit + rg->units && j < us->complete; j++)
      if (unit[j].deployed < 0 && unit[j].ready <= t) {
        unit[j].deployed = t;
        us->deployed++;
      }
  }
}

void pipe_units_observe(const pipe_params *pp, const void *state, int t, int32_t *obs) {
  const units_p *u = pp->units;
  const units_s *us = CAT(state, u->st, units_s);
  const unit_s *unit = CAT(state, u->st + sizeof(units_s), unit_s);
  const int32_t *blocked = CAT(state, pp->st_blocked, int32_t);
  int32_t formed = 0;
  for (int j = 0; j < us->complete; j++) formed += unit[j].formed <= t;
  obs[u->m_formed] = formed;
  obs[u->m_deployed] = us->deployed;
  for (size_t i = 0; i < pp->nregions; i++) {
    const region_p *rg = &pp->regions[i];
    int32_t n = 0;
    for (int j = rg->first_unit; j < rg->first_unit + rg->units && j < us->complete; j++)
      n += unit[j].deployed >= 0;
    obs[rg->m_deployed] = n;
    obs[rg->m_blocked] = blocked[i];
  }
}

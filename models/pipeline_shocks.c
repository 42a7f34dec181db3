/* Security shocks: random events (a Poisson number per replication, or on
 * stated dates), each lasting an uncertain time, that cut the capacity of
 * nodes, sites and centres by a factor (0 closes them). How they are read,
 * drawn at the start of a replication, turned into each step's factors, and
 * reported as events. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ddrsim/scenario.h"
#include "pipeline_impl.h"
#include "pipeline_keys.h"
#include "pipeline_read.h"
#include "pipeline_shocks.h"
#include "pipeline_units.h"

#define STEP_SHOCKS 0xFFFFFFFDu /* stream step of the draws of a replication's shocks */

#define AT(base, off, type)  ((type *)((char *)(base) + (off)))
#define CAT(base, off, type) ((const type *)((const char *)(base) + (off)))

/* An effect's target: a whole node, one of its sites or one of its centres. */
static ddr_status read_target(pipe_params *pp, const ddr_ynode *e, const char *p, effect_p *ef,
                              ddr_error *err) {
  ddr_status st;
  int node;
  const char *site, *centre, *region;
  ef->region = -1;
  if ((st = ddr_read_id(e, p, "region", 0, &region, err))) return st;
  if (region) {
    if (ddr_ymap_get(e, "node") || ddr_ymap_get(e, "site") || ddr_ymap_get(e, "centre") ||
        ddr_ymap_get(e, "factor"))
      return ddr_read_error(err, e, p,
                            "an effect blocks a region or cuts a node, not both (give \"region\" "
                            "alone)");
    if ((ef->region = pipe_region_index(pp, region)) < 0) {
      char sub[DDR_PATH_MAX], ids[600];
      size_t k = 0;
      ids[0] = '\0';
      for (size_t i = 0; i < pp->nregions && k + 1 < sizeof ids; i++)
        k += (size_t)snprintf(ids + k, sizeof ids - k, "%s%s", i ? ", " : "", pp->regions[i].id);
      ddr_path_join(sub, p, "region");
      return ddr_read_error(err, ddr_ymap_get(e, "region"), sub, "unknown region \"%s\"; %s%s",
                            region,
                            pp->nregions ? "regions are: "
                                         : "no regions are defined (see "
                                           "`redeployment:`)",
                            ids);
    }
    ef->node = ef->fac = -1;
    return DDR_OK;
  }
  if ((st = pipe_read_ref(pp, e, p, "node", 1, &node, err)) ||
      (st = ddr_read_id(e, p, "site", 0, &site, err)) ||
      (st = ddr_read_id(e, p, "centre", 0, &centre, err)))
    return st;
  node_p *np = &pp->nodes[node];
  np->shocked = 1;
  ef->node = node;
  ef->fac = np->fac;
  if (np->type == NODE_SINK)
    return ddr_read_error(err, ddr_ymap_get(e, "node"), p,
                          "node \"%s\" is an outcome: a shock cannot cut it", np->id);
  if (site && centre) return ddr_read_error(err, e, p, "give a site or a centre, not both");
  if (site) {
    for (size_t s = 0; s < np->nsites; s++)
      if (strcmp(np->sites[s].id, site) == 0) ef->fac = np->sites[s].fac;
    if (ef->fac == np->fac)
      return ddr_read_error(err, ddr_ymap_get(e, "site"), p, "unknown site \"%s\" at %s \"%s\"%s",
                            site, np->type == NODE_STAGE ? "stage" : "node", np->id,
                            np->nsites ? "" : " (it has no sites)");
  }
  if (centre) {
    for (size_t c = 0; c < np->ncentres; c++)
      if (strcmp(np->centres[c].id, centre) == 0) ef->fac = np->centres[c].fac;
    if (ef->fac == np->fac)
      return ddr_read_error(err, ddr_ymap_get(e, "centre"), p, "unknown centre \"%s\" at \"%s\"%s",
                            centre, np->id, np->ncentres ? "" : " (it has no centres)");
  }
  return DDR_OK;
}

static ddr_status read_effects(ddr_scenario *scn, pipe_params *pp, shock_p *sh, const ddr_ynode *m,
                               const char *path, ddr_error *err) {
  const ddr_ynode *seq;
  char epath[DDR_PATH_MAX];
  ddr_status st = ddr_read_seq(m, path, "effects", 1, &seq, err);
  if (st) return st;
  ddr_path_join(epath, path, "effects");
  if (seq->n == 0 || seq->n > 256)
    return ddr_read_error(err, seq, epath, "expected 1 to 256 effects, found %zu", seq->n);
  if (!(sh->effects = calloc(seq->n, sizeof *sh->effects))) return pipe_nomem(err, epath);
  for (size_t i = 0; i < seq->n; i++) {
    char p[DDR_PATH_MAX];
    const ddr_ynode *e = seq->items[i];
    effect_p *ef = &sh->effects[i];
    ddr_path_index(p, epath, i);
    if ((st = ddr_read_keys(e, p, pipe_effect_keys, err)) || (st = read_target(pp, e, p, ef, err)))
      return st;
    if (ef->region < 0 &&
        (st = ddr_read_input(scn, e, p, "factor", DDR_IN_PROB, 0, 0, &ef->factor_in, err)))
      return st;
    sh->neffects++;
  }
  return DDR_OK;
}

/* Room for the occurrences of a shock at a rate: far beyond what a Poisson
 * number can reach in practice (mean plus ten standard deviations). */
static ddr_status occurrence_room(ddr_scenario *scn, shock_p *sh, const ddr_ynode *m,
                                  const char *path, ddr_error *err) {
  const ddr_calendar *cal = ddr_scenario_calendar(scn);
  double years = (double)cal->nsteps * cal->step_days / 365.25;
  double mean = ddr_inputs_get(ddr_scenario_inputs(scn), sh->rate_in)->dist.hi * years;
  char sub[DDR_PATH_MAX];
  ddr_path_join(sub, path, "rate_per_year");
  if (!(mean <= 1000))
    return ddr_read_error(err, ddr_ymap_get(m, "rate_per_year"), sub,
                          "up to %.0f shocks over the horizon; expected at most 1000 (a bounded "
                          "rate of at most %.4g a year)",
                          mean, 1000 / years);
  sh->max_occ = (int)ceil(mean + 10 * sqrt(mean) + 16);
  return DDR_OK;
}

static ddr_status read_shock(ddr_scenario *scn, pipe_params *pp, shock_p *sh, const ddr_ynode *m,
                             const char *path, ddr_error *err) {
  ddr_status st;
  const ddr_ynode *dates = NULL, *dur;
  const char *label;
  int has_rate = ddr_ymap_get(m, "rate_per_year") != NULL;
  if ((st = ddr_read_string(m, path, "label", 0, sh->id, &label, err)) ||
      (st = ddr_read_seq(m, path, "dates", 0, &dates, err)))
    return st;
  if (has_rate == (dates != NULL))
    return ddr_read_error(err, m, path,
                          has_rate ? "give either \"rate_per_year\" or \"dates\", not both"
                                   : "missing required key \"rate_per_year\" (or \"dates\": when "
                                     "the shocks happen)");
  if (has_rate) {
    if ((st = ddr_read_input(scn, m, path, "rate_per_year", DDR_IN_NONNEG, 1, 0, &sh->rate_in,
                             err)) ||
        (st = occurrence_room(scn, sh, m, path, err)))
      return st;
  } else {
    char dpath[DDR_PATH_MAX];
    ddr_path_join(dpath, path, "dates");
    if (dates->n == 0 || dates->n > 1000)
      return ddr_read_error(err, dates, dpath, "expected 1 to 1000 dates, found %zu", dates->n);
    if (!(sh->date_in = calloc(dates->n, sizeof *sh->date_in))) return pipe_nomem(err, dpath);
    for (size_t i = 0; i < dates->n; i++) {
      char p[DDR_PATH_MAX];
      ddr_path_index(p, dpath, i);
      ddr_dist d;
      if ((st =
               ddr_read_dist(dates->items[i], p, DDR_IN_DATE, ddr_scenario_calendar(scn), &d, err)))
        return st;
      long idx = ddr_inputs_add(ddr_scenario_inputs_mut(scn), p, DDR_IN_DATE, &d);
      if (idx < 0) {
        ddr_dist_release(&d);
        return pipe_nomem(err, p);
      }
      sh->date_in[sh->ndates++] = (size_t)idx;
    }
    sh->max_occ = (int)sh->ndates;
  }
  char sub[DDR_PATH_MAX];
  ddr_path_join(sub, path, "duration_days");
  if (!(dur = ddr_ymap_get(m, "duration_days")))
    return ddr_read_error(err, m, sub, "missing required key \"duration_days\"");
  if ((st = ddr_read_dist(dur, sub, DDR_IN_NONNEG, NULL, &sh->duration, err))) return st;
  sh->has_duration = 1;
  if ((st = read_effects(scn, pp, sh, m, path, err))) return st;
  sh->has_dispersal = ddr_ymap_get(m, "dispersal") != NULL;
  if ((st = ddr_read_input(scn, m, path, "dispersal", DDR_IN_PROB, 0, 0, &sh->dispersal_in, err)) ||
      (st = pipe_read_ref(pp, m, path, "dispersal_to", sh->has_dispersal, &sh->dispersal_to, err)))
    return st;
  if (sh->has_dispersal && pp->nodes[sh->dispersal_to].type == NODE_INTAKE) {
    char sub2[DDR_PATH_MAX];
    ddr_path_join(sub2, path, "dispersal_to");
    return ddr_read_error(err, ddr_ymap_get(m, "dispersal_to"), sub2,
                          "\"%s\" is an intake, which takes nobody from other nodes; expected a "
                          "stage, split, training or outcome",
                          pp->nodes[sh->dispersal_to].id);
  }
  if (!sh->has_dispersal && ddr_ymap_get(m, "dispersal_to"))
    return ddr_read_error(err, ddr_ymap_get(m, "dispersal_to"), path,
                          "\"dispersal_to\" goes with \"dispersal\" (the share of people inside "
                          "who leave)");
  return DDR_OK;
}

/* Number the factors: one per node, then one per site and per centre. */
static void number_factors(pipe_params *pp) {
  int k = 0;
  for (size_t i = 0; i < pp->nnodes; i++) pp->nodes[i].fac = k++;
  for (size_t i = 0; i < pp->nnodes; i++) {
    node_p *np = &pp->nodes[i];
    for (size_t s = 0; s < np->nsites; s++) np->sites[s].fac = k++;
    for (size_t c = 0; c < np->ncentres; c++) np->centres[c].fac = k++;
  }
  pp->nfac = (size_t)k;
}

ddr_status pipe_read_shocks(ddr_scenario *scn, pipe_params *pp, const ddr_ynode *root,
                            ddr_error *err) {
  const ddr_ynode *seq;
  number_factors(pp);
  ddr_status st = ddr_read_seq(root, "", "shocks", 0, &seq, err);
  if (st || !seq) return st;
  if (seq->n > PIPE_MAX_SHOCKS)
    return ddr_read_error(err, seq, "shocks", "expected at most %d kinds of shock, found %zu",
                          PIPE_MAX_SHOCKS, seq->n);
  if (!(pp->shocks = calloc(seq->n + 1, sizeof *pp->shocks))) return pipe_nomem(err, "shocks");
  for (size_t i = 0; i < seq->n; i++) {
    char path[DDR_PATH_MAX];
    const char *id;
    const ddr_ynode *m = seq->items[i];
    shock_p *sh = &pp->shocks[i];
    ddr_path_index(path, "shocks", i);
    if ((st = ddr_read_keys(m, path, pipe_shock_keys, err)) ||
        (st = ddr_read_id(m, path, "id", 1, &id, err)))
      return st;
    ddr_path_join(path, "shocks", id);
    for (size_t j = 0; j < pp->nshocks; j++)
      if (strcmp(pp->shocks[j].id, id) == 0)
        return ddr_read_error(err, ddr_ymap_get(m, "id"), path, "duplicate shock id \"%s\"", id);
    if (!(sh->id = strdup(id))) return pipe_nomem(err, path);
    sh->dispersal_to = -1;
    pp->nshocks++;
    sh->component = ddr_component_id(path);
    if ((st = read_shock(scn, pp, sh, m, path, err))) return st;
    const char *label = id;
    ddr_read_string(m, path, "label", 0, id, &label, NULL);
    if ((sh->kind = ddr_scenario_add_event_kind(scn, path, label)) < 0)
      return pipe_nomem(err, path);
  }
  return DDR_OK;
}

ddr_status pipe_shock_metrics(ddr_scenario *scn, pipe_params *pp, ddr_error *err) {
  for (size_t i = 0; i < pp->nshocks; i++) {
    shock_p *sh = &pp->shocks[i];
    char name[DDR_PATH_MAX];
    ddr_path_format(name, "shocks.%s.active", sh->id);
    if ((sh->m_active = ddr_scenario_add_metric(
             scn, name, "shocks", "occurrences in progress at the end of the step", err)) < 0)
      return err->status;
    sh->m_dispersed = -1;
    ddr_path_format(name, "shocks.%s.dispersed", sh->id);
    if (sh->has_dispersal &&
        (sh->m_dispersed = ddr_scenario_add_metric(
             scn, name, "people", "cumulative people who left closed sites and courses", err)) < 0)
      return err->status;
  }
  return DDR_OK;
}

void pipe_shocks_free(pipe_params *pp) {
  for (size_t i = 0; i < pp->nshocks; i++) {
    shock_p *sh = &pp->shocks[i];
    free(sh->id);
    free(sh->date_in);
    free(sh->effects);
    if (sh->has_duration) ddr_dist_release(&sh->duration);
  }
  free(pp->shocks);
}

/* ------------------------------------------------------ per replication */

static int cmp_i32(const void *a, const void *b) {
  int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
  return (x > y) - (x < y);
}

/* Draw every occurrence of every shock: their start steps (sorted) and
 * their last steps. A shock lasting d days covers the steps its days
 * touch: at least the step it starts in. */
void pipe_shocks_init(const pipe_params *pp, void *state, const ddr_rep *rep) {
  const ddr_calendar *cal = rep->cal;
  double years = (double)cal->nsteps * cal->step_days / 365.25;
  for (size_t i = 0; i < pp->nshocks; i++) {
    const shock_p *sh = &pp->shocks[i];
    shock_s *ss = AT(state, sh->st, shock_s);
    int32_t *first = AT(state, sh->st + sizeof(shock_s), int32_t), *last = first + sh->max_occ;
    ddr_stream s;
    ddr_stream_init(&s, rep->seed, rep->index, sh->component, STEP_SHOCKS);
    /* first[] holds each occurrence's first day (days after the start
     * date) until the steps are worked out */
    int n = 0;
    if (sh->ndates) {
      for (size_t k = 0; k < sh->ndates; k++) {
        double day = rep->inputs[sh->date_in[k]];
        if (day > cal->end) continue; /* not within the horizon */
        /* one that began before the start may still be going on */
        first[n++] = (int32_t)(day - cal->start);
      }
    } else {
      uint32_t want = ddr_poisson(&s, rep->inputs[sh->rate_in] * years);
      if (want > (uint32_t)sh->max_occ) want = (uint32_t)sh->max_occ; /* ~1e-20 */
      for (uint32_t k = 0; k < want; k++)
        first[n++] = (int32_t)ddr_uniform_below(&s, (uint32_t)cal->nsteps) * cal->step_days;
    }
    qsort(first, (size_t)n, sizeof *first, cmp_i32);
    int kept = 0;
    for (int k = 0; k < n; k++) {
      double off = first[k], days = ceil(ddr_dist_sample(&sh->duration, &s));
      /* it lasts whole days, at least one; beyond the horizon, how much
       * longer does not matter */
      double most = (double)cal->nsteps * cal->step_days - off + 1;
      days = days < 1 ? 1 : days > most ? most : days;
      int32_t end = (int32_t)floor((off + days - 1) / cal->step_days);
      if (end < 0) continue; /* over before the start */
      first[kept] = (int32_t)floor(off / cal->step_days);
      last[kept++] = end;
    }
    ss->n = kept;
    ss->dispersed = 0;
  }
}

/* This step's factors: 1, times the factor of every effect of every
 * occurrence in progress. */
void pipe_shocks_factors(const pipe_params *pp, void *state, const ddr_rep *rep, int t) {
  double *fac = AT(state, pp->st_fac, double);
  int32_t *blocked = AT(state, pp->st_blocked, int32_t);
  for (size_t k = 0; k < pp->nfac; k++) fac[k] = 1;
  for (size_t k = 0; k < pp->nregions; k++) blocked[k] = 0;
  for (size_t i = 0; i < pp->nshocks; i++) {
    const shock_p *sh = &pp->shocks[i];
    const shock_s *ss = CAT(state, sh->st, shock_s);
    const int32_t *first = CAT(state, sh->st + sizeof(shock_s), int32_t),
                  *last = first + sh->max_occ;
    for (int k = 0; k < ss->n && first[k] <= t; k++) {
      if (last[k] < t) continue;
      for (size_t e = 0; e < sh->neffects; e++) {
        const effect_p *ef = &sh->effects[e];
        if (ef->region >= 0)
          blocked[ef->region]++;
        else
          fac[ef->fac] *= rep->inputs[ef->factor_in];
      }
    }
  }
}

int pipe_shock_starts(const pipe_params *pp, const void *state, size_t i, int t) {
  const shock_p *sh = &pp->shocks[i];
  const shock_s *ss = CAT(state, sh->st, shock_s);
  const int32_t *first = CAT(state, sh->st + sizeof(shock_s), int32_t);
  int n = 0;
  /* one that began before the start date is part of the starting state */
  for (int k = 0; k < ss->n && first[k] <= t; k++) n += first[k] == t;
  return n;
}

int pipe_shock_active(const pipe_params *pp, const void *state, size_t i, int t) {
  const shock_p *sh = &pp->shocks[i];
  const shock_s *ss = CAT(state, sh->st, shock_s);
  const int32_t *first = CAT(state, sh->st + sizeof(shock_s), int32_t), *last = first + sh->max_occ;
  int n = 0;
  for (int k = 0; k < ss->n && first[k] <= t; k++) n += last[k] >= t;
  return n;
}

static int cmp_event(const void *a, const void *b) {
  const ddr_event *x = a, *y = b;
  if (x->first != y->first) return x->first < y->first ? -1 : 1;
  if (x->kind != y->kind) return x->kind < y->kind ? -1 : 1;
  return (x->last > y->last) - (x->last < y->last);
}

size_t pipe_events(const void *params, const void *state, ddr_event *out, size_t max) {
  const pipe_params *pp = params;
  size_t n = 0;
  for (size_t i = 0; i < pp->nshocks; i++) n += (size_t)CAT(state, pp->shocks[i].st, shock_s)->n;
  if (n > max) return n; /* the engine asks again with room for all */
  n = 0;
  for (size_t i = 0; i < pp->nshocks; i++) {
    const shock_p *sh = &pp->shocks[i];
    const shock_s *ss = CAT(state, sh->st, shock_s);
    const int32_t *first = CAT(state, sh->st + sizeof(shock_s), int32_t),
                  *last = first + sh->max_occ;
    for (int k = 0; k < ss->n; k++) out[n++] = (ddr_event){(uint32_t)sh->kind, first[k], last[k]};
  }
  /* in the order they began; fully ordered, so the same whatever qsort does */
  qsort(out, n, sizeof *out, cmp_event);
  return n;
}

size_t pipe_shocks_layout(pipe_params *pp, size_t off) {
  for (size_t i = 0; i < pp->nshocks; i++) {
    shock_p *sh = &pp->shocks[i];
    sh->st = off;
    off += (sizeof(shock_s) + 2 * (size_t)sh->max_occ * sizeof(int32_t) + 7) & ~(size_t)7;
  }
  return off;
}

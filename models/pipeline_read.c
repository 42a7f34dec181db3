/* Reading the pipeline model's sections (groups, nodes) from a scenario. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ddrsim/scenario.h"
#include "pipeline_impl.h"
#include "pipeline_keys.h"
#include "pipeline_read.h"
#include "pipeline_sched.h"

static const char *const node_types[] = {"intake", "stage", "split", "training", "sink", NULL};

ddr_status pipe_nomem(ddr_error *err, const char *path) {
  return ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, path, "out of memory");
}

int pipe_group_index(const pipe_params *pp, const char *id) {
  for (size_t g = 0; g < pp->ngroups; g++)
    if (strcmp(pp->group_ids[g], id) == 0) return (int)g;
  return -1;
}

int pipe_node_index(const pipe_params *pp, const char *id) {
  for (size_t i = 0; i < pp->nnodes; i++)
    if (pp->nodes[i].id && strcmp(pp->nodes[i].id, id) == 0) return (int)i;
  return -1;
}

/* "a, b, c" of the ids of a list, for messages. */
static void list_ids(char *buf, size_t size, char **ids, size_t n) {
  size_t k = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < n && k + 1 < size; i++)
    k += (size_t)snprintf(buf + k, size - k, "%s%s", i ? ", " : "", ids[i]);
}

/* A reference to a node by id under key (required or not): -1 when absent. */
ddr_status pipe_read_ref(const pipe_params *pp, const ddr_ynode *map, const char *path,
                         const char *key, int required, int *out, ddr_error *err) {
  const char *id;
  ddr_status st = ddr_read_id(map, path, key, required, &id, err);
  *out = -1;
  if (st || !id) return st;
  *out = pipe_node_index(pp, id);
  if (*out >= 0) return DDR_OK;
  char sub[DDR_PATH_MAX], ids[600];
  char *names[256];
  size_t n = 0;
  for (size_t i = 0; i < pp->nnodes && n < 256; i++) names[n++] = pp->nodes[i].id;
  list_ids(ids, sizeof ids, names, n);
  ddr_path_join(sub, path, key);
  return ddr_read_error(err, ddr_ymap_get(map, key), sub, "unknown node \"%s\"; nodes are: %s", id,
                        ids);
}

/* The input at index must not exceed max (its whole range), else an error
 * at key under path saying what. */
ddr_status pipe_check_max(ddr_scenario *scn, const pipe_params *pp, size_t index,
                          const ddr_ynode *map, const char *path, const char *key, double max,
                          const char *what, ddr_error *err) {
  size_t ins[PIPE_MAX_SCHEDULE];
  size_t n = pipe_value_inputs(pp, index, ins, PIPE_MAX_SCHEDULE);
  for (size_t k = 0; k < n; k++) {
    const ddr_input *in = ddr_inputs_get(ddr_scenario_inputs(scn), ins[k]);
    if (in->dist.hi <= max) continue;
    char desc[256];
    if (in->uncertain)
      ddr_dist_describe(&in->dist, desc, sizeof desc);
    else
      snprintf(desc, sizeof desc, "%g", in->dist.c[0]);
    const ddr_ynode *at = ddr_ymap_get(map, key); /* a schedule's entry, or the value */
    const ddr_ynode *seq = at && at->kind == DDR_Y_MAP ? ddr_ymap_get(at, "schedule") : NULL;
    if (seq && seq->kind == DDR_Y_SEQ && k < seq->n && ddr_ymap_get(seq->items[k], "value"))
      at = ddr_ymap_get(seq->items[k], "value");
    return ddr_read_error(err, at, in->path, "expected at most %g (%s), found %s", max, what, desc);
  }
  return DDR_OK;
}

/* A list of group ids into a bit mask. */
static ddr_status read_group_mask(const pipe_params *pp, const ddr_ynode *map, const char *path,
                                  uint32_t *mask, ddr_error *err) {
  const ddr_ynode *seq;
  char sub[DDR_PATH_MAX], ids[600];
  ddr_status st = ddr_read_seq(map, path, "groups", 0, &seq, err);
  if (st) return st;
  if (!seq) {
    *mask = pp->ngroups >= 32 ? 0xFFFFFFFFu : (1u << pp->ngroups) - 1;
    return DDR_OK;
  }
  ddr_path_join(sub, path, "groups");
  *mask = 0;
  for (size_t i = 0; i < seq->n; i++) {
    const ddr_ynode *it = seq->items[i];
    int g = it->kind == DDR_Y_SCALAR ? pipe_group_index(pp, it->scalar) : -1;
    if (g < 0) {
      list_ids(ids, sizeof ids, pp->group_ids, pp->ngroups - (size_t)pp->unattributed);
      return ddr_read_error(err, it, sub, "unknown group \"%s\"; groups are: %s",
                            it->kind == DDR_Y_SCALAR ? it->scalar : "(not a name)", ids);
    }
    *mask |= 1u << g;
  }
  if (!*mask) return ddr_read_error(err, seq, sub, "expected at least one group");
  return DDR_OK;
}

ddr_status pipe_read_groups(ddr_scenario *scn, pipe_params *pp, const ddr_ynode *root,
                            int need_unattributed, ddr_error *err) {
  const ddr_ynode *seq;
  ddr_status st = ddr_read_seq(root, "", "groups", 1, &seq, err);
  if (st) return st;
  size_t n = seq->n + (size_t)need_unattributed;
  if (seq->n == 0) return ddr_read_error(err, seq, "groups", "expected at least one group");
  if (n > PIPE_MAX_GROUPS)
    return ddr_read_error(err, seq, "groups", "expected at most %d groups, found %zu%s",
                          PIPE_MAX_GROUPS - need_unattributed, seq->n,
                          need_unattributed ? " (one more, \"unattributed\", holds the starting "
                                              "people without a group)"
                                            : "");
  pp->group_ids = calloc(n, sizeof *pp->group_ids);
  pp->group_size_in = calloc(n, sizeof *pp->group_size_in);
  if (!pp->group_ids || !pp->group_size_in) return pipe_nomem(err, "groups");
  for (size_t i = 0; i < seq->n; i++) {
    char path[DDR_PATH_MAX];
    const char *id, *label;
    ddr_path_format(path, "groups[%zu]", i);
    if ((st = ddr_read_keys(seq->items[i], path, pipe_group_keys, err)) ||
        (st = ddr_read_id(seq->items[i], path, "id", 1, &id, err)))
      return st;
    ddr_path_join(path, "groups", id);
    if (pipe_group_index(pp, id) >= 0 || strcmp(id, "unattributed") == 0)
      return ddr_read_error(err, ddr_ymap_get(seq->items[i], "id"), path,
                            "duplicate or reserved group id \"%s\"", id);
    if ((st = ddr_read_string(seq->items[i], path, "label", 0, id, &label, err)) ||
        (st = ddr_read_input(scn, seq->items[i], path, "size", DDR_IN_COUNT, 1, 0,
                             &pp->group_size_in[i], err)))
      return st;
    if (!(pp->group_ids[i] = strdup(id))) return pipe_nomem(err, path);
    pp->ngroups++;
  }
  if (need_unattributed) {
    /* people already in the programme on the start date whose group is not
     * known: a group of their own with nobody left to come */
    ddr_dist zero;
    ddr_dist_init_constant(&zero, 0);
    long idx = ddr_inputs_add(ddr_scenario_inputs_mut(scn), "groups.unattributed.size",
                              DDR_IN_COUNT, &zero);
    if (idx < 0 || !(pp->group_ids[pp->ngroups] = strdup("unattributed")))
      return pipe_nomem(err, "groups");
    pp->group_size_in[pp->ngroups++] = (size_t)idx;
    pp->unattributed = 1;
  }
  return DDR_OK;
}

/* First pass over nodes: ids and types, so references can be resolved in
 * any order. */
ddr_status pipe_read_node_ids(pipe_params *pp, const ddr_ynode *root, ddr_error *err) {
  const ddr_ynode *seq;
  ddr_status st = ddr_read_seq(root, "", "nodes", 1, &seq, err);
  if (st) return st;
  if (seq->n == 0) return ddr_read_error(err, seq, "nodes", "expected at least one node");
  if (seq->n > 1000)
    return ddr_read_error(err, seq, "nodes", "expected at most 1000 nodes, found %zu", seq->n);
  pp->nodes = calloc(seq->n, sizeof *pp->nodes);
  if (!pp->nodes) return pipe_nomem(err, "nodes");
  for (size_t i = 0; i < seq->n; i++) {
    char path[DDR_PATH_MAX];
    const char *id;
    int type;
    node_p *np = &pp->nodes[i];
    ddr_path_format(path, "nodes[%zu]", i);
    if (seq->items[i]->kind != DDR_Y_MAP)
      return ddr_read_error(err, seq->items[i], path, "expected a mapping describing a node");
    if ((st = ddr_read_id(seq->items[i], path, "id", 1, &id, err))) return st;
    ddr_path_join(path, "nodes", id);
    if (pipe_node_index(pp, id) >= 0)
      return ddr_read_error(err, ddr_ymap_get(seq->items[i], "id"), path,
                            "duplicate node id \"%s\"", id);
    if ((st = ddr_read_enum(seq->items[i], path, "type", node_types, -1, &type, err))) return st;
    if (!(np->id = strdup(id))) return pipe_nomem(err, path);
    np->type = (node_type)type;
    np->component = ddr_component_id(path);
    np->to = np->fail_to = np->dropout_to = np->attrition_to = np->gate = -1;
    pp->nnodes++;
  }
  return DDR_OK;
}

static ddr_status read_attrition(ddr_scenario *scn, pipe_params *pp, node_p *np, const ddr_ynode *m,
                                 const char *path, ddr_error *err) {
  ddr_status st;
  np->has_attrition = ddr_ymap_get(m, "attrition_per_week") != NULL;
  if ((st = pipe_read_value(scn, pp, m, path, "attrition_per_week", DDR_IN_PROB, 0, 0,
                            &np->attrition_in, err)) ||
      (st = pipe_read_ref(pp, m, path, "attrition_to", np->has_attrition, &np->attrition_to, err)))
    return st;
  return DDR_OK;
}

static ddr_status read_intake(ddr_scenario *scn, pipe_params *pp, node_p *np, const ddr_ynode *m,
                              const char *path, ddr_error *err) {
  ddr_status st;
  if ((st = ddr_read_keys(m, path, pipe_intake_keys, err)) ||
      (st = read_group_mask(pp, m, path, &np->groups, err)) ||
      (st = pipe_read_value(scn, pp, m, path, "rate_per_week", DDR_IN_NONNEG, 1, 0, &np->rate_in,
                            err)) ||
      (st = pipe_check_max(scn, pp, np->rate_in, m, path, "rate_per_week", 1e8,
                           "a hundred million people a week", err)) ||
      (st = pipe_read_ref(pp, m, path, "to", 1, &np->to, err)))
    return st;
  if (pp->unattributed) np->groups &= ~(1u << (pp->ngroups - 1));
  return DDR_OK;
}

/* How many steps a duration can last, at the largest duration scale. */
static ddr_status duration_steps(ddr_scenario *scn, node_p *np, const ddr_ynode *m,
                                 const char *path, int step_days, ddr_error *err) {
  const ddr_input *sc = ddr_inputs_get(ddr_scenario_inputs(scn), np->scale_in);
  char sub[DDR_PATH_MAX];
  ddr_path_join(sub, path, "duration_scale");
  if (isinf(sc->dist.hi))
    return ddr_read_error(err, ddr_ymap_get(m, "duration_scale"), sub,
                          "expected a bounded distribution (give min and max), found one without "
                          "an upper bound");
  int kmax = PIPE_MAX_DURATION_DAYS / step_days + 1;
  for (int k = 1; k <= kmax; k++)
    /* offsets 0 .. k-1 hold P(D * scale < k steps), limit from below (see pipe_duration_table) */
    if (ddr_dist_cdf(&np->duration, nextafter((double)k * step_days / sc->dist.hi, -INFINITY)) >=
        1 - 1e-6) {
      np->maxsteps = k;
      return DDR_OK;
    }
  ddr_path_join(sub, path, "duration_days");
  return ddr_read_error(err, ddr_ymap_get(m, "duration_days"), sub,
                        "stays can exceed 20 years (more than 1e-6 of the distribution lies "
                        "beyond); expected shorter stays");
}

static ddr_status read_sites(ddr_scenario *scn, pipe_params *pp, node_p *np, const ddr_ynode *m,
                             const char *path, ddr_error *err) {
  static const char *const rules[] = {"least_full", "by_group", NULL};
  const ddr_ynode *seq;
  int rule;
  ddr_status st;
  if ((st = ddr_read_seq(m, path, "sites", 0, &seq, err)) ||
      (st = ddr_read_enum(m, path, "routing", rules, 0, &rule, err)))
    return st;
  np->routing = (route_rule)rule;
  np->unlimited = seq == NULL;
  if (!seq) return DDR_OK;
  char spath[DDR_PATH_MAX];
  ddr_path_join(spath, path, "sites");
  if (seq->n == 0 || seq->n > PIPE_MAX_SITES)
    return ddr_read_error(err, seq, spath, "expected 1 to %d sites, found %zu", PIPE_MAX_SITES,
                          seq->n);
  if (!(np->sites = calloc(seq->n, sizeof *np->sites))) return pipe_nomem(err, spath);
  uint32_t covered = 0;
  for (size_t i = 0; i < seq->n; i++) {
    char p[DDR_PATH_MAX];
    const char *id;
    site_p *s = &np->sites[i];
    ddr_path_index(p, spath, i);
    if ((st = ddr_read_keys(seq->items[i], p, pipe_site_keys, err)) ||
        (st = ddr_read_id(seq->items[i], p, "id", 1, &id, err)))
      return st;
    ddr_path_join(p, spath, id);
    for (size_t j = 0; j < np->nsites; j++)
      if (strcmp(np->sites[j].id, id) == 0)
        return ddr_read_error(err, ddr_ymap_get(seq->items[i], "id"), p, "duplicate site id \"%s\"",
                              id);
    if (!(s->id = strdup(id))) return pipe_nomem(err, p);
    np->nsites++;
    if ((st = pipe_read_value(scn, pp, seq->items[i], p, "capacity", DDR_IN_COUNT, 1, 0,
                              &s->capacity_in, err)) ||
        (st = read_group_mask(pp, seq->items[i], p, &s->groups, err)))
      return st;
    if (np->routing != ROUTE_BY_GROUP && ddr_ymap_get(seq->items[i], "groups"))
      return ddr_read_error(err, ddr_ymap_get(seq->items[i], "groups"), p,
                            "a site's groups apply only with routing: by_group (this stage routes "
                            "to the least full site, which takes everyone)");
    if (np->routing == ROUTE_BY_GROUP) {
      if (!ddr_ymap_get(seq->items[i], "groups"))
        return ddr_read_error(err, seq->items[i], p,
                              "missing required key \"groups\" (routing is by_group)");
      /* Sites must split the groups between them: two groups sharing a site
       * would compete for places, which by_group routing does not model. */
      if (covered & s->groups)
        return ddr_read_error(err, ddr_ymap_get(seq->items[i], "groups"), p,
                              "a group is listed at two sites; with by_group routing each group "
                              "goes to its own sites (use least_full to share sites)");
      covered |= s->groups;
    }
  }
  if (np->routing == ROUTE_BY_GROUP) {
    if (pp->unattributed)
      return ddr_read_error(err, ddr_ymap_get(m, "routing"), path,
                            "routing by_group needs everyone's group, but some people of the "
                            "starting state have none: give every initial entry a group");
    for (size_t g = 0; g < pp->ngroups; g++)
      if (!(covered & (1u << g)))
        return ddr_read_error(err, seq, spath,
                              "no site takes group \"%s\" (routing is by_group): its people "
                              "would wait forever",
                              pp->group_ids[g]);
  }
  return DDR_OK;
}

static ddr_status read_stage(ddr_scenario *scn, pipe_params *pp, node_p *np, const ddr_ynode *m,
                             const char *path, int step_days, ddr_error *err) {
  ddr_status st;
  const ddr_ynode *dur;
  char sub[DDR_PATH_MAX];
  if ((st = ddr_read_keys(m, path, pipe_stage_keys, err)) ||
      (st = read_sites(scn, pp, np, m, path, err)))
    return st;
  ddr_path_join(sub, path, "duration_days");
  dur = ddr_ymap_get(m, "duration_days");
  if (!dur) return ddr_read_error(err, m, sub, "missing required key \"duration_days\"");
  if ((st = ddr_read_dist(dur, sub, DDR_IN_NONNEG, NULL, &np->duration, err)) ||
      (st = ddr_read_input(scn, m, path, "duration_scale", DDR_IN_POSITIVE, 0, 1, &np->scale_in,
                           err)) ||
      (st = duration_steps(scn, np, m, path, step_days, err)) ||
      (st = read_attrition(scn, pp, np, m, path, err)))
    return st;
  np->has_weapons = ddr_ymap_get(m, "weapons_per_person") != NULL;
  if ((st = pipe_read_value(scn, pp, m, path, "weapons_per_person", DDR_IN_PROB, 0, 0,
                            &np->weapons_in, err)) ||
      (st = pipe_read_ref(pp, m, path, "to", 1, &np->to, err)))
    return st;
  return DDR_OK;
}

/* branches: {node: probability, ..., node: rest}. Written as a mapping so
 * each probability has a key path (nodes.screening.branches.training). */
static ddr_status read_split(ddr_scenario *scn, pipe_params *pp, node_p *np, const ddr_ynode *m,
                             const char *path, ddr_error *err) {
  const ddr_ynode *br;
  char bpath[DDR_PATH_MAX];
  ddr_status st;
  if ((st = ddr_read_keys(m, path, pipe_split_keys, err)) ||
      (st = ddr_read_map(m, path, "branches", 1, &br, err)))
    return st;
  ddr_path_join(bpath, path, "branches");
  if (br->n < 2 || br->n > 64)
    return ddr_read_error(err, br, bpath, "expected 2 to 64 branches, found %zu", br->n);
  np->branch_to = calloc(br->n, sizeof *np->branch_to);
  np->branch_p_in = calloc(br->n, sizeof *np->branch_p_in);
  if (!np->branch_to || !np->branch_p_in) return pipe_nomem(err, bpath);
  double upper = 0; /* largest possible sum of the given probabilities */
  int rest = -1;
  for (size_t i = 0; i < br->n; i++) {
    char p[DDR_PATH_MAX];
    ddr_path_join(p, bpath, br->keys[i]);
    int to = pipe_node_index(pp, br->keys[i]);
    if (to < 0) {
      char ids[600];
      char *names[256];
      size_t n = 0;
      for (size_t j = 0; j < pp->nnodes && n < 256; j++) names[n++] = pp->nodes[j].id;
      list_ids(ids, sizeof ids, names, n);
      const char *file; /* the key may come from a parent file (extends) */
      int line, column;
      ddr_ymap_key_pos(br, i, &file, &line, &column);
      return ddr_error_set(err, DDR_EINPUT, file, line, column, p,
                           "unknown node \"%s\"; nodes are: %s", br->keys[i], ids);
    }
    np->branch_to[i] = to;
    const ddr_ynode *v = br->items[i];
    if (v->kind == DDR_Y_SCALAR && strcmp(v->scalar, "rest") == 0) {
      if (rest >= 0)
        return ddr_read_error(err, v, p, "only one branch can take the rest (\"%s\" already does)",
                              br->keys[rest]);
      rest = (int)i;
      continue;
    }
    if ((st = pipe_read_value(scn, pp, br, bpath, br->keys[i], DDR_IN_PROB, 1, 0,
                              &np->branch_p_in[i], err)))
      return st;
    upper += pipe_value_hi(scn, pp, np->branch_p_in[i]);
  }
  np->nbranches = br->n;
  if (rest < 0)
    return ddr_read_error(err, br, bpath,
                          "expected one branch whose value is \"rest\" (it takes everyone the "
                          "others do not)");
  /* keep the rest branch last: the multinomial gives it what is left */
  int to = np->branch_to[rest];
  size_t pin = np->branch_p_in[rest];
  for (size_t i = (size_t)rest; i + 1 < br->n; i++) {
    np->branch_to[i] = np->branch_to[i + 1];
    np->branch_p_in[i] = np->branch_p_in[i + 1];
  }
  np->branch_to[br->n - 1] = to;
  np->branch_p_in[br->n - 1] = pin;
  if (upper > 1 + 1e-12)
    return ddr_read_error(err, br, bpath,
                          "branch probabilities can add up to more than 1 (their upper bounds "
                          "sum to %g); expected at most 1",
                          upper);
  return DDR_OK;
}

static ddr_status read_centres(ddr_scenario *scn, pipe_params *pp, node_p *np, const ddr_ynode *m,
                               const char *path, const ddr_calendar *cal, ddr_error *err) {
  const ddr_ynode *seq;
  char cpath[DDR_PATH_MAX];
  ddr_status st = ddr_read_seq(m, path, "centres", 1, &seq, err);
  if (st) return st;
  ddr_path_join(cpath, path, "centres");
  if (seq->n == 0 || seq->n > PIPE_MAX_CENTRES)
    return ddr_read_error(err, seq, cpath, "expected 1 to %d centres, found %zu", PIPE_MAX_CENTRES,
                          seq->n);
  if (!(np->centres = calloc(seq->n, sizeof *np->centres))) return pipe_nomem(err, cpath);
  for (size_t i = 0; i < seq->n; i++) {
    char p[DDR_PATH_MAX];
    const char *id;
    const ddr_ynode *c = seq->items[i], *dates;
    centre_p *ce = &np->centres[i];
    ddr_path_index(p, cpath, i);
    if ((st = ddr_read_keys(c, p, pipe_centre_keys, err)) ||
        (st = ddr_read_id(c, p, "id", 1, &id, err)))
      return st;
    ddr_path_join(p, cpath, id);
    for (size_t j = 0; j < np->ncentres; j++)
      if (strcmp(np->centres[j].id, id) == 0)
        return ddr_read_error(err, ddr_ymap_get(c, "id"), p, "duplicate centre id \"%s\"", id);
    if (!(ce->id = strdup(id))) return pipe_nomem(err, p);
    np->ncentres++;
    if ((st = pipe_read_value(scn, pp, c, p, "seats", DDR_IN_POSCOUNT, 1, 0, &ce->seats_in, err)) ||
        (st = pipe_read_value(scn, pp, c, p, "courses_at_once", DDR_IN_COUNT, 0, 1, &ce->courses_in,
                              err)) ||
        (st = pipe_read_value(scn, pp, c, p, "course_weeks", DDR_IN_POSITIVE, 1, 0, &ce->weeks_in,
                              err)) ||
        (st = pipe_check_max(scn, pp, ce->weeks_in, c, p, "course_weeks", 1040, "twenty years",
                             err)) ||
        (st = pipe_read_value(scn, pp, c, p, "min_cohort", DDR_IN_POSCOUNT, 0, 1,
                              &ce->min_cohort_in, err)) ||
        (st = ddr_read_seq(c, p, "intake_dates", 0, &dates, err)))
      return st;
    double most = pipe_value_hi(scn, pp, ce->courses_in);
    if (isinf(most) || most > 1000)
      return ddr_read_error(err, ddr_ymap_get(c, "courses_at_once"), p,
                            "expected at most 1000 courses at once (a bounded distribution)");
    ce->max_courses = (int)floor(most + 0.5);
    np->max_courses += ce->max_courses;
    if (!dates) continue;
    if (!(ce->intake_step = calloc((size_t)cal->nsteps, 1))) return pipe_nomem(err, p);
    char dp[DDR_PATH_MAX];
    ddr_path_join(dp, p, "intake_dates");
    for (size_t k = 0; k < dates->n; k++) {
      int32_t day;
      const ddr_ynode *d = dates->items[k];
      if (d->kind != DDR_Y_SCALAR || ddr_date_parse(d->scalar, &day))
        return ddr_read_error(err, d, dp, "expected a date YYYY-MM-DD, found %s%s%s",
                              d->kind == DDR_Y_SCALAR ? "\"" : "",
                              d->kind == DDR_Y_SCALAR ? d->scalar : "a non-scalar value",
                              d->kind == DDR_Y_SCALAR ? "\"" : "");
      if (day < cal->start || day > cal->end)
        return ddr_read_error(err, d, dp, "expected a date within the horizon, found %s",
                              d->scalar);
      ce->intake_step[ddr_calendar_step_of(cal, day)] = 1;
    }
  }
  return DDR_OK;
}

static ddr_status read_training(ddr_scenario *scn, pipe_params *pp, node_p *np, const ddr_ynode *m,
                                const char *path, ddr_error *err) {
  ddr_status st;
  const ddr_calendar *cal = ddr_scenario_calendar(scn);
  if ((st = ddr_read_keys(m, path, pipe_training_keys, err)) ||
      (st = read_centres(scn, pp, np, m, path, cal, err)) ||
      (st = pipe_read_value(scn, pp, m, path, "fail", DDR_IN_PROB, 0, 0, &np->fail_in, err)) ||
      (st =
           pipe_read_value(scn, pp, m, path, "dropout", DDR_IN_PROB, 0, 0, &np->dropout_in, err)) ||
      (st = read_attrition(scn, pp, np, m, path, err)) ||
      (st = pipe_read_ref(pp, m, path, "to", 1, &np->to, err)) ||
      (st = pipe_read_ref(pp, m, path, "fail_to", ddr_ymap_get(m, "fail") != NULL, &np->fail_to,
                          err)) ||
      (st = pipe_read_ref(pp, m, path, "dropout_to", ddr_ymap_get(m, "dropout") != NULL,
                          &np->dropout_to, err)))
    return st;
  return DDR_OK;
}

ddr_status pipe_read_nodes(ddr_scenario *scn, pipe_params *pp, const ddr_ynode *root,
                           ddr_error *err) {
  const ddr_ynode *seq = ddr_ymap_get(root, "nodes");
  int step_days = ddr_scenario_calendar(scn)->step_days;
  for (size_t i = 0; i < pp->nnodes; i++) {
    node_p *np = &pp->nodes[i];
    const ddr_ynode *m = seq->items[i];
    char path[DDR_PATH_MAX];
    const char *label;
    ddr_status st;
    ddr_path_join(path, "nodes", np->id);
    if ((st = ddr_read_string(m, path, "label", 0, np->id, &label, err)) ||
        (np->type != NODE_SINK && (st = pipe_read_gate(pp, m, path, &np->gate, err))))
      return st;
    switch (np->type) {
    case NODE_INTAKE:
      st = read_intake(scn, pp, np, m, path, err);
      break;
    case NODE_STAGE:
      st = read_stage(scn, pp, np, m, path, step_days, err);
      break;
    case NODE_SPLIT:
      st = read_split(scn, pp, np, m, path, err);
      break;
    case NODE_TRAINING:
      st = read_training(scn, pp, np, m, path, err);
      break;
    case NODE_SINK:
      st = ddr_read_keys(m, path, pipe_sink_keys, err);
      break;
    }
    if (st) return st;
  }
  return DDR_OK;
}

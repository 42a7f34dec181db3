/* The pipeline model's descriptor and set-up: reads the scenario, checks the
 * graph, registers metrics and lays out one replication's state. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ddrsim/scenario.h"
#include "pipeline_impl.h"
#include "pipeline_keys.h"
#include "pipeline_read.h"
#include "pipeline_sched.h"
#include "pipeline_shocks.h"
#include "pipeline_units.h"

static const char *const pipe_sections[] = {"groups", "milestones", "nodes", "redeployment",
                                            "shocks", "initial",    NULL};

const ddr_model_type ddr_model_pipeline = {
    .name = "pipeline",
    .summary = "People flowing through a graph of intake, stages, splits, training and outcomes",
    .sections = pipe_sections,
    .keytables = pipe_keytables,
    .create = pipe_create,
    .free = pipe_free,
    .state_size = pipe_state_size,
    .init = pipe_init,
    .step = pipe_step,
    .population = pipe_population,
    .events = pipe_events,
};

void pipe_free(void *params) {
  pipe_params *pp = params;
  if (!pp) return;
  for (size_t i = 0; i < pp->ngroups; i++) free(pp->group_ids[i]);
  free(pp->group_ids);
  free(pp->group_size_in);
  for (size_t i = 0; i < pp->nnodes; i++) {
    node_p *np = &pp->nodes[i];
    free(np->id);
    for (size_t s = 0; s < np->nsites; s++) free(np->sites[s].id);
    free(np->sites);
    for (size_t c = 0; c < np->ncentres; c++) {
      free(np->centres[c].id);
      free(np->centres[c].intake_step);
    }
    free(np->centres);
    free(np->branch_to);
    free(np->branch_p_in);
    free(np->pmf_fixed);
    ddr_dist_release(&np->duration);
  }
  free(pp->nodes);
  free(pp->order);
  free(pp->initial);
  pipe_sched_free(pp);
  pipe_shocks_free(pp);
  pipe_units_free(pp);
  free(pp);
}

size_t pipe_state_size(const void *params) {
  return ((const pipe_params *)params)->state_size;
}

/* Downstream nodes of a node, for the graph checks. */
static size_t successors(const node_p *np, int *out) {
  size_t n = 0;
  if (np->to >= 0) out[n++] = np->to;
  if (np->fail_to >= 0) out[n++] = np->fail_to;
  if (np->dropout_to >= 0) out[n++] = np->dropout_to;
  if (np->attrition_to >= 0) out[n++] = np->attrition_to;
  for (size_t b = 0; b < np->nbranches; b++) out[n++] = np->branch_to[b];
  return n;
}

/* Kahn's algorithm; on a cycle, name the nodes on it. */
static ddr_status topo_order(pipe_params *pp, const ddr_ynode *root, ddr_error *err) {
  size_t n = pp->nnodes;
  int *indeg = calloc(n, sizeof *indeg), succ[80];
  pp->order = malloc(n * sizeof *pp->order);
  if (!indeg || !pp->order) {
    free(indeg);
    return pipe_nomem(err, "nodes");
  }
  for (size_t i = 0; i < n; i++) {
    size_t k = successors(&pp->nodes[i], succ);
    for (size_t j = 0; j < k; j++) indeg[succ[j]]++;
  }
  size_t head = 0, tail = 0;
  for (size_t i = 0; i < n; i++)
    if (indeg[i] == 0) pp->order[tail++] = (int)i;
  while (head < tail) {
    int u = pp->order[head++];
    size_t k = successors(&pp->nodes[u], succ);
    for (size_t j = 0; j < k; j++)
      if (--indeg[succ[j]] == 0) pp->order[tail++] = succ[j];
  }
  ddr_status st = DDR_OK;
  if (tail < n) {
    char list[600];
    size_t k = 0;
    for (size_t i = 0; i < n && k < sizeof list - 80; i++)
      if (indeg[i] > 0)
        k += (size_t)snprintf(list + k, sizeof list - k, "%s%s", k ? ", " : "", pp->nodes[i].id);
    st = ddr_read_error(err, ddr_ymap_get(root, "nodes"), "nodes",
                        "the nodes form a cycle (people could flow round forever); nodes on or "
                        "after the cycle: %s",
                        list);
  }
  free(indeg);
  return st;
}

/* Every group must come in somewhere; nobody flows into an intake. */
static ddr_status check_graph(const pipe_params *pp, const ddr_ynode *root, ddr_error *err) {
  uint32_t covered = 0;
  int succ[80];
  for (size_t i = 0; i < pp->nnodes; i++) {
    size_t k = successors(&pp->nodes[i], succ);
    for (size_t j = 0; j < k; j++)
      if (pp->nodes[succ[j]].type == NODE_INTAKE) {
        char path[DDR_PATH_MAX];
        ddr_path_join(path, "nodes", pp->nodes[i].id);
        return ddr_read_error(err, ddr_ymap_get(root, "nodes"), path,
                              "sends people to intake node \"%s\"; an intake only takes people "
                              "from its groups' pools",
                              pp->nodes[succ[j]].id);
      }
  }
  for (size_t i = 0; i < pp->nnodes; i++)
    if (pp->nodes[i].type == NODE_INTAKE) covered |= pp->nodes[i].groups;
  for (size_t g = 0; g < pp->ngroups - (size_t)pp->unattributed; g++)
    if (!(covered & (1u << g))) {
      char path[DDR_PATH_MAX];
      ddr_path_join(path, "groups", pp->group_ids[g]);
      return ddr_read_error(err, ddr_ymap_get(root, "groups"), path,
                            "group \"%s\" presents itself at no intake node (add it to an "
                            "intake's groups)",
                            pp->group_ids[g]);
    }
  return DDR_OK;
}

static ddr_status read_initial(ddr_scenario *scn, pipe_params *pp, const ddr_ynode *root,
                               ddr_error *err) {
  static const char *const wheres[] = {"queue", "in_service", NULL};
  const ddr_ynode *seq;
  ddr_status st = ddr_read_seq(root, "", "initial", 0, &seq, err);
  if (st || !seq) return st;
  if (!(pp->initial = calloc(seq->n ? seq->n : 1, sizeof *pp->initial)))
    return pipe_nomem(err, "initial");
  for (size_t i = 0; i < seq->n; i++) {
    const ddr_ynode *m = seq->items[i];
    initial_p *ip = &pp->initial[i];
    char path[DDR_PATH_MAX];
    const char *group, *site;
    int where;
    ddr_path_format(path, "initial[%zu]", i);
    if ((st = ddr_read_keys(m, path, pipe_initial_keys, err)) ||
        (st = pipe_read_ref(pp, m, path, "node", 1, &ip->node, err)) ||
        (st = ddr_read_id(m, path, "group", 0, &group, err)) ||
        (st = ddr_read_enum(m, path, "where", wheres, 0, &where, err)) ||
        (st = ddr_read_id(m, path, "site", 0, &site, err)))
      return st;
    const node_p *np = &pp->nodes[ip->node];
    ip->group = group ? pipe_group_index(pp, group) : (int)pp->ngroups - 1;
    if (ip->group < 0)
      return ddr_read_error(err, ddr_ymap_get(m, "group"), path, "unknown group \"%s\"", group);
    ip->in_service = where == 1;
    /* the path of the count names the node and group so --set can reach it
     * by those: initial.<node>.<group> is not a tree path, so the input is
     * registered under the item's position. */
    if (np->type == NODE_INTAKE || np->type == NODE_SPLIT)
      return ddr_read_error(err, ddr_ymap_get(m, "node"), path,
                            "people cannot start at %s node \"%s\"; put them in a stage, "
                            "training or sink (or count them in the group sizes)",
                            np->type == NODE_INTAKE ? "intake" : "split", np->id);
    if (ip->in_service && np->type != NODE_STAGE)
      return ddr_read_error(err, ddr_ymap_get(m, "where"), path,
                            "in_service is for stage nodes; at a %s node use queue",
                            np->type == NODE_TRAINING ? "training" : "sink");
    ip->site = -1;
    if (site && (!ip->in_service || np->unlimited))
      return ddr_read_error(err, ddr_ymap_get(m, "site"), path,
                            np->unlimited ? "stage \"%s\" has no sites"
                                          : "site is for people in_service at stage \"%s\"",
                            np->id);
    if (ip->in_service && !np->unlimited) {
      if (!site && np->nsites > 1)
        return ddr_read_error(err, m, path,
                              "missing required key \"site\" (stage \"%s\" has "
                              "several sites)",
                              np->id);
      ip->site = 0;
      if (site) {
        ip->site = -1;
        for (size_t s = 0; s < np->nsites; s++)
          if (strcmp(np->sites[s].id, site) == 0) ip->site = (int)s;
        if (ip->site < 0)
          return ddr_read_error(err, ddr_ymap_get(m, "site"), path,
                                "unknown site \"%s\" at stage \"%s\"", site, np->id);
      }
      if (!(np->sites[ip->site].groups & (1u << ip->group)))
        return ddr_read_error(err, m, path, "site \"%s\" does not take group \"%s\"",
                              np->sites[ip->site].id, pp->group_ids[ip->group]);
    }
    if ((st = ddr_read_input(scn, m, path, "count", DDR_IN_COUNT, 1, 0, &ip->count_in, err)))
      return st;
    pp->ninitial++;
  }
  return DDR_OK;
}

/* Whether any initial entry lacks a group (then "unattributed" exists). */
static int initial_needs_unattributed(const ddr_ynode *root) {
  const ddr_ynode *seq = ddr_ymap_get(root, "initial");
  if (!seq || seq->kind != DDR_Y_SEQ) return 0;
  for (size_t i = 0; i < seq->n; i++)
    if (seq->items[i]->kind == DDR_Y_MAP && !ddr_ymap_get(seq->items[i], "group")) return 1;
  return 0;
}

/* People in service at a site on the start date must fit in it, whatever
 * the draws. */
static ddr_status check_initial_capacity(ddr_scenario *scn, const pipe_params *pp,
                                         const ddr_ynode *root, ddr_error *err) {
  const ddr_inputs *in = ddr_scenario_inputs(scn);
  for (size_t i = 0; i < pp->ninitial; i++) {
    const initial_p *ip = &pp->initial[i];
    const node_p *np = &pp->nodes[ip->node];
    if (!ip->in_service || np->unlimited || ip->site < 0) continue;
    double most = 0;
    for (size_t j = 0; j < pp->ninitial; j++) /* all entries at that site */
      if (pp->initial[j].node == ip->node && pp->initial[j].in_service &&
          pp->initial[j].site == ip->site)
        most += ddr_inputs_get(in, pp->initial[j].count_in)->dist.hi;
    const site_p *site = &np->sites[ip->site];
    double least = pipe_value_lo_at_start(scn, pp, site->capacity_in);
    if (most > least) {
      char path[DDR_PATH_MAX];
      ddr_path_index(path, "initial", i);
      return ddr_read_error(err, ddr_ymap_get(root, "initial")->items[i], path,
                            "up to %.0f people in service at site \"%s\" of stage \"%s\" on "
                            "the start date, which can hold as few as %.0f",
                            most, site->id, np->id, least);
    }
  }
  return DDR_OK;
}

/* Everyone the programme can hold must fit the 32-bit counts and metrics. */
static ddr_status check_population(ddr_scenario *scn, const pipe_params *pp, const ddr_ynode *root,
                                   ddr_error *err) {
  const ddr_inputs *in = ddr_scenario_inputs(scn);
  double most = 0;
  for (size_t g = 0; g < pp->ngroups; g++)
    most += ddr_inputs_get(in, pp->group_size_in[g])->dist.hi;
  for (size_t i = 0; i < pp->ninitial; i++)
    most += ddr_inputs_get(in, pp->initial[i].count_in)->dist.hi;
  if (most <= 2147483647.0) return DDR_OK;
  return ddr_read_error(err, ddr_ymap_get(root, "groups"), "groups",
                        "the group sizes and starting counts can add up to %.0f people; expected "
                        "at most 2147483647",
                        most);
}

ddr_status pipe_register_metrics(ddr_scenario *scn, pipe_params *pp, ddr_error *err);
void pipe_layout(pipe_params *pp);
ddr_status pipe_fix_durations(ddr_scenario *scn, pipe_params *pp, ddr_error *err);

ddr_status pipe_create(ddr_scenario *scn, const ddr_ynode *root, void **params, ddr_error *err) {
  pipe_params *pp = calloc(1, sizeof *pp);
  if (!pp) return pipe_nomem(err, NULL);
  const ddr_calendar *cal = ddr_scenario_calendar(scn);
  pp->nsteps = cal->nsteps;
  pp->step_days = cal->step_days;
  ddr_status st;
  if ((st = pipe_read_groups(scn, pp, root, initial_needs_unattributed(root), err)) ||
      (st = pipe_read_milestones(scn, pp, root, err)) || (st = pipe_read_node_ids(pp, root, err)) ||
      (st = pipe_read_nodes(scn, pp, root, err)) || (st = pipe_read_units(scn, pp, root, err)) ||
      (st = pipe_read_shocks(scn, pp, root, err)) || (st = topo_order(pp, root, err)) ||
      (st = check_graph(pp, root, err)) || (st = read_initial(scn, pp, root, err)) ||
      (st = check_population(scn, pp, root, err)) ||
      (st = check_initial_capacity(scn, pp, root, err)) ||
      (st = pipe_register_metrics(scn, pp, err)) || (st = pipe_shock_metrics(scn, pp, err)) ||
      (st = pipe_unit_metrics(scn, pp, err)) || (st = pipe_fix_durations(scn, pp, err))) {
    pipe_free(pp);
    return st;
  }
  pp->ninputs = ddr_inputs_count(ddr_scenario_inputs(scn));
  pipe_layout(pp);
  *params = pp;
  return DDR_OK;
}

/* Milestones (dates, possibly uncertain or following one another) and
 * schedules (values that change on dates or when a milestone happens): how
 * they are read, and how one replication evaluates them step by step. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ddrsim/scenario.h"
#include "pipeline_impl.h"
#include "pipeline_keys.h"
#include "pipeline_read.h"
#include "pipeline_sched.h"

int pipe_milestone_index(const pipe_params *pp, const char *id) {
  for (size_t i = 0; i < pp->nmilestones; i++)
    if (strcmp(pp->milestones[i].id, id) == 0) return (int)i;
  return -1;
}

/* A milestone named under key, which must be one of those defined (before
 * `before` when >= 0, so that milestones follow one another without
 * cycles). */
static ddr_status read_milestone_ref(const pipe_params *pp, const ddr_ynode *map, const char *path,
                                     const char *key, int required, size_t before, int *out,
                                     ddr_error *err) {
  const char *id;
  ddr_status st = ddr_read_id(map, path, key, required, &id, err);
  *out = -1;
  if (st || !id) return st;
  size_t n = before < pp->nmilestones ? before : pp->nmilestones;
  for (size_t i = 0; i < n; i++)
    if (strcmp(pp->milestones[i].id, id) == 0) {
      *out = (int)i;
      return DDR_OK;
    }
  char sub[DDR_PATH_MAX], ids[600];
  size_t k = 0;
  ids[0] = '\0';
  for (size_t i = 0; i < n && k + 1 < sizeof ids; i++)
    k += (size_t)snprintf(ids + k, sizeof ids - k, "%s%s", i ? ", " : "", pp->milestones[i].id);
  ddr_path_join(sub, path, key);
  if (pipe_milestone_index(pp, id) >= 0) /* itself */
    return ddr_read_error(err, ddr_ymap_get(map, key), sub, "a milestone cannot follow itself");
  return ddr_read_error(err, ddr_ymap_get(map, key), sub, "unknown milestone \"%s\"; %s%s", id,
                        n ? "milestones are: " : "no milestones are defined (see `milestones:`)",
                        ids);
}

ddr_status pipe_read_milestones(ddr_scenario *scn, pipe_params *pp, const ddr_ynode *root,
                                ddr_error *err) {
  const ddr_ynode *seq;
  ddr_status st = ddr_read_seq(root, "", "milestones", 0, &seq, err);
  if (st || !seq) return st;
  if (seq->n > PIPE_MAX_MILESTONES)
    return ddr_read_error(err, seq, "milestones", "expected at most %d milestones, found %zu",
                          PIPE_MAX_MILESTONES, seq->n);
  if (!(pp->milestones = calloc(seq->n + 1, sizeof *pp->milestones)))
    return pipe_nomem(err, "milestones");
  for (size_t i = 0; i < seq->n; i++) {
    char path[DDR_PATH_MAX];
    const char *id, *label;
    const ddr_ynode *m = seq->items[i];
    milestone_p *ms = &pp->milestones[i];
    ddr_path_index(path, "milestones", i);
    if ((st = ddr_read_keys(m, path, pipe_milestone_keys, err)) ||
        (st = ddr_read_id(m, path, "id", 1, &id, err)))
      return st;
    ddr_path_join(path, "milestones", id);
    if (pipe_milestone_index(pp, id) >= 0)
      return ddr_read_error(err, ddr_ymap_get(m, "id"), path, "duplicate milestone id \"%s\"", id);
    if (!(ms->id = strdup(id))) return pipe_nomem(err, path);
    pp->nmilestones++;
    int has_date = ddr_ymap_get(m, "date") != NULL, has_after = ddr_ymap_get(m, "after") != NULL;
    if (has_date == has_after)
      return ddr_read_error(err, m, path,
                            has_date ? "give either \"date\" or \"after\", not both"
                                     : "missing required key \"date\" (or \"after\" with "
                                       "\"delay_days\")");
    const ddr_ynode *after = ddr_ymap_get(m, "after");
    for (size_t j = i + 1; after && after->kind == DDR_Y_SCALAR && j < seq->n; j++) {
      const ddr_ynode *other = ddr_ymap_get(seq->items[j], "id");
      if (other && other->kind == DDR_Y_SCALAR && strcmp(other->scalar, after->scalar) == 0) {
        char sub[DDR_PATH_MAX];
        ddr_path_join(sub, path, "after");
        return ddr_read_error(err, after, sub,
                              "milestone \"%s\" is defined later in the list; a milestone can "
                              "only follow one listed before it",
                              after->scalar);
      }
    }
    if ((st = ddr_read_string(m, path, "label", 0, id, &label, err)) ||
        (st = read_milestone_ref(pp, m, path, "after", 0, i, &ms->after, err)))
      return st;
    if (has_date) {
      if ((st = ddr_read_input(scn, m, path, "date", DDR_IN_DATE, 1, 0, &ms->date_in, err)))
        return st;
      if (ddr_ymap_get(m, "delay_days"))
        return ddr_read_error(err, ddr_ymap_get(m, "delay_days"), path,
                              "\"delay_days\" goes with \"after\"; a milestone with a date has "
                              "none");
    } else if ((st = ddr_read_input(scn, m, path, "delay_days", DDR_IN_NONNEG, 0, 0, &ms->delay_in,
                                    err))) {
      return st;
    }
  }
  return DDR_OK;
}

ddr_status pipe_read_gate(const pipe_params *pp, const ddr_ynode *map, const char *path, int *gate,
                          ddr_error *err) {
  return read_milestone_ref(pp, map, path, "gate", 0, (size_t)-1, gate, err);
}

/* The largest value an input can take, for checks made when reading. */
static double input_hi(ddr_scenario *scn, size_t i) {
  return ddr_inputs_get(ddr_scenario_inputs(scn), i)->dist.hi;
}

static const sched_p *sched_of(const pipe_params *pp, size_t slot) {
  for (size_t i = 0; i < pp->nscheds; i++)
    if (pp->scheds[i].slot == slot) return &pp->scheds[i];
  return NULL;
}

double pipe_value_hi(ddr_scenario *scn, const pipe_params *pp, size_t slot) {
  const sched_p *s = sched_of(pp, slot);
  if (!s) return input_hi(scn, slot);
  double hi = -INFINITY;
  for (size_t e = 0; e < s->nentries; e++) {
    double h = input_hi(scn, s->entries[e].value_in);
    hi = h > hi ? h : hi;
  }
  return hi;
}

size_t pipe_value_inputs(const pipe_params *pp, size_t slot, size_t *out, size_t max) {
  const sched_p *s = sched_of(pp, slot);
  if (!s) {
    if (max) out[0] = slot;
    return 1;
  }
  for (size_t e = 0; e < s->nentries && e < max; e++) out[e] = s->entries[e].value_in;
  return s->nentries;
}

static ddr_status read_schedule(ddr_scenario *scn, pipe_params *pp, const ddr_ynode *v,
                                const char *sub, ddr_input_kind kind, size_t *index,
                                ddr_error *err) {
  const ddr_ynode *seq;
  char spath[DDR_PATH_MAX];
  ddr_status st;
  if ((st = ddr_read_keys(v, sub, pipe_schedule_keys, err)) ||
      (st = ddr_read_seq(v, sub, "schedule", 1, &seq, err)))
    return st;
  ddr_path_join(spath, sub, "schedule");
  if (seq->n == 0 || seq->n > PIPE_MAX_SCHEDULE)
    return ddr_read_error(err, seq, spath, "expected 1 to %d entries, found %zu", PIPE_MAX_SCHEDULE,
                          seq->n);
  sched_p *grown = realloc(pp->scheds, (pp->nscheds + 1) * sizeof *grown);
  if (!grown) return pipe_nomem(err, spath);
  pp->scheds = grown;
  sched_p *s = &pp->scheds[pp->nscheds];
  memset(s, 0, sizeof *s);
  if (!(s->entries = calloc(seq->n, sizeof *s->entries))) return pipe_nomem(err, spath);
  pp->nscheds++;
  for (size_t i = 0; i < seq->n; i++) {
    char p[DDR_PATH_MAX];
    const ddr_ynode *e = seq->items[i];
    sched_entry_p *en = &s->entries[i];
    ddr_path_index(p, spath, i);
    if ((st = ddr_read_keys(e, p, pipe_schedule_entry_keys, err))) return st;
    if (i == 0) {
      /* the value from the start keeps the key's own path, hence its random
       * stream: a value turned into a schedule draws what it drew before */
      char vpath[DDR_PATH_MAX];
      const ddr_ynode *v = ddr_ymap_get(e, "value");
      ddr_dist d;
      ddr_path_join(vpath, p, "value");
      if (!v) return ddr_read_error(err, e, vpath, "missing required key \"value\"");
      if ((st = ddr_read_dist(v, vpath, kind, ddr_scenario_calendar(scn), &d, err))) return st;
      long idx = ddr_inputs_add(ddr_scenario_inputs_mut(scn), sub, kind, &d);
      if (idx < 0) {
        ddr_dist_release(&d);
        return pipe_nomem(err, sub);
      }
      en->value_in = (size_t)idx;
    } else if ((st = ddr_read_input(scn, e, p, "value", kind, 1, 0, &en->value_in, err))) {
      return st;
    }
    if ((st = read_milestone_ref(pp, e, p, "after", 0, (size_t)-1, &en->milestone, err))) return st;
    s->nentries++;
    int has_from = ddr_ymap_get(e, "from") != NULL, has_after = en->milestone >= 0;
    if (i == 0 && (has_from || has_after))
      return ddr_read_error(err, ddr_ymap_get(e, has_from ? "from" : "after"), p,
                            "the first entry is the value from the start date; give it no "
                            "\"from\" or \"after\" (add an entry before it)");
    if (i > 0 && has_from == has_after)
      return ddr_read_error(err, e, p,
                            has_from ? "give either \"from\" (a date) or \"after\" (a milestone), "
                                       "not both"
                                     : "missing \"from\" (a date) or \"after\" (a milestone): "
                                       "when the value takes effect");
    en->start = i == 0 ? START_NOW : has_from ? START_DATE : START_MILESTONE;
    if (has_from && (st = ddr_read_input(scn, e, p, "from", DDR_IN_DATE, 1, 0, &en->date_in, err)))
      return st;
  }
  s->slot = s->entries[0].value_in;
  s->first_entry = pp->nentries;
  pp->nentries += s->nentries;
  *index = s->slot;
  return DDR_OK;
}

ddr_status pipe_read_value(ddr_scenario *scn, pipe_params *pp, const ddr_ynode *map,
                           const char *path, const char *key, ddr_input_kind kind, int required,
                           double def, size_t *index, ddr_error *err) {
  const ddr_ynode *v = ddr_ymap_get(map, key);
  if (v && v->kind == DDR_Y_MAP && ddr_ymap_get(v, "schedule")) {
    char sub[DDR_PATH_MAX];
    ddr_path_join(sub, path, key);
    return read_schedule(scn, pp, v, sub, kind, index, err);
  }
  return ddr_read_input(scn, map, path, key, kind, required, def, index, err);
}

/* ------------------------------------------------------ per replication */

/* Step from which something dated `day` holds: the step holding it, 0 when
 * it is before the start, nsteps (never, within the horizon) after it. */
static int32_t step_from_day(const ddr_calendar *cal, double day) {
  if (!(day >= cal->start)) return 0;
  if (day > cal->end) return cal->nsteps;
  return ddr_calendar_step_of(cal, (int32_t)day);
}

void pipe_sched_init(const pipe_params *pp, void *state, const ddr_rep *rep) {
  double *cur = (double *)((char *)state + pp->st_cur);
  int32_t *ms = (int32_t *)((char *)state + pp->st_milestones);
  int32_t *es = (int32_t *)((char *)state + pp->st_entries);
  double *eday = (double *)((char *)state + pp->st_eday);
  memcpy(cur, rep->inputs, pp->ninputs * sizeof *cur);
  double *day = (double *)((char *)state + pp->st_msday);
  for (size_t i = 0; i < pp->nmilestones; i++) {
    const milestone_p *m = &pp->milestones[i];
    /* dates are whole days: an uncertain delay is rounded like a date */
    day[i] = m->after < 0 ? rep->inputs[m->date_in]
                          : day[m->after] + floor(rep->inputs[m->delay_in] + 0.5);
    ms[i] = step_from_day(rep->cal, day[i]);
  }
  for (size_t k = 0; k < pp->nscheds; k++) {
    const sched_p *s = &pp->scheds[k];
    for (size_t e = 0; e < s->nentries; e++) {
      const sched_entry_p *en = &s->entries[e];
      double d = en->start == START_NOW    ? -INFINITY
                 : en->start == START_DATE ? rep->inputs[en->date_in]
                                           : day[en->milestone];
      eday[s->first_entry + e] = d;
      es[s->first_entry + e] = en->start == START_NOW ? 0 : step_from_day(rep->cal, d);
    }
  }
}

void pipe_sched_step(const pipe_params *pp, void *state, const ddr_rep *rep, int t) {
  double *cur = (double *)((char *)state + pp->st_cur);
  const int32_t *es = (const int32_t *)((const char *)state + pp->st_entries);
  const double *eday = (const double *)((const char *)state + pp->st_eday);
  for (size_t k = 0; k < pp->nscheds; k++) {
    const sched_p *s = &pp->scheds[k];
    /* among the entries begun by step t, the one that began last (by day,
     * so two in one step, or two before the start, keep their order; the
     * later listed on a tie) */
    size_t best = 0;
    for (size_t e = 1; e < s->nentries; e++)
      if (es[s->first_entry + e] <= t && eday[s->first_entry + e] >= eday[s->first_entry + best])
        best = e;
    cur[s->slot] = rep->inputs[s->entries[best].value_in];
  }
}

/* The earliest day a milestone can happen. */
static double milestone_earliest(ddr_scenario *scn, const pipe_params *pp, int m) {
  const ddr_inputs *in = ddr_scenario_inputs(scn);
  const milestone_p *ms = &pp->milestones[m];
  if (ms->after < 0) return ddr_inputs_get(in, ms->date_in)->dist.lo;
  return milestone_earliest(scn, pp, ms->after) +
         floor(ddr_inputs_get(in, ms->delay_in)->dist.lo + 0.5);
}

double pipe_value_lo_at_start(ddr_scenario *scn, const pipe_params *pp, size_t slot) {
  const ddr_inputs *in = ddr_scenario_inputs(scn);
  const sched_p *s = sched_of(pp, slot);
  double lo = ddr_inputs_get(in, slot)->dist.lo;
  if (!s) return lo;
  double step0 = ddr_calendar_step_last(ddr_scenario_calendar(scn), 0);
  for (size_t e = 1; e < s->nentries; e++) {
    const sched_entry_p *en = &s->entries[e];
    double begins = en->start == START_DATE ? ddr_inputs_get(in, en->date_in)->dist.lo
                                            : milestone_earliest(scn, pp, en->milestone);
    double v = ddr_inputs_get(in, en->value_in)->dist.lo;
    if (begins <= step0 && v < lo) lo = v;
  }
  return lo;
}

void pipe_sched_free(pipe_params *pp) {
  for (size_t i = 0; i < pp->nmilestones; i++) free(pp->milestones[i].id);
  free(pp->milestones);
  for (size_t k = 0; k < pp->nscheds; k++) free(pp->scheds[k].entries);
  free(pp->scheds);
}

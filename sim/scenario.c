/* Loading a scenario: parse, apply --set overrides, read the engine's
 * sections (scenario, calendar, targets) and let the model read the rest. */
#include "ddrsim/scenario.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct ddr_scenario {
  ddr_ydoc *doc;
  char *file;
  const char *name, *description; /* point into doc */
  ddr_calendar cal;
  const ddr_model_type *model;
  void *params;
  ddr_inputs *inputs;
  ddr_metric *metrics;
  size_t nmetrics, capmetrics;
  size_t *metric_slots; /* hash of metric names: index + 1, 0 empty */
  size_t nslots;        /* 0 or a power of two, at least twice nmetrics */
  ddr_target *targets;
  size_t ntargets, nmodel_targets; /* the model's come first */
  struct event_kind *kinds;        /* kinds of events the model reports */
  size_t nkinds, capkinds;
};

typedef struct event_kind {
  char *name, *label; /* label NULL when none */
} event_kind;

static const ddr_keydoc scenario_keys[] = {
    {"name", "Short name used in titles and the default output file name."},
    {"description", "What the scenario represents; shown in reports."},
    {"model", "The model that reads the other sections; default pipeline."},
    {NULL, NULL}};
static const ddr_keydoc calendar_keys[] = {
    {"start", "The as-of date: the first day simulated (YYYY-MM-DD)."},
    {"end", "The last day of the horizon (YYYY-MM-DD)."},
    {"step", "Length of a time step: day or week (default week)."},
    {NULL, NULL}};
static const ddr_keydoc target_keys[] = {
    {"id", "Identifier of the target."},
    {"label", "Text shown in summaries and plots."},
    {"metric", "Name of the metric the target is about, e.g. integrated.count."},
    {"at_least", "Threshold: the target is met when the metric is at least this value."},
    {"by", "Deadline: the target is judged at the end of the step holding this date."},
    {NULL, NULL}};
static const ddr_keydoc dist_keys[] = {
    {"dist", "Family: constant, uniform, triangular, normal, lognormal, gamma, beta, pert, "
             "discrete, empirical."},
    {"value", "constant: the value."},
    {"min", "uniform, triangular, pert: lower bound; normal, beta: optional truncation / scale."},
    {"max", "uniform, triangular, pert: upper bound; normal, beta: optional truncation / scale."},
    {"mode", "triangular, pert: most likely value."},
    {"lambda", "pert: shape (default 4)."},
    {"mean", "normal: mean; gamma: mean (with sd)."},
    {"sd", "normal: standard deviation; gamma: standard deviation (with mean)."},
    {"median", "lognormal: median (with p90)."},
    {"p90", "lognormal: 90th percentile (with median)."},
    {"mu", "lognormal: mean of the logarithm (with sigma)."},
    {"sigma", "lognormal: standard deviation of the logarithm (with mu)."},
    {"shape", "gamma: shape (with scale)."},
    {"scale", "gamma: scale (with shape)."},
    {"alpha", "beta: first shape."},
    {"beta", "beta: second shape."},
    {"values", "discrete, empirical: the possible values."},
    {"weights", "discrete: relative weights of the values (default equal)."},
    {NULL, NULL}};

static const ddr_keytable engine_tables[] = {{"scenario", scenario_keys},
                                             {"calendar", calendar_keys},
                                             {"targets[]", target_keys},
                                             {"distribution", dist_keys},
                                             {NULL, NULL}};

const ddr_keytable *const *ddr_scenario_keytables(void) {
  static const ddr_keytable *all[256];
  if (!all[0]) {
    size_t n = 0;
    for (const ddr_keytable *t = engine_tables; t->context; t++) all[n++] = t;
    for (size_t m = 0; ddr_model_types[m]; m++) {
      const ddr_keytable *mt = ddr_model_types[m]->keytables;
      for (; mt && mt->context && n < 255; mt++) all[n++] = mt;
    }
    all[n] = NULL;
  }
  return all;
}

const char *ddr_scenario_name(const ddr_scenario *scn) {
  return scn->name;
}
const char *ddr_scenario_description(const ddr_scenario *scn) {
  return scn->description;
}
const char *ddr_scenario_file(const ddr_scenario *scn) {
  return scn->file;
}
const char *ddr_scenario_text(const ddr_scenario *scn) {
  return ddr_ydoc_text(scn->doc);
}
size_t ddr_scenario_text_len(const ddr_scenario *scn) {
  return ddr_ydoc_text_len(scn->doc);
}
const ddr_ydoc *ddr_scenario_doc(const ddr_scenario *scn) {
  return scn->doc;
}
const ddr_calendar *ddr_scenario_calendar(const ddr_scenario *scn) {
  return &scn->cal;
}
const ddr_model_type *ddr_scenario_model(const ddr_scenario *scn) {
  return scn->model;
}
const void *ddr_scenario_params(const ddr_scenario *scn) {
  return scn->params;
}
const ddr_inputs *ddr_scenario_inputs(const ddr_scenario *scn) {
  return scn->inputs;
}
ddr_inputs *ddr_scenario_inputs_mut(ddr_scenario *scn) {
  return scn->inputs;
}
size_t ddr_scenario_metric_count(const ddr_scenario *scn) {
  return scn->nmetrics;
}
const ddr_metric *ddr_scenario_metric(const ddr_scenario *scn, size_t i) {
  return &scn->metrics[i];
}
size_t ddr_scenario_target_count(const ddr_scenario *scn) {
  return scn->ntargets;
}
const ddr_target *ddr_scenario_target(const ddr_scenario *scn, size_t i) {
  return &scn->targets[i];
}

/* Metric names are looked up through a hash table: a scenario of a thousand
 * nodes with many sites each has a hundred thousand metrics, and a search
 * through all of them for each new one took minutes. */
static size_t name_hash(const char *name) {
  uint64_t h = 1469598103934665603u;
  for (const unsigned char *c = (const unsigned char *)name; *c; c++) h = (h ^ *c) * 1099511628211u;
  return (size_t)(h ^ (h >> 29));
}

/* The slot holding name, or the empty slot where it would go. */
static size_t metric_slot(const ddr_scenario *scn, const char *name) {
  size_t mask = scn->nslots - 1, j = name_hash(name) & mask;
  while (scn->metric_slots[j] && strcmp(scn->metrics[scn->metric_slots[j] - 1].name, name) != 0)
    j = (j + 1) & mask;
  return j;
}

/* Room in the table for one more metric; 0 when out of memory. */
static int metric_slots_grow(ddr_scenario *scn) {
  if (2 * (scn->nmetrics + 1) <= scn->nslots) return 1;
  size_t cap = scn->nslots ? 2 * scn->nslots : 256;
  size_t *slots = calloc(cap, sizeof *slots);
  if (!slots) return 0;
  free(scn->metric_slots);
  scn->metric_slots = slots;
  scn->nslots = cap;
  for (size_t i = 0; i < scn->nmetrics; i++)
    scn->metric_slots[metric_slot(scn, scn->metrics[i].name)] = i + 1;
  return 1;
}

long ddr_scenario_metric_find(const ddr_scenario *scn, const char *name) {
  if (!scn->nslots) return -1;
  size_t j = scn->metric_slots[metric_slot(scn, name)];
  return j ? (long)j - 1 : -1;
}

ddr_status ddr_scenario_resolved_text(const ddr_scenario *scn, char **out, ddr_error *err) {
  return ddr_ynode_emit(ddr_ydoc_root(scn->doc), out, err);
}

long ddr_scenario_add_metric(ddr_scenario *scn, const char *name, const char *unit, const char *doc,
                             ddr_error *err) {
  if (ddr_scenario_metric_find(scn, name) >= 0) {
    ddr_error_set(err, DDR_EINPUT, scn->file, 0, 0, name,
                  "two metrics are named \"%s\" (node, site or centre ids collide)", name);
    return -1;
  }
  if (!metric_slots_grow(scn)) goto nomem;
  if (scn->nmetrics == scn->capmetrics) {
    size_t cap = scn->capmetrics ? 2 * scn->capmetrics : 64;
    ddr_metric *m = realloc(scn->metrics, cap * sizeof *m);
    if (!m) goto nomem;
    scn->metrics = m;
    scn->capmetrics = cap;
  }
  ddr_metric *m = &scn->metrics[scn->nmetrics];
  m->name = strdup(name);
  m->unit = strdup(unit);
  m->doc = strdup(doc ? doc : "");
  if (!m->name || !m->unit || !m->doc) {
    free(m->name), free(m->unit), free(m->doc);
    goto nomem;
  }
  scn->metric_slots[metric_slot(scn, name)] = scn->nmetrics + 1;
  return (long)scn->nmetrics++;
nomem:
  ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, name, "out of memory");
  return -1;
}

long ddr_scenario_add_event_kind(ddr_scenario *scn, const char *name, const char *label) {
  for (size_t k = 0; k < scn->nkinds; k++)
    if (strcmp(scn->kinds[k].name, name) == 0) return (long)k;
  if (scn->nkinds == scn->capkinds) {
    size_t cap = scn->capkinds ? 2 * scn->capkinds : 8;
    event_kind *k = realloc(scn->kinds, cap * sizeof *k);
    if (!k) return -1;
    scn->kinds = k;
    scn->capkinds = cap;
  }
  event_kind *k = &scn->kinds[scn->nkinds];
  k->name = strdup(name);
  k->label = label ? strdup(label) : NULL;
  if (!k->name || (label && !k->label)) {
    free(k->name), free(k->label);
    return -1;
  }
  return (long)scn->nkinds++;
}

size_t ddr_scenario_event_kind_count(const ddr_scenario *scn) {
  return scn->nkinds;
}
const char *ddr_scenario_event_kind_name(const ddr_scenario *scn, size_t k) {
  return scn->kinds[k].name;
}
const char *ddr_scenario_event_kind_label(const ddr_scenario *scn, size_t k) {
  return scn->kinds[k].label;
}

/* Models registered by ddr_scenario_register_model, after the registry's. */
static const ddr_model_type *extra_models[DDR_EXTRA_MODELS_MAX];

static const ddr_model_type *find_model(const char *name) {
  const ddr_model_type *m = ddr_model_find(name);
  for (size_t i = 0; !m && i < DDR_EXTRA_MODELS_MAX && extra_models[i]; i++)
    if (strcmp(extra_models[i]->name, name) == 0) m = extra_models[i];
  return m;
}

int ddr_scenario_register_model(const ddr_model_type *type) {
  if (find_model(type->name)) return -1;
  for (size_t i = 0; i < DDR_EXTRA_MODELS_MAX; i++)
    if (!extra_models[i]) {
      extra_models[i] = type;
      return 0;
    }
  return -1;
}

void ddr_scenario_free(ddr_scenario *scn) {
  if (!scn) return;
  if (scn->model && scn->params) scn->model->free(scn->params);
  for (size_t i = 0; i < scn->nmetrics; i++) {
    free(scn->metrics[i].name);
    free(scn->metrics[i].unit);
    free(scn->metrics[i].doc);
  }
  free(scn->metrics);
  free(scn->metric_slots);
  for (size_t i = 0; i < scn->ntargets; i++) {
    free(scn->targets[i].id);
    free(scn->targets[i].label);
    free(scn->targets[i].metric_name);
  }
  free(scn->targets);
  for (size_t k = 0; k < scn->nkinds; k++) {
    free(scn->kinds[k].name);
    free(scn->kinds[k].label);
  }
  free(scn->kinds);
  ddr_inputs_free(scn->inputs);
  ddr_ydoc_free(scn->doc);
  free(scn->file);
  free(scn);
}

static ddr_status read_header(ddr_scenario *scn, const ddr_ynode *root, ddr_error *err) {
  const ddr_ynode *sec;
  const char *model = NULL;
  ddr_status st = ddr_read_map(root, "", "scenario", 1, &sec, err);
  if (!st) st = ddr_read_keys(sec, "scenario", scenario_keys, err);
  if (!st) st = ddr_read_string(sec, "scenario", "name", 1, NULL, &scn->name, err);
  if (!st) st = ddr_read_string(sec, "scenario", "description", 0, "", &scn->description, err);
  if (!st) st = ddr_read_id(sec, "scenario", "model", 0, &model, err);
  if (st) return st;
  scn->model = find_model(model ? model : "pipeline");
  if (!scn->model) {
    char list[300];
    size_t n = 0;
    for (size_t i = 0; ddr_model_types[i]; i++)
      n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "",
                            ddr_model_types[i]->name);
    return ddr_read_error(err, ddr_ymap_get(sec, "model"), "scenario.model",
                          "unknown model \"%s\"; expected one of %s", model, list);
  }
  return DDR_OK;
}

static ddr_status read_calendar(ddr_scenario *scn, const ddr_ynode *root, ddr_error *err) {
  static const char *const steps[] = {"day", "week", NULL};
  const ddr_ynode *sec;
  int32_t start, end;
  int step;
  ddr_status st = ddr_read_map(root, "", "calendar", 1, &sec, err);
  if (!st) st = ddr_read_keys(sec, "calendar", calendar_keys, err);
  if (!st) st = ddr_read_date(sec, "calendar", "start", 1, 0, INT32_MIN, INT32_MAX, &start, err);
  if (!st) st = ddr_read_date(sec, "calendar", "end", 1, 0, INT32_MIN, INT32_MAX, &end, err);
  if (!st) st = ddr_read_enum(sec, "calendar", "step", steps, 1, &step, err);
  if (st) return st;
  if (end < start)
    return ddr_read_error(err, ddr_ymap_get(sec, "end"), "calendar.end",
                          "expected a date after calendar.start, found %s",
                          ddr_ymap_get(sec, "end")->scalar);
  if ((int64_t)end - start > 366 * 200)
    return ddr_read_error(err, ddr_ymap_get(sec, "end"), "calendar.end",
                          "expected a horizon of at most 200 years, found %s",
                          ddr_ymap_get(sec, "end")->scalar);
  ddr_calendar_init(&scn->cal, start, end, step == 0 ? 1 : 7);
  return DDR_OK;
}

long ddr_scenario_add_target(ddr_scenario *scn, const char *id, const char *label,
                             const char *metric, double threshold, int32_t deadline,
                             ddr_error *err) {
  long m = ddr_scenario_metric_find(scn, metric);
  if (m < 0)
    return ddr_error_set(err, DDR_EINTERNAL, NULL, 0, 0, NULL, "target %s: no metric %s", id,
                         metric),
           -1;
  ddr_target *grown = realloc(scn->targets, (scn->ntargets + 1) * sizeof *grown);
  if (!grown) return ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory"), -1;
  scn->targets = grown;
  ddr_target *tg = &scn->targets[scn->ntargets];
  memset(tg, 0, sizeof *tg);
  tg->metric = (size_t)m;
  tg->threshold = threshold;
  tg->deadline = deadline;
  tg->deadline_step = ddr_calendar_step_of(&scn->cal, deadline);
  tg->id = strdup(id);
  tg->label = strdup(label);
  tg->metric_name = strdup(metric);
  scn->ntargets++;
  scn->nmodel_targets++;
  if (!tg->id || !tg->label || !tg->metric_name)
    return ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory"), -1;
  return (long)scn->ntargets - 1;
}

static ddr_status read_targets(ddr_scenario *scn, const ddr_ynode *root, ddr_error *err) {
  const ddr_ynode *seq;
  ddr_status st = ddr_read_seq(root, "", "targets", 0, &seq, err);
  if (st || !seq) return st;
  if (seq->n > DDR_MAX_TARGETS)
    return ddr_read_error(err, seq, "targets", "expected at most %d targets, found %zu",
                          DDR_MAX_TARGETS, seq->n);
  /* after those the model set (ddr_scenario_add_target) */
  ddr_target *grown = realloc(scn->targets, (scn->ntargets + seq->n + 1) * sizeof *grown);
  if (!grown) return ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, "targets", "out of memory");
  scn->targets = grown;
  memset(scn->targets + scn->ntargets, 0, (seq->n + 1) * sizeof *grown);
  for (size_t i = 0; i < seq->n; i++) {
    const ddr_ynode *t = seq->items[i];
    char path[DDR_PATH_MAX];
    const char *id = NULL, *label, *metric;
    ddr_path_format(path, "targets[%zu]", i);
    if ((st = ddr_read_keys(t, path, target_keys, err))) return st;
    if ((st = ddr_read_id(t, path, "id", 1, &id, err))) return st;
    ddr_path_join(path, "targets", id);
    for (size_t j = 0; j < scn->ntargets; j++)
      if (strcmp(scn->targets[j].id, id) == 0)
        return ddr_read_error(err, ddr_ymap_get(t, "id"), path, "duplicate target id \"%s\"%s", id,
                              j < scn->nmodel_targets ? " (the model sets a target of that id)"
                                                      : "");
    ddr_target *tg = &scn->targets[scn->ntargets];
    if ((st = ddr_read_string(t, path, "label", 0, id, &label, err)) ||
        (st = ddr_read_string(t, path, "metric", 1, NULL, &metric, err)) ||
        (st = ddr_read_double(t, path, "at_least", 1, 0, -INFINITY, INFINITY, &tg->threshold,
                              err)) ||
        (st = ddr_read_date(t, path, "by", 1, 0, scn->cal.start, scn->cal.end, &tg->deadline, err)))
      return st;
    long m = ddr_scenario_metric_find(scn, metric);
    if (m < 0) {
      char sub[DDR_PATH_MAX], near[200] = "";
      ddr_path_join(sub, path, "metric");
      /* suggest metrics sharing the text before the first dot */
      size_t stem = strcspn(metric, ".");
      for (size_t j = 0, n = 0; j < scn->nmetrics && n < 150; j++)
        if (strncmp(scn->metrics[j].name, metric, stem) == 0 &&
            !strchr(scn->metrics[j].name + stem + 1, '.'))
          n += (size_t)snprintf(near + n, sizeof near - n, "%s%s", n ? ", " : "",
                                scn->metrics[j].name);
      return ddr_read_error(err, ddr_ymap_get(t, "metric"), sub,
                            "unknown metric \"%s\"%s%s (ddrsim validate --metrics lists them)",
                            metric, near[0] ? "; metrics of that node: " : "", near);
    }
    tg->metric = (size_t)m;
    tg->deadline_step = ddr_calendar_step_of(&scn->cal, tg->deadline);
    tg->id = strdup(id);
    tg->label = strdup(label);
    tg->metric_name = strdup(metric);
    scn->ntargets++;
    if (!tg->id || !tg->label || !tg->metric_name)
      return ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, path, "out of memory");
  }
  return DDR_OK;
}

/* The top level accepts the engine's sections and the model's, and
 * `extends` (merged away when the file is read, so only ever seen here as
 * the suggestion for a misspelling of it). */
static ddr_status check_top_keys(const ddr_scenario *scn, const ddr_ynode *root, ddr_error *err) {
  ddr_keydoc keys[64];
  size_t n = 0;
  keys[n++] = (ddr_keydoc){"scenario", ""};
  keys[n++] = (ddr_keydoc){"calendar", ""};
  keys[n++] = (ddr_keydoc){"targets", ""};
  keys[n++] = (ddr_keydoc){DDR_YAML_EXTENDS_KEY, ""};
  for (const char *const *s = scn->model->sections; *s && n < 63; s++)
    keys[n++] = (ddr_keydoc){*s, ""};
  keys[n] = (ddr_keydoc){NULL, NULL};
  return ddr_read_keys(root, "", keys, err);
}

/* A run keeps, for every metric and step, a histogram and the summaries
 * (mean, sd, quantiles, min, max): about DDR_CELL_BYTES bytes, whatever the
 * replications. Past DDR_MAX_CELLS the scenario is refused when read, with
 * the memory it would need, rather than a run being killed for lack of it. */
static ddr_status check_size(const ddr_scenario *scn, const ddr_ynode *root, ddr_error *err) {
  uint64_t M = scn->nmetrics, T = (uint64_t)scn->cal.nsteps, cells = M * T;
  if (cells <= DDR_MAX_CELLS) return DDR_OK;
  const ddr_ynode *cal = ddr_ymap_get(root, "calendar");
  const ddr_ynode *at = ddr_ymap_get(cal, "step") ? ddr_ymap_get(cal, "step") : cal;
  int daily = scn->cal.step_days == 1;
  return ddr_read_error(err, at, "calendar",
                        "expected at most %llu metric values per replication (metrics x steps), "
                        "found %llu metrics x %llu %s steps = %llu, which would need about %.1f GB "
                        "of memory; use %sa shorter horizon or fewer nodes and sites",
                        (unsigned long long)DDR_MAX_CELLS, (unsigned long long)M,
                        (unsigned long long)T, daily ? "daily" : "weekly",
                        (unsigned long long)cells, (double)cells * DDR_CELL_BYTES / 1e9,
                        daily ? "weekly steps, " : "");
}

static ddr_status build(ddr_scenario *scn, const char *const *sets, size_t nsets, ddr_error *err) {
  ddr_status st;
  for (size_t i = 0; i < nsets; i++) {
    const char *eq = strchr(sets[i], '=');
    if (!eq || eq == sets[i])
      return ddr_error_set(err, DDR_EUSAGE, "--set", 0, 0, NULL,
                           "expected key.path=value, found \"%s\"", sets[i]);
    char key[DDR_PATH_MAX];
    if (eq - sets[i] >= DDR_PATH_MAX) /* cut short, it could name another key */
      return ddr_error_set(err, DDR_EUSAGE, "--set", 0, 0, NULL,
                           "expected a key path of at most %d characters, found %d: \"%.40s...\"",
                           DDR_PATH_MAX - 1, (int)(eq - sets[i]), sets[i]);
    snprintf(key, sizeof key, "%.*s", (int)(eq - sets[i]), sets[i]);
    if ((st = ddr_ydoc_set(scn->doc, key, eq + 1, "--set", err))) return st;
  }
  const ddr_ynode *root = ddr_ydoc_root(scn->doc);
  if ((st = read_header(scn, root, err)) || (st = check_top_keys(scn, root, err)) ||
      (st = read_calendar(scn, root, err)))
    return st;
  const ddr_model_type *m = scn->model;
  if (!m->create || !m->free || !m->state_size || !m->init || !m->step || !m->population)
    return ddr_error_set(err, DDR_EINTERNAL, NULL, 0, 0, NULL,
                         "model %s lacks a required operation", m->name);
  if ((st = m->create(scn, root, &scn->params, err)) || (st = check_size(scn, root, err)))
    return st;
  return read_targets(scn, root, err);
}

static ddr_status finish_load(ddr_scenario *scn, ddr_status st, const char *const *sets,
                              size_t nsets, ddr_scenario **out, ddr_error *err) {
  if (!st) {
    scn->inputs = ddr_inputs_create();
    st = scn->inputs ? build(scn, sets, nsets, err)
                     : ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory");
  }
  if (st) {
    ddr_scenario_free(scn);
    *out = NULL;
    return st;
  }
  *out = scn;
  return DDR_OK;
}

ddr_status ddr_scenario_load(const char *path, const char *const *sets, size_t nsets,
                             ddr_scenario **out, ddr_error *err) {
  ddr_scenario *scn = calloc(1, sizeof *scn);
  if (!scn || !(scn->file = strdup(path))) {
    free(scn);
    return ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory");
  }
  ddr_status st = ddr_ydoc_load_file(path, &scn->doc, err);
  if (!st) st = ddr_ydoc_extend(scn->doc, err);
  return finish_load(scn, st, sets, nsets, out, err);
}

ddr_status ddr_scenario_load_string(const char *name, const char *text, size_t len,
                                    const char *const *sets, size_t nsets, ddr_scenario **out,
                                    ddr_error *err) {
  ddr_scenario *scn = calloc(1, sizeof *scn);
  if (!scn || !(scn->file = strdup(name))) {
    free(scn);
    return ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory");
  }
  ddr_status st = ddr_ydoc_load_string(name, text, len, &scn->doc, err);
  if (!st) st = ddr_ydoc_extend(scn->doc, err);
  return finish_load(scn, st, sets, nsets, out, err);
}

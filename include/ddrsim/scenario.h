/* A scenario: the YAML file, read and checked, with everything the engine
 * needs to run it: calendar, model and its parameters, uncertain inputs,
 * metrics and targets.
 *
 * The engine owns the sections `scenario`, `calendar` and `targets`; the
 * model named in `scenario.model` reads the rest through the ddr_read_*
 * functions below, which give every error the file, line, column and key
 * path, and suggest the nearest valid key for an unknown one. */
#ifndef DDRSIM_SCENARIO_H
#define DDRSIM_SCENARIO_H

#include <stddef.h>
#include <stdint.h>
#include "ddrsim/calendar.h"
#include "ddrsim/inputs.h"
#include "ddrsim/model.h"
#include "ddrsim/status.h"
#include "ddrsim/yaml.h"

#define DDR_PATH_MAX    256
#define DDR_MAX_TARGETS 1000 /* targets a scenario may list (its ids are compared pairwise) */
/* Metrics x steps a scenario may have: a run needs about DDR_CELL_BYTES of
 * memory for each (its histogram, summaries and batch; measured: 4.8 million
 * cells took 1.0 GB), so at most about 0.9 GB, and its result file about 100
 * bytes for each. */
#define DDR_MAX_CELLS  (1u << 22)
#define DDR_CELL_BYTES 210

typedef struct ddr_target {
  char *id;
  char *label;
  char *metric_name;
  size_t metric;     /* metric index */
  double threshold;  /* met when metric >= threshold */
  int32_t deadline;  /* day */
  int deadline_step; /* step holding the deadline */
} ddr_target;

typedef struct ddr_metric {
  char *name; /* "integrated.count", "cantonment.sites.gao.occupancy" */
  char *unit; /* "people", "weapons", "percent", "courses" */
  char *doc;
} ddr_metric;

/* Load and check a scenario; sets are "key.path=value" overrides applied in
 * order before checking (origin "--set" in errors). A file with `extends:`
 * is first merged over its parents (ddr_ydoc_extend; the parent of a string
 * is found relative to the directory in its name). */
ddr_status ddr_scenario_load(const char *path, const char *const *sets, size_t nsets,
                             ddr_scenario **out, ddr_error *err);
ddr_status ddr_scenario_load_string(const char *name, const char *text, size_t len,
                                    const char *const *sets, size_t nsets, ddr_scenario **out,
                                    ddr_error *err);
void ddr_scenario_free(ddr_scenario *scn);

const char *ddr_scenario_name(const ddr_scenario *scn);
const char *ddr_scenario_description(const ddr_scenario *scn);
const char *ddr_scenario_file(const ddr_scenario *scn);
const char *ddr_scenario_text(const ddr_scenario *scn); /* verbatim source */
size_t ddr_scenario_text_len(const ddr_scenario *scn);
/* Its YAML document: the tree after --set, and through ddr_ydoc_parent the
 * files it extends, each with its name and verbatim text. */
const ddr_ydoc *ddr_scenario_doc(const ddr_scenario *scn);
/* The scenario after --set overrides, as YAML (caller frees). */
ddr_status ddr_scenario_resolved_text(const ddr_scenario *scn, char **out, ddr_error *err);
const ddr_calendar *ddr_scenario_calendar(const ddr_scenario *scn);
const ddr_model_type *ddr_scenario_model(const ddr_scenario *scn);
const void *ddr_scenario_params(const ddr_scenario *scn);
const ddr_inputs *ddr_scenario_inputs(const ddr_scenario *scn);
size_t ddr_scenario_metric_count(const ddr_scenario *scn);
const ddr_metric *ddr_scenario_metric(const ddr_scenario *scn, size_t i);
long ddr_scenario_metric_find(const ddr_scenario *scn, const char *name);
size_t ddr_scenario_target_count(const ddr_scenario *scn);
const ddr_target *ddr_scenario_target(const ddr_scenario *scn, size_t i);

/* Every key table the reader knows (engine's and every model's), for docs
 * and the documentation test. NULL-terminated array of tables. */
const ddr_keytable *const *ddr_scenario_keytables(void);

/* ---- For models: registering metrics and inputs ---- */

/* The input table, for inputs a model adds itself (ddr_read_input adds
 * those written in the scenario). */
ddr_inputs *ddr_scenario_inputs_mut(ddr_scenario *scn);

/* Register a metric; returns its index, or -1 (with err set) on a duplicate
 * name or no memory. */
long ddr_scenario_add_metric(ddr_scenario *scn, const char *name, const char *unit, const char *doc,
                             ddr_error *err);

/* A target the model sets (e.g. each region's redeployment plan), before
 * those of the scenario's `targets:`; deadline is a day within the horizon.
 * Returns its index, or -1 with err set. */
long ddr_scenario_add_target(ddr_scenario *scn, const char *id, const char *label,
                             const char *metric, double threshold, int32_t deadline,
                             ddr_error *err);

/* ---- For models: kinds of events (ddr_event) ---- */

/* Register a kind of event a replication may report, such as a security
 * shock: name is a key path ("shocks.insecurity-north"), label a text for
 * people (may be NULL). Returns the kind's index (ddr_event.kind), the
 * existing index when the name is registered already, or -1 when out of
 * memory. The result file holds the kinds and every event (/events). */
long ddr_scenario_add_event_kind(ddr_scenario *scn, const char *name, const char *label);
size_t ddr_scenario_event_kind_count(const ddr_scenario *scn);
const char *ddr_scenario_event_kind_name(const ddr_scenario *scn, size_t k);
const char *ddr_scenario_event_kind_label(const ddr_scenario *scn, size_t k); /* NULL if none */

/* ---- For tests and embedding programs: models outside the registry ---- */

/* Let scenarios name (scenario.model) a model that is not in ddr_model_types,
 * such as a test's own. Scenario loading looks it up after the registry. Call
 * before loading scenarios, from one thread; the descriptor must outlive
 * them. Its key tables are not in ddr_scenario_keytables (nor documented).
 * Returns 0, or -1 when the name is taken or DDR_EXTRA_MODELS_MAX models are
 * registered already. */
#define DDR_EXTRA_MODELS_MAX 8
int ddr_scenario_register_model(const ddr_model_type *type);

/* ---- For models: reading keys with full error context ---- */

/* Join "a.b" and "c" into "a.b.c" (buf of DDR_PATH_MAX). */
void ddr_path_join(char *buf, const char *path, const char *key);
/* "a.b[3]": a list item without an id yet (buf of DDR_PATH_MAX). */
void ddr_path_index(char *buf, const char *path, size_t i);
/* printf into a DDR_PATH_MAX buffer; long results are cut. */
void ddr_path_format(char *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Error at a node: fills err with the node's file/line/column and path. */
ddr_status ddr_read_error(ddr_error *err, const ddr_ynode *node, const char *path, const char *fmt,
                          ...) __attribute__((format(printf, 4, 5)));

/* Check that node is a mapping whose keys are all in table; an unknown key
 * gets "unknown key \"seets\"; did you mean \"seats\"?" (or the list of
 * valid keys when nothing is near). */
ddr_status ddr_read_keys(const ddr_ynode *map, const char *path, const ddr_keydoc *table,
                         ddr_error *err);

/* The value of key in map as a mapping / sequence / scalar. With required ==
 * 0, *out is NULL when the key is absent. */
ddr_status ddr_read_map(const ddr_ynode *map, const char *path, const char *key, int required,
                        const ddr_ynode **out, ddr_error *err);
ddr_status ddr_read_seq(const ddr_ynode *map, const char *path, const char *key, int required,
                        const ddr_ynode **out, ddr_error *err);
ddr_status ddr_read_string(const ddr_ynode *map, const char *path, const char *key, int required,
                           const char *def, const char **out, ddr_error *err);
/* An identifier: letters, digits, '_' and '-', starting with a letter. */
ddr_status ddr_read_id(const ddr_ynode *map, const char *path, const char *key, int required,
                       const char **out, ddr_error *err);
/* One of choices (NULL-terminated); *out is its index, def when absent. */
ddr_status ddr_read_enum(const ddr_ynode *map, const char *path, const char *key,
                         const char *const *choices, int def, int *out, ddr_error *err);
ddr_status ddr_read_long(const ddr_ynode *map, const char *path, const char *key, int required,
                         long def, long min, long max, long *out, ddr_error *err);
ddr_status ddr_read_double(const ddr_ynode *map, const char *path, const char *key, int required,
                           double def, double min, double max, double *out, ddr_error *err);
/* A date within [min, max] (days; pass INT32_MIN/INT32_MAX for no bound). */
ddr_status ddr_read_date(const ddr_ynode *map, const char *path, const char *key, int required,
                         int32_t def, int32_t min, int32_t max, int32_t *out, ddr_error *err);

/* Parse a scalar node as a number / date, for items of lists. */
ddr_status ddr_read_scalar_double(const ddr_ynode *node, const char *path, double *out,
                                  ddr_error *err);

/* A distribution written at node: a plain number (or date, for kind
 * DDR_IN_DATE) is a constant, a mapping {dist: NAME, params...} a family. */
ddr_status ddr_read_dist(const ddr_ynode *node, const char *path, ddr_input_kind kind,
                         const ddr_calendar *cal, ddr_dist *out, ddr_error *err);

/* An uncertain input under key (constant or distribution), registered on scn
 * under its key path; *index is its input index. When absent and not
 * required, the constant def is registered. Dates must lie in the horizon. */
ddr_status ddr_read_input(ddr_scenario *scn, const ddr_ynode *map, const char *path,
                          const char *key, ddr_input_kind kind, int required, double def,
                          size_t *index, ddr_error *err);

#endif

/* Reading distributions and uncertain inputs from a scenario: a plain value
 * is a constant, a mapping {dist: family, params...} a distribution. */
#include "ddrsim/scenario.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Families that make sense for dates: their parameters are dates (or, for
 * sd and lambda, numbers of days / shape values). */
static int family_allows_dates(const ddr_dist_type *t) {
  return t == ddr_dist_constant || t == ddr_dist_uniform || t == ddr_dist_triangular ||
         t == ddr_dist_pert || t == ddr_dist_normal || t == ddr_dist_discrete ||
         t == ddr_dist_empirical;
}

/* A scalar read as a number, or as a date for date inputs (except shape
 * parameters such as sd and lambda, which stay numbers). */
static ddr_status read_value(const ddr_ynode *v, const char *path, int as_date, double *out,
                             ddr_error *err) {
  if (as_date) {
    int32_t day;
    if (v && v->kind == DDR_Y_SCALAR && ddr_date_parse(v->scalar, &day) == 0) {
      *out = day;
      return DDR_OK;
    }
    return ddr_read_error(err, v, path, "expected a date YYYY-MM-DD, found %s%s%s",
                          v && v->kind == DDR_Y_SCALAR ? "\"" : "",
                          v && v->kind == DDR_Y_SCALAR ? v->scalar : "a non-scalar value",
                          v && v->kind == DDR_Y_SCALAR ? "\"" : "");
  }
  return ddr_read_scalar_double(v, path, out, err);
}

static ddr_status read_list(const ddr_ynode *seq, const char *path, int as_date, double **out,
                            size_t *n, ddr_error *err) {
  if (seq->kind != DDR_Y_SEQ || seq->n == 0)
    return ddr_read_error(err, seq, path, "expected a non-empty list of %s",
                          as_date ? "dates" : "numbers");
  double *v = calloc(seq->n, sizeof *v);
  if (!v) return ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, path, "out of memory");
  for (size_t i = 0; i < seq->n; i++) {
    char sub[DDR_PATH_MAX];
    ddr_path_index(sub, path, i);
    ddr_status st = read_value(seq->items[i], sub, as_date, &v[i], err);
    if (st) {
      free(v);
      return st;
    }
  }
  *out = v;
  *n = seq->n;
  return DDR_OK;
}

static ddr_status read_family(const ddr_ynode *node, const char *path, ddr_input_kind kind,
                              ddr_dist *out, ddr_error *err) {
  const char *name;
  char sub[DDR_PATH_MAX];
  if (!ddr_ymap_get(node, "dist") && ddr_ymap_get(node, "schedule"))
    return ddr_read_error(err, node, path,
                          "this value cannot change over time (a schedule is accepted only where "
                          "scenarios/README.md says so); expected a number or {dist: ...}");
  ddr_status st = ddr_read_string(node, path, "dist", 1, NULL, &name, err);
  if (st) return st;
  const ddr_dist_type *type = ddr_dist_type_find(name);
  ddr_path_join(sub, path, "dist");
  if (!type) {
    char list[400];
    size_t n = 0;
    for (size_t i = 0; ddr_dist_types[i]; i++)
      n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "",
                            ddr_dist_types[i]->name);
    return ddr_read_error(err, ddr_ymap_get(node, "dist"), sub,
                          "unknown distribution \"%s\"; expected one of %s", name, list);
  }
  int as_date = kind == DDR_IN_DATE;
  if (as_date && !family_allows_dates(type))
    return ddr_read_error(err, ddr_ymap_get(node, "dist"), sub,
                          "a %s distribution cannot describe a date; use uniform, triangular, "
                          "pert, normal, discrete or empirical",
                          name);
  double p[DDR_DIST_MAX_PARAMS] = {0};
  int given[DDR_DIST_MAX_PARAMS] = {0};
  double *values = NULL, *weights = NULL;
  size_t nvalues = 0, nweights = 0;
  st = DDR_OK;
  for (size_t i = 0; i < node->n && !st; i++) {
    const char *k = node->keys[i];
    if (strcmp(k, "dist") == 0) continue;
    int idx = ddr_dist_param_index(type, k);
    ddr_path_join(sub, path, k);
    if (idx < 0) {
      char list[300];
      size_t n = 0;
      const char *file;
      int line, column;
      for (size_t j = 0; type->param_names[j]; j++)
        n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", j ? ", " : "",
                              type->param_names[j]);
      ddr_ymap_key_pos(node, i, &file, &line, &column);
      st = ddr_error_set(err, DDR_EINPUT, file, line, column, sub,
                         "unknown parameter \"%s\" for a %s distribution; expected %s", k, name,
                         list);
    } else if (strcmp(k, "values") == 0) {
      st = read_list(node->items[i], sub, as_date, &values, &nvalues, err);
    } else if (strcmp(k, "weights") == 0) {
      st = read_list(node->items[i], sub, 0, &weights, &nweights, err);
    } else {
      int date_param = as_date && strcmp(k, "sd") != 0 && strcmp(k, "lambda") != 0;
      st = read_value(node->items[i], sub, date_param, &p[idx], err);
      given[idx] = 1;
    }
  }
  if (!st && weights && nweights != nvalues)
    st = ddr_read_error(err, ddr_ymap_get(node, "weights"), path,
                        "expected as many weights as values (%zu), found %zu", nvalues, nweights);
  if (!st) {
    char msg[512];
    if (ddr_dist_init(out, type, p, given, values, weights, nvalues, msg, sizeof msg))
      st = ddr_read_error(err, node, path, "%s", msg);
  }
  free(values);
  free(weights);
  return st;
}

ddr_status ddr_read_dist(const ddr_ynode *node, const char *path, ddr_input_kind kind,
                         const ddr_calendar *cal, ddr_dist *out, ddr_error *err) {
  ddr_status st;
  memset(out, 0, sizeof *out);
  if (node->kind == DDR_Y_MAP) {
    st = read_family(node, path, kind, out, err);
  } else if (node->kind == DDR_Y_SCALAR) {
    double x;
    if ((st = read_value(node, path, kind == DDR_IN_DATE, &x, err))) {
      if (kind != DDR_IN_DATE)
        ddr_read_error(err, node, path,
                       "expected %s or a distribution {dist: ..., ...}, found \"%.200s\"",
                       ddr_input_kind_text(kind), node->scalar);
      return st;
    }
    ddr_dist_init_constant(out, x);
  } else {
    return ddr_read_error(err, node, path,
                          "expected %s or a distribution {dist: ..., ...}, found a list",
                          ddr_input_kind_text(kind));
  }
  if (st) return st;
  char msg[512];
  int out_hi_was_big = out->hi > DDR_COUNT_MAX;
  if (ddr_input_kind_check(kind, out, msg, sizeof msg)) {
    ddr_dist_release(out);
    if (node->kind == DDR_Y_SCALAR) /* quote what was written, not what it parsed to */
      return ddr_read_error(err, node, path, "expected %s%s, found \"%s\"",
                            ddr_input_kind_text(kind),
                            (kind == DDR_IN_COUNT || kind == DDR_IN_POSCOUNT) && out_hi_was_big
                                ? " of at most 1000000000"
                                : "",
                            node->scalar);
    return ddr_read_error(err, node, path, "%s", msg);
  }
  /* A date before the start or after the horizon means something (already
   * past; not within the horizon), but one decades away is a typing slip. */
  const double slack = 50 * 365.25;
  if (kind == DDR_IN_DATE && cal && (out->lo < cal->start - slack || out->hi > cal->end + slack)) {
    char a[16], b[16];
    ddr_date_format((int32_t)(cal->start - slack), a, sizeof a);
    ddr_date_format((int32_t)(cal->end + slack), b, sizeof b);
    ddr_dist_release(out);
    return ddr_read_error(err, node, path,
                          "expected a date within 50 years of the horizon (%s to %s)", a, b);
  }
  return DDR_OK;
}

ddr_status ddr_read_input(ddr_scenario *scn, const ddr_ynode *map, const char *path,
                          const char *key, ddr_input_kind kind, int required, double def,
                          size_t *index, ddr_error *err) {
  char sub[DDR_PATH_MAX];
  ddr_path_join(sub, path, key);
  const ddr_ynode *v = ddr_ymap_get(map, key);
  if (v && v->kind == DDR_Y_SCALAR && ddr_yscalar_is_null(v)) v = NULL;
  ddr_dist d;
  if (!v) {
    if (required) return ddr_read_error(err, map, sub, "missing required key \"%s\"", key);
    ddr_dist_init_constant(&d, def);
  } else {
    ddr_status st = ddr_read_dist(v, sub, kind, ddr_scenario_calendar(scn), &d, err);
    if (st) return st;
  }
  long i = ddr_inputs_add(ddr_scenario_inputs_mut(scn), sub, kind, &d);
  if (i < 0) {
    ddr_dist_release(&d);
    return ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, sub, "out of memory");
  }
  *index = (size_t)i;
  return DDR_OK;
}

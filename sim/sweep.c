/* Reading a sweep's design file and laying out its points: a full grid (the
 * Cartesian product of each key's list of values) or a Latin hypercube (each
 * key's range cut into N equal strata, one point in each, the strata matched
 * at random across keys), drawn from the design's own seed so that the same
 * file always gives the same points. The format is in docs/sweeps.md. */
#include "ddrsim/sweep.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ddrsim/calendar.h"
#include "ddrsim/rng.h"
#include "ddrsim/yaml.h"

static const char *const top_keys[] = {"design", "description", "inputs", "points", "seed", NULL};
static const char *const range_keys[] = {"min", "max", "integer", NULL};

static ddr_status at(ddr_error *err, const ddr_ynode *n, const char *key, const char *fmt,
                     const char *found) {
  return ddr_error_set(err, DDR_EINPUT, n->file, n->line, n->column, key, fmt, found);
}

/* A key not among allowed: an error at the key, listing the allowed ones. */
static ddr_status check_keys(const ddr_ynode *map, const char *const *allowed, const char *where,
                             ddr_error *err) {
  for (size_t i = 0; i < map->n; i++) {
    size_t j = 0;
    while (allowed[j] && strcmp(allowed[j], map->keys[i])) j++;
    if (allowed[j]) continue;
    char list[256] = "";
    for (j = 0; allowed[j]; j++)
      snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", j ? ", " : "", allowed[j]);
    const char *f;
    int l, c;
    ddr_ymap_key_pos(map, i, &f, &l, &c);
    return ddr_error_set(err, DDR_EINPUT, f, l, c, map->keys[i],
                         "unknown key in %s; expected one of: %s", where, list);
  }
  return DDR_OK;
}

/* A number or, for dates, an ISO date as days since 1970; *date tells which. */
static int scalar_number(const ddr_ynode *n, double *x, int *date) {
  char *end;
  int32_t day;
  if (n->kind != DDR_Y_SCALAR || !n->scalar[0]) return -1;
  if (ddr_date_parse(n->scalar, &day) == 0) {
    *x = day;
    *date = 1;
    return 0;
  }
  *x = strtod(n->scalar, &end);
  *date = 0;
  return *end || !isfinite(*x) ? -1 : 0;
}

static ddr_status read_grid_key(ddr_sweep_key *k, const ddr_ynode *v, ddr_error *err) {
  if (v->kind != DDR_Y_SEQ)
    return at(err, v, k->path, "expected a list of values for a grid, found %s",
              v->kind == DDR_Y_MAP ? "a mapping" : "a single value");
  if (v->n == 0) return at(err, v, k->path, "expected at least one value, found %s", "[]");
  k->nvalues = v->n;
  k->values = calloc(v->n, sizeof *k->values);
  k->vline = calloc(v->n, sizeof *k->vline);
  k->vcol = calloc(v->n, sizeof *k->vcol);
  if (!k->values || !k->vline || !k->vcol)
    return ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory");
  for (size_t i = 0; i < v->n; i++) {
    ddr_status st = ddr_ynode_emit_flow(v->items[i], &k->values[i], err);
    if (st) return st;
    k->vline[i] = v->items[i]->line;
    k->vcol[i] = v->items[i]->column;
  }
  return DDR_OK;
}

static ddr_status read_range_key(ddr_sweep_key *k, const ddr_ynode *v, ddr_error *err) {
  if (v->kind != DDR_Y_MAP)
    return at(err, v, k->path,
              "expected a range {min: ..., max: ...} for a Latin hypercube, found %s",
              v->kind == DDR_Y_SEQ ? "a list" : "a single value");
  ddr_status st = check_keys(v, range_keys, "a range", err);
  if (st) return st;
  const ddr_ynode *lo = ddr_ymap_get(v, "min"), *hi = ddr_ymap_get(v, "max"),
                  *in = ddr_ymap_get(v, "integer");
  if (!lo || !hi)
    return at(err, v, k->path, "expected both min and max, found %s", lo ? "no max" : "no min");
  int dlo, dhi;
  if (scalar_number(lo, &k->min, &dlo))
    return at(err, lo, k->path, "min: expected a number or a date, found \"%s\"",
              lo->kind == DDR_Y_SCALAR ? lo->scalar : "a collection");
  if (scalar_number(hi, &k->max, &dhi))
    return at(err, hi, k->path, "max: expected a number or a date, found \"%s\"",
              hi->kind == DDR_Y_SCALAR ? hi->scalar : "a collection");
  if (dlo != dhi)
    return at(err, hi, k->path, "max: expected %s like min, found \"%s\"",
              dlo ? "a date" : "a number");
  if (k->min > k->max)
    return at(err, hi, k->path, "max: expected a value >= min, found \"%s\"", hi->scalar);
  k->date = dlo;
  if (in) {
    if (in->kind != DDR_Y_SCALAR || (strcmp(in->scalar, "true") && strcmp(in->scalar, "false")))
      return at(err, in, k->path, "integer: expected true or false, found \"%s\"",
                in->kind == DDR_Y_SCALAR ? in->scalar : "a collection");
    k->integer = strcmp(in->scalar, "true") == 0;
  }
  if (k->date) k->integer = 1;
  if (k->integer && (k->min != floor(k->min) || k->max != floor(k->max)))
    return at(err, v, k->path, "expected whole-number min and max with integer: true, found %s",
              "a fraction");
  return DDR_OK;
}

static ddr_status alloc_points(ddr_sweep_design *d, ddr_error *err) {
  size_t n = d->npoints * d->nkeys;
  d->value = calloc(n + 1, sizeof *d->value);
  d->number = calloc(n + 1, sizeof *d->number);
  d->index = calloc(n + 1, sizeof *d->index);
  if (!d->value || !d->number || !d->index)
    return ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory");
  return DDR_OK;
}

/* The grid's points, the first key varying slowest. */
static ddr_status lay_grid(ddr_sweep_design *d, const ddr_ynode *inputs, ddr_error *err) {
  d->npoints = 1;
  for (size_t k = 0; k < d->nkeys; k++) {
    if (d->npoints > DDR_SWEEP_MAX_POINTS / d->keys[k].nvalues)
      return at(err, inputs, NULL, "expected a grid of at most %s points, found more", "100000");
    d->npoints *= d->keys[k].nvalues;
  }
  ddr_status st = alloc_points(d, err);
  for (size_t p = 0; !st && p < d->npoints; p++) {
    size_t rest = p;
    for (size_t k = d->nkeys; k-- > 0;) {
      const ddr_sweep_key *key = &d->keys[k];
      size_t i = rest % key->nvalues, c = p * d->nkeys + k;
      rest /= key->nvalues;
      d->index[c] = i;
      d->value[c] = strdup(key->values[i]);
      if (!d->value[c]) return ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory");
      ddr_ynode n = {.kind = DDR_Y_SCALAR, .scalar = key->values[i]};
      int date;
      if (scalar_number(&n, &d->number[c], &date)) d->number[c] = NAN;
    }
  }
  return st;
}

/* A Latin hypercube: key k's range [min, max] (for whole numbers and dates
 * [min, max + 1), then rounded down) in N strata; a random permutation of the
 * strata per key, and a uniform position within each stratum. Key k draws
 * from the stream of its own key path, so adding a key leaves the others'
 * draws alone. */
static ddr_status lay_lhs(ddr_sweep_design *d, ddr_error *err) {
  ddr_status st = alloc_points(d, err);
  size_t n = d->npoints;
  size_t *perm = malloc(n * sizeof *perm);
  if (st || !perm) {
    free(perm);
    return st ? st : ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory");
  }
  for (size_t k = 0; k < d->nkeys && !st; k++) {
    const ddr_sweep_key *key = &d->keys[k];
    ddr_stream s;
    ddr_stream_init(&s, d->seed, 0, ddr_component_id(key->path), 0);
    for (size_t i = 0; i < n; i++) perm[i] = i;
    for (size_t i = n; i > 1; i--) { /* Fisher-Yates */
      size_t j = ddr_uniform_below(&s, (uint32_t)i);
      size_t t = perm[i - 1];
      perm[i - 1] = perm[j];
      perm[j] = t;
    }
    double width = key->max + (key->integer ? 1.0 : 0.0) - key->min;
    for (size_t p = 0; p < n; p++) {
      size_t c = p * d->nkeys + k;
      double x = key->min + width * ((double)perm[p] + ddr_stream_uniform(&s)) / (double)n;
      char buf[64];
      if (key->integer) {
        x = floor(x);
        if (x > key->max) x = key->max; /* rounding at the very top */
      }
      if (key->date)
        ddr_date_format((int32_t)x, buf, sizeof buf);
      else if (key->integer)
        snprintf(buf, sizeof buf, "%.0f", x);
      else
        snprintf(buf, sizeof buf, "%.17g", x);
      d->number[c] = x;
      if (!(d->value[c] = strdup(buf)))
        st = ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    }
  }
  free(perm);
  return st;
}

static ddr_status read_top(ddr_sweep_design *d, const ddr_ynode *root, const ddr_ynode **inputs,
                           ddr_error *err) {
  ddr_status st = check_keys(root, top_keys, "a design file", err);
  if (st) return st;
  const ddr_ynode *kind = ddr_ymap_get(root, "design"), *pts = ddr_ymap_get(root, "points"),
                  *seed = ddr_ymap_get(root, "seed");
  *inputs = ddr_ymap_get(root, "inputs");
  if (!kind)
    return at(err, root, "design", "expected design: grid or design: latin-hypercube, found %s",
              "no design key");
  if (kind->kind != DDR_Y_SCALAR ||
      (strcmp(kind->scalar, "grid") && strcmp(kind->scalar, "latin-hypercube")))
    return at(err, kind, "design", "expected grid or latin-hypercube, found \"%s\"",
              kind->kind == DDR_Y_SCALAR ? kind->scalar : "a collection");
  d->kind = strcmp(kind->scalar, "grid") == 0 ? DDR_SWEEP_GRID : DDR_SWEEP_LHS;
  if (d->kind == DDR_SWEEP_GRID && (pts || seed))
    return at(err, pts ? pts : seed, pts ? "points" : "seed",
              "expected no %s in a grid (it has one point per combination of values)",
              pts ? "points" : "seed");
  if (d->kind == DDR_SWEEP_LHS) {
    unsigned long long v;
    char *end;
    if (!pts || pts->kind != DDR_Y_SCALAR || (v = strtoull(pts->scalar, &end, 10), *end) ||
        pts->scalar[0] == '-' || v < 1 || v > DDR_SWEEP_MAX_POINTS)
      return at(err, pts ? pts : root, "points",
                "expected a number of points from 1 to 100000 for a Latin hypercube, found \"%s\"",
                pts && pts->kind == DDR_Y_SCALAR ? pts->scalar : "none");
    d->npoints = v;
    if (!seed || seed->kind != DDR_Y_SCALAR || !seed->scalar[0] || seed->scalar[0] == '-' ||
        (d->seed = strtoull(seed->scalar, &end, 10), *end))
      return at(err, seed ? seed : root, "seed",
                "expected a non-negative integer seed for the Latin hypercube, found \"%s\"",
                seed && seed->kind == DDR_Y_SCALAR ? seed->scalar : "none");
  }
  if (!*inputs || (*inputs)->kind != DDR_Y_MAP || (*inputs)->n == 0)
    return at(err, *inputs ? *inputs : root, "inputs",
              "expected a mapping of --set key paths to the values they take, found %s",
              !*inputs                       ? "no inputs key"
              : (*inputs)->kind == DDR_Y_MAP ? "an empty one"
                                             : "something else");
  if ((*inputs)->n > DDR_SWEEP_MAX_KEYS)
    return at(err, *inputs, "inputs", "expected at most 32 keys, found %s", "more");
  return DDR_OK;
}

/* A design from its file (text NULL) or from its text held in memory. */
static ddr_status design_load(const char *path, const char *text, size_t len,
                              ddr_sweep_design **out, ddr_error *err) {
  ddr_ydoc *doc = NULL;
  const ddr_ynode *inputs;
  *out = NULL;
  ddr_sweep_design *d = calloc(1, sizeof *d);
  if (!d) return ddr_error_set(err, DDR_ENOMEM, path, 0, 0, NULL, "out of memory");
  ddr_status st =
      text ? ddr_ydoc_load_string(path, text, len, &doc, err) : ddr_ydoc_load_file(path, &doc, err);
  if (st) goto fail;
  d->file = strdup(path);
  d->text = strndup(ddr_ydoc_text(doc), ddr_ydoc_text_len(doc));
  if (!d->file || !d->text) {
    st = ddr_error_set(err, DDR_ENOMEM, path, 0, 0, NULL, "out of memory");
    goto fail;
  }
  if ((st = read_top(d, ddr_ydoc_root(doc), &inputs, err))) goto fail;
  d->nkeys = inputs->n;
  for (size_t k = 0; k < inputs->n; k++) {
    ddr_sweep_key *key = &d->keys[k];
    const char *f;
    ddr_ymap_key_pos(inputs, k, &f, &key->line, &key->column);
    if (!(key->path = strdup(inputs->keys[k]))) {
      st = ddr_error_set(err, DDR_ENOMEM, path, 0, 0, NULL, "out of memory");
      goto fail;
    }
    st = d->kind == DDR_SWEEP_GRID ? read_grid_key(key, inputs->items[k], err)
                                   : read_range_key(key, inputs->items[k], err);
    if (st) goto fail;
  }
  st = d->kind == DDR_SWEEP_GRID ? lay_grid(d, inputs, err) : lay_lhs(d, err);
  if (st) goto fail;
  ddr_ydoc_free(doc);
  *out = d;
  return DDR_OK;
fail:
  ddr_ydoc_free(doc);
  ddr_sweep_design_free(d);
  return st;
}

ddr_status ddr_sweep_design_load(const char *path, ddr_sweep_design **out, ddr_error *err) {
  return design_load(path, NULL, 0, out, err);
}

ddr_status ddr_sweep_design_parse(const char *name, const char *text, size_t len,
                                  ddr_sweep_design **out, ddr_error *err) {
  return design_load(name, text, len, out, err);
}

void ddr_sweep_design_free(ddr_sweep_design *d) {
  if (!d) return;
  for (size_t k = 0; k < d->nkeys; k++) {
    ddr_sweep_key *key = &d->keys[k];
    for (size_t i = 0; key->values && i < key->nvalues; i++) free(key->values[i]);
    free(key->values);
    free(key->vline);
    free(key->vcol);
    free(key->path);
  }
  for (size_t i = 0; d->value && i < d->npoints * d->nkeys; i++) free(d->value[i]);
  free(d->value);
  free(d->number);
  free(d->index);
  free(d->file);
  free(d->text);
  free(d);
}

char *ddr_sweep_design_set(const ddr_sweep_design *d, size_t p, size_t k) {
  const char *key = d->keys[k].path, *val = d->value[p * d->nkeys + k];
  size_t n = strlen(key) + strlen(val) + 2;
  char *s = malloc(n);
  if (s) snprintf(s, n, "%s=%s", key, val);
  return s;
}

void ddr_sweep_design_blame(const ddr_sweep_design *d, size_t p, ddr_error *err) {
  if (strcmp(err->file, "--set") != 0) return;
  /* the key path the error is about: the design key it starts with */
  size_t k = 0, best = d->nkeys;
  for (; k < d->nkeys; k++) {
    size_t n = strlen(d->keys[k].path);
    if (strncmp(err->key, d->keys[k].path, n) == 0 ||
        strncmp(d->keys[k].path, err->key, strlen(err->key)) == 0) {
      best = k;
      if (strcmp(err->key, d->keys[k].path) == 0) break;
    }
  }
  if (k == d->nkeys) k = best;
  int line = 0, col = 0;
  if (k < d->nkeys) {
    const ddr_sweep_key *key = &d->keys[k];
    line = key->line;
    col = key->column;
    int bad_value = strstr(err->msg, "expected") && strstr(err->msg, "found") &&
                    strcmp(err->key, key->path) == 0;
    if (bad_value && d->kind == DDR_SWEEP_GRID) {
      line = key->vline[d->index[p * d->nkeys + k]];
      col = key->vcol[d->index[p * d->nkeys + k]];
    }
  }
  char where[512] = "", msg[DDR_ERROR_MSG_MAX];
  for (size_t j = 0; j < d->nkeys; j++)
    snprintf(where + strlen(where), sizeof where - strlen(where), "%s%s=%s", j ? ", " : "",
             d->keys[j].path, d->value[p * d->nkeys + j]);
  snprintf(msg, sizeof msg, "design point %zu (%.400s): %.500s", p, where, err->msg);
  snprintf(err->msg, sizeof err->msg, "%s", msg);
  snprintf(err->file, sizeof err->file, "%s", d->file);
  err->line = line;
  err->column = col;
}

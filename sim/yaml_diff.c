/* Differences between two YAML trees by key path, one line each: what a
 * what-if scenario changes from its parent, for `ddrsim validate --explain`. */
#include "ddrsim/yaml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct ydiff {
  char *s; /* the lines so far */
  size_t n, cap;
  int oom;
  char path[DDR_ERROR_KEY_MAX]; /* key path of the values being compared */
  size_t len;
} ydiff;

static void put(ydiff *d, const char *s) {
  size_t n = strlen(s);
  if (d->oom) return;
  if (d->cap - d->n <= n) {
    size_t cap = d->cap ? d->cap : 256;
    while (cap - d->n <= n) cap *= 2;
    char *p = realloc(d->s, cap);
    if (!p) {
      d->oom = 1;
      return;
    }
    d->s = p;
    d->cap = cap;
  }
  memcpy(d->s + d->n, s, n + 1);
  d->n += n;
}

static void put_value(ydiff *d, const ddr_ynode *node) {
  char *text = NULL;
  if (ddr_ynode_emit_flow(node, &text, NULL) != DDR_OK) {
    d->oom = 1;
    return;
  }
  put(d, text);
  free(text);
}

/* One line: sign, path, and the values that apply. */
static void line(ydiff *d, char sign, const ddr_ynode *from, const ddr_ynode *to) {
  char head[DDR_ERROR_KEY_MAX + 4];
  snprintf(head, sizeof head, "%c %s", sign, d->path);
  put(d, head);
  if (from || to) put(d, ": ");
  if (from) put_value(d, from);
  if (from && to) put(d, " -> ");
  if (to) put_value(d, to);
  put(d, "\n");
}

static size_t path_push(ydiff *d, const char *seg) {
  size_t old = d->len;
  int w = snprintf(d->path + d->len, sizeof d->path - d->len, "%s%s", d->len ? "." : "", seg);
  if (w > 0) d->len += (size_t)w;
  if (d->len >= sizeof d->path) d->len = sizeof d->path - 1;
  return old;
}

static void path_pop(ydiff *d, size_t old) {
  d->len = old;
  d->path[old] = '\0';
}

static int same_tree(const ddr_ynode *a, const ddr_ynode *b) {
  if (a->kind != b->kind) return 0;
  if (a->kind == DDR_Y_SCALAR)
    return (ddr_yscalar_is_null(a) && ddr_yscalar_is_null(b)) ||
           (a->plain == b->plain && strcmp(a->scalar, b->scalar) == 0);
  if (a->n != b->n) return 0;
  for (size_t i = 0; i < a->n; i++) {
    const ddr_ynode *bi = a->kind == DDR_Y_MAP ? ddr_ymap_get(b, a->keys[i]) : b->items[i];
    if (!bi || !same_tree(a->items[i], bi)) return 0;
  }
  return 1;
}

static const char *id_of(const ddr_ynode *item) {
  const ddr_ynode *id = ddr_ymap_get(item, "id");
  return id && id->kind == DDR_Y_SCALAR ? id->scalar : NULL;
}

/* Whether a list's items can be named by id: all mappings with distinct ids. */
static int by_id(const ddr_ynode *seq) {
  for (size_t i = 0; i < seq->n; i++) {
    const char *id = id_of(seq->items[i]);
    if (!id) return 0;
    for (size_t j = 0; j < i; j++)
      if (strcmp(id, id_of(seq->items[j])) == 0) return 0;
  }
  return 1;
}

static const ddr_ynode *find_id(const ddr_ynode *seq, const char *id) {
  for (size_t i = 0; i < seq->n; i++)
    if (strcmp(id_of(seq->items[i]), id) == 0) return seq->items[i];
  return NULL;
}

static void diff_node(ydiff *d, const ddr_ynode *from, const ddr_ynode *to);

static void diff_maps(ydiff *d, const ddr_ynode *from, const ddr_ynode *to) {
  for (size_t i = 0; i < from->n; i++) {
    size_t old = path_push(d, from->keys[i]);
    const ddr_ynode *t = ddr_ymap_get(to, from->keys[i]);
    if (t)
      diff_node(d, from->items[i], t);
    else
      line(d, '-', NULL, NULL);
    path_pop(d, old);
  }
  for (size_t j = 0; j < to->n; j++) {
    if (ddr_ymap_get(from, to->keys[j])) continue;
    size_t old = path_push(d, to->keys[j]);
    line(d, '+', NULL, to->items[j]);
    path_pop(d, old);
  }
}

static void diff_lists(ydiff *d, const ddr_ynode *from, const ddr_ynode *to) {
  for (size_t i = 0; i < from->n; i++) {
    size_t old = path_push(d, id_of(from->items[i]));
    const ddr_ynode *t = find_id(to, id_of(from->items[i]));
    if (t)
      diff_node(d, from->items[i], t);
    else
      line(d, '-', NULL, NULL);
    path_pop(d, old);
  }
  for (size_t j = 0; j < to->n; j++) {
    if (find_id(from, id_of(to->items[j]))) continue;
    size_t old = path_push(d, id_of(to->items[j]));
    line(d, '+', NULL, to->items[j]);
    path_pop(d, old);
  }
}

static void diff_node(ydiff *d, const ddr_ynode *from, const ddr_ynode *to) {
  if (same_tree(from, to)) return;
  if (from->kind == DDR_Y_MAP && to->kind == DDR_Y_MAP)
    diff_maps(d, from, to);
  else if (from->kind == DDR_Y_SEQ && to->kind == DDR_Y_SEQ && by_id(from) && by_id(to))
    diff_lists(d, from, to);
  else
    line(d, '~', from, to);
}

ddr_status ddr_ynode_diff(const ddr_ynode *from, const ddr_ynode *to, char **out, ddr_error *err) {
  ydiff d = {0};
  *out = NULL;
  if (!from || !to)
    return ddr_error_set(err, DDR_EINTERNAL, NULL, 0, 0, NULL, "no tree to compare");
  put(&d, "");
  diff_node(&d, from, to);
  if (d.oom) {
    free(d.s);
    return ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory comparing scenarios");
  }
  *out = d.s;
  return DDR_OK;
}

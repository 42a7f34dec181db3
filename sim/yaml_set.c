/* Looking values up in a YAML tree, and editing it by key path for
 * command-line overrides such as `--set nodes.training.centres.gao.seats=400`. */
#include "yaml_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

long ddr_ymap_index(const ddr_ynode *map, const char *key) {
  if (!map || map->kind != DDR_Y_MAP) return -1;
  for (size_t i = 0; i < map->n; i++)
    if (strcmp(map->keys[i], key) == 0) return (long)i;
  return -1;
}

void ddr_ymap_key_pos(const ddr_ynode *map, size_t i, const char **file, int *line, int *column) {
  if (!map->key_line[i]) {
    *file = map->items[i]->file;
    *line = map->items[i]->line;
    *column = map->items[i]->column;
    return;
  }
  *file = map->key_file ? map->key_file[i] : map->file;
  *line = map->key_line[i];
  *column = map->key_column[i];
}

const ddr_ynode *ddr_ymap_get(const ddr_ynode *map, const char *key) {
  long i = ddr_ymap_index(map, key);
  return i < 0 ? NULL : map->items[i];
}

const ddr_ynode *ddr_yseq_find_id(const ddr_ynode *seq, const char *id) {
  if (!seq || seq->kind != DDR_Y_SEQ) return NULL;
  for (size_t i = 0; i < seq->n; i++) {
    const ddr_ynode *v = ddr_ymap_get(seq->items[i], "id");
    if (v && v->kind == DDR_Y_SCALAR && strcmp(v->scalar, id) == 0) return seq->items[i];
  }
  return NULL;
}

int ddr_yscalar_is_null(const ddr_ynode *node) {
  if (!node || node->kind != DDR_Y_SCALAR || !node->plain) return 0;
  const char *s = node->scalar;
  return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") || !strcmp(s, "NULL");
}

/* A comma-separated list that stops with "..." rather than overflow. */
typedef struct ylist {
  char text[640];
  size_t n;
  int full;
} ylist;

static void list_add(ylist *l, const char *item) {
  if (l->full) return;
  size_t need = strlen(item) + (l->n ? 2 : 0);
  if (l->n + need + 5 >= sizeof l->text) {
    snprintf(l->text + l->n, sizeof l->text - l->n, "%s...", l->n ? ", " : "");
    l->full = 1;
    return;
  }
  l->n += (size_t)snprintf(l->text + l->n, sizeof l->text - l->n, "%s%s", l->n ? ", " : "", item);
}

static ddr_status no_key(const ddr_ynode *map, const char *seg, size_t seglen, const char *path,
                         size_t pathlen, const char *origin, ddr_error *err) {
  ylist keys = {0};
  for (size_t i = 0; i < map->n; i++) list_add(&keys, map->keys[i]);
  ddr_error_set(err, DDR_EINPUT, origin, 0, 0, NULL, "no key \"%.*s\" here; %s%s", (int)seglen, seg,
                map->n ? "keys are: " : "the mapping is empty", keys.text);
  if (err) snprintf(err->key, sizeof err->key, "%.*s", (int)pathlen, path);
  return DDR_EINPUT;
}

static ddr_status no_item(const ddr_ynode *seq, const char *seg, size_t seglen, const char *path,
                          size_t pathlen, size_t parentlen, const char *origin, ddr_error *err) {
  ylist ids = {0};
  for (size_t i = 0; i < seq->n; i++) {
    const ddr_ynode *id = ddr_ymap_get(seq->items[i], "id");
    if (id && id->kind == DDR_Y_SCALAR) list_add(&ids, id->scalar);
  }
  ddr_error_set(err, DDR_EINPUT, origin, 0, 0, NULL, "no item with id \"%.*s\" in %.*s; %s%s",
                (int)seglen, seg, (int)parentlen, path,
                ids.n ? "ids are: " : "its items have no id", ids.text);
  if (err) snprintf(err->key, sizeof err->key, "%.*s", (int)pathlen, path);
  return DDR_EINPUT;
}

/* Nesting levels a subtree adds: 0 for a scalar. */
static int node_depth(const ddr_ynode *node) {
  if (node->kind == DDR_Y_SCALAR) return 0;
  int deepest = 0;
  for (size_t i = 0; i < node->n; i++) {
    int d = node_depth(node->items[i]);
    if (d > deepest) deepest = d;
  }
  return deepest + 1;
}

/* Where the value goes: items[index] of parent, or a new key when index < 0. */
typedef struct ytarget {
  ddr_ynode *parent;
  long index;
  const char *key; /* the last segment, for a new key */
  size_t keylen;
  int depth; /* collections above the value */
} ytarget;

/* An item of a list by its position, "[n]" at seg (segment length seglen). */
static ddr_status item_at(const ddr_ynode *node, const char *seg, size_t seglen, const char *path,
                          size_t pathlen, size_t parentlen, const char *origin, long *idx,
                          ddr_error *err) {
  char *end;
  long n = seglen > 2 && seg[1] >= '0' && seg[1] <= '9' ? strtol(seg + 1, &end, 10) : -1;
  if (n < 0 || end != seg + seglen - 1)
    ddr_error_set(err, DDR_EINPUT, origin, 0, 0, NULL,
                  "expected a position such as [0] in key path \"%s\", found \"%.*s\"", path,
                  (int)seglen, seg);
  else if (node->kind != DDR_Y_SEQ)
    ddr_error_set(err, DDR_EINPUT, origin, 0, 0, NULL,
                  "%.*s is not a list; cannot take its item %.*s", (int)parentlen, path,
                  (int)seglen, seg);
  else if ((size_t)n >= node->n)
    ddr_error_set(err, DDR_EINPUT, origin, 0, 0, NULL, "%.*s has %zu items; no item %.*s",
                  (int)parentlen, path, node->n, (int)seglen, seg);
  else {
    *idx = n;
    return DDR_OK;
  }
  if (err) snprintf(err->key, sizeof err->key, "%.*s", (int)pathlen, path);
  return DDR_EINPUT;
}

/* Segments are keys of mappings, ids of list items, or positions [n] of
 * list items (as in "schedule[1].value"). */
static ddr_status find_target(ddr_ydoc *doc, const char *path, const char *origin, ytarget *t,
                              ddr_error *err) {
  ddr_ynode *node = doc->root;
  const char *seg = path;
  t->depth = 0;
  for (;;) {
    int position = *seg == '[';
    size_t seglen =
        position ? strcspn(seg, "]") + (seg[strcspn(seg, "]")] == ']') : strcspn(seg, ".[");
    const char *next = seg + seglen;
    size_t pathlen = (size_t)(next - path);
    size_t parentlen = seg > path ? (size_t)(seg - path) - (seg[-1] == '.') : 0;
    int last = *next == '\0';
    char key[DDR_ERROR_KEY_MAX];
    if (seglen >= sizeof key)
      return ddr_error_set(err, DDR_EINPUT, origin, 0, 0, NULL, "key path segment too long");
    memcpy(key, seg, seglen);
    key[seglen] = '\0';
    t->depth++;

    long idx = -1;
    ddr_status st;
    if (position) {
      if ((st = item_at(node, seg, seglen, path, pathlen, parentlen, origin, &idx, err))) return st;
    } else if (node->kind == DDR_Y_MAP) {
      idx = ddr_ymap_index(node, key);
      if (idx < 0 && !last) return no_key(node, seg, seglen, path, pathlen, origin, err);
    } else if (node->kind == DDR_Y_SEQ) {
      for (size_t i = 0; i < node->n && idx < 0; i++) {
        const ddr_ynode *id = ddr_ymap_get(node->items[i], "id");
        if (id && id->kind == DDR_Y_SCALAR && strcmp(id->scalar, key) == 0) idx = (long)i;
      }
      if (idx < 0) return no_item(node, seg, seglen, path, pathlen, parentlen, origin, err);
    } else {
      ddr_error_set(err, DDR_EINPUT, origin, 0, 0, NULL,
                    "%.*s is a scalar, not a mapping or list; cannot look up \"%s\" in it",
                    (int)parentlen, path, key);
      if (err) snprintf(err->key, sizeof err->key, "%.*s", (int)pathlen, path);
      return DDR_EINPUT;
    }
    if (last) {
      t->parent = node;
      t->index = idx;
      t->key = seg;
      t->keylen = seglen;
      return DDR_OK;
    }
    node = node->items[idx];
    seg = *next == '.' ? next + 1 : next;
  }
}

static ddr_status check_path(const char *path, const char *origin, ddr_error *err) {
  if (!path || !*path) return ddr_error_set(err, DDR_EINPUT, origin, 0, 0, NULL, "empty key path");
  for (const char *s = path;; s++) {
    int at_end = *s == '\0' || *s == '.';
    int empty = s == path || s[-1] == '.';
    if (at_end && empty)
      return ddr_error_set(err, DDR_EINPUT, origin, 0, 0, path, "empty segment in key path \"%s\"",
                           path);
    if (!*s) return DDR_OK;
  }
}

/* Add key with value at the end of map. The arrays are reallocated in the
 * arena; the old ones stay there until the document is freed. */
static ddr_status map_append(ddr_ydoc *doc, ddr_ynode *map, const char *key, size_t keylen,
                             ddr_ynode *value, const char *origin, ddr_error *err) {
  size_t n = map->n + 1;
  char **keys = ddr_yarena_alloc(&doc->arena, n * sizeof *keys);
  int *line = ddr_yarena_alloc(&doc->arena, n * sizeof *line);
  int *column = ddr_yarena_alloc(&doc->arena, n * sizeof *column);
  ddr_ynode **items = ddr_yarena_alloc(&doc->arena, n * sizeof *items);
  const char **files = map->key_file ? ddr_yarena_alloc(&doc->arena, n * sizeof *files) : NULL;
  char *k = ddr_yarena_strndup(&doc->arena, key, keylen);
  if (!keys || !line || !column || !items || !k || (map->key_file && !files))
    return ddr_error_set(err, DDR_ENOMEM, origin, 0, 0, NULL, "out of memory");
  if (map->n) {
    memcpy(keys, map->keys, map->n * sizeof *keys);
    memcpy(line, map->key_line, map->n * sizeof *line);
    memcpy(column, map->key_column, map->n * sizeof *column);
    memcpy(items, map->items, map->n * sizeof *items);
    if (files) memcpy(files, map->key_file, map->n * sizeof *files);
  }
  keys[n - 1] = k;
  line[n - 1] = 0; /* the key was not read from any file: position unknown */
  column[n - 1] = 0;
  items[n - 1] = value;
  if (files) {
    files[n - 1] = value->file;
    map->key_file = files;
  }
  map->keys = keys;
  map->key_line = line;
  map->key_column = column;
  map->items = items;
  map->n = n;
  return DDR_OK;
}

ddr_status ddr_ydoc_set(ddr_ydoc *doc, const char *keypath, const char *value, const char *origin,
                        ddr_error *err) {
  if (!origin) origin = "--set";
  if (!value) value = "";
  ddr_status st = check_path(keypath, origin, err);
  if (st != DDR_OK) return st;
  /* The parent is merged in when the file is read, before any --set. */
  if (strcmp(keypath, DDR_YAML_EXTENDS_KEY) == 0)
    return ddr_error_set(err, DDR_EINPUT, origin, 0, 0, keypath,
                         "the parent of a scenario cannot be set here; write a what-if file "
                         "with \"extends:\" instead");
  ytarget t = {0};
  st = find_target(doc, keypath, origin, &t, err);
  if (st != DDR_OK) return st;

  /* Nodes point at their file name, so the origin must live as long as they do. */
  char *name = ddr_yarena_strndup(&doc->arena, origin, strlen(origin));
  if (!name) return ddr_error_set(err, DDR_ENOMEM, origin, 0, 0, NULL, "out of memory");
  ddr_ynode *node = NULL;
  st = ddr_yparse(&doc->arena, name, value, strlen(value), 0, &node, err);
  if (st != DDR_OK) {
    /* Say which setting the bad value was for. */
    if (err) {
      char full[2 * DDR_ERROR_KEY_MAX + 1];
      const char *inner = err->key;
      snprintf(full, sizeof full, "%s%s%s", keypath, inner[0] && inner[0] != '[' ? "." : "", inner);
      snprintf(err->key, sizeof err->key, "%.*s", (int)sizeof err->key - 1, full);
    }
    return st;
  }
  /* Keep the edited tree readable again once written out. */
  if (t.depth + node_depth(node) > DDR_YAML_MAX_DEPTH)
    return ddr_error_set(err, DDR_EINPUT, origin, 0, 0, keypath,
                         "the value would nest deeper than %d levels", DDR_YAML_MAX_DEPTH);
  if (t.index >= 0) {
    t.parent->items[t.index] = node;
    return DDR_OK;
  }
  return map_append(doc, t.parent, t.key, t.keylen, node, origin, err);
}

/* What-if files: a scenario that names its parent with a top-level
 * `extends:` and gives only what changes. Loading the chain of parents, and
 * merging a child tree over its parent's (the rules are in yaml.h).
 *
 * The merged tree is made of new collections in the child's arena that point
 * at the scalars of both trees, so every value keeps the file, line and column
 * it was written at; the child document owns its parent, which keeps those
 * nodes and file names alive. Parent collections are copied rather than
 * shared, so that --set edits of the merged tree never reach the parent's own
 * tree (validate --explain compares the two). Scenario lists and mappings are
 * short, so lookups by key and by id are linear scans. */
#include "yaml_impl.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- merging ---- */

typedef struct ymerge {
  ddr_yarena *arena;
  char path[DDR_ERROR_KEY_MAX]; /* key path of the value being merged */
  size_t len;
  ddr_error *err;
} ymerge;

/* Enter a key or list item; returns what path_pop needs to leave it. */
static size_t path_push(ymerge *m, const char *seg) {
  size_t old = m->len;
  int w = snprintf(m->path + m->len, sizeof m->path - m->len, "%s%s", m->len ? "." : "", seg);
  if (w > 0) m->len += (size_t)w;
  if (m->len >= sizeof m->path) m->len = sizeof m->path - 1;
  return old;
}

static void path_pop(ymerge *m, size_t old) {
  m->len = old;
  m->path[old] = '\0';
}

/* A list item is named by its id in key paths, else by its index. */
static size_t path_push_item(ymerge *m, const ddr_ynode *item, size_t i) {
  const ddr_ynode *id = ddr_ymap_get(item, "id");
  if (id && id->kind == DDR_Y_SCALAR) return path_push(m, id->scalar);
  size_t old = m->len; /* brackets follow the list's name without a dot */
  snprintf(m->path + m->len, sizeof m->path - m->len, "[%zu]", i);
  m->len += strlen(m->path + m->len);
  return old;
}

__attribute__((format(printf, 3, 4))) static ddr_status merge_fail(ymerge *m, const ddr_ynode *at,
                                                                   const char *fmt, ...) {
  char msg[DDR_ERROR_MSG_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return ddr_error_set(m->err, DDR_EINPUT, at->file, at->line, at->column, m->path, "%s", msg);
}

static ddr_status merge_nomem(ymerge *m) {
  return ddr_error_set(m->err, DDR_ENOMEM, NULL, 0, 0, m->path, "out of memory merging scenarios");
}

/* An empty collection of the kind of like, at like's position, with room for
 * n items (and keys, for a mapping, with a file per key). */
static ddr_ynode *new_collection(ymerge *m, const ddr_ynode *like, size_t n) {
  ddr_ynode *c = ddr_yarena_alloc(m->arena, sizeof *c);
  if (!c) return NULL;
  c->kind = like->kind;
  c->file = like->file;
  c->line = like->line;
  c->column = like->column;
  if (n == 0) return c;
  if (!(c->items = ddr_yarena_alloc(m->arena, n * sizeof *c->items))) return NULL;
  if (c->kind != DDR_Y_MAP) return c;
  c->keys = ddr_yarena_alloc(m->arena, n * sizeof *c->keys);
  c->key_line = ddr_yarena_alloc(m->arena, n * sizeof *c->key_line);
  c->key_column = ddr_yarena_alloc(m->arena, n * sizeof *c->key_column);
  c->key_file = ddr_yarena_alloc(m->arena, n * sizeof *c->key_file);
  return c->keys && c->key_line && c->key_column && c->key_file ? c : NULL;
}

/* Append key i of src (with its position) and value to the mapping dst. */
static void add_key(ddr_ynode *dst, const ddr_ynode *src, size_t i, ddr_ynode *value) {
  size_t k = dst->n++;
  dst->keys[k] = src->keys[i];
  dst->key_line[k] = src->key_line[i];
  dst->key_column[k] = src->key_column[i];
  dst->key_file[k] = src->key_file ? src->key_file[i] : src->file;
  dst->items[k] = value;
}

/* A copy of a parent's subtree: new collections, shared scalars and keys
 * (edits replace items and reallocate key arrays, never change them). */
static ddr_ynode *copy_tree(ymerge *m, const ddr_ynode *node) {
  if (node->kind == DDR_Y_SCALAR) return (ddr_ynode *)node;
  ddr_ynode *c = ddr_yarena_alloc(m->arena, sizeof *c);
  if (!c) return NULL;
  *c = *node;
  if (node->n == 0) return c;
  if (!(c->items = ddr_yarena_alloc(m->arena, node->n * sizeof *c->items))) return NULL;
  for (size_t i = 0; i < node->n; i++)
    if (!(c->items[i] = copy_tree(m, node->items[i]))) return NULL;
  return c;
}

/* Whether every item of a list is a mapping with an `id` scalar. */
static int all_have_ids(const ddr_ynode *seq) {
  for (size_t i = 0; i < seq->n; i++) {
    const ddr_ynode *id = ddr_ymap_get(seq->items[i], "id");
    if (!id || id->kind != DDR_Y_SCALAR) return 0;
  }
  return 1;
}

/* A child value the parent has nothing to merge with is taken as it is, but
 * a `remove: true` inside it would remove nothing: say so rather than let the
 * scenario reader call `remove` an unknown key. */
static ddr_status check_no_remove(ymerge *m, const ddr_ynode *node) {
  ddr_status st = DDR_OK;
  for (size_t i = 0; i < node->n && !st; i++) {
    const ddr_ynode *item = node->items[i];
    size_t old = node->kind == DDR_Y_MAP ? path_push(m, node->keys[i]) : path_push_item(m, item, i);
    const ddr_ynode *rm = node->kind == DDR_Y_SEQ ? ddr_ymap_get(item, "remove") : NULL;
    if (rm) {
      path_push(m, "remove");
      st = merge_fail(m, rm,
                      "nothing to remove: remove: true applies to an item of a list merged by id "
                      "with a list of the parent scenario, and there is none here");
    } else {
      st = check_no_remove(m, item);
    }
    path_pop(m, old);
  }
  return st;
}

static ddr_status merge_node(ymerge *m, const ddr_ynode *parent, const ddr_ynode *child,
                             ddr_ynode **out);

static ddr_status merge_maps(ymerge *m, const ddr_ynode *parent, const ddr_ynode *child,
                             ddr_ynode **out) {
  size_t extra = 0;
  for (size_t j = 0; j < child->n; j++) extra += ddr_ymap_index(parent, child->keys[j]) < 0;
  ddr_ynode *r = new_collection(m, child, parent->n + extra);
  if (!r) return merge_nomem(m);
  for (size_t i = 0; i < parent->n; i++) {
    long j = ddr_ymap_index(child, parent->keys[i]);
    size_t old = path_push(m, parent->keys[i]);
    ddr_ynode *value = NULL;
    ddr_status st = DDR_OK;
    if (j < 0) {
      if (!(value = copy_tree(m, parent->items[i]))) st = merge_nomem(m);
      if (!st) add_key(r, parent, i, value);
    } else {
      st = merge_node(m, parent->items[i], child->items[j], &value);
      if (!st) add_key(r, child, (size_t)j, value);
    }
    path_pop(m, old);
    if (st) return st;
  }
  for (size_t j = 0; j < child->n; j++) {
    if (ddr_ymap_index(parent, child->keys[j]) >= 0) continue;
    size_t old = path_push(m, child->keys[j]);
    ddr_status st = check_no_remove(m, child->items[j]);
    path_pop(m, old);
    if (st) return st;
    add_key(r, child, j, child->items[j]);
  }
  *out = r;
  return DDR_OK;
}

/* An item of the list being merged by id. */
typedef struct yitem {
  const char *id;
  const ddr_ynode *parent; /* the parent's item, NULL for one the child adds */
  ddr_ynode *node;         /* the merged item once the child wrote it */
  const ddr_ynode *by;     /* the child's item that merged, added or removed it */
  int removed;
} yitem;

/* `remove: true` must be the whole item besides its id. */
static ddr_status check_remove_item(ymerge *m, const ddr_ynode *item, const ddr_ynode *rm) {
  if (rm->kind != DDR_Y_SCALAR || !rm->plain || strcmp(rm->scalar, "true") != 0) {
    char found[256];
    snprintf(found, sizeof found, rm->kind == DDR_Y_SCALAR ? "\"%.200s\"" : "a %s",
             rm->kind == DDR_Y_SCALAR ? rm->scalar
             : rm->kind == DDR_Y_MAP  ? "mapping"
                                      : "list");
    size_t old = path_push(m, "remove");
    ddr_status st = merge_fail(
        m, rm, "expected true (remove: true removes the parent's item), found %s", found);
    path_pop(m, old);
    return st;
  }
  for (size_t k = 0; k < item->n; k++) {
    if (!strcmp(item->keys[k], "id") || !strcmp(item->keys[k], "remove")) continue;
    const char *file;
    int line, column;
    ddr_ymap_key_pos(item, k, &file, &line, &column);
    path_push(m, item->keys[k]);
    return ddr_error_set(m->err, DDR_EINPUT, file, line, column, m->path,
                         "an item with remove: true has only an id besides; found key \"%s\"",
                         item->keys[k]);
  }
  return DDR_OK;
}

static ddr_status no_item_to_remove(ymerge *m, const ddr_ynode *at, const yitem *items, size_t n,
                                    const char *id, const char *list_path) {
  char ids[600];
  size_t len = 0;
  ids[0] = '\0';
  for (size_t i = 0; i < n; i++) {
    if (!items[i].parent || items[i].removed) continue;
    if (len + strlen(items[i].id) + 8 >= sizeof ids) {
      snprintf(ids + len, sizeof ids - len, "%s...", len ? ", " : "");
      break;
    }
    len += (size_t)snprintf(ids + len, sizeof ids - len, "%s%s", len ? ", " : "", items[i].id);
  }
  return merge_fail(m, at, "no item with id \"%s\" in the parent's %s to remove; %s%s", id,
                    list_path, ids[0] ? "its ids are: " : "it is empty", ids);
}

/* One item of the child's list: merge it into, remove or append to items. */
static ddr_status merge_item(ymerge *m, yitem *items, size_t *n, const ddr_ynode *c,
                             const char *list_path) {
  const ddr_ynode *idnode = ddr_ymap_get(c, "id");
  const char *id = idnode->scalar;
  const ddr_ynode *rm = ddr_ymap_get(c, "remove");
  ddr_status st;
  if (rm && (st = check_remove_item(m, c, rm))) return st;
  yitem *it = NULL;
  for (size_t i = 0; i < *n && !it; i++)
    if (!items[i].removed && strcmp(items[i].id, id) == 0) it = &items[i];
  if (it && it->by)
    return merge_fail(m, idnode, "id \"%s\" is written twice in this list (first at line %d)", id,
                      it->by->line);
  if (!it && rm) return no_item_to_remove(m, idnode, items, *n, id, list_path);
  if (rm) {
    it->removed = 1;
    it->by = c;
    return DDR_OK;
  }
  if (it) {
    it->by = c;
    return merge_node(m, it->parent, c, &it->node);
  }
  if ((st = check_no_remove(m, c))) return st;
  items[(*n)++] = (yitem){id, NULL, (ddr_ynode *)c, c, 0};
  return DDR_OK;
}

static ddr_status merge_lists(ymerge *m, const ddr_ynode *parent, const ddr_ynode *child,
                              ddr_ynode **out) {
  ddr_status st = DDR_OK;
  char list_path[DDR_ERROR_KEY_MAX];
  snprintf(list_path, sizeof list_path, "%s", m->len ? m->path : "list");
  yitem *items = calloc(parent->n + child->n, sizeof *items);
  if (!items) return merge_nomem(m);
  size_t n = 0;
  for (size_t i = 0; i < parent->n; i++)
    items[n++] =
        (yitem){.id = ddr_ymap_get(parent->items[i], "id")->scalar, .parent = parent->items[i]};
  for (size_t j = 0; j < child->n && !st; j++) {
    size_t old = path_push_item(m, child->items[j], j);
    st = merge_item(m, items, &n, child->items[j], list_path);
    path_pop(m, old);
  }
  ddr_ynode *r = st ? NULL : new_collection(m, child, n);
  if (!st && !r) st = merge_nomem(m);
  for (size_t i = 0; i < n && !st; i++) {
    if (items[i].removed) continue;
    ddr_ynode *node = items[i].by ? items[i].node : copy_tree(m, items[i].parent);
    if (!node) st = merge_nomem(m);
    r->items[r->n++] = node;
  }
  free(items);
  if (!st) *out = r;
  return st;
}

static ddr_status merge_node(ymerge *m, const ddr_ynode *parent, const ddr_ynode *child,
                             ddr_ynode **out) {
  if (parent->kind == DDR_Y_MAP && child->kind == DDR_Y_MAP)
    return merge_maps(m, parent, child, out);
  if (parent->kind == DDR_Y_SEQ && child->kind == DDR_Y_SEQ && child->n > 0 &&
      all_have_ids(child) && all_have_ids(parent))
    return merge_lists(m, parent, child, out);
  ddr_status st = check_no_remove(m, child);
  if (!st) *out = (ddr_ynode *)child;
  return st;
}

ddr_status ddr_ynode_merge(ddr_ydoc *doc, const ddr_ynode *parent, const ddr_ynode *child,
                           ddr_ynode **out, ddr_error *err) {
  ymerge m = {.arena = &doc->arena, .err = err};
  *out = NULL;
  return merge_node(&m, parent, child, out);
}

/* ---- the chain of parents ---- */

/* The files of the chain being loaded, the scenario first, to catch cycles
 * (by device and inode where the file exists, else by name). */
typedef struct ychain {
  const char *name[DDR_YAML_MAX_EXTENDS + 2];
  dev_t dev[DDR_YAML_MAX_EXTENDS + 2];
  ino_t ino[DDR_YAML_MAX_EXTENDS + 2];
  int have_id[DDR_YAML_MAX_EXTENDS + 2];
  size_t n;
} ychain;

static void chain_add(ychain *c, const char *name, const struct stat *sb) {
  c->name[c->n] = name;
  c->have_id[c->n] = sb != NULL;
  if (sb) {
    c->dev[c->n] = sb->st_dev;
    c->ino[c->n] = sb->st_ino;
  }
  c->n++;
}

static int chain_has(const ychain *c, const char *name, const struct stat *sb) {
  for (size_t i = 0; i < c->n; i++) {
    if (c->have_id[i] && c->dev[i] == sb->st_dev && c->ino[i] == sb->st_ino) return 1;
    if (strcmp(c->name[i], name) == 0) return 1;
  }
  return 0;
}

/* The parent's path: relative to the directory of the file naming it. */
static char *parent_path(const char *child, const char *value) {
  const char *slash = strrchr(child, '/');
  size_t dir = value[0] == '/' || !slash ? 0 : (size_t)(slash - child) + 1;
  size_t len = strlen(value);
  char *p = malloc(dir + len + 1);
  if (!p) return NULL;
  memcpy(p, child, dir);
  memcpy(p + dir, value, len + 1);
  return p;
}

/* An error inside a parent names the parent; say which file extends it. */
static void note_extended_by(ddr_error *err, const char *parent, const char *child) {
  if (!err || strcmp(err->file, parent) != 0) return;
  size_t n = strlen(err->msg);
  snprintf(err->msg + n, sizeof err->msg - n, " (in the parent of %s)", child);
}

/* The child's root without its `extends` key, as a view in the arena. */
static ddr_ynode *without_key(ddr_ydoc *doc, const ddr_ynode *map, size_t drop) {
  ymerge m = {.arena = &doc->arena};
  ddr_ynode *r = new_collection(&m, map, map->n);
  if (!r) return NULL;
  for (size_t i = 0; i < map->n; i++)
    if (i != drop) add_key(r, map, i, map->items[i]);
  return r;
}

static ddr_status extend(ddr_ydoc *doc, ychain *chain, ddr_error *err) {
  long at = ddr_ymap_index(doc->root, DDR_YAML_EXTENDS_KEY);
  if (at < 0) return DDR_OK;
  const ddr_ynode *v = doc->root->items[at];
  const char *key = DDR_YAML_EXTENDS_KEY;
  if (v->kind != DDR_Y_SCALAR || ddr_yscalar_is_null(v))
    return ddr_error_set(err, DDR_EINPUT, v->file, v->line, v->column, key,
                         "expected the path of the parent scenario file, found %s",
                         v->kind == DDR_Y_MAP   ? "a mapping"
                         : v->kind == DDR_Y_SEQ ? "a list"
                                                : "an empty value");
  if (chain->n > DDR_YAML_MAX_EXTENDS)
    return ddr_error_set(err, DDR_EINPUT, v->file, v->line, v->column, key,
                         "too many levels of extends: at most %d files may stand above %s",
                         DDR_YAML_MAX_EXTENDS, chain->name[0]);
  char *path = parent_path(doc->name, v->scalar);
  if (!path) return ddr_error_set(err, DDR_ENOMEM, doc->name, 0, 0, key, "out of memory");
  ddr_status st = DDR_OK;
  struct stat sb;
  if (stat(path, &sb) != 0) {
    st = ddr_error_set(err, DDR_EINPUT, v->file, v->line, v->column, key,
                       "cannot read the parent scenario %s: %s", path, strerror(errno));
    goto done;
  }
  /* A device or a pipe could be read forever (extends: /dev/zero, a FIFO). */
  if (!S_ISREG(sb.st_mode)) {
    st = ddr_error_set(err, DDR_EINPUT, v->file, v->line, v->column, key,
                       "expected the parent scenario %s to be a file, found %s", path,
                       S_ISDIR(sb.st_mode)    ? "a directory"
                       : S_ISFIFO(sb.st_mode) ? "a pipe"
                       : S_ISCHR(sb.st_mode)  ? "a character device"
                                              : "something else");
    goto done;
  }
  if (chain_has(chain, path, &sb)) {
    char cycle[DDR_ERROR_MSG_MAX / 2];
    size_t n = 0;
    for (size_t i = 0; i < chain->n && n < sizeof cycle; i++)
      n += (size_t)snprintf(cycle + n, sizeof cycle - n, "%s -> ", chain->name[i]);
    if (n < sizeof cycle) snprintf(cycle + n, sizeof cycle - n, "%s", path);
    st = ddr_error_set(err, DDR_EINPUT, v->file, v->line, v->column, key,
                       "the chain of extends is a cycle: %s", cycle);
    goto done;
  }
  if ((st = ddr_ydoc_load_file(path, &doc->parent, err))) {
    note_extended_by(err, path, doc->name);
    goto done;
  }
  chain_add(chain, doc->parent->name, &sb);
  if ((st = extend(doc->parent, chain, err))) goto done;
  ddr_ynode *own = without_key(doc, doc->root, (size_t)at), *merged = NULL;
  if (!own) {
    st = ddr_error_set(err, DDR_ENOMEM, doc->name, 0, 0, NULL, "out of memory");
    goto done;
  }
  if ((st = ddr_ynode_merge(doc, doc->parent->root, own, &merged, err))) goto done;
  doc->root = merged;
done:
  free(path);
  return st;
}

ddr_status ddr_ydoc_extend(ddr_ydoc *doc, ddr_error *err) {
  ychain chain = {0};
  struct stat sb;
  chain_add(&chain, doc->name, stat(doc->name, &sb) == 0 ? &sb : NULL);
  return extend(doc, &chain, err);
}

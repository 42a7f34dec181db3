/* A YAML document as a read-only tree with source positions.
 *
 * Read with libyaml's event API under our own limits (file size, nesting
 * depth, node count); anchors, aliases, tags and multiple documents are
 * refused, so a scenario means what it shows. Every node remembers the file,
 * line and column it came from, for error messages. The tree can be edited
 * by key path (`--set centres.gao.seats=400`, list items addressed by their
 * `id`) and written back out as YAML.
 *
 * A what-if file names its parent with a top-level `extends:` and gives only
 * what changes; ddr_ydoc_extend merges it over its chain of parents, and the
 * document keeps its parents alive, so every node of the merged tree still
 * names the file it was written in. ddr_ynode_diff lists what a tree changes
 * from another one. */
#ifndef DDRSIM_YAML_H
#define DDRSIM_YAML_H

#include <stddef.h>
#include "ddrsim/status.h"

#define DDR_YAML_MAX_BYTES (16u << 20) /* larger files are refused */
#define DDR_YAML_MAX_DEPTH 64
#define DDR_YAML_MAX_NODES 1000000

typedef enum { DDR_Y_SCALAR, DDR_Y_MAP, DDR_Y_SEQ } ddr_ykind;

typedef struct ddr_ynode ddr_ynode;

/* A node. Read-only for users of the tree. */
struct ddr_ynode {
  ddr_ykind kind;
  const char *file; /* source name shared by the whole document */
  int line, column; /* 1-based position of the node's value */
  char *scalar;     /* DDR_Y_SCALAR: the text (never NULL; "" for empty) */
  int plain;        /* DDR_Y_SCALAR: 1 if unquoted (so `null`, `~` mean null) */
  size_t n;         /* MAP: number of pairs; SEQ: number of items */
  char **keys;      /* MAP: keys[i] is the key of items[i] */
  int *key_line;    /* MAP: position of each key (0: not from a file, e.g. --set) */
  int *key_column;
  const char **key_file; /* MAP: file of each key; NULL when all are in file */
  ddr_ynode **items;     /* MAP values or SEQ items */
};

typedef struct ddr_ydoc ddr_ydoc;

/* Parse a file. Errors name the file, line and column. An empty document
 * is an error ("expected a mapping, found an empty file"). */
ddr_status ddr_ydoc_load_file(const char *path, ddr_ydoc **out, ddr_error *err);

/* Parse text held in memory; name is used in error messages. */
ddr_status ddr_ydoc_load_string(const char *name, const char *text, size_t len, ddr_ydoc **out,
                                ddr_error *err);

void ddr_ydoc_free(ddr_ydoc *doc);

const ddr_ynode *ddr_ydoc_root(const ddr_ydoc *doc);
ddr_ynode *ddr_ydoc_root_mut(ddr_ydoc *doc);

/* The verbatim source text and its length. */
const char *ddr_ydoc_text(const ddr_ydoc *doc);
size_t ddr_ydoc_text_len(const ddr_ydoc *doc);
const char *ddr_ydoc_name(const ddr_ydoc *doc);

/* Where the i-th key of a mapping was written, for errors about the key. A key
 * without a position of its own (added by --set) gives its value's. */
void ddr_ymap_key_pos(const ddr_ynode *map, size_t i, const char **file, int *line, int *column);

/* Value of key in a mapping, NULL if absent or map is not a mapping. */
const ddr_ynode *ddr_ymap_get(const ddr_ynode *map, const char *key);
/* Index of key in a mapping, -1 if absent. */
long ddr_ymap_index(const ddr_ynode *map, const char *key);

/* The item of a sequence of mappings whose `id` scalar equals id, or NULL. */
const ddr_ynode *ddr_yseq_find_id(const ddr_ynode *seq, const char *id);

/* Whether a scalar is YAML null (plain `null`, `Null`, `NULL`, `~` or empty). */
int ddr_yscalar_is_null(const ddr_ynode *node);

/* Set a value by key path (dots separate keys; inside a sequence of mappings
 * a path segment names an item by its `id`). value is YAML text parsed as a
 * document of its own (`400`, `{dist: uniform, min: 1, max: 2}`), with origin
 * naming where it came from in errors (e.g. "--set"). The last segment may be
 * a new key of an existing mapping; every earlier segment must exist. Errors
 * say which segment is missing and list what is there. The top-level
 * `extends` cannot be set: the parent is merged when the file is read. */
ddr_status ddr_ydoc_set(ddr_ydoc *doc, const char *keypath, const char *value, const char *origin,
                        ddr_error *err);

/* The tree as YAML text (block style, keys in their order, scalars quoted
 * when needed so the text parses back to the same tree). Caller frees *out. */
ddr_status ddr_ynode_emit(const ddr_ynode *node, char **out, ddr_error *err);

/* The tree as one line of flow-style YAML (`{dist: uniform, min: 1, max: 2}`,
 * `[a, b]`, a scalar quoted when needed, an empty value written `null`), for
 * messages and listings. Caller frees *out. */
ddr_status ddr_ynode_emit_flow(const ddr_ynode *node, char **out, ddr_error *err);

/* ---- What-if files: extends (yaml_merge.c) ---- */

#define DDR_YAML_EXTENDS_KEY "extends"
#define DDR_YAML_MAX_EXTENDS 8 /* files above a scenario in its chain of parents */

/* If the top level of doc has `extends: PATH`, load that parent (PATH is
 * relative to the directory of doc's file, unless absolute), extend it in
 * turn, and replace doc's tree by the merge of doc over its parent, without
 * the `extends` key. doc then owns its parent (ddr_ydoc_parent); the parent's
 * tree is its own resolved scenario and is not changed by later edits of
 * doc. Without `extends` nothing happens. A non-scalar or empty value, a
 * missing or unreadable parent, a cycle, a chain of more than
 * DDR_YAML_MAX_EXTENDS parents and a merge error (below) are reported at the
 * place they were written; an error inside a parent names the parent. */
ddr_status ddr_ydoc_extend(ddr_ydoc *doc, ddr_error *err);

/* The document doc extends (already merged with its own parents), or NULL. */
const ddr_ydoc *ddr_ydoc_parent(const ddr_ydoc *doc);

/* Merge child over parent, recursively, into *out:
 * - two mappings merge key by key: the parent's keys in its order, then the
 *   child's new keys in the child's order;
 * - a child list whose items all are mappings with an `id` scalar, over a
 *   parent list whose items all are too, merges item by item: an item with a
 *   parent's id merges into that item, an item with `remove: true` (and no
 *   other key than id) removes it, and an item with a new id is appended (so
 *   an item removed and then written again replaces the parent's entirely);
 *   removing an id the parent lacks, or naming an id twice, is an error;
 * - anything else (a scalar, another list, a value of another kind) replaces
 *   the parent's value wholesale.
 * `remove: true` anywhere else is an error. The merged collections are new
 * nodes in doc's arena; scalars and the file names of nodes are shared with
 * both trees, which must live as long as doc (a document owns its parents for
 * this reason), and neither tree is changed. Every node keeps the file, line
 * and column it was written at. */
ddr_status ddr_ynode_merge(ddr_ydoc *doc, const ddr_ynode *parent, const ddr_ynode *child,
                           ddr_ynode **out, ddr_error *err);

/* ---- Differences between trees (yaml_diff.c) ---- */

/* What `to` changes from `from`, one line per key path, in from's order then
 * to's new keys: `+ path: value` added, `- path` removed, `~ path: old -> new`
 * changed, values as one-line flow YAML. Mappings are compared key by key and
 * lists of mappings with distinct `id` scalars item by item (paths name items
 * by id, as in --set); any other list is compared whole. *out is "" when the
 * trees are the same. Caller frees *out. */
ddr_status ddr_ynode_diff(const ddr_ynode *from, const ddr_ynode *to, char **out, ddr_error *err);

#endif

/* A YAML document as a read-only tree with source positions.
 *
 * Read with libyaml's event API under our own limits (file size, nesting
 * depth, node count); anchors, aliases, tags and multiple documents are
 * refused, so a scenario means what it shows. Every node remembers the file,
 * line and column it came from, for error messages. The tree can be edited
 * by key path (`--set centres.gao.seats=400`, list items addressed by their
 * `id`) and written back out as YAML. */
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
  int *key_line;    /* MAP: position of each key */
  int *key_column;
  ddr_ynode **items; /* MAP values or SEQ items */
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
 * say which segment is missing and list what is there. */
ddr_status ddr_ydoc_set(ddr_ydoc *doc, const char *keypath, const char *value, const char *origin,
                        ddr_error *err);

/* The tree as YAML text (block style, keys in their order, scalars quoted
 * when needed so the text parses back to the same tree). Caller frees *out. */
ddr_status ddr_ynode_emit(const ddr_ynode *node, char **out, ddr_error *err);

#endif

/* Private parts of the YAML module, shared by yaml.c (reading), yaml_set.c
 * (lookups and editing by key path), yaml_emit.c (writing) and yaml_merge.c
 * (what-if files). */
#ifndef DDRSIM_YAML_IMPL_H
#define DDRSIM_YAML_IMPL_H

#include <stddef.h>
#include "ddrsim/yaml.h"

/* Every node, key and string of a document lives in one arena, so the whole
 * tree goes with a single ddr_ydoc_free and a replaced subtree never needs to
 * be freed on its own. */
typedef struct ddr_yarena_block ddr_yarena_block;
typedef struct ddr_yarena {
  ddr_yarena_block *head; /* newest block first */
} ddr_yarena;

/* Zeroed, suitably aligned memory owned by the arena; NULL when out of memory. */
void *ddr_yarena_alloc(ddr_yarena *a, size_t size);
/* Copy of n bytes of s plus a terminating NUL. */
char *ddr_yarena_strndup(ddr_yarena *a, const char *s, size_t n);
void ddr_yarena_free(ddr_yarena *a);

struct ddr_ydoc {
  char *name;       /* file name or label given to load_string */
  char *text;       /* verbatim source, NUL-terminated for convenience */
  size_t len;       /* bytes in text, without the terminator */
  ddr_ynode *root;  /* always a mapping */
  ddr_yarena arena; /* owns every node */
  ddr_ydoc *parent; /* owned: the document this one extends, or NULL */
};

/* Parse len bytes of text into nodes allocated from arena. name must outlive
 * the nodes (they point at it). With need_map the root must be a mapping, as
 * for a scenario file; without it any node is accepted and an empty text is an
 * empty plain scalar, as for a --set value. On failure err says where, and
 * whatever was allocated stays in the arena until it is freed. */
ddr_status ddr_yparse(ddr_yarena *arena, const char *name, const char *text, size_t len,
                      int need_map, ddr_ynode **root, ddr_error *err);

#endif

/* Reading YAML into a ddr_ynode tree with libyaml's event API, under our own
 * limits, and the document's lifetime. Lookups and editing are in
 * yaml_set.c, writing in yaml_emit.c. */
#include "yaml_impl.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

/* ---- arena ---- */

struct ddr_yarena_block {
  ddr_yarena_block *next;
  size_t used, cap;
  max_align_t data[]; /* cap bytes */
};

#define YARENA_BLOCK (64u << 10)
#define YARENA_ALIGN (_Alignof(max_align_t))

void *ddr_yarena_alloc(ddr_yarena *a, size_t size) {
  size = (size + YARENA_ALIGN - 1) / YARENA_ALIGN * YARENA_ALIGN;
  if (size == 0) size = YARENA_ALIGN;
  ddr_yarena_block *b = a->head;
  if (!b || b->cap - b->used < size) {
    size_t cap = size > YARENA_BLOCK ? size : YARENA_BLOCK;
    b = calloc(1, sizeof *b + cap);
    if (!b) return NULL;
    b->cap = cap;
    /* A block made for one large request goes behind the current one, so
     * the room left in the current block is not thrown away. */
    if (cap > YARENA_BLOCK && a->head) {
      b->next = a->head->next;
      a->head->next = b;
    } else {
      b->next = a->head;
      a->head = b;
    }
  }
  void *p = (char *)b->data + b->used;
  b->used += size;
  return p;
}

char *ddr_yarena_strndup(ddr_yarena *a, const char *s, size_t n) {
  char *p = ddr_yarena_alloc(a, n + 1);
  if (p && n) memcpy(p, s, n);
  return p; /* already zeroed, so terminated */
}

void ddr_yarena_free(ddr_yarena *a) {
  ddr_yarena_block *b = a->head;
  while (b) {
    ddr_yarena_block *next = b->next;
    free(b);
    b = next;
  }
  a->head = NULL;
}

/* ---- parser state ---- */

typedef struct ychild {
  char *key; /* NULL for sequence items */
  int line, column;
  ddr_ynode *node;
} ychild;

/* A collection whose children are still arriving. Children wait on a stack
 * shared by all open collections and are copied into exact-sized arrays when
 * the collection ends. */
typedef struct yframe {
  ddr_ynode *node;
  size_t first; /* index of its first child on the child stack */
  int have_key; /* mapping: a key was read, its value is next */
  char *key;    /* mapping: that key */
  int key_line, key_column;
  int key_end_line, key_end_column;
  const char *id; /* mapping: value of its `id` key, names it in key paths */
} yframe;

/* Keys seen so far, per mapping, to catch duplicates without quadratic scans. */
typedef struct yslot {
  const ddr_ynode *map; /* NULL: empty slot */
  const char *key;
  int line;
} yslot;

typedef struct yparse {
  ddr_yarena *arena;
  const char *name;
  const char *text;
  size_t len;
  int need_map;
  yframe frames[DDR_YAML_MAX_DEPTH];
  size_t depth;
  ychild *kids;
  size_t nkids, capkids;
  yslot *slots;
  size_t nslots, capslots; /* capslots is 0 or a power of two */
  size_t nodes;
  int ndocs;
  ddr_ynode *root;
  ddr_error *err;
} yparse;

/* ---- errors ---- */

static void path_append(char *buf, size_t size, size_t *n, const char *seg, int bracket) {
  if (*n >= size) return;
  const char *sep = (*n > 0 && !bracket) ? "." : "";
  int w = snprintf(buf + *n, size - *n, "%s%s", sep, seg);
  if (w > 0) *n += (size_t)w;
}

/* The key path of the place being read, such as nodes.training.centres.gao.seats:
 * list items are named by their id when it has been read, else by [index]. */
static void build_path(const yparse *p, const char *extra, char *buf, size_t size) {
  size_t n = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < p->depth; i++) {
    const yframe *f = &p->frames[i];
    if (f->node->kind == DDR_Y_MAP) {
      if (f->have_key) path_append(buf, size, &n, f->key, 0);
      continue;
    }
    const yframe *child = i + 1 < p->depth ? &p->frames[i + 1] : NULL;
    if (child && child->node->kind == DDR_Y_MAP && child->id) {
      path_append(buf, size, &n, child->id, 0);
    } else {
      size_t end = child ? child->first : p->nkids;
      char idx[32];
      snprintf(idx, sizeof idx, "[%zu]", end - f->first);
      path_append(buf, size, &n, idx, 1);
    }
  }
  if (extra) path_append(buf, size, &n, extra, 0);
}

/* Report an error at a 1-based position, naming the key path being read. */
__attribute__((format(printf, 6, 7))) static ddr_status
fail_at(yparse *p, ddr_status st, int line, int column, const char *extra, const char *fmt, ...) {
  char path[DDR_ERROR_KEY_MAX], msg[DDR_ERROR_MSG_MAX];
  build_path(p, extra, path, sizeof path);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return ddr_error_set(p->err, st, p->name, line, column, path, "%s", msg);
}

#define FAIL_MARK(p, mark, extra, ...)                                                             \
  fail_at((p), DDR_EINPUT, (int)(mark).line + 1, (int)(mark).column + 1, (extra), __VA_ARGS__)

static ddr_status out_of_memory(yparse *p) {
  return ddr_error_set(p->err, DDR_ENOMEM, p->name, 0, 0, NULL, "out of memory reading YAML");
}

/* Line and column (in characters) of a byte offset, for errors libyaml gives
 * only as an offset. */
static void offset_position(const char *text, size_t len, size_t off, int *line, int *column) {
  int l = 1, c = 1;
  for (size_t i = 0; i < off && i < len; i++) {
    unsigned char ch = (unsigned char)text[i];
    if (ch == '\n') {
      l++;
      c = 1;
    } else if ((ch & 0xC0) != 0x80) {
      c++;
    }
  }
  *line = l;
  *column = c;
}

static ddr_status parser_error(yparse *p, const yaml_parser_t *y) {
  int line, column;
  switch (y->error) {
  case YAML_MEMORY_ERROR:
    return out_of_memory(p);
  case YAML_READER_ERROR:
    offset_position(p->text, p->len, y->problem_offset, &line, &column);
    if (strstr(y->problem, "UTF-8"))
      return fail_at(p, DDR_EINPUT, line, column, NULL, "invalid UTF-8: %s (byte 0x%02X)",
                     y->problem, (unsigned)y->problem_value & 0xFFu);
    return fail_at(p, DDR_EINPUT, line, column, NULL, "invalid character: %s (#x%X)", y->problem,
                   (unsigned)y->problem_value);
  case YAML_SCANNER_ERROR:
  case YAML_PARSER_ERROR:
    line = (int)y->problem_mark.line + 1;
    column = (int)y->problem_mark.column + 1;
    if (y->context)
      return fail_at(p, DDR_EINPUT, line, column, NULL,
                     "YAML syntax error: %s (%s that started at line %d, column %d)", y->problem,
                     y->context, (int)y->context_mark.line + 1, (int)y->context_mark.column + 1);
    return fail_at(p, DDR_EINPUT, line, column, NULL, "YAML syntax error: %s",
                   y->problem ? y->problem : "unknown problem");
  default:
    return fail_at(p, DDR_EINTERNAL, 0, 0, NULL, "libyaml failed without saying why");
  }
}

/* ---- duplicate keys ---- */

static size_t slot_hash(const ddr_ynode *map, const char *key) {
  uint64_t h = 1469598103934665603u ^ (uint64_t)(uintptr_t)map;
  for (const unsigned char *s = (const unsigned char *)key; *s; s++) h = (h ^ *s) * 1099511628211u;
  return (size_t)(h ^ (h >> 29));
}

static int slots_grow(yparse *p) {
  size_t cap = p->capslots ? p->capslots * 2 : 256;
  yslot *s = calloc(cap, sizeof *s);
  if (!s) return 0;
  for (size_t i = 0; i < p->capslots; i++) {
    if (!p->slots[i].map) continue;
    size_t j = slot_hash(p->slots[i].map, p->slots[i].key) & (cap - 1);
    while (s[j].map) j = (j + 1) & (cap - 1);
    s[j] = p->slots[i];
  }
  free(p->slots);
  p->slots = s;
  p->capslots = cap;
  return 1;
}

/* Record key of map. Returns the slot of an earlier equal key, or NULL when
 * the key is new; *oom is set when memory ran out. */
static const yslot *slots_insert(yparse *p, const ddr_ynode *map, const char *key, int line,
                                 int *oom) {
  *oom = 0;
  if (2 * (p->nslots + 1) > p->capslots && !slots_grow(p)) {
    *oom = 1;
    return NULL;
  }
  size_t j = slot_hash(map, key) & (p->capslots - 1);
  while (p->slots[j].map) {
    if (p->slots[j].map == map && strcmp(p->slots[j].key, key) == 0) return &p->slots[j];
    j = (j + 1) & (p->capslots - 1);
  }
  p->slots[j] = (yslot){map, key, line};
  p->nslots++;
  return NULL;
}

/* ---- events ---- */

static const char *kind_name(ddr_ykind kind) {
  return kind == DDR_Y_MAP ? "mapping" : kind == DDR_Y_SEQ ? "sequence" : "scalar";
}

static yframe *top_frame(yparse *p) {
  return p->depth ? &p->frames[p->depth - 1] : NULL;
}

/* Checks shared by every node: what we refuse, the node limit, and the kind
 * of the root. empty tells an empty plain scalar, which is what an empty
 * document reads as. */
static ddr_status check_node(yparse *p, const yaml_event_t *ev, const yaml_char_t *anchor,
                             const yaml_char_t *tag, ddr_ykind kind, int empty) {
  if (anchor)
    return FAIL_MARK(p, ev->start_mark, NULL,
                     "anchors and aliases are not supported (found anchor &%s)", anchor);
  if (tag)
    return FAIL_MARK(p, ev->start_mark, NULL,
                     "explicit tags are not supported (found tag %s); write the value plainly",
                     tag);
  if (++p->nodes > DDR_YAML_MAX_NODES)
    return FAIL_MARK(p, ev->start_mark, NULL, "too many nodes: more than the limit of %d",
                     DDR_YAML_MAX_NODES);
  if (p->need_map && p->depth == 0 && kind != DDR_Y_MAP) {
    if (empty)
      return ddr_error_set(p->err, DDR_EINPUT, p->name, 0, 0, NULL,
                           "expected a mapping, found an empty file");
    return FAIL_MARK(p, ev->start_mark, NULL,
                     "expected a mapping at the top of the file, found a %s", kind_name(kind));
  }
  return DDR_OK;
}

/* Hand a finished node to the collection that holds it, or make it the root. */
static ddr_status attach(yparse *p, ddr_ynode *node) {
  yframe *f = top_frame(p);
  if (!f) {
    p->root = node;
    return DDR_OK;
  }
  if (p->nkids == p->capkids) {
    size_t cap = p->capkids ? 2 * p->capkids : 64;
    ychild *k = realloc(p->kids, cap * sizeof *k);
    if (!k) return out_of_memory(p);
    p->kids = k;
    p->capkids = cap;
  }
  ychild *c = &p->kids[p->nkids++];
  *c = (ychild){NULL, 0, 0, node};
  if (f->node->kind == DDR_Y_MAP) {
    c->key = f->key;
    c->line = f->key_line;
    c->column = f->key_column;
    if (node->kind == DDR_Y_SCALAR && strcmp(f->key, "id") == 0) f->id = node->scalar;
    f->have_key = 0;
  }
  return DDR_OK;
}

static ddr_ynode *new_node(yparse *p, ddr_ykind kind, yaml_mark_t mark) {
  ddr_ynode *n = ddr_yarena_alloc(p->arena, sizeof *n);
  if (!n) return NULL;
  n->kind = kind;
  n->file = p->name;
  n->line = (int)mark.line + 1;
  n->column = (int)mark.column + 1;
  return n;
}

static ddr_status on_key(yparse *p, yframe *f, const yaml_event_t *ev) {
  const char *text = (const char *)ev->data.scalar.value;
  char *key = ddr_yarena_strndup(p->arena, text, ev->data.scalar.length);
  if (!key) return out_of_memory(p);
  int line = (int)ev->start_mark.line + 1, oom;
  const yslot *dup = slots_insert(p, f->node, key, line, &oom);
  if (oom) return out_of_memory(p);
  if (dup)
    return FAIL_MARK(p, ev->start_mark, key, "duplicate key \"%s\" (first at line %d)", key,
                     dup->line);
  f->key = key;
  f->key_line = line;
  f->key_column = (int)ev->start_mark.column + 1;
  f->key_end_line = (int)ev->end_mark.line + 1;
  f->key_end_column = (int)ev->end_mark.column + 1;
  f->have_key = 1;
  return DDR_OK;
}

static ddr_status on_scalar(yparse *p, const yaml_event_t *ev) {
  const char *text = (const char *)ev->data.scalar.value;
  size_t len = ev->data.scalar.length;
  int plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
  ddr_status st = check_node(p, ev, ev->data.scalar.anchor, ev->data.scalar.tag, DDR_Y_SCALAR,
                             plain && len == 0);
  if (st != DDR_OK) return st;
  /* Our strings are C strings; a "\0" escape would silently cut one short. */
  if (memchr(text, '\0', len))
    return FAIL_MARK(p, ev->start_mark, NULL, "a string contains a NUL character (\\0)");
  yframe *f = top_frame(p);
  if (f && f->node->kind == DDR_Y_MAP && !f->have_key) return on_key(p, f, ev);

  ddr_ynode *n = new_node(p, DDR_Y_SCALAR, ev->start_mark);
  if (!n || !(n->scalar = ddr_yarena_strndup(p->arena, text, len))) return out_of_memory(p);
  n->plain = plain;
  /* libyaml places a missing value at the next token, often the next line;
   * pointing just after its key's colon is what a reader expects. */
  if (plain && len == 0 && f && f->node->kind == DDR_Y_MAP) {
    n->line = f->key_end_line;
    n->column = f->key_end_column + 1;
  }
  return attach(p, n);
}

static ddr_status on_start(yparse *p, const yaml_event_t *ev, ddr_ykind kind,
                           const yaml_char_t *anchor, const yaml_char_t *tag) {
  ddr_status st = check_node(p, ev, anchor, tag, kind, 0);
  if (st != DDR_OK) return st;
  yframe *f = top_frame(p);
  if (f && f->node->kind == DDR_Y_MAP && !f->have_key)
    return FAIL_MARK(p, ev->start_mark, NULL, "a key must be a scalar, found a %s",
                     kind_name(kind));
  if (p->depth >= DDR_YAML_MAX_DEPTH)
    return FAIL_MARK(p, ev->start_mark, NULL, "nesting deeper than %d levels", DDR_YAML_MAX_DEPTH);
  ddr_ynode *n = new_node(p, kind, ev->start_mark);
  if (!n) return out_of_memory(p);
  p->frames[p->depth++] = (yframe){.node = n, .first = p->nkids};
  return DDR_OK;
}

/* A collection is complete: move its children off the stack into the node. */
static ddr_status on_end(yparse *p) {
  yframe *f = &p->frames[--p->depth];
  ddr_ynode *node = f->node;
  size_t n = p->nkids - f->first;
  node->n = n;
  if (n > 0) {
    const ychild *kids = p->kids + f->first; /* kids is NULL until a first child */
    node->items = ddr_yarena_alloc(p->arena, n * sizeof *node->items);
    if (!node->items) return out_of_memory(p);
    if (node->kind == DDR_Y_MAP) {
      node->keys = ddr_yarena_alloc(p->arena, n * sizeof *node->keys);
      node->key_line = ddr_yarena_alloc(p->arena, n * sizeof *node->key_line);
      node->key_column = ddr_yarena_alloc(p->arena, n * sizeof *node->key_column);
      if (!node->keys || !node->key_line || !node->key_column) return out_of_memory(p);
    }
    for (size_t i = 0; i < n; i++) {
      node->items[i] = kids[i].node;
      if (node->kind != DDR_Y_MAP) continue;
      node->keys[i] = kids[i].key;
      node->key_line[i] = kids[i].line;
      node->key_column[i] = kids[i].column;
    }
  }
  p->nkids = f->first;
  return attach(p, node);
}

static ddr_status on_event(yparse *p, const yaml_event_t *ev) {
  switch (ev->type) {
  case YAML_DOCUMENT_START_EVENT:
    if (p->ndocs++ > 0)
      return FAIL_MARK(p, ev->start_mark, NULL,
                       "more than one document (a second one starts here); "
                       "a scenario is a single document");
    return DDR_OK;
  case YAML_ALIAS_EVENT:
    return FAIL_MARK(p, ev->start_mark, NULL,
                     "anchors and aliases are not supported (found alias *%s)",
                     ev->data.alias.anchor);
  case YAML_SCALAR_EVENT:
    return on_scalar(p, ev);
  case YAML_SEQUENCE_START_EVENT:
    return on_start(p, ev, DDR_Y_SEQ, ev->data.sequence_start.anchor, ev->data.sequence_start.tag);
  case YAML_MAPPING_START_EVENT:
    return on_start(p, ev, DDR_Y_MAP, ev->data.mapping_start.anchor, ev->data.mapping_start.tag);
  case YAML_SEQUENCE_END_EVENT:
  case YAML_MAPPING_END_EVENT:
    return on_end(p);
  default:
    return DDR_OK;
  }
}

/* Files people pass for a scenario by mistake, told by their first bytes. */
static const char *binary_kind(const char *text, size_t len) {
  static const struct {
    const char *magic;
    size_t len;
    const char *what;
  } kinds[] = {
      {"\x89HDF\r\n\x1a\n", 8,
       "an HDF5 file (result files are read by ddrsim summary, plot, report and export)"},
      {"\x89PNG\r\n\x1a\n", 8, "a PNG image"},
      {"%PDF-", 5, "a PDF document"},
      {"\x1f\x8b", 2, "a gzip-compressed file"},
      {"PK\x03\x04", 4, "a ZIP archive (or a spreadsheet)"},
      {"\x7f"
       "ELF",
       4, "an executable (ELF)"},
  };
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
    if (len >= kinds[i].len && memcmp(text, kinds[i].magic, kinds[i].len) == 0)
      return kinds[i].what;
  return NULL;
}

ddr_status ddr_yparse(ddr_yarena *arena, const char *name, const char *text, size_t len,
                      int need_map, ddr_ynode **root, ddr_error *err) {
  yparse p = {
      .arena = arena, .name = name, .text = text, .len = len, .need_map = need_map, .err = err};
  ddr_status st = DDR_OK;
  yaml_parser_t parser;
  int have_parser = 0;

  if (len > DDR_YAML_MAX_BYTES) {
    st = ddr_error_set(err, DDR_EINPUT, name, 0, 0, NULL,
                       "too large: %zu bytes, more than the limit of %u bytes", len,
                       (unsigned)DDR_YAML_MAX_BYTES);
    goto done;
  }
  /* libyaml would decode UTF-16 after such a mark; scenarios are UTF-8. */
  if (len >= 2 && ((unsigned char)text[0] == 0xFE || (unsigned char)text[0] == 0xFF) &&
      ((unsigned char)text[1] ^ (unsigned char)text[0]) == 0x01) {
    st = ddr_error_set(err, DDR_EINPUT, name, 1, 1, NULL,
                       "expected UTF-8 text, found a UTF-16 byte order mark");
    goto done;
  }
  const char *kind = need_map ? binary_kind(text, len) : NULL;
  if (kind) {
    st = ddr_error_set(err, DDR_EINPUT, name, 1, 1, NULL, "expected a YAML scenario, found %s",
                       kind);
    goto done;
  }
  const char *nul = memchr(text, '\0', len);
  if (nul) {
    int line, column;
    offset_position(text, len, (size_t)(nul - text), &line, &column);
    st = ddr_error_set(err, DDR_EINPUT, name, line, column, NULL,
                       "binary file: contains a NUL byte, expected YAML text");
    goto done;
  }
  if (!yaml_parser_initialize(&parser)) {
    st = out_of_memory(&p);
    goto done;
  }
  have_parser = 1;
  yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
  for (;;) {
    yaml_event_t ev;
    if (!yaml_parser_parse(&parser, &ev)) {
      st = parser_error(&p, &parser);
      goto done;
    }
    yaml_event_type_t type = ev.type;
    st = on_event(&p, &ev);
    yaml_event_delete(&ev);
    if (st != DDR_OK) goto done;
    if (type == YAML_STREAM_END_EVENT) break;
  }
  if (!p.root) {
    /* A stream with no document at all: nothing but comments or blanks. */
    if (need_map) {
      st = ddr_error_set(err, DDR_EINPUT, name, 0, 0, NULL,
                         "expected a mapping, found an empty file");
      goto done;
    }
    yaml_mark_t start = {0, 0, 0};
    p.root = new_node(&p, DDR_Y_SCALAR, start);
    if (!p.root || !(p.root->scalar = ddr_yarena_strndup(arena, "", 0))) {
      st = out_of_memory(&p);
      goto done;
    }
    p.root->plain = 1;
  }
  *root = p.root;

done:
  if (have_parser) yaml_parser_delete(&parser);
  free(p.kids);
  free(p.slots);
  return st;
}

/* ---- documents ---- */

/* Takes ownership of text (len bytes plus a terminator), which becomes the
 * document's verbatim copy. */
static ddr_status load_owned(const char *name, char *text, size_t len, ddr_ydoc **out,
                             ddr_error *err) {
  ddr_status st = DDR_OK;
  ddr_ydoc *doc = calloc(1, sizeof *doc);
  char *name_copy = strdup(name ? name : "<string>");
  if (!doc || !name_copy) {
    st = ddr_error_set(err, DDR_ENOMEM, name, 0, 0, NULL, "out of memory reading YAML");
    goto fail;
  }
  doc->name = name_copy;
  doc->text = text;
  doc->len = len;
  name_copy = NULL;
  text = NULL;
  st = ddr_yparse(&doc->arena, doc->name, doc->text, doc->len, 1, &doc->root, err);
  if (st != DDR_OK) goto fail;
  *out = doc;
  return DDR_OK;

fail:
  ddr_ydoc_free(doc);
  free(name_copy);
  free(text);
  *out = NULL;
  return st;
}

ddr_status ddr_ydoc_load_string(const char *name, const char *text, size_t len, ddr_ydoc **out,
                                ddr_error *err) {
  *out = NULL;
  if (len > DDR_YAML_MAX_BYTES)
    return ddr_error_set(err, DDR_EINPUT, name, 0, 0, NULL,
                         "too large: %zu bytes, more than the limit of %u bytes", len,
                         (unsigned)DDR_YAML_MAX_BYTES);
  char *copy = malloc(len + 1);
  if (!copy) return ddr_error_set(err, DDR_ENOMEM, name, 0, 0, NULL, "out of memory reading YAML");
  if (len) memcpy(copy, text, len);
  copy[len] = '\0';
  return load_owned(name, copy, len, out, err);
}

/* Read a whole file, refusing directories and anything over the size limit
 * before reading it all (a stream without a known size is cut at the limit). */
static ddr_status read_file(const char *path, char **text, size_t *len, ddr_error *err) {
  ddr_status st = DDR_OK;
  char *buf = NULL;
  size_t n = 0, cap = 0;
  FILE *fp = fopen(path, "rb");
  if (!fp) return ddr_error_set(err, DDR_EIO, path, 0, 0, NULL, "cannot open: %s", strerror(errno));
  struct stat sb;
  if (fstat(fileno(fp), &sb) == 0) {
    if (S_ISDIR(sb.st_mode)) {
      st = ddr_error_set(err, DDR_EIO, path, 0, 0, NULL, "cannot read: %s", strerror(EISDIR));
      goto done;
    }
    if (S_ISREG(sb.st_mode) && (uintmax_t)sb.st_size > DDR_YAML_MAX_BYTES) {
      st = ddr_error_set(err, DDR_EINPUT, path, 0, 0, NULL,
                         "file too large: %jd bytes, more than the limit of %u bytes",
                         (intmax_t)sb.st_size, (unsigned)DDR_YAML_MAX_BYTES);
      goto done;
    }
  }
  for (;;) {
    if (cap - n < 4096) {
      cap = cap ? 2 * cap : 64 * 1024;
      char *b = realloc(buf, cap + 1);
      if (!b) {
        st = ddr_error_set(err, DDR_ENOMEM, path, 0, 0, NULL, "out of memory reading the file");
        goto done;
      }
      buf = b;
    }
    size_t got = fread(buf + n, 1, cap - n, fp);
    n += got;
    if (n > DDR_YAML_MAX_BYTES) {
      st = ddr_error_set(err, DDR_EINPUT, path, 0, 0, NULL,
                         "file too large: more than the limit of %u bytes",
                         (unsigned)DDR_YAML_MAX_BYTES);
      goto done;
    }
    if (got == 0) break;
  }
  if (ferror(fp)) {
    st = ddr_error_set(err, DDR_EIO, path, 0, 0, NULL, "cannot read: %s", strerror(errno));
    goto done;
  }
  buf[n] = '\0';
  *text = buf;
  *len = n;
  buf = NULL;

done:
  free(buf);
  fclose(fp);
  return st;
}

ddr_status ddr_ydoc_load_file(const char *path, ddr_ydoc **out, ddr_error *err) {
  char *text = NULL;
  size_t len = 0;
  *out = NULL;
  ddr_status st = read_file(path, &text, &len, err);
  if (st != DDR_OK) return st;
  return load_owned(path, text, len, out, err);
}

/* A document goes with the chain of parents it owns (iteratively: a chain is
 * short, but nothing is gained by recursion). */
void ddr_ydoc_free(ddr_ydoc *doc) {
  while (doc) {
    ddr_ydoc *parent = doc->parent;
    ddr_yarena_free(&doc->arena);
    free(doc->name);
    free(doc->text);
    free(doc);
    doc = parent;
  }
}

const ddr_ynode *ddr_ydoc_root(const ddr_ydoc *doc) {
  return doc->root;
}
ddr_ynode *ddr_ydoc_root_mut(ddr_ydoc *doc) {
  return doc->root;
}
const char *ddr_ydoc_text(const ddr_ydoc *doc) {
  return doc->text;
}
size_t ddr_ydoc_text_len(const ddr_ydoc *doc) {
  return doc->len;
}
const char *ddr_ydoc_name(const ddr_ydoc *doc) {
  return doc->name;
}
const ddr_ydoc *ddr_ydoc_parent(const ddr_ydoc *doc) {
  return doc->parent;
}

/* Writing a ddr_ynode tree as block-style YAML that reads back as the same
 * tree: used to store the effective scenario (after --set) with results; and
 * as one line of flow-style YAML for listings such as validate --explain. */
#include "ddrsim/yaml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libyaml refuses implicit keys longer than 1024 characters; longer keys are
 * written in the explicit `? key` form. */
#define YEMIT_MAX_SIMPLE_KEY 1000

typedef struct ybuf {
  char *s;
  size_t n, cap;
  int oom; /* set once an allocation failed; later writes are dropped */
} ybuf;

static void put(ybuf *b, const char *s, size_t n) {
  if (b->oom) return;
  if (b->cap - b->n <= n) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->n <= n) cap *= 2;
    char *p = realloc(b->s, cap);
    if (!p) {
      b->oom = 1;
      return;
    }
    b->s = p;
    b->cap = cap;
  }
  memcpy(b->s + b->n, s, n);
  b->n += n;
  b->s[b->n] = '\0';
}

static void puts_(ybuf *b, const char *s) {
  put(b, s, strlen(s));
}

static void indent(ybuf *b, int n) {
  static const char spaces[] = "                                ";
  for (; n > 0; n -= 32) put(b, spaces, n < 32 ? (size_t)n : 32);
}

/* Decode one UTF-8 sequence at s; returns its length (1 for a stray byte). */
static size_t utf8_decode(const unsigned char *s, unsigned *cp) {
  if (s[0] < 0x80) return *cp = s[0], 1;
  size_t len = (s[0] & 0xE0) == 0xC0   ? 2
               : (s[0] & 0xF0) == 0xE0 ? 3
               : (s[0] & 0xF8) == 0xF0 ? 4
                                       : 1;
  unsigned c = len == 2 ? s[0] & 0x1Fu : len == 3 ? s[0] & 0x0Fu : s[0] & 0x07u;
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80) return *cp = s[0], 1;
    c = (c << 6) | (s[i] & 0x3Fu);
  }
  *cp = len == 1 ? s[0] : c;
  return len;
}

/* Characters that YAML reads as line breaks or refuses to see raw, which
 * must therefore be escaped and never appear in a plain scalar. */
static int needs_escape(unsigned cp) {
  return (cp < 0x20 && cp != '\t') || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 ||
         cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF;
}

/* Whether s, written without quotes in block context, reads back as exactly
 * s. Whether it then means a string, number or null is the reader's business:
 * only scalars that were plain in the source are written plain. */
static int plain_safe(const char *s) {
  size_t n = strlen(s);
  if (n == 0) return 0;
  if (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t') return 0;
  if (strchr("?:-,[]{}#&*!|>'\"%@`", s[0])) {
    /* -, ? and : start a plain scalar when followed by a non-blank. */
    if (!strchr("-?:", s[0]) || s[1] == '\0' || s[1] == ' ' || s[1] == '\t') return 0;
  }
  if (!strncmp(s, "---", 3) || !strncmp(s, "...", 3)) return 0;
  if (s[n - 1] == ':') return 0;
  for (size_t i = 0; i < n;) {
    unsigned cp;
    size_t len = utf8_decode((const unsigned char *)s + i, &cp);
    if (needs_escape(cp)) return 0;
    if (cp == ':' && (s[i + 1] == ' ' || s[i + 1] == '\t')) return 0;
    if (cp == '#' && i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\t')) return 0;
    i += len;
  }
  return 1;
}

static void put_quoted(ybuf *b, const char *s) {
  put(b, "\"", 1);
  for (size_t i = 0; s[i];) {
    unsigned cp;
    size_t len = utf8_decode((const unsigned char *)s + i, &cp);
    char esc[16] = "";
    if (cp == '"')
      strcpy(esc, "\\\"");
    else if (cp == '\\')
      strcpy(esc, "\\\\");
    else if (cp == '\n')
      strcpy(esc, "\\n");
    else if (cp == '\t')
      strcpy(esc, "\\t");
    else if (cp == '\r')
      strcpy(esc, "\\r");
    else if (needs_escape(cp))
      snprintf(esc, sizeof esc, cp <= 0xFF ? "\\x%02X" : "\\u%04X", cp);
    if (esc[0])
      put(b, esc, strlen(esc));
    else
      put(b, s + i, len);
    i += len;
  }
  put(b, "\"", 1);
}

static void put_scalar(ybuf *b, const ddr_ynode *node) {
  /* An empty plain scalar (null) is written as nothing at all. */
  if (node->plain && !node->scalar[0]) return;
  if (node->plain && plain_safe(node->scalar))
    puts_(b, node->scalar);
  else
    put_quoted(b, node->scalar);
}

static int is_empty_collection(const ddr_ynode *node) {
  return node->kind != DDR_Y_SCALAR && node->n == 0;
}

/* Write what follows a key's colon or a sequence's dash: a scalar or empty
 * the separator between indicator and inline value. */
static void put_block(ybuf *b, const ddr_ynode *node, int level, int inline_first);

static void put_value(ybuf *b, const ddr_ynode *node, int level) {
  if (node->kind == DDR_Y_SCALAR) {
    if (node->plain && !node->scalar[0]) {
      put(b, "\n", 1);
      return;
    }
    put(b, " ", 1);
    put_scalar(b, node);
    put(b, "\n", 1);
  } else if (is_empty_collection(node)) {
    puts_(b, node->kind == DDR_Y_MAP ? " {}\n" : " []\n");
  } else {
    put(b, "\n", 1);
    put_block(b, node, level + 1, 0);
  }
}

static void put_key(ybuf *b, const char *key, int level) {
  ybuf k = {0};
  if (plain_safe(key))
    puts_(&k, key);
  else
    put_quoted(&k, key);
  if (k.oom)
    b->oom = 1;
  else if (k.n > YEMIT_MAX_SIMPLE_KEY) {
    puts_(b, "? ");
    put(b, k.s, k.n);
    put(b, "\n", 1);
    indent(b, 2 * level);
  } else {
    put(b, k.s, k.n);
  }
  put(b, ":", 1);
  free(k.s);
}

/* A non-empty collection at the given nesting level. With inline_first the
 * first line continues after a "- " already written. */
static void put_block(ybuf *b, const ddr_ynode *node, int level, int inline_first) {
  for (size_t i = 0; i < node->n; i++) {
    if (i > 0 || !inline_first) indent(b, 2 * level);
    const ddr_ynode *item = node->items[i];
    if (node->kind == DDR_Y_MAP) {
      put_key(b, node->keys[i], level);
      put_value(b, item, level);
      continue;
    }
    if (item->kind == DDR_Y_SCALAR) {
      put(b, "-", 1);
      put_value(b, item, level);
    } else if (is_empty_collection(item)) {
      puts_(b, item->kind == DDR_Y_MAP ? "- {}\n" : "- []\n");
    } else {
      put(b, "- ", 2);
      put_block(b, item, level + 1, 1);
    }
  }
}

ddr_status ddr_ynode_emit(const ddr_ynode *node, char **out, ddr_error *err) {
  ybuf b = {0};
  *out = NULL;
  if (!node) return ddr_error_set(err, DDR_EINTERNAL, NULL, 0, 0, NULL, "no node to write");
  if (node->kind == DDR_Y_SCALAR) {
    put_scalar(&b, node);
    put(&b, "\n", 1);
  } else if (is_empty_collection(node)) {
    puts_(&b, node->kind == DDR_Y_MAP ? "{}\n" : "[]\n");
  } else {
    put_block(&b, node, 0, 0);
  }
  if (b.oom) {
    free(b.s);
    return ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory writing YAML");
  }
  *out = b.s;
  return DDR_OK;
}

/* ---- one line, flow style ---- */

/* Inside a flow collection a plain scalar must also avoid the flow
 * indicators. */
static void put_flow_scalar(ybuf *b, const ddr_ynode *node) {
  if (node->plain && !node->scalar[0])
    puts_(b, "null");
  else if (node->plain && plain_safe(node->scalar) && !strpbrk(node->scalar, ",[]{}"))
    puts_(b, node->scalar);
  else
    put_quoted(b, node->scalar);
}

static void put_flow(ybuf *b, const ddr_ynode *node) {
  if (node->kind == DDR_Y_SCALAR) {
    put_flow_scalar(b, node);
    return;
  }
  put(b, node->kind == DDR_Y_MAP ? "{" : "[", 1);
  for (size_t i = 0; i < node->n; i++) {
    if (i) put(b, ", ", 2);
    if (node->kind == DDR_Y_MAP) {
      ddr_ynode key = {.kind = DDR_Y_SCALAR, .scalar = node->keys[i], .plain = !!node->keys[i][0]};
      put_flow_scalar(b, &key);
      put(b, ": ", 2);
    }
    put_flow(b, node->items[i]);
  }
  put(b, node->kind == DDR_Y_MAP ? "}" : "]", 1);
}

ddr_status ddr_ynode_emit_flow(const ddr_ynode *node, char **out, ddr_error *err) {
  ybuf b = {0};
  *out = NULL;
  if (!node) return ddr_error_set(err, DDR_EINTERNAL, NULL, 0, 0, NULL, "no node to write");
  put_flow(&b, node);
  put(&b, "", 0);
  if (b.oom || !b.s) {
    free(b.s);
    return ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory writing YAML");
  }
  *out = b.s;
  return DDR_OK;
}

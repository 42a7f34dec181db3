/* Typed reading of scenario keys with full error context: every error names
 * the file, line, column and key path, says what was expected and quotes what
 * was found. */
#include "ddrsim/scenario.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void ddr_path_join(char *buf, const char *path, const char *key) {
  if (path && path[0])
    snprintf(buf, DDR_PATH_MAX, "%s.%s", path, key);
  else
    snprintf(buf, DDR_PATH_MAX, "%s", key);
}

void ddr_path_index(char *buf, const char *path, size_t i) {
  ddr_path_format(buf, "%s[%zu]", path, i);
}

void ddr_path_format(char *buf, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, DDR_PATH_MAX, fmt, ap);
  va_end(ap);
}

ddr_status ddr_read_error(ddr_error *err, const ddr_ynode *node, const char *path, const char *fmt,
                          ...) {
  if (!err) return DDR_EINPUT;
  char msg[DDR_ERROR_MSG_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return ddr_error_set(err, DDR_EINPUT, node ? node->file : NULL, node ? node->line : 0,
                       node ? node->column : 0, path, "%s", msg);
}

/* How a node is described in "found ..." parts of messages. */
static const char *found_text(const ddr_ynode *n, char *buf, size_t size) {
  if (!n) return "nothing";
  switch (n->kind) {
  case DDR_Y_MAP:
    return "a mapping";
  case DDR_Y_SEQ:
    return "a list";
  case DDR_Y_SCALAR:
    if (ddr_yscalar_is_null(n)) return "an empty value";
    snprintf(buf, size, "\"%.200s\"", n->scalar);
    return buf;
  }
  return "?";
}

static size_t edit_distance(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  if (la > 64 || lb > 64) return (size_t)-1;
  size_t row[65];
  for (size_t j = 0; j <= lb; j++) row[j] = j;
  for (size_t i = 1; i <= la; i++) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= lb; j++) {
      size_t up = row[j];
      size_t cost = diag + (tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]));
      size_t best = up + 1 < row[j - 1] + 1 ? up + 1 : row[j - 1] + 1;
      row[j] = cost < best ? cost : best;
      diag = up;
    }
  }
  return row[lb];
}

ddr_status ddr_read_keys(const ddr_ynode *map, const char *path, const ddr_keydoc *table,
                         ddr_error *err) {
  char buf[256];
  if (!map || map->kind != DDR_Y_MAP)
    return ddr_read_error(err, map, path, "expected a mapping of keys, found %s",
                          found_text(map, buf, sizeof buf));
  for (size_t i = 0; i < map->n; i++) {
    const char *k = map->keys[i];
    size_t best = (size_t)-1;
    const char *near = NULL;
    int ok = 0;
    for (const ddr_keydoc *t = table; t->key; t++) {
      if (strcmp(t->key, k) == 0) {
        ok = 1;
        break;
      }
      size_t d = edit_distance(k, t->key);
      if (d < best) best = d, near = t->key;
    }
    if (ok) continue;
    char sub[DDR_PATH_MAX];
    ddr_path_join(sub, path, k);
    const char *file;
    int line, col;
    ddr_ymap_key_pos(map, i, &file, &line, &col);
    size_t limit = strlen(k) <= 4 ? 1 : strlen(k) / 3 + 1;
    if (near && best <= limit)
      return ddr_error_set(err, DDR_EINPUT, file, line, col, sub,
                           "unknown key \"%s\"; did you mean \"%s\"?", k, near);
    char list[600];
    size_t n = 0;
    list[0] = '\0';
    for (const ddr_keydoc *t = table; t->key && n < sizeof list - 64; t++)
      n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", n ? ", " : "", t->key);
    return ddr_error_set(err, DDR_EINPUT, file, line, col, sub,
                         "unknown key \"%s\"; valid keys here are: %s", k, list);
  }
  return DDR_OK;
}

/* Look up key in map; reports a missing required key at the mapping. */
static ddr_status get_value(const ddr_ynode *map, const char *path, const char *key, int required,
                            const ddr_ynode **out, char *sub, ddr_error *err) {
  ddr_path_join(sub, path, key);
  *out = ddr_ymap_get(map, key);
  if (*out && (*out)->kind == DDR_Y_SCALAR && ddr_yscalar_is_null(*out)) *out = NULL;
  if (!*out && required) return ddr_read_error(err, map, sub, "missing required key \"%s\"", key);
  return DDR_OK;
}

ddr_status ddr_read_map(const ddr_ynode *map, const char *path, const char *key, int required,
                        const ddr_ynode **out, ddr_error *err) {
  char sub[DDR_PATH_MAX], buf[256];
  ddr_status st = get_value(map, path, key, required, out, sub, err);
  if (st || !*out) return st;
  if ((*out)->kind != DDR_Y_MAP)
    return ddr_read_error(err, *out, sub, "expected a mapping, found %s",
                          found_text(*out, buf, sizeof buf));
  return DDR_OK;
}

ddr_status ddr_read_seq(const ddr_ynode *map, const char *path, const char *key, int required,
                        const ddr_ynode **out, ddr_error *err) {
  char sub[DDR_PATH_MAX], buf[256];
  ddr_status st = get_value(map, path, key, required, out, sub, err);
  if (st || !*out) return st;
  if ((*out)->kind != DDR_Y_SEQ)
    return ddr_read_error(err, *out, sub, "expected a list, found %s",
                          found_text(*out, buf, sizeof buf));
  return DDR_OK;
}

ddr_status ddr_read_string(const ddr_ynode *map, const char *path, const char *key, int required,
                           const char *def, const char **out, ddr_error *err) {
  char sub[DDR_PATH_MAX], buf[256];
  const ddr_ynode *v;
  ddr_status st = get_value(map, path, key, required, &v, sub, err);
  if (st) return st;
  if (!v) {
    *out = def;
    return DDR_OK;
  }
  if (v->kind != DDR_Y_SCALAR)
    return ddr_read_error(err, v, sub, "expected text, found %s", found_text(v, buf, sizeof buf));
  *out = v->scalar;
  return DDR_OK;
}

static int is_identifier(const char *s) {
  if (!isalpha((unsigned char)s[0])) return 0;
  for (const char *p = s; *p; p++)
    if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-') return 0;
  return strlen(s) <= 64;
}

ddr_status ddr_read_id(const ddr_ynode *map, const char *path, const char *key, int required,
                       const char **out, ddr_error *err) {
  char sub[DDR_PATH_MAX];
  ddr_status st = ddr_read_string(map, path, key, required, NULL, out, err);
  if (st || !*out) return st;
  if (!is_identifier(*out)) {
    ddr_path_join(sub, path, key);
    return ddr_read_error(err, ddr_ymap_get(map, key), sub,
                          "expected an identifier (a letter, then letters, digits, '_' or '-', "
                          "at most 64), found \"%.200s\"",
                          *out);
  }
  return DDR_OK;
}

ddr_status ddr_read_enum(const ddr_ynode *map, const char *path, const char *key,
                         const char *const *choices, int def, int *out, ddr_error *err) {
  char sub[DDR_PATH_MAX];
  const char *s;
  ddr_status st = ddr_read_string(map, path, key, def < 0, NULL, &s, err);
  if (st) return st;
  if (!s) {
    *out = def;
    return DDR_OK;
  }
  for (int i = 0; choices[i]; i++)
    if (strcmp(choices[i], s) == 0) {
      *out = i;
      return DDR_OK;
    }
  char list[400];
  size_t n = 0;
  for (int i = 0; choices[i] && n < sizeof list - 64; i++)
    n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "", choices[i]);
  ddr_path_join(sub, path, key);
  return ddr_read_error(err, ddr_ymap_get(map, key), sub, "expected one of %s, found \"%.200s\"",
                        list, s);
}

/* Strict number: the whole text, finite. */
static int parse_double(const char *s, double *out) {
  if (!s[0] || isspace((unsigned char)s[0])) return -1;
  char *end;
  errno = 0;
  double x = strtod(s, &end);
  if (*end || errno == ERANGE || !isfinite(x)) return -1;
  /* strtod accepts hex floats and "infinity"; YAML authors mean neither */
  for (const char *p = s; *p; p++)
    if (isalpha((unsigned char)*p) && *p != 'e' && *p != 'E') return -1;
  *out = x;
  return 0;
}

ddr_status ddr_read_scalar_double(const ddr_ynode *node, const char *path, double *out,
                                  ddr_error *err) {
  char buf[256];
  if (!node || node->kind != DDR_Y_SCALAR || parse_double(node->scalar, out))
    return ddr_read_error(err, node, path, "expected a number, found %s",
                          found_text(node, buf, sizeof buf));
  return DDR_OK;
}

ddr_status ddr_read_double(const ddr_ynode *map, const char *path, const char *key, int required,
                           double def, double min, double max, double *out, ddr_error *err) {
  char sub[DDR_PATH_MAX];
  const ddr_ynode *v;
  ddr_status st = get_value(map, path, key, required, &v, sub, err);
  if (st) return st;
  if (!v) {
    *out = def;
    return DDR_OK;
  }
  if ((st = ddr_read_scalar_double(v, sub, out, err))) return st;
  if (*out < min || *out > max) {
    if (isinf(max))
      return ddr_read_error(err, v, sub, "expected a number >= %g, found \"%s\"", min, v->scalar);
    return ddr_read_error(err, v, sub, "expected a number in [%g, %g], found \"%s\"", min, max,
                          v->scalar);
  }
  return DDR_OK;
}

ddr_status ddr_read_long(const ddr_ynode *map, const char *path, const char *key, int required,
                         long def, long min, long max, long *out, ddr_error *err) {
  char sub[DDR_PATH_MAX], buf[256];
  const ddr_ynode *v;
  ddr_status st = get_value(map, path, key, required, &v, sub, err);
  if (st) return st;
  if (!v) {
    *out = def;
    return DDR_OK;
  }
  const char *what = min == 1   ? "a positive integer"
                     : min == 0 ? "a whole number >= 0"
                                : "an integer";
  char *end;
  errno = 0;
  long x = v->kind == DDR_Y_SCALAR ? strtol(v->scalar, &end, 10) : 0;
  if (v->kind != DDR_Y_SCALAR || !v->scalar[0] || *end || errno == ERANGE || x < min || x > max) {
    if (max < 2147483647L && v->kind == DDR_Y_SCALAR)
      return ddr_read_error(err, v, sub, "expected an integer in [%ld, %ld], found %s", min, max,
                            found_text(v, buf, sizeof buf));
    return ddr_read_error(err, v, sub, "expected %s, found %s", what,
                          found_text(v, buf, sizeof buf));
  }
  *out = x;
  return DDR_OK;
}

ddr_status ddr_read_date(const ddr_ynode *map, const char *path, const char *key, int required,
                         int32_t def, int32_t min, int32_t max, int32_t *out, ddr_error *err) {
  char sub[DDR_PATH_MAX], buf[256], a[16], b[16];
  const ddr_ynode *v;
  ddr_status st = get_value(map, path, key, required, &v, sub, err);
  if (st) return st;
  if (!v) {
    *out = def;
    return DDR_OK;
  }
  if (v->kind != DDR_Y_SCALAR || ddr_date_parse(v->scalar, out))
    return ddr_read_error(err, v, sub, "expected a date YYYY-MM-DD, found %s",
                          found_text(v, buf, sizeof buf));
  if (*out < min || *out > max) {
    ddr_date_format(min, a, sizeof a);
    ddr_date_format(max, b, sizeof b);
    return ddr_read_error(err, v, sub, "expected a date within the horizon %s to %s, found %s", a,
                          b, v->scalar);
  }
  return DDR_OK;
}

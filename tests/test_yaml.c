/* Tests of the YAML reader: tree and positions, every refusal with its
 * message and position, editing by key path, and writing back out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ddrsim/yaml.h"

/* A scenario-like document; line numbers in the tests refer to it. */
static const char SAMPLE[] = "# A scenario for the tests\n"            /* 1 */
                             "name: Mali DDR\n"                        /* 2 */
                             "seed: 42\n"                              /* 3 */
                             "nodes:\n"                                /* 4 */
                             "  training:\n"                           /* 5 */
                             "    id: training\n"                      /* 6 */
                             "    type: queue\n"                       /* 7 */
                             "    centres:\n"                          /* 8 */
                             "      - id: gao\n"                       /* 9 */
                             "        seats: 300\n"                    /* 10 */
                             "        label: \"yes\"\n"                /* 11 */
                             "      - id: kidal\n"                     /* 12 */
                             "        seats: 150\n"                    /* 13 */
                             "        open:\n"                         /* 14 */
                             "quoted: 'single'\n"                      /* 15 */
                             "empty_map: {}\n"                         /* 16 */
                             "empty_seq: []\n"                         /* 17 */
                             "flow: {dist: uniform, min: 1, max: 2}\n" /* 18 */
                             "list: [a, b, 3]\n";                      /* 19 */

static ddr_ydoc *load_ok(const char *text) {
  ddr_ydoc *doc = NULL;
  ddr_error err = {0};
  ddr_status st = ddr_ydoc_load_string("test.yaml", text, strlen(text), &doc, &err);
  if (st != DDR_OK) {
    char buf[2048];
    ddr_error_format(&err, buf, sizeof buf);
    fail_msg("unexpected error: %s", buf);
  }
  assert_non_null(doc);
  return doc;
}

/* Load text (len bytes) and expect it refused with status st, a message
 * containing msg and, when line > 0, that position. */
static void load_fails_n(const char *text, size_t len, ddr_status st, const char *msg, int line,
                         int column, ddr_error *out) {
  ddr_ydoc *doc = (ddr_ydoc *)1;
  ddr_error err = {0};
  ddr_status got = ddr_ydoc_load_string("bad.yaml", text, len, &doc, &err);
  if (got != st || !strstr(err.msg, msg))
    fail_msg("expected status %d with \"%s\", got %d: \"%s\"", st, msg, got, err.msg);
  assert_null(doc);
  assert_int_equal(err.status, st);
  assert_string_equal(err.file, "bad.yaml");
  if (line > 0) {
    assert_int_equal(err.line, line);
    assert_int_equal(err.column, column);
  }
  if (out) *out = err;
}

static void load_fails(const char *text, ddr_status st, const char *msg, int line, int column,
                       ddr_error *out) {
  load_fails_n(text, strlen(text), st, msg, line, column, out);
}

/* ---- structure and positions ---- */

static void test_structure(void **state) {
  (void)state;
  ddr_ydoc *doc = load_ok(SAMPLE);
  const ddr_ynode *root = ddr_ydoc_root(doc);
  assert_int_equal(root->kind, DDR_Y_MAP);
  assert_int_equal(root->n, 8);
  assert_string_equal(root->keys[0], "name");
  assert_string_equal(root->file, "test.yaml");
  assert_string_equal(ddr_ydoc_name(doc), "test.yaml");
  assert_int_equal(ddr_ydoc_text_len(doc), strlen(SAMPLE));
  assert_memory_equal(ddr_ydoc_text(doc), SAMPLE, strlen(SAMPLE));

  const ddr_ynode *name = ddr_ymap_get(root, "name");
  assert_int_equal(name->kind, DDR_Y_SCALAR);
  assert_string_equal(name->scalar, "Mali DDR");
  assert_int_equal(name->plain, 1);
  assert_int_equal(name->line, 2);
  assert_int_equal(name->column, 7);
  assert_int_equal(root->key_line[0], 2);
  assert_int_equal(root->key_column[0], 1);

  const ddr_ynode *training = ddr_ymap_get(ddr_ymap_get(root, "nodes"), "training");
  assert_int_equal(training->kind, DDR_Y_MAP);
  assert_int_equal(training->line, 6);
  assert_int_equal(training->column, 5);
  const ddr_ynode *centres = ddr_ymap_get(training, "centres");
  assert_int_equal(centres->kind, DDR_Y_SEQ);
  assert_int_equal(centres->n, 2);
  assert_int_equal(centres->line, 9);
  assert_int_equal(centres->column, 7);

  const ddr_ynode *gao = ddr_yseq_find_id(centres, "gao");
  assert_ptr_equal(gao, centres->items[0]);
  assert_int_equal(gao->line, 9);
  assert_int_equal(gao->column, 9);
  long seats = ddr_ymap_index(gao, "seats");
  assert_int_equal(seats, 1);
  assert_int_equal(gao->key_line[seats], 10);
  assert_int_equal(gao->key_column[seats], 9);
  assert_int_equal(gao->items[seats]->line, 10);
  assert_int_equal(gao->items[seats]->column, 16);
  assert_string_equal(gao->items[seats]->scalar, "300");

  const ddr_ynode *label = ddr_ymap_get(gao, "label");
  assert_string_equal(label->scalar, "yes");
  assert_int_equal(label->plain, 0);
  assert_false(ddr_yscalar_is_null(label));

  const ddr_ynode *kidal = ddr_yseq_find_id(centres, "kidal");
  assert_ptr_equal(kidal, centres->items[1]);
  assert_null(ddr_yseq_find_id(centres, "timbuktu"));
  assert_null(ddr_yseq_find_id(training, "gao")); /* not a sequence */
  /* A missing value is null and sits just after its key's colon. */
  const ddr_ynode *open = ddr_ymap_get(kidal, "open");
  assert_true(ddr_yscalar_is_null(open));
  assert_int_equal(open->line, 14);
  assert_int_equal(open->column, 14);

  assert_int_equal(ddr_ymap_get(root, "quoted")->plain, 0);
  assert_int_equal(ddr_ymap_get(root, "empty_map")->kind, DDR_Y_MAP);
  assert_int_equal(ddr_ymap_get(root, "empty_map")->n, 0);
  assert_int_equal(ddr_ymap_get(root, "empty_seq")->kind, DDR_Y_SEQ);
  const ddr_ynode *flow = ddr_ymap_get(root, "flow");
  assert_int_equal(flow->n, 3);
  assert_int_equal(flow->line, 18);
  assert_int_equal(flow->column, 7);
  assert_int_equal(flow->key_column[1], 23);
  const ddr_ynode *list = ddr_ymap_get(root, "list");
  assert_int_equal(list->n, 3);
  assert_string_equal(list->items[2]->scalar, "3");
  assert_int_equal(list->items[2]->column, 14);

  assert_null(ddr_ymap_get(root, "absent"));
  assert_int_equal(ddr_ymap_index(root, "absent"), -1);
  assert_null(ddr_ymap_get(name, "x")); /* not a mapping */
  ddr_ydoc_free(doc);
  ddr_ydoc_free(NULL);
}

static void test_is_null(void **state) {
  (void)state;
  ddr_ydoc *doc = load_ok("a: null\nb: Null\nc: NULL\nd: ~\ne:\nf: 'null'\ng: \"\"\n"
                          "h: nul\ni: [x]\nj: none\n");
  const ddr_ynode *root = ddr_ydoc_root(doc);
  const char *nulls = "abcde", *not_nulls = "fghij";
  for (const char *k = nulls; *k; k++) {
    char key[2] = {*k, 0};
    assert_true(ddr_yscalar_is_null(ddr_ymap_get(root, key)));
  }
  for (const char *k = not_nulls; *k; k++) {
    char key[2] = {*k, 0};
    assert_false(ddr_yscalar_is_null(ddr_ymap_get(root, key)));
  }
  assert_false(ddr_yscalar_is_null(NULL));
  ddr_ydoc_free(doc);
}

/* ---- refusals ---- */

static char *temp_path(char *buf, size_t size, const char *suffix) {
  const char *dir = getenv("TMPDIR");
  snprintf(buf, size, "%s/ddr_test_yaml_%ld%s", dir && *dir ? dir : "/tmp", (long)getpid(), suffix);
  return buf;
}

static void test_file_errors(void **state) {
  (void)state;
  ddr_ydoc *doc = NULL;
  ddr_error err = {0};
  assert_int_equal(ddr_ydoc_load_file("/nonexistent/scenario.yaml", &doc, &err), DDR_EIO);
  assert_null(doc);
  assert_string_equal(err.file, "/nonexistent/scenario.yaml");
  assert_non_null(strstr(err.msg, "cannot open: No such file or directory"));

  assert_int_equal(ddr_ydoc_load_file("/", &doc, &err), DDR_EIO);
  assert_non_null(strstr(err.msg, "Is a directory"));

  char path[512];
  temp_path(path, sizeof path, "_big.yaml");
  FILE *fp = fopen(path, "wb");
  assert_non_null(fp);
  assert_int_equal(ftruncate(fileno(fp), (off_t)DDR_YAML_MAX_BYTES + 1), 0);
  fclose(fp);
  assert_int_equal(ddr_ydoc_load_file(path, &doc, &err), DDR_EINPUT);
  assert_non_null(strstr(err.msg, "16777217 bytes"));
  assert_non_null(strstr(err.msg, "limit of 16777216 bytes"));
  remove(path);

  /* A good file reads, and keeps its text. */
  temp_path(path, sizeof path, "_ok.yaml");
  fp = fopen(path, "wb");
  assert_non_null(fp);
  fputs(SAMPLE, fp);
  fclose(fp);
  assert_int_equal(ddr_ydoc_load_file(path, &doc, &err), DDR_OK);
  assert_string_equal(ddr_ydoc_text(doc), SAMPLE);
  assert_string_equal(ddr_ydoc_root(doc)->file, path);
  ddr_ydoc_free(doc);
  remove(path);
}

static void test_text_errors(void **state) {
  (void)state;
  load_fails_n("a: 1\n\0b: 2\n", 11, DDR_EINPUT, "binary file", 2, 1, NULL);
  load_fails("a: 1\nb: caf\xC3\n", DDR_EINPUT, "invalid UTF-8", 2, 8, NULL);
  load_fails("a: \xFF\n", DDR_EINPUT, "invalid UTF-8", 1, 4, NULL);
  load_fails("a: 1\nb: \"\\0\"\n", DDR_EINPUT, "NUL character", 2, 4, NULL);
  load_fails_n("\xFF\xFE"
               "a\x00:\x00",
               6, DDR_EINPUT, "UTF-16", 1, 1, NULL);
  load_fails("a: 1\n\x01\n", DDR_EINPUT, "control characters are not allowed", 2, 1, NULL);
  /* A UTF-8 byte order mark and CRLF line ends are fine. */
  ddr_ydoc *doc = load_ok("\xEF\xBB\xBF"
                          "a: 1\r\nb:\r\n  - x\r\n");
  const ddr_ynode *b = ddr_ymap_get(ddr_ydoc_root(doc), "b");
  assert_int_equal(b->line, 3);
  assert_string_equal(b->items[0]->scalar, "x");
  ddr_ydoc_free(doc);
}

static void test_syntax_errors(void **state) {
  (void)state;
  ddr_error err;
  load_fails("a: 1\nb:\n  c: d: e\n", DDR_EINPUT,
             "YAML syntax error: mapping values are not allowed in this context", 3, 7, &err);
  char buf[2048];
  ddr_error_format(&err, buf, sizeof buf);
  assert_non_null(strstr(buf, "bad.yaml:3:7: "));
  load_fails("a: [1, 2\n", DDR_EINPUT, "YAML syntax error", 2, 1, NULL);
  load_fails("a: \"open\n", DDR_EINPUT, "found unexpected end of stream", 2, 1, NULL);
}

static void test_refused_features(void **state) {
  (void)state;
  load_fails("a: &x 1\nb: 2\n", DDR_EINPUT, "anchors and aliases are not supported", 1, 4, NULL);
  load_fails("a: 1\nb: *x\n", DDR_EINPUT, "anchors and aliases are not supported", 2, 4, NULL);
  load_fails("a: 1\nb: !!str 2\n", DDR_EINPUT, "explicit tags are not supported", 2, 4, NULL);
  load_fails("a: !custom {x: 1}\n", DDR_EINPUT, "explicit tags are not supported", 1, 4, NULL);
  load_fails("a: 1\n---\nb: 2\n", DDR_EINPUT, "more than one document", 2, 1, NULL);
  load_fails("- a\n- b\n", DDR_EINPUT,
             "expected a mapping at the top of the file, found a sequence", 1, 1, NULL);
  load_fails("just text\n", DDR_EINPUT, "expected a mapping at the top of the file, found a scalar",
             1, 1, NULL);
  load_fails("", DDR_EINPUT, "expected a mapping, found an empty file", 0, 0, NULL);
  load_fails("# only\n  # comments\n\n", DDR_EINPUT, "expected a mapping, found an empty file", 0,
             0, NULL);
  load_fails("---\n", DDR_EINPUT, "expected a mapping, found an empty file", 0, 0, NULL);

  ddr_error err;
  load_fails("a: 1\n? [x, y]\n: 2\n", DDR_EINPUT, "a key must be a scalar, found a sequence", 2, 3,
             &err);
  load_fails("a: {{x: 1}: 2}\n", DDR_EINPUT, "a key must be a scalar, found a mapping", 1, 5, &err);
  assert_string_equal(err.key, "a");
}

static void test_duplicate_keys(void **state) {
  (void)state;
  ddr_error err;
  char text[2048];
  /* SAMPLE with a second `seats` in gao's item, seats first on line 10. */
  snprintf(text, sizeof text, "%.*s        seats: 310\n%s",
           (int)(strstr(SAMPLE, "      - id: kidal") - SAMPLE), SAMPLE,
           strstr(SAMPLE, "      - id: kidal"));
  load_fails(text, DDR_EINPUT, "duplicate key \"seats\" (first at line 10)", 12, 9, &err);
  assert_string_equal(err.key, "nodes.training.centres.gao.seats");

  load_fails("a: 1\nb: 2\na: 3\n", DDR_EINPUT, "duplicate key \"a\" (first at line 1)", 3, 1, &err);
  assert_string_equal(err.key, "a");
  load_fails("f: {x: 1, y: 2, x: 3}\n", DDR_EINPUT, "duplicate key \"x\"", 1, 17, &err);
  assert_string_equal(err.key, "f.x");
  /* The same key in different mappings is fine. */
  ddr_ydoc_free(load_ok("a: {x: 1}\nb: {x: 1}\nl: [{x: 1}, {x: 2}]\n"));
}

static void test_key_paths(void **state) {
  (void)state;
  ddr_error err;
  /* List items without an id are named by their index. */
  load_fails("list:\n  - a: 1\n  - a: 2\n    b: !!int 3\n", DDR_EINPUT, "explicit tags", 4, 8,
             &err);
  assert_string_equal(err.key, "list[1].b");
  /* Once an item's id has been read it names the item. */
  load_fails("list:\n  - id: x\n    b: *y\n", DDR_EINPUT, "aliases", 3, 8, &err);
  assert_string_equal(err.key, "list.x.b");
  load_fails("m:\n  l: [1, &a 2]\n", DDR_EINPUT, "anchors", 2, 10, &err);
  assert_string_equal(err.key, "m.l[1]");
}

/* k: {a: {a: ... 1 ...}} with `levels` collections in all. */
static char *nested(int levels) {
  size_t cap = 8 * (size_t)levels + 16;
  char *s = malloc(cap);
  size_t n = (size_t)snprintf(s, cap, "k: ");
  for (int i = 1; i < levels; i++) n += (size_t)snprintf(s + n, cap - n, "{a: ");
  n += (size_t)snprintf(s + n, cap - n, "1");
  for (int i = 1; i < levels; i++) s[n++] = '}';
  s[n++] = '\n';
  s[n] = '\0';
  return s;
}

static void test_depth_limit(void **state) {
  (void)state;
  char *ok = nested(DDR_YAML_MAX_DEPTH);
  ddr_ydoc_free(load_ok(ok));
  free(ok);
  char *deep = nested(100);
  /* The 65th collection is the 64th "{", at column 4 + 4 * 63. */
  load_fails(deep, DDR_EINPUT, "nesting deeper than 64 levels", 1, 4 + 4 * 63, NULL);
  free(deep);
}

/* k: [1,1,...] with n items: n + 3 nodes counting the root, key and list. */
static char *flat(size_t n) {
  char *s = malloc(2 * n + 16);
  size_t len = (size_t)sprintf(s, "k: [");
  for (size_t i = 0; i < n; i++) {
    s[len++] = '1';
    s[len++] = ',';
  }
  strcpy(s + len - (n > 0), "]\n");
  return s;
}

static void test_node_limit(void **state) {
  (void)state;
  char *at = flat(DDR_YAML_MAX_NODES - 3);
  ddr_ydoc *doc = load_ok(at);
  assert_int_equal(ddr_ymap_get(ddr_ydoc_root(doc), "k")->n, DDR_YAML_MAX_NODES - 3);
  ddr_ydoc_free(doc);
  free(at);
  char *over = flat(DDR_YAML_MAX_NODES - 2);
  load_fails(over, DDR_EINPUT, "too many nodes: more than the limit of 1000000", 1,
             5 + 2 * (DDR_YAML_MAX_NODES - 3), NULL);
  free(over);
}

/* ---- --set ---- */

static void set_ok(ddr_ydoc *doc, const char *path, const char *value) {
  ddr_error err = {0};
  if (ddr_ydoc_set(doc, path, value, "--set", &err) != DDR_OK) {
    char buf[2048];
    ddr_error_format(&err, buf, sizeof buf);
    fail_msg("set %s=%s failed: %s", path, value, buf);
  }
}

static void set_fails(ddr_ydoc *doc, const char *path, const char *value, const char *msg,
                      const char *key) {
  ddr_error err = {0};
  ddr_status st = ddr_ydoc_set(doc, path, value, "--set", &err);
  if (st != DDR_EINPUT || !strstr(err.msg, msg))
    fail_msg("set %s: expected \"%s\", got %d: \"%s\"", path, msg, st, err.msg);
  assert_string_equal(err.file, "--set");
  if (key) assert_string_equal(err.key, key);
}

static void test_set(void **state) {
  (void)state;
  ddr_ydoc *doc = load_ok(SAMPLE);
  const ddr_ynode *root = ddr_ydoc_root(doc);
  const ddr_ynode *centres =
      ddr_ymap_get(ddr_ymap_get(ddr_ymap_get(root, "nodes"), "training"), "centres");

  set_ok(doc, "seed", "7");
  const ddr_ynode *seed = ddr_ymap_get(root, "seed");
  assert_string_equal(seed->scalar, "7");
  assert_int_equal(seed->plain, 1);
  assert_string_equal(seed->file, "--set");
  assert_int_equal(seed->line, 1);
  assert_int_equal(seed->column, 1);
  assert_int_equal(ddr_ymap_index(root, "seed"), 1); /* replaced in place */

  set_ok(doc, "nodes.training.centres.gao.seats", "400");
  assert_string_equal(ddr_ymap_get(ddr_yseq_find_id(centres, "gao"), "seats")->scalar, "400");

  set_ok(doc, "nodes.training.capacity", "'12'");
  const ddr_ynode *training = ddr_ymap_get(ddr_ymap_get(root, "nodes"), "training");
  assert_int_equal(training->n, 4);
  assert_string_equal(training->keys[3], "capacity");
  assert_string_equal(training->items[3]->scalar, "12");
  assert_int_equal(training->items[3]->plain, 0);
  assert_int_equal(training->key_line[3], 0);

  set_ok(doc, "nodes.training.centres.kidal.open", "{dist: uniform, min: 1, max: 2}");
  const ddr_ynode *open = ddr_ymap_get(ddr_yseq_find_id(centres, "kidal"), "open");
  assert_int_equal(open->kind, DDR_Y_MAP);
  assert_int_equal(open->n, 3);
  assert_string_equal(ddr_ymap_get(open, "max")->scalar, "2");
  assert_int_equal(ddr_ymap_get(open, "max")->column, 30);
  assert_string_equal(open->file, "--set");

  set_ok(doc, "list", "[x, y]");
  assert_int_equal(ddr_ymap_get(root, "list")->n, 2);
  set_ok(doc, "name", ""); /* `name=` sets an empty value */
  assert_true(ddr_yscalar_is_null(ddr_ymap_get(root, "name")));
  /* A whole list item can be replaced through its id. */
  set_ok(doc, "nodes.training.centres.kidal", "{id: kidal, seats: 5}");
  assert_int_equal(ddr_yseq_find_id(centres, "kidal")->n, 2);

  /* list items by position, as key paths name them in errors (schedule[1]) */
  set_ok(doc, "list[1]", "z");
  assert_string_equal(ddr_ymap_get(root, "list")->items[1]->scalar, "z");
  set_ok(doc, "nodes.training.centres[0].seats", "450");
  assert_string_equal(ddr_ymap_get(ddr_yseq_find_id(centres, "gao"), "seats")->scalar, "450");
  set_fails(doc, "list[2]", "1", "list has 2 items; no item [2]", "list[2]");
  set_fails(doc, "list[x]", "1", "expected a position such as [0]", "list[x]");
  set_fails(doc, "list[1", "1", "expected a position such as [0]", NULL);
  set_fails(doc, "seed[0]", "1", "seed is not a list", "seed[0]");

  set_fails(doc, "nodes.trainng.centres", "1", "no key \"trainng\" here; keys are: training",
            "nodes.trainng");
  set_fails(doc, "nodes.training.centres.gaoo.seats", "1",
            "no item with id \"gaoo\" in nodes.training.centres; ids are: gao, kidal",
            "nodes.training.centres.gaoo");
  set_fails(doc, "nodes.training.centres.new", "1", "no item with id \"new\"", NULL);
  set_fails(doc, "empty_map.a.b", "1", "no key \"a\" here; the mapping is empty", "empty_map.a");
  set_fails(doc, "seed.x", "1", "seed is a scalar", "seed.x");
  set_fails(doc, "", "1", "empty key path", NULL);
  set_fails(doc, "nodes..x", "1", "empty segment in key path \"nodes..x\"", NULL);
  set_fails(doc, "nodes.", "1", "empty segment", NULL);
  set_fails(doc, ".nodes", "1", "empty segment", NULL);

  ddr_error err = {0};
  assert_int_equal(ddr_ydoc_set(doc, "flow.min", "[1, 2", "--set", &err), DDR_EINPUT);
  assert_non_null(strstr(err.msg, "YAML syntax error"));
  assert_string_equal(err.file, "--set");
  assert_int_equal(err.line, 2);
  assert_int_equal(strncmp(err.key, "flow.min", 8), 0);
  assert_int_equal(ddr_ydoc_set(doc, "flow.min", "{a: &x 1}", "--set", &err), DDR_EINPUT);
  assert_string_equal(err.key, "flow.min.a");
  assert_int_equal(ddr_ydoc_set(doc, "flow.min", "a\n---\nb", "--set", &err), DDR_EINPUT);
  assert_non_null(strstr(err.msg, "more than one document"));
  /* The tree must stay readable once written out. */
  char *deep = nested(DDR_YAML_MAX_DEPTH);
  set_fails(doc, "nodes.training", deep + 3, "deeper than 64 levels", "nodes.training");
  set_ok(doc, "nodes", deep + 3);
  free(deep);
  /* Failed edits left the tree alone. */
  assert_string_equal(ddr_ymap_get(ddr_ymap_get(root, "flow"), "min")->scalar, "1");
  ddr_ydoc_free(doc);
}

/* ---- writing ---- */

static void assert_same_tree(const ddr_ynode *a, const ddr_ynode *b) {
  assert_int_equal(a->kind, b->kind);
  if (a->kind == DDR_Y_SCALAR) {
    assert_string_equal(a->scalar, b->scalar);
    assert_int_equal(a->plain, b->plain);
    return;
  }
  assert_int_equal(a->n, b->n);
  for (size_t i = 0; i < a->n; i++) {
    if (a->kind == DDR_Y_MAP) assert_string_equal(a->keys[i], b->keys[i]);
    assert_same_tree(a->items[i], b->items[i]);
  }
}

/* emit, read back, compare; and emitting the copy gives the same text. */
static void round_trip(const ddr_ynode *root) {
  char *text = NULL, *again = NULL;
  ddr_error err = {0};
  assert_int_equal(ddr_ynode_emit(root, &text, &err), DDR_OK);
  ddr_ydoc *copy = load_ok(text);
  assert_same_tree(root, ddr_ydoc_root(copy));
  assert_int_equal(ddr_ynode_emit(ddr_ydoc_root(copy), &again, &err), DDR_OK);
  assert_string_equal(text, again);
  free(text);
  free(again);
  ddr_ydoc_free(copy);
}

static const char COMPLEX[] =
    "plain: text with spaces\n"
    "number: 123\n"
    "negative: -1.5e3\n"
    "yes_quoted: \"yes\"\n"
    "num_quoted: \"123\"\n"
    "null_quoted: 'null'\n"
    "tilde_quoted: \"~\"\n"
    "colon: \"a: b\"\n"
    "hash: \"a #b\"\n"
    "empty_quoted: \"\"\n"
    "empty_plain:\n"
    "tilde: ~\n"
    "newlines: \"line 1\\nline 2\\n\"\n"
    "literal: |\n  block\n  text\n"
    "folded: >\n  folded\n  text\n"
    "unicode: Tombouctou — Gao ñ 日本\n"
    "unicode_quoted: \"é\"\n"
    "escapes: \"tab\\there \\\"q\\\" back\\\\slash \\x01 \\u2028 \\x85 \\uFEFF \\x7F\"\n"
    "lead_space: \" lead\"\n"
    "trail_space: \"trail \"\n"
    "dash: \"- item\"\n"
    "dashes: \"---\"\n"
    "dots: \"...\"\n"
    "flow_chars: \"[x], {y}\"\n"
    "plain_inner: a,b[c]{d}\n"
    "plain_colon: a:b\n"
    "plain_dash: -x\n"
    "indicators: [\"&a\", \"*b\", \"!c\", \"|d\", \">e\", \"%f\", \"@g\", \"`h\", \"#i\", \"?\", "
    "\":\", \"'\"]\n"
    "\"quoted key: x\": 1\n"
    "\"\": empty key\n"
    "\"- k\": dash key\n"
    "? \"" /* long key, written back in the explicit form */
    "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk"
    "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk"
    "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk"
    "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk"
    "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk"
    "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk"
    "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk"
    "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk"
    "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk"
    "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk"
    "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk"
    "\"\n"
    ": long key value\n"
    "empty_map: {}\n"
    "empty_seq: []\n"
    "nested:\n"
    "  - id: a\n"
    "    list: [[1, 2], [], {}, [[x]]]\n"
    "    map: {k: {k: [v, {w: ''}]}}\n"
    "  - [p, q]\n"
    "  - \"\"\n"
    "  -\n"
    "  - id: b\n"
    "    items:\n"
    "      - x: 1\n"
    "        y: [{z: \"yes\"}]\n";

static void test_emit_round_trip(void **state) {
  (void)state;
  ddr_ydoc *doc = load_ok(COMPLEX);
  round_trip(ddr_ydoc_root(doc));
  ddr_ydoc_free(doc);
  doc = load_ok(SAMPLE);
  round_trip(ddr_ydoc_root(doc));
  /* Edited trees too: a value from --set and a new key. */
  set_ok(doc, "nodes.training.centres.gao", "{id: gao, seats: [1, {a: \"yes\"}]}");
  set_ok(doc, "added", "'x: y'");
  round_trip(ddr_ydoc_root(doc));
  ddr_ydoc_free(doc);
}

static void test_emit_format(void **state) {
  (void)state;
  ddr_ydoc *doc = load_ok("a: 1\nb: {c: \"yes\", d: []}\ne: [{id: x, f: 2}, [3, 4], {}]\n"
                          "g: \"\"\nh:\ni: \"two\\nlines\"\n");
  char *text = NULL;
  ddr_error err = {0};
  assert_int_equal(ddr_ynode_emit(ddr_ydoc_root(doc), &text, &err), DDR_OK);
  assert_string_equal(text, "a: 1\n"
                            "b:\n"
                            "  c: \"yes\"\n"
                            "  d: []\n"
                            "e:\n"
                            "  - id: x\n"
                            "    f: 2\n"
                            "  - - 3\n"
                            "    - 4\n"
                            "  - {}\n"
                            "g: \"\"\n"
                            "h:\n"
                            "i: \"two\\nlines\"\n");
  free(text);
  /* Any subtree can be written: a sequence, a scalar, an empty mapping. */
  const ddr_ynode *e = ddr_ymap_get(ddr_ydoc_root(doc), "e");
  assert_int_equal(ddr_ynode_emit(e, &text, &err), DDR_OK);
  assert_string_equal(text, "- id: x\n  f: 2\n- - 3\n  - 4\n- {}\n");
  free(text);
  assert_int_equal(ddr_ynode_emit(ddr_ymap_get(ddr_ydoc_root(doc), "a"), &text, &err), DDR_OK);
  assert_string_equal(text, "1\n");
  free(text);
  assert_int_equal(ddr_ynode_emit(e->items[2], &text, &err), DDR_OK);
  assert_string_equal(text, "{}\n");
  free(text);
  ddr_ydoc_free(doc);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_structure),
      cmocka_unit_test(test_is_null),
      cmocka_unit_test(test_file_errors),
      cmocka_unit_test(test_text_errors),
      cmocka_unit_test(test_syntax_errors),
      cmocka_unit_test(test_refused_features),
      cmocka_unit_test(test_duplicate_keys),
      cmocka_unit_test(test_key_paths),
      cmocka_unit_test(test_depth_limit),
      cmocka_unit_test(test_node_limit),
      cmocka_unit_test(test_set),
      cmocka_unit_test(test_emit_round_trip),
      cmocka_unit_test(test_emit_format),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

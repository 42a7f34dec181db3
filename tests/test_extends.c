/* What-if files (`extends:`): each merge rule on small trees, chains of
 * parents and their errors, the file named by errors in a merged scenario,
 * --set on top, `ddrsim validate --explain`, and the chain kept in a result
 * file. Files are written to a temporary directory. */
#include <sys/stat.h>
#include <unistd.h>

#include "cliutil.h"

static int setup(void **state) {
  (void)state;
  return tu_make_dir("test-extends");
}

static int teardown(void **state) {
  (void)state;
  return tu_remove_dir();
}

/* The path of name in the temporary directory (one of a few rotating buffers). */
static const char *at(const char *name) {
  static char bufs[4][512];
  static int next;
  char *b = bufs[next++ % 4];
  snprintf(b, sizeof bufs[0], "%s/%s", dir, name);
  return b;
}

static void write_file(const char *name, const char *text) {
  char sub[512];
  snprintf(sub, sizeof sub, "%s", at(name));
  char *slash = strrchr(sub, '/');
  *slash = '\0';
  mkdir(sub, 0777);
  FILE *f = fopen(at(name), "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

/* ---- the merge rules, on trees ---- */

static ddr_ydoc *doc_of(const char *name, const char *text) {
  ddr_ydoc *doc = NULL;
  ddr_error err = {0};
  if (ddr_ydoc_load_string(name, text, strlen(text), &doc, &err)) {
    ddr_error_print(&err, stderr);
    fail_msg("%s did not load", name);
  }
  return doc;
}

/* Merge child over parent and compare the result, written as YAML, with
 * expect; the documents are freed. */
static void merges_to(const char *parent, const char *child, const char *expect) {
  ddr_ydoc *p = doc_of("parent.yaml", parent), *c = doc_of("child.yaml", child);
  ddr_ynode *merged = NULL;
  ddr_error err = {0};
  char *text = NULL;
  if (ddr_ynode_merge(c, ddr_ydoc_root(p), ddr_ydoc_root(c), &merged, &err)) {
    ddr_error_print(&err, stderr);
    fail_msg("merge failed");
  }
  assert_int_equal(ddr_ynode_emit(merged, &text, &err), DDR_OK);
  if (strcmp(text, expect) != 0) fail_msg("merged to\n%s\nexpected\n%s", text, expect);
  free(text);
  ddr_ydoc_free(c);
  ddr_ydoc_free(p);
}

/* Merge child over parent, expecting an error containing msg at child.yaml
 * (or parent.yaml) line:column; returns the formatted error. */
static const char *merge_fails(const char *parent, const char *child, const char *msg) {
  static char line[2048];
  ddr_ydoc *p = doc_of("parent.yaml", parent), *c = doc_of("child.yaml", child);
  ddr_ynode *merged = NULL;
  ddr_error err = {0};
  assert_int_equal(ddr_ynode_merge(c, ddr_ydoc_root(p), ddr_ydoc_root(c), &merged, &err),
                   DDR_EINPUT);
  ddr_error_format(&err, line, sizeof line);
  tu_assert_contains(line, msg);
  ddr_ydoc_free(c);
  ddr_ydoc_free(p);
  return line;
}

static void test_merge_maps(void **state) {
  (void)state;
  /* keys keep the parent's order, new keys follow in the child's order */
  merges_to("a: 1\nb: {x: 1, y: 2}\nc: 3\n", "d: 4\nb: {z: 30, y: 20}\nc: 33\ne: 5\n",
            "a: 1\nb:\n  x: 1\n  y: 20\n  z: 30\nc: 33\nd: 4\ne: 5\n");
  /* deeper: only what the child writes changes */
  merges_to("a: {b: {c: 1, d: 2}, e: 3}\n", "a: {b: {d: 20}}\n",
            "a:\n  b:\n    c: 1\n    d: 20\n  e: 3\n");
  /* an empty child mapping changes nothing */
  merges_to("a: {b: 1}\n", "a: {}\n", "a:\n  b: 1\n");
}

static void test_merge_id_lists(void **state) {
  (void)state;
  const char *parent = "l:\n"
                       "  - {id: a, v: 1, w: 1}\n"
                       "  - {id: b, v: 2}\n"
                       "  - {id: c, v: 3}\n";
  /* same id: merged; new id: appended; order of the parent kept */
  merges_to(parent, "l:\n  - {id: d, v: 4}\n  - {id: b, v: 20, x: 1}\n",
            "l:\n  - id: a\n    v: 1\n    w: 1\n  - id: b\n    v: 20\n    x: 1\n"
            "  - id: c\n    v: 3\n  - id: d\n    v: 4\n");
  /* remove: true removes the parent's item */
  merges_to(parent, "l:\n  - {id: b, remove: true}\n  - {id: a, w: 10}\n",
            "l:\n  - id: a\n    v: 1\n    w: 10\n  - id: c\n    v: 3\n");
  /* every item removed leaves an empty list */
  merges_to("l: [{id: a}]\n", "l: [{id: a, remove: true}]\n", "l: []\n");
  /* removed and written again: replaced entirely, at the end */
  merges_to(parent, "l:\n  - {id: a, remove: true}\n  - {id: a, v: 9}\n",
            "l:\n  - id: b\n    v: 2\n  - id: c\n    v: 3\n  - id: a\n    v: 9\n");
  /* nested id lists merge too */
  merges_to("n:\n  - id: x\n    s: [{id: p, c: 1}, {id: q, c: 2}]\n",
            "n:\n  - id: x\n    s: [{id: q, c: 20}, {id: r, c: 3}]\n",
            "n:\n  - id: x\n    s:\n      - id: p\n        c: 1\n      - id: q\n        c: 20\n"
            "      - id: r\n        c: 3\n");
}

static void test_remove_errors(void **state) {
  (void)state;
  const char *parent = "l:\n  - {id: a}\n  - {id: b}\n";
  const char *e =
      merge_fails(parent, "l:\n  - {id: z, remove: true}\n",
                  "no item with id \"z\" in the parent's l to remove; its ids are: a, b");
  tu_assert_contains(e, "child.yaml:2:10: l.z: ");
  e = merge_fails("l: []\n", "l:\n  - {id: z, remove: true}\n", "it is empty");
  e = merge_fails(parent, "l:\n  - {id: a, remove: true, v: 1}\n",
                  "an item with remove: true has only an id besides; found key \"v\"");
  tu_assert_contains(e, "child.yaml:2:27: l.a.v: ");
  e = merge_fails(parent, "l:\n  - {id: a, remove: yes}\n",
                  "l.a.remove: expected true (remove: true removes the parent's item), found "
                  "\"yes\"");
  e = merge_fails(parent, "l:\n  - {id: a, v: 1}\n  - {id: a, v: 2}\n",
                  "child.yaml:3:10: l.a: id \"a\" is written twice in this list (first at line 2)");
  /* nothing to remove from: a list the parent lacks, or one replaced whole */
  merge_fails(parent, "m:\n  - {id: a, remove: true}\n",
              "child.yaml:2:21: m.a.remove: nothing to remove");
  merge_fails("l: [1, 2]\n", "l:\n  - {id: a, remove: true}\n", "l.a.remove: nothing to remove");
  merge_fails(parent, "l:\n  - {node: x, remove: true}\n", "l[0].remove: nothing to remove");
  merge_fails(parent, "l:\n  - {id: c, sub: [{id: d, remove: true}]}\n",
              "l.c.sub.d.remove: nothing to remove");
}

static void test_replace_plain_list(void **state) {
  (void)state;
  /* a list of scalars, of mappings without ids, or mixed: replaced whole */
  merges_to("v: [1, 2, 3]\n", "v: [4]\n", "v:\n  - 4\n");
  merges_to("i:\n  - {node: a, count: 1}\n  - {node: b, count: 2}\n",
            "i:\n  - {node: b, count: 5}\n", "i:\n  - node: b\n    count: 5\n");
  merges_to("l: [{id: a, v: 1}, {v: 2}]\n", "l: [{id: a, w: 1}]\n", "l:\n  - id: a\n    w: 1\n");
  /* an empty child list empties the list */
  merges_to("l: [{id: a}]\n", "l: []\n", "l: []\n");
}

static void test_kind_change(void **state) {
  (void)state;
  merges_to("capacity: {dist: uniform, min: 250, max: 600}\n", "capacity: 400\n",
            "capacity: 400\n");
  merges_to("capacity: 400\n", "capacity: {dist: uniform, min: 1, max: 2}\n",
            "capacity:\n  dist: uniform\n  min: 1\n  max: 2\n");
  merges_to("l: [{id: a}]\n", "l: {id: a}\n", "l:\n  id: a\n");
  merges_to("l: {a: 1}\n", "l: [a]\n", "l:\n  - a\n");
  merges_to("s: text\n", "s:\n", "s:\n");
}

/* Merged nodes keep where they were written; the parent's tree is a tree of
 * its own, untouched by edits of the merged one (as --set makes). */
static void test_merge_positions(void **state) {
  (void)state;
  write_file("p.yaml", "a: 1\nm:\n  x: 1\n  y: 2\nl: [{id: k, v: 1}]\n");
  write_file("c.yaml", "extends: p.yaml\nm:\n  y: 20\n  z: 3\n");
  ddr_ydoc *c = NULL;
  ddr_error err = {0};
  assert_int_equal(ddr_ydoc_load_file(at("c.yaml"), &c, &err), DDR_OK);
  assert_int_equal(ddr_ydoc_extend(c, &err), DDR_OK);
  const ddr_ynode *r = ddr_ydoc_root(c), *m = ddr_ymap_get(r, "m");
  const char *file;
  int line, column;
  assert_null(ddr_ymap_get(r, "extends"));
  assert_string_equal(ddr_ymap_get(r, "a")->file, at("p.yaml"));
  assert_string_equal(ddr_ymap_get(m, "x")->file, at("p.yaml"));
  assert_int_equal(ddr_ymap_get(m, "x")->line, 3);
  assert_string_equal(ddr_ymap_get(m, "y")->file, at("c.yaml"));
  assert_int_equal(ddr_ymap_get(m, "y")->line, 3);
  assert_int_equal(ddr_ymap_get(m, "y")->column, 6);
  ddr_ymap_key_pos(m, 0, &file, &line, &column); /* x */
  assert_string_equal(file, at("p.yaml"));
  assert_int_equal(line, 3);
  assert_int_equal(column, 3);
  ddr_ymap_key_pos(m, 2, &file, &line, &column); /* z */
  assert_string_equal(file, at("c.yaml"));
  assert_int_equal(line, 4);
  assert_int_equal(column, 3);
  assert_int_equal(ddr_ydoc_set(c, "l.k.v", "5", "--set", &err), DDR_OK);
  assert_int_equal(ddr_ydoc_set(c, "m.x", "7", "--set", &err), DDR_OK);
  assert_int_equal(ddr_ydoc_set(c, "m.w", "8", "--set", &err), DDR_OK);
  ddr_ymap_key_pos(ddr_ymap_get(ddr_ydoc_root(c), "m"), 3, &file, &line, &column); /* w */
  assert_string_equal(file, "--set");
  const ddr_ynode *pr = ddr_ydoc_root(ddr_ydoc_parent(c));
  assert_string_equal(ddr_ymap_get(ddr_yseq_find_id(ddr_ymap_get(pr, "l"), "k"), "v")->scalar, "1");
  assert_string_equal(ddr_ymap_get(ddr_ymap_get(pr, "m"), "x")->scalar, "1");
  assert_null(ddr_ymap_get(ddr_ymap_get(pr, "m"), "w"));
  ddr_ydoc_free(c); /* and its parent with it */
}

/* ---- differences, one line each ---- */

static void diff_is(const char *from, const char *to, const char *expect) {
  ddr_ydoc *a = doc_of("from.yaml", from), *b = doc_of("to.yaml", to);
  char *text = NULL;
  ddr_error err = {0};
  assert_int_equal(ddr_ynode_diff(ddr_ydoc_root(a), ddr_ydoc_root(b), &text, &err), DDR_OK);
  if (strcmp(text, expect) != 0) fail_msg("diff\n%s\nexpected\n%s", text, expect);
  free(text);
  ddr_ydoc_free(b);
  ddr_ydoc_free(a);
}

static void test_diff(void **state) {
  (void)state;
  diff_is("a: 1\nb: {c: 2}\n", "b: {c: 2}\na: 1\n", ""); /* order does not matter */
  diff_is("a: 1\nb: 2\nc: {d: 3}\n", "a: 10\nc: {d: 3, e: [1, x]}\nf: ~\n",
          "~ a: 1 -> 10\n- b\n+ c.e: [1, x]\n+ f: ~\n");
  /* lists by id, items named by id; other lists whole */
  diff_is("l: [{id: a, v: 1}, {id: b}]\nm: [1, 2]\n",
          "l: [{id: b}, {id: c}, {id: a, v: 2}]\nm: [2]\n",
          "~ l.a.v: 1 -> 2\n+ l.c: {id: c}\n~ m: [1, 2] -> [2]\n");
  /* kinds change; values that need quotes get them, on one line */
  diff_is("s: {dist: uniform, min: 1, max: 2}\nq: 400\nt: x\n",
          "s: 3\nq: \"400\"\nt: \"two\\nlines, {braces}\"\n",
          "~ s: {dist: uniform, min: 1, max: 2} -> 3\n~ q: 400 -> \"400\"\n"
          "~ t: x -> \"two\\nlines, {braces}\"\n");
  char *text = NULL;
  ddr_error err = {0};
  ddr_ydoc *d = doc_of("x.yaml", "v: {\"\": 1, \"a: b\": [], k: {}, n: , e: ''}\n");
  assert_int_equal(ddr_ynode_emit_flow(ddr_ymap_get(ddr_ydoc_root(d), "v"), &text, &err), DDR_OK);
  assert_string_equal(text, "{\"\": 1, \"a: b\": [], k: {}, n: null, e: \"\"}");
  free(text);
  ddr_ydoc_free(d);
}

/* ---- scenario files ---- */

/* A small valid scenario; line numbers in the tests refer to it. */
static const char base[] =
    "scenario: {name: base, description: The parent}\n"                  /* 1 */
    "calendar: {start: 2021-01-01, end: 2022-12-31, step: week}\n"       /* 2 */
    "groups:\n"                                                          /* 3 */
    "  - {id: a, size: 100}\n"                                           /* 4 */
    "  - {id: b, size: {dist: uniform, min: 10, max: 20}}\n"             /* 5 */
    "nodes:\n"                                                           /* 6 */
    "  - {id: in, type: intake, rate_per_week: 10, to: camp}\n"          /* 7 */
    "  - id: camp\n"                                                     /* 8 */
    "    type: stage\n"                                                  /* 9 */
    "    sites:\n"                                                       /* 10 */
    "      - {id: north, capacity: 50}\n"                                /* 11 */
    "      - {id: south, capacity: {dist: uniform, min: 20, max: 40}}\n" /* 12 */
    "    duration_days: {dist: triangular, min: 7, mode: 14, max: 30}\n" /* 13 */
    "    to: school\n"                                                   /* 14 */
    "  - id: school\n"                                                   /* 15 */
    "    type: training\n"                                               /* 16 */
    "    centres:\n"                                                     /* 17 */
    "      - {id: gao, seats: 30, course_weeks: 8}\n"                    /* 18 */
    "    to: army\n"                                                     /* 19 */
    "  - {id: army, type: sink}\n"                                       /* 20 */
    "targets:\n"                                                         /* 21 */
    "  - {id: t, metric: army.count, at_least: 50, by: 2022-06-30}\n";   /* 22 */

static const char child[] = "extends: base.yaml\n"                                /* 1 */
                            "scenario:\n"                                         /* 2 */
                            "  name: child\n"                                     /* 3 */
                            "nodes:\n"                                            /* 4 */
                            "  - id: camp\n"                                      /* 5 */
                            "    sites:\n"                                        /* 6 */
                            "      - {id: south, remove: true}\n"                 /* 7 */
                            "      - {id: north, capacity: 80}\n"                 /* 8 */
                            "  - id: school\n"                                    /* 9 */
                            "    centres:\n"                                      /* 10 */
                            "      - {id: bamako, seats: 40, course_weeks: 6}\n"; /* 11 */

static ddr_scenario *load_file_ok(const char *name, const char *const *sets, size_t nsets) {
  ddr_scenario *scn = NULL;
  ddr_error err;
  ddr_error_clear(&err);
  if (ddr_scenario_load(at(name), sets, nsets, &scn, &err)) {
    ddr_error_print(&err, stderr);
    fail_msg("%s did not load", name);
  }
  return scn;
}

/* Load a file expected to fail; returns the error line with the directory
 * taken out of file names, so tests can match "child.yaml:3:5: ...". */
static const char *load_file_error(const char *name, const char *const *sets, size_t nsets) {
  static char line[4096];
  ddr_scenario *scn = NULL;
  ddr_error err;
  ddr_error_clear(&err);
  if (!ddr_scenario_load(at(name), sets, nsets, &scn, &err)) {
    ddr_scenario_free(scn);
    fail_msg("%s loaded but an error was expected", name);
  }
  char raw[4096], prefix[300];
  ddr_error_format(&err, raw, sizeof raw);
  snprintf(prefix, sizeof prefix, "%s/", dir);
  size_t n = 0, plen = strlen(prefix);
  for (const char *s = raw; *s && n < sizeof line - 1;)
    if (strncmp(s, prefix, plen) == 0)
      s += plen;
    else
      line[n++] = *s++;
  line[n] = '\0';
  return line;
}

static double constant(const ddr_scenario *scn, const char *path) {
  const ddr_inputs *in = ddr_scenario_inputs(scn);
  long i = ddr_inputs_find(in, path);
  if (i < 0) fail_msg("no input %s", path);
  return ddr_inputs_get(in, (size_t)i)->dist.c[0];
}

static int has_input(const ddr_scenario *scn, const char *path) {
  return ddr_inputs_find(ddr_scenario_inputs(scn), path) >= 0;
}

static void test_scenario_extends(void **state) {
  (void)state;
  write_file("base.yaml", base);
  write_file("child.yaml", child);
  ddr_scenario *scn = load_file_ok("child.yaml", NULL, 0);
  assert_string_equal(ddr_scenario_name(scn), "child");
  assert_string_equal(ddr_scenario_description(scn), "The parent");
  assert_true(constant(scn, "nodes.camp.sites.north.capacity") == 80);
  assert_false(has_input(scn, "nodes.camp.sites.south.capacity"));
  assert_true(constant(scn, "nodes.school.centres.bamako.seats") == 40);
  assert_true(constant(scn, "nodes.school.centres.gao.seats") == 30);
  /* the verbatim text is the child's; its parent is kept with its own */
  assert_string_equal(ddr_scenario_text(scn), child);
  const ddr_ydoc *parent = ddr_ydoc_parent(ddr_scenario_doc(scn));
  assert_non_null(parent);
  assert_string_equal(ddr_ydoc_name(parent), at("base.yaml"));
  assert_string_equal(ddr_ydoc_text(parent), base);
  assert_null(ddr_ydoc_parent(parent));
  /* the resolved scenario reads alone: no extends, no removed item */
  char *resolved = NULL;
  ddr_error err;
  assert_int_equal(ddr_scenario_resolved_text(scn, &resolved, &err), DDR_OK);
  assert_null(strstr(resolved, "extends"));
  assert_null(strstr(resolved, "south"));
  tu_assert_contains(resolved, "bamako");
  ddr_scenario *again = tu_load(resolved, NULL, 0);
  assert_true(constant(again, "nodes.camp.sites.north.capacity") == 80);
  ddr_scenario_free(again);
  free(resolved);
  ddr_scenario_free(scn);
}

static void test_chain_of_two(void **state) {
  (void)state;
  write_file("base.yaml", base);
  write_file("child.yaml", child);
  /* in another directory, naming its parent relative to its own */
  write_file("more/grandchild.yaml", "extends: ../child.yaml\n"
                                     "scenario: {name: grandchild}\n"
                                     "nodes:\n"
                                     "  - id: camp\n"
                                     "    sites: [{id: north, capacity: 90}]\n"
                                     "  - id: in\n"
                                     "    rate_per_week: 12\n");
  ddr_scenario *scn = load_file_ok("more/grandchild.yaml", NULL, 0);
  assert_string_equal(ddr_scenario_name(scn), "grandchild");
  assert_true(constant(scn, "nodes.camp.sites.north.capacity") == 90);   /* grandchild */
  assert_true(constant(scn, "nodes.in.rate_per_week") == 12);            /* grandchild */
  assert_true(constant(scn, "nodes.school.centres.bamako.seats") == 40); /* child */
  assert_false(has_input(scn, "nodes.camp.sites.south.capacity"));       /* child removed it */
  assert_true(constant(scn, "groups.a.size") == 100);                    /* base */
  const ddr_ydoc *p = ddr_ydoc_parent(ddr_scenario_doc(scn));
  assert_string_equal(ddr_ydoc_name(p), at("more/../child.yaml"));
  assert_string_equal(ddr_ydoc_name(ddr_ydoc_parent(p)), at("more/../base.yaml"));
  /* the parent's tree is its own resolved scenario */
  const ddr_ynode *camp = ddr_yseq_find_id(ddr_ymap_get(ddr_ydoc_root(p), "nodes"), "camp");
  const ddr_ynode *north = ddr_yseq_find_id(ddr_ymap_get(camp, "sites"), "north");
  assert_string_equal(ddr_ymap_get(north, "capacity")->scalar, "80");
  ddr_scenario_free(scn);
}

static void test_chain_errors(void **state) {
  (void)state;
  write_file("base.yaml", base);
  write_file("self.yaml", "extends: self.yaml\n");
  tu_assert_contains(load_file_error("self.yaml", NULL, 0),
                     "self.yaml:1:10: extends: the chain of extends is a cycle: self.yaml -> "
                     "self.yaml");
  write_file("a.yaml", "scenario: {name: a}\nextends: b.yaml\n");
  write_file("b.yaml", "extends: ./a.yaml\n");
  tu_assert_contains(load_file_error("a.yaml", NULL, 0),
                     "b.yaml:1:10: extends: the chain of extends is a cycle: a.yaml -> b.yaml -> "
                     "./a.yaml");
  write_file("missing.yaml", "scenario: {name: m}\nextends:   nowhere.yaml\n");
  tu_assert_contains(load_file_error("missing.yaml", NULL, 0),
                     "missing.yaml:2:12: extends: cannot read the parent scenario nowhere.yaml: No "
                     "such file or directory");
  write_file("map.yaml", "extends: {file: base.yaml}\n");
  tu_assert_contains(load_file_error("map.yaml", NULL, 0),
                     "map.yaml:1:10: extends: expected the path of the parent scenario file, found "
                     "a mapping");
  write_file("list.yaml", "extends: [base.yaml]\n");
  tu_assert_contains(load_file_error("list.yaml", NULL, 0), "found a list");
  write_file("empty.yaml", "extends:\nscenario: {name: e}\n");
  tu_assert_contains(load_file_error("empty.yaml", NULL, 0),
                     "empty.yaml:1:9: extends: expected the path of the parent scenario file, "
                     "found an empty value");
  /* a parent with its own errors: its syntax, and a chain above it */
  write_file("broken.yaml", "scenario: {name: x\n");
  write_file("on-broken.yaml", "extends: broken.yaml\n");
  const char *e = load_file_error("on-broken.yaml", NULL, 0);
  tu_assert_contains(e, "broken.yaml:2:1: ");
  tu_assert_contains(e, "YAML syntax error");
  tu_assert_contains(e, "(in the parent of on-broken.yaml)");
  write_file("on-missing.yaml", "extends: missing.yaml\n");
  tu_assert_contains(load_file_error("on-missing.yaml", NULL, 0),
                     "missing.yaml:2:12: extends: cannot read the parent scenario nowhere.yaml");
  write_file("sub/x.yaml", "extends: base.yaml\n"); /* base.yaml is not in sub/ */
  tu_assert_contains(load_file_error("sub/x.yaml", NULL, 0),
                     "x.yaml:1:10: extends: cannot read the parent scenario ");
  /* a merge error inside the chain names the file that wrote it */
  write_file("bad-remove.yaml", "extends: base.yaml\n"
                                "groups:\n"
                                "  - {id: c, remove: true}\n");
  tu_assert_contains(load_file_error("bad-remove.yaml", NULL, 0),
                     "bad-remove.yaml:3:10: groups.c: no item with id \"c\" in the parent's groups "
                     "to remove; its ids are: a, b");
}

/* At most DDR_YAML_MAX_EXTENDS files above a scenario. */
static void test_chain_depth(void **state) {
  (void)state;
  char name[64], text[128];
  write_file("d0.yaml", base);
  for (int i = 1; i <= DDR_YAML_MAX_EXTENDS + 1; i++) {
    snprintf(name, sizeof name, "d%d.yaml", i);
    snprintf(text, sizeof text, "extends: d%d.yaml\nscenario: {name: d%d}\n", i - 1, i);
    write_file(name, text);
  }
  snprintf(name, sizeof name, "d%d.yaml", DDR_YAML_MAX_EXTENDS);
  ddr_scenario *scn = load_file_ok(name, NULL, 0);
  size_t above = 0;
  for (const ddr_ydoc *d = ddr_ydoc_parent(ddr_scenario_doc(scn)); d; d = ddr_ydoc_parent(d))
    above++;
  assert_int_equal(above, DDR_YAML_MAX_EXTENDS);
  ddr_scenario_free(scn);
  snprintf(name, sizeof name, "d%d.yaml", DDR_YAML_MAX_EXTENDS + 1);
  tu_assert_contains(load_file_error(name, NULL, 0),
                     "d1.yaml:1:10: extends: too many levels of extends: at most 8 files may "
                     "stand above ");
}

/* The scenario reader runs on the merged tree, and its errors name the file
 * where the offending value was written. */
static void test_error_positions(void **state) {
  (void)state;
  char *bad = strdup(base);
  memcpy(strstr(bad, "seats: 30"), "seats: -3", 9);
  write_file("bad-base.yaml", bad);
  free(bad);
  write_file("on-bad.yaml", "extends: bad-base.yaml\nscenario: {name: x}\n");
  tu_assert_contains(load_file_error("on-bad.yaml", NULL, 0),
                     "bad-base.yaml:18:26: nodes.school.centres.gao.seats: expected a whole number "
                     ">= 1, found \"-3\"");
  write_file("base.yaml", base);
  write_file("bad-child.yaml", "extends: base.yaml\n"
                               "nodes:\n"
                               "  - id: school\n"
                               "    centres:\n"
                               "      - {id: gao, seats: -4}\n");
  tu_assert_contains(load_file_error("bad-child.yaml", NULL, 0),
                     "bad-child.yaml:5:26: nodes.school.centres.gao.seats: expected a whole number "
                     ">= 1, found \"-4\"");
  /* a misspelt key in the child, inside an item of the parent */
  write_file("typo.yaml", "extends: base.yaml\n"
                          "nodes:\n"
                          "  - id: camp\n"
                          "    duraton_days: 3\n");
  tu_assert_contains(load_file_error("typo.yaml", NULL, 0),
                     "typo.yaml:4:5: nodes.camp.duraton_days: unknown key \"duraton_days\"; did "
                     "you mean \"duration_days\"?");
  /* and a misspelt extends is suggested */
  write_file("extend.yaml", "extend: base.yaml\nscenario: {name: x}\ncalendar: {start: 2021-01-01, "
                            "end: 2021-12-31}\n");
  tu_assert_contains(load_file_error("extend.yaml", NULL, 0),
                     "extend.yaml:1:1: extend: unknown key \"extend\"; did you mean \"extends\"?");
  /* a node the child removes that the parent still names */
  write_file("dangling.yaml", "extends: base.yaml\nnodes:\n  - {id: army, remove: true}\n");
  tu_assert_contains(load_file_error("dangling.yaml", NULL, 0),
                     "base.yaml:19:9: nodes.school.to: unknown node \"army\"");
}

static void test_set_after_merge(void **state) {
  (void)state;
  write_file("base.yaml", base);
  write_file("child.yaml", child);
  const char *sets[] = {"nodes.camp.sites.north.capacity=85",
                        "nodes.school.centres.bamako.seats=45", "groups.a.size=150"};
  ddr_scenario *scn = load_file_ok("child.yaml", sets, 3);
  assert_true(constant(scn, "nodes.camp.sites.north.capacity") == 85);   /* the child's value */
  assert_true(constant(scn, "nodes.school.centres.bamako.seats") == 45); /* the child's item */
  assert_true(constant(scn, "groups.a.size") == 150);                    /* the parent's value */
  /* the parent's own tree is not changed by --set */
  const ddr_ydoc *p = ddr_ydoc_parent(ddr_scenario_doc(scn));
  const ddr_ynode *a = ddr_yseq_find_id(ddr_ymap_get(ddr_ydoc_root(p), "groups"), "a");
  assert_string_equal(ddr_ymap_get(a, "size")->scalar, "100");
  ddr_scenario_free(scn);
  /* what the child removed cannot be set; the parent cannot be set either */
  const char *gone[] = {"nodes.camp.sites.south.capacity=5"};
  tu_assert_contains(load_file_error("child.yaml", gone, 1),
                     "no item with id \"south\" in nodes.camp.sites; ids are: north");
  const char *ext[] = {"extends=other.yaml"};
  tu_assert_contains(load_file_error("child.yaml", ext, 1),
                     "--set: extends: the parent of a scenario cannot be set here");
  /* --set errors still name --set */
  const char *neg[] = {"nodes.school.centres.bamako.seats=-1"};
  tu_assert_contains(load_file_error("child.yaml", neg, 1),
                     "--set:1:1: nodes.school.centres.bamako.seats: expected a whole number >= 1");
}

/* ---- the command line ---- */

static void test_validate_explain(void **state) {
  (void)state;
  write_file("base.yaml", base);
  write_file("child.yaml", child);
  assert_int_equal(sh("%s validate child.yaml --explain", tu_bin()), 0);
  /* the resolved scenario first, as the emitter writes it */
  tu_assert_contains(out, "scenario:\n  name: child\n  description: The parent\ncalendar:\n");
  tu_assert_contains(out,
                     "    sites:\n      - id: north\n        capacity: 80\n    duration_days:");
  const char *diff = strstr(out, "# changes from the parent base.yaml:\n");
  if (!diff) fail_msg("no changes section in:\n%s", out);
  assert_string_equal(diff, "# changes from the parent base.yaml:\n"
                            "~ scenario.name: base -> child\n"
                            "~ nodes.camp.sites.north.capacity: 50 -> 80\n"
                            "- nodes.camp.sites.south\n"
                            "+ nodes.school.centres.bamako: {id: bamako, seats: 40, course_weeks: "
                            "6}\n");
  /* --set shows among the changes; a file without a parent has no section */
  assert_int_equal(sh("%s validate child.yaml --explain --set 'groups.b.size={dist: uniform, "
                      "min: 1, max: 2}' --set 'scenario.label=x'",
                      tu_bin()),
                   3);
  tu_assert_contains(out, "scenario.label: unknown key \"label\"");
  assert_int_equal(sh("%s validate child.yaml --explain --set groups.b.size=15", tu_bin()), 0);
  tu_assert_contains(out, "~ groups.b.size: {dist: uniform, min: 10, max: 20} -> 15\n");
  assert_int_equal(sh("%s validate child.yaml --explain --set groups.b.size.max=30 --set "
                      "nodes.camp.label='Camp, north'",
                      tu_bin()),
                   0);
  tu_assert_contains(out, "~ groups.b.size.max: 20 -> 30\n");
  tu_assert_contains(out, "+ nodes.camp.label: \"Camp, north\"\n");
  assert_int_equal(sh("%s validate base.yaml --explain", tu_bin()), 0);
  tu_assert_contains(out, "scenario:\n  name: base\n");
  assert_null(strstr(out, "# changes"));
  assert_null(strstr(out, "ok: scenario"));
  /* a child that changes nothing says so */
  write_file("same.yaml", "extends: base.yaml\n");
  assert_int_equal(sh("%s validate same.yaml --explain", tu_bin()), 0);
  tu_assert_contains(out, "# changes from the parent base.yaml: none\n");
  assert_int_equal(sh("%s validate child.yaml", tu_bin()), 0);
  tu_assert_contains(out, "child.yaml: ok: scenario child");
  assert_int_equal(sh("%s validate --help", tu_bin()), 0);
  tu_assert_contains(out, "--explain");
}

/* A run of a what-if keeps every file of its chain, verbatim, in order. */
static void test_run_keeps_chain(void **state) {
  (void)state;
  write_file("base.yaml", base);
  write_file("child.yaml", child);
  write_file("more/grandchild.yaml", "extends: ../child.yaml\nscenario: {name: grandchild}\n");
  assert_int_equal(sh("%s run more/grandchild.yaml -n 20 -q -o g.h5", tu_bin()), 0);
  int rc = sh("/usr/bin/python3 - <<'EOF'\n"
              "import h5py\n"
              "f = h5py.File('g.h5', 'r')\n"
              "s = f['scenario']\n"
              "files = list(s['files'].asstr()[:])\n"
              "texts = list(s['texts'].asstr()[:])\n"
              "assert files == ['more/grandchild.yaml', 'more/../child.yaml', "
              "'more/../base.yaml'], files\n"
              "for name, text in zip(files, texts):\n"
              "    assert open(name).read() == text, name\n"
              "assert s['text'].asstr()[()] == texts[0]\n"
              "assert s.attrs['file'] == files[0]\n"
              "r = s['resolved'].asstr()[()]\n"
              "assert 'extends' not in r and 'south' not in r and 'bamako' in r, r\n"
              "assert 'name: grandchild' in r, r\n"
              "print('chain ok')\n"
              "EOF\n");
  if (rc != 0) fail_msg("h5py check failed: %s", out);
  tu_assert_contains(out, "chain ok");
  /* h5dump sees the same, and a plain scenario is a chain of one */
  assert_int_equal(sh("h5dump -d /scenario/files g.h5"), 0);
  tu_assert_contains(out, "DATASPACE  SIMPLE { ( 3 ) / ( 3 ) }");
  assert_int_equal(
      sh("%s run base.yaml -n 20 -q -o b.h5 && h5dump -d /scenario/files b.h5", tu_bin()), 0);
  tu_assert_contains(out, "DATASPACE  SIMPLE { ( 1 ) / ( 1 ) }");
  tu_assert_contains(out, "\"base.yaml\"");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_merge_maps),
      cmocka_unit_test(test_merge_id_lists),
      cmocka_unit_test(test_remove_errors),
      cmocka_unit_test(test_replace_plain_list),
      cmocka_unit_test(test_kind_change),
      cmocka_unit_test(test_merge_positions),
      cmocka_unit_test(test_diff),
      cmocka_unit_test(test_scenario_extends),
      cmocka_unit_test(test_chain_of_two),
      cmocka_unit_test(test_chain_errors),
      cmocka_unit_test(test_chain_depth),
      cmocka_unit_test(test_error_positions),
      cmocka_unit_test(test_set_after_merge),
      cmocka_unit_test(test_validate_explain),
      cmocka_unit_test(test_run_keeps_chain),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

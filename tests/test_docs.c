/* scenarios/README.md stays true: every example in it loads as a scenario
 * (a what-if example with its parent), and every key the reader accepts is
 * documented in its section. docs/reliability.md stays true to the suite:
 * every test it cites exists. */
#include "testutil.h"

static char *readme(void) {
  return tu_read_source("scenarios/README.md");
}

/* An example is read as if it were a file in scenarios/, so that the parent
 * named by an example's `extends:` is found beside the README. */
static ddr_scenario *load_example(const char *text, size_t len) {
  char name[4096];
  ddr_error err;
  ddr_scenario *scn = NULL;
  snprintf(name, sizeof name, "%s/scenarios/README.md", tu_source_dir());
  ddr_error_clear(&err);
  if (ddr_scenario_load_string(name, text, len, NULL, 0, &scn, &err)) {
    ddr_error_print(&err, stderr);
    fail_msg("example did not load");
  }
  return scn;
}

static void test_examples_load(void **state) {
  (void)state;
  char *text = readme();
  int examples = 0, whatifs = 0;
  for (char *p = strstr(text, "```yaml\n"); p; p = strstr(p, "```yaml\n")) {
    p += 8;
    char *end = strstr(p, "```");
    assert_non_null(end);
    ddr_scenario *scn = load_example(p, (size_t)(end - p));
    whatifs += ddr_ydoc_parent(ddr_scenario_doc(scn)) != NULL;
    ddr_scenario_free(scn);
    examples++;
    p = end + 3;
  }
  assert_true(examples >= 1);
  assert_true(whatifs >= 1); /* the section on extends shows one, merged with its parent */
  free(text);
}

static void test_every_key_documented(void **state) {
  (void)state;
  char *text = readme();
  const ddr_keytable *const *t = ddr_scenario_keytables();
  for (; *t; t++) {
    char heading[256], cell[256];
    snprintf(heading, sizeof heading, "### `%s`", (*t)->context);
    char *sec = strstr(text, heading);
    if (!sec) fail_msg("scenarios/README.md has no section %s", heading);
    char *next = strstr(sec + 4, "\n### ");
    if (!next) next = strstr(sec + 4, "\n## ");
    size_t len = next ? (size_t)(next - sec) : strlen(sec);
    for (const ddr_keydoc *k = (*t)->keys; k->key; k++) {
      snprintf(cell, sizeof cell, "| `%s` |", k->key);
      char *hit = strstr(sec, cell);
      if (!hit || (size_t)(hit - sec) > len)
        fail_msg("key %s of %s is not documented in scenarios/README.md", k->key, (*t)->context);
    }
  }
  free(text);
}

/* Is name a test of tests/<program>.c: cmocka_unit_test...(name) or
 * (name, setup...) on a line? */
static int has_test(const char *program, const char *name) {
  char path[256];
  snprintf(path, sizeof path, "tests/%s.c", program);
  char *src = tu_read_source(path);
  size_t n = strlen(name);
  int found = 0;
  for (const char *p = strstr(src, "cmocka_unit_test"); p && !found;
       p = strstr(p + 1, "cmocka_unit_test")) {
    const char *open = strchr(p, '(');
    while (open && *++open == ' ') {
    }
    found = open && strncmp(open, name, n) == 0 && (open[n] == ')' || open[n] == ',');
  }
  free(src);
  return found;
}

/* In docs/reliability.md a test is cited as `test_prog: test_name`, and
 * further tests of the same program on the same line as `test_name`. */
static void test_reliability_cites_real_tests(void **state) {
  (void)state;
  char *text = tu_read_source("docs/reliability.md");
  assert_non_null(text);
  int cited = 0;
  for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
    char program[256] = "", tok[256];
    for (char *p = strchr(line, '`'); p; p = strchr(p, '`')) {
      char *end = strchr(p + 1, '`');
      if (!end) break;
      snprintf(tok, sizeof tok, "%.*s", (int)(end - p - 1), p + 1);
      p = end + 1;
      if (strncmp(tok, "test_", 5)) continue;
      char *colon = strstr(tok, ": ");
      const char *name = tok;
      if (colon && strncmp(colon + 2, "test_", 5) == 0) {
        *colon = '\0';
        memcpy(program, tok, strlen(tok) + 1);
        name = colon + 2;
      } else if (strchr(tok, ' ') || !program[0]) {
        continue;
      }
      if (!has_test(program, name)) fail_msg("%s has no test %s", program, name);
      cited++;
    }
  }
  assert_true(cited > 30);
  free(text);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_examples_load),
      cmocka_unit_test(test_every_key_documented),
      cmocka_unit_test(test_reliability_cites_real_tests),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

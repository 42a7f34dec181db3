/* scenarios/README.md stays true: every example in it loads as a scenario
 * (a what-if example with its parent), and every key the reader accepts is
 * documented in its section. */
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

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_examples_load),
      cmocka_unit_test(test_every_key_documented),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

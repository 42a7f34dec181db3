/* Uncertain inputs: sampling is fixed by (seed, replication, key path),
 * counts and dates are whole, and a distribution must fit its kind. */
#include <math.h>

#include "testutil.h"
#include "ddrsim/inputs.h"

static ddr_dist uniform(double a, double b) {
  ddr_dist d;
  double p[DDR_DIST_MAX_PARAMS] = {0};
  int given[DDR_DIST_MAX_PARAMS] = {0};
  char msg[256];
  p[ddr_dist_param_index(ddr_dist_uniform, "min")] = a;
  p[ddr_dist_param_index(ddr_dist_uniform, "max")] = b;
  given[ddr_dist_param_index(ddr_dist_uniform, "min")] = 1;
  given[ddr_dist_param_index(ddr_dist_uniform, "max")] = 1;
  assert_int_equal(ddr_dist_init(&d, ddr_dist_uniform, p, given, NULL, NULL, 0, msg, sizeof msg),
                   DDR_OK);
  return d;
}

static void test_sampling_is_keyed_by_path(void **state) {
  (void)state;
  ddr_inputs *a = ddr_inputs_create(), *b = ddr_inputs_create();
  ddr_dist d;
  d = uniform(0, 100), ddr_inputs_add(a, "x.one", DDR_IN_NONNEG, &d);
  d = uniform(0, 100), ddr_inputs_add(a, "x.two", DDR_IN_NONNEG, &d);
  /* b: another input first, and x.one with another law */
  d = uniform(5, 6), ddr_inputs_add(b, "x.zero", DDR_IN_NONNEG, &d);
  d = uniform(0, 1), ddr_inputs_add(b, "x.one", DDR_IN_NONNEG, &d);
  d = uniform(0, 100), ddr_inputs_add(b, "x.two", DDR_IN_NONNEG, &d);
  double va[2], vb[3], again[2];
  for (uint64_t r = 0; r < 50; r++) {
    ddr_inputs_sample(a, 9, r, va);
    ddr_inputs_sample(b, 9, r, vb);
    ddr_inputs_sample(a, 9, r, again);
    assert_true(va[0] == again[0] && va[1] == again[1]);
    assert_true(va[1] == vb[2]); /* x.two draws the same numbers in both */
    assert_true(vb[1] >= 0 && vb[1] <= 1);
  }
  ddr_inputs_sample(a, 10, 0, again);
  ddr_inputs_sample(a, 9, 0, va);
  assert_true(va[0] != again[0]);
  ddr_inputs_free(a);
  ddr_inputs_free(b);
}

static void test_counts_are_whole_and_constants_fixed(void **state) {
  (void)state;
  ddr_inputs *in = ddr_inputs_create();
  ddr_dist d = uniform(10.2, 12.9);
  ddr_inputs_add(in, "n", DDR_IN_COUNT, &d);
  ddr_dist_init_constant(&d, 7.5);
  ddr_inputs_add(in, "c", DDR_IN_NONNEG, &d);
  d = uniform(0.0, 0.6);
  ddr_inputs_add(in, "pos", DDR_IN_POSCOUNT, &d);
  assert_int_equal(ddr_inputs_count(in), 3);
  assert_int_equal(ddr_inputs_uncertain_count(in), 2);
  assert_int_equal(ddr_inputs_uncertain_index(in, 1), 2);
  assert_int_equal(ddr_inputs_find(in, "c"), 1);
  assert_int_equal(ddr_inputs_find(in, "nope"), -1);
  double v[3];
  for (uint64_t r = 0; r < 200; r++) {
    ddr_inputs_sample(in, 1, r, v);
    assert_true(v[0] == floor(v[0]) && v[0] >= 10 && v[0] <= 13);
    assert_true(v[1] == 7.5);
    assert_true(v[2] >= 1);
  }
  ddr_inputs_free(in);
}

static void test_kind_check(void **state) {
  (void)state;
  char msg[512];
  ddr_dist d = uniform(0.2, 1.4);
  assert_int_equal(ddr_input_kind_check(DDR_IN_PROB, &d, msg, sizeof msg), -1);
  tu_assert_contains(msg, "expected a probability in [0, 1]");
  tu_assert_contains(msg, "[0.2, 1.4]");
  assert_int_equal(ddr_input_kind_check(DDR_IN_NONNEG, &d, msg, sizeof msg), 0);
  ddr_dist_release(&d);
  ddr_dist_init_constant(&d, -1);
  assert_int_equal(ddr_input_kind_check(DDR_IN_COUNT, &d, msg, sizeof msg), -1);
  tu_assert_contains(msg, "expected a whole number >= 0, found -1");
  assert_int_equal(ddr_input_kind_check(DDR_IN_POSITIVE, &d, msg, sizeof msg), -1);
  assert_int_equal(ddr_input_kind_check(DDR_IN_REAL, &d, msg, sizeof msg), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sampling_is_keyed_by_path),
      cmocka_unit_test(test_counts_are_whole_and_constants_fixed),
      cmocka_unit_test(test_kind_check),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

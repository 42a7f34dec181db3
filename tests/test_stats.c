/* Histogram summaries against direct computation on sorted arrays, bulk
 * adding against one at a time, calendar arithmetic, and the Wilson interval
 * against published values. */
#include <math.h>

#include "testutil.h"
#include "ddrsim/calendar.h"
#include "ddrsim/rng.h"
#include "ddrsim/stats.h"

static int cmp_int(const void *a, const void *b) {
  int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
  return (x > y) - (x < y);
}

/* Type 7 on a sorted array, written from the definition. */
static double type7(const int32_t *v, size_t n, double p) {
  double h = (double)(n - 1) * p;
  size_t k = (size_t)floor(h);
  if (k + 1 >= n) return v[n - 1];
  return v[k] + (h - (double)k) * (v[k + 1] - v[k]);
}

static void test_quantiles_match_sorted_data(void **state) {
  (void)state;
  ddr_stream s;
  ddr_stream_init(&s, 1, 0, 0, 0);
  size_t sizes[] = {1, 2, 3, 10, 101, 5000};
  for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
    size_t n = sizes[k];
    int32_t *v = malloc(n * sizeof *v);
    ddr_hist h;
    ddr_hist_init(&h);
    for (size_t i = 0; i < n; i++) {
      /* bimodal, with negative values and wide gaps */
      v[i] = (ddr_stream_u32(&s) & 1) ? (int32_t)(ddr_stream_u32(&s) % 50) - 20
                                      : 100000 + (int32_t)(ddr_stream_u32(&s) % 7);
      assert_int_equal(ddr_hist_add(&h, v[i]), 0);
    }
    qsort(v, n, sizeof *v, cmp_int);
    double all[DDR_NQUANTILES];
    ddr_hist_quantiles(&h, ddr_quantile_levels, DDR_NQUANTILES, all);
    for (int q = 0; q < DDR_NQUANTILES; q++) {
      double want = type7(v, n, ddr_quantile_levels[q]),
             got = ddr_hist_quantile(&h, ddr_quantile_levels[q]);
      assert_true(fabs(want - got) <= 1e-9 * (1 + fabs(want)));
      assert_true(all[q] == got);
    }
    double mean = 0;
    for (size_t i = 0; i < n; i++) mean += v[i];
    mean /= (double)n;
    assert_true(fabs(ddr_hist_mean(&h) - mean) < 1e-9 * (1 + fabs(mean)));
    double m2, sd2, q2[DDR_NQUANTILES];
    ddr_hist_summary(&h, &m2, &sd2, q2);
    assert_true(m2 == ddr_hist_mean(&h));
    assert_true(sd2 == ddr_hist_sd(&h) || (isnan(sd2) && isnan(ddr_hist_sd(&h))));
    assert_memory_equal(q2, all, sizeof all);
    assert_int_equal(ddr_hist_order_stat(&h, 0), v[0]);
    assert_int_equal(ddr_hist_order_stat(&h, n - 1), v[n - 1]);
    free(v);
    ddr_hist_release(&h);
  }
}

static void test_merge_equals_single(void **state) {
  (void)state;
  ddr_hist a, b, all;
  ddr_hist_init(&a), ddr_hist_init(&b), ddr_hist_init(&all);
  for (int i = 0; i < 1000; i++) {
    int32_t v = (i * 7919) % 613 - (i % 3) * 1000;
    ddr_hist_add(i % 2 ? &a : &b, v);
    ddr_hist_add(&all, v);
  }
  assert_int_equal(ddr_hist_merge(&a, &b), 0);
  assert_int_equal(a.n, all.n);
  for (int q = 0; q < DDR_NQUANTILES; q++)
    assert_true(ddr_hist_quantile(&a, ddr_quantile_levels[q]) ==
                ddr_hist_quantile(&all, ddr_quantile_levels[q]));
  assert_true(ddr_hist_sd(&a) == ddr_hist_sd(&all));
  ddr_hist_release(&a), ddr_hist_release(&b), ddr_hist_release(&all);
}

/* Adding values in bulk gives the histogram of adding them one by one: in
 * the allocated range, all equal, and beyond it on either side (growth). */
static void test_add_many_equals_add(void **state) {
  (void)state;
  uint32_t storage[200] = {0};
  ddr_hist bulk, one;
  ddr_hist_borrow(&bulk, -100, 200, storage);
  ddr_hist_init(&one);
  const int32_t same[5] = {7, 7, 7, 7, 7};
  int32_t in[50], out[50];
  for (int i = 0; i < 50; i++) in[i] = (i * 37) % 150 - 90, out[i] = (i * 53) % 900 - 400;
  const int32_t *sets[3] = {same, in, out};
  const size_t sizes[3] = {5, 50, 50};
  for (int k = 0; k < 3; k++) {
    assert_int_equal(ddr_hist_add_many(&bulk, sets[k], sizes[k]), 0);
    for (size_t i = 0; i < sizes[k]; i++) assert_int_equal(ddr_hist_add(&one, sets[k][i]), 0);
    assert_int_equal(bulk.n, one.n);
    assert_int_equal(bulk.vmin, one.vmin);
    assert_int_equal(bulk.vmax, one.vmax);
    for (int32_t v = one.vmin; v <= one.vmax; v++)
      assert_int_equal(bulk.count[v - bulk.lo], one.count[v - one.lo]);
  }
  assert_int_equal(ddr_hist_add_many(&bulk, in, 0), 0);
  ddr_hist_release(&bulk), ddr_hist_release(&one);
}

static void test_wilson(void **state) {
  (void)state;
  double lo, hi;
  /* 81 of 263: 0.2553 to 0.3662 (Newcombe 1998, method 3) */
  ddr_wilson95(81, 263, &lo, &hi);
  assert_true(fabs(lo - 0.2553) < 1e-4 && fabs(hi - 0.3662) < 1e-4);
  ddr_wilson95(0, 10, &lo, &hi);
  assert_true(lo == 0 && fabs(hi - 0.2775) < 1e-4);
}

static void test_dates(void **state) {
  (void)state;
  int32_t d;
  assert_int_equal(ddr_date_parse("1970-01-01", &d), 0);
  assert_int_equal(d, 0);
  assert_int_equal(ddr_date_parse("2020-07-01", &d), 0);
  assert_int_equal(d, 18444);
  char buf[16];
  ddr_date_format(18444, buf, sizeof buf);
  assert_string_equal(buf, "2020-07-01");
  assert_int_equal(ddr_date_parse("2020-02-29", &d), 0);
  assert_int_equal(ddr_date_parse("2021-02-29", &d), -1);
  assert_int_equal(ddr_date_parse("2021-13-01", &d), -1);
  assert_int_equal(ddr_date_parse("2021-1-01", &d), -1);
  for (int32_t x = -1000; x < 30000; x += 37) {
    ddr_date_format(x, buf, sizeof buf);
    assert_int_equal(ddr_date_parse(buf, &d), 0);
    assert_int_equal(d, x);
  }
}

static void test_steps(void **state) {
  (void)state;
  ddr_calendar cal;
  int32_t s, e;
  ddr_date_parse("2020-07-01", &s);
  ddr_date_parse("2020-07-31", &e);
  assert_int_equal(ddr_calendar_init(&cal, s, e, 7), 0);
  assert_int_equal(cal.nsteps, 5); /* 31 days: 4 full weeks and a part */
  assert_int_equal(ddr_calendar_step_of(&cal, s + 6), 0);
  assert_int_equal(ddr_calendar_step_of(&cal, s + 7), 1);
  assert_int_equal(ddr_calendar_step_of(&cal, s - 1), -1);
  assert_int_equal(ddr_calendar_step_last(&cal, 0), s + 6);
  assert_int_equal(ddr_calendar_init(&cal, e, s, 7), -1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_quantiles_match_sorted_data),
      cmocka_unit_test(test_merge_equals_single),
      cmocka_unit_test(test_add_many_equals_add),
      cmocka_unit_test(test_wilson),
      cmocka_unit_test(test_dates),
      cmocka_unit_test(test_steps),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Tests of the counter-based streams (sim/rng.c): Philox4x64-10 known answers,
 * stream keying, the open-interval uniform, and the gsl_rng wrapper. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <Random123/philox.h>

#include "ddrsim/rng.h"

/* Known-answer vectors for philox4x64 with 10 rounds, from Random123's
 * examples/kat_vectors (counter, key, output). */
static const uint64_t kat[3][10] = {
    {0, 0, 0, 0, 0, 0, 0x16554d9eca36314cULL, 0xdb20fe9d672d0fdcULL, 0xd7e772cee186176bULL,
     0x7e68b68aec7ba23bULL},
    {~0ULL, ~0ULL, ~0ULL, ~0ULL, ~0ULL, ~0ULL, 0x87b092c3013fe90bULL, 0x438c3c67be8d0224ULL,
     0x9cc7d7c69cd777b6ULL, 0xa09caebf594f0ba0ULL},
    {0x243f6a8885a308d3ULL, 0x13198a2e03707344ULL, 0xa4093822299f31d0ULL, 0x082efa98ec4e6c89ULL,
     0x452821e638d01377ULL, 0xbe5466cf34e90c6cULL, 0xa528f45403e61d95ULL, 0x38c72dbd566e9788ULL,
     0xa5a1610e72fd18b5ULL, 0x57bd43b5e52b7fe6ULL},
};

static void test_philox_known_answers(void **state) {
  (void)state;
  for (int i = 0; i < 3; i++) {
    philox4x64_ctr_t c = {{kat[i][0], kat[i][1], kat[i][2], kat[i][3]}};
    philox4x64_key_t k = {{kat[i][4], kat[i][5]}};
    philox4x64_ctr_t r = philox4x64_R(10, c, k);
    for (int j = 0; j < 4; j++) assert_true(r.v[j] == kat[i][6 + j]);

    /* The same block through a stream keyed to that counter and key: key
     * (seed, component), counter (block, step, replication, 0); each 64-bit
     * word gives two 32-bit numbers, low half first. */
    if (kat[i][3] != 0 || kat[i][5] > UINT32_MAX || kat[i][1] > UINT32_MAX) continue;
    ddr_stream s;
    ddr_stream_init(&s, kat[i][4], kat[i][2], (uint32_t)kat[i][5], (uint32_t)kat[i][1]);
    s.ctr[0] = kat[i][0];
    for (int j = 0; j < 4; j++) {
      assert_int_equal(ddr_stream_u32(&s), (uint32_t)kat[i][6 + j]);
      assert_int_equal(ddr_stream_u32(&s), (uint32_t)(kat[i][6 + j] >> 32));
    }
  }
}

/* The stream is Philox applied to successive block counters. */
static void test_stream_layout(void **state) {
  (void)state;
  uint64_t seed = 0x0123456789abcdefULL;
  ddr_stream s;
  ddr_stream_init(&s, seed, 77, 0xdeadbeef, 12);
  philox4x64_key_t k = {{seed, 0xdeadbeef}};
  for (uint64_t block = 0; block < 5; block++) {
    philox4x64_ctr_t c = {{block, 12, 77, 0}};
    philox4x64_ctr_t r = philox4x64(c, k);
    for (int j = 0; j < 4; j++) {
      assert_int_equal(ddr_stream_u32(&s), (uint32_t)r.v[j]);
      assert_int_equal(ddr_stream_u32(&s), (uint32_t)(r.v[j] >> 32));
    }
  }
}

/* Test vectors of 32-bit FNV-1a (Fowler, Noll, Vo; IETF draft-eastlake-fnv). */
static void test_component_id(void **state) {
  (void)state;
  assert_int_equal(ddr_component_id(""), 0x811c9dc5u);
  assert_int_equal(ddr_component_id("a"), 0xe40c292cu);
  assert_int_equal(ddr_component_id("foobar"), 0xbf9cf968u);
  assert_int_not_equal(ddr_component_id("nodes.a.rate"), ddr_component_id("nodes.b.rate"));
}

static void test_gsl_interface_matches_stream(void **state) {
  (void)state;
  gsl_rng *r = gsl_rng_alloc(ddr_rng_philox);
  assert_non_null(r);
  assert_string_equal(gsl_rng_name(r), "ddr-philox4x64");
  assert_int_equal(gsl_rng_max(r), 0xFFFFFFFFUL);
  assert_int_equal(gsl_rng_min(r), 0);
  assert_int_equal(gsl_rng_size(r), sizeof(ddr_stream));

  ddr_stream s;
  gsl_rng_set(r, 12345);
  ddr_stream_init(&s, 12345, 0, 0, 0);
  for (int i = 0; i < 1000; i++) assert_int_equal(gsl_rng_get(r), ddr_stream_u32(&s));
  for (int i = 0; i < 1000; i++) assert_true(gsl_rng_uniform(r) == ddr_stream_uniform(&s));

  ddr_rng_position(r, 99, 5, 6, 7);
  ddr_stream_init(&s, 99, 5, 6, 7);
  for (int i = 0; i < 100; i++) assert_int_equal(gsl_rng_get(r), ddr_stream_u32(&s));
  assert_ptr_equal(ddr_rng_stream(r), r->state);
  gsl_rng_free(r);
}

static void first_words(uint64_t seed, uint64_t rep, uint32_t comp, uint32_t step, uint32_t *w) {
  ddr_stream s;
  ddr_stream_init(&s, seed, rep, comp, step);
  for (int i = 0; i < 8; i++) w[i] = ddr_stream_u32(&s);
}

static void test_streams_differ(void **state) {
  (void)state;
  uint32_t base[8], other[8];
  first_words(1, 2, 3, 4, base);
  const uint32_t variants[5][4] = {
      {2, 2, 3, 4}, {1, 3, 3, 4}, {1, 2, 4, 4}, {1, 2, 3, 5}, {1, 2, 3, DDR_STEP_INPUTS}};
  for (int v = 0; v < 5; v++) {
    first_words(variants[v][0], variants[v][1], variants[v][2], variants[v][3], other);
    assert_memory_not_equal(base, other, sizeof base);
  }
  /* The high word of the seed is part of the key. */
  first_words(1 + (1ULL << 32), 2, 3, 4, other);
  assert_memory_not_equal(base, other, sizeof base);
  /* Re-initialising gives the same stream. */
  first_words(1, 2, 3, 4, other);
  assert_memory_equal(base, other, sizeof base);
}

static void test_uniform_open_interval(void **state) {
  (void)state;
  /* Extreme words: all zero bits and all one bits must stay inside (0, 1). */
  ddr_stream s;
  ddr_stream_init(&s, 0, 0, 0, 0);
  memset(s.buf, 0, sizeof s.buf);
  s.avail = 2;
  double lo = ddr_stream_uniform(&s);
  memset(s.buf, 0xff, sizeof s.buf);
  s.avail = 2;
  double hi = ddr_stream_uniform(&s);
  assert_true(lo > 0 && lo < 1e-15);
  assert_true(hi < 1 && hi > 1 - 1e-15);
  assert_true(1 - hi == lo); /* symmetric grid */

  ddr_stream_init(&s, 2024, 1, 2, 3);
  const int n = 1000000;
  double sum = 0;
  for (int i = 0; i < n; i++) {
    double u = ddr_stream_uniform(&s);
    assert_true(u > 0 && u < 1);
    sum += u;
  }
  /* Mean of U(0,1) is 1/2 with sd sqrt(1/12). */
  assert_true(fabs(sum / n - 0.5) < 4 * sqrt(1.0 / 12 / n));
}

/* Chi-square test of the top 8 bits of u32 over 256 equally likely cells. */
static void test_u32_top_bits_uniform(void **state) {
  (void)state;
  enum { CELLS = 256, N = 1 << 20 };
  static unsigned count[CELLS];
  memset(count, 0, sizeof count);
  ddr_stream s;
  ddr_stream_init(&s, 7, 0, ddr_component_id("test.u32"), 0);
  for (int i = 0; i < N; i++) count[ddr_stream_u32(&s) >> 24]++;
  double expect = (double)N / CELLS, chi2 = 0;
  for (int c = 0; c < CELLS; c++) chi2 += (count[c] - expect) * (count[c] - expect) / expect;
  double crit = gsl_cdf_chisq_Pinv(0.999, CELLS - 1);
  if (chi2 >= crit) print_message("chi2 %g >= %g\n", chi2, crit);
  assert_true(chi2 < crit);
}

static void test_gsl_gaussian(void **state) {
  (void)state;
  gsl_rng *r = gsl_rng_alloc(ddr_rng_philox);
  ddr_rng_position(r, 31, 4, ddr_component_id("test.gauss"), 0);
  const int n = 200000;
  double sum = 0, sum2 = 0;
  for (int i = 0; i < n; i++) {
    double x = gsl_ran_gaussian(r, 2.0);
    sum += x;
    sum2 += x * x;
  }
  double mean = sum / n, var = sum2 / n - mean * mean;
  /* N(0, 4): the mean has sd 2/sqrt(n), the variance sd 4 sqrt(2/n). */
  assert_true(fabs(mean) < 4 * 2 / sqrt(n));
  assert_true(fabs(var - 4) < 4 * 4 * sqrt(2.0 / n));
  gsl_rng_free(r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_philox_known_answers),
      cmocka_unit_test(test_stream_layout),
      cmocka_unit_test(test_component_id),
      cmocka_unit_test(test_gsl_interface_matches_stream),
      cmocka_unit_test(test_streams_differ),
      cmocka_unit_test(test_uniform_open_interval),
      cmocka_unit_test(test_u32_top_bits_uniform),
      cmocka_unit_test(test_gsl_gaussian),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Counter-based random streams: Philox4x64-10 keyed by (seed, component) with
 * counter (block, step, replication), and the same streams wrapped as a
 * gsl_rng_type. */
#include "ddrsim/rng.h"

#include <assert.h>
#include <string.h>
#include <Random123/philox.h>

uint32_t ddr_component_id(const char *keypath) {
  /* FNV-1a, 32 bits: stable across platforms and releases, which is all a
   * stream name needs; it is not meant to resist collisions on purpose. */
  uint32_t h = 2166136261u;
  for (const unsigned char *c = (const unsigned char *)keypath; *c; c++) {
    h ^= *c;
    h *= 16777619u;
  }
  return h;
}

/* Only stores: streams are re-keyed for every replication and process, so
 * positioning one must cost next to nothing. */
void ddr_stream_init(ddr_stream *s, uint64_t seed, uint64_t replication, uint32_t component,
                     uint32_t step) {
  s->key[0] = seed;
  s->key[1] = component;
  s->ctr[0] = 0;
  s->ctr[1] = step;
  s->ctr[2] = replication;
  s->ctr[3] = 0;
  s->avail = 0;
}

/* Philox4x64-10 with Random123's multiply, the four words kept in local
 * variables: Random123's own form, which passes the block as a struct, made
 * GCC spill them and read them back as vectors (store-forwarding stalls).
 * The same numbers: tests/test_rng.c checks known answers and the stream
 * layout against Random123's philox4x64. */
#define PHILOX_M0 0xD2E7470EE14C6C93ull
#define PHILOX_M1 0xCA5A826395121157ull
#define PHILOX_W0 0x9E3779B97F4A7C15ull
#define PHILOX_W1 0xBB67AE8584CAA73Bull

void ddr_stream_refill(ddr_stream *s) {
  uint64_t k0 = s->key[0], k1 = s->key[1];
  uint64_t a = s->ctr[0], b = s->ctr[1], c = s->ctr[2], d = s->ctr[3];
  for (int r = 0; r < 10; r++) {
    uint64_t hi0, hi1;
    uint64_t lo0 = mulhilo64(PHILOX_M0, a, &hi0), lo1 = mulhilo64(PHILOX_M1, c, &hi1);
    a = hi1 ^ b ^ k0, b = lo1;
    c = hi0 ^ d ^ k1, d = lo0;
    k0 += PHILOX_W0, k1 += PHILOX_W1;
  }
  /* 32-bit words, low half first */
  uint64_t out[4] = {a, b, c, d};
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  memcpy(s->buf, out, sizeof out); /* the words' own memory layout */
#else
  for (int i = 0; i < 4; i++) {
    s->buf[2 * i] = (uint32_t)out[i];
    s->buf[2 * i + 1] = (uint32_t)(out[i] >> 32);
  }
#endif
  s->ctr[0]++;
  s->avail = 8;
}

/* gsl_rng_type glue. GSL hands us its state buffer (sizeof(ddr_stream) bytes)
 * as void *; the seed of gsl_rng_set keys replication 0, component 0, step 0. */

static void philox_set(void *state, unsigned long seed) {
  ddr_stream_init(state, (uint64_t)seed, 0, 0, 0);
}

static unsigned long philox_get(void *state) {
  return ddr_stream_u32(state);
}

static double philox_get_double(void *state) {
  return ddr_stream_uniform(state);
}

static const gsl_rng_type philox_type = {"ddr-philox4x64", /* name */
                                         0xFFFFFFFFUL,     /* largest value get() returns */
                                         0,                /* smallest value get() returns */
                                         sizeof(ddr_stream),
                                         &philox_set,
                                         &philox_get,
                                         &philox_get_double};

const gsl_rng_type *ddr_rng_philox = &philox_type;

ddr_stream *ddr_rng_stream(gsl_rng *r) {
  assert(r->type == ddr_rng_philox);
  return r->state;
}

void ddr_rng_position(gsl_rng *r, uint64_t seed, uint64_t replication, uint32_t component,
                      uint32_t step) {
  ddr_stream_init(ddr_rng_stream(r), seed, replication, component, step);
}

/* Counter-based random streams: Philox4x64-10 keyed by (seed, component) with
 * counter (block, step, replication), and the same streams wrapped as a
 * gsl_rng_type. */
#include "ddrsim/rng.h"

#include <assert.h>
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

void ddr_stream_refill(ddr_stream *s) {
  philox4x64_ctr_t ctr = {{s->ctr[0], s->ctr[1], s->ctr[2], s->ctr[3]}};
  philox4x64_key_t key = {{s->key[0], s->key[1]}};
  philox4x64_ctr_t out = philox4x64(ctr, key);
  for (int i = 0; i < 4; i++) {
    s->buf[2 * i] = (uint32_t)out.v[i];
    s->buf[2 * i + 1] = (uint32_t)(out.v[i] >> 32);
  }
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

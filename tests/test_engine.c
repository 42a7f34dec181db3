/* The engine's events (sim/engine.c) and their way into the result file
 * (sim/store_events.c, sim/resfile.c, `ddrsim summary`), with a model of this
 * test's own, "eventtest": each replication draws from its random stream
 * 0 .. most events of random kinds, starting in order, some lasting past the
 * horizon. Each replication's events are known in advance by running the
 * model alone, so every path can be checked against them: in replication
 * order for any thread count, in the file as h5py reads it
 * (tests/events_check.py), counted in the summaries. */
#include <sys/wait.h>

#include "ddrsim/rng.h"
#include "ddrsim/store.h"
#include "cliutil.h"

/* ---- The test model ---- */

enum { FAULT_NONE, FAULT_KIND, FAULT_ORDER, FAULT_LAST, FAULT_FIRST };

typedef struct ev_params {
  uint32_t nkinds, most;
  int fault; /* every replication reports this mistake */
  int nsteps;
} ev_params;

typedef struct ev_state {
  uint32_t n;
  ddr_event ev[]; /* room for most */
} ev_state;

static const ddr_keydoc ev_keys[] = {{"kinds", "Kinds of events registered."},
                                     {"most", "Each replication has 0 to most events."},
                                     {"fault", "none, kind, order, last or first."},
                                     {NULL, NULL}};
static const ddr_keytable ev_tables[] = {{"eventtest", ev_keys}, {NULL, NULL}};
static const char *const ev_sections[] = {"eventtest", NULL};

/* Calls of `events` that found too little room: the engine must ask again. */
static unsigned long short_calls;

static ddr_status ev_create(ddr_scenario *scn, const ddr_ynode *root, void **params,
                            ddr_error *err) {
  static const char *const faults[] = {"none", "kind", "order", "last", "first", NULL};
  const ddr_ynode *sec;
  long kinds, most;
  int fault;
  ddr_status st;
  if ((st = ddr_read_map(root, "", "eventtest", 1, &sec, err)) ||
      (st = ddr_read_keys(sec, "eventtest", ev_keys, err)) ||
      (st = ddr_read_long(sec, "eventtest", "kinds", 1, 0, 0, 100, &kinds, err)) ||
      (st = ddr_read_long(sec, "eventtest", "most", 1, 0, 0, 100000, &most, err)) ||
      (st = ddr_read_enum(sec, "eventtest", "fault", faults, 0, &fault, err)))
    return st;
  for (long k = 0; k < kinds; k++) {
    char name[64], label[64];
    snprintf(name, sizeof name, "shocks.kind-%ld", k);
    snprintf(label, sizeof label, "Shock of kind %ld, \"quoted\"", k);
    /* kind 1 has no label; registering a name again gives its index */
    assert_int_equal(ddr_scenario_add_event_kind(scn, name, k == 1 ? NULL : label), k);
    assert_int_equal(ddr_scenario_add_event_kind(scn, name, "again"), k);
  }
  if (ddr_scenario_add_metric(scn, "shocks.count", "events", "events begun so far", err) < 0)
    return err->status;
  ev_params *p = calloc(1, sizeof *p);
  if (!p) return ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory");
  *p = (ev_params){(uint32_t)kinds, (uint32_t)most, fault, ddr_scenario_calendar(scn)->nsteps};
  *params = p;
  return DDR_OK;
}

static void ev_free(void *params) {
  free(params);
}

static size_t ev_state_size(const void *params) {
  const ev_params *p = params;
  return sizeof(ev_state) + p->most * sizeof(ddr_event);
}

/* Draw the replication's events: starts never decreasing, from two steps
 * before the start date, durations up to 20 steps (past the horizon near its
 * end). */
static void ev_init(const void *params, void *state, const ddr_rep *rep) {
  const ev_params *p = params;
  ev_state *s = state;
  ddr_stream rng;
  ddr_stream_init(&rng, rep->seed, rep->index, ddr_component_id("eventtest"), 0);
  s->n = p->nkinds ? ddr_uniform_below(&rng, p->most + 1) : 0;
  int32_t t = -2; /* the first may have begun before the start */
  for (uint32_t j = 0; j < s->n; j++) {
    t += (int32_t)ddr_uniform_below(&rng, 3);
    if (t >= p->nsteps) t = p->nsteps - 1;
    s->ev[j] = (ddr_event){ddr_uniform_below(&rng, p->nkinds), t,
                           t + (int32_t)ddr_uniform_below(&rng, 20)};
  }
  if (p->fault) { /* two events from step 3, one of them wrong */
    s->n = s->n > 2 ? s->n : 2;
    s->ev[0] = (ddr_event){0, 3, 4};
    s->ev[1] = (ddr_event){1, 5, 80};
  }
  if (p->fault == FAULT_KIND) s->ev[0].kind = p->nkinds;
  if (p->fault == FAULT_ORDER) s->ev[1].first = 2;
  if (p->fault == FAULT_LAST) s->ev[0].last = 2;
  if (p->fault == FAULT_FIRST) s->ev[0].first = p->nsteps;
}

static void ev_step(const void *params, void *state, const ddr_rep *rep, int t, int32_t *obs) {
  const ev_state *s = state;
  int32_t begun = 0;
  for (uint32_t j = 0; j < s->n; j++) begun += s->ev[j].first <= t;
  obs[0] = begun;
}

static int64_t ev_population(const void *params, const void *state) {
  return 0;
}

static size_t ev_events(const void *params, const void *state, ddr_event *out, size_t max) {
  const ev_state *s = state;
  for (size_t j = 0; j < s->n && j < max; j++) out[j] = s->ev[j];
  if (s->n > max) {
#pragma omp atomic
    short_calls++;
  }
  return s->n;
}

static const ddr_model_type eventtest = {
    .name = "eventtest",
    .summary = "Random events per replication, for the engine's tests",
    .sections = ev_sections,
    .keytables = ev_tables,
    .create = ev_create,
    .free = ev_free,
    .state_size = ev_state_size,
    .init = ev_init,
    .step = ev_step,
    .population = ev_population,
    .events = ev_events,
};

/* The same model without the events operation. */
static const ddr_model_type silent = {
    .name = "eventtest-silent",
    .summary = "eventtest without events",
    .sections = ev_sections,
    .keytables = ev_tables,
    .create = ev_create,
    .free = ev_free,
    .state_size = ev_state_size,
    .init = ev_init,
    .step = ev_step,
    .population = ev_population,
};

/* ---- Helpers ---- */

#define SEED 2531u

static ddr_scenario *load(const char *model, int kinds, int most, const char *fault) {
  char text[512];
  snprintf(text, sizeof text,
           "scenario:\n  name: events\n  model: %s\n"
           "calendar:\n  start: 2024-01-01\n  end: 2024-12-31\n  step: week\n"
           "eventtest:\n  kinds: %d\n  most: %d\n  fault: %s\n",
           model, kinds, most, fault);
  return tu_load(text, NULL, 0);
}

/* Every replication's events, as the model alone reports them. */
typedef struct expected {
  uint64_t *off; /* [n + 1] */
  ddr_event *ev;
} expected;

static expected expect_events(const ddr_scenario *scn, uint64_t n) {
  const ddr_model_type *m = ddr_scenario_model(scn);
  const void *params = ddr_scenario_params(scn);
  const ddr_inputs *in = ddr_scenario_inputs(scn);
  const ev_params *p = params;
  expected x = {calloc(n + 1, sizeof *x.off), calloc(n * p->most + 1, sizeof *x.ev)};
  void *state = calloc(1, m->state_size(params));
  double *inputs = calloc(ddr_inputs_count(in) + 1, sizeof *inputs);
  for (uint64_t r = 0; r < n; r++) {
    ddr_inputs_sample(in, SEED, r, inputs);
    ddr_rep rep = {SEED, r, inputs, ddr_scenario_calendar(scn)};
    m->init(params, state, &rep);
    x.off[r + 1] = x.off[r] + ((ev_state *)state)->n;
    memcpy(x.ev + x.off[r], ((ev_state *)state)->ev, ((ev_state *)state)->n * sizeof *x.ev);
  }
  free(state);
  free(inputs);
  return x;
}

static void expected_free(expected *x) {
  free(x->off);
  free(x->ev);
}

/* A sink keeping every batch's events, checking that batches come in order. */
typedef struct capture {
  uint64_t next; /* replication the next batch must start at */
  uint64_t *off; /* [replications + 1] */
  ddr_event *ev; /* all events so far */
  size_t nev, cap;
  ddr_sink forward; /* then hand the batch on, if set */
} capture;

static ddr_status capture_batch(void *ctx, const ddr_batch *b, ddr_error *err) {
  capture *c = ctx;
  assert_int_equal(b->first, c->next);
  size_t n = b->event_off ? (size_t)b->event_off[b->count] : 0; /* NULL: none */
  if (c->nev + n > c->cap) {
    c->cap = 2 * (c->nev + n);
    c->ev = realloc(c->ev, c->cap * sizeof *c->ev);
  }
  if (n) memcpy(c->ev + c->nev, b->events, n * sizeof *c->ev);
  c->off = realloc(c->off, (b->first + b->count + 1) * sizeof *c->off);
  c->off[0] = 0;
  for (uint64_t i = 0; i < b->count; i++)
    c->off[b->first + i + 1] = c->nev + (b->event_off ? b->event_off[i + 1] : 0);
  c->nev += n;
  c->next += b->count;
  return c->forward.batch ? c->forward.batch(c->forward.ctx, b, err) : DDR_OK;
}

static ddr_status run(const ddr_scenario *scn, uint64_t n, int threads, uint64_t batch,
                      const ddr_sink *sink, ddr_results **res, ddr_error *err) {
  ddr_run_options opt = {SEED, n, threads, 0, batch, NULL, NULL, NULL, 0};
  ddr_error_clear(err);
  return ddr_engine_run(scn, &opt, sink, res, err);
}

/* The captured events are exactly the model's, replication by replication. */
static void assert_events_equal(const capture *c, const expected *x, uint64_t n) {
  assert_int_equal(c->next, n);
  assert_memory_equal(c->off, x->off, (n + 1) * sizeof *c->off);
  if (x->off[n]) assert_memory_equal(c->ev, x->ev, x->off[n] * sizeof *c->ev);
}

/* The per-kind counts agree with the events. */
static void assert_counts(const ddr_event_summary *s, size_t nkinds, const expected *x,
                          uint64_t n) {
  for (size_t k = 0; k < nkinds; k++) {
    uint64_t events = 0, reps = 0;
    for (uint64_t r = 0; r < n; r++) {
      uint64_t here = 0;
      for (uint64_t e = x->off[r]; e < x->off[r + 1]; e++) here += x->ev[e].kind == k;
      events += here;
      reps += here > 0;
    }
    assert_int_equal(s[k].events, events);
    assert_int_equal(s[k].replications, reps);
  }
}

/* ---- Engine ---- */

/* Events come in replication order, the same for 1 and 2 threads, and are
 * the model's own; the summaries count them. */
static void test_order_and_threads(void **state) {
  (void)state;
  ddr_scenario *scn = load("eventtest", 3, 6, "none");
  const uint64_t n = 203; /* batches of 16 and a short last one */
  expected x = expect_events(scn, n);
  assert_true(x.off[n] > n); /* some replications have several events */
  for (int threads = 1; threads <= 2; threads++) {
    capture c = {0};
    ddr_sink sink = {&c, capture_batch};
    ddr_results *res = NULL;
    ddr_error err;
    assert_int_equal(run(scn, n, threads, 16, &sink, &res, &err), DDR_OK);
    assert_events_equal(&c, &x, n);
    assert_int_equal(res->nevent_kinds, 3);
    assert_counts(res->events, 3, &x, n);
    ddr_results_free(res);
    free(c.off);
    free(c.ev);
  }
  expected_free(&x);
  ddr_scenario_free(scn);
}

/* Replications with more events than a thread's buffer holds: the model is
 * asked again with room for all, and nothing is lost. */
static void test_more_than_the_buffer(void **state) {
  (void)state;
  ddr_scenario *scn = load("eventtest", 2, 500, "none");
  const uint64_t n = 40;
  expected x = expect_events(scn, n);
  short_calls = 0;
  capture c = {0};
  ddr_sink sink = {&c, capture_batch};
  ddr_results *res = NULL;
  ddr_error err;
  assert_int_equal(run(scn, n, 2, 0, &sink, &res, &err), DDR_OK);
  assert_true(short_calls > 0);
  assert_events_equal(&c, &x, n);
  assert_counts(res->events, 2, &x, n);
  ddr_results_free(res);
  free(c.off);
  free(c.ev);
  expected_free(&x);
  ddr_scenario_free(scn);
}

/* A model breaking the rules fails the run with the earliest replication's
 * mistake, whatever the thread count. */
static void test_bad_events(void **state) {
  (void)state;
  static const char *const cases[][2] = {
      {"kind", "model eventtest reported an unregistered kind in replication 0: event 0 of kind "
               "2, steps "},
      {"order", "model eventtest reported an event out of order (by first step) in replication "
                "0: event 1 of kind 1, steps 2 to 80 "},
      {"last", "model eventtest reported a last step before its first in replication 0: event 0 "
               "of kind "},
      {"first", "model eventtest reported a first step past the horizon in replication 0: "
                "event 0 of kind "}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    for (int threads = 1; threads <= 2; threads++) {
      ddr_scenario *scn = load("eventtest", 2, 4, cases[i][0]);
      ddr_results *res = NULL;
      ddr_error err;
      assert_int_equal(run(scn, 50, threads, 8, NULL, &res, &err), DDR_EINTERNAL);
      assert_null(res);
      tu_assert_contains(err.msg, cases[i][1]);
      tu_assert_contains(err.msg, "(2 kinds, 53 steps)");
      ddr_scenario_free(scn);
    }
}

/* Kinds, scenario accessors and the registry of extra models. */
static void test_kinds_and_registry(void **state) {
  (void)state;
  ddr_scenario *scn = load("eventtest", 3, 2, "none");
  assert_int_equal(ddr_scenario_event_kind_count(scn), 3);
  assert_string_equal(ddr_scenario_event_kind_name(scn, 2), "shocks.kind-2");
  assert_string_equal(ddr_scenario_event_kind_label(scn, 0), "Shock of kind 0, \"quoted\"");
  assert_null(ddr_scenario_event_kind_label(scn, 1));
  ddr_scenario_free(scn);
  scn = tu_load("scenario: {name: plain}\n"
                "calendar: {start: 2024-01-01, end: 2024-03-31}\n"
                "groups: [{id: a, size: 10}]\n"
                "nodes:\n"
                "  - {id: in, type: intake, rate_per_week: 5, to: done}\n"
                "  - {id: done, type: sink}\n",
                NULL, 0);
  assert_int_equal(ddr_scenario_event_kind_count(scn), 0);
  ddr_scenario_free(scn);
  assert_int_equal(ddr_scenario_register_model(&eventtest), -1); /* taken: by itself */
  static const ddr_model_type pipeline_again = {.name = "pipeline"};
  assert_int_equal(ddr_scenario_register_model(&pipeline_again), -1);
  tu_assert_contains(tu_load_error("scenario: {name: x, model: nosuch}\n", NULL, 0),
                     "unknown model \"nosuch\"");
}

/* ---- The result file ---- */

/* Run scn into dir/name through the store, the events captured on the way. */
static void run_to_file(const ddr_scenario *scn, const char *name, uint64_t n, int threads,
                        capture *c, ddr_results **res) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  const ddr_inputs *in = ddr_scenario_inputs(scn);
  size_t ni = ddr_inputs_count(in), nm = ddr_scenario_metric_count(scn);
  size_t nk = ddr_scenario_event_kind_count(scn);
  const ddr_input *inputs[8];
  const ddr_metric *metrics[8];
  const char *kinds[16];
  assert_true(ni <= 8 && nm <= 8 && nk <= 8);
  for (size_t i = 0; i < ni; i++) inputs[i] = ddr_inputs_get(in, i);
  for (size_t i = 0; i < nm; i++) metrics[i] = ddr_scenario_metric(scn, i);
  for (size_t k = 0; k < nk; k++) {
    kinds[k] = ddr_scenario_event_kind_name(scn, k);
    kinds[nk + k] = ddr_scenario_event_kind_label(scn, k);
  }
  ddr_store_header hdr = {.scenario_name = ddr_scenario_name(scn),
                          .description = ddr_scenario_description(scn),
                          .scenario_file = ddr_scenario_file(scn),
                          .scenario_text = ddr_scenario_text(scn),
                          .scenario_text_len = ddr_scenario_text_len(scn),
                          .resolved_text = "",
                          .cal = ddr_scenario_calendar(scn),
                          .ninputs = ni,
                          .inputs = inputs,
                          .nmetrics = nm,
                          .metrics = metrics,
                          .replications = n,
                          .nevent_kinds = nk,
                          .event_kind_names = kinds,
                          .event_kind_labels = kinds + nk};
  ddr_run_info info = {.version = "0.1.0", .seed = SEED, .replications = n, .threads = 2};
  ddr_store *st;
  ddr_error err;
  if (ddr_store_create(path, 1, &hdr, &st, &err)) fail_msg("store: %s", err.msg);
  c->forward = ddr_store_sink(st);
  ddr_sink sink = {c, capture_batch};
  if (run(scn, n, threads, 64, &sink, res, &err)) fail_msg("run: %s", err.msg);
  if (ddr_store_finish(st, *res, &info, &err)) fail_msg("finish: %s", err.msg);
}

/* Write the captured events as text for events_check.py: a line of kinds,
 * then one line per replication: its number and its events. */
static void write_expected(const ddr_scenario *scn, const capture *c, const char *name) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *fp = fopen(path, "w");
  assert_non_null(fp);
  fprintf(fp, "%zu\n", ddr_scenario_event_kind_count(scn));
  for (uint64_t r = 0; r < c->next; r++) {
    fprintf(fp, "%llu", (unsigned long long)r);
    for (uint64_t e = c->off[r]; e < c->off[r + 1]; e++)
      fprintf(fp, " %u:%d:%d", c->ev[e].kind, (int)c->ev[e].first, (int)c->ev[e].last);
    fputc('\n', fp);
  }
  fclose(fp);
}

static int py_check(const char *file, const char *expected) {
  return sh("/usr/bin/python3 %s/tests/events_check.py %s %s", tu_source_dir(), file, expected);
}

static ddr_resfile *load_file(const char *name) {
  char path[512];
  ddr_resfile *rf;
  ddr_error err;
  snprintf(path, sizeof path, "%s/%s", dir, name);
  if (ddr_resfile_load(path, &rf, &err)) fail_msg("%s", err.msg);
  return rf;
}

/* The file's table holds exactly the model's events, the same bytes for 1
 * and 2 threads; the summary counts them, in every format. */
static void test_file(void **state) {
  (void)state;
  ddr_scenario *scn = load("eventtest", 3, 500, "none");
  const uint64_t n = 300;
  expected x = expect_events(scn, n);
  int outlasting = 0, earlier = 0; /* some events last past the horizon, some began before */
  for (uint64_t e = 0; e < x.off[n]; e++) {
    outlasting |= x.ev[e].last >= 53;
    earlier |= x.ev[e].first < 0;
  }
  assert_true(outlasting && earlier);
  capture c1 = {0}, c2 = {0};
  ddr_results *r1 = NULL, *r2 = NULL;
  run_to_file(scn, "one.h5", n, 1, &c1, &r1);
  run_to_file(scn, "two.h5", n, 2, &c2, &r2);
  assert_events_equal(&c1, &x, n);
  assert_events_equal(&c2, &x, n);
  assert_int_equal(sh("cmp one.h5 two.h5"), 0);
  write_expected(scn, &c1, "one.txt");
  if (py_check("one.h5", "one.txt")) fail_msg("events_check.py: %s", out);

  ddr_resfile *rf = load_file("one.h5");
  assert_int_equal(rf->nevent_kinds, 3);
  assert_string_equal(rf->event_kinds[0].name, "shocks.kind-0");
  assert_string_equal(rf->event_kinds[0].label, "Shock of kind 0, \"quoted\"");
  assert_string_equal(rf->event_kinds[1].label, "");
  ddr_event_summary s[3];
  for (int k = 0; k < 3; k++) s[k] = rf->event_kinds[k].s;
  assert_counts(s, 3, &x, n);

  char want[256];
  assert_int_equal(sh("%s summary one.h5", tu_bin()), 0);
  snprintf(want, sizeof want,
           "\nEvent shocks.kind-0: Shock of kind 0, \"quoted\"\n  %.2f per replication on "
           "average, at least one in %.1f%% of replications\n",
           (double)s[0].events / n, 100.0 * (double)s[0].replications / n);
  tu_assert_contains(out, want);
  tu_assert_contains(out, "\nEvent shocks.kind-1\n  ");
  assert_int_equal(sh("%s summary one.h5 --format csv", tu_bin()), 0);
  snprintf(want, sizeof want,
           "event,shocks.kind-2,count,%llu\nevent,shocks.kind-2,replications_with_any,%llu\n"
           "event,shocks.kind-2,mean_per_replication,%.6f\n",
           (unsigned long long)s[2].events, (unsigned long long)s[2].replications,
           (double)s[2].events / n);
  tu_assert_contains(out, want);
  assert_int_equal(sh("%s summary one.h5 --format json | /usr/bin/python3 -c 'import json, sys; "
                      "e = json.load(sys.stdin)[\"events\"]; print(e[0][\"label\"], "
                      "e[1][\"count\"], e[2][\"replications_with_any\"])'",
                      tu_bin()),
                   0);
  snprintf(want, sizeof want, "Shock of kind 0, \"quoted\" %llu %llu\n",
           (unsigned long long)s[1].events, (unsigned long long)s[2].replications);
  assert_string_equal(out, want);

  ddr_resfile_free(rf);
  ddr_results_free(r1);
  ddr_results_free(r2);
  free(c1.off), free(c1.ev), free(c2.off), free(c2.ev);
  expected_free(&x);
  ddr_scenario_free(scn);
}

/* Kinds but no events: the table is there and empty, the counts zero; a
 * model without the events operation gives the same. */
static void test_kinds_without_events(void **state) {
  (void)state;
  const char *models[] = {"eventtest", "eventtest-silent"};
  for (int i = 0; i < 2; i++) {
    ddr_scenario *scn = load(models[i], 2, i == 0 ? 0 : 5, "none");
    capture c = {0};
    ddr_results *res = NULL;
    run_to_file(scn, "quiet.h5", 50, 2, &c, &res);
    assert_int_equal(c.nev, 0);
    write_expected(scn, &c, "quiet.txt");
    if (py_check("quiet.h5", "quiet.txt")) fail_msg("events_check.py: %s", out);
    ddr_resfile *rf = load_file("quiet.h5");
    assert_int_equal(rf->nevent_kinds, 2);
    assert_int_equal(rf->event_kinds[1].s.events, 0);
    assert_int_equal(sh("%s summary quiet.h5", tu_bin()), 0);
    tu_assert_contains(out, "\nEvent shocks.kind-1\n  0.00 per replication on average, at least "
                            "one in 0.0% of replications\n");
    ddr_resfile_free(rf);
    ddr_results_free(res);
    free(c.off), free(c.ev);
    ddr_scenario_free(scn);
  }
}

/* No kinds: no /events group, no summary lines. */
static void test_no_kinds(void **state) {
  (void)state;
  ddr_scenario *scn = load("eventtest", 0, 5, "none");
  capture c = {0};
  ddr_results *res = NULL;
  run_to_file(scn, "none.h5", 30, 2, &c, &res);
  assert_int_equal(res->nevent_kinds, 0);
  if (py_check("none.h5", "-")) fail_msg("events_check.py: %s", out);
  ddr_resfile *rf = load_file("none.h5");
  assert_int_equal(rf->nevent_kinds, 0);
  assert_int_equal(sh("%s summary none.h5; %s summary none.h5 --format csv; %s summary none.h5 "
                      "--format json",
                      tu_bin(), tu_bin(), tu_bin()),
                   0);
  assert_null(strstr(out, "Event "));
  assert_null(strstr(out, "event,"));
  assert_null(strstr(out, "\"events\": ["));
  ddr_resfile_free(rf);
  ddr_results_free(res);
  free(c.off), free(c.ev);
  ddr_scenario_free(scn);
}

/* A file finished with fewer replications than were written (a run cut
 * short) keeps only their events. */
static void test_cut_short(void **state) {
  (void)state;
  ddr_scenario *scn = load("eventtest", 2, 6, "none");
  const uint64_t n = 100, kept = 37;
  expected x = expect_events(scn, n);
  capture c = {0};
  ddr_results *res = NULL;
  char path[512];
  snprintf(path, sizeof path, "%s/cut.h5", dir);
  run_to_file(scn, "cut.h5", n, 2, &c, &res);
  /* the same run again, finished as if only `kept` replications had run */
  const char *kinds[4] = {ddr_scenario_event_kind_name(scn, 0),
                          ddr_scenario_event_kind_name(scn, 1),
                          ddr_scenario_event_kind_label(scn, 0), NULL};
  const ddr_metric *metrics[1] = {ddr_scenario_metric(scn, 0)};
  ddr_store_header hdr = {.scenario_name = "cut",
                          .cal = ddr_scenario_calendar(scn),
                          .nmetrics = 1,
                          .metrics = metrics,
                          .replications = n,
                          .nevent_kinds = 2,
                          .event_kind_names = kinds,
                          .event_kind_labels = kinds + 2};
  ddr_store *st;
  ddr_error err;
  assert_int_equal(ddr_store_create(path, 1, &hdr, &st, &err), DDR_OK);
  ddr_batch b = {.first = 0, .count = n, .event_off = x.off, .events = x.ev};
  assert_int_equal(ddr_store_write_batch(st, &b, &err), DDR_OK);
  res->replications = kept; /* and the counts of those kept */
  memset(res->events, 0, 2 * sizeof *res->events);
  for (uint64_t r = 0; r < kept; r++) {
    int seen[2] = {0, 0};
    for (uint64_t e = x.off[r]; e < x.off[r + 1]; e++) {
      res->events[x.ev[e].kind].events++;
      res->events[x.ev[e].kind].replications += !seen[x.ev[e].kind]++;
    }
  }
  ddr_run_info info = {.version = "0.1.0", .seed = SEED, .replications = kept};
  assert_int_equal(ddr_store_finish(st, res, &info, &err), DDR_OK);
  capture k = {.next = kept, .off = x.off, .ev = x.ev};
  write_expected(scn, &k, "cut.txt");
  if (py_check("cut.h5", "cut.txt")) fail_msg("events_check.py: %s", out);
  /* a batch with an unregistered kind does not fit the file */
  assert_int_equal(ddr_store_create(path, 1, &hdr, &st, &err), DDR_OK);
  ddr_event bad = {2, 0, 0};
  uint64_t off[2] = {0, 1};
  b = (ddr_batch){.first = 0, .count = 1, .event_off = off, .events = &bad};
  assert_int_equal(ddr_store_write_batch(st, &b, &err), DDR_EINTERNAL);
  ddr_store_abort(st);
  ddr_results_free(res);
  free(c.off), free(c.ev);
  expected_free(&x);
  ddr_scenario_free(scn);
}

static int setup(void **state) {
  (void)state;
  if (tu_make_dir("test-engine")) return -1;
  if (ddr_scenario_register_model(&eventtest) || ddr_scenario_register_model(&silent)) return -1;
  return 0;
}

static int teardown(void **state) {
  (void)state;
  if (getenv("DDR_TEST_KEEP")) return printf("files kept in %s\n", dir) < 0;
  return tu_remove_dir() != 0;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_order_and_threads),
      cmocka_unit_test(test_more_than_the_buffer),
      cmocka_unit_test(test_bad_events),
      cmocka_unit_test(test_kinds_and_registry),
      cmocka_unit_test(test_file),
      cmocka_unit_test(test_kinds_without_events),
      cmocka_unit_test(test_no_kinds),
      cmocka_unit_test(test_cut_short),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

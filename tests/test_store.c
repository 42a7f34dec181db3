/* Tests of result files (sim/store_hdf5.c, sim/resfile.c): a run written in
 * batches reads back exactly, through ddr_resfile_load and through h5py
 * (tests/store_check.py); existing, missing and odd paths give the promised
 * errors; aborted runs leave nothing behind; two runs of the same work differ
 * only in /provenance; damaged and foreign files are refused clearly. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ddrsim/store.h"

/* The synthetic run: every number is a formula of its indices, so both this
 * program and store_check.py can say what the file must hold. */
#define NM 3 /* metrics */
#define NI 3 /* inputs, two of them uncertain */
#define NG 2 /* targets */
static int32_t series_value(uint64_t r, size_t m, size_t t) {
  return (int32_t)((r * 7 + m * 13 + t) % 1000);
}
static double input_value(uint64_t r, int k) {
  return (double)r + 0.25 * k;
}
static uint8_t met_value(uint64_t r, int g) {
  return (r + (uint64_t)g) % 3 == 0;
}
/* First step reaching a target: some never do. */
static int32_t step_value(uint64_t r, int g, int nt) {
  int32_t s = (int32_t)((r * 5 + (uint64_t)g) % (uint64_t)(nt + 10));
  return s < nt ? s : -1;
}

typedef struct fixture {
  char dir[64];
  ddr_calendar cal;
  ddr_metric metric[NM];
  const ddr_metric *metrics[NM];
  ddr_input input[NI];
  const ddr_input *inputs[NI];
  ddr_target target[NG];
  const ddr_target *targets[NG];
  ddr_store_header hdr;
  ddr_run_info info;
} fixture;

static int setup(void **state) {
  fixture *fx = calloc(1, sizeof *fx);
  snprintf(fx->dir, sizeof fx->dir, "/tmp/ddr_test_store_XXXXXX");
  if (!mkdtemp(fx->dir)) return -1;
  int32_t start, end;
  ddr_date_parse("2024-01-01", &start);
  ddr_date_parse("2024-12-31", &end);
  ddr_calendar_init(&fx->cal, start, end, 7); /* 53 weekly steps, the last ending in 2025 */
  static const char *mnames[NM][3] = {{"integrated.count", "people", "people integrated"},
                                      {"weapons.collected", "weapons", "weapons handed in"},
                                      {"sites.gao.occupancy", "percent", "share of beds used"}};
  for (int m = 0; m < NM; m++) {
    fx->metric[m] = (ddr_metric){(char *)mnames[m][0], (char *)mnames[m][1], (char *)mnames[m][2]};
    fx->metrics[m] = &fx->metric[m];
  }
  static const char *inames[NI] = {"nodes.gao.rate", "nodes.gao.seats", "calendar.peace_date"};
  double p[DDR_DIST_MAX_PARAMS] = {0.1, 0.3};
  int given[DDR_DIST_MAX_PARAMS] = {1, 1};
  char msg[200];
  assert_int_equal(
      ddr_dist_init(&fx->input[0].dist, ddr_dist_uniform, p, given, NULL, NULL, 0, msg, sizeof msg),
      DDR_OK);
  ddr_dist_init_constant(&fx->input[1].dist, 40);
  double tri[DDR_DIST_MAX_PARAMS] = {start + 10, start + 40, start + 90};
  int tgiven[DDR_DIST_MAX_PARAMS] = {1, 1, 1};
  assert_int_equal(ddr_dist_init(&fx->input[2].dist, ddr_dist_triangular, tri, tgiven, NULL, NULL,
                                 0, msg, sizeof msg),
                   DDR_OK);
  ddr_input_kind kinds[NI] = {DDR_IN_PROB, DDR_IN_COUNT, DDR_IN_DATE};
  for (int k = 0; k < NI; k++) {
    fx->input[k].path = (char *)inames[k];
    fx->input[k].kind = kinds[k];
    fx->input[k].uncertain = k != 1;
    fx->inputs[k] = &fx->input[k];
  }
  fx->target[0] = (ddr_target){"half",
                               "half integrated by June",
                               "integrated.count",
                               0,
                               500,
                               start + 180,
                               ddr_calendar_step_of(&fx->cal, start + 180)};
  fx->target[1] = (ddr_target){"arms",
                               "weapons by year end",
                               "weapons.collected",
                               1,
                               750.5,
                               end,
                               ddr_calendar_step_of(&fx->cal, end)};
  for (int g = 0; g < NG; g++) fx->targets[g] = &fx->target[g];
  static const char text[] = "scenario:\n  name: test\n  model: pipeline\n# é, UTF-8\n";
  fx->hdr = (ddr_store_header){.scenario_name = "test",
                               .description = "a synthetic run",
                               .scenario_file = "scenarios/test.yaml",
                               .scenario_text = text,
                               .scenario_text_len = sizeof text - 1,
                               .resolved_text = "scenario: {name: test}\n",
                               .cal = &fx->cal,
                               .ninputs = NI,
                               .inputs = fx->inputs,
                               .nmetrics = NM,
                               .metrics = fx->metrics,
                               .ntargets = NG,
                               .targets = fx->targets,
                               .full = 1,
                               .replications = 1000};
  fx->info = (ddr_run_info){.version = "0.1.0",
                            .seed = 2531,
                            .replications = 1000,
                            .threads = 2,
                            .host = "testhost",
                            .started = "2024-05-01T10:00:00Z",
                            .wall_seconds = 1.5,
                            .command_line = "ddrsim run scenarios/test.yaml"};
  *state = fx;
  return 0;
}

static int teardown(void **state) {
  fixture *fx = *state;
  /* Every HDF5 file and object the store and reader opened is closed. */
  if (H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL) != 0) return -1;
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
  if (getenv("DDR_TEST_KEEP")) /* to look at the files */
    printf("files kept in %s\n", fx->dir);
  else if (system(cmd) != 0)
    return -1;
  ddr_dist_release(&fx->input[0].dist);
  ddr_dist_release(&fx->input[2].dist);
  free(fx);
  return 0;
}

/* Summaries: formulas too, with a NaN quantile ("never") for target 1. */
static ddr_results *make_results(uint64_t n, size_t nt) {
  ddr_results *res = calloc(1, sizeof *res);
  *res = (ddr_results){.replications = n, .nmetrics = NM, .nsteps = nt, .ntargets = NG};
  res->mean = malloc(NM * nt * sizeof(double));
  res->sd = malloc(NM * nt * sizeof(double));
  res->min = malloc(NM * nt * sizeof(int32_t));
  res->max = malloc(NM * nt * sizeof(int32_t));
  res->quantiles = malloc(NM * nt * DDR_NQUANTILES * sizeof(double));
  res->targets = calloc(NG, sizeof *res->targets);
  for (size_t c = 0; c < NM * nt; c++) {
    res->mean[c] = (double)c + 0.25;
    res->sd[c] = (double)c / 3.0;
    res->min[c] = (int32_t)c - 5;
    res->max[c] = (int32_t)c * 2;
    for (int q = 0; q < DDR_NQUANTILES; q++) res->quantiles[c * DDR_NQUANTILES + q] = c * 10.0 + q;
  }
  for (int g = 0; g < NG; g++) {
    ddr_target_summary *s = &res->targets[g];
    s->met = 300 + g;
    s->prob = n ? (double)s->met / (double)n : NAN;
    s->lo = 0.25 + g;
    s->hi = 0.35 + g;
    s->reached = 900 - g;
    for (int q = 0; q < DDR_NQUANTILES; q++)
      s->day_q[q] = g == 1 && q >= 7 ? NAN : 20.0 * q + 0.5 * g + 3.0;
  }
  return res;
}

/* Write a run of n replications in batches of batch, then finish it. */
static ddr_status write_run(fixture *fx, const char *path, uint64_t n, int full, int force,
                            uint64_t batch, ddr_error *err) {
  size_t nt = (size_t)fx->cal.nsteps;
  fx->hdr.replications = n;
  fx->hdr.full = full;
  ddr_store *st;
  ddr_status rc = ddr_store_create(path, force, &fx->hdr, &st, err);
  if (rc) return rc;
  double *in = malloc((batch * 2 + 1) * sizeof *in);
  ddr_outcome *oc = malloc((batch * NG + 1) * sizeof *oc);
  int32_t *series = full ? malloc((batch * NM * nt + 1) * sizeof *series) : NULL;
  ddr_sink sink = ddr_store_sink(st);
  for (uint64_t first = 0; first < n && rc == DDR_OK; first += batch) {
    uint64_t count = n - first < batch ? n - first : batch;
    for (uint64_t i = 0; i < count; i++) {
      uint64_t r = first + i;
      for (int k = 0; k < 2; k++) in[i * 2 + k] = input_value(r, k);
      for (int g = 0; g < NG; g++)
        oc[i * NG + g] = (ddr_outcome){met_value(r, g), step_value(r, g, (int)nt)};
      for (size_t m = 0; full && m < NM; m++)
        for (size_t t = 0; t < nt; t++) series[(i * NM + m) * nt + t] = series_value(r, m, t);
    }
    ddr_batch b = {first, count, 2, in, NG, oc, NM, nt, series, NULL, NULL};
    rc = sink.batch(sink.ctx, &b, err);
  }
  free(in);
  free(oc);
  free(series);
  if (rc) {
    ddr_store_abort(st);
    return rc;
  }
  ddr_results *res = make_results(n, nt);
  fx->info.replications = n;
  rc = ddr_store_finish(st, res, &fx->info, err);
  ddr_results_free(res);
  return rc;
}

/* Run tests/store_check.py on a file; its exit status. */
static int py_check(const char *path, uint64_t n, int full) {
  const char *src = getenv("DDRSIM_SOURCE_DIR");
  char cmd[1024];
  snprintf(cmd, sizeof cmd, "/usr/bin/python3 %s/tests/store_check.py %s %llu %d", src ? src : "..",
           path, (unsigned long long)n, full);
  return system(cmd);
}

static void path_in(const fixture *fx, char *buf, size_t size, const char *name) {
  snprintf(buf, size, "%s/%s", fx->dir, name);
}

/* Every summary value ddr_resfile_load returns is the one written. */
static void check_loaded(const fixture *fx, const char *path, uint64_t n, int full) {
  ddr_resfile *rf;
  ddr_error err;
  assert_int_equal(ddr_resfile_load(path, &rf, &err), DDR_OK);
  size_t nt = (size_t)fx->cal.nsteps;
  ddr_results *res = make_results(n, nt);
  assert_int_equal(rf->format_version, DDR_FILE_FORMAT_VERSION);
  assert_int_equal(rf->rng_version, DDR_RNG_STREAM_VERSION);
  assert_string_equal(rf->version, "0.1.0");
  assert_string_equal(rf->scenario_name, "test");
  assert_string_equal(rf->description, "a synthetic run");
  assert_string_equal(rf->scenario_file, "scenarios/test.yaml");
  assert_memory_equal(rf->scenario_text, fx->hdr.scenario_text, fx->hdr.scenario_text_len + 1);
  assert_string_equal(rf->host, "testhost");
  assert_string_equal(rf->started, "2024-05-01T10:00:00Z");
  assert_int_equal(rf->seed, 2531);
  assert_int_equal(rf->replications, n);
  assert_int_equal(rf->threads, 2);
  assert_true(rf->wall_seconds == 1.5);
  assert_int_equal(rf->full, full);
  assert_memory_equal(&rf->cal, &fx->cal, sizeof rf->cal);
  assert_int_equal(rf->nmetrics, NM);
  assert_int_equal(rf->nsteps, nt);
  for (int m = 0; m < NM; m++) {
    assert_string_equal(rf->metric_names[m], fx->metric[m].name);
    assert_string_equal(rf->metric_units[m], fx->metric[m].unit);
  }
  assert_memory_equal(rf->mean, res->mean, NM * nt * sizeof(double));
  assert_memory_equal(rf->sd, res->sd, NM * nt * sizeof(double));
  assert_memory_equal(rf->quantiles, res->quantiles, NM * nt * DDR_NQUANTILES * sizeof(double));
  assert_int_equal(rf->ntargets, NG);
  for (int g = 0; g < NG; g++) {
    const ddr_resfile_target *t = &rf->targets[g];
    const ddr_target_summary *s = &res->targets[g];
    assert_string_equal(t->id, fx->target[g].id);
    assert_string_equal(t->label, fx->target[g].label);
    assert_string_equal(t->metric, fx->target[g].metric_name);
    assert_true(t->threshold == fx->target[g].threshold);
    assert_int_equal(t->deadline, fx->target[g].deadline);
    assert_int_equal(t->s.met, s->met);
    assert_int_equal(t->s.reached, s->reached);
    assert_true(t->s.lo == s->lo && t->s.hi == s->hi);
    assert_true(t->s.prob == s->prob || (isnan(t->s.prob) && isnan(s->prob)));
    for (int q = 0; q < DDR_NQUANTILES; q++)
      assert_true(t->s.day_q[q] == s->day_q[q] || (isnan(t->s.day_q[q]) && isnan(s->day_q[q])));
  }
  /* the per-replication datasets, read on demand */
  uint8_t *met = malloc(n * NG + 1);
  int32_t *step = malloc((n * NG + 1) * sizeof *step), *ser = malloc((n * nt + 1) * sizeof *ser);
  assert_int_equal(ddr_resfile_outcomes(rf, met, step, &err), DDR_OK);
  for (uint64_t r = 0; r < n; r++)
    for (int g = 0; g < NG; g++) {
      assert_int_equal(met[r * NG + (uint64_t)g], met_value(r, g));
      assert_int_equal(step[r * NG + (uint64_t)g], step_value(r, g, (int)nt));
    }
  if (full) {
    assert_int_equal(ddr_resfile_series(rf, 1, ser, &err), DDR_OK);
    for (uint64_t r = 0; r < n; r++)
      for (size_t t = 0; t < nt; t++) assert_int_equal(ser[r * nt + t], series_value(r, 1, t));
  } else {
    assert_int_equal(ddr_resfile_series(rf, 1, ser, &err), DDR_EINPUT);
    assert_non_null(strstr(err.msg, "without --store full"));
  }
  free(met);
  free(step);
  free(ser);
  ddr_results_free(res);
  ddr_resfile_free(rf);
}

static void test_roundtrip(void **state) {
  fixture *fx = *state;
  char path[128];
  ddr_error err;
  path_in(fx, path, sizeof path, "run.h5");
  assert_int_equal(write_run(fx, path, 1000, 1, 0, 256, &err), DDR_OK);
  check_loaded(fx, path, 1000, 1);
  assert_int_equal(H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL), 0);
  assert_int_equal(py_check(path, 1000, 1), 0);
}

/* Batches that do not start and end on chunks take HDF5's own path (chunk 1
 * is split between the first two), the last one the direct path again. */
static void test_unaligned_batches(void **state) {
  fixture *fx = *state;
  char path[128];
  ddr_error err;
  path_in(fx, path, sizeof path, "odd.h5");
  assert_int_equal(write_run(fx, path, 1000, 1, 0, 384, &err), DDR_OK);
  assert_int_equal(py_check(path, 1000, 1), 0);
}

static void test_empty_and_summary_only(void **state) {
  fixture *fx = *state;
  char path[128];
  ddr_error err;
  path_in(fx, path, sizeof path, "empty.h5");
  assert_int_equal(write_run(fx, path, 0, 1, 0, 256, &err), DDR_OK);
  check_loaded(fx, path, 0, 1);
  assert_int_equal(py_check(path, 0, 1), 0);
  path_in(fx, path, sizeof path, "summary.h5");
  assert_int_equal(write_run(fx, path, 300, 0, 0, 256, &err), DDR_OK);
  check_loaded(fx, path, 300, 0);
  assert_int_equal(py_check(path, 300, 0), 0);
}

static char *slurp(const char *path, size_t *len) {
  FILE *fp = fopen(path, "rb");
  if (!fp) return NULL;
  fseek(fp, 0, SEEK_END);
  *len = (size_t)ftell(fp);
  rewind(fp);
  char *buf = malloc(*len + 1);
  if (fread(buf, 1, *len, fp) != *len) *len = 0;
  fclose(fp);
  return buf;
}

static void spit(const char *path, const char *data, size_t len) {
  FILE *fp = fopen(path, "wb");
  assert_non_null(fp);
  assert_int_equal(fwrite(data, 1, len, fp), len);
  fclose(fp);
}

/* No ".<name>.tmp.<pid>" file is left in the directory. */
static void assert_no_temp(const fixture *fx) {
  DIR *d = opendir(fx->dir);
  struct dirent *e;
  assert_non_null(d);
  while ((e = readdir(d))) assert_true(e->d_name[0] != '.' || !strstr(e->d_name, ".tmp."));
  closedir(d);
}

static void test_existing_path(void **state) {
  fixture *fx = *state;
  char path[128], want[256];
  ddr_error err;
  path_in(fx, path, sizeof path, "exists.h5");
  spit(path, "keep me\n", 8);
  assert_int_equal(write_run(fx, path, 10, 1, 0, 256, &err), DDR_EEXIST);
  snprintf(want, sizeof want, "%s exists; refusing to overwrite it (use --force to replace it)",
           path);
  assert_string_equal(err.msg, want);
  assert_non_null(strstr(err.msg, path));
  size_t len;
  char *bytes = slurp(path, &len);
  assert_int_equal(len, 8);
  assert_memory_equal(bytes, "keep me\n", 8);
  free(bytes);
  assert_int_equal(write_run(fx, path, 10, 1, 1, 256, &err), DDR_OK);
  check_loaded(fx, path, 10, 1);
  assert_no_temp(fx);
}

static void test_bad_paths(void **state) {
  fixture *fx = *state;
  char path[128], want[256];
  ddr_error err;
  ddr_store *st = (ddr_store *)&err;
  assert_int_equal(ddr_store_create(fx->dir, 0, &fx->hdr, &st, &err), DDR_EIO);
  assert_null(st);
  snprintf(want, sizeof want, "%s is a directory", fx->dir);
  assert_string_equal(err.msg, want);
  path_in(fx, path, sizeof path, "nodir/x.h5");
  assert_int_equal(ddr_store_create(path, 1, &fx->hdr, &st, &err), DDR_EIO);
  snprintf(want, sizeof want, "cannot write %s: directory %s/nodir does not exist", path, fx->dir);
  assert_string_equal(err.msg, want);
  assert_non_null(strstr(err.msg, path));
  if (geteuid() != 0) { /* root writes anywhere */
    path_in(fx, path, sizeof path, "ro");
    mkdir(path, 0555);
    path_in(fx, path, sizeof path, "ro/x.h5");
    assert_int_equal(ddr_store_create(path, 0, &fx->hdr, &st, &err), DDR_EIO);
    snprintf(want, sizeof want, "cannot write %s: Permission denied", path);
    assert_string_equal(err.msg, want);
  }
}

static void test_abort(void **state) {
  fixture *fx = *state;
  char path[128];
  ddr_error err;
  ddr_store *st;
  path_in(fx, path, sizeof path, "aborted.h5");
  fx->hdr.replications = 10;
  assert_int_equal(ddr_store_create(path, 0, &fx->hdr, &st, &err), DDR_OK);
  int32_t series[10 * NM * 53] = {0};
  double in[20] = {0};
  ddr_outcome oc[10 * NG] = {{0, -1}};
  ddr_batch b = {0, 10, 2, in, NG, oc, NM, 53, series, NULL, NULL};
  assert_int_equal(ddr_store_write_batch(st, &b, &err), DDR_OK);
  ddr_batch past_end = {5, 10, 2, in, NG, oc, NM, 53, series, NULL, NULL};
  assert_int_equal(ddr_store_write_batch(st, &past_end, &err), DDR_EINTERNAL);
  ddr_store_abort(st);
  ddr_store_abort(NULL);
  assert_int_equal(access(path, F_OK), -1);
  assert_no_temp(fx);
}

/* Two runs of the same work differ only in /provenance. */
static void test_deterministic(void **state) {
  fixture *fx = *state;
  char a[128], b[128], c[128], cmd[512];
  ddr_error err;
  path_in(fx, a, sizeof a, "a.h5");
  path_in(fx, b, sizeof b, "b.h5");
  path_in(fx, c, sizeof c, "c.h5");
  assert_int_equal(write_run(fx, a, 600, 1, 0, 256, &err), DDR_OK);
  ddr_run_info saved = fx->info;
  snprintf(fx->info.host, sizeof fx->info.host, "otherhost");
  snprintf(fx->info.started, sizeof fx->info.started, "2025-02-03T04:05:06Z");
  fx->info.wall_seconds = 99.0;
  fx->info.threads = 1;
  assert_int_equal(write_run(fx, b, 600, 1, 0, 256, &err), DDR_OK);
  fx->info = saved;
  assert_int_equal(write_run(fx, c, 600, 1, 0, 256, &err), DDR_OK);
  snprintf(cmd, sizeof cmd, "h5diff --exclude-path /provenance %s %s", a, b);
  assert_int_equal(system(cmd), 0);
  snprintf(cmd, sizeof cmd, "h5diff %s %s > /dev/null", a, b); /* provenance does differ */
  assert_int_not_equal(system(cmd), 0);
  /* With the same provenance the files are the same bytes. */
  snprintf(cmd, sizeof cmd, "cmp -s %s %s", a, c);
  assert_int_equal(system(cmd), 0);
}

static void expect_load_error(const char *path, ddr_status want, const char *msg) {
  ddr_resfile *rf = (ddr_resfile *)&want;
  ddr_error err;
  assert_int_equal(ddr_resfile_load(path, &rf, &err), want);
  assert_null(rf);
  assert_string_equal(err.msg, msg);
}

static void test_resfile_errors(void **state) {
  fixture *fx = *state;
  char path[128], want[512];
  ddr_error err;
  path_in(fx, path, sizeof path, "none.h5");
  snprintf(want, sizeof want, "cannot open %s: No such file or directory", path);
  expect_load_error(path, DDR_EIO, want);

  path_in(fx, path, sizeof path, "text.h5");
  spit(path, "not hdf5 at all\n", 16);
  snprintf(want, sizeof want, "%s is not an HDF5 file", path);
  expect_load_error(path, DDR_EINPUT, want);

  path_in(fx, path, sizeof path, "plain.h5");
  hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  assert_true(f >= 0);
  H5Fclose(f);
  snprintf(want, sizeof want, "%s is not a ddrsim result file (no ddrsim_format_version attribute)",
           path);
  expect_load_error(path, DDR_EINPUT, want);

  path_in(fx, path, sizeof path, "future.h5");
  assert_int_equal(write_run(fx, path, 20, 0, 0, 256, &err), DDR_OK);
  f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
  hid_t a = H5Aopen(f, "ddrsim_format_version", H5P_DEFAULT);
  int v = 99;
  assert_true(H5Awrite(a, H5T_NATIVE_INT, &v) >= 0);
  H5Aclose(a);
  H5Fclose(f);
  snprintf(want, sizeof want,
           "%s has format version 99; this ddrsim reads version %d: upgrade ddrsim", path,
           DDR_FILE_FORMAT_VERSION);
  expect_load_error(path, DDR_EINPUT, want);

  char good[128];
  path_in(fx, good, sizeof good, "good.h5");
  assert_int_equal(write_run(fx, good, 1000, 1, 0, 256, &err), DDR_OK);
  size_t len = 0;
  char *bytes = slurp(good, &len);
  path_in(fx, path, sizeof path, "half.h5");
  spit(path, bytes, len / 2);
  free(bytes);
  ddr_resfile *rf;
  assert_int_equal(ddr_resfile_load(path, &rf, &err), DDR_EIO);
  assert_null(rf);
  snprintf(want, sizeof want, "%s is damaged or truncated: ", path);
  assert_memory_equal(err.msg, want, strlen(want));
  assert_non_null(strstr(err.msg, path));
  ddr_resfile_free(NULL);
  assert_int_equal(H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_roundtrip),
      cmocka_unit_test(test_unaligned_batches),
      cmocka_unit_test(test_empty_and_summary_only),
      cmocka_unit_test(test_existing_path),
      cmocka_unit_test(test_bad_paths),
      cmocka_unit_test(test_abort),
      cmocka_unit_test(test_deterministic),
      cmocka_unit_test(test_resfile_errors),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

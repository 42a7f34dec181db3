/* Reading a result file back: its header, summaries, target results and
 * counts of events (the layout is in docs/file-format.md). Files that are missing, not HDF5, not
 * ddrsim's, from a newer ddrsim or damaged are told apart, because each
 * needs a different remedy. */
#include "ddrsim/store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ddrsim/stats.h"
#include "h5util.h"

/* Errors name the file both in err->file and in the message. */
static ddr_status load_err(ddr_error *err, ddr_status st, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static ddr_status load_err(ddr_error *err, ddr_status st, const char *path, const char *fmt, ...) {
  char msg[DDR_ERROR_MSG_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  /* every message names the file itself, as the subject of its sentence */
  (void)path;
  return ddr_error_set(err, st, NULL, 0, 0, NULL, "%s", msg);
}

/* What the loaders return when memory, not the file, failed them. */
static const char oom[] = "memory";

/* Something expected is missing or unreadable. */
static ddr_status damaged(ddr_error *err, const char *path, const char *what) {
  const char *why = ddr_h5_error_text();
  return load_err(err, DDR_EIO, path, "%s is damaged or truncated: cannot read %s%s%s", path, what,
                  why[0] ? ": " : "", why);
}

/* How reading went: what names the part that failed (oom: memory), NULL
 * when all was read. */
static ddr_status outcome(ddr_error *err, const char *path, const char *what) {
  if (what == oom) return load_err(err, DDR_ENOMEM, path, "out of memory reading %s", path);
  return what ? damaged(err, path, what) : DDR_OK;
}

/* Open path if it is an HDF5 file of a format version this ddrsim reads. */
static ddr_status open_checked(const char *path, hid_t *file, ddr_error *err) {
  struct stat sb;
  int fd = open(path, O_RDONLY);
  if (fd < 0) return load_err(err, DDR_EIO, path, "cannot open %s: %s", path, strerror(errno));
  int isdir = fstat(fd, &sb) == 0 && S_ISDIR(sb.st_mode);
  close(fd);
  if (isdir) return load_err(err, DDR_EIO, path, "cannot open %s: %s", path, strerror(EISDIR));
  if (H5Fis_hdf5(path) <= 0) return load_err(err, DDR_EINPUT, path, "%s is not an HDF5 file", path);
  if ((*file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT)) < 0)
    return load_err(err, DDR_EIO, path, "%s is damaged or truncated: %s", path,
                    ddr_h5_error_text());
  int64_t version;
  htri_t has = H5Aexists(*file, "ddrsim_format_version");
  ddr_status rc = DDR_OK;
  if (has == 0)
    rc = load_err(err, DDR_EINPUT, path,
                  "%s is not a ddrsim result file (no ddrsim_format_version attribute)", path);
  else if (has < 0 || ddr_h5_read_attr_int64(*file, "ddrsim_format_version", &version) < 0)
    rc = damaged(err, path, "the ddrsim_format_version attribute");
  else if (version > DDR_FILE_FORMAT_VERSION || version < 1)
    rc = load_err(err, DDR_EINPUT, path,
                  "%s has format version %lld; this ddrsim reads version %d: upgrade ddrsim", path,
                  (long long)version, DDR_FILE_FORMAT_VERSION);
  if (rc != DDR_OK) {
    H5Fclose(*file);
    *file = H5I_INVALID_HID;
  }
  return rc;
}

/* A run may be a point of a sweep file, in a group of its own: the readers
 * open that group as their root and name every object relative to it, so
 * the layout's absolute paths ("/targets/id") lose their leading slash. */
static const char *R(const char *path) {
  return path[0] != '/' ? path : path[1] ? path + 1 : ".";
}

/* Close the root a reader opened: the file, or the group of a sweep point
 * (the file then closes with it). */
static void close_loc(hid_t loc) {
  if (H5Iget_type(loc) == H5I_FILE)
    H5Fclose(loc);
  else
    H5Gclose(loc);
}

/* A sweep file read as a run: the clear error pointing to --point. */
static ddr_status sweep_err(hid_t file, const char *path, ddr_error *err) {
  uint64_t n = 0;
  ddr_h5_read_attr_uint64(file, "sweep_points", &n);
  char *kind = ddr_h5_read_attr_string(file, "ddrsim_file_kind");
  int part = kind && strcmp(kind, "sweep-part") == 0;
  free(kind);
  if (part)
    return load_err(err, DDR_EINPUT, path,
                    "%s is a part of a sweep of %llu points (ddrsim sweep --shard), not a run; "
                    "join all the parts with ddrsim merge PART... -o FILE",
                    path, (unsigned long long)n);
  return load_err(err, DDR_EINPUT, path,
                  "%s is a sweep file of %llu points, not a run; list them with `ddrsim summary "
                  "%s` or read one with --point K",
                  path, (unsigned long long)n, path);
}

/* Open path and the run at group ("" or NULL: the file's root) as *loc. */
static ddr_status open_run(const char *path, const char *group, hid_t *loc, ddr_error *err) {
  hid_t f = H5I_INVALID_HID;
  ddr_status rc = open_checked(path, &f, err);
  if (rc != DDR_OK) return rc;
  if (!group || !group[0]) {
    if (H5Aexists(f, "ddrsim_file_kind") > 0 && !ddr_h5_exists(f, "/scenario")) {
      rc = sweep_err(f, path, err);
      H5Fclose(f);
      return rc;
    }
    *loc = f;
    return DDR_OK;
  }
  *loc = ddr_h5_exists(f, group) ? H5Gopen2(f, group, H5P_DEFAULT) : H5I_INVALID_HID;
  H5Fclose(f); /* the group keeps the file open */
  if (*loc < 0) return load_err(err, DDR_EINPUT, path, "%s has no run at %s", path, group);
  return DDR_OK;
}

/* A string attribute of the object at path into *out; NULL what on success,
 * else the name of what could not be read. */
static const char *read_text(hid_t file, const char *path, const char *name, char **out) {
  hid_t obj = H5Oopen(file, path, H5P_DEFAULT);
  if (obj < 0) return path;
  *out = ddr_h5_read_attr_string(obj, name);
  H5Oclose(obj);
  return *out ? NULL : name;
}

/* The header: versions, scenario, provenance, calendar. */
static const char *load_header(hid_t f, ddr_resfile *rf) {
  const char *what;
  int64_t v, step_days;
  hsize_t nt;
  char *start = NULL, *end = NULL;
  if (ddr_h5_read_attr_int64(f, "ddrsim_format_version", &v) < 0) return "ddrsim_format_version";
  rf->format_version = (int)v;
  if (ddr_h5_read_attr_int64(f, "rng_stream_version", &v) < 0) return "rng_stream_version";
  rf->rng_version = (int)v;
  if ((what = read_text(f, R("/"), "ddrsim_version", &rf->version)) ||
      (what = read_text(f, R("/"), "scenario_name", &rf->scenario_name)) ||
      (what = read_text(f, R("/scenario"), "description", &rf->description)) ||
      (what = read_text(f, R("/scenario"), "file", &rf->scenario_file)) ||
      (what = read_text(f, R("/provenance"), "host", &rf->host)) ||
      (what = read_text(f, R("/provenance"), "started", &rf->started)))
    return what;
  if (ddr_h5_read_strings(f, R("/scenario/text"), 1, &rf->scenario_text) < 0)
    return "/scenario/text";
  hid_t g = H5Gopen2(f, R("/provenance"), H5P_DEFAULT);
  if (g < 0) return "/provenance";
  int bad = ddr_h5_read_attr_uint64(g, "seed", &rf->seed) < 0 ||
            ddr_h5_read_attr_uint64(g, "replications", &rf->replications) < 0 ||
            ddr_h5_read_attr_int64(g, "threads", &v) < 0 ||
            ddr_h5_read_attr_double(g, "wall_seconds", &rf->wall_seconds) < 0;
  H5Gclose(g);
  if (bad) return "/provenance";
  rf->threads = (int)v;
  rf->full = ddr_h5_exists(f, R("/series/values"));
  what = "/time";
  if (ddr_h5_extent(f, R("/time/days"), 1, &nt) < 0 || read_text(f, R("/time"), "start", &start) ||
      read_text(f, R("/time"), "end", &end))
    goto done;
  hid_t tg = H5Gopen2(f, R("/time"), H5P_DEFAULT);
  bad = tg < 0 || ddr_h5_read_attr_int64(tg, "step_days", &step_days) < 0;
  if (tg >= 0) H5Gclose(tg);
  int32_t s, e;
  if (bad || ddr_date_parse(start, &s) || ddr_date_parse(end, &e) ||
      ddr_calendar_init(&rf->cal, s, e, (int)step_days) || (hsize_t)rf->cal.nsteps != nt)
    goto done;
  rf->nsteps = (size_t)nt;
  what = NULL;
done:
  free(start);
  free(end);
  return what;
}

/* Metrics and their summaries over replications. */
static const char *load_summary(hid_t f, ddr_resfile *rf) {
  hsize_t m;
  if (ddr_h5_extent(f, R("/metrics/name"), 1, &m) < 0) return "/metrics/name";
  rf->nmetrics = (size_t)m;
  size_t n = rf->nmetrics * rf->nsteps;
  rf->metric_names = calloc(m + 1, sizeof *rf->metric_names);
  rf->metric_units = calloc(m + 1, sizeof *rf->metric_units);
  rf->mean = malloc((n + 1) * sizeof *rf->mean);
  rf->sd = malloc((n + 1) * sizeof *rf->sd);
  rf->quantiles = malloc((n * DDR_NQUANTILES + 1) * sizeof *rf->quantiles);
  if (!rf->metric_names || !rf->metric_units || !rf->mean || !rf->sd || !rf->quantiles) return oom;
  if (ddr_h5_read_strings(f, R("/metrics/name"), m, rf->metric_names) < 0) return "/metrics/name";
  if (ddr_h5_read_strings(f, R("/metrics/unit"), m, rf->metric_units) < 0) return "/metrics/unit";
  if (ddr_h5_read(f, R("/summary/mean"), H5T_NATIVE_DOUBLE, n, rf->mean) < 0)
    return "/summary/mean";
  if (ddr_h5_read(f, R("/summary/sd"), H5T_NATIVE_DOUBLE, n, rf->sd) < 0) return "/summary/sd";
  if (ddr_h5_read(f, R("/summary/quantiles"), H5T_NATIVE_DOUBLE, n * DDR_NQUANTILES,
                  rf->quantiles) < 0)
    return "/summary/quantiles";
  return NULL;
}

/* Targets, read column by column into the per-target structs. */
static const char *load_targets(hid_t f, ddr_resfile *rf) {
  hsize_t g;
  if (ddr_h5_extent(f, R("/targets/id"), 1, &g) < 0) return "/targets/id";
  size_t n = (size_t)g, nq = n * DDR_NQUANTILES;
  rf->ntargets = n;
  rf->targets = calloc(n + 1, sizeof *rf->targets);
  char **s = calloc(3 * n + 1, sizeof *s);
  double *d = malloc((4 * n + nq + 1) * sizeof *d);
  uint64_t *u = malloc((2 * n + 1) * sizeof *u);
  int32_t *dl = malloc((n + 1) * sizeof *dl);
  const char *what = oom;
  if (!rf->targets || !s || !d || !u || !dl) goto done;
  static const char *const text[] = {"/targets/id", "/targets/label", "/targets/metric"};
  static const char *const real[] = {"/targets/threshold", "/targets/probability",
                                     "/targets/wilson_lo", "/targets/wilson_hi"};
  for (int i = 0; i < 3; i++)
    if (ddr_h5_read_strings(f, R(what = text[i]), n, s + i * n) < 0) goto done;
  for (int i = 0; i < 4; i++)
    if (ddr_h5_read(f, R(what = real[i]), H5T_NATIVE_DOUBLE, n, d + i * n) < 0) goto done;
  if (ddr_h5_read(f, R(what = "/targets/date_quantiles"), H5T_NATIVE_DOUBLE, nq, d + 4 * n) < 0 ||
      ddr_h5_read(f, R(what = "/targets/met_count"), H5T_NATIVE_UINT64, n, u) < 0 ||
      ddr_h5_read(f, R(what = "/targets/reached_count"), H5T_NATIVE_UINT64, n, u + n) < 0 ||
      ddr_h5_read(f, R(what = "/targets/deadline_days"), H5T_NATIVE_INT32, n, dl) < 0)
    goto done;
  for (size_t i = 0; i < n; i++) {
    ddr_resfile_target *t = &rf->targets[i];
    t->id = s[i];
    t->label = s[n + i];
    t->metric = s[2 * n + i];
    s[i] = s[n + i] = s[2 * n + i] = NULL; /* now owned by rf */
    t->threshold = d[i];
    t->deadline = rf->cal.start + dl[i];
    t->s.prob = d[n + i];
    t->s.lo = d[2 * n + i];
    t->s.hi = d[3 * n + i];
    t->s.met = u[i];
    t->s.reached = u[n + i];
    memcpy(t->s.day_q, d + 4 * n + i * DDR_NQUANTILES, sizeof t->s.day_q);
  }
  what = NULL;
done:
  for (size_t i = 0; s && i < 3 * n; i++) free(s[i]);
  free(s);
  free(d);
  free(u);
  free(dl);
  return what;
}

/* Kinds of events and their counts; a file without /events (a run without
 * event kinds, or from before they were recorded) has none. */
static const char *load_events(hid_t f, ddr_resfile *rf) {
  hsize_t k;
  if (!ddr_h5_exists(f, R("/events"))) return NULL;
  if (ddr_h5_extent(f, R("/events/kind_name"), 1, &k) < 0) return "/events/kind_name";
  size_t n = (size_t)k;
  rf->event_kinds = calloc(n + 1, sizeof *rf->event_kinds);
  char **s = calloc(2 * n + 1, sizeof *s);
  uint64_t *u = malloc((2 * n + 1) * sizeof *u);
  const char *what = oom;
  if (!rf->event_kinds || !s || !u) goto done;
  if (ddr_h5_read_strings(f, R(what = "/events/kind_name"), n, s) < 0 ||
      ddr_h5_read_strings(f, R(what = "/events/kind_label"), n, s + n) < 0 ||
      ddr_h5_read(f, R(what = "/summary/event_replications"), H5T_NATIVE_UINT64, n, u) < 0 ||
      ddr_h5_read(f, R(what = "/summary/event_count"), H5T_NATIVE_UINT64, n, u + n) < 0)
    goto done;
  rf->nevent_kinds = n;
  for (size_t i = 0; i < n; i++) {
    ddr_resfile_event_kind *ek = &rf->event_kinds[i];
    ek->name = s[i];
    ek->label = s[n + i];
    s[i] = s[n + i] = NULL; /* now owned by rf */
    ek->s.replications = u[i];
    ek->s.events = u[n + i];
  }
  what = NULL;
done:
  for (size_t i = 0; s && i < 2 * n; i++) free(s[i]);
  free(s);
  free(u);
  return what;
}

ddr_status ddr_resfile_load(const char *path, ddr_resfile **out, ddr_error *err) {
  return ddr_resfile_load_group(path, NULL, out, err);
}

ddr_status ddr_resfile_load_group(const char *path, const char *group, ddr_resfile **out,
                                  ddr_error *err) {
  hid_t f = H5I_INVALID_HID;
  const char *what;
  *out = NULL;
  ddr_h5_error_reset();
  ddr_status rc = open_run(path, group, &f, err);
  if (rc != DDR_OK) return rc;
  ddr_resfile *rf = calloc(1, sizeof *rf);
  if (!rf || !(rf->path = strdup(path)) || (group && !(rf->group = strdup(group))))
    what = oom;
  else if (!(what = load_header(f, rf)) && !(what = load_summary(f, rf)) &&
           !(what = load_targets(f, rf)))
    what = load_events(f, rf);
  rc = outcome(err, path, what);
  close_loc(f);
  if (rc != DDR_OK) {
    ddr_resfile_free(rf);
    return rc;
  }
  *out = rf;
  return DDR_OK;
}

void ddr_resfile_free(ddr_resfile *rf) {
  if (!rf) return;
  for (size_t i = 0; rf->metric_names && i < rf->nmetrics; i++) free(rf->metric_names[i]);
  for (size_t i = 0; rf->metric_units && i < rf->nmetrics; i++) free(rf->metric_units[i]);
  for (size_t i = 0; rf->targets && i < rf->ntargets; i++) {
    free(rf->targets[i].id);
    free(rf->targets[i].label);
    free(rf->targets[i].metric);
  }
  for (size_t i = 0; rf->event_kinds && i < rf->nevent_kinds; i++) {
    free(rf->event_kinds[i].name);
    free(rf->event_kinds[i].label);
  }
  free(rf->metric_names);
  free(rf->metric_units);
  free(rf->targets);
  free(rf->event_kinds);
  free(rf->mean);
  free(rf->sd);
  free(rf->quantiles);
  free(rf->path);
  free(rf->group);
  free(rf->version);
  free(rf->scenario_name);
  free(rf->description);
  free(rf->scenario_file);
  free(rf->scenario_text);
  free(rf->host);
  free(rf->started);
  free(rf);
}

/* Per-replication datasets are read on demand, not by ddr_resfile_load:
 * they grow with the number of replications. */
static ddr_status read_rows(const ddr_resfile *rf, const char *name, hid_t mtype, size_t rowlen,
                            void *buf, ddr_error *err) {
  hid_t f;
  ddr_h5_error_reset();
  ddr_status rc = open_run(rf->path, rf->group, &f, err);
  if (rc != DDR_OK) return rc;
  hsize_t dims[2] = {0, 0};
  if (ddr_h5_extent(f, R(name), rowlen ? 2 : 1, dims) < 0 || dims[0] != rf->replications ||
      (rowlen && dims[1] != rowlen) ||
      ddr_h5_read(f, R(name), mtype, (size_t)rf->replications * (rowlen ? rowlen : 1), buf) < 0)
    rc = damaged(err, rf->path, name);
  close_loc(f);
  return rc;
}

ddr_status ddr_resfile_outcomes(const ddr_resfile *rf, uint8_t *met, int32_t *step_reached,
                                ddr_error *err) {
  ddr_status rc = DDR_OK;
  if (rf->ntargets == 0) return DDR_OK;
  if (met) rc = read_rows(rf, "/targets/met", H5T_NATIVE_UINT8, rf->ntargets, met, err);
  if (!rc && step_reached)
    rc = read_rows(rf, "/targets/step_reached", H5T_NATIVE_INT32, rf->ntargets, step_reached, err);
  return rc;
}

ddr_status ddr_resfile_series(const ddr_resfile *rf, size_t metric, int32_t *out, ddr_error *err) {
  if (!rf->full)
    return load_err(err, DDR_EINPUT, rf->path,
                    "%s holds no per-replication series (it was run without --store full)",
                    rf->path);
  if (metric >= rf->nmetrics)
    return ddr_error_set(err, DDR_EINTERNAL, NULL, 0, 0, NULL, "no metric %zu", metric);
  hid_t f, d = H5I_INVALID_HID, fs = H5I_INVALID_HID, ms = H5I_INVALID_HID;
  ddr_h5_error_reset();
  ddr_status rc = open_run(rf->path, rf->group, &f, err);
  if (rc != DDR_OK) return rc;
  hsize_t start[3] = {0, metric, 0}, count[3] = {rf->replications, 1, rf->nsteps};
  if ((d = H5Dopen2(f, R("/series/values"), H5P_DEFAULT)) < 0 || (fs = H5Dget_space(d)) < 0 ||
      H5Sget_simple_extent_ndims(fs) != 3 ||
      H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL) < 0 ||
      (ms = H5Screate_simple(3, count, NULL)) < 0 ||
      H5Dread(d, H5T_NATIVE_INT32, ms, fs, H5P_DEFAULT, out) < 0)
    rc = damaged(err, rf->path, "/series/values");
  if (ms >= 0) H5Sclose(ms);
  if (fs >= 0) H5Sclose(fs);
  if (d >= 0) H5Dclose(d);
  close_loc(f);
  return rc;
}

void ddr_resfile_inputs_free(ddr_resfile_inputs *in) {
  if (!in) return;
  for (size_t i = 0; in->name && i < in->ncols; i++) free(in->name[i]);
  for (size_t i = 0; in->kind && i < in->ncols; i++) free(in->kind[i]);
  free(in->name);
  free(in->kind);
  free(in->values);
  free(in);
}

/* Each sampled column's kind, found by its name among all inputs. */
static const char *match_kinds(hid_t f, ddr_resfile_inputs *in) {
  hsize_t k;
  if (ddr_h5_extent(f, R("/inputs/name"), 1, &k) < 0) return "/inputs/name";
  size_t n = (size_t)k;
  char **s = calloc(2 * n + 1, sizeof *s);
  const char *what = oom;
  if (!s) return oom;
  if (ddr_h5_read_strings(f, R(what = "/inputs/name"), n, s) < 0 ||
      ddr_h5_read_strings(f, R(what = "/inputs/kind"), n, s + n) < 0)
    goto done;
  what = NULL;
  for (size_t c = 0; c < in->ncols && !what; c++) {
    size_t i = 0;
    while (i < n && strcmp(s[i], in->name[c])) i++;
    in->kind[c] = strdup(i < n ? s[n + i] : "");
    if (!in->kind[c]) what = oom;
  }
done:
  for (size_t i = 0; i < 2 * n; i++) free(s[i]);
  free(s);
  return what;
}

ddr_status ddr_resfile_read_inputs(const ddr_resfile *rf, ddr_resfile_inputs **out,
                                   ddr_error *err) {
  hid_t f;
  hsize_t k;
  *out = NULL;
  ddr_h5_error_reset();
  ddr_status rc = open_run(rf->path, rf->group, &f, err);
  if (rc != DDR_OK) return rc;
  const char *what = "/inputs/sampled";
  ddr_resfile_inputs *in = calloc(1, sizeof *in);
  if (!in) {
    what = oom;
    goto done;
  }
  if (ddr_h5_extent(f, R(what), 1, &k) < 0) goto done;
  in->ncols = (size_t)k;
  size_t cells = (size_t)rf->replications * in->ncols;
  in->name = calloc(in->ncols + 1, sizeof *in->name);
  in->kind = calloc(in->ncols + 1, sizeof *in->kind);
  in->values = malloc((cells + 1) * sizeof *in->values);
  if (!in->name || !in->kind || !in->values) {
    what = oom;
    goto done;
  }
  if (ddr_h5_read_strings(f, R(what), in->ncols, in->name) < 0) goto done;
  if ((what = match_kinds(f, in))) goto done;
  what = "/inputs/values";
  hsize_t dims[2];
  if (in->ncols &&
      (ddr_h5_extent(f, R(what), 2, dims) < 0 || dims[0] != rf->replications ||
       dims[1] != in->ncols || ddr_h5_read(f, R(what), H5T_NATIVE_DOUBLE, cells, in->values) < 0))
    goto done;
  what = NULL;
done:
  close_loc(f);
  rc = outcome(err, rf->path, what);
  if (rc != DDR_OK) {
    ddr_resfile_inputs_free(in);
    return rc;
  }
  *out = in;
  return DDR_OK;
}

void ddr_resfile_events_free(ddr_resfile_events *ev) {
  if (!ev) return;
  free(ev->replication);
  free(ev->kind);
  free(ev->first_step);
  free(ev->last_step);
  free(ev->first_day);
  free(ev->last_day);
  free(ev);
}

ddr_status ddr_resfile_read_events(const ddr_resfile *rf, ddr_resfile_events **out,
                                   ddr_error *err) {
  static const char *const cols[] = {"/events/first_step", "/events/last_step", "/events/first_day",
                                     "/events/last_day"};
  hid_t f;
  hsize_t k;
  *out = NULL;
  ddr_h5_error_reset();
  ddr_status rc = open_run(rf->path, rf->group, &f, err);
  if (rc != DDR_OK) return rc;
  const char *what = oom;
  ddr_resfile_events *ev = calloc(1, sizeof *ev);
  if (!ev) goto done;
  what = NULL;
  if (!ddr_h5_exists(f, R("/events/replication"))) goto done; /* no events in this file */
  what = "/events/replication";
  if (ddr_h5_extent(f, R(what), 1, &k) < 0) goto done;
  size_t n = (size_t)k;
  ev->replication = malloc((n + 1) * sizeof *ev->replication);
  ev->kind = malloc((n + 1) * sizeof *ev->kind);
  int32_t **dst[] = {&ev->first_step, &ev->last_step, &ev->first_day, &ev->last_day};
  for (int i = 0; i < 4; i++) *dst[i] = malloc((n + 1) * sizeof **dst[i]);
  if (!ev->replication || !ev->kind || !ev->first_step || !ev->last_step || !ev->first_day ||
      !ev->last_day) {
    what = oom;
    goto done;
  }
  if (ddr_h5_read(f, R(what), H5T_NATIVE_UINT64, n, ev->replication) < 0 ||
      ddr_h5_read(f, R(what = "/events/kind"), H5T_NATIVE_UINT32, n, ev->kind) < 0)
    goto done;
  for (int i = 0; i < 4; i++)
    if (ddr_h5_read(f, R(what = cols[i]), H5T_NATIVE_INT32, n, *dst[i]) < 0) goto done;
  for (size_t i = 0; i < n; i++)
    if (ev->kind[i] >= rf->nevent_kinds) {
      what = "/events/kind (an index past /events/kind_name)";
      goto done;
    }
  ev->n = n;
  what = NULL;
done:
  close_loc(f);
  rc = outcome(err, rf->path, what);
  if (rc != DDR_OK) {
    ddr_resfile_events_free(ev);
    return rc;
  }
  *out = ev;
  return DDR_OK;
}

ddr_status ddr_resfile_resolved(const ddr_resfile *rf, char **text, ddr_error *err) {
  hid_t f;
  *text = NULL;
  ddr_h5_error_reset();
  ddr_status rc = open_run(rf->path, rf->group, &f, err);
  if (rc != DDR_OK) return rc;
  if (ddr_h5_read_strings(f, R("/scenario/resolved"), 1, text) < 0)
    rc = damaged(err, rf->path, "/scenario/resolved");
  close_loc(f);
  return rc;
}

/* Writing a run to an HDF5 result file (layout: docs/file-format.md).
 *
 * The file is written under a hidden temporary name beside the output path
 * and renamed over it only when complete, as Redis writes its dumps, so a
 * crash or an interrupted run never leaves a half file under the real name.
 * Per-replication datasets are sized for the whole run at the start and
 * filled batch by batch, flushed after each; the event table grows by each
 * batch's events (store_events.c). The per-replication series are
 * compressed by all threads and handed to HDF5 as finished chunks: HDF5's
 * own filters run on one thread and would make the writer the bottleneck. */
#include "ddrsim/store.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h> /* compressBound */

#include "ddrsim/dist.h"
#include "ddrsim/rng.h"
#include "ddrsim/stats.h"
#include "ddrsim/version.h"
#include "h5util.h"
#include "store_events.h"
#include "store_part.h"

#define SERIES_BLOCK    256   /* replications per series chunk */
#define ROW_CHUNK_BYTES 65536 /* target size of other per-replication chunks */
#define DEFLATE_LEVEL   1     /* with shuffle: 3.4x smaller at ~72 MB/s a core (MEASURED.md) */
#define WINDOW_BYTES    (32u << 20) /* compressed series chunks held before writing */

/* Per-replication datasets: sized for the planned run, cut to the
 * replications actually run at the end. */
enum { ROW_REPLICATION, ROW_INPUTS, ROW_MET, ROW_STEP, ROW_DAY, ROW_SERIES, NROWSETS };

/* Dimension scales, by path. */
#define SC_REPLICATION "/replication"
#define SC_METRIC      "/metrics/name"
#define SC_TIME        "/time/days"
#define SC_QUANTILE    "/quantile"
#define SC_INPUT       "/inputs/sampled"
#define SC_TARGET      "/targets/id"

/* Dimension lists for ddr_h5_put. */
typedef const char *const dimlist[];

struct ddr_store {
  char *path; /* output path */
  char *tmp;  /* temporary file beside it */
  char *dir;  /* its directory */
  int force;  /* replace an existing output */
  hid_t file;
  hid_t rows[NROWSETS]; /* open per-replication datasets (-1 if absent) */
  ddr_calendar cal;
  uint64_t n;     /* planned replications */
  uint64_t first; /* the first one (a part file's first replication; else 0) */
  int part;       /* a part file: has /part */
  uint32_t shard; /* a part file's shard (1-based); else 0 */
  size_t nmetrics, nsteps, ntargets, nsampled;
  /* series compression workspace, allocated up front */
  uint64_t block;     /* replications per chunk */
  size_t chunk_bytes; /* uncompressed chunk size */
  size_t zcap;        /* room for one compressed chunk */
  int nthreads;
  size_t window;           /* chunks compressed between writes */
  unsigned char *shuffled; /* [nthreads][chunk_bytes] */
  unsigned char *zbuf;     /* [window][zcap] */
  size_t *zlen;            /* [window], 0 where compression failed */
  /* target outcomes rearranged per batch, grown as needed */
  uint8_t *met;
  int32_t *step, *day;
  size_t outcome_cap;
  ddr_evtable *events; /* NULL without event kinds */
  size_t nkinds;
};

/* Every store error names the output path, in err->file and in the text. */
static ddr_status store_err(ddr_error *err, ddr_status st, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static ddr_status store_err(ddr_error *err, ddr_status st, const char *path, const char *fmt, ...) {
  char msg[DDR_ERROR_MSG_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  /* every message names the file itself, as the subject of its sentence */
  (void)path;
  return ddr_error_set(err, st, NULL, 0, 0, NULL, "%s", msg);
}

/* A failure while writing what: HDF5's, or, when HDF5 reported none, of a
 * memory allocation on the way. */
static ddr_status h5_failed(const ddr_store *st, const char *what, ddr_error *err) {
  const char *why = ddr_h5_error_text();
  if (!why[0])
    return store_err(err, DDR_ENOMEM, st->path, "out of memory writing %s (%s)", st->path, what);
  return store_err(err, DDR_EIO, st->path, "cannot write %s (%s): %s", st->path, what, why);
}

static ddr_status exists_err(const char *path, ddr_error *err) {
  return store_err(err, DDR_EEXIST, path,
                   "%s exists; refusing to overwrite it (use --force to replace it)", path);
}

/* Check that path can be created: refuse to replace a file without force,
 * and report a missing directory plainly rather than as an HDF5 failure. */
static ddr_status check_path(const char *path, int force, const char *dir, ddr_error *err) {
  struct stat sb;
  /* lstat: a link at the path, even a dangling one, is something there */
  if (lstat(path, &sb) == 0) {
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
      return store_err(err, DDR_EIO, path, "%s is a directory", path);
    if (!force) return exists_err(path, err);
  } else if (errno != ENOENT) {
    return store_err(err, DDR_EIO, path, "cannot write %s: %s", path, strerror(errno));
  }
  if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
    return store_err(err, DDR_EIO, path, "cannot write %s: directory %s does not exist", path, dir);
  if (access(dir, W_OK) != 0)
    return store_err(err, DDR_EIO, path, "cannot write %s: %s", path, strerror(errno));
  return DDR_OK;
}

/* Split path into its directory ("." when none) and "<dir>/.<base>.tmp.<pid>". */
static int temp_name(const char *path, char **dir, char **tmp) {
  const char *slash = strrchr(path, '/');
  size_t dlen = slash ? (size_t)(slash - path) : 0;
  size_t plen = slash ? dlen + 1 : 0; /* prefix kept in the temporary name */
  size_t size = strlen(path) + 32;
  *dir = malloc(dlen + 2);
  *tmp = malloc(size);
  if (!*dir || !*tmp) return -1;
  if (!slash)
    strcpy(*dir, ".");
  else if (dlen == 0)
    strcpy(*dir, "/");
  else
    snprintf(*dir, dlen + 1, "%s", path);
  snprintf(*tmp, size, "%.*s.%s.tmp.%ld", (int)plen, path, path + plen, (long)getpid());
  return 0;
}

/* A per-replication dataset [n, cols...], chunked along replications so it
 * can be filled batch by batch and cut short; left open in st->rows. */
static hid_t put_rows(ddr_store *st, hid_t loc, const char *name, int row, hid_t ftype, int rank,
                      const hsize_t *dims, const char *const *sc, const char *desc) {
  hsize_t chunk[H5S_MAX_RANK];
  size_t rowbytes = H5Tget_size(ftype);
  for (int i = 1; i < rank; i++) {
    chunk[i] = dims[i] ? dims[i] : 1;
    rowbytes *= chunk[i];
  }
  hsize_t rows = ROW_CHUNK_BYTES / rowbytes / SERIES_BLOCK * SERIES_BLOCK;
  if (rows < SERIES_BLOCK) rows = SERIES_BLOCK;
  chunk[0] = st->n && st->n < rows ? st->n : rows;
  if (row == ROW_SERIES) { /* one chunk: a block of replications, one metric, all steps */
    chunk[0] = st->block;
    chunk[1] = 1;
  }
  int deflate = row == ROW_SERIES ? DEFLATE_LEVEL : 0;
  hid_t ds = ddr_h5_dataset(loc, name, ftype, ftype, rank, dims, chunk, deflate, NULL, desc);
  st->rows[row] = ds;
  if (ds >= 0 && sc && ddr_h5_attach(ds, rank, sc) < 0) return H5I_INVALID_HID;
  return ds;
}

static int write_root(hid_t f, const ddr_store_header *hdr) {
  if (ddr_h5_attr_int32(f, "ddrsim_format_version", DDR_FILE_FORMAT_VERSION) < 0 ||
      ddr_h5_attr_int32(f, "rng_stream_version", DDR_RNG_STREAM_VERSION) < 0 ||
      ddr_h5_attr_string(f, "ddrsim_version", DDRSIM_VERSION) < 0 ||
      ddr_h5_attr_string(f, "scenario_name", hdr->scenario_name) < 0 ||
      ddr_h5_attr_string(f, "Conventions", "CF-1.8") < 0)
    return -1;
  return ddr_h5_put_scale(f, "quantile", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, DDR_NQUANTILES,
                          ddr_quantile_levels, "quantile",
                          "probability levels of the stored quantiles");
}

/* /replication is a scale and per-replication: chunked so it can be cut. */
static int write_replication(ddr_store *st) {
  hsize_t n = st->n;
  uint64_t *r = malloc((n + 1) * sizeof *r);
  if (!r) return -1;
  for (hsize_t i = 0; i < n; i++) r[i] = st->first + i;
  hid_t ds = put_rows(st, st->file, "replication", ROW_REPLICATION, H5T_STD_U64LE, 1, &n, NULL,
                      "replication number (the key of its random streams)");
  int rc = ds < 0 || ddr_h5_write_rows(ds, H5T_NATIVE_UINT64, 0, n, r) < 0 ||
                   ddr_h5_set_scale(ds, "replication") < 0
               ? -1
               : 0;
  free(r);
  return rc;
}

/* Every file of the scenario's chain of extends, verbatim: the scenario
 * itself, then its parent, and so on (a plain scenario is a chain of one), so
 * that a run of a what-if can be traced back to all it was made of. */
static int write_chain(hid_t g, const ddr_store_header *hdr) {
  size_t n = 1 + hdr->nparents;
  hsize_t dims = n;
  const char **files = calloc(n, sizeof *files);
  char **texts = calloc(n, sizeof *texts);
  int rc = -1;
  if (!files || !texts) goto done;
  files[0] = hdr->scenario_file;
  texts[0] = strndup(hdr->scenario_text ? hdr->scenario_text : "", hdr->scenario_text_len);
  for (size_t i = 1; i < n; i++) {
    const ddr_store_source *p = &hdr->parents[i - 1];
    files[i] = p->file;
    texts[i] = strndup(p->text ? p->text : "", p->text_len);
  }
  for (size_t i = 0; i < n; i++)
    if (!texts[i]) goto done;
  rc = ddr_h5_put_strings(g, "files", 1, &dims, files, NULL,
                          "the scenario file as given, then each file it extends, parent first") <
                   0 ||
               ddr_h5_put_strings(g, "texts", 1, &dims, (const char *const *)texts, NULL,
                                  "each file of /scenario/files, verbatim") < 0
           ? -1
           : 0;
done:
  for (size_t i = 0; texts && i < n; i++) free(texts[i]);
  free(texts);
  free(files);
  return rc;
}

static int write_scenario(hid_t f, const ddr_store_header *hdr) {
  hid_t g = ddr_h5_group(f, "scenario");
  if (g < 0) return -1;
  char *text = strndup(hdr->scenario_text ? hdr->scenario_text : "", hdr->scenario_text_len);
  const char *t = text, *r = hdr->resolved_text;
  int rc =
      !text || ddr_h5_attr_string(g, "name", hdr->scenario_name) < 0 ||
              ddr_h5_attr_string(g, "description", hdr->description) < 0 ||
              ddr_h5_attr_string(g, "file", hdr->scenario_file) < 0 ||
              ddr_h5_put_strings(g, "text", 0, NULL, &t, NULL, "scenario file, verbatim") < 0 ||
              ddr_h5_put_strings(g, "resolved", 0, NULL, &r, NULL,
                                 "scenario after extends and --set overrides, as YAML") < 0 ||
              write_chain(g, hdr) < 0
          ? -1
          : 0;
  free(text);
  return H5Gclose(g) < 0 ? -1 : rc;
}

static int write_time(hid_t f, const ddr_calendar *cal) {
  hsize_t nt = (hsize_t)cal->nsteps;
  int32_t *days = malloc(nt * sizeof *days);
  char *text = malloc(nt * 11), units[40], start[11], end[11];
  const char **dates = malloc(nt * sizeof *dates);
  hid_t g = ddr_h5_group(f, "time"), ds = H5I_INVALID_HID;
  int rc = -1;
  if (!days || !text || !dates || g < 0) goto done;
  for (hsize_t t = 0; t < nt; t++) {
    int32_t last = ddr_calendar_step_last(cal, (int)t);
    days[t] = last - cal->start;
    ddr_date_format(last, text + 11 * t, 11);
    dates[t] = text + 11 * t;
  }
  ddr_date_format(cal->start, start, sizeof start);
  ddr_date_format(cal->end, end, sizeof end);
  snprintf(units, sizeof units, "days since %s", start);
  if (ddr_h5_attr_string(g, "start", start) < 0 || ddr_h5_attr_string(g, "end", end) < 0 ||
      ddr_h5_attr_int32(g, "step_days", cal->step_days) < 0)
    goto done;
  ds = ddr_h5_dataset(g, "days", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, &nt, NULL, 0, days,
                      "last day of each time step, in days since the start date");
  if (ds < 0 || ddr_h5_set_scale(ds, "time") < 0 || ddr_h5_attr_string(ds, "units", units) < 0 ||
      ddr_h5_attr_string(ds, "calendar", "proleptic_gregorian") < 0 ||
      ddr_h5_attr_string(ds, "long_name", "last day of the time step") < 0 ||
      ddr_h5_attr_string(ds, "standard_name", "time") < 0)
    goto done;
  if (H5Dclose(ds) < 0) goto done;
  ds = H5I_INVALID_HID;
  rc = ddr_h5_put_strings(g, "date", 1, &nt, dates, (dimlist){SC_TIME},
                          "last day of each time step, YYYY-MM-DD");
done:
  if (ds >= 0) H5Dclose(ds);
  if (g >= 0 && H5Gclose(g) < 0) rc = -1;
  free(days);
  free(text);
  free(dates);
  return rc;
}

static int write_metrics(hid_t f, const ddr_store_header *hdr) {
  hsize_t m = hdr->nmetrics;
  const char **v = malloc((m + 1) * 3 * sizeof *v);
  hid_t g = ddr_h5_group(f, "metrics"), t = ddr_h5_string_type();
  int rc = -1;
  if (v && g >= 0 && t >= 0) {
    for (hsize_t i = 0; i < m; i++) {
      v[i] = hdr->metrics[i]->name;
      v[m + i] = hdr->metrics[i]->unit;
      v[2 * m + i] = hdr->metrics[i]->doc;
    }
    rc = ddr_h5_put_scale(g, "name", t, t, m, v, "metric", "metric names (observables)") < 0 ||
                 ddr_h5_put_strings(g, "unit", 1, &m, v + m, (dimlist){SC_METRIC}, "metric units") <
                     0 ||
                 ddr_h5_put_strings(g, "doc", 1, &m, v + 2 * m, (dimlist){SC_METRIC},
                                    "what each metric counts") < 0
             ? -1
             : 0;
  }
  if (t >= 0) H5Tclose(t);
  if (g >= 0 && H5Gclose(g) < 0) rc = -1;
  free(v);
  return rc;
}

static int write_inputs(ddr_store *st, const ddr_store_header *hdr) {
  hsize_t k = hdr->ninputs, ku = 0;
  const char **v = malloc((k + 1) * 3 * sizeof *v);
  char *desc = malloc((k + 1) * 256);
  uint8_t *unc = malloc(k + 1);
  hid_t g = ddr_h5_group(st->file, "inputs"), t = ddr_h5_string_type();
  int rc = -1;
  if (!v || !desc || !unc || g < 0 || t < 0) goto done;
  for (hsize_t i = 0; i < k; i++) {
    const ddr_input *in = hdr->inputs[i];
    v[i] = in->path;
    v[k + i] = ddr_input_kind_text(in->kind);
    ddr_dist_describe(&in->dist, desc + 256 * i, 256);
    v[2 * k + i] = desc + 256 * i;
    unc[i] = in->uncertain != 0;
  }
  if (ddr_h5_put_strings(g, "name", 1, &k, v, NULL, "every input's key path in the scenario") < 0 ||
      ddr_h5_put_strings(g, "kind", 1, &k, v + k, NULL, "which values each input takes") < 0 ||
      ddr_h5_put_strings(g, "dist", 1, &k, v + 2 * k, NULL, "each input's distribution") < 0 ||
      ddr_h5_put(g, "uncertain", H5T_STD_U8LE, H5T_NATIVE_UINT8, 1, &k, unc, NULL,
                 "1 if the input is sampled per replication, 0 if constant") < 0)
    goto done;
  for (hsize_t i = 0; i < k; i++) /* the uncertain ones, in order: the sampled columns */
    if (unc[i]) v[ku++] = v[i];
  if (ddr_h5_put_scale(g, "sampled", t, t, ku, v, "input", "key paths of the sampled inputs") < 0)
    goto done;
  st->nsampled = ku;
  hsize_t dims[2] = {st->n, ku};
  if (put_rows(st, g, "values", ROW_INPUTS, H5T_IEEE_F64LE, 2, dims,
               (dimlist){SC_REPLICATION, SC_INPUT},
               "sampled value of each uncertain input in each replication (dates: days since "
               "1970-01-01)") < 0)
    goto done;
  rc = 0;
done:
  if (t >= 0) H5Tclose(t);
  if (g >= 0 && H5Gclose(g) < 0) rc = -1;
  free(v);
  free(desc);
  free(unc);
  return rc;
}

static int write_targets(ddr_store *st, const ddr_store_header *hdr) {
  hsize_t g = hdr->ntargets;
  const char **v = malloc((g + 1) * 4 * sizeof *v);
  char *iso = malloc((g + 1) * 11);
  double *thr = malloc((g + 1) * sizeof *thr);
  int32_t *dd = malloc((g + 1) * sizeof *dd);
  hid_t grp = ddr_h5_group(st->file, "targets"), t = ddr_h5_string_type();
  int rc = -1;
  if (!v || !iso || !thr || !dd || grp < 0 || t < 0) goto done;
  for (hsize_t i = 0; i < g; i++) {
    const ddr_target *tg = hdr->targets[i];
    v[i] = tg->id;
    v[g + i] = tg->label;
    v[2 * g + i] = tg->metric < hdr->nmetrics ? hdr->metrics[tg->metric]->name : tg->metric_name;
    ddr_date_format(tg->deadline, iso + 11 * i, 11);
    v[3 * g + i] = iso + 11 * i;
    thr[i] = tg->threshold;
    dd[i] = tg->deadline - st->cal.start;
  }
  dimlist tsc = {SC_TARGET}, rsc = {SC_REPLICATION, SC_TARGET};
  hsize_t dims[2] = {st->n, g};
  if (ddr_h5_put_scale(grp, "id", t, t, g, v, "target", "target identifiers") < 0 ||
      ddr_h5_put_strings(grp, "label", 1, &g, v + g, tsc, "target descriptions") < 0 ||
      ddr_h5_put_strings(grp, "metric", 1, &g, v + 2 * g, tsc, "metric each target is about") < 0 ||
      ddr_h5_put(grp, "threshold", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, &g, thr, tsc,
                 "met when the metric is >= threshold") < 0 ||
      ddr_h5_put_strings(grp, "deadline", 1, &g, v + 3 * g, tsc, "deadline, YYYY-MM-DD") < 0 ||
      ddr_h5_put(grp, "deadline_days", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, &g, dd, tsc,
                 "deadline in days since the start date") < 0 ||
      put_rows(st, grp, "met", ROW_MET, H5T_STD_U8LE, 2, dims, rsc,
               "1 if the target was met at the end of its deadline's step") < 0 ||
      put_rows(st, grp, "step_reached", ROW_STEP, H5T_STD_I32LE, 2, dims, rsc,
               "first time step with metric >= threshold, -1 if never") < 0 ||
      put_rows(st, grp, "day_reached", ROW_DAY, H5T_STD_I32LE, 2, dims, rsc,
               "last day of step_reached in days since the start date, -1 if never") < 0)
    goto done;
  rc = 0;
done:
  if (t >= 0) H5Tclose(t);
  if (grp >= 0 && H5Gclose(grp) < 0) rc = -1;
  free(v);
  free(iso);
  free(thr);
  free(dd);
  return rc;
}

static int create_series(ddr_store *st) {
  hid_t g = ddr_h5_group(st->file, "series");
  if (g < 0) return -1;
  hsize_t dims[3] = {st->n, st->nmetrics, st->nsteps};
  hid_t ds = put_rows(st, g, "values", ROW_SERIES, H5T_STD_I32LE, 3, dims,
                      (dimlist){SC_REPLICATION, SC_METRIC, SC_TIME},
                      "each replication's metrics at the end of each time step");
  return H5Gclose(g) < 0 || ds < 0 ? -1 : 0;
}

/* Workspace for compressing series chunks on every thread: scratch for
 * each thread and room for a window of compressed chunks, as many as fit in
 * WINDOW_BYTES (a batch's worth, typically, so that each batch needs one
 * parallel region; starting threads per handful of chunks costs more than it
 * gains on a busy machine). */
static int alloc_series_workspace(ddr_store *st) {
  st->block = st->n < SERIES_BLOCK && st->n > 0 ? st->n : SERIES_BLOCK;
  st->chunk_bytes = st->block * st->nsteps * sizeof(int32_t);
  st->zcap = compressBound(st->chunk_bytes);
  st->nthreads = omp_get_max_threads();
  size_t nchunks = (st->n + st->block - 1) / st->block * st->nmetrics; /* in the run */
  st->window = WINDOW_BYTES / st->zcap;
  if (st->window < (size_t)st->nthreads) st->window = st->nthreads;
  if (st->window > nchunks) st->window = nchunks ? nchunks : 1;
  st->shuffled = malloc(st->chunk_bytes * st->nthreads);
  st->zbuf = malloc(st->zcap * st->window);
  st->zlen = malloc(st->window * sizeof *st->zlen);
  return st->shuffled && st->zbuf && st->zlen ? 0 : -1;
}

static void store_free(ddr_store *st) {
  if (!st) return;
  free(st->path);
  free(st->tmp);
  free(st->dir);
  free(st->shuffled);
  free(st->zbuf);
  free(st->zlen);
  free(st->met);
  free(st->step);
  free(st->day);
  free(st);
}

/* Close every HDF5 object; returns -1 if closing failed (data may be lost).
 * A dataset's handle is gone even when closing it failed. */
static int store_close(ddr_store *st) {
  int rc = ddr_evtable_close(st->events);
  st->events = NULL;
  for (int i = 0; i < NROWSETS; i++) {
    if (st->rows[i] >= 0 && H5Dclose(st->rows[i]) < 0) rc = -1;
    st->rows[i] = H5I_INVALID_HID;
  }
  /* A file that failed to close is still open: keep it for another try. */
  if (st->file >= 0 && H5Fclose(st->file) < 0) return -1;
  st->file = H5I_INVALID_HID;
  return rc;
}

void ddr_store_abort(ddr_store *st) {
  if (!st) return;
  /* The content is discarded: empty the file first so that HDF5 has room to
   * flush and close it even on a full disk (HDF5 crashes at exit on a file
   * it could not close). After a successful flush, which every batch ends
   * with, closing only writes, so the emptied file does not confuse it. */
  if (truncate(st->tmp, 0) != 0) {
    /* then closing may still work */
  }
  store_close(st);
  unlink(st->tmp);
  store_free(st);
}

ddr_status ddr_store_create(const char *path, int force, const ddr_store_header *hdr,
                            ddr_store **out, ddr_error *err) {
  ddr_status rc;
  const char *what = "creating the file";
  ddr_store *st = calloc(1, sizeof *st);
  *out = NULL;
  if (!st) return ddr_error_set(err, DDR_ENOMEM, path, 0, 0, NULL, "out of memory");
  st->file = H5I_INVALID_HID;
  for (int i = 0; i < NROWSETS; i++) st->rows[i] = H5I_INVALID_HID;
  if (!hdr || !hdr->cal || hdr->cal->nsteps < 1) {
    rc = ddr_error_set(err, DDR_EINTERNAL, path, 0, 0, NULL, "store header without a calendar");
    goto fail;
  }
  st->cal = *hdr->cal;
  st->n = hdr->replications;
  st->first = hdr->part ? hdr->part->first : 0;
  st->part = hdr->part != NULL;
  st->shard = hdr->part ? hdr->part->shard : 0;
  st->force = force;
  st->nmetrics = hdr->nmetrics;
  st->nsteps = (size_t)hdr->cal->nsteps;
  st->ntargets = hdr->ntargets;
  st->nkinds = hdr->nevent_kinds;
  if (!(st->path = strdup(path)) || temp_name(path, &st->dir, &st->tmp) < 0 ||
      (hdr->full && alloc_series_workspace(st) < 0)) {
    rc = ddr_error_set(err, DDR_ENOMEM, path, 0, 0, NULL, "out of memory");
    goto fail;
  }
  if ((rc = check_path(path, force, st->dir, err)) != DDR_OK) goto fail;
  ddr_h5_error_reset();
  if ((st->file = ddr_h5_create_file(st->tmp)) < 0) {
    rc = store_err(err, DDR_EIO, path, "cannot write %s: %s", path, ddr_h5_error_text());
    unlink(st->tmp); /* HDF5 may have made the file before failing to write its start */
    goto fail;
  }
  /* Scales first, so the datasets after them can be attached. */
  if (write_root(st->file, hdr) < 0 || write_replication(st) < 0) goto h5fail;
  what = "/scenario";
  if (write_scenario(st->file, hdr) < 0) goto h5fail;
  what = "/time";
  if (write_time(st->file, hdr->cal) < 0) goto h5fail;
  what = "/metrics";
  if (write_metrics(st->file, hdr) < 0) goto h5fail;
  what = "/inputs";
  if (write_inputs(st, hdr) < 0) goto h5fail;
  what = "/targets";
  if (write_targets(st, hdr) < 0) goto h5fail;
  what = "/series";
  if (hdr->full && create_series(st) < 0) goto h5fail;
  what = "/events";
  if (st->nkinds && !(st->events = ddr_evtable_create(st->file, st->nkinds, hdr->event_kind_names,
                                                      hdr->event_kind_labels, &st->cal)))
    goto h5fail;
  what = "/part";
  if (hdr->part && ddr_part_put_header(st->file, hdr->part) < 0) goto h5fail;
  what = "the file header";
  if (H5Fflush(st->file, H5F_SCOPE_LOCAL) < 0) goto h5fail;
  *out = st;
  return DDR_OK;
h5fail:
  rc = h5_failed(st, what, err);
fail:
  if (st->file >= 0)
    ddr_store_abort(st);
  else
    store_free(st);
  return rc;
}

/* Write a batch's series as whole compressed chunks: compress a window of
 * chunks on all threads, then write them in order on this one (HDF5 calls
 * stay on one thread, and the file's layout does not depend on timing).
 * Returns -2 if compression failed, -1 if HDF5 did. */
static int write_series_chunks(ddr_store *st, const ddr_batch *b) {
  size_t nm = st->nmetrics;
  uint64_t nblocks = (b->count + st->block - 1) / st->block;
  size_t nchunks = nblocks * nm;
  for (size_t w0 = 0; w0 < nchunks; w0 += st->window) {
    size_t wn = nchunks - w0 < st->window ? nchunks - w0 : st->window;
#pragma omp parallel for num_threads(st->nthreads) schedule(dynamic)
    for (size_t i = 0; i < wn; i++) {
      size_t c = w0 + i;
      uint64_t row0 = c / nm * st->block; /* within the batch */
      size_t nvalid = b->count - row0 < st->block ? b->count - row0 : st->block;
      st->zlen[i] = ddr_h5_deflate_rows(
          b->series + (row0 * nm + c % nm) * st->nsteps, nm * st->nsteps, nvalid, st->block,
          st->nsteps, DEFLATE_LEVEL, st->shuffled + st->chunk_bytes * omp_get_thread_num(),
          st->zbuf + st->zcap * i, st->zcap);
    }
    for (size_t i = 0; i < wn; i++) {
      size_t c = w0 + i;
      hsize_t off[3] = {b->first - st->first + c / nm * st->block, c % nm, 0};
      if (st->zlen[i] == 0) return -2;
      if (H5Dwrite_chunk(st->rows[ROW_SERIES], H5P_DEFAULT, 0, off, st->zlen[i],
                         st->zbuf + st->zcap * i) < 0)
        return -1;
    }
  }
  return 0;
}

/* Per-target outcomes as three [count][ntargets] arrays. */
static int split_outcomes(ddr_store *st, const ddr_batch *b) {
  size_t n = b->count * st->ntargets;
  if (n > st->outcome_cap) {
    free(st->met);
    free(st->step);
    free(st->day);
    st->met = malloc(n);
    st->step = malloc(n * sizeof *st->step);
    st->day = malloc(n * sizeof *st->day);
    st->outcome_cap = st->met && st->step && st->day ? n : 0;
    if (!st->outcome_cap) return -1;
  }
  for (size_t i = 0; i < n; i++) {
    int32_t s = b->outcomes[i].step_reached;
    st->met[i] = b->outcomes[i].met;
    st->step[i] = s;
    st->day[i] = s < 0 ? -1 : ddr_calendar_step_last(&st->cal, s) - st->cal.start;
  }
  return 0;
}

ddr_status ddr_store_write_batch(ddr_store *st, const ddr_batch *b, ddr_error *err) {
  uint64_t row = b->first - st->first; /* where the batch goes in the file's rows */
  if (b->first < st->first || row > st->n || b->count > st->n - row || b->ninputs != st->nsampled ||
      b->ntargets != st->ntargets ||
      (st->rows[ROW_SERIES] >= 0 &&
       (!b->series || b->nmetrics != st->nmetrics || b->nsteps != st->nsteps)) ||
      (b->event_off && (st->events ? ddr_evtable_check(st->events, b) < 0
                                   : b->event_off[b->count] > b->event_off[0])))
    return ddr_error_set(err, DDR_EINTERNAL, st->path, 0, 0, NULL,
                         "batch of replications %llu..%llu does not fit the file's layout",
                         (unsigned long long)b->first, (unsigned long long)(b->first + b->count));
  if (b->count == 0) return DDR_OK;
  ddr_h5_error_reset();
  if (split_outcomes(st, b) < 0)
    return ddr_error_set(err, DDR_ENOMEM, st->path, 0, 0, NULL, "out of memory");
  if (ddr_h5_write_rows(st->rows[ROW_INPUTS], H5T_NATIVE_DOUBLE, row, b->count, b->inputs) < 0)
    return h5_failed(st, "/inputs/values", err);
  if (ddr_h5_write_rows(st->rows[ROW_MET], H5T_NATIVE_UINT8, row, b->count, st->met) < 0 ||
      ddr_h5_write_rows(st->rows[ROW_STEP], H5T_NATIVE_INT32, row, b->count, st->step) < 0 ||
      ddr_h5_write_rows(st->rows[ROW_DAY], H5T_NATIVE_INT32, row, b->count, st->day) < 0)
    return h5_failed(st, "/targets", err);
  if (st->events && ddr_evtable_append(st->events, b) < 0) return h5_failed(st, "/events", err);
  if (st->rows[ROW_SERIES] >= 0) {
    /* Whole chunks only: the batch must start on a chunk and end on one or at
     * the end of the run; otherwise let HDF5 merge rows into chunks itself. */
    uint64_t end = row + b->count;
    int direct = row % st->block == 0 && (b->count % st->block == 0 || end == st->n);
    int rc = direct ? write_series_chunks(st, b)
                    : ddr_h5_write_rows(st->rows[ROW_SERIES], H5T_NATIVE_INT32, row, b->count,
                                        b->series);
    if (rc == -2) /* zlib fails only for want of memory */
      return ddr_error_set(err, DDR_ENOMEM, st->path, 0, 0, NULL, "out of memory compressing");
    if (rc < 0) return h5_failed(st, "/series/values", err);
  }
  /* A flushed file keeps every batch written so far if the process dies. */
  if (H5Fflush(st->file, H5F_SCOPE_LOCAL) < 0) return h5_failed(st, "a batch", err);
  return DDR_OK;
}

/* For tests only: DDRSIM_TEST_FAIL_SHARD=I makes the part file of shard I
 * (under mpirun, rank I - 1) fail once its first batch is written, as a full
 * disc would, so that tests can check what a failed shard or rank leaves
 * behind (tests/test_shards.c). Not for users; documented as such. */
static int test_failure_wanted(const ddr_store *st) {
  const char *s = getenv("DDRSIM_TEST_FAIL_SHARD");
  return st->shard && s && strtoul(s, NULL, 10) == st->shard;
}

static ddr_status sink_batch(void *ctx, const ddr_batch *b, ddr_error *err) {
  ddr_store *st = ctx;
  ddr_status rc = ddr_store_write_batch(st, b, err);
  if (!rc && test_failure_wanted(st))
    return ddr_error_set(err, DDR_EIO, st->path, 0, 0, NULL,
                         "shard %u failed after its first batch, as asked by "
                         "DDRSIM_TEST_FAIL_SHARD (a test)",
                         (unsigned)st->shard);
  return rc;
}

ddr_status ddr_store_write_tally(ddr_store *st, const ddr_tally *t, ddr_error *err) {
  ddr_h5_error_reset();
  if (ddr_part_put_tally(st->file, st->part, t) < 0)
    return h5_failed(st, st->part ? "/part/tally" : "/tally", err);
  return DDR_OK;
}

const char *ddr_store_temp_path(const ddr_store *st) {
  return st->tmp;
}

ddr_sink ddr_store_sink(ddr_store *st) {
  return (ddr_sink){.ctx = st, .batch = sink_batch};
}

/* ---- Finishing ---- */

static int write_summary(ddr_store *st, const ddr_results *res) {
  hsize_t d[3] = {st->nmetrics, st->nsteps, DDR_NQUANTILES};
  dimlist sc = {SC_METRIC, SC_TIME, SC_QUANTILE};
  hid_t g = ddr_h5_group(st->file, "summary");
  if (g < 0) return -1;
  int rc = ddr_h5_put(g, "mean", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 2, d, res->mean, sc,
                      "mean over replications") < 0 ||
                   ddr_h5_put(g, "sd", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 2, d, res->sd, sc,
                              "sample standard deviation over replications (n - 1)") < 0 ||
                   ddr_h5_put(g, "min", H5T_STD_I32LE, H5T_NATIVE_INT32, 2, d, res->min, sc,
                              "smallest value over replications") < 0 ||
                   ddr_h5_put(g, "max", H5T_STD_I32LE, H5T_NATIVE_INT32, 2, d, res->max, sc,
                              "largest value over replications") < 0 ||
                   ddr_h5_put(g, "quantiles", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 3, d,
                              res->quantiles, sc,
                              "quantiles over replications (Hyndman-Fan type 7) at the levels "
                              "in /quantile") < 0
               ? -1
               : 0;
  if (rc == 0 && st->events && ddr_evtable_put_summary(st->events, g, res) < 0) rc = -1;
  return H5Gclose(g) < 0 ? -1 : rc;
}

static int write_target_summary(ddr_store *st, const ddr_results *res) {
  size_t ng = st->ntargets, nq = ng * DDR_NQUANTILES;
  double *f = malloc((4 * ng + nq + 1) * sizeof *f); /* prob, lo, hi, quantiles */
  uint64_t *u = malloc((2 * ng + 1) * sizeof *u);    /* met, reached */
  char *text = malloc(nq * 11 + 1);
  const char **iso = malloc((nq + 1) * sizeof *iso);
  hid_t g = H5Gopen2(st->file, "targets", H5P_DEFAULT);
  int rc = -1;
  if (!f || !u || !text || !iso || g < 0) goto done;
  for (size_t i = 0; i < ng; i++) {
    const ddr_target_summary *s = &res->targets[i];
    f[i] = s->prob;
    f[ng + i] = s->lo;
    f[2 * ng + i] = s->hi;
    u[i] = s->met;
    u[ng + i] = s->reached;
    for (size_t j = 0; j < DDR_NQUANTILES; j++) {
      double q = s->day_q[j];
      size_t k = i * DDR_NQUANTILES + j;
      f[3 * ng + k] = q;
      iso[k] = isnan(q) ? "never" : text + 11 * k;
      if (!isnan(q)) ddr_date_format(st->cal.start + (int32_t)lround(q), text + 11 * k, 11);
    }
  }
  hsize_t d[2] = {ng, DDR_NQUANTILES};
  dimlist sc = {SC_TARGET, SC_QUANTILE};
  const hid_t F = H5T_IEEE_F64LE, MF = H5T_NATIVE_DOUBLE, U = H5T_STD_U64LE, MU = H5T_NATIVE_UINT64;
  if (ddr_h5_put(g, "probability", F, MF, 1, d, f, sc, "share of replications meeting the target") <
          0 ||
      ddr_h5_put(g, "wilson_lo", F, MF, 1, d, f + ng, sc,
                 "lower end of the 95% Wilson interval of the probability") < 0 ||
      ddr_h5_put(g, "wilson_hi", F, MF, 1, d, f + 2 * ng, sc,
                 "upper end of the 95% Wilson interval of the probability") < 0 ||
      ddr_h5_put(g, "met_count", U, MU, 1, d, u, sc, "replications meeting the target") < 0 ||
      ddr_h5_put(g, "reached_count", U, MU, 1, d, u + ng, sc,
                 "replications reaching the threshold within the horizon") < 0 ||
      ddr_h5_put(g, "date_quantiles", F, MF, 2, d, f + 3 * ng, sc,
                 "quantiles of day_reached in days since the start date; NaN where the "
                 "quantile falls among replications that never reach it") < 0 ||
      ddr_h5_put_strings(g, "date_quantiles_iso", 2, d, iso, sc,
                         "date_quantiles as dates, YYYY-MM-DD, or \"never\"") < 0)
    goto done;
  rc = 0;
done:
  if (g >= 0 && H5Gclose(g) < 0) rc = -1;
  free(f);
  free(u);
  free(text);
  free(iso);
  return rc;
}

/* The one group allowed to differ between two runs of the same work. */
static int write_provenance(ddr_store *st, const ddr_run_info *info) {
  const char *version = info->version ? info->version : DDRSIM_VERSION;
  hid_t g = ddr_h5_group(st->file, "provenance");
  if (g < 0) return -1;
  int rc = ddr_h5_attr_string(st->file, "ddrsim_version", version) < 0 ||
                   ddr_h5_attr_string(g, "ddrsim_version", version) < 0 ||
                   ddr_h5_attr_uint64(g, "seed", info->seed) < 0 ||
                   ddr_h5_attr_uint64(g, "replications", info->replications) < 0 ||
                   ddr_h5_attr_int32(g, "threads", info->threads) < 0 ||
                   ddr_h5_attr_string(g, "host", info->host) < 0 ||
                   ddr_h5_attr_string(g, "started", info->started) < 0 ||
                   ddr_h5_attr_double(g, "wall_seconds", info->wall_seconds) < 0 ||
                   ddr_h5_attr_string(g, "command_line", info->command_line) < 0
               ? -1
               : 0;
  return H5Gclose(g) < 0 ? -1 : rc;
}

/* Cut the per-replication datasets to the replications run (fewer than
 * planned when the run was interrupted). */
static int cut_rows(ddr_store *st, uint64_t n) {
  for (int i = 0; i < NROWSETS; i++)
    if (st->rows[i] >= 0 && ddr_h5_set_rows(st->rows[i], n) < 0) return -1;
  return st->events ? ddr_evtable_cut(st->events, st->first + n) : 0;
}

/* Move the finished temporary file into place durably. Without force, a
 * hard link refuses to replace a file that appeared while the run was going. */
static ddr_status move_into_place(ddr_store *st, ddr_error *err) {
  struct stat sb;
  int fd = open(st->tmp, O_RDONLY);
  if (fd < 0 || fsync(fd) != 0) {
    int e = errno; /* close may change it */
    if (fd >= 0) close(fd);
    return store_err(err, DDR_EIO, st->path, "cannot write %s: %s", st->path, strerror(e));
  }
  close(fd);
  if (!st->force && link(st->tmp, st->path) == 0) {
    unlink(st->tmp); /* the file is in place; a stray temporary name is harmless */
  } else if (!st->force && errno == EEXIST) {
    return exists_err(st->path, err);
  } else if (!st->force && lstat(st->path, &sb) == 0) { /* no hard links here, and a file came */
    return exists_err(st->path, err);
  } else if (rename(st->tmp, st->path) != 0) { /* forced, or no hard links here */
    return store_err(err, DDR_EIO, st->path, "cannot write %s: %s", st->path, strerror(errno));
  }
  if ((fd = open(st->dir, O_RDONLY)) >= 0) { /* make the new name durable too */
    fsync(fd);
    close(fd);
  }
  return DDR_OK;
}

ddr_status ddr_store_finish(ddr_store *st, const ddr_results *res, const ddr_run_info *info,
                            ddr_error *err) {
  ddr_status rc = DDR_OK;
  const char *what = "/summary";
  if (res->nmetrics != st->nmetrics || res->nsteps != st->nsteps || res->ntargets != st->ntargets ||
      res->nevent_kinds != st->nkinds || res->replications > st->n) {
    rc = ddr_error_set(err, DDR_EINTERNAL, st->path, 0, 0, NULL,
                       "results do not match the file's layout");
    goto fail;
  }
  ddr_h5_error_reset();
  if (write_summary(st, res) < 0) goto h5fail;
  what = "/targets";
  if (write_target_summary(st, res) < 0) goto h5fail;
  what = "/provenance";
  if (write_provenance(st, info) < 0) goto h5fail;
  what = "the per-replication datasets";
  if (res->replications < st->n && cut_rows(st, res->replications) < 0) goto h5fail;
  what = "the end of the file";
  if (store_close(st) < 0) goto h5fail;
  if ((rc = move_into_place(st, err)) != DDR_OK) goto fail;
  store_free(st);
  return DDR_OK;
h5fail:
  rc = h5_failed(st, what, err);
fail:
  ddr_store_abort(st);
  return rc;
}

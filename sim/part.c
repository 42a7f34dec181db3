/* Part files: writing a shard's /part group and tally into its result file,
 * and reading parts back block by block for ddrsim merge (ddrsim/part.h,
 * layout in docs/file-format.md). */
#include "ddrsim/part.h"

#include <stdlib.h>
#include <string.h>

#include "h5util.h"
#include "store_part.h"

#define COUNTS_CHUNK 65536 /* counts per chunk of /part/tally/counts */

void ddr_part_range(uint64_t total, uint32_t shard, uint32_t shards, uint64_t *first,
                    uint64_t *count) {
  /* floor(total * i / shards) without overflow for total < 2^64 / 2^32 */
  uint64_t a = (uint64_t)((unsigned __int128)total * (shard - 1) / shards);
  uint64_t b = (uint64_t)((unsigned __int128)total * shard / shards);
  *first = a;
  *count = b - a;
}

/* ---- Writing ---- */

int ddr_part_put_header(hid_t file, const ddr_part_info *p) {
  hid_t g = ddr_h5_group(file, "part");
  if (g < 0) return -1;
  int rc = ddr_h5_attr_uint64(g, "shard", p->shard) < 0 ||
                   ddr_h5_attr_uint64(g, "shards", p->shards) < 0 ||
                   ddr_h5_attr_uint64(g, "first", p->first) < 0 ||
                   ddr_h5_attr_uint64(g, "count", p->count) < 0 ||
                   ddr_h5_attr_uint64(g, "total_replications", p->total) < 0 ||
                   ddr_h5_attr_uint64(g, "seed", p->seed) < 0 ||
                   ddr_h5_attr_string(g, "description",
                                      "one shard of a run; ddrsim merge joins the parts") < 0
               ? -1
               : 0;
  return H5Gclose(g) < 0 ? -1 : rc;
}

/* Cell c of a tally: the metrics' histograms, then the targets' reach. */
static ddr_hist *cell_of(const ddr_tally *t, size_t c) {
  size_t mt = t->nmetrics * t->nsteps;
  return c < mt ? &t->hist[c] : &t->reach[c - mt];
}

/* The tally's histograms, sparse: for each cell how many distinct values
 * it holds, then all cells' (value, count) pairs one cell after the other,
 * values increasing. A shard of a few replications has a few values per
 * cell however wide the cell's range; deflate shrinks the rest. */
static int put_counts(hid_t g, const ddr_tally *t) {
  size_t C = t->nmetrics * t->nsteps + t->ntargets, total = 0;
  uint32_t *nz = malloc((C + 1) * sizeof *nz), *counts = NULL;
  int32_t *values = NULL;
  int rc = -1;
  if (!nz) return -1;
  for (size_t c = 0; c < C; c++) {
    const ddr_hist *h = cell_of(t, c);
    nz[c] = 0;
    for (int64_t v = h->vmin; h->n && v <= h->vmax; v++) nz[c] += h->count[v - h->lo] != 0;
    total += nz[c];
  }
  values = malloc((total + 1) * sizeof *values);
  counts = malloc((total + 1) * sizeof *counts);
  if (!values || !counts) goto done;
  for (size_t c = 0, at = 0; c < C; c++) {
    const ddr_hist *h = cell_of(t, c);
    for (int64_t v = h->vmin; h->n && v <= h->vmax; v++)
      if (h->count[v - h->lo]) {
        values[at] = (int32_t)v;
        counts[at++] = h->count[v - h->lo];
      }
  }
  hsize_t nc = C, nt = total, chunk = total < COUNTS_CHUNK ? (total ? total : 1) : COUNTS_CHUNK;
  hid_t dv = ddr_h5_dataset(g, "value", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, &nt, &chunk, 1, values,
                            "the values each cell took, cell after cell, increasing");
  if (dv < 0 || H5Dclose(dv) < 0) goto done;
  hid_t dc = ddr_h5_dataset(g, "count", H5T_STD_U32LE, H5T_NATIVE_UINT32, 1, &nt, &chunk, 1, counts,
                            "how many replications took each value");
  if (dc < 0 || H5Dclose(dc) < 0) goto done;
  /* each cell's smallest and largest value, so a merge sizes its
   * histograms from these alone before reading any counts */
  int32_t *ext = malloc((2 * C + 1) * sizeof *ext);
  if (!ext) goto done;
  for (size_t c = 0; c < C; c++) {
    const ddr_hist *h = cell_of(t, c);
    ext[c] = h->n ? h->vmin : 0, ext[C + c] = h->n ? h->vmax : -1;
  }
  rc = ddr_h5_put(g, "cell_values", H5T_STD_U32LE, H5T_NATIVE_UINT32, 1, &nc, nz, NULL,
                  "distinct values of each cell: the metrics' (metric-major, then step), then "
                  "the targets' step reached") < 0 ||
               ddr_h5_put(g, "cell_min", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, &nc, ext, NULL,
                          "smallest value of each cell (0 when empty)") < 0 ||
               ddr_h5_put(g, "cell_max", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, &nc, ext + C, NULL,
                          "largest value of each cell (-1 when empty)") < 0
           ? -1
           : 0;
  free(ext);
done:
  free(nz);
  free(values);
  free(counts);
  return rc;
}

int ddr_part_put_tally(hid_t file, int in_part, const ddr_tally *t) {
  hid_t g = in_part ? H5Gopen2(file, "part", H5P_DEFAULT) : H5Gopen2(file, "/", H5P_DEFAULT);
  hid_t tg = g >= 0 ? ddr_h5_group(g, "tally") : H5I_INVALID_HID;
  size_t E = t->nevent_kinds;
  uint64_t *ev = malloc((2 * E + 1) * sizeof *ev);
  int rc = -1;
  if (tg < 0 || !ev) goto done;
  for (size_t k = 0; k < E; k++) {
    ev[k] = t->events[k].events;
    ev[E + k] = t->events[k].replications;
  }
  hsize_t ng = t->ntargets, ne = E;
  const hid_t U = H5T_STD_U64LE, MU = H5T_NATIVE_UINT64;
  if (ddr_h5_attr_uint64(tg, "replications", t->replications) < 0 || put_counts(tg, t) < 0 ||
      ddr_h5_put(tg, "met", U, MU, 1, &ng, t->met, NULL, "replications meeting each target") < 0 ||
      ddr_h5_put(tg, "event_count", U, MU, 1, &ne, ev, NULL, "events of each kind") < 0 ||
      ddr_h5_put(tg, "event_replications", U, MU, 1, &ne, ev + E, NULL,
                 "replications with at least one event of each kind") < 0)
    goto done;
  rc = 0;
done:
  free(ev);
  if (tg >= 0 && H5Gclose(tg) < 0) rc = -1;
  if (g >= 0 && H5Gclose(g) < 0) rc = -1;
  return rc;
}

/* ---- Reading ---- */

enum { EV_REP, EV_KIND, EV_FIRST, EV_LAST, NEV };
static const char *const ev_col[NEV] = {"events/replication", "events/kind", "events/first_step",
                                        "events/last_step"};

struct ddr_part {
  char *path;
  char *name; /* for messages: the path, or "path (point N)" in a sweep part */
  hid_t file; /* the run's root: the file, or a sweep point's group */
  ddr_part_info info;
  int full, has_events;
  const char *tally_at; /* "part/tally", or "tally" in a whole run's file */
  int has_tally;
  char *resolved;
  size_t nsrc;
  char **files, **texts;
  size_t M, T, G, Ku, E;
  uint64_t nevents; /* rows of the event table */
  /* the last batch read */
  uint64_t cap, evcap;
  double *inputs;
  uint8_t *met;
  int32_t *step, *series;
  ddr_outcome *outcomes;
  uint64_t *off, *evrep;
  uint32_t *evkind;
  int32_t *evfirst, *evlast;
  ddr_event *events;
};

static ddr_status part_err(ddr_error *err, ddr_status st, const char *path, const char *what) {
  const char *why = ddr_h5_error_text();
  return ddr_error_set(err, st, path, 0, 0, NULL, "cannot read %s in %s%s%s", what, path,
                       why[0] ? ": " : "", why);
}

/* Rows [row0, row0 + n) of a dataset whose other dimensions are read whole. */
static int read_rows(hid_t f, const char *name, hid_t mtype, uint64_t row0, uint64_t n, void *buf) {
  if (n == 0) return 0;
  hid_t ds = H5Dopen2(f, name, H5P_DEFAULT), fsp = H5I_INVALID_HID, msp = H5I_INVALID_HID;
  int rc = -1;
  hsize_t dims[H5S_MAX_RANK], start[H5S_MAX_RANK] = {0}, cnt[H5S_MAX_RANK];
  if (ds < 0 || (fsp = H5Dget_space(ds)) < 0) goto done;
  int rank = H5Sget_simple_extent_dims(fsp, dims, NULL);
  if (rank < 1) goto done;
  memcpy(cnt, dims, sizeof dims);
  start[0] = row0;
  cnt[0] = n;
  if ((msp = H5Screate_simple(rank, cnt, NULL)) < 0 ||
      H5Sselect_hyperslab(fsp, H5S_SELECT_SET, start, NULL, cnt, NULL) < 0 ||
      H5Dread(ds, mtype, msp, fsp, H5P_DEFAULT, buf) < 0)
    goto done;
  rc = 0;
done:
  if (msp >= 0) H5Sclose(msp);
  if (fsp >= 0) H5Sclose(fsp);
  if (ds >= 0) H5Dclose(ds);
  return rc;
}

static int read_u64_attr(hid_t g, const char *name, uint64_t *out) {
  return H5Aexists(g, name) > 0 ? ddr_h5_read_attr_uint64(g, name, out) : -1;
}

int ddr_part_get_header(hid_t loc, ddr_part_info *out) {
  uint64_t shard, shards;
  hid_t g = ddr_h5_exists(loc, "part") ? H5Gopen2(loc, "part", H5P_DEFAULT) : H5I_INVALID_HID;
  int bad = g < 0 || read_u64_attr(g, "shard", &shard) < 0 ||
            read_u64_attr(g, "shards", &shards) < 0 || read_u64_attr(g, "first", &out->first) < 0 ||
            read_u64_attr(g, "count", &out->count) < 0 ||
            read_u64_attr(g, "total_replications", &out->total) < 0 ||
            read_u64_attr(g, "seed", &out->seed) < 0 || shards < 1 || shard < 1 || shard > shards ||
            shards > UINT32_MAX;
  if (g >= 0) H5Gclose(g);
  if (bad) return -1;
  out->shard = (uint32_t)shard;
  out->shards = (uint32_t)shards;
  return 0;
}

static ddr_status read_info(ddr_part *p, ddr_error *err) {
  if (ddr_part_get_header(p->file, &p->info) < 0)
    return part_err(err, DDR_EINPUT, p->name, "/part (damaged)");
  return DDR_OK;
}

static ddr_status read_shape(ddr_part *p, ddr_error *err) {
  hsize_t d[3];
  const char *what = "/metrics/name";
  if (ddr_h5_extent(p->file, what + 1, 1, d) < 0) goto bad;
  p->M = d[0];
  what = "/time/days";
  if (ddr_h5_extent(p->file, what + 1, 1, d) < 0) goto bad;
  p->T = d[0];
  what = "/inputs/values";
  if (ddr_h5_extent(p->file, what + 1, 2, d) < 0 || d[0] != p->info.count) goto bad;
  p->Ku = d[1];
  what = "/targets/met";
  if (ddr_h5_extent(p->file, what + 1, 2, d) < 0 || d[0] != p->info.count) goto bad;
  p->G = d[1];
  p->full = ddr_h5_exists(p->file, "series/values");
  what = "/series/values";
  if (p->full && (ddr_h5_extent(p->file, what + 1, 3, d) < 0 || d[0] != p->info.count ||
                  d[1] != p->M || d[2] != p->T))
    goto bad;
  p->has_events = ddr_h5_exists(p->file, "events/kind_name");
  if (p->has_events) {
    what = "/events";
    if (ddr_h5_extent(p->file, "events/kind_name", 1, d) < 0) goto bad;
    p->E = d[0];
    if (ddr_h5_extent(p->file, ev_col[EV_REP], 1, d) < 0) goto bad;
    p->nevents = d[0];
  }
  return DDR_OK;
bad:
  return part_err(err, DDR_EINPUT, p->name, what);
}

static ddr_status read_sources(ddr_part *p, ddr_error *err) {
  hsize_t n;
  if (ddr_h5_read_strings(p->file, "scenario/resolved", 1, &p->resolved) < 0)
    return part_err(err, DDR_EINPUT, p->name, "/scenario/resolved");
  if (ddr_h5_extent(p->file, "scenario/files", 1, &n) < 0 || n < 1)
    return part_err(err, DDR_EINPUT, p->name, "/scenario/files");
  p->files = calloc(n, sizeof *p->files);
  p->texts = calloc(n, sizeof *p->texts);
  if (!p->files || !p->texts)
    return ddr_error_set(err, DDR_ENOMEM, p->name, 0, 0, NULL, "out of memory");
  p->nsrc = n;
  if (ddr_h5_read_strings(p->file, "scenario/files", n, p->files) < 0 ||
      ddr_h5_read_strings(p->file, "scenario/texts", n, p->texts) < 0)
    return part_err(err, DDR_EINPUT, p->name, "/scenario/files and texts");
  return DDR_OK;
}

/* The run's root in the file: the file itself, or a sweep point's group
 * (which keeps the file open when the file's handle is closed). */
static hid_t open_root(const char *path, const char *group) {
  hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0 || !group) return f;
  hid_t g = ddr_h5_exists(f, group) ? H5Gopen2(f, group, H5P_DEFAULT) : H5I_INVALID_HID;
  H5Fclose(f);
  return g;
}

/* What is opened: a part (with its tally), a part read for its rows alone,
 * or a whole run's file read as the one part of itself. */
enum { OPEN_PART, OPEN_ROWS, OPEN_WHOLE };

static ddr_status part_open(const char *path, const char *group, int mode, ddr_part **out,
                            ddr_error *err) {
  ddr_resfile *rf = NULL;
  *out = NULL;
  /* the result file's own checks: missing, not HDF5, not ddrsim's, too new */
  ddr_status st = ddr_resfile_load_group(path, group, &rf, err);
  ddr_part_info whole = {
      1, 1, 0, rf ? rf->replications : 0, rf ? rf->replications : 0, rf ? rf->seed : 0};
  ddr_resfile_free(rf);
  if (st) return st;
  ddr_part *p = calloc(1, sizeof *p);
  size_t nlen = strlen(path) + (group ? strlen(group) + 16 : 0) + 1;
  if (!p || !(p->path = strdup(path)) || !(p->name = malloc(nlen))) {
    if (p) free(p->path);
    free(p);
    return ddr_error_set(err, DDR_ENOMEM, path, 0, 0, NULL, "out of memory");
  }
  const char *point = group ? strrchr(group, '/') : NULL;
  if (point)
    snprintf(p->name, nlen, "%s (point %ld)", path, strtol(point + 1, NULL, 10));
  else
    snprintf(p->name, nlen, "%s", path);
  p->tally_at = "part/tally";
  ddr_h5_error_reset();
  if ((p->file = open_root(path, group)) < 0) {
    st = part_err(err, DDR_EIO, p->name, "the file");
  } else if (mode == OPEN_WHOLE) {
    p->info = whole;
    p->tally_at = "tally";
    if (ddr_h5_exists(p->file, "part"))
      st = ddr_error_set(err, DDR_EINPUT, path, 0, 0, NULL,
                         "%s is a part file (one shard of a run); join the parts with ddrsim "
                         "merge first",
                         p->name);
    else if (!(st = read_shape(p, err)))
      st = read_sources(p, err);
  } else if (!ddr_h5_exists(p->file, "part")) {
    st = ddr_error_set(err, DDR_EINPUT, path, 0, 0, NULL,
                       "%s is not a ddrsim part file (no /part: a whole run); write parts with "
                       "ddrsim run --shard I/N",
                       p->name);
  } else if (mode == OPEN_PART && !ddr_h5_exists(p->file, "part/tally")) {
    st = ddr_error_set(err, DDR_EINPUT, path, 0, 0, NULL,
                       "%s has no tally: it is the share of one rank of an MPI run, which only "
                       "that run joins; run the whole run again",
                       p->name);
  } else if (!(st = read_info(p, err)) && !(st = read_shape(p, err))) {
    st = read_sources(p, err);
  }
  if (st) {
    ddr_part_close(p);
    return st;
  }
  p->has_tally = ddr_h5_exists(p->file, p->tally_at) > 0;
  *out = p;
  return DDR_OK;
}

ddr_status ddr_part_open_group(const char *path, const char *group, ddr_part **out,
                               ddr_error *err) {
  return part_open(path, group, OPEN_PART, out, err);
}

ddr_status ddr_part_open(const char *path, ddr_part **out, ddr_error *err) {
  return part_open(path, NULL, OPEN_PART, out, err);
}

ddr_status ddr_part_open_rows(const char *path, ddr_part **out, ddr_error *err) {
  return part_open(path, NULL, OPEN_ROWS, out, err);
}

ddr_status ddr_part_open_whole(const char *path, ddr_part **out, ddr_error *err) {
  return part_open(path, NULL, OPEN_WHOLE, out, err);
}

int ddr_part_has_tally(const ddr_part *p) {
  return p->has_tally;
}

void ddr_part_close(ddr_part *p) {
  if (!p) return;
  if (p->file > 0) {
    if (H5Iget_type(p->file) == H5I_FILE)
      H5Fclose(p->file);
    else
      H5Gclose(p->file);
  }
  for (size_t i = 0; i < p->nsrc; i++) {
    free(p->files[i]);
    free(p->texts[i]);
  }
  free(p->files);
  free(p->texts);
  free(p->resolved);
  free(p->path);
  free(p->name);
  free(p->inputs);
  free(p->met);
  free(p->step);
  free(p->series);
  free(p->outcomes);
  free(p->off);
  free(p->evrep);
  free(p->evkind);
  free(p->evfirst);
  free(p->evlast);
  free(p->events);
  free(p);
}

const char *ddr_part_path(const ddr_part *p) {
  return p->name;
}
const ddr_part_info *ddr_part_info_of(const ddr_part *p) {
  return &p->info;
}
int ddr_part_full(const ddr_part *p) {
  return p->full;
}
const char *ddr_part_resolved(const ddr_part *p) {
  return p->resolved;
}
size_t ddr_part_sources(const ddr_part *p, const char *const **files, const char *const **texts) {
  *files = (const char *const *)p->files;
  *texts = (const char *const *)p->texts;
  return p->nsrc;
}

/* Fill h with the k values and counts of a cell (values increasing);
 * -1 if out of memory, -2 if they are not increasing. */

static ddr_status shape_err(const ddr_part *p, ddr_error *err) {
  return ddr_error_set(err, DDR_EINPUT, p->name, 0, 0, NULL,
                       "%s does not fit its scenario (its tally is of another shape)", p->name);
}

/* A part's sparse tally as stored: per cell its number of distinct values,
 * then every cell's values (and counts, when counts is not NULL), and the
 * met and event counts (when met / ev are not NULL). Arrays are malloc'd. */
typedef struct sparse {
  uint32_t *nz, *counts;
  int32_t *values;
  hsize_t total;
  uint64_t replications;
} sparse;

static void sparse_free(sparse *sp) {
  free(sp->nz);
  free(sp->values);
  free(sp->counts);
}

/* 0, -1 when out of memory, -2 when damaged. */
static int read_sparse(const ddr_part *p, int with_counts, uint64_t *met, uint64_t *ev,
                       sparse *sp) {
  size_t C = p->M * p->T + p->G;
  hsize_t total2 = 0;
  memset(sp, 0, sizeof *sp);
  if (!(sp->nz = malloc((C + 1) * sizeof *sp->nz))) return -1;
  hid_t g = H5Gopen2(p->file, p->tally_at, H5P_DEFAULT);
  int bad =
      g < 0 || read_u64_attr(g, "replications", &sp->replications) < 0 ||
      ddr_h5_read(g, "cell_values", H5T_NATIVE_UINT32, C, sp->nz) < 0 ||
      (met && ddr_h5_read(g, "met", H5T_NATIVE_UINT64, p->G, met) < 0) ||
      (ev && (ddr_h5_read(g, "event_count", H5T_NATIVE_UINT64, p->E, ev) < 0 ||
              ddr_h5_read(g, "event_replications", H5T_NATIVE_UINT64, p->E, ev + p->E) < 0)) ||
      ddr_h5_extent(g, "value", 1, &sp->total) < 0 || ddr_h5_extent(g, "count", 1, &total2) < 0 ||
      sp->total != total2;
  if (!bad) {
    sp->values = malloc((sp->total + 1) * sizeof *sp->values);
    sp->counts = with_counts ? malloc((sp->total + 1) * sizeof *sp->counts) : NULL;
    bad = !sp->values || (with_counts && !sp->counts)
              ? -1
              : ddr_h5_read(g, "value", H5T_NATIVE_INT32, sp->total, sp->values) < 0 ||
                    (with_counts &&
                     ddr_h5_read(g, "count", H5T_NATIVE_UINT32, sp->total, sp->counts) < 0);
  }
  if (g >= 0) H5Gclose(g);
  if (bad == 0) { /* the cells must account for the values, each cell's increasing */
    hsize_t at = 0;
    for (size_t c = 0; c < C && !bad; at += sp->nz[c], c++) {
      if (sp->nz[c] > sp->total - at) bad = 1;
      for (size_t i = 1; i < sp->nz[c] && !bad; i++)
        if (sp->values[at + i] <= sp->values[at + i - 1]) bad = 1;
    }
  }
  if (bad) sparse_free(sp);
  return bad < 0 ? -1 : bad ? -2 : 0;
}

ddr_status ddr_part_tally_range(const ddr_part *p, size_t cells, int32_t *lo, int32_t *hi,
                                ddr_error *err) {
  if (cells != p->M * p->T + p->G) return shape_err(p, err);
  int32_t *ext = malloc((2 * cells + 1) * sizeof *ext);
  uint32_t *nz = malloc((cells + 1) * sizeof *nz);
  ddr_status st = DDR_OK;
  hid_t g = H5Gopen2(p->file, p->tally_at, H5P_DEFAULT);
  if (!ext || !nz)
    st = ddr_error_set(err, DDR_ENOMEM, p->name, 0, 0, NULL, "out of memory reading %s", p->name);
  else if (g < 0 || ddr_h5_read(g, "cell_values", H5T_NATIVE_UINT32, cells, nz) < 0 ||
           ddr_h5_read(g, "cell_min", H5T_NATIVE_INT32, cells, ext) < 0 ||
           ddr_h5_read(g, "cell_max", H5T_NATIVE_INT32, cells, ext + cells) < 0)
    st = part_err(err, DDR_EINPUT, p->name, p->tally_at);
  for (size_t c = 0; !st && c < cells; c++) {
    if (!nz[c]) continue;
    if (ext[c] > ext[cells + c]) {
      st = part_err(err, DDR_EINPUT, p->name, "its tally's cell ranges");
      break;
    }
    if (ext[c] < lo[c]) lo[c] = ext[c];
    if (ext[cells + c] > hi[c]) hi[c] = ext[cells + c];
  }
  if (g >= 0) H5Gclose(g);
  free(ext);
  free(nz);
  return st;
}

ddr_status ddr_part_add_tally(const ddr_part *p, ddr_tally *t, ddr_error *err) {
  size_t C = p->M * p->T + p->G;
  if (t->nmetrics != p->M || t->nsteps != p->T || t->ntargets != p->G || t->nevent_kinds != p->E)
    return shape_err(p, err);
  uint64_t *met = malloc((p->G + 1) * sizeof *met), *ev = malloc((2 * p->E + 1) * sizeof *ev);
  sparse sp = {0};
  int rc = !met || !ev ? -1 : read_sparse(p, 1, met, ev, &sp);
  const char *what = p->tally_at;
  if (rc == 0) {
    hsize_t at = 0;
    for (size_t c = 0; c < C && rc == 0; at += sp.nz[c], c++) {
      ddr_hist *h = cell_of(t, c);
      uint64_t n = 0;
      for (size_t i = 0; i < sp.nz[c] && rc == 0; i++) {
        if (ddr_hist_add_n(h, sp.values[at + i], sp.counts[at + i])) rc = -1;
        n += sp.counts[at + i];
      }
      if (rc == 0 && n != sp.replications) {
        rc = -2;
        what = "its tally (cells and values disagree)";
      }
    }
  }
  if (rc == 0) {
    for (size_t g = 0; g < p->G; g++) t->met[g] += met[g];
    for (size_t k = 0; k < p->E; k++) {
      t->events[k].events += ev[k];
      t->events[k].replications += ev[p->E + k];
    }
    t->replications += sp.replications;
  }
  sparse_free(&sp);
  free(met);
  free(ev);
  if (rc == -1)
    return ddr_error_set(err, DDR_ENOMEM, p->name, 0, 0, NULL, "out of memory reading %s", p->name);
  return rc ? part_err(err, DDR_EINPUT, p->name, what) : DDR_OK;
}

/* Rows of the event table before the first event of replication rep: the
 * table is in replication order, so a binary search finds it. */
static int events_before(const ddr_part *p, uint64_t rep, uint64_t *out) {
  uint64_t lo = 0, hi = p->nevents, r;
  while (lo < hi) {
    uint64_t mid = lo + (hi - lo) / 2;
    if (read_rows(p->file, ev_col[EV_REP], H5T_NATIVE_UINT64, mid, 1, &r) < 0) return -1;
    if (r < rep)
      lo = mid + 1;
    else
      hi = mid;
  }
  *out = lo;
  return 0;
}

/* Room for count replications' rows and n events. */
static int reserve(ddr_part *p, uint64_t count, uint64_t n) {
  if (count > p->cap) {
    free(p->inputs), free(p->met), free(p->step), free(p->series), free(p->outcomes), free(p->off);
    p->inputs = malloc((count * p->Ku + 1) * sizeof *p->inputs);
    p->met = malloc(count * p->G + 1);
    p->step = malloc((count * p->G + 1) * sizeof *p->step);
    p->outcomes = malloc((count * p->G + 1) * sizeof *p->outcomes);
    p->off = malloc((count + 1) * sizeof *p->off);
    p->series = p->full ? malloc((count * p->M * p->T + 1) * sizeof *p->series) : NULL;
    p->cap = p->inputs && p->met && p->step && p->outcomes && p->off && (!p->full || p->series)
                 ? count
                 : 0;
    if (!p->cap) return -1;
  }
  if (n > p->evcap) {
    free(p->evrep), free(p->evkind), free(p->evfirst), free(p->evlast), free(p->events);
    p->evrep = malloc(n * sizeof *p->evrep);
    p->evkind = malloc(n * sizeof *p->evkind);
    p->evfirst = malloc(n * sizeof *p->evfirst);
    p->evlast = malloc(n * sizeof *p->evlast);
    p->events = malloc(n * sizeof *p->events);
    p->evcap = p->evrep && p->evkind && p->evfirst && p->evlast && p->events ? n : 0;
    if (!p->evcap) return -1;
  }
  return 0;
}

/* The batch's events and their offsets per replication. */
static int read_events(ddr_part *p, uint64_t first, uint64_t count, ddr_batch *b) {
  uint64_t r0, r1;
  if (events_before(p, first, &r0) < 0 || events_before(p, first + count, &r1) < 0) return -1;
  uint64_t n = r1 - r0;
  if (reserve(p, count, n) < 0) return -2;
  if (read_rows(p->file, ev_col[EV_REP], H5T_NATIVE_UINT64, r0, n, p->evrep) < 0 ||
      read_rows(p->file, ev_col[EV_KIND], H5T_NATIVE_UINT32, r0, n, p->evkind) < 0 ||
      read_rows(p->file, ev_col[EV_FIRST], H5T_NATIVE_INT32, r0, n, p->evfirst) < 0 ||
      read_rows(p->file, ev_col[EV_LAST], H5T_NATIVE_INT32, r0, n, p->evlast) < 0)
    return -1;
  memset(p->off, 0, (count + 1) * sizeof *p->off);
  for (uint64_t e = 0; e < n; e++) {
    p->events[e] = (ddr_event){p->evkind[e], p->evfirst[e], p->evlast[e]};
    p->off[p->evrep[e] - first + 1]++;
  }
  for (uint64_t i = 0; i < count; i++) p->off[i + 1] += p->off[i];
  b->event_off = p->off;
  b->events = p->events;
  return 0;
}

ddr_status ddr_part_read_batch(ddr_part *p, uint64_t first, uint64_t count, ddr_batch *b,
                               ddr_error *err) {
  if (first < p->info.first || first - p->info.first > p->info.count ||
      count > p->info.count - (first - p->info.first))
    return ddr_error_set(err, DDR_EINTERNAL, p->name, 0, 0, NULL,
                         "replications %llu.. are not in %s", (unsigned long long)first, p->name);
  uint64_t row = first - p->info.first;
  const char *what = "/inputs/values";
  ddr_h5_error_reset();
  if (reserve(p, count, 0) < 0) goto nomem;
  if (read_rows(p->file, "inputs/values", H5T_NATIVE_DOUBLE, row, count, p->inputs) < 0) goto bad;
  what = "/targets";
  if (read_rows(p->file, "targets/met", H5T_NATIVE_UINT8, row, count, p->met) < 0 ||
      read_rows(p->file, "targets/step_reached", H5T_NATIVE_INT32, row, count, p->step) < 0)
    goto bad;
  for (uint64_t i = 0; i < count * p->G; i++) p->outcomes[i] = (ddr_outcome){p->met[i], p->step[i]};
  what = "/series/values";
  if (p->full && read_rows(p->file, "series/values", H5T_NATIVE_INT32, row, count, p->series) < 0)
    goto bad;
  *b = (ddr_batch){.first = first,
                   .count = count,
                   .ninputs = p->Ku,
                   .inputs = p->inputs,
                   .ntargets = p->G,
                   .outcomes = p->outcomes,
                   .nmetrics = p->M,
                   .nsteps = p->T,
                   .series = p->full ? p->series : NULL};
  what = "/events";
  if (p->has_events) {
    int rc = read_events(p, first, count, b);
    if (rc == -2) goto nomem;
    if (rc < 0) goto bad;
  }
  return DDR_OK;
bad:
  return part_err(err, DDR_EINPUT, p->name, what);
nomem:
  return ddr_error_set(err, DDR_ENOMEM, p->name, 0, 0, NULL, "out of memory reading %s", p->name);
}

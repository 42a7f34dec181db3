/* The sweep file: one HDF5 file holding every design point of a sweep as a
 * run in a group of its own (/points/0000, ...), the point's inputs beside it
 * and a table of the points at the top (/sweep). Layout: docs/file-format.md.
 *
 * Each point is written by the result-file store, unchanged, as a run file
 * under a scratch name beside the output, then copied whole into its group;
 * so a point holds exactly what a run file holds. HDF5 copies the dimension
 * scales' object references across files as dangling ones, so the copy's
 * scales are attached again, from the source's, by path. The file itself is
 * written under a temporary name and renamed when complete, as a run's. */
#include "ddrsim/sweep.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ddrsim/rng.h"
#include "ddrsim/version.h"
#include "h5util.h"
#include "store_part.h"

#define PATH_MAX_LEN 4096

struct ddr_sweep_file {
  char path[PATH_MAX_LEN], dir[PATH_MAX_LEN], tmp[2 * PATH_MAX_LEN + 64],
      point[2 * PATH_MAX_LEN + 64];
  int force;
  hid_t file;
  const ddr_sweep_design *d;
  size_t ntargets;
  char **target; /* [ntargets], from the first point */
  double *prob;  /* [npoints][ntargets][3]: probability, Wilson low and high */
  uint64_t seed, replications;
};

static ddr_status sf_err(ddr_error *err, ddr_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static ddr_status sf_err(ddr_error *err, ddr_status st, const char *fmt, ...) {
  char msg[DDR_ERROR_MSG_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return ddr_error_set(err, st, NULL, 0, 0, NULL, "%s", msg);
}

static ddr_status h5_failed(const ddr_sweep_file *sf, const char *what, ddr_error *err) {
  return sf_err(err, DDR_EIO, "cannot write %s (%s): %s", sf->path, what, ddr_h5_error_text());
}

/* ---- Copying a run file into a group ---- */

/* A dataset of the run with dimension scales, or a scale. */
typedef struct scaled {
  char name[256];                /* path below the run's root, no leading "/" */
  int rank;                      /* 0 for a scale with no scales of its own */
  char scale[H5S_MAX_RANK][256]; /* each dimension's scale ("" for none) */
  int is_scale;                  /* has a REFERENCE_LIST to drop */
} scaled;

typedef struct scan {
  scaled *v;
  size_t n, cap;
} scan;

/* Read a dataset's DIMENSION_LIST: the path of each dimension's scale. */
static int read_dimlist(hid_t ds, scaled *s) {
  hid_t a = H5Aopen(ds, "DIMENSION_LIST", H5P_DEFAULT), sp = H5I_INVALID_HID;
  hid_t vt = H5Tvlen_create(H5T_STD_REF_OBJ);
  hvl_t list[H5S_MAX_RANK];
  int rc = -1;
  if (a < 0 || vt < 0 || (sp = H5Aget_space(a)) < 0) goto done;
  hssize_t n = H5Sget_simple_extent_npoints(sp);
  if (n < 1 || n > H5S_MAX_RANK || H5Aread(a, vt, list) < 0) goto done;
  s->rank = (int)n;
  rc = 0;
  for (int i = 0; i < s->rank; i++) {
    s->scale[i][0] = '\0';
    if (list[i].len == 0) continue;
    hid_t o = H5Rdereference2(ds, H5P_DEFAULT, H5R_OBJECT, list[i].p);
    if (o < 0 || H5Iget_name(o, s->scale[i], sizeof s->scale[i]) < 0) rc = -1;
    if (o >= 0) H5Oclose(o);
  }
  H5Dvlen_reclaim(vt, sp, H5P_DEFAULT, list);
done:
  if (sp >= 0) H5Sclose(sp);
  if (vt >= 0) H5Tclose(vt);
  if (a >= 0) H5Aclose(a);
  return rc;
}

static herr_t visit(hid_t root, const char *name, const H5O_info_t *info, void *ctx) {
  scan *sc = ctx;
  if (info->type != H5O_TYPE_DATASET) return 0;
  hid_t ds = H5Dopen2(root, name, H5P_DEFAULT);
  if (ds < 0) return -1;
  int dl = H5Aexists(ds, "DIMENSION_LIST") > 0, rl = H5Aexists(ds, "REFERENCE_LIST") > 0;
  int rc = 0;
  if (dl || rl) {
    if (sc->n == sc->cap) {
      size_t cap = sc->cap ? 2 * sc->cap : 32;
      scaled *v = realloc(sc->v, cap * sizeof *v);
      if (!v)
        rc = -1;
      else
        sc->v = v, sc->cap = cap;
    }
    if (rc == 0) {
      scaled *s = &sc->v[sc->n++];
      memset(s, 0, sizeof *s);
      snprintf(s->name, sizeof s->name, "%s", name);
      s->is_scale = rl;
      if (dl && read_dimlist(ds, s) < 0) rc = -1;
    }
  }
  H5Dclose(ds);
  return rc;
}

static herr_t copy_link(hid_t src, const char *name, const H5L_info_t *info, void *dst) {
  (void)info;
  return H5Ocopy(src, name, *(hid_t *)dst, name, H5P_DEFAULT, H5P_DEFAULT);
}

static herr_t copy_attr(hid_t src, const char *name, const H5A_info_t *info, void *dst) {
  (void)info;
  hid_t a = H5Aopen(src, name, H5P_DEFAULT), t = H5I_INVALID_HID, sp = H5I_INVALID_HID,
        b = H5I_INVALID_HID;
  void *buf = NULL;
  herr_t rc = -1;
  if (a < 0 || (t = H5Aget_type(a)) < 0 || (sp = H5Aget_space(a)) < 0) goto done;
  size_t n = (size_t)H5Sget_simple_extent_npoints(sp) * H5Tget_size(t);
  if (!(buf = calloc(1, n + 16)) || H5Aread(a, t, buf) < 0) goto done;
  if ((b = H5Acreate2(*(hid_t *)dst, name, t, sp, H5P_DEFAULT, H5P_DEFAULT)) >= 0 &&
      H5Awrite(b, t, buf) >= 0)
    rc = 0;
  if (H5Tdetect_class(t, H5T_VLEN) > 0 || H5Tis_variable_str(t) > 0)
    H5Dvlen_reclaim(t, sp, H5P_DEFAULT, buf);
done:
  free(buf);
  if (b >= 0) H5Aclose(b);
  if (sp >= 0) H5Sclose(sp);
  if (t >= 0) H5Tclose(t);
  if (a >= 0) H5Aclose(a);
  return rc;
}

static int drop_attr(hid_t obj, const char *name) {
  return H5Aexists(obj, name) > 0 ? H5Adelete(obj, name) : 0;
}

/* Attach the scales of the copy at dst (group path gpath) as the source's. */
static int reattach(hid_t dst, const char *gpath, const scan *sc) {
  for (size_t i = 0; i < sc->n; i++) { /* drop the dangling references first */
    hid_t ds = H5Dopen2(dst, sc->v[i].name, H5P_DEFAULT);
    int bad = ds < 0 || drop_attr(ds, "REFERENCE_LIST") < 0 ||
              drop_attr(ds, "DIMENSION_LIST") < 0 || drop_attr(ds, "DIMENSION_LABELS") < 0;
    if (ds >= 0) H5Dclose(ds);
    if (bad) return -1;
  }
  for (size_t i = 0; i < sc->n; i++) {
    const scaled *s = &sc->v[i];
    if (s->rank == 0) continue;
    char paths[H5S_MAX_RANK][600];
    const char *p[H5S_MAX_RANK];
    for (int k = 0; k < s->rank; k++) {
      snprintf(paths[k], sizeof paths[k], "%s%s", gpath, s->scale[k]);
      p[k] = s->scale[k][0] ? paths[k] : NULL;
    }
    hid_t ds = H5Dopen2(dst, s->name, H5P_DEFAULT);
    int bad = ds < 0 || ddr_h5_attach(ds, s->rank, p) < 0;
    if (ds >= 0) H5Dclose(ds);
    if (bad) return -1;
  }
  return 0;
}

/* Everything in the file at src_path (its root's links and attributes) into
 * the new group gpath of dst. */
static int copy_run(const char *src_path, hid_t dst_file, const char *gpath) {
  scan sc = {0};
  hid_t src = H5Fopen(src_path, H5F_ACC_RDONLY, H5P_DEFAULT), g = H5I_INVALID_HID;
  int rc = -1;
  if (src < 0 || H5Ovisit(src, H5_INDEX_NAME, H5_ITER_NATIVE, visit, &sc) < 0) goto done;
  if ((g = ddr_h5_group(dst_file, gpath)) < 0) goto done;
  hsize_t idx = 0;
  if (H5Literate(src, H5_INDEX_NAME, H5_ITER_NATIVE, &idx, copy_link, &g) < 0) goto done;
  idx = 0;
  if (H5Aiterate2(src, H5_INDEX_NAME, H5_ITER_NATIVE, &idx, copy_attr, &g) < 0) goto done;
  rc = reattach(g, gpath, &sc);
done:
  if (g >= 0) H5Gclose(g);
  if (src >= 0) H5Fclose(src);
  free(sc.v);
  return rc;
}

/* ---- Writing ---- */

ddr_status ddr_sweep_file_create(const char *path, int force, const ddr_sweep_design *d,
                                 const char *scenario_file, const ddr_part_info *part,
                                 ddr_sweep_file **out, ddr_error *err) {
  struct stat sb;
  *out = NULL;
  if (lstat(path, &sb) == 0) {
    if (S_ISDIR(sb.st_mode)) return sf_err(err, DDR_EIO, "%s is a directory", path);
    if (!force)
      return sf_err(err, DDR_EEXIST,
                    "%s exists; refusing to overwrite it (use --force to replace it)", path);
  }
  ddr_sweep_file *sf = calloc(1, sizeof *sf);
  if (!sf) return sf_err(err, DDR_ENOMEM, "out of memory");
  sf->file = H5I_INVALID_HID;
  sf->force = force;
  sf->d = d;
  const char *slash = strrchr(path, '/');
  int dlen = slash ? (int)(slash - path) : 0;
  const char *base = slash ? slash + 1 : path;
  snprintf(sf->path, sizeof sf->path, "%s", path);
  snprintf(sf->dir, sizeof sf->dir, "%.*s", slash ? (dlen ? dlen : 1) : 1, slash ? path : ".");
  snprintf(sf->tmp, sizeof sf->tmp, "%s/.%s.tmp.%ld", sf->dir, base, (long)getpid());
  snprintf(sf->point, sizeof sf->point, "%s/.%s.point.%ld.h5", sf->dir, base, (long)getpid());
  sf->prob = calloc(d->npoints * 3 + 1, sizeof *sf->prob); /* grown at the first point */
  if (!sf->prob) {
    free(sf);
    return sf_err(err, DDR_ENOMEM, "out of memory");
  }
  /* access() tells a read-only file system (EROFS) even to root */
  int bad_dir = stat(sf->dir, &sb) != 0      ? errno
                : !S_ISDIR(sb.st_mode)       ? ENOTDIR
                : access(sf->dir, W_OK) != 0 ? errno
                                             : 0;
  if (bad_dir) {
    ddr_status st =
        bad_dir == ENOENT
            ? sf_err(err, DDR_EIO, "cannot write %s: directory %s does not exist", path, sf->dir)
            : sf_err(err, DDR_EIO, "cannot write %s: %s", path, strerror(bad_dir));
    ddr_sweep_file_abort(sf);
    return st;
  }
  ddr_h5_error_reset();
  hid_t f = sf->file = ddr_h5_create_file(sf->tmp), g = H5I_INVALID_HID;
  const char *text = d->text;
  int bad =
      f < 0 || ddr_h5_attr_int32(f, "ddrsim_format_version", DDR_FILE_FORMAT_VERSION) < 0 ||
      ddr_h5_attr_int32(f, "rng_stream_version", DDR_RNG_STREAM_VERSION) < 0 ||
      ddr_h5_attr_string(f, "ddrsim_version", DDRSIM_VERSION) < 0 ||
      ddr_h5_attr_string(f, "ddrsim_file_kind", part ? "sweep-part" : "sweep") < 0 ||
      ddr_h5_attr_uint64(f, "sweep_points", d->npoints) < 0 ||
      (part && ddr_part_put_header(f, part) < 0) || (g = ddr_h5_group(f, "design")) < 0 ||
      ddr_h5_attr_string(g, "kind", d->kind == DDR_SWEEP_GRID ? "grid" : "latin-hypercube") < 0 ||
      ddr_h5_attr_string(g, "file", d->file) < 0 ||
      ddr_h5_attr_string(g, "scenario_file", scenario_file) < 0 ||
      (d->kind == DDR_SWEEP_LHS && ddr_h5_attr_uint64(g, "seed", d->seed) < 0) ||
      ddr_h5_put_strings(g, "text", 0, NULL, &text, NULL, "the design file, verbatim") < 0;
  if (g >= 0) H5Gclose(g);
  if (!bad && (g = ddr_h5_group(f, "points")) >= 0)
    H5Gclose(g);
  else
    bad = 1;
  if (bad) {
    ddr_status st = h5_failed(sf, "the file header", err);
    ddr_sweep_file_abort(sf);
    return st;
  }
  *out = sf;
  return DDR_OK;
}

const char *ddr_sweep_file_temp_path(const ddr_sweep_file *sf) {
  return sf->tmp;
}
const char *ddr_sweep_file_point_path(const ddr_sweep_file *sf) {
  return sf->point;
}

/* The point's targets and their probabilities, for the table at the top. */
static int note_targets(ddr_sweep_file *sf, size_t p, hid_t g) {
  hsize_t n;
  if (ddr_h5_extent(g, "targets/id", 1, &n) < 0) return -1;
  if (p == 0) {
    double *prob = calloc(sf->d->npoints * 3 * n + 1, sizeof *prob);
    sf->target = calloc(n + 1, sizeof *sf->target);
    if (!prob || !sf->target) {
      free(prob);
      return -1;
    }
    free(sf->prob);
    sf->prob = prob;
    sf->ntargets = n;
    if (ddr_h5_read_strings(g, "targets/id", n, sf->target) < 0) return -1;
    hid_t pg = H5Gopen2(g, "provenance", H5P_DEFAULT);
    int bad = pg < 0 || ddr_h5_read_attr_uint64(pg, "seed", &sf->seed) < 0 ||
              ddr_h5_read_attr_uint64(pg, "replications", &sf->replications) < 0;
    if (pg >= 0) H5Gclose(pg);
    if (bad) return -1;
  }
  if (n != sf->ntargets) return -2;
  double *v = malloc((3 * n + 1) * sizeof *v);
  int rc = !v || ddr_h5_read(g, "targets/probability", H5T_NATIVE_DOUBLE, n, v) < 0 ||
                   ddr_h5_read(g, "targets/wilson_lo", H5T_NATIVE_DOUBLE, n, v + n) < 0 ||
                   ddr_h5_read(g, "targets/wilson_hi", H5T_NATIVE_DOUBLE, n, v + 2 * n) < 0
               ? -1
               : 0;
  for (size_t i = 0; rc == 0 && i < n; i++)
    for (int j = 0; j < 3; j++) sf->prob[(p * n + i) * 3 + j] = v[j * n + i];
  free(v);
  return rc;
}

/* The point's inputs, in /points/NNNN/sweep_point. */
static int write_point_inputs(ddr_sweep_file *sf, size_t p, hid_t g) {
  const ddr_sweep_design *d = sf->d;
  const char *keys[DDR_SWEEP_MAX_KEYS], *vals[DDR_SWEEP_MAX_KEYS];
  hsize_t k = d->nkeys;
  for (size_t i = 0; i < d->nkeys; i++) {
    keys[i] = d->keys[i].path;
    vals[i] = d->value[p * d->nkeys + i];
  }
  hid_t pg = ddr_h5_group(g, "sweep_point");
  int rc = pg < 0 || ddr_h5_attr_uint64(pg, "index", p) < 0 ||
                   ddr_h5_put_strings(pg, "key", 1, &k, keys, NULL,
                                      "the --set key paths the sweep varies") < 0 ||
                   ddr_h5_put_strings(pg, "value", 1, &k, vals, NULL,
                                      "this point's value of each key, as given to --set") < 0 ||
                   ddr_h5_put(pg, "number", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, &k,
                              d->number + p * d->nkeys, NULL,
                              "the same values as numbers (dates: days since 1970-01-01; NaN "
                              "when not a number)") < 0
               ? -1
               : 0;
  if (pg >= 0 && H5Gclose(pg) < 0) rc = -1;
  return rc;
}

ddr_status ddr_sweep_file_add_point(ddr_sweep_file *sf, size_t p, ddr_error *err) {
  char gpath[64];
  snprintf(gpath, sizeof gpath, "/points/%04zu", p);
  ddr_h5_error_reset();
  if (copy_run(sf->point, sf->file, gpath) < 0) return h5_failed(sf, gpath, err);
  unlink(sf->point);
  hid_t g = H5Gopen2(sf->file, gpath, H5P_DEFAULT);
  int rc = g < 0 ? -1 : note_targets(sf, p, g);
  if (rc == 0) rc = write_point_inputs(sf, p, g);
  if (g >= 0) H5Gclose(g);
  if (rc == -2)
    return sf_err(err, DDR_EINPUT, "design point %zu of %s has other targets than point 0", p,
                  sf->d->file);
  if (rc < 0 || H5Fflush(sf->file, H5F_SCOPE_LOCAL) < 0) return h5_failed(sf, gpath, err);
  return DDR_OK;
}

static int write_table(ddr_sweep_file *sf) {
  const ddr_sweep_design *d = sf->d;
  size_t np = d->npoints, nk = d->nkeys, ng = sf->ntargets;
  const char *keys[DDR_SWEEP_MAX_KEYS];
  char *names = malloc(np * 32 + 1);
  const char **groups = malloc((np + 1) * sizeof *groups);
  double *v = malloc((3 * np * ng + 1) * sizeof *v);
  hid_t g = ddr_h5_group(sf->file, "sweep");
  int rc = -1;
  if (!names || !groups || !v || g < 0) goto done;
  for (size_t k = 0; k < nk; k++) keys[k] = d->keys[k].path;
  for (size_t p = 0; p < np; p++) {
    snprintf(names + 32 * p, 32, "/points/%04zu", p);
    groups[p] = names + 32 * p;
    for (size_t i = 0; i < ng; i++)
      for (int j = 0; j < 3; j++) v[j * np * ng + p * ng + i] = sf->prob[(p * ng + i) * 3 + j];
  }
  hsize_t dk = nk, dp = np, dpk[2] = {np, nk}, dg = ng, dpg[2] = {np, ng};
  const hid_t F = H5T_IEEE_F64LE, M = H5T_NATIVE_DOUBLE;
  rc = ddr_h5_attr_uint64(g, "seed", sf->seed) < 0 ||
               ddr_h5_attr_uint64(g, "replications", sf->replications) < 0 ||
               ddr_h5_put_strings(g, "key", 1, &dk, keys, NULL,
                                  "the --set key paths the sweep varies") < 0 ||
               ddr_h5_put_strings(g, "group", 1, &dp, groups, NULL, "each point's group") < 0 ||
               ddr_h5_put_strings(g, "value", 2, dpk, (const char *const *)d->value, NULL,
                                  "each point's value of each key, as given to --set") < 0 ||
               ddr_h5_put(g, "number", F, M, 2, dpk, d->number, NULL,
                          "the same values as numbers (dates: days since 1970-01-01; NaN when "
                          "not a number)") < 0 ||
               ddr_h5_put_strings(g, "target_id", 1, &dg, (const char *const *)sf->target, NULL,
                                  "the targets of every point") < 0 ||
               ddr_h5_put(g, "probability", F, M, 2, dpg, v, NULL,
                          "each point's probability of meeting each target") < 0 ||
               ddr_h5_put(g, "wilson_lo", F, M, 2, dpg, v + np * ng, NULL,
                          "lower end of its 95% Wilson interval") < 0 ||
               ddr_h5_put(g, "wilson_hi", F, M, 2, dpg, v + 2 * np * ng, NULL,
                          "upper end of its 95% Wilson interval") < 0
           ? -1
           : 0;
done:
  if (g >= 0 && H5Gclose(g) < 0) rc = -1;
  free(names);
  free(groups);
  free(v);
  return rc;
}

static void sf_free(ddr_sweep_file *sf) {
  for (size_t i = 0; sf->target && i < sf->ntargets; i++) free(sf->target[i]);
  free(sf->target);
  free(sf->prob);
  free(sf);
}

ddr_status ddr_sweep_file_finish(ddr_sweep_file *sf, ddr_error *err) {
  ddr_status st = DDR_OK;
  ddr_h5_error_reset();
  if (write_table(sf) < 0) {
    st = h5_failed(sf, "/sweep", err);
    goto fail;
  }
  hid_t f = sf->file;
  sf->file = H5I_INVALID_HID;
  if (H5Fclose(f) < 0) {
    st = h5_failed(sf, "the end of the file", err);
    goto fail;
  }
  int fd = open(sf->tmp, O_RDONLY);
  if (fd < 0 || fsync(fd) != 0) {
    if (fd >= 0) close(fd);
    st = sf_err(err, DDR_EIO, "cannot write %s: %s", sf->path, strerror(errno));
    goto fail;
  }
  close(fd);
  /* without force, a hard link refuses a file that appeared meanwhile */
  if (!sf->force && link(sf->tmp, sf->path) == 0) {
    unlink(sf->tmp);
  } else if (!sf->force && errno == EEXIST) {
    st = sf_err(err, DDR_EEXIST, "%s exists; refusing to overwrite it (use --force to replace it)",
                sf->path);
    goto fail;
  } else if (rename(sf->tmp, sf->path) != 0) {
    st = sf_err(err, DDR_EIO, "cannot write %s: %s", sf->path, strerror(errno));
    goto fail;
  }
  sf_free(sf);
  return DDR_OK;
fail:
  ddr_sweep_file_abort(sf);
  return st;
}

void ddr_sweep_file_abort(ddr_sweep_file *sf) {
  if (!sf) return;
  if (sf->file >= 0) H5Fclose(sf->file);
  unlink(sf->tmp);
  unlink(sf->point);
  sf_free(sf);
}

/* ---- Reading ---- */

/* Whether the file's ddrsim_file_kind is want: 1, 0, or -1 when it is not
 * an HDF5 file. */
static int file_kind_is(const char *path, const char *want) {
  ddr_h5_error_reset();
  if (H5Fis_hdf5(path) <= 0) return -1;
  hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) return -1;
  char *kind =
      H5Aexists(f, "ddrsim_file_kind") > 0 ? ddr_h5_read_attr_string(f, "ddrsim_file_kind") : NULL;
  int is = kind && strcmp(kind, want) == 0;
  free(kind);
  H5Fclose(f);
  return is;
}

int ddr_sweep_file_is_sweep(const char *path) {
  return file_kind_is(path, "sweep");
}

int ddr_sweep_file_is_part(const char *path) {
  return file_kind_is(path, "sweep-part");
}

void ddr_sweep_table_free(ddr_sweep_table *t) {
  if (!t) return;
  for (size_t i = 0; t->keys && i < t->nkeys; i++) free(t->keys[i]);
  for (size_t i = 0; t->value && i < t->npoints * t->nkeys; i++) free(t->value[i]);
  for (size_t i = 0; t->group && i < t->npoints; i++) free(t->group[i]);
  for (size_t i = 0; t->target && i < t->ntargets; i++) free(t->target[i]);
  free(t->keys);
  free(t->value);
  free(t->group);
  free(t->target);
  free(t->number);
  free(t->prob);
  free(t->lo);
  free(t->hi);
  free(t->path);
  free(t->design_file);
  free(t->design_kind);
  free(t->scenario_file);
  free(t);
}

ddr_status ddr_sweep_table_load(const char *path, ddr_sweep_table **out, ddr_error *err) {
  *out = NULL;
  int is = ddr_sweep_file_is_sweep(path);
  if (is < 0) return sf_err(err, DDR_EIO, "cannot open %s as an HDF5 file", path);
  if (!is) return sf_err(err, DDR_EINPUT, "%s is not a sweep file (made by ddrsim sweep)", path);
  ddr_sweep_table *t = calloc(1, sizeof *t);
  if (!t) return sf_err(err, DDR_ENOMEM, "out of memory");
  ddr_h5_error_reset();
  hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT), g = H5I_INVALID_HID, dg = H5I_INVALID_HID;
  hsize_t dpk[2], dpg[2];
  int bad = f < 0 || !(t->path = strdup(path)) || (g = H5Gopen2(f, "sweep", H5P_DEFAULT)) < 0 ||
            (dg = H5Gopen2(f, "design", H5P_DEFAULT)) < 0 ||
            !(t->design_file = ddr_h5_read_attr_string(dg, "file")) ||
            !(t->design_kind = ddr_h5_read_attr_string(dg, "kind")) ||
            !(t->scenario_file = ddr_h5_read_attr_string(dg, "scenario_file")) ||
            ddr_h5_read_attr_uint64(g, "seed", &t->seed) < 0 ||
            ddr_h5_read_attr_uint64(g, "replications", &t->replications) < 0 ||
            ddr_h5_extent(g, "value", 2, dpk) < 0 || ddr_h5_extent(g, "probability", 2, dpg) < 0;
  if (!bad) {
    t->npoints = dpk[0];
    t->nkeys = dpk[1];
    t->ntargets = dpg[1];
    size_t pk = t->npoints * t->nkeys + 1, pg = t->npoints * t->ntargets + 1;
    t->keys = calloc(t->nkeys + 1, sizeof *t->keys);
    t->value = calloc(pk, sizeof *t->value);
    t->number = calloc(pk, sizeof *t->number);
    t->group = calloc(t->npoints + 1, sizeof *t->group);
    t->target = calloc(t->ntargets + 1, sizeof *t->target);
    t->prob = calloc(pg, sizeof *t->prob);
    t->lo = calloc(pg, sizeof *t->lo);
    t->hi = calloc(pg, sizeof *t->hi);
    bad = !t->keys || !t->value || !t->number || !t->group || !t->target || !t->prob || !t->lo ||
          !t->hi || dpg[0] != t->npoints || ddr_h5_read_strings(g, "key", t->nkeys, t->keys) < 0 ||
          ddr_h5_read_strings(g, "value", pk - 1, t->value) < 0 ||
          ddr_h5_read(g, "number", H5T_NATIVE_DOUBLE, pk - 1, t->number) < 0 ||
          ddr_h5_read_strings(g, "group", t->npoints, t->group) < 0 ||
          ddr_h5_read_strings(g, "target_id", t->ntargets, t->target) < 0 ||
          ddr_h5_read(g, "probability", H5T_NATIVE_DOUBLE, pg - 1, t->prob) < 0 ||
          ddr_h5_read(g, "wilson_lo", H5T_NATIVE_DOUBLE, pg - 1, t->lo) < 0 ||
          ddr_h5_read(g, "wilson_hi", H5T_NATIVE_DOUBLE, pg - 1, t->hi) < 0;
  }
  if (dg >= 0) H5Gclose(dg);
  if (g >= 0) H5Gclose(g);
  if (f >= 0) H5Fclose(f);
  if (bad) {
    ddr_sweep_table_free(t);
    return sf_err(err, DDR_EIO,
                  "%s is damaged or truncated: cannot read its table of points (/sweep): %s", path,
                  ddr_h5_error_text());
  }
  *out = t;
  return DDR_OK;
}

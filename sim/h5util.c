/* Small HDF5 helpers for the result file: strings, attributes, whole
 * datasets and hand-written dimension scales (see h5util.h). */
#include "h5util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* HDF5's reason for the first failure since ddr_h5_error_reset(). The store
 * and the reader call HDF5 from one thread only (the compressing threads do
 * not call it), so one buffer suffices. */
static char h5_error[512];

static herr_t note_frame(unsigned n, const H5E_error2_t *e, void *data) {
  (void)data;
  /* Walking upward, frame 0 is the innermost one: the most specific reason.
   * A failed system call's description carries the time, buffer addresses
   * and offsets; of that keep the system's message ("No space left on
   * device"), which is what a user can act on. */
  const char *d = e->desc, *sys = d ? strstr(d, "error message = '") : NULL;
  if (n != 0 || !d || !d[0]) return 0;
  if (sys) {
    sys += strlen("error message = '");
    snprintf(h5_error, sizeof h5_error, "%.*s", (int)strcspn(sys, "'"), sys);
  } else {
    snprintf(h5_error, sizeof h5_error, "%.*s", (int)strcspn(d, "\n"), d);
  }
  return 0;
}

/* Called by HDF5 instead of printing its error stack: keep the first. */
static herr_t note_error(hid_t estack, void *data) {
  (void)data;
  if (h5_error[0] == '\0') H5Ewalk2(estack, H5E_WALK_UPWARD, note_frame, NULL);
  if (h5_error[0] == '\0') snprintf(h5_error, sizeof h5_error, "HDF5 call failed");
  return 0;
}

void ddr_h5_error_reset(void) {
  H5Eset_auto2(H5E_DEFAULT, note_error, NULL);
  h5_error[0] = '\0';
}

const char *ddr_h5_error_text(void) {
  return h5_error;
}

hid_t ddr_h5_create_file(const char *path) {
  hid_t fcpl = H5Pcreate(H5P_FILE_CREATE), fapl = H5Pcreate(H5P_FILE_ACCESS);
  hid_t f = H5I_INVALID_HID;
  /* The root group takes its creation properties from fcpl. */
  if (fcpl >= 0 && fapl >= 0 && H5Pset_obj_track_times(fcpl, 0) >= 0 &&
      H5Pset_libver_bounds(fapl, H5F_LIBVER_V18, H5F_LIBVER_V18) >= 0 &&
      H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG) >= 0)
    f = H5Fcreate(path, H5F_ACC_EXCL, fcpl, fapl);
  if (fcpl >= 0) H5Pclose(fcpl);
  if (fapl >= 0) H5Pclose(fapl);
  return f;
}

hid_t ddr_h5_string_type(void) {
  hid_t t = H5Tcopy(H5T_C_S1);
  if (t < 0) return t;
  if (H5Tset_size(t, H5T_VARIABLE) < 0 || H5Tset_cset(t, H5T_CSET_UTF8) < 0) {
    H5Tclose(t);
    return H5I_INVALID_HID;
  }
  return t;
}

/* Object creation properties without modification times: the times would
 * make two runs of the same work differ. */
static hid_t untimed(hid_t cls) {
  hid_t p = H5Pcreate(cls);
  if (p >= 0 && H5Pset_obj_track_times(p, 0) < 0) {
    H5Pclose(p);
    return H5I_INVALID_HID;
  }
  return p;
}

hid_t ddr_h5_group(hid_t loc, const char *name) {
  hid_t gcpl = untimed(H5P_GROUP_CREATE);
  if (gcpl < 0) return gcpl;
  hid_t g = H5Gcreate2(loc, name, H5P_DEFAULT, gcpl, H5P_DEFAULT);
  H5Pclose(gcpl);
  return g;
}

/* Write a scalar attribute, replacing one of the same name. */
static int attr_scalar(hid_t obj, const char *name, hid_t ftype, hid_t mtype, const void *value) {
  int rc = -1;
  hid_t sp = H5I_INVALID_HID, a = H5I_INVALID_HID;
  htri_t have = H5Aexists(obj, name);
  if (have < 0 || (have > 0 && H5Adelete(obj, name) < 0)) goto done;
  if ((sp = H5Screate(H5S_SCALAR)) < 0) goto done;
  if ((a = H5Acreate2(obj, name, ftype, sp, H5P_DEFAULT, H5P_DEFAULT)) < 0) goto done;
  if (H5Awrite(a, mtype, value) < 0) goto done;
  rc = 0;
done:
  if (a >= 0) H5Aclose(a);
  if (sp >= 0) H5Sclose(sp);
  return rc;
}

int ddr_h5_attr_string(hid_t obj, const char *name, const char *value) {
  hid_t t = ddr_h5_string_type();
  if (t < 0) return -1;
  const char *v = value ? value : "";
  int rc = attr_scalar(obj, name, t, t, &v);
  H5Tclose(t);
  return rc;
}

int ddr_h5_attr_int32(hid_t obj, const char *name, int32_t value) {
  return attr_scalar(obj, name, H5T_STD_I32LE, H5T_NATIVE_INT32, &value);
}

int ddr_h5_attr_uint64(hid_t obj, const char *name, uint64_t value) {
  return attr_scalar(obj, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, &value);
}

int ddr_h5_attr_double(hid_t obj, const char *name, double value) {
  return attr_scalar(obj, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &value);
}

/* A transfer property list whose type-conversion buffer holds n elements
 * of the larger of two types (at most HDF5's default of 1 MiB). HDF5 1.10
 * otherwise zeroes its whole 1 MiB buffer for every write or read that
 * converts, as every string dataset does: that was over half the time of a
 * small run or sweep. Any size is correct; a smaller one only takes more
 * passes. H5P_DEFAULT if the list cannot be made. */
static hid_t xfer(hsize_t n, hid_t a, hid_t b) {
  size_t sa = H5Tget_size(a), sb = H5Tget_size(b), elem = sa > sb ? sa : sb, max = 1u << 20;
  if (elem < 16) elem = 16; /* a variable-length string on disk */
  size_t size = n < max / elem ? (size_t)n * elem : max;
  hid_t p = H5Pcreate(H5P_DATASET_XFER);
  if (p >= 0 && H5Pset_buffer(p, size < 1024 ? 1024 : size, NULL, NULL) < 0) {
    H5Pclose(p);
    p = H5I_INVALID_HID;
  }
  return p >= 0 ? p : H5P_DEFAULT;
}

/* Close a list from xfer(). */
static void xfer_close(hid_t p) {
  if (p != H5P_DEFAULT) H5Pclose(p);
}

hid_t ddr_h5_dataset(hid_t loc, const char *name, hid_t ftype, hid_t mtype, int rank,
                     const hsize_t *dims, const hsize_t *chunk, int deflate, const void *data,
                     const char *desc) {
  hid_t ds = H5I_INVALID_HID, sp = H5I_INVALID_HID, dcpl = H5I_INVALID_HID;
  hsize_t maxdims[H5S_MAX_RANK];
  int ok = 0;
  /* Chunked datasets can be cut short along dimension 0; a dimension smaller
   * than its chunk (an empty one) must be extendable for HDF5 to accept it. */
  for (int i = 0; i < rank; i++)
    maxdims[i] = chunk && (i == 0 || dims[i] < chunk[i]) ? H5S_UNLIMITED : dims[i];
  if ((sp = rank ? H5Screate_simple(rank, dims, maxdims) : H5Screate(H5S_SCALAR)) < 0) goto done;
  if ((dcpl = untimed(H5P_DATASET_CREATE)) < 0) goto done;
  if (chunk && H5Pset_chunk(dcpl, rank, chunk) < 0) goto done;
  if (chunk && deflate > 0 && (H5Pset_shuffle(dcpl) < 0 || H5Pset_deflate(dcpl, deflate) < 0))
    goto done;
  if ((ds = H5Dcreate2(loc, name, ftype, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT)) < 0) goto done;
  hssize_t npoints = H5Sget_simple_extent_npoints(sp);
  if (data && npoints > 0) {
    hid_t xp = xfer((hsize_t)npoints, ftype, mtype);
    herr_t w = H5Dwrite(ds, mtype, H5S_ALL, H5S_ALL, xp, data);
    xfer_close(xp);
    if (w < 0) goto done;
  }
  if (desc && ddr_h5_attr_string(ds, "description", desc) < 0) goto done;
  ok = 1;
done:
  if (dcpl >= 0) H5Pclose(dcpl);
  if (sp >= 0) H5Sclose(sp);
  if (!ok && ds >= 0) {
    H5Dclose(ds);
    ds = H5I_INVALID_HID;
  }
  return ok ? ds : H5I_INVALID_HID;
}

int ddr_h5_put(hid_t loc, const char *name, hid_t ftype, hid_t mtype, int rank, const hsize_t *dims,
               const void *data, const char *const *scales, const char *desc) {
  hid_t ds = ddr_h5_dataset(loc, name, ftype, mtype, rank, dims, NULL, 0, data, desc);
  if (ds < 0) return -1;
  int rc = scales ? ddr_h5_attach(ds, rank, scales) : 0;
  return H5Dclose(ds) < 0 ? -1 : rc;
}

int ddr_h5_put_strings(hid_t loc, const char *name, int rank, const hsize_t *dims,
                       const char *const *values, const char *const *scales, const char *desc) {
  size_t n = 1;
  for (int i = 0; i < rank; i++) n *= (size_t)dims[i];
  /* HDF5 stores a NULL pointer as an empty string only by accident of
   * implementation; give it "" explicitly. */
  const char **v = malloc((n ? n : 1) * sizeof *v);
  hid_t t = ddr_h5_string_type();
  int rc = -1;
  if (v && t >= 0) {
    for (size_t i = 0; i < n; i++) v[i] = values && values[i] ? values[i] : "";
    rc = ddr_h5_put(loc, name, t, t, rank, dims, v, scales, desc);
  }
  if (t >= 0) H5Tclose(t);
  free(v);
  return rc;
}

int ddr_h5_put_scale(hid_t loc, const char *name, hid_t ftype, hid_t mtype, hsize_t n,
                     const void *data, const char *scale_name, const char *desc) {
  hid_t ds = ddr_h5_dataset(loc, name, ftype, mtype, 1, &n, NULL, 0, data, desc);
  if (ds < 0) return -1;
  int rc = ddr_h5_set_scale(ds, scale_name);
  return H5Dclose(ds) < 0 ? -1 : rc;
}

int ddr_h5_write_rows(hid_t ds, hid_t mtype, uint64_t first, uint64_t count, const void *data) {
  int rc = -1, rank;
  hsize_t dims[H5S_MAX_RANK], start[H5S_MAX_RANK], n[H5S_MAX_RANK];
  hid_t fsp = H5Dget_space(ds), msp = H5I_INVALID_HID;
  if (fsp < 0 || (rank = H5Sget_simple_extent_dims(fsp, dims, NULL)) < 1) goto done;
  hssize_t total = count;
  for (int i = 0; i < rank; i++) {
    start[i] = i ? 0 : first;
    n[i] = i ? dims[i] : count;
    total *= i ? (hssize_t)dims[i] : 1;
  }
  if (total == 0) {
    rc = 0;
    goto done;
  }
  if (H5Sselect_hyperslab(fsp, H5S_SELECT_SET, start, NULL, n, NULL) < 0) goto done;
  if ((msp = H5Screate_simple(rank, n, NULL)) < 0) goto done;
  hid_t ft = H5Dget_type(ds), xp = ft >= 0 ? xfer((hsize_t)total, ft, mtype) : H5P_DEFAULT;
  herr_t w = ft >= 0 ? H5Dwrite(ds, mtype, msp, fsp, xp, data) : -1;
  xfer_close(xp);
  if (ft >= 0) H5Tclose(ft);
  if (w < 0) goto done;
  rc = 0;
done:
  if (msp >= 0) H5Sclose(msp);
  if (fsp >= 0) H5Sclose(fsp);
  return rc;
}

int ddr_h5_set_rows(hid_t ds, uint64_t n) {
  hsize_t dims[H5S_MAX_RANK];
  hid_t sp = H5Dget_space(ds);
  int ok = sp >= 0 && H5Sget_simple_extent_dims(sp, dims, NULL) > 0;
  if (sp >= 0) H5Sclose(sp);
  dims[0] = n;
  return ok && H5Dset_extent(ds, dims) >= 0 ? 0 : -1;
}

size_t ddr_h5_deflate_rows(const int32_t *src, size_t stride, size_t nvalid, size_t block,
                           size_t rowlen, int level, unsigned char *shuffled, unsigned char *out,
                           size_t outcap) {
  /* The shuffle filter stores byte 0 of every element, then byte 1, and so
   * on; the dataset's elements are little-endian whatever this machine is. */
  size_t n = block * rowlen;
  for (size_t i = 0; i < block; i++)
    for (size_t t = 0; t < rowlen; t++) {
      uint32_t v = i < nvalid ? (uint32_t)src[i * stride + t] : 0;
      size_t e = i * rowlen + t;
      shuffled[e] = (unsigned char)v;
      shuffled[n + e] = (unsigned char)(v >> 8);
      shuffled[2 * n + e] = (unsigned char)(v >> 16);
      shuffled[3 * n + e] = (unsigned char)(v >> 24);
    }
  /* The deflate filter writes a zlib stream (header and checksum), as
   * compress2 does. */
  uLongf size = outcap;
  return compress2(out, &size, shuffled, 4 * n, level) == Z_OK ? size : 0;
}

/* A fixed-length, NUL-terminated ASCII string attribute: the form the
 * dimension-scale specification uses for CLASS and NAME. */
static int attr_fixed_string(hid_t obj, const char *name, const char *value) {
  hid_t t = H5Tcopy(H5T_C_S1);
  int rc = -1;
  if (t >= 0 && H5Tset_size(t, strlen(value) + 1) >= 0 && H5Tset_strpad(t, H5T_STR_NULLTERM) >= 0)
    rc = attr_scalar(obj, name, t, t, value);
  if (t >= 0) H5Tclose(t);
  return rc;
}

int ddr_h5_set_scale(hid_t ds, const char *name) {
  if (attr_fixed_string(ds, "CLASS", "DIMENSION_SCALE") < 0) return -1;
  return attr_fixed_string(ds, "NAME", name);
}

/* One entry of a scale's REFERENCE_LIST: which dataset uses it, along which
 * dimension. Field names and types are those of hdf5_hl's H5DS. */
typedef struct ref_entry {
  hobj_ref_t dataset;
  int dimension;
} ref_entry;

static hid_t ref_entry_type(void) {
  hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(ref_entry));
  if (t < 0) return t;
  if (H5Tinsert(t, "dataset", HOFFSET(ref_entry, dataset), H5T_STD_REF_OBJ) < 0 ||
      H5Tinsert(t, "dimension", HOFFSET(ref_entry, dimension), H5T_NATIVE_INT) < 0) {
    H5Tclose(t);
    return H5I_INVALID_HID;
  }
  return t;
}

/* Add (dataset, dimension) to a scale's REFERENCE_LIST. An attribute cannot
 * grow, so the list is read, deleted and written again one longer. */
static int reflist_append(hid_t scale, hobj_ref_t dataset, int dimension) {
  int rc = -1;
  hid_t t = ref_entry_type(), a = H5I_INVALID_HID, sp = H5I_INVALID_HID;
  ref_entry *list = NULL;
  hsize_t n = 0;
  htri_t have = H5Aexists(scale, "REFERENCE_LIST");
  if (t < 0 || have < 0) goto done;
  if (have) {
    if ((a = H5Aopen(scale, "REFERENCE_LIST", H5P_DEFAULT)) < 0) goto done;
    if ((sp = H5Aget_space(a)) < 0) goto done;
    n = (hsize_t)H5Sget_simple_extent_npoints(sp);
    if (!(list = malloc((n + 1) * sizeof *list))) goto done;
    if (H5Aread(a, t, list) < 0) goto done;
    H5Aclose(a);
    H5Sclose(sp);
    a = sp = H5I_INVALID_HID;
    if (H5Adelete(scale, "REFERENCE_LIST") < 0) goto done;
  } else if (!(list = malloc(sizeof *list))) {
    goto done;
  }
  list[n].dataset = dataset;
  list[n].dimension = dimension;
  n++;
  if ((sp = H5Screate_simple(1, &n, NULL)) < 0) goto done;
  if ((a = H5Acreate2(scale, "REFERENCE_LIST", t, sp, H5P_DEFAULT, H5P_DEFAULT)) < 0) goto done;
  if (H5Awrite(a, t, list) < 0) goto done;
  rc = 0;
done:
  free(list);
  if (a >= 0) H5Aclose(a);
  if (sp >= 0) H5Sclose(sp);
  if (t >= 0) H5Tclose(t);
  return rc;
}

/* Attach scales[i] (or nothing where it is negative) to dimension i of ds
 * and label the dimensions. */
static int attach_ids(hid_t ds, int rank, const hid_t *scales, const char *const *labels) {
  int rc = -1;
  hobj_ref_t self, refs[H5S_MAX_RANK];
  hvl_t list[H5S_MAX_RANK];
  const char *lab[H5S_MAX_RANK];
  hsize_t n = (hsize_t)rank;
  hid_t vt = H5I_INVALID_HID, st = H5I_INVALID_HID, sp = H5I_INVALID_HID, a = H5I_INVALID_HID;
  if (rank < 1 || rank > H5S_MAX_RANK) return -1;
  if (H5Rcreate(&self, ds, ".", H5R_OBJECT, H5I_INVALID_HID) < 0) goto done;
  for (int i = 0; i < rank; i++) {
    list[i].len = 0;
    list[i].p = NULL;
    lab[i] = labels && labels[i] ? labels[i] : "";
    if (scales[i] < 0) continue;
    if (H5Rcreate(&refs[i], scales[i], ".", H5R_OBJECT, H5I_INVALID_HID) < 0) goto done;
    list[i].len = 1;
    list[i].p = &refs[i];
    if (reflist_append(scales[i], self, i) < 0) goto done;
  }
  if ((sp = H5Screate_simple(1, &n, NULL)) < 0) goto done;
  if ((vt = H5Tvlen_create(H5T_STD_REF_OBJ)) < 0) goto done;
  if ((a = H5Acreate2(ds, "DIMENSION_LIST", vt, sp, H5P_DEFAULT, H5P_DEFAULT)) < 0) goto done;
  if (H5Awrite(a, vt, list) < 0) goto done;
  H5Aclose(a);
  a = H5I_INVALID_HID;
  if (labels) {
    /* H5DSset_label's form: variable-length ASCII strings, one per dimension. */
    if ((st = H5Tcopy(H5T_C_S1)) < 0 || H5Tset_size(st, H5T_VARIABLE) < 0) goto done;
    if ((a = H5Acreate2(ds, "DIMENSION_LABELS", st, sp, H5P_DEFAULT, H5P_DEFAULT)) < 0) goto done;
    if (H5Awrite(a, st, lab) < 0) goto done;
  }
  rc = 0;
done:
  if (a >= 0) H5Aclose(a);
  if (st >= 0) H5Tclose(st);
  if (vt >= 0) H5Tclose(vt);
  if (sp >= 0) H5Sclose(sp);
  return rc;
}

int ddr_h5_attach(hid_t ds, int rank, const char *const *scales) {
  hid_t sid[H5S_MAX_RANK], file = H5Iget_file_id(ds);
  char *labels[H5S_MAX_RANK];
  int rc = file < 0 || rank < 1 || rank > H5S_MAX_RANK ? -1 : 0;
  for (int i = 0; i < rank && i < H5S_MAX_RANK; i++) {
    sid[i] = H5I_INVALID_HID;
    labels[i] = NULL;
    if (rc < 0 || !scales[i]) continue;
    if ((sid[i] = H5Dopen2(file, scales[i], H5P_DEFAULT)) < 0 ||
        !(labels[i] = ddr_h5_read_attr_string(sid[i], "NAME")))
      rc = -1;
  }
  if (rc == 0) rc = attach_ids(ds, rank, sid, (const char *const *)labels);
  for (int i = 0; i < rank && i < H5S_MAX_RANK; i++) {
    if (sid[i] >= 0) H5Dclose(sid[i]);
    free(labels[i]);
  }
  if (file >= 0) H5Fclose(file);
  return rc;
}

/* ---- Reading ---- */

int ddr_h5_exists(hid_t loc, const char *path) {
  char buf[256];
  size_t len = strlen(path);
  if (len >= sizeof buf) return 0;
  memcpy(buf, path, len + 1);
  /* H5Lexists fails rather than answering when a middle component is
   * missing, so check every prefix in turn. */
  for (size_t i = 1; i <= len; i++) {
    if (buf[i] != '/' && buf[i] != '\0') continue;
    char c = buf[i];
    buf[i] = '\0';
    htri_t e = H5Lexists(loc, buf, H5P_DEFAULT);
    buf[i] = c;
    if (e <= 0) return 0;
  }
  return 1;
}

char *ddr_h5_read_attr_string(hid_t obj, const char *name) {
  char *out = NULL, *v = NULL;
  hid_t a = H5I_INVALID_HID, ft = H5I_INVALID_HID, mt = H5I_INVALID_HID;
  if ((a = H5Aopen(obj, name, H5P_DEFAULT)) < 0) goto done;
  if ((ft = H5Aget_type(a)) < 0 || H5Tget_class(ft) != H5T_STRING) goto done;
  if ((mt = H5Tcopy(ft)) < 0) goto done;
  if (H5Tis_variable_str(ft) > 0) {
    if (H5Aread(a, mt, &v) < 0) goto done;
    out = strdup(v ? v : "");
    H5free_memory(v);
  } else {
    size_t size = H5Tget_size(ft);
    if (size == 0 || !(out = calloc(size + 1, 1))) goto done;
    if (H5Aread(a, mt, out) < 0) {
      free(out);
      out = NULL;
    }
  }
done:
  if (mt >= 0) H5Tclose(mt);
  if (ft >= 0) H5Tclose(ft);
  if (a >= 0) H5Aclose(a);
  return out;
}

/* Read a scalar numeric attribute, converted to the memory type. */
static int read_attr(hid_t obj, const char *name, hid_t mtype, void *out) {
  hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
  if (a < 0) return -1;
  hid_t sp = H5Aget_space(a);
  int rc = sp >= 0 && H5Sget_simple_extent_npoints(sp) == 1 && H5Aread(a, mtype, out) >= 0 ? 0 : -1;
  if (sp >= 0) H5Sclose(sp);
  H5Aclose(a);
  return rc;
}

int ddr_h5_read_attr_int64(hid_t obj, const char *name, int64_t *out) {
  return read_attr(obj, name, H5T_NATIVE_INT64, out);
}

int ddr_h5_read_attr_uint64(hid_t obj, const char *name, uint64_t *out) {
  return read_attr(obj, name, H5T_NATIVE_UINT64, out);
}

int ddr_h5_read_attr_double(hid_t obj, const char *name, double *out) {
  return read_attr(obj, name, H5T_NATIVE_DOUBLE, out);
}

int ddr_h5_extent(hid_t loc, const char *name, int rank, hsize_t *dims) {
  hid_t ds = H5Dopen2(loc, name, H5P_DEFAULT);
  if (ds < 0) return -1;
  hid_t sp = H5Dget_space(ds);
  int rc = sp >= 0 && H5Sget_simple_extent_ndims(sp) == rank &&
                   H5Sget_simple_extent_dims(sp, dims, NULL) == rank
               ? 0
               : -1;
  if (sp >= 0) H5Sclose(sp);
  H5Dclose(ds);
  return rc;
}

/* Open a dataset and check that it holds exactly n elements. */
static hid_t open_sized(hid_t loc, const char *name, size_t n, hid_t *space) {
  hid_t ds = H5Dopen2(loc, name, H5P_DEFAULT);
  if (ds < 0) return ds;
  *space = H5Dget_space(ds);
  if (*space < 0 || H5Sget_simple_extent_npoints(*space) != (hssize_t)n) {
    if (*space >= 0) H5Sclose(*space);
    H5Dclose(ds);
    return H5I_INVALID_HID;
  }
  return ds;
}

int ddr_h5_read(hid_t loc, const char *name, hid_t mtype, size_t n, void *buf) {
  hid_t sp, ds = open_sized(loc, name, n, &sp);
  if (ds < 0) return -1;
  hid_t ft = H5Dget_type(ds), xp = ft >= 0 ? xfer(n, ft, mtype) : H5P_DEFAULT;
  int rc = n == 0 || (ft >= 0 && H5Dread(ds, mtype, H5S_ALL, H5S_ALL, xp, buf) >= 0) ? 0 : -1;
  xfer_close(xp);
  if (ft >= 0) H5Tclose(ft);
  H5Sclose(sp);
  H5Dclose(ds);
  return rc;
}

int ddr_h5_read_strings(hid_t loc, const char *name, size_t n, char **out) {
  int rc = -1;
  hid_t sp = H5I_INVALID_HID, ft = H5I_INVALID_HID, mt = H5I_INVALID_HID;
  hid_t ds = open_sized(loc, name, n, &sp);
  char **v = NULL, *fixed = NULL;
  size_t size = 0;
  for (size_t i = 0; i < n; i++) out[i] = NULL;
  if (ds < 0) return -1;
  if ((ft = H5Dget_type(ds)) < 0 || H5Tget_class(ft) != H5T_STRING) goto done;
  if ((mt = H5Tcopy(ft)) < 0) goto done;
  if (H5Tis_variable_str(ft) > 0) {
    if (!(v = calloc(n ? n : 1, sizeof *v))) goto done;
    hid_t xp = xfer(n, ft, mt);
    herr_t r = n ? H5Dread(ds, mt, H5S_ALL, H5S_ALL, xp, v) : 0;
    xfer_close(xp);
    if (r < 0) goto done;
    for (size_t i = 0; i < n; i++)
      if (!(out[i] = strdup(v[i] ? v[i] : ""))) goto done;
  } else {
    size = H5Tget_size(ft);
    if (!(fixed = calloc(n * size + 1, 1))) goto done;
    if (n && H5Dread(ds, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, fixed) < 0) goto done;
    for (size_t i = 0; i < n; i++) {
      if (!(out[i] = calloc(size + 1, 1))) goto done;
      memcpy(out[i], fixed + i * size, size);
    }
  }
  rc = 0;
done:
  if (v) H5Dvlen_reclaim(mt, sp, H5P_DEFAULT, v);
  free(v);
  free(fixed);
  if (rc < 0)
    for (size_t i = 0; i < n; i++) {
      free(out[i]);
      out[i] = NULL;
    }
  if (mt >= 0) H5Tclose(mt);
  if (ft >= 0) H5Tclose(ft);
  H5Sclose(sp);
  H5Dclose(ds);
  return rc;
}

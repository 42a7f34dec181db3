/* Private HDF5 helpers shared by the result-file writer (store_hdf5.c) and
 * reader (resfile.c): string types, attributes, whole small datasets and
 * dimension scales.
 *
 * They follow HDF5's convention: a negative return (or NULL) means failure,
 * and the caller turns it into a ddr_error that names the file and the object;
 * ddr_h5_error_text() then gives HDF5's own reason for the first failure
 * since ddr_h5_error_reset(). Every object is created without timestamps so
 * that two runs of the same work give the same file. */
#ifndef DDRSIM_H5UTIL_H
#define DDRSIM_H5UTIL_H

#include <hdf5.h>
#include <stddef.h>
#include <stdint.h>

/* Silence HDF5's error printing and start recording its failures instead;
 * forget the failure recorded so far. */
void ddr_h5_error_reset(void);
/* HDF5's reason for the first failure since the reset ("" if none). */
const char *ddr_h5_error_text(void);

/* Create a file for writing, failing if it exists, whose bytes depend only
 * on what is written: no timestamps, and a fixed format version that HDF5
 * 1.8 and later read. Closing it closes every object still open in it. */
hid_t ddr_h5_create_file(const char *path);

/* A variable-length UTF-8 string type (caller closes it). */
hid_t ddr_h5_string_type(void);

/* Create a group without timestamps (caller closes it). */
hid_t ddr_h5_group(hid_t loc, const char *name);

/* Attributes; an existing attribute of the same name is replaced. */
int ddr_h5_attr_string(hid_t obj, const char *name, const char *value);
int ddr_h5_attr_int32(hid_t obj, const char *name, int32_t value);
int ddr_h5_attr_uint64(hid_t obj, const char *name, uint64_t value);
int ddr_h5_attr_double(hid_t obj, const char *name, double value);

/* Create a dataset of type ftype and shape dims[rank], write data (memory
 * type mtype; NULL leaves it unwritten) and describe it. chunk, if not NULL,
 * makes it chunked and extendable along dimension 0 (so an interrupted run's
 * rows can be cut off), compressed with shuffle + deflate when deflate > 0.
 * Returns the open dataset. */
hid_t ddr_h5_dataset(hid_t loc, const char *name, hid_t ftype, hid_t mtype, int rank,
                     const hsize_t *dims, const hsize_t *chunk, int deflate, const void *data,
                     const char *desc);

/* Create a dataset as above (not chunked), attach dimension scales (scales[i]
 * is the path of dimension i's scale, or NULL; scales NULL for none) and
 * close it. */
int ddr_h5_put(hid_t loc, const char *name, hid_t ftype, hid_t mtype, int rank, const hsize_t *dims,
               const void *data, const char *const *scales, const char *desc);

/* The same for strings, shape dims[rank] (rank 0: one string); NULL entries
 * are written as "". */
int ddr_h5_put_strings(hid_t loc, const char *name, int rank, const hsize_t *dims,
                       const char *const *values, const char *const *scales, const char *desc);

/* A one-dimensional dataset of n elements that is the dimension scale
 * scale_name. */
int ddr_h5_put_scale(hid_t loc, const char *name, hid_t ftype, hid_t mtype, hsize_t n,
                     const void *data, const char *scale_name, const char *desc);

/* Write rows [first, first + count) of a dataset whose other dimensions are
 * written whole; data holds those rows in C order. */
int ddr_h5_write_rows(hid_t ds, hid_t mtype, uint64_t first, uint64_t count, const void *data);

/* Set dimension 0 of a chunked dataset to n (to cut it short). */
int ddr_h5_set_rows(hid_t ds, uint64_t n);

/* Compress a chunk of 32-bit integers exactly as HDF5's shuffle and deflate
 * filters would, for H5Dwrite_chunk with filter mask 0; this lets several
 * threads compress while HDF5 itself runs on one. The chunk has block rows
 * of rowlen elements: row i < nvalid is src + i * stride, the rest are zeros
 * (the padding of an edge chunk). shuffled is scratch of block * rowlen * 4
 * bytes. Returns the compressed size in out, 0 on failure. */
size_t ddr_h5_deflate_rows(const int32_t *src, size_t stride, size_t nvalid, size_t block,
                           size_t rowlen, int level, unsigned char *shuffled, unsigned char *out,
                           size_t outcap);

/* Make ds a dimension scale called name, the way H5DSset_scale does. */
int ddr_h5_set_scale(hid_t ds, const char *name);

/* Attach to dimension i of ds the scale at path scales[i] (NULL: none), and
 * label the dimension with the scale's name, the way H5DSattach_scale and
 * H5DSset_label do. Written by hand so ddrsim needs no hdf5_hl. */
int ddr_h5_attach(hid_t ds, int rank, const char *const *scales);

/* ---- Reading ---- */

/* 1 if the link path exists under loc (each component checked), else 0. */
int ddr_h5_exists(hid_t loc, const char *path);

/* A string attribute, fixed or variable length; malloc'd, NULL on failure. */
char *ddr_h5_read_attr_string(hid_t obj, const char *name);
int ddr_h5_read_attr_int64(hid_t obj, const char *name, int64_t *out);
int ddr_h5_read_attr_uint64(hid_t obj, const char *name, uint64_t *out);
int ddr_h5_read_attr_double(hid_t obj, const char *name, double *out);

/* The shape of a dataset, which must have the given rank. */
int ddr_h5_extent(hid_t loc, const char *name, int rank, hsize_t *dims);

/* Read a whole dataset of exactly n elements into buf. */
int ddr_h5_read(hid_t loc, const char *name, hid_t mtype, size_t n, void *buf);

/* Read exactly n strings into out[n] (each malloc'd). */
int ddr_h5_read_strings(hid_t loc, const char *name, size_t n, char **out);

#endif

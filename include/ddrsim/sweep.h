/* Parameter sweeps: a design file lists scenario inputs by their --set key
 * paths and the values they take, as a full grid or a Latin hypercube; each
 * design point is the scenario with those overrides, run with the same seed
 * (common random numbers), and all points go into one HDF5 sweep file, each
 * as a run in a group of its own. The design file is described in
 * docs/sweeps.md, the sweep file in docs/file-format.md. */
#ifndef DDRSIM_SWEEP_H
#define DDRSIM_SWEEP_H

#include <stddef.h>
#include <stdint.h>
#include "ddrsim/status.h"
#include "ddrsim/store.h"

#define DDR_SWEEP_MAX_KEYS   32
#define DDR_SWEEP_MAX_POINTS 100000

typedef enum { DDR_SWEEP_GRID, DDR_SWEEP_LHS } ddr_sweep_kind;

/* One input the design varies. */
typedef struct ddr_sweep_key {
  char *path;        /* --set key path */
  int line, column;  /* where the key is written in the design file */
  int integer, date; /* Latin hypercube: whole numbers; dates (days) */
  double min, max;   /* Latin hypercube range (days since 1970 for dates) */
  size_t nvalues;    /* grid: how many values */
  char **values;     /* grid: [nvalues] values as one-line YAML */
  int *vline, *vcol; /* grid: where each value is written */
} ddr_sweep_key;

typedef struct ddr_sweep_design {
  char *file; /* design file as given */
  char *text; /* verbatim */
  ddr_sweep_kind kind;
  uint64_t seed; /* Latin hypercube: its own seed */
  size_t nkeys;
  ddr_sweep_key keys[DDR_SWEEP_MAX_KEYS];
  size_t npoints;
  char **value;   /* [npoints][nkeys] each point's --set value text */
  double *number; /* [npoints][nkeys] the same as a number (dates: days since
                   * 1970-01-01); NaN when not a number */
  size_t *index;  /* grid: [npoints][nkeys] index of each value in its key's list */
} ddr_sweep_design;

/* The same from the design file's text held in memory, name as its file's
 * (a sweep part file's /design/text, for ddrsim merge). */
/* Read and check a design file (errors give file, line, column, key,
 * expected and found) and lay out its points: a grid's Cartesian product,
 * the first key varying slowest, or a Latin hypercube drawn from its seed. */
ddr_status ddr_sweep_design_load(const char *path, ddr_sweep_design **out, ddr_error *err);
/* The same from the design file's text held in memory, named as its file
 * (a sweep part file's /design/text, for ddrsim merge). */
ddr_status ddr_sweep_design_parse(const char *name, const char *text, size_t len,
                                  ddr_sweep_design **out, ddr_error *err);
void ddr_sweep_design_free(ddr_sweep_design *d);

/* "key=value" of point p's k-th key, malloc'd. */
char *ddr_sweep_design_set(const ddr_sweep_design *d, size_t p, size_t k);

/* Turn an error met loading point p's scenario (--set origin) into one at the
 * design file's key or value, naming the point. Other errors are left. */
void ddr_sweep_design_blame(const ddr_sweep_design *d, size_t p, ddr_error *err);

/* ---- The sweep file (sweep_file.c) ---- */

typedef struct ddr_sweep_file ddr_sweep_file;

/* Start a sweep file at path (temporary name, renamed by finish); refuses an
 * existing file unless force. With part, a sweep part file (ddrsim sweep
 * --shard): each point added is then a run's part file of that shard. */
ddr_status ddr_sweep_file_create(const char *path, int force, const ddr_sweep_design *d,
                                 const char *scenario_file, const ddr_part_info *part,
                                 ddr_sweep_file **out, ddr_error *err);
/* The temporary file being written, and the name of a scratch run file beside
 * it for the point being run (both removed by abort). */
const char *ddr_sweep_file_temp_path(const ddr_sweep_file *sf);
const char *ddr_sweep_file_point_path(const ddr_sweep_file *sf);
/* Copy the finished run file at point_path (written by the store) into the
 * group /points/NNNN of point p, with the point's inputs, and remove it. */
ddr_status ddr_sweep_file_add_point(ddr_sweep_file *sf, size_t p, ddr_error *err);
/* Write the table of points, close and move into place; frees sf. */
ddr_status ddr_sweep_file_finish(ddr_sweep_file *sf, ddr_error *err);
/* Close and delete the temporary files; frees sf. NULL is a no-op. */
void ddr_sweep_file_abort(ddr_sweep_file *sf);

/* A sweep file's table of points, read back. */
typedef struct ddr_sweep_table {
  char *path, *design_file, *design_kind, *scenario_file;
  size_t npoints, nkeys, ntargets;
  char **keys;            /* [nkeys] */
  char **value;           /* [npoints][nkeys] */
  double *number;         /* [npoints][nkeys] */
  char **group;           /* [npoints] "/points/0000" */
  char **target;          /* [ntargets] ids */
  double *prob, *lo, *hi; /* [npoints][ntargets] */
  uint64_t seed, replications;
} ddr_sweep_table;

/* Whether path is a sweep file (1), a file of another kind (0), or cannot be
 * opened as HDF5 (-1). */
int ddr_sweep_file_is_sweep(const char *path);
/* Whether path is a sweep part file (1), a file of another kind (0), or
 * cannot be opened as HDF5 (-1). */
int ddr_sweep_file_is_part(const char *path);

/* ---- Sweep part files (sweep_part.c) ---- */

/* What the top of a sweep part file says: its shard of every point, and
 * the design it runs (parsed again from the text it holds). */
typedef struct ddr_sweep_part {
  char *path;
  ddr_part_info info;       /* the shard, as in a run's part (/part) */
  ddr_sweep_design *design; /* from /design/text, named as /design's file */
  char *scenario_file;      /* /design's scenario_file */
} ddr_sweep_part;

/* Open a sweep part file's top; clear errors naming the file for one that
 * is not a sweep part or is damaged. */
ddr_status ddr_sweep_part_open(const char *path, ddr_sweep_part **out, ddr_error *err);
void ddr_sweep_part_free(ddr_sweep_part *sp); /* NULL: no-op */

ddr_status ddr_sweep_table_load(const char *path, ddr_sweep_table **out, ddr_error *err);
void ddr_sweep_table_free(ddr_sweep_table *t);

#endif

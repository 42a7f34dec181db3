/* Part files (docs/file-format.md, /part), private to the store: the shard
 * a part holds and its tally, written into an open result file.
 *
 * As in h5util.h, -1 means failure, HDF5's reason in ddr_h5_error_text(). */
#ifndef DDRSIM_STORE_PART_H
#define DDRSIM_STORE_PART_H

#include <hdf5.h>

#include "ddrsim/engine.h"
#include "ddrsim/store.h"

/* The group /part and its attributes. */
int ddr_part_put_header(hid_t file, const ddr_part_info *p);

/* Read the attributes of loc's group part (a part file's root, or a sweep
 * part file's); -1 if missing or damaged. */
int ddr_part_get_header(hid_t loc, ddr_part_info *out);

/* The group /part/tally (in_part), or /tally in a whole run's file: every
 * histogram's counts and the target and event counts. */
int ddr_part_put_tally(hid_t file, int in_part, const ddr_tally *t);

#endif

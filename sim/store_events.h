/* The result file's events (/events, docs/file-format.md), private to the
 * store: the kinds, and one table of every event of the run, which grows by
 * each batch's events, in replication order.
 *
 * As in h5util.h, -1 (or NULL) means failure: HDF5's, with its reason in
 * ddr_h5_error_text(), or when HDF5 gave none, a memory allocation's. */
#ifndef DDRSIM_STORE_EVENTS_H
#define DDRSIM_STORE_EVENTS_H

#include <hdf5.h>
#include <stddef.h>
#include <stdint.h>

#include "ddrsim/calendar.h"
#include "ddrsim/engine.h"

typedef struct ddr_evtable ddr_evtable;

/* Create the group /events in file with the kinds' names (the dimension
 * scale event_kind) and labels (NULL entries: "") and an empty table; NULL
 * on failure. */
ddr_evtable *ddr_evtable_create(hid_t file, size_t nkinds, const char *const *names,
                                const char *const *labels, const ddr_calendar *cal);

/* 0 if every event of the batch is of a known kind. */
int ddr_evtable_check(const ddr_evtable *t, const ddr_batch *b);

/* Append the batch's events to the table. */
int ddr_evtable_append(ddr_evtable *t, const ddr_batch *b);

/* Keep only the events of replications before n (a run cut short). */
int ddr_evtable_cut(ddr_evtable *t, uint64_t n);

/* Write the per-kind counts of res into the group g (/summary). */
int ddr_evtable_put_summary(const ddr_evtable *t, hid_t g, const ddr_results *res);

/* Close the table's datasets and free t; -1 if closing failed. NULL is a
 * no-op. */
int ddr_evtable_close(ddr_evtable *t);

#endif

/* Milestones and schedules of the pipeline model (see pipeline_sched.c). */
#ifndef DDRSIM_PIPELINE_SCHED_H
#define DDRSIM_PIPELINE_SCHED_H

#include "ddrsim/scenario.h"
#include "pipeline_impl.h"

int pipe_milestone_index(const pipe_params *pp, const char *id);
/* The `milestones:` section (optional). Read before the nodes. */
ddr_status pipe_read_milestones(ddr_scenario *scn, pipe_params *pp, const ddr_ynode *root,
                                ddr_error *err);
/* A node's `gate:` (a milestone id): *gate = its index, or -1 when absent. */
ddr_status pipe_read_gate(const pipe_params *pp, const ddr_ynode *map, const char *path, int *gate,
                          ddr_error *err);
/* A value that may change over time: a number, a distribution, or
 * {schedule: [...]}. *index is the input the model reads (through the
 * replication's current values); for a schedule, that of its first entry. */
ddr_status pipe_read_value(ddr_scenario *scn, pipe_params *pp, const ddr_ynode *map,
                           const char *path, const char *key, ddr_input_kind kind, int required,
                           double def, size_t *index, ddr_error *err);
/* The largest value a (possibly scheduled) value can take. */
double pipe_value_hi(ddr_scenario *scn, const pipe_params *pp, size_t slot);
/* The smallest value a (possibly scheduled) value can have in step 0. */
double pipe_value_lo_at_start(ddr_scenario *scn, const pipe_params *pp, size_t slot);
/* The inputs a value can take its value from (for checks), at most max into
 * out; returns how many there are. */
size_t pipe_value_inputs(const pipe_params *pp, size_t slot, size_t *out, size_t max);

/* Per replication: milestone steps and the values in force. */
void pipe_sched_init(const pipe_params *pp, void *state, const ddr_rep *rep);
void pipe_sched_step(const pipe_params *pp, void *state, const ddr_rep *rep, int t);
void pipe_sched_free(pipe_params *pp);

#endif

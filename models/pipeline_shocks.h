/* Security shocks of the pipeline model (see pipeline_shocks.c). */
#ifndef DDRSIM_PIPELINE_SHOCKS_H
#define DDRSIM_PIPELINE_SHOCKS_H

#include "ddrsim/scenario.h"
#include "pipeline_impl.h"

/* Number the capacity factors (nodes, sites, centres) and read the
 * `shocks:` section (optional). Read after the nodes. */
ddr_status pipe_read_shocks(ddr_scenario *scn, pipe_params *pp, const ddr_ynode *root,
                            ddr_error *err);
ddr_status pipe_shock_metrics(ddr_scenario *scn, pipe_params *pp, ddr_error *err);
/* Lay out the shocks' state from offset off; returns the next offset. */
size_t pipe_shocks_layout(pipe_params *pp, size_t off);
void pipe_shocks_free(pipe_params *pp);

/* Per replication: draw the occurrences; each step, the factors in force. */
void pipe_shocks_init(const pipe_params *pp, void *state, const ddr_rep *rep);
void pipe_shocks_factors(const pipe_params *pp, void *state, const ddr_rep *rep, int t);
/* Occurrences of shock i that begin in step t / are in progress in step t. */
int pipe_shock_starts(const pipe_params *pp, const void *state, size_t i, int t);
int pipe_shock_active(const pipe_params *pp, const void *state, size_t i, int t);
/* The model's events operation: every occurrence, in the order they began. */
size_t pipe_events(const void *params, const void *state, ddr_event *out, size_t max);

#endif

/* Redeployment of the pipeline model (see pipeline_units.c). */
#ifndef DDRSIM_PIPELINE_UNITS_H
#define DDRSIM_PIPELINE_UNITS_H

#include "ddrsim/scenario.h"
#include "pipeline_impl.h"

int pipe_region_index(const pipe_params *pp, const char *id);
/* The `redeployment:` section (optional). Read after the nodes, before the
 * shocks (which may block its regions). */
ddr_status pipe_read_units(ddr_scenario *scn, pipe_params *pp, const ddr_ynode *root,
                           ddr_error *err);
ddr_status pipe_unit_metrics(ddr_scenario *scn, pipe_params *pp, ddr_error *err);
/* Lay out the regions' and units' state from offset off; returns the next. */
size_t pipe_units_layout(pipe_params *pp, size_t off);
void pipe_units_free(pipe_params *pp);

/* Per replication: draw every unit's delays; after each step's flows, form
 * the units that `arrived` people fill and deploy those ready. */
void pipe_units_init(const pipe_params *pp, void *state, const ddr_rep *rep);
void pipe_units_step(const pipe_params *pp, void *state, const ddr_rep *rep, int t,
                     uint64_t arrived);
void pipe_units_observe(const pipe_params *pp, const void *state, int t, int32_t *obs);

#endif

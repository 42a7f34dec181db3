/* Reading the pipeline model's sections; shared by its files. */
#ifndef DDRSIM_PIPELINE_READ_H
#define DDRSIM_PIPELINE_READ_H

#include "ddrsim/scenario.h"
#include "pipeline_impl.h"

ddr_status pipe_nomem(ddr_error *err, const char *path);
int pipe_group_index(const pipe_params *pp, const char *id);
int pipe_node_index(const pipe_params *pp, const char *id);
ddr_status pipe_read_ref(const pipe_params *pp, const ddr_ynode *map, const char *path,
                         const char *key, int required, int *out, ddr_error *err);
/* Every value a (possibly scheduled) value can take must be at most max. */
ddr_status pipe_check_max(ddr_scenario *scn, const pipe_params *pp, size_t index,
                          const ddr_ynode *map, const char *path, const char *key, double max,
                          const char *what, ddr_error *err);
ddr_status pipe_read_groups(ddr_scenario *scn, pipe_params *pp, const ddr_ynode *root,
                            int need_unattributed, ddr_error *err);
ddr_status pipe_read_node_ids(pipe_params *pp, const ddr_ynode *root, ddr_error *err);
ddr_status pipe_read_nodes(ddr_scenario *scn, pipe_params *pp, const ddr_ynode *root,
                           ddr_error *err);

#endif

/* Key tables of the pipeline model (see pipeline_keys.c). */
#ifndef DDRSIM_PIPELINE_KEYS_H
#define DDRSIM_PIPELINE_KEYS_H

#include "ddrsim/model.h"

extern const ddr_keydoc pipe_group_keys[], pipe_intake_keys[], pipe_stage_keys[], pipe_site_keys[],
    pipe_split_keys[], pipe_training_keys[], pipe_centre_keys[], pipe_sink_keys[],
    pipe_initial_keys[], pipe_milestone_keys[], pipe_schedule_keys[], pipe_schedule_entry_keys[],
    pipe_shock_keys[], pipe_effect_keys[], pipe_redeployment_keys[], pipe_region_keys[];
extern const ddr_keytable pipe_keytables[];

#endif

/* The keys the pipeline model reads, with their documentation: the reader
 * checks scenarios against these tables, and scenarios/README.md must
 * document every key (a test checks). */
#include "pipeline_keys.h"

const ddr_keydoc pipe_group_keys[] = {
    {"id", "Identifier of the armed group (movement)."},
    {"label", "Full name, for reports."},
    {"size", "Number of its members still to come through intake (uncertain)."},
    {NULL, NULL}};

#define COMMON_NODE_KEYS                                                                           \
  {"id", "Identifier of the node."}, {"type", "intake, stage, split, training or sink."}, {        \
    "label", "Text for reports."                                                                   \
  }

const ddr_keydoc pipe_intake_keys[] = {
    COMMON_NODE_KEYS,
    {"gate", "Milestone before which nothing flows through this node."},
    {"groups", "Groups whose members present themselves here (default: all)."},
    {"rate_per_week", "People presenting themselves per week, all groups together (uncertain)."},
    {"to", "Node they go to."},
    {NULL, NULL}};

const ddr_keydoc pipe_stage_keys[] = {
    COMMON_NODE_KEYS,
    {"gate", "Milestone before which nothing flows through this node."},
    {"sites", "Sites with their capacities; absent: unlimited capacity."},
    {"routing", "least_full (default) or by_group (each site takes the groups it lists)."},
    {"duration_days", "Distribution of each person's time in the stage, in days."},
    {"duration_scale", "Uncertain factor applied to every duration in a replication (default 1)."},
    {"attrition_per_week", "Probability per week that a waiting person leaves the programme."},
    {"attrition_to", "Node that people lost while waiting go to (required with attrition)."},
    {"weapons_per_person", "Probability that a person completing the stage hands in a weapon."},
    {"to", "Node people go to when they complete the stage."},
    {NULL, NULL}};

const ddr_keydoc pipe_site_keys[] = {
    {"id", "Identifier of the site."},
    {"capacity", "Places: most people in the site at once (uncertain)."},
    {"groups", "by_group routing: the groups this site takes."},
    {NULL, NULL}};

const ddr_keydoc pipe_split_keys[] = {
    COMMON_NODE_KEYS,
    {"gate", "Milestone before which nothing flows through this node."},
    {"branches", "Mapping from node id to probability (uncertain); one branch is \"rest\"."},
    {NULL, NULL}};

const ddr_keydoc pipe_training_keys[] = {
    COMMON_NODE_KEYS,
    {"gate", "Milestone before which nothing flows through this node."},
    {"centres", "Training centres."},
    {"fail", "Probability that a trainee who finishes the course fails it."},
    {"dropout", "Probability that a trainee drops out of the course."},
    {"to", "Node trainees who pass go to."},
    {"fail_to", "Node trainees who fail go to."},
    {"dropout_to", "Node trainees who drop out go to."},
    {"attrition_per_week", "Probability per week that a waiting person leaves the programme."},
    {"attrition_to", "Node that people lost while waiting go to (required with attrition)."},
    {NULL, NULL}};

const ddr_keydoc pipe_centre_keys[] = {
    {"id", "Identifier of the centre."},
    {"seats", "Trainees per course (uncertain)."},
    {"courses_at_once", "Courses the centre can run at the same time (default 1)."},
    {"course_weeks", "Length of a course in weeks (uncertain)."},
    {"min_cohort", "A course starts once this many are waiting (default 1)."},
    {"intake_dates", "If given, courses start only on these dates."},
    {NULL, NULL}};

const ddr_keydoc pipe_sink_keys[] = {COMMON_NODE_KEYS, {NULL, NULL}};

const ddr_keydoc pipe_initial_keys[] = {
    {"node", "Node where these people are on the start date."},
    {"group", "Their group (default: unattributed)."},
    {"count", "How many (uncertain)."},
    {"where", "stage: queue (default) or in_service; training: queue; sink: counted."},
    {"site", "in_service: the site they occupy (required when the stage has several)."},
    {NULL, NULL}};

const ddr_keydoc pipe_milestone_keys[] = {
    {"id", "Identifier of the milestone."},
    {"label", "Text for reports."},
    {"date", "Its date (uncertain: a distribution of dates)."},
    {"after", "Instead of a date: the milestone it follows."},
    {"delay_days", "With after: days after that milestone (uncertain; default 0)."},
    {NULL, NULL}};

const ddr_keydoc pipe_schedule_keys[] = {
    {"schedule", "A value that changes: entries, each in force from its date or milestone."},
    {NULL, NULL}};

const ddr_keydoc pipe_schedule_entry_keys[] = {
    {"value", "The value (a number or a distribution) while this entry is in force."},
    {"from", "Date from which it is in force (uncertain dates allowed)."},
    {"after", "Milestone from which it is in force (instead of from)."},
    {NULL, NULL}};

const ddr_keydoc pipe_shock_keys[] = {
    {"id", "Identifier of the kind of shock."},
    {"label", "Text for reports."},
    {"rate_per_year", "Occurrences per year, at random times (uncertain)."},
    {"dates", "Instead of a rate: the dates it happens (uncertain dates allowed)."},
    {"duration_days", "Distribution of how long each occurrence lasts, in days."},
    {"effects", "What it cuts while it lasts."},
    {"dispersal", "Share of the people inside a place it closes who leave when it begins."},
    {"dispersal_to", "Node those who leave go to (required with dispersal)."},
    {NULL, NULL}};

const ddr_keydoc pipe_effect_keys[] = {
    {"region", "Instead of a node: a region it blocks (no unit deploys there meanwhile)."},
    {"node", "The node it hits (not an outcome)."},
    {"site", "Only this site of the node."},
    {"centre", "Only this centre of the node."},
    {"factor", "Capacity (or intake rate) multiplied by this while it lasts; 0 (default) closes."},
    {NULL, NULL}};

const ddr_keydoc pipe_redeployment_keys[] = {
    {"from", "The outcome whose arrivals are formed into units (e.g. integrated)."},
    {"unit_size", "People per unit (uncertain)."},
    {"formation_days", "Distribution of each unit's delay from its last member to formed, days."},
    {"logistics_days", "Distribution of each unit's delay from formed to deployable, days."},
    {"regions", "Regions in the order units go to them, with their numbers of units."},
    {"by", "Date the whole plan should be done by (default: the end of the horizon)."},
    {NULL, NULL}};

const ddr_keydoc pipe_region_keys[] = {
    {"id", "Identifier of the region."},
    {"label", "Text for reports."},
    {"units", "Units planned for the region."},
    {"by", "Date its units should all be deployed by (default: the end of the horizon)."},
    {NULL, NULL}};

const ddr_keytable pipe_keytables[] = {{"redeployment", pipe_redeployment_keys},
                                       {"regions[]", pipe_region_keys},
                                       {"shocks[]", pipe_shock_keys},
                                       {"effects[]", pipe_effect_keys},
                                       {"milestones[]", pipe_milestone_keys},
                                       {"schedule", pipe_schedule_keys},
                                       {"schedule[]", pipe_schedule_entry_keys},
                                       {"groups[]", pipe_group_keys},
                                       {"nodes[] (intake)", pipe_intake_keys},
                                       {"nodes[] (stage)", pipe_stage_keys},
                                       {"sites[]", pipe_site_keys},
                                       {"nodes[] (split)", pipe_split_keys},
                                       {"nodes[] (training)", pipe_training_keys},
                                       {"centres[]", pipe_centre_keys},
                                       {"nodes[] (sink)", pipe_sink_keys},
                                       {"initial[]", pipe_initial_keys},
                                       {NULL, NULL}};

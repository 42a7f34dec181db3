/* The DDR/SSR pipeline model: a directed acyclic graph of typed nodes
 * (intake, stage, split, training, sink) through which people flow as counts,
 * with individual semantics: every person's duration and fate is drawn
 * independently, through exact binomial, hypergeometric and multinomial
 * draws on counts. Private to models/. */
#ifndef DDRSIM_PIPELINE_IMPL_H
#define DDRSIM_PIPELINE_IMPL_H

#include <stddef.h>
#include <stdint.h>
#include "ddrsim/dist.h"
#include "ddrsim/model.h"
#include "ddrsim/rng.h"

typedef enum { NODE_INTAKE, NODE_STAGE, NODE_SPLIT, NODE_TRAINING, NODE_SINK } node_type;
typedef enum { ROUTE_LEAST_FULL, ROUTE_BY_GROUP } route_rule;

#define PIPE_MAX_GROUPS        32
#define PIPE_MAX_SITES         64
#define PIPE_MAX_CENTRES       64
#define PIPE_MAX_DURATION_DAYS 7305 /* stays are cut at 20 years */
#define PIPE_GUIDE             512  /* entries of a duration table's guide */
#define PIPE_MAX_MILESTONES    256
#define PIPE_MAX_SCHEDULE      64 /* entries of one schedule */
#define PIPE_MAX_SHOCKS        256
#define PIPE_MAX_REGIONS       64
#define PIPE_MAX_UNITS         10000

typedef struct site_p {
  char *id;
  size_t capacity_in;              /* input: places */
  uint32_t groups;                 /* bit mask of groups it takes (by_group routing) */
  long m_occupancy, m_utilisation; /* metric indices */
  int fac;                         /* its capacity factor (shocks) */
} site_p;

typedef struct centre_p {
  char *id;
  size_t seats_in, courses_in, weeks_in, min_cohort_in;
  uint8_t *intake_step; /* [nsteps]: 1 where a fixed intake date falls; NULL if none */
  long m_in_training, m_utilisation, m_courses;
  int max_courses;      /* upper bound of courses_at_once */
  size_t state_courses; /* index of this centre's first course slot */
  int fac;              /* its capacity factor (shocks) */
} centre_p;

/* A milestone: on a date, or a delay after another milestone. */
typedef struct milestone_p {
  char *id;
  int after;       /* milestone index, -1 when dated */
  size_t date_in;  /* input: its date (days since 1970-01-01) */
  size_t delay_in; /* input: days after `after` */
} milestone_p;

/* When a scheduled value takes effect. */
typedef enum { START_NOW, START_DATE, START_MILESTONE } start_kind;

typedef struct sched_entry_p {
  size_t value_in;
  start_kind start;
  size_t date_in; /* START_DATE */
  int milestone;  /* START_MILESTONE */
} sched_entry_p;

/* A value that changes over time: the replication's current value of input
 * `slot` is that of the entry in force. */
typedef struct sched_p {
  size_t slot;
  size_t nentries;
  sched_entry_p *entries;
  size_t first_entry; /* index of its first entry's start step in the state */
} sched_p;

/* What a shock does while it lasts: multiply a capacity factor. */
typedef struct effect_p {
  int region;       /* a region it blocks (redeployment), -1 if none: then */
  int node;         /* the node hit */
  int fac;          /* the factor: of the node, or of one of its sites or centres */
  size_t factor_in; /* input: the factor (0 closes) */
} effect_p;

/* A region units are redeployed to. */
typedef struct region_p {
  char *id, *label;
  int32_t by;     /* day its units should all be deployed by (a target) */
  int units;      /* planned units */
  int first_unit; /* its units are first_unit .. first_unit + units - 1 */
  long m_deployed, m_blocked;
} region_p;

/* Redeployment: units formed from the people reaching node `from`. */
typedef struct units_p {
  int from;
  uint32_t component;
  size_t size_in; /* input: people per unit */
  ddr_dist formation, logistics;
  int has_formation, has_logistics;
  int nunits;
  int32_t by; /* day the whole plan should be done by (a target) */
  long m_formed, m_deployed;
  size_t st; /* state: units_s, then unit_s[nunits] */
} units_p;

typedef struct units_s {
  uint32_t size;
  int32_t complete; /* units whose members have all arrived */
  int32_t deployed;
  int32_t pad;
} units_s;

typedef struct unit_s {
  int32_t formation_days, logistics_days;
  int32_t formed, ready, deployed; /* steps; -1 until known */
  int32_t pad;
} unit_s;

/* A kind of security shock. */
typedef struct shock_p {
  char *id;
  uint32_t component; /* stream component: hash of shocks.<id> */
  long kind;          /* event kind */
  size_t rate_in;     /* input: occurrences per year (when no dates) */
  size_t ndates;
  size_t *date_in; /* inputs: dates of occurrences, when given */
  ddr_dist duration;
  int has_duration;
  size_t neffects;
  effect_p *effects;
  int has_dispersal;
  size_t dispersal_in; /* input: share of those inside closed places who leave */
  int dispersal_to;
  int max_occ;                /* room for occurrences in the state */
  long m_active, m_dispersed; /* metrics */
  size_t st;                  /* state: shock_s, then first[max_occ], last[max_occ] */
} shock_p;

/* A replication's occurrences of one shock. */
typedef struct shock_s {
  int32_t n;
  int32_t pad;
  uint64_t dispersed;
} shock_s;

typedef struct node_p {
  node_type type;
  char *id;
  int gate;           /* milestone before which nothing flows through the node, -1 if none */
  int shocked;        /* some shock cuts it or one of its sites or centres */
  int fac;            /* its capacity factor (shocks) */
  uint32_t component; /* stream component: hash of nodes.<id> */
  int to, fail_to, dropout_to, attrition_to; /* node indices, -1 if none */
  /* intake */
  size_t rate_in;
  uint32_t groups; /* bit mask */
  /* stage */
  int unlimited;
  route_rule routing;
  size_t nsites;
  site_p *sites;
  ddr_dist duration; /* per person, days */
  size_t scale_in;   /* per-replication multiplier of durations */
  int maxsteps;      /* durations are below this many steps */
  int has_attrition;
  size_t attrition_in; /* probability per week of leaving while waiting */
  int has_weapons;
  size_t weapons_in; /* probability that a person hands in a weapon */
  /* split */
  size_t nbranches;
  int *branch_to;
  size_t *branch_p_in; /* the last branch has none: it takes the rest */
  /* training */
  size_t ncentres;
  centre_p *centres;
  size_t fail_in, dropout_in;
  int max_courses; /* sum of the upper bounds of courses_at_once */
  /* metrics (-1 when not kept) */
  /* by-group metrics follow their total (m + 1 + group) when there are groups */
  long m_arrived, m_queue, m_occupancy, m_completed, m_lost, m_weapons, m_remaining, m_branch,
      m_passed, m_failed, m_dropped, m_courses, m_count;
  /* state layout: offsets in bytes into the replication state */
  size_t st_queue, st_dep, st_pmf, st_courses, st_inbox, st_node, st_byg, st_occ;
  double *pmf_fixed; /* cumulative duration table when the scale is constant, else NULL */
} node_p;

typedef struct initial_p {
  int node, group;
  int in_service; /* 0: waiting in the queue; 1: in service at site */
  int site;
  size_t count_in;
} initial_p;

typedef struct pipe_params {
  size_t ngroups;
  char **group_ids;
  size_t *group_size_in;
  int unattributed; /* the last group is the implicit "unattributed" */
  size_t nnodes;
  node_p *nodes;
  int *order; /* topological order */
  size_t ninitial;
  initial_p *initial;
  int nsteps, step_days;
  size_t nmilestones;
  milestone_p *milestones;
  size_t nscheds, nentries;
  sched_p *scheds;
  size_t nshocks;
  shock_p *shocks;
  size_t nfac; /* capacity factors: one per node, site and centre */
  size_t nregions;
  region_p *regions;
  units_p *units; /* NULL without redeployment */
  size_t ninputs; /* inputs of the model: the replication's current values */
  size_t st_pools, st_cur, st_milestones, st_msday, st_entries, st_eday, st_fac, st_blocked,
      st_shut;
  size_t state_size;
} pipe_params;

/* Per node, per replication state (at st_node). */
typedef struct node_s {
  uint64_t cum_arrived, cum_completed, cum_lost, cum_weapons, cum_passed, cum_failed, cum_dropped;
  uint64_t occupancy; /* in service / in training */
  uint64_t queued;    /* waiting */
  int32_t qhead;      /* oldest queue bucket that may be non-empty */
  int32_t ncourses;   /* running courses */
  int32_t ncum;       /* stage: entries of its stay table computed so far */
} node_s;

/* One running course. */
typedef struct course_s {
  int32_t end_step; /* -1: slot free */
  uint32_t n[PIPE_MAX_GROUPS];
} course_s;

extern const ddr_model_type ddr_model_pipeline;

ddr_status pipe_create(ddr_scenario *scn, const ddr_ynode *root, void **params, ddr_error *err);
void pipe_free(void *params);
size_t pipe_state_size(const void *params);
void pipe_init(const void *params, void *state, const ddr_rep *rep);
void pipe_step(const void *params, void *state, const ddr_rep *rep, int t, int32_t *obs);
int64_t pipe_population(const void *params, const void *state);
/* Least-full filling: give[s] of k places to the sites with ok[s], each
 * place to the site with the lowest share occ/cap taken so far, the first
 * listed among equals (exposed for its test). */
void pipe_fill_sites(size_t S, const uint32_t *cap, const uint8_t *ok, uint32_t k,
                     const uint32_t *occ, uint32_t *give);
int32_t pipe_duration_table(const node_p *np, int step_days, double scale, double *cum, int full);
void pipe_duration_extend(const node_p *np, int step_days, double scale, double *cum, int32_t *ncum,
                          int to);
size_t pipe_duration_table_size(const node_p *np);

#endif

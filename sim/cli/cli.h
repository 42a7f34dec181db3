/* Shared pieces of the ddrsim command line. */
#ifndef DDRSIM_CLI_H
#define DDRSIM_CLI_H

#include <stdio.h>
#include "ddrsim/part.h"
#include "ddrsim/status.h"
#include "ddrsim/store.h"
#include "ddrsim/sweep.h"

int cmd_run(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_summary(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_merge(int argc, char **argv);

/* ---- Merging parts (cmd_merge.c, merge_sweep.c) ---- */

/* Join part files (any order) into output, the file one process running all
 * their replications writes: a run's parts, or a sweep's when the first is a
 * sweep part (cmd_merge.c); errors name the files. */
ddr_status cli_merge_parts(const char *const *paths, size_t n, const char *output, int force,
                           int keep_tally, const char *command_line, ddr_error *err);
/* Check that n parts of one run (what: "run" or "sweep", for messages;
 * name[i] names part i) share a seed, replication count and shard plan, each
 * shard once: slot[s] (room for n) is the index of shard s + 1's part. A
 * plan of more shards than parts, or a checkpoint's segment, is refused
 * before slot is touched. */
ddr_status cli_merge_plan(const ddr_part_info *const *info, const char *const *name, size_t n,
                          const char *what, size_t *slot, ddr_error *err);
/* Check the opened parts of one run (scenario, store, plan) and write their
 * merge to output. */
ddr_status cli_merge_run(ddr_part *const *p, size_t n, const char *output, int force,
                         int keep_tally, const char *command_line, ddr_error *err);
/* The scenario a part (or a whole file opened as one) was run from,
 * reloaded from its resolved text (/scenario/resolved). */
ddr_status cli_part_scenario(const ddr_part *p, ddr_scenario **scn, ddr_error *err);
/* Write output from n parts holding replications 0 .. total - 1 between
 * them, in order (slot), already checked to be of one run; a part without
 * a tally has its series. keep_tally: the output keeps the tally (/tally)
 * so that it can be extended. */
ddr_status cli_merge_write(ddr_part *const *slot, uint32_t n, const char *output, int force,
                           int keep_tally, const char *command_line, ddr_error *err);
/* Replications per block copied from part files: whole chunks of the series
 * (256) when they are stored, about 32 MB of them. */
uint64_t cli_merge_block_size(const ddr_scenario *scn, int full);
/* Copy the rows of shards parts (slot, in replication order) into st, in
 * blocks aligned on B replications. */
ddr_status cli_merge_copy_rows(ddr_part *const *slot, uint32_t shards, uint64_t B, ddr_store *st,
                               ddr_error *err);
/* Join the parts of a sweep (ddrsim sweep --shard) point by point
 * (merge_sweep.c). */
ddr_status cli_merge_sweep_parts(const char *const *paths, size_t n, const char *output, int force,
                                 const char *command_line, ddr_error *err);
/* After a merge: the summary of a run, or a sweep's list of points. */
void cli_print_merged(const char *path);

/* A whole text file, malloc'd; NULL if it cannot be read. */
char *cli_read_text(const char *path);

/* Print the error once and return the process exit code for it. */
int cli_fail(const ddr_error *err);
/* A usage error: message, then a hint to --help; returns DDR_EUSAGE. */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The shipped baseline scenario: found beside the working directory, in the
 * installed data directory, or in the source tree. NULL if none. */
const char *cli_default_scenario(void);

/* Parse a non-negative integer option value; -1 on error. */
int cli_parse_u64(const char *s, unsigned long long *out);
/* Parse --shard I/N (1 <= I <= N < 2^31); -1 on error. */
int cli_parse_shard(const char *s, unsigned *shard, unsigned *shards);

/* The summary of a result file in the given format (table, csv, json). */
int cli_print_summary(const ddr_resfile *rf, const char *format, FILE *fp);

/* The arrays a store header points to (cli_store.c). */
typedef struct cli_header_arrays {
  const ddr_input **inputs;
  const ddr_metric **metrics;
  const ddr_target **targets;
  const char **kinds; /* event kinds' names, then their labels */
  ddr_store_source *parents;
} cli_header_arrays;
/* The store header of a loaded scenario; arr holds its arrays (free them
 * with cli_header_arrays_free, also after a failure). */
ddr_status cli_store_header(const ddr_scenario *scn, const char *resolved, int full, uint64_t reps,
                            ddr_store_header *h, cli_header_arrays *arr, ddr_error *err);
void cli_header_arrays_free(cli_header_arrays *arr);

/* A sweep file's points with each target's probability (sweep_summary.c), in
 * the given format (table, csv, json). */
void cli_print_sweep(const ddr_sweep_table *t, const char *format, FILE *fp);
/* ddrsim summary of a sweep file: its points, or point (>= 0) as a run.
 * Returns -1, printing nothing, for a file that is not a sweep when no point
 * is asked for; otherwise the exit status. */
int cli_summary_sweep(const char *path, long point, const char *format);

/* ---- Text for people and programs (cli_text.c) ---- */

/* A day as "30 June 2022". */
void cli_long_date(int32_t day, char *buf, size_t size);
/* A day of rf's calendar (days since its start, rounded) as YYYY-MM-DD, or
 * "never" for NaN. */
void cli_day_iso(const ddr_resfile *rf, double day, char *buf, size_t size);
/* A count with its thousands grouped ("3,000"); other numbers as %g. */
void cli_count(double x, char *buf, size_t size);
/* A probability as a percentage without the sign: "74", "0.7", "<0.1". */
void cli_percent_number(double p, char *buf, size_t size);
/* JSON string (escaped) and number (null when not finite). */
void cli_json_string(FILE *fp, const char *s);
void cli_json_number(FILE *fp, double x);
/* A CSV field, quoted when it needs to be (RFC 4180). */
void cli_csv_field(FILE *fp, const char *s);
/* A CSV number that reads back exactly; nothing (an empty cell) if not
 * finite. */
void cli_csv_number(FILE *fp, double x);

/* ---- Sentences for briefers (cli_words.c) ---- */

/* Index of the quantile level p in ddr_quantile_levels. */
int cli_quantile_index(double p);
/* "the target of at least 3,000 integrated into the FDSM": the label
 * without its own "by <when>" (the sentence gives the deadline). */
void cli_target_subject(const ddr_resfile_target *t, char *buf, size_t size);
/* "There is a 74% chance (95% interval 73-76%) that ... by 30 June 2022; half
 * the runs reach it by ... (P50) and 80% by ... (P80)." */
void cli_target_sentence(const ddr_resfile *rf, const ddr_resfile_target *t, char *buf,
                         size_t size);

/* Where a stage's queue (metric <node>.queue) is longest at the median. */
typedef struct cli_stage_peak {
  size_t metric;   /* index of the queue metric */
  char stage[128]; /* the node: "cantonment" */
  int step;        /* first step where the median is largest */
  double median;   /* that median */
  double p90_then; /* P90 at that step */
  int p90_step;    /* first step where the P90 is largest */
  double p90_peak; /* that P90 */
} cli_stage_peak;

/* The stages' queue peaks, in metric order, into out[cap]; returns how many
 * stages there are (which may exceed cap). */
size_t cli_stage_peaks(const ddr_resfile *rf, cli_stage_peak *out, size_t cap);
/* "cantonment: longest queue 410 people (median) in the week of 12 April
 * 2021 (P90 that week: 820)". */
void cli_stage_sentence(const ddr_resfile *rf, const cli_stage_peak *p, char *buf, size_t size);

/* Signals for commands that write result files (cli_stop.c): after
 * cli_stop_install, cli_stop_requested is set by the first SIGINT/SIGTERM; a
 * second removes the temporary files registered in slots 0-3 and exits 7. */
#include <signal.h>
extern volatile sig_atomic_t cli_stop_requested;
void cli_stop_install(void);
/* Register path (NULL: forget) in a slot, to be removed on a second signal. */
void cli_stop_temp(int slot, const char *path);
/* From now on the first signal removes them already: under mpirun, whose
 * SIGKILL follows its SIGTERM within a second while a rank may be waiting
 * on the others. */
void cli_stop_urgent(void);
/* ddr_store_create, its temporary file registered in slot (signals held
 * meanwhile, so that none comes between the file and its name). */
ddr_status cli_store_create(int slot, const char *path, int force, const ddr_store_header *hdr,
                            ddr_store **st, ddr_error *err);
/* Before writing a file at path (cli_output.c): a clear error if path is a
 * directory, or its directory is missing or cannot be written. */
ddr_status cli_output_check(const char *path, ddr_error *err);
/* The directory path is in ("." for a bare name). */
void cli_output_dir(const char *path, char *dir, size_t size);
/* An error that names a temporary file (any path beginning with temp, up to
 * the next ':' or space) is told about output, the file the user asked for. */
void cli_output_blame(ddr_error *err, const char *temp, const char *output);
/* Write len bytes of text to path (created or replaced); the write or the
 * close failing (a full disk) is an error naming path. */
ddr_status cli_write_text(const char *path, const char *text, size_t len, ddr_error *err);
/* "ddrsim ARGS..." into buf, for provenance. */
void cli_command_line(int argc, char **argv, char *buf, size_t size);

/* What run and sweep share on their command lines (cli_options.c). */
typedef struct cli_run_opts {
  const char *output;
  unsigned long long reps, seed;
  int threads, force, quiet;
  unsigned shard, shards; /* --shard I/N; 0/0 for the whole */
} cli_run_opts;
/* If getopt's c is one of -n -s -j -o --force --shard -q (as 'F', 'P'),
 * take it into o and return 1, with *status nonzero (after a usage message
 * for cmd) when its value is bad; 0 for other options. */
int cli_run_option(const char *cmd, int c, const char *arg, cli_run_opts *o, int *status);
/* --format table|csv|json into *format; nonzero after a usage message. */
int cli_parse_format(const char *cmd, const char *arg, const char **format);

#endif

/* Shared pieces of `ddrsim plot`: the words and numbers of a picture in the
 * reader's language, gnuplot-safe text, axes, and drawing one picture from a
 * template in plots/ with its data. Each kind of plot (plot_<kind>.c) builds
 * its data and a few blocks of gnuplot commands, then calls plot_draw. */
#ifndef DDRSIM_PLOT_H
#define DDRSIM_PLOT_H

#include <stddef.h>
#include <stdint.h>

#include "ddrsim/status.h"
#include "ddrsim/store.h"
#include "ddrsim/sweep.h"

typedef enum { PLOT_EN, PLOT_FR } plot_lang;

/* What the command line asked for. */
typedef struct plot_opts {
  const char *output; /* image path; its extension picks the format */
  const char *metric; /* NULL: the kind's default */
  const char *target; /* NULL: the kind's default */
  const char *key;    /* --kind sweep: the key on the x axis (NULL: the first) */
  plot_lang lang;
  int keep;  /* --keep-script */
  int quiet; /* do not print the picture's name (ddrsim report) */
} plot_opts;

/* ---- Text (plot_text.c) ---- */

/* The translation of an English phrase of the pictures (the phrase itself in
 * English, or when the table lacks it). */
const char *plot_tr(plot_lang lang, const char *en);
/* x with `decimals` digits, thousands grouped: "3,000.5" or "3 000,5" (a
 * narrow no-break space in French). */
void plot_number(plot_lang lang, double x, int decimals, char *buf, size_t size);
/* A signed number: "+1,200", "−300", "0". */
void plot_signed(plot_lang lang, double x, int decimals, char *buf, size_t size);
/* A probability with its 95% interval: "0.75 [0.73–0.76]", three decimals
 * near 0 or 1 where two would hide the interval. */
void plot_prob(plot_lang lang, double p, double lo, double hi, char *buf, size_t size);
/* A month's short name (1 = January): "Jul", "juil.". */
const char *plot_month(plot_lang lang, int month);
/* A day as "30 Jun 2022" or "30 juin 2022". */
void plot_date(plot_lang lang, int32_t day, char *buf, size_t size);
/* "P(≥3,000 by 30 Jun 2022)" for a target. */
void plot_target_phrase(plot_lang lang, const ddr_resfile_target *t, char *buf, size_t size);
/* A metric's unit in the reader's language ("people" -> "personnes"). */
const char *plot_unit(plot_lang lang, const char *unit);

/* ---- gnuplot text and axes (plot_axes.c) ---- */

/* A growing text buffer; on running out of memory it keeps what it has and
 * sets oom, checked once by plot_draw. */
typedef struct plot_buf {
  char *s;
  size_t n, cap;
  int oom;
} plot_buf;

void pb_add(plot_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* text as a gnuplot single-quoted string, in which gnuplot expands nothing:
 * only the quote is doubled, and line breaks become spaces. */
void pb_quoted(plot_buf *b, const char *text);
void pb_free(plot_buf *b);

/* The x axis over [first, last] (days): range and tics at whole months,
 * labelled (unless labels is 0) with month names of the language, a year
 * under each January and under the first tic. */
void plot_xaxis(plot_buf *b, plot_lang lang, int32_t first, int32_t last, int labels);
/* The y axis from lo to at least hi: round tics labelled in the language;
 * returns the top of the axis. percent adds "%" to the labels. */
double plot_yaxis(plot_buf *b, plot_lang lang, double lo, double hi, int percent);
/* The top of the axis that plot_yaxis would choose, without writing it. */
double plot_ytop(double lo, double hi);
/* A day as gnuplot's time coordinate (seconds since 1970). */
double plot_x(int32_t day);
/* The caption tracing a picture to its run: scenario file, seed,
 * replications, ddrsim version and run date. */
void plot_caption(plot_lang lang, const ddr_resfile *rf, char *buf, size_t size);
/* The text of a metric's axis: "integrated.count (people)". */
void plot_metric_label(plot_lang lang, const ddr_resfile *rf, size_t m, char *buf, size_t size);
/* The index of a metric by name, or a clear error naming the file. */
ddr_status plot_find_metric(const ddr_resfile *rf, const char *name, size_t *m, ddr_error *err);
/* The index of a target by id (the first one when id is NULL), or a clear
 * error naming the file and its targets. */
ddr_status plot_find_target(const ddr_resfile *rf, const char *id, size_t *g, ddr_error *err);
/* A quantile level's column in the stored quantiles (0.5 -> 4). */
int plot_qcol(double level);

/* ---- Drawing (plot_draw.c) ---- */

/* One picture: the template plots/<kind>.gp with its @NAMES@ replaced. */
typedef struct plot_job {
  const char *kind;  /* template name */
  int width, height; /* PNG pixels; SVG and PDF keep the proportions */
  plot_buf data;     /* the data file */
  size_t nvars;      /* the kind's template variables */
  const char *names[16];
  char *values[16]; /* malloc'd, freed by plot_job_free */
} plot_job;

/* Set a template variable (takes a copy of value). */
void plot_job_set(plot_job *job, const char *name, const char *value);
void plot_job_free(plot_job *job);

/* Whether a format is known for an output name (.png, .svg, .pdf). */
int plot_format_known(const char *output);
/* Whether gnuplot is on the PATH. */
int plot_have_gnuplot(void);

/* Write the data and script, run gnuplot with no shell in between, and move
 * the picture into place; anything gnuplot says (a warning) is an error.
 * With opts->keep, the data (.dat) and script (.gp) stay beside the image and
 * the script redraws it on its own (gnuplot FILE.gp). */
ddr_status plot_draw(const plot_job *job, const plot_opts *opts, ddr_error *err);

/* ---- The kinds ---- */

ddr_status plot_fan(ddr_resfile *rf, const plot_opts *opts, ddr_error *err);
ddr_status plot_dates(ddr_resfile *rf, const plot_opts *opts, ddr_error *err);
ddr_status plot_compare(ddr_resfile **rfs, size_t n, const plot_opts *opts, ddr_error *err);
ddr_status plot_difference(ddr_resfile **rfs, size_t n, const plot_opts *opts, ddr_error *err);
ddr_status plot_bottlenecks(ddr_resfile *rf, const plot_opts *opts, ddr_error *err);
ddr_status plot_redeployment(ddr_resfile *rf, const plot_opts *opts, ddr_error *err);
/* A target's probability across the points of a sweep file (plot_sweep.c). */
ddr_status plot_sweep(const ddr_sweep_table *t, const plot_opts *opts, ddr_error *err);

/* Shared by the fan chart and the comparison: each target on metric as a
 * dashed line at its threshold with a marker at its deadline, the deadlines
 * as dotted lines labelled with their dates (never clipped at the edges). */
void plot_target_marks(plot_buf *b, plot_lang lang, const ddr_resfile *rf, const char *metric,
                       int32_t first, int32_t last);

#endif

/* `ddrsim report`: a brief of one or more result files for people who will
 * not open an HDF5 file. report_build.c says what the brief holds (headings,
 * paragraphs, tables, pictures drawn by the plot code); a format (the
 * report_format descriptors of report_html.c and report_md.c) says how it
 * is written; cmd_report.c reads the options and writes the files safely. */
#ifndef DDRSIM_CLI_REPORT_H
#define DDRSIM_CLI_REPORT_H

#include <stddef.h>

#include "ddrsim/status.h"
#include "cli.h"
#include "ddrsim/store.h"
#include "plot.h"

/* A table cell: its text, and for programs reading the brief the numbers
 * or the date behind it (HTML keeps them as attributes; Markdown drops
 * them). */
typedef struct rep_cell {
  char text[512];
  char iso[16];       /* a date shown as text: YYYY-MM-DD, "" if none */
  const char *key[4]; /* names of the numbers behind the text */
  double val[4];
  size_t nval;
} rep_cell;

typedef struct rep_table {
  const char *kind; /* "key", "comparison", "provenance": the HTML class */
  size_t ncols, nrows;
  const char *head[8];
  int width[8];          /* share of the width of each column, percent */
  int numeric[8];        /* right-aligned columns */
  rep_cell *cells;       /* [nrows][ncols] */
  char **notes;          /* [nrows] a sentence under the row across the table, or NULL */
  char **row_ids;        /* [nrows] what the row is about (a target id), or NULL */
  const char *note_head; /* Markdown: the heading of the list of notes */
} rep_table;

/* Paragraph kinds. */
enum { REP_TEXT, REP_NOTE, REP_LEAD };

typedef struct rep_writer rep_writer;

/* A format of the brief. Every operation is required. */
typedef struct rep_format {
  const char *name;      /* "html", "markdown" */
  const char *image_ext; /* the pictures it takes: ".svg", ".png" */
  void (*begin)(rep_writer *w, const char *title, const char *subtitle);
  /* level 1 starts a part of the brief, on a new page in print unless
   * soft; level 2 a subsection */
  void (*heading)(rep_writer *w, int level, const char *text, int soft);
  void (*para)(rep_writer *w, const char *text, int kind);
  void (*items)(rep_writer *w, char *const *items, size_t n);
  void (*table)(rep_writer *w, const rep_table *t);
  /* A picture drawn at path (in w->imgdir): inlined, or referenced. */
  ddr_status (*figure)(rep_writer *w, const char *path, const char *alt, const char *caption,
                       ddr_error *err);
  void (*end)(rep_writer *w);
} rep_format;

extern const rep_format rep_html;
extern const rep_format rep_markdown;

struct rep_writer {
  const rep_format *fmt;
  plot_lang lang;
  plot_buf out;      /* the document */
  char imgdir[4400]; /* where the pictures are drawn */
  char imgref[4400]; /* how the document names that folder (Markdown) */
  int nfig;          /* pictures so far */
  /* print layout (HTML): the brief is cut into A4 sheets here, so that no
   * picture or table row is cut across pages and a heading stays with what
   * follows it */
  int sheets;                     /* sheets opened */
  double used;                    /* millimetres of the current sheet used */
  plot_buf pending;               /* a heading waiting for what follows it */
  double pending_mm;              /* its height */
  int forced;                     /* the next block starts a sheet */
  int (*drawn)(const char *path); /* remembers a picture file for clean-up */
};

/* Write the brief of rfs[0..n) through w; draws its pictures in
 * w->imgdir. */
ddr_status rep_build(rep_writer *w, ddr_resfile **rfs, size_t n, ddr_error *err);

/* ---- Words (report_words.c) ---- */

/* A phrase of the brief in its language (English when missing). */
const char *rep_tr(plot_lang lang, const char *en);
/* A target in a sentence: the summary's (English) or its French. */
void rep_target_sentence(plot_lang lang, const ddr_resfile *rf, const ddr_resfile_target *t,
                         char *buf, size_t size);
/* A stage's longest queue in a sentence, in the brief's language. */
void rep_stage_sentence(plot_lang lang, const ddr_resfile *rf, const cli_stage_peak *p, char *buf,
                        size_t size);

/* ---- Text escapes ---- */

/* text with & < > " ' as entities. */
void rep_html_escaped(plot_buf *b, const char *text);

#endif

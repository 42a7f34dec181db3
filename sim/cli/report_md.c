/* The brief as Markdown (CommonMark with GitHub's tables), its pictures as
 * PNG files in a folder beside it, referenced relatively, so that the
 * folder and the file can be moved together or converted (pandoc) into a
 * word-processor document. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

/* Text with Markdown's punctuation escaped; line breaks as spaces (in a
 * table cell nothing else is possible). */
static void md_escaped(plot_buf *b, const char *text) {
  for (const char *p = text; *p; p++) {
    if (*p == '\n' || *p == '\r') {
      pb_add(b, " ");
      continue;
    }
    if (strchr("\\`*_[]<>|#", *p)) pb_add(b, "\\");
    pb_add(b, "%c", *p);
  }
}

static void md_begin(rep_writer *w, const char *title, const char *subtitle) {
  pb_add(&w->out, "# ");
  md_escaped(&w->out, title);
  pb_add(&w->out, "\n\n*");
  md_escaped(&w->out, subtitle);
  pb_add(&w->out, "*\n\n");
}

static void md_heading(rep_writer *w, int level, const char *text, int soft) {
  (void)soft;
  pb_add(&w->out, "%s ", level == 1 ? "##" : "###");
  md_escaped(&w->out, text);
  pb_add(&w->out, "\n\n");
}

static void md_para(rep_writer *w, const char *text, int kind) {
  if (kind == REP_NOTE) pb_add(&w->out, "*");
  md_escaped(&w->out, text);
  pb_add(&w->out, "%s\n\n", kind == REP_NOTE ? "*" : "");
}

static void md_items(rep_writer *w, char *const *items, size_t n) {
  for (size_t i = 0; i < n; i++) {
    pb_add(&w->out, "- ");
    md_escaped(&w->out, items[i]);
    pb_add(&w->out, "\n");
  }
  pb_add(&w->out, "\n");
}

static void md_table(rep_writer *w, const rep_table *t) {
  plot_buf *b = &w->out;
  for (size_t c = 0; c < t->ncols; c++) {
    pb_add(b, "| ");
    md_escaped(b, t->head[c]);
    pb_add(b, " ");
  }
  pb_add(b, "|\n");
  for (size_t c = 0; c < t->ncols; c++) pb_add(b, "| %s ", t->numeric[c] ? "---:" : "---");
  pb_add(b, "|\n");
  size_t notes = 0;
  for (size_t r = 0; r < t->nrows; r++) {
    for (size_t c = 0; c < t->ncols; c++) {
      pb_add(b, "| ");
      md_escaped(b, t->cells[r * t->ncols + c].text);
      pb_add(b, " ");
    }
    pb_add(b, "|\n");
    notes += t->notes[r] != NULL;
  }
  pb_add(b, "\n");
  if (!notes) return;
  pb_add(b, "**");
  md_escaped(b, t->note_head ? t->note_head : "Notes");
  pb_add(b, "**\n\n");
  for (size_t r = 0; r < t->nrows; r++) {
    if (!t->notes[r]) continue;
    pb_add(b, "- ");
    if (t->row_ids && t->row_ids[r]) {
      pb_add(b, "`%s`: ", t->row_ids[r]);
    }
    md_escaped(b, t->notes[r]);
    pb_add(b, "\n");
  }
  pb_add(b, "\n");
}

/* A relative link: the folder's name and the picture's, in angle brackets
 * when they hold a space. */
static ddr_status md_figure(rep_writer *w, const char *path, const char *alt, const char *caption,
                            ddr_error *err) {
  (void)err;
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  int angle = strchr(w->imgref, ' ') || strchr(base, ' ');
  pb_add(&w->out, "![");
  md_escaped(&w->out, alt);
  pb_add(&w->out, "](%s%s/%s%s)\n\n*", angle ? "<" : "", w->imgref, base, angle ? ">" : "");
  md_escaped(&w->out, caption);
  pb_add(&w->out, "*\n\n");
  return DDR_OK;
}

static void md_end(rep_writer *w) {
  (void)w;
}

const rep_format rep_markdown = {"markdown", ".png",   md_begin,  md_heading, md_para,
                                 md_items,   md_table, md_figure, md_end};

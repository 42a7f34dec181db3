/* The brief as one self-contained HTML page: styles inline, pictures inlined
 * as SVG, nothing loaded from anywhere, so that it opens and prints the same
 * without a network. In print it is cut into A4 sheets here, one section
 * (<section class="sheet">) a page: a picture or a table row never straddles
 * two pages, a heading never ends one, and a part of the brief starts on a
 * new page. Heights are estimated from the pictures' proportions and the
 * length of the text, with some slack. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"

/* An A4 page less its margins is 178 x 267 mm; a sheet is filled to a bit
 * less than that, since text heights are estimates. */
#define WIDTH_MM      178.0
#define FIGURE_MM     (0.92 * WIDTH_MM) /* a picture's width in print */
#define SHEET_MM      255.0
#define TAIL_MM       262.0 /* a table's last rows may use some of the slack, not be orphaned */
#define H1_MM         22.0
#define H2_MM         14.0
#define H3_MM         10.0
#define BODY_LINE_MM  4.95 /* 10 pt, line height 1.4 */
#define SMALL_LINE_MM 4.3  /* 8.5-9 pt */
#define BODY_CHAR_MM  1.9  /* an average character of 10 pt, generously */
#define SMALL_CHAR_MM 1.65

static const char css[] =
    "@page { size: A4; margin: 14mm 16mm 16mm 16mm;\n"
    "  @bottom-right { content: counter(page) \" / \" counter(pages); font: 8pt \"DejaVu Sans\", "
    "sans-serif; color: #666; } }\n"
    "html { background: #fff; }\n"
    "body { font-family: \"DejaVu Sans\", \"Liberation Sans\", Arial, Helvetica, sans-serif;\n"
    "  font-size: 10pt; line-height: 1.4; color: #1a1a1a; max-width: 178mm; margin: 0 auto;\n"
    "  padding: 10mm 6mm; }\n"
    "h1 { font-size: 17pt; line-height: 1.25; color: #08306b; margin: 0 0 1.5mm; }\n"
    "h2 { font-size: 13.5pt; line-height: 1.25; color: #08306b; margin: 3mm 0 3mm;\n"
    "  padding-bottom: 1mm; border-bottom: 0.4mm solid #c6dbef; }\n"
    "h3 { font-size: 11pt; line-height: 1.25; margin: 3mm 0 2mm; color: #222; }\n"
    "h2, h3 { break-after: avoid; }\n"
    "p { margin: 0 0 2.5mm; }\n"
    "p.subtitle { color: #555; font-size: 9pt; margin-bottom: 4mm; }\n"
    "p.lead { font-size: 10.5pt; }\n"
    "p.note { color: #444; font-size: 8.5pt; }\n"
    "ul { margin: 0 0 3mm; padding-left: 6mm; }\n"
    "li { margin-bottom: 1mm; }\n"
    "table { border-collapse: collapse; width: 100%; table-layout: fixed; font-size: 9pt;\n"
    "  line-height: 1.35; margin: 1mm 0 3mm; }\n"
    "th { text-align: left; vertical-align: bottom; font-weight: bold; background: #eef3f8;\n"
    "  border-bottom: 0.35mm solid #6b8db5; padding: 1.2mm 1.5mm; }\n"
    "td { vertical-align: top; padding: 1.2mm 1.5mm; overflow-wrap: anywhere; }\n"
    "th.num, td.num { text-align: right; }\n"
    "tbody { break-inside: avoid; border-bottom: 0.2mm solid #d0d7e0; }\n"
    "tr.words td { font-size: 8.5pt; color: #333; padding-top: 0; }\n"
    "table.provenance td:first-child { color: #555; }\n"
    "table.provenance { font-size: 8.5pt; }\n"
    "figure { margin: 1mm 0 4mm; break-inside: avoid; }\n"
    "figure svg { display: block; width: 100%; height: auto; }\n"
    "figcaption { font-size: 8.5pt; color: #444; margin-top: 1mm; }\n"
    "@media screen { .sheet + .sheet { border-top: 1px dashed #bbb; margin-top: 8mm;\n"
    "  padding-top: 6mm; } }\n"
    "@media print { body { max-width: none; padding: 0; }\n"
    "  figure svg { width: 92%; margin: 0 auto; }\n"
    "  .sheet { break-after: page; }\n"
    "  .sheet:last-child { break-after: auto; } }\n";

void rep_html_escaped(plot_buf *b, const char *text) {
  for (const char *p = text; *p; p++) switch (*p) {
    case '&':
      pb_add(b, "&amp;");
      break;
    case '<':
      pb_add(b, "&lt;");
      break;
    case '>':
      pb_add(b, "&gt;");
      break;
    case '"':
      pb_add(b, "&quot;");
      break;
    case '\'':
      pb_add(b, "&#39;");
      break;
    default:
      pb_add(b, "%c", *p);
    }
}

/* Escaped, each line break as <br>. */
static void escaped_lines(plot_buf *b, const char *text) {
  const char *p = text;
  for (const char *nl; (nl = strchr(p, '\n')); p = nl + 1) {
    char *line = strndup(p, (size_t)(nl - p));
    if (!line) {
      b->oom = 1;
      return;
    }
    rep_html_escaped(b, line);
    pb_add(b, "<br>");
    free(line);
  }
  rep_html_escaped(b, p);
}

/* Characters, not bytes, of UTF-8 text. */
static size_t chars(const char *s, size_t n) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++) k += ((unsigned char)s[i] & 0xC0) != 0x80;
  return k;
}

/* Lines the text takes in a column of the width given in characters. */
static double lines(const char *text, double per_line) {
  double n = 0;
  if (per_line < 4) per_line = 4;
  const char *p = text;
  for (;;) {
    const char *nl = strchr(p, '\n');
    size_t len = nl ? (size_t)(nl - p) : strlen(p);
    n += fmax(1, ceil((double)chars(p, len) / per_line));
    if (!nl) break;
    p = nl + 1;
  }
  return n;
}

/* ---- Sheets ---- */

static void open_sheet(rep_writer *w) {
  pb_add(&w->out, "%s<section class=\"sheet\">\n", w->sheets ? "</section>\n" : "");
  w->sheets++;
  w->used = 0;
  w->forced = 0;
}

/* Make room for a block of mm millimetres (and the heading waiting for it)
 * on this sheet or a new one, and write the heading. */
static void place(rep_writer *w, double mm) {
  double need = mm + w->pending_mm;
  if (!w->sheets || (w->used > 0 && (w->forced || w->used + need > SHEET_MM))) open_sheet(w);
  if (w->pending.n) pb_add(&w->out, "%s", w->pending.s);
  w->pending.n = 0;
  w->used += need;
  w->pending_mm = 0;
}

/* ---- The operations ---- */

static void html_begin(rep_writer *w, const char *title, const char *subtitle) {
  plot_buf *b = &w->out;
  pb_add(b, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n",
         w->lang == PLOT_FR ? "fr" : "en");
  pb_add(b, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
  pb_add(b, "<meta name=\"generator\" content=\"ddrsim report\">\n<title>");
  rep_html_escaped(b, title);
  pb_add(b, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n", css);
  open_sheet(w);
  pb_add(b, "<header>\n<h1>");
  rep_html_escaped(b, title);
  pb_add(b, "</h1>\n<p class=\"subtitle\">");
  rep_html_escaped(b, subtitle);
  pb_add(b, "</p>\n</header>\n");
  w->used = H1_MM + lines(title, 60) * 7 - 7;
}

static void html_heading(rep_writer *w, int level, const char *text, int soft) {
  plot_buf *p = &w->pending;
  const char *tag = level == 1 ? "h2" : "h3";
  if (level == 1 && !soft) w->forced = 1;
  pb_add(p, "<%s>", tag);
  rep_html_escaped(p, text);
  pb_add(p, "</%s>\n", tag);
  w->pending_mm += (level == 1 ? H2_MM : H3_MM) + (lines(text, level == 1 ? 75 : 90) - 1) * 6;
  if (p->oom) w->out.oom = 1;
}

static void html_para(rep_writer *w, const char *text, int kind) {
  static const char *const cls[] = {"", " class=\"note\"", " class=\"lead\""};
  int small = kind == REP_NOTE;
  double mm = lines(text, WIDTH_MM / (small ? SMALL_CHAR_MM : BODY_CHAR_MM)) *
                  (small ? SMALL_LINE_MM : BODY_LINE_MM) +
              2.5;
  place(w, mm);
  pb_add(&w->out, "<p%s>", cls[kind]);
  escaped_lines(&w->out, text);
  pb_add(&w->out, "</p>\n");
}

static void html_items(rep_writer *w, char *const *items, size_t n) {
  double mm = 3;
  for (size_t i = 0; i < n; i++)
    mm += lines(items[i], (WIDTH_MM - 6) / BODY_CHAR_MM) * BODY_LINE_MM + 1;
  place(w, mm);
  pb_add(&w->out, "<ul>\n");
  for (size_t i = 0; i < n; i++) {
    pb_add(&w->out, "<li>");
    rep_html_escaped(&w->out, items[i]);
    pb_add(&w->out, "</li>\n");
  }
  pb_add(&w->out, "</ul>\n");
}

/* Height of a row: its tallest cell. */
static double row_mm(const rep_table *t, const char *const *texts) {
  double most = 1;
  for (size_t c = 0; c < t->ncols; c++) {
    double width = WIDTH_MM * t->width[c] / 100.0 - 3;
    most = fmax(most, lines(texts[c] ? texts[c] : "", width / SMALL_CHAR_MM));
  }
  return most * SMALL_LINE_MM + 2.6;
}

/* A table's head; a table cut onto a new sheet goes on as class "continued". */
static void table_head(rep_writer *w, const rep_table *t, int continued) {
  plot_buf *b = &w->out;
  pb_add(b, "<table class=\"%s%s\">\n<colgroup>", t->kind, continued ? " continued" : "");
  for (size_t c = 0; c < t->ncols; c++) pb_add(b, "<col style=\"width: %d%%\">", t->width[c]);
  pb_add(b, "</colgroup>\n<thead><tr>");
  for (size_t c = 0; c < t->ncols; c++) {
    pb_add(b, "<th%s>", t->numeric[c] ? " class=\"num\"" : "");
    escaped_lines(b, t->head[c]);
    pb_add(b, "</th>");
  }
  pb_add(b, "</tr></thead>\n");
}

static void cell(plot_buf *b, const rep_cell *c, int numeric) {
  pb_add(b, "<td%s", numeric ? " class=\"num\"" : "");
  for (size_t k = 0; k < c->nval; k++) pb_add(b, " data-%s=\"%.17g\"", c->key[k], c->val[k]);
  pb_add(b, ">");
  if (c->iso[0]) pb_add(b, "<time datetime=\"%s\">", c->iso);
  escaped_lines(b, c->text);
  if (c->iso[0]) pb_add(b, "</time>");
  pb_add(b, "</td>");
}

/* A table, cut between rows onto new sheets when it does not fit, with its
 * header again on each. */
static void html_table(rep_writer *w, const rep_table *t) {
  plot_buf *b = &w->out;
  const char *texts[8];
  for (size_t c = 0; c < t->ncols; c++) texts[c] = t->head[c];
  double head = row_mm(t, texts), *mm = malloc((t->nrows + 1) * sizeof *mm), rest = 0;
  if (!mm) {
    b->oom = 1;
    return;
  }
  for (size_t r = 0; r < t->nrows; r++) {
    for (size_t c = 0; c < t->ncols; c++) texts[c] = t->cells[r * t->ncols + c].text;
    mm[r] = row_mm(t, texts);
    if (t->notes[r]) mm[r] += lines(t->notes[r], WIDTH_MM / SMALL_CHAR_MM) * SMALL_LINE_MM + 1.5;
    rest += mm[r];
  }
  for (size_t r = 0; r < t->nrows; rest -= mm[r], r++) {
    int fits = w->used + mm[r] <= SHEET_MM || w->used + rest <= TAIL_MM;
    int fresh = r == 0 || !fits;
    if (fresh && r > 0) {
      pb_add(b, "</table>\n");
      w->forced = 1;
    }
    if (fresh) {
      place(w, head + mm[r] + 4);
      table_head(w, t, r > 0);
    } else {
      w->used += mm[r]; /* on this sheet, as decided above */
    }
    pb_add(b, "<tbody");
    if (t->row_ids && t->row_ids[r]) {
      pb_add(b, " data-target=\"");
      rep_html_escaped(b, t->row_ids[r]);
      pb_add(b, "\"");
    }
    pb_add(b, "><tr>");
    for (size_t c = 0; c < t->ncols; c++) cell(b, &t->cells[r * t->ncols + c], t->numeric[c]);
    pb_add(b, "</tr>");
    if (t->notes[r]) {
      pb_add(b, "\n<tr class=\"words\"><td colspan=\"%zu\">", t->ncols);
      rep_html_escaped(b, t->notes[r]);
      pb_add(b, "</td></tr>");
    }
    pb_add(b, "</tbody>\n");
  }
  if (t->nrows) pb_add(b, "</table>\n");
  free(mm);
}

/* Copy a gnuplot SVG into the page: without its XML declaration, titled with
 * the picture's description, and with its ids (gpPt0, textbox...) made
 * unique to the picture, since every picture defines the same ones. */
static void inline_svg(plot_buf *b, const char *svg, int fig, const char *alt) {
  const char *p = strstr(svg, "<svg");
  if (!p) return;
  pb_add(b, "<svg role=\"img\" aria-label=\"");
  rep_html_escaped(b, alt);
  pb_add(b, "\"");
  p += 4;
  static const char *const refs[] = {" id='", " id=\"", "href='#", "href=\"#", "url(#"};
  while (*p) {
    if (!strncmp(p, "<title>", 7)) {
      const char *end = strstr(p, "</title>");
      if (end) {
        pb_add(b, "<title>");
        rep_html_escaped(b, alt);
        pb_add(b, "</title>");
        p = end + 8;
        continue;
      }
    }
    size_t k;
    for (k = 0; k < sizeof refs / sizeof *refs; k++)
      if (!strncmp(p, refs[k], strlen(refs[k]))) break;
    if (k < sizeof refs / sizeof *refs) {
      pb_add(b, "%sf%d-", refs[k], fig);
      p += strlen(refs[k]);
      continue;
    }
    const char *next = p + 1;
    while (*next && *next != '<' && *next != ' ' && *next != 'h' && *next != 'u') next++;
    pb_add(b, "%.*s", (int)(next - p), p);
    p = next;
  }
}

static ddr_status html_figure(rep_writer *w, const char *path, const char *alt, const char *caption,
                              ddr_error *err) {
  char *svg = cli_read_text(path);
  if (!svg)
    return ddr_error_set(err, DDR_EIO, NULL, 0, 0, NULL, "cannot read the picture %s", path);
  unlink(path);
  double vw = 1000, vh = 571;
  const char *vb = strstr(svg, "viewBox=\"");
  if (vb) sscanf(vb + 9, "%*f %*f %lf %lf", &vw, &vh);
  double mm = FIGURE_MM * vh / vw + lines(caption, WIDTH_MM / SMALL_CHAR_MM) * SMALL_LINE_MM + 6;
  place(w, mm);
  pb_add(&w->out, "<figure id=\"figure-%d\">\n", w->nfig);
  inline_svg(&w->out, svg, w->nfig, alt);
  pb_add(&w->out, "<figcaption>");
  rep_html_escaped(&w->out, caption);
  pb_add(&w->out, "</figcaption>\n</figure>\n");
  free(svg);
  return DDR_OK;
}

static void html_end(rep_writer *w) {
  if (w->pending.n) place(w, 0);
  pb_add(&w->out, "</section>\n</main>\n</body>\n</html>\n");
  pb_free(&w->pending);
}

const rep_format rep_html = {"html",     ".svg",     html_begin,  html_heading, html_para,
                             html_items, html_table, html_figure, html_end};

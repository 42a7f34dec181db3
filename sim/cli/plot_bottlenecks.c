/* Bottlenecks: for each stage and training node, the people waiting and the
 * people inside over time, and beside it the utilisation of each of its
 * cantonment sites or training centres; small multiples, one row a node
 * (template plots/bottlenecks.gp). Nodes are found by their metrics
 * (scenarios/README.md, "Metrics"): <node>.queue with <node>.occupancy (a
 * stage) or <node>.in_training (training), and <node>.sites.<id>.utilisation
 * or <node>.centres.<id>.utilisation. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ddrsim/calendar.h"
#include "ddrsim/stats.h"
#include "plot.h"

static const char *const place_colour[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                           "#E69F00", "#56B4E9", "#000000", "#F0E442"};

typedef struct bnode {
  char name[256];
  size_t queue, inside; /* metric indices */
  int training;
  size_t nplaces;
  size_t places[64]; /* utilisation metrics */
} bnode;

static long metric_index(const ddr_resfile *rf, const char *name) {
  for (size_t i = 0; i < rf->nmetrics; i++)
    if (strcmp(rf->metric_names[i], name) == 0) return (long)i;
  return -1;
}

/* The place's id in "<node>.sites.<id>.utilisation". */
static void place_id(const char *metric, size_t node_len, char *buf, size_t size) {
  const char *p = metric + node_len + 1;
  p = strchr(p, '.');
  p = p ? p + 1 : metric;
  size_t n = strlen(p) - strlen(".utilisation");
  snprintf(buf, size, "%.*s", (int)n, p);
}

static size_t find_nodes(const ddr_resfile *rf, bnode *nodes, size_t max) {
  size_t n = 0;
  for (size_t i = 0; i < rf->nmetrics && n < max; i++) {
    const char *name = rf->metric_names[i];
    size_t len = strlen(name);
    if (len <= 6 || strcmp(name + len - 6, ".queue") != 0 || len - 6 >= sizeof nodes->name)
      continue;
    bnode *b = &nodes[n];
    memset(b, 0, sizeof *b);
    snprintf(b->name, sizeof b->name, "%.*s", (int)(len - 6), name);
    char probe[600];
    snprintf(probe, sizeof probe, "%s.occupancy", b->name);
    long in = metric_index(rf, probe);
    if (in < 0) {
      snprintf(probe, sizeof probe, "%s.in_training", b->name);
      in = metric_index(rf, probe);
      b->training = 1;
    }
    if (in < 0) continue;
    b->queue = i, b->inside = (size_t)in;
    size_t nl = strlen(b->name);
    for (size_t j = 0; j < rf->nmetrics && b->nplaces < 64; j++) {
      const char *m = rf->metric_names[j];
      size_t ml = strlen(m);
      if (strncmp(m, b->name, nl) == 0 && m[nl] == '.' &&
          (strncmp(m + nl + 1, "sites.", 6) == 0 || strncmp(m + nl + 1, "centres.", 8) == 0) &&
          ml > 12 && strcmp(m + ml - 12, ".utilisation") == 0)
        b->places[b->nplaces++] = j;
    }
    n++;
  }
  return n;
}

static const double *qrow(const ddr_resfile *rf, size_t m, size_t t) {
  return rf->quantiles + (m * rf->nsteps + t) * DDR_NQUANTILES;
}

ddr_status plot_bottlenecks(ddr_resfile *rf, const plot_opts *opts, ddr_error *err) {
  bnode *nodes = calloc(64, sizeof *nodes);
  if (!nodes) return ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory");
  size_t R = find_nodes(rf, nodes, 64), T = rf->nsteps;
  if (R == 0) {
    free(nodes);
    return ddr_error_set(err, DDR_EINPUT, NULL, 0, 0, NULL,
                         "%s has no stage or training node with a queue to draw", rf->path);
  }
  plot_lang lang = opts->lang;
  int c10 = plot_qcol(0.1), c50 = plot_qcol(0.5), c90 = plot_qcol(0.9);
  plot_job job = {.kind = "bottlenecks", .width = 1400, .height = 260 + 310 * (int)R};
  plot_buf *d = &job.data, panels = {0}, q = {0};
  int32_t first = rf->cal.start, last = ddr_calendar_step_last(&rf->cal, (int)T - 1);
  double H = job.height, top = 1 - 165 / H, bottom = 135 / H, row = (top - bottom) / (double)R;
  /* the headline: the longest median queue */
  double worst = 0;
  size_t worst_node = 0, worst_t = 0;
  for (size_t i = 0; i < R; i++)
    for (size_t t = 0; t < T; t++)
      if (qrow(rf, nodes[i].queue, t)[c50] > worst)
        worst = qrow(rf, nodes[i].queue, t)[c50], worst_node = i, worst_t = t;
  char head[600], num[64], when[64], text[1200];
  if (worst > 0) {
    plot_number(lang, worst, 0, num, sizeof num);
    plot_date(lang, ddr_calendar_step_last(&rf->cal, (int)worst_t), when, sizeof when);
    snprintf(head, sizeof head, plot_tr(lang, "Longest median queue: %s, up to %s around %s"),
             nodes[worst_node].name, num, when);
  } else {
    snprintf(head, sizeof head, "%s",
             plot_tr(lang, "No stage has a queue in the median replication"));
  }
  size_t index = 0;
  for (size_t i = 0; i < R; i++) {
    const bnode *b = &nodes[i];
    double y1 = top - row * (double)i - (i ? 75 : 0) / H, y0 = top - row * (double)(i + 1);
    int lastrow = i + 1 == R;
    /* people: waiting and inside */
    pb_add(d, "%s# %s: date,queue q10,q50,q90,%s q10,q50,q90\n", index ? "\n\n" : "", b->name,
           b->training ? "in_training" : "occupancy");
    double hi = 1;
    for (size_t t = 0; t < T; t++) {
      char iso[16];
      ddr_date_format(ddr_calendar_step_last(&rf->cal, (int)t), iso, sizeof iso);
      const double *a = qrow(rf, b->queue, t), *c = qrow(rf, b->inside, t);
      pb_add(d, "%s,%.10g,%.10g,%.10g,%.10g,%.10g,%.10g\n", iso, a[c10], a[c50], a[c90], c[c10],
             c[c50], c[c90]);
      hi = fmax(hi, fmax(a[c90], c[c90]));
    }
    pb_add(&panels, "unset label\nunset title\n");
    if (i == 0) pb_add(&panels, "@NOTES@");
    if (b->nplaces == 0) { /* drawn with this row's first panel */
      pb_add(&panels, "set label 95 ");
      pb_quoted(&panels, plot_tr(lang, "no capacity limit"));
      pb_add(&panels, " at screen 0.775, screen %.4f center tc rgb \"#777777\"\n", (y0 + y1) / 2);
    }
    pb_add(&panels,
           "set lmargin at screen 0.085\nset rmargin at screen 0.475\n"
           "set tmargin at screen %.4f\nset bmargin at screen %.4f\n",
           y1, y0);
    plot_xaxis(&panels, lang, first, last, lastrow);
    plot_yaxis(&panels, lang, 0, hi * 1.05, 0);
    snprintf(text, sizeof text, plot_tr(lang, "%s: people (median and 80%%)"), b->name);
    pb_add(&panels, "set title ");
    pb_quoted(&panels, text);
    pb_add(&panels, " font font_panel\nset key top left reverse Left samplen 1.5 font font_small "
                    "opaque\n");
    pb_add(&panels,
           "plot data index %zu using 1:2:4 with filledcurves fs transparent solid 0.3 lc "
           "rgb queue_colour notitle, \\\n     '' index %zu using 1:5:7 with filledcurves "
           "fs transparent solid 0.25 lc rgb inside_colour notitle, \\\n     '' index %zu using "
           "1:3 with lines lw 2.5 dt 2 lc rgb "
           "queue_colour title ",
           index, index, index);
    pb_quoted(&panels, plot_tr(lang, "waiting"));
    pb_add(&panels,
           ", \\\n     '' index %zu using 1:6 with lines lw 2.5 lc rgb inside_colour "
           "title ",
           index);
    pb_quoted(&panels, plot_tr(lang, b->training ? "in training" : "in the stage"));
    pb_add(&panels, "\n");
    index++;
    /* utilisation of each place */
    pb_add(&panels, "set lmargin at screen 0.575\nset rmargin at screen 0.975\n");
    if (b->nplaces == 0) continue;
    pb_add(d, "\n\n# %s: date", b->name);
    double uhi = 100;
    for (size_t k = 0; k < b->nplaces; k++) {
      char id[256];
      place_id(rf->metric_names[b->places[k]], strlen(b->name), id, sizeof id);
      pb_add(d, ",%s q10,q50,q90", id);
    }
    pb_add(d, " (utilisation, percent)\n");
    for (size_t t = 0; t < T; t++) {
      char iso[16];
      ddr_date_format(ddr_calendar_step_last(&rf->cal, (int)t), iso, sizeof iso);
      pb_add(d, "%s", iso);
      for (size_t k = 0; k < b->nplaces; k++) {
        const double *u = qrow(rf, b->places[k], t);
        pb_add(d, ",%.10g,%.10g,%.10g", u[c10], u[c50], u[c90]);
        uhi = fmax(uhi, u[c90]);
      }
      pb_add(d, "\n");
    }
    plot_xaxis(&panels, lang, first, last, lastrow);
    plot_yaxis(&panels, lang, 0, uhi, 1);
    int bands = b->nplaces <= 2;
    snprintf(text, sizeof text,
             plot_tr(lang, bands ? "%s: utilisation (median and 80%%)"
                                 : "%s: utilisation of each place (median)"),
             b->name);
    pb_add(&panels, "set title ");
    pb_quoted(&panels, text);
    pb_add(&panels,
           " font font_panel\nset key top right horizontal maxrows %d samplen 1.5 "
           "font font_small opaque\nplot ",
           b->nplaces > 4 ? 2 : 1);
    for (size_t k = 0; k < b->nplaces; k++) {
      char id[256];
      const char *colour = place_colour[k % 8];
      place_id(rf->metric_names[b->places[k]], strlen(b->name), id, sizeof id);
      size_t col = 2 + 3 * k;
      if (bands)
        pb_add(&panels,
               "%s index %zu using 1:%zu:%zu with filledcurves fs transparent solid "
               "0.2 lc rgb \"%s\" notitle, \\\n     ",
               k ? "''" : "data", index, col, col + 2, colour);
      pb_add(&panels, "%s index %zu using 1:%zu with lines lw 2.2 dt %zu lc rgb \"%s\" title ",
             k || bands ? "''" : "data", index, col + 1, k % 5 + 1, colour);
      pb_quoted(&panels, id);
      pb_add(&panels, "%s", k + 1 < b->nplaces ? ", \\\n     " : "\n");
    }
    index++;
  }
  char caption[4600], title[1200];
  plot_caption(lang, rf, caption, sizeof caption);
  snprintf(title, sizeof title, plot_tr(lang, "%s: where people wait"), rf->scenario_name);
  plot_buf notes = {0};
  pb_add(&notes, "set label 90 ");
  pb_quoted(&notes, caption);
  pb_add(&notes, " at screen 0.01, screen %.4f font font_small tc rgb \"#555555\"\n", 25 / H);
  pb_add(&notes, "set label 91 ");
  pb_quoted(&notes, head);
  pb_add(&notes, " at screen 0.5, screen %.4f center tc rgb queue_colour\n", 1 - 85 / H);
  /* the notes are drawn with the first panel; later panels unset them */
  char *at = panels.s ? strstr(panels.s, "@NOTES@") : NULL;
  plot_buf all = {0};
  if (at) {
    pb_add(&all, "%.*s%s%s", (int)(at - panels.s), panels.s, notes.s ? notes.s : "",
           at + strlen("@NOTES@"));
  }
  q.n = 0;
  pb_quoted(&q, title);
  plot_job_set(&job, "TITLE", q.s);
  plot_job_set(&job, "PANELS", all.s);
  ddr_status rc = panels.oom || notes.oom || all.oom || q.oom
                      ? ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory")
                      : plot_draw(&job, opts, err);
  pb_free(&panels);
  pb_free(&notes);
  pb_free(&all);
  pb_free(&q);
  plot_job_free(&job);
  free(nodes);
  return rc;
}

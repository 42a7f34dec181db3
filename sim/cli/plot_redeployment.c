/* The redeployment timeline: for each region, the date by which all its
 * planned units have deployed (P10 to P90, P50 marked) against its plan
 * date, and the whole plan below (template plots/redeployment.gp). The
 * model sets the plan as targets, redeployment-<region> on metric
 * redeployment.deployed.<region> with the plan date as deadline, and
 * redeployment-plan on redeployment.deployed (scenarios/README.md). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ddrsim/calendar.h"
#include "ddrsim/yaml.h"
#include "plot.h"

static const char prefix[] = "redeployment-";

/* Whether target t is one region's plan, or the whole plan's. */
static int is_region(const ddr_resfile_target *t) {
  size_t n = strlen(prefix);
  char metric[512];
  if (strncmp(t->id, prefix, n) != 0 || !strcmp(t->id, "redeployment-plan")) return 0;
  snprintf(metric, sizeof metric, "redeployment.deployed.%s", t->id + n);
  return strcmp(t->metric, metric) == 0;
}

static int is_plan(const ddr_resfile_target *t) {
  return !strcmp(t->id, "redeployment-plan") && !strcmp(t->metric, "redeployment.deployed");
}

/* A region's label from the scenario as run, else its id. */
static void region_label(const ddr_ydoc *doc, const char *id, char *buf, size_t size) {
  const ddr_ynode *r = doc ? ddr_ymap_get(ddr_ydoc_root(doc), "redeployment") : NULL;
  const ddr_ynode *item = ddr_yseq_find_id(ddr_ymap_get(r, "regions"), id);
  const ddr_ynode *label = ddr_ymap_get(item, "label");
  snprintf(buf, size, "%s", label && label->kind == DDR_Y_SCALAR ? label->scalar : id);
}

/* A day as ISO, or "never" for NaN (days since the start). */
static void day_or_never(const ddr_resfile *rf, double q, char *buf, size_t size) {
  if (isnan(q))
    snprintf(buf, size, "never");
  else
    ddr_date_format(rf->cal.start + (int32_t)lround(q), buf, size);
}

/* A y tic label: gnuplot reads tic labels as formats, so % is doubled. */
static void tic_label(plot_buf *b, const char *text) {
  plot_buf q = {0};
  pb_quoted(&q, text);
  for (const char *p = q.s ? q.s : "''"; *p; p++) pb_add(b, *p == '%' ? "%%%%" : "%c", *p);
  pb_free(&q);
}

ddr_status plot_redeployment(ddr_resfile *rf, const plot_opts *opts, ddr_error *err) {
  size_t rows[65], nrows = 0;
  for (size_t g = 0; g < rf->ntargets && nrows < 64; g++)
    if (is_region(&rf->targets[g])) rows[nrows++] = g;
  size_t nregions = nrows;
  for (size_t g = 0; g < rf->ntargets; g++)
    if (is_plan(&rf->targets[g])) {
      rows[nrows++] = g;
      break;
    }
  if (nregions == 0)
    return ddr_error_set(err, DDR_EINPUT, NULL, 0, 0, NULL,
                         "%s has no redeployment plan (targets redeployment-<region>): its "
                         "scenario has no redeployment section (see scenarios/README.md)",
                         rf->path);
  char *resolved = NULL;
  ddr_ydoc *doc = NULL;
  ddr_error ignored;
  /* labels are a nicety: a file whose scenario cannot be read keeps the ids */
  if (ddr_resfile_resolved(rf, &resolved, &ignored) == DDR_OK && resolved)
    ddr_ydoc_load_string(rf->path, resolved, strlen(resolved), &doc, &ignored);
  plot_lang lang = opts->lang;
  plot_job job = {.kind = "redeployment", .width = 1400, .height = 300 + 85 * (int)nrows};
  plot_buf *d = &job.data, axes = {0}, marks = {0}, q = {0};
  int32_t first = rf->cal.start, last = ddr_calendar_step_last(&rf->cal, (int)rf->nsteps - 1);
  char lastiso[16];
  ddr_date_format(last, lastiso, sizeof lastiso);
  int c10 = plot_qcol(0.1), c50 = plot_qcol(0.5), c90 = plot_qcol(0.9);
  pb_add(d, "# row (top is highest),target,plan date,P10,P50,P90 of the date all units have "
            "deployed (never: not within the horizon),bar end (P90, or the horizon's end),"
            "P(on time),lo,hi\n");
  pb_add(&axes, "set ytics (");
  for (size_t i = 0; i < nrows; i++) {
    const ddr_resfile_target *t = &rf->targets[rows[i]];
    double y = (double)(nrows - i);
    char plan[16], p10[16], p50[16], p90[16], label[512], units[64], text[800], prob[96];
    ddr_date_format(t->deadline, plan, sizeof plan);
    day_or_never(rf, t->s.day_q[c10], p10, sizeof p10);
    day_or_never(rf, t->s.day_q[c50], p50, sizeof p50);
    day_or_never(rf, t->s.day_q[c90], p90, sizeof p90);
    pb_add(d, "%g,%s,%s,%s,%s,%s,%s,%.6f,%.6f,%.6f\n", y, t->id, plan, p10, p50, p90,
           isnan(t->s.day_q[c90]) ? (isnan(t->s.day_q[c10]) ? "never" : lastiso) : p90, t->s.prob,
           t->s.lo, t->s.hi);
    if (i < nregions)
      region_label(doc, t->id + strlen(prefix), label, sizeof label);
    else
      snprintf(label, sizeof label, "%s", plot_tr(lang, "Whole plan"));
    plot_number(lang, t->threshold, 0, units, sizeof units);
    if (t->threshold == 1)
      snprintf(text, sizeof text, plot_tr(lang, "%s (1 unit)"), label);
    else
      snprintf(text, sizeof text, plot_tr(lang, "%s (%s units)"), label, units);
    pb_add(&axes, "%s", i ? ", " : "");
    tic_label(&axes, text);
    pb_add(&axes, " %g", y);
    /* the probability of being done by the plan date, in the right margin */
    plot_prob(lang, t->s.prob, t->s.lo, t->s.hi, prob, sizeof prob);
    snprintf(text, sizeof text, plot_tr(lang, "P(on time) = %s"), prob);
    pb_add(&marks, "set label ");
    pb_quoted(&marks, text);
    pb_add(&marks, " at graph 1.02, first %g left font font_small tc rgb \"#333333\"\n", y);
    if (isnan(t->s.day_q[c90]) && !isnan(t->s.day_q[c10])) {
      pb_add(&marks, "set label ");
      pb_quoted(&marks, plot_tr(lang, "beyond the horizon"));
      pb_add(&marks,
             " at graph 0.99, first %g right offset 0,1.1 font font_small tc rgb "
             "bar_edge\n",
             y);
    }
  }
  pb_add(&axes, ")\nset yrange [0.4:%g]\n", (double)nrows + 0.6);
  if (nrows > nregions)
    pb_add(&marks, "set arrow from graph 0, first 1.5 to graph 1, first 1.5 nohead dt 3 lc rgb "
                   "\"#999999\"\n");
  plot_xaxis(&axes, lang, first, last, 1);
  char title[1200], caption[4600];
  snprintf(title, sizeof title, plot_tr(lang, "%s: when is each region's redeployment done?"),
           rf->scenario_name);
  plot_caption(lang, rf, caption, sizeof caption);
  const char *names[] = {"TITLE", "CAPTION", "KEYBAR", "KEYP50", "KEYPLAN"};
  const char *texts[] = {title, caption, plot_tr(lang, "P10–P90 of replications"),
                         plot_tr(lang, "P50"), plot_tr(lang, "plan date")};
  for (int i = 0; i < 5; i++) {
    q.n = 0;
    pb_quoted(&q, texts[i]);
    plot_job_set(&job, names[i], q.s);
  }
  plot_job_set(&job, "AXES", axes.s);
  plot_job_set(&job, "MARKS", marks.s);
  ddr_status rc = axes.oom || marks.oom || q.oom
                      ? ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory")
                      : plot_draw(&job, opts, err);
  pb_free(&axes);
  pb_free(&marks);
  pb_free(&q);
  plot_job_free(&job);
  ddr_ydoc_free(doc);
  free(resolved);
  return rc;
}

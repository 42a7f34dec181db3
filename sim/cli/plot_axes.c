/* gnuplot text and axes for `ddrsim plot`: quoted strings that gnuplot never
 * expands, date and value axes with labels written here (so that month names
 * and numbers follow the reader's language, not the machine's locale), the
 * caption, and finding a metric or target by name. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ddrsim/calendar.h"
#include "ddrsim/stats.h"
#include "plot.h"

void pb_add(plot_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int need = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (need < 0 || b->oom) return;
  if (b->n + (size_t)need + 1 > b->cap) {
    size_t cap = (b->n + (size_t)need + 1) * 2;
    char *s = realloc(b->s, cap);
    if (!s) {
      b->oom = 1;
      return;
    }
    b->s = s, b->cap = cap;
  }
  va_start(ap, fmt);
  vsnprintf(b->s + b->n, b->cap - b->n, fmt, ap);
  va_end(ap);
  b->n += (size_t)need;
}

void pb_quoted(plot_buf *b, const char *text) {
  pb_add(b, "'");
  for (const char *p = text; *p; p++) {
    if (*p == '\'')
      pb_add(b, "''");
    else
      pb_add(b, "%c", *p == '\n' || *p == '\r' ? ' ' : *p);
  }
  pb_add(b, "'");
}

void pb_free(plot_buf *b) {
  free(b->s);
  b->s = NULL;
  b->n = b->cap = 0;
}

double plot_x(int32_t day) {
  return (double)day * 86400.0;
}

static int32_t month_start(int y, int m) {
  char iso[32];
  int32_t d = 0;
  snprintf(iso, sizeof iso, "%04d-%02d-01", y, m);
  ddr_date_parse(iso, &d);
  return d;
}

void plot_xaxis(plot_buf *b, plot_lang lang, int32_t first, int32_t last, int labels) {
  char iso[16];
  ddr_date_format(first, iso, sizeof iso);
  int y = atoi(iso), m = atoi(iso + 5);
  double months = (last - first) / 30.44;
  static const int steps[] = {1, 2, 3, 6, 12, 24, 60};
  int step = 60;
  for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
    if (months / steps[i] <= 8) {
      step = steps[i];
      break;
    }
  int minor = step <= 6 ? 1 : step == 12 ? 3 : 12;
  pb_add(b, "set xrange [%.0f:%.0f]\nset xtics (", plot_x(first), plot_x(last));
  int n = 0, labelled = 0;
  for (int32_t d = month_start(y, m); d <= last;) {
    if (d >= first) {
      int major = step < 12 ? (m - 1) % step == 0 : m == 1 && y % (step / 12) == 0;
      if (major) {
        /* every tic names its month; the year goes under January, under the
         * first tic and, when tics are half a year or more apart, under all */
        char year[16] = "";
        if (step >= 6 || m == 1 || !labelled) snprintf(year, sizeof year, "%d", y);
        if (labels)
          pb_add(b, "%s\"%s\\n%s\" %.0f 0", n++ ? ", " : "", plot_month(lang, m), year, plot_x(d));
        else
          pb_add(b, "%s\"\" %.0f 0", n++ ? ", " : "", plot_x(d));
        labelled = 1;
      } else if ((m - 1) % minor == 0) {
        pb_add(b, "%s\"\" %.0f 1", n++ ? ", " : "", plot_x(d));
      }
    }
    if (++m > 12) m = 1, y++;
    d = month_start(y, m);
  }
  pb_add(b, ")\n");
}

/* A round step giving at most about six intervals over range. */
static double nice_step(double range) {
  double raw = range / 6, mag = pow(10, floor(log10(raw)));
  static const double mult[] = {1, 2, 2.5, 5, 10};
  for (size_t i = 0; i < sizeof mult / sizeof *mult; i++)
    if (mult[i] * mag >= raw && !(mult[i] == 2.5 && mag == 1)) /* no 2.5 among counts */
      return mult[i] * mag;
  return 10 * mag;
}

double plot_ytop(double lo, double hi) {
  if (!(hi > lo)) hi = lo + 1;
  double step = nice_step(hi - lo);
  return ceil(hi / step - 1e-9) * step;
}

double plot_yaxis(plot_buf *b, plot_lang lang, double lo, double hi, int percent) {
  if (!(hi > lo)) hi = lo + 1;
  double step = nice_step(hi - lo);
  double bottom = floor(lo / step + 1e-9) * step, top = ceil(hi / step - 1e-9) * step;
  int decimals = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
  if (step < 1 && fabs(step * pow(10, decimals) - round(step * pow(10, decimals))) > 1e-9)
    decimals++; /* 0.25 */
  /* tic labels are formats to gnuplot: a percent sign is written %% */
  pb_add(b, "set yrange [%.10g:%.10g]\nset ytics (", bottom, top);
  int k = 0;
  for (double v = bottom; v <= top + step * 1e-6; v += step, k++) {
    char num[64];
    double shown = fabs(v) < step * 1e-6 ? 0 : v;
    plot_number(lang, shown, decimals, num, sizeof num);
    pb_add(b, "%s\"%s%s%s\" %.10g", k ? ", " : "", num, percent && lang == PLOT_FR ? "\u202f" : "",
           percent ? "%%" : "", shown);
  }
  pb_add(b, ")\n");
  return top;
}

void plot_caption(plot_lang lang, const ddr_resfile *rf, char *buf, size_t size) {
  char seed[32], reps[64], when[64] = "?";
  int32_t day;
  char iso[16];
  snprintf(seed, sizeof seed, "%llu", (unsigned long long)rf->seed);
  plot_number(lang, (double)rf->replications, 0, reps, sizeof reps);
  snprintf(iso, sizeof iso, "%.10s", rf->started ? rf->started : "");
  if (ddr_date_parse(iso, &day) == 0) plot_date(lang, day, when, sizeof when);
  snprintf(buf, size, plot_tr(lang, "Scenario %s, seed %s, %s replications, ddrsim %s, run %s"),
           rf->scenario_file, seed, reps, rf->version, when);
}

void plot_metric_label(plot_lang lang, const ddr_resfile *rf, size_t m, char *buf, size_t size) {
  snprintf(buf, size, "%s (%s)", rf->metric_names[m], plot_unit(lang, rf->metric_units[m]));
}

ddr_status plot_find_metric(const ddr_resfile *rf, const char *name, size_t *m, ddr_error *err) {
  for (size_t i = 0; i < rf->nmetrics; i++)
    if (strcmp(rf->metric_names[i], name) == 0) {
      *m = i;
      return DDR_OK;
    }
  return ddr_error_set(err, DDR_EINPUT, NULL, 0, 0, NULL,
                       "%s has no metric \"%s\" (ddrsim validate --metrics SCENARIO lists them)",
                       rf->path, name);
}

ddr_status plot_find_target(const ddr_resfile *rf, const char *id, size_t *g, ddr_error *err) {
  if (rf->ntargets == 0)
    return ddr_error_set(err, DDR_EINPUT, NULL, 0, 0, NULL,
                         "%s has no targets: its scenario sets none (targets: in the scenario)",
                         rf->path);
  if (!id) {
    *g = 0;
    return DDR_OK;
  }
  char known[512] = "";
  size_t k = 0;
  for (size_t i = 0; i < rf->ntargets; i++) {
    if (strcmp(rf->targets[i].id, id) == 0) {
      *g = i;
      return DDR_OK;
    }
    if (k + strlen(rf->targets[i].id) + 3 < sizeof known)
      k += (size_t)snprintf(known + k, sizeof known - k, "%s%s", i ? ", " : "", rf->targets[i].id);
  }
  return ddr_error_set(err, DDR_EINPUT, NULL, 0, 0, NULL, "%s has no target \"%s\" (it has %s)",
                       rf->path, id, known);
}

int plot_qcol(double level) {
  for (int k = 0; k < DDR_NQUANTILES; k++)
    if (fabs(ddr_quantile_levels[k] - level) < 1e-9) return k;
  return DDR_NQUANTILES / 2 - 1;
}

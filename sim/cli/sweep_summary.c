/* `ddrsim summary` of a sweep file: the list of its points with each
 * target's probability, or one point shown as the summary shows a run. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void table(const ddr_sweep_table *t, FILE *fp) {
  fprintf(fp, "Sweep of %s over %s (%s design): %zu points, %llu replications each, seed %llu\n",
          t->scenario_file, t->design_file, t->design_kind, t->npoints,
          (unsigned long long)t->replications, (unsigned long long)t->seed);
  for (size_t g = 0; g < t->ntargets; g++) {
    fprintf(fp, "\nTarget %s: probability met [95%% interval]\n  point", t->target[g]);
    for (size_t k = 0; k < t->nkeys; k++) fprintf(fp, "  %s", t->keys[k]);
    fputc('\n', fp);
    for (size_t p = 0; p < t->npoints; p++) {
      fprintf(fp, "  %5zu", p);
      for (size_t k = 0; k < t->nkeys; k++) fprintf(fp, "  %s", t->value[p * t->nkeys + k]);
      size_t c = p * t->ntargets + g;
      fprintf(fp, "  %.3f [%.3f-%.3f]\n", t->prob[c], t->lo[c], t->hi[c]);
    }
  }
}

static void csv(const ddr_sweep_table *t, FILE *fp) {
  fputs("point,group", fp);
  for (size_t k = 0; k < t->nkeys; k++) {
    fputc(',', fp);
    cli_csv_field(fp, t->keys[k]);
  }
  fputs(",target,probability,probability_lo,probability_hi\n", fp);
  for (size_t p = 0; p < t->npoints; p++)
    for (size_t g = 0; g < t->ntargets; g++) {
      fprintf(fp, "%zu,%s", p, t->group[p]);
      for (size_t k = 0; k < t->nkeys; k++) {
        fputc(',', fp);
        cli_csv_field(fp, t->value[p * t->nkeys + k]);
      }
      size_t c = p * t->ntargets + g;
      fputc(',', fp);
      cli_csv_field(fp, t->target[g]);
      fprintf(fp, ",%.6f,%.6f,%.6f\n", t->prob[c], t->lo[c], t->hi[c]);
    }
}

static void json(const ddr_sweep_table *t, FILE *fp) {
  fputs("{\"scenario_file\": ", fp);
  cli_json_string(fp, t->scenario_file);
  fputs(", \"design_file\": ", fp);
  cli_json_string(fp, t->design_file);
  fputs(", \"design\": ", fp);
  cli_json_string(fp, t->design_kind);
  fprintf(fp, ", \"replications\": %llu, \"seed\": %llu, \"keys\": [",
          (unsigned long long)t->replications, (unsigned long long)t->seed);
  for (size_t k = 0; k < t->nkeys; k++) {
    fputs(k ? ", " : "", fp);
    cli_json_string(fp, t->keys[k]);
  }
  fputs("], \"points\": [", fp);
  for (size_t p = 0; p < t->npoints; p++) {
    fprintf(fp, "%s{\"point\": %zu, \"group\": ", p ? ", " : "", p);
    cli_json_string(fp, t->group[p]);
    fputs(", \"values\": {", fp);
    for (size_t k = 0; k < t->nkeys; k++) {
      fputs(k ? ", " : "", fp);
      cli_json_string(fp, t->keys[k]);
      fputs(": ", fp);
      cli_json_string(fp, t->value[p * t->nkeys + k]);
    }
    fputs("}, \"targets\": [", fp);
    for (size_t g = 0; g < t->ntargets; g++) {
      size_t c = p * t->ntargets + g;
      fputs(g ? ", {\"id\": " : "{\"id\": ", fp);
      cli_json_string(fp, t->target[g]);
      fputs(", \"probability\": ", fp);
      cli_json_number(fp, t->prob[c]);
      fputs(", \"interval\": [", fp);
      cli_json_number(fp, t->lo[c]);
      fputs(", ", fp);
      cli_json_number(fp, t->hi[c]);
      fputs("]}", fp);
    }
    fputs("]}", fp);
  }
  fputs("]}\n", fp);
}

void cli_print_sweep(const ddr_sweep_table *t, const char *format, FILE *fp) {
  if (strcmp(format, "csv") == 0)
    csv(t, fp);
  else if (strcmp(format, "json") == 0)
    json(t, fp);
  else
    table(t, fp);
}

int cli_summary_sweep(const char *path, long point, const char *format) {
  ddr_error err;
  ddr_sweep_table *t = NULL;
  ddr_resfile *rf = NULL;
  ddr_error_clear(&err);
  int is = ddr_sweep_file_is_sweep(path);
  if (is <= 0 && point < 0) return -1; /* a run: the caller shows it */
  if (is <= 0) {
    if (is == 0)
      ddr_error_set(&err, DDR_EINPUT, NULL, 0, 0, NULL,
                    "%s is not a sweep file: --point reads a point of a sweep", path);
    else if (ddr_resfile_load(path, &rf, &err) == DDR_OK) /* says why it cannot be read */
      ddr_resfile_free(rf);
    return cli_fail(&err);
  }
  if (ddr_sweep_table_load(path, &t, &err)) return cli_fail(&err);
  int status = 0;
  if (point < 0) {
    cli_print_sweep(t, format, stdout);
  } else if ((size_t)point >= t->npoints) {
    ddr_error_set(&err, DDR_EINPUT, NULL, 0, 0, NULL, "%s has %zu points (0 to %zu); no point %ld",
                  path, t->npoints, t->npoints - 1, point);
    status = cli_fail(&err);
  } else if (ddr_resfile_load_group(path, t->group[point], &rf, &err)) {
    status = cli_fail(&err);
  } else {
    if (strcmp(format, "table") == 0) {
      printf("Point %ld of %s:", point, path);
      for (size_t k = 0; k < t->nkeys; k++)
        printf(" %s=%s", t->keys[k], t->value[(size_t)point * t->nkeys + k]);
      printf("\n");
    }
    cli_print_summary(rf, format, stdout);
  }
  ddr_resfile_free(rf);
  ddr_sweep_table_free(t);
  return status;
}

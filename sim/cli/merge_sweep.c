/* `ddrsim merge` of a sweep's parts (ddrsim sweep --shard I/N, or the ranks
 * of an MPI sweep): the parts must run one design with one shard plan; then
 * each point's parts are joined by the run merge's own code into the point's
 * group of the sweep file, which is written as ddrsim sweep writes it. The
 * result is the one-process sweep's file but for the points' provenance. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ddrsim/part.h"
#include "ddrsim/sweep.h"

/* Parts of one sweep: one design, then one seed, replication count and
 * shard plan (checked as a run's). *first is the part of shard 1. */
static ddr_status check_sweep_parts(ddr_sweep_part *const *sp, size_t n, size_t *first,
                                    ddr_error *err) {
  const ddr_part_info **info = calloc(n, sizeof *info);
  const char **name = calloc(n, sizeof *name);
  size_t *slot = calloc(n, sizeof *slot); /* the plan fits the parts given */
  ddr_status rc = DDR_OK;
  if (!info || !name || !slot) {
    rc = ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    goto done;
  }
  for (size_t i = 0; i < n; i++) info[i] = &sp[i]->info, name[i] = sp[i]->path;
  for (size_t i = 0; i < n && !rc; i++) {
    if (strcmp(sp[0]->design->text, sp[i]->design->text))
      rc = ddr_error_set(err, DDR_EINPUT, sp[i]->path, 0, 0, NULL,
                         "%s and %s are parts of sweeps of different designs (their design "
                         "files differ)",
                         sp[0]->path, sp[i]->path);
  }
  if (!rc && !(rc = cli_merge_plan(info, name, n, "sweep", slot, err))) *first = slot[0];
done:
  free(info);
  free(name);
  free(slot);
  return rc;
}

/* Point p's parts, one from each file, joined into the sweep's scratch run
 * file, then copied into the point's group. */
static ddr_status merge_point(const char *const *paths, size_t n, size_t p, ddr_sweep_file *sf,
                              const char *command_line, ddr_error *err) {
  char group[32];
  snprintf(group, sizeof group, "/points/%04zu", p);
  ddr_part **part = calloc(n, sizeof *part);
  ddr_status rc = DDR_OK;
  if (!part) return ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory");
  for (size_t i = 0; i < n && !rc; i++) rc = ddr_part_open_group(paths[i], group, &part[i], err);
  if (!rc) rc = cli_merge_run(part, n, ddr_sweep_file_point_path(sf), 1, 0, command_line, err);
  for (size_t i = 0; i < n; i++) ddr_part_close(part[i]);
  free(part);
  return rc ? rc : ddr_sweep_file_add_point(sf, p, err);
}

ddr_status cli_merge_sweep_parts(const char *const *paths, size_t n, const char *output, int force,
                                 const char *command_line, ddr_error *err) {
  ddr_sweep_part **sp = calloc(n, sizeof *sp);
  ddr_sweep_file *sf = NULL;
  size_t first = 0;
  ddr_status rc = DDR_OK;
  if (!sp) return ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory");
  for (size_t i = 0; i < n && !rc; i++) rc = ddr_sweep_part_open(paths[i], &sp[i], err);
  if (rc || (rc = check_sweep_parts(sp, n, &first, err))) goto done;
  const ddr_sweep_part *top = sp[first];
  if ((rc = ddr_sweep_file_create(output, force, top->design, top->scenario_file, NULL, &sf, err)))
    goto done;
  for (size_t p = 0; p < top->design->npoints && !rc; p++)
    rc = merge_point(paths, n, p, sf, command_line, err);
  if (!rc) {
    ddr_sweep_file *f = sf;
    sf = NULL; /* finish frees it */
    rc = ddr_sweep_file_finish(f, err);
  }
done:
  ddr_sweep_file_abort(sf);
  for (size_t i = 0; i < n; i++) ddr_sweep_part_free(sp[i]);
  free(sp);
  return rc;
}

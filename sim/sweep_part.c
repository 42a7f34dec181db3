/* Sweep part files (ddrsim sweep --shard I/N, or an MPI rank's share of a
 * sweep): a sweep file whose every point is a run's part file of the same
 * shard, with the shard plan at the top (/part, as in a run's part) and the
 * design it runs. This reads the top, for ddrsim merge, which joins each
 * point's parts with the run merge's code. Layout: docs/file-format.md. */
#include <stdlib.h>
#include <string.h>

#include "ddrsim/sweep.h"
#include "h5util.h"
#include "store_part.h"

static ddr_status damaged(ddr_error *err, const char *path, const char *what) {
  const char *why = ddr_h5_error_text();
  return ddr_error_set(err, DDR_EINPUT, path, 0, 0, NULL, "cannot read %s in %s%s%s", what, path,
                       why[0] ? ": " : "", why);
}

/* The design at the top: its text parsed again gives the same points. */
static ddr_status read_design(hid_t f, ddr_sweep_part *sp, ddr_error *err) {
  char *text = NULL, *file = NULL;
  hid_t g = ddr_h5_exists(f, "design") ? H5Gopen2(f, "design", H5P_DEFAULT) : H5I_INVALID_HID;
  int bad = g < 0 || !(file = ddr_h5_read_attr_string(g, "file")) ||
            !(sp->scenario_file = ddr_h5_read_attr_string(g, "scenario_file")) ||
            ddr_h5_read_strings(g, "text", 1, &text) < 0;
  if (g >= 0) H5Gclose(g);
  ddr_status st = bad ? damaged(err, sp->path, "/design")
                      : ddr_sweep_design_parse(file, text, strlen(text), &sp->design, err);
  free(text);
  free(file);
  return st;
}

ddr_status ddr_sweep_part_open(const char *path, ddr_sweep_part **out, ddr_error *err) {
  *out = NULL;
  int is = ddr_sweep_file_is_part(path);
  if (is < 0)
    return ddr_error_set(err, DDR_EIO, path, 0, 0, NULL, "cannot open %s as an HDF5 file", path);
  if (!is)
    return ddr_error_set(err, DDR_EINPUT, path, 0, 0, NULL,
                         "%s is not a part of a sweep; write them with ddrsim sweep --shard I/N "
                         "(and parts of a run with ddrsim run --shard I/N)",
                         path);
  ddr_sweep_part *sp = calloc(1, sizeof *sp);
  if (!sp || !(sp->path = strdup(path))) {
    free(sp);
    return ddr_error_set(err, DDR_ENOMEM, path, 0, 0, NULL, "out of memory");
  }
  ddr_h5_error_reset();
  hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
  uint64_t npoints = 0;
  ddr_status st = DDR_OK;
  if (f < 0 || ddr_part_get_header(f, &sp->info) < 0)
    st = damaged(err, path, "/part");
  else if (ddr_h5_read_attr_uint64(f, "sweep_points", &npoints) < 0)
    st = damaged(err, path, "the attribute sweep_points");
  else if (!(st = read_design(f, sp, err)) && sp->design->npoints != npoints)
    st = ddr_error_set(err, DDR_EINPUT, path, 0, 0, NULL,
                       "%s is damaged: it says %llu points but its design has %zu", path,
                       (unsigned long long)npoints, sp->design->npoints);
  if (f >= 0) H5Fclose(f);
  if (st) {
    ddr_sweep_part_free(sp);
    return st;
  }
  *out = sp;
  return DDR_OK;
}

void ddr_sweep_part_free(ddr_sweep_part *sp) {
  if (!sp) return;
  ddr_sweep_design_free(sp->design);
  free(sp->scenario_file);
  free(sp->path);
  free(sp);
}

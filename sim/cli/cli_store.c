/* The result-file store's header for a loaded scenario, for commands that
 * write runs (ddrsim sweep writes one per design point). */
#include <stdlib.h>

#include "cli.h"
#include "ddrsim/inputs.h"
#include "ddrsim/yaml.h"

void cli_header_arrays_free(cli_header_arrays *arr) {
  free(arr->inputs);
  free(arr->metrics);
  free(arr->targets);
  free(arr->kinds);
  free(arr->parents);
}

ddr_status cli_store_header(const ddr_scenario *scn, const char *resolved, int full, uint64_t reps,
                            ddr_store_header *h, cli_header_arrays *arr, ddr_error *err) {
  const ddr_inputs *in = ddr_scenario_inputs(scn);
  size_t ni = ddr_inputs_count(in), nm = ddr_scenario_metric_count(scn),
         nt = ddr_scenario_target_count(scn), nk = ddr_scenario_event_kind_count(scn);
  arr->inputs = calloc(ni + 1, sizeof *arr->inputs);
  arr->metrics = calloc(nm + 1, sizeof *arr->metrics);
  arr->targets = calloc(nt + 1, sizeof *arr->targets);
  arr->kinds = calloc(2 * nk + 1, sizeof *arr->kinds);
  arr->parents = calloc(DDR_YAML_MAX_EXTENDS, sizeof *arr->parents);
  if (!arr->inputs || !arr->metrics || !arr->targets || !arr->kinds || !arr->parents)
    return ddr_error_set(err, DDR_ENOMEM, NULL, 0, 0, NULL, "out of memory");
  for (size_t k = 0; k < nk; k++) {
    arr->kinds[k] = ddr_scenario_event_kind_name(scn, k);
    arr->kinds[nk + k] = ddr_scenario_event_kind_label(scn, k);
  }
  for (size_t i = 0; i < ni; i++) arr->inputs[i] = ddr_inputs_get(in, i);
  for (size_t i = 0; i < nm; i++) arr->metrics[i] = ddr_scenario_metric(scn, i);
  for (size_t i = 0; i < nt; i++) arr->targets[i] = ddr_scenario_target(scn, i);
  size_t np = 0;
  for (const ddr_ydoc *d = ddr_ydoc_parent(ddr_scenario_doc(scn)); d && np < DDR_YAML_MAX_EXTENDS;
       d = ddr_ydoc_parent(d))
    arr->parents[np++] =
        (ddr_store_source){ddr_ydoc_name(d), ddr_ydoc_text(d), ddr_ydoc_text_len(d)};
  *h = (ddr_store_header){.scenario_name = ddr_scenario_name(scn),
                          .description = ddr_scenario_description(scn),
                          .scenario_file = ddr_scenario_file(scn),
                          .scenario_text = ddr_scenario_text(scn),
                          .scenario_text_len = ddr_scenario_text_len(scn),
                          .resolved_text = resolved,
                          .cal = ddr_scenario_calendar(scn),
                          .ninputs = ni,
                          .inputs = arr->inputs,
                          .nmetrics = nm,
                          .metrics = arr->metrics,
                          .ntargets = nt,
                          .targets = arr->targets,
                          .full = full,
                          .replications = reps,
                          .nevent_kinds = nk,
                          .event_kind_names = arr->kinds,
                          .event_kind_labels = arr->kinds + nk,
                          .nparents = np,
                          .parents = arr->parents};
  return DDR_OK;
}

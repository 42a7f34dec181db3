/* libFuzzer harness (a): bytes as a scenario file, read through
 * ddr_scenario_load_string as `ddrsim validate` and `run` read a file
 * (ddr_scenario_load reads the file, then does the same). The input is named
 * as if it lay in scenarios/, so `extends: mali-2020-baseline.yaml` reaches
 * the shipped files and what-ifs are fuzzed with their parents. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ddr_error err;
  ddr_scenario *scn = NULL;
  ddr_error_clear(&err);
  ddr_status st = ddr_scenario_load_string(DDR_FUZZ_ROOT "/scenarios/fuzz-input.yaml",
                                           (const char *)data, size, NULL, 0, &scn, &err);
  if (st)
    fuzz_check_error(st, &err);
  else
    fuzz_exercise(scn);
  ddr_scenario_free(scn);
  return 0;
}

/* The registry of domain models the engine can run, by name. */
#include <string.h>

#include "ddrsim/model.h"
#include "pipeline_impl.h"

const ddr_model_type *const ddr_model_types[] = {&ddr_model_pipeline, NULL};

const ddr_model_type *ddr_model_find(const char *name) {
  for (size_t i = 0; ddr_model_types[i]; i++)
    if (strcmp(ddr_model_types[i]->name, name) == 0) return ddr_model_types[i];
  return NULL;
}

/* libFuzzer harness (b): bytes as `--set KEY=VALUE` arguments applied to the
 * shipped baseline. NUL bytes separate arguments, as they do in argv (at most
 * FUZZ_MAX_SETS; an argument without '=' is a usage error, as on the command
 * line). The baseline's text is read once and loaded from memory each time. */
#include "fuzz_common.h"

#define FUZZ_MAX_SETS 8
#define BASELINE      DDR_FUZZ_ROOT "/scenarios/mali-2020-baseline.yaml"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *baseline;
static size_t baseline_len;

static void read_baseline(void) {
  FILE *fp = fopen(BASELINE, "rb");
  if (!fp || fseek(fp, 0, SEEK_END) || (baseline_len = (size_t)ftell(fp)) == 0 ||
      fseek(fp, 0, SEEK_SET) || !(baseline = malloc(baseline_len)) ||
      fread(baseline, 1, baseline_len, fp) != baseline_len) {
    fprintf(stderr, "fuzz_set: cannot read %s\n", BASELINE);
    abort();
  }
  fclose(fp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!baseline) read_baseline();
  /* a terminated copy, cut into arguments at each NUL */
  char *buf = malloc(size + 1);
  if (!buf) return 0;
  memcpy(buf, data, size);
  buf[size] = '\0';
  const char *sets[FUZZ_MAX_SETS];
  size_t nsets = 0;
  for (size_t at = 0; at < size && nsets < FUZZ_MAX_SETS; at += strlen(buf + at) + 1)
    sets[nsets++] = buf + at;
  ddr_error err;
  ddr_scenario *scn = NULL;
  ddr_error_clear(&err);
  ddr_status st =
      ddr_scenario_load_string(BASELINE, baseline, baseline_len, sets, nsets, &scn, &err);
  if (st)
    fuzz_check_error(st, &err);
  else
    fuzz_exercise(scn);
  ddr_scenario_free(scn);
  free(buf);
  return 0;
}

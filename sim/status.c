/* Status texts and the error context shared by every module. */
#include "ddrsim/status.h"

#include <stdarg.h>
#include <string.h>

const char *ddr_status_text(ddr_status st) {
  switch (st) {
#define DDR_STATUS_CASE(name, code, text)                                                          \
  case name:                                                                                       \
    return text;
    DDR_STATUS_LIST(DDR_STATUS_CASE)
#undef DDR_STATUS_CASE
  }
  return "unknown status";
}

void ddr_error_clear(ddr_error *err) {
  if (err) memset(err, 0, sizeof *err);
}

ddr_status ddr_error_set(ddr_error *err, ddr_status st, const char *file, int line, int column,
                         const char *key, const char *fmt, ...) {
  if (!err) return st;
  err->status = st;
  snprintf(err->file, sizeof err->file, "%s", file ? file : "");
  err->line = line;
  err->column = column;
  snprintf(err->key, sizeof err->key, "%s", key ? key : "");
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->msg, sizeof err->msg, fmt, ap);
  va_end(ap);
  return st;
}

void ddr_error_format(const ddr_error *err, char *buf, size_t size) {
  size_t n = 0;
  buf[0] = '\0';
#define APPEND(...)                                                                                \
  do {                                                                                             \
    if (n < size) n += (size_t)snprintf(buf + n, size - n, __VA_ARGS__);                           \
  } while (0)
  if (err->file[0]) {
    APPEND("%s:", err->file);
    if (err->line > 0) APPEND("%d:", err->line);
    if (err->line > 0 && err->column > 0) APPEND("%d:", err->column);
    APPEND(" ");
  }
  if (err->key[0]) APPEND("%s: ", err->key);
  APPEND("%s", err->msg[0] ? err->msg : ddr_status_text(err->status));
#undef APPEND
}

void ddr_error_print(const ddr_error *err, FILE *fp) {
  char buf[DDR_ERROR_FILE_MAX + DDR_ERROR_KEY_MAX + DDR_ERROR_MSG_MAX + 64];
  ddr_error_format(err, buf, sizeof buf);
  fprintf(fp, "ddrsim: %s\n", buf);
}

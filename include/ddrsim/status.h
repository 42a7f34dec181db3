/* Status codes and error context: every failing call reports through a ddr_error,
 * which carries where (file:line:column, key path) and what (expected vs found)
 * up to the one place that prints it. */
#ifndef DDRSIM_STATUS_H
#define DDRSIM_STATUS_H

#include <stdio.h>

/* One list gives the codes, their process exit codes and their texts, so the
 * three cannot drift apart. */
#define DDR_STATUS_LIST(X)                                                                         \
  X(DDR_OK, 0, "success")                                                                          \
  X(DDR_EUSAGE, 2, "usage error")                                                                  \
  X(DDR_EINPUT, 3, "invalid input")                                                                \
  X(DDR_EIO, 4, "input/output error")                                                              \
  X(DDR_EEXIST, 5, "output exists")                                                                \
  X(DDR_ENOMEM, 6, "out of memory")                                                                \
  X(DDR_EINTERRUPT, 7, "interrupted")                                                              \
  X(DDR_EINTERNAL, 70, "internal error")

typedef enum {
#define DDR_STATUS_ENUM(name, code, text) name = code,
  DDR_STATUS_LIST(DDR_STATUS_ENUM)
#undef DDR_STATUS_ENUM
} ddr_status;

#define DDR_ERROR_FILE_MAX 512
#define DDR_ERROR_KEY_MAX  256
#define DDR_ERROR_MSG_MAX  1024

typedef struct ddr_error {
  ddr_status status;             /* DDR_OK when nothing went wrong */
  char file[DDR_ERROR_FILE_MAX]; /* scenario or data file, "" if none */
  int line, column;              /* 1-based; 0 when not known */
  char key[DDR_ERROR_KEY_MAX];   /* key path such as nodes.training.centres.gao.seats */
  char msg[DDR_ERROR_MSG_MAX];   /* what was expected and what was found */
} ddr_error;

/* Text of a status code ("invalid input"). */
const char *ddr_status_text(ddr_status st);

/* Clear an error to DDR_OK. */
void ddr_error_clear(ddr_error *err);

/* Fill err (if not NULL) and return st, so callers can write
 * `return ddr_error_set(err, DDR_EINPUT, file, line, col, key, "expected ...");`.
 * file and key may be NULL. */
ddr_status ddr_error_set(ddr_error *err, ddr_status st, const char *file, int line, int column,
                         const char *key, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

/* Print "file:line:col: key: message" (parts that are unknown are left out). */
void ddr_error_print(const ddr_error *err, FILE *fp);

/* Format the error as the printed line, without newline, into buf. */
void ddr_error_format(const ddr_error *err, char *buf, size_t size);

#endif

/* Shared pieces of the ddrsim command line. */
#ifndef DDRSIM_CLI_H
#define DDRSIM_CLI_H

#include <stdio.h>
#include "ddrsim/status.h"
#include "ddrsim/store.h"

int cmd_run(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_summary(int argc, char **argv);
int cmd_plot(int argc, char **argv);

/* A whole text file, malloc'd; NULL if it cannot be read. */
char *cli_read_text(const char *path);

/* Print the error once and return the process exit code for it. */
int cli_fail(const ddr_error *err);
/* A usage error: message, then a hint to --help; returns DDR_EUSAGE. */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The shipped baseline scenario: found beside the working directory, in the
 * installed data directory, or in the source tree. NULL if none. */
const char *cli_default_scenario(void);

/* Parse a non-negative integer option value; -1 on error. */
int cli_parse_u64(const char *s, unsigned long long *out);

/* The summary of a result file in the given format (table, csv, json). */
int cli_print_summary(const ddr_resfile *rf, const char *format, FILE *fp);

#endif

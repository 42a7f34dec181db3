/* Output paths of the commands that write files (plot, report, sweep):
 * checked before any work, and errors about the temporary files written
 * beside them told in terms of the path the user gave; and text files
 * written whole, with every failure reported. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

void cli_output_dir(const char *path, char *dir, size_t size) {
  const char *slash = strrchr(path, '/');
  if (!slash)
    snprintf(dir, size, ".");
  else
    snprintf(dir, size, "%.*s", slash == path ? 1 : (int)(slash - path), path);
}

ddr_status cli_output_check(const char *path, ddr_error *err) {
  struct stat sb;
  char dir[4096];
  if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
    return ddr_error_set(err, DDR_EIO, NULL, 0, 0, NULL, "%s is a directory", path);
  cli_output_dir(path, dir, sizeof dir);
  if (stat(dir, &sb) != 0 && errno == ENOENT)
    return ddr_error_set(err, DDR_EIO, NULL, 0, 0, NULL,
                         "cannot write %s: directory %s does not exist", path, dir);
  if (stat(dir, &sb) != 0)
    return ddr_error_set(err, DDR_EIO, NULL, 0, 0, NULL, "cannot write %s: directory %s: %s", path,
                         dir, strerror(errno));
  if (!S_ISDIR(sb.st_mode))
    return ddr_error_set(err, DDR_EIO, NULL, 0, 0, NULL, "cannot write %s: %s is not a directory",
                         path, dir);
  /* access() tells a read-only file system (EROFS) even to root */
  if (access(dir, W_OK) != 0)
    return ddr_error_set(err, DDR_EIO, NULL, 0, 0, NULL, "cannot write %s: %s", path,
                         strerror(errno));
  return DDR_OK;
}

void cli_output_blame(ddr_error *err, const char *temp, const char *output) {
  char *at = temp && temp[0] ? strstr(err->msg, temp) : NULL;
  if (!at) return;
  /* the temporary name runs to the next ':', ' ' or end of the message */
  size_t len = strcspn(at + strlen(temp), ": ") + strlen(temp);
  char msg[DDR_ERROR_MSG_MAX];
  snprintf(msg, sizeof msg, "%.*s%s%s", (int)(at - err->msg), err->msg, output, at + len);
  snprintf(err->msg, sizeof err->msg, "%s", msg);
  if (strncmp(err->file, temp, strlen(temp)) == 0)
    snprintf(err->file, sizeof err->file, "%s", output);
}

ddr_status cli_write_text(const char *path, const char *text, size_t len, ddr_error *err) {
  FILE *f = fopen(path, "w");
  int bad = !f || fwrite(text, 1, len, f) != len;
  int e = errno;
  /* fclose once, failed or not: it flushes, and may be what fails */
  if (f && fclose(f) != 0 && !bad) {
    bad = 1;
    e = errno;
  }
  if (bad)
    return ddr_error_set(err, DDR_EIO, NULL, 0, 0, NULL, "cannot write %s: %s", path, strerror(e));
  return DDR_OK;
}

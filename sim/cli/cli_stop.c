/* Ctrl-C and SIGTERM for the commands that write result files: the first
 * signal asks the run to stop after the current replication (the command
 * then removes its temporary files itself); a second removes them at once
 * and ends the process. */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "cli.h"

volatile sig_atomic_t cli_stop_requested;
static volatile sig_atomic_t urgent;

#define NTEMP 4
static char temp[NTEMP][4096];
static volatile sig_atomic_t have[NTEMP];

static void on_signal(int sig) {
  (void)sig;
  if (urgent) /* the process may never get to remove them itself */
    for (int i = 0; i < NTEMP; i++)
      if (have[i]) unlink(temp[i]), have[i] = 0;
  if (cli_stop_requested) {
    for (int i = 0; i < NTEMP; i++)
      if (have[i]) unlink(temp[i]);
    _exit(DDR_EINTERRUPT);
  }
  cli_stop_requested = 1;
}

void cli_stop_install(void) {
  struct sigaction sa = {0};
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
}

void cli_stop_urgent(void) {
  urgent = 1;
}

void cli_stop_temp(int slot, const char *path) {
  if (slot < 0 || slot >= NTEMP) return;
  have[slot] = 0; /* not read half written by the handler */
  if (!path) return;
  snprintf(temp[slot], sizeof temp[slot], "%s", path);
  have[slot] = 1;
}

ddr_status cli_store_create(int slot, const char *path, int force, const ddr_store_header *hdr,
                            ddr_store **st, ddr_error *err) {
  /* no signal between the temporary file appearing and its name being known */
  sigset_t block, saved;
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigaddset(&block, SIGTERM);
  sigprocmask(SIG_BLOCK, &block, &saved);
  ddr_status rc = ddr_store_create(path, force, hdr, st, err);
  if (!rc) cli_stop_temp(slot, ddr_store_temp_path(*st));
  sigprocmask(SIG_SETMASK, &saved, NULL);
  return rc;
}

void cli_command_line(int argc, char **argv, char *buf, size_t size) {
  size_t n = (size_t)snprintf(buf, size, "ddrsim");
  for (int i = 0; i < argc && n < size; i++)
    n += (size_t)snprintf(buf + n, size - n, " %s", argv[i]);
}

/* Interrupted and long runs lose nothing: ddrsim run --checkpoint DIR killed
 * (SIGKILL) at many moments and resumed with --resume gives the file of an
 * uninterrupted run (h5diff, all but /provenance); Ctrl-C stops a run
 * promptly, keeping nothing under the output name, or with a checkpoint
 * keeping the finished segments; --resume refuses another run's
 * checkpoint; --extend adds replications to a finished run as if run all
 * at once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cliutil.h"

#define BASELINE "scenarios/mali-2020-baseline.yaml"
#define REPS     "1200"

static int setup(void **state) {
  (void)state;
  if (tu_make_dir("checkpoint")) return -1;
  /* the run every interrupted run must come back to, in one go */
  if (sh("%s run %s/%s -n " REPS " -j 1 -q --store full -o ref.h5", tu_bin(), tu_source_dir(),
         BASELINE)) {
    fprintf(stderr, "reference run failed: %s\n", out);
    return -1;
  }
  return 0;
}

static int teardown(void **state) {
  (void)state;
  return tu_remove_dir();
}

/* The same file as ref.h5 but for /provenance. */
static void assert_same_as_ref(const char *file) {
  if (sh("h5diff --exclude-path /provenance ref.h5 %s", file))
    fail_msg("%s differs from the uninterrupted run: %s", file, out);
}

/* What may lie in the checkpoint after a kill: segments, and the temporary
 * file of the one being written. */
static void assert_only_segments(const char *ck) {
  sh("ls -A %s 2>/dev/null | grep -v -e '^segment-[0-9]*\\.h5$' -e '^\\.segment-.*\\.tmp\\.' "
     "-e '^\\.lock$' || true",
     ck);
  if (*out) fail_msg("unexpected files in %s: %s", ck, out);
}

static int run_cmd(char *buf, size_t size, const char *ck, const char *extra) {
  return snprintf(buf, size,
                  "%s run %s/%s -n " REPS " -j 1 -q --store full -o %s.h5 --checkpoint %s "
                  "--checkpoint-every 256 %s",
                  tu_bin(), tu_source_dir(), BASELINE, ck, ck, extra);
}

/* Uninterrupted with a checkpoint: the same file, the checkpoint removed. */
static void test_checkpoint_whole(void **state) {
  (void)state;
  char cmd[2048];
  run_cmd(cmd, sizeof cmd, "whole", "");
  assert_int_equal(sh("%s", cmd), 0);
  assert_same_as_ref("whole.h5");
  assert_int_equal(sh("test ! -e whole"), 0);
}

/* SIGKILL at chosen moments, each while resuming the run the last kill cut
 * short, then resumed to the end: before anything is written, while a
 * segment is being written, just after one is complete, and while the
 * segments are being joined into the output. Each kill loses at most the
 * segment being written; a moment the run has passed already is skipped. */
static void test_kill_and_resume(void **state) {
  (void)state;
  /* shell tests, polled every 5 ms, that say the moment has come */
  static const char *const moments[] = {
      "true",                                         /* at once: loading the scenario */
      "ls -A killed | grep -q '^\\.segment-'",        /* a segment being written */
      "[ $(ls killed | grep -c '^segment-') -ge 2 ]", /* two complete */
      "ls -A | grep -q '^\\.killed\\.h5\\.tmp\\.'",   /* joining them into the output */
  };
  char cmd[2048];
  int killed = 0;
  for (size_t k = 0; k < sizeof moments / sizeof *moments; k++) {
    run_cmd(cmd, sizeof cmd, "killed", k ? "--resume" : "");
    sh("%s & p=$!; i=0; until %s || [ $i -ge 2000 ]; do sleep 0.005; i=$((i + 1)); done; "
       "kill -9 $p 2>/dev/null && echo killed; wait $p; true",
       cmd, moments[k]);
    killed += strstr(out, "killed") != NULL;
    if (sh("test -e killed.h5") == 0) break; /* finished before the kill */
    assert_only_segments("killed");
  }
  printf("killed %d times\n", killed);
  if (killed < 3) fail_msg("only %d runs were killed: the moments came too late", killed);
  run_cmd(cmd, sizeof cmd, "killed", "--resume --force");
  if (sh("%s", cmd)) fail_msg("resume failed: %s", out);
  assert_same_as_ref("killed.h5");
  assert_int_equal(sh("test ! -e killed"), 0);
  /* a kill while joining leaves the output's temporary file: the resume
   * removes it */
  assert_int_equal(sh("ls -A | grep -c '^\\.killed\\.h5\\.tmp\\.'"), 1);
}

/* SIGTERM (as Slurm sends) with a checkpoint: the finished segments stay, the
 * message says how to go on, nothing is written under the output name;
 * --resume then finishes the run. */
static void test_interrupt_keeps_checkpoint(void **state) {
  (void)state;
  char cmd[2048];
  run_cmd(cmd, sizeof cmd, "stopped", "");
  int rc = sh("%s & p=$!; i=0; while [ $i -lt 200 ] && ! ls stopped/segment-* >/dev/null 2>&1; "
              "do sleep 0.05; i=$((i + 1)); done; kill -TERM $p; wait $p",
              cmd);
  assert_int_equal(rc, 7);
  tu_assert_contains(out, "--resume");
  tu_assert_contains(out, "kept in stopped");
  assert_int_equal(sh("test ! -e stopped.h5"), 0);
  assert_only_segments("stopped");
  assert_int_equal(sh("ls stopped | grep -c '^segment-'"), 0);
  run_cmd(cmd, sizeof cmd, "stopped", "--resume");
  assert_int_equal(sh("%s", cmd), 0);
  assert_same_as_ref("stopped.h5");
}

/* Ctrl-C without a checkpoint, in the middle of a long run: the run stops
 * (well within the wait below; the time it took is printed), exits 7 and
 * leaves neither the output nor a temporary file; an existing output is
 * untouched. */
static void test_interrupt_plain(void **state) {
  (void)state;
  assert_int_equal(sh("echo precious > kept.h5"), 0);
  int rc = sh("%s run %s/%s -n 4000000 -j 2 -q -o kept.h5 --force & p=$!; i=0; "
              "while [ $i -lt 200 ] && ! ls -A | grep -q '^\\.kept\\.h5\\.tmp\\.'; do sleep 0.05; "
              "i=$((i + 1)); done; sleep 0.5; t0=$(date +%%s.%%N); kill -INT $p; "
              "i=0; while kill -0 $p 2>/dev/null && [ $i -lt 200 ]; do sleep 0.02; i=$((i + 1)); "
              "done; t1=$(date +%%s.%%N); wait $p; r=$?; "
              "awk \"BEGIN { printf \\\"stopped in %%.2f s\\\\n\\\", $t1 - $t0 }\"; exit $r",
              tu_bin(), tu_source_dir(), BASELINE);
  printf("Ctrl-C: %s", strstr(out, "stopped in") ? strstr(out, "stopped in") : out);
  assert_int_equal(rc, 7);
  tu_assert_contains(out, "nothing was written to kept.h5");
  assert_int_equal(sh("cat kept.h5"), 0);
  tu_assert_contains(out, "precious");
  assert_int_equal(sh("ls -A | grep -c '^\\.kept\\.h5\\.tmp\\.'"), 1); /* grep finds none */
}

/* --resume refuses a checkpoint of another run, naming the segment and the
 * difference; a checkpoint is not reused without --resume. */
static void test_resume_errors(void **state) {
  (void)state;
  char cmd[2048];
  run_cmd(cmd, sizeof cmd, "other", "");
  sh("%s & p=$!; i=0; while [ $i -lt 200 ] && ! ls other/segment-* >/dev/null 2>&1; "
     "do sleep 0.05; i=$((i + 1)); done; kill -9 $p; wait $p; true",
     cmd);
  assert_int_equal(sh("ls other | grep -c '^segment-'") == 0, 1);
  run_cmd(cmd, sizeof cmd, "other", "--resume -s 7");
  assert_int_not_equal(sh("%s", cmd), 0);
  tu_assert_contains(out, "other/segment-");
  tu_assert_contains(out, "is a checkpoint of another run: its seed is 2531, not 7");
  run_cmd(cmd, sizeof cmd, "other",
          "--resume --set nodes.training.centres.national.courses_at_once=3");
  sh("%s", cmd);
  tu_assert_contains(out, "its scenario differs");
  run_cmd(cmd, sizeof cmd, "other", "");
  assert_int_not_equal(sh("%s", cmd), 0);
  tu_assert_contains(out, "other holds a checkpoint already; add --resume");
  assert_int_not_equal(sh("%s merge other/segment-*.h5 -o merged.h5", tu_bin()), 0);
  tu_assert_contains(out, "is a segment of a checkpoint (ddrsim run --checkpoint), not a shard");
  assert_int_equal(sh("test ! -e other.h5"), 0);
  /* usage errors */
  assert_int_equal(sh("%s run %s/%s --resume", tu_bin(), tu_source_dir(), BASELINE), 2);
  tu_assert_contains(out, "--resume needs --checkpoint DIR");
  assert_int_equal(
      sh("%s run %s/%s --checkpoint x --shard 1/2", tu_bin(), tu_source_dir(), BASELINE), 2);
  tu_assert_contains(out, "--checkpoint and --shard do not go together");
}

/* --extend adds replications to a finished run: in place for a run kept
 * --extendable, again to the extended file, and to a --store full run (its
 * tally rebuilt from the series, events included) into another file,
 * leaving it alone: each the file of a run of them all at once. */
static void test_extend(void **state) {
  (void)state;
  const char *b = tu_bin(), *src = tu_source_dir();
  assert_int_equal(sh("%s run %s/%s -n 500 -q --extendable -o ext.h5", b, src, BASELINE), 0);
  assert_int_equal(sh("%s run %s/%s -n 900 -q --extendable -o ext-all.h5", b, src, BASELINE), 0);
  assert_int_equal(sh("%s run %s/%s -n 1000 -q --extendable -o ext-more.h5", b, src, BASELINE), 0);
  assert_int_equal(sh("%s run --extend ext.h5 -n 400 -j 1", b), 0);
  tu_assert_contains(out, "900 replications");
  if (sh("h5diff --exclude-path /provenance ext-all.h5 ext.h5"))
    fail_msg("extended in place differs from the run of all: %s", out);
  assert_int_equal(sh("%s run --extend ext.h5 -n 100 -q", b), 0);
  if (sh("h5diff --exclude-path /provenance ext-more.h5 ext.h5"))
    fail_msg("extended twice differs from the run of all: %s", out);
  assert_int_equal(sh("ls -A | grep -c extend-"), 1); /* no hidden part left */
  /* --store full, with events: the tally rebuilt from the series */
  const char *shocks = "scenarios/mali-2020-security-shocks.yaml";
  assert_int_equal(sh("%s run %s/%s -n 300 -q --store full -o full.h5", b, src, shocks), 0);
  assert_int_equal(sh("%s run %s/%s -n 500 -q --store full -o full-all.h5", b, src, shocks), 0);
  assert_int_equal(sh("cp full.h5 full-before.h5"), 0);
  assert_int_equal(sh("%s run --extend full.h5 -n 200 -q -o full-ext.h5", b), 0);
  if (sh("h5diff --exclude-path /provenance --exclude-path /tally full-all.h5 full-ext.h5"))
    fail_msg("extended --store full run differs from the run of all: %s", out);
  assert_int_equal(sh("cmp full.h5 full-before.h5"), 0); /* -o: FILE left alone */
  /* -o onto an existing file needs --force */
  assert_int_not_equal(sh("%s run --extend full.h5 -n 200 -q -o full-ext.h5", b), 0);
  tu_assert_contains(out, "full-ext.h5 exists; refusing to overwrite it");
}

/* What --extend cannot do, said clearly, with FILE untouched. */
static void test_extend_errors(void **state) {
  (void)state;
  const char *b = tu_bin(), *src = tu_source_dir();
  assert_int_equal(sh("%s run %s/%s -n 100 -q -o plain.h5", b, src, BASELINE), 0);
  assert_int_equal(sh("cp plain.h5 plain-before.h5"), 0);
  assert_int_not_equal(sh("%s run --extend plain.h5 -n 50", b), 0);
  tu_assert_contains(out, "plain.h5 keeps neither its tally nor its series");
  tu_assert_contains(out, "--extendable");
  tu_assert_contains(out, "-n 150");
  assert_int_equal(sh("cmp plain.h5 plain-before.h5"), 0);
  assert_int_equal(sh("%s run %s/%s -n 100 -q --shard 1/2 -o part.h5", b, src, BASELINE), 0);
  assert_int_not_equal(sh("%s run --extend part.h5 -n 50", b), 0);
  tu_assert_contains(out, "part.h5 is a part file");
  assert_int_not_equal(sh("%s run --extend missing.h5 -n 50", b), 0);
  tu_assert_contains(out, "missing.h5");
  assert_int_equal(sh("%s run --extend plain.h5", b), 2);
  tu_assert_contains(out, "--extend needs -n MORE");
  assert_int_equal(sh("%s run %s/%s --extend plain.h5 -n 5", b, src, BASELINE), 2);
  tu_assert_contains(out, "a scenario does not go with it");
  assert_int_equal(sh("%s run --extend plain.h5 -n 5 -s 3", b), 2);
  tu_assert_contains(out, "-s does not go with it");
}

/* A checkpoint whose segments are all done but whose result could not be
 * written (its directory vanished during the run) is joined by --resume;
 * a second run on a checkpoint in use is refused. */
static void test_resume_finished_and_locked(void **state) {
  (void)state;
  char cmd[2048];
  assert_int_equal(sh("mkdir -p gone"), 0);
  snprintf(cmd, sizeof cmd,
           "%s run %s/%s -n 600 -j 1 -q -o gone/x.h5 --checkpoint fin --checkpoint-every 256",
           tu_bin(), tu_source_dir(), BASELINE);
  /* the first run held (SIGSTOP) once it has a segment, while a second
   * tries the checkpoint and the output's directory goes */
  int rc = sh("%s & p=$!; i=0; until ls fin/segment-* >/dev/null 2>&1 || [ $i -ge 2000 ]; "
              "do sleep 0.005; i=$((i + 1)); done; kill -STOP $p; "
              "%s --resume 2>&1 | sed 's/^/second: /'; rmdir gone; kill -CONT $p; wait $p",
              cmd, cmd);
  assert_int_not_equal(rc, 0);
  tu_assert_contains(out, "second: ddrsim: fin: another run is using the checkpoint fin");
  tu_assert_contains(out, "gone/x.h5");
  assert_int_equal(sh("ls fin | grep -c '^segment-'"), 0);
  assert_int_equal(sh("mkdir gone && %s --resume", cmd), 0);
  assert_int_equal(sh("test ! -e fin && test -f gone/x.h5"), 0);
  assert_int_equal(
      sh("%s run %s/%s -n 600 -j 1 -q -o fin-ref.h5", tu_bin(), tu_source_dir(), BASELINE), 0);
  if (sh("h5diff --exclude-path /provenance fin-ref.h5 gone/x.h5"))
    fail_msg("a finished checkpoint resumed differs: %s", out);
  /* more than a run may have */
  assert_int_not_equal(sh("%s run --extend fin-ref.h5 -n 4000000000", tu_bin()), 0);
  tu_assert_contains(out, "would pass the most a run may have");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_checkpoint_whole),
      cmocka_unit_test(test_kill_and_resume),
      cmocka_unit_test(test_interrupt_keeps_checkpoint),
      cmocka_unit_test(test_interrupt_plain),
      cmocka_unit_test(test_resume_errors),
      cmocka_unit_test(test_extend),
      cmocka_unit_test(test_extend_errors),
      cmocka_unit_test(test_resume_finished_and_locked),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

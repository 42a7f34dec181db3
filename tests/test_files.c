/* Disk and files: every command that writes (run, run --shard, merge, sweep,
 * export, plot, report) on a full disk, a read-only directory, a missing
 * directory and an output path that is a directory gives a clear error
 * naming the path and the cause, exits non-zero, and leaves nothing behind:
 * no temporary file, no half-written output, an existing file untouched.
 * Every command that reads result files refuses a foreign HDF5 file, a
 * truncated one, a file that is not HDF5 and one of a newer format version.
 *
 * Full disks and read-only directories are tmpfs mounts, which need root;
 * where mounting is not allowed those cases are skipped, saying why. Each
 * test's teardown unmounts what it mounted, even when the test failed. */
#include <hdf5.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cliutil.h"
#include "ddrsim/status.h"

#define SCN "scenarios/mali-2020-baseline.yaml"

/* The commands that write, each with "%s" for its output's name without
 * extension (export: its directory). */
typedef struct writer {
  const char *name;
  const char *args; /* after "ddrsim ", %s the output (scn.yaml: the baseline) */
  const char *ext;  /* the output's extension ("" for export's directory) */
} writer;

static const writer writers[] = {
    {"run", "run scn.yaml -n 20 -q -o %s.h5", ".h5"},
    {"run --shard", "run scn.yaml -n 20 -q --shard 1/2 -o %s.h5", ".h5"},
    {"merge", "merge p1.h5 p2.h5 -q -o %s.h5", ".h5"},
    {"sweep", "sweep scn.yaml grid.yaml -n 4 -q -o %s.h5", ".h5"},
    {"export", "export good.h5 --csv %s", ""},
    {"plot", "plot good.h5 -o %s.png", ".png"},
    {"report (HTML)", "report good.h5 -o %s.html", ".html"},
    {"report (Markdown)", "report good.h5 -o %s.md", ".md"},
};
#define NWRITERS (sizeof writers / sizeof *writers)

/* Run writer w with output base; returns its exit code. */
static int run_writer(const writer *w, const char *base) {
  char args[1024];
  snprintf(args, sizeof args, w->args, base);
  return sh("%s %s", tu_bin(), args);
}

/* Fail unless the last command exited with code and said each of the
 * (NULL-terminated) phrases. */
static void expect(const char *what, int rc, int code, ...) {
  va_list ap;
  if (rc != code) fail_msg("%s: exit %d, expected %d: %s", what, rc, code, out);
  va_start(ap, code);
  for (const char *p; (p = va_arg(ap, const char *));)
    if (!strstr(out, p)) fail_msg("%s: expected \"%s\" in: %s", what, p, out);
  va_end(ap);
}

/* Whether a tmpfs can be mounted here (root, and allowed to mount); if not,
 * why, for the skip message. */
static const char *why_no_mount(void) {
  static int tried, ok;
  if (geteuid() != 0) return "not root";
  if (!tried) {
    tried = 1;
    ok = sh("mkdir -p probe && mount -t tmpfs -o size=64k tmpfs probe && umount probe") == 0;
  }
  return ok ? NULL : "mounting a tmpfs was refused (no permission in this container?)";
}

#define NEED_MOUNT()                                                                               \
  do {                                                                                             \
    const char *why_ = why_no_mount();                                                             \
    if (why_) {                                                                                    \
      print_message("skipped: %s: full disks and read-only directories need a tmpfs mount\n",      \
                    why_);                                                                         \
      skip();                                                                                      \
    }                                                                                              \
  } while (0)

/* A tmpfs of size at name (in dir), read-only if ro. */
static void mount_tmpfs(const char *name, const char *size) {
  if (sh("mkdir -p %s && mount -t tmpfs -o size=%s tmpfs %s", name, size, name))
    fail_msg("mount %s: %s", name, out);
}

/* Fill the file system at name to the last block. */
static void fill(const char *name) {
  sh("dd if=/dev/zero of=%s/fill bs=4k 2>/dev/null; true", name);
  if (sh("test $(df -P %s | awk 'NR == 2 { print $4 }') -eq 0", name))
    fail_msg("%s could not be filled", name);
}

/* Fail if anything but keep (NULL: nothing) is in directory name. */
static void expect_only(const char *what, const char *name, const char *keep) {
  sh("ls -A %s | grep -v -x -e '%s' || true", name, keep ? keep : "");
  if (out[0]) fail_msg("%s: left behind in %s: %s", what, name, out);
}

/* Unmount whatever a test mounted: runs even when the test failed. */
static int unmount_all(void **state) {
  (void)state;
  sh("for m in full ro; do mountpoint -q $m && (umount $m || umount -l $m); done; true");
  return 0;
}

/* The files the tests read. */
static void make_foreign(void) {
  char path[512];
  snprintf(path, sizeof path, "%s/foreign.h5", dir);
  hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  hsize_t n = 3;
  int v[3] = {1, 2, 3};
  hid_t sp = H5Screate_simple(1, &n, NULL);
  hid_t ds = H5Dcreate2(f, "x", H5T_NATIVE_INT, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  assert_true(ds >= 0 && H5Dwrite(ds, H5T_NATIVE_INT, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0);
  H5Dclose(ds);
  H5Sclose(sp);
  H5Fclose(f);
}

/* A copy of src claiming format version 99. */
static void make_newer(const char *src, const char *name) {
  char path[512];
  int v = 99;
  assert_int_equal(sh("cp %s %s", src, name), 0);
  snprintf(path, sizeof path, "%s/%s", dir, name);
  hid_t f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
  hid_t a = H5Aopen(f, "ddrsim_format_version", H5P_DEFAULT);
  assert_true(a >= 0 && H5Awrite(a, H5T_NATIVE_INT, &v) >= 0);
  H5Aclose(a);
  H5Fclose(f);
}

/* A copy of src cut to half its length. */
static void make_truncated(const char *src, const char *name) {
  char path[512];
  struct stat sb;
  assert_int_equal(sh("cp %s %s", src, name), 0);
  snprintf(path, sizeof path, "%s/%s", dir, name);
  assert_int_equal(stat(path, &sb), 0);
  assert_int_equal(truncate(path, sb.st_size / 2), 0);
}

static int setup(void **state) {
  (void)state;
  if (tu_make_dir("files")) return -1;
  const char *src = tu_source_dir(), *b = tu_bin();
  if (sh("ln -s %s/" SCN " scn.yaml && %s run scn.yaml -n 20 -q -o good.h5 && %s run scn.yaml "
         "-n 20 -q --shard 1/2 -o p1.h5 && %s run scn.yaml -n 20 -q --shard 2/2 -o p2.h5",
         src, b, b, b)) {
    fprintf(stderr, "runs failed: %s\n", out);
    return -1;
  }
  sh("printf 'design: grid\\ninputs:\\n  "
     "nodes.training.centres.national.courses_at_once: [2, 3]\\n' > grid.yaml");
  H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
  make_foreign();
  make_newer("good.h5", "newer.h5");
  make_newer("p1.h5", "newer-part.h5");
  make_truncated("good.h5", "truncated.h5");
  make_truncated("p1.h5", "truncated-part.h5");
  sh("printf 'not an HDF5 file\\n' > text.h5");
  return 0;
}

static int teardown(void **state) {
  unmount_all(state);
  tu_remove_dir();
  return 0;
}

/* A disk full from the start: every writer fails with ENOSPC, naming its
 * output, and leaves nothing on the disk. */
static void test_full_disk(void **state) {
  (void)state;
  NEED_MOUNT();
  for (size_t i = 0; i < NWRITERS; i++) {
    const writer *w = &writers[i];
    char path[64];
    snprintf(path, sizeof path, "full/x%s", w->ext);
    mount_tmpfs("full", "256k");
    fill("full");
    expect(w->name, run_writer(w, "full/x"), DDR_EIO, "cannot write", path,
           "No space left on device", NULL);
    expect_only(w->name, "full", "fill");
    assert_int_equal(sh("umount full"), 0);
  }
}

/* A disk that fills while the run writes its replications: the same. */
static void test_disk_fills_during_run(void **state) {
  (void)state;
  NEED_MOUNT();
  mount_tmpfs("full", "256k");
  expect("run", sh("%s run scn.yaml -n 400 -q -o full/x.h5", tu_bin()), DDR_EIO,
         "cannot write full/x.h5", "No space left on device", NULL);
  expect_only("run", "full", NULL);
  expect("run --store full", sh("%s run scn.yaml -n 50 -q --store full -o full/x.h5", tu_bin()),
         DDR_EIO, "cannot write full/x.h5", "No space left on device", NULL);
  expect_only("run --store full", "full", NULL);
}

/* An existing result file on a full disk is never replaced by a failed
 * --force run or merge: it stays byte for byte. */
static void test_full_disk_keeps_existing(void **state) {
  (void)state;
  NEED_MOUNT();
  mount_tmpfs("full", "4m");
  assert_int_equal(sh("cp good.h5 full/keep.h5"), 0);
  fill("full");
  expect("run --force", sh("%s run scn.yaml -n 20 -q --force -o full/keep.h5", tu_bin()), DDR_EIO,
         "cannot write full/keep.h5", "No space left on device", NULL);
  expect("merge --force", sh("%s merge p1.h5 p2.h5 -q --force -o full/keep.h5", tu_bin()), DDR_EIO,
         "cannot write full/keep.h5", "No space left on device", NULL);
  assert_int_equal(sh("cmp good.h5 full/keep.h5"), 0);
  expect_only("--force", "full", "fill\\|keep.h5");
}

/* A read-only directory: a clear error, and an existing file in it kept. */
static void test_read_only(void **state) {
  (void)state;
  NEED_MOUNT();
  mount_tmpfs("ro", "4m");
  assert_int_equal(sh("cp good.h5 ro/keep.h5 && mount -o remount,ro ro"), 0);
  for (size_t i = 0; i < NWRITERS; i++) {
    const writer *w = &writers[i];
    char path[64];
    snprintf(path, sizeof path, "ro/x%s", w->ext);
    expect(w->name, run_writer(w, "ro/x"), DDR_EIO, path, "Read-only file system", NULL);
  }
  expect("run --force", sh("%s run scn.yaml -n 20 -q --force -o ro/keep.h5", tu_bin()), DDR_EIO,
         "cannot write ro/keep.h5: Read-only file system", NULL);
  assert_int_equal(sh("cmp good.h5 ro/keep.h5"), 0);
  expect_only("read-only", "ro", "keep.h5");
}

/* A missing directory: named, and not created (export --csv is the
 * exception: it makes its directory, as documented). */
static void test_missing_directory(void **state) {
  (void)state;
  for (size_t i = 0; i < NWRITERS; i++) {
    const writer *w = &writers[i];
    char path[64];
    if (!w->ext[0]) continue;
    snprintf(path, sizeof path, "cannot write nowhere/x%s", w->ext);
    expect(w->name, run_writer(w, "nowhere/x"), DDR_EIO, path, "directory nowhere does not exist",
           NULL);
    assert_false(tu_exists("nowhere"));
  }
  /* export's directory under a file cannot be made */
  assert_int_equal(sh("printf x > afile"), 0);
  expect("export", sh("%s export good.h5 --csv afile/csv", tu_bin()), DDR_EIO,
         "cannot create directory afile/csv: Not a directory", NULL);
  expect("export", sh("%s export good.h5 --csv afile", tu_bin()), DDR_EIO,
         "afile is not a directory", NULL);
  expect("export", sh("%s export good.h5 --csv made/csv", tu_bin()), 0, NULL);
  assert_int_equal(sh("test -s made/csv/summary.csv && cat afile"), 0);
  assert_string_equal(out, "x");
}

/* An output path that is a directory: said so, and the directory left as
 * it was. */
static void test_output_is_directory(void **state) {
  (void)state;
  for (size_t i = 0; i < NWRITERS; i++) {
    const writer *w = &writers[i];
    char path[64];
    if (!w->ext[0]) continue; /* export writes into a directory */
    snprintf(path, sizeof path, "adir%s", w->ext);
    assert_int_equal(sh("mkdir -p %s && touch %s/inside", path, path), 0);
    expect(w->name, run_writer(w, "adir"), DDR_EIO, path, "is a directory", NULL);
    expect_only(w->name, path, "inside");
    /* --force does not make a directory replaceable */
    char args[1024];
    snprintf(args, sizeof args, w->args, "adir");
    if (strncmp(w->name, "plot", 4) == 0) continue; /* plot always replaces: no --force */
    expect(w->name, sh("%s %s --force", tu_bin(), args), DDR_EIO, path, "is a directory", NULL);
    expect_only(w->name, path, "inside");
  }
}

/* The commands that read result files, each with "%s" for the file. */
static const char *const readers[] = {
    "summary %s",         "compare good.h5 %s",    "export %s --csv csv-out",
    "plot %s -o out.png", "report %s -o out.html", "merge %s p2.h5 -q -o merged.h5",
};
#define NREADERS (sizeof readers / sizeof *readers)

/* Run every reader on file (merge on part when given) and expect code and
 * the message; nothing may be written. */
static void read_all(const char *file, const char *part, int code, const char *msg) {
  for (size_t i = 0; i < NREADERS; i++) {
    char args[512], what[600];
    int merge = strncmp(readers[i], "merge", 5) == 0;
    snprintf(args, sizeof args, readers[i], merge && part ? part : file);
    snprintf(what, sizeof what, "ddrsim %s", args);
    char m[512];
    snprintf(m, sizeof m, msg, merge && part ? part : file);
    expect(what, sh("%s %s", tu_bin(), args), code, m, NULL);
    assert_int_equal(sh("ls -d csv-out out.png out.html merged.h5 2>/dev/null || true"), 0);
    if (out[0]) fail_msg("%s wrote %s", what, out);
  }
}

static void test_foreign_hdf5(void **state) {
  (void)state;
  read_all("foreign.h5", NULL, DDR_EINPUT, "%s is not a ddrsim result file");
}

static void test_not_hdf5(void **state) {
  (void)state;
  read_all("text.h5", NULL, DDR_EINPUT, "%s is not an HDF5 file");
}

static void test_truncated(void **state) {
  (void)state;
  read_all("truncated.h5", "truncated-part.h5", DDR_EIO, "%s is damaged or truncated");
}

static void test_newer_format(void **state) {
  (void)state;
  read_all("newer.h5", "newer-part.h5", DDR_EINPUT,
           "%s has format version 99; this ddrsim reads version 1: upgrade ddrsim");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_teardown(test_full_disk, unmount_all),
      cmocka_unit_test_teardown(test_disk_fills_during_run, unmount_all),
      cmocka_unit_test_teardown(test_full_disk_keeps_existing, unmount_all),
      cmocka_unit_test_teardown(test_read_only, unmount_all),
      cmocka_unit_test(test_missing_directory),
      cmocka_unit_test(test_output_is_directory),
      cmocka_unit_test(test_foreign_hdf5),
      cmocka_unit_test(test_not_hdf5),
      cmocka_unit_test(test_truncated),
      cmocka_unit_test(test_newer_format),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

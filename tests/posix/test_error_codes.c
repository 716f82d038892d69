/*
 * test_error_codes.c -- the errno translation of the POSIX backend, for the
 * codes no real condition produces on a local disk as root (see the "Error
 * codes" section of docs/semantics.md for where every code is produced).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <sys/resource.h>
#include <unistd.h>

#include "mklink.h"
#include "posix_fault.h"
#include "posix_fs.h"

/* Make ENTRY fail once with ERRNUM during CALL and check the code, and that
   nothing changed. */
#define CHECK_INJECTED(entry, errnum, want, call)                                     \
  do {                                                                                 \
    posix_snapshot before_;                                                            \
    POSIX_SNAPSHOT_HERE(&before_);                                                     \
    fault_start();                                                                     \
    expect_fail(entry, 1, errnum);                                                     \
    assert_int_equal(call, want);                                                      \
    fault_stop();                                                                      \
    posix_assert_unchanged(&before_);                                                  \
    posix_snapshot_free(&before_);                                                     \
  } while (0)

static int walk_nothing(const mklink_walk_entry *e, void *arg) {
  (void)e, (void)arg;
  return 0;
}

/* A name the file system cannot encode (EILSEQ: ZFS utf8only, some SMB). */
static void test_EBADNAME_from_EILSEQ(void **state) {
  (void)state;
  CHECK_INJECTED("symlinkat", EILSEQ, MKLINK_EBADNAME,
                 mklink_create("L\xff", "t", MKLINK_FILE_SYMLINK, 0));
  assert_string_equal(mklink_strerror(MKLINK_EBADNAME),
                      "The filename, directory name, or volume label syntax is incorrect.");
}

/* FAT and friends answer EPERM to symlink(): symbolic links are not
   supported there; never "Access is denied.". */
static void test_ENOTSUP_no_symlinks_here(void **state) {
  (void)state;
  CHECK_INJECTED("symlinkat", EPERM, MKLINK_ENOTSUP,
                 mklink_create("L", "t", MKLINK_FILE_SYMLINK, 0));
  CHECK_INJECTED("symlinkat", EPERM, MKLINK_ENOTSUP,
                 mklink_create("L", "/", MKLINK_JUNCTION, 0));
  CHECK_INJECTED("symlinkat", EOPNOTSUPP, MKLINK_ENOTSUP,
                 mklink_create("L", "t", MKLINK_DIR_SYMLINK, 0));
  CHECK_INJECTED("symlinkat", ENOSYS, MKLINK_ENOTSUP,
                 mklink_create("L", "t", MKLINK_FILE_SYMLINK, 0));
}

/* ext4 stops at 65000 links; far too slow to reach here, so injected. */
static void test_EMLINK_link_limit(void **state) {
  (void)state;
  posix_write_file("file", "x");
  CHECK_INJECTED("linkat", EMLINK, MKLINK_EMLINK, mklink_create("L", "file", MKLINK_HARDLINK, 0));
  assert_string_equal(mklink_strerror(MKLINK_EMLINK),
                      "An attempt was made to create more links on a file than the file "
                      "system supports.");
}

/* The real cross-device case is in test_create (hardlink_other_device). */
static void test_EXDEV_injected(void **state) {
  (void)state;
  posix_write_file("file", "x");
  CHECK_INJECTED("linkat", EXDEV, MKLINK_EXDEV, mklink_create("L", "file", MKLINK_HARDLINK, 0));
}

/* EPERM from linkat (directory, or protected_hardlinks) is "Access is
   denied."; EACCES too. */
static void test_EACCES_from_linkat(void **state) {
  (void)state;
  posix_write_file("file", "x");
  CHECK_INJECTED("linkat", EPERM, MKLINK_EACCES, mklink_create("L", "file", MKLINK_HARDLINK, 0));
  CHECK_INJECTED("linkat", EACCES, MKLINK_EACCES,
                 mklink_create("L", "file", MKLINK_HARDLINK, 0));
  CHECK_INJECTED("symlinkat", EACCES, MKLINK_EACCES,
                 mklink_create("L", "file", MKLINK_FILE_SYMLINK, 0));
}

static void test_storage_errors(void **state) {
  (void)state;
  CHECK_INJECTED("symlinkat", ENOSPC, MKLINK_ENOSPC,
                 mklink_create("L", "t", MKLINK_FILE_SYMLINK, 0));
  CHECK_INJECTED("symlinkat", EDQUOT, MKLINK_ENOSPC,
                 mklink_create("L", "t", MKLINK_FILE_SYMLINK, 0));
  CHECK_INJECTED("symlinkat", EROFS, MKLINK_EROFS,
                 mklink_create("L", "t", MKLINK_FILE_SYMLINK, 0));
  CHECK_INJECTED("symlinkat", EIO, MKLINK_EIO, mklink_create("L", "t", MKLINK_FILE_SYMLINK, 0));
  CHECK_INJECTED("symlinkat", ENOMEM, MKLINK_ENOMEM,
                 mklink_create("L", "t", MKLINK_FILE_SYMLINK, 0));
  CHECK_INJECTED("symlinkat", EBUSY, MKLINK_EBUSY,
                 mklink_create("L", "t", MKLINK_FILE_SYMLINK, 0));
}

/* An errno the table does not map is not guessed at: the code carries it,
   and its text is the system's (strerror_r). */
static void test_unknown_errno_is_carried(void **state) {
  char buf[MKLINK_STRERROR_MAX];
  (void)state;
  CHECK_INJECTED("symlinkat", EOVERFLOW, MKLINK_EOS(EOVERFLOW),
                 mklink_create("L", "t", MKLINK_FILE_SYMLINK, 0));
  assert_int_equal(mklink_err_os(MKLINK_EOS(EOVERFLOW)), EOVERFLOW);
  assert_string_equal(mklink_err_name(MKLINK_EOS(EOVERFLOW)), "MKLINK_EOS");
  assert_string_equal(mklink_strerror_r(MKLINK_EOS(EOVERFLOW), buf, sizeof buf),
                      strerror(EOVERFLOW));
  CHECK_INJECTED("linkat", ESTALE, MKLINK_EOS(ESTALE),
                 mklink_create("L", "t", MKLINK_HARDLINK, 0));
  /* EIO itself is the table's I/O error. */
  CHECK_INJECTED("symlinkat", EIO, MKLINK_EIO, mklink_create("L", "t", MKLINK_FILE_SYMLINK, 0));
}

/* No descriptor left (ulimit -n, or the system's table): "The system cannot
   open the file.", Windows' text for ERROR_TOO_MANY_OPEN_FILES, not an I/O
   error.  Injected, then for real with RLIMIT_NOFILE lowered to the
   descriptors already open. */
static void test_EMFILE(void **state) {
  struct rlimit old, low;
  int lowest;
  (void)state;
  posix_write_file("file", "x");
  posix_mkdir("d");
  CHECK_INJECTED("openat", EMFILE, MKLINK_EMFILE, mklink_walk("d", 0, walk_nothing, NULL));
  CHECK_INJECTED("linkat", ENFILE, MKLINK_EMFILE, mklink_create("L", "file", MKLINK_HARDLINK, 0));
  assert_string_equal(mklink_strerror(MKLINK_EMFILE), "The system cannot open the file.");
  assert_int_equal(mklink_err_win32(MKLINK_EMFILE), 4);
  lowest = dup(0);
  assert_true(lowest >= 0);
  close(lowest);
  assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
  low = old;
  low.rlim_cur = (rlim_t)lowest; /* the next descriptor is one too many */
  assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
  assert_int_equal(mklink_walk(".", MKLINK_WALK_RECURSIVE, walk_nothing, NULL), MKLINK_EMFILE);
  assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
}

/* mklink_err_from_os: the caller's own errno in the library's words. */
static void test_err_from_os(void **state) {
  (void)state;
  assert_int_equal(mklink_err_from_os(0), 0);
  assert_int_equal(mklink_err_from_os(ENOSPC), MKLINK_ENOSPC);
  assert_int_equal(mklink_err_from_os(EMFILE), MKLINK_EMFILE);
  assert_int_equal(mklink_err_from_os(EPIPE), MKLINK_EOS(EPIPE));
  assert_int_equal(mklink_err_from_os(MKLINK_EOS_MAX + 1), MKLINK_EIO);
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(test_##name, posix_tmp_setup, posix_tmp_teardown)
  const struct CMUnitTest tests[] = {
      T(EBADNAME_from_EILSEQ), T(ENOTSUP_no_symlinks_here), T(EMLINK_link_limit),
      T(EXDEV_injected),       T(EACCES_from_linkat),       T(storage_errors),
      T(unknown_errno_is_carried), T(EMFILE),                T(err_from_os),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

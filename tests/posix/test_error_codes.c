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

/* An errno with no closer meaning is reported as an I/O error. */
static void test_unknown_errno_is_EIO(void **state) {
  (void)state;
  CHECK_INJECTED("symlinkat", EOVERFLOW, MKLINK_EIO,
                 mklink_create("L", "t", MKLINK_FILE_SYMLINK, 0));
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(test_##name, posix_tmp_setup, posix_tmp_teardown)
  const struct CMUnitTest tests[] = {
      T(EBADNAME_from_EILSEQ), T(ENOTSUP_no_symlinks_here), T(EMLINK_link_limit),
      T(EXDEV_injected),       T(EACCES_from_linkat),       T(storage_errors),
      T(unknown_errno_is_EIO),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_capabilities.c -- mklink_capabilities on POSIX: real probes that
   leave nothing behind, and honest answers where a kind is missing. */
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

#define BIT MKLINK_KIND_BIT
#define ALL_REAL (BIT(MKLINK_FILE_SYMLINK) | BIT(MKLINK_DIR_SYMLINK) | BIT(MKLINK_HARDLINK))

static void test_everything_here(void **state) {
  posix_snapshot before;
  mklink_caps caps;
  (void)state;
  posix_mkdir("dir");
  posix_write_file("dir/file", "x");
  POSIX_SNAPSHOT_HERE(&before);
  assert_int_equal(mklink_capabilities("dir", &caps), 0);
  assert_int_equal(caps.real, ALL_REAL);
  assert_int_equal(caps.simulated, BIT(MKLINK_JUNCTION));
  assert_string_equal(caps.emulator, "");
  assert_string_equal(caps.emulator_version, "");
  assert_int_equal(mklink_capabilities(NULL, &caps), 0); /* the current directory */
  assert_int_equal(caps.real, ALL_REAL);
  posix_assert_unchanged(&before);
  posix_snapshot_free(&before);
}

static void test_bad_directory(void **state) {
  mklink_caps caps;
  (void)state;
  posix_write_file("file", "x");
  assert_int_equal(mklink_capabilities("missing", &caps), MKLINK_ENOPATH);
  assert_int_equal(mklink_capabilities("file", &caps), MKLINK_ENOPATH);
  assert_int_equal(mklink_capabilities("", &caps), MKLINK_EINVAL);
  assert_int_equal(mklink_capabilities(".", NULL), MKLINK_EINVAL);
}

/* A file system without symbolic links (FAT answers EPERM). */
static void test_no_symlinks(void **state) {
  posix_snapshot before;
  mklink_caps caps;
  (void)state;
  POSIX_SNAPSHOT_HERE(&before);
  fault_start();
  expect_fail_from("symlinkat", 1, EPERM);
  assert_int_equal(mklink_capabilities(".", &caps), 0);
  assert_int_equal(caps.real, BIT(MKLINK_HARDLINK));
  assert_int_equal(caps.simulated, 0);
  posix_assert_unchanged(&before);
  posix_snapshot_free(&before);
}

static void test_no_hardlinks(void **state) {
  posix_snapshot before;
  mklink_caps caps;
  (void)state;
  POSIX_SNAPSHOT_HERE(&before);
  fault_start();
  expect_fail_from("linkat", 1, EPERM);
  assert_int_equal(mklink_capabilities(".", &caps), 0);
  assert_int_equal(caps.real, BIT(MKLINK_FILE_SYMLINK) | BIT(MKLINK_DIR_SYMLINK));
  assert_int_equal(caps.simulated, BIT(MKLINK_JUNCTION));
  posix_assert_unchanged(&before);
  posix_snapshot_free(&before);
}

static void test_network_directory(void **state) {
  mklink_caps caps;
  (void)state;
  fault_start();
  expect_statfs_magic(0xFF534D42); /* CIFS */
  assert_int_equal(mklink_capabilities(".", &caps), 0);
  assert_int_equal(caps.real, ALL_REAL);
  assert_int_equal(caps.simulated, 0);
}

static void test_cannot_write(void **state) {
  posix_snapshot before;
  mklink_caps caps;
  (void)state;
  POSIX_SNAPSHOT_HERE(&before);
  fault_start();
  expect_fail_from("symlinkat", 1, EACCES);
  assert_int_equal(mklink_capabilities(".", &caps), MKLINK_EACCES);
  fault_reset_counts();
  expect_fail_from("symlinkat", 1, EROFS);
  assert_int_equal(mklink_capabilities(".", &caps), MKLINK_EROFS);
  fault_reset_counts();
  expect_fail_from("openat", 1, EACCES);
  assert_int_equal(mklink_capabilities(".", &caps), MKLINK_EACCES);
  posix_assert_unchanged(&before);
  posix_snapshot_free(&before);
}

/* A probe name that is taken is skipped, and the taken entry is untouched. */
static void test_probe_name_taken(void **state) {
  mklink_caps caps;
  (void)state;
  fault_start();
  expect_fail("symlinkat", 1, EEXIST);
  assert_int_equal(mklink_capabilities(".", &caps), 0);
  assert_int_equal(caps.real, ALL_REAL);
  assert_int_equal(posix_count_prefix(".", ".mklink-"), 0);
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(test_##name, posix_tmp_setup, posix_tmp_teardown)
  const struct CMUnitTest tests[] = {
      T(everything_here), T(bad_directory),    T(no_symlinks),          T(no_hardlinks),
      T(network_directory), T(cannot_write),   T(probe_name_taken),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

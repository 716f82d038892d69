/* test_remove.c -- mklink_remove on POSIX: links go, data never does. */
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

static void test_removes_file_symlink(void **state) {
  (void)state;
  posix_write_file("file", "data");
  posix_symlink("file", "L");
  assert_int_equal(mklink_remove("L"), 0);
  assert_false(posix_exists("L"));
  assert_string_equal(posix_read_file("file"), "data");
}

static void test_removes_dangling_symlink(void **state) {
  (void)state;
  posix_symlink("missing", "L");
  assert_int_equal(mklink_remove("L"), 0);
  assert_false(posix_exists("L"));
}

/* The rd-versus-rmdir-/S trap: the target's content stays. */
static void test_removes_dir_symlink_not_content(void **state) {
  (void)state;
  posix_mkdir("dir");
  posix_write_file("dir/precious", "keep");
  assert_int_equal(mklink_create("L", "dir", MKLINK_DIR_SYMLINK, 0), 0);
  assert_int_equal(mklink_remove("L"), 0);
  assert_false(posix_exists("L"));
  assert_string_equal(posix_read_file("dir/precious"), "keep");
}

static void test_removes_junction_not_content(void **state) {
  (void)state;
  posix_mkdir("dir");
  posix_write_file("dir/precious", "keep");
  assert_int_equal(mklink_create("J", "dir", MKLINK_JUNCTION, 0), 0);
  assert_int_equal(mklink_remove("J"), 0);
  assert_false(posix_exists("J"));
  assert_string_equal(posix_read_file("dir/precious"), "keep");
}

static void test_removes_hardlink_keeps_other_name(void **state) {
  (void)state;
  posix_write_file("file", "data");
  posix_hardlink("file", "L");
  assert_int_equal(mklink_remove("L"), 0);
  assert_false(posix_exists("L"));
  assert_int_equal(posix_nlink("file"), 1);
  assert_string_equal(posix_read_file("file"), "data");
  /* Now "file" is the last name: it is refused. */
  assert_int_equal(mklink_remove("file"), MKLINK_ELASTNAME);
  assert_string_equal(posix_read_file("file"), "data");
}

static void test_refuses_real_directory(void **state) {
  posix_snapshot before;
  (void)state;
  posix_mkdir("dir");
  posix_mkdir("empty");
  posix_write_file("dir/precious", "keep");
  assert_int_equal(mklink_create("L", "dir", MKLINK_DIR_SYMLINK, 0), 0);
  POSIX_SNAPSHOT_HERE(&before);
  assert_int_equal(mklink_remove("dir"), MKLINK_EISDIR);
  assert_int_equal(mklink_remove("empty"), MKLINK_EISDIR);
  /* A trailing slash follows the link: it names the real directory. */
  assert_int_equal(mklink_remove("L/"), MKLINK_EISDIR);
  posix_assert_unchanged(&before);
  posix_snapshot_free(&before);
  assert_string_equal(mklink_strerror(MKLINK_EISDIR),
                      "The directory is not a link: only links are removed, never a real "
                      "directory.");
}

static void test_refuses_sole_name(void **state) {
  posix_snapshot before;
  (void)state;
  posix_write_file("file", "data");
  POSIX_SNAPSHOT_HERE(&before);
  assert_int_equal(mklink_remove("file"), MKLINK_ELASTNAME);
  posix_assert_unchanged(&before);
  posix_snapshot_free(&before);
}

static void test_missing(void **state) {
  (void)state;
  posix_write_file("file", "x");
  assert_int_equal(mklink_remove("nothing"), MKLINK_ENOFILE);
  assert_int_equal(mklink_remove("nodir/nothing"), MKLINK_ENOPATH);
  assert_int_equal(mklink_remove("file/x"), MKLINK_ENOPATH);
}

static void test_invalid_arguments(void **state) {
  (void)state;
  assert_int_equal(mklink_remove(NULL), MKLINK_EINVAL);
  assert_int_equal(mklink_remove(""), MKLINK_EINVAL);
}

/* What unlinkat can answer, through injection (no real condition for these
   as root on a local disk). */
static void test_unlink_errors(void **state) {
  static const struct {
    int errnum, want;
  } cases[] = {
      {EBUSY, MKLINK_EBUSY},     {EROFS, MKLINK_EROFS},   {EIO, MKLINK_EIO},
      {ENOTEMPTY, MKLINK_ENOTEMPTY}, {EACCES, MKLINK_EACCES}, {EPERM, MKLINK_EACCES},
      {ENOMEM, MKLINK_ENOMEM},
  };
  posix_snapshot before;
  size_t i;
  (void)state;
  posix_symlink("t", "L");
  POSIX_SNAPSHOT_HERE(&before);
  fault_start();
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    fault_reset_counts();
    expect_fail("unlinkat", 1, cases[i].errnum);
    assert_int_equal(mklink_remove("L"), cases[i].want);
    posix_assert_unchanged(&before);
  }
  posix_snapshot_free(&before);
}

/* The speed promise: one lstat and one unlink. */
static void test_two_calls(void **state) {
  (void)state;
  posix_symlink("t", "L");
  fault_start();
  assert_int_equal(mklink_remove("L"), 0);
  assert_int_equal(fault_calls(), 2);
  assert_int_equal(fault_calls_of("unlinkat"), 1);
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(test_##name, posix_tmp_setup, posix_tmp_teardown)
  const struct CMUnitTest tests[] = {
      T(removes_file_symlink),
      T(removes_dangling_symlink),
      T(removes_dir_symlink_not_content),
      T(removes_junction_not_content),
      T(removes_hardlink_keeps_other_name),
      T(refuses_real_directory),
      T(refuses_sole_name),
      T(missing),
      T(invalid_arguments),
      T(unlink_errors),
      T(two_calls),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

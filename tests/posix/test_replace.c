/*
 * test_replace.c -- MKLINK_REPLACE on POSIX: a link is swapped atomically
 * for the new one, data is never lost, no temporary name survives.
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

#define R MKLINK_REPLACE

static void assert_no_temp_left(void) { assert_int_equal(posix_count_prefix(".", ".mklink-"), 0); }

static void test_symlink_over_symlink(void **state) {
  ino_t old;
  (void)state;
  posix_write_file("a", "A");
  posix_write_file("b", "B");
  posix_symlink("a", "L");
  old = posix_inode("L");
  assert_int_equal(mklink_create("L", "b", MKLINK_FILE_SYMLINK, R), 0);
  assert_string_equal(posix_readlink("L"), "b");
  assert_true(posix_inode("L") != old);
  assert_string_equal(posix_read_file("a"), "A");
  assert_no_temp_left();
}

static void test_every_kind_over_every_link(void **state) {
  static const mklink_kind kinds[] = {MKLINK_FILE_SYMLINK, MKLINK_DIR_SYMLINK, MKLINK_HARDLINK,
                                      MKLINK_JUNCTION};
  size_t old, now;
  mklink_info info;
  (void)state;
  posix_write_file("file", "F");
  posix_mkdir("dir");
  for (old = 0; old < 4; old++) {
    for (now = 0; now < 4; now++) {
      int dirish = kinds[now] == MKLINK_DIR_SYMLINK || kinds[now] == MKLINK_JUNCTION;
      const char *old_target = "dir";
      const char *new_target = dirish ? "dir" : "file";
      if (kinds[old] == MKLINK_HARDLINK) {
        posix_write_file("other", "O");
        old_target = "other";
      }
      assert_int_equal(mklink_create("L", old_target, kinds[old], 0), 0);
      assert_int_equal(mklink_create("L", new_target, kinds[now], R), 0);
      assert_int_equal(mklink_query("L", &info), 0);
      assert_int_equal(info.kind, kinds[now]);
      mklink_info_free(&info);
      assert_no_temp_left();
      assert_int_equal(mklink_remove("L"), 0);
      if (kinds[old] == MKLINK_HARDLINK)
        assert_string_equal(posix_read_file("other"), "O"); /* its data stayed */
    }
  }
  assert_string_equal(posix_read_file("file"), "F");
}

static void test_dangling_link_replaced(void **state) {
  (void)state;
  posix_symlink("missing", "L");
  assert_int_equal(mklink_create("L", "new", MKLINK_FILE_SYMLINK, R), 0);
  assert_string_equal(posix_readlink("L"), "new");
  assert_no_temp_left();
}

static void test_missing_link_just_created(void **state) {
  (void)state;
  assert_int_equal(mklink_create("L", "t", MKLINK_FILE_SYMLINK, R), 0);
  assert_string_equal(posix_readlink("L"), "t");
}

/* The cost of REPLACE: over a link lstat, create and rename, with no create
   that fails first; for a new name lstat and create. */
static void test_replace_call_count(void **state) {
  (void)state;
  posix_symlink("old", "L");
  fault_start();
  assert_int_equal(mklink_create("L", "new", MKLINK_FILE_SYMLINK, R), 0);
  assert_int_equal(fault_calls(), 3);
  assert_int_equal(fault_calls_of("fstatat"), 1);
  assert_int_equal(fault_calls_of("symlinkat"), 1);
  assert_int_equal(fault_calls_of("renameat"), 1);
  fault_reset_counts();
  assert_int_equal(mklink_create("M", "new", MKLINK_FILE_SYMLINK, R), 0);
  assert_int_equal(fault_calls(), 2);
  assert_int_equal(fault_calls_of("symlinkat"), 1);
  assert_string_equal(posix_readlink("L"), "new");
  assert_string_equal(posix_readlink("M"), "new");
  assert_no_temp_left();
}

/* LINK appears between the first look and the create (another process made
   it): the create's EEXIST leads to the replace as if it had been seen. */
static void test_link_appears_after_first_look(void **state) {
  (void)state;
  posix_symlink("old", "L");
  fault_start();
  expect_fail("fstatat", 1, ENOENT); /* not there yet at the first look */
  assert_int_equal(mklink_create("L", "new", MKLINK_FILE_SYMLINK, R), 0);
  assert_int_equal(fault_calls_of("symlinkat"), 2); /* LINK (EEXIST), temp */
  assert_int_equal(fault_calls_of("fstatat"), 2);
  assert_string_equal(posix_readlink("L"), "new");
  assert_no_temp_left();
}

/* The same race with a real file appearing: it is not replaced. */
static void test_file_appears_after_first_look(void **state) {
  (void)state;
  posix_write_file("L", "data");
  fault_start();
  expect_fail("fstatat", 1, ENOENT);
  assert_int_equal(mklink_create("L", "new", MKLINK_FILE_SYMLINK, R), MKLINK_EEXIST);
  assert_string_equal(posix_read_file("L"), "data");
  assert_no_temp_left();
}

static void test_refuses_sole_name_file(void **state) {
  posix_snapshot before;
  (void)state;
  posix_write_file("L", "precious");
  posix_write_file("t", "t");
  POSIX_SNAPSHOT_HERE(&before);
  assert_int_equal(mklink_create("L", "t", MKLINK_FILE_SYMLINK, R), MKLINK_EEXIST);
  assert_int_equal(mklink_create("L", "t", MKLINK_HARDLINK, R), MKLINK_EEXIST);
  assert_int_equal(mklink_create("L", "t", MKLINK_JUNCTION, R), MKLINK_EEXIST);
  posix_assert_unchanged(&before);
  posix_snapshot_free(&before);
  assert_string_equal(posix_read_file("L"), "precious");
}

static void test_refuses_real_directory(void **state) {
  posix_snapshot before;
  (void)state;
  posix_mkdir("L");
  posix_write_file("L/precious", "keep");
  POSIX_SNAPSHOT_HERE(&before);
  assert_int_equal(mklink_create("L", "t", MKLINK_DIR_SYMLINK, R), MKLINK_EEXIST);
  assert_int_equal(mklink_create("L", "t", MKLINK_JUNCTION, R), MKLINK_EEXIST);
  posix_assert_unchanged(&before);
  posix_snapshot_free(&before);
}

/* rename() between two names of one file is a no-op: no temp may remain. */
static void test_hardlink_over_same_file(void **state) {
  posix_snapshot before;
  (void)state;
  posix_write_file("file", "data");
  posix_hardlink("file", "L");
  POSIX_SNAPSHOT_HERE(&before);
  assert_int_equal(mklink_create("L", "file", MKLINK_HARDLINK, R), 0);
  posix_assert_unchanged(&before);
  posix_snapshot_free(&before);
  assert_no_temp_left();
}

/* A hard link of a symbolic link replaced by another name of the same link. */
static void test_hardlink_over_same_symlink(void **state) {
  (void)state;
  posix_symlink("t", "S");
  posix_hardlink("S", "L");
  assert_int_equal(mklink_create("L", "S", MKLINK_HARDLINK, R), 0);
  assert_int_equal(posix_inode("L"), posix_inode("S"));
  assert_no_temp_left();
}

static void test_hardlink_replace_missing_target(void **state) {
  posix_snapshot before;
  (void)state;
  posix_symlink("t", "L");
  POSIX_SNAPSHOT_HERE(&before);
  assert_int_equal(mklink_create("L", "missing", MKLINK_HARDLINK, R), MKLINK_ENOFILE);
  posix_assert_unchanged(&before);
  posix_snapshot_free(&before);
}

/* The temporary name is taken (another process, a stale one): try another. */
static void test_temp_name_taken(void **state) {
  (void)state;
  posix_symlink("old", "L");
  fault_start();
  expect_fail("symlinkat", 1, EEXIST); /* the first temporary name */
  assert_int_equal(mklink_create("L", "new", MKLINK_FILE_SYMLINK, R), 0);
  assert_int_equal(fault_calls_of("symlinkat"), 2);
  assert_string_equal(posix_readlink("L"), "new");
  assert_no_temp_left();
}

static void test_temp_names_exhausted(void **state) {
  posix_snapshot before;
  (void)state;
  posix_symlink("old", "L");
  POSIX_SNAPSHOT_HERE(&before);
  fault_start();
  expect_fail_from("symlinkat", 1, EEXIST);
  assert_int_equal(mklink_create("L", "new", MKLINK_FILE_SYMLINK, R), MKLINK_EEXIST);
  assert_int_equal(fault_calls_of("symlinkat"), 64); /* 64 names; LINK was seen */
  posix_assert_unchanged(&before);
  posix_snapshot_free(&before);
}

/* Temporary names differ between attempts and stay in LINK's directory. */
static void test_temp_names_in_link_directory(void **state) {
  (void)state;
  posix_mkdir("sub");
  posix_symlink("old", "sub/L");
  fault_start();
  expect_fail("renameat", 1, EIO);
  assert_int_equal(mklink_create("sub/L", "new", MKLINK_FILE_SYMLINK, R), MKLINK_EIO);
  assert_string_equal(posix_readlink("sub/L"), "old");
  assert_int_equal(posix_count_prefix("sub", ".mklink-"), 0);
  assert_int_equal(fault_calls_of("unlinkat"), 1); /* the temporary name */
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(test_##name, posix_tmp_setup, posix_tmp_teardown)
  const struct CMUnitTest tests[] = {
      T(symlink_over_symlink),
      T(every_kind_over_every_link),
      T(dangling_link_replaced),
      T(missing_link_just_created),
      T(replace_call_count),
      T(link_appears_after_first_look),
      T(file_appears_after_first_look),
      T(refuses_sole_name_file),
      T(refuses_real_directory),
      T(hardlink_over_same_file),
      T(hardlink_over_same_symlink),
      T(hardlink_replace_missing_target),
      T(temp_name_taken),
      T(temp_names_exhausted),
      T(temp_names_in_link_directory),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

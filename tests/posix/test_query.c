/* test_query.c -- mklink_query on POSIX: what it says of every kind of entry. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "mklink.h"
#include "posix_fault.h"
#include "posix_fs.h"

/* posix_tmp_dir() + "/" + REL, in a static buffer. */
static const char *here(const char *rel) {
  static char buf[2][POSIX_PATH_MAX + 64];
  static int which;
  which ^= 1;
  if ((size_t)snprintf(buf[which], sizeof buf[which], "%s%s%s", posix_tmp_dir(),
                       rel[0] ? "/" : "", rel) >= sizeof buf[which])
    fail();
  return buf[which];
}

static void test_plain_file(void **state) {
  mklink_info info;
  (void)state;
  posix_write_file("file", "x");
  assert_int_equal(mklink_query("file", &info), 0);
  assert_int_equal(info.kind, MKLINK_NOT_LINK);
  assert_int_equal(info.nlink, 1);
  assert_int_equal(info.target_exists, 1);
  assert_int_equal(info.target_is_dir, 0);
  assert_string_equal(info.target, "");
  assert_string_equal(info.resolved, here("file"));
  mklink_info_free(&info);
}

static void test_plain_dir(void **state) {
  mklink_info info;
  (void)state;
  posix_mkdir("dir");
  assert_int_equal(mklink_query("./dir/", &info), 0);
  assert_int_equal(info.kind, MKLINK_NOT_LINK);
  assert_int_equal(info.target_is_dir, 1);
  assert_int_equal(info.nlink, 1);
  assert_string_equal(info.resolved, here("dir"));
  mklink_info_free(&info);
}

static void test_hardlink(void **state) {
  mklink_info info;
  (void)state;
  posix_write_file("file", "x");
  posix_hardlink("file", "L");
  assert_int_equal(mklink_query("L", &info), 0);
  assert_int_equal(info.kind, MKLINK_HARDLINK);
  assert_int_equal(info.nlink, 2);
  assert_string_equal(info.target, "");
  assert_string_equal(info.resolved, here("L"));
  mklink_info_free(&info);
  /* Both names are equal: the original is a hard link too. */
  assert_int_equal(mklink_query("file", &info), 0);
  assert_int_equal(info.kind, MKLINK_HARDLINK);
  mklink_info_free(&info);
}

static void test_file_symlink_relative(void **state) {
  mklink_info info;
  (void)state;
  posix_write_file("file", "x");
  posix_mkdir("sub");
  posix_symlink("../file", "sub/L");
  assert_int_equal(mklink_query("sub/L", &info), 0);
  assert_int_equal(info.kind, MKLINK_FILE_SYMLINK);
  assert_string_equal(info.target, "../file");
  assert_string_equal(info.resolved, here("file"));
  assert_int_equal(info.target_exists, 1);
  assert_int_equal(info.target_is_dir, 0);
  assert_int_equal(info.nlink, 1);
  mklink_info_free(&info);
  /* The same link through an absolute path. */
  assert_int_equal(mklink_query(here("sub/L"), &info), 0);
  assert_string_equal(info.resolved, here("file"));
  mklink_info_free(&info);
}

static void test_absolute_text_normalised(void **state) {
  mklink_info info;
  (void)state;
  posix_symlink("/usr/./lib/../bin//", "L");
  assert_int_equal(mklink_query("L", &info), 0);
  assert_string_equal(info.target, "/usr/./lib/../bin//");
  assert_string_equal(info.resolved, "/usr/bin");
  mklink_info_free(&info);
}

/* POSIX links do not record /D: the kind follows what the target is now. */
static void test_dir_or_file_symlink_follows_target(void **state) {
  mklink_info info;
  (void)state;
  assert_int_equal(mklink_create("L", "t", MKLINK_DIR_SYMLINK, 0), 0);
  assert_int_equal(mklink_query("L", &info), 0);
  assert_int_equal(info.kind, MKLINK_FILE_SYMLINK); /* dangling */
  assert_int_equal(info.target_exists, 0);
  posix_mkdir("t");
  mklink_info_free(&info);
  assert_int_equal(mklink_query("L", &info), 0);
  assert_int_equal(info.kind, MKLINK_DIR_SYMLINK);
  assert_int_equal(info.target_exists, 1);
  assert_int_equal(info.target_is_dir, 1);
  assert_int_equal(rmdir("t"), 0);
  posix_write_file("t", "now a file");
  mklink_info_free(&info);
  assert_int_equal(mklink_query("L", &info), 0);
  assert_int_equal(info.kind, MKLINK_FILE_SYMLINK);
  assert_int_equal(info.target_exists, 1);
  assert_int_equal(info.target_is_dir, 0);
  mklink_info_free(&info);
}

static void test_dangling_and_loop(void **state) {
  mklink_info info;
  (void)state;
  posix_symlink("missing", "dangling");
  posix_symlink("b", "a");
  posix_symlink("a", "b");
  posix_write_file("file", "x");
  posix_symlink("file/x", "through_file");
  assert_int_equal(mklink_query("dangling", &info), 0);
  assert_int_equal(info.kind, MKLINK_FILE_SYMLINK);
  assert_int_equal(info.target_exists, 0);
  assert_string_equal(info.resolved, here("missing"));
  mklink_info_free(&info);
  assert_int_equal(mklink_query("a", &info), 0);
  assert_int_equal(info.kind, MKLINK_FILE_SYMLINK);
  assert_int_equal(info.target_exists, 0);
  assert_string_equal(info.target, "b");
  mklink_info_free(&info);
  assert_int_equal(mklink_query("through_file", &info), 0);
  assert_int_equal(info.target_exists, 0);
  mklink_info_free(&info);
}

static void test_junction(void **state) {
  mklink_info info;
  (void)state;
  posix_mkdir("dir");
  assert_int_equal(mklink_create("J", "./x/../dir", MKLINK_JUNCTION, 0), 0);
  assert_int_equal(mklink_query("J", &info), 0);
  assert_int_equal(info.kind, MKLINK_JUNCTION);
  assert_string_equal(info.target, here("dir"));
  assert_string_equal(info.resolved, here("dir"));
  assert_int_equal(info.target_exists, 1);
  assert_int_equal(info.target_is_dir, 1);
  assert_int_equal(info.nlink, 1);
  assert_int_equal(mklink_create("M", "missing", MKLINK_JUNCTION, 0), 0);
  mklink_info_free(&info);
  assert_int_equal(mklink_query("M", &info), 0);
  assert_int_equal(info.kind, MKLINK_JUNCTION);
  assert_int_equal(info.target_exists, 0);
  mklink_info_free(&info);
}

/* The documented limit: any link whose text starts with "/./" is a junction. */
static void test_hand_made_mark_is_a_junction(void **state) {
  mklink_info info;
  (void)state;
  posix_symlink("/./tmp/../usr", "J");
  assert_int_equal(mklink_query("J", &info), 0);
  assert_int_equal(info.kind, MKLINK_JUNCTION);
  assert_string_equal(info.target, "/tmp/../usr");
  assert_string_equal(info.resolved, "/usr");
  posix_symlink("/.x", "K"); /* no separator after the dot: a plain symlink */
  mklink_info_free(&info);
  assert_int_equal(mklink_query("K", &info), 0);
  assert_int_equal(info.kind, MKLINK_FILE_SYMLINK);
  mklink_info_free(&info);
}

static void test_missing(void **state) {
  mklink_info info;
  (void)state;
  posix_write_file("file", "x");
  posix_mkdir("dir");
  assert_int_equal(mklink_query("nothing", &info), MKLINK_ENOFILE);
  mklink_info_free(&info);
  assert_int_equal(mklink_query("dir/nothing", &info), MKLINK_ENOFILE);
  mklink_info_free(&info);
  assert_int_equal(mklink_query("nodir/nothing", &info), MKLINK_ENOPATH);
  mklink_info_free(&info);
  assert_int_equal(mklink_query("file/x", &info), MKLINK_ENOPATH);
  mklink_info_free(&info);
  assert_int_equal(mklink_query(here("nodir/x"), &info), MKLINK_ENOPATH);
  mklink_info_free(&info);
}

static void test_path_through_links(void **state) {
  mklink_info info;
  (void)state;
  posix_symlink("loop2", "loop1");
  posix_symlink("loop1", "loop2");
  posix_mkdir("dir");
  posix_symlink("dir", "D");
  assert_int_equal(mklink_query("loop1/x", &info), MKLINK_ELOOP);
  mklink_info_free(&info);
  /* A trailing slash follows the link: the directory itself is described. */
  assert_int_equal(mklink_query("D/", &info), 0);
  assert_int_equal(info.kind, MKLINK_NOT_LINK);
  assert_int_equal(info.target_is_dir, 1);
  mklink_info_free(&info);
  assert_int_equal(mklink_query("D", &info), 0);
  assert_int_equal(info.kind, MKLINK_DIR_SYMLINK);
  mklink_info_free(&info);
}

static void test_invalid_arguments(void **state) {
  mklink_info info;
  (void)state;
  posix_write_file("file", "x");
  assert_int_equal(mklink_query(NULL, &info), MKLINK_EINVAL);
  mklink_info_free(&info);
  assert_int_equal(mklink_query("", &info), MKLINK_EINVAL);
  assert_int_equal(mklink_query("file", NULL), MKLINK_EINVAL);
  mklink_info_free(&info);
}

/* A link text longer than the system lets a link be (PATH_MAX) is refused,
   not cut short. */
static void test_text_too_long(void **state) {
  mklink_info info;
  (void)state;
  posix_symlink("t", "L");
  fault_start();
  expect_readlinkat_overflow();
  assert_int_equal(mklink_query("L", &info), MKLINK_ENAMETOOLONG);
  mklink_info_free(&info);
}

/* The entry keeps changing between calls: readlink says "not a link", lstat
   says "link", readlink again "not a link". */
static void test_swapped_for_a_file(void **state) {
  mklink_info info;
  (void)state;
  posix_symlink("t", "L");
  fault_start();
  expect_fail_from("readlinkat", 1, EINVAL);
  assert_int_equal(mklink_query("L", &info), MKLINK_ENOTLINK);
  assert_int_equal(fault_calls_of("readlinkat"), 2);
  /* Changing once is fine: the second reading is used. */
  fault_reset_counts();
  expect_fail("readlinkat", 1, EINVAL);
  mklink_info_free(&info);
  assert_int_equal(mklink_query("L", &info), 0);
  assert_int_equal(info.kind, MKLINK_FILE_SYMLINK);
  assert_string_equal(info.target, "t");
  mklink_info_free(&info);
}

static void test_destination_unreadable(void **state) {
  mklink_info info;
  (void)state;
  posix_symlink("t", "L");
  fault_start();
  expect_fail("fstatat", 1, EIO); /* the stat of what L points to */
  assert_int_equal(mklink_query("L", &info), MKLINK_EIO);
  fault_reset_counts();
  expect_fail("readlinkat", 1, EACCES);
  mklink_info_free(&info);
  assert_int_equal(mklink_query("L", &info), MKLINK_EACCES);
  mklink_info_free(&info);
}

/* The speed promise: a link given by absolute path costs readlink and one
   stat of its destination, like the lstat + readlink it replaces; a plain
   entry costs readlink (EINVAL) and lstat. */
static void test_query_call_count(void **state) {
  mklink_info info;
  (void)state;
  posix_symlink("/t", "L");
  posix_write_file("file", "x");
  fault_start();
  assert_int_equal(mklink_query(here("L"), &info), 0);
  assert_int_equal(fault_calls(), 2);
  assert_int_equal(fault_calls_of("fstatat"), 1);
  assert_int_equal(fault_calls_of("readlinkat"), 1);
  fault_reset_counts();
  mklink_info_free(&info);
  assert_int_equal(mklink_query(here("file"), &info), 0);
  assert_int_equal(fault_calls(), 2);
  mklink_info_free(&info);
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(test_##name, posix_tmp_setup, posix_tmp_teardown)
  const struct CMUnitTest tests[] = {
      T(plain_file),
      T(plain_dir),
      T(hardlink),
      T(file_symlink_relative),
      T(absolute_text_normalised),
      T(dir_or_file_symlink_follows_target),
      T(dangling_and_loop),
      T(junction),
      T(hand_made_mark_is_a_junction),
      T(missing),
      T(path_through_links),
      T(invalid_arguments),
      T(text_too_long),
      T(swapped_for_a_file),
      T(destination_unreadable),
      T(query_call_count),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_faults.c -- a failure at any system call leaves the directory exactly
 * as it was.  For each operation, a first run counts its calls; then, from a
 * fresh scene each time, call i alone fails (with an errno that call can
 * really return) and the test asserts the error returned and that names,
 * types, inodes, link counts and link texts are all as before.
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
#define MAX_CALLS 64

/* A realistic failure for each entry, and what the caller must see. */
static const struct {
  const char *entry;
  int errnum;
  int want;
} failures[] = {
    {"symlinkat", ENOSPC, MKLINK_ENOSPC}, {"linkat", EMLINK, MKLINK_EMLINK},
    {"fstatat", EIO, MKLINK_EIO},         {"readlinkat", EIO, MKLINK_EIO},
    {"renameat", ENOSPC, MKLINK_ENOSPC},  {"unlinkat", EBUSY, MKLINK_EBUSY},
    {"getcwd", EACCES, MKLINK_EACCES},    {"statfs", EIO, MKLINK_EIO},
    {"openat", EACCES, MKLINK_EACCES},    {"close", EIO, MKLINK_EIO},
};

static size_t failure_for(const char *entry) {
  size_t i;
  for (i = 0; i < sizeof failures / sizeof failures[0]; i++)
    if (strcmp(failures[i].entry, entry) == 0)
      return i;
  fail_msg("no failure planned for entry %s", entry);
  return 0;
}

typedef void (*scene_fn)(void);
typedef int (*op_fn)(void);

static void check_every_call(scene_fn scene, op_fn op, unsigned min_calls) {
  const char *entries[MAX_CALLS];
  unsigned n, i;
  int rc;
  scene();
  fault_start();
  rc = op();
  n = fault_calls();
  assert_true(n <= MAX_CALLS);
  for (i = 1; i <= n; i++)
    entries[i - 1] = fault_call_entry(i);
  fault_stop();
  if (rc != 0)
    fail_msg("the operation fails without injection: %s", mklink_err_name(rc));
  assert_true(n >= min_calls);
  printf("  %u calls:", n);
  for (i = 0; i < n; i++)
    printf(" %s", entries[i]);
  printf("\n");
  for (i = 1; i <= n; i++) {
    posix_snapshot before;
    size_t f = failure_for(entries[i - 1]);
    posix_tmp_clear();
    scene();
    POSIX_SNAPSHOT_HERE(&before);
    fault_start();
    expect_fail_call(i, failures[f].errnum);
    rc = op();
    fault_stop();
    if (rc != failures[f].want)
      fail_msg("call %u (%s) failing with %s: got %s, want %s", i, entries[i - 1],
               strerror(failures[f].errnum), mklink_err_name(rc),
               mklink_err_name(failures[f].want));
    posix_assert_unchanged(&before);
    posix_snapshot_free(&before);
  }
}

/* ---- scenes ------------------------------------------------------------- */

static void scene_file(void) { posix_write_file("t", "data"); }
static void scene_dir(void) { posix_mkdir("d"); }
static void scene_file_and_link(void) {
  scene_file();
  posix_symlink("old", "L");
}
static void scene_dir_and_link(void) {
  scene_dir();
  posix_symlink("old", "L");
}
static void scene_file_and_hardlink(void) {
  scene_file();
  posix_write_file("a", "other data");
  posix_hardlink("a", "L");
}
static void scene_dir_and_junction(void) {
  scene_dir();
  posix_symlink("/./nowhere/else", "L");
}
static void scene_sub_and_file(void) {
  scene_file();
  posix_mkdir("sub");
}

/* ---- operations --------------------------------------------------------- */

static int op_file_symlink(void) { return mklink_create("L", "t", MKLINK_FILE_SYMLINK, 0); }
static int op_file_symlink_r(void) { return mklink_create("L", "t", MKLINK_FILE_SYMLINK, R); }
static int op_dir_symlink(void) { return mklink_create("L", "d", MKLINK_DIR_SYMLINK, 0); }
static int op_dir_symlink_r(void) { return mklink_create("L", "d", MKLINK_DIR_SYMLINK, R); }
static int op_hardlink(void) { return mklink_create("L", "t", MKLINK_HARDLINK, 0); }
static int op_hardlink_r(void) { return mklink_create("L", "t", MKLINK_HARDLINK, R); }
static int op_junction(void) { return mklink_create("L", "d", MKLINK_JUNCTION, 0); }
static int op_junction_r(void) { return mklink_create("L", "d", MKLINK_JUNCTION, R); }
static int op_junction_require(void) {
  return mklink_create("L", "d", MKLINK_JUNCTION, MKLINK_REQUIRE_TARGET);
}
static int op_relative_require(void) {
  return mklink_create("sub/L", "t", MKLINK_FILE_SYMLINK,
                       MKLINK_RELATIVE | MKLINK_REQUIRE_TARGET);
}
static int op_remove(void) { return mklink_remove("L"); }
static int op_query(void) {
  static mklink_info info;
  mklink_info_free(&info);
  return mklink_query("L", &info);
}

/* ---- tests -------------------------------------------------------------- */

#define FAULT_TEST(name, scene, op, min)                                                \
  static void test_##name(void **state) {                                               \
    (void)state;                                                                        \
    check_every_call(scene, op, min);                                                   \
  }

FAULT_TEST(file_symlink, scene_file, op_file_symlink, 1)
FAULT_TEST(file_symlink_replace, scene_file_and_link, op_file_symlink_r, 3)
FAULT_TEST(dir_symlink, scene_dir, op_dir_symlink, 1)
FAULT_TEST(dir_symlink_replace, scene_dir_and_link, op_dir_symlink_r, 3)
FAULT_TEST(hardlink, scene_file, op_hardlink, 1)
FAULT_TEST(hardlink_replace, scene_file_and_hardlink, op_hardlink_r, 4)
FAULT_TEST(junction, scene_dir, op_junction, 3)
FAULT_TEST(junction_replace, scene_dir_and_junction, op_junction_r, 5)
FAULT_TEST(junction_require_target, scene_dir, op_junction_require, 4)
FAULT_TEST(relative_require_target, scene_sub_and_file, op_relative_require, 3)
FAULT_TEST(remove_symlink, scene_file_and_link, op_remove, 2)
FAULT_TEST(remove_hardlink, scene_file_and_hardlink, op_remove, 2)
FAULT_TEST(remove_junction, scene_dir_and_junction, op_remove, 2)
FAULT_TEST(query_junction, scene_dir_and_junction, op_query, 2)

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(test_##name, posix_tmp_setup, posix_tmp_teardown)
  const struct CMUnitTest tests[] = {
      T(file_symlink),       T(file_symlink_replace),    T(dir_symlink),
      T(dir_symlink_replace), T(hardlink),               T(hardlink_replace),
      T(junction),           T(junction_replace),        T(junction_require_target),
      T(relative_require_target), T(remove_symlink),     T(remove_hardlink),
      T(remove_junction),    T(query_junction),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

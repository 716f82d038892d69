/*
 * test_physical.c -- on POSIX a link is resolved as the kernel resolves it:
 * physically, so ".." after a symbolic link goes up from where the link
 * leads, not from the name written before it (docs/semantics.md, "Paths").
 * MKLINK_RELATIVE computes the text from LINK's physical directory,
 * MKLINK_REQUIRE_TARGET checks the link's destination as the kernel will
 * see it, and `resolved` is where the system really goes, never a decoy.
 * The scenes are issue 10's reproductions.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "mklink.h"
#include "posix_fault.h"
#include "posix_fs.h"

/* The test directory as the system names it (no link in it), + "/" + REL. */
static const char *real_here(const char *rel) {
  static char buf[2][POSIX_PATH_MAX + 64];
  static int which;
  char dir[PATH_MAX];
  which ^= 1;
  if (realpath(".", dir) == NULL)
    fail();
  if ((size_t)snprintf(buf[which], sizeof buf[which], "%s%s%s", dir, rel[0] ? "/" : "",
                       rel) >= sizeof buf[which])
    fail();
  return buf[which];
}

/* Reads the file at PATH, following links, as any program would. */
static const char *cat(const char *path) { return posix_read_file(path); }

/*
 * mkdir -p real/a proj; echo data > proj/target.txt; ln -s ../real/a proj/LS
 * cd proj; mklink --relative --require-target LS/l target.txt
 * stored ../target.txt, which from real/a dangles; ln -sr stores
 * ../../proj/target.txt.
 */
static void test_relative_from_the_physical_directory(void **state) {
  (void)state;
  posix_mkdir("real");
  posix_mkdir("real/a");
  posix_mkdir("proj");
  posix_write_file("proj/target.txt", "data");
  posix_symlink("../real/a", "proj/LS");
  assert_int_equal(chdir("proj"), 0);
  assert_int_equal(mklink_create("LS/l", "target.txt", MKLINK_FILE_SYMLINK,
                                 MKLINK_RELATIVE | MKLINK_REQUIRE_TARGET),
                   0);
  assert_string_equal(posix_readlink("LS/l"), "../../proj/target.txt");
  assert_string_equal(cat("LS/l"), "data");
  /* The target given through the same link: from there, simply "t". */
  posix_write_file("../real/a/t", "t");
  assert_int_equal(mklink_create("LS/m", "LS/t", MKLINK_FILE_SYMLINK, MKLINK_RELATIVE), 0);
  assert_string_equal(posix_readlink("LS/m"), "t");
  assert_string_equal(cat("LS/m"), "t");
  assert_int_equal(chdir(posix_tmp_dir()), 0);
}

/* --require-target checks what the link will reach, not TARGET as given:
   a relative text that dangles from LINK's physical directory is refused,
   and one that resolves there is accepted though it names nothing from
   the current directory. */
static void test_require_target_as_the_kernel_sees_it(void **state) {
  (void)state;
  posix_mkdir("real");
  posix_mkdir("real/a");
  posix_write_file("target.txt", "decoy: ./target.txt, not real/target.txt");
  posix_symlink("real/a", "LS");
  /* LS/../target.txt is real/target.txt for the kernel: missing. */
  assert_int_equal(mklink_create("LS/l", "../target.txt", MKLINK_FILE_SYMLINK,
                                 MKLINK_REQUIRE_TARGET),
                   MKLINK_ENOFILE);
  assert_false(posix_exists("real/a/l"));
  posix_write_file("real/only-here", "x");
  assert_int_equal(mklink_create("LS/l", "../only-here", MKLINK_FILE_SYMLINK,
                                 MKLINK_REQUIRE_TARGET),
                   0);
  assert_string_equal(cat("LS/l"), "x");
}

/*
 * real/a/l -> ../b, LS -> real/a, and a file ./b: --query LS/l said
 * "-> $PWD/b"; with real/b deleted it said "(broken)" for a path that
 * exists.  resolved is real/b, whether or not it exists.
 */
static void test_resolved_is_where_the_system_goes(void **state) {
  mklink_info info;
  (void)state;
  posix_mkdir("real");
  posix_mkdir("real/a");
  posix_write_file("real/b", "real");
  posix_write_file("b", "decoy");
  posix_symlink("../b", "real/a/l");
  posix_symlink("real/a", "LS");
  assert_int_equal(mklink_query("LS/l", &info), 0);
  assert_string_equal(info.target, "../b");
  assert_string_equal(info.resolved, real_here("real/b"));
  assert_int_equal(info.target_exists, 1);
  mklink_info_free(&info);
  assert_int_equal(unlink("real/b"), 0);
  assert_int_equal(mklink_query("LS/l", &info), 0);
  assert_string_equal(info.resolved, real_here("real/b"));
  assert_int_equal(info.target_exists, 0);
  mklink_info_free(&info);
  /* The same through an absolute path. */
  assert_int_equal(mklink_query(real_here("LS/l"), &info), 0);
  assert_string_equal(info.resolved, real_here("real/b"));
  mklink_info_free(&info);
}

/* A ".." in the text itself, after a name that is a link; a plain entry
   named through a link and ".."; a chain of two links before the "..". */
static void test_dotdot_after_links_in_text_and_path(void **state) {
  mklink_info info;
  (void)state;
  posix_mkdir("real");
  posix_mkdir("real/a");
  posix_mkdir("real/a/deep");
  posix_write_file("real/b", "real");
  posix_symlink("real/a", "LS");
  posix_symlink("LS/deep", "LL");
  posix_symlink("LS/../b", "x");
  assert_int_equal(mklink_query("x", &info), 0);
  assert_string_equal(info.resolved, real_here("real/b"));
  assert_int_equal(info.target_exists, 1);
  mklink_info_free(&info);
  assert_int_equal(mklink_query("LS/../b", &info), 0); /* a plain file */
  assert_int_equal(info.kind, MKLINK_NOT_LINK);
  assert_string_equal(info.resolved, real_here("real/b"));
  mklink_info_free(&info);
  posix_symlink("LL/../../b", "y"); /* real/a/deep/../../b */
  assert_int_equal(mklink_query("y", &info), 0);
  assert_string_equal(info.resolved, real_here("real/b"));
  mklink_info_free(&info);
  /* An absolute text: the same rule. */
  {
    char text[POSIX_PATH_MAX + 16];
    snprintf(text, sizeof text, "%s/../b", real_here("LS"));
    posix_symlink(text, "z");
  }
  assert_int_equal(mklink_query("z", &info), 0);
  assert_string_equal(info.resolved, real_here("real/b"));
  mklink_info_free(&info);
}

/* Without a ".." after a name nothing more is looked at: the query costs
   what it did (readlink, stat of the destination). */
static void test_no_dotdot_no_extra_call(void **state) {
  mklink_info info;
  (void)state;
  posix_mkdir("d");
  posix_write_file("d/t", "t");
  posix_symlink("t", "d/l");
  posix_symlink("../d/t", "up");
  fault_start();
  assert_int_equal(mklink_query("d/l", &info), 0);
  assert_int_equal(fault_calls_of("readlinkat"), 1);
  mklink_info_free(&info);
  fault_reset_counts();
  /* "../d/t" from the current directory climbs out of it: the current
     directory has no link in it (getcwd), so nothing is looked at. */
  assert_int_equal(mklink_query("up", &info), 0);
  assert_int_equal(fault_calls_of("readlinkat"), 1);
  mklink_info_free(&info);
  fault_reset_counts();
  /* d/l -> ../d/t would climb out of d: d is looked at, once. */
  assert_int_equal(unlink("d/l"), 0);
  posix_symlink("../d/t", "d/l");
  assert_int_equal(mklink_query("d/l", &info), 0);
  assert_int_equal(fault_calls_of("readlinkat"), 2);
  assert_string_equal(info.resolved, real_here("d/t"));
  mklink_info_free(&info);
  fault_stop();
}

/* A failure to look is the query's error, not a wrong answer. */
static void test_look_fails(void **state) {
  mklink_info info;
  (void)state;
  posix_mkdir("d");
  posix_symlink("../x", "d/l");
  fault_start();
  expect_fail("readlinkat", 2, EIO); /* the look at d */
  assert_int_equal(mklink_query("d/l", &info), MKLINK_EIO);
  assert_null(info.target);
  fault_stop();
}

/* A link that would point at itself only through a symbolic link is
   still refused, and MKLINK_REPLACE keeps the good link it would have
   destroyed. */
static void test_self_through_a_link(void **state) {
  (void)state;
  posix_mkdir("real");
  posix_mkdir("real/a");
  posix_symlink("real/a", "LS");
  posix_symlink("good", "real/a/l");
  /* LS/l -> ../a/l: real/a/../a/l is real/a/l, the link itself. */
  assert_int_equal(mklink_create("LS/l", "../a/l", MKLINK_FILE_SYMLINK, MKLINK_REPLACE),
                   MKLINK_ELOOP);
  assert_string_equal(posix_readlink("real/a/l"), "good");
  assert_int_equal(mklink_create("LS/n", "../a/n", MKLINK_FILE_SYMLINK, 0), MKLINK_ELOOP);
  assert_false(posix_exists("real/a/n"));
}

/* --list through a link to the directory: the entries' resolved paths are
   where the system goes from the real directory. */
typedef struct seen {
  int count;
  char resolved[POSIX_PATH_MAX + 64];
} seen;

static int record(const mklink_walk_entry *e, void *arg) {
  seen *s = arg;
  assert_int_equal(e->error, 0);
  s->count++;
  snprintf(s->resolved, sizeof s->resolved, "%s", e->info->resolved);
  return 0;
}

static void test_walk_resolves_physically(void **state) {
  seen s;
  (void)state;
  posix_mkdir("real");
  posix_mkdir("real/a");
  posix_mkdir("real/a/sub");
  posix_write_file("b", "decoy");
  posix_symlink("../b", "real/a/l");
  posix_symlink("real/a", "LS");
  memset(&s, 0, sizeof s);
  assert_int_equal(mklink_walk("LS", 0, record, &s), 0);
  assert_int_equal(s.count, 1);
  assert_string_equal(s.resolved, real_here("real/b"));
  /* Deeper: the first ".." leaves sub, a real directory the walk entered;
     the second leaves the top, which the walk reached through LS. */
  assert_int_equal(unlink("real/a/l"), 0);
  posix_symlink("../../b", "real/a/sub/m");
  memset(&s, 0, sizeof s);
  assert_int_equal(mklink_walk("LS", MKLINK_WALK_RECURSIVE, record, &s), 0);
  assert_int_equal(s.count, 1);
  assert_string_equal(s.resolved, real_here("real/b"));
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(test_##name, posix_tmp_setup, posix_tmp_teardown)
  const struct CMUnitTest tests[] = {
      T(relative_from_the_physical_directory), T(require_target_as_the_kernel_sees_it),
      T(resolved_is_where_the_system_goes),    T(dotdot_after_links_in_text_and_path),
      T(no_dotdot_no_extra_call),              T(look_fails),
      T(self_through_a_link),                  T(walk_resolves_physically),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

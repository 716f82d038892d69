/*
 * test_check_portable.c -- mklink_check_portable on POSIX, through the
 * library: a clean tree of 10,000 entries says nothing; every finding kind
 * the file system can stage, with the kind, path and numbers the caller
 * gets; git's symbolic-link stubs from a real repository; the junction
 * rule; ".git" left alone; the callback stopping the check; bad arguments.
 * (The name rules alone: tests/common/test_portable.c; the command's lines:
 * tests/cli/cases.py.)
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "mklink.h"
#include "posix_fs.h"

#define MAX_FOUND 64

typedef struct found {
  size_t n, errors;
  mklink_portable_kind kind[MAX_FOUND];
  char path[MAX_FOUND][512];
  char other[MAX_FOUND][512];
  size_t length[MAX_FOUND], limit[MAX_FOUND];
  int stop_after;
} found;

static int collect(const mklink_portable_finding *f, void *arg) {
  found *s = arg;
  if (f->error != 0) {
    s->errors++;
    return 0;
  }
  assert_non_null(f->detail);
  assert_true(f->detail[0] != '\0');
  assert_true(f->rel <= strlen(f->path));
  if (s->n < MAX_FOUND) {
    s->kind[s->n] = f->kind;
    snprintf(s->path[s->n], sizeof s->path[0], "%s", f->path);
    snprintf(s->other[s->n], sizeof s->other[0], "%s", f->other != NULL ? f->other : "");
    s->length[s->n] = f->length;
    s->limit[s->n] = f->limit;
  }
  s->n++;
  return s->stop_after > 0 && s->n >= (size_t)s->stop_after ? 42 : 0;
}

/* The index of the finding KIND about PATH, or -1. */
static int find(const found *s, mklink_portable_kind kind, const char *path) {
  size_t k;
  for (k = 0; k < s->n && k < MAX_FOUND; k++)
    if (s->kind[k] == kind && strcmp(s->path[k], path) == 0)
      return (int)k;
  return -1;
}

static void expect_found(const found *s, mklink_portable_kind kind, const char *path) {
  if (find(s, kind, path) < 0)
    fail_msg("no %s finding for '%s' (%zu findings)", mklink_portable_kind_name(kind), path,
             s->n);
}

static void make_file(const char *path) { posix_write_file(path, ""); }

static void test_clean_tree_of_10000_entries(void **state) {
  char path[64];
  found s;
  int d, f;
  (void)state;
  posix_mkdir("t");
  /* 20 directories of 499 entries: files, a few links beside them and up. */
  for (d = 0; d < 20; d++) {
    snprintf(path, sizeof path, "t/dir%02d", d);
    posix_mkdir(path);
    for (f = 0; f < 499; f++) {
      snprintf(path, sizeof path, "t/dir%02d/file%03d.c", d, f);
      if (f % 50 == 49) {
        char target[32];
        snprintf(target, sizeof target, "file%03d.c", f - 1);
        posix_symlink(f % 100 == 99 ? "../dir00" : target, path);
      } else {
        make_file(path);
      }
    }
  }
  memset(&s, 0, sizeof s);
  assert_int_equal(mklink_check_portable("t", NULL, collect, &s), 0);
  if (s.n != 0)
    fail_msg("a clean tree gave %zu findings, the first %s '%s'", s.n,
             mklink_portable_kind_name(s.kind[0]), s.path[0]);
  assert_int_equal(s.errors, 0);
}

static void test_every_kind_the_disk_can_hold(void **state) {
  found s;
  (void)state;
  posix_mkdir("t");
  posix_mkdir("t/sub");
  make_file("t/aux.c");
  make_file("t/a:b");
  make_file("t/c\001");
  make_file("t/dot.");
  make_file("t/bad\377");
  make_file("t/Makefile");
  make_file("t/makefile");
  make_file("t/sub/\xc3\xa9t\xc3\xa9");         /* été */
  make_file("t/sub/\xc3\x89T\xc3\x89");         /* ÉTÉ */
  posix_symlink("/usr", "t/abs");
  posix_symlink("../../outside", "t/sub/out");
  posix_symlink("nowhere", "t/dangling");
  memset(&s, 0, sizeof s);
  assert_int_equal(mklink_check_portable("t", NULL, collect, &s), 0);
  expect_found(&s, MKLINK_PORTABLE_RESERVED_NAME, "t/aux.c");
  expect_found(&s, MKLINK_PORTABLE_FORBIDDEN_CHAR, "t/a:b");
  expect_found(&s, MKLINK_PORTABLE_CONTROL_CHAR, "t/c\001");
  expect_found(&s, MKLINK_PORTABLE_TRAILING_DOT_OR_SPACE, "t/dot.");
  expect_found(&s, MKLINK_PORTABLE_INVALID_UTF8, "t/bad\377");
  expect_found(&s, MKLINK_PORTABLE_ABSOLUTE_TARGET, "t/abs");
  expect_found(&s, MKLINK_PORTABLE_TARGET_OUTSIDE, "t/sub/out");
  expect_found(&s, MKLINK_PORTABLE_MISSING_TARGET, "t/sub/out");
  expect_found(&s, MKLINK_PORTABLE_MISSING_TARGET, "t/dangling");
  /* One finding per colliding name but the first in byte order. */
  assert_true(find(&s, MKLINK_PORTABLE_CASE_COLLISION, "t/makefile") >= 0);
  assert_true(find(&s, MKLINK_PORTABLE_CASE_COLLISION, "t/Makefile") < 0);
  assert_string_equal(s.other[find(&s, MKLINK_PORTABLE_CASE_COLLISION, "t/makefile")],
                      "t/Makefile");
  expect_found(&s, MKLINK_PORTABLE_CASE_COLLISION, "t/sub/\xc3\xa9t\xc3\xa9");
  assert_int_equal(s.n, 11);
}

static void test_path_limits_exactly(void **state) {
  mklink_portable_options o = {0, 0};
  char name[300];
  found s;
  (void)state;
  posix_mkdir("t");
  /* Default 259: "C:\" + 256 units is the limit; a 255-byte name is the
     longest Linux allows, so the path is made of two names. */
  memset(name, 0, sizeof name);
  memcpy(name, "t/", 2);
  memset(name + 2, 'd', 100);
  posix_mkdir(name); /* a directory of 100 units: under 247 */
  name[102] = '/';
  memset(name + 103, 'f', 155); /* 100 + 1 + 155 = 256 units: exactly 259 */
  make_file(name);
  name[103 + 155] = 'g'; /* one more unit */
  make_file(name);
  memset(&s, 0, sizeof s);
  assert_int_equal(mklink_check_portable("t", &o, collect, &s), 0);
  assert_int_equal(s.n, 1);
  assert_int_equal(s.kind[0], MKLINK_PORTABLE_PATH_TOO_LONG);
  assert_int_equal(s.length[0], 260);
  assert_int_equal(s.limit[0], 259);
  assert_string_equal(s.path[0], name);
  /* A smaller limit: the directory itself is over (100 + 3 > 90 - 12), and
     nothing below it is reported again. */
  o.max_path = 90;
  memset(&s, 0, sizeof s);
  assert_int_equal(mklink_check_portable("t", &o, collect, &s), 0);
  assert_int_equal(s.n, 1);
  assert_int_equal(s.length[0], 103);
  assert_int_equal(s.limit[0], 78);
}

static void test_junctions_inside_and_outside(void **state) {
  char outside[4096];
  found s;
  (void)state;
  posix_mkdir("t");
  posix_mkdir("t/in");
  posix_mkdir("elsewhere");
  assert_int_equal(mklink_create("t/j_in", "t/in", MKLINK_JUNCTION, 0), 0);
  assert_int_equal(mklink_create("t/j_out", "elsewhere", MKLINK_JUNCTION, 0), 0);
  memset(&s, 0, sizeof s);
  assert_int_equal(mklink_check_portable("t", NULL, collect, &s), 0);
  assert_int_equal(s.n, 1);
  expect_found(&s, MKLINK_PORTABLE_JUNCTION_OUTSIDE, "t/j_out");
  snprintf(outside, sizeof outside, "%s/elsewhere", posix_tmp_dir());
  assert_string_equal(s.other[0], outside);
}

static void test_git_symlink_stubs(void **state) {
  found s;
  (void)state;
  if (!posix_have("git")) {
    print_message("skipped: git is not installed\n");
    skip();
  }
  posix_mkdir("repo");
  posix_mkdir("repo/sub");
  make_file("repo/target");
  posix_symlink("target", "repo/sub/link");
  posix_symlink("target", "repo/real");
  assert_int_equal(posix_sh("cd repo && git init -q && git add . && git -c user.email=t@t "
                            "-c user.name=t commit -qm t && rm sub/link && "
                            "git -c core.symlinks=false checkout -- sub/link"),
                   0);
  assert_false(posix_is_symlink("repo/sub/link")); /* the stub: a file */
  memset(&s, 0, sizeof s);
  assert_int_equal(mklink_check_portable("repo", NULL, collect, &s), 0);
  assert_int_equal(s.n, 1);
  expect_found(&s, MKLINK_PORTABLE_GIT_SYMLINK_STUB, "repo/sub/link");
  /* From a subdirectory of the work tree, and with git not asked. */
  memset(&s, 0, sizeof s);
  assert_int_equal(mklink_check_portable("repo/sub", NULL, collect, &s), 0);
  expect_found(&s, MKLINK_PORTABLE_GIT_SYMLINK_STUB, "repo/sub/link");
  {
    mklink_portable_options o = {MKLINK_PORTABLE_NO_GIT, 0};
    memset(&s, 0, sizeof s);
    assert_int_equal(mklink_check_portable("repo", &o, collect, &s), 0);
    assert_int_equal(s.n, 0);
  }
}

static void test_dot_git_is_left_alone(void **state) {
  found s;
  (void)state;
  posix_mkdir("t");
  posix_mkdir("t/.git");
  make_file("t/.git/aux");
  make_file("t/.git/AUX");
  memset(&s, 0, sizeof s);
  assert_int_equal(mklink_check_portable("t", NULL, collect, &s), 0);
  assert_int_equal(s.n, 0);
}

static void test_callback_stops_the_check(void **state) {
  found s;
  (void)state;
  posix_mkdir("t");
  make_file("t/con");
  make_file("t/prn");
  make_file("t/nul");
  memset(&s, 0, sizeof s);
  s.stop_after = 1;
  assert_int_equal(mklink_check_portable("t", NULL, collect, &s), 42);
  assert_int_equal(s.n, 1);
}

static void test_bad_arguments(void **state) {
  mklink_portable_options bad = {0x80u, 0};
  found s;
  (void)state;
  make_file("file");
  memset(&s, 0, sizeof s);
  assert_int_equal(mklink_check_portable(NULL, NULL, collect, &s), MKLINK_EINVAL);
  assert_int_equal(mklink_check_portable("", NULL, collect, &s), MKLINK_EINVAL);
  assert_int_equal(mklink_check_portable(".", NULL, NULL, NULL), MKLINK_EINVAL);
  assert_int_equal(mklink_check_portable(".", &bad, collect, &s), MKLINK_EINVAL);
  assert_int_equal(mklink_check_portable("missing", NULL, collect, &s), MKLINK_ENOPATH);
  assert_int_equal(mklink_check_portable("file", NULL, collect, &s), MKLINK_EINVAL);
  assert_int_equal(s.n + s.errors, 0);
  assert_string_equal(mklink_portable_kind_name(MKLINK_PORTABLE_RESERVED_NAME), "reserved-name");
  assert_string_equal(mklink_portable_kind_name((mklink_portable_kind)0), "unknown");
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(test_##name, posix_tmp_setup, posix_tmp_teardown)
  const struct CMUnitTest tests[] = {
      T(clean_tree_of_10000_entries), T(every_kind_the_disk_can_hold),
      T(path_limits_exactly),         T(junctions_inside_and_outside),
      T(git_symlink_stubs),           T(dot_git_is_left_alone),
      T(callback_stops_the_check),    T(bad_arguments),
  };
#undef T
  return cmocka_run_group_tests(tests, NULL, NULL);
}

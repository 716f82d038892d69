/*
 * test_check_portable.c -- mklink_check_portable on POSIX, through the
 * library: a clean tree of 10,000 entries says nothing; every finding kind
 * the file system can stage, with the kind, path and numbers the caller
 * gets; git's symbolic-link stubs from a real repository; the junction
 * rule; ".git" left alone; mount points reported and never entered (in a
 * sandbox: a bind mount, a tmpfs, a bind of the tree's own parent); the
 * callback stopping the check; bad arguments.
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
#include "posix_fault.h"
#include "posix_fs.h"
#include "posix_sandbox.h"

#include <sys/mount.h>

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

/* Outside any work tree git is not even started (it costs more than the
   check of a big tree); with a ".git" beside the tree it is asked. */
static void test_git_not_started_outside_a_work_tree(void **state) {
  char dir[] = "/tmp/mklink-portable-XXXXXX", path[64];
  struct stat st;
  found s;
  (void)state;
  if (getenv("GIT_DIR") != NULL || lstat("/tmp/.git", &st) == 0 || lstat("/.git", &st) == 0) {
    print_message("skipped: /tmp is inside a git work tree here (or GIT_DIR is set)\n");
    skip();
  }
  assert_non_null(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/aux", dir);
  make_file(path);
  fault_start();
  memset(&s, 0, sizeof s);
  assert_int_equal(mklink_check_portable(dir, NULL, collect, &s), 0);
  assert_int_equal(fault_calls_of("posix_spawnp"), 0);
  assert_int_equal(s.n, 1);
  snprintf(path, sizeof path, "%s/.git", dir);
  assert_int_equal(mkdir(path, 0755), 0); /* no repository: git says so */
  fault_reset_counts();
  memset(&s, 0, sizeof s);
  assert_int_equal(mklink_check_portable(dir, NULL, collect, &s), 0);
  assert_int_equal(fault_calls_of("posix_spawnp"), 1);
  assert_int_equal(s.n, 1);
  fault_stop();
  assert_int_equal(rmdir(path), 0);
  snprintf(path, sizeof path, "%s/aux", dir);
  assert_int_equal(unlink(path), 0);
  assert_int_equal(rmdir(dir), 0);
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

/* ---- mount points: reported, never entered (issue 11) ------------------ */

/* What the check found, in memory shared with the sandboxed child (which
   must not use cmocka's assertions). */
typedef struct mount_found {
  int mounts, inside, reserved_top, other, errors;
  char mount_path[3][64];
} mount_found;

static int collect_mounts(const mklink_portable_finding *f, void *arg) {
  mount_found *m = arg;
  if (f->error != 0)
    m->errors++;
  else if (f->kind == MKLINK_PORTABLE_MOUNT_POINT && m->mounts < 3)
    snprintf(m->mount_path[m->mounts++], sizeof m->mount_path[0], "%s", f->path);
  else if (strstr(f->path, "/W/tree/bind/") != NULL || strstr(f->path, "/W/tree/tmp/") != NULL ||
           strstr(f->path, "/W/tree/loop/") != NULL)
    m->inside++;
  else if (f->kind == MKLINK_PORTABLE_RESERVED_NAME && strcmp(f->path, "/W/tree/CON") == 0)
    m->reserved_top++;
  else
    m->other++;
  return 0;
}

static int has_mount(const mount_found *m, const char *path) {
  int k;
  for (k = 0; k < m->mounts; k++)
    if (strcmp(m->mount_path[k], path) == 0)
      return 1;
  return 0;
}

static void put(const char *path) {
  FILE *f = fopen(path, "w");
  SBX_CHECK(f != NULL);
  SBX_CHECK(fclose(f) == 0);
}

static int sc_mount_points(void *arg) {
  mount_found *m = arg;
  SBX_CHECK(mkdir("/W", 0755) == 0);
  SBX_CHECK(mkdir("/W/victim", 0755) == 0);
  put("/W/victim/aux"); /* findings, if the check went in */
  put("/W/victim/AUX");
  SBX_CHECK(mkdir("/W/tree", 0755) == 0);
  put("/W/tree/CON");
  put("/W/tree/ok.c");
  SBX_CHECK(mkdir("/W/tree/bind", 0755) == 0);
  SBX_CHECK(mkdir("/W/tree/tmp", 0755) == 0);
  SBX_CHECK(mkdir("/W/tree/loop", 0755) == 0);
  SBX_CHECK(mount("/W/victim", "/W/tree/bind", "none", MS_BIND, NULL) == 0);
  SBX_CHECK(mount("mklink-test", "/W/tree/tmp", "tmpfs", 0, "size=64k") == 0);
  put("/W/tree/tmp/nul.txt");
  SBX_CHECK(mount("/W", "/W/tree/loop", "none", MS_BIND, NULL) == 0);
  SBX_CHECK(mklink_check_portable("/W/tree", NULL, collect_mounts, &m[0]) == 0);
  /* Given as DIR, a mount point is checked like any directory. */
  SBX_CHECK(mklink_check_portable("/W/tree/bind", NULL, collect_mounts, &m[1]) == 0);
  SBX_CHECK(umount2("/W/tree/loop", MNT_DETACH) == 0);
  SBX_CHECK(umount2("/W/tree/tmp", MNT_DETACH) == 0);
  SBX_CHECK(umount2("/W/tree/bind", MNT_DETACH) == 0);
  SBX_CHECK(sandbox_clear("/W", 1) == 0);
  return 0;
}

static void test_mount_points_are_reported_not_entered(void **state) {
  mount_found *m;
  int rc;
  SANDBOX_REQUIRE();
  m = sandbox_shared(2 * sizeof *m);
  rc = sandbox_run_tmpfs(*state, 16u << 20, sc_mount_points, m);
  if (rc == -1) {
    sandbox_shared_free(m, 2 * sizeof *m);
    print_message("skipped: no private mount namespace here\n");
    skip();
  }
  assert_int_equal(rc, 0);
  assert_int_equal(m[0].mounts, 3);
  assert_true(has_mount(&m[0], "/W/tree/bind"));
  assert_true(has_mount(&m[0], "/W/tree/tmp"));
  assert_true(has_mount(&m[0], "/W/tree/loop"));
  assert_int_equal(m[0].inside, 0);       /* nothing behind them was looked at */
  assert_int_equal(m[0].reserved_top, 1); /* the rest of the tree was */
  assert_int_equal(m[0].other + m[0].errors, 0);
  /* Behind the bind mount, checked as a DIR: aux, AUX and their collision. */
  assert_int_equal(m[1].mounts + m[1].errors, 0);
  assert_int_equal(m[1].inside + m[1].other, 3);
  sandbox_shared_free(m, 2 * sizeof *m);
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
      T(git_symlink_stubs),           T(git_not_started_outside_a_work_tree),
      T(dot_git_is_left_alone),
      T(callback_stops_the_check),    T(bad_arguments),
      SANDBOX_TEST(test_mount_points_are_reported_not_entered),
  };
#undef T
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_walk.c -- mklink_walk on POSIX: every link once, as mklink_query
 * describes it; never into a link, so loops and junctions to an ancestor end;
 * the filters; errors reported per directory while the walk goes on; and the
 * promise that ordinary entries cost no system call beyond readdir.
 */
#include <errno.h>
#include <dirent.h>
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

#define MAX_SEEN 64

/* What the callback saw, copied out (entries are valid only during it). */
typedef struct seen {
  char path[8192];
  int error;
  mklink_info info; /* its strings point to the two buffers below */
  char target[8192];
  char resolved[8192];
} seen;

typedef struct collector {
  size_t count;
  seen items[MAX_SEEN];
  int stop_after; /* return 7 after this many entries; 0: never */
} collector;

static int collect(const mklink_walk_entry *e, void *arg) {
  collector *c = arg;
  seen *s;
  assert_true(c->count < MAX_SEEN);
  s = &c->items[c->count++];
  assert_true(strlen(e->path) < sizeof s->path);
  strcpy(s->path, e->path);
  s->error = e->error;
  if (e->error == 0) {
    assert_non_null(e->info);
    s->info = *e->info;
    assert_true(strlen(e->info->target) < sizeof s->target);
    assert_true(strlen(e->info->resolved) < sizeof s->resolved);
    s->info.target = strcpy(s->target, e->info->target);
    s->info.resolved = strcpy(s->resolved, e->info->resolved);
  } else {
    assert_null(e->info);
  }
  return c->stop_after != 0 && (int)c->count >= c->stop_after ? 7 : 0;
}

static collector *walk(const char *dir, unsigned flags, int want_rc) {
  static collector c;
  memset(&c, 0, sizeof c);
  assert_int_equal(mklink_walk(dir, flags, collect, &c), want_rc);
  return &c;
}

static const seen *find(const collector *c, const char *path) {
  size_t i, n = 0;
  const seen *hit = NULL;
  for (i = 0; i < c->count; i++)
    if (strcmp(c->items[i].path, path) == 0)
      hit = &c->items[i], n++;
  if (n != 1)
    fail_msg("%s reported %zu times, want once", path, n);
  return hit;
}

/* The walk describes a link exactly as mklink_query does. */
static void assert_as_query(const seen *s) {
  mklink_info q;
  assert_int_equal(s->error, 0);
  assert_int_equal(mklink_query(s->path, &q), 0);
  assert_int_equal(s->info.kind, q.kind);
  assert_string_equal(s->info.target, q.target);
  assert_string_equal(s->info.resolved, q.resolved);
  assert_int_equal(s->info.target_exists, q.target_exists);
  assert_int_equal(s->info.target_is_dir, q.target_is_dir);
  assert_int_equal(s->info.nlink, q.nlink);
  mklink_info_free(&q);
}

/* A tree with every kind of link, links below real directories, and plain
   entries that must not be reported. */
static void scene(void) {
  posix_mkdir("top");
  posix_mkdir("top/sub");
  posix_mkdir("top/sub/deeper");
  posix_write_file("top/file", "x");
  posix_write_file("top/sub/shared", "x");
  posix_hardlink("top/sub/shared", "top/other-name");
  posix_symlink("file", "top/file-link");
  posix_symlink("sub", "top/dir-link");
  posix_symlink("nowhere", "top/sub/dangling");
  posix_symlink("../../file", "top/sub/deeper/up-file");
  assert_int_equal(mklink_create("top/sub/junction", "top/sub/deeper", MKLINK_JUNCTION, 0), 0);
}

static void test_each_link_once_as_query_says(void **state) {
  collector *c;
  (void)state;
  scene();
  c = walk("top", MKLINK_WALK_RECURSIVE | MKLINK_WALK_TARGETS, 0);
  assert_int_equal(c->count, 5);
  assert_as_query(find(c, "top/file-link"));
  assert_as_query(find(c, "top/dir-link"));
  assert_as_query(find(c, "top/sub/dangling"));
  assert_as_query(find(c, "top/sub/deeper/up-file"));
  assert_as_query(find(c, "top/sub/junction"));
  assert_int_equal(find(c, "top/file-link")->info.kind, MKLINK_FILE_SYMLINK);
  assert_int_equal(find(c, "top/dir-link")->info.kind, MKLINK_DIR_SYMLINK);
  assert_int_equal(find(c, "top/sub/junction")->info.kind, MKLINK_JUNCTION);
  assert_int_equal(find(c, "top/sub/dangling")->info.target_exists, 0);
}

static void test_not_recursive_stays_in_dir(void **state) {
  collector *c;
  (void)state;
  scene();
  c = walk("top/", 0, 0);
  assert_int_equal(c->count, 2);
  find(c, "top/file-link"); /* one separator, even after "top/" */
  find(c, "top/dir-link");
}

static void test_loops_and_ancestor_links_end(void **state) {
  collector *c;
  (void)state;
  posix_mkdir("r");
  posix_mkdir("r/a");
  posix_mkdir("r/a/b");
  posix_symlink("self", "r/a/self");
  posix_symlink("../..", "r/a/b/back");
  posix_symlink("x", "r/a/ping");
  posix_symlink("../a/ping", "r/a/pong");
  assert_int_equal(mklink_create("r/a/up", "r", MKLINK_JUNCTION, 0), 0);
  c = walk("r", MKLINK_WALK_RECURSIVE | MKLINK_WALK_TARGETS, 0);
  assert_int_equal(c->count, 5);
  assert_int_equal(find(c, "r/a/self")->info.target_exists, 0);
  assert_int_equal(find(c, "r/a/b/back")->info.kind, MKLINK_DIR_SYMLINK);
  assert_int_equal(find(c, "r/a/up")->info.kind, MKLINK_JUNCTION);
  find(c, "r/a/ping");
  find(c, "r/a/pong");
}

static void test_broken_only(void **state) {
  collector *c;
  (void)state;
  scene();
  c = walk("top", MKLINK_WALK_RECURSIVE | MKLINK_WALK_BROKEN | MKLINK_WALK_HARDLINKS, 0);
  assert_int_equal(c->count, 1);
  assert_int_equal(find(c, "top/sub/dangling")->info.target_exists, 0);
}

static void test_hardlinks_when_asked(void **state) {
  collector *c;
  (void)state;
  scene();
  c = walk("top", MKLINK_WALK_RECURSIVE | MKLINK_WALK_HARDLINKS | MKLINK_WALK_TARGETS, 0);
  assert_int_equal(c->count, 7);
  assert_as_query(find(c, "top/other-name"));
  assert_as_query(find(c, "top/sub/shared"));
  assert_int_equal(find(c, "top/sub/shared")->info.nlink, 2);
}

static void test_bad_arguments(void **state) {
  collector c;
  (void)state;
  posix_write_file("file", "x");
  assert_int_equal(mklink_walk(NULL, 0, collect, &c), MKLINK_EINVAL);
  assert_int_equal(mklink_walk("", 0, collect, &c), MKLINK_EINVAL);
  assert_int_equal(mklink_walk(".", 0, NULL, &c), MKLINK_EINVAL);
  assert_int_equal(mklink_walk(".", 0x100, collect, &c), MKLINK_EINVAL);
  assert_int_equal(mklink_walk(".", 0x10, collect, &c), MKLINK_EINVAL);
  assert_int_equal(mklink_walk("missing", 0, collect, &c), MKLINK_ENOPATH);
  assert_int_equal(mklink_walk("missing/deeper", 0, collect, &c), MKLINK_ENOPATH);
  assert_int_equal(mklink_walk("file", 0, collect, &c), MKLINK_EINVAL);
  assert_int_equal(mklink_walk("file/x", 0, collect, &c), MKLINK_ENOPATH);
}

static void test_callback_stops_the_walk(void **state) {
  static collector c;
  (void)state;
  scene();
  memset(&c, 0, sizeof c);
  c.stop_after = 2;
  assert_int_equal(mklink_walk("top", MKLINK_WALK_RECURSIVE, collect, &c), 7);
  assert_int_equal(c.count, 2);
}

static void test_top_link_is_followed(void **state) {
  collector *c;
  (void)state;
  scene();
  posix_symlink("top/sub", "via");
  c = walk("via", 0, 0);
  assert_int_equal(c->count, 2);
  find(c, "via/dangling");
  find(c, "via/junction");
}

/* An unreadable subdirectory is reported and the walk goes on. */
static void test_error_entry_and_walk_goes_on(void **state) {
  collector *c;
  (void)state;
  posix_mkdir("t");
  posix_mkdir("t/locked");
  posix_symlink("x", "t/link");
  fault_start();
  expect_fail("openat", 2, EACCES); /* 1: t itself, 2: t/locked */
  c = walk("t", MKLINK_WALK_RECURSIVE, 0);
  fault_stop();
  assert_int_equal(c->count, 2);
  assert_int_equal(find(c, "t/locked")->error, MKLINK_EACCES);
  assert_int_equal(find(c, "t/link")->error, 0);
}

static int open_fds(void) {
  DIR *d = opendir("/proc/self/fd");
  int n = 0;
  if (d == NULL)
    return -1;
  while (readdir(d) != NULL)
    n++;
  closedir(d);
  return n;
}

#define FLAGS_ALL (MKLINK_WALK_RECURSIVE | MKLINK_WALK_HARDLINKS | MKLINK_WALK_TARGETS)

/* Fail each call of a walk in turn: never a crash, never a leaked
   descriptor, and the failure is either returned or reported. */
static void test_every_call_failing(void **state) {
  static const char *const entries[] = {"openat",     "fdopendir", "readdir", "closedir",
                                        "getdents64", "close",     "readlinkat", "fstatat",
                                        "getcwd",     "statx"};
  static collector c;
  const char *called[256];
  unsigned calls, i;
  int fds, rc;
  (void)state;
  scene();
  fds = open_fds();
  fault_start();
  assert_int_equal(mklink_walk("top", FLAGS_ALL, collect,
                               (memset(&c, 0, sizeof c), &c)),
                   0);
  calls = fault_calls();
  assert_true(calls > 0 && calls <= 256);
  for (i = 1; i <= calls; i++)
    called[i - 1] = fault_call_entry(i);
  for (i = 1; i <= calls; i++) {
    const char *entry = called[i - 1];
    size_t k, errors = 0;
    int known = 0;
    for (k = 0; k < sizeof entries / sizeof entries[0]; k++)
      known |= strcmp(entries[k], entry) == 0;
    if (!known)
      fail_msg("the walk called %s, which this test does not expect", entry);
    fault_reset_counts();
    expect_fail_call(i, EIO);
    memset(&c, 0, sizeof c);
    rc = mklink_walk("top", FLAGS_ALL, collect, &c);
    for (k = 0; k < c.count; k++)
      errors += c.items[k].error != 0;
    /* Closing a directory changes nothing a caller could see if it fails. */
    if (strcmp(entry, "closedir") != 0 && strcmp(entry, "close") != 0 && rc == 0 && errors == 0)
      fail_msg("call %u (%s) failed and neither the walk nor an entry said so", i, entry);
    expect_fail_call(0, 0);
  }
  fault_stop();
  assert_int_equal(open_fds(), fds);
}

/* Ordinary entries cost nothing beyond readdir: no stat, no readlink; a
   link costs one readlinkat, and one stat more only when targets are asked
   for. */
static void test_no_calls_for_plain_entries(void **state) {
  char name[32];
  collector *c;
  int i;
  (void)state;
  posix_mkdir("many");
  posix_mkdir("many/d");
  for (i = 0; i < 50; i++) {
    snprintf(name, sizeof name, "many/f%d", i);
    posix_write_file(name, "x");
  }
  posix_symlink("f1", "many/l1");
  posix_symlink("d", "many/l2");
  fault_start();
  c = walk("many", MKLINK_WALK_RECURSIVE, 0);
  assert_int_equal(fault_calls_of("readlinkat"), 2);
  assert_int_equal(fault_calls_of("fstatat"), 0);
  assert_int_equal(fault_calls_of("openat"), 2); /* many and many/d */
  assert_int_equal(find(c, "many/l2")->info.kind, MKLINK_FILE_SYMLINK);
  assert_int_equal(find(c, "many/l2")->info.target_checked, 0); /* not looked at */
  assert_int_equal(find(c, "many/l2")->info.target_exists, 0);
  assert_int_equal(find(c, "many/l2")->info.target_is_dir, 0);
  fault_reset_counts();
  c = walk("many", MKLINK_WALK_RECURSIVE | MKLINK_WALK_TARGETS, 0);
  assert_int_equal(fault_calls_of("readlinkat"), 2);
  assert_int_equal(fault_calls_of("fstatat"), 2); /* one per link, to its target */
  assert_int_equal(find(c, "many/l2")->info.kind, MKLINK_DIR_SYMLINK);
  assert_int_equal(find(c, "many/l2")->info.target_exists, 1);
  fault_stop();
}

/* Paths longer than PATH_MAX: the path buffers grow, and a link whose
   resolved path is longer than PATH_MAX is listed like any other (find
   lists it too): mklink_info's strings have the length they need. */
static void test_deep_tree(void **state) {
  char comp[201];
  collector *c;
  int depth;
  (void)state;
  memset(comp, 'd', 200);
  comp[200] = '\0';
  posix_mkdir("deep");
  assert_int_equal(chdir("deep"), 0);
  for (depth = 0; depth < 30; depth++) {
    assert_int_equal(mkdir(comp, 0755), 0);
    assert_int_equal(chdir(comp), 0);
  }
  posix_symlink("x", "bottom");
  assert_int_equal(chdir(posix_tmp_dir()), 0);
  c = walk("deep", MKLINK_WALK_RECURSIVE, 0);
  assert_int_equal(c->count, 1);
  assert_true(strlen(c->items[0].path) > 6000);
  assert_int_equal(c->items[0].error, 0);
  assert_string_equal(c->items[0].info.target, "x");
  assert_true(strlen(c->items[0].info.resolved) > 6000);
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(test_##name, posix_tmp_setup, posix_tmp_teardown)
  const struct CMUnitTest tests[] = {
      T(each_link_once_as_query_says), T(not_recursive_stays_in_dir),
      T(loops_and_ancestor_links_end), T(broken_only),
      T(hardlinks_when_asked),         T(bad_arguments),
      T(callback_stops_the_walk),      T(top_link_is_followed),
      T(error_entry_and_walk_goes_on), T(every_call_failing),
      T(no_calls_for_plain_entries),   T(deep_tree),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_bad_input.c -- every row of docs/bad-input.md: each bad input gives
 * its defined result and leaves the file system as it was (a digest of the
 * whole scene -- names, types, inodes, link counts, link texts, contents --
 * taken before and after).
 *
 * Each row runs in sandbox_run(): a forked child chrooted into the test's
 * own directory (mklink_remove_tree is among the calls, and the read-only
 * and full file systems are tmpfs mounts in the child's private mount
 * namespace).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mklink.h"
#include "posix_sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define SKIPPED 2 /* a row's scenario could not set up its condition */

/* A call's result must be WANT; print both names otherwise. */
#define EXPECT(call, want)                                                        \
  do {                                                                            \
    int got_ = (call);                                                            \
    if (got_ != (want)) {                                                         \
      fprintf(stderr, "%s:%d: %s gave %s, expected %s\n", __FILE__, __LINE__, #call, \
              mklink_err_name(got_), mklink_err_name(want));                      \
      _exit(SANDBOX_CHECK_FAILED);                                                \
    }                                                                             \
  } while (0)

static void put_file(const char *path, const char *content) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  SBX_CHECK(fd >= 0);
  SBX_CHECK(write(fd, content, strlen(content)) == (ssize_t)strlen(content));
  SBX_CHECK(close(fd) == 0);
}

/* The scene every row starts from, in directory TOP. */
static void make_scene(const char *top) {
  char p[PATH_MAX], text[PATH_MAX];
#define AT(name) (snprintf(p, sizeof p, "%s/%s", top, name), p)
  SBX_CHECK(mkdir(top, 0755) == 0);
  SBX_CHECK(mkdir(AT("T"), 0755) == 0);
  put_file(AT("T/f"), "in T");
  put_file(AT("F"), "file");
  SBX_CHECK(symlink("T", AT("LS")) == 0);
  snprintf(text, sizeof text, "/.%s/T", top);
  SBX_CHECK(symlink(text, AT("J")) == 0);
  SBX_CHECK(symlink("loop2", AT("loop1")) == 0);
  SBX_CHECK(symlink("loop1", AT("loop2")) == 0);
#undef AT
}

/* ---- fixture ----------------------------------------------------------------- */

static void run_row(void **state, int (*fn)(void *)) {
  int rc;
  SANDBOX_REQUIRE();
  rc = sandbox_run(*state, fn, NULL);
  if (rc == SKIPPED) {
    print_message("skipped: the condition cannot be made here (see the output above)\n");
    skip();
  }
  assert_int_equal(rc, 0);
}

/* ---- rows -------------------------------------------------------------------- */

static int row_empty_path(void *arg) {
  mklink_info info;
  unsigned long long before;
  (void)arg;
  make_scene("/w");
  SBX_CHECK(chdir("/w") == 0);
  before = sandbox_digest("/");
  EXPECT(mklink_create("", "T", MKLINK_DIR_SYMLINK, 0), MKLINK_EINVAL);
  EXPECT(mklink_create("L", "", MKLINK_FILE_SYMLINK, 0), MKLINK_EINVAL);
  EXPECT(mklink_create("L", "", MKLINK_JUNCTION, 0), MKLINK_EINVAL);
  EXPECT(mklink_create("", "", MKLINK_HARDLINK, MKLINK_REPLACE), MKLINK_EINVAL);
  EXPECT(mklink_create(NULL, "T", MKLINK_DIR_SYMLINK, 0), MKLINK_EINVAL);
  EXPECT(mklink_query("", &info), MKLINK_EINVAL);
  EXPECT(mklink_remove(""), MKLINK_EINVAL);
  EXPECT(mklink_remove_tree(""), MKLINK_EINVAL);
  SBX_CHECK(sandbox_digest("/") == before);
  mklink_info_free(&info);
  return 0;
}

static void test_empty_path(void **state) { run_row(state, row_empty_path); }

static int row_path_too_long(void *arg) {
  static char longpath[5001], longtext[5001];
  mklink_info info;
  unsigned long long before;
  size_t i;
  (void)arg;
  make_scene("/w");
  SBX_CHECK(chdir("/w") == 0);
  /* "T/T/T/...": 5000 bytes through real directory names. */
  for (i = 0; i + 2 <= 5000; i += 2)
    memcpy(longpath + i, "T/", 2);
  longpath[4999] = 'L';
  memset(longtext, 'x', 5000);
  before = sandbox_digest("/");
  EXPECT(mklink_create(longpath, "T", MKLINK_DIR_SYMLINK, 0), MKLINK_ENAMETOOLONG);
  EXPECT(mklink_create(longpath, "F", MKLINK_HARDLINK, 0), MKLINK_ENAMETOOLONG);
  EXPECT(mklink_create(longpath, "/w/T", MKLINK_JUNCTION, 0), MKLINK_ENAMETOOLONG);
  EXPECT(mklink_create("L", longtext, MKLINK_FILE_SYMLINK, 0), MKLINK_ENAMETOOLONG);
  EXPECT(mklink_create("L", longtext, MKLINK_JUNCTION, 0), MKLINK_ENAMETOOLONG);
  EXPECT(mklink_create("L", longpath, MKLINK_HARDLINK, 0), MKLINK_ENAMETOOLONG);
  EXPECT(mklink_create("LS", longtext, MKLINK_DIR_SYMLINK, MKLINK_REPLACE), MKLINK_ENAMETOOLONG);
  EXPECT(mklink_query(longpath, &info), MKLINK_ENAMETOOLONG);
  EXPECT(mklink_remove(longpath), MKLINK_ENAMETOOLONG);
  EXPECT(mklink_remove_tree(longpath), MKLINK_ENAMETOOLONG);
  SBX_CHECK(sandbox_digest("/") == before);
  mklink_info_free(&info);
  return 0;
}

static void test_path_of_4096_bytes_or_more(void **state) { run_row(state, row_path_too_long); }

static int row_component_too_long(void *arg) {
  char name[300], path[310];
  mklink_info info;
  unsigned long long before;
  (void)arg;
  make_scene("/w");
  SBX_CHECK(chdir("/w") == 0);
  memset(name, 'n', sizeof name - 1);
  name[sizeof name - 1] = '\0';
  snprintf(path, sizeof path, "T/%s", name);
  before = sandbox_digest("/");
  EXPECT(mklink_create(name, "T", MKLINK_DIR_SYMLINK, 0), MKLINK_ENAMETOOLONG);
  EXPECT(mklink_create(path, "T", MKLINK_FILE_SYMLINK, 0), MKLINK_ENAMETOOLONG);
  EXPECT(mklink_create(name, "F", MKLINK_HARDLINK, 0), MKLINK_ENAMETOOLONG);
  EXPECT(mklink_create(name, "T", MKLINK_JUNCTION, 0), MKLINK_ENAMETOOLONG);
  EXPECT(mklink_create("L", path, MKLINK_HARDLINK, 0), MKLINK_ENAMETOOLONG);
  EXPECT(mklink_query(name, &info), MKLINK_ENAMETOOLONG);
  EXPECT(mklink_remove(path), MKLINK_ENAMETOOLONG);
  EXPECT(mklink_remove_tree(name), MKLINK_ENAMETOOLONG);
  SBX_CHECK(sandbox_digest("/") == before);
  mklink_info_free(&info);
  return 0;
}

static void test_component_of_256_bytes_or_more(void **state) {
  run_row(state, row_component_too_long);
}

/* POSIX names are bytes: invalid UTF-8 is passed to the system as it is
   (mklink.h), so the link is made, found and removed under that exact name. */
static int row_invalid_utf8(void *arg) {
  static const char bad[] = "bad\xff\xfe\xc3";
  mklink_info info;
  unsigned long long before;
  (void)arg;
  make_scene("/w");
  SBX_CHECK(chdir("/w") == 0);
  before = sandbox_digest("/");
  EXPECT(mklink_create(bad, "T", MKLINK_DIR_SYMLINK, 0), 0);
  EXPECT(mklink_query(bad, &info), 0);
  SBX_CHECK(info.kind == MKLINK_DIR_SYMLINK && strcmp(info.target, "T") == 0);
  EXPECT(mklink_create("L", bad, MKLINK_FILE_SYMLINK, 0), 0);
  mklink_info_free(&info);
  EXPECT(mklink_query("L", &info), 0);
  SBX_CHECK(strcmp(info.target, bad) == 0);
  EXPECT(mklink_remove("L"), 0);
  EXPECT(mklink_remove(bad), 0);
  SBX_CHECK(sandbox_digest("/") == before);
  mklink_info_free(&info);
  return 0;
}

static void test_invalid_utf8_is_passed_through_on_posix(void **state) {
  run_row(state, row_invalid_utf8);
}

static int row_link_equals_target(void *arg) {
  unsigned long long before;
  (void)arg;
  make_scene("/w");
  SBX_CHECK(chdir("/w") == 0);
  before = sandbox_digest("/");
  /* A link to itself can only be a loop. */
  EXPECT(mklink_create("S", "S", MKLINK_FILE_SYMLINK, 0), MKLINK_ELOOP);
  EXPECT(mklink_create("S", "./S", MKLINK_DIR_SYMLINK, 0), MKLINK_ELOOP);
  EXPECT(mklink_create("T/S", "S", MKLINK_FILE_SYMLINK, 0), MKLINK_ELOOP);
  EXPECT(mklink_create("S", "/w/S", MKLINK_FILE_SYMLINK, 0), MKLINK_ELOOP);
  EXPECT(mklink_create("S", "S", MKLINK_JUNCTION, 0), MKLINK_ELOOP);
  EXPECT(mklink_create("S", "T/../S", MKLINK_JUNCTION, 0), MKLINK_ELOOP);
  EXPECT(mklink_create("S", "S", MKLINK_FILE_SYMLINK, MKLINK_RELATIVE), MKLINK_ELOOP);
  /* ... and must never replace a good link. */
  EXPECT(mklink_create("LS", "LS", MKLINK_DIR_SYMLINK, MKLINK_REPLACE), MKLINK_ELOOP);
  EXPECT(mklink_create("J", "J", MKLINK_JUNCTION, MKLINK_REPLACE), MKLINK_ELOOP);
  /* Hard links: the name exists (it is the target), or neither does. */
  EXPECT(mklink_create("F", "F", MKLINK_HARDLINK, 0), MKLINK_EEXIST);
  EXPECT(mklink_create("S", "S", MKLINK_HARDLINK, 0), MKLINK_ENOFILE);
  /* An existing directory: it exists. */
  EXPECT(mklink_create("T", "T", MKLINK_DIR_SYMLINK, 0), MKLINK_EEXIST);
  EXPECT(mklink_create("T", "T", MKLINK_DIR_SYMLINK, MKLINK_REPLACE), MKLINK_ELOOP);
  SBX_CHECK(sandbox_digest("/") == before);
  return 0;
}

static void test_link_equal_to_target(void **state) { run_row(state, row_link_equals_target); }

/* As on Windows, a symbolic link or junction may sit inside its own target
   (the loop it makes is never followed by mklink_walk or
   mklink_remove_tree); a hard link cannot: the target is a directory. */
static int row_link_inside_target(void *arg) {
  mklink_info info;
  unsigned long long before;
  (void)arg;
  make_scene("/w");
  SBX_CHECK(chdir("/w") == 0);
  before = sandbox_digest("/");
  EXPECT(mklink_create("T/in", "T", MKLINK_HARDLINK, 0), MKLINK_EACCES);
  SBX_CHECK(sandbox_digest("/") == before);
  EXPECT(mklink_create("T/in", "..", MKLINK_DIR_SYMLINK, 0), 0);
  EXPECT(mklink_create("T/j", "T", MKLINK_JUNCTION, 0), 0);
  EXPECT(mklink_query("T/j", &info), 0);
  SBX_CHECK(info.kind == MKLINK_JUNCTION && strcmp(info.resolved, "/w/T") == 0);
  EXPECT(mklink_remove("T/in"), 0);
  EXPECT(mklink_remove("T/j"), 0);
  SBX_CHECK(sandbox_digest("/") == before);
  /* A tree holding its own loop is deleted without following it. */
  EXPECT(mklink_create("T/j", "T", MKLINK_JUNCTION, 0), 0);
  EXPECT(mklink_remove_tree("T"), 0);
  SBX_CHECK(access("/w/T", F_OK) != 0 && access("/w/F", F_OK) == 0);
  mklink_info_free(&info);
  return 0;
}

static void test_link_inside_target(void **state) { run_row(state, row_link_inside_target); }

/* A trailing slash asks for a directory: a missing LINK/ has no path, an
   existing one exists; it never makes a link to a directory count as the
   directory (remove_tree removes the link only). */
static int row_trailing_slash(void *arg) {
  unsigned long long before;
  (void)arg;
  make_scene("/w");
  SBX_CHECK(chdir("/w") == 0);
  before = sandbox_digest("/");
  EXPECT(mklink_create("L/", "T", MKLINK_DIR_SYMLINK, 0), MKLINK_ENOPATH);
  EXPECT(mklink_create("L/", "T", MKLINK_JUNCTION, 0), MKLINK_ENOPATH);
  EXPECT(mklink_create("L/", "F", MKLINK_HARDLINK, 0), MKLINK_ENOPATH);
  EXPECT(mklink_create("T/", "F", MKLINK_FILE_SYMLINK, 0), MKLINK_EEXIST);
  EXPECT(mklink_create("LS/", "F", MKLINK_DIR_SYMLINK, MKLINK_REPLACE), MKLINK_EEXIST);
  EXPECT(mklink_create("J/", "F", MKLINK_JUNCTION, MKLINK_REPLACE), MKLINK_EEXIST);
  SBX_CHECK(sandbox_digest("/") == before);
  EXPECT(mklink_remove_tree("LS/"), 0);
  SBX_CHECK(access("/w/LS", F_OK) != 0 && access("/w/T/f", F_OK) == 0);
  return 0;
}

static void test_trailing_slash_on_link(void **state) { run_row(state, row_trailing_slash); }

static int row_dot_and_dotdot(void *arg) {
  unsigned long long before;
  (void)arg;
  make_scene("/w");
  SBX_CHECK(chdir("/w/T") == 0);
  before = sandbox_digest("/");
  EXPECT(mklink_create(".", "f", MKLINK_FILE_SYMLINK, 0), MKLINK_EEXIST);
  EXPECT(mklink_create("..", "f", MKLINK_DIR_SYMLINK, 0), MKLINK_EEXIST);
  EXPECT(mklink_create(".", "f", MKLINK_HARDLINK, 0), MKLINK_EEXIST);
  EXPECT(mklink_create("..", "/w", MKLINK_JUNCTION, 0), MKLINK_EEXIST);
  EXPECT(mklink_create(".", "f", MKLINK_FILE_SYMLINK, MKLINK_REPLACE), MKLINK_EEXIST);
  EXPECT(mklink_create("..", "f", MKLINK_DIR_SYMLINK, MKLINK_REPLACE), MKLINK_EEXIST);
  EXPECT(mklink_remove("."), MKLINK_EISDIR);
  EXPECT(mklink_remove(".."), MKLINK_EISDIR);
  EXPECT(mklink_remove_tree("."), MKLINK_EINVAL);
  EXPECT(mklink_remove_tree(".."), MKLINK_EINVAL);
  SBX_CHECK(sandbox_digest("/") == before);
  return 0;
}

static void test_dot_and_dotdot_as_link(void **state) { run_row(state, row_dot_and_dotdot); }

/* /H to a link makes a second name of the link itself, as Windows'
   CreateHardLink does: the loop is never followed.  A LINK whose path goes
   through the loop cannot be resolved. */
static int row_hardlink_to_loop(void *arg) {
  struct stat a, b;
  unsigned long long before;
  (void)arg;
  make_scene("/w");
  SBX_CHECK(chdir("/w") == 0);
  before = sandbox_digest("/");
  EXPECT(mklink_create("loop1/H", "F", MKLINK_HARDLINK, 0), MKLINK_ELOOP);
  EXPECT(mklink_create("H", "loop1/F", MKLINK_HARDLINK, 0), MKLINK_ELOOP);
  SBX_CHECK(sandbox_digest("/") == before);
  EXPECT(mklink_create("H", "loop1", MKLINK_HARDLINK, 0), 0);
  SBX_CHECK(lstat("H", &a) == 0 && lstat("loop1", &b) == 0);
  SBX_CHECK(S_ISLNK(a.st_mode) && a.st_ino == b.st_ino);
  EXPECT(mklink_remove("H"), 0);
  SBX_CHECK(sandbox_digest("/") == before);
  return 0;
}

static void test_symlink_loop_as_hardlink_target(void **state) {
  run_row(state, row_hardlink_to_loop);
}

static int row_parent_is_file(void *arg) {
  mklink_info info;
  unsigned long long before;
  (void)arg;
  make_scene("/w");
  SBX_CHECK(chdir("/w") == 0);
  before = sandbox_digest("/");
  EXPECT(mklink_create("F/L", "T", MKLINK_DIR_SYMLINK, 0), MKLINK_ENOPATH);
  EXPECT(mklink_create("F/L", "T", MKLINK_FILE_SYMLINK, MKLINK_REPLACE), MKLINK_ENOPATH);
  EXPECT(mklink_create("F/L", "F", MKLINK_HARDLINK, 0), MKLINK_ENOPATH);
  EXPECT(mklink_create("F/L", "T", MKLINK_JUNCTION, 0), MKLINK_ENOPATH);
  EXPECT(mklink_query("F/L", &info), MKLINK_ENOPATH);
  EXPECT(mklink_remove("F/L"), MKLINK_ENOPATH);
  EXPECT(mklink_remove_tree("F/L"), MKLINK_ENOPATH);
  SBX_CHECK(sandbox_digest("/") == before);
  mklink_info_free(&info);
  return 0;
}

static void test_link_whose_parent_is_a_file(void **state) { run_row(state, row_parent_is_file); }

/* A read-only file system, for real: a tmpfs remounted read-only in the
   child's private mount namespace (permission bits do not stop root). */
static int row_read_only(void *arg) {
  unsigned long long before;
  (void)arg;
  SBX_CHECK(mkdir("/ro", 0755) == 0);
  if (mount("mklink-ro", "/ro", "tmpfs", 0, "size=1m") != 0) {
    fprintf(stderr, "cannot mount a tmpfs: %s\n", strerror(errno));
    return SKIPPED;
  }
  make_scene("/ro/w");
  SBX_CHECK(mount("none", "/ro", "none", MS_REMOUNT | MS_RDONLY, NULL) == 0);
  SBX_CHECK(mkdir("/ro/w/probe", 0755) != 0 && errno == EROFS);
  SBX_CHECK(chdir("/ro/w") == 0);
  before = sandbox_digest("/ro");
  EXPECT(mklink_create("L", "T", MKLINK_DIR_SYMLINK, 0), MKLINK_EROFS);
  EXPECT(mklink_create("L", "F", MKLINK_HARDLINK, 0), MKLINK_EROFS);
  EXPECT(mklink_create("L", "T", MKLINK_JUNCTION, 0), MKLINK_EROFS);
  EXPECT(mklink_create("LS", "F", MKLINK_FILE_SYMLINK, MKLINK_REPLACE), MKLINK_EROFS);
  EXPECT(mklink_remove("LS"), MKLINK_EROFS);
  EXPECT(mklink_remove_tree("T"), MKLINK_EROFS);
  EXPECT(mklink_remove_tree("J"), MKLINK_EROFS);
  SBX_CHECK(sandbox_digest("/ro") == before);
  SBX_CHECK(chdir("/") == 0 && umount("/ro") == 0);
  return 0;
}

static void test_read_only_directory(void **state) { run_row(state, row_read_only); }

/* A full file system, for real: a small tmpfs filled up, once out of inodes
   and once out of blocks. */
static int fill(const char *dir) {
  static const char block[512] = "fill";
  char p[64];
  int i, fd;
  for (i = 0;; i++) {
    snprintf(p, sizeof p, "%s/fill%d", dir, i);
    fd = open(p, O_WRONLY | O_CREAT, 0644);
    if (fd < 0)
      return errno == ENOSPC ? 0 : -1;
    while (write(fd, block, sizeof block) > 0)
      ;
    close(fd);
  }
}

static int row_full(void *arg) {
  static char longtext[4000];
  unsigned long long before;
  (void)arg;
  SBX_CHECK(mkdir("/full", 0755) == 0);
  if (mount("mklink-full", "/full", "tmpfs", 0, "size=64k,nr_inodes=32") != 0) {
    fprintf(stderr, "cannot mount a tmpfs: %s\n", strerror(errno));
    return SKIPPED;
  }
  make_scene("/full/w");
  SBX_CHECK(fill("/full") == 0);
  SBX_CHECK(mkdir("/full/w/probe", 0755) != 0 && errno == ENOSPC);
  SBX_CHECK(chdir("/full/w") == 0);
  memset(longtext, 'x', sizeof longtext - 1);
  before = sandbox_digest("/full");
  EXPECT(mklink_create("L", "T", MKLINK_DIR_SYMLINK, 0), MKLINK_ENOSPC);
  EXPECT(mklink_create("L", "T", MKLINK_JUNCTION, 0), MKLINK_ENOSPC);
  EXPECT(mklink_create("L", longtext, MKLINK_FILE_SYMLINK, 0), MKLINK_ENOSPC);
  EXPECT(mklink_create("LS", "F", MKLINK_FILE_SYMLINK, MKLINK_REPLACE), MKLINK_ENOSPC);
  EXPECT(mklink_create("J", "F", MKLINK_JUNCTION, MKLINK_REPLACE), MKLINK_ENOSPC);
  EXPECT(mklink_create("L", "F", MKLINK_HARDLINK, 0), MKLINK_ENOSPC);
  SBX_CHECK(sandbox_digest("/full") == before);
  SBX_CHECK(chdir("/") == 0 && umount("/full") == 0);
  return 0;
}

static void test_full_file_system(void **state) { run_row(state, row_full); }

int main(void) {
  const struct CMUnitTest tests[] = {
      SANDBOX_TEST(test_empty_path),
      SANDBOX_TEST(test_path_of_4096_bytes_or_more),
      SANDBOX_TEST(test_component_of_256_bytes_or_more),
      SANDBOX_TEST(test_invalid_utf8_is_passed_through_on_posix),
      SANDBOX_TEST(test_link_equal_to_target),
      SANDBOX_TEST(test_link_inside_target),
      SANDBOX_TEST(test_trailing_slash_on_link),
      SANDBOX_TEST(test_dot_and_dotdot_as_link),
      SANDBOX_TEST(test_symlink_loop_as_hardlink_target),
      SANDBOX_TEST(test_link_whose_parent_is_a_file),
      SANDBOX_TEST(test_read_only_directory),
      SANDBOX_TEST(test_full_file_system),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

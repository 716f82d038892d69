/*
 * test_create.c -- mklink_create on POSIX: one test per cell of the table in
 * docs/semantics.md (kind x situation), then the flags and argument checks.
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

typedef enum situation {
  TARGET_MISSING,
  TARGET_FILE,
  TARGET_DIR,
  LINK_IS_FILE,
  LINK_IS_DIR,
  LINK_IS_LINK,
  PARENT_MISSING,
  OTHER_DEVICE,
  TOO_LONG,
  LOOP
} situation;

/* A name longer than any file system's NAME_MAX (255). */
static const char *long_name(void) {
  static char name[301];
  memset(name, 'n', 300);
  name[300] = '\0';
  return name;
}

/* The usual target of KIND when the situation is about LINK. */
static const char *natural_target(mklink_kind kind) {
  return kind == MKLINK_DIR_SYMLINK || kind == MKLINK_JUNCTION ? "dir" : "file";
}

static char other_dev_dir[POSIX_PATH_MAX];

/* Build the scene in the test directory; LINK and TARGET are what to pass.
   Returns 0, or 1 when the scene cannot be built here (reason printed). */
static int scene(mklink_kind kind, situation sit, const char **link, const char **target) {
  static char target_buf[POSIX_PATH_MAX];
  struct stat a, b;
  posix_write_file("file", "data");
  posix_mkdir("dir");
  posix_write_file("dir/inside", "inside");
  *link = "L";
  *target = natural_target(kind);
  switch (sit) {
  case TARGET_MISSING:
    *target = "missing";
    break;
  case TARGET_FILE:
    *target = "file";
    break;
  case TARGET_DIR:
    *target = "dir";
    break;
  case LINK_IS_FILE:
    posix_write_file("L", "old");
    break;
  case LINK_IS_DIR:
    posix_mkdir("L");
    break;
  case LINK_IS_LINK:
    posix_symlink("nowhere", "L");
    break;
  case PARENT_MISSING:
    *link = "nodir/L";
    break;
  case OTHER_DEVICE:
    if (posix_mkdtemp_in("/dev/shm", other_dev_dir, sizeof other_dev_dir) != 0) {
      printf("skipped: cannot make a directory on /dev/shm: %s\n", strerror(errno));
      other_dev_dir[0] = '\0';
      return 1;
    }
    if (stat(other_dev_dir, &a) != 0 || stat(".", &b) != 0 || a.st_dev == b.st_dev) {
      printf("skipped: /dev/shm is on the same device as the test directory\n");
      return 1;
    }
    if ((size_t)snprintf(target_buf, sizeof target_buf, "%s/%s", other_dev_dir,
                         natural_target(kind)) >= sizeof target_buf)
      fail();
    if (kind == MKLINK_DIR_SYMLINK || kind == MKLINK_JUNCTION)
      posix_mkdir(target_buf);
    else
      posix_write_file(target_buf, "far");
    *target = target_buf;
    break;
  case TOO_LONG:
    *link = long_name();
    break;
  case LOOP:
    posix_symlink("loop2", "loop1");
    posix_symlink("loop1", "loop2");
    *link = "loop1/L";
    break;
  }
  return 0;
}

/* What a successful create must have left at LINK. */
static void check_made(const char *link, const char *target, mklink_kind kind,
                       mklink_kind query_kind) {
  mklink_info info;
  char want[POSIX_PATH_MAX + 2];
  assert_int_equal(mklink_query(link, &info), 0);
  assert_int_equal(info.kind, query_kind);
  switch (kind) {
  case MKLINK_FILE_SYMLINK:
  case MKLINK_DIR_SYMLINK:
    assert_string_equal(posix_readlink(link), target); /* stored as given */
    assert_string_equal(info.target, target);
    break;
  case MKLINK_HARDLINK:
    assert_int_equal(posix_inode(link), posix_inode(target));
    assert_int_equal(posix_nlink(link), 2);
    assert_int_equal(info.nlink, 2);
    break;
  case MKLINK_JUNCTION:
    if ((size_t)snprintf(want, sizeof want, "%s%s%s", target[0] == '/' ? "" : posix_tmp_dir(),
                         target[0] == '/' ? "" : "/", target) >= sizeof want)
      fail();
    assert_string_equal(info.target, want);
    assert_string_equal(info.resolved, want);
    if ((size_t)snprintf(want, sizeof want, "/.%s", info.target) >= sizeof want)
      fail();
    assert_string_equal(posix_readlink(link), want);
    break;
  default:
    fail();
  }
  mklink_info_free(&info);
}

static void drop_other_dev_dir(void) {
  if (other_dev_dir[0] != '\0')
    posix_rmtree(other_dev_dir);
  other_dev_dir[0] = '\0';
}

static void check_cell(mklink_kind kind, situation sit, int want_rc, mklink_kind query_kind) {
  posix_snapshot before;
  const char *link, *target;
  int rc;
  if (scene(kind, sit, &link, &target) != 0) {
    drop_other_dev_dir();
    skip();
    return;
  }
  POSIX_SNAPSHOT_HERE(&before);
  rc = mklink_create(link, target, kind, 0);
  if (rc != want_rc) {
    drop_other_dev_dir();
    fail_msg("mklink_create(%.40s, %.40s, %s) = %s, want %s", link, target,
             mklink_kind_name(kind), mklink_err_name(rc), mklink_err_name(want_rc));
  }
  if (rc == 0)
    check_made(link, target, kind, query_kind);
  else
    posix_assert_unchanged(&before);
  posix_snapshot_free(&before);
  drop_other_dev_dir();
}

#define CELL(kname, kind, sname, sit, rc, qkind)                                    \
  static void test_##kname##_##sname(void **state) {                               \
    (void)state;                                                                    \
    check_cell(kind, sit, rc, qkind);                                               \
  }

#define F MKLINK_FILE_SYMLINK
#define D MKLINK_DIR_SYMLINK
#define H MKLINK_HARDLINK
#define J MKLINK_JUNCTION

/* The POSIX column of docs/semantics.md: result, then the kind mklink_query
   reports afterwards (for a success). */
CELL(file_symlink, F, target_missing, TARGET_MISSING, 0, F)
CELL(file_symlink, F, target_file, TARGET_FILE, 0, F)
CELL(file_symlink, F, target_dir, TARGET_DIR, 0, D)
CELL(file_symlink, F, link_is_file, LINK_IS_FILE, MKLINK_EEXIST, F)
CELL(file_symlink, F, link_is_dir, LINK_IS_DIR, MKLINK_EEXIST, F)
CELL(file_symlink, F, link_is_link, LINK_IS_LINK, MKLINK_EEXIST, F)
CELL(file_symlink, F, parent_missing, PARENT_MISSING, MKLINK_ENOPATH, F)
CELL(file_symlink, F, other_device, OTHER_DEVICE, 0, F)
CELL(file_symlink, F, too_long, TOO_LONG, MKLINK_ENAMETOOLONG, F)
CELL(file_symlink, F, loop, LOOP, MKLINK_ELOOP, F)

CELL(dir_symlink, D, target_missing, TARGET_MISSING, 0, F)
CELL(dir_symlink, D, target_file, TARGET_FILE, 0, F)
CELL(dir_symlink, D, target_dir, TARGET_DIR, 0, D)
CELL(dir_symlink, D, link_is_file, LINK_IS_FILE, MKLINK_EEXIST, D)
CELL(dir_symlink, D, link_is_dir, LINK_IS_DIR, MKLINK_EEXIST, D)
CELL(dir_symlink, D, link_is_link, LINK_IS_LINK, MKLINK_EEXIST, D)
CELL(dir_symlink, D, parent_missing, PARENT_MISSING, MKLINK_ENOPATH, D)
CELL(dir_symlink, D, other_device, OTHER_DEVICE, 0, D)
CELL(dir_symlink, D, too_long, TOO_LONG, MKLINK_ENAMETOOLONG, D)
CELL(dir_symlink, D, loop, LOOP, MKLINK_ELOOP, D)

CELL(hardlink, H, target_missing, TARGET_MISSING, MKLINK_ENOFILE, H)
CELL(hardlink, H, target_file, TARGET_FILE, 0, H)
CELL(hardlink, H, target_dir, TARGET_DIR, MKLINK_EACCES, H)
CELL(hardlink, H, link_is_file, LINK_IS_FILE, MKLINK_EEXIST, H)
CELL(hardlink, H, link_is_dir, LINK_IS_DIR, MKLINK_EEXIST, H)
CELL(hardlink, H, link_is_link, LINK_IS_LINK, MKLINK_EEXIST, H)
CELL(hardlink, H, parent_missing, PARENT_MISSING, MKLINK_ENOPATH, H)
CELL(hardlink, H, other_device, OTHER_DEVICE, MKLINK_EXDEV, H)
CELL(hardlink, H, too_long, TOO_LONG, MKLINK_ENAMETOOLONG, H)
CELL(hardlink, H, loop, LOOP, MKLINK_ELOOP, H)

CELL(junction, J, target_missing, TARGET_MISSING, 0, J)
CELL(junction, J, target_file, TARGET_FILE, 0, J)
CELL(junction, J, target_dir, TARGET_DIR, 0, J)
CELL(junction, J, link_is_file, LINK_IS_FILE, MKLINK_EEXIST, J)
CELL(junction, J, link_is_dir, LINK_IS_DIR, MKLINK_EEXIST, J)
CELL(junction, J, link_is_link, LINK_IS_LINK, MKLINK_EEXIST, J)
CELL(junction, J, parent_missing, PARENT_MISSING, MKLINK_ENOPATH, J)
CELL(junction, J, other_device, OTHER_DEVICE, 0, J)
CELL(junction, J, too_long, TOO_LONG, MKLINK_ENAMETOOLONG, J)
CELL(junction, J, loop, LOOP, MKLINK_ELOOP, J)

/* ---- beyond the table ---------------------------------------------------- */

/* A relative target is kept as typed and resolved from LINK's directory. */
static void test_symlink_relative_text_kept(void **state) {
  mklink_info info;
  char want[POSIX_PATH_MAX];
  (void)state;
  posix_mkdir("sub");
  posix_write_file("sub/file", "in sub");
  posix_write_file("file", "in cwd");
  assert_int_equal(mklink_create("sub/L", "file", MKLINK_FILE_SYMLINK, 0), 0);
  assert_string_equal(posix_readlink("sub/L"), "file");
  assert_string_equal(posix_read_file("sub/L"), "in sub");
  assert_int_equal(mklink_query("sub/L", &info), 0);
  snprintf(want, sizeof want, "%s/sub/file", posix_tmp_dir());
  assert_string_equal(info.resolved, want);
  assert_int_equal(mklink_create("sub/U", "./../x/../file", MKLINK_FILE_SYMLINK, 0), 0);
  assert_string_equal(posix_readlink("sub/U"), "./../x/../file");
  mklink_info_free(&info);
}

static void test_hardlink_missing_target_dir(void **state) {
  (void)state;
  assert_int_equal(mklink_create("L", "nodir/file", MKLINK_HARDLINK, 0), MKLINK_ENOFILE);
  posix_write_file("file", "x");
  assert_int_equal(mklink_create("L", "file/x", MKLINK_HARDLINK, 0), MKLINK_ENOPATH);
  assert_false(posix_exists("L"));
}

/* LINK's parent is a file, not a directory: "cannot find the path". */
static void test_parent_is_file(void **state) {
  (void)state;
  posix_write_file("file", "x");
  assert_int_equal(mklink_create("file/L", "t", MKLINK_FILE_SYMLINK, 0), MKLINK_ENOPATH);
  assert_int_equal(mklink_create("file/L", "file", MKLINK_HARDLINK, 0), MKLINK_ENOPATH);
  assert_int_equal(mklink_create("file/L", "/", MKLINK_JUNCTION, 0), MKLINK_ENOPATH);
}

/* A hard link to a symbolic link links the link itself, as Windows does. */
static void test_hardlink_to_symlink(void **state) {
  (void)state;
  posix_symlink("nowhere", "S");
  assert_int_equal(mklink_create("L", "S", MKLINK_HARDLINK, 0), 0);
  assert_true(posix_is_symlink("L"));
  assert_int_equal(posix_inode("L"), posix_inode("S"));
}

static void test_symlink_text_too_long(void **state) {
  static char text[5000];
  (void)state;
  memset(text, 'a', sizeof text - 1);
  assert_int_equal(mklink_create("L", text, MKLINK_FILE_SYMLINK, 0), MKLINK_ENAMETOOLONG);
  assert_int_equal(mklink_create("L", text, MKLINK_JUNCTION, 0), MKLINK_ENAMETOOLONG);
  assert_false(posix_exists("L"));
}

static void test_require_target(void **state) {
  (void)state;
  posix_write_file("file", "x");
  posix_mkdir("sub");
  posix_write_file("sub/only_in_sub", "x");
  posix_symlink("missing", "dangling");
  posix_symlink("self", "self");
  assert_int_equal(mklink_create("L", "missing", MKLINK_FILE_SYMLINK, MKLINK_REQUIRE_TARGET),
                   MKLINK_ENOFILE);
  assert_int_equal(mklink_create("L", "missing", MKLINK_DIR_SYMLINK, MKLINK_REQUIRE_TARGET),
                   MKLINK_ENOFILE);
  assert_int_equal(mklink_create("L", "missing", MKLINK_JUNCTION, MKLINK_REQUIRE_TARGET),
                   MKLINK_ENOFILE);
  assert_int_equal(mklink_create("L", "dangling", MKLINK_FILE_SYMLINK, MKLINK_REQUIRE_TARGET),
                   MKLINK_ENOFILE);
  assert_int_equal(mklink_create("L", "self", MKLINK_FILE_SYMLINK, MKLINK_REQUIRE_TARGET),
                   MKLINK_ELOOP);
  assert_int_equal(mklink_create("L", "file/x", MKLINK_FILE_SYMLINK, MKLINK_REQUIRE_TARGET),
                   MKLINK_ENOPATH);
  assert_false(posix_exists("L"));
  /* Relative to LINK's directory, where the link will look. */
  assert_int_equal(
      mklink_create("sub/L", "only_in_sub", MKLINK_FILE_SYMLINK, MKLINK_REQUIRE_TARGET), 0);
  assert_int_equal(mklink_create("L2", "only_in_sub", MKLINK_FILE_SYMLINK, MKLINK_REQUIRE_TARGET),
                   MKLINK_ENOFILE);
  assert_int_equal(mklink_create("L3", "file", MKLINK_FILE_SYMLINK, MKLINK_REQUIRE_TARGET), 0);
  assert_int_equal(mklink_create("L4", "sub", MKLINK_JUNCTION, MKLINK_REQUIRE_TARGET), 0);
  assert_int_equal(mklink_create("L5", "file", MKLINK_HARDLINK, MKLINK_REQUIRE_TARGET), 0);
}

static void test_relative_flag(void **state) {
  char abs_link[POSIX_PATH_MAX], abs_target[POSIX_PATH_MAX];
  mklink_info info;
  (void)state;
  posix_write_file("file", "x");
  posix_mkdir("a");
  posix_mkdir("a/b");
  assert_int_equal(mklink_create("a/b/L", "file", MKLINK_FILE_SYMLINK, MKLINK_RELATIVE), 0);
  assert_string_equal(posix_readlink("a/b/L"), "../../file");
  assert_int_equal(mklink_query("a/b/L", &info), 0);
  assert_int_equal(info.target_exists, 1);
  assert_int_equal(mklink_create("a/D", "a/b", MKLINK_DIR_SYMLINK, MKLINK_RELATIVE), 0);
  assert_string_equal(posix_readlink("a/D"), "b");
  assert_int_equal(mklink_create("S", ".", MKLINK_DIR_SYMLINK, MKLINK_RELATIVE), 0);
  assert_string_equal(posix_readlink("S"), ".");
  snprintf(abs_link, sizeof abs_link, "%s/a/A", posix_tmp_dir());
  snprintf(abs_target, sizeof abs_target, "%s/./a/b/../../file", posix_tmp_dir());
  assert_int_equal(mklink_create(abs_link, abs_target, MKLINK_FILE_SYMLINK, MKLINK_RELATIVE), 0);
  assert_string_equal(posix_readlink("a/A"), "../file");
  assert_int_equal(mklink_create("a/R", "file", MKLINK_FILE_SYMLINK,
                                 MKLINK_RELATIVE | MKLINK_REQUIRE_TARGET),
                   0);
  assert_int_equal(mklink_create("a/M", "missing", MKLINK_FILE_SYMLINK,
                                 MKLINK_RELATIVE | MKLINK_REQUIRE_TARGET),
                   MKLINK_ENOFILE);
  assert_false(posix_exists("a/M"));
  mklink_info_free(&info);
}

static void test_relative_flag_refused_for_junction_and_hardlink(void **state) {
  (void)state;
  posix_write_file("file", "x");
  assert_int_equal(mklink_create("L", "file", MKLINK_JUNCTION, MKLINK_RELATIVE), MKLINK_EINVAL);
  assert_int_equal(mklink_create("L", "file", MKLINK_HARDLINK, MKLINK_RELATIVE), MKLINK_EINVAL);
  assert_false(posix_exists("L"));
}

static void test_invalid_arguments(void **state) {
  posix_snapshot before;
  (void)state;
  posix_write_file("file", "x");
  POSIX_SNAPSHOT_HERE(&before);
  assert_int_equal(mklink_create(NULL, "file", MKLINK_FILE_SYMLINK, 0), MKLINK_EINVAL);
  assert_int_equal(mklink_create("L", NULL, MKLINK_FILE_SYMLINK, 0), MKLINK_EINVAL);
  assert_int_equal(mklink_create("", "file", MKLINK_FILE_SYMLINK, 0), MKLINK_EINVAL);
  assert_int_equal(mklink_create("L", "", MKLINK_FILE_SYMLINK, 0), MKLINK_EINVAL);
  assert_int_equal(mklink_create("L", "file", MKLINK_NOT_LINK, 0), MKLINK_EINVAL);
  assert_int_equal(mklink_create("L", "file", MKLINK_OTHER_REPARSE, 0), MKLINK_EINVAL);
  assert_int_equal(mklink_create("L", "file", (mklink_kind)99, 0), MKLINK_EINVAL);
  assert_int_equal(mklink_create("L", "file", MKLINK_FILE_SYMLINK, 0x80u), MKLINK_EINVAL);
  posix_assert_unchanged(&before);
  posix_snapshot_free(&before);
}

/* The speed promise: a plain create is exactly one system call. */
static void test_plain_create_is_one_call(void **state) {
  static const mklink_kind kinds[] = {MKLINK_FILE_SYMLINK, MKLINK_DIR_SYMLINK, MKLINK_HARDLINK};
  static const char *const calls[] = {"symlinkat", "symlinkat", "linkat"};
  char link[8];
  size_t i;
  (void)state;
  posix_write_file("file", "x");
  fault_start();
  for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
    snprintf(link, sizeof link, "L%u", (unsigned)i);
    fault_reset_counts();
    assert_int_equal(mklink_create(link, "file", kinds[i], 0), 0);
    assert_int_equal(fault_calls(), 1);
    assert_int_equal(fault_calls_of(calls[i]), 1);
  }
  /* An absolute junction target needs no getcwd: statfs and symlinkat. */
  fault_reset_counts();
  assert_int_equal(mklink_create("J", "/", MKLINK_JUNCTION, 0), 0);
  assert_int_equal(fault_calls(), 2);
  assert_int_equal(fault_calls_of("getcwd"), 0);
  fault_stop();
}

/* A link named as its target (~/.config/x -> dotfiles/x, as manifests and
   stow make them) is checked for pointing at itself by comparing the two
   directories (two stats), not by resolving both paths name by name. */
static void test_same_basename_costs_two_stats(void **state) {
  (void)state;
  posix_mkdir("dot");
  posix_mkdir("home");
  posix_mkdir("home/sub");
  posix_write_file("dot/x", "x");
  fault_start();
  assert_int_equal(mklink_create("home/sub/x", "../../dot/x", MKLINK_FILE_SYMLINK, 0), 0);
  assert_int_equal(fault_calls_of("readlinkat"), 0);
  assert_int_equal(fault_calls_of("symlinkat"), 1);
  assert_true(fault_calls() <= 3);
  fault_reset_counts();
  assert_int_equal(mklink_create("home/x", "/nowhere/x", MKLINK_FILE_SYMLINK, 0), 0);
  assert_int_equal(fault_calls_of("readlinkat"), 0);
  assert_true(fault_calls() <= 3);
  fault_stop();
  assert_string_equal(posix_readlink("home/sub/x"), "../../dot/x");
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(test_##name, posix_tmp_setup, posix_tmp_teardown)
#define ROWS(k)                                                                                  \
  T(k##_target_missing), T(k##_target_file), T(k##_target_dir), T(k##_link_is_file),             \
      T(k##_link_is_dir), T(k##_link_is_link), T(k##_parent_missing), T(k##_other_device),       \
      T(k##_too_long), T(k##_loop)
  const struct CMUnitTest tests[] = {
      ROWS(file_symlink),
      ROWS(dir_symlink),
      ROWS(hardlink),
      ROWS(junction),
      T(symlink_relative_text_kept),
      T(hardlink_missing_target_dir),
      T(parent_is_file),
      T(hardlink_to_symlink),
      T(symlink_text_too_long),
      T(require_target),
      T(relative_flag),
      T(relative_flag_refused_for_junction_and_hardlink),
      T(invalid_arguments),
      T(plain_create_is_one_call), T(same_basename_costs_two_stats),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_cli_remove_tree.c -- `mklink --delete --recursive`, the command over
 * mklink_remove_tree, and `--delete` without it staying links-only.
 *
 * The command deletes trees, so it runs through sandbox_exec(): chrooted in
 * the test's own directory, in a private mount namespace where the only
 * things from outside are /usr and the command itself, both read-only.  The
 * command is the one built beside this test (src/cli/mklink in the build
 * tree); without it the tests skip and say so.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mklink.h"
#include "posix_fs.h"
#include "posix_sandbox.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

/* AddressSanitizer's runtime needs /proc (its leak check stops the process
   through /proc/PID/task), and the jail has none: a sanitizer build of the
   command cannot run there.  Its code is covered by the other suites under
   ASan; here the plain build runs it. */
#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif

#ifdef SANITIZED
#define SANITIZED_BUILD 1
#else
#define SANITIZED_BUILD 0
#endif

static const char *dir; /* the test's sandbox directory (its state) */
static char program[PATH_MAX + 32];
static char out[4096], err[4096];

/* src/cli/mklink of this build tree. */
static int find_program(void) { return posix_mklink_program(program, sizeof program); }

static int setup(void **state) {
  *state = NULL;
  if (find_program())
    sandbox_setup(state);
  dir = *state;
  return 0;
}

#define REQUIRE()                                                                  \
  do {                                                                             \
    SANDBOX_REQUIRE();                                                             \
    if (SANITIZED_BUILD) {                                                         \
      print_message("skipped: an AddressSanitizer build of the command cannot "    \
                    "run in a jail without /proc\n");                              \
      skip();                                                                      \
    }                                                                              \
    if (*state == NULL) {                                                          \
      print_message("skipped: the command is not built beside this test\n");      \
      skip();                                                                      \
    }                                                                              \
  } while (0)

/* Paths in the sandbox, seen from outside. */
static const char *in(const char *rel) {
  static char p[PATH_MAX + 64];
  snprintf(p, sizeof p, "%s/%s", dir, rel);
  return p;
}

static void put_file(const char *rel, const char *content) {
  FILE *f = fopen(in(rel), "w");
  assert_non_null(f);
  fputs(content, f);
  assert_int_equal(fclose(f), 0);
}

/* The content of the file at PATH (first bytes), in a static buffer. */
static const char *posix_file(const char *path) {
  static char buf[256];
  ssize_t n;
  int fd = open(path, O_RDONLY | O_NOFOLLOW);
  buf[0] = '\0';
  if (fd < 0)
    return "(missing)";
  n = read(fd, buf, sizeof buf - 1);
  close(fd);
  buf[n > 0 ? n : 0] = '\0';
  return buf;
}

static int exists(const char *rel) {
  struct stat st;
  return lstat(in(rel), &st) == 0;
}

/* A tree with links into a victim, and the victim. */
static void make_scene(void) {
  assert_int_equal(mkdir(in("victim"), 0755), 0);
  put_file("victim/keep", "victim");
  assert_int_equal(mkdir(in("t"), 0755), 0);
  assert_int_equal(mkdir(in("t/sub"), 0755), 0);
  put_file("t/sub/f", "tree");
  assert_int_equal(symlink("/victim", in("t/sub/dirlink")), 0);
  assert_int_equal(symlink("/./victim", in("t/junction")), 0);
  assert_int_equal(symlink("/victim", in("lnk")), 0);
}

static int run(char *const argv[]) {
  int rc = sandbox_exec(dir, program, argv, out, sizeof out, err, sizeof err);
  if (rc == -1) {
    print_message("skipped: the sandbox could not start the command here\n");
    skip();
  }
  if (err[0] != '\0')
    print_message("%s said: %s", argv[0], err);
  return rc;
}

static void test_delete_recursive_removes_tree_not_targets(void **state) {
  char *argv[] = {"mklink", "--delete", "--recursive", "t", "lnk", NULL};
  REQUIRE();
  make_scene();
  assert_int_equal(run(argv), 0);
  assert_string_equal(out, "");
  assert_string_equal(err, "");
  assert_false(exists("t"));
  assert_false(exists("lnk"));
  assert_true(exists("victim/keep"));
}

static void test_delete_recursive_keeps_going_and_reports(void **state) {
  char *argv[] = {"mklink", "--delete", "--recursive", "missing", "t", NULL};
  REQUIRE();
  make_scene();
  assert_int_equal(run(argv), 1);
  assert_string_equal(err, "mklink: delete 'missing': The system cannot find the file specified.\n");
  assert_false(exists("t"));
  assert_true(exists("victim/keep"));
}

static void test_delete_recursive_json(void **state) {
  char *argv[] = {"mklink", "--delete", "--recursive", "--json", "t", NULL};
  REQUIRE();
  make_scene();
  assert_int_equal(run(argv), 0);
  assert_non_null(strstr(out, "\"op\":\"delete\""));
  assert_non_null(strstr(out, "\"path\":\"t\""));
  assert_false(exists("t"));
}

static void test_delete_without_recursive_stays_links_only(void **state) {
  char *argv[] = {"mklink", "--delete", "t", NULL};
  REQUIRE();
  make_scene();
  assert_int_equal(run(argv), 1);
  assert_string_equal(err, "mklink: delete 't': The directory is not a link: only links are "
                           "removed, never a real directory.\n");
  assert_true(exists("t/sub/f"));
  assert_true(exists("t/junction"));
}

/* ---- issue 11: never cross a mount point ---------------------------------- */

/* In the command's namespace, before its jail: W/victim bind-mounted on
   W/tree/sub, as a container volume would be. */
static void bind_victim(const char *root) {
  char src[PATH_MAX + 32], dst[PATH_MAX + 32];
  snprintf(src, sizeof src, "%s/W/victim", root);
  snprintf(dst, sizeof dst, "%s/W/tree/sub", root);
  SBX_CHECK(mount(src, dst, "none", MS_BIND, NULL) == 0);
}

static void make_bind_scene(void) {
  assert_int_equal(mkdir(in("W"), 0755), 0);
  assert_int_equal(mkdir(in("W/victim"), 0755), 0);
  put_file("W/victim/data", "precious\n");
  assert_int_equal(mkdir(in("W/tree"), 0755), 0);
  assert_int_equal(mkdir(in("W/tree/sub"), 0755), 0);
  assert_int_equal(mkdir(in("W/tree/other"), 0755), 0);
  put_file("W/tree/other/f", "tree");
  put_file("W/tree/g", "tree");
}

static int run_bound(char *const argv[]) {
  int rc = sandbox_exec_prepared(dir, bind_victim, program, argv, out, sizeof out, err, sizeof err);
  if (rc == -1) {
    print_message("skipped: the sandbox could not start the command here\n");
    skip();
  }
  return rc;
}

static int entries_in(const char *rel) {
  DIR *d = opendir(in(rel));
  struct dirent *e;
  int n = 0;
  assert_non_null(d);
  while ((e = readdir(d)) != NULL)
    n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
  closedir(d);
  return n;
}

static const char mount_message[] =
    "mklink: delete 'W/tree/sub': a file system is mounted here: it was left as it is.\n";

/* The scenario: the data behind the bind mount stays, the message
   names the mount point, exit 1, the rest of the tree is gone. */
static void test_delete_recursive_leaves_a_bind_mount(void **state) {
  char *argv[] = {"mklink", "--delete", "--recursive", "W/tree", NULL};
  REQUIRE();
  make_bind_scene();
  assert_int_equal(run_bound(argv), 1);
  assert_string_equal(err, mount_message);
  assert_string_equal(out, "");
  assert_string_equal(posix_file(in("W/victim/data")), "precious\n");
  assert_int_equal(entries_in("W/tree"), 1);
  assert_true(exists("W/tree/sub"));
}

/* A mount point given as PATH is refused the same way; nothing changes. */
static void test_delete_recursive_refuses_a_mount_point_as_path(void **state) {
  char *argv[] = {"mklink", "--delete", "--recursive", "W/tree/sub", NULL};
  REQUIRE();
  make_bind_scene();
  assert_int_equal(run_bound(argv), 1);
  assert_string_equal(err, mount_message);
  assert_string_equal(posix_file(in("W/victim/data")), "precious\n");
  assert_int_equal(entries_in("W/tree"), 3);
}

/* --json: one object for the entry left, then the operand's. */
static void test_delete_recursive_json_names_the_mount(void **state) {
  char *argv[] = {"mklink", "--delete", "--recursive", "--json", "W/tree", NULL};
  REQUIRE();
  make_bind_scene();
  assert_int_equal(run_bound(argv), 1);
  assert_string_equal(out, "{\"op\":\"delete\",\"path\":\"W/tree/sub\",\"ok\":false,"
                           "\"error\":\"MKLINK_EMOUNT\",\"message\":\"a file system is mounted "
                           "here: it was left as it is.\"}\n"
                           "{\"op\":\"delete\",\"path\":\"W/tree\",\"ok\":false,"
                           "\"error\":\"MKLINK_EMOUNT\",\"message\":\"a file system is mounted "
                           "here: it was left as it is.\"}\n");
  assert_string_equal(posix_file(in("W/victim/data")), "precious\n");
}

/* ---- issue 10: deep trees with small limits ------------------------------ */

#define DEEP 10000
static long deep_files;

/* In the command's namespace: a 10,000-level tree on a tmpfs of its own at
   deep/ (it vanishes with the command), then `ulimit -s 1024 -n FILES`. */
static void deep_tree_and_limits(const char *root) {
  char path[PATH_MAX + 32];
  struct rlimit lim;
  int fd, next, i;
  snprintf(path, sizeof path, "%s/deep", root);
  SBX_CHECK(mount("mklink-test", path, "tmpfs", 0, "size=128m") == 0);
  SBX_CHECK((fd = open(path, O_RDONLY | O_DIRECTORY)) >= 0);
  SBX_CHECK(mkdirat(fd, "c", 0755) == 0);
  for (i = 0; i <= DEEP; i++) {
    SBX_CHECK((next = openat(fd, i == 0 ? "c" : "d", O_RDONLY | O_DIRECTORY)) >= 0);
    close(fd);
    fd = next;
    if (i == DEEP)
      break;
    SBX_CHECK(mkdirat(fd, "d", 0755) == 0);
    SBX_CHECK(symlinkat("f", fd, "l") == 0);
    SBX_CHECK((next = openat(fd, "f", O_WRONLY | O_CREAT, 0644)) >= 0);
    close(next);
  }
  close(fd);
  lim.rlim_cur = lim.rlim_max = 1024 * 1024;
  SBX_CHECK(setrlimit(RLIMIT_STACK, &lim) == 0);
  lim.rlim_cur = lim.rlim_max = (rlim_t)deep_files;
  SBX_CHECK(setrlimit(RLIMIT_NOFILE, &lim) == 0);
}

static int run_deep(char *const argv[], long files) {
  int rc;
  deep_files = files;
  assert_int_equal(mkdir(in("deep"), 0755), 0);
  rc = sandbox_exec_prepared(dir, deep_tree_and_limits, program, argv, out, sizeof out, err,
                             sizeof err);
  if (rc == -1) {
    print_message("skipped: the sandbox could not start the command here\n");
    skip();
  }
  return rc;
}

/* `ulimit -s 1024 -n 64; mklink --list --recursive` lists all 10,000 links
   (their paths are far longer than PATH_MAX), crashing on nothing. */
static void test_list_recursive_deep_tree_small_limits(void **state) {
  char *argv[] = {"mklink", "--list", "--recursive", "deep/c", NULL};
  REQUIRE();
  assert_int_equal(run_deep(argv, 64), 0);
  assert_string_equal(err, "");
  assert_non_null(strstr(out, "<SYMLINK>      deep/c/")); /* links are listed... */
  assert_non_null(strstr(out, "/l [f]\n"));
}

/* `ulimit -s 1024 -n 20; mklink --delete --recursive` deletes it all. */
static void test_delete_recursive_deep_tree_20_descriptors(void **state) {
  char *argv[] = {"mklink", "--delete", "--recursive", "deep/c", NULL};
  REQUIRE();
  assert_int_equal(run_deep(argv, 20), 0);
  assert_string_equal(err, "");
}

/* The jail itself: the only things from outside, /usr and the command, are
   read-only there (the probe is a harmless link; if it were made, the test
   fails and removes it). */
static void test_jail_is_read_only_outside_the_test_dir(void **state) {
  char *argv[] = {"mklink", "-d", "/usr/.mklink-jail-probe", "/usr", NULL};
  REQUIRE();
  if (run(argv) != 1) {
    (void)unlink("/usr/.mklink-jail-probe");
    fail_msg("the jail's /usr is writable");
  }
  assert_non_null(strstr(err, "The media is write protected."));
  assert_true(access("/usr/.mklink-jail-probe", F_OK) != 0);
}

int main(void) {
#define CLI_TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, sandbox_teardown)
  const struct CMUnitTest tests[] = {
      CLI_TEST(test_delete_recursive_removes_tree_not_targets),
      CLI_TEST(test_delete_recursive_keeps_going_and_reports),
      CLI_TEST(test_delete_recursive_json),
      CLI_TEST(test_delete_without_recursive_stays_links_only),
      CLI_TEST(test_delete_recursive_leaves_a_bind_mount),
      CLI_TEST(test_delete_recursive_refuses_a_mount_point_as_path),
      CLI_TEST(test_delete_recursive_json_names_the_mount),
      CLI_TEST(test_list_recursive_deep_tree_small_limits),
      CLI_TEST(test_delete_recursive_deep_tree_20_descriptors),
      CLI_TEST(test_jail_is_read_only_outside_the_test_dir),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

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
#include "posix_sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
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

/* src/cli/mklink of this build tree: this test is tests/NAME in it. */
static int find_program(void) {
  char self[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  char *slash;
  if (n <= 0)
    return 0;
  self[n] = '\0';
  if ((slash = strrchr(self, '/')) == NULL)
    return 0;
  *slash = '\0';
  if ((slash = strrchr(self, '/')) == NULL)
    return 0;
  *slash = '\0';
  snprintf(program, sizeof program, "%s/src/cli/mklink", self);
  return access(program, X_OK) == 0;
}

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
  if (rc == -1)
    skip();
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
      CLI_TEST(test_jail_is_read_only_outside_the_test_dir),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_long_cwd.c -- a current directory longer than PATH_MAX (4,096 bytes)
 * is no reason for a query, a create or a capability probe to fail: the
 * system itself works relative to it, so the library must never need an
 * absolute path the system does not (issue 10, item 10).  Only what cannot
 * exist is refused: a junction's text is the absolute target, and a link
 * holds at most PATH_MAX bytes.  The command is run from there too.
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
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "mklink.h"
#include "posix_fs.h"

#define LEVELS 30 /* of 200 bytes: a current directory of over 6,000 */

static char program[PATH_MAX + 32];

/* src/cli/mklink of this build tree. */
static int find_program(void) { return posix_mklink_program(program, sizeof program); }

/* Go down LEVELS directories below the test's own; the current directory
   is then longer than PATH_MAX. */
static void go_deep(void) {
  char name[201];
  char *cwd;
  int i;
  memset(name, 'd', 200);
  name[200] = '\0';
  for (i = 0; i < LEVELS; i++) {
    assert_int_equal(mkdir(name, 0755), 0);
    assert_int_equal(chdir(name), 0);
  }
  cwd = getcwd(NULL, 0);
  assert_non_null(cwd);
  assert_true(strlen(cwd) > PATH_MAX);
  free(cwd);
}

static int setup(void **state) {
  if (posix_tmp_setup(state) != 0)
    return -1;
  go_deep();
  return 0;
}

static int teardown(void **state) {
  if (chdir(posix_tmp_dir()) != 0)
    return -1;
  return posix_tmp_teardown(state);
}

/* The current directory + "/" + REL, malloc'ed. */
static char *here(const char *rel) {
  char *cwd = getcwd(NULL, 0), *p;
  assert_non_null(cwd);
  p = malloc(strlen(cwd) + strlen(rel) + 2);
  assert_non_null(p);
  sprintf(p, "%s/%s", cwd, rel);
  free(cwd);
  return p;
}

static void test_query(void **state) {
  mklink_info info;
  char *want;
  (void)state;
  posix_write_file("t", "x");
  posix_symlink("t", "l");
  posix_mkdir("sub");
  posix_symlink("../t", "sub/up");
  assert_int_equal(mklink_query("l", &info), 0);
  assert_int_equal(info.kind, MKLINK_FILE_SYMLINK);
  assert_int_equal(info.target_exists, 1);
  assert_string_equal(info.resolved, want = here("t"));
  mklink_info_free(&info);
  assert_int_equal(mklink_query("sub/up", &info), 0); /* looks at sub */
  assert_string_equal(info.resolved, want);
  mklink_info_free(&info);
  assert_int_equal(mklink_query("t", &info), 0);
  assert_string_equal(info.resolved, want);
  mklink_info_free(&info);
  free(want);
}

static void test_create(void **state) {
  mklink_info info;
  char *abs;
  (void)state;
  posix_write_file("t", "x");
  posix_mkdir("sub");
  assert_int_equal(mklink_create("s", "t", MKLINK_FILE_SYMLINK, MKLINK_REQUIRE_TARGET), 0);
  assert_int_equal(mklink_create("sub/r", "t", MKLINK_FILE_SYMLINK,
                                 MKLINK_RELATIVE | MKLINK_REQUIRE_TARGET),
                   0);
  assert_string_equal(posix_readlink("sub/r"), "../t");
  assert_int_equal(mklink_create("s", "sub", MKLINK_DIR_SYMLINK, MKLINK_REPLACE), 0);
  assert_string_equal(posix_readlink("s"), "sub");
  assert_int_equal(mklink_create("h", "t", MKLINK_HARDLINK, 0), 0);
  assert_int_equal(posix_nlink("t"), 2);
  assert_int_equal(mklink_create("h", "t", MKLINK_HARDLINK, MKLINK_REPLACE), 0);
  /* A link to itself is still seen (the last names match: both resolved),
     also through ".." and this directory's own name. */
  assert_int_equal(mklink_create("loop", "./loop", MKLINK_FILE_SYMLINK, 0), MKLINK_ELOOP);
  {
    char text[256] = "../";
    memset(text + 3, 'd', 200);
    strcpy(text + 203, "/loop");
    assert_int_equal(mklink_create("loop", text, MKLINK_FILE_SYMLINK, 0), MKLINK_ELOOP);
  }
  assert_false(posix_exists("loop"));
  /* A junction to an absolute target is made; to a relative one its text
     would be this directory's absolute path: longer than any link holds. */
  assert_int_equal(mklink_create("j", "/", MKLINK_JUNCTION, 0), 0);
  assert_int_equal(mklink_query("j", &info), 0);
  assert_int_equal(info.kind, MKLINK_JUNCTION);
  mklink_info_free(&info);
  assert_int_equal(mklink_create("j2", "sub", MKLINK_JUNCTION, 0), MKLINK_ENAMETOOLONG);
  assert_false(posix_exists("j2"));
  /* An absolute text as given: as long as this directory, more than the
     system lets a link hold -- its refusal, not the library's. */
  abs = here("t");
  assert_int_equal(mklink_create("a", abs, MKLINK_FILE_SYMLINK, 0), MKLINK_ENAMETOOLONG);
  assert_false(posix_exists("a"));
  free(abs);
}

static void test_capabilities(void **state) {
  mklink_caps caps;
  (void)state;
  assert_int_equal(mklink_capabilities(NULL, &caps), 0);
  assert_true(caps.real & MKLINK_KIND_BIT(MKLINK_FILE_SYMLINK));
  assert_true(caps.real & MKLINK_KIND_BIT(MKLINK_HARDLINK));
  assert_true(caps.simulated & MKLINK_KIND_BIT(MKLINK_JUNCTION));
  assert_int_equal(mklink_capabilities(".", &caps), 0);
  assert_true(caps.simulated & MKLINK_KIND_BIT(MKLINK_JUNCTION));
  assert_int_equal(posix_count_prefix(".", ".mklink-"), 0);
}

/* The command, from here: its exit status and the start of its stdout. */
static int run(char *const argv[], char *out, size_t outsz) {
  int fds[2], status;
  ssize_t n, got = 0;
  pid_t pid;
  assert_int_equal(pipe(fds), 0);
  pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    dup2(fds[1], 1);
    close(fds[0]);
    close(fds[1]);
    execv(program, argv);
    _exit(127);
  }
  close(fds[1]);
  while ((size_t)got < outsz - 1 && (n = read(fds[0], out + got, outsz - 1 - (size_t)got)) > 0)
    got += n;
  out[got] = '\0';
  close(fds[0]);
  assert_int_equal(waitpid(pid, &status, 0), pid);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_command(void **state) {
  char out[16384];
  char *query[] = {program, "--query", "l", NULL};
  char *caps[] = {program, "--capabilities", NULL};
  char *create[] = {program, "--relative", "sub/l", "t", NULL};
  (void)state;
  if (!find_program()) {
    print_message("skipped: %s is not built\n", program);
    skip();
  }
  posix_write_file("t", "x");
  posix_symlink("t", "l");
  posix_mkdir("sub");
  assert_int_equal(run(query, out, sizeof out), 0);
  assert_true(strncmp(out, "<SYMLINK>      l [t] -> /", strlen("<SYMLINK>      l [t] -> /")) == 0);
  assert_int_equal(run(caps, out, sizeof out), 0);
  assert_non_null(strstr(out, "junction           simulated"));
  assert_int_equal(run(create, out, sizeof out), 0);
  assert_string_equal(posix_readlink("sub/l"), "../t");
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(test_##name, setup, teardown)
  const struct CMUnitTest tests[] = {T(query), T(create), T(capabilities), T(command)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}

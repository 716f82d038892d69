/*
 * test_replace_atomic.c -- MKLINK_REPLACE is atomic for readers and leaves no
 * temporary name behind.
 *
 * Reader threads lstat, readlink and open through the link in a loop while a
 * writer replaces it REPLACEMENTS times (directory symlink to A, to B, a
 * junction to A, in turn): no reader may ever see ENOENT, an entry that is
 * not a link, or a link text that is not one of the three.  Then every call
 * of a replace is failed in turn (and, in a forked writer, the writer is
 * killed at each call): the link is always the old or the new one and no
 * temporary name is left, except the one a killed writer cannot remove.
 *
 * The directory of each test is made by sandbox_mkdtemp and removed by
 * sandbox_destroy (inside a chroot).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mklink.h"
#include "posix_fault.h"
#include "posix_sandbox.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define REPLACEMENTS 10000
#define READERS 2
#define TEMP_PREFIX ".mklink-"

static char dir[PATH_MAX];
static char old_cwd[PATH_MAX];
static char junction_text[PATH_MAX + 8]; /* "/." + the absolute path of A */

static void put_file(const char *path, const char *content) {
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  assert_int_equal(fputs(content, f) >= 0, 1);
  assert_int_equal(fclose(f), 0);
}

static int setup(void **state) {
  (void)state;
  assert_non_null(getcwd(old_cwd, sizeof old_cwd));
  sandbox_mkdtemp(dir, sizeof dir);
  assert_int_equal(chdir(dir), 0);
  assert_int_equal(mkdir("A", 0755), 0);
  assert_int_equal(mkdir("B", 0755), 0);
  put_file("A/f", "A");
  put_file("B/f", "B");
  snprintf(junction_text, sizeof junction_text, "/.%s/A", dir);
  assert_int_equal(mklink_create("L", "A", MKLINK_DIR_SYMLINK, 0), 0);
  return 0;
}

static int teardown(void **state) {
  const char *why;
  (void)state;
  fault_stop();
  assert_int_equal(chdir(old_cwd), 0);
  if (sandbox_available(&why))
    sandbox_destroy(dir);
  else
    print_message("left %s behind: %s\n", dir, why);
  return 0;
}

static int temp_names(void) {
  DIR *d = opendir(".");
  struct dirent *de;
  int n = 0;
  assert_non_null(d);
  while ((de = readdir(d)) != NULL)
    if (strncmp(de->d_name, TEMP_PREFIX, strlen(TEMP_PREFIX)) == 0)
      n++;
  closedir(d);
  return n;
}

/* The text of link PATH. */
static const char *posix_readlink_text(const char *path) {
  static char text[PATH_MAX];
  ssize_t n = readlink(path, text, sizeof text - 1);
  assert_true(n >= 0);
  text[n] = '\0';
  return text;
}

/* Remove the temporary names a killed writer left (plain unlink of names
   listed here, in the test's own directory). */
static void system_remove_temps(void) {
  DIR *d = opendir(".");
  struct dirent *de;
  assert_non_null(d);
  while ((de = readdir(d)) != NULL)
    if (strncmp(de->d_name, TEMP_PREFIX, strlen(TEMP_PREFIX)) == 0)
      assert_int_equal(unlinkat(dirfd(d), de->d_name, 0), 0);
  closedir(d);
}

/* 0: L is missing; 1: L is one of the links the writer makes; -1: something
   else (not a link, or a text nobody wrote: a half-made entry). */
static int link_state(const char *path) {
  char text[PATH_MAX];
  ssize_t n = readlink(path, text, sizeof text - 1);
  if (n < 0)
    return errno == ENOENT ? 0 : -1;
  text[n] = '\0';
  return strcmp(text, "A") == 0 || strcmp(text, "B") == 0 || strcmp(text, junction_text) == 0
             ? 1
             : -1;
}

/* ---- readers against one writer ------------------------------------------ */

typedef struct reader_stats {
  unsigned long checks;
  unsigned long enoent;  /* lstat, readlink or open found nothing */
  unsigned long bad;     /* not a link, unknown text, wrong content */
} reader_stats;

static atomic_int writing;

static void *reader(void *arg) {
  reader_stats *r = arg;
  while (atomic_load(&writing)) {
    struct stat st;
    char buf[8];
    ssize_t n;
    int fd, state;
    if (lstat("L", &st) != 0)
      r->enoent += errno == ENOENT, r->bad += errno != ENOENT;
    else if (!S_ISLNK(st.st_mode))
      r->bad++;
    state = link_state("L");
    r->enoent += state == 0;
    r->bad += state < 0;
    fd = open("L/f", O_RDONLY);
    if (fd < 0) {
      r->enoent += errno == ENOENT;
      r->bad += errno != ENOENT;
    } else {
      n = read(fd, buf, sizeof buf);
      r->bad += !(n == 1 && (buf[0] == 'A' || buf[0] == 'B'));
      close(fd);
    }
    r->checks++;
  }
  return NULL;
}

static void test_readers_never_see_the_link_missing(void **state) {
  pthread_t threads[READERS];
  reader_stats stats[READERS];
  reader_stats all = {0, 0, 0};
  int i, failures = 0, first = 0;
  (void)state;
  memset(stats, 0, sizeof stats);
  atomic_store(&writing, 1);
  for (i = 0; i < READERS; i++)
    assert_int_equal(pthread_create(&threads[i], NULL, reader, &stats[i]), 0);
  for (i = 0; i < REPLACEMENTS; i++) {
    int rc;
    switch (i % 3) {
    case 0:
      rc = mklink_create("L", "B", MKLINK_DIR_SYMLINK, MKLINK_REPLACE);
      break;
    case 1:
      rc = mklink_create("L", "A", MKLINK_JUNCTION, MKLINK_REPLACE);
      break;
    default:
      rc = mklink_create("L", "A", MKLINK_DIR_SYMLINK, MKLINK_REPLACE);
      break;
    }
    if (rc != 0 && failures++ == 0)
      first = rc;
  }
  atomic_store(&writing, 0);
  for (i = 0; i < READERS; i++) {
    assert_int_equal(pthread_join(threads[i], NULL), 0);
    all.checks += stats[i].checks;
    all.enoent += stats[i].enoent;
    all.bad += stats[i].bad;
  }
  print_message("replace: %d replacements (%d failed, first %s), %lu reader checks "
                "(lstat+readlink+open), %lu ENOENT, %lu half-made or foreign entries, "
                "%d temporary names left\n",
                REPLACEMENTS, failures, mklink_err_name(first), all.checks, all.enoent, all.bad,
                temp_names());
  assert_int_equal(failures, 0);
  assert_true(all.checks > 0);
  assert_int_equal(all.enoent, 0);
  assert_int_equal(all.bad, 0);
  assert_int_equal(temp_names(), 0);
  assert_int_equal(link_state("L"), 1);
}

/* ---- a failure at each call of a replace ---------------------------------- */

static void test_failure_at_each_call_leaves_old_link_and_no_temp(void **state) {
  unsigned n, calls;
  int rc;
  (void)state;
  for (n = 1;; n++) {
    assert_int_equal(mklink_create("L", "A", MKLINK_DIR_SYMLINK, MKLINK_REPLACE), 0);
    fault_start();
    expect_fail_call(n, EIO);
    rc = mklink_create("L", "B", MKLINK_DIR_SYMLINK, MKLINK_REPLACE);
    calls = fault_calls();
    fault_stop();
    if (calls < n) {
      assert_int_equal(rc, 0); /* no call left to fail: done */
      break;
    }
    if (rc == 0) {
      /* A failing call the replace can do without (none expected). */
      fail_msg("call %u (%s) failed and the replace still reported success", n,
               fault_call_entry(n));
    }
    /* The old link, whole, and nothing else. */
    assert_int_equal(link_state("L"), 1);
    assert_string_equal(posix_readlink_text("L"), "A");
    if (temp_names() != 0)
      fail_msg("a temporary name is left after call %u (%s) failed", n, fault_call_entry(n));
  }
  print_message("replace: each of %u calls failed in turn: old link kept, 0 temporary names\n",
                n - 1);
  assert_true(n > 2);
}

/* ---- the writer killed at each call --------------------------------------- */

/* Crash wrappers: the Nth call through the table ends the process before it
   is made, as a kill at that point would. */
static unsigned crash_at, crash_calls;

#define CRASH_POINT()                                                        \
  do {                                                                       \
    if (++crash_calls == crash_at)                                           \
      _exit(0);                                                              \
  } while (0)
#define DFLT(name, type) ((type)mklink_default_syscall(#name))

static char *c_getcwd(char *b, size_t n) {
  CRASH_POINT();
  return DFLT(getcwd, char *(*)(char *, size_t))(b, n);
}
static int c_fstatat(int fd, const char *p, struct stat *st, int f) {
  CRASH_POINT();
  return DFLT(fstatat, int (*)(int, const char *, struct stat *, int))(fd, p, st, f);
}
static ssize_t c_readlinkat(int fd, const char *p, char *b, size_t n) {
  CRASH_POINT();
  return DFLT(readlinkat, ssize_t(*)(int, const char *, char *, size_t))(fd, p, b, n);
}
static int c_symlinkat(const char *t, int fd, const char *p) {
  CRASH_POINT();
  return DFLT(symlinkat, int (*)(const char *, int, const char *))(t, fd, p);
}
static int c_renameat(int a, const char *p, int b, const char *q) {
  CRASH_POINT();
  return DFLT(renameat, int (*)(int, const char *, int, const char *))(a, p, b, q);
}
static int c_unlinkat(int fd, const char *p, int f) {
  CRASH_POINT();
  return DFLT(unlinkat, int (*)(int, const char *, int))(fd, p, f);
}

static const struct {
  const char *name;
  mklink_syscall_ptr fn;
} crashers[] = {
    {"getcwd", (mklink_syscall_ptr)c_getcwd},       {"fstatat", (mklink_syscall_ptr)c_fstatat},
    {"readlinkat", (mklink_syscall_ptr)c_readlinkat}, {"symlinkat", (mklink_syscall_ptr)c_symlinkat},
    {"renameat", (mklink_syscall_ptr)c_renameat},   {"unlinkat", (mklink_syscall_ptr)c_unlinkat},
};

static void test_writer_killed_at_each_call(void **state) {
  unsigned n, leaked_at = 0, leaks = 0;
  size_t i;
  (void)state;
  /* The replace must use only the wrapped entries, or a crash point would
     be missed. */
  fault_start();
  assert_int_equal(mklink_create("L", "B", MKLINK_DIR_SYMLINK, MKLINK_REPLACE), 0);
  for (n = 1; n <= fault_calls(); n++) {
    int known = 0;
    for (i = 0; i < sizeof crashers / sizeof crashers[0]; i++)
      known |= strcmp(crashers[i].name, fault_call_entry(n)) == 0;
    if (!known)
      fail_msg("the replace calls %s, which this test cannot crash in", fault_call_entry(n));
  }
  fault_stop();
  for (n = 1;; n++) {
    pid_t pid;
    int status, finished;
    assert_int_equal(mklink_create("L", "A", MKLINK_DIR_SYMLINK, MKLINK_REPLACE), 0);
    fflush(NULL);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
      crash_at = n;
      crash_calls = 0;
      for (i = 0; i < sizeof crashers / sizeof crashers[0]; i++)
        mklink_set_syscall(crashers[i].name, crashers[i].fn);
      _exit(mklink_create("L", "B", MKLINK_DIR_SYMLINK, MKLINK_REPLACE) == 0 ? 3 : 4);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    finished = WEXITSTATUS(status) == 3;
    assert_true(WEXITSTATUS(status) == 0 || finished);
    /* Never missing, never half-made: the old link or the new one. */
    assert_int_equal(link_state("L"), 1);
    if (temp_names() > 0) {
      /* Killed after making the temporary link, before renaming it: the
         one name no process is left to remove.  L is still the old link. */
      assert_int_equal(temp_names(), 1);
      assert_string_equal(posix_readlink_text("L"), "A");
      leaks++;
      leaked_at = n;
      system_remove_temps();
    }
    if (finished)
      break;
  }
  print_message("replace: writer killed before each of its %u calls: link never missing; a "
                "temporary name is left only when killed between making it and renaming it "
                "(%u point%s, call %u)\n",
                n - 1, leaks, leaks == 1 ? "" : "s", leaked_at);
  assert_true(leaks <= 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_readers_never_see_the_link_missing, setup, teardown),
      cmocka_unit_test_setup_teardown(test_failure_at_each_call_leaves_old_link_and_no_temp,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_writer_killed_at_each_call, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_concurrency.c -- threads creating, querying, listing, removing and
 * deleting trees in one directory at once.
 *
 * The library keeps no shared state, so every call must give either its
 * normal result or the error the file system's own race explains (EEXIST
 * when another thread made the name first, ENOFILE when it removed it), and
 * the directory must end as the threads leave it: nothing of theirs, no
 * temporary name.  Run under ThreadSanitizer by the tsan preset.
 *
 * mklink_remove_tree deletes, so the whole scene runs in sandbox_run(): a
 * forked child chrooted into the test's own directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mklink.h"
#include "posix_sandbox.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define THREADS 4
#define ROUNDS 300

typedef struct worker {
  int id;
  unsigned long calls;
  unsigned long unexpected;
  char first[160]; /* the first unexpected result, for the message */
} worker;

static void unexpected(worker *w, const char *what, const char *path, int rc) {
  if (w->unexpected++ == 0)
    snprintf(w->first, sizeof w->first, "thread %d: %s %s: %s", w->id, what, path,
             mklink_err_name(rc));
}

/* RC must be 0 or one of the two errors a racing thread explains. */
static void expect_rc(worker *w, const char *what, const char *path, int rc, int ok1, int ok2) {
  w->calls++;
  if (rc != 0 && rc != ok1 && rc != ok2)
    unexpected(w, what, path, rc);
}

static const mklink_kind kinds[] = {MKLINK_FILE_SYMLINK, MKLINK_DIR_SYMLINK, MKLINK_JUNCTION,
                                    MKLINK_HARDLINK};

static const char *target_of(mklink_kind kind) {
  return kind == MKLINK_HARDLINK || kind == MKLINK_FILE_SYMLINK ? "/file" : "/target";
}

/* Its own names: create, query (must be what was made), remove. */
static void own_link(worker *w, int i) {
  char path[64];
  mklink_info info;
  mklink_kind kind = kinds[i % 4];
  int rc;
  snprintf(path, sizeof path, "/d/t%d_%d", w->id, i % 8);
  expect_rc(w, "create", path, mklink_create(path, target_of(kind), kind, 0), 1, 1);
  rc = mklink_query(path, &info);
  expect_rc(w, "query", path, rc, 1, 1);
  if (rc == 0 && info.kind != kind && !(kind == MKLINK_FILE_SYMLINK && info.kind == MKLINK_DIR_SYMLINK))
    unexpected(w, "query kind of", path, (int)info.kind);
  expect_rc(w, "replace", path,
            mklink_create(path, target_of(kind), kind, MKLINK_REPLACE), 1, 1);
  expect_rc(w, "remove", path, mklink_remove(path), 1, 1);
  mklink_info_free(&info);
}

/* One name all threads fight over. */
static void shared_link(worker *w, int i) {
  mklink_info info;
  switch ((i + w->id) % 4) {
  case 0:
    expect_rc(w, "create", "/d/shared", mklink_create("/d/shared", "/target", MKLINK_JUNCTION, 0),
              MKLINK_EEXIST, 1);
    break;
  case 1:
    expect_rc(w, "query", "/d/shared", mklink_query("/d/shared", &info), MKLINK_ENOFILE, 1);
    mklink_info_free(&info);
    break;
  case 2:
    expect_rc(w, "remove", "/d/shared", mklink_remove("/d/shared"), MKLINK_ENOFILE, 1);
    break;
  default:
    expect_rc(w, "remove_tree", "/d/shared", mklink_remove_tree("/d/shared"), MKLINK_ENOFILE, 1);
    break;
  }
}

/* A small tree of its own, with links to the shared target, deleted. */
static void own_tree(worker *w, int i) {
  char path[64], sub[80];
  snprintf(path, sizeof path, "/d/tree%d", w->id);
  snprintf(sub, sizeof sub, "%s/sub", path);
  if (mkdir(path, 0755) != 0 || mkdir(sub, 0755) != 0) {
    unexpected(w, "mkdir", path, errno);
    return;
  }
  snprintf(sub, sizeof sub, "%s/sub/j", path);
  expect_rc(w, "create", sub, mklink_create(sub, "/target", MKLINK_JUNCTION, 0), 1, 1);
  snprintf(sub, sizeof sub, "%s/h", path);
  expect_rc(w, "create", sub, mklink_create(sub, "/file", MKLINK_HARDLINK, 0), 1, 1);
  expect_rc(w, "remove_tree", path, mklink_remove_tree(path), 1, 1);
  if (i % 50 == 0) {
    mklink_caps caps;
    expect_rc(w, "capabilities", "/d", mklink_capabilities("/d", &caps), 1, 1);
  }
}

/* mklink_walk over the directory everyone is changing: it must finish with
   0 (entries that vanish under it are its business, not errors). */
static int count_entry(const mklink_walk_entry *entry, void *arg) {
  (void)entry;
  ++*(unsigned long *)arg;
  return 0;
}

static void list_all(worker *w) {
  unsigned long seen = 0;
  expect_rc(w, "walk", "/d",
            mklink_walk("/d", MKLINK_WALK_RECURSIVE | MKLINK_WALK_HARDLINKS, count_entry, &seen),
            1, 1);
}

static void *work(void *arg) {
  worker *w = arg;
  int i;
  for (i = 0; i < ROUNDS; i++) {
    own_link(w, i);
    shared_link(w, i);
    if (i % 10 == 0)
      own_tree(w, i);
    if (i % 5 == (w->id % 5))
      list_all(w);
  }
  return NULL;
}

typedef struct outcome {
  unsigned long calls, unexpected;
  int leftovers;
  char first[160];
} outcome;

static int sc_concurrency(void *arg) {
  outcome *out = arg;
  pthread_t t[THREADS];
  worker w[THREADS];
  DIR *d;
  struct dirent *de;
  int i;
  SBX_CHECK(mkdir("/d", 0755) == 0);
  SBX_CHECK(mkdir("/target", 0755) == 0);
  SBX_CHECK(close(open("/file", O_WRONLY | O_CREAT, 0644)) == 0);
  memset(w, 0, sizeof w);
  for (i = 0; i < THREADS; i++) {
    w[i].id = i;
    SBX_CHECK(pthread_create(&t[i], NULL, work, &w[i]) == 0);
  }
  for (i = 0; i < THREADS; i++) {
    SBX_CHECK(pthread_join(t[i], NULL) == 0);
    out->calls += w[i].calls;
    out->unexpected += w[i].unexpected;
    if (w[i].unexpected > 0 && out->first[0] == '\0')
      memcpy(out->first, w[i].first, sizeof out->first);
  }
  (void)mklink_remove("/d/shared");
  /* Nothing left: no link, no tree, no temporary name. */
  SBX_CHECK((d = opendir("/d")) != NULL);
  while ((de = readdir(d)) != NULL)
    if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0) {
      fprintf(stderr, "left in /d: %s\n", de->d_name);
      out->leftovers++;
    }
  closedir(d);
  return 0;
}

static void test_threads_in_one_directory(void **state) {
  outcome *out;
  int rc;
  SANDBOX_REQUIRE();
  out = sandbox_shared(sizeof *out);
  rc = sandbox_run_tmpfs(*state, 16u << 20, sc_concurrency, out);
  if (rc == -1)
    rc = sandbox_run(*state, sc_concurrency, out);
  assert_int_equal(rc, 0);
  print_message("concurrency: %d threads, %lu calls, %lu unexpected results%s%s, %d entries left\n",
                THREADS, out->calls, out->unexpected, out->unexpected ? ", first: " : "",
                out->first, out->leftovers);
  assert_true(out->calls > THREADS * ROUNDS);
  assert_int_equal(out->unexpected, 0);
  assert_int_equal(out->leftovers, 0);
  sandbox_shared_free(out, sizeof *out);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      SANDBOX_TEST(test_threads_in_one_directory),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

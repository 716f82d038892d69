/*
 * test_threads.c -- the library keeps no shared state: threads replacing the
 * same link concurrently never collide on a temporary name, never leave one
 * behind, and a reader never finds the link missing.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "mklink.h"
#include "posix_fs.h"

#define WRITERS 4
#define ROUNDS 300

static const char *const targets[WRITERS] = {"t0", "t1", "t2", "t3"};
static atomic_int writers_done; /* read by the readers while the main thread sets it */

typedef struct result {
  int failures;
  int first_error;
} result;

typedef struct job {
  const char *target;
  mklink_kind kind;
  result r;
} job;

static void *write_loop(void *arg) {
  job *j = arg;
  int i;
  for (i = 0; i < ROUNDS; i++) {
    int rc = mklink_create("L", j->target, j->kind, MKLINK_REPLACE);
    if (rc != 0 && j->r.failures++ == 0)
      j->r.first_error = rc;
  }
  return NULL;
}

static void *read_loop(void *arg) {
  result *r = arg;
  while (!atomic_load(&writers_done)) {
    struct stat st;
    mklink_info info;
    if (lstat("L", &st) != 0 || !S_ISLNK(st.st_mode))
      r->failures++;
    if (mklink_query("L", &info) != 0)
      r->failures++;
    mklink_info_free(&info);
  }
  return NULL;
}

static void run(mklink_kind kind) {
  pthread_t w[WRITERS], reader;
  job jobs[WRITERS];
  result rd = {0, 0};
  int i;
  mklink_info info;
  for (i = 0; i < WRITERS; i++)
    posix_mkdir(targets[i]);
  assert_int_equal(mklink_create("L", "t0", kind, 0), 0);
  atomic_store(&writers_done, 0);
  assert_int_equal(pthread_create(&reader, NULL, read_loop, &rd), 0);
  for (i = 0; i < WRITERS; i++) {
    jobs[i].target = targets[i];
    jobs[i].kind = kind;
    jobs[i].r.failures = 0;
    jobs[i].r.first_error = 0;
    assert_int_equal(pthread_create(&w[i], NULL, write_loop, &jobs[i]), 0);
  }
  for (i = 0; i < WRITERS; i++)
    assert_int_equal(pthread_join(w[i], NULL), 0);
  atomic_store(&writers_done, 1);
  assert_int_equal(pthread_join(reader, NULL), 0);
  for (i = 0; i < WRITERS; i++)
    if (jobs[i].r.failures != 0)
      fail_msg("writer %d: %d failures, first %s", i, jobs[i].r.failures,
               mklink_err_name(jobs[i].r.first_error));
  assert_int_equal(rd.failures, 0);
  assert_int_equal(posix_count_prefix(".", ".mklink-"), 0);
  assert_int_equal(mklink_query("L", &info), 0);
  assert_int_equal(info.kind, kind);
  mklink_info_free(&info);
}

static void test_concurrent_replace_symlink(void **state) {
  (void)state;
  run(MKLINK_DIR_SYMLINK);
}

static void test_concurrent_replace_junction(void **state) {
  (void)state;
  run(MKLINK_JUNCTION);
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(test_##name, posix_tmp_setup, posix_tmp_teardown)
  const struct CMUnitTest tests[] = {
      T(concurrent_replace_symlink),
      T(concurrent_replace_junction),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

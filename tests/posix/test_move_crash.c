/*
 * test_move_crash.c -- mklink_move killed with SIGKILL at random moments.
 *
 * A child process moves a tree of 2,000 files (and one of everything else a
 * move keeps) from one tmpfs to another; the parent kills it with SIGKILL
 * after a random delay spread over the move's measured duration, 200 times.
 * After each kill, whatever the child was doing: if a move is pending,
 * resume and rollback take turns at recovering it; either way the end state
 * must be consistent (the whole tree at exactly one place, a link or the
 * tree at LINK, nothing of the move left) with 0 bytes lost, checked by the
 * tree's content digest and file by file.
 *
 * The run prints its counts (moments killed, resumed, rolled back, bytes
 * lost) and its seed; MKLINK_TEST_SEED=N repeats a run.  It runs inside
 * sandbox_run_tmpfs() (in 4 runs of 50 kills, each under the sandbox's time
 * limit), with a second tmpfs mounted on /b.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mklink.h"
#include "posix_move.h"
#include "posix_sandbox.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LINK "/a/tree"
#define TARGET "/b/tree"
#define KILLS 200
#define RUNS 4

static const move_scene scene = {
    .files = 2000, .per_dir = 100, .max_size = 4096, .extras = 1, .outside = "/outside"};

/* Shared by the runs (memory from sandbox_shared: the runs are children). */
typedef struct crash_state {
  unsigned seed;
  double measured_ms;   /* a whole move, measured in the first run  */
  double move_ms;       /* the moments' spread: the measure, less if
                           moves then finish before the kill        */
  unsigned killed;      /* the child died of the SIGKILL              */
  unsigned finished;    /* it finished before the kill came (retried) */
  unsigned untouched;   /* killed before anything changed             */
  unsigned pending;     /* killed with a move to recover              */
  unsigned resumed, rolled_back, committed;
  unsigned complete;    /* killed after the move was whole (cleaning up
                           nothing, or its last fsync)                */
  unsigned long long bytes, bytes_lost;
  double max_delay_ms;
} crash_state;

static void setup_mounts(void) {
  FILE *f;
  SBX_CHECK(mkdir("/a", 0755) == 0 && mkdir("/b", 0755) == 0 && mkdir("/outside", 0755) == 0);
  SBX_CHECK(mount("mklink-move-b", "/b", "tmpfs", 0, "size=128m") == 0);
  f = fopen("/outside/must-stay", "w");
  SBX_CHECK(f != NULL && fputs("never copied, never changed", f) >= 0 && fclose(f) == 0);
}

static pid_t start_move(void) {
  pid_t pid;
  fflush(NULL);
  pid = fork();
  SBX_CHECK(pid >= 0);
  if (pid == 0)
    _exit(mklink_move(LINK, TARGET, MKLINK_JUNCTION, 0, NULL, NULL) == 0 ? 0 : 1);
  return pid;
}

static int wait_child(pid_t pid) {
  int status;
  while (waitpid(pid, &status, 0) < 0)
    SBX_CHECK(errno == EINTR);
  return status;
}

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* A whole move, start to exit, as the parent sees it: the median of 3. */
static double measure(void) {
  double t[3], t0;
  int i;
  for (i = 0; i < 3; i++) {
    move_clear("/a");
    move_clear("/b");
    (void)move_make(LINK, &scene);
    t0 = move_now_ms();
    SBX_CHECK(wait_child(start_move()) == 0);
    t[i] = move_now_ms() - t0;
  }
  qsort(t, 3, sizeof t[0], by_value);
  return t[1];
}

/* LINK is the untouched tree, or the move is complete: which one. */
static int settled(unsigned long long digest) {
  struct stat st;
  SBX_CHECK(lstat(LINK, &st) == 0);
  if (S_ISDIR(st.st_mode)) {
    move_check_undone(LINK, TARGET, digest, 0, NULL, NULL);
    return 0;
  }
  move_check_done(LINK, TARGET, MKLINK_JUNCTION, digest, NULL, NULL);
  return 1;
}

/* Recover from one kill; where the data is now. */
static const char *recover(crash_state *cs, unsigned long long digest) {
  int pending = mklink_move_pending(LINK), rc;
  SBX_CHECK(pending == 0 || pending == 1);
  if (pending == 0) {
    /* What a user unsure of the state runs: it finds nothing to do, and
       leaves nothing of the move behind (not even a journal's temporary
       a kill left half-written). */
    rc = cs->untouched % 2 == 0 ? mklink_move_resume(LINK, NULL, NULL)
                                : mklink_move_rollback(LINK, NULL, NULL);
    SBX_CHECK(rc == MKLINK_ENOMOVE);
    if (settled(digest)) {
      cs->complete++;
      return TARGET;
    }
    cs->untouched++;
    return LINK;
  }
  if (cs->pending++ % 2 == 0) {
    rc = mklink_move_resume(LINK, NULL, NULL);
    if (rc != 0)
      fprintf(stderr, "resume after kill %u: %s\n", cs->killed, mklink_err_name(rc));
    SBX_CHECK(rc == 0);
    cs->resumed++;
    move_check_done(LINK, TARGET, MKLINK_JUNCTION, digest, NULL, NULL);
    return TARGET;
  }
  rc = mklink_move_rollback(LINK, NULL, NULL);
  if (rc == MKLINK_ECOMMITTED) {
    /* Killed while the old tree was being removed: only forward is left. */
    cs->committed++;
    move_check_done(LINK, TARGET, MKLINK_JUNCTION, digest, NULL, NULL);
    return TARGET;
  }
  if (rc != 0)
    fprintf(stderr, "rollback after kill %u: %s\n", cs->killed, mklink_err_name(rc));
  SBX_CHECK(rc == 0);
  cs->rolled_back++;
  move_check_undone(LINK, TARGET, digest, 0, NULL, NULL);
  return LINK;
}

static int sc_kills(void *arg) {
  crash_state *cs = arg;
  unsigned want = cs->killed + KILLS / RUNS, tries = 0;
  unsigned long long outside, digest, bytes;
  setup_mounts();
  outside = sandbox_digest("/outside");
  if (cs->move_ms == 0)
    cs->move_ms = cs->measured_ms = measure();
  while (cs->killed < want) {
    struct timespec delay;
    double ms;
    const char *where;
    int status;
    pid_t pid;
    SBX_CHECK(++tries < 4 * KILLS / RUNS); /* the kill came too late too often */
    move_clear("/a");
    move_clear("/b");
    bytes = move_make(LINK, &scene);
    digest = sandbox_content_digest(LINK, NULL);
    ms = cs->move_ms * (double)rand_r(&cs->seed) / RAND_MAX;
    delay.tv_sec = (time_t)(ms / 1e3);
    delay.tv_nsec = (long)((ms - (double)delay.tv_sec * 1e3) * 1e6);
    pid = start_move();
    while (nanosleep(&delay, &delay) != 0)
      SBX_CHECK(errno == EINTR);
    SBX_CHECK(kill(pid, SIGKILL) == 0);
    status = wait_child(pid);
    if (!WIFSIGNALED(status)) {
      /* The move was done first: that is no kill; try another moment. */
      SBX_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
      move_context("the move finished before the kill at %.2f ms", ms);
      /* It takes less than the estimate now (a machine less busy than when
         it was measured): spread the next moments over what it takes. */
      if (ms >= 1)
        cs->move_ms = ms;
      move_check_done(LINK, TARGET, MKLINK_JUNCTION, digest, NULL, NULL);
      cs->finished++;
      continue;
    }
    SBX_CHECK(WTERMSIG(status) == SIGKILL);
    cs->killed++;
    {
      struct stat st;
      move_context("recovering from kill %u at %.2f ms of %.2f: pending %d, LINK %s, journal "
                   "%s, its temporary %s",
                   cs->killed, ms, cs->move_ms, mklink_move_pending(LINK),
                   lstat(LINK, &st) != 0 ? "absent" : S_ISDIR(st.st_mode) ? "a directory" : "a link",
                   lstat(LINK ".mklink-move", &st) == 0 ? "there" : "absent",
                   lstat(LINK ".mklink-move.tmp", &st) == 0 ? "there" : "absent");
    }
    if (ms > cs->max_delay_ms)
      cs->max_delay_ms = ms;
    where = recover(cs, digest);
    cs->bytes += bytes;
    cs->bytes_lost += move_bytes_total(&scene) - move_bytes_intact(where, &scene);
    SBX_CHECK(sandbox_digest("/outside") == outside);
  }
  return 0;
}

static void test_sigkill_at_random_moments(void **state) {
  crash_state *cs;
  const char *env = getenv("MKLINK_TEST_SEED");
  int run, rc;
  SANDBOX_REQUIRE();
  cs = sandbox_shared(sizeof *cs);
  cs->seed = env != NULL && *env != '\0' ? (unsigned)strtoul(env, NULL, 10)
                                          : (unsigned)time(NULL) ^ (unsigned)getpid();
  print_message("seed %u (MKLINK_TEST_SEED=%u repeats this run)\n", cs->seed, cs->seed);
  for (run = 0; run < RUNS; run++) {
    rc = sandbox_run_tmpfs(*state, 512u << 20, sc_kills, cs);
    if (rc == -1) {
      sandbox_shared_free(cs, sizeof *cs);
      print_message("skipped: no private tmpfs here\n");
      skip();
    }
    assert_int_equal(rc, 0);
  }
  print_message("crash: a cross-device move of %d files (%.1f ms whole) killed with SIGKILL at "
                "%u random moments (0 to %.1f ms in; %u more runs finished before the kill): "
                "%u before anything changed, %u with the move pending -> %u resumed, %u rolled "
                "back (%u of those finished forward: the old tree was being removed), %u with "
                "the move complete; bytes checked %llu, bytes lost %llu\n",
                scene.files, cs->measured_ms, cs->killed, cs->max_delay_ms, cs->finished,
                cs->untouched, cs->pending, cs->resumed, cs->rolled_back + cs->committed,
                cs->committed, cs->complete, cs->bytes, cs->bytes_lost);
  assert_int_equal(cs->killed, KILLS);
  assert_true(cs->bytes_lost == 0);
  /* The moments must have hit the move itself, not only its edges. */
  assert_true(cs->pending >= KILLS / 4);
  assert_int_equal(cs->resumed + cs->rolled_back + cs->committed, cs->pending);
  sandbox_shared_free(cs, sizeof *cs);
}

/* The first moment of all, made exact: a kill while the first journal was
   being written leaves its temporary and nothing else.  Resume and rollback
   find no move, say so, and remove it. */
static int sc_stale_temporary(void *arg) {
  static const char *const link_only[] = {"tree", NULL};
  int i;
  (void)arg;
  SBX_CHECK(mkdir("/a", 0755) == 0 && mkdir("/b", 0755) == 0);
  (void)move_make(LINK, &scene);
  for (i = 0; i < 2; i++) {
    FILE *f = fopen(LINK ".mklink-move.tmp", "w");
    SBX_CHECK(f != NULL && fputs("a journal cut short by a kill", f) >= 0 && fclose(f) == 0);
    SBX_CHECK(mklink_move_pending(LINK) == 0);
    SBX_CHECK((i == 0 ? mklink_move_resume(LINK, NULL, NULL)
                      : mklink_move_rollback(LINK, NULL, NULL)) == MKLINK_ENOMOVE);
    SBX_CHECK(move_dir_is("/a", link_only));
  }
  return 0;
}

static void test_kill_before_the_first_journal(void **state) {
  move_run_tmpfs(state, 64u << 20, sc_stale_temporary, NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      SANDBOX_TEST(test_kill_before_the_first_journal),
      SANDBOX_TEST(test_sigkill_at_random_moments),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_move_faults.c -- mklink_move with each OS call failing in turn.
 *
 * For a move on one file system and one to another, the Nth call through the
 * library's OS-call table fails with EIO, for N = 1, 2, ... until the move
 * makes fewer calls than N (and then succeeds).  After each failure the
 * state must be one a user can recover from: resume finishes the move (LINK a
 * link to TARGET, TARGET the whole tree), and -- from the same state, made
 * again by the same failure -- rollback undoes it (LINK the tree again,
 * TARGET as it was); either way nothing of the move is left and every byte is
 * there: the content digest (names, types, modes, sizes, contents, times,
 * link texts, hard links) of the result equals the original's.
 *
 * Every scenario runs inside sandbox_run_tmpfs(): "/" is a private tmpfs, and
 * for the move to another file system a second tmpfs is mounted on /b.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mklink.h"
#include "posix_fault.h"
#include "posix_move.h"
#include "posix_sandbox.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define LINK "/a/tree"
#define TARGET "/b/tree"

typedef struct fault_case {
  const char *name;
  int cross;        /* TARGET on another file system */
  int file;         /* LINK is one file, not a tree  */
  mklink_kind kind;
} fault_case;

/* What the failures led to, for the summary line. */
typedef struct fault_counts {
  unsigned calls;       /* calls of a whole move (none failing)          */
  unsigned failed;      /* moves with one call failing                  */
  unsigned succeeded;   /* ... that still succeeded (a harmless call)    */
  unsigned refused;     /* ... that left nothing to recover (undone)     */
  unsigned resumed;     /* ... resumed to the end                        */
  unsigned rolled_back; /* ... rolled back (from the same state again)   */
  unsigned committed;   /* ... where rollback had to finish instead      */
  unsigned done_anyway; /* ... failed once the move was whole: done, with
                           the error returned and nothing pending         */
  unsigned long long bytes_lost;
} fault_counts;

static const move_scene tree_scene = {
    .files = 24, .per_dir = 8, .max_size = 3000, .big = 600 * 1024, .extras = 1,
    .outside = "/outside"};
static const move_scene file_scene = {.big = 600 * 1024};

static void make_outside(void) {
  FILE *f;
  SBX_CHECK(mkdir("/outside", 0755) == 0);
  f = fopen("/outside/must-stay", "w");
  SBX_CHECK(f != NULL);
  SBX_CHECK(fputs("outside the tree: never copied, never changed", f) >= 0);
  SBX_CHECK(fclose(f) == 0);
}

/* A fresh LINK; its content digest. */
static unsigned long long make_scene(const fault_case *c) {
  move_clear("/a");
  move_clear("/b");
  if (c->file) {
    (void)move_make("/a/scene", &file_scene);
    SBX_CHECK(rename("/a/scene/big", LINK) == 0);
    SBX_CHECK(rmdir("/a/scene") == 0);
  } else {
    (void)move_make(LINK, &tree_scene);
  }
  return sandbox_content_digest(LINK, NULL);
}

/* Every byte of the scene's files is at WHERE. */
static void check_bytes(const fault_case *c, const char *where, fault_counts *k) {
  const move_scene *s = c->file ? &file_scene : &tree_scene;
  unsigned long long got;
  if (c->file) {
    /* The scene's one file is "big": give it that name for a moment. */
    char dir[64], name[80];
    snprintf(dir, sizeof dir, "%s/check", move_parent(where));
    snprintf(name, sizeof name, "%s/big", dir);
    SBX_CHECK(mkdir(dir, 0755) == 0);
    SBX_CHECK(link(where, name) == 0);
    got = move_bytes_intact(dir, s);
    SBX_CHECK(unlink(name) == 0);
    SBX_CHECK(rmdir(dir) == 0);
  } else {
    got = move_bytes_intact(where, s);
  }
  k->bytes_lost += move_bytes_total(s) - got;
  SBX_CHECK(got == move_bytes_total(s));
}

static int run_move(const fault_case *c, unsigned n, unsigned *calls, const char **entry) {
  int rc;
  fault_start();
  expect_fail_call(n, EIO);
  rc = mklink_move(LINK, TARGET, c->kind, 0, NULL, NULL);
  *calls = fault_calls();
  *entry = fault_call_entry(n);
  fault_stop();
  return rc;
}

/* After the move failed (or not) with RC: recover forward (RESUME) or back,
   and check what that gives. */
static void recover(const fault_case *c, int rc, int resume, unsigned long long digest,
                    unsigned n, const char *entry, fault_counts *k) {
  int pending = mklink_move_pending(LINK), rc2;
  move_context("%s: call %u (%s) failed with EIO: the move returned %s, pending %d; %s", c->name,
               n, entry, mklink_err_name(rc), pending, resume ? "resuming" : "rolling back");
  if (rc == 0) {
    if (resume)
      k->succeeded++;
    move_check_done(LINK, TARGET, c->kind, digest, NULL, NULL);
    check_bytes(c, TARGET, k);
    return;
  }
  if (pending != 1) {
    /* Refused, or undone by itself: LINK as it was, nothing else.  Or the
       call failed after the move was whole (its journal gone): then the
       move is done in spite of the error, which is counted and shown. */
    struct stat st;
    SBX_CHECK(pending == 0);
    SBX_CHECK(mklink_move_resume(LINK, NULL, NULL) == MKLINK_ENOMOVE);
    SBX_CHECK(mklink_move_rollback(LINK, NULL, NULL) == MKLINK_ENOMOVE);
    SBX_CHECK(lstat(LINK, &st) == 0);
    if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) {
      if (resume) {
        k->done_anyway++;
        fprintf(stderr, "note: %s: call %u (%s) failed after the move was complete: "
                "%s returned, nothing pending\n", c->name, n, entry, mklink_err_name(rc));
      }
      move_check_done(LINK, TARGET, c->kind, digest, NULL, NULL);
      check_bytes(c, TARGET, k);
      return;
    }
    if (resume)
      k->refused++;
    move_check_undone(LINK, TARGET, digest, 0, NULL, NULL);
    check_bytes(c, LINK, k);
    return;
  }
  if (resume) {
    rc2 = mklink_move_resume(LINK, NULL, NULL);
    if (rc2 != 0)
      fprintf(stderr, "%s: call %u (%s) failed: move %s, resume %s\n", c->name, n, entry,
              mklink_err_name(rc), mklink_err_name(rc2));
    SBX_CHECK(rc2 == 0);
    k->resumed++;
    move_check_done(LINK, TARGET, c->kind, digest, NULL, NULL);
    check_bytes(c, TARGET, k);
    return;
  }
  rc2 = mklink_move_rollback(LINK, NULL, NULL);
  if (rc2 != 0 && rc2 != MKLINK_ECOMMITTED)
    fprintf(stderr, "%s: call %u (%s) failed: move %s, rollback %s\n", c->name, n, entry,
            mklink_err_name(rc), mklink_err_name(rc2));
  if (rc2 == MKLINK_ECOMMITTED) {
    /* The old tree was being removed: only forward was left, and the
       rollback finished the move. */
    k->committed++;
    move_check_done(LINK, TARGET, c->kind, digest, NULL, NULL);
    check_bytes(c, TARGET, k);
    return;
  }
  SBX_CHECK(rc2 == 0);
  k->rolled_back++;
  move_check_undone(LINK, TARGET, digest, 0, NULL, NULL);
  check_bytes(c, LINK, k);
}

static int sc_each_call_fails(void *arg) {
  const fault_case *c = arg;
  static fault_counts counts;
  fault_counts *k = &counts;
  unsigned long long digest, outside;
  unsigned n, calls;
  const char *entry;
  int rc;
  memset(k, 0, sizeof *k);
  SBX_CHECK(mkdir("/a", 0755) == 0 && mkdir("/b", 0755) == 0);
  if (c->cross)
    SBX_CHECK(mount("mklink-move-b", "/b", "tmpfs", 0, "size=64m") == 0);
  make_outside();
  outside = sandbox_digest("/outside");
  for (n = 1;; n++) {
    digest = make_scene(c);
    rc = run_move(c, n, &calls, &entry);
    if (calls < n) {
      /* Every call made, none failed: the move itself. */
      SBX_CHECK(rc == 0);
      SBX_CHECK(n > 5); /* the move does make calls */
      k->calls = calls;
      move_check_done(LINK, TARGET, c->kind, digest, NULL, NULL);
      break;
    }
    k->failed++;
    recover(c, rc, 1, digest, n, entry, k);
    /* The same failure again, from the same start; this time back. */
    digest = make_scene(c);
    rc = run_move(c, n, &calls, &entry);
    recover(c, rc, 0, digest, n, entry, k);
    SBX_CHECK(sandbox_digest("/outside") == outside);
  }
  SBX_CHECK(sandbox_digest("/outside") == outside);
  printf("%s: %u calls, each failed in turn: %u still succeeded, %u left nothing to recover, "
         "%u resumed, %u rolled back (%u finished forward instead), %u failed after the move "
         "was complete; bytes lost %llu\n",
         c->name, k->calls, k->succeeded, k->refused, k->resumed, k->rolled_back,
         k->committed, k->done_anyway, k->bytes_lost);
  fflush(stdout);
  SBX_CHECK(k->bytes_lost == 0);
  SBX_CHECK(k->resumed + k->refused + k->succeeded + k->done_anyway == k->failed);
  return 0;
}

static void run_case(void **state, const fault_case *c) {
  move_run_tmpfs(state, 256u << 20, sc_each_call_fails, (void *)c);
}

static void test_same_device_tree(void **state) {
  static const fault_case c = {"same file system, /D tree", 0, 0, MKLINK_DIR_SYMLINK};
  run_case(state, &c);
}

static void test_cross_device_tree(void **state) {
  static const fault_case c = {"another file system, /J tree", 1, 0, MKLINK_JUNCTION};
  run_case(state, &c);
}

static void test_cross_device_file(void **state) {
  static const fault_case c = {"another file system, file symlink", 1, 1, MKLINK_FILE_SYMLINK};
  run_case(state, &c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      SANDBOX_TEST(test_same_device_tree),
      SANDBOX_TEST(test_cross_device_tree),
      SANDBOX_TEST(test_cross_device_file),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

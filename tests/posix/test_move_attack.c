/*
 * test_move_attack.c -- mklink_move while an attacker swaps directories of
 * LINK for links to a victim tree.
 *
 * A move across file systems walks LINK and copies what it finds; an
 * attacker who can write in LINK replaces its subdirectories with symbolic
 * links (or simulated junctions) to /victim while the walk and the copy run,
 * and puts them back before the copy is verified.  Whatever the move then
 * does (succeed, fail the verification, fail a call), the victim is never
 * copied into TARGET (no byte of it anywhere on TARGET's file system when
 * the copy is done) and never changed (digest with inodes), and the end state
 * is consistent: the tree whole at LINK or at TARGET, nothing of the move left.
 *
 * Two attackers: a thread swapping at random moments, many times over; and a
 * hook in the OS-call table that swaps every subdirectory just before the
 * Nth call of the walk and the copy (openat, statx, fstatat, getdents64),
 * for every N up to the verification.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mklink.h"
#include "posix_move.h"
#include "posix_sandbox.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/stat.h> /* struct statx */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define LINK "/a/tree"
#define TARGET "/b/tree"
#define DIRS 6
#define MARK "VICTIM-DATA"
#define THREAD_ROUNDS 150

/* Six directories of ten files, like the victim's. */
static const move_scene scene = {.files = DIRS * 10, .per_dir = 10, .max_size = 2048};

/* ---- the victim ------------------------------------------------------------ */

static void make_victim(void) {
  char p[64], content[64];
  int i, fd;
  SBX_CHECK(mkdir("/victim", 0755) == 0);
  for (i = 0; i < 10; i++) {
    /* The names of the tree's own files, so a walk that followed would
       find what it expects. */
    snprintf(p, sizeof p, "/victim/f%05d", i);
    snprintf(content, sizeof content, "%s %d", MARK, i);
    fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0644);
    SBX_CHECK(fd >= 0 && write(fd, content, strlen(content)) == (ssize_t)strlen(content));
    SBX_CHECK(close(fd) == 0);
  }
  SBX_CHECK(mkdir("/victim/sub", 0755) == 0);
  fd = open("/victim/sub/deeper", O_WRONLY | O_CREAT | O_EXCL, 0644);
  SBX_CHECK(fd >= 0 && write(fd, MARK, strlen(MARK)) == (ssize_t)strlen(MARK));
  SBX_CHECK(close(fd) == 0);
}

/* Does any regular file below DIR hold the victim's mark? */
static int holds_mark(const char *dir) {
  char p[4096], buf[4096];
  struct dirent *de;
  struct stat st;
  int found = 0;
  DIR *d = opendir(dir);
  if (d == NULL)
    return 0;
  while (!found && (de = readdir(d)) != NULL) {
    if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
      continue;
    snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
    if (lstat(p, &st) != 0)
      continue;
    if (S_ISDIR(st.st_mode)) {
      found = holds_mark(p);
    } else if (S_ISREG(st.st_mode)) {
      int fd = open(p, O_RDONLY | O_NOFOLLOW);
      ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
      if (fd >= 0)
        close(fd);
      if (n > 0) {
        buf[n] = '\0';
        found = strstr(buf, MARK) != NULL;
      }
    }
  }
  closedir(d);
  if (found)
    fprintf(stderr, "victim data found in %s\n", dir);
  return found;
}

/* ---- swapping ---------------------------------------------------------------- */

static const char *link_text(int n) { return n % 2 ? "/./victim" : "/victim"; }

/* Directory I of the tree for a link to the victim, and back. */
static int swap_out(int i, int n) {
  char dir[64], hold[64];
  snprintf(dir, sizeof dir, LINK "/d%03d", i);
  snprintf(hold, sizeof hold, "/a/hold%d", i);
  if (rename(dir, hold) != 0)
    return -1;
  SBX_CHECK(symlink(link_text(n), dir) == 0);
  return 0;
}

static void swap_back(int i) {
  char dir[64], hold[64];
  snprintf(dir, sizeof dir, LINK "/d%03d", i);
  snprintf(hold, sizeof hold, "/a/hold%d", i);
  SBX_CHECK(unlink(dir) == 0);
  SBX_CHECK(rename(hold, dir) == 0);
}

/* ---- what every attacked move must end in --------------------------------- */

typedef struct attack_counts {
  unsigned moves, succeeded, failed, swaps;
  unsigned long long victim;
} attack_counts;

static void settle(int rc, unsigned long long digest, attack_counts *k) {
  int pending;
  k->moves++;
  SBX_CHECK(sandbox_digest("/victim") == k->victim);
  SBX_CHECK(!holds_mark("/b"));
  if (rc == 0) {
    struct stat st;
    int i;
    char p[64];
    for (i = 0; i < DIRS; i++) {
      snprintf(p, sizeof p, TARGET "/d%03d", i);
      if (lstat(p, &st) == 0 && !S_ISDIR(st.st_mode))
        fprintf(stderr, "%s is not a directory in the copy (the original's is gone with the "
                "old tree)\n", p);
      else if (lstat(p, &st) == 0 && (st.st_mode & 07777) != 0755)
        fprintf(stderr, "%s has mode %o in the copy, not 755\n", p, (unsigned)(st.st_mode & 07777));
    }
    k->succeeded++;
    move_check_done(LINK, TARGET, MKLINK_JUNCTION, digest, NULL, NULL);
    return;
  }
  k->failed++;
  pending = mklink_move_pending(LINK);
  SBX_CHECK(pending == 0 || pending == 1);
  if (pending == 1) {
    rc = mklink_move_rollback(LINK, NULL, NULL);
    SBX_CHECK(rc == 0);
  }
  move_check_undone(LINK, TARGET, digest, 0, NULL, NULL);
}

static void fresh_scene(void) {
  move_clear("/a");
  move_clear("/b");
  (void)move_make(LINK, &scene);
}

static void setup(attack_counts *k) {
  SBX_CHECK(mkdir("/a", 0755) == 0 && mkdir("/b", 0755) == 0);
  SBX_CHECK(mount("mklink-move-b", "/b", "tmpfs", 0, "size=64m") == 0);
  make_victim();
  memset(k, 0, sizeof *k);
  k->victim = sandbox_digest("/victim");
}

/* ---- a thread at random moments ------------------------------------------- */

typedef struct attacker {
  pthread_mutex_t lock;
  pthread_cond_t cond;
  int stop, stopped;
  unsigned swaps;
  int victim_in_copy; /* the mark was on /b when the copy was done */
} attacker;

static void *attack(void *arg) {
  attacker *a = arg;
  unsigned n = 0;
  for (;;) {
    int i = (int)(n % DIRS), k;
    pthread_mutex_lock(&a->lock);
    if (a->stop) {
      a->stopped = 1;
      pthread_cond_broadcast(&a->cond);
      pthread_mutex_unlock(&a->lock);
      return NULL;
    }
    pthread_mutex_unlock(&a->lock);
    if (swap_out(i, (int)n) == 0) {
      for (k = 0; k < 50 * (int)(n % 7); k++)
        sched_yield();
      swap_back(i);
      a->swaps++;
    }
    n++;
  }
}

/* At the verification (or any later report): the copy is whole; look at it
   before the attacker is stopped, then stop it with the tree as it was. */
static int stop_at_verify(const mklink_move_progress *p, void *arg) {
  attacker *a = arg;
  if (p->phase < MKLINK_MOVE_VERIFY)
    return 0;
  pthread_mutex_lock(&a->lock);
  if (!a->stop) {
    a->stop = 1;
    while (!a->stopped)
      pthread_cond_wait(&a->cond, &a->lock);
    if (holds_mark("/b"))
      a->victim_in_copy = 1;
  }
  pthread_mutex_unlock(&a->lock);
  return 0;
}

static int sc_thread(void *arg) {
  static attack_counts counts;
  attack_counts *k = &counts;
  int round;
  (void)arg;
  setup(k);
  for (round = 0; round < THREAD_ROUNDS; round++) {
    attacker a;
    pthread_t t;
    unsigned long long digest;
    int rc;
    fresh_scene();
    digest = sandbox_content_digest(LINK, NULL);
    memset(&a, 0, sizeof a);
    SBX_CHECK(pthread_mutex_init(&a.lock, NULL) == 0 && pthread_cond_init(&a.cond, NULL) == 0);
    SBX_CHECK(pthread_create(&t, NULL, attack, &a) == 0);
    rc = mklink_move(LINK, TARGET, MKLINK_JUNCTION, 0, stop_at_verify, &a);
    pthread_mutex_lock(&a.lock);
    a.stop = 1;
    pthread_mutex_unlock(&a.lock);
    SBX_CHECK(pthread_join(t, NULL) == 0);
    pthread_mutex_destroy(&a.lock);
    pthread_cond_destroy(&a.cond);
    k->swaps += a.swaps;
    move_context("thread attack round %d: %u swaps, the move returned %s", round, a.swaps,
                 mklink_err_name(rc));
    SBX_CHECK(!a.victim_in_copy);
    settle(rc, digest, k);
  }
  printf("attack (thread): %u moves with %u swaps of a directory for a link to the victim: "
         "%u succeeded whole, %u failed and were undone; victim copied 0 times, changed 0 times\n",
         k->moves, k->swaps, k->succeeded, k->failed);
  fflush(stdout);
  /* The attacker did get to work (on a loaded machine it gets fewer turns). */
  SBX_CHECK(k->swaps >= THREAD_ROUNDS / 10);
  return 0;
}

static void test_thread_swapping_directories(void **state) {
  move_run_tmpfs(state, 128u << 20, sc_thread, NULL);
}

/* ---- a hook before the Nth call -------------------------------------------- */

static struct {
  const char *entry;
  unsigned at, calls; /* swap before call AT of ENTRY; calls seen   */
  unsigned before_verify;  /* calls of ENTRY before the verification */
  int swapped, verifying, victim_in_copy;
} H;

static void before_call(void) {
  int i;
  if (H.verifying || ++H.calls != H.at || H.swapped)
    return;
  for (i = 0; i < DIRS; i++)
    if (swap_out(i, (int)H.at) == 0)
      H.swapped |= 1 << i;
}

static int restore_at_verify(const mklink_move_progress *p, void *arg) {
  int i;
  (void)arg;
  if (p->phase < MKLINK_MOVE_VERIFY || H.verifying)
    return 0;
  H.verifying = 1;
  H.before_verify = H.calls;
  if (holds_mark("/b"))
    H.victim_in_copy = 1;
  for (i = 0; i < DIRS; i++)
    if (H.swapped & (1 << i))
      swap_back(i);
  H.swapped = 0;
  return 0;
}

typedef int (*openat_fn)(int, const char *, int, ...);
typedef int (*fstatat_fn)(int, const char *, struct stat *, int);
typedef int (*statx_fn)(int, const char *, int, unsigned, struct statx *);
typedef ssize_t (*getdents_fn)(int, void *, size_t);

static int openat_hook(int fd, const char *name, int flags, ...) {
  before_call();
  return ((openat_fn)mklink_default_syscall("openat"))(fd, name, flags, 0600);
}
static int fstatat_hook(int fd, const char *name, struct stat *st, int flags) {
  before_call();
  return ((fstatat_fn)mklink_default_syscall("fstatat"))(fd, name, st, flags);
}
static int statx_hook(int fd, const char *name, int flags, unsigned mask, struct statx *out) {
  before_call();
  return ((statx_fn)mklink_default_syscall("statx"))(fd, name, flags, mask, out);
}
static ssize_t getdents_hook(int fd, void *buf, size_t size) {
  before_call();
  return ((getdents_fn)mklink_default_syscall("getdents64"))(fd, buf, size);
}

static int sc_hook(void *arg) {
  static const struct {
    const char *entry;
    mklink_syscall_ptr fn;
  } hooks[] = {
      {"openat", (mklink_syscall_ptr)openat_hook},
      {"statx", (mklink_syscall_ptr)statx_hook},
      {"fstatat", (mklink_syscall_ptr)fstatat_hook},
      {"getdents64", (mklink_syscall_ptr)getdents_hook},
  };
  static attack_counts counts;
  attack_counts *k = &counts;
  unsigned total_swaps = 0;
  size_t e;
  (void)arg;
  setup(k);
  for (e = 0; e < sizeof hooks / sizeof hooks[0]; e++) {
    unsigned at;
    for (at = 1;; at++) {
      unsigned long long digest;
      int rc, i;
      fresh_scene();
      digest = sandbox_content_digest(LINK, NULL);
      memset(&H, 0, sizeof H);
      H.entry = hooks[e].entry;
      H.at = at;
      SBX_CHECK(mklink_set_syscall(H.entry, hooks[e].fn) == 0);
      rc = mklink_move(LINK, TARGET, MKLINK_JUNCTION, 0, restore_at_verify, NULL);
      SBX_CHECK(mklink_set_syscall(H.entry, NULL) == 0);
      for (i = 0; i < DIRS; i++) /* the move failed before the verification */
        if (H.swapped & (1 << i))
          swap_back(i);
      if (!H.verifying)
        H.before_verify = H.calls;
      move_context("%s hook: every directory swapped before call %u (of %u before the "
                   "verification): the move returned %s",
                   H.entry, at, H.before_verify, mklink_err_name(rc));
      SBX_CHECK(!H.victim_in_copy);
      if (at > H.before_verify) {
        /* No call left before the verification: the last move was not
           attacked, and must have gone through. */
        SBX_CHECK(rc == 0);
        settle(rc, digest, k);
        break;
      }
      total_swaps++;
      settle(rc, digest, k);
    }
  }
  printf("attack (hook): %u moves, every directory swapped for a link to the victim before "
         "each call of openat, statx, fstatat and getdents64 in turn: %u succeeded whole, %u "
         "failed and were undone; victim copied 0 times, changed 0 times\n",
         k->moves, k->succeeded, k->failed);
  fflush(stdout);
  SBX_CHECK(total_swaps > 50);
  return 0;
}

static void test_hook_swapping_before_each_call(void **state) {
  move_run_tmpfs(state, 128u << 20, sc_hook, NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      SANDBOX_TEST(test_thread_swapping_directories),
      SANDBOX_TEST(test_hook_swapping_before_each_call),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

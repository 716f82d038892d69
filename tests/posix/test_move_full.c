/*
 * test_move_full.c -- mklink_move onto a file system that is full, or
 * becomes full in the middle of the copy.
 *
 * TARGET's file system is a size-limited tmpfs mounted on /b inside the
 * sandbox's private mount namespace.  Up front, a tree larger than the free
 * space is refused with MKLINK_ENOSPC ("There is not enough space on the
 * disk.") and nothing changes.  When the free-space check passes and the
 * space then runs out during the copy -- filled by another process right
 * after the plan, or by a hook on the copy's own writes once a third of the
 * tree is copied -- the move fails with MKLINK_ENOSPC, LINK is untouched
 * (digest with inodes: the very same files), and nothing is left on TARGET's
 * file system but the filler, nor any journal beside LINK.
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
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#define LINK "/a/tree"
#define TARGET "/b/tree"
#define DISK_FULL "There is not enough space on the disk."

/* About 5 MiB in 40 files. */
static const move_scene scene = {.files = 40, .per_dir = 10, .max_size = 256 * 1024, .extras = 1};

static void setup(const char *size) {
  char opts[32];
  snprintf(opts, sizeof opts, "size=%s", size);
  SBX_CHECK(mkdir("/a", 0755) == 0 && mkdir("/b", 0755) == 0);
  SBX_CHECK(mount("mklink-move-full", "/b", "tmpfs", 0, opts) == 0);
}

/* TARGET on a tmpfs of 16 MiB, the scene at LINK: the digest of LINK's
   directory (inodes and all) and the scene's bytes. */
static unsigned long long setup_scene(unsigned long long *whole) {
  setup("16m");
  (void)move_make(LINK, &scene);
  (void)sandbox_content_digest(LINK, whole);
  return sandbox_digest("/a");
}

static unsigned long long free_bytes(const char *path) {
  struct statvfs sv;
  SBX_CHECK(statvfs(path, &sv) == 0);
  return (unsigned long long)sv.f_bavail * sv.f_frsize;
}

/* Write /b/filler until only LEAVE bytes are free (0: until the file system
   is full), with the system's own write, never the library's table. */
static void fill(unsigned long long leave) {
  static char block[65536];
  int fd = open("/b/filler", O_WRONLY | O_CREAT | O_APPEND, 0644);
  SBX_CHECK(fd >= 0);
  memset(block, 'F', sizeof block);
  for (;;) {
    unsigned long long avail = free_bytes("/b");
    size_t n = sizeof block;
    ssize_t got;
    /* Whole pages: a write inside a page the file has takes no space. */
    if (avail < leave + 4096)
      break;
    if (leave > 0 && avail - leave < n)
      n = (size_t)((avail - leave) / 4096 * 4096);
    got = write(fd, block, n);
    if (got < 0) {
      SBX_CHECK(errno == ENOSPC);
      break;
    }
  }
  SBX_CHECK(close(fd) == 0);
}

/* The move failed for want of space and left everything as it was. */
static void check_refused(int rc, unsigned long long before) {
  static const char *const filler[] = {"filler", NULL};
  static const char *const link_only[] = {"tree", NULL};
  if (rc != MKLINK_ENOSPC)
    fprintf(stderr, "the move returned %s (%d)\n", mklink_err_name(rc), rc);
  SBX_CHECK(rc == MKLINK_ENOSPC);
  SBX_CHECK(strcmp(mklink_strerror(rc), DISK_FULL) == 0);
  SBX_CHECK(sandbox_digest("/a") == before); /* the same files, the same inodes */
  SBX_CHECK(move_dir_is("/a", link_only));   /* no journal, no temporary */
  SBX_CHECK(move_dir_is("/b", filler));      /* no partial copy */
  SBX_CHECK(mklink_move_pending(LINK) == 0);
  SBX_CHECK(move_bytes_intact(LINK, &scene) == move_bytes_total(&scene));
}

/* ---- refused up front ------------------------------------------------------ */

static int sc_refused_up_front(void *arg) {
  static const char *const none[] = {NULL};
  unsigned long long before, whole;
  int rc;
  (void)arg;
  setup("2m");
  (void)move_make(LINK, &scene);
  before = sandbox_digest("/");
  rc = mklink_move(LINK, TARGET, MKLINK_JUNCTION, 0, NULL, NULL);
  SBX_CHECK(rc == MKLINK_ENOSPC);
  SBX_CHECK(strcmp(mklink_strerror(rc), DISK_FULL) == 0);
  SBX_CHECK(sandbox_digest("/") == before);
  SBX_CHECK(move_dir_is("/b", none));
  SBX_CHECK(mklink_move_pending(LINK) == 0);
  /* Also a dry run says so. */
  SBX_CHECK(mklink_move(LINK, TARGET, MKLINK_JUNCTION, MKLINK_MOVE_DRY_RUN, NULL, NULL) ==
            MKLINK_ENOSPC);
  SBX_CHECK(sandbox_digest("/") == before);
  /* A file system big enough but nearly full is refused the same way. */
  SBX_CHECK(umount("/b") == 0);
  SBX_CHECK(mount("mklink-move-full", "/b", "tmpfs", 0, "size=16m") == 0);
  (void)sandbox_content_digest(LINK, &whole);
  fill(whole / 2);
  before = sandbox_digest("/");
  SBX_CHECK(mklink_move(LINK, TARGET, MKLINK_DIR_SYMLINK, 0, NULL, NULL) == MKLINK_ENOSPC);
  SBX_CHECK(sandbox_digest("/") == before);
  return 0;
}

static void test_refused_up_front(void **state) {
  move_run_tmpfs(state, 64u << 20, sc_refused_up_front, NULL);
}

/* ---- filled by another process after the plan ------------------------------- */

typedef struct plan_fill {
  unsigned long long leave; /* free bytes to leave: half the tree */
  int filled;
} plan_fill;

static int fill_after_plan(const mklink_move_progress *p, void *arg) {
  plan_fill *f = arg;
  pid_t pid;
  int status;
  if (f->filled || p->phase != MKLINK_MOVE_PLAN)
    return 0;
  /* The check of free space is behind us: now someone else fills the disk. */
  fflush(NULL);
  pid = fork();
  SBX_CHECK(pid >= 0);
  if (pid == 0) {
    fill(f->leave);
    _exit(0);
  }
  SBX_CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
  f->filled = 1;
  return 0;
}

static int sc_filled_after_plan(void *arg) {
  plan_fill f;
  unsigned long long before, whole;
  int rc;
  (void)arg;
  before = setup_scene(&whole);
  memset(&f, 0, sizeof f);
  f.leave = whole / 2;
  rc = mklink_move(LINK, TARGET, MKLINK_JUNCTION, 0, fill_after_plan, &f);
  SBX_CHECK(f.filled);
  check_refused(rc, before);
  return 0;
}

static void test_filled_by_another_process_after_the_plan(void **state) {
  move_run_tmpfs(state, 64u << 20, sc_filled_after_plan, NULL);
}

/* ---- filled during the copy, by a hook on its writes ------------------------ */

typedef ssize_t (*write_fn)(int, const void *, size_t);

static struct {
  dev_t dev;                       /* TARGET's file system   */
  unsigned long long copied, when; /* bytes written to it; fill at WHEN */
  int filled;
} hook;

static ssize_t write_filling(int fd, const void *buf, size_t n) {
  struct stat st;
  ssize_t got;
  if (!hook.filled && fstat(fd, &st) == 0 && st.st_dev == hook.dev && hook.copied >= hook.when) {
    fill(0); /* the disk is full from this write on */
    hook.filled = 1;
  }
  got = ((write_fn)mklink_default_syscall("write"))(fd, buf, n);
  if (got > 0 && fstat(fd, &st) == 0 && st.st_dev == hook.dev)
    hook.copied += (unsigned long long)got;
  return got;
}

static int sc_filled_during_copy(void *arg) {
  struct stat st;
  unsigned long long before, whole;
  int rc;
  (void)arg;
  before = setup_scene(&whole);
  SBX_CHECK(stat("/b", &st) == 0);
  memset(&hook, 0, sizeof hook);
  hook.dev = st.st_dev;
  hook.when = whole / 3;
  SBX_CHECK(mklink_set_syscall("write", (mklink_syscall_ptr)write_filling) == 0);
  rc = mklink_move(LINK, TARGET, MKLINK_JUNCTION, 0, NULL, NULL);
  SBX_CHECK(mklink_set_syscall("write", NULL) == 0);
  SBX_CHECK(hook.filled);                /* the copy did run out mid-way */
  SBX_CHECK(hook.copied >= whole / 3);   /* ... after a third of it */
  check_refused(rc, before);
  /* And with the space back, the same move goes through. */
  SBX_CHECK(unlink("/b/filler") == 0);
  SBX_CHECK(mklink_move(LINK, TARGET, MKLINK_JUNCTION, 0, NULL, NULL) == 0);
  SBX_CHECK(move_bytes_intact(TARGET, &scene) == move_bytes_total(&scene));
  return 0;
}

static void test_filled_during_the_copy(void **state) {
  move_run_tmpfs(state, 64u << 20, sc_filled_during_copy, NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      SANDBOX_TEST(test_refused_up_front),
      SANDBOX_TEST(test_filled_by_another_process_after_the_plan),
      SANDBOX_TEST(test_filled_during_the_copy),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

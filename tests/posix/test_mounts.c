/*
 * test_mounts.c -- a recursive delete (and a recursive list) never crosses
 * a mount point: issue 11's cases, each in a sandbox on a private tmpfs in
 * a private mount namespace (the mounts vanish with the child).
 *
 * Scene: /W/victim (the data behind the mounts, hashed before and after),
 * /W/tree with a file, a subdirectory, a link into the victim, and /W/tree/sub
 * where something is mounted: a bind mount of a directory, of a single file,
 * a read-only bind, a bind of the tree's own parent (a loop), a tmpfs.  Each
 * time: the delete fails with MKLINK_EMOUNT naming /W/tree/sub (and only it),
 * the data behind the mount is intact, the rest of the tree is gone.  A mount
 * point given as PATH is refused and nothing changes.  The same with statx
 * unable to say (a kernel before 5.8): the fallback through
 * /proc/self/mountinfo finds the bind mounts.
 */
#define _GNU_SOURCE /* unshare(), CLONE_NEWPID */
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
#include <linux/stat.h> /* struct statx */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- scene ------------------------------------------------------------------ */

static void put_file(const char *path, const char *content) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  SBX_CHECK(fd >= 0);
  SBX_CHECK(write(fd, content, strlen(content)) == (ssize_t)strlen(content));
  SBX_CHECK(close(fd) == 0);
}

static void put_dir(const char *path) { SBX_CHECK(mkdir(path, 0755) == 0); }

static int exists(const char *path) {
  struct stat st;
  return lstat(path, &st) == 0;
}

/* Entries of directory PATH. */
static int count_entries(const char *path) {
  DIR *d = opendir(path);
  struct dirent *e;
  int n = 0;
  SBX_CHECK(d != NULL);
  while ((e = readdir(d)) != NULL)
    n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
  closedir(d);
  return n;
}

enum what { BIND_DIR, BIND_FILE, BIND_READ_ONLY, BIND_PARENT, TMPFS };

static const char *const what_name[] = {
    "a bind mount of a directory", "a bind mount of a file", "a read-only bind mount",
    "a bind mount of the tree's parent", "a tmpfs"};

static void make_scene(enum what w) {
  put_dir("/W");
  put_dir("/W/victim");
  put_file("/W/victim/data", "precious");
  put_dir("/W/victim/deeper");
  put_file("/W/victim/deeper/more", "more precious");
  SBX_CHECK(symlink("data", "/W/victim/vlink") == 0);
  put_dir("/W/tree");
  put_file("/W/tree/file", "tree");
  put_dir("/W/tree/a");
  put_dir("/W/tree/a/b");
  put_file("/W/tree/a/b/f", "tree");
  SBX_CHECK(symlink("/W/victim", "/W/tree/a/link") == 0);
  if (w == BIND_FILE)
    put_file("/W/tree/sub", "the file under the mount");
  else
    put_dir("/W/tree/sub");
  switch (w) {
  case BIND_DIR:
    SBX_CHECK(mount("/W/victim", "/W/tree/sub", "none", MS_BIND, NULL) == 0);
    break;
  case BIND_FILE:
    SBX_CHECK(mount("/W/victim/data", "/W/tree/sub", "none", MS_BIND, NULL) == 0);
    break;
  case BIND_READ_ONLY:
    SBX_CHECK(mount("/W/victim", "/W/tree/sub", "none", MS_BIND, NULL) == 0);
    SBX_CHECK(mount("none", "/W/tree/sub", "none", MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) == 0);
    break;
  case BIND_PARENT:
    SBX_CHECK(mount("/W", "/W/tree/sub", "none", MS_BIND, NULL) == 0);
    break;
  case TMPFS:
    SBX_CHECK(mount("mklink-test", "/W/tree/sub", "tmpfs", 0, "size=64k") == 0);
    put_file("/W/tree/sub/keep", "another file system");
    break;
  }
}

static void unmount_scene(void) { SBX_CHECK(umount2("/W/tree/sub", MNT_DETACH) == 0); }

/* ---- what the callback heard ---------------------------------------------------- */

typedef struct heard {
  int count;
  char path[256];
  int error;
} heard;

static int listen(const char *path, int error, void *arg) {
  heard *h = arg;
  if (h->count++ == 0) {
    snprintf(h->path, sizeof h->path, "%s", path);
    h->error = error;
  }
  return 0;
}

/* statx that cannot tell (as before Linux 4.11): the fallback is used. */
static int statx_enosys(int fd, const char *name, int flags, unsigned mask, struct statx *out) {
  (void)fd, (void)name, (void)flags, (void)mask, (void)out;
  errno = ENOSYS;
  return -1;
}

/* ---- the cases -------------------------------------------------------------------- */

typedef struct run_args {
  int fallback; /* statx says ENOSYS; /proc mounted for mountinfo */
} run_args;

static void check_case(enum what w) {
  unsigned long long victim, inside;
  heard h;
  int rc;
  memset(&h, 0, sizeof h);
  make_scene(w);
  victim = sandbox_digest("/W/victim");
  inside = w == TMPFS ? sandbox_digest("/W/tree/sub") : 0;
  rc = mklink_remove_tree_report("/W/tree", listen, &h);
  if (rc != MKLINK_EMOUNT || h.count != 1)
    fprintf(stderr, "%s: rc %s, %d reports, first '%s' %s\n", what_name[w], mklink_err_name(rc),
            h.count, h.path, mklink_err_name(h.error));
  SBX_CHECK(rc == MKLINK_EMOUNT);
  SBX_CHECK(h.count == 1);
  SBX_CHECK(strcmp(h.path, "/W/tree/sub") == 0);
  SBX_CHECK(h.error == MKLINK_EMOUNT);
  /* The data behind the mount is intact, seen through it too. */
  SBX_CHECK(sandbox_digest("/W/victim") == victim);
  if (w == TMPFS)
    SBX_CHECK(sandbox_digest("/W/tree/sub") == inside);
  if (w == BIND_DIR || w == BIND_READ_ONLY)
    SBX_CHECK(sandbox_digest("/W/tree/sub") == victim);
  /* The rest of the tree is gone: only the mount point is left. */
  SBX_CHECK(count_entries("/W/tree") == 1);
  SBX_CHECK(exists("/W/tree/sub"));
  /* The mount point given as PATH: refused the same way, nothing heard. */
  memset(&h, 0, sizeof h);
  SBX_CHECK(mklink_remove_tree_report("/W/tree/sub", listen, &h) == MKLINK_EMOUNT);
  SBX_CHECK(mklink_remove_tree("/W/tree/sub/") == MKLINK_EMOUNT);
  SBX_CHECK(h.count == 0);
  SBX_CHECK(sandbox_digest("/W/victim") == victim);
  unmount_scene();
  /* Once unmounted, what was under the mount point goes like the rest. */
  SBX_CHECK(mklink_remove_tree("/W/tree") == 0);
  SBX_CHECK(!exists("/W/tree"));
  SBX_CHECK(sandbox_digest("/W/victim") == victim);
  SBX_CHECK(sandbox_clear("/W", 1) == 0);
}

static int sc_mounts(void *arg) {
  const run_args *a = arg;
  enum what w;
  if (a->fallback) {
    /* A /proc may be mounted only by a process of a PID namespace that its
       user namespace owns (in a user namespace there is no other way): the
       cases run in a child that is PID 1 of a new one. */
    int status;
    pid_t pid;
    SBX_CHECK(unshare(CLONE_NEWPID) == 0);
    pid = fork();
    SBX_CHECK(pid >= 0);
    if (pid != 0) {
      SBX_CHECK(waitpid(pid, &status, 0) == pid);
      SBX_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
      return 0;
    }
    put_dir("/proc");
    SBX_CHECK(mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) == 0);
    SBX_CHECK(mklink_set_syscall("statx", (mklink_syscall_ptr)statx_enosys) == 0);
  }
  for (w = BIND_DIR; w <= TMPFS; w++)
    check_case(w);
  if (a->fallback) {
    SBX_CHECK(mklink_set_syscall("statx", NULL) == 0);
    SBX_CHECK(umount2("/proc", MNT_DETACH) == 0);
    SBX_CHECK(rmdir("/proc") == 0);
    _exit(0);
  }
  return 0;
}

static void run_mounts(void **state, int fallback) {
  run_args a;
  SANDBOX_REQUIRE();
  a.fallback = fallback;
  SANDBOX_RUN_TMPFS(state, 16u << 20, sc_mounts, &a);
}

/* The kernel says which directories are mount roots (statx, Linux 5.8). */
static void test_mount_points_are_left_and_named(void **state) { run_mounts(state, 0); }

/* It cannot: another device, or a mount point of /proc/self/mountinfo. */
static void test_fallback_finds_the_same_mounts(void **state) { run_mounts(state, 1); }

/* Without statx's answer and without /proc, a mount of another file system
   is still found by its device (a bind mount of the same one is not: the
   documented limit of that fallback). */
static int sc_fallback_without_proc(void *arg) {
  unsigned long long inside;
  (void)arg;
  SBX_CHECK(mklink_set_syscall("statx", (mklink_syscall_ptr)statx_enosys) == 0);
  make_scene(TMPFS);
  inside = sandbox_digest("/W/tree/sub");
  SBX_CHECK(mklink_remove_tree("/W/tree") == MKLINK_EMOUNT);
  SBX_CHECK(sandbox_digest("/W/tree/sub") == inside);
  SBX_CHECK(count_entries("/W/tree") == 1);
  unmount_scene();
  SBX_CHECK(mklink_set_syscall("statx", NULL) == 0);
  SBX_CHECK(sandbox_clear("/W", 1) == 0);
  return 0;
}

static void test_fallback_without_proc_still_sees_other_devices(void **state) {
  SANDBOX_REQUIRE();
  SANDBOX_RUN_TMPFS(state, 16u << 20, sc_fallback_without_proc, NULL);
}

/* ---- the list says <MOUNT> and does not go in ------------------------------------- */

typedef struct listed {
  int mounts, inside, victim_link;
  mklink_kind mount_kind;
} listed;

static int collect(const mklink_walk_entry *e, void *arg) {
  listed *l = arg;
  if (e->error != 0)
    return 0;
  if (strcmp(e->path, "/W/tree/sub") == 0) {
    l->mounts++;
    l->mount_kind = e->info->kind;
  } else if (strncmp(e->path, "/W/tree/sub/", 12) == 0) {
    l->inside++;
  } else if (strcmp(e->path, "/W/victim/vlink") == 0) {
    l->victim_link++;
  }
  return 0;
}

static int sc_list(void *arg) {
  enum what w;
  (void)arg;
  for (w = BIND_DIR; w <= TMPFS; w++) {
    listed l;
    if (w == BIND_FILE)
      continue; /* a file: listed as the file it is, never entered anyway */
    memset(&l, 0, sizeof l);
    make_scene(w);
    SBX_CHECK(mklink_walk("/W", MKLINK_WALK_RECURSIVE, collect, &l) == 0);
    SBX_CHECK(l.mounts == 1);
    SBX_CHECK(l.mount_kind == MKLINK_MOUNT_POINT);
    SBX_CHECK(l.inside == 0);
    SBX_CHECK(l.victim_link == 1);
    /* --broken reports dangling links only: no mount point. */
    memset(&l, 0, sizeof l);
    SBX_CHECK(mklink_walk("/W", MKLINK_WALK_RECURSIVE | MKLINK_WALK_BROKEN, collect, &l) == 0);
    SBX_CHECK(l.mounts == 0 && l.inside == 0);
    unmount_scene();
    SBX_CHECK(sandbox_clear("/W", 1) == 0);
  }
  return 0;
}

static void test_list_says_mount_and_stays_out(void **state) {
  SANDBOX_REQUIRE();
  SANDBOX_RUN_TMPFS(state, 16u << 20, sc_list, NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      SANDBOX_TEST(test_mount_points_are_left_and_named),
      SANDBOX_TEST(test_fallback_finds_the_same_mounts),
      SANDBOX_TEST(test_fallback_without_proc_still_sees_other_devices),
      SANDBOX_TEST(test_list_says_mount_and_stays_out),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

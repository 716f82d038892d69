/*
 * test_remove_tree.c -- mklink_remove_tree on POSIX: what it removes, what it
 * never touches, its errors, and the races it must survive (made
 * deterministic by hooks in the OS-call table).
 *
 * Every scenario runs inside sandbox_run(): a forked child chrooted into the
 * test's own directory, so "/" below is that directory and a bug can destroy
 * nothing else.  Each has a victim tree "/victim" that must survive.
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/stat.h> /* struct statx */
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- scene builders (inside the sandbox; SBX_CHECK on failure) ------------ */

static void put_file(const char *path, const char *content) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  SBX_CHECK(fd >= 0);
  SBX_CHECK(write(fd, content, strlen(content)) == (ssize_t)strlen(content));
  SBX_CHECK(close(fd) == 0);
}

static void put_dir(const char *path) { SBX_CHECK(mkdir(path, 0755) == 0); }

static void put_link(const char *text, const char *path) { SBX_CHECK(symlink(text, path) == 0); }

static int exists(const char *path) {
  struct stat st;
  return lstat(path, &st) == 0;
}

static int file_is(const char *path, const char *content) {
  char buf[256];
  ssize_t n;
  int fd = open(path, O_RDONLY | O_NOFOLLOW);
  if (fd < 0)
    return 0;
  n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n < 0)
    return 0;
  buf[n] = '\0';
  return strcmp(buf, content) == 0;
}

static unsigned long nlink_of(const char *path) {
  struct stat st;
  SBX_CHECK(lstat(path, &st) == 0);
  return (unsigned long)st.st_nlink;
}

/* Descriptors open in this process (no /proc inside the chroot). */
static int open_fds(void) {
  int fd, n = 0;
  for (fd = 0; fd < 4096; fd++)
    if (fcntl(fd, F_GETFD) != -1)
      n++;
  return n;
}

/* The victim: what a walk that follows a link would destroy. */
static void make_victim(void) {
  put_dir("/victim");
  put_file("/victim/a", "victim a");
  put_dir("/victim/sub");
  put_file("/victim/sub/b", "victim b");
}

static void check_victim(void) {
  SBX_CHECK(file_is("/victim/a", "victim a"));
  SBX_CHECK(file_is("/victim/sub/b", "victim b"));
}

/* A tree with one of everything, its links pointing at the victim. */
static void make_tree(const char *top) {
  char p[PATH_MAX];
  put_dir(top);
#define AT(name) (snprintf(p, sizeof p, "%s/%s", top, name), p)
  put_file(AT("file"), "data");
  put_dir(AT("empty"));
  put_dir(AT("d"));
  put_file(AT("d/f1"), "1");
  put_dir(AT("d/e"));
  put_file(AT("d/e/f2"), "2");
  put_link("/victim", AT("d/abs-dir-link"));
  put_link("../../victim/a", AT("d/e/rel-file-link"));
  put_link("/./victim", AT("d/junction"));
  put_link("/./victim/sub", AT("junction-top"));
  put_link("/nowhere", AT("dangling"));
  put_link("loop", AT("loop"));
  SBX_CHECK(link("/victim/a", AT("hardlink")) == 0);
  SBX_CHECK(mkfifo(AT("fifo"), 0644) == 0);
#undef AT
}

/* ---- fixture -------------------------------------------------------------- */

/* On a private tmpfs when the system allows it (fast, and gone with the
   child), else on the test directory itself. */
static int run_scene(const char *dir, int (*fn)(void *)) {
  static int tmpfs = -1;
  if (tmpfs != 0) {
    int rc = sandbox_run_tmpfs(dir, 64u << 20, fn, NULL);
    if (rc != -1 || tmpfs == 1) {
      tmpfs = 1;
      return rc;
    }
    tmpfs = 0;
  }
  return sandbox_run(dir, fn, NULL);
}

#define RUN(fn) assert_int_equal(run_scene(*state, fn), 0)

/* ---- what is removed ------------------------------------------------------ */

static int sc_removes_whole_tree(void *arg) {
  int fds;
  (void)arg;
  make_victim();
  make_tree("/t");
  fds = open_fds();
  SBX_CHECK(mklink_remove_tree("/t") == 0);
  SBX_CHECK(!exists("/t"));
  SBX_CHECK(open_fds() == fds);
  check_victim();
  SBX_CHECK(nlink_of("/victim/a") == 1);
  /* Relative, and with trailing slashes. */
  make_tree("/t");
  SBX_CHECK(mklink_remove_tree("t") == 0);
  SBX_CHECK(!exists("/t"));
  make_tree("/t");
  SBX_CHECK(mklink_remove_tree("/t//") == 0);
  SBX_CHECK(!exists("/t"));
  check_victim();
  return 0;
}

static void test_removes_whole_tree(void **state) {
  SANDBOX_REQUIRE();
  RUN(sc_removes_whole_tree);
}

static int sc_top_link_only(void *arg) {
  (void)arg;
  make_victim();
  put_link("/victim", "/dirlink");
  put_link("/./victim", "/junction");
  put_link("victim/a", "/filelink");
  SBX_CHECK(mklink_remove_tree("/dirlink") == 0);
  SBX_CHECK(!exists("/dirlink"));
  /* A trailing slash does not make the link count as its target. */
  SBX_CHECK(mklink_remove_tree("/junction/") == 0);
  SBX_CHECK(!exists("/junction"));
  SBX_CHECK(mklink_remove_tree("/filelink") == 0);
  SBX_CHECK(!exists("/filelink"));
  check_victim();
  return 0;
}

static void test_top_link_removes_only_the_link(void **state) {
  SANDBOX_REQUIRE();
  RUN(sc_top_link_only);
}

static int sc_top_file(void *arg) {
  (void)arg;
  make_victim();
  put_file("/single", "only name");
  SBX_CHECK(link("/victim/a", "/second") == 0);
  /* A file with one name is not a tree: its data is never deleted here. */
  SBX_CHECK(mklink_remove_tree("/single") == MKLINK_ELASTNAME);
  SBX_CHECK(file_is("/single", "only name"));
  /* A second name is a link: removed, the data stays. */
  SBX_CHECK(mklink_remove_tree("/second") == 0);
  SBX_CHECK(!exists("/second"));
  SBX_CHECK(nlink_of("/victim/a") == 1);
  check_victim();
  return 0;
}

static void test_top_file_is_refused_hard_link_removed(void **state) {
  SANDBOX_REQUIRE();
  RUN(sc_top_file);
}

/* ---- errors: each one changes nothing ------------------------------------- */

static int sc_errors(void *arg) {
  char longname[NAME_MAX + 2];
  (void)arg;
  make_victim();
  make_tree("/t");
  put_file("/plain", "x");
  memset(longname, 'n', sizeof longname - 1);
  longname[sizeof longname - 1] = '\0';
  SBX_CHECK(mklink_remove_tree(NULL) == MKLINK_EINVAL);
  SBX_CHECK(mklink_remove_tree("") == MKLINK_EINVAL);
  SBX_CHECK(mklink_remove_tree("/") == MKLINK_EINVAL);
  SBX_CHECK(mklink_remove_tree("///") == MKLINK_EINVAL);
  SBX_CHECK(mklink_remove_tree(".") == MKLINK_EINVAL);
  SBX_CHECK(mklink_remove_tree("..") == MKLINK_EINVAL);
  SBX_CHECK(mklink_remove_tree("/t/d/..") == MKLINK_EINVAL);
  SBX_CHECK(mklink_remove_tree("/t/d/.") == MKLINK_EINVAL);
  SBX_CHECK(mklink_remove_tree("/missing") == MKLINK_ENOFILE);
  SBX_CHECK(mklink_remove_tree("/missing/t") == MKLINK_ENOPATH);
  SBX_CHECK(mklink_remove_tree("/plain/t") == MKLINK_ENOPATH);
  SBX_CHECK(mklink_remove_tree(longname) == MKLINK_ENAMETOOLONG);
  SBX_CHECK(file_is("/t/file", "data") && file_is("/t/d/e/f2", "2"));
  SBX_CHECK(exists("/t/d/junction") && exists("/t/fifo") && file_is("/plain", "x"));
  check_victim();
  SBX_CHECK(mklink_remove_tree("/t") == 0);
  return 0;
}

static void test_bad_paths_change_nothing(void **state) {
  SANDBOX_REQUIRE();
  RUN(sc_errors);
}

/* ---- deep and wide trees -------------------------------------------------- */

#define DEEP 1000

/* A chain /t/d/d/... DEEP levels, with a file and a link to the victim at
   each level: far deeper than the descriptors the walk keeps open. */
static void make_deep(void) {
  int i, fd = open("/", O_RDONLY | O_DIRECTORY);
  SBX_CHECK(mkdir("/t", 0755) == 0);
  SBX_CHECK((fd = openat(fd, "t", O_RDONLY | O_DIRECTORY)) >= 0);
  for (i = 0; i < DEEP; i++) {
    int next;
    SBX_CHECK(mkdirat(fd, "d", 0755) == 0);
    SBX_CHECK(symlinkat("/victim", fd, "link") == 0);
    SBX_CHECK((next = openat(fd, "f", O_WRONLY | O_CREAT, 0644)) >= 0);
    close(next);
    SBX_CHECK((next = openat(fd, "d", O_RDONLY | O_DIRECTORY)) >= 0);
    close(fd);
    fd = next;
  }
  close(fd);
}

static int sc_deep(void *arg) {
  int fds;
  (void)arg;
  make_victim();
  make_deep();
  fds = open_fds();
  SBX_CHECK(mklink_remove_tree("/t") == 0);
  SBX_CHECK(!exists("/t"));
  SBX_CHECK(open_fds() == fds);
  check_victim();
  return 0;
}

static void test_deep_tree(void **state) {
  SANDBOX_REQUIRE();
  RUN(sc_deep);
}

static int sc_wide(void *arg) {
  char p[64];
  int i;
  (void)arg;
  make_victim();
  put_dir("/t");
  for (i = 0; i < 3000; i++) {
    snprintf(p, sizeof p, "/t/%d", i);
    if (i % 10 == 0) {
      put_dir(p);
      snprintf(p, sizeof p, "/t/%d/x", i);
      put_link("/victim", p);
    } else {
      put_file(p, "w");
    }
  }
  SBX_CHECK(mklink_remove_tree("/t") == 0);
  SBX_CHECK(!exists("/t"));
  check_victim();
  return 0;
}

static void test_wide_tree(void **state) {
  SANDBOX_REQUIRE();
  RUN(sc_wide);
}

/* ---- failures: the first error is returned, descriptors are not leaked ---- */

typedef int (*unlinkat_fn)(int, const char *, int);
typedef int (*openat_fn)(int, const char *, int, ...);
typedef int (*fstatat_fn)(int, const char *, struct stat *, int);

static const char *fail_name;
static int fail_errno;

static int unlinkat_failing(int fd, const char *name, int flags) {
  if (strcmp(name, fail_name) == 0) {
    errno = fail_errno;
    return -1;
  }
  return ((unlinkat_fn)mklink_default_syscall("unlinkat"))(fd, name, flags);
}

static int sc_error_mid_walk(void *arg) {
  static const struct {
    const char *name;
    int err, want;
  } cases[] = {
      {"f2", EROFS, MKLINK_EROFS},  {"f2", EACCES, MKLINK_EACCES},
      {"e", EBUSY, MKLINK_EBUSY},   {"fifo", EIO, MKLINK_EIO},
      {"t", EPERM, MKLINK_EACCES},
  };
  size_t i;
  int fds;
  (void)arg;
  make_victim();
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    make_tree("/t");
    fail_name = cases[i].name;
    fail_errno = cases[i].err;
    SBX_CHECK(mklink_set_syscall("unlinkat", (mklink_syscall_ptr)unlinkat_failing) == 0);
    fds = open_fds();
    SBX_CHECK(mklink_remove_tree("/t") == cases[i].want);
    SBX_CHECK(open_fds() == fds);
    SBX_CHECK(mklink_set_syscall("unlinkat", NULL) == 0);
    SBX_CHECK(exists("/t"));
    SBX_CHECK(mklink_remove_tree("/t") == 0);
    SBX_CHECK(!exists("/t"));
  }
  check_victim();
  return 0;
}

static void test_first_error_is_returned_without_leaks(void **state) {
  SANDBOX_REQUIRE();
  RUN(sc_error_mid_walk);
}

/* The Nth call of one entry fails with EIO: whichever it is, the walk
   returns MKLINK_EIO with every descriptor closed, and a second walk finishes
   the job. */
static unsigned fail_at, calls;

static int fail_now(void) {
  if (++calls == fail_at) {
    errno = EIO;
    return 1;
  }
  return 0;
}

static int openat_nth(int fd, const char *name, int flags, ...) {
  return fail_now() ? -1 : ((openat_fn)mklink_default_syscall("openat"))(fd, name, flags, 0);
}
static int fstat_nth(int fd, struct stat *st) {
  return fail_now() ? -1 : ((int (*)(int, struct stat *))mklink_default_syscall("fstat"))(fd, st);
}
static int fstatat_nth(int fd, const char *name, struct stat *st, int flags) {
  return fail_now() ? -1 : ((fstatat_fn)mklink_default_syscall("fstatat"))(fd, name, st, flags);
}
static int statx_nth(int fd, const char *name, int flags, unsigned mask, struct statx *out) {
  return fail_now() ? -1
                    : ((int (*)(int, const char *, int, unsigned, struct statx *))
                           mklink_default_syscall("statx"))(fd, name, flags, mask, out);
}
static ssize_t getdents64_nth(int fd, void *buf, size_t size) {
  return fail_now() ? -1
                    : ((ssize_t(*)(int, void *, size_t))mklink_default_syscall("getdents64"))(
                          fd, buf, size);
}
static int unlinkat_nth(int fd, const char *name, int flags) {
  return fail_now() ? -1 : ((unlinkat_fn)mklink_default_syscall("unlinkat"))(fd, name, flags);
}

static int sc_failing_calls(void *arg) {
  static const struct {
    const char *entry;
    mklink_syscall_ptr fn;
  } hooks[] = {
      {"openat", (mklink_syscall_ptr)openat_nth},       {"fstat", (mklink_syscall_ptr)fstat_nth},
      {"fstatat", (mklink_syscall_ptr)fstatat_nth},     {"statx", (mklink_syscall_ptr)statx_nth},
      {"getdents64", (mklink_syscall_ptr)getdents64_nth},
      {"unlinkat", (mklink_syscall_ptr)unlinkat_nth},
  };
  size_t i;
  int fds, rc, failures = 0;
  (void)arg;
  make_victim();
  for (i = 0; i < sizeof hooks / sizeof hooks[0]; i++) {
    for (fail_at = 1;; fail_at++) {
      make_tree("/t");
      put_dir("/t/d/e/deeper");
      calls = 0;
      SBX_CHECK(mklink_set_syscall(hooks[i].entry, hooks[i].fn) == 0);
      fds = open_fds();
      rc = mklink_remove_tree("/t");
      SBX_CHECK(mklink_set_syscall(hooks[i].entry, NULL) == 0);
      SBX_CHECK(open_fds() == fds);
      if (calls < fail_at) {
        SBX_CHECK(rc == 0); /* every call made, none failed */
        SBX_CHECK(fail_at > 1); /* the walk does make this call */
        break;
      }
      if (rc != MKLINK_EIO)
        fprintf(stderr, "%s call %u failed: got %s\n", hooks[i].entry, fail_at, mklink_err_name(rc));
      SBX_CHECK(rc == MKLINK_EIO);
      failures++;
      SBX_CHECK(mklink_remove_tree("/t") == 0);
      SBX_CHECK(!exists("/t"));
      check_victim();
    }
  }
  /* Every call of the six entries failed once (39 with this scene). */
  SBX_CHECK(failures > 30);
  return 0;
}

static void test_each_failing_call_gives_eio_without_leaks(void **state) {
  SANDBOX_REQUIRE();
  RUN(sc_failing_calls);
}

/* ---- deterministic races -------------------------------------------------- */

/* Between the look (fstatat says "directory") and the open, "sub" becomes a
   link to the victim: the open must refuse it and the link be removed as a
   link. */
static int swapped;

static int openat_swapping(int fd, const char *name, int flags, ...) {
  if (!swapped && strcmp(name, "sub") == 0) {
    swapped = 1;
    SBX_CHECK(rename("/t/sub", "/outside") == 0);
    SBX_CHECK(symlink("/./victim", "/t/sub") == 0);
  }
  return ((openat_fn)mklink_default_syscall("openat"))(fd, name, flags, 0);
}

static int sc_swap_before_open(void *arg) {
  (void)arg;
  make_victim();
  put_dir("/t");
  put_dir("/t/sub");
  put_file("/t/sub/keep", "moved away");
  swapped = 0;
  SBX_CHECK(mklink_set_syscall("openat", (mklink_syscall_ptr)openat_swapping) == 0);
  SBX_CHECK(mklink_remove_tree("/t") == 0);
  SBX_CHECK(mklink_set_syscall("openat", NULL) == 0);
  SBX_CHECK(swapped);
  SBX_CHECK(!exists("/t"));
  /* What was moved out of the tree before it was entered is not ours. */
  SBX_CHECK(file_is("/outside/keep", "moved away"));
  check_victim();
  return 0;
}

static void test_dir_swapped_for_junction_before_open(void **state) {
  SANDBOX_REQUIRE();
  RUN(sc_swap_before_open);
}

/* Deep in the walk, a shallow directory (whose descriptor the walk has given
   back) is moved out of the tree and a link to the victim put in its place.
   Going back up, the walk climbs only into directories that are the ones it
   came from (device and inode checked), finds the link where the directory
   was, and removes the link: it never climbs out of the moved directory and
   never enters the victim. */
#define CHAIN 100
static int moved;
static char move_from[PATH_MAX], move_to[PATH_MAX], replace_at[PATH_MAX];

static int unlinkat_moving(int fd, const char *name, int flags) {
  if (!moved && strcmp(name, "deepest") == 0) {
    moved = 1;
    SBX_CHECK(rename(move_from, move_to) == 0);
    if (replace_at[0] != '\0') {
      /* A shallower level still in place goes too (to /outside). */
      if (strcmp(replace_at, move_from) != 0)
        SBX_CHECK(rename(replace_at, "/outside") == 0);
      SBX_CHECK(symlink("/victim", replace_at) == 0);
    }
  }
  return ((unlinkat_fn)mklink_default_syscall("unlinkat"))(fd, name, flags);
}

/* /t/d/d/... CHAIN levels, a file "deepest" at the bottom. */
static void make_chain(void) {
  char p[PATH_MAX];
  size_t len;
  int i;
  put_dir("/t");
  len = (size_t)snprintf(p, sizeof p, "/t");
  for (i = 0; i < CHAIN; i++) {
    len += (size_t)snprintf(p + len, sizeof p - len, "/d");
    put_dir(p);
  }
  snprintf(p + len, sizeof p - len, "/deepest");
  put_file(p, "x");
  put_file("/t/after", "x");
}

/* The path of level LEVEL (1: /t/d) into OUT. */
static void level_path(int level, char *out, size_t outsz) {
  size_t len = (size_t)snprintf(out, outsz, "/t");
  while (level-- > 0)
    len += (size_t)snprintf(out + len, outsz - len, "/d");
}

/* Remove /t while, at its deepest file, MOVE (level) goes to TO and, if
   REPLACE (level) is not 0, a link to the victim takes that level's name
   (a shallower level is moved to /outside first). */
static int remove_while_moving(int move, const char *to, int replace) {
  int rc;
  level_path(move, move_from, sizeof move_from);
  snprintf(move_to, sizeof move_to, "%s", to);
  replace_at[0] = '\0';
  if (replace > 0)
    level_path(replace, replace_at, sizeof replace_at);
  moved = 0;
  SBX_CHECK(mklink_set_syscall("unlinkat", (mklink_syscall_ptr)unlinkat_moving) == 0);
  rc = mklink_remove_tree("/t");
  SBX_CHECK(mklink_set_syscall("unlinkat", NULL) == 0);
  SBX_CHECK(moved);
  return rc;
}

static int sc_moved_during_walk(void *arg) {
  int level;
  (void)arg;
  make_victim();
  put_file("/beside", "next to the moved directory");
  /* The shallowest directory below the top goes; a link to the victim
     takes its name. */
  make_chain();
  SBX_CHECK(remove_while_moving(1, "/outside", 1) == 0);
  SBX_CHECK(!exists("/t"));
  /* What the walk had entered of the moved directory may be emptied, the
     moved directory itself stays, and nothing around it is touched. */
  SBX_CHECK(exists("/outside"));
  SBX_CHECK(file_is("/beside", "next to the moved directory"));
  check_victim();
  SBX_CHECK(sandbox_clear("/outside", 1) == 0);
  /* Every level in turn is moved into the victim itself, so that ".." of
     what the walk holds is the victim: a walk that climbed through ".."
     unchecked would empty the victim. */
  for (level = 1; level < CHAIN; level++) {
    make_chain();
    SBX_CHECK(remove_while_moving(level, "/victim/moved", 0) == 0);
    SBX_CHECK(!exists("/t"));
    check_victim();
    SBX_CHECK(exists("/victim/moved"));
    SBX_CHECK(sandbox_clear("/victim/moved", 1) == 0);
  }
  /* The same, and a shallower level replaced by a link on the way back
     down from the top: the levels the walk cannot come back to are left
     (moved out, never emptied), the link is removed as a link. */
  for (level = 10; level < CHAIN; level += 10) {
    make_chain();
    SBX_CHECK(remove_while_moving(level, "/victim/moved", level / 2) == 0);
    SBX_CHECK(!exists("/t"));
    check_victim();
    SBX_CHECK(exists("/outside"));
    SBX_CHECK(sandbox_clear("/victim/moved", 1) == 0);
    SBX_CHECK(sandbox_clear("/outside", 1) == 0);
  }
  SBX_CHECK(file_is("/beside", "next to the moved directory"));
  return 0;
}

static void test_dir_moved_during_deep_walk(void **state) {
  SANDBOX_REQUIRE();
  RUN(sc_moved_during_walk);
}

/* A directory refilled between its listing and its removal is listed again. */
static int refills;

static int unlinkat_refilling(int fd, const char *name, int flags) {
  if (refills > 0 && (flags & AT_REMOVEDIR) && strcmp(name, "d") == 0) {
    refills--;
    put_file("/t/d/late", "late");
  }
  return ((unlinkat_fn)mklink_default_syscall("unlinkat"))(fd, name, flags);
}

/* A directory that is never empty when removed (as if refilled each time). */
static int unlinkat_never_empty(int fd, const char *name, int flags) {
  if ((flags & AT_REMOVEDIR) && strcmp(name, "d") == 0) {
    errno = ENOTEMPTY;
    return -1;
  }
  return ((unlinkat_fn)mklink_default_syscall("unlinkat"))(fd, name, flags);
}

static int sc_refilled(void *arg) {
  (void)arg;
  make_victim();
  make_tree("/t");
  refills = 3;
  SBX_CHECK(mklink_set_syscall("unlinkat", (mklink_syscall_ptr)unlinkat_refilling) == 0);
  SBX_CHECK(mklink_remove_tree("/t") == 0);
  SBX_CHECK(refills == 0);
  SBX_CHECK(!exists("/t"));
  /* Refilled for ever: the walk gives up instead of looping. */
  make_tree("/t");
  SBX_CHECK(mklink_set_syscall("unlinkat", (mklink_syscall_ptr)unlinkat_never_empty) == 0);
  SBX_CHECK(mklink_remove_tree("/t") == MKLINK_EBUSY);
  SBX_CHECK(mklink_set_syscall("unlinkat", NULL) == 0);
  SBX_CHECK(mklink_remove_tree("/t") == 0);
  check_victim();
  return 0;
}

static void test_refilled_directory_listed_again_then_bounded(void **state) {
  SANDBOX_REQUIRE();
  RUN(sc_refilled);
}

/* ---- mount points are never entered --------------------------------------- */

static int sc_mount_point(void *arg) {
  (void)arg;
  make_victim();
  make_tree("/t");
  put_dir("/t/mnt");
  if (mount("mklink-test", "/t/mnt", "tmpfs", 0, "size=64k") != 0) {
    fprintf(stderr, "cannot mount a tmpfs in the sandbox: %s\n", strerror(errno));
    return 1;
  }
  put_file("/t/mnt/keep", "other volume");
  SBX_CHECK(mklink_remove_tree("/t") == MKLINK_EMOUNT);
  SBX_CHECK(file_is("/t/mnt/keep", "other volume"));
  /* The rest of the tree is gone: only the mount point and /t stay. */
  SBX_CHECK(!exists("/t/file") && !exists("/t/d") && !exists("/t/junction-top"));
  SBX_CHECK(umount("/t/mnt") == 0);
  SBX_CHECK(mklink_remove_tree("/t") == 0);
  check_victim();
  return 0;
}

static void test_mount_point_is_not_entered(void **state) {
  int rc;
  SANDBOX_REQUIRE();
  rc = run_scene(*state, sc_mount_point);
  if (rc == 1) {
    print_message("skipped: no private mount namespace here\n");
    skip();
  }
  assert_int_equal(rc, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      SANDBOX_TEST(test_removes_whole_tree),
      SANDBOX_TEST(test_top_link_removes_only_the_link),
      SANDBOX_TEST(test_top_file_is_refused_hard_link_removed),
      SANDBOX_TEST(test_bad_paths_change_nothing),
      SANDBOX_TEST(test_deep_tree),
      SANDBOX_TEST(test_wide_tree),
      SANDBOX_TEST(test_first_error_is_returned_without_leaks),
      SANDBOX_TEST(test_each_failing_call_gives_eio_without_leaks),
      SANDBOX_TEST(test_dir_swapped_for_junction_before_open),
      SANDBOX_TEST(test_dir_moved_during_deep_walk),
      SANDBOX_TEST(test_refilled_directory_listed_again_then_bounded),
      SANDBOX_TEST(test_mount_point_is_not_entered),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

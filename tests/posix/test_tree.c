/*
 * test_tree.c -- the POSIX walk engine at depth and at its limits, through
 * mklink_walk and mklink_remove_tree: a 10,000-level tree is listed and
 * deleted with a 1 MiB stack and 64 (then 20) descriptors; the work is linear
 * in the depth and the descriptors stay bounded (counted at the OS-call
 * table); paths far longer than PATH_MAX; a tree whose directory may be
 * written but not read (mode 300), as `rm -r` allows.
 *
 * Everything runs in sandbox_run_tmpfs(): a forked child, chrooted on a
 * private tmpfs in a private mount namespace, so the deep trees vanish with
 * it and a bug can delete nothing else.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mklink.h"
#include "posix_sandbox.h"
#include "tree.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* Under valgrind every call costs fifty times as much: the depths shrink
   there (its run is about memory, not limits); the native run is the one
   that holds the walk to 10,000 levels. */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifdef RUNNING_ON_VALGRIND
#define SCALE(n) (RUNNING_ON_VALGRIND ? (n) / 5 : (n))
#else
#define SCALE(n) (n)
#endif
#define DEEP SCALE(10000)

static int exists(const char *path) {
  struct stat st;
  return lstat(path, &st) == 0;
}

/* PATH/d/d/... LEVELS deep, with a file "f" and a link "l" (to "f") at each
   level. */
static void make_chain(const char *path, int levels) {
  int i, fd, next;
  SBX_CHECK(mkdir(path, 0755) == 0);
  SBX_CHECK((fd = open(path, O_RDONLY | O_DIRECTORY)) >= 0);
  for (i = 0; i < levels; i++) {
    SBX_CHECK(mkdirat(fd, "d", 0755) == 0);
    SBX_CHECK(symlinkat("f", fd, "l") == 0);
    SBX_CHECK((next = openat(fd, "f", O_WRONLY | O_CREAT, 0644)) >= 0);
    close(next);
    SBX_CHECK((next = openat(fd, "d", O_RDONLY | O_DIRECTORY)) >= 0);
    close(fd);
    fd = next;
  }
  close(fd);
}

typedef struct counted {
  long links, errors;
  size_t longest;
} counted;

static int count(const mklink_walk_entry *e, void *arg) {
  counted *c = arg;
  size_t len = strlen(e->path);
  if (e->error != 0) {
    if (c->errors++ == 0)
      fprintf(stderr, "walk: %.60s...: %s\n", e->path, mklink_err_name(e->error));
    return 0;
  }
  c->links++;
  if (len > c->longest)
    c->longest = len;
  /* The link's resolved path is longer still, and whole. */
  if (strlen(e->info->resolved) < len || strcmp(e->info->target, "f") != 0)
    c->errors++;
  return 0;
}

/* In a grandchild with a STACK-byte stack and FILES descriptors: list
   PATH (it must report LINKS links and no error), then, if DELETE, remove
   it.  0 if all went as it should. */
static int under_limits(const char *path, long links, long stack, long files, int delete) {
  int status;
  pid_t pid = fork();
  SBX_CHECK(pid >= 0);
  if (pid == 0) {
    struct rlimit lim;
    counted c;
    memset(&c, 0, sizeof c);
    /* The soft limits, as `ulimit -S` (valgrind refuses to lower a hard
       one). */
    if (getrlimit(RLIMIT_STACK, &lim) != 0)
      _exit(10);
    lim.rlim_cur = (rlim_t)stack;
    if (setrlimit(RLIMIT_STACK, &lim) != 0)
      _exit(10);
    if (getrlimit(RLIMIT_NOFILE, &lim) != 0)
      _exit(11);
    lim.rlim_cur = (rlim_t)files;
    if (setrlimit(RLIMIT_NOFILE, &lim) != 0)
      _exit(11);
    if (mklink_walk(path, MKLINK_WALK_RECURSIVE, count, &c) != 0)
      _exit(12);
    if (c.links != links || c.errors != 0 || c.longest < 2u * (size_t)links) {
      fprintf(stderr, "walk: %ld links, %ld errors, longest path %zu\n", c.links, c.errors,
              c.longest);
      _exit(13);
    }
    if (delete && mklink_remove_tree(path) != 0)
      _exit(14);
    _exit(0);
  }
  SBX_CHECK(waitpid(pid, &status, 0) == pid);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    fprintf(stderr, "under limits (stack %ld, %ld files): %s %d\n", stack, files,
            WIFEXITED(status) ? "exit" : "signal",
            WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
  return WIFEXITED(status) ? WEXITSTATUS(status) : 100 + WTERMSIG(status);
}

static int sc_deep_limits(void *arg) {
  (void)arg;
  make_chain("/c", DEEP);
  /* ulimit -s 1024 -n 64: listed, then deleted. */
  SBX_CHECK(under_limits("/c", DEEP, 1L << 20, 64, 1) == 0);
  SBX_CHECK(!exists("/c"));
  /* ulimit -n 20: a walk needs only a few. */
  make_chain("/c", DEEP);
  SBX_CHECK(under_limits("/c", DEEP, 1L << 20, 20, 1) == 0);
  SBX_CHECK(!exists("/c"));
  /* Even fewer: the walk gives levels back when the process runs short. */
  make_chain("/c", 300);
  SBX_CHECK(under_limits("/c", 300, 1L << 20, 7, 1) == 0);
  SBX_CHECK(!exists("/c"));
  return 0;
}

static void test_deep_tree_under_small_limits(void **state) {
  SANDBOX_REQUIRE();
  SANDBOX_RUN_TMPFS(state, 256u << 20, sc_deep_limits, NULL);
}

/* ---- linear, bounded: counted at the OS-call table ---------------------------- */

typedef int (*openat_fn)(int, const char *, int, ...);
typedef int (*close_fn)(int);

static long calls, open_now, open_max;

static int openat_counting(int fd, const char *name, int flags, ...) {
  int rc = ((openat_fn)mklink_default_syscall("openat"))(fd, name, flags, 0);
  calls++;
  if (rc >= 0 && ++open_now > open_max)
    open_max = open_now;
  return rc;
}

static int close_counting(int fd) {
  calls++;
  open_now--;
  return ((close_fn)mklink_default_syscall("close"))(fd);
}

static int fstatat_counting(int fd, const char *name, struct stat *st, int flags) {
  calls++;
  return ((int (*)(int, const char *, struct stat *, int))mklink_default_syscall("fstatat"))(
      fd, name, st, flags);
}

static int unlinkat_counting(int fd, const char *name, int flags) {
  calls++;
  return ((int (*)(int, const char *, int))mklink_default_syscall("unlinkat"))(fd, name, flags);
}

static void count_calls(int on) {
  mklink_syscall_ptr o = on ? (mklink_syscall_ptr)openat_counting : NULL;
  mklink_syscall_ptr c = on ? (mklink_syscall_ptr)close_counting : NULL;
  mklink_syscall_ptr s = on ? (mklink_syscall_ptr)fstatat_counting : NULL;
  mklink_syscall_ptr u = on ? (mklink_syscall_ptr)unlinkat_counting : NULL;
  calls = open_now = open_max = 0;
  SBX_CHECK(mklink_set_syscall("openat", o) == 0);
  SBX_CHECK(mklink_set_syscall("close", c) == 0);
  SBX_CHECK(mklink_set_syscall("fstatat", s) == 0);
  SBX_CHECK(mklink_set_syscall("unlinkat", u) == 0);
}

typedef struct cost {
  long list_calls, list_open, delete_calls, delete_open;
} cost;

static cost measure(int levels) {
  counted c;
  cost k;
  memset(&c, 0, sizeof c);
  make_chain("/c", levels);
  count_calls(1);
  SBX_CHECK(mklink_walk("/c", MKLINK_WALK_RECURSIVE, count, &c) == 0);
  k.list_calls = calls;
  k.list_open = open_max;
  count_calls(1);
  SBX_CHECK(mklink_remove_tree("/c") == 0);
  k.delete_calls = calls;
  k.delete_open = open_max;
  count_calls(0);
  SBX_CHECK(c.links == levels && !exists("/c"));
  return k;
}

static int sc_linear(void *arg) {
  cost a, b;
  (void)arg;
  a = measure(SCALE(2000));
  b = measure(SCALE(8000));
  fprintf(stderr,
          "%d levels: list %ld calls (%ld open at most), delete %ld (%ld); "
          "%d levels: list %ld (%ld), delete %ld (%ld)\n",
          SCALE(2000), a.list_calls, a.list_open, a.delete_calls, a.delete_open, SCALE(8000),
          b.list_calls, b.list_open, b.delete_calls, b.delete_open);
  /* Four times the depth, four times the calls (a walk that reopened from
     the top would make sixteen times as many). */
  SBX_CHECK(b.list_calls <= 4 * a.list_calls + 100);
  SBX_CHECK(b.delete_calls <= 4 * a.delete_calls + 100);
  /* A few descriptors, whatever the depth. */
  SBX_CHECK(a.list_open <= 12 && b.list_open <= 12);
  SBX_CHECK(a.delete_open <= 12 && b.delete_open <= 12);
  return 0;
}

static void test_linear_in_depth_with_bounded_descriptors(void **state) {
  SANDBOX_REQUIRE();
  SANDBOX_RUN_TMPFS(state, 128u << 20, sc_linear, NULL);
}

/* ---- a directory that may be written but not read ------------------------------ */

/* Drop every capability of this process (effective, permitted, inheritable),
   so the permission bits apply to it as to any user, as root on the host and
   as root of a user namespace alike (where a setuid() to another user is not
   possible: only one uid is mapped). */
static int drop_capabilities(void) {
  struct {
    unsigned version;
    int pid;
  } head = {0x20080522u /* _LINUX_CAPABILITY_VERSION_3 */, 0};
  unsigned data[6] = {0, 0, 0, 0, 0, 0};
  return (int)syscall(SYS_capset, &head, data);
}

static int sc_mode_300(void *arg) {
  int status;
  pid_t pid;
  (void)arg;
  SBX_CHECK(mkdir("/p", 0755) == 0);
  make_chain("/p/t", 20);
  SBX_CHECK(chmod("/p", 0300) == 0);
  pid = fork();
  SBX_CHECK(pid >= 0);
  if (pid == 0) {
    int rc;
    /* The owner of /p without a capability: it may write and search /p
       (mode 300), not read it, as rm -r's user would. */
    if (drop_capabilities() != 0)
      _exit(21);
    if (open("/p", O_RDONLY | O_DIRECTORY) >= 0)
      _exit(22); /* the check means nothing if /p can be read */
    rc = mklink_remove_tree("/p/t");
    if (rc != 0) {
      fprintf(stderr, "mode 300: %s\n", mklink_err_name(rc));
      _exit(23);
    }
    _exit(0);
  }
  SBX_CHECK(waitpid(pid, &status, 0) == pid);
  SBX_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  SBX_CHECK(!exists("/p/t"));
  SBX_CHECK(rmdir("/p") == 0);
  return 0;
}

static void test_parent_writable_not_readable(void **state) {
  SANDBOX_REQUIRE();
  SANDBOX_RUN_TMPFS(state, 16u << 20, sc_mode_300, NULL);
}

/* ---- the engine's own interface (tree.h), as move and the portability
   check will drive it ------------------------------------------------------------ */

static int sc_engine(void *arg) {
  const mklink__tree_entry *e;
  mklink__tree *t;
  char buf[16];
  const char *text;
  size_t len;
  intptr_t h;
  int rc, entries = 0, leaves = 0, saw_file = 0, saw_link = 0, saw_junction = 0, saw_fifo = 0;
  (void)arg;
  SBX_CHECK(mkdir("/e", 0755) == 0);
  SBX_CHECK(mkdir("/e/sub", 0755) == 0);
  SBX_CHECK((rc = open("/e/sub/file", O_WRONLY | O_CREAT, 0640)) >= 0);
  SBX_CHECK(write(rc, "content", 7) == 7);
  close(rc);
  SBX_CHECK(link("/e/sub/file", "/e/second") == 0);
  SBX_CHECK(symlink("sub/file", "/e/link") == 0);
  SBX_CHECK(symlink("/./e/sub", "/e/junction") == 0);
  SBX_CHECK(mkfifo("/e/fifo", 0644) == 0);
  SBX_CHECK(mklink__tree_open("/e", MKLINK__TREE_TOP_ENTRY, &t) == 0);
  while ((rc = mklink__tree_next(t, &e)) == 1) {
    if (e->event == MKLINK__TREE_LEAVE) {
      leaves++;
      SBX_CHECK(e->error == 0 && e->type == MKLINK__TREE_DIR);
      continue;
    }
    entries++;
    if (e->depth == 0) {
      SBX_CHECK(strcmp(e->path, "/e") == 0 && strcmp(e->name, "e") == 0);
      SBX_CHECK(e->path[e->rel] == '\0');
    } else {
      SBX_CHECK(strncmp(e->path, "/e/", 3) == 0 && e->rel == 3);
      SBX_CHECK(strcmp(e->path + e->path_len - e->name_len, e->name) == 0);
    }
    switch (e->type) {
    case MKLINK__TREE_DIR:
      SBX_CHECK(mklink__tree_enter(t) == 0);
      break;
    case MKLINK__TREE_FILE:
      /* Opened for reading, relative to its directory; ST is the file's. */
      SBX_CHECK(mklink__tree_open_file(t, &h) == 0);
      SBX_CHECK(e->have_stat && e->st.nlink == 2 && e->st.size == 7 && (e->st.mode & 0777) == 0640);
      SBX_CHECK(read((int)h, buf, sizeof buf) == 7 && memcmp(buf, "content", 7) == 0);
      close((int)h);
      saw_file++;
      break;
    case MKLINK__TREE_SYMLINK:
      /* A link is never opened through: CHANGED, and it stays a link. */
      SBX_CHECK(mklink__tree_open_file(t, &h) == MKLINK__TREE_CHANGED);
      SBX_CHECK(e->type == MKLINK__TREE_SYMLINK);
      SBX_CHECK(mklink__tree_readlink(t, &text, &len) == 0);
      if (e->type == MKLINK__TREE_JUNCTION) {
        SBX_CHECK(strcmp(text, "/./e/sub") == 0 && len == 8);
        saw_junction++;
      } else {
        SBX_CHECK(strcmp(text, "sub/file") == 0 && len == 8);
        saw_link++;
      }
      break;
    case MKLINK__TREE_OTHER:
      /* A FIFO is no file to read: refused without blocking. */
      SBX_CHECK(mklink__tree_open_file(t, &h) == MKLINK__TREE_CHANGED);
      SBX_CHECK(mklink__tree_stat(t) == 0 && S_ISFIFO(e->st.mode));
      saw_fifo++;
      break;
    default:
      SBX_CHECK(!"an entry of an unexpected type");
    }
  }
  SBX_CHECK(rc == 0);
  mklink__tree_close(t);
  /* /e, sub, file, second, link, junction, fifo; two directories left. */
  SBX_CHECK(entries == 7 && leaves == 2);
  SBX_CHECK(saw_file == 2 && saw_link == 1 && saw_junction == 1 && saw_fifo == 1);
  /* Errors about TOP come from open. */
  SBX_CHECK(mklink__tree_open("/missing", MKLINK__TREE_TOP_ENTRY, &t) == MKLINK_ENOFILE);
  SBX_CHECK(t == NULL);
  SBX_CHECK(mklink__tree_open("/missing/x", MKLINK__TREE_TOP_ENTRY, &t) == MKLINK_ENOPATH);
  SBX_CHECK(mklink__tree_open("/missing", 0, &t) == MKLINK_ENOPATH);
  SBX_CHECK(mklink__tree_open("/e/second", 0, &t) == MKLINK_EINVAL);
  SBX_CHECK(mklink__tree_open("/", MKLINK__TREE_TOP_ENTRY, &t) == MKLINK_EINVAL);
  SBX_CHECK(sandbox_clear("/e", 1) == 0);
  return 0;
}

static void test_engine_interface(void **state) {
  SANDBOX_REQUIRE();
  SANDBOX_RUN_TMPFS(state, 16u << 20, sc_engine, NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      SANDBOX_TEST(test_engine_interface),
      SANDBOX_TEST(test_deep_tree_under_small_limits),
      SANDBOX_TEST(test_linear_in_depth_with_bounded_descriptors),
      SANDBOX_TEST(test_parent_writable_not_readable),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* posix_fault.c -- see posix_fault.h.  Test code: global state is fine. */
#include "posix_fault.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <poll.h>
#include <spawn.h>
#if defined(__linux__)
#include <linux/stat.h> /* struct statx */
#include <sys/vfs.h>
#else
#include <sys/mount.h>
#include <sys/param.h>
#endif
#include <unistd.h>

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mklink.h"

#define MAX_LOG 1024

static struct {
  unsigned total;
  const char *log[MAX_LOG];
  unsigned fail_call; /* 0: none */
  int fail_call_errno;
  const char *fail_entry;
  unsigned fail_from, fail_to; /* per-entry call numbers, inclusive */
  int fail_entry_errno;
  int statfs_fake;
  unsigned long statfs_magic;
  int readlinkat_overflow;
} F;

/* Per-entry counters, parallel to the wrapper table below. */
static unsigned per_entry[32];

static int entry_index(const char *name);

/* Count the call; 1 if it must fail (errno is then set). */
static int hit(const char *name) {
  int i = entry_index(name);
  unsigned n = ++per_entry[i];
  F.total++;
  if (F.total <= MAX_LOG)
    F.log[F.total - 1] = name;
  if (F.fail_call != 0 && F.total == F.fail_call) {
    errno = F.fail_call_errno;
    return 1;
  }
  if (F.fail_entry != NULL && strcmp(F.fail_entry, name) == 0 && n >= F.fail_from &&
      n <= F.fail_to) {
    errno = F.fail_entry_errno;
    return 1;
  }
  return 0;
}

#define REAL(name, type) ((type)mklink_default_syscall(#name))

static char *w_getcwd(char *buf, size_t size) {
  if (hit("getcwd"))
    return NULL;
  return REAL(getcwd, char *(*)(char *, size_t))(buf, size);
}

static int w_fstatat(int fd, const char *path, struct stat *st, int flags) {
  if (hit("fstatat"))
    return -1;
  return REAL(fstatat, int (*)(int, const char *, struct stat *, int))(fd, path, st, flags);
}

static ssize_t w_readlinkat(int fd, const char *path, char *buf, size_t size) {
  ssize_t n;
  if (hit("readlinkat"))
    return -1;
  n = REAL(readlinkat, ssize_t(*)(int, const char *, char *, size_t))(fd, path, buf, size);
  if (n >= 0 && F.readlinkat_overflow) {
    memset(buf + n, 'x', size - (size_t)n);
    return (ssize_t)size;
  }
  return n;
}

static int w_symlinkat(const char *text, int fd, const char *path) {
  if (hit("symlinkat"))
    return -1;
  return REAL(symlinkat, int (*)(const char *, int, const char *))(text, fd, path);
}

static int w_linkat(int fd1, const char *p1, int fd2, const char *p2, int flags) {
  if (hit("linkat"))
    return -1;
  return REAL(linkat, int (*)(int, const char *, int, const char *, int))(fd1, p1, fd2, p2,
                                                                           flags);
}

static int w_unlinkat(int fd, const char *path, int flags) {
  if (hit("unlinkat"))
    return -1;
  return REAL(unlinkat, int (*)(int, const char *, int))(fd, path, flags);
}

static int w_renameat(int fd1, const char *p1, int fd2, const char *p2) {
  if (hit("renameat"))
    return -1;
  return REAL(renameat, int (*)(int, const char *, int, const char *))(fd1, p1, fd2, p2);
}

static int w_statfs(const char *path, struct statfs *st) {
  int rc;
  if (hit("statfs"))
    return -1;
  rc = REAL(statfs, int (*)(const char *, struct statfs *))(path, st);
  if (rc == 0 && F.statfs_fake)
    st->f_type = (__typeof__(st->f_type))F.statfs_magic;
  return rc;
}

static int w_openat(int fd, const char *path, int flags, ...) {
  mode_t mode = 0;
  if (flags & O_CREAT) {
    va_list ap;
    va_start(ap, flags);
    mode = (mode_t)va_arg(ap, int);
    va_end(ap);
  }
  if (hit("openat"))
    return -1;
  return REAL(openat, int (*)(int, const char *, int, ...))(fd, path, flags, mode);
}

static int w_close(int fd) {
  if (hit("close")) {
    /* Like close(2) on EIO, the descriptor is released all the same. */
    int saved = errno;
    REAL(close, int (*)(int))(fd);
    errno = saved;
    return -1;
  }
  return REAL(close, int (*)(int))(fd);
}

/* ---- tree.c (the walk engine) ---- */
#if defined(__linux__)
static ssize_t w_getdents64(int fd, void *buf, size_t size) {
  if (hit("getdents64"))
    return -1;
  return REAL(getdents64, ssize_t(*)(int, void *, size_t))(fd, buf, size);
}
#endif

/* ---- tree.c off Linux: directory streams ---- */
#if !defined(__linux__)
static DIR *w_fdopendir(int fd) {
  if (hit("fdopendir"))
    return NULL; /* the descriptor stays the caller's, as with fdopendir(3) */
  return REAL(fdopendir, DIR *(*)(int))(fd);
}

static struct dirent *w_readdir(DIR *d) {
  if (hit("readdir"))
    return NULL;
  return REAL(readdir, struct dirent *(*)(DIR *))(d);
}

static int w_closedir(DIR *d) {
  if (hit("closedir")) {
    /* Like close(2), the stream is released all the same. */
    int saved = errno;
    REAL(closedir, int (*)(DIR *))(d);
    errno = saved;
    return -1;
  }
  return REAL(closedir, int (*)(DIR *))(d);
}
#endif

static int w_fstat(int fd, struct stat *st) {
  if (hit("fstat"))
    return -1;
  return REAL(fstat, int (*)(int, struct stat *))(fd, st);
}


/* ---- tree.c (the walk engine) ---- */
#if defined(__linux__)
static int w_statx(int fd, const char *path, int flags, unsigned mask, struct statx *out) {
  if (hit("statx"))
    return -1;
  return REAL(statx, int (*)(int, const char *, int, unsigned, struct statx *))(fd, path, flags,
                                                                                mask, out);
}
#endif

/* ---- run.c (git, for the portability check); read also tree.c's ---- */
static int w_pipe(int fds[2]) {
  if (hit("pipe"))
    return -1;
  return REAL(pipe, int (*)(int[2]))(fds);
}

static int w_posix_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *fa,
                          const posix_spawnattr_t *attr, char *const argv[],
                          char *const envp[]) {
  if (hit("posix_spawnp"))
    return errno; /* posix_spawnp returns the error */
  return REAL(posix_spawnp,
              int (*)(pid_t *, const char *, const posix_spawn_file_actions_t *,
                      const posix_spawnattr_t *, char *const[], char *const[]))(
      pid, file, fa, attr, argv, envp);
}

static int w_poll(struct pollfd *fds, nfds_t n, int timeout) {
  if (hit("poll"))
    return -1;
  return REAL(poll, int (*)(struct pollfd *, nfds_t, int))(fds, n, timeout);
}

/* ---- read: run.c, the tree engine (mountinfo) and file.c ---- */
static ssize_t w_read(int fd, void *buf, size_t size) {
  if (hit("read"))
    return -1;
  return REAL(read, ssize_t(*)(int, void *, size_t))(fd, buf, size);
}

static pid_t w_waitpid(pid_t pid, int *status, int options) {
  /* Never fails: the child must be reaped, or it would be left a zombie. */
  (void)hit("waitpid");
  return REAL(waitpid, pid_t(*)(pid_t, int *, int))(pid, status, options);
}

static ssize_t w_write(int fd, const void *buf, size_t size) {
  if (hit("write"))
    return -1;
  return REAL(write, ssize_t(*)(int, const void *, size_t))(fd, buf, size);
}

static int w_fsync(int fd) {
  if (hit("fsync"))
    return -1;
  return REAL(fsync, int (*)(int))(fd);
}

static int w_mkdirat(int fd, const char *path, mode_t mode) {
  if (hit("mkdirat"))
    return -1;
  return REAL(mkdirat, int (*)(int, const char *, mode_t))(fd, path, mode);
}

/* ---- copy.c (a move's copy) ---- */
static int w_fchown(int fd, uid_t uid, gid_t gid) {
  if (hit("fchown"))
    return -1;
  return REAL(fchown, int (*)(int, uid_t, gid_t))(fd, uid, gid);
}

static int w_fchmod(int fd, mode_t mode) {
  if (hit("fchmod"))
    return -1;
  return REAL(fchmod, int (*)(int, mode_t))(fd, mode);
}

static int w_futimens(int fd, const struct timespec ts[2]) {
  if (hit("futimens"))
    return -1;
  return REAL(futimens, int (*)(int, const struct timespec[2]))(fd, ts);
}

static int w_fchownat(int fd, const char *path, uid_t uid, gid_t gid, int flags) {
  if (hit("fchownat"))
    return -1;
  return REAL(fchownat, int (*)(int, const char *, uid_t, gid_t, int))(fd, path, uid, gid, flags);
}

static int w_fchmodat(int fd, const char *path, mode_t mode, int flags) {
  if (hit("fchmodat"))
    return -1;
  return REAL(fchmodat, int (*)(int, const char *, mode_t, int))(fd, path, mode, flags);
}

static int w_utimensat(int fd, const char *path, const struct timespec ts[2], int flags) {
  if (hit("utimensat"))
    return -1;
  return REAL(utimensat, int (*)(int, const char *, const struct timespec[2], int))(fd, path, ts,
                                                                                   flags);
}

static uid_t w_geteuid(void) {
  /* Cannot fail: counted, never failed. */
  (void)hit("geteuid");
  return REAL(geteuid, uid_t(*)(void))();
}

static const struct {
  const char *name;
  mklink_syscall_ptr fn;
} wrappers[] = {
    {"getcwd", (mklink_syscall_ptr)w_getcwd},
    {"fstatat", (mklink_syscall_ptr)w_fstatat},
    {"readlinkat", (mklink_syscall_ptr)w_readlinkat},
    {"symlinkat", (mklink_syscall_ptr)w_symlinkat},
    {"linkat", (mklink_syscall_ptr)w_linkat},
    {"unlinkat", (mklink_syscall_ptr)w_unlinkat},
    {"renameat", (mklink_syscall_ptr)w_renameat},
    {"statfs", (mklink_syscall_ptr)w_statfs},
    {"openat", (mklink_syscall_ptr)w_openat},
    {"close", (mklink_syscall_ptr)w_close},
    {"fstat", (mklink_syscall_ptr)w_fstat},
    /* ---- tree.c (the walk engine) ---- */
#if defined(__linux__)
    {"getdents64", (mklink_syscall_ptr)w_getdents64},
    {"statx", (mklink_syscall_ptr)w_statx},
#else
    {"fdopendir", (mklink_syscall_ptr)w_fdopendir},
    {"readdir", (mklink_syscall_ptr)w_readdir},
    {"closedir", (mklink_syscall_ptr)w_closedir},
#endif
    /* ---- run.c ---- */
    {"pipe", (mklink_syscall_ptr)w_pipe},
    {"posix_spawnp", (mklink_syscall_ptr)w_posix_spawnp},
    {"poll", (mklink_syscall_ptr)w_poll},
    {"read", (mklink_syscall_ptr)w_read},
    {"waitpid", (mklink_syscall_ptr)w_waitpid},
    /* ---- file.c ---- */
    {"write", (mklink_syscall_ptr)w_write},
    {"fsync", (mklink_syscall_ptr)w_fsync},
    {"mkdirat", (mklink_syscall_ptr)w_mkdirat},
    /* ---- copy.c ---- */
    {"fchown", (mklink_syscall_ptr)w_fchown},
    {"fchmod", (mklink_syscall_ptr)w_fchmod},
    {"futimens", (mklink_syscall_ptr)w_futimens},
    {"fchownat", (mklink_syscall_ptr)w_fchownat},
    {"fchmodat", (mklink_syscall_ptr)w_fchmodat},
    {"utimensat", (mklink_syscall_ptr)w_utimensat},
    {"geteuid", (mklink_syscall_ptr)w_geteuid},
};
#define NWRAPPERS (sizeof wrappers / sizeof wrappers[0])

static int entry_index(const char *name) {
  size_t i;
  for (i = 0; i < NWRAPPERS; i++)
    if (strcmp(wrappers[i].name, name) == 0)
      return (int)i;
  fail_msg("fault: the table has an entry \"%s\" that posix_fault.c does not wrap", name);
  return 0;
}

void fault_start(void) {
  const char *name;
  memset(&F, 0, sizeof F);
  memset(per_entry, 0, sizeof per_entry);
  for (name = mklink_next_syscall(NULL); name != NULL; name = mklink_next_syscall(name)) {
    int i = entry_index(name); /* fails for an entry without a wrapper */
    assert_int_equal(mklink_set_syscall(name, wrappers[i].fn), 0);
  }
}

void fault_stop(void) {
  mklink_set_syscall(NULL, NULL);
  memset(&F, 0, sizeof F);
}

unsigned fault_calls(void) { return F.total; }

unsigned fault_calls_of(const char *entry) { return per_entry[entry_index(entry)]; }

const char *fault_call_entry(unsigned n) {
  return n >= 1 && n <= F.total && n <= MAX_LOG ? F.log[n - 1] : "?";
}

void fault_reset_counts(void) {
  F.total = 0;
  memset(per_entry, 0, sizeof per_entry);
}

void expect_fail_call(unsigned n, int errnum) {
  F.fail_call = n;
  F.fail_call_errno = errnum;
}

void expect_fail(const char *entry, unsigned n, int errnum) {
  F.fail_entry = wrappers[entry_index(entry)].name;
  F.fail_from = n;
  F.fail_to = n;
  F.fail_entry_errno = errnum;
}

void expect_fail_from(const char *entry, unsigned n, int errnum) {
  expect_fail(entry, n, errnum);
  F.fail_to = ~0u;
}

void expect_statfs_magic(unsigned long magic) {
  F.statfs_fake = 1;
  F.statfs_magic = magic;
}

void expect_readlinkat_overflow(void) { F.readlinkat_overflow = 1; }

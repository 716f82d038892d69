/*
 * syscall.h -- the POSIX OS-call table, generated from one typed list.
 *
 * MKLINK__POSIX_SYSCALLS(X) names every entry once, in table order, with the
 * function that is its default and the type it is called through:
 *
 *   X(name, function, return type, (parameter types))
 *
 * From it come the index of each entry (MKLINK__SYS_<name>), the table
 * itself (mklink__syscalls[] in syscall.c), and the function-pointer type
 * (mklink__sys_<name>_fn) that os_<name> casts the entry to: adding a call
 * is one line of the list plus its os_<name> spelling below, and the three
 * can no longer drift apart.  An entry that exists on one platform only is
 * in a list of its own, empty elsewhere, placed where its entries go.
 */
#ifndef MKLINK_POSIX_SYSCALL_H
#define MKLINK_POSIX_SYSCALL_H

#include "internal.h"

#include <dirent.h>
#include <poll.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/types.h>
#if defined(__linux__)
#include <linux/stat.h> /* struct statx */
#include <sys/vfs.h>
#else
#include <sys/mount.h>
#include <sys/param.h>
#endif

/* The walk engine's (tree.c).  Linux: getdents64 lists many entries per
   call with no stream to set up, statx gives a directory's identity and
   whether it is a mount root (STATX_ATTR_MOUNT_ROOT) in one call (read, in
   the list below, serves /proc/self/mountinfo where statx cannot tell); glibc declares no
   wrapper for the first two without _GNU_SOURCE (nor for getdents64 before
   2.30), so syscall.c has them.  Elsewhere: directory streams. */
#if defined(__linux__)
ssize_t mklink__getdents64(int fd, void *buf, size_t size);
int mklink__statx(int fd, const char *name, int flags, unsigned mask, struct statx *out);
#define MKLINK__POSIX_SYSCALLS_TREE(X)                                        \
  X(getdents64, mklink__getdents64, ssize_t, (int, void *, size_t))           \
  X(statx, mklink__statx, int, (int, const char *, int, unsigned, struct statx *))
#else
#define MKLINK__POSIX_SYSCALLS_TREE(X)                                        \
  X(fdopendir, fdopendir, DIR *, (int))                                       \
  X(readdir, readdir, struct dirent *, (DIR *))                               \
  X(closedir, closedir, int, (DIR *))
#endif

#define MKLINK__POSIX_SYSCALLS(X)                                              \
  X(getcwd, getcwd, char *, (char *, size_t))                                  \
  X(fstatat, fstatat, int, (int, const char *, struct stat *, int))            \
  X(readlinkat, readlinkat, ssize_t, (int, const char *, char *, size_t))      \
  X(symlinkat, symlinkat, int, (const char *, int, const char *))              \
  X(linkat, linkat, int, (int, const char *, int, const char *, int))          \
  X(unlinkat, unlinkat, int, (int, const char *, int))                         \
  X(renameat, renameat, int, (int, const char *, int, const char *))           \
  X(statfs, statfs, int, (const char *, struct statfs *))                      \
  X(openat, openat, int, (int, const char *, int, ...))                        \
  X(close, close, int, (int))                                                  \
  X(fstat, fstat, int, (int, struct stat *))                                   \
  MKLINK__POSIX_SYSCALLS_TREE(X)                                               \
  /* run.c (mklink__run: git, for the portability check); read also serves    \
     the walk engine's /proc/self/mountinfo */                                \
  X(pipe, pipe, int, (int[2]))                                                 \
  X(posix_spawnp, posix_spawnp, int,                                           \
    (pid_t *, const char *, const posix_spawn_file_actions_t *,                \
     const posix_spawnattr_t *, char *const[], char *const[]))                 \
  X(poll, poll, int, (struct pollfd *, nfds_t, int))                           \
  X(read, read, ssize_t, (int, void *, size_t))                                \
  X(waitpid, waitpid, pid_t, (pid_t, int *, int))                              \
  /* file.c (composite operations; read is above) */                          \
  X(write, write, ssize_t, (int, const void *, size_t))                        \
  X(fsync, fsync, int, (int))                                                  \
  X(mkdirat, mkdirat, int, (int, const char *, mode_t))                         \
  /* copy.c (a move's copy: a file's owner, mode and times) */                 \
  X(fchown, fchown, int, (int, uid_t, gid_t))                                  \
  X(fchmod, fchmod, int, (int, mode_t))                                        \
  X(futimens, futimens, int, (int, const struct timespec[2]))                  \
  X(fchownat, fchownat, int, (int, const char *, uid_t, gid_t, int))           \
  X(fchmodat, fchmodat, int, (int, const char *, mode_t, int))                 \
  X(utimensat, utimensat, int, (int, const char *, const struct timespec[2], int)) \
  X(geteuid, geteuid, uid_t, (void))

enum mklink__sys {
#define MKLINK__SYS_INDEX(name, fn, ret, params) MKLINK__SYS_##name,
  MKLINK__POSIX_SYSCALLS(MKLINK__SYS_INDEX)
#undef MKLINK__SYS_INDEX
  MKLINK__SYS_COUNT
};

#define MKLINK__SYS_TYPE(name, fn, ret, params) typedef ret(*mklink__sys_##name##_fn) params;
MKLINK__POSIX_SYSCALLS(MKLINK__SYS_TYPE)
#undef MKLINK__SYS_TYPE

/* The current function of entry NAME, as the type the list gives it. */
#define MKLINK__OS(name) ((mklink__sys_##name##_fn)mklink__syscalls[MKLINK__SYS_##name].current)

#define os_getcwd MKLINK__OS(getcwd)
#define os_fstatat MKLINK__OS(fstatat)
#define os_readlinkat MKLINK__OS(readlinkat)
#define os_symlinkat MKLINK__OS(symlinkat)
#define os_linkat MKLINK__OS(linkat)
#define os_unlinkat MKLINK__OS(unlinkat)
#define os_renameat MKLINK__OS(renameat)
#define os_statfs MKLINK__OS(statfs)
#define os_openat MKLINK__OS(openat)
#define os_close MKLINK__OS(close)
#define os_fstat MKLINK__OS(fstat)
#define os_getdents64 MKLINK__OS(getdents64)
#define os_statx MKLINK__OS(statx)
#define os_fdopendir MKLINK__OS(fdopendir)
#define os_readdir MKLINK__OS(readdir)
#define os_closedir MKLINK__OS(closedir)
#define os_write MKLINK__OS(write)
#define os_fsync MKLINK__OS(fsync)
#define os_mkdirat MKLINK__OS(mkdirat)
#define os_fchown MKLINK__OS(fchown)
#define os_fchmod MKLINK__OS(fchmod)
#define os_futimens MKLINK__OS(futimens)
#define os_fchownat MKLINK__OS(fchownat)
#define os_fchmodat MKLINK__OS(fchmodat)
#define os_utimensat MKLINK__OS(utimensat)
#define os_geteuid MKLINK__OS(geteuid)

#define os_pipe MKLINK__OS(pipe)
#define os_posix_spawnp MKLINK__OS(posix_spawnp)
#define os_poll MKLINK__OS(poll)
#define os_read MKLINK__OS(read)
#define os_waitpid MKLINK__OS(waitpid)

#endif /* MKLINK_POSIX_SYSCALL_H */

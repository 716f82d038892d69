/*
 * syscall.c -- the POSIX OS-call table, one entry per line of
 * MKLINK__POSIX_SYSCALLS (syscall.h): every system call of the backend goes
 * through it, so tests can replace any of them by name.
 */
#include "syscall.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h> /* renameat */
#include <sys/stat.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__linux__)
#include <sys/syscall.h>
/* glibc declares getdents64() only with _GNU_SOURCE (and only since 2.30);
   the system call itself is the same everywhere on Linux. */
ssize_t mklink__getdents64(int fd, void *buf, size_t size) {
  return (ssize_t)syscall(SYS_getdents64, fd, buf, size);
}
/* statx() too is declared only with _GNU_SOURCE (glibc 2.28). */
int mklink__statx(int fd, const char *name, int flags, unsigned mask, struct statx *out) {
  return (int)syscall(SYS_statx, fd, name, flags, mask, out);
}
#endif

/* FN as a table entry, if it has the type the list gives entry NAME: a line
   of the list whose type is not its function's does not compile. */
#define MKLINK__SYS_CHECKED(name, fn) \
  _Generic((fn), mklink__sys_##name##_fn: (mklink_syscall_ptr)(fn))
#define MKLINK__SYS_ENTRY(name, fn, ret, params) \
  {#name, MKLINK__SYS_CHECKED(name, fn), MKLINK__SYS_CHECKED(name, fn)},

mklink__syscall mklink__syscalls[] = {MKLINK__POSIX_SYSCALLS(MKLINK__SYS_ENTRY)};
const size_t mklink__nsyscalls = sizeof mklink__syscalls / sizeof mklink__syscalls[0];

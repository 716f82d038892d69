/*
 * syscall.c -- the POSIX OS-call table.  Every system call of the backend
 * goes through an entry here (see syscall.h for the typed macros), so tests
 * can replace any of them by name.
 */
#include "syscall.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdio.h> /* renameat */
#include <unistd.h>

#define ENTRY(fn) {#fn, (mklink_syscall_ptr)fn, (mklink_syscall_ptr)fn}

/* ---- used by walk.c (mklink_walk) ---- */
#if defined(__linux__)
#include <sys/syscall.h>
/* glibc declares getdents64() only with _GNU_SOURCE (and only since 2.30);
   the system call itself is the same everywhere on Linux. */
static ssize_t getdents64_call(int fd, void *buf, size_t size) {
  return (ssize_t)syscall(SYS_getdents64, fd, buf, size);
}
#endif
/* ---- end of walk.c entries ---- */

/* Same order as enum mklink__sys. */
mklink__syscall mklink__syscalls[] = {
    ENTRY(getcwd),   ENTRY(fstatat),  ENTRY(readlinkat), ENTRY(symlinkat),
    ENTRY(linkat),   ENTRY(unlinkat), ENTRY(renameat),   ENTRY(statfs),
    ENTRY(openat),   ENTRY(close),
    /* ---- used by walk.c (mklink_walk) ---- */
#if defined(__linux__)
    {"getdents64", (mklink_syscall_ptr)getdents64_call, (mklink_syscall_ptr)getdents64_call},
#else
    ENTRY(fdopendir), ENTRY(readdir), ENTRY(closedir),
#endif
    /* ---- end of walk.c entries ---- */
    /* ---- remove_tree.c (besides the walk.c entries above) ---- */
#if defined(__linux__)
    ENTRY(fdopendir), ENTRY(readdir), ENTRY(closedir),
#endif
    ENTRY(fstat), ENTRY(rewinddir),
};
const size_t mklink__nsyscalls = sizeof mklink__syscalls / sizeof mklink__syscalls[0];

_Static_assert(sizeof mklink__syscalls / sizeof mklink__syscalls[0] == MKLINK__SYS_COUNT,
               "mklink__syscalls[] and enum mklink__sys disagree");

/*
 * syscall.h -- the POSIX OS-call table: one index per entry and, beside it,
 * the typed macro through which the backend calls it.  The order matches
 * mklink__syscalls[] in syscall.c.
 */
#ifndef MKLINK_POSIX_SYSCALL_H
#define MKLINK_POSIX_SYSCALL_H

#include "internal.h"

#include <dirent.h> /* walk.c */
#include <sys/stat.h>
#include <sys/types.h>
#if defined(__linux__)
#include <sys/vfs.h>
#else
#include <sys/mount.h>
#include <sys/param.h>
#endif

enum mklink__sys {
  MKLINK__SYS_getcwd,
  MKLINK__SYS_fstatat,
  MKLINK__SYS_readlinkat,
  MKLINK__SYS_symlinkat,
  MKLINK__SYS_linkat,
  MKLINK__SYS_unlinkat,
  MKLINK__SYS_renameat,
  MKLINK__SYS_statfs,
  MKLINK__SYS_openat,
  MKLINK__SYS_close,
  /* ---- used by walk.c (mklink_walk) ---- */
#if defined(__linux__)
  MKLINK__SYS_getdents64, /* one call lists many entries, no stream set-up */
#else
  MKLINK__SYS_fdopendir,
  MKLINK__SYS_readdir,
  MKLINK__SYS_closedir,
#endif
  /* ---- end of walk.c entries ---- */
  /* ---- remove_tree.c (besides the walk.c entries above) ---- */
#if defined(__linux__)
  MKLINK__SYS_fdopendir,
  MKLINK__SYS_readdir,
  MKLINK__SYS_closedir,
#endif
  MKLINK__SYS_fstat,
  MKLINK__SYS_rewinddir,
  MKLINK__SYS_COUNT
};

#define MKLINK__SYS(i) (mklink__syscalls[MKLINK__SYS_##i].current)

#define os_getcwd ((char *(*)(char *, size_t))MKLINK__SYS(getcwd))
#define os_fstatat ((int (*)(int, const char *, struct stat *, int))MKLINK__SYS(fstatat))
#define os_readlinkat ((ssize_t(*)(int, const char *, char *, size_t))MKLINK__SYS(readlinkat))
#define os_symlinkat ((int (*)(const char *, int, const char *))MKLINK__SYS(symlinkat))
#define os_linkat ((int (*)(int, const char *, int, const char *, int))MKLINK__SYS(linkat))
#define os_unlinkat ((int (*)(int, const char *, int))MKLINK__SYS(unlinkat))
#define os_renameat ((int (*)(int, const char *, int, const char *))MKLINK__SYS(renameat))
#define os_statfs ((int (*)(const char *, struct statfs *))MKLINK__SYS(statfs))
#define os_openat ((int (*)(int, const char *, int, ...))MKLINK__SYS(openat))
#define os_close ((int (*)(int))MKLINK__SYS(close))
/* ---- used by walk.c (mklink_walk) ---- */
#if defined(__linux__)
#define os_getdents64 ((ssize_t(*)(int, void *, size_t))MKLINK__SYS(getdents64))
#else
#define os_fdopendir ((DIR * (*)(int)) MKLINK__SYS(fdopendir))
#define os_readdir ((struct dirent * (*)(DIR *)) MKLINK__SYS(readdir))
#define os_closedir ((int (*)(DIR *))MKLINK__SYS(closedir))
#endif
/* ---- end of walk.c entries ---- */

/* ---- remove_tree.c (besides the walk.c entries above) ---- */
#if defined(__linux__)
#define os_fdopendir ((DIR * (*)(int)) MKLINK__SYS(fdopendir))
#define os_readdir ((struct dirent * (*)(DIR *)) MKLINK__SYS(readdir))
#define os_closedir ((int (*)(DIR *))MKLINK__SYS(closedir))
#endif
#define os_fstat ((int (*)(int, struct stat *))MKLINK__SYS(fstat))
#define os_rewinddir ((void (*)(DIR *))MKLINK__SYS(rewinddir))

#endif /* MKLINK_POSIX_SYSCALL_H */

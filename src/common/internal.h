/*
 * internal.h -- what the OS-free core and the two backends share.
 *
 * src/posix/X.c and src/win32/X.c implement the same mklink__ prototypes
 * declared here; public entry points in src/common/api.c check their
 * arguments once and then call them.
 */
#ifndef MKLINK_INTERNAL_H
#define MKLINK_INTERNAL_H

#ifndef MKLINK_BUILDING
#define MKLINK_BUILDING 1
#endif
#include "mklink.h"

#include <stddef.h>

/* ---- backend: one implementation per platform ------------------------- */

/* Arguments are already checked: non-empty paths, a creatable kind, known
   flags. */
int mklink__create(const char *link, const char *target, mklink_kind kind,
                   unsigned flags);
int mklink__query(const char *path, mklink_info *out);
int mklink__remove(const char *path);
int mklink__remove_tree(const char *path);
int mklink__capabilities(const char *dir, mklink_caps *out);
/* DIR non-empty, CB set, FLAGS known (src/common/walk.c checks them). */
int mklink__walk(const char *dir, unsigned flags, mklink_walk_cb cb, void *arg);

/* ---- mklink_info's strings -------------------------------------------- */

/*
 * Give OUT the one block its strings live in (see mklink_info_free()): a
 * copy of TARGET (TARGET_LEN bytes, a NUL added) followed by RESOLVED_SIZE
 * bytes, set to "", for the caller to write the resolved path into
 * (*RESOLVED).  Returns 0 or MKLINK_ENOMEM (OUT is then untouched).
 */
int mklink__info_strings(mklink_info *out, const char *target, size_t target_len,
                         size_t resolved_size, char **resolved);

/* ---- errors: one implementation per platform (error.c of each) ------- */

/* OS error OSERR (errno, or a Win32 error) as MKLINK_E*, in no particular
   call's context; one the table does not map is MKLINK_EOS(OSERR), one out
   of that range MKLINK_EIO. */
int mklink__error_from_os(int oserr);
/* The system's message for OS error OSERR in BUF (SIZE > 0 bytes, cut to
   fit), on one line: 0, or -1 if the system has none (BUF undefined). */
int mklink__os_message(int oserr, char *buf, size_t size);

/* ---- the OS-call table ------------------------------------------------- */

/* One entry per system call; each backend defines mklink__syscalls[] in its
   syscall.c with typed macros beside it, and src/common/syscall.c implements
   the public setter and getters over it. */
typedef struct mklink__syscall {
  const char *name;
  mklink_syscall_ptr current; /* what the backend calls            */
  mklink_syscall_ptr dflt;    /* the system function, for restoring */
} mklink__syscall;

extern mklink__syscall mklink__syscalls[];
extern const size_t mklink__nsyscalls;

#endif /* MKLINK_INTERNAL_H */

/*
 * posix.h -- what the files of the POSIX backend share.
 */
#ifndef MKLINK_POSIX_H
#define MKLINK_POSIX_H

#include "internal.h"
#include "syscall.h"

#include <limits.h>

/* What a failing call was about, for the errno values whose meaning depends
   on it (see mklink__error()). */
typedef enum mklink__errctx {
  MKLINK__CTX_PATH, /* a name being created or walked: ENOENT = no path */
  MKLINK__CTX_FILE  /* an entry that must exist: ENOENT = no such file   */
} mklink__errctx;

/* The one errno -> MKLINK_E* translation of this backend (error.c). */
int mklink__error(int errnum, mklink__errctx ctx);

#endif /* MKLINK_POSIX_H */

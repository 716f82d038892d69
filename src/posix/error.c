/* error.c -- the one errno -> MKLINK_E* translation of the POSIX backend. */
#include "posix.h"

#include <errno.h>

int mklink__error(int errnum, mklink__errctx ctx) {
  switch (errnum) {
  case 0:
    return 0;
  case ENOENT:
    return ctx == MKLINK__CTX_FILE ? MKLINK_ENOFILE : MKLINK_ENOPATH;
  case ENOTDIR:
    return MKLINK_ENOPATH;
  case EPERM:
  case EACCES:
    return MKLINK_EACCES;
  case ELOOP:
    return MKLINK_ELOOP;
  case ENAMETOOLONG:
    return MKLINK_ENAMETOOLONG;
  case EINVAL:
    return MKLINK_EINVAL;
  case ENOTEMPTY:
    return MKLINK_ENOTEMPTY;
  case EBUSY:
    return MKLINK_EBUSY;
  case EROFS:
    return MKLINK_EROFS;
  case ENOSPC:
    return MKLINK_ENOSPC;
  case ENOMEM:
    return MKLINK_ENOMEM;
  default:
    return MKLINK_EIO;
  }
}

/*
 * error.c -- the one errno -> MKLINK_E* translation of the POSIX backend.
 *
 * Surprising mappings (also in mklink.h):
 * - EPERM is "Access is denied." (MKLINK_EACCES): Linux answers EPERM to a
 *   hard link to a directory, which Windows refuses with ERROR_ACCESS_DENIED.
 *   From symlinkat, though, EPERM means the file system has no symbolic links
 *   (FAT): MKLINK_ENOTSUP.
 * - ENOENT depends on what the call was about: a missing directory on the
 *   way to a new name is MKLINK_ENOPATH, a missing entry that had to exist
 *   is MKLINK_ENOFILE.  ENOTDIR (a file where a directory was expected) is
 *   always MKLINK_ENOPATH.
 * - EINVAL from readlinkat means the entry is not a symbolic link:
 *   MKLINK_ENOTLINK.
 * - ERANGE (getcwd's buffer too small) is MKLINK_ENAMETOOLONG.
 * - EILSEQ (a name the file system cannot encode) is MKLINK_EBADNAME.
 * - An errno with no closer meaning is MKLINK_EIO.
 */
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
  case EEXIST:
    return MKLINK_EEXIST;
  case EPERM:
    return ctx == MKLINK__CTX_SYMLINK ? MKLINK_ENOTSUP : MKLINK_EACCES;
  case EACCES:
    return MKLINK_EACCES;
  case EXDEV:
    return MKLINK_EXDEV;
  case EMLINK:
    return MKLINK_EMLINK;
  case ELOOP:
    return MKLINK_ELOOP;
  case ENAMETOOLONG:
  case ERANGE:
    return MKLINK_ENAMETOOLONG;
  case EILSEQ:
    return MKLINK_EBADNAME;
  case EINVAL:
    return ctx == MKLINK__CTX_READLINK ? MKLINK_ENOTLINK : MKLINK_EINVAL;
  case EISDIR:
    return MKLINK_EISDIR;
  case ENOTEMPTY:
    return MKLINK_ENOTEMPTY;
  case EBUSY:
  case ETXTBSY:
    return MKLINK_EBUSY;
  case ENOSPC:
  case EDQUOT:
    return MKLINK_ENOSPC;
  case EROFS:
    return MKLINK_EROFS;
  case ENOMEM:
    return MKLINK_ENOMEM;
  case ENOSYS:
  case EOPNOTSUPP:
#if defined(ENOTSUP) && ENOTSUP != EOPNOTSUPP
  case ENOTSUP:
#endif
    return MKLINK_ENOTSUP;
#ifdef EREMOTE
  case EREMOTE:
    return MKLINK_EREMOTE;
#endif
  default:
    return MKLINK_EIO;
  }
}

/*
 * error.c -- the one errno -> MKLINK_E* translation of the POSIX backend.
 *
 * Surprising mappings (also in mklink.h):
 * - EPERM is "Access is denied." (MKLINK_EACCES): Linux answers EPERM to a
 *   hard link to a directory, which Windows refuses with ERROR_ACCESS_DENIED.
 *   From symlinkat, though, EPERM means the file system has no symbolic links
 *   (FAT): MKLINK_ENOTSUP; from linkat on a file system without hard links
 *   (FAT, exFAT, FUSE) too (mklink__hardlink_eperm()).
 * - ENOENT depends on what the call was about: a missing directory on the
 *   way to a new name is MKLINK_ENOPATH, a missing entry that had to exist
 *   is MKLINK_ENOFILE.  ENOTDIR (a file where a directory was expected) is
 *   always MKLINK_ENOPATH.
 * - EINVAL from readlinkat means the entry is not a symbolic link:
 *   MKLINK_ENOTLINK.
 * - ERANGE (getcwd's buffer too small) is MKLINK_ENAMETOOLONG.
 * - EILSEQ (a name the file system cannot encode) is MKLINK_EBADNAME.
 * - EMFILE and ENFILE (no descriptor left) are MKLINK_EMFILE.
 * - An errno the table does not map is carried as MKLINK_EOS(errno), its
 *   text strerror_r()'s; EIO itself is MKLINK_EIO.
 */
#include "posix.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#if defined(__linux__)
#include <sys/vfs.h>
#endif

/* An errno with no entry in the table, carried in the code. */
static int carried(int errnum) {
  if (errnum < 1 || errnum > MKLINK_EOS_MAX)
    return MKLINK_EIO;
  return MKLINK_EOS(errnum);
}

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
  case EMFILE:
  case ENFILE:
    return MKLINK_EMFILE;
  case EIO:
    return MKLINK_EIO;
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
    return carried(errnum);
  }
}

int mklink__error_from_os(int oserr) { return mklink__error(oserr, MKLINK__CTX_PATH); }

/* The XSI strerror_r (this backend is built without _GNU_SOURCE): the
   message in BUF, nothing shared between threads. */
int mklink__os_message(int oserr, char *buf, size_t size) {
  int rc;
  buf[0] = '\0';
  rc = strerror_r(oserr, buf, size);
  buf[size - 1] = '\0';
  return rc != 0 && buf[0] == '\0' ? -1 : 0; /* a text cut short (ERANGE) is kept */
}

/*
 * linkat's EPERM for TARGET, which is not a directory: a file system that has
 * no hard links (the VFS answers EPERM when it lacks the operation) is
 * MKLINK_ENOTSUP; anything else -- the protected_hardlinks rule, an
 * immutable or append-only file -- is "Access is denied.".  Told apart by the
 * file system's type (Linux f_type values): FAT, exFAT, and FUSE, where a
 * daemon without hard links answers EPERM too.
 */
int mklink__hardlink_eperm(const char *target) {
#if defined(__linux__)
  struct statfs st;
  if (os_statfs(target, &st) == 0) {
    switch ((uint32_t)st.f_type) {
    case 0x4d44u:     /* MSDOS_SUPER_MAGIC (vfat, msdos) */
    case 0x2011BAB0u: /* EXFAT_SUPER_MAGIC */
    case 0x65735546u: /* FUSE_SUPER_MAGIC (fusefat, exfat-fuse) */
      return MKLINK_ENOTSUP;
    default:
      break;
    }
  }
#else
  (void)target;
#endif
  return MKLINK_EACCES;
}

/*
 * remove.c -- mklink_remove on POSIX: look, then unlink only a link.
 *
 * POSIX cannot unlink "only if it is still a link", so a name swapped for a
 * real file between the lstat and the unlink by another process would be
 * unlinked; that window is the price of two system calls (see mklink.h).
 */
#include "posix.h"

#include <errno.h>
#include <fcntl.h>

int mklink__remove(const char *path) {
  struct stat st;
  if (os_fstatat(AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW) != 0)
    return mklink__lookup_error(path, errno);
  if (S_ISDIR(st.st_mode))
    return MKLINK_EISDIR;
  if (!S_ISLNK(st.st_mode) && st.st_nlink < 2)
    return MKLINK_ELASTNAME;
  if (os_unlinkat(AT_FDCWD, path, 0) != 0)
    return mklink__error(errno, MKLINK__CTX_FILE);
  return 0;
}

/*
 * volume.c -- what a move asks of file systems on POSIX: which one a name
 * is on, and how much room is left there.
 */
#include "posix.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

int mklink__free_space(const char *path, unsigned long long *avail, unsigned long *block) {
  struct statfs fs;
  if (os_statfs(path, &fs) != 0)
    return mklink__lookup_error(path, errno);
  /* f_bavail: what an unprivileged user may still use (not root's reserve). */
  *avail = (unsigned long long)fs.f_bavail * (unsigned long long)fs.f_bsize;
  *block = fs.f_bsize > 0 ? (unsigned long)fs.f_bsize : 4096ul;
  return 0;
}

int mklink__same_volume(const char *a, const char *b, int *same) {
  struct stat sa, sb;
  *same = 0;
  if (os_fstatat(AT_FDCWD, a, &sa, AT_SYMLINK_NOFOLLOW) != 0)
    return mklink__lookup_error(a, errno);
  if (os_fstatat(AT_FDCWD, b, &sb, 0) != 0)
    return mklink__lookup_error(b, errno);
  *same = sa.st_dev == sb.st_dev;
  return 0;
}

int mklink__real_name(const char *path, char **out) { return mklink__physical_name(path, out); }

/*
 * copy.c -- the copy of a move on POSIX: one regular file with its owner,
 * mode and times, a link copied as the link, a directory's metadata, and the
 * flushes that make a copy survive a power cut.  The walk over the tree, the
 * hashing and the order of the steps are src/common/move_copy.c's; these are
 * the single steps, each on one name.
 *
 * A copy is made 0600 and given its mode only once its content is complete,
 * so no other user can open it half-written; the owner is set before the
 * mode, since chown clears the set-user-ID bit.
 */
#include "posix.h"

#include "tree.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Bytes read and written at a time: large enough that the system calls cost
   nothing next to the copying, small enough to stay in the cache. */
#define CHUNK (256u * 1024u)

static void times_of(const mklink__tree_attrs *st, struct timespec ts[2]) {
  ts[0].tv_sec = (time_t)st->atime_sec;
  ts[0].tv_nsec = st->atime_nsec;
  ts[1].tv_sec = (time_t)st->mtime_sec;
  ts[1].tv_nsec = st->mtime_nsec;
}

/* Owner (as root), mode and times of the open copy FD. */
static int set_fd_attrs(int fd, const mklink__tree_attrs *st) {
  struct timespec ts[2];
  if (os_geteuid() == 0 && os_fchown(fd, (uid_t)st->uid, (gid_t)st->gid) != 0)
    return mklink__error(errno, MKLINK__CTX_PATH);
  if (os_fchmod(fd, (mode_t)(st->mode & 07777)) != 0)
    return mklink__error(errno, MKLINK__CTX_PATH);
  times_of(st, ts);
  if (os_futimens(fd, ts) != 0)
    return mklink__error(errno, MKLINK__CTX_PATH);
  return 0;
}

/* Read SRC to its end, handing each chunk to CB and, if OUT >= 0, writing
   it to OUT; *SIZE the bytes read. */
static int pump(int src, int out, mklink__chunk_cb cb, void *arg, unsigned long long *size) {
  char *buf = malloc(CHUNK);
  int rc = 0;
  *size = 0;
  if (buf == NULL)
    return MKLINK_ENOMEM;
  for (;;) {
    ssize_t n = os_read(src, buf, CHUNK);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      rc = mklink__error(errno, MKLINK__CTX_FILE);
      break;
    }
    if (n == 0)
      break;
    *size += (unsigned long long)n;
    if (cb != NULL && (rc = cb(buf, (size_t)n, arg)) != 0)
      break;
    if (out >= 0 && (rc = mklink__write_all(out, buf, (size_t)n)) != 0)
      break;
  }
  free(buf);
  return rc;
}

int mklink__copy_file(intptr_t src, const mklink__tree_attrs *st, const char *path,
                      mklink__chunk_cb cb, void *arg) {
  unsigned long long size;
  int rc, fd = os_openat(AT_FDCWD, path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                         0600);
  if (fd < 0)
    return mklink__error(errno, MKLINK__CTX_PATH);
  rc = pump((int)src, fd, cb, arg, &size);
  if (rc == 0)
    rc = set_fd_attrs(fd, st);
  if (rc == 0 && os_fsync(fd) != 0)
    rc = mklink__error(errno, MKLINK__CTX_PATH);
  if (os_close(fd) != 0 && rc == 0)
    rc = mklink__error(errno, MKLINK__CTX_PATH);
  if (rc != 0)
    (void)os_unlinkat(AT_FDCWD, path, 0);
  return rc;
}

int mklink__read_chunks(const char *path, mklink__chunk_cb cb, void *arg,
                        unsigned long long *size) {
  int rc, fd = os_openat(AT_FDCWD, path, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
  *size = 0;
  if (fd < 0)
    return mklink__lookup_error(path, errno);
  rc = pump(fd, -1, cb, arg, size);
  (void)os_close(fd);
  return rc;
}

int mklink__copy_link(const char *path, const char *text, int junction,
                      const mklink__tree_attrs *st) {
  (void)junction; /* a simulated junction is a symbolic link with its mark */
  (void)st;       /* POSIX does not record /D */
  if (os_symlinkat(text, AT_FDCWD, path) != 0)
    return mklink__error(errno, MKLINK__CTX_SYMLINK);
  return 0;
}

int mklink__set_attrs(const char *path, int is_link, const mklink__tree_attrs *st) {
  struct timespec ts[2];
  if (os_geteuid() == 0 &&
      os_fchownat(AT_FDCWD, path, (uid_t)st->uid, (gid_t)st->gid, AT_SYMLINK_NOFOLLOW) != 0)
    return mklink__error(errno, MKLINK__CTX_PATH);
  if (!is_link && os_fchmodat(AT_FDCWD, path, (mode_t)(st->mode & 07777), 0) != 0)
    return mklink__error(errno, MKLINK__CTX_PATH);
  times_of(st, ts);
  if (os_utimensat(AT_FDCWD, path, ts, AT_SYMLINK_NOFOLLOW) != 0 &&
      !(is_link && errno == EOPNOTSUPP))
    return mklink__error(errno, MKLINK__CTX_PATH);
  return 0;
}

/* PATH is followed: a move flushes the directories LINK and TARGET are in,
   which may be reached through a link (/var/run -> /run); those of the copy
   are its own. */
int mklink__sync_dir(const char *path) {
  int rc = 0, fd = os_openat(AT_FDCWD, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return mklink__error(errno, MKLINK__CTX_PATH);
  /* Some file systems cannot flush a directory (EINVAL): nothing to lose. */
  if (os_fsync(fd) != 0 && errno != EINVAL && errno != EROFS)
    rc = mklink__error(errno, MKLINK__CTX_PATH);
  (void)os_close(fd);
  return rc;
}

int mklink__file_busy(const char *path) {
  (void)path; /* POSIX has no share modes: an open file can be copied */
  return 0;
}

/*
 * query.c -- mklink_query on POSIX.
 *
 * readlink comes first: for a link it both says "this is a link" and gives
 * the text, so a link costs readlink + stat (of what it points to), the price
 * of the lstat + readlink it replaces.  Anything else answers EINVAL and is
 * then looked at with lstat.
 */
#include "posix.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>

int mklink__lookup_error(const char *path, int errnum) {
  char parent[MKLINK__PATH_MAX];
  struct stat st;
  const char *base;
  size_t dir_len, base_len;
  if (errnum != ENOENT)
    return mklink__error(errnum, MKLINK__CTX_PATH);
  mklink__path_split(MKLINK__PATH_POSIX, path, &dir_len, &base, &base_len);
  if (dir_len == 0)
    return MKLINK_ENOFILE; /* in the current directory, which exists */
  if (dir_len >= sizeof parent)
    return MKLINK_ENAMETOOLONG;
  memcpy(parent, path, dir_len);
  parent[dir_len] = '\0';
  if (os_fstatat(AT_FDCWD, parent, &st, 0) != 0 || !S_ISDIR(st.st_mode))
    return MKLINK_ENOPATH;
  return MKLINK_ENOFILE;
}

/* A symbolic link's text resolved lexically against PATH's directory. */
static int resolve_text(const char *path, const char *text, char *out,
                        size_t outsz) {
  char dir[MKLINK__PATH_MAX];
  const char *base;
  size_t dir_len, base_len;
  int rc;
  if (mklink__path_is_absolute(MKLINK__PATH_POSIX, text))
    return mklink__path_absolute(MKLINK__PATH_POSIX, NULL, text, out, outsz);
  if ((rc = mklink__absolute(path, dir, sizeof dir)) != 0)
    return rc;
  mklink__path_split(MKLINK__PATH_POSIX, dir, &dir_len, &base, &base_len);
  dir[dir_len] = '\0';
  return mklink__path_absolute(MKLINK__PATH_POSIX, dir, text, out, outsz);
}

/* What the link at PATH leads to, following it to the end. */
static int describe_destination(const char *path, mklink_info *out) {
  struct stat st;
  if (os_fstatat(AT_FDCWD, path, &st, 0) == 0) {
    out->target_exists = 1;
    out->target_is_dir = S_ISDIR(st.st_mode) ? 1 : 0;
    return 0;
  }
  /* Dangling: missing, a file on the way, or a chain of links that loops. */
  if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP)
    return 0;
  return mklink__error(errno, MKLINK__CTX_PATH);
}

/* PATH is a link whose text readlink returned into out->target (N bytes). */
static int describe_link(const char *path, ssize_t n, mklink_info *out) {
  int rc;
  if ((size_t)n >= sizeof out->target)
    return MKLINK_ENAMETOOLONG;
  out->target[n] = '\0';
  if (mklink__is_junction_text(out->target)) {
    memmove(out->target, out->target + MKLINK__JUNCTION_MARK_LEN,
            (size_t)n - MKLINK__JUNCTION_MARK_LEN + 1);
    out->kind = MKLINK_JUNCTION;
  }
  rc = resolve_text(path, out->target, out->resolved, sizeof out->resolved);
  if (rc != 0)
    return rc;
  if ((rc = describe_destination(path, out)) != 0)
    return rc;
  if (out->kind != MKLINK_JUNCTION)
    out->kind = out->target_is_dir ? MKLINK_DIR_SYMLINK : MKLINK_FILE_SYMLINK;
  return 0;
}

int mklink__query(const char *path, mklink_info *out) {
  struct stat st;
  ssize_t n;
  /* No memset of the whole structure: it is 8 KiB and query is hot. */
  out->kind = MKLINK_NOT_LINK;
  out->target_exists = 0;
  out->target_is_dir = 0;
  out->nlink = 1;
  out->target[0] = '\0';
  out->resolved[0] = '\0';
  n = os_readlinkat(AT_FDCWD, path, out->target, sizeof out->target);
  if (n >= 0)
    return describe_link(path, n, out);
  if (errno != EINVAL)
    return mklink__lookup_error(path, errno);
  if (os_fstatat(AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW) != 0)
    return mklink__lookup_error(path, errno);
  if (S_ISLNK(st.st_mode)) {
    /* It became a link between the two calls: read it once more. */
    n = os_readlinkat(AT_FDCWD, path, out->target, sizeof out->target);
    if (n < 0)
      return mklink__error(errno, MKLINK__CTX_READLINK);
    return describe_link(path, n, out);
  }
  out->target_exists = 1;
  if (S_ISDIR(st.st_mode)) {
    out->target_is_dir = 1;
  } else {
    out->nlink = (unsigned long)st.st_nlink;
    if (st.st_nlink > 1)
      out->kind = MKLINK_HARDLINK;
  }
  return mklink__absolute(path, out->resolved, sizeof out->resolved);
}

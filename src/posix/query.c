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

/*
 * Give OUT its strings for the link PATH whose text (junction mark removed)
 * is TEXT, TLEN bytes: the text, and where the system goes for it from
 * PATH's directory (mklink__resolve: physically, so that ".." after a
 * symbolic link leads where the kernel leads).  One block holds both.
 */
static int link_strings(const char *path, const char *text, size_t tlen, mklink_info *out) {
  char joined[2 * MKLINK__PATH_MAX], *block;
  const char *base, *from = text;
  size_t dir_len, base_len;
  int rc;
  if (!mklink__path_is_absolute(MKLINK__PATH_POSIX, text)) {
    /* PATH names a link, so its last component is a name: the text is read
       from PATH's directory, reached by the names before it. */
    mklink__path_split(MKLINK__PATH_POSIX, path, &dir_len, &base, &base_len);
    if ((rc = mklink__path_join(MKLINK__PATH_POSIX, path, dir_len, text, joined,
                                sizeof joined)) != 0)
      return rc;
    from = joined;
  }
  if ((rc = mklink__resolve_path(from, 0, tlen + 1, &block)) != 0)
    return rc;
  memcpy(block, text, tlen);
  block[tlen] = '\0';
  out->target = block;
  out->resolved = block + tlen + 1;
  return 0;
}

/* OUT before anything is known of the name: KIND, one name, the target not
   looked at (the strings are the callers'). */
static void start_info(mklink_info *out, mklink_kind kind) {
  out->kind = kind;
  out->nlink = 1;
  out->target_checked = 0;
  out->target_exists = 0;
  out->target_is_dir = 0;
}

/* What the link NAME in DFD leads to, following it to the end. */
static int describe_destination(int dfd, const char *name, mklink_info *out) {
  struct stat st;
  out->target_checked = 1;
  if (os_fstatat(dfd, name, &st, 0) == 0) {
    out->target_exists = 1;
    out->target_is_dir = S_ISDIR(st.st_mode) ? 1 : 0;
    return 0;
  }
  /* Dangling: missing, a file on the way, or a chain of links that loops. */
  if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP)
    return 0;
  return mklink__error(errno, MKLINK__CTX_PATH);
}

int mklink__describe_link(int dfd, const char *name, const char *text, int follow,
                          mklink_info *out, size_t *skip) {
  int rc;
  *skip = 0;
  start_info(out, MKLINK_FILE_SYMLINK);
  if (mklink__is_junction_text(text)) {
    *skip = MKLINK__JUNCTION_MARK_LEN;
    out->kind = MKLINK_JUNCTION;
  }
  /* Following the link is the one way to know whether it dangles and, on
     POSIX where /D is not recorded, whether it is a directory link. */
  if (follow && (rc = describe_destination(dfd, name, out)) != 0)
    return rc;
  if (out->kind != MKLINK_JUNCTION && out->target_is_dir)
    out->kind = MKLINK_DIR_SYMLINK;
  return 0;
}

/* PATH is a link whose text readlink returned into TEXT (N bytes, of a
   buffer of MKLINK__PATH_MAX). */
static int describe_link(const char *path, char *text, ssize_t n, mklink_info *out) {
  size_t skip;
  int rc;
  if ((size_t)n >= MKLINK__PATH_MAX)
    return MKLINK_ENAMETOOLONG; /* longer than the system lets a link be */
  text[n] = '\0';
  if ((rc = mklink__describe_link(AT_FDCWD, path, text, 1, out, &skip)) != 0)
    return rc;
  return link_strings(path, text + skip, (size_t)n - skip, out);
}

/* A plain entry (or a hard link): its resolved path is PATH made absolute,
   as the system reaches it. */
static int describe_entry(const char *path, const struct stat *st, mklink_info *out) {
  char *block;
  int rc;
  out->target_checked = 1;
  out->target_exists = 1;
  if (S_ISDIR(st->st_mode)) {
    out->target_is_dir = 1;
  } else {
    out->nlink = (unsigned long)st->st_nlink;
    if (st->st_nlink > 1)
      out->kind = MKLINK_HARDLINK;
  }
  if ((rc = mklink__resolve_path(path, 0, 1, &block)) != 0)
    return rc;
  block[0] = '\0';
  out->target = block;
  out->resolved = block + 1;
  return 0;
}

int mklink__query(const char *path, mklink_info *out) {
  char text[MKLINK__PATH_MAX];
  struct stat st;
  ssize_t n;
  start_info(out, MKLINK_NOT_LINK);
  out->target = out->resolved = NULL;
  n = os_readlinkat(AT_FDCWD, path, text, sizeof text);
  if (n >= 0)
    return describe_link(path, text, n, out);
  if (errno != EINVAL)
    return mklink__lookup_error(path, errno);
  if (os_fstatat(AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW) != 0)
    return mklink__lookup_error(path, errno);
  if (S_ISLNK(st.st_mode)) {
    /* It became a link between the two calls: read it once more. */
    n = os_readlinkat(AT_FDCWD, path, text, sizeof text);
    if (n < 0)
      return mklink__error(errno, MKLINK__CTX_READLINK);
    return describe_link(path, text, n, out);
  }
  return describe_entry(path, &st, out);
}

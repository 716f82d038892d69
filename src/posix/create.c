/*
 * create.c -- mklink_create on POSIX.
 *
 * The common case costs exactly one system call (symlinkat or linkat): all
 * the text a link needs is prepared in memory first, and further lookups are
 * made only when a flag asks for them or to explain a failure.
 */
#include "posix.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What to create, prepared once and then made under one or two names. */
typedef struct request {
  mklink_kind kind;
  const char *target; /* hard link: the existing name                   */
  const char *text;   /* symbolic link or junction: the text to store    */
  int self;           /* the link would point at LINK itself             */
  char *owned;        /* TEXT when it was built here (malloc'ed), or NULL */
} request;

/* Follow TARGET to the end: it must exist (MKLINK_REQUIRE_TARGET). */
static int require(const char *target) {
  struct stat st;
  if (os_fstatat(AT_FDCWD, target, &st, 0) != 0)
    return mklink__error(errno, MKLINK__CTX_FILE);
  return 0;
}

/* A symbolic link's TEXT is resolved by the kernel from LINK's directory,
   through the names before it: so is it looked up here.  A directory and
   text too long together for one path are looked up from the directory
   opened (the link itself knows no such limit). */
static int require_from_link(const char *link, const char *text) {
  char path[MKLINK__PATH_MAX], dir[MKLINK__PATH_MAX];
  const char *base;
  size_t dir_len, base_len;
  struct stat st;
  int fd, rc;
  if (mklink__path_is_absolute(MKLINK__PATH_POSIX, text))
    return require(text);
  mklink__path_split(MKLINK__PATH_POSIX, link, &dir_len, &base, &base_len);
  rc = mklink__path_join(MKLINK__PATH_POSIX, link, dir_len, text, path, sizeof path);
  if (rc != MKLINK_ENAMETOOLONG)
    return rc != 0 ? rc : require(path);
  memcpy(dir, link, dir_len); /* dir_len > 0: TEXT alone fits */
  dir[dir_len] = '\0';
  if ((fd = os_openat(AT_FDCWD, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
    return mklink__error(errno, MKLINK__CTX_PATH);
  rc = os_fstatat(fd, text, &st, 0) == 0 ? 0 : mklink__error(errno, MKLINK__CTX_FILE);
  (void)os_close(fd);
  return rc;
}

/* MKLINK_RELATIVE: TARGET as seen from LINK's physical directory, the one
   the kernel will resolve the text from (ln -sr does the same); *OUT is
   malloc'ed. */
static int relative_text(const char *link, const char *target, char **out) {
  char *from = NULL, *to = NULL;
  const char *base;
  size_t dir_len, base_len, size;
  int rc;
  *out = NULL;
  if ((rc = mklink__physical_name(link, &from)) != 0 ||
      (rc = mklink__physical_name(target, &to)) != 0)
    goto out;
  mklink__path_split(MKLINK__PATH_POSIX, from, &dir_len, &base, &base_len);
  from[dir_len] = '\0';
  /* At most one "../" per byte of FROM, then TO. */
  size = 3 * dir_len + strlen(to) + 2;
  if ((*out = malloc(size)) == NULL) {
    rc = MKLINK_ENOMEM;
    goto out;
  }
  if ((rc = mklink__path_relative(MKLINK__PATH_POSIX, from, to, *out, size)) != 0) {
    free(*out);
    *out = NULL;
  }
out:
  free(from);
  free(to);
  return rc;
}

/* 1 if the directories of A and B (their first AN and BN bytes) are one
   directory, as the kernel resolves them (device and inode), 0 if not or
   if either is missing; -1 if that cannot be told here (resolve by name). */
static int same_dir(const char *a, size_t an, const char *b, size_t bn) {
  char buf[2][MKLINK__PATH_MAX];
  struct stat st[2];
  const char *p[2];
  size_t n[2], i;
  p[0] = a, n[0] = an, p[1] = b, n[1] = bn;
  for (i = 0; i < 2; i++) {
    if (n[i] >= sizeof buf[i])
      return -1;
    memcpy(buf[i], n[i] > 0 ? p[i] : ".", n[i] > 0 ? n[i] : 1);
    buf[i][n[i] > 0 ? n[i] : 1] = '\0';
    if (os_fstatat(AT_FDCWD, buf[i], &st[i], 0) != 0)
      return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
  }
  return st[0].st_dev == st[1].st_dev && st[0].st_ino == st[1].st_ino;
}

/*
 * 1 if a link at LINK storing TEXT (a symbolic link's text, resolved from
 * LINK's directory, or a junction's absolute target) would point at LINK
 * itself: such a link can only ever be a loop, and with MKLINK_REPLACE it
 * would destroy the good link it replaces.  Both are compared as the names
 * they are in their physical directories, as the kernel resolves them.
 * Only when the last components match are they looked at, so a plain
 * create makes no extra system call; a shared name (a manifest's
 * ~/.config/x -> dotfiles/x) costs a stat of each directory, and only a
 * "." or ".." at the end is resolved name by name.  Returns 1, 0 or a
 * MKLINK_E* code.
 */
static int points_to_itself(const char *link, const char *text) {
  char *joined = NULL, *from = NULL, *to = NULL;
  const char *lbase, *tbase;
  size_t ldir, llen, tdir, tlen, size;
  int rc, dots;
  mklink__path_split(MKLINK__PATH_POSIX, link, &ldir, &lbase, &llen);
  mklink__path_split(MKLINK__PATH_POSIX, text, &tdir, &tbase, &tlen);
  if (tlen == 0)
    return 0; /* the root is never a link */
  dots = tbase[0] == '.' && (tlen == 1 || (tlen == 2 && tbase[1] == '.'));
  if (!dots && (tlen != llen || memcmp(lbase, tbase, tlen) != 0))
    return 0;
  if (!mklink__path_is_absolute(MKLINK__PATH_POSIX, text)) {
    size = ldir + strlen(text) + 2;
    if ((joined = malloc(size)) == NULL)
      return MKLINK_ENOMEM;
    (void)mklink__path_join(MKLINK__PATH_POSIX, link, ldir, text, joined, size);
    text = joined;
    mklink__path_split(MKLINK__PATH_POSIX, text, &tdir, &tbase, &tlen);
  }
  if (!dots && (rc = same_dir(link, ldir, text, tdir)) != -1) {
    free(joined);
    return rc;
  }
  if ((rc = mklink__physical_name(link, &from)) == 0 &&
      (rc = mklink__physical_name(text, &to)) == 0)
    rc = strcmp(from, to) == 0;
  free(joined);
  free(from);
  free(to);
  return rc;
}

/* Note in RQ whether the link would point at LINK itself (see
   refuse_self()). */
static int check_self(request *rq, const char *link, const char *text) {
  int rc = points_to_itself(link, text);
  if (rc < 0)
    return rc;
  rq->self = rc;
  return 0;
}

/* A link to itself is never made: an existing LINK "already exists", as for
   any other target, except that MKLINK_REPLACE never swaps a link for a
   loop (MKLINK_ELOOP); a missing one would be a loop (MKLINK_ELOOP). */
static int refuse_self(const char *link, unsigned flags) {
  struct stat st;
  if (os_fstatat(AT_FDCWD, link, &st, AT_SYMLINK_NOFOLLOW) == 0 && !(flags & MKLINK_REPLACE))
    return MKLINK_EEXIST;
  return MKLINK_ELOOP;
}

static int prepare(request *rq, const char *link, const char *target,
                   mklink_kind kind, unsigned flags) {
  int rc;
  rq->kind = kind;
  rq->target = target;
  rq->text = target;
  rq->self = 0;
  rq->owned = NULL;
  if (kind == MKLINK_HARDLINK)
    return 0; /* linkat itself insists on an existing target */
  if (kind == MKLINK_JUNCTION) {
    if ((rc = mklink__junction_text(target, &rq->owned)) != 0)
      return rc;
    rq->text = rq->owned;
    if ((rc = check_self(rq, link, rq->text + MKLINK__JUNCTION_MARK_LEN)) != 0)
      return rc;
    if (flags & MKLINK_REQUIRE_TARGET)
      return require(rq->text + MKLINK__JUNCTION_MARK_LEN);
    return 0;
  }
  if (flags & MKLINK_RELATIVE) {
    if ((rc = relative_text(link, target, &rq->owned)) != 0)
      return rc;
    rq->text = rq->owned;
    if ((rc = check_self(rq, link, rq->text)) != 0)
      return rc;
    if (flags & MKLINK_REQUIRE_TARGET)
      return require_from_link(link, rq->text); /* where the link will lead */
    return 0;
  }
  if ((rc = check_self(rq, link, target)) != 0)
    return rc;
  if (flags & MKLINK_REQUIRE_TARGET)
    return require_from_link(link, target);
  return 0;
}

/* linkat's ENOENT is either a missing TARGET or a missing directory on the
   way to the new name: one lookup of TARGET tells them apart.  Its EPERM is a
   directory TARGET, a guarded file, or a file system without hard links. */
static int hardlink_error(const char *target, int errnum) {
  struct stat st;
  if (errnum == EPERM && os_fstatat(AT_FDCWD, target, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
      !S_ISDIR(st.st_mode))
    return mklink__hardlink_eperm(target); /* FAT: no hard links at all */
  if (errnum != ENOENT)
    return mklink__error(errnum, MKLINK__CTX_PATH);
  if (os_fstatat(AT_FDCWD, target, &st, AT_SYMLINK_NOFOLLOW) != 0)
    return mklink__error(errno, MKLINK__CTX_FILE);
  return MKLINK_ENOPATH;
}

static int make(const request *rq, const char *name) {
  if (rq->kind == MKLINK_HARDLINK) {
    if (os_linkat(AT_FDCWD, rq->target, AT_FDCWD, name, 0) == 0)
      return 0;
    return hardlink_error(rq->target, errno);
  }
  if (os_symlinkat(rq->text, AT_FDCWD, name) == 0)
    return 0;
  return mklink__error(errno, MKLINK__CTX_SYMLINK);
}

/* A name MKLINK_REPLACE may take over: removing it loses no data. */
static int is_replaceable(const struct stat *st) {
  if (S_ISLNK(st->st_mode))
    return 1;
  return !S_ISDIR(st->st_mode) && st->st_nlink > 1;
}

/* 1 if TARGET is the very file LINK already names, 0 if not. */
static int same_file(const char *target, const struct stat *link_st) {
  struct stat st;
  if (os_fstatat(AT_FDCWD, target, &st, AT_SYMLINK_NOFOLLOW) != 0)
    return mklink__error(errno, MKLINK__CTX_FILE);
  return st.st_dev == link_st->st_dev && st.st_ino == link_st->st_ino;
}

/*
 * LINK exists.  If it is a link, make the new one under a temporary name
 * beside it and rename that over LINK, so LINK always names a link.  The
 * temporary name is removed again on any failure.
 */
static int replace(const request *rq, const char *link, const struct stat *seen) {
  char *tmp = NULL;
  struct stat st;
  unsigned attempt;
  int rc, saved;
  if (seen != NULL)
    st = *seen;
  else if (os_fstatat(AT_FDCWD, link, &st, AT_SYMLINK_NOFOLLOW) != 0)
    return mklink__error(errno, MKLINK__CTX_PATH);
  if (!is_replaceable(&st))
    return MKLINK_EEXIST;
  /* rename() between two names of one file does nothing and would leave the
     temporary name behind; LINK already is what was asked for. */
  if (rq->kind == MKLINK_HARDLINK && (rc = same_file(rq->target, &st)) != 0)
    return rc < 0 ? rc : 0;
  rc = MKLINK_EEXIST;
  for (attempt = 0; attempt < MKLINK__TEMP_ATTEMPTS && rc == MKLINK_EEXIST; attempt++) {
    free(tmp);
    if ((rc = mklink__temp_name(link, "new", attempt, &tmp)) != 0)
      return rc;
    rc = make(rq, tmp);
  }
  if (rc == 0 && os_renameat(AT_FDCWD, tmp, AT_FDCWD, link) != 0) {
    saved = errno;
    (void)os_unlinkat(AT_FDCWD, tmp, 0);
    rc = mklink__error(saved, MKLINK__CTX_PATH);
  }
  free(tmp);
  return rc;
}

static int create_prepared(const request *rq, const char *link, unsigned flags) {
  struct stat st;
  int rc;
  /* MKLINK_REPLACE is asked for where LINK usually exists: looking first
     spares the create that would fail with EEXIST, so replacing costs lstat,
     create and rename (3 calls, not 4); a new name costs lstat and create. */
  if (flags & MKLINK_REPLACE) {
    if (os_fstatat(AT_FDCWD, link, &st, AT_SYMLINK_NOFOLLOW) == 0)
      return replace(rq, link, &st);
    if (errno != ENOENT)
      return mklink__error(errno, MKLINK__CTX_PATH);
  }
  rc = make(rq, link);
  if (rc == MKLINK_EEXIST && (flags & MKLINK_REPLACE))
    return replace(rq, link, NULL); /* made by another process meanwhile */
  return rc;
}

int mklink__create(const char *link, const char *target, mklink_kind kind,
                   unsigned flags) {
  request rq;
  int rc = prepare(&rq, link, target, kind, flags);
  if (rc == 0)
    rc = rq.self ? refuse_self(link, flags) : create_prepared(&rq, link, flags);
  free(rq.owned);
  return rc;
}

/*
 * walk.c -- mklink_walk on POSIX: directory descriptors all the way down.
 *
 * Every directory below DIR is opened relative to its parent's descriptor
 * with O_NOFOLLOW, so a link is never entered, even one swapped in for a
 * directory while the walk runs; the walk cannot loop, count twice or leave
 * the tree.  It is built to keep up with `find -type l`: the entry type comes
 * from readdir's d_type (no stat for ordinary entries), readlinkat runs only
 * for links, a link is followed only when the caller asks, and the one path
 * buffer is extended and cut back in place.
 */
#include "posix.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct walker {
  unsigned flags;
  mklink_walk_cb cb;
  void *arg;
  char *path;   /* DIR joined with the relative name, as reported        */
  size_t path_cap;
  char *abs;    /* the same place, absolute and normalised, for targets */
  size_t abs_cap;
  const char *top;  /* DIR as given                                       */
  size_t top_len;   /* W->abs's length at DIR; below it, real directories */
  char *phys_top;   /* DIR with no symbolic link in it, made when needed  */
  char *resolved; /* info.resolved's buffer, grown as needed             */
  size_t resolved_cap;
  mklink_info info;
  char text[MKLINK__PATH_MAX]; /* a link's text, as readlink gives it     */
#if defined(__linux__)
  char **bufs;  /* one getdents64 buffer per depth, reused by siblings */
  size_t nbufs;
#endif
};

#if defined(__linux__)
/* A getdents64 record (linux_dirent64). */
struct mklink__dirent64 {
  unsigned long long ino;
  long long off;
  unsigned short reclen;
  unsigned char type;
  char name[];
};
#define MKLINK__LIST_BUF 32768
#endif

/* Make room for LEN more bytes plus a separator and a NUL after USED. */
static int reserve(char **buf, size_t *cap, size_t used, size_t len) {
  size_t need = used + len + 2, cap2;
  char *grown;
  if (need <= *cap)
    return 0;
  for (cap2 = *cap > 0 ? *cap * 2 : 256; cap2 < need; cap2 *= 2)
    ;
  grown = realloc(*buf, cap2);
  if (grown == NULL)
    return MKLINK_ENOMEM;
  *buf = grown;
  *cap = cap2;
  return 0;
}

/* Append NAME to BUF (holding USED bytes); returns the new length. */
static size_t append(char *buf, size_t used, const char *name, size_t len) {
  if (used > 0 && buf[used - 1] != '/')
    buf[used++] = '/';
  memcpy(buf + used, name, len + 1);
  return used + len;
}

static int report_error(struct walker *w, int err) {
  mklink_walk_entry e;
  e.path = w->path;
  e.error = err;
  e.info = NULL;
  return w->cb(&e, w->arg);
}

static int report(struct walker *w) {
  mklink_walk_entry e;
  e.path = w->path;
  e.error = 0;
  e.info = &w->info;
  return w->cb(&e, w->arg);
}

/* What the link NAME in DFD leads to, following it to the end. */
static int describe_destination(struct walker *w, int dfd, const char *name) {
  struct stat st;
  w->info.target_checked = 1;
  w->info.target_exists = 0;
  w->info.target_is_dir = 0;
  if (os_fstatat(dfd, name, &st, 0) == 0) {
    w->info.target_exists = 1;
    w->info.target_is_dir = S_ISDIR(st.st_mode) ? 1 : 0;
    return 0;
  }
  /* Dangling: missing, a file on the way, or a chain of links that loops. */
  if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP)
    return 0;
  return mklink__error(errno, MKLINK__CTX_PATH);
}

/*
 * W->resolved: where the system goes for TEXT, read in directory DFD, which
 * is W->abs (ABS_LEN bytes) and DEPTH levels below DIR.  Lexically, as
 * fast as the rest of the walk, unless a ".." of TEXT follows one of its
 * names or climbs above DIR: the directories below DIR are real (the walk
 * enters no link), but those names and DIR's may be symbolic links, which
 * the kernel follows before it goes up (mklink__resolve).
 */
static int resolve_text(struct walker *w, int dfd, const char *text, size_t abs_len,
                        size_t depth) {
  char *base, *res;
  size_t up, len, n = strlen(text);
  int rc;
  if (!mklink__path_dotdots(MKLINK__PATH_POSIX, text, &up) && (text[0] == '/' || up <= depth)) {
    if ((rc = reserve(&w->resolved, &w->resolved_cap, abs_len, n)) != 0)
      return rc;
    return mklink__path_absolute(MKLINK__PATH_POSIX, w->abs, text, w->resolved,
                                 w->resolved_cap);
  }
  if (w->phys_top == NULL && (rc = mklink__resolve_path(w->top, 1, 0, &w->phys_top)) != 0)
    return rc;
  len = strlen(w->phys_top);
  if ((base = malloc(len + abs_len - w->top_len + 1)) == NULL)
    return MKLINK_ENOMEM;
  memcpy(base, w->phys_top, len);
  memcpy(base + len, w->abs + w->top_len, abs_len - w->top_len + 1);
  rc = mklink__resolve(base, dfd, text, 0, 0, &res);
  free(base);
  if (rc != 0)
    return rc;
  len = strlen(res);
  if ((rc = reserve(&w->resolved, &w->resolved_cap, 0, len)) == 0)
    memcpy(w->resolved, res, len + 1);
  free(res);
  return rc;
}

/* A symbolic link (or simulated junction) NAME in directory DFD, whose
   directory is W->abs (ABS_LEN bytes), DEPTH levels below DIR. */
static int visit_link(struct walker *w, int dfd, const char *name, size_t abs_len,
                      size_t depth) {
  mklink_info *info = &w->info;
  size_t skip = 0;
  ssize_t n;
  int rc;

  n = os_readlinkat(dfd, name, w->text, sizeof w->text);
  if (n < 0) /* gone or replaced since readdir: no longer a link here */
    return errno == ENOENT || errno == EINVAL ? 0 : report_error(w, mklink__error(errno, MKLINK__CTX_READLINK));
  if ((size_t)n >= sizeof w->text)
    return report_error(w, MKLINK_ENAMETOOLONG);
  w->text[n] = '\0';
  info->nlink = 1;
  info->kind = MKLINK_FILE_SYMLINK;
  if (mklink__is_junction_text(w->text)) {
    info->kind = MKLINK_JUNCTION;
    skip = MKLINK__JUNCTION_MARK_LEN;
  }
  /* Following the link is the one way to know whether it dangles and, on
     POSIX where /D is not recorded, whether it is a directory link; it
     costs a stat per link, so only when asked. */
  info->target_checked = 0;
  info->target_exists = 0;
  info->target_is_dir = 0;
  if (w->flags & (MKLINK_WALK_TARGETS | MKLINK_WALK_BROKEN)) {
    if ((rc = describe_destination(w, dfd, name)) != 0)
      return report_error(w, rc);
    if ((w->flags & MKLINK_WALK_BROKEN) && info->target_exists)
      return 0;
    if (info->kind == MKLINK_FILE_SYMLINK && info->target_is_dir)
      info->kind = MKLINK_DIR_SYMLINK;
  }
  info->target = w->text + skip;
  if ((rc = resolve_text(w, dfd, info->target, abs_len, depth)) != 0)
    return report_error(w, rc);
  info->resolved = w->resolved;
  return report(w);
}

/* A regular file NAME in DFD, reported when it has several names. */
static int visit_file(struct walker *w, int dfd, const char *name, size_t abs_len) {
  mklink_info *info = &w->info;
  size_t len = strlen(name);
  struct stat st;
  int rc;

  if (os_fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
    return errno == ENOENT ? 0 : report_error(w, mklink__error(errno, MKLINK__CTX_FILE));
  if (!S_ISREG(st.st_mode) || st.st_nlink < 2)
    return 0;
  if ((rc = reserve(&w->resolved, &w->resolved_cap, abs_len, len)) != 0)
    return report_error(w, rc);
  memcpy(w->resolved, w->abs, abs_len + 1);
  append(w->resolved, abs_len, name, len);
  info->kind = MKLINK_HARDLINK;
  info->target = "";
  info->resolved = w->resolved;
  info->target_checked = 1;
  info->target_exists = 1;
  info->target_is_dir = 0;
  info->nlink = (unsigned long)st.st_nlink;
  return report(w);
}

static int walk_dir(struct walker *w, int fd, size_t path_len, size_t abs_len, size_t depth);

/* Descend into the real directory NAME of DFD; a link is never opened. */
static int visit_dir(struct walker *w, int dfd, const char *name, size_t path_len,
                     size_t abs_len, size_t depth) {
  int fd = os_openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    /* Replaced by a link or removed since readdir: nothing to enter. */
    if (errno == ELOOP || errno == ENOTDIR || errno == ENOENT)
      return 0;
    return report_error(w, mklink__error(errno, MKLINK__CTX_PATH));
  }
  return walk_dir(w, fd, path_len, abs_len, depth);
}

static int entry_type(int dfd, const char *name, int type) {
  struct stat st;
  if (type != DT_UNKNOWN)
    return type;
  /* File systems without d_type: one lstat tells the same. */
  if (os_fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
    return DT_UNKNOWN;
  if (S_ISLNK(st.st_mode))
    return DT_LNK;
  if (S_ISDIR(st.st_mode))
    return DT_DIR;
  return S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
}

static int wanted(const struct walker *w, int type) {
  if (type == DT_LNK)
    return 1;
  if (type == DT_DIR)
    return (w->flags & MKLINK_WALK_RECURSIVE) != 0;
  /* A hard link is never dangling: --broken leaves files alone. */
  return type == DT_REG && (w->flags & MKLINK_WALK_HARDLINKS) && !(w->flags & MKLINK_WALK_BROKEN);
}

static int visit(struct walker *w, int dfd, const char *name, int d_type, size_t path_len,
                 size_t abs_len, size_t depth) {
  size_t len, plen, alen;
  int type, rc;

  if (name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0')))
    return 0;
  type = entry_type(dfd, name, d_type);
  if (!wanted(w, type))
    return 0;
  len = strlen(name);
  if ((rc = reserve(&w->path, &w->path_cap, path_len, len)) != 0 ||
      (rc = reserve(&w->abs, &w->abs_cap, abs_len, len)) != 0)
    return report_error(w, rc);
  plen = append(w->path, path_len, name, len);
  if (type == DT_LNK) {
    rc = visit_link(w, dfd, name, abs_len, depth);
  } else if (type == DT_REG) {
    rc = visit_file(w, dfd, name, abs_len);
  } else {
    alen = append(w->abs, abs_len, name, len);
    rc = visit_dir(w, dfd, name, plen, alen, depth + 1);
    w->abs[abs_len] = '\0';
  }
  w->path[path_len] = '\0';
  return rc;
}

#if defined(__linux__)
/* The listing buffer for DEPTH, made on first use. */
static char *level_buffer(struct walker *w, size_t depth) {
  if (depth >= w->nbufs) {
    size_t n = w->nbufs == 0 ? 16 : w->nbufs * 2;
    char **grown;
    while (n <= depth)
      n *= 2;
    grown = realloc(w->bufs, n * sizeof *grown);
    if (grown == NULL)
      return NULL;
    memset(grown + w->nbufs, 0, (n - w->nbufs) * sizeof *grown);
    w->bufs = grown;
    w->nbufs = n;
  }
  if (w->bufs[depth] == NULL)
    w->bufs[depth] = malloc(MKLINK__LIST_BUF);
  return w->bufs[depth];
}

/* Walk the directory open on FD (closed before returning); W->path and
   W->abs name it, with PATH_LEN and ABS_LEN bytes.  getdents64 straight
   into a buffer: no stream to set up (fdopendir costs an fstat and two
   fcntl per directory). */
static int walk_dir(struct walker *w, int fd, size_t path_len, size_t abs_len, size_t depth) {
  char *buf = level_buffer(w, depth);
  ssize_t n = 0, off;
  int rc = 0;

  if (buf == NULL) {
    os_close(fd);
    return report_error(w, MKLINK_ENOMEM);
  }
  while (rc == 0 && (n = os_getdents64(fd, buf, MKLINK__LIST_BUF)) > 0) {
    for (off = 0; off < n && rc == 0;) {
      const struct mklink__dirent64 *d = (const struct mklink__dirent64 *)(buf + off);
      off += d->reclen;
      rc = visit(w, fd, d->name, d->type, path_len, abs_len, depth);
    }
  }
  if (rc == 0 && n < 0)
    rc = report_error(w, mklink__error(errno, MKLINK__CTX_PATH));
  os_close(fd);
  return rc;
}
#else
/* Walk the directory open on FD (closed before returning); W->path and
   W->abs name it, with PATH_LEN and ABS_LEN bytes. */
static int walk_dir(struct walker *w, int fd, size_t path_len, size_t abs_len, size_t depth) {
  DIR *d = os_fdopendir(fd);
  struct dirent *e;
  int rc = 0;

  if (d == NULL) {
    rc = mklink__error(errno, MKLINK__CTX_PATH);
    os_close(fd);
    return report_error(w, rc);
  }
  for (;;) {
    errno = 0;
    if ((e = os_readdir(d)) == NULL)
      break;
    if ((rc = visit(w, dirfd(d), e->d_name, e->d_type, path_len, abs_len, depth)) != 0)
      break;
  }
  if (e == NULL && errno != 0)
    rc = report_error(w, mklink__error(errno, MKLINK__CTX_PATH));
  os_closedir(d);
  return rc;
}
#endif

static int open_top(const char *dir, int *fd) {
  struct stat st;
  /* DIR itself is followed if it is a link, as `dir LINK` lists the
     target; nothing below it ever is. */
  *fd = os_openat(AT_FDCWD, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (*fd >= 0)
    return 0;
  if (errno != ENOTDIR)
    return mklink__error(errno, MKLINK__CTX_PATH);
  /* A file, or a file on the way to DIR? */
  return os_fstatat(AT_FDCWD, dir, &st, 0) == 0 ? MKLINK_EINVAL : MKLINK_ENOPATH;
}

int mklink__walk(const char *dir, unsigned flags, mklink_walk_cb cb, void *arg) {
  struct walker *w = calloc(1, sizeof *w);
  size_t len = strlen(dir);
  int fd, rc;

  if (w == NULL)
    return MKLINK_ENOMEM;
  w->flags = flags;
  w->cb = cb;
  w->arg = arg;
  w->path_cap = len + MKLINK__PATH_MAX;
  w->path = malloc(w->path_cap);
  if (w->path == NULL) {
    rc = MKLINK_ENOMEM;
    goto out;
  }
  /* DIR as the system reaches it: its ".." physically, as below. */
  if ((rc = mklink__resolve_path(dir, 0, 0, &w->abs)) != 0)
    goto out;
  w->top = dir;
  w->top_len = strlen(w->abs);
  w->abs_cap = w->top_len + 1;
  if ((rc = open_top(dir, &fd)) != 0)
    goto out;
  memcpy(w->path, dir, len + 1);
  rc = walk_dir(w, fd, len, strlen(w->abs), 0);
out:
#if defined(__linux__)
  while (w->nbufs > 0)
    free(w->bufs[--w->nbufs]);
  free(w->bufs);
#endif
  free(w->path);
  free(w->abs);
  free(w->phys_top);
  free(w->resolved);
  free(w);
  return rc;
}

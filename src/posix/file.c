/*
 * file.c -- whole files and single directories on POSIX: the primitives the
 * composite operations (manifests, move) are planned over.  Each function is
 * one small step that either happens or leaves things as they were; the
 * plans in src/manifest decide the order and the journal.
 *
 * mklink__write_file_atomic is the classic write-temp-fsync-rename: the new
 * content is complete and on disk under a temporary name before one rename
 * puts it in place, and the directory is flushed so the rename survives a
 * power cut.  A reader (or a crash) sees the old file or the new one.
 */
#include "posix.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int read_all(int fd, char **data, size_t *len) {
  struct stat st;
  size_t cap, used = 0;
  char *buf, *grown;
  ssize_t n;
  if (os_fstat(fd, &st) != 0)
    return mklink__error(errno, MKLINK__CTX_FILE);
  cap = st.st_size > 0 ? (size_t)st.st_size + 1 : 4096;
  if ((buf = malloc(cap)) == NULL)
    return MKLINK_ENOMEM;
  for (;;) {
    if (used + 1 >= cap) {
      if ((grown = realloc(buf, cap * 2)) == NULL) {
        free(buf);
        return MKLINK_ENOMEM;
      }
      buf = grown;
      cap *= 2;
    }
    n = os_read(fd, buf + used, cap - used - 1);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      int rc = mklink__error(errno, MKLINK__CTX_FILE);
      free(buf);
      return rc;
    }
    if (n == 0)
      break;
    used += (size_t)n;
  }
  buf[used] = '\0';
  *data = buf;
  *len = used;
  return 0;
}

int mklink__read_file(const char *path, char **data, size_t *len) {
  int fd, rc;
  *data = NULL;
  *len = 0;
  fd = os_openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    return mklink__lookup_error(path, errno);
  rc = read_all(fd, data, len);
  (void)os_close(fd);
  return rc;
}

int mklink__write_all(int fd, const char *data, size_t len) {
  ssize_t n;
  while (len > 0) {
    n = os_write(fd, data, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return mklink__error(errno, MKLINK__CTX_PATH);
    data += n;
    len -= (size_t)n;
  }
  return 0;
}

/* Flush the directory that holds PATH, so a rename into it is durable. */
static int sync_parent(const char *path) {
  char dir[MKLINK__PATH_MAX];
  const char *base;
  size_t dir_len, base_len;
  mklink__path_split(MKLINK__PATH_POSIX, path, &dir_len, &base, &base_len);
  if (dir_len == 0) {
    dir[0] = '.';
    dir_len = 1;
  } else if (dir_len >= sizeof dir) {
    return MKLINK_ENAMETOOLONG;
  } else {
    memcpy(dir, path, dir_len);
  }
  dir[dir_len] = '\0';
  return mklink__sync_dir(dir);
}

/* Write DATA to the new file FD (TMP), flush it, rename it over PATH and
   flush the directory; a failure removes TMP. */
static int commit_temp(int fd, const char *tmp, const char *path, const char *data,
                       size_t len) {
  int rc = mklink__write_all(fd, data, len);
  if (rc == 0 && os_fsync(fd) != 0)
    rc = mklink__error(errno, MKLINK__CTX_PATH);
  if (os_close(fd) != 0 && rc == 0)
    rc = mklink__error(errno, MKLINK__CTX_PATH);
  if (rc == 0 && os_renameat(AT_FDCWD, tmp, AT_FDCWD, path) != 0)
    rc = mklink__error(errno, MKLINK__CTX_PATH);
  if (rc != 0)
    (void)os_unlinkat(AT_FDCWD, tmp, 0);
  return rc != 0 ? rc : sync_parent(path);
}

#define TEMP_FLAGS (O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW)

int mklink__write_file_atomic(const char *path, const char *data, size_t len) {
  char *tmp = NULL;
  unsigned attempt;
  int fd = -1, rc;
  for (attempt = 0; attempt < MKLINK__TEMP_ATTEMPTS; attempt++) {
    free(tmp);
    if ((rc = mklink__temp_name(path, "write", attempt, &tmp)) != 0)
      return rc;
    fd = os_openat(AT_FDCWD, tmp, TEMP_FLAGS, 0600);
    if (fd >= 0 || errno != EEXIST)
      break;
  }
  if (fd < 0) {
    rc = errno == EEXIST ? MKLINK_EEXIST : mklink__error(errno, MKLINK__CTX_PATH);
    free(tmp);
    return rc;
  }
  rc = commit_temp(fd, tmp, path, data, len);
  free(tmp);
  return rc;
}

int mklink__write_file_via(const char *path, const char *tmp, const char *data, size_t len) {
  int fd;
  if (os_unlinkat(AT_FDCWD, tmp, 0) != 0 && errno != ENOENT)
    return mklink__error(errno, MKLINK__CTX_PATH);
  if ((fd = os_openat(AT_FDCWD, tmp, TEMP_FLAGS, 0600)) < 0)
    return mklink__error(errno, MKLINK__CTX_PATH);
  return commit_temp(fd, tmp, path, data, len);
}

int mklink__remove_file(const char *path) {
  if (os_unlinkat(AT_FDCWD, path, 0) != 0)
    return mklink__lookup_error(path, errno);
  return 0;
}

int mklink__make_dir(const char *path, unsigned mode) {
  if (os_mkdirat(AT_FDCWD, path, (mode_t)mode) != 0)
    return mklink__error(errno, MKLINK__CTX_PATH);
  return 0;
}

int mklink__remove_dir(const char *path) {
  if (os_unlinkat(AT_FDCWD, path, AT_REMOVEDIR) != 0) {
    if (errno == EEXIST)
      errno = ENOTEMPTY; /* some systems say EEXIST for a non-empty directory */
    return errno == ENOENT ? mklink__lookup_error(path, errno)
                           : mklink__error(errno, MKLINK__CTX_PATH);
  }
  return 0;
}

int mklink__rename_new(const char *from, const char *to) {
  struct stat st;
  /* POSIX rename replaces; "only if TO is free" is checked just before (the
     names are ones the plan chose and journalled, in the user's own tree). */
  if (os_fstatat(AT_FDCWD, to, &st, AT_SYMLINK_NOFOLLOW) == 0)
    return MKLINK_EEXIST;
  if (errno != ENOENT)
    return mklink__error(errno, MKLINK__CTX_PATH);
  if (os_renameat(AT_FDCWD, from, AT_FDCWD, to) != 0)
    return errno == ENOENT ? mklink__lookup_error(from, errno)
                           : mklink__error(errno, MKLINK__CTX_PATH);
  return 0;
}

static int type_of_mode(mode_t mode) {
  if (S_ISREG(mode))
    return MKLINK__NODE_FILE;
  if (S_ISDIR(mode))
    return MKLINK__NODE_DIR;
  if (S_ISLNK(mode))
    return MKLINK__NODE_LINK;
  return MKLINK__NODE_OTHER;
}

int mklink__node_type(const char *path, int follow, int *type) {
  struct stat st;
  *type = MKLINK__NODE_NONE;
  if (os_fstatat(AT_FDCWD, path, &st, follow ? 0 : AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT || errno == ENOTDIR || (follow && errno == ELOOP))
      return 0;
    return mklink__error(errno, MKLINK__CTX_PATH);
  }
  *type = type_of_mode(st.st_mode);
  /* A simulated junction is a symbolic link too: MKLINK__NODE_LINK. */
  return 0;
}

int mklink__link_text(const char *path, mklink_kind *kind, char **text) {
  char buf[MKLINK__PATH_MAX];
  ssize_t n = os_readlinkat(AT_FDCWD, path, buf, sizeof buf);
  *kind = MKLINK_NOT_LINK;
  *text = NULL;
  if (n < 0)
    return errno == EINVAL ? 0 : mklink__lookup_error(path, errno);
  if ((size_t)n >= sizeof buf)
    return MKLINK_ENAMETOOLONG;
  buf[n] = '\0';
  *kind = MKLINK_FILE_SYMLINK;
  if (mklink__is_junction_text(buf)) {
    *kind = MKLINK_JUNCTION;
    return (*text = mklink__strdup(buf + MKLINK__JUNCTION_MARK_LEN)) != NULL ? 0 : MKLINK_ENOMEM;
  }
  return (*text = mklink__strdup(buf)) != NULL ? 0 : MKLINK_ENOMEM;
}

int mklink__same_file(const char *link, const char *target) {
  struct stat a, b;
  if (os_fstatat(AT_FDCWD, link, &a, AT_SYMLINK_NOFOLLOW) != 0 ||
      os_fstatat(AT_FDCWD, target, &b, 0) != 0)
    return 0;
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* The environment is read, never written, by the library: getenv is the
   C library's, not a system call, so it is not in the table. */
int mklink__getenv(const char *name, char **out) {
  const char *v = getenv(name);
  *out = NULL;
  if (v == NULL)
    return MKLINK_ENOFILE;
  return (*out = mklink__strdup(v)) != NULL ? 0 : MKLINK_ENOMEM;
}

int mklink__home_dir(char **out) {
  int rc = mklink__getenv("HOME", out);
  if (rc == 0 && (*out)[0] == '\0') {
    free(*out);
    *out = NULL;
    return MKLINK_ENOPATH;
  }
  return rc == MKLINK_ENOFILE ? MKLINK_ENOPATH : rc;
}

int mklink__current_dir(char **out) {
  char buf[MKLINK__PATH_MAX];
  *out = NULL;
  if (os_getcwd(buf, sizeof buf) == NULL)
    return mklink__error(errno, MKLINK__CTX_PATH);
  return (*out = mklink__strdup(buf)) != NULL ? 0 : MKLINK_ENOMEM;
}

/* Make every missing directory of absolute PATH (mkdir -p), 0700 as the XDG
   specification asks of the state directory. */
static int make_dirs(char *path) {
  char *p;
  int rc;
  for (p = path + 1;; p++) {
    if (*p != '/' && *p != '\0')
      continue;
    {
      char saved = *p;
      *p = '\0';
      rc = os_mkdirat(AT_FDCWD, path, 0700) == 0 || errno == EEXIST
               ? 0
               : mklink__error(errno, MKLINK__CTX_PATH);
      *p = saved;
    }
    if (rc != 0)
      return rc;
    if (*p == '\0')
      return 0;
  }
}

int mklink__state_dir(int create, char **out) {
  char *base = NULL, *path;
  const char *suffix = "/mklink";
  size_t n;
  int rc = mklink__getenv("XDG_STATE_HOME", &base);
  *out = NULL;
  /* The XDG specification: a relative value is invalid and ignored. */
  if (rc == 0 && base[0] != '/') {
    free(base);
    base = NULL;
    rc = MKLINK_ENOFILE;
  }
  if (rc == MKLINK_ENOFILE) {
    if ((rc = mklink__home_dir(&base)) != 0)
      return rc;
    suffix = "/.local/state/mklink";
  } else if (rc != 0) {
    return rc;
  }
  n = strlen(base) + strlen(suffix) + 1;
  if ((path = malloc(n)) == NULL) {
    free(base);
    return MKLINK_ENOMEM;
  }
  memcpy(path, base, strlen(base));
  memcpy(path + strlen(base), suffix, strlen(suffix) + 1);
  free(base);
  if (create && (rc = make_dirs(path)) != 0) {
    free(path);
    return rc;
  }
  *out = path;
  return 0;
}

/*
 * remove_tree.c -- mklink_remove_tree on POSIX: delete a directory tree
 * without ever following a link and without ever walking up.
 *
 * Every name is resolved relative to a descriptor of the directory that holds
 * it (fstatat, openat, unlinkat), so no path is resolved twice.  A directory
 * is entered only through openat(O_NOFOLLOW | O_DIRECTORY), and only if what
 * opened is the directory just looked at (same device and inode): a directory
 * swapped for a symbolic link -- or a simulated junction, which is one --
 * between the look and the open makes the open fail or the check fail, and
 * the entry is looked at again and removed as the link it now is.  A
 * directory on another device below the top (a mount point) is never entered:
 * MKLINK_EBUSY.  (A bind mount of the same file system has the same device
 * and is walked like any directory.)
 *
 * The walk never opens "..".  Going back up uses a descriptor kept from the
 * way down, so the walk can only ever reach directories it entered from the
 * top.  To bound the descriptors, the top's directory and the TREE_OPEN_MAX
 * deepest levels stay open; a level whose descriptor was closed is reopened
 * downward from the top by the names recorded on the way down, checking device
 * and inode at every step.  If a check fails, that directory was moved or
 * replaced: the levels below the last good one are forgotten and that one is
 * listed again, so whatever took the moved directory's place is handled as a
 * new entry (a link is removed as a link).
 *
 * Someone racing the walk (refilling directories, swapping names) can make it
 * go round again; after TREE_RACE_MAX such retries it gives up with
 * MKLINK_EBUSY rather than loop forever.
 */
#include "posix.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Directory descriptors kept open below the top, whatever the depth. */
#define TREE_OPEN_MAX 32
#define TREE_RACE_MAX 100000

#define TREE_OPEN_FLAGS (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)

/* Outcomes besides 0 and MKLINK_E* codes. */
enum {
  TREE_GONE = 0,     /* the entry is removed (or was already gone)          */
  TREE_DESCEND = 1,  /* a real subdirectory was pushed: empty it first      */
  TREE_DONE = 2,     /* the listing of a directory reached its end          */
  TREE_MOVED = 3,    /* a directory failed its check: look again            */
  TREE_REFILLED = 4  /* a directory was not empty after all: list it again  */
};

typedef struct tree_frame {
  DIR *dir; /* NULL while closed */
  dev_t dev;
  ino_t ino;
  char name[NAME_MAX + 1]; /* this directory's name in its parent */
} tree_frame;

/* frames[0] is the top and always open; frames[1 .. lo-1] are closed and
   frames[lo .. depth-1] open.  frames[depth-1] is being emptied. */
typedef struct tree_walk {
  tree_frame *frames;
  size_t depth;
  size_t cap;
  size_t lo;
  unsigned races;
} tree_walk;

/* Every entry the walk touches existed when looked at. */
static int tree_error(int errnum) { return mklink__error(errnum, MKLINK__CTX_FILE); }

static int raced(tree_walk *w) { return ++w->races > TREE_RACE_MAX ? MKLINK_EBUSY : 0; }

static int is_dot_or_dotdot(const char *name) {
  return name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'));
}

static int same_dir(const struct stat *st, dev_t dev, ino_t ino) {
  return S_ISDIR(st->st_mode) && st->st_dev == dev && st->st_ino == ino;
}

/* Open directory NAME of FD as a stream if it still is the directory DEV/INO.
   Returns 0 with *OUT set, TREE_MOVED if NAME is now something else (or
   nothing), or a MKLINK_E* code. */
static int open_dir_checked(int fd, const char *name, dev_t dev, ino_t ino, DIR **out) {
  struct stat st;
  int err;
  int cfd = os_openat(fd, name, TREE_OPEN_FLAGS);
  if (cfd < 0) {
    if (errno == ELOOP || errno == ENOTDIR || errno == ENOENT)
      return TREE_MOVED;
    return tree_error(errno);
  }
  if (os_fstat(cfd, &st) != 0) {
    err = errno;
    os_close(cfd);
    return tree_error(err);
  }
  if (!same_dir(&st, dev, ino)) {
    os_close(cfd);
    return TREE_MOVED;
  }
  *out = os_fdopendir(cfd);
  if (*out == NULL) {
    err = errno;
    os_close(cfd);
    return tree_error(err);
  }
  return 0;
}

static void close_frame(tree_frame *f) {
  if (f->dir != NULL)
    os_closedir(f->dir);
  f->dir = NULL;
}

/* Forget frames[keep ..], closing what is open. */
static void drop_frames(tree_walk *w, size_t keep) {
  while (w->depth > keep)
    close_frame(&w->frames[--w->depth]);
  if (w->lo > w->depth)
    w->lo = w->depth > 0 ? w->depth : 1;
}

/* Push the open directory DIR, entry NAME described by ST.  On failure DIR is
   closed. */
static int push_frame(tree_walk *w, const char *name, const struct stat *st, DIR *dir) {
  tree_frame *f;
  size_t len = strlen(name);
  if (len > NAME_MAX) {
    os_closedir(dir);
    return MKLINK_ENAMETOOLONG;
  }
  if (w->depth == w->cap) {
    size_t cap = w->cap > 0 ? w->cap * 2 : 16;
    tree_frame *grown = realloc(w->frames, cap * sizeof *grown);
    if (grown == NULL) {
      os_closedir(dir);
      return MKLINK_ENOMEM;
    }
    w->frames = grown;
    w->cap = cap;
  }
  f = &w->frames[w->depth++];
  f->dir = dir;
  f->dev = st->st_dev;
  f->ino = st->st_ino;
  memcpy(f->name, name, len + 1);
  if (w->depth - w->lo > TREE_OPEN_MAX)
    close_frame(&w->frames[w->lo++]);
  return 0;
}

/*
 * Make frames[idx] open.  A closed level is reopened downward from the top by
 * recorded names, each step checked; the TREE_OPEN_MAX / 2 levels ending at
 * IDX stay open, so going further up costs nothing for a while.  Returns 0,
 * TREE_MOVED (the frames from the first level that failed its check are
 * dropped and the level above it is to be listed again), or a MKLINK_E*
 * code.
 */
static int open_frame(tree_walk *w, size_t idx) {
  size_t keep_from, i;
  int rc = 0;
  if (idx == 0 || idx >= w->lo)
    return 0;
  keep_from = idx + 1 > TREE_OPEN_MAX / 2 ? idx + 1 - TREE_OPEN_MAX / 2 : 1;
  for (i = 1; i <= idx; i++) {
    tree_frame *parent = &w->frames[i - 1];
    tree_frame *f = &w->frames[i];
    rc = open_dir_checked(dirfd(parent->dir), f->name, f->dev, f->ino, &f->dir);
    if (rc != 0)
      break;
    if (i - 1 > 0 && i - 1 < keep_from)
      close_frame(parent);
  }
  if (rc == 0) {
    w->lo = keep_from;
    return 0;
  }
  /* frames[i - 1] is open (the top, or reopened just now). */
  w->lo = i - 1 == 0 ? 1 : (i - 1 >= keep_from ? keep_from : i - 1);
  drop_frames(w, i);
  if (rc < 0)
    return rc;
  os_rewinddir(w->frames[i - 1].dir);
  rc = raced(w);
  return rc < 0 ? rc : TREE_MOVED;
}

/* Remove entry NAME of directory PFD if it is not a real directory; for a
   real directory, push a frame for it (TREE_DESCEND). */
static int remove_entry(tree_walk *w, int pfd, const char *name) {
  struct stat st;
  DIR *dir;
  int rc;
  for (;;) {
    if (os_fstatat(pfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
      return errno == ENOENT ? TREE_GONE : tree_error(errno);
    if (!S_ISDIR(st.st_mode)) {
      /* A link of any kind, a file, a socket...: removed as a name. */
      if (os_unlinkat(pfd, name, 0) == 0 || errno == ENOENT)
        return TREE_GONE;
      if (errno != EISDIR && errno != EPERM)
        return tree_error(errno);
      /* EISDIR: it was a directory at that instant (swapped, maybe back
         since).  EPERM: that, or a real refusal if it still is no
         directory. */
      rc = errno;
      if (rc == EPERM && os_fstatat(pfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
          !S_ISDIR(st.st_mode))
        return tree_error(rc);
    } else {
      if (st.st_dev != w->frames[0].dev)
        return MKLINK_EBUSY; /* a mount point: never walk into another volume */
      rc = open_dir_checked(pfd, name, st.st_dev, st.st_ino, &dir);
      if (rc < 0)
        return rc;
      if (rc == 0) {
        rc = push_frame(w, name, &st, dir);
        return rc < 0 ? rc : TREE_DESCEND;
      }
    }
    /* The entry changed between the look and the act: look again. */
    rc = raced(w);
    if (rc < 0)
      return rc;
  }
}

/* Remove what the deepest frame's directory holds, up to its first real
   subdirectory (TREE_DESCEND) or to its end (TREE_DONE). */
static int clear_frame(tree_walk *w) {
  DIR *dir = w->frames[w->depth - 1].dir;
  struct dirent *de;
  int rc;
  for (;;) {
    errno = 0;
    de = os_readdir(dir);
    if (de == NULL)
      return errno != 0 ? tree_error(errno) : TREE_DONE;
    if (is_dot_or_dotdot(de->d_name))
      continue;
    rc = remove_entry(w, dirfd(dir), de->d_name);
    if (rc != TREE_GONE)
      return rc;
  }
}

/* Remove the emptied directory F from directory PFD if F's name still names
   it.  A name that now names something else is left to the parent's next
   listing.  Returns TREE_GONE, TREE_REFILLED or a MKLINK_E* code. */
static int remove_emptied(tree_walk *w, int pfd, const tree_frame *f) {
  struct stat st;
  int rc;
  if (os_fstatat(pfd, f->name, &st, AT_SYMLINK_NOFOLLOW) != 0)
    return errno == ENOENT ? TREE_GONE : tree_error(errno);
  if (!same_dir(&st, f->dev, f->ino))
    return TREE_GONE;
  if (os_unlinkat(pfd, f->name, AT_REMOVEDIR) == 0 || errno == ENOENT || errno == ENOTDIR)
    return TREE_GONE;
  if (errno != ENOTEMPTY && errno != EEXIST)
    return tree_error(errno);
  rc = raced(w);
  return rc < 0 ? rc : TREE_REFILLED;
}

/* Empty the tree of frames[0] and every directory below it, removing each
   subdirectory once empty; returns when frames[0] is (as listed) empty. */
static int walk(tree_walk *w) {
  int rc;
  for (;;) {
    tree_frame *f;
    rc = clear_frame(w);
    if (rc < 0)
      return rc;
    if (rc == TREE_DESCEND)
      continue;
    if (w->depth == 1)
      return 0;
    rc = open_frame(w, w->depth - 2);
    if (rc < 0)
      return rc;
    if (rc == TREE_MOVED)
      continue;
    f = &w->frames[w->depth - 1];
    rc = remove_emptied(w, dirfd(w->frames[w->depth - 2].dir), f);
    if (rc < 0)
      return rc;
    if (rc == TREE_REFILLED) {
      os_rewinddir(f->dir);
      continue;
    }
    drop_frames(w, w->depth - 1);
  }
}

/* Remove directory NAME of PARENTFD, which ST describes, and its tree. */
static int remove_dir_tree(tree_walk *w, int parentfd, const char *name,
                           const struct stat *st) {
  DIR *dir;
  int rc = open_dir_checked(parentfd, name, st->st_dev, st->st_ino, &dir);
  if (rc != 0)
    return rc;
  rc = push_frame(w, name, st, dir);
  if (rc < 0)
    return rc;
  for (;;) {
    rc = walk(w);
    if (rc < 0)
      return rc;
    rc = remove_emptied(w, parentfd, &w->frames[0]);
    if (rc != TREE_REFILLED)
      return rc;
    os_rewinddir(w->frames[0].dir);
  }
}

/* Remove NAME of PARENTFD: a link as a link, a directory as a tree. */
static int remove_top(tree_walk *w, int parentfd, const char *name) {
  struct stat st;
  int rc;
  for (;;) {
    if (os_fstatat(parentfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
      return errno == ENOENT ? MKLINK_ENOFILE : tree_error(errno);
    if (S_ISDIR(st.st_mode)) {
      rc = remove_dir_tree(w, parentfd, name, &st);
      if (rc != TREE_MOVED)
        return rc;
    } else {
      /* Not a tree: as mklink_remove, only a link goes, never the last
         name of a file. */
      if (!S_ISLNK(st.st_mode) && st.st_nlink < 2)
        return MKLINK_ELASTNAME;
      if (os_unlinkat(parentfd, name, 0) == 0)
        return 0;
      if (errno != ENOENT && errno != EISDIR && errno != EPERM)
        return tree_error(errno);
      rc = errno;
      if (rc == EPERM && os_fstatat(parentfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
          !S_ISDIR(st.st_mode))
        return tree_error(rc);
    }
    rc = raced(w);
    if (rc < 0)
      return rc;
  }
}

/* Split PATH into its parent directory (opened) and its last name, trailing
   slashes ignored: "a/b/" names "b" in "a", so a trailing slash never makes a
   link to a directory count as the directory. */
static int open_parent(const char *path, int *parentfd, char *name) {
  size_t len = strlen(path);
  size_t start;
  char *dir;
  while (len > 1 && path[len - 1] == '/')
    len--;
  start = len;
  while (start > 0 && path[start - 1] != '/')
    start--;
  if (start == len)
    return MKLINK_EINVAL; /* "/": never the root */
  if (len - start > NAME_MAX)
    return MKLINK_ENAMETOOLONG;
  memcpy(name, path + start, len - start);
  name[len - start] = '\0';
  if (is_dot_or_dotdot(name))
    return MKLINK_EINVAL; /* as rmdir(2): "." and ".." are not names */
  if (start == 0) {
    *parentfd = AT_FDCWD;
    return 0;
  }
  dir = malloc(start + 1);
  if (dir == NULL)
    return MKLINK_ENOMEM;
  memcpy(dir, path, start);
  dir[start] = '\0';
  *parentfd = os_openat(AT_FDCWD, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  free(dir);
  if (*parentfd < 0)
    return mklink__error(errno, MKLINK__CTX_PATH);
  return 0;
}

int mklink__remove_tree(const char *path) {
  tree_walk w = {NULL, 0, 0, 1, 0};
  char name[NAME_MAX + 1];
  int parentfd;
  int rc = open_parent(path, &parentfd, name);
  if (rc < 0)
    return rc;
  rc = remove_top(&w, parentfd, name);
  drop_frames(&w, 0);
  free(w.frames);
  if (parentfd != AT_FDCWD)
    os_close(parentfd);
  return rc;
}

/*
 * tree.c -- the tree walk engine on POSIX (src/common/tree.h has the
 * interface and the race-safety rules).
 *
 * Design note.  Each directory of the current path is a frame on a heap
 * stack: its listing, read whole when the directory is entered (Linux:
 * getdents64 straight into one arena shared by every level, so a deep chain
 * of small directories costs a few bytes a level, not a buffer), the length
 * of its path, and its identity (device, inode) from the statx that also
 * tells whether it is the root of a mount.  Entries are handed out from the
 * listing; everything done to one goes through the descriptor of the
 * directory that holds it.
 *
 * Descriptors: the top's (and, when TOP is an entry, its parent's, opened
 * O_PATH so a directory we may write but not read, mode 300, works as for
 * `rm -r`) stay open; of the levels below, only the MKLINK__TREE_OPEN_MAX
 * deepest do.  Going back up into a level whose descriptor was given back
 * opens ".." of the level below -- and uses it only if its device and inode
 * are the recorded ones.  If they are not, the directory was moved: the
 * walk reopens downward from the nearest level it still holds, by the
 * recorded names, each checked; a level that fails is abandoned (LEAVE with
 * MKLINK_EBUSY for it and what was below it).  Each level is thus opened at
 * most twice on the way (down, and up once), so the walk is linear in the
 * depth, and the walk never acts in a directory it did not enter from the
 * top.  Running out of descriptors (EMFILE) gives back the shallowest open
 * level and tries again, down to one open level.
 *
 * Mount points (never entered): statx's STATX_ATTR_MOUNT_ROOT on the opened
 * directory (Linux 5.8), which bind mounts of the same file system have
 * too.  Where the kernel does not report it (older kernels, other systems)
 * the fallback is a device other than the parent's plus the mount points
 * listed in /proc/self/mountinfo, compared by device and inode; without
 * /proc only the device check is left (a bind mount of the same file system
 * then goes unnoticed: docs/semantics.md).
 */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE /* O_PATH, AT_EMPTY_PATH */
#endif
#include "posix.h"

#include "tree.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/sysmacros.h> /* makedev */
#endif

#ifndef O_PATH
#define O_PATH O_RDONLY /* a directory readable, then; mode 300 fails */
#endif
#if defined(__linux__)
#ifndef STATX_ATTR_MOUNT_ROOT
#define STATX_ATTR_MOUNT_ROOT 0x00002000
#endif
#ifndef AT_NO_AUTOMOUNT
#define AT_NO_AUTOMOUNT 0x800
#endif
#endif

/* Directory levels kept open below the top, whatever the depth. */
#define MKLINK__TREE_OPEN_MAX 8
/* Room a listing read asks for at least. */
#define LIST_CHUNK 32768
#define DIR_FLAGS (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)

/* One listed entry, laid out as Linux's getdents64 writes it. */
typedef struct rec {
  unsigned long long ino;
  long long off;
  unsigned short reclen;
  unsigned char type;
  char name[];
} rec;

typedef struct frame {
  int fd; /* -1 while given back */
  dev_t dev;
  ino_t ino;
  size_t path_len;              /* this directory's path in t->path      */
  size_t list_start, list_end;  /* its listing in t->arena               */
  size_t pos;                   /* the next record to hand out           */
  size_t rec;                   /* its own record, in its parent's listing */
  unsigned long serial;         /* pushed as the walk's SERIAL-th frame  */
} frame;

/* How mount points are told apart (see the opening comment). */
enum { MOUNT_UNKNOWN = 0, MOUNT_STATX, MOUNT_FALLBACK };

typedef struct mount_id {
  dev_t dev;
  ino_t ino;
} mount_id;

struct mklink__tree {
  unsigned flags;
  frame *frames;
  size_t depth, cap;
  size_t lo;       /* frames[1 .. lo-1] are all given back              */
  size_t nopen;    /* open frames besides frames[0]                      */
  size_t open_max;
  size_t abandon;  /* non-zero: frames[abandon ..] are lost (rule 4)     */
  size_t depth_base;
  char *arena;
  size_t arena_len, arena_cap;
  char *path;
  size_t path_cap;
  size_t top_len;  /* TOP's length in path                              */
  char *link;      /* mklink__tree_readlink's buffer                     */
  size_t link_cap;
  char *abs;       /* TOP made absolute, on first need                   */
  size_t abs_cap, abs_top;
  int abs_normal;  /* abs is normal, so is every entry_dir (names only
                      are added to it)                                   */
  char *dir;       /* the current entry's directory, absolute (entry_dir) */
  size_t dir_cap;
  unsigned long dir_serial; /* ... of the frame with this serial           */
  int dir_depth0;
  unsigned long serial;     /* frames pushed so far, to tell them apart    */
  char *phys_top;  /* TOP with no symbolic link in it, made when needed   */
  char *resolved;  /* mklink__tree_describe's resolved path              */
  size_t resolved_cap;
  int mount_mode;
  mount_id *mounts; /* the fallback's mount points, sorted, on first need */
  size_t nmounts;
  int mounts_loaded;
  mklink__tree_entry cur;
  size_t cur_frame; /* the frame whose listing holds the current entry   */
  size_t cur_rec;
};

/* ---- small helpers ------------------------------------------------------ */

static int is_dot_or_dotdot(const char *name) {
  return name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'));
}

/* Make room for NEED bytes in *BUF of *CAP. */
static int grow(char **buf, size_t *cap, size_t need) {
  return mklink__grow((void **)buf, cap, need, 1);
}

static mklink__tree_type type_of_mode(mode_t mode) {
  if (S_ISREG(mode))
    return MKLINK__TREE_FILE;
  if (S_ISDIR(mode))
    return MKLINK__TREE_DIR;
  if (S_ISLNK(mode))
    return MKLINK__TREE_SYMLINK;
  return MKLINK__TREE_OTHER;
}

static mklink__tree_type type_of_dtype(unsigned char type) {
  switch (type) {
  case DT_REG:
    return MKLINK__TREE_FILE;
  case DT_DIR:
    return MKLINK__TREE_DIR;
  case DT_LNK:
    return MKLINK__TREE_SYMLINK;
  default:
    return MKLINK__TREE_OTHER;
  }
}

static rec *rec_at(const mklink__tree *t, size_t off) { return (rec *)(t->arena + off); }

/* An entry that the walk is acting on: it existed when listed. */
static int entry_error(int errnum) { return mklink__error(errnum, MKLINK__CTX_FILE); }

/* ---- descriptors ---------------------------------------------------------- */

/* Give back the shallowest open level other than frames[0] and
   frames[KEEP]; 0 if there was none. */
static int give_back_one(mklink__tree *t, size_t keep) {
  size_t i, first_open = 0;
  for (i = t->lo > 0 ? t->lo : 1; i < t->depth; i++) {
    if (t->frames[i].fd < 0)
      continue;
    if (i == keep) {
      first_open = first_open > 0 ? first_open : i;
      continue;
    }
    os_close(t->frames[i].fd);
    t->frames[i].fd = -1;
    t->nopen--;
    /* Everything below I is given back now, but KEEP: the next search
       starts there, so a deep walk never scans the same levels twice. */
    t->lo = first_open > 0 ? first_open : i + 1;
    return 1;
  }
  return 0;
}

/* openat, giving back levels while the process is out of descriptors
   (the level of DFD, frames[KEEP], stays). */
static int open_at(mklink__tree *t, int dfd, const char *name, int flags, size_t keep) {
  for (;;) {
    int fd = os_openat(dfd, name, flags);
    if (fd >= 0 || (errno != EMFILE && errno != ENFILE) || !give_back_one(t, keep))
      return fd;
    t->open_max = t->nopen > 1 ? t->nopen : 1;
  }
}

/* ---- identity and mount points ---------------------------------------------- */

static void fill_stat(mklink__tree_attrs *out, const struct stat *st) {
  out->dev = (unsigned long long)st->st_dev;
  out->ino = (unsigned long long)st->st_ino;
  out->size = (unsigned long long)st->st_size;
  out->nlink = (unsigned long)st->st_nlink;
  out->mode = (unsigned)st->st_mode;
  out->uid = (unsigned)st->st_uid;
  out->gid = (unsigned)st->st_gid;
#if defined(__APPLE__)
#define MKLINK__ST_TIME(st, x) ((st)->st_##x##timespec)
#else
#define MKLINK__ST_TIME(st, x) ((st)->st_##x##tim)
#endif
  out->atime_sec = (long long)MKLINK__ST_TIME(st, a).tv_sec;
  out->atime_nsec = (long)MKLINK__ST_TIME(st, a).tv_nsec;
  out->mtime_sec = (long long)MKLINK__ST_TIME(st, m).tv_sec;
  out->mtime_nsec = (long)MKLINK__ST_TIME(st, m).tv_nsec;
  out->ctime_sec = (long long)MKLINK__ST_TIME(st, c).tv_sec;
  out->ctime_nsec = (long)MKLINK__ST_TIME(st, c).tv_nsec;
}

static int by_id(const void *a, const void *b) {
  const mount_id *x = a, *y = b;
  if (x->dev != y->dev)
    return x->dev < y->dev ? -1 : 1;
  return (x->ino > y->ino) - (x->ino < y->ino);
}

#if defined(__linux__)
static void fill_statx(mklink__tree_attrs *out, const struct statx *sx) {
  out->dev = (unsigned long long)makedev(sx->stx_dev_major, sx->stx_dev_minor);
  out->ino = (unsigned long long)sx->stx_ino;
  out->size = (unsigned long long)sx->stx_size;
  out->nlink = (unsigned long)sx->stx_nlink;
  out->mode = (unsigned)sx->stx_mode;
  out->uid = (unsigned)sx->stx_uid;
  out->gid = (unsigned)sx->stx_gid;
  out->atime_sec = (long long)sx->stx_atime.tv_sec;
  out->atime_nsec = (long)sx->stx_atime.tv_nsec;
  out->mtime_sec = (long long)sx->stx_mtime.tv_sec;
  out->mtime_nsec = (long)sx->stx_mtime.tv_nsec;
  out->ctime_sec = (long long)sx->stx_ctime.tv_sec;
  out->ctime_nsec = (long)sx->stx_ctime.tv_nsec;
}

/* A mountinfo mount point, its octal escapes (\040 ...) undone in place. */
static char *unescape(char *s) {
  char *r = s, *w = s;
  while (*r != '\0') {
    if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' &&
        r[3] >= '0' && r[3] <= '7') {
      *w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
      r += 4;
    } else {
      *w++ = *r++;
    }
  }
  *w = '\0';
  return s;
}

/* The fifth field of a mountinfo line is the mount point. */
static int add_mount_line(mklink__tree *t, char *line, size_t *cap) {
  struct stat st;
  char *field = line;
  int i;
  for (i = 0; i < 4 && field != NULL; i++) {
    field = strchr(field, ' ');
    if (field != NULL)
      field++;
  }
  if (field == NULL)
    return 0;
  field[strcspn(field, " ")] = '\0';
  if (os_fstatat(AT_FDCWD, unescape(field), &st, 0) != 0)
    return 0; /* not reachable from here (another root, gone) */
  if (t->nmounts == *cap) {
    size_t cap2 = *cap > 0 ? *cap * 2 : 32;
    mount_id *grown = realloc(t->mounts, cap2 * sizeof *grown);
    if (grown == NULL)
      return MKLINK_ENOMEM;
    t->mounts = grown;
    *cap = cap2;
  }
  t->mounts[t->nmounts].dev = st.st_dev;
  t->mounts[t->nmounts].ino = st.st_ino;
  t->nmounts++;
  return 0;
}

/* The fallback's list of mount points, read once per walk.  No /proc (a
   chroot, another system): an empty list, the device check alone. */
static int load_mounts(mklink__tree *t) {
  char *text = NULL, *line, *next;
  size_t len = 0, cap = 0, mcap = 0;
  ssize_t n;
  int fd, rc = 0;
  t->mounts_loaded = 1;
  fd = os_openat(AT_FDCWD, "/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return 0;
  for (;;) {
    if ((rc = grow(&text, &cap, len + 4097)) != 0)
      break;
    n = os_read(fd, text + len, cap - len - 1);
    if (n <= 0) {
      if (n < 0)
        len = 0; /* half a list is no list: device check alone */
      break;
    }
    len += (size_t)n;
  }
  os_close(fd);
  if (rc == 0 && text != NULL) {
    text[len] = '\0';
    for (line = text; rc == 0 && line != NULL && *line != '\0'; line = next) {
      next = strchr(line, '\n');
      if (next != NULL)
        *next++ = '\0';
      rc = add_mount_line(t, line, &mcap);
    }
  }
  free(text);
  if (t->nmounts > 1)
    qsort(t->mounts, t->nmounts, sizeof *t->mounts, by_id);
  return rc;
}
#endif

/* Fallback: is the directory ST (in a directory on PARENT_DEV) a mount
   point?  1, 0 or a MKLINK_E* code. */
static int fallback_is_mount(mklink__tree *t, const struct stat *st, dev_t parent_dev) {
  mount_id key;
  if (st->st_dev != parent_dev)
    return 1;
#if defined(__linux__)
  if (!t->mounts_loaded) {
    int rc = load_mounts(t);
    if (rc != 0)
      return rc;
  }
#endif
  key.dev = st->st_dev;
  key.ino = st->st_ino;
  return t->nmounts > 0 &&
         bsearch(&key, t->mounts, t->nmounts, sizeof key, by_id) != NULL;
}

/*
 * Identity of what DFD/NAME (NAME "" : DFD itself) is, not following a final
 * link, and whether it is a mount point (in a directory on PARENT_DEV): 0
 * with *OUT, *DEV, *INO and *MOUNT, or -1 with errno.  One statx where the
 * kernel reports mount roots; otherwise fstatat plus the fallback.
 */
static int look(mklink__tree *t, int dfd, const char *name, dev_t parent_dev,
                mklink__tree_attrs *out, dev_t *dev, ino_t *ino, int *mount) {
  struct stat st;
  int rc;
#if defined(__linux__)
  if (t->mount_mode != MOUNT_FALLBACK) {
    struct statx sx;
    int flags = AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | (name[0] == '\0' ? AT_EMPTY_PATH : 0);
    if (os_statx(dfd, name, flags, STATX_BASIC_STATS, &sx) == 0) {
      if (sx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) {
        t->mount_mode = MOUNT_STATX;
        fill_statx(out, &sx);
        *dev = (dev_t)out->dev;
        *ino = (ino_t)sx.stx_ino;
        *mount = (sx.stx_attributes & STATX_ATTR_MOUNT_ROOT) != 0;
        return 0;
      }
      t->mount_mode = MOUNT_FALLBACK; /* a kernel before 5.8 */
    } else if (errno == ENOSYS) {
      t->mount_mode = MOUNT_FALLBACK;
    } else {
      return -1;
    }
  }
#endif
  rc = name[0] == '\0' ? os_fstat(dfd, &st) : os_fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW);
  if (rc != 0)
    return -1;
  fill_stat(out, &st);
  *dev = st.st_dev;
  *ino = st.st_ino;
  *mount = 0;
  if (S_ISDIR(st.st_mode) || S_ISREG(st.st_mode)) {
    rc = fallback_is_mount(t, &st, parent_dev);
    if (rc < 0) {
      errno = ENOMEM;
      return -1;
    }
    *mount = rc;
  }
  return 0;
}

/* ---- listings ------------------------------------------------------------ */

#if defined(__linux__)
/* Read the whole listing of FD onto the arena; *END is where it stops. */
static int read_listing(mklink__tree *t, int fd, size_t *end) {
  for (;;) {
    ssize_t n;
    int rc = grow(&t->arena, &t->arena_cap, t->arena_len + LIST_CHUNK);
    if (rc != 0)
      return rc;
    n = os_getdents64(fd, t->arena + t->arena_len, t->arena_cap - t->arena_len);
    if (n < 0)
      return mklink__error(errno, MKLINK__CTX_PATH);
    if (n == 0)
      break;
    t->arena_len += (size_t)n;
  }
  *end = t->arena_len;
  return 0;
}
#else
/* The same through readdir, on a second descriptor (fdopendir would take
   FD, which the frame keeps). */
static int read_listing(mklink__tree *t, int fd, size_t *end) {
  struct dirent *e;
  DIR *d;
  int rc = 0, dfd = os_openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0)
    return mklink__error(errno, MKLINK__CTX_PATH);
  if ((d = os_fdopendir(dfd)) == NULL) {
    rc = mklink__error(errno, MKLINK__CTX_PATH);
    os_close(dfd);
    return rc;
  }
  for (;;) {
    size_t len, size;
    rec *r;
    errno = 0;
    if ((e = os_readdir(d)) == NULL) {
      if (errno != 0)
        rc = mklink__error(errno, MKLINK__CTX_PATH);
      break;
    }
    len = strlen(e->d_name);
    size = (offsetof(rec, name) + len + 1 + 7) & ~(size_t)7;
    if ((rc = grow(&t->arena, &t->arena_cap, t->arena_len + size)) != 0)
      break;
    r = rec_at(t, t->arena_len);
    r->ino = (unsigned long long)e->d_ino;
    r->off = 0;
    r->reclen = (unsigned short)size;
    r->type = e->d_type;
    memcpy(r->name, e->d_name, len + 1);
    t->arena_len += size;
  }
  os_closedir(d);
  *end = t->arena_len;
  return rc;
}
#endif

/* Push the directory open on FD as a new level and list it.  On failure FD
   is closed and nothing is pushed. */
static int push(mklink__tree *t, int fd, dev_t dev, ino_t ino, size_t path_len, size_t rec_off) {
  frame *f;
  size_t end = 0;
  int rc;
  if (t->depth == t->cap) {
    size_t cap = t->cap > 0 ? t->cap * 2 : 16;
    frame *grown = realloc(t->frames, cap * sizeof *grown);
    if (grown == NULL) {
      os_close(fd);
      return MKLINK_ENOMEM;
    }
    t->frames = grown;
    t->cap = cap;
  }
  f = &t->frames[t->depth];
  f->list_start = t->arena_len;
  rc = read_listing(t, fd, &end);
  if (rc != 0) {
    t->arena_len = f->list_start;
    os_close(fd);
    return rc;
  }
  f->fd = fd;
  f->dev = dev;
  f->ino = ino;
  f->path_len = path_len;
  f->list_end = end;
  f->pos = f->list_start;
  f->rec = rec_off;
  f->serial = ++t->serial;
  if (t->depth++ > 0) {
    t->nopen++;
    if (t->nopen > t->open_max)
      give_back_one(t, t->depth - 1);
  }
  return 0;
}

/* ---- the current entry ------------------------------------------------------ */

/* Make the record at REC_OFF of frames[FI] the current entry: its path is
   written, its type taken from the listing (or, where the file system does
   not say, from a look).  1 if it is gone (skip it). */
static int set_entry(mklink__tree *t, size_t fi, size_t rec_off, mklink__tree_event event) {
  frame *f = &t->frames[fi];
  rec *r = rec_at(t, rec_off);
  size_t len = strlen(r->name), at = f->path_len;
  mklink__tree_entry *e = &t->cur;
  int rc = grow(&t->path, &t->path_cap, at + len + 2);
  if (rc != 0)
    return rc;
  if (at > 0 && t->path[at - 1] != '/')
    t->path[at++] = '/';
  memcpy(t->path + at, r->name, len + 1);
  e->event = event;
  e->error = 0;
  e->depth = fi + t->depth_base;
  e->name = r->name;
  e->name_len = len;
  e->path = t->path;
  e->path_len = at + len;
  e->rel = e->depth == 0 ? e->path_len : t->top_len + (t->path[t->top_len] == '/');
  e->have_stat = 0;
  e->type = event == MKLINK__TREE_LEAVE ? MKLINK__TREE_DIR : type_of_dtype(r->type);
  t->cur_frame = fi;
  t->cur_rec = rec_off;
  if (event == MKLINK__TREE_ENTRY && r->type == DT_UNKNOWN) {
    rc = mklink__tree_stat(t);
    if (rc == MKLINK_ENOFILE)
      return 1;
    if (rc == 0 && (t->flags & MKLINK__TREE_NO_FILES) && e->type != MKLINK__TREE_DIR &&
        e->type != MKLINK__TREE_SYMLINK && e->type != MKLINK__TREE_MOUNT)
      return 1;
    return rc;
  }
  return 0;
}

/* The descriptor of the current entry's directory, or -1 if it is lost. */
static int cur_dirfd(const mklink__tree *t) { return t->frames[t->cur_frame].fd; }

/* ---- going back up ------------------------------------------------------------ */

static int same_id(int fd, const frame *f) {
  struct stat st;
  return os_fstat(fd, &st) == 0 && st.st_dev == f->dev && st.st_ino == f->ino;
}

/* frames[P] was given back: open it again from frames[P + 1] through "..",
   checked, else downward from the nearest level still open, by the recorded
   names, each checked.  0, or 1 with t->abandon set to the first level that
   failed its check. */
static int reopen(mklink__tree *t, size_t p) {
  size_t j, i;
  int fd = open_at(t, t->frames[p + 1].fd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC, p + 1);
  if (fd >= 0 && same_id(fd, &t->frames[p])) {
    t->frames[p].fd = fd;
    t->nopen++;
    if (p < t->lo)
      t->lo = p;
    return 0;
  }
  if (fd >= 0)
    os_close(fd);
  /* Moved (or ".." unreadable): down from the nearest level still held. */
  for (j = p; j > 0 && t->frames[j].fd < 0; j--)
    ;
  for (i = j + 1; i <= p; i++) {
    frame *f = &t->frames[i];
    fd = open_at(t, t->frames[i - 1].fd, rec_at(t, f->rec)->name, DIR_FLAGS, i - 1);
    if (fd < 0 || !same_id(fd, f)) {
      if (fd >= 0)
        os_close(fd);
      t->abandon = i;
      return 1;
    }
    f->fd = fd;
    t->nopen++;
    if (i < t->lo)
      t->lo = i;
    /* Only the level wanted stays open; the way there was one step each. */
    if (i - 1 > j) {
      os_close(t->frames[i - 1].fd);
      t->frames[i - 1].fd = -1;
      t->nopen--;
    }
  }
  return 0;
}

/* Drop the deepest level, closing what it holds. */
static void pop(mklink__tree *t) {
  frame *f = &t->frames[--t->depth];
  if (f->fd >= 0) {
    os_close(f->fd);
    if (t->depth > 0)
      t->nopen--;
  }
  t->arena_len = f->list_start;
  if (t->lo > t->depth)
    t->lo = t->depth;
}

/* The deepest level is listed to its end: back into its parent, and its
   LEAVE as the current entry. */
static int leave(mklink__tree *t) {
  size_t c = t->depth - 1, rec_off = t->frames[c].rec;
  int lost = t->abandon > 0 && c >= t->abandon;
  int rc;
  if (!lost && t->frames[c - 1].fd < 0 && reopen(t, c - 1) != 0)
    lost = 1;
  pop(t);
  rc = set_entry(t, c - 1, rec_off, MKLINK__TREE_LEAVE);
  if (rc < 0)
    return rc;
  if (lost) {
    t->cur.error = MKLINK_EBUSY;
    if (t->abandon >= c)
      t->abandon = 0; /* this was the last lost level */
  }
  return 0;
}

int mklink__tree_next(mklink__tree *t, const mklink__tree_entry **out) {
  for (;;) {
    frame *f;
    int rc;
    if (t->depth == 0)
      return 0;
    f = &t->frames[t->depth - 1];
    if (t->abandon > 0 && t->depth - 1 >= t->abandon)
      f->pos = f->list_end; /* a lost level: nothing more in it */
    if (f->pos < f->list_end) {
      size_t at = f->pos;
      rec *r = rec_at(t, at);
      f->pos += r->reclen;
      if (is_dot_or_dotdot(r->name))
        continue;
      if ((t->flags & MKLINK__TREE_NO_FILES) && r->type != DT_DIR && r->type != DT_LNK &&
          r->type != DT_UNKNOWN)
        continue; /* not asked for: not even a path is made */
      rc = set_entry(t, t->depth - 1, at, MKLINK__TREE_ENTRY);
      if (rc == 1)
        continue;
      if (rc != 0)
        return rc;
      *out = &t->cur;
      return 1;
    }
    if (t->depth == 1) {
      pop(t);
      return 0;
    }
    if ((rc = leave(t)) != 0)
      return rc;
    *out = &t->cur;
    return 1;
  }
}

/* ---- operations on the current entry ----------------------------------------- */

int mklink__tree_stat(mklink__tree *t) {
  mklink__tree_entry *e = &t->cur;
  dev_t dev;
  ino_t ino;
  int mount, dfd = cur_dirfd(t);
  if (dfd < 0)
    return MKLINK_EBUSY;
  if (look(t, dfd, e->name, t->frames[t->cur_frame].dev, &e->st, &dev, &ino, &mount) != 0)
    return errno == ENOENT ? MKLINK_ENOFILE : entry_error(errno);
  e->have_stat = 1;
  e->type = mount ? MKLINK__TREE_MOUNT : type_of_mode((mode_t)e->st.mode);
  return 0;
}

/* The name changed under an operation: look again, MKLINK__TREE_CHANGED. */
static int changed(mklink__tree *t) {
  int rc = mklink__tree_stat(t);
  return rc != 0 ? rc : MKLINK__TREE_CHANGED;
}

int mklink__tree_enter(mklink__tree *t) {
  mklink__tree_entry *e = &t->cur;
  mklink__tree_attrs st;
  dev_t dev;
  ino_t ino;
  int fd, mount, err, rc, dfd = cur_dirfd(t);
  size_t path_len = e->path_len, rec_off = t->cur_rec;
  if (dfd < 0)
    return MKLINK_EBUSY;
  if (e->type != MKLINK__TREE_DIR)
    return MKLINK_EINVAL;
  fd = open_at(t, dfd, e->name, DIR_FLAGS, t->cur_frame);
  if (fd < 0) {
    /* Replaced by a link or a file since listed, or gone. */
    if (errno == ELOOP || errno == ENOTDIR)
      return changed(t);
    return errno == ENOENT ? MKLINK_ENOFILE : entry_error(errno);
  }
  if (look(t, fd, "", t->frames[t->cur_frame].dev, &st, &dev, &ino, &mount) != 0) {
    err = errno;
    os_close(fd);
    return entry_error(err);
  }
  if (mount || !S_ISDIR((mode_t)st.mode)) {
    os_close(fd);
    e->st = st;
    e->have_stat = 1;
    e->type = mount ? MKLINK__TREE_MOUNT : type_of_mode((mode_t)st.mode);
    return MKLINK__TREE_CHANGED;
  }
  rc = push(t, fd, dev, ino, path_len, rec_off);
  if (rc != 0)
    e->name = rec_at(t, rec_off)->name; /* the arena may have moved */
  return rc;
}

int mklink__tree_readlink(mklink__tree *t, const char **text, size_t *len) {
  mklink__tree_entry *e = &t->cur;
  int dfd = cur_dirfd(t);
  ssize_t n;
  if (dfd < 0)
    return MKLINK_EBUSY;
  for (;;) {
    int rc = grow(&t->link, &t->link_cap, t->link_cap > 0 ? t->link_cap : MKLINK__PATH_MAX);
    if (rc != 0)
      return rc;
    n = os_readlinkat(dfd, e->name, t->link, t->link_cap);
    if (n < 0) {
      if (errno == ENOENT)
        return MKLINK_ENOFILE;
      return mklink__error(errno, MKLINK__CTX_READLINK);
    }
    if ((size_t)n < t->link_cap)
      break;
    if ((rc = grow(&t->link, &t->link_cap, t->link_cap * 2)) != 0)
      return rc;
  }
  t->link[n] = '\0';
  if (mklink__is_junction_text(t->link))
    e->type = MKLINK__TREE_JUNCTION;
  *text = t->link;
  *len = (size_t)n;
  return 0;
}

/* TOP as given, as a string of its own. */
static char *top_copy(const mklink__tree *t) {
  char *top = malloc(t->top_len + 1);
  if (top != NULL) {
    memcpy(top, t->path, t->top_len);
    top[t->top_len] = '\0';
  }
  return top;
}

/* TOP made absolute as the system reaches it (its ".." physically; the
   current directory read once, any length), kept in t->abs[0 .. abs_top)
   for every describe.  Below TOP every directory is real: the walk enters
   no link. */
static int top_abs(mklink__tree *t) {
  char *top, *abs;
  int rc;
  if (t->abs != NULL)
    return 0;
  if ((top = top_copy(t)) == NULL)
    return MKLINK_ENOMEM;
  rc = mklink__resolve_path(top, 0, 0, &abs);
  free(top);
  if (rc != 0)
    return rc;
  t->abs = abs;
  t->abs_normal = mklink__path_is_normal(abs);
  t->abs_top = strlen(abs);
  t->abs_cap = t->abs_top + 1;
  return 0;
}

/* The absolute directory of the current entry, in t->dir: TOP's absolute
   form joined with the path below TOP.  Kept while the walk stays in that
   directory, so the links of one directory build it once. */
static int entry_dir(mklink__tree *t, const char **out) {
  const frame *f = &t->frames[t->cur_frame];
  size_t dir_len = f->path_len, rest = 0, at, base_len;
  const char *below, *base;
  int rc;
  if (t->dir != NULL && t->dir_serial == f->serial && t->dir_depth0 == (t->cur.depth == 0)) {
    *out = t->dir;
    return 0;
  }
  if ((rc = top_abs(t)) != 0)
    return rc;
  at = t->abs_top;
  if (t->cur.depth == 0) {
    /* TOP itself: the directory part of its absolute form. */
    mklink__path_split(MKLINK__PATH_POSIX, t->abs, &at, &base, &base_len);
  } else if (dir_len > t->top_len) {
    rest = dir_len - t->top_len;
  }
  if ((rc = grow(&t->dir, &t->dir_cap, at + rest + 2)) != 0)
    return rc;
  memcpy(t->dir, t->abs, at);
  below = t->path + t->top_len;
  while (rest > 0 && *below == '/')
    below++, rest--;
  if (rest > 0) {
    if (at > 0 && t->dir[at - 1] != '/')
      t->dir[at++] = '/';
    memcpy(t->dir + at, below, rest);
  }
  t->dir[at + rest] = '\0';
  t->dir_serial = f->serial;
  t->dir_depth0 = t->cur.depth == 0;
  *out = t->dir;
  return 0;
}

/* The link text of the current entry into t->link; its length. */
static int read_text(mklink__tree *t, int dfd, size_t *len) {
  ssize_t n;
  int rc = grow(&t->link, &t->link_cap, MKLINK__PATH_MAX);
  if (rc != 0)
    return rc;
  n = os_readlinkat(dfd, t->cur.name, t->link, t->link_cap);
  if (n < 0)
    return errno == ENOENT ? MKLINK_ENOFILE : mklink__error(errno, MKLINK__CTX_READLINK);
  if ((size_t)n >= t->link_cap)
    return MKLINK_ENAMETOOLONG; /* longer than the system lets a link be */
  t->link[n] = '\0';
  *len = (size_t)n;
  return 0;
}

/*
 * t->resolved: where the system goes for TEXT, read in directory DFD (the
 * current entry's, DIR).  Lexically, as fast as the rest of the walk, unless
 * a ".." of TEXT follows one of its names or climbs above TOP: the
 * directories below TOP are real, but those names, TOP's and what is above
 * it may be symbolic links, which the kernel follows before it goes up
 * (mklink__resolve).
 */
static int resolve_text(mklink__tree *t, int dfd, const char *dir, const char *text) {
  long below = (long)t->cur_frame - ((t->flags & MKLINK__TREE_TOP_ENTRY) ? 1 : 0);
  size_t up, len = strlen(text), at;
  const char *rest;
  char *base, *res, *top;
  int rc;
  if (!mklink__path_dotdots(MKLINK__PATH_POSIX, text, &up) &&
      (text[0] == '/' || (long)up <= below)) {
    /* Never longer than the directory, a separator and the text. */
    if ((rc = grow(&t->resolved, &t->resolved_cap, strlen(dir) + len + 2)) != 0)
      return rc;
    if (t->abs_normal &&
        (rc = mklink__path_absolute_in_normal(dir, text, t->resolved, t->resolved_cap)) != 1)
      return rc;
    return mklink__path_absolute(MKLINK__PATH_POSIX, dir, text, t->resolved, t->resolved_cap);
  }
  if (t->phys_top == NULL) {
    if ((top = top_copy(t)) == NULL)
      return MKLINK_ENOMEM;
    rc = mklink__resolve_path(top, 1, 0, &t->phys_top);
    free(top);
    if (rc != 0)
      return rc;
  }
  /* The physical directory: TOP's, then the real directories below it (for
     TOP itself as an entry, TOP's parent: TOP's physical form cut). */
  at = strlen(t->phys_top);
  if (below < 0) {
    const char *name;
    size_t name_len;
    mklink__path_split(MKLINK__PATH_POSIX, t->phys_top, &at, &name, &name_len);
  }
  rest = below < 0 ? "" : dir + t->abs_top;
  if ((base = malloc(at + strlen(rest) + 1)) == NULL)
    return MKLINK_ENOMEM;
  memcpy(base, t->phys_top, at);
  strcpy(base + at, rest);
  rc = mklink__resolve(base, dfd, text, 0, 0, &res);
  free(base);
  if (rc != 0)
    return rc;
  len = strlen(res);
  if ((rc = grow(&t->resolved, &t->resolved_cap, len + 1)) == 0)
    memcpy(t->resolved, res, len + 1);
  free(res);
  return rc;
}

static int describe_link(mklink__tree *t, int dfd, unsigned how, mklink_info *out) {
  size_t len = 0, skip = 0;
  const char *dir;
  int follow = (how & MKLINK__DESCRIBE_FOLLOW) != 0;
  int rc = read_text(t, dfd, &len);
  if (rc != 0)
    return rc;
  if ((rc = mklink__describe_link(dfd, t->cur.name, t->link, follow, out, &skip)) != 0)
    return rc;
  if (out->kind == MKLINK_JUNCTION)
    t->cur.type = MKLINK__TREE_JUNCTION;
  if ((how & MKLINK__DESCRIBE_DANGLING) && follow && out->target_exists)
    return 1;
  if ((rc = entry_dir(t, &dir)) != 0)
    return rc;
  rc = resolve_text(t, dfd, dir, t->link + skip);
  out->target = t->link + skip;
  out->resolved = t->resolved;
  return rc;
}

/* A plain entry: as mklink_query, a file with more names is a hard link;
   resolved is the entry itself, made absolute. */
static int describe_plain(mklink__tree *t, mklink_info *out) {
  mklink__tree_entry *e = &t->cur;
  const char *dir;
  int rc, is_dir;
  if (!e->have_stat && (rc = mklink__tree_stat(t)) != 0)
    return rc;
  if ((rc = entry_dir(t, &dir)) != 0)
    return rc;
  is_dir = S_ISDIR((mode_t)e->st.mode);
  out->kind = MKLINK_NOT_LINK;
  if (e->type == MKLINK__TREE_FILE && e->st.nlink > 1)
    out->kind = MKLINK_HARDLINK;
  else if (e->type == MKLINK__TREE_MOUNT)
    out->kind = MKLINK_MOUNT_POINT;
  out->nlink = is_dir ? 1 : e->st.nlink;
  out->target_checked = 1;
  out->target_exists = 1;
  out->target_is_dir = is_dir;
  if ((rc = grow(&t->resolved, &t->resolved_cap, strlen(dir) + e->name_len + 2)) != 0)
    return rc;
  rc = mklink__path_join(MKLINK__PATH_POSIX, dir, strlen(dir), e->name, t->resolved,
                         t->resolved_cap);
  out->target = "";
  out->resolved = t->resolved;
  return rc;
}

int mklink__tree_describe(mklink__tree *t, unsigned how, mklink_info *out) {
  int dfd = cur_dirfd(t);
  if (dfd < 0)
    return MKLINK_EBUSY;
  out->target = out->resolved = NULL;
  if (t->cur.type == MKLINK__TREE_SYMLINK || t->cur.type == MKLINK__TREE_JUNCTION)
    return describe_link(t, dfd, how, out);
  return describe_plain(t, out);
}

int mklink__tree_unlink(mklink__tree *t) {
  int dfd = cur_dirfd(t), err;
  if (dfd < 0)
    return MKLINK_EBUSY;
  if (os_unlinkat(dfd, t->cur.name, 0) == 0)
    return 0;
  err = errno;
  if (err == ENOENT)
    return MKLINK_ENOFILE;
  if (err == EISDIR)
    return changed(t); /* a directory at that instant */
  if (err == EPERM || err == EBUSY) {
    /* EPERM: a directory (some systems say so), or a real refusal if it
       still is none.  EBUSY: a mount point, or something in use. */
    int rc = changed(t);
    if (rc != MKLINK__TREE_CHANGED)
      return rc;
    if (t->cur.type == MKLINK__TREE_DIR || t->cur.type == MKLINK__TREE_MOUNT)
      return MKLINK__TREE_CHANGED;
  }
  return entry_error(err);
}

int mklink__tree_rmdir(mklink__tree *t) {
  int dfd = cur_dirfd(t), err, rc;
  if (dfd < 0)
    return MKLINK_EBUSY;
  if (os_unlinkat(dfd, t->cur.name, AT_REMOVEDIR) == 0)
    return 0;
  err = errno;
  if (err == ENOENT)
    return MKLINK_ENOFILE;
  if (err == ENOTEMPTY || err == EEXIST)
    return MKLINK_ENOTEMPTY;
  if (err == ENOTDIR)
    return changed(t);
  if (err == EBUSY) {
    rc = changed(t);
    if (rc != MKLINK__TREE_CHANGED)
      return rc;
    if (t->cur.type == MKLINK__TREE_MOUNT)
      return MKLINK__TREE_CHANGED;
    t->cur.type = MKLINK__TREE_DIR;
  }
  return entry_error(err);
}

int mklink__tree_open_file(mklink__tree *t, intptr_t *handle) {
  mklink__tree_entry *e = &t->cur;
  mklink__tree_attrs st;
  dev_t dev;
  ino_t ino;
  int fd, mount, err, dfd = cur_dirfd(t);
  if (dfd < 0)
    return MKLINK_EBUSY;
  fd = open_at(t, dfd, e->name, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC,
               t->cur_frame);
  if (fd < 0)
    return errno == ELOOP ? changed(t) : errno == ENOENT ? MKLINK_ENOFILE : entry_error(errno);
  if (look(t, fd, "", t->frames[t->cur_frame].dev, &st, &dev, &ino, &mount) != 0) {
    err = errno;
    os_close(fd);
    return entry_error(err);
  }
  if (mount || !S_ISREG((mode_t)st.mode)) {
    os_close(fd);
    e->st = st;
    e->have_stat = 1;
    e->type = mount ? MKLINK__TREE_MOUNT : type_of_mode((mode_t)st.mode);
    return MKLINK__TREE_CHANGED;
  }
  e->st = st;
  e->have_stat = 1;
  *handle = fd;
  return 0;
}

void mklink__tree_close_file(intptr_t handle) { (void)os_close((int)handle); }

/* ---- opening and closing --------------------------------------------------- */

static int copy_path(mklink__tree *t, const char *top, size_t len) {
  int rc = grow(&t->path, &t->path_cap, len + MKLINK__PATH_MAX);
  if (rc != 0)
    return rc;
  memcpy(t->path, top, len);
  t->path[len] = '\0';
  t->top_len = len;
  return 0;
}

/* TOP as a directory: followed if it is a link, as `dir LINK` lists the
   target; nothing below it ever is. */
static int open_top_dir(mklink__tree *t, const char *top) {
  struct stat st;
  mklink__tree_attrs ts;
  dev_t dev;
  ino_t ino;
  int mount, err, rc, fd = os_openat(AT_FDCWD, top, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    if (errno != ENOTDIR)
      return mklink__error(errno, MKLINK__CTX_PATH);
    /* A file, or a file on the way to TOP? */
    return os_fstatat(AT_FDCWD, top, &st, 0) == 0 ? MKLINK_EINVAL : MKLINK_ENOPATH;
  }
  if (look(t, fd, "", 0, &ts, &dev, &ino, &mount) != 0) {
    err = errno;
    os_close(fd);
    return mklink__error(err, MKLINK__CTX_PATH);
  }
  if ((rc = copy_path(t, top, strlen(top))) != 0) {
    os_close(fd);
    return rc;
  }
  t->depth_base = 1;
  return push(t, fd, dev, ino, t->top_len, 0);
}

/* TOP as an entry of its directory, opened O_PATH: "a/b/" names "b" in
   "a", so a trailing slash never makes a link to a directory count as the
   directory. */
static int open_top_entry(mklink__tree *t, const char *top) {
  size_t len = strlen(top), start, name_len, off;
  struct stat st;
  dev_t f_dev;
  ino_t f_ino;
  frame *f;
  rec *r;
  char *dir;
  int fd, rc;
  while (len > 1 && top[len - 1] == '/')
    len--;
  for (start = len; start > 0 && top[start - 1] != '/'; start--)
    ;
  name_len = len - start;
  if (name_len == 0)
    return MKLINK_EINVAL; /* "/": never the root */
  if (name_len > NAME_MAX)
    return MKLINK_ENAMETOOLONG;
  if ((rc = copy_path(t, top, len)) != 0)
    return rc;
  if (is_dot_or_dotdot(t->path + start))
    return MKLINK_EINVAL; /* as rmdir(2): "." and ".." are not names */
  if ((dir = malloc(start + 2)) == NULL)
    return MKLINK_ENOMEM;
  memcpy(dir, top, start);
  memcpy(dir + start, ".", 2); /* "a/" + "." ; "" + "." */
  fd = os_openat(AT_FDCWD, dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
  free(dir);
  if (fd < 0)
    return mklink__error(errno, MKLINK__CTX_PATH);
  if (os_fstat(fd, &st) != 0) {
    rc = mklink__error(errno, MKLINK__CTX_PATH);
    os_close(fd);
    return rc;
  }
  f_dev = st.st_dev;
  f_ino = st.st_ino;
  /* TOP must exist: a missing TOP is an error here. */
  if (os_fstatat(fd, t->path + start, &st, AT_SYMLINK_NOFOLLOW) != 0) {
    rc = errno == ENOENT ? MKLINK_ENOFILE : mklink__error(errno, MKLINK__CTX_FILE);
    os_close(fd);
    return rc;
  }
  /* One record, TOP's name, as if listed. */
  off = (offsetof(rec, name) + name_len + 1 + 7) & ~(size_t)7;
  if ((rc = grow(&t->arena, &t->arena_cap, off)) != 0 ||
      (t->frames = malloc(16 * sizeof *t->frames)) == NULL) {
    os_close(fd);
    return rc != 0 ? rc : MKLINK_ENOMEM;
  }
  t->cap = 16;
  r = rec_at(t, 0);
  memset(r, 0, offsetof(rec, name));
  r->reclen = (unsigned short)off;
  r->type = (unsigned char)IFTODT(st.st_mode);
  memcpy(r->name, t->path + start, name_len);
  r->name[name_len] = '\0';
  t->arena_len = off;
  f = &t->frames[0];
  f->fd = fd;
  f->dev = f_dev;
  f->ino = f_ino;
  f->path_len = start;
  f->list_start = 0;
  f->list_end = off;
  f->pos = 0;
  f->rec = 0;
  f->serial = ++t->serial;
  t->depth = 1;
  t->depth_base = 0;
  return 0;
}

int mklink__tree_open(const char *top, unsigned flags, mklink__tree **out) {
  mklink__tree *t = calloc(1, sizeof *t);
  int rc;
  *out = NULL;
  if (t == NULL)
    return MKLINK_ENOMEM;
  t->flags = flags;
  t->open_max = MKLINK__TREE_OPEN_MAX;
  t->lo = 1;
  rc = flags & MKLINK__TREE_TOP_ENTRY ? open_top_entry(t, top) : open_top_dir(t, top);
  if (rc != 0) {
    mklink__tree_close(t);
    return rc;
  }
  *out = t;
  return 0;
}

void mklink__tree_close(mklink__tree *t) {
  if (t == NULL)
    return;
  while (t->depth > 0)
    pop(t);
  free(t->frames);
  free(t->arena);
  free(t->path);
  free(t->link);
  free(t->abs);
  free(t->dir);
  free(t->phys_top);
  free(t->resolved);
  free(t->mounts);
  free(t);
}

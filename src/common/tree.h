/*
 * tree.h -- the tree walk engine: the one traversal behind everything that
 * goes through a directory tree.
 *
 * Each backend implements it once (src/posix/tree.c, src/win32/tree.c, the
 * same function names); mklink_walk (src/common/tree_list.c) and
 * mklink_remove_tree (src/common/tree_remove.c) are written once on top of
 * it, and so are the copy of a move and the portability check.  Never write
 * another walk: drive this one.
 *
 * It is an iterator, not a callback: mklink__tree_next() hands out the
 * entries of the current directory one at a time, as the system lists them
 * (no order is promised).  For a directory the caller decides: call
 * mklink__tree_enter() and its entries come next, followed by a LEAVE event
 * for it once its listing is exhausted (the walk is then back in its
 * parent); or do nothing and the walk goes on with its siblings.  Nothing is
 * recursive: the walk keeps a heap stack of directories and its resources do
 * not grow with the depth (see "Bounds").
 *
 *   mklink__tree *t;
 *   const mklink__tree_entry *e;
 *   int rc = mklink__tree_open(top, 0, &t);
 *   while (rc == 0 && (rc = mklink__tree_next(t, &e)) == 1) {
 *     if (e->event == MKLINK__TREE_ENTRY && e->type == MKLINK__TREE_DIR)
 *       rc = mklink__tree_enter(t);   // or handle MKLINK__TREE_CHANGED
 *     ...
 *   }
 *   mklink__tree_close(t);
 *
 * The entry handed out is "the current entry": every operation below acts
 * on it, by its name in the directory that holds it.  It stays valid (and
 * the operations usable) until the next call of mklink__tree_next(),
 * mklink__tree_enter() or mklink__tree_close().
 *
 * Race-safety rules -- what every backend guarantees, whatever another
 * process does to the tree meanwhile:
 *  1. Nothing is followed.  Entering opens the name itself without
 *     following it (POSIX: openat O_NOFOLLOW | O_DIRECTORY; Win32:
 *     FILE_FLAG_OPEN_REPARSE_POINT, then the handle must say "directory, no
 *     reparse point").  A directory swapped for a link (or a file) between
 *     its listing and the enter is not entered: MKLINK__TREE_CHANGED, and the
 *     entry's type says what the name is now.
 *  2. No mount point is ever entered.  POSIX: the opened directory is asked
 *     (statx STATX_ATTR_MOUNT_ROOT, which sees bind mounts of the same file
 *     system; where the kernel lacks it, another device or a mount point of
 *     /proc/self/mountinfo) before anything in it is read; Win32: a
 *     volume mount point is a reparse point, which is never entered, and is
 *     classified MKLINK__TREE_MOUNT.  Such an entry is MKLINK__TREE_CHANGED
 *     with type MKLINK__TREE_MOUNT when entered.
 *  3. Every operation on an entry names it relative to the directory the
 *     walk holds: POSIX *at() calls on that directory's descriptor; Win32
 *     paths under directories the walk holds open without FILE_SHARE_DELETE,
 *     so nobody can rename them while their paths are used.  No path is
 *     resolved from the top again, and no operation can reach a name outside
 *     the directories the walk entered.
 *  4. The walk only ever comes back into the directory it came from.  POSIX
 *     keeps a few descriptors (the deepest levels) and climbs above them
 *     through "..", but only after the device and inode of what opened match
 *     those recorded when the directory was entered; if they do not (the
 *     directory was moved away meanwhile), it reopens downward from the
 *     nearest directory it still holds, by the recorded names, each step
 *     checked the same way.  A directory that fails that check is abandoned:
 *     its LEAVE (and those of the directories below it) come with error
 *     MKLINK_EBUSY, and nothing more is done in them.  Win32 holds every
 *     level and never climbs.
 *  5. What a caller deletes is therefore only ever something listed in a
 *     directory the walk entered from the top, each step checked.  A
 *     directory moved out of the tree while the walk is inside it can still
 *     be emptied as far as the walk had entered it, but nothing around it.
 *
 * Bounds: POSIX holds at most MKLINK__TREE_OPEN_MAX descriptors besides the
 * top's (and its parent's), at any depth, and gives some back when the
 * process runs out (EMFILE) so that a walk works under `ulimit -n 20`;
 * memory is the listings of the directories on the current path.  Paths
 * are built in one growing buffer with no length limit of their own: an
 * entry whose path is longer than PATH_MAX is handed out and operated on
 * like any other, as only names are ever given to the system.
 */
#ifndef MKLINK_TREE_H
#define MKLINK_TREE_H

#include "internal.h"

#include <stddef.h>
#include <stdint.h>

typedef struct mklink__tree mklink__tree;

/* What an entry is.  DIR is a real directory (never a link); POSIX lists
   a simulated junction as SYMLINK until mklink__tree_readlink() has read
   its text (Win32 knows at once, a Unix symbolic link under Wine
   included); a directory is MOUNT only once entering or
   mklink__tree_stat() has asked the system (POSIX) -- Win32 knows at
   listing time. */
typedef enum mklink__tree_type {
  MKLINK__TREE_FILE = 1, /* a regular file (any number of names)           */
  MKLINK__TREE_DIR,      /* a real directory                               */
  MKLINK__TREE_SYMLINK,  /* a symbolic link, file or directory             */
  MKLINK__TREE_JUNCTION, /* a junction (POSIX: simulated)                  */
  MKLINK__TREE_MOUNT,    /* a mount point: another file system, a bind
                            mount, a volume mount point                    */
  MKLINK__TREE_OTHER,    /* anything else: FIFO, socket, device            */
  MKLINK__TREE_REPARSE   /* Win32: a reparse point that is not a link
                            (never entered; its data lives behind it)     */
} mklink__tree_type;

typedef enum mklink__tree_event {
  MKLINK__TREE_ENTRY = 1, /* an entry of the current directory             */
  MKLINK__TREE_LEAVE      /* the directory entered from this entry has been
                             listed to its end; the walk is back in the
                             directory that holds the entry                */
} mklink__tree_event;

/* What mklink__tree_stat() found.  POSIX: as lstat says; Win32: dev is the
   volume serial, ino the file index, mode the file attributes. */
typedef struct mklink__tree_attrs {
  unsigned long long dev, ino, size;
  unsigned long nlink;
  unsigned mode;
  unsigned uid, gid;
  long long atime_sec, mtime_sec, ctime_sec; /* Win32: ctime is the last
                                               write time (a handle's
                                               information has no change
                                               time); no one reads it yet */
  long atime_nsec, mtime_nsec, ctime_nsec;
} mklink__tree_attrs;

typedef struct mklink__tree_entry {
  mklink__tree_event event;
  mklink__tree_type type;
  /* LEAVE only: 0, or MKLINK_EBUSY if the directory was moved or replaced
     while the walk was inside it and the walk could not come back to it
     (rule 4); nothing more can be done in it. */
  int error;
  /* TOP itself is depth 0 (with MKLINK__TREE_TOP_ENTRY), its entries depth
     1, and so on. */
  size_t depth;
  const char *name; /* the entry's name in its directory, UTF-8          */
  size_t name_len;
  /* TOP as given, joined with the names down to this entry (POSIX '/',
     Win32 '\\'); PATH + REL is the part below TOP ("" for TOP itself). */
  const char *path;
  size_t path_len;
  size_t rel;
  int have_stat; /* ST is filled (by mklink__tree_stat(), or on the way) */
  mklink__tree_attrs st;
} mklink__tree_entry;

/* Positive outcomes besides 0. */
#define MKLINK__TREE_CHANGED 1 /* the entry is not what it was listed as:
                                  its type (and ST) say what it is now;
                                  nothing was done to it                 */

/* Walk TOP: the first entry is TOP itself, looked at in its parent without
   following it (depth 0), for operations that act on TOP as a name
   (mklink_remove_tree).  Without it, TOP is followed if it is a link and
   its entries come first (depth 1). */
#define MKLINK__TREE_TOP_ENTRY 0x1u
/* Regular files and other entries that are neither directories nor links
   are not handed out (they then cost nothing: a walk for links only). */
#define MKLINK__TREE_NO_FILES 0x2u

/*
 * Start a walk of TOP (non-empty UTF-8).  Errors about TOP come here:
 * MKLINK_ENOPATH if TOP (or, with MKLINK__TREE_TOP_ENTRY, its directory)
 * does not exist, MKLINK_EINVAL if without MKLINK__TREE_TOP_ENTRY it is no
 * directory; with MKLINK__TREE_TOP_ENTRY MKLINK_ENOFILE if TOP itself does
 * not exist.  *OUT is NULL on failure.
 */
int mklink__tree_open(const char *top, unsigned flags, mklink__tree **out);

/* End the walk and give back what it holds.  T may be NULL. */
void mklink__tree_close(mklink__tree *t);

/*
 * The next entry or event: 1 with *OUT set, 0 when the walk is over, or a
 * MKLINK_E* error that ends it (MKLINK_ENOMEM; a system error while coming
 * back up).
 */
int mklink__tree_next(mklink__tree *t, const mklink__tree_entry **out);

/*
 * Enter the current entry, listed as MKLINK__TREE_DIR (an ENTRY; or a LEAVE,
 * to list the directory again, e.g. when it was refilled).  0: its entries
 * come next, then its LEAVE.  MKLINK__TREE_CHANGED: not entered, it is not
 * a real directory of this file system now (a link, a file, a mount point):
 * the entry's type and ST say what it is.  MKLINK_ENOFILE: it is gone.  Any
 * other error (it cannot be opened or listed): not entered, the walk goes
 * on.
 */
int mklink__tree_enter(mklink__tree *t);

/*
 * Look at the current entry again, without following it: fills ST (have_stat
 * 1) and sets the type as the name is now (MKLINK__TREE_MOUNT for a mount
 * point, a file one included, where the system can tell).  MKLINK_ENOFILE
 * if it is gone.
 */
int mklink__tree_stat(mklink__tree *t);

/*
 * The text of the current entry, a symbolic link or junction: *TEXT (NUL-
 * terminated, owned by the walk, valid as the entry) and *LEN.  On POSIX a
 * simulated junction is recognised here (the type becomes
 * MKLINK__TREE_JUNCTION; the text is the whole stored text, mark included).
 * MKLINK_ENOTLINK if the name is no link now, MKLINK_ENOFILE if gone.
 */
int mklink__tree_readlink(mklink__tree *t, const char **text, size_t *len);

/*
 * Describe the current entry (a link, a file, a mount point) exactly as
 * mklink_query would, into OUT, whose strings then belong to the walk (valid
 * as the entry).  HOW: MKLINK__DESCRIBE_FOLLOW looks at a link's target
 * (else target_checked 0); MKLINK__DESCRIBE_DANGLING (with FOLLOW) stops
 * early for a link whose target exists and returns 1, OUT's kind and
 * target fields set but its strings NULL (a walk for dangling links does
 * not pay for the strings of the others).  The one describe step of the
 * backend, shared with mklink_query.
 */
#define MKLINK__DESCRIBE_FOLLOW 0x1u
#define MKLINK__DESCRIBE_DANGLING 0x2u
int mklink__tree_describe(mklink__tree *t, unsigned how, mklink_info *out);

/*
 * Remove the current entry, which is no real directory, by its name: a file
 * name (its data stays if it has other names), a link as the link.
 * MKLINK__TREE_CHANGED if it is a directory (or a mount point) now: nothing
 * was removed.  MKLINK_ENOFILE if it was gone.
 */
int mklink__tree_unlink(mklink__tree *t);

/*
 * At a LEAVE: remove the directory just left, which must be empty.
 * MKLINK_ENOTEMPTY if it is not (refilled meanwhile: enter it again),
 * MKLINK__TREE_CHANGED if the name is no directory now (the type says what
 * it is), MKLINK_ENOFILE if it was gone.
 */
int mklink__tree_rmdir(mklink__tree *t);

/*
 * Open the current entry, a regular file, for reading, without following a
 * link and without crossing a mount (MKLINK__TREE_CHANGED otherwise, type
 * updated).  *HANDLE is a POSIX descriptor or a Win32 HANDLE, the caller's
 * to close; the entry's ST then describes the file opened (have_stat 1).
 */
int mklink__tree_open_file(mklink__tree *t, intptr_t *handle);

/* Close a HANDLE mklink__tree_open_file gave. */
void mklink__tree_close_file(intptr_t handle);

#endif /* MKLINK_TREE_H */

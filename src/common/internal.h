/*
 * internal.h -- what the OS-free core and the two backends share.
 *
 * src/posix/X.c and src/win32/X.c implement the same mklink__ prototypes
 * declared here; public entry points in src/common/api.c check their
 * arguments once and then call them.
 */
#ifndef MKLINK_INTERNAL_H
#define MKLINK_INTERNAL_H

#ifndef MKLINK_BUILDING
#define MKLINK_BUILDING 1
#endif
#include "mklink.h"

#include <stddef.h>
#include <stdint.h>

/* ---- backend: one implementation per platform ------------------------- */

/* Arguments are already checked: non-empty paths, a creatable kind, known
   flags. */
int mklink__create(const char *link, const char *target, mklink_kind kind,
                   unsigned flags);
int mklink__query(const char *path, mklink_info *out);
int mklink__remove(const char *path);
/* CB may be NULL (src/common/tree_remove.c). */
int mklink__remove_tree(const char *path, mklink_error_cb cb, void *arg);
int mklink__capabilities(const char *dir, mklink_caps *out);
/* DIR non-empty, CB set, FLAGS known (api.c checks them). */
int mklink__walk(const char *dir, unsigned flags, mklink_walk_cb cb, void *arg);

/*
 * Internal walk flag, for the portability check (src/common/portable.c):
 * report every entry, not only links.  An entry that is no link comes with
 * kind MKLINK_NOT_LINK, target_is_dir 1 for a real directory, target_checked 0, and its strings
 * empty; nothing about it is asked of the system beyond the listing.  A
 * directory comes before its entries; a callback that returns
 * MKLINK__WALK_PRUNE for it keeps the walk out of it (the walk goes on).
 */
#define MKLINK__WALK_EVERY 0x100u
#define MKLINK__WALK_PRUNE 0x7FFF0001

/*
 * With MKLINK__WALK_EVERY the entry handed to the callback is the first
 * member of this: the check reads the depth and the last name the walk
 * already knows instead of scanning every path again (a deep tree made
 * that quadratic, and it was a third of the check's own time).
 */
typedef struct mklink__walk_every_entry {
  mklink_walk_entry pub;
  size_t depth;    /* 1 for DIR's own entries                           */
  size_t path_len; /* strlen(pub.path)                                  */
  size_t name_len; /* the last name, at pub.path + path_len - name_len   */
} mklink__walk_every_entry;

/*
 * Run `git ls-files --stage -z` in DIR: 0 with *OUT (LEN bytes, malloc'ed,
 * NUL-terminated after LEN) what it printed; MKLINK_ENOTSUP if git cannot
 * be run here, MKLINK_ENOFILE if DIR is in no git work tree, MKLINK_EGIT
 * with *MESSAGE (malloc'ed, one line) git's own message if it failed
 * otherwise.  src/common/portable_git.c, on the backend's mklink__run().
 */
int mklink__git_ls_stage(const char *dir, char **out, size_t *len, char **message);

/*
 * Run the program ARGV[0] (looked up in PATH) with ARGV, no standard input, and collect what it writes: *OUT and *ERR (malloc'ed,
 * NUL-terminated, their lengths in *OUT_LEN and *ERR_LEN) and its exit
 * status in *STATUS (-1 if it did not exit normally).  MKLINK_ENOTSUP if
 * the program cannot be found or started.  One per backend (run.c).
 */
int mklink__run(const char *const argv[], char **out, size_t *out_len, char **err,
                size_t *err_len, int *status);

/* ---- paths made absolute by the system's rules ------------------------- */

/*
 * PATH made absolute and normalised, in a malloc'ed block (*OUT) whose first
 * PREFIX bytes are left for the caller: the path starts at *OUT + PREFIX.
 * POSIX: lexically against the current directory (read only when PATH is
 * relative, whatever its length); Windows: as GetFullPathNameW does it,
 * without a \\?\ prefix.  LIMIT 0 accepts any length; otherwise a result
 * that does not fit LIMIT bytes (NUL included) is MKLINK_ENAMETOOLONG.
 * Returns 0, MKLINK_ENOMEM or the system's error (*OUT is then NULL).
 */
int mklink__absolute(const char *path, size_t prefix, size_t limit, char **out);

/* ---- errors: one implementation per platform (error.c of each) ------- */

/* OS error OSERR (errno, or a Win32 error) as MKLINK_E*, in no particular
   call's context; one the table does not map is MKLINK_EOS(OSERR), one out
   of that range MKLINK_EIO. */
int mklink__error_from_os(int oserr);
/* The system's message for OS error OSERR in BUF (SIZE > 0 bytes, cut to
   fit), on one line: 0, or -1 if the system has none (BUF undefined). */
int mklink__os_message(int oserr, char *buf, size_t size);

/* ---- temporary names ---------------------------------------------------- */

/*
 * A name for a temporary entry beside PATH (in PATH's directory), malloc'ed
 * in *OUT: TAG tells apart the names one operation needs at once ("new",
 * "old", "probe"), ATTEMPT moves on from a name that is taken.  No state is
 * kept between calls.  POSIX: ".mklink-<16 hex digits>.tmp", a hash of
 * PATH, TAG, ATTEMPT and the address of a local variable (so of the thread
 * and, with ASLR, of the process).  Windows:
 * ".mklink-TAG-<process>-<thread>-<performance counter>", then "-ATTEMPT"
 * after the first attempt.  Returns 0 or MKLINK_ENOMEM, or
 * MKLINK_ENAMETOOLONG on POSIX.
 */
int mklink__temp_name(const char *path, const char *tag, unsigned attempt, char **out);

/* ---- primitives of the composite operations (manifests, move) ---------- */

/*
 * Whole files, single directories and renames, each one small step of a
 * plan that src/manifest (and later the move) carries out.  src/posix/file.c
 * and src/win32/file.c implement them under these names; paths are UTF-8,
 * results written to *OUT are malloc'ed and freed by the caller, every OS
 * call goes through the table.
 */

/* The whole of file PATH into *DATA (NUL-terminated, *LEN bytes without the
   NUL).  MKLINK_ENOFILE / MKLINK_ENOPATH if it does not exist. */
int mklink__read_file(const char *path, char **data, size_t *len);
/* Replace file PATH by DATA atomically and durably: written to a temporary
   name in PATH's directory, flushed to disk, renamed over PATH, and the
   directory flushed.  A failure leaves PATH as it was and no temporary. */
int mklink__write_file_atomic(const char *path, const char *data, size_t len);
/* Remove file (or link) PATH; MKLINK_ENOFILE if it is not there. */
int mklink__remove_file(const char *path);
/* Make the one directory PATH with MODE (POSIX, less the umask); its parent
   must exist; MKLINK_EEXIST if something is there. */
int mklink__make_dir(const char *path, unsigned mode);
/* Remove the empty directory PATH; MKLINK_ENOTEMPTY if it is not empty. */
int mklink__remove_dir(const char *path);
/* Rename FROM to TO, which must not exist (MKLINK_EEXIST): the "rename
   aside" of backups, and its way back.  FROM is not followed. */
int mklink__rename_new(const char *from, const char *to);

/* PATH replaced as mklink__write_file_atomic does, through the temporary
   name TMP chosen by the caller (a stale TMP is removed first), so that a
   crash that leaves the temporary leaves it under a name the caller can
   find and remove (a move's journal, "<LINK>.mklink-move.tmp"). */
int mklink__write_file_via(const char *path, const char *tmp, const char *data, size_t len);

/* ---- primitives of a move (copy.c and volume.c of each backend) ------- */

struct mklink__tree_attrs; /* tree.h */

/* Handed each chunk of a file's content as it is read; non-zero stops the
   copy or the read, and is returned as it is. */
typedef int (*mklink__chunk_cb)(const void *data, size_t len, void *arg);

/*
 * Copy the open regular file SRC (a descriptor or HANDLE from
 * mklink__tree_open_file, which ST describes) to the new file PATH (never
 * followed; MKLINK_EEXIST if the name is taken), handing CB each chunk as it
 * is read; then give the copy ST's owner (only when running as root), mode
 * and times, and flush it to disk before returning.  A failure removes what
 * it made of PATH.  SRC stays open.
 */
int mklink__copy_file(intptr_t src, const struct mklink__tree_attrs *st, const char *path,
                      mklink__chunk_cb cb, void *arg);
/* Read the regular file PATH (not followed), handing CB each chunk; *SIZE
   the bytes read.  A move's verification reads its copy back with it. */
int mklink__read_chunks(const char *path, mklink__chunk_cb cb, void *arg,
                        unsigned long long *size);
/* Make PATH a copy of a link: TEXT its stored text exactly as
   mklink__tree_readlink gave it (a simulated junction's mark included),
   JUNCTION 1 for a junction, ST the link's own attributes (on Windows they
   say whether it is a directory symbolic link).  Never resolved, never
   followed. */
int mklink__copy_link(const char *path, const char *text, int junction,
                      const struct mklink__tree_attrs *st);
/* Give PATH (not followed) ST's owner (as root), mode (not to a link) and
   times; IS_LINK says PATH is a link. */
int mklink__set_attrs(const char *path, int is_link, const struct mklink__tree_attrs *st);
/* Flush directory PATH (the names in it) to disk. */
int mklink__sync_dir(const char *path);
/* The bytes an unprivileged user may still write on the file system of
   PATH (which exists), and its allocation unit. */
int mklink__free_space(const char *path, unsigned long long *avail, unsigned long *block);
/* *SAME 1 if A (not followed) and B (followed) are on one file system. */
int mklink__same_volume(const char *a, const char *b, int *same);
/* MKLINK_EBUSY if another program holds PATH open without sharing it
   (Windows: the open asking for every share mode fails with
   ERROR_SHARING_VIOLATION); POSIX has no such locks: always 0. */
int mklink__file_busy(const char *path);
/* PATH as the system reaches it, for telling whether one path lies inside
   another: POSIX its physical name (the links on the way followed, the
   last name not); Windows mklink__absolute's form. */
int mklink__real_name(const char *path, char **out);

/* What a name is (mklink__node_type, mklink__list_dir). */
#define MKLINK__NODE_NONE 0    /* nothing there                 */
#define MKLINK__NODE_FILE 1    /* a regular file                */
#define MKLINK__NODE_DIR 2     /* a directory                   */
#define MKLINK__NODE_LINK 3    /* a symbolic link or junction   */
#define MKLINK__NODE_OTHER 4   /* a device, a socket, ...       */
#define MKLINK__NODE_UNKNOWN 5 /* the listing did not say: ask  */

/* What PATH is: followed to the end if FOLLOW (a dangling link is then
   NONE), else the name itself.  A missing name or parent gives NONE and 0. */
int mklink__node_type(const char *path, int follow, int *type);

/* The names of directory PATH, sorted (strcmp), without "." and "..";
   written once, on the walk engine (src/common/listing.c).
   mklink__list_dir_unsorted: the same in the order the system lists them
   (a caller that looks names up by hash spares the sort). */
typedef struct mklink__dir {
  size_t count;
  const char **names;
  unsigned char *types; /* MKLINK__NODE_* (a mount point is a DIR)        */
  char *block;          /* the names' storage                              */
} mklink__dir;
int mklink__list_dir(const char *path, mklink__dir *out);
int mklink__list_dir_unsorted(const char *path, mklink__dir *out);
void mklink__dir_free(mklink__dir *d);

/* The text stored in the link PATH, without following it or looking at what
   it points to (one readlink on POSIX): *KIND is MKLINK_FILE_SYMLINK (any
   symbolic link) or MKLINK_JUNCTION, *TEXT malloc'ed; or *KIND
   MKLINK_NOT_LINK and *TEXT NULL for anything else.  MKLINK_ENOFILE /
   MKLINK_ENOPATH if nothing is there. */
int mklink__link_text(const char *path, mklink_kind *kind, char **text);

/* 1 if LINK (not followed) and TARGET (followed) are the same file, 0 if
   not or if either is missing. */
int mklink__same_file(const char *link, const char *target);

/* Environment variable NAME (MKLINK_ENOFILE if unset), the user's home
   directory, the current directory. */
int mklink__getenv(const char *name, char **out);
int mklink__home_dir(char **out);
int mklink__current_dir(char **out);
/* The directory where mklink keeps state (journals): "mklink" under
   $XDG_STATE_HOME or ~/.local/state (POSIX), %LOCALAPPDATA% (Windows);
   with CREATE, made (with its parents) if missing. */
int mklink__state_dir(int create, char **out);

/* ---- journal.c: durable records of a plan's steps ---------------------- */

/*
 * A journal is a small text file of records, one per line, each a list of
 * fields written as "<length>:<bytes> " (so any byte may appear in a field),
 * replaced as a whole with mklink__write_file_atomic.  What the records mean
 * belongs to the operation that writes them (src/manifest/apply.c).
 */
typedef struct mklink__journal {
  char *data;
  size_t len, cap;
  int err; /* MKLINK_ENOMEM once a field could not be added */
} mklink__journal;

void mklink__journal_field(mklink__journal *j, const char *s);
void mklink__journal_number(mklink__journal *j, long long n);
void mklink__journal_end_record(mklink__journal *j);
/* Records already written (LEN bytes of another journal's data). */
void mklink__journal_append(mklink__journal *j, const char *data, size_t len);
void mklink__journal_free(mklink__journal *j);
/* Write J to PATH atomically (J->err first). */
int mklink__journal_save(const char *path, const mklink__journal *j);
/* Split DATA (LEN bytes, modified in place: each field gets a NUL) into
   records; CB gets each record's fields.  MKLINK_EIO for a malformed file. */
typedef int (*mklink__journal_cb)(char **fields, size_t n, void *arg);
int mklink__journal_parse(char *data, size_t len, mklink__journal_cb cb, void *arg);
/* The journal file for operation KIND ("apply", "move") of KEY (an absolute
   path): "<state dir>/KIND-<16 hex digits of a hash of KEY>.journal".  The
   state directory is made by mklink__journal_save, not here, so looking
   for a journal changes nothing. */
int mklink__journal_path(const char *kind, const char *key, char **out);

/* ---- buffer.c ----------------------------------------------------------- */

/* Make room for NEED elements of SIZE bytes in *BUF, which holds *CAP: it
   grows by doubling (*CAP updated); 0 or MKLINK_ENOMEM (*BUF unchanged). */
int mklink__grow(void **buf, size_t *cap, size_t need, size_t size);
/* A malloc'ed copy of S (C11 has no strdup), or NULL. */
char *mklink__strdup(const char *s);

/* ---- the OS-call table ------------------------------------------------- */

/* One entry per system call; each backend defines mklink__syscalls[] in its
   syscall.c from one X-macro list in its header (src/posix/syscall.h,
   src/win32/win32.h), with the typed os_<name> macros the backend calls
   through, and src/common/syscall.c implements the public setter and
   getters over it. */
typedef struct mklink__syscall {
  const char *name;
  mklink_syscall_ptr current; /* what the backend calls            */
  mklink_syscall_ptr dflt;    /* the system function, for restoring */
} mklink__syscall;

extern mklink__syscall mklink__syscalls[];
extern const size_t mklink__nsyscalls;

#endif /* MKLINK_INTERNAL_H */

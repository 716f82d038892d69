/*
 * posix.h -- what the files of the POSIX backend share.
 */
#ifndef MKLINK_POSIX_H
#define MKLINK_POSIX_H

#include "internal.h"
#include "path.h"
#include "syscall.h"

#include <limits.h>

/* Room for any path the system accepts, NUL included. */
#define MKLINK__PATH_MAX 4096

/*
 * What a failing call was about, for the errno values whose meaning depends
 * on it (see mklink__error()).
 */
typedef enum mklink__errctx {
  MKLINK__CTX_PATH,    /* a name being created or walked: ENOENT = no path */
  MKLINK__CTX_FILE,    /* an entry that must exist: ENOENT = no such file   */
  MKLINK__CTX_SYMLINK, /* symlinkat: EPERM = no symbolic links here         */
  MKLINK__CTX_READLINK /* readlinkat: EINVAL = not a symbolic link          */
} mklink__errctx;

/* The one errno -> MKLINK_E* translation of this backend (error.c). */
int mklink__error(int errnum, mklink__errctx ctx);
/* linkat's EPERM for TARGET (not a directory): MKLINK_ENOTSUP on a file
   system without hard links, else MKLINK_EACCES (error.c). */
int mklink__hardlink_eperm(const char *target);

/*
 * The error for a lookup of PATH that failed with ERRNUM: ENOENT is split
 * into MKLINK_ENOFILE (PATH's directory exists) and MKLINK_ENOPATH (it does
 * not), at the cost of one more lookup on this failure path (query.c).
 */
int mklink__lookup_error(const char *path, int errnum);

/*
 * The one describe step of a symbolic link (query.c), shared by mklink_query
 * and the tree walk: the link NAME in directory DFD has the text TEXT
 * (NUL-terminated).  Sets OUT's kind, nlink and -- with FOLLOW, by looking at
 * the target -- target_checked, target_exists and target_is_dir (a symbolic
 * link to a directory is MKLINK_DIR_SYMLINK: POSIX does not record /D);
 * *SKIP is the length of the junction mark that starts TEXT (0 for a
 * symbolic link): the target is TEXT + *SKIP.  OUT's strings are the
 * caller's to set.
 */
int mklink__describe_link(int dfd, const char *name, const char *text, int follow,
                          mklink_info *out, size_t *skip);

/* Write all LEN bytes of DATA to FD, through EINTR (file.c). */
int mklink__write_all(int fd, const char *data, size_t len);

/* mklink__temp_name() (internal.h) is in path.c: ".mklink-<16 hex>.tmp". */

/* How many temporary names to try before giving up with MKLINK_EEXIST. */
#define MKLINK__TEMP_ATTEMPTS 64

/*
 * Junction encoding (junction.c): a symbolic link whose text is "/." followed
 * by the absolute, normalised target.  docs/junctions.md says why.
 */
#define MKLINK__JUNCTION_MARK "/."
#define MKLINK__JUNCTION_MARK_LEN 2

/* 1 if TEXT, a symbolic link's text, is a simulated junction. */
int mklink__is_junction_text(const char *text);

/*
 * A junction's link text for TARGET, malloc'ed in *OUT: TARGET made
 * absolute against the current directory (read only if TARGET is relative)
 * and normalised, behind the mark.  Refuses a target on a network file
 * system with MKLINK_EREMOTE, one longer than a link can hold with
 * MKLINK_ENAMETOOLONG.
 */
int mklink__junction_text(const char *target, char **out);

/*
 * MKLINK_EREMOTE if PATH lies on a network file system, where no junction
 * may point (0 if it does not).  A missing PATH is allowed: its nearest
 * existing ancestor decides.
 */
int mklink__check_local(const char *path);

/* ---- path.c: paths against the current directory ----------------------- */

/*
 * The current directory, read into BUF (SIZE bytes) or, when it is longer,
 * into a malloc'ed buffer left in *HEAP (NULL otherwise; the caller frees
 * it); *CWD points to whichever holds it.  LIMIT 0 reads a directory of any
 * length; otherwise one that does not fit LIMIT bytes is MKLINK_ENAMETOOLONG
 * (for a result the system could not store anyway, such as a junction's
 * text).
 */
int mklink__cwd(char *buf, size_t size, size_t limit, char **heap, const char **cwd);
/* mklink__absolute() (internal.h) is here too. */

/*
 * Where the system goes for REST, a path (often a link's text) read from
 * directory BASE, into a malloc'ed block (*OUT) after PREFIX bytes left for
 * the caller: an absolute path in which every ".." is taken as the kernel
 * takes it, from the directory really reached (a symbolic link before a
 * ".." is followed), not by removing the name written before it.  Only
 * those names are looked at (readlinkat), so a path without ".." costs no
 * system call.  ALL looks at every name instead: the result then has no
 * symbolic link in it where the path exists.  Where the system could not
 * resolve the path either (a missing name, a loop), the rest is lexical.
 *
 * BASE is an absolute, normalised path with no symbolic link in it (the
 * current directory, or a directory reached without following any); an
 * absolute REST ignores it.  BASE_FD is BASE open (AT_FDCWD for the current
 * directory), so that names below it are looked at relative to it whatever
 * BASE's length, or -1 to look by absolute path.  Returns 0, MKLINK_ENOMEM
 * or the error of a look that failed otherwise (MKLINK_EIO, ...).
 */
int mklink__resolve(const char *base, int base_fd, const char *rest, int all, size_t prefix,
                    char **out);

/* mklink__resolve() of PATH from the current directory (read only when
   PATH is relative, whatever its length). */
int mklink__resolve_path(const char *path, int all, size_t prefix, char **out);

/*
 * PATH's directory resolved with every name looked at, then PATH's last
 * name (not followed): the name PATH is in its physical directory, in a
 * malloc'ed *OUT.  A PATH ending in ".", ".." or a separator is resolved
 * whole.  For comparing names and for MKLINK_RELATIVE.
 */
int mklink__physical_name(const char *path, char **out);

#endif /* MKLINK_POSIX_H */

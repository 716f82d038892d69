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

/*
 * mklink.h -- Windows mklink semantics on every platform.
 *
 * This header is the manual of libmklink.  Every public function returns 0 on
 * success or a negative MKLINK_E* code; mklink_strerror() turns that code into
 * the exact message Windows' mklink prints for the same situation, and
 * mklink_err_name() into its symbolic name.
 *
 * All paths are UTF-8 strings.  On Windows they are converted to UTF-16 at the
 * boundary (and given the \\?\ prefix when they are too long for MAX_PATH); on
 * POSIX they are passed to the system as they are.
 *
 * The library never prints, never exits, and keeps no global mutable state
 * except the OS-call table (see "Testing hooks" at the end).  Every function is
 * thread-safe, as far as the file system itself allows: two threads that create
 * the same name race exactly as two processes would.
 *
 * Failure leaves the file system as it was: a create that fails removes
 * anything it made before returning the error; a remove that fails removes
 * nothing.
 */
#ifndef MKLINK_H
#define MKLINK_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32) && defined(MKLINK_SHARED)
#  if defined(MKLINK_BUILDING)
#    define MKLINK_EXTERN __declspec(dllexport)
#  else
#    define MKLINK_EXTERN __declspec(dllimport)
#  endif
#elif defined(__GNUC__) && defined(MKLINK_BUILDING)
#  define MKLINK_EXTERN __attribute__((visibility("default")))
#else
#  define MKLINK_EXTERN
#endif

#define MKLINK_VERSION_MAJOR 0
#define MKLINK_VERSION_MINOR 2
#define MKLINK_VERSION_PATCH 0
#define MKLINK_VERSION_STRING "0.2.0"

/* The library's version, e.g. "0.2.0"; may differ from the header's. */
MKLINK_EXTERN const char *mklink_version(void);

/* ------------------------------------------------------------------------ */
/* Errors                                                                   */
/* ------------------------------------------------------------------------ */

/*
 * XX(name, value, win32, message)
 *
 * value    the (negative) code the library returns.
 * win32    the Win32 error that carries the same meaning (0 if none).  On
 *          Windows this is the GetLastError() value that maps to the code.
 * message  what mklink_strerror() returns.  Where Windows' mklink prints a
 *          message for the situation, this is that message byte for byte.
 *
 * Surprising mappings, written down once:
 * - A hard link to a directory is MKLINK_EACCES ("Access is denied."), as on
 *   Windows, not EPERM/EISDIR.
 * - ENOENT is split: a missing directory on the way to LINK is MKLINK_ENOPATH,
 *   a missing TARGET of a hard link is MKLINK_ENOFILE.
 * - ENOTDIR (a file where a directory was expected) is MKLINK_ENOPATH.
 * - MKLINK_ENOTCREATED is the honest answer of a system that reports success
 *   but creates nothing (Wine 8 for symbolic links); it is never returned for
 *   a link that exists.
 * - POSIX: EPERM is MKLINK_EACCES (Linux answers EPERM to a hard link to a
 *   directory), except from symlink(), where it means the file system has no
 *   symbolic links (FAT): MKLINK_ENOTSUP, as are EOPNOTSUPP and ENOSYS.
 * - POSIX: EINVAL from readlink() means "not a symbolic link" (the entry was
 *   swapped between two calls): MKLINK_ENOTLINK.  ERANGE from getcwd() is
 *   MKLINK_ENAMETOOLONG, EILSEQ (a name the file system cannot store) is
 *   MKLINK_EBADNAME, EDQUOT is MKLINK_ENOSPC, ETXTBSY is MKLINK_EBUSY.
 * - EMFILE and ENFILE (no descriptor left, per process or for the whole
 *   system) are MKLINK_EMFILE, as ERROR_TOO_MANY_OPEN_FILES (4) is; its text
 *   is Windows' own for error 4.
 * - An OS error with no entry here is carried as MKLINK_EOS(OSERR), below.
 */
#define MKLINK_ERRNO_MAP(XX)                                                  \
  XX(EINVAL, -1, 87, "The parameter is incorrect.")                          \
  XX(EEXIST, -2, 183, "Cannot create a file when that file already exists.") \
  XX(ENOPATH, -3, 3, "The system cannot find the path specified.")          \
  XX(ENOFILE, -4, 2, "The system cannot find the file specified.")          \
  XX(EACCES, -5, 5, "Access is denied.")                                     \
  XX(EXDEV, -6, 17,                                                          \
     "The system cannot move the file to a different disk drive.")           \
  XX(EMLINK, -7, 1142,                                                       \
     "An attempt was made to create more links on a file than the file "     \
     "system supports.")                                                     \
  XX(EREMOTE, -8, 0, "Local volumes are required to complete the operation.") \
  XX(ELOOP, -9, 1921, "The name of the file cannot be resolved by the system.") \
  XX(ENAMETOOLONG, -10, 206, "The filename or extension is too long.")      \
  XX(EBADNAME, -11, 123,                                                     \
     "The filename, directory name, or volume label syntax is incorrect.")   \
  XX(EPRIVILEGE, -12, 1314,                                                  \
     "You do not have sufficient privilege to perform this operation.")      \
  XX(ENOTSUP, -13, 50, "The request is not supported.")                      \
  XX(ENOTCREATED, -14, 0,                                                    \
     "The system reported success but created no link: this kind of link "   \
     "is not supported here.")                                               \
  XX(ENOTLINK, -15, 4390, "The file or directory is not a reparse point.")  \
  XX(EISDIR, -16, 0,                                                         \
     "The directory is not a link: only links are removed, never a real "    \
     "directory.")                                                           \
  XX(ELASTNAME, -17, 0,                                                      \
     "The file is not a link and this is its only name: removing it would "  \
     "delete its data.")                                                     \
  XX(ENOTEMPTY, -18, 145, "The directory is not empty.")                     \
  XX(EBUSY, -19, 32,                                                         \
     "The process cannot access the file because it is being used by "      \
     "another process.")                                                     \
  XX(ENOSPC, -20, 112, "There is not enough space on the disk.")             \
  XX(EROFS, -21, 19, "The media is write protected.")                        \
  XX(ENOMEM, -22, 8,                                                         \
     "Not enough memory resources are available to process this command.")   \
  XX(EIO, -23, 1117,                                                         \
     "The request could not be performed because of an I/O device error.")   \
  XX(EBADREPARSE, -24, 4392,                                                 \
     "The data present in the reparse point buffer is invalid.")             \
  XX(EMFILE, -25, 4, "The system cannot open the file.")                     \
  XX(EMOUNT, -26, 0, "a file system is mounted here: it was left as it is.")  \
  XX(EGIT, -27, 0,                                                           \
     "git could not read the index: the files it records as symbolic links " \
     "were not checked.")                                                    \
  XX(EMANIFEST, -28, 0, "The manifest is not valid.")                         \
  XX(ECONFLICT, -29, 0,                                                      \
     "A file or directory is in the way of a link: nothing was changed.")    \
  XX(ENOJOURNAL, -30, 0,                                                     \
     "There is no record of an apply of this manifest to undo.")             \
  XX(EMOVING, -31, 0,                                                        \
     "An earlier move of this path did not finish: resume it or roll it "    \
     "back first.")                                                          \
  XX(ENOMOVE, -32, 0, "There is no unfinished move of this path.")           \
  XX(EVERIFY, -33, 0,                                                        \
     "The copy does not match the original: nothing was removed.")           \
  XX(ESPECIAL, -34, 0,                                                       \
     "A device, socket or pipe cannot be moved: nothing was changed.")      \
  XX(ECANCELLED, -35, 1223, "The operation was canceled by the user.")      \
  XX(ECOMMITTED, -36, 0,                                                     \
     "The unfinished move had already removed data on one side: it was "    \
     "completed in that direction instead.")

typedef enum mklink_errno {
#define MKLINK__ERR_ENUM(name, value, win32, msg) MKLINK_##name = (value),
  MKLINK_ERRNO_MAP(MKLINK__ERR_ENUM)
#undef MKLINK__ERR_ENUM
  MKLINK_ERRNO_LAST = -37 /* one past the last code; not an error itself */
} mklink_errno;

/*
 * An OS error the table does not map is not guessed at: the code carries it.
 *
 * MKLINK_EOS(OSERR) is the code for OS error OSERR -- the errno value on
 * POSIX, the GetLastError() value on Windows -- for 1 <= OSERR <=
 * MKLINK_EOS_MAX; an error outside that range is MKLINK_EIO.  These codes
 * lie below MKLINK_EOS_BASE, far from the table's, so the table can grow.
 * mklink_err_os() gives OSERR back, mklink_strerror_r() the system's own
 * words for it (strerror_r on POSIX, FormatMessageW on Windows: the message
 * Windows' mklink prints for an error it has no text of its own for), and
 * mklink_err_name() "MKLINK_EOS".  Being a value, not a lookup, such a code
 * is as thread-safe as the others and needs no state in the library.
 *
 * Which errors the table maps, and so never arrive this way, is written in
 * the XX list above (and, per platform, in src/posix/error.c and
 * src/win32/error.c).
 */
#define MKLINK_EOS_BASE (-65536)
#define MKLINK_EOS_MAX 65535
#define MKLINK_EOS(oserr) (MKLINK_EOS_BASE - (int)(oserr))

/*
 * The message for ERR: the exact Windows mklink message where Windows has one.
 * Never NULL; an unknown code gives "Unknown error." and 0 gives "The
 * operation completed successfully.".  For a MKLINK_EOS() code, which has no
 * fixed text, it gives "The system reported an error that has no message in
 * this table."; use mklink_strerror_r() for the system's words.
 */
MKLINK_EXTERN const char *mklink_strerror(int err);

/*
 * The message for ERR in BUF (SIZE bytes, NUL-terminated, cut to fit):
 * mklink_strerror()'s text, or for a MKLINK_EOS() code the system's message
 * for the OS error, on one line without a final newline (or "System error
 * N." where the system has none).  Returns BUF; thread-safe.  A buffer of
 * MKLINK_STRERROR_MAX bytes holds any message whole.
 */
#define MKLINK_STRERROR_MAX 512
MKLINK_EXTERN char *mklink_strerror_r(int err, char *buf, size_t size);

/* "MKLINK_EEXIST" and so on; "MKLINK_EOS" for a MKLINK_EOS() code;
   "MKLINK_UNKNOWN" for an unknown code. */
MKLINK_EXTERN const char *mklink_err_name(int err);

/* The Win32 error that corresponds to ERR (0 if none), e.g. 183 for EEXIST;
   on Windows, the carried error of a MKLINK_EOS() code. */
MKLINK_EXTERN int mklink_err_win32(int err);

/* The OS error a MKLINK_EOS() code carries; 0 for any other code. */
MKLINK_EXTERN int mklink_err_os(int err);

/*
 * The code the library gives OS error OSERR (an errno value on POSIX, a
 * GetLastError() value on Windows) where no call gives it a closer meaning:
 * ENOSPC is MKLINK_ENOSPC, an error the table does not map MKLINK_EOS(OSERR).
 * For a program that reports its own failures (a write on stdout) in the
 * library's words.
 */
MKLINK_EXTERN int mklink_err_from_os(int oserr);

/* ------------------------------------------------------------------------ */
/* Kinds and flags                                                          */
/* ------------------------------------------------------------------------ */

typedef enum mklink_kind {
  MKLINK_NOT_LINK = 0,     /* query only: a plain file or directory       */
  MKLINK_FILE_SYMLINK = 1, /* mklink LINK TARGET                          */
  MKLINK_DIR_SYMLINK = 2,  /* mklink /D LINK TARGET                       */
  MKLINK_HARDLINK = 3,     /* mklink /H LINK TARGET                       */
  MKLINK_JUNCTION = 4,     /* mklink /J LINK TARGET                       */
  MKLINK_OTHER_REPARSE = 5, /* query only: a Windows reparse point that is
                               not a link (OneDrive, dedup...)              */
  MKLINK_MOUNT_POINT = 6    /* walk only: a mount point (another file
                               system, a bind mount, a Windows volume mount
                               point), never entered                        */
} mklink_kind;

/* "file symlink", "directory symlink", "hard link", "junction", ... */
MKLINK_EXTERN const char *mklink_kind_name(mklink_kind kind);

/*
 * MKLINK_REPLACE: if LINK exists and is itself a link (a symbolic link, a
 *   junction, or a file that has other names), replace it atomically: the new
 *   link is made under a temporary name in LINK's directory and renamed over
 *   LINK, so a reader sees the old link or the new one, never nothing.  It never
 *   removes the last name of any data: if LINK is a real directory or a file
 *   with a single name, the call fails with MKLINK_EEXIST and changes nothing.
 *
 * MKLINK_REQUIRE_TARGET: fail with MKLINK_ENOFILE if TARGET does not exist
 *   (Windows allows dangling symbolic links and junctions; this is `ln`-style
 *   strictness for scripts that want it).
 *
 * MKLINK_RELATIVE: store TARGET relative to LINK's directory (symbolic links
 *   only: with a junction, always absolute, or a hard link, which stores no
 *   target, the call fails with MKLINK_EINVAL).  The text is computed from
 *   the directory the system will resolve it from: on POSIX LINK's physical
 *   directory (the symbolic links on the way to it, and to TARGET's
 *   directory, followed; as `ln -sr` does), on Windows the two paths made
 *   absolute lexically (GetFullPathNameW).  See docs/semantics.md, "Paths".
 *   With MKLINK_REQUIRE_TARGET the stored text must lead somewhere from
 *   LINK's directory, as it will when the link is followed.
 *
 * On POSIX the temporary name of MKLINK_REPLACE is ".mklink-<16 hex>.tmp"
 * in LINK's directory; it never outlives the call.  POSIX cannot rename "only
 * if the destination is still a link", so LINK is checked just before the
 * rename: another process that swaps LINK for a real file in between would
 * lose that file.  Replacing a hard link by another name of the same file
 * succeeds and changes nothing.
 *
 * On Windows a file link is replaced atomically (MoveFileExW with
 * MOVEFILE_REPLACE_EXISTING), but Windows cannot rename over a directory, so
 * a directory symbolic link or a junction is replaced in two renames (the old
 * link to a temporary name, the new one into place, the old one removed, or
 * put back if the second rename fails): between them LINK is briefly missing.
 * Under Wine, a link made through the Wine bridge (or any Unix symbolic link)
 * is replaced by one rename(2) on the Unix side, atomically, whatever kind.
 */
#define MKLINK_REPLACE 0x1u
#define MKLINK_REQUIRE_TARGET 0x2u
#define MKLINK_RELATIVE 0x4u

/* ------------------------------------------------------------------------ */
/* Operations                                                               */
/* ------------------------------------------------------------------------ */

/*
 * Create LINK, a link of KIND to TARGET, as `mklink [/D|/H|/J] LINK TARGET`.
 *
 * - File and directory symbolic links store TARGET as given (unless
 *   MKLINK_RELATIVE); a missing TARGET is allowed and makes a dangling link.
 * - A hard link needs an existing TARGET that is not a directory
 *   (MKLINK_ENOFILE, MKLINK_EACCES), on the same volume (MKLINK_EXDEV), below
 *   the file system's link limit (MKLINK_EMLINK).
 * - A junction stores TARGET made absolute lexically against the current
 *   directory (like GetFullPathName: "." and ".." collapsed, no link
 *   followed).  A missing TARGET is allowed.  A TARGET on a network file system
 *   is refused with MKLINK_EREMOTE.  On POSIX, junctions are simulated: see
 *   docs/junctions.md for the encoding and its limits.
 *
 * Errors: MKLINK_EEXIST if LINK exists (file, directory, link or dangling link)
 * and MKLINK_REPLACE does not apply; MKLINK_ENOPATH if LINK's parent does not
 * exist; MKLINK_EINVAL for a NULL or empty path, an unknown kind or flag;
 * MKLINK_ELOOP for a symbolic link or junction whose target (resolved as the
 * system will resolve it) is LINK itself, which could only ever be a loop -- an
 * existing LINK still gives MKLINK_EEXIST, and MKLINK_REPLACE never replaces
 * a link with such a loop (Windows would make it; docs/bad-input.md);
 * MKLINK_ENOTCREATED if the system claimed success but no such link exists
 * (the half-made entry, if any, is removed); others as the system reports.
 */
MKLINK_EXTERN int mklink_create(const char *link, const char *target,
                                mklink_kind kind, unsigned flags);

/*
 * What mklink_query() and mklink_walk() report about a name.
 *
 * The two strings are owned by the library and are as long as they need to
 * be, so any legal target fits: Windows allows 32,767 UTF-16 units, up to
 * about 98 KB as UTF-8, and a fixed buffer big enough for that would cost
 * every caller 200 KB per structure and freeze the size into the ABI.
 * Library-owned strings were chosen over buffers the caller sizes because a
 * caller cannot know the sizes before asking (the resolved path depends on
 * the current directory and on the link), so every query would become two,
 * and because a walk hands each entry to its callback without a copy.
 *
 * - After mklink_query() the strings live in one block allocated for that
 *   structure: release it with mklink_info_free() before the structure is
 *   queried again or goes away.  mklink_info_free() is harmless after a
 *   failed query (the strings are then NULL) and when called twice.
 * - In an mklink_walk() callback the structure and its strings belong to
 *   the walk and are valid only during the call: copy what must outlive it,
 *   and never pass it to mklink_info_free().
 *
 * target_exists and target_is_dir are 0 or 1 and mean something only when
 * target_checked is 1: mklink_query() always looks at the target;
 * mklink_walk() looks only with MKLINK_WALK_TARGETS or MKLINK_WALK_BROKEN
 * and otherwise reports target_checked 0, with both fields 0 ("not looked
 * at", which is not "dangling").
 */
typedef struct mklink_info {
  mklink_kind kind;     /* MKLINK_NOT_LINK for a plain file or directory     */
  int target_checked;   /* 1 if the two fields below were looked at          */
  int target_exists;    /* 1 if the resolved target exists, 0 if dangling    */
  int target_is_dir;    /* 1 if the resolved target is a directory           */
  unsigned long nlink;  /* number of names of the file (hard links); 1 for
                           a directory or a link itself                      */
  /* The target as stored in the link, NUL-terminated: for a symbolic link
     the text given at creation (relative stays relative); for a junction
     the absolute path (Windows: the print name, C:\...).  Empty for a hard
     link or a plain entry. */
  const char *target;
  /* The target resolved to an absolute path against the link's directory
     (see docs/semantics.md for how each system resolves it).  For a hard
     link or a plain entry: PATH made absolute. */
  const char *resolved;
} mklink_info;

/*
 * Release what mklink_query() allocated for INFO and set its strings to
 * NULL.  INFO NULL, or one whose strings are NULL, is ignored.
 */
MKLINK_EXTERN void mklink_info_free(mklink_info *info);

/*
 * Describe PATH without following it.
 *
 * On POSIX a symbolic link cannot record whether it was made with /D: the
 * kind is MKLINK_DIR_SYMLINK when its target resolves to a directory and
 * MKLINK_FILE_SYMLINK otherwise (including dangling links).  A simulated
 * junction is reported as MKLINK_JUNCTION.  A regular file with more than one
 * name is MKLINK_HARDLINK.  Windows records /D in the link and reports it as
 * recorded.
 *
 * On success OUT holds strings allocated for it: call mklink_info_free(OUT)
 * when done with them.  On failure OUT's strings are NULL.
 *
 * Errors: MKLINK_ENOFILE if PATH does not exist, MKLINK_ENOPATH if its parent
 * does not, MKLINK_ENOMEM if the strings cannot be allocated,
 * MKLINK_ENAMETOOLONG if a link's text is longer than the system itself
 * allows (POSIX: PATH_MAX - 1 bytes), MKLINK_ENOTLINK if PATH stopped being a
 * link while it was read.  A target that cannot be followed (missing, a loop,
 * a file on the way) is not an error: the link is dangling (target_exists 0).
 */
MKLINK_EXTERN int mklink_query(const char *path, mklink_info *out);

/*
 * Remove the link PATH and only the link: never its target, never a real
 * directory, never the last name of a file.
 *
 * A symbolic link (file or directory), a junction, or a file with more than
 * one name is removed.  A real directory is refused with MKLINK_EISDIR and a
 * file with a single name with MKLINK_ELASTNAME; nothing is changed.  This is
 * the safe answer to the `rd` versus `rmdir /S` trap.  A trailing separator
 * ("LINK/") names what the link points to, so it is refused as a directory.
 *
 * Under Wine, a Unix symbolic link (whoever made it) is a link too, and is
 * removed on the Unix side: Wine's own DeleteFileW would delete its target
 * (docs/wine.md).  Where the Unix side cannot be reached (not x86_64 Linux,
 * or a Wine that traps system calls), a file with several names may be such
 * a link in disguise and is refused with MKLINK_ENOTSUP.
 *
 * Errors: MKLINK_ENOFILE if PATH does not exist, MKLINK_ENOPATH if its parent
 * does not.  On POSIX, PATH is examined (lstat) and then unlinked: a process
 * that swaps it for a real file in between would lose that file.
 */
MKLINK_EXTERN int mklink_remove(const char *path);

/*
 * Delete the directory tree PATH without ever following a symbolic link or a
 * junction and without ever crossing a mount point: links inside the tree
 * are removed as links and their targets are never entered; a file system
 * mounted inside the tree (another volume, a bind mount of a directory or of
 * a single file, even of the same file system) is neither entered nor
 * removed.  If PATH itself is a link, only the link is removed.
 *
 * POSIX: the walk goes through directory descriptors opened with O_NOFOLLOW,
 * asks each directory it opens whether it is the root of a mount (statx
 * STATX_ATTR_MOUNT_ROOT, which sees bind mounts; on kernels before Linux 5.8
 * another device or a mount point of /proc/self/mountinfo) before reading
 * it, and only ever comes back up into the directory it came from: the few
 * descriptors it keeps (the deepest levels) let it climb through "..", and
 * only after checking device and inode against those recorded on the way
 * down; a directory moved away meanwhile is not climbed into.  Time is
 * linear in the size of the tree and the descriptors are bounded (about ten,
 * fewer when the process runs short), whatever the depth; paths longer than
 * PATH_MAX are no limit.  PATH's directory is opened O_PATH, so a directory
 * that may be written but not read (mode 300) works as for `rm -r`.
 *
 * Windows: each directory is opened with FILE_FLAG_OPEN_REPARSE_POINT and
 * held without FILE_SHARE_DELETE while it is emptied, so it cannot be swapped
 * meanwhile; a reparse point found in the tree (symbolic link, junction,
 * volume mount point) is removed as the link it is.  Under Wine, the Unix
 * symbolic links of each directory are removed on the Unix side before it is
 * emptied (dangling ones too, which Wine does not list); where the Unix side
 * cannot be reached, the call is refused with MKLINK_ENOTSUP rather than
 * risk deleting through a link.
 *
 * What could not be removed is left and the delete goes on with the rest of
 * the tree (the directories holding it stay); the call then fails with the
 * first such error.  A trailing slash does not make a link to a directory
 * count as the directory.
 *
 * Errors: MKLINK_EINVAL for a NULL or empty PATH, "/", or a PATH whose last
 * component is "." or ".."; MKLINK_ENOFILE if PATH does not exist,
 * MKLINK_ENOPATH if its parent does not; MKLINK_ELASTNAME if PATH is a file
 * with a single name (not a tree, not a link: its data is not deleted here);
 * MKLINK_EMOUNT if PATH is a mount point, or one was found inside the tree
 * (left as it is, the rest removed, POSIX); on Windows MKLINK_EACCES if PATH
 * is a reparse point that is not a link; MKLINK_EBUSY when the tree keeps
 * changing under the walk (it gives up rather than loop forever); otherwise
 * the error of the first entry that could not be removed (what could be
 * removed is removed).
 */
MKLINK_EXTERN int mklink_remove_tree(const char *path);

/*
 * Called for each entry that could not be removed: PATH is the entry's path
 * (the PATH given joined with the names below it), ERROR why (e.g.
 * MKLINK_EMOUNT for a mount point, left as it is).  Return 0 to go on with
 * the rest of the tree, anything else to stop there.  PATH is valid only
 * during the call.
 */
typedef int (*mklink_error_cb)(const char *path, int error, void *arg);

/*
 * mklink_remove_tree(), telling CB (NULL: nobody) about every entry inside
 * the tree that could not be removed, so a caller can name the entry that
 * failed, not only PATH.  Errors about PATH itself (missing, a file with one
 * name, a mount point given as PATH...) are only returned.  Returns what
 * mklink_remove_tree() returns: 0 if the whole tree is gone, else the first
 * error (the one CB heard first, if any).
 */
MKLINK_EXTERN int mklink_remove_tree_report(const char *path, mklink_error_cb cb, void *arg);

/* ------------------------------------------------------------------------ */
/* Walking a tree for links                                                 */
/* ------------------------------------------------------------------------ */

#define MKLINK_WALK_RECURSIVE 0x1u /* descend into real subdirectories       */
#define MKLINK_WALK_HARDLINKS 0x2u /* also report files with several names   */
#define MKLINK_WALK_BROKEN 0x4u    /* report only dangling links             */
#define MKLINK_WALK_TARGETS 0x8u   /* follow each link once to its target    */

/*
 * One entry found by mklink_walk().  PATH is DIR joined with the entry's
 * relative name.  ERROR is 0 for a link (INFO describes it as mklink_query
 * would), or a MKLINK_E* code for a directory that could not be read (INFO is
 * then NULL and the walk goes on).  Both are valid only during the callback.
 */
typedef struct mklink_walk_entry {
  const char *path;
  int error;
  const mklink_info *info;
} mklink_walk_entry;

/* Return 0 to go on; any other value stops the walk and is returned by it. */
typedef int (*mklink_walk_cb)(const mklink_walk_entry *entry, void *arg);

/*
 * Call CB for every link in directory DIR (with MKLINK_WALK_RECURSIVE, in the
 * whole tree), like `dir /AL [/S]`.  The walk never follows or descends into a
 * link (symbolic link or junction), so it cannot count twice, leave the tree
 * or loop.  Order within a directory is the order the system lists it.
 *
 * Looking at what a link points to costs one more system call per link, so
 * it is done only with MKLINK_WALK_TARGETS or MKLINK_WALK_BROKEN.  Without
 * them, a link's target_checked is 0 (target_exists and target_is_dir are
 * then 0 too, meaning "not looked at") and, on POSIX, where a symbolic link
 * does not record /D, a symbolic link is reported as MKLINK_FILE_SYMLINK.
 * Files and hard links are always looked at (target_checked 1).  DIR itself
 * is followed if it is a link.
 *
 * Errors: MKLINK_ENOPATH if DIR does not exist, MKLINK_EINVAL if it is not
 * a directory; otherwise 0 or the first non-zero value CB returned.
 */
MKLINK_EXTERN int mklink_walk(const char *dir, unsigned flags, mklink_walk_cb cb,
                              void *arg);

/* ------------------------------------------------------------------------ */
/* Checking a tree before it reaches Windows                                */
/* ------------------------------------------------------------------------ */

/*
 * What mklink_check_portable() can find: each a rule a tree breaks when it is
 * checked out, copied or unpacked on Windows.  The names that
 * mklink_portable_kind_name() gives ("reserved-name", ...) are stable: they
 * are the "kind" of --check-portable --json, and docs/portability.md gives
 * each one's Windows rule and the Microsoft page it comes from.
 */
typedef enum mklink_portable_kind {
  MKLINK_PORTABLE_RESERVED_NAME = 1, /* CON, PRN, AUX, NUL, COM1-9, LPT1-9,
                                        COM/LPT with a superscript 1-3,
                                        CONIN$, CONOUT$: any case, with any
                                        extension, spaces before the dot   */
  MKLINK_PORTABLE_FORBIDDEN_CHAR,    /* < > : " \ | ? * in a name          */
  MKLINK_PORTABLE_CONTROL_CHAR,      /* a character 1-31 in a name          */
  MKLINK_PORTABLE_TRAILING_DOT_OR_SPACE, /* a name ending in "." or " "     */
  MKLINK_PORTABLE_INVALID_UTF8,      /* a name that is not UTF-8: Windows
                                        names are Unicode                  */
  MKLINK_PORTABLE_NAME_TOO_LONG,     /* a name over 255 UTF-16 units        */
  MKLINK_PORTABLE_PATH_TOO_LONG,     /* a path over the limit (max_path)    */
  MKLINK_PORTABLE_CASE_COLLISION,    /* two names in one directory that
                                        Windows holds for the same name    */
  MKLINK_PORTABLE_ABSOLUTE_TARGET,   /* a symbolic link to an absolute path */
  MKLINK_PORTABLE_TARGET_OUTSIDE,    /* a relative link text climbing out of
                                        the checked directory              */
  MKLINK_PORTABLE_MISSING_TARGET,    /* a symbolic link whose target does not
                                        exist: file or directory link is
                                        then anybody's guess               */
  MKLINK_PORTABLE_JUNCTION_OUTSIDE,  /* a junction to outside the checked
                                        directory                          */
  MKLINK_PORTABLE_GIT_SYMLINK_STUB,  /* a regular file that git's index
                                        records as a symbolic link         */
  MKLINK_PORTABLE_MOUNT_POINT        /* a mount point (another file system,
                                        a bind mount), never entered: what
                                        is behind it was not checked       */
} mklink_portable_kind;

/* "reserved-name", "forbidden-char", ...; "unknown" for anything else. */
MKLINK_EXTERN const char *mklink_portable_kind_name(mklink_portable_kind kind);

/*
 * One finding, or one error, of mklink_check_portable().  Everything is valid
 * only during the callback.
 *
 * ERROR 0: a finding of KIND about PATH (DIR joined with the entry's names,
 * with the system's separator; PATH + REL is the part below DIR).  DETAIL
 * says what and why in one line of English ("'aux' is the device AUX on
 * Windows, whatever the extension"); a name in it is as PATH has it, except
 * that bytes that are not UTF-8 and control characters are written \xNN.
 * OTHER is, for MKLINK_PORTABLE_CASE_COLLISION, the path of the entry PATH
 * collides with; for the link kinds, the link's text; else NULL.  LENGTH
 * and LIMIT are, for the two too-long kinds, the length in UTF-16 units and
 * the limit it is over; else 0.
 *
 * ERROR non-zero: a MKLINK_E* code for PATH, which could not be read (a
 * directory that cannot be listed: what is below it was not checked) or
 * checked (git could not read its index: MKLINK_EGIT, DETAIL then is git's
 * own message); KIND is 0.  The check goes on.
 */
typedef struct mklink_portable_finding {
  mklink_portable_kind kind;
  int error;
  const char *path;
  size_t rel;
  const char *detail;
  const char *other;
  size_t length, limit;
} mklink_portable_finding;

/* Return 0 to go on; any other value stops the check and is returned by it. */
typedef int (*mklink_portable_cb)(const mklink_portable_finding *finding, void *arg);

/* The default limit of a path: MAX_PATH (260) less its terminating NUL. */
#define MKLINK_PORTABLE_MAX_PATH 259
/*
 * What the check adds to a path below DIR before comparing it with the
 * limit: the "C:\" DIR's contents would sit under at the very least.  A
 * tree checked out deeper needs a smaller limit: for D:\a\repo\repo\, 13
 * units more, so max_path 246.
 */
#define MKLINK_PORTABLE_PREFIX 3

/* Do not ask git about the files it records as symbolic links. */
#define MKLINK_PORTABLE_NO_GIT 0x2u

typedef struct mklink_portable_options {
  unsigned flags;  /* MKLINK_PORTABLE_NO_GIT */
  /* The longest path allowed, in UTF-16 units, counting
     MKLINK_PORTABLE_PREFIX and the path below DIR with '\' between the
     names; a directory must leave room for "\" and an 8.3 name (12 units)
     within it, as CreateDirectory requires.  0: MKLINK_PORTABLE_MAX_PATH. */
  size_t max_path;
} mklink_portable_options;

/*
 * Check the tree DIR for what breaks on Windows and call CB once per
 * finding (see mklink_portable_kind), like `mklink --check-portable DIR`.
 *
 * The walk is mklink_walk()'s with MKLINK_WALK_RECURSIVE: DIR itself is
 * followed if it is a link, nothing below it is; links are checked, never
 * entered.  A directory named ".git" is not entered: git makes what is in
 * it.  Findings come in the walk's order (the order the system lists each
 * directory), a name's own findings in the order of mklink_portable_kind;
 * the case collisions of a directory once it has been listed to its end.
 * Below a directory whose path is already too long, nothing is reported as
 * too long again.
 *
 * Inside a git work tree (unless MKLINK_PORTABLE_NO_GIT), `git ls-files
 * --stage` in DIR says which files git records as symbolic links (mode
 * 120000); those that are regular files on disk are the text stubs git
 * writes with core.symlinks=false.  Where git is not installed, or DIR is
 * not in a work tree, that check is left out without a word.
 *
 * OPTS may be NULL (the defaults).  Returns 0 when the check ran (found or
 * not: CB was told), MKLINK_ENOPATH if DIR does not exist, MKLINK_EINVAL if
 * it is not a directory, or an option is unknown, MKLINK_ENOMEM, or the
 * first non-zero value CB returned.
 */
MKLINK_EXTERN int mklink_check_portable(const char *dir, const mklink_portable_options *opts,
                                        mklink_portable_cb cb, void *arg);

/* ------------------------------------------------------------------------ */
/* Capabilities                                                             */
/* ------------------------------------------------------------------------ */

/* Bit for KIND in mklink_caps.real and .simulated. */
#define MKLINK_KIND_BIT(kind) (1u << (unsigned)(kind))

typedef struct mklink_caps {
  unsigned real;      /* kinds this OS and file system really create there  */
  unsigned simulated; /* kinds the library simulates there (POSIX junction) */
  unsigned bridged;   /* of REAL, the kinds made through the Wine bridge:
                         Unix symbolic links that every Windows program
                         under that Wine follows (docs/wine.md)             */
  char emulator[16];  /* "wine" under Wine, else ""                          */
  char emulator_version[32]; /* e.g. "8.0", else ""                         */
} mklink_caps;

/*
 * What can be created in directory DIR (NULL: the current directory), probed
 * for real: each kind is created once under a temporary name, verified and
 * removed.  The probe leaves nothing behind.  Under Wine, the emulator and its
 * version are reported.
 *
 * Under a Wine that creates no symbolic links or junctions itself (before
 * 10.19), on x86_64 Linux, the library makes them as Unix symbolic links
 * (the "Wine bridge"): such a kind is in REAL and in BRIDGED only when the
 * probe's link was read back through Linux and then opened through Win32,
 * reaching its target.  Where that cannot be proven (another host, a Wine
 * that traps system calls from Windows code) the kind is absent and creating
 * it fails honestly, as without the bridge.
 *
 * Errors: MKLINK_ENOPATH if DIR does not exist or is not a directory;
 * MKLINK_EACCES or MKLINK_EROFS if it cannot be written (no kind can be
 * probed).  A kind the file system refuses (symbolic links on FAT, a
 * junction to a network file system) is simply absent from the answer.
 */
MKLINK_EXTERN int mklink_capabilities(const char *dir, mklink_caps *out);

/* ------------------------------------------------------------------------ */
/* Manifests: a whole list of links applied, checked and undone             */
/* ------------------------------------------------------------------------ */

/*
 * A manifest is a YAML file in dotbot's format (install.conf.yaml): a list of
 * tasks, each one of the directives "defaults", "link", "create", "clean"
 * (and "shell", which is never run).  docs/manifest.md is its full
 * description: every option, the extensions (type: junction, fallback:, os:,
 * %VAR% expansion), the plan, the journal and its states.
 *
 * mklink_manifest_open() reads and expands the file once; check, apply and
 * undo work on the object it returns.  Every path the entries hold is
 * expanded (~, $VAR, ${VAR}, %VAR%) and absolute; targets are taken relative
 * to the manifest's own directory.
 */
typedef struct mklink_manifest mklink_manifest;

/* What an entry is. */
typedef enum mklink_manifest_op {
  MKLINK_OP_LINK = 0,  /* a link of the "link" directive (one per glob match) */
  MKLINK_OP_MKDIR = 1, /* a directory of the "create" directive, or a parent
                          made for a link with create: true                  */
  MKLINK_OP_CLEAN = 2, /* a dangling link found by the "clean" directive     */
  MKLINK_OP_SKIP = 3   /* something mklink never does: a shell command, an
                          `if:` condition, a copy, an entry for another OS  */
} mklink_manifest_op;

/* mklink_manifest_check(): what is on disk for an entry. */
typedef enum mklink_manifest_state {
  MKLINK_STATE_OK = 0,       /* the right link (or directory) is there      */
  MKLINK_STATE_MISSING,      /* nothing at the path                         */
  MKLINK_STATE_WRONG_TARGET, /* a link, to something else                   */
  MKLINK_STATE_WRONG_KIND,   /* a link to the target, of a kind not asked   */
  MKLINK_STATE_BROKEN,       /* the right link, but its target is missing;
                                for clean: a dangling link still there      */
  MKLINK_STATE_BLOCKED,      /* a real file or directory is in the way      */
  MKLINK_STATE_SKIPPED       /* MKLINK_OP_SKIP: not looked at               */
} mklink_manifest_state;

/* mklink_manifest_apply(): what the plan does with an entry. */
typedef enum mklink_manifest_action {
  MKLINK_ACTION_OK = 0,   /* already right: not touched                       */
  MKLINK_ACTION_CREATE,   /* made (a link, or a directory)                    */
  MKLINK_ACTION_RELINK,   /* a link to something else replaced atomically     */
  MKLINK_ACTION_CONFLICT, /* a real file or directory (or a foreign link
                             without relink:) is in the way: nothing is done  */
  MKLINK_ACTION_BACKUP,   /* what was in the way renamed to .backup, then
                             made                                             */
  MKLINK_ACTION_REPLACE,  /* what was in the way deleted (--force), then made */
  MKLINK_ACTION_REMOVE,   /* a dangling link removed (clean)                   */
  MKLINK_ACTION_SKIP      /* not done: see .note                               */
} mklink_manifest_action;

typedef struct mklink_manifest_entry {
  mklink_manifest_op op;
  const char *directive;      /* "link", "create", "clean", "shell", ...       */
  unsigned line, column;      /* where the entry is in the manifest (from 1)   */
  const char *path;           /* the link or directory, absolute               */
  const char *target;         /* the text the link stores (NULL for MKDIR);
                                 for a hard link the target's absolute path   */
  mklink_kind kind;           /* the kind asked for first                     */
  mklink_kind made;           /* check: the kind found; apply: the kind made
                                 (a fallback, if the first could not be made) */
  mklink_manifest_state state;   /* set by mklink_manifest_check()           */
  mklink_manifest_action action; /* set by mklink_manifest_apply()           */
  const char *found;          /* check/apply: the text of the link found there
                                 (NULL if none)                               */
  const char *backup;         /* MKLINK_ACTION_BACKUP: the name it was moved to */
  const char *note;           /* why it is skipped, a warning, or NULL        */
  int error;                  /* 0, or what failed for this entry              */
} mklink_manifest_entry;

/* mklink_manifest_open() flags. */
#define MKLINK_MANIFEST_STRICT 0x1u /* shell, if: and copies are errors, not
                                       skipped entries                       */

/*
 * Read manifest FILE and expand every entry (glob patterns are matched
 * against the file system here; nothing is changed).  *OUT receives the
 * manifest whenever it could be allocated -- also on MKLINK_EMANIFEST, so the
 * error can be read with mklink_manifest_error() -- and must be given to
 * mklink_manifest_close().
 *
 * Errors: MKLINK_EMANIFEST for bad YAML, an unknown directive or option, a
 * value of the wrong type (and with MKLINK_MANIFEST_STRICT a shell command or
 * condition); MKLINK_ENOFILE or MKLINK_ENOPATH if FILE does not exist;
 * MKLINK_ENOTSUP if this build has no YAML parser; MKLINK_EINVAL for bad
 * arguments; others as reading the file gives.
 */
MKLINK_EXTERN int mklink_manifest_open(const char *file, unsigned flags,
                                       mklink_manifest **out);

/*
 * The message of the last MKLINK_EMANIFEST (what was found and what was
 * expected there) and its LINE and COLUMN (from 1; either pointer may be
 * NULL), or NULL if there is none.  The message is owned by M.
 */
MKLINK_EXTERN const char *mklink_manifest_error(const mklink_manifest *m,
                                                unsigned *line, unsigned *column);

/* Number of entries, and entry I (NULL past the end); owned by M. */
MKLINK_EXTERN size_t mklink_manifest_count(const mklink_manifest *m);
MKLINK_EXTERN const mklink_manifest_entry *mklink_manifest_entry_at(const mklink_manifest *m,
                                                                    size_t i);

/*
 * The drift report: set every entry's state from what is on disk, changing
 * nothing.  *DRIFTED (may be NULL) receives the number of entries whose state
 * is neither OK nor SKIPPED.  Returns 0 or the first error that stopped the
 * check (an entry that cannot be looked at has its error set and counts as
 * drifted instead).
 */
MKLINK_EXTERN int mklink_manifest_check(mklink_manifest *m, size_t *drifted);

/* mklink_manifest_apply() flags. */
#define MKLINK_APPLY_DRY_RUN 0x1u /* compute and report the plan, change nothing */
#define MKLINK_APPLY_BACKUP 0x2u  /* rename what is in the way to a backup name  */
#define MKLINK_APPLY_FORCE 0x4u   /* delete what is in the way (directories by
                                     mklink_remove_tree)                       */

/*
 * Compute the plan (each entry's action) and carry it out, entry by entry, in
 * the manifest's order.  An entry that is already right is not touched, so a
 * second apply changes nothing.  A link to another target is replaced
 * atomically (MKLINK_REPLACE) when the entry says relink: or force:.
 *
 * Conflicts: without MKLINK_APPLY_BACKUP or MKLINK_APPLY_FORCE a conflict
 * stops the whole apply before anything is changed (MKLINK_ECONFLICT; every
 * conflicting entry has action MKLINK_ACTION_CONFLICT).  An entry marked
 * force: or backup: in the manifest is backed up, never deleted: only
 * MKLINK_APPLY_FORCE deletes.  The two flags exclude each other
 * (MKLINK_EINVAL).
 *
 * The journal: before the first change, the plan is written (write to a
 * temporary file, fsync, rename) to the state directory ($XDG_STATE_HOME or
 * ~/.local/state, %LOCALAPPDATA% on Windows, then "mklink/"), and marked
 * done after the last.  A failing step undoes the steps before it and returns
 * its error (the entry has it too); an apply killed half-way is undone from
 * the journal by the next apply (which then applies anew) or by
 * mklink_manifest_undo().  An apply that changes nothing writes no journal.
 *
 * A target that does not exist is skipped (error MKLINK_ENOFILE on the
 * entry, like dotbot) unless ignore-missing: is set; the apply goes on and
 * returns 0: look at the entries.  A kind that cannot be made here is tried
 * with the entry's fallback: kinds in order; .made says which one was made.
 */
MKLINK_EXTERN int mklink_manifest_apply(mklink_manifest *m, unsigned flags);

/*
 * Put back what the last apply of manifest FILE changed, from its journal:
 * links made are removed, links replaced are put back, backups are renamed
 * to their names, directories made are removed if empty, links cleaned are
 * made again.  What --force deleted cannot come back (those entries have
 * error MKLINK_ENOFILE).  A step whose path no longer holds what the apply
 * left there is not touched (its entry has error MKLINK_ECONFLICT).  Undo
 * can be interrupted and run again.  *OUT (may be NULL) receives the steps
 * undone, as entries, to be closed with mklink_manifest_close().
 *
 * FILE need not exist any more: only its absolute path names the journal.
 * Errors: MKLINK_ENOJOURNAL if there is nothing to undo.
 */
MKLINK_EXTERN int mklink_manifest_undo(const char *file, mklink_manifest **out);

/* Free M (NULL is allowed). */
MKLINK_EXTERN void mklink_manifest_close(mklink_manifest *m);

/* ------------------------------------------------------------------------ */
/* Moving a folder and leaving a link                                       */
/* ------------------------------------------------------------------------ */

/* The steps of a move, in order, as the progress callback sees them. */
typedef enum mklink_move_phase {
  MKLINK_MOVE_PLAN = 0,   /* LINK's tree was walked and checked: totals known */
  MKLINK_MOVE_COPY = 1,   /* copying (another file system only)               */
  MKLINK_MOVE_VERIFY = 2, /* comparing sizes and content hashes of the copy   */
  MKLINK_MOVE_SWAP = 3,   /* LINK renamed aside, the link being made          */
  MKLINK_MOVE_CLEAN = 4,  /* removing the old tree (mklink_remove_tree)       */
  MKLINK_MOVE_DONE = 5    /* LINK is a link to TARGET, nothing of the move left */
} mklink_move_phase;

/*
 * What a move reports as it goes.  PATH (may be NULL) is the entry being
 * worked on, relative to LINK, valid only during the call.  The totals are
 * known from MKLINK_MOVE_PLAN on.  SAME_DEVICE is 1 when LINK and TARGET are
 * on one file system (one rename, no copy), 0 when the tree is copied.
 */
typedef struct mklink_move_progress {
  mklink_move_phase phase;
  const char *path;
  unsigned long long bytes_done, bytes_total; /* regular files' contents   */
  unsigned long long files_done, files_total; /* every entry of the tree   */
  int same_device;
} mklink_move_progress;

/*
 * Called at each phase and, during the copy and the verification, every few
 * megabytes at most.  Return 0 to go on; anything else stops the move as a
 * failure would (MKLINK_ECANCELLED is returned) and leaves it to
 * be resumed or rolled back, exactly as a crash at that point would.
 */
typedef int (*mklink_move_cb)(const mklink_move_progress *progress, void *arg);

/* mklink_move() flags. */
#define MKLINK_MOVE_DRY_RUN 0x1u /* check and plan (one MKLINK_MOVE_PLAN report
                                    with the totals), change nothing          */

/*
 * Move what is at LINK to TARGET, then make LINK a link of KIND to TARGET:
 * MKLINK_DIR_SYMLINK or MKLINK_JUNCTION for a directory tree,
 * MKLINK_FILE_SYMLINK or MKLINK_HARDLINK for a file.  The link stores
 * TARGET made absolute (against the current directory, as the move itself
 * reads it), so it leads to the data wherever LINK is.
 *
 * On one file system this is one rename and the link (a failing link renames
 * back).  Across file systems the tree is copied exactly -- regular files
 * with their mode and times (owner too when run as root), directories,
 * symbolic links and junctions as links (never followed), hard links inside
 * the tree as hard links -- to a temporary name beside TARGET, fsynced and
 * verified (every file read back: sizes and XXH3 content hashes); then the
 * copy is renamed to TARGET, LINK is renamed aside to a temporary name in
 * its directory, the link is made at LINK, and the old tree is removed with
 * mklink_remove_tree().  The copy never follows a link: a directory of LINK
 * swapped for a link while it is copied is copied as that link.  At every
 * instant the complete data exists under a name the journal records: a move
 * interrupted at any point (an error, a crash, a kill) is finished by
 * mklink_move_resume() or undone by mklink_move_rollback(); docs/move.md has
 * the state machine.  The temporary names are mklink__temp_name's
 * (".mklink-<16 hex>.tmp" on POSIX); none outlives the move.
 *
 * The journal is one small file beside LINK: LINK's name with a
 * ".mklink-move" suffix (LINK without a trailing separator), replaced
 * whole at each step through "<LINK>.mklink-move.tmp" (write, fsync,
 * rename, fsync of the directory).  Both are gone after the move, a resume
 * or a rollback.
 *
 * Refused before anything changes: MKLINK_EMOVING if LINK has an unfinished
 * move; MKLINK_ENOFILE if LINK does not exist; MKLINK_EEXIST if TARGET exists
 * and is not an empty directory (or LINK is a file and TARGET exists);
 * MKLINK_ENOPATH if TARGET's directory does not exist; MKLINK_EINVAL for a
 * KIND that does not fit what LINK is (a directory with the file kinds, a
 * file with /D or /J, LINK itself a link), for TARGET inside LINK or LINK
 * inside TARGET (or the same); MKLINK_EXDEV for MKLINK_HARDLINK across file
 * systems; MKLINK_ESPECIAL for a device, socket or pipe at LINK or in the
 * tree; MKLINK_EMOUNT for a mount point there; MKLINK_ENOSPC if TARGET's
 * file system has not room for the copy; on Windows MKLINK_EBUSY for a file
 * held open without sharing.  A copy that does not verify is MKLINK_EVERIFY
 * and any other failure of the copy (a full disk: MKLINK_ENOSPC) returns
 * its error with the copy removed and LINK untouched, the journal gone.
 * Before anything of the old tree is removed, the tree renamed aside is
 * walked again and must be exactly what the copy read (every path, type,
 * device and inode, size, link count, modification and change time); if
 * anything differs (a directory swapped for a link and back during the
 * copy, a file written to or added after it was copied) the swap is undone,
 * the copy removed, the journal gone: MKLINK_EVERIFY.  Any other failure
 * after the copy returns its error with the move left to resume or roll
 * back.
 *
 * CB (may be NULL) hears the progress; a non-zero answer stops the move with
 * MKLINK_ECANCELLED, left to resume or roll back (on one file system, a
 * cancel at the plan changes nothing).  With MKLINK_MOVE_DRY_RUN only the
 * checks and the plan are done (one MKLINK_MOVE_PLAN report).
 *
 * Windows: the same, with ReadFile/WriteFile on the handles the tree walk
 * holds, MoveFileExW for the renames; one volume or two is told by volume
 * serial numbers, and a rename that still finds two (ERROR_NOT_SAME_DEVICE,
 * as Wine answers for two Unix file systems under one drive) has changed
 * nothing and is followed by the copy.  Under Wine the final link goes
 * where mklink_create's go (the Wine bridge).
 */
MKLINK_EXTERN int mklink_move(const char *link, const char *target, mklink_kind kind,
                              unsigned flags, mklink_move_cb cb, void *arg);

/*
 * Finish the unfinished move of LINK from its journal: a copy that was not
 * complete is made again (from the start), verified, swapped in, the old
 * tree removed.  A move interrupted during the swap (before the old tree's
 * removal began) is swapped back and copied again: the record the old tree
 * is checked against lived only in the interrupted process.  MKLINK_ENOMOVE if there is none.  Can itself be
 * interrupted and run again.  If a rollback had begun removing the copy,
 * the rollback is finished instead and MKLINK_ECOMMITTED returned (LINK
 * holds the original, nothing of the move is left).
 */
MKLINK_EXTERN int mklink_move_resume(const char *link, mklink_move_cb cb, void *arg);

/*
 * Undo the unfinished move of LINK from its journal: the original is put
 * back at LINK, the partial or complete copy at TARGET is removed (TARGET is
 * left as it was before the move: absent, or an empty directory).
 * MKLINK_ENOMOVE if there is none.  Can itself be interrupted and run again.
 * Once the move has begun removing the old tree (the link is made and the
 * data is whole at TARGET), it can only be finished: the removal is
 * finished and MKLINK_ECOMMITTED returned.  If neither LINK nor the name
 * LINK was put aside under holds the original any more, nothing is
 * removed (MKLINK_ENOFILE).
 */
MKLINK_EXTERN int mklink_move_rollback(const char *link, mklink_move_cb cb, void *arg);

/*
 * Whether LINK has an unfinished move: 1 if so, 0 if not, or a negative
 * error if its journal cannot be looked at.
 */
MKLINK_EXTERN int mklink_move_pending(const char *link);

/* ------------------------------------------------------------------------ */
/* Testing hooks: the OS-call table                                         */
/* ------------------------------------------------------------------------ */

/*
 * Every system call the library makes goes through one table of named entries
 * ("symlinkat", "CreateSymbolicLinkW", ...), after SQLite's aSyscall.  Tests
 * replace an entry to inject failures or to model a file system.
 *
 * These functions are not thread-safe with respect to the rest of the
 * library: change the table only while no other thread is inside libmklink.
 */
typedef void (*mklink_syscall_ptr)(void);

/*
 * Replace entry NAME with FN; FN NULL restores the default.  NAME NULL with FN
 * NULL restores every entry.  Returns 0 or MKLINK_EINVAL for an unknown name.
 */
MKLINK_EXTERN int mklink_set_syscall(const char *name, mklink_syscall_ptr fn);

/* The current function of entry NAME, or NULL for an unknown name. */
MKLINK_EXTERN mklink_syscall_ptr mklink_get_syscall(const char *name);

/* The default (system) function of entry NAME, or NULL for an unknown name. */
MKLINK_EXTERN mklink_syscall_ptr mklink_default_syscall(const char *name);

/* Entry names in order: NULL gives the first, the last gives NULL. */
MKLINK_EXTERN const char *mklink_next_syscall(const char *name);

#ifdef __cplusplus
}
#endif

#endif /* MKLINK_H */

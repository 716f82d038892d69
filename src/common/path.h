/*
 * path.h -- lexical path logic, free of any OS call.
 *
 * Nothing here touches the file system: "." and ".." are collapsed by text
 * alone and no link is followed, exactly as GetFullPathName does on Windows.
 * Both backends use it, each with its own style: POSIX paths have one root
 * "/" and the separator '/'; Windows paths accept '/' and '\' as separators,
 * write '\', and have the roots "C:\", "\\server\share\" and "\\?\C:\".
 *
 * Every function that writes OUT (of OUTSZ bytes, NUL included) returns 0 or
 * MKLINK_ENAMETOOLONG when the result does not fit; OUT is then unspecified.
 */
#ifndef MKLINK_PATH_H
#define MKLINK_PATH_H

#include <stddef.h>

typedef enum mklink__path_style {
  MKLINK__PATH_POSIX = 0,
  MKLINK__PATH_WIN32 = 1
} mklink__path_style;

/* The style of the platform we are built for. */
#ifdef _WIN32
#define MKLINK__PATH_NATIVE MKLINK__PATH_WIN32
#else
#define MKLINK__PATH_NATIVE MKLINK__PATH_POSIX
#endif

/* 1 if C separates components in STYLE. */
int mklink__path_is_sep(mklink__path_style style, char c);

/*
 * The length of PATH's full root ("/", "C:\", "\\server\share\",
 * "\\?\C:\"), or 0 if PATH is not fully qualified.  A Windows path rooted
 * without a drive ("\x") or a drive without a root ("C:x") is not fully
 * qualified: it still needs the current directory.
 *
 * Every Windows path that starts with two separators is fully qualified, as
 * the Win32 documentation says ("File path formats on Windows systems": a
 * UNC path is one that begins with two separators, UNC and device paths
 * never have the current directory applied, and ".." never goes above a
 * UNC path's server and share) and GetFullPathNameW does: it leaves
 * "\\server" as it is.  Its root is as much of "\\server\share\" (or
 * "\\?\UNC\server\share\", or "\\?\" and a volume) as PATH has: the
 * root of "\\server" is all of it, and ".." never removes the server or
 * the share, even when one of them is missing or is itself "..".
 */
size_t mklink__path_root(mklink__path_style style, const char *path);

/* 1 if PATH is fully qualified (mklink__path_root() > 0). */
int mklink__path_is_absolute(mklink__path_style style, const char *path);

/*
 * PATH made absolute against CWD and normalised: repeated separators merged,
 * "." dropped, ".." removing the component before it (never the root), no
 * trailing separator except after the root.  CWD must be fully qualified; it
 * is read only when PATH is not (it may then be NULL for a PATH that is).
 * Windows: "\x" takes CWD's root, "C:x" is relative to CWD when CWD is on
 * drive C: and to "C:\" otherwise.  Unlike GetFullPathName, trailing dots and
 * spaces of a component are kept.
 *
 * Returns 0, MKLINK_EINVAL if CWD is needed and is not fully qualified, or
 * MKLINK_ENAMETOOLONG.
 */
int mklink__path_absolute(mklink__path_style style, const char *cwd,
                          const char *path, char *out, size_t outsz);

/*
 * POSIX: 1 if PATH is absolute and normal as mklink__path_absolute() makes
 * it ("/" included), else 0.
 */
int mklink__path_is_normal(const char *path);

/*
 * POSIX, mklink__path_absolute() for a CWD the caller knows is normal
 * (mklink__path_is_normal() said so once, and only names were added): a
 * walk resolves each link against its directory without scanning that
 * directory again, which a deep tree would make quadratic.  1 if PATH is
 * not leading ".." components and then normal ones (nothing written: call
 * mklink__path_absolute()), else 0 or MKLINK_ENAMETOOLONG.
 */
int mklink__path_absolute_in_normal(const char *cwd, const char *path, char *out,
                                    size_t outsz);

/*
 * The path that leads from directory FROM to TO, both already absolute and
 * normalised (by mklink__path_absolute): "." when they are equal, else
 * ".." components then the rest of TO.  Windows compares ASCII letters without
 * regard to case.
 *
 * Returns 0, MKLINK_EXDEV if no relative path exists (different roots, such
 * as two drives), or MKLINK_ENAMETOOLONG.
 */
int mklink__path_relative(mklink__path_style style, const char *from,
                          const char *to, char *out, size_t outsz);

/*
 * Split PATH into directory and last component, ignoring trailing
 * separators: "a/b/c" gives "a/b" and "c", "/c" gives "/" and "c", "c" gives
 * "" and "c" (the current directory), "/" gives "/" and "".  *DIR_LEN is the
 * length of the directory part (a prefix of PATH); *BASE points into PATH
 * and *BASE_LEN is the length of the last component.
 */
void mklink__path_split(mklink__path_style style, const char *path,
                        size_t *dir_len, const char **base, size_t *base_len);

/*
 * DIR (its first DIR_LEN bytes) joined with NAME by one separator; an empty
 * DIR gives NAME alone.  Returns 0 or MKLINK_ENAMETOOLONG.
 */
int mklink__path_join(mklink__path_style style, const char *dir, size_t dir_len,
                      const char *name, char *out, size_t outsz);

/*
 * How the ".." components of PATH fall, read from the start: *UP is the
 * number of those that come before any name ("." and empty components
 * aside), which leave the directory PATH is read from; the result is 1 if a
 * ".." follows a name, so that taking it lexically removes that name (on
 * POSIX only right when the name is no symbolic link), else 0.
 */
int mklink__path_dotdots(mklink__path_style style, const char *path, size_t *up);

#endif /* MKLINK_PATH_H */

/*
 * remove.c -- remove a link and only the link.  The name is examined
 * without following it (a reparse point is opened with
 * FILE_FLAG_OPEN_REPARSE_POINT); RemoveDirectoryW and DeleteFileW act on the
 * link itself, never on its target.  Under Wine they do not when the link is
 * a Unix symbolic link (DeleteFileW deletes its target file,
 * RemoveDirectoryW an empty target directory): such a link was recognised
 * by mklink__wlstat and is removed on the Unix side, and where the Unix
 * side cannot be examined a file or an unreadable reparse point is not
 * removed at all.  mklink__unlink_link is that one rule; file.c's
 * mklink__remove_file and mklink__remove_dir go through it too, and
 * mklink__rename_link is its twin for mklink__rename_new (MoveFileExW
 * renames a Unix link's target under Wine).
 */
#include "win32.h"

#include <stdlib.h>
#include <string.h>

int mklink__is_link(const mklink__wstat *st) {
  return st->kind == MKLINK_FILE_SYMLINK || st->kind == MKLINK_DIR_SYMLINK ||
         st->kind == MKLINK_JUNCTION || st->kind == MKLINK_HARDLINK;
}

int mklink__unlink_link(const wchar_t *wpath, const mklink__wstat *st) {
  BOOL ok;
  if (st->unix_link)
    return mklink__wine_unlink(wpath);
  /* Set only for a file (a second name too) or an unreadable reparse point
     under a Wine whose Unix side is out of reach: it may be a Unix link in
     disguise, and the Win32 call would delete its target. */
  if (st->unix_blind)
    return MKLINK_ENOTSUP;
  ok = (st->attrs & FILE_ATTRIBUTE_DIRECTORY) ? os_RemoveDirectoryW(wpath)
                                              : os_DeleteFileW(wpath);
  return ok ? 0 : mklink__last_error();
}

int mklink__rename_link(const wchar_t *wfrom, const wchar_t *wto, const mklink__wstat *st) {
  if (st->unix_link)
    return mklink__wine_rename(wfrom, wto, 0);
  if (st->unix_blind)
    return MKLINK_ENOTSUP; /* MoveFileExW would rename a disguised link's target */
  return os_MoveFileExW(wfrom, wto, 0) ? 0 : mklink__last_error(); /* never replaces */
}

static int has_trailing_sep(const char *path) {
  size_t n = strlen(path);
  return n > 1 && (path[n - 1] == '\\' || path[n - 1] == '/') && path[n - 2] != ':';
}

int mklink__remove(const char *path) {
  mklink__wstat st;
  wchar_t *wpath;
  int err = mklink__wpath(path, &wpath);
  if (err != 0)
    return err;
  err = mklink__wlstat(wpath, &st, NULL);
  if (err != 0)
    goto out;
  if (has_trailing_sep(path)) {
    /* "LINK\" names what the link points to, never the link itself. */
    err = (st.attrs & FILE_ATTRIBUTE_DIRECTORY) ? MKLINK_EISDIR : MKLINK_ENOPATH;
    goto out;
  }
  if (mklink__is_link(&st))
    err = mklink__unlink_link(wpath, &st);
  else /* a real directory, a file's only name, or a reparse point that is
          not a link (its data lives behind it): never removed here */
    err = (st.attrs & FILE_ATTRIBUTE_DIRECTORY) ? MKLINK_EISDIR : MKLINK_ELASTNAME;
out:
  free(wpath);
  return err;
}

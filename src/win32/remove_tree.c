/*
 * remove_tree.c -- mklink_remove_tree on Windows: not available yet.
 *
 * The safe walk on Windows goes by handle: each directory opened with
 * FILE_FLAG_OPEN_REPARSE_POINT and without FILE_SHARE_DELETE (so it cannot be
 * renamed or swapped while it is held), listed through its handle, a reparse
 * point deleted as the link it is, and each directory deleted by its handle.
 * Until that walk exists and is tested against the NTFS model under Wine, the
 * call refuses with a defined error instead of falling back to a walk that
 * could follow a junction (the rmdir /S trap this function exists to avoid).
 */
#include "win32.h"

int mklink__remove_tree(const char *path) {
  (void)path;
  return MKLINK_ENOTSUP;
}

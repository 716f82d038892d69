/*
 * error.c -- GetLastError() -> MKLINK_E*, the backend's one translation.
 *
 * Surprising mappings:
 * - ERROR_NOT_SUPPORTED (50) and ERROR_INVALID_FUNCTION (1) are
 *   MKLINK_ENOTSUP: a file system (or Wine 8) that cannot set a reparse point
 *   says one or the other.
 * - ERROR_DIRECTORY (267, "directory name is invalid": a file where a
 *   directory was expected) is MKLINK_ENOPATH, like ENOTDIR on POSIX.
 * - ERROR_FILE_EXISTS (80) and ERROR_ALREADY_EXISTS (183) are both
 *   MKLINK_EEXIST.
 * - ERROR_NOT_A_REPARSE_POINT (4390) is MKLINK_ENOTLINK.
 * - A missing name is answered 2 or 3 inconsistently (Wine answers 2 where
 *   Windows answers 3 for a missing parent of a hard link): create.c looks
 *   before choosing between MKLINK_ENOFILE and MKLINK_ENOPATH.
 * - Anything not listed is MKLINK_EIO rather than a guess.
 */
#include "win32.h"

int mklink__win32_error(DWORD err) {
  switch (err) {
  case ERROR_FILE_NOT_FOUND:
    return MKLINK_ENOFILE;
  case ERROR_PATH_NOT_FOUND:
  case ERROR_DIRECTORY:
  case ERROR_BAD_NETPATH:
  case ERROR_BAD_NET_NAME:
    return MKLINK_ENOPATH;
  case ERROR_ACCESS_DENIED:
    return MKLINK_EACCES;
  case ERROR_NOT_SAME_DEVICE:
    return MKLINK_EXDEV;
  case ERROR_TOO_MANY_LINKS:
    return MKLINK_EMLINK;
  case ERROR_CANT_RESOLVE_FILENAME:
    return MKLINK_ELOOP;
  case ERROR_FILENAME_EXCED_RANGE:
    return MKLINK_ENAMETOOLONG;
  case ERROR_INVALID_NAME:
  case ERROR_BAD_PATHNAME:
    return MKLINK_EBADNAME;
  case ERROR_PRIVILEGE_NOT_HELD:
    return MKLINK_EPRIVILEGE;
  case ERROR_NOT_SUPPORTED:
  case ERROR_INVALID_FUNCTION:
    return MKLINK_ENOTSUP;
  case ERROR_NOT_A_REPARSE_POINT:
    return MKLINK_ENOTLINK;
  case ERROR_INVALID_REPARSE_DATA:
    return MKLINK_EBADREPARSE;
  case ERROR_DIR_NOT_EMPTY:
    return MKLINK_ENOTEMPTY;
  case ERROR_SHARING_VIOLATION:
  case ERROR_LOCK_VIOLATION:
    return MKLINK_EBUSY;
  case ERROR_DISK_FULL:
  case ERROR_HANDLE_DISK_FULL:
    return MKLINK_ENOSPC;
  case ERROR_WRITE_PROTECT:
    return MKLINK_EROFS;
  case ERROR_NOT_ENOUGH_MEMORY:
  case ERROR_OUTOFMEMORY:
    return MKLINK_ENOMEM;
  case ERROR_ALREADY_EXISTS:
  case ERROR_FILE_EXISTS:
    return MKLINK_EEXIST;
  case ERROR_INVALID_PARAMETER:
    return MKLINK_EINVAL;
  default:
    return MKLINK_EIO;
  }
}

int mklink__win32_last_error(void) { return mklink__win32_error(os_GetLastError()); }

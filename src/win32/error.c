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
 * - ERROR_TOO_MANY_OPEN_FILES (4) is MKLINK_EMFILE.
 * - Anything not listed is not guessed at: it is carried as MKLINK_EOS(err),
 *   and its text is the system's own (FormatMessageW), as Windows' mklink
 *   prints it.  ERROR_IO_DEVICE (1117) is MKLINK_EIO.
 * - ERROR_CANCELLED (1223) is MKLINK_ECANCELLED.
 */
#include "win32.h"

#include <string.h>

/* An error with no entry in the table, carried in the code. */
static int carried(DWORD err) {
  if (err < 1 || err > MKLINK_EOS_MAX)
    return MKLINK_EIO;
  return MKLINK_EOS(err);
}

int mklink__error(DWORD err) {
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
  case ERROR_TOO_MANY_OPEN_FILES:
    return MKLINK_EMFILE;
  case ERROR_CANCELLED: /* a copy's progress routine said stop (CopyFileExW) */
    return MKLINK_ECANCELLED;
  case ERROR_IO_DEVICE:
    return MKLINK_EIO;
  default:
    return carried(err);
  }
}

int mklink__error_from_os(int oserr) { return mklink__error((DWORD)oserr); }

/* FormatMessageW's text for OSERR, in the user's language, on one line
   (its "\r\n" line ends become spaces and the last one goes), as UTF-8 cut
   to SIZE bytes at a character boundary.  Nothing is allocated or shared. */
int mklink__os_message(int oserr, char *buf, size_t size) {
  wchar_t w[MKLINK_STRERROR_MAX];
  char u[4 * MKLINK_STRERROR_MAX];
  DWORD n = os_FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS |
                                  FORMAT_MESSAGE_MAX_WIDTH_MASK,
                              NULL, (DWORD)oserr, 0, w, MKLINK_STRERROR_MAX, NULL);
  DWORD i;
  int len;
  size_t cut;
  while (n > 0 && (w[n - 1] == L'\r' || w[n - 1] == L'\n' || w[n - 1] == L' '))
    n--;
  if (n == 0)
    return -1;
  for (i = 0; i < n; i++)
    if (w[i] == L'\r' || w[i] == L'\n')
      w[i] = L' ';
  len = os_WideCharToMultiByte(CP_UTF8, 0, w, (int)n, u, (int)sizeof u, NULL, NULL);
  if (len <= 0)
    return -1;
  cut = (size_t)len < size ? (size_t)len : size - 1;
  while (cut > 0 && cut < (size_t)len && ((unsigned char)u[cut] & 0xC0u) == 0x80u)
    cut--; /* not inside a character */
  memcpy(buf, u, cut);
  buf[cut] = '\0';
  return 0;
}

int mklink__last_error(void) { return mklink__error(os_GetLastError()); }

/*
 * volume.c -- what a move asks of volumes on Win32: whether two names are on
 * one (the volume serial numbers of handles on them), and how much room is
 * left there (GetDiskFreeSpaceExW: the bytes this user may still write).
 */
#include "win32.h"

#include <stdlib.h>

int mklink__free_space(const char *path, unsigned long long *avail, unsigned long *block) {
  ULARGE_INTEGER free_to_user;
  wchar_t *w;
  int rc = mklink__wpath(path, &w);
  if (rc != 0)
    return rc;
  if (!os_GetDiskFreeSpaceExW(w, &free_to_user, NULL, NULL))
    rc = mklink__last_error();
  free(w);
  *avail = rc == 0 ? free_to_user.QuadPart : 0;
  *block = 4096; /* NTFS's cluster on any volume of the size that matters */
  return rc;
}

static int serial_of(const char *path, DWORD flags, DWORD *serial) {
  BY_HANDLE_FILE_INFORMATION fi;
  wchar_t *w;
  HANDLE h;
  int rc = mklink__wpath(path, &w);
  if (rc != 0)
    return rc;
  h = os_CreateFileW(w, FILE_READ_ATTRIBUTES,
                     FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL, OPEN_EXISTING,
                     FILE_FLAG_BACKUP_SEMANTICS | flags, NULL);
  free(w);
  if (h == INVALID_HANDLE_VALUE)
    return mklink__last_error();
  if (!os_GetFileInformationByHandle(h, &fi))
    rc = mklink__last_error();
  os_CloseHandle(h);
  *serial = fi.dwVolumeSerialNumber;
  return rc;
}

/* Two drive letters of one volume serial (Wine gives every drive of one
   Unix file system the same one) still fail their rename with
   ERROR_NOT_SAME_DEVICE where they differ; the move then copies
   (src/common/move.c). */
int mklink__same_volume(const char *a, const char *b, int *same) {
  DWORD sa = 0, sb = 0;
  int rc;
  *same = 0;
  if ((rc = serial_of(a, FILE_FLAG_OPEN_REPARSE_POINT, &sa)) != 0 || (rc = serial_of(b, 0, &sb)) != 0)
    return rc;
  *same = sa == sb;
  return 0;
}

int mklink__real_name(const char *path, char **out) { return mklink__absolute(path, 0, 0, out); }

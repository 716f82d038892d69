/*
 * copy.c -- the copy of a move on Win32: one regular file with its
 * attributes and times, a link made again as the link, a directory's
 * metadata, and the flushes.  src/common/move_copy.c walks the tree, hashes
 * and orders the steps; these are single steps on one name, the same as
 * src/posix/copy.c's.
 *
 * The copy is read from the handle the walk opened (so from the name the
 * walk holds, never through a reparse point) and written with ReadFile /
 * WriteFile: CopyFileExW would open the source again by its path.  The
 * attributes kept are those Windows lets a program set (read-only, hidden,
 * system, archive, not-content-indexed); the times are the last-write and
 * last-access times (Windows keeps the creation time of the new file).
 * Under Wine a link is made by mklink__create, so it goes where creates go
 * (the Wine bridge: a Unix symbolic link).
 */
#include "win32.h"

#include "tree.h"

#include <stdlib.h>

#define CHUNK (256u * 1024u)
#define SHARE_ALL (FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE)
#define NO_FOLLOW (FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT)
#define SETTABLE                                                                    \
  (FILE_ATTRIBUTE_READONLY | FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM |        \
   FILE_ATTRIBUTE_ARCHIVE | FILE_ATTRIBUTE_NOT_CONTENT_INDEXED)

static HANDLE open_path(const char *path, DWORD access, DWORD share, DWORD disposition,
                        DWORD flags, int *rc) {
  wchar_t *w;
  HANDLE h;
  if ((*rc = mklink__wpath(path, &w)) != 0)
    return INVALID_HANDLE_VALUE;
  h = os_CreateFileW(w, access, share, NULL, disposition, flags, NULL);
  *rc = h == INVALID_HANDLE_VALUE ? mklink__last_error() : 0;
  free(w);
  return h;
}

/* Read SRC to its end, handing each chunk to CB and, if OUT is a handle,
   writing it there; *SIZE the bytes read. */
static int pump(HANDLE src, HANDLE out, mklink__chunk_cb cb, void *arg,
                unsigned long long *size) {
  char *buf = malloc(CHUNK);
  int rc = 0;
  *size = 0;
  if (buf == NULL)
    return MKLINK_ENOMEM;
  for (;;) {
    DWORD got = 0, put = 0;
    if (!os_ReadFile(src, buf, CHUNK, &got, NULL)) {
      rc = mklink__last_error();
      break;
    }
    if (got == 0)
      break;
    *size += got;
    if (cb != NULL && (rc = cb(buf, got, arg)) != 0)
      break;
    if (out != INVALID_HANDLE_VALUE) {
      DWORD done = 0;
      while (rc == 0 && done < got) {
        if (!os_WriteFile(out, buf + done, got - done, &put, NULL))
          rc = mklink__last_error();
        done += put;
      }
      if (rc != 0)
        break;
    }
  }
  free(buf);
  return rc;
}

/* Seconds and nanoseconds since 1970 as a FILETIME (100 ns since 1601). */
static FILETIME filetime(long long sec, long nsec) {
  unsigned long long t = (unsigned long long)(sec * 10000000LL + nsec / 100 + 116444736000000000LL);
  FILETIME ft;
  ft.dwLowDateTime = (DWORD)t;
  ft.dwHighDateTime = (DWORD)(t >> 32);
  return ft;
}

static int set_times(HANDLE h, const mklink__tree_attrs *st) {
  FILETIME a = filetime(st->atime_sec, st->atime_nsec), m = filetime(st->mtime_sec, st->mtime_nsec);
  return os_SetFileTime(h, NULL, &a, &m) ? 0 : mklink__last_error();
}

static int set_attributes(const char *path, const mklink__tree_attrs *st) {
  wchar_t *w;
  int rc = mklink__wpath(path, &w);
  if (rc != 0)
    return rc;
  if ((st->mode & SETTABLE) != 0 && !os_SetFileAttributesW(w, st->mode & SETTABLE))
    rc = mklink__last_error();
  free(w);
  return rc;
}

static void remove_path(const char *path) {
  wchar_t *w;
  if (mklink__wpath(path, &w) == 0) {
    os_DeleteFileW(w);
    free(w);
  }
}

int mklink__copy_file(intptr_t src, const mklink__tree_attrs *st, const char *path,
                      mklink__chunk_cb cb, void *arg) {
  unsigned long long size;
  int rc;
  HANDLE out = open_path(path, GENERIC_WRITE | FILE_WRITE_ATTRIBUTES, 0, CREATE_NEW,
                         FILE_ATTRIBUTE_NORMAL | FILE_FLAG_OPEN_REPARSE_POINT, &rc);
  if (out == INVALID_HANDLE_VALUE)
    return rc;
  rc = pump((HANDLE)src, out, cb, arg, &size);
  if (rc == 0)
    rc = set_times(out, st);
  if (rc == 0 && !os_FlushFileBuffers(out))
    rc = mklink__last_error();
  os_CloseHandle(out);
  if (rc == 0)
    rc = set_attributes(path, st);
  if (rc != 0)
    remove_path(path);
  return rc;
}

int mklink__read_chunks(const char *path, mklink__chunk_cb cb, void *arg,
                        unsigned long long *size) {
  int rc;
  HANDLE h = open_path(path, GENERIC_READ, FILE_SHARE_READ, OPEN_EXISTING,
                       FILE_FLAG_OPEN_REPARSE_POINT | FILE_FLAG_SEQUENTIAL_SCAN, &rc);
  *size = 0;
  if (h == INVALID_HANDLE_VALUE)
    return rc;
  rc = pump(h, INVALID_HANDLE_VALUE, cb, arg, size);
  os_CloseHandle(h);
  return rc;
}

int mklink__copy_link(const char *path, const char *text, int junction,
                      const mklink__tree_attrs *st) {
  mklink_kind kind = junction ? MKLINK_JUNCTION
                     : (st->mode & FILE_ATTRIBUTE_DIRECTORY) ? MKLINK_DIR_SYMLINK
                                                             : MKLINK_FILE_SYMLINK;
  return mklink__create(path, text, kind, 0);
}

int mklink__set_attrs(const char *path, int is_link, const mklink__tree_attrs *st) {
  int rc;
  HANDLE h = open_path(path, FILE_WRITE_ATTRIBUTES, SHARE_ALL, OPEN_EXISTING, NO_FOLLOW, &rc);
  if (h == INVALID_HANDLE_VALUE)
    return is_link ? 0 : rc; /* a Unix link under Wine has no Win32 handle of its own */
  rc = set_times(h, st);
  os_CloseHandle(h);
  if (rc != 0 && is_link)
    rc = 0; /* times of a link are kept where the system can */
  return rc != 0 || is_link ? rc : set_attributes(path, st);
}

int mklink__file_busy(const char *path) {
  int rc;
  HANDLE h = open_path(path, GENERIC_READ, SHARE_ALL, OPEN_EXISTING, NO_FOLLOW, &rc);
  if (h != INVALID_HANDLE_VALUE) {
    os_CloseHandle(h);
    return 0;
  }
  /* Held open by a program that shares nothing: refused before the move;
     any other failure is left to the copy to report. */
  return rc == MKLINK_EBUSY ? MKLINK_EBUSY : 0;
}

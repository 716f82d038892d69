/*
 * path.c -- what the Win32 backend needs of paths beyond the lexical rules
 * (those are src/common/path.c's, in UTF-8, MKLINK__PATH_WIN32): UTF-8 <->
 * UTF-16 at the boundary, the \\?\ prefix of long paths, and
 * GetFullPathNameW, which makes a path absolute the way Windows itself does
 * (the current directory of each drive, trailing dots and spaces trimmed).
 */
#include "win32.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* CreateDirectoryW's limit (MAX_PATH minus room for an 8.3 name) is the
   lowest of the file APIs: longer paths get the \\?\ prefix. */
#define MKLINK__SHORT_PATH_MAX (MAX_PATH - 12)
#define MKLINK__LONG_PATH_MAX 32767

static int is_sep(wchar_t c) { return c == L'\\' || c == L'/'; }

static int is_drive_letter(wchar_t c) {
  return (c >= L'A' && c <= L'Z') || (c >= L'a' && c <= L'z');
}

int mklink__wtext(const char *text, wchar_t **out) {
  int n;
  *out = NULL;
  n = os_MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, text, -1, NULL, 0);
  if (n <= 0)
    return MKLINK_EBADNAME;
  if (n > MKLINK__LONG_PATH_MAX)
    return MKLINK_ENAMETOOLONG;
  *out = malloc((size_t)n * sizeof(wchar_t));
  if (*out == NULL)
    return MKLINK_ENOMEM;
  if (os_MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, text, -1, *out, n) != n) {
    free(*out);
    *out = NULL;
    return MKLINK_EBADNAME;
  }
  return 0;
}

int mklink__utf8(const wchar_t *w, int len, char *buf, size_t cap) {
  int n, with_nul;
  if (len == 0) {
    if (cap == 0)
      return MKLINK_ENAMETOOLONG;
    buf[0] = '\0';
    return 0;
  }
  n = os_WideCharToMultiByte(CP_UTF8, 0, w, len, NULL, 0, NULL, NULL);
  if (n <= 0)
    return MKLINK_EBADNAME;
  with_nul = len < 0 ? n : n + 1;
  if ((size_t)with_nul > cap)
    return MKLINK_ENAMETOOLONG;
  if (os_WideCharToMultiByte(CP_UTF8, 0, w, len, buf, n, NULL, NULL) != n)
    return MKLINK_EBADNAME;
  buf[with_nul - 1] = '\0';
  return 0;
}

int mklink__utf8_dup(const wchar_t *w, char **out) {
  int n = os_WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL);
  *out = NULL;
  if (n <= 0)
    return MKLINK_EBADNAME;
  *out = malloc((size_t)n);
  if (*out == NULL)
    return MKLINK_ENOMEM;
  if (os_WideCharToMultiByte(CP_UTF8, 0, w, -1, *out, n, NULL, NULL) != n) {
    free(*out);
    *out = NULL;
    return MKLINK_EBADNAME;
  }
  return 0;
}

int mklink__wfull(const wchar_t *p, wchar_t **out) {
  DWORD need, got;
  *out = NULL;
  need = os_GetFullPathNameW(p, 0, NULL, NULL);
  if (need == 0)
    return mklink__last_error();
  *out = malloc((size_t)need * sizeof(wchar_t));
  if (*out == NULL)
    return MKLINK_ENOMEM;
  got = os_GetFullPathNameW(p, need, *out, NULL);
  if (got == 0 || got >= need) {
    free(*out);
    *out = NULL;
    return got == 0 ? mklink__last_error() : MKLINK_EIO;
  }
  return 0;
}

static int has_long_prefix(const wchar_t *p) {
  return p[0] == L'\\' && p[1] == L'\\' && (p[2] == L'?' || p[2] == L'.') && p[3] == L'\\';
}

const wchar_t *mklink__wstrip_long(const wchar_t *p) {
  if (has_long_prefix(p) && is_drive_letter(p[4]) && p[5] == L':')
    return p + 4;
  return p;
}

int mklink__wabsolute(const wchar_t *w, size_t prefix, size_t limit, char **out) {
  wchar_t *full;
  const wchar_t *shown;
  int n, err = mklink__wfull(w, &full);
  *out = NULL;
  if (err != 0)
    return err;
  shown = mklink__wstrip_long(full);
  n = os_WideCharToMultiByte(CP_UTF8, 0, shown, -1, NULL, 0, NULL, NULL);
  if (n <= 0)
    err = MKLINK_EBADNAME;
  else if (limit != 0 && (size_t)n > limit)
    err = MKLINK_ENAMETOOLONG;
  else if ((*out = malloc(prefix + (size_t)n)) == NULL)
    err = MKLINK_ENOMEM;
  else if (os_WideCharToMultiByte(CP_UTF8, 0, shown, -1, *out + prefix, n, NULL, NULL) != n)
    err = MKLINK_EBADNAME;
  if (err != 0) {
    free(*out);
    *out = NULL;
  }
  free(full);
  return err;
}

int mklink__absolute(const char *path, size_t prefix, size_t limit, char **out) {
  wchar_t *w;
  int err = mklink__wtext(path, &w);
  *out = NULL;
  if (err != 0)
    return err;
  err = mklink__wabsolute(w, prefix, limit, out);
  free(w);
  return err;
}

/* "\\?\" + FULL, or "\\?\UNC\" + FULL without its leading "\\". */
static int add_long_prefix(const wchar_t *full, wchar_t **out) {
  int unc = is_sep(full[0]) && is_sep(full[1]);
  const wchar_t *prefix = unc ? L"\\\\?\\UNC\\" : L"\\\\?\\";
  const wchar_t *rest = unc ? full + 2 : full;
  size_t n = wcslen(prefix) + wcslen(rest) + 1;
  if (n > MKLINK__LONG_PATH_MAX)
    return MKLINK_ENAMETOOLONG;
  *out = malloc(n * sizeof(wchar_t));
  if (*out == NULL)
    return MKLINK_ENOMEM;
  wcscpy(*out, prefix);
  wcscat(*out, rest);
  return 0;
}

/* NTFS (and FAT32) names are at most 255 UTF-16 units.  Checked here
   because the systems disagree on what a longer one is (Windows says 206
   or 123 depending on the prefix, Wine says "not found"). */
#define MKLINK__NAME_MAX 255

static int has_overlong_name(const wchar_t *p) {
  size_t run = 0;
  for (; *p != L'\0'; p++) {
    run = is_sep(*p) ? 0 : run + 1;
    if (run > MKLINK__NAME_MAX)
      return 1;
  }
  return 0;
}

int mklink__wpath(const char *path, wchar_t **out) {
  wchar_t *w, *full;
  int err = mklink__wtext(path, &w);
  *out = NULL;
  if (err != 0)
    return err;
  if (has_overlong_name(w)) {
    free(w);
    return MKLINK_ENAMETOOLONG;
  }
  /* A relative name is short only if the current directory leaves room. */
  if (has_long_prefix(w) ||
      (wcslen(w) < MKLINK__SHORT_PATH_MAX &&
       (mklink__path_is_absolute(MKLINK__PATH_WIN32, path) ||
        os_GetFullPathNameW(w, 0, NULL, NULL) < MKLINK__SHORT_PATH_MAX))) {
    *out = w;
    return 0;
  }
  err = mklink__wfull(w, &full);
  free(w);
  if (err != 0)
    return err;
  err = add_long_prefix(full, out);
  free(full);
  return err;
}

int mklink__temp_name(const char *path, const char *tag, unsigned attempt, char **out) {
  LARGE_INTEGER now;
  const char *base;
  size_t dir, base_len, size, n;
  mklink__path_split(MKLINK__PATH_WIN32, path, &dir, &base, &base_len);
  dir = (size_t)(base - path); /* the directory with its separator */
  if (!os_QueryPerformanceCounter(&now))
    now.QuadPart = 0;
  size = dir + strlen(tag) + 80; /* room for the numbers, in hex */
  *out = malloc(size);
  if (*out == NULL)
    return MKLINK_ENOMEM;
  n = (size_t)snprintf(*out, size, "%.*s.mklink-%s-%lx-%lx-%llx", (int)dir, path, tag,
                       (unsigned long)os_GetCurrentProcessId(),
                       (unsigned long)os_GetCurrentThreadId(), (unsigned long long)now.QuadPart);
  if (attempt > 0)
    snprintf(*out + n, size - n, "-%x", attempt);
  return 0;
}

int mklink__wattributes(const char *path, DWORD *attrs) {
  wchar_t *wpath;
  int err = mklink__wpath(path, &wpath);
  if (err != 0)
    return err;
  *attrs = os_GetFileAttributesW(wpath);
  err = *attrs == INVALID_FILE_ATTRIBUTES ? mklink__last_error() : 0;
  free(wpath);
  return err;
}

/*
 * path.c -- UTF-8 <-> UTF-16 at the boundary, \\?\ long paths, and the few
 * lexical path operations the backend needs on Windows names.
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
    return mklink__win32_last_error();
  *out = malloc((size_t)need * sizeof(wchar_t));
  if (*out == NULL)
    return MKLINK_ENOMEM;
  got = os_GetFullPathNameW(p, need, *out, NULL);
  if (got == 0 || got >= need) {
    free(*out);
    *out = NULL;
    return got == 0 ? mklink__win32_last_error() : MKLINK_EIO;
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
       (mklink__wis_absolute(w) || os_GetFullPathNameW(w, 0, NULL, NULL) < MKLINK__SHORT_PATH_MAX))) {
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

int mklink__wis_absolute(const wchar_t *p) {
  if (is_drive_letter(p[0]) && p[1] == L':' && is_sep(p[2]))
    return 1;
  return is_sep(p[0]) && is_sep(p[1]);
}

/* Length of P's root ("C:\", "\\?\C:\", "\\server\share\") or 0. */
static size_t root_len(const wchar_t *p) {
  size_t i, seps;
  if (has_long_prefix(p))
    return 4 + root_len(p + 4);
  if (is_drive_letter(p[0]) && p[1] == L':')
    return is_sep(p[2]) ? 3 : 2;
  if (!(is_sep(p[0]) && is_sep(p[1])))
    return is_sep(p[0]) ? 1 : 0;
  for (i = 2, seps = 0; p[i] != L'\0'; i++)
    if (is_sep(p[i]) && ++seps == 2)
      return i + 1;
  return i;
}

int mklink__wparent(const wchar_t *p, wchar_t **out) {
  size_t root = root_len(p), end = wcslen(p);
  while (end > root && is_sep(p[end - 1]))
    end--;
  while (end > root && !is_sep(p[end - 1]))
    end--;
  while (end > root && is_sep(p[end - 1]))
    end--;
  if (end == 0) {
    *out = _wcsdup(L".");
  } else {
    *out = malloc((end + 1) * sizeof(wchar_t));
    if (*out != NULL) {
      memcpy(*out, p, end * sizeof(wchar_t));
      (*out)[end] = L'\0';
    }
  }
  return *out != NULL ? 0 : MKLINK_ENOMEM;
}

int mklink__wjoin(const wchar_t *a, const wchar_t *b, wchar_t **out) {
  size_t la = wcslen(a), n = la + wcslen(b) + 2;
  *out = malloc(n * sizeof(wchar_t));
  if (*out == NULL)
    return MKLINK_ENOMEM;
  wcscpy(*out, a);
  if (la > 0 && !is_sep(a[la - 1]))
    wcscat(*out, L"\\");
  wcscat(*out, b);
  return 0;
}

/* Windows names compare case-insensitively; ASCII folding is what we can do
   without an OS call, and non-ASCII names then compare exactly. */
static int wchar_eq(wchar_t a, wchar_t b) {
  if (a >= L'A' && a <= L'Z')
    a = (wchar_t)(a - L'A' + L'a');
  if (b >= L'A' && b <= L'Z')
    b = (wchar_t)(b - L'A' + L'a');
  return a == b || (is_sep(a) && is_sep(b));
}

static int span_eq(const wchar_t *a, size_t la, const wchar_t *b, size_t lb) {
  size_t i;
  if (la != lb)
    return 0;
  for (i = 0; i < la; i++)
    if (!wchar_eq(a[i], b[i]))
      return 0;
  return 1;
}

/* Next component of P at *I: start in *S, length returned (0 at the end). */
static size_t next_component(const wchar_t *p, size_t *i, size_t *s) {
  while (is_sep(p[*i]))
    (*i)++;
  *s = *i;
  while (p[*i] != L'\0' && !is_sep(p[*i]))
    (*i)++;
  return *i - *s;
}

int mklink__wrelative(const wchar_t *from_dir, const wchar_t *to, wchar_t **out) {
  size_t rf = root_len(from_dir), rt = root_len(to);
  size_t i = rf, j = rt, si, sj, li, lj, ups = 0, k, n;
  const wchar_t *rest;
  wchar_t *r;
  if (!span_eq(from_dir, rf, to, rt))
    return MKLINK_EXDEV;
  for (;;) {
    size_t save_i = i, save_j = j;
    li = next_component(from_dir, &i, &si);
    lj = next_component(to, &j, &sj);
    if (li == 0 || lj == 0 || !span_eq(from_dir + si, li, to + sj, lj)) {
      i = save_i;
      j = save_j;
      break;
    }
  }
  while (next_component(from_dir, &i, &si) != 0)
    ups++;
  while (is_sep(to[j]))
    j++;
  rest = to + j;
  n = ups * 3 + wcslen(rest) + 2;
  r = malloc(n * sizeof(wchar_t));
  if (r == NULL)
    return MKLINK_ENOMEM;
  r[0] = L'\0';
  for (k = 0; k < ups; k++)
    wcscat(r, k + 1 < ups || rest[0] != L'\0' ? L"..\\" : L"..");
  wcscat(r, rest);
  if (r[0] == L'\0')
    wcscpy(r, L".");
  *out = r;
  return 0;
}

int mklink__temp_sibling(const char *path, const char *tag, char **out) {
  LARGE_INTEGER now;
  size_t dir = strlen(path), n;
  while (dir > 0 && path[dir - 1] != '\\' && path[dir - 1] != '/')
    dir--;
  if (!os_QueryPerformanceCounter(&now))
    now.QuadPart = 0;
  n = dir + strlen(tag) + 64;
  *out = malloc(n);
  if (*out == NULL)
    return MKLINK_ENOMEM;
  snprintf(*out, n, "%.*s.mklink-%s-%lx-%lx-%llx", (int)dir, path, tag,
           (unsigned long)os_GetCurrentProcessId(), (unsigned long)os_GetCurrentThreadId(),
           (unsigned long long)now.QuadPart);
  return 0;
}

int mklink__wattributes(const char *path, DWORD *attrs) {
  wchar_t *wpath;
  int err = mklink__wpath(path, &wpath);
  if (err != 0)
    return err;
  *attrs = os_GetFileAttributesW(wpath);
  err = *attrs == INVALID_FILE_ATTRIBUTES ? mklink__win32_last_error() : 0;
  free(wpath);
  return err;
}

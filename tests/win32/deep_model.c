/* deep_model.c -- see deep_model.h. */
#include "deep_model.h"

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <cmocka.h>

#include "mklink.h"
#include "win32_suite.h"

#define FAKE_BASE ((uintptr_t)0x70000000u) /* far above any real handle */

static wchar_t *base; /* TOP's full path, no \\?\ */
static size_t base_len, levels;
static unsigned char *dir_there; /* [1 .. levels] */
static int file_there;

/* What a name of the chain is: level K (0: TOP), and its last part. */
enum { NAME_DIR, NAME_FILE, NAME_PATTERN };

/* 1 if NAME is TOP or below it: *LEVEL, *WHAT. */
static int parse(const wchar_t *name, size_t *level, int *what) {
  const wchar_t *p = name;
  size_t k = 0;
  if (wcsncmp(p, L"\\\\?\\", 4) == 0)
    p += 4;
  if (_wcsnicmp(p, base, base_len) != 0 || (p[base_len] != L'\0' && p[base_len] != L'\\'))
    return 0;
  p += base_len;
  *what = NAME_DIR;
  while (*p == L'\\') {
    if (p[1] == L'd' && (p[2] == L'\0' || p[2] == L'\\')) {
      k++;
      p += 2;
    } else if ((p[1] == L'f' || p[1] == L'*') && p[2] == L'\0') {
      *what = p[1] == L'f' ? NAME_FILE : NAME_PATTERN;
      p += 2;
    } else {
      return 0;
    }
  }
  if (*p != L'\0' || k > levels)
    return 0;
  *level = k;
  return 1;
}

/* Does the directory at level K exist (TOP always)? */
static int dir_exists(size_t k) { return k == 0 || dir_there[k]; }

static int file_exists(size_t k) { return k == levels && dir_there[k] && file_there; }

static BOOL fail_with(DWORD err) {
  SetLastError(err);
  return FALSE;
}

static int is_fake(HANDLE h) {
  uintptr_t v = (uintptr_t)h;
  return v >= FAKE_BASE && v <= FAKE_BASE + 2 * levels + 3;
}

static HANDLE fake(size_t k, int file) { return (HANDLE)(FAKE_BASE + 2 * k + (file ? 1 : 0)); }

static HANDLE WINAPI d_CreateFileW(LPCWSTR name, DWORD access, DWORD share,
                                   LPSECURITY_ATTRIBUTES sa, DWORD disposition, DWORD flags,
                                   HANDLE tmpl) {
  size_t k;
  int what;
  if (!parse(name, &k, &what) || (k == 0 && what == NAME_DIR))
    return CreateFileW(name, access, share, sa, disposition, flags, tmpl);
  if (!dir_exists(k - (what == NAME_DIR)) ||
      (what == NAME_DIR ? !dir_exists(k) : !file_exists(k))) {
    SetLastError(dir_exists(k - (what == NAME_DIR)) ? ERROR_FILE_NOT_FOUND
                                                    : ERROR_PATH_NOT_FOUND);
    return INVALID_HANDLE_VALUE;
  }
  return fake(k, what == NAME_FILE);
}

static BOOL WINAPI d_CloseHandle(HANDLE h) { return is_fake(h) ? TRUE : CloseHandle(h); }

static BOOL WINAPI d_GetFileInformationByHandle(HANDLE h, LPBY_HANDLE_FILE_INFORMATION fi) {
  uintptr_t v = (uintptr_t)h - FAKE_BASE;
  if (!is_fake(h))
    return GetFileInformationByHandle(h, fi);
  memset(fi, 0, sizeof *fi);
  fi->dwFileAttributes = (v & 1) ? FILE_ATTRIBUTE_ARCHIVE : FILE_ATTRIBUTE_DIRECTORY;
  fi->dwVolumeSerialNumber = 0x5eed;
  fi->nFileIndexLow = (DWORD)v + 1;
  fi->nNumberOfLinks = (v & 1) ? 2 : 1;
  return TRUE;
}

static DWORD WINAPI d_GetFileAttributesW(LPCWSTR name) {
  size_t k;
  int what;
  if (!parse(name, &k, &what) || (k == 0 && what == NAME_DIR))
    return GetFileAttributesW(name);
  if (what == NAME_FILE ? file_exists(k) : dir_exists(k))
    return what == NAME_FILE ? FILE_ATTRIBUTE_ARCHIVE : FILE_ATTRIBUTE_DIRECTORY;
  SetLastError(ERROR_FILE_NOT_FOUND);
  return INVALID_FILE_ATTRIBUTES;
}

/* A listing of the chain has one entry at most: "d", or at the bottom "f". */
static HANDLE WINAPI d_FindFirstFileExW(LPCWSTR pattern, FINDEX_INFO_LEVELS level, LPVOID data,
                                          FINDEX_SEARCH_OPS op, LPVOID filter, DWORD flags) {
  LPWIN32_FIND_DATAW fd = data;
  size_t k;
  int what;
  if (!parse(pattern, &k, &what) || what != NAME_PATTERN)
    return FindFirstFileExW(pattern, level, fd, op, filter, flags);
  if (!dir_exists(k)) {
    SetLastError(ERROR_PATH_NOT_FOUND);
    return INVALID_HANDLE_VALUE;
  }
  memset(fd, 0, sizeof *fd);
  if (k < levels && dir_there[k + 1]) {
    fd->dwFileAttributes = FILE_ATTRIBUTE_DIRECTORY;
    wcscpy(fd->cFileName, L"d");
  } else if (file_exists(k)) {
    fd->dwFileAttributes = FILE_ATTRIBUTE_ARCHIVE;
    wcscpy(fd->cFileName, L"f");
  } else {
    SetLastError(ERROR_FILE_NOT_FOUND);
    return INVALID_HANDLE_VALUE;
  }
  return fake(k, 0);
}

static BOOL WINAPI d_FindNextFileW(HANDLE h, LPWIN32_FIND_DATAW fd) {
  return is_fake(h) ? fail_with(ERROR_NO_MORE_FILES) : FindNextFileW(h, fd);
}

static BOOL WINAPI d_FindClose(HANDLE h) { return is_fake(h) ? TRUE : FindClose(h); }

static BOOL WINAPI d_RemoveDirectoryW(LPCWSTR name) {
  size_t k;
  int what;
  if (!parse(name, &k, &what) || (k == 0 && what == NAME_DIR))
    return RemoveDirectoryW(name);
  if (what != NAME_DIR)
    return fail_with(ERROR_DIRECTORY);
  if (!dir_exists(k))
    return fail_with(ERROR_FILE_NOT_FOUND);
  if ((k < levels && dir_there[k + 1]) || file_exists(k))
    return fail_with(ERROR_DIR_NOT_EMPTY);
  dir_there[k] = 0;
  return TRUE;
}

static BOOL WINAPI d_DeleteFileW(LPCWSTR name) {
  size_t k;
  int what;
  if (!parse(name, &k, &what) || (k == 0 && what == NAME_DIR))
    return DeleteFileW(name);
  if (what != NAME_FILE)
    return fail_with(ERROR_ACCESS_DENIED); /* a directory */
  if (!file_exists(k))
    return fail_with(ERROR_FILE_NOT_FOUND);
  file_there = 0;
  return TRUE;
}

static FARPROC WINAPI d_GetProcAddress(HMODULE module, LPCSTR name) {
  if (strncmp(name, "wine_", 5) == 0)
    return NULL;
  return GetProcAddress(module, name);
}

#define OVERRIDE(name) \
  assert_int_equal(mklink_set_syscall(#name, (mklink_syscall_ptr)d_##name), 0)

void deep_model_install(const char *top, size_t n) {
  char *full = w32_full(top);
  size_t i;
  assert_non_null(full);
  deep_model_free();
  base = w32_wide(full);
  free(full);
  base_len = wcslen(base);
  levels = n;
  dir_there = malloc(n + 1);
  assert_non_null(dir_there);
  for (i = 0; i <= n; i++)
    dir_there[i] = 1;
  file_there = 1;
  OVERRIDE(CreateFileW);
  OVERRIDE(CloseHandle);
  OVERRIDE(GetFileInformationByHandle);
  OVERRIDE(GetFileAttributesW);
  OVERRIDE(FindFirstFileExW);
  OVERRIDE(FindNextFileW);
  OVERRIDE(FindClose);
  OVERRIDE(RemoveDirectoryW);
  OVERRIDE(DeleteFileW);
  OVERRIDE(GetProcAddress);
}

size_t deep_model_dirs(void) {
  size_t i, n = 0;
  for (i = 1; i <= levels; i++)
    n += dir_there[i];
  return n;
}

int deep_model_file(void) { return file_there; }

void deep_model_free(void) {
  free(base);
  free(dir_there);
  base = NULL;
  dir_there = NULL;
  levels = 0;
}

/* ntfs_model.c -- see ntfs_model.h. */
#include "ntfs_model.h"

#include "reparse.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <wchar.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>
#include <winioctl.h>
#include <cmocka.h>

#include "mklink.h"
#include "win32_suite.h"

#ifndef FSCTL_SET_REPARSE_POINT
#define FSCTL_SET_REPARSE_POINT 0x000900A4
#endif
#ifndef FSCTL_GET_REPARSE_POINT
#define FSCTL_GET_REPARSE_POINT 0x000900A8
#endif
#ifndef FSCTL_DELETE_REPARSE_POINT
#define FSCTL_DELETE_REPARSE_POINT 0x000900AC
#endif
#define ERR_NOT_A_REPARSE_POINT 4390
#define ERR_INVALID_REPARSE_DATA 4392
#define ERR_REPARSE_TAG_MISMATCH 4394
#define MAX_RECORDS 128
#define MAX_HANDLES 64
#define MAX_FOLLOW 31

typedef struct record {
  wchar_t *key; /* full path, upper case, no \\?\ */
  unsigned char *buf;
  size_t len;
} record;

static ntfs_model_config cfg;
static record records[MAX_RECORDS];
static struct {
  HANDLE h;
  wchar_t *key;
} handles[MAX_HANDLES];
static int follow_depth;

unsigned ntfs_model_symlink_calls;
DWORD ntfs_model_symlink_flags[8];

/* ---- the store ---------------------------------------------------------- */

/* PATH made absolute (GetFullPathNameW: "." and ".." collapsed), without
   \\?\ and trailing separators; malloc'ed. */
static wchar_t *full_of(const wchar_t *path) {
  wchar_t full[4096], *p;
  DWORD n = GetFullPathNameW(path, 4096, full, NULL);
  if (n == 0 || n >= 4096) {
    SetLastError(ERROR_FILENAME_EXCED_RANGE);
    return NULL;
  }
  p = full;
  if (wcsncmp(p, L"\\\\?\\", 4) == 0 && p[5] == L':')
    p += 4;
  n = (DWORD)wcslen(p);
  while (n > 3 && p[n - 1] == L'\\')
    p[--n] = L'\0';
  return _wcsdup(p);
}

static wchar_t *upper(const wchar_t *path) {
  wchar_t *k = path != NULL ? _wcsdup(path) : NULL, *p;
  for (p = k; p != NULL && *p; p++)
    *p = (wchar_t)towupper(*p);
  return k;
}

static record *find(const wchar_t *key);
static wchar_t *link_destination(const wchar_t *path, const record *rec);

/* PATH as the system resolves it: absolute, with every modelled link among
   its parent directories replaced by where it leads.  NULL with
   ERROR_CANT_RESOLVE_FILENAME (1921) after MAX_FOLLOW links: a loop. */
static wchar_t *resolve(const wchar_t *path) {
  wchar_t *cur = full_of(path), *key, *dest, *joined;
  record *rec;
  size_t i, n;
  int hops = 0;
restart:
  for (i = 3; cur != NULL && cur[i] != L'\0'; i++) {
    if (cur[i] != L'\\')
      continue;
    cur[i] = L'\0';
    key = upper(cur);
    rec = find(key);
    free(key);
    if (rec == NULL) {
      cur[i] = L'\\';
      continue;
    }
    if (++hops > MAX_FOLLOW || (dest = link_destination(cur, rec)) == NULL) {
      free(cur);
      SetLastError(ERROR_CANT_RESOLVE_FILENAME);
      return NULL;
    }
    n = wcslen(dest) + wcslen(cur + i + 1) + 2;
    joined = malloc(n * sizeof(wchar_t));
    assert_non_null(joined);
    swprintf(joined, n, L"%ls\\%ls", dest, cur + i + 1);
    free(dest);
    free(cur);
    cur = full_of(joined);
    free(joined);
    goto restart;
  }
  return cur;
}

/* The store's key for PATH: resolved, upper case (names are
   case-insensitive). */
static wchar_t *key_of(const wchar_t *path) {
  wchar_t *r = resolve(path), *k = upper(r);
  free(r);
  return k;
}

static record *find(const wchar_t *key) {
  int i;
  if (key == NULL)
    return NULL;
  for (i = 0; i < MAX_RECORDS; i++)
    if (records[i].key != NULL && wcscmp(records[i].key, key) == 0)
      return &records[i];
  return NULL;
}

static record *find_path(const wchar_t *path) {
  wchar_t *k = key_of(path);
  record *r = find(k);
  free(k);
  return r;
}

static void drop(record *r) {
  if (r == NULL)
    return;
  free(r->key);
  free(r->buf);
  memset(r, 0, sizeof *r);
}

static void store(wchar_t *key, const unsigned char *buf, size_t len) {
  record *r = find(key);
  int i;
  if (r == NULL) {
    for (i = 0; i < MAX_RECORDS && records[i].key != NULL; i++)
      ;
    assert_true(i < MAX_RECORDS);
    r = &records[i];
  } else {
    free(r->key);
    free(r->buf);
  }
  r->key = key;
  r->buf = malloc(len);
  assert_non_null(r->buf);
  memcpy(r->buf, buf, len);
  r->len = len;
}

static void clear_store(void) {
  int i;
  for (i = 0; i < MAX_RECORDS; i++)
    drop(&records[i]);
  for (i = 0; i < MAX_HANDLES; i++) {
    free(handles[i].key);
    handles[i].key = NULL;
    handles[i].h = NULL;
  }
}

static const wchar_t *handle_key(HANDLE h) {
  int i;
  for (i = 0; i < MAX_HANDLES; i++)
    if (handles[i].key != NULL && handles[i].h == h)
      return handles[i].key;
  return NULL;
}

/* ---- CreateSymbolicLinkW ------------------------------------------------ */

static int is_absolute(const wchar_t *p) {
  return (p[0] != L'\0' && p[1] == L':' && (p[2] == L'\\' || p[2] == L'/')) ||
         (p[0] == L'\\' && p[1] == L'\\');
}

static BOOLEAN fail_with(DWORD err) {
  SetLastError(err);
  return FALSE;
}

static BOOLEAN WINAPI m_CreateSymbolicLinkW(LPCWSTR link, LPCWSTR target, DWORD flags) {
  mklink__reparse *r;
  unsigned char buf[MKLINK__REPARSE_MAX];
  size_t len;
  HANDLE h;
  wchar_t *real;
  BOOL ok;
  if (ntfs_model_symlink_calls < 8)
    ntfs_model_symlink_flags[ntfs_model_symlink_calls] = flags;
  ntfs_model_symlink_calls++;
  if ((flags & ~3u) != 0 || (cfg.old_windows && (flags & 2u)))
    return fail_with(ERROR_INVALID_PARAMETER);
  if (!cfg.privileged && !(cfg.developer_mode && (flags & 2u)))
    return fail_with(ERROR_PRIVILEGE_NOT_HELD);
  if (cfg.lie_symlink)
    return TRUE;
  if ((real = resolve(link)) == NULL)
    return FALSE;
  if (GetFileAttributesW(real) != INVALID_FILE_ATTRIBUTES) {
    free(real);
    return fail_with(ERROR_ALREADY_EXISTS);
  }
  if (flags & 1u) {
    ok = CreateDirectoryW(real, NULL);
  } else {
    h = CreateFileW(real, GENERIC_WRITE, 0, NULL, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, NULL);
    ok = h != INVALID_HANDLE_VALUE;
    if (ok)
      CloseHandle(h);
  }
  if (!ok) {
    free(real);
    return FALSE;
  }
  r = malloc(sizeof *r);
  assert_non_null(r);
  assert_int_equal(mklink__reparse_make_symlink((const uint16_t *)target, wcslen(target),
                                                !is_absolute(target), r), 0);
  assert_int_equal(mklink__reparse_encode(r, buf, sizeof buf, &len), 0);
  free(r);
  store(upper(real), buf, len);
  free(real);
  return TRUE;
}

/* ---- handles ------------------------------------------------------------ */

/* Where the link stored under KEY (a path) leads: its substitute name without
   \??\, relative ones against the link's directory. */
static wchar_t *link_destination(const wchar_t *path, const record *rec) {
  mklink__reparse *r = malloc(sizeof *r);
  wchar_t *out = NULL, name[MKLINK__REPARSE_NAME_MAX + 1];
  size_t skip = 0;
  assert_non_null(r);
  if (mklink__reparse_decode(rec->buf, rec->len, r) == 0) {
    memcpy(name, r->subst, r->subst_len * sizeof(wchar_t));
    name[r->subst_len] = L'\0';
    if (wcsncmp(name, L"\\??\\", 4) == 0)
      skip = 4;
    if (r->tag == MKLINK__IO_REPARSE_TAG_SYMLINK && (r->flags & MKLINK__SYMLINK_FLAG_RELATIVE)) {
      size_t n = wcslen(path);
      out = malloc((n + wcslen(name) + 2) * sizeof(wchar_t));
      assert_non_null(out);
      wcscpy(out, path);
      while (n > 0 && out[n - 1] != L'\\' && out[n - 1] != L'/')
        n--;
      out[n] = L'\0';
      wcscat(out, name);
    } else {
      out = _wcsdup(name + skip);
    }
  }
  free(r);
  return out;
}

static HANDLE WINAPI m_CreateFileW(LPCWSTR name, DWORD access, DWORD share,
                                   LPSECURITY_ATTRIBUTES sa, DWORD disposition,
                                   DWORD flags, HANDLE tmpl) {
  wchar_t *real = resolve(name), *key = upper(real), *dest;
  record *rec = find(key);
  HANDLE h;
  int i;
  if (real == NULL)
    return INVALID_HANDLE_VALUE;
  if (rec != NULL && !(flags & FILE_FLAG_OPEN_REPARSE_POINT)) {
    free(key);
    if (follow_depth >= MAX_FOLLOW) {
      free(real);
      SetLastError(ERROR_CANT_RESOLVE_FILENAME);
      return INVALID_HANDLE_VALUE;
    }
    dest = link_destination(real, rec);
    free(real);
    if (dest == NULL) {
      SetLastError(ERR_INVALID_REPARSE_DATA);
      return INVALID_HANDLE_VALUE;
    }
    follow_depth++;
    h = m_CreateFileW(dest, access, share, sa, disposition, flags, tmpl);
    follow_depth--;
    free(dest);
    return h;
  }
  h = CreateFileW(real, access, share, sa, disposition, flags, tmpl);
  free(real);
  if (h == INVALID_HANDLE_VALUE || key == NULL) {
    free(key);
    return h;
  }
  for (i = 0; i < MAX_HANDLES && handles[i].key != NULL; i++)
    ;
  assert_true(i < MAX_HANDLES);
  handles[i].h = h;
  handles[i].key = key;
  return h;
}

static BOOL WINAPI m_CloseHandle(HANDLE h) {
  int i;
  for (i = 0; i < MAX_HANDLES; i++)
    if (handles[i].key != NULL && handles[i].h == h) {
      free(handles[i].key);
      handles[i].key = NULL;
      handles[i].h = NULL;
    }
  return CloseHandle(h);
}

/* ---- DeviceIoControl ---------------------------------------------------- */

static int dir_is_empty(const wchar_t *dir) {
  WIN32_FIND_DATAW fd;
  wchar_t pattern[4200];
  HANDLE h;
  int empty = 1;
  swprintf(pattern, 4200, L"%ls\\*", dir);
  h = FindFirstFileW(pattern, &fd);
  if (h == INVALID_HANDLE_VALUE)
    return 1;
  do {
    if (wcscmp(fd.cFileName, L".") != 0 && wcscmp(fd.cFileName, L"..") != 0)
      empty = 0;
  } while (empty && FindNextFileW(h, &fd));
  FindClose(h);
  return empty;
}

static BOOL set_reparse(const wchar_t *key, const unsigned char *in, DWORD len) {
  mklink__reparse *r;
  DWORD attrs = GetFileAttributesW(key);
  record *old = find(key);
  int decoded;
  if (cfg.fail_set_reparse != 0)
    return fail_with(cfg.fail_set_reparse);
  r = malloc(sizeof *r);
  assert_non_null(r);
  decoded = mklink__reparse_decode(in, len, r);
  free(r);
  if (decoded < 0 || len < 8)
    return fail_with(ERR_INVALID_REPARSE_DATA);
  if (old != NULL && memcmp(old->buf, in, 4) != 0)
    return fail_with(ERR_REPARSE_TAG_MISMATCH);
  if (in[0] == 0x03 && in[3] == 0xa0) { /* MOUNT_POINT */
    if (!(attrs & FILE_ATTRIBUTE_DIRECTORY))
      return fail_with(ERROR_DIRECTORY);
    if (!dir_is_empty(key))
      return fail_with(ERROR_DIR_NOT_EMPTY);
  }
  store(_wcsdup(key), in, len);
  return TRUE;
}

static BOOL WINAPI m_DeviceIoControl(HANDLE h, DWORD code, LPVOID in, DWORD in_len,
                                     LPVOID out, DWORD out_len, LPDWORD returned,
                                     LPOVERLAPPED ov) {
  const wchar_t *key = handle_key(h);
  record *rec = find(key);
  if (key == NULL)
    return DeviceIoControl(h, code, in, in_len, out, out_len, returned, ov);
  if (returned != NULL)
    *returned = 0;
  switch (code) {
  case FSCTL_SET_REPARSE_POINT:
    return set_reparse(key, in, in_len);
  case FSCTL_GET_REPARSE_POINT:
    if (rec == NULL)
      return fail_with(ERR_NOT_A_REPARSE_POINT);
    if (out_len < rec->len)
      return fail_with(ERROR_MORE_DATA);
    memcpy(out, rec->buf, rec->len);
    if (returned != NULL)
      *returned = (DWORD)rec->len;
    return TRUE;
  case FSCTL_DELETE_REPARSE_POINT:
    if (rec == NULL)
      return fail_with(ERR_NOT_A_REPARSE_POINT);
    drop(rec);
    return TRUE;
  default:
    return DeviceIoControl(h, code, in, in_len, out, out_len, returned, ov);
  }
}

/* ---- attributes --------------------------------------------------------- */

static DWORD WINAPI m_GetFileAttributesW(LPCWSTR name) {
  wchar_t *real = resolve(name), *key = upper(real);
  DWORD attrs = real != NULL ? GetFileAttributesW(real) : INVALID_FILE_ATTRIBUTES;
  if (attrs != INVALID_FILE_ATTRIBUTES && find(key) != NULL)
    attrs |= FILE_ATTRIBUTE_REPARSE_POINT;
  free(real);
  free(key);
  return attrs;
}

static BOOL WINAPI m_GetFileAttributesExW(LPCWSTR name, GET_FILEEX_INFO_LEVELS level,
                                          LPVOID info) {
  wchar_t *real = resolve(name), *key = upper(real);
  BOOL ok = real != NULL && GetFileAttributesExW(real, level, info);
  if (ok && level == GetFileExInfoStandard && find(key) != NULL)
    ((WIN32_FILE_ATTRIBUTE_DATA *)info)->dwFileAttributes |= FILE_ATTRIBUTE_REPARSE_POINT;
  free(real);
  free(key);
  return ok;
}

static BOOL WINAPI m_GetFileInformationByHandle(HANDLE h, LPBY_HANDLE_FILE_INFORMATION fi) {
  BOOL ok = GetFileInformationByHandle(h, fi);
  if (ok && find(handle_key(h)) != NULL)
    fi->dwFileAttributes |= FILE_ATTRIBUTE_REPARSE_POINT;
  return ok;
}

/* ---- names -------------------------------------------------------------- */

static BOOL WINAPI m_CreateDirectoryW(LPCWSTR name, LPSECURITY_ATTRIBUTES sa) {
  wchar_t *real = resolve(name);
  BOOL ok = real != NULL && CreateDirectoryW(real, sa);
  free(real);
  return ok;
}

/* Remove NAME (resolved) with REMOVE; its reparse data goes with it. */
static BOOL remove_name(LPCWSTR name, BOOL(WINAPI *remove)(LPCWSTR)) {
  wchar_t *real = resolve(name), *key = upper(real);
  BOOL ok = real != NULL && remove(real);
  if (ok)
    drop(find(key));
  free(real);
  free(key);
  return ok;
}

static BOOL WINAPI m_RemoveDirectoryW(LPCWSTR name) { return remove_name(name, RemoveDirectoryW); }

static BOOL WINAPI m_DeleteFileW(LPCWSTR name) { return remove_name(name, DeleteFileW); }

static BOOL WINAPI m_MoveFileExW(LPCWSTR from, LPCWSTR to, DWORD flags) {
  wchar_t *rf = resolve(from), *rt = resolve(to), *kf = upper(rf), *kt = upper(rt);
  BOOL ok = rf != NULL && rt != NULL && MoveFileExW(rf, rt, flags);
  record *r;
  if (ok) {
    drop(find(kt));
    r = find(kf);
    if (r != NULL) {
      free(r->key);
      r->key = kt;
      kt = NULL;
    }
  }
  free(rf);
  free(rt);
  free(kf);
  free(kt);
  return ok;
}

/* ---- directory listings ------------------------------------------------ */

#define MAX_FINDS 16
static struct {
  HANDLE h;
  wchar_t *dir;
} finds[MAX_FINDS];

/* A listed entry that is a modelled link shows as a reparse point, with its
   tag in dwReserved0, as NTFS lists one. */
static void mark_entry(const wchar_t *dir, WIN32_FIND_DATAW *fd) {
  size_t n = wcslen(dir) + wcslen(fd->cFileName) + 2;
  wchar_t *path = malloc(n * sizeof(wchar_t)), *key;
  record *r;
  assert_non_null(path);
  swprintf(path, n, L"%ls\\%ls", dir, fd->cFileName);
  key = upper(path);
  r = find(key);
  if (r != NULL) {
    fd->dwFileAttributes |= FILE_ATTRIBUTE_REPARSE_POINT;
    fd->dwReserved0 = (DWORD)r->buf[0] | (DWORD)r->buf[1] << 8 | (DWORD)r->buf[2] << 16 |
                      (DWORD)r->buf[3] << 24;
  }
  free(key);
  free(path);
}

static HANDLE WINAPI m_FindFirstFileExW(LPCWSTR pattern, FINDEX_INFO_LEVELS level, LPVOID data,
                                          FINDEX_SEARCH_OPS op, LPVOID filter, DWORD flags) {
  LPWIN32_FIND_DATAW fd = data;
  wchar_t *real = resolve(pattern), *cut;
  HANDLE h = real != NULL ? FindFirstFileExW(real, level, fd, op, filter, flags)
                           : INVALID_HANDLE_VALUE;
  int i;
  if (h == INVALID_HANDLE_VALUE) {
    free(real);
    return h;
  }
  cut = wcsrchr(real, L'\\');
  if (cut != NULL)
    *cut = L'\0';
  for (i = 0; i < MAX_FINDS && finds[i].dir != NULL; i++)
    ;
  assert_true(i < MAX_FINDS);
  finds[i].h = h;
  finds[i].dir = real;
  mark_entry(real, fd);
  return h;
}

static BOOL WINAPI m_FindNextFileW(HANDLE h, LPWIN32_FIND_DATAW fd) {
  BOOL ok = FindNextFileW(h, fd);
  int i;
  for (i = 0; ok && i < MAX_FINDS; i++)
    if (finds[i].dir != NULL && finds[i].h == h)
      mark_entry(finds[i].dir, fd);
  return ok;
}

static BOOL WINAPI m_FindClose(HANDLE h) {
  int i;
  for (i = 0; i < MAX_FINDS; i++)
    if (finds[i].dir != NULL && finds[i].h == h) {
      free(finds[i].dir);
      finds[i].dir = NULL;
    }
  return FindClose(h);
}

/* The model is a Windows: no Wine underneath, so no Wine bridge either (its
   placeholders are plain files and directories, its links live here). */
static FARPROC WINAPI m_GetProcAddress(HMODULE module, LPCSTR name) {
  if (strncmp(name, "wine_", 5) == 0)
    return NULL;
  return GetProcAddress(module, name);
}

/* ---- install ------------------------------------------------------------ */

#define OVERRIDE(name) \
  assert_int_equal(mklink_set_syscall(#name, (mklink_syscall_ptr)m_##name), 0)

void ntfs_model_install(const ntfs_model_config *config) {
  clear_store();
  cfg = *config;
  ntfs_model_symlink_calls = 0;
  memset(ntfs_model_symlink_flags, 0, sizeof ntfs_model_symlink_flags);
  OVERRIDE(CreateSymbolicLinkW);
  OVERRIDE(CreateDirectoryW);
  OVERRIDE(CreateFileW);
  OVERRIDE(CloseHandle);
  OVERRIDE(DeviceIoControl);
  OVERRIDE(GetFileAttributesW);
  OVERRIDE(GetFileAttributesExW);
  OVERRIDE(GetFileInformationByHandle);
  OVERRIDE(RemoveDirectoryW);
  OVERRIDE(DeleteFileW);
  OVERRIDE(MoveFileExW);
  OVERRIDE(FindFirstFileExW);
  OVERRIDE(FindNextFileW);
  OVERRIDE(FindClose);
  OVERRIDE(GetProcAddress);
}

void ntfs_model_configure(const ntfs_model_config *config) { cfg = *config; }

int ntfs_model_get(const char *path, unsigned char *buf, size_t cap, size_t *len) {
  wchar_t *w = w32_wide(path);
  record *r = find_path(w);
  free(w);
  if (r == NULL || r->len > cap)
    return -1;
  memcpy(buf, r->buf, r->len);
  *len = r->len;
  return 0;
}

void ntfs_model_put(const char *path, int dir, const unsigned char *buf, size_t len) {
  wchar_t *w = w32_wide(path);
  if (dir)
    assert_true(CreateDirectoryW(w, NULL));
  else
    w32_write(path, "");
  store(key_of(w), buf, len);
  free(w);
}

size_t ntfs_model_count(void) {
  size_t i, n = 0;
  for (i = 0; i < MAX_RECORDS; i++)
    n += records[i].key != NULL;
  return n;
}

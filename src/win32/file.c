/*
 * file.c -- whole files and single directories on Windows: the primitives the
 * composite operations (manifests, move) are planned over, under the same
 * names as src/posix/file.c.
 *
 * mklink__write_file_atomic writes a temporary file beside PATH, flushes it
 * (FlushFileBuffers) and renames it over PATH with MoveFileExW
 * (MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH), so PATH holds the old
 * content or the new, never a part.
 */
#include "win32.h"

#include <stdlib.h>
#include <string.h>

static int open_w(const char *path, DWORD access, DWORD disposition, DWORD flags, HANDLE *h) {
  wchar_t *w;
  int rc = mklink__wpath(path, &w);
  if (rc != 0)
    return rc;
  *h = os_CreateFileW(w, access, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                      disposition, flags, NULL);
  rc = *h == INVALID_HANDLE_VALUE ? mklink__last_error() : 0;
  free(w);
  return rc;
}

int mklink__read_file(const char *path, char **data, size_t *len) {
  HANDLE h;
  size_t cap = 4096, used = 0;
  char *buf, *grown;
  DWORD got;
  int rc = open_w(path, GENERIC_READ, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, &h);
  *data = NULL;
  *len = 0;
  if (rc != 0)
    return rc;
  if ((buf = malloc(cap)) == NULL) {
    os_CloseHandle(h);
    return MKLINK_ENOMEM;
  }
  for (;;) {
    if (used + 1 >= cap) {
      if ((grown = realloc(buf, cap * 2)) == NULL) {
        rc = MKLINK_ENOMEM;
        break;
      }
      buf = grown;
      cap *= 2;
    }
    if (!os_ReadFile(h, buf + used, (DWORD)(cap - used - 1), &got, NULL)) {
      rc = mklink__last_error();
      break;
    }
    if (got == 0)
      break;
    used += got;
  }
  os_CloseHandle(h);
  if (rc != 0) {
    free(buf);
    return rc;
  }
  buf[used] = '\0';
  *data = buf;
  *len = used;
  return 0;
}

/* Write DATA to the file TMP (created, not there before), flush it, and
   rename it over PATH (write-through); a failure removes TMP. */
static int commit_temp(const char *tmp, const char *path, const char *data, size_t len) {
  wchar_t *wtmp = NULL, *wpath = NULL;
  HANDLE h;
  DWORD put;
  int rc = open_w(tmp, GENERIC_WRITE, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, &h);
  if (rc != 0)
    return rc;
  while (rc == 0 && len > 0) {
    DWORD chunk = len > 0x40000000u ? 0x40000000u : (DWORD)len;
    if (!os_WriteFile(h, data, chunk, &put, NULL))
      rc = mklink__last_error();
    data += put;
    len -= put;
  }
  if (rc == 0 && !os_FlushFileBuffers(h))
    rc = mklink__last_error();
  os_CloseHandle(h);
  if (rc == 0 && (rc = mklink__wpath(tmp, &wtmp)) == 0 && (rc = mklink__wpath(path, &wpath)) == 0 &&
      !os_MoveFileExW(wtmp, wpath, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
    rc = mklink__last_error();
  if (rc != 0 && (wtmp != NULL || mklink__wpath(tmp, &wtmp) == 0))
    os_DeleteFileW(wtmp);
  free(wtmp);
  free(wpath);
  return rc;
}

int mklink__write_file_atomic(const char *path, const char *data, size_t len) {
  char *tmp = NULL;
  int rc = mklink__temp_name(path, "write", 0, &tmp);
  if (rc != 0)
    return rc;
  rc = commit_temp(tmp, path, data, len);
  free(tmp);
  return rc;
}

int mklink__write_file_via(const char *path, const char *tmp, const char *data, size_t len) {
  int rc = mklink__remove_file(tmp);
  if (rc != 0 && rc != MKLINK_ENOFILE)
    return rc;
  return commit_temp(tmp, path, data, len);
}

/* Windows flushes a rename with MOVEFILE_WRITE_THROUGH; a directory handle
   can be flushed too where the file system allows it (NTFS does, with
   write access), and where it does not there is nothing more to do. */
int mklink__sync_dir(const char *path) {
  HANDLE h;
  if (open_w(path, GENERIC_READ | GENERIC_WRITE, OPEN_EXISTING,
             FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT, &h) != 0)
    return 0;
  (void)os_FlushFileBuffers(h);
  os_CloseHandle(h);
  return 0;
}

static int with_wpath(const char *path, wchar_t **w) { return mklink__wpath(path, w); }

/* What the calls below do to a name. */
typedef enum name_call { DELETE_FILE, CREATE_DIRECTORY, REMOVE_DIRECTORY, RENAME_NEW } name_call;

/* CALL (not RENAME_NEW) on W: 0 or the system's error. */
static int call_w(const wchar_t *w, name_call call) {
  BOOL ok;
  switch (call) {
  case DELETE_FILE:
    ok = os_DeleteFileW(w);
    break;
  case CREATE_DIRECTORY:
    ok = os_CreateDirectoryW(w, NULL);
    break;
  default:
    ok = os_RemoveDirectoryW(w);
    break;
  }
  return ok ? 0 : mklink__last_error();
}

/* CALL on PATH (RENAME_NEW: to TO); DELETE_FILE, REMOVE_DIRECTORY and
   RENAME_NEW act on the name itself.  Under Wine a Unix symbolic link there
   would lose its target to the Win32 call (DeleteFileW deletes a link's
   target file, RemoveDirectoryW an empty target directory, MoveFileExW
   renames the target), so what mklink__wlstat finds a Unix link is removed
   or renamed as a link, and where the Unix side cannot be examined nothing
   that may be one is touched: mklink__unlink_link / mklink__rename_link
   (remove.c), the one rule of mklink_remove too. */
static int call_on(const char *path, name_call call, const char *to) {
  mklink__wstat st;
  wchar_t *w, *wto = NULL;
  int rc = with_wpath(path, &w);
  if (rc == 0 && call == RENAME_NEW)
    rc = with_wpath(to, &wto);
  if (rc == 0 && call != CREATE_DIRECTORY) {
    rc = mklink__wlstat(w, &st, NULL);
    if (rc == MKLINK_EBADREPARSE) /* a real reparse point: st has no Unix side */
      rc = 0;
    if (rc == 0 && call == RENAME_NEW)
      rc = mklink__rename_link(w, wto, &st);
    else if (rc == 0 && (st.unix_link || st.unix_blind))
      rc = mklink__unlink_link(w, &st);
    else if (rc == 0)
      rc = call_w(w, call);
  } else if (rc == 0) {
    rc = call_w(w, call);
  }
  free(w);
  free(wto);
  return rc;
}

int mklink__remove_file(const char *path) { return call_on(path, DELETE_FILE, NULL); }

int mklink__make_dir(const char *path, unsigned mode) {
  (void)mode; /* Windows directories inherit their ACL */
  return call_on(path, CREATE_DIRECTORY, NULL);
}

int mklink__remove_dir(const char *path) { return call_on(path, REMOVE_DIRECTORY, NULL); }

int mklink__rename_new(const char *from, const char *to) { return call_on(from, RENAME_NEW, to); }

static int type_of_attrs(DWORD a) {
  if (a & FILE_ATTRIBUTE_REPARSE_POINT)
    return MKLINK__NODE_LINK;
  if (a & FILE_ATTRIBUTE_DIRECTORY)
    return MKLINK__NODE_DIR;
  return MKLINK__NODE_FILE;
}

int mklink__node_type(const char *path, int follow, int *type) {
  wchar_t *w;
  WIN32_FILE_ATTRIBUTE_DATA fa;
  int rc = with_wpath(path, &w);
  *type = MKLINK__NODE_NONE;
  if (rc != 0)
    return rc;
  if (!os_GetFileAttributesExW(w, GetFileExInfoStandard, &fa)) {
    rc = mklink__last_error();
    free(w);
    return rc == MKLINK_ENOFILE || rc == MKLINK_ENOPATH ? 0 : rc;
  }
  *type = type_of_attrs(fa.dwFileAttributes);
  if (follow && *type == MKLINK__NODE_LINK) {
    DWORD a = os_GetFileAttributesW(w); /* follows the link */
    *type = a == INVALID_FILE_ATTRIBUTES ? MKLINK__NODE_NONE
            : (a & FILE_ATTRIBUTE_DIRECTORY) ? MKLINK__NODE_DIR
                                             : MKLINK__NODE_FILE;
    if (a != INVALID_FILE_ATTRIBUTES) {
      HANDLE h = os_CreateFileW(w, 0, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                                OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
      if (h == INVALID_HANDLE_VALUE)
        *type = MKLINK__NODE_NONE; /* dangling: the name exists, its target not */
      else
        os_CloseHandle(h);
    }
  }
  free(w);
  return 0;
}

int mklink__link_text(const char *path, mklink_kind *kind, char **text) {
  mklink_info info;
  int rc = mklink__wquery(path, 0, &info);
  *kind = MKLINK_NOT_LINK;
  *text = NULL;
  if (rc != 0)
    return rc;
  if (info.kind == MKLINK_FILE_SYMLINK || info.kind == MKLINK_DIR_SYMLINK ||
      info.kind == MKLINK_JUNCTION) {
    *kind = info.kind == MKLINK_JUNCTION ? MKLINK_JUNCTION : MKLINK_FILE_SYMLINK;
    if ((*text = mklink__strdup(info.target != NULL ? info.target : "")) == NULL)
      rc = MKLINK_ENOMEM;
  }
  mklink_info_free(&info);
  return rc;
}

static int file_id(const char *path, int follow, BY_HANDLE_FILE_INFORMATION *info) {
  wchar_t *w;
  HANDLE h;
  int ok;
  if (with_wpath(path, &w) != 0)
    return 0;
  h = os_CreateFileW(w, 0, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL, OPEN_EXISTING,
                     FILE_FLAG_BACKUP_SEMANTICS | (follow ? 0 : FILE_FLAG_OPEN_REPARSE_POINT), NULL);
  free(w);
  if (h == INVALID_HANDLE_VALUE)
    return 0;
  ok = os_GetFileInformationByHandle(h, info) != 0;
  os_CloseHandle(h);
  return ok;
}

int mklink__same_file(const char *link, const char *target) {
  BY_HANDLE_FILE_INFORMATION a, b;
  if (!file_id(link, 0, &a) || !file_id(target, 1, &b))
    return 0;
  return a.dwVolumeSerialNumber == b.dwVolumeSerialNumber && a.nFileIndexHigh == b.nFileIndexHigh &&
         a.nFileIndexLow == b.nFileIndexLow;
}

/* The environment through the C runtime's copy (UTF-16), read only. */
int mklink__getenv(const char *name, char **out) {
  wchar_t *wname;
  const wchar_t *v;
  char buf[4096];
  int rc = mklink__wtext(name, &wname);
  *out = NULL;
  if (rc != 0)
    return rc;
  v = _wgetenv(wname);
  free(wname);
  if (v == NULL)
    return MKLINK_ENOFILE;
  if ((rc = mklink__utf8(v, -1, buf, sizeof buf)) != 0)
    return rc;
  return (*out = mklink__strdup(buf)) != NULL ? 0 : MKLINK_ENOMEM;
}

/* %USERPROFILE%, else %HOME% (a Wine or MSYS started from a shell): an
   empty one counts as none. */
int mklink__home_dir(char **out) {
  static const char *const names[] = {"USERPROFILE", "HOME"};
  size_t i;
  int rc = MKLINK_ENOFILE;
  for (i = 0; i < sizeof names / sizeof *names && rc == MKLINK_ENOFILE; i++) {
    rc = mklink__getenv(names[i], out);
    if (rc == 0 && **out == '\0') {
      free(*out);
      *out = NULL;
      rc = MKLINK_ENOFILE;
    }
  }
  return rc == MKLINK_ENOFILE ? MKLINK_ENOPATH : rc;
}

int mklink__current_dir(char **out) {
  wchar_t w[4096];
  char buf[4096 * 3];
  DWORD n = os_GetCurrentDirectoryW(4096, w);
  int rc;
  *out = NULL;
  if (n == 0 || n >= 4096)
    return n == 0 ? mklink__last_error() : MKLINK_ENAMETOOLONG;
  if ((rc = mklink__utf8(w, -1, buf, sizeof buf)) != 0)
    return rc;
  return (*out = mklink__strdup(buf)) != NULL ? 0 : MKLINK_ENOMEM;
}

int mklink__state_dir(int create, char **out) {
  char *base = NULL, *path;
  size_t n;
  int rc = mklink__getenv("LOCALAPPDATA", &base);
  *out = NULL;
  if (rc != 0)
    return rc == MKLINK_ENOFILE ? MKLINK_ENOPATH : rc;
  n = strlen(base) + 8;
  if ((path = malloc(n)) == NULL) {
    free(base);
    return MKLINK_ENOMEM;
  }
  memcpy(path, base, strlen(base));
  memcpy(path + strlen(base), "\\mklink", 8);
  free(base);
  rc = create ? mklink__make_dir(path, 0700) : 0;
  if (rc != 0 && rc != MKLINK_EEXIST) {
    free(path);
    return rc;
  }
  *out = path;
  return 0;
}

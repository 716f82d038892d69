/*
 * remove_tree.c -- mklink_remove_tree on Windows: delete a directory tree
 * without ever following a reparse point.
 *
 * Each directory is entered through a handle opened with
 * FILE_FLAG_OPEN_REPARSE_POINT, so what opens is the name itself, never what
 * a junction or symbolic link there points to; the handle must then say "a
 * directory, not a reparse point", else the name is removed as the link it
 * has become.  The handle is kept, without FILE_SHARE_DELETE, while the
 * directory is listed and emptied: nobody can rename, delete or replace it
 * meanwhile, and since every ancestor is held the same way, the names the
 * walk builds below them keep meaning the directories it opened.  A listed
 * reparse point (symbolic link, junction, volume mount point) is removed as
 * the link it is: RemoveDirectoryW and DeleteFileW act on the reparse point,
 * never on its target.  A handle is closed just before its emptied directory
 * is removed; a name swapped in that instant is a link (removed as one) or a
 * directory that is not empty (RemoveDirectoryW refuses, and it is emptied in
 * turn, a bounded number of times).
 */
#include "win32.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* Times a directory found refilled is emptied again before giving up. */
#define TREE_REFILLS 64

/* Outcomes besides 0 and MKLINK_E* codes. */
#define TREE_NOT_DIR 1 /* the name is no longer a real directory */

typedef struct tree_path {
  wchar_t *buf; /* the current name, NUL-terminated */
  size_t len;
  size_t cap;
} tree_path;

/* Append "\NAME" to P; returns the length to restore afterwards. */
static int path_push(tree_path *p, const wchar_t *name, size_t *saved) {
  size_t n = wcslen(name);
  if (p->len + 1 + n + 1 > p->cap) {
    size_t cap = (p->len + 1 + n + 1) * 2;
    wchar_t *grown = realloc(p->buf, cap * sizeof *grown);
    if (grown == NULL)
      return MKLINK_ENOMEM;
    p->buf = grown;
    p->cap = cap;
  }
  *saved = p->len;
  p->buf[p->len++] = L'\\';
  memcpy(p->buf + p->len, name, (n + 1) * sizeof *name);
  p->len += n;
  return 0;
}

static void path_pop(tree_path *p, size_t saved) {
  p->len = saved;
  p->buf[saved] = L'\0';
}

static int is_dot_or_dotdot(const wchar_t *name) {
  return name[0] == L'.' && (name[1] == L'\0' || (name[1] == L'.' && name[2] == L'\0'));
}

/* Remove the entry at P->buf, listed with attributes ATTRS, that is not a
   real directory: a reparse point as the link it is, a file by its name. */
static int remove_name(const tree_path *p, DWORD attrs) {
  BOOL ok = (attrs & FILE_ATTRIBUTE_DIRECTORY) ? os_RemoveDirectoryW(p->buf)
                                               : os_DeleteFileW(p->buf);
  if (ok)
    return 0;
  if (os_GetLastError() == ERROR_FILE_NOT_FOUND || os_GetLastError() == ERROR_PATH_NOT_FOUND)
    return 0; /* gone meanwhile */
  return mklink__last_error();
}

static int empty_dir(tree_path *p);

/* Remove the real directory at P->buf and all it holds. */
static int remove_dir(tree_path *p) {
  int rc, refills;
  for (refills = 0; refills < TREE_REFILLS; refills++) {
    rc = empty_dir(p);
    if (rc == TREE_NOT_DIR) {
      /* Became a link (or a file) between the listing and the open. */
      DWORD attrs = os_GetFileAttributesW(p->buf);
      if (attrs == INVALID_FILE_ATTRIBUTES)
        return 0;
      return remove_name(p, attrs);
    }
    if (rc != 0)
      return rc;
    if (os_RemoveDirectoryW(p->buf))
      return 0;
    if (os_GetLastError() == ERROR_FILE_NOT_FOUND || os_GetLastError() == ERROR_PATH_NOT_FOUND)
      return 0;
    if (os_GetLastError() != ERROR_DIR_NOT_EMPTY)
      return mklink__last_error();
  }
  return MKLINK_EBUSY;
}

/* Remove what the directory at P->buf holds, holding it open meanwhile.
   TREE_NOT_DIR if the name no longer is a real directory. */
static int empty_dir(tree_path *p) {
  BY_HANDLE_FILE_INFORMATION info;
  WIN32_FIND_DATAW fd;
  HANDLE dir, find;
  size_t saved;
  int rc = 0;
  dir = os_CreateFileW(p->buf, FILE_LIST_DIRECTORY | FILE_READ_ATTRIBUTES,
                       FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING,
                       FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT, NULL);
  if (dir == INVALID_HANDLE_VALUE)
    return mklink__last_error();
  if (!os_GetFileInformationByHandle(dir, &info)) {
    rc = mklink__last_error();
    goto out;
  }
  if (!(info.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) ||
      (info.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT)) {
    rc = TREE_NOT_DIR;
    goto out;
  }
  /* Under Wine, Unix symbolic links go first, on the Unix side: Win32 would
     delete their targets, and does not list the dangling ones. */
  if ((rc = mklink__wine_unlink_links_in(p->buf)) != 0)
    goto out;
  if ((rc = path_push(p, L"*", &saved)) != 0)
    goto out;
  find = os_FindFirstFileW(p->buf, &fd);
  path_pop(p, saved);
  if (find == INVALID_HANDLE_VALUE) {
    rc = os_GetLastError() == ERROR_FILE_NOT_FOUND ? 0 : mklink__last_error();
    goto out;
  }
  do {
    if (is_dot_or_dotdot(fd.cFileName))
      continue;
    if ((rc = path_push(p, fd.cFileName, &saved)) != 0)
      break;
    if ((fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) &&
        !(fd.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT))
      rc = remove_dir(p);
    else
      rc = remove_name(p, fd.dwFileAttributes);
    path_pop(p, saved);
  } while (rc == 0 && os_FindNextFileW(find, &fd));
  if (rc == 0 && os_GetLastError() != ERROR_NO_MORE_FILES)
    rc = mklink__last_error();
  os_FindClose(find);
out:
  os_CloseHandle(dir);
  return rc;
}

static int has_trailing_sep(const wchar_t *w, size_t n) {
  return n > 1 && (w[n - 1] == L'\\' || w[n - 1] == L'/') && w[n - 2] != L':';
}

/* The last component of W (N units): "", ".", ".." or a root refuse. */
static int bad_last_component(const wchar_t *w, size_t n) {
  size_t start = n;
  while (start > 0 && w[start - 1] != L'\\' && w[start - 1] != L'/' && w[start - 1] != L':')
    start--;
  if (start == n)
    return 1; /* a root: "C:\", "\" */
  return is_dot_or_dotdot(w + start);
}

int mklink__remove_tree(const char *path, mklink_error_cb cb, void *arg) {
  tree_path p = {NULL, 0, 0};
  mklink__wstat st;
  int err = mklink__wpath(path, &p.buf);
  (void)cb; /* until the Win32 walk engine (src/win32/tree.c) */
  (void)arg;
  if (err != 0)
    return err;
  p.len = wcslen(p.buf);
  p.cap = p.len + 1;
  /* "TREE\" is TREE: a trailing separator never makes a link to a
     directory count as the directory. */
  while (has_trailing_sep(p.buf, p.len))
    p.buf[--p.len] = L'\0';
  if (bad_last_component(p.buf, p.len)) {
    err = MKLINK_EINVAL;
    goto out;
  }
  err = mklink__wlstat(p.buf, &st, NULL);
  if (err != 0)
    goto out;
  if (mklink__is_link(&st))
    err = mklink__unlink_link(p.buf, &st); /* only the link goes */
  else if (st.attrs & FILE_ATTRIBUTE_REPARSE_POINT)
    err = MKLINK_EACCES; /* not a link: its data lives behind it */
  else if (!(st.attrs & FILE_ATTRIBUTE_DIRECTORY))
    err = MKLINK_ELASTNAME;
  else
    err = remove_dir(&p);
out:
  free(p.buf);
  return err;
}

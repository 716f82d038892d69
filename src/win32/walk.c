/*
 * walk.c -- mklink_walk on Windows: FindFirstFileExW / FindNextFileW, one
 * directory at a time, never descending into a reparse point.
 *
 * The listing itself says what each entry is (FILE_ATTRIBUTE_REPARSE_POINT,
 * FILE_ATTRIBUTE_DIRECTORY), so only reparse points -- and, when asked, plain
 * files for their link count -- cost a query.  A reparse point is described
 * by the same code as mklink_query, which opens it with
 * FILE_FLAG_OPEN_REPARSE_POINT; one that is not a link (a volume mount point,
 * a cloud file) is skipped, and none is ever entered, so the walk cannot loop
 * through a junction to its own ancestor.
 */
#include "win32.h"

#include <stdlib.h>
#include <string.h>

struct walker {
  unsigned flags;
  mklink_walk_cb cb;
  void *arg;
  char *path;      /* DIR joined with the relative name, UTF-8, as reported */
  size_t path_cap;
  wchar_t *wpath;  /* the same, UTF-16, as the file APIs take it          */
  size_t wpath_cap; /* in wchar_t                                         */
  mklink_info info;
  char name[MAX_PATH * 4]; /* one entry's name in UTF-8                     */
};

static int grow(void **buf, size_t *cap, size_t need, size_t unit) {
  size_t cap2 = *cap;
  void *grown;
  if (need <= *cap)
    return 0;
  while (cap2 < need)
    cap2 *= 2;
  grown = realloc(*buf, cap2 * unit);
  if (grown == NULL)
    return MKLINK_ENOMEM;
  *buf = grown;
  *cap = cap2;
  return 0;
}

static int is_sep(char c) { return c == '\\' || c == '/'; }

/* Append NAME (and its UTF-16 form WNAME) to both paths. */
static int append(struct walker *w, size_t len, size_t wlen, const char *name,
                  const wchar_t *wname, size_t *new_len, size_t *new_wlen) {
  size_t n = strlen(name), wn = wcslen(wname);
  int rc;
  if ((rc = grow((void **)&w->path, &w->path_cap, len + n + 2, 1)) != 0 ||
      (rc = grow((void **)&w->wpath, &w->wpath_cap, wlen + wn + 3, sizeof(wchar_t))) != 0)
    return rc;
  if (len > 0 && !is_sep(w->path[len - 1]))
    w->path[len++] = '\\';
  memcpy(w->path + len, name, n + 1);
  if (wlen > 0 && w->wpath[wlen - 1] != L'\\')
    w->wpath[wlen++] = L'\\';
  memcpy(w->wpath + wlen, wname, (wn + 1) * sizeof(wchar_t));
  *new_len = len + n;
  *new_wlen = wlen + wn;
  return 0;
}

static int report(struct walker *w, int err) {
  mklink_walk_entry e;
  e.path = w->path;
  e.error = err;
  e.info = err == 0 ? &w->info : NULL;
  return w->cb(&e, w->arg);
}

/* A reparse point, or a file with several names when asked for. */
static int visit_entry(struct walker *w) {
  mklink_info *info = &w->info;
  int rc = mklink__query(w->path, info);
  if (rc == MKLINK_ENOTLINK || rc == MKLINK_ENOFILE)
    return 0; /* not a reparse point after all, or gone since the listing */
  if (rc != 0)
    return report(w, rc);
  if (info->kind == MKLINK_NOT_LINK || info->kind == MKLINK_OTHER_REPARSE)
    return 0;
  if (info->kind == MKLINK_HARDLINK)
    return (w->flags & MKLINK_WALK_BROKEN) ? 0 : report(w, 0);
  if ((w->flags & MKLINK_WALK_BROKEN) && info->target_exists)
    return 0;
  if (!(w->flags & (MKLINK_WALK_TARGETS | MKLINK_WALK_BROKEN))) {
    /* Same contract on every platform: targets only when asked. */
    info->target_exists = -1;
    info->target_is_dir = -1;
  }
  return report(w, 0);
}

static int walk_dir(struct walker *w, size_t len, size_t wlen);

static int visit(struct walker *w, const WIN32_FIND_DATAW *fd, size_t len, size_t wlen) {
  DWORD attrs = fd->dwFileAttributes;
  int is_link = (attrs & FILE_ATTRIBUTE_REPARSE_POINT) != 0;
  int is_dir = (attrs & FILE_ATTRIBUTE_DIRECTORY) != 0;
  size_t nlen, nwlen;
  int rc;

  if (!is_link && !(is_dir && (w->flags & MKLINK_WALK_RECURSIVE)) &&
      !(!is_dir && (w->flags & MKLINK_WALK_HARDLINKS) && !(w->flags & MKLINK_WALK_BROKEN)))
    return 0;
  if ((rc = mklink__utf8(fd->cFileName, -1, w->name, sizeof w->name)) != 0)
    return rc;
  if ((rc = append(w, len, wlen, w->name, fd->cFileName, &nlen, &nwlen)) != 0)
    return report(w, rc);
  if (is_link || !is_dir)
    rc = visit_entry(w);
  else
    rc = walk_dir(w, nlen, nwlen);
  w->path[len] = '\0';
  w->wpath[wlen] = L'\0';
  return rc;
}

/* List the directory named by W->path / W->wpath (LEN and WLEN long). */
static int walk_dir(struct walker *w, size_t len, size_t wlen) {
  WIN32_FIND_DATAW fd;
  HANDLE h;
  size_t pat;
  int rc = 0;

  if ((rc = grow((void **)&w->wpath, &w->wpath_cap, wlen + 3, sizeof(wchar_t))) != 0)
    return report(w, rc);
  pat = wlen;
  if (pat > 0 && w->wpath[pat - 1] != L'\\')
    w->wpath[pat++] = L'\\';
  w->wpath[pat] = L'*';
  w->wpath[pat + 1] = L'\0';
  h = os_FindFirstFileExW(w->wpath, FindExInfoBasic, &fd, FindExSearchNameMatch, NULL,
                          FIND_FIRST_EX_LARGE_FETCH);
  w->wpath[wlen] = L'\0';
  if (h == INVALID_HANDLE_VALUE)
    return report(w, mklink__win32_last_error());
  do {
    const wchar_t *n = fd.cFileName;
    if (n[0] == L'.' && (n[1] == L'\0' || (n[1] == L'.' && n[2] == L'\0')))
      continue;
    if ((rc = visit(w, &fd, len, wlen)) != 0)
      break;
  } while (os_FindNextFileW(h, &fd));
  if (rc == 0 && os_GetLastError() != ERROR_NO_MORE_FILES)
    rc = report(w, mklink__win32_last_error());
  os_FindClose(h);
  return rc;
}

static int check_top(const wchar_t *wdir) {
  DWORD attrs = os_GetFileAttributesW(wdir);
  if (attrs == INVALID_FILE_ATTRIBUTES) {
    int rc = mklink__win32_last_error();
    return rc == MKLINK_ENOFILE ? MKLINK_ENOPATH : rc;
  }
  return (attrs & FILE_ATTRIBUTE_DIRECTORY) ? 0 : MKLINK_EINVAL;
}

int mklink__walk(const char *dir, unsigned flags, mklink_walk_cb cb, void *arg) {
  struct walker *w = calloc(1, sizeof *w);
  wchar_t *wdir = NULL;
  size_t len = strlen(dir), wlen;
  int rc;

  if (w == NULL)
    return MKLINK_ENOMEM;
  w->flags = flags;
  w->cb = cb;
  w->arg = arg;
  if ((rc = mklink__wpath(dir, &wdir)) != 0)
    goto out;
  if ((rc = check_top(wdir)) != 0)
    goto out;
  wlen = wcslen(wdir);
  w->path_cap = len + MAX_PATH;
  w->wpath_cap = wlen + MAX_PATH;
  w->path = malloc(w->path_cap);
  w->wpath = malloc(w->wpath_cap * sizeof(wchar_t));
  if (w->path == NULL || w->wpath == NULL) {
    rc = MKLINK_ENOMEM;
    goto out;
  }
  memcpy(w->path, dir, len + 1);
  memcpy(w->wpath, wdir, (wlen + 1) * sizeof(wchar_t));
  rc = walk_dir(w, len, wlen);
out:
  free(wdir);
  free(w->path);
  free(w->wpath);
  free(w);
  return rc;
}

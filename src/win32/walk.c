/*
 * walk.c -- mklink_walk on Win32: FindFirstFileW / FindNextFileW, whose data
 * already says which entries are reparse points, so a link (symbolic link,
 * junction, or any other reparse point) is never entered: the walk cannot
 * loop, count twice or leave the tree.  Only links, and with
 * MKLINK_WALK_HARDLINKS files that may have several names, are examined
 * further, by the same code as mklink_query; a link is followed to its
 * target only with MKLINK_WALK_TARGETS or MKLINK_WALK_BROKEN.
 *
 * Each directory is listed, and each listed name asked about, by its full
 * path under \\?\ (the walk's own "system path", built beside the path it
 * reports): Win32 path parsing would otherwise take "aux.c" or "COM1" in
 * any directory for a device, strip a trailing dot or space, and fail a
 * path over MAX_PATH.  Reported paths stay DIR joined with the names.
 */
#include "win32.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct walker {
  unsigned flags;
  mklink_walk_cb cb;
  void *arg;
  mklink_info info;
} walker;

static int report_error(walker *w, const char *path, int err) {
  mklink_walk_entry e;
  e.path = path;
  e.error = err;
  e.info = NULL;
  return w->cb(&e, w->arg);
}

/* The entry at PATH, described in W->info: report it if it is what the
   flags ask for. */
static int report_entry(walker *w, const char *path) {
  mklink_walk_entry e;
  switch (w->info.kind) {
  case MKLINK_FILE_SYMLINK:
  case MKLINK_DIR_SYMLINK:
  case MKLINK_JUNCTION:
    if ((w->flags & MKLINK_WALK_BROKEN) && w->info.target_exists)
      return 0;
    break;
  case MKLINK_HARDLINK:
    break;
  default:
    if (!(w->flags & MKLINK__WALK_EVERY))
      return 0; /* a single-name file, or a reparse point that is no link */
  }
  e.path = path;
  e.error = 0;
  e.info = &w->info;
  return w->cb(&e, w->arg);
}

/* PATH is a link or a file: report it if it is what the flags ask for. */
static int visit_entry(walker *w, const char *path) {
  int follow = (w->flags & (MKLINK_WALK_TARGETS | MKLINK_WALK_BROKEN)) != 0;
  int err = mklink__wquery(path, follow, &w->info);
  if (err == MKLINK_ENOFILE || err == MKLINK_ENOPATH)
    return 0; /* gone since it was listed */
  if (err != 0)
    return report_error(w, path, err);
  err = report_entry(w, path);
  mklink_info_free(&w->info);
  return err;
}

static char *join(const char *dir, const wchar_t *name, int *err) {
  size_t n = strlen(dir);
  char leaf[MAX_PATH * 4];
  char *out;
  *err = mklink__utf8(name, -1, leaf, sizeof leaf);
  if (*err != 0)
    return NULL;
  out = malloc(n + strlen(leaf) + 2);
  if (out == NULL) {
    *err = MKLINK_ENOMEM;
    return NULL;
  }
  memcpy(out, dir, n);
  if (n > 0 && dir[n - 1] != '\\' && dir[n - 1] != '/')
    out[n++] = '\\';
  strcpy(out + n, leaf);
  return out;
}

static int walk_dir(walker *w, const char *dir, const char *sys, int top);

/* MKLINK__WALK_EVERY: an entry that is no reparse point, as the listing
   says; no system call.  Returns the callback's answer. */
static int report_plain(walker *w, const char *path, int is_dir) {
  mklink_walk_entry e;
  mklink_info info;
  memset(&info, 0, sizeof info);
  info.kind = MKLINK_NOT_LINK;
  info.target_is_dir = is_dir;
  info.nlink = 1;
  info.target = "";
  info.resolved = "";
  e.path = path;
  e.error = 0;
  e.info = &info;
  return w->cb(&e, w->arg);
}

static int visit(walker *w, const char *dir, const char *sys, const WIN32_FIND_DATAW *fd) {
  DWORD a = fd->dwFileAttributes;
  int is_link = (a & FILE_ATTRIBUTE_REPARSE_POINT) != 0;
  int is_dir = (a & FILE_ATTRIBUTE_DIRECTORY) != 0;
  char *path, *sys_path;
  int rc;
  int every = (w->flags & MKLINK__WALK_EVERY) != 0;
  if (!is_link && is_dir && !(w->flags & MKLINK_WALK_RECURSIVE))
    return 0;
  path = join(dir, fd->cFileName, &rc);
  if (path == NULL)
    return report_error(w, dir, rc);
  sys_path = join(sys, fd->cFileName, &rc);
  if (sys_path == NULL) {
    free(path);
    return report_error(w, dir, rc);
  }
  /* Under Wine a Unix symbolic link to a file is listed as the file. */
  if (!is_link && !is_dir)
    is_link = mklink__wine_is_unix_link(sys_path);
  /* A hard link is never dangling: --broken leaves files alone. */
  if (!every && !is_link && !is_dir &&
      (!(w->flags & MKLINK_WALK_HARDLINKS) || (w->flags & MKLINK_WALK_BROKEN))) {
    rc = 0;
  } else if (every && !is_link) {
    rc = report_plain(w, path, is_dir);
    if (rc == 0 && is_dir)
      rc = walk_dir(w, path, sys_path, 0);
    else if (rc == MKLINK__WALK_PRUNE)
      rc = 0; /* the caller keeps out of this one */
  } else {
    rc = is_link || !is_dir ? visit_entry(w, path) : walk_dir(w, path, sys_path, 0);
  }
  free(path);
  free(sys_path);
  return rc;
}

static int is_dot(const wchar_t *name) {
  return name[0] == L'.' && (name[1] == L'\0' || (name[1] == L'.' && name[2] == L'\0'));
}

typedef struct hidden_visit {
  walker *w;
  const char *dir;
  int stop; /* what the walk's callback returned to stop it */
} hidden_visit;

static int visit_hidden(void *arg, const char *name) {
  hidden_visit *h = arg;
  size_t n = strlen(h->dir);
  char *path = malloc(n + strlen(name) + 2);
  int rc;
  if (path == NULL)
    return report_error(h->w, h->dir, MKLINK_ENOMEM);
  memcpy(path, h->dir, n);
  if (n > 0 && h->dir[n - 1] != '\\' && h->dir[n - 1] != '/')
    path[n++] = '\\';
  strcpy(path + n, name);
  rc = h->stop = visit_entry(h->w, path);
  free(path);
  return rc;
}

/* Under Wine, the Unix symbolic links of DIR (SYS) that lead nowhere:
   Win32 does not list them. */
static int visit_hidden_links(walker *w, const char *dir, const char *sys) {
  hidden_visit h;
  wchar_t *wdir;
  int rc = mklink__wpath(sys, &wdir);
  if (rc != 0)
    return 0; /* the listing itself reported it */
  h.w = w;
  h.dir = dir;
  h.stop = 0;
  rc = mklink__wine_each_hidden_link(wdir, visit_hidden, &h);
  free(wdir);
  if (h.stop != 0)
    return h.stop;
  return rc != 0 ? report_error(w, dir, rc) : 0;
}

/* List DIR (by its system path SYS); a directory that cannot be read is
   reported (the walk goes on), except DIR itself (TOP), whose error is the
   walk's. */
static int walk_dir(walker *w, const char *dir, const char *sys, int top) {
  WIN32_FIND_DATAW fd;
  wchar_t *pattern = NULL;
  size_t n = strlen(sys);
  char *all = malloc(n + 3); /* SYS\* */
  HANDLE h;
  int rc = all == NULL ? MKLINK_ENOMEM
                       : mklink__path_join(MKLINK__PATH_WIN32, sys, n, "*", all, n + 3);
  if (rc == 0)
    rc = mklink__wpath(all, &pattern);
  free(all);
  if (rc != 0)
    return top ? rc : report_error(w, dir, rc);
  h = os_FindFirstFileW(pattern, &fd);
  free(pattern);
  if (h == INVALID_HANDLE_VALUE) {
    rc = mklink__last_error();
    return top ? rc : report_error(w, dir, rc);
  }
  do {
    if (!is_dot(fd.cFileName) && (rc = visit(w, dir, sys, &fd)) != 0)
      break;
  } while (os_FindNextFileW(h, &fd));
  os_FindClose(h);
  if (rc == 0)
    rc = visit_hidden_links(w, dir, sys);
  return rc;
}

/* DIR's system path: its full path under \\?\ (\\?\UNC\ for a UNC path),
   malloc'ed in *OUT, so that every name below it is taken as it is. */
static int system_path(const char *dir, char **out) {
  wchar_t *w = NULL;
  char *full = NULL, *p;
  size_t n;
  int rc = mklink__wpath(dir, &w);
  *out = NULL;
  if (rc == 0)
    rc = mklink__wabsolute(w, 0, 0, &full);
  free(w);
  if (rc != 0)
    return rc;
  if (full[0] == '\\' && full[1] == '\\' && (full[2] == '?' || full[2] == '.') &&
      full[3] == '\\') {
    *out = full; /* a device path already */
    return 0;
  }
  n = strlen(full) + 8;
  if ((p = malloc(n)) == NULL) {
    free(full);
    return MKLINK_ENOMEM;
  }
  if (full[0] == '\\' && full[1] == '\\')
    snprintf(p, n, "\\\\?\\UNC%s", full + 1); /* \\server\share\... */
  else
    snprintf(p, n, "\\\\?\\%s", full);
  free(full);
  *out = p;
  return 0;
}

/* DIR itself is followed if it is a link, as `dir LINK` lists the target;
   nothing below it ever is. */
static int check_top(const char *dir) {
  DWORD attrs = 0;
  int err = mklink__wattributes(dir, &attrs);
  if (err == MKLINK_ENOFILE)
    return MKLINK_ENOPATH;
  if (err == 0 && !(attrs & FILE_ATTRIBUTE_DIRECTORY))
    return MKLINK_EINVAL;
  return err;
}

int mklink__walk(const char *dir, unsigned flags, mklink_walk_cb cb, void *arg) {
  walker *w;
  char *sys = NULL;
  int rc = check_top(dir);
  if (rc != 0)
    return rc;
  w = calloc(1, sizeof *w);
  if (w == NULL)
    return MKLINK_ENOMEM;
  w->flags = flags;
  w->cb = cb;
  w->arg = arg;
  rc = system_path(dir, &sys);
  if (rc == 0)
    rc = walk_dir(w, dir, sys, 1);
  free(sys);
  free(w);
  return rc;
}

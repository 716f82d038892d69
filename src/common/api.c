/*
 * api.c -- the public entry points: check arguments once, then hand over to
 * the backend of this platform.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define MKLINK__ALL_FLAGS (MKLINK_REPLACE | MKLINK_REQUIRE_TARGET | MKLINK_RELATIVE)
#define MKLINK__WALK_FLAGS \
  (MKLINK_WALK_RECURSIVE | MKLINK_WALK_HARDLINKS | MKLINK_WALK_BROKEN | MKLINK_WALK_TARGETS)

const char *mklink_version(void) { return MKLINK_VERSION_STRING; }

const char *mklink_kind_name(mklink_kind kind) {
  switch (kind) {
  case MKLINK_NOT_LINK:
    return "not a link";
  case MKLINK_FILE_SYMLINK:
    return "file symlink";
  case MKLINK_DIR_SYMLINK:
    return "directory symlink";
  case MKLINK_HARDLINK:
    return "hard link";
  case MKLINK_JUNCTION:
    return "junction";
  case MKLINK_OTHER_REPARSE:
    return "other reparse point";
  case MKLINK_MOUNT_POINT:
    return "mount point";
  }
  return "unknown";
}

static int is_empty(const char *path) { return path == NULL || path[0] == '\0'; }

static int is_creatable(mklink_kind kind) {
  return kind == MKLINK_FILE_SYMLINK || kind == MKLINK_DIR_SYMLINK ||
         kind == MKLINK_HARDLINK || kind == MKLINK_JUNCTION;
}

int mklink_create(const char *link, const char *target, mklink_kind kind,
                  unsigned flags) {
  if (is_empty(link) || is_empty(target))
    return MKLINK_EINVAL;
  if (!is_creatable(kind) || (flags & ~MKLINK__ALL_FLAGS) != 0)
    return MKLINK_EINVAL;
  /* A junction is always absolute and a hard link stores no text: asking
     for a relative one is a mistake, refused before touching anything. */
  if ((flags & MKLINK_RELATIVE) && kind != MKLINK_FILE_SYMLINK && kind != MKLINK_DIR_SYMLINK)
    return MKLINK_EINVAL;
  return mklink__create(link, target, kind, flags);
}

int mklink_query(const char *path, mklink_info *out) {
  int rc;
  if (out != NULL)
    out->target = out->resolved = NULL;
  if (is_empty(path) || out == NULL)
    return MKLINK_EINVAL;
  rc = mklink__query(path, out);
  if (rc != 0)
    mklink_info_free(out); /* a failed query leaves nothing to release */
  return rc;
}

void mklink_info_free(mklink_info *info) {
  if (info == NULL)
    return;
  /* The target comes first in the one block that holds both strings. */
  free((void *)info->target);
  info->target = info->resolved = NULL;
}

int mklink_remove(const char *path) {
  if (is_empty(path))
    return MKLINK_EINVAL;
  return mklink__remove(path);
}

int mklink_remove_tree(const char *path) { return mklink_remove_tree_report(path, NULL, NULL); }

int mklink_remove_tree_report(const char *path, mklink_error_cb cb, void *arg) {
  if (is_empty(path))
    return MKLINK_EINVAL;
  return mklink__remove_tree(path, cb, arg);
}

int mklink_walk(const char *dir, unsigned flags, mklink_walk_cb cb, void *arg) {
  if (is_empty(dir) || cb == NULL || (flags & ~MKLINK__WALK_FLAGS) != 0)
    return MKLINK_EINVAL;
  return mklink__walk(dir, flags, cb, arg);
}

int mklink_capabilities(const char *dir, mklink_caps *out) {
  if (out == NULL || (dir != NULL && dir[0] == '\0'))
    return MKLINK_EINVAL;
  memset(out, 0, sizeof *out);
  return mklink__capabilities(dir, out);
}

/*
 * tree_list.c -- mklink_walk, written once over the tree walk engine
 * (tree.h): every link in DIR, and below it with MKLINK_WALK_RECURSIVE,
 * described as mklink_query describes it, like `dir /AL [/S]`.
 *
 * The engine never follows a link and never enters a mount point, so the
 * walk cannot loop, count twice or leave the tree.  It is built to keep up
 * with `find -type l`: the type of an ordinary entry comes from the listing
 * (no system call for it), a link costs its readlink, and its target is
 * looked at only when the caller asks (MKLINK_WALK_TARGETS,
 * MKLINK_WALK_BROKEN).
 *
 * With the internal flag MKLINK__WALK_EVERY (the portability check) every
 * entry is reported, the plain ones from the listing alone; a directory is
 * reported once the walk has opened it (so a mount point or a link that
 * replaced it is reported as what it is), before its entries, and a
 * callback that answers MKLINK__WALK_PRUNE keeps its entries from being
 * reported (none of its subdirectories is opened).
 */
#include "tree.h"

#include <stdlib.h>

typedef struct lister {
  unsigned flags;
  mklink_walk_cb cb;
  void *arg;
  size_t pruned; /* EVERY: the depth of the directory whose entries are
                    skipped, 0 for none                                  */
  mklink_info info;
} lister;

static int report(lister *l, const mklink__tree_entry *e, int err) {
  mklink__walk_every_entry we;
  we.pub.path = e->path;
  we.pub.error = err;
  we.pub.info = err != 0 ? NULL : &l->info;
  we.depth = e->depth;
  we.path_len = e->path_len;
  we.name_len = e->name_len;
  return l->cb(&we.pub, l->arg);
}

/* Describe the current entry; 1 if it is gone or no longer what it was
   listed as (nothing to report). */
static int describe(lister *l, mklink__tree *t, const mklink__tree_entry *e, unsigned how,
                    int *rc) {
  int err = mklink__tree_describe(t, how, &l->info);
  *rc = 0;
  /* Gone or replaced since listed, or (asked for dangling links only) a
     link whose target exists: nothing to report. */
  if (err == MKLINK_ENOFILE || err == MKLINK_ENOTLINK || err == 1)
    return 1;
  *rc = err != 0 ? report(l, e, err) : 0;
  return err != 0;
}

static int visit_link(lister *l, mklink__tree *t, const mklink__tree_entry *e) {
  unsigned how = 0;
  int rc;
  if (l->flags & (MKLINK_WALK_TARGETS | MKLINK_WALK_BROKEN))
    how |= MKLINK__DESCRIBE_FOLLOW;
  if (l->flags & MKLINK_WALK_BROKEN)
    how |= MKLINK__DESCRIBE_DANGLING;
  if (describe(l, t, e, how, &rc))
    return rc;
  return report(l, e, 0);
}

/* A file is reported only as a hard link (several names), when asked; a
   hard link is never dangling, so --broken leaves files alone. */
static int visit_file(lister *l, mklink__tree *t, const mklink__tree_entry *e) {
  int rc;
  if (!(l->flags & MKLINK_WALK_HARDLINKS) || (l->flags & MKLINK_WALK_BROKEN))
    return 0;
  if (describe(l, t, e, 0, &rc))
    return rc;
  return l->info.kind == MKLINK_HARDLINK ? report(l, e, 0) : 0;
}

/* MKLINK__WALK_EVERY: an entry that is no link, as the listing says; no
   system call.  Returns the callback's answer. */
static int report_plain(lister *l, const mklink__tree_entry *e, int is_dir) {
  mklink_info *info = &l->info;
  info->kind = MKLINK_NOT_LINK;
  info->target_checked = 0;
  info->target_exists = 0;
  info->target_is_dir = is_dir;
  info->nlink = 1;
  info->target = "";
  info->resolved = "";
  return report(l, e, 0);
}

/* MKLINK__WALK_EVERY: a directory, entered (RC is what entering said: 0,
   or the error that kept the walk out of it), then reported. */
static int report_dir(lister *l, const mklink__tree_entry *e, int rc) {
  int answer = report_plain(l, e, 1);
  if (answer == MKLINK__WALK_PRUNE) {
    if (rc == 0)
      l->pruned = e->depth; /* its entries come, unreported, to its LEAVE */
    return 0;
  }
  if (answer != 0 || rc == 0)
    return answer;
  return report(l, e, rc); /* cannot be read: said, the walk goes on */
}

/* A mount point is never entered; it is reported as one (not with
   --broken, which reports dangling links only). */
static int visit_mount(lister *l, mklink__tree *t, const mklink__tree_entry *e) {
  int rc;
  if (l->flags & MKLINK_WALK_BROKEN)
    return 0;
  if (describe(l, t, e, 0, &rc))
    return rc;
  return report(l, e, 0);
}

static int visit(lister *l, mklink__tree *t, const mklink__tree_entry *e) {
  int rc;
  for (;;) {
    switch (e->type) {
    case MKLINK__TREE_DIR:
      if (!(l->flags & MKLINK_WALK_RECURSIVE))
        return (l->flags & MKLINK__WALK_EVERY) ? report_plain(l, e, 1) : 0;
      rc = mklink__tree_enter(t);
      if (rc == MKLINK__TREE_CHANGED)
        continue; /* a link or a mount point now: as such */
      if (rc == MKLINK_ENOFILE)
        return 0;
      if (l->flags & MKLINK__WALK_EVERY)
        return report_dir(l, e, rc);
      if (rc == 0)
        return 0;
      return report(l, e, rc); /* cannot be read: said, the walk goes on */
    case MKLINK__TREE_SYMLINK:
    case MKLINK__TREE_JUNCTION:
      return visit_link(l, t, e);
    case MKLINK__TREE_FILE:
      if (l->flags & MKLINK__WALK_EVERY)
        return report_plain(l, e, 0);
      return visit_file(l, t, e);
    case MKLINK__TREE_MOUNT:
      return visit_mount(l, t, e);
    case MKLINK__TREE_OTHER:
      return (l->flags & MKLINK__WALK_EVERY) ? report_plain(l, e, 0) : 0;
    case MKLINK__TREE_REPARSE:
      if (!(l->flags & MKLINK__WALK_EVERY))
        return 0;
      if (describe(l, t, e, 0, &rc))
        return rc;
      return report(l, e, 0);
    }
    return 0;
  }
}

int mklink__walk(const char *dir, unsigned flags, mklink_walk_cb cb, void *arg) {
  const mklink__tree_entry *e;
  mklink__tree *t;
  lister *l = malloc(sizeof *l);
  int rc;
  if (l == NULL)
    return MKLINK_ENOMEM;
  l->flags = flags;
  l->cb = cb;
  l->arg = arg;
  l->pruned = 0;
  /* Files matter only as hard links (or with EVERY): without them they are
     not even handed out. */
  rc = mklink__tree_open(dir,
                         ((flags & MKLINK_WALK_HARDLINKS) && !(flags & MKLINK_WALK_BROKEN)) ||
                                 (flags & MKLINK__WALK_EVERY)
                             ? 0
                             : MKLINK__TREE_NO_FILES,
                         &t);
  while (rc == 0 && (rc = mklink__tree_next(t, &e)) == 1) {
    if (l->pruned > 0) {
      if (e->event == MKLINK__TREE_LEAVE && e->depth == l->pruned)
        l->pruned = 0;
      rc = 0; /* inside a directory the caller keeps out of */
      continue;
    }
    rc = e->event == MKLINK__TREE_ENTRY ? visit(l, t, e) : 0;
  }
  mklink__tree_close(t);
  free(l);
  return rc;
}

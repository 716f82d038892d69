/*
 * tree_remove.c -- mklink_remove_tree, written once over the tree walk
 * engine (tree.h), whose rules make it safe: nothing is followed, no mount
 * point is entered, every name is acted on in the directory the walk holds,
 * and the walk only ever comes back into the directory it came from.
 *
 * What this file decides:
 * - TOP: a link goes as a link, a file with one name is refused
 *   (MKLINK_ELASTNAME: not a tree, its data is not ours to delete), a mount
 *   point is refused (MKLINK_EMOUNT), a directory is emptied and removed.
 * - Below TOP: a directory is entered, emptied and removed on its LEAVE;
 *   anything else is removed by its name (a link as the link); a mount point
 *   is left as it is.  An entry that cannot be removed is reported to the
 *   caller's callback with its path and the walk goes on with the rest; the
 *   directories holding it are then left too (not reported again).  The
 *   first error is what the call returns.
 * - Races: an entry that changed between the listing and the act is looked
 *   at again and handled as what it is now (a directory that became a link
 *   is removed as the link); a directory found refilled when removed is
 *   listed again.  After MKLINK__TREE_RACES such rounds the walk gives up
 *   with MKLINK_EBUSY rather than loop forever.
 */
#include "tree.h"

#include <stdlib.h>

#define MKLINK__TREE_RACES 100000

typedef struct remover {
  mklink_error_cb cb;
  void *arg;
  int first;          /* the first error, returned at the end       */
  int stop;           /* the callback asked to stop                 */
  unsigned races;
  size_t *kept;       /* per depth: entries left in that directory  */
  size_t nkept;
} remover;

/* One more entry left in the directory at DEPTH - 1 (the one that holds an
   entry of DEPTH). */
static int keep(remover *r, size_t depth) {
  if (depth == 0)
    return 0;
  if (depth - 1 >= r->nkept) {
    size_t n = r->nkept > 0 ? r->nkept * 2 : 64, i;
    size_t *grown;
    while (n <= depth - 1)
      n *= 2;
    grown = realloc(r->kept, n * sizeof *grown);
    if (grown == NULL)
      return MKLINK_ENOMEM;
    for (i = r->nkept; i < n; i++)
      grown[i] = 0;
    r->kept = grown;
    r->nkept = n;
  }
  r->kept[depth - 1]++;
  return 0;
}

/* Entries left inside the directory whose entry is at DEPTH; forgets them. */
static size_t kept_inside(remover *r, size_t depth) {
  size_t n = depth < r->nkept ? r->kept[depth] : 0;
  if (depth < r->nkept)
    r->kept[depth] = 0;
  return n;
}

/* ENTRY could not be removed: tell the caller, keep its directory. */
static int left(remover *r, const mklink__tree_entry *e, int err) {
  if (r->first == 0)
    r->first = err;
  if (r->cb != NULL && r->cb(e->path, err, r->arg) != 0)
    r->stop = 1;
  return keep(r, e->depth);
}

static int raced(remover *r) { return ++r->races > MKLINK__TREE_RACES ? MKLINK_EBUSY : 0; }

/* The entry below TOP that the walk is at (an ENTRY, or a LEAVE whose
   directory turned out to be something else): removed, entered, or left. */
static int handle(remover *r, mklink__tree *t, const mklink__tree_entry *e) {
  int rc;
  for (;;) {
    switch (e->type) {
    case MKLINK__TREE_DIR:
      rc = mklink__tree_enter(t);
      break;
    case MKLINK__TREE_MOUNT:
      return left(r, e, MKLINK_EMOUNT);
    default:
      rc = mklink__tree_unlink(t);
      break;
    }
    if (rc == 0 || rc == MKLINK_ENOFILE)
      return 0;
    if (rc != MKLINK__TREE_CHANGED)
      return rc == MKLINK_ENOMEM ? rc : left(r, e, rc);
    if ((rc = raced(r)) != 0)
      return left(r, e, rc);
  }
}

/* The walk is back from the directory of E: remove it, or list it again if
   it was refilled meanwhile. */
static int finish(remover *r, mklink__tree *t, const mklink__tree_entry *e) {
  size_t inside = kept_inside(r, e->depth);
  int rc;
  if (e->error != 0) {
    /* It was moved away while the walk was inside: not ours any more.
       Whatever took its place is found when its parent is removed. */
    return (rc = raced(r)) != 0 ? left(r, e, rc) : 0;
  }
  if (inside > 0)
    return keep(r, e->depth); /* it holds what was left: it stays */
  rc = mklink__tree_rmdir(t);
  if (rc == 0 || rc == MKLINK_ENOFILE)
    return 0;
  if (rc == MKLINK_ENOTEMPTY) {
    if ((rc = raced(r)) != 0)
      return left(r, e, rc);
    rc = mklink__tree_enter(t);
    if (rc == 0 || rc == MKLINK_ENOFILE)
      return 0;
    if (rc != MKLINK__TREE_CHANGED)
      return left(r, e, rc);
  } else if (rc != MKLINK__TREE_CHANGED) {
    return left(r, e, rc);
  }
  /* The name is something else now: handled as what it is. */
  return handle(r, t, e);
}

/* TOP itself: the rules of mklink_remove for anything but a directory. */
static int handle_top(remover *r, mklink__tree *t, const mklink__tree_entry *e) {
  int rc;
  for (;;) {
    switch (e->type) {
    case MKLINK__TREE_DIR:
      rc = mklink__tree_enter(t);
      break;
    case MKLINK__TREE_MOUNT:
      return MKLINK_EMOUNT; /* given as PATH: refused the same way */
    case MKLINK__TREE_SYMLINK:
    case MKLINK__TREE_JUNCTION:
      rc = mklink__tree_unlink(t);
      break;
    case MKLINK__TREE_REPARSE:
      return MKLINK_EACCES; /* not a link: its data lives behind it */
    default:
      /* Not a tree: only a second name of a file goes, never the last. */
      if ((rc = mklink__tree_stat(t)) != 0)
        return rc == MKLINK_ENOFILE ? MKLINK_ENOFILE : rc;
      if (e->type != MKLINK__TREE_FILE && e->type != MKLINK__TREE_OTHER)
        continue;
      if (e->st.nlink < 2)
        return MKLINK_ELASTNAME;
      rc = mklink__tree_unlink(t);
      break;
    }
    if (rc != MKLINK__TREE_CHANGED)
      return rc;
    if ((rc = raced(r)) != 0)
      return rc;
  }
}

int mklink__remove_tree(const char *path, mklink_error_cb cb, void *arg) {
  const mklink__tree_entry *e;
  mklink__tree *t;
  remover r = {NULL, NULL, 0, 0, 0, NULL, 0};
  int rc;
  r.cb = cb;
  r.arg = arg;
  if ((rc = mklink__tree_open(path, MKLINK__TREE_TOP_ENTRY, &t)) != 0)
    return rc;
  while (!r.stop && (rc = mklink__tree_next(t, &e)) == 1) {
    if (e->depth == 0)
      rc = e->event == MKLINK__TREE_ENTRY ? handle_top(&r, t, e) : finish(&r, t, e);
    else
      rc = e->event == MKLINK__TREE_ENTRY ? handle(&r, t, e) : finish(&r, t, e);
    if (rc != 0)
      break;
  }
  mklink__tree_close(t);
  free(r.kept);
  if (rc < 0)
    return rc;
  return r.first;
}

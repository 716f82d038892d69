/*
 * move_plan.c -- everything mklink_move refuses, found before anything
 * changes, and the totals the progress reports count against.
 *
 * The order of the checks is the order of the header's list: an unfinished
 * move, LINK itself, TARGET, the two paths against each other, the file
 * systems, then one walk of LINK's tree (the tree walk engine: nothing
 * followed, a mount point seen as one) for what cannot be moved faithfully,
 * and last the room on TARGET's file system.
 */
#include "move.h"
#include "path.h"
#include "tree.h"

#include <stdlib.h>
#include <string.h>


/* What LINK is, against the kind asked for. */
static int check_link(mklink__move *m, mklink_kind kind) {
  int type, rc = mklink__node_type(m->link, 0, &type);
  if (rc != 0)
    return rc;
  switch (type) {
  case MKLINK__NODE_NONE:
    return MKLINK_ENOFILE;
  case MKLINK__NODE_DIR:
    m->is_dir = 1;
    return kind == MKLINK_DIR_SYMLINK || kind == MKLINK_JUNCTION ? 0 : MKLINK_EINVAL;
  case MKLINK__NODE_FILE:
    m->is_dir = 0;
    return kind == MKLINK_FILE_SYMLINK || kind == MKLINK_HARDLINK ? 0 : MKLINK_EINVAL;
  case MKLINK__NODE_LINK:
    return MKLINK_EINVAL; /* a link is made, never moved */
  default:
    return MKLINK_ESPECIAL;
  }
}

/* The mode of the empty directory TARGET, for a rollback to make it again. */
static int target_mode(mklink__move *m) {
  const mklink__tree_entry *e;
  mklink__tree *t;
  int rc = mklink__tree_open(m->target, MKLINK__TREE_TOP_ENTRY, &t);
  if (rc != 0)
    return rc;
  if ((rc = mklink__tree_next(t, &e)) == 1 && (rc = mklink__tree_stat(t)) == 0)
    m->target_mode = e->st.mode & 07777;
  mklink__tree_close(t);
  return rc < 0 ? rc : 0;
}

/* TARGET: absent (its directory present), or an empty directory for a
   tree. */
static int check_target(mklink__move *m) {
  mklink__dir d;
  char *dir;
  int type, rc = mklink__node_type(m->target, 0, &type);
  if (rc != 0)
    return rc;
  if (type == MKLINK__NODE_NONE) {
    if ((dir = mklink__move_parent(m->target)) == NULL)
      return MKLINK_ENOMEM;
    rc = mklink__node_type(dir, 1, &type);
    free(dir);
    if (rc != 0)
      return rc;
    return type == MKLINK__NODE_DIR ? 0 : MKLINK_ENOPATH;
  }
  if (type != MKLINK__NODE_DIR || !m->is_dir)
    return MKLINK_EEXIST;
  if ((rc = mklink__list_dir(m->target, &d)) != 0)
    return rc;
  rc = d.count == 0 ? 0 : MKLINK_EEXIST;
  mklink__dir_free(&d);
  m->target_dir = 1;
  return rc != 0 ? rc : target_mode(m);
}

/* 1 if path A is B or lies below it. */
static int is_within(const char *a, const char *b) {
  size_t n = strlen(b);
#ifdef _WIN32
  if (_strnicmp(a, b, n) != 0)
    return 0;
#else
  if (strncmp(a, b, n) != 0)
    return 0;
#endif
  return a[n] == '\0' || mklink__path_is_sep(MKLINK__PATH_NATIVE, a[n]) ||
         (n > 0 && mklink__path_is_sep(MKLINK__PATH_NATIVE, b[n - 1]));
}

/* TARGET inside LINK (the copy would copy itself) or LINK inside TARGET,
   compared as the system reaches them. */
static int check_nesting(mklink__move *m) {
  char *l = NULL, *t = NULL;
  int rc;
  if ((rc = mklink__real_name(m->link, &l)) == 0 && (rc = mklink__real_name(m->target, &t)) == 0)
    rc = is_within(t, l) || is_within(l, t) ? MKLINK_EINVAL : 0;
  free(l);
  free(t);
  return rc;
}

static int check_volume(mklink__move *m) {
  char *where = m->target_dir ? mklink__strdup(m->target) : mklink__move_parent(m->target);
  int rc;
  if (where == NULL)
    return MKLINK_ENOMEM;
  rc = mklink__same_volume(m->link, where, &m->same_device);
  free(where);
  if (rc == 0 && m->kind == MKLINK_HARDLINK && !m->same_device)
    rc = MKLINK_EXDEV;
  return rc;
}

typedef struct planner {
  mklink__move *m;
  int sizes;               /* look at each file's size (the copy, or a
                              caller who hears the totals)               */
  unsigned long block;
  unsigned long long need; /* bytes the copy takes, in whole blocks */
} planner;

static unsigned long long blocks(const planner *pl, unsigned long long bytes) {
  return (bytes + pl->block - 1) / pl->block * pl->block;
}

/* One entry of LINK's tree (TOP included): counted, or refused. */
static int plan_entry(planner *pl, mklink__tree *t, const mklink__tree_entry *e) {
  int rc;
  if ((e->type == MKLINK__TREE_FILE && pl->sizes) || e->depth == 0) {
    if ((rc = mklink__tree_stat(t)) != 0)
      return rc;
  }
  switch (e->type) {
  case MKLINK__TREE_DIR:
    if ((rc = mklink__tree_enter(t)) == MKLINK__TREE_CHANGED)
      return e->type == MKLINK__TREE_MOUNT ? MKLINK_EMOUNT : MKLINK_EBUSY;
    if (rc != 0)
      return rc;
    pl->need += pl->block;
    break;
  case MKLINK__TREE_FILE:
    if ((rc = mklink__file_busy(e->path)) != 0)
      return rc;
    /* A second name of a file in the tree is a hard link: no bytes.  The
       plan counts every name (a little more room than needed). */
    if (pl->sizes) {
      pl->m->bytes_total += e->st.size;
      pl->need += blocks(pl, e->st.size);
    }
    break;
  case MKLINK__TREE_SYMLINK:
  case MKLINK__TREE_JUNCTION:
    pl->need += pl->block;
    break;
  case MKLINK__TREE_MOUNT:
    return MKLINK_EMOUNT;
  default:
    return MKLINK_ESPECIAL;
  }
  if (e->depth > 0)
    pl->m->files_total++;
  return 0;
}

/* Walk LINK's tree: the totals, and *NEED the bytes its copy takes in
   blocks of BLOCK. */
static int plan_tree(mklink__move *m, unsigned long block, int sizes, unsigned long long *need) {
  const mklink__tree_entry *e;
  mklink__tree *t;
  planner pl;
  int rc;
  pl.m = m;
  pl.sizes = sizes;
  pl.block = block;
  pl.need = 0;
  m->bytes_total = m->files_total = 0;
  if ((rc = mklink__tree_open(m->link, MKLINK__TREE_TOP_ENTRY, &t)) != 0)
    return rc;
  while ((rc = mklink__tree_next(t, &e)) == 1) {
    if (e->event == MKLINK__TREE_LEAVE)
      rc = e->error; /* moved while walked: not a tree to move now */
    else
      rc = plan_entry(&pl, t, e);
    if (rc != 0)
      break;
  }
  mklink__tree_close(t);
  *need = pl.need;
  return rc;
}

int mklink__move_plan(mklink__move *m, const char *target, mklink_kind kind, int totals) {
  unsigned long long avail = 0, need = 0;
  unsigned long block = 4096;
  char *where;
  int rc;
  m->kind = kind;
  if ((rc = mklink__move_journal_exists(m)) != 0)
    return rc < 0 ? rc : MKLINK_EMOVING;
  if ((rc = check_link(m, kind)) != 0)
    return rc;
  if ((rc = mklink__absolute(target, 0, 0, &m->target)) != 0)
    return rc;
  if ((rc = check_target(m)) != 0 || (rc = check_nesting(m)) != 0 ||
      (rc = check_volume(m)) != 0)
    return rc;
  if (!m->same_device) {
    where = m->target_dir ? mklink__strdup(m->target) : mklink__move_parent(m->target);
    if (where == NULL)
      return MKLINK_ENOMEM;
    rc = mklink__free_space(where, &avail, &block);
    free(where);
    if (rc != 0)
      return rc;
  }
  /* One file system: one rename, no room needed; the sizes are looked at
     only for a caller who hears the totals (the walk then costs a listing
     of each directory, not a look at each file). */
  if ((rc = plan_tree(m, block, totals || !m->same_device, &need)) != 0)
    return rc;
  return !m->same_device && need > avail ? MKLINK_ENOSPC : 0;
}

/*
 * move.c -- mklink_move, mklink_move_resume, mklink_move_rollback and
 * mklink_move_pending: the state machine of docs/move.md, written once over
 * the backend's primitives.
 *
 * Every step is written so that it can be run again after a crash at any
 * instant: it looks at what is on disk (is LINK the original, the link, or
 * nothing; does the copy's temporary name still exist) and does only what is
 * left.  The journal says which steps may have run; what is on disk says
 * which did.  Going forward and going back are both possible until one of
 * them starts to delete (the old tree in CLEAN, the copy in ROLLBACK): from
 * then on only that direction is, and asking for the other one finishes it
 * instead (MKLINK_ECOMMITTED).
 */
#include "move.h"
#include "path.h"

#include <stdlib.h>
#include <string.h>

char *mklink__move_concat(const char *s1, const char *s2) {
  size_t a = strlen(s1), b = strlen(s2);
  char *p = malloc(a + b + 1);
  if (p != NULL) {
    memcpy(p, s1, a);
    memcpy(p + a, s2, b + 1);
  }
  return p;
}

char *mklink__move_parent(const char *path) {
  const char *base;
  size_t dir_len, base_len;
  char *dir;
  mklink__path_split(MKLINK__PATH_NATIVE, path, &dir_len, &base, &base_len);
  if (dir_len == 0)
    return mklink__strdup(".");
  if ((dir = malloc(dir_len + 1)) != NULL) {
    memcpy(dir, path, dir_len);
    dir[dir_len] = '\0';
  }
  return dir;
}

int mklink__move_sync_parent(const char *path) {
  char *dir = mklink__move_parent(path);
  int rc;
  if (dir == NULL)
    return MKLINK_ENOMEM;
  rc = mklink__sync_dir(dir);
  free(dir);
  return rc;
}

void mklink__move_free(mklink__move *m) {
  free(m->link);
  free(m->target);
  free(m->aside);
  free(m->temp);
  free(m->copy_at);
  free(m->journal);
  free(m->journal_tmp);
  mklink__move_forget_seen(m);
  memset(m, 0, sizeof *m);
}

int mklink__move_report(mklink__move *m, mklink_move_phase phase, const char *path, int force) {
  mklink_move_progress *p = &m->p;
  p->phase = phase;
  p->path = path;
  p->bytes_total = m->bytes_total;
  p->files_total = m->files_total;
  p->same_device = m->same_device;
  if (m->cb == NULL)
    return 0;
  if (!force && p->bytes_done - m->reported_bytes < 4ull * 1024 * 1024 &&
      p->files_done - m->reported_files < 256)
    return 0;
  m->reported_bytes = p->bytes_done;
  m->reported_files = p->files_done;
  return m->cb(p, m->arg) != 0 ? MKLINK_ECANCELLED : 0;
}

int mklink__move_names(mklink__move *m, const char *link) {
  size_t n;
  int rc = mklink__absolute(link, 0, 0, &m->link);
  if (rc != 0)
    return rc;
  /* "dir/" names dir: the journal goes beside it, not into it. */
  n = strlen(m->link);
  while (n > mklink__path_root(MKLINK__PATH_NATIVE, m->link) &&
         mklink__path_is_sep(MKLINK__PATH_NATIVE, m->link[n - 1]))
    m->link[--n] = '\0';
  if ((m->journal = mklink__move_concat(m->link, MKLINK__MOVE_SUFFIX)) == NULL ||
      (m->journal_tmp = mklink__move_concat(m->journal, ".tmp")) == NULL)
    return MKLINK_ENOMEM;
  return 0;
}

/* ---- what is on disk ---------------------------------------------------- */

enum { LINK_NONE, LINK_ORIGINAL, LINK_MADE };

/* LINK now: nothing, the original (a real file or directory), or the link
   (for a hard link: another name of TARGET). */
static int link_state(const mklink__move *m, int *state) {
  int type, rc = mklink__node_type(m->link, 0, &type);
  if (rc != 0)
    return rc;
  if (type == MKLINK__NODE_NONE)
    *state = LINK_NONE;
  else if (m->kind == MKLINK_HARDLINK)
    *state = mklink__same_file(m->link, m->target) ? LINK_MADE : LINK_ORIGINAL;
  else
    *state = type == MKLINK__NODE_LINK ? LINK_MADE : LINK_ORIGINAL;
  return 0;
}

static int exists(const char *path, int *yes) {
  int type, rc = mklink__node_type(path, 0, &type);
  *yes = rc == 0 && type != MKLINK__NODE_NONE;
  return rc;
}

static int save(mklink__move *m, mklink__move_state state) {
  m->state = state;
  return mklink__move_save(m);
}

/* TARGET as the plan found it: an empty directory made again if it was
   one and is gone. */
static int restore_target(mklink__move *m) {
  int there, rc = exists(m->target, &there);
  if (rc != 0 || !m->target_dir || there)
    return rc;
  if ((rc = mklink__make_dir(m->target, m->target_mode)) != 0)
    return rc;
  return mklink__move_sync_parent(m->target);
}

/* Rename FROM to TO, where TO may be the empty directory TARGET was. */
static int rename_into(mklink__move *m, const char *from, const char *to) {
  int rc;
  if (m->target_dir && strcmp(to, m->target) == 0) {
    rc = mklink__remove_dir(to);
    if (rc != 0 && rc != MKLINK_ENOFILE && rc != MKLINK_ENOPATH)
      return rc;
  }
  if ((rc = mklink__rename_new(from, to)) != 0)
    return rc;
  if ((rc = mklink__move_sync_parent(to)) != 0)
    return rc;
  return mklink__move_sync_parent(from);
}

static int make_link(mklink__move *m) {
  int rc = mklink__create(m->link, m->target, m->kind, 0);
  return rc != 0 ? rc : mklink__move_sync_parent(m->link);
}

/* Remove the link at LINK: only ever a link (mklink_remove's rules). */
static int unmake_link(mklink__move *m) {
  int rc = mklink__remove(m->link);
  return rc != 0 ? rc : mklink__move_sync_parent(m->link);
}

/* ---- one file system ------------------------------------------------------ */

/* LINK's original renamed to WHERE (if it is still there), then the link
   made (if it is not there yet): the last two steps of both ways forward,
   each safe to run again after a crash. */
static int rename_then_link(mklink__move *m, const char *where) {
  int ls, rc = link_state(m, &ls);
  if (rc != 0)
    return rc;
  if (ls == LINK_ORIGINAL) {
    if ((rc = rename_into(m, m->link, where)) != 0)
      return rc;
    ls = LINK_NONE;
  }
  return ls == LINK_NONE ? make_link(m) : 0;
}

static int forward_rename(mklink__move *m) { return rename_then_link(m, m->target); }

static int back_rename(mklink__move *m) {
  int ls, there, rc = link_state(m, &ls);
  if (rc != 0)
    return rc;
  if (ls == LINK_MADE) {
    if ((rc = unmake_link(m)) != 0)
      return rc;
    ls = LINK_NONE;
  }
  if (ls == LINK_NONE) {
    if ((rc = exists(m->target, &there)) != 0)
      return rc;
    if (!there)
      return MKLINK_ENOFILE; /* neither name holds the data: not guessed at */
    if ((rc = mklink__rename_new(m->target, m->link)) != 0 ||
        (rc = mklink__move_sync_parent(m->link)) != 0 ||
        (rc = mklink__move_sync_parent(m->target)) != 0)
      return rc;
  }
  return restore_target(m);
}

/* ---- another file system ---------------------------------------------------- */

/* Fresh names for the copy (beside TARGET) and for LINK put aside. */
static int choose_names(mklink__move *m) {
  unsigned attempt;
  int there, rc;
  for (attempt = 0;; attempt++) {
    free(m->temp);
    m->temp = NULL;
    if ((rc = mklink__temp_name(m->target, "new", attempt, &m->temp)) != 0 ||
        (rc = exists(m->temp, &there)) != 0)
      return rc;
    if (!there)
      break;
    if (attempt == 64)
      return MKLINK_EEXIST;
  }
  for (attempt = 0;; attempt++) {
    free(m->aside);
    m->aside = NULL;
    if ((rc = mklink__temp_name(m->link, "old", attempt, &m->aside)) != 0 ||
        (rc = exists(m->aside, &there)) != 0)
      return rc;
    if (!there)
      return 0;
    if (attempt == 64)
      return MKLINK_EEXIST;
  }
}

/* Remove a copy, or the old tree (a directory tree, or one file). */
static int remove_if_there(const char *path) {
  int type, rc = mklink__node_type(path, 0, &type);
  if (rc != 0 || type == MKLINK__NODE_NONE)
    return rc;
  if (type == MKLINK__NODE_FILE)
    rc = mklink__remove_file(path);
  else
    rc = mklink__remove_tree(path, NULL, NULL);
  return rc == MKLINK_ENOFILE ? 0 : rc;
}

/* COPY: a fresh copy at TEMP (what an interrupted copy left is removed). */
static int copy_step(mklink__move *m) {
  int rc = remove_if_there(m->temp);
  return rc != 0 ? rc : mklink__move_copy(m);
}

static int swap_step(mklink__move *m) {
  int there, rc = mklink__move_report(m, MKLINK_MOVE_SWAP, NULL, 1);
  if (rc != 0)
    return rc;
  if ((rc = exists(m->temp, &there)) != 0)
    return rc;
  if (there && (rc = rename_into(m, m->temp, m->target)) != 0)
    return rc;
  return rename_then_link(m, m->aside);
}

static int clean_step(mklink__move *m) {
  int ls, rc = mklink__move_report(m, MKLINK_MOVE_CLEAN, NULL, 1);
  if (rc != 0 || (rc = link_state(m, &ls)) != 0)
    return rc;
  if (ls != LINK_MADE)
    return MKLINK_ENOFILE; /* the link is not there: the old tree stays */
  if ((rc = remove_if_there(m->aside)) != 0)
    return rc;
  return mklink__move_sync_parent(m->aside);
}

static int backward(mklink__move *m);

/* CHECK, the end of SWAP: the old tree, aside, is what the copy read, or
   the move goes back and nothing is removed (MKLINK_EVERIFY). */
static int check_step(mklink__move *m) {
  int rc = mklink__move_check_aside(m);
  if (rc == MKLINK_EVERIFY && backward(m) == 0)
    (void)mklink__move_forget(m);
  return rc;
}

/* From any state but ROLLBACK, to the end. */
static int forward(mklink__move *m) {
  int rc;
  switch (m->state) {
  case MKLINK__MOVE_RENAME:
    return forward_rename(m);
  case MKLINK__MOVE_SWAP:
    if (m->seen == NULL) {
      /* A resume: what the copy read died with the process that read it,
         so the old tree cannot be checked against it.  Back to COPY (the
         copy removed, LINK the original again) and copy again. */
      if ((rc = backward(m)) != 0)
        return rc;
      if ((rc = save(m, MKLINK__MOVE_COPY)) != 0)
        return rc;
    }
    /* fall through */
  case MKLINK__MOVE_COPY:
    if (m->state == MKLINK__MOVE_COPY) {
      if ((rc = copy_step(m)) != 0)
        return rc;
      if ((rc = save(m, MKLINK__MOVE_SWAP)) != 0)
        return rc;
    }
    if ((rc = swap_step(m)) != 0 || (rc = check_step(m)) != 0)
      return rc;
    if ((rc = save(m, MKLINK__MOVE_CLEAN)) != 0)
      return rc;
    /* fall through */
  case MKLINK__MOVE_CLEAN:
    return clean_step(m);
  default:
    return MKLINK_EIO;
  }
}

/* From COPY, SWAP or ROLLBACK, back to the start. */
static int backward(mklink__move *m) {
  int ls, there, rc;
  if (m->state == MKLINK__MOVE_RENAME)
    return back_rename(m);
  if (m->state != MKLINK__MOVE_ROLLBACK) {
    /* Which name holds the copy, fixed before any of it is removed. */
    if ((rc = exists(m->temp, &there)) != 0)
      return rc;
    free(m->copy_at);
    m->copy_at = mklink__strdup(there || m->state == MKLINK__MOVE_COPY ? m->temp : m->target);
    if (m->copy_at == NULL)
      return MKLINK_ENOMEM;
    if ((rc = save(m, MKLINK__MOVE_ROLLBACK)) != 0)
      return rc;
  }
  if ((rc = link_state(m, &ls)) != 0)
    return rc;
  if (ls == LINK_MADE) {
    if ((rc = unmake_link(m)) != 0)
      return rc;
    ls = LINK_NONE;
  }
  if (ls == LINK_NONE) {
    if ((rc = exists(m->aside, &there)) != 0)
      return rc;
    if (!there)
      return MKLINK_ENOFILE; /* the original is nowhere: the copy stays */
    if ((rc = rename_into(m, m->aside, m->link)) != 0)
      return rc;
  }
  /* The original is at LINK again: only now may the copy go. */
  if (m->copy_at == NULL)
    return MKLINK_EIO;
  if ((rc = remove_if_there(m->copy_at)) != 0)
    return rc;
  if ((rc = mklink__move_sync_parent(m->copy_at)) != 0)
    return rc;
  return restore_target(m);
}

/* The end of a move, a resume or a rollback that RC says succeeded: nothing
   of the move is left.  (A stop asked for at DONE comes too late to count.) */
static int finish(mklink__move *m, int rc) {
  if (rc == 0)
    rc = mklink__move_forget(m);
  if (rc == 0)
    (void)mklink__move_report(m, MKLINK_MOVE_DONE, NULL, 1);
  return rc;
}

/* ---- the public entry points ------------------------------------------------ */

static int is_empty(const char *s) { return s == NULL || s[0] == '\0'; }

static void init(mklink__move *m, mklink_move_cb cb, void *arg) {
  memset(m, 0, sizeof *m);
  m->cb = cb;
  m->arg = arg;
}

/* One file system, as the plan says: if the rename finds it is not (a bind
   mount of the same file system, EXDEV), nothing has changed and the move
   goes the other way. */
static int run_same(mklink__move *m) {
  int rc, back;
  if ((rc = save(m, MKLINK__MOVE_RENAME)) != 0) {
    (void)mklink__move_forget(m);
    return rc;
  }
  rc = forward_rename(m);
  if (rc == 0)
    return finish(m, 0);
  back = back_rename(m);
  if (back != 0)
    return rc; /* left to resume or roll back */
  if ((back = mklink__move_forget(m)) != 0)
    return rc;
  if (rc != MKLINK_EXDEV || m->kind == MKLINK_HARDLINK)
    return rc;
  m->same_device = 0;
  return 1; /* try the copy */
}

static int run_cross(mklink__move *m) {
  int rc;
  if ((rc = choose_names(m)) != 0)
    return rc;
  if ((rc = save(m, MKLINK__MOVE_COPY)) != 0) {
    (void)mklink__move_forget(m);
    return rc;
  }
  rc = copy_step(m);
  if (rc != 0) {
    /* The original was never touched: the copy goes, unless the caller
       stopped the move to resume it later. */
    if (rc != MKLINK_ECANCELLED && remove_if_there(m->temp) == 0)
      (void)mklink__move_forget(m);
    return rc;
  }
  if ((rc = save(m, MKLINK__MOVE_SWAP)) != 0)
    return rc;
  m->state = MKLINK__MOVE_SWAP;
  return finish(m, forward(m));
}

int mklink_move(const char *link, const char *target, mklink_kind kind, unsigned flags,
                mklink_move_cb cb, void *arg) {
  mklink__move m;
  int rc;
  if (is_empty(link) || is_empty(target) || (flags & ~MKLINK_MOVE_DRY_RUN) != 0)
    return MKLINK_EINVAL;
  if (kind != MKLINK_FILE_SYMLINK && kind != MKLINK_DIR_SYMLINK && kind != MKLINK_HARDLINK &&
      kind != MKLINK_JUNCTION)
    return MKLINK_EINVAL;
  init(&m, cb, arg);
  /* The sizes are needed on one file system only for the callback. */
  if ((rc = mklink__move_names(&m, link)) == 0 &&
      (rc = mklink__move_plan(&m, target, kind, cb != NULL)) == 0)
    rc = mklink__move_report(&m, MKLINK_MOVE_PLAN, NULL, 1);
  if (rc == 0 && !(flags & MKLINK_MOVE_DRY_RUN)) {
    rc = m.same_device ? run_same(&m) : 1;
    if (rc == 1)
      rc = run_cross(&m);
  }
  mklink__move_free(&m);
  return rc;
}

/* The unfinished move of LINK, loaded. */
static int load(mklink__move *m, const char *link, mklink_move_cb cb, void *arg) {
  int rc;
  init(m, cb, arg);
  if (is_empty(link))
    return MKLINK_EINVAL;
  if ((rc = mklink__move_names(m, link)) != 0)
    return rc;
  rc = mklink__move_load(m);
  if (rc == MKLINK_ENOMOVE) {
    /* A kill while the first journal was written leaves only its
       temporary, under the name only a move uses: nothing of the move may
       be left. */
    int gone = mklink__remove_file(m->journal_tmp);
    if (gone != 0 && gone != MKLINK_ENOFILE && gone != MKLINK_ENOPATH)
      return gone;
  }
  return rc;
}

/* Resume (WANT_FORWARD 1) or roll back the unfinished move of LINK.  A move
   past the point where the other direction began deleting (CLEAN for a
   rollback, ROLLBACK for a resume) is finished the way it was going:
   MKLINK_ECOMMITTED once it is. */
static int recover(const char *link, int want_forward, mklink_move_cb cb, void *arg) {
  mklink__move m;
  int rc, committed;
  if ((rc = load(&m, link, cb, arg)) == 0 &&
      (rc = mklink__move_report(&m, MKLINK_MOVE_PLAN, NULL, 1)) == 0) {
    committed = m.state == (want_forward ? MKLINK__MOVE_ROLLBACK : MKLINK__MOVE_CLEAN);
    rc = finish(&m, want_forward != committed ? forward(&m) : backward(&m));
    if (rc == 0 && committed)
      rc = MKLINK_ECOMMITTED;
  }
  mklink__move_free(&m);
  return rc;
}

int mklink_move_resume(const char *link, mklink_move_cb cb, void *arg) {
  return recover(link, 1, cb, arg);
}

int mklink_move_rollback(const char *link, mklink_move_cb cb, void *arg) {
  return recover(link, 0, cb, arg);
}

int mklink_move_pending(const char *link) {
  mklink__move m;
  int rc;
  init(&m, NULL, NULL);
  if (is_empty(link))
    return MKLINK_EINVAL;
  if ((rc = mklink__move_names(&m, link)) == 0)
    rc = mklink__move_journal_exists(&m);
  mklink__move_free(&m);
  return rc;
}

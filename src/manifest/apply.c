/*
 * apply.c -- the plan of a manifest, carried out with a journal, and undone.
 *
 * Design (docs/manifest.md has the table of states):
 * - The plan is a list of steps, each one OS call or close to it: make a
 *   directory, make a link, replace a link atomically, rename what is in the
 *   way to a backup name or aside, delete what was put aside, remove a
 *   dangling link.  Nothing is changed while the plan is computed.
 * - Before the first change the whole plan is written to the journal
 *   (state "applying"), durably.  The steps do not write to the journal:
 *   every step can be undone by looking at the disk (a link made is removed
 *   only if it is still the link the step made, a backup is renamed back
 *   only if its name is free again), so undo is the same code whether the
 *   apply finished, failed, or was killed at any instant, and undo itself
 *   can be killed and run again.
 * - Deleting (--force) is the one thing that cannot be undone, so it comes
 *   last, after the journal says "committing": from there on an interrupted
 *   apply is finished, not rolled back.  Then "applied".
 */
#include "manifest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum step_op { ST_MKDIR, ST_LINK, ST_RELINK, ST_BACKUP, ST_ASIDE, ST_DELETE, ST_CLEAN };

static const char *const op_names[] = {"mkdir", "link", "relink", "backup", "aside", "delete", "clean"};

typedef struct step {
  enum step_op op;
  size_t entry;          /* index of the entry in the manifest, or (size_t)-1 */
  const char *path;
  const char *text;      /* LINK, RELINK: symbolic link text; CLEAN: the text */
  const char *target;    /* LINK, RELINK: the target, absolute                 */
  unsigned kinds;        /* LINK, RELINK: kinds to try, 4 bits each, first low */
  const char *other;     /* BACKUP, ASIDE, DELETE: the name aside;
                            RELINK: the old text                               */
  mklink_kind old_kind;  /* RELINK, CLEAN: the kind of the old link             */
  unsigned mode;         /* MKDIR                                               */
  int is_dir;            /* ASIDE, DELETE: a directory                          */
} step;

typedef struct plan {
  step *v;
  size_t n, cap;
  size_t conflicts;
  int has_delete;
  const char **dirs; /* directories the plan makes, not to make twice */
  size_t ndirs, dirs_cap;
  mklink__journal text; /* the steps as the journal has them, built once */
} plan;

#define NO_ENTRY ((size_t)-1)

static step *add_step(plan *p, enum step_op op, size_t entry, const char *path) {
  step *s;
  if (p->n == p->cap) {
    size_t cap = p->cap > 0 ? p->cap * 2 : 64;
    step *v = realloc(p->v, cap * sizeof *v);
    if (v == NULL)
      return NULL;
    p->v = v;
    p->cap = cap;
  }
  s = &p->v[p->n++];
  memset(s, 0, sizeof *s);
  s->op = op;
  s->entry = entry;
  s->path = path;
  return s;
}

static void plan_free(plan *p) {
  free(p->v);
  free(p->dirs);
  mklink__journal_free(&p->text);
  memset(p, 0, sizeof *p);
}

/* ---- kinds ---------------------------------------------------------------- */

static unsigned pack_kinds(const mm_entry *e, int target_is_dir) {
  unsigned i, packed = 0, n = 0;
  for (i = 0; i < e->nkinds && n < 4; i++) {
    mklink_kind k = e->kinds[i];
    if (k == MKLINK_FILE_SYMLINK || k == MKLINK_DIR_SYMLINK)
      k = target_is_dir ? MKLINK_DIR_SYMLINK : MKLINK_FILE_SYMLINK;
    packed |= (unsigned)k << (4 * n++);
  }
  return packed;
}

static mklink_kind kind_at(unsigned packed, unsigned i) {
  return (mklink_kind)((packed >> (4 * i)) & 0xfu);
}

static int is_symlink(mklink_kind k) { return k == MKLINK_FILE_SYMLINK || k == MKLINK_DIR_SYMLINK; }

/* ---- planning ------------------------------------------------------------- */

static int planned_dir(const plan *p, const char *dir) {
  size_t i;
  for (i = 0; i < p->ndirs; i++)
    if (strcmp(p->dirs[i], dir) == 0)
      return 1;
  return 0;
}

static int note_dir(plan *p, const char *dir) {
  if (p->ndirs == p->dirs_cap) {
    size_t cap = p->dirs_cap > 0 ? p->dirs_cap * 2 : 16;
    const char **v = realloc(p->dirs, cap * sizeof *v);
    if (v == NULL)
      return MKLINK_ENOMEM;
    p->dirs = v;
    p->dirs_cap = cap;
  }
  p->dirs[p->ndirs++] = dir;
  return 0;
}

/* mkdir -p DIR: a step for each missing directory, from the top down.
   *MISSING is set if DIR does not exist (and is not already planned). */
static int plan_dirs(mklink_manifest *m, plan *p, size_t entry, const char *dir, unsigned mode,
                     int make) {
  char *parent;
  int type, rc;
  step *s;
  if (planned_dir(p, dir))
    return 0;
  if (m->cache != NULL && mm_dircache_is_dir(m->cache, dir))
    return 0; /* listed: it is a directory */
  if ((rc = mklink__node_type(dir, 1, &type)) != 0)
    return rc;
  if (type == MKLINK__NODE_DIR)
    return 0;
  if (type != MKLINK__NODE_NONE)
    return MKLINK_ENOPATH; /* a file where a directory must be */
  if (!make)
    return MKLINK_ENOPATH;
  if ((rc = mm_parent(m, dir, &parent)) != 0)
    return rc;
  if (parent[0] != '\0' && strcmp(parent, dir) != 0 &&
      (rc = plan_dirs(m, p, entry, parent, 0777, make)) != 0)
    return rc;
  if ((s = add_step(p, ST_MKDIR, entry, dir)) == NULL)
    return MKLINK_ENOMEM;
  s->mode = mode;
  return note_dir(p, dir);
}

/* A free name beside PATH: PATH.mklink-TAG, then PATH.mklink-TAG.1, ... */
static int free_name(mklink_manifest *m, const char *path, const char *tag, const char **out) {
  char buf[4096];
  unsigned i;
  int type, rc;
  for (i = 0; i < 1000; i++) {
    if (i == 0)
      rc = snprintf(buf, sizeof buf, "%s.mklink-%s", path, tag);
    else
      rc = snprintf(buf, sizeof buf, "%s.mklink-%s.%u", path, tag, i);
    if (rc < 0 || (size_t)rc >= sizeof buf)
      return MKLINK_ENAMETOOLONG;
    if ((rc = mklink__node_type(buf, 0, &type)) != 0)
      return rc;
    if (type == MKLINK__NODE_NONE)
      return (*out = mm_strdup(m, buf)) != NULL ? 0 : MKLINK_ENOMEM;
  }
  return MKLINK_EEXIST;
}

/* What is in the way of entry E is moved: to a backup (kept) or aside (to be
   deleted once every link is made). */
static int plan_move_away(mklink_manifest *m, plan *p, size_t i, int delete_it) {
  mm_entry *e = &m->v[i];
  step *s;
  const char *name;
  int type, rc = mklink__node_type(e->e.path, 0, &type);
  if (rc != 0)
    return rc;
  if ((rc = free_name(m, e->e.path, delete_it ? "delete" : "backup", &name)) != 0)
    return rc;
  if ((s = add_step(p, delete_it ? ST_ASIDE : ST_BACKUP, i, e->e.path)) == NULL)
    return MKLINK_ENOMEM;
  s->other = name;
  s->is_dir = type == MKLINK__NODE_DIR;
  if (!delete_it) {
    e->e.backup = name;
    return 0;
  }
  p->has_delete = 1;
  return 0;
}

static int plan_link_step(mklink_manifest *m, plan *p, size_t i, enum step_op op) {
  mm_entry *e = &m->v[i];
  step *s = add_step(p, op, i, e->e.path);
  if (s == NULL)
    return MKLINK_ENOMEM;
  s->text = e->sym_text;
  s->target = e->target_abs;
  s->kinds = pack_kinds(e, e->target_is_dir);
  if (op == ST_RELINK) {
    s->other = e->e.found;
    s->old_kind = e->found_kind;
    if (e->found_kind == MKLINK_HARDLINK)
      s->other = e->target_abs; /* another name of the target: made again by name */
  }
  return 0;
}

/* Something is in the way of entry I: resolve it as the policy says. */
static int plan_conflict(mklink_manifest *m, plan *p, size_t i, unsigned flags, int is_link) {
  mm_entry *e = &m->v[i];
  int rc;
  if (is_link && (flags & MKLINK_APPLY_FORCE)) {
    e->e.action = MKLINK_ACTION_RELINK; /* a link is replaced, no data is lost */
    return plan_link_step(m, p, i, ST_RELINK);
  }
  if (flags & MKLINK_APPLY_FORCE) {
    e->e.action = MKLINK_ACTION_REPLACE;
    if ((rc = plan_move_away(m, p, i, 1)) != 0)
      return rc;
  } else if ((flags & MKLINK_APPLY_BACKUP) || (e->opts & (MM_FORCE | MM_BACKUP))) {
    e->e.action = MKLINK_ACTION_BACKUP;
    if ((rc = plan_move_away(m, p, i, 0)) != 0)
      return rc;
  } else {
    e->e.action = MKLINK_ACTION_CONFLICT;
    p->conflicts++;
    return 0;
  }
  if (e->e.op == MKLINK_OP_MKDIR) {
    step *s = add_step(p, ST_MKDIR, i, e->e.path);
    if (s == NULL)
      return MKLINK_ENOMEM;
    s->mode = e->mode;
    return note_dir(p, e->e.path);
  }
  return plan_link_step(m, p, i, ST_LINK);
}

static void skip_with(mm_entry *e, int err, const char *note) {
  e->e.action = MKLINK_ACTION_SKIP;
  e->e.error = err;
  if (e->e.note == NULL)
    e->e.note = note;
}

static int plan_link(mklink_manifest *m, plan *p, size_t i, unsigned flags) {
  mm_entry *e = &m->v[i];
  char *parent;
  int type, rc;
  if ((rc = mm_look(m, e)) != 0)
    return rc;
  if (e->e.state == MKLINK_STATE_OK) {
    e->e.action = MKLINK_ACTION_OK;
    return 0;
  }
  if ((rc = mm_target_type(m, e, &type)) != 0)
    return rc;
  e->target_is_dir = type == MKLINK__NODE_DIR;
  if (e->e.state == MKLINK_STATE_BROKEN) {
    /* The right link to a missing target: nothing to make better here. */
    e->e.action = MKLINK_ACTION_OK;
    if (!(e->opts & MM_IGNORE_MISSING))
      skip_with(e, MKLINK_ENOFILE, "the target does not exist");
    return 0;
  }
  if (type == MKLINK__NODE_NONE && !(e->opts & MM_IGNORE_MISSING)) {
    skip_with(e, MKLINK_ENOFILE, "the target does not exist (ignore-missing: true links anyway)");
    return 0;
  }
  if (planned_dir(p, e->e.path)) {
    skip_with(e, MKLINK_EEXIST, "another entry of the manifest makes a directory here");
    return 0;
  }
  switch (e->e.state) {
  case MKLINK_STATE_MISSING:
    if ((rc = mm_parent(m, e->e.path, &parent)) != 0)
      return rc;
    rc = plan_dirs(m, p, i, parent, 0777, (e->opts & MM_CREATE) != 0);
    if (rc == MKLINK_ENOPATH) {
      skip_with(e, rc, "the link's directory does not exist (create: true makes it)");
      return 0;
    }
    if (rc != 0)
      return rc;
    e->e.action = MKLINK_ACTION_CREATE;
    return plan_link_step(m, p, i, ST_LINK);
  case MKLINK_STATE_WRONG_TARGET:
  case MKLINK_STATE_WRONG_KIND:
    if (e->opts & (MM_RELINK | MM_FORCE)) {
      e->e.action = MKLINK_ACTION_RELINK;
      return plan_link_step(m, p, i, ST_RELINK);
    }
    return plan_conflict(m, p, i, flags, 1);
  default: /* BLOCKED */
    return plan_conflict(m, p, i, flags, 0);
  }
}

static int plan_entry(mklink_manifest *m, plan *p, size_t i, unsigned flags) {
  mm_entry *e = &m->v[i];
  step *s;
  int rc;
  if (e->e.op != MKLINK_OP_SKIP)
    e->e.error = 0; /* a skipped entry keeps what the parse found */
  e->e.backup = NULL;
  switch (e->e.op) {
  case MKLINK_OP_LINK:
    return plan_link(m, p, i, flags);
  case MKLINK_OP_MKDIR:
    if ((rc = mm_look(m, e)) != 0)
      return rc;
    if (e->e.state == MKLINK_STATE_OK || planned_dir(p, e->e.path)) {
      e->e.action = MKLINK_ACTION_OK;
      return 0;
    }
    if (e->e.state == MKLINK_STATE_BLOCKED)
      return plan_conflict(m, p, i, flags, 0);
    e->e.action = MKLINK_ACTION_CREATE;
    rc = plan_dirs(m, p, i, e->e.path, e->mode, 1);
    if (rc == MKLINK_ENOPATH)
      skip_with(e, rc, "a file is in the way of a directory above it");
    return rc == MKLINK_ENOPATH ? 0 : rc;
  case MKLINK_OP_CLEAN:
    if ((rc = mm_look(m, e)) != 0)
      return rc;
    if (e->e.state != MKLINK_STATE_BROKEN) {
      e->e.action = MKLINK_ACTION_OK;
      return 0;
    }
    e->e.action = MKLINK_ACTION_REMOVE;
    if ((s = add_step(p, ST_CLEAN, i, e->e.path)) == NULL)
      return MKLINK_ENOMEM;
    s->text = e->e.target;
    s->old_kind = e->e.kind;
    return 0;
  case MKLINK_OP_SKIP:
    e->e.action = MKLINK_ACTION_SKIP;
    return 0;
  }
  return MKLINK_EINVAL;
}

static int make_plan(mklink_manifest *m, plan *p, unsigned flags) {
  size_t i;
  int rc = mm_dircache_new(&m->cache);
  for (i = 0; rc == 0 && i < m->n; i++)
    if ((rc = plan_entry(m, p, i, flags)) != 0)
      m->v[i].e.error = rc;
  /* The steps meet the disk as it is, never the listings. */
  mm_dircache_free(m->cache);
  m->cache = NULL;
  return rc;
}

/* ---- doing and undoing one step ------------------------------------------- */

/* Fallback applies when the kind cannot be made here at all. */
static int try_next_kind(int rc) {
  return rc == MKLINK_EPRIVILEGE || rc == MKLINK_ENOTSUP || rc == MKLINK_ENOTCREATED ||
         rc == MKLINK_EACCES || rc == MKLINK_EXDEV || rc == MKLINK_EREMOTE;
}

/* Can KIND be asked for this target at all? */
static int kind_fits(mklink_kind kind, int target_is_dir) {
  if (kind == MKLINK_HARDLINK)
    return !target_is_dir;
  if (kind == MKLINK_JUNCTION)
    return target_is_dir;
  return 1;
}

static int make_link(mklink_manifest *m, const step *s, unsigned flags) {
  mm_entry *e = s->entry != NO_ENTRY ? &m->v[s->entry] : NULL;
  int rc = MKLINK_ENOTSUP, tried = 0;
  unsigned i;
  for (i = 0; i < 4; i++) {
    mklink_kind k = kind_at(s->kinds, i);
    if (k == MKLINK_NOT_LINK)
      break;
    if (e != NULL && e->nkinds > 1 && !kind_fits(k, e->target_is_dir))
      continue;
    tried = 1;
    rc = mklink_create(s->path, is_symlink(k) ? s->text : s->target, k, flags);
    if (rc == 0) {
      if (e != NULL)
        e->e.made = k;
      return 0;
    }
    if (!try_next_kind(rc))
      return rc;
  }
  return tried ? rc : MKLINK_ENOTSUP;
}

static int do_step(mklink_manifest *m, const step *s) {
  switch (s->op) {
  case ST_MKDIR:
    return mklink__make_dir(s->path, s->mode);
  case ST_LINK:
    return make_link(m, s, 0);
  case ST_RELINK:
    return make_link(m, s, MKLINK_REPLACE);
  case ST_BACKUP:
  case ST_ASIDE:
    return mklink__rename_new(s->path, s->other);
  case ST_DELETE:
    return s->is_dir ? mklink_remove_tree(s->other) : mklink__remove_file(s->other);
  case ST_CLEAN:
    return mklink_remove(s->path);
  }
  return MKLINK_EINVAL;
}

/* Is PATH now the link step S makes (any of its kinds)?  1, 0, or < 0. */
static int is_made_link(const char *path, const char *text, const char *target, unsigned kinds) {
  mklink_info info;
  unsigned i;
  int rc = mklink_query(path, &info);
  if (rc == MKLINK_ENOFILE || rc == MKLINK_ENOPATH)
    return 0;
  if (rc != 0)
    return rc;
  for (i = 0; i < 4 && rc == 0; i++) {
    mklink_kind k = kind_at(kinds, i);
    int symbolic = info.target != NULL && (is_symlink(info.kind) || info.kind == MKLINK_JUNCTION);
    if (k == MKLINK_NOT_LINK)
      break;
    if (is_symlink(k) && is_symlink(info.kind) && symbolic && strcmp(info.target, text) == 0)
      rc = 1;
    else if (k == MKLINK_JUNCTION && info.kind == MKLINK_JUNCTION && symbolic &&
             strcmp(info.target, target) == 0)
      rc = 1;
    else if (k == MKLINK_HARDLINK && info.kind == MKLINK_HARDLINK && mklink__same_file(path, target))
      rc = 1;
  }
  mklink_info_free(&info);
  return rc;
}

static int exists(const char *path, int *yes) {
  int type, rc = mklink__node_type(path, 0, &type);
  *yes = type != MKLINK__NODE_NONE;
  return rc;
}

/* A replace (MKLINK_REPLACE) killed between its two calls leaves its
   temporary link ".mklink-<16 hex>.tmp" beside PATH.  One that stores TEXT
   is this step's: removed.  1 if one was. */
static int remove_replace_temp(const char *path, const char *text) {
  char dir[4096], name[4096];
  const char *base;
  size_t dir_len, base_len, i, n;
  mklink__dir d;
  mklink_info info;
  int found = 0;
  mklink__path_split(MKLINK__PATH_NATIVE, path, &dir_len, &base, &base_len);
  if (dir_len == 0 || dir_len >= sizeof dir)
    return 0;
  memcpy(dir, path, dir_len);
  dir[dir_len] = '\0';
  if (mklink__list_dir(dir, &d) != 0)
    return 0;
  for (i = 0; i < d.count; i++) {
    n = strlen(d.names[i]);
    if (n != 8 + 16 + 4 || strncmp(d.names[i], ".mklink-", 8) != 0 ||
        strcmp(d.names[i] + n - 4, ".tmp") != 0 || d.types[i] == MKLINK__NODE_DIR ||
        d.types[i] == MKLINK__NODE_FILE)
      continue;
    if (mklink__path_join(MKLINK__PATH_NATIVE, dir, dir_len, d.names[i], name, sizeof name) != 0)
      continue;
    if (mklink_query(name, &info) != 0)
      continue;
    if (info.kind != MKLINK_NOT_LINK && info.kind != MKLINK_HARDLINK && info.target != NULL &&
        strcmp(info.target, text) == 0 && mklink_remove(name) == 0)
      found = 1;
    mklink_info_free(&info);
  }
  mklink__dir_free(&d);
  return found;
}

/* What undoing S did, for the report. */
typedef struct undone {
  mklink_manifest_action action;
  const char *note;
  int error;
} undone;

/* COMPLETE: every step was done (the journal says so); otherwise a step
   whose result is not on disk was simply never reached. */
static int undo_step(const step *s, int complete, undone *u) {
  int rc, here, there;
  u->action = MKLINK_ACTION_OK;
  u->note = "nothing to undo";
  u->error = 0;
  switch (s->op) {
  case ST_MKDIR:
    rc = mklink__remove_dir(s->path);
    if (rc == 0) {
      u->action = MKLINK_ACTION_REMOVE;
      u->note = "directory removed";
    } else if (rc == MKLINK_ENOTEMPTY) {
      u->note = "directory kept: it is not empty";
    } else if (rc != MKLINK_ENOFILE && rc != MKLINK_ENOPATH) {
      return rc;
    }
    return 0;
  case ST_LINK:
  case ST_RELINK:
    rc = is_made_link(s->path, s->text, s->target, s->kinds);
    if (rc < 0)
      return rc;
    if (rc == 0 && s->op == ST_RELINK && !complete && remove_replace_temp(s->path, s->text)) {
      u->action = MKLINK_ACTION_REMOVE;
      u->note = "the temporary link of an interrupted replace removed";
      return 0;
    }
    if (rc == 0) {
      if ((rc = exists(s->path, &here)) != 0)
        return rc;
      if (here && s->op == ST_LINK && complete) {
        u->error = MKLINK_ECONFLICT;
        u->note = "left alone: it is no longer the link the apply made";
      }
      return 0;
    }
    if (s->op == ST_LINK) {
      if ((rc = mklink_remove(s->path)) != 0)
        return rc;
      u->action = MKLINK_ACTION_REMOVE;
      u->note = "link removed";
      return 0;
    }
    rc = mklink_create(s->path, s->other, s->old_kind, MKLINK_REPLACE);
    if (rc != 0)
      return rc;
    u->action = MKLINK_ACTION_RELINK;
    u->note = "the old link put back";
    return 0;
  case ST_BACKUP:
  case ST_ASIDE:
    if ((rc = exists(s->other, &there)) != 0 || (rc = exists(s->path, &here)) != 0)
      return rc;
    if (!there)
      return 0; /* never moved (or already back) */
    if (here) {
      u->error = MKLINK_ECONFLICT; /* never reached: the link step undid it */
      u->note = "not restored: something else is at the path now";
      return 0;
    }
    if ((rc = mklink__rename_new(s->other, s->path)) != 0)
      return rc;
    u->action = MKLINK_ACTION_BACKUP;
    u->note = "restored";
    return 0;
  case ST_DELETE:
    if ((rc = exists(s->other, &there)) != 0)
      return rc;
    if (!there) {
      u->error = MKLINK_ENOFILE;
      u->note = "deleted by --force: cannot be restored";
    }
    return 0;
  case ST_CLEAN:
    if ((rc = exists(s->path, &here)) != 0)
      return rc;
    if (here)
      return 0;
    if ((rc = mklink_create(s->path, s->text, s->old_kind, 0)) != 0)
      return rc;
    u->action = MKLINK_ACTION_CREATE;
    u->note = "dangling link made again";
    return 0;
  }
  return MKLINK_EINVAL;
}

/* ---- the journal ---------------------------------------------------------- */

#define J_MAGIC "mklink-journal"
#define J_VERSION "1"

static void journal_step(mklink__journal *j, const step *s) {
  mklink__journal_field(j, op_names[s->op]);
  mklink__journal_field(j, s->path);
  switch (s->op) {
  case ST_MKDIR:
    mklink__journal_number(j, s->mode);
    break;
  case ST_LINK:
  case ST_RELINK:
    mklink__journal_field(j, s->text);
    mklink__journal_field(j, s->target);
    mklink__journal_number(j, s->kinds);
    if (s->op == ST_RELINK) {
      mklink__journal_field(j, s->other);
      mklink__journal_number(j, s->old_kind);
    }
    break;
  case ST_BACKUP:
  case ST_ASIDE:
  case ST_DELETE:
    mklink__journal_field(j, s->other);
    mklink__journal_number(j, s->is_dir);
    break;
  case ST_CLEAN:
    mklink__journal_field(j, s->text);
    mklink__journal_number(j, s->old_kind);
    break;
  }
  mklink__journal_end_record(j);
}

static int journal_write(const char *jpath, const char *file, const char *state, plan *p) {
  mklink__journal j;
  size_t i;
  int rc;
  /* The steps do not change between the states: their text is made once. */
  if (p->text.data == NULL && p->n > 0)
    for (i = 0; i < p->n; i++)
      journal_step(&p->text, &p->v[i]);
  if (p->text.err != 0)
    return p->text.err;
  memset(&j, 0, sizeof j);
  mklink__journal_field(&j, J_MAGIC);
  mklink__journal_field(&j, J_VERSION);
  mklink__journal_end_record(&j);
  mklink__journal_field(&j, "manifest");
  mklink__journal_field(&j, file);
  mklink__journal_end_record(&j);
  mklink__journal_field(&j, "state");
  mklink__journal_field(&j, state);
  mklink__journal_end_record(&j);
  mklink__journal_append(&j, p->text.data, p->text.len);
  rc = mklink__journal_save(jpath, &j);
  mklink__journal_free(&j);
  return rc;
}

/* A journal read back: its state and its steps (strings in DATA). */
typedef struct loaded {
  char *data;
  size_t len;
  const char *state;
  const char *file;
  plan p;
  int bad;
} loaded;

static enum step_op op_of(const char *name, int *ok) {
  int i;
  for (i = 0; i < (int)(sizeof op_names / sizeof op_names[0]); i++)
    if (strcmp(op_names[i], name) == 0) {
      *ok = 1;
      return (enum step_op)i;
    }
  *ok = 0;
  return ST_MKDIR;
}

static int on_record(char **f, size_t n, void *arg) {
  loaded *l = arg;
  step *s;
  enum step_op op;
  int ok;
  if (n == 2 && strcmp(f[0], J_MAGIC) == 0)
    return strcmp(f[1], J_VERSION) == 0 ? 0 : MKLINK_EIO;
  if (n == 2 && strcmp(f[0], "manifest") == 0) {
    l->file = f[1];
    return 0;
  }
  if (n == 2 && strcmp(f[0], "state") == 0) {
    l->state = f[1];
    return 0;
  }
  if (n < 2)
    return MKLINK_EIO;
  op = op_of(f[0], &ok);
  if (!ok || (s = add_step(&l->p, op, NO_ENTRY, f[1])) == NULL)
    return ok ? MKLINK_ENOMEM : MKLINK_EIO;
  switch (op) {
  case ST_MKDIR:
    if (n != 3)
      return MKLINK_EIO;
    s->mode = (unsigned)strtoul(f[2], NULL, 10);
    return 0;
  case ST_LINK:
  case ST_RELINK:
    if (n != (op == ST_LINK ? 5u : 7u))
      return MKLINK_EIO;
    s->text = f[2];
    s->target = f[3];
    s->kinds = (unsigned)strtoul(f[4], NULL, 10);
    if (op == ST_RELINK) {
      s->other = f[5];
      s->old_kind = (mklink_kind)strtol(f[6], NULL, 10);
    }
    return 0;
  case ST_BACKUP:
  case ST_ASIDE:
  case ST_DELETE:
    if (n != 4)
      return MKLINK_EIO;
    s->other = f[2];
    s->is_dir = f[3][0] == '1';
    if (op == ST_DELETE)
      l->p.has_delete = 1;
    return 0;
  case ST_CLEAN:
    if (n != 4)
      return MKLINK_EIO;
    s->text = f[2];
    s->old_kind = (mklink_kind)strtol(f[3], NULL, 10);
    return 0;
  }
  return MKLINK_EIO;
}

/* Read the journal at JPATH: MKLINK_ENOJOURNAL if there is none. */
static int journal_load(const char *jpath, loaded *l) {
  int rc;
  memset(l, 0, sizeof *l);
  rc = mklink__read_file(jpath, &l->data, &l->len);
  if (rc == MKLINK_ENOFILE || rc == MKLINK_ENOPATH)
    return MKLINK_ENOJOURNAL;
  if (rc != 0)
    return rc;
  rc = mklink__journal_parse(l->data, l->len, on_record, l);
  if (rc == 0 && (l->state == NULL || l->file == NULL))
    rc = MKLINK_EIO;
  return rc;
}

static void loaded_free(loaded *l) {
  plan_free(&l->p);
  free(l->data);
  memset(l, 0, sizeof *l);
}

/* ---- undo ------------------------------------------------------------------- */

/* Report entry for step S into OUT (may be NULL). */
static int report_undo(mklink_manifest *out, const step *s, const undone *u) {
  static const mklink_manifest_op ops[] = {MKLINK_OP_MKDIR, MKLINK_OP_LINK,  MKLINK_OP_LINK,
                                           MKLINK_OP_LINK,  MKLINK_OP_LINK,  MKLINK_OP_LINK,
                                           MKLINK_OP_CLEAN};
  mm_entry *e;
  if (out == NULL)
    return 0;
  if ((e = mm_add(out, ops[s->op], op_names[s->op], 0, 0)) == NULL)
    return MKLINK_ENOMEM;
  e->e.path = mm_strdup(out, s->op == ST_DELETE ? s->other : s->path);
  e->e.target = s->text != NULL ? mm_strdup(out, s->text) : NULL;
  e->e.backup = s->op == ST_BACKUP ? mm_strdup(out, s->other) : NULL;
  if (ops[s->op] == MKLINK_OP_LINK)
    e->e.kind = (mklink_kind)(s->kinds & 0xFu); /* the kind asked first */
  e->e.action = u->action;
  e->e.note = u->note;
  e->e.error = u->error;
  return e->e.path != NULL ? 0 : MKLINK_ENOMEM;
}

/* Undo steps [0, N) of P in reverse order. */
static int undo_steps(const plan *p, size_t n, int complete, mklink_manifest *out) {
  undone u;
  int rc;
  while (n > 0) {
    const step *s = &p->v[--n];
    if ((rc = undo_step(s, complete, &u)) != 0)
      return rc;
    if ((rc = report_undo(out, s, &u)) != 0)
      return rc;
  }
  return 0;
}

/* Finish the deletions of a journal that says "committing". */
static int finish_commit(const plan *p) {
  size_t i;
  int rc, there;
  for (i = 0; i < p->n; i++) {
    if (p->v[i].op != ST_DELETE)
      continue;
    if ((rc = exists(p->v[i].other, &there)) != 0)
      return rc;
    if (there && (rc = do_step(NULL, &p->v[i])) != 0)
      return rc;
  }
  return 0;
}

/* Bring an interrupted journal to rest: "committing" is finished, "applying"
   and "undoing" are rolled back.  Returns 0, with *PREV (may be NULL) the
   journal of a finished apply, kept for undo. */
static int settle(const char *jpath, loaded *l, mklink_manifest *out) {
  int rc;
  if (strcmp(l->state, "committing") == 0) {
    if ((rc = finish_commit(&l->p)) != 0)
      return rc;
    return journal_write(jpath, l->file, "applied", &l->p);
  }
  if (strcmp(l->state, "applying") == 0 || strcmp(l->state, "undoing") == 0) {
    if ((rc = undo_steps(&l->p, l->p.n, 0, out)) != 0)
      return rc;
    return mklink__remove_file(jpath);
  }
  return 0;
}

int mklink_manifest_undo(const char *file, mklink_manifest **out) {
  mklink_manifest *m = NULL;
  char *jpath = NULL;
  loaded l;
  int rc;
  if (out != NULL)
    *out = NULL;
  if (file == NULL || file[0] == '\0')
    return MKLINK_EINVAL;
  if ((rc = mm_new(&m)) != 0)
    return rc;
  if ((rc = mm_locate(m, file)) != 0 || (rc = mklink__journal_path("apply", m->file, &jpath)) != 0)
    goto done;
  if ((rc = journal_load(jpath, &l)) != 0)
    goto done;
  if (strcmp(l.state, "committing") == 0 && (rc = finish_commit(&l.p)) != 0)
    goto loaded_done;
  if (strcmp(l.state, "undoing") != 0 &&
      (rc = journal_write(jpath, l.file, "undoing", &l.p)) != 0)
    goto loaded_done;
  if ((rc = undo_steps(&l.p, l.p.n, strcmp(l.state, "applied") == 0, m)) == 0)
    rc = mklink__remove_file(jpath);
loaded_done:
  loaded_free(&l);
done:
  free(jpath);
  if (out != NULL)
    *out = m;
  else
    mklink_manifest_close(m);
  return rc;
}

/* ---- apply ------------------------------------------------------------------- */

static int carry_out(mklink_manifest *m, const plan *p, const char *jpath, loaded *prev) {
  size_t i;
  int rc, rb;
  for (i = 0; i < p->n; i++) {
    if (p->v[i].op == ST_DELETE)
      continue;
    if ((rc = do_step(m, &p->v[i])) == 0)
      continue;
    if (p->v[i].entry != NO_ENTRY)
      m->v[p->v[i].entry].e.error = rc;
    /* Put everything back, then the journal of the apply before this one. */
    if ((rb = undo_steps(p, i, 1, NULL)) != 0)
      return rc;
    if (prev != NULL && prev->state != NULL)
      rb = journal_write(jpath, prev->file, "applied", &prev->p);
    else
      rb = mklink__remove_file(jpath);
    (void)rb; /* a journal left over is settled by the next run */
    return rc;
  }
  return 0;
}

static int add_deletes(plan *p) {
  size_t i, n = p->n;
  for (i = 0; i < n; i++) {
    if (p->v[i].op == ST_ASIDE) {
      step *s = add_step(p, ST_DELETE, p->v[i].entry, p->v[i].path);
      if (s == NULL)
        return MKLINK_ENOMEM;
      s->other = p->v[i].other;
      s->is_dir = p->v[i].is_dir;
    }
  }
  return 0;
}

static int commit(mklink_manifest *m, plan *p, const char *jpath) {
  size_t i;
  int rc, first = 0;
  if (p->has_delete) {
    if ((rc = journal_write(jpath, m->file, "committing", p)) != 0)
      return rc;
    for (i = 0; i < p->n; i++) {
      if (p->v[i].op != ST_DELETE)
        continue;
      if ((rc = do_step(m, &p->v[i])) != 0) {
        if (p->v[i].entry != NO_ENTRY)
          m->v[p->v[i].entry].e.error = rc;
        if (first == 0)
          first = rc; /* kept aside, named in the journal: finished next time */
      }
    }
    if (first != 0)
      return first;
  }
  return journal_write(jpath, m->file, "applied", p);
}

int mklink_manifest_apply(mklink_manifest *m, unsigned flags) {
  plan p;
  loaded prev;
  char *jpath = NULL;
  int rc;
  if (m == NULL || (flags & ~(MKLINK_APPLY_DRY_RUN | MKLINK_APPLY_BACKUP | MKLINK_APPLY_FORCE)) != 0 ||
      ((flags & MKLINK_APPLY_BACKUP) && (flags & MKLINK_APPLY_FORCE)))
    return MKLINK_EINVAL;
  memset(&p, 0, sizeof p);
  memset(&prev, 0, sizeof prev);
  if (!(flags & MKLINK_APPLY_DRY_RUN)) {
    if ((rc = mklink__journal_path("apply", m->file, &jpath)) != 0)
      return rc;
    rc = journal_load(jpath, &prev);
    if (rc == 0)
      rc = settle(jpath, &prev, NULL);
    if (rc == MKLINK_ENOJOURNAL)
      rc = 0;
    if (rc != 0)
      goto out;
    if (prev.state != NULL && strcmp(prev.state, "applied") != 0 &&
        strcmp(prev.state, "committing") != 0) {
      loaded_free(&prev); /* rolled back and removed: nothing to keep */
    }
  }
  if ((rc = make_plan(m, &p, flags)) != 0)
    goto out;
  if (p.conflicts > 0) {
    rc = MKLINK_ECONFLICT;
    goto out;
  }
  if ((flags & MKLINK_APPLY_DRY_RUN) || p.n == 0)
    goto out;
  if ((rc = add_deletes(&p)) != 0 || (rc = journal_write(jpath, m->file, "applying", &p)) != 0)
    goto out;
  if ((rc = carry_out(m, &p, jpath, &prev)) != 0)
    goto out;
  rc = commit(m, &p, jpath);
out:
  loaded_free(&prev);
  plan_free(&p);
  free(jpath);
  return rc;
}

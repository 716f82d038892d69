/*
 * plan.c -- what is on disk for each entry (the check), over mklink_query.
 *
 * A right link costs what the floor costs: mklink_query reads the link's
 * text and follows it once (readlink + stat); the target itself is looked at
 * only when the link is not already right.
 */
#include "manifest.h"

#include <stdlib.h>
#include <string.h>

static int is_symlink(mklink_kind k) { return k == MKLINK_FILE_SYMLINK || k == MKLINK_DIR_SYMLINK; }

const char *mm_text_for(const mm_entry *e, mklink_kind kind) {
  return is_symlink(kind) ? e->sym_text : e->target_abs;
}

static int same_path(const char *a, const char *b) {
#ifdef _WIN32
  for (; *a != '\0' && *b != '\0'; a++, b++) {
    char x = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;
    char y = *b >= 'A' && *b <= 'Z' ? (char)(*b - 'A' + 'a') : *b;
    if (x != y)
      return 0;
  }
  return *a == *b;
#else
  return strcmp(a, b) == 0;
#endif
}

/* 1 if a link of kind FOUND storing TEXT is what E asks for (any of its
   kinds). */
static int link_matches(const mm_entry *e, mklink_kind found, const char *text) {
  unsigned i;
  for (i = 0; i < e->nkinds; i++) {
    if (is_symlink(e->kinds[i]) && is_symlink(found) && strcmp(text, e->sym_text) == 0)
      return 1;
    if (e->kinds[i] == MKLINK_JUNCTION && found == MKLINK_JUNCTION &&
        same_path(text, e->target_abs))
      return 1;
  }
  return 0;
}

static int wants(const mm_entry *e, mklink_kind kind) {
  unsigned i;
  for (i = 0; i < e->nkinds; i++)
    if (e->kinds[i] == kind || (is_symlink(e->kinds[i]) && is_symlink(kind)))
      return 1;
  return 0;
}

static int judge_link(mklink_manifest *m, mm_entry *e, const mklink_info *found);

int mm_target_type(mklink_manifest *m, const mm_entry *e, int *type) {
  int rc;
  *type = MKLINK__NODE_UNKNOWN;
  if (m->cache != NULL && (rc = mm_dircache_type(m->cache, e->target_abs, type)) != 0)
    return rc;
  if (*type == MKLINK__NODE_FILE || *type == MKLINK__NODE_DIR || *type == MKLINK__NODE_NONE)
    return 0;
  return mklink__node_type(e->target_abs, 1, type);
}

static int wants_only_symbolic(const mm_entry *e) {
  unsigned i;
  for (i = 0; i < e->nkinds; i++)
    if (e->kinds[i] == MKLINK_HARDLINK)
      return 0;
  return 1;
}

static int look_link_query(mklink_manifest *m, mm_entry *e);

/* A symbolic link (the listing says so) read with one readlink; the target
   is looked up in its directory's listing.  Anything unusual goes the long
   way (mklink_query). */
static int look_symbolic(mklink_manifest *m, mm_entry *e) {
  mklink_kind kind;
  char *text = NULL;
  int type, rc = mklink__link_text(e->e.path, &kind, &text);
  if (rc == MKLINK_ENOFILE || rc == MKLINK_ENOPATH) {
    e->e.state = MKLINK_STATE_MISSING;
    return 0;
  }
  if (rc != 0 || kind == MKLINK_NOT_LINK || !link_matches(e, kind, text)) {
    free(text);
    return rc != 0 ? rc : look_link_query(m, e);
  }
  e->e.found = mm_strdup(m, text);
  free(text);
  if (e->e.found == NULL)
    return MKLINK_ENOMEM;
  if ((rc = mm_target_type(m, e, &type)) != 0)
    return rc;
  e->found_kind = kind;
  e->e.made = kind == MKLINK_JUNCTION      ? MKLINK_JUNCTION
              : type == MKLINK__NODE_DIR ? MKLINK_DIR_SYMLINK
                                         : MKLINK_FILE_SYMLINK;
  e->e.state = type == MKLINK__NODE_NONE ? MKLINK_STATE_BROKEN : MKLINK_STATE_OK;
  return 0;
}

static int look_link(mklink_manifest *m, mm_entry *e) {
  int type = MKLINK__NODE_UNKNOWN, rc;
  e->e.found = NULL;
  e->found_kind = MKLINK_NOT_LINK;
  if (m->cache != NULL && wants_only_symbolic(e) && mm_dircache_reads(m->cache, e->e.path)) {
    /* The readlink a right link costs anyway tells a missing one too. */
    rc = look_symbolic(m, e);
    mm_dircache_tally(m->cache, e->e.path, rc == 0 && e->e.state != MKLINK_STATE_MISSING);
    return rc;
  }
  if (m->cache != NULL && (rc = mm_dircache_type(m->cache, e->e.path, &type)) != 0)
    return rc;
  if (type == MKLINK__NODE_NONE) {
    e->e.state = MKLINK_STATE_MISSING;
    return 0;
  }
  if (type == MKLINK__NODE_DIR) {
    e->e.made = MKLINK_NOT_LINK; /* a real directory: never a link of ours */
    e->e.state = MKLINK_STATE_BLOCKED;
    return 0;
  }
  if (type == MKLINK__NODE_LINK && wants_only_symbolic(e))
    return look_symbolic(m, e);
  return look_link_query(m, e);
}

static int look_link_query(mklink_manifest *m, mm_entry *e) {
  mklink_info info;
  int rc = mklink_query(e->e.path, &info);
  if (rc == MKLINK_ENOFILE || rc == MKLINK_ENOPATH) {
    e->e.state = MKLINK_STATE_MISSING;
    return 0;
  }
  if (rc != 0)
    return rc;
  rc = judge_link(m, e, &info);
  mklink_info_free(&info);
  return rc;
}

/* What the link INFO found at E's path is, for E. */
static int judge_link(mklink_manifest *m, mm_entry *e, const mklink_info *found) {
  mklink_info info = *found;
  if (info.target == NULL)
    info.target = "";
  if (info.resolved == NULL)
    info.resolved = "";
  e->found_kind = info.kind;
  e->e.made = info.kind;
  if (info.kind == MKLINK_FILE_SYMLINK || info.kind == MKLINK_DIR_SYMLINK ||
      info.kind == MKLINK_JUNCTION) {
    if ((e->e.found = mm_strdup(m, info.target)) == NULL)
      return MKLINK_ENOMEM;
    if (link_matches(e, info.kind, info.target))
      e->e.state = info.target_exists ? MKLINK_STATE_OK : MKLINK_STATE_BROKEN;
    else if (same_path(info.resolved, e->target_abs) && !wants(e, info.kind))
      e->e.state = MKLINK_STATE_WRONG_KIND;
    else
      e->e.state = MKLINK_STATE_WRONG_TARGET;
    return 0;
  }
  if (info.kind == MKLINK_HARDLINK && mklink__same_file(e->e.path, e->target_abs)) {
    e->e.state = wants(e, MKLINK_HARDLINK) ? MKLINK_STATE_OK : MKLINK_STATE_WRONG_KIND;
    return 0;
  }
  /* A plain file or directory, a file whose other names are elsewhere, a
     reparse point that is not a link: data in the way. */
  e->e.made = MKLINK_NOT_LINK;
  e->e.state = MKLINK_STATE_BLOCKED;
  return 0;
}

static int look_dir(mklink_manifest *m, mm_entry *e) {
  int type = MKLINK__NODE_UNKNOWN, rc = 0;
  if (m->cache != NULL && (rc = mm_dircache_type(m->cache, e->e.path, &type)) != 0)
    return rc;
  if (type != MKLINK__NODE_NONE && type != MKLINK__NODE_DIR && type != MKLINK__NODE_FILE)
    rc = mklink__node_type(e->e.path, 1, &type);
  if (rc != 0)
    return rc;
  e->e.state = type == MKLINK__NODE_DIR    ? MKLINK_STATE_OK
               : type == MKLINK__NODE_NONE ? MKLINK_STATE_MISSING
                                           : MKLINK_STATE_BLOCKED;
  return 0;
}

static int look_clean(mklink_manifest *m, mm_entry *e) {
  mklink_info info;
  int rc = mklink_query(e->e.path, &info);
  if (rc == MKLINK_ENOFILE || rc == MKLINK_ENOPATH) {
    e->e.state = MKLINK_STATE_OK;
    return 0;
  }
  if (rc != 0)
    return rc;
  if (info.target != NULL && (e->e.found = mm_strdup(m, info.target)) == NULL) {
    mklink_info_free(&info);
    return MKLINK_ENOMEM;
  }
  /* Still the dangling link clean: found when the manifest was read. */
  e->e.state = info.kind != MKLINK_NOT_LINK && info.kind != MKLINK_HARDLINK && !info.target_exists &&
                       info.target != NULL && strcmp(info.target, e->e.target) == 0
                   ? MKLINK_STATE_BROKEN
                   : MKLINK_STATE_OK;
  mklink_info_free(&info);
  return 0;
}

int mm_look(mklink_manifest *m, mm_entry *e) {
  switch (e->e.op) {
  case MKLINK_OP_LINK:
    return look_link(m, e);
  case MKLINK_OP_MKDIR:
    return look_dir(m, e);
  case MKLINK_OP_CLEAN:
    return look_clean(m, e);
  case MKLINK_OP_SKIP:
    e->e.state = MKLINK_STATE_SKIPPED;
    return 0;
  }
  return MKLINK_EINVAL;
}

int mklink_manifest_check(mklink_manifest *m, size_t *drifted) {
  size_t i, n = 0;
  int rc;
  if (drifted != NULL)
    *drifted = 0;
  if (m == NULL)
    return MKLINK_EINVAL;
  if ((rc = mm_dircache_new(&m->cache)) != 0)
    return rc;
  for (i = 0; i < m->n; i++) {
    mm_entry *e = &m->v[i];
    if ((rc = mm_look(m, e)) != 0) {
      e->e.error = rc;
      n++;
      continue;
    }
    if (e->e.state != MKLINK_STATE_OK && e->e.state != MKLINK_STATE_SKIPPED)
      n++;
  }
  mm_dircache_free(m->cache);
  m->cache = NULL;
  if (drifted != NULL)
    *drifted = n;
  return 0;
}

/*
 * manifest.c -- the manifest object: entries, a string arena, the error,
 * and mklink_manifest_open() / _close() and the accessors.
 */
#include "manifest.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MM_BLOCK_SIZE 65536

int mm_new(mklink_manifest **out) {
  mklink_manifest *m = calloc(1, sizeof *m);
  *out = m;
  return m != NULL ? 0 : MKLINK_ENOMEM;
}

char *mm_strndup(mklink_manifest *m, const char *s, size_t len) {
  mm_block *b = m->arena;
  char *p;
  if (b == NULL || b->cap - b->used < len + 1) {
    size_t cap = len + 1 > MM_BLOCK_SIZE ? len + 1 : MM_BLOCK_SIZE;
    if ((b = malloc(sizeof *b + cap)) == NULL)
      return NULL;
    b->used = 0;
    b->cap = cap;
    b->next = m->arena;
    m->arena = b;
  }
  p = b->data + b->used;
  memcpy(p, s, len);
  p[len] = '\0';
  b->used += len + 1;
  return p;
}

char *mm_strdup(mklink_manifest *m, const char *s) {
  return s != NULL ? mm_strndup(m, s, strlen(s)) : NULL;
}

mm_entry *mm_add(mklink_manifest *m, mklink_manifest_op op, const char *directive,
                 unsigned line, unsigned column) {
  mm_entry *e;
  if (m->n == m->cap) {
    size_t cap = m->cap > 0 ? m->cap * 2 : 64;
    mm_entry *v = realloc(m->v, cap * sizeof *v);
    if (v == NULL)
      return NULL;
    m->v = v;
    m->cap = cap;
  }
  e = &m->v[m->n++];
  memset(e, 0, sizeof *e);
  e->e.op = op;
  e->e.directive = directive;
  e->e.line = line;
  e->e.column = column;
  e->e.state = op == MKLINK_OP_SKIP ? MKLINK_STATE_SKIPPED : MKLINK_STATE_OK;
  e->e.action = op == MKLINK_OP_SKIP ? MKLINK_ACTION_SKIP : MKLINK_ACTION_OK;
  return e;
}

int mm_fail(mklink_manifest *m, unsigned line, unsigned column, const char *fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  free(m->error);
  m->error = malloc(strlen(buf) + 1);
  if (m->error != NULL)
    memcpy(m->error, buf, strlen(buf) + 1);
  m->error_line = line;
  m->error_column = column;
  return MKLINK_EMANIFEST;
}

static char *heap_dup(const char *s) {
  char *p = malloc(strlen(s) + 1);
  if (p != NULL)
    memcpy(p, s, strlen(s) + 1);
  return p;
}

/* FILE made absolute (lexically) and its directory. */
static int locate(mklink_manifest *m, const char *file) {
  char *cwd = NULL, buf[4096];
  const char *base;
  size_t dir_len, base_len;
  int rc = 0;
  if (!mklink__path_is_absolute(MKLINK__PATH_NATIVE, file) && (rc = mklink__current_dir(&cwd)) != 0)
    return rc;
  rc = mklink__path_absolute(MKLINK__PATH_NATIVE, cwd, file, buf, sizeof buf);
  free(cwd);
  if (rc != 0)
    return rc;
  if ((m->file = heap_dup(buf)) == NULL)
    return MKLINK_ENOMEM;
  mklink__path_split(MKLINK__PATH_NATIVE, buf, &dir_len, &base, &base_len);
  if (dir_len == 0)
    return MKLINK_EINVAL;
  buf[dir_len] = '\0';
  return (m->base = heap_dup(buf)) != NULL ? 0 : MKLINK_ENOMEM;
}

int mm_locate(mklink_manifest *m, const char *file) { return locate(m, file); }

int mklink_manifest_open(const char *file, unsigned flags, mklink_manifest **out) {
  mklink_manifest *m;
  char *data = NULL;
  size_t len = 0;
  int rc;
  if (out == NULL)
    return MKLINK_EINVAL;
  *out = NULL;
  if (file == NULL || file[0] == '\0' || (flags & ~MKLINK_MANIFEST_STRICT) != 0)
    return MKLINK_EINVAL;
  if ((rc = mm_new(&m)) != 0)
    return rc;
  *out = m;
  m->flags = flags;
  if ((rc = locate(m, file)) != 0)
    return rc;
  if ((rc = mklink__home_dir(&m->home)) != 0 && rc != MKLINK_ENOPATH)
    return rc;
  if ((rc = mklink__read_file(m->file, &data, &len)) != 0)
    return rc;
  rc = mm_parse(m, data, len);
  free(data);
  return rc;
}

const char *mklink_manifest_error(const mklink_manifest *m, unsigned *line, unsigned *column) {
  if (m == NULL || m->error == NULL)
    return NULL;
  if (line != NULL)
    *line = m->error_line;
  if (column != NULL)
    *column = m->error_column;
  return m->error;
}

size_t mklink_manifest_count(const mklink_manifest *m) { return m != NULL ? m->n : 0; }

const mklink_manifest_entry *mklink_manifest_entry_at(const mklink_manifest *m, size_t i) {
  return m != NULL && i < m->n ? &m->v[i].e : NULL;
}

void mklink_manifest_close(mklink_manifest *m) {
  mm_block *b, *next;
  if (m == NULL)
    return;
  for (b = m->arena; b != NULL; b = next) {
    next = b->next;
    free(b);
  }
  free(m->v);
  free(m->file);
  free(m->base);
  free(m->home);
  free(m->error);
  free(m);
}

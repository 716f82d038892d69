/*
 * expand.c -- from what a manifest says to absolute paths: ~ and variables,
 * the manifest's directory, glob patterns, and the dangling links of clean:.
 *
 * Variables are expanded the same way on every OS, so one manifest serves
 * Linux and Windows: $NAME and ${NAME} (dotbot's os.path.expandvars) and
 * %NAME% (cmd's).  A variable that is not set is left as written, as dotbot
 * does, with a warning on the entry.  "~" is the home directory at the start
 * of a path only ("~user" is not expanded).
 */
#include "manifest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *mm_os_name(void) {
#if defined(_WIN32)
  return "windows";
#elif defined(__APPLE__)
  return "macos";
#elif defined(__linux__)
  return "linux";
#else
  return "other";
#endif
}

/* A growing string. */
typedef struct sbuf {
  char *p;
  size_t len, cap;
  int err;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n) {
  if (b->err)
    return;
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap > 0 ? b->cap : 256;
    char *p;
    while (b->len + n + 1 > cap)
      cap *= 2;
    if ((p = realloc(b->p, cap)) == NULL) {
      b->err = 1;
      return;
    }
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = '\0';
}

static int is_name_start(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static int is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

/* Append the value of variable NAME (LEN bytes) or, if unset, RAW as
   written; 1 if it was unset. */
static int add_var(sbuf *b, const char *name, size_t len, const char *raw, size_t rawlen) {
  char key[256];
  char *value = NULL;
  if (len == 0 || len >= sizeof key) {
    sb_add(b, raw, rawlen);
    return len != 0;
  }
  memcpy(key, name, len);
  key[len] = '\0';
  if (mklink__getenv(key, &value) != 0) {
    sb_add(b, raw, rawlen);
    return 1;
  }
  sb_add(b, value, strlen(value));
  free(value);
  return 0;
}

int mm_expand(mklink_manifest *m, const char *in, char **out, const char **note) {
  sbuf b = {NULL, 0, 0, 0};
  const char *p = in, *unset = NULL, *q;
  size_t unset_len = 0;
  *out = NULL;
  if (p[0] != '~' && strpbrk(p, "$%") == NULL) /* nothing to expand */
    return (*out = mm_strdup(m, p)) != NULL ? 0 : MKLINK_ENOMEM;
  if (p[0] == '~' && (p[1] == '\0' || mklink__path_is_sep(MKLINK__PATH_NATIVE, p[1]))) {
    if (m->home == NULL)
      return MKLINK_ENOPATH;
    sb_add(&b, m->home, strlen(m->home));
    p++;
  }
  while (*p != '\0') {
    if (p[0] == '$' && p[1] == '{' && (q = strchr(p + 2, '}')) != NULL) {
      if (add_var(&b, p + 2, (size_t)(q - p - 2), p, (size_t)(q - p + 1)) && unset == NULL)
        unset = p, unset_len = (size_t)(q - p + 1);
      p = q + 1;
    } else if (p[0] == '$' && is_name_start(p[1])) {
      for (q = p + 1; is_name_char(*q); q++)
        ;
      if (add_var(&b, p + 1, (size_t)(q - p - 1), p, (size_t)(q - p)) && unset == NULL)
        unset = p, unset_len = (size_t)(q - p);
      p = q;
    } else if (p[0] == '%' && is_name_start(p[1]) && (q = strchr(p + 1, '%')) != NULL) {
      const char *c;
      for (c = p + 1; c < q && (is_name_char(*c) || *c == '(' || *c == ')'); c++)
        ;
      if (c != q) { /* not %NAME%: a literal '%' */
        sb_add(&b, p, 1);
        p++;
        continue;
      }
      if (add_var(&b, p + 1, (size_t)(q - p - 1), p, (size_t)(q - p + 1)) && unset == NULL)
        unset = p, unset_len = (size_t)(q - p + 1);
      p = q + 1;
    } else {
      size_t run = strcspn(p + 1, "$%") + 1; /* up to the next candidate */
      sb_add(&b, p, run);
      p += run;
    }
  }
  if (b.p == NULL)
    sb_add(&b, "", 0);
  if (b.err) {
    free(b.p);
    return MKLINK_ENOMEM;
  }
  if (unset != NULL && note != NULL) {
    char msg[300];
    int n = (int)(unset_len < 200 ? unset_len : 200);
    snprintf(msg, sizeof msg, "variable %.*s is not set: left as written", n, unset);
    *note = mm_strdup(m, msg);
  }
  *out = mm_strdup(m, b.p);
  free(b.p);
  return *out != NULL ? 0 : MKLINK_ENOMEM;
}

#ifndef _WIN32
/* 1 if every component of P is a name (none empty, ".", ".."): P needs no
   normalising, so a manifest's usual paths are copied, not rebuilt. */
static int plain_components(const char *p) {
  for (;;) {
    const char *end = strchr(p, '/');
    size_t n = end != NULL ? (size_t)(end - p) : strlen(p);
    if (n == 0 || (p[0] == '.' && (n == 1 || (n == 2 && p[1] == '.'))))
      return 0;
    if (end == NULL)
      return 1;
    p = end + 1;
  }
}

/* IN made absolute in BUF (CAP bytes) without normalising, when it needs
   none (the base of a relative IN is normal already); 0 if it does. */
static size_t absolute_as_is(const mklink_manifest *m, const char *in, char *buf, size_t cap) {
  size_t nb = strlen(m->base), ni = strlen(in);
  if (in[0] == '/') {
    if (ni < 2 || ni >= cap || !plain_components(in + 1))
      return 0;
    memcpy(buf, in, ni + 1);
    return ni;
  }
  nb -= nb > 0 && m->base[nb - 1] == '/'; /* the base "/" */
  if (ni == 0 || nb + 1 + ni >= cap || !plain_components(in))
    return 0;
  memcpy(buf, m->base, nb);
  buf[nb] = '/';
  memcpy(buf + nb + 1, in, ni + 1);
  return nb + 1 + ni;
}
#endif

int mm_absolute(mklink_manifest *m, const char *in, char **out) {
  char buf[4096];
  int rc;
#ifndef _WIN32
  size_t n = absolute_as_is(m, in, buf, sizeof buf);
  if (n > 0)
    return (*out = mm_strndup(m, buf, n)) != NULL ? 0 : MKLINK_ENOMEM;
#endif
  rc = mklink__path_absolute(MKLINK__PATH_NATIVE, m->base, in, buf, sizeof buf);
  *out = NULL;
  if (rc != 0)
    return rc;
  return (*out = mm_strdup(m, buf)) != NULL ? 0 : MKLINK_ENOMEM;
}

int mm_parent(mklink_manifest *m, const char *path, char **out) {
  const char *base;
  size_t dir_len, base_len;
  mklink__path_split(MKLINK__PATH_NATIVE, path, &dir_len, &base, &base_len);
  *out = mm_strndup(m, path, dir_len);
  return *out != NULL ? 0 : MKLINK_ENOMEM;
}

const char *mm_basename(const char *path) {
  const char *base;
  size_t dir_len, base_len;
  mklink__path_split(MKLINK__PATH_NATIVE, path, &dir_len, &base, &base_len);
  return base;
}

/* ---- glob ------------------------------------------------------------------ */

static int is_sep(char c) { return mklink__path_is_sep(MKLINK__PATH_NATIVE, c); }

/* A bracket expression at P ("[...]"): 1/0 for whether C matches, the end in
   *END; -1 if P is not a complete bracket (then '[' is literal). */
static int match_bracket(const char *p, char c, const char **end) {
  int negate = 0, ok = 0;
  const char *q = p + 1;
  if (*q == '!') {
    negate = 1;
    q++;
  }
  if (*q == ']') { /* a ']' first is a member */
    ok = c == ']';
    q++;
  }
  for (; *q != '\0' && *q != ']'; q++) {
    if (q[1] == '-' && q[2] != ']' && q[2] != '\0') {
      if (c >= q[0] && c <= q[2])
        ok = 1;
      q += 2;
    } else if (*q == c) {
      ok = 1;
    }
  }
  if (*q != ']')
    return -1;
  *end = q + 1;
  return negate ? !ok : ok;
}

static int match_here(const char *p, const char *n) {
  const char *end;
  int r;
  for (; *p != '\0'; p++, n++) {
    if (*p == '*') {
      while (*p == '*')
        p++;
      if (*p == '\0')
        return 1;
      for (; *n != '\0'; n++)
        if (match_here(p, n))
          return 1;
      return 0;
    }
    if (*n == '\0')
      return 0;
    if (*p == '?')
      continue;
    if (*p == '[' && (r = match_bracket(p, *n, &end)) >= 0) {
      if (!r)
        return 0;
      p = end - 1;
      continue;
    }
    if (*p != *n)
      return 0;
  }
  return *n == '\0';
}

int mm_match_name(const char *pattern, const char *name) {
  /* Python's glob: a wildcard never matches a leading '.'. */
  if (name[0] == '.' && pattern[0] != '.')
    return 0;
  return match_here(pattern, name);
}

/* The first component of *P into COMP; advances *P past it and separators. */
static int next_component(const char **p, char *comp, size_t cap) {
  size_t n = 0;
  while (is_sep(**p))
    (*p)++;
  if (**p == '\0')
    return 0;
  while (**p != '\0' && !is_sep(**p)) {
    if (n + 1 < cap)
      comp[n++] = **p;
    (*p)++;
  }
  comp[n] = '\0';
  return 1;
}

int mm_match_path(const char *pattern, const char *path) {
  char pc[256], nc[256];
  const char *p = pattern, *n = path, *save_p, *save_n;
  for (;;) {
    save_p = p;
    if (!next_component(&p, pc, sizeof pc)) {
      while (is_sep(*n))
        n++;
      return *n == '\0';
    }
    if (strcmp(pc, "**") == 0) {
      /* Zero or more components: try every split point. */
      const char *rest = p;
      save_n = n;
      for (;;) {
        if (mm_match_path(rest, save_n))
          return 1;
        if (!next_component(&save_n, nc, sizeof nc))
          return 0;
        if (nc[0] == '.')
          return 0; /* ** does not enter hidden names either */
      }
    }
    (void)save_p;
    if (!next_component(&n, nc, sizeof nc) || !mm_match_name(pc, nc))
      return 0;
  }
}

struct globber {
  mklink_manifest *m;
  mm_glob_cb cb;
  void *arg;
  int files_only;
  char *path;     /* the match so far, relative */
  size_t len, cap;
};

static int has_magic(const char *s) { return strpbrk(s, "*?[") != NULL; }

static int push(struct globber *g, const char *name, size_t *saved) {
  size_t n = strlen(name), need = g->len + n + 2;
  *saved = g->len;
  if (need > g->cap) {
    size_t cap = g->cap > 0 ? g->cap * 2 : 256;
    char *p;
    while (cap < need)
      cap *= 2;
    if ((p = realloc(g->path, cap)) == NULL)
      return MKLINK_ENOMEM;
    g->path = p;
    g->cap = cap;
  }
  if (g->len > 0 && !is_sep(g->path[g->len - 1]))
    g->path[g->len++] = MKLINK__PATH_NATIVE == MKLINK__PATH_WIN32 ? '\\' : '/';
  memcpy(g->path + g->len, name, n + 1);
  g->len += n;
  return 0;
}

static void pop(struct globber *g, size_t saved) {
  g->len = saved;
  if (g->path != NULL)
    g->path[saved] = '\0';
}

/* The absolute form of the current relative match. */
static int here_abs(struct globber *g, char *out, size_t cap) {
  return mklink__path_absolute(MKLINK__PATH_NATIVE, g->m->base, g->len > 0 ? g->path : ".", out,
                               cap);
}

static int glob_from(struct globber *g, const char *pattern);

/* Report the current relative path, a match, if it exists (and, for "**"
   without a trailing '/', is not a directory). */
static int report_match(struct globber *g, int known_type) {
  char abs[4096];
  int type = known_type, rc;
  if (type == MKLINK__NODE_UNKNOWN) {
    if ((rc = here_abs(g, abs, sizeof abs)) != 0)
      return rc;
    if ((rc = mklink__node_type(abs, g->files_only, &type)) != 0)
      return rc;
    if (type == MKLINK__NODE_NONE && g->files_only)
      return 0;
    if (type == MKLINK__NODE_NONE && (rc = mklink__node_type(abs, 0, &type)) != 0)
      return rc; /* a dangling link still matches, as lexists says */
  } else if (type == MKLINK__NODE_LINK && g->files_only) {
    if ((rc = here_abs(g, abs, sizeof abs)) != 0 || (rc = mklink__node_type(abs, 1, &type)) != 0)
      return rc;
  }
  if (type == MKLINK__NODE_NONE)
    return 0;
  if (g->files_only && type == MKLINK__NODE_DIR)
    return 0;
  return g->cb(g->len > 0 ? g->path : ".", g->arg);
}

/* The entries of the current directory (sorted), or none if it cannot be
   listed (not a directory, missing: no match, as Python's glob). */
static int list_here(struct globber *g, mklink__dir *d) {
  char abs[4096];
  int rc = here_abs(g, abs, sizeof abs);
  if (rc != 0)
    return rc;
  if (mklink__list_dir(abs, d) != 0)
    memset(d, 0, sizeof *d);
  return 0;
}

/* The type of entry I of D, asking the system where the listing did not say. */
static int entry_type(struct globber *g, const mklink__dir *d, size_t i, int *type) {
  char abs[4096];
  int rc;
  *type = d->types[i];
  if (*type != MKLINK__NODE_UNKNOWN)
    return 0;
  if ((rc = here_abs(g, abs, sizeof abs)) != 0)
    return rc;
  return mklink__node_type(abs, 0, type);
}

/* "**": zero or more directories here, never entering a link or a hidden
   name; at the end of the pattern, everything below. */
static int glob_recursive(struct globber *g, const char *rest) {
  mklink__dir d;
  size_t i, saved;
  int rc, type;
  if (*rest != '\0' && (rc = glob_from(g, rest)) != 0)
    return rc;
  if ((rc = list_here(g, &d)) != 0)
    return rc;
  for (i = 0; i < d.count && rc == 0; i++) {
    if (d.names[i][0] == '.')
      continue;
    if ((rc = push(g, d.names[i], &saved)) != 0)
      break;
    rc = entry_type(g, &d, i, &type);
    if (rc == 0 && *rest == '\0')
      rc = report_match(g, type);
    if (rc == 0 && type == MKLINK__NODE_DIR)
      rc = glob_recursive(g, rest);
    pop(g, saved);
  }
  mklink__dir_free(&d);
  return rc;
}

static int glob_from(struct globber *g, const char *pattern) {
  char comp[256];
  const char *rest = pattern;
  mklink__dir d;
  size_t i, saved;
  int rc = 0, type;
  if (!next_component(&rest, comp, sizeof comp))
    return report_match(g, MKLINK__NODE_UNKNOWN);
  if (strcmp(comp, "**") == 0)
    return glob_recursive(g, rest);
  if (!has_magic(comp)) {
    if ((rc = push(g, comp, &saved)) != 0)
      return rc;
    rc = glob_from(g, rest);
    pop(g, saved);
    return rc;
  }
  if ((rc = list_here(g, &d)) != 0)
    return rc;
  for (i = 0; i < d.count && rc == 0; i++) {
    if (!mm_match_name(comp, d.names[i]))
      continue;
    if ((rc = push(g, d.names[i], &saved)) != 0)
      break;
    if (*rest == '\0') {
      rc = entry_type(g, &d, i, &type);
      if (rc == 0)
        rc = report_match(g, type);
    } else {
      rc = glob_from(g, rest);
    }
    pop(g, saved);
  }
  mklink__dir_free(&d);
  return rc;
}

int mm_glob(mklink_manifest *m, const char *pattern, mm_glob_cb cb, void *arg) {
  struct globber g;
  size_t root = mklink__path_root(MKLINK__PATH_NATIVE, pattern);
  size_t plen = strlen(pattern);
  int rc;
  memset(&g, 0, sizeof g);
  g.m = m;
  g.cb = cb;
  g.arg = arg;
  g.files_only = strstr(pattern, "**") != NULL && plen > 0 && !is_sep(pattern[plen - 1]);
  if (root > 0) { /* an absolute pattern: start from its root */
    size_t saved;
    char r[64];
    if (root >= sizeof r)
      return MKLINK_ENAMETOOLONG;
    memcpy(r, pattern, root);
    r[root] = '\0';
    if ((rc = push(&g, r, &saved)) != 0)
      return rc;
  }
  rc = glob_from(&g, pattern + root);
  free(g.path);
  return rc;
}

/* ---- clean: ------------------------------------------------------------------ */

struct cleaner {
  mklink_manifest *m;
  unsigned opts, line, column;
  int rc;
};

/* 1 if absolute PATH is BASE or below it. */
static int is_inside(const char *path, const char *base) {
  size_t n = strlen(base);
  if (strncmp(path, base, n) != 0)
    return 0;
  return path[n] == '\0' || is_sep(path[n]) || (n > 0 && is_sep(base[n - 1]));
}

static int clean_one(const mklink_walk_entry *w, void *arg) {
  struct cleaner *c = arg;
  mm_entry *e;
  if (w->error != 0 || w->info == NULL)
    return 0; /* an unreadable directory: nothing to clean there */
  if (w->info->kind != MKLINK_FILE_SYMLINK && w->info->kind != MKLINK_DIR_SYMLINK &&
      w->info->kind != MKLINK_JUNCTION)
    return 0;
  /* dotbot removes only dead links into the dotfiles, unless force:. */
  if (!(c->opts & MM_CLEAN_FORCE) && !is_inside(w->info->resolved, c->m->base))
    return 0;
  if ((e = mm_add(c->m, MKLINK_OP_CLEAN, "clean", c->line, c->column)) == NULL ||
      (e->e.path = mm_strdup(c->m, w->path)) == NULL ||
      (e->e.target = mm_strdup(c->m, w->info->target)) == NULL) {
    c->rc = MKLINK_ENOMEM;
    return 1;
  }
  e->e.kind = w->info->kind == MKLINK_JUNCTION ? MKLINK_JUNCTION : MKLINK_FILE_SYMLINK;
  e->opts = c->opts;
  return 0;
}

int mm_clean(mklink_manifest *m, const char *dir, unsigned opts, unsigned line,
             unsigned column) {
  struct cleaner c;
  unsigned flags = MKLINK_WALK_BROKEN;
  int rc, type;
  if ((rc = mklink__node_type(dir, 1, &type)) != 0)
    return rc;
  if (type != MKLINK__NODE_DIR) {
    mm_entry *e = mm_add(m, MKLINK_OP_SKIP, "clean", line, column);
    if (e == NULL || (e->e.path = mm_strdup(m, dir)) == NULL)
      return MKLINK_ENOMEM;
    e->e.note = "no such directory: nothing to clean";
    return 0;
  }
  c.m = m;
  c.opts = opts;
  c.line = line;
  c.column = column;
  c.rc = 0;
  if (opts & MM_CLEAN_RECURSIVE)
    flags |= MKLINK_WALK_RECURSIVE;
  rc = mklink_walk(dir, flags, clean_one, &c);
  return c.rc != 0 ? c.rc : rc;
}

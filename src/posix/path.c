/*
 * path.c -- the path operations of the POSIX backend that need the system:
 * the current directory, and paths made absolute against it.  The lexical
 * rules themselves are in src/common/path.c.
 *
 * The current directory is read into a buffer of PATH_MAX bytes first (no
 * allocation in the common case) and into a larger one only when it is
 * longer: a current directory may be far deeper than PATH_MAX, and a path
 * relative to it still works, so nothing here may need it to be short.
 */
#include "posix.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int mklink__cwd(char *buf, size_t size, size_t limit, char **heap, const char **cwd) {
  size_t cap = size;
  int saved;
  *heap = NULL;
  if (os_getcwd(buf, size) != NULL) {
    *cwd = buf;
    return 0;
  }
  while (errno == ERANGE && (limit == 0 || cap < limit) && cap < SIZE_MAX / 4) {
    char *grown;
    cap *= 4;
    if (limit != 0 && cap > limit)
      cap = limit;
    grown = realloc(*heap, cap);
    if (grown == NULL) {
      free(*heap);
      *heap = NULL;
      return MKLINK_ENOMEM;
    }
    *heap = grown;
    if (os_getcwd(*heap, cap) != NULL) {
      *cwd = *heap;
      return 0;
    }
  }
  saved = errno;
  free(*heap);
  *heap = NULL;
  return mklink__error(saved, MKLINK__CTX_PATH);
}

int mklink__absolute(const char *path, size_t prefix, size_t limit, char **out) {
  char buf[MKLINK__PATH_MAX], *heap = NULL;
  const char *cwd = NULL;
  size_t size;
  int rc;
  *out = NULL;
  if (!mklink__path_is_absolute(MKLINK__PATH_POSIX, path)) {
    rc = mklink__cwd(buf, limit != 0 && limit < sizeof buf ? limit : sizeof buf, limit, &heap,
                     &cwd);
    if (rc != 0)
      return rc;
  }
  /* Normalising never makes a path longer than CWD + "/" + PATH + "/". */
  size = (cwd != NULL ? strlen(cwd) + 1 : 0) + strlen(path) + 2;
  if (limit != 0 && size > limit)
    size = limit;
  *out = malloc(prefix + size);
  if (*out == NULL) {
    free(heap);
    return MKLINK_ENOMEM;
  }
  rc = mklink__path_absolute(MKLINK__PATH_POSIX, cwd, path, *out + prefix, size);
  free(heap);
  if (rc != 0) {
    free(*out);
    *out = NULL;
  }
  return rc;
}

/* ---- temporary names ---------------------------------------------------- */

int mklink__temp_name(const char *path, const char *tag, unsigned attempt, char **out) {
  static const char hex[] = "0123456789abcdef";
  char name[sizeof ".mklink-0123456789abcdef.tmp"];
  const char *base, *p;
  size_t dir_len, base_len, size;
  uint64_t h = 14695981039346656037u; /* FNV-1a */
  int i, rc;
  for (p = path; *p != '\0'; p++)
    h = (h ^ (unsigned char)*p) * 1099511628211u;
  for (p = tag; *p != '\0'; p++)
    h = (h ^ (unsigned char)*p) * 1099511628211u;
  /* The stack address differs between threads and, with ASLR, between
     processes; ATTEMPT moves on from a name that is taken. */
  h ^= (uint64_t)(uintptr_t)&base;
  h = (h ^ attempt) * 1099511628211u;
  h ^= h >> 29;
  memcpy(name, ".mklink-", 8);
  for (i = 0; i < 16; i++)
    name[8 + i] = hex[(h >> (60 - 4 * i)) & 0xF];
  memcpy(name + 24, ".tmp", 5);
  mklink__path_split(MKLINK__PATH_POSIX, path, &dir_len, &base, &base_len);
  size = dir_len + 1 + sizeof name;
  if ((*out = malloc(size)) == NULL)
    return MKLINK_ENOMEM;
  if ((rc = mklink__path_join(MKLINK__PATH_POSIX, path, dir_len, name, *out, size)) != 0) {
    free(*out);
    *out = NULL;
  }
  return rc;
}

/* ---- where the system goes ----------------------------------------------- */

/*
 * The kernel resolves a path physically: at "..", it goes to the parent of
 * the directory it has reached, which is not the component written before
 * the ".." when that component is a symbolic link.  A lexical result is
 * right wherever each component a ".." removes is a real directory, so only
 * those components are looked at (one readlinkat each, answering EINVAL for
 * a real entry); a symbolic link there is replaced by its text and the walk
 * goes on from there, as the kernel would.  What the system cannot resolve
 * either (a missing component, a loop, a name it refuses) ends the looking:
 * the rest is taken lexically, which is as good as any answer for a path
 * that leads nowhere.
 */

#define MKLINK__LINKS_MAX 40 /* symbolic links expanded at most (Linux's MAXSYMLINKS) */

typedef struct resolver {
  char *buf;       /* PREFIX bytes for the caller, then the path being built */
  size_t prefix;
  size_t len;      /* length of the path (after the prefix)                  */
  size_t cap;      /* bytes of BUF                                           */
  size_t *ends;    /* end of each component of the path                      */
  unsigned char *real; /* 1: known to be no symbolic link                    */
  size_t depth, depth_cap;
  size_t ends_here[32]; /* ENDS and REAL while the path is not deeper */
  unsigned char real_here[32];
  size_t base_len; /* the path starts with BASE (BASE_FD's path) while ... */
  int base_intact; /* ... this is 1, so it can be looked at relative to it */
  int base_fd;
  int follow_all;  /* look at every component, not only those ".." removes */
  int lexical;     /* 1 once looking failed: the rest is lexical            */
  unsigned links;
} resolver;

static char *path_of(resolver *r) { return r->buf + r->prefix; }

static int grow_path(resolver *r, size_t more) {
  size_t need = r->prefix + r->len + more + 2, cap;
  char *grown;
  if (need <= r->cap)
    return 0;
  for (cap = r->cap > 0 ? r->cap * 2 : 256; cap < need; cap *= 2)
    ;
  if ((grown = realloc(r->buf, cap)) == NULL)
    return MKLINK_ENOMEM;
  r->buf = grown;
  r->cap = cap;
  return 0;
}

/* Room for one more component in ENDS and REAL. */
static int room_for_component(resolver *r) {
  if (r->depth == r->depth_cap) {
    size_t cap = r->depth_cap * 2;
    int inline_now = r->ends == r->ends_here;
    size_t *ends = realloc(inline_now ? NULL : r->ends, cap * sizeof *ends);
    unsigned char *flags;
    if (ends == NULL)
      return MKLINK_ENOMEM;
    if (inline_now)
      memcpy(ends, r->ends_here, sizeof r->ends_here);
    r->ends = ends;
    if ((flags = realloc(inline_now ? NULL : r->real, cap)) == NULL)
      return MKLINK_ENOMEM;
    if (inline_now)
      memcpy(flags, r->real_here, sizeof r->real_here);
    r->real = flags;
    r->depth_cap = cap;
  }
  return 0;
}

static int push(resolver *r, const char *name, size_t n, int real) {
  char *p;
  int rc;
  if ((rc = room_for_component(r)) != 0 || (rc = grow_path(r, n + 1)) != 0)
    return rc;
  p = path_of(r);
  if (r->len > 1)
    p[r->len++] = '/';
  memcpy(p + r->len, name, n);
  r->len += n;
  p[r->len] = '\0';
  r->ends[r->depth] = r->len;
  r->real[r->depth++] = (unsigned char)real;
  return 0;
}

static void pop(resolver *r) {
  if (r->depth == 0)
    return; /* ".." of the root is the root */
  r->len = --r->depth > 0 ? r->ends[r->depth - 1] : 1;
  path_of(r)[r->len] = '\0';
  if (r->len < r->base_len)
    r->base_intact = 0;
}

/* Back to "/", for an absolute link text. */
static void reset(resolver *r) {
  r->depth = 0;
  r->len = 1;
  path_of(r)[1] = '\0';
  r->base_intact = 0;
}

/*
 * Look at the last component: 0 and *TEXT NULL if it is no symbolic link
 * (or cannot be looked at: R->lexical is then set), 0 and its text (in
 * TEXT_BUF, MKLINK__PATH_MAX bytes) if it is one, or an error of the
 * system.
 */
static int look(resolver *r, char *text_buf, const char **text) {
  const char *p = path_of(r);
  int fd = AT_FDCWD;
  ssize_t n;
  *text = NULL;
  if (r->base_intact && r->base_fd != -1) {
    fd = r->base_fd; /* relative to BASE: no length limit on BASE */
    p += r->base_len + (r->base_len > 1 ? 1 : 0);
  }
  n = os_readlinkat(fd, p, text_buf, MKLINK__PATH_MAX);
  if (n >= 0 && (size_t)n < MKLINK__PATH_MAX) {
    text_buf[n] = '\0';
    *text = text_buf;
    return 0;
  }
  if (n < 0 && errno == EINVAL) {
    r->real[r->depth - 1] = 1;
    return 0;
  }
  if (n < 0 && errno != ENOENT && errno != ENOTDIR && errno != ELOOP &&
      errno != ENAMETOOLONG && errno != EACCES)
    return mklink__error(errno, MKLINK__CTX_PATH);
  r->lexical = 1; /* the system could not follow it either */
  return 0;
}

/*
 * The last component is a symbolic link whose text is TEXT: the text takes
 * its place, and the rest of *TODO (from *POS) follows it, after AGAIN (the
 * ".." that made us look, or nothing).  *TODO becomes a malloc'ed string
 * (freed here when it is not ORIGINAL).
 */
static int expand(resolver *r, const char *text, const char *again, char **todo, size_t *pos,
                  const char *original) {
  size_t tlen = strlen(text), alen = strlen(again), rest = strlen(*todo + *pos);
  char *next = malloc(tlen + 1 + alen + 1 + rest + 1);
  if (next == NULL)
    return MKLINK_ENOMEM;
  memcpy(next, text, tlen);
  next[tlen] = '/';
  memcpy(next + tlen + 1, again, alen);
  next[tlen + 1 + alen] = '/';
  memcpy(next + tlen + 2 + alen, *todo + *pos, rest + 1);
  pop(r);
  if (text[0] == '/')
    reset(r);
  if (*todo != original)
    free(*todo);
  *todo = next;
  *pos = 0;
  return 0;
}

/* Resolve the path *TODO from where R stands (see expand() for *TODO). */
static int walk_components(resolver *r, char **todo, const char *original) {
  char text_buf[MKLINK__PATH_MAX];
  size_t pos = 0;
  for (;;) {
    const char *c = *todo + pos, *text;
    size_t n = 0;
    int rc, dotdot;
    while (*c == '/')
      c++;
    if (*c == '\0')
      return 0;
    while (c[n] != '\0' && c[n] != '/')
      n++;
    pos = (size_t)(c + n - *todo);
    if (n == 1 && c[0] == '.')
      continue;
    dotdot = n == 2 && c[0] == '.' && c[1] == '.';
    if (dotdot && (r->depth == 0 || r->lexical || r->real[r->depth - 1])) {
      pop(r);
      continue;
    }
    if (!dotdot) {
      if ((rc = push(r, c, n, 0)) != 0)
        return rc;
      if (!r->follow_all || r->lexical)
        continue;
    }
    if ((rc = look(r, text_buf, &text)) != 0)
      return rc;
    if (text == NULL || ++r->links > MKLINK__LINKS_MAX) {
      if (text != NULL)
        r->lexical = 1; /* a loop, as the kernel would say */
      if (dotdot)
        pop(r);
      continue;
    }
    if ((rc = expand(r, text, dotdot ? ".." : "", todo, &pos, original)) != 0)
      return rc;
  }
}

/* REST from BASE by text alone, into a block after PREFIX bytes: the
   answer wherever no ".." of REST removes a name of its own (those of BASE
   are real directories). */
static int resolve_lexically(const char *base, const char *rest, size_t prefix, char **out) {
  size_t size = strlen(base) + strlen(rest) + 3;
  int rc;
  if ((*out = malloc(prefix + size)) == NULL)
    return MKLINK_ENOMEM;
  rc = mklink__path_absolute(MKLINK__PATH_POSIX, rest[0] == '/' ? NULL : base, rest,
                             *out + prefix, size);
  if (rc != 0) {
    free(*out);
    *out = NULL;
  }
  return rc;
}

int mklink__resolve(const char *base, int base_fd, const char *rest, int all, size_t prefix,
                    char **out) {
  resolver r;
  char *todo = (char *)rest;
  size_t up;
  int rc = 0;
  *out = NULL;
  if (!all && !mklink__path_dotdots(MKLINK__PATH_POSIX, rest, &up))
    return resolve_lexically(base, rest, prefix, out);
  memset(&r, 0, sizeof r);
  r.prefix = prefix;
  r.base_fd = base_fd;
  r.follow_all = all;
  r.ends = r.ends_here;
  r.real = r.real_here;
  r.depth_cap = sizeof r.ends_here / sizeof r.ends_here[0];
  if ((rc = grow_path(&r, strlen(base) + strlen(rest))) != 0)
    return rc;
  r.len = 1;
  path_of(&r)[0] = '/';
  path_of(&r)[1] = '\0';
  if (rest[0] != '/') {
    /* BASE (normalised) as it is; its components are real directories,
       never looked at. */
    size_t n = strlen(base), i;
    memcpy(path_of(&r), base, n + 1);
    r.len = n;
    for (i = 1; rc == 0 && n > 1 && i <= n; i++) {
      if (i < n && base[i] != '/')
        continue;
      if ((rc = room_for_component(&r)) == 0) {
        r.ends[r.depth] = i;
        r.real[r.depth++] = 1;
      }
    }
    r.base_len = r.len;
    r.base_intact = 1;
  }
  if (rc == 0)
    rc = walk_components(&r, &todo, rest);
  if (todo != rest)
    free(todo);
  if (r.ends != r.ends_here)
    free(r.ends);
  if (r.real != r.real_here)
    free(r.real);
  if (rc != 0) {
    free(r.buf);
    return rc;
  }
  *out = r.buf;
  return 0;
}

int mklink__resolve_path(const char *path, int all, size_t prefix, char **out) {
  char buf[MKLINK__PATH_MAX], *heap = NULL;
  const char *cwd;
  int rc;
  if (mklink__path_is_absolute(MKLINK__PATH_POSIX, path))
    return mklink__resolve("/", -1, path, all, prefix, out);
  if ((rc = mklink__cwd(buf, sizeof buf, 0, &heap, &cwd)) != 0)
    return rc;
  rc = mklink__resolve(cwd, AT_FDCWD, path, all, prefix, out);
  free(heap);
  return rc;
}

int mklink__physical_name(const char *path, char **out) {
  const char *base;
  size_t dir_len, base_len, len;
  char *dir, *grown;
  int rc;
  mklink__path_split(MKLINK__PATH_POSIX, path, &dir_len, &base, &base_len);
  len = strlen(path);
  if (base_len == 0 || path[len - 1] == '/' ||
      (base[0] == '.' && (base_len == 1 || (base_len == 2 && base[1] == '.'))))
    return mklink__resolve_path(path, 1, 0, out); /* itself a directory */
  if ((dir = malloc(dir_len + 2)) == NULL)
    return MKLINK_ENOMEM;
  memcpy(dir, dir_len > 0 ? path : ".", dir_len > 0 ? dir_len : 1);
  dir[dir_len > 0 ? dir_len : 1] = '\0';
  rc = mklink__resolve_path(dir, 1, 0, out);
  free(dir);
  if (rc != 0)
    return rc;
  len = strlen(*out);
  if ((grown = realloc(*out, len + 1 + base_len + 1)) == NULL) {
    free(*out);
    *out = NULL;
    return MKLINK_ENOMEM;
  }
  *out = grown;
  if (len > 1)
    grown[len++] = '/';
  memcpy(grown + len, base, base_len);
  grown[len + base_len] = '\0';
  return 0;
}

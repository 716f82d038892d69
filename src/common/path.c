/*
 * path.c -- lexical path logic (see path.h).  No OS call, no allocation: the
 * result is built in the caller's buffer, and ".." is undone by cutting that
 * buffer back to its previous separator.
 */
#include "path.h"

#include "internal.h"

#include <string.h>

static char sep_of(mklink__path_style style) {
  return style == MKLINK__PATH_WIN32 ? '\\' : '/';
}

int mklink__path_is_sep(mklink__path_style style, char c) {
  return c == '/' || (style == MKLINK__PATH_WIN32 && c == '\\');
}

static int is_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char fold(mklink__path_style style, char c) {
  if (style == MKLINK__PATH_WIN32 && c >= 'A' && c <= 'Z')
    return (char)(c - 'A' + 'a');
  return c;
}

/* "C:" at the start of PATH (Windows). */
static int has_drive(const char *path) {
  return is_letter(path[0]) && path[1] == ':';
}

/* Length of one component plus the separator after it, if any. */
static size_t component_and_sep(mklink__path_style style, const char *p) {
  size_t n = 0;
  while (p[n] != '\0' && !mklink__path_is_sep(style, p[n]))
    n++;
  if (mklink__path_is_sep(style, p[n]))
    n++;
  return n;
}

static size_t win32_root(const char *path) {
  const mklink__path_style w = MKLINK__PATH_WIN32;
  size_t n;
  if (path[0] == '\\' && path[1] == '\\' && path[2] == '?' && path[3] == '\\') {
    /* \\?\C:\ , \\?\Volume{...}\ , \\?\UNC\server\share\ */
    if ((path[4] == 'U' || path[4] == 'u') && (path[5] == 'N' || path[5] == 'n') &&
        (path[6] == 'C' || path[6] == 'c') && path[7] == '\\') {
      n = 8 + component_and_sep(w, path + 8);
      return n + component_and_sep(w, path + n);
    }
    return 4 + component_and_sep(w, path + 4);
  }
  if (mklink__path_is_sep(w, path[0]) && mklink__path_is_sep(w, path[1])) {
    n = 2 + component_and_sep(w, path + 2);    /* server */
    return n + component_and_sep(w, path + n); /* share */
  }
  if (has_drive(path) && mklink__path_is_sep(w, path[2]))
    return 3;
  return 0;
}

size_t mklink__path_root(mklink__path_style style, const char *path) {
  if (style == MKLINK__PATH_WIN32)
    return win32_root(path);
  return path[0] == '/' ? 1 : 0;
}

int mklink__path_is_absolute(mklink__path_style style, const char *path) {
  return mklink__path_root(style, path) > 0;
}

/* Write ROOT (N bytes) with native separators, always ending in one. */
static int emit_root(mklink__path_style style, const char *root, size_t n,
                     char *out, size_t outsz, size_t *len) {
  size_t i;
  int ends_with_sep = n > 0 && mklink__path_is_sep(style, root[n - 1]);
  if (n + (ends_with_sep ? 0 : 1) + 1 > outsz)
    return MKLINK_ENAMETOOLONG;
  for (i = 0; i < n; i++)
    out[i] = mklink__path_is_sep(style, root[i]) ? sep_of(style) : root[i];
  if (!ends_with_sep)
    out[i++] = sep_of(style);
  out[i] = '\0';
  *len = i;
  return 0;
}

/* Cut OUT back by its last component, never below the root. */
static void pop_component(mklink__path_style style, char *out, size_t root_len,
                          size_t *len) {
  size_t q = *len;
  while (q > root_len && out[q - 1] != sep_of(style))
    q--;
  if (q > root_len)
    q--; /* the separator before the component */
  *len = q;
  out[q] = '\0';
}

/* Append the components of SRC to OUT (which holds a root of ROOT_LEN). */
static int push_components(mklink__path_style style, const char *src, char *out,
                           size_t outsz, size_t root_len, size_t *len) {
  const char *p = src;
  while (*p != '\0') {
    const char *start;
    size_t n, need;
    while (mklink__path_is_sep(style, *p))
      p++;
    start = p;
    while (*p != '\0' && !mklink__path_is_sep(style, *p))
      p++;
    n = (size_t)(p - start);
    if (n == 0 || (n == 1 && start[0] == '.'))
      continue;
    if (n == 2 && start[0] == '.' && start[1] == '.') {
      pop_component(style, out, root_len, len);
      continue;
    }
    need = (*len > root_len ? 1 : 0) + n;
    if (*len + need + 1 > outsz)
      return MKLINK_ENAMETOOLONG;
    if (*len > root_len)
      out[(*len)++] = sep_of(style);
    memcpy(out + *len, start, n);
    *len += n;
    out[*len] = '\0';
  }
  return 0;
}

/* OUT = ROOT then components of A then of B. */
static int build(mklink__path_style style, const char *root, size_t root_n,
                 const char *a, const char *b, char *out, size_t outsz) {
  size_t len, root_len;
  int rc = emit_root(style, root, root_n, out, outsz, &len);
  if (rc != 0)
    return rc;
  root_len = len;
  if (a != NULL && (rc = push_components(style, a, out, outsz, root_len, &len)) != 0)
    return rc;
  if (b != NULL && (rc = push_components(style, b, out, outsz, root_len, &len)) != 0)
    return rc;
  return 0;
}

int mklink__path_absolute(mklink__path_style style, const char *cwd,
                          const char *path, char *out, size_t outsz) {
  size_t root = mklink__path_root(style, path);
  size_t cwd_root;
  if (root > 0)
    return build(style, path, root, path + root, NULL, out, outsz);
  if (cwd == NULL || (cwd_root = mklink__path_root(style, cwd)) == 0)
    return MKLINK_EINVAL;
  if (style == MKLINK__PATH_WIN32 && mklink__path_is_sep(style, path[0]))
    return build(style, cwd, cwd_root, path, NULL, out, outsz); /* "\x" */
  if (style == MKLINK__PATH_WIN32 && has_drive(path)) {       /* "C:x" */
    char drive[3];
    if (has_drive(cwd) && fold(style, cwd[0]) == fold(style, path[0]))
      return build(style, cwd, cwd_root, cwd + cwd_root, path + 2, out, outsz);
    drive[0] = path[0];
    drive[1] = ':';
    drive[2] = '\\';
    return build(style, drive, 3, path + 2, NULL, out, outsz);
  }
  return build(style, cwd, cwd_root, cwd + cwd_root, path, out, outsz);
}

/* The next component at or after *P (length in *N), or NULL at the end. */
static const char *next_component(mklink__path_style style, const char **p,
                                  size_t *n) {
  const char *start;
  while (mklink__path_is_sep(style, **p))
    (*p)++;
  if (**p == '\0')
    return NULL;
  start = *p;
  while (**p != '\0' && !mklink__path_is_sep(style, **p))
    (*p)++;
  *n = (size_t)(*p - start);
  return start;
}

static int same_text(mklink__path_style style, const char *a, const char *b,
                     size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    int sa = mklink__path_is_sep(style, a[i]), sb = mklink__path_is_sep(style, b[i]);
    if (sa != sb || (!sa && fold(style, a[i]) != fold(style, b[i])))
      return 0;
  }
  return 1;
}

static int append(mklink__path_style style, const char *s, size_t n, char *out,
                  size_t outsz, size_t *len) {
  size_t need = (*len > 0 ? 1 : 0) + n;
  if (*len + need + 1 > outsz)
    return MKLINK_ENAMETOOLONG;
  if (*len > 0)
    out[(*len)++] = sep_of(style);
  memcpy(out + *len, s, n);
  *len += n;
  out[*len] = '\0';
  return 0;
}

int mklink__path_relative(mklink__path_style style, const char *from,
                          const char *to, char *out, size_t outsz) {
  size_t rf = mklink__path_root(style, from), rt = mklink__path_root(style, to);
  const char *a, *b, *ca, *cb, *p;
  size_t na = 0, nb = 0, len = 0;
  int rc;
  if (rf == 0 || rf != rt || !same_text(style, from, to, rf))
    return MKLINK_EXDEV;
  a = from + rf;
  b = to + rt;
  for (;;) {
    const char *pa = a, *pb = b;
    ca = next_component(style, &pa, &na);
    cb = next_component(style, &pb, &nb);
    if (ca == NULL || cb == NULL || na != nb || !same_text(style, ca, cb, na))
      break;
    a = pa;
    b = pb;
  }
  if (outsz < 1)
    return MKLINK_ENAMETOOLONG;
  out[0] = '\0';
  p = a;
  while (next_component(style, &p, &na) != NULL)
    if ((rc = append(style, "..", 2, out, outsz, &len)) != 0)
      return rc;
  p = b;
  while ((cb = next_component(style, &p, &nb)) != NULL)
    if ((rc = append(style, cb, nb, out, outsz, &len)) != 0)
      return rc;
  if (len == 0)
    return append(style, ".", 1, out, outsz, &len);
  return 0;
}

void mklink__path_split(mklink__path_style style, const char *path,
                        size_t *dir_len, const char **base, size_t *base_len) {
  size_t root = mklink__path_root(style, path);
  size_t end = strlen(path), start, d;
  if (root == 0 && style == MKLINK__PATH_WIN32 && has_drive(path))
    root = 2; /* "C:x": the drive stays with the directory */
  while (end > root && mklink__path_is_sep(style, path[end - 1]))
    end--;
  start = end;
  while (start > root && !mklink__path_is_sep(style, path[start - 1]))
    start--;
  d = start;
  while (d > root && mklink__path_is_sep(style, path[d - 1]))
    d--;
  *dir_len = d;
  *base = path + start;
  *base_len = end - start;
}

int mklink__path_join(mklink__path_style style, const char *dir, size_t dir_len,
                      const char *name, char *out, size_t outsz) {
  size_t n = strlen(name);
  int sep = dir_len > 0 && !mklink__path_is_sep(style, dir[dir_len - 1]);
  if (style == MKLINK__PATH_WIN32 && dir_len == 2 && has_drive(dir))
    sep = 0; /* "C:" + "x" is "C:x", relative to drive C:'s directory */
  if (dir_len + (size_t)sep + n + 1 > outsz)
    return MKLINK_ENAMETOOLONG;
  memcpy(out, dir, dir_len);
  if (sep)
    out[dir_len] = sep_of(style);
  memcpy(out + dir_len + (size_t)sep, name, n + 1);
  return 0;
}

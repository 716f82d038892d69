/*
 * path.c -- lexical path logic (see path.h).  No OS call, no allocation:
 * the result is built in the caller's buffer, and only the final result has
 * to fit in it.
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

/* Length of one component at P, without the separator after it. */
static size_t component(mklink__path_style style, const char *p) {
  size_t n = 0;
  while (p[n] != '\0' && !mklink__path_is_sep(style, p[n]))
    n++;
  return n;
}

/* Length of one component plus the separator after it, if any. */
static size_t component_and_sep(mklink__path_style style, const char *p) {
  size_t n = component(style, p);
  return mklink__path_is_sep(style, p[n]) ? n + 1 : n;
}

/* "server\share\" at P, as much of it as is there: the server, then the
   share and the separator after each, any of them possibly missing (a UNC
   path is fully qualified however little of its root it has).  Separators
   after the server are one, as GetFullPathNameW makes them: the share is
   the next name. */
static size_t unc_tail(const char *p) {
  const mklink__path_style w = MKLINK__PATH_WIN32;
  size_t n = component(w, p);
  if (!mklink__path_is_sep(w, p[n]))
    return n; /* "\\server": no share */
  while (mklink__path_is_sep(w, p[n]))
    n++;
  return n + component_and_sep(w, p + n);
}

static size_t win32_root(const char *path) {
  const mklink__path_style w = MKLINK__PATH_WIN32;
  if (mklink__path_is_sep(w, path[0]) && mklink__path_is_sep(w, path[1]) && path[2] == '?' &&
      mklink__path_is_sep(w, path[3])) {
    /* \\?\C:\ , \\?\Volume{...}\ , \\?\UNC\server\share\ */
    if ((path[4] == 'U' || path[4] == 'u') && (path[5] == 'N' || path[5] == 'n') &&
        (path[6] == 'C' || path[6] == 'c') &&
        (path[7] == '\0' || mklink__path_is_sep(w, path[7])))
      return path[7] == '\0' ? 7 : 8 + unc_tail(path + 8);
    return 4 + component_and_sep(w, path + 4);
  }
  if (mklink__path_is_sep(w, path[0]) && mklink__path_is_sep(w, path[1]))
    return 2 + unc_tail(path + 2);
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

/* Write ROOT (N bytes) with native separators, always ending in one; a run
   of separators after the first two (the "\\" of a UNC root) is one. */
static int emit_root(mklink__path_style style, const char *root, size_t n,
                     char *out, size_t outsz, size_t *len) {
  size_t i, o = 0;
  int ends_with_sep = n > 0 && mklink__path_is_sep(style, root[n - 1]);
  for (i = 0; i < n; i++)
    if (!(i >= 2 && mklink__path_is_sep(style, root[i]) &&
          mklink__path_is_sep(style, root[i - 1])))
      o++;
  if (o + (ends_with_sep ? 0 : 1) + 1 > outsz)
    return MKLINK_ENAMETOOLONG;
  for (i = 0, o = 0; i < n; i++) {
    int sep = mklink__path_is_sep(style, root[i]);
    if (sep && i >= 2 && mklink__path_is_sep(style, root[i - 1]))
      continue;
    out[o++] = sep ? sep_of(style) : root[i];
  }
  if (!ends_with_sep)
    out[o++] = sep_of(style);
  out[o] = '\0';
  *len = o;
  return 0;
}

/* The component before *END in [BEGIN, *END) (length in *N), moving *END
   back to its start; NULL when there is none. */
static const char *prev_component(mklink__path_style style, const char *begin,
                                  const char **end, size_t *n) {
  const char *e = *end, *start;
  while (e > begin && mklink__path_is_sep(style, e[-1]))
    e--;
  if (e == begin) {
    *end = e;
    return NULL;
  }
  start = e;
  while (start > begin && !mklink__path_is_sep(style, start[-1]))
    start--;
  *n = (size_t)(e - start);
  *end = start;
  return start;
}

/*
 * The components of A then B, normalised, read from the last to the first:
 * a ".." cancels the next surviving component to its left (or nothing at the
 * root), "." and empty ones vanish.  Going backwards tells which components
 * survive before anything is written, so a result is refused only when it,
 * not some intermediate state, is too long.  Returns the length of the
 * survivors joined by separators; with DST, also writes them so that they
 * end at DST + that length (DST_END).
 */
static size_t survivors(mklink__path_style style, const char *a, const char *b,
                        char *dst_end) {
  const char *srcs[2];
  size_t skip = 0, len = 0, i, n = 0;
  int first = 1;
  srcs[0] = b;
  srcs[1] = a;
  for (i = 0; i < 2; i++) {
    const char *end, *c;
    if (srcs[i] == NULL)
      continue;
    end = srcs[i] + strlen(srcs[i]);
    while ((c = prev_component(style, srcs[i], &end, &n)) != NULL) {
      if (n == 1 && c[0] == '.')
        continue;
      if (n == 2 && c[0] == '.' && c[1] == '.') {
        skip++;
        continue;
      }
      if (skip > 0) {
        skip--;
        continue;
      }
      if (!first) {
        len++;
        if (dst_end != NULL)
          *--dst_end = sep_of(style);
      }
      len += n;
      if (dst_end != NULL) {
        dst_end -= n;
        memcpy(dst_end, c, n);
      }
      first = 0;
    }
  }
  return len;
}

/* OUT = ROOT then the normalised components of A then of B. */
static int build(mklink__path_style style, const char *root, size_t root_n,
                 const char *a, const char *b, char *out, size_t outsz) {
  size_t root_len, len = survivors(style, a, b, NULL);
  int rc = emit_root(style, root, root_n, out, outsz, &root_len);
  if (rc != 0)
    return rc;
  if (root_len + len + 1 > outsz)
    return MKLINK_ENAMETOOLONG;
  survivors(style, a, b, out + root_len + len);
  out[root_len + len] = '\0';
  /* A UNC root without its share ("\\server") takes the first component as
     the share: the result must end that root with a separator too. */
  if (style == MKLINK__PATH_WIN32 && len > 0 && win32_root(out) == root_len + len) {
    if (root_len + len + 2 > outsz)
      return MKLINK_ENAMETOOLONG;
    out[root_len + len] = sep_of(style);
    out[root_len + len + 1] = '\0';
  }
  return 0;
}

/* 1 if the POSIX components from C on are normal: none empty, "." or "..",
   no trailing separator. */
static int normal_components(const char *c) {
  for (;;) {
    const char *start = c;
    while (*c != '\0' && *c != '/')
      c++;
    if (c == start)
      return 0;
    if (start[0] == '.' && (c - start == 1 || (c - start == 2 && start[1] == '.')))
      return 0;
    if (*c == '\0')
      return 1;
    c++;
  }
}

/* 1 if PATH is a normal absolute POSIX path ("/" included). */
static int posix_normal_absolute(const char *path) {
  return path[0] == '/' && (path[1] == '\0' || normal_components(path + 1));
}

/*
 * OUT = CWD (a normal absolute POSIX path) joined with PATH when PATH is
 * leading ".." components and then normal ones; 1 if PATH has another
 * shape (nothing written), else 0 or MKLINK_ENAMETOOLONG.
 */
static int posix_join_normal(const char *cwd, const char *path, char *out,
                             size_t outsz) {
  size_t la = strlen(cwd), lb;
  while (path[0] == '.' && path[1] == '.' && (path[2] == '/' || path[2] == '\0')) {
    while (la > 1 && cwd[la - 1] != '/')
      la--;
    if (la > 1)
      la--; /* the separator before the component */
    path += path[2] == '/' ? 3 : 2;
  }
  if (path[0] != '\0' && !normal_components(path))
    return 1;
  lb = strlen(path);
  if (la + (lb > 0 && la > 1 ? 1 : 0) + lb + 1 > outsz)
    return MKLINK_ENAMETOOLONG;
  memmove(out, cwd, la);
  if (lb > 0 && la > 1)
    out[la++] = '/';
  memcpy(out + la, path, lb + 1);
  return 0;
}

int mklink__path_is_normal(const char *path) { return posix_normal_absolute(path); }

int mklink__path_absolute_in_normal(const char *cwd, const char *path, char *out,
                                    size_t outsz) {
  if (path[0] == '/')
    return 1;
  return posix_join_normal(cwd, path, out, outsz);
}

int mklink__path_absolute(mklink__path_style style, const char *cwd,
                          const char *path, char *out, size_t outsz) {
  size_t root = mklink__path_root(style, path);
  size_t cwd_root;
  /* Junction targets, link texts and current directories are usually
     normal already: then a scan and a copy replace the normalisation (a
     fifth of the instructions; bench/run, create-junction and query rows). */
  if (style == MKLINK__PATH_POSIX) {
    int rc = 1;
    if (root > 0 && posix_normal_absolute(path))
      rc = posix_join_normal(path, "", out, outsz);
    else if (root == 0 && cwd != NULL && posix_normal_absolute(cwd))
      rc = posix_join_normal(cwd, path, out, outsz);
    if (rc != 1)
      return rc;
  }
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
  while ((cb = next_component(style, &p, &nb)) != NULL) {
    /* A first component "C:..." would read as a drive: say ".\C:..." */
    if (len == 0 && style == MKLINK__PATH_WIN32 && has_drive(cb) &&
        (rc = append(style, ".", 1, out, outsz, &len)) != 0)
      return rc;
    if ((rc = append(style, cb, nb, out, outsz, &len)) != 0)
      return rc;
  }
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

int mklink__path_dotdots(mklink__path_style style, const char *path, size_t *up) {
  const char *p = path, *c;
  size_t n = 0;
  int named = 0;
  *up = 0;
  while ((c = next_component(style, &p, &n)) != NULL) {
    int dotdot = n == 2 && c[0] == '.' && c[1] == '.';
    if (n == 1 && c[0] == '.')
      continue;
    if (dotdot && named)
      return 1;
    if (dotdot)
      (*up)++;
    else
      named = 1;
  }
  return 0;
}

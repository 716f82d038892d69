/* fuzz_path.c -- the lexical path normaliser (src/common/path.h), used for
 * junction targets and MKLINK_RELATIVE, and the name rules of the
 * portability check (src/common/portable.h).
 *
 * Input: one byte choosing the style (bit 0: POSIX or Windows) and the
 * operation (bit 2 set: the name rules; else bit 1: absolute, or relative
 * between two absolute paths), then two strings separated by the first NUL
 * (the current directory and the path, or FROM and TO; for the name rules,
 * a name -- its '/' bytes end it -- and a link text).
 *
 * Checks, for mklink__path_absolute: only documented results; the output is
 * fully qualified, uses only the style's own separator, has no empty, "." or
 * ".." component and no trailing separator after the root, is never longer
 * than CWD + PATH + 2, is a fixed point (normalising it again changes
 * nothing), and fits a buffer of exactly its size but not one byte less.
 * For mklink__path_relative: the result is relative, and resolving it
 * against FROM gives TO again.
 *
 * For the name rules (mklink__name_check, mklink__name_key,
 * mklink__utf8_next, mklink__target_leaves): each bit found is true of the
 * name (the offset it gives holds such a character; a trailing dot is the
 * last byte; too long iff over 255 UTF-16 units; bad UTF-8 iff
 * mklink__utf8_valid says so, and the decoder stops there), the UTF-16
 * length agrees with the key and with a decode of the whole name, the key
 * does not change when ASCII letters change case and holds upcased units
 * only, a device name stays one with an extension added, and a link text
 * that leaves the checked directory from some depth leaves it from every
 * smaller depth.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mklink.h"
#include "path.h"
#include "portable.h"

#define CHECK(cond)                                                        \
  do {                                                                     \
    if (!(cond)) {                                                         \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__,    \
              #cond);                                                      \
      abort();                                                             \
    }                                                                      \
  } while (0)

#define CHECK_PATHS(cond, a, b)                                            \
  do {                                                                     \
    if (!(cond)) {                                                         \
      fprintf(stderr, "%s:%d: check failed: %s\n  [%s]\n  [%s]\n",         \
              __FILE__, __LINE__, #cond, (a), (b));                        \
      abort();                                                             \
    }                                                                      \
  } while (0)

static char native_sep(mklink__path_style st) {
  return st == MKLINK__PATH_WIN32 ? '\\' : '/';
}

static int is_sep(mklink__path_style st, char c) {
  return mklink__path_is_sep(st, c);
}

static char fold(mklink__path_style st, char c) {
  if (st == MKLINK__PATH_WIN32 && c >= 'A' && c <= 'Z')
    return (char)(c - 'A' + 'a');
  return c;
}

static int same_path(mklink__path_style st, const char *a, const char *b) {
  size_t i;
  if (strlen(a) != strlen(b))
    return 0;
  for (i = 0; a[i] != '\0'; i++)
    if (fold(st, a[i]) != fold(st, b[i]))
      return 0;
  return 1;
}

static char *dup(const char *s) {
  size_t n = strlen(s) + 1;
  char *d = malloc(n);
  CHECK(d != NULL);
  return memcpy(d, s, n);
}

/* mklink__path_absolute into a heap block of exactly OUTSZ bytes, so ASan
   sees a write past it; on success *RES is a copy of the result. */
static int absolute_exact(mklink__path_style st, const char *cwd,
                          const char *path, size_t outsz, char **res) {
  char *out = malloc(outsz ? outsz : 1);
  int rc;
  CHECK(out != NULL);
  rc = mklink__path_absolute(st, cwd, path, out, outsz);
  *res = NULL;
  if (rc == 0) {
    CHECK(memchr(out, '\0', outsz) != NULL);
    *res = dup(out);
  }
  free(out);
  return rc;
}

/* After the root: components separated by one native separator, none empty,
   "." or "..", no separator at the end. */
static void check_normalised(mklink__path_style st, const char *out) {
  size_t root = mklink__path_root(st, out), i, start;
  size_t n = strlen(out);
  CHECK_PATHS(root > 0 && root <= n, out, "not fully qualified");
  for (i = 0; i < n; i++)
    CHECK_PATHS(!is_sep(st, out[i]) || out[i] == native_sep(st), out,
                "foreign separator");
  CHECK_PATHS(is_sep(st, out[root - 1]), out, "root without a separator");
  if (root == n)
    return;
  start = root;
  for (i = root; i <= n; i++) {
    if (i < n && !is_sep(st, out[i]))
      continue;
    CHECK_PATHS(i > start, out, "empty component");
    CHECK_PATHS(!(i - start == 1 && out[start] == '.'), out, "'.' component");
    CHECK_PATHS(!(i - start == 2 && out[start] == '.' && out[start + 1] == '.'),
                out, "'..' component");
    start = i + 1;
  }
}

static void fuzz_absolute(mklink__path_style st, const char *cwd,
                          const char *path) {
  size_t bound = strlen(cwd) + strlen(path) + 2, n;
  char *out = NULL, *again = NULL, *exact = NULL;
  int rc = absolute_exact(st, cwd, path, bound + 1, &out);
  if (rc != 0) {
    /* With room for CWD + PATH + 2, the only error is a PATH that needs a
       CWD without one (a Windows path with two leading separators never
       does: it is UNC, however little of its root it has). */
    CHECK_PATHS(rc == MKLINK_EINVAL, cwd, path);
    CHECK_PATHS(!mklink__path_is_absolute(st, path), cwd, path);
    CHECK_PATHS(!mklink__path_is_absolute(st, cwd), cwd, path);
    return;
  }
  n = strlen(out);
  CHECK_PATHS(n <= bound, cwd, path);
  check_normalised(st, out);

  CHECK(absolute_exact(st, NULL, out, n + 1, &again) == 0);
  CHECK_PATHS(strcmp(again, out) == 0, out, again);
  CHECK(absolute_exact(st, cwd, path, n + 1, &exact) == 0);
  CHECK_PATHS(strcmp(exact, out) == 0, out, exact);
  free(exact);
  CHECK(absolute_exact(st, cwd, path, n, &exact) == MKLINK_ENAMETOOLONG);
  free(out);
  free(again);
}

static void fuzz_relative(mklink__path_style st, const char *a,
                          const char *b) {
  char *from = NULL, *to = NULL, *rel = NULL, *back = NULL;
  size_t cap;
  int rc;
  /* Both sides must be absolute and normalised first. */
  if (absolute_exact(st, NULL, a, strlen(a) + 3, &from) != 0)
    return;
  if (absolute_exact(st, NULL, b, strlen(b) + 3, &to) != 0) {
    free(from);
    return;
  }
  /* Each component of FROM becomes at most "..\" and TO's rest is copied. */
  cap = 3 * strlen(from) + strlen(to) + 3;
  rel = malloc(cap);
  CHECK(rel != NULL);
  rc = mklink__path_relative(st, from, to, rel, cap);
  if (rc != 0) {
    CHECK_PATHS(rc == MKLINK_EXDEV, from, to);
  } else {
    CHECK_PATHS(memchr(rel, '\0', cap) != NULL, from, to);
    CHECK_PATHS(rel[0] != '\0' && !mklink__path_is_absolute(st, rel), from, rel);
    CHECK_PATHS(!is_sep(st, rel[0]), from, rel);
    CHECK(absolute_exact(st, from, rel, strlen(from) + strlen(rel) + 3,
                         &back) == 0);
    CHECK_PATHS(same_path(st, back, to), back, to);
  }
  free(from);
  free(to);
  free(rel);
  free(back);
}

/* ---- the name rules ------------------------------------------------------ */

/* The UTF-16 length of NAME by decoding it: a code point above the BMP is
   two units, an invalid byte one. */
static size_t decoded_units(const char *name, size_t len, size_t *first_bad) {
  const unsigned char *u = (const unsigned char *)name;
  size_t i = 0, units = 0, at;
  long cp;
  *first_bad = len;
  while (i < len) {
    at = i;
    cp = mklink__utf8_next(u, len, &i);
    CHECK(i > at && i <= len);
    if (cp < 0 && *first_bad == len)
      *first_bad = at;
    CHECK(cp < 0 || (cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF)));
    units += cp > 0xFFFF ? 2 : 1;
  }
  return units;
}

static void check_key_case(const char *name, size_t len, const uint16_t *key, size_t n) {
  char *flipped = malloc(len + 1);
  uint16_t *other = malloc((len + 1) * sizeof *other);
  size_t i, m;
  CHECK(flipped != NULL && other != NULL);
  for (i = 0; i < len; i++) {
    char c = name[i];
    if (c >= 'a' && c <= 'z')
      c = (char)(c - 'a' + 'A');
    else if (c >= 'A' && c <= 'Z')
      c = (char)(c - 'A' + 'a');
    flipped[i] = c;
  }
  m = mklink__name_key(flipped, len, other);
  CHECK(m == n);
  CHECK(n == 0 || memcmp(key, other, n * sizeof *key) == 0);
  for (i = 0; i < n; i++)
    if (key[i] < 0xD800 || key[i] > 0xDFFF)
      CHECK(mklink__upcase_unit(key[i]) == key[i]); /* upcased already */
  free(flipped);
  free(other);
}

static void check_name(const char *name, size_t len) {
  mklink__name_report r, ext;
  unsigned found = mklink__name_check(name, len, &r);
  const unsigned all = MKLINK__NAME_RESERVED | MKLINK__NAME_FORBIDDEN | MKLINK__NAME_CONTROL |
                       MKLINK__NAME_TRAILING | MKLINK__NAME_TOO_LONG | MKLINK__NAME_BAD_UTF8;
  size_t bad, units = decoded_units(name, len, &bad), n;
  uint16_t *key = malloc((len + 1) * sizeof *key);
  char *longer = malloc(len + 5);
  CHECK(key != NULL && longer != NULL);
  CHECK(found == r.found && (found & ~all) == 0);
  CHECK(r.units == units);
  CHECK(((found & MKLINK__NAME_TOO_LONG) != 0) == (units > MKLINK__NAME_MAX_UNITS));
  CHECK(((found & MKLINK__NAME_BAD_UTF8) != 0) == !mklink__utf8_valid(name, len));
  CHECK(((found & MKLINK__NAME_BAD_UTF8) != 0) == (bad < len));
  if (found & MKLINK__NAME_BAD_UTF8)
    CHECK(r.bad_at == bad);
  if (found & MKLINK__NAME_FORBIDDEN)
    CHECK(r.forbidden_at < len && strchr("<>:\"\\|?*", name[r.forbidden_at]) != NULL &&
          name[r.forbidden_at] != '\0');
  if (found & MKLINK__NAME_CONTROL)
    CHECK(r.control_at < len && name[r.control_at] >= 1 && name[r.control_at] <= 31);
  if (found & MKLINK__NAME_TRAILING)
    CHECK(len > 0 && name[len - 1] == r.trailing && (r.trailing == '.' || r.trailing == ' '));
  else
    CHECK(len == 0 || (name[len - 1] != ' ' && name[len - 1] != '.'));
  if (found & MKLINK__NAME_RESERVED) {
    CHECK(r.device != NULL);
    /* An extension never makes a device name a file name. */
    memcpy(longer, name, len);
    memcpy(longer + len, ".txt", 4);
    CHECK(mklink__name_check(longer, len + 4, &ext) & MKLINK__NAME_RESERVED);
    CHECK(strcmp(ext.device, r.device) == 0);
  }
  n = mklink__name_key(name, len, key);
  CHECK(n == units);
  check_key_case(name, len, key, n);
  free(key);
  free(longer);
}

static void check_target(mklink__path_style st, const char *text) {
  size_t len = strlen(text), d;
  int before = 1, now;
  for (d = 0; d < 8; d++) {
    now = mklink__target_leaves(st, text, len, d);
    CHECK(now == 0 || now == 1);
    CHECK(!now || before); /* leaves from D: leaves from D - 1 too */
    before = now;
  }
  if (len >= 2 && text[0] == '.' && text[1] == '.' &&
      (len == 2 || mklink__path_is_sep(st, text[2])))
    CHECK(mklink__target_leaves(st, text, len, 0) == 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mklink__path_style st;
  char *buf, *a, *b;
  if (size < 1 || size > 8192)
    return 0;
  st = (data[0] & 1) ? MKLINK__PATH_WIN32 : MKLINK__PATH_POSIX;
  /* Two NULs at the end: the second string is at worst empty. */
  buf = malloc(size + 1);
  CHECK(buf != NULL);
  memcpy(buf, data + 1, size - 1);
  buf[size - 1] = '\0';
  buf[size] = '\0';
  a = buf;
  b = a + strlen(a) + 1;
  if (data[0] & 4) {
    check_name(a, strcspn(a, "/"));
    check_target(st, b);
  } else if (data[0] & 2)
    fuzz_relative(st, a, b);
  else
    fuzz_absolute(st, a, b);
  free(buf);
  return 0;
}

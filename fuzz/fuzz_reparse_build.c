/* fuzz_reparse_build.c -- the junction and symlink builders on arbitrary
 * paths.
 *
 * Input: one byte choosing the builder (junction, absolute symlink,
 * relative symlink), then the path, one UTF-16 unit per byte (U+0000 to
 * U+00FF).  Checks that only the documented errors come back and that
 * whatever a builder accepts encodes, decodes to the same value, and has the
 * promised shape.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mklink.h"
#include "reparse.h"

#define CHECK(cond)                                                        \
  do {                                                                     \
    if (!(cond)) {                                                         \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__,    \
              #cond);                                                      \
      abort();                                                             \
    }                                                                      \
  } while (0)

static int same(const mklink__reparse *a, const mklink__reparse *b) {
  return a->tag == b->tag && a->flags == b->flags &&
         a->subst_len == b->subst_len && a->print_len == b->print_len &&
         memcmp(a->subst, b->subst, a->subst_len * sizeof a->subst[0]) == 0 &&
         memcmp(a->print, b->print, a->print_len * sizeof a->print[0]) == 0;
}

static int has_unit(const uint16_t *s, size_t n, uint16_t c) {
  size_t i;
  for (i = 0; i < n; i++)
    if (s[i] == c)
      return 1;
  return 0;
}

static int starts_nt(const mklink__reparse *r) {
  return r->subst_len >= 4 && r->subst[0] == '\\' && r->subst[1] == '?' &&
         r->subst[2] == '?' && r->subst[3] == '\\';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static mklink__reparse a, b;
  static uint16_t path[1 << 16];
  static unsigned char buf[MKLINK__REPARSE_MAX];
  size_t i, n, len = 0;
  int mode, rc;
  if (size < 1 || size - 1 > sizeof path / sizeof path[0])
    return 0;
  mode = data[0] % 3;
  n = size - 1;
  for (i = 0; i < n; i++)
    path[i] = data[1 + i];

  if (mode == 0)
    rc = mklink__reparse_make_junction(path, n, &a);
  else
    rc = mklink__reparse_make_symlink(path, n, mode == 2, &a);
  if (rc != 0) {
    CHECK(rc == MKLINK_EINVAL || rc == MKLINK_ENAMETOOLONG ||
          (mode == 0 && rc == MKLINK_EREMOTE));
    /* The shortest path that does not fit is a UNC symlink of 4089 units. */
    CHECK(rc != MKLINK_ENAMETOOLONG || n > 4088);
    return 0;
  }
  CHECK(n > 0 && !has_unit(path, n, 0));
  CHECK(mklink__reparse_encode(&a, buf, sizeof buf, &len) == 0);
  CHECK(mklink__reparse_decode(buf, len, &b) == 0);
  CHECK(same(&a, &b));

  if (mode == 0) {
    CHECK(a.tag == MKLINK__IO_REPARSE_TAG_MOUNT_POINT && a.flags == 0);
    CHECK(starts_nt(&a) && !has_unit(a.subst, a.subst_len, '/'));
    CHECK(!has_unit(a.print, a.print_len, '/'));
    CHECK(a.print_len <= n && a.subst_len <= n + 4);
  } else {
    CHECK(a.tag == MKLINK__IO_REPARSE_TAG_SYMLINK);
    CHECK(a.print_len == n &&
          memcmp(a.print, path, n * sizeof path[0]) == 0); /* as typed */
    if (mode == 2) {
      CHECK(a.flags == MKLINK__SYMLINK_FLAG_RELATIVE);
      CHECK(a.subst_len == n &&
            memcmp(a.subst, path, n * sizeof path[0]) == 0);
    } else {
      CHECK(a.flags == 0 && starts_nt(&a));
      CHECK(!has_unit(a.subst, a.subst_len, '/'));
    }
  }
  return 0;
}

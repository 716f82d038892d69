/* fuzz_reparse.c -- the reparse buffer decoder on arbitrary bytes.
 *
 * Besides "no crash, no read out of bounds" (ASan), checks what the codec
 * promises: the decoder answers only 0, MKLINK__REPARSE_OTHER or
 * MKLINK_EBADREPARSE; whatever it accepts, the encoder writes back (unless
 * the names, overlapping in the input, need more than 16 KiB once laid out
 * apart) and the decoder reads again to the same value; and the encoder's
 * output is a fixed point of decode + encode.
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

static int is_link_tag(uint32_t tag) {
  return tag == MKLINK__IO_REPARSE_TAG_MOUNT_POINT ||
         tag == MKLINK__IO_REPARSE_TAG_SYMLINK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* 32 KiB each: static rather than on the fuzzer's stack. */
  static mklink__reparse a, b;
  static unsigned char buf[MKLINK__REPARSE_MAX], again[MKLINK__REPARSE_MAX];
  size_t len = 0, len2 = 0;
  int rc = mklink__reparse_decode(data, size, &a);

  if (rc == MKLINK__REPARSE_OTHER) {
    CHECK(!is_link_tag(a.tag));
    CHECK(a.subst_len == 0 && a.print_len == 0 && a.flags == 0);
    return 0;
  }
  if (rc != 0) {
    CHECK(rc == MKLINK_EBADREPARSE);
    CHECK(a.tag == 0 && a.flags == 0 && a.subst_len == 0 && a.print_len == 0);
    return 0;
  }
  CHECK(is_link_tag(a.tag));
  CHECK(a.subst_len <= MKLINK__REPARSE_NAME_MAX);
  CHECK(a.print_len <= MKLINK__REPARSE_NAME_MAX);
  CHECK(a.tag == MKLINK__IO_REPARSE_TAG_SYMLINK || a.flags == 0);
  /* Names come from inside the buffer: each needs no more bytes than the
     buffer has. */
  CHECK(2 * a.subst_len <= size && 2 * a.print_len <= size);
  CHECK(!mklink__reparse_is_volume_mount(&a) ||
        (a.tag == MKLINK__IO_REPARSE_TAG_MOUNT_POINT && a.subst_len == 49));

  rc = mklink__reparse_encode(&a, buf, sizeof buf, &len);
  if (a.subst_len + a.print_len > MKLINK__REPARSE_NAME_MAX) {
    CHECK(rc == MKLINK_ENAMETOOLONG);
    return 0;
  }
  CHECK(rc == 0);
  CHECK(len == 20 + 2 * (a.subst_len + a.print_len));

  CHECK(mklink__reparse_decode(buf, len, &b) == 0);
  CHECK(same(&a, &b));

  CHECK(mklink__reparse_encode(&b, again, sizeof again, &len2) == 0);
  CHECK(len2 == len);
  CHECK(memcmp(buf, again, len) == 0);
  return 0;
}

/* test_reparse.c -- the reparse buffer codec: the reference's worked bytes,
   round trips, other tags, and malformed buffers that must be refused
   without a read out of bounds (every decoded buffer sits in a heap block of
   exactly its length, so ASan sees any overrun). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mklink.h"
#include "reparse.h"

/* ---- helpers ----------------------------------------------------------- */

typedef struct pair {
  mklink__reparse *a, *b;
} pair;

static int setup(void **state) {
  pair *p = calloc(1, sizeof *p);
  if (p == NULL)
    return -1;
  p->a = calloc(1, sizeof *p->a);
  p->b = calloc(1, sizeof *p->b);
  if (p->a == NULL || p->b == NULL)
    return -1;
  *state = p;
  return 0;
}

static int teardown(void **state) {
  pair *p = *state;
  free(p->a);
  free(p->b);
  free(p);
  return 0;
}

#define TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

/* ASCII text as UTF-16 units; returns the unit count. */
static size_t u16(uint16_t *dst, const char *s) {
  size_t i, n = strlen(s);
  for (i = 0; i < n; i++)
    dst[i] = (uint16_t)(unsigned char)s[i];
  return n;
}

static void assert_name(const uint16_t *name, size_t n, const char *want) {
  size_t i;
  assert_int_equal(n, strlen(want));
  for (i = 0; i < n; i++)
    assert_int_equal(name[i], (unsigned char)want[i]);
}

static void assert_same(const mklink__reparse *a, const mklink__reparse *b) {
  assert_int_equal(a->tag, b->tag);
  assert_int_equal(a->flags, b->flags);
  assert_int_equal(a->subst_len, b->subst_len);
  assert_int_equal(a->print_len, b->print_len);
  assert_memory_equal(a->subst, b->subst, a->subst_len * sizeof a->subst[0]);
  assert_memory_equal(a->print, b->print, a->print_len * sizeof a->print[0]);
}

/* Decode a copy of BUF in a heap block of exactly LEN bytes. */
static int decode_exact(const unsigned char *buf, size_t len,
                        mklink__reparse *r) {
  unsigned char *copy = malloc(len ? len : 1);
  int rc;
  assert_non_null(copy);
  if (len)
    memcpy(copy, buf, len);
  rc = mklink__reparse_decode(copy, len, r);
  free(copy);
  return rc;
}

/* Encode R, decode the bytes into OUT, compare. */
static void round_trip(const mklink__reparse *r, mklink__reparse *out) {
  static unsigned char buf[MKLINK__REPARSE_MAX];
  size_t len = 0;
  assert_int_equal(mklink__reparse_encode(r, buf, sizeof buf, &len), 0);
  assert_int_equal(len, 20 + 2 * (r->subst_len + r->print_len));
  assert_int_equal(decode_exact(buf, len, out), 0);
  assert_same(r, out);
}

static void put16(unsigned char *p, unsigned v) {
  p[0] = (unsigned char)(v & 0xff);
  p[1] = (unsigned char)(v >> 8);
}

/* A junction buffer written by hand (not by the encoder), names ASCII, each
   with its NUL, substitute first.  Returns its length. */
static size_t raw_junction(unsigned char *b, const char *subst,
                           const char *print) {
  size_t s = 2 * strlen(subst), p = 2 * strlen(print), i;
  memset(b, 0, 20 + s + p);
  b[0] = 0x03, b[3] = 0xa0;
  put16(b + 4, (unsigned)(8 + s + 2 + p + 2));
  put16(b + 8, 0);
  put16(b + 10, (unsigned)s);
  put16(b + 12, (unsigned)(s + 2));
  put16(b + 14, (unsigned)p);
  for (i = 0; subst[i]; i++)
    b[16 + 2 * i] = (unsigned char)subst[i];
  for (i = 0; print[i]; i++)
    b[16 + s + 2 + 2 * i] = (unsigned char)print[i];
  return 20 + s + p;
}

/* The reference's worked examples. */
static const unsigned char junction_c_target[64] = {
    0x03, 0x00, 0x00, 0xa0, 0x38, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1a, 0x00,
    0x1c, 0x00, 0x12, 0x00, 0x5c, 0x00, 0x3f, 0x00, 0x3f, 0x00, 0x5c, 0x00,
    0x43, 0x00, 0x3a, 0x00, 0x5c, 0x00, 0x74, 0x00, 0x61, 0x00, 0x72, 0x00,
    0x67, 0x00, 0x65, 0x00, 0x74, 0x00, 0x00, 0x00, 0x43, 0x00, 0x3a, 0x00,
    0x5c, 0x00, 0x74, 0x00, 0x61, 0x00, 0x72, 0x00, 0x67, 0x00, 0x65, 0x00,
    0x74, 0x00, 0x00, 0x00};
static const unsigned char symlink_dot[24] = {
    0x0c, 0x00, 0x00, 0xa0, 0x10, 0x00, 0x00, 0x00, 0x02, 0x00, 0x02, 0x00,
    0x00, 0x00, 0x02, 0x00, 0x01, 0x00, 0x00, 0x00, 0x2e, 0x00, 0x2e, 0x00};

/* ---- worked examples --------------------------------------------------- */

static void test_junction_worked_example(void **state) {
  pair *p = *state;
  uint16_t path[16];
  unsigned char buf[128];
  size_t n = u16(path, "C:\\target"), len = 0;
  assert_int_equal(mklink__reparse_make_junction(path, n, p->a), 0);
  assert_int_equal(p->a->tag, MKLINK__IO_REPARSE_TAG_MOUNT_POINT);
  assert_name(p->a->subst, p->a->subst_len, "\\??\\C:\\target");
  assert_name(p->a->print, p->a->print_len, "C:\\target");
  memset(buf, 0xee, sizeof buf);
  assert_int_equal(mklink__reparse_encode(p->a, buf, sizeof buf, &len), 0);
  assert_int_equal(len, 64);
  assert_memory_equal(buf, junction_c_target, 64);
  assert_int_equal(buf[64], 0xee); /* nothing written past LEN */

  assert_int_equal(decode_exact(junction_c_target, 64, p->b), 0);
  assert_int_equal(p->b->tag, MKLINK__IO_REPARSE_TAG_MOUNT_POINT);
  assert_int_equal(p->b->flags, 0);
  assert_name(p->b->subst, p->b->subst_len, "\\??\\C:\\target");
  assert_name(p->b->print, p->b->print_len, "C:\\target");
  assert_same(p->a, p->b);
}

static void test_symlink_worked_example(void **state) {
  pair *p = *state;
  uint16_t dot[1];
  unsigned char buf[64];
  size_t len = 0;
  assert_int_equal(mklink__reparse_make_symlink(dot, u16(dot, "."), 1, p->a), 0);
  assert_int_equal(p->a->tag, MKLINK__IO_REPARSE_TAG_SYMLINK);
  assert_int_equal(p->a->flags, MKLINK__SYMLINK_FLAG_RELATIVE);
  memset(buf, 0xee, sizeof buf);
  assert_int_equal(mklink__reparse_encode(p->a, buf, sizeof buf, &len), 0);
  assert_int_equal(len, 24);
  assert_memory_equal(buf, symlink_dot, 24);
  assert_int_equal(buf[24], 0xee);

  assert_int_equal(decode_exact(symlink_dot, 24, p->b), 0);
  assert_int_equal(p->b->tag, MKLINK__IO_REPARSE_TAG_SYMLINK);
  assert_int_equal(p->b->flags, 1);
  assert_name(p->b->subst, p->b->subst_len, ".");
  assert_name(p->b->print, p->b->print_len, ".");
  assert_same(p->a, p->b);
}

/* Byte-by-byte access: a buffer at an odd address reads and writes the same. */
static void test_unaligned_buffers(void **state) {
  pair *p = *state;
  unsigned char store[80];
  uint16_t path[16];
  size_t len = 0;
  memcpy(store + 1, junction_c_target, 64);
  assert_int_equal(mklink__reparse_decode(store + 1, 64, p->a), 0);
  assert_name(p->a->subst, p->a->subst_len, "\\??\\C:\\target");
  memset(store, 0, sizeof store);
  assert_int_equal(mklink__reparse_make_junction(path, u16(path, "C:\\target"), p->b), 0);
  assert_int_equal(mklink__reparse_encode(p->b, store + 3, 64, &len), 0);
  assert_int_equal(len, 64);
  assert_memory_equal(store + 3, junction_c_target, 64);
}

/* ---- round trips ------------------------------------------------------- */

static void test_round_trip_symlinks(void **state) {
  pair *p = *state;
  static const struct {
    const char *target;
    int relative;
    const char *subst;
  } cases[] = {
      {"C:\\Users\\me\\file.txt", 0, "\\??\\C:\\Users\\me\\file.txt"},
      {"d:/data/x", 0, "\\??\\d:\\data\\x"},
      {"\\\\server\\share\\x", 0, "\\??\\UNC\\server\\share\\x"},
      {"\\\\?\\C:\\very\\long", 0, "\\??\\C:\\very\\long"},
      {"\\\\?\\UNC\\server\\share", 0, "\\??\\UNC\\server\\share"},
      {"..\\sibling\\f", 1, "..\\sibling\\f"},
      {"sub/dir", 1, "sub/dir"},
      {"\\rooted", 1, "\\rooted"},
  };
  uint16_t t[64];
  size_t i;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    size_t n = u16(t, cases[i].target);
    assert_int_equal(mklink__reparse_make_symlink(t, n, cases[i].relative, p->a), 0);
    assert_int_equal(p->a->flags, cases[i].relative ? 1u : 0u);
    assert_name(p->a->subst, p->a->subst_len, cases[i].subst);
    assert_name(p->a->print, p->a->print_len, cases[i].target); /* as typed */
    round_trip(p->a, p->b);
  }
}

static void test_round_trip_junctions(void **state) {
  pair *p = *state;
  static const struct {
    const char *path, *subst, *print;
  } cases[] = {
      {"C:\\", "\\??\\C:\\", "C:\\"},
      {"z:/a/b", "\\??\\z:\\a\\b", "z:\\a\\b"},
      {"\\\\?\\D:\\long\\path", "\\??\\D:\\long\\path", "D:\\long\\path"},
      {"\\\\?\\Volume{01234567-89ab-cdef-0123-456789ABCDEF}\\",
       "\\??\\Volume{01234567-89ab-cdef-0123-456789ABCDEF}\\",
       "\\\\?\\Volume{01234567-89ab-cdef-0123-456789ABCDEF}\\"},
  };
  uint16_t t[80];
  size_t i;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    assert_int_equal(mklink__reparse_make_junction(t, u16(t, cases[i].path), p->a), 0);
    assert_name(p->a->subst, p->a->subst_len, cases[i].subst);
    assert_name(p->a->print, p->a->print_len, cases[i].print);
    round_trip(p->a, p->b);
  }
}

/* Names that fill 16 KiB exactly survive; one more unit does not fit. */
static void test_round_trip_largest(void **state) {
  pair *p = *state;
  static unsigned char buf[MKLINK__REPARSE_MAX + 2];
  static uint16_t t[MKLINK__REPARSE_NAME_MAX + 2];
  size_t i, len = 0;
  t[0] = 'C', t[1] = ':', t[2] = '\\';
  for (i = 3; i < sizeof t / sizeof t[0]; i++)
    t[i] = (uint16_t)(0x4e00 + i % 100); /* non-ASCII units survive too */
  /* Junction: 4 + n + n units = NAME_MAX at n = 4089. */
  assert_int_equal(mklink__reparse_make_junction(t, 4089, p->a), 0);
  assert_int_equal(mklink__reparse_encode(p->a, buf, sizeof buf, &len), 0);
  assert_int_equal(len, MKLINK__REPARSE_MAX);
  round_trip(p->a, p->b);
  assert_int_equal(mklink__reparse_make_junction(t, 4090, p->a), MKLINK_ENAMETOOLONG);
  /* Relative symlink: n + n = NAME_MAX at n = 4091. */
  assert_int_equal(mklink__reparse_make_symlink(t + 3, 4091, 1, p->a), 0);
  round_trip(p->a, p->b);
  assert_int_equal(mklink__reparse_make_symlink(t + 3, 4092, 1, p->a), MKLINK_ENAMETOOLONG);
  /* Absolute symlink: 4 + n + n, like a junction. */
  assert_int_equal(mklink__reparse_make_symlink(t, 4089, 0, p->a), 0);
  round_trip(p->a, p->b);
  assert_int_equal(mklink__reparse_make_symlink(t, 4090, 0, p->a), MKLINK_ENAMETOOLONG);
}

/* What Windows tolerates, the decoder tolerates. */
static void test_decode_tolerates(void **state) {
  pair *p = *state;
  unsigned char b[96];
  /* Reserved != 0. */
  memcpy(b, junction_c_target, 64);
  b[6] = 0x34, b[7] = 0x12;
  assert_int_equal(decode_exact(b, 64, p->a), 0);
  assert_name(p->a->print, p->a->print_len, "C:\\target");
  /* Bytes after the data: a caller may pass the whole buffer it read into. */
  memset(b + 64, 0xcc, 32);
  assert_int_equal(decode_exact(b, 96, p->a), 0);
  assert_name(p->a->subst, p->a->subst_len, "\\??\\C:\\target");
  /* A junction without NULs, print name first. */
  {
    size_t s = 2 * 13, pr = 2 * 9;
    memcpy(b, junction_c_target, 8);
    put16(b + 4, (unsigned)(8 + s + pr));
    put16(b + 8, (unsigned)pr);
    put16(b + 10, (unsigned)s);
    put16(b + 12, 0);
    put16(b + 14, (unsigned)pr);
    memcpy(b + 16, junction_c_target + 16 + 28, pr);
    memcpy(b + 16 + pr, junction_c_target + 16, s);
    assert_int_equal(decode_exact(b, 16 + s + pr, p->a), 0);
    assert_name(p->a->subst, p->a->subst_len, "\\??\\C:\\target");
    assert_name(p->a->print, p->a->print_len, "C:\\target");
  }
  /* Symlink flags other than RELATIVE are kept, and written back. */
  memcpy(b, symlink_dot, 24);
  b[17] = 0x80;
  assert_int_equal(decode_exact(b, 24, p->a), 0);
  assert_int_equal(p->a->flags, 0x8001u);
  round_trip(p->a, p->b);
  /* An empty print name (volume mount points are written so). */
  assert_int_equal(decode_exact(b, raw_junction(b, "\\??\\C:\\x", ""), p->a), 0);
  assert_int_equal(p->a->print_len, 0);
  assert_name(p->a->subst, p->a->subst_len, "\\??\\C:\\x");
}

/* ---- other tags -------------------------------------------------------- */

static void test_other_tags(void **state) {
  pair *p = *state;
  static const uint32_t tags[] = {
      0x9000001Au, /* IO_REPARSE_TAG_CLOUD (OneDrive)  */
      0x80000013u, /* IO_REPARSE_TAG_DEDUP             */
      0xA000001Du, /* IO_REPARSE_TAG_LX_SYMLINK (WSL)  */
      0x80000017u, /* IO_REPARSE_TAG_WOF               */
      0x00000000u,
      0xA0000002u, /* one below MOUNT_POINT */
      0xA000000Du, /* one above SYMLINK */
  };
  unsigned char b[40];
  size_t i;
  for (i = 0; i < sizeof tags / sizeof tags[0]; i++) {
    memset(b, 0x5a, sizeof b); /* data that is no link layout at all */
    b[0] = (unsigned char)(tags[i] & 0xff);
    b[1] = (unsigned char)((tags[i] >> 8) & 0xff);
    b[2] = (unsigned char)((tags[i] >> 16) & 0xff);
    b[3] = (unsigned char)(tags[i] >> 24);
    put16(b + 4, 31); /* odd is fine for data we do not interpret */
    p->a->subst_len = p->a->print_len = 77;
    assert_int_equal(decode_exact(b, 39, p->a), MKLINK__REPARSE_OTHER);
    assert_int_equal(p->a->tag, tags[i]);
    assert_int_equal(p->a->subst_len, 0);
    assert_int_equal(p->a->print_len, 0);
    /* Header only. */
    put16(b + 4, 0);
    assert_int_equal(decode_exact(b, 8, p->a), MKLINK__REPARSE_OTHER);
    assert_int_equal(p->a->tag, tags[i]);
    /* Its header must still be honest. */
    put16(b + 4, 32);
    assert_int_equal(decode_exact(b, 39, p->a), MKLINK_EBADREPARSE);
    assert_int_equal(p->a->tag, 0);
  }
  /* An encoder is never asked to write them. */
  {
    uint16_t t[8];
    size_t len = 99;
    assert_int_equal(mklink__reparse_make_junction(t, u16(t, "C:\\x"), p->a), 0);
    p->a->tag = 0x9000001Au;
    assert_int_equal(mklink__reparse_encode(p->a, b, sizeof b, &len), MKLINK_EINVAL);
    assert_int_equal(len, 0);
  }
}

/* ---- malformed buffers ------------------------------------------------- */

typedef struct bad_case {
  const char *what;
  size_t len;
  unsigned char *buf; /* heap, filled by make_bad() */
} bad_case;

enum { NBAD = 32 };

/* Each malformed buffer starts from a valid one, changed in one way. */
static size_t make_bad(bad_case *c) {
  static unsigned char big[MKLINK__REPARSE_MAX + 64];
  unsigned char b[256];
  size_t n = 0, len;
#define ADD(desc, data, length)                                   \
  do {                                                            \
    assert_true(n < NBAD);                                        \
    c[n].what = (desc);                                           \
    c[n].len = (length);                                          \
    c[n].buf = malloc((length) ? (length) : 1);                   \
    assert_non_null(c[n].buf);                                    \
    memcpy(c[n].buf, (data), (length));                           \
    n++;                                                          \
  } while (0)
#define FROM(base, blen) (memcpy(b, (base), (blen)), b)

  ADD("empty buffer", junction_c_target, 0);
  ADD("truncated header (7 bytes)", junction_c_target, 7);
  ADD("junction cut after its header", junction_c_target, 8);
  ADD("junction cut in the middle of its names", junction_c_target, 50);

  FROM(junction_c_target, 64), put16(b + 4, 0x39 + 1);
  ADD("ReparseDataLength 2 more than the buffer holds", b, 64);
  FROM(junction_c_target, 64), put16(b + 4, 0xfffe);
  ADD("ReparseDataLength 0xfffe on a 64-byte buffer", b, 64);

  /* 16 KiB - 6 of data, all present: larger than any reparse point. */
  memcpy(big, junction_c_target, 64);
  put16(big + 4, MKLINK__REPARSE_MAX - 6);
  ADD("oversize: ReparseDataLength 16 KiB - 6", big, MKLINK__REPARSE_MAX + 2);

  FROM(junction_c_target, 64), put16(b + 4, 6);
  ADD("mount-point fields truncated (ReparseDataLength 6)", b, 14);
  FROM(symlink_dot, 24), put16(b + 4, 8);
  ADD("symlink shorter than 20 bytes", b, 16);
  FROM(symlink_dot, 24), put16(b + 4, 10);
  ADD("symlink flags truncated (ReparseDataLength 10)", b, 18);
  /* The names still fit: only the odd length is wrong. */
  FROM(symlink_dot, 24), b[24] = 0, put16(b + 4, 17);
  ADD("odd ReparseDataLength on a symlink", b, 25);

  FROM(junction_c_target, 64), put16(b + 8, 0x40);
  ADD("substitute offset past PathBuffer", b, 64);
  FROM(junction_c_target, 64), put16(b + 14, 0x16);
  ADD("print name runs 2 bytes past PathBuffer", b, 64);
  FROM(junction_c_target, 64), put16(b + 12, 0xfffe), put16(b + 14, 4);
  ADD("print offset+length wraps a u16 (0xfffe + 4)", b, 64);
  FROM(junction_c_target, 64), put16(b + 8, 0xffff), put16(b + 10, 0xffff);
  ADD("substitute offset and length 0xffff", b, 64);
  FROM(junction_c_target, 64), put16(b + 10, 0x19);
  ADD("odd substitute length", b, 64);
  FROM(junction_c_target, 64), put16(b + 12, 0x1d);
  ADD("odd print offset", b, 64);
  FROM(symlink_dot, 24), put16(b + 8, 1);
  ADD("odd symlink substitute offset", b, 24);
  FROM(symlink_dot, 24), put16(b + 14, 3);
  ADD("odd symlink print length", b, 24);
  FROM(symlink_dot, 24), put16(b + 8, 4);
  ADD("symlink substitute past PathBuffer", b, 24);

  /* Junction substitutes that are not absolute NT paths. */
  len = raw_junction(b, "target", "target");
  ADD("relative junction substitute", b, len);
  len = raw_junction(b, "C:\\target", "C:\\target");
  ADD("junction substitute without \\??\\", b, len);
  len = raw_junction(b, "\\??\\target", "target");
  ADD("junction substitute \\??\\ + relative name", b, len);
  len = raw_junction(b, "\\??\\C:", "C:");
  ADD("junction substitute \\??\\C: without a root", b, len);
  len = raw_junction(b, "\\??\\UNC\\server\\share", "\\\\server\\share");
  ADD("UNC junction substitute", b, len);
  len = raw_junction(b, "\\??\\C:/target", "C:/target");
  ADD("junction substitute with '/' after the drive", b, len);
  len = raw_junction(b, "", "C:\\target");
  ADD("empty junction substitute", b, len);
  len = raw_junction(b, "\\??\\Volume{0123456-89ab-cdef-0123-456789abcdef}\\",
                     "");
  ADD("junction to a volume with a malformed GUID", b, len);
  len = raw_junction(b, "\\??\\Volume{01234567-89ab-cdef-0123-456789abcdef}",
                     "");
  ADD("junction to a volume without the root separator", b, len);

  /* A name of 8184 units, more than a decoded name can hold: substitute
     and print overlap over the whole PathBuffer. */
  memset(big, 0, sizeof big);
  memcpy(big, junction_c_target, 8);
  put16(big + 4, MKLINK__REPARSE_MAX - 8);
  put16(big + 10, MKLINK__REPARSE_MAX - 16);
  put16(big + 14, 18);
  memcpy(big + 16, junction_c_target + 16, 26);
  ADD("substitute name longer than MKLINK__REPARSE_NAME_MAX", big,
      MKLINK__REPARSE_MAX);
#undef ADD
#undef FROM
  return n;
}

static void test_malformed_rejected(void **state) {
  pair *p = *state;
  bad_case cases[NBAD];
  size_t i, n = make_bad(cases);
  assert_true(n >= 12);
  for (i = 0; i < n; i++) {
    int rc;
    p->a->tag = 0x12345678u;
    p->a->subst_len = p->a->print_len = 99;
    rc = mklink__reparse_decode(cases[i].buf, cases[i].len, p->a);
    if (rc != MKLINK_EBADREPARSE)
      fail_msg("malformed buffer accepted (%d): %s", rc, cases[i].what);
    assert_int_equal(p->a->tag, 0);
    assert_int_equal(p->a->flags, 0);
    assert_int_equal(p->a->subst_len, 0);
    assert_int_equal(p->a->print_len, 0);
    free(cases[i].buf);
  }
}

/* The boundary cases right next to the malformed ones are accepted, so the
   rejections above are for the stated reason. */
static void test_malformed_neighbours_accepted(void **state) {
  pair *p = *state;
  static unsigned char big[MKLINK__REPARSE_MAX];
  unsigned char b[256];
  size_t len;
  /* ReparseDataLength exactly the buffer. */
  assert_int_equal(decode_exact(junction_c_target, 64, p->a), 0);
  /* Print name ending exactly at PathBuffer's end (its NUL dropped). */
  memcpy(b, junction_c_target, 64);
  put16(b + 4, 0x38 - 2);
  assert_int_equal(decode_exact(b, 62, p->a), 0);
  assert_name(p->a->print, p->a->print_len, "C:\\target");
  /* ReparseDataLength exactly 16 KiB - 8. */
  memset(big, 0, sizeof big);
  memcpy(big, junction_c_target, 64);
  put16(big + 4, MKLINK__REPARSE_MAX - 8);
  assert_int_equal(decode_exact(big, MKLINK__REPARSE_MAX, p->a), 0);
  /* A symlink of exactly 20 bytes: two empty names. */
  memcpy(b, symlink_dot, 20);
  put16(b + 4, 12), put16(b + 8, 0), put16(b + 10, 0), put16(b + 12, 0),
      put16(b + 14, 0);
  assert_int_equal(decode_exact(b, 20, p->a), 0);
  assert_int_equal(p->a->subst_len, 0);
  /* Volume junction with a well-formed GUID, upper-case hex. */
  len = raw_junction(b, "\\??\\Volume{01234567-89AB-CDEF-0123-456789ABCDEF}\\", "");
  assert_int_equal(decode_exact(b, len, p->a), 0);
  /* Drive root. */
  len = raw_junction(b, "\\??\\c:\\", "c:\\");
  assert_int_equal(decode_exact(b, len, p->a), 0);
}

static void test_decode_null_arguments(void **state) {
  pair *p = *state;
  assert_int_equal(mklink__reparse_decode(NULL, 0, p->a), MKLINK_EBADREPARSE);
  assert_int_equal(mklink__reparse_decode(NULL, 8, p->a), MKLINK_EINVAL);
  assert_int_equal(mklink__reparse_decode(symlink_dot, 24, NULL), MKLINK_EINVAL);
}

/* A volume root is a mount point, not a junction; anything below it is. */
static void test_volume_mount_point(void **state) {
  pair *p = *state;
  unsigned char b[256];
  size_t len;
  len = raw_junction(b, "\\??\\Volume{01234567-89ab-cdef-0123-456789abcdef}\\", "");
  assert_int_equal(decode_exact(b, len, p->a), 0);
  assert_int_equal(mklink__reparse_is_volume_mount(p->a), 1);
  len = raw_junction(b, "\\??\\Volume{01234567-89ab-cdef-0123-456789abcdef}\\d", "");
  assert_int_equal(decode_exact(b, len, p->a), 0);
  assert_int_equal(mklink__reparse_is_volume_mount(p->a), 0);
  assert_int_equal(decode_exact(junction_c_target, 64, p->a), 0);
  assert_int_equal(mklink__reparse_is_volume_mount(p->a), 0);
  len = raw_junction(b, "\\??\\C:\\", "C:\\");
  assert_int_equal(decode_exact(b, len, p->a), 0);
  assert_int_equal(mklink__reparse_is_volume_mount(p->a), 0);
  /* The same names under the SYMLINK tag are a symlink. */
  len = raw_junction(b, "\\??\\Volume{01234567-89ab-cdef-0123-456789abcdef}\\", "");
  assert_int_equal(decode_exact(b, len, p->a), 0);
  p->a->tag = MKLINK__IO_REPARSE_TAG_SYMLINK;
  assert_int_equal(mklink__reparse_is_volume_mount(p->a), 0);
  assert_int_equal(mklink__reparse_is_volume_mount(NULL), 0);
}

/* ---- encoder errors ---------------------------------------------------- */

static void test_encode_errors(void **state) {
  pair *p = *state;
  unsigned char buf[128];
  uint16_t t[32];
  size_t len;
  assert_int_equal(mklink__reparse_make_junction(t, u16(t, "C:\\target"), p->a), 0);

  /* CAP one byte short: nothing written, *LEN says what is needed. */
  memset(buf, 0xee, sizeof buf);
  len = 0;
  assert_int_equal(mklink__reparse_encode(p->a, buf, 63, &len), MKLINK_ENAMETOOLONG);
  assert_int_equal(len, 64);
  assert_int_equal(buf[0], 0xee);
  assert_int_equal(mklink__reparse_encode(p->a, NULL, 0, &len), MKLINK_ENAMETOOLONG);
  assert_int_equal(len, 64);

  assert_int_equal(mklink__reparse_encode(NULL, buf, sizeof buf, &len), MKLINK_EINVAL);
  assert_int_equal(mklink__reparse_encode(p->a, buf, sizeof buf, NULL), MKLINK_EINVAL);
  assert_int_equal(mklink__reparse_encode(p->a, NULL, 64, &len), MKLINK_EINVAL);

  /* A junction may not carry flags. */
  p->a->flags = 1;
  assert_int_equal(mklink__reparse_encode(p->a, buf, sizeof buf, &len), MKLINK_EINVAL);
  p->a->flags = 0;

  /* A relative junction substitute is refused. */
  p->a->subst_len = u16(p->a->subst, "target");
  assert_int_equal(mklink__reparse_encode(p->a, buf, sizeof buf, &len), MKLINK_EINVAL);
  p->a->subst_len = u16(p->a->subst, "C:\\target");
  assert_int_equal(mklink__reparse_encode(p->a, buf, sizeof buf, &len), MKLINK_EINVAL);

  /* Names longer than 16 KiB can hold, alone or together, and a length
     that would wrap size_t. */
  assert_int_equal(mklink__reparse_make_symlink(t, u16(t, "x"), 1, p->a), 0);
  p->a->subst_len = MKLINK__REPARSE_NAME_MAX + 1;
  assert_int_equal(mklink__reparse_encode(p->a, buf, sizeof buf, &len), MKLINK_ENAMETOOLONG);
  p->a->subst_len = MKLINK__REPARSE_NAME_MAX;
  p->a->print_len = 1;
  assert_int_equal(mklink__reparse_encode(p->a, buf, sizeof buf, &len), MKLINK_ENAMETOOLONG);
  p->a->subst_len = SIZE_MAX;
  assert_int_equal(mklink__reparse_encode(p->a, buf, sizeof buf, &len), MKLINK_ENAMETOOLONG);
  p->a->subst_len = 1;
  p->a->print_len = SIZE_MAX - 1;
  assert_int_equal(mklink__reparse_encode(p->a, buf, sizeof buf, &len), MKLINK_ENAMETOOLONG);
  assert_int_equal(len, 0);
}

/* ---- builder errors ---------------------------------------------------- */

static void test_junction_builder_errors(void **state) {
  pair *p = *state;
  static const struct {
    const char *path;
    int err;
  } cases[] = {
      {"\\\\server\\share\\x", MKLINK_EREMOTE},
      {"//server/share", MKLINK_EREMOTE},
      {"\\\\?\\UNC\\server\\share\\x", MKLINK_EREMOTE},
      {"\\\\?\\unc\\server\\share", MKLINK_EREMOTE},
      {"target", MKLINK_EINVAL},
      {"..\\target", MKLINK_EINVAL},
      {"\\rooted\\no\\drive", MKLINK_EINVAL},
      {"C:target", MKLINK_EINVAL},
      {"C:", MKLINK_EINVAL},
      {"1:\\x", MKLINK_EINVAL},
      {"\\\\?\\", MKLINK_EINVAL},
      {"\\\\?\\target", MKLINK_EINVAL},
      {"\\\\?\\Volume{xyz}\\", MKLINK_EINVAL},
      {"\\??\\C:\\x", MKLINK_EINVAL}, /* an NT path is not a Win32 path */
  };
  static uint16_t t[5000];
  size_t i;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int rc = mklink__reparse_make_junction(t, u16(t, cases[i].path), p->a);
    if (rc != cases[i].err)
      fail_msg("%s: got %s, want %s", cases[i].path, mklink_err_name(rc),
               mklink_err_name(cases[i].err));
  }
  /* A UNC path stays remote however long it is. */
  for (i = 0; i < 5000; i++)
    t[i] = 'a';
  t[0] = t[1] = '\\';
  assert_int_equal(mklink__reparse_make_junction(t, 5000, p->a), MKLINK_EREMOTE);
  t[0] = 'C', t[1] = ':', t[2] = '\\';
  assert_int_equal(mklink__reparse_make_junction(t, 5000, p->a), MKLINK_ENAMETOOLONG);
  assert_int_equal(mklink__reparse_make_junction(t, SIZE_MAX, p->a), MKLINK_ENAMETOOLONG);
  /* A NUL unit inside the path. */
  t[5] = 0;
  assert_int_equal(mklink__reparse_make_junction(t, 10, p->a), MKLINK_EINVAL);
  assert_int_equal(mklink__reparse_make_junction(t, 0, p->a), MKLINK_EINVAL);
  assert_int_equal(mklink__reparse_make_junction(NULL, 3, p->a), MKLINK_EINVAL);
  assert_int_equal(mklink__reparse_make_junction(t, 3, NULL), MKLINK_EINVAL);
}

static void test_symlink_builder_errors(void **state) {
  pair *p = *state;
  static uint16_t t[5000];
  static const char *not_absolute[] = {"target", "..\\x", "\\rooted", "C:x",
                                       "\\\\?\\", "\\\\"};
  size_t i;
  for (i = 0; i < sizeof not_absolute / sizeof not_absolute[0]; i++) {
    int rc = mklink__reparse_make_symlink(t, u16(t, not_absolute[i]), 0, p->a);
    if (rc != MKLINK_EINVAL)
      fail_msg("%s as absolute: got %s", not_absolute[i], mklink_err_name(rc));
  }
  for (i = 0; i < 5000; i++)
    t[i] = 'a';
  assert_int_equal(mklink__reparse_make_symlink(t, 4092, 1, p->a), MKLINK_ENAMETOOLONG);
  /* UNC: "\??\UNC\" + (n - 2) + n units. */
  t[0] = t[1] = '\\';
  assert_int_equal(mklink__reparse_make_symlink(t, 4088, 0, p->a), 0);
  round_trip(p->a, p->b);
  assert_int_equal(mklink__reparse_make_symlink(t, 4089, 0, p->a), MKLINK_ENAMETOOLONG);
  assert_int_equal(mklink__reparse_make_symlink(t, SIZE_MAX, 1, p->a), MKLINK_ENAMETOOLONG);
  t[0] = 'x', t[3] = 0;
  assert_int_equal(mklink__reparse_make_symlink(t, 6, 1, p->a), MKLINK_EINVAL);
  assert_int_equal(mklink__reparse_make_symlink(t, 0, 1, p->a), MKLINK_EINVAL);
  assert_int_equal(mklink__reparse_make_symlink(NULL, 1, 1, p->a), MKLINK_EINVAL);
  assert_int_equal(mklink__reparse_make_symlink(t, 1, 1, NULL), MKLINK_EINVAL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      TEST(test_junction_worked_example),
      TEST(test_symlink_worked_example),
      TEST(test_unaligned_buffers),
      TEST(test_round_trip_symlinks),
      TEST(test_round_trip_junctions),
      TEST(test_round_trip_largest),
      TEST(test_decode_tolerates),
      TEST(test_other_tags),
      TEST(test_malformed_rejected),
      TEST(test_malformed_neighbours_accepted),
      TEST(test_decode_null_arguments),
      TEST(test_volume_mount_point),
      TEST(test_encode_errors),
      TEST(test_junction_builder_errors),
      TEST(test_symlink_builder_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

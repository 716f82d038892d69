/* test_portable.c -- the OS-free rules of the portability check
 * (src/common/portable.h): names, UTF-8, UTF-16 lengths, case as NTFS
 * compares it, where a link's text leads.  Runs natively and under Wine. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "portable.h"

static unsigned check(const char *name, mklink__name_report *r) {
  return mklink__name_check(name, strlen(name), r);
}

static void expect_device(const char *name, const char *device) {
  mklink__name_report r;
  if (!(check(name, &r) & MKLINK__NAME_RESERVED))
    fail_msg("'%s' should be the device %s", name, device);
  assert_string_equal(r.device, device);
}

static void expect_not_reserved(const char *name) {
  mklink__name_report r;
  if (check(name, &r) & MKLINK__NAME_RESERVED)
    fail_msg("'%s' is not a device, but was found as %s", name, r.device);
}

static void test_reserved_names(void **state) {
  (void)state;
  expect_device("CON", "CON");
  expect_device("con", "CON");
  expect_device("Con.txt", "CON");
  expect_device("aux.c", "AUX");
  expect_device("AUX.tar.gz", "AUX");
  expect_device("nul", "NUL");
  expect_device("nul .txt", "NUL");  /* spaces before the dot go */
  expect_device("NUL  ", "NUL");
  expect_device("prn.", "PRN");
  expect_device("COM1", "COM1");
  expect_device("com9.log", "COM9");
  expect_device("LPT1", "LPT1");
  expect_device("lpt9.x", "LPT9");
  expect_device("COM\xc2\xb9", "COM\xc2\xb9");   /* superscript one   */
  expect_device("com\xc2\xb2.txt", "COM\xc2\xb2"); /* superscript two */
  expect_device("LPT\xc2\xb3", "LPT\xc2\xb3");     /* superscript three */
  expect_device("CONIN$", "CONIN$");
  expect_device("conout$.txt", "CONOUT$");
}

static void test_reserved_near_misses(void **state) {
  (void)state;
  expect_not_reserved("CONSOLE");
  expect_not_reserved("COM10");
  expect_not_reserved("LPT10");
  expect_not_reserved("COM0"); /* listed by the naming page, made by Windows 10 */
  expect_not_reserved("LPT0");
  expect_not_reserved("com0.txt");
  expect_not_reserved("aux_x.c");
  expect_not_reserved("xaux.c");
  expect_not_reserved(" aux");   /* a space before: no device */
  expect_not_reserved("au.x");
  expect_not_reserved("COM");
  expect_not_reserved("LPT");
  expect_not_reserved("COM\xc2\xb4"); /* U+00B4, not a digit */
  expect_not_reserved("COM\xc2\xb9x");
  expect_not_reserved("COM\xe2\x81\xb4"); /* superscript four: no device */
  expect_not_reserved("CONIN");
  expect_not_reserved("");
}

static void test_characters(void **state) {
  static const char forbidden[] = "<>:\"\\|?*";
  mklink__name_report r;
  char name[8];
  size_t k;
  (void)state;
  for (k = 0; forbidden[k] != '\0'; k++) {
    name[0] = 'a', name[1] = forbidden[k], name[2] = 'b', name[3] = '\0';
    assert_int_equal(check(name, &r), MKLINK__NAME_FORBIDDEN);
    assert_int_equal(r.forbidden_at, 1);
  }
  for (k = 1; k < 32; k++) {
    name[0] = 'x', name[1] = (char)k, name[2] = '\0';
    assert_int_equal(check(name, &r), MKLINK__NAME_CONTROL);
    assert_int_equal(r.control_at, 1);
  }
  /* Near misses: DEL, a dot in the middle, '#', '%', '&', spaces inside. */
  assert_int_equal(check("a\x7f", &r), 0);
  assert_int_equal(check("a.b.c", &r), 0);
  assert_int_equal(check(".gitignore", &r), 0);
  assert_int_equal(check("a b", &r), 0);
  assert_int_equal(check("#%&{}[]=+;,'!@$^~`", &r), 0);
  /* Several faults in one name are all found. */
  assert_int_equal(check("aux.:\x01.", &r), MKLINK__NAME_RESERVED | MKLINK__NAME_FORBIDDEN |
                                               MKLINK__NAME_CONTROL | MKLINK__NAME_TRAILING);
}

static void test_trailing(void **state) {
  mklink__name_report r;
  (void)state;
  assert_int_equal(check("name.", &r), MKLINK__NAME_TRAILING);
  assert_int_equal(r.trailing, '.');
  assert_int_equal(check("name ", &r), MKLINK__NAME_TRAILING);
  assert_int_equal(r.trailing, ' ');
  assert_int_equal(check("...", &r), MKLINK__NAME_TRAILING);
  assert_int_equal(check("a. b", &r), 0);
  assert_int_equal(check(" a", &r), 0);
}

static void test_utf8(void **state) {
  mklink__name_report r;
  (void)state;
  assert_int_equal(check("caf\xc3\xa9", &r), 0);
  assert_int_equal(r.units, 4);
  assert_int_equal(check("\xe2\x82\xac", &r), 0); /* the euro sign: 1 unit */
  assert_int_equal(r.units, 1);
  assert_int_equal(check("\xf0\x9f\x98\x80", &r), 0); /* an emoji: a surrogate pair */
  assert_int_equal(r.units, 2);
  assert_int_equal(check("bad\xff", &r), MKLINK__NAME_BAD_UTF8);
  assert_int_equal(r.bad_at, 3);
  assert_int_equal(r.units, 4);
  assert_int_equal(check("\xc0\xaf", &r), MKLINK__NAME_BAD_UTF8);       /* overlong '/' */
  assert_int_equal(check("\xed\xa0\x80", &r), MKLINK__NAME_BAD_UTF8);   /* a surrogate  */
  assert_int_equal(check("\xf4\x90\x80\x80", &r), MKLINK__NAME_BAD_UTF8); /* > U+10FFFF */
  assert_int_equal(check("\xe2\x82", &r), MKLINK__NAME_BAD_UTF8);       /* cut short    */
  assert_int_equal(r.bad_at, 0);
  assert_int_equal(check("a\x80", &r), MKLINK__NAME_BAD_UTF8);
  assert_true(mklink__utf8_valid("\xc3\xa9\xf0\x9f\x98\x80", 6));
  assert_false(mklink__utf8_valid("\xc3", 1));
}

static void test_name_length(void **state) {
  char name[600];
  mklink__name_report r;
  (void)state;
  memset(name, 'a', 255);
  name[255] = '\0';
  assert_int_equal(check(name, &r), 0); /* exactly the limit */
  assert_int_equal(r.units, 255);
  name[255] = 'a', name[256] = '\0';
  assert_int_equal(check(name, &r), MKLINK__NAME_TOO_LONG);
  assert_int_equal(r.units, 256);
  /* 127 two-unit characters and one more unit: 255, then 257. */
  {
    size_t k, n = 0;
    for (k = 0; k < 127; k++) {
      memcpy(name + n, "\xf0\x9f\x98\x80", 4);
      n += 4;
    }
    name[n++] = 'x';
    name[n] = '\0';
    assert_int_equal(check(name, &r), 0);
    assert_int_equal(r.units, 255);
    memcpy(name + n - 1, "\xf0\x9f\x98\x80", 4);
    name[n + 3] = '\0';
    assert_int_equal(check(name, &r), MKLINK__NAME_TOO_LONG);
    assert_int_equal(r.units, 256);
  }
}

static int same_to_ntfs(const char *a, const char *b) {
  uint16_t ka[64], kb[64];
  size_t na = mklink__name_key(a, strlen(a), ka), nb = mklink__name_key(b, strlen(b), kb);
  return na == nb && memcmp(ka, kb, na * sizeof ka[0]) == 0;
}

static void test_case(void **state) {
  (void)state;
  assert_true(same_to_ntfs("README", "readme"));
  assert_true(same_to_ntfs("Makefile", "MAKEFILE"));
  assert_true(same_to_ntfs("caf\xc3\xa9", "CAF\xc3\x89"));          /* é É */
  assert_true(same_to_ntfs("\xc5\x93", "\xc5\x92"));                /* œ Œ */
  assert_true(same_to_ntfs("\xc3\xbf", "\xc5\xb8"));                /* ÿ Ÿ */
  assert_true(same_to_ntfs("\xce\xb1\xce\xb2", "\xce\x91\xce\x92")); /* αβ ΑΒ */
  assert_true(same_to_ntfs("\xcf\x82", "\xce\xa3"));                /* ς Σ */
  assert_true(same_to_ntfs("\xcf\x83", "\xcf\x82"));                /* σ ς */
  assert_true(same_to_ntfs("\xd0\xb6", "\xd0\x96"));                /* ж Ж */
  assert_true(same_to_ntfs("\xd1\x91", "\xd0\x81"));                /* ё Ё */
  assert_true(same_to_ntfs("\xd5\xa1", "\xd4\xb1"));                /* Armenian */
  assert_true(same_to_ntfs("\xe1\xba\xa1", "\xe1\xba\xa0"));        /* ạ Ạ */
  assert_true(same_to_ntfs("\xef\xbd\x81", "\xef\xbc\xa1"));        /* fullwidth a A */
  assert_true(same_to_ntfs("\xe2\x85\xb0", "\xe2\x85\xa0"));        /* ⅰ Ⅰ */
  /* What NTFS keeps apart. */
  assert_false(same_to_ntfs("stra\xc3\x9f" "e", "STRASSE"));        /* ß is not SS */
  assert_false(same_to_ntfs("\xc3\x9f", "\xe1\xba\x9e"));           /* ß ẞ */
  assert_false(same_to_ntfs("\xc4\xb1", "I"));                      /* ı I */
  assert_false(same_to_ntfs("\xc5\xbf", "S"));                      /* ſ S */
  assert_false(same_to_ntfs("\xc2\xb5", "\xce\x9c"));               /* µ Μ */
  assert_false(same_to_ntfs("e\xcc\x81", "\xc3\xa9"));              /* é decomposed */
  assert_false(same_to_ntfs("\xf0\x90\x90\xa8", "\xf0\x90\x90\x80")); /* Deseret: not BMP */
  assert_false(same_to_ntfs("a", "b"));
  assert_false(same_to_ntfs("ab", "a"));
  /* Invalid bytes stay apart from each other and from any character. */
  assert_false(same_to_ntfs("\xff", "\xfe"));
  assert_true(same_to_ntfs("x\xff", "X\xff"));
}

static void test_upcase_table(void **state) {
  size_t k;
  unsigned u;
  (void)state;
  /* The runs are sorted and apart, as the lookup needs. */
  for (k = 1; k < mklink__upcase_nruns; k++)
    assert_true(mklink__upcase_runs[k].first > mklink__upcase_runs[k - 1].last);
  /* Upcasing twice changes nothing more, and ASCII is plain ASCII. */
  for (u = 0; u < 0x10000; u++) {
    uint16_t once = mklink__upcase_unit((uint16_t)u);
    assert_int_equal(mklink__upcase_unit(once), once);
  }
  for (u = 'a'; u <= 'z'; u++)
    assert_int_equal(mklink__upcase_unit((uint16_t)u), u - 32);
  assert_int_equal(mklink__upcase_unit('1'), '1');
  assert_int_equal(mklink__upcase_unit(0xD800), 0xD800);
}

static int leaves(const char *target, size_t depth) {
  return mklink__target_leaves(MKLINK__PATH_POSIX, target, strlen(target), depth);
}

static void test_target_leaves(void **state) {
  (void)state;
  assert_false(leaves("x", 0));
  assert_false(leaves("./x", 0));
  assert_false(leaves("sub/../x", 0));
  assert_true(leaves("..", 0));
  assert_true(leaves("../x", 0));
  assert_true(leaves("sub/../../x", 0));
  assert_false(leaves("..", 1));
  assert_false(leaves("../x", 1));
  assert_true(leaves("../../x", 1));
  assert_false(leaves("a/b/../../c", 0));
  assert_false(leaves("a//b/", 0));
  /* Windows separators count only in the Windows style. */
  assert_false(leaves("..\\x", 0));
  assert_true(mklink__target_leaves(MKLINK__PATH_WIN32, "..\\x", 4, 0));
  assert_false(mklink__target_leaves(MKLINK__PATH_WIN32, "a\\..\\b", 6, 0));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_reserved_names),
      cmocka_unit_test(test_reserved_near_misses),
      cmocka_unit_test(test_characters),
      cmocka_unit_test(test_trailing),
      cmocka_unit_test(test_utf8),
      cmocka_unit_test(test_name_length),
      cmocka_unit_test(test_case),
      cmocka_unit_test(test_upcase_table),
      cmocka_unit_test(test_target_leaves),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

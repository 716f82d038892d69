/* test_path.c -- the lexical path logic of src/common/path.c, both styles. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "internal.h"
#include "path.h"

#define P MKLINK__PATH_POSIX
#define W MKLINK__PATH_WIN32

static void expect_abs(mklink__path_style s, const char *cwd, const char *path,
                       const char *want) {
  char out[256];
  int rc = mklink__path_absolute(s, cwd, path, out, sizeof out);
  if (rc != 0)
    fail_msg("absolute(%s, %s) failed with %s", cwd ? cwd : "NULL", path,
             mklink_err_name(rc));
  if (strcmp(out, want) != 0)
    fail_msg("absolute(%s, %s) = \"%s\", want \"%s\"", cwd ? cwd : "NULL", path, out,
             want);
}

static void expect_rel(mklink__path_style s, const char *from, const char *to,
                       const char *want) {
  char out[256];
  int rc = mklink__path_relative(s, from, to, out, sizeof out);
  if (rc != 0)
    fail_msg("relative(%s, %s) failed with %s", from, to, mklink_err_name(rc));
  if (strcmp(out, want) != 0)
    fail_msg("relative(%s, %s) = \"%s\", want \"%s\"", from, to, out, want);
}

static void expect_split(mklink__path_style s, const char *path, const char *dir,
                         const char *base) {
  size_t dir_len, base_len;
  const char *b;
  mklink__path_split(s, path, &dir_len, &b, &base_len);
  if (dir_len != strlen(dir) || strncmp(path, dir, dir_len) != 0 ||
      base_len != strlen(base) || strncmp(b, base, base_len) != 0)
    fail_msg("split(%s) = \"%.*s\" + \"%.*s\", want \"%s\" + \"%s\"", path, (int)dir_len,
             path, (int)base_len, b, dir, base);
}

static void test_posix_root(void **state) {
  (void)state;
  assert_int_equal(mklink__path_root(P, "/"), 1);
  assert_int_equal(mklink__path_root(P, "/a/b"), 1);
  assert_int_equal(mklink__path_root(P, "a/b"), 0);
  assert_int_equal(mklink__path_root(P, ""), 0);
  assert_true(mklink__path_is_absolute(P, "/x"));
  assert_false(mklink__path_is_absolute(P, "./x"));
  assert_false(mklink__path_is_sep(P, '\\'));
  assert_true(mklink__path_is_sep(P, '/'));
}

static void test_posix_absolute(void **state) {
  (void)state;
  expect_abs(P, "/home/u", "data", "/home/u/data");
  expect_abs(P, "/home/u", "./data/", "/home/u/data");
  expect_abs(P, "/home/u", "../v/./w", "/home/v/w");
  expect_abs(P, "/home/u", "../../../..", "/");
  expect_abs(P, "/", "..", "/");
  expect_abs(P, "/home/u", ".", "/home/u");
  expect_abs(P, NULL, "/a//b///c/", "/a/b/c");
  expect_abs(P, NULL, "//a/./b/../c", "/a/c");
  expect_abs(P, NULL, "/", "/");
  expect_abs(P, NULL, "/..", "/");
  expect_abs(P, "/x/./y/../z", "w", "/x/z/w"); /* the cwd is normalised too */
  expect_abs(P, "/x", "a\\b", "/x/a\\b");       /* a backslash is a name byte */
  expect_abs(P, "/x", "...", "/x/...");
  expect_abs(P, "/x", "..a/.b", "/x/..a/.b");
  /* No link is followed: "l/.." is the directory holding l, whatever l is. */
  expect_abs(P, "/x", "l/..", "/x");
}

/* Normal absolute paths come back as they are; anything a normalisation
   would change still goes through it. */
static void test_posix_absolute_already_normal(void **state) {
  char out[8];
  (void)state;
  expect_abs(P, NULL, "/a/b/c", "/a/b/c");
  expect_abs(P, NULL, "/...", "/...");
  expect_abs(P, NULL, "/.a/..b/c.", "/.a/..b/c.");
  expect_abs(P, NULL, "/a/.", "/a");
  expect_abs(P, NULL, "/a/..", "/");
  expect_abs(P, NULL, "/./a", "/a");
  expect_abs(P, NULL, "/a/", "/a");
  expect_abs(P, NULL, "/a//b", "/a/b");
  expect_abs(P, NULL, "//", "/");
  assert_int_equal(mklink__path_absolute(P, NULL, "/abcdef", out, sizeof out), 0);
  assert_string_equal(out, "/abcdef");
  assert_int_equal(mklink__path_absolute(P, NULL, "/abcdefg", out, sizeof out),
                   MKLINK_ENAMETOOLONG);
  assert_int_equal(mklink__path_absolute(P, NULL, "/", out, 1), MKLINK_ENAMETOOLONG);
  /* A normal relative path against a normal current directory. */
  expect_abs(P, "/home/u", "a/b", "/home/u/a/b");
  expect_abs(P, "/", "a", "/a");
  expect_abs(P, "/", "...", "/...");
  expect_abs(P, "/home/u/", "a", "/home/u/a");
  expect_abs(P, "/home/./u", "a", "/home/u/a");
  expect_abs(P, "/home/u", "a/", "/home/u/a");
  expect_abs(P, "/home/u", "a/./b", "/home/u/a/b");
  expect_abs(P, "/home/u", "a/../b", "/home/u/b");
  expect_abs(P, "/home/u", "..", "/home");
  expect_abs(P, "/home/u", "../v", "/home/v");
  expect_abs(P, "/home/u", "../../v/w", "/v/w");
  expect_abs(P, "/home/u", "../../../../v", "/v");
  expect_abs(P, "/home/u", "../", "/home");
  expect_abs(P, "/home/u", "../..", "/");
  expect_abs(P, "/home/u", "..//v", "/home/v");
  expect_abs(P, "/home/u", "../v/../w", "/home/w");
  expect_abs(P, "/home/u", "..v", "/home/u/..v");
  expect_abs(P, "/", "../a", "/a");
  assert_int_equal(mklink__path_absolute(P, "/ab", "cd", out, 7), 0);
  assert_string_equal(out, "/ab/cd");
  assert_int_equal(mklink__path_absolute(P, "/ab", "cde", out, 7), MKLINK_ENAMETOOLONG);
  assert_int_equal(mklink__path_absolute(P, "/", "abcdef", out, 8), 0);
  assert_string_equal(out, "/abcdef");
  assert_int_equal(mklink__path_absolute(P, "/", "abcdefg", out, 8), MKLINK_ENAMETOOLONG);
}

/* The walk's shortcut: a current directory known to be normal is not
   scanned again; the result is mklink__path_absolute()'s, and a PATH of
   another shape is left to it (1, nothing written). */
static void test_posix_absolute_in_normal(void **state) {
  static const char *const same[][2] = {
      {"/home/u", "a/b"}, {"/", "a"},        {"/home/u", ".."}, {"/home/u", "../../v/w"},
      {"/", "../a"},      {"/home/u", "..v"}, {"/home/u", ""},   {"/home/u", "../.."},
  };
  static const char *const other[] = {"/abs", "a/./b", "a/../b", "a/", "a//b", "../v/../w"};
  char out[64], want[64];
  size_t i;
  (void)state;
  assert_true(mklink__path_is_normal("/"));
  assert_true(mklink__path_is_normal("/a/b"));
  assert_true(mklink__path_is_normal("/.a/..b"));
  assert_false(mklink__path_is_normal("a/b"));
  assert_false(mklink__path_is_normal("/a/"));
  assert_false(mklink__path_is_normal("/a//b"));
  assert_false(mklink__path_is_normal("/a/./b"));
  assert_false(mklink__path_is_normal("/a/.."));
  for (i = 0; i < sizeof same / sizeof same[0]; i++) {
    assert_int_equal(mklink__path_absolute_in_normal(same[i][0], same[i][1], out, sizeof out), 0);
    assert_int_equal(mklink__path_absolute(P, same[i][0], same[i][1], want, sizeof want), 0);
    assert_string_equal(out, want);
  }
  for (i = 0; i < sizeof other / sizeof other[0]; i++) {
    strcpy(out, "untouched");
    assert_int_equal(mklink__path_absolute_in_normal("/home/u", other[i], out, sizeof out), 1);
    assert_string_equal(out, "untouched");
  }
  assert_int_equal(mklink__path_absolute_in_normal("/ab", "cde", out, 7), MKLINK_ENAMETOOLONG);
}

static void test_posix_absolute_errors(void **state) {
  char out[8];
  (void)state;
  assert_int_equal(mklink__path_absolute(P, NULL, "rel", out, sizeof out), MKLINK_EINVAL);
  assert_int_equal(mklink__path_absolute(P, "rel", "x", out, sizeof out), MKLINK_EINVAL);
  assert_int_equal(mklink__path_absolute(P, "/", "abcdefgh", out, sizeof out),
                   MKLINK_ENAMETOOLONG);
  assert_int_equal(mklink__path_absolute(P, "/", "abcdef", out, sizeof out), 0);
  assert_string_equal(out, "/abcdef"); /* exactly fills the buffer */
  /* Only the result must fit, not what ".." later removes. */
  assert_int_equal(mklink__path_absolute(P, "/cwd", "/a/b/../../../c", out, 3), 0);
  assert_string_equal(out, "/c");
  assert_int_equal(mklink__path_absolute(P, "/long/cwd/x", "../../..", out, 2), 0);
  assert_string_equal(out, "/");
  assert_int_equal(mklink__path_absolute(P, "/", "abc", out, 1), MKLINK_ENAMETOOLONG);
  assert_int_equal(mklink__path_absolute(P, "/", "abc", out, 0), MKLINK_ENAMETOOLONG);
}

static void test_posix_relative(void **state) {
  char out[8];
  (void)state;
  expect_rel(P, "/a/b", "/a/b/c", "c");
  expect_rel(P, "/a/b", "/a/c", "../c");
  expect_rel(P, "/a/b", "/a/b", ".");
  expect_rel(P, "/a/b", "/", "../..");
  expect_rel(P, "/", "/x/y", "x/y");
  expect_rel(P, "/a/b/c", "/x", "../../../x");
  expect_rel(P, "/a/bc", "/a/b", "../b"); /* components, not prefixes */
  expect_rel(P, "/A", "/a", "../a");      /* POSIX names are case-sensitive */
  assert_int_equal(mklink__path_relative(P, "/a", "/bcdefghij", out, sizeof out),
                   MKLINK_ENAMETOOLONG);
  assert_int_equal(mklink__path_relative(P, "rel", "/x", out, sizeof out), MKLINK_EXDEV);
}

static void test_posix_split(void **state) {
  (void)state;
  expect_split(P, "a/b/c", "a/b", "c");
  expect_split(P, "/c", "/", "c");
  expect_split(P, "c", "", "c");
  expect_split(P, "/", "/", "");
  expect_split(P, "a/b/", "a", "b");
  expect_split(P, "a//b", "a", "b");
  expect_split(P, "//c", "/", "c");
  expect_split(P, "", "", "");
}

static void test_join(void **state) {
  char out[16];
  (void)state;
  assert_int_equal(mklink__path_join(P, "a/b", 3, "c", out, sizeof out), 0);
  assert_string_equal(out, "a/b/c");
  assert_int_equal(mklink__path_join(P, "/", 1, "c", out, sizeof out), 0);
  assert_string_equal(out, "/c");
  assert_int_equal(mklink__path_join(P, "whatever", 0, "c", out, sizeof out), 0);
  assert_string_equal(out, "c");
  assert_int_equal(mklink__path_join(P, "a/b/x", 3, "c", out, sizeof out), 0);
  assert_string_equal(out, "a/b/c"); /* only DIR_LEN bytes of DIR count */
  assert_int_equal(mklink__path_join(W, "C:\\d", 4, "c", out, sizeof out), 0);
  assert_string_equal(out, "C:\\d\\c");
  assert_int_equal(mklink__path_join(W, "C:", 2, "c", out, sizeof out), 0);
  assert_string_equal(out, "C:c");
  assert_int_equal(mklink__path_join(P, "abcdefgh", 8, "ijklmnop", out, sizeof out),
                   MKLINK_ENAMETOOLONG);
  assert_int_equal(mklink__path_join(P, "abcdefg", 7, "ijklmno", out, sizeof out), 0);
  assert_string_equal(out, "abcdefg/ijklmno");
}

static void test_win32_root(void **state) {
  (void)state;
  assert_int_equal(mklink__path_root(W, "C:\\x"), 3);
  assert_int_equal(mklink__path_root(W, "c:/x"), 3);
  assert_int_equal(mklink__path_root(W, "C:x"), 0);
  assert_int_equal(mklink__path_root(W, "\\x"), 0);
  assert_int_equal(mklink__path_root(W, "\\\\srv\\share\\x"), 12);
  assert_int_equal(mklink__path_root(W, "//srv/share"), 11);
  assert_int_equal(mklink__path_root(W, "\\\\?\\C:\\x"), 7);
  assert_int_equal(mklink__path_root(W, "\\\\?\\UNC\\srv\\share\\x"), 18);
  assert_int_equal(mklink__path_root(W, "x"), 0);
  /* Two separators make a fully qualified path however little of its root
     it has (see test_win32_server_alone). */
  assert_int_equal(mklink__path_root(W, "\\\\srv"), 5);
  assert_int_equal(mklink__path_root(W, "\\\\srv\\"), 6);
  assert_int_equal(mklink__path_root(W, "\\\\?\\"), 4);
  assert_int_equal(mklink__path_root(W, "\\\\?\\UNC"), 7);
  assert_int_equal(mklink__path_root(W, "\\\\?\\UNC\\srv"), 11);
  assert_int_equal(mklink__path_root(W, "\\\\"), 2);
  assert_int_equal(mklink__path_root(W, "//?/C:/x"), 7);
  assert_true(mklink__path_is_sep(W, '\\'));
  assert_true(mklink__path_is_sep(W, '/'));
}

static void test_win32_absolute(void **state) {
  (void)state;
  expect_abs(W, "C:\\Users\\u", "data", "C:\\Users\\u\\data");
  expect_abs(W, "C:\\Users\\u", "..\\v/./w\\", "C:\\Users\\v\\w");
  expect_abs(W, "C:\\Users\\u", "..\\..\\..", "C:\\");
  expect_abs(W, "C:\\Users\\u", "\\Data", "C:\\Data");
  expect_abs(W, "C:\\Users\\u", "c:x", "C:\\Users\\u\\x");
  expect_abs(W, "C:\\Users\\u", "D:x", "D:\\x");
  expect_abs(W, "C:\\Users\\u", "D:/a/../b", "D:\\b");
  expect_abs(W, NULL, "\\\\srv\\share\\a\\..\\..\\b", "\\\\srv\\share\\b");
  expect_abs(W, NULL, "//srv/share", "\\\\srv\\share\\");
  expect_abs(W, "\\\\srv\\share\\dir", "x", "\\\\srv\\share\\dir\\x");
  expect_abs(W, "\\\\srv\\share\\dir", "\\x", "\\\\srv\\share\\x");
  expect_abs(W, NULL, "\\\\?\\C:\\a\\.\\b", "\\\\?\\C:\\a\\b");
  expect_abs(W, NULL, "\\\\srv\\share", "\\\\srv\\share\\");
}

/*
 * "\\server" alone is a UNC path, fully qualified: the Win32 documentation
 * ("File path formats on Windows systems") calls every path that begins with
 * two separators a UNC path, never applies the current directory to one,
 * and never lets ".." go above its server and share; GetFullPathNameW
 * returns "\\server" as it is (and "\\srv\..\x" as it is: ".." there is
 * the share).  Before 0.2.0 the lexical layer took it for "\server",
 * rooted on the current drive, while the Win32 backend called it absolute.
 */
static void test_win32_server_alone(void **state) {
  (void)state;
  assert_true(mklink__path_is_absolute(W, "\\\\server"));
  assert_true(mklink__path_is_absolute(W, "//server"));
  expect_abs(W, "C:\\x", "\\\\server", "\\\\server\\");
  expect_abs(W, NULL, "\\\\server", "\\\\server\\");
  expect_abs(W, NULL, "\\\\server\\..\\x", "\\\\server\\..\\x");
  expect_abs(W, NULL, "\\\\server\\share\\..\\..\\x", "\\\\server\\share\\x");
  expect_abs(W, NULL, "//server/share/a/../..", "\\\\server\\share\\");
  expect_split(W, "\\\\server", "\\\\server", "");
  /* Separators after the server are one: the share is the next name. */
  expect_abs(W, NULL, "\\\\server\\\\share\\x", "\\\\server\\share\\x");
  /* A current directory without a share: the first name becomes it. */
  expect_abs(W, "\\\\server", "x", "\\\\server\\x\\");
  expect_abs(W, "\\\\server", "x\\y", "\\\\server\\x\\y");
}

static void test_win32_relative(void **state) {
  char out[64];
  (void)state;
  expect_rel(W, "C:\\a\\b", "C:\\a\\c", "..\\c");
  expect_rel(W, "C:\\A\\B", "c:\\a\\b\\x", "x"); /* case-insensitive */
  expect_rel(W, "C:\\a", "C:\\a", ".");
  expect_rel(W, "C:\\", "C:\\C:\\x", ".\\C:\\x"); /* not the drive C: */
  assert_int_equal(mklink__path_relative(W, "C:\\a", "D:\\a", out, sizeof out),
                   MKLINK_EXDEV);
  assert_int_equal(
      mklink__path_relative(W, "\\\\s\\x\\a", "\\\\s\\y\\a", out, sizeof out),
      MKLINK_EXDEV);
}

static void test_win32_split(void **state) {
  (void)state;
  expect_split(W, "C:\\a\\b", "C:\\a", "b");
  expect_split(W, "C:\\b", "C:\\", "b");
  expect_split(W, "C:b", "C:", "b");
  expect_split(W, "a/b\\c", "a/b", "c");
  expect_split(W, "\\\\srv\\share\\x", "\\\\srv\\share\\", "x");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_posix_root),     cmocka_unit_test(test_posix_absolute),
      cmocka_unit_test(test_posix_absolute_already_normal),
      cmocka_unit_test(test_posix_absolute_in_normal),
      cmocka_unit_test(test_posix_absolute_errors),
      cmocka_unit_test(test_posix_relative), cmocka_unit_test(test_posix_split),
      cmocka_unit_test(test_join),           cmocka_unit_test(test_win32_root),
      cmocka_unit_test(test_win32_absolute), cmocka_unit_test(test_win32_server_alone),
      cmocka_unit_test(test_win32_relative),
      cmocka_unit_test(test_win32_split),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

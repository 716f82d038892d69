/* test_errors.c -- the error table: every code has a distinct name, message and value. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "mklink.h"

static void test_reference_messages(void **state) {
  (void)state;
  assert_string_equal(mklink_strerror(MKLINK_EEXIST), "Cannot create a file when that file already exists.");
  assert_string_equal(mklink_strerror(MKLINK_ENOPATH), "The system cannot find the path specified.");
  assert_string_equal(mklink_strerror(MKLINK_ENOFILE), "The system cannot find the file specified.");
  assert_string_equal(mklink_strerror(MKLINK_EACCES), "Access is denied.");
  assert_string_equal(mklink_strerror(MKLINK_EXDEV), "The system cannot move the file to a different disk drive.");
  assert_string_equal(mklink_strerror(MKLINK_EMLINK), "An attempt was made to create more links on a file than the file system supports.");
  assert_string_equal(mklink_strerror(MKLINK_EREMOTE), "Local volumes are required to complete the operation.");
  assert_string_equal(mklink_strerror(MKLINK_ELOOP), "The name of the file cannot be resolved by the system.");
  assert_string_equal(mklink_strerror(MKLINK_ENAMETOOLONG), "The filename or extension is too long.");
  assert_string_equal(mklink_strerror(MKLINK_EBADNAME), "The filename, directory name, or volume label syntax is incorrect.");
  assert_string_equal(mklink_strerror(MKLINK_EPRIVILEGE), "You do not have sufficient privilege to perform this operation.");
  assert_int_equal(mklink_err_win32(MKLINK_EEXIST), 183);
  assert_int_equal(mklink_err_win32(MKLINK_EPRIVILEGE), 1314);
}

static void test_every_code_distinct(void **state) {
  int a, b;
  (void)state;
  for (a = -1; a > MKLINK_ERRNO_LAST; a--) {
    assert_string_not_equal(mklink_err_name(a), "MKLINK_UNKNOWN");
    assert_string_not_equal(mklink_strerror(a), "Unknown error.");
    for (b = a - 1; b > MKLINK_ERRNO_LAST; b--) {
      assert_string_not_equal(mklink_err_name(a), mklink_err_name(b));
      assert_string_not_equal(mklink_strerror(a), mklink_strerror(b));
    }
  }
  assert_string_equal(mklink_err_name(MKLINK_ERRNO_LAST), "MKLINK_UNKNOWN");
  assert_string_equal(mklink_strerror(1), "Unknown error.");
  assert_string_equal(mklink_err_name(MKLINK_EEXIST), "MKLINK_EEXIST");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_reference_messages),
      cmocka_unit_test(test_every_code_distinct),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_errors.c -- the error table: every code has a distinct name, message and value. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
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

/* Codes that carry an OS error the table does not map (MKLINK_EOS). */
static void test_os_codes(void **state) {
  char buf[MKLINK_STRERROR_MAX], small[8];
  int a;
  (void)state;
  assert_true(MKLINK_EOS(1) < MKLINK_ERRNO_LAST);
  for (a = -1; a > MKLINK_ERRNO_LAST; a--)
    assert_int_equal(mklink_err_os(a), 0);
  assert_int_equal(mklink_err_os(MKLINK_EOS(1)), 1);
  assert_int_equal(mklink_err_os(MKLINK_EOS(MKLINK_EOS_MAX)), MKLINK_EOS_MAX);
  assert_int_equal(mklink_err_os(MKLINK_EOS(MKLINK_EOS_MAX) - 1), 0);
  assert_int_equal(mklink_err_os(MKLINK_EOS_BASE), 0);
  assert_string_equal(mklink_err_name(MKLINK_EOS(1)), "MKLINK_EOS");
  assert_string_equal(mklink_err_name(MKLINK_EOS_BASE), "MKLINK_UNKNOWN");
  assert_string_equal(mklink_strerror(MKLINK_EOS(7)),
                      "The system reported an error that has no message in this table.");
  /* The table's codes: the same text, cut to fit. */
  assert_string_equal(mklink_strerror_r(MKLINK_EACCES, buf, sizeof buf), "Access is denied.");
  assert_string_equal(mklink_strerror_r(MKLINK_EACCES, small, sizeof small), "Access ");
  assert_string_equal(mklink_strerror_r(0, buf, sizeof buf), "The operation completed successfully.");
  assert_ptr_equal(mklink_strerror_r(MKLINK_EACCES, buf, 0), buf);
#ifdef _WIN32
  /* The system's own words (FormatMessageW: Windows says "The system cannot
     find the drive specified.", Wine 8 "Invalid drive."), on one line. */
  mklink_strerror_r(MKLINK_EOS(15), buf, sizeof buf);
  assert_true(strlen(buf) > 0 && strchr(buf, '\n') == NULL && strchr(buf, '\r') == NULL);
  assert_true(strstr(buf, "drive") != NULL);
  assert_int_equal(mklink_err_win32(MKLINK_EOS(15)), 15);
  assert_int_equal(mklink_err_from_os(15), MKLINK_EOS(15));
  assert_int_equal(mklink_err_from_os(112), MKLINK_ENOSPC);
  assert_int_equal(mklink_err_from_os(4), MKLINK_EMFILE);
  assert_int_equal(mklink_err_from_os(1117), MKLINK_EIO);
#else
  assert_string_equal(mklink_strerror_r(MKLINK_EOS(ESTALE), buf, sizeof buf), strerror(ESTALE));
  assert_int_equal(mklink_err_win32(MKLINK_EOS(ESTALE)), 0);
#endif
  /* Cut to fit, never past the buffer. */
  assert_int_equal(strlen(mklink_strerror_r(MKLINK_EOS(15), small, sizeof small)), 7);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_reference_messages),
      cmocka_unit_test(test_every_code_distinct),
      cmocka_unit_test(test_os_codes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

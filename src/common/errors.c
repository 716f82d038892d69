/* errors.c -- codes, names and messages, all from MKLINK_ERRNO_MAP, and the
   codes that carry an OS error the table does not map (MKLINK_EOS). */
#include "internal.h"

#include <stdio.h>
#include <string.h>

static int is_os_code(int err) {
  return err <= MKLINK_EOS(1) && err >= MKLINK_EOS(MKLINK_EOS_MAX);
}

int mklink_err_os(int err) { return is_os_code(err) ? MKLINK_EOS_BASE - err : 0; }

const char *mklink_strerror(int err) {
  switch (err) {
  case 0:
    return "The operation completed successfully.";
#define MKLINK__ERR_MSG(name, value, win32, msg) \
  case MKLINK_##name:                          \
    return msg;
    MKLINK_ERRNO_MAP(MKLINK__ERR_MSG)
#undef MKLINK__ERR_MSG
  default:
    if (is_os_code(err))
      return "The system reported an error that has no message in this table.";
    return "Unknown error.";
  }
}

char *mklink_strerror_r(int err, char *buf, size_t size) {
  int oserr = mklink_err_os(err);
  size_t n;
  if (buf == NULL || size == 0)
    return buf;
  if (oserr != 0 && mklink__os_message(oserr, buf, size) == 0)
    return buf;
  if (oserr != 0) {
    snprintf(buf, size, "System error %d.", oserr);
    return buf;
  }
  n = strlen(mklink_strerror(err));
  if (n >= size)
    n = size - 1;
  memcpy(buf, mklink_strerror(err), n);
  buf[n] = '\0';
  return buf;
}

const char *mklink_err_name(int err) {
  switch (err) {
  case 0:
    return "MKLINK_OK";
#define MKLINK__ERR_NAME(name, value, win32, msg) \
  case MKLINK_##name:                           \
    return "MKLINK_" #name;
    MKLINK_ERRNO_MAP(MKLINK__ERR_NAME)
#undef MKLINK__ERR_NAME
  default:
    return is_os_code(err) ? "MKLINK_EOS" : "MKLINK_UNKNOWN";
  }
}

int mklink_err_win32(int err) {
  switch (err) {
#define MKLINK__ERR_W32(name, value, win32, msg) \
  case MKLINK_##name:                          \
    return win32;
    MKLINK_ERRNO_MAP(MKLINK__ERR_W32)
#undef MKLINK__ERR_W32
  default:
#ifdef _WIN32
    return mklink_err_os(err); /* the carried error is a Win32 one */
#else
    return 0;
#endif
  }
}

int mklink_err_from_os(int oserr) { return oserr == 0 ? 0 : mklink__error_from_os(oserr); }

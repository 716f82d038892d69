/* errors.c -- codes, names and messages, all from MKLINK_ERRNO_MAP. */
#include "internal.h"

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
    return "Unknown error.";
  }
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
    return "MKLINK_UNKNOWN";
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
    return 0;
  }
}

/* create.c -- placeholder until the POSIX backend lands. */
#include "internal.h"

int mklink__create(const char *link, const char *target, mklink_kind kind, unsigned flags) {
  (void)link; (void)target; (void)kind; (void)flags;
  return MKLINK_ENOTSUP;
}
int mklink__query(const char *path, mklink_info *out) { (void)path; (void)out; return MKLINK_ENOTSUP; }
int mklink__remove(const char *path) { (void)path; return MKLINK_ENOTSUP; }
int mklink__capabilities(const char *dir, mklink_caps *out) { (void)dir; (void)out; return MKLINK_ENOTSUP; }

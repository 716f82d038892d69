/* walk.c -- the public entry of the link walker; the walk is per backend. */
#include "internal.h"

#define MKLINK__WALK_FLAGS \
  (MKLINK_WALK_RECURSIVE | MKLINK_WALK_HARDLINKS | MKLINK_WALK_BROKEN | MKLINK_WALK_TARGETS)

int mklink_walk(const char *dir, unsigned flags, mklink_walk_cb cb, void *arg) {
  if (dir == NULL || dir[0] == '\0' || cb == NULL || (flags & ~MKLINK__WALK_FLAGS) != 0)
    return MKLINK_EINVAL;
  return mklink__walk(dir, flags, cb, arg);
}

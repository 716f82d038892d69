/*
 * syscall.c -- the public face of the OS-call table.
 *
 * The table itself (mklink__syscalls[]) belongs to the backend; this file only
 * looks entries up by name, so both backends share one setter.
 */
#include "internal.h"

#include <string.h>

static mklink__syscall *find_syscall(const char *name) {
  size_t i;
  if (name == NULL)
    return NULL;
  for (i = 0; i < mklink__nsyscalls; i++)
    if (strcmp(mklink__syscalls[i].name, name) == 0)
      return &mklink__syscalls[i];
  return NULL;
}

int mklink_set_syscall(const char *name, mklink_syscall_ptr fn) {
  mklink__syscall *entry;
  size_t i;
  if (name == NULL && fn == NULL) {
    for (i = 0; i < mklink__nsyscalls; i++)
      mklink__syscalls[i].current = mklink__syscalls[i].dflt;
    return 0;
  }
  entry = find_syscall(name);
  if (entry == NULL)
    return MKLINK_EINVAL;
  entry->current = fn != NULL ? fn : entry->dflt;
  return 0;
}

mklink_syscall_ptr mklink_get_syscall(const char *name) {
  mklink__syscall *entry = find_syscall(name);
  return entry != NULL ? entry->current : NULL;
}

mklink_syscall_ptr mklink_default_syscall(const char *name) {
  mklink__syscall *entry = find_syscall(name);
  return entry != NULL ? entry->dflt : NULL;
}

const char *mklink_next_syscall(const char *name) {
  mklink__syscall *entry;
  size_t next;
  if (name == NULL)
    return mklink__nsyscalls > 0 ? mklink__syscalls[0].name : NULL;
  entry = find_syscall(name);
  if (entry == NULL)
    return NULL;
  next = (size_t)(entry - mklink__syscalls) + 1;
  return next < mklink__nsyscalls ? mklink__syscalls[next].name : NULL;
}

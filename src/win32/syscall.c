/*
 * syscall.c -- the Win32 OS-call table.  Each entry's typed macro is in
 * win32.h, beside the index it uses; tests replace entries by name with
 * mklink_set_syscall().
 */
#include "win32.h"

#define MKLINK__SYS_ENTRY(name) \
  {#name, (mklink_syscall_ptr)name, (mklink_syscall_ptr)name},
#define MKLINK__SYS_OWN_ENTRY(name) \
  {#name, (mklink_syscall_ptr)mklink__##name, (mklink_syscall_ptr)mklink__##name},

mklink__syscall mklink__syscalls[] = {MKLINK__WIN32_SYSCALLS(MKLINK__SYS_ENTRY)
                                          MKLINK__OWN_SYSCALLS(MKLINK__SYS_OWN_ENTRY)};
const size_t mklink__nsyscalls = sizeof mklink__syscalls / sizeof mklink__syscalls[0];

/* syscall.c -- the POSIX OS-call table (filled in as the backend grows). */
#include "internal.h"

#include <unistd.h>

mklink__syscall mklink__syscalls[] = {
    {"symlinkat", (mklink_syscall_ptr)symlinkat, (mklink_syscall_ptr)symlinkat},
};
const size_t mklink__nsyscalls = sizeof mklink__syscalls / sizeof mklink__syscalls[0];

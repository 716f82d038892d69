/*
 * win32_unix.h -- the Unix side of a Win32 name, as the Windows suite checks
 * it under Wine: Wine's wine_get_unix_file_name and raw x86_64 Linux system
 * calls, written here again and called directly, never through libmklink's
 * OS-call table (a check never trusts the code it checks).
 *
 * Every function needs a Wine on x86_64 Linux whose system calls reach
 * Linux: w32_unix_available() says so, and tests skip with its reason
 * otherwise.  Paths are UTF-8 Win32 names (relative to the current
 * directory, or absolute); link texts and Unix paths are UTF-8 bytes as
 * Linux stores them.
 */
#ifndef MKLINK_WIN32_UNIX_H
#define MKLINK_WIN32_UNIX_H

#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

/* NULL if the Unix side is reachable here, else why not. */
const char *w32_unix_unavailable(void);
int w32_unix_available(void);

/* The Unix path of PATH (malloc'ed), or NULL. */
char *w32_unix_path(const char *path);
/* A raw Linux system call (-errno on failure). */
intptr_t w32_linux(intptr_t nr, intptr_t a1, intptr_t a2, intptr_t a3);

/* symlink(2): PATH becomes a Unix symbolic link with TEXT; 0 or -errno. */
int w32_unix_symlink(const char *text, const char *path);
/* 1 if PATH is a Unix symbolic link, 0 if it is something else, -errno if
   nothing is there (-2). */
int w32_unix_is_link(const char *path);
/* 1 if PATH names a directory on the Unix side (stat, following). */
int w32_unix_is_dir(const char *path);
/* readlink(2) of PATH into BUF: 0, or -errno. */
int w32_unix_readlink(const char *path, char *buf, size_t cap);
/* The content of file PATH as Linux reads it (open/read, NUL-terminated,
   cut to CAP - 1 bytes): 0, or -errno. */
int w32_unix_read(const char *path, char *buf, size_t cap);
/* Remove every Unix symbolic link directly in directory WDIR (Win32 name,
   UTF-16): for the suite's own cleanup, which must not go through links. */
void w32_unix_clear_links(const wchar_t *wdir);
/* Entries of directory WDIR on the Unix side (".", ".." not counted), or -1
   where the Unix side cannot be reached. */
int w32_unix_entries(const wchar_t *wdir);

/* Fail the library's proof that system calls reach Linux, through its
   OS-call table: "linux_syscall" answers ANSWER to every call and writes
   nothing, as a Wine that traps system calls from PE code would (an
   NTSTATUS, or 0).  Undone with mklink_set_syscall(NULL, NULL), as
   w32_teardown does. */
void w32_expect_linux_syscall_trapped(intptr_t answer);

#endif /* MKLINK_WIN32_UNIX_H */

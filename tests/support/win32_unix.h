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
/* mkdir(2) of a Unix path, and a regular file with CONTENT. */
int w32_unix_mkdir(const char *upath);
/* Remove every Unix symbolic link directly in directory WDIR (Win32 name,
   UTF-16): for the suite's own cleanup, which must not go through links. */
void w32_unix_clear_links(const wchar_t *wdir);

#endif /* MKLINK_WIN32_UNIX_H */

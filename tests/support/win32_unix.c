/* win32_unix.c -- see win32_unix.h. */
#include "win32_unix.h"

#include "mklink.h"

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#include <stdlib.h>
#include <string.h>

/* x86_64 Linux */
#define NR_READ 0
#define NR_CLOSE 3
#define NR_STAT 4
#define NR_LSTAT 6
#define NR_UNAME 63
#define NR_UNLINK 87
#define NR_SYMLINK 88
#define NR_READLINK 89
#define NR_GETDENTS64 217
#define NR_OPENAT 257
#define NR_NEWFSTATAT 262
#define NR_UNLINKAT 263

/* Written again rather than borrowed from the library (wine_bridge.c), so
   that a check never runs on the code it checks. */
static intptr_t linux4(intptr_t nr, intptr_t a1, intptr_t a2, intptr_t a3, intptr_t a4) {
#if defined(__x86_64__)
  intptr_t ret;
  register intptr_t r10 __asm__("r10") = a4;
  register intptr_t r8 __asm__("r8") = 0;
  register intptr_t r9 __asm__("r9") = 0;
  __asm__ volatile("syscall"
                   : "=a"(ret)
                   : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
                   : "rcx", "r11", "memory");
  return ret;
#else
  (void)nr, (void)a1, (void)a2, (void)a3, (void)a4;
  return -38;
#endif
}

intptr_t w32_linux(intptr_t nr, intptr_t a1, intptr_t a2, intptr_t a3) {
  return linux4(nr, a1, a2, a3, 0);
}

#define P(x) ((intptr_t)(x))

typedef char *(CDECL *unix_name_fn)(LPCWSTR);

static unix_name_fn unix_name(void) {
  FARPROC p = GetProcAddress(GetModuleHandleW(L"kernel32.dll"), "wine_get_unix_file_name");
  return (unix_name_fn)(void (*)(void))p;
}

const char *w32_unix_unavailable(void) {
  char uts[6 * 65];
  if (GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "wine_get_version") == NULL)
    return "not under Wine: no Unix side";
  if (unix_name() == NULL)
    return "this Wine has no wine_get_unix_file_name";
#if !defined(__x86_64__)
  return "Linux system calls are checked on x86_64 only";
#else
  memset(uts, 0, sizeof uts);
  if (w32_linux(NR_UNAME, P(uts), 0, 0) != 0 || strcmp(uts, "Linux") != 0)
    return "system calls from PE code do not reach Linux here";
  return NULL;
#endif
}

int w32_unix_available(void) { return w32_unix_unavailable() == NULL; }

static char *unix_of_wide(const wchar_t *w) {
  unix_name_fn fn = unix_name();
  char *u = fn != NULL ? fn(w) : NULL, *copy;
  if (u == NULL)
    return NULL;
  copy = malloc(strlen(u) + 1);
  if (copy != NULL)
    strcpy(copy, u);
  HeapFree(GetProcessHeap(), 0, u);
  return copy;
}

char *w32_unix_path(const char *path) {
  int n = MultiByteToWideChar(CP_UTF8, 0, path, -1, NULL, 0);
  wchar_t *w = malloc((size_t)n * sizeof *w);
  char *u;
  if (w == NULL)
    return NULL;
  MultiByteToWideChar(CP_UTF8, 0, path, -1, w, n);
  u = unix_of_wide(w);
  free(w);
  return u;
}

int w32_unix_symlink(const char *text, const char *path) {
  char *u = w32_unix_path(path);
  int rc = u != NULL ? (int)w32_linux(NR_SYMLINK, P(text), P(u), 0) : -2;
  free(u);
  return rc;
}

static int mode_of(const char *path, intptr_t nr, unsigned *mode) {
  unsigned char st[144];
  char *u = w32_unix_path(path);
  intptr_t rc = u != NULL ? w32_linux(nr, P(u), P(st), 0) : -2;
  free(u);
  if (rc == 0)
    memcpy(mode, st + 24, sizeof *mode);
  return (int)rc;
}

int w32_unix_is_link(const char *path) {
  unsigned mode = 0;
  int rc = mode_of(path, NR_LSTAT, &mode);
  return rc != 0 ? rc : (mode & 0170000u) == 0120000u;
}

int w32_unix_is_dir(const char *path) {
  unsigned mode = 0;
  return mode_of(path, NR_STAT, &mode) == 0 && (mode & 0170000u) == 0040000u;
}

int w32_unix_readlink(const char *path, char *buf, size_t cap) {
  char *u = w32_unix_path(path);
  intptr_t n = u != NULL ? w32_linux(NR_READLINK, P(u), P(buf), (intptr_t)cap - 1) : -2;
  free(u);
  if (n < 0)
    return (int)n;
  buf[n] = '\0';
  return 0;
}

int w32_unix_read(const char *path, char *buf, size_t cap) {
  char *u = w32_unix_path(path);
  intptr_t fd = u != NULL ? linux4(NR_OPENAT, -100, P(u), 0 /* O_RDONLY */, 0) : -2, n;
  free(u);
  if (fd < 0)
    return (int)fd;
  n = w32_linux(NR_READ, fd, P(buf), (intptr_t)cap - 1);
  w32_linux(NR_CLOSE, fd, 0, 0);
  if (n < 0)
    return (int)n;
  buf[n] = '\0';
  return 0;
}

/* FN(FD, NAME) for each entry of directory WDIR but "." and "..", on the
   Unix side, never through a link; the number of entries, or -1. */
static int each_entry(const wchar_t *wdir, void (*fn)(intptr_t fd, const char *name)) {
  unsigned char buf[4096];
  char *u;
  intptr_t fd, got, at;
  int n = 0;
  if (!w32_unix_available() || (u = unix_of_wide(wdir)) == NULL)
    return -1;
  /* O_RDONLY | O_DIRECTORY | O_NOFOLLOW */
  fd = linux4(NR_OPENAT, -100, P(u), 0x10000 | 0x20000, 0);
  free(u);
  if (fd < 0)
    return -1;
  while ((got = w32_linux(NR_GETDENTS64, fd, P(buf), sizeof buf)) > 0) {
    for (at = 0; at < got;) {
      unsigned short reclen;
      const char *name = (const char *)buf + at + 19;
      memcpy(&reclen, buf + at + 16, sizeof reclen);
      at += reclen;
      if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        continue;
      n++;
      if (fn != NULL)
        fn(fd, name);
    }
  }
  w32_linux(NR_CLOSE, fd, 0, 0);
  return n;
}

static void unlink_if_link(intptr_t fd, const char *name) {
  unsigned char st[144];
  unsigned mode;
  if (linux4(NR_NEWFSTATAT, fd, P(name), P(st), 0x100) != 0)
    return;
  memcpy(&mode, st + 24, sizeof mode);
  if ((mode & 0170000u) == 0120000u)
    w32_linux(NR_UNLINKAT, fd, P(name), 0);
}

void w32_unix_clear_links(const wchar_t *wdir) { each_entry(wdir, unlink_if_link); }

int w32_unix_entries(const wchar_t *wdir) { return each_entry(wdir, NULL); }

static intptr_t answer_of_trap;

static intptr_t trapped(intptr_t nr, intptr_t a1, intptr_t a2, intptr_t a3, intptr_t a4,
                        intptr_t a5) {
  (void)nr, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
  return answer_of_trap;
}

void w32_expect_linux_syscall_trapped(intptr_t answer) {
  answer_of_trap = answer;
  if (mklink_set_syscall("linux_syscall", (mklink_syscall_ptr)trapped) != 0)
    abort();
}

/*
 * win32_suite.h -- the frame of the Windows suite under Wine: one temporary
 * directory per test (made the current directory), the honest count of what
 * ran against the real system, what against the NTFS model, what was
 * skipped and why, and raw Win32 checks that bypass libmklink's OS-call
 * table (so a check never trusts the code it checks).
 */
#ifndef MKLINK_WIN32_SUITE_H
#define MKLINK_WIN32_SUITE_H

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "mklink.h"

typedef enum w32_backend {
  W32_REAL,   /* the system itself (Wine, or Windows)                       */
  W32_MODEL,  /* the NTFS model, or a system call answered by the test      */
  W32_BRIDGE  /* the system itself, its links made through the Wine bridge:
                 Unix symbolic links, checked from the Unix side            */
} w32_backend;

typedef struct w32_ctx {
  w32_backend backend;
  int completed;            /* set when the body ran to its end          */
  const char *skip_reason;  /* set by w32_skip                           */
  const void *param;        /* the table row, for table-driven tests     */
  char dir[MAX_PATH * 3];   /* the test's directory, absolute, UTF-8     */
  wchar_t wdir[MAX_PATH];
  wchar_t oldcwd[MAX_PATH];
} w32_ctx;

/* Once per executable, before the tests: mark SUITE as started in its
   counts file (a suite that never finishes is then told from one that did
   not run), and probe what the system really creates here. */
void w32_start(const char *suite);
void w32_init(void);
const mklink_caps *w32_caps(void);
/* The system's own calls create KIND here (Windows, a Wine with reparse
   points): not through the Wine bridge. */
int w32_really_creates(mklink_kind kind);
/* KIND is made through the Wine bridge here (a Wine that makes none). */
int w32_bridges(mklink_kind kind);

/* cmocka fixtures: a fresh directory, made current; afterwards the OS-call
   table restored, the directory removed and the test counted (real, model
   or skipped) if it completed. */
int w32_setup(void **state);
int w32_teardown(void **state);

/* A test body: runs with CTX; counted as BACKEND when it completes. */
#define W32_TEST(name, be)                                  \
  static void name##_body(w32_ctx *ctx W32_MAYBE_UNUSED);   \
  static void name(void **state) {                          \
    w32_ctx *ctx = *state;                                  \
    ctx->backend = (be);                                    \
    name##_body(ctx);                                       \
    ctx->completed = 1;                                     \
  }                                                         \
  static void name##_body(w32_ctx *ctx W32_MAYBE_UNUSED)

#define W32_MAYBE_UNUSED __attribute__((unused))

#define W32_CASE(name) cmocka_unit_test_setup_teardown(name, w32_setup, w32_teardown)

/* Print REASON, count the test as skipped for it, and skip. */
#define w32_skip(ctx, reason)                                           \
  do {                                                                  \
    (ctx)->skip_reason = (reason);                                      \
    print_message("[  SKIP    ] %s\n", (reason));                       \
    skip();                                                             \
  } while (0)

/* Tests that delete or move trees run only in the sandbox of ci/wine-tree
   (a private mount namespace where only the build tree and /tmp can be
   written), never in a plain Wine run: elsewhere they skip, saying so. */
#define W32_REQUIRE_TREE_SANDBOX(ctx)                                             \
  do {                                                                          \
    if (getenv("MKLINK_TREE_SANDBOX") == NULL)                                  \
      w32_skip(ctx, "deletes trees: runs only in the sandbox of ci/wine-tree"); \
  } while (0)

/* Append this executable's counts to win32-counts-SUITE.txt in the run
   directory; returns cmocka's result unchanged. */
int w32_finish(const char *suite, int cmocka_result);

/* ---- raw checks and fixtures (real Win32, never the table) -------------- */

wchar_t *w32_wide(const char *utf8);               /* malloc'ed          */
void w32_write(const char *path, const char *content);
char *w32_read(const char *path);                  /* malloc'ed, or NULL */
void w32_mkdir(const char *path);
int w32_exists(const char *path);                  /* lstat-like         */
DWORD w32_attrs(const char *path);                 /* INVALID if absent  */
/* Entries in the test directory (".", ".." not counted); under Wine counted
   on the Unix side, where a dangling link Win32 does not list counts too. */
int w32_entries(void);
/* Volume serial, file index and link count of PATH (not followed). */
int w32_file_id(const char *path, DWORD *volume, ULONGLONG *index, DWORD *nlink);
/* Full path of PATH (GetFullPathNameW, UTF-8, malloc'ed). */
char *w32_full(const char *path);
/* The raw reparse buffer of PATH from the real system: bytes, or -1. */
int w32_raw_reparse(const char *path, unsigned char *buf, size_t cap, size_t *len);
/* What mklink_walk reported, in the order it did: "KIND PATH" per entry
   ("error:NAME PATH" for an error entry), joined by '\n' into OUT. */
int w32_walk(const char *dir, unsigned flags, char *out, size_t cap);
/* 1 if LISTING (from w32_walk) has the line LINE. */
int w32_listed(const char *listing, const char *line);
int w32_lines(const char *listing);

/* Remove a tree without following reparse points. */
void w32_rmtree(const wchar_t *dir);

#endif /* MKLINK_WIN32_SUITE_H */

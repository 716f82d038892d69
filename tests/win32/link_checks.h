/*
 * link_checks.h -- independent checks of symbolic links and junctions for
 * the Windows suite: the reparse buffer is read from the real system (raw
 * Win32, not libmklink's table) or, for a test against the model, from the
 * model's store, and decoded with the codec; a link made through the Wine
 * bridge is read from the Unix side (raw Linux calls, win32_unix.h) and its
 * text compared with the POSIX encoding of what was asked for.  A test that
 * asserts through these never takes mklink_create()'s word for it.
 */
#ifndef MKLINK_LINK_CHECKS_H
#define MKLINK_LINK_CHECKS_H

#include "win32_suite.h"

#include "ntfs_model.h"
#include "reparse.h"
#include "win32_unix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static mklink__reparse check_r;

/* Decode the reparse point at PATH into check_r: 0, MKLINK__REPARSE_OTHER,
   or -1 if PATH is not a reparse point / cannot be read. */
static inline int read_link(const w32_ctx *ctx, const char *path) {
  static unsigned char buf[MKLINK__REPARSE_MAX];
  size_t len = 0;
  int rc;
  if (ctx->backend == W32_BRIDGE)
    return w32_unix_is_link(path) == 1 ? 0 : -1;
  rc = ctx->backend == W32_REAL ? w32_raw_reparse(path, buf, sizeof buf, &len)
                                    : ntfs_model_get(path, buf, sizeof buf, &len);
  if (rc != 0)
    return -1;
  rc = mklink__reparse_decode(buf, len, &check_r);
  return rc < 0 ? -1 : rc;
}

static inline char *name_utf8(const uint16_t *name, size_t len) {
  static char out[MKLINK__REPARSE_NAME_MAX * 3 + 1];
  int n = WideCharToMultiByte(CP_UTF8, 0, (const wchar_t *)name, (int)len, out,
                              (int)sizeof out - 1, NULL, NULL);
  out[n > 0 ? n : 0] = '\0';
  return out;
}

/* The Unix text of a bridged link to the Windows path WIN: its Unix path
   (absolute), or WIN with '/' for '\\' (relative); "/." first for a
   junction.  Static storage. */
static inline const char *bridge_text(const char *win, int relative, int junction) {
  static char text[4096 + 8];
  char *u, *p;
  if (relative) {
    snprintf(text, sizeof text, "%s", win);
    for (p = text; *p; p++)
      if (*p == '\\')
        *p = '/';
    return text;
  }
  /* Wine maps what exists; missing directories follow as typed. */
  {
    char head[4096];
    size_t cut;
    snprintf(head, sizeof head, "%s", win);
    cut = strlen(head);
    while ((u = w32_unix_path(head)) == NULL && cut > 3) {
      while (cut > 3 && head[cut - 1] != '\\')
        cut--;
      cut -= cut > 3;
      head[cut] = '\0';
    }
    assert_non_null(u);
    snprintf(text, sizeof text, "%s%s%s", junction ? "/." : "", u, win + cut);
    free(u);
  }
  for (p = text; *p; p++)
    if (*p == '\\')
      *p = '/';
  return text;
}

/* PATH is a Unix symbolic link with the text of WIN (bridge_text).  A Unix
   link records no /D: Win32 shows the directory attribute iff it leads to a
   directory. */
static inline void assert_bridged(const char *path, const char *win, int relative,
                                  int junction) {
  char text[4096 + 8];
  DWORD attrs = w32_attrs(path);
  assert_int_equal(w32_unix_is_link(path), 1);
  assert_int_equal(w32_unix_readlink(path, text, sizeof text), 0);
  assert_string_equal(text, bridge_text(win, relative, junction));
  if (attrs != INVALID_FILE_ATTRIBUTES)
    assert_int_equal((attrs & FILE_ATTRIBUTE_DIRECTORY) != 0, w32_unix_is_dir(path));
  else
    assert_false(w32_unix_is_dir(path)); /* dangling: Win32 sees nothing */
}

/* PATH is a symbolic link storing PRINT (as typed), relative or not, with
   the directory attribute iff DIR. */
static inline void assert_symlink(const w32_ctx *ctx, const char *path, const char *print,
                                  int relative, int dir) {
  DWORD attrs = w32_attrs(path);
  if (ctx->backend == W32_BRIDGE) {
    assert_bridged(path, print, relative, 0);
    return;
  }
  assert_int_equal(read_link(ctx, path), 0);
  assert_int_equal(check_r.tag, MKLINK__IO_REPARSE_TAG_SYMLINK);
  assert_string_equal(name_utf8(check_r.print, check_r.print_len), print);
  assert_int_equal((check_r.flags & MKLINK__SYMLINK_FLAG_RELATIVE) != 0, relative);
  assert_true(attrs != INVALID_FILE_ATTRIBUTES);
  assert_int_equal((attrs & FILE_ATTRIBUTE_DIRECTORY) != 0, dir);
}

/* PATH is a junction: substitute \??\FULL, print FULL (never empty). */
static inline void assert_junction(const w32_ctx *ctx, const char *path, const char *full) {
  char subst[4096 + 8];
  if (ctx->backend == W32_BRIDGE) {
    assert_bridged(path, full, 0, 1);
    return;
  }
  assert_int_equal(read_link(ctx, path), 0);
  assert_int_equal(check_r.tag, MKLINK__IO_REPARSE_TAG_MOUNT_POINT);
  assert_true(check_r.print_len > 0);
  assert_string_equal(name_utf8(check_r.print, check_r.print_len), full);
  strcpy(subst, "\\??\\");
  strcat(subst, full);
  assert_string_equal(name_utf8(check_r.subst, check_r.subst_len), subst);
  assert_true(w32_attrs(path) & FILE_ATTRIBUTE_DIRECTORY);
}

/* Nothing at PATH, and no reparse point recorded for it either. */
static inline void assert_nothing(const w32_ctx *ctx, const char *path) {
  assert_false(w32_exists(path));
  assert_int_equal(read_link(ctx, path), -1);
  if (ctx->backend == W32_BRIDGE)
    assert_int_equal(w32_unix_is_link(path), -2); /* nothing on the Unix side */
}

/* PATH is a plain file holding CONTENT. */
static inline void assert_file(const char *path, const char *content) {
  char *got = w32_read(path);
  assert_non_null(got);
  assert_string_equal(got, content);
  free(got);
  assert_false(w32_attrs(path) & FILE_ATTRIBUTE_REPARSE_POINT);
}

#endif /* MKLINK_LINK_CHECKS_H */

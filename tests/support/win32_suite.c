/* win32_suite.c -- see win32_suite.h. */
#include "win32_suite.h"

#include "win32_unix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <winioctl.h>

#ifndef FSCTL_GET_REPARSE_POINT
#define FSCTL_GET_REPARSE_POINT 0x000900A8
#endif

static mklink_caps caps;
static int caps_ready;
static unsigned n_real, n_model, n_bridge, n_skipped, n_dirs;

#define MAX_REASONS 16
static struct {
  const char *text;
  unsigned count;
} reasons[MAX_REASONS];

/* WORD for a kind the probe found, with "(wine bridge)" if it is bridged. */
static const char *kind_word(mklink_kind kind, const char *word) {
  static char buf[4][48];
  static int next;
  char *b = buf[next++ % 4];
  if (!(caps.real & MKLINK_KIND_BIT(kind)))
    return "";
  snprintf(b, sizeof buf[0], "%s%s", word,
           (caps.bridged & MKLINK_KIND_BIT(kind)) ? "(wine bridge)" : "");
  return b;
}

void w32_init(void) {
  int err;
  if (caps_ready)
    return;
  err = mklink_capabilities(NULL, &caps);
  if (err != 0) {
    fprintf(stderr, "mklink_capabilities failed: %s\n", mklink_strerror(err));
    exit(1);
  }
  caps_ready = 1;
  print_message("[ PROBE    ] %s%s%s: really creates:%s%s%s%s\n",
                caps.emulator[0] ? caps.emulator : "windows", caps.emulator[0] ? " " : "",
                caps.emulator_version, kind_word(MKLINK_FILE_SYMLINK, " file-symlink"),
                kind_word(MKLINK_DIR_SYMLINK, " dir-symlink"),
                kind_word(MKLINK_HARDLINK, " hardlink"), kind_word(MKLINK_JUNCTION, " junction"));
}

const mklink_caps *w32_caps(void) {
  w32_init();
  return &caps;
}

int w32_really_creates(mklink_kind kind) {
  w32_init();
  return (caps.real & ~caps.bridged & MKLINK_KIND_BIT(kind)) != 0;
}

int w32_bridges(mklink_kind kind) {
  w32_init();
  return (caps.bridged & MKLINK_KIND_BIT(kind)) != 0;
}

static void counts_name(char *buf, size_t cap, const char *suite) {
  snprintf(buf, cap, "win32-counts-%s.txt", suite);
}

void w32_start(const char *suite) {
  char name[128];
  FILE *f;
  counts_name(name, sizeof name, suite);
  f = fopen(name, "w");
  if (f != NULL) {
    fputs("started\n", f);
    fclose(f);
  }
  w32_init();
}

int w32_setup(void **state) {
  w32_ctx *ctx = calloc(1, sizeof *ctx);
  wchar_t name[64];
  w32_init();
  if (ctx == NULL)
    return -1;
  ctx->param = *state;
  GetCurrentDirectoryW(MAX_PATH, ctx->oldcwd);
  swprintf(name, 64, L"t%lu-%u", (unsigned long)GetCurrentProcessId(), ++n_dirs);
  if (!CreateDirectoryW(name, NULL) || !SetCurrentDirectoryW(name))
    return -1;
  GetCurrentDirectoryW(MAX_PATH, ctx->wdir);
  WideCharToMultiByte(CP_UTF8, 0, ctx->wdir, -1, ctx->dir, sizeof ctx->dir, NULL, NULL);
  *state = ctx;
  return 0;
}

static void count_skip(const char *reason) {
  int i;
  n_skipped++;
  for (i = 0; i < MAX_REASONS && reasons[i].text != NULL; i++)
    if (strcmp(reasons[i].text, reason) == 0)
      break;
  if (i == MAX_REASONS)
    return;
  reasons[i].text = reason;
  reasons[i].count++;
}

int w32_teardown(void **state) {
  w32_ctx *ctx = *state;
  wchar_t longdir[MAX_PATH + 8];
  SetCurrentDirectoryW(ctx->oldcwd);
  /* \\?\ so that trees deeper than MAX_PATH go too. */
  mklink_set_syscall(NULL, NULL);
  swprintf(longdir, MAX_PATH + 8, L"\\\\?\\%ls", ctx->wdir);
  w32_rmtree(longdir);
  if (ctx->skip_reason != NULL)
    count_skip(ctx->skip_reason);
  else if (ctx->completed && ctx->backend == W32_REAL)
    n_real++;
  else if (ctx->completed && ctx->backend == W32_BRIDGE)
    n_bridge++;
  else if (ctx->completed)
    n_model++;
  *state = (void *)ctx->param;
  free(ctx);
  return 0;
}

int w32_finish(const char *suite, int cmocka_result) {
  char name[128];
  FILE *f;
  int i;
  counts_name(name, sizeof name, suite);
  f = fopen(name, "w");
  if (f == NULL)
    return 1;
  fprintf(f, "real %u\nbridge %u\nmodel %u\nskipped %u\n", n_real, n_bridge, n_model, n_skipped);
  for (i = 0; i < MAX_REASONS && reasons[i].text != NULL; i++)
    fprintf(f, "reason %u %s\n", reasons[i].count, reasons[i].text);
  fprintf(f, "failed %d\n", cmocka_result);
  fclose(f);
  return cmocka_result;
}

/* ---- raw helpers -------------------------------------------------------- */

wchar_t *w32_wide(const char *utf8) {
  int n = MultiByteToWideChar(CP_UTF8, 0, utf8, -1, NULL, 0);
  wchar_t *w = malloc((size_t)n * sizeof *w);
  assert_non_null(w);
  MultiByteToWideChar(CP_UTF8, 0, utf8, -1, w, n);
  return w;
}

void w32_write(const char *path, const char *content) {
  wchar_t *w = w32_wide(path);
  DWORD done;
  HANDLE h = CreateFileW(w, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
  free(w);
  assert_true(h != INVALID_HANDLE_VALUE);
  assert_true(WriteFile(h, content, (DWORD)strlen(content), &done, NULL));
  CloseHandle(h);
}

char *w32_read(const char *path) {
  wchar_t *w = w32_wide(path);
  char *buf = calloc(1, 4096);
  DWORD done = 0;
  HANDLE h = CreateFileW(w, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
  free(w);
  if (h == INVALID_HANDLE_VALUE) {
    free(buf);
    return NULL;
  }
  ReadFile(h, buf, 4095, &done, NULL);
  CloseHandle(h);
  return buf;
}

void w32_mkdir(const char *path) {
  wchar_t *w = w32_wide(path);
  BOOL ok = CreateDirectoryW(w, NULL);
  free(w);
  assert_true(ok);
}

DWORD w32_attrs(const char *path) {
  wchar_t *w = w32_wide(path);
  DWORD a = GetFileAttributesW(w);
  free(w);
  return a;
}

int w32_exists(const char *path) { return w32_attrs(path) != INVALID_FILE_ATTRIBUTES; }

int w32_entries(void) {
  WIN32_FIND_DATAW fd;
  int unix_count = w32_unix_entries(L".");
  if (unix_count >= 0)
    return unix_count;
  HANDLE h = FindFirstFileW(L"*", &fd);
  int n = 0;
  if (h == INVALID_HANDLE_VALUE)
    return 0;
  do {
    if (wcscmp(fd.cFileName, L".") != 0 && wcscmp(fd.cFileName, L"..") != 0)
      n++;
  } while (FindNextFileW(h, &fd));
  FindClose(h);
  return n;
}

int w32_file_id(const char *path, DWORD *volume, ULONGLONG *index, DWORD *nlink) {
  BY_HANDLE_FILE_INFORMATION fi;
  wchar_t *w = w32_wide(path);
  HANDLE h = CreateFileW(w, FILE_READ_ATTRIBUTES,
                         FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                         OPEN_EXISTING,
                         FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT, NULL);
  BOOL ok;
  free(w);
  if (h == INVALID_HANDLE_VALUE)
    return -1;
  ok = GetFileInformationByHandle(h, &fi);
  CloseHandle(h);
  if (!ok)
    return -1;
  *volume = fi.dwVolumeSerialNumber;
  *index = ((ULONGLONG)fi.nFileIndexHigh << 32) | fi.nFileIndexLow;
  *nlink = fi.nNumberOfLinks;
  return 0;
}

char *w32_full(const char *path) {
  wchar_t *w = w32_wide(path), full[4096];
  char *out = malloc(4096 * 3);
  DWORD n = GetFullPathNameW(w, 4096, full, NULL);
  free(w);
  assert_true(n > 0 && n < 4096);
  assert_non_null(out);
  WideCharToMultiByte(CP_UTF8, 0, full, -1, out, 4096 * 3, NULL, NULL);
  return out;
}

int w32_raw_reparse(const char *path, unsigned char *buf, size_t cap, size_t *len) {
  wchar_t *w = w32_wide(path);
  DWORD got = 0;
  HANDLE h = CreateFileW(w, FILE_READ_ATTRIBUTES,
                         FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                         OPEN_EXISTING,
                         FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT, NULL);
  BOOL ok;
  free(w);
  if (h == INVALID_HANDLE_VALUE)
    return -1;
  ok = DeviceIoControl(h, FSCTL_GET_REPARSE_POINT, NULL, 0, buf, (DWORD)cap, &got, NULL);
  CloseHandle(h);
  *len = got;
  return ok ? 0 : -1;
}

typedef struct walk_out {
  char *out;
  size_t cap;
} walk_out;

static int collect(const mklink_walk_entry *e, void *arg) {
  walk_out *o = arg;
  size_t used = strlen(o->out);
  if (e->error != 0)
    snprintf(o->out + used, o->cap - used, "error:%s %s\n", mklink_err_name(e->error), e->path);
  else
    snprintf(o->out + used, o->cap - used, "%s %s\n", mklink_kind_name(e->info->kind), e->path);
  return 0;
}

int w32_walk(const char *dir, unsigned flags, char *out, size_t cap) {
  walk_out o;
  o.out = out;
  o.cap = cap;
  out[0] = '\0';
  return mklink_walk(dir, flags, collect, &o);
}

int w32_listed(const char *listing, const char *line) {
  size_t n = strlen(line);
  const char *p = listing;
  while ((p = strstr(p, line)) != NULL) {
    if ((p == listing || p[-1] == '\n') && p[n] == '\n')
      return 1;
    p += n;
  }
  return 0;
}

int w32_lines(const char *s) {
  int n = 0;
  for (; *s; s++)
    n += *s == '\n';
  return n;
}

void w32_rmtree(const wchar_t *dir) {
  WIN32_FIND_DATAW fd;
  wchar_t pattern[1100], child[1100];
  HANDLE h;
  /* Under Wine, Unix symbolic links first, from the Unix side: Wine's
     DeleteFileW would delete their targets and FindFirstFileW does not list
     the dangling ones. */
  w32_unix_clear_links(dir);
  swprintf(pattern, 1100, L"%ls\\*", dir);
  h = FindFirstFileW(pattern, &fd);
  if (h != INVALID_HANDLE_VALUE) {
    do {
      if (wcscmp(fd.cFileName, L".") == 0 || wcscmp(fd.cFileName, L"..") == 0)
        continue;
      swprintf(child, 1100, L"%ls\\%ls", dir, fd.cFileName);
      if (fd.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) {
        if (!RemoveDirectoryW(child))
          DeleteFileW(child);
      } else if (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) {
        w32_rmtree(child);
      } else {
        SetFileAttributesW(child, FILE_ATTRIBUTE_NORMAL);
        DeleteFileW(child);
      }
    } while (FindNextFileW(h, &fd));
    FindClose(h);
  }
  RemoveDirectoryW(dir);
}

/* posix_move.c -- see posix_move.h.  Calls the system directly, never
   through libmklink's table (a test may have hooks in it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "posix_move.h"
#include "posix_sandbox.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char context[512];

void move_context(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(context, sizeof context, fmt, ap);
  va_end(ap);
}

/* SBX_CHECK, saying first what the test was doing. */
#define CHECK(cond)                                                   \
  do {                                                                \
    if (!(cond)) {                                                    \
      fprintf(stderr, "while %s:\n", context[0] ? context : "(?)");   \
      sandbox_check_failed(__FILE__, __LINE__, #cond);                \
    }                                                                 \
  } while (0)

/* The numbered files' times: a fixed moment with nanoseconds, so a copy that
   drops the time or rounds it shows. */
#define SCENE_SEC 1500000000L

static unsigned file_size(const move_scene *s, int i) {
  return s->max_size == 0 ? 0 : (unsigned)(((unsigned long)i * 2654435761ul) % s->max_size);
}

static mode_t file_mode(int i) {
  static const mode_t modes[] = {0644, 0600, 0755, 0444, 0640};
  return modes[i % 5];
}

/* The content of file number I (the big file: -1) from byte OFF on: every
   8-byte word a mix of the file's number and the word's, so no two files and
   no two places in a file are alike. */
static void fill(unsigned char *buf, size_t n, int i, unsigned long off) {
  size_t k;
  uint64_t x = 0;
  for (k = 0; k < n; k++) {
    unsigned long pos = off + k;
    if (k == 0 || pos % 8 == 0) {
      x = (uint64_t)(i + 2) * 0x9E3779B97F4A7C15ull ^ (uint64_t)(pos / 8) * 0xBF58476D1CE4E5B9ull;
      x ^= x >> 29;
      x *= 0x94D049BB133111EBull;
      x ^= x >> 32;
    }
    buf[k] = (unsigned char)(x >> (8 * (pos % 8)));
  }
}

static void numbered_path(const char *top, const move_scene *s, int i, char *out, size_t size) {
  snprintf(out, size, "%s/d%03d/f%05d", top, i / (s->per_dir > 0 ? s->per_dir : 1), i);
}

static void write_numbered(const char *path, int i, unsigned long size, mode_t mode) {
  unsigned char buf[65536];
  unsigned long off = 0;
  struct timespec ts[2];
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
  SBX_CHECK(fd >= 0);
  while (off < size) {
    size_t n = size - off < sizeof buf ? (size_t)(size - off) : sizeof buf;
    fill(buf, n, i, off);
    SBX_CHECK(write(fd, buf, n) == (ssize_t)n);
    off += n;
  }
  SBX_CHECK(fchmod(fd, mode) == 0);
  ts[0].tv_sec = ts[1].tv_sec = SCENE_SEC + i;
  ts[0].tv_nsec = ts[1].tv_nsec = 123456789 - i;
  SBX_CHECK(futimens(fd, ts) == 0);
  SBX_CHECK(close(fd) == 0);
}

/* Is PATH file number I, intact? Its size if so, else 0. */
static unsigned long intact(const char *path, int i, unsigned long size, mode_t mode) {
  unsigned char want[65536], got[65536];
  unsigned long off = 0;
  struct stat st;
  int fd = open(path, O_RDONLY | O_NOFOLLOW);
  if (fd < 0)
    return 0;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (unsigned long)st.st_size != size ||
      (st.st_mode & 07777) != mode) {
    close(fd);
    return 0;
  }
  while (off < size) {
    size_t n = size - off < sizeof want ? (size_t)(size - off) : sizeof want;
    if (read(fd, got, n) != (ssize_t)n)
      break;
    fill(want, n, i, off);
    if (memcmp(want, got, n) != 0)
      break;
    off += n;
  }
  close(fd);
  return off == size ? size : 0;
}

static void put(const char *top, const char *name, const char *content) {
  char p[PATH_MAX];
  int fd;
  snprintf(p, sizeof p, "%s/%s", top, name);
  fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0644);
  SBX_CHECK(fd >= 0);
  SBX_CHECK(write(fd, content, strlen(content)) == (ssize_t)strlen(content));
  SBX_CHECK(close(fd) == 0);
}

static void put_dir(const char *top, const char *name, mode_t mode) {
  char p[PATH_MAX];
  snprintf(p, sizeof p, "%s/%s", top, name);
  SBX_CHECK(mkdir(p, mode) == 0);
  SBX_CHECK(chmod(p, mode) == 0);
}

static void put_link(const char *top, const char *text, const char *name) {
  char p[PATH_MAX];
  snprintf(p, sizeof p, "%s/%s", top, name);
  SBX_CHECK(symlink(text, p) == 0);
}

static void put_hard(const char *top, const char *from, const char *name) {
  char a[PATH_MAX], b[PATH_MAX];
  snprintf(a, sizeof a, "%s/%s", top, from);
  snprintf(b, sizeof b, "%s/%s", top, name);
  SBX_CHECK(link(a, b) == 0);
}

/* One of everything else a move must keep. */
static void make_extras(const char *top, const move_scene *s) {
  char text[PATH_MAX], p[PATH_MAX];
  const char *outside = s->outside != NULL ? s->outside : "/nowhere";
  put_dir(top, "x", 0755);
  put(top, "x/empty-file", "");
  put_dir(top, "x/empty-dir", 0700);
  put_dir(top, "x/deep", 0755);
  put_dir(top, "x/deep/er", 0750);
  put_dir(top, "x/deep/er/est", 0711);
  put(top, "x/deep/er/est/leaf", "a leaf, four levels down");
  put(top, "x/hard-a", "one file with three names");
  put_hard(top, "x/hard-a", "x/hard-b");
  put_hard(top, "x/hard-a", "x/deep/hard-c");
  put_link(top, "hard-a", "x/rel-file-link");
  put_link(top, "deep/er", "x/rel-dir-link");
  put_link(top, "../../x/deep", "x/deep/er/up-link");
  put_link(top, outside, "x/abs-outside-link");
  put_link(top, "/nowhere/at/all", "x/dangling");
  put_link(top, "self-loop", "x/self-loop");
  snprintf(text, sizeof text, "/.%s", outside); /* a simulated junction */
  put_link(top, text, "x/junction-outside");
  snprintf(p, sizeof p, "%s/x/junction-inside", top);
  snprintf(text, sizeof text, "%s/x/deep", top);
  SBX_CHECK(mklink_create(p, text, MKLINK_JUNCTION, 0) == 0);
  put(top, "x/name with spaces and \xc3\xa9", "UTF-8 name");
  put(top, "x/read-only", "0444");
  snprintf(p, sizeof p, "%s/x/read-only", top);
  SBX_CHECK(chmod(p, 0444) == 0);
  put_dir(top, "x/locked", 0755);
  put(top, "x/locked/in", "in a directory of mode 0555");
  snprintf(p, sizeof p, "%s/x/locked", top);
  SBX_CHECK(chmod(p, 0555) == 0);
}

unsigned long long move_make(const char *top, const move_scene *s) {
  char p[PATH_MAX];
  int i, dir = -1;
  unsigned long long bytes;
  SBX_CHECK(mkdir(top, 0755) == 0);
  for (i = 0; i < s->files; i++) {
    int d = i / (s->per_dir > 0 ? s->per_dir : 1);
    if (d != dir) {
      snprintf(p, sizeof p, "%s/d%03d", top, d);
      SBX_CHECK(mkdir(p, 0755) == 0);
      dir = d;
    }
    numbered_path(top, s, i, p, sizeof p);
    write_numbered(p, i, file_size(s, i), file_mode(i));
  }
  if (s->big > 0) {
    snprintf(p, sizeof p, "%s/big", top);
    write_numbered(p, -1, s->big, 0644);
  }
  if (s->extras)
    make_extras(top, s);
  (void)sandbox_content_digest(top, &bytes);
  return bytes;
}

unsigned long long move_bytes_total(const move_scene *s) {
  unsigned long long total = s->big;
  int i;
  for (i = 0; i < s->files; i++)
    total += file_size(s, i);
  return total;
}

unsigned long long move_bytes_intact(const char *top, const move_scene *s) {
  char p[PATH_MAX];
  unsigned long long total = 0;
  int i;
  for (i = 0; i < s->files; i++) {
    numbered_path(top, s, i, p, sizeof p);
    total += intact(p, i, file_size(s, i), file_mode(i));
  }
  if (s->big > 0) {
    snprintf(p, sizeof p, "%s/big", top);
    total += intact(p, -1, s->big, 0644);
  }
  return total;
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int move_dir_is(const char *dir, const char *const *names) {
  const char *got[64];
  size_t n = 0, want = 0, i;
  struct dirent *de;
  DIR *d = opendir(dir);
  int same;
  if (d == NULL)
    return 0;
  while ((de = readdir(d)) != NULL && n < 64)
    if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
      got[n++] = strdup(de->d_name);
  closedir(d);
  while (names[want] != NULL)
    want++;
  same = n == want;
  for (i = 0; same && i < n; i++) {
    size_t k;
    for (k = 0; k < want && strcmp(names[k], got[i]) != 0; k++)
      ;
    same = k < want;
  }
  if (!same) {
    qsort(got, n, sizeof *got, by_name);
    fprintf(stderr, "%s holds:", dir);
    for (i = 0; i < n; i++)
      fprintf(stderr, " '%s'", got[i]);
    fprintf(stderr, "\n");
  }
  for (i = 0; i < n; i++)
    free((void *)got[i]);
  return same;
}

int move_journal_left(const char *link) {
  char p[PATH_MAX];
  struct stat st;
  snprintf(p, sizeof p, "%s.mklink-move", link);
  if (lstat(p, &st) == 0)
    return 1;
  snprintf(p, sizeof p, "%s.mklink-move.tmp", link);
  return lstat(p, &st) == 0;
}

void move_clear(const char *path) {
  static const char *const none[] = {NULL};
  SBX_CHECK(sandbox_clear(path, 0) == 0);
  SBX_CHECK(move_dir_is(path, none));
}

const char *move_parent(const char *path) {
  static char out[PATH_MAX];
  char *slash;
  snprintf(out, sizeof out, "%s", path);
  slash = strrchr(out, '/');
  SBX_CHECK(slash != NULL);
  if (slash == out)
    slash[1] = '\0';
  else
    *slash = '\0';
  return out;
}

static const char *base(const char *path) { return strrchr(path, '/') + 1; }

/* LINK's and TARGET's directories hold these names and nothing else. */
static void check_dirs(const char *link, int link_there, const char *target, int target_there,
                       const char *extra_a, const char *extra_b) {
  const char *names[4];
  char pa[PATH_MAX], pb[PATH_MAX];
  int n = 0;
  snprintf(pa, sizeof pa, "%s", move_parent(link));
  snprintf(pb, sizeof pb, "%s", move_parent(target));
  if (strcmp(pa, pb) == 0) {
    if (link_there)
      names[n++] = base(link);
    if (target_there)
      names[n++] = base(target);
    if (extra_a != NULL)
      names[n++] = extra_a;
    names[n] = NULL;
    CHECK(move_dir_is(pa, names));
    return;
  }
  if (link_there)
    names[n++] = base(link);
  if (extra_a != NULL)
    names[n++] = extra_a;
  names[n] = NULL;
  CHECK(move_dir_is(pa, names));
  n = 0;
  if (target_there)
    names[n++] = base(target);
  if (extra_b != NULL)
    names[n++] = extra_b;
  names[n] = NULL;
  CHECK(move_dir_is(pb, names));
}

void move_check_done(const char *link, const char *target, mklink_kind kind,
                     unsigned long long digest, const char *extra_a, const char *extra_b) {
  mklink_info info;
  memset(&info, 0, sizeof info);
  CHECK(mklink_query(link, &info) == 0);
  CHECK(info.kind == kind);
  CHECK(strcmp(info.target, target) == 0);
  mklink_info_free(&info);
  CHECK(sandbox_content_digest(target, NULL) == digest);
  CHECK(mklink_move_pending(link) == 0);
  CHECK(!move_journal_left(link));
  check_dirs(link, 1, target, 1, extra_a, extra_b);
}

void move_check_undone(const char *link, const char *target, unsigned long long digest,
                       int target_dir, const char *extra_a, const char *extra_b) {
  struct stat st;
  CHECK(lstat(link, &st) == 0);
  CHECK(sandbox_content_digest(link, NULL) == digest);
  if (target_dir) {
    static const char *const none[] = {NULL};
    CHECK(lstat(target, &st) == 0 && S_ISDIR(st.st_mode));
    CHECK(move_dir_is(target, none));
  } else {
    CHECK(lstat(target, &st) != 0 && errno == ENOENT);
  }
  CHECK(mklink_move_pending(link) == 0);
  CHECK(!move_journal_left(link));
  check_dirs(link, 1, target, target_dir, extra_a, extra_b);
}

double move_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void move_run_tmpfs(void **state, size_t size, int (*fn)(void *), void *arg) {
  int rc;
  SANDBOX_REQUIRE();
  rc = sandbox_run_tmpfs(*state, size, fn, arg);
  if (rc == -1) {
    print_message("skipped: no private tmpfs here\n");
    skip();
  }
  assert_int_equal(rc, 0);
}

/*
 * move.c -- the move rows of mklink_bench (issue 14): mklink_move of a tree
 * of 10,000 files holding 1 GiB (quick: 200 files, 8 MiB) from one tmpfs to
 * another, against GNU mv doing the same move and against cp -a + rm -rf;
 * and the move of the same shape within one tmpfs (a rename and a link)
 * against mv + ln -s.
 *
 * The mklink side is the library call (verification and fsync are always on:
 * there is no switch to turn them off).  The baselines are the processes a
 * user would run; a process start costs about a millisecond, nothing next to
 * a second of copying, but it is most of mv + ln -s on one file system.
 *
 * Each batch moves a fresh tree, made untimed in prep: ROOT/move-m/tree (or
 * move-b) to OTHER/move-m/tree, OTHER being the second tmpfs bench/run mounts
 * in its private namespace (--other DIR); without one the cross-device rows
 * do not run.  Every name is a fixed suffix of ROOT or OTHER.
 */
#include "bench.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "mklink.h"

static const bench_config *cfg;
static long files;
static unsigned long long bytes;
static char src[2][PATH_MAX], dst[2][PATH_MAX], src_dir[2][PATH_MAX], dst_dir[2][PATH_MAX];
static char same_src[2][PATH_MAX], same_dst[2][PATH_MAX], same_dir[2][PATH_MAX];
static char mv_path[PATH_MAX], cp_path[PATH_MAX];
static int devnull = -1;
static char *block;

#define PER_DIR 100
#define BLOCK (256 * 1024)

static int fail_sys(const char *what, const char *path) {
  bench_fail("move: %s '%s': %s", what, path, strerror(errno));
  return -1;
}

/* File I's size: spread between 0 and twice the mean, the total exact. */
static unsigned long long size_of(long i) {
  unsigned long long mean = bytes / (unsigned long long)files;
  unsigned long long spread = (unsigned long long)((i * 7919) % 1000);
  unsigned long long s = mean * spread / 500;
  if (i == files - 1) {
    /* The last file takes what the others left, so the tree holds BYTES. */
    unsigned long long sum = 0;
    long k;
    for (k = 0; k < files - 1; k++)
      sum += mean * (unsigned long long)((k * 7919) % 1000) / 500;
    return sum < bytes ? bytes - sum : 0;
  }
  return s;
}

static unsigned long long last_size;

static int write_file(const char *path, unsigned long long size) {
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
  unsigned long long done = 0;
  if (fd < 0)
    return fail_sys("create", path);
  while (done < size) {
    size_t n = size - done < BLOCK ? (size_t)(size - done) : BLOCK;
    block[0] = (char)done; /* not all blocks alike */
    if (write(fd, block, n) != (ssize_t)n) {
      close(fd);
      return fail_sys("write", path);
    }
    done += n;
  }
  return close(fd) == 0 ? 0 : fail_sys("close", path);
}

/* The tree: TOP/dNNN/fNNNNN, PER_DIR files a directory; CONTENT 0 makes
   them empty (for the same-device row, where contents cost nothing). */
static int make_tree(const char *top, int content) {
  char path[PATH_MAX];
  long i;
  if (mkdir(top, 0755) != 0)
    return fail_sys("mkdir", top);
  for (i = 0; i < files; i++) {
    if (i % PER_DIR == 0) {
      snprintf(path, sizeof path, "%s/d%03ld", top, i / PER_DIR);
      if (mkdir(path, 0755) != 0)
        return fail_sys("mkdir", path);
    }
    snprintf(path, sizeof path, "%s/d%03ld/f%05ld", top, i / PER_DIR, i);
    if (write_file(path, content ? (i == files - 1 ? last_size : size_of(i)) : 0) != 0)
      return -1;
  }
  return 0;
}

/* Remove TOP (a fixed name under ROOT or OTHER) if it is there. */
static int clear(const char *top) {
  struct stat st;
  int rc;
  if (lstat(top, &st) != 0)
    return errno == ENOENT ? 0 : fail_sys("lstat", top);
  rc = mklink_remove_tree(top);
  if (rc != 0) {
    bench_fail("move: removing '%s': %s", top, mklink_strerror(rc));
    return -1;
  }
  return 0;
}

/* The tree arrived whole at TOP: its file count and bytes. */
static int check_tree(const char *top, int content) {
  char path[PATH_MAX];
  unsigned long long total = 0;
  struct stat st;
  long i;
  for (i = 0; i < files; i++) {
    snprintf(path, sizeof path, "%s/d%03ld/f%05ld", top, i / PER_DIR, i);
    if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode))
      return fail_sys("the moved tree lacks", path);
    total += (unsigned long long)st.st_size;
  }
  if (content && total != bytes) {
    bench_fail("move: '%s' holds %llu bytes, not %llu", top, total, bytes);
    return -1;
  }
  return 0;
}

static int check_link(const char *link, const char *target) {
  char text[PATH_MAX];
  ssize_t n = readlink(link, text, sizeof text - 1);
  if (n < 0)
    return fail_sys("readlink", link);
  text[n] = '\0';
  if (strstr(text, target) == NULL) {
    bench_fail("move: '%s' points to '%s', not '%s'", link, text, target);
    return -1;
  }
  return 0;
}

/* OUT = A + B; -1 if it does not fit. */
static int join(char *out, const char *a, const char *b) {
  if ((size_t)snprintf(out, PATH_MAX, "%s%s", a, b) >= PATH_MAX) {
    bench_fail("move: the path '%s%s' is too long", a, b);
    return -1;
  }
  return 0;
}

/* ---- setup ------------------------------------------------------------------- */

static const char *on_path(const char *prog, char *out, size_t size) {
  const char *dirs[] = {"/usr/bin", "/bin", "/usr/local/bin"};
  size_t i;
  for (i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
    snprintf(out, size, "%s/%s", dirs[i], prog);
    if (access(out, X_OK) == 0)
      return out;
  }
  return NULL;
}

static int setup_common(const bench_config *c) {
  static int done;
  char root[PATH_MAX];
  int s;
  if (done)
    return 0;
  cfg = c;
  files = c->quick ? 200 : 10000;
  bytes = c->quick ? 8ull << 20 : 1ull << 30;
  last_size = size_of(files - 1);
  if (on_path("mv", mv_path, sizeof mv_path) == NULL ||
      on_path("cp", cp_path, sizeof cp_path) == NULL || c->rm == NULL || c->ln == NULL) {
    bench_fail("move: the move rows need mv, cp, rm and ln");
    return -1;
  }
  if ((block = malloc(BLOCK)) == NULL)
    return -1;
  memset(block, 0x5a, BLOCK);
  devnull = open("/dev/null", O_WRONLY);
  if (getcwd(root, sizeof root - 64) == NULL)
    return fail_sys("getcwd", ".");
  for (s = 0; s < 2; s++) {
    const char *side = s == BENCH_MKLINK ? "m" : "b";
    if (join(same_dir[s], root, side[0] == 'm' ? "/move-same-m" : "/move-same-b") != 0 ||
        join(same_src[s], same_dir[s], "/tree") != 0 ||
        join(same_dst[s], same_dir[s], "/moved") != 0)
      return -1;
    if (mkdir(same_dir[s], 0755) != 0)
      return fail_sys("mkdir", same_dir[s]);
  }
  done = 1;
  return 0;
}

int bench_move_setup(const bench_config *c) {
  static int done;
  struct stat a, b;
  int s;
  if (setup_common(c) != 0)
    return -1;
  if (c->other == NULL) {
    bench_not_run = "no second file system (bench/run mounts a tmpfs for it in its private "
                    "namespace; --other DIR)";
    return 1;
  }
  if (done)
    return 0;
  for (s = 0; s < 2; s++) {
    const char *side = s == BENCH_MKLINK ? "m" : "b";
    char root[PATH_MAX];
    if (getcwd(root, sizeof root - 64) == NULL)
      return fail_sys("getcwd", ".");
    if (join(src_dir[s], root, side[0] == 'm' ? "/move-m" : "/move-b") != 0 ||
        join(dst_dir[s], c->other, side[0] == 'm' ? "/move-m" : "/move-b") != 0 ||
        join(src[s], src_dir[s], "/tree") != 0 || join(dst[s], dst_dir[s], "/tree") != 0)
      return -1;
    if (mkdir(src_dir[s], 0755) != 0)
      return fail_sys("mkdir", src_dir[s]);
    if (mkdir(dst_dir[s], 0755) != 0)
      return fail_sys("mkdir", dst_dir[s]);
  }
  if (stat(src_dir[0], &a) != 0 || stat(dst_dir[0], &b) != 0)
    return fail_sys("stat", src_dir[0]);
  if (a.st_dev == b.st_dev) {
    bench_fail("move: --other %s is on the same file system as the benchmark directory",
               c->other);
    return -1;
  }
  done = 1;
  return 0;
}

int bench_move_same_setup(const bench_config *c) { return setup_common(c); }

unsigned long long bench_move_bytes(const char *id) {
  return strncmp(id, "move-xdev", 9) == 0 ? bytes : 0;
}

/* ---- across file systems ---------------------------------------------------- */

int bench_move_prep(int side, int n) {
  (void)n;
  if (clear(src[side]) != 0 || clear(dst[side]) != 0)
    return -1;
  return make_tree(src[side], 1);
}

int bench_move_mklink(int i) {
  int rc = mklink_move(src[BENCH_MKLINK], dst[BENCH_MKLINK], MKLINK_JUNCTION, 0, NULL, NULL);
  (void)i;
  if (rc != 0)
    bench_fail("move: mklink_move: %s (%s)", mklink_strerror(rc), mklink_err_name(rc));
  return rc == 0 ? 0 : -1;
}

int bench_move_mv(int i) {
  char *argv[] = {mv_path, src[BENCH_BASELINE], dst[BENCH_BASELINE], NULL};
  (void)i;
  return bench_spawn(argv, devnull, 0);
}

int bench_move_cp_rm(int i) {
  char *cp[] = {cp_path, "-a", src[BENCH_BASELINE], dst[BENCH_BASELINE], NULL};
  char *rm[] = {(char *)cfg->rm, "-rf", src[BENCH_BASELINE], NULL};
  (void)i;
  return bench_spawn(cp, devnull, 0) == 0 && bench_spawn(rm, devnull, 0) == 0 ? 0 : -1;
}

int bench_move_check(int side, int n) {
  struct stat st;
  (void)n;
  if (check_tree(dst[side], 1) != 0)
    return -1;
  if (side == BENCH_MKLINK)
    return check_link(src[side], dst[side]);
  if (lstat(src[side], &st) == 0) {
    bench_fail("move: '%s' is still there after the move", src[side]);
    return -1;
  }
  return 0;
}

int bench_move_undo(int side, int n) {
  (void)n;
  return clear(src[side]) == 0 && clear(dst[side]) == 0 ? 0 : -1;
}

/* ---- within one file system -------------------------------------------------- */

int bench_move_same_prep(int side, int n) {
  (void)n;
  if (clear(same_src[side]) != 0 || clear(same_dst[side]) != 0)
    return -1;
  return make_tree(same_src[side], 0);
}

int bench_move_same_mklink(int i) {
  int rc = mklink_move(same_src[BENCH_MKLINK], same_dst[BENCH_MKLINK], MKLINK_DIR_SYMLINK, 0,
                       NULL, NULL);
  (void)i;
  if (rc != 0)
    bench_fail("move: mklink_move: %s (%s)", mklink_strerror(rc), mklink_err_name(rc));
  return rc == 0 ? 0 : -1;
}

int bench_move_same_mv_ln(int i) {
  char *mv[] = {mv_path, same_src[BENCH_BASELINE], same_dst[BENCH_BASELINE], NULL};
  char *ln[] = {(char *)cfg->ln, "-s", same_dst[BENCH_BASELINE], same_src[BENCH_BASELINE], NULL};
  (void)i;
  return bench_spawn(mv, devnull, 0) == 0 && bench_spawn(ln, devnull, 0) == 0 ? 0 : -1;
}

int bench_move_same_check(int side, int n) {
  (void)n;
  if (check_tree(same_dst[side], 0) != 0)
    return -1;
  return check_link(same_src[side], same_dst[side]);
}

int bench_move_same_undo(int side, int n) {
  (void)n;
  return clear(same_src[side]) == 0 && clear(same_dst[side]) == 0 ? 0 : -1;
}

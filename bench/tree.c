/*
 * tree.c -- the tree the walk rows list: ENTRIES entries in all (directories,
 * files and links), LINKS of them symbolic links.
 *
 * Shape: top directories dNN, each with subdirectories sNN; the leaves hold
 * about 500 entries each, like a source tree's build output.  Of every ten
 * links, eight point to a file beside them, one to a directory ("..", which
 * a walker must not enter) and one nowhere (dangling), so `--broken` and
 * `find -xtype l` have a tenth of the links to report.
 */
#include "bench.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LEAF_ENTRIES 500

static int fail_at(const char *what, const char *name) {
  bench_fail("tree: %s '%s': %s", what, name, strerror(errno));
  return -1;
}

static long isqrt(long n) {
  long r = 1;
  while ((r + 1) * (r + 1) <= n)
    r++;
  return r;
}

/* Share TOTAL out over N parts; part I gets this much. */
static long share(long total, long n, long i) {
  return total / n + (i < total % n ? 1 : 0);
}

static int fill_leaf(int dfd, long entries, long links, bench_tree *out) {
  char name[32], text[32];
  long files = entries - links, j, k;
  int fd;
  if (files < 1) {
    bench_fail("tree: a leaf needs at least one file (%ld entries, %ld links)",
               entries, links);
    return -1;
  }
  for (j = 0; j < files; j++) {
    snprintf(name, sizeof name, "f%06ld", j);
    fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0)
      return fail_at("create", name);
    close(fd);
  }
  out->files += files;
  for (j = 0; j < links; j++) {
    k = out->links + j; /* counted over the whole tree: exact tenths */
    snprintf(name, sizeof name, "l%06ld", j);
    if (k % 10 == 9) {
      snprintf(text, sizeof text, "missing%06ld", j);
      out->broken++;
    } else if (k % 10 == 8) {
      snprintf(text, sizeof text, "..");
    } else {
      snprintf(text, sizeof text, "f%06ld", j % files);
    }
    if (symlinkat(text, dfd, name) != 0)
      return fail_at("symlink", name);
  }
  out->links += links;
  return 0;
}

int bench_make_tree(const char *dir, long entries, long links, bench_tree *out) {
  long leaves = entries / LEAF_ENTRIES, top, sub, rest, t, s, leaf = 0;
  char path[PATH_MAX];
  int dfd, rc;
  memset(out, 0, sizeof *out);
  if (leaves < 1)
    leaves = 1;
  top = isqrt(leaves);
  sub = leaves / top;
  leaves = top * sub;
  rest = entries - top - leaves;
  if (rest < links + leaves) {
    bench_fail("tree: %ld entries cannot hold %ld links", entries, links);
    return -1;
  }
  if (mkdir(dir, 0755) != 0)
    return fail_at("mkdir", dir);
  for (t = 0; t < top; t++) {
    snprintf(path, sizeof path, "%s/d%02ld", dir, t);
    if (mkdir(path, 0755) != 0)
      return fail_at("mkdir", path);
    out->dirs++;
    for (s = 0; s < sub; s++, leaf++) {
      snprintf(path, sizeof path, "%s/d%02ld/s%02ld", dir, t, s);
      if (mkdir(path, 0755) != 0)
        return fail_at("mkdir", path);
      out->dirs++;
      dfd = open(path, O_RDONLY | O_DIRECTORY);
      if (dfd < 0)
        return fail_at("open", path);
      rc = fill_leaf(dfd, share(rest, leaves, leaf), share(links, leaves, leaf), out);
      close(dfd);
      if (rc != 0)
        return rc;
    }
  }
  return 0;
}

int bench_make_chain(const char *dir, long levels) {
  long i;
  int fd, next;
  if (mkdir(dir, 0755) != 0)
    return fail_at("mkdir", dir);
  fd = open(dir, O_RDONLY | O_DIRECTORY);
  if (fd < 0)
    return fail_at("open", dir);
  for (i = 0; i < levels; i++) {
    if (mkdirat(fd, "d", 0755) != 0 || symlinkat("f", fd, "l") != 0 ||
        (next = openat(fd, "f", O_WRONLY | O_CREAT | O_EXCL, 0644)) < 0) {
      close(fd);
      return fail_at("make a level in", dir);
    }
    close(next);
    next = openat(fd, "d", O_RDONLY | O_DIRECTORY);
    close(fd);
    if (next < 0)
      return fail_at("open a level in", dir);
    fd = next;
  }
  close(fd);
  return 0;
}

/*
 * manifest.c -- the manifest rows of mklink_bench: a 10,000-entry manifest
 * checked, applied the first time and applied again (a no-op), against the
 * floor of each (a C loop of readlink + stat, a C loop of symlink, the check
 * itself), and GNU Stow making the same links.  The mklink side is the
 * command, so its times include the process start and the YAML parse.
 */
#include "bench.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HOMES 4 /* c: checked, a: applied by mklink, b: by the loop, s: by stow */

static const bench_config *cfg;
static int entries;
static char base[PATH_MAX];
#define LONG_PATH (2 * PATH_MAX)
static char manifest_c[LONG_PATH], manifest_a[LONG_PATH];
static char pkgs[LONG_PATH], home[HOMES][LONG_PATH];
static char **targets, **links[HOMES];
static char stow_path[PATH_MAX];
static int devnull = -1;

enum { HOME_C, HOME_A, HOME_B, HOME_S };
static const char *const home_names[HOMES] = {"home-c", "home-a", "home-b", "home-s"};

static int fail_sys(const char *what, const char *path) {
  bench_fail("%s %s: %s", what, path, strerror(errno));
  return -1;
}

static char *joined(const char *dir, const char *fmt, int i) {
  char name[64], *p;
  size_t n;
  snprintf(name, sizeof name, fmt, i);
  n = strlen(dir) + strlen(name) + 2;
  if ((p = malloc(n)) != NULL)
    snprintf(p, n, "%s/%s", dir, name);
  return p;
}

static int write_manifest(const char *path, int h) {
  FILE *f = fopen(path, "w");
  int i;
  if (f == NULL)
    return fail_sys("create", path);
  fputs("- link:\n", f);
  for (i = 0; i < entries; i++)
    fprintf(f, "    %s: %s\n", links[h][i], targets[i]);
  if (fclose(f) != 0)
    return fail_sys("write", path);
  return 0;
}

static int empty_home(int h) {
  int i;
  for (i = 0; i < entries; i++)
    if (unlink(links[h][i]) != 0 && errno != ENOENT)
      return fail_sys("unlink", links[h][i]);
  return 0;
}

static int spawn(char *const argv[], int ok) { return bench_spawn(argv, devnull, ok); }

static int find_stow(void) {
  const char *path = getenv("PATH");
  char dir[PATH_MAX];
  while (path != NULL && *path != '\0') {
    size_t n = strcspn(path, ":");
    snprintf(dir, sizeof dir, "%.*s/stow", (int)n, path);
    if (access(dir, X_OK) == 0) {
      snprintf(stow_path, sizeof stow_path, "%s", dir);
      return 0;
    }
    path += n + (path[n] == ':');
  }
  return -1;
}

/* Once: the package of targets, the homes, the two manifests, HOME_C
   applied (for the check rows), XDG_STATE_HOME for the journals. */
int bench_manifest_setup(const bench_config *c) {
  static int done = -2;
  char state[LONG_PATH];
  int i, h;
  if (done != -2)
    return done;
  done = -1;
  cfg = c;
  entries = c->quick ? 300 : 10000;
  if (c->mklink == NULL) {
    bench_fail("the mklink command was not built (pass --mklink PATH)");
    return -1;
  }
  if (getcwd(base, sizeof base - 64) == NULL)
    return fail_sys("getcwd", ".");
  strcat(base, "/manifest");
  snprintf(pkgs, sizeof pkgs, "%s/pkgs", base);
  snprintf(state, sizeof state, "%s/state", base);
  if (mkdir(base, 0755) != 0 || mkdir(pkgs, 0755) != 0 || mkdir(state, 0755) != 0)
    return fail_sys("mkdir", base);
  setenv("XDG_STATE_HOME", state, 1);
  if ((devnull = open("/dev/null", O_WRONLY)) < 0)
    return fail_sys("open", "/dev/null");
  targets = calloc((size_t)entries, sizeof *targets);
  for (h = 0; h < HOMES; h++) {
    snprintf(home[h], sizeof home[h], "%s/%s", base, home_names[h]);
    if (mkdir(home[h], 0755) != 0)
      return fail_sys("mkdir", home[h]);
    links[h] = calloc((size_t)entries, sizeof *links[h]);
    if (links[h] == NULL)
      return -1;
  }
  {
    char dot[LONG_PATH + 8];
    snprintf(dot, sizeof dot, "%s/dot", pkgs);
    if (mkdir(dot, 0755) != 0)
      return fail_sys("mkdir", dot);
    for (i = 0; i < entries; i++) {
      int fd;
      if ((targets[i] = joined(dot, "t%05d", i)) == NULL)
        return -1;
      if ((fd = open(targets[i], O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0)
        return fail_sys("create", targets[i]);
      close(fd);
      /* Links named apart from their targets (a name shared by link and
         target costs mklink_create's self-link check 8 readlinkat); stow
         names its links as the package's files. */
      for (h = 0; h < HOMES; h++)
        if ((links[h][i] = joined(home[h], h == HOME_S ? "t%05d" : "l%05d", i)) == NULL)
          return -1;
    }
  }
  snprintf(manifest_c, sizeof manifest_c, "%s/check.conf.yaml", base);
  snprintf(manifest_a, sizeof manifest_a, "%s/apply.conf.yaml", base);
  if (write_manifest(manifest_c, HOME_C) != 0 || write_manifest(manifest_a, HOME_A) != 0)
    return -1;
  {
    char *argv[] = {(char *)c->mklink, "--apply", manifest_c, NULL};
    if (spawn(argv, 0) != 0)
      return -1;
  }
  return done = 0;
}

int bench_stow_setup(const bench_config *c) {
  if (find_stow() != 0) {
    bench_fail("stow is not on PATH (bash ci/deps installs it)");
    return -1;
  }
  return bench_manifest_setup(c);
}

/* ---- --check against readlink + stat ---------------------------------------- */

int bench_manifest_check(int i) {
  char *argv[] = {(char *)cfg->mklink, "--check", manifest_c, NULL};
  (void)i;
  return spawn(argv, 0);
}

int bench_manifest_check_floor(int k) {
  char buf[PATH_MAX];
  struct stat st;
  int i;
  (void)k;
  for (i = 0; i < entries; i++) {
    ssize_t n = readlink(links[HOME_C][i], buf, sizeof buf - 1);
    if (n < 0 || stat(links[HOME_C][i], &st) != 0)
      return fail_sys("readlink/stat", links[HOME_C][i]);
  }
  return 0;
}

/* ---- first --apply against a loop of symlink ----------------------------------- */

int bench_manifest_apply_prep(int side, int n) {
  (void)n;
  return empty_home(side == BENCH_MKLINK ? HOME_A : HOME_B);
}

int bench_manifest_apply(int i) {
  char *argv[] = {(char *)cfg->mklink, "--apply", manifest_a, NULL};
  (void)i;
  return spawn(argv, 0);
}

int bench_manifest_apply_floor(int k) {
  int i;
  (void)k;
  for (i = 0; i < entries; i++)
    if (symlink(targets[i], links[HOME_B][i]) != 0)
      return fail_sys("symlink", links[HOME_B][i]);
  return 0;
}

static int check_made(int h) {
  char buf[PATH_MAX];
  int i;
  for (i = 0; i < entries; i++) {
    ssize_t n = readlink(links[h][i], buf, sizeof buf - 1);
    if (n < 0)
      return fail_sys("readlink", links[h][i]);
    buf[n] = '\0';
    if (h != HOME_S && strcmp(buf, targets[i]) != 0) {
      bench_fail("%s: the link says %s", links[h][i], buf);
      return -1;
    }
  }
  return 0;
}

int bench_manifest_apply_check(int side, int n) {
  (void)n;
  return check_made(side == BENCH_MKLINK ? HOME_A : HOME_B);
}


/* ---- a second --apply (nothing to do) against --check ---------------------------- */

int bench_manifest_noop(int i) {
  char *argv[] = {(char *)cfg->mklink, "--apply", manifest_c, NULL};
  (void)i;
  return spawn(argv, 0);
}

/* ---- GNU Stow, the same links ------------------------------------------------------ */

int bench_stow_prep(int side, int n) {
  (void)n;
  return empty_home(side == BENCH_MKLINK ? HOME_A : HOME_S);
}

int bench_stow(int i) {
  char *argv[] = {stow_path, "-d", pkgs, "-t", home[HOME_S], "dot", NULL};
  (void)i;
  return spawn(argv, 0);
}

int bench_stow_check(int side, int n) {
  (void)n;
  return check_made(side == BENCH_MKLINK ? HOME_A : HOME_S);
}

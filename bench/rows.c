/*
 * rows.c -- the contenders: each row of the table is one mklink operation and
 * the raw operation it must stay close to.
 *
 * The library rows work in ROOT/ops (the current directory while the
 * benchmark runs) on names "m/000001"... (mklink) and "b/000001"...
 * (baseline): the same length, the same directory depth, each side in a
 * directory of its own that is empty again after every batch, so both sides
 * see the same file system state.
 */
#include "bench.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <dirent.h>
#include <unistd.h>

#include "mklink.h"

#define NAME_LEN 24

static const char *const side_dir[2] = {"m", "b"};
static char names[2][BENCH_MAX_OPS][NAME_LEN];
static char *abs_names[2][BENCH_MAX_OPS]; /* the same names, absolute */
static char tmp_names[2][BENCH_MAX_OPS][NAME_LEN];
static char abs_tdir[PATH_MAX];
static char tree_dir[PATH_MAX];
static const bench_config *config;
static mklink_info info;
static bench_tree tree;
static int devnull = -1;

/* Symbolic links store these texts; they resolve (from m/ and b/) to the
   regular files ROOT/ops/target and ROOT/ops/target2. */
#define LINK_TEXT "../target"
#define LINK_TEXT2 "../target2"

/* ---- helpers ------------------------------------------------------------ */

static int sys_fail(const char *what, const char *path) {
  bench_fail("%s '%s': %s", what, path, strerror(errno));
  return -1;
}

static int lib_fail(const char *what, const char *path, int rc) {
  bench_fail("%s '%s': %s (%s)", what, path, mklink_strerror(rc),
             mklink_err_name(rc));
  return -1;
}

/* Remove every entry of the side's directory that the batch made, then make
   sure nothing else is left (a contender that leaves debris behind would
   make the next batch cheaper or dearer than the other side's). */
static int empty_side(int side, int n) {
  DIR *d;
  struct dirent *e;
  int i, left = 0;
  for (i = 0; i < n; i++)
    if (unlink(names[side][i]) != 0 && errno != ENOENT)
      return sys_fail("unlink", names[side][i]);
  d = opendir(side_dir[side]);
  if (d == NULL)
    return sys_fail("opendir", side_dir[side]);
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    if (left++ == 0)
      bench_fail("'%s/%s' is left over after a batch", side_dir[side], e->d_name);
  }
  closedir(d);
  return left == 0 ? 0 : -1;
}

static int undo_links(int side, int n) { return empty_side(side, n); }

/* The mklink side of the junction row removes through the library: a
   simulated junction is the library's to take apart. */
static int undo_junctions(int side, int n) {
  int i, rc;
  if (side == BENCH_MKLINK)
    for (i = 0; i < n; i++)
      if ((rc = mklink_remove(names[side][i])) != 0 && rc != MKLINK_ENOFILE)
        return lib_fail("mklink_remove", names[side][i], rc);
  return empty_side(side, n);
}

static int make_links(int side, int n, const char *text) {
  int i;
  for (i = 0; i < n; i++)
    if (symlink(text, names[side][i]) != 0)
      return sys_fail("symlink", names[side][i]);
  return 0;
}

static int prep_links(int side, int n) { return make_links(side, n, LINK_TEXT); }

static int check_text(int side, int n, const char *text) {
  char buf[PATH_MAX];
  ssize_t len;
  int i;
  for (i = 0; i < n; i++) {
    len = readlink(names[side][i], buf, sizeof buf - 1);
    if (len < 0)
      return sys_fail("readlink", names[side][i]);
    buf[len] = '\0';
    if (strcmp(buf, text) != 0) {
      bench_fail("'%s' points to '%s', not '%s'", names[side][i], buf, text);
      return -1;
    }
  }
  return 0;
}

/* ---- create a file symlink ------------------------------------------- */

static int create_symlink_mklink(int i) {
  int rc = mklink_create(names[0][i], LINK_TEXT, MKLINK_FILE_SYMLINK, 0);
  return rc == 0 ? 0 : lib_fail("mklink_create", names[0][i], rc);
}

static int create_symlink_raw(int i) {
  return symlinkat(LINK_TEXT, AT_FDCWD, names[1][i]) == 0
             ? 0
             : sys_fail("symlinkat", names[1][i]);
}

static int check_symlinks(int side, int n) { return check_text(side, n, LINK_TEXT); }

/* The A/A row: the baseline against itself, on the mklink side's names.  Its
   ratio shows how far apart two equal contenders land in this run. */
static int create_symlink_raw_a(int i) {
  return symlinkat(LINK_TEXT, AT_FDCWD, names[0][i]) == 0
             ? 0
             : sys_fail("symlinkat", names[0][i]);
}

/* ---- create a hard link ------------------------------------------------ */

static int create_hardlink_mklink(int i) {
  int rc = mklink_create(names[0][i], "target", MKLINK_HARDLINK, 0);
  return rc == 0 ? 0 : lib_fail("mklink_create /H", names[0][i], rc);
}

static int create_hardlink_raw(int i) {
  return linkat(AT_FDCWD, "target", AT_FDCWD, names[1][i], 0) == 0
             ? 0
             : sys_fail("linkat", names[1][i]);
}

static int check_hardlinks(int side, int n) {
  struct stat want, got;
  int i;
  if (stat("target", &want) != 0)
    return sys_fail("stat", "target");
  for (i = 0; i < n; i++) {
    if (lstat(names[side][i], &got) != 0)
      return sys_fail("lstat", names[side][i]);
    if (got.st_ino != want.st_ino || got.st_dev != want.st_dev) {
      bench_fail("'%s' is not a hard link of 'target'", names[side][i]);
      return -1;
    }
  }
  return 0;
}

/* ---- create a junction (simulated on POSIX) --------------------------- */

static int create_junction_mklink(int i) {
  int rc = mklink_create(names[0][i], abs_tdir, MKLINK_JUNCTION, 0);
  return rc == 0 ? 0 : lib_fail("mklink_create /J", names[0][i], rc);
}

static int create_junction_raw(int i) {
  return symlinkat(abs_tdir, AT_FDCWD, names[1][i]) == 0
             ? 0
             : sys_fail("symlinkat", names[1][i]);
}

static int check_junctions(int side, int n) {
  int i, rc;
  if (side == BENCH_BASELINE)
    return check_text(side, n, abs_tdir);
  for (i = 0; i < n; i++) {
    if ((rc = mklink_query(names[0][i], &info)) != 0)
      return lib_fail("mklink_query", names[0][i], rc);
    if (info.kind != MKLINK_JUNCTION || !info.target_is_dir ||
        strcmp(info.target, abs_tdir) != 0) {
      bench_fail("'%s' is a %s to '%s', not a junction to '%s'", names[0][i],
                 mklink_kind_name(info.kind), info.target, abs_tdir);
      mklink_info_free(&info);
      return -1;
    }
    mklink_info_free(&info);
  }
  return 0;
}

/* ---- replace an existing link ------------------------------------------- */

static int replace_mklink(int i) {
  int rc = mklink_create(names[0][i], LINK_TEXT2, MKLINK_FILE_SYMLINK,
                         MKLINK_REPLACE);
  return rc == 0 ? 0 : lib_fail("mklink_create REPLACE", names[0][i], rc);
}

/* What a careful script does by hand: the new link under a temporary name,
   renamed over the old one. */
static int replace_raw(int i) {
  if (symlinkat(LINK_TEXT2, AT_FDCWD, tmp_names[1][i]) != 0)
    return sys_fail("symlinkat", tmp_names[1][i]);
  if (renameat(AT_FDCWD, tmp_names[1][i], AT_FDCWD, names[1][i]) != 0)
    return sys_fail("renameat", names[1][i]);
  return 0;
}

static int check_replaced(int side, int n) { return check_text(side, n, LINK_TEXT2); }

/* ---- query ------------------------------------------------------------ */

/* The strings mklink_query allocates are released in the measured time:
   every caller pays for them. */
static int query_mklink(int i) {
  int rc = mklink_query(names[0][i], &info);
  mklink_info_free(&info);
  return rc == 0 ? 0 : lib_fail("mklink_query", names[0][i], rc);
}

static char readlink_buf[PATH_MAX];

static int query_raw(int i) {
  struct stat st;
  if (lstat(names[1][i], &st) != 0)
    return sys_fail("lstat", names[1][i]);
  if (readlink(names[1][i], readlink_buf, sizeof readlink_buf) < 0)
    return sys_fail("readlink", names[1][i]);
  return 0;
}

/* The same query given absolute paths: no current directory to read for
   the resolved target, so this row shows what the getcwd of a relative
   query costs. */
static int query_abs_mklink(int i) {
  int rc = mklink_query(abs_names[0][i], &info);
  mklink_info_free(&info);
  return rc == 0 ? 0 : lib_fail("mklink_query", abs_names[0][i], rc);
}

static int query_abs_raw(int i) {
  struct stat st;
  if (lstat(abs_names[1][i], &st) != 0)
    return sys_fail("lstat", abs_names[1][i]);
  if (readlink(abs_names[1][i], readlink_buf, sizeof readlink_buf) < 0)
    return sys_fail("readlink", abs_names[1][i]);
  return 0;
}

static int check_query(int side, int n) {
  int rc;
  if (side == BENCH_BASELINE)
    return 0;
  if ((rc = mklink_query(names[0][n - 1], &info)) != 0)
    return lib_fail("mklink_query", names[0][n - 1], rc);
  if (info.kind != MKLINK_FILE_SYMLINK || !info.target_exists ||
      info.target_is_dir || strcmp(info.target, LINK_TEXT) != 0) {
    bench_fail("mklink_query '%s': kind %s, target '%s', exists %d", names[0][n - 1],
               mklink_kind_name(info.kind), info.target, info.target_exists);
    mklink_info_free(&info);
    return -1;
  }
  mklink_info_free(&info);
  return 0;
}

/* ---- remove ----------------------------------------------------------- */

static int remove_mklink(int i) {
  int rc = mklink_remove(names[0][i]);
  return rc == 0 ? 0 : lib_fail("mklink_remove", names[0][i], rc);
}

static int remove_raw(int i) {
  return unlink(names[1][i]) == 0 ? 0 : sys_fail("unlink", names[1][i]);
}

/* ---- processes: walking the tree --------------------------------------- */

static int run_tool(char *const argv[], int ok_status) {
  return bench_spawn(argv, devnull, ok_status);
}

static int walk_mklink(int i) {
  char *argv[] = {(char *)config->mklink, "--list", "--recursive", tree_dir, NULL};
  (void)i;
  return run_tool(argv, 0);
}

static int walk_find(int i) {
  char *argv[] = {(char *)config->find, tree_dir, "-type", "l", NULL};
  (void)i;
  return run_tool(argv, 0);
}

/* `mklink --list --broken` exits 1 when it found a dangling link, as the
   tree has some. */
static int broken_mklink(int i) {
  char *argv[] = {(char *)config->mklink, "--list", "--recursive", "--broken",
                  tree_dir, NULL};
  (void)i;
  return run_tool(argv, 1);
}

static int broken_find(int i) {
  char *argv[] = {(char *)config->find, tree_dir, "-xtype", "l", NULL};
  (void)i;
  return run_tool(argv, 0);
}

/* `fd -t l` (fd-find): the same links, read on several threads; -u so that
   it skips no hidden or ignored name, as find does not. */
static int walk_fd(int i) {
  char *argv[] = {(char *)config->fd, "-u", "-t", "l", ".", tree_dir, NULL};
  (void)i;
  return run_tool(argv, 0);
}

/* `mklink --check-portable` exits 1: the tree's dangling links are
   missing-target findings.  git is asked, as a user's run asks it (the
   tree is in no work tree: git says so and the check goes on). */
static int portable_mklink(int i) {
  char *argv[] = {(char *)config->mklink, "--check-portable", tree_dir, NULL};
  (void)i;
  return run_tool(argv, 1);
}

/* Run ARGV once into a file and count its lines. */
static long count_output_lines(char *const argv[], int ok_status) {
  char path[] = "walk-output.XXXXXX";
  char buf[65536];
  long lines = 0;
  ssize_t got, k;
  int fd = mkstemp(path);
  if (fd < 0)
    return sys_fail("mkstemp", path);
  unlink(path);
  if (bench_spawn(argv, fd, ok_status) != 0) {
    close(fd);
    return -1;
  }
  if (lseek(fd, 0, SEEK_SET) < 0) {
    close(fd);
    return sys_fail("lseek", path);
  }
  while ((got = read(fd, buf, sizeof buf)) > 0)
    for (k = 0; k < got; k++)
      lines += buf[k] == '\n';
  close(fd);
  return lines;
}

/* Both contenders must report the same links, or the race means nothing. */
static int check_walk_counts(const char *what, char *const mk[], int mk_ok,
                             char *const base[], long want) {
  long got_mk = count_output_lines(mk, mk_ok);
  long got_base = count_output_lines(base, 0);
  if (got_mk < 0 || got_base < 0)
    return -1;
  if (got_base != want || got_mk != want) {
    bench_fail("%s: the tree has %ld, find printed %ld lines, mklink %ld", what,
               want, got_base, got_mk);
    return -1;
  }
  return 0;
}

static int setup_walk(const bench_config *cfg) {
  char *mk[] = {(char *)cfg->mklink, "--list", "--recursive", tree_dir, NULL};
  char *base[] = {(char *)cfg->find, tree_dir, "-type", "l", NULL};
  if (cfg->mklink == NULL) {
    bench_fail("the mklink command was not built (pass --mklink PATH)");
    return -1;
  }
  return check_walk_counts("links", mk, 0, base, tree.links);
}

const char *bench_not_run;

static int setup_walk_fd(const bench_config *cfg) {
  char *mk[] = {(char *)cfg->mklink, "--list", "--recursive", tree_dir, NULL};
  char *base[] = {(char *)cfg->fd, "-u", "-t", "l", ".", tree_dir, NULL};
  if (cfg->fd == NULL) {
    bench_not_run = "fd-find is not installed";
    return 1;
  }
  if (cfg->mklink == NULL) {
    bench_fail("the mklink command was not built (pass --mklink PATH)");
    return -1;
  }
  return check_walk_counts("links", mk, 0, base, tree.links);
}

/* Every finding of the bench tree is a dangling link's missing-target. */
static int setup_portable(const bench_config *cfg) {
  char *mk[] = {(char *)cfg->mklink, "--check-portable", tree_dir, NULL};
  char *base[] = {(char *)cfg->find, tree_dir, "-type", "l", NULL};
  long got;
  if (cfg->mklink == NULL) {
    bench_fail("the mklink command was not built (pass --mklink PATH)");
    return -1;
  }
  if ((got = count_output_lines(mk, 1)) != tree.broken) {
    bench_fail("check-portable: %ld findings, the tree has %ld dangling links", got,
               tree.broken);
    return -1;
  }
  return count_output_lines(base, 0) == tree.links ? 0 : -1;
}

static int setup_broken(const bench_config *cfg) {
  char *mk[] = {(char *)cfg->mklink, "--list", "--recursive", "--broken",
                tree_dir, NULL};
  char *base[] = {(char *)cfg->find, tree_dir, "-xtype", "l", NULL};
  if (cfg->mklink == NULL) {
    bench_fail("the mklink command was not built (pass --mklink PATH)");
    return -1;
  }
  return check_walk_counts("dangling links", mk, 1, base, tree.broken);
}

/* ---- processes: deleting trees ------------------------------------------- */

/* Each batch deletes a fresh copy of its tree, made (untimed) in prep under
   ROOT/del-m or ROOT/del-b; bench/run runs in a private tmpfs, and these
   names are fixed suffixes of ROOT, never computed from anything else. */
static char del_dir[2][PATH_MAX];
static char deep_del_dir[2][PATH_MAX];
static char deep_dir[PATH_MAX];

static int delete_mklink_at(const char *path) {
  char *argv[] = {(char *)config->mklink, "--delete", "--recursive", (char *)path, NULL};
  return run_tool(argv, 0);
}

static int delete_rm_at(const char *path) {
  char *argv[] = {(char *)config->rm, "-rf", "--", (char *)path, NULL};
  return run_tool(argv, 0);
}

static int gone(const char *path) {
  struct stat st;
  if (lstat(path, &st) == 0) {
    bench_fail("'%s' is still there after the delete", path);
    return -1;
  }
  return 0;
}

static int prep_delete(int side, int n) {
  bench_tree made;
  (void)n;
  return bench_make_tree(del_dir[side], config->delete_entries, config->delete_entries / 10,
                         &made);
}

static int delete_mklink(int i) {
  (void)i;
  return delete_mklink_at(del_dir[0]);
}

static int delete_rm(int i) {
  (void)i;
  return delete_rm_at(del_dir[1]);
}

static int check_delete(int side, int n) {
  (void)n;
  return gone(del_dir[side]);
}

static int prep_deep_delete(int side, int n) {
  (void)n;
  return bench_make_chain(deep_del_dir[side], config->deep_levels);
}

static int deep_delete_mklink(int i) {
  (void)i;
  return delete_mklink_at(deep_del_dir[0]);
}

static int deep_delete_rm(int i) {
  (void)i;
  return delete_rm_at(deep_del_dir[1]);
}

static int check_deep_delete(int side, int n) {
  (void)n;
  return gone(deep_del_dir[side]);
}

/* The delete rows need the command and rm. */
static int setup_delete(const bench_config *cfg) {
  if (cfg->mklink == NULL || cfg->rm == NULL) {
    bench_fail("the delete rows need the mklink command and rm");
    return -1;
  }
  return 0;
}

/* ---- processes: listing a deep tree with small limits ------------------- */

/* Both sides run with a 1 MiB stack and 64 descriptors (`ulimit -s 1024
   -n 64`): a walk that recursed on the stack or kept a descriptor per level
   would crash or fail here. */
static int walk_deep_mklink(int i) {
  char *argv[] = {(char *)config->mklink, "--list", "--recursive", deep_dir, NULL};
  (void)i;
  return bench_spawn_limited(argv, devnull, 0, 1024 * 1024, 64);
}

static int walk_deep_find(int i) {
  char *argv[] = {(char *)config->find, deep_dir, "-type", "l", NULL};
  (void)i;
  return bench_spawn_limited(argv, devnull, 0, 1024 * 1024, 64);
}

static int setup_walk_deep(const bench_config *cfg) {
  char *mk[] = {(char *)cfg->mklink, "--list", "--recursive", deep_dir, NULL};
  char *base[] = {(char *)cfg->find, deep_dir, "-type", "l", NULL};
  if (cfg->mklink == NULL) {
    bench_fail("the mklink command was not built (pass --mklink PATH)");
    return -1;
  }
  return check_walk_counts("links in the deep tree", mk, 0, base, cfg->deep_levels);
}

/* ---- processes: one link each ------------------------------------------ */

static int spawn_mklink(int i) {
  char *argv[] = {(char *)config->mklink, names[0][i], LINK_TEXT, NULL};
  return run_tool(argv, 0);
}

static int spawn_ln(int i) {
  char *argv[] = {(char *)config->ln, "-s", LINK_TEXT, names[1][i], NULL};
  return run_tool(argv, 0);
}

static int setup_spawn(const bench_config *cfg) {
  if (cfg->mklink == NULL) {
    bench_fail("the mklink command was not built (pass --mklink PATH)");
    return -1;
  }
  return 0;
}

/* ---- the table ----------------------------------------------------------- */

bench_row bench_rows[] = {
    {"noise", "`symlinkat` (A/A: the noise of this run)", "`symlinkat`", 0, NULL,
     NULL, {create_symlink_raw_a, create_symlink_raw}, check_symlinks,
     undo_links, 0, 0},
    {"create-symlink", "`mklink_create` file symlink", "`symlinkat`", 1.10, NULL,
     NULL, {create_symlink_mklink, create_symlink_raw}, check_symlinks,
     undo_links, 0, 0},
    {"create-hardlink", "`mklink_create` hard link", "`linkat`", 1.10, NULL, NULL,
     {create_hardlink_mklink, create_hardlink_raw}, check_hardlinks, undo_links,
     0, 0},
    {"create-junction", "`mklink_create` junction (simulated)", "`symlinkat`",
     1.50, NULL, NULL, {create_junction_mklink, create_junction_raw},
     check_junctions, undo_junctions, 0, 0},
    {"create-replace", "`mklink_create` `MKLINK_REPLACE` over a link",
     "`symlinkat` + `renameat`", 1.10, NULL, prep_links,
     {replace_mklink, replace_raw}, check_replaced, undo_links, 0, 0},
    {"query", "`mklink_query`", "`lstat` + `readlink`", 1.10, NULL, prep_links,
     {query_mklink, query_raw}, check_query, undo_links, 0, 0},
    {"query-absolute", "`mklink_query`, absolute path (no `getcwd`)",
     "`lstat` + `readlink`", 0, NULL, prep_links, {query_abs_mklink, query_abs_raw},
     check_query, undo_links, 0, 0},
    {"remove", "`mklink_remove`", "`unlink`", 1.10, NULL, prep_links,
     {remove_mklink, remove_raw}, NULL, undo_links, 0, 0},
    {"walk", "`mklink --list --recursive` (process)", "`find DIR -type l`", 0.80,
     setup_walk, NULL, {walk_mklink, walk_find}, NULL, NULL, 1, 0},
    {"walk-fd", "`mklink --list --recursive` (process)", "`fd -u -t l . DIR` (fd-find)", 1.00,
     setup_walk_fd, NULL, {walk_mklink, walk_fd}, NULL, NULL, 1, 0},
    {"walk-portable", "`mklink --check-portable` (process)", "`find DIR -type l`", 1.00,
     setup_portable, NULL, {portable_mklink, walk_find}, NULL, NULL, 1, 0},
    {"walk-broken", "`mklink --list --recursive --broken` (process)",
     "`find DIR -xtype l`", 1.00, setup_broken, NULL,
     {broken_mklink, broken_find}, NULL, NULL, 1, 0},
    {"delete-tree", "`mklink --delete --recursive` (process)", "`rm -rf`", 1.50,
     setup_delete, prep_delete, {delete_mklink, delete_rm}, check_delete, NULL, 1, 0},
    {"delete-deep", "`mklink --delete --recursive`, 10,000 levels (process)", "`rm -rf`",
     3.00, setup_delete, prep_deep_delete, {deep_delete_mklink, deep_delete_rm},
     check_deep_delete, NULL, 1, 0},
    {"walk-deep", "`mklink --list --recursive`, 10,000 levels, `ulimit -s 1024 -n 64`",
     "`find DIR -type l`, same limits", 1.00, setup_walk_deep, NULL,
     {walk_deep_mklink, walk_deep_find}, NULL, NULL, 1, 0},
    {"spawn", "`mklink LINK TARGET` process", "`ln -s TARGET LINK` process",
     1.00, setup_spawn, NULL, {spawn_mklink, spawn_ln}, check_symlinks,
     undo_links, 0, 0},
    {"manifest-check", "`mklink --check`, 10,000-entry manifest (process, YAML parse)",
     "C loop: `readlink` + `stat` of the same 10,000 links", 1.30, bench_manifest_setup, NULL,
     {bench_manifest_check, bench_manifest_check_floor}, NULL, NULL, 1, 0},
    {"manifest-apply", "`mklink --apply`, first: 10,000 links (process, YAML, journal)",
     "C loop: `symlink` of the same 10,000", 1.30, bench_manifest_setup,
     bench_manifest_apply_prep, {bench_manifest_apply, bench_manifest_apply_floor},
     bench_manifest_apply_check, bench_manifest_apply_prep, 1, 0},
    {"manifest-noop", "`mklink --apply`, second (nothing to do)", "`mklink --check`", 1.30,
     bench_manifest_setup, NULL, {bench_manifest_noop, bench_manifest_check}, NULL, NULL, 1, 0},
    {"manifest-stow", "`mklink --apply`, first: 10,000 links",
     "GNU Stow: `stow` of the same 10,000 files", 0, bench_stow_setup, bench_stow_prep,
     {bench_manifest_apply, bench_stow}, bench_stow_check, bench_stow_prep, 1, 0},
    {"move-xdev",
     "`mklink_move` /J of 10,000 files, 1 GiB (quick: 200, 8 MiB), to another tmpfs: copy, "
     "XXH3 verify, fsync, swap, remove",
     "GNU `mv` (process)", 1.25, bench_move_setup, bench_move_prep,
     {bench_move_mklink, bench_move_mv}, bench_move_check, bench_move_undo, 1, 0},
    {"move-xdev-cp", "`mklink_move` /J, the same move", "`cp -a` + `rm -rf` (processes)", 0,
     bench_move_setup, bench_move_prep, {bench_move_mklink, bench_move_cp_rm},
     bench_move_check, bench_move_undo, 1, 0},
    {"move-same",
     "`mklink_move` /D of the same tree (its files empty) within one tmpfs: a rename and a link",
     "`mv` + `ln -s` (processes)", 1.10, bench_move_same_setup, bench_move_same_prep,
     {bench_move_same_mklink, bench_move_same_mv_ln}, bench_move_same_check,
     bench_move_same_undo, 1, 0},
};
const size_t bench_nrows = sizeof bench_rows / sizeof bench_rows[0];

static int wanted(const bench_config *cfg, const char *id) {
  return cfg->only == NULL || strstr(id, cfg->only) != NULL;
}

static int make_file(const char *path) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0)
    return sys_fail("create", path);
  close(fd);
  return 0;
}

/* Lay out ROOT/ops (and ROOT/tree if a walk row runs) and move into
   ROOT/ops. */
int bench_rows_init(const bench_config *cfg, const char *root) {
  char ops[PATH_MAX];
  int i, s;
  config = cfg;
  for (s = 0; s < 2; s++)
    for (i = 0; i < BENCH_MAX_OPS; i++) {
      size_t len = strlen(root) + sizeof "/ops/" + NAME_LEN;
      snprintf(names[s][i], NAME_LEN, "%s/%06d", side_dir[s], i);
      snprintf(tmp_names[s][i], NAME_LEN, "%s/.t%06d", side_dir[s], i);
      if ((abs_names[s][i] = malloc(len)) == NULL) {
        bench_fail("out of memory");
        return -1;
      }
      snprintf(abs_names[s][i], len, "%s/ops/%s", root, names[s][i]);
    }
  for (i = 0; i < (int)bench_nrows; i++) {
    if (strcmp(bench_rows[i].id, "walk") == 0 ||
        strcmp(bench_rows[i].id, "walk-fd") == 0 ||
        strcmp(bench_rows[i].id, "walk-portable") == 0 ||
        strcmp(bench_rows[i].id, "walk-broken") == 0 ||
        strcmp(bench_rows[i].id, "delete-tree") == 0) {
      bench_rows[i].rounds = cfg->walk_rounds;
    } else if (strcmp(bench_rows[i].id, "delete-deep") == 0 ||
               strcmp(bench_rows[i].id, "walk-deep") == 0) {
      bench_rows[i].rounds = cfg->deep_rounds;
    } else if (strcmp(bench_rows[i].id, "manifest-stow") == 0) {
      bench_rows[i].rounds = cfg->quick ? 1 : 5; /* stow takes seconds */
    } else if (strncmp(bench_rows[i].id, "manifest-", 9) == 0) {
      bench_rows[i].rounds = cfg->walk_rounds;
    } else if (strncmp(bench_rows[i].id, "move-xdev", 9) == 0) {
      bench_rows[i].rounds = cfg->quick ? 1 : 5; /* a round copies 2 GiB */
    } else if (strcmp(bench_rows[i].id, "move-same") == 0) {
      bench_rows[i].rounds = cfg->quick ? 2 : 11;
    } else if (strcmp(bench_rows[i].id, "spawn") == 0) {
      bench_rows[i].per_batch = cfg->spawn_batch;
      bench_rows[i].rounds = cfg->spawn_rounds;
    }
  }
  devnull = open("/dev/null", O_WRONLY);
  if (devnull < 0)
    return sys_fail("open", "/dev/null");
  if ((size_t)snprintf(ops, sizeof ops, "%s/ops", root) >= sizeof ops ||
      (size_t)snprintf(abs_tdir, sizeof abs_tdir, "%s/ops/tdir", root) >= sizeof abs_tdir ||
      (size_t)snprintf(tree_dir, sizeof tree_dir, "%s/tree", root) >= sizeof tree_dir ||
      (size_t)snprintf(deep_dir, sizeof deep_dir, "%s/deep", root) >= sizeof deep_dir ||
      (size_t)snprintf(del_dir[0], sizeof del_dir[0], "%s/del-m", root) >= sizeof del_dir[0] ||
      (size_t)snprintf(del_dir[1], sizeof del_dir[1], "%s/del-b", root) >= sizeof del_dir[1] ||
      (size_t)snprintf(deep_del_dir[0], sizeof deep_del_dir[0], "%s/deep-m", root) >=
          sizeof deep_del_dir[0] ||
      (size_t)snprintf(deep_del_dir[1], sizeof deep_del_dir[1], "%s/deep-b", root) >=
          sizeof deep_del_dir[1]) {
    bench_fail("the directory '%s' is too long", root);
    return -1;
  }
  if (mkdir(ops, 0755) != 0)
    return sys_fail("mkdir", ops);
  if (chdir(ops) != 0)
    return sys_fail("chdir", ops);
  if (mkdir("m", 0755) != 0 || mkdir("b", 0755) != 0 || mkdir("tdir", 0755) != 0)
    return sys_fail("mkdir", "m, b, tdir");
  if (make_file("target") != 0 || make_file("target2") != 0)
    return -1;
  if (cfg->tree_entries > 0 && (wanted(cfg, "walk") || wanted(cfg, "walk-fd") ||
                                wanted(cfg, "walk-portable") || wanted(cfg, "walk-broken"))) {
    if (bench_make_tree(tree_dir, cfg->tree_entries, cfg->tree_links, &tree) != 0)
      return -1;
    printf("tree: %ld entries (%ld directories, %ld files, %ld links of which %ld "
           "dangling)\n",
           tree.dirs + tree.files + tree.links, tree.dirs, tree.files, tree.links,
           tree.broken);
  }
  if (cfg->deep_levels > 0 && wanted(cfg, "walk-deep")) {
    if (bench_make_chain(deep_dir, cfg->deep_levels) != 0)
      return -1;
    printf("deep tree: %ld levels, a file and a link at each\n", cfg->deep_levels);
  }
  return 0;
}

/*
 * test_manifest.c -- manifests: dotbot's documented examples (written out
 * here from its documentation), check states, plans, idempotency, each
 * conflict policy, relink, relative, glob, create, clean, expansion, the
 * bad-manifest table of docs/manifest.md, and the crash tests: undo after
 * apply, SIGKILL at random moments, a failure injected at every OS call of
 * apply and of undo.
 *
 * Tests that only make links run in the test's directory.  Everything that
 * backs up, deletes (--force), undoes or kills runs through sandbox_run():
 * chrooted in a directory of its own, where "/home" is ~, "/dot" holds the
 * dotfiles and "/state" the journals.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mklink.h"
#include "posix_fault.h"
#include "posix_fs.h"
#include "posix_sandbox.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- scene helpers (plain system calls, never the library) ----------------- */

static char root[PATH_MAX]; /* the test's directory, or "" in a sandbox */

static const char *at(const char *rel) {
  static char bufs[4][2 * PATH_MAX + 2];
  static int k;
  char *p = bufs[k++ & 3];
  snprintf(p, sizeof bufs[0], "%.4095s/%.4095s", root, rel);
  return p;
}

static void put(const char *rel, const char *content) {
  FILE *f = fopen(at(rel), "w");
  if (f == NULL) {
    fprintf(stderr, "cannot write %s: %s\n", at(rel), strerror(errno));
    abort();
  }
  fputs(content, f);
  fclose(f);
}

static void dir(const char *rel) {
  if (mkdir(at(rel), 0755) != 0 && errno != EEXIST) {
    fprintf(stderr, "mkdir %s: %s\n", at(rel), strerror(errno));
    abort();
  }
}

static const char *text_of(const char *rel) {
  static char buf[PATH_MAX];
  ssize_t n = readlink(at(rel), buf, sizeof buf - 1);
  if (n < 0)
    return NULL;
  buf[n] = '\0';
  return buf;
}

static int present(const char *rel) {
  struct stat st;
  return lstat(at(rel), &st) == 0;
}

/* A home, a dotfiles directory and a state directory, with HOME and
   XDG_STATE_HOME pointing at them. */
static void scene(const char *base) {
  snprintf(root, sizeof root, "%s", base);
  dir("home");
  dir("dot");
  dir("state");
  setenv("HOME", at("home"), 1);
  setenv("XDG_STATE_HOME", at("state"), 1);
}

static int setup(void **state) {
  int rc = posix_tmp_setup(state);
  if (rc == 0)
    scene(posix_tmp_dir());
  return rc;
}

static const char *manifest(const char *yaml) {
  static char path[2 * PATH_MAX + 2];
  put("dot/install.conf.yaml", yaml);
  snprintf(path, sizeof path, "%s", at("dot/install.conf.yaml"));
  return path;
}

static mklink_manifest *open_ok(const char *file) {
  mklink_manifest *m = NULL;
  int rc = mklink_manifest_open(file, 0, &m);
  if (rc != 0) {
    unsigned line = 0, col = 0;
    const char *msg = mklink_manifest_error(m, &line, &col);
    fail_msg("open %s: %s (%u:%u %s)", file, mklink_strerror(rc), line, col, msg ? msg : "");
  }
  return m;
}

static int apply_file(const char *file, unsigned flags) {
  mklink_manifest *m = open_ok(file);
  int rc = mklink_manifest_apply(m, flags);
  mklink_manifest_close(m);
  return rc;
}

static size_t drift_of(const char *file) {
  mklink_manifest *m = open_ok(file);
  size_t drifted = 99;
  assert_int_equal(mklink_manifest_check(m, &drifted), 0);
  mklink_manifest_close(m);
  return drifted;
}

static const mklink_manifest_entry *entry_for(const mklink_manifest *m, const char *rel) {
  size_t i;
  for (i = 0; i < mklink_manifest_count(m); i++) {
    const mklink_manifest_entry *e = mklink_manifest_entry_at(m, i);
    if (e->path != NULL && strcmp(e->path, at(rel)) == 0)
      return e;
  }
  fail_msg("no entry for %s", at(rel));
  return NULL;
}

static int journal_count(void) {
  return present("state/mklink") ? posix_count_prefix(at("state/mklink"), "apply-") : 0;
}

/* Inode and modification time of the one journal, to show it was not
   rewritten. */
static void journal_id(ino_t *ino, time_t *mtime_ns) {
  DIR *d = opendir(at("state/mklink"));
  struct dirent *de;
  struct stat st;
  char p[3 * PATH_MAX];
  assert_non_null(d);
  while ((de = readdir(d)) != NULL)
    if (strncmp(de->d_name, "apply-", 6) == 0)
      break;
  assert_non_null(de);
  snprintf(p, sizeof p, "%s/%s", at("state/mklink"), de->d_name);
  closedir(d);
  assert_int_equal(stat(p, &st), 0);
  *ino = st.st_ino;
  *mtime_ns = (time_t)(st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec);
}

/* ---- dotbot's documentation, as test data ----------------------------------- */

/* The link example of dotbot's README: create:, a short form, relink:,
   force:, if: (never run), a recursive glob, and a glob with prefix:. */
static void test_dotbot_link_example(void **state) {
  mklink_manifest *m;
  const char *file;
  (void)state;
  dir("dot/config");
  dir("dot/config/terminator");
  dir("dot/vim");
  put("dot/vimrc", "set nu\n");
  put("dot/zshrc", "export A=1\n");
  dir("dot/hammerspoon");
  dir("dot/dotconf");
  dir("dot/dotconf/config");
  dir("dot/dotconf/config/fish");
  put("dot/dotconf/config/fish/config.fish", "set x\n");
  put("dot/dotconf/config/starship.toml", "a=1\n");
  put("dot/dotconf/gitconfig", "[user]\n");
  put("dot/dotconf/tmux.conf", "set -g\n");
  file = manifest("- link:\n"
                  "    ~/.config/terminator:\n"
                  "      create: true\n"
                  "      path: config/terminator\n"
                  "    ~/.vim: vim\n"
                  "    ~/.vimrc:\n"
                  "      relink: true\n"
                  "      path: vimrc\n"
                  "    ~/.zshrc:\n"
                  "      force: true\n"
                  "      path: zshrc\n"
                  "    ~/.hammerspoon:\n"
                  "      if: '[ `uname` = Darwin ]'\n"
                  "      path: hammerspoon\n"
                  "    ~/.config/:\n"
                  "      glob: true\n"
                  "      path: dotconf/config/**\n"
                  "    ~/:\n"
                  "      glob: true\n"
                  "      path: dotconf/*\n"
                  "      prefix: '.'\n");
  m = open_ok(file);
  assert_int_equal(mklink_manifest_apply(m, 0), 0);
  /* As with dotbot, parts of this example cannot be made: ~/.config/fish
     does not exist (that glob has no create:), and ~/.config itself, which
     dotconf/STAR would link, is the directory terminator's create: makes. */
  assert_int_equal(entry_for(m, "home/.config/fish/config.fish")->error, MKLINK_ENOPATH);
  assert_int_equal(entry_for(m, "home/.config")->error, MKLINK_EEXIST);
  assert_string_equal(text_of("home/.config/terminator"), at("dot/config/terminator"));
  assert_string_equal(text_of("home/.vim"), at("dot/vim"));
  assert_string_equal(text_of("home/.vimrc"), at("dot/vimrc"));
  assert_string_equal(text_of("home/.zshrc"), at("dot/zshrc"));
  assert_false(present("home/.hammerspoon")); /* if: is a shell command: skipped */
  assert_int_equal(entry_for(m, "home/.hammerspoon")->op, MKLINK_OP_SKIP);
  /* "**" links files only, keeping their relative paths. */
  assert_string_equal(text_of("home/.config/starship.toml"), at("dot/dotconf/config/starship.toml"));
  assert_false(present("home/.config/fish"));
  /* dotconf/STAR with prefix '.': every entry (the config directory too). */
  assert_string_equal(text_of("home/.gitconfig"), at("dot/dotconf/gitconfig"));
  assert_string_equal(text_of("home/.tmux.conf"), at("dot/dotconf/tmux.conf"));
  mklink_manifest_close(m);
  assert_int_equal(drift_of(file), 2);
}

/* dotbot: an omitted or null target is the basename without its leading
   dot; the explicit and implicit forms of the README are the same. */
static void test_dotbot_implicit_targets(void **state) {
  const char *forms[] = {"- link:\n    ~/bin/ack: ack\n    ~/.vim: vim\n    ~/.vimrc:\n      relink: true\n"
                         "      path: vimrc\n    ~/.zshrc:\n      force: true\n      path: zshrc\n"
                         "    ~/.config/:\n      glob: true\n      path: config/*\n      relink: true\n"
                         "      exclude: [ config/Code ]\n",
                         "- link:\n    ~/bin/ack:\n    ~/.vim:\n    ~/.vimrc:\n      relink: true\n"
                         "    ~/.zshrc:\n      force: true\n    ~/.config/:\n      glob: true\n"
                         "      path: config/*\n      relink: true\n      exclude: [ config/Code ]\n",
                         "[{\"link\": {\"~/bin/ack\": null, \"~/.vim\": null, \"~/.vimrc\": {\"relink\": true},"
                         " \"~/.zshrc\": {\"force\": true}, \"~/.config/\": {\"glob\": true, \"path\": "
                         "\"config/*\", \"relink\": true, \"exclude\": [\"config/Code\"]}}}]\n"};
  char first[4096] = "";
  size_t f, i;
  (void)state;
  put("dot/ack", "#!/bin/sh\n");
  dir("dot/vim");
  put("dot/vimrc", "");
  put("dot/zshrc", "");
  dir("dot/config");
  dir("dot/config/Code");
  dir("dot/config/git");
  put("dot/config/htoprc", "");
  for (f = 0; f < 3; f++) {
    mklink_manifest *m = open_ok(manifest(forms[f]));
    char list[4096] = "";
    for (i = 0; i < mklink_manifest_count(m); i++) {
      const mklink_manifest_entry *e = mklink_manifest_entry_at(m, i);
      strncat(list, e->path, sizeof list - strlen(list) - 1);
      strncat(list, "=", sizeof list - strlen(list) - 1);
      strncat(list, e->target, sizeof list - strlen(list) - 1);
      strncat(list, ";", sizeof list - strlen(list) - 1);
    }
    /* config/Code is excluded; git and htoprc are linked into ~/.config. */
    assert_int_equal(mklink_manifest_count(m), 6);
    assert_non_null(strstr(list, "/home/.config/git="));
    assert_null(strstr(list, "Code"));
    if (f == 0)
      snprintf(first, sizeof first, "%s", list);
    else
      assert_string_equal(list, first);
    mklink_manifest_close(m);
  }
}

/* The full example of dotbot's README: defaults, clean, link, shell. */
static void test_dotbot_full_example(void **state) {
  const char *file;
  mklink_manifest *m;
  size_t i, skipped = 0;
  (void)state;
  put("dot/tmux.conf", "");
  dir("dot/vim");
  put("dot/vimrc", "");
  dir("home/.config");
  posix_symlink(at("dot/gone"), at("home/dead-into-dotfiles"));
  posix_symlink("/nonexistent/elsewhere", at("home/dead-elsewhere"));
  file = manifest("- defaults:\n"
                  "    link:\n"
                  "      relink: true\n"
                  "\n"
                  "- clean: ['~']\n"
                  "\n"
                  "- link:\n"
                  "    ~/.dotfiles: ''\n"
                  "    ~/.tmux.conf: tmux.conf\n"
                  "    ~/.vim: vim\n"
                  "    ~/.vimrc: vimrc\n"
                  "\n"
                  "- shell:\n"
                  "  - [git submodule update --init --recursive, Installing submodules]\n");
  m = open_ok(file);
  assert_int_equal(mklink_manifest_apply(m, 0), 0);
  for (i = 0; i < mklink_manifest_count(m); i++)
    if (mklink_manifest_entry_at(m, i)->op == MKLINK_OP_SKIP) {
      skipped++;
      assert_int_equal(mklink_manifest_entry_at(m, i)->line, 14); /* the shell entry */
    }
  assert_int_equal(skipped, 1);
  mklink_manifest_close(m);
  assert_string_equal(text_of("home/.dotfiles"), at("dot"));
  assert_string_equal(text_of("home/.tmux.conf"), at("dot/tmux.conf"));
  assert_string_equal(text_of("home/.vim"), at("dot/vim"));
  assert_string_equal(text_of("home/.vimrc"), at("dot/vimrc"));
  /* clean: removes dead links into the dotfiles only. */
  assert_false(present("home/dead-into-dotfiles"));
  assert_true(present("home/dead-elsewhere"));
}

/* dotbot's create example: a list, and a mapping with mode:. */
static void test_dotbot_create_example(void **state) {
  struct stat st;
  (void)state;
  umask(022);
  assert_int_equal(apply_file(manifest("- create:\n"
                                       "    - ~/downloads\n"
                                       "    - ~/.vim/undo-history\n"
                                       "- create:\n"
                                       "    ~/.ssh:\n"
                                       "      mode: 0700\n"
                                       "    ~/projects:\n"),
                              0),
                   0);
  assert_true(posix_is_dir(at("home/downloads")));
  assert_true(posix_is_dir(at("home/.vim/undo-history")));
  assert_int_equal(stat(at("home/.ssh"), &st), 0);
  assert_int_equal(st.st_mode & 0777, 0700);
  assert_true(posix_is_dir(at("home/projects")));
  assert_int_equal(drift_of(at("dot/install.conf.yaml")), 0);
}

/* dotbot's clean example: force: also removes dead links pointing elsewhere,
   recursive: looks below. */
static void test_dotbot_clean_example(void **state) {
  (void)state;
  dir("home/.config");
  dir("home/.config/deep");
  posix_symlink("/nonexistent/a", at("home/elsewhere"));
  posix_symlink(at("dot/gone"), at("home/.config/deep/into"));
  posix_symlink("/nonexistent/b", at("home/.config/deep/elsewhere"));
  put("dot/alive", "");
  posix_symlink(at("dot/alive"), at("home/alive"));
  assert_int_equal(apply_file(manifest("- clean:\n"
                                       "    ~/:\n"
                                       "      force: true\n"
                                       "    ~/.config:\n"
                                       "      recursive: true\n"),
                              0),
                   0);
  assert_false(present("home/elsewhere"));
  assert_false(present("home/.config/deep/into"));
  assert_true(present("home/.config/deep/elsewhere")); /* not force: kept */
  assert_true(present("home/alive"));                  /* not dead */
}

/* ---- check: every state, and exit codes through the command ----------------- */

static void test_check_states(void **state) {
  const char *file;
  mklink_manifest *m;
  size_t drifted;
  (void)state;
  put("dot/a", "a");
  put("dot/b", "b");
  put("dot/c", "c");
  put("dot/d", "d");
  put("dot/other", "o");
  posix_symlink(at("dot/a"), at("home/ok"));
  posix_symlink(at("dot/other"), at("home/wrong"));
  posix_hardlink(at("dot/d"), at("home/kind"));
  posix_symlink(at("dot/gone"), at("home/broken"));
  put("home/blocked", "data");
  file = manifest("- link:\n"
                  "    ~/ok: a\n"
                  "    ~/missing: b\n"
                  "    ~/wrong: c\n"
                  "    ~/kind: d\n"
                  "    ~/broken:\n"
                  "      path: gone\n"
                  "      ignore-missing: true\n"
                  "    ~/blocked: a\n");
  m = open_ok(file);
  assert_int_equal(mklink_manifest_check(m, &drifted), 0);
  assert_int_equal(drifted, 5);
  assert_int_equal(entry_for(m, "home/ok")->state, MKLINK_STATE_OK);
  assert_int_equal(entry_for(m, "home/missing")->state, MKLINK_STATE_MISSING);
  assert_int_equal(entry_for(m, "home/wrong")->state, MKLINK_STATE_WRONG_TARGET);
  assert_string_equal(entry_for(m, "home/wrong")->found, at("dot/other"));
  assert_int_equal(entry_for(m, "home/kind")->state, MKLINK_STATE_WRONG_KIND);
  assert_int_equal(entry_for(m, "home/broken")->state, MKLINK_STATE_BROKEN);
  assert_int_equal(entry_for(m, "home/blocked")->state, MKLINK_STATE_BLOCKED);
  mklink_manifest_close(m);
}

static char program[PATH_MAX + 32];

static int find_program(void) {
  char self[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  char *slash;
  if (n <= 0)
    return 0;
  self[n] = '\0';
  if ((slash = strrchr(self, '/')) == NULL)
    return 0;
  *slash = '\0';
  if ((slash = strrchr(self, '/')) == NULL)
    return 0;
  *slash = '\0';
  snprintf(program, sizeof program, "%s/src/cli/mklink", self);
  return access(program, X_OK) == 0;
}

#define REQUIRE_PROGRAM()                                                 \
  do {                                                                    \
    if (!find_program()) {                                                \
      print_message("skipped: the command is not built beside this test\n"); \
      skip();                                                             \
    }                                                                     \
  } while (0)

static void test_command_exit_codes(void **state) {
  const char *file;
  (void)state;
  REQUIRE_PROGRAM();
  put("dot/a", "a");
  put("home/blocked", "data");
  file = manifest("- link:\n    ~/a: a\n");
  assert_int_equal(posix_sh("'%s' --check '%s' >/dev/null", program, file), 1);
  assert_int_equal(posix_sh("'%s' --apply --dry-run '%s' >/dev/null", program, file), 0);
  assert_false(present("home/a"));
  assert_int_equal(posix_sh("'%s' --apply --json '%s' >/dev/null", program, file), 0);
  assert_int_equal(posix_sh("'%s' --check '%s' >/dev/null", program, file), 0);
  assert_int_equal(posix_sh("'%s' --check --json '%s' | grep -q '\"state\":\"ok\".*\"ok\":true'", program, file), 0);
  /* --json: an entry's "ok" is false when it drifts or conflicts, not only
     when a call failed, so a script can trust it. */
  file = manifest("- link:\n    ~/blocked: a\n");
  assert_int_equal(posix_sh("'%s' --check --json '%s' | grep '\"state\":\"blocked\"' | grep -q '\"ok\":false'",
                            program, file), 0);
  assert_int_equal(posix_sh("'%s' --apply --json '%s' 2>/dev/null | grep '\"action\":\"conflict\"' | grep -q '\"ok\":false'",
                            program, file), 0);
  file = manifest("- link:\n    ~/blocked: a\n");
  assert_int_equal(posix_sh("'%s' --apply '%s' 2>/dev/null >/dev/null", program, file), 1);
  assert_string_equal(posix_read_file(at("home/blocked")), "data");
  file = manifest("- link:\n    ~/a: [a\n");
  assert_int_equal(posix_sh("'%s' --check '%s' 2>/dev/null", program, file), 2);
  assert_int_equal(posix_sh("'%s' --apply '%s' 2>/dev/null", program, file), 2);
  assert_int_equal(posix_sh("'%s' --apply --dry-run '%s' 2>/dev/null", program, file), 2);
  assert_int_equal(posix_sh("'%s' --check '%s' 2>&1 | grep -q 'install.conf.yaml:3:1: not valid YAML'", program, file), 0);
  assert_int_equal(posix_sh("'%s' --check '%s/nope.yaml' 2>/dev/null", program, at("dot")), 2);
  /* A conflict says what is in the way: a hard link where a symbolic link
     is asked is a link of another kind, not "something else". */
  assert_int_equal(link(at("dot/a"), at("home/hard")), 0);
  file = manifest("- link:\n    ~/hard: a\n");
  assert_int_equal(posix_sh("'%s' --apply '%s' 2>&1 >/dev/null | grep -q \"'%s': a link of another kind to the target is in the way\"",
                            program, file, at("home/hard")), 0);
  /* --undo --json: each step undone says the kind of its link. */
  file = manifest("- link:\n    ~/u: a\n");
  assert_int_equal(posix_sh("'%s' --apply '%s' >/dev/null", program, file), 0);
  assert_int_equal(posix_sh("'%s' --undo --json '%s' | grep '\"path\":\"%s\"' | grep -q '\"kind\":\"file_symlink\"'",
                            program, file, at("home/u")), 0);
  assert_false(present("home/u"));
  file = manifest("- link:\n    ~/a: [a\n");
  assert_int_equal(posix_sh("'%s' --apply --backup --force '%s' 2>/dev/null", program, file), 2);
  assert_int_equal(posix_sh("'%s' --check --dry-run '%s' 2>/dev/null", program, file), 2);
  assert_int_equal(posix_sh("'%s' --undo '%s/never-applied.yaml' 2>/dev/null", program, at("dot")), 1);
}

/* The journal's place: $XDG_STATE_HOME/mklink, else ~/.local/state/mklink
   (also for a relative XDG_STATE_HOME, which the XDG specification says to
   ignore); undo finds it there. */
static void test_journal_state_directory(void **state) {
  static const char *const xdg[] = {NULL, "relative/state"};
  const char *file;
  size_t i;
  (void)state;
  put("dot/a", "a");
  file = manifest("- link:\n    ~/a: a\n");
  for (i = 0; i < sizeof xdg / sizeof xdg[0]; i++) {
    if (xdg[i] == NULL)
      unsetenv("XDG_STATE_HOME");
    else
      setenv("XDG_STATE_HOME", xdg[i], 1);
    assert_int_equal(apply_file(file, 0), 0);
    assert_int_equal(posix_count_prefix(at("home/.local/state/mklink"), "apply-"), 1);
    assert_int_equal(journal_count(), 0);
    assert_int_equal(mklink_manifest_undo(file, NULL), 0);
    assert_false(present("home/a"));
    assert_int_equal(posix_count_prefix(at("home/.local/state/mklink"), "apply-"), 0);
  }
  setenv("XDG_STATE_HOME", at("state"), 1);
  assert_int_equal(apply_file(file, 0), 0);
  assert_int_equal(journal_count(), 1);
  assert_int_equal(posix_count_prefix(at("home/.local/state/mklink"), "apply-"), 0);
}

/* ---- plans -------------------------------------------------------------------- */

static void test_idempotent(void **state) {
  const char *file;
  posix_snapshot before, after;
  struct stat j1, j2;
  mklink_manifest *m;
  size_t i;
  (void)state;
  dir("dot/vim");
  put("dot/vimrc", "");
  dir("dot/bin");
  put("dot/bin/tool", "");
  put("dot/bin/tool2", "");
  file = manifest("- defaults:\n    link:\n      create: true\n      relink: true\n"
                  "- create: ['~/work']\n"
                  "- link:\n    ~/.vim: vim\n    ~/.vimrc: vimrc\n    ~/.local/bin/:\n"
                  "      glob: true\n      path: bin/*\n");
  assert_int_equal(apply_file(file, 0), 0);
  assert_int_equal(journal_count(), 1);
  posix_snapshot_take(at("home"), &before);
  journal_id(&j1.st_ino, &j1.st_mtim.tv_sec);
  m = open_ok(file);
  assert_int_equal(mklink_manifest_apply(m, 0), 0);
  for (i = 0; i < mklink_manifest_count(m); i++)
    assert_int_equal(mklink_manifest_entry_at(m, i)->action, MKLINK_ACTION_OK);
  mklink_manifest_close(m);
  posix_snapshot_take(at("home"), &after);
  posix_snapshot_assert_equal(&before, &after); /* names, inodes, texts: nothing changed */
  /* The journal of the first apply is still the one there, not rewritten. */
  journal_id(&j2.st_ino, &j2.st_mtim.tv_sec);
  assert_int_equal(j1.st_ino, j2.st_ino);
  assert_int_equal(j1.st_mtim.tv_sec, j2.st_mtim.tv_sec);
  posix_snapshot_free(&before);
  posix_snapshot_free(&after);
}

static void test_conflict_changes_nothing(void **state) {
  const char *file;
  posix_snapshot before;
  mklink_manifest *m;
  (void)state;
  put("dot/a", "a");
  put("dot/b", "b");
  dir("dot/c");
  put("home/b", "my data");
  dir("home/c");
  put("home/c/inside", "x");
  file = manifest("- link:\n    ~/a: a\n    ~/b: b\n    ~/c: c\n");
  POSIX_SNAPSHOT_HERE(&before);
  m = open_ok(file);
  assert_int_equal(mklink_manifest_apply(m, 0), MKLINK_ECONFLICT);
  assert_int_equal(entry_for(m, "home/a")->action, MKLINK_ACTION_CREATE);
  assert_int_equal(entry_for(m, "home/b")->action, MKLINK_ACTION_CONFLICT);
  assert_int_equal(entry_for(m, "home/c")->action, MKLINK_ACTION_CONFLICT);
  mklink_manifest_close(m);
  posix_assert_unchanged(&before); /* not even ~/a, no journal */
  assert_int_equal(journal_count(), 0);
  posix_snapshot_free(&before);
}

static void test_dry_run_changes_nothing(void **state) {
  posix_snapshot before;
  mklink_manifest *m;
  (void)state;
  put("dot/a", "a");
  manifest("- link:\n    ~/sub/a:\n      path: a\n      create: true\n");
  POSIX_SNAPSHOT_HERE(&before);
  m = open_ok(at("dot/install.conf.yaml"));
  assert_int_equal(mklink_manifest_apply(m, MKLINK_APPLY_DRY_RUN), 0);
  assert_int_equal(entry_for(m, "home/sub/a")->action, MKLINK_ACTION_CREATE);
  mklink_manifest_close(m);
  posix_assert_unchanged(&before);
  posix_snapshot_free(&before);
}

static void test_relink(void **state) {
  const char *file;
  mklink_manifest *m;
  ino_t ino;
  (void)state;
  put("dot/a", "a");
  put("dot/old", "o");
  posix_symlink(at("dot/old"), at("home/a"));
  posix_symlink(at("dot/old"), at("home/b"));
  file = manifest("- link:\n    ~/a:\n      path: a\n      relink: true\n    ~/b: a\n");
  /* ~/b is a link elsewhere without relink: a conflict, nothing changes. */
  assert_int_equal(apply_file(file, 0), MKLINK_ECONFLICT);
  assert_string_equal(text_of("home/a"), at("dot/old"));
  file = manifest("- link:\n    ~/a:\n      path: a\n      relink: true\n");
  ino = posix_inode(at("home/a"));
  m = open_ok(file);
  assert_int_equal(mklink_manifest_apply(m, 0), 0);
  assert_int_equal(entry_for(m, "home/a")->action, MKLINK_ACTION_RELINK);
  mklink_manifest_close(m);
  assert_string_equal(text_of("home/a"), at("dot/a"));
  assert_true(posix_inode(at("home/a")) != ino); /* replaced by rename, not edited */
  assert_int_equal(posix_count_prefix(at("home"), ".mklink-"), 0);
}

static void test_relative(void **state) {
  (void)state;
  dir("dot/vim");
  dir("home/.config");
  assert_int_equal(apply_file(manifest("- link:\n    ~/.config/vim:\n      path: vim\n      relative: true\n"), 0), 0);
  assert_string_equal(text_of("home/.config/vim"), "../../dot/vim");
  assert_true(posix_is_dir(at("home/.config/vim")));
  assert_int_equal(drift_of(at("dot/install.conf.yaml")), 0);
}

static void test_glob_patterns(void **state) {
  mklink_manifest *m;
  (void)state;
  dir("dot/conf");
  put("dot/conf/a.toml", "");
  put("dot/conf/b.toml", "");
  put("dot/conf/c.ini", "");
  put("dot/conf/d.toml", "");
  put("dot/conf/e.ini", "");
  put("dot/conf/.hidden.toml", "");
  put("dot/conf/x1", "");
  put("dot/conf/x2", "");
  put("dot/conf/x3", "");
  dir("home/c");
  m = open_ok(manifest("- link:\n"
                       "    ~/c/:\n      glob: true\n      path: conf/*.toml\n      exclude: [conf/b.toml]\n"
                       "    ~/x/:\n      glob: true\n      path: conf/x[!2]\n      create: true\n"
                       "    ~/q/:\n      glob: true\n      path: conf/?.ini\n      prefix: p-\n      create: true\n"
                       "    ~/none/:\n      glob: true\n      path: conf/*.nothing\n"
                       "    ~/one:\n      glob: true\n      path: conf/c.*\n"
                       "    ~/amb/:\n      glob: true\n      path: conf/c.*\n"));
  assert_int_equal(mklink_manifest_apply(m, 0), 0);
  assert_string_equal(text_of("home/c/a.toml"), at("dot/conf/a.toml"));
  assert_false(present("home/c/b.toml"));       /* excluded */
  assert_false(present("home/c/.hidden.toml")); /* '*' never matches a leading '.' */
  assert_true(present("home/x/x1") && present("home/x/x3") && !present("home/x/x2"));
  assert_string_equal(text_of("home/q/p-c.ini"), at("dot/conf/c.ini"));
  assert_string_equal(text_of("home/q/p-e.ini"), at("dot/conf/e.ini"));
  /* One match and a link ending in '/': ambiguous, as dotbot says. */
  assert_int_equal(entry_for(m, "home/amb")->error, MKLINK_EINVAL);
  assert_string_equal(text_of("home/one"), at("dot/conf/c.ini")); /* one match: a plain link */
  assert_int_equal(entry_for(m, "home/none")->error, MKLINK_ENOFILE);
  mklink_manifest_close(m);
}

static void test_create_parents(void **state) {
  mklink_manifest *m;
  (void)state;
  put("dot/a", "");
  m = open_ok(manifest("- link:\n    ~/deep/er/a:\n      path: a\n      create: true\n    ~/no/a: a\n"));
  assert_int_equal(mklink_manifest_apply(m, 0), 0);
  assert_string_equal(text_of("home/deep/er/a"), at("dot/a"));
  /* Without create: the missing directory is reported, the rest is done. */
  assert_int_equal(entry_for(m, "home/no/a")->error, MKLINK_ENOPATH);
  assert_false(present("home/no"));
  mklink_manifest_close(m);
}

static void test_missing_target(void **state) {
  mklink_manifest *m;
  (void)state;
  m = open_ok(manifest("- link:\n    ~/a: nothere\n    ~/b:\n      path: nothere\n      ignore-missing: true\n"));
  assert_int_equal(mklink_manifest_apply(m, 0), 0);
  assert_int_equal(entry_for(m, "home/a")->error, MKLINK_ENOFILE); /* as dotbot: not linked */
  assert_false(present("home/a"));
  assert_string_equal(text_of("home/b"), at("dot/nothere"));
  mklink_manifest_close(m);
}

static void test_hardlink_and_junction(void **state) {
  mklink_manifest *m;
  (void)state;
  put("dot/f", "f");
  dir("dot/d");
  m = open_ok(manifest("- link:\n    ~/f:\n      path: f\n      type: hardlink\n"
                       "    ~/d:\n      path: d\n      type: junction\n"));
  assert_int_equal(mklink_manifest_apply(m, 0), 0);
  assert_int_equal(entry_for(m, "home/f")->made, MKLINK_HARDLINK);
  assert_int_equal(entry_for(m, "home/d")->made, MKLINK_JUNCTION);
  mklink_manifest_close(m);
  assert_int_equal(posix_inode(at("home/f")), posix_inode(at("dot/f")));
  assert_int_equal(drift_of(at("dot/install.conf.yaml")), 0);
}

/* fallback: symbolic links refused here (EPERM from symlinkat, as FAT says):
   a directory gets a junction... which is a symbolic link on POSIX too, so
   the file gets its hard link and the directory stays unmade, reported. */
static void test_fallback_chain(void **state) {
  mklink_manifest *m;
  (void)state;
  put("dot/f", "f");
  dir("dot/d");
  m = open_ok(manifest("- link:\n    ~/f:\n      path: f\n      fallback: [junction, hardlink]\n"
                       "    ~/d:\n      path: d\n      fallback: [hardlink, junction]\n"));
  fault_start();
  expect_fail_from("symlinkat", 1, EPERM);
  assert_int_equal(mklink_manifest_apply(m, 0), MKLINK_ENOTSUP);
  fault_stop();
  mklink_manifest_close(m);
  /* Nothing is left of a failed apply: the hard link made first is undone. */
  assert_false(present("home/f"));
  m = open_ok(manifest("- link:\n    ~/f:\n      path: f\n      fallback: [junction, hardlink]\n"));
  fault_start();
  expect_fail_from("symlinkat", 1, EPERM);
  assert_int_equal(mklink_manifest_apply(m, 0), 0);
  fault_stop();
  assert_int_equal(entry_for(m, "home/f")->made, MKLINK_HARDLINK);
  mklink_manifest_close(m);
  assert_int_equal(posix_inode(at("home/f")), posix_inode(at("dot/f")));
}

static void test_expansion_and_os(void **state) {
  mklink_manifest *m;
  (void)state;
  put("dot/a", "");
  setenv("MKLINK_T_DIR", "sub", 1);
  unsetenv("MKLINK_T_UNSET");
  dir("home/sub");
  m = open_ok(manifest("- link:\n"
                       "    ~/$MKLINK_T_DIR/one: a\n"
                       "    ~/${MKLINK_T_DIR}/two: a\n"
                       "    ~/%MKLINK_T_DIR%/three: a\n"
                       "    $HOME/sub/four: a\n"
                       "    ~/$MKLINK_T_UNSET: a\n"
                       "    ~/win:\n      path: a\n      os: [windows]\n"
                       "    ~/here:\n      path: a\n      os: [linux, windows, macos]\n"));
  assert_int_equal(mklink_manifest_apply(m, 0), 0);
  assert_true(present("home/sub/one") && present("home/sub/two") && present("home/sub/three") &&
              present("home/sub/four"));
  assert_true(present("home/$MKLINK_T_UNSET")); /* left as written, as dotbot */
  assert_non_null(strstr(entry_for(m, "home/$MKLINK_T_UNSET")->note, "not set"));
#if defined(__linux__)
  assert_false(present("home/win"));
  assert_true(present("home/here"));
#endif
  mklink_manifest_close(m);
}

static void test_shell_skipped_or_strict(void **state) {
  mklink_manifest *m = NULL;
  unsigned line = 0, col = 0;
  size_t i, skipped = 0;
  const char *file;
  (void)state;
  file = manifest("- shell:\n  - mkdir -p ~/src\n  - [mkdir -p ~/downloads, Creating downloads directory]\n"
                  "  -\n    command: read var && echo $var\n    stdin: true\n"
                  "- if: '[ -d /x ]'\n");
  m = open_ok(file);
  for (i = 0; i < mklink_manifest_count(m); i++) {
    const mklink_manifest_entry *e = mklink_manifest_entry_at(m, i);
    assert_int_equal(e->op, MKLINK_OP_SKIP);
    assert_non_null(strstr(e->note, "never runs commands"));
    skipped++;
  }
  assert_int_equal(skipped, 4); /* one per command, each with its line */
  assert_int_equal(mklink_manifest_entry_at(m, 1)->line, 3);
  mklink_manifest_close(m);
  assert_int_equal(mklink_manifest_open(file, MKLINK_MANIFEST_STRICT, &m), MKLINK_EMANIFEST);
  assert_non_null(mklink_manifest_error(m, &line, &col));
  assert_int_equal(line, 2);
  mklink_manifest_close(m);
}

/* The example of examples/manifest reads, plans and applies as it says. */
static void test_example_manifest(void **state) {
  char file[PATH_MAX];
  const char *src = __FILE__, *cut = strstr(src, "tests/posix/test_manifest.c");
  mklink_manifest *m;
  size_t i, links = 0;
  (void)state;
  if (cut == NULL || src[0] != '/') {
    print_message("skipped: the source tree is not known here\n");
    skip();
  }
  snprintf(file, sizeof file, "%.*sexamples/manifest/install.conf.yaml", (int)(cut - src), src);
  m = open_ok(file);
  assert_int_equal(mklink_manifest_apply(m, MKLINK_APPLY_DRY_RUN), 0);
  for (i = 0; i < mklink_manifest_count(m); i++) {
    const mklink_manifest_entry *e = mklink_manifest_entry_at(m, i);
    assert_int_equal(e->error, 0);
    if (e->op == MKLINK_OP_LINK)
      links++;
  }
  assert_true(links >= 5);
  assert_int_equal(mklink_manifest_apply(m, 0), 0);
  mklink_manifest_close(m);
  assert_non_null(text_of("home/.gitconfig"));
  assert_non_null(strstr(text_of("home/.gitconfig"), "examples/manifest/git/gitconfig"));
  assert_non_null(strstr(text_of("home/.local/bin/hello"), "examples/manifest/bin/hello"));
  assert_int_equal(drift_of(file), 0);
}

/* ---- the bad-manifest table of docs/manifest.md -------------------------------- */

static const struct bad_case {
  const char *name;
  const char *yaml;
  unsigned line, column;
  const char *says;
} bad_cases[] = {
    {"not YAML", "- link:\n    ~/a: [b\n", 3, 1, "not valid YAML"},
    {"tab indentation", "- link:\n\t~/a: b\n", 2, 1, "not valid YAML"},
    {"not a list", "link:\n  ~/a: b\n", 1, 1, "expected a list of tasks"},
    {"task not a mapping", "- link\n", 1, 3, "expected a task"},
    {"unknown directive", "- links:\n    ~/a: b\n", 1, 3, "unknown directive 'links'"},
    {"link not a mapping", "- link: [a, b]\n", 1, 9, "expected a mapping of link paths"},
    {"null link path", "- link:\n    ~: b\n", 2, 5, "expected a link path"},
    {"target a list", "- link:\n    ~/a: [b]\n", 2, 10, "expected a target path"},
    {"unknown option", "- link:\n    ~/a:\n      relnk: true\n", 3, 7, "unknown link option 'relnk'"},
    {"bool not bool", "- link:\n    ~/a:\n      relink: maybe\n", 3, 15, "expected true or false"},
    {"quoted bool", "- link:\n    ~/a:\n      force: 'true'\n", 3, 14, "expected true or false"},
    {"bad type", "- link:\n    ~/a:\n      type: softlink\n", 3, 13, "expected symlink, hardlink, junction or copy"},
    {"bad fallback", "- link:\n    ~/a:\n      fallback: junction\n", 3, 17, "expected a list of link kinds"},
    {"bad fallback kind", "- link:\n    ~/a:\n      fallback: [copy]\n", 3, 18, "expected symlink, hardlink or junction"},
    {"bad os", "- link:\n    ~/a:\n      os: [beos]\n", 3, 12, "expected linux, windows or macos"},
    {"exclude not a list", "- link:\n    ~/a:\n      exclude: x\n", 3, 16, "expected a list of glob patterns"},
    {"prefix null", "- link:\n    ~/a:\n      prefix:\n", 3, 14, "expected a string"},
    {"path in defaults", "- defaults:\n    link:\n      path: x\n", 3, 7, "unknown link option 'path'"},
    {"defaults unknown", "- defaults:\n    copy:\n      x: 1\n", 2, 5, "unknown directive 'copy' in defaults"},
    {"create not a list", "- create: ~/a\n", 1, 11, "expected a list of directories"},
    {"create bad mode", "- create:\n    ~/a:\n      mode: rwx\n", 3, 13, "expected a file mode"},
    {"create unknown option", "- create:\n    ~/a:\n      owner: me\n", 3, 7, "unknown create option"},
    {"clean unknown option", "- clean:\n    ~/:\n      deep: true\n", 3, 7, "unknown clean option"},
    {"two documents", "- link: {}\n---\n- link: {}\n", 3, 1, "expected one YAML document"},
};

static void test_bad_manifests(void **state) {
  size_t i;
  (void)state;
  for (i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
    mklink_manifest *m = NULL;
    unsigned line = 0, col = 0;
    const char *msg;
    posix_snapshot before;
    int rc;
    manifest(bad_cases[i].yaml);
    POSIX_SNAPSHOT_HERE(&before);
    rc = mklink_manifest_open(at("dot/install.conf.yaml"), 0, &m);
    msg = mklink_manifest_error(m, &line, &col);
    if (rc != MKLINK_EMANIFEST || msg == NULL || strstr(msg, bad_cases[i].says) == NULL ||
        line != bad_cases[i].line || col != bad_cases[i].column)
      fail_msg("%s: got %s at %u:%u '%s', want %u:%u '%s'", bad_cases[i].name, mklink_err_name(rc),
               line, col, msg ? msg : "", bad_cases[i].line, bad_cases[i].column, bad_cases[i].says);
    mklink_manifest_close(m);
    posix_assert_unchanged(&before);
    posix_snapshot_free(&before);
  }
  print_message("%zu bad manifests refused with line, column and what was expected\n", i);
}

/* The same table through the command: every command (--undo too, even with
   no journal to undo) prints FILE:LINE:COLUMN, changes nothing and exits 2. */
static void test_bad_manifests_every_command(void **state) {
  static const char *const cmds[] = {"--check", "--apply", "--apply --dry-run", "--apply --backup",
                                     "--apply --force", "--check --json", "--apply --json",
                                     "--undo", "--undo --json"};
  size_t i, c, runs = 0;
  (void)state;
  REQUIRE_PROGRAM();
  put("dot/b", "b");
  for (i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
    const char *file = manifest(bad_cases[i].yaml);
    char where[64];
    posix_snapshot before;
    snprintf(where, sizeof where, "install.conf.yaml:%u:%u: ", bad_cases[i].line,
             bad_cases[i].column);
    POSIX_SNAPSHOT_HERE(&before);
    for (c = 0; c < sizeof cmds / sizeof cmds[0]; c++, runs++) {
      int rc = posix_sh("'%s' %s '%s' >/dev/null 2>'%s'", program, cmds[c], file, at("err"));
      char err[4096] = "";
      FILE *f = fopen(at("err"), "r");
      if (f != NULL) {
        err[fread(err, 1, sizeof err - 1, f)] = '\0';
        fclose(f);
      }
      if (rc != 2 || strstr(err, where) == NULL ||
          strstr(err, bad_cases[i].says) == NULL)
        fail_msg("%s: mklink %s exited %d, said '%s'; want 2 and '%s%s'", bad_cases[i].name,
                 cmds[c], rc, err, where, bad_cases[i].says);
      unlink(at("err"));
    }
    posix_assert_unchanged(&before);
    posix_snapshot_free(&before);
  }
  print_message("%zu bad manifests x %zu commands (%zu runs): each exit 2 with FILE:LINE:COLUMN\n",
                i, c, runs);
}

/* ---- sandboxed: backup, force, undo, SIGKILL, faults ---------------------------- */

static char sbx[PATH_MAX];

static int sbx_setup(void **state) {
  const char *why;
  *state = NULL;
  if (sandbox_available(&why)) {
    sandbox_mkdtemp(sbx, sizeof sbx);
    *state = sbx;
  }
  return 0;
}

static int sbx_teardown(void **state) {
  if (*state != NULL)
    sandbox_destroy(*state);
  return 0;
}

#define FILE_ "/dot/install.conf.yaml"

/* What must be back after an undo: names, types, link texts, file contents,
   and the inode of everything but a link (a link put back by undo is made
   anew: its text is what must be the same). */
struct tree_line {
  char *text;
};

static int cmp_lines(const void *a, const void *b) {
  return strcmp(((const struct tree_line *)a)->text, ((const struct tree_line *)b)->text);
}

static void tree_lines(const char *path, struct tree_line **v, size_t *n, size_t *cap) {
  DIR *d = opendir(path);
  struct dirent *de;
  if (d == NULL)
    return;
  while ((de = readdir(d)) != NULL) {
    char child[PATH_MAX], line[3 * PATH_MAX], text[PATH_MAX] = "";
    struct stat st;
    ssize_t k;
    if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
      continue;
    snprintf(child, sizeof child, "%s/%s", path, de->d_name);
    if (lstat(child, &st) != 0)
      continue;
    if (S_ISLNK(st.st_mode) && (k = readlink(child, text, sizeof text - 1)) >= 0)
      text[k] = '\0';
    else if (S_ISREG(st.st_mode))
      snprintf(text, sizeof text, "%s", posix_read_file(child));
    snprintf(line, sizeof line, "%s %o %lu %lu %s", child, (unsigned)st.st_mode,
             S_ISLNK(st.st_mode) ? 0ul : (unsigned long)st.st_ino, (unsigned long)st.st_nlink, text);
    if (*n == *cap) {
      *cap = *cap ? *cap * 2 : 256;
      *v = realloc(*v, *cap * sizeof **v);
      if (*v == NULL)
        abort();
    }
    (*v)[(*n)++].text = strdup(line);
    if (S_ISDIR(st.st_mode))
      tree_lines(child, v, n, cap);
  }
  closedir(d);
}

static char *tree_text(const char *path) {
  struct tree_line *v = NULL;
  size_t n = 0, cap = 0, i, len = 0;
  char *out;
  tree_lines(path, &v, &n, &cap);
  qsort(v, n, sizeof *v, cmp_lines);
  for (i = 0; i < n; i++)
    len += strlen(v[i].text) + 1;
  out = malloc(len + 1);
  if (out == NULL)
    abort();
  out[0] = '\0';
  for (i = 0, len = 0; i < n; i++) {
    size_t k = strlen(v[i].text);
    memcpy(out + len, v[i].text, k);
    out[len + k] = '\n';
    len += k + 1;
    free(v[i].text);
  }
  out[len] = '\0';
  free(v);
  return out;
}

/* Print the first line where A and B differ. */
static void tree_diff(const char *a, const char *b) {
  while (*a != '\0' && *a == *b) {
    const char *na = strchr(a, '\n'), *nb = strchr(b, '\n');
    if (na == NULL || nb == NULL || na - a != nb - b || strncmp(a, b, (size_t)(na - a)) != 0)
      break;
    a = na + 1;
    b = nb + 1;
  }
  fprintf(stderr, "before: %.300s\nafter:  %.300s\n", a, b);
}

static unsigned long long tree_digest(const char *path) {
  struct tree_line *v = NULL;
  size_t n = 0, cap = 0, i;
  unsigned long long h = 1469598103934665603ull;
  const char *c;
  tree_lines(path, &v, &n, &cap);
  qsort(v, n, sizeof *v, cmp_lines);
  for (i = 0; i < n; i++) {
    for (c = v[i].text; *c != '\0'; c++)
      h = (h ^ (unsigned char)*c) * 1099511628211ull;
    h = (h ^ '\n') * 1099511628211ull;
    free(v[i].text);
  }
  free(v);
  return h;
}

/* The crash scene, inside a sandbox: N entries of each sort -- made fresh,
   a real file in the way (backed up), a directory in the way, a link to
   replace -- and the manifest. */
static void crash_scene(int n) {
  char buf[256], *yaml;
  size_t cap = (size_t)n * 200 + 256, len = 0;
  int i;
  root[0] = '\0';
  dir("home");
  dir("dot");
  dir("state");
  dir("home/dirs");
  setenv("HOME", "/home", 1);
  setenv("XDG_STATE_HOME", "/state", 1);
  yaml = malloc(cap);
  if (yaml == NULL)
    abort();
  len += (size_t)snprintf(yaml, cap, "- defaults:\n    link:\n      relink: true\n      create: true\n- link:\n");
  for (i = 0; i < n; i++) {
    snprintf(buf, sizeof buf, "dot/t%d", i);
    put(buf, "target");
    switch (i % 4) {
    case 1:
      snprintf(buf, sizeof buf, "home/e%d", i);
      put(buf, "precious data");
      break;
    case 2:
      snprintf(buf, sizeof buf, "home/e%d", i);
      dir(buf);
      snprintf(buf, sizeof buf, "home/e%d/inside", i);
      put(buf, "inside");
      break;
    case 3:
      snprintf(buf, sizeof buf, "home/e%d", i);
      SBX_CHECK(symlink("/dot/elsewhere", at(buf)) == 0);
      break;
    }
    len += (size_t)snprintf(yaml + len, cap - len, "    ~/%s%d: t%d\n", i % 8 == 0 ? "new/e" : "e", i, i);
  }
  put("dot/install.conf.yaml", yaml);
  free(yaml);
}

static int apply_in(unsigned flags) {
  mklink_manifest *m = NULL;
  int rc = mklink_manifest_open(FILE_, 0, &m);
  if (rc == 0)
    rc = mklink_manifest_apply(m, flags);
  mklink_manifest_close(m);
  return rc;
}

static int undo_in(void) {
  mklink_manifest *m = NULL;
  int rc = mklink_manifest_undo(FILE_, &m);
  size_t i;
  for (i = 0; rc == 0 && i < mklink_manifest_count(m); i++)
    if (mklink_manifest_entry_at(m, i)->error != 0 &&
        mklink_manifest_entry_at(m, i)->error != MKLINK_ENOFILE)
      rc = mklink_manifest_entry_at(m, i)->error;
  mklink_manifest_close(m);
  return rc;
}

static size_t drift_in(void) {
  mklink_manifest *m = NULL;
  size_t d = 999;
  SBX_CHECK(mklink_manifest_open(FILE_, 0, &m) == 0);
  SBX_CHECK(mklink_manifest_check(m, &d) == 0);
  mklink_manifest_close(m);
  return d;
}

static int journals_in(void) {
  struct stat st;
  return stat("/state/mklink", &st) == 0 ? posix_count_prefix("/state/mklink", "apply-") : 0;
}

static int sbx_backup_and_undo(void *arg) {
  unsigned long long before;
  struct stat st;
  ino_t ino;
  (void)arg;
  crash_scene(8);
  before = tree_digest("/home");
  SBX_CHECK(stat("/home/e1", &st) == 0);
  ino = st.st_ino;
  SBX_CHECK(apply_in(MKLINK_APPLY_BACKUP) == 0);
  SBX_CHECK(drift_in() == 0);
  SBX_CHECK(stat("/home/e1.mklink-backup", &st) == 0 && st.st_ino == ino);
  SBX_CHECK(stat("/home/e2.mklink-backup/inside", &st) == 0);
  SBX_CHECK(strcmp(text_of("home/e3"), "/dot/t3") == 0); /* relink: replaced */
  SBX_CHECK(apply_in(MKLINK_APPLY_BACKUP) == 0);           /* again: nothing to do */
  SBX_CHECK(undo_in() == 0);
  SBX_CHECK(tree_digest("/home") == before); /* byte for byte, inode for inode */
  SBX_CHECK(journals_in() == 0);
  SBX_CHECK(undo_in() == MKLINK_ENOJOURNAL);
  return 0;
}

static void test_backup_then_undo(void **state) {
  SANDBOX_REQUIRE();
  assert_int_equal(sandbox_run(*state, sbx_backup_and_undo, NULL), 0);
}

static int sbx_force(void *arg) {
  struct stat st;
  mklink_manifest *m = NULL;
  size_t i, gone = 0;
  (void)arg;
  crash_scene(8);
  SBX_CHECK(symlink("/home/e1", "/keep-victim") == 0);
  SBX_CHECK(apply_in(0) == MKLINK_ECONFLICT); /* the default: nothing */
  SBX_CHECK(stat("/home/e1", &st) == 0 && S_ISREG(st.st_mode));
  SBX_CHECK(apply_in(MKLINK_APPLY_FORCE) == 0);
  SBX_CHECK(drift_in() == 0);
  SBX_CHECK(posix_count_prefix("/home", "e1.mklink") == 0); /* deleted, nothing aside */
  SBX_CHECK(lstat("/home/e2", &st) == 0 && S_ISLNK(st.st_mode));
  SBX_CHECK(mklink_manifest_undo(FILE_, &m) == 0);
  for (i = 0; i < mklink_manifest_count(m); i++)
    if (mklink_manifest_entry_at(m, i)->error == MKLINK_ENOFILE)
      gone++;
  mklink_manifest_close(m);
  SBX_CHECK(gone == 4); /* e1, e2 (file, directory) and e5, e6: said, not hidden */
  SBX_CHECK(lstat("/home/e1", &st) != 0 && lstat("/home/e0", &st) != 0);
  SBX_CHECK(strcmp(text_of("home/e3"), "/dot/elsewhere") == 0); /* the old link put back */
  return 0;
}

static void test_force_deletes_only_with_force(void **state) {
  SANDBOX_REQUIRE();
  assert_int_equal(sandbox_run(*state, sbx_force, NULL), 0);
}

/* force: true in the manifest backs up: only --force deletes. */
static int sbx_manifest_force_backs_up(void *arg) {
  struct stat st;
  (void)arg;
  root[0] = '\0';
  dir("home");
  dir("dot");
  dir("state");
  setenv("HOME", "/home", 1);
  setenv("XDG_STATE_HOME", "/state", 1);
  put("dot/zshrc", "z");
  put("home/.zshrc", "mine");
  put(FILE_ + 1, "- link:\n    ~/.zshrc:\n      force: true\n      path: zshrc\n");
  SBX_CHECK(apply_in(0) == 0);
  SBX_CHECK(stat("/home/.zshrc.mklink-backup", &st) == 0);
  SBX_CHECK(strcmp(posix_read_file("/home/.zshrc.mklink-backup"), "mine") == 0);
  return 0;
}

static void test_manifest_force_backs_up(void **state) {
  SANDBOX_REQUIRE();
  assert_int_equal(sandbox_run(*state, sbx_manifest_force_backs_up, NULL), 0);
}

/* Under valgrind every process is some fifty times slower: a smaller
   manifest keeps the same 100 moments within the sandbox's time limit. */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define UNDER_VALGRIND() RUNNING_ON_VALGRIND
#endif
#endif
#ifndef UNDER_VALGRIND
#define UNDER_VALGRIND() 0
#endif
#define KILL_ENTRIES (UNDER_VALGRIND() ? 40 : 400)
#define SBX_TMPFS_SIZE (64u << 20)

struct kill_stats {
  int moments, mid, before, after, resumed, undone;
  long apply_us;
};

static long now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000L + ts.tv_nsec / 1000;
}

static void clear_all(void) {
  SBX_CHECK(sandbox_clear("/home", 1) == 0 || errno == ENOENT);
  SBX_CHECK(sandbox_clear("/state", 1) == 0 || errno == ENOENT);
  SBX_CHECK(sandbox_clear("/dot", 1) == 0 || errno == ENOENT);
}

/* What a child killed at some moment left: no journal (killed before the
   first change), a journal that says "applied" (killed after the apply's
   end, as it exited), or one of an apply in progress (mid-apply). */
enum { KILLED_BEFORE, KILLED_MID, KILLED_AFTER };
static int killed_when(void) {
  DIR *d = opendir("/state/mklink");
  struct dirent *de;
  char path[PATH_MAX], head[256] = "";
  int when = KILLED_BEFORE;
  if (d == NULL)
    return KILLED_BEFORE;
  while ((de = readdir(d)) != NULL) {
    FILE *f;
    size_t n;
    if (strncmp(de->d_name, "apply-", 6) != 0)
      continue;
    snprintf(path, sizeof path, "/state/mklink/%s", de->d_name);
    SBX_CHECK((f = fopen(path, "r")) != NULL);
    n = fread(head, 1, sizeof head - 1, f);
    head[n] = '\0';
    fclose(f);
    when = strstr(head, "5:state 7:applied ") != NULL ? KILLED_AFTER : KILLED_MID;
  }
  closedir(d);
  return when;
}

/* How long a forked apply of the crash scene runs, fork to exit (the
   median of three): the window the kill moments are drawn from. */
static long forked_apply_us(void) {
  long t[3], x;
  int i, j, status;
  for (i = 0; i < 3; i++) {
    long t0;
    pid_t pid;
    crash_scene(KILL_ENTRIES);
    t0 = now_us();
    SBX_CHECK((pid = fork()) >= 0);
    if (pid == 0)
      _exit(apply_in(MKLINK_APPLY_BACKUP) == 0 ? 0 : 3);
    SBX_CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
    t[i] = now_us() - t0;
    SBX_CHECK(undo_in() == 0);
    clear_all();
  }
  for (i = 0; i < 3; i++)
    for (j = i + 1; j < 3; j++)
      if (t[j] < t[i])
        x = t[i], t[i] = t[j], t[j] = x;
  return t[1];
}

#define KILLS_MID 100     /* moments that must land mid-apply */
#define KILLS_MAX 1000    /* moments drawn at most to get them */

/* KILLS_MID, or fewer where MKLINK_TEST_KILLS_MID says so: ci/valgrind
   asks for 10, as under memcheck 100 would not fit the sandbox's time. */
static int kills_mid(void) {
  const char *e = getenv("MKLINK_TEST_KILLS_MID");
  int n = e != NULL ? atoi(e) : 0;
  return n >= 1 && n <= KILLS_MID ? n : KILLS_MID;
}

static int sbx_kill(void *arg) {
  struct kill_stats *ks = arg;
  unsigned long long before;
  char *before_text = NULL;
  int i, status, when;
  pid_t pid;
  srand(20261202);
  double lo = 0, hi;
  ks->apply_us = forked_apply_us();
  hi = (double)ks->apply_us;
  for (i = 0; ks->mid < kills_mid() && i < KILLS_MAX; i++) {
    long delay = (long)(lo + (double)rand() / RAND_MAX * (hi - lo));
    crash_scene(KILL_ENTRIES);
    before = tree_digest("/home");
    free(before_text);
    before_text = tree_text("/home");
    pid = fork();
    SBX_CHECK(pid >= 0);
    if (pid == 0)
      _exit(apply_in(MKLINK_APPLY_BACKUP) == 0 ? 0 : 3);
    usleep((useconds_t)delay);
    kill(pid, SIGKILL);
    SBX_CHECK(waitpid(pid, &status, 0) == pid);
    ks->moments++;
    when = WIFEXITED(status) ? KILLED_AFTER : killed_when();
    /* The changes are a short part of the apply (the parse and the plan
       come first), and a sleep on a busy machine lasts longer than asked:
       the window [lo, hi] of the moments closes in on where kills land
       mid-apply, and opens again if it gets too narrow. */
    if (when == KILLED_AFTER)
      ks->after++, hi -= 0.3 * (hi - (double)delay > 0 ? hi - (double)delay : 0);
    else if (when == KILLED_BEFORE)
      ks->before++, lo += 0.3 * ((double)delay - lo > 0 ? (double)delay - lo : 0);
    else
      ks->mid++;
    if (hi - lo < 100)
      lo = lo > 200 ? lo - 200 : 0, hi += 200;
    if (i % 2 == 1) {
      /* Resumed: the next apply settles the journal and finishes. */
      SBX_CHECK(apply_in(MKLINK_APPLY_BACKUP) == 0);
      SBX_CHECK(drift_in() == 0);
      ks->resumed++;
    }
    /* Undone: back exactly as before (or nothing to undo if killed before
       the journal, in which case nothing was changed). */
    status = undo_in();
    SBX_CHECK(status == 0 || (status == MKLINK_ENOJOURNAL && tree_digest("/home") == before));
    if (tree_digest("/home") != before) {
      char *now = tree_text("/home");
      fprintf(stderr, "moment %d (delay %ld us, %s): the tree differs after undo\n", i, delay,
              WIFEXITED(status) ? "exited" : "killed");
      tree_diff(before_text, now);
      SBX_CHECK(0);
    }
    SBX_CHECK(journals_in() == 0);
    ks->undone++;
    clear_all();
  }
  free(before_text);
  return 0;
}

static void test_sigkill_mid_apply(void **state) {
  struct kill_stats *ks;
  SANDBOX_REQUIRE();
  ks = sandbox_shared(sizeof *ks);
  /* On a tmpfs of its own: fast enough for 100 moments, and exact. */
  if (sandbox_run_tmpfs(*state, SBX_TMPFS_SIZE, sbx_kill, ks) < 0) {
    print_message("skipped: no private mount namespace here\n");
    skip();
  }
  print_message("SIGKILL at %d random moments of a %ld us apply (fork to exit): %d mid-apply, %d "
                "before the journal, %d after the end; %d resumed, %d undone: every tree back "
                "byte for byte, inode for inode\n",
                ks->moments, ks->apply_us, ks->mid, ks->before, ks->after, ks->resumed, ks->undone);
  /* 100 moments mid-apply, as the issue asks, not 100 moments of which
     most found the apply finished. */
  if (kills_mid() != KILLS_MID)
    print_message("(MKLINK_TEST_KILLS_MID=%d: %d moments mid-apply, not %d)\n", kills_mid(),
                  kills_mid(), KILLS_MID);
  assert_int_equal(ks->mid, kills_mid());
  assert_int_equal(ks->undone, ks->moments);
  sandbox_shared_free(ks, sizeof *ks);
}

struct fault_stats {
  unsigned apply_calls, undo_calls, apply_failed, undo_failed;
};

static int sbx_faults(void *arg) {
  struct fault_stats *fs = arg;
  unsigned long long before;
  unsigned n;
  int rc;
  /* Apply: fail call N, for every N a full apply makes. */
  for (n = 1;; n++) {
    crash_scene(8);
    before = tree_digest("/home");
    fault_start();
    expect_fail_call(n, EIO);
    rc = apply_in(MKLINK_APPLY_FORCE);
    if (fault_calls() < n) {
      fault_stop();
      SBX_CHECK(rc == 0);
      fs->apply_calls = n - 1;
      clear_all();
      break;
    }
    fault_stop();
    if (rc != 0)
      fs->apply_failed++;
    /* Either the apply put everything back itself, or undo does; what was
       deleted by --force after the commit point is the one thing gone. */
    if (rc != 0 && journals_in() > 0) {
      rc = apply_in(MKLINK_APPLY_FORCE); /* settles the journal (resume or roll back) */
      SBX_CHECK(rc == 0);
    }
    if (rc != 0)
      SBX_CHECK(tree_digest("/home") == before);
    clear_all();
  }
  /* Undo: a backup apply, then fail call N of its undo; undo again. */
  for (n = 1;; n++) {
    crash_scene(8);
    before = tree_digest("/home");
    SBX_CHECK(apply_in(MKLINK_APPLY_BACKUP) == 0);
    fault_start();
    expect_fail_call(n, EIO);
    rc = undo_in();
    if (fault_calls() < n) {
      fault_stop();
      SBX_CHECK(rc == 0);
      fs->undo_calls = n - 1;
      SBX_CHECK(tree_digest("/home") == before);
      clear_all();
      break;
    }
    fault_stop();
    if (rc != 0) {
      fs->undo_failed++;
      rc = undo_in();
      SBX_CHECK(rc == 0 || rc == MKLINK_ENOJOURNAL);
    }
    if (tree_digest("/home") != before) {
      fprintf(stderr, "undo with call %u failing: the tree differs\n", n);
      SBX_CHECK(0);
    }
    SBX_CHECK(journals_in() == 0);
    clear_all();
  }
  return 0;
}

static void test_fault_every_call(void **state) {
  struct fault_stats *fs;
  SANDBOX_REQUIRE();
  fs = sandbox_shared(sizeof *fs);
  if (sandbox_run_tmpfs(*state, SBX_TMPFS_SIZE, sbx_faults, fs) < 0) {
    print_message("skipped: no private mount namespace here\n");
    skip();
  }
  print_message("faults: each of the %u OS calls of apply failed in turn (%u failures "
                "returned), each of the %u of undo (%u returned): every tree consistent\n",
                fs->apply_calls, fs->apply_failed, fs->undo_calls, fs->undo_failed);
  assert_true(fs->apply_calls > 50);
  assert_true(fs->undo_calls > 20);
  sandbox_shared_free(fs, sizeof *fs);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_dotbot_link_example, setup, posix_tmp_teardown),
      cmocka_unit_test_setup_teardown(test_dotbot_implicit_targets, setup, posix_tmp_teardown),
      cmocka_unit_test_setup_teardown(test_dotbot_full_example, setup, posix_tmp_teardown),
      cmocka_unit_test_setup_teardown(test_dotbot_create_example, setup, posix_tmp_teardown),
      cmocka_unit_test_setup_teardown(test_dotbot_clean_example, setup, posix_tmp_teardown),
      cmocka_unit_test_setup_teardown(test_check_states, setup, posix_tmp_teardown),
      cmocka_unit_test_setup_teardown(test_command_exit_codes, setup, posix_tmp_teardown),
      cmocka_unit_test_setup_teardown(test_journal_state_directory, setup, posix_tmp_teardown),
      cmocka_unit_test_setup_teardown(test_idempotent, setup, posix_tmp_teardown),
      cmocka_unit_test_setup_teardown(test_conflict_changes_nothing, setup, posix_tmp_teardown),
      cmocka_unit_test_setup_teardown(test_dry_run_changes_nothing, setup, posix_tmp_teardown),
      cmocka_unit_test_setup_teardown(test_relink, setup, posix_tmp_teardown),
      cmocka_unit_test_setup_teardown(test_relative, setup, posix_tmp_teardown),
      cmocka_unit_test_setup_teardown(test_glob_patterns, setup, posix_tmp_teardown),
      cmocka_unit_test_setup_teardown(test_create_parents, setup, posix_tmp_teardown),
      cmocka_unit_test_setup_teardown(test_missing_target, setup, posix_tmp_teardown),
      cmocka_unit_test_setup_teardown(test_hardlink_and_junction, setup, posix_tmp_teardown),
      cmocka_unit_test_setup_teardown(test_fallback_chain, setup, posix_tmp_teardown),
      cmocka_unit_test_setup_teardown(test_expansion_and_os, setup, posix_tmp_teardown),
      cmocka_unit_test_setup_teardown(test_shell_skipped_or_strict, setup, posix_tmp_teardown),
      cmocka_unit_test_setup_teardown(test_bad_manifests, setup, posix_tmp_teardown),
      cmocka_unit_test_setup_teardown(test_bad_manifests_every_command, setup, posix_tmp_teardown),
      cmocka_unit_test_setup_teardown(test_example_manifest, setup, posix_tmp_teardown),
      cmocka_unit_test_setup_teardown(test_backup_then_undo, sbx_setup, sbx_teardown),
      cmocka_unit_test_setup_teardown(test_force_deletes_only_with_force, sbx_setup, sbx_teardown),
      cmocka_unit_test_setup_teardown(test_manifest_force_backs_up, sbx_setup, sbx_teardown),
      cmocka_unit_test_setup_teardown(test_sigkill_mid_apply, sbx_setup, sbx_teardown),
      cmocka_unit_test_setup_teardown(test_fault_every_call, sbx_setup, sbx_teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

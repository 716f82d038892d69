/*
 * test_win32_manifest.c -- the same manifests under Wine: hard links and
 * directories for real, symbolic links where the system really makes them
 * (else in the NTFS model), the fallback chain against the model (a user
 * without the symbolic-link privilege gets a junction for a directory and a
 * hard link for a file), check, a second apply that changes nothing, a bad
 * manifest, and undo (it deletes: only in the sandbox of ci/wine-tree).
 *
 * The test's directory holds dot\ (the dotfiles and the manifest), home\
 * (USERPROFILE, so ~) and state\ (LOCALAPPDATA, for the journal).
 */
#include "win32_suite.h"
#include "ntfs_model.h"
#include "win32_unix.h"

#include <stdio.h>
#include <string.h>

static char path_buf[4][MAX_PATH * 3 + 64];
static int path_k;

/* CTX's directory joined with REL. */
static const char *in(const w32_ctx *ctx, const char *rel) {
  char *p = path_buf[path_k++ & 3];
  snprintf(p, sizeof path_buf[0], "%s\\%s", ctx->dir, rel);
  return p;
}

static void scene(w32_ctx *ctx) {
  w32_mkdir("dot");
  w32_mkdir("home");
  w32_mkdir("state");
  assert_int_equal(_putenv_s("USERPROFILE", in(ctx, "home")), 0);
  assert_int_equal(_putenv_s("LOCALAPPDATA", in(ctx, "state")), 0);
}

static const char *manifest(w32_ctx *ctx, const char *yaml) {
  w32_write("dot\\install.conf.yaml", yaml);
  return in(ctx, "dot\\install.conf.yaml");
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

static const mklink_manifest_entry *entry_for(const w32_ctx *ctx, const mklink_manifest *m,
                                              const char *rel) {
  const char *want = in(ctx, rel);
  size_t i;
  for (i = 0; i < mklink_manifest_count(m); i++) {
    const mklink_manifest_entry *e = mklink_manifest_entry_at(m, i);
    if (e->path != NULL && _stricmp(e->path, want) == 0)
      return e;
  }
  fail_msg("no entry for %s", want);
  return NULL;
}

static size_t drift_of(const char *file) {
  mklink_manifest *m = open_ok(file);
  size_t d = 99;
  assert_int_equal(mklink_manifest_check(m, &d), 0);
  mklink_manifest_close(m);
  return d;
}

static DWORD nlink_of(const char *rel) {
  DWORD volume, nlink = 0;
  ULONGLONG index;
  assert_int_equal(w32_file_id(rel, &volume, &index, &nlink), 0);
  return nlink;
}

static const char *const real_yaml = "- create: ['~/made/deeper']\n"
                                     "- link:\n"
                                     "    ~/a.txt:\n"
                                     "      path: a.txt\n"
                                     "      type: hardlink\n"
                                     "    '%USERPROFILE%/sub/b.txt':\n"
                                     "      path: b.txt\n"
                                     "      type: hardlink\n"
                                     "      create: true\n";

/* Hard links and directories: real under Wine. */
W32_TEST(manifest_hardlinks_and_dirs, W32_REAL) {
  const char *file;
  mklink_manifest *m;
  size_t i;
  scene(ctx);
  w32_write("dot\\a.txt", "a");
  w32_write("dot\\b.txt", "b");
  file = manifest(ctx, real_yaml);
  m = open_ok(file);
  assert_int_equal(mklink_manifest_apply(m, 0), 0);
  assert_int_equal(entry_for(ctx, m, "home\\a.txt")->made, MKLINK_HARDLINK);
  assert_int_equal(entry_for(ctx, m, "home\\sub\\b.txt")->made, MKLINK_HARDLINK);
  mklink_manifest_close(m);
  assert_int_equal(nlink_of("dot\\a.txt"), 2);
  assert_int_equal(nlink_of("dot\\b.txt"), 2);
  assert_true(w32_attrs("home\\made\\deeper") & FILE_ATTRIBUTE_DIRECTORY);
  assert_int_equal(drift_of(file), 0);
  /* A second apply changes nothing. */
  m = open_ok(file);
  assert_int_equal(mklink_manifest_apply(m, 0), 0);
  for (i = 0; i < mklink_manifest_count(m); i++)
    assert_int_equal(mklink_manifest_entry_at(m, i)->action, MKLINK_ACTION_OK);
  mklink_manifest_close(m);
  assert_int_equal(nlink_of("dot\\a.txt"), 2);
}

/* Under Wine, --backup of a Unix symbolic link in the way: the link is
   renamed to the backup name, its target stays where it is (MoveFileExW
   renamed the target, leaving the link dangling and the file under the
   backup name). */
W32_TEST(manifest_backup_of_unix_link_keeps_target, W32_REAL) {
  mklink_manifest *m;
  const mklink_manifest_entry *e;
  char text[64], *kept;
  W32_REQUIRE_TREE_SANDBOX(ctx);
  if (!w32_unix_available())
    w32_skip(ctx, w32_unix_unavailable());
  scene(ctx);
  w32_write("dot\\a.txt", "a");
  w32_write("dot\\b.txt", "b");
  w32_write("keep.txt", "precious");
  assert_int_equal(w32_unix_symlink("../keep.txt", "home\\a.txt"), 0);
  m = open_ok(manifest(ctx, real_yaml));
  assert_int_equal(mklink_manifest_apply(m, MKLINK_APPLY_BACKUP), 0);
  e = entry_for(ctx, m, "home\\a.txt");
  assert_int_equal(e->action, MKLINK_ACTION_BACKUP);
  assert_non_null(e->backup);
  assert_int_equal(w32_unix_is_link(e->backup), 1);
  assert_int_equal(w32_unix_readlink(e->backup, text, sizeof text), 0);
  assert_string_equal(text, "../keep.txt");
  mklink_manifest_close(m);
  kept = w32_read("keep.txt");
  assert_string_equal(kept, "precious");
  free(kept);
  assert_int_equal(w32_unix_is_link("home\\a.txt"), 0);
  assert_int_equal(nlink_of("dot\\a.txt"), 2);
}

/* A real file in the way: nothing changes by default. */
W32_TEST(manifest_conflict_changes_nothing, W32_REAL) {
  mklink_manifest *m;
  char *kept;
  scene(ctx);
  w32_write("dot\\a.txt", "a");
  w32_write("dot\\b.txt", "b");
  w32_write("home\\a.txt", "mine");
  m = open_ok(manifest(ctx, real_yaml));
  assert_int_equal(mklink_manifest_apply(m, 0), MKLINK_ECONFLICT);
  assert_int_equal(entry_for(ctx, m, "home\\a.txt")->action, MKLINK_ACTION_CONFLICT);
  mklink_manifest_close(m);
  kept = w32_read("home\\a.txt");
  assert_string_equal(kept, "mine");
  free(kept);
  assert_false(w32_exists("home\\made"));
  assert_false(w32_exists("state\\mklink"));
}

W32_TEST(manifest_bad_yaml, W32_REAL) {
  mklink_manifest *m = NULL;
  unsigned line = 0, col = 0;
  scene(ctx);
  assert_int_equal(mklink_manifest_open(manifest(ctx, "- link:\n    ~/a:\n      relnk: true\n"), 0, &m),
                   MKLINK_EMANIFEST);
  assert_non_null(strstr(mklink_manifest_error(m, &line, &col), "unknown link option 'relnk'"));
  assert_int_equal(line, 3);
  assert_int_equal(col, 7);
  mklink_manifest_close(m);
}

/* Undo deletes the links it made: sandboxed. */
W32_TEST(manifest_undo, W32_REAL) {
  const char *file;
  mklink_manifest *undone = NULL;
  W32_REQUIRE_TREE_SANDBOX(ctx);
  scene(ctx);
  w32_write("dot\\a.txt", "a");
  w32_write("dot\\b.txt", "b");
  file = manifest(ctx, real_yaml);
  {
    mklink_manifest *m = open_ok(file);
    assert_int_equal(mklink_manifest_apply(m, 0), 0);
    mklink_manifest_close(m);
  }
  assert_int_equal(mklink_manifest_undo(file, &undone), 0);
  assert_true(mklink_manifest_count(undone) >= 5);
  mklink_manifest_close(undone);
  assert_int_equal(nlink_of("dot\\a.txt"), 1);
  assert_int_equal(nlink_of("dot\\b.txt"), 1);
  assert_false(w32_exists("home\\a.txt"));
  assert_false(w32_exists("home\\sub"));
  assert_false(w32_exists("home\\made"));
  assert_int_equal(mklink_manifest_undo(file, NULL), MKLINK_ENOJOURNAL);
}

/* The fallback chain, against the model: no privilege, no Developer Mode.
   The symbolic link fails with 1314; a directory gets a junction (model),
   a file a hard link (real). */
W32_TEST(manifest_fallback_chain, W32_MODEL) {
  ntfs_model_config cfg = {0};
  const char *file;
  mklink_manifest *m;
  scene(ctx);
  w32_write("dot\\f.txt", "f");
  w32_mkdir("dot\\d");
  ntfs_model_install(&cfg);
  file = manifest(ctx, "- link:\n"
                       "    ~/f.txt:\n      path: f.txt\n      fallback: [junction, hardlink]\n"
                       "    ~/d:\n      path: d\n      fallback: [hardlink, junction]\n"
                       "    ~/plain:\n      path: d\n");
  m = open_ok(file);
  assert_int_equal(mklink_manifest_apply(m, 0), MKLINK_EPRIVILEGE);
  /* ~/plain has no fallback: the apply fails and takes back what it made. */
  mklink_manifest_close(m);
  assert_false(w32_exists("home\\f.txt"));
  assert_false(w32_exists("home\\d"));
  assert_int_equal(ntfs_model_count(), 0);
  file = manifest(ctx, "- link:\n"
                       "    ~/f.txt:\n      path: f.txt\n      fallback: [junction, hardlink]\n"
                       "    ~/d:\n      path: d\n      fallback: [hardlink, junction]\n");
  m = open_ok(file);
  assert_int_equal(mklink_manifest_apply(m, 0), 0);
  assert_int_equal(entry_for(ctx, m, "home\\f.txt")->made, MKLINK_HARDLINK);
  assert_int_equal(entry_for(ctx, m, "home\\d")->made, MKLINK_JUNCTION);
  mklink_manifest_close(m);
  assert_int_equal(ntfs_model_count(), 1);
  assert_int_equal(nlink_of("dot\\f.txt"), 2);
  assert_int_equal(drift_of(file), 0);
}

/* Symbolic links where creates go: the real system if it makes them, else
   the model with the privilege held. */
W32_TEST(manifest_symlinks_where_creates_go, W32_MODEL) {
  ntfs_model_config cfg = {0};
  const char *file;
  mklink_manifest *m;
  int real = w32_really_creates(MKLINK_FILE_SYMLINK) && w32_really_creates(MKLINK_DIR_SYMLINK);
  scene(ctx);
  w32_write("dot\\f.txt", "f");
  w32_mkdir("dot\\d");
  if (real) {
    ctx->backend = W32_REAL;
  } else {
    cfg.privileged = 1;
    ntfs_model_install(&cfg);
  }
  file = manifest(ctx, "- link:\n    ~/f.txt: f.txt\n    ~/d: d\n");
  m = open_ok(file);
  assert_int_equal(mklink_manifest_apply(m, 0), 0);
  assert_int_equal(entry_for(ctx, m, "home\\f.txt")->made, MKLINK_FILE_SYMLINK);
  assert_int_equal(entry_for(ctx, m, "home\\d")->made, MKLINK_DIR_SYMLINK);
  mklink_manifest_close(m);
  assert_int_equal(drift_of(file), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      W32_CASE(manifest_hardlinks_and_dirs),
      W32_CASE(manifest_conflict_changes_nothing),
      W32_CASE(manifest_backup_of_unix_link_keeps_target),
      W32_CASE(manifest_bad_yaml),
      W32_CASE(manifest_undo),
      W32_CASE(manifest_fallback_chain),
      W32_CASE(manifest_symlinks_where_creates_go),
  };
  w32_start("manifest");
  return w32_finish("manifest", cmocka_run_group_tests_name("win32_manifest", tests, NULL, NULL));
}

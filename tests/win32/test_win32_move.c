/*
 * test_win32_move.c -- mklink_move under Wine: the copy, the renames and the
 * verification run for real on Win32 (ReadFile/WriteFile on the handles the
 * tree walk holds, MoveFileExW), the final link goes where creates go (the
 * Wine bridge: a Unix symbolic link for /D and the default kind).
 *
 * Same volume: a tree and a file moved by one MoveFileExW, the link made.
 * Another volume: Z:\tmp, which in ci/wine-tree's sandbox is a tmpfs of its
 * own while the test directory is in the build tree: Wine gives both the
 * serial of drive Z:, so the move tries the rename, Wine answers
 * ERROR_NOT_SAME_DEVICE (rename(2)'s EXDEV), and the move copies instead --
 * the test asserts that it did.  Refusals change nothing, a file held open
 * without sharing included (MKLINK_EBUSY).  These delete and move trees: they
 * run only in the sandbox of ci/wine-tree.
 */
#include "win32_suite.h"

#include <stdio.h>
#include <string.h>

static void scene(void) {
  w32_mkdir("data");
  w32_mkdir("data\\sub");
  w32_mkdir("data\\sub\\empty");
  w32_write("data\\a.txt", "alpha\n");
  w32_write("data\\sub\\b.txt", "beta\n");
  w32_write("lone.txt", "one file\n");
}

static void content_is(const char *path, const char *want) {
  char *got = w32_read(path);
  if (got == NULL)
    fail_msg("%s cannot be read", path);
  if (strcmp(got, want) != 0)
    fail_msg("%s holds '%s', not '%s'", path, got, want);
  free(got);
}

static void is_dir_symlink_to(const char *link, const char *target) {
  mklink_info info;
  char *full = w32_full(target);
  assert_int_equal(mklink_query(link, &info), 0);
  assert_int_equal(info.kind, MKLINK_DIR_SYMLINK);
  if (_stricmp(info.target, full) != 0)
    fail_msg("%s leads to '%s', not '%s'", link, info.target, full);
  mklink_info_free(&info);
  free(full);
}

typedef struct heard {
  int phases[6];
  int same_device_at_done;
  int stop_at;
} heard;

static int listen(const mklink_move_progress *p, void *arg) {
  heard *h = arg;
  h->phases[p->phase]++;
  if (p->phase == MKLINK_MOVE_DONE)
    h->same_device_at_done = p->same_device;
  return (int)p->phase == h->stop_at;
}

W32_TEST(move_same_volume, W32_BRIDGE) {
  heard h;
  W32_REQUIRE_TREE_SANDBOX(ctx);
  if (!w32_bridges(MKLINK_DIR_SYMLINK) && !w32_really_creates(MKLINK_DIR_SYMLINK))
    w32_skip(ctx, "no directory symbolic link can be made here");
  scene();
  memset(&h, 0, sizeof h);
  h.stop_at = -1;
  assert_int_equal(mklink_move("data", "moved", MKLINK_DIR_SYMLINK, 0, listen, &h), 0);
  assert_int_equal(h.phases[MKLINK_MOVE_PLAN], 1);
  assert_int_equal(h.phases[MKLINK_MOVE_COPY], 0); /* one rename */
  assert_int_equal(h.phases[MKLINK_MOVE_DONE], 1);
  is_dir_symlink_to("data", "moved");
  content_is("moved\\a.txt", "alpha\n");
  content_is("data\\sub\\b.txt", "beta\n"); /* through the link */
  assert_int_equal(mklink_move_pending("data"), 0);
  assert_false(w32_exists("data.mklink-move"));
  assert_int_equal(w32_entries(), 3); /* data, moved, lone.txt */
}

W32_TEST(move_same_volume_file, W32_REAL) {
  DWORD v1, v2, n1, n2;
  ULONGLONG i1, i2;
  W32_REQUIRE_TREE_SANDBOX(ctx);
  scene();
  assert_int_equal(mklink_move("lone.txt", "moved.txt", MKLINK_HARDLINK, 0, NULL, NULL), 0);
  assert_int_equal(w32_file_id("lone.txt", &v1, &i1, &n1), 0);
  assert_int_equal(w32_file_id("moved.txt", &v2, &i2, &n2), 0);
  assert_true(i1 == i2 && n1 == 2);
  content_is("lone.txt", "one file\n");
  assert_int_equal(w32_entries(), 3); /* data, lone.txt, moved.txt */
}

W32_TEST(move_refusals_change_nothing, W32_REAL) {
  HANDLE held;
  wchar_t *w;
  W32_REQUIRE_TREE_SANDBOX(ctx);
  scene();
  w32_mkdir("full");
  w32_write("full\\x", "x");
  assert_int_equal(mklink_move("nothing", "t", MKLINK_JUNCTION, 0, NULL, NULL), MKLINK_ENOFILE);
  assert_int_equal(mklink_move("data", "full", MKLINK_JUNCTION, 0, NULL, NULL), MKLINK_EEXIST);
  assert_int_equal(mklink_move("data", "t", MKLINK_FILE_SYMLINK, 0, NULL, NULL), MKLINK_EINVAL);
  assert_int_equal(mklink_move("lone.txt", "t", MKLINK_DIR_SYMLINK, 0, NULL, NULL),
                   MKLINK_EINVAL);
  assert_int_equal(mklink_move("data", "data\\sub\\in", MKLINK_DIR_SYMLINK, 0, NULL, NULL),
                   MKLINK_EINVAL);
  assert_int_equal(mklink_move("data", "no\\such\\dir", MKLINK_DIR_SYMLINK, 0, NULL, NULL),
                   MKLINK_ENOPATH);
  assert_int_equal(mklink_move_resume("data", NULL, NULL), MKLINK_ENOMOVE);
  assert_int_equal(mklink_move_rollback("data", NULL, NULL), MKLINK_ENOMOVE);
  /* A file held open without sharing: "being used by another process". */
  w = w32_wide("data\\sub\\b.txt");
  held = CreateFileW(w, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
  free(w);
  assert_true(held != INVALID_HANDLE_VALUE);
  assert_int_equal(mklink_move("data", "t", MKLINK_DIR_SYMLINK, 0, NULL, NULL), MKLINK_EBUSY);
  CloseHandle(held);
  /* An unfinished move refuses a new one. */
  w32_write("data.mklink-move", "");
  assert_int_equal(mklink_move_pending("data"), 1);
  assert_int_equal(mklink_move("data", "t", MKLINK_DIR_SYMLINK, 0, NULL, NULL), MKLINK_EMOVING);
  assert_int_equal(DeleteFileA("data.mklink-move"), TRUE);
  /* Nothing changed. */
  assert_int_equal(w32_entries(), 3); /* data, lone.txt, full */
  content_is("data\\a.txt", "alpha\n");
  content_is("data\\sub\\b.txt", "beta\n");
  assert_false(w32_exists("t"));
}

/* Z:\tmp is a tmpfs of its own in ci/wine-tree's sandbox. */
static void other_volume_dir(char *out, size_t size) {
  snprintf(out, size, "Z:\\tmp\\mklink-move-%lu", (unsigned long)GetCurrentProcessId());
  w32_mkdir(out);
}

W32_TEST(move_other_volume, W32_BRIDGE) {
  char other[MAX_PATH], target[MAX_PATH], probe[MAX_PATH + 16];
  heard h;
  W32_REQUIRE_TREE_SANDBOX(ctx);
  if (!w32_bridges(MKLINK_DIR_SYMLINK) && !w32_really_creates(MKLINK_DIR_SYMLINK))
    w32_skip(ctx, "no directory symbolic link can be made here");
  scene();
  other_volume_dir(other, sizeof other);
  snprintf(target, sizeof target, "%s\\data", other);
  /* A cancel at the verification leaves the move to roll back. */
  memset(&h, 0, sizeof h);
  h.stop_at = MKLINK_MOVE_VERIFY;
  assert_int_equal(mklink_move("data", target, MKLINK_DIR_SYMLINK, 0, listen, &h),
                   MKLINK_ECANCELLED);
  if (h.phases[MKLINK_MOVE_COPY] == 0) {
    /* The rename worked: Z:\tmp is on the build tree's file system here. */
    w32_skip(ctx, "Z:\\tmp is not another file system here (not in ci/wine-tree's sandbox)");
  }
  assert_int_equal(mklink_move_pending("data"), 1);
  assert_int_equal(mklink_move_rollback("data", NULL, NULL), 0);
  assert_int_equal(mklink_move_pending("data"), 0);
  content_is("data\\a.txt", "alpha\n");
  assert_false(w32_exists(target));
  assert_int_equal(w32_entries(), 2); /* data, lone.txt */
  /* Then for real. */
  memset(&h, 0, sizeof h);
  h.stop_at = -1;
  assert_int_equal(mklink_move("data", target, MKLINK_DIR_SYMLINK, 0, listen, &h), 0);
  assert_true(h.phases[MKLINK_MOVE_COPY] >= 1 && h.phases[MKLINK_MOVE_VERIFY] >= 1 &&
              h.phases[MKLINK_MOVE_SWAP] == 1 && h.phases[MKLINK_MOVE_CLEAN] == 1);
  assert_int_equal(h.same_device_at_done, 0);
  is_dir_symlink_to("data", target);
  snprintf(probe, sizeof probe, "%s\\sub\\b.txt", target);
  content_is(probe, "beta\n");
  content_is("data\\a.txt", "alpha\n"); /* through the link */
  snprintf(probe, sizeof probe, "%s\\sub\\empty", target);
  assert_true(w32_attrs(probe) & FILE_ATTRIBUTE_DIRECTORY);
  assert_int_equal(w32_entries(), 2); /* data (the link), lone.txt: nothing left */
  assert_int_equal(mklink_move_pending("data"), 0);
  {
    wchar_t *w = w32_wide(other);
    w32_rmtree(w);
    free(w);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      W32_CASE(move_same_volume),
      W32_CASE(move_same_volume_file),
      W32_CASE(move_refusals_change_nothing),
      W32_CASE(move_other_volume),
  };
  w32_start("move");
  return w32_finish("move", cmocka_run_group_tests_name("win32_move", tests, NULL, NULL));
}

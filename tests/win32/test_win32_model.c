/*
 * test_win32_model.c -- what only the NTFS model can stage on any machine:
 * the privilege rules (1314 unless Developer Mode with flag 0x2), the retry
 * without the flag on old Windows, rollback when setting a reparse point
 * fails, a system that claims a symbolic link it did not make, the exact
 * bytes written, and reparse points that are not links.
 */
#include "link_checks.h"

#include "deep_model.h"

#include <stdio.h>

static void install(int privileged, int developer_mode, int old_windows) {
  ntfs_model_config cfg = {0};
  cfg.privileged = privileged;
  cfg.developer_mode = developer_mode;
  cfg.old_windows = old_windows;
  ntfs_model_install(&cfg);
}

/* ---- faked answers on top of the model (expect_<call>) ------------------ */

typedef BOOL(WINAPI *move_fn)(LPCWSTR, LPCWSTR, DWORD);
typedef HANDLE(WINAPI *open_fn)(LPCWSTR, DWORD, DWORD, LPSECURITY_ATTRIBUTES, DWORD, DWORD,
                                HANDLE);
static move_fn model_move;
static open_fn model_open;
static unsigned move_calls, move_fail_at;
static DWORD fake_error;

static BOOL WINAPI move_fails_once(LPCWSTR from, LPCWSTR to, DWORD flags) {
  if (++move_calls == move_fail_at) {
    SetLastError(fake_error);
    return FALSE;
  }
  return model_move(from, to, flags);
}

/* The Nth MoveFileExW from now fails with ERR; the others reach the model. */
static void expect_MoveFileExW_error(unsigned nth, DWORD err) {
  model_move = (move_fn)(void (*)(void))mklink_get_syscall("MoveFileExW");
  move_calls = 0;
  move_fail_at = nth;
  fake_error = err;
  assert_int_equal(mklink_set_syscall("MoveFileExW", (mklink_syscall_ptr)move_fails_once), 0);
}

static HANDLE WINAPI open_for_write_fails(LPCWSTR name, DWORD access, DWORD share,
                                          LPSECURITY_ATTRIBUTES sa, DWORD disposition,
                                          DWORD flags, HANDLE tmpl) {
  if (access & GENERIC_WRITE) {
    SetLastError(fake_error);
    return INVALID_HANDLE_VALUE;
  }
  return model_open(name, access, share, sa, disposition, flags, tmpl);
}

/* CreateFileW fails with ERR when asked for write access. */
static void expect_CreateFileW_write_error(DWORD err) {
  model_open = (open_fn)(void (*)(void))mklink_get_syscall("CreateFileW");
  fake_error = err;
  assert_int_equal(mklink_set_syscall("CreateFileW", (mklink_syscall_ptr)open_for_write_fails),
                   0);
}

static UINT WINAPI drive_is_remote(LPCWSTR root) {
  (void)root;
  return DRIVE_REMOTE;
}

/* Every drive is a mapped network drive. */
static void expect_GetDriveTypeW_remote(void) {
  assert_int_equal(mklink_set_syscall("GetDriveTypeW", (mklink_syscall_ptr)drive_is_remote), 0);
}

/* ---- privilege, Developer Mode, old Windows ----------------------------- */

W32_TEST(privilege_denied, W32_MODEL) {
  install(0, 0, 0);
  assert_int_equal(mklink_create("l", "t", MKLINK_FILE_SYMLINK, 0), MKLINK_EPRIVILEGE);
  assert_string_equal(mklink_strerror(MKLINK_EPRIVILEGE),
                      "You do not have sufficient privilege to perform this operation.");
  assert_int_equal(mklink_create("d", "t", MKLINK_DIR_SYMLINK, 0), MKLINK_EPRIVILEGE);
  assert_nothing(ctx, "l");
  assert_nothing(ctx, "d");
  assert_int_equal(ntfs_model_count(), 0);
}

W32_TEST(developer_mode_allows_unprivileged, W32_MODEL) {
  install(0, 1, 0);
  assert_int_equal(mklink_create("l", "t", MKLINK_FILE_SYMLINK, 0), 0);
  assert_int_equal(ntfs_model_symlink_calls, 1);
  assert_int_equal(ntfs_model_symlink_flags[0], SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE);
  assert_int_equal(mklink_create("d", "t", MKLINK_DIR_SYMLINK, 0), 0);
  assert_int_equal(ntfs_model_symlink_flags[1],
                   SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE | SYMBOLIC_LINK_FLAG_DIRECTORY);
  assert_symlink(ctx, "l", "t", 1, 0);
  assert_symlink(ctx, "d", "t", 1, 1);
}

W32_TEST(admin_without_developer_mode, W32_MODEL) {
  install(1, 0, 0);
  assert_int_equal(mklink_create("l", "t", MKLINK_FILE_SYMLINK, 0), 0);
  assert_symlink(ctx, "l", "t", 1, 0);
}

W32_TEST(old_windows_retry_without_flag, W32_MODEL) {
  install(1, 0, 1);
  assert_int_equal(mklink_create("d", "t", MKLINK_DIR_SYMLINK, 0), 0);
  assert_int_equal(ntfs_model_symlink_calls, 2);
  assert_int_equal(ntfs_model_symlink_flags[0],
                   SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE | SYMBOLIC_LINK_FLAG_DIRECTORY);
  assert_int_equal(ntfs_model_symlink_flags[1], SYMBOLIC_LINK_FLAG_DIRECTORY);
  assert_symlink(ctx, "d", "t", 1, 1);
}

W32_TEST(old_windows_unprivileged, W32_MODEL) {
  install(0, 0, 1);
  assert_int_equal(mklink_create("l", "t", MKLINK_FILE_SYMLINK, 0), MKLINK_EPRIVILEGE);
  assert_int_equal(ntfs_model_symlink_calls, 2);
  assert_nothing(ctx, "l");
}

W32_TEST(junction_needs_no_privilege, W32_MODEL) {
  install(0, 0, 0);
  w32_mkdir("d");
  assert_int_equal(mklink_create("j", "d", MKLINK_JUNCTION, 0), 0);
  assert_junction(ctx, "j", w32_full("d"));
  assert_int_equal(ntfs_model_symlink_calls, 0);
}

W32_TEST(replace_keeps_old_link_when_new_fails, W32_MODEL) {
  ntfs_model_config unprivileged = {0};
  install(1, 0, 0);
  assert_int_equal(mklink_create("l", "old", MKLINK_FILE_SYMLINK, 0), 0);
  ntfs_model_configure(&unprivileged);
  assert_int_equal(mklink_create("l", "new", MKLINK_FILE_SYMLINK, MKLINK_REPLACE),
                   MKLINK_EPRIVILEGE);
  assert_symlink(ctx, "l", "old", 1, 0);
  assert_int_equal(w32_entries(), 1);
}

/* ---- rollback and verification ------------------------------------------ */

static void junction_rollback(w32_ctx *ctx, DWORD set_error, int expected) {
  ntfs_model_config cfg = {0};
  cfg.fail_set_reparse = set_error;
  ntfs_model_install(&cfg);
  w32_mkdir("d");
  assert_int_equal(mklink_create("j", "d", MKLINK_JUNCTION, 0), expected);
  assert_nothing(ctx, "j"); /* the directory it made is gone */
  assert_int_equal(w32_entries(), 1);
}

W32_TEST(junction_rollback_access_denied, W32_MODEL) {
  junction_rollback(ctx, ERROR_ACCESS_DENIED, MKLINK_EACCES);
}

W32_TEST(junction_rollback_not_supported, W32_MODEL) {
  junction_rollback(ctx, ERROR_NOT_SUPPORTED, MKLINK_ENOTSUP);
}

W32_TEST(junction_rollback_replace, W32_MODEL) {
  ntfs_model_config cfg = {0};
  w32_mkdir("d");
  ntfs_model_install(&cfg);
  assert_int_equal(mklink_create("j", "d", MKLINK_JUNCTION, 0), 0);
  cfg.fail_set_reparse = ERROR_ACCESS_DENIED;
  ntfs_model_configure(&cfg);
  assert_int_equal(mklink_create("j", "d", MKLINK_JUNCTION, MKLINK_REPLACE), MKLINK_EACCES);
  assert_junction(ctx, "j", w32_full("d"));
  assert_int_equal(w32_entries(), 2); /* d and j: no temporary left */
}

W32_TEST(junction_rollback_open_fails, W32_MODEL) {
  install(0, 0, 0);
  w32_mkdir("d");
  expect_CreateFileW_write_error(ERROR_SHARING_VIOLATION);
  assert_int_equal(mklink_create("j", "d", MKLINK_JUNCTION, 0), MKLINK_EBUSY);
  assert_nothing(ctx, "j");
  assert_int_equal(w32_entries(), 1);
}

W32_TEST(replace_file_link_rename_fails, W32_MODEL) {
  install(1, 0, 0);
  assert_int_equal(mklink_create("l", "old", MKLINK_FILE_SYMLINK, 0), 0);
  expect_MoveFileExW_error(1, ERROR_ACCESS_DENIED);
  assert_int_equal(mklink_create("l", "new", MKLINK_FILE_SYMLINK, MKLINK_REPLACE),
                   MKLINK_EACCES);
  assert_symlink(ctx, "l", "old", 1, 0);
  assert_int_equal(w32_entries(), 1); /* the new link under its temporary name is gone */
}

W32_TEST(replace_dir_link_second_rename_fails, W32_MODEL) {
  install(1, 0, 0);
  w32_mkdir("d1");
  w32_mkdir("d2");
  assert_int_equal(mklink_create("l", "d1", MKLINK_DIR_SYMLINK, 0), 0);
  expect_MoveFileExW_error(2, ERROR_SHARING_VIOLATION); /* old aside, then new in: fails */
  assert_int_equal(mklink_create("l", "d2", MKLINK_DIR_SYMLINK, MKLINK_REPLACE), MKLINK_EBUSY);
  assert_symlink(ctx, "l", "d1", 1, 1); /* put back */
  assert_int_equal(w32_entries(), 3);
}

W32_TEST(replace_dir_link_first_rename_fails, W32_MODEL) {
  install(0, 0, 0);
  w32_mkdir("d1");
  w32_mkdir("d2");
  assert_int_equal(mklink_create("j", "d1", MKLINK_JUNCTION, 0), 0);
  expect_MoveFileExW_error(1, ERROR_ACCESS_DENIED);
  assert_int_equal(mklink_create("j", "d2", MKLINK_JUNCTION, MKLINK_REPLACE), MKLINK_EACCES);
  assert_junction(ctx, "j", w32_full("d1"));
  assert_int_equal(w32_entries(), 3);
}

W32_TEST(false_symlink_success_is_not_trusted, W32_MODEL) {
  ntfs_model_config cfg = {0};
  cfg.privileged = 1;
  cfg.lie_symlink = 1; /* what Wine 8 does */
  ntfs_model_install(&cfg);
  w32_write("t", "x");
  assert_int_equal(mklink_create("l", "t", MKLINK_FILE_SYMLINK, 0), MKLINK_ENOTCREATED);
  assert_int_equal(mklink_create("d", "t", MKLINK_DIR_SYMLINK, 0), MKLINK_ENOTCREATED);
  assert_nothing(ctx, "l");
  assert_nothing(ctx, "d");
  assert_int_equal(w32_entries(), 1);
}

/* ---- the bytes on disk -------------------------------------------------- */

W32_TEST(symlink_bytes_as_windows_writes_them, W32_MODEL) {
  /* reparse-buffers.md: mklink /D dot . */
  static const unsigned char expected[] = {0x0c, 0x00, 0x00, 0xa0, 0x10, 0x00, 0x00, 0x00,
                                           0x02, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x00,
                                           0x01, 0x00, 0x00, 0x00, 0x2e, 0x00, 0x2e, 0x00};
  unsigned char buf[MKLINK__REPARSE_MAX];
  size_t len;
  install(1, 0, 0);
  assert_int_equal(mklink_create("dot", ".", MKLINK_DIR_SYMLINK, 0), 0);
  assert_int_equal(ntfs_model_get("dot", buf, sizeof buf, &len), 0);
  assert_int_equal(len, sizeof expected);
  assert_memory_equal(buf, expected, sizeof expected);
}

W32_TEST(junction_bytes_as_windows_writes_them, W32_MODEL) {
  /* reparse-buffers.md: junction to C:\target */
  static const unsigned char expected[] = {
      0x03, 0x00, 0x00, 0xa0, 0x38, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1a, 0x00, 0x1c, 0x00,
      0x12, 0x00, 0x5c, 0x00, 0x3f, 0x00, 0x3f, 0x00, 0x5c, 0x00, 0x43, 0x00, 0x3a, 0x00,
      0x5c, 0x00, 0x74, 0x00, 0x61, 0x00, 0x72, 0x00, 0x67, 0x00, 0x65, 0x00, 0x74, 0x00,
      0x00, 0x00, 0x43, 0x00, 0x3a, 0x00, 0x5c, 0x00, 0x74, 0x00, 0x61, 0x00, 0x72, 0x00,
      0x67, 0x00, 0x65, 0x00, 0x74, 0x00, 0x00, 0x00};
  unsigned char buf[MKLINK__REPARSE_MAX];
  size_t len;
  mklink_info info;
  install(0, 0, 0);
  assert_int_equal(mklink_create("j", "C:\\target", MKLINK_JUNCTION, 0), 0);
  assert_int_equal(ntfs_model_get("j", buf, sizeof buf, &len), 0);
  assert_int_equal(len, sizeof expected);
  assert_memory_equal(buf, expected, sizeof expected);
  assert_int_equal(mklink_query("j", &info), 0);
  assert_string_equal(info.target, "C:\\target");
  mklink_info_free(&info);
}

/* ---- reparse points that are not links ---------------------------------- */

W32_TEST(other_tag_is_not_a_link, W32_MODEL) {
  /* a cloud-files placeholder tag with 4 bytes of data */
  static const unsigned char cloud[] = {0x1a, 0x00, 0x00, 0x90, 0x04, 0x00, 0x00, 0x00,
                                        0xde, 0xad, 0xbe, 0xef};
  mklink_info info;
  install(1, 0, 0);
  ntfs_model_put("c", 0, cloud, sizeof cloud);
  assert_int_equal(mklink_query("c", &info), 0);
  assert_int_equal(info.kind, MKLINK_OTHER_REPARSE);
  assert_int_equal(mklink_remove("c"), MKLINK_ELASTNAME);
  assert_int_equal(mklink_create("c", "t", MKLINK_FILE_SYMLINK, MKLINK_REPLACE), MKLINK_EEXIST);
  assert_int_equal(read_link(ctx, "c"), MKLINK__REPARSE_OTHER);
  mklink_info_free(&info);
}

/* A volume mount point at PATH (a placeholder directory): a MOUNT_POINT
   whose substitute and print names are a volume's name, as mountvol makes. */
static void put_volume_mount_point(const char *path) {
  static const char volume[] = "\\??\\Volume{01234567-89ab-cdef-0123-456789abcdef}\\";
  unsigned char buf[512];
  size_t i, n = sizeof volume - 1;
  memset(buf, 0, sizeof buf);
  buf[0] = 0x03, buf[3] = 0xa0;
  buf[4] = (unsigned char)(8 + 2 * (2 * n + 2));
  buf[10] = (unsigned char)(2 * n);       /* SubstituteNameLength */
  buf[12] = (unsigned char)(2 * n + 2);   /* PrintNameOffset */
  buf[14] = (unsigned char)(2 * n);       /* PrintNameLength */
  for (i = 0; i < n; i++) {
    buf[16 + 2 * i] = (unsigned char)volume[i];
    buf[16 + 2 * n + 2 + 2 * i] = (unsigned char)volume[i];
  }
  ntfs_model_put(path, 1, buf, 16 + 2 * (2 * n + 2));
}

W32_TEST(volume_mount_point_is_not_a_junction, W32_MODEL) {
  mklink_info info;
  install(1, 0, 0);
  put_volume_mount_point("v");
  assert_int_equal(mklink_query("v", &info), 0);
  assert_int_equal(info.kind, MKLINK_OTHER_REPARSE);
  assert_int_equal(mklink_remove("v"), MKLINK_EISDIR);
  assert_true(w32_exists("v"));
  mklink_info_free(&info);
}

W32_TEST(walk_reports_volume_mount_point, W32_MODEL) {
  /* Inside a tree a volume mount point is a mount point (never entered,
     whatever is on the volume), and a junction, same tag, stays one. */
  char listing[2048];
  install(1, 0, 0);
  w32_mkdir("t");
  w32_mkdir("d");
  put_volume_mount_point("t\\v");
  w32_write("t\\v\\on-the-volume", "x"); /* real: the model never shows it */
  assert_int_equal(mklink_create("t\\j", "d", MKLINK_JUNCTION, 0), 0);
  assert_int_equal(w32_walk("t", MKLINK_WALK_RECURSIVE, listing, sizeof listing), 0);
  assert_true(w32_listed(listing, "mount point t\\v"));
  assert_true(w32_listed(listing, "junction t\\j"));
  assert_int_equal(w32_lines(listing), 2);
  /* --broken reports dangling links only */
  assert_int_equal(w32_walk("t", MKLINK_WALK_RECURSIVE | MKLINK_WALK_BROKEN, listing,
                            sizeof listing), 0);
  assert_int_equal(w32_lines(listing), 0);
}

W32_TEST(malformed_buffer_reported, W32_MODEL) {
  /* ReparseDataLength says 0x100 bytes follow; 4 do */
  static const unsigned char lying[] = {0x0c, 0x00, 0x00, 0xa0, 0x00, 0x01, 0x00, 0x00,
                                        0x00, 0x00, 0x02, 0x00};
  mklink_info info;
  install(1, 0, 0);
  ntfs_model_put("bad", 0, lying, sizeof lying);
  assert_int_equal(mklink_query("bad", &info), MKLINK_EBADREPARSE);
  assert_int_equal(mklink_remove("bad"), MKLINK_EBADREPARSE);
  assert_int_equal(mklink_create("bad", "t", MKLINK_FILE_SYMLINK, 0), MKLINK_EEXIST);
  assert_true(w32_exists("bad"));
  mklink_info_free(&info);
}

W32_TEST(junction_to_network_drive_refused, W32_MODEL) {
  install(0, 0, 0);
  w32_mkdir("d");
  expect_GetDriveTypeW_remote();
  assert_int_equal(mklink_create("j", "d", MKLINK_JUNCTION, 0), MKLINK_EREMOTE);
  assert_nothing(ctx, "j");
  assert_int_equal(w32_entries(), 1);
}

W32_TEST(query_target_longer_than_4096_bytes, W32_MODEL) {
  /* 3000 UTF-16 units fit a reparse buffer and are 6000 UTF-8 bytes: more
     than the 4 KiB buffers mklink_info had before 0.2.0 */
  static char target[6001];
  mklink_info info;
  size_t i;
  for (i = 0; i < 3000; i++) {
    target[2 * i] = '\xc3';
    target[2 * i + 1] = '\xa9';
  }
  install(1, 0, 0);
  assert_int_equal(mklink_create("l", target, MKLINK_FILE_SYMLINK, 0), 0);
  assert_int_equal(mklink_query("l", &info), 0);
  assert_int_equal(info.kind, MKLINK_FILE_SYMLINK);
  assert_string_equal(info.target, target);
  assert_true(strlen(info.resolved) > strlen(target));
  mklink_info_free(&info);
  assert_null(info.target);
  assert_int_equal(mklink_remove("l"), 0);
  assert_int_equal(w32_entries(), 0);
}

W32_TEST(link_loop_is_dangling, W32_MODEL) {
  mklink_info info;
  install(1, 0, 0);
  assert_int_equal(mklink_create("a", "b", MKLINK_FILE_SYMLINK, 0), 0);
  assert_int_equal(mklink_create("b", "a", MKLINK_FILE_SYMLINK, 0), 0);
  assert_int_equal(mklink_query("a", &info), 0);
  assert_int_equal(info.kind, MKLINK_FILE_SYMLINK);
  assert_int_equal(info.target_exists, 0);
  mklink_info_free(&info);
}

/* mklink_remove_tree deletes trees: its tests run only in the sandbox of
   ci/wine-tree (a private mount namespace where only the build tree and /tmp
   are writable), never in a plain Wine run. */
#define REQUIRE_TREE_SANDBOX() W32_REQUIRE_TREE_SANDBOX(ctx)

/* ---- remove_tree never follows a link -------------------------------- */

/* What a tree's links point to: it must stay whole. */
static void make_victim(void) {
  w32_mkdir("victim");
  w32_write("victim\\v", "victim");
  w32_mkdir("victim\\sub");
  w32_write("victim\\sub\\w", "deep");
}

static void victim_whole(void) {
  char *got = w32_read("victim\\v");
  assert_non_null(got);
  assert_string_equal(got, "victim");
  free(got);
  got = w32_read("victim\\sub\\w");
  assert_non_null(got);
  assert_string_equal(got, "deep");
  free(got);
}

W32_TEST(remove_tree_removes_links_not_targets, W32_MODEL) {
  REQUIRE_TREE_SANDBOX();
  install(1, 0, 0);
  make_victim();
  w32_mkdir("t");
  w32_mkdir("t\\d");
  w32_write("t\\d\\f", "tree");
  assert_int_equal(mklink_create("t\\j", "victim", MKLINK_JUNCTION, 0), 0);
  assert_int_equal(mklink_create("t\\d\\s", "..\\..\\victim", MKLINK_DIR_SYMLINK, 0), 0);
  assert_int_equal(mklink_create("t\\d\\fs", "..\\..\\victim\\v", MKLINK_FILE_SYMLINK, 0), 0);
  assert_int_equal(mklink_create("top", "victim", MKLINK_JUNCTION, 0), 0);
  assert_int_equal(ntfs_model_count(), 4);
  assert_int_equal(mklink_remove_tree("t"), 0);
  assert_false(w32_exists("t"));
  victim_whole();
  assert_int_equal(ntfs_model_count(), 1); /* only "top" is left */
  /* The top itself a junction: only the junction goes, with or without a
     trailing separator. */
  assert_int_equal(mklink_remove_tree("top\\"), 0);
  assert_false(w32_exists("top"));
  assert_int_equal(mklink_create("top", "victim", MKLINK_DIR_SYMLINK, 0), 0);
  assert_int_equal(mklink_remove_tree("top"), 0);
  assert_false(w32_exists("top"));
  victim_whole();
  assert_int_equal(ntfs_model_count(), 0);
}

/* Between the listing and the open, a directory of the tree becomes a
   junction to the victim: the open (FILE_FLAG_OPEN_REPARSE_POINT) sees the
   reparse point, and it is removed as a link. */
static open_fn swap_open;
static int swapped;

static HANDLE WINAPI open_after_swap(LPCWSTR name, DWORD access, DWORD share,
                                     LPSECURITY_ATTRIBUTES sa, DWORD disposition, DWORD flags,
                                     HANDLE tmpl) {
  size_t n = wcslen(name);
  if (!swapped && n >= 2 && wcscmp(name + n - 2, L"\\d") == 0) {
    swapped = 1;
    assert_true(MoveFileExW(L"t\\d", L"moved", 0));
    assert_int_equal(mklink_create("t\\d", "victim", MKLINK_JUNCTION, 0), 0);
  }
  return swap_open(name, access, share, sa, disposition, flags, tmpl);
}

W32_TEST(remove_tree_dir_swapped_for_junction, W32_MODEL) {
  REQUIRE_TREE_SANDBOX();
  install(1, 0, 0);
  make_victim();
  w32_mkdir("t");
  w32_mkdir("t\\d");
  w32_write("t\\d\\f", "tree");
  swap_open = (open_fn)(void (*)(void))mklink_get_syscall("CreateFileW");
  swapped = 0;
  assert_int_equal(mklink_set_syscall("CreateFileW", (mklink_syscall_ptr)open_after_swap), 0);
  assert_int_equal(mklink_remove_tree("t"), 0);
  assert_true(swapped);
  assert_false(w32_exists("t"));
  victim_whole();
  /* what was moved out before it was entered is not the tree's */
  assert_true(w32_exists("moved\\f"));
  assert_int_equal(ntfs_model_count(), 0);
}

W32_TEST(remove_tree_leaves_volume_mount_point, W32_MODEL) {
  /* Issue 11 on Windows: a volume mount point inside the tree is neither
     entered nor removed; the rest goes, and the call says MKLINK_EMOUNT. */
  REQUIRE_TREE_SANDBOX();
  install(1, 0, 0);
  make_victim();
  w32_mkdir("t");
  w32_mkdir("t\\a");
  w32_write("t\\a\\f", "tree");
  w32_write("t\\g", "tree");
  put_volume_mount_point("t\\a\\vol");
  w32_write("t\\a\\vol\\data", "on the volume");
  assert_int_equal(mklink_create("t\\j", "victim", MKLINK_JUNCTION, 0), 0);
  assert_int_equal(mklink_remove_tree("t"), MKLINK_EMOUNT);
  assert_true(w32_exists("t\\a\\vol"));
  assert_file("t\\a\\vol\\data", "on the volume");
  assert_false(w32_exists("t\\a\\f"));
  assert_false(w32_exists("t\\g"));
  assert_false(w32_exists("t\\j"));
  victim_whole();
  assert_int_equal(ntfs_model_count(), 1); /* the mount point's */
  /* Given as PATH: refused the same way, nothing removed. */
  assert_int_equal(mklink_remove_tree("t\\a\\vol"), MKLINK_EMOUNT);
  assert_file("t\\a\\vol\\data", "on the volume");
  assert_int_equal(ntfs_model_count(), 1);
}

/* ---- depth: 5,000 levels, on a small stack ------------------------------ */

#define DEEP_LEVELS 5000
/* A walk that recursed would need a frame a level (the old remove_tree had
   a 592-byte WIN32_FIND_DATAW in each): 5,000 of them do not fit. */
#define SMALL_STACK (256 * 1024)

typedef struct deep_run {
  int rc;
  size_t found, path_len;
  mklink_kind kind;
} deep_run;

static int deep_entry(const mklink_walk_entry *e, void *arg) {
  deep_run *r = arg;
  r->found++;
  r->path_len = strlen(e->path);
  r->kind = e->info != NULL ? e->info->kind : MKLINK_NOT_LINK;
  return 0;
}

static DWORD WINAPI deep_walk(LPVOID arg) {
  deep_run *r = arg;
  r->rc = mklink_walk("deep", MKLINK_WALK_RECURSIVE | MKLINK_WALK_HARDLINKS, deep_entry, r);
  return 0;
}

static DWORD WINAPI deep_remove(LPVOID arg) {
  deep_run *r = arg;
  r->rc = mklink_remove_tree("deep");
  return 0;
}

/* FN(R) on a thread with a SMALL_STACK stack (no cmocka assertion there). */
static void on_small_stack(LPTHREAD_START_ROUTINE fn, deep_run *r) {
  DWORD code = 1;
  HANDLE h = CreateThread(NULL, SMALL_STACK, fn, r, STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
  assert_non_null(h);
  assert_int_equal(WaitForSingleObject(h, INFINITE), WAIT_OBJECT_0);
  assert_true(GetExitCodeThread(h, &code));
  CloseHandle(h);
  assert_int_equal(code, 0);
}

W32_TEST(walk_5000_levels, W32_MODEL) {
  deep_run r = {-1, 0, 0, MKLINK_NOT_LINK};
  w32_mkdir("deep");
  deep_model_install("deep", DEEP_LEVELS);
  on_small_stack(deep_walk, &r);
  assert_int_equal(r.rc, 0);
  assert_int_equal(r.found, 1); /* the file with two names, at the bottom */
  assert_int_equal(r.kind, MKLINK_HARDLINK);
  assert_int_equal(r.path_len, strlen("deep") + 2 * DEEP_LEVELS + 2);
  assert_int_equal(deep_model_dirs(), DEEP_LEVELS); /* nothing changed */
  deep_model_free();
}

W32_TEST(remove_tree_5000_levels, W32_MODEL) {
  deep_run r = {-1, 0, 0, MKLINK_NOT_LINK};
  REQUIRE_TREE_SANDBOX();
  w32_mkdir("deep");
  deep_model_install("deep", DEEP_LEVELS);
  on_small_stack(deep_remove, &r);
  assert_int_equal(r.rc, 0);
  assert_int_equal(deep_model_dirs(), 0);
  assert_false(deep_model_file());
  mklink_set_syscall(NULL, NULL);
  assert_false(w32_exists("deep"));
  deep_model_free();
}

int main(void) {
  const struct CMUnitTest tests[] = {
      W32_CASE(remove_tree_removes_links_not_targets),
      W32_CASE(remove_tree_dir_swapped_for_junction),
      W32_CASE(remove_tree_leaves_volume_mount_point),
      W32_CASE(remove_tree_5000_levels),
      W32_CASE(walk_5000_levels),
      W32_CASE(privilege_denied),
      W32_CASE(developer_mode_allows_unprivileged),
      W32_CASE(admin_without_developer_mode),
      W32_CASE(old_windows_retry_without_flag),
      W32_CASE(old_windows_unprivileged),
      W32_CASE(junction_needs_no_privilege),
      W32_CASE(replace_keeps_old_link_when_new_fails),
      W32_CASE(junction_rollback_access_denied),
      W32_CASE(junction_rollback_not_supported),
      W32_CASE(junction_rollback_replace),
      W32_CASE(junction_rollback_open_fails),
      W32_CASE(replace_file_link_rename_fails),
      W32_CASE(replace_dir_link_second_rename_fails),
      W32_CASE(replace_dir_link_first_rename_fails),
      W32_CASE(false_symlink_success_is_not_trusted),
      W32_CASE(symlink_bytes_as_windows_writes_them),
      W32_CASE(junction_bytes_as_windows_writes_them),
      W32_CASE(other_tag_is_not_a_link),
      W32_CASE(volume_mount_point_is_not_a_junction),
      W32_CASE(walk_reports_volume_mount_point),
      W32_CASE(malformed_buffer_reported),
      W32_CASE(junction_to_network_drive_refused),
      W32_CASE(query_target_longer_than_4096_bytes),
      W32_CASE(link_loop_is_dangling),
  };
  w32_start("model");
  return w32_finish("model", cmocka_run_group_tests_name("win32_model", tests, NULL, NULL));
}

/*
 * test_win32_wine.c -- the Win32 backend against the real system (Wine 8 in
 * CI): everything Wine does faithfully -- hard links, directories, names,
 * error mapping, capability probing -- and the honest failures where it
 * does not: a symbolic link it claims to create must come back as
 * MKLINK_ENOTCREATED with nothing left, a junction as MKLINK_ENOTSUP with no
 * empty directory left.  Tests that stage a system answer with a fake OS
 * call are counted as "model", not "real".
 */
#include "link_checks.h"

#include "win32.h"
#include "win32_unix.h"

#include <stdio.h>

static const char *no_second_volume =
    "no second volume: under Wine every drive is one Unix file system";

/* ---- faked system answers (expect_<call>) ------------------------------- */

static BOOL WINAPI hardlink_says_yes(LPCWSTR link, LPCWSTR target, LPSECURITY_ATTRIBUTES sa) {
  (void)link, (void)target, (void)sa;
  return TRUE;
}

/* CreateHardLinkW answers TRUE and creates nothing. */
static void expect_CreateHardLinkW_false_success(void) {
  assert_int_equal(mklink_set_syscall("CreateHardLinkW", (mklink_syscall_ptr)hardlink_says_yes), 0);
}

static DWORD hardlink_error;
static BOOL WINAPI hardlink_fails(LPCWSTR link, LPCWSTR target, LPSECURITY_ATTRIBUTES sa) {
  (void)link, (void)target, (void)sa;
  SetLastError(hardlink_error);
  return FALSE;
}

/* CreateHardLinkW fails with ERR (the system's answer we cannot stage). */
static void expect_CreateHardLinkW_error(DWORD err) {
  hardlink_error = err;
  assert_int_equal(mklink_set_syscall("CreateHardLinkW", (mklink_syscall_ptr)hardlink_fails), 0);
}

static HANDLE WINAPI create_denied(LPCWSTR name, DWORD access, DWORD share,
                                   LPSECURITY_ATTRIBUTES sa, DWORD disposition, DWORD flags,
                                   HANDLE tmpl) {
  (void)name, (void)access, (void)share, (void)sa, (void)disposition, (void)flags, (void)tmpl;
  SetLastError(ERROR_ACCESS_DENIED);
  return INVALID_HANDLE_VALUE;
}

/* CreateFileW is refused, as in a directory we may not write. */
static void expect_CreateFileW_denied(void) {
  assert_int_equal(mklink_set_syscall("CreateFileW", (mklink_syscall_ptr)create_denied), 0);
}

static LONGLONG next_tick;
static BOOL WINAPI counter_steps(LARGE_INTEGER *now) {
  now->QuadPart = next_tick++;
  return TRUE;
}

/* QueryPerformanceCounter answers FIRST, then FIRST + 1, ... */
static void expect_QueryPerformanceCounter_from(LONGLONG first) {
  next_tick = first;
  assert_int_equal(mklink_set_syscall("QueryPerformanceCounter", (mklink_syscall_ptr)counter_steps), 0);
}

/* ---- Done-when 2: Wine 8's false successes ------------------------------ */

/* Where the Wine bridge would make the link, its proof is failed through
   the OS-call table (a Wine that traps system calls): then the honest
   answer must come back, exactly as from a Wine without the bridge. */
static void without_bridge(w32_ctx *ctx, mklink_kind kind) {
  if (!w32_bridges(kind))
    return;
  ctx->backend = W32_MODEL; /* a staged system answer */
  w32_expect_linux_syscall_trapped(-38);
}

static void symlink_not_created(w32_ctx *ctx, mklink_kind kind) {
  mklink_info info;
  if (w32_really_creates(kind))
    w32_skip(ctx, "the system really creates symbolic links: the link table runs them for real");
  without_bridge(ctx, kind);
  w32_write("t", "x");
  assert_int_equal(mklink_create("l", "t", kind, 0), MKLINK_ENOTCREATED);
  assert_false(w32_exists("l"));
  assert_int_equal(mklink_query("l", &info), MKLINK_ENOFILE);
  assert_int_equal(w32_entries(), 1);
  assert_string_equal(mklink_strerror(MKLINK_ENOTCREATED),
                      "The system reported success but created no link: this kind of link "
                      "is not supported here.");
  mklink_info_free(&info);
}

W32_TEST(file_symlink_not_created, W32_REAL) { symlink_not_created(ctx, MKLINK_FILE_SYMLINK); }

W32_TEST(dir_symlink_not_created, W32_REAL) { symlink_not_created(ctx, MKLINK_DIR_SYMLINK); }

W32_TEST(symlink_not_created_over_existing, W32_REAL) {
  /* Wine says yes even when LINK exists: the old file must survive. */
  if (w32_really_creates(MKLINK_FILE_SYMLINK))
    w32_skip(ctx, "the system really creates symbolic links: the link table runs them for real");
  w32_write("l", "keep");
  assert_int_equal(mklink_create("l", "t", MKLINK_FILE_SYMLINK, 0), MKLINK_EEXIST);
  assert_int_equal(mklink_create("l", "t", MKLINK_FILE_SYMLINK, MKLINK_REPLACE), MKLINK_EEXIST);
  assert_file("l", "keep");
}

W32_TEST(junction_fails_cleanly, W32_REAL) {
  if (w32_really_creates(MKLINK_JUNCTION))
    w32_skip(ctx, "the system really creates junctions: the link table runs them for real");
  without_bridge(ctx, MKLINK_JUNCTION);
  w32_mkdir("d");
  /* Wine 8: FSCTL_SET_REPARSE_POINT fails with ERROR_NOT_SUPPORTED (50). */
  assert_int_equal(mklink_create("j", "d", MKLINK_JUNCTION, 0), MKLINK_ENOTSUP);
  assert_false(w32_exists("j"));
  assert_int_equal(w32_entries(), 1);
}

/* ---- hard links --------------------------------------------------------- */

W32_TEST(hardlink_is_the_same_file, W32_REAL) {
  DWORD vol1, vol2, n1, n2;
  ULONGLONG idx1, idx2;
  char *got;
  w32_write("t", "data");
  assert_int_equal(mklink_create("l", "t", MKLINK_HARDLINK, 0), 0);
  assert_int_equal(w32_file_id("t", &vol1, &idx1, &n1), 0);
  assert_int_equal(w32_file_id("l", &vol2, &idx2, &n2), 0);
  assert_int_equal(vol1, vol2);
  assert_true(idx1 == idx2);
  assert_int_equal(n1, 2);
  assert_int_equal(n2, 2);
  w32_write("l", "changed");
  got = w32_read("t");
  assert_string_equal(got, "changed");
  free(got);
}

W32_TEST(hardlink_target_missing, W32_REAL) {
  assert_int_equal(mklink_create("l", "missing", MKLINK_HARDLINK, 0), MKLINK_ENOFILE);
  assert_int_equal(mklink_create("l", "nodir\\missing", MKLINK_HARDLINK, 0), MKLINK_ENOFILE);
  assert_int_equal(w32_entries(), 0);
}

W32_TEST(hardlink_parent_missing, W32_REAL) {
  w32_write("t", "x");
  assert_int_equal(mklink_create("nodir\\l", "t", MKLINK_HARDLINK, 0), MKLINK_ENOPATH);
  assert_int_equal(w32_entries(), 1);
}

W32_TEST(hardlink_to_directory_denied, W32_REAL) {
  w32_mkdir("d");
  assert_int_equal(mklink_create("l", "d", MKLINK_HARDLINK, 0), MKLINK_EACCES);
  assert_string_equal(mklink_strerror(MKLINK_EACCES), "Access is denied.");
  assert_int_equal(w32_entries(), 1);
}

W32_TEST(hardlink_link_exists, W32_REAL) {
  w32_write("t", "x");
  w32_write("l", "keep");
  assert_int_equal(mklink_create("l", "t", MKLINK_HARDLINK, 0), MKLINK_EEXIST);
  assert_file("l", "keep");
  w32_mkdir("d");
  assert_int_equal(mklink_create("d", "t", MKLINK_HARDLINK, 0), MKLINK_EEXIST);
}

W32_TEST(hardlink_link_is_link, W32_REAL) {
  DWORD vol1, vol2, n1, n2;
  ULONGLONG idx1, idx2;
  w32_write("t", "x");
  w32_write("t2", "y");
  assert_int_equal(mklink_create("l", "t2", MKLINK_HARDLINK, 0), 0);
  assert_int_equal(mklink_create("l", "t", MKLINK_HARDLINK, 0), MKLINK_EEXIST);
  assert_int_equal(w32_file_id("l", &vol1, &idx1, &n1), 0);
  assert_int_equal(w32_file_id("t2", &vol2, &idx2, &n2), 0);
  assert_true(idx1 == idx2);
}

W32_TEST(hardlink_too_long, W32_REAL) {
  char name[301];
  mklink_info info;
  memset(name, 'n', 300);
  name[300] = '\0';
  w32_write("t", "x");
  assert_int_equal(mklink_create(name, "t", MKLINK_HARDLINK, 0), MKLINK_ENAMETOOLONG);
  assert_int_equal(mklink_query(name, &info), MKLINK_ENAMETOOLONG);
  assert_int_equal(mklink_remove(name), MKLINK_ENAMETOOLONG);
  assert_int_equal(w32_entries(), 1);
  mklink_info_free(&info);
}

W32_TEST(hardlink_loop, W32_REAL) {
  /* ..\unix-loop1 -> unix-loop2 -> unix-loop1, made by the host (ctest) */
  if (w32_caps()->emulator[0] == '\0')
    w32_skip(ctx, "no host-made link loop (not under Wine)");
  w32_write("t", "x");
  assert_int_equal(mklink_create("..\\unix-loop1\\L", "t", MKLINK_HARDLINK, 0), MKLINK_ELOOP);
  assert_int_equal(w32_entries(), 1);
}

W32_TEST(hardlink_across_volumes, W32_REAL) {
  if (w32_caps()->emulator[0] != '\0')
    w32_skip(ctx, no_second_volume);
  w32_skip(ctx, "no second volume known to the suite on this machine");
}

W32_TEST(hardlink_false_success_detected, W32_MODEL) {
  w32_write("t", "x");
  expect_CreateHardLinkW_false_success();
  assert_int_equal(mklink_create("l", "t", MKLINK_HARDLINK, 0), MKLINK_ENOTCREATED);
  assert_false(w32_exists("l"));
}

W32_TEST(hardlink_system_errors_mapped, W32_MODEL) {
  w32_write("t", "x");
  expect_CreateHardLinkW_error(ERROR_TOO_MANY_LINKS);
  assert_int_equal(mklink_create("l", "t", MKLINK_HARDLINK, 0), MKLINK_EMLINK);
  expect_CreateHardLinkW_error(ERROR_NOT_SAME_DEVICE);
  assert_int_equal(mklink_create("l", "t", MKLINK_HARDLINK, 0), MKLINK_EXDEV);
  /* Wine answers 2 where Windows answers 3 for a missing parent: both are
     disambiguated by looking. */
  expect_CreateHardLinkW_error(ERROR_FILE_NOT_FOUND);
  assert_int_equal(mklink_create("nodir\\l", "t", MKLINK_HARDLINK, 0), MKLINK_ENOPATH);
  expect_CreateHardLinkW_error(ERROR_PATH_NOT_FOUND);
  assert_int_equal(mklink_create("nodir\\l", "t", MKLINK_HARDLINK, 0), MKLINK_ENOPATH);
  expect_CreateHardLinkW_error(ERROR_PATH_NOT_FOUND);
  assert_int_equal(mklink_create("l", "missing", MKLINK_HARDLINK, 0), MKLINK_ENOFILE);
  assert_int_equal(w32_entries(), 1);
}

/* ---- query -------------------------------------------------------------- */

W32_TEST(query_hardlink_and_plain, W32_REAL) {
  mklink_info info;
  w32_write("t", "x");
  w32_mkdir("d");
  assert_int_equal(mklink_query("t", &info), 0);
  assert_int_equal(info.kind, MKLINK_NOT_LINK);
  assert_int_equal(info.nlink, 1);
  assert_int_equal(mklink_create("l", "t", MKLINK_HARDLINK, 0), 0);
  mklink_info_free(&info);
  assert_int_equal(mklink_query("l", &info), 0);
  assert_int_equal(info.kind, MKLINK_HARDLINK);
  assert_int_equal(info.nlink, 2);
  assert_string_equal(info.target, "");
  assert_int_equal(info.target_exists, 1);
  mklink_info_free(&info);
  assert_int_equal(mklink_query("t", &info), 0);
  assert_int_equal(info.kind, MKLINK_HARDLINK);
  mklink_info_free(&info);
  assert_int_equal(mklink_query("d", &info), 0);
  assert_int_equal(info.kind, MKLINK_NOT_LINK);
  assert_int_equal(info.target_is_dir, 1);
  mklink_info_free(&info);
  assert_int_equal(mklink_query("missing", &info), MKLINK_ENOFILE);
  mklink_info_free(&info);
  assert_int_equal(mklink_query("nodir\\missing", &info), MKLINK_ENOPATH);
  mklink_info_free(&info);
}

/* ---- remove ------------------------------------------------------------- */

W32_TEST(remove_hardlink_name_only, W32_REAL) {
  DWORD vol, n;
  ULONGLONG idx;
  w32_write("t", "data");
  assert_int_equal(mklink_create("l", "t", MKLINK_HARDLINK, 0), 0);
  assert_int_equal(mklink_remove("l"), 0);
  assert_false(w32_exists("l"));
  assert_file("t", "data");
  assert_int_equal(w32_file_id("t", &vol, &idx, &n), 0);
  assert_int_equal(n, 1);
  /* now t is the last name */
  assert_int_equal(mklink_remove("t"), MKLINK_ELASTNAME);
  assert_file("t", "data");
}

W32_TEST(remove_refuses_real_directory, W32_REAL) {
  w32_mkdir("d");
  w32_write("d\\f", "keep");
  assert_int_equal(mklink_remove("d"), MKLINK_EISDIR);
  assert_file("d\\f", "keep");
  w32_mkdir("e");
  assert_int_equal(mklink_remove("e"), MKLINK_EISDIR);
  assert_true(w32_exists("e"));
  assert_int_equal(mklink_remove("missing"), MKLINK_ENOFILE);
  assert_int_equal(mklink_remove("nodir\\missing"), MKLINK_ENOPATH);
  /* a trailing separator names a directory's content, never a link */
  assert_int_equal(mklink_remove("e\\"), MKLINK_EISDIR);
  w32_write("t", "x");
  assert_int_equal(mklink_create("l", "t", MKLINK_HARDLINK, 0), 0);
  assert_int_equal(mklink_remove("l\\"), MKLINK_ENOPATH);
  assert_true(w32_exists("l"));
}

/* ---- replace ------------------------------------------------------------ */

W32_TEST(replace_hardlink_name, W32_REAL) {
  DWORD vol1, vol2, n1, n2;
  ULONGLONG idx1, idx2;
  w32_write("t1", "one");
  w32_write("t2", "two");
  assert_int_equal(mklink_create("l", "t1", MKLINK_HARDLINK, 0), 0);
  assert_int_equal(mklink_create("l", "t2", MKLINK_HARDLINK, MKLINK_REPLACE), 0);
  assert_int_equal(w32_file_id("l", &vol1, &idx1, &n1), 0);
  assert_int_equal(w32_file_id("t2", &vol2, &idx2, &n2), 0);
  assert_true(idx1 == idx2);
  assert_int_equal(w32_file_id("t1", &vol1, &idx1, &n1), 0);
  assert_int_equal(n1, 1);
  assert_file("t1", "one");
  assert_int_equal(w32_entries(), 3);
}

W32_TEST(replace_hardlink_by_same_file, W32_REAL) {
  DWORD vol, n;
  ULONGLONG idx;
  w32_write("t", "x");
  assert_int_equal(mklink_create("l", "t", MKLINK_HARDLINK, 0), 0);
  assert_int_equal(mklink_create("l", "t", MKLINK_HARDLINK, MKLINK_REPLACE), 0);
  assert_int_equal(w32_entries(), 2); /* no temporary name left */
  assert_int_equal(w32_file_id("t", &vol, &idx, &n), 0);
  assert_int_equal(n, 2);
}

W32_TEST(replace_temp_name_taken, W32_MODEL) {
  char taken[128];
  w32_write("t1", "one");
  w32_write("t2", "two");
  assert_int_equal(mklink_create("l", "t1", MKLINK_HARDLINK, 0), 0);
  snprintf(taken, sizeof taken, ".mklink-new-%lx-%lx-%llx", (unsigned long)GetCurrentProcessId(),
           (unsigned long)GetCurrentThreadId(), 0x4200ULL);
  w32_write(taken, "not ours");
  expect_QueryPerformanceCounter_from(0x4200);
  assert_int_equal(mklink_create("l", "t2", MKLINK_HARDLINK, MKLINK_REPLACE), 0);
  assert_file(taken, "not ours");
  assert_int_equal(w32_entries(), 4); /* t1, t2, l, and the name that was taken */
}

W32_TEST(replace_refuses_data, W32_REAL) {
  w32_write("t", "x");
  w32_write("l", "only copy");
  w32_mkdir("d");
  assert_int_equal(mklink_create("l", "t", MKLINK_HARDLINK, MKLINK_REPLACE), MKLINK_EEXIST);
  assert_file("l", "only copy");
  assert_int_equal(mklink_create("d", "t", MKLINK_HARDLINK, MKLINK_REPLACE), MKLINK_EEXIST);
  assert_true(w32_attrs("d") & FILE_ATTRIBUTE_DIRECTORY);
  assert_int_equal(w32_entries(), 3);
}

W32_TEST(replace_with_nothing_there_creates, W32_REAL) {
  w32_write("t", "x");
  assert_int_equal(mklink_create("l", "t", MKLINK_HARDLINK, MKLINK_REPLACE), 0);
  assert_int_equal(w32_entries(), 2);
}

/* ---- flags and arguments ------------------------------------------------ */

W32_TEST(require_target_checked_first, W32_REAL) {
  assert_int_equal(mklink_create("l", "missing", MKLINK_FILE_SYMLINK, MKLINK_REQUIRE_TARGET),
                   MKLINK_ENOFILE);
  assert_int_equal(mklink_create("l", "missing", MKLINK_DIR_SYMLINK, MKLINK_REQUIRE_TARGET),
                   MKLINK_ENOFILE);
  assert_int_equal(mklink_create("j", "missing", MKLINK_JUNCTION, MKLINK_REQUIRE_TARGET),
                   MKLINK_ENOFILE);
  assert_int_equal(w32_entries(), 0);
}

W32_TEST(bad_arguments, W32_REAL) {
  mklink_info info;
  mklink_caps caps;
  assert_int_equal(mklink_create(NULL, "t", MKLINK_HARDLINK, 0), MKLINK_EINVAL);
  assert_int_equal(mklink_create("l", "", MKLINK_HARDLINK, 0), MKLINK_EINVAL);
  assert_int_equal(mklink_create("l", "t", MKLINK_NOT_LINK, 0), MKLINK_EINVAL);
  assert_int_equal(mklink_create("l", "t", MKLINK_HARDLINK, 0x80), MKLINK_EINVAL);
  assert_int_equal(mklink_query("", &info), MKLINK_EINVAL);
  assert_int_equal(mklink_remove(NULL), MKLINK_EINVAL);
  assert_int_equal(mklink_capabilities("", &caps), MKLINK_EINVAL);
  assert_int_equal(w32_entries(), 0);
  mklink_info_free(&info);
}

W32_TEST(bad_names, W32_REAL) {
  mklink_info info;
  w32_write("t", "x");
  /* not UTF-8 */
  assert_int_equal(mklink_create("l\xff", "t", MKLINK_HARDLINK, 0), MKLINK_EBADNAME);
  assert_int_equal(mklink_query("\xc3", &info), MKLINK_EBADNAME);
  /* characters Windows forbids in names */
  assert_int_equal(mklink_create("a<b", "t", MKLINK_HARDLINK, 0), MKLINK_EBADNAME);
  assert_int_equal(mklink_create("a|b", "t", MKLINK_HARDLINK, 0), MKLINK_EBADNAME);
  assert_int_equal(w32_entries(), 1);
  mklink_info_free(&info);
}

W32_TEST(utf8_names_hardlink, W32_REAL) {
  static const wchar_t wname[] = L"\x00fcn\x00ef-\x20ac.txt";
  mklink_info info;
  w32_write("t\xc3\xa4rget", "x");
  assert_int_equal(mklink_create("\xc3\xbcn\xc3\xaf-\xe2\x82\xac.txt", "t\xc3\xa4rget",
                                 MKLINK_HARDLINK, 0), 0);
  assert_true(GetFileAttributesW(wname) != INVALID_FILE_ATTRIBUTES);
  assert_int_equal(mklink_query("\xc3\xbcn\xc3\xaf-\xe2\x82\xac.txt", &info), 0);
  assert_int_equal(info.kind, MKLINK_HARDLINK);
  assert_int_equal(mklink_remove("\xc3\xbcn\xc3\xaf-\xe2\x82\xac.txt"), 0);
  assert_true(GetFileAttributesW(wname) == INVALID_FILE_ATTRIBUTES);
  mklink_info_free(&info);
}

W32_TEST(long_paths, W32_REAL) {
  char deep[1024], link[1100], target[1100];
  wchar_t wdeep[1100];
  mklink_info info;
  size_t i;
  /* one directory name of 200 characters, twice: well past MAX_PATH */
  strcpy(deep, ctx->dir);
  for (i = 0; i < 2; i++) {
    size_t n = strlen(deep);
    deep[n] = '\\';
    memset(deep + n + 1, 'd', 200);
    deep[n + 201] = '\0';
    swprintf(wdeep, 1100, L"\\\\?\\%hs", deep);
    assert_true(CreateDirectoryW(wdeep, NULL));
  }
  snprintf(target, sizeof target, "%s\\t", deep);
  snprintf(link, sizeof link, "%s\\l", deep);
  assert_true(strlen(link) > MAX_PATH);
  swprintf(wdeep, 1100, L"\\\\?\\%hs\\t", deep);
  CloseHandle(CreateFileW(wdeep, GENERIC_WRITE, 0, NULL, CREATE_NEW, 0, NULL));
  assert_int_equal(mklink_create(link, target, MKLINK_HARDLINK, 0), 0);
  assert_int_equal(mklink_query(link, &info), 0);
  assert_int_equal(info.kind, MKLINK_HARDLINK);
  assert_int_equal(info.nlink, 2);
  assert_string_equal(info.resolved, link);
  assert_int_equal(mklink_remove(link), 0);
  mklink_info_free(&info);
  assert_int_equal(mklink_query(link, &info), MKLINK_ENOFILE);
  mklink_info_free(&info);
}

W32_TEST(error_translation, W32_REAL) {
  static const struct {
    DWORD win32;
    int err;
  } map[] = {
      {2, MKLINK_ENOFILE},      {3, MKLINK_ENOPATH},     {5, MKLINK_EACCES},
      {17, MKLINK_EXDEV},       {1142, MKLINK_EMLINK},   {1921, MKLINK_ELOOP},
      {206, MKLINK_ENAMETOOLONG}, {123, MKLINK_EBADNAME}, {1314, MKLINK_EPRIVILEGE},
      {50, MKLINK_ENOTSUP},     {1, MKLINK_ENOTSUP},     {4390, MKLINK_ENOTLINK},
      {4392, MKLINK_EBADREPARSE}, {145, MKLINK_ENOTEMPTY}, {32, MKLINK_EBUSY},
      {112, MKLINK_ENOSPC},     {19, MKLINK_EROFS},      {8, MKLINK_ENOMEM},
      {183, MKLINK_EEXIST},     {80, MKLINK_EEXIST},     {87, MKLINK_EINVAL},
      {267, MKLINK_ENOPATH},    {12345, MKLINK_EOS(12345)}, {4, MKLINK_EMFILE},
      {1117, MKLINK_EIO},       {66, MKLINK_EOS(66)},
  };
  size_t i;
  for (i = 0; i < sizeof map / sizeof map[0]; i++)
    assert_int_equal(mklink__error(map[i].win32), map[i].err);
  /* every code with a Win32 twin maps back to itself */
  for (i = 1; i < (size_t)-MKLINK_ERRNO_LAST; i++) {
    int err = -(int)i, w = mklink_err_win32(err);
    if (w != 0)
      assert_int_equal(mklink__error((DWORD)w), err);
  }
  (void)ctx;
}

W32_TEST(unix_symlink_is_a_link, W32_REAL) {
  /* ..\unix-link-dir -> unix-target, made by the host (ctest): under Wine
     the Unix side tells what Win32 cannot (test_win32_bridge.c has the
     rest: removing, replacing, and the refusals where it is out of reach). */
  mklink_info info;
  char *kept, *full;
  if (!(w32_attrs("..\\unix-link-dir") & FILE_ATTRIBUTE_REPARSE_POINT) ||
      w32_attrs("..\\unix-link-dir") == INVALID_FILE_ATTRIBUTES)
    w32_skip(ctx, "no Unix symbolic link shown as a reparse point (not under Wine)");
  assert_int_equal(mklink_query("..\\unix-link-dir", &info), 0);
  if (!w32_unix_available()) {
    assert_int_equal(info.kind, MKLINK_OTHER_REPARSE); /* all Win32 can say */
    return;
  }
  assert_int_equal(info.kind, MKLINK_DIR_SYMLINK);
  assert_string_equal(info.target, "unix-target");
  full = w32_full("..\\unix-target");
  assert_string_equal(info.resolved, full);
  free(full);
  assert_int_equal(info.target_exists, 1);
  assert_int_equal(info.target_is_dir, 1);
  assert_int_equal(mklink_remove("..\\unix-link-dir\\"), MKLINK_EISDIR);
  kept = w32_read("..\\unix-target\\f");
  assert_non_null(kept);
  assert_string_equal(kept, "keep");
  free(kept);
  mklink_info_free(&info);
}

/* ---- walking ------------------------------------------------------------ */

static int stop_with_seven(const mklink_walk_entry *e, void *arg) {
  (void)e;
  ++*(int *)arg;
  return 7;
}

W32_TEST(walk_hardlinks, W32_REAL) {
  static char listing[4096];
  int calls = 0;
  w32_write("t", "x");
  w32_write("single", "x");
  w32_mkdir("sub");
  w32_write("sub\\v", "y");
  assert_int_equal(mklink_create("l", "t", MKLINK_HARDLINK, 0), 0);
  assert_int_equal(mklink_create("sub\\w", "sub\\v", MKLINK_HARDLINK, 0), 0);
  assert_int_equal(w32_walk(".", 0, listing, sizeof listing), 0);
  assert_string_equal(listing, ""); /* hard links only when asked */
  assert_int_equal(w32_walk(".", MKLINK_WALK_HARDLINKS, listing, sizeof listing), 0);
  assert_true(w32_listed(listing, "hard link .\\t"));
  assert_true(w32_listed(listing, "hard link .\\l"));
  assert_int_equal(w32_lines(listing), 2);
  assert_int_equal(w32_walk(".", MKLINK_WALK_HARDLINKS | MKLINK_WALK_RECURSIVE, listing,
                            sizeof listing), 0);
  assert_true(w32_listed(listing, "hard link .\\sub\\w"));
  assert_int_equal(w32_lines(listing), 4);
  /* a hard link is never dangling */
  assert_int_equal(w32_walk(".", MKLINK_WALK_HARDLINKS | MKLINK_WALK_RECURSIVE |
                                     MKLINK_WALK_BROKEN, listing, sizeof listing), 0);
  assert_string_equal(listing, "");
  /* the callback's value stops the walk and is returned */
  assert_int_equal(mklink_walk(".", MKLINK_WALK_HARDLINKS, stop_with_seven, &calls), 7);
  assert_int_equal(calls, 1);
}

W32_TEST(walk_errors, W32_REAL) {
  static char listing[64];
  w32_write("f", "x");
  assert_int_equal(w32_walk("missing", 0, listing, sizeof listing), MKLINK_ENOPATH);
  assert_int_equal(w32_walk("nodir\\missing", 0, listing, sizeof listing), MKLINK_ENOPATH);
  assert_int_equal(w32_walk("f", 0, listing, sizeof listing), MKLINK_EINVAL);
  assert_int_equal(mklink_walk(".", 0, NULL, NULL), MKLINK_EINVAL);
  assert_int_equal(mklink_walk(".", 0x100, stop_with_seven, NULL), MKLINK_EINVAL);
}

/* mklink_remove_tree deletes trees: its tests run only in the sandbox of
   ci/wine-tree (a private mount namespace where only the build tree and /tmp
   are writable), never in a plain Wine run. */
#define REQUIRE_TREE_SANDBOX() W32_REQUIRE_TREE_SANDBOX(ctx)

/* ---- remove_tree ------------------------------------------------------- */

W32_TEST(remove_tree_deletes_tree, W32_REAL) {
  REQUIRE_TREE_SANDBOX();
  DWORD volume, nlink;
  ULONGLONG index;
  w32_write("keep", "k");
  w32_mkdir("t");
  w32_mkdir("t\\a");
  w32_mkdir("t\\a\\b");
  w32_mkdir("t\\empty");
  w32_write("t\\f", "y");
  w32_write("t\\a\\b\\f", "x");
  assert_int_equal(mklink_create("t\\a\\h", "keep", MKLINK_HARDLINK, 0), 0);
  assert_int_equal(mklink_remove_tree("t"), 0);
  assert_false(w32_exists("t"));
  assert_int_equal(w32_file_id("keep", &volume, &index, &nlink), 0);
  assert_int_equal(nlink, 1);
  /* a trailing separator names the same tree */
  w32_mkdir("u");
  w32_write("u\\f", "z");
  assert_int_equal(mklink_remove_tree("u\\"), 0);
  assert_false(w32_exists("u"));
  assert_int_equal(w32_entries(), 1);
}

W32_TEST(remove_tree_top_and_errors, W32_REAL) {
  REQUIRE_TREE_SANDBOX();
  w32_write("keep", "k");
  w32_mkdir("d");
  assert_int_equal(mklink_create("h", "keep", MKLINK_HARDLINK, 0), 0);
  assert_int_equal(mklink_remove_tree("h"), 0); /* a second name: only it goes */
  assert_true(w32_exists("keep"));
  assert_int_equal(mklink_remove_tree("keep"), MKLINK_ELASTNAME);
  assert_int_equal(mklink_remove_tree("missing"), MKLINK_ENOFILE);
  assert_int_equal(mklink_remove_tree("nodir\\x"), MKLINK_ENOPATH);
  assert_int_equal(mklink_remove_tree(""), MKLINK_EINVAL);
  assert_int_equal(mklink_remove_tree("."), MKLINK_EINVAL);
  assert_int_equal(mklink_remove_tree(".."), MKLINK_EINVAL);
  assert_int_equal(mklink_remove_tree("d\\.."), MKLINK_EINVAL);
  assert_int_equal(mklink_remove_tree("l\xff"), MKLINK_EBADNAME);
  assert_true(w32_exists("keep") && w32_exists("d"));
  assert_int_equal(w32_entries(), 2);
}

/* ---- capabilities ------------------------------------------------------- */

W32_TEST(capabilities_probe, W32_REAL) {
  typedef const char *(*version_fn)(void);
  FARPROC proc = GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "wine_get_version");
  mklink_caps caps;
  w32_write("keep", "x");
  assert_int_equal(mklink_capabilities(".", &caps), 0);
  assert_int_equal(w32_entries(), 1); /* the probe left nothing */
  assert_int_equal(caps.simulated, 0);
  assert_true(caps.real & MKLINK_KIND_BIT(MKLINK_HARDLINK));
  if (proc == NULL) {
    assert_string_equal(caps.emulator, "");
    return;
  }
  assert_string_equal(caps.emulator, "wine");
  assert_string_equal(caps.emulator_version, ((version_fn)(void (*)(void))proc)());
  assert_int_equal(caps.bridged & ~caps.real, 0);
  if (strncmp(caps.emulator_version, "8.", 2) == 0) {
    /* Wine 8 itself makes hard links only; on x86_64 Linux the bridge makes
       the rest (and is proven by every probe), elsewhere nothing does. */
    assert_int_equal(caps.real & ~caps.bridged, MKLINK_KIND_BIT(MKLINK_HARDLINK));
    assert_int_equal(caps.bridged, w32_unix_available()
                                       ? MKLINK_KIND_BIT(MKLINK_FILE_SYMLINK) |
                                             MKLINK_KIND_BIT(MKLINK_DIR_SYMLINK) |
                                             MKLINK_KIND_BIT(MKLINK_JUNCTION)
                                       : 0u);
  }
  assert_int_equal(mklink_capabilities(NULL, &caps), 0);
  assert_int_equal(w32_entries(), 1);
}

W32_TEST(capabilities_errors, W32_REAL) {
  mklink_caps caps;
  w32_write("f", "x");
  assert_int_equal(mklink_capabilities("missing", &caps), MKLINK_ENOPATH);
  assert_int_equal(mklink_capabilities("f", &caps), MKLINK_ENOPATH);
  assert_int_equal(w32_entries(), 1);
}

W32_TEST(capabilities_unwritable_dir, W32_MODEL) {
  mklink_caps caps;
  expect_CreateFileW_denied();
  assert_int_equal(mklink_capabilities(".", &caps), MKLINK_EACCES);
  assert_int_equal(caps.real, 0);
  assert_int_equal(w32_entries(), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      W32_CASE(file_symlink_not_created),
      W32_CASE(dir_symlink_not_created),
      W32_CASE(symlink_not_created_over_existing),
      W32_CASE(junction_fails_cleanly),
      W32_CASE(hardlink_is_the_same_file),
      W32_CASE(hardlink_target_missing),
      W32_CASE(hardlink_parent_missing),
      W32_CASE(hardlink_to_directory_denied),
      W32_CASE(hardlink_link_exists),
      W32_CASE(hardlink_link_is_link),
      W32_CASE(hardlink_too_long),
      W32_CASE(hardlink_loop),
      W32_CASE(hardlink_across_volumes),
      W32_CASE(hardlink_false_success_detected),
      W32_CASE(hardlink_system_errors_mapped),
      W32_CASE(query_hardlink_and_plain),
      W32_CASE(remove_hardlink_name_only),
      W32_CASE(remove_refuses_real_directory),
      W32_CASE(replace_hardlink_name),
      W32_CASE(replace_hardlink_by_same_file),
      W32_CASE(replace_temp_name_taken),
      W32_CASE(replace_refuses_data),
      W32_CASE(replace_with_nothing_there_creates),
      W32_CASE(require_target_checked_first),
      W32_CASE(bad_arguments),
      W32_CASE(bad_names),
      W32_CASE(utf8_names_hardlink),
      W32_CASE(long_paths),
      W32_CASE(error_translation),
      W32_CASE(unix_symlink_is_a_link),
      W32_CASE(walk_hardlinks),
      W32_CASE(walk_errors),
      W32_CASE(remove_tree_deletes_tree),
      W32_CASE(remove_tree_top_and_errors),
      W32_CASE(capabilities_probe),
      W32_CASE(capabilities_errors),
      W32_CASE(capabilities_unwritable_dir),
  };
  w32_start("wine");
  return w32_finish("wine", cmocka_run_group_tests_name("win32_wine", tests, NULL, NULL));
}

/*
 * test_win32_volumes.c -- the checks mklink /H makes before CreateHardLinkW
 * (one local NTFS volume: src/win32/create.c) and the errors the library's
 * table does not map (carried as MKLINK_EOS, worded by FormatMessageW).
 *
 * Under Wine every drive is one Unix file system and no volume is FAT or on
 * the network, so the volumes are modelled: GetVolumePathNameW, GetDriveTypeW
 * and GetVolumeInformationByHandleW answer from a small table of mount
 * folders inside the test directory; every other call is the real one.  The
 * same checks run against real Wine volumes in the CLI's mount cases
 * (tests/cli/cases.py, two tmpfs mounts under Z:, ci/wine-tree).
 */
#include "win32_suite.h"

#include <stdio.h>
#include <string.h>
#include <wchar.h>

#ifndef FILE_SUPPORTS_HARD_LINKS
#define FILE_SUPPORTS_HARD_LINKS 0x00400000
#endif

/* ---- the modelled volumes ---------------------------------------------- */

typedef struct volume {
  const wchar_t *folder; /* mount folder, relative to the test directory */
  const wchar_t *fs;     /* its file system's name                       */
  DWORD flags;
  int remote;
} volume;

static const volume *volumes;
static size_t nvolumes;
static wchar_t base[MAX_PATH]; /* the test directory: "the rest" volume */
static unsigned hardlink_calls;
static DWORD fail_hardlink; /* non-zero: CreateHardLinkW fails with it */
static int volume_path_fails;

/* The modelled volume whose folder holds FULL, or NULL for the test
   directory's own (NTFS, local). */
static const volume *volume_of_full(const wchar_t *full, wchar_t *root, size_t cap) {
  size_t i, len;
  const volume *best = NULL;
  swprintf(root, cap, L"%ls", base);
  for (i = 0; i < nvolumes; i++) {
    wchar_t folder[MAX_PATH];
    swprintf(folder, MAX_PATH, L"%ls%ls\\", base, volumes[i].folder);
    len = wcslen(folder);
    if (_wcsnicmp(full, folder, len) == 0 || (_wcsnicmp(full, folder, len - 1) == 0 && full[len - 1] == L'\0')) {
      best = &volumes[i];
      swprintf(root, cap, L"%ls", folder);
    }
  }
  return best;
}

static BOOL WINAPI fake_GetVolumePathNameW(LPCWSTR path, LPWSTR out, DWORD cap) {
  wchar_t full[MAX_PATH], root[MAX_PATH];
  if (volume_path_fails || GetFullPathNameW(path, MAX_PATH, full, NULL) == 0) {
    SetLastError(ERROR_BAD_PATHNAME);
    return FALSE;
  }
  volume_of_full(full, root, MAX_PATH);
  if (wcslen(root) + 1 > cap) {
    SetLastError(ERROR_FILENAME_EXCED_RANGE);
    return FALSE;
  }
  wcscpy(out, root);
  return TRUE;
}

static UINT WINAPI fake_GetDriveTypeW(LPCWSTR root) {
  wchar_t full[MAX_PATH], vroot[MAX_PATH];
  const volume *v;
  if (GetFullPathNameW(root, MAX_PATH, full, NULL) == 0)
    return DRIVE_NO_ROOT_DIR;
  v = volume_of_full(full, vroot, MAX_PATH);
  return v != NULL && v->remote ? DRIVE_REMOTE : DRIVE_FIXED;
}

static BOOL WINAPI fake_GetVolumeInformationByHandleW(HANDLE h, LPWSTR label, DWORD label_cap,
                                                       LPDWORD serial, LPDWORD maxlen,
                                                       LPDWORD flags, LPWSTR fs, DWORD fs_cap) {
  wchar_t full[MAX_PATH], root[MAX_PATH], *p = full;
  const volume *v;
  (void)label, (void)label_cap, (void)serial, (void)maxlen;
  if (GetFinalPathNameByHandleW(h, full, MAX_PATH, 0) == 0)
    return FALSE;
  if (wcsncmp(p, L"\\\\?\\", 4) == 0)
    p += 4;
  v = volume_of_full(p, root, MAX_PATH);
  if (flags != NULL)
    *flags = v != NULL ? v->flags : FILE_SUPPORTS_HARD_LINKS | FILE_SUPPORTS_REPARSE_POINTS;
  if (fs != NULL)
    swprintf(fs, fs_cap, L"%ls", v != NULL ? v->fs : L"NTFS");
  return TRUE;
}

typedef BOOL(WINAPI *hardlink_fn)(LPCWSTR, LPCWSTR, LPSECURITY_ATTRIBUTES);

/* The real CreateHardLinkW, counted (or failing with fail_hardlink). */
static BOOL WINAPI counted_CreateHardLinkW(LPCWSTR link, LPCWSTR target, LPSECURITY_ATTRIBUTES sa) {
  hardlink_fn real = (hardlink_fn)(void (*)(void))mklink_default_syscall("CreateHardLinkW");
  hardlink_calls++;
  if (fail_hardlink != 0) {
    SetLastError(fail_hardlink);
    return FALSE;
  }
  return real(link, target, sa);
}

/* Model VOLS (N of them) below the test directory, each folder made. */
static void expect_volumes(const volume *vols, size_t n) {
  size_t i;
  volumes = vols;
  nvolumes = n;
  volume_path_fails = 0;
  GetCurrentDirectoryW(MAX_PATH, base);
  if (base[wcslen(base) - 1] != L'\\')
    wcscat(base, L"\\");
  for (i = 0; i < n; i++)
    CreateDirectoryW(vols[i].folder, NULL);
  assert_int_equal(mklink_set_syscall("GetVolumePathNameW",
                                      (mklink_syscall_ptr)fake_GetVolumePathNameW), 0);
  assert_int_equal(mklink_set_syscall("GetDriveTypeW", (mklink_syscall_ptr)fake_GetDriveTypeW), 0);
  assert_int_equal(mklink_set_syscall("GetVolumeInformationByHandleW",
                                      (mklink_syscall_ptr)fake_GetVolumeInformationByHandleW), 0);
}

/* CreateHardLinkW counted; with ERR non-zero it fails so. */
static void expect_CreateHardLinkW(DWORD err) {
  hardlink_calls = 0;
  fail_hardlink = err;
  assert_int_equal(mklink_set_syscall("CreateHardLinkW", (mklink_syscall_ptr)counted_CreateHardLinkW), 0);
}

static const volume second_ntfs[] = {{L"vol2", L"NTFS", FILE_SUPPORTS_HARD_LINKS, 0}};
static const volume fat[] = {{L"fat", L"FAT32", 0, 0}};
static const volume nas[] = {{L"nas", L"NTFS", FILE_SUPPORTS_HARD_LINKS, 1}};
static const volume refs[] = {{L"refs", L"ReFS", FILE_SUPPORTS_HARD_LINKS, 0}};

/* ---- /H: one local NTFS volume ----------------------------------------- */

W32_TEST(hardlink_across_volumes_refused_first, W32_MODEL) {
  expect_volumes(second_ntfs, 1);
  expect_CreateHardLinkW(0);
  w32_write("t.txt", "x");
  assert_int_equal(mklink_create("vol2\\h", "t.txt", MKLINK_HARDLINK, 0), MKLINK_EXDEV);
  assert_int_equal(mklink_create("h", "vol2\\..\\vol2\\..\\t.txt", MKLINK_HARDLINK, 0), 0);
  w32_write("vol2\\t2.txt", "y");
  assert_int_equal(mklink_create("h2", "vol2\\t2.txt", MKLINK_HARDLINK, 0), MKLINK_EXDEV);
  assert_int_equal(hardlink_calls, 1); /* only the link within one volume */
  assert_false(w32_exists("vol2\\h"));
  assert_false(w32_exists("h2"));
}

W32_TEST(hardlink_on_fat_refused, W32_MODEL) {
  expect_volumes(fat, 1);
  expect_CreateHardLinkW(0);
  w32_write("fat\\t.txt", "x");
  w32_write("t.txt", "x");
  assert_int_equal(mklink_create("fat\\h", "fat\\t.txt", MKLINK_HARDLINK, 0), MKLINK_ENOTSUP);
  /* FAT on either side: the file system is checked before the volumes match */
  assert_int_equal(mklink_create("fat\\h", "t.txt", MKLINK_HARDLINK, 0), MKLINK_ENOTSUP);
  assert_int_equal(mklink_create("h", "fat\\t.txt", MKLINK_HARDLINK, 0), MKLINK_ENOTSUP);
  assert_int_equal(hardlink_calls, 0);
  assert_false(w32_exists("fat\\h"));
  assert_false(w32_exists("h"));
}

W32_TEST(hardlink_on_network_volume_refused, W32_MODEL) {
  expect_volumes(nas, 1);
  expect_CreateHardLinkW(0);
  w32_write("nas\\t.txt", "x");
  assert_int_equal(mklink_create("nas\\h", "nas\\t.txt", MKLINK_HARDLINK, 0), MKLINK_EREMOTE);
  assert_int_equal(hardlink_calls, 0);
}

W32_TEST(hardlink_unc_refused_without_volume_path, W32_MODEL) {
  /* Wine's GetVolumePathNameW fails for \\server\share (123): the name
     alone says network */
  expect_volumes(NULL, 0);
  volume_path_fails = 1;
  expect_CreateHardLinkW(0);
  w32_write("t.txt", "x");
  assert_int_equal(mklink_create("h", "\\\\server\\share\\t.txt", MKLINK_HARDLINK, 0),
                   MKLINK_EREMOTE);
  assert_int_equal(hardlink_calls, 0);
}

W32_TEST(hardlink_other_file_system_with_hard_links_allowed, W32_MODEL) {
  expect_volumes(refs, 1);
  expect_CreateHardLinkW(0);
  w32_write("refs\\t.txt", "x");
  assert_int_equal(mklink_create("refs\\h", "refs\\t.txt", MKLINK_HARDLINK, 0), 0);
  assert_int_equal(hardlink_calls, 1);
}

W32_TEST(hardlink_volume_unknown_left_to_the_system, W32_MODEL) {
  expect_volumes(NULL, 0);
  volume_path_fails = 1;
  expect_CreateHardLinkW(0);
  w32_write("t.txt", "x");
  assert_int_equal(mklink_create("h", "t.txt", MKLINK_HARDLINK, 0), 0);
  assert_int_equal(mklink_create("h2", "missing.txt", MKLINK_HARDLINK, 0), MKLINK_ENOFILE);
  assert_int_equal(hardlink_calls, 2);
}

W32_TEST(hardlink_checks_pass_on_the_real_volume, W32_REAL) {
  /* Wine's own GetVolumePathNameW, GetDriveTypeW and
     GetVolumeInformationByHandleW: one local NTFS volume, so the link is made */
  expect_CreateHardLinkW(0);
  w32_write("t.txt", "x");
  w32_mkdir("sub");
  assert_int_equal(mklink_create("sub\\h", "t.txt", MKLINK_HARDLINK, 0), 0);
  assert_int_equal(hardlink_calls, 1);
  assert_true(w32_exists("sub\\h"));
}

/* ---- a symbolic link where the file system has none ------------------- */

static DWORD symlink_error;

static BOOLEAN WINAPI symlink_refused(LPCWSTR link, LPCWSTR target, DWORD flags) {
  (void)link, (void)target, (void)flags;
  SetLastError(symlink_error);
  return FALSE;
}

W32_TEST(symlink_on_fat_not_supported, W32_MODEL) {
  /* FAT has no reparse points: CreateSymbolicLinkW fails with 1 or 50, both
     MKLINK_ENOTSUP (cmd prints "The device does not support symbolic
     links." for it: the command's mapping, tested by the CLI cases) */
  static const DWORD answers[] = {ERROR_INVALID_FUNCTION, ERROR_NOT_SUPPORTED};
  size_t i;
  assert_int_equal(mklink_set_syscall("CreateSymbolicLinkW", (mklink_syscall_ptr)symlink_refused), 0);
  for (i = 0; i < sizeof answers / sizeof answers[0]; i++) {
    symlink_error = answers[i];
    assert_int_equal(mklink_create("l", "t.txt", MKLINK_FILE_SYMLINK, 0), MKLINK_ENOTSUP);
    assert_int_equal(mklink_create("ld", ".", MKLINK_DIR_SYMLINK, 0), MKLINK_ENOTSUP);
  }
  assert_int_equal(w32_entries(), 0);
}

/* ---- errors the table does not map ------------------------------------- */

/* FormatMessageW's own text for ERR, asked directly (never through the
   library's table), on one line. */
static const char *system_text(DWORD err) {
  static char text[MKLINK_STRERROR_MAX];
  wchar_t w[MKLINK_STRERROR_MAX];
  DWORD n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, err,
                           0, w, MKLINK_STRERROR_MAX, NULL);
  assert_true(n > 0);
  while (n > 0 && (w[n - 1] == L'\r' || w[n - 1] == L'\n' || w[n - 1] == L' '))
    w[--n] = L'\0';
  assert_true(WideCharToMultiByte(CP_UTF8, 0, w, -1, text, sizeof text, NULL, NULL) > 0);
  return text;
}

W32_TEST(unmapped_error_carried_with_system_text, W32_REAL) {
  char buf[MKLINK_STRERROR_MAX];
  int err;
  expect_CreateHardLinkW(ERROR_INVALID_DRIVE); /* 15: not in the table */
  w32_write("t.txt", "x");
  err = mklink_create("h", "t.txt", MKLINK_HARDLINK, 0);
  assert_int_equal(err, MKLINK_EOS(15));
  assert_int_equal(mklink_err_os(err), 15);
  assert_int_equal(mklink_err_win32(err), 15);
  assert_string_equal(mklink_err_name(err), "MKLINK_EOS");
  /* the system's words, for real (Windows: "The system cannot find the
     drive specified."; Wine 8: "Invalid drive.") */
  assert_string_equal(mklink_strerror_r(err, buf, sizeof buf), system_text(15));
  assert_string_not_equal(buf, mklink_strerror(MKLINK_EIO));
  assert_false(w32_exists("h"));
}

W32_TEST(too_many_open_files_is_EMFILE, W32_MODEL) {
  expect_CreateHardLinkW(ERROR_TOO_MANY_OPEN_FILES);
  w32_write("t.txt", "x");
  assert_int_equal(mklink_create("h", "t.txt", MKLINK_HARDLINK, 0), MKLINK_EMFILE);
  assert_string_equal(mklink_strerror(MKLINK_EMFILE), "The system cannot open the file.");
}

static const wchar_t *fake_text;

static DWORD WINAPI fake_FormatMessageW(DWORD flags, LPCVOID source, DWORD id, DWORD lang,
                                        LPWSTR buf, DWORD cap, va_list *args) {
  (void)flags, (void)source, (void)id, (void)lang, (void)args;
  if (fake_text == NULL || wcslen(fake_text) >= cap) {
    SetLastError(ERROR_MR_MID_NOT_FOUND);
    return 0;
  }
  wcscpy(buf, fake_text);
  return (DWORD)wcslen(fake_text);
}

W32_TEST(system_text_on_one_line_cut_to_fit, W32_MODEL) {
  char buf[MKLINK_STRERROR_MAX], small[4];
  assert_int_equal(mklink_set_syscall("FormatMessageW", (mklink_syscall_ptr)fake_FormatMessageW), 0);
  fake_text = L"First line.\r\nSecond line.\r\n";
  assert_string_equal(mklink_strerror_r(MKLINK_EOS(1234), buf, sizeof buf),
                      "First line.  Second line.");
  fake_text = L"\x00e4\x00e4\x00e4";
  assert_string_equal(mklink_strerror_r(MKLINK_EOS(1234), small, sizeof small), "\xc3\xa4");
  fake_text = NULL; /* no text for the error */
  assert_string_equal(mklink_strerror_r(MKLINK_EOS(1234), buf, sizeof buf), "System error 1234.");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      W32_CASE(hardlink_across_volumes_refused_first),
      W32_CASE(hardlink_on_fat_refused),
      W32_CASE(hardlink_on_network_volume_refused),
      W32_CASE(hardlink_unc_refused_without_volume_path),
      W32_CASE(hardlink_other_file_system_with_hard_links_allowed),
      W32_CASE(hardlink_volume_unknown_left_to_the_system),
      W32_CASE(hardlink_checks_pass_on_the_real_volume),
      W32_CASE(symlink_on_fat_not_supported),
      W32_CASE(unmapped_error_carried_with_system_text),
      W32_CASE(too_many_open_files_is_EMFILE),
      W32_CASE(system_text_on_one_line_cut_to_fit),
  };
  w32_start("volumes");
  return w32_finish("volumes", cmocka_run_group_tests_name("win32_volumes", tests, NULL, NULL));
}

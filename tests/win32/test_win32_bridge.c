/*
 * test_win32_bridge.c -- the Unix side of names under Wine.
 *
 * 1. Wine's facts: each fact of ../shared/reference/wine-8.md that the
 *    Win32 backend relies on, asserted against the real Wine with raw Win32
 *    calls and raw Linux system calls (tests/support/win32_unix.h), so that
 *    a Wine behaving otherwise fails here by name.  The ones that delete or
 *    move (DeleteFileW deletes a link's target...) run only in ci/wine-tree's
 *    sandbox, with every target inside the test's own directory.
 * 2. Never a link's target: a Unix symbolic link is removed as the link
 *    itself by mklink_remove, mklink_remove_tree, MKLINK_REPLACE and the
 *    file/directory removal and renames of manifests and moves -- the
 *    reproductions of the data loss of issue 10, as library calls and as
 *    `mklink.exe` runs.
 * 3. The bridge: links made as Unix symbolic links (Wine 8) that other
 *    Windows programs -- cmd, a plain CreateFileW/FindFirstFileW program --
 *    really go through, that Linux reads as the POSIX backend's; and where
 *    its proof fails (through the OS-call table), it is not used.
 * 4. Blind: where the proof that system calls reach Linux fails (faked
 *    through the OS-call table: a Wine that traps them, another host), the
 *    library refuses what it cannot tell apart rather than deletes.
 *
 * Tests that stage a system answer through the table count as "model".
 */
#include "link_checks.h"

#include "win32.h"
#include "win32_unix.h"

#include <stdio.h>

#define W32_NEED_UNIX(ctx)                                  \
  do {                                                      \
    if (!w32_unix_available())                              \
      w32_skip(ctx, w32_unix_unavailable());                \
  } while (0)

/* PATH becomes a Unix symbolic link holding TEXT (made from Linux). */
static void unix_link(const char *text, const char *path) {
  assert_int_equal(w32_unix_symlink(text, path), 0);
  assert_int_equal(w32_unix_is_link(path), 1);
}

/* "/./" + the Unix path of PATH: the POSIX encoding of a junction to it. */
static char *junction_text(const char *path) {
  char *u = w32_unix_path(path), *text;
  assert_non_null(u);
  text = malloc(strlen(u) + 3);
  assert_non_null(text);
  strcpy(text, "/.");
  strcat(text, u);
  free(u);
  return text;
}

static void assert_gone(const char *path) {
  assert_int_equal(w32_unix_is_link(path), -2); /* ENOENT on the Unix side */
}

static DWORD nlink_of(const char *path) {
  DWORD volume, nlink;
  ULONGLONG index;
  assert_int_equal(w32_file_id(path, &volume, &index, &nlink), 0);
  return nlink;
}

/* ---- 1. Wine's facts ---------------------------------------------------- */

W32_TEST(fact_syscall_reaches_linux, W32_REAL) {
  char uts[6 * 65];
  typedef void(CDECL * host_fn)(const char **, const char **);
  FARPROC host = GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "wine_get_host_version");
  const char *sysname = NULL, *release = NULL;
  W32_NEED_UNIX(ctx);
  assert_non_null(host);
  ((host_fn)(void (*)(void))host)(&sysname, &release);
  assert_string_equal(sysname, "Linux");
  memset(uts, 0, sizeof uts);
  assert_int_equal(w32_linux(63 /* uname */, (intptr_t)uts, 0, 0), 0);
  assert_string_equal(uts, "Linux");
  assert_string_equal(uts + 4 * 65, "x86_64");
}

W32_TEST(fact_unix_file_name, W32_REAL) {
  char *u, *dir = w32_unix_path(".");
  W32_NEED_UNIX(ctx);
  assert_non_null(dir);
  assert_true(dir[0] == '/');
  w32_write("f.txt", "x");
  u = w32_unix_path("f.txt");
  assert_non_null(u);
  assert_true(strncmp(u, dir, strlen(dir)) == 0 && strcmp(u + strlen(dir), "/f.txt") == 0);
  free(u);
  /* A missing last component is answered (a name to create)... */
  u = w32_unix_path("missing");
  assert_non_null(u);
  assert_true(strcmp(u + strlen(dir), "/missing") == 0);
  free(u);
  /* ...case is mapped onto the existing name... */
  u = w32_unix_path("F.TXT");
  assert_non_null(u);
  assert_true(strcmp(u + strlen(dir), "/f.txt") == 0);
  free(u);
  /* ...a missing directory is not: NULL, ERROR_PATH_NOT_FOUND. */
  SetLastError(0);
  assert_null(w32_unix_path("nodir\\x"));
  assert_int_equal(GetLastError(), ERROR_PATH_NOT_FOUND);
  free(dir);
}

W32_TEST(fact_dir_symlink_shows_as_unreadable_reparse_point, W32_REAL) {
  WIN32_FIND_DATAW fd;
  HANDLE h;
  unsigned char buf[1024];
  size_t len;
  W32_NEED_UNIX(ctx);
  w32_mkdir("d");
  unix_link("d", "l");
  assert_int_equal(w32_attrs("l"), FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_REPARSE_POINT);
  h = FindFirstFileW(L"l", &fd);
  assert_true(h != INVALID_HANDLE_VALUE);
  FindClose(h);
  assert_int_equal(fd.dwFileAttributes, FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_REPARSE_POINT);
  assert_int_equal(fd.dwReserved0, 0); /* no reparse tag */
  assert_int_equal(w32_raw_reparse("l", buf, sizeof buf, &len), -1);
  assert_int_equal(GetLastError(), ERROR_NOT_A_REPARSE_POINT);
}

W32_TEST(fact_file_symlink_looks_like_its_target, W32_REAL) {
  DWORD v1, v2, n1, n2;
  ULONGLONG i1, i2;
  W32_NEED_UNIX(ctx);
  w32_write("t", "x");
  assert_true(CreateHardLinkW(L"t2", L"t", NULL));
  unix_link("t", "l");
  assert_int_equal(w32_attrs("l") & (FILE_ATTRIBUTE_REPARSE_POINT | FILE_ATTRIBUTE_DIRECTORY), 0);
  /* even opened with FILE_FLAG_OPEN_REPARSE_POINT: the target's file */
  assert_int_equal(w32_file_id("l", &v1, &i1, &n1), 0);
  assert_int_equal(w32_file_id("t", &v2, &i2, &n2), 0);
  assert_true(i1 == i2);
  assert_int_equal(n1, 2); /* a "hard link", through Win32 */
}

W32_TEST(fact_dangling_symlink_is_invisible, W32_REAL) {
  WIN32_FIND_DATAW fd;
  HANDLE h;
  int listed = 0;
  W32_NEED_UNIX(ctx);
  unix_link("missing", "l");
  SetLastError(0);
  assert_int_equal(w32_attrs("l"), INVALID_FILE_ATTRIBUTES);
  assert_int_equal(GetLastError(), ERROR_FILE_NOT_FOUND);
  /* FindFirstFileW does not list it: "." and ".." only */
  h = FindFirstFileW(L"*", &fd);
  assert_true(h != INVALID_HANDLE_VALUE);
  do
    listed++;
  while (FindNextFileW(h, &fd));
  FindClose(h);
  assert_int_equal(listed, 2);
  assert_int_equal(w32_entries(), 1); /* the Unix side has it */
}

W32_TEST(fact_programs_go_through_symlinks, W32_REAL) {
  char *text;
  W32_NEED_UNIX(ctx);
  w32_mkdir("d");
  unix_link("d", "l");
  text = junction_text("d");
  unix_link(text, "j");
  free(text);
  w32_write("l\\via-link.txt", "1");
  w32_write("j\\via-junction.txt", "2");
  assert_file("d\\via-link.txt", "1");
  assert_file("d\\via-junction.txt", "2");
}

W32_TEST(fact_remove_directory_refuses_link_to_full_dir, W32_REAL) {
  W32_REQUIRE_TREE_SANDBOX(ctx);
  W32_NEED_UNIX(ctx);
  w32_mkdir("d");
  w32_write("d\\f", "keep");
  unix_link("d", "l");
  assert_false(RemoveDirectoryW(L"l"));
  assert_int_equal(GetLastError(), ERROR_DIR_NOT_EMPTY);
  assert_int_equal(w32_unix_is_link("l"), 1);
  assert_file("d\\f", "keep");
}

W32_TEST(fact_remove_directory_removes_empty_target, W32_REAL) {
  W32_REQUIRE_TREE_SANDBOX(ctx);
  W32_NEED_UNIX(ctx);
  w32_mkdir("d");
  unix_link("d", "l");
  assert_true(RemoveDirectoryW(L"l"));
  assert_false(w32_exists("d"));          /* the target went */
  assert_int_equal(w32_unix_is_link("l"), 1); /* the link stayed */
}

W32_TEST(fact_delete_file_deletes_target, W32_REAL) {
  W32_REQUIRE_TREE_SANDBOX(ctx);
  W32_NEED_UNIX(ctx);
  w32_write("t", "data");
  unix_link("t", "l");
  assert_true(DeleteFileW(L"l"));
  assert_false(w32_exists("t"));          /* the target went */
  assert_int_equal(w32_unix_is_link("l"), 1); /* the link stayed, dangling */
}

W32_TEST(fact_move_file_moves_target, W32_REAL) {
  W32_REQUIRE_TREE_SANDBOX(ctx);
  W32_NEED_UNIX(ctx);
  w32_mkdir("d");
  unix_link("d", "l");
  assert_true(MoveFileExW(L"l", L"m", 0));
  assert_false(w32_exists("d"));          /* the target was renamed */
  assert_int_equal(w32_unix_is_link("l"), 1);
  assert_int_equal(w32_unix_is_link("m"), 0);
  assert_true(w32_unix_is_dir("m"));
}

W32_TEST(fact_create_symbolic_link_creates_nothing, W32_REAL) {
  if (w32_really_creates(MKLINK_FILE_SYMLINK))
    w32_skip(ctx, "the system really creates symbolic links");
  if (w32_caps()->emulator[0] == '\0')
    w32_skip(ctx, "not under Wine");
  w32_write("t", "x");
  assert_true(CreateSymbolicLinkW(L"l", L"t", 0));
  assert_true(CreateSymbolicLinkW(L"d", L"t", SYMBOLIC_LINK_FLAG_DIRECTORY));
  assert_true(CreateSymbolicLinkW(L"nodir\\l", L"t", 0));
  assert_false(w32_exists("l"));
  assert_false(w32_exists("d"));
  assert_int_equal(w32_entries(), 1);
}

W32_TEST(fact_set_reparse_point_not_supported, W32_REAL) {
  static const wchar_t subst[] = L"\\??\\C:\\x";
  unsigned char buf[64];
  size_t len = 0;
  mklink__reparse *r = malloc(sizeof *r);
  DWORD ret;
  HANDLE h;
  BOOL ok;
  if (w32_really_creates(MKLINK_JUNCTION))
    w32_skip(ctx, "the system really creates junctions");
  if (w32_caps()->emulator[0] == '\0')
    w32_skip(ctx, "not under Wine");
  assert_non_null(r);
  assert_int_equal(mklink__reparse_make_junction((const uint16_t *)(subst + 4), 4, r), 0);
  assert_int_equal(mklink__reparse_encode(r, buf, sizeof buf, &len), 0);
  free(r);
  w32_mkdir("j");
  h = CreateFileW(L"j", GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                  FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT, NULL);
  assert_true(h != INVALID_HANDLE_VALUE);
  ok = DeviceIoControl(h, FSCTL_SET_REPARSE_POINT, buf, (DWORD)len, NULL, 0, &ret, NULL);
  assert_false(ok);
  assert_int_equal(GetLastError(), ERROR_NOT_SUPPORTED);
  CloseHandle(h);
}

/* ---- 2. never a link's target ------------------------------------------ */

/* The tree of issue 10: links inside it to what lies outside it. */
static void make_linked_tree(void) {
  char *text;
  w32_mkdir("T");
  w32_mkdir("T\\sub");
  w32_mkdir("keep");
  w32_mkdir("empty");
  w32_write("outside.txt", "precious");
  w32_write("keep\\k", "k");
  w32_write("T\\own.txt", "mine");
  unix_link("../outside.txt", "T\\f-link");
  unix_link("../keep", "T\\d-link");
  unix_link("../empty", "T\\e-link");
  unix_link("nowhere", "T\\dangling");
  unix_link("../../outside.txt", "T\\sub\\f2");
  text = junction_text("keep");
  unix_link(text, "T\\sub\\j");
  free(text);
}

static void assert_outside_intact(void) {
  assert_file("outside.txt", "precious");
  assert_file("keep\\k", "k");
  assert_true(w32_attrs("empty") == FILE_ATTRIBUTE_DIRECTORY);
  assert_int_equal(w32_unix_is_link("keep"), 0);
}

W32_TEST(remove_tree_never_deletes_link_targets, W32_REAL) {
  W32_REQUIRE_TREE_SANDBOX(ctx);
  W32_NEED_UNIX(ctx);
  make_linked_tree();
  assert_int_equal(mklink_remove_tree("T"), 0);
  assert_gone("T");
  assert_outside_intact();
  assert_int_equal(w32_entries(), 3);
}

W32_TEST(remove_tree_of_a_link_removes_the_link, W32_REAL) {
  W32_REQUIRE_TREE_SANDBOX(ctx);
  W32_NEED_UNIX(ctx);
  w32_mkdir("keep");
  w32_write("keep\\k", "k");
  w32_write("t", "data");
  assert_true(CreateHardLinkW(L"t2", L"t", NULL));
  unix_link("keep", "dl");
  unix_link("t", "fl");
  unix_link("gone", "dangling");
  assert_int_equal(mklink_remove_tree("dl"), 0);
  assert_int_equal(mklink_remove_tree("fl\\"), 0);
  assert_int_equal(mklink_remove_tree("dangling"), 0);
  assert_gone("dl");
  assert_gone("fl");
  assert_gone("dangling");
  assert_file("keep\\k", "k");
  assert_file("t", "data");
  assert_int_equal(nlink_of("t"), 2);
}

/* The primitives manifests (--force, --backup, undo) and moves remove a
   file or an empty directory with: a Unix link there goes as the link, its
   target stays (before, DeleteFileW deleted the target file and
   RemoveDirectoryW the empty target directory). */
W32_TEST(remove_file_and_dir_of_unix_links_keep_targets, W32_REAL) {
  W32_REQUIRE_TREE_SANDBOX(ctx);
  W32_NEED_UNIX(ctx);
  w32_write("t", "data");
  w32_mkdir("e");
  unix_link("t", "fl");
  unix_link("e", "dl");
  unix_link("e", "dl2");
  unix_link("nowhere", "dangling");
  assert_int_equal(mklink__remove_file("fl"), 0);
  assert_gone("fl");
  assert_file("t", "data");
  assert_int_equal(mklink__remove_dir("dl"), 0);
  assert_gone("dl");
  assert_int_equal(mklink__remove_file("dl2"), 0);
  assert_gone("dl2");
  assert_true(w32_attrs("e") == FILE_ATTRIBUTE_DIRECTORY);
  assert_int_equal(mklink__remove_file("dangling"), 0);
  assert_gone("dangling");
  /* What is no link is removed as before. */
  assert_int_equal(mklink__remove_file("t"), 0);
  assert_false(w32_exists("t"));
  assert_int_equal(mklink__remove_dir("e"), 0);
  assert_false(w32_exists("e"));
  assert_int_equal(mklink__remove_file("t"), MKLINK_ENOFILE);
  assert_int_equal(w32_entries(), 0);
}

W32_TEST(remove_symlink_to_file_with_two_names, W32_REAL) {
  mklink_info info;
  W32_NEED_UNIX(ctx);
  w32_write("data.txt", "d");
  assert_true(CreateHardLinkW(L"backup.txt", L"data.txt", NULL));
  unix_link("data.txt", "alias.txt");
  assert_int_equal(mklink_query("alias.txt", &info), 0);
  assert_int_equal(info.kind, MKLINK_FILE_SYMLINK); /* not a "hard link" */
  mklink_info_free(&info);
  assert_int_equal(mklink_remove("alias.txt"), 0);
  assert_gone("alias.txt");
  assert_file("data.txt", "d");
  assert_int_equal(nlink_of("data.txt"), 2);
}

W32_TEST(remove_unix_links_of_every_kind, W32_REAL) {
  char *text;
  W32_NEED_UNIX(ctx);
  w32_mkdir("d");
  w32_mkdir("e");
  w32_write("d\\f", "in d");
  unix_link("d", "dl");
  unix_link("e", "el"); /* RemoveDirectoryW would remove e */
  unix_link("missing", "dangling");
  text = junction_text("d");
  unix_link(text, "j");
  free(text);
  assert_int_equal(mklink_remove("dl\\"), MKLINK_EISDIR); /* its content: refused */
  assert_int_equal(mklink_remove("dl"), 0);
  assert_int_equal(mklink_remove("el"), 0);
  assert_int_equal(mklink_remove("dangling"), 0);
  assert_int_equal(mklink_remove("j"), 0);
  assert_gone("dl");
  assert_gone("el");
  assert_gone("dangling");
  assert_gone("j");
  assert_file("d\\f", "in d");
  assert_true(w32_attrs("e") == FILE_ATTRIBUTE_DIRECTORY);
  assert_int_equal(w32_entries(), 2);
}

W32_TEST(replace_unix_link_keeps_its_target, W32_REAL) {
  DWORD v1, v2, n1, n2;
  ULONGLONG i1, i2;
  W32_NEED_UNIX(ctx);
  w32_mkdir("d");
  w32_write("d\\f", "in d");
  w32_write("data.txt", "d");
  assert_true(CreateHardLinkW(L"backup.txt", L"data.txt", NULL));
  w32_write("new.txt", "n");
  unix_link("d", "dl");
  unix_link("data.txt", "fl");
  /* MoveFileExW would have renamed d and data.txt themselves */
  assert_int_equal(mklink_create("dl", "new.txt", MKLINK_HARDLINK, MKLINK_REPLACE), 0);
  assert_int_equal(mklink_create("fl", "new.txt", MKLINK_HARDLINK, MKLINK_REPLACE), 0);
  assert_int_equal(w32_unix_is_link("dl"), 0);
  assert_int_equal(w32_file_id("dl", &v1, &i1, &n1), 0);
  assert_int_equal(w32_file_id("new.txt", &v2, &i2, &n2), 0);
  assert_true(i1 == i2);
  assert_int_equal(n2, 3);
  assert_file("d\\f", "in d");
  assert_file("data.txt", "d");
  assert_int_equal(nlink_of("data.txt"), 2);
  assert_int_equal(w32_entries(), 6);
}

/* ---- the same, as the command runs them (issue 10's reproductions) ------ */

/* The Windows path of the program named by environment variable VAR (a
   Unix path set by ctest), malloc'ed; skips the test if it is not set. */
static wchar_t *program(w32_ctx *ctx, const char *var) {
  typedef WCHAR *(CDECL * dos_fn)(LPCSTR);
  dos_fn dos = (dos_fn)(void (*)(void))GetProcAddress(GetModuleHandleW(L"kernel32.dll"),
                                                     "wine_get_dos_file_name");
  const char *unix_path = getenv(var);
  WCHAR *w;
  wchar_t *copy;
  if (unix_path == NULL || dos == NULL)
    w32_skip(ctx, "the program to run is not named (MKLINK_EXE, MKLINK_PLAIN_CLIENT: set by ctest)");
  w = dos(unix_path);
  assert_non_null(w);
  copy = _wcsdup(w);
  HeapFree(GetProcessHeap(), 0, w);
  assert_non_null(copy);
  return copy;
}

/* Run the command line CMD (a second Windows process) in the test's
   directory, its stdout into file OUT (NULL: inherited): its exit code. */
static DWORD run_to(const wchar_t *cmd, const wchar_t *out) {
  SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
  STARTUPINFOW si;
  PROCESS_INFORMATION pi;
  HANDLE h = INVALID_HANDLE_VALUE;
  wchar_t line[4096];
  DWORD code = 99;
  wcsncpy(line, cmd, 4095);
  line[4095] = L'\0';
  memset(&si, 0, sizeof si);
  si.cb = sizeof si;
  if (out != NULL) {
    h = CreateFileW(out, GENERIC_WRITE, FILE_SHARE_READ, &sa, CREATE_ALWAYS, 0, NULL);
    assert_true(h != INVALID_HANDLE_VALUE);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdOutput = h;
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
  }
  assert_true(CreateProcessW(NULL, line, NULL, NULL, out != NULL, 0, NULL, NULL, &si, &pi));
  WaitForSingleObject(pi.hProcess, INFINITE);
  assert_true(GetExitCodeProcess(pi.hProcess, &code));
  CloseHandle(pi.hProcess);
  CloseHandle(pi.hThread);
  if (h != INVALID_HANDLE_VALUE)
    CloseHandle(h);
  return code;
}

static DWORD run(const wchar_t *cmd) { return run_to(cmd, NULL); }

/* Run `mklink.exe ARGS` (the build's), its stdout into OUT (or NULL). */
static DWORD run_mklink_to(w32_ctx *ctx, const wchar_t *args, const wchar_t *out) {
  wchar_t cmd[4096], *exe = program(ctx, "MKLINK_EXE");
  swprintf(cmd, 4096, L"\"%ls\" %ls", exe, args);
  free(exe);
  return run_to(cmd, out);
}

static DWORD run_mklink(w32_ctx *ctx, const wchar_t *args) {
  return run_mklink_to(ctx, args, NULL);
}

/* Run the plain Windows client (win32_plain_client.c) with ARGS. */
static DWORD run_client(w32_ctx *ctx, const wchar_t *args) {
  wchar_t cmd[4096], *exe = program(ctx, "MKLINK_PLAIN_CLIENT");
  swprintf(cmd, 4096, L"\"%ls\" %ls", exe, args);
  free(exe);
  return run(cmd);
}

W32_TEST(cli_delete_recursive_keeps_link_targets, W32_REAL) {
  W32_REQUIRE_TREE_SANDBOX(ctx);
  W32_NEED_UNIX(ctx);
  make_linked_tree();
  assert_int_equal(run_mklink(ctx, L"--delete --recursive T"), 0);
  assert_gone("T");
  assert_outside_intact();
}

W32_TEST(cli_delete_symlink_keeps_data, W32_REAL) {
  W32_NEED_UNIX(ctx);
  w32_write("data.txt", "d");
  assert_true(CreateHardLinkW(L"backup.txt", L"data.txt", NULL));
  unix_link("data.txt", "alias.txt");
  assert_int_equal(run_mklink(ctx, L"--delete alias.txt"), 0);
  assert_gone("alias.txt");
  assert_file("data.txt", "d");
  assert_file("backup.txt", "d");
}

/* Names ending in a dot or a space (issue 10.3): legal through \\?\, and
   made here from Linux, as any Linux program makes them; Win32 path parsing
   would strip the dot or the space. */
static char *unix_child(const char *dir, const char *name) {
  char *u = w32_unix_path(dir), *p;
  assert_non_null(u);
  p = malloc(strlen(u) + strlen(name) + 2);
  assert_non_null(p);
  sprintf(p, "%s/%s", u, name);
  free(u);
  return p;
}

static void unix_mkdir(const char *dir, const char *name) {
  char *p = unix_child(dir, name);
  assert_int_equal(w32_linux(83 /* mkdir */, (intptr_t)p, 0755, 0), 0);
  free(p);
}

static void unix_file(const char *dir, const char *name) {
  char *p = unix_child(dir, name);
  intptr_t fd = w32_linux(2 /* open */, (intptr_t)p, 0101 /* O_WRONLY|O_CREAT */, 0644);
  assert_true(fd >= 0);
  w32_linux(3 /* close */, fd, 0, 0);
  free(p);
}

static void unix_symlink_in(const char *dir, const char *name, const char *text) {
  char *p = unix_child(dir, name);
  assert_int_equal(w32_linux(88 /* symlink */, (intptr_t)text, (intptr_t)p, 0), 0);
  free(p);
}

W32_TEST(cli_names_ending_in_dot_or_space, W32_REAL) {
  char listing[2048];
  W32_REQUIRE_TREE_SANDBOX(ctx);
  W32_NEED_UNIX(ctx);
  w32_mkdir("T");
  w32_write("outside.txt", "precious");
  unix_mkdir("T", "d.");
  unix_mkdir("T", "s ");
  unix_file("T", "x.");
  unix_file("T", "s /y "); /* through Win32, "T\s " would be "T\s" */
  unix_symlink_in("T", "f.", "../outside.txt");
  unix_symlink_in("T", "d./gone ", "nowhere");
  unix_mkdir("T", "d./e.");
  assert_int_equal(run_mklink_to(ctx, L"--list --recursive --targets T", L"listing.txt"), 0);
  assert_int_equal(w32_unix_read("listing.txt", listing, sizeof listing), 0);
  assert_non_null(strstr(listing, "<SYMLINK>      T\\f. [..\\outside.txt]\r\n"));
  assert_non_null(strstr(listing, "<SYMLINK>      T\\d.\\gone  [nowhere] (broken)\r\n"));
  /* --broken exits 1 when it finds one */
  assert_int_equal(run_mklink_to(ctx, L"--list --recursive --broken T", L"listing.txt"), 1);
  assert_int_equal(w32_unix_read("listing.txt", listing, sizeof listing), 0);
  assert_non_null(strstr(listing, "T\\d.\\gone  [nowhere]"));
  assert_null(strstr(listing, "T\\f."));
  assert_int_equal(run_mklink(ctx, L"--delete --recursive T"), 0);
  assert_gone("T");
  assert_file("outside.txt", "precious");
}

W32_TEST(remove_tree_link_under_a_shortened_name, W32_REAL) {
  /* Wine lists a Unix name Windows cannot hold ("x:y") under a made-up
     short name, as a plain file when it is a link to one: found on the Unix
     side all the same, and removed as the link (DeleteFileW would have
     deleted outside.txt). */
  W32_REQUIRE_TREE_SANDBOX(ctx);
  W32_NEED_UNIX(ctx);
  w32_mkdir("T");
  w32_write("outside.txt", "precious");
  w32_write("T\\own.txt", "mine");
  unix_symlink_in("T", "x:y", "../outside.txt");
  unix_symlink_in("T", "a*b", "../outside.txt");
  assert_int_equal(mklink_remove_tree("T"), 0);
  assert_gone("T");
  assert_file("outside.txt", "precious");
}

/* ---- staged answers (expect_<call>) ------------------------------------ */

static void expect_linux_syscall_trapped(intptr_t answer) {
  w32_expect_linux_syscall_trapped(answer);
}

static intptr_t linux_foreign(intptr_t nr, intptr_t a1, intptr_t a2, intptr_t a3, intptr_t a4,
                              intptr_t a5) {
  if (nr == 63) { /* uname: another machine */
    char *uts = (char *)a1;
    strcpy(uts, "Linux");
    strcpy(uts + 4 * 65, "aarch64");
    return 0;
  }
  return ((mklink__linux_syscall_fn)mklink_default_syscall("linux_syscall"))(nr, a1, a2, a3,
                                                                             a4, a5);
}

/* uname answers another architecture (the numbers would mean other calls). */
static void expect_linux_syscall_foreign(void) {
  assert_int_equal(mklink_set_syscall("linux_syscall", (mklink_syscall_ptr)linux_foreign), 0);
}

static FARPROC WINAPI without_unix_name(HMODULE m, LPCSTR name) {
  if (strcmp(name, "wine_get_unix_file_name") == 0)
    return NULL;
  return GetProcAddress(m, name);
}

/* Wine without wine_get_unix_file_name. */
static void expect_GetProcAddress_without_unix_name(void) {
  assert_int_equal(mklink_set_syscall("GetProcAddress", (mklink_syscall_ptr)without_unix_name),
                   0);
}

static void CDECL host_darwin(const char **sysname, const char **release) {
  *sysname = "Darwin";
  *release = "23.0";
}

static FARPROC WINAPI on_darwin(HMODULE m, LPCSTR name) {
  if (strcmp(name, "wine_get_host_version") == 0)
    return (FARPROC)(void (*)(void))host_darwin;
  return GetProcAddress(m, name);
}

/* Wine on macOS. */
static void expect_GetProcAddress_on_darwin(void) {
  assert_int_equal(mklink_set_syscall("GetProcAddress", (mklink_syscall_ptr)on_darwin), 0);
}

/* ---- 3. the bridge: links every Windows program under Wine uses --------- */

#define W32_NEED_BRIDGE(ctx, kind)                                              \
  do {                                                                          \
    if (!w32_bridges(kind))                                                     \
      w32_skip(ctx, w32_really_creates(kind)                                    \
                        ? "no Wine bridge: this system creates the kind itself" \
                        : "no Wine bridge here (not under Wine, or not proven)"); \
  } while (0)

W32_TEST(cmd_writes_through_junction, W32_BRIDGE) {
  char text[64];
  W32_NEED_BRIDGE(ctx, MKLINK_JUNCTION);
  w32_mkdir("target");
  assert_int_equal(run_mklink(ctx, L"/J link target"), 0);
  assert_int_equal(w32_unix_is_link("link"), 1);
  /* cmd, another Windows program, writes through the junction */
  assert_int_equal(run(L"cmd /c echo x> link\\f.txt"), 0);
  assert_int_equal(w32_unix_read("target\\f.txt", text, sizeof text), 0);
  assert_string_equal(text, "x\r\n"); /* as Linux reads it, in the target */
  assert_int_equal(run_mklink(ctx, L"--delete link"), 0);
  assert_gone("link");
  assert_int_equal(w32_unix_read("target\\f.txt", text, sizeof text), 0);
  assert_string_equal(text, "x\r\n");
  assert_int_equal(w32_entries(), 1);
}

W32_TEST(cli_tree_of_bridged_links, W32_BRIDGE) {
  /* Links mklink.exe made (junction, /D, default) inside a tree: --list
     shows them, --delete --recursive removes them as links. */
  char listing[1024];
  W32_REQUIRE_TREE_SANDBOX(ctx);
  W32_NEED_BRIDGE(ctx, MKLINK_JUNCTION);
  W32_NEED_BRIDGE(ctx, MKLINK_DIR_SYMLINK);
  w32_mkdir("T");
  w32_mkdir("keep");
  w32_write("keep\\k", "k");
  w32_write("outside.txt", "precious");
  assert_int_equal(run_mklink(ctx, L"/J T\\j keep"), 0);
  assert_int_equal(run_mklink(ctx, L"/D T\\d ..\\keep"), 0);
  assert_int_equal(run_mklink(ctx, L"T\\f ..\\outside.txt"), 0);
  assert_int_equal(run_mklink(ctx, L"T\\gone ..\\nowhere"), 0);
  assert_int_equal(run_mklink_to(ctx, L"--list --recursive --targets T", L"listing.txt"), 0);
  assert_int_equal(w32_unix_read("listing.txt", listing, sizeof listing), 0);
  assert_non_null(strstr(listing, "<JUNCTION>     T\\j ["));
  assert_non_null(strstr(listing, "<SYMLINKD>     T\\d [..\\keep]\r\n"));
  assert_non_null(strstr(listing, "<SYMLINK>      T\\f [..\\outside.txt]\r\n"));
  assert_non_null(strstr(listing, "<SYMLINK>      T\\gone [..\\nowhere] (broken)\r\n"));
  assert_int_equal(run_mklink(ctx, L"--delete --recursive T"), 0);
  assert_gone("T");
  assert_file("keep\\k", "k");
  assert_file("outside.txt", "precious");
}

W32_TEST(plain_program_uses_bridged_links, W32_BRIDGE) {
  char text[256];
  W32_NEED_BRIDGE(ctx, MKLINK_JUNCTION);
  W32_NEED_BRIDGE(ctx, MKLINK_DIR_SYMLINK);
  w32_mkdir("target");
  w32_write("target\\old.txt", "o");
  assert_int_equal(mklink_create("j", "target", MKLINK_JUNCTION, 0), 0);
  assert_int_equal(mklink_create("d", "target", MKLINK_DIR_SYMLINK, 0), 0);
  assert_int_equal(mklink_create("f.txt", "target\\old.txt", MKLINK_FILE_SYMLINK, 0), 0);
  assert_int_equal(run_client(ctx, L"write j\\via-j.txt one"), 0);
  assert_int_equal(run_client(ctx, L"write d\\via-d.txt two"), 0);
  assert_int_equal(run_client(ctx, L"write f.txt three"), 0); /* into old.txt */
  assert_int_equal(w32_unix_read("target\\via-j.txt", text, sizeof text), 0);
  assert_string_equal(text, "one");
  assert_int_equal(w32_unix_read("target\\via-d.txt", text, sizeof text), 0);
  assert_string_equal(text, "two");
  assert_int_equal(w32_unix_read("target\\old.txt", text, sizeof text), 0);
  assert_string_equal(text, "three");
  assert_int_equal(w32_unix_is_link("f.txt"), 1);
  assert_int_equal(run_client(ctx, L"list j listing.txt"), 0);
  assert_int_equal(w32_unix_read("listing.txt", text, sizeof text), 0);
  assert_true(strstr(text, "via-j.txt\n") != NULL && strstr(text, "via-d.txt\n") != NULL &&
              strstr(text, "old.txt\n") != NULL);
  assert_int_equal(mklink_remove("j"), 0);
  assert_int_equal(mklink_remove("d"), 0);
  assert_int_equal(mklink_remove("f.txt"), 0);
  assert_int_equal(w32_unix_read("target\\old.txt", text, sizeof text), 0);
  assert_string_equal(text, "three");
  assert_int_equal(w32_entries(), 2); /* target, listing.txt */
}

W32_TEST(posix_made_links_read_alike, W32_BRIDGE) {
  /* Links as the POSIX backend (or `ln -s`) writes them, read under Wine. */
  mklink_info info;
  char *text, *full;
  W32_NEED_BRIDGE(ctx, MKLINK_JUNCTION);
  w32_mkdir("d");
  text = junction_text("d");
  unix_link(text, "j");
  free(text);
  unix_link("../d", "rel");
  text = w32_unix_path("d");
  unix_link(text, "abs");
  free(text);
  full = w32_full("d");
  assert_int_equal(mklink_query("j", &info), 0);
  assert_int_equal(info.kind, MKLINK_JUNCTION);
  assert_string_equal(info.target, full); /* Windows form: X:\... */
  assert_string_equal(info.resolved, full);
  mklink_info_free(&info);
  assert_int_equal(mklink_query("rel", &info), 0);
  assert_int_equal(info.kind, MKLINK_FILE_SYMLINK); /* dangling: no /D to tell */
  assert_string_equal(info.target, "..\\d");
  assert_int_equal(info.target_exists, 0); /* ../d from here: not there */
  mklink_info_free(&info);
  assert_int_equal(mklink_query("abs", &info), 0);
  assert_int_equal(info.kind, MKLINK_DIR_SYMLINK);
  assert_string_equal(info.target, full);
  assert_int_equal(info.target_exists, 1);
  mklink_info_free(&info);
  free(full);
}

W32_TEST(bridged_links_are_posix_links, W32_BRIDGE) {
  /* What the bridge makes, Linux reads as the POSIX backend wrote it. */
  char text[1024], *want;
  W32_NEED_BRIDGE(ctx, MKLINK_JUNCTION);
  W32_NEED_BRIDGE(ctx, MKLINK_FILE_SYMLINK);
  w32_mkdir("sub");
  w32_mkdir("data");
  assert_int_equal(mklink_create("sub\\rel", "..\\data", MKLINK_DIR_SYMLINK, 0), 0);
  assert_int_equal(mklink_create("j", "sub\\..\\data\\", MKLINK_JUNCTION, 0), 0);
  assert_int_equal(mklink_create("sub\\r2", ctx->dir, MKLINK_FILE_SYMLINK, MKLINK_RELATIVE), 0);
  assert_int_equal(w32_unix_readlink("sub\\rel", text, sizeof text), 0);
  assert_string_equal(text, "../data");
  assert_int_equal(w32_unix_readlink("sub\\r2", text, sizeof text), 0);
  assert_string_equal(text, "..");
  assert_int_equal(w32_unix_readlink("j", text, sizeof text), 0);
  want = junction_text("data");
  assert_string_equal(text, want); /* "/./ABS": absolute, normalised */
  free(want);
}

W32_TEST(replace_bridged_link_is_one_rename, W32_BRIDGE) {
  /* MKLINK_REPLACE over a bridged directory link: rename(2), so LINK is
     never missing -- where Windows itself needs two renames. */
  char text[1024];
  W32_NEED_BRIDGE(ctx, MKLINK_JUNCTION);
  w32_mkdir("d1");
  w32_mkdir("d2");
  assert_int_equal(mklink_create("j", "d1", MKLINK_JUNCTION, 0), 0);
  assert_int_equal(mklink_create("j", "d2", MKLINK_JUNCTION, MKLINK_REPLACE), 0);
  assert_int_equal(w32_unix_readlink("j", text, sizeof text), 0);
  assert_true(strlen(text) > 3 && strcmp(text + strlen(text) - 3, "/d2") == 0);
  assert_int_equal(w32_entries(), 3); /* no temporary name left */
  assert_int_equal(mklink_create("j", "d1", MKLINK_DIR_SYMLINK, MKLINK_REPLACE), 0);
  assert_int_equal(w32_unix_readlink("j", text, sizeof text), 0);
  assert_string_equal(text, "d1");
  assert_int_equal(w32_entries(), 3);
}

/* The proof failed: no kind is bridged, and creating one fails honestly. */
static void assert_bridge_unused(void) {
  mklink_caps caps;
  assert_int_equal(mklink_capabilities(".", &caps), 0);
  assert_int_equal(caps.bridged, 0);
  assert_int_equal(caps.real & (MKLINK_KIND_BIT(MKLINK_FILE_SYMLINK) |
                                MKLINK_KIND_BIT(MKLINK_DIR_SYMLINK) |
                                MKLINK_KIND_BIT(MKLINK_JUNCTION)), 0);
  assert_int_equal(mklink_create("l", "t", MKLINK_FILE_SYMLINK, 0), MKLINK_ENOTCREATED);
  assert_int_equal(mklink_create("dl", "t", MKLINK_DIR_SYMLINK, 0), MKLINK_ENOTCREATED);
  assert_int_equal(mklink_create("j", "t", MKLINK_JUNCTION, 0), MKLINK_ENOTSUP);
  mklink_set_syscall(NULL, NULL);
  assert_int_equal(w32_entries(), 1); /* t alone: nothing made, nothing left */
}

W32_TEST(bridge_unused_when_system_calls_trapped, W32_MODEL) {
  W32_NEED_BRIDGE(ctx, MKLINK_FILE_SYMLINK);
  w32_write("t", "x");
  expect_linux_syscall_trapped(-38);
  assert_bridge_unused();
}

W32_TEST(bridge_unused_when_trap_answers_success, W32_MODEL) {
  W32_NEED_BRIDGE(ctx, MKLINK_FILE_SYMLINK);
  w32_write("t", "x");
  expect_linux_syscall_trapped(0);
  assert_bridge_unused();
}

W32_TEST(bridge_unused_on_another_host, W32_MODEL) {
  W32_NEED_BRIDGE(ctx, MKLINK_FILE_SYMLINK);
  w32_write("t", "x");
  expect_GetProcAddress_on_darwin();
  assert_bridge_unused();
}

W32_TEST(bridge_unused_on_another_architecture, W32_MODEL) {
  W32_NEED_BRIDGE(ctx, MKLINK_FILE_SYMLINK);
  w32_write("t", "x");
  expect_linux_syscall_foreign();
  assert_bridge_unused();
}

static intptr_t symlink_refused(intptr_t nr, intptr_t a1, intptr_t a2, intptr_t a3,
                                intptr_t a4, intptr_t a5) {
  if (nr == 88) /* symlink */
    return -13; /* EACCES */
  return ((mklink__linux_syscall_fn)mklink_default_syscall("linux_syscall"))(nr, a1, a2, a3,
                                                                             a4, a5);
}

static intptr_t symlink_unsupported(intptr_t nr, intptr_t a1, intptr_t a2, intptr_t a3,
                                    intptr_t a4, intptr_t a5) {
  if (nr == 88) /* symlink, on a file system without symbolic links (FAT) */
    return -1;  /* EPERM */
  return ((mklink__linux_syscall_fn)mklink_default_syscall("linux_syscall"))(nr, a1, a2, a3,
                                                                             a4, a5);
}

static intptr_t symlink_lies(intptr_t nr, intptr_t a1, intptr_t a2, intptr_t a3, intptr_t a4,
                             intptr_t a5) {
  if (nr == 88) /* symlink: says yes, makes nothing */
    return 0;
  return ((mklink__linux_syscall_fn)mklink_default_syscall("linux_syscall"))(nr, a1, a2, a3,
                                                                             a4, a5);
}

W32_TEST(bridge_errors_and_false_success, W32_MODEL) {
  W32_NEED_BRIDGE(ctx, MKLINK_FILE_SYMLINK);
  w32_write("t", "x");
  assert_int_equal(mklink_set_syscall("linux_syscall", (mklink_syscall_ptr)symlink_refused), 0);
  assert_int_equal(mklink_create("l", "t", MKLINK_FILE_SYMLINK, 0), MKLINK_EACCES);
  /* no symbolic links on this file system either: the system's own answer */
  assert_int_equal(mklink_set_syscall("linux_syscall", (mklink_syscall_ptr)symlink_unsupported), 0);
  assert_int_equal(mklink_create("l", "t", MKLINK_FILE_SYMLINK, 0), MKLINK_ENOTCREATED);
  assert_int_equal(mklink_create("j", "t", MKLINK_JUNCTION, 0), MKLINK_ENOTSUP);
  assert_int_equal(mklink_set_syscall("linux_syscall", (mklink_syscall_ptr)symlink_lies), 0);
  assert_int_equal(mklink_create("l", "t", MKLINK_FILE_SYMLINK, 0), MKLINK_ENOTCREATED);
  assert_int_equal(mklink_create("j", "t", MKLINK_JUNCTION, 0), MKLINK_ENOTCREATED);
  mklink_set_syscall(NULL, NULL);
  assert_int_equal(w32_entries(), 1);
}

/* The rename manifests (--backup, set-aside) and moves use: a Unix link is
   renamed as the link, its target stays at its name, and an existing name
   (a dangling link too, which Win32 does not see) is not replaced (before,
   MoveFileExW renamed the target: fact_move_file_moves_target). */
W32_TEST(rename_new_of_unix_links_renames_the_links, W32_REAL) {
  char text[64];
  W32_REQUIRE_TREE_SANDBOX(ctx);
  W32_NEED_UNIX(ctx);
  w32_write("t", "data");
  w32_mkdir("d");
  w32_write("d\\f", "keep");
  w32_write("x", "other");
  unix_link("t", "l");
  unix_link("d", "dl");
  unix_link("gone", "dangling");
  assert_int_equal(mklink__rename_new("l", "m"), 0);
  assert_int_equal(mklink__rename_new("dl", "dm"), 0);
  assert_gone("l");
  assert_gone("dl");
  assert_int_equal(w32_unix_readlink("m", text, sizeof text), 0);
  assert_string_equal(text, "t");
  assert_int_equal(w32_unix_readlink("dm", text, sizeof text), 0);
  assert_string_equal(text, "d");
  assert_file("t", "data");
  assert_file("d\\f", "keep");
  assert_true(w32_attrs("d") == FILE_ATTRIBUTE_DIRECTORY);
  /* never over an existing name */
  assert_int_equal(mklink__rename_new("m", "x"), MKLINK_EEXIST);
  assert_int_equal(mklink__rename_new("m", "dangling"), MKLINK_EEXIST);
  assert_int_equal(mklink__rename_new("dangling", "dm"), MKLINK_EEXIST);
  assert_int_equal(w32_unix_is_link("m"), 1);
  assert_int_equal(w32_unix_is_link("dangling"), 1);
  assert_int_equal(w32_unix_is_link("dm"), 1);
  assert_file("x", "other");
  /* a dangling link is renamed too, a plain file still the Win32 way */
  assert_int_equal(mklink__rename_new("dangling", "gone2"), 0);
  assert_gone("dangling");
  assert_int_equal(w32_unix_is_link("gone2"), 1);
  assert_int_equal(mklink__rename_new("x", "y"), 0);
  assert_file("y", "other");
  assert_int_equal(w32_entries(), 6);
}

/* ---- 4. blind: the proof fails, nothing is deleted on a guess ----------- */

/* Under a blind side: a Unix link to a file with two names and a real
   second name look alike; neither is removed. */
static void assert_blind_refusals(void) {
  assert_int_equal(mklink_remove("alias.txt"), MKLINK_ENOTSUP);
  assert_int_equal(mklink_remove("backup.txt"), MKLINK_ENOTSUP);
  mklink_set_syscall(NULL, NULL);
  assert_int_equal(w32_unix_is_link("alias.txt"), 1);
  assert_file("data.txt", "d");
  assert_file("backup.txt", "d");
  assert_int_equal(nlink_of("data.txt"), 2);
}

static void blind_setup(w32_ctx *ctx) {
  W32_NEED_UNIX(ctx); /* to stage the Unix link at all */
  w32_write("data.txt", "d");
  assert_true(CreateHardLinkW(L"backup.txt", L"data.txt", NULL));
  unix_link("data.txt", "alias.txt");
}

W32_TEST(blind_when_system_calls_are_trapped, W32_MODEL) {
  blind_setup(ctx);
  expect_linux_syscall_trapped(-38);
  assert_blind_refusals();
}

W32_TEST(blind_when_trap_answers_success, W32_MODEL) {
  blind_setup(ctx);
  expect_linux_syscall_trapped(0); /* STATUS_SUCCESS, nothing written */
  assert_blind_refusals();
}

W32_TEST(blind_on_another_architecture, W32_MODEL) {
  blind_setup(ctx);
  expect_linux_syscall_foreign();
  assert_blind_refusals();
}

W32_TEST(blind_without_unix_file_name, W32_MODEL) {
  blind_setup(ctx);
  expect_GetProcAddress_without_unix_name();
  assert_blind_refusals();
}

W32_TEST(blind_on_another_host, W32_MODEL) {
  blind_setup(ctx);
  expect_GetProcAddress_on_darwin();
  assert_blind_refusals();
}

W32_TEST(blind_remove_tree_refuses, W32_MODEL) {
  W32_REQUIRE_TREE_SANDBOX(ctx);
  W32_NEED_UNIX(ctx);
  make_linked_tree();
  expect_linux_syscall_trapped(-38);
  assert_int_equal(mklink_remove_tree("T"), MKLINK_ENOTSUP);
  mklink_set_syscall(NULL, NULL);
  assert_outside_intact();
  assert_int_equal(w32_unix_is_link("T\\f-link"), 1);
  assert_file("T\\own.txt", "mine");
}

W32_TEST(blind_remove_file_and_dir_refuse, W32_MODEL) {
  W32_REQUIRE_TREE_SANDBOX(ctx);
  blind_setup(ctx);
  w32_mkdir("e");
  unix_link("e", "dl");
  expect_linux_syscall_trapped(-38);
  assert_int_equal(mklink__remove_file("alias.txt"), MKLINK_ENOTSUP);
  assert_int_equal(mklink__remove_file("data.txt"), MKLINK_ENOTSUP);
  assert_int_equal(mklink__remove_dir("dl"), MKLINK_ENOTSUP);
  mklink_set_syscall(NULL, NULL);
  assert_int_equal(w32_unix_is_link("alias.txt"), 1);
  assert_int_equal(w32_unix_is_link("dl"), 1);
  assert_true(w32_attrs("e") == FILE_ATTRIBUTE_DIRECTORY);
  assert_file("data.txt", "d");
  assert_int_equal(nlink_of("data.txt"), 2);
}

W32_TEST(blind_rename_new_refuses, W32_MODEL) {
  W32_REQUIRE_TREE_SANDBOX(ctx);
  blind_setup(ctx);
  w32_mkdir("e");
  unix_link("e", "dl");
  expect_linux_syscall_trapped(-38);
  assert_int_equal(mklink__rename_new("alias.txt", "a2"), MKLINK_ENOTSUP);
  assert_int_equal(mklink__rename_new("data.txt", "d2"), MKLINK_ENOTSUP);
  assert_int_equal(mklink__rename_new("dl", "dl2"), MKLINK_ENOTSUP);
  mklink_set_syscall(NULL, NULL);
  assert_int_equal(w32_unix_is_link("alias.txt"), 1);
  assert_int_equal(w32_unix_is_link("dl"), 1);
  assert_false(w32_exists("a2"));
  assert_false(w32_exists("d2"));
  assert_false(w32_exists("dl2"));
  assert_true(w32_attrs("e") == FILE_ATTRIBUTE_DIRECTORY);
  assert_file("data.txt", "d");
  assert_int_equal(nlink_of("data.txt"), 2);
}

W32_TEST(blind_still_reads, W32_MODEL) {
  mklink_info info;
  blind_setup(ctx);
  expect_linux_syscall_trapped(-38);
  /* What Win32 shows, and nothing more: a second name of a file. */
  assert_int_equal(mklink_query("alias.txt", &info), 0);
  assert_int_equal(info.kind, MKLINK_HARDLINK);
  mklink_info_free(&info);
  assert_int_equal(mklink_query("data.txt", &info), 0);
  assert_int_equal(info.kind, MKLINK_HARDLINK);
  mklink_info_free(&info);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      W32_CASE(fact_syscall_reaches_linux),
      W32_CASE(fact_unix_file_name),
      W32_CASE(fact_dir_symlink_shows_as_unreadable_reparse_point),
      W32_CASE(fact_file_symlink_looks_like_its_target),
      W32_CASE(fact_dangling_symlink_is_invisible),
      W32_CASE(fact_programs_go_through_symlinks),
      W32_CASE(fact_remove_directory_refuses_link_to_full_dir),
      W32_CASE(fact_remove_directory_removes_empty_target),
      W32_CASE(fact_delete_file_deletes_target),
      W32_CASE(fact_move_file_moves_target),
      W32_CASE(fact_create_symbolic_link_creates_nothing),
      W32_CASE(fact_set_reparse_point_not_supported),
      W32_CASE(remove_tree_never_deletes_link_targets),
      W32_CASE(remove_tree_of_a_link_removes_the_link),
      W32_CASE(remove_file_and_dir_of_unix_links_keep_targets),
      W32_CASE(rename_new_of_unix_links_renames_the_links),
      W32_CASE(remove_symlink_to_file_with_two_names),
      W32_CASE(remove_unix_links_of_every_kind),
      W32_CASE(replace_unix_link_keeps_its_target),
      W32_CASE(cli_delete_recursive_keeps_link_targets),
      W32_CASE(cli_delete_symlink_keeps_data),
      W32_CASE(cli_names_ending_in_dot_or_space),
      W32_CASE(remove_tree_link_under_a_shortened_name),
      W32_CASE(cmd_writes_through_junction),
      W32_CASE(cli_tree_of_bridged_links),
      W32_CASE(plain_program_uses_bridged_links),
      W32_CASE(posix_made_links_read_alike),
      W32_CASE(bridged_links_are_posix_links),
      W32_CASE(replace_bridged_link_is_one_rename),
      W32_CASE(bridge_unused_when_system_calls_trapped),
      W32_CASE(bridge_unused_when_trap_answers_success),
      W32_CASE(bridge_unused_on_another_host),
      W32_CASE(bridge_unused_on_another_architecture),
      W32_CASE(bridge_errors_and_false_success),
      W32_CASE(blind_when_system_calls_are_trapped),
      W32_CASE(blind_when_trap_answers_success),
      W32_CASE(blind_on_another_architecture),
      W32_CASE(blind_without_unix_file_name),
      W32_CASE(blind_on_another_host),
      W32_CASE(blind_remove_tree_refuses),
      W32_CASE(blind_remove_file_and_dir_refuse),
      W32_CASE(blind_rename_new_refuses),
      W32_CASE(blind_still_reads),
  };
  w32_start("bridge");
  return w32_finish("bridge", cmocka_run_group_tests_name("win32_bridge", tests, NULL, NULL));
}

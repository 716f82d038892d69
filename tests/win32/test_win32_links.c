/*
 * test_win32_links.c -- the symbolic-link and junction cases of the Windows
 * rows of docs/semantics.md: ONE table, three back ends.  Each row runs
 * against the real system when mklink_capabilities() finds that the
 * system's own calls create that kind here (Windows, or a Wine that
 * implements reparse points), else against the NTFS model (Wine 8); and a
 * second time against the real system through the Wine bridge, where the
 * library makes that kind as Unix symbolic links (Wine before 10.19 on
 * x86_64 Linux) -- a row the bridge cannot pass says why (a Unix link
 * records no /D).  Every check reads the link back independently
 * (link_checks.h), never trusting a success code.
 */
#include "link_checks.h"

#include <stdio.h>

typedef struct link_case {
  const char *name;
  mklink_kind kind; /* the kind whose real support decides the back end */
  void (*run)(w32_ctx *ctx);
  const char *not_bridged; /* why the Wine bridge cannot pass it, or NULL */
} link_case;

/* One run of a row: the row, and whether it goes through the bridge. */
typedef struct link_run {
  const link_case *row;
  int bridge;
  char name[96];
} link_run;

/* What a Unix symbolic link cannot say. */
static const char *const no_dir_record =
    "a Unix symbolic link records no /D: the bridge reports a directory symlink iff it leads to "
    "a directory, as the POSIX backend does";

/* The model as a typical CI machine: unprivileged, Developer Mode on. */
static const ntfs_model_config table_model = {0, 1, 0, 0, 0};

#define W32_PATH_BUF 4096
static char path_buf[4][W32_PATH_BUF];
/* CTX's directory joined with NAME (up to four live at once). */
static const char *in_dir(const w32_ctx *ctx, const char *name) {
  static int next;
  char *p = path_buf[next++ % 4];
  snprintf(p, W32_PATH_BUF, "%s\\%s", ctx->dir, name);
  return p;
}

/* ---- file symbolic links ------------------------------------------------ */

static void file_symlink_absolute(w32_ctx *ctx) {
  mklink_info info;
  const char *target = in_dir(ctx, "t.txt");
  w32_write("t.txt", "data");
  assert_int_equal(mklink_create("l.txt", target, MKLINK_FILE_SYMLINK, 0), 0);
  assert_symlink(ctx, "l.txt", target, 0, 0);
  assert_int_equal(mklink_query("l.txt", &info), 0);
  assert_int_equal(info.kind, MKLINK_FILE_SYMLINK);
  assert_string_equal(info.target, target);
  assert_string_equal(info.resolved, target);
  assert_int_equal(info.target_exists, 1);
  assert_int_equal(info.target_is_dir, 0);
  assert_int_equal(info.nlink, 1);
  mklink_info_free(&info);
}

static void file_symlink_relative_stays_relative(w32_ctx *ctx) {
  mklink_info info;
  w32_mkdir("sub");
  w32_write("t.txt", "data");
  assert_int_equal(mklink_create("sub\\l", "..\\t.txt", MKLINK_FILE_SYMLINK, 0), 0);
  assert_symlink(ctx, "sub\\l", "..\\t.txt", 1, 0);
  assert_int_equal(mklink_query("sub\\l", &info), 0);
  assert_string_equal(info.target, "..\\t.txt");
  /* resolved against the link's directory, not the current one */
  assert_string_equal(info.resolved, in_dir(ctx, "t.txt"));
  assert_int_equal(info.target_exists, 1);
  mklink_info_free(&info);
}

static void file_symlink_dangling_allowed(w32_ctx *ctx) {
  mklink_info info;
  assert_int_equal(mklink_create("l", "missing.txt", MKLINK_FILE_SYMLINK, 0), 0);
  assert_symlink(ctx, "l", "missing.txt", 1, 0);
  assert_int_equal(mklink_query("l", &info), 0);
  assert_int_equal(info.kind, MKLINK_FILE_SYMLINK);
  assert_int_equal(info.target_exists, 0);
  mklink_info_free(&info);
}

static void symlink_name_differs_in_case(w32_ctx *ctx) {
  w32_write("Name.txt", "keep");
  assert_int_equal(mklink_create("NAME.TXT", "t", MKLINK_FILE_SYMLINK, 0), MKLINK_EEXIST);
  assert_file("Name.txt", "keep");
  assert_int_equal(w32_entries(), 1);
  (void)ctx;
}

static void symlink_require_target(w32_ctx *ctx) {
  assert_int_equal(mklink_create("l", "missing", MKLINK_FILE_SYMLINK, MKLINK_REQUIRE_TARGET),
                   MKLINK_ENOFILE);
  assert_nothing(ctx, "l");
  w32_write("t", "x");
  assert_int_equal(mklink_create("l", "t", MKLINK_FILE_SYMLINK, MKLINK_REQUIRE_TARGET), 0);
  assert_symlink(ctx, "l", "t", 1, 0);
}

static void symlink_relative_flag(w32_ctx *ctx) {
  w32_mkdir("a");
  w32_mkdir("a\\b");
  w32_write("t.txt", "x");
  assert_int_equal(mklink_create("a\\b\\l", in_dir(ctx, "t.txt"), MKLINK_FILE_SYMLINK,
                                 MKLINK_RELATIVE), 0);
  assert_symlink(ctx, "a\\b\\l", "..\\..\\t.txt", 1, 0);
}

/* A trailing separator of TARGET is kept in the relative text, as it is in
   a text stored as given. */
static void symlink_relative_flag_keeps_trailing_separator(w32_ctx *ctx) {
  w32_mkdir("a");
  w32_mkdir("d");
  assert_int_equal(mklink_create("a\\l", "d\\", MKLINK_DIR_SYMLINK, MKLINK_RELATIVE), 0);
  assert_symlink(ctx, "a\\l", "..\\d\\", 1, 1);
}

/* "\\server" is a UNC path, fully qualified (src/common/path.h says why):
   resolved as it is, never against the link's directory or drive. */
static void symlink_to_server_alone(w32_ctx *ctx) {
  mklink_info info;
  w32_mkdir("sub");
  assert_int_equal(mklink_create("sub\\l", "\\\\server", MKLINK_FILE_SYMLINK, 0), 0);
  assert_int_equal(mklink_query("sub\\l", &info), 0);
  assert_string_equal(info.target, "\\\\server");
  assert_string_equal(info.resolved, "\\\\server");
  mklink_info_free(&info);
  (void)ctx;
}

/* Windows resolves a link's ".." lexically, against the path the link was
   named by: LS\\l -> ..\\b is b beside LS, though LS leads to real\\a
   (POSIX goes to real\\b: docs/semantics.md, "Paths"). */
static void symlink_dotdot_is_lexical(w32_ctx *ctx) {
  mklink_info info;
  w32_mkdir("real");
  w32_mkdir("real\\a");
  w32_write("b", "beside LS");
  assert_int_equal(mklink_create("LS", "real\\a", MKLINK_DIR_SYMLINK, 0), 0);
  assert_int_equal(mklink_create("real\\a\\l", "..\\b", MKLINK_FILE_SYMLINK, 0), 0);
  assert_int_equal(mklink_query("LS\\l", &info), 0);
  assert_string_equal(info.target, "..\\b");
  assert_string_equal(info.resolved, in_dir(ctx, "b"));
  mklink_info_free(&info);
}

static void symlink_utf8_names(w32_ctx *ctx) {
  static const wchar_t wname[] = L"l\x00efnk-\x20ac";
  mklink_info info;
  w32_write("t\xc3\xa4rget-\xe2\x82\xac.txt", "x");
  assert_int_equal(mklink_create("l\xc3\xafnk-\xe2\x82\xac", "t\xc3\xa4rget-\xe2\x82\xac.txt",
                                 MKLINK_FILE_SYMLINK, 0), 0);
  assert_true(GetFileAttributesW(wname) != INVALID_FILE_ATTRIBUTES);
  assert_symlink(ctx, "l\xc3\xafnk-\xe2\x82\xac", "t\xc3\xa4rget-\xe2\x82\xac.txt", 1, 0);
  assert_int_equal(mklink_query("l\xc3\xafnk-\xe2\x82\xac", &info), 0);
  assert_string_equal(info.target, "t\xc3\xa4rget-\xe2\x82\xac.txt");
  assert_int_equal(info.target_exists, 1);
  mklink_info_free(&info);
}

static void remove_file_symlink_keeps_target(w32_ctx *ctx) {
  w32_write("t", "data");
  assert_int_equal(mklink_create("l", "t", MKLINK_FILE_SYMLINK, 0), 0);
  assert_int_equal(mklink_remove("l"), 0);
  assert_nothing(ctx, "l");
  assert_file("t", "data");
}

static void replace_file_symlink(w32_ctx *ctx) {
  mklink_info info;
  assert_int_equal(mklink_create("l", "a", MKLINK_FILE_SYMLINK, 0), 0);
  assert_int_equal(mklink_create("l", "b", MKLINK_FILE_SYMLINK, MKLINK_REPLACE), 0);
  assert_symlink(ctx, "l", "b", 1, 0);
  assert_int_equal(mklink_query("l", &info), 0);
  assert_string_equal(info.target, "b");
  mklink_info_free(&info);
  assert_int_equal(w32_entries(), 1); /* no temporary left behind */
}

static void replace_refuses_sole_name(w32_ctx *ctx) {
  w32_write("l", "only copy");
  assert_int_equal(mklink_create("l", "b", MKLINK_FILE_SYMLINK, MKLINK_REPLACE), MKLINK_EEXIST);
  assert_file("l", "only copy");
  assert_int_equal(w32_entries(), 1);
  (void)ctx;
}

/* ---- directory symbolic links ------------------------------------------- */

static void dir_symlink_to_dir(w32_ctx *ctx) {
  mklink_info info;
  w32_mkdir("d");
  w32_write("d\\f", "in d");
  assert_int_equal(mklink_create("l", "d", MKLINK_DIR_SYMLINK, 0), 0);
  assert_symlink(ctx, "l", "d", 1, 1);
  assert_int_equal(mklink_query("l", &info), 0);
  assert_int_equal(info.kind, MKLINK_DIR_SYMLINK);
  assert_int_equal(info.target_exists, 1);
  assert_int_equal(info.target_is_dir, 1);
  assert_string_equal(info.resolved, in_dir(ctx, "d"));
  mklink_info_free(&info);
}

static void dir_symlink_to_file_recorded(w32_ctx *ctx) {
  mklink_info info;
  w32_write("f", "x");
  assert_int_equal(mklink_create("l", "f", MKLINK_DIR_SYMLINK, 0), 0);
  assert_symlink(ctx, "l", "f", 1, 1);
  assert_int_equal(mklink_query("l", &info), 0);
  assert_int_equal(info.kind, MKLINK_DIR_SYMLINK); /* as recorded, not as found */
  mklink_info_free(&info);
}

static void remove_dir_symlink_keeps_target(w32_ctx *ctx) {
  w32_mkdir("d");
  w32_write("d\\f", "in d");
  assert_int_equal(mklink_create("l", "d", MKLINK_DIR_SYMLINK, 0), 0);
  assert_int_equal(mklink_remove("l"), 0);
  assert_nothing(ctx, "l");
  assert_file("d\\f", "in d");
}

static void remove_dir_symlink_trailing_separator(w32_ctx *ctx) {
  w32_mkdir("d");
  w32_write("d\\f", "in d");
  assert_int_equal(mklink_create("l", "d", MKLINK_DIR_SYMLINK, 0), 0);
  assert_int_equal(mklink_remove("l\\"), MKLINK_EISDIR);
  assert_int_equal(mklink_remove("l/"), MKLINK_EISDIR);
  assert_symlink(ctx, "l", "d", 1, 1);
  assert_file("d\\f", "in d");
}

static void replace_dir_symlink(w32_ctx *ctx) {
  w32_mkdir("d1");
  w32_mkdir("d2");
  w32_write("d1\\f", "one");
  assert_int_equal(mklink_create("l", "d1", MKLINK_DIR_SYMLINK, 0), 0);
  assert_int_equal(mklink_create("l", "d2", MKLINK_DIR_SYMLINK, MKLINK_REPLACE), 0);
  assert_symlink(ctx, "l", "d2", 1, 1);
  assert_file("d1\\f", "one");
  assert_int_equal(w32_entries(), 3);
}

static void replace_refuses_real_directory(w32_ctx *ctx) {
  w32_mkdir("l");
  w32_write("l\\f", "keep");
  assert_int_equal(mklink_create("l", "d", MKLINK_DIR_SYMLINK, MKLINK_REPLACE), MKLINK_EEXIST);
  assert_file("l\\f", "keep");
  assert_int_equal(read_link(ctx, "l"), -1);
  assert_int_equal(w32_entries(), 1);
}

/* ---- junctions ---------------------------------------------------------- */

static void junction_to_dir(w32_ctx *ctx) {
  mklink_info info;
  const char *full = in_dir(ctx, "d");
  w32_mkdir("d");
  assert_int_equal(mklink_create("j", "d", MKLINK_JUNCTION, 0), 0);
  assert_junction(ctx, "j", full);
  assert_int_equal(mklink_query("j", &info), 0);
  assert_int_equal(info.kind, MKLINK_JUNCTION);
  assert_string_equal(info.target, full); /* the print name, X:\... */
  assert_string_equal(info.resolved, full);
  assert_int_equal(info.target_exists, 1);
  assert_int_equal(info.target_is_dir, 1);
  mklink_info_free(&info);
}

static void junction_target_made_absolute_lexically(w32_ctx *ctx) {
  w32_mkdir("a");
  assert_int_equal(mklink_create("j", "a\\..\\a\\.\\b\\..", MKLINK_JUNCTION, 0), 0);
  assert_junction(ctx, "j", in_dir(ctx, "a"));
}

static void junction_dangling_allowed(w32_ctx *ctx) {
  mklink_info info;
  assert_int_equal(mklink_create("j", "missing", MKLINK_JUNCTION, 0), 0);
  assert_junction(ctx, "j", in_dir(ctx, "missing"));
  assert_int_equal(mklink_query("j", &info), 0);
  assert_int_equal(info.target_exists, 0);
  mklink_info_free(&info);
}

static void junction_to_file_allowed(w32_ctx *ctx) {
  mklink_info info;
  w32_write("f", "x");
  assert_int_equal(mklink_create("j", "f", MKLINK_JUNCTION, 0), 0);
  assert_junction(ctx, "j", in_dir(ctx, "f"));
  assert_int_equal(mklink_query("j", &info), 0);
  assert_int_equal(info.kind, MKLINK_JUNCTION);
  mklink_info_free(&info);
}

static void junction_unc_refused(w32_ctx *ctx) {
  assert_int_equal(mklink_create("j", "\\\\server\\share\\x", MKLINK_JUNCTION, 0),
                   MKLINK_EREMOTE);
  assert_string_equal(mklink_strerror(MKLINK_EREMOTE),
                      "Local volumes are required to complete the operation.");
  assert_nothing(ctx, "j");
  assert_int_equal(w32_entries(), 0);
}

static void junction_require_target(w32_ctx *ctx) {
  assert_int_equal(mklink_create("j", "missing", MKLINK_JUNCTION, MKLINK_REQUIRE_TARGET),
                   MKLINK_ENOFILE);
  assert_nothing(ctx, "j");
  assert_int_equal(w32_entries(), 0);
}

static void remove_junction_keeps_target(w32_ctx *ctx) {
  w32_mkdir("d");
  w32_write("d\\f", "in d");
  assert_int_equal(mklink_create("j", "d", MKLINK_JUNCTION, 0), 0);
  assert_int_equal(mklink_remove("j"), 0);
  assert_nothing(ctx, "j");
  assert_file("d\\f", "in d");
}

static void replace_junction(w32_ctx *ctx) {
  w32_mkdir("d1");
  w32_mkdir("d2");
  assert_int_equal(mklink_create("j", "d1", MKLINK_JUNCTION, 0), 0);
  assert_int_equal(mklink_create("j", "d2", MKLINK_JUNCTION, MKLINK_REPLACE), 0);
  assert_junction(ctx, "j", in_dir(ctx, "d2"));
  assert_int_equal(w32_entries(), 3);
}

static void replace_junction_by_file_symlink(w32_ctx *ctx) {
  w32_mkdir("d");
  assert_int_equal(mklink_create("j", "d", MKLINK_JUNCTION, 0), 0);
  assert_int_equal(mklink_create("j", "t", MKLINK_FILE_SYMLINK, MKLINK_REPLACE), 0);
  assert_symlink(ctx, "j", "t", 1, 0);
  assert_int_equal(w32_entries(), 2);
}

/* ---- walking ------------------------------------------------------------ */

static void walk_never_enters_junctions(w32_ctx *ctx) {
  static char listing[4096];
  w32_mkdir("a");
  w32_write("a\\f", "x");
  /* a\up leads back to the top: entering it would loop */
  assert_int_equal(mklink_create("a\\up", ".", MKLINK_JUNCTION, 0), 0);
  assert_int_equal(mklink_create("j", "a", MKLINK_JUNCTION, 0), 0);
  assert_int_equal(w32_walk(".", MKLINK_WALK_RECURSIVE, listing, sizeof listing), 0);
  assert_true(w32_listed(listing, "junction .\\a\\up"));
  assert_true(w32_listed(listing, "junction .\\j"));
  assert_int_equal(w32_lines(listing), 2);
  /* not recursive: only the top */
  assert_int_equal(w32_walk(".", 0, listing, sizeof listing), 0);
  assert_string_equal(listing, "junction .\\j\n");
  (void)ctx;
}

static int target_state;
static int record_target(const mklink_walk_entry *e, void *arg) {
  (void)arg;
  assert_int_equal(e->error, 0);
  target_state = e->info->target_checked ? e->info->target_exists * 10 + e->info->target_is_dir
                                         : -11;
  return 0;
}

static void walk_follows_only_when_asked(w32_ctx *ctx) {
  w32_mkdir("sub");
  w32_mkdir("d");
  assert_int_equal(mklink_create("sub\\l", "..\\d", MKLINK_DIR_SYMLINK, 0), 0);
  assert_int_equal(mklink_walk("sub", 0, record_target, NULL), 0);
  assert_int_equal(target_state, -11); /* -1, -1: not looked at */
  assert_int_equal(mklink_walk("sub", MKLINK_WALK_TARGETS, record_target, NULL), 0);
  assert_int_equal(target_state, 11); /* exists, a directory */
  (void)ctx;
}

static void walk_broken_symlinks(w32_ctx *ctx) {
  static char listing[4096];
  w32_write("t", "x");
  w32_mkdir("d");
  assert_int_equal(mklink_create("ok", "t", MKLINK_FILE_SYMLINK, 0), 0);
  assert_int_equal(mklink_create("gone", "missing", MKLINK_FILE_SYMLINK, 0), 0);
  assert_int_equal(mklink_create("d\\dgone", "nowhere", MKLINK_DIR_SYMLINK, 0), 0);
  assert_int_equal(w32_walk(".", MKLINK_WALK_RECURSIVE | MKLINK_WALK_BROKEN, listing,
                            sizeof listing), 0);
  assert_true(w32_listed(listing, "file symlink .\\gone"));
  /* A dangling Unix link cannot say it was made with /D (no_dir_record). */
  assert_true(w32_listed(listing, ctx->backend == W32_BRIDGE ? "file symlink .\\d\\dgone"
                                                             : "directory symlink .\\d\\dgone"));
  assert_int_equal(w32_lines(listing), 2);
  assert_int_equal(w32_walk(".", 0, listing, sizeof listing), 0);
  assert_true(w32_listed(listing, "file symlink .\\ok"));
  assert_int_equal(w32_lines(listing), 2);
  (void)ctx;
}

/* ---- the situations of docs/semantics.md, for each kind ----------------- */

static mklink_kind row_kind(const w32_ctx *ctx) {
  return ((const link_run *)ctx->param)->row->kind;
}

/* PATH is a link of the row's kind to TYPED (junction: TYPED made absolute). */
static void assert_link_to(const w32_ctx *ctx, const char *path, const char *typed) {
  mklink_kind kind = row_kind(ctx);
  char *full;
  if (kind != MKLINK_JUNCTION) {
    wchar_t *w = w32_wide(typed);
    int absolute = (w[0] != L'\0' && w[1] == L':') || (w[0] == L'\\' && w[1] == L'\\');
    free(w);
    assert_symlink(ctx, path, typed, !absolute, kind == MKLINK_DIR_SYMLINK);
    return;
  }
  full = w32_full(typed);
  assert_junction(ctx, path, full);
  free(full);
}

static void link_is_file(w32_ctx *ctx) {
  w32_write("l", "keep");
  assert_int_equal(mklink_create("l", "t", row_kind(ctx), 0), MKLINK_EEXIST);
  assert_file("l", "keep");
  assert_int_equal(read_link(ctx, "l"), -1);
  assert_int_equal(w32_entries(), 1);
}

static void link_is_dir(w32_ctx *ctx) {
  w32_mkdir("l");
  w32_write("l\\f", "keep");
  assert_int_equal(mklink_create("l", "t", row_kind(ctx), 0), MKLINK_EEXIST);
  assert_file("l\\f", "keep");
  assert_int_equal(read_link(ctx, "l"), -1);
  assert_int_equal(w32_entries(), 1);
}

static void link_is_link(w32_ctx *ctx) {
  assert_int_equal(mklink_create("l", "first", row_kind(ctx), 0), 0);
  assert_int_equal(mklink_create("l", "second", row_kind(ctx), 0), MKLINK_EEXIST);
  assert_link_to(ctx, "l", "first");
  assert_int_equal(w32_entries(), 1);
}

static void parent_missing(w32_ctx *ctx) {
  assert_int_equal(mklink_create("nodir\\l", "t", row_kind(ctx), 0), MKLINK_ENOPATH);
  assert_int_equal(w32_entries(), 0);
}

static void other_device(w32_ctx *ctx) {
  /* another volume is allowed (for a junction: a local one) */
  assert_int_equal(mklink_create("l", "D:\\elsewhere\\x", row_kind(ctx), 0), 0);
  assert_link_to(ctx, "l", "D:\\elsewhere\\x");
}

static void name_too_long(w32_ctx *ctx) {
  char name[301];
  memset(name, 'n', 300);
  name[300] = '\0';
  assert_int_equal(mklink_create(name, "t", row_kind(ctx), 0), MKLINK_ENAMETOOLONG);
  assert_int_equal(w32_entries(), 0);
}

static void path_loops(w32_ctx *ctx) {
  /* loop1 -> loop2 -> loop1, made of directory links of the row's family */
  mklink_kind dirkind = row_kind(ctx) == MKLINK_JUNCTION ? MKLINK_JUNCTION : MKLINK_DIR_SYMLINK;
  assert_int_equal(mklink_create("loop1", "loop2", dirkind, 0), 0);
  assert_int_equal(mklink_create("loop2", "loop1", dirkind, 0), 0);
  assert_int_equal(mklink_create("loop1\\L", "t", row_kind(ctx), 0), MKLINK_ELOOP);
  assert_string_equal(mklink_strerror(MKLINK_ELOOP),
                      "The name of the file cannot be resolved by the system.");
  assert_int_equal(w32_entries(), 2);
}

static void file_symlink_target_dir(w32_ctx *ctx) {
  mklink_info info;
  w32_mkdir("d");
  assert_int_equal(mklink_create("l", "d", MKLINK_FILE_SYMLINK, 0), 0);
  assert_symlink(ctx, "l", "d", 1, 0);
  assert_int_equal(mklink_query("l", &info), 0);
  assert_int_equal(info.kind, MKLINK_FILE_SYMLINK); /* as recorded */
  assert_int_equal(info.target_exists, 1);
  assert_int_equal(info.target_is_dir, 1);
  mklink_info_free(&info);
}

static void dir_symlink_target_missing(w32_ctx *ctx) {
  mklink_info info;
  assert_int_equal(mklink_create("l", "missing", MKLINK_DIR_SYMLINK, 0), 0);
  assert_symlink(ctx, "l", "missing", 1, 1);
  assert_int_equal(mklink_query("l", &info), 0);
  assert_int_equal(info.kind, MKLINK_DIR_SYMLINK); /* recorded, even dangling */
  assert_int_equal(info.target_exists, 0);
  mklink_info_free(&info);
}

#define ROW(kind, fn) {#fn, kind, fn, NULL}
#define ROW_NOT_BRIDGED(kind, fn, why) {#fn, kind, fn, why}
#define SITUATIONS(prefix, kind)                              \
  {#prefix "_link_is_file", kind, link_is_file, NULL},        \
  {#prefix "_link_is_dir", kind, link_is_dir, NULL},          \
  {#prefix "_link_is_link", kind, link_is_link, NULL},        \
  {#prefix "_parent_missing", kind, parent_missing, NULL},    \
  {#prefix "_other_device", kind, other_device, NULL},        \
  {#prefix "_too_long", kind, name_too_long, NULL},           \
  {#prefix "_loop", kind, path_loops, NULL}
static const link_case cases[] = {
    SITUATIONS(file_symlink, MKLINK_FILE_SYMLINK),
    ROW_NOT_BRIDGED(MKLINK_FILE_SYMLINK, file_symlink_target_dir, no_dir_record),
    SITUATIONS(dir_symlink, MKLINK_DIR_SYMLINK),
    ROW_NOT_BRIDGED(MKLINK_DIR_SYMLINK, dir_symlink_target_missing, no_dir_record),
    SITUATIONS(junction, MKLINK_JUNCTION),
    ROW(MKLINK_FILE_SYMLINK, file_symlink_absolute),
    ROW(MKLINK_FILE_SYMLINK, file_symlink_relative_stays_relative),
    ROW(MKLINK_FILE_SYMLINK, file_symlink_dangling_allowed),
    ROW(MKLINK_FILE_SYMLINK, symlink_name_differs_in_case),
    ROW(MKLINK_FILE_SYMLINK, symlink_require_target),
    ROW(MKLINK_FILE_SYMLINK, symlink_relative_flag),
    ROW(MKLINK_DIR_SYMLINK, symlink_relative_flag_keeps_trailing_separator),
    ROW(MKLINK_FILE_SYMLINK, symlink_to_server_alone),
    ROW(MKLINK_DIR_SYMLINK, symlink_dotdot_is_lexical),
    ROW(MKLINK_FILE_SYMLINK, symlink_utf8_names),
    ROW(MKLINK_FILE_SYMLINK, remove_file_symlink_keeps_target),
    ROW(MKLINK_FILE_SYMLINK, replace_file_symlink),
    ROW(MKLINK_FILE_SYMLINK, replace_refuses_sole_name),
    ROW(MKLINK_DIR_SYMLINK, dir_symlink_to_dir),
    ROW_NOT_BRIDGED(MKLINK_DIR_SYMLINK, dir_symlink_to_file_recorded, no_dir_record),
    ROW(MKLINK_DIR_SYMLINK, remove_dir_symlink_keeps_target),
    ROW(MKLINK_DIR_SYMLINK, remove_dir_symlink_trailing_separator),
    ROW(MKLINK_DIR_SYMLINK, replace_dir_symlink),
    ROW(MKLINK_DIR_SYMLINK, replace_refuses_real_directory),
    ROW(MKLINK_JUNCTION, junction_to_dir),
    ROW(MKLINK_JUNCTION, junction_target_made_absolute_lexically),
    ROW(MKLINK_JUNCTION, junction_dangling_allowed),
    ROW(MKLINK_JUNCTION, junction_to_file_allowed),
    ROW(MKLINK_JUNCTION, junction_unc_refused),
    ROW(MKLINK_JUNCTION, junction_require_target),
    ROW(MKLINK_JUNCTION, remove_junction_keeps_target),
    ROW(MKLINK_JUNCTION, replace_junction),
    ROW(MKLINK_JUNCTION, replace_junction_by_file_symlink),
    ROW(MKLINK_JUNCTION, walk_never_enters_junctions),
    ROW(MKLINK_FILE_SYMLINK, walk_broken_symlinks),
    ROW(MKLINK_DIR_SYMLINK, walk_follows_only_when_asked),
};
#define NCASES (sizeof cases / sizeof cases[0])

static link_run runs[2 * NCASES];

/* A row's first run: the system's own calls where they create the kind,
   else the model. */
static void run_native_or_model(w32_ctx *ctx, const link_case *c) {
  if (w32_really_creates(c->kind)) {
    ctx->backend = W32_REAL;
  } else {
    ctx->backend = W32_MODEL;
    ntfs_model_install(&table_model);
  }
}

/* Its second run: the real system, through the Wine bridge. */
static void run_bridged(w32_ctx *ctx, const link_case *c) {
  const mklink_caps *caps = w32_caps();
  if (!w32_bridges(c->kind)) {
    if (caps->emulator[0] == '\0')
      w32_skip(ctx, "no Wine bridge: not under Wine");
    if (w32_really_creates(c->kind))
      w32_skip(ctx, "no Wine bridge: this Wine creates the kind itself");
    w32_skip(ctx, "no Wine bridge: the Unix side is not proven reachable here");
  }
  if (c->not_bridged != NULL)
    w32_skip(ctx, c->not_bridged);
  ctx->backend = W32_BRIDGE;
}

static void run_case(void **state) {
  w32_ctx *ctx = *state;
  const link_run *r = ctx->param;
  if (r->bridge)
    run_bridged(ctx, r->row);
  else
    run_native_or_model(ctx, r->row);
  r->row->run(ctx);
  ctx->completed = 1;
}

int main(void) {
  struct CMUnitTest tests[2 * NCASES];
  size_t i;
  w32_start("links");
  for (i = 0; i < 2 * NCASES; i++) {
    runs[i].row = &cases[i % NCASES];
    runs[i].bridge = i >= NCASES;
    snprintf(runs[i].name, sizeof runs[i].name, "%s%s", runs[i].row->name,
             runs[i].bridge ? " (wine bridge)" : "");
    tests[i].name = runs[i].name;
    tests[i].test_func = run_case;
    tests[i].setup_func = w32_setup;
    tests[i].teardown_func = w32_teardown;
    tests[i].initial_state = &runs[i];
  }
  return w32_finish("links",
                    _cmocka_run_group_tests("win32_links", tests, 2 * NCASES, NULL, NULL));
}

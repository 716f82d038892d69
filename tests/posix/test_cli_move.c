/*
 * test_cli_move.c -- `mklink --move`, `--move --resume` and
 * `--move --rollback`: the command over mklink_move and its recovery, what it
 * prints and what it leaves on disk.
 *
 * A move renames and deletes trees, so every run goes through
 * sandbox_exec_prepared(): chrooted in the test's own directory in a private
 * mount namespace, where /other is a tmpfs of its own (another file system:
 * the cross-device cases) that vanishes with the command.  The command is
 * the one built beside this test; without it, or without sandboxes, the
 * tests skip and say so.  What a cross-device move left on /other is seen
 * through the shell that runs in the same jail (sh -c, the command bound at
 * /mklink), since the tmpfs is gone once the child ends.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mklink.h"
#include "posix_fs.h"
#include "posix_sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

/* The jail has no /proc, which an AddressSanitizer runtime needs (see
   test_cli_remove_tree.c): a sanitizer build of the command skips here. */
#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED_BUILD 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED_BUILD 1
#endif
#endif
#ifndef SANITIZED_BUILD
#define SANITIZED_BUILD 0
#endif

static const char *dir;
static char program[PATH_MAX + 32];
static char out[65536], err[8192];
static size_t other_size = 64u << 20; /* the tmpfs at /other */

static int setup(void **state) {
  *state = NULL;
  if (posix_mklink_program(program, sizeof program))
    sandbox_setup(state);
  dir = *state;
  other_size = 64u << 20;
  return 0;
}

#define REQUIRE()                                                                  \
  do {                                                                             \
    SANDBOX_REQUIRE();                                                             \
    if (SANITIZED_BUILD) {                                                         \
      print_message("skipped: an AddressSanitizer build of the command cannot "    \
                    "run in a jail without /proc\n");                              \
      skip();                                                                      \
    }                                                                              \
    if (*state == NULL) {                                                          \
      print_message("skipped: the command is not built beside this test\n");      \
      skip();                                                                      \
    }                                                                              \
  } while (0)

static const char *in(const char *rel) {
  static char p[PATH_MAX + 64];
  snprintf(p, sizeof p, "%s/%s", dir, rel);
  return p;
}

static void put_file(const char *rel, const char *content) {
  FILE *f = fopen(in(rel), "w");
  assert_non_null(f);
  fputs(content, f);
  assert_int_equal(fclose(f), 0);
}

/* A file of SIZE bytes of a pattern that differs from file to file. */
static void put_big(const char *rel, size_t size, unsigned seed) {
  static char block[65536];
  size_t i, n;
  FILE *f = fopen(in(rel), "w");
  assert_non_null(f);
  for (i = 0; i < sizeof block; i++)
    block[i] = (char)('a' + (i * 7 + seed) % 26);
  for (n = 0; n < size; n += sizeof block)
    assert_int_equal(fwrite(block, 1, size - n < sizeof block ? size - n : sizeof block, f),
                     size - n < sizeof block ? size - n : sizeof block);
  assert_int_equal(fclose(f), 0);
}

static const char *content(const char *rel) {
  static char buf[256];
  ssize_t n;
  int fd = open(in(rel), O_RDONLY);
  buf[0] = '\0';
  if (fd < 0)
    return "(missing)";
  n = read(fd, buf, sizeof buf - 1);
  close(fd);
  buf[n > 0 ? n : 0] = '\0';
  return buf;
}

static int is_dir(const char *rel) {
  struct stat st;
  return lstat(in(rel), &st) == 0 && S_ISDIR(st.st_mode);
}

static int is_symlink(const char *rel) {
  struct stat st;
  return lstat(in(rel), &st) == 0 && S_ISLNK(st.st_mode);
}

static int starts(const char *text, const char *prefix) {
  return strncmp(text, prefix, strlen(prefix)) == 0;
}

static int exists(const char *rel) {
  struct stat st;
  return lstat(in(rel), &st) == 0;
}

/* In the command's namespace, before the jail: a tmpfs at /other, and the
   command bound at /mklink for the shell runs. */
static void prepare(const char *root) {
  char path[PATH_MAX + 32], opts[64];
  int fd;
  snprintf(path, sizeof path, "%s/other", root);
  snprintf(opts, sizeof opts, "size=%zu", other_size);
  SBX_CHECK(mount("tmpfs", path, "tmpfs", 0, opts) == 0);
  snprintf(path, sizeof path, "%s/mklink", root);
  fd = open(path, O_WRONLY | O_CREAT, 0755);
  SBX_CHECK(fd >= 0 && close(fd) == 0);
  SBX_CHECK(mount(program, path, "none", MS_BIND, NULL) == 0);
  /* sh starts a background job on /dev/null */
  snprintf(path, sizeof path, "%s/dev", root);
  SBX_CHECK(mkdir(path, 0755) == 0 || errno == EEXIST);
  snprintf(path, sizeof path, "%s/dev/null", root);
  fd = open(path, O_WRONLY | O_CREAT, 0644);
  SBX_CHECK(fd >= 0 && close(fd) == 0);
  SBX_CHECK(mount("/dev/null", path, "none", MS_BIND, NULL) == 0);
}

/* PATH (outside the jail) run with ARGV in the jail, /other mounted. */
static int run_program(const char *path, char *const argv[]) {
  int rc;
  if (!is_dir("other"))
    assert_int_equal(mkdir(in("other"), 0755), 0);
  rc = sandbox_exec_prepared(dir, prepare, path, argv, out, sizeof out, err, sizeof err);
  if (rc == -1) {
    print_message("skipped: the sandbox could not start the command here\n");
    skip();
  }
  return rc;
}

static int run(char *const argv[]) { return run_program(program, argv); }

/* SCRIPT run by sh in the jail (the command is /mklink there). */
static int run_sh(const char *script) {
  char *argv[] = {"sh", "-c", (char *)script, NULL};
  static char sh[PATH_MAX];
  if (realpath("/bin/sh", sh) == NULL) {
    print_message("skipped: no /bin/sh\n");
    skip();
  }
  return run_program(sh, argv);
}

static void make_saves(void) {
  assert_int_equal(mkdir(in("saves"), 0755), 0);
  assert_int_equal(mkdir(in("saves/slot1"), 0755), 0);
  put_file("saves/slot1/game.sav", "level 7");
  put_file("saves/settings.ini", "volume=3");
  assert_int_equal(symlink("slot1/game.sav", in("saves/latest")), 0);
  assert_int_equal(mkdir(in("store"), 0755), 0);
}

/* ---- moves that work ------------------------------------------------------ */

static void test_move_junction_same_device(void **state) {
  char *argv[] = {"mklink", "--move", "/J", "saves", "/store/saves", NULL};
  REQUIRE();
  make_saves();
  assert_int_equal(run(argv), 0);
  assert_string_equal(err, "");
  assert_true(starts(out, "Moved saves to /store/saves (renamed on the same file system: "
                           "a directory of 4 entries, 15 B)\n"));
  assert_non_null(strstr(out, ")\nJunction created for saves <<===>> /store/saves\n"));
  assert_true(is_symlink("saves")); /* a simulated junction */
  assert_string_equal(content("store/saves/slot1/game.sav"), "level 7");
  assert_string_equal(content("store/saves/settings.ini"), "volume=3");
  assert_true(is_symlink("store/saves/latest")); /* a link stays a link */
  assert_false(exists("saves.mklink-move"));
}

static void test_move_file_symlink_default_kind(void **state) {
  char *argv[] = {"mklink", "--move", "notes.txt", "/store/notes.txt", NULL};
  REQUIRE();
  assert_int_equal(mkdir(in("store"), 0755), 0);
  put_file("notes.txt", "remember");
  assert_int_equal(run(argv), 0);
  assert_non_null(strstr(out, "(renamed on the same file system: a file of 8 B)\n"
                              "symbolic link created for notes.txt <<===>> /store/notes.txt\n"));
  assert_true(is_symlink("notes.txt"));
  assert_string_equal(content("store/notes.txt"), "remember");
}

static void test_move_dir_symlink_cross_device(void **state) {
  REQUIRE();
  make_saves();
  assert_int_equal(run_sh("/mklink --move /D saves /other/saves && "
                          "cat /other/saves/slot1/game.sav && echo && "
                          "cat saves/settings.ini"),
                   0);
  assert_string_equal(err, "");
  assert_true(starts(out, "Moved saves to /other/saves (copied to another file system and "
                           "verified: "));
  assert_non_null(strstr(out, "symbolic link created for saves <<===>> /other/saves\n"
                              "level 7\nvolume=3"));
  assert_true(is_symlink("saves"));
  assert_false(exists("saves.mklink-move"));
}

static void test_move_json(void **state) {
  char *argv[] = {"mklink", "--move", "--json", "/J", "saves", "/other/saves", NULL};
  const char *result;
  REQUIRE();
  make_saves();
  assert_int_equal(run(argv), 0);
  assert_string_equal(err, "");
  /* Progress objects first (the plan at least), the result last. */
  assert_non_null(strstr(out, "{\"op\":\"move\",\"event\":\"progress\",\"link\":\"saves\","
                              "\"phase\":\"plan\""));
  result = strstr(out, "{\"op\":\"move\",\"event\":\"result\"");
  assert_non_null(result);
  assert_non_null(strstr(result, "\"link\":\"saves\",\"target\":\"/other/saves\","
                                 "\"kind\":\"junction\",\"dry_run\":false,\"ok\":true,"
                                 "\"same_device\":false,"));
  assert_null(strchr(strchr(result, '\n') + 1, '{')); /* nothing after it */
}

/* ---- --dry-run: the plan, nothing changed --------------------------------- */

static void test_move_dry_run(void **state) {
  char *argv[] = {"mklink", "--move", "--dry-run", "/J", "saves", "/other/saves", NULL};
  REQUIRE();
  make_saves();
  assert_int_equal(run(argv), 0);
  assert_string_equal(err, "");
  assert_true(starts(out, "Would move saves to /other/saves\n"
                           "  what:  a directory of 4 entries (files, directories and links), "
                           "15 bytes"));
  assert_non_null(strstr(out, " bytes (15 B); 1 link kept as a link, never followed\n"
                              "  how:   copied to another file system, flushed and verified"));
  assert_non_null(strstr(out, "  then:  Junction created for saves <<===>> /other/saves\n"
                              "Nothing was changed (--dry-run).\n"));
  assert_true(is_dir("saves"));
  assert_string_equal(content("saves/slot1/game.sav"), "level 7");
  assert_false(exists("saves.mklink-move"));
}

static void test_move_dry_run_json(void **state) {
  char *argv[] = {"mklink", "--move", "--dry-run", "--json", "/J", "saves", "/store/saves",
                  NULL};
  REQUIRE();
  make_saves();
  assert_int_equal(run(argv), 0);
  assert_non_null(strstr(out, "\"event\":\"result\",\"link\":\"saves\",\"target\":"
                              "\"/store/saves\",\"kind\":\"junction\",\"dry_run\":true,"
                              "\"ok\":true,\"same_device\":true,"));
  assert_non_null(strstr(out, "\"bytes\":15,\"links\":1}"));
  assert_true(is_dir("saves"));
  assert_false(exists("store/saves"));
}

/* ---- refusals: nothing changes -------------------------------------------- */

static void test_move_hard_link_across_devices_refused(void **state) {
  char *argv[] = {"mklink", "--move", "/H", "notes.txt", "/other/notes.txt", NULL};
  REQUIRE();
  put_file("notes.txt", "remember");
  assert_int_equal(run(argv), 1);
  assert_string_equal(out, "");
  assert_string_equal(err, "The system cannot move the file to a different disk drive.\n");
  assert_string_equal(content("notes.txt"), "remember");
  assert_false(is_symlink("notes.txt"));
}

static void test_move_directory_with_a_file_kind_refused(void **state) {
  char *argv[] = {"mklink", "--move", "saves", "/store/saves", NULL};
  REQUIRE();
  make_saves();
  assert_int_equal(run(argv), 1);
  assert_string_equal(err, "The parameter is incorrect.\n"
                           "mklink: 'saves' is a directory: move it with /D or /J\n");
  assert_true(is_dir("saves"));
  assert_false(exists("store/saves"));
}

static void test_move_file_with_a_directory_kind_refused(void **state) {
  char *argv[] = {"mklink", "--move", "/J", "notes.txt", "/store/notes.txt", NULL};
  REQUIRE();
  assert_int_equal(mkdir(in("store"), 0755), 0);
  put_file("notes.txt", "remember");
  assert_int_equal(run(argv), 1);
  assert_string_equal(err, "The parameter is incorrect.\n"
                           "mklink: 'notes.txt' is a file: move it with /H or without a kind "
                           "switch\n");
  assert_string_equal(content("notes.txt"), "remember");
}

static void test_move_missing_link(void **state) {
  char *argv[] = {"mklink", "--move", "/J", "nothing", "/store/nothing", NULL};
  REQUIRE();
  assert_int_equal(mkdir(in("store"), 0755), 0);
  assert_int_equal(run(argv), 1);
  assert_string_equal(err, "The system cannot find the file specified.\n");
}

static void test_move_target_not_empty_refused(void **state) {
  char *argv[] = {"mklink", "--move", "/J", "saves", "/store", NULL};
  REQUIRE();
  make_saves();
  put_file("store/other.txt", "x");
  assert_int_equal(run(argv), 1);
  assert_string_equal(err, "Cannot create a file when that file already exists.\n");
  assert_true(is_dir("saves"));
}

static void test_move_full_target(void **state) {
  char *argv[] = {"mklink", "--move", "--json", "/J", "saves", "/other/saves", NULL};
  REQUIRE();
  make_saves();
  put_big("saves/big.bin", 3u << 20, 1);
  other_size = 1u << 20;
  assert_int_equal(run(argv), 1);
  assert_string_equal(err, "There is not enough space on the disk.\n");
  assert_non_null(strstr(out, "\"ok\":false,\"error\":\"MKLINK_ENOSPC\","
                              "\"message\":\"There is not enough space on the disk.\","
                              "\"pending\":false}"));
  assert_true(is_dir("saves"));
  assert_false(exists("saves.mklink-move"));
}

/* ---- unfinished moves ----------------------------------------------------- */

static void test_move_refuses_over_an_unfinished_move(void **state) {
  char *argv[] = {"mklink", "--move", "/J", "saves", "/store/saves", NULL};
  REQUIRE();
  make_saves();
  put_file("saves.mklink-move", "mklink-move 1 copy\n"); /* what the journal's name says */
  assert_int_equal(run(argv), 1);
  assert_string_equal(out, "");
  assert_string_equal(err,
                      "An earlier move of this path did not finish: resume it or roll it back "
                      "first.\n"
                      "To finish the move run:  mklink --move --resume saves\n"
                      "To undo it run:          mklink --move --rollback saves\n");
  assert_true(is_dir("saves"));
  assert_false(exists("store/saves"));
}

static void test_move_unfinished_json_names_the_commands(void **state) {
  char *argv[] = {"mklink", "--move", "--json", "/D", "my saves", "/store/saves", NULL};
  REQUIRE();
  assert_int_equal(mkdir(in("my saves"), 0755), 0);
  assert_int_equal(mkdir(in("store"), 0755), 0);
  put_file("my saves.mklink-move", "mklink-move 1 copy\n");
  assert_int_equal(run(argv), 1);
  assert_non_null(strstr(out, "\"ok\":false,\"error\":\"MKLINK_EMOVING\","));
  assert_non_null(strstr(out, "\"pending\":true,"
                              "\"resume\":\"mklink --move --resume \\\"my saves\\\"\","
                              "\"rollback\":\"mklink --move --rollback \\\"my saves\\\"\"}"));
  assert_non_null(strstr(err, "To finish the move run:  mklink --move --resume \"my saves\"\n"));
}

static void test_resume_and_rollback_without_a_move(void **state) {
  char *resume[] = {"mklink", "--move", "--resume", "saves", NULL};
  char *rollback[] = {"mklink", "--move", "--rollback", "--json", "saves", NULL};
  REQUIRE();
  make_saves();
  assert_int_equal(run(resume), 1);
  assert_string_equal(err, "mklink: resume 'saves': There is no unfinished move of this path.\n");
  assert_int_equal(run(rollback), 1);
  assert_string_equal(err,
                      "mklink: rollback 'saves': There is no unfinished move of this path.\n");
  assert_non_null(strstr(out, "{\"op\":\"move-rollback\",\"event\":\"result\",\"link\":\"saves\","
                              "\"target\":null,\"kind\":null,\"dry_run\":false,\"ok\":false,"
                              "\"error\":\"MKLINK_ENOMOVE\","));
  assert_true(is_dir("saves"));
}

/*
 * A real interrupted move: Ctrl-C (SIGINT) once the copy has begun, then
 * the refusal, then --resume (or --rollback) in the same jail (the tmpfs
 * lives as long as the shell).  AFTER is the recovery command.
 */
static void interrupted_then(const char *after) {
  char script[2048];
  int i;
  char name[64];
  assert_int_equal(mkdir(in("data"), 0755), 0);
  for (i = 0; i < 48; i++) {
    snprintf(name, sizeof name, "data/f%02d.bin", i);
    put_big(name, 1u << 20, (unsigned)i);
  }
  put_file("data/small.txt", "keep me");
  snprintf(script, sizeof script,
           "(/mklink --move --json /J data /other/data & echo $! > /pid; wait $!; "
           " echo \"move exit $?\" >&2) | "
           "{ while IFS= read -r l; do case $l in *'\"phase\":\"copy\"'*) break;; esac; done; "
           "  kill -INT $(cat /pid); cat > /dev/null; }; "
           "/mklink --move /J data /other/data; echo \"again exit $?\" >&2; "
           "/mklink --move %s data; echo \"after exit $?\" >&2; "
           "test -e data.mklink-move && echo journal left; cat data/small.txt; echo; "
           "ls /other | grep -c . || true",
           after);
  assert_int_equal(run_sh(script), 0);
  print_message("%s", err);
}

static void test_interrupted_move_resumed(void **state) {
  REQUIRE();
  interrupted_then("--resume");
  assert_non_null(strstr(err, "The operation was canceled by the user.\n"
                              "To finish the move run:  mklink --move --resume data\n"
                              "To undo it run:          mklink --move --rollback data\n"
                              "move exit 1\n"));
  assert_non_null(strstr(err, "An earlier move of this path did not finish: resume it or roll it "
                              "back first.\nTo finish the move run:  mklink --move --resume data\n"
                              "To undo it run:          mklink --move --rollback data\n"
                              "again exit 1\n"));
  assert_non_null(strstr(err, "after exit 0\n"));
  assert_non_null(strstr(out, "Finished the move of data\nJunction created for data <<===>> "));
  assert_non_null(strstr(out, "keep me\n1\n")); /* through the link; /other holds data only */
  assert_true(is_symlink("data"));
  assert_false(exists("data.mklink-move"));
}

static void test_interrupted_move_rolled_back(void **state) {
  REQUIRE();
  interrupted_then("--rollback");
  assert_non_null(strstr(err, "move exit 1\n"));
  assert_non_null(strstr(err, "again exit 1\n"));
  assert_non_null(strstr(err, "after exit 0\n"));
  assert_non_null(strstr(out, "Rolled back the move of data: its data is back in place and "
                              "nothing of the move is left\n"));
  assert_non_null(strstr(out, "keep me\n0\n")); /* /other is empty again */
  assert_true(is_dir("data"));
  assert_false(exists("data.mklink-move"));
  assert_string_equal(content("data/small.txt"), "keep me");
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, sandbox_teardown)

int main(void) {
  const struct CMUnitTest tests[] = {
      T(test_move_junction_same_device),
      T(test_move_file_symlink_default_kind),
      T(test_move_dir_symlink_cross_device),
      T(test_move_json),
      T(test_move_dry_run),
      T(test_move_dry_run_json),
      T(test_move_hard_link_across_devices_refused),
      T(test_move_directory_with_a_file_kind_refused),
      T(test_move_file_with_a_directory_kind_refused),
      T(test_move_missing_link),
      T(test_move_target_not_empty_refused),
      T(test_move_full_target),
      T(test_move_refuses_over_an_unfinished_move),
      T(test_move_unfinished_json_names_the_commands),
      T(test_resume_and_rollback_without_a_move),
      T(test_interrupted_move_resumed),
      T(test_interrupted_move_rolled_back),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

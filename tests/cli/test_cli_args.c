/*
 * test_cli_args.c -- the command-line parser (src/cli/args.c) and the JSON
 * writer (src/cli/json.c) alone: no file system, no process.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "args.h"
#include "cmdline.h"
#include "json.h"
#include "progress.h"

#define MAX_ARGS 16

static struct mklink_cli_opts o;
static const char *ops[MAX_ARGS];

/* Parse the NULL-terminated words after "mklink". */
static int parse(const char *first, ...) {
  char *argv[MAX_ARGS];
  const char *a;
  va_list ap;
  int argc = 0;
  argv[argc++] = (char *)"mklink";
  va_start(ap, first);
  for (a = first; a != NULL; a = va_arg(ap, const char *)) {
    assert_true(argc < MAX_ARGS - 1);
    argv[argc++] = (char *)a;
  }
  va_end(ap);
  argv[argc] = NULL;
  return mklink_cli_parse(argc, argv, &o, ops);
}

static void test_help_and_no_args(void **state) {
  (void)state;
  assert_int_equal(parse(NULL), MKLINK_CLI_NO_ARGS);
  assert_int_equal(o.mode, MKLINK_CLI_HELP_WINDOWS);
  assert_int_equal(mklink_cli_status_exit(MKLINK_CLI_NO_ARGS), 1);
  assert_int_equal(parse("/?", NULL), MKLINK_CLI_OK);
  assert_int_equal(o.mode, MKLINK_CLI_HELP_WINDOWS);
  assert_int_equal(parse("a", "/?", "/Q", NULL), MKLINK_CLI_OK); /* "/?" first wins */
  assert_int_equal(parse("--help", "--bogus", NULL), MKLINK_CLI_OK);
  assert_int_equal(o.mode, MKLINK_CLI_HELP);
  assert_int_equal(parse("--version", NULL), MKLINK_CLI_OK);
  assert_int_equal(o.mode, MKLINK_CLI_VERSION);
}

static void test_windows_switches(void **state) {
  (void)state;
  assert_int_equal(parse("l", "t", NULL), MKLINK_CLI_OK);
  assert_int_equal(o.kind, MKLINK_FILE_SYMLINK);
  assert_int_equal(o.nops, 2);
  assert_string_equal(o.ops[0], "l");
  assert_string_equal(o.ops[1], "t");
  assert_int_equal(parse("/d", "l", "t", NULL), MKLINK_CLI_OK);
  assert_int_equal(o.kind, MKLINK_DIR_SYMLINK);
  assert_int_equal(parse("l", "/j", "t", NULL), MKLINK_CLI_OK);
  assert_int_equal(o.kind, MKLINK_JUNCTION);
  assert_int_equal(parse("/D", "/H", "l", "t", NULL), MKLINK_CLI_OK);
  assert_int_equal(o.kind, MKLINK_HARDLINK);
  assert_int_equal(parse("/J", "/D", "l", "t", NULL), MKLINK_CLI_OK);
  assert_int_equal(o.kind, MKLINK_JUNCTION);
  /* Only two characters make a switch: a longer word is a path. */
  assert_int_equal(parse("/tmp/l", "/t", NULL), MKLINK_CLI_BAD_SWITCH);
  assert_string_equal(o.message, "Invalid switch - \"t\".");
  assert_int_equal(parse("/tmp/l", "/tmp/t", NULL), MKLINK_CLI_OK);
  assert_int_equal(o.nops, 2);
  assert_int_equal(parse("/", "t", NULL), MKLINK_CLI_OK); /* "/" alone is a path */
}

static void test_windows_errors(void **state) {
  (void)state;
  assert_int_equal(parse("/X", "a", "b", NULL), MKLINK_CLI_BAD_SWITCH);
  assert_string_equal(o.message, "Invalid switch - \"X\".");
  assert_int_equal(mklink_cli_status_exit(MKLINK_CLI_BAD_SWITCH), 1);
  assert_int_equal(parse("/H", NULL), MKLINK_CLI_BAD_SYNTAX);
  assert_string_equal(o.message, "The syntax of the command is incorrect.");
  assert_int_equal(mklink_cli_status_exit(MKLINK_CLI_BAD_SYNTAX), 1);
  assert_int_equal(parse("a", "b", "c", NULL), MKLINK_CLI_BAD_SYNTAX);
  assert_int_equal(parse("--replace", "a", NULL), MKLINK_CLI_BAD_SYNTAX);
  assert_int_equal(parse("--", NULL), MKLINK_CLI_BAD_SYNTAX);
}

static void test_end_of_switches(void **state) {
  (void)state;
  assert_int_equal(parse("--", "l", "/D", NULL), MKLINK_CLI_OK);
  assert_int_equal(o.kind, MKLINK_FILE_SYMLINK);
  assert_string_equal(o.ops[1], "/D");
  assert_int_equal(parse("/H", "--", "-l", "--", NULL), MKLINK_CLI_OK);
  assert_string_equal(o.ops[0], "-l");
  assert_string_equal(o.ops[1], "--");
  assert_int_equal(parse("", "-", NULL), MKLINK_CLI_OK); /* "" and "-" are names */
  assert_int_equal(o.nops, 2);
}

static void test_posix_spellings(void **state) {
  (void)state;
  assert_int_equal(parse("-d", "l", "t", NULL), MKLINK_CLI_OK);
  assert_int_equal(o.kind, MKLINK_DIR_SYMLINK);
  assert_int_equal(parse("-dH", "l", "t", NULL), MKLINK_CLI_OK);
  assert_int_equal(o.kind, MKLINK_HARDLINK);
  assert_int_equal(parse("--junction", "l", "t", NULL), MKLINK_CLI_OK);
  assert_int_equal(o.kind, MKLINK_JUNCTION);
  assert_int_equal(parse("--type", "HARDLINK", "l", "t", NULL), MKLINK_CLI_OK);
  assert_int_equal(o.kind, MKLINK_HARDLINK);
  assert_int_equal(parse("--type=Junction", "l", "t", NULL), MKLINK_CLI_OK);
  assert_int_equal(o.kind, MKLINK_JUNCTION);
  assert_int_equal(parse("--type=symboliclink", "--dir", "l", "t", NULL), MKLINK_CLI_OK);
  assert_int_equal(o.kind, MKLINK_DIR_SYMLINK);
  assert_int_equal(parse("--replace", "--relative", "--require-target", "--json", "l", "t", NULL),
                   MKLINK_CLI_OK);
  assert_int_equal(o.create_flags, MKLINK_REPLACE | MKLINK_RELATIVE | MKLINK_REQUIRE_TARGET);
  assert_int_equal(o.json, 1);
}

static void test_usage_errors(void **state) {
  (void)state;
  assert_int_equal(parse("--nope", NULL), MKLINK_CLI_USAGE);
  assert_string_equal(o.message, "mklink: unrecognized option '--nope'");
  assert_int_equal(mklink_cli_status_exit(MKLINK_CLI_USAGE), 2);
  assert_int_equal(parse("-x", "a", "b", NULL), MKLINK_CLI_USAGE);
  assert_string_equal(o.message, "mklink: invalid option '-x'");
  assert_int_equal(parse("-h", NULL), MKLINK_CLI_USAGE);
  assert_int_equal(parse("--type", NULL), MKLINK_CLI_USAGE);
  assert_string_equal(o.message, "mklink: option '--type' needs a value (symbolic, hard, junction)");
  assert_int_equal(parse("--nope=1", NULL), MKLINK_CLI_USAGE);
  assert_string_equal(o.message, "mklink: unrecognized option '--nope=1'");
  assert_int_equal(parse("--jso", "a", "b", NULL), MKLINK_CLI_USAGE); /* no abbreviations */
  assert_int_equal(parse("--json", "--type", "hard", "l", "t", NULL), MKLINK_CLI_OK);
  assert_int_equal(o.kind, MKLINK_HARDLINK);
  assert_int_equal(parse("--type=soft", "a", "b", NULL), MKLINK_CLI_USAGE);
  assert_int_equal(parse("--json=1", NULL), MKLINK_CLI_USAGE);
  assert_string_equal(o.message, "mklink: option '--json=1' takes no value");
  assert_int_equal(parse("--relative", "/J", "a", "b", NULL), MKLINK_CLI_USAGE);
  assert_int_equal(parse("--query", "--delete", "a", NULL), MKLINK_CLI_USAGE);
  assert_string_equal(o.message, "mklink: --query and --delete cannot be used together");
  assert_int_equal(parse("--list", "/H", NULL), MKLINK_CLI_USAGE);
  assert_string_equal(o.message, "mklink: /H cannot be used with --list");
  assert_int_equal(parse("--query", "--broken", "a", NULL), MKLINK_CLI_USAGE);
  assert_int_equal(parse("--recursive", "a", "b", NULL), MKLINK_CLI_USAGE);
  assert_int_equal(parse("--delete", NULL), MKLINK_CLI_USAGE);
  assert_int_equal(parse("--capabilities", "a", "b", NULL), MKLINK_CLI_USAGE);
}

static void test_modes(void **state) {
  (void)state;
  assert_int_equal(parse("--list", NULL), MKLINK_CLI_OK);
  assert_int_equal(o.mode, MKLINK_CLI_LIST);
  assert_int_equal(o.nops, 0);
  assert_int_equal(parse("--list", "--recursive", "--targets", "--broken", "--hardlinks", "d1", "d2",
                         NULL),
                   MKLINK_CLI_OK);
  assert_int_equal(o.walk_flags, MKLINK_WALK_RECURSIVE | MKLINK_WALK_TARGETS |
                                     MKLINK_WALK_BROKEN | MKLINK_WALK_HARDLINKS);
  assert_int_equal(o.nops, 2);
  assert_int_equal(parse("a", "--query", "b", NULL), MKLINK_CLI_OK);
  assert_int_equal(o.mode, MKLINK_CLI_QUERY);
  assert_int_equal(o.nops, 2);
  /* --delete --recursive parses: the command decides what it can do. */
  assert_int_equal(parse("--delete", "--recursive", "x", NULL), MKLINK_CLI_OK);
  assert_int_equal(o.recursive, 1);
  assert_int_equal(parse("--capabilities", NULL), MKLINK_CLI_OK);
  assert_int_equal(o.mode, MKLINK_CLI_CAPABILITIES);
}

/* ---- --move ---------------------------------------------------------- */

static void test_move_spellings(void **state) {
  (void)state;
  assert_int_equal(parse("--move", "l", "t", NULL), MKLINK_CLI_OK);
  assert_int_equal(o.mode, MKLINK_CLI_MOVE);
  assert_int_equal(o.kind, MKLINK_FILE_SYMLINK);
  assert_int_equal(o.dry_run, 0);
  assert_int_equal(o.nops, 2);
  assert_string_equal(o.ops[0], "l");
  assert_string_equal(o.ops[1], "t");
  assert_int_equal(parse("--move", "/J", "l", "t", NULL), MKLINK_CLI_OK);
  assert_int_equal(o.kind, MKLINK_JUNCTION);
  assert_int_equal(parse("/d", "l", "t", "--move", NULL), MKLINK_CLI_OK);
  assert_int_equal(o.mode, MKLINK_CLI_MOVE);
  assert_int_equal(o.kind, MKLINK_DIR_SYMLINK);
  assert_int_equal(parse("--move", "/h", "l", "t", NULL), MKLINK_CLI_OK);
  assert_int_equal(o.kind, MKLINK_HARDLINK);
  assert_int_equal(parse("--move", "--type=junction", "l", "t", NULL), MKLINK_CLI_OK);
  assert_int_equal(o.kind, MKLINK_JUNCTION);
  assert_int_equal(parse("--move", "--type", "HardLink", "l", "t", NULL), MKLINK_CLI_OK);
  assert_int_equal(o.kind, MKLINK_HARDLINK);
  assert_int_equal(parse("--move", "-d", "--json", "--dry-run", "l", "t", NULL), MKLINK_CLI_OK);
  assert_int_equal(o.kind, MKLINK_DIR_SYMLINK);
  assert_int_equal(o.json, 1);
  assert_int_equal(o.dry_run, 1);
  assert_int_equal(o.apply_flags, 0); /* --dry-run of a move is not an apply's */
  assert_int_equal(parse("--move", "--", "/D", "-t", NULL), MKLINK_CLI_OK);
  assert_string_equal(o.ops[0], "/D");
  assert_int_equal(o.kind, MKLINK_FILE_SYMLINK);
  assert_int_equal(parse("--move", "--resume", "l", NULL), MKLINK_CLI_OK);
  assert_int_equal(o.mode, MKLINK_CLI_MOVE_RESUME);
  assert_int_equal(o.nops, 1);
  assert_int_equal(parse("--rollback", "--json", "l", "--move", NULL), MKLINK_CLI_OK);
  assert_int_equal(o.mode, MKLINK_CLI_MOVE_ROLLBACK);
  assert_int_equal(parse("--move", "--resume", "--resume", "l", NULL), MKLINK_CLI_OK);
  /* --apply keeps its --dry-run */
  assert_int_equal(parse("--apply", "--dry-run", "m.yaml", NULL), MKLINK_CLI_OK);
  assert_int_equal(o.apply_flags, MKLINK_APPLY_DRY_RUN);
}

static void test_move_errors(void **state) {
  (void)state;
  /* The Windows syntax, as a create. */
  assert_int_equal(parse("--move", "l", NULL), MKLINK_CLI_BAD_SYNTAX);
  assert_string_equal(o.message, "The syntax of the command is incorrect.");
  assert_int_equal(parse("--move", NULL), MKLINK_CLI_BAD_SYNTAX);
  assert_int_equal(parse("--move", "/J", "a", "b", "c", NULL), MKLINK_CLI_BAD_SYNTAX);
  assert_int_equal(parse("--move", "/X", "a", "b", NULL), MKLINK_CLI_BAD_SWITCH);
  assert_string_equal(o.message, "Invalid switch - \"X\".");
  assert_int_equal(parse("--move", "/?", "a", NULL), MKLINK_CLI_OK);
  assert_int_equal(o.mode, MKLINK_CLI_HELP_WINDOWS);
  /* What a move cannot take. */
  assert_int_equal(parse("--move", "--replace", "a", "b", NULL), MKLINK_CLI_USAGE);
  assert_string_equal(o.message, "mklink: --replace cannot be used with --move");
  assert_int_equal(parse("--move", "--relative", "a", "b", NULL), MKLINK_CLI_USAGE);
  assert_string_equal(o.message, "mklink: --relative cannot be used with --move");
  assert_int_equal(parse("--require-target", "--move", "a", "b", NULL), MKLINK_CLI_USAGE);
  assert_int_equal(parse("--move", "--recursive", "a", "b", NULL), MKLINK_CLI_USAGE);
  assert_string_equal(o.message, "mklink: --recursive applies only to --list and --delete");
  assert_int_equal(parse("--move", "--backup", "a", "b", NULL), MKLINK_CLI_USAGE);
  assert_string_equal(o.message, "mklink: --backup applies only to --apply");
  assert_int_equal(parse("--move", "--query", "a", "b", NULL), MKLINK_CLI_USAGE);
  assert_string_equal(o.message, "mklink: --move and --query cannot be used together");
  /* --resume and --rollback */
  assert_int_equal(parse("--resume", "l", NULL), MKLINK_CLI_USAGE);
  assert_string_equal(o.message, "mklink: --resume applies only to --move");
  assert_int_equal(parse("--delete", "--rollback", "l", NULL), MKLINK_CLI_USAGE);
  assert_string_equal(o.message, "mklink: --rollback applies only to --move");
  assert_int_equal(parse("--move", "--resume", "--rollback", "l", NULL), MKLINK_CLI_USAGE);
  assert_string_equal(o.message, "mklink: --resume and --rollback cannot be used together");
  assert_int_equal(parse("--move", "--resume", NULL), MKLINK_CLI_USAGE);
  assert_string_equal(o.message, "mklink: --move --resume needs exactly one LINK");
  assert_int_equal(parse("--move", "--rollback", "l", "t", NULL), MKLINK_CLI_USAGE);
  assert_string_equal(o.message, "mklink: --move --rollback needs exactly one LINK");
  assert_int_equal(parse("--move", "--resume", "/J", "l", NULL), MKLINK_CLI_USAGE);
  assert_string_equal(o.message, "mklink: /J cannot be used with --move --resume");
  assert_int_equal(parse("--move", "--rollback", "--type=hard", "l", NULL), MKLINK_CLI_USAGE);
  assert_string_equal(o.message, "mklink: --type cannot be used with --move --rollback");
  assert_int_equal(parse("--move", "--resume", "--dry-run", "l", NULL), MKLINK_CLI_USAGE);
  assert_string_equal(o.message, "mklink: --dry-run cannot be used with --move --resume");
  /* --dry-run belongs to --apply and --move only */
  assert_int_equal(parse("--dry-run", "a", "b", NULL), MKLINK_CLI_USAGE);
  assert_string_equal(o.message, "mklink: --dry-run applies only to --apply and --move");
  assert_int_equal(parse("--check", "--dry-run", "m.yaml", NULL), MKLINK_CLI_USAGE);
}

static void test_move_progress_words(void **state) {
  char buf[160];
  mklink_move_progress p;
  (void)state;
  mklink_cli_human_bytes(buf, sizeof buf, 0);
  assert_string_equal(buf, "0 B");
  mklink_cli_human_bytes(buf, sizeof buf, 1023);
  assert_string_equal(buf, "1023 B");
  mklink_cli_human_bytes(buf, sizeof buf, 1536);
  assert_string_equal(buf, "1.5 KiB");
  mklink_cli_human_bytes(buf, sizeof buf, 3ull << 30);
  assert_string_equal(buf, "3.0 GiB");
  assert_string_equal(mklink_cli_phase_name(MKLINK_MOVE_PLAN), "plan");
  assert_string_equal(mklink_cli_phase_name(MKLINK_MOVE_COPY), "copy");
  assert_string_equal(mklink_cli_phase_name(MKLINK_MOVE_VERIFY), "verify");
  assert_string_equal(mklink_cli_phase_name(MKLINK_MOVE_SWAP), "swap");
  assert_string_equal(mklink_cli_phase_name(MKLINK_MOVE_CLEAN), "clean");
  assert_string_equal(mklink_cli_phase_name(MKLINK_MOVE_DONE), "done");

  memset(&p, 0, sizeof p);
  p.phase = MKLINK_MOVE_COPY;
  p.bytes_total = 100ull << 20;
  p.bytes_done = 25ull << 20;
  p.files_total = 40;
  p.files_done = 10;
  /* Too early for a rate: none is shown. */
  mklink_cli_progress_line(buf, sizeof buf, &p, 100);
  assert_string_equal(buf, "copying 25% [##........] 25.0 MiB/100.0 MiB 10/40 files -- left --/s");
  /* 25 MiB in 5 s: 5 MiB/s, 75 MiB left is 15 s. */
  mklink_cli_progress_line(buf, sizeof buf, &p, 5000);
  assert_string_equal(buf, "copying 25% [##........] 25.0 MiB/100.0 MiB 10/40 files 0:15 left 5.0 MiB/s");
  p.phase = MKLINK_MOVE_VERIFY;
  p.bytes_done = p.bytes_total;
  mklink_cli_progress_line(buf, sizeof buf, &p, 1000);
  assert_string_equal(buf, "verifying 100% [##########] 100.0 MiB/100.0 MiB 10/40 files 0:00 left 100.0 MiB/s");
  /* An hour and more left. */
  p.phase = MKLINK_MOVE_COPY;
  p.bytes_total = 4000ull << 20;
  p.bytes_done = 1ull << 20;
  mklink_cli_progress_line(buf, sizeof buf, &p, 1000);
  assert_non_null(strstr(buf, " 1:06:39 left "));
  /* No bytes (empty files only): the files make the percentage. */
  p.bytes_total = p.bytes_done = 0;
  mklink_cli_progress_line(buf, sizeof buf, &p, 1000);
  assert_string_equal(buf, "copying 25% [##........] 0 B/0 B 10/40 files -- left --/s");
  /* The phases without bytes say their name and the entries. */
  p.phase = MKLINK_MOVE_CLEAN;
  mklink_cli_progress_line(buf, sizeof buf, &p, 1000);
  assert_string_equal(buf, "removing 10/40 files");
  /* A short buffer is cut, never overrun. */
  p.phase = MKLINK_MOVE_COPY;
  mklink_cli_progress_line(buf, 8, &p, 0);
  assert_string_equal(buf, "copying");
}

/* LINE split as mklink.exe splits GetCommandLineW(): the words joined by
   '|' (program name first). */
static const char *split(const char *line) {
  static char joined[512];
  int argc = -1, i;
  char **argv = mklink_cli_split_command_line(line, &argc);
  assert_non_null(argv);
  joined[0] = '\0';
  for (i = 0; i < argc; i++) {
    if (i > 0)
      strcat(joined, "|");
    strcat(joined, argv[i]);
  }
  assert_null(argv[argc]);
  free(argv);
  return joined;
}

static void test_command_line(void **state) {
  (void)state;
  /* cmd never escapes: a quoted name ending in '\' is the name as typed
     (a batch file's "%~dp0" always ends so). */
  assert_string_equal(split("mklink.exe --list \"Z:\\dir\\\""), "mklink.exe|--list|Z:\\dir\\");
  assert_string_equal(split("mklink.exe /H \"my link\\\" x"), "mklink.exe|/H|my link\\|x");
  assert_string_equal(split("mklink.exe \"a\\\\\\\""), "mklink.exe|a\\\\\\"); /* odd: as typed */
  /* What Python's subprocess.list2cmdline writes (the C runtime's quoting)
     means what it meant: 2n backslashes before a quote are n. */
  assert_string_equal(split("mklink.exe --list \"C:\\my dir\\\\\""), "mklink.exe|--list|C:\\my dir\\");
  assert_string_equal(split("m \"C:\\a b\\\\\\\\\""), "m|C:\\a b\\\\");
  assert_string_equal(split("m \"a\\b c\""), "m|a\\b c");
  assert_string_equal(split("m \"\" x"), "m||x"); /* "" is an empty argument */
  /* Backslashes elsewhere are ordinary characters, UNC names included. */
  assert_string_equal(split("m \\\\server\\share\\x a\\\\b"), "m|\\\\server\\share\\x|a\\\\b");
  /* Quotes join, blanks separate, a quote is never part of a name. */
  assert_string_equal(split("m a\"b c\"d\te   f  "), "m|ab cd|e|f");
  assert_string_equal(split("m \"unclosed dir\\"), "m|unclosed dir\\");
  /* The program's name: up to the next quote, no backslash rule. */
  assert_string_equal(split("\"C:\\Program Files\\mklink.exe\" /J j t"),
                      "C:\\Program Files\\mklink.exe|/J|j|t");
  assert_string_equal(split("C:\\bin\\mklink.exe"), "C:\\bin\\mklink.exe");
  assert_string_equal(split(""), "");
  assert_string_equal(split("m \xc3\xa4\xf0\x9f\x98\x80.txt"), "m|\xc3\xa4\xf0\x9f\x98\x80.txt");
}

/* What mklink_json_write_string makes of S. */
static const char *json_of(const char *s) {
  static char buf[256];
  struct mklink_json j = MKLINK_JSON_INIT;
  mklink_json_write_string(&j, s);
  assert_false(j.failed);
  assert_true(j.len < sizeof buf);
  memcpy(buf, j.buf, j.len + 1);
  mklink_json_free(&j);
  return buf;
}

static void test_json_strings(void **state) {
  (void)state;
  assert_string_equal(json_of("plain"), "\"plain\"");
  assert_string_equal(json_of("q\"b\\s"), "\"q\\\"b\\\\s\"");
  assert_string_equal(json_of("a\nb\tc\x01\x1f\x7f"), "\"a\\nb\\tc\\u0001\\u001f\\u007f\"");
  assert_string_equal(json_of("caf\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x98\x80"),
                      "\"caf\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x98\x80\"");
  /* Not UTF-8: each bad byte becomes U+FFFD, the rest is kept. */
  assert_string_equal(json_of("a\xff" "b"), "\"a\\ufffdb\"");
  assert_string_equal(json_of("\xc0\x80"), "\"\\ufffd\\ufffd\"");         /* overlong */
  assert_string_equal(json_of("\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\""); /* surrogate */
  assert_string_equal(json_of("\xe6\x97"), "\"\\ufffd\\ufffd\"");          /* cut short */
  assert_string_equal(json_of("\xf4\x90\x80\x80"), "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
}

static void test_json_object(void **state) {
  struct mklink_json j = MKLINK_JSON_INIT;
  int round;
  (void)state;
  for (round = 0; round < 2; round++) { /* the buffer is reused: same text */
    mklink_json_begin(&j);
    mklink_json_string(&j, "op", "list");
    mklink_json_string(&j, "target", NULL);
    mklink_json_bool(&j, "ok", 1);
    mklink_json_number(&j, "nlink", 1023);
    mklink_json_begin_array(&j, "real");
    mklink_json_array_string(&j, 0, "hardlink");
    mklink_json_array_string(&j, 1, "junction");
    mklink_json_end_array(&j);
    mklink_json_end(&j);
    assert_false(j.failed);
    assert_string_equal(j.buf, "{\"op\":\"list\",\"target\":null,\"ok\":true,\"nlink\":1023,"
                               "\"real\":[\"hardlink\",\"junction\"]}\n");
  }
  mklink_json_free(&j);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_help_and_no_args), cmocka_unit_test(test_windows_switches),
      cmocka_unit_test(test_windows_errors),   cmocka_unit_test(test_end_of_switches),
      cmocka_unit_test(test_posix_spellings),  cmocka_unit_test(test_usage_errors),
      cmocka_unit_test(test_modes),            cmocka_unit_test(test_json_strings),
      cmocka_unit_test(test_json_object),      cmocka_unit_test(test_command_line),
      cmocka_unit_test(test_move_spellings),   cmocka_unit_test(test_move_errors),
      cmocka_unit_test(test_move_progress_words),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

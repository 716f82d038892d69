/*
 * test_cli_args.c -- the command-line parser (src/cli/args.c) and the JSON
 * writer (src/cli/json.c) alone: no file system, no process.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "args.h"
#include "json.h"

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

/* What mklink_json_write_string makes of S. */
static const char *json_of(const char *s) {
  static char buf[256];
  FILE *f = tmpfile();
  size_t n;
  assert_non_null(f);
  mklink_json_write_string(f, s);
  rewind(f);
  n = fread(buf, 1, sizeof buf - 1, f);
  buf[n] = '\0';
  fclose(f);
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
  struct mklink_json j;
  char buf[256];
  FILE *f = tmpfile();
  size_t n;
  (void)state;
  assert_non_null(f);
  mklink_json_begin(&j, f);
  mklink_json_string(&j, "op", "list");
  mklink_json_string(&j, "target", NULL);
  mklink_json_bool(&j, "ok", 1);
  mklink_json_number(&j, "nlink", 1023);
  mklink_json_begin_array(&j, "real");
  mklink_json_array_string(&j, 0, "hardlink");
  mklink_json_array_string(&j, 1, "junction");
  mklink_json_end_array(&j);
  mklink_json_end(&j);
  rewind(f);
  n = fread(buf, 1, sizeof buf - 1, f);
  buf[n] = '\0';
  fclose(f);
  assert_string_equal(buf, "{\"op\":\"list\",\"target\":null,\"ok\":true,\"nlink\":1023,"
                           "\"real\":[\"hardlink\",\"junction\"]}\n");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_help_and_no_args), cmocka_unit_test(test_windows_switches),
      cmocka_unit_test(test_windows_errors),   cmocka_unit_test(test_end_of_switches),
      cmocka_unit_test(test_posix_spellings),  cmocka_unit_test(test_usage_errors),
      cmocka_unit_test(test_modes),            cmocka_unit_test(test_json_strings),
      cmocka_unit_test(test_json_object),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

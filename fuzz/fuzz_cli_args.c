/* fuzz_cli_args.c -- the command-line parser (src/cli/args.h).
 *
 * Input: the arguments after "mklink", separated by NUL bytes (at most
 * MAX_ARGS of them).  Each argument lives in its own heap block of exactly
 * its size and the operand array has exactly ARGC entries, so ASan sees any
 * read or write past them.
 *
 * Checks: a known status and exit code; an error comes with a message, NUL
 * terminated inside its buffer; a success leaves a mode and kind the
 * command can act on, with the number of operands that mode needs; every
 * operand is one of the arguments, in order; the parser changes nothing in
 * ARGV and gives the same answer twice (it is a pure function).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"

#define CHECK(cond)                                                        \
  do {                                                                     \
    if (!(cond)) {                                                         \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__,    \
              #cond);                                                      \
      abort();                                                             \
    }                                                                      \
  } while (0)

#define MAX_ARGS 64

static int valid_kind(mklink_kind k) {
  return k == MKLINK_FILE_SYMLINK || k == MKLINK_DIR_SYMLINK ||
         k == MKLINK_HARDLINK || k == MKLINK_JUNCTION;
}

static void check_result(int argc, char **argv, int status,
                         const struct mklink_cli_opts *o,
                         const char **operands) {
  int i, j, exit_code = mklink_cli_status_exit(status);
  CHECK(status >= MKLINK_CLI_OK && status <= MKLINK_CLI_USAGE);
  CHECK(memchr(o->message, '\0', sizeof o->message) != NULL);
  CHECK(o->ops == operands);
  CHECK(o->nops >= 0 && o->nops <= argc - 1);

  /* Operands are arguments, in the order given, each at most once. */
  for (i = 0, j = 1; i < o->nops; i++, j++) {
    while (j < argc && argv[j] != o->ops[i])
      j++;
    CHECK(j < argc);
  }

  switch (status) {
  case MKLINK_CLI_OK:
    CHECK(exit_code == MKLINK_CLI_EXIT_OK);
    break;
  case MKLINK_CLI_NO_ARGS:
    CHECK(argc <= 1 && o->mode == MKLINK_CLI_HELP_WINDOWS);
    CHECK(exit_code == MKLINK_CLI_EXIT_FAIL);
    return;
  case MKLINK_CLI_USAGE:
    CHECK(exit_code == MKLINK_CLI_EXIT_USAGE);
    CHECK(strncmp(o->message, "mklink: ", 8) == 0);
    return;
  case MKLINK_CLI_BAD_SYNTAX:
    CHECK(exit_code == MKLINK_CLI_EXIT_FAIL);
    CHECK(strcmp(o->message, "The syntax of the command is incorrect.") == 0);
    return;
  default: /* MKLINK_CLI_BAD_SWITCH */
    CHECK(exit_code == MKLINK_CLI_EXIT_FAIL);
    CHECK(strncmp(o->message, "Invalid switch - \"", 18) == 0);
    return;
  }

  /* Success: something the command can act on. */
  CHECK(argc > 1);
  CHECK(o->json == 0 || o->json == 1);
  CHECK(o->recursive == 0 || o->recursive == 1);
  /* --dry-run parses for --apply and --move only ("/?", --help and
     --version end the parse before the modes are checked). */
  CHECK(!o->dry_run || o->mode == MKLINK_CLI_APPLY || o->mode == MKLINK_CLI_MOVE ||
        o->mode == MKLINK_CLI_HELP_WINDOWS || o->mode == MKLINK_CLI_HELP ||
        o->mode == MKLINK_CLI_VERSION);
  switch (o->mode) {
  case MKLINK_CLI_CREATE:
    CHECK(o->nops == 2);
    CHECK(valid_kind(o->kind));
    CHECK((o->create_flags & ~(MKLINK_REPLACE | MKLINK_RELATIVE |
                               MKLINK_REQUIRE_TARGET)) == 0);
    CHECK(!(o->create_flags & MKLINK_RELATIVE) ||
          o->kind == MKLINK_FILE_SYMLINK || o->kind == MKLINK_DIR_SYMLINK);
    CHECK(!o->recursive);
    break;
  case MKLINK_CLI_QUERY:
  case MKLINK_CLI_DELETE:
    CHECK(o->nops >= 1);
    break;
  case MKLINK_CLI_CAPABILITIES:
    CHECK(o->nops <= 1);
    break;
  case MKLINK_CLI_LIST:
    CHECK((o->walk_flags & ~(unsigned)(MKLINK_WALK_RECURSIVE |
                                       MKLINK_WALK_HARDLINKS |
                                       MKLINK_WALK_BROKEN |
                                       MKLINK_WALK_TARGETS)) == 0);
    break;
  case MKLINK_CLI_CHECK_PORTABLE:
    break; /* any number of DIRs, none meaning "." */
  case MKLINK_CLI_APPLY:
  case MKLINK_CLI_CHECK:
  case MKLINK_CLI_UNDO:
    CHECK(o->nops == 1);
    CHECK((o->apply_flags & ~(unsigned)(MKLINK_APPLY_DRY_RUN | MKLINK_APPLY_BACKUP |
                                        MKLINK_APPLY_FORCE)) == 0);
    CHECK((o->apply_flags & (MKLINK_APPLY_BACKUP | MKLINK_APPLY_FORCE)) !=
          (MKLINK_APPLY_BACKUP | MKLINK_APPLY_FORCE));
    CHECK(o->mode == MKLINK_CLI_APPLY || o->apply_flags == 0);
    CHECK(o->dry_run == ((o->apply_flags & MKLINK_APPLY_DRY_RUN) != 0));
    CHECK((o->manifest_flags & ~(unsigned)MKLINK_MANIFEST_STRICT) == 0);
    break;
  case MKLINK_CLI_MOVE:
    CHECK(o->nops == 2); /* LINK TARGET, the create's Windows syntax */
    CHECK(valid_kind(o->kind));
    CHECK(o->create_flags == 0 && o->apply_flags == 0 && !o->recursive);
    CHECK(o->dry_run == 0 || o->dry_run == 1);
    break;
  case MKLINK_CLI_MOVE_RESUME:
  case MKLINK_CLI_MOVE_ROLLBACK:
    CHECK(o->nops == 1); /* LINK: the journal knows the rest */
    CHECK(o->create_flags == 0 && o->apply_flags == 0 && !o->recursive && !o->dry_run);
    break;
  case MKLINK_CLI_HELP_WINDOWS:
  case MKLINK_CLI_HELP:
  case MKLINK_CLI_VERSION:
    break; /* shown at once, whatever else was given */
  default:
    CHECK(!"unknown mode");
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *argv[MAX_ARGS + 2];
  char *copy[MAX_ARGS + 2];
  const char **operands, **operands2;
  static struct mklink_cli_opts o, o2;
  int argc = 1, status, status2, i;
  size_t pos = 0;
  static char prog[] = "mklink";

  argv[0] = prog;
  while (pos < size && argc <= MAX_ARGS) {
    const uint8_t *end = memchr(data + pos, 0, size - pos);
    size_t n = end != NULL ? (size_t)(end - (data + pos)) : size - pos;
    argv[argc] = malloc(n + 1);
    CHECK(argv[argc] != NULL);
    memcpy(argv[argc], data + pos, n);
    argv[argc][n] = '\0';
    copy[argc] = malloc(n + 1);
    CHECK(copy[argc] != NULL);
    memcpy(copy[argc], argv[argc], n + 1);
    argc++;
    pos += n + 1;
  }
  argv[argc] = NULL;

  operands = malloc((size_t)argc * sizeof *operands);
  operands2 = malloc((size_t)argc * sizeof *operands2);
  CHECK(operands != NULL && operands2 != NULL);
  status = mklink_cli_parse(argc, argv, &o, operands);
  check_result(argc, argv, status, &o, operands);

  for (i = 1; i < argc; i++)
    CHECK(strcmp(argv[i], copy[i]) == 0);
  status2 = mklink_cli_parse(argc, argv, &o2, operands2);
  CHECK(status2 == status && o2.mode == o.mode && o2.nops == o.nops &&
        strcmp(o2.message, o.message) == 0);
  if (status == MKLINK_CLI_OK) {
    CHECK(o2.kind == o.kind && o2.create_flags == o.create_flags &&
          o2.walk_flags == o.walk_flags && o2.json == o.json &&
          o2.recursive == o.recursive && o2.dry_run == o.dry_run);
    CHECK(memcmp(operands, operands2, (size_t)o.nops * sizeof *operands) == 0);
  }

  for (i = 1; i < argc; i++) {
    free(argv[i]);
    free(copy[i]);
  }
  free(operands);
  free(operands2);
  return 0;
}

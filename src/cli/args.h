/*
 * args.h -- the mklink command line, parsed into options.
 *
 * mklink_cli_parse() is a pure function: it reads ARGV and fills OUT, and
 * touches neither the file system nor any global state, so it can be tested
 * and fuzzed alone.
 *
 * Two spellings are understood, and may be mixed:
 *   Windows:  mklink [[/D] | [/H] | [/J]] Link Target   (switches are exactly
 *             two characters, '/' and a letter, any case; "/?" is help)
 *   POSIX:    -d --dir, -H --hard, -j --junction, --type KIND, --replace,
 *             --relative, --require-target, --query, --list, --recursive,
 *             --broken, --hardlinks, --targets, --delete, --json,
 *             --capabilities, --check-portable, --max-path N,
 *             --no-git, --apply, --check, --undo, --dry-run, --backup,
 *             --force, --strict, --move, --resume, --rollback, --help,
 *             --version (the table long_opts[]
 *             in args.c: one row per option).
 * "--" ends the switches and options: every later argument is a name, so a
 * real path "/D" can still be named.
 */
#ifndef MKLINK_CLI_ARGS_H
#define MKLINK_CLI_ARGS_H

#include "mklink.h"

enum mklink_cli_mode {
  MKLINK_CLI_CREATE = 0,     /* mklink [/D|/H|/J] LINK TARGET (the default) */
  MKLINK_CLI_HELP_WINDOWS,   /* "/?" (exit 0) or no arguments (exit 1)      */
  MKLINK_CLI_HELP,           /* --help                                       */
  MKLINK_CLI_VERSION,        /* --version                                    */
  MKLINK_CLI_QUERY,          /* --query PATH...                              */
  MKLINK_CLI_LIST,           /* --list [DIR...]                              */
  MKLINK_CLI_DELETE,         /* --delete PATH...                             */
  MKLINK_CLI_CAPABILITIES,   /* --capabilities [DIR]                         */
  MKLINK_CLI_CHECK_PORTABLE, /* --check-portable [DIR...]                    */
  MKLINK_CLI_APPLY,          /* --apply FILE                                 */
  MKLINK_CLI_CHECK,          /* --check FILE                                 */
  MKLINK_CLI_UNDO,           /* --undo FILE                                  */
  MKLINK_CLI_MOVE,           /* --move [/D|/H|/J] LINK TARGET                */
  MKLINK_CLI_MOVE_RESUME,    /* --move --resume LINK                         */
  MKLINK_CLI_MOVE_ROLLBACK   /* --move --rollback LINK                       */
};

/* What mklink_cli_parse() returns; also the family of the error message. */
enum mklink_cli_status {
  MKLINK_CLI_OK = 0,
  MKLINK_CLI_NO_ARGS,     /* no arguments at all: Windows help, exit 1        */
  MKLINK_CLI_BAD_SWITCH,  /* Windows: Invalid switch - "X".  (exit 1)         */
  MKLINK_CLI_BAD_SYNTAX,  /* Windows: The syntax of the command is incorrect.
                             (exit 1)                                         */
  MKLINK_CLI_USAGE        /* a POSIX-style usage error (exit 2)               */
};

/* Exit codes of the command (also documented in docs/mklink.1). */
#define MKLINK_CLI_EXIT_OK 0
#define MKLINK_CLI_EXIT_FAIL 1  /* an operation failed, a Windows syntax error,
                                   no arguments, or --broken found links      */
#define MKLINK_CLI_EXIT_USAGE 2 /* a POSIX-style usage error                  */

#define MKLINK_CLI_MESSAGE_MAX 256

struct mklink_cli_opts {
  enum mklink_cli_mode mode;
  mklink_kind kind;         /* for CREATE                                    */
  unsigned create_flags;    /* MKLINK_REPLACE | MKLINK_RELATIVE | ...        */
  unsigned walk_flags;      /* MKLINK_WALK_* for LIST                        */
  int json;                 /* --json: one JSON object per line on stdout    */
  int recursive;            /* --recursive (LIST; DELETE reserves it)        */
  mklink_portable_options portable; /* CHECK_PORTABLE: --max-path N,
                               --no-git                                      */
  unsigned apply_flags;     /* MKLINK_APPLY_* for APPLY                      */
  unsigned manifest_flags;  /* MKLINK_MANIFEST_* for APPLY and CHECK         */
  int dry_run;              /* --dry-run: APPLY (also in apply_flags), MOVE  */
  int nops;                 /* operands (names), in order                    */
  const char **ops;         /* the OPERANDS array given to the parser        */
  /* For a status other than MKLINK_CLI_OK: the complete message to print on
     stderr, without the newline. */
  char message[MKLINK_CLI_MESSAGE_MAX];
};

/*
 * Parse ARGV[1..ARGC-1] into OUT.  OPERANDS must have room for ARGC pointers;
 * OUT->ops points to it and its entries point into ARGV.  Returns an
 * enum mklink_cli_status; for anything but MKLINK_CLI_OK and
 * MKLINK_CLI_NO_ARGS (which sets mode MKLINK_CLI_HELP_WINDOWS), OUT->message
 * says why.
 */
int mklink_cli_parse(int argc, char **argv, struct mklink_cli_opts *out,
                     const char **operands);

/* The exit code for a status returned by mklink_cli_parse(). */
int mklink_cli_status_exit(int status);

#endif /* MKLINK_CLI_ARGS_H */

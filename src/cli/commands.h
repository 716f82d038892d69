/*
 * commands.h -- what each mode of the mklink command does and prints.
 *
 * Every function returns the process exit code (MKLINK_CLI_EXIT_*).
 * Results go to stdout, errors to stderr; the extended commands report an
 * error as "mklink: <action> 'PATH': <message>" and go on with the next
 * operand.
 */
#ifndef MKLINK_CLI_COMMANDS_H
#define MKLINK_CLI_COMMANDS_H

#include "args.h"

int mklink_cli_create(const struct mklink_cli_opts *o);
int mklink_cli_query(const struct mklink_cli_opts *o);
int mklink_cli_list(const struct mklink_cli_opts *o);
int mklink_cli_delete(const struct mklink_cli_opts *o);
int mklink_cli_capabilities(const struct mklink_cli_opts *o);
int mklink_cli_check_portable(const struct mklink_cli_opts *o);
/* manifest.c */
int mklink_cli_apply(const struct mklink_cli_opts *o);
int mklink_cli_check(const struct mklink_cli_opts *o);
int mklink_cli_undo(const struct mklink_cli_opts *o);
/* move.c */
int mklink_cli_move(const struct mklink_cli_opts *o);
int mklink_cli_move_resume(const struct mklink_cli_opts *o);
int mklink_cli_move_rollback(const struct mklink_cli_opts *o);
/* The start of cmd's line for a link made ("Junction created for", ...). */
const char *mklink_cli_created_words(mklink_kind kind);
/* The --json name of KIND ("file_symlink", ..., "none"). */
const char *mklink_cli_json_kind(mklink_kind kind);

/* Write an error line on stderr, after flushing stdout so the two streams
   stay in order on a terminal. */
void mklink_cli_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

#endif /* MKLINK_CLI_COMMANDS_H */

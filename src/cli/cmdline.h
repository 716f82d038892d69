/*
 * cmdline.h -- a Windows command line split into arguments the way cmd's own
 * mklink takes them (mklink.exe reads GetCommandLineW(), not the C
 * runtime's argv).
 *
 * cmd never treats '\' as an escape: `mklink /H "my link\" x` and a batch
 * file's `mklink.exe --list "%~dp0"` (which always ends in '\') mean the
 * names as typed.  The C runtime's rules would take `\"` for a quote inside
 * the argument and run the rest of the line into it.  Programs that build a
 * command line for the C runtime (Python's subprocess.list2cmdline, Wine,
 * .NET) write a name ending in '\' with the backslashes doubled before the
 * closing quote ("C:\my dir\\"), so both are read as meant by these rules:
 *
 * - arguments are separated by spaces and tabs outside double quotes;
 * - a '"' begins or ends a quoted part and is never itself part of an
 *   argument (no Windows name can hold one); `""` is an empty argument;
 * - a backslash is an ordinary character, except that a run of an even
 *   number of backslashes (2n) right before a '"' stands for n of them:
 *   "C:\dir\" is C:\dir\ (one, odd: as typed), "C:\my dir\\" is C:\my dir\.
 * - the first word, the program's name, ends at the next space or tab, or,
 *   if it starts with '"', at the next '"' (as CommandLineToArgvW reads it).
 *
 * OS-free (UTF-8 in, UTF-8 out: '"', '\', space and tab never occur inside a
 * multi-byte character), so it is tested natively as well as under Wine.
 * docs/mklink.1 states the rule for users.
 */
#ifndef MKLINK_CLI_CMDLINE_H
#define MKLINK_CLI_CMDLINE_H

/* LINE split into a NULL-terminated, malloc'ed argv (one block: free() it
   once); *ARGC gets the count.  NULL if out of memory. */
char **mklink_cli_split_command_line(const char *line, int *argc);

#endif /* MKLINK_CLI_CMDLINE_H */

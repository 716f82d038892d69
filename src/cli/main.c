/*
 * main.c -- the mklink command: parse, run one mode, exit.
 *
 * Startup does nothing but parse: the library is linked statically and
 * results go out through one large buffer (output.c), so a build script
 * calling mklink thousands of times pays about what it pays for `ln -s`.
 */
#include "args.h"
#include "commands.h"
#include "output.h"

#include <stdio.h>
#include <stdlib.h>

#ifndef MKLINK_CLI_VERSION_STRING
#define MKLINK_CLI_VERSION_STRING MKLINK_VERSION_STRING
#endif

/* Byte for byte what cmd prints for `mklink /?`. */
static const char windows_help[] =
    "Creates a symbolic link.\n"
    "\n"
    "MKLINK [[/D] | [/H] | [/J]] Link Target\n"
    "\n"
    "        /D      Creates a directory symbolic link.  Default is a file\n"
    "                symbolic link.\n"
    "        /H      Creates a hard link instead of a symbolic link.\n"
    "        /J      Creates a Directory Junction.\n"
    "        Link    Specifies the new symbolic link name.\n"
    "        Target  Specifies the path (relative or absolute) that the new link\n"
    "                refers to.\n";

static const char posix_help[] =
    "Usage: mklink [/D | /H | /J] LINK TARGET\n"
    "       mklink [-d | -H | -j | --type KIND] [--replace] [--relative]\n"
    "              [--require-target] [--json] [--] LINK TARGET\n"
    "       mklink --query [--json] PATH...\n"
    "       mklink --list [--recursive] [--targets] [--broken] [--hardlinks]\n"
    "              [--json] [DIR...]\n"
    "       mklink --delete [--recursive] [--json] PATH...\n"
    "       mklink --capabilities [--json] [DIR]\n"
    "       mklink --check-portable [--max-path N] [--no-git]\n"
    "              [--json] [DIR...]\n"
    "       mklink --apply [--dry-run] [--backup | --force] [--strict] [--json] FILE\n"
    "       mklink --check [--strict] [--json] FILE\n"
    "       mklink --undo [--json] FILE\n"
    "       mklink --move [/D | /H | /J] [--dry-run] [--json] LINK TARGET\n"
    "       mklink --move --resume | --rollback [--json] LINK\n"
    "       mklink --help | --version | /?\n"
    "\n"
    "Create LINK pointing at TARGET with Windows mklink semantics and messages.\n"
    "\n"
    "  /D, -d, --dir          directory symbolic link\n"
    "  /H, -H, --hard         hard link (TARGET must exist and not be a directory)\n"
    "  /J, -j, --junction     directory junction (TARGET made absolute)\n"
    "  --type KIND            symbolic|hard|junction, or SymbolicLink|HardLink|Junction\n"
    "  --replace              atomically replace LINK if it is itself a link\n"
    "  --relative             store TARGET relative to LINK's directory (symlinks)\n"
    "  --require-target       fail if TARGET does not exist\n"
    "  --query PATH...        kind, stored target, resolved target, broken or not\n"
    "  --list [DIR...]        links in DIR (default .), like dir /AL\n"
    "  --recursive            with --list: the whole tree, never entering a link;\n"
    "                         with --delete: delete the tree PATH, removing the\n"
    "                         links in it as links, never entering one\n"
    "  --targets              with --list: look at each target (directory links,\n"
    "                         broken links), one more system call per link\n"
    "  --broken               with --list: only dangling links; exit 1 if any\n"
    "  --hardlinks            with --list: also files with several names\n"
    "  --delete PATH...       remove links only, never a directory or the last\n"
    "                         name of a file\n"
    "  --json                 one JSON object per line on stdout\n"
    "  --capabilities [DIR]   which kinds of link can really be made in DIR\n"
    "  --check-portable [DIR...]  what in the tree DIR (default .) breaks on\n"
    "                         Windows: reserved names, forbidden characters, case\n"
    "                         collisions, long paths, links; exit 1 if anything\n"
    "  --max-path N           with --check-portable: the longest path, in UTF-16\n"
    "                         units with the 3 of \"C:\\\" (default 259)\n"
    "  --no-git               with --check-portable: do not ask git about the\n"
    "                         files it records as symbolic links\n"
    "  --apply FILE           make the links of manifest FILE (dotbot's YAML format);\n"
    "                         a file or directory in the way stops it, changing nothing\n"
    "  --dry-run              with --apply or --move: print the plan, change nothing\n"
    "  --backup               with --apply: rename what is in the way to NAME.mklink-backup\n"
    "  --force                with --apply: delete what is in the way\n"
    "  --strict               with --apply/--check: shell commands are errors, not skipped\n"
    "  --check FILE           drift report: exit 0 all ok, 1 drift, 2 manifest error\n"
    "  --undo FILE            put back what the last --apply of FILE changed\n"
    "  --move LINK TARGET     move the file or tree LINK to TARGET (copied and\n"
    "                         verified across file systems), then make LINK a link\n"
    "                         of the kind asked to it; crash-safe\n"
    "  --resume               with --move: finish LINK's interrupted move\n"
    "  --rollback             with --move: undo LINK's interrupted move\n"
    "  --                     end of switches: later arguments are names\n"
    "\n"
    "Switches are '/' and one letter, any case; a longer '/...' is a path.\n"
    "Exit status: 0 success, 1 failure (or broken links, findings or drift), 2\n"
    "usage or manifest error.\n"
    "See mklink(1).\n";

static int dispatch(const struct mklink_cli_opts *o) {
  switch (o->mode) {
  case MKLINK_CLI_HELP_WINDOWS:
    mklink_out_puts(MKLINK_OUT, windows_help);
    return MKLINK_CLI_EXIT_OK;
  case MKLINK_CLI_HELP:
    mklink_out_puts(MKLINK_OUT, posix_help);
    return MKLINK_CLI_EXIT_OK;
  case MKLINK_CLI_VERSION:
    mklink_out_printf(MKLINK_OUT, "mklink %s\n", MKLINK_CLI_VERSION_STRING);
    return MKLINK_CLI_EXIT_OK;
  case MKLINK_CLI_QUERY:
    return mklink_cli_query(o);
  case MKLINK_CLI_LIST:
    return mklink_cli_list(o);
  case MKLINK_CLI_DELETE:
    return mklink_cli_delete(o);
  case MKLINK_CLI_CAPABILITIES:
    return mklink_cli_capabilities(o);
  case MKLINK_CLI_CHECK_PORTABLE:
    return mklink_cli_check_portable(o);
  case MKLINK_CLI_APPLY:
    return mklink_cli_apply(o);
  case MKLINK_CLI_CHECK:
    return mklink_cli_check(o);
  case MKLINK_CLI_UNDO:
    return mklink_cli_undo(o);
  case MKLINK_CLI_MOVE:
    return mklink_cli_move(o);
  case MKLINK_CLI_MOVE_RESUME:
    return mklink_cli_move_resume(o);
  case MKLINK_CLI_MOVE_ROLLBACK:
    return mklink_cli_move_rollback(o);
  case MKLINK_CLI_CREATE:
    break;
  }
  return mklink_cli_create(o);
}

static int run(int argc, char **argv) {
  struct mklink_cli_opts o;
  const char **operands = malloc(((size_t)argc + 1) * sizeof *operands);
  int status, code;

  if (operands == NULL) {
    mklink_cli_error("%s", mklink_strerror(MKLINK_ENOMEM));
    return MKLINK_CLI_EXIT_FAIL;
  }
  status = mklink_cli_parse(argc, argv, &o, operands);
  if (status == MKLINK_CLI_NO_ARGS) {
    mklink_out_puts(MKLINK_OUT, windows_help);
    code = MKLINK_CLI_EXIT_FAIL;
  } else if (status != MKLINK_CLI_OK) {
    mklink_cli_error("%s", o.message);
    if (status == MKLINK_CLI_USAGE)
      mklink_out_puts(MKLINK_ERR, "Try 'mklink --help' for more information.\n");
    code = mklink_cli_status_exit(status);
  } else {
    code = dispatch(&o);
  }
  free(operands);
  /* Results that could not be written are a failure: said on stderr. */
  if (mklink_out_finish() != 0 && code == MKLINK_CLI_EXIT_OK)
    code = MKLINK_CLI_EXIT_FAIL;
  return code;
}

#ifdef _WIN32
#include "cmdline.h"

#include <windows.h>

/* The command line as cmd passed it (GetCommandLineW(), split by the rules
   of cmdline.h, not the C runtime's), as UTF-8 for the library. */
int wmain(int argc, wchar_t **wargv) {
  const wchar_t *line = GetCommandLineW();
  int n = WideCharToMultiByte(CP_UTF8, 0, line, -1, NULL, 0, NULL, NULL);
  char *utf8 = n > 0 ? malloc((size_t)n) : NULL;
  char **argv = NULL;
  int code = MKLINK_CLI_EXIT_FAIL;
  (void)argc, (void)wargv;
  if (utf8 == NULL || WideCharToMultiByte(CP_UTF8, 0, line, -1, utf8, n, NULL, NULL) <= 0) {
    mklink_cli_error("%s", mklink_strerror(MKLINK_EBADNAME));
    mklink_out_finish();
    goto out;
  }
  argv = mklink_cli_split_command_line(utf8, &argc);
  if (argv == NULL) {
    mklink_cli_error("%s", mklink_strerror(MKLINK_ENOMEM));
    mklink_out_finish();
    goto out;
  }
  code = run(argc, argv);
out:
  free(argv);
  free(utf8);
  return code;
}
#else
int main(int argc, char **argv) { return run(argc, argv); }
#endif

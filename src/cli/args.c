/*
 * args.c -- parse the mklink command line without touching the file system.
 *
 * Order of checks follows cmd's mklink: switches are read left to right and
 * the first bad one is reported at once ("/?" shows help at once); the number
 * of names is checked last.  A create speaks Windows whatever the spelling,
 * so a wrong number of names is always "The syntax of the command is
 * incorrect."; only options Windows does not have give POSIX-style usage
 * errors (exit 2).
 */
#include "args.h"

#include <stdio.h>
#include <string.h>

#define KIND_DIR 0x1u
#define KIND_HARD 0x2u
#define KIND_JUNCTION 0x4u

#define GO_ON (-1) /* an argument was taken; read the next one */

struct parser {
  struct mklink_cli_opts *out;
  unsigned kinds;            /* KIND_* asked for, in any spelling            */
  const char *create_opt;    /* first option that only makes sense creating  */
  const char *list_opt;      /* first option that only makes sense listing   */
  const char *apply_opt;     /* first option that only makes sense applying  */
  const char *manifest_opt;  /* first option of --apply and --check only     */
  const char *mode_opt;      /* the option that chose the mode               */
  const char *portable_opt;  /* first option that only makes sense checking  */
  const char *kind_opt;      /* first switch or option that chose a kind     */
  const char *flag_opt;      /* first of --replace, --relative, --require-target */
  const char *dry_run_opt;   /* --dry-run                                    */
  const char *move_opt;      /* --resume or --rollback                       */
  enum mklink_cli_mode move_mode; /* what --resume or --rollback asked for   */
};

static int ascii_lower(int c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; }

static int equal_nocase(const char *a, const char *b) {
  while (*a != '\0' && ascii_lower((unsigned char)*a) == ascii_lower((unsigned char)*b)) {
    a++;
    b++;
  }
  return *a == '\0' && *b == '\0';
}

static int usage(struct parser *p, const char *fmt, const char *what) {
  snprintf(p->out->message, sizeof p->out->message, fmt, what);
  return MKLINK_CLI_USAGE;
}

/* "/D", "/h", "/?" ... : exactly two characters, so "/tmp" stays a path. */
static int is_windows_switch(const char *arg) {
  return arg[0] == '/' && arg[1] != '\0' && arg[2] == '\0';
}

static void note_create(struct parser *p, const char *opt) {
  if (p->create_opt == NULL)
    p->create_opt = opt;
}

/* A kind makes sense creating and moving; the create flags only creating. */
static void note_kind(struct parser *p, const char *opt) {
  note_create(p, opt);
  if (p->kind_opt == NULL)
    p->kind_opt = opt;
}

static void note_list(struct parser *p, const char *opt) {
  if (p->list_opt == NULL)
    p->list_opt = opt;
}

static int windows_switch(struct parser *p, const char *arg) {
  switch (ascii_lower((unsigned char)arg[1])) {
  case 'd':
    p->kinds |= KIND_DIR;
    break;
  case 'h':
    p->kinds |= KIND_HARD;
    break;
  case 'j':
    p->kinds |= KIND_JUNCTION;
    break;
  case '?':
    p->out->mode = MKLINK_CLI_HELP_WINDOWS;
    return MKLINK_CLI_OK;
  default:
    snprintf(p->out->message, sizeof p->out->message, "Invalid switch - \"%s\".", arg + 1);
    return MKLINK_CLI_BAD_SWITCH;
  }
  note_kind(p, arg);
  return GO_ON;
}

static int set_type(struct parser *p, const char *value) {
  if (equal_nocase(value, "symbolic") || equal_nocase(value, "SymbolicLink"))
    return GO_ON; /* a file symlink unless /D or --dir says directory */
  if (equal_nocase(value, "hard") || equal_nocase(value, "HardLink")) {
    p->kinds |= KIND_HARD;
    return GO_ON;
  }
  if (equal_nocase(value, "junction")) {
    p->kinds |= KIND_JUNCTION;
    return GO_ON;
  }
  return usage(p, "mklink: invalid link type '%s' (symbolic, hard, junction)", value);
}

static int set_mode(struct parser *p, enum mklink_cli_mode mode, const char *opt) {
  if (p->mode_opt != NULL && p->out->mode != mode) {
    char both[96];
    snprintf(both, sizeof both, "%.40s and %.40s", p->mode_opt, opt);
    return usage(p, "mklink: %s cannot be used together", both);
  }
  p->out->mode = mode;
  p->mode_opt = opt;
  return GO_ON;
}

/*
 * The long options, one row each.  To add an option: write a row (its name
 * without "--", whether it takes a value, the handler and the handler's
 * argument) and, for a new mode, its value in enum mklink_cli_mode, its name
 * in mode_name() and its operand rule in check_operands().  The handlers
 * below cover the usual cases: opt_mode (--query, --list, ...), opt_kind,
 * opt_create_flag and opt_walk_flag (bits that only make sense creating or
 * listing), opt_stop (--help, --version).  A handler returns GO_ON, or a
 * status that ends the parse.
 */
struct long_opt;
typedef int (*long_opt_fn)(struct parser *p, const struct long_opt *opt, const char *arg,
                           const char *value);

struct long_opt {
  const char *name;     /* without the leading "--"                          */
  int takes_value;      /* 1: "--name VALUE" or "--name=VALUE"; 0: neither   */
  long_opt_fn apply;
  unsigned what;        /* the handler's argument: a mode, KIND_*, flag bits */
  const char *values;   /* takes_value: what the value may be, for messages  */
};

static int opt_stop(struct parser *p, const struct long_opt *opt, const char *arg,
                    const char *value) {
  (void)arg, (void)value;
  p->out->mode = (enum mklink_cli_mode)opt->what;
  return MKLINK_CLI_OK; /* help and version end the parse: later words do not matter */
}

static int opt_mode(struct parser *p, const struct long_opt *opt, const char *arg,
                    const char *value) {
  (void)value;
  return set_mode(p, (enum mklink_cli_mode)opt->what, arg);
}

static int opt_kind(struct parser *p, const struct long_opt *opt, const char *arg,
                    const char *value) {
  (void)value;
  p->kinds |= opt->what;
  note_kind(p, arg);
  return GO_ON;
}

static int opt_type(struct parser *p, const struct long_opt *opt, const char *arg,
                    const char *value) {
  (void)opt, (void)arg;
  note_kind(p, "--type");
  return set_type(p, value);
}

static int opt_create_flag(struct parser *p, const struct long_opt *opt, const char *arg,
                           const char *value) {
  (void)value;
  p->out->create_flags |= opt->what;
  note_create(p, arg);
  if (p->flag_opt == NULL)
    p->flag_opt = arg;
  return GO_ON;
}

static int opt_walk_flag(struct parser *p, const struct long_opt *opt, const char *arg,
                         const char *value) {
  (void)value;
  p->out->walk_flags |= opt->what;
  note_list(p, arg);
  return GO_ON;
}

/* --max-path N: a positive decimal number of UTF-16 units. */
static int opt_max_path(struct parser *p, const struct long_opt *opt, const char *arg,
                        const char *value) {
  size_t n = 0;
  const char *c;
  (void)opt;
  if (p->portable_opt == NULL)
    p->portable_opt = "--max-path";
  (void)arg;
  for (c = value; *c >= '0' && *c <= '9' && n <= 1000000; c++)
    n = n * 10 + (size_t)(*c - '0');
  if (*c != '\0' || c == value || n == 0 || n > 1000000)
    return usage(p, "mklink: invalid --max-path '%s' (a number of UTF-16 units, 1 to 1000000)",
                 value);
  p->out->portable.max_path = n;
  return GO_ON;
}

static int opt_portable_flag(struct parser *p, const struct long_opt *opt, const char *arg,
                             const char *value) {
  (void)value;
  if (p->portable_opt == NULL)
    p->portable_opt = arg;
  p->out->portable.flags |= opt->what;
  return GO_ON;
}

static int opt_json(struct parser *p, const struct long_opt *opt, const char *arg,
                    const char *value) {
  (void)opt, (void)arg, (void)value;
  p->out->json = 1;
  return GO_ON;
}

/* --dry-run: --apply and --move print their plan and change nothing. */
static int opt_dry_run(struct parser *p, const struct long_opt *opt, const char *arg,
                       const char *value) {
  (void)opt, (void)value;
  p->out->dry_run = 1;
  p->dry_run_opt = arg;
  return GO_ON;
}

/* --resume, --rollback: what --move does with an unfinished move. */
static int opt_move_action(struct parser *p, const struct long_opt *opt, const char *arg,
                           const char *value) {
  (void)value;
  if (p->move_opt != NULL && p->move_mode != (enum mklink_cli_mode)opt->what) {
    char both[96];
    snprintf(both, sizeof both, "%.40s and %.40s", p->move_opt, arg);
    return usage(p, "mklink: %s cannot be used together", both);
  }
  p->move_opt = arg;
  p->move_mode = (enum mklink_cli_mode)opt->what;
  return GO_ON;
}

/* --backup, --force: how --apply goes. */
static int opt_apply_flag(struct parser *p, const struct long_opt *opt, const char *arg,
                          const char *value) {
  (void)value;
  p->out->apply_flags |= opt->what;
  if (p->apply_opt == NULL)
    p->apply_opt = arg;
  return GO_ON;
}

/* --strict: how a manifest is read (--apply, --check). */
static int opt_manifest_flag(struct parser *p, const struct long_opt *opt, const char *arg,
                             const char *value) {
  (void)value;
  p->out->manifest_flags |= opt->what;
  if (p->manifest_opt == NULL)
    p->manifest_opt = arg;
  return GO_ON;
}

/* --list --recursive walks the tree; --delete --recursive deletes it. */
static int opt_recursive(struct parser *p, const struct long_opt *opt, const char *arg,
                         const char *value) {
  (void)opt, (void)arg, (void)value;
  p->out->recursive = 1;
  p->out->walk_flags |= MKLINK_WALK_RECURSIVE;
  return GO_ON;
}

static const struct long_opt long_opts[] = {
    {"help", 0, opt_stop, MKLINK_CLI_HELP, NULL},
    {"version", 0, opt_stop, MKLINK_CLI_VERSION, NULL},
    /* creating */
    {"type", 1, opt_type, 0, "symbolic, hard, junction"},
    {"dir", 0, opt_kind, KIND_DIR, NULL},
    {"hard", 0, opt_kind, KIND_HARD, NULL},
    {"junction", 0, opt_kind, KIND_JUNCTION, NULL},
    {"replace", 0, opt_create_flag, MKLINK_REPLACE, NULL},
    {"relative", 0, opt_create_flag, MKLINK_RELATIVE, NULL},
    {"require-target", 0, opt_create_flag, MKLINK_REQUIRE_TARGET, NULL},
    /* every mode */
    {"json", 0, opt_json, 0, NULL},
    {"recursive", 0, opt_recursive, 0, NULL},
    /* listing */
    {"broken", 0, opt_walk_flag, MKLINK_WALK_BROKEN, NULL},
    {"hardlinks", 0, opt_walk_flag, MKLINK_WALK_HARDLINKS, NULL},
    {"targets", 0, opt_walk_flag, MKLINK_WALK_TARGETS, NULL},
    /* checking for Windows */
    {"max-path", 1, opt_max_path, 0, "a number of UTF-16 units"},
    {"no-git", 0, opt_portable_flag, MKLINK_PORTABLE_NO_GIT, NULL},
    /* modes */
    {"query", 0, opt_mode, MKLINK_CLI_QUERY, NULL},
    {"list", 0, opt_mode, MKLINK_CLI_LIST, NULL},
    {"delete", 0, opt_mode, MKLINK_CLI_DELETE, NULL},
    {"capabilities", 0, opt_mode, MKLINK_CLI_CAPABILITIES, NULL},
    {"check-portable", 0, opt_mode, MKLINK_CLI_CHECK_PORTABLE, NULL},
    {"apply", 0, opt_mode, MKLINK_CLI_APPLY, NULL},
    {"check", 0, opt_mode, MKLINK_CLI_CHECK, NULL},
    {"undo", 0, opt_mode, MKLINK_CLI_UNDO, NULL},
    /* manifests */
    {"move", 0, opt_mode, MKLINK_CLI_MOVE, NULL},
    {"resume", 0, opt_move_action, MKLINK_CLI_MOVE_RESUME, NULL},
    {"rollback", 0, opt_move_action, MKLINK_CLI_MOVE_ROLLBACK, NULL},
    /* manifests (and --dry-run: moves too) */
    {"dry-run", 0, opt_dry_run, 0, NULL},
    {"backup", 0, opt_apply_flag, MKLINK_APPLY_BACKUP, NULL},
    {"force", 0, opt_apply_flag, MKLINK_APPLY_FORCE, NULL},
    {"strict", 0, opt_manifest_flag, MKLINK_MANIFEST_STRICT, NULL},
};

static const struct long_opt *find_long_opt(const char *name, size_t len) {
  size_t k;
  for (k = 0; k < sizeof long_opts / sizeof long_opts[0]; k++)
    if (strlen(long_opts[k].name) == len && memcmp(long_opts[k].name, name, len) == 0)
      return &long_opts[k];
  return NULL;
}

/* ARG is "--name" or "--name=VALUE" (VALUE then points after the '='). */
static int long_option(struct parser *p, const char *arg, const char *value,
                       int argc, char **argv, int *i) {
  const char *name = arg + 2;
  size_t len = value != NULL ? (size_t)(value - 1 - name) : strlen(name);
  const struct long_opt *opt = find_long_opt(name, len);

  if (opt == NULL)
    return usage(p, "mklink: unrecognized option '%s'", arg);
  if (!opt->takes_value && value != NULL)
    return usage(p, "mklink: option '%s' takes no value", arg);
  if (opt->takes_value && value == NULL) {
    if (*i + 1 >= argc) {
      snprintf(p->out->message, sizeof p->out->message,
               "mklink: option '--%s' needs a value (%s)", opt->name, opt->values);
      return MKLINK_CLI_USAGE;
    }
    value = argv[++*i];
  }
  return opt->apply(p, opt, arg, value);
}

static int short_options(struct parser *p, const char *arg) {
  const char *c;
  char opt[3] = {'-', '\0', '\0'};
  for (c = arg + 1; *c != '\0'; c++) {
    switch (*c) {
    case 'd':
      p->kinds |= KIND_DIR;
      break;
    case 'H':
      p->kinds |= KIND_HARD;
      break;
    case 'j':
      p->kinds |= KIND_JUNCTION;
      break;
    case 'h':
      /* Windows users type /h for a hard link; say so rather than guess. */
      return usage(p, "mklink: invalid option '%s' (hard link: -H or /H; help: --help)", "-h");
    default:
      opt[1] = *c;
      return usage(p, "mklink: invalid option '%s'", opt);
    }
    note_create(p, arg);
  }
  return GO_ON;
}

static int one_argument(struct parser *p, int argc, char **argv, int *i, int *names_only) {
  const char *arg = argv[*i];
  const char *eq;
  if (!*names_only && strcmp(arg, "--") == 0) {
    *names_only = 1;
    return GO_ON;
  }
  if (!*names_only && is_windows_switch(arg))
    return windows_switch(p, arg);
  if (!*names_only && arg[0] == '-' && arg[1] == '-') {
    eq = strchr(arg, '=');
    return long_option(p, arg, eq != NULL ? eq + 1 : NULL, argc, argv, i);
  }
  if (!*names_only && arg[0] == '-' && arg[1] != '\0')
    return short_options(p, arg);
  p->out->ops[p->out->nops++] = arg;
  return GO_ON;
}

static mklink_kind kind_of(unsigned kinds) {
  /* Windows accepts several switches; the strongest wins: /H, then /J, then /D. */
  if (kinds & KIND_HARD)
    return MKLINK_HARDLINK;
  if (kinds & KIND_JUNCTION)
    return MKLINK_JUNCTION;
  if (kinds & KIND_DIR)
    return MKLINK_DIR_SYMLINK;
  return MKLINK_FILE_SYMLINK;
}

static const char *mode_name(enum mklink_cli_mode mode) {
  switch (mode) {
  case MKLINK_CLI_QUERY:
    return "--query";
  case MKLINK_CLI_LIST:
    return "--list";
  case MKLINK_CLI_DELETE:
    return "--delete";
  case MKLINK_CLI_CAPABILITIES:
    return "--capabilities";
  case MKLINK_CLI_CHECK_PORTABLE:
    return "--check-portable";
  case MKLINK_CLI_APPLY:
    return "--apply";
  case MKLINK_CLI_CHECK:
    return "--check";
  case MKLINK_CLI_UNDO:
    return "--undo";
  case MKLINK_CLI_MOVE:
    return "--move";
  case MKLINK_CLI_MOVE_RESUME:
    return "--move --resume";
  case MKLINK_CLI_MOVE_ROLLBACK:
    return "--move --rollback";
  default:
    return "creating a link";
  }
}

static int check_combination(struct parser *p) {
  struct mklink_cli_opts *out = p->out;
  char what[96];

  if (p->move_opt != NULL) {
    if (out->mode != MKLINK_CLI_MOVE) {
      snprintf(what, sizeof what, "%.40s applies only to --move", p->move_opt);
      return usage(p, "mklink: %s", what);
    }
    out->mode = p->move_mode; /* the journal knows the kind and TARGET */
  }
  if (out->mode == MKLINK_CLI_MOVE && p->flag_opt != NULL) {
    /* A move takes a kind, but leaves LINK exactly as a plain create would. */
    snprintf(what, sizeof what, "%.40s cannot be used with %s", p->flag_opt, mode_name(out->mode));
    return usage(p, "mklink: %s", what);
  }
  if (out->mode != MKLINK_CLI_CREATE && out->mode != MKLINK_CLI_MOVE && p->create_opt != NULL) {
    snprintf(what, sizeof what, "%.40s cannot be used with %s", p->create_opt, mode_name(out->mode));
    return usage(p, "mklink: %s", what);
  }
  if (p->dry_run_opt != NULL) {
    if (out->mode == MKLINK_CLI_MOVE_RESUME || out->mode == MKLINK_CLI_MOVE_ROLLBACK)
      return usage(p, "mklink: --dry-run cannot be used with %s", mode_name(out->mode));
    if (out->mode != MKLINK_CLI_APPLY && out->mode != MKLINK_CLI_MOVE)
      return usage(p, "mklink: %s applies only to --apply and --move", "--dry-run");
    if (out->mode == MKLINK_CLI_APPLY)
      out->apply_flags |= MKLINK_APPLY_DRY_RUN;
  }
  if (out->mode != MKLINK_CLI_LIST && p->list_opt != NULL) {
    snprintf(what, sizeof what, "%.40s applies only to --list", p->list_opt);
    return usage(p, "mklink: %s", what);
  }
  if (out->mode != MKLINK_CLI_CHECK_PORTABLE && p->portable_opt != NULL) {
    snprintf(what, sizeof what, "%.40s applies only to --check-portable", p->portable_opt);
    return usage(p, "mklink: %s", what);
  }
  if (out->mode != MKLINK_CLI_APPLY && p->apply_opt != NULL) {
    snprintf(what, sizeof what, "%.40s applies only to --apply", p->apply_opt);
    return usage(p, "mklink: %s", what);
  }
  if (out->mode != MKLINK_CLI_APPLY && out->mode != MKLINK_CLI_CHECK && p->manifest_opt != NULL) {
    snprintf(what, sizeof what, "%.40s applies only to --apply and --check", p->manifest_opt);
    return usage(p, "mklink: %s", what);
  }
  if ((out->apply_flags & MKLINK_APPLY_BACKUP) && (out->apply_flags & MKLINK_APPLY_FORCE))
    return usage(p, "mklink: %s cannot be used together", "--backup and --force");
  if (out->recursive && out->mode != MKLINK_CLI_LIST && out->mode != MKLINK_CLI_DELETE)
    return usage(p, "mklink: %s applies only to --list and --delete", "--recursive");
  if ((out->create_flags & MKLINK_RELATIVE) &&
      (out->kind == MKLINK_HARDLINK || out->kind == MKLINK_JUNCTION))
    return usage(p, "mklink: %s applies only to symbolic links", "--relative");
  return MKLINK_CLI_OK;
}

static int check_operands(struct parser *p) {
  struct mklink_cli_opts *out = p->out;
  switch (out->mode) {
  case MKLINK_CLI_CREATE:
  case MKLINK_CLI_MOVE: /* the Windows syntax, as a create */
    if (out->nops != 2) {
      snprintf(out->message, sizeof out->message, "The syntax of the command is incorrect.");
      return MKLINK_CLI_BAD_SYNTAX;
    }
    return MKLINK_CLI_OK;
  case MKLINK_CLI_QUERY:
  case MKLINK_CLI_DELETE:
    if (out->nops == 0)
      return usage(p, "mklink: %s needs at least one PATH", mode_name(out->mode));
    return MKLINK_CLI_OK;
  case MKLINK_CLI_APPLY:
  case MKLINK_CLI_CHECK:
  case MKLINK_CLI_UNDO:
    if (out->nops != 1)
      return usage(p, "mklink: %s needs exactly one manifest FILE", mode_name(out->mode));
    return MKLINK_CLI_OK;
  case MKLINK_CLI_MOVE_RESUME:
  case MKLINK_CLI_MOVE_ROLLBACK:
    if (out->nops != 1)
      return usage(p, "mklink: %s needs exactly one LINK", mode_name(out->mode));
    return MKLINK_CLI_OK;
  case MKLINK_CLI_CAPABILITIES:
    if (out->nops > 1)
      return usage(p, "mklink: %s takes at most one DIR", mode_name(out->mode));
    return MKLINK_CLI_OK;
  default:
    return MKLINK_CLI_OK;
  }
}

int mklink_cli_parse(int argc, char **argv, struct mklink_cli_opts *out,
                     const char **operands) {
  struct parser p;
  int i, names_only = 0, status;

  memset(out, 0, sizeof *out);
  memset(&p, 0, sizeof p);
  p.out = out;
  out->mode = MKLINK_CLI_CREATE;
  out->ops = operands;
  if (argc <= 1 || argv == NULL) {
    out->mode = MKLINK_CLI_HELP_WINDOWS;
    return MKLINK_CLI_NO_ARGS;
  }
  for (i = 1; i < argc; i++) {
    status = one_argument(&p, argc, argv, &i, &names_only);
    if (status != GO_ON)
      return status; /* help, version, or the first error */
  }
  out->kind = kind_of(p.kinds);
  status = check_combination(&p);
  if (status != MKLINK_CLI_OK)
    return status;
  return check_operands(&p);
}

int mklink_cli_status_exit(int status) {
  switch (status) {
  case MKLINK_CLI_OK:
    return MKLINK_CLI_EXIT_OK;
  case MKLINK_CLI_USAGE:
    return MKLINK_CLI_EXIT_USAGE;
  default:
    return MKLINK_CLI_EXIT_FAIL;
  }
}

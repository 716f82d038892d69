/* commands.c -- create, query, list, delete and capabilities, with output. */
#include "commands.h"

#include "json.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void mklink_cli_error(const char *fmt, ...) {
  va_list ap;
  fflush(stdout);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}

/* Stable names for --json (documented in docs/mklink.1). */
static const char *json_kind(mklink_kind kind) {
  switch (kind) {
  case MKLINK_FILE_SYMLINK:
    return "file_symlink";
  case MKLINK_DIR_SYMLINK:
    return "dir_symlink";
  case MKLINK_HARDLINK:
    return "hardlink";
  case MKLINK_JUNCTION:
    return "junction";
  case MKLINK_OTHER_REPARSE:
    return "other_reparse";
  case MKLINK_NOT_LINK:
    break;
  }
  return "none";
}

/* The type column of `dir /AL`, plus the kinds dir does not show. */
static const char *dir_tag(const mklink_info *info) {
  switch (info->kind) {
  case MKLINK_FILE_SYMLINK:
    return "<SYMLINK>";
  case MKLINK_DIR_SYMLINK:
    return "<SYMLINKD>";
  case MKLINK_JUNCTION:
    return "<JUNCTION>";
  case MKLINK_HARDLINK:
    return "<HARDLINK>";
  case MKLINK_OTHER_REPARSE:
    return "<REPARSE>";
  case MKLINK_NOT_LINK:
    break;
  }
  return info->target_is_dir ? "<DIR>" : "<FILE>";
}

static int is_symbolic(mklink_kind kind) {
  return kind == MKLINK_FILE_SYMLINK || kind == MKLINK_DIR_SYMLINK || kind == MKLINK_JUNCTION;
}

/* "<SYMLINK>      name [target]" as `dir /AL` prints it, without the date. */
static void print_entry(const char *path, const mklink_info *info, int with_resolved) {
  printf("%-15s%s", dir_tag(info), path);
  if (is_symbolic(info->kind)) {
    printf(" [%s]", info->target);
    if (with_resolved)
      printf(" -> %s", info->resolved);
    if (info->target_checked && !info->target_exists) /* --list without --targets
                                                         does not look */
      fputs(" (broken)", stdout);
  } else if (info->kind == MKLINK_HARDLINK) {
    printf(" [%lu links]", info->nlink);
  }
  putchar('\n');
}

/* true or false, or null when the target was not looked at (a walk
   without --targets). */
static void json_checked(struct mklink_json *j, const char *key, int checked, int value) {
  if (!checked)
    mklink_json_string(j, key, NULL);
  else
    mklink_json_bool(j, key, value);
}

static void json_info(struct mklink_json *j, const mklink_info *info) {
  int symbolic = is_symbolic(info->kind);
  mklink_json_string(j, "kind", json_kind(info->kind));
  mklink_json_string(j, "target", symbolic ? info->target : NULL);
  mklink_json_string(j, "resolved", info->resolved);
  if (!symbolic)
    mklink_json_bool(j, "broken", 0);
  else
    json_checked(j, "broken", info->target_checked, !info->target_exists);
  json_checked(j, "target_is_dir", info->target_checked, info->target_is_dir);
  mklink_json_number(j, "nlink", (long long)info->nlink);
}

static void json_error(struct mklink_json *j, int err) {
  mklink_json_bool(j, "ok", 0);
  mklink_json_string(j, "error", mklink_err_name(err));
  mklink_json_string(j, "message", mklink_strerror(err));
}

/* ---- create ------------------------------------------------------------- */

static const char *created_line(mklink_kind kind) {
  switch (kind) {
  case MKLINK_HARDLINK:
    return "Hardlink created for";
  case MKLINK_JUNCTION:
    return "Junction created for";
  default:
    return "symbolic link created for";
  }
}

int mklink_cli_create(const struct mklink_cli_opts *o) {
  const char *link = o->ops[0], *target = o->ops[1];
  int err = mklink_create(link, target, o->kind, o->create_flags);
  struct mklink_json j;

  if (err != 0)
    mklink_cli_error("%s", mklink_strerror(err)); /* alone, as cmd prints it */
  if (o->json) {
    mklink_json_begin(&j, stdout);
    mklink_json_string(&j, "op", "create");
    mklink_json_string(&j, "link", link);
    mklink_json_string(&j, "target", target);
    mklink_json_string(&j, "kind", json_kind(o->kind));
    if (err != 0)
      json_error(&j, err);
    else
      mklink_json_bool(&j, "ok", 1);
    mklink_json_end(&j);
  } else if (err == 0) {
    printf("%s %s <<===>> %s\n", created_line(o->kind), link, target);
  }
  return err == 0 ? MKLINK_CLI_EXIT_OK : MKLINK_CLI_EXIT_FAIL;
}

/* ---- query -------------------------------------------------------------- */

int mklink_cli_query(const struct mklink_cli_opts *o) {
  mklink_info info;
  struct mklink_json j;
  int i, err, status = MKLINK_CLI_EXIT_OK;

  for (i = 0; i < o->nops; i++) {
    err = mklink_query(o->ops[i], &info);
    if (err != 0) {
      mklink_cli_error("mklink: query '%s': %s", o->ops[i], mklink_strerror(err));
      status = MKLINK_CLI_EXIT_FAIL;
    }
    if (o->json) {
      mklink_json_begin(&j, stdout);
      mklink_json_string(&j, "op", "query");
      mklink_json_string(&j, "path", o->ops[i]);
      if (err != 0) {
        json_error(&j, err);
      } else {
        mklink_json_bool(&j, "ok", 1);
        json_info(&j, &info);
      }
      mklink_json_end(&j);
    } else if (err == 0) {
      print_entry(o->ops[i], &info, 1);
    }
    mklink_info_free(&info);
  }
  return status;
}

/* ---- list --------------------------------------------------------------- */

struct list_state {
  const struct mklink_cli_opts *o;
  int strip_dot;  /* DIR was not given: show "x", not "./x" */
  int failed;
  unsigned long found;
};

static const char *shown_path(const struct list_state *s, const char *path) {
  if (s->strip_dot && path[0] == '.' && (path[1] == '/' || path[1] == '\\'))
    return path + 2;
  return path;
}

static int list_one(const mklink_walk_entry *e, void *arg) {
  struct list_state *s = arg;
  const char *path = shown_path(s, e->path);
  struct mklink_json j;

  if (e->error != 0) {
    mklink_cli_error("mklink: list '%s': %s", path, mklink_strerror(e->error));
    s->failed = 1;
  } else {
    s->found++;
  }
  if (s->o->json) {
    mklink_json_begin(&j, stdout);
    mklink_json_string(&j, "op", "list");
    mklink_json_string(&j, "path", path);
    if (e->error != 0) {
      json_error(&j, e->error);
    } else {
      mklink_json_bool(&j, "ok", 1);
      json_info(&j, e->info);
    }
    mklink_json_end(&j);
  } else if (e->error == 0) {
    print_entry(path, e->info, 0);
  }
  return 0;
}

int mklink_cli_list(const struct mklink_cli_opts *o) {
  static const char *const here[] = {"."};
  const char *const *dirs = o->nops > 0 ? o->ops : here;
  int i, n = o->nops > 0 ? o->nops : 1, err;
  struct list_state s;

  memset(&s, 0, sizeof s);
  s.o = o;
  s.strip_dot = o->nops == 0;
  for (i = 0; i < n; i++) {
    err = mklink_walk(dirs[i], o->walk_flags, list_one, &s);
    if (err != 0) {
      mklink_cli_error("mklink: list '%s': %s", dirs[i], mklink_strerror(err));
      s.failed = 1;
    }
  }
  if (s.failed)
    return MKLINK_CLI_EXIT_FAIL;
  /* --broken is a check: finding any dangling link fails it, so CI can. */
  if ((o->walk_flags & MKLINK_WALK_BROKEN) && s.found > 0)
    return MKLINK_CLI_EXIT_FAIL;
  return MKLINK_CLI_EXIT_OK;
}

/* ---- delete ------------------------------------------------------------- */

int mklink_cli_delete(const struct mklink_cli_opts *o) {
  struct mklink_json j;
  int i, err, status = MKLINK_CLI_EXIT_OK;

  for (i = 0; i < o->nops; i++) {
    /* --recursive deletes the tree, links inside it as links; without it
       only a link is ever removed. */
    err = o->recursive ? mklink_remove_tree(o->ops[i]) : mklink_remove(o->ops[i]);
    if (err != 0) {
      mklink_cli_error("mklink: delete '%s': %s", o->ops[i], mklink_strerror(err));
      status = MKLINK_CLI_EXIT_FAIL;
    }
    if (o->json) {
      mklink_json_begin(&j, stdout);
      mklink_json_string(&j, "op", "delete");
      mklink_json_string(&j, "path", o->ops[i]);
      if (err != 0)
        json_error(&j, err);
      else
        mklink_json_bool(&j, "ok", 1);
      mklink_json_end(&j);
    }
  }
  return status;
}

/* ---- capabilities ------------------------------------------------------- */

static const mklink_kind creatable[] = {MKLINK_FILE_SYMLINK, MKLINK_DIR_SYMLINK,
                                        MKLINK_HARDLINK, MKLINK_JUNCTION};
#define NCREATABLE (sizeof creatable / sizeof creatable[0])

static const char *support_of(const mklink_caps *caps, mklink_kind kind) {
  if (caps->real & MKLINK_KIND_BIT(kind))
    return "real";
  if (caps->simulated & MKLINK_KIND_BIT(kind))
    return "simulated";
  return "not supported";
}

static void json_kinds(struct mklink_json *j, const char *key, unsigned bits) {
  size_t k;
  int n = 0;
  mklink_json_begin_array(j, key);
  for (k = 0; k < NCREATABLE; k++)
    if (bits & MKLINK_KIND_BIT(creatable[k]))
      mklink_json_array_string(j, n++, json_kind(creatable[k]));
  mklink_json_end_array(j);
}

int mklink_cli_capabilities(const struct mklink_cli_opts *o) {
  const char *dir = o->nops > 0 ? o->ops[0] : NULL;
  const char *shown = dir != NULL ? dir : ".";
  struct mklink_json j;
  mklink_caps caps;
  size_t k;
  int err = mklink_capabilities(dir, &caps);

  if (err != 0)
    mklink_cli_error("mklink: capabilities '%s': %s", shown, mklink_strerror(err));
  if (o->json) {
    mklink_json_begin(&j, stdout);
    mklink_json_string(&j, "op", "capabilities");
    mklink_json_string(&j, "dir", shown);
    if (err != 0) {
      json_error(&j, err);
    } else {
      mklink_json_bool(&j, "ok", 1);
      json_kinds(&j, "real", caps.real);
      json_kinds(&j, "simulated", caps.simulated);
      mklink_json_string(&j, "emulator", caps.emulator[0] != '\0' ? caps.emulator : NULL);
      mklink_json_string(&j, "emulator_version",
                         caps.emulator[0] != '\0' ? caps.emulator_version : NULL);
    }
    mklink_json_end(&j);
  } else if (err == 0) {
    for (k = 0; k < NCREATABLE; k++)
      printf("%-19s%s\n", mklink_kind_name(creatable[k]), support_of(&caps, creatable[k]));
    if (caps.emulator[0] != '\0')
      printf("%-19s%s %s\n", "emulator", caps.emulator, caps.emulator_version);
    else
      printf("%-19s%s\n", "emulator", "none");
  }
  return err == 0 ? MKLINK_CLI_EXIT_OK : MKLINK_CLI_EXIT_FAIL;
}

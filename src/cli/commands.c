/* commands.c -- create, query, list, delete and capabilities, with output. */
#include "commands.h"

#include "json.h"
#include "output.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void mklink_cli_error(const char *fmt, ...) {
  char small[1024], *line = small;
  va_list ap;
  int n;
  va_start(ap, fmt);
  n = vsnprintf(small, sizeof small - 1, fmt, ap);
  va_end(ap);
  if (n < 0)
    return;
  if ((size_t)n >= sizeof small - 1) {
    if ((line = malloc((size_t)n + 2)) == NULL)
      return;
    va_start(ap, fmt);
    vsnprintf(line, (size_t)n + 1, fmt, ap);
    va_end(ap);
  }
  line[n] = '\n'; /* one write: the whole line at once */
  mklink_out_write(MKLINK_ERR, line, (size_t)n + 1);
  if (line != small)
    free(line);
}

/* The library's words for ERR; for an OS error its table does not map
   (MKLINK_EOS), the system's own.  BUF has MKLINK_STRERROR_MAX bytes. */
static const char *message_of(int err, char *buf) {
  return mklink_strerror_r(err, buf, MKLINK_STRERROR_MAX);
}

/*
 * What cmd's mklink prints when a create fails with ERR.  For three
 * situations cmd has texts of its own, which the Win32 error's text does not
 * match (docs/semantics.md, "Where each message comes from"):
 * - /H across volumes (MKLINK_EXDEV);
 * - /H where a volume is not a local NTFS one (MKLINK_EREMOTE: a network
 *   volume; MKLINK_ENOTSUP: a file system without hard links, FAT);
 * - a symbolic link where the file system has none (MKLINK_ENOTSUP).
 * Everything else is the library's message.  --json keeps the library's code
 * and message.
 */
static const char *cmd_message(mklink_kind kind, int err, char *buf) {
  if (kind == MKLINK_HARDLINK && err == MKLINK_EXDEV)
    return "The new link and the existing file must be on the same NTFS volume.";
  if (kind == MKLINK_HARDLINK && (err == MKLINK_EREMOTE || err == MKLINK_ENOTSUP))
    return "Local NTFS volumes are required to complete the operation.";
  if ((kind == MKLINK_FILE_SYMLINK || kind == MKLINK_DIR_SYMLINK) && err == MKLINK_ENOTSUP)
    return "The device does not support symbolic links.";
  return message_of(err, buf);
}

/* Write J's object (one line) on stdout. */
static void emit(struct mklink_json *j) {
  if (j->failed) {
    mklink_cli_error("mklink: %s", mklink_strerror(MKLINK_ENOMEM));
    return;
  }
  mklink_out_write(MKLINK_OUT, j->buf, j->len);
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
  case MKLINK_MOUNT_POINT:
    return "mount_point";
  case MKLINK_NOT_LINK:
    break;
  }
  return "none";
}

const char *mklink_cli_json_kind(mklink_kind kind) { return json_kind(kind); }

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
  case MKLINK_MOUNT_POINT:
    return "<MOUNT>";
  case MKLINK_NOT_LINK:
    break;
  }
  return info->target_is_dir ? "<DIR>" : "<FILE>";
}

static int is_symbolic(mklink_kind kind) {
  return kind == MKLINK_FILE_SYMLINK || kind == MKLINK_DIR_SYMLINK || kind == MKLINK_JUNCTION;
}

/* "<SYMLINK>      name [target]" as `dir /AL` prints it, without the date.
   Written in pieces, not through printf: a walk prints this per link, and
   a path can be far longer than any buffer printf would format into. */
static void print_entry(const char *path, const mklink_info *info, int with_resolved) {
  static const char pad[] = "               "; /* the tag column: 15 wide */
  const char *tag = dir_tag(info);
  size_t tag_len = strlen(tag);
  mklink_out_write(MKLINK_OUT, tag, tag_len);
  if (tag_len < sizeof pad - 1)
    mklink_out_write(MKLINK_OUT, pad, sizeof pad - 1 - tag_len);
  mklink_out_puts(MKLINK_OUT, path);
  if (is_symbolic(info->kind)) {
    mklink_out_write(MKLINK_OUT, " [", 2);
    mklink_out_puts(MKLINK_OUT, info->target);
    mklink_out_write(MKLINK_OUT, "]", 1);
    if (with_resolved) {
      mklink_out_write(MKLINK_OUT, " -> ", 4);
      mklink_out_puts(MKLINK_OUT, info->resolved);
    }
    if (info->target_checked && !info->target_exists) /* --list without --targets
                                                         does not look */
      mklink_out_puts(MKLINK_OUT, " (broken)");
  } else if (info->kind == MKLINK_HARDLINK) {
    mklink_out_printf(MKLINK_OUT, " [%lu links]", info->nlink);
  }
  mklink_out_puts(MKLINK_OUT, "\n");
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

/* "ok":false with the library's code and message; "os_error" as well for
   an OS error the library's table does not map. */
static void json_error(struct mklink_json *j, int err) {
  char buf[MKLINK_STRERROR_MAX];
  mklink_json_bool(j, "ok", 0);
  mklink_json_string(j, "error", mklink_err_name(err));
  mklink_json_string(j, "message", message_of(err, buf));
  if (mklink_err_os(err) != 0)
    mklink_json_number(j, "os_error", mklink_err_os(err));
}

/* ---- create ------------------------------------------------------------- */

const char *mklink_cli_created_words(mklink_kind kind) {
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
  struct mklink_json j = MKLINK_JSON_INIT;
  char buf[MKLINK_STRERROR_MAX];

  if (err != 0)
    mklink_cli_error("%s", cmd_message(o->kind, err, buf)); /* alone, as cmd prints it */
  if (o->json) {
    mklink_json_begin(&j);
    mklink_json_string(&j, "op", "create");
    mklink_json_string(&j, "link", link);
    mklink_json_string(&j, "target", target);
    mklink_json_string(&j, "kind", json_kind(o->kind));
    if (err != 0)
      json_error(&j, err);
    else
      mklink_json_bool(&j, "ok", 1);
    mklink_json_end(&j);
    emit(&j);
    mklink_json_free(&j);
  } else if (err == 0) {
    mklink_out_printf(MKLINK_OUT, "%s %s <<===>> %s\n", mklink_cli_created_words(o->kind), link,
                      target);
  }
  return err == 0 ? MKLINK_CLI_EXIT_OK : MKLINK_CLI_EXIT_FAIL;
}

/* ---- query -------------------------------------------------------------- */

int mklink_cli_query(const struct mklink_cli_opts *o) {
  mklink_info info;
  struct mklink_json j = MKLINK_JSON_INIT;
  char buf[MKLINK_STRERROR_MAX];
  int i, err, status = MKLINK_CLI_EXIT_OK;

  for (i = 0; i < o->nops && !mklink_out_failed(); i++) {
    err = mklink_query(o->ops[i], &info);
    if (err != 0) {
      mklink_cli_error("mklink: query '%s': %s", o->ops[i], message_of(err, buf));
      status = MKLINK_CLI_EXIT_FAIL;
    }
    if (o->json) {
      mklink_json_begin(&j);
      mklink_json_string(&j, "op", "query");
      mklink_json_string(&j, "path", o->ops[i]);
      if (err != 0) {
        json_error(&j, err);
      } else {
        mklink_json_bool(&j, "ok", 1);
        json_info(&j, &info);
      }
      mklink_json_end(&j);
      emit(&j);
    } else if (err == 0) {
      print_entry(o->ops[i], &info, 1);
    }
    mklink_info_free(&info);
  }
  mklink_json_free(&j);
  return status;
}

/* ---- list --------------------------------------------------------------- */

struct list_state {
  const struct mklink_cli_opts *o;
  int strip_dot;  /* DIR was not given: show "x", not "./x" */
  int failed;
  unsigned long found;
  struct mklink_json j; /* reused for every line */
};

/* One --json line for PATH: the entry INFO, or the error ERR. */
static void list_json(struct list_state *s, const char *path, int err, const mklink_info *info) {
  mklink_json_begin(&s->j);
  mklink_json_string(&s->j, "op", "list");
  mklink_json_string(&s->j, "path", path);
  if (err != 0) {
    json_error(&s->j, err);
  } else {
    mklink_json_bool(&s->j, "ok", 1);
    json_info(&s->j, info);
  }
  mklink_json_end(&s->j);
  emit(&s->j);
}

static const char *shown_path(const struct list_state *s, const char *path) {
  if (s->strip_dot && path[0] == '.' && (path[1] == '/' || path[1] == '\\'))
    return path + 2;
  return path;
}

/* Returned by list_one to stop a walk whose output can no longer be
   written (stdout full or closed): nothing more would reach anyone. */
#define LIST_STOPPED 1

static int list_one(const mklink_walk_entry *e, void *arg) {
  struct list_state *s = arg;
  const char *path = shown_path(s, e->path);
  char buf[MKLINK_STRERROR_MAX];

  if (e->error != 0) {
    mklink_cli_error("mklink: list '%s': %s", path, message_of(e->error, buf));
    s->failed = 1;
  } else {
    s->found++;
  }
  if (s->o->json)
    list_json(s, path, e->error, e->info);
  else if (e->error == 0)
    print_entry(path, e->info, 0);
  return mklink_out_failed() ? LIST_STOPPED : 0;
}

int mklink_cli_list(const struct mklink_cli_opts *o) {
  static const char *const here[] = {"."};
  const char *const *dirs = o->nops > 0 ? o->ops : here;
  int i, n = o->nops > 0 ? o->nops : 1, err;
  struct list_state s;
  char buf[MKLINK_STRERROR_MAX];

  memset(&s, 0, sizeof s);
  s.o = o;
  s.strip_dot = o->nops == 0;
  for (i = 0; i < n && !mklink_out_failed(); i++) {
    err = mklink_walk(dirs[i], o->walk_flags, list_one, &s);
    if (err == LIST_STOPPED)
      break;
    if (err != 0) {
      /* DIR itself could not be listed: said like an entry's error, and in
         --json as an "ok":false object, as --query and --delete do. */
      mklink_cli_error("mklink: list '%s': %s", dirs[i], message_of(err, buf));
      if (o->json)
        list_json(&s, dirs[i], err, NULL);
      s.failed = 1;
    }
  }
  mklink_json_free(&s.j);
  if (s.failed)
    return MKLINK_CLI_EXIT_FAIL;
  /* --broken is a check: finding any dangling link fails it, so CI can. */
  if ((o->walk_flags & MKLINK_WALK_BROKEN) && s.found > 0)
    return MKLINK_CLI_EXIT_FAIL;
  return MKLINK_CLI_EXIT_OK;
}

/* ---- delete ------------------------------------------------------------- */

struct delete_state {
  const struct mklink_cli_opts *o;
  int reported; /* entries inside the tree that were named */
};

/* An entry inside a tree that --delete --recursive could not remove: named
   on stderr (and in --json), and the delete goes on. */
static int delete_entry_failed(const char *path, int err, void *arg) {
  struct delete_state *s = arg;
  struct mklink_json j = MKLINK_JSON_INIT;
  char buf[MKLINK_STRERROR_MAX];
  s->reported++;
  mklink_cli_error("mklink: delete '%s': %s", path, message_of(err, buf));
  if (s->o->json) {
    mklink_json_begin(&j);
    mklink_json_string(&j, "op", "delete");
    mklink_json_string(&j, "path", path);
    json_error(&j, err);
    mklink_json_end(&j);
    emit(&j);
    mklink_json_free(&j);
  }
  return 0;
}

int mklink_cli_delete(const struct mklink_cli_opts *o) {
  struct mklink_json j = MKLINK_JSON_INIT;
  struct delete_state s;
  char buf[MKLINK_STRERROR_MAX];
  int i, err, status = MKLINK_CLI_EXIT_OK;

  s.o = o;
  for (i = 0; i < o->nops; i++) {
    /* --recursive deletes the tree, links inside it as links; without it
       only a link is ever removed. */
    s.reported = 0;
    err = o->recursive ? mklink_remove_tree_report(o->ops[i], delete_entry_failed, &s)
                       : mklink_remove(o->ops[i]);
    if (err != 0) {
      /* The entries that failed were named already; PATH only if it was
         PATH itself. */
      if (s.reported == 0)
        mklink_cli_error("mklink: delete '%s': %s", o->ops[i], message_of(err, buf));
      status = MKLINK_CLI_EXIT_FAIL;
    }
    if (o->json) {
      mklink_json_begin(&j);
      mklink_json_string(&j, "op", "delete");
      mklink_json_string(&j, "path", o->ops[i]);
      if (err != 0)
        json_error(&j, err);
      else
        mklink_json_bool(&j, "ok", 1);
      mklink_json_end(&j);
      emit(&j);
    }
  }
  mklink_json_free(&j);
  return status;
}

/* ---- capabilities ------------------------------------------------------- */

static const mklink_kind creatable[] = {MKLINK_FILE_SYMLINK, MKLINK_DIR_SYMLINK,
                                        MKLINK_HARDLINK, MKLINK_JUNCTION};
#define NCREATABLE (sizeof creatable / sizeof creatable[0])

static const char *support_of(const mklink_caps *caps, mklink_kind kind) {
  if (caps->bridged & MKLINK_KIND_BIT(kind))
    return "real (wine bridge)";
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
  struct mklink_json j = MKLINK_JSON_INIT;
  char buf[MKLINK_STRERROR_MAX];
  mklink_caps caps;
  size_t k;
  int err = mklink_capabilities(dir, &caps);

  if (err != 0)
    mklink_cli_error("mklink: capabilities '%s': %s", shown, message_of(err, buf));
  if (o->json) {
    mklink_json_begin(&j);
    mklink_json_string(&j, "op", "capabilities");
    mklink_json_string(&j, "dir", shown);
    if (err != 0) {
      json_error(&j, err);
    } else {
      mklink_json_bool(&j, "ok", 1);
      json_kinds(&j, "real", caps.real);
      json_kinds(&j, "simulated", caps.simulated);
      json_kinds(&j, "bridged", caps.bridged);
      mklink_json_string(&j, "emulator", caps.emulator[0] != '\0' ? caps.emulator : NULL);
      mklink_json_string(&j, "emulator_version",
                         caps.emulator[0] != '\0' ? caps.emulator_version : NULL);
    }
    mklink_json_end(&j);
    emit(&j);
    mklink_json_free(&j);
  } else if (err == 0) {
    for (k = 0; k < NCREATABLE; k++)
      mklink_out_printf(MKLINK_OUT, "%-19s%s\n", mklink_kind_name(creatable[k]),
                        support_of(&caps, creatable[k]));
    if (caps.emulator[0] != '\0')
      mklink_out_printf(MKLINK_OUT, "%-19s%s %s\n", "emulator", caps.emulator,
                        caps.emulator_version);
    else
      mklink_out_printf(MKLINK_OUT, "%-19s%s\n", "emulator", "none");
  }
  return err == 0 ? MKLINK_CLI_EXIT_OK : MKLINK_CLI_EXIT_FAIL;
}

/* ---- check-portable ---------------------------------------------------- */

struct check_state {
  const struct mklink_cli_opts *o;
  int strip_dot;          /* DIR was not given: show "x", not "./x"        */
  unsigned long found;
  int failed;
  char *text;             /* a path with its odd bytes written \xNN       */
  size_t text_cap;
  struct mklink_json j;
};

/* PATH as a line can show it: bytes that are not UTF-8 and control
   characters as \xNN.  Returns PATH itself when nothing needs it (and
   *CHANGED 0). */
static const char *shown_name(struct check_state *s, const char *path, int *changed) {
  const unsigned char *u = (const unsigned char *)path;
  size_t n = strlen(path), i, k = 0, need = 4 * n + 1;
  char *grown;
  *changed = 0;
  for (i = 0; i < n; i++)
    if (u[i] < 0x20 || u[i] >= 0x80)
      break;
  if (i == n)
    return path; /* printable ASCII: the common case */
  if (need > s->text_cap) {
    if ((grown = realloc(s->text, need)) == NULL)
      return path;
    s->text = grown;
    s->text_cap = need;
  }
  for (i = 0; i < n;) {
    size_t len = 0;
    unsigned char c = u[i];
    if (c >= 0xC2 && c <= 0xDF)
      len = 2;
    else if (c >= 0xE0 && c <= 0xEF)
      len = 3;
    else if (c >= 0xF0 && c <= 0xF4)
      len = 4;
    if (c >= 0x20 && c < 0x80) {
      s->text[k++] = (char)c;
      i++;
      continue;
    }
    if (len > 0 && i + len <= n) {
      size_t j;
      long cp = c & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
      for (j = 1; j < len && (u[i + j] & 0xC0) == 0x80; j++)
        cp = (cp << 6) | (u[i + j] & 0x3F);
      if (j == len && cp >= (len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000) && cp <= 0x10FFFF &&
          !(cp >= 0xD800 && cp <= 0xDFFF)) {
        memcpy(s->text + k, path + i, len);
        k += len;
        i += len;
        continue;
      }
    }
    k += (size_t)sprintf(s->text + k, "\\x%02X", c);
    *changed = 1;
    i++;
  }
  s->text[k] = '\0';
  return s->text;
}

/* "<RESERVED-NAME>" for "reserved-name"; a mount point is "<MOUNT>", as
   --list --recursive says (the JSON kind stays "mount-point"). */
static void finding_tag(mklink_portable_kind kind, char *buf, size_t size) {
  const char *name = kind == MKLINK_PORTABLE_MOUNT_POINT ? "mount"
                                                         : mklink_portable_kind_name(kind);
  size_t k = 0;
  buf[k++] = '<';
  for (; *name != '\0' && k + 2 < size; name++)
    buf[k++] = (char)(*name >= 'a' && *name <= 'z' ? *name - 'a' + 'A' : *name);
  buf[k++] = '>';
  buf[k] = '\0';
}

static int check_one(const mklink_portable_finding *f, void *arg) {
  struct check_state *s = arg;
  const char *path = f->path;
  char buf[MKLINK_STRERROR_MAX], tag[40];
  int changed;

  if (s->strip_dot && path[0] == '.' && (path[1] == '/' || path[1] == '\\'))
    path += 2;
  if (f->error != 0) {
    s->failed = 1;
    if (f->detail[0] != '\0')
      mklink_cli_error("mklink: check-portable '%s': %s (%s)", shown_name(s, path, &changed),
                       message_of(f->error, buf), f->detail);
    else
      mklink_cli_error("mklink: check-portable '%s': %s", shown_name(s, path, &changed),
                       message_of(f->error, buf));
    if (s->o->json) {
      mklink_json_begin(&s->j);
      mklink_json_string(&s->j, "op", "check-portable");
      mklink_json_string(&s->j, "path", path);
      json_error(&s->j, f->error);
      if (f->detail[0] != '\0')
        mklink_json_string(&s->j, "detail", f->detail);
      mklink_json_end(&s->j);
      emit(&s->j);
    }
    return mklink_out_failed() ? LIST_STOPPED : 0;
  }
  s->found++;
  if (s->o->json) {
    mklink_json_begin(&s->j);
    mklink_json_string(&s->j, "op", "check-portable");
    mklink_json_bool(&s->j, "ok", 1);
    mklink_json_string(&s->j, "kind", mklink_portable_kind_name(f->kind));
    mklink_json_string(&s->j, "path", path);
    shown_name(s, path, &changed);
    if (changed)
      mklink_json_string(&s->j, "path_escaped", s->text);
    mklink_json_string(&s->j, "detail", f->detail);
    if (f->kind == MKLINK_PORTABLE_CASE_COLLISION && f->other != NULL)
      mklink_json_string(&s->j, "other",
                         s->strip_dot && f->other[0] == '.' &&
                                 (f->other[1] == '/' || f->other[1] == '\\')
                             ? f->other + 2
                             : f->other);
    else if (f->other != NULL)
      mklink_json_string(&s->j, "target", f->other);
    if (f->limit > 0) {
      mklink_json_number(&s->j, "length", (long long)f->length);
      mklink_json_number(&s->j, "limit", (long long)f->limit);
    }
    mklink_json_end(&s->j);
    emit(&s->j);
  } else {
    finding_tag(f->kind, tag, sizeof tag);
    mklink_out_printf(MKLINK_OUT, "%-24s%s: %s\n", tag, shown_name(s, path, &changed),
                      f->detail);
  }
  return mklink_out_failed() ? LIST_STOPPED : 0;
}

int mklink_cli_check_portable(const struct mklink_cli_opts *o) {
  static const char *const here[] = {"."};
  const char *const *dirs = o->nops > 0 ? o->ops : here;
  int i, n = o->nops > 0 ? o->nops : 1, err, changed;
  struct check_state s;
  char buf[MKLINK_STRERROR_MAX];

  memset(&s, 0, sizeof s);
  s.o = o;
  s.strip_dot = o->nops == 0;
  for (i = 0; i < n && !mklink_out_failed(); i++) {
    err = mklink_check_portable(dirs[i], &o->portable, check_one, &s);
    if (err == LIST_STOPPED)
      break;
    if (err != 0) {
      mklink_cli_error("mklink: check-portable '%s': %s", shown_name(&s, dirs[i], &changed),
                       message_of(err, buf));
      if (o->json) {
        mklink_json_begin(&s.j);
        mklink_json_string(&s.j, "op", "check-portable");
        mklink_json_string(&s.j, "path", dirs[i]);
        json_error(&s.j, err);
        mklink_json_end(&s.j);
        emit(&s.j);
      }
      s.failed = 1;
    }
  }
  mklink_json_free(&s.j);
  free(s.text);
  return s.failed || s.found > 0 ? MKLINK_CLI_EXIT_FAIL : MKLINK_CLI_EXIT_OK;
}

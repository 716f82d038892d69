/*
 * manifest.c -- --apply, --check and --undo: a manifest of links, on the
 * public API (mklink_manifest_*).
 *
 * Exit codes: 0 when everything is as the manifest says (check) or was done
 * (apply, undo); 1 when an entry drifts (check), failed or conflicts
 * (apply), or a step could not be undone; 2 for a manifest that cannot be
 * read or understood (every command, with FILE:LINE:COLUMN).
 */
#include "commands.h"

#include "json.h"
#include "output.h"

#include <string.h>

static const char *state_name(mklink_manifest_state s) {
  switch (s) {
  case MKLINK_STATE_OK:
    return "ok";
  case MKLINK_STATE_MISSING:
    return "missing";
  case MKLINK_STATE_WRONG_TARGET:
    return "wrong_target";
  case MKLINK_STATE_WRONG_KIND:
    return "wrong_kind";
  case MKLINK_STATE_BROKEN:
    return "broken";
  case MKLINK_STATE_BLOCKED:
    return "blocked";
  case MKLINK_STATE_SKIPPED:
    return "skipped";
  }
  return "unknown";
}

static const char *action_name(mklink_manifest_action a) {
  switch (a) {
  case MKLINK_ACTION_OK:
    return "ok";
  case MKLINK_ACTION_CREATE:
    return "create";
  case MKLINK_ACTION_RELINK:
    return "relink";
  case MKLINK_ACTION_CONFLICT:
    return "conflict";
  case MKLINK_ACTION_BACKUP:
    return "backup";
  case MKLINK_ACTION_REPLACE:
    return "replace";
  case MKLINK_ACTION_REMOVE:
    return "remove";
  case MKLINK_ACTION_SKIP:
    return "skip";
  }
  return "unknown";
}

static const char *op_name(mklink_manifest_op op) {
  switch (op) {
  case MKLINK_OP_LINK:
    return "link";
  case MKLINK_OP_MKDIR:
    return "mkdir";
  case MKLINK_OP_CLEAN:
    return "clean";
  case MKLINK_OP_SKIP:
    return "skip";
  }
  return "unknown";
}

/* Write J's object (one line) on stdout, and free it. */
static void emit(struct mklink_json *j) {
  mklink_json_end(j);
  if (j->failed)
    mklink_cli_error("mklink: %s", mklink_strerror(MKLINK_ENOMEM));
  else
    mklink_out_write(MKLINK_OUT, j->buf, j->len);
  mklink_json_free(j);
}

/* A manifest that could not be opened: FILE:LINE:COLUMN: message, exit 2. */
static int open_failed(const struct mklink_cli_opts *o, const char *cmd, mklink_manifest *m,
                       int err) {
  const char *file = o->ops[0];
  unsigned line = 0, column = 0;
  const char *msg = err == MKLINK_EMANIFEST ? mklink_manifest_error(m, &line, &column) : NULL;
  struct mklink_json j = MKLINK_JSON_INIT;
  if (msg != NULL)
    mklink_cli_error("mklink: %s:%u:%u: %s", file, line, column, msg);
  else
    mklink_cli_error("mklink: %s '%s': %s", cmd, file, mklink_strerror(err));
  if (o->json) {
    mklink_json_begin(&j);
    mklink_json_string(&j, "op", cmd);
    mklink_json_string(&j, "file", file);
    mklink_json_bool(&j, "ok", 0);
    mklink_json_string(&j, "error", mklink_err_name(err));
    mklink_json_string(&j, "message", msg != NULL ? msg : mklink_strerror(err));
    if (msg != NULL) {
      mklink_json_number(&j, "line", line);
      mklink_json_number(&j, "column", column);
    }
    emit(&j);
  }
  mklink_manifest_close(m);
  return MKLINK_CLI_EXIT_USAGE;
}

static int open_manifest(const struct mklink_cli_opts *o, const char *cmd, mklink_manifest **m) {
  int err = mklink_manifest_open(o->ops[0], o->manifest_flags, m);
  if (err != 0)
    return open_failed(o, cmd, *m, err);
  return -1;
}

/* Skipped entries are said once each, with file and line, on stderr. */
static void say_notes(const struct mklink_cli_opts *o, const mklink_manifest *m) {
  size_t i;
  for (i = 0; i < mklink_manifest_count(m); i++) {
    const mklink_manifest_entry *e = mklink_manifest_entry_at(m, i);
    if (e->op == MKLINK_OP_SKIP && e->note != NULL)
      mklink_cli_error("mklink: %s:%u: %s%s%s", o->ops[0], e->line, e->note,
                       e->path != NULL ? ": " : "", e->path != NULL ? e->path : "");
    else if (e->note != NULL && e->error == 0 && e->op != MKLINK_OP_SKIP)
      mklink_cli_error("mklink: %s:%u: warning: %s", o->ops[0], e->line, e->note);
  }
}

/* An entry is ok when its call did not fail and it is as the manifest says:
   a check state of ok or skipped, an apply action that is not a conflict. */
static int entry_ok(const mklink_manifest_entry *e, int with_state, int with_action) {
  if (e->error != 0)
    return 0;
  if (with_state && e->state != MKLINK_STATE_OK && e->state != MKLINK_STATE_SKIPPED)
    return 0;
  return !(with_action && e->action == MKLINK_ACTION_CONFLICT);
}

static void json_entry(const char *cmd, const char *file, const mklink_manifest_entry *e,
                       int with_state, int with_action) {
  struct mklink_json j = MKLINK_JSON_INIT;
  mklink_json_begin(&j);
  mklink_json_string(&j, "op", cmd);
  mklink_json_string(&j, "file", file);
  mklink_json_number(&j, "line", e->line);
  mklink_json_string(&j, "entry", op_name(e->op));
  mklink_json_string(&j, "directive", e->directive);
  mklink_json_string(&j, "path", e->path);
  mklink_json_string(&j, "target", e->target);
  if (e->op == MKLINK_OP_LINK) {
    mklink_json_string(&j, "kind", mklink_cli_json_kind(e->kind));
    mklink_json_string(&j, "made", mklink_cli_json_kind(e->made));
  }
  if (with_state)
    mklink_json_string(&j, "state", state_name(e->state));
  if (with_action)
    mklink_json_string(&j, "action", action_name(e->action));
  mklink_json_string(&j, "found", e->found);
  mklink_json_string(&j, "backup", e->backup);
  mklink_json_string(&j, "note", e->note);
  mklink_json_bool(&j, "ok", entry_ok(e, with_state, with_action));
  if (e->error != 0) {
    mklink_json_string(&j, "error", mklink_err_name(e->error));
    mklink_json_string(&j, "message", mklink_strerror(e->error));
  }
  emit(&j);
}

static int same_kind(mklink_kind a, mklink_kind b) {
  int sa = a == MKLINK_FILE_SYMLINK || a == MKLINK_DIR_SYMLINK;
  int sb = b == MKLINK_FILE_SYMLINK || b == MKLINK_DIR_SYMLINK;
  return a == b || (sa && sb);
}

static void text_entry(const char *word, const mklink_manifest_entry *e) {
  static const char pad[] = "             ";
  size_t w = strlen(word);
  /* Written in pieces, not formatted: a manifest has thousands of lines. */
  mklink_out_write(MKLINK_OUT, word, w);
  mklink_out_write(MKLINK_OUT, pad, w < 13 ? 14 - w : 1);
  if (e->path != NULL)
    mklink_out_puts(MKLINK_OUT, e->path);
  if (e->target != NULL && e->op != MKLINK_OP_MKDIR) {
    mklink_out_puts(MKLINK_OUT, e->op == MKLINK_OP_CLEAN ? " [" : " -> ");
    mklink_out_puts(MKLINK_OUT, e->target);
    if (e->op == MKLINK_OP_CLEAN)
      mklink_out_puts(MKLINK_OUT, "]");
  }
  if (e->op == MKLINK_OP_LINK && !same_kind(e->made, e->kind) && e->made != MKLINK_NOT_LINK &&
      e->action != MKLINK_ACTION_OK && e->action != MKLINK_ACTION_SKIP &&
      e->action != MKLINK_ACTION_CONFLICT)
    mklink_out_printf(MKLINK_OUT, " (made a %s)", mklink_kind_name(e->made));
  if (e->found != NULL && (e->state == MKLINK_STATE_WRONG_TARGET || e->state == MKLINK_STATE_WRONG_KIND))
    mklink_out_printf(MKLINK_OUT, " (found %s)", e->found);
  if (e->backup != NULL)
    mklink_out_printf(MKLINK_OUT, " (backup: %s)", e->backup);
  mklink_out_puts(MKLINK_OUT, "\n");
}

static void summary(const char *cmd, const char *file, int ok, size_t n, const char *what,
                    size_t count, int json) {
  struct mklink_json j = MKLINK_JSON_INIT;
  if (!json)
    return;
  mklink_json_begin(&j);
  mklink_json_string(&j, "op", cmd);
  mklink_json_string(&j, "file", file);
  mklink_json_bool(&j, "summary", 1);
  mklink_json_bool(&j, "ok", ok);
  mklink_json_number(&j, "entries", (long long)n);
  mklink_json_number(&j, what, (long long)count);
  emit(&j);
}

/* ---- --check -------------------------------------------------------------- */

int mklink_cli_check(const struct mklink_cli_opts *o) {
  mklink_manifest *m = NULL;
  size_t i, n, drifted = 0;
  int rc = open_manifest(o, "check", &m);
  if (rc >= 0)
    return rc;
  say_notes(o, m);
  rc = mklink_manifest_check(m, &drifted);
  n = mklink_manifest_count(m);
  for (i = 0; i < n; i++) {
    const mklink_manifest_entry *e = mklink_manifest_entry_at(m, i);
    if (e->error != 0)
      mklink_cli_error("mklink: check '%s': %s", e->path, mklink_strerror(e->error));
    if (o->json)
      json_entry("check", o->ops[0], e, 1, 0);
    else if (e->op != MKLINK_OP_SKIP)
      text_entry(state_name(e->state), e);
  }
  if (rc != 0)
    mklink_cli_error("mklink: check '%s': %s", o->ops[0], mklink_strerror(rc));
  if (!o->json)
    mklink_out_printf(MKLINK_OUT, "%lu entries, %lu drifted\n", (unsigned long)n,
                      (unsigned long)drifted);
  summary("check", o->ops[0], rc == 0 && drifted == 0, n, "drifted", drifted, o->json);
  mklink_manifest_close(m);
  if (rc != 0)
    return MKLINK_CLI_EXIT_USAGE;
  return drifted == 0 ? MKLINK_CLI_EXIT_OK : MKLINK_CLI_EXIT_FAIL;
}

/* ---- --apply -------------------------------------------------------------- */

static const char *conflict_reason(mklink_manifest_state s) {
  switch (s) {
  case MKLINK_STATE_BLOCKED:
    return "a file or directory is in the way (--backup keeps it, --force deletes it)";
  case MKLINK_STATE_WRONG_KIND:
    return "a link of another kind to the target is in the way (relink: true, --backup or --force)";
  default:
    return "a link to something else is in the way (relink: true, --backup or --force)";
  }
}

int mklink_cli_apply(const struct mklink_cli_opts *o) {
  mklink_manifest *m = NULL;
  size_t i, n, changed = 0, failed = 0;
  int dry = (o->apply_flags & MKLINK_APPLY_DRY_RUN) != 0;
  int rc = open_manifest(o, "apply", &m);
  if (rc >= 0)
    return rc;
  say_notes(o, m);
  rc = mklink_manifest_apply(m, o->apply_flags);
  n = mklink_manifest_count(m);
  for (i = 0; i < n; i++) {
    const mklink_manifest_entry *e = mklink_manifest_entry_at(m, i);
    if (e->action == MKLINK_ACTION_CONFLICT)
      mklink_cli_error("mklink: apply '%s': %s", e->path, conflict_reason(e->state));
    else if (e->error != 0 && (e->op != MKLINK_OP_SKIP || e->error != 0))
      mklink_cli_error("mklink: apply '%s': %s%s%s", e->path != NULL ? e->path : o->ops[0],
                       mklink_strerror(e->error), e->note != NULL ? " " : "",
                       e->note != NULL ? e->note : "");
    if (e->error != 0 || e->action == MKLINK_ACTION_CONFLICT)
      failed++;
    if (e->action != MKLINK_ACTION_OK && e->action != MKLINK_ACTION_SKIP &&
        e->action != MKLINK_ACTION_CONFLICT)
      changed++;
    if (o->json)
      json_entry("apply", o->ops[0], e, 0, 1);
    else if (e->op != MKLINK_OP_SKIP && !(e->action == MKLINK_ACTION_SKIP && e->error == 0))
      text_entry(action_name(e->action), e);
  }
  if (rc == MKLINK_ECONFLICT)
    mklink_cli_error("mklink: apply '%s': %s", o->ops[0], mklink_strerror(rc));
  else if (rc != 0)
    mklink_cli_error("mklink: apply '%s': %s%s", o->ops[0], mklink_strerror(rc),
                     dry ? "" : " Everything done before was put back.");
  if (!o->json)
    mklink_out_printf(MKLINK_OUT, "%lu entries, %lu %s%s\n", (unsigned long)n,
                      (unsigned long)(rc == 0 ? changed : 0),
           dry ? "to change" : "changed", failed > 0 ? ", some failed" : "");
  summary("apply", o->ops[0], rc == 0 && failed == 0, n, dry ? "to_change" : "changed",
          rc == 0 ? changed : 0, o->json);
  mklink_manifest_close(m);
  return rc == 0 && failed == 0 ? MKLINK_CLI_EXIT_OK : MKLINK_CLI_EXIT_FAIL;
}

/* ---- --undo --------------------------------------------------------------- */

/* A manifest that is there but wrong is refused before anything is undone,
   as by every command (exit 2); one that is gone is no error: undo needs
   only the journal its path names. */
static int undo_readable(const struct mklink_cli_opts *o) {
  mklink_manifest *m = NULL;
  int err = mklink_manifest_open(o->ops[0], o->manifest_flags, &m);
  if (err == MKLINK_EMANIFEST)
    return open_failed(o, "undo", m, err);
  mklink_manifest_close(m);
  return -1;
}

int mklink_cli_undo(const struct mklink_cli_opts *o) {
  mklink_manifest *m = NULL;
  size_t i, n, failed = 0;
  int rc = undo_readable(o);
  if (rc >= 0)
    return rc;
  rc = mklink_manifest_undo(o->ops[0], &m);
  n = mklink_manifest_count(m);
  for (i = 0; i < n; i++) {
    const mklink_manifest_entry *e = mklink_manifest_entry_at(m, i);
    if (e->error != 0) {
      failed++;
      mklink_cli_error("mklink: undo '%s': %s", e->path, e->note != NULL ? e->note : "");
    }
    if (o->json)
      json_entry("undo", o->ops[0], e, 0, 1);
    else if (e->action != MKLINK_ACTION_OK)
      mklink_out_printf(MKLINK_OUT, "%-13s %s\n", e->note != NULL ? e->note : action_name(e->action), e->path);
  }
  if (rc != 0)
    mklink_cli_error("mklink: undo '%s': %s", o->ops[0], mklink_strerror(rc));
  if (!o->json && rc == 0)
    mklink_out_printf(MKLINK_OUT, "%lu steps undone%s\n", (unsigned long)n,
                      failed > 0 ? ", some could not be" : "");
  summary("undo", o->ops[0], rc == 0 && failed == 0, n, "failed", failed, o->json);
  mklink_manifest_close(m);
  return rc == 0 && failed == 0 ? MKLINK_CLI_EXIT_OK : MKLINK_CLI_EXIT_FAIL;
}

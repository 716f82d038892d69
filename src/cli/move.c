/*
 * move.c -- --move, --move --resume and --move --rollback, on the public
 * API (mklink_move, mklink_move_resume, mklink_move_rollback,
 * mklink_move_pending).
 *
 * What is printed (docs/mklink.1, MOVING A FOLDER):
 * - a move that worked: "Moved LINK to TARGET (...)" saying how and how
 *   much, then cmd's own line for the link that was left ("Junction created
 *   for LINK <<===>> TARGET");
 * - --dry-run: the plan, and "Nothing was changed (--dry-run).";
 * - --json: a progress object per report of the library, then one result
 *   object ("ok" true or false, like --query and --delete);
 * - on a terminal (stdout and stderr both, and no --json), a progress bar
 *   on stderr, erased at the end.
 * A move's errors are printed alone, as cmd prints a create's (the move
 * speaks the create's Windows syntax); --resume's and --rollback's as the
 * extended commands do ("mklink: resume 'LINK': message").  Whenever a move
 * is left unfinished (refused because of an earlier one, failed half-way,
 * stopped by Ctrl-C) the two commands that finish or undo it are named.
 * Exit codes: 0 done, 1 failed or refused.
 */
#include "commands.h"

#include "json.h"
#include "output.h"
#include "progress.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#define REDRAW_MS 100 /* the bar is drawn at most ten times a second */
#define BAR_COLUMNS 79

struct move_state {
  const struct mklink_cli_opts *o;
  const char *op;   /* "move", "move-resume", "move-rollback" (--json)    */
  const char *link;
  int bar;          /* a progress bar is drawn on stderr                  */
  size_t bar_len;   /* characters of the bar now on the screen            */
  unsigned long long phase_start, last_draw;
  int reported;     /* LAST holds a report                                */
  int link_is_dir;  /* LINK was a directory when the move began           */
  mklink_move_progress last; /* the last report (its path is not kept)  */
  struct mklink_json j;
};

/* Ctrl-C stops the move at the next report, leaving it resumable, as a
   crash there would (the library's callback contract). */
static volatile sig_atomic_t interrupted;

static void on_interrupt(int sig) {
  (void)sig;
  interrupted = 1;
}

/* ---- what the user sees while it runs ---------------------------------- */

static void bar_erase(struct move_state *s) {
  char blank[BAR_COLUMNS + 3];
  if (s->bar_len == 0)
    return;
  blank[0] = '\r';
  memset(blank + 1, ' ', s->bar_len);
  blank[s->bar_len + 1] = '\r';
  mklink_out_write(MKLINK_ERR, blank, s->bar_len + 2);
  s->bar_len = 0;
}

static void bar_draw(struct move_state *s, const mklink_move_progress *p, unsigned long long now) {
  char line[BAR_COLUMNS + 2], text[256];
  size_t n;
  mklink_cli_progress_line(text, sizeof text, p, now - s->phase_start);
  n = strlen(text);
  if (n > BAR_COLUMNS - 1)
    n = BAR_COLUMNS - 1; /* one line of an 80-column terminal: "\r" redraws it */
  line[0] = '\r';
  memcpy(line + 1, text, n);
  /* Blanks over the rest of a longer line drawn before. */
  while (n < s->bar_len && n < BAR_COLUMNS - 1)
    line[1 + n++] = ' ';
  mklink_out_write(MKLINK_ERR, line, n + 1);
  s->bar_len = n;
  s->last_draw = now;
}

static void json_progress(struct move_state *s, const mklink_move_progress *p) {
  mklink_json_begin(&s->j);
  mklink_json_string(&s->j, "op", s->op);
  mklink_json_string(&s->j, "event", "progress");
  mklink_json_string(&s->j, "link", s->link);
  mklink_json_string(&s->j, "phase", mklink_cli_phase_name(p->phase));
  mklink_json_string(&s->j, "path", p->path);
  mklink_json_number(&s->j, "bytes_done", (long long)p->bytes_done);
  mklink_json_number(&s->j, "bytes_total", (long long)p->bytes_total);
  mklink_json_number(&s->j, "files_done", (long long)p->files_done);
  mklink_json_number(&s->j, "files_total", (long long)p->files_total);
  mklink_json_bool(&s->j, "same_device", p->same_device);
  mklink_json_end(&s->j);
  if (s->j.failed)
    return;
  mklink_out_write(MKLINK_OUT, s->j.buf, s->j.len);
  mklink_out_flush(MKLINK_OUT); /* live: a script watching the move sees it now */
}

static int on_progress(const mklink_move_progress *p, void *arg) {
  struct move_state *s = arg;
  unsigned long long now = mklink_out_clock_ms();
  int new_phase = !s->reported || p->phase != s->last.phase;

  s->last = *p;
  s->last.path = NULL;
  s->reported = 1;
  if (new_phase)
    s->phase_start = now;
  if (s->o->json)
    json_progress(s, p);
  else if (s->bar && p->phase != MKLINK_MOVE_DONE &&
           (new_phase || now - s->last_draw >= REDRAW_MS))
    bar_draw(s, p, now);
  return interrupted ? 1 : 0;
}

static void state_init(struct move_state *s, const struct mklink_cli_opts *o, const char *op) {
  memset(s, 0, sizeof *s);
  s->o = o;
  s->op = op;
  s->link = o->ops[0];
  /* A bar only for a person watching: both streams on a terminal. */
  s->bar = !o->json && !o->dry_run && mklink_out_is_terminal(MKLINK_OUT) &&
           mklink_out_is_terminal(MKLINK_ERR);
  interrupted = 0;
}

/* ---- what it says at the end -------------------------------------------- */

/* PATH as a shell (sh or cmd) would take it back: in double quotes when it
   has a blank or a character either shell treats specially. */
static const char *shell_word(const char *path, char *buf, size_t size) {
  if (path[0] != '\0' && strpbrk(path, " \t&|<>^;()'\"$`*?[]!#~%") == NULL)
    return path;
  snprintf(buf, size, "\"%s\"", path);
  return buf;
}

/* The two commands that end an unfinished move of LINK, named literally. */
static void say_unfinished(const char *link) {
  char word[1200];
  const char *w = shell_word(link, word, sizeof word);
  mklink_cli_error("To finish the move run:  mklink --move --resume %s\n"
                   "To undo it run:          mklink --move --rollback %s",
                   w, w);
}

static void json_unfinished(struct mklink_json *j, const char *link, int pending) {
  char buf[1300], word[1200];
  const char *w = shell_word(link, word, sizeof word);
  mklink_json_bool(j, "pending", pending);
  if (!pending)
    return;
  snprintf(buf, sizeof buf, "mklink --move --resume %s", w);
  mklink_json_string(j, "resume", buf);
  snprintf(buf, sizeof buf, "mklink --move --rollback %s", w);
  mklink_json_string(j, "rollback", buf);
}

/* The result object: ERR, or the totals of the last report. */
static void json_result(struct move_state *s, int err, int pending, const char *target,
                        const char *kind, long links) {
  char buf[MKLINK_STRERROR_MAX];
  struct mklink_json *j = &s->j;
  mklink_json_begin(j);
  mklink_json_string(j, "op", s->op);
  mklink_json_string(j, "event", "result");
  mklink_json_string(j, "link", s->link);
  mklink_json_string(j, "target", target);
  mklink_json_string(j, "kind", kind);
  mklink_json_bool(j, "dry_run", s->o->dry_run);
  if (err != 0) {
    mklink_json_bool(j, "ok", 0);
    mklink_json_string(j, "error", mklink_err_name(err));
    mklink_json_string(j, "message", mklink_strerror_r(err, buf, sizeof buf));
    if (mklink_err_os(err) != 0)
      mklink_json_number(j, "os_error", mklink_err_os(err));
    json_unfinished(j, s->link, pending);
  } else {
    mklink_json_bool(j, "ok", 1);
    if (s->reported) {
      mklink_json_bool(j, "same_device", s->last.same_device);
      mklink_json_number(j, "files", (long long)s->last.files_total);
      mklink_json_number(j, "bytes", (long long)s->last.bytes_total);
    }
    if (links >= 0)
      mklink_json_number(j, "links", links);
  }
  mklink_json_end(j);
  if (j->failed)
    mklink_cli_error("mklink: %s", mklink_strerror(MKLINK_ENOMEM));
  else
    mklink_out_write(MKLINK_OUT, j->buf, j->len);
}

/* "a directory of 12 entries, 3.4 KiB" or "a file of 8 B": the last
   report's totals (its entries are those below LINK, so a file has none). */
static void totals_text(const struct move_state *s, char *buf, size_t size) {
  char bytes[24];
  mklink_cli_human_bytes(bytes, sizeof bytes, s->last.bytes_total);
  if (!s->link_is_dir)
    snprintf(buf, size, "a file of %s", bytes);
  else
    snprintf(buf, size, "a directory of %llu %s, %s", s->last.files_total,
             s->last.files_total == 1 ? "entry" : "entries", bytes);
}

/* Links inside LINK (a directory): copied as links, never followed.  -1 if
   LINK cannot be walked (a file). */
static int count_link(const mklink_walk_entry *e, void *arg) {
  if (e->error == 0)
    ++*(long *)arg;
  return 0;
}

static long links_inside(const char *link) {
  long n = 0;
  if (mklink_walk(link, MKLINK_WALK_RECURSIVE, count_link, &n) != 0)
    return -1;
  return n;
}

static void print_plan(const struct move_state *s, const char *target, long links) {
  char bytes[24];
  const mklink_move_progress *p = &s->last;
  mklink_out_printf(MKLINK_OUT, "Would move %s to %s\n", s->link, target);
  mklink_cli_human_bytes(bytes, sizeof bytes, p->bytes_total);
  if (s->link_is_dir)
    mklink_out_printf(MKLINK_OUT,
                      "  what:  a directory of %llu %s (files, directories and links), "
                      "%llu bytes (%s)",
                      p->files_total, p->files_total == 1 ? "entry" : "entries", p->bytes_total,
                      bytes);
  else
    mklink_out_printf(MKLINK_OUT, "  what:  a file of %llu bytes (%s)", p->bytes_total, bytes);
  if (links > 0)
    mklink_out_printf(MKLINK_OUT, "; %ld %s kept as %s, never followed", links,
                      links == 1 ? "link" : "links", links == 1 ? "a link" : "links");
  mklink_out_puts(MKLINK_OUT, "\n");
  if (p->same_device)
    mklink_out_puts(MKLINK_OUT, "  how:   one rename on the same file system: nothing is copied\n");
  else
    mklink_out_puts(MKLINK_OUT,
                      "  how:   copied to another file system, flushed and verified "
                      "(sizes and content hashes), then the original removed\n");
  mklink_out_printf(MKLINK_OUT, "  then:  %s %s <<===>> %s\n",
                    mklink_cli_created_words(s->o->kind), s->link, target);
  mklink_out_puts(MKLINK_OUT, "Nothing was changed (--dry-run).\n");
}

/*
 * A hint for MKLINK_EINVAL, the library's "The parameter is incorrect.":
 * where the kind does not fit what LINK is, say which kinds do.
 */
static void say_kind_hint(const struct mklink_cli_opts *o) {
  mklink_info info;
  int dir_kind = o->kind == MKLINK_DIR_SYMLINK || o->kind == MKLINK_JUNCTION;
  if (mklink_query(o->ops[0], &info) != 0)
    return;
  if (info.kind == MKLINK_NOT_LINK && info.target_is_dir && !dir_kind)
    mklink_cli_error("mklink: '%s' is a directory: move it with /D or /J", o->ops[0]);
  else if (info.kind == MKLINK_NOT_LINK && !info.target_is_dir && dir_kind)
    mklink_cli_error("mklink: '%s' is a file: move it with /H or without a kind switch",
                     o->ops[0]);
  else if (info.kind != MKLINK_NOT_LINK)
    mklink_cli_error("mklink: '%s' is a link already: nothing to move", o->ops[0]);
  mklink_info_free(&info);
}

static int link_is_dir(const char *link) {
  mklink_info info;
  int dir;
  if (mklink_query(link, &info) != 0)
    return 0;
  dir = info.kind == MKLINK_NOT_LINK && info.target_is_dir;
  mklink_info_free(&info);
  return dir;
}

/* After a failure: whether a move of LINK is left to finish or undo. */
static int still_pending(const char *link) { return mklink_move_pending(link) == 1; }

/* ---- the commands --------------------------------------------------------- */

int mklink_cli_move(const struct mklink_cli_opts *o) {
  const char *target = o->ops[1];
  struct move_state s;
  char buf[MKLINK_STRERROR_MAX], totals[96];
  void (*before)(int);
  int err, pending = 0;
  long links = -1;

  state_init(&s, o, "move");
  s.link_is_dir = link_is_dir(s.link);
  before = signal(SIGINT, on_interrupt);
  err = mklink_move(s.link, target, o->kind, o->dry_run ? MKLINK_MOVE_DRY_RUN : 0u, on_progress,
                    &s);
  if (before != SIG_ERR)
    signal(SIGINT, before);
  bar_erase(&s);
  if (err != 0) {
    pending = still_pending(s.link);
    mklink_cli_error("%s", mklink_strerror_r(err, buf, sizeof buf)); /* alone, as cmd */
    if (err == MKLINK_EINVAL)
      say_kind_hint(o);
    if (pending)
      say_unfinished(s.link);
  } else if (o->dry_run) {
    links = links_inside(s.link);
  }
  if (o->json)
    json_result(&s, err, pending, target, mklink_cli_json_kind(o->kind), links);
  else if (err == 0 && o->dry_run)
    print_plan(&s, target, links);
  else if (err == 0) {
    totals_text(&s, totals, sizeof totals);
    mklink_out_printf(MKLINK_OUT, "Moved %s to %s (%s: %s)\n", s.link, target,
                      s.last.same_device ? "renamed on the same file system"
                                         : "copied to another file system and verified",
                      totals);
    mklink_out_printf(MKLINK_OUT, "%s %s <<===>> %s\n", mklink_cli_created_words(o->kind),
                      s.link, target);
  }
  mklink_json_free(&s.j);
  return err == 0 ? MKLINK_CLI_EXIT_OK : MKLINK_CLI_EXIT_FAIL;
}

/* --resume and --rollback: the same frame, their own words. */
static int finish_or_undo(const struct mklink_cli_opts *o, int resume) {
  struct move_state s;
  mklink_info info;
  char buf[MKLINK_STRERROR_MAX];
  void (*before)(int);
  int err, pending = 0, have_info = 0;

  state_init(&s, o, resume ? "move-resume" : "move-rollback");
  before = signal(SIGINT, on_interrupt);
  err = resume ? mklink_move_resume(s.link, on_progress, &s)
               : mklink_move_rollback(s.link, on_progress, &s);
  if (before != SIG_ERR)
    signal(SIGINT, before);
  bar_erase(&s);
  if (err != 0) {
    pending = still_pending(s.link);
    mklink_cli_error("mklink: %s '%s': %s", resume ? "resume" : "rollback", s.link,
                     mklink_strerror_r(err, buf, sizeof buf));
    if (pending)
      say_unfinished(s.link);
  }
  /* What LINK is now: the link a resume made (its kind and stored target). */
  if (err == 0 && resume && mklink_query(s.link, &info) == 0)
    have_info = 1;
  if (o->json)
    json_result(&s, err, pending, have_info ? info.target : NULL,
                have_info ? mklink_cli_json_kind(info.kind) : NULL, -1);
  else if (err == 0 && resume) {
    mklink_out_printf(MKLINK_OUT, "Finished the move of %s\n", s.link);
    if (have_info)
      mklink_out_printf(MKLINK_OUT, "%s %s <<===>> %s\n", mklink_cli_created_words(info.kind),
                        s.link, info.target);
  } else if (err == 0) {
    mklink_out_printf(MKLINK_OUT,
                      "Rolled back the move of %s: its data is back in place and nothing of "
                      "the move is left\n",
                      s.link);
  }
  if (have_info)
    mklink_info_free(&info);
  mklink_json_free(&s.j);
  return err == 0 ? MKLINK_CLI_EXIT_OK : MKLINK_CLI_EXIT_FAIL;
}

int mklink_cli_move_resume(const struct mklink_cli_opts *o) { return finish_or_undo(o, 1); }

int mklink_cli_move_rollback(const struct mklink_cli_opts *o) { return finish_or_undo(o, 0); }

/*
 * move_journal.c -- the journal of a move: one small file beside LINK,
 * "<LINK>.mklink-move", in the journal codec of journal.c, replaced whole
 * (written to "<LINK>.mklink-move.tmp", flushed, renamed, the directory
 * flushed) at every change of state.  Two records:
 *
 *   mklink-move 1 STATE
 *   plan LINK TARGET KIND SAME IS_DIR TARGET_DIR TARGET_MODE ASIDE TEMP
 *        COPY_AT BYTES FILES
 *
 * STATE is a name of docs/move.md's table ("rename", "copy", "swap",
 * "clean", "rollback"); the paths are absolute, empty where the move has
 * none.  The temporary has a fixed name so that a crash in the middle of a
 * write leaves nothing that resume or rollback cannot find.
 */
#include "move.h"

#include <stdlib.h>
#include <string.h>

static const char *const state_names[] = {"", "rename", "copy", "swap", "clean", "rollback"};
#define NSTATES (sizeof state_names / sizeof state_names[0])

int mklink__move_save(mklink__move *m) {
  mklink__journal j = {NULL, 0, 0, 0};
  int rc;
  mklink__journal_field(&j, "mklink-move");
  mklink__journal_field(&j, "1");
  mklink__journal_field(&j, state_names[m->state]);
  mklink__journal_end_record(&j);
  mklink__journal_field(&j, "plan");
  mklink__journal_field(&j, m->link);
  mklink__journal_field(&j, m->target);
  mklink__journal_number(&j, (long long)m->kind);
  mklink__journal_number(&j, m->same_device);
  mklink__journal_number(&j, m->is_dir);
  mklink__journal_number(&j, m->target_dir);
  mklink__journal_number(&j, (long long)m->target_mode);
  mklink__journal_field(&j, m->aside);
  mklink__journal_field(&j, m->temp);
  mklink__journal_field(&j, m->copy_at);
  mklink__journal_number(&j, (long long)m->bytes_total);
  mklink__journal_number(&j, (long long)m->files_total);
  mklink__journal_end_record(&j);
  rc = j.err != 0 ? j.err : mklink__write_file_via(m->journal, m->journal_tmp, j.data, j.len);
  mklink__journal_free(&j);
  return rc;
}

typedef struct loader {
  mklink__move *m;
  int seen_head, seen_plan;
} loader;

static int number(const char *s, long long *out) {
  char *end;
  long long v = strtoll(s, &end, 10);
  if (*s == '\0' || *end != '\0')
    return MKLINK_EIO;
  *out = v;
  return 0;
}

/* An empty field is "none": NULL. */
static int path_field(const char *s, char **out) {
  free(*out);
  *out = NULL;
  if (s[0] == '\0')
    return 0;
  return (*out = mklink__strdup(s)) != NULL ? 0 : MKLINK_ENOMEM;
}

static int load_plan(mklink__move *m, char **f) {
  long long v[7];
  size_t i;
  int rc;
  for (i = 0; i < 5; i++)
    if ((rc = number(f[3 + i], &v[i])) != 0)
      return rc;
  if ((rc = number(f[11], &v[5])) != 0 || (rc = number(f[12], &v[6])) != 0)
    return rc;
  if (v[0] < MKLINK_FILE_SYMLINK || v[0] > MKLINK_JUNCTION)
    return MKLINK_EIO;
  m->kind = (mklink_kind)v[0];
  m->same_device = v[1] != 0;
  m->is_dir = v[2] != 0;
  m->target_dir = v[3] != 0;
  m->target_mode = (unsigned)v[4];
  m->bytes_total = (unsigned long long)v[5];
  m->files_total = (unsigned long long)v[6];
  /* LINK is the one the caller named (the journal was found beside it). */
  if ((rc = path_field(f[2], &m->target)) != 0 || (rc = path_field(f[8], &m->aside)) != 0 ||
      (rc = path_field(f[9], &m->temp)) != 0 || (rc = path_field(f[10], &m->copy_at)) != 0)
    return rc;
  if (m->target == NULL || (!m->same_device && (m->aside == NULL || m->temp == NULL)))
    return MKLINK_EIO;
  return 0;
}

static int load_record(char **f, size_t n, void *arg) {
  loader *ld = arg;
  size_t i;
  if (n == 3 && strcmp(f[0], "mklink-move") == 0) {
    if (strcmp(f[1], "1") != 0)
      return MKLINK_EIO; /* a journal of a later version: not guessed at */
    for (i = 1; i < NSTATES; i++)
      if (strcmp(f[2], state_names[i]) == 0)
        ld->m->state = (mklink__move_state)i;
    ld->seen_head = ld->m->state != 0;
    return ld->seen_head ? 0 : MKLINK_EIO;
  }
  if (n == 13 && strcmp(f[0], "plan") == 0 && ld->seen_head) {
    ld->seen_plan = 1;
    return load_plan(ld->m, f);
  }
  return MKLINK_EIO;
}

int mklink__move_load(mklink__move *m) {
  loader ld;
  char *data = NULL;
  size_t len = 0;
  int rc = mklink__read_file(m->journal, &data, &len);
  if (rc == MKLINK_ENOFILE || rc == MKLINK_ENOPATH) {
    /* A kill while the first journal was being written leaves only its
       temporary: nothing had changed, and nothing of the move may stay. */
    rc = mklink__remove_file(m->journal_tmp);
    return rc == 0 || rc == MKLINK_ENOFILE || rc == MKLINK_ENOPATH ? MKLINK_ENOMOVE : rc;
  }
  if (rc != 0)
    return rc;
  ld.m = m;
  ld.seen_head = ld.seen_plan = 0;
  m->state = 0;
  rc = mklink__journal_parse(data, len, load_record, &ld);
  free(data);
  if (rc == 0 && !ld.seen_plan)
    rc = MKLINK_EIO;
  return rc;
}

int mklink__move_journal_exists(const mklink__move *m) {
  int type, rc = mklink__node_type(m->journal, 0, &type);
  if (rc != 0)
    return rc;
  return type != MKLINK__NODE_NONE;
}

/* The journal's removal is the last thing that can fail: a stale temporary
   goes first (a failure leaves the journal, so the move stays pending),
   and the flush of LINK's directory after the journal's removal is not
   waited on for an answer -- a failure there cannot make the call fail
   with the move complete and nothing pending.  If that removal is lost to
   a power cut, the journal comes back naming a state every step of which
   is already done: resume (or rollback) then finishes at once. */
int mklink__move_forget(mklink__move *m) {
  int rc = mklink__remove_file(m->journal_tmp);
  if (rc != 0 && rc != MKLINK_ENOFILE && rc != MKLINK_ENOPATH)
    return rc;
  rc = mklink__remove_file(m->journal);
  if (rc != 0 && rc != MKLINK_ENOFILE)
    return rc;
  (void)mklink__move_sync_parent(m->link);
  return 0;
}

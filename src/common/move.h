/*
 * move.h -- what the files of mklink_move share (src/common/move*.c).
 *
 * A move is a plan (move_plan.c: every check made before anything changes,
 * and the totals), a journal beside LINK (move_journal.c: the plan and the
 * state reached, rewritten whole at each step), the copy of a tree to another
 * file system (move_copy.c: over the tree walk engine, verified with XXH3),
 * and the state machine that goes forward or back from any state
 * (move.c).  docs/move.md has the states, what is on disk in each, and what
 * resume and rollback do from there.
 */
#ifndef MKLINK_MOVE_H
#define MKLINK_MOVE_H

#include "internal.h"

/* The states a journal records (docs/move.md). */
typedef enum mklink__move_state {
  MKLINK__MOVE_RENAME = 1, /* one file system: LINK being renamed to TARGET,
                              then the link made at LINK                    */
  MKLINK__MOVE_COPY,       /* another: the copy being made at TEMP          */
  MKLINK__MOVE_SWAP,       /* the copy complete and verified: TEMP renamed to
                              TARGET, LINK renamed to ASIDE, the link made,
                              ASIDE checked against the copy's record (a
                              resume, without the record, copies again)    */
  MKLINK__MOVE_CLEAN,      /* the link made: the old tree at ASIDE being
                              removed (only forward from here)              */
  MKLINK__MOVE_ROLLBACK    /* a rollback removing the copy at COPY_AT (only
                              back from here)                               */
} mklink__move_state;

typedef struct mklink__move {
  /* The plan, as the journal records it. */
  char *link;          /* LINK made absolute                                  */
  char *target;        /* TARGET made absolute: also the link's text          */
  char *aside;         /* another file system: LINK's temporary name          */
  char *temp;          /* another file system: the copy's name beside TARGET */
  char *copy_at;       /* ROLLBACK: the name that holds the copy              */
  mklink_kind kind;
  int same_device;
  int is_dir;          /* LINK is a directory tree (else one file)           */
  int target_dir;      /* TARGET was an empty directory (else nothing)       */
  unsigned target_mode;
  mklink__move_state state;
  unsigned long long bytes_total, files_total;

  /* Another file system: what the copy read, entry by entry (move_copy.c),
     held only in memory; NULL after a crash (docs/move.md, "The check"). */
  struct mklink__move_seen *seen;
  size_t nseen, seen_cap;

  char *journal;       /* LINK + ".mklink-move"                               */
  char *journal_tmp;   /* its temporary, LINK + ".mklink-move.tmp"            */

  /* Progress. */
  mklink_move_cb cb;
  void *arg;
  mklink_move_progress p;
  unsigned long long reported_bytes, reported_files;
} mklink__move;

#ifdef _WIN32
#define MKLINK__SEP '\\'
#else
#define MKLINK__SEP '/'
#endif

/* The journal's suffix (mklink.h: "<LINK>.mklink-move"). */
#define MKLINK__MOVE_SUFFIX ".mklink-move"

/* move.c */
/* S1 followed by S2, malloc'ed. */
char *mklink__move_concat(const char *s1, const char *s2);
/* The directory PATH is in, malloc'ed ("." for a bare name); and that
   directory flushed to disk (a rename or a removal in it made durable). */
char *mklink__move_parent(const char *path);
int mklink__move_sync_parent(const char *path);
void mklink__move_free(mklink__move *m);
/* Tell the callback where the move is: 0, or MKLINK_ECANCELLED if it asked
   to stop.  FORCE reports even between the byte and file thresholds. */
int mklink__move_report(mklink__move *m, mklink_move_phase phase, const char *path, int force);

/* move_plan.c: LINK and the journal's names in M (absolute; LINK without a
   trailing separator). */
int mklink__move_names(mklink__move *m, const char *link);
/* Every check of mklink_move and the totals, changing nothing.  On one
   file system the files' sizes are looked at only if TOTALS (a callback
   hears them); bytes_total is 0 otherwise. */
int mklink__move_plan(mklink__move *m, const char *target, mklink_kind kind, int totals);

/* move_journal.c */
int mklink__move_save(mklink__move *m);
/* The journal of M->link into M: MKLINK_ENOMOVE if there is none,
   MKLINK_EIO if it cannot be understood. */
int mklink__move_load(mklink__move *m);
/* 1 if M->link has a journal, 0 if not, or an error. */
int mklink__move_journal_exists(const mklink__move *m);
/* Remove a stale temporary of the journal, then the journal (the last step
   that can fail), then flush LINK's directory (best effort: its failure is
   not returned, a journal that comes back is finished by resume). */
int mklink__move_forget(mklink__move *m);

/* move_copy.c: copy M->link to M->temp exactly, flush and verify it,
   recording in M->seen what each entry copied was (its type, device and
   inode, size, link count, times). */
int mklink__move_copy(mklink__move *m);
/* move_copy.c: 0 if the tree at M->aside (LINK renamed aside) is exactly
   what the copy recorded -- the same paths, and for each the same type,
   device and inode, size, link count, modification and change times (the
   top's change time aside: the rename sets it) -- else MKLINK_EVERIFY.  A
   walk of metadata only, nothing followed: what it accepts is what TARGET
   holds, so removing the old tree loses nothing.  MKLINK_EVERIFY also if
   there is no record (M->seen NULL). */
int mklink__move_check_aside(mklink__move *m);
void mklink__move_forget_seen(mklink__move *m);

#endif /* MKLINK_MOVE_H */

/*
 * posix_move.h -- scenes and state checks shared by the suites that test
 * mklink_move (test_move_*.c).  Every function here runs inside a sandboxed
 * function (posix_sandbox.h) and checks with SBX_CHECK.
 *
 * A scene is a tree at LINK whose every file's content, size, mode and time
 * follow from its number, so what a move kept can be checked file by file
 * (move_bytes_intact) as well as as a whole (sandbox_content_digest).  The
 * state checks say what "consistent" means after a move, a resume or a
 * rollback: the data whole at exactly one place, a link or the original at
 * LINK, and nothing of the move left (no journal, no temporary, no aside).
 */
#ifndef MKLINK_TEST_POSIX_MOVE_H
#define MKLINK_TEST_POSIX_MOVE_H

#include "mklink.h"

#include <stddef.h>

typedef struct move_scene {
  int files;          /* numbered files f00000... spread over directories */
  int per_dir;        /* numbered files a directory d000... holds           */
  unsigned max_size;  /* a numbered file's size is below this             */
  unsigned long big;  /* bytes of one more file "big" (0: none)            */
  int extras;         /* 1: one of everything else a move keeps (links of
                         each kind, hard links, modes, empty entries)       */
  const char *outside; /* an existing directory outside the tree the
                          extras' links point to (never copied)             */
} move_scene;

/* Make the scene S as the directory TOP (which must not exist).  Returns the
   bytes of its regular files (each name of a hard link counted). */
unsigned long long move_make(const char *top, const move_scene *s);

/* Bytes of S's numbered and big files found intact below TOP (content, size
   and mode as made); the scene's total less this is what was lost. */
unsigned long long move_bytes_intact(const char *top, const move_scene *s);
/* The bytes of S's numbered and big files. */
unsigned long long move_bytes_total(const move_scene *s);

/* DIR holds exactly the entries NAMES (NULL-terminated; none: { NULL }). */
int move_dir_is(const char *dir, const char *const *names);
/* The journal of LINK or its temporary exists. */
int move_journal_left(const char *link);
/* Empty directory PATH (sandbox_clear) and check it is. */
void move_clear(const char *path);

/*
 * The move of LINK to TARGET is done: LINK is a link of KIND whose stored
 * target is TARGET (a junction's: TARGET made absolute, which it is here),
 * TARGET's content digest is DIGEST, no move is pending, and LINK's and
 * TARGET's directories hold only LINK's and TARGET's names (and EXTRA_A,
 * EXTRA_B if not NULL: something the scene keeps there).
 */
void move_check_done(const char *link, const char *target, mklink_kind kind,
                     unsigned long long digest, const char *extra_a, const char *extra_b);
/* The move never happened or was undone: LINK is the tree again with content
   digest DIGEST, TARGET is absent (or, TARGET_DIR, an empty directory), no
   move is pending, and the two directories hold nothing else. */
void move_check_undone(const char *link, const char *target, unsigned long long digest,
                       int target_dir, const char *extra_a, const char *extra_b);

/* What the test is doing (printf-style), printed when a check here fails. */
void move_context(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* The dirname of PATH in a static buffer (PATH absolute, no trailing '/'). */
const char *move_parent(const char *path);

/*
 * A cmocka test's body: skip (saying why) where no sandbox or no private
 * tmpfs can be made, else run FN(ARG) jailed on a tmpfs of SIZE bytes
 * (sandbox_run_tmpfs) in the test's directory *STATE and fail unless it
 * returns 0.
 */
void move_run_tmpfs(void **state, size_t size, int (*fn)(void *), void *arg);

/* Milliseconds since some fixed moment (CLOCK_MONOTONIC). */
double move_now_ms(void);

#endif /* MKLINK_TEST_POSIX_MOVE_H */

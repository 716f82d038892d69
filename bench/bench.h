/*
 * bench.h -- what the parts of mklink_bench share.
 *
 * The benchmark compares each mklink operation with the raw operation it
 * stands for, in the same run: every row has two contenders (side 0 = mklink,
 * side 1 = the baseline), run in alternating order in each round, and the
 * table reports the median time per operation of each side over the rounds.
 */
#ifndef MKLINK_BENCH_H
#define MKLINK_BENCH_H

#include <stddef.h>

#define BENCH_MKLINK 0
#define BENCH_BASELINE 1

/* Most operations a row does in one batch. */
#define BENCH_MAX_OPS 4000

typedef struct bench_config {
  int quick;           /* smoke run: small sizes, nothing judged           */
  int ops;             /* operations per batch for the library rows         */
  int rounds;          /* rounds for the library rows                       */
  int walk_rounds;     /* rounds for the tree walks                         */
  int spawn_batch;     /* processes per batch for the spawn row             */
  int spawn_rounds;    /* rounds for the spawn row                          */
  long tree_entries;   /* entries in the walked tree (dirs, files, links)   */
  long tree_links;     /* symbolic links among them                         */
  long delete_entries; /* entries of each tree the delete row deletes       */
  long deep_levels;    /* levels of the deep trees (delete-deep, walk-deep) */
  int deep_rounds;     /* rounds for the deep rows                          */
  const char *mklink;  /* the mklink command                                */
  const char *find;    /* find(1), as an absolute path                      */
  const char *ln;      /* ln(1), as an absolute path                        */
  const char *rm;      /* rm(1), as an absolute path                        */
  const char *fd;      /* fd(1) (Debian: fdfind), or NULL if not installed   */
  const char *only;    /* run only rows whose id contains this              */
  const char *other;   /* a directory on a second file system (the move
                          rows), or NULL                                    */
} bench_config;

/* One contender's batch: prepare (untimed), run N operations (timed), check
   the result once (untimed, first round only), clean up (untimed). */
typedef struct bench_row {
  const char *id;       /* short name, for --only and the syscall trace */
  const char *measure;  /* table text */
  const char *baseline; /* table text */
  double goal;          /* ratio goal, 0 for an informational row */
  int (*setup)(const bench_config *cfg);          /* once, may be NULL;
                                                     > 0: not run, why in
                                                     bench_not_run         */
  int (*prep)(int side, int n);                   /* may be NULL */
  int (*op[2])(int i);                            /* the timed operation */
  int (*check)(int side, int n);                  /* may be NULL */
  int (*undo)(int side, int n);                   /* may be NULL */
  int per_batch; /* 0: cfg->ops; otherwise this many operations a batch */
  int rounds;    /* 0: cfg->rounds */
} bench_row;

/* rows.c */
extern bench_row bench_rows[];
extern const char *bench_not_run; /* set by a setup that returns > 0 */
extern const size_t bench_nrows;
int bench_rows_init(const bench_config *cfg, const char *root);

/* tree.c: make the walked tree under DIR; counts what it made. */
typedef struct bench_tree {
  long dirs, files, links, broken;
} bench_tree;
int bench_make_tree(const char *dir, long entries, long links, bench_tree *out);
/* tree.c: a chain DIR/d/d/... LEVELS deep, a file "f" and a link "l" (to
   "f") at each level. */
int bench_make_chain(const char *dir, long levels);

/* trace.c: the per-operation system-call report. */
void bench_trace_mark(const char *what, const char *id, int side);
int bench_trace_ops(const bench_config *cfg);
int bench_trace_report(const char *strace_log);

/* manifest.c: the manifest rows (a 10,000-entry manifest; 300 quick). */
int bench_manifest_setup(const bench_config *cfg);
int bench_stow_setup(const bench_config *cfg);
int bench_manifest_check(int i);
int bench_manifest_check_floor(int i);
int bench_manifest_apply_prep(int side, int n);
int bench_manifest_apply(int i);
int bench_manifest_apply_floor(int i);
int bench_manifest_apply_check(int side, int n);
int bench_manifest_noop(int i);
int bench_stow_prep(int side, int n);
int bench_stow(int i);
int bench_stow_check(int side, int n);

/* move.c: the move rows (issue 14). */
int bench_move_setup(const bench_config *cfg);
int bench_move_same_setup(const bench_config *cfg);
/* Bytes one operation of row ID moves (for a rate line), or 0. */
unsigned long long bench_move_bytes(const char *id);
int bench_move_prep(int side, int n);
int bench_move_mklink(int i);
int bench_move_mv(int i);
int bench_move_cp_rm(int i);
int bench_move_check(int side, int n);
int bench_move_undo(int side, int n);
int bench_move_same_prep(int side, int n);
int bench_move_same_mklink(int i);
int bench_move_same_mv_ln(int i);
int bench_move_same_check(int side, int n);
int bench_move_same_undo(int side, int n);

/* bench.c */
double bench_now_ns(void);
int bench_spawn(char *const argv[], int out_fd, int ok_status);
/* The same with the child's stack and descriptors limited (bytes, count). */
int bench_spawn_limited(char *const argv[], int out_fd, int ok_status, long stack,
                        long files);
void bench_fail(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

#endif /* MKLINK_BENCH_H */

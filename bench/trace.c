/*
 * trace.c -- which system calls each operation makes.
 *
 * `mklink_bench --trace-ops` runs every library row's operation once per side
 * between two markers (a write to fd -1 that fails and that strace shows with
 * its text); bench/run runs it under strace, and `mklink_bench --trace-report
 * LOG` prints what the kernel saw between the markers.  Counting at the
 * kernel boundary also catches a call that bypassed the OS-call table.
 */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MARK "mklink-bench: "

void bench_trace_mark(const char *what, const char *id, int side) {
  char buf[128];
  int len = snprintf(buf, sizeof buf, MARK "%s %s %d", what, id, side);
  ssize_t ignored = write(-1, buf, (size_t)len);
  (void)ignored;
}

static int is_traced(const bench_row *row) {
  return row->per_batch == 0 && strcmp(row->id, "spawn") != 0;
}

int bench_trace_ops(const bench_config *cfg) {
  size_t r;
  int side, rc = 0;
  for (r = 0; r < bench_nrows; r++) {
    const bench_row *row = &bench_rows[r];
    if (!is_traced(row) || (cfg->only != NULL && strstr(row->id, cfg->only) == NULL))
      continue;
    if (row->setup != NULL && row->setup(cfg) != 0) {
      rc = -1;
      continue;
    }
    for (side = 0; side < 2; side++) {
      /* The first operation runs untraced: only the steady state counts. */
      if ((row->prep != NULL && row->prep(side, 2) != 0) || row->op[side](0) != 0) {
        rc = -1;
      } else {
        bench_trace_mark("begin", row->id, side);
        if (row->op[side](1) != 0)
          rc = -1;
        bench_trace_mark("end", row->id, side);
      }
      if (row->undo != NULL && row->undo(side, 2) != 0)
        rc = -1;
    }
  }
  return rc;
}

/* ---- reading the strace log ----------------------------------------------- */

#define MAX_CALLS 64
#define CALL_LEN 512

typedef struct traced {
  char id[64];
  int ncalls;
  char calls[MAX_CALLS][CALL_LEN];
} traced;

static traced found[2][32];
static int nfound[2];

static traced *lookup(const char *id, int side, int make) {
  int i;
  for (i = 0; i < nfound[side]; i++)
    if (strcmp(found[side][i].id, id) == 0)
      return &found[side][i];
  if (!make || nfound[side] == 32)
    return NULL;
  snprintf(found[side][nfound[side]].id, sizeof found[side][0].id, "%s", id);
  return &found[side][nfound[side]++];
}

/* "symlinkat(...)" -> "symlinkat" */
static void call_name(const char *line, char *name, size_t size) {
  size_t n = strcspn(line, "(");
  if (n >= size)
    n = size - 1;
  memcpy(name, line, n);
  name[n] = '\0';
}

static void print_cell(const traced *t) {
  char name[64];
  int i;
  if (t == NULL) {
    printf(" (not traced) |");
    return;
  }
  printf(" %d:", t->ncalls);
  for (i = 0; i < t->ncalls; i++) {
    call_name(t->calls[i], name, sizeof name);
    printf("%s `%s`", i == 0 ? "" : " +", name);
  }
  printf(" |");
}

int bench_trace_report(const char *log) {
  char line[4096], id[64], what[16];
  traced *cur = NULL;
  FILE *f = fopen(log, "r");
  size_t r;
  int side, i;
  if (f == NULL) {
    bench_fail("cannot read the strace log '%s'", log);
    return -1;
  }
  while (fgets(line, sizeof line, f) != NULL) {
    char *mark = strstr(line, MARK);
    line[strcspn(line, "\n")] = '\0';
    if (mark != NULL) {
      if (sscanf(mark + strlen(MARK), "%15s %63s %d", what, id, &side) != 3 ||
          side < 0 || side > 1)
        continue;
      cur = strcmp(what, "begin") == 0 ? lookup(id, side, 1) : NULL;
      if (cur != NULL)
        cur->ncalls = 0;
      continue;
    }
    if (cur != NULL && cur->ncalls < MAX_CALLS && strchr(line, '(') != NULL) {
      /* Long arguments are cut: the call's name and first bytes suffice. */
      char *dst = cur->calls[cur->ncalls++];
      strncpy(dst, line, CALL_LEN - 1);
      dst[CALL_LEN - 1] = '\0';
    }
  }
  fclose(f);
  if (nfound[0] == 0) {
    bench_fail("the strace log '%s' has no traced operation", log);
    return -1;
  }
  printf("| operation | mklink: system calls | baseline: system calls |\n");
  printf("|---|---|---|\n");
  for (r = 0; r < bench_nrows; r++) {
    const traced *mk = lookup(bench_rows[r].id, 0, 0);
    if (!is_traced(&bench_rows[r]) || mk == NULL)
      continue;
    printf("| %s |", bench_rows[r].measure);
    print_cell(mk);
    print_cell(lookup(bench_rows[r].id, 1, 0));
    printf("\n");
  }
  printf("\nThe calls mklink made, as strace shows them:\n\n```\n");
  for (i = 0; i < nfound[0]; i++) {
    int k;
    printf("# %s\n", found[0][i].id);
    for (k = 0; k < found[0][i].ncalls; k++)
      printf("%s\n", found[0][i].calls[k]);
  }
  printf("```\n");
  return 0;
}

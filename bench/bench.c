/*
 * bench.c -- mklink_bench: times every row's two contenders in interleaved
 * rounds and prints the table of medians (see bench/run, which picks a tmpfs
 * directory, builds this program and runs it).
 *
 *   mklink_bench --dir DIR [--quick] [--only ID] [--mklink PATH]
 *                [--ops N] [--rounds N] [--other DIR]   the table (--other:
 *                                              a directory on a second file
 *                                              system, for the move rows)
 *   mklink_bench --dir DIR --trace-ops [--only ID]   operations between
 *                                              markers, for strace
 *   mklink_bench --trace-report LOG            the system calls per operation
 *   mklink_bench [--mklink PATH] --which-mklink  the mklink command it runs
 *
 * Exit status: 0 when every row ran (fast or not), 1 when a contender failed
 * or gave a wrong result, 2 for a usage error.  MKLINK_BENCH_VERBOSE=1 prints
 * every round's times on stderr.
 */
#include "bench.h"

#include <errno.h>
#include <limits.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/vfs.h>
#endif

#include "mklink.h"

extern char **environ;

#ifndef MKLINK_BENCH_CLI
#define MKLINK_BENCH_CLI NULL
#endif

/* ---- small services for the rows ------------------------------------- */

void bench_fail(const char *fmt, ...) {
  va_list ap;
  fflush(stdout);
  fprintf(stderr, "mklink_bench: ");
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, "\n");
}

double bench_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Run ARGV with stdout on OUT_FD and wait; the exit status must be 0 or
   OK_STATUS.  Both contenders of a process row start the same way. */
int bench_spawn(char *const argv[], int out_fd, int ok_status) {
  posix_spawn_file_actions_t actions;
  pid_t pid;
  int rc, status;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
  rc = posix_spawn(&pid, argv[0], &actions, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    bench_fail("cannot start '%s': %s", argv[0], strerror(rc));
    return -1;
  }
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) {
      bench_fail("waitpid: %s", strerror(errno));
      return -1;
    }
  if (WIFEXITED(status) &&
      (WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == ok_status))
    return 0;
  bench_fail("'%s%s%s' %s %d", argv[0], argv[1] ? " " : "", argv[1] ? argv[1] : "",
             WIFEXITED(status) ? "exited with" : "was killed by signal",
             WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
  return -1;
}

/* Limits are set in this process around the spawn (posix_spawn cannot set
   them in the child) and restored at once; the soft limits only. */
int bench_spawn_limited(char *const argv[], int out_fd, int ok_status, long stack,
                        long files) {
  struct rlimit old_stack, old_files, lim;
  int rc;
  if (getrlimit(RLIMIT_STACK, &old_stack) != 0 || getrlimit(RLIMIT_NOFILE, &old_files) != 0) {
    bench_fail("getrlimit: %s", strerror(errno));
    return -1;
  }
  lim = old_stack;
  lim.rlim_cur = (rlim_t)stack;
  if (setrlimit(RLIMIT_STACK, &lim) != 0) {
    bench_fail("setrlimit(RLIMIT_STACK): %s", strerror(errno));
    return -1;
  }
  lim = old_files;
  lim.rlim_cur = (rlim_t)files;
  if (setrlimit(RLIMIT_NOFILE, &lim) != 0) {
    bench_fail("setrlimit(RLIMIT_NOFILE): %s", strerror(errno));
    setrlimit(RLIMIT_STACK, &old_stack);
    return -1;
  }
  rc = bench_spawn(argv, out_fd, ok_status);
  if (setrlimit(RLIMIT_NOFILE, &old_files) != 0 || setrlimit(RLIMIT_STACK, &old_stack) != 0) {
    bench_fail("setrlimit (restoring): %s", strerror(errno));
    return -1;
  }
  return rc;
}

/* ---- the machine ----------------------------------------------------------- */

static const char *fs_name(const char *dir) {
#ifdef __linux__
  struct statfs fs;
  if (statfs(dir, &fs) != 0)
    return "unknown";
  switch ((unsigned long)fs.f_type) {
  case 0x01021994UL: return "tmpfs";
  case 0xEF53UL: return "ext4";
  case 0x58465342UL: return "xfs";
  case 0x9123683EUL: return "btrfs";
  case 0x794C7630UL: return "overlayfs";
  case 0x6969UL: return "nfs";
  }
  return "other (not tmpfs)";
#else
  (void)dir;
  return "unknown";
#endif
}

static void cpu_model(char *out, size_t size) {
  char line[256];
  FILE *f = fopen("/proc/cpuinfo", "r");
  snprintf(out, size, "unknown CPU");
  if (f == NULL)
    return;
  while (fgets(line, sizeof line, f) != NULL) {
    char *colon = strchr(line, ':');
    if (strncmp(line, "model name", 10) == 0 && colon != NULL) {
      colon[strcspn(colon, "\n")] = '\0';
      snprintf(out, size, "%s", colon + 2);
      break;
    }
  }
  fclose(f);
}

static void print_machine(const char *dir) {
  struct utsname u;
  char cpu[128];
  cpu_model(cpu, sizeof cpu);
  if (uname(&u) != 0)
    memset(&u, 0, sizeof u);
  printf("machine: %ld cores (%s), %s %s, file system %s, compiler %s\n",
         sysconf(_SC_NPROCESSORS_ONLN), cpu, u.sysname, u.release, fs_name(dir),
         __VERSION__);
}

/* ---- timing ------------------------------------------------------------- */

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(double *v, int n) {
  qsort(v, (size_t)n, sizeof *v, by_value);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void format_time(double ns, char *out, size_t size) {
  if (ns < 1e3)
    snprintf(out, size, "%.0f ns", ns);
  else if (ns < 1e6)
    snprintf(out, size, "%.2f µs", ns / 1e3);
  else
    snprintf(out, size, "%.1f ms", ns / 1e6);
}

typedef struct row_state {
  int wanted, broken, n, rounds, done;
  const char *not_run; /* why the row did not run (a tool is missing) */
  double *t[2];  /* per round: ns per operation of each side */
  double *ratio; /* per round: mklink / baseline of that round */
} row_state;

static int batch_size(const bench_row *row, const bench_config *cfg) {
  return row->per_batch != 0 ? row->per_batch : cfg->ops;
}

/* One batch of one side: untimed preparation, timed operations, the result
   checked in the first round, untimed cleanup.  Returns ns per operation or
   a negative value on failure. */
static double run_batch(const bench_row *row, int side, int n, int first) {
  double t0, t1;
  int i;
  if (row->prep != NULL && row->prep(side, n) != 0)
    return -1;
  t0 = bench_now_ns();
  for (i = 0; i < n; i++)
    if (row->op[side](i) != 0)
      break;
  t1 = bench_now_ns();
  if (i < n) {
    /* Leave the directory clean for the rows that follow. */
    if (row->undo != NULL)
      row->undo(side, n);
    return -1;
  }
  if (first && row->check != NULL && row->check(side, n) != 0)
    return -1;
  if (row->undo != NULL && row->undo(side, n) != 0)
    return -1;
  return (t1 - t0) / n;
}

static void print_table(const bench_config *cfg, row_state *st) {
  size_t r;
  printf("\n| measure | baseline | mklink | baseline | ratio | goal | result |\n");
  printf("|---|---|---:|---:|---:|---:|---|\n");
  for (r = 0; r < bench_nrows; r++) {
    const bench_row *row = &bench_rows[r];
    char a[32], b[32];
    double ma, mb, ratio;
    if (!st[r].wanted)
      continue;
    if (st[r].not_run != NULL) {
      printf("| %s | %s | – | – | – | ≤ %.2f | not run: %s |\n", row->measure, row->baseline,
             row->goal, st[r].not_run);
      continue;
    }
    if (st[r].broken || st[r].done == 0) {
      printf("| %s | %s | failed | failed | – | ≤ %.2f | BROKEN |\n", row->measure,
             row->baseline, row->goal);
      continue;
    }
    ma = median(st[r].t[0], st[r].done);
    mb = median(st[r].t[1], st[r].done);
    ratio = median(st[r].ratio, st[r].done);
    format_time(ma, a, sizeof a);
    format_time(mb, b, sizeof b);
    if (row->goal == 0) {
      printf("| %s | %s | %s | %s | %.2f | – | info |\n", row->measure,
             row->baseline, a, b, ratio);
      continue;
    }
    printf("| %s | %s | %s | %s | %.2f | ≤ %.2f | %s |\n", row->measure,
           row->baseline, a, b, ratio, row->goal,
           cfg->quick ? "(quick: not judged)" : ratio <= row->goal ? "OK" : "MISSED");
  }
  for (r = 0; r < bench_nrows; r++) {
    const bench_row *row = &bench_rows[r];
    double ma, mb, moved = (double)bench_move_bytes(row->id);
    if (!st[r].wanted || st[r].not_run != NULL || st[r].broken || st[r].done == 0 || moved == 0)
      continue;
    ma = median(st[r].t[0], st[r].done);
    mb = median(st[r].t[1], st[r].done);
    printf("\n%s: %.0f MB/s (mklink), %.0f MB/s (%s)", row->id, moved / ma * 1e3,
           moved / mb * 1e3, row->baseline);
  }
  printf("\ntimes: median per side over the rounds; ratio: median over the "
         "rounds of mklink / baseline in the same round; library rows: %d rounds "
         "of %d operations per side; walks: %d rounds; processes: %d rounds of "
         "%d\n",
         cfg->rounds, cfg->ops, cfg->walk_rounds, cfg->spawn_rounds,
         cfg->spawn_batch);
}

static int run_table(const bench_config *cfg, const char *root) {
  row_state st[32];
  size_t r;
  int round, max_rounds = 0, k, failed = 0, progress = isatty(2);
  memset(st, 0, sizeof st);
  print_machine(root);
  if (bench_rows_init(cfg, root) != 0)
    return 1;
  for (r = 0; r < bench_nrows; r++) {
    const bench_row *row = &bench_rows[r];
    st[r].wanted = cfg->only == NULL || strstr(row->id, cfg->only) != NULL;
    if (!st[r].wanted)
      continue;
    st[r].n = batch_size(row, cfg);
    st[r].rounds = row->rounds != 0 ? row->rounds : cfg->rounds;
    st[r].t[0] = calloc((size_t)st[r].rounds, sizeof(double));
    st[r].t[1] = calloc((size_t)st[r].rounds, sizeof(double));
    st[r].ratio = calloc((size_t)st[r].rounds, sizeof(double));
    if (st[r].t[0] == NULL || st[r].t[1] == NULL || st[r].ratio == NULL ||
        st[r].n > BENCH_MAX_OPS) {
      bench_fail("%s: cannot run %d operations per batch", row->id, st[r].n);
      return 1;
    }
    if (row->setup != NULL && (k = row->setup(cfg)) != 0) {
      if (k > 0)
        st[r].not_run = bench_not_run;
      else
        st[r].broken = 1;
    }
    if (st[r].rounds > max_rounds)
      max_rounds = st[r].rounds;
  }
  /* Round after round, every row; within a row the two sides take turns
     going first, so a drift in the machine's speed hits both alike. */
  for (round = 0; round < max_rounds; round++) {
    if (progress)
      fprintf(stderr, "\rround %d/%d ", round + 1, max_rounds);
    for (r = 0; r < bench_nrows; r++) {
      const bench_row *row = &bench_rows[r];
      double t[2];
      if (!st[r].wanted || st[r].broken || st[r].not_run != NULL || round >= st[r].rounds)
        continue;
      for (k = 0; k < 2; k++) {
        int side = (round + (int)r) % 2 == 0 ? k : 1 - k;
        t[side] = run_batch(row, side, st[r].n, round == 0);
        if (t[side] < 0)
          break;
      }
      if (k < 2) {
        bench_fail("%s: round %d failed", row->id, round + 1);
        st[r].broken = 1;
        continue;
      }
      if (getenv("MKLINK_BENCH_VERBOSE") != NULL)
        fprintf(stderr, "%s round %d: %.0f %.0f ns\n", row->id, round + 1, t[0], t[1]);
      st[r].t[0][st[r].done] = t[0];
      st[r].t[1][st[r].done] = t[1];
      st[r].ratio[st[r].done] = t[0] / t[1];
      st[r].done++;
    }
  }
  if (progress)
    fprintf(stderr, "\n");
  print_table(cfg, st);
  for (r = 0; r < bench_nrows; r++) {
    failed |= st[r].wanted && st[r].broken;
    free(st[r].t[0]);
    free(st[r].t[1]);
    free(st[r].ratio);
  }
  return failed ? 1 : 0;
}

/* ---- options ------------------------------------------------------------- */

/* PROG found on PATH, as an absolute path (posix_spawn does not search). */
static const char *on_path(const char *prog, char *out, size_t size) {
  const char *path = getenv("PATH");
  const char *p = path != NULL ? path : "/usr/bin:/bin";
  while (*p != '\0') {
    size_t len = strcspn(p, ":");
    if (len > 0 && (size_t)snprintf(out, size, "%.*s/%s", (int)len, p, prog) < size &&
        access(out, X_OK) == 0)
      return out;
    p += len + (p[len] == ':');
  }
  return NULL;
}

static int usage(void) {
  fprintf(stderr,
          "usage: mklink_bench --dir DIR [--quick] [--only ID] [--mklink PATH]\n"
          "                    [--ops N] [--rounds N] [--other DIR] [--trace-ops]\n"
          "       mklink_bench --trace-report STRACE_LOG\n"
          "       mklink_bench [--mklink PATH] --which-mklink\n");
  return 2;
}

static int positive(const char *s, int *out) {
  char *end;
  long v = strtol(s, &end, 10);
  if (*s == '\0' || *end != '\0' || v < 1 || v > 100000)
    return -1;
  *out = (int)v;
  return 0;
}

int main(int argc, char **argv) {
  static char find_path[PATH_MAX], ln_path[PATH_MAX], rm_path[PATH_MAX], fd_path[PATH_MAX],
      root[PATH_MAX];
  bench_config cfg;
  const char *dir = NULL, *report = NULL;
  int i, trace = 0, ops = 0, rounds = 0;
  memset(&cfg, 0, sizeof cfg);
  cfg.mklink = MKLINK_BENCH_CLI;
  for (i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(a, "--quick") == 0) {
      cfg.quick = 1;
    } else if (strcmp(a, "--which-mklink") == 0) {
      if (cfg.mklink == NULL)
        return 1;
      printf("%s\n", cfg.mklink);
      return 0;
    } else if (strcmp(a, "--trace-ops") == 0) {
      trace = 1;
    } else if (v != NULL && strcmp(a, "--dir") == 0) {
      dir = v, i++;
    } else if (v != NULL && strcmp(a, "--only") == 0) {
      cfg.only = v, i++;
    } else if (v != NULL && strcmp(a, "--other") == 0) {
      static char other[PATH_MAX];
      if (realpath(v, other) == NULL)
        return usage();
      cfg.other = other, i++;
    } else if (v != NULL && strcmp(a, "--mklink") == 0) {
      cfg.mklink = v, i++;
    } else if (v != NULL && strcmp(a, "--trace-report") == 0) {
      report = v, i++;
    } else if (v != NULL && strcmp(a, "--ops") == 0 && positive(v, &ops) == 0) {
      i++;
    } else if (v != NULL && strcmp(a, "--rounds") == 0 && positive(v, &rounds) == 0) {
      i++;
    } else {
      return usage();
    }
  }
  if (report != NULL)
    return bench_trace_report(report) == 0 ? 0 : 1;
  if (dir == NULL || realpath(dir, root) == NULL)
    return usage();
  /* Small batches, many rounds: on a shared machine per-batch times come in
     two modes, and alternating the sides every 100 operations keeps both
     sides in the same mode (the A/A row shows the remaining spread). */
  if (cfg.quick) {
    cfg.ops = 50, cfg.rounds = 5, cfg.walk_rounds = 1;
    cfg.spawn_batch = 10, cfg.spawn_rounds = 2;
    cfg.tree_entries = 20000, cfg.tree_links = 2000;
    cfg.delete_entries = 2000, cfg.deep_levels = 10000, cfg.deep_rounds = 1;
  } else {
    cfg.ops = 100, cfg.rounds = 501, cfg.walk_rounds = 11;
    cfg.spawn_batch = 50, cfg.spawn_rounds = 10; /* 500 processes a side */
    cfg.tree_entries = 200000, cfg.tree_links = 20000;
    cfg.delete_entries = 20000, cfg.deep_levels = 10000, cfg.deep_rounds = 5;
  }
  if (ops > BENCH_MAX_OPS)
    return usage();
  if (ops != 0)
    cfg.ops = ops;
  if (rounds != 0)
    cfg.rounds = rounds;
  cfg.find = on_path("find", find_path, sizeof find_path);
  cfg.ln = on_path("ln", ln_path, sizeof ln_path);
  cfg.rm = on_path("rm", rm_path, sizeof rm_path);
  cfg.fd = on_path("fdfind", fd_path, sizeof fd_path); /* Debian's name for fd */
  if (cfg.fd == NULL)
    cfg.fd = on_path("fd", fd_path, sizeof fd_path);
  if (cfg.find == NULL || cfg.ln == NULL) {
    bench_fail("find and ln must be on PATH (findutils, coreutils)");
    return 1;
  }
  if (trace) {
    cfg.tree_entries = 0; /* the walks are not traced */
    if (bench_rows_init(&cfg, root) != 0)
      return 1;
    return bench_trace_ops(&cfg) == 0 ? 0 : 1;
  }
  return run_table(&cfg, root);
}

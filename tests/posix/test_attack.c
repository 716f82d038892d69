/*
 * test_attack.c -- mklink_remove_tree under attack.
 *
 * While the walk deletes a deep tree, an attacker thread keeps swapping the
 * tree's directories for symbolic links and simulated junctions ("/./victim")
 * pointing at a victim tree, and back.  Each swap made while the walk runs is
 * a race.  Over at least ATTACK_RACES races the victim must lose nothing:
 * same file count, same content hash, 0 bytes lost.
 *
 * To prove the check can fail, the same attack is run against a naive walker
 * (lstat, then opendir by path: the check-then-use window of CVE-2022-21658),
 * compiled only into this test; it must lose victim data.
 *
 * Everything runs in sandbox_run(): a forked child chrooted into the test's
 * directory (on a private tmpfs when allowed), so the victim lives inside the
 * chroot too and a walker that escapes can destroy nothing else.
 */
#define _GNU_SOURCE /* renameat2, RENAME_EXCHANGE */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mklink.h"
#include "posix_sandbox.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define ATTACK_RACES 10000u  /* at least this many races for the real walk... */
#define ATTACK_ROUNDS 100u   /* ...over at least this many walks...           */
#define ATTACK_SECONDS 40.0  /* ...within this time, or the test fails        */
#define NAIVE_TOCTOU_SECONDS 5.0
#define TREE_DEPTH 48        /* deeper than the descriptors the walk keeps  */
#define VICTIM_FILES 16

typedef struct attack_stats {
  unsigned rounds;
  unsigned long races;           /* swaps made while a walk ran            */
  unsigned long races_symlink;   /* ... to a symbolic link "/victim"        */
  unsigned long races_junction;  /* ... to a simulated junction "/./victim" */
  unsigned long refused_at_open; /* the walk's openat refused a swapped link */
  unsigned walk_ok, walk_busy, walk_other;
  int other_rc;
  unsigned victim_files;         /* after the last round */
  unsigned long victim_bytes_lost;
  unsigned long victim_bytes;
  double seconds;
} attack_stats;

/* ---- the victim ------------------------------------------------------------ */

static size_t victim_size(int i) { return 512 + 97 * (size_t)i; }

static void victim_content(int i, char *buf) {
  size_t k, n = victim_size(i);
  for (k = 0; k < n; k++)
    buf[k] = (char)('a' + (k * 7 + (size_t)i * 13) % 26);
}

static void victim_path(int i, char *out, size_t outsz) {
  snprintf(out, outsz, i < VICTIM_FILES / 2 ? "/victim/v%d" : "/victim/sub/w%d", i);
}

static void make_victim(void) {
  char path[64], buf[4096];
  int i, fd;
  SBX_CHECK(mkdir("/victim", 0755) == 0 || errno == EEXIST);
  SBX_CHECK(mkdir("/victim/sub", 0755) == 0 || errno == EEXIST);
  for (i = 0; i < VICTIM_FILES; i++) {
    victim_path(i, path, sizeof path);
    victim_content(i, buf);
    SBX_CHECK((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) >= 0);
    SBX_CHECK(write(fd, buf, victim_size(i)) == (ssize_t)victim_size(i));
    close(fd);
  }
}

/* FNV-1a over a buffer, chained. */
static uint64_t fnv(uint64_t h, const void *p, size_t n) {
  const unsigned char *c = p;
  while (n-- > 0)
    h = (h ^ *c++) * 0x100000001b3ull;
  return h;
}

/* Files under /victim and the hash of their names and contents; bytes of
   the expected files that are missing or changed go to *LOST. */
static uint64_t victim_check(unsigned *files, unsigned long *lost) {
  char path[64], want[4096], got[4096];
  uint64_t h = 0xcbf29ce484222325ull;
  int i, fd;
  ssize_t n;
  *files = 0;
  *lost = 0;
  for (i = 0; i < VICTIM_FILES; i++) {
    victim_path(i, path, sizeof path);
    victim_content(i, want);
    fd = open(path, O_RDONLY | O_NOFOLLOW);
    n = fd >= 0 ? read(fd, got, sizeof got) : -1;
    if (fd >= 0)
      close(fd);
    if (n != (ssize_t)victim_size(i) || memcmp(got, want, victim_size(i)) != 0) {
      *lost += victim_size(i);
      continue;
    }
    ++*files;
    h = fnv(fnv(h, path, strlen(path)), got, (size_t)n);
  }
  return h;
}

/* Every entry under DIR, counted (no link followed). */
static unsigned count_entries(const char *dir) {
  DIR *d = opendir(dir);
  struct dirent *de;
  unsigned n = 0;
  if (d == NULL)
    return 0;
  while ((de = readdir(d)) != NULL)
    if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
      n++;
  closedir(d);
  return n;
}

/* ---- the tree under attack ------------------------------------------------- */

#define MAX_DIRS (2 * TREE_DEPTH)

typedef struct scene {
  char dirs[MAX_DIRS][3 * TREE_DEPTH + 16]; /* directories the attacker swaps */
  int parent[MAX_DIRS]; /* descriptor of each one's parent, opened while the
                           tree was being built: the attacker resolves no
                           path, so it never goes through its own links */
  const char *name[MAX_DIRS];
  int ndirs;
  int attacker_cpu;    /* 0: shares the walk's CPU (races at preemption
                          points), 1: its own (races at any instruction) */
  atomic_int go;       /* the walk runs */
  atomic_int stop;     /* the attacker ends */
  atomic_ulong races, races_symlink, races_junction;
} scene;

static void put_file(const char *path) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  SBX_CHECK(fd >= 0);
  SBX_CHECK(write(fd, "tree", 4) == 4);
  close(fd);
}

/* /t/a/a/...: TREE_DEPTH levels, each with two files and a side directory. */
static void make_tree(scene *s) {
  char p[sizeof s->dirs[0]], q[sizeof s->dirs[0] + 8];
  size_t len;
  int i;
  s->ndirs = 0;
  SBX_CHECK(mkdir("/t", 0755) == 0);
  len = (size_t)snprintf(p, sizeof p, "/t");
  for (i = 0; i < TREE_DEPTH; i++) {
    len += (size_t)snprintf(p + len, sizeof p - len, "/a");
    SBX_CHECK(mkdir(p, 0755) == 0);
    memcpy(s->dirs[s->ndirs++], p, len + 1);
    snprintf(q, sizeof q, "%s/f", p);
    put_file(q);
    snprintf(q, sizeof q, "%s/s", p);
    SBX_CHECK(mkdir(q, 0755) == 0);
    SBX_CHECK(strlen(q) < sizeof s->dirs[0]);
    memcpy(s->dirs[s->ndirs++], q, strlen(q) + 1);
    snprintf(q, sizeof q, "%s/s/g", p);
    put_file(q);
  }
  for (i = 0; i < s->ndirs; i++) {
    char *slash = strrchr(s->dirs[i], '/');
    *slash = '\0';
    s->parent[i] = open(s->dirs[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
    SBX_CHECK(s->parent[i] >= 0);
    *slash = '/';
    s->name[i] = slash + 1;
    snprintf(q, sizeof q, "%s~", s->name[i]);
    SBX_CHECK(symlinkat(i & 1 ? "/./victim" : "/victim", s->parent[i], q) == 0);
  }
}

/* Run the calling thread on the Nth CPU this process may use.  Rounds
   alternate between attacker and walk sharing one CPU (the attacker runs
   whenever the walk is preempted, at any point of it) and each on its own
   (both at once).  A system with one CPU races at preemption points only. */
static void pin_to_cpu(int n) {
#ifdef CPU_SET
  cpu_set_t allowed, one;
  int cpu, seen = 0;
  if (sched_getaffinity(0, sizeof allowed, &allowed) != 0 || CPU_COUNT(&allowed) < 2)
    return;
  for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
    if (!CPU_ISSET(cpu, &allowed) || seen++ != n)
      continue;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    (void)pthread_setaffinity_np(pthread_self(), sizeof one, &one);
    return;
  }
#else
  (void)n;
#endif
}

/* Swap entry NAME of directory FD with NAME~ atomically where the system
   can (Linux renameat2 RENAME_EXCHANGE: NAME is never missing), else in
   three renames. */
static int exchange(int fd, const char *name) {
  char link[16], tmp[16];
  snprintf(link, sizeof link, "%s~", name);
#ifdef RENAME_EXCHANGE
  (void)tmp;
  return renameat2(fd, name, fd, link, RENAME_EXCHANGE);
#else
  snprintf(tmp, sizeof tmp, "%s#", name);
  if (renameat(fd, name, fd, tmp) != 0)
    return -1;
  if (renameat(fd, link, fd, name) != 0 || renameat(fd, tmp, fd, link) != 0)
    return -1;
  return 0;
#endif
}

/* Beside every directory P of the tree, a link "P~" to the victim (a
   symbolic link or a simulated junction, alternately); then sweep the tree
   over and over, exchanging each P with its link, so every directory's name
   is a link to the victim half of the time.  A directory whose exchange fails
   (the walk removed one of the two) gets a new link, or is given up. */
static void *attacker(void *arg) {
  scene *s = arg;
  pin_to_cpu(s->attacker_cpu);
  char link[16];
  unsigned char is_link[MAX_DIRS] = {0}, dead[MAX_DIRS] = {0};
  int i, alive = s->ndirs;
  while (!atomic_load(&s->stop) && alive > 0) {
    for (i = 0; i < s->ndirs && !atomic_load(&s->stop); i++) {
      int junction = i & 1;
      if (dead[i])
        continue;
      if (exchange(s->parent[i], s->name[i]) == 0) {
        is_link[i] = !is_link[i];
        if (is_link[i] && atomic_load(&s->go)) {
          atomic_fetch_add(&s->races, 1);
          atomic_fetch_add(junction ? &s->races_junction : &s->races_symlink, 1);
        }
      } else if (snprintf(link, sizeof link, "%s~", s->name[i]) > 0 &&
                 symlinkat(junction ? "/./victim" : "/victim", s->parent[i], link) == 0) {
        is_link[i] = 0;
      } else {
        dead[i] = 1;
        alive--;
      }
    }
  }
  return NULL;
}

/* ---- the walks ------------------------------------------------------------- */

/* Calls of the walk's openat refused because a link had taken a directory's
   place (only the walking thread touches it). */
static unsigned long refused;

typedef int (*openat_fn)(int, const char *, int, ...);

static int openat_counting(int fd, const char *name, int flags, ...) {
  int rc = ((openat_fn)mklink_default_syscall("openat"))(fd, name, flags, 0);
  if (rc < 0 && (errno == ELOOP || errno == ENOTDIR))
    refused++;
  return rc;
}

/* Naive walkers, compiled only for this check.  NAIVE_FOLLOWS looks with
   stat(), which follows links; NAIVE_TOCTOU looks with lstat() and then opens
   by path, so a directory that became a link in between is followed (the
   window of CVE-2022-21658). */
enum { REAL_WALK = 0, NAIVE_FOLLOWS = 1, NAIVE_TOCTOU = 2 };

static int naive_remove_tree(const char *path, int kind) {
  struct stat st;
  char child[PATH_MAX];
  DIR *d;
  struct dirent *de;
  if ((kind == NAIVE_FOLLOWS ? stat(path, &st) : lstat(path, &st)) != 0)
    return unlink(path);
  if (!S_ISDIR(st.st_mode))
    return unlink(path);
  d = opendir(path);
  if (d == NULL)
    return unlink(path);
  while ((de = readdir(d)) != NULL) {
    if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
      continue;
    if ((size_t)snprintf(child, sizeof child, "%s/%s", path, de->d_name) < sizeof child)
      (void)naive_remove_tree(child, kind);
  }
  closedir(d);
  if (rmdir(path) != 0 && errno == ENOTDIR)
    return unlink(path);
  return 0;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct attack_run {
  int naive;      /* REAL_WALK or a naive walker */
  double seconds; /* a naive walker goes on until it loses data or this */
  attack_stats *stats;
} attack_run;

/* Rounds of (build the tree, attack while walking, check the victim) until
   enough races, a victim loss, or the time is up. */
static int sc_attack(void *arg) {
  attack_run *run = arg;
  attack_stats *st = run->stats;
  static scene s;
  double start = now();
  uint64_t want_hash;
  unsigned files;
  unsigned long lost;
  make_victim();
  want_hash = victim_check(&files, &lost);
  SBX_CHECK(files == VICTIM_FILES && lost == 0);
  st->victim_bytes = 0;
  for (files = 0; files < VICTIM_FILES; files++)
    st->victim_bytes += victim_size((int)files);
  if (!run->naive)
    SBX_CHECK(mklink_set_syscall("openat", (mklink_syscall_ptr)openat_counting) == 0);
  pin_to_cpu(0);
  /* The naive walk goes on until it loses data, within the same time. */
  while (run->naive ? now() - start < run->seconds
                    : (st->races < ATTACK_RACES || st->rounds < ATTACK_ROUNDS) &&
                          now() - start < ATTACK_SECONDS) {
    pthread_t t;
    int rc, i;
    make_tree(&s);
    s.attacker_cpu = (int)(st->rounds % 2);
    atomic_store(&s.go, 0);
    atomic_store(&s.stop, 0);
    atomic_store(&s.races, 0);
    atomic_store(&s.races_symlink, 0);
    atomic_store(&s.races_junction, 0);
    SBX_CHECK(pthread_create(&t, NULL, attacker, &s) == 0);
    atomic_store(&s.go, 1);
    rc = run->naive ? naive_remove_tree("/t", run->naive) : mklink_remove_tree("/t");
    atomic_store(&s.go, 0);
    atomic_store(&s.stop, 1);
    SBX_CHECK(pthread_join(t, NULL) == 0);
    st->rounds++;
    st->races += atomic_load(&s.races);
    st->races_symlink += atomic_load(&s.races_symlink);
    st->races_junction += atomic_load(&s.races_junction);
    if (!run->naive) {
      if (rc == 0)
        st->walk_ok++;
      else if (rc == MKLINK_EBUSY)
        st->walk_busy++;
      else {
        st->walk_other++;
        st->other_rc = rc;
      }
      /* Unattacked now: what is left (links the attacker made) goes. */
      rc = mklink_remove_tree("/t");
      SBX_CHECK(rc == 0 || rc == MKLINK_ENOFILE);
    } else {
      (void)naive_remove_tree("/t", NAIVE_TOCTOU); /* unattacked now */
    }
    SBX_CHECK(access("/t", F_OK) != 0);
    for (i = 0; i < s.ndirs; i++)
      close(s.parent[i]);
    if (victim_check(&files, &lost) != want_hash || lost > 0) {
      st->victim_files = files;
      st->victim_bytes_lost = lost;
      break;
    }
    st->victim_files = files;
  }
  st->refused_at_open = refused;
  st->seconds = now() - start;
  SBX_CHECK(mklink_set_syscall("openat", NULL) == 0);
  /* The victim directory itself is still whole (no stray entries). */
  if (st->victim_bytes_lost == 0 && count_entries("/victim") != VICTIM_FILES / 2 + 1) {
    DIR *d = opendir("/victim");
    struct dirent *de;
    while (d != NULL && (de = readdir(d)) != NULL)
      fprintf(stderr, "victim entry: %s\n", de->d_name);
    if (d != NULL)
      closedir(d);
    SBX_CHECK(count_entries("/victim") == VICTIM_FILES / 2 + 1);
  }
  return 0;
}

static int run_attack(const char *dir, attack_run *run) {
  int rc = sandbox_run_tmpfs(dir, 32u << 20, sc_attack, run);
  if (rc == -1)
    rc = sandbox_run(dir, sc_attack, run);
  return rc;
}

/* ---- fixture and tests ----------------------------------------------------- */

static void test_attack_loses_nothing(void **state) {
  attack_stats *st;
  attack_run run;
  SANDBOX_REQUIRE();
  st = sandbox_shared(sizeof *st);
  run.naive = REAL_WALK;
  run.seconds = ATTACK_SECONDS;
  run.stats = st;
  assert_int_equal(run_attack(*state, &run), 0);
  print_message("attack: %u rounds in %.1f s, %lu races (%lu to a symlink, %lu to a junction), "
                "%lu links refused at open; walks: %u ok, %u busy, %u other (last %s); "
                "victim: %u/%d files, %lu of %lu bytes lost\n",
                st->rounds, st->seconds, st->races, st->races_symlink, st->races_junction,
                st->refused_at_open, st->walk_ok, st->walk_busy, st->walk_other,
                mklink_err_name(st->other_rc), st->victim_files, VICTIM_FILES,
                st->victim_bytes_lost, st->victim_bytes);
  assert_int_equal(st->victim_bytes_lost, 0);
  assert_int_equal(st->victim_files, VICTIM_FILES);
  assert_true(st->races >= ATTACK_RACES);
  assert_true(st->rounds >= ATTACK_ROUNDS);
  assert_true(st->races_symlink > 0 && st->races_junction > 0);
  assert_int_equal(st->walk_other, 0);
  /* The attack did reach the walk: some opens met a link. */
  assert_true(st->refused_at_open > 0);
  sandbox_shared_free(st, sizeof *st);
}

static void run_naive(void **state, int kind, double seconds, attack_stats *st) {
  attack_run run;
  run.naive = kind;
  run.seconds = seconds;
  run.stats = st;
  assert_int_equal(run_attack(*state, &run), 0);
  print_message("naive walker (%s): %u rounds in %.1f s, %lu races; victim: %u/%d files, "
                "%lu of %lu bytes lost\n",
                kind == NAIVE_FOLLOWS ? "stat follows links" : "lstat, then opendir by path",
                st->rounds, st->seconds, st->races, st->victim_files, VICTIM_FILES,
                st->victim_bytes_lost, st->victim_bytes);
}

/* The check is only worth something if it fails a walker that follows
   links: the same attack, the same victim check, must see data lost. */
static void test_attack_catches_naive_walker(void **state) {
  attack_stats *st;
  SANDBOX_REQUIRE();
  st = sandbox_shared(sizeof *st);
  run_naive(state, NAIVE_FOLLOWS, ATTACK_SECONDS, st);
  assert_true(st->victim_bytes_lost > 0);
  sandbox_shared_free(st, sizeof *st);
}

/* The subtler walker, with only the window between look and open, loses
   data too, but only when the attack lands in that window: this is reported
   (a measure of how sharp the attack is), not asserted. */
static void test_attack_on_toctou_walker_reported(void **state) {
  attack_stats *st;
  SANDBOX_REQUIRE();
  st = sandbox_shared(sizeof *st);
  run_naive(state, NAIVE_TOCTOU, NAIVE_TOCTOU_SECONDS, st);
  sandbox_shared_free(st, sizeof *st);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      SANDBOX_TEST(test_attack_catches_naive_walker),
      SANDBOX_TEST(test_attack_on_toctou_walker_reported),
      SANDBOX_TEST(test_attack_loses_nothing),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_move.c -- mklink_move and its resume, rollback and pending on POSIX:
 * what a move does on one file system and across two (a tmpfs mounted in the
 * sandbox's private mount namespace), every refusal changing nothing, the
 * progress reports, a cancel, a copy that does not verify, and a failing
 * last step left to resume or to roll back.  The fault-injection, SIGKILL,
 * full-disk and attacker suites of issue 14 are test_move_*.c of their own.
 *
 * Every scenario runs in sandbox_run(): "/" is the test's own directory.
 */
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define SKIPPED 2 /* the scenario's condition (a mount) cannot be made here */

#define EXPECT(call, want)                                                            \
  do {                                                                                \
    int got_ = (call);                                                                \
    if (got_ != (want)) {                                                             \
      fprintf(stderr, "%s:%d: %s gave %s, expected %s\n", __FILE__, __LINE__, #call,   \
              mklink_err_name(got_), mklink_err_name(want));                          \
      _exit(SANDBOX_CHECK_FAILED);                                                    \
    }                                                                                 \
  } while (0)

/* ---- scene builders ------------------------------------------------------- */

static void put_file(const char *path, const char *content) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  SBX_CHECK(fd >= 0);
  SBX_CHECK(write(fd, content, strlen(content)) == (ssize_t)strlen(content));
  SBX_CHECK(close(fd) == 0);
}

/* SIZE bytes of a pattern that depends on SEED. */
static void put_big(const char *path, size_t size, unsigned seed) {
  static char buf[65536];
  size_t i, done = 0;
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  SBX_CHECK(fd >= 0);
  while (done < size) {
    size_t n = size - done < sizeof buf ? size - done : sizeof buf;
    for (i = 0; i < n; i++)
      buf[i] = (char)((done + i) * 31 + seed);
    SBX_CHECK(write(fd, buf, n) == (ssize_t)n);
    done += n;
  }
  SBX_CHECK(close(fd) == 0);
}

static void put_dir(const char *path) { SBX_CHECK(mkdir(path, 0755) == 0); }

static int exists(const char *path) {
  struct stat st;
  return lstat(path, &st) == 0;
}

/* Names in directory PATH. */
static int count_entries(const char *path) {
  DIR *d = opendir(path);
  struct dirent *e;
  int n = 0;
  SBX_CHECK(d != NULL);
  while ((e = readdir(d)) != NULL)
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
      n++;
  closedir(d);
  return n;
}

/* Every entry below and at PATH given one fixed time (depth first, so a
   directory's own comes last), so two trees made one after the other
   compare equal. */
static void fix_times(const char *path) {
  struct timespec ts[2] = {{1500000000, 1}, {1600000000, 2}};
  struct stat st;
  SBX_CHECK(lstat(path, &st) == 0);
  if (S_ISDIR(st.st_mode)) {
    DIR *d = opendir(path);
    struct dirent *e;
    SBX_CHECK(d != NULL);
    while ((e = readdir(d)) != NULL) {
      char p[1024];
      if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
        continue;
      snprintf(p, sizeof p, "%s/%s", path, e->d_name);
      fix_times(p);
    }
    closedir(d);
  }
  if (strstr(path, "b.txt") == NULL) /* b.txt keeps times of its own */
    SBX_CHECK(utimensat(AT_FDCWD, path, ts, AT_SYMLINK_NOFOLLOW) == 0);
}

/* The tree every move below moves: files (one of 5 MiB, so that the copy
   reports progress on the way), an empty directory, a directory of mode
   0751, a symbolic link out of the tree (to /victim, which must never be
   copied), a junction, a relative link, and two names of one file. */
static void make_tree(const char *top) {
  char p[512];
  struct timespec ts[2] = {{1000000000, 123456789}, {1200000000, 987654321}};
  if (!exists("/victim")) {
    put_dir("/victim");
    put_file("/victim/secret", "victim\n");
  }
  put_dir(top);
#define AT(rel) (snprintf(p, sizeof p, "%s/%s", top, rel), p)
  put_file(AT("a.txt"), "alpha\n");
  put_big(AT("big.bin"), 5u << 20, 7);
  put_dir(AT("sub"));
  put_file(AT("sub/b.txt"), "beta\n");
  SBX_CHECK(chmod(AT("sub/b.txt"), 0640) == 0);
  SBX_CHECK(utimensat(AT_FDCWD, AT("sub/b.txt"), ts, 0) == 0);
  put_dir(AT("sub/empty"));
  put_dir(AT("mode751"));
  SBX_CHECK(chmod(AT("mode751"), 0751) == 0);
  SBX_CHECK(symlink("/victim", AT("out")) == 0);
  SBX_CHECK(symlink("sub/b.txt", AT("rel")) == 0);
  SBX_CHECK(mklink_create(AT("junction"), "/victim", MKLINK_JUNCTION, 0) == 0);
  put_file(AT("h1"), "two names\n");
  {
    char q[512];
    snprintf(q, sizeof q, "%s/sub/h2", top);
    SBX_CHECK(link(AT("h1"), q) == 0);
  }
#undef AT
  fix_times(top);
}

/* ---- comparing two trees (another file system: other inodes) ----------- */

static int same_content(const char *a, const char *b) {
  static char x[65536], y[65536];
  int fa = open(a, O_RDONLY | O_NOFOLLOW), fb = open(b, O_RDONLY | O_NOFOLLOW), same = 1;
  SBX_CHECK(fa >= 0 && fb >= 0);
  for (;;) {
    ssize_t n = read(fa, x, sizeof x), m = read(fb, y, sizeof y);
    if (n != m || n < 0 || memcmp(x, y, (size_t)n) != 0) {
      same = 0;
      break;
    }
    if (n == 0)
      break;
  }
  close(fa);
  close(fb);
  return same;
}

/* A and B hold the same names, types, modes, modification times, sizes,
   contents, link texts and link counts. */
static int same_tree(const char *a, const char *b) {
  struct stat sa, sb;
  SBX_CHECK(lstat(a, &sa) == 0);
  if (lstat(b, &sb) != 0) {
    fprintf(stderr, "%s is missing\n", b);
    return 0;
  }
  if ((sa.st_mode & S_IFMT) != (sb.st_mode & S_IFMT) ||
      (!S_ISDIR(sa.st_mode) && sa.st_size != sb.st_size) ||
      (!S_ISLNK(sa.st_mode) && sa.st_mode != sb.st_mode) ||
      (!S_ISDIR(sa.st_mode) && sa.st_nlink != sb.st_nlink) ||
      sa.st_mtim.tv_sec != sb.st_mtim.tv_sec || sa.st_mtim.tv_nsec != sb.st_mtim.tv_nsec) {
    fprintf(stderr, "%s and %s differ (mode %o/%o, size %lld/%lld, nlink %lu/%lu)\n", a, b,
            (unsigned)sa.st_mode, (unsigned)sb.st_mode, (long long)sa.st_size,
            (long long)sb.st_size, (unsigned long)sa.st_nlink, (unsigned long)sb.st_nlink);
    return 0;
  }
  if (S_ISREG(sa.st_mode))
    return same_content(a, b);
  if (S_ISLNK(sa.st_mode)) {
    char x[4096], y[4096];
    ssize_t n = readlink(a, x, sizeof x), m = readlink(b, y, sizeof y);
    return n == m && n >= 0 && memcmp(x, y, (size_t)n) == 0;
  }
  if (S_ISDIR(sa.st_mode)) {
    DIR *d = opendir(a);
    struct dirent *e;
    int ok = count_entries(a) == count_entries(b);
    SBX_CHECK(d != NULL);
    while (ok && (e = readdir(d)) != NULL) {
      char pa[1024], pb[1024];
      if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
        continue;
      snprintf(pa, sizeof pa, "%s/%s", a, e->d_name);
      snprintf(pb, sizeof pb, "%s/%s", b, e->d_name);
      ok = same_tree(pa, pb);
    }
    closedir(d);
    return ok;
  }
  return 1;
}

/* LINK is a link of KIND whose target is TARGET. */
static int is_link_to(const char *link, mklink_kind kind, const char *target) {
  mklink_info info;
  int ok;
  if (mklink_query(link, &info) != 0)
    return 0;
  ok = info.target != NULL && strcmp(info.target, target) == 0;
  /* POSIX does not record /D: a symbolic link to a directory reads back so. */
  ok = ok && (info.kind == kind || (kind == MKLINK_DIR_SYMLINK && info.kind == MKLINK_DIR_SYMLINK));
  mklink_info_free(&info);
  return ok;
}

/* A second file system at PATH, in the sandbox's private mount namespace. */
static int mount_other(const char *path, const char *options) {
  put_dir(path);
  if (mount("mklink-move", path, "tmpfs", 0, options) != 0) {
    fprintf(stderr, "cannot mount a tmpfs: %s\n", strerror(errno));
    return -1;
  }
  return 0;
}

static void run(void **state, int (*fn)(void *)) {
  int rc;
  SANDBOX_REQUIRE();
  rc = sandbox_run(*state, fn, NULL);
  if (rc == SKIPPED) {
    print_message("skipped: no tmpfs can be mounted here (see the output above)\n");
    skip();
  }
  assert_int_equal(rc, 0);
}

/* ---- one file system ---------------------------------------------------------- */

static int sc_same_device_tree(void *arg) {
  unsigned long long before;
  (void)arg;
  put_dir("/src");
  put_dir("/dst");
  make_tree("/src/data");
  before = sandbox_digest("/src/data");
  EXPECT(mklink_move("/src/data", "/dst/data", MKLINK_JUNCTION, 0, NULL, NULL), 0);
  SBX_CHECK(is_link_to("/src/data", MKLINK_JUNCTION, "/dst/data"));
  SBX_CHECK(sandbox_digest("/dst/data") == before); /* one rename: the same inodes */
  SBX_CHECK(count_entries("/src") == 1 && count_entries("/dst") == 1);
  EXPECT(mklink_move_pending("/src/data"), 0);
  /* Back again as a directory symbolic link, TARGET relative, into an
     empty directory. */
  put_dir("/back");
  SBX_CHECK(chdir("/dst") == 0);
  EXPECT(mklink_move("data", "../back", MKLINK_DIR_SYMLINK, 0, NULL, NULL), 0);
  SBX_CHECK(is_link_to("/dst/data", MKLINK_DIR_SYMLINK, "/back"));
  SBX_CHECK(sandbox_digest("/back") == before);
  SBX_CHECK(count_entries("/dst") == 1 && count_entries("/") >= 4);
  return 0;
}

static int sc_same_device_file(void *arg) {
  struct stat a, b;
  (void)arg;
  put_file("/f", "file\n");
  put_file("/g", "gee\n");
  EXPECT(mklink_move("/f", "/moved-f", MKLINK_FILE_SYMLINK, 0, NULL, NULL), 0);
  SBX_CHECK(is_link_to("/f", MKLINK_FILE_SYMLINK, "/moved-f"));
  EXPECT(mklink_move("/g", "/moved-g", MKLINK_HARDLINK, 0, NULL, NULL), 0);
  SBX_CHECK(lstat("/g", &a) == 0 && lstat("/moved-g", &b) == 0);
  SBX_CHECK(a.st_ino == b.st_ino && a.st_nlink == 2 && S_ISREG(a.st_mode));
  SBX_CHECK(!exists("/f.mklink-move") && !exists("/g.mklink-move"));
  /* LINK's directory reached through a symbolic link (/via -> /real). */
  put_dir("/real");
  put_file("/real/h", "aitch\n");
  SBX_CHECK(symlink("/real", "/via") == 0);
  EXPECT(mklink_move("/via/h", "/moved-h", MKLINK_FILE_SYMLINK, 0, NULL, NULL), 0);
  SBX_CHECK(is_link_to("/real/h", MKLINK_FILE_SYMLINK, "/moved-h"));
  SBX_CHECK(count_entries("/real") == 1);
  return 0;
}

static int fail_symlinkat(const char *text, int fd, const char *name) {
  (void)text, (void)fd, (void)name;
  errno = EACCES;
  return -1;
}

/* The link cannot be made: the rename is undone, nothing is left. */
static int sc_same_device_link_fails(void *arg) {
  unsigned long long before;
  (void)arg;
  make_tree("/data");
  before = sandbox_digest("/");
  SBX_CHECK(mklink_set_syscall("symlinkat", (mklink_syscall_ptr)fail_symlinkat) == 0);
  EXPECT(mklink_move("/data", "/moved", MKLINK_JUNCTION, 0, NULL, NULL), MKLINK_EACCES);
  SBX_CHECK(mklink_set_syscall("symlinkat", NULL) == 0);
  SBX_CHECK(sandbox_digest("/") == before);
  return 0;
}

/* ---- refusals -------------------------------------------------------------------- */

static int sc_refusals(void *arg) {
  unsigned long long before;
  (void)arg;
  make_tree("/data");
  put_dir("/full");
  put_file("/full/x", "x");
  put_dir("/empty");
  put_file("/file", "f");
  put_dir("/special");
  SBX_CHECK(mkfifo("/special/fifo", 0600) == 0);
  SBX_CHECK(symlink("/data", "/alink") == 0);
  before = sandbox_digest("/");
  EXPECT(mklink_move("/nothing", "/t", MKLINK_JUNCTION, 0, NULL, NULL), MKLINK_ENOFILE);
  EXPECT(mklink_move("/data", "/full", MKLINK_JUNCTION, 0, NULL, NULL), MKLINK_EEXIST);
  EXPECT(mklink_move("/data", "/file", MKLINK_JUNCTION, 0, NULL, NULL), MKLINK_EEXIST);
  EXPECT(mklink_move("/file", "/empty", MKLINK_FILE_SYMLINK, 0, NULL, NULL), MKLINK_EEXIST);
  EXPECT(mklink_move("/data", "/no/such/dir", MKLINK_JUNCTION, 0, NULL, NULL), MKLINK_ENOPATH);
  EXPECT(mklink_move("/data", "/t", MKLINK_FILE_SYMLINK, 0, NULL, NULL), MKLINK_EINVAL);
  EXPECT(mklink_move("/data", "/t", MKLINK_HARDLINK, 0, NULL, NULL), MKLINK_EINVAL);
  EXPECT(mklink_move("/file", "/t", MKLINK_JUNCTION, 0, NULL, NULL), MKLINK_EINVAL);
  EXPECT(mklink_move("/alink", "/t", MKLINK_JUNCTION, 0, NULL, NULL), MKLINK_EINVAL);
  EXPECT(mklink_move("/data", "/data/sub/inside", MKLINK_JUNCTION, 0, NULL, NULL),
         MKLINK_EINVAL);
  EXPECT(mklink_move("/data", "/alink/sub/x", MKLINK_JUNCTION, 0, NULL, NULL), MKLINK_EINVAL);
  EXPECT(mklink_move("/data/sub", "/data", MKLINK_JUNCTION, 0, NULL, NULL), MKLINK_EEXIST);
  EXPECT(mklink_move("/empty", "/empty", MKLINK_JUNCTION, 0, NULL, NULL), MKLINK_EINVAL);
  EXPECT(mklink_move("/data", "/t", MKLINK_NOT_LINK, 0, NULL, NULL), MKLINK_EINVAL);
  EXPECT(mklink_move("/data", "/t", MKLINK_JUNCTION, 0x80, NULL, NULL), MKLINK_EINVAL);
  EXPECT(mklink_move("", "/t", MKLINK_JUNCTION, 0, NULL, NULL), MKLINK_EINVAL);
  EXPECT(mklink_move("/data", NULL, MKLINK_JUNCTION, 0, NULL, NULL), MKLINK_EINVAL);
  EXPECT(mklink_move("/special", "/t", MKLINK_JUNCTION, 0, NULL, NULL), MKLINK_ESPECIAL);
  EXPECT(mklink_move("/special/fifo", "/t", MKLINK_FILE_SYMLINK, 0, NULL, NULL),
         MKLINK_ESPECIAL);
  EXPECT(mklink_move_resume("/data", NULL, NULL), MKLINK_ENOMOVE);
  EXPECT(mklink_move_rollback("/data", NULL, NULL), MKLINK_ENOMOVE);
  EXPECT(mklink_move_pending("/data"), 0);
  EXPECT(mklink_move_pending(""), MKLINK_EINVAL);
  SBX_CHECK(sandbox_digest("/") == before);
  /* An unfinished move (its journal) refuses a new one. */
  put_file("/data.mklink-move", "");
  before = sandbox_digest("/");
  EXPECT(mklink_move_pending("/data"), 1);
  EXPECT(mklink_move_pending("/data/"), 1);
  EXPECT(mklink_move("/data", "/t", MKLINK_JUNCTION, 0, NULL, NULL), MKLINK_EMOVING);
  EXPECT(mklink_move_resume("/data", NULL, NULL), MKLINK_EIO); /* not a journal */
  SBX_CHECK(sandbox_digest("/") == before);
  SBX_CHECK(unlink("/data.mklink-move") == 0);
  /* A kill during the first journal write leaves only its temporary: resume
     and rollback find no move, and leave nothing of it. */
  put_file("/data.mklink-move.tmp", "3:mkl");
  EXPECT(mklink_move_pending("/data"), 0);
  EXPECT(mklink_move_resume("/data", NULL, NULL), MKLINK_ENOMOVE);
  SBX_CHECK(!exists("/data.mklink-move.tmp"));
  put_file("/data.mklink-move.tmp", "3:mkl");
  EXPECT(mklink_move_rollback("/data", NULL, NULL), MKLINK_ENOMOVE);
  SBX_CHECK(!exists("/data.mklink-move.tmp"));
  return 0;
}

static int sc_refusals_mounts(void *arg) {
  unsigned long long before;
  (void)arg;
  make_tree("/data");
  if (mount_other("/data/sub/mnt", "size=1m") != 0 || mount_other("/other", "size=1m") != 0 ||
      mount_other("/small", "size=256k") != 0)
    return SKIPPED;
  put_file("/lone", "one file\n");
  before = sandbox_digest("/data") ^ sandbox_digest("/lone");
  EXPECT(mklink_move("/data", "/t", MKLINK_JUNCTION, 0, NULL, NULL), MKLINK_EMOUNT);
  EXPECT(mklink_move("/data/sub/mnt", "/t", MKLINK_JUNCTION, 0, NULL, NULL), MKLINK_EMOUNT);
  EXPECT(mklink_move("/lone", "/other/lone", MKLINK_HARDLINK, 0, NULL, NULL), MKLINK_EXDEV);
  SBX_CHECK(umount("/data/sub/mnt") == 0 && rmdir("/data/sub/mnt") == 0);
  before = sandbox_digest("/data") ^ sandbox_digest("/lone");
  EXPECT(mklink_move("/data", "/small/data", MKLINK_JUNCTION, 0, NULL, NULL), MKLINK_ENOSPC);
  SBX_CHECK((sandbox_digest("/data") ^ sandbox_digest("/lone")) == before);
  SBX_CHECK(count_entries("/small") == 0 && count_entries("/other") == 0);
  SBX_CHECK(umount("/other") == 0 && umount("/small") == 0);
  return 0;
}

/* ---- another file system -------------------------------------------------------------- */

typedef struct seen {
  int phases[6];
  unsigned long long bytes_total, files_total, last_bytes;
  int same_device, reports, stop_at; /* stop at this phase (-1: never) */
} seen;

static int listen(const mklink_move_progress *p, void *arg) {
  seen *s = arg;
  s->phases[p->phase]++;
  s->bytes_total = p->bytes_total;
  s->files_total = p->files_total;
  s->same_device = p->same_device;
  s->reports++;
  if (p->phase == MKLINK_MOVE_COPY)
    s->last_bytes = p->bytes_done;
  return (int)p->phase == s->stop_at && p->bytes_done > 0;
}

static int sc_cross_device_tree(void *arg) {
  seen s;
  (void)arg;
  if (mount_other("/other", "size=64m") != 0)
    return SKIPPED;
  make_tree("/data");
  make_tree("/expected"); /* the same tree, to compare with after the move */
  memset(&s, 0, sizeof s);
  s.stop_at = -1;
  EXPECT(mklink_move("/data", "/other/data", MKLINK_JUNCTION, MKLINK_MOVE_DRY_RUN, listen, &s),
         0);
  SBX_CHECK(s.reports == 1 && s.phases[MKLINK_MOVE_PLAN] == 1 && !s.same_device);
  SBX_CHECK(s.bytes_total == (5u << 20) + 6 + 5 + 10 + 10 && s.files_total == 11);
  SBX_CHECK(count_entries("/other") == 0 && !exists("/data.mklink-move"));
  memset(&s, 0, sizeof s);
  s.stop_at = -1;
  EXPECT(mklink_move("/data", "/other/data", MKLINK_JUNCTION, 0, listen, &s), 0);
  SBX_CHECK(s.phases[MKLINK_MOVE_PLAN] == 1 && s.phases[MKLINK_MOVE_COPY] >= 2 &&
            s.phases[MKLINK_MOVE_VERIFY] >= 1 && s.phases[MKLINK_MOVE_SWAP] == 1 &&
            s.phases[MKLINK_MOVE_CLEAN] == 1 && s.phases[MKLINK_MOVE_DONE] == 1);
  SBX_CHECK(is_link_to("/data", MKLINK_JUNCTION, "/other/data"));
  SBX_CHECK(same_tree("/expected", "/other/data"));
  /* The link out of the tree stayed a link; nothing of /victim came along. */
  SBX_CHECK(count_entries("/other") == 1 && count_entries("/victim") == 1);
  SBX_CHECK(!exists("/data.mklink-move") && !exists("/data.mklink-move.tmp"));
  /* "/" holds data, expected, victim, other and nothing of the move. */
  SBX_CHECK(count_entries("/") == 4);
  SBX_CHECK(umount2("/other", MNT_DETACH) == 0);
  return 0;
}

static int sc_cross_device_file(void *arg) {
  struct stat st;
  (void)arg;
  if (mount_other("/other", "size=16m") != 0)
    return SKIPPED;
  put_big("/file", 300000, 3);
  put_big("/expected", 300000, 3);
  SBX_CHECK(chmod("/file", 0604) == 0 && chmod("/expected", 0604) == 0);
  SBX_CHECK(utimensat(AT_FDCWD, "/expected", NULL, 0) == 0);
  {
    struct stat f;
    struct timespec ts[2];
    SBX_CHECK(stat("/file", &f) == 0);
    ts[0] = f.st_atim;
    ts[1] = f.st_mtim;
    SBX_CHECK(utimensat(AT_FDCWD, "/expected", ts, 0) == 0);
  }
  EXPECT(mklink_move("/file", "/other/file", MKLINK_FILE_SYMLINK, 0, NULL, NULL), 0);
  SBX_CHECK(is_link_to("/file", MKLINK_FILE_SYMLINK, "/other/file"));
  SBX_CHECK(same_tree("/expected", "/other/file"));
  SBX_CHECK(stat("/file", &st) == 0 && st.st_size == 300000);
  SBX_CHECK(count_entries("/other") == 1 && count_entries("/") == 3);
  SBX_CHECK(umount2("/other", MNT_DETACH) == 0);
  return 0;
}

/* A cancel leaves the move to resume or roll back; both end with nothing
   of the move left. */
static int sc_cancel_then_rollback_or_resume(void *arg) {
  seen s;
  (void)arg;
  if (mount_other("/other", "size=64m") != 0)
    return SKIPPED;
  make_tree("/data");
  make_tree("/expected");
  memset(&s, 0, sizeof s);
  s.stop_at = MKLINK_MOVE_COPY;
  EXPECT(mklink_move("/data", "/other/data", MKLINK_DIR_SYMLINK, 0, listen, &s),
         MKLINK_ECANCELLED);
  EXPECT(mklink_move_pending("/data"), 1);
  EXPECT(mklink_move("/data", "/other/data", MKLINK_DIR_SYMLINK, 0, NULL, NULL), MKLINK_EMOVING);
  SBX_CHECK(same_tree("/expected", "/data"));
  EXPECT(mklink_move_rollback("/data", NULL, NULL), 0);
  EXPECT(mklink_move_pending("/data"), 0);
  SBX_CHECK(same_tree("/expected", "/data"));
  SBX_CHECK(count_entries("/other") == 0 && count_entries("/") == 4);
  /* Again, and this time resumed (its progress heard). */
  EXPECT(mklink_move("/data", "/other/data", MKLINK_DIR_SYMLINK, 0, listen, &s),
         MKLINK_ECANCELLED);
  memset(&s, 0, sizeof s);
  s.stop_at = -1;
  EXPECT(mklink_move_resume("/data", listen, &s), 0);
  SBX_CHECK(s.phases[MKLINK_MOVE_DONE] == 1 && s.files_total == 11);
  SBX_CHECK(is_link_to("/data", MKLINK_DIR_SYMLINK, "/other/data"));
  SBX_CHECK(same_tree("/expected", "/other/data"));
  SBX_CHECK(count_entries("/other") == 1 && count_entries("/") == 4);
  EXPECT(mklink_move_resume("/data", NULL, NULL), MKLINK_ENOMOVE);
  SBX_CHECK(umount2("/other", MNT_DETACH) == 0);
  return 0;
}

/* The last step fails: the copy is whole at TARGET and LINK aside; resume
   and rollback each end it (the first scene rolls back, the second
   resumes). */
static int sc_link_fails_across(void *arg) {
  (void)arg;
  if (mount_other("/other", "size=16m") != 0)
    return SKIPPED;
  put_dir("/data");
  put_dir("/expected");
  put_file("/data/x", "x\n");
  put_file("/expected/x", "x\n");
  {
    struct stat st;
    struct timespec ts[2];
    SBX_CHECK(stat("/data", &st) == 0);
    ts[0] = st.st_atim;
    ts[1] = st.st_mtim;
    SBX_CHECK(utimensat(AT_FDCWD, "/expected", ts, 0) == 0);
    SBX_CHECK(stat("/data/x", &st) == 0);
    ts[0] = st.st_atim;
    ts[1] = st.st_mtim;
    SBX_CHECK(utimensat(AT_FDCWD, "/expected/x", ts, 0) == 0);
  }
  SBX_CHECK(mklink_set_syscall("symlinkat", (mklink_syscall_ptr)fail_symlinkat) == 0);
  EXPECT(mklink_move("/data", "/other/data", MKLINK_JUNCTION, 0, NULL, NULL), MKLINK_EACCES);
  SBX_CHECK(mklink_set_syscall("symlinkat", NULL) == 0);
  EXPECT(mklink_move_pending("/data"), 1);
  SBX_CHECK(!exists("/data") && same_tree("/expected", "/other/data"));
  EXPECT(mklink_move_rollback("/data", NULL, NULL), 0);
  SBX_CHECK(same_tree("/expected", "/data"));
  SBX_CHECK(count_entries("/other") == 0 && count_entries("/") == 3);

  SBX_CHECK(mklink_set_syscall("symlinkat", (mklink_syscall_ptr)fail_symlinkat) == 0);
  EXPECT(mklink_move("/data", "/other/data", MKLINK_JUNCTION, 0, NULL, NULL), MKLINK_EACCES);
  SBX_CHECK(mklink_set_syscall("symlinkat", NULL) == 0);
  EXPECT(mklink_move_resume("/data", NULL, NULL), 0);
  SBX_CHECK(is_link_to("/data", MKLINK_JUNCTION, "/other/data"));
  SBX_CHECK(same_tree("/expected", "/other/data"));
  SBX_CHECK(count_entries("/other") == 1 && count_entries("/") == 3);
  SBX_CHECK(umount2("/other", MNT_DETACH) == 0);
  return 0;
}

/* A copy that reads back wrong is not swapped in: MKLINK_EVERIFY, the copy
   gone, LINK untouched.  The corruption is a read that flips a byte, put in
   place when the verification starts. */
static ssize_t corrupt_read(int fd, void *buf, size_t n) {
  ssize_t got = read(fd, buf, n);
  if (got > 0)
    ((char *)buf)[0] ^= 1;
  return got;
}

static int corrupt_at_verify(const mklink_move_progress *p, void *arg) {
  (void)arg;
  if (p->phase == MKLINK_MOVE_VERIFY)
    SBX_CHECK(mklink_set_syscall("read", (mklink_syscall_ptr)corrupt_read) == 0);
  return 0;
}

static int sc_verify_fails(void *arg) {
  unsigned long long before;
  (void)arg;
  if (mount_other("/other", "size=64m") != 0)
    return SKIPPED;
  make_tree("/data");
  before = sandbox_digest("/data");
  EXPECT(mklink_move("/data", "/other/data", MKLINK_JUNCTION, 0, corrupt_at_verify, NULL),
         MKLINK_EVERIFY);
  SBX_CHECK(mklink_set_syscall("read", NULL) == 0);
  SBX_CHECK(sandbox_digest("/data") == before);
  SBX_CHECK(count_entries("/other") == 0 && !exists("/data.mklink-move"));
  EXPECT(mklink_move_pending("/data"), 0);
  SBX_CHECK(umount2("/other", MNT_DETACH) == 0);
  return 0;
}

/* LINK changed after its copy was made and verified, before the swap (at
   the SWAP report): the old tree is not what TARGET holds, so it must not
   be removed: MKLINK_EVERIFY, LINK as changed, no copy, no journal. */
typedef struct change {
  int how;
  unsigned long long digest; /* LINK's, once changed */
} change;

static int change_at_swap(const mklink_move_progress *p, void *arg) {
  change *c = arg;
  int fd;
  if (p->phase != MKLINK_MOVE_SWAP)
    return 0;
  if (c->how == 0) { /* a file appended to */
    SBX_CHECK((fd = open("/data/sub/b.txt", O_WRONLY | O_APPEND)) >= 0);
    SBX_CHECK(write(fd, "more\n", 5) == 5 && close(fd) == 0);
  } else if (c->how == 1) { /* a file rewritten in place, its size kept */
    SBX_CHECK((fd = open("/data/sub/b.txt", O_WRONLY)) >= 0);
    SBX_CHECK(write(fd, "BETA\n", 5) == 5 && close(fd) == 0);
  } else { /* a file added to a directory already copied */
    put_file("/data/sub/empty/new.txt", "new\n");
  }
  c->digest = sandbox_digest("/data");
  return 0;
}

static int sc_changed_after_copy(void *arg) {
  change c;
  (void)arg;
  if (mount_other("/other", "size=64m") != 0)
    return SKIPPED;
  make_tree("/data");
  for (c.how = 0; c.how < 3; c.how++) {
    EXPECT(mklink_move("/data", "/other/data", MKLINK_JUNCTION, 0, change_at_swap, &c),
           MKLINK_EVERIFY);
    SBX_CHECK(sandbox_digest("/data") == c.digest);
    SBX_CHECK(count_entries("/other") == 0 && !exists("/data.mklink-move"));
    SBX_CHECK(count_entries("/") == 3); /* data, victim, other: no aside name */
    EXPECT(mklink_move_pending("/data"), 0);
  }
  SBX_CHECK(exists("/data/sub/empty/new.txt"));
  /* Left alone, the same move goes through. */
  EXPECT(mklink_move("/data", "/other/data", MKLINK_JUNCTION, 0, NULL, NULL), 0);
  SBX_CHECK(exists("/other/data/sub/empty/new.txt"));
  SBX_CHECK(umount2("/other", MNT_DETACH) == 0);
  return 0;
}

static void test_same_device_tree(void **state) { run(state, sc_same_device_tree); }
static void test_same_device_file(void **state) { run(state, sc_same_device_file); }
static void test_same_device_link_fails(void **state) { run(state, sc_same_device_link_fails); }
static void test_refusals_change_nothing(void **state) { run(state, sc_refusals); }
static void test_refusals_mounts_space(void **state) { run(state, sc_refusals_mounts); }
static void test_cross_device_tree(void **state) { run(state, sc_cross_device_tree); }
static void test_cross_device_file(void **state) { run(state, sc_cross_device_file); }
static void test_cancel_rollback_resume(void **state) {
  run(state, sc_cancel_then_rollback_or_resume);
}
static void test_link_fails_across(void **state) { run(state, sc_link_fails_across); }
static void test_verify_fails(void **state) { run(state, sc_verify_fails); }
static void test_changed_after_copy(void **state) { run(state, sc_changed_after_copy); }

int main(void) {
  const struct CMUnitTest tests[] = {
      SANDBOX_TEST(test_same_device_tree),
      SANDBOX_TEST(test_same_device_file),
      SANDBOX_TEST(test_same_device_link_fails),
      SANDBOX_TEST(test_refusals_change_nothing),
      SANDBOX_TEST(test_refusals_mounts_space),
      SANDBOX_TEST(test_cross_device_tree),
      SANDBOX_TEST(test_cross_device_file),
      SANDBOX_TEST(test_cancel_rollback_resume),
      SANDBOX_TEST(test_link_fails_across),
      SANDBOX_TEST(test_verify_fails),
      SANDBOX_TEST(test_changed_after_copy),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

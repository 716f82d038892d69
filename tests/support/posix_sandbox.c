/*
 * posix_sandbox.c -- forked, chrooted children for every test that deletes
 * trees (see posix_sandbox.h).  These helpers call the system directly, never
 * through libmklink's table.
 */
#define _GNU_SOURCE /* unshare(), CLONE_NEWNS, CLONE_NEWUSER, syscall() */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "posix_sandbox.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#define SANDBOX_PREFIX "mklink-sbx-"

/*
 * How the jail is made here, probed once in throwaway children:
 *
 *   root:     root, in a private mount namespace of its own (every mount
 *             made private first, so nothing made inside is seen outside).
 *   user:     a user namespace (the caller's uid as root inside it) with its
 *             own mount namespace: the mounts it inherits become slaves of
 *             the outer ones, so nothing made inside is seen outside, and it
 *             can chroot and mount tmpfs like root, but only over what the
 *             caller owns.  Used by a non-root caller, and by root where the
 *             root mode fails.
 *   bound:    root in a chroot whose "/" is not a mount point: "/" cannot be
 *             made private (whatever is mounted on a directory of it may
 *             appear outside too), and user namespaces are refused in a
 *             chroot.  Every mount that can be seen is made private, a
 *             scratch tmpfs is mounted over one of them, and the test's
 *             directory is bound into it and made private: that bind is the
 *             jail's root, and whatever is mounted in it stays in it.
 *   chroot:   the same where no mount point can be seen to work from: the
 *             jail is the chroot alone and the jailed code loses
 *             CAP_SYS_ADMIN, as any mount it made could appear outside.
 *             Tests that need a mount skip.
 *   none:     not root and no user namespace: tests that delete skip.
 */
enum { MODE_UNKNOWN, MODE_ROOT, MODE_USER, MODE_BOUND, MODE_CHROOT, MODE_NONE };
static int mode = MODE_UNKNOWN;
static char mode_why[512];

static int under(const char *path, const char *root) {
  size_t n = strlen(root);
  if (strcmp(root, "/") == 0)
    return path[0] == '/';
  return strncmp(path, root, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

static int enter_root_ns(void) {
  return unshare(CLONE_NEWNS) == 0 && mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) == 0
             ? 0
             : -1;
}

static int write_file(const char *path, const char *text) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  ssize_t n;
  int saved;
  if (fd < 0)
    return -1;
  n = write(fd, text, strlen(text));
  saved = errno;
  close(fd);
  errno = saved;
  return n == (ssize_t)strlen(text) ? 0 : -1;
}

static int enter_user_ns(void) {
  char map[64];
  uid_t uid = getuid();
  gid_t gid = getgid();
  if (unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0)
    return -1;
  snprintf(map, sizeof map, "0 %lu 1\n", (unsigned long)uid);
  if (write_file("/proc/self/uid_map", map) != 0)
    return -1;
  if (write_file("/proc/self/setgroups", "deny") != 0 && errno != ENOENT)
    return -1;
  snprintf(map, sizeof map, "0 %lu 1\n", (unsigned long)gid);
  if (write_file("/proc/self/gid_map", map) != 0)
    return -1;
  /* Slaves already; private as well, as in the root mode. */
  return mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL);
}

/* The mount point of line LINE of /proc/self/mountinfo (its fifth field,
   with the \ooo escapes undone) into OUT; 0 or -1. */
static int mount_point(const char *line, char *out, size_t outsz) {
  const char *p = line;
  size_t n = 0;
  int field;
  for (field = 0; field < 4; field++) {
    p = strchr(p, ' ');
    if (p == NULL)
      return -1;
    p++;
  }
  while (*p != ' ' && *p != '\0' && *p != '\n' && n + 1 < outsz) {
    if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' && p[2] <= '7' && p[3] >= '0' &&
        p[3] <= '7') {
      out[n++] = (char)((p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0'));
      p += 4;
    } else {
      out[n++] = *p++;
    }
  }
  out[n] = '\0';
  return 0;
}

/* A visible mount point a scratch tmpfs may cover: not the system's own
   (/proc, /sys, /dev, /dev/pts: the jail has none, but the child still reads
   /proc), not above DIR (it would hide it) and not in it. */
static int scratch_candidate(const char *mp, const char *dir) {
  if (under(mp, "/proc") || under(mp, "/sys") || strcmp(mp, "/dev") == 0 ||
      strcmp(mp, "/dev/pts") == 0 || strcmp(mp, "/") == 0)
    return 0;
  return !under(dir, mp) && !under(mp, dir);
}

/* Bound mode (in the child, in a new mount namespace): make every visible
   mount private, cover one with a scratch tmpfs and bind DIR into it; the
   bind, made private too, is written to JAIL. */
static int bind_jail(const char *dir, char *jail, size_t jailsz) {
  char line[PATH_MAX * 2], mp[PATH_MAX], scratch[PATH_MAX] = "";
  FILE *f = fopen("/proc/self/mountinfo", "re");
  if (f == NULL)
    return -1;
  while (fgets(line, sizeof line, f) != NULL) {
    if (mount_point(line, mp, sizeof mp) != 0)
      continue;
    if (mount("none", mp, "none", MS_PRIVATE, NULL) != 0) {
      fclose(f);
      return -1;
    }
    if (scratch[0] == '\0' && scratch_candidate(mp, dir))
      snprintf(scratch, sizeof scratch, "%s", mp);
  }
  fclose(f);
  if (scratch[0] == '\0') {
    errno = ENOENT;
    return -1;
  }
  if (mount("mklink-sandbox-scratch", scratch, "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,mode=0700") != 0)
    return -1;
  if ((size_t)snprintf(jail, jailsz, "%s/jail", strcmp(scratch, "/") == 0 ? "" : scratch) >= jailsz) {
    errno = ENAMETOOLONG;
    return -1;
  }
  if (mkdir(jail, 0700) != 0 || mount(dir, jail, "none", MS_BIND, NULL) != 0)
    return -1;
  return mount("none", jail, "none", MS_PRIVATE, NULL);
}

/* No mount can be made from here on (chroot mode). */
static int drop_mount_capability(void) {
  struct __user_cap_header_struct head = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
  unsigned word = CAP_TO_INDEX(CAP_SYS_ADMIN);
  if (syscall(SYS_capget, &head, data) != 0)
    return -1;
  data[word].effective &= ~CAP_TO_MASK(CAP_SYS_ADMIN);
  data[word].permitted &= ~CAP_TO_MASK(CAP_SYS_ADMIN);
  data[word].inheritable &= ~CAP_TO_MASK(CAP_SYS_ADMIN);
  if (syscall(SYS_capset, &head, data) != 0)
    return -1;
  return prctl(PR_CAPBSET_DROP, CAP_SYS_ADMIN, 0, 0, 0);
}

/*
 * In the child: enter the jail's namespace for mode M around DIR, and return
 * the path to chroot into (DIR itself, or its bind in bound mode), or NULL
 * with errno.
 */
static const char *enter(int m, const char *dir) {
  static char jail[PATH_MAX];
  int rc = -1;
  switch (m) {
  case MODE_ROOT:
    rc = enter_root_ns();
    break;
  case MODE_USER:
    rc = enter_user_ns();
    break;
  case MODE_BOUND:
    if (unshare(CLONE_NEWNS) != 0 || bind_jail(dir, jail, sizeof jail) != 0)
      return NULL;
    return jail;
  case MODE_CHROOT:
    rc = drop_mount_capability();
    break;
  default:
    errno = EPERM;
  }
  return rc == 0 ? dir : NULL;
}

/* The directory sandboxes are made in ($MKLINK_TEST_TMPDIR, $TMPDIR, /tmp),
   resolved, into REAL (PATH_MAX); 0 or -1 with errno. */
static int temp_root(char *real) {
  const char *root = getenv("MKLINK_TEST_TMPDIR");
  if (root == NULL || root[0] == '\0')
    root = getenv("TMPDIR");
  if (root == NULL || root[0] == '\0')
    root = "/tmp";
  return realpath(root, real) != NULL ? 0 : -1;
}

/* Can mode M be entered here around the temporary root, and its child then
   chroot into the jail?  0, or the errno why not. */
static int probe(int m) {
  int status, fds[2], err = 0;
  char dir[PATH_MAX];
  pid_t pid;
  if (temp_root(dir) != 0)
    snprintf(dir, sizeof dir, "/tmp");
  if (pipe(fds) != 0)
    return errno;
  pid = fork();
  if (pid < 0)
    return errno;
  if (pid == 0) {
    const char *jail;
    close(fds[0]);
    jail = enter(m, dir);
    err = jail != NULL && chroot(jail) == 0 ? 0 : errno;
    (void)write(fds[1], &err, sizeof err);
    _exit(0);
  }
  close(fds[1]);
  if (read(fds[0], &err, sizeof err) != (ssize_t)sizeof err)
    err = ECHILD;
  close(fds[0]);
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  return err;
}

static void choose_mode(void) {
  int root_err = 0, user_err, bound_err = 0;
  if (mode != MODE_UNKNOWN)
    return;
  if (geteuid() == 0 && (root_err = probe(MODE_ROOT)) == 0) {
    mode = MODE_ROOT;
    snprintf(mode_why, sizeof mode_why, "root, in a private mount namespace");
    return;
  }
  if ((user_err = probe(MODE_USER)) == 0) {
    mode = MODE_USER;
    snprintf(mode_why, sizeof mode_why,
             "a user namespace (uid %lu as root inside) with its own mount namespace%s",
             (unsigned long)getuid(),
             geteuid() == 0 ? " (root's own mounts cannot be made private here)" : "");
    return;
  }
  if (geteuid() == 0 && (bound_err = probe(MODE_BOUND)) == 0) {
    mode = MODE_BOUND;
    snprintf(mode_why, sizeof mode_why,
             "root in a chroot whose \"/\" is not a mount point (%s; user namespaces: %s): each "
             "test directory is bound into a private scratch mount and chrooted there",
             strerror(root_err), strerror(user_err));
    return;
  }
  if (geteuid() == 0 && probe(MODE_CHROOT) == 0) {
    mode = MODE_CHROOT;
    snprintf(mode_why, sizeof mode_why,
             "chroot alone, without mounts: \"/\" is not a mount point here (%s), user namespaces "
             "are refused (%s) and no other mount point can hold a private scratch mount (%s)",
             strerror(root_err), strerror(user_err), strerror(bound_err));
    return;
  }
  mode = MODE_NONE;
  snprintf(mode_why, sizeof mode_why,
           "deletion tests run only in a chroot sandbox, which needs root or a user namespace "
           "(unshare(CLONE_NEWUSER): %s)",
           strerror(user_err));
}

int sandbox_available(const char **why) {
  choose_mode();
  *why = mode == MODE_NONE ? mode_why : "";
  return mode != MODE_NONE;
}

const char *sandbox_kind(void) {
  choose_mode();
  return mode_why;
}


/* Where deletion tests may ever make their directories. */
static int allowed_root(const char *real) {
  if (under(real, "/tmp") || under(real, "/var/tmp") || under(real, "/dev/shm"))
    return 1;
  return strstr(real, "/build/") != NULL ||
         (strlen(real) >= 6 && strcmp(real + strlen(real) - 6, "/build") == 0);
}

void sandbox_mkdtemp(char *out, size_t outsz) {
  char real[PATH_MAX];
  if (temp_root(real) != 0)
    fail_msg("sandbox: temporary root: %s", strerror(errno));
  if (strcmp(real, "/") == 0 || !allowed_root(real))
    fail_msg("sandbox: refusing temporary root %s (not under /tmp, /var/tmp, /dev/shm or a build dir)",
             real);
  if ((size_t)snprintf(out, outsz, "%s/" SANDBOX_PREFIX "XXXXXX", real) >= outsz)
    fail_msg("sandbox: temporary root path too long: %s", real);
  if (mkdtemp(out) == NULL)
    fail_msg("sandbox: mkdtemp under %s: %s", real, strerror(errno));
}

static void check_sandbox_dir(const char *dir) {
  const char *last = strrchr(dir, '/');
  if (dir[0] != '/' || last == NULL || strncmp(last + 1, SANDBOX_PREFIX, strlen(SANDBOX_PREFIX)) != 0 ||
      strlen(last + 1) != strlen(SANDBOX_PREFIX) + 6)
    fail_msg("sandbox: %s is not a directory made by sandbox_mkdtemp", dir);
}

void sandbox_check_failed(const char *file, int line, const char *what) {
  fprintf(stderr, "%s:%d: sandboxed check failed: %s (errno %d: %s)\n", file, line, what, errno,
          strerror(errno));
  fflush(stderr);
  _exit(SANDBOX_CHECK_FAILED);
}

static void child_die(const char *what) {
  fprintf(stderr, "sandbox: %s: %s\n", what, strerror(errno));
  fflush(stderr);
  _exit(SANDBOX_CHECK_FAILED);
}

/* Every descriptor but the standard ones and KEEP: a directory descriptor
   inherited from the parent would be a way out of the chroot. */
static void close_other_fds(int keep) {
  long max = sysconf(_SC_OPEN_MAX);
  int fd;
  if (max < 0 || max > 65536)
    max = 65536;
  for (fd = 3; fd < max; fd++)
    if (fd != keep)
      close(fd);
}

/* Child side: jail, run, report.  Never returns. */
static void child_run(const char *dir, size_t tmpfs_size, int (*fn)(void *), void *arg,
                      int wfd) {
  struct stat want, root;
  int result;
  char opts[64];
  close_other_fds(wfd);
  alarm(SANDBOX_TIMEOUT);
  if (stat(dir, &want) != 0)
    child_die("stat sandbox directory");
  /* Mounts made here stay here (or none can be made: chroot mode). */
  if ((dir = enter(mode, dir)) == NULL)
    child_die("enter the sandbox's namespace");
  if (tmpfs_size > 0) {
    snprintf(opts, sizeof opts, "size=%zu,mode=0755", tmpfs_size);
    if (mount("mklink-sandbox", dir, "tmpfs", MS_NOSUID | MS_NODEV, opts) != 0)
      child_die("mount tmpfs");
    if (stat(dir, &want) != 0)
      child_die("stat sandbox tmpfs");
  }
  if (chroot(dir) != 0 || chdir("/") != 0)
    child_die("chroot");
  if (stat("/", &root) != 0 || root.st_dev != want.st_dev || root.st_ino != want.st_ino) {
    errno = 0;
    child_die("the root after chroot is not the sandbox directory");
  }
  result = fn(arg);
  fflush(NULL);
  if (write(wfd, &result, sizeof result) != (ssize_t)sizeof result)
    child_die("report result");
  _exit(0);
}

static int run(const char *dir, size_t tmpfs_size, int (*fn)(void *), void *arg) {
  int fds[2];
  int result = 0;
  int status;
  ssize_t got;
  pid_t pid;
  check_sandbox_dir(dir);
  choose_mode();
  if (mode == MODE_NONE)
    fail_msg("sandbox: %s", mode_why);
  if (pipe(fds) != 0)
    fail_msg("sandbox: pipe: %s", strerror(errno));
  fflush(stdout);
  fflush(stderr);
  pid = fork();
  if (pid < 0)
    fail_msg("sandbox: fork: %s", strerror(errno));
  if (pid == 0) {
    close(fds[0]);
    child_run(dir, tmpfs_size, fn, arg, fds[1]);
  }
  close(fds[1]);
  do
    got = read(fds[0], &result, sizeof result);
  while (got < 0 && errno == EINTR);
  close(fds[0]);
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR)
      fail_msg("sandbox: waitpid: %s", strerror(errno));
  if (WIFSIGNALED(status))
    fail_msg("sandbox: child killed by signal %d%s", WTERMSIG(status),
             WTERMSIG(status) == SIGALRM ? " (timed out)" : "");
  if (WEXITSTATUS(status) != 0 || got != (ssize_t)sizeof result)
    fail_msg("sandbox: child failed (exit status %d)", WEXITSTATUS(status));
  return result;
}

int sandbox_run(const char *dir, int (*fn)(void *), void *arg) { return run(dir, 0, fn, arg); }

/* A tmpfs needs a namespace where mounts stay private. */
static int can_mount(const char *what) {
  choose_mode();
  if (mode != MODE_CHROOT)
    return 1;
  print_message("sandbox: cannot %s here: no private mount namespace (the sandbox is %s)\n", what,
                mode_why);
  return 0;
}

int sandbox_run_tmpfs(const char *dir, size_t size, int (*fn)(void *), void *arg) {
  if (!can_mount("mount a tmpfs"))
    return -1;
  return run(dir, size, fn, arg);
}

/* Remove NAME of directory FD and everything below it. */
static int clear_at(int fd, const char *name) {
  struct stat st;
  DIR *d;
  struct dirent *de;
  int cfd, rc = 0;
  if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
    return errno == ENOENT ? 0 : -1;
  if (!S_ISDIR(st.st_mode))
    return unlinkat(fd, name, 0) == 0 || errno == ENOENT ? 0 : -1;
  cfd = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (cfd < 0)
    return -1;
  d = fdopendir(cfd);
  if (d == NULL) {
    close(cfd);
    return -1;
  }
  while (rc == 0 && (de = readdir(d)) != NULL)
    if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
      rc = clear_at(dirfd(d), de->d_name);
  closedir(d);
  if (rc != 0)
    return rc;
  return unlinkat(fd, name, AT_REMOVEDIR) == 0 || errno == ENOENT ? 0 : -1;
}

int sandbox_clear(const char *path, int remove_self) {
  DIR *d;
  struct dirent *de;
  int rc = 0;
  if (remove_self)
    return clear_at(AT_FDCWD, path);
  d = opendir(path);
  if (d == NULL)
    return -1;
  while (rc == 0 && (de = readdir(d)) != NULL)
    if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
      rc = clear_at(dirfd(d), de->d_name);
  closedir(d);
  return rc;
}

static int clear_root(void *arg) {
  (void)arg;
  return sandbox_clear("/", 0) == 0 ? 0 : errno;
}

void sandbox_destroy(const char *dir) {
  int rc;
  check_sandbox_dir(dir);
  rc = sandbox_run(dir, clear_root, NULL);
  if (rc != 0)
    fail_msg("sandbox: emptying %s: %s", dir, strerror(rc));
  if (rmdir(dir) != 0)
    fail_msg("sandbox: rmdir %s: %s", dir, strerror(errno));
}

int sandbox_setup(void **state) {
  static char dir[PATH_MAX];
  static int told;
  const char *why;
  *state = NULL;
  if (!told) {
    told = 1;
    print_message("sandbox (deletion tests): %s\n", sandbox_kind());
  }
  if (sandbox_available(&why)) {
    sandbox_mkdtemp(dir, sizeof dir);
    *state = dir;
  }
  return 0;
}

int sandbox_teardown(void **state) {
  if (*state != NULL)
    sandbox_destroy(*state);
  return 0;
}

void *sandbox_shared(size_t size) {
  void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    fail_msg("sandbox: mmap: %s", strerror(errno));
  memset(p, 0, size);
  return p;
}

void sandbox_shared_free(void *p, size_t size) {
  if (p != NULL)
    munmap(p, size);
}

static unsigned long long mix(unsigned long long h, const void *p, size_t n) {
  const unsigned char *c = p;
  while (n-- > 0)
    h = (h ^ *c++) * 0x100000001b3ull;
  return h;
}

/* Entries of FD's directory in name order, so the digest does not depend on
   the order the system lists them. */
static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* What a digest takes in: everything (sandbox_digest), or what a faithful
   copy keeps (sandbox_content_digest), where an inode number becomes the
   order in which its first name was met. */
typedef struct digest_ctx {
  int content;
  unsigned long long bytes;
  struct {
    dev_t dev;
    ino_t ino;
  } seen[4096];
  size_t nseen;
} digest_ctx;

/* A file with other names: its group, numbered by first sight. */
static unsigned long long link_group(digest_ctx *c, const struct stat *st) {
  size_t i;
  for (i = 0; i < c->nseen; i++)
    if (c->seen[i].dev == st->st_dev && c->seen[i].ino == st->st_ino)
      return i + 1;
  if (c->nseen == sizeof c->seen / sizeof c->seen[0])
    return 0;
  c->seen[c->nseen].dev = st->st_dev;
  c->seen[c->nseen].ino = st->st_ino;
  return ++c->nseen;
}

static unsigned long long digest_entry(int dfd, const char *name, unsigned long long h,
                                       digest_ctx *c);

static unsigned long long digest_at(int fd, unsigned long long h, digest_ctx *c) {
  DIR *d = fdopendir(fd);
  struct dirent *de;
  char **names = NULL;
  size_t n = 0, cap = 0, i;
  if (d == NULL) {
    close(fd);
    return mix(h, "?", 1);
  }
  while ((de = readdir(d)) != NULL) {
    if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
      continue;
    if (n == cap) {
      char **grown = realloc(names, (cap = cap ? cap * 2 : 16) * sizeof *names);
      if (grown == NULL)
        break;
      names = grown;
    }
    names[n++] = strdup(de->d_name);
  }
  if (n > 1) /* qsort(NULL, 0, ...) is undefined */
    qsort(names, n, sizeof *names, by_name);
  for (i = 0; i < n; i++)
    h = digest_entry(dirfd(d), names[i], h, c);
  for (i = 0; i < n; i++)
    free(names[i]);
  free(names);
  closedir(d);
  return h;
}

/* NAME of DFD into H: its name too unless it is the top (a copy has
   another). */
static unsigned long long digest_entry(int dfd, const char *name, unsigned long long h,
                                       digest_ctx *c) {
  struct stat st;
  char buf[4096];
  ssize_t got;
  int cfd;
  if (dfd != AT_FDCWD)
    h = mix(h, name, strlen(name) + 1);
  if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
    return mix(h, "!", 1);
  if (!c->content) {
    h = mix(h, &st.st_mode, sizeof st.st_mode);
    h = mix(h, &st.st_ino, sizeof st.st_ino);
    h = mix(h, &st.st_nlink, sizeof st.st_nlink);
  } else if (S_ISLNK(st.st_mode)) {
    h = mix(h, "l", 1); /* a link's mode bits mean nothing */
  } else {
    h = mix(h, &st.st_mode, sizeof st.st_mode);
  }
  if (S_ISLNK(st.st_mode)) {
    got = readlinkat(dfd, name, buf, sizeof buf);
    return mix(h, buf, got > 0 ? (size_t)got : 0);
  }
  if (S_ISREG(st.st_mode)) {
    h = mix(h, &st.st_size, sizeof st.st_size);
    if (c->content) {
      unsigned long long group = st.st_nlink > 1 ? link_group(c, &st) : 0;
      h = mix(h, &st.st_nlink, sizeof st.st_nlink);
      h = mix(h, &group, sizeof group);
      h = mix(h, &st.st_mtim.tv_sec, sizeof st.st_mtim.tv_sec);
      h = mix(h, &st.st_mtim.tv_nsec, sizeof st.st_mtim.tv_nsec);
      c->bytes += (unsigned long long)st.st_size;
    }
    cfd = openat(dfd, name, O_RDONLY | O_NOFOLLOW);
    while (cfd >= 0 && (got = read(cfd, buf, sizeof buf)) > 0)
      h = mix(h, buf, (size_t)got);
    if (cfd >= 0)
      close(cfd);
    return h;
  }
  if (S_ISDIR(st.st_mode)) {
    cfd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
    return cfd >= 0 ? digest_at(cfd, h, c) : mix(h, "?", 1);
  }
  return h;
}

unsigned long long sandbox_digest(const char *path) {
  static digest_ctx c;
  int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  memset(&c, 0, sizeof c);
  return fd < 0 ? 0 : digest_at(fd, 0xcbf29ce484222325ull, &c);
}

unsigned long long sandbox_content_digest(const char *path, unsigned long long *bytes) {
  static digest_ctx c;
  unsigned long long h;
  memset(&c, 0, sizeof c);
  c.content = 1;
  h = digest_entry(AT_FDCWD, path, 0xcbf29ce484222325ull, &c);
  if (bytes != NULL)
    *bytes = c.bytes;
  return h;
}

/* ---- running a program in a sandbox ---------------------------------------- */

/* The remount keeps the source's nosuid, nodev and noexec: in a user
   namespace they are locked, and a remount that drops them is refused. */
static int bind_read_only(const char *src, const char *dst) {
  struct statvfs sv;
  unsigned long keep = 0;
  if (statvfs(src, &sv) != 0)
    return -1;
  if (sv.f_flag & ST_NOSUID)
    keep |= MS_NOSUID;
  if (sv.f_flag & ST_NODEV)
    keep |= MS_NODEV;
  if (sv.f_flag & ST_NOEXEC)
    keep |= MS_NOEXEC;
  return mount(src, dst, "none", MS_BIND, NULL) == 0 &&
                 mount("none", dst, "none", MS_REMOUNT | MS_BIND | MS_RDONLY | keep, NULL) == 0
             ? 0
             : -1;
}

static void exec_child(const char *dir, void (*prepare)(const char *dir), const char *program,
                       char *const argv[], int outfd, int errfd, int statusfd) {
  static const char *const links[] = {"lib", "lib64", "bin"};
  char path[PATH_MAX], text[64], jailed[PATH_MAX];
  const char *name = strrchr(program, '/') != NULL ? strrchr(program, '/') + 1 : program;
  size_t i;
  int fd, why;
  if (dup2(outfd, 1) < 0 || dup2(errfd, 2) < 0)
    _exit(SANDBOX_CHECK_FAILED);
  close_other_fds(statusfd);
  alarm(SANDBOX_TIMEOUT);
  why = 1;
  if ((dir = enter(mode, dir)) == NULL)
    goto cannot;
  if (prepare != NULL)
    prepare(dir); /* in the private namespace, before the jail */
  why = 2;
  snprintf(path, sizeof path, "%s/usr", dir);
  if ((mkdir(path, 0755) != 0 && errno != EEXIST) || bind_read_only("/usr", path) != 0)
    goto cannot;
  for (i = 0; i < sizeof links / sizeof links[0]; i++) {
    ssize_t n;
    snprintf(jailed, sizeof jailed, "/%s", links[i]);
    n = readlink(jailed, text, sizeof text - 1);
    if (n <= 0)
      continue;
    text[n] = '\0';
    snprintf(path, sizeof path, "%s/%s", dir, links[i]);
    if (symlink(text, path) != 0 && errno != EEXIST)
      goto cannot;
  }
  snprintf(path, sizeof path, "%s/%s", dir, name);
  fd = open(path, O_WRONLY | O_CREAT, 0755);
  if (fd < 0 || close(fd) != 0 || bind_read_only(program, path) != 0)
    goto cannot;
  if (chroot(dir) != 0 || chdir("/") != 0)
    goto cannot;
  snprintf(jailed, sizeof jailed, "/%s", name);
  why = 3;
  (void)write(statusfd, &why, sizeof why);
  execv(jailed, argv);
  _exit(127);
cannot:
  (void)write(statusfd, &why, sizeof why);
  _exit(126);
}

/* Read everything FD gives into BUF (SIZE bytes with the NUL). */
static void slurp(int fd, char *buf, size_t size) {
  size_t n = 0;
  ssize_t got;
  for (;;) {
    char scratch[512];
    got = read(fd, n + 1 < size ? buf + n : scratch,
               n + 1 < size ? size - 1 - n : sizeof scratch);
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0)
      break;
    if (n + 1 < size)
      n += (size_t)got;
  }
  if (size > 0)
    buf[n] = '\0';
}

int sandbox_exec(const char *dir, const char *program, char *const argv[], char *out,
                 size_t outsz, char *err, size_t errsz) {
  return sandbox_exec_prepared(dir, NULL, program, argv, out, outsz, err, errsz);
}

int sandbox_exec_prepared(const char *dir, void (*prepare)(const char *dir), const char *program,
                          char *const argv[], char *out, size_t outsz, char *err, size_t errsz) {
  int o[2], e[2], st[2], status, stage = 0;
  pid_t pid;
  check_sandbox_dir(dir);
  if (!can_mount("bind /usr into the jail"))
    return -1;
  if (pipe(o) != 0 || pipe(e) != 0 || pipe2(st, O_CLOEXEC) != 0)
    fail_msg("sandbox: pipe: %s", strerror(errno));
  fflush(NULL);
  pid = fork();
  if (pid < 0)
    fail_msg("sandbox: fork: %s", strerror(errno));
  if (pid == 0) {
    close(o[0]);
    close(e[0]);
    close(st[0]);
    exec_child(dir, prepare, program, argv, o[1], e[1], st[1]);
  }
  close(o[1]);
  close(e[1]);
  close(st[1]);
  /* Small outputs: read the error stream after the output stream. */
  slurp(o[0], out, outsz);
  slurp(e[0], err, errsz);
  if (read(st[0], &stage, sizeof stage) != (ssize_t)sizeof stage)
    stage = 0;
  close(o[0]);
  close(e[0]);
  close(st[0]);
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR)
      fail_msg("sandbox: waitpid: %s", strerror(errno));
  if (WIFSIGNALED(status))
    fail_msg("sandbox: %s killed by signal %d", program, WTERMSIG(status));
  if (stage != 3) {
    print_message("sandbox: cannot jail %s here (%s)\n", program,
                  stage == 1 ? "no private mount namespace" : "cannot bind-mount /usr read-only");
    return -1;
  }
  return WEXITSTATUS(status);
}

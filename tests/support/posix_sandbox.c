/*
 * posix_sandbox.c -- forked, chrooted children for every test that deletes
 * trees (see posix_sandbox.h).  These helpers call the system directly, never
 * through libmklink's table.
 */
#define _GNU_SOURCE /* unshare(), CLONE_NEWNS */
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
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define SANDBOX_PREFIX "mklink-sbx-"

int sandbox_available(const char **why) {
  if (geteuid() != 0) {
    *why = "deletion tests run only in a chroot sandbox, which needs root";
    return 0;
  }
  *why = "";
  return 1;
}

static int under(const char *path, const char *root) {
  size_t n = strlen(root);
  return strncmp(path, root, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* Where deletion tests may ever make their directories. */
static int allowed_root(const char *real) {
  if (under(real, "/tmp") || under(real, "/var/tmp") || under(real, "/dev/shm"))
    return 1;
  return strstr(real, "/build/") != NULL ||
         (strlen(real) >= 6 && strcmp(real + strlen(real) - 6, "/build") == 0);
}

void sandbox_mkdtemp(char *out, size_t outsz) {
  const char *root = getenv("MKLINK_TEST_TMPDIR");
  char real[PATH_MAX];
  if (root == NULL || root[0] == '\0')
    root = getenv("TMPDIR");
  if (root == NULL || root[0] == '\0')
    root = "/tmp";
  if (realpath(root, real) == NULL)
    fail_msg("sandbox: temporary root %s: %s", root, strerror(errno));
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
  if (unshare(CLONE_NEWNS) == 0) {
    /* Mounts made here stay here. */
    if (mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) != 0)
      child_die("make mounts private");
  } else if (tmpfs_size > 0) {
    child_die("unshare(CLONE_NEWNS)");
  }
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

/* Probe in a throwaway child: can a private mount namespace be made here? */
static int can_unshare(void) {
  int status;
  pid_t pid = fork();
  if (pid < 0)
    return 0;
  if (pid == 0)
    _exit(unshare(CLONE_NEWNS) == 0 && mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) == 0
              ? 0
              : 1);
  if (waitpid(pid, &status, 0) < 0)
    return 0;
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int sandbox_run_tmpfs(const char *dir, size_t size, int (*fn)(void *), void *arg) {
  if (!can_unshare()) {
    print_message("sandbox: no private mount namespace here (unshare(CLONE_NEWNS) refused)\n");
    return -1;
  }
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
  const char *why;
  *state = NULL;
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

static unsigned long long digest_at(int fd, unsigned long long h) {
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
  qsort(names, n, sizeof *names, by_name);
  for (i = 0; i < n; i++) {
    struct stat st;
    char buf[4096];
    ssize_t got;
    int cfd;
    h = mix(h, names[i], strlen(names[i]) + 1);
    if (fstatat(dirfd(d), names[i], &st, AT_SYMLINK_NOFOLLOW) != 0) {
      h = mix(h, "!", 1);
      continue;
    }
    h = mix(h, &st.st_mode, sizeof st.st_mode);
    h = mix(h, &st.st_ino, sizeof st.st_ino);
    h = mix(h, &st.st_nlink, sizeof st.st_nlink);
    if (S_ISLNK(st.st_mode)) {
      got = readlinkat(dirfd(d), names[i], buf, sizeof buf);
      h = mix(h, buf, got > 0 ? (size_t)got : 0);
    } else if (S_ISREG(st.st_mode)) {
      h = mix(h, &st.st_size, sizeof st.st_size);
      cfd = openat(dirfd(d), names[i], O_RDONLY | O_NOFOLLOW);
      while (cfd >= 0 && (got = read(cfd, buf, sizeof buf)) > 0)
        h = mix(h, buf, (size_t)got);
      if (cfd >= 0)
        close(cfd);
    } else if (S_ISDIR(st.st_mode)) {
      cfd = openat(dirfd(d), names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
      h = cfd >= 0 ? digest_at(cfd, h) : mix(h, "?", 1);
    }
  }
  for (i = 0; i < n; i++)
    free(names[i]);
  free(names);
  closedir(d);
  return h;
}

unsigned long long sandbox_digest(const char *path) {
  int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  return fd < 0 ? 0 : digest_at(fd, 0xcbf29ce484222325ull);
}

/* ---- running a program in a sandbox ---------------------------------------- */

static int bind_read_only(const char *src, const char *dst) {
  return mount(src, dst, "none", MS_BIND, NULL) == 0 &&
                 mount("none", dst, "none", MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) == 0
             ? 0
             : -1;
}

static void exec_child(const char *dir, const char *program, char *const argv[], int outfd,
                       int errfd, int statusfd) {
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
  if (unshare(CLONE_NEWNS) != 0 || mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) != 0)
    goto cannot;
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
  int o[2], e[2], st[2], status, stage = 0;
  pid_t pid;
  check_sandbox_dir(dir);
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
    exec_child(dir, program, argv, o[1], e[1], st[1]);
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

/* posix_fs.c -- see posix_fs.h. */
#include "posix_fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "mklink.h"

#define TEMP_PREFIX "mklink-test-"

static char tmp_dir[POSIX_PATH_MAX];
static char old_cwd[POSIX_PATH_MAX];

/* Every directory posix_mkdtemp_in made and not yet removed: the only
   trees posix_rmtree will ever delete. */
#define MAX_MADE 8
static char made[MAX_MADE][POSIX_PATH_MAX];

static int remember(const char *path) {
  int i;
  for (i = 0; i < MAX_MADE; i++)
    if (made[i][0] == '\0') {
      memcpy(made[i], path, strlen(path) + 1);
      return 0;
    }
  errno = EMFILE;
  return -1;
}

/* Index of PATH among the directories made here, or -1. */
static int made_index(const char *path) {
  int i;
  for (i = 0; i < MAX_MADE; i++)
    if (made[i][0] != '\0' && strcmp(made[i], path) == 0)
      return i;
  return -1;
}

int posix_mkdtemp_in(const char *base, char *out, size_t outsz) {
  char abs_base[POSIX_PATH_MAX];
  if (realpath(base, abs_base) == NULL)
    return -1;
  if ((size_t)snprintf(out, outsz, "%s/" TEMP_PREFIX "XXXXXX", abs_base) >= outsz) {
    errno = ENAMETOOLONG;
    return -1;
  }
  if (mkdtemp(out) == NULL)
    return -1;
  if (remember(out) != 0) {
    rmdir(out);
    return -1;
  }
  return 0;
}

int posix_tmp_setup(void **state) {
  const char *base = getenv("MKLINK_TEST_TMPDIR");
  tmp_dir[0] = '\0';
  if (getcwd(old_cwd, sizeof old_cwd) == NULL)
    return -1;
  if (posix_mkdtemp_in(base != NULL && base[0] != '\0' ? base : ".", tmp_dir,
                       sizeof tmp_dir) != 0) {
    fprintf(stderr, "cannot make a temporary directory: %s\n", strerror(errno));
    tmp_dir[0] = '\0';
    return -1;
  }
  if (chdir(tmp_dir) != 0)
    return -1;
  *state = tmp_dir;
  return 0;
}

int posix_tmp_teardown(void **state) {
  (void)state;
  mklink_set_syscall(NULL, NULL);
  if (chdir(old_cwd) != 0)
    return -1;
  if (tmp_dir[0] != '\0')
    posix_rmtree(tmp_dir);
  tmp_dir[0] = '\0';
  return 0;
}

const char *posix_tmp_dir(void) { return tmp_dir; }

/* Unlink everything below the directory open at DIRFD; closes DIRFD.  Only
   goes down, through descriptors opened with O_NOFOLLOW, and never onto
   another device (a mount point below is left alone). */
static void rm_below(int dirfd, dev_t dev) {
  DIR *d = fdopendir(dirfd);
  struct dirent *e;
  if (d == NULL) {
    close(dirfd);
    return;
  }
  while ((e = readdir(d)) != NULL) {
    struct stat st;
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    if (fstatat(dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
      continue;
    if (st.st_dev != dev)
      continue;
    if (S_ISDIR(st.st_mode)) {
      int sub = openat(dirfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (sub >= 0)
        rm_below(sub, dev);
      unlinkat(dirfd, e->d_name, AT_REMOVEDIR);
    } else {
      unlinkat(dirfd, e->d_name, 0);
    }
  }
  closedir(d);
}

/* Empty the directory PATH, which must be one posix_mkdtemp_in made. */
static void empty_made_dir(const char *path) {
  struct stat st;
  int fd;
  if (made_index(path) < 0)
    fail_msg("refusing to delete below %s: not a directory this test made", path);
  fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return;
  if (fstat(fd, &st) != 0 || !S_ISDIR(st.st_mode)) {
    close(fd);
    return;
  }
  rm_below(fd, st.st_dev);
}

void posix_rmtree(const char *path) {
  int i = made_index(path);
  empty_made_dir(path);
  rmdir(path);
  made[i][0] = '\0';
}

void posix_tmp_clear(void) { empty_made_dir(tmp_dir); }

void posix_write_file(const char *path, const char *content) {
  FILE *f = fopen(path, "w");
  if (f == NULL)
    fail_msg("cannot write %s: %s", path, strerror(errno));
  fputs(content, f);
  assert_int_equal(fclose(f), 0);
}

void posix_mkdir(const char *path) {
  if (mkdir(path, 0755) != 0)
    fail_msg("cannot mkdir %s: %s", path, strerror(errno));
}

void posix_symlink(const char *text, const char *path) {
  if (symlink(text, path) != 0)
    fail_msg("cannot symlink %s -> %s: %s", path, text, strerror(errno));
}

void posix_hardlink(const char *existing, const char *path) {
  if (link(existing, path) != 0)
    fail_msg("cannot link %s -> %s: %s", path, existing, strerror(errno));
}

int posix_is_symlink(const char *path) {
  struct stat st;
  return lstat(path, &st) == 0 && S_ISLNK(st.st_mode);
}

int posix_is_dir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int posix_exists(const char *path) {
  struct stat st;
  return lstat(path, &st) == 0;
}

ino_t posix_inode(const char *path) {
  struct stat st;
  if (lstat(path, &st) != 0)
    fail_msg("lstat %s: %s", path, strerror(errno));
  return st.st_ino;
}

unsigned long posix_nlink(const char *path) {
  struct stat st;
  if (lstat(path, &st) != 0)
    fail_msg("lstat %s: %s", path, strerror(errno));
  return (unsigned long)st.st_nlink;
}

const char *posix_readlink(const char *path) {
  static char text[POSIX_PATH_MAX];
  ssize_t n = readlink(path, text, sizeof text - 1);
  if (n < 0)
    fail_msg("readlink %s: %s", path, strerror(errno));
  text[n] = '\0';
  return text;
}

const char *posix_read_file(const char *path) {
  static char content[256];
  size_t n;
  FILE *f = fopen(path, "r");
  if (f == NULL)
    fail_msg("cannot read %s: %s", path, strerror(errno));
  n = fread(content, 1, sizeof content - 1, f);
  content[n] = '\0';
  fclose(f);
  return content;
}

int posix_count_prefix(const char *path, const char *prefix) {
  DIR *d = opendir(path);
  struct dirent *e;
  int n = 0;
  if (d == NULL)
    fail_msg("cannot open %s: %s", path, strerror(errno));
  while ((e = readdir(d)) != NULL)
    if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
      n++;
  closedir(d);
  return n;
}

int posix_sh(const char *fmt, ...) {
  char cmd[3 * POSIX_PATH_MAX];
  va_list ap;
  int status;
  va_start(ap, fmt);
  vsnprintf(cmd, sizeof cmd, fmt, ap);
  va_end(ap);
  fflush(stdout);
  fflush(stderr);
  status = system(cmd);
  if (status == -1 || !WIFEXITED(status))
    return -1;
  return WEXITSTATUS(status);
}

int posix_have(const char *program) {
  return posix_sh("command -v %s >/dev/null 2>&1", program) == 0;
}

/* ---- snapshots ----------------------------------------------------------- */

static void add_entry(posix_snapshot *snap, size_t *cap, const posix_entry *e) {
  if (snap->count == *cap) {
    *cap = *cap ? *cap * 2 : 16;
    snap->entries = realloc(snap->entries, *cap * sizeof *snap->entries);
    assert_non_null(snap->entries);
  }
  snap->entries[snap->count++] = *e;
}

static void walk(const char *root, const char *rel, posix_snapshot *snap, size_t *cap) {
  char dirpath[POSIX_PATH_MAX];
  DIR *d;
  struct dirent *de;
  if ((size_t)snprintf(dirpath, sizeof dirpath, "%s%s%s", root, rel[0] ? "/" : "", rel) >=
      sizeof dirpath)
    fail_msg("snapshot: path too long below %s", root);
  d = opendir(dirpath);
  if (d == NULL)
    fail_msg("snapshot: cannot open %s: %s", dirpath, strerror(errno));
  while ((de = readdir(d)) != NULL) {
    static posix_entry e; /* large: keep it off the stack */
    char full[POSIX_PATH_MAX];
    struct stat st;
    if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
      continue;
    memset(&e, 0, sizeof e);
    if ((size_t)snprintf(e.path, sizeof e.path, "%s%s%s", rel, rel[0] ? "/" : "",
                         de->d_name) >= sizeof e.path ||
        (size_t)snprintf(full, sizeof full, "%s/%s", root, e.path) >= sizeof full)
      fail_msg("snapshot: path too long below %s", root);
    if (lstat(full, &st) != 0)
      fail_msg("snapshot: lstat %s: %s", full, strerror(errno));
    e.type = st.st_mode & S_IFMT;
    e.ino = st.st_ino;
    e.nlink = (unsigned long)st.st_nlink;
    if (S_ISLNK(st.st_mode)) {
      ssize_t n = readlink(full, e.text, sizeof e.text - 1);
      assert_true(n >= 0);
      e.text[n] = '\0';
    }
    add_entry(snap, cap, &e);
    if (S_ISDIR(st.st_mode)) {
      char sub[POSIX_PATH_MAX];
      memcpy(sub, e.path, sizeof sub);
      walk(root, sub, snap, cap);
    }
  }
  closedir(d);
}

static int by_path(const void *a, const void *b) {
  return strcmp(((const posix_entry *)a)->path, ((const posix_entry *)b)->path);
}

void posix_snapshot_take(const char *dir, posix_snapshot *snap) {
  size_t cap = 0;
  snap->count = 0;
  snap->entries = NULL;
  walk(dir, "", snap, &cap);
  if (snap->count > 1)
    qsort(snap->entries, snap->count, sizeof *snap->entries, by_path);
}

void posix_snapshot_free(posix_snapshot *snap) {
  free(snap->entries);
  snap->entries = NULL;
  snap->count = 0;
}

static void print_entry(const char *sign, const posix_entry *e) {
  fprintf(stderr, "  %s %s type=%o ino=%lu nlink=%lu%s%s\n", sign, e->path,
          (unsigned)e->type, (unsigned long)e->ino, e->nlink, e->text[0] ? " -> " : "",
          e->text);
}

static int same_entry(const posix_entry *a, const posix_entry *b) {
  return strcmp(a->path, b->path) == 0 && a->type == b->type && a->ino == b->ino &&
         a->nlink == b->nlink && strcmp(a->text, b->text) == 0;
}

void posix_snapshot_assert_equal(const posix_snapshot *a, const posix_snapshot *b) {
  size_t i = 0, j = 0;
  int differ = 0;
  while (i < a->count || j < b->count) {
    int c = i == a->count   ? 1
            : j == b->count ? -1
                            : strcmp(a->entries[i].path, b->entries[j].path);
    if (c == 0 && same_entry(&a->entries[i], &b->entries[j])) {
      i++, j++;
      continue;
    }
    differ = 1;
    if (c <= 0)
      print_entry("-", &a->entries[i++]);
    if (c >= 0)
      print_entry("+", &b->entries[j++]);
  }
  if (differ)
    fail_msg("the directory changed (- before, + after)");
}

void posix_assert_unchanged(const posix_snapshot *before) {
  posix_snapshot after;
  POSIX_SNAPSHOT_HERE(&after);
  posix_snapshot_assert_equal(before, &after);
  posix_snapshot_free(&after);
}

int posix_mklink_program(char *out, size_t outsz) {
  char self[4096];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  char *slash;
  if (n <= 0)
    return 0;
  self[n] = '\0';
  if ((slash = strrchr(self, '/')) == NULL)
    return 0;
  *slash = '\0';
  if ((slash = strrchr(self, '/')) == NULL)
    return 0;
  *slash = '\0';
  if ((size_t)snprintf(out, outsz, "%s/src/cli/mklink", self) >= outsz)
    return 0;
  return access(out, X_OK) == 0;
}

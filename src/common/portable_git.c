/*
 * portable_git.c -- what git's index records, for the portability check:
 * `git ls-files --stage -z` run in the checked directory, as git itself
 * reads the index (every version, split and sparse indexes included),
 * rather than a reading of .git/index of our own.
 *
 * git is started only where it could find a repository: starting it costs
 * more than checking a tree of thousands of entries, and most trees checked
 * outside a work tree would pay that for git's "not a git repository".
 */
#include "internal.h"
#include "path.h"

#include <stdlib.h>
#include <string.h>

#define SEP (MKLINK__PATH_NATIVE == MKLINK__PATH_WIN32 ? "\\" : "/")
/* Levels climbed looking for ".git" before giving up and asking git. */
#define MAX_UP 128

/* 1 if PATH is a root directory (its resolved path is all root). */
static int is_root(const char *path) {
  mklink_info info;
  int root = 0;
  if (mklink_query(path, &info) == 0 && info.resolved != NULL)
    root = mklink__path_root(MKLINK__PATH_NATIVE, info.resolved) == strlen(info.resolved);
  mklink_info_free(&info);
  return root;
}

/*
 * 0 only when git would certainly say "not a git repository" for DIR:
 * GIT_DIR is not set, and neither DIR nor any directory above it has a
 * ".git" (a directory, or the file of a linked work tree or submodule).
 * The directories above are DIR/.., DIR/../.., ...: the system climbs ".."
 * as git climbs from its physical current directory.  Anything unsure
 * (an error other than "not there", too many levels) says 1: git decides.
 */
static int may_be_in_work_tree(const char *dir) {
  size_t n = strlen(dir), root = mklink__path_root(MKLINK__PATH_NATIVE, dir);
  size_t cap = n + 3 * MAX_UP + 8;
  char *p;
  int up, rc;
  mklink_info info;
  if (getenv("GIT_DIR") != NULL || (p = malloc(cap)) == NULL)
    return 1;
  while (n > root && n > 1 && mklink__path_is_sep(MKLINK__PATH_NATIVE, dir[n - 1]))
    n--; /* "dir/" and "dir" alike */
  memcpy(p, dir, n);
  for (up = 0; up < MAX_UP; up++) {
    strcpy(p + n, SEP);
    strcat(p + n, ".git");
    rc = mklink_query(p, &info);
    mklink_info_free(&info);
    if (rc != MKLINK_ENOFILE && rc != MKLINK_ENOPATH)
      break; /* there, or cannot tell */
    p[n] = '\0';
    if (is_root(p)) {
      free(p);
      return 0;
    }
    strcpy(p + n, SEP);
    strcat(p + n, "..");
    n += strlen(SEP) + 2;
  }
  free(p);
  return 1;
}

/* The first line of TEXT, without "fatal: ", as a new string. */
static char *first_line(const char *text) {
  size_t n;
  char *line;
  if (strncmp(text, "fatal: ", 7) == 0)
    text += 7;
  n = strcspn(text, "\r\n");
  if ((line = malloc(n + 1)) == NULL)
    return NULL;
  memcpy(line, text, n);
  line[n] = '\0';
  return line;
}

int mklink__git_ls_stage(const char *dir, char **out, size_t *len, char **message) {
  const char *const argv[] = {"git", "-C", dir, "ls-files", "--stage", "-z", NULL};
  char *err = NULL;
  size_t err_len = 0;
  int status = -1, rc;

  *message = NULL;
  *out = NULL;
  *len = 0;
  if (!may_be_in_work_tree(dir))
    return MKLINK_ENOFILE; /* as git would say */
  if ((rc = mklink__run(argv, out, len, &err, &err_len, &status)) != 0)
    return rc;
  if (status == 0) {
    free(err);
    return 0;
  }
  free(*out);
  *out = NULL;
  /* git says so, in these words, for a directory in no work tree (and
     exits 128, as it does for every fatal error). */
  if (strstr(err, "not a git repository") != NULL) {
    free(err);
    return MKLINK_ENOFILE;
  }
  *message = first_line(err);
  free(err);
  return MKLINK_EGIT;
}

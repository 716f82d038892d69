/*
 * portable_git.c -- what git's index records, for the portability check:
 * `git ls-files --stage -z` run in the checked directory, as git itself
 * reads the index (every version, split and sparse indexes included),
 * rather than a reading of .git/index of our own.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

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
  int status = -1;
  int rc = mklink__run(argv, out, len, &err, &err_len, &status);

  *message = NULL;
  if (rc != 0)
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

/*
 * path.c -- the path operations of the POSIX backend that need the system:
 * the current directory, and paths made absolute against it.  The lexical
 * rules themselves are in src/common/path.c.
 *
 * The current directory is read into a buffer of PATH_MAX bytes first (no
 * allocation in the common case) and into a larger one only when it is
 * longer: a current directory may be far deeper than PATH_MAX, and a path
 * relative to it still works, so nothing here may need it to be short.
 */
#include "posix.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int mklink__cwd(char *buf, size_t size, size_t limit, char **heap, const char **cwd) {
  size_t cap = size;
  int saved;
  *heap = NULL;
  if (os_getcwd(buf, size) != NULL) {
    *cwd = buf;
    return 0;
  }
  while (errno == ERANGE && (limit == 0 || cap < limit) && cap < SIZE_MAX / 4) {
    char *grown;
    cap *= 4;
    if (limit != 0 && cap > limit)
      cap = limit;
    grown = realloc(*heap, cap);
    if (grown == NULL) {
      free(*heap);
      *heap = NULL;
      return MKLINK_ENOMEM;
    }
    *heap = grown;
    if (os_getcwd(*heap, cap) != NULL) {
      *cwd = *heap;
      return 0;
    }
  }
  saved = errno;
  free(*heap);
  *heap = NULL;
  return mklink__error(saved, MKLINK__CTX_PATH);
}

int mklink__absolute(const char *path, size_t prefix, size_t limit, char **out) {
  char buf[MKLINK__PATH_MAX], *heap = NULL;
  const char *cwd = NULL;
  size_t size;
  int rc;
  *out = NULL;
  if (!mklink__path_is_absolute(MKLINK__PATH_POSIX, path)) {
    rc = mklink__cwd(buf, limit != 0 && limit < sizeof buf ? limit : sizeof buf, limit, &heap,
                     &cwd);
    if (rc != 0)
      return rc;
  }
  /* Normalising never makes a path longer than CWD + "/" + PATH + "/". */
  size = (cwd != NULL ? strlen(cwd) + 1 : 0) + strlen(path) + 2;
  if (limit != 0 && size > limit)
    size = limit;
  *out = malloc(prefix + size);
  if (*out == NULL) {
    free(heap);
    return MKLINK_ENOMEM;
  }
  rc = mklink__path_absolute(MKLINK__PATH_POSIX, cwd, path, *out + prefix, size);
  free(heap);
  if (rc != 0) {
    free(*out);
    *out = NULL;
  }
  return rc;
}

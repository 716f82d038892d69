/*
 * buffer.c -- the one growing buffer of the library (internal.h,
 * mklink__grow): the walks, the portability check and the paths they build
 * all size their heap buffers by it; and the C library's missing strdup.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

int mklink__grow(void **buf, size_t *cap, size_t need, size_t size) {
  size_t n = *cap > 0 ? *cap : 16;
  void *p;
  if (need <= *cap)
    return 0;
  while (n < need)
    n *= 2;
  if ((p = realloc(*buf, n * size)) == NULL)
    return MKLINK_ENOMEM;
  *buf = p;
  *cap = n;
  return 0;
}

char *mklink__strdup(const char *s) {
  size_t n = strlen(s) + 1;
  char *p = malloc(n);
  if (p != NULL)
    memcpy(p, s, n);
  return p;
}

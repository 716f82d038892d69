/*
 * listing.c -- the names of one directory, sorted, for the plans of the
 * composite operations (manifests: globs, the listings of dircache.c).
 *
 * Written once, on the walk engine (tree.h): its first level, nothing
 * entered.
 */
#include "tree.h"

#include <stdlib.h>
#include <string.h>

static int node_of(mklink__tree_type t) {
  switch (t) {
  case MKLINK__TREE_FILE:
    return MKLINK__NODE_FILE;
  case MKLINK__TREE_DIR:
  case MKLINK__TREE_MOUNT:
    return MKLINK__NODE_DIR;
  case MKLINK__TREE_SYMLINK:
  case MKLINK__TREE_JUNCTION:
    return MKLINK__NODE_LINK;
  default:
    return MKLINK__NODE_OTHER;
  }
}

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Each name is stored after a byte holding its type, so the type follows
   its name through the sort (qsort has no context argument in C11). */
static int list(const char *path, int sorted, mklink__dir *out) {
  mklink__tree *t = NULL;
  const mklink__tree_entry *e;
  char *block = NULL, *grown;
  size_t used = 0, cap = 4096, n = 0, ncap = 64, i, *offs = NULL, *og;
  int rc;
  memset(out, 0, sizeof *out);
  if ((rc = mklink__tree_open(path, 0, &t)) != 0)
    return rc;
  block = malloc(cap);
  offs = malloc(ncap * sizeof *offs);
  if (block == NULL || offs == NULL)
    rc = MKLINK_ENOMEM;
  while (rc == 0 && (rc = mklink__tree_next(t, &e)) == 1) {
    rc = 0;
    if (e->event != MKLINK__TREE_ENTRY || e->depth != 1)
      continue;
    while (used + e->name_len + 2 > cap) {
      if ((grown = realloc(block, cap * 2)) == NULL) {
        rc = MKLINK_ENOMEM;
        break;
      }
      block = grown;
      cap *= 2;
    }
    if (rc == 0 && n == ncap) {
      if ((og = realloc(offs, ncap * 2 * sizeof *offs)) == NULL)
        rc = MKLINK_ENOMEM;
      else
        offs = og, ncap *= 2;
    }
    if (rc != 0)
      break;
    block[used] = (char)node_of(e->type);
    offs[n++] = used + 1;
    memcpy(block + used + 1, e->name, e->name_len);
    block[used + 1 + e->name_len] = '\0';
    used += e->name_len + 2;
  }
  mklink__tree_close(t);
  if (rc == 0) {
    out->names = malloc((n > 0 ? n : 1) * sizeof *out->names);
    out->types = malloc(n > 0 ? n : 1);
    if (out->names == NULL || out->types == NULL) {
      rc = MKLINK_ENOMEM;
    } else {
      for (i = 0; i < n; i++)
        out->names[i] = block + offs[i];
      if (sorted)
        qsort(out->names, n, sizeof *out->names, cmp_names);
      for (i = 0; i < n; i++)
        out->types[i] = (unsigned char)out->names[i][-1];
      out->count = n;
      out->block = block;
    }
  }
  free(offs);
  if (rc != 0) {
    free(out->names);
    free(out->types);
    free(block);
    memset(out, 0, sizeof *out);
  }
  return rc;
}

int mklink__list_dir(const char *path, mklink__dir *out) { return list(path, 1, out); }

int mklink__list_dir_unsorted(const char *path, mklink__dir *out) { return list(path, 0, out); }

void mklink__dir_free(mklink__dir *d) {
  if (d == NULL)
    return;
  free(d->names);
  free(d->types);
  free(d->block);
  memset(d, 0, sizeof *d);
}


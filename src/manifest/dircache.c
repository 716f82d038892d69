/*
 * dircache.c -- each directory a plan looks into is listed once.
 *
 * A manifest's links mostly share a few directories (~, ~/.config) and its
 * targets a few more (the dotfiles).  Listing each of them once (getdents:
 * thousands of names per call) tells for every entry whether its name is
 * there and what it is, so a link that is missing, or a target that is a
 * plain file, costs no system call of its own: a first apply of N links
 * makes about N symlink calls, as a shell loop of `ln -s` would.  The
 * listings are a snapshot taken as the plan is computed; the steps then
 * meet the disk as it is (a name that appeared since makes its step fail
 * with MKLINK_EEXIST and the apply roll back).  Windows names compare
 * without regard to case (and a listing there cannot tell a link's kind):
 * there the cache says "ask the system" for every name.
 */
#include "manifest.h"

#include <stdlib.h>
#include <string.h>

typedef struct mm_slot {
  char *dir;      /* NULL: free slot */
  size_t dir_len;
  int rc;         /* the listing's result: 0, or why it failed */
  mklink__dir d;  /* as listed, not sorted */
  size_t *index;  /* hash of a name -> 1 + its place in d (0: free) */
  size_t index_cap;
  int listed;     /* d and rc are set */
  unsigned probes, found; /* names read before any listing, names there */
} mm_slot;

struct mm_dircache {
  mm_slot *slots;
  size_t cap, used;
};

static unsigned long long hash_str(const char *s, size_t n) {
  unsigned long long h = 1469598103934665603ull;
  size_t i;
  for (i = 0; i < n; i++)
    h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
  return h;
}

int mm_dircache_new(mm_dircache **out) {
  mm_dircache *c = calloc(1, sizeof *c);
  *out = c;
  if (c == NULL)
    return MKLINK_ENOMEM;
  c->cap = 64;
  if ((c->slots = calloc(c->cap, sizeof *c->slots)) == NULL) {
    free(c);
    *out = NULL;
    return MKLINK_ENOMEM;
  }
  return 0;
}

void mm_dircache_free(mm_dircache *c) {
  size_t i;
  if (c == NULL)
    return;
  for (i = 0; i < c->cap; i++) {
    if (c->slots[i].dir != NULL) {
      free(c->slots[i].dir);
      free(c->slots[i].index);
      mklink__dir_free(&c->slots[i].d);
    }
  }
  free(c->slots);
  free(c);
}

static mm_slot *find_slot(mm_slot *slots, size_t cap, const char *dir, size_t n) {
  size_t i = (size_t)(hash_str(dir, n) & (cap - 1));
  while (slots[i].dir != NULL && (slots[i].dir_len != n || memcmp(slots[i].dir, dir, n) != 0))
    i = (i + 1) & (cap - 1);
  return &slots[i];
}

static int grow(mm_dircache *c) {
  size_t cap = c->cap * 2, i;
  mm_slot *slots = calloc(cap, sizeof *slots);
  if (slots == NULL)
    return MKLINK_ENOMEM;
  for (i = 0; i < c->cap; i++)
    if (c->slots[i].dir != NULL)
      *find_slot(slots, cap, c->slots[i].dir, c->slots[i].dir_len) = c->slots[i];
  free(c->slots);
  c->slots = slots;
  c->cap = cap;
  return 0;
}

/* The names of S's listing by hash: a lookup hashes the name once and
   compares about one name (a sort and a binary search compared a dozen). */
static int index_names(mm_slot *s) {
  size_t cap = 16, i, j;
  while (cap < s->d.count * 2)
    cap *= 2;
  if ((s->index = calloc(cap, sizeof *s->index)) == NULL)
    return MKLINK_ENOMEM;
  s->index_cap = cap;
  for (i = 0; i < s->d.count; i++) {
    j = (size_t)(hash_str(s->d.names[i], strlen(s->d.names[i])) & (cap - 1));
    while (s->index[j] != 0)
      j = (j + 1) & (cap - 1);
    s->index[j] = i + 1;
  }
  return 0;
}

/* The place of NAME (N bytes) in S's listing, or -1. */
static long find_name(const mm_slot *s, const char *name, size_t n) {
  size_t j = (size_t)(hash_str(name, n) & (s->index_cap - 1)), k;
  while ((k = s->index[j]) != 0) {
    const char *x = s->d.names[k - 1];
    if (strncmp(x, name, n) == 0 && x[n] == '\0')
      return (long)(k - 1);
    j = (j + 1) & (s->index_cap - 1);
  }
  return -1;
}

/* The listing of directory DIR (its first N bytes), made on first use. */
/* The slot of directory DIR (its first N bytes), made on first use, not
   listed yet. */
static int slot_of(mm_dircache *c, const char *dir, size_t n, mm_slot **out) {
  mm_slot *s;
  int rc;
  if (c->used * 2 >= c->cap && (rc = grow(c)) != 0)
    return rc;
  s = find_slot(c->slots, c->cap, dir, n);
  if (s->dir == NULL) {
    if ((s->dir = malloc(n + 1)) == NULL)
      return MKLINK_ENOMEM;
    memcpy(s->dir, dir, n);
    s->dir[n] = '\0';
    s->dir_len = n;
    c->used++;
  }
  *out = s;
  return 0;
}

static int listing(mm_dircache *c, const char *dir, size_t n, const mm_slot **out) {
  mm_slot *s;
  int rc = slot_of(c, dir, n, &s);
  if (rc != 0)
    return rc;
  if (!s->listed) {
    s->listed = 1;
    s->rc = mklink__list_dir_unsorted(s->dir, &s->d);
    if (s->rc == 0 && (s->rc = index_names(s)) != 0)
      mklink__dir_free(&s->d); /* no memory: the system is asked */
  }
  *out = s;
  return 0;
}

/* A listing pays where most names are missing (a first apply), a readlink
   of each where most are there (a check, an apply with nothing to do): the
   first PROBES names of a directory are read, and it is listed only if most
   of them were not there. */
#define PROBES 8

int mm_dircache_reads(mm_dircache *c, const char *path) {
  const char *base;
  size_t dir_len, base_len;
  mm_slot *s;
#ifdef _WIN32
  (void)c, (void)path, (void)base, (void)dir_len, (void)base_len, (void)s;
  return 0; /* mklink_query for every name: see the opening comment */
#endif
  mklink__path_split(MKLINK__PATH_NATIVE, path, &dir_len, &base, &base_len);
  if (dir_len == 0 || base_len == 0 || slot_of(c, path, dir_len, &s) != 0)
    return 1;
  if (s->listed)
    return 0;
  return s->probes < PROBES || s->found * 2 > s->probes;
}

void mm_dircache_tally(mm_dircache *c, const char *path, int found) {
  const char *base;
  size_t dir_len, base_len;
  mm_slot *s;
  mklink__path_split(MKLINK__PATH_NATIVE, path, &dir_len, &base, &base_len);
  if (dir_len == 0 || base_len == 0 || slot_of(c, path, dir_len, &s) != 0)
    return;
  s->probes++;
  s->found += found != 0;
}

int mm_dircache_type(mm_dircache *c, const char *path, int *type) {
  const char *base;
  size_t dir_len, base_len;
  const mm_slot *s;
  long hit;
  int rc;
  *type = MKLINK__NODE_UNKNOWN;
#ifdef _WIN32
  (void)c, (void)path, (void)base, (void)dir_len, (void)base_len, (void)s, (void)hit, (void)rc;
  return 0;
#endif
  mklink__path_split(MKLINK__PATH_NATIVE, path, &dir_len, &base, &base_len);
  if (dir_len == 0 || base_len == 0)
    return 0; /* not a plain "dir/name": ask the system */
  if ((rc = listing(c, path, dir_len, &s)) != 0)
    return rc;
  if (s->rc == MKLINK_ENOFILE || s->rc == MKLINK_ENOPATH) {
    *type = MKLINK__NODE_NONE; /* no such directory: no such name */
    return 0;
  }
  if (s->rc != 0)
    return 0; /* unreadable, not a directory...: ask the system */
  hit = find_name(s, base, base_len);
  *type = hit < 0 ? MKLINK__NODE_NONE : s->d.types[hit];
  return 0;
}

int mm_dircache_is_dir(mm_dircache *c, const char *dir) {
  const mm_slot *s;
  size_t n = strlen(dir);
#ifdef _WIN32
  return 0; /* see the opening comment */
#endif
  if (n == 0 || listing(c, dir, n, &s) != 0)
    return 0;
  return s->rc == 0;
}

/*
 * move_copy.c -- the copy of a move to another file system, written once
 * over the tree walk engine (tree.h) and the backend's copy primitives.
 *
 * The source is read only through the walk: nothing is followed, a
 * directory swapped for a link while the copy runs is copied as the link it
 * has become (never entered), a mount point stops the copy (MKLINK_EMOUNT),
 * and every file is opened by its name in the directory the walk holds.  So
 * another process that swaps parts of LINK for links to some other tree
 * cannot make the copy read that tree, let alone change it.
 *
 * The destination is a fresh directory of the move's own (TEMP, beside
 * TARGET), made 0700 and given its real mode only when its entries are
 * done, so nobody else can put anything in it meanwhile.  Regular files are
 * hashed (XXH3, 64 bits) as they are read; directories get their mode and
 * times once their entries are in (an entry added later would change the
 * times) and are flushed; a file seen again under another name (same device
 * and inode) is made a hard link to its first copy.  Then every copied file
 * is read back from the disk and its size and hash compared
 * (MKLINK_EVERIFY).
 *
 * What each entry was when it was copied is recorded (M->seen: its path
 * below LINK, type, device and inode, size, link count, times; a file as
 * the descriptor read from saw it, a directory once its entries are done),
 * and once LINK is renamed aside the old tree is walked again and compared
 * with that record before anything of it is removed
 * (mklink__move_check_aside): the hashes prove the copy is what was read,
 * the record that what is removed is what was read.
 */
#include "move.h"
#include "tree.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>


/* Report progress at most this often (bytes), or every FILE_STEP entries. */
#define BYTE_STEP (4ull * 1024 * 1024)
#define FILE_STEP 256ull

/* A copied file: its copy's name, size and hash, checked afterwards. */
typedef struct copied {
  char *path;
  unsigned long long size;
  XXH64_hash_t hash;
} copied;

/* A file with several names: its first copy. */
typedef struct first_name {
  unsigned long long dev, ino;
  char *path; /* NULL: an empty slot */
} first_name;

typedef struct copier {
  mklink__move *m;
  XXH3_state_t *xxh;
  char *dest;            /* the current entry's copy: TEMP + the part below LINK */
  size_t dest_cap;
  copied *files;
  size_t nfiles, files_cap;
  first_name *names;     /* open addressing, a power of two */
  size_t nnames, names_cap;
} copier;

static int set_dest(copier *c, const mklink__tree_entry *e) {
  const char *below = e->path + e->rel;
  size_t tlen = strlen(c->m->temp), blen = strlen(below), need = tlen + blen + 2;
  if (need > c->dest_cap) {
    char *p = realloc(c->dest, need);
    if (p == NULL)
      return MKLINK_ENOMEM;
    c->dest = p;
    c->dest_cap = need;
  }
  memcpy(c->dest, c->m->temp, tlen);
  if (blen > 0) {
    c->dest[tlen++] = MKLINK__SEP;
    memcpy(c->dest + tlen, below, blen);
  }
  c->dest[tlen + blen] = '\0';
  return 0;
}

/* ---- files with several names ------------------------------------------- */

static size_t slot_of(const copier *c, unsigned long long dev, unsigned long long ino) {
  unsigned long long h = (dev * 0x9E3779B97F4A7C15ull) ^ (ino * 0xC2B2AE3D27D4EB4Full);
  size_t i = (size_t)(h ^ (h >> 29)) & (c->names_cap - 1);
  while (c->names[i].path != NULL && (c->names[i].dev != dev || c->names[i].ino != ino))
    i = (i + 1) & (c->names_cap - 1);
  return i;
}

static int grow_names(copier *c) {
  first_name *old = c->names;
  size_t i, cap = old != NULL ? c->names_cap : 0;
  c->names_cap = cap > 0 ? cap * 2 : 64;
  if ((c->names = calloc(c->names_cap, sizeof *c->names)) == NULL) {
    c->names = old;
    c->names_cap = cap;
    return MKLINK_ENOMEM;
  }
  for (i = 0; i < cap; i++)
    if (old[i].path != NULL)
      c->names[slot_of(c, old[i].dev, old[i].ino)] = old[i];
  free(old);
  return 0;
}

/* The first copy of the file ST, or NULL (then remember DEST as it). */
static int first_copy(copier *c, const mklink__tree_attrs *st, const char **first) {
  size_t i;
  int rc;
  *first = NULL;
  if ((c->nnames + 1) * 2 > c->names_cap && (rc = grow_names(c)) != 0)
    return rc;
  i = slot_of(c, st->dev, st->ino);
  if (c->names[i].path != NULL) {
    *first = c->names[i].path;
    return 0;
  }
  if ((c->names[i].path = mklink__strdup(c->dest)) == NULL)
    return MKLINK_ENOMEM;
  c->names[i].dev = st->dev;
  c->names[i].ino = st->ino;
  c->nnames++;
  return 0;
}

/* ---- the record of what was copied --------------------------------------- */

struct mklink__move_seen {
  char *rel; /* the path below LINK ("" for LINK itself) */
  int type;
  int matched;
  size_t depth;
  mklink__tree_attrs st;
};

void mklink__move_forget_seen(mklink__move *m) {
  size_t i;
  for (i = 0; i < m->nseen; i++)
    free(m->seen[i].rel);
  free(m->seen);
  m->seen = NULL;
  m->nseen = m->seen_cap = 0;
}

/* Remember the current entry E as it is now (its ST filled). */
static int seen(mklink__move *m, const mklink__tree_entry *e) {
  struct mklink__move_seen *s;
  if (mklink__grow((void **)&m->seen, &m->seen_cap, m->nseen + 1, sizeof *s) != 0)
    return MKLINK_ENOMEM;
  s = &m->seen[m->nseen];
  if ((s->rel = mklink__strdup(e->path + e->rel)) == NULL)
    return MKLINK_ENOMEM;
  s->type = (int)e->type;
  s->matched = 0;
  s->depth = e->depth;
  s->st = e->st;
  m->nseen++;
  return 0;
}

/* ---- one entry ------------------------------------------------------------- */

static int on_chunk(const void *data, size_t len, void *arg) {
  copier *c = arg;
  mklink__move *m = c->m;
  (void)XXH3_64bits_update(c->xxh, data, len);
  m->p.bytes_done += len;
  return mklink__move_report(m, m->p.phase, NULL, 0);
}

static int remember(copier *c, unsigned long long size) {
  copied *f;
  if (c->nfiles == c->files_cap) {
    size_t cap = c->files_cap > 0 ? c->files_cap * 2 : 256;
    copied *p = realloc(c->files, cap * sizeof *p);
    if (p == NULL)
      return MKLINK_ENOMEM;
    c->files = p;
    c->files_cap = cap;
  }
  f = &c->files[c->nfiles];
  if ((f->path = mklink__strdup(c->dest)) == NULL)
    return MKLINK_ENOMEM;
  f->size = size;
  f->hash = XXH3_64bits_digest(c->xxh);
  c->nfiles++;
  return 0;
}

/* The current entry, a regular file: copied, or linked to its first copy.
   MKLINK__TREE_CHANGED if it is no regular file now. */
static int copy_file(copier *c, mklink__tree *t, const mklink__tree_entry *e) {
  const char *first = NULL;
  unsigned long long before = c->m->p.bytes_done;
  intptr_t h;
  int rc = mklink__tree_open_file(t, &h);
  if (rc != 0)
    return rc;
  if (e->st.nlink > 1 && (rc = first_copy(c, &e->st, &first)) != 0) {
    mklink__tree_close_file(h);
    return rc;
  }
  if (first != NULL) {
    mklink__tree_close_file(h);
    rc = mklink__create(c->dest, first, MKLINK_HARDLINK, 0);
    return rc != 0 ? rc : seen(c->m, e);
  }
  (void)XXH3_64bits_reset(c->xxh);
  rc = mklink__copy_file(h, &e->st, c->dest, on_chunk, c);
  mklink__tree_close_file(h);
  if (rc == 0)
    rc = remember(c, c->m->p.bytes_done - before);
  return rc != 0 ? rc : seen(c->m, e); /* E->st: as the descriptor saw it
                                            before it was read */
}

static int copy_link(copier *c, mklink__tree *t, const mklink__tree_entry *e) {
  const char *text;
  size_t len;
  int junction, rc = mklink__tree_readlink(t, &text, &len);
  if (rc == MKLINK_ENOTLINK)
    return mklink__tree_stat(t) == 0 ? MKLINK__TREE_CHANGED : MKLINK_ENOFILE;
  if (rc != 0)
    return rc;
  junction = e->type == MKLINK__TREE_JUNCTION;
  if ((rc = mklink__tree_stat(t)) != 0)
    return rc;
  if (e->type != MKLINK__TREE_SYMLINK && e->type != MKLINK__TREE_JUNCTION)
    return MKLINK__TREE_CHANGED; /* no link since its text was read */
  if ((rc = mklink__copy_link(c->dest, text, junction, &e->st)) != 0 ||
      (rc = mklink__set_attrs(c->dest, 1, &e->st)) != 0)
    return rc;
  return seen(c->m, e);
}

/* Races: an entry that changes between its listing and its copy is copied
   as what it is now, a bounded number of times. */
#define RETRIES 16

static int copy_entry(copier *c, mklink__tree *t, const mklink__tree_entry *e) {
  int rc, tries;
  if ((rc = set_dest(c, e)) != 0)
    return rc;
  for (tries = 0; tries < RETRIES; tries++) {
    switch (e->type) {
    case MKLINK__TREE_DIR:
      rc = mklink__tree_enter(t);
      if (rc == 0)
        rc = mklink__make_dir(c->dest, 0700);
      break;
    case MKLINK__TREE_FILE:
      rc = copy_file(c, t, e);
      break;
    case MKLINK__TREE_SYMLINK:
    case MKLINK__TREE_JUNCTION:
      rc = copy_link(c, t, e);
      break;
    case MKLINK__TREE_MOUNT:
      return MKLINK_EMOUNT;
    default:
      return MKLINK_ESPECIAL;
    }
    if (rc == MKLINK_ENOFILE && e->depth > 0)
      rc = 0; /* removed meanwhile: nothing to copy */
    if (rc != MKLINK__TREE_CHANGED)
      break;
  }
  if (rc == MKLINK__TREE_CHANGED)
    return MKLINK_EBUSY;
  if (rc == 0 && e->depth > 0) {
    c->m->p.files_done++;
    rc = mklink__move_report(c->m, c->m->p.phase, e->path + e->rel, 0);
  }
  return rc;
}

/* A directory's entries are copied: its metadata, then a flush. */
static int finish_dir(copier *c, mklink__tree *t, const mklink__tree_entry *e) {
  int rc;
  if (e->error != 0)
    return e->error; /* moved away while copied: the copy is not LINK's */
  if ((rc = set_dest(c, e)) != 0 || (rc = mklink__tree_stat(t)) != 0)
    return rc;
  if (e->type != MKLINK__TREE_DIR)
    return MKLINK_EVERIFY; /* swapped for a link (or a file) meanwhile: its
                              mode and times (a link's 0777) are not the
                              directory's */
  if ((rc = mklink__set_attrs(c->dest, 0, &e->st)) != 0 || (rc = seen(c->m, e)) != 0)
    return rc;
  return mklink__sync_dir(c->dest);
}

static int copy_tree(copier *c) {
  const mklink__tree_entry *e;
  mklink__tree *t;
  int rc = mklink__tree_open(c->m->link, MKLINK__TREE_TOP_ENTRY, &t);
  if (rc != 0)
    return rc;
  while ((rc = mklink__tree_next(t, &e)) == 1) {
    rc = e->event == MKLINK__TREE_LEAVE ? finish_dir(c, t, e) : copy_entry(c, t, e);
    if (rc != 0)
      break;
  }
  mklink__tree_close(t);
  return rc;
}

/* ---- verification --------------------------------------------------------- */

static int on_verify_chunk(const void *data, size_t len, void *arg) {
  copier *c = arg;
  (void)XXH3_64bits_update(c->xxh, data, len);
  c->m->p.bytes_done += len;
  return mklink__move_report(c->m, MKLINK_MOVE_VERIFY, NULL, 0);
}

static int verify(copier *c) {
  mklink__move *m = c->m;
  size_t i;
  int rc;
  m->p.bytes_done = 0;
  m->p.files_done = 0;
  if ((rc = mklink__move_report(m, MKLINK_MOVE_VERIFY, NULL, 1)) != 0)
    return rc;
  for (i = 0; i < c->nfiles; i++) {
    unsigned long long size;
    (void)XXH3_64bits_reset(c->xxh);
    rc = mklink__read_chunks(c->files[i].path, on_verify_chunk, c, &size);
    if (rc != 0)
      return rc == MKLINK_ECANCELLED ? rc : MKLINK_EVERIFY;
    if (size != c->files[i].size || XXH3_64bits_digest(c->xxh) != c->files[i].hash)
      return MKLINK_EVERIFY;
    m->p.files_done++;
  }
  return 0;
}

/* ---- the old tree, aside, against the record --------------------------- */

static int by_rel(const void *a, const void *b) {
  return strcmp(((const struct mklink__move_seen *)a)->rel,
                ((const struct mklink__move_seen *)b)->rel);
}

/* 1 if the entry E, looked at now, is what S recorded.  The top's change
   time is not compared: renaming it aside set it. */
static int same_entry(const struct mklink__move_seen *s, const mklink__tree_entry *e) {
  const mklink__tree_attrs *a = &s->st, *b = &e->st;
  return s->type == (int)e->type && a->dev == b->dev && a->ino == b->ino &&
         a->size == b->size && a->nlink == b->nlink && a->mtime_sec == b->mtime_sec &&
         a->mtime_nsec == b->mtime_nsec &&
         (s->depth == 0 || (a->ctime_sec == b->ctime_sec && a->ctime_nsec == b->ctime_nsec));
}

/* One entry of the walk of the old tree: 0 if it is in the record as it
   is now (and, a directory, entered), MKLINK_EVERIFY if not. */
static int check_entry(mklink__move *m, mklink__tree *t, const mklink__tree_entry *e) {
  struct mklink__move_seen key, *s;
  int rc = mklink__tree_stat(t);
  if (rc != 0)
    return rc == MKLINK_ENOFILE ? MKLINK_EVERIFY : rc;
  key.rel = (char *)(e->path + e->rel);
  s = bsearch(&key, m->seen, m->nseen, sizeof *m->seen, by_rel);
  if (s == NULL || s->matched || !same_entry(s, e))
    return MKLINK_EVERIFY; /* new, seen twice, or changed since copied */
  s->matched = 1;
  if (e->type != MKLINK__TREE_DIR)
    return 0;
  rc = mklink__tree_enter(t);
  return rc == MKLINK__TREE_CHANGED || rc == MKLINK_ENOFILE ? MKLINK_EVERIFY : rc;
}

int mklink__move_check_aside(mklink__move *m) {
  const mklink__tree_entry *e;
  mklink__tree *t;
  size_t i, matched = 0;
  int rc;
  if (m->seen == NULL)
    return MKLINK_EVERIFY;
  qsort(m->seen, m->nseen, sizeof *m->seen, by_rel);
  for (i = 0; i < m->nseen; i++)
    m->seen[i].matched = 0;
  if ((rc = mklink__tree_open(m->aside, MKLINK__TREE_TOP_ENTRY, &t)) != 0)
    return rc == MKLINK_ENOFILE ? MKLINK_EVERIFY : rc;
  while ((rc = mklink__tree_next(t, &e)) == 1) {
    if (e->event == MKLINK__TREE_LEAVE)
      rc = e->error != 0 ? MKLINK_EVERIFY : 0;
    else if ((rc = check_entry(m, t, e)) == 0)
      matched++;
    if (rc != 0)
      break;
  }
  mklink__tree_close(t);
  if (rc == 0 && matched != m->nseen)
    rc = MKLINK_EVERIFY; /* something copied is no longer there */
  return rc;
}

int mklink__move_copy(mklink__move *m) {
  copier c;
  size_t i;
  int rc;
  mklink__move_forget_seen(m);
  memset(&c, 0, sizeof c);
  c.m = m;
  if ((c.xxh = XXH3_createState()) == NULL)
    return MKLINK_ENOMEM;
  m->p.bytes_done = m->p.files_done = 0;
  if ((rc = mklink__move_report(m, MKLINK_MOVE_COPY, NULL, 1)) == 0 && (rc = copy_tree(&c)) == 0)
    rc = verify(&c);
  for (i = 0; i < c.nfiles; i++)
    free(c.files[i].path);
  for (i = 0; i < c.names_cap; i++)
    free(c.names[i].path);
  free(c.files);
  free(c.names);
  free(c.dest);
  XXH3_freeState(c.xxh);
  return rc;
}

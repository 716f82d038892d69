/*
 * portable.c -- mklink_check_portable: Windows' rules (portable.h) applied
 * to every entry of a tree, as the walk hands them out.
 *
 * The walk reports each entry before the entries below it, so a directory
 * is listed to its end when the next entry is no deeper than it.  Each
 * level of the walk keeps what a check needs of its directory: the length
 * of its path in UTF-16 units, and a hash set of the names listed in it,
 * keyed by the name as NTFS compares it.  A name costs one pass over its
 * bytes (its rules, its length and its key's hash at once); the set finds
 * case collisions when they happen and, when the directory is done, the
 * targets of links that name an entry beside them -- which is most links --
 * without a system call.
 */
#include "portable.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEP_NATIVE (MKLINK__PATH_NATIVE == MKLINK__PATH_WIN32 ? '\\' : '/')
/* mklink__path_is_sep(MKLINK__PATH_NATIVE, C), inline: the check looks at
   every byte of every path the walk hands out. */
#define IS_SEP(c) ((c) == '/' || (MKLINK__PATH_NATIVE == MKLINK__PATH_WIN32 && (c) == '\\'))

/* Room CreateDirectory keeps in MAX_PATH for "\" and an 8.3 name. */
#define DIR_RESERVE 12

typedef struct name_slot {
  uint64_t hash;  /* of the key; 0: the slot is free                       */
  size_t off;     /* the name in the level's NAMES                          */
  size_t len;
  int is_link;    /* a symbolic link or junction (its target is no proof)  */
  int reported;   /* its case collision has been reported                   */
} name_slot;

/* A link whose target is one name in its own directory: whether it exists
   is settled when the directory is done, from the set. */
typedef struct pending_link {
  size_t path_off, path_len; /* the link's path, in the level's NAMES       */
  size_t target_off, target_len;
} pending_link;

typedef struct level {
  char *path;          /* the directory's path as reported (DIR for 0)     */
  size_t path_len, path_cap;
  size_t units;        /* its path below DIR in UTF-16 units               */
  int too_long;        /* it, or a directory above it, is too long         */
  name_slot *slots;    /* open addressing, a power of two                  */
  size_t nslots, used;
  char *names;         /* the names, and pending links' paths and targets  */
  size_t names_len, names_cap;
  pending_link *pending;
  size_t npending, pending_cap;
  size_t *collided;    /* slots of names that collided with an earlier one */
  size_t ncollided, collided_cap;
} level;

typedef struct checker {
  const char *dir;
  size_t dir_len;
  size_t max_path;
  unsigned flags;
  mklink_portable_cb cb;
  void *arg;
  int rc;              /* the first non-zero value CB returned             */
  char *abs_dir;       /* DIR absolute, for junction targets               */
  level *levels;
  size_t nlevels, depth_open; /* levels in use: 0 .. depth_open             */
  char *detail;        /* the finding's DETAIL, built here                  */
  size_t detail_len, detail_cap;
  char *scratch;       /* a path, a name's key                             */
  size_t scratch_cap;
  uint16_t *key_a, *key_b;
  size_t key_cap;
  /* git: paths below DIR ('/' between names) it records as symbolic links */
  char **git_links;
  size_t ngit_links;
  char *git_buffer;    /* what git printed: GIT_LINKS point into it        */
  int failed;          /* ENOMEM somewhere: the check cannot be trusted    */
} checker;

/* ---- small buffers --------------------------------------------------- */

static int append(char **buf, size_t *len, size_t *cap, const char *s, size_t n) {
  if (mklink__grow((void **)buf, cap, *len + n + 1, 1) != 0)
    return MKLINK_ENOMEM;
  memcpy(*buf + *len, s, n);
  *len += n;
  (*buf)[*len] = '\0';
  return 0;
}

/* ---- details ---------------------------------------------------------- */

static void say(checker *c, const char *s) {
  if (append(&c->detail, &c->detail_len, &c->detail_cap, s, strlen(s)) != 0)
    c->failed = 1;
}

static void sayf(checker *c, const char *fmt, size_t a, size_t b) {
  char buf[160];
  snprintf(buf, sizeof buf, fmt, a, b);
  say(c, buf);
}

/* NAME in quotes, its invalid bytes and control characters as \xNN. */
static void say_name(checker *c, const char *name, size_t len) {
  const unsigned char *u = (const unsigned char *)name;
  size_t i = 0, at;
  char hex[8];
  say(c, "'");
  while (i < len) {
    at = i;
    if (u[i] >= 0x20 && u[i] < 0x80) {
      i++;
      if (append(&c->detail, &c->detail_len, &c->detail_cap, name + at, 1) != 0)
        c->failed = 1;
      continue;
    }
    if (u[i] < 0x20 || mklink__utf8_next(u, len, &i) < 0) {
      i = at + 1;
      snprintf(hex, sizeof hex, "\\x%02X", u[at]);
      say(c, hex);
      continue;
    }
    if (append(&c->detail, &c->detail_len, &c->detail_cap, name + at, i - at) != 0)
      c->failed = 1;
  }
  say(c, "'");
}

static void begin_detail(checker *c) {
  c->detail_len = 0;
  if (c->detail != NULL)
    c->detail[0] = '\0';
}

/* Hand the finding KIND about PATH (PATH_LEN bytes) to the caller. */
static void report(checker *c, mklink_portable_kind kind, const char *path, const char *other,
                   size_t length, size_t limit) {
  mklink_portable_finding f;
  if (c->rc != 0)
    return;
  memset(&f, 0, sizeof f);
  f.kind = kind;
  f.path = path;
  f.rel = c->dir_len;
  while (path[f.rel] != '\0' && mklink__path_is_sep(MKLINK__PATH_NATIVE, path[f.rel]))
    f.rel++;
  f.detail = c->detail != NULL ? c->detail : "";
  f.other = other;
  f.length = length;
  f.limit = limit;
  c->rc = c->cb(&f, c->arg);
}

static void report_error(checker *c, const char *path, int err, const char *detail) {
  mklink_portable_finding f;
  if (c->rc != 0)
    return;
  memset(&f, 0, sizeof f);
  f.error = err;
  f.path = path;
  f.rel = strlen(path) < c->dir_len ? strlen(path) : c->dir_len;
  f.detail = detail != NULL ? detail : "";
  c->rc = c->cb(&f, c->arg);
}

/* ---- the names of one directory ---------------------------------------- */

#define FNV_OFFSET 1469598103934665603ull
#define FNV_PRIME 1099511628211ull

static uint64_t hash_units(const uint16_t *k, size_t n) {
  uint64_t h = FNV_OFFSET;
  size_t i;
  for (i = 0; i < n; i++) {
    h = (h ^ (k[i] & 0xFF)) * FNV_PRIME;
    h = (h ^ (k[i] >> 8)) * FNV_PRIME;
  }
  return h != 0 ? h : 1;
}

/* The key of NAME: its units upcased, in C->key_a or C->key_b (WHICH). */
static uint16_t *key_of(checker *c, const char *name, size_t len, int which, size_t *n) {
  uint16_t **k = which ? &c->key_b : &c->key_a;
  if (len > c->key_cap) {
    uint16_t *a = realloc(c->key_a, len * sizeof *a), *b;
    if (a == NULL)
      return NULL;
    c->key_a = a;
    if ((b = realloc(c->key_b, len * sizeof *b)) == NULL)
      return NULL;
    c->key_b = b;
    c->key_cap = len;
  }
  *n = mklink__name_key(name, len, *k);
  return *k;
}

/* The hash of NAME's key; for ASCII (nearly every name) without a key. */
static uint64_t name_hash(checker *c, const char *name, size_t len) {
  uint64_t h = FNV_OFFSET;
  uint16_t *k;
  size_t i, n;
  for (i = 0; i < len; i++) {
    unsigned char b = (unsigned char)name[i];
    if (b >= 0x80)
      break;
    if (b >= 'a' && b <= 'z')
      b = (unsigned char)(b - 'a' + 'A');
    h = ((h ^ b) * FNV_PRIME) * FNV_PRIME; /* the unit's high byte is 0 */
  }
  if (i == len)
    return h != 0 ? h : 1;
  if ((k = key_of(c, name, len, 0, &n)) == NULL) {
    c->failed = 1;
    return 1;
  }
  return hash_units(k, n);
}

/* 1 if the names A and B are the same name to NTFS. */
static int same_key(checker *c, const char *a, size_t alen, const char *b, size_t blen) {
  size_t na, nb;
  uint16_t *ka, *kb;
  if ((ka = key_of(c, a, alen, 0, &na)) == NULL || (kb = key_of(c, b, blen, 1, &nb)) == NULL) {
    c->failed = 1;
    return 0;
  }
  return na == nb && memcmp(ka, kb, na * sizeof *ka) == 0;
}

static int set_grow(level *l) {
  size_t n = l->nslots > 0 ? l->nslots * 2 : 64, i, j;
  name_slot *s = calloc(n, sizeof *s);
  if (s == NULL)
    return MKLINK_ENOMEM;
  for (i = 0; i < l->nslots; i++) {
    if (l->slots[i].hash == 0)
      continue;
    for (j = (size_t)l->slots[i].hash & (n - 1); s[j].hash != 0; j = (j + 1) & (n - 1))
      ;
    s[j] = l->slots[i];
  }
  free(l->slots);
  l->slots = s;
  l->nslots = n;
  return 0;
}

/* Add NAME to L's set; note it if NTFS holds it for a name already there. */
static void set_add(checker *c, level *l, const char *name, size_t len, int is_link) {
  uint64_t h = name_hash(c, name, len);
  size_t j, off = l->names_len;
  int collided = 0;
  if ((l->used + 1) * 2 > l->nslots && set_grow(l) != 0) {
    c->failed = 1;
    return;
  }
  for (j = (size_t)h & (l->nslots - 1); l->slots[j].hash != 0; j = (j + 1) & (l->nslots - 1))
    if (l->slots[j].hash == h &&
        same_key(c, l->names + l->slots[j].off, l->slots[j].len, name, len))
      collided = 1;
  if (append(&l->names, &l->names_len, &l->names_cap, name, len) != 0 ||
      mklink__grow((void **)&l->collided, &l->collided_cap, l->ncollided + 1, sizeof *l->collided) != 0) {
    c->failed = 1;
    return;
  }
  l->names_len++; /* keep the NUL after the name */
  l->slots[j].hash = h;
  l->slots[j].off = off;
  l->slots[j].len = len;
  l->slots[j].is_link = is_link;
  l->slots[j].reported = 0;
  l->used++;
  if (collided)
    l->collided[l->ncollided++] = j;
}

/* The slot of an entry named exactly NAME in L (as the system compares:
   bytes on POSIX, NTFS's key on Windows), or NULL. */
static const name_slot *set_find(checker *c, const level *l, const char *name, size_t len) {
  uint64_t h;
  size_t j;
  if (l->nslots == 0)
    return NULL;
  h = name_hash(c, name, len);
  for (j = (size_t)h & (l->nslots - 1); l->slots[j].hash != 0; j = (j + 1) & (l->nslots - 1)) {
    const name_slot *s = &l->slots[j];
    if (s->hash != h)
      continue;
#ifdef _WIN32
    if (same_key(c, l->names + s->off, s->len, name, len))
      return s;
#else
    if (s->len == len && memcmp(l->names + s->off, name, len) == 0)
      return s;
#endif
  }
  return NULL;
}

/* ---- levels ----------------------------------------------------------- */

static void level_reset(level *l) {
  /* An empty set is clean already (only set_add fills a slot, and counts
     it): a level opened just after it was closed is not cleared twice. */
  if (l->nslots > 0 && l->used > 0)
    memset(l->slots, 0, l->nslots * sizeof *l->slots);
  l->used = 0;
  l->names_len = 0;
  l->npending = 0;
  l->ncollided = 0;
}

static void level_free(level *l) {
  free(l->path);
  free(l->slots);
  free(l->names);
  free(l->pending);
  free(l->collided);
}

/* C->scratch = L's path joined with NAME. */
static const char *joined(checker *c, const level *l, const char *name, size_t len) {
  size_t n = l->path_len, need = n + len + 2;
  if (mklink__grow((void **)&c->scratch, &c->scratch_cap, need, 1) != 0) {
    c->failed = 1;
    return NULL;
  }
  memcpy(c->scratch, l->path, n);
  if (n > 0 && !mklink__path_is_sep(MKLINK__PATH_NATIVE, l->path[n - 1]))
    c->scratch[n++] = SEP_NATIVE;
  memcpy(c->scratch + n, name, len);
  c->scratch[n + len] = '\0';
  return c->scratch;
}

/* Whether name A sorts before name B, bytewise. */
static int before(const char *a, size_t alen, const char *b, size_t blen) {
  int cmp = memcmp(a, b, alen < blen ? alen : blen);
  return cmp < 0 || (cmp == 0 && alen < blen);
}

/* Report one group of names that NTFS holds for one: every name but the
   first in byte order, each with that first one, so the findings do not
   depend on the order the system listed them in. */
static void report_group(checker *c, level *l, name_slot *s) {
  const char *key_name = l->names + s->off;
  size_t key_len = s->len, j;
  name_slot *first = s;
  char *other;
  for (j = 0; j < l->nslots; j++) {
    name_slot *o = &l->slots[j];
    if (o->hash == s->hash && o != s && same_key(c, l->names + o->off, o->len, key_name, key_len)) {
      o->reported = 1;
      if (before(l->names + o->off, o->len, l->names + first->off, first->len))
        first = o;
    }
  }
  s->reported = 1;
  if (joined(c, l, l->names + first->off, first->len) == NULL ||
      (other = malloc(strlen(c->scratch) + 1)) == NULL) {
    c->failed = 1;
    return;
  }
  strcpy(other, c->scratch);
  for (j = 0; j < l->nslots && c->rc == 0; j++) {
    name_slot *o = &l->slots[j];
    if (o == first || o->hash != s->hash ||
        !same_key(c, l->names + o->off, o->len, key_name, key_len))
      continue;
    if (joined(c, l, l->names + o->off, o->len) == NULL)
      break;
    begin_detail(c);
    say(c, "Windows holds this name and ");
    say_name(c, l->names + first->off, first->len);
    say(c, " for one name (they differ only in case): only one of them can exist there");
    report(c, MKLINK_PORTABLE_CASE_COLLISION, c->scratch, other, 0, 0);
  }
  free(other);
}

static void report_collisions(checker *c, level *l) {
  size_t k;
  for (k = 0; k < l->ncollided && c->rc == 0; k++) {
    name_slot *s = &l->slots[l->collided[k]];
    if (!s->reported)
      report_group(c, l, s);
  }
}

/* Links of L whose target is a name beside them: missing if no such name
   was listed; one that names a link is asked about (a chain may dangle). */
static void settle_links(checker *c, level *l) {
  size_t k;
  for (k = 0; k < l->npending && c->rc == 0; k++) {
    const pending_link *p = &l->pending[k];
    const char *path = l->names + p->path_off, *target = l->names + p->target_off;
    const name_slot *s = set_find(c, l, target, p->target_len);
    mklink_info info;
    int missing;
    if (s != NULL && !s->is_link)
      continue;
    if (s == NULL) {
      missing = 1;
    } else {
      if (mklink_query(path, &info) != 0)
        continue; /* gone meanwhile */
      missing = info.target_checked && !info.target_exists;
      mklink_info_free(&info);
    }
    if (!missing)
      continue;
    begin_detail(c);
    say(c, "the link's target ");
    say_name(c, target, p->target_len);
    say(c, " does not exist: whoever makes this link on Windows must choose a file or a "
           "directory link and cannot tell which");
    report(c, MKLINK_PORTABLE_MISSING_TARGET, path, target, 0, 0);
  }
}

/* Directories deeper than DEPTH - 1 are listed to their end. */
static void close_levels(checker *c, size_t depth) {
  while (c->depth_open >= depth && c->depth_open > 0) {
    level *l = &c->levels[c->depth_open];
    report_collisions(c, l);
    settle_links(c, l);
    level_reset(l);
    c->depth_open--;
  }
}

static void close_all(checker *c) {
  close_levels(c, 1);
  report_collisions(c, &c->levels[0]);
  settle_links(c, &c->levels[0]);
  level_reset(&c->levels[0]);
}

/* Make level DEPTH the directory PATH (units and too_long as given). */
static int open_level(checker *c, size_t depth, const char *path, size_t path_len,
                      size_t units, int too_long) {
  level *l;
  size_t old = c->nlevels;
  if (mklink__grow((void **)&c->levels, &c->nlevels, depth + 1, sizeof *c->levels) != 0)
    return MKLINK_ENOMEM;
  if (c->nlevels > old)
    memset(c->levels + old, 0, (c->nlevels - old) * sizeof *c->levels);
  l = &c->levels[depth];
  l->path_len = 0;
  if (append(&l->path, &l->path_len, &l->path_cap, path, path_len) != 0)
    return MKLINK_ENOMEM;
  l->units = units;
  l->too_long = too_long;
  level_reset(l);
  c->depth_open = depth;
  return 0;
}

/* ---- one entry -------------------------------------------------------- */

static void check_name(checker *c, const char *path, const char *name, size_t len,
                       mklink__name_report *r) {
  char buf[8];
  mklink__name_check(name, len, r);
  if (r->found == 0)
    return;
  if (r->found & MKLINK__NAME_RESERVED) {
    begin_detail(c);
    say_name(c, name, len);
    say(c, " is the device ");
    say(c, r->device);
    say(c, " on Windows, whatever the extension: no file or directory can have this name");
    report(c, MKLINK_PORTABLE_RESERVED_NAME, path, NULL, 0, 0);
  }
  if (r->found & MKLINK__NAME_FORBIDDEN) {
    begin_detail(c);
    say_name(c, name, len);
    snprintf(buf, sizeof buf, "'%c'", name[r->forbidden_at]);
    say(c, " has ");
    say(c, buf);
    say(c, ", a character Windows does not allow in a name (< > : \" \\ | ? *)");
    report(c, MKLINK_PORTABLE_FORBIDDEN_CHAR, path, NULL, 0, 0);
  }
  if (r->found & MKLINK__NAME_CONTROL) {
    begin_detail(c);
    say_name(c, name, len);
    snprintf(buf, sizeof buf, "\\x%02X", (unsigned char)name[r->control_at]);
    say(c, " has the control character ");
    say(c, buf);
    say(c, ": Windows allows none of 1-31 in a name");
    report(c, MKLINK_PORTABLE_CONTROL_CHAR, path, NULL, 0, 0);
  }
  if (r->found & MKLINK__NAME_TRAILING) {
    begin_detail(c);
    say_name(c, name, len);
    say(c, r->trailing == '.' ? " ends in a dot" : " ends in a space");
    say(c, ": Windows strips it from a path, so this entry cannot be opened, renamed or "
           "deleted by its name");
    report(c, MKLINK_PORTABLE_TRAILING_DOT_OR_SPACE, path, NULL, 0, 0);
  }
  if (r->found & MKLINK__NAME_BAD_UTF8) {
    begin_detail(c);
    say_name(c, name, len);
    sayf(c, " is not UTF-8 (byte %zu is \\x%02zX): Windows names are Unicode, so it has no "
            "name there",
         r->bad_at, (unsigned char)name[r->bad_at]);
    report(c, MKLINK_PORTABLE_INVALID_UTF8, path, NULL, 0, 0);
  }
  if (r->found & MKLINK__NAME_TOO_LONG) {
    begin_detail(c);
    sayf(c, "the name is %zu UTF-16 units long: NTFS allows %zu", r->units,
         MKLINK__NAME_MAX_UNITS);
    report(c, MKLINK_PORTABLE_NAME_TOO_LONG, path, NULL, r->units, MKLINK__NAME_MAX_UNITS);
  }
}

/* 1 if the absolute, normalised path P is DIR or below it. */
static int inside_dir(const checker *c, const char *p) {
  size_t n = strlen(c->abs_dir), i;
  if (strlen(p) < n)
    return 0;
  for (i = 0; i < n; i++) {
    char a = c->abs_dir[i], b = p[i];
#ifdef _WIN32
    if (a >= 'a' && a <= 'z') a = (char)(a - 'a' + 'A');
    if (b >= 'a' && b <= 'z') b = (char)(b - 'a' + 'A');
    if (a == '/') a = '\\';
    if (b == '/') b = '\\';
#endif
    if (a != b)
      return 0;
  }
  return p[n] == '\0' || mklink__path_is_sep(MKLINK__PATH_NATIVE, p[n]) ||
         mklink__path_is_sep(MKLINK__PATH_NATIVE, p[n - 1]);
}

/* A target is one plain name: the entry beside the link. */
static int is_plain_name(const char *t, size_t n) {
  size_t i;
  if (n == 0 || (n == 1 && t[0] == '.') || (n == 2 && t[0] == '.' && t[1] == '.'))
    return 0;
  for (i = 0; i < n; i++)
    if (mklink__path_is_sep(MKLINK__PATH_NATIVE, t[i]))
      return 0;
  return 1;
}

static void check_link(checker *c, level *parent, const char *path, const mklink_info *info,
                       size_t depth) {
  const char *t = info->target;
  size_t n = strlen(t);
  pending_link *p;

  if (info->kind == MKLINK_JUNCTION) {
    if (c->abs_dir != NULL && !inside_dir(c, info->resolved)) {
      begin_detail(c);
      say(c, "the junction's target ");
      say_name(c, t, n);
      say(c, " is outside the checked directory: a junction's target is absolute, so it "
             "breaks when the tree moves or is checked out elsewhere");
      report(c, MKLINK_PORTABLE_JUNCTION_OUTSIDE, path, t, 0, 0);
    }
    return;
  }
  if (info->kind != MKLINK_FILE_SYMLINK && info->kind != MKLINK_DIR_SYMLINK)
    return;
  if (mklink__path_root(MKLINK__PATH_NATIVE, t) > 0 ||
      (n > 0 && mklink__path_is_sep(MKLINK__PATH_NATIVE, t[0])) ||
      (MKLINK__PATH_NATIVE == MKLINK__PATH_WIN32 && n >= 2 && t[1] == ':')) {
    begin_detail(c);
    say(c, "the link's target ");
    say_name(c, t, n);
    say(c, MKLINK__PATH_NATIVE == MKLINK__PATH_POSIX
               ? " is an absolute POSIX path: on Windows it means the same path on the "
                 "current drive, which is not there"
               : " is an absolute path: it breaks when the tree moves or is checked out "
                 "elsewhere");
    report(c, MKLINK_PORTABLE_ABSOLUTE_TARGET, path, t, 0, 0);
  } else if (mklink__target_leaves(MKLINK__PATH_NATIVE, t, n, depth - 1)) {
    begin_detail(c);
    say(c, "the link's target ");
    say_name(c, t, n);
    say(c, " leads out of the checked directory: it breaks when the tree is checked out "
           "or copied alone");
    report(c, MKLINK_PORTABLE_TARGET_OUTSIDE, path, t, 0, 0);
  }
  if (is_plain_name(t, n)) {
    /* Settled from the set once the directory is listed: no system call. */
    size_t plen = strlen(path);
    if (mklink__grow((void **)&parent->pending, &parent->pending_cap, parent->npending + 1,
             sizeof *parent->pending) != 0) {
      c->failed = 1;
      return;
    }
    p = &parent->pending[parent->npending];
    p->path_off = parent->names_len;
    p->path_len = plen;
    if (append(&parent->names, &parent->names_len, &parent->names_cap, path, plen + 1) != 0) {
      c->failed = 1;
      return;
    }
    p->target_off = parent->names_len;
    p->target_len = n;
    if (append(&parent->names, &parent->names_len, &parent->names_cap, t, n + 1) != 0) {
      c->failed = 1;
      return;
    }
    parent->npending++;
    return;
  }
  if ((n == 1 && t[0] == '.') || (n == 2 && t[0] == '.' && t[1] == '.'))
    return; /* its own directory, or the one above: both there */
  if (!info->target_checked) {
    mklink_info q;
    int missing;
    if (mklink_query(path, &q) != 0)
      return; /* gone meanwhile */
    missing = q.target_checked && !q.target_exists;
    mklink_info_free(&q);
    if (!missing)
      return;
  } else if (info->target_exists) {
    return;
  }
  {
    begin_detail(c);
    say(c, "the link's target ");
    say_name(c, t, n);
    say(c, " does not exist: whoever makes this link on Windows must choose a file or a "
           "directory link and cannot tell which");
    report(c, MKLINK_PORTABLE_MISSING_TARGET, path, t, 0, 0);
  }
}

static int compare_strings(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Whether the path REL below DIR is one git records as a symbolic link. */
static int git_records_link(checker *c, const char *rel) {
  const char *key = rel;
#ifdef _WIN32
  size_t i, n = strlen(rel);
  if (mklink__grow((void **)&c->scratch, &c->scratch_cap, n + 1, 1) != 0) {
    c->failed = 1;
    return 0;
  }
  for (i = 0; i <= n; i++)
    c->scratch[i] = rel[i] == '\\' ? '/' : rel[i];
  key = c->scratch;
#endif
  return bsearch(&key, c->git_links, c->ngit_links, sizeof *c->git_links, compare_strings) !=
         NULL;
}

static void check_path_length(checker *c, level *parent, const char *path, size_t units,
                              int is_dir, int *too_long) {
  size_t total = MKLINK_PORTABLE_PREFIX + units;
  size_t limit = is_dir ? (c->max_path > DIR_RESERVE ? c->max_path - DIR_RESERVE : 0)
                        : c->max_path;
  *too_long = parent->too_long;
  if (parent->too_long || total <= limit)
    return;
  *too_long = 1;
  begin_detail(c);
  sayf(c, "the path is %zu UTF-16 units long with the \"C:\\\" it needs at least, over the "
          "limit of %zu",
       total, limit);
  say(c, is_dir ? " for a directory (MAX_PATH less room for an 8.3 name within it): "
                  "it and everything below it cannot be made"
                : " (MAX_PATH less its NUL): most Windows programs cannot open it");
  report(c, MKLINK_PORTABLE_PATH_TOO_LONG, path, NULL, total, limit);
}

/* The walk's callback: one entry (or a directory that cannot be read). */
static int on_entry(const mklink_walk_entry *e, void *arg) {
  checker *c = arg;
  const mklink__walk_every_entry *we = (const mklink__walk_every_entry *)e;
  const char *path = e->path, *rel, *name;
  size_t depth = we->depth, name_len = we->name_len, plen = we->path_len, units;
  level *parent;
  mklink__name_report r;
  mklink_kind kind;
  int is_dir, is_link, too_long;

  if (e->error != 0) {
    report_error(c, path, e->error, NULL);
    return c->rc;
  }
  rel = path + c->dir_len;
  while (*rel != '\0' && IS_SEP(*rel))
    rel++;
  name = path + plen - name_len;
  close_levels(c, depth);
  if (c->depth_open + 1 < depth)
    return 0; /* below a directory the check does not enter (".git") */
  parent = &c->levels[depth - 1];
  kind = e->info->kind;
  is_link = kind != MKLINK_NOT_LINK && kind != MKLINK_HARDLINK && kind != MKLINK_MOUNT_POINT;
  is_dir = !is_link && e->info->target_is_dir;

  check_name(c, path, name, name_len, &r);
  units = parent->units + (depth > 1 ? 1 : 0) + r.units;
  check_path_length(c, parent, path, units, is_dir, &too_long);
  set_add(c, parent, name, name_len, is_link);
  if (is_link) {
    check_link(c, parent, path, e->info, depth);
  } else if (kind == MKLINK_MOUNT_POINT) {
    /* The walk never enters one (issue 11): say what was left out. */
    begin_detail(c);
    say(c, "a file system is mounted here (another volume, or a bind mount): it was not "
           "entered, so nothing behind it was checked; check it as a DIR of its own");
    report(c, MKLINK_PORTABLE_MOUNT_POINT, path, NULL, 0, 0);
    is_dir = 0; /* no level of its own: nothing comes from below it */
  } else if (!is_dir && c->ngit_links > 0 && git_records_link(c, rel)) {
    begin_detail(c);
    say(c, "git records this as a symbolic link, but here it is a regular file: the text "
           "stub git writes where it makes no links (core.symlinks=false)");
    report(c, MKLINK_PORTABLE_GIT_SYMLINK_STUB, path, NULL, 0, 0);
  }
  if (c->failed)
    return MKLINK_ENOMEM;
  if (c->rc != 0)
    return c->rc;
  if (!is_dir)
    return 0;
  if (name_len == 4 && memcmp(name, ".git", 4) == 0)
    return MKLINK__WALK_PRUNE; /* git's own: never checked out */
  if (open_level(c, depth, path, plen, units, too_long) != 0)
    return MKLINK_ENOMEM;
  return 0;
}

/* ---- git ----------------------------------------------------------------- */

/* The paths git's index records as symbolic links, sorted. */
static int read_git_links(checker *c) {
  char *out = NULL, *message = NULL, *p, *end;
  size_t len = 0, n = 0, cap = 0;
  int rc = mklink__git_ls_stage(c->dir, &out, &len, &message);
  if (rc == MKLINK_ENOTSUP || rc == MKLINK_ENOFILE)
    return 0; /* no git here, or DIR is in no work tree: nothing to ask */
  if (rc != 0) {
    report_error(c, c->dir, rc, message);
    free(message);
    return c->rc;
  }
  free(message);
  /* "MODE OBJECT STAGE\tPATH\0" per entry. */
  for (p = out, end = out + len; p < end; p += strlen(p) + 1) {
    char *tab = strchr(p, '\t');
    if (tab == NULL || strncmp(p, "120000 ", 7) != 0)
      continue;
    if (mklink__grow((void **)&c->git_links, &cap, n + 1, sizeof *c->git_links) != 0) {
      free(out);
      return MKLINK_ENOMEM;
    }
    c->git_links[n++] = tab + 1;
  }
  c->ngit_links = n;
  if (n == 0) {
    free(out);
    return 0;
  }
  qsort(c->git_links, n, sizeof *c->git_links, compare_strings);
  c->git_buffer = out;
  return 0;
}

/* ---- the check ---------------------------------------------------------- */

const char *mklink_portable_kind_name(mklink_portable_kind kind) {
  switch (kind) {
  case MKLINK_PORTABLE_RESERVED_NAME:
    return "reserved-name";
  case MKLINK_PORTABLE_FORBIDDEN_CHAR:
    return "forbidden-char";
  case MKLINK_PORTABLE_CONTROL_CHAR:
    return "control-char";
  case MKLINK_PORTABLE_TRAILING_DOT_OR_SPACE:
    return "trailing-dot-or-space";
  case MKLINK_PORTABLE_INVALID_UTF8:
    return "invalid-utf8";
  case MKLINK_PORTABLE_NAME_TOO_LONG:
    return "name-too-long";
  case MKLINK_PORTABLE_PATH_TOO_LONG:
    return "path-too-long";
  case MKLINK_PORTABLE_CASE_COLLISION:
    return "case-collision";
  case MKLINK_PORTABLE_ABSOLUTE_TARGET:
    return "absolute-target";
  case MKLINK_PORTABLE_TARGET_OUTSIDE:
    return "target-outside";
  case MKLINK_PORTABLE_MISSING_TARGET:
    return "missing-target";
  case MKLINK_PORTABLE_JUNCTION_OUTSIDE:
    return "junction-outside";
  case MKLINK_PORTABLE_GIT_SYMLINK_STUB:
    return "git-symlink-stub";
  case MKLINK_PORTABLE_MOUNT_POINT:
    return "mount-point";
  }
  return "unknown";
}

#define MKLINK__PORTABLE_FLAGS MKLINK_PORTABLE_NO_GIT

/* DIR as the walk will list it: a directory (a link to one is followed),
   and its absolute path, for the junctions' targets (NULL if it cannot be
   had: they are then not checked).  Looked at first, so that nothing else
   (git) is asked about a DIR that is not there. */
static int look_at_dir(const char *dir, char **abs) {
  mklink_info info;
  int rc = mklink_query(dir, &info);
  *abs = NULL;
  if (rc == MKLINK_ENOFILE)
    return MKLINK_ENOPATH;
  if (rc != 0)
    return rc;
  if (info.kind != MKLINK_NOT_LINK && info.target_checked && !info.target_exists)
    rc = MKLINK_ENOPATH; /* a dangling link */
  else if (!info.target_is_dir)
    rc = MKLINK_EINVAL;
  else if (info.resolved != NULL && (*abs = malloc(strlen(info.resolved) + 1)) != NULL)
    strcpy(*abs, info.resolved);
  mklink_info_free(&info);
  return rc;
}

static void checker_free(checker *c) {
  size_t k;
  for (k = 0; k < c->nlevels; k++)
    level_free(&c->levels[k]);
  free(c->levels);
  free(c->abs_dir);
  free(c->detail);
  free(c->scratch);
  free(c->key_a);
  free(c->key_b);
  free(c->git_links);
  free(c->git_buffer);
}

int mklink_check_portable(const char *dir, const mklink_portable_options *opts,
                          mklink_portable_cb cb, void *arg) {
  checker c;
  int rc;

  if (dir == NULL || dir[0] == '\0' || cb == NULL ||
      (opts != NULL && (opts->flags & ~MKLINK__PORTABLE_FLAGS) != 0))
    return MKLINK_EINVAL;
  memset(&c, 0, sizeof c);
  c.dir = dir;
  c.dir_len = strlen(dir);
  c.max_path = opts != NULL && opts->max_path > 0 ? opts->max_path : MKLINK_PORTABLE_MAX_PATH;
  c.flags = opts != NULL ? opts->flags : 0;
  c.cb = cb;
  c.arg = arg;
  if ((rc = open_level(&c, 0, dir, c.dir_len, 0, 0)) != 0)
    goto out;
  if ((rc = look_at_dir(dir, &c.abs_dir)) != 0)
    goto out;
  if (!(c.flags & MKLINK_PORTABLE_NO_GIT) && (rc = read_git_links(&c)) != 0)
    goto out;
  rc = mklink__walk(dir, MKLINK_WALK_RECURSIVE | MKLINK__WALK_EVERY, on_entry, &c);
  if (rc == MKLINK__WALK_PRUNE)
    rc = 0;
  if (rc == 0 || rc == c.rc) {
    close_all(&c);
    if (rc == 0)
      rc = c.failed ? MKLINK_ENOMEM : c.rc;
  }
out:
  checker_free(&c);
  return rc;
}

/*
 * manifest.h -- what the files of src/manifest share.
 *
 * The manifest code is OS-free: it reads a YAML file (parse.c), expands it
 * into entries (expand.c: variables, home, globs, clean), looks at the disk
 * and computes a plan (plan.c), and carries the plan out step by step with a
 * journal (apply.c), all over the public API and the primitives of
 * internal.h.  docs/manifest.md describes the format and the journal's
 * states.
 */
#ifndef MKLINK_MANIFEST_H
#define MKLINK_MANIFEST_H

#include "internal.h"
#include "path.h"

#include <stddef.h>

/* Link options of an entry, after the defaults. */
#define MM_CREATE 0x01u         /* make missing parents                   */
#define MM_RELINK 0x02u         /* replace a link to something else       */
#define MM_FORCE 0x04u          /* force: (backed up unless --force)       */
#define MM_RELATIVE 0x08u       /* store the target relative to the link  */
#define MM_IGNORE_MISSING 0x10u /* link even if the target is missing     */
#define MM_GLOB 0x20u           /* the target is a glob pattern           */
#define MM_BACKUP 0x40u         /* backup: (newer dotbot)                 */
#define MM_CLEAN_FORCE 0x80u    /* clean: also links pointing elsewhere   */
#define MM_CLEAN_RECURSIVE 0x100u

#define MM_MAX_KINDS 4

/* One entry: the public view first, so a pointer to it is one to this. */
typedef struct mm_entry {
  mklink_manifest_entry e;
  unsigned opts;
  mklink_kind kinds[MM_MAX_KINDS]; /* kinds[0] is e.kind; then fallback: */
  unsigned nkinds;
  unsigned mode;                   /* MKDIR: the directory's mode           */
  const char *target_abs;          /* LINK: the target, absolute            */
  const char *sym_text;            /* LINK: what a symbolic link stores     */
  int target_is_dir;               /* plan: what the target is              */
  mklink_kind found_kind;          /* plan: the kind of the link found      */
} mm_entry;

/* A block of the string arena. */
typedef struct mm_block {
  struct mm_block *next;
  size_t used, cap;
  char data[];
} mm_block;

/* dircache.c: each directory listed once while a plan or check runs. */
typedef struct mm_dircache mm_dircache;
int mm_dircache_new(mm_dircache **out);
void mm_dircache_free(mm_dircache *c);
/* What PATH's name is in its directory's listing: MKLINK__NODE_NONE (not
   there, or no such directory), _FILE, _DIR, _LINK, _OTHER, or _UNKNOWN
   (the listing cannot tell: ask the system). */
int mm_dircache_type(mm_dircache *c, const char *path, int *type);
/* 1 if the link at PATH is better read at once than looked up in its
   directory's listing (most names read there so far were there); then
   mm_dircache_tally() says whether it was. */
int mm_dircache_reads(mm_dircache *c, const char *path);
void mm_dircache_tally(mm_dircache *c, const char *path, int found);
/* 1 if DIR could be listed (so it is a directory). */
int mm_dircache_is_dir(mm_dircache *c, const char *dir);

struct mklink_manifest {
  char *file;      /* the manifest, absolute                         */
  char *base;      /* its directory: targets are relative to it      */
  char *home;      /* ~                                              */
  unsigned flags;  /* MKLINK_MANIFEST_*                              */
  mm_entry *v;
  size_t n, cap;
  char *error;     /* the last MKLINK_EMANIFEST's message            */
  unsigned error_line, error_column;
  mm_block *arena;
  mm_dircache *cache; /* while a check or a plan runs, else NULL */
};

/* ---- manifest.c: the object ------------------------------------------- */

int mm_new(mklink_manifest **out);
/* Set M's file (FILE made absolute) and base (its directory). */
int mm_locate(mklink_manifest *m, const char *file);
/* A copy of S (LEN bytes) that lives as long as M; NULL if out of memory. */
char *mm_strndup(mklink_manifest *m, const char *s, size_t len);
char *mm_strdup(mklink_manifest *m, const char *s);
/* A new entry, zeroed but for op, directive and position; NULL: no memory. */
mm_entry *mm_add(mklink_manifest *m, mklink_manifest_op op, const char *directive,
                 unsigned line, unsigned column);
/* Record a manifest error at LINE:COLUMN; returns MKLINK_EMANIFEST. */
int mm_fail(mklink_manifest *m, unsigned line, unsigned column, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* ---- parse.c: YAML to entries ------------------------------------------ */

/* Parse DATA (LEN bytes) into M's entries, calling expand.c as it goes. */
int mm_parse(mklink_manifest *m, const char *data, size_t len);

/* ---- expand.c: paths ----------------------------------------------------- */

/* ~, $VAR, ${VAR} and %VAR% expanded in IN; *NOTE gets a warning (arena) for
   a variable that is not set (left as written), else is left alone. */
int mm_expand(mklink_manifest *m, const char *in, char **out, const char **note);
/* IN (expanded) made absolute against the manifest's directory and
   normalised. */
int mm_absolute(mklink_manifest *m, const char *in, char **out);
/* The directory part and the last component of absolute PATH. */
int mm_parent(mklink_manifest *m, const char *path, char **out);
const char *mm_basename(const char *path);

/* 1 if NAME (one component) matches glob PATTERN (one component): * ? [..]
   [!..]; a leading '.' is matched only by a pattern that starts with one. */
int mm_match_name(const char *pattern, const char *name);
/* 1 if relative PATH matches relative glob PATTERN, component by component,
   "**" matching any number of components. */
int mm_match_path(const char *pattern, const char *path);

/* Every match of PATTERN (relative to the manifest's directory), relative
   to it, for CB; the order is sorted.  "**" matches recursively, and then
   only files are kept (dotbot's rule) unless PATTERN ends with '/'. */
typedef int (*mm_glob_cb)(const char *match, void *arg);
int mm_glob(mklink_manifest *m, const char *pattern, mm_glob_cb cb, void *arg);

/* The dangling links that clean: removes from DIR (absolute), as entries. */
int mm_clean(mklink_manifest *m, const char *dir, unsigned opts, unsigned line,
             unsigned column);

/* The name of this OS in os: lists ("linux", "windows", "macos"). */
const char *mm_os_name(void);

/* ---- plan.c --------------------------------------------------------------- */

/* The state of entry E on disk now (check), with found / made set. */
int mm_look(mklink_manifest *m, mm_entry *e);
/* What E's target is (followed), through the listings where they tell. */
int mm_target_type(mklink_manifest *m, const mm_entry *e, int *type);
/* The text a link of KIND to E's target stores (junction: absolute). */
const char *mm_text_for(const mm_entry *e, mklink_kind kind);

#endif /* MKLINK_MANIFEST_H */

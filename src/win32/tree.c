/*
 * tree.c -- the tree walk engine on Win32 (src/common/tree.h has the
 * interface and the race-safety rules; src/posix/tree.c is the other half).
 *
 * Design note.  Each directory of the current path is a frame on a heap
 * stack: a handle on it, opened with FILE_FLAG_OPEN_REPARSE_POINT (so what
 * opens is the name itself, and it must say "a directory, no reparse
 * point") and held without FILE_SHARE_DELETE while the walk is inside, so
 * nobody can rename or replace it, and since every level is held the same
 * way the paths built below them keep naming the directories the walk
 * opened; and its listing, read whole when it is entered (FindFirstFileExW /
 * FindNextFileW, the find handle closed at once) into one arena shared by
 * every level.  Nothing recurses: the C stack does not grow with the depth,
 * only the heap does (a frame and the listing of each level on the path).
 * Every level is held: Win32 has no ".." to climb by handle, and a handle
 * costs the system little.
 *
 * Every name is given to the system as its full path under \\?\ (\\?\UNC\
 * for a network path), built in one growing buffer beside the path handed
 * out: Win32 path parsing would otherwise strip a trailing dot or space
 * (a name "a." would be listed and then not found, issue 10.3), take
 * "aux.c" for a device, and fail a path over MAX_PATH.
 *
 * A listed reparse point is looked at (mklink__wlstat, the one stat of the
 * backend) when it is handed out: a symbolic link, a junction, a volume
 * mount point (a MOUNT_POINT naming \??\Volume{...}: MKLINK__TREE_MOUNT,
 * never entered, never removed), or another reparse point whose data lives
 * behind it (MKLINK__TREE_REPARSE).
 *
 * Under Wine (docs/wine.md) Win32 cannot be trusted with Unix symbolic
 * links: DeleteFileW deletes a link's target, RemoveDirectoryW an empty
 * target directory, a link to a file is listed as the file and a dangling
 * one not at all.  So entering a directory also lists its Unix symbolic
 * links on the Unix side (mklink__wine_each_link, which opens it O_NOFOLLOW:
 * a directory swapped for a Unix link is not entered): each is marked in
 * the listing (a dangling one added to it) and described and removed as
 * the link it is, never through Win32.  A Unix link Win32 lists under
 * another name (Wine shortens names it cannot show) makes every file of
 * that directory be asked about on the Unix side.  Where the Unix side
 * cannot be examined, the directory is listed as Win32 shows it, and
 * nothing in it is removed (MKLINK_ENOTSUP): it cannot tell a link from a
 * file there.
 */
#include "win32.h"

#include "reparse.h"
#include "tree.h"

#include <stdlib.h>
#include <string.h>

#define DIR_ACCESS (FILE_LIST_DIRECTORY | FILE_READ_ATTRIBUTES)
/* No FILE_SHARE_DELETE: a directory held cannot be renamed or removed. */
#define HOLD_SHARE (FILE_SHARE_READ | FILE_SHARE_WRITE)
#define SHARE_ALL (FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE)
#define NO_FOLLOW (FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT)

/* A listed entry's flags. */
#define REC_UNIX_LINK 0x1u /* a Unix symbolic link (Wine)                 */

/* One listed entry in the arena: its UTF-16 name, then its UTF-8 name. */
typedef struct rec {
  size_t size; /* bytes to the next record */
  DWORD attrs; /* as listed (0 for a link only the Unix side lists) */
  unsigned flags;
  size_t nlen; /* UTF-8 bytes  */
  size_t wlen; /* UTF-16 units */
  wchar_t wname[];
} rec;

#define REC_NAME(r) ((char *)((r)->wname + (r)->wlen + 1))

typedef struct frame {
  HANDLE h;                    /* the directory, held (rule 3)         */
  size_t path_len;             /* its path in t->path                  */
  size_t wlen;                 /* its system path in t->wpath          */
  size_t list_start, list_end; /* its listing in t->arena              */
  size_t pos;                  /* the next record to hand out          */
  size_t rec;                  /* its own record, in its parent's      */
  int blind;  /* Wine without a Unix side: nothing is removed here     */
  int unsure; /* Wine: a Unix link listed under another name           */
} frame;

struct mklink__tree {
  unsigned flags;
  frame *frames;
  size_t depth, cap;
  size_t depth_base;
  char *arena;
  size_t arena_len, arena_cap;
  char *path; /* the path handed out: TOP as given and the names      */
  size_t path_cap;
  size_t top_len;
  wchar_t *wpath; /* the current entry's system path, \\?\...         */
  size_t wpath_cap;
  mklink__wstat st; /* the current entry, as mklink__wlstat says      */
  int st_valid;
  mklink__reparse *rp; /* ... and its decoded reparse buffer          */
  char *text;          /* its link text (describe, readlink)          */
  char *dir;           /* its directory, absolute, UTF-8              */
  char *resolved;      /* describe's resolved path                    */
  size_t resolved_cap;
  char *unames; /* entering: the Unix links, [matched][hidden]name\0... */
  size_t unames_len, unames_cap;
  mklink__tree_entry cur;
  size_t cur_frame, cur_rec;
};

/* ---- small helpers ------------------------------------------------------ */

static int grow_bytes(char **buf, size_t *cap, size_t need) {
  return mklink__grow((void **)buf, cap, need, 1);
}

static int grow_wide(mklink__tree *t, size_t need) {
  return mklink__grow((void **)&t->wpath, &t->wpath_cap, need, sizeof(wchar_t));
}

static int is_dot_or_dotdot(const wchar_t *name) {
  return name[0] == L'.' && (name[1] == L'\0' || (name[1] == L'.' && name[2] == L'\0'));
}

static int is_wsep(wchar_t c) { return c == L'\\' || c == L'/'; }

static rec *rec_at(const mklink__tree *t, size_t off) { return (rec *)(t->arena + off); }

static int not_found(DWORD err) {
  return err == ERROR_FILE_NOT_FOUND || err == ERROR_PATH_NOT_FOUND;
}

/* ---- listings ------------------------------------------------------------ */

/* Append a record for WNAME (WLEN units) to the arena. */
static int add_rec(mklink__tree *t, const wchar_t *wname, size_t wlen, DWORD attrs,
                   unsigned flags) {
  char name[1024]; /* 255 UTF-16 units: at most 765 bytes */
  size_t nlen, size;
  rec *r;
  int rc = mklink__utf8(wname, (int)wlen, name, sizeof name);
  if (rc != 0)
    return rc;
  nlen = strlen(name);
  size = (offsetof(rec, wname) + (wlen + 1) * sizeof(wchar_t) + nlen + 1 + 7) & ~(size_t)7;
  if ((rc = grow_bytes(&t->arena, &t->arena_cap, t->arena_len + size)) != 0)
    return rc;
  r = rec_at(t, t->arena_len);
  r->size = size;
  r->attrs = attrs;
  r->flags = flags;
  r->nlen = nlen;
  r->wlen = wlen;
  memcpy(r->wname, wname, wlen * sizeof(wchar_t));
  r->wname[wlen] = L'\0';
  memcpy(REC_NAME(r), name, nlen + 1);
  t->arena_len += size;
  return 0;
}

/* The listing of the directory at t->wpath[0 .. WLEN). */
static int read_listing(mklink__tree *t, size_t wlen) {
  WIN32_FIND_DATAW fd;
  HANDLE h;
  DWORD err;
  int rc;
  if ((rc = grow_wide(t, wlen + 3)) != 0)
    return rc;
  memcpy(t->wpath + wlen, L"\\*", 3 * sizeof(wchar_t));
  /* Basic: no 8.3 name looked up; large fetch: fewer trips to the system. */
  h = os_FindFirstFileExW(t->wpath, FindExInfoBasic, &fd, FindExSearchNameMatch, NULL,
                          FIND_FIRST_EX_LARGE_FETCH);
  t->wpath[wlen] = L'\0';
  if (h == INVALID_HANDLE_VALUE)
    return os_GetLastError() == ERROR_FILE_NOT_FOUND ? 0 : mklink__last_error();
  do {
    if (!is_dot_or_dotdot(fd.cFileName) &&
        (rc = add_rec(t, fd.cFileName, wcslen(fd.cFileName), fd.dwFileAttributes, 0)) != 0)
      break;
  } while (os_FindNextFileW(h, &fd));
  err = rc == 0 ? os_GetLastError() : ERROR_NO_MORE_FILES;
  os_FindClose(h);
  if (rc == 0 && err != ERROR_NO_MORE_FILES)
    rc = mklink__error(err);
  return rc;
}

/* mklink__wine_each_link's callback: NAME, in UNAMES. */
static int collect_link(void *arg, const char *name, int hidden) {
  mklink__tree *t = arg;
  size_t n = strlen(name);
  int rc = grow_bytes(&t->unames, &t->unames_cap, t->unames_len + n + 3);
  if (rc != 0)
    return rc;
  t->unames[t->unames_len] = 0;
  t->unames[t->unames_len + 1] = (char)hidden;
  memcpy(t->unames + t->unames_len + 2, name, n + 1);
  t->unames_len += n + 3;
  return 0;
}

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a + 2, *(char *const *)b + 2);
}

/* Mark the Unix symbolic links among F's listed entries, and add those
   Win32 does not list (dangling ones).  A link that leads somewhere but is
   not listed by its name is listed under another: F is then unsure. */
static int merge_unix_links(mklink__tree *t, frame *f) {
  size_t n = 0, i, at;
  char **names, *key;
  int rc = 0;
  for (at = 0; at < t->unames_len; at += strlen(t->unames + at + 2) + 3)
    n++;
  if (n == 0)
    return 0;
  if ((names = malloc(n * sizeof *names)) == NULL)
    return MKLINK_ENOMEM;
  for (i = 0, at = 0; at < t->unames_len; at += strlen(t->unames + at + 2) + 3)
    names[i++] = t->unames + at;
  qsort(names, n, sizeof *names, cmp_names);
  for (at = f->list_start; at < t->arena_len; at += rec_at(t, at)->size) {
    rec *r = rec_at(t, at);
    char **hit;
    key = REC_NAME(r) - 2; /* cmp_names skips two bytes */
    hit = bsearch(&key, names, n, sizeof *names, cmp_names);
    if (hit != NULL) {
      r->flags |= REC_UNIX_LINK;
      (*hit)[0] = 1;
    }
  }
  for (i = 0; rc == 0 && i < n; i++) {
    wchar_t *w;
    if (names[i][0])
      continue;
    if (!names[i][1]) {
      f->unsure = 1;
      continue;
    }
    if ((rc = mklink__wtext(names[i] + 2, &w)) == 0) {
      rc = add_rec(t, w, wcslen(w), 0, REC_UNIX_LINK);
      free(w);
    }
  }
  free(names);
  return rc;
}

/*
 * Push the directory H, whose system path is t->wpath[0 .. WLEN), as a new
 * level and list it.  FOLLOW: TOP, which may be reached through a link.
 * On failure H is closed and nothing is pushed; MKLINK_EBUSY: under Wine it
 * is a Unix symbolic link now.
 */
static int push(mklink__tree *t, HANDLE h, size_t path_len, size_t wlen, size_t rec_off,
                int follow) {
  frame *f;
  size_t start;
  int rc, blind = 0, unsure;
  if (t->depth == t->cap &&
      (rc = mklink__grow((void **)&t->frames, &t->cap, t->cap + 1, sizeof *t->frames)) != 0) {
    os_CloseHandle(h);
    return rc;
  }
  f = &t->frames[t->depth];
  memset(f, 0, sizeof *f);
  f->list_start = t->arena_len;
  t->unames_len = 0;
  t->wpath[wlen] = L'\0';
  rc = mklink__wine_each_link(t->wpath, follow, collect_link, t);
  if (rc == MKLINK_ENOTSUP)
    blind = 1, rc = 0;
  if (rc == 0)
    rc = read_listing(t, wlen);
  if (rc == 0)
    rc = merge_unix_links(t, f);
  if (rc != 0) {
    os_CloseHandle(h);
    t->arena_len = f->list_start; /* nothing pushed */
    return rc;
  }
  start = f->list_start;
  unsure = f->unsure;
  *f = (frame){.h = h, .path_len = path_len, .wlen = wlen, .list_start = start,
               .list_end = t->arena_len, .pos = start, .rec = rec_off, .blind = blind,
               .unsure = unsure};
  t->depth++;
  return 0;
}

static void pop(mklink__tree *t) {
  frame *f = &t->frames[--t->depth];
  if (f->h != INVALID_HANDLE_VALUE)
    os_CloseHandle(f->h);
  t->arena_len = f->list_start;
}

/* ---- the current entry ---------------------------------------------------- */

static mklink__tree_type type_of_stat(const mklink__wstat *st) {
  switch (st->kind) {
  case MKLINK_FILE_SYMLINK:
  case MKLINK_DIR_SYMLINK:
    return MKLINK__TREE_SYMLINK;
  case MKLINK_JUNCTION:
    return MKLINK__TREE_JUNCTION;
  case MKLINK_OTHER_REPARSE:
    /* A MOUNT_POINT that is no junction names a volume. */
    return st->tag == MKLINK__IO_REPARSE_TAG_MOUNT_POINT ? MKLINK__TREE_MOUNT
                                                         : MKLINK__TREE_REPARSE;
  default:
    return (st->attrs & FILE_ATTRIBUTE_DIRECTORY) ? MKLINK__TREE_DIR : MKLINK__TREE_FILE;
  }
}

/* Look at the current entry by its system path: t->st, the type.  1 if it
   is gone. */
static int look(mklink__tree *t) {
  mklink__tree_entry *e = &t->cur;
  int rc = mklink__wlstat(t->wpath, &t->st, t->rp);
  t->st_valid = rc == 0;
  if (rc == MKLINK_ENOFILE || rc == MKLINK_ENOPATH)
    return 1;
  if (rc != 0)
    return rc;
  e->type = type_of_stat(&t->st);
  return 0;
}

/* What an operation found in place of the entry: MKLINK__TREE_CHANGED
   with the type it has now, or why it could not be looked at. */
static int changed(mklink__tree *t) {
  int rc = mklink__tree_stat(t);
  return rc == 0 ? MKLINK__TREE_CHANGED : rc;
}

/* Does the record need a look before its type is known? */
static int needs_look(const mklink__tree *t, const frame *f, const rec *r) {
  (void)t;
  return (r->attrs & FILE_ATTRIBUTE_REPARSE_POINT) || (r->flags & REC_UNIX_LINK) ||
         (f->unsure && !(r->attrs & FILE_ATTRIBUTE_DIRECTORY));
}

/* Make the record at REC_OFF of frames[FI] the current entry: its paths are
   written, its type known.  1 if it is gone or not asked for (skip it). */
static int set_entry(mklink__tree *t, size_t fi, size_t rec_off, mklink__tree_event event) {
  frame *f = &t->frames[fi];
  rec *r = rec_at(t, rec_off);
  mklink__tree_entry *e = &t->cur;
  size_t at = f->path_len, wat = f->wlen;
  int rc = grow_bytes(&t->path, &t->path_cap, at + r->nlen + 2);
  if (rc == 0)
    rc = grow_wide(t, wat + r->wlen + 3);
  if (rc != 0)
    return rc;
  if (at > 0 && t->path[at - 1] != '\\' && t->path[at - 1] != '/')
    t->path[at++] = '\\';
  memcpy(t->path + at, REC_NAME(r), r->nlen + 1);
  t->wpath[wat] = L'\\';
  memcpy(t->wpath + wat + 1, r->wname, (r->wlen + 1) * sizeof(wchar_t));
  e->event = event;
  e->error = 0;
  e->depth = fi + t->depth_base;
  e->name = REC_NAME(r);
  e->name_len = r->nlen;
  e->path = t->path;
  e->path_len = at + r->nlen;
  e->rel = e->depth == 0 ? e->path_len
                         : t->top_len + (t->path[t->top_len] == '\\' ||
                                         t->path[t->top_len] == '/');
  e->have_stat = 0;
  e->type = (r->attrs & FILE_ATTRIBUTE_DIRECTORY) ? MKLINK__TREE_DIR : MKLINK__TREE_FILE;
  t->st_valid = 0;
  t->cur_frame = fi;
  t->cur_rec = rec_off;
  if (event == MKLINK__TREE_LEAVE) {
    e->type = MKLINK__TREE_DIR;
    return 0;
  }
  if (!needs_look(t, f, r))
    return 0;
  if ((rc = look(t)) != 0) {
    if (rc == 1)
      return 1;
    /* Unreadable (a malformed buffer, a Linux name Win32 cannot take...):
       as listed, never entered. */
    if (r->flags & REC_UNIX_LINK)
      e->type = MKLINK__TREE_SYMLINK;
    else if (r->attrs & FILE_ATTRIBUTE_REPARSE_POINT)
      e->type = MKLINK__TREE_REPARSE;
    return 0;
  }
  if ((t->flags & MKLINK__TREE_NO_FILES) &&
      (e->type == MKLINK__TREE_FILE || e->type == MKLINK__TREE_REPARSE))
    return 1;
  return 0;
}

/* The next record of the deepest level that is to be handed out, as the
   current entry: 1, or 0 when that level is listed to its end. */
static int next_record(mklink__tree *t) {
  size_t fi = t->depth - 1;
  for (;;) {
    frame *f = &t->frames[fi];
    size_t at = f->pos;
    rec *r;
    int rc;
    if (at == f->list_end)
      return 0;
    r = rec_at(t, at);
    f->pos += r->size;
    /* Not asked for: not even a path is made. */
    if ((t->flags & MKLINK__TREE_NO_FILES) && !needs_look(t, f, r) &&
        !(r->attrs & FILE_ATTRIBUTE_DIRECTORY))
      continue;
    if ((rc = set_entry(t, fi, at, MKLINK__TREE_ENTRY)) != 1)
      return rc == 0 ? 1 : rc;
  }
}

int mklink__tree_next(mklink__tree *t, const mklink__tree_entry **out) {
  size_t c, rec_off;
  int rc;
  if (t->depth == 0)
    return 0;
  if ((rc = next_record(t)) != 0) {
    *out = &t->cur;
    return rc;
  }
  /* The deepest level is listed to its end: the walk is back in its
     parent, its LEAVE the current entry (TOP's own level: the end). */
  c = t->depth - 1;
  rec_off = t->frames[c].rec;
  pop(t);
  if (c == 0)
    return 0;
  rc = set_entry(t, c - 1, rec_off, MKLINK__TREE_LEAVE);
  *out = &t->cur;
  return rc < 0 ? rc : 1;
}

/* ---- operations on the current entry ---------------------------------------- */

static unsigned long long u64(DWORD high, DWORD low) {
  return (unsigned long long)high << 32 | low;
}

/* FILETIME (100 ns since 1601) as seconds and nanoseconds since 1970. */
static void unix_time(const FILETIME *ft, long long *sec, long *nsec) {
  long long t = (long long)u64(ft->dwHighDateTime, ft->dwLowDateTime) - 116444736000000000LL;
  *sec = t / 10000000;
  *nsec = (long)(t % 10000000) * 100;
}

static void fill_attrs(mklink__tree_attrs *out, const BY_HANDLE_FILE_INFORMATION *fi) {
  memset(out, 0, sizeof *out);
  out->dev = fi->dwVolumeSerialNumber;
  out->ino = u64(fi->nFileIndexHigh, fi->nFileIndexLow);
  out->size = u64(fi->nFileSizeHigh, fi->nFileSizeLow);
  out->nlink = fi->nNumberOfLinks;
  out->mode = fi->dwFileAttributes;
  unix_time(&fi->ftLastAccessTime, &out->atime_sec, &out->atime_nsec);
  unix_time(&fi->ftLastWriteTime, &out->mtime_sec, &out->mtime_nsec);
  unix_time(&fi->ftLastWriteTime, &out->ctime_sec, &out->ctime_nsec);
}

/* The current entry's attributes from a handle on the name itself. */
static int stat_itself(mklink__tree *t) {
  BY_HANDLE_FILE_INFORMATION fi;
  HANDLE h = os_CreateFileW(t->wpath, FILE_READ_ATTRIBUTES, SHARE_ALL, NULL, OPEN_EXISTING,
                            NO_FOLLOW, NULL);
  BOOL ok;
  DWORD err;
  if (h == INVALID_HANDLE_VALUE)
    return not_found(os_GetLastError()) ? MKLINK_ENOFILE : mklink__last_error();
  ok = os_GetFileInformationByHandle(h, &fi);
  err = ok ? 0 : os_GetLastError();
  os_CloseHandle(h);
  if (!ok)
    return mklink__error(err);
  fill_attrs(&t->cur.st, &fi);
  return 0;
}

int mklink__tree_stat(mklink__tree *t) {
  mklink__tree_entry *e = &t->cur;
  int rc = look(t);
  if (rc == 1)
    return MKLINK_ENOFILE;
  if (rc != 0)
    return rc;
  if (t->st.unix_link) {
    /* Opening it would follow it: what the Unix side said. */
    memset(&e->st, 0, sizeof e->st);
    e->st.nlink = 1;
    e->st.mode = t->st.attrs;
  } else if ((rc = stat_itself(t)) != 0) {
    return rc;
  }
  e->have_stat = 1;
  return 0;
}

int mklink__tree_enter(mklink__tree *t) {
  mklink__tree_entry *e = &t->cur;
  BY_HANDLE_FILE_INFORMATION fi;
  size_t path_len = e->path_len, rec_off = t->cur_rec;
  size_t wlen = t->frames[t->cur_frame].wlen + 1 + rec_at(t, rec_off)->wlen;
  HANDLE h;
  int rc;
  if (e->type != MKLINK__TREE_DIR)
    return MKLINK_EINVAL;
  h = os_CreateFileW(t->wpath, DIR_ACCESS, HOLD_SHARE, NULL, OPEN_EXISTING, NO_FOLLOW, NULL);
  if (h == INVALID_HANDLE_VALUE)
    return not_found(os_GetLastError()) ? MKLINK_ENOFILE : mklink__last_error();
  if (!os_GetFileInformationByHandle(h, &fi)) {
    rc = mklink__last_error();
    os_CloseHandle(h);
    return rc;
  }
  if (!(fi.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) ||
      (fi.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT)) {
    os_CloseHandle(h); /* a link, a mount point, a file now */
    return changed(t);
  }
  rc = push(t, h, path_len, wlen, rec_off, 0);
  if (rc == MKLINK_EBUSY) {
    t->wpath[wlen] = L'\0';
    return changed(t); /* a Unix symbolic link now */
  }
  e->name = REC_NAME(rec_at(t, rec_off)); /* the arena may have moved */
  return rc;
}

/* t->st and t->rp for the current entry, if not known yet. */
static int need_look(mklink__tree *t) {
  int rc;
  if (t->st_valid)
    return 0;
  rc = look(t);
  return rc == 1 ? MKLINK_ENOFILE : rc;
}

/* The link text of the current entry into t->text (with FOLLOW, its target
   looked at), described in OUT. */
static int describe_step(mklink__tree *t, int follow, mklink_info *out) {
  int rc = need_look(t);
  if (rc != 0)
    return rc;
  free(t->text);
  t->text = NULL;
  memset(out, 0, sizeof *out);
  return mklink__wdescribe(t->wpath, &t->st, t->rp, follow, out, &t->text);
}

int mklink__tree_readlink(mklink__tree *t, const char **text, size_t *len) {
  mklink_info info;
  int rc = describe_step(t, 0, &info);
  if (rc != 0)
    return rc;
  if (t->text == NULL)
    return MKLINK_ENOTLINK;
  *text = t->text;
  *len = strlen(t->text);
  return 0;
}

/* The current entry's directory, absolute, in t->dir: its system path
   without \\?\ ("C:\...", "\\server\share\..."). */
static int entry_dir(mklink__tree *t, const char **out) {
  const frame *f = &t->frames[t->cur_frame];
  wchar_t keep = t->wpath[f->wlen];
  const wchar_t *w;
  int rc;
  t->wpath[f->wlen] = L'\0';
  free(t->dir);
  t->dir = NULL;
  w = mklink__wstrip_long(t->wpath);
  if (w == t->wpath && wcsncmp(w, L"\\\\?\\UNC\\", 8) == 0) {
    rc = mklink__utf8_dup(w + 6, &t->dir); /* "C\server": the C becomes \ */
    if (rc == 0)
      t->dir[0] = '\\';
  } else {
    rc = mklink__utf8_dup(w, &t->dir);
  }
  t->wpath[f->wlen] = keep;
  *out = t->dir;
  return rc;
}

int mklink__tree_describe(mklink__tree *t, unsigned how, mklink_info *out) {
  mklink__tree_entry *e = &t->cur;
  int follow = (how & MKLINK__DESCRIBE_FOLLOW) != 0;
  const char *dir;
  size_t need;
  int rc = describe_step(t, follow, out);
  if (rc != 0)
    return rc;
  e->type = type_of_stat(&t->st);
  if (e->type == MKLINK__TREE_MOUNT)
    out->kind = MKLINK_MOUNT_POINT;
  if (t->text != NULL && (how & MKLINK__DESCRIBE_DANGLING) && follow && out->target_exists)
    return 1;
  if ((rc = entry_dir(t, &dir)) != 0)
    return rc;
  need = strlen(dir) + (t->text != NULL ? strlen(t->text) : e->name_len) + 2;
  if ((rc = grow_bytes(&t->resolved, &t->resolved_cap, need)) != 0)
    return rc;
  /* Windows takes ".." in a link lexically: from the link's directory. */
  if (t->text != NULL)
    rc = mklink__path_absolute(MKLINK__PATH_WIN32, dir, t->text, t->resolved, t->resolved_cap);
  else
    rc = mklink__path_join(MKLINK__PATH_WIN32, dir, strlen(dir), e->name, t->resolved,
                           t->resolved_cap);
  out->target = t->text != NULL ? t->text : "";
  out->resolved = t->resolved;
  return rc;
}

/* A removal of the current entry failed with ERR: what it is now decides. */
static int removal_failed(mklink__tree *t, DWORD err) {
  int rc;
  if (not_found(err))
    return MKLINK_ENOFILE;
  if (err == ERROR_DIR_NOT_EMPTY)
    return MKLINK_ENOTEMPTY;
  if (err == ERROR_ACCESS_DENIED || err == ERROR_DIRECTORY) {
    /* A directory where a file was, or the reverse: looked at again. */
    if ((rc = changed(t)) != MKLINK__TREE_CHANGED)
      return rc;
    if (t->cur.type == MKLINK__TREE_DIR || t->cur.type == MKLINK__TREE_MOUNT ||
        err == ERROR_DIRECTORY)
      return MKLINK__TREE_CHANGED;
  }
  return mklink__error(err);
}

/* Is the current entry a Unix symbolic link (Wine)? */
static int is_unix_link(const mklink__tree *t) {
  return (rec_at(t, t->cur_rec)->flags & REC_UNIX_LINK) || (t->st_valid && t->st.unix_link);
}

/* Remove it on the Unix side: by its directory and its Linux name when the
   Unix side listed it there, else by its path (TOP itself, or a name Wine
   shortened). */
static int unlink_unix_link(mklink__tree *t) {
  const frame *f = &t->frames[t->cur_frame];
  int rc;
  if (!(rec_at(t, t->cur_rec)->flags & REC_UNIX_LINK) || t->cur.depth == 0)
    return mklink__wine_unlink(t->wpath);
  t->wpath[f->wlen] = L'\0';
  rc = mklink__wine_unlink_in(t->wpath, t->cur.name);
  t->wpath[f->wlen] = L'\\';
  return rc;
}

int mklink__tree_unlink(mklink__tree *t) {
  mklink__tree_entry *e = &t->cur;
  DWORD attrs;
  BOOL ok;
  int rc;
  if (t->frames[t->cur_frame].blind)
    return MKLINK_ENOTSUP; /* a file here may be a Unix link in disguise */
  if (e->type == MKLINK__TREE_DIR || e->type == MKLINK__TREE_MOUNT)
    return changed(t);
  if (is_unix_link(t)) {
    rc = unlink_unix_link(t); /* never its target */
    return rc == MKLINK_ENOTLINK ? changed(t) : rc;
  }
  if (t->st_valid && t->st.unix_blind)
    return MKLINK_ENOTSUP;
  attrs = t->st_valid ? t->st.attrs : rec_at(t, t->cur_rec)->attrs;
  ok = (attrs & FILE_ATTRIBUTE_DIRECTORY) ? os_RemoveDirectoryW(t->wpath)
                                          : os_DeleteFileW(t->wpath);
  if (ok)
    return 0;
  rc = removal_failed(t, os_GetLastError());
  return rc == MKLINK_ENOTEMPTY ? changed(t) : rc;
}

int mklink__tree_rmdir(mklink__tree *t) {
  if (t->frames[t->cur_frame].blind)
    return MKLINK_ENOTSUP;
  if (os_RemoveDirectoryW(t->wpath))
    return 0;
  return removal_failed(t, os_GetLastError());
}

int mklink__tree_open_file(mklink__tree *t, intptr_t *handle) {
  mklink__tree_entry *e = &t->cur;
  BY_HANDLE_FILE_INFORMATION fi;
  HANDLE h;
  if (is_unix_link(t))
    return changed(t); /* opening it would follow it */
  h = os_CreateFileW(t->wpath, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, NO_FOLLOW,
                     NULL);
  if (h == INVALID_HANDLE_VALUE)
    return not_found(os_GetLastError()) ? MKLINK_ENOFILE : mklink__last_error();
  if (!os_GetFileInformationByHandle(h, &fi)) {
    int rc = mklink__last_error();
    os_CloseHandle(h);
    return rc;
  }
  if (fi.dwFileAttributes & (FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_REPARSE_POINT)) {
    os_CloseHandle(h);
    return changed(t);
  }
  fill_attrs(&e->st, &fi);
  e->have_stat = 1;
  *handle = (intptr_t)h;
  return 0;
}

void mklink__tree_close_file(intptr_t handle) { os_CloseHandle((HANDLE)handle); }

/* ---- opening and closing ------------------------------------------------------ */

/* TOP's system path in t->wpath: its full path under \\?\ (\\?\UNC\ for a
   UNC path), without a trailing separator but a root's ("\\?\C:\" stays
   openable).  *LEN: its units. */
static int system_path(mklink__tree *t, const char *top, size_t *len) {
  wchar_t *w = NULL, *full = NULL;
  const wchar_t *prefix = L"";
  size_t n, skip = 0;
  int rc = mklink__wpath(top, &w);
  if (rc == 0)
    rc = mklink__wfull(w, &full);
  free(w);
  if (rc != 0)
    return rc;
  if (!(full[0] == L'\\' && full[1] == L'\\' && (full[2] == L'?' || full[2] == L'.') &&
        full[3] == L'\\')) {
    if (is_wsep(full[0]) && is_wsep(full[1]))
      prefix = L"\\\\?\\UNC", skip = 1; /* \\server\share -> \\?\UNC\server\share */
    else
      prefix = L"\\\\?\\";
  }
  n = wcslen(prefix) + wcslen(full + skip);
  if ((rc = grow_wide(t, n + 512)) == 0) {
    wcscpy(t->wpath, prefix);
    wcscat(t->wpath, full + skip);
    while (n > 1 && is_wsep(t->wpath[n - 1]) && t->wpath[n - 2] != L':')
      t->wpath[--n] = L'\0';
    *len = n;
  }
  free(full);
  return rc;
}

/* The length of N units of the system path without a root's trailing
   separator ("\\?\C:\" -> "\\?\C:", to which names are joined). */
static size_t join_len(const mklink__tree *t, size_t n) {
  return n > 0 && is_wsep(t->wpath[n - 1]) ? n - 1 : n;
}

/* TOP as given (LEN bytes): where every path handed out starts. */
static int keep_top(mklink__tree *t, const char *top, size_t len) {
  if (grow_bytes(&t->path, &t->path_cap, len + 512) != 0)
    return MKLINK_ENOMEM;
  t->top_len = len;
  memcpy(t->path, top, len);
  t->path[len] = '\0';
  return 0;
}

/* TOP as a directory: a link there is followed (`dir LINK` lists what it
   points to), never one below it. */
static int open_top_dir(mklink__tree *t, const char *top) {
  DWORD attrs = 0;
  size_t n;
  HANDLE h;
  int rc = mklink__wattributes(top, &attrs);
  if (rc == MKLINK_ENOFILE)
    return MKLINK_ENOPATH;
  if (rc == 0 && !(attrs & FILE_ATTRIBUTE_DIRECTORY))
    return MKLINK_EINVAL;
  if (rc != 0 || (rc = system_path(t, top, &n)) != 0 ||
      (rc = keep_top(t, top, strlen(top))) != 0)
    return rc;
  h = os_CreateFileW(t->wpath, DIR_ACCESS, HOLD_SHARE, NULL, OPEN_EXISTING,
                     FILE_FLAG_BACKUP_SEMANTICS, NULL);
  if (h == INVALID_HANDLE_VALUE)
    return not_found(os_GetLastError()) ? MKLINK_ENOPATH : mklink__last_error();
  t->depth_base = 1;
  return push(t, h, t->top_len, join_len(t, n), 0, 1);
}

static int is_sep8(char c) { return c == '\\' || c == '/'; }

/* TOP as an entry of its directory: "TREE\" is TREE, so a trailing
   separator never makes a link to a directory count as the directory. */
static int open_top_entry(mklink__tree *t, const char *top) {
  size_t len = strlen(top), start, n, sep, end;
  mklink__wstat st;
  wchar_t keep;
  frame *f;
  HANDLE h;
  int rc;
  while (len > 1 && is_sep8(top[len - 1]) && top[len - 2] != ':')
    len--;
  for (start = len; start > 0 && !is_sep8(top[start - 1]) && top[start - 1] != ':'; start--)
    ;
  if (start == len)
    return MKLINK_EINVAL; /* a root: "C:\", "\", "" */
  if ((rc = keep_top(t, top, len)) != 0)
    return rc;
  if (strcmp(t->path + start, ".") == 0 || strcmp(t->path + start, "..") == 0)
    return MKLINK_EINVAL; /* "." and ".." are not names */
  if ((rc = system_path(t, t->path, &n)) != 0)
    return rc;
  for (sep = n; sep > 0 && !is_wsep(t->wpath[sep - 1]); sep--)
    ;
  if (sep == 0 || sep == n)
    return MKLINK_EINVAL;
  rc = mklink__wlstat(t->wpath, &st, NULL);
  if (rc != 0)
    return rc; /* ENOFILE: TOP is missing; ENOPATH: its directory */
  /* TOP's directory, held while TOP is worked on ("\\?\C:\" keeps its
     separator: "\\?\C:" would be the volume). */
  end = sep >= 2 && t->wpath[sep - 2] == L':' ? sep : sep - 1;
  keep = t->wpath[end];
  t->wpath[end] = L'\0';
  h = os_CreateFileW(t->wpath, FILE_READ_ATTRIBUTES, HOLD_SHARE, NULL, OPEN_EXISTING,
                     FILE_FLAG_BACKUP_SEMANTICS, NULL);
  t->wpath[end] = keep;
  if (h == INVALID_HANDLE_VALUE)
    return not_found(os_GetLastError()) ? MKLINK_ENOPATH : mklink__last_error();
  if ((rc = mklink__grow((void **)&t->frames, &t->cap, 1, sizeof *t->frames)) != 0 ||
      (rc = add_rec(t, t->wpath + sep, n - sep, st.attrs,
                    st.unix_link ? REC_UNIX_LINK : 0)) != 0) {
    os_CloseHandle(h);
    return rc;
  }
  f = &t->frames[0];
  memset(f, 0, sizeof *f);
  f->h = h;
  f->path_len = start;
  f->wlen = sep - 1;
  f->list_start = 0;
  f->list_end = t->arena_len;
  f->blind = mklink__wine_side() == MKLINK__UNIX_BLIND;
  t->depth = 1;
  t->depth_base = 0;
  return 0;
}

/* The walk's start: T allocated, TOP looked at (see tree.h). */
static int start(mklink__tree *t, const char *top, unsigned flags) {
  t->flags = flags;
  if ((t->rp = malloc(sizeof *t->rp)) == NULL)
    return MKLINK_ENOMEM;
  if (top == NULL || top[0] == '\0')
    return (flags & MKLINK__TREE_TOP_ENTRY) ? MKLINK_EINVAL : MKLINK_ENOPATH;
  return flags & MKLINK__TREE_TOP_ENTRY ? open_top_entry(t, top) : open_top_dir(t, top);
}

int mklink__tree_open(const char *top, unsigned flags, mklink__tree **out) {
  mklink__tree *t = calloc(1, sizeof *t);
  int rc = t != NULL ? start(t, top, flags) : MKLINK_ENOMEM;
  *out = rc == 0 ? t : NULL;
  if (rc != 0)
    mklink__tree_close(t);
  return rc;
}

void mklink__tree_close(mklink__tree *t) {
  void *owned[9];
  size_t i;
  if (t == NULL)
    return;
  while (t->depth > 0)
    pop(t);
  owned[0] = t->frames, owned[1] = t->arena, owned[2] = t->path, owned[3] = t->wpath;
  owned[4] = t->rp, owned[5] = t->text, owned[6] = t->dir, owned[7] = t->resolved;
  owned[8] = t->unames;
  for (i = 0; i < sizeof owned / sizeof *owned; i++)
    free(owned[i]);
  free(t);
}

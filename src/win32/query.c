/*
 * query.c -- what a name is, never following it: FSCTL_GET_REPARSE_POINT on
 * a handle opened with FILE_FLAG_OPEN_REPARSE_POINT, decoded by the codec.
 */
#include "win32.h"

#include "reparse.h"

#include <stdlib.h>
#include <string.h>

#define MKLINK__SHARE_ALL (FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE)
#define MKLINK__NO_FOLLOW (FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT)

/* WPATH itself, a reparse point not followed, opened to read about it. */
static HANDLE open_itself(const wchar_t *wpath) {
  return os_CreateFileW(wpath, FILE_READ_ATTRIBUTES, MKLINK__SHARE_ALL, NULL, OPEN_EXISTING,
                        MKLINK__NO_FOLLOW, NULL);
}

/* Close H after a call on it that answered OK: 0, or the call's error
   (read before CloseHandle can change it). */
static int close_after(HANDLE h, BOOL ok) {
  DWORD err = ok ? 0 : os_GetLastError();
  os_CloseHandle(h);
  return ok ? 0 : mklink__error(err);
}

int mklink__read_reparse(const wchar_t *wpath, unsigned char *buf, DWORD *len) {
  HANDLE h = open_itself(wpath);
  *len = 0;
  if (h == INVALID_HANDLE_VALUE)
    return mklink__last_error();
  return close_after(h, os_DeviceIoControl(h, FSCTL_GET_REPARSE_POINT, NULL, 0, buf,
                                           MKLINK__REPARSE_MAX, len, NULL));
}

static int is_volume_name(const mklink__reparse *r) {
  static const char prefix[] = "\\??\\Volume{";
  size_t i, n = sizeof prefix - 1;
  if (r->subst_len < n)
    return 0;
  for (i = 0; i < n; i++)
    if (r->subst[i] != (uint16_t)prefix[i])
      return 0;
  return 1;
}

/* The kind a decoded reparse point stands for.  A MOUNT_POINT naming a
   volume (\??\Volume{...}) is a volume mount point, not a junction. */
static mklink_kind reparse_kind(int decoded, const mklink__reparse *r, DWORD attrs) {
  if (decoded != 0)
    return MKLINK_OTHER_REPARSE;
  if (r->tag == MKLINK__IO_REPARSE_TAG_SYMLINK)
    return (attrs & FILE_ATTRIBUTE_DIRECTORY) ? MKLINK_DIR_SYMLINK : MKLINK_FILE_SYMLINK;
  return is_volume_name(r) ? MKLINK_OTHER_REPARSE : MKLINK_JUNCTION;
}

static int stat_reparse(const wchar_t *wpath, mklink__wstat *st, mklink__reparse *r) {
  unsigned char *buf = malloc(MKLINK__REPARSE_MAX);
  DWORD len;
  int err, decoded;
  if (buf == NULL)
    return MKLINK_ENOMEM;
  err = mklink__read_reparse(wpath, buf, &len);
  if (err == MKLINK_ENOTLINK) {
    /* The attribute says reparse point but the system cannot read one (Wine
       shows a Unix symbolic link so): something, but not a link we know. */
    st->kind = MKLINK_OTHER_REPARSE;
    err = 0;
    goto out;
  }
  if (err != 0)
    goto out;
  decoded = mklink__reparse_decode(buf, len, r);
  if (decoded < 0) {
    err = decoded;
    goto out;
  }
  st->tag = r->tag;
  st->kind = reparse_kind(decoded, r, st->attrs);
out:
  free(buf);
  return err;
}

int mklink__wfile_id(const wchar_t *wpath, mklink__wstat *st) {
  BY_HANDLE_FILE_INFORMATION fi;
  HANDLE h = open_itself(wpath);
  int err;
  if (h == INVALID_HANDLE_VALUE)
    return mklink__last_error();
  if ((err = close_after(h, os_GetFileInformationByHandle(h, &fi))) != 0)
    return err;
  st->nlink = fi.nNumberOfLinks;
  st->volume = fi.dwVolumeSerialNumber;
  st->index_high = fi.nFileIndexHigh;
  st->index_low = fi.nFileIndexLow;
  st->kind = fi.nNumberOfLinks > 1 ? MKLINK_HARDLINK : MKLINK_NOT_LINK;
  return 0;
}

/* Under Wine a name Win32 shows as a plain file, as an unreadable reparse
   point, or not at all (a dangling link) may be a Unix symbolic link: the
   Unix side says (wine_bridge.c).  R or a buffer of our own receives its
   text in Windows form. */
static int describe_unix(const wchar_t *wpath, DWORD attrs, mklink__wstat *st,
                         mklink__reparse *r) {
  mklink__reparse *own = NULL;
  int err;
  if (r == NULL && (r = own = malloc(sizeof *r)) == NULL)
    return MKLINK_ENOMEM;
  err = mklink__wine_describe(wpath, attrs, st, r);
  free(own);
  return err;
}

int mklink__wlstat(const wchar_t *wpath, mklink__wstat *st, mklink__reparse *r) {
  mklink__reparse *own = NULL;
  int err;
  memset(st, 0, sizeof *st);
  st->nlink = 1;
  /* GetFileAttributesW describes a final reparse point itself, not its
     target. */
  st->attrs = os_GetFileAttributesW(wpath);
  if (st->attrs == INVALID_FILE_ATTRIBUTES) {
    err = mklink__last_error();
    /* Following a dangling Unix symbolic link fails (missing target, or
       missing directory of it, or a loop): the link itself is there. */
    if ((err == MKLINK_ENOFILE || err == MKLINK_ENOPATH || err == MKLINK_ELOOP) &&
        describe_unix(wpath, INVALID_FILE_ATTRIBUTES, st, r) == 0)
      return 0;
    memset(st, 0, sizeof *st);
    return err;
  }
  if (st->attrs & FILE_ATTRIBUTE_REPARSE_POINT) {
    if (r == NULL && (r = own = malloc(sizeof *r)) == NULL)
      return MKLINK_ENOMEM;
    err = stat_reparse(wpath, st, r);
    if (err == 0 && st->kind == MKLINK_OTHER_REPARSE && st->tag == 0) {
      /* Unreadable: Wine shows a Unix symbolic link so. */
      err = mklink__wine_describe(wpath, st->attrs, st, r);
      err = err == MKLINK__NOT_UNIX_LINK ? 0 : err;
    }
    free(own);
    return err;
  }
  if (st->attrs & FILE_ATTRIBUTE_DIRECTORY) {
    st->kind = MKLINK_NOT_LINK;
    return 0;
  }
  err = describe_unix(wpath, st->attrs, st, r);
  if (err != MKLINK__NOT_UNIX_LINK)
    return err;
  return mklink__wfile_id(wpath, st);
}

/* ---- mklink_query ------------------------------------------------------- */

/* The stored target as text: the print name, or the substitute name without
   its \??\ (\??\UNC\x as \\x) when a writer left the print name empty. */
static int stored_target(const mklink__reparse *r, wchar_t **out) {
  const uint16_t *name = r->print;
  size_t len = r->print_len, skip = 0;
  int unc = 0;
  if (len == 0) {
    name = r->subst;
    len = r->subst_len;
    if (len >= 4 && name[0] == '\\' && name[1] == '?' && name[2] == '?' && name[3] == '\\')
      skip = 4;
    if (len >= 8 && skip == 4 && name[4] == 'U' && name[5] == 'N' && name[6] == 'C' &&
        name[7] == '\\') {
      skip = 7;
      unc = 1;
    }
  }
  *out = malloc((len - skip + 2) * sizeof(wchar_t));
  if (*out == NULL)
    return MKLINK_ENOMEM;
  if (unc)
    (*out)[0] = L'\\';
  memcpy(*out + unc, name + skip, (len - skip) * sizeof(wchar_t));
  (*out)[unc + len - skip] = L'\0';
  return 0;
}

/* Does the link lead somewhere?  Asked of the system, which follows it. */
static void probe_target(const wchar_t *wpath, mklink_info *out) {
  BY_HANDLE_FILE_INFORMATION fi;
  HANDLE h = os_CreateFileW(wpath, FILE_READ_ATTRIBUTES, MKLINK__SHARE_ALL, NULL,
                            OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
  out->target_checked = 1;
  if (h == INVALID_HANDLE_VALUE)
    return;
  if (os_GetFileInformationByHandle(h, &fi)) {
    out->target_exists = 1;
    out->target_is_dir = (fi.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0;
  }
  os_CloseHandle(h);
}

/*
 * OUT's strings for a link at WPATH storing TARGET (UTF-8, TLEN bytes): the
 * target, and the target resolved lexically against WPATH's directory, as
 * Windows resolves a link (".." in the text is taken lexically, whatever
 * the directory holds).  One block holds both.
 */
static int link_strings(const wchar_t *wpath, const char *target, size_t tlen,
                        mklink_info *out) {
  char *path = NULL, *joined = NULL, *block = NULL;
  const char *base, *from = target;
  size_t dir_len, base_len;
  int err = 0;
  if (!mklink__path_is_absolute(MKLINK__PATH_WIN32, target)) {
    err = mklink__utf8_dup(wpath, &path);
    if (err == 0) {
      mklink__path_split(MKLINK__PATH_WIN32, path, &dir_len, &base, &base_len);
      joined = malloc(dir_len + tlen + 2);
      err = joined == NULL ? MKLINK_ENOMEM
                           : mklink__path_join(MKLINK__PATH_WIN32, path, dir_len, target,
                                               joined, dir_len + tlen + 2);
      from = joined;
    }
  }
  if (err == 0)
    err = mklink__absolute(from, tlen + 1, 0, &block);
  if (err == 0) {
    memcpy(block, target, tlen + 1);
    out->target = block;
    out->resolved = block + tlen + 1;
  }
  free(path);
  free(joined);
  return err;
}

int mklink__wdescribe(const wchar_t *wpath, const mklink__wstat *st, const mklink__reparse *r,
                      int follow, mklink_info *out, char **text) {
  wchar_t *target = NULL;
  int err;
  *text = NULL;
  out->kind = st->kind;
  out->nlink = st->kind == MKLINK_HARDLINK || st->kind == MKLINK_NOT_LINK ? st->nlink : 1;
  if (st->kind != MKLINK_FILE_SYMLINK && st->kind != MKLINK_DIR_SYMLINK &&
      st->kind != MKLINK_JUNCTION) {
    /* A plain entry, a hard link, a reparse point that is no link. */
    out->target_checked = 1;
    out->target_exists = 1;
    out->target_is_dir = (st->attrs & FILE_ATTRIBUTE_DIRECTORY) != 0;
    return 0;
  }
  err = stored_target(r, &target);
  if (err == 0)
    err = mklink__utf8_dup(target, text);
  free(target);
  if (err == 0 && follow)
    probe_target(wpath, out); /* else not looked at: target_checked stays 0 */
  return err;
}

/* A plain entry (or a hard link): its resolved path is WPATH made
   absolute. */
static int entry_strings(const wchar_t *wpath, mklink_info *out) {
  char *block;
  int err = mklink__wabsolute(wpath, 1, 0, &block);
  if (err != 0)
    return err;
  block[0] = '\0';
  out->target = block;
  out->resolved = block + 1;
  return 0;
}

int mklink__query(const char *path, mklink_info *out) { return mklink__wquery(path, 1, out); }

int mklink__wquery(const char *path, int follow, mklink_info *out) {
  mklink__wstat st;
  mklink__reparse *r = NULL;
  wchar_t *wpath = NULL;
  char *text = NULL;
  int err;
  memset(out, 0, sizeof *out);
  err = mklink__wpath(path, &wpath);
  if (err != 0)
    return err;
  r = malloc(sizeof *r);
  if (r == NULL) {
    err = MKLINK_ENOMEM;
    goto out;
  }
  err = mklink__wlstat(wpath, &st, r);
  if (err != 0)
    goto out;
  err = mklink__wdescribe(wpath, &st, r, follow, out, &text);
  if (err == 0)
    err = text != NULL ? link_strings(wpath, text, strlen(text), out) : entry_strings(wpath, out);
  free(text);
out:
  free(r);
  free(wpath);
  if (err != 0) {
    mklink_info_free(out);
    memset(out, 0, sizeof *out);
  }
  return err;
}

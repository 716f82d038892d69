/*
 * create.c -- mklink [/D|/H|/J] on Win32, with every create verified: a
 * system may answer TRUE and create nothing (Wine 8 for symbolic links), so
 * success is what is found on disk afterwards, not what the call returned.
 * Where the system's way makes no symbolic link or junction and the library
 * runs under Wine with the Unix side proven reachable, the link is made as a
 * Unix symbolic link instead (the Wine bridge, wine_bridge.c).
 */
#include "win32.h"

#include "reparse.h"

#include <stdlib.h>
#include <string.h>

static int is_symlink_kind(mklink_kind kind) {
  return kind == MKLINK_FILE_SYMLINK || kind == MKLINK_DIR_SYMLINK;
}

static int is_dir_kind(mklink_kind kind) {
  return kind == MKLINK_DIR_SYMLINK || kind == MKLINK_JUNCTION;
}

/* Remove what a create that failed verification may have left at WLINK: a
   reparse point or an empty directory.  A plain file is never removed: it
   cannot be ours, and it may hold data. */
static void undo_half_made(const wchar_t *wlink) {
  mklink__wstat st;
  int err = mklink__wlstat(wlink, &st, NULL);
  if (err != 0 && err != MKLINK_EBADREPARSE)
    return;
  if (st.attrs & FILE_ATTRIBUTE_REPARSE_POINT)
    mklink__unlink_link(wlink, &st);
  else if (st.attrs & FILE_ATTRIBUTE_DIRECTORY)
    os_RemoveDirectoryW(wlink); /* fails, as it should, if not empty */
}

/* After the system said yes: is WLINK there, and of KIND? */
static int verify_kind(const wchar_t *wlink, mklink_kind kind) {
  mklink__wstat st;
  if (mklink__wlstat(wlink, &st, NULL) == 0 && st.kind == kind)
    return 0;
  undo_half_made(wlink);
  return MKLINK_ENOTCREATED;
}

/* ---- symbolic links ----------------------------------------------------- */

static int create_symlink(const wchar_t *wlink, const wchar_t *wtarget, mklink_kind kind) {
  DWORD flags = kind == MKLINK_DIR_SYMLINK ? SYMBOLIC_LINK_FLAG_DIRECTORY : 0;
  if (!os_CreateSymbolicLinkW(wlink, wtarget,
                              flags | SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE)) {
    DWORD err = os_GetLastError();
    /* Windows before 10 1703 rejects the unprivileged flag itself. */
    if (err != ERROR_INVALID_PARAMETER)
      return mklink__error(err);
    if (!os_CreateSymbolicLinkW(wlink, wtarget, flags))
      return mklink__last_error();
  }
  return verify_kind(wlink, kind);
}

/* ---- junctions ---------------------------------------------------------- */

static int set_reparse(const wchar_t *wdir, const unsigned char *buf, size_t len) {
  DWORD ret, err = 0;
  BOOL ok;
  HANDLE h = os_CreateFileW(wdir, GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                            FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT, NULL);
  if (h == INVALID_HANDLE_VALUE)
    return mklink__last_error();
  ok = os_DeviceIoControl(h, FSCTL_SET_REPARSE_POINT, (LPVOID)buf, (DWORD)len, NULL, 0,
                          &ret, NULL);
  if (!ok)
    err = os_GetLastError();
  os_CloseHandle(h);
  return ok ? 0 : mklink__error(err);
}

/* A junction may cross local volumes but never reach the network: UNC names
   are refused by the codec, mapped network drives here. */
static int check_local(const wchar_t *full) {
  wchar_t root[4];
  if (full[0] == L'\0' || full[1] != L':')
    return 0;
  root[0] = full[0];
  root[1] = L':';
  root[2] = L'\\';
  root[3] = L'\0';
  return os_GetDriveTypeW(root) == DRIVE_REMOTE ? MKLINK_EREMOTE : 0;
}

static int create_junction(const wchar_t *wlink, const wchar_t *full) {
  mklink__reparse *r = malloc(sizeof *r);
  unsigned char *buf = malloc(MKLINK__REPARSE_MAX);
  size_t len = 0;
  int err = r == NULL || buf == NULL ? MKLINK_ENOMEM : 0;
  if (err == 0)
    err = check_local(full);
  if (err == 0)
    err = mklink__reparse_make_junction((const uint16_t *)full, wcslen(full), r);
  if (err == 0)
    err = mklink__reparse_encode(r, buf, MKLINK__REPARSE_MAX, &len);
  if (err != 0)
    goto out;
  if (!os_CreateDirectoryW(wlink, NULL)) {
    err = mklink__last_error();
    goto out;
  }
  err = set_reparse(wlink, buf, len);
  if (err != 0)
    os_RemoveDirectoryW(wlink); /* the directory is ours and still empty */
  else
    err = verify_kind(wlink, MKLINK_JUNCTION);
out:
  free(r);
  free(buf);
  return err;
}

/* ---- hard links --------------------------------------------------------- */

static int exists(const wchar_t *wpath) {
  return os_GetFileAttributesW(wpath) != INVALID_FILE_ATTRIBUTES;
}

/* The directory LINK (UTF-8) is in, malloc'ed: "." for a bare name. */
static int parent_of(const char *link, char **out) {
  const char *base;
  size_t dir_len, base_len;
  mklink__path_split(MKLINK__PATH_WIN32, link, &dir_len, &base, &base_len);
  if (dir_len == 0) {
    link = ".";
    dir_len = 1;
  }
  *out = malloc(dir_len + 1);
  if (*out == NULL)
    return MKLINK_ENOMEM;
  memcpy(*out, link, dir_len);
  (*out)[dir_len] = '\0';
  return 0;
}

/* ERROR_FILE_NOT_FOUND and ERROR_PATH_NOT_FOUND both come back for either
   missing name (Wine answers 2 where Windows answers 3): look which. */
static int hardlink_missing(const char *link, const wchar_t *wtarget, DWORD err) {
  char *parent;
  DWORD attrs = 0;
  int rc;
  if (!exists(wtarget))
    return MKLINK_ENOFILE;
  if (parent_of(link, &parent) != 0)
    return MKLINK_ENOMEM;
  rc = mklink__wattributes(parent, &attrs);
  free(parent);
  if (rc != 0 || !(attrs & FILE_ATTRIBUTE_DIRECTORY))
    return MKLINK_ENOPATH;
  return mklink__error(err);
}

/*
 * The volume checks cmd's mklink /H makes before CreateHardLinkW (its own
 * messages for them, MSG_NTFS_ARE_REQUIRED and MSG_MUST_BE_ON_THE_SAME_NTFS,
 * show that it looks first): TARGET and LINK's directory each on a local
 * volume (MKLINK_EREMOTE) whose file system is NTFS or says it has hard
 * links (MKLINK_ENOTSUP: FAT, exFAT), and both on the same volume
 * (MKLINK_EXDEV).  The file system is asked through a handle
 * (GetVolumeInformationByHandleW): by root path, Wine reads the raw device of
 * Z: and prints a complaint on stderr.  What the system will not tell is not
 * held against the link: an entry that cannot be opened or a volume that
 * cannot be named is left to CreateHardLinkW, which reports its own error.
 */
#ifndef FILE_SUPPORTS_HARD_LINKS
#define FILE_SUPPORTS_HARD_LINKS 0x00400000
#endif

/* \\server\share\... or \\?\UNC\server\...: a network name. */
static int is_unc(const wchar_t *p) {
  if (wcsncmp(p, L"\\\\?\\UNC\\", 8) == 0)
    return 1;
  return p[0] == L'\\' && p[1] == L'\\' && p[2] != L'?' && p[2] != L'.';
}

/* The volume WPATH lies on ("C:\", "\\server\share\", a mount folder),
   malloc'ed, with its final separator; *OUT NULL if the system cannot say. */
static int volume_of(const wchar_t *wpath, wchar_t **out) {
  size_t n = wcslen(wpath) + MAX_PATH + 2, len; /* a relative WPATH: cwd's volume */
  wchar_t *v = malloc(n * sizeof *v);
  *out = NULL;
  if (v == NULL)
    return MKLINK_ENOMEM;
  if (!os_GetVolumePathNameW(wpath, v, (DWORD)n)) {
    free(v);
    return 0;
  }
  len = wcslen(v);
  if (len + 1 < n && (len == 0 || v[len - 1] != L'\\'))
    wcscat(v, L"\\"); /* Wine leaves it off a mount point named exactly */
  *out = v;
  return 0;
}

/* MKLINK_EREMOTE, MKLINK_ENOTSUP or 0 for the volume VOLUME (may be NULL)
   of the existing entry WPATH. */
static int check_volume(const wchar_t *wpath, const wchar_t *volume) {
  wchar_t fs[32];
  DWORD flags = 0;
  HANDLE h;
  BOOL ok;
  if (volume == NULL ? is_unc(wpath) : is_unc(volume) || os_GetDriveTypeW(volume) == DRIVE_REMOTE)
    return MKLINK_EREMOTE;
  h = os_CreateFileW(wpath, 0, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                     OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT,
                     NULL);
  if (h == INVALID_HANDLE_VALUE)
    return 0;
  ok = os_GetVolumeInformationByHandleW(h, NULL, 0, NULL, NULL, &flags, fs, 32);
  os_CloseHandle(h);
  if (ok && _wcsicmp(fs, L"NTFS") != 0 && !(flags & FILE_SUPPORTS_HARD_LINKS))
    return MKLINK_ENOTSUP;
  return 0;
}

static int check_hardlink_volumes(const char *link, const wchar_t *wlink,
                                  const wchar_t *wtarget) {
  wchar_t *parent = NULL, *vlink = NULL, *vtarget = NULL;
  char *parent8 = NULL;
  int err = parent_of(link, &parent8);
  if (err == 0)
    err = mklink__wpath(parent8, &parent);
  free(parent8);
  if (err == 0)
    err = volume_of(wtarget, &vtarget);
  if (err == 0)
    err = volume_of(wlink, &vlink);
  if (err == 0)
    err = check_volume(wtarget, vtarget);
  if (err == 0)
    err = check_volume(parent, vlink);
  if (err == 0 && vlink != NULL && vtarget != NULL &&
      _wcsicmp(mklink__wstrip_long(vlink), mklink__wstrip_long(vtarget)) != 0)
    err = MKLINK_EXDEV;
  free(parent);
  free(vlink);
  free(vtarget);
  return err;
}

static int create_hardlink(const char *link, const wchar_t *wlink, const wchar_t *wtarget) {
  mklink__wstat link_st, target;
  int err = check_hardlink_volumes(link, wlink, wtarget);
  if (err != 0)
    return err;
  if (!os_CreateHardLinkW(wlink, wtarget, NULL)) {
    DWORD err = os_GetLastError();
    if (err == ERROR_FILE_NOT_FOUND || err == ERROR_PATH_NOT_FOUND)
      return hardlink_missing(link, wtarget, err);
    return mklink__error(err);
  }
  /* The same file under two names: one volume, one file index, two links
     (TARGET may itself be a symbolic link: both are opened, not followed).
     Whatever else may be at LINK now is not ours to remove. */
  if (mklink__wfile_id(wlink, &link_st) != 0 || mklink__wfile_id(wtarget, &target) != 0)
    return MKLINK_ENOTCREATED;
  if (link_st.nlink < 2 || link_st.volume != target.volume ||
      link_st.index_high != target.index_high || link_st.index_low != target.index_low)
    return MKLINK_ENOTCREATED;
  return 0;
}

/* ---- targets ------------------------------------------------------------ */

/* TARGET relative to LINK's directory (*OUT malloc'ed), both made absolute
   as GetFullPathNameW does.  A trailing separator of TARGET is kept. */
static int relative_target(const char *link, const char *target, char **out) {
  char *parent = NULL, *from = NULL, *to = NULL;
  size_t size, len;
  int err = parent_of(link, &parent);
  *out = NULL;
  if (err == 0)
    err = mklink__absolute(parent, 0, 0, &from);
  if (err == 0)
    err = mklink__absolute(target, 0, 0, &to);
  if (err != 0)
    goto out;
  size = 3 * strlen(from) + strlen(to) + 3; /* at most one "..\" per byte of FROM */
  if ((*out = malloc(size)) == NULL) {
    err = MKLINK_ENOMEM;
    goto out;
  }
  err = mklink__path_relative(MKLINK__PATH_WIN32, from, to, *out, size);
  len = strlen(to);
  if (err == 0 && len > mklink__path_root(MKLINK__PATH_WIN32, to) &&
      mklink__path_is_sep(MKLINK__PATH_WIN32, to[len - 1]) && strcmp(*out, ".") != 0)
    strcat(*out, "\\");
out:
  if (err != 0) {
    free(*out);
    *out = NULL;
  }
  free(parent);
  free(from);
  free(to);
  return err;
}

/* For MKLINK_REQUIRE_TARGET: a relative stored TEXT counts from LINK's
   directory, as the system will resolve it. */
static int symlink_target_exists(const char *link, const char *text) {
  char *joined;
  const char *base;
  size_t dir_len, base_len, size;
  DWORD attrs;
  int found;
  if (mklink__path_is_absolute(MKLINK__PATH_WIN32, text))
    return mklink__wattributes(text, &attrs) == 0;
  mklink__path_split(MKLINK__PATH_WIN32, link, &dir_len, &base, &base_len);
  size = dir_len + strlen(text) + 2;
  if ((joined = malloc(size)) == NULL)
    return 0;
  found = mklink__path_join(MKLINK__PATH_WIN32, link, dir_len, text, joined, size) == 0 &&
          mklink__wattributes(joined, &attrs) == 0;
  free(joined);
  return found;
}

/* The system's own way failed with NATIVE: MKLINK_ENOTCREATED for a
   symbolic link (Wine 8 says yes and makes none), MKLINK_ENOTSUP for a
   junction (Wine 8 sets no reparse point).  Under Wine, where the Unix side
   is proven to be reached, the link is made there instead, as a Unix
   symbolic link every program under that Wine follows (wine_bridge.c);
   elsewhere, and where the file system has no symbolic links either (FAT),
   the honest answer stands.  A symbolic link refused as not supported is a
   file system without them, never bridged. */
static int bridge(int native, const wchar_t *wlink, const wchar_t *stored, mklink_kind kind) {
  int err;
  if (native != (kind == MKLINK_JUNCTION ? MKLINK_ENOTSUP : MKLINK_ENOTCREATED))
    return native;
  err = mklink__wine_symlink(wlink, stored, kind);
  return err == MKLINK_ENOTSUP ? native : err;
}

static int create_symlink_kind(const char *link, const wchar_t *wlink, const char *target,
                               mklink_kind kind, unsigned flags) {
  char *relative = NULL;
  const char *text = target;
  wchar_t *stored = NULL;
  int err = 0;
  if (flags & MKLINK_RELATIVE) {
    err = relative_target(link, target, &relative);
    text = relative;
  }
  if (err == 0 && (flags & MKLINK_REQUIRE_TARGET) && !symlink_target_exists(link, text))
    err = MKLINK_ENOFILE;
  if (err == 0)
    err = mklink__wtext(text, &stored);
  if (err == 0)
    err = bridge(create_symlink(wlink, stored, kind), wlink, stored, kind);
  free(relative);
  free(stored);
  return err;
}

static int create_junction_kind(const wchar_t *wlink, const char *target, unsigned flags) {
  wchar_t *wt = NULL, *full = NULL;
  int err = mklink__wtext(target, &wt);
  if (err == 0)
    err = mklink__wfull(wt, &full);
  if (err == 0 && (flags & MKLINK_REQUIRE_TARGET) && !exists(full))
    err = MKLINK_ENOFILE;
  if (err == 0)
    err = bridge(create_junction(wlink, mklink__wstrip_long(full)), wlink,
                 mklink__wstrip_long(full), MKLINK_JUNCTION);
  free(wt);
  free(full);
  return err;
}

static int create_hardlink_kind(const char *link, const wchar_t *wlink, const char *target) {
  wchar_t *wt = NULL;
  int err = mklink__wpath(target, &wt);
  if (err == 0)
    err = create_hardlink(link, wlink, wt);
  free(wt);
  return err;
}

/* ---- mklink_create ------------------------------------------------------ */

static int create_new(const char *link, const char *target, mklink_kind kind, unsigned flags) {
  mklink__wstat st;
  wchar_t *wlink;
  int err = mklink__wpath(link, &wlink);
  if (err != 0)
    return err;
  /* Checked first because Wine's CreateSymbolicLinkW says yes even when LINK
     exists, and verification must never mistake an old entry for ours. */
  err = mklink__wlstat(wlink, &st, NULL);
  if (err == 0 || err == MKLINK_EBADREPARSE)
    err = MKLINK_EEXIST;
  else if (err == MKLINK_ENOFILE)
    err = 0;
  if (err == 0) {
    if (is_symlink_kind(kind))
      err = create_symlink_kind(link, wlink, target, kind, flags);
    else if (kind == MKLINK_JUNCTION)
      err = create_junction_kind(wlink, target, flags);
    else
      err = create_hardlink_kind(link, wlink, target);
  }
  free(wlink);
  return err;
}

static int is_replaceable(mklink_kind kind) {
  return kind == MKLINK_FILE_SYMLINK || kind == MKLINK_DIR_SYMLINK ||
         kind == MKLINK_JUNCTION || kind == MKLINK_HARDLINK;
}

/* Windows renames nothing over a directory, so a directory link is swapped
   in two renames; the old one is put back if the second fails. */
static int swap_in(const char *link, const wchar_t *wlink, const wchar_t *wtmp,
                   const mklink__wstat *old) {
  wchar_t *wold = NULL;
  char *old_name = NULL;
  int err = mklink__temp_name(link, "old", 0, &old_name);
  if (err == 0)
    err = mklink__wpath(old_name, &wold);
  if (err != 0)
    goto out;
  if (!os_MoveFileExW(wlink, wold, 0)) {
    err = mklink__last_error();
    goto out;
  }
  if (!os_MoveFileExW(wtmp, wlink, 0)) {
    err = mklink__last_error();
    os_MoveFileExW(wold, wlink, 0);
    goto out;
  }
  mklink__unlink_link(wold, old);
out:
  free(old_name);
  free(wold);
  return err;
}

/* The new link under a temporary name beside LINK.  A name taken (the
   counter did not move between two calls) is retried with a fresh one. */
static int create_temp(const char *link, const char *target, mklink_kind kind,
                       unsigned flags, char **tmp) {
  int err = MKLINK_EEXIST, tries;
  for (tries = 0; tries < 4 && err == MKLINK_EEXIST; tries++) {
    free(*tmp);
    *tmp = NULL;
    err = mklink__temp_name(link, "new", (unsigned)tries, tmp);
    if (err == 0)
      err = create_new(*tmp, target, kind, flags);
  }
  return err;
}

static int is_unix_link(const wchar_t *wpath) {
  mklink__wstat st;
  return mklink__wlstat(wpath, &st, NULL) == 0 && st.unix_link;
}

static int create_replacing(const char *link, const char *target, mklink_kind kind,
                            unsigned flags) {
  mklink__wstat old;
  wchar_t *wlink = NULL, *wtmp = NULL;
  char *tmp = NULL;
  int err = mklink__wpath(link, &wlink);
  if (err != 0)
    return err;
  err = mklink__wlstat(wlink, &old, NULL);
  if (err == MKLINK_ENOFILE) {
    free(wlink);
    return create_new(link, target, kind, flags);
  }
  if (err == 0 && !is_replaceable(old.kind))
    err = MKLINK_EEXIST; /* a real directory, a sole name, another reparse point */
  else if (err == MKLINK_EBADREPARSE)
    err = MKLINK_EEXIST;
  if (err == 0)
    err = create_temp(link, target, kind, flags, &tmp);
  if (err != 0)
    goto out;
  err = mklink__wpath(tmp, &wtmp);
  if (err == 0 && (old.unix_link || is_unix_link(wtmp))) {
    /* A Unix symbolic link on either side (Wine): MoveFileExW would rename
       its target.  rename(2) replaces LINK itself, atomically, whatever
       either points to. */
    err = mklink__wine_rename(wtmp, wlink, 1);
  } else if (err == 0 && !(old.attrs & FILE_ATTRIBUTE_DIRECTORY) && !is_dir_kind(kind)) {
    if (!os_MoveFileExW(wtmp, wlink, MOVEFILE_REPLACE_EXISTING))
      err = mklink__last_error();
    else if (os_GetFileAttributesW(wtmp) != INVALID_FILE_ATTRIBUTES)
      os_DeleteFileW(wtmp); /* renamed onto another name of the same file: a
                               POSIX rename (Wine) then does nothing */
  } else if (err == 0) {
    err = swap_in(link, wlink, wtmp, &old);
  }
  if (err != 0)
    mklink__remove(tmp);
out:
  free(tmp);
  free(wtmp);
  free(wlink);
  return err;
}

int mklink__create(const char *link, const char *target, mklink_kind kind, unsigned flags) {
  if (flags & MKLINK_REPLACE)
    return create_replacing(link, target, kind, flags & ~MKLINK_REPLACE);
  return create_new(link, target, kind, flags);
}

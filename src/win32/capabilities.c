/*
 * capabilities.c -- what this system really creates in a directory: each
 * kind made once under a temporary name by mklink__create() itself (so with
 * the same verification), then removed.  Under Wine, also which Wine, from
 * ntdll's wine_get_version (absent on Windows), and which kinds the Wine
 * bridge made: those count only once Win32 reaches the target through them.
 */
#include "win32.h"

#include <stdlib.h>
#include <string.h>

typedef const char *(*mklink__wine_version_fn)(void);

static void detect_wine(mklink_caps *out) {
  HMODULE ntdll = os_GetModuleHandleW(L"ntdll.dll");
  FARPROC proc = ntdll != NULL ? os_GetProcAddress(ntdll, "wine_get_version") : NULL;
  mklink__wine_version_fn version;
  const char *v;
  if (proc == NULL)
    return;
  /* Through void (*)(void), the generic function pointer type. */
  version = (mklink__wine_version_fn)(void (*)(void))proc;
  v = version();
  strcpy(out->emulator, "wine");
  if (v != NULL) {
    strncpy(out->emulator_version, v, sizeof out->emulator_version - 1);
    out->emulator_version[sizeof out->emulator_version - 1] = '\0';
  }
}

static int check_dir(const char *dir) {
  DWORD attrs = 0;
  int err = mklink__wattributes(dir, &attrs);
  if (err == MKLINK_ENOFILE || (err == 0 && !(attrs & FILE_ATTRIBUTE_DIRECTORY)))
    return MKLINK_ENOPATH;
  return err;
}

static int make_file(const char *path) {
  wchar_t *w;
  HANDLE h;
  int err = mklink__wpath(path, &w);
  if (err != 0)
    return err;
  h = os_CreateFileW(w, GENERIC_WRITE, 0, NULL, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, NULL);
  err = h == INVALID_HANDLE_VALUE ? mklink__last_error() : 0;
  if (h != INVALID_HANDLE_VALUE)
    os_CloseHandle(h);
  free(w);
  return err;
}

static void delete_file(const char *path) {
  wchar_t *w;
  if (mklink__wpath(path, &w) != 0)
    return;
  os_DeleteFileW(w);
  free(w);
}

/* Volume serial and file index of the file UTF-8 PATH leads to (a link is
   followed, as any program opening it would). */
static int file_id_of(const char *path, DWORD id[3]) {
  BY_HANDLE_FILE_INFORMATION fi;
  wchar_t *w;
  HANDLE h;
  BOOL ok;
  if (mklink__wpath(path, &w) != 0)
    return 0;
  h = os_CreateFileW(w, FILE_READ_ATTRIBUTES,
                     FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                     OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
  free(w);
  if (h == INVALID_HANDLE_VALUE)
    return 0;
  ok = os_GetFileInformationByHandle(h, &fi);
  os_CloseHandle(h);
  id[0] = fi.dwVolumeSerialNumber;
  id[1] = fi.nFileIndexHigh;
  id[2] = fi.nFileIndexLow;
  return ok;
}

/* A link the Wine bridge made counts once Win32 itself goes through it to
   TARGET (its Unix side was read back when it was made). */
static int bridged_link_works(const char *link, const char *target) {
  DWORD a[3], b[3];
  return file_id_of(link, a) && file_id_of(target, b) && memcmp(a, b, sizeof a) == 0;
}

/* 1 if LINK is a Unix symbolic link (made through the Wine bridge). */
static int is_bridged(const char *link) {
  mklink__wstat st;
  wchar_t *w;
  int err = mklink__wpath(link, &w);
  if (err == 0)
    err = mklink__wlstat(w, &st, NULL);
  free(w);
  return err == 0 && st.unix_link;
}

/* Create and remove one link of each kind to the file TARGET. */
static void probe_kinds(const char *target, const char *link, mklink_caps *out) {
  static const mklink_kind kinds[] = {MKLINK_FILE_SYMLINK, MKLINK_DIR_SYMLINK,
                                      MKLINK_HARDLINK, MKLINK_JUNCTION};
  const char *name;
  size_t i, dir_len, name_len;
  mklink__path_split(MKLINK__PATH_WIN32, target, &dir_len, &name, &name_len);
  for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
    /* Symbolic links store the bare name (relative to the link's
       directory); hard links and junctions take the path. */
    const char *t =
        kinds[i] == MKLINK_FILE_SYMLINK || kinds[i] == MKLINK_DIR_SYMLINK ? name : target;
    unsigned bit = MKLINK_KIND_BIT(kinds[i]);
    if (mklink__create(link, t, kinds[i], 0) != 0)
      continue;
    if (!is_bridged(link))
      out->real |= bit;
    else if (bridged_link_works(link, target))
      out->real |= bit, out->bridged |= bit;
    /* Where the Unix side cannot be seen, mklink__remove refuses a second
       name of a file (it could be a Unix link); this one is ours, made a
       moment ago to our own file. */
    if (mklink__remove(link) == MKLINK_ENOTSUP)
      delete_file(link);
  }
}

int mklink__capabilities(const char *dir, mklink_caps *out) {
  char *target = NULL, *link = NULL, *seed = NULL;
  size_t n;
  int err;
  if (dir == NULL)
    dir = ".";
  err = check_dir(dir);
  if (err != 0)
    return err;
  detect_wine(out);
  /* "DIR\x": the temporary names are made beside x, that is in DIR. */
  n = strlen(dir);
  seed = malloc(n + 3);
  if (seed == NULL)
    return MKLINK_ENOMEM;
  err = mklink__path_join(MKLINK__PATH_WIN32, dir, n, "x", seed, n + 3);
  if (err == 0)
    err = mklink__temp_name(seed, "probe", 0, &target);
  if (err == 0)
    err = mklink__temp_name(seed, "probe-link", 0, &link);
  if (err == 0)
    err = make_file(target);
  if (err == 0) {
    probe_kinds(target, link, out);
    delete_file(target);
  }
  free(seed);
  free(target);
  free(link);
  return err;
}

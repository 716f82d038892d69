/*
 * capabilities.c -- what this system really creates in a directory: each
 * kind made once under a temporary name by mklink__create() itself (so with
 * the same verification), then removed.  Under Wine, also which Wine, from
 * ntdll's wine_get_version (absent on Windows).
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
  err = h == INVALID_HANDLE_VALUE ? mklink__win32_last_error() : 0;
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

/* Create and remove one link of each kind to the file TARGET. */
static unsigned probe_kinds(const char *target, const char *link) {
  static const mklink_kind kinds[] = {MKLINK_FILE_SYMLINK, MKLINK_DIR_SYMLINK,
                                      MKLINK_HARDLINK, MKLINK_JUNCTION};
  const char *name;
  unsigned real = 0;
  size_t i, dir_len, name_len;
  mklink__path_split(MKLINK__PATH_WIN32, target, &dir_len, &name, &name_len);
  for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
    /* Symbolic links store the bare name (relative to the link's
       directory); hard links and junctions take the path. */
    const char *t =
        kinds[i] == MKLINK_FILE_SYMLINK || kinds[i] == MKLINK_DIR_SYMLINK ? name : target;
    if (mklink__create(link, t, kinds[i], 0) == 0) {
      real |= MKLINK_KIND_BIT(kinds[i]);
      mklink__remove(link);
    }
  }
  return real;
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
    err = mklink__temp_sibling(seed, "probe", &target);
  if (err == 0)
    err = mklink__temp_sibling(seed, "probe-link", &link);
  if (err == 0)
    err = make_file(target);
  if (err == 0) {
    out->real = probe_kinds(target, link);
    delete_file(target);
  }
  free(seed);
  free(target);
  free(link);
  return err;
}

/*
 * capabilities.c -- mklink_capabilities on POSIX: each kind is made once
 * under a temporary name in DIR, checked with mklink_query's logic, and
 * removed.  Symbolic and hard links are real; junctions are simulated.
 */
#include "posix.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* "Not here" answers of a probe: the kind is missing, the probe goes on. */
static int is_unsupported(int rc) {
  return rc == MKLINK_ENOTSUP || rc == MKLINK_EREMOTE;
}

/* Make a link of KIND to TARGET under a free temporary name (*NAME,
   malloc'ed) in DIR. */
static int make_probe(const char *seed, const char *target, mklink_kind kind, char **name) {
  unsigned attempt;
  int rc = MKLINK_EEXIST;
  *name = NULL;
  for (attempt = 0; attempt < MKLINK__TEMP_ATTEMPTS && rc == MKLINK_EEXIST; attempt++) {
    free(*name);
    if ((rc = mklink__temp_name(seed, "probe", attempt, name)) != 0)
      return rc;
    rc = mklink__create(*name, target, kind, 0);
  }
  return rc;
}

/* Make, check the kind query reports, remove; 1 if it all worked. */
static int probe(const char *seed, const char *target, mklink_kind kind) {
  char *name;
  mklink_info info;
  int rc = make_probe(seed, target, kind, &name), ok;
  if (rc != 0) {
    free(name);
    return is_unsupported(rc) ? 0 : rc;
  }
  ok = mklink__query(name, &info) == 0 && info.kind == kind;
  mklink_info_free(&info);
  rc = os_unlinkat(AT_FDCWD, name, 0) != 0 ? mklink__error(errno, MKLINK__CTX_FILE) : ok;
  free(name);
  return rc;
}

/* A hard link needs a file to link to: a fresh empty one. */
static int probe_hardlink(const char *seed) {
  char *file = NULL;
  unsigned attempt;
  int fd = -1, rc;
  for (attempt = 0; attempt < MKLINK__TEMP_ATTEMPTS && fd < 0; attempt++) {
    free(file);
    if ((rc = mklink__temp_name(seed, "probe-target", attempt, &file)) != 0)
      return rc;
    fd = os_openat(AT_FDCWD, file, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0 && errno != EEXIST) {
      rc = mklink__error(errno, MKLINK__CTX_PATH);
      free(file);
      return rc;
    }
  }
  if (fd < 0) {
    free(file);
    return MKLINK_EEXIST;
  }
  (void)os_close(fd);
  rc = probe(seed, file, MKLINK_HARDLINK);
  if (rc == MKLINK_EACCES)
    rc = 0; /* the file could be made, so it is the hard link that is refused */
  if (os_unlinkat(AT_FDCWD, file, 0) != 0 && rc >= 0)
    rc = mklink__error(errno, MKLINK__CTX_FILE);
  free(file);
  return rc;
}

int mklink__capabilities(const char *dir, mklink_caps *out) {
  char seed[MKLINK__PATH_MAX];
  const char *d = dir != NULL ? dir : ".";
  struct stat st;
  int rc;
  if (os_fstatat(AT_FDCWD, d, &st, 0) != 0)
    return mklink__error(errno, MKLINK__CTX_PATH);
  if (!S_ISDIR(st.st_mode))
    return MKLINK_ENOPATH;
  /* Temporary names are taken in DIR: seed them from a name inside it. */
  if ((rc = mklink__path_join(MKLINK__PATH_POSIX, d, strlen(d), ".mklink-probe", seed,
                              sizeof seed)) != 0)
    return rc;
  if ((rc = probe(seed, ".mklink-probe-target", MKLINK_FILE_SYMLINK)) < 0)
    return rc;
  if (rc)
    out->real |= MKLINK_KIND_BIT(MKLINK_FILE_SYMLINK) | MKLINK_KIND_BIT(MKLINK_DIR_SYMLINK);
  if ((rc = probe_hardlink(seed)) < 0)
    return rc;
  if (rc)
    out->real |= MKLINK_KIND_BIT(MKLINK_HARDLINK);
  rc = probe(seed, d, MKLINK_JUNCTION);
  if (rc == MKLINK_ENAMETOOLONG) {
    /* DIR's absolute path is longer than a link can hold (a current
       directory deeper than PATH_MAX): no junction can name DIR itself, but
       one can be made in DIR.  Ask with "/" as the target, DIR's file
       system judged as a junction target's is. */
    rc = mklink__check_local(d);
    if (rc == 0)
      rc = probe(seed, "/", MKLINK_JUNCTION);
    else if (rc == MKLINK_EREMOTE)
      rc = 0;
  }
  if (rc < 0)
    return rc;
  if (rc)
    out->simulated |= MKLINK_KIND_BIT(MKLINK_JUNCTION);
  return 0;
}

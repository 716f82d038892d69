/*
 * junction.c -- simulated junctions on POSIX.
 *
 * A junction is a symbolic link whose text is "/." followed by the absolute,
 * lexically normalised target ("/./home/u/data" for /home/u/data).  A
 * normalised absolute path never starts with "/./", so the mark cannot be
 * confused with a link made by mklink_create for a symbolic link; every tool
 * follows it exactly like the target; and cp -a, tar, rsync -a and git copy
 * link text verbatim, so the junction survives them.  docs/junctions.md has
 * the limits.
 */
#include "posix.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int mklink__is_junction_text(const char *text) {
  return text[0] == '/' && text[1] == '.' && text[2] == '/';
}

#if defined(__linux__)
/* f_type values of network file systems (linux/magic.h and the file
   systems' own sources).  FUSE cannot be told apart: sshfs passes. */
static int is_remote(const struct statfs *st) {
  switch ((uint32_t)st->f_type) {
  case 0x6969u:     /* NFS_SUPER_MAGIC */
  case 0x517Bu:     /* SMB_SUPER_MAGIC */
  case 0xFF534D42u: /* CIFS_MAGIC_NUMBER */
  case 0xFE534D42u: /* SMB2_MAGIC_NUMBER */
  case 0x5346414Fu: /* AFS_SUPER_MAGIC (OpenAFS) */
  case 0x6B414653u: /* AFS_FS_MAGIC (kAFS) */
  case 0x73757245u: /* CODA_SUPER_MAGIC */
  case 0x564Cu:     /* NCP_SUPER_MAGIC */
  case 0x00C36400u: /* CEPH_SUPER_MAGIC */
  case 0x0BD00BD0u: /* LUSTRE_SUPER_MAGIC */
  case 0x47504653u: /* GPFS_SUPER_MAGIC */
    return 1;
  default:
    return 0;
  }
}
#else
/* BSD and macOS name the file system in the statfs result. */
static int is_remote(const struct statfs *st) {
  static const char *const remote[] = {"nfs", "smbfs", "afpfs", "webdav",
                                       "cifs", "afs", "ncpfs"};
  size_t i;
  for (i = 0; i < sizeof remote / sizeof remote[0]; i++)
    if (strcmp(st->f_fstypename, remote[i]) == 0)
      return 1;
  return 0;
}
#endif

int mklink__check_local(const char *abs) {
  char dir[MKLINK__PATH_MAX];
  struct statfs st;
  size_t len = strlen(abs);
  if (len >= sizeof dir)
    return MKLINK_ENAMETOOLONG;
  memcpy(dir, abs, len + 1);
  while (os_statfs(dir, &st) != 0) {
    const char *base;
    size_t dir_len, base_len;
    if (errno != ENOENT && errno != ENOTDIR)
      return mklink__error(errno, MKLINK__CTX_PATH);
    mklink__path_split(MKLINK__PATH_POSIX, dir, &dir_len, &base, &base_len);
    if (base_len == 0)
      return MKLINK_ENOPATH; /* even "/" is missing: nothing to decide by */
    dir[dir_len] = '\0';
  }
  return is_remote(&st) ? MKLINK_EREMOTE : 0;
}

int mklink__junction_text(const char *target, char **out) {
  /* The text is stored in a symbolic link, which holds at most PATH_MAX
     bytes: a longer absolute target cannot be a junction. */
  int rc = mklink__absolute(target, MKLINK__JUNCTION_MARK_LEN,
                            MKLINK__PATH_MAX - MKLINK__JUNCTION_MARK_LEN, out);
  if (rc != 0)
    return rc;
  if ((rc = mklink__check_local(*out + MKLINK__JUNCTION_MARK_LEN)) != 0) {
    free(*out);
    *out = NULL;
    return rc;
  }
  memcpy(*out, MKLINK__JUNCTION_MARK, MKLINK__JUNCTION_MARK_LEN);
  return 0;
}

/*
 * fake_netfs.c -- an LD_PRELOAD library for the CLI conformance suite: it
 * makes the directory named by MKLINK_FAKE_NETFS_ROOT, and everything below
 * it, look like an NFS mount to statfs(), so the real mklink executable can
 * be shown refusing a junction to a network target ("Local volumes are
 * required to complete the operation.") without a network file system.
 *
 * The library calls statfs() through its OS-call table, whose entry is libc's
 * statfs; the executable imports that symbol dynamically, so a preloaded
 * definition wins.  The real call still runs first (a missing path must fail
 * as before, so the library's walk up to the nearest existing ancestor is
 * exercised for real); only f_type of a successful answer is changed.  Paths
 * are compared as text, after the library has made them absolute and
 * normalised, which is how it calls statfs().
 *
 * With MKLINK_FAKE_LINKAT_ERRNO=N set, linkat() fails with errno N instead
 * (an OS error no local disk gives on demand, such as ESTALE), so the real
 * executable can be shown printing the system's words for an error the
 * library's table does not map.
 *
 * Test-only, native Linux builds only; it is never linked into anything.
 */
#define _GNU_SOURCE /* RTLD_NEXT, statfs64 */
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>

#define FAKE_NFS_SUPER_MAGIC 0x6969 /* linux/magic.h NFS_SUPER_MAGIC */

/* Is PATH the fake mount point or below it? */
static int under_fake_root(const char *path) {
  const char *root = getenv("MKLINK_FAKE_NETFS_ROOT");
  size_t len;
  if (root == NULL || root[0] == '\0' || path == NULL)
    return 0;
  len = strlen(root);
  while (len > 1 && root[len - 1] == '/')
    len--;
  if (strncmp(path, root, len) != 0)
    return 0;
  return path[len] == '\0' || path[len] == '/' || (len == 1 && root[0] == '/');
}

/* The next definition of NAME after this library (libc's, or a sanitizer's
   interceptor preloaded before it). */
static void *next_symbol(const char *name) {
  void *fn = dlsym(RTLD_NEXT, name);
  if (fn == NULL)
    abort(); /* a test fixture that cannot work must not pretend to */
  return fn;
}

int statfs(const char *path, struct statfs *buf) {
  int (*real)(const char *, struct statfs *);
  int rc;
  *(void **)&real = next_symbol("statfs");
  rc = real(path, buf);
  if (rc == 0 && under_fake_root(path))
    buf->f_type = FAKE_NFS_SUPER_MAGIC;
  return rc;
}

/* Builds with 64-bit file offsets on 32-bit systems call statfs64 instead. */
int statfs64(const char *path, struct statfs64 *buf) {
  int (*real)(const char *, struct statfs64 *);
  int rc;
  *(void **)&real = next_symbol("statfs64");
  rc = real(path, buf);
  if (rc == 0 && under_fake_root(path))
    buf->f_type = FAKE_NFS_SUPER_MAGIC;
  return rc;
}

int linkat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, int flags) {
  int (*real)(int, const char *, int, const char *, int);
  const char *fake = getenv("MKLINK_FAKE_LINKAT_ERRNO");
  if (fake != NULL && atoi(fake) > 0) {
    errno = atoi(fake);
    return -1;
  }
  *(void **)&real = next_symbol("linkat");
  return real(olddirfd, oldpath, newdirfd, newpath, flags);
}

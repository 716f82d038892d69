/*
 * posix_fs.h -- file-system helpers for the POSIX suites: a fresh temporary
 * directory per test (the test runs inside it), small builders, and
 * snapshots of a directory tree to assert that a failure changed nothing.
 *
 * These helpers call the system directly, never through libmklink's table.
 */
#ifndef MKLINK_TEST_POSIX_FS_H
#define MKLINK_TEST_POSIX_FS_H

#include <stddef.h>
#include <sys/types.h>

#define POSIX_PATH_MAX 4096

/*
 * cmocka setup/teardown: make a fresh directory (under $MKLINK_TEST_TMPDIR,
 * else the current directory, which ctest sets to the build tree) and chdir
 * into it; teardown restores every OS-call table entry, goes back and removes
 * the tree without following any link.  *state points to the directory's
 * absolute path.
 */
int posix_tmp_setup(void **state);
int posix_tmp_teardown(void **state);

/* Absolute path of the current test's directory. */
const char *posix_tmp_dir(void);

/* A further fresh directory "mklink-test-XXXXXX" under BASE (e.g.
   "/dev/shm"), its absolute path written to OUT; 0 or -1 with errno.
   Remove it with posix_rmtree(). */
int posix_mkdtemp_in(const char *base, char *out, size_t outsz);

/*
 * Remove PATH and everything below it, following no link, never going up a
 * level and never onto another device.  As a guard against ever deleting
 * anything else, it refuses (and fails the test) unless PATH is exactly a
 * directory posix_mkdtemp_in made in this process.
 */
void posix_rmtree(const char *path);

/* Empty the current test directory (for tests that rebuild a scene). */
void posix_tmp_clear(void);

/* Builders: fail the test on error. */
void posix_write_file(const char *path, const char *content);
void posix_mkdir(const char *path);
void posix_symlink(const char *text, const char *path);
void posix_hardlink(const char *existing, const char *path);

/* What an entry is. */
int posix_is_symlink(const char *path); /* lstat */
int posix_is_dir(const char *path);     /* follows links */
int posix_exists(const char *path);     /* lstat succeeds */
ino_t posix_inode(const char *path);    /* lstat; fails the test if missing */
unsigned long posix_nlink(const char *path);
/* The text of symbolic link PATH in a static buffer (fails if not a link). */
const char *posix_readlink(const char *path);
/* The content of regular file PATH (first bytes) in a static buffer. */
const char *posix_read_file(const char *path);
/* Number of entries in directory PATH whose name starts with PREFIX. */
int posix_count_prefix(const char *path, const char *prefix);

/* Run the shell command (printf-style) in the current directory; its exit
   status, or -1.  Its output goes to the test's output. */
int posix_sh(const char *fmt, ...);
/* 1 if PROGRAM is found on PATH. */
int posix_have(const char *program);
/* The mklink command of this build tree (a test runs as tests/NAME in it)
   into OUT: 1 if it is there and executable, else 0. */
int posix_mklink_program(char *out, size_t outsz);

/* ---- snapshots ----------------------------------------------------------- */

typedef struct posix_entry {
  char path[POSIX_PATH_MAX]; /* relative to the snapshot's root */
  mode_t type;               /* S_IFREG, S_IFDIR, S_IFLNK, ...  */
  ino_t ino;
  unsigned long nlink;
  char text[POSIX_PATH_MAX]; /* a symbolic link's text */
} posix_entry;

typedef struct posix_snapshot {
  size_t count;
  posix_entry *entries; /* sorted by path */
} posix_snapshot;

/* Record every entry below DIR (not DIR itself), without following links. */
void posix_snapshot_take(const char *dir, posix_snapshot *snap);
void posix_snapshot_free(posix_snapshot *snap);

/* Fail the test, listing the differences, unless A and B are identical in
   names, types, inodes, link counts and link texts. */
void posix_snapshot_assert_equal(const posix_snapshot *a, const posix_snapshot *b);

/* The scene of the test directory now, to compare with later. */
#define POSIX_SNAPSHOT_HERE(snap) posix_snapshot_take(".", (snap))
/* Fail unless the test directory is exactly as in BEFORE; frees nothing. */
void posix_assert_unchanged(const posix_snapshot *before);

#endif /* MKLINK_TEST_POSIX_FS_H */

/*
 * posix_sandbox.h -- run code that deletes trees where it can only ever
 * destroy the test's own directory.
 *
 * Every test that runs mklink_remove_tree() (or any variant of a tree
 * walker) runs that code through sandbox_run(): a forked child that first
 * enters a mount namespace of its own (a private one as root, or one inside
 * a user namespace, where the caller's uid is root; see sandbox_kind()),
 * chroot()s into the test's directory and chdir("/")s, closes every other
 * descriptor, and only then calls the function.  Paths inside the function are therefore
 * inside the sandbox: "/" is the sandbox directory.
 *
 * The function runs in another process: it must not use cmocka's assertions
 * (a failure would unwind into the test runner inside the child).  It checks
 * with SBX_CHECK() instead, and returns an int that sandbox_run() hands back;
 * anything larger goes through memory from sandbox_shared().
 */
#ifndef MKLINK_TEST_POSIX_SANDBOX_H
#define MKLINK_TEST_POSIX_SANDBOX_H

#include <stddef.h>

/* Seconds a sandboxed function may run before it is killed (test fails). */
#define SANDBOX_TIMEOUT 120

/* Exit status of a child whose SBX_CHECK failed. */
#define SANDBOX_CHECK_FAILED 97

/*
 * 1 if sandboxes can be made here (as root, or as any user where user
 * namespaces are allowed); otherwise 0 and *WHY says why.  Tests that delete
 * use SANDBOX_REQUIRE(), which prints the reason and skips.
 */
int sandbox_available(const char **why);

/*
 * How the sandbox is made here, in words ("root, in a private mount
 * namespace", "a user namespace (uid 1000 as root inside) ...", "chroot
 * alone, without mounts: ...", or why there is none).  sandbox_setup()
 * prints it once per suite.  Where the jail is a chroot alone ("/" is not a
 * mount point, as in a chroot), sandbox_run_tmpfs() and sandbox_exec()
 * return -1 and the jailed function cannot mount anything.
 */
const char *sandbox_kind(void);
#define SANDBOX_REQUIRE()                                     \
  do {                                                        \
    const char *sandbox_why_;                                 \
    if (!sandbox_available(&sandbox_why_)) {                  \
      print_message("skipped: %s\n", sandbox_why_);           \
      skip();                                                 \
    }                                                         \
  } while (0)

/*
 * Make a fresh directory "mklink-sbx-XXXXXX" under the temporary root
 * ($MKLINK_TEST_TMPDIR, else $TMPDIR, else /tmp) and write its absolute path
 * to OUT.  The root must resolve to somewhere under /tmp, /var/tmp, /dev/shm
 * or a directory named "build", else the test fails: deletion tests never run
 * anywhere else.
 */
void sandbox_mkdtemp(char *out, size_t outsz);

/*
 * cmocka fixtures of every test that deletes, registered as
 * SANDBOX_TEST(test_x) (cmocka_unit_test_setup_teardown with these two):
 * sandbox_setup() makes the test's directory (sandbox_mkdtemp) and hands it
 * to the test as *STATE, or NULL where sandboxes cannot be made here (the
 * test's SANDBOX_REQUIRE() then skips, saying why); sandbox_teardown()
 * deletes it (sandbox_destroy).  One directory at a time: the path lives in
 * static storage until the next sandbox_setup().
 */
int sandbox_setup(void **state);
int sandbox_teardown(void **state);
#define SANDBOX_TEST(fn) cmocka_unit_test_setup_teardown(fn, sandbox_setup, sandbox_teardown)

/*
 * Run FN(ARG) jailed in DIR (made by sandbox_mkdtemp) and return its result.
 * Fails the test if the child cannot be jailed, fails an SBX_CHECK, dies or
 * runs longer than SANDBOX_TIMEOUT.
 */
int sandbox_run(const char *dir, int (*fn)(void *arg), void *arg);

/*
 * The same, on a fresh tmpfs of SIZE bytes mounted on DIR in the child's
 * private mount namespace (seen by nobody else, gone when the child ends).
 * Returns -1 without running FN (and prints why) if the system does not allow
 * it; the caller skips.
 */
int sandbox_run_tmpfs(const char *dir, size_t size, int (*fn)(void *arg), void *arg);

/* In a test function: sandbox_run_tmpfs() in the test's directory (*STATE),
   skipping the test, with the reason, where the system does not allow it,
   and failing it unless FN returned 0. */
#define SANDBOX_RUN_TMPFS(state, size, fn, arg)                        \
  do {                                                                 \
    int sandbox_rc_ = sandbox_run_tmpfs(*(state), (size), (fn), (arg)); \
    if (sandbox_rc_ == -1) {                                           \
      print_message("skipped: no private mount namespace here\n");     \
      skip();                                                          \
    }                                                                  \
    assert_int_equal(sandbox_rc_, 0);                                  \
  } while (0)

/*
 * Delete what DIR holds from inside a sandbox of DIR, then rmdir DIR itself
 * (from outside, non-recursively).  Fails the test unless DIR's last
 * component is "mklink-sbx-XXXXXX".
 */
void sandbox_destroy(const char *dir);

/* Memory shared with sandboxed children (MAP_SHARED), zeroed. */
void *sandbox_shared(size_t size);
void sandbox_shared_free(void *p, size_t size);

/* In a sandboxed function: print the failed condition and end the child. */
void sandbox_check_failed(const char *file, int line, const char *what);
#define SBX_CHECK(cond)                                     \
  do {                                                      \
    if (!(cond))                                            \
      sandbox_check_failed(__FILE__, __LINE__, #cond);      \
  } while (0)

/* In a sandboxed function: empty directory PATH (following no link, using
   no "..") and, if REMOVE_SELF, remove it too.  0 or -1 with errno. */
int sandbox_clear(const char *path, int remove_self);

/*
 * Run the program PROGRAM (an absolute path outside the sandbox) with ARGV
 * jailed in DIR: in a private mount namespace, /usr is bind-mounted
 * read-only at DIR/usr (with DIR/lib, DIR/lib64 and DIR/bin made the links
 * into it that they are on a merged-/usr system) and PROGRAM read-only at
 * DIR/PROGRAM-NAME, then chroot(DIR) and exec.  The mounts vanish with the
 * child; DIR keeps the empty mount points and the three links.  There is no
 * /proc in the jail (a procfs there would be a way out through /proc/1/root).
 * Its standard output and error go to OUT and ERR (NUL-terminated,
 * truncated).  Returns
 * its exit status, or -1 (after printing why) if the jail cannot be made
 * here; fails the test if it dies.
 */
int sandbox_exec(const char *dir, const char *program, char *const argv[], char *out,
                 size_t outsz, char *err, size_t errsz);

/*
 * sandbox_exec(), with PREPARE(DIR) run in the child first, in its private
 * mount namespace and before the jail (DIR is then still the absolute path
 * outside): mounts it makes inside DIR are seen by PROGRAM and vanish with
 * the child.  PREPARE may use SBX_CHECK (its message goes to ERR).
 */
int sandbox_exec_prepared(const char *dir, void (*prepare)(const char *dir), const char *program,
                          char *const argv[], char *out, size_t outsz, char *err, size_t errsz);

/* In a sandboxed function: a digest of everything below PATH -- names,
   types, inodes, link counts, sizes, link texts and file contents -- taken
   without following any link, to show an operation changed nothing. */
unsigned long long sandbox_digest(const char *path);

/* In a sandboxed function: a digest of what a faithful copy of PATH keeps --
   PATH itself and everything below it: names, types, permission bits, file
   sizes, contents, link counts and modification times, link texts, and which
   names are hard links of one another (numbered in the order met, not by
   inode) -- so a tree and its copy on another file system digest alike.
   *BYTES (may be NULL) gets the bytes of the regular files met (a file with
   several names counted at each).  Not thread-safe. */
unsigned long long sandbox_content_digest(const char *path, unsigned long long *bytes);

#endif /* MKLINK_TEST_POSIX_SANDBOX_H */

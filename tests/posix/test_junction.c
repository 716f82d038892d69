/*
 * test_junction.c -- simulated junctions on POSIX: the encoding, what tools
 * see through them, survival through cp -a, tar and rsync -a, and the
 * refusal of network targets.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "mklink.h"
#include "posix_fault.h"
#include "posix_fs.h"

static const char *here(const char *rel) {
  static char buf[2][POSIX_PATH_MAX + 64];
  static int which;
  which ^= 1;
  if ((size_t)snprintf(buf[which], sizeof buf[which], "%s/%s", posix_tmp_dir(), rel) >=
      sizeof buf[which])
    fail();
  return buf[which];
}

static void assert_junction_to(const char *link, const char *abs_target) {
  mklink_info info;
  char text[POSIX_PATH_MAX + 8];
  assert_int_equal(mklink_query(link, &info), 0);
  assert_int_equal(info.kind, MKLINK_JUNCTION);
  assert_string_equal(info.target, abs_target);
  snprintf(text, sizeof text, "/.%s", abs_target);
  assert_string_equal(posix_readlink(link), text);
  mklink_info_free(&info);
}

static void test_encoding(void **state) {
  (void)state;
  posix_mkdir("dir");
  assert_int_equal(mklink_create("J", "dir", MKLINK_JUNCTION, 0), 0);
  assert_junction_to("J", here("dir"));
  assert_int_equal(mklink_create("K", "./x/../dir/.", MKLINK_JUNCTION, 0), 0);
  assert_junction_to("K", here("dir"));
  assert_int_equal(mklink_create("A", here("dir//"), MKLINK_JUNCTION, 0), 0);
  assert_junction_to("A", here("dir"));
  assert_int_equal(mklink_create("Root", "/", MKLINK_JUNCTION, 0), 0);
  assert_string_equal(posix_readlink("Root"), "/./");
  assert_junction_to("Root", "/");
}

/* Lexical, like GetFullPathName: ".." is not taken through a link. */
static void test_no_link_followed(void **state) {
  (void)state;
  posix_mkdir("real");
  posix_mkdir("real/deep");
  posix_symlink("real/deep", "shortcut");
  assert_int_equal(mklink_create("J", "shortcut/..", MKLINK_JUNCTION, 0), 0);
  assert_junction_to("J", posix_tmp_dir()); /* not .../real */
}

/* As on Windows, a junction to a file is made (and is unusable as a dir). */
static void test_to_file(void **state) {
  mklink_info info;
  (void)state;
  posix_write_file("file", "x");
  assert_int_equal(mklink_create("J", "file", MKLINK_JUNCTION, 0), 0);
  assert_int_equal(mklink_query("J", &info), 0);
  assert_int_equal(info.kind, MKLINK_JUNCTION);
  assert_int_equal(info.target_exists, 1);
  assert_int_equal(info.target_is_dir, 0);
  mklink_info_free(&info);
}

static void test_ls_and_cd_through(void **state) {
  (void)state;
  posix_mkdir("dir");
  posix_write_file("dir/inside.txt", "x");
  assert_int_equal(mklink_create("J", "dir", MKLINK_JUNCTION, 0), 0);
  assert_int_equal(posix_sh("ls J/ | grep -qx inside.txt"), 0);
  assert_int_equal(posix_sh("sh -c 'cd J && ls' | grep -qx inside.txt"), 0);
  assert_int_equal(posix_sh("test \"$(cd J && pwd -P)\" = \"%s\"", here("dir")), 0);
  assert_int_equal(posix_sh("cat J/inside.txt | grep -qx x"), 0);
}

/* SRC/J points at DATA (outside SRC); copy SRC with CMD, then check COPY/J. */
static void check_round_trip(const char *what, const char *cmd) {
  char data[POSIX_PATH_MAX + 8];
  snprintf(data, sizeof data, "%s", here("data"));
  posix_mkdir("data");
  posix_write_file("data/inside.txt", "x");
  posix_mkdir("src");
  assert_int_equal(mklink_create("src/J", "data", MKLINK_JUNCTION, 0), 0);
  if (posix_sh("%s", cmd) != 0)
    fail_msg("%s failed: %s", what, cmd);
  assert_junction_to("copy/J", data);
  assert_int_equal(posix_sh("ls copy/J/ | grep -qx inside.txt"), 0);
  assert_int_equal(posix_sh("sh -c 'cd copy/J && ls' | grep -qx inside.txt"), 0);
}

static void test_survives_cp_a(void **state) {
  (void)state;
  check_round_trip("cp -a", "cp -a src copy");
}

static void test_survives_tar(void **state) {
  (void)state;
  check_round_trip("tar", "tar -cf j.tar -C src . && mkdir copy && tar -xf j.tar -C copy");
}

static void test_survives_rsync_a(void **state) {
  (void)state;
  if (!posix_have("rsync")) {
    printf("skipped: rsync is not installed (bash ci/deps installs it)\n");
    skip();
    return;
  }
  check_round_trip("rsync -a", "rsync -a src/ copy/");
}

static void test_survives_git(void **state) {
  (void)state;
  if (!posix_have("git")) {
    printf("skipped: git is not installed\n");
    skip();
    return;
  }
  check_round_trip("git",
                   "cd src && git init -q && git add J && "
                   "git -c user.name=t -c user.email=t@t commit -qm j && cd .. && "
                   "git clone -q src copy");
}

/* f_type of network file systems: NFS, SMB, CIFS, SMB2, OpenAFS, kAFS, Coda,
   NCP, Ceph, Lustre, GPFS. */
static const unsigned long remote_magics[] = {0x6969,     0x517B,     0xFF534D42, 0xFE534D42,
                                              0x5346414F, 0x6B414653, 0x73757245, 0x564C,
                                              0x00C36400, 0x0BD00BD0, 0x47504653};

static void test_network_target_refused(void **state) {
  posix_snapshot before;
  size_t i;
  (void)state;
  posix_mkdir("dir");
  POSIX_SNAPSHOT_HERE(&before);
  fault_start();
  for (i = 0; i < sizeof remote_magics / sizeof remote_magics[0]; i++) {
    expect_statfs_magic(remote_magics[i]);
    assert_int_equal(mklink_create("J", "dir", MKLINK_JUNCTION, 0), MKLINK_EREMOTE);
    assert_int_equal(mklink_create("J", "dir", MKLINK_JUNCTION, MKLINK_REPLACE),
                     MKLINK_EREMOTE);
    posix_assert_unchanged(&before);
  }
  posix_snapshot_free(&before);
  assert_string_equal(mklink_strerror(MKLINK_EREMOTE),
                      "Local volumes are required to complete the operation.");
}

/* A missing target is judged by its nearest existing ancestor. */
static void test_missing_target_on_network(void **state) {
  (void)state;
  fault_start();
  expect_statfs_magic(0x6969);
  assert_int_equal(mklink_create("J", "missing/deeper", MKLINK_JUNCTION, 0), MKLINK_EREMOTE);
  assert_int_equal(fault_calls_of("statfs"), 3);
  assert_false(posix_exists("J"));
}

/* Local file systems pass, as do symbolic links to a network target. */
static void test_local_magics_accepted(void **state) {
  static const unsigned long local[] = {0xEF53 /* ext4 */, 0x01021994 /* tmpfs */,
                                        0x58465342 /* xfs */, 0x9123683E /* btrfs */};
  size_t i;
  (void)state;
  posix_mkdir("dir");
  fault_start();
  for (i = 0; i < sizeof local / sizeof local[0]; i++) {
    expect_statfs_magic(local[i]);
    assert_int_equal(mklink_create("J", "dir", MKLINK_JUNCTION, 0), 0);
    assert_int_equal(mklink_remove("J"), 0);
  }
  expect_statfs_magic(0x6969);
  assert_int_equal(mklink_create("S", "dir", MKLINK_DIR_SYMLINK, 0), 0);
  assert_int_equal(fault_calls_of("statfs"), sizeof local / sizeof local[0]);
}

static void test_statfs_errors(void **state) {
  (void)state;
  posix_mkdir("dir");
  fault_start();
  expect_fail("statfs", 1, EIO);
  assert_int_equal(mklink_create("J", "dir", MKLINK_JUNCTION, 0), MKLINK_EIO);
  fault_reset_counts();
  expect_fail_from("statfs", 1, ENOENT); /* not even "/" */
  assert_int_equal(mklink_create("J", "dir", MKLINK_JUNCTION, 0), MKLINK_ENOPATH);
  assert_false(posix_exists("J"));
}

static void test_getcwd_errors(void **state) {
  (void)state;
  fault_start();
  expect_fail("getcwd", 1, ERANGE);
  assert_int_equal(mklink_create("J", "dir", MKLINK_JUNCTION, 0), MKLINK_ENAMETOOLONG);
  fault_reset_counts();
  expect_fail("getcwd", 1, ENOENT); /* the current directory was removed */
  assert_int_equal(mklink_create("J", "dir", MKLINK_JUNCTION, 0), MKLINK_ENOPATH);
  assert_false(posix_exists("J"));
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(test_##name, posix_tmp_setup, posix_tmp_teardown)
  const struct CMUnitTest tests[] = {
      T(encoding),
      T(no_link_followed),
      T(to_file),
      T(ls_and_cd_through),
      T(survives_cp_a),
      T(survives_tar),
      T(survives_rsync_a),
      T(survives_git),
      T(network_target_refused),
      T(missing_target_on_network),
      T(local_magics_accepted),
      T(statfs_errors),
      T(getcwd_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

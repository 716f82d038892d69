/*
 * test_consumer.c -- the consumer's own test: give a file a second name with
 * libmklink, check it, take the name away again.  Hard links are used because
 * every platform this runs on makes them for real, Wine 8 included.
 *
 * Runs in the current directory; exits 0 when every check passed, 1 when one
 * failed, and 77 (ctest's SKIP_RETURN_CODE here) after saying why when this
 * system cannot make hard links -- a capability probed, not assumed.
 */
#include "consumer_checks.h"

#include <string.h>

static int exists(const char *path) {
  FILE *f = fopen(path, "rb");
  if (f == NULL)
    return 0;
  fclose(f);
  return 1;
}

int main(void) {
  mklink_info info;
  mklink_caps caps;
  const char *target = "consumer-target.txt";
  const char *link = "consumer-link.txt";
  FILE *f;
  int rc;

  printf("libmklink %s, header %s\n", mklink_version(), MKLINK_VERSION_STRING);
  CHECK(strcmp(mklink_version(), MKLINK_VERSION_STRING) == 0);
  CHECK(strcmp(mklink_strerror(MKLINK_EEXIST),
               "Cannot create a file when that file already exists.") == 0);

  rc = mklink_capabilities(".", &caps);
  if (rc == MKLINK_ENOTSUP ||
      (rc == 0 && !(caps.real & MKLINK_KIND_BIT(MKLINK_HARDLINK)))) {
    printf("test_consumer: SKIP: this system cannot make hard links here (%s)\n",
           rc != 0 ? mklink_strerror(rc) : "not among the real kinds");
    return failures != 0 ? 1 : SKIP;
  }
  CHECK_RC(rc, 0);
  if (caps.emulator[0] != '\0')
    printf("running under %s %s\n", caps.emulator, caps.emulator_version);

  remove(link); /* leftovers of an interrupted run */
  remove(target);
  f = fopen(target, "w");
  CHECK(f != NULL);
  if (f == NULL)
    return 1;
  fputs("consumer data\n", f);
  fclose(f);

  CHECK_RC(mklink_create(link, target, MKLINK_HARDLINK, 0), 0);
  CHECK_RC(mklink_create(link, target, MKLINK_HARDLINK, 0), MKLINK_EEXIST);
  CHECK_RC(mklink_query(link, &info), 0);
  CHECK(info.kind == MKLINK_HARDLINK);
  CHECK(info.nlink == 2);
  CHECK(info.target_checked && info.target_exists);
  CHECK(info.target != NULL && info.target[0] == '\0');
  CHECK(info.resolved != NULL && strstr(info.resolved, link) != NULL);
  mklink_info_free(&info); /* the strings are the library's: given back */
  CHECK(info.target == NULL && info.resolved == NULL);
  CHECK_RC(mklink_remove(link), 0);
  CHECK(!exists(link));
  CHECK(exists(target));
  /* the last name of the data is never removed */
  CHECK_RC(mklink_remove(target), MKLINK_ELASTNAME);
  CHECK(exists(target));

  remove(target);
  if (failures != 0) {
    fprintf(stderr, "test_consumer: %d check(s) failed\n", failures);
    return 1;
  }
  printf("test_consumer: all checks passed\n");
  return 0;
}

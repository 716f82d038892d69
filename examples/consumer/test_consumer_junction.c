/*
 * test_consumer_junction.c -- the consumer's test of a directory junction:
 * make one with libmklink, write a file through it with the C library (as
 * any other code would, knowing nothing of links), find the data in the
 * target, remove the junction and find the target untouched.
 *
 * Under Wine 8 on x86_64 Linux the junction is made through the Wine bridge
 * (a Unix symbolic link that every Windows program under that Wine follows);
 * on Linux it is simulated (a symbolic link to "/./ABSOLUTE"); on Windows it
 * is a real reparse point.  Exits 0 when every check passed, 1 when one
 * failed, 77 (SKIP_RETURN_CODE) after saying why when no junction can be
 * made here -- a capability probed, not assumed.
 */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L /* mkdir, rmdir */
#endif
#include "consumer_checks.h"

#include <string.h>

#ifdef _WIN32
#include <direct.h>
#define make_dir(p) _mkdir(p)
#define remove_dir(p) _rmdir(p)
#define SEP "\\"
#else
#include <sys/stat.h>
#include <unistd.h>
#define make_dir(p) mkdir((p), 0755)
#define remove_dir(p) rmdir(p)
#define SEP "/"
#endif

static const char *target = "consumer-junction-target";
static const char *junction_name = "consumer-junction";
static const char *through = "consumer-junction" SEP "written-through.txt";
static const char *inside = "consumer-junction-target" SEP "written-through.txt";

static int read_line(const char *path, char *buf, size_t cap) {
  FILE *f = fopen(path, "r");
  if (f == NULL)
    return 0;
  if (fgets(buf, (int)cap, f) == NULL)
    buf[0] = '\0';
  fclose(f);
  return 1;
}

int main(void) {
  mklink_info info;
  mklink_caps caps;
  unsigned junction = MKLINK_KIND_BIT(MKLINK_JUNCTION);
  char line[64];
  FILE *f;
  int rc;

  rc = mklink_capabilities(".", &caps);
  CHECK_RC(rc, 0);
  if (rc != 0 || !((caps.real | caps.simulated) & junction)) {
    printf("test_consumer_junction: SKIP: no junction can be made here (%s)\n",
           rc != 0 ? mklink_strerror(rc) : "not among the kinds made");
    return failures != 0 ? 1 : SKIP;
  }
  printf("junctions: %s\n", (caps.bridged & junction)  ? "real (wine bridge)"
                            : (caps.real & junction)   ? "real"
                                                       : "simulated");

  mklink_remove(junction_name); /* leftovers of an interrupted run */
  remove(inside);
  remove_dir(target);
  CHECK(make_dir(target) == 0);

  CHECK_RC(mklink_create(junction_name, target, MKLINK_JUNCTION, 0), 0);
  CHECK_RC(mklink_query(junction_name, &info), 0);
  CHECK(info.kind == MKLINK_JUNCTION);
  CHECK(info.target_exists == 1 && info.target_is_dir == 1);
  mklink_info_free(&info); /* the strings are the library's: given back */

  /* Plain C I/O through the junction: the data lands in the target. */
  f = fopen(through, "w");
  CHECK(f != NULL);
  if (f != NULL) {
    fputs("through the junction\n", f);
    fclose(f);
  }
  CHECK(read_line(inside, line, sizeof line) && strcmp(line, "through the junction\n") == 0);

  /* Removing the junction removes the link only. */
  CHECK_RC(mklink_remove(junction_name), 0);
  CHECK_RC(mklink_query(junction_name, &info), MKLINK_ENOFILE);
  CHECK(read_line(inside, line, sizeof line) && strcmp(line, "through the junction\n") == 0);

  remove(inside);
  remove_dir(target);
  if (failures != 0) {
    fprintf(stderr, "test_consumer_junction: %d check(s) failed\n", failures);
    return 1;
  }
  printf("test_consumer_junction: all checks passed\n");
  return 0;
}

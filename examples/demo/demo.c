/*
 * demo.c -- creates each kind of link in a fresh temporary directory and
 * prints what mklink_query says of each, then removes what it made.
 *
 * Usage: mklink-demo [DIR]   (DIR: where to make the temporary directory;
 *                             default $TMPDIR or /tmp)
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mklink.h"

static const char *switch_of(mklink_kind kind) {
  switch (kind) {
  case MKLINK_DIR_SYMLINK:
    return "/D ";
  case MKLINK_HARDLINK:
    return "/H ";
  case MKLINK_JUNCTION:
    return "/J ";
  default:
    return "";
  }
}

static const char *created_line(mklink_kind kind) {
  switch (kind) {
  case MKLINK_HARDLINK:
    return "Hardlink created for";
  case MKLINK_JUNCTION:
    return "Junction created for";
  default:
    return "symbolic link created for";
  }
}

/* Create one link the way `mklink [/D|/H|/J] LINK TARGET` would, and say so
   with mklink's own words. */
static int make(const char *link, const char *target, mklink_kind kind) {
  int rc = mklink_create(link, target, kind, 0);
  printf("> mklink %s%s %s\n", switch_of(kind), link, target);
  if (rc == 0)
    printf("%s %s <<===>> %s\n", created_line(kind), link, target);
  else
    printf("%s  [%s]\n", mklink_strerror(rc), mklink_err_name(rc));
  return rc;
}

static void show(const char *path) {
  mklink_info info;
  int rc = mklink_query(path, &info);
  if (rc != 0) {
    printf("  %-16s query failed: %s\n", path, mklink_strerror(rc));
    return;
  }
  printf("  %-16s %s", path, mklink_kind_name(info.kind));
  if (info.target[0] != '\0')
    printf(", target \"%s\"", info.target);
  printf("\n  %-16s resolved %s, %s%s, %lu name%s\n", "", info.resolved,
         info.target_exists ? "exists" : "dangling",
         info.target_exists ? (info.target_is_dir ? " (directory)" : " (file)") : "",
         info.nlink, info.nlink == 1 ? "" : "s");
  mklink_info_free(&info);
}

static void unmake(const char *path) {
  int rc = mklink_remove(path);
  if (rc != 0)
    printf("  remove %s: %s\n", path, mklink_strerror(rc));
}

int main(int argc, char **argv) {
  static const char *const links[] = {"report.lnk", "data.lnk", "report.hard", "data.junction",
                                      "dangling.lnk"};
  char dir[4096];
  const char *base = argc > 1 ? argv[1] : getenv("TMPDIR");
  mklink_caps caps;
  FILE *f;
  size_t i;
  int failures = 0;
  if (base == NULL || base[0] == '\0')
    base = "/tmp";
  if ((size_t)snprintf(dir, sizeof dir, "%s/mklink-demo-XXXXXX", base) >= sizeof dir ||
      mkdtemp(dir) == NULL || chdir(dir) != 0) {
    fprintf(stderr, "mklink-demo: cannot make a directory under %s: %s\n", base,
            strerror(errno));
    return 1;
  }
  printf("libmklink %s, working in %s\n", mklink_version(), dir);
  if (mklink_capabilities(".", &caps) == 0)
    printf("here: real kinds 0x%x, simulated kinds 0x%x (junction = 0x%x)\n\n", caps.real,
           caps.simulated, MKLINK_KIND_BIT(MKLINK_JUNCTION));

  if (mkdir("data", 0755) != 0 || (f = fopen("data/report.txt", "w")) == NULL) {
    fprintf(stderr, "mklink-demo: cannot write in %s: %s\n", dir, strerror(errno));
    return 1;
  }
  fputs("quarterly numbers\n", f);
  fclose(f);

  failures += make("report.lnk", "data/report.txt", MKLINK_FILE_SYMLINK) != 0;
  failures += make("data.lnk", "data", MKLINK_DIR_SYMLINK) != 0;
  failures += make("report.hard", "data/report.txt", MKLINK_HARDLINK) != 0;
  failures += make("data.junction", "data", MKLINK_JUNCTION) != 0;
  failures += make("dangling.lnk", "missing.txt", MKLINK_FILE_SYMLINK) != 0;
  /* Two refusals, with the messages Windows prints. */
  make("data.hard", "data", MKLINK_HARDLINK);
  make("report.lnk", "data/report.txt", MKLINK_FILE_SYMLINK);

  printf("\nWhat mklink_query says:\n");
  for (i = 0; i < sizeof links / sizeof links[0]; i++)
    show(links[i]);
  show("data");
  show("data/report.txt");

  printf("\nmklink_remove refuses real data:\n");
  printf("  data: %s\n", mklink_strerror(mklink_remove("data")));
  for (i = 0; i < sizeof links / sizeof links[0]; i++)
    unmake(links[i]);
  printf("  data/report.txt: %s\n", mklink_strerror(mklink_remove("data/report.txt")));

  /* The demo's own files: plain names it made, removed one by one. */
  if (unlink("data/report.txt") != 0 || rmdir("data") != 0 || chdir("/") != 0 ||
      rmdir(dir) != 0) {
    fprintf(stderr, "mklink-demo: cannot clean up %s: %s\n", dir, strerror(errno));
    return 1;
  }
  printf("\n%s\n", failures == 0 ? "All four kinds were created, queried and removed."
                                 : "Some links could not be created here.");
  return failures == 0 ? 0 : 1;
}

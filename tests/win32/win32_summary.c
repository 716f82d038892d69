/*
 * win32_summary.c -- the Windows suite's closing line, from the counts the
 * suites wrote (win32-counts-<suite>.txt): what really ran on the system,
 * what ran against the NTFS model, what was skipped and why.
 *
 *   windows suite on Wine 8.0: 20 real, 51 real (wine bridge), 45 model, 5 skipped (reason x1; other x4)
 *
 * Wine's own version, as mklink_capabilities() reports it, names the run.
 * "real (wine bridge)": against the real system, with links made through
 * the Wine bridge (Unix symbolic links); named only where there is one.
 *
 * A suite that started but left no counts (it crashed) makes this fail; a
 * suite that was not run at all (ctest -R) is named in the line as such.
 * The line never covers for a missing suite.
 */
#include "mklink.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The skip reasons of every suite, each once with its total count: two
   suites skipping for the same reason give "reason x4", not "x2; x2". */
#define MAX_REASONS 32
static struct {
  char text[512];
  unsigned count;
} reasons[MAX_REASONS];
static size_t nreasons;

static void add_reason(const char *text, unsigned count) {
  size_t i;
  for (i = 0; i < nreasons; i++)
    if (strcmp(reasons[i].text, text) == 0) {
      reasons[i].count += count;
      return;
    }
  if (nreasons == MAX_REASONS) { /* the last entry collects the rest */
    snprintf(reasons[MAX_REASONS - 1].text, sizeof reasons[0].text, "other reasons");
    reasons[MAX_REASONS - 1].count += count;
    return;
  }
  snprintf(reasons[nreasons].text, sizeof reasons[0].text, "%s", text);
  reasons[nreasons++].count = count;
}

int main(int argc, char **argv) {
  unsigned real = 0, bridge = 0, model = 0, skipped = 0, v;
  char line[512], name[128], where[64];
  size_t r;
  mklink_caps caps;
  char not_run[256] = "";
  int i, at, finished, missing = 0;
  for (i = 1; i < argc; i++) {
    FILE *f;
    snprintf(name, sizeof name, "win32-counts-%s.txt", argv[i]);
    f = fopen(name, "r");
    if (f == NULL) {
      /* not selected (ctest -R): said in the line, not an error */
      snprintf(line, sizeof line, "%s%s", not_run[0] != '\0' ? ", " : "", argv[i]);
      strncat(not_run, line, sizeof not_run - strlen(not_run) - 1);
      continue;
    }
    finished = 0;
    while (fgets(line, sizeof line, f) != NULL) {
      at = 0;
      line[strcspn(line, "\r\n")] = '\0';
      if (strncmp(line, "failed ", 7) == 0)
        finished = 1;
      if (sscanf(line, "real %u", &v) == 1)
        real += v;
      else if (sscanf(line, "bridge %u", &v) == 1)
        bridge += v;
      else if (sscanf(line, "model %u", &v) == 1)
        model += v;
      else if (sscanf(line, "skipped %u", &v) == 1)
        skipped += v;
      else if (sscanf(line, "reason %u %n", &v, &at) == 1 && at > 0)
        add_reason(line + at, v);
    }
    fclose(f);
    if (!finished) {
      fprintf(stderr, "windows suite: %s started but left no counts (it crashed)\n", argv[i]);
      missing = 1;
    }
  }
  if (mklink_capabilities(NULL, &caps) == 0 && strcmp(caps.emulator, "wine") == 0)
    snprintf(where, sizeof where, "Wine %s", caps.emulator_version);
  else if (caps.emulator[0] != '\0')
    snprintf(where, sizeof where, "%s %s", caps.emulator, caps.emulator_version);
  else
    snprintf(where, sizeof where, "Windows");
  printf("windows suite on %s: %u real, ", where, real);
  if (bridge > 0 || (caps.bridged & caps.real) != 0)
    printf("%u real (wine bridge), ", bridge);
  printf("%u model, %u skipped", model, skipped);
  for (r = 0; r < nreasons; r++)
    printf("%s%s x%u%s", r == 0 ? " (" : "; ", reasons[r].text, reasons[r].count,
           r + 1 == nreasons ? ")" : "");
  if (not_run[0] != '\0')
    printf("; not run: %s", not_run);
  printf("\n");
  return missing;
}

/* cmdline.c -- a Windows command line as cmd passes it; see cmdline.h. */
#include "cmdline.h"

#include <stdlib.h>
#include <string.h>

static int is_blank(char c) { return c == ' ' || c == '\t'; }

/* The program's name: up to the next '"' if it starts with one, else up to
   the next blank.  Returns the position after it. */
static const char *program_name(const char *p, char **out) {
  char *o = *out;
  if (*p == '"') {
    for (p++; *p != '\0' && *p != '"'; p++)
      *o++ = *p;
    if (*p == '"')
      p++;
  } else {
    for (; *p != '\0' && !is_blank(*p); p++)
      *o++ = *p;
  }
  *o++ = '\0';
  *out = o;
  return p;
}

/* One argument from P (not blank, not the end) into *OUT. */
static const char *argument(const char *p, char **out) {
  char *o = *out;
  size_t run, k;
  int quoted = 0;
  while (*p != '\0' && (quoted || !is_blank(*p))) {
    if (*p == '"') {
      quoted = !quoted;
      p++;
      continue;
    }
    if (*p != '\\') {
      *o++ = *p++;
      continue;
    }
    for (run = 0; p[run] == '\\'; run++)
      ;
    if (p[run] == '"' && run % 2 == 0)
      run /= 2; /* the C runtime's doubling before a quote */
    for (k = 0; k < run; k++)
      *o++ = '\\';
    while (*p == '\\')
      p++;
  }
  *o++ = '\0';
  *out = o;
  return p;
}

char **mklink_cli_split_command_line(const char *line, int *argc) {
  size_t len = strlen(line);
  size_t slots = len / 2 + 2; /* every argument takes a character and a blank */
  char **argv = malloc(slots * sizeof *argv + len + slots + 1);
  char *o;
  const char *p = line;
  int n = 0;
  if (argv == NULL)
    return NULL;
  o = (char *)(argv + slots);
  argv[n++] = o;
  p = program_name(p, &o);
  for (;;) {
    while (is_blank(*p))
      p++;
    if (*p == '\0')
      break;
    argv[n++] = o;
    p = argument(p, &o);
  }
  argv[n] = NULL;
  *argc = n;
  return argv;
}

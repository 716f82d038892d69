/*
 * journal.c -- records of a plan's steps, written durably, read back after a
 * crash.  The format is text, so a journal can be read by a person, and
 * length-prefixed, so a path with a space, a newline or any other byte is
 * carried exactly: each field is "<decimal length>:<bytes> ", each record
 * ends with a newline.  The file is always replaced whole (write a temporary,
 * fsync, rename), so it is either the old record set or the new one.
 */
#include "internal.h"

#ifdef _WIN32
#define SEP '\\'
#else
#define SEP '/'
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void add(mklink__journal *j, const char *s, size_t n) {
  if (j->err != 0)
    return;
  if (j->len + n + 1 > j->cap) {
    size_t cap = j->cap > 0 ? j->cap : 4096;
    char *p;
    while (j->len + n + 1 > cap)
      cap *= 2;
    if ((p = realloc(j->data, cap)) == NULL) {
      j->err = MKLINK_ENOMEM;
      return;
    }
    j->data = p;
    j->cap = cap;
  }
  memcpy(j->data + j->len, s, n);
  j->len += n;
  j->data[j->len] = '\0';
}

/* N in decimal at the end of BUF (of 24 bytes); returns where it starts. */
static char *decimal(unsigned long long n, char *buf) {
  char *p = buf + 23;
  *p = '\0';
  do
    *--p = (char)('0' + n % 10);
  while ((n /= 10) != 0);
  return p;
}

void mklink__journal_field(mklink__journal *j, const char *s) {
  char head[24], *h;
  size_t n = s != NULL ? strlen(s) : 0;
  h = decimal(n, head);
  head[23] = ':';
  add(j, h, (size_t)(head + 24 - h));
  add(j, s != NULL ? s : "", n);
  add(j, " ", 1);
}

void mklink__journal_number(mklink__journal *j, long long n) {
  char buf[25], *p;
  if (n < 0) {
    p = decimal((unsigned long long)-(n + 1) + 1, buf + 1);
    *--p = '-';
  } else {
    p = decimal((unsigned long long)n, buf + 1);
  }
  mklink__journal_field(j, p);
}

void mklink__journal_append(mklink__journal *j, const char *data, size_t len) {
  if (len > 0)
    add(j, data, len);
}

void mklink__journal_end_record(mklink__journal *j) { add(j, "\n", 1); }

void mklink__journal_free(mklink__journal *j) {
  free(j->data);
  memset(j, 0, sizeof *j);
}

int mklink__journal_save(const char *path, const mklink__journal *j) {
  char *dir = NULL;
  int rc;
  if (j->err != 0)
    return j->err;
  if ((rc = mklink__state_dir(1, &dir)) != 0)
    return rc;
  free(dir);
  return mklink__write_file_atomic(path, j->data != NULL ? j->data : "", j->len);
}

#define MAX_FIELDS 16

int mklink__journal_parse(char *data, size_t len, mklink__journal_cb cb, void *arg) {
  char *fields[MAX_FIELDS];
  size_t pos = 0, n = 0, flen;
  int rc;
  while (pos < len) {
    if (data[pos] == '\n') {
      if ((rc = cb(fields, n, arg)) != 0)
        return rc;
      n = 0;
      pos++;
      continue;
    }
    flen = 0;
    if (data[pos] < '0' || data[pos] > '9')
      return MKLINK_EIO;
    while (pos < len && data[pos] >= '0' && data[pos] <= '9') {
      if (flen > len)
        return MKLINK_EIO;
      flen = flen * 10 + (size_t)(data[pos++] - '0');
    }
    if (pos >= len || data[pos] != ':' || flen > len - pos - 1 || n == MAX_FIELDS)
      return MKLINK_EIO;
    pos++;
    if (pos + flen >= len || data[pos + flen] != ' ')
      return MKLINK_EIO;
    fields[n++] = data + pos;
    data[pos + flen] = '\0';
    pos += flen + 1;
  }
  return n == 0 ? 0 : MKLINK_EIO; /* a last record without its newline */
}

/* FNV-1a, 64 bits: a stable name from a path (not a security measure). */
static unsigned long long hash64(const char *s) {
  unsigned long long h = 1469598103934665603ull;
  for (; *s != '\0'; s++) {
    h ^= (unsigned char)*s;
    h *= 1099511628211ull;
  }
  return h;
}

int mklink__journal_path(const char *kind, const char *key, char **out) {
  char *dir = NULL, *p;
  size_t n;
  int rc = mklink__state_dir(0, &dir);
  *out = NULL;
  if (rc != 0)
    return rc;
  n = strlen(dir) + strlen(kind) + 40;
  if ((p = malloc(n)) == NULL) {
    free(dir);
    return MKLINK_ENOMEM;
  }
  snprintf(p, n, "%s%c%s-%016llx.journal", dir, SEP, kind, hash64(key));
  free(dir);
  *out = p;
  return 0;
}

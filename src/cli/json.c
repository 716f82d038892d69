/* json.c -- one-line JSON objects with strict string escaping. */
#include "json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void append(struct mklink_json *j, const char *s, size_t n) {
  size_t cap;
  char *grown;
  if (j->failed)
    return;
  if (j->len + n + 1 > j->cap) {
    cap = j->cap > 0 ? j->cap : 256;
    while (cap < j->len + n + 1)
      cap *= 2;
    if ((grown = realloc(j->buf, cap)) == NULL) {
      j->failed = 1;
      return;
    }
    j->buf = grown;
    j->cap = cap;
  }
  memcpy(j->buf + j->len, s, n);
  j->len += n;
  j->buf[j->len] = '\0';
}

static void append_str(struct mklink_json *j, const char *s) { append(j, s, strlen(s)); }

static void append_char(struct mklink_json *j, char c) { append(j, &c, 1); }

/* Length of the valid UTF-8 sequence at S (1..4), or 0 if S does not start
   one (overlong forms, surrogates and values past U+10FFFF are invalid). */
static size_t utf8_length(const unsigned char *s) {
  unsigned c = s[0];
  size_t n, i;
  unsigned long cp;
  if (c < 0x80)
    return 1;
  if (c >= 0xC2 && c <= 0xDF)
    n = 2, cp = c & 0x1Fu;
  else if (c >= 0xE0 && c <= 0xEF)
    n = 3, cp = c & 0x0Fu;
  else if (c >= 0xF0 && c <= 0xF4)
    n = 4, cp = c & 0x07u;
  else
    return 0;
  for (i = 1; i < n; i++) {
    if ((s[i] & 0xC0u) != 0x80u)
      return 0;
    cp = (cp << 6) | (s[i] & 0x3Fu);
  }
  if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
      (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  return n;
}

/* How many bytes from P on go out as they are: printable ASCII but the
   quote and the backslash, and valid UTF-8 sequences. */
static size_t plain_run(const unsigned char *p) {
  const unsigned char *q = p;
  size_t n;
  for (;;) {
    if (*q >= 0x20 && *q < 0x7F && *q != '"' && *q != '\\')
      q++;
    else if (*q >= 0x80 && (n = utf8_length(q)) > 0)
      q += n;
    else
      return (size_t)(q - p);
  }
}

void mklink_json_write_string(struct mklink_json *j, const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  char esc[8];
  size_t n;
  append_char(j, '"');
  while (*p != '\0') {
    /* A path is one run, copied at once, not a byte at a time. */
    if ((n = plain_run(p)) > 0) {
      append(j, (const char *)p, n);
      p += n;
      continue;
    }
    if (*p == '"' || *p == '\\') {
      append_char(j, '\\');
      append_char(j, (char)*p++);
    } else if (*p == '\n') {
      append_str(j, "\\n"), p++;
    } else if (*p == '\t') {
      append_str(j, "\\t"), p++;
    } else if (*p < 0x20 || *p == 0x7F) {
      snprintf(esc, sizeof esc, "\\u%04x", *p++);
      append_str(j, esc);
    } else {
      append_str(j, "\\ufffd"), p++; /* no valid UTF-8 starts here */
    }
  }
  append_char(j, '"');
}

static void key(struct mklink_json *j, const char *name) {
  if (j->fields++ > 0)
    append_char(j, ',');
  mklink_json_write_string(j, name);
  append_char(j, ':');
}

void mklink_json_begin(struct mklink_json *j) {
  j->len = 0;
  j->fields = 0;
  j->failed = 0;
  append_char(j, '{');
}

void mklink_json_string(struct mklink_json *j, const char *name, const char *value) {
  key(j, name);
  if (value == NULL)
    append_str(j, "null");
  else
    mklink_json_write_string(j, value);
}

void mklink_json_bool(struct mklink_json *j, const char *name, int value) {
  key(j, name);
  append_str(j, value ? "true" : "false");
}

void mklink_json_number(struct mklink_json *j, const char *name, long long value) {
  char num[32];
  key(j, name);
  snprintf(num, sizeof num, "%lld", value);
  append_str(j, num);
}

void mklink_json_begin_array(struct mklink_json *j, const char *name) {
  key(j, name);
  append_char(j, '[');
}

void mklink_json_array_string(struct mklink_json *j, int index, const char *value) {
  if (index > 0)
    append_char(j, ',');
  mklink_json_write_string(j, value);
}

void mklink_json_end_array(struct mklink_json *j) { append_char(j, ']'); }

void mklink_json_end(struct mklink_json *j) { append_str(j, "}\n"); }

void mklink_json_free(struct mklink_json *j) {
  free(j->buf);
  j->buf = NULL;
  j->len = j->cap = 0;
}

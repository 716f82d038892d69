/* json.c -- one-line JSON objects with strict string escaping. */
#include "json.h"

#include <stddef.h>

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

void mklink_json_write_string(FILE *f, const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  size_t n;
  putc('"', f);
  while (*p != '\0') {
    if (*p == '"' || *p == '\\') {
      putc('\\', f);
      putc(*p++, f);
    } else if (*p == '\n') {
      fputs("\\n", f), p++;
    } else if (*p == '\t') {
      fputs("\\t", f), p++;
    } else if (*p < 0x20 || *p == 0x7F) {
      fprintf(f, "\\u%04x", *p++);
    } else if ((n = utf8_length(p)) == 0) {
      fputs("\\ufffd", f), p++;
    } else {
      fwrite(p, 1, n, f);
      p += n;
    }
  }
  putc('"', f);
}

static void key(struct mklink_json *j, const char *name) {
  if (j->fields++ > 0)
    putc(',', j->f);
  mklink_json_write_string(j->f, name);
  putc(':', j->f);
}

void mklink_json_begin(struct mklink_json *j, FILE *f) {
  j->f = f;
  j->fields = 0;
  putc('{', f);
}

void mklink_json_string(struct mklink_json *j, const char *name, const char *value) {
  key(j, name);
  if (value == NULL)
    fputs("null", j->f);
  else
    mklink_json_write_string(j->f, value);
}

void mklink_json_bool(struct mklink_json *j, const char *name, int value) {
  key(j, name);
  fputs(value ? "true" : "false", j->f);
}

void mklink_json_number(struct mklink_json *j, const char *name, long long value) {
  key(j, name);
  fprintf(j->f, "%lld", value);
}

void mklink_json_begin_array(struct mklink_json *j, const char *name) {
  key(j, name);
  putc('[', j->f);
}

void mklink_json_array_string(struct mklink_json *j, int index, const char *value) {
  if (index > 0)
    putc(',', j->f);
  mklink_json_write_string(j->f, value);
}

void mklink_json_end_array(struct mklink_json *j) { putc(']', j->f); }

void mklink_json_end(struct mklink_json *j) {
  putc('}', j->f);
  putc('\n', j->f);
}

/*
 * json.h -- a minimal writer of one-line JSON objects.
 *
 * Strings are written as valid JSON whatever the bytes: '"', '\\' and control
 * characters are escaped, valid UTF-8 passes through, and each byte that is
 * not part of valid UTF-8 (a POSIX file name may hold any byte) becomes
 * U+FFFD, so every line parses with a strict JSON parser.
 */
#ifndef MKLINK_CLI_JSON_H
#define MKLINK_CLI_JSON_H

#include <stdio.h>

struct mklink_json {
  FILE *f;
  int fields; /* fields written so far in the current object */
};

void mklink_json_begin(struct mklink_json *j, FILE *f);
void mklink_json_string(struct mklink_json *j, const char *key, const char *value);
void mklink_json_bool(struct mklink_json *j, const char *key, int value);
void mklink_json_number(struct mklink_json *j, const char *key, long long value);
/* KEY: [ "a", "b" ]: begin, one call per element (INDEX from 0), end. */
void mklink_json_begin_array(struct mklink_json *j, const char *key);
void mklink_json_array_string(struct mklink_json *j, int index, const char *value);
void mklink_json_end_array(struct mklink_json *j);
void mklink_json_end(struct mklink_json *j); /* "}" and a newline */

/* Write S as a quoted JSON string. */
void mklink_json_write_string(FILE *f, const char *s);

#endif /* MKLINK_CLI_JSON_H */

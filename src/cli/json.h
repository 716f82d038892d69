/*
 * json.h -- a minimal writer of one-line JSON objects, built in memory.
 *
 * An object is built in J's buffer (mklink_json_begin ... mklink_json_end)
 * and the caller writes J->buf, J->len bytes out in one piece, so a line is
 * never interleaved with a message.  The buffer is kept from one object to
 * the next; mklink_json_free() releases it.
 *
 * Strings are written as valid JSON whatever the bytes: '"', '\\' and control
 * characters are escaped, valid UTF-8 passes through, and each byte that is
 * not part of valid UTF-8 (a POSIX file name may hold any byte) becomes
 * U+FFFD, so every line parses with a strict JSON parser.
 */
#ifndef MKLINK_CLI_JSON_H
#define MKLINK_CLI_JSON_H

#include <stddef.h>

struct mklink_json {
  char *buf;  /* the text so far, NUL-terminated when len > 0           */
  size_t len, cap;
  int fields; /* fields written so far in the current object           */
  int failed; /* out of memory: the object is incomplete, do not write */
};

#define MKLINK_JSON_INIT {NULL, 0, 0, 0, 0}

void mklink_json_begin(struct mklink_json *j); /* "{", the buffer emptied */
void mklink_json_string(struct mklink_json *j, const char *key, const char *value);
void mklink_json_bool(struct mklink_json *j, const char *key, int value);
void mklink_json_number(struct mklink_json *j, const char *key, long long value);
/* KEY: [ "a", "b" ]: begin, one call per element (INDEX from 0), end. */
void mklink_json_begin_array(struct mklink_json *j, const char *key);
void mklink_json_array_string(struct mklink_json *j, int index, const char *value);
void mklink_json_end_array(struct mklink_json *j);
void mklink_json_end(struct mklink_json *j); /* "}" and a newline */
void mklink_json_free(struct mklink_json *j);

/* Append S as a quoted JSON string. */
void mklink_json_write_string(struct mklink_json *j, const char *s);

#endif /* MKLINK_CLI_JSON_H */

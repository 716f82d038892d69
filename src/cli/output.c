/* output.c -- the command's two output streams; see output.h. */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L /* isatty, clock_gettime under -std=c11 */
#endif
#include "output.h"

#include "mklink.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>
#else
#include <errno.h>
#include <time.h>
#include <unistd.h>
#endif

#define BUF_SIZE (1 << 16)

struct stream {
  char buf[BUF_SIZE];
  size_t len;
  int oserr;   /* first failed write: errno or GetLastError(), 0 if none */
#ifdef _WIN32
  int probed;  /* console looked for                                     */
  HANDLE h;
  int console; /* a console: WriteConsoleW                               */
#endif
};

static struct stream streams[2];

/* ---- the system's write ------------------------------------------------- */

#ifdef _WIN32
static void probe(struct stream *st, enum mklink_out_stream s) {
  DWORD mode;
  st->h = GetStdHandle(s == MKLINK_OUT ? STD_OUTPUT_HANDLE : STD_ERROR_HANDLE);
  st->console = st->h != NULL && st->h != INVALID_HANDLE_VALUE && GetConsoleMode(st->h, &mode);
  st->probed = 1;
}

/* N bytes of UTF-8 as UTF-16 on the console.  N ends on a character boundary
   (the caller keeps an incomplete tail for the next call). */
static int write_console(struct stream *st, const char *p, size_t n) {
  wchar_t w[4096];
  size_t chunk;
  int units;
  DWORD done;
  while (n > 0) {
    chunk = n < 4096 ? n : 4096; /* at most one UTF-16 unit per byte */
    while (chunk < n && ((unsigned char)p[chunk] & 0xC0u) == 0x80u)
      chunk--;
    units = MultiByteToWideChar(CP_UTF8, 0, p, (int)chunk, w, 4096);
    if (units <= 0 || !WriteConsoleW(st->h, w, (DWORD)units, &done, NULL))
      return (int)GetLastError();
    p += chunk;
    n -= chunk;
  }
  return 0;
}

static int write_file(struct stream *st, const char *p, size_t n) {
  DWORD done;
  while (n > 0) {
    if (!WriteFile(st->h, p, (DWORD)(n < 0x40000000u ? n : 0x40000000u), &done, NULL))
      return (int)GetLastError();
    p += done;
    n -= done;
  }
  return 0;
}

static int os_write(struct stream *st, enum mklink_out_stream s, const char *p, size_t n) {
  if (!st->probed)
    probe(st, s);
  if (st->h == NULL || st->h == INVALID_HANDLE_VALUE)
    return ERROR_INVALID_HANDLE;
  return st->console ? write_console(st, p, n) : write_file(st, p, n);
}
#else
static int os_write(struct stream *st, enum mklink_out_stream s, const char *p, size_t n) {
  ssize_t done;
  (void)st;
  while (n > 0) {
    done = write(s == MKLINK_OUT ? 1 : 2, p, n);
    if (done < 0 && errno == EINTR)
      continue;
    if (done <= 0)
      return done < 0 ? errno : EIO;
    p += done;
    n -= (size_t)done;
  }
  return 0;
}
#endif

/* Where the buffer's last complete UTF-8 character ends: a character cut by
   the end of the buffer waits for its other bytes (the console converts
   whole characters only). */
static size_t complete_part(const char *buf, size_t len) {
  size_t i = len, need;
  unsigned char lead;
  while (i > 0 && len - i < 3 && ((unsigned char)buf[i - 1] & 0xC0u) == 0x80u)
    i--;
  if (i == 0 || ((unsigned char)buf[i - 1] & 0xC0u) != 0xC0u)
    return len;
  lead = (unsigned char)buf[i - 1];
  need = lead >= 0xF0u ? 4 : lead >= 0xE0u ? 3 : 2;
  return len - (i - 1) < need ? i - 1 : len;
}

/* Write out the buffer, up to its last complete character. */
static void drain(enum mklink_out_stream s) {
  struct stream *st = &streams[s];
  size_t n = complete_part(st->buf, st->len), keep = st->len - n;
  int err;
  if (st->oserr == 0 && n > 0 && (err = os_write(st, s, st->buf, n)) != 0)
    st->oserr = err;
  memmove(st->buf, st->buf + n, keep);
  st->len = keep;
}

/* Append N bytes that hold no "\n" (Windows) or any bytes (POSIX), in
   blocks: a listing of long paths is copied, never walked byte by byte. */
static void put_run(struct stream *st, enum mklink_out_stream s, const char *p, size_t n) {
  while (n > 0) {
    size_t room, chunk;
    if (st->len + 2 >= BUF_SIZE)
      drain(s);
    room = BUF_SIZE - 2 - st->len; /* two bytes kept for a CRLF */
    chunk = n < room ? n : room;
    memcpy(st->buf + st->len, p, chunk);
    st->len += chunk;
    p += chunk;
    n -= chunk;
  }
}

static void put_text(enum mklink_out_stream s, const char *text, size_t len) {
  struct stream *st = &streams[s];
#ifdef _WIN32
  const char *nl;
  while (len > 0 && (nl = memchr(text, '\n', len)) != NULL) {
    put_run(st, s, text, (size_t)(nl - text));
    if (st->len + 2 > BUF_SIZE)
      drain(s);
    st->buf[st->len++] = '\r';
    st->buf[st->len++] = '\n';
    len -= (size_t)(nl - text) + 1;
    text = nl + 1;
  }
#endif
  put_run(st, s, text, len);
}

/* ---- the interface ------------------------------------------------------ */

void mklink_out_write(enum mklink_out_stream s, const char *text, size_t len) {
  if (s == MKLINK_ERR)
    mklink_out_flush(MKLINK_OUT); /* results first, then the message */
  if (streams[s].oserr != 0)
    return;
  put_text(s, text, len);
  if (s == MKLINK_ERR)
    mklink_out_flush(MKLINK_ERR);
}

void mklink_out_puts(enum mklink_out_stream s, const char *text) {
  mklink_out_write(s, text, strlen(text));
}

void mklink_out_printf(enum mklink_out_stream s, const char *fmt, ...) {
  char small[1024], *text = small;
  va_list ap;
  int n;
  va_start(ap, fmt);
  n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0)
    return;
  if ((size_t)n >= sizeof small) {
    text = malloc((size_t)n + 1);
    if (text == NULL)
      return;
    va_start(ap, fmt);
    vsnprintf(text, (size_t)n + 1, fmt, ap);
    va_end(ap);
  }
  mklink_out_write(s, text, (size_t)n);
  if (text != small)
    free(text);
}

void mklink_out_flush(enum mklink_out_stream s) {
  struct stream *st = &streams[s];
  int err;
  drain(s);
  if (st->len > 0 && st->oserr == 0 && (err = os_write(st, s, st->buf, st->len)) != 0)
    st->oserr = err; /* the end of the output: an incomplete tail goes too */
  st->len = 0;
}

#ifdef _WIN32
int mklink_out_is_terminal(enum mklink_out_stream s) {
  struct stream *st = &streams[s];
  if (!st->probed)
    probe(st, s);
  return st->console;
}

unsigned long long mklink_out_clock_ms(void) { return (unsigned long long)GetTickCount64(); }
#else
int mklink_out_is_terminal(enum mklink_out_stream s) { return isatty(s == MKLINK_OUT ? 1 : 2); }

unsigned long long mklink_out_clock_ms(void) {
  struct timespec ts;
  if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
    return 0;
  return (unsigned long long)ts.tv_sec * 1000u + (unsigned long long)ts.tv_nsec / 1000000u;
}
#endif

int mklink_out_failed(void) { return streams[MKLINK_OUT].oserr != 0; }

int mklink_out_finish(void) {
  char msg[MKLINK_STRERROR_MAX];
  mklink_out_flush(MKLINK_OUT);
  if (streams[MKLINK_OUT].oserr == 0) {
    mklink_out_flush(MKLINK_ERR);
    return 0;
  }
  mklink_strerror_r(mklink_err_from_os(streams[MKLINK_OUT].oserr), msg, sizeof msg);
  mklink_out_printf(MKLINK_ERR, "mklink: write error on standard output: %s\n", msg);
  return 1;
}

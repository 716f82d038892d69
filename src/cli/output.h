/*
 * output.h -- every byte the command prints goes through here.
 *
 * Two streams: MKLINK_OUT for results (stdout), MKLINK_ERR for messages
 * (stderr).  Text is UTF-8 with "\n" line ends.  On POSIX it is written as it
 * is.  On Windows each "\n" goes out as CRLF, as cmd prints it, and a stream
 * that is a console is written with WriteConsoleW, the console's Unicode
 * API, so a name shows as it is whatever the console's code page; a file or
 * a pipe gets the UTF-8 bytes.
 *
 * Results are buffered (a long listing costs few system calls); a message is
 * written whole at once, after the results before it, so the two streams
 * stay in order on a terminal.  The first failed write on MKLINK_OUT is
 * remembered, later results are dropped, and mklink_out_finish() says so.
 */
#ifndef MKLINK_CLI_OUTPUT_H
#define MKLINK_CLI_OUTPUT_H

#include <stddef.h>

enum mklink_out_stream { MKLINK_OUT = 0, MKLINK_ERR = 1 };

void mklink_out_write(enum mklink_out_stream s, const char *text, size_t len);
void mklink_out_puts(enum mklink_out_stream s, const char *text);
void mklink_out_printf(enum mklink_out_stream s, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void mklink_out_flush(enum mklink_out_stream s);

/* 1 if stream S is a terminal (a console on Windows): where a progress
   bar may be drawn. */
int mklink_out_is_terminal(enum mklink_out_stream s);

/* A monotonic clock in milliseconds (for rates and redraw pacing only). */
unsigned long long mklink_out_clock_ms(void);

/* 1 once a write on MKLINK_OUT has failed (a command may stop early). */
int mklink_out_failed(void);

/* Flush both streams.  If a write on MKLINK_OUT failed, print
   "mklink: write error on standard output: <message>" on MKLINK_ERR and
   return 1, else 0. */
int mklink_out_finish(void);

#endif /* MKLINK_CLI_OUTPUT_H */

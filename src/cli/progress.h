/*
 * progress.h -- the words and the bar of a move's progress, computed
 * without any output or clock so they can be tested alone.
 */
#ifndef MKLINK_CLI_PROGRESS_H
#define MKLINK_CLI_PROGRESS_H

#include "mklink.h"

#include <stddef.h>

/* The --json name of PHASE ("plan", "copy", "verify", "swap", "clean",
   "done"). */
const char *mklink_cli_phase_name(mklink_move_phase phase);

/* BYTES for people, in binary units: "512 B", "1.5 KiB", "12.0 GiB". */
void mklink_cli_human_bytes(char *buf, size_t size, unsigned long long bytes);

/*
 * One line of the terminal's progress bar for P, ELAPSED_MS after its phase
 * began, at most SIZE - 1 characters, no newline:
 *   "copying 42% [####......] 1.2 GiB/2.9 GiB 1234/5678 files 0:21 left 85.3 MiB/s"
 * (the time left before the rate: on a narrow line the rate is cut first)
 * The rate and the time left are shown once a phase has run for a while
 * and moved bytes (else "--"); a phase without bytes (swap, clean) shows
 * its name and the file counts only.
 */
void mklink_cli_progress_line(char *buf, size_t size, const mklink_move_progress *p,
                              unsigned long long elapsed_ms);

#endif /* MKLINK_CLI_PROGRESS_H */

/* progress.c -- a move's progress in words; see progress.h. */
#include "progress.h"

#include <stdio.h>
#include <string.h>

const char *mklink_cli_phase_name(mklink_move_phase phase) {
  switch (phase) {
  case MKLINK_MOVE_PLAN:
    return "plan";
  case MKLINK_MOVE_COPY:
    return "copy";
  case MKLINK_MOVE_VERIFY:
    return "verify";
  case MKLINK_MOVE_SWAP:
    return "swap";
  case MKLINK_MOVE_CLEAN:
    return "clean";
  case MKLINK_MOVE_DONE:
    return "done";
  }
  return "unknown";
}

/* What the bar says the move is doing. */
static const char *phase_words(mklink_move_phase phase) {
  switch (phase) {
  case MKLINK_MOVE_PLAN:
    return "planning";
  case MKLINK_MOVE_COPY:
    return "copying";
  case MKLINK_MOVE_VERIFY:
    return "verifying";
  case MKLINK_MOVE_SWAP:
    return "linking";
  case MKLINK_MOVE_CLEAN:
    return "removing";
  case MKLINK_MOVE_DONE:
    return "done";
  }
  return "moving";
}

void mklink_cli_human_bytes(char *buf, size_t size, unsigned long long bytes) {
  static const char *const units[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  double v = (double)bytes;
  size_t u = 0;
  if (bytes < 1024) {
    snprintf(buf, size, "%llu B", bytes);
    return;
  }
  v /= 1024.0;
  while (v >= 1024.0 && u + 1 < sizeof units / sizeof units[0]) {
    v /= 1024.0;
    u++;
  }
  snprintf(buf, size, "%.1f %s", v, units[u]);
}

/* "1:05:09" or "0:21" for SECONDS. */
static void clock_text(char *buf, size_t size, unsigned long long seconds) {
  if (seconds >= 3600)
    snprintf(buf, size, "%llu:%02llu:%02llu", seconds / 3600, seconds / 60 % 60, seconds % 60);
  else
    snprintf(buf, size, "%llu:%02llu", seconds / 60, seconds % 60);
}

#define BAR_WIDTH 10
#define RATE_AFTER_MS 500 /* a rate from less than this is noise */

void mklink_cli_progress_line(char *buf, size_t size, const mklink_move_progress *p,
                              unsigned long long elapsed_ms) {
  char bar[BAR_WIDTH + 1], done[24], total[24], rate[32], left[24];
  unsigned long long permille = 0, per_second, seconds;
  size_t k, filled;

  if (size == 0)
    return;
  if (p->phase != MKLINK_MOVE_COPY && p->phase != MKLINK_MOVE_VERIFY) {
    snprintf(buf, size, "%s %llu/%llu files", phase_words(p->phase), p->files_done,
             p->files_total);
    return;
  }
  if (p->bytes_total > 0)
    permille = (p->bytes_done >= p->bytes_total ? 1000ull
                                                : p->bytes_done * 1000ull / p->bytes_total);
  else if (p->files_total > 0)
    permille = p->files_done >= p->files_total ? 1000ull : p->files_done * 1000ull / p->files_total;
  filled = (size_t)(permille * BAR_WIDTH / 1000ull);
  for (k = 0; k < BAR_WIDTH; k++)
    bar[k] = k < filled ? '#' : '.';
  bar[BAR_WIDTH] = '\0';
  mklink_cli_human_bytes(done, sizeof done, p->bytes_done);
  mklink_cli_human_bytes(total, sizeof total, p->bytes_total);
  strcpy(rate, "--/s");
  strcpy(left, "--");
  if (elapsed_ms >= RATE_AFTER_MS && p->bytes_done > 0) {
    per_second = (unsigned long long)((double)p->bytes_done * 1000.0 / (double)elapsed_ms);
    mklink_cli_human_bytes(rate, sizeof rate - 2, per_second);
    strcat(rate, "/s");
    if (per_second > 0 && p->bytes_total >= p->bytes_done) {
      seconds = (p->bytes_total - p->bytes_done + per_second - 1) / per_second;
      clock_text(left, sizeof left, seconds);
    }
  }
  snprintf(buf, size, "%s %llu%% [%s] %s/%s %llu/%llu files %s left %s", phase_words(p->phase),
           permille / 10, bar, done, total, p->files_done, p->files_total, left, rate);
}

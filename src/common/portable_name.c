/*
 * portable_name.c -- Windows' rules for one name, its UTF-16 length, its
 * case as NTFS compares it, and where a relative link text leads
 * (portable.h).  The sources of each rule are in docs/portability.md.
 */
#include "portable.h"

#include <string.h>

long mklink__utf8_next(const unsigned char *s, size_t len, size_t *i) {
  size_t k = *i, n, j;
  unsigned char c = s[k];
  long cp, min;

  if (c < 0x80) {
    *i = k + 1;
    return c;
  }
  if (c >= 0xC2 && c <= 0xDF) {
    n = 1, cp = c & 0x1F, min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 2, cp = c & 0x0F, min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 3, cp = c & 0x07, min = 0x10000;
  } else {
    *i = k + 1; /* a continuation byte, C0, C1 or F5-FF as a lead */
    return -1;
  }
  if (len - k <= n) {
    *i = k + 1;
    return -1;
  }
  for (j = 1; j <= n; j++) {
    if ((s[k + j] & 0xC0) != 0x80) {
      *i = k + 1;
      return -1;
    }
    cp = (cp << 6) | (s[k + j] & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    *i = k + 1; /* overlong, beyond Unicode, or a surrogate */
    return -1;
  }
  *i = k + n + 1;
  return cp;
}

int mklink__utf8_valid(const char *s, size_t len) {
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0;
  while (i < len) {
    if (u[i] < 0x80) {
      i++;
      continue;
    }
    if (mklink__utf8_next(u, len, &i) < 0)
      return 0;
  }
  return 1;
}

static int upper_ascii(int c) { return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c; }

/* NAME[0..LEN) equals WORD (upper-case ASCII) without regard to ASCII case. */
static int same_word(const char *name, size_t len, const char *word) {
  size_t k;
  if (strlen(word) != len)
    return 0;
  for (k = 0; k < len; k++)
    if (upper_ascii((unsigned char)name[k]) != (unsigned char)word[k])
      return 0;
  return 1;
}

/*
 * The device NAME's base names, or NULL.  The base is what comes before the
 * first dot, without the spaces at its end: Windows resolves "nul.txt",
 * "NUL.tar.gz" and "nul .txt" to the device NUL in any directory.  COM0 and
 * LPT0 are no devices (docs/portability.md: Windows 10 and 11 make them as
 * files); the superscript digits 1, 2 and 3 are (U+00B9, U+00B2, U+00B3).
 */
static const char *device_of(const char *name, size_t len) {
  static const char *const plain[] = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"};
  static const char *const com[] = {"COM1", "COM2", "COM3", "COM4", "COM5",
                                    "COM6", "COM7", "COM8", "COM9"};
  static const char *const lpt[] = {"LPT1", "LPT2", "LPT3", "LPT4", "LPT5",
                                    "LPT6", "LPT7", "LPT8", "LPT9"};
  static const char *const com_sup[] = {"COM\xc2\xb9", "COM\xc2\xb2", "COM\xc2\xb3"};
  static const char *const lpt_sup[] = {"LPT\xc2\xb9", "LPT\xc2\xb2", "LPT\xc2\xb3"};
  const char *dot = memchr(name, '.', len);
  size_t base = dot != NULL ? (size_t)(dot - name) : len, k;
  int lpt_name;
  unsigned char d;

  while (base > 0 && name[base - 1] == ' ')
    base--;
  /* Almost every name is none: its first letter says so at once. */
  if (len == 0)
    return NULL;
  switch (upper_ascii((unsigned char)name[0])) {
  case 'A': case 'C': case 'L': case 'N': case 'P':
    break;
  default:
    return NULL;
  }
  if (base == 3 || base == 6 || base == 7) {
    for (k = 0; k < sizeof plain / sizeof plain[0]; k++)
      if (same_word(name, base, plain[k]))
        return plain[k];
    return NULL;
  }
  if (base != 4 && base != 5)
    return NULL;
  if (same_word(name, 3, "COM"))
    lpt_name = 0;
  else if (same_word(name, 3, "LPT"))
    lpt_name = 1;
  else
    return NULL;
  d = (unsigned char)name[3];
  if (base == 4 && d >= '1' && d <= '9')
    return lpt_name ? lpt[d - '1'] : com[d - '1'];
  if (base == 5 && d == 0xC2) {
    d = (unsigned char)name[4];
    k = d == 0xB9 ? 0 : d == 0xB2 ? 1 : d == 0xB3 ? 2 : 3;
    if (k < 3)
      return lpt_name ? lpt_sup[k] : com_sup[k];
  }
  return NULL;
}

static int is_forbidden(unsigned char c) {
  switch (c) {
  case '<': case '>': case ':': case '"': case '\\': case '|': case '?': case '*':
    return 1;
  default:
    return 0;
  }
}

/* 1 for the bytes that need a closer look: control characters, the
   forbidden ones and every non-ASCII byte; the run of plain ASCII between
   them is passed in one tight loop. */
static int needs_look(unsigned char c) {
  /* Bit C of LOW for C < 64, bit C - 64 of HIGH for the rest of ASCII:
     the controls 0-31 and is_forbidden's set. */
  static const uint64_t low = 0xFFFFFFFFull | 1ull << '"' | 1ull << '*' | 1ull << ':' |
                              1ull << '<' | 1ull << '>' | 1ull << '?';
  static const uint64_t high = 1ull << ('\\' - 64) | 1ull << ('|' - 64);
  if (c >= 0x80)
    return 1;
  return (int)(((c < 64 ? low : high) >> (c & 63)) & 1u);
}

unsigned mklink__name_check(const char *name, size_t len, mklink__name_report *out) {
  const unsigned char *u = (const unsigned char *)name;
  size_t i = 0, at;
  long cp;

  memset(out, 0, sizeof *out);
  while (i < len) {
    at = i;
    while (i < len && !needs_look(u[i]))
      i++;
    out->units += i - at;
    if (i == len)
      break;
    at = i;
    if (u[i] < 0x80) {
      if (u[i] < 0x20 && !(out->found & MKLINK__NAME_CONTROL)) {
        out->found |= MKLINK__NAME_CONTROL;
        out->control_at = at;
      } else if (is_forbidden(u[i]) && !(out->found & MKLINK__NAME_FORBIDDEN)) {
        out->found |= MKLINK__NAME_FORBIDDEN;
        out->forbidden_at = at;
      }
      i++;
      out->units++;
      continue;
    }
    cp = mklink__utf8_next(u, len, &i);
    if (cp < 0 && !(out->found & MKLINK__NAME_BAD_UTF8)) {
      out->found |= MKLINK__NAME_BAD_UTF8;
      out->bad_at = at;
    }
    out->units += cp >= 0x10000 ? 2 : 1;
  }
  if (len > 0 && (name[len - 1] == '.' || name[len - 1] == ' ')) {
    out->found |= MKLINK__NAME_TRAILING;
    out->trailing = name[len - 1];
  }
  if (out->units > MKLINK__NAME_MAX_UNITS)
    out->found |= MKLINK__NAME_TOO_LONG;
  if ((out->device = device_of(name, len)) != NULL)
    out->found |= MKLINK__NAME_RESERVED;
  return out->found;
}

uint16_t mklink__upcase_unit(uint16_t unit) {
  size_t lo = 0, hi = mklink__upcase_nruns;
  if (unit < 0x80)
    return (uint16_t)upper_ascii(unit);
  while (lo < hi) { /* the last run whose first unit is <= UNIT */
    size_t mid = lo + (hi - lo) / 2;
    if (mklink__upcase_runs[mid].first <= unit)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo > 0) {
    const mklink__upcase_run *r = &mklink__upcase_runs[lo - 1];
    if (unit <= r->last && (unit - r->first) % r->step == 0)
      return (uint16_t)(unit + r->delta);
  }
  return unit;
}

size_t mklink__name_key(const char *name, size_t len, uint16_t *out) {
  const unsigned char *u = (const unsigned char *)name;
  size_t i = 0, n = 0, at;
  long cp;
  while (i < len) {
    if (u[i] < 0x80) {
      out[n++] = (uint16_t)upper_ascii(u[i++]);
      continue;
    }
    at = i;
    cp = mklink__utf8_next(u, len, &i);
    if (cp < 0) {
      out[n++] = (uint16_t)(0xDC00 + u[at]);
    } else if (cp >= 0x10000) { /* a surrogate pair: NTFS upcases neither half */
      out[n++] = (uint16_t)(0xD800 + ((cp - 0x10000) >> 10));
      out[n++] = (uint16_t)(0xDC00 + ((cp - 0x10000) & 0x3FF));
    } else {
      out[n++] = mklink__upcase_unit((uint16_t)cp);
    }
  }
  return n;
}

int mklink__target_leaves(mklink__path_style style, const char *target, size_t len,
                          size_t depth) {
  size_t i = 0, start, n;
  /* DEPTH counts the directories between the checked directory and the
     link's own; each ".." climbs one, each name goes down one. */
  while (i < len) {
    start = i;
    while (i < len && !mklink__path_is_sep(style, target[i]))
      i++;
    n = i - start;
    if (n == 2 && target[start] == '.' && target[start + 1] == '.') {
      if (depth == 0)
        return 1;
      depth--;
    } else if (n > 0 && !(n == 1 && target[start] == '.')) {
      depth++;
    }
    if (i < len)
      i++; /* the separator */
  }
  return 0;
}

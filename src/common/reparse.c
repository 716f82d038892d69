/*
 * reparse.c -- SYMLINK and MOUNT_POINT reparse buffers, OS-free.
 *
 * Every field read from a buffer is checked against the bytes that really
 * exist before it is used: a reparse buffer comes from the disk (or from a
 * test's model of it), and a corrupt one must give MKLINK_EBADREPARSE, never
 * a read past its end.  Integers are assembled byte by byte, so the buffer
 * may have any alignment and the host any byte order.
 */
#include "reparse.h"

#include "mklink.h"

#include <string.h>

/* Byte offsets inside a buffer. */
#define HDR_LEN 8u        /* tag, ReparseDataLength, Reserved             */
#define NAMES_LEN 8u      /* the four u16 offset and length fields        */
#define FLAGS_LEN 4u      /* SYMLINK only                                 */
#define MOUNT_PATHBUF (HDR_LEN + NAMES_LEN)
#define SYMLINK_PATHBUF (HDR_LEN + NAMES_LEN + FLAGS_LEN)
/* Largest ReparseDataLength a 16 KiB buffer can carry. */
#define DATA_MAX (MKLINK__REPARSE_MAX - HDR_LEN)

/* ---- little-endian access ---------------------------------------------- */

static unsigned get16(const unsigned char *p) {
  return (unsigned)p[0] | ((unsigned)p[1] << 8);
}

static uint32_t get32(const unsigned char *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
         ((uint32_t)p[3] << 24);
}

static void put16(unsigned char *p, size_t v) {
  p[0] = (unsigned char)(v & 0xffu);
  p[1] = (unsigned char)((v >> 8) & 0xffu);
}

static void put32(unsigned char *p, uint32_t v) {
  p[0] = (unsigned char)(v & 0xffu);
  p[1] = (unsigned char)((v >> 8) & 0xffu);
  p[2] = (unsigned char)((v >> 16) & 0xffu);
  p[3] = (unsigned char)((v >> 24) & 0xffu);
}

/* ---- UTF-16 path shapes ------------------------------------------------ */

static int is_sep(uint16_t c) { return c == '\\' || c == '/'; }

static int is_letter(uint16_t c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int is_hex(uint16_t c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
         (c >= 'A' && c <= 'F');
}

static uint16_t ascii_lower(uint16_t c) {
  return (c >= 'A' && c <= 'Z') ? (uint16_t)(c - 'A' + 'a') : c;
}

/* S (N units) starts with the ASCII text WORD, ignoring case (the object
   manager compares these names case-insensitively). */
static int starts_with_ci(const uint16_t *s, size_t n, const char *word) {
  size_t i, wlen = strlen(word);
  if (n < wlen)
    return 0;
  for (i = 0; i < wlen; i++)
    if (ascii_lower(s[i]) != ascii_lower((uint16_t)(unsigned char)word[i]))
      return 0;
  return 1;
}

/* "X:" + separator. */
static int is_drive_root(const uint16_t *s, size_t n, int any_sep) {
  if (n < 3 || !is_letter(s[0]) || s[1] != ':')
    return 0;
  return any_sep ? is_sep(s[2]) : s[2] == '\\';
}

/* "Volume{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}" + separator: the name the
   mount manager gives a volume. */
#define VOLUME_PREFIX "volume{"
#define VOLUME_NAME_LEN 44u /* "Volume{" + 36 + "}" */
static int is_volume_root(const uint16_t *s, size_t n, int any_sep) {
  static const char guid[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
  size_t i, off = sizeof VOLUME_PREFIX - 1;
  if (n < VOLUME_NAME_LEN + 1 || !starts_with_ci(s, n, VOLUME_PREFIX))
    return 0;
  for (i = 0; i < sizeof guid - 1; i++) {
    uint16_t c = s[off + i];
    if (guid[i] == '-' ? c != '-' : !is_hex(c))
      return 0;
  }
  if (s[VOLUME_NAME_LEN - 1] != '}')
    return 0;
  return any_sep ? is_sep(s[VOLUME_NAME_LEN]) : s[VOLUME_NAME_LEN] == '\\';
}

static const uint16_t nt_prefix[4] = {'\\', '?', '?', '\\'}; /* \??\ */

/* What a junction may point to: \??\X:\... or \??\Volume{GUID}\... .  NT
   names know only '\' as a separator. */
static int is_absolute_nt(const uint16_t *s, size_t n) {
  if (n < 4 || memcmp(s, nt_prefix, sizeof nt_prefix) != 0)
    return 0;
  return is_drive_root(s + 4, n - 4, 0) || is_volume_root(s + 4, n - 4, 0);
}

/* "\\?\" or "\\.\": a Win32 path that names the NT namespace directly. */
static int is_local_device(const uint16_t *s, size_t n) {
  return n >= 4 && is_sep(s[0]) && is_sep(s[1]) &&
         (s[2] == '?' || s[2] == '.') && is_sep(s[3]);
}

/* "\\server...": two separators and a server name. */
static int is_unc(const uint16_t *s, size_t n) {
  return n >= 3 && is_sep(s[0]) && is_sep(s[1]) && !is_sep(s[2]) &&
         !is_local_device(s, n);
}

/* ---- encoder ----------------------------------------------------------- */

static void put_name(unsigned char *p, const uint16_t *name, size_t n) {
  size_t i;
  for (i = 0; i < n; i++)
    put16(p + 2 * i, name[i]);
}

int mklink__reparse_encode(const mklink__reparse *r, unsigned char *buf,
                           size_t cap, size_t *len) {
  size_t s, p, need, sbytes, pbytes;
  int mount;
  if (r == NULL || len == NULL || (buf == NULL && cap > 0))
    return MKLINK_EINVAL;
  *len = 0;
  mount = r->tag == MKLINK__IO_REPARSE_TAG_MOUNT_POINT;
  if (!mount && r->tag != MKLINK__IO_REPARSE_TAG_SYMLINK)
    return MKLINK_EINVAL;
  s = r->subst_len;
  p = r->print_len;
  /* Checked one at a time so that S + P cannot wrap. */
  if (s > MKLINK__REPARSE_NAME_MAX || p > MKLINK__REPARSE_NAME_MAX ||
      s + p > MKLINK__REPARSE_NAME_MAX)
    return MKLINK_ENAMETOOLONG;
  if (mount && (r->flags != 0 || !is_absolute_nt(r->subst, s)))
    return MKLINK_EINVAL;
  sbytes = 2 * s;
  pbytes = 2 * p;
  /* Junction: 16 + S + NUL + P + NUL; symlink: 20 + P + S.  Both 20 + S + P. */
  need = SYMLINK_PATHBUF + sbytes + pbytes;
  if (need > cap) {
    *len = need;
    return MKLINK_ENAMETOOLONG;
  }
  put32(buf, r->tag);
  put16(buf + 4, need - HDR_LEN);
  put16(buf + 6, 0);
  if (mount) {
    /* Substitute first, then print name, each with a NUL. */
    put16(buf + 8, 0);
    put16(buf + 10, sbytes);
    put16(buf + 12, sbytes + 2);
    put16(buf + 14, pbytes);
    put_name(buf + MOUNT_PATHBUF, r->subst, s);
    put16(buf + MOUNT_PATHBUF + sbytes, 0);
    put_name(buf + MOUNT_PATHBUF + sbytes + 2, r->print, p);
    put16(buf + MOUNT_PATHBUF + sbytes + 2 + pbytes, 0);
  } else {
    /* Print name first, then substitute, no NULs: as Windows writes them. */
    put16(buf + 8, pbytes);
    put16(buf + 10, sbytes);
    put16(buf + 12, 0);
    put16(buf + 14, pbytes);
    put32(buf + 16, r->flags);
    put_name(buf + SYMLINK_PATHBUF, r->print, p);
    put_name(buf + SYMLINK_PATHBUF + pbytes, r->subst, s);
  }
  *len = need;
  return 0;
}

/* ---- decoder ----------------------------------------------------------- */

/* Read one name (OFF, BYTES from the name fields) out of PathBuffer PB of
   PBLEN bytes into OUT. */
static int get_name(const unsigned char *pb, size_t pblen, unsigned off,
                    unsigned bytes, uint16_t *out, size_t *n) {
  size_t i;
  if ((off & 1u) || (bytes & 1u))
    return MKLINK_EBADREPARSE;
  /* off and bytes are at most 0xffff each: the sum cannot wrap. */
  if ((size_t)off + bytes > pblen)
    return MKLINK_EBADREPARSE;
  if (bytes / 2 > MKLINK__REPARSE_NAME_MAX)
    return MKLINK_EBADREPARSE;
  *n = bytes / 2;
  for (i = 0; i < *n; i++)
    out[i] = (uint16_t)get16(pb + off + 2 * i);
  return 0;
}

/* FIELDS points at the four u16 name fields; PB at PathBuffer. */
static int get_names(const unsigned char *fields, const unsigned char *pb,
                     size_t pblen, mklink__reparse *r) {
  int err = get_name(pb, pblen, get16(fields), get16(fields + 2), r->subst,
                     &r->subst_len);
  if (err != 0)
    return err;
  return get_name(pb, pblen, get16(fields + 4), get16(fields + 6), r->print,
                  &r->print_len);
}

static int decode_mount_point(const unsigned char *buf, size_t data,
                              mklink__reparse *r) {
  int err;
  if (data < NAMES_LEN)
    return MKLINK_EBADREPARSE;
  err = get_names(buf + HDR_LEN, buf + MOUNT_PATHBUF, data - NAMES_LEN, r);
  if (err != 0)
    return err;
  /* A relative or UNC junction cannot be followed by Windows: the data is
     not something we could have written, or a reader could trust. */
  if (!is_absolute_nt(r->subst, r->subst_len))
    return MKLINK_EBADREPARSE;
  r->flags = 0;
  return 0;
}

static int decode_symlink(const unsigned char *buf, size_t data,
                          mklink__reparse *r) {
  int err;
  if (data < NAMES_LEN + FLAGS_LEN)
    return MKLINK_EBADREPARSE;
  err = get_names(buf + HDR_LEN, buf + SYMLINK_PATHBUF,
                  data - NAMES_LEN - FLAGS_LEN, r);
  if (err != 0)
    return err;
  r->flags = get32(buf + HDR_LEN + NAMES_LEN);
  return 0;
}

static void clear(mklink__reparse *r) {
  r->tag = 0;
  r->flags = 0;
  r->subst_len = 0;
  r->print_len = 0;
}

int mklink__reparse_decode(const unsigned char *buf, size_t len,
                           mklink__reparse *r) {
  size_t data;
  uint32_t tag;
  int err;
  if (r == NULL || (buf == NULL && len > 0))
    return MKLINK_EINVAL;
  clear(r);
  if (len < HDR_LEN)
    return MKLINK_EBADREPARSE;
  tag = get32(buf);
  data = get16(buf + 4);
  if (data > len - HDR_LEN || data > DATA_MAX)
    return MKLINK_EBADREPARSE;
  if (tag != MKLINK__IO_REPARSE_TAG_MOUNT_POINT &&
      tag != MKLINK__IO_REPARSE_TAG_SYMLINK) {
    r->tag = tag;
    return MKLINK__REPARSE_OTHER;
  }
  /* Names are UTF-16: an odd data length cannot be a link's layout. */
  if (data & 1u)
    return MKLINK_EBADREPARSE;
  if (tag == MKLINK__IO_REPARSE_TAG_MOUNT_POINT)
    err = decode_mount_point(buf, data, r);
  else
    err = decode_symlink(buf, data, r);
  if (err != 0) {
    clear(r);
    return err;
  }
  r->tag = tag;
  return 0;
}

int mklink__reparse_is_volume_mount(const mklink__reparse *r) {
  if (r == NULL || r->tag != MKLINK__IO_REPARSE_TAG_MOUNT_POINT)
    return 0;
  /* "\??\" + "Volume{...}" + "\" and nothing more. */
  return r->subst_len == 4 + VOLUME_NAME_LEN + 1 &&
         is_absolute_nt(r->subst, r->subst_len) &&
         is_volume_root(r->subst + 4, r->subst_len - 4, 0);
}

/* ---- builders ---------------------------------------------------------- */

static int has_nul(const uint16_t *s, size_t n) {
  size_t i;
  for (i = 0; i < n; i++)
    if (s[i] == 0)
      return 1;
  return 0;
}

/* Copy N units of SRC to DST, '/' turned into '\'. */
static void copy_nt(uint16_t *dst, const uint16_t *src, size_t n) {
  size_t i;
  for (i = 0; i < n; i++)
    dst[i] = src[i] == '/' ? (uint16_t)'\\' : src[i];
}

/* Set OUT's substitute to PREFIX (ASCII) + SRC (N units, separators made
   '\').  The caller has checked that it fits. */
static void set_subst(mklink__reparse *out, const char *prefix,
                      const uint16_t *src, size_t n) {
  size_t i, plen = strlen(prefix);
  for (i = 0; i < plen; i++)
    out->subst[i] = (uint16_t)(unsigned char)prefix[i];
  copy_nt(out->subst + plen, src, n);
  out->subst_len = plen + n;
}

/* Do a substitute of PREFIX + N units and a print name of P units fit one
   buffer?  Checked one at a time so that nothing wraps. */
static int fits(size_t prefix, size_t n, size_t p) {
  return n <= MKLINK__REPARSE_NAME_MAX && p <= MKLINK__REPARSE_NAME_MAX &&
         prefix + n + p <= MKLINK__REPARSE_NAME_MAX;
}

/* "UNC" + separator, after "\\?\". */
static int is_unc_device(const uint16_t *s, size_t n) {
  return starts_with_ci(s, n, "unc") && n > 3 && is_sep(s[3]);
}

int mklink__reparse_make_junction(const uint16_t *path, size_t len,
                                  mklink__reparse *out) {
  const uint16_t *nt = path; /* what follows \??\ in the substitute */
  size_t ntlen = len;
  const uint16_t *shown = path; /* the print name */
  size_t shownlen = len;
  if (path == NULL || len == 0 || out == NULL)
    return MKLINK_EINVAL;
  if (is_unc(path, len))
    return MKLINK_EREMOTE;
  if (is_local_device(path, len)) {
    nt = path + 4;
    ntlen = len - 4;
    if (is_unc_device(nt, ntlen))
      return MKLINK_EREMOTE;
    /* A drive path is shown without "\\?\", as Windows shows it; a volume
       has no other Win32 name. */
    if (is_drive_root(nt, ntlen, 1)) {
      shown = nt;
      shownlen = ntlen;
    } else if (!is_volume_root(nt, ntlen, 1)) {
      return MKLINK_EINVAL;
    }
  } else if (!is_drive_root(path, len, 1)) {
    return MKLINK_EINVAL;
  }
  if (!fits(4, ntlen, shownlen))
    return MKLINK_ENAMETOOLONG;
  if (has_nul(path, len))
    return MKLINK_EINVAL;
  out->tag = MKLINK__IO_REPARSE_TAG_MOUNT_POINT;
  out->flags = 0;
  set_subst(out, "\\??\\", nt, ntlen);
  copy_nt(out->print, shown, shownlen);
  out->print_len = shownlen;
  return 0;
}

int mklink__reparse_make_symlink(const uint16_t *target, size_t len,
                                 int relative, mklink__reparse *out) {
  const char *prefix = "\\??\\";
  const uint16_t *nt = target; /* what follows PREFIX in the substitute */
  size_t ntlen = len;
  if (target == NULL || len == 0 || out == NULL)
    return MKLINK_EINVAL;
  if (relative) {
    prefix = "";
  } else if (is_local_device(target, len)) {
    nt = target + 4;
    ntlen = len - 4;
    if (ntlen == 0)
      return MKLINK_EINVAL;
  } else if (is_unc(target, len)) {
    prefix = "\\??\\UNC\\";
    nt = target + 2;
    ntlen = len - 2;
  } else if (!is_drive_root(target, len, 1)) {
    return MKLINK_EINVAL;
  }
  if (!fits(strlen(prefix), ntlen, len))
    return MKLINK_ENAMETOOLONG;
  if (has_nul(target, len))
    return MKLINK_EINVAL;
  out->tag = MKLINK__IO_REPARSE_TAG_SYMLINK;
  if (relative) {
    /* Stored exactly as typed: Windows resolves it against the link. */
    out->flags = MKLINK__SYMLINK_FLAG_RELATIVE;
    memcpy(out->subst, target, len * sizeof *target);
    out->subst_len = len;
  } else {
    out->flags = 0;
    set_subst(out, prefix, nt, ntlen);
  }
  memcpy(out->print, target, len * sizeof *target);
  out->print_len = len;
  return 0;
}

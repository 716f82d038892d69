/*
 * reparse.h -- encoder and decoder for NTFS SYMLINK and MOUNT_POINT
 * (junction) reparse buffers.
 *
 * Pure functions: no OS calls, no state, safe from any thread.  Used by the
 * Win32 backend (FSCTL_GET/SET_REPARSE_POINT) and by the NTFS model of the
 * Windows test suite.  Layouts: docs of FSCTL_SET_REPARSE_POINT; all integers
 * little-endian, names UTF-16LE, read and written byte by byte so that a
 * buffer may sit at any alignment.
 */
#ifndef MKLINK_REPARSE_H
#define MKLINK_REPARSE_H

#include <stddef.h>
#include <stdint.h>

#define MKLINK__IO_REPARSE_TAG_MOUNT_POINT 0xA0000003u
#define MKLINK__IO_REPARSE_TAG_SYMLINK     0xA000000Cu
#define MKLINK__REPARSE_MAX 16384u          /* MAXIMUM_REPARSE_DATA_BUFFER_SIZE */
#define MKLINK__SYMLINK_FLAG_RELATIVE 1u
#define MKLINK__REPARSE_NAME_MAX ((MKLINK__REPARSE_MAX - 20u) / 2u) /* UTF-16 units */

/* A decoded (or to-be-encoded) SYMLINK or MOUNT_POINT buffer.  Names are
   UTF-16 code units (host order), without NUL; lengths in units. */
typedef struct mklink__reparse {
  uint32_t tag;          /* MKLINK__IO_REPARSE_TAG_*                        */
  uint32_t flags;        /* SYMLINK only: MKLINK__SYMLINK_FLAG_RELATIVE     */
  size_t subst_len;
  size_t print_len;
  uint16_t subst[MKLINK__REPARSE_NAME_MAX];
  uint16_t print[MKLINK__REPARSE_NAME_MAX];
} mklink__reparse;

/*
 * Serialise R into BUF (capacity CAP bytes), little-endian, in the layout
 * Windows itself writes: a junction stores the substitute name first, then
 * the print name, each followed by a UTF-16 NUL; a symbolic link stores the
 * print name first, then the substitute, without NULs.  *LEN receives the
 * byte count.
 *
 * Returns 0; MKLINK_EINVAL for a NULL argument or a bad R (unknown tag, a
 * junction whose substitute is not \??\X:\... or \??\Volume{GUID}\..., flags
 * on a junction); MKLINK_ENAMETOOLONG if the names do not fit 16 KiB
 * (SUBST_LEN + PRINT_LEN > MKLINK__REPARSE_NAME_MAX) or CAP -- when only CAP
 * is too small, *LEN is set to the size needed.  Both kinds take
 * 20 + 2 * (SUBST_LEN + PRINT_LEN) bytes.  Symbolic-link flags are
 * written as given, so that unknown bits read from a disk survive a rewrite.
 */
int mklink__reparse_encode(const mklink__reparse *r, unsigned char *buf,
                           size_t cap, size_t *len);

/*
 * Parse BUF (LEN bytes).
 *
 * Returns 0 for a valid SYMLINK or MOUNT_POINT buffer (R filled),
 * MKLINK__REPARSE_OTHER (a positive 1) for a well-formed header with another
 * tag (only R->tag set: the caller reports "other reparse point"), or
 * MKLINK_EBADREPARSE for anything malformed: a header shorter than 8 bytes,
 * ReparseDataLength larger than LEN - 8 or than 16 KiB - 8, fixed fields
 * that do not fit in ReparseDataLength, an odd ReparseDataLength, a name
 * offset+length past PathBuffer's end, odd name lengths or offsets, a name
 * longer than MKLINK__REPARSE_NAME_MAX units, a MOUNT_POINT substitute that
 * is not absolute (\??\X:\ or \??\Volume{GUID}\).  MKLINK_EINVAL for a NULL
 * R, or a NULL BUF with LEN > 0.
 *
 * Tolerated, as Windows tolerates them: Reserved != 0, bytes after the
 * header + ReparseDataLength, names without NUL terminators, overlapping
 * names, unknown symbolic-link flags (kept in R->flags).  Never reads
 * outside BUF[0..LEN).  On any error R's tag, flags and lengths are 0.
 */
#define MKLINK__REPARSE_OTHER 1
int mklink__reparse_decode(const unsigned char *buf, size_t len,
                           mklink__reparse *r);

/*
 * Builders.  PATH is an absolute Windows path in UTF-16 ("C:\x", no \??\),
 * LEN units, no NUL.  '/' counts as a separator; in substitute names and
 * a junction's print name it is stored as '\' (the NT object manager knows
 * only '\').  A symbolic link's print name is kept as typed.
 *
 * make_junction: substitute "\??\" + PATH, print PATH.  Also accepted:
 * "\\?\X:\..." (substitute "\??\X:\...", print "X:\...") and
 * "\\?\Volume{GUID}\..." (substitute "\??\Volume{GUID}\...", print PATH).
 * Returns 0, MKLINK_EINVAL (NULL, empty, a NUL unit, not absolute: needs X:\
 * or \\?\Volume{GUID}\), MKLINK_EREMOTE for a UNC path (\\server\share or
 * \\?\UNC\...), MKLINK_ENAMETOOLONG if the buffer would exceed 16 KiB.
 *
 * make_symlink: RELATIVE=1 stores TARGET as typed in both names with flag 1.
 * RELATIVE=0 needs an absolute TARGET and stores substitute "\??\"+TARGET
 * and print TARGET; UNC targets "\\server\share\x" become substitute
 * "\??\UNC\server\share\x"; "\\?\" targets keep their rest after "\??\".
 * Returns 0, MKLINK_EINVAL (NULL, empty, a NUL unit, RELATIVE=0 with a path
 * that is not absolute), MKLINK_ENAMETOOLONG.
 *
 * Whatever a builder returns 0 for, mklink__reparse_encode() encodes and
 * mklink__reparse_decode() decodes back to the same value.
 */
int mklink__reparse_make_junction(const uint16_t *path, size_t len,
                                  mklink__reparse *out);
int mklink__reparse_make_symlink(const uint16_t *target, size_t len,
                                 int relative, mklink__reparse *out);

/*
 * 1 if R is a volume mount point rather than a junction: a MOUNT_POINT whose
 * substitute is a volume root, "\??\Volume{GUID}\" with nothing after it
 * (what mountvol makes).  A reader reports it as "other reparse point",
 * never as a link.  A MOUNT_POINT to a directory on a volume
 * ("\??\Volume{GUID}\dir") is a junction.  0 for anything else.
 */
int mklink__reparse_is_volume_mount(const mklink__reparse *r);

#endif /* MKLINK_REPARSE_H */

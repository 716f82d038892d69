/*
 * ntfs_model.h -- an in-memory NTFS reparse-point store layered over the
 * real (Wine) file system, for the symbolic-link and junction code paths
 * that Wine 8 cannot run.
 *
 * A modelled link is a real placeholder (an empty file, or an empty
 * directory for directory links and junctions) plus a reparse buffer kept
 * here, encoded and decoded by the same codec as the backend.  The model
 * replaces, in libmklink's OS-call table, the calls that see reparse points:
 * CreateSymbolicLinkW, CreateFileW/CloseHandle (to know which handle is
 * which name, and to follow links when not opened with
 * FILE_FLAG_OPEN_REPARSE_POINT), DeviceIoControl (FSCTL_GET/SET/DELETE),
 * GetFileAttributesW(Ex), GetFileInformationByHandle (the reparse attribute),
 * CreateDirectoryW, RemoveDirectoryW, DeleteFileW and MoveFileExW (the
 * store follows the name), FindFirstFileExW/FindNextFileW/FindClose (listed
 * links show as reparse points), GetProcAddress (Wine's exports hidden: the
 * model is a Windows, with no Wine bridge).  Everything else is the real
 * system.
 *
 * Names are resolved as the system does: a modelled link among the parent
 * directories of a name is followed (a final one only by CreateFileW
 * without FILE_FLAG_OPEN_REPARSE_POINT), and more than 31 links on the way
 * is ERROR_CANT_RESOLVE_FILENAME (1921).
 *
 * Rules followed (../shared/reference/windows-mklink.md):
 * - CreateSymbolicLinkW needs the privilege unless Developer Mode is on and
 *   SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE (0x2) is passed: else 1314.
 * - "Old Windows" (before 10 1703) rejects flag 0x2 with 87.
 * - LINK existing: 183; LINK's parent missing: 3 (from the real system).
 * - Junctions need no privilege; FSCTL_SET_REPARSE_POINT wants an empty
 *   directory for a MOUNT_POINT (145 otherwise, 267 on a file).
 */
#ifndef MKLINK_NTFS_MODEL_H
#define MKLINK_NTFS_MODEL_H

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#include <stddef.h>

typedef struct ntfs_model_config {
  int privileged;          /* SeCreateSymbolicLinkPrivilege held (admin)     */
  int developer_mode;      /* unprivileged create allowed with flag 0x2      */
  int old_windows;         /* flag 0x2 unknown: ERROR_INVALID_PARAMETER      */
  DWORD fail_set_reparse;  /* non-zero: FSCTL_SET_REPARSE_POINT fails so     */
  int lie_symlink;         /* CreateSymbolicLinkW: TRUE, creates nothing     */
} ntfs_model_config;

/* Install the model in libmklink's OS-call table, with an empty store.
   w32_teardown restores the table. */
void ntfs_model_install(const ntfs_model_config *config);

/* Change the rules, keeping the store (a machine whose settings change). */
void ntfs_model_configure(const ntfs_model_config *config);

/* The stored buffer of PATH (UTF-8): 0 and its bytes, or -1 if PATH is no
   modelled reparse point. */
int ntfs_model_get(const char *path, unsigned char *buf, size_t cap, size_t *len);

/* Make PATH a reparse point holding BUF as it is (any tag, even malformed):
   a placeholder directory if DIR, else a file, is created first. */
void ntfs_model_put(const char *path, int dir, const unsigned char *buf, size_t len);

/* Reparse points in the store. */
size_t ntfs_model_count(void);

/* The flags of each CreateSymbolicLinkW call since install (up to 8). */
extern unsigned ntfs_model_symlink_calls;
extern DWORD ntfs_model_symlink_flags[8];

#endif /* MKLINK_NTFS_MODEL_H */

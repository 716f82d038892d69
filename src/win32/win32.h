/*
 * win32.h -- what the files of the Win32 backend share: the OS-call table's
 * typed macros, the error translation and the path helpers.
 *
 * Every Win32 call of the backend goes through mklink__syscalls[] (see
 * syscall.c) so that tests can replace it: the NTFS model in tests/win32
 * overrides the calls that touch reparse points, and fault-injection tests
 * override single calls.
 */
#ifndef MKLINK_WIN32_H
#define MKLINK_WIN32_H

#include "internal.h"

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>
#include <winioctl.h>

#include <stddef.h>
#include <wchar.h>

#ifndef SYMBOLIC_LINK_FLAG_DIRECTORY
#define SYMBOLIC_LINK_FLAG_DIRECTORY 0x1
#endif
#ifndef SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE
#define SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE 0x2
#endif
#ifndef FSCTL_SET_REPARSE_POINT
#define FSCTL_SET_REPARSE_POINT 0x000900A4
#endif
#ifndef FSCTL_GET_REPARSE_POINT
#define FSCTL_GET_REPARSE_POINT 0x000900A8
#endif
#ifndef ERROR_NOT_A_REPARSE_POINT
#define ERROR_NOT_A_REPARSE_POINT 4390
#endif
#ifndef ERROR_INVALID_REPARSE_DATA
#define ERROR_INVALID_REPARSE_DATA 4392
#endif
#ifndef ERROR_CANT_RESOLVE_FILENAME
#define ERROR_CANT_RESOLVE_FILENAME 1921
#endif

/* ---- the OS-call table ------------------------------------------------- */

/* X(name): one entry per Win32 function, in table order. */
#define MKLINK__WIN32_SYSCALLS(X) \
  X(CreateSymbolicLinkW)          \
  X(CreateHardLinkW)              \
  X(CreateDirectoryW)             \
  X(RemoveDirectoryW)             \
  X(DeleteFileW)                  \
  X(MoveFileExW)                  \
  X(CreateFileW)                  \
  X(CloseHandle)                  \
  X(DeviceIoControl)              \
  X(GetFileAttributesW)           \
  X(GetFileAttributesExW)         \
  X(GetFileInformationByHandle)   \
  X(GetFullPathNameW)             \
  X(FindFirstFileW)               \
  X(FindNextFileW)                \
  X(FindClose)                    \
  X(GetDriveTypeW)                \
  X(GetLastError)                 \
  X(SetLastError)                 \
  X(MultiByteToWideChar)          \
  X(WideCharToMultiByte)          \
  X(GetModuleHandleW)             \
  X(GetProcAddress)               \
  X(GetCurrentProcessId)          \
  X(GetCurrentThreadId)           \
  X(QueryPerformanceCounter)

enum {
#define MKLINK__SYS_ENUM(name) MKLINK__SYS_##name,
  MKLINK__WIN32_SYSCALLS(MKLINK__SYS_ENUM)
#undef MKLINK__SYS_ENUM
  MKLINK__SYS_COUNT
};

#define MKLINK__SYS(name) (mklink__syscalls[MKLINK__SYS_##name].current)

#define os_CreateSymbolicLinkW \
  ((BOOLEAN(WINAPI *)(LPCWSTR, LPCWSTR, DWORD))MKLINK__SYS(CreateSymbolicLinkW))
#define os_CreateHardLinkW \
  ((BOOL(WINAPI *)(LPCWSTR, LPCWSTR, LPSECURITY_ATTRIBUTES))MKLINK__SYS(CreateHardLinkW))
#define os_CreateDirectoryW \
  ((BOOL(WINAPI *)(LPCWSTR, LPSECURITY_ATTRIBUTES))MKLINK__SYS(CreateDirectoryW))
#define os_RemoveDirectoryW ((BOOL(WINAPI *)(LPCWSTR))MKLINK__SYS(RemoveDirectoryW))
#define os_DeleteFileW ((BOOL(WINAPI *)(LPCWSTR))MKLINK__SYS(DeleteFileW))
#define os_MoveFileExW \
  ((BOOL(WINAPI *)(LPCWSTR, LPCWSTR, DWORD))MKLINK__SYS(MoveFileExW))
#define os_CreateFileW                                                        \
  ((HANDLE(WINAPI *)(LPCWSTR, DWORD, DWORD, LPSECURITY_ATTRIBUTES, DWORD,    \
                     DWORD, HANDLE))MKLINK__SYS(CreateFileW))
#define os_CloseHandle ((BOOL(WINAPI *)(HANDLE))MKLINK__SYS(CloseHandle))
#define os_DeviceIoControl                                                    \
  ((BOOL(WINAPI *)(HANDLE, DWORD, LPVOID, DWORD, LPVOID, DWORD, LPDWORD,     \
                   LPOVERLAPPED))MKLINK__SYS(DeviceIoControl))
#define os_GetFileAttributesW ((DWORD(WINAPI *)(LPCWSTR))MKLINK__SYS(GetFileAttributesW))
#define os_GetFileAttributesExW                                               \
  ((BOOL(WINAPI *)(LPCWSTR, GET_FILEEX_INFO_LEVELS, LPVOID))                 \
       MKLINK__SYS(GetFileAttributesExW))
#define os_GetFileInformationByHandle                                         \
  ((BOOL(WINAPI *)(HANDLE, LPBY_HANDLE_FILE_INFORMATION))                    \
       MKLINK__SYS(GetFileInformationByHandle))
#define os_GetFullPathNameW \
  ((DWORD(WINAPI *)(LPCWSTR, DWORD, LPWSTR, LPWSTR *))MKLINK__SYS(GetFullPathNameW))
#define os_FindFirstFileW \
  ((HANDLE(WINAPI *)(LPCWSTR, LPWIN32_FIND_DATAW))MKLINK__SYS(FindFirstFileW))
#define os_FindNextFileW \
  ((BOOL(WINAPI *)(HANDLE, LPWIN32_FIND_DATAW))MKLINK__SYS(FindNextFileW))
#define os_FindClose ((BOOL(WINAPI *)(HANDLE))MKLINK__SYS(FindClose))
#define os_GetDriveTypeW ((UINT(WINAPI *)(LPCWSTR))MKLINK__SYS(GetDriveTypeW))
#define os_GetLastError ((DWORD(WINAPI *)(void))MKLINK__SYS(GetLastError))
#define os_SetLastError ((void(WINAPI *)(DWORD))MKLINK__SYS(SetLastError))
#define os_MultiByteToWideChar                                                \
  ((int(WINAPI *)(UINT, DWORD, LPCCH, int, LPWSTR, int))MKLINK__SYS(MultiByteToWideChar))
#define os_WideCharToMultiByte                                                \
  ((int(WINAPI *)(UINT, DWORD, LPCWCH, int, LPSTR, int, LPCCH, LPBOOL))      \
       MKLINK__SYS(WideCharToMultiByte))
#define os_GetModuleHandleW ((HMODULE(WINAPI *)(LPCWSTR))MKLINK__SYS(GetModuleHandleW))
#define os_GetProcAddress \
  ((FARPROC(WINAPI *)(HMODULE, LPCSTR))MKLINK__SYS(GetProcAddress))
#define os_GetCurrentProcessId ((DWORD(WINAPI *)(void))MKLINK__SYS(GetCurrentProcessId))
#define os_GetCurrentThreadId ((DWORD(WINAPI *)(void))MKLINK__SYS(GetCurrentThreadId))
#define os_QueryPerformanceCounter \
  ((BOOL(WINAPI *)(LARGE_INTEGER *))MKLINK__SYS(QueryPerformanceCounter))

/* ---- error.c ------------------------------------------------------------ */

/* The one translation of a Win32 error code into MKLINK_E*. */
int mklink__win32_error(DWORD err);
/* mklink__win32_error(GetLastError()), read through the table. */
int mklink__win32_last_error(void);

/* ---- path.c ------------------------------------------------------------- */

/* UTF-8 PATH as a NUL-terminated UTF-16 path the file APIs accept: given the
   \\?\ prefix (made absolute first) when it is too long for MAX_PATH.  *OUT
   is malloc'ed; returns 0, MKLINK_EBADNAME (not UTF-8), MKLINK_ENOMEM,
   MKLINK_ENAMETOOLONG (also for a name longer than 255 units). */
int mklink__wpath(const char *path, wchar_t **out);
/* GetFileAttributesW of UTF-8 PATH (following a link, as the call does):
   0 and *ATTRS, or the error mklink__wpath or the call gave. */
int mklink__wattributes(const char *path, DWORD *attrs);
/* UTF-8 TEXT as UTF-16 exactly as given (no prefix): for stored targets. */
int mklink__wtext(const char *text, wchar_t **out);
/* UTF-16 W (LEN units, or -1 for NUL-terminated) into BUF as UTF-8 with a
   NUL; MKLINK_ENAMETOOLONG if it does not fit CAP bytes. */
int mklink__utf8(const wchar_t *w, int len, char *buf, size_t cap);
/* GetFullPathNameW of P, malloc'ed (lexical: "." and ".." collapsed). */
int mklink__wfull(const wchar_t *p, wchar_t **out);
/* The directory part of P (malloc'ed): "." for a bare name, "C:\" for a
   root child. */
int mklink__wparent(const wchar_t *p, wchar_t **out);
/* A + "\" + B, malloc'ed. */
int mklink__wjoin(const wchar_t *a, const wchar_t *b, wchar_t **out);
/* 1 if P is fully qualified: X:\..., \\server\..., \\?\... */
int mklink__wis_absolute(const wchar_t *p);
/* P without a leading \\?\ (for "\\?\X:\..."), pointer into P. */
const wchar_t *mklink__wstrip_long(const wchar_t *p);
/* FROM_DIR and TO, both absolute, as a relative path from FROM_DIR to TO
   (case-insensitive components); MKLINK_EXDEV if they are on different
   volumes. */
int mklink__wrelative(const wchar_t *from_dir, const wchar_t *to, wchar_t **out);
/* A name for a temporary entry beside PATH (UTF-8, malloc'ed), unique to this
   process, thread and moment. */
int mklink__temp_sibling(const char *path, const char *tag, char **out);

/* ---- shared by create.c, query.c, remove.c ------------------------------ */

/* What a name is, without following it. */
typedef struct mklink__wstat {
  mklink_kind kind; /* MKLINK_OTHER_REPARSE also for unreadable reparse points */
  DWORD attrs;
  DWORD tag;        /* reparse tag, 0 if none or unreadable                 */
  DWORD nlink;      /* names of a plain file; 1 otherwise                   */
  DWORD volume;     /* volume serial and file index of a plain file         */
  DWORD index_high, index_low;
} mklink__wstat;

/* Fill ST for WPATH, not following a final reparse point; R (may be NULL)
   receives the decoded reparse buffer of a link.  Returns 0 or the mapped
   error (MKLINK_ENOFILE when it does not exist, MKLINK_EBADREPARSE for a
   malformed buffer). */
struct mklink__reparse;
int mklink__wlstat(const wchar_t *wpath, mklink__wstat *st, struct mklink__reparse *r);
/* Link count, volume serial and file index of WPATH itself (opened with
   FILE_FLAG_OPEN_REPARSE_POINT, so a reparse point is not followed); KIND is
   set from the link count only. */
int mklink__wfile_id(const wchar_t *wpath, mklink__wstat *st);
/* Read the reparse buffer of WPATH (opened with FILE_FLAG_OPEN_REPARSE_POINT)
   into BUF (MKLINK__REPARSE_MAX bytes); *LEN gets its size. */
int mklink__read_reparse(const wchar_t *wpath, unsigned char *buf, DWORD *len);
/* mklink_query; FOLLOW 0 leaves a link's target unvisited (target_exists
   and target_is_dir -1), for mklink_walk without MKLINK_WALK_TARGETS. */
int mklink__wquery(const char *path, int follow, mklink_info *out);
/* Remove the link WPATH whose stat is ST: RemoveDirectoryW for directory
   links, DeleteFileW otherwise. */
int mklink__unlink_link(const wchar_t *wpath, const mklink__wstat *st);

#endif /* MKLINK_WIN32_H */

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
#include "path.h"

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>
#include <winioctl.h>

#include <stddef.h>
#include <stdint.h>
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
  X(FindFirstFileExW)             \
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
  X(QueryPerformanceCounter)      \
  X(GetLogicalDrives)             \
  X(GetProcessHeap)               \
  X(HeapFree)                     \
  X(FormatMessageW)               \
  X(GetVolumePathNameW)           \
  X(GetVolumeInformationByHandleW) \
  X(CreatePipe)                   \
  X(CreateProcessW)               \
  X(ReadFile)                     \
  X(WaitForSingleObject)          \
  X(GetExitCodeProcess)           \
  X(WriteFile)                    \
  X(FlushFileBuffers)             \
  X(GetCurrentDirectoryW)         \
  X(SetFileTime)                  \
  X(SetFileAttributesW)           \
  X(GetDiskFreeSpaceExW)

/* X(name): entries whose default is the library's own mklink__<name>, after
   the Win32 ones: Wine's exports, looked up when called (absent on
   Windows), and a Linux system call made from PE code (wine_bridge.c). */
#define MKLINK__OWN_SYSCALLS(X) \
  X(wine_get_unix_file_name)    \
  X(linux_syscall)

enum {
#define MKLINK__SYS_ENUM(name) MKLINK__SYS_##name,
  MKLINK__WIN32_SYSCALLS(MKLINK__SYS_ENUM)
  MKLINK__OWN_SYSCALLS(MKLINK__SYS_ENUM)
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
/* run.c */
#define os_CreatePipe \
  ((BOOL(WINAPI *)(PHANDLE, PHANDLE, LPSECURITY_ATTRIBUTES, DWORD))MKLINK__SYS(CreatePipe))
#define os_CreateProcessW                                                             \
  ((BOOL(WINAPI *)(LPCWSTR, LPWSTR, LPSECURITY_ATTRIBUTES, LPSECURITY_ATTRIBUTES, BOOL, \
                   DWORD, LPVOID, LPCWSTR, LPSTARTUPINFOW, LPPROCESS_INFORMATION))      \
       MKLINK__SYS(CreateProcessW))
#define os_ReadFile \
  ((BOOL(WINAPI *)(HANDLE, LPVOID, DWORD, LPDWORD, LPOVERLAPPED))MKLINK__SYS(ReadFile))
#define os_WaitForSingleObject ((DWORD(WINAPI *)(HANDLE, DWORD))MKLINK__SYS(WaitForSingleObject))
#define os_GetExitCodeProcess ((BOOL(WINAPI *)(HANDLE, LPDWORD))MKLINK__SYS(GetExitCodeProcess))
#define os_FindFirstFileExW                                                   \
  ((HANDLE(WINAPI *)(LPCWSTR, FINDEX_INFO_LEVELS, LPVOID, FINDEX_SEARCH_OPS,  \
                     LPVOID, DWORD))MKLINK__SYS(FindFirstFileExW))
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
#define os_GetLogicalDrives ((DWORD(WINAPI *)(void))MKLINK__SYS(GetLogicalDrives))
#define os_GetProcessHeap ((HANDLE(WINAPI *)(void))MKLINK__SYS(GetProcessHeap))
#define os_HeapFree ((BOOL(WINAPI *)(HANDLE, DWORD, LPVOID))MKLINK__SYS(HeapFree))
#define os_FormatMessageW                                                     \
  ((DWORD(WINAPI *)(DWORD, LPCVOID, DWORD, DWORD, LPWSTR, DWORD, va_list *)) \
       MKLINK__SYS(FormatMessageW))
#define os_GetVolumePathNameW \
  ((BOOL(WINAPI *)(LPCWSTR, LPWSTR, DWORD))MKLINK__SYS(GetVolumePathNameW))
#define os_GetVolumeInformationByHandleW                                      \
  ((BOOL(WINAPI *)(HANDLE, LPWSTR, DWORD, LPDWORD, LPDWORD, LPDWORD, LPWSTR,  \
                   DWORD))MKLINK__SYS(GetVolumeInformationByHandleW))

/* Wine's kernel32 export: the Unix path of a Win32 path, in the process
   heap (HeapFree), NULL with GetLastError() set if it has none; a missing
   last component is allowed.  The default finds Wine's function each call
   and fails with ERROR_PROC_NOT_FOUND where there is none (Windows). */
typedef char *(CDECL *mklink__wine_get_unix_file_name_fn)(LPCWSTR);
char *CDECL mklink__wine_get_unix_file_name(LPCWSTR path);
#define os_wine_get_unix_file_name \
  ((mklink__wine_get_unix_file_name_fn)MKLINK__SYS(wine_get_unix_file_name))
/* A raw Linux system call NR with up to five arguments: the kernel's answer
   (-errno on failure).  The default is the x86_64 `syscall` instruction
   (elsewhere: -ENOSYS, as it cannot be made). */
typedef intptr_t (*mklink__linux_syscall_fn)(intptr_t nr, intptr_t a1, intptr_t a2,
                                             intptr_t a3, intptr_t a4, intptr_t a5);
intptr_t mklink__linux_syscall(intptr_t nr, intptr_t a1, intptr_t a2, intptr_t a3,
                               intptr_t a4, intptr_t a5);
#define os_linux_syscall ((mklink__linux_syscall_fn)MKLINK__SYS(linux_syscall))
/* ---- file.c: whole files (ReadFile above) ---- */
#define os_WriteFile \
  ((BOOL(WINAPI *)(HANDLE, LPCVOID, DWORD, LPDWORD, LPOVERLAPPED))MKLINK__SYS(WriteFile))
#define os_FlushFileBuffers ((BOOL(WINAPI *)(HANDLE))MKLINK__SYS(FlushFileBuffers))
#define os_GetCurrentDirectoryW \
  ((DWORD(WINAPI *)(DWORD, LPWSTR))MKLINK__SYS(GetCurrentDirectoryW))
#define os_SetFileTime                                                                  \
  ((BOOL(WINAPI *)(HANDLE, const FILETIME *, const FILETIME *, const FILETIME *))MKLINK__SYS( \
      SetFileTime))
#define os_SetFileAttributesW ((BOOL(WINAPI *)(LPCWSTR, DWORD))MKLINK__SYS(SetFileAttributesW))
#define os_GetDiskFreeSpaceExW                                                        \
  ((BOOL(WINAPI *)(LPCWSTR, PULARGE_INTEGER, PULARGE_INTEGER, PULARGE_INTEGER))MKLINK__SYS( \
      GetDiskFreeSpaceExW))

/* ---- error.c ------------------------------------------------------------ */

/* The one translation of a Win32 error code into MKLINK_E* (the POSIX
   backend's, of errno, has the same name and a context argument). */
int mklink__error(DWORD err);
/* mklink__error(GetLastError()), read through the table. */
int mklink__last_error(void);

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
/* NUL-terminated UTF-16 W as UTF-8, malloc'ed in *OUT: any length. */
int mklink__utf8_dup(const wchar_t *w, char **out);
/* GetFullPathNameW of P, malloc'ed (lexical: "." and ".." collapsed). */
int mklink__wfull(const wchar_t *p, wchar_t **out);
/* GetFullPathNameW of W as UTF-8 without a \\?\ prefix, in a malloc'ed
   block after PREFIX bytes left for the caller, as mklink__absolute() (which
   is this for a UTF-8 path). */
int mklink__wabsolute(const wchar_t *w, size_t prefix, size_t limit, char **out);
/* P without a leading \\?\ (for "\\?\X:\..."), pointer into P. */
const wchar_t *mklink__wstrip_long(const wchar_t *p);
/* mklink__temp_name() (internal.h) is here too. */

/* ---- shared by create.c, query.c, remove.c ------------------------------ */

/* What a name is, without following it. */
typedef struct mklink__wstat {
  mklink_kind kind; /* MKLINK_OTHER_REPARSE also for unreadable reparse points */
  DWORD attrs;
  DWORD tag;        /* reparse tag, 0 if none or unreadable                 */
  DWORD nlink;      /* names of a plain file; 1 otherwise                   */
  DWORD volume;     /* volume serial and file index of a plain file         */
  DWORD index_high, index_low;
  /* Under Wine only (wine_bridge.c).  UNIX_LINK: the name is a Unix
     symbolic link, described from its text; it is removed and replaced on
     the Unix side, never by a Win32 call.  UNIX_BLIND: the Unix side could
     not be examined, so a file here may be a Unix symbolic link in
     disguise: nothing may be deleted on the strength of what Win32 says. */
  int unix_link;
  int unix_blind;
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
/* mklink_query; FOLLOW 0 leaves a link's target unvisited (target_checked
   0), for mklink_walk without MKLINK_WALK_TARGETS.  On success OUT owns its
   strings (mklink_info_free); on failure it is zeroed and owns nothing. */
int mklink__wquery(const char *path, int follow, mklink_info *out);
/* The one describe step, shared by mklink_query and the walk (tree.c):
   OUT's kind, nlink and target fields for WPATH, whose stat is ST and, for
   a link, whose decoded buffer is R; a link's stored text in *TEXT (UTF-8,
   malloc'ed; NULL for anything else).  FOLLOW: the target is looked at
   (else target_checked 0).  OUT's strings are not set. */
int mklink__wdescribe(const wchar_t *wpath, const mklink__wstat *st,
                      const struct mklink__reparse *r, int follow, mklink_info *out,
                      char **text);
/* Remove the name WPATH whose stat is ST (mklink__wlstat), never what it
   leads to: a Unix symbolic link under Wine by unlink(2) on the Unix side
   (mklink__wine_unlink); MKLINK_ENOTSUP where ST says the Unix side could
   not be examined (unix_blind: a file or an unreadable reparse point that
   may be a Unix link in disguise); else RemoveDirectoryW for a directory
   (or a directory link), DeleteFileW otherwise.  The one rule of
   mklink_remove and of file.c's mklink__remove_file / mklink__remove_dir. */
int mklink__unlink_link(const wchar_t *wpath, const mklink__wstat *st);
/* Rename the name WFROM whose stat is ST (mklink__wlstat) to WTO, which
   must not exist, never what WFROM leads to: the same rule as
   mklink__unlink_link -- a Unix symbolic link under Wine on the Unix side
   (mklink__wine_rename, no replace: MoveFileExW would rename its target),
   MKLINK_ENOTSUP for unix_blind, else MoveFileExW without
   MOVEFILE_REPLACE_EXISTING.  file.c's mklink__rename_new. */
int mklink__rename_link(const wchar_t *wfrom, const wchar_t *wto, const mklink__wstat *st);
/* 1 if ST is a link mklink_remove removes: a symbolic link, a junction, or a
   file with other names. */
int mklink__is_link(const mklink__wstat *st);

/* ---- wine_bridge.c: the Unix side of a name under Wine ----------------- */

/* What the library can learn of the Unix side of names here. */
typedef enum mklink__unix_side {
  MKLINK__UNIX_NONE = 0, /* not under Wine (Windows): there is no Unix side  */
  MKLINK__UNIX_REACHED,  /* Wine on x86_64 Linux, system calls proven to
                            reach Linux: Unix symbolic links can be seen,
                            made and removed                                */
  MKLINK__UNIX_BLIND     /* Wine, but no proven way to Linux: a Unix
                            symbolic link to a file looks like a file       */
} mklink__unix_side;

/* Returned by the functions below for a name that is no Unix symbolic
   link (or has no Unix side): go on the Win32 way. */
#define MKLINK__NOT_UNIX_LINK 1

/* Which side this process has; probed on every call (a few microseconds:
   no state is kept), the proof being a Linux uname() that answers "Linux"
   and "x86_64". */
mklink__unix_side mklink__wine_side(void);
/* The Unix path of WPATH (malloc'ed): 0, MKLINK_ENOPATH if its directory is
   missing, MKLINK_ENOTSUP where there is no Unix side. */
int mklink__wine_unix_path(const wchar_t *wpath, char **out);
/* If WPATH (with Win32 attributes ATTRS, INVALID_FILE_ATTRIBUTES when
   Win32 found nothing, as for a dangling link) is a Unix symbolic link:
   fill ST (unix_link set; the kind as the POSIX backend reads it: a text
   "/./ABS" is a junction, else a directory symlink when it leads to a
   directory, else a file symlink) and R (the Windows form of the text) and
   return 0.  MKLINK__NOT_UNIX_LINK otherwise, with ST->unix_blind set when
   the Unix side could not be examined.  Or MKLINK_E*. */
struct mklink__reparse;
int mklink__wine_describe(const wchar_t *wpath, DWORD attrs, mklink__wstat *st,
                          struct mklink__reparse *r);
/* Make WLINK a Unix symbolic link of KIND to STORED (a symbolic link's
   target as it is to be stored, relative or absolute; a junction's absolute
   target): the same text the POSIX backend writes ("../data" for
   "..\data", "/./ABS" for a junction), read back from Linux before it
   counts (a UNC target keeps its text as typed: it has no Unix path).
   MKLINK_ENOTSUP where the Unix side is not reached or the file system has
   no symbolic links. */
int mklink__wine_symlink(const wchar_t *wlink, const wchar_t *stored, mklink_kind kind);
/* Remove the Unix symbolic link WPATH (unlink(2): never its target). */
int mklink__wine_unlink(const wchar_t *wpath);
/* Remove the Unix symbolic link NAME (UTF-8, as Linux names it) of the
   real directory WDIR: unlinkat(2) in WDIR opened O_NOFOLLOW, only if NAME
   is a symbolic link there (MKLINK_ENOTLINK otherwise).  By directory and
   name, so a Linux name Win32 cannot take ("x:y") is removed too. */
int mklink__wine_unlink_in(const wchar_t *wdir, const char *name);
/* Rename FROM (a Unix symbolic link: the link itself, never its target) to
   TO on the Unix side, atomically.  REPLACE: rename(2), a link or file TO
   is replaced itself, never its target; else MKLINK_EEXIST if TO exists
   (renameat2 RENAME_NOREPLACE, or a check just before where the file
   system lacks it), the rule of mklink__rename_new. */
int mklink__wine_rename(const wchar_t *from, const wchar_t *to, int replace);
/* For the walk (tree.c), entering the real directory WDIR: CB(ARG, NAME,
   HIDDEN) for each Unix symbolic link directly in it, NAME in UTF-8,
   HIDDEN 1 when it leads nowhere (dangling, a loop), so that
   FindFirstFileW does not list it; stops at CB's first non-zero value and
   returns it.  Win32 cannot be trusted with these (DeleteFileW deletes a
   link's target, RemoveDirectoryW an empty target directory, a link to a
   file is listed as the file).  0 at once where there is no Unix side
   (Windows); MKLINK_ENOTSUP where under Wine the Unix side cannot be
   examined (nothing may be deleted then); MKLINK_EBUSY if WDIR itself is a
   Unix symbolic link now (unless FOLLOW, for TOP: never entered). */
typedef int (*mklink__unix_link_cb)(void *arg, const char *name, int hidden);
int mklink__wine_each_link(const wchar_t *wdir, int follow, mklink__unix_link_cb cb,
                           void *arg);

#endif /* MKLINK_WIN32_H */

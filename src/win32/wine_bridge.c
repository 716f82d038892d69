/*
 * wine_bridge.c -- the Unix side of a name, for the Win32 backend under Wine.
 *
 * Why.  Wine maps Win32 names onto a Unix file system, and a Unix symbolic
 * link there is something Win32 cannot describe: Wine 8 shows one to a
 * directory as DIRECTORY|REPARSE_POINT with no readable reparse buffer, one
 * to a file as a plain file with its target's link count, and does not list
 * a dangling one at all.  Its DeleteFileW on such a link deletes the
 * *target* file, RemoveDirectoryW an empty target directory, MoveFileExW
 * renames the target (../shared/reference/wine-8.md, each fact tested in
 * tests/win32/test_win32_bridge.c).  So under Wine no name may be deleted or
 * renamed on Win32's word alone: this file looks at the Unix side first,
 * and removes, makes and renames Unix symbolic links there.  The same
 * primitive lets mklink make links under Wine 8 (which creates none itself)
 * that every Windows program under that Wine follows: the "Wine bridge".
 *
 * How a Windows program reaches Linux.  Two ways were measured from a
 * MinGW-w64 program under Wine 8.0 on x86_64 Linux (tmpfs, shared 2-core
 * machine, so take the ratios):
 *
 *   - the `syscall` instruction from PE code with Linux's numbers:
 *     lstat 2.1 us, symlink 2.1 us per call;
 *   - a Unix helper program started with CreateProcessW("Z:\bin\ln -s ..."):
 *     5.1 ms per link (about 2,500 times slower), and Wine 8 reported exit
 *     code 1 (elsewhere 2) for an `ln` that had succeeded, so its result
 *     must be checked another way -- which needs the Unix side anyway --
 *     and lstat or readlink would need a pipe and a parser.
 *
 * Both resolve the Win32 name with Wine's own wine_get_unix_file_name
 * (30 us; GetFileAttributesW costs 23 us).  The system call is the only
 * way fast enough to check every entry of a tree, so it is the one used.
 *
 * When it is trusted.  System-call numbers belong to one architecture
 * (x86_64) and one kernel (Linux: Wine on macOS or FreeBSD has others), and
 * a Wine that traps system calls made from PE code (Linux "syscall user
 * dispatch") would treat ours as NT calls.  So every call first proves the
 * way: Wine present (ntdll's wine_get_version), its host Linux
 * (wine_get_host_version), this build x86_64, and uname() answering
 * sysname "Linux" and machine "x86_64" into a zeroed buffer -- an NT call
 * cannot write that.  For the proof the registers an NT call would read
 * its arguments from (r10, rdx, r8, r9) hold zeros, so a trapped call sees
 * null pointers only.  Without the proof the side is BLIND: nothing is
 * made through the bridge (the honest MKLINK_ENOTCREATED/ENOTSUP stays), and
 * deletions that could hit a disguised link are refused.  The proof is a
 * few microseconds and is not cached: the library keeps no state.
 *
 * The encoding is the POSIX backend's (docs/junctions.md): a symbolic link
 * stores its target with '/' for '\' ("..\data" -> "../data"), an absolute
 * target as its Unix path, and a junction is a link to "/." + the Unix path
 * of its absolute target.  Reading maps back: '/' -> '\' in a relative
 * text, and an absolute Unix path to the drive whose root is its longest
 * prefix ("C:\...", "Z:\..."; "\\?\unix\..." if no drive holds it).  Names
 * on the Unix side are UTF-8, as Wine writes them in a UTF-8 locale (in the
 * C locale Wine itself refuses non-ASCII names).
 */
#include "win32.h"

#include "reparse.h"

#include <stdlib.h>
#include <string.h>

/* ---- Linux, x86_64 ------------------------------------------------------ */

#define LINUX_NR_CLOSE 3
#define LINUX_NR_LSTAT 6
#define LINUX_NR_UNAME 63
#define LINUX_NR_RENAME 82
#define LINUX_NR_UNLINK 87
#define LINUX_NR_SYMLINK 88
#define LINUX_NR_READLINK 89
#define LINUX_NR_GETDENTS64 217
#define LINUX_NR_OPENAT 257
#define LINUX_NR_NEWFSTATAT 262
#define LINUX_NR_UNLINKAT 263
#define LINUX_NR_RENAMEAT2 316
#define LINUX_AT_FDCWD (-100)
#define LINUX_RENAME_NOREPLACE 1

#define LINUX_AT_SYMLINK_NOFOLLOW 0x100
#define LINUX_O_DIRECTORY 0x10000
#define LINUX_O_NOFOLLOW 0x20000
#define LINUX_O_CLOEXEC 0x80000
#define LINUX_S_IFMT 0170000u
#define LINUX_S_IFLNK 0120000u
#define LINUX_DT_UNKNOWN 0
#define LINUX_DT_LNK 10

/* struct stat on x86_64: 144 bytes; st_mode at 24. */
#define LINUX_STAT_SIZE 144
#define LINUX_STAT_MODE 24
/* struct utsname: six fields of 65 bytes; machine is the fifth. */
#define LINUX_UTS_FIELD 65

/* errno values of Linux (not the C library's here: MinGW has its own). */
#define LINUX_EPERM 1
#define LINUX_ENOENT 2
#define LINUX_EIO 5
#define LINUX_ENOMEM 12
#define LINUX_EACCES 13
#define LINUX_EBUSY 16
#define LINUX_EEXIST 17
#define LINUX_EXDEV 18
#define LINUX_ENOTDIR 20
#define LINUX_EISDIR 21
#define LINUX_EINVAL 22
#define LINUX_ETXTBSY 26
#define LINUX_ENOSPC 28
#define LINUX_EROFS 30
#define LINUX_EMLINK 31
#define LINUX_ENAMETOOLONG 36
#define LINUX_ENOSYS 38
#define LINUX_ENOTEMPTY 39
#define LINUX_ELOOP 40
#define LINUX_EILSEQ 84
#define LINUX_EOPNOTSUPP 95
#define LINUX_EDQUOT 122

intptr_t mklink__linux_syscall(intptr_t nr, intptr_t a1, intptr_t a2, intptr_t a3,
                               intptr_t a4, intptr_t a5) {
#if defined(__x86_64__)
  intptr_t ret;
  register intptr_t r10 __asm__("r10") = a4;
  register intptr_t r8 __asm__("r8") = a5;
  register intptr_t r9 __asm__("r9") = 0;
  __asm__ volatile("syscall"
                   : "=a"(ret)
                   : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
                   : "rcx", "r11", "memory");
  return ret;
#else
  (void)nr, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
  return -LINUX_ENOSYS;
#endif
}

#define P(x) ((intptr_t)(x))

static intptr_t linux_call(intptr_t nr, intptr_t a1, intptr_t a2, intptr_t a3) {
  return os_linux_syscall(nr, a1, a2, a3, 0, 0);
}

/* The one translation of a Linux errno (as the kernel returns it, negated)
   into MKLINK_E*.  MISSING is what ENOENT means at the call site: the name
   itself (MKLINK_ENOFILE) or a directory on its way (MKLINK_ENOPATH). */
static int linux_error(intptr_t ret, int missing) {
  switch (-ret) {
  case LINUX_ENOENT:
    return missing;
  case LINUX_ENOTDIR:
    return MKLINK_ENOPATH;
  case LINUX_EPERM:
  case LINUX_EACCES:
    return MKLINK_EACCES;
  case LINUX_EEXIST:
    return MKLINK_EEXIST;
  case LINUX_EXDEV:
    return MKLINK_EXDEV;
  case LINUX_EISDIR:
    return MKLINK_EISDIR;
  case LINUX_ENOTEMPTY:
    return MKLINK_ENOTEMPTY;
  case LINUX_EINVAL:
    return MKLINK_EINVAL;
  case LINUX_ENOSPC:
  case LINUX_EDQUOT:
    return MKLINK_ENOSPC;
  case LINUX_EROFS:
    return MKLINK_EROFS;
  case LINUX_EMLINK:
    return MKLINK_EMLINK;
  case LINUX_ENAMETOOLONG:
    return MKLINK_ENAMETOOLONG;
  case LINUX_ELOOP:
    return MKLINK_ELOOP;
  case LINUX_ENOMEM:
    return MKLINK_ENOMEM;
  case LINUX_EBUSY:
  case LINUX_ETXTBSY:
    return MKLINK_EBUSY;
  case LINUX_EILSEQ:
    return MKLINK_EBADNAME;
  case LINUX_ENOSYS:
  case LINUX_EOPNOTSUPP:
    return MKLINK_ENOTSUP;
  case LINUX_EIO:
  default:
    return MKLINK_EIO;
  }
}

/* ---- the proof ---------------------------------------------------------- */

char *CDECL mklink__wine_get_unix_file_name(LPCWSTR path) {
  HMODULE k32 = os_GetModuleHandleW(L"kernel32.dll");
  FARPROC proc = k32 != NULL ? os_GetProcAddress(k32, "wine_get_unix_file_name") : NULL;
  if (proc == NULL) {
    os_SetLastError(ERROR_PROC_NOT_FOUND);
    return NULL;
  }
  /* Through void (*)(void), the generic function pointer type. */
  return ((mklink__wine_get_unix_file_name_fn)(void (*)(void))proc)(path);
}

typedef void(CDECL *host_version_fn)(const char **sysname, const char **release);

static int host_is_linux(HMODULE ntdll) {
  FARPROC proc = os_GetProcAddress(ntdll, "wine_get_host_version");
  const char *sysname = NULL, *release = NULL;
  if (proc == NULL)
    return 0;
  ((host_version_fn)(void (*)(void))proc)(&sysname, &release);
  return sysname != NULL && strcmp(sysname, "Linux") == 0;
}

/* uname() into a zeroed buffer must come back from Linux itself. */
static int syscall_reaches_linux(void) {
  char uts[6 * LINUX_UTS_FIELD];
  memset(uts, 0, sizeof uts);
  if (os_linux_syscall(LINUX_NR_UNAME, P(uts), 0, 0, 0, 0) != 0)
    return 0;
  uts[sizeof uts - 1] = '\0';
  return strcmp(uts, "Linux") == 0 && strcmp(uts + 4 * LINUX_UTS_FIELD, "x86_64") == 0;
}

mklink__unix_side mklink__wine_side(void) {
  HMODULE ntdll = os_GetModuleHandleW(L"ntdll.dll");
  HMODULE k32 = os_GetModuleHandleW(L"kernel32.dll");
  if (ntdll == NULL || os_GetProcAddress(ntdll, "wine_get_version") == NULL)
    return MKLINK__UNIX_NONE;
#if !defined(__x86_64__)
  return MKLINK__UNIX_BLIND;
#else
  if (k32 == NULL || os_GetProcAddress(k32, "wine_get_unix_file_name") == NULL)
    return MKLINK__UNIX_BLIND;
  if (!host_is_linux(ntdll) || !syscall_reaches_linux())
    return MKLINK__UNIX_BLIND;
  return MKLINK__UNIX_REACHED;
#endif
}

/* ---- names -------------------------------------------------------------- */

int mklink__wine_unix_path(const wchar_t *wpath, char **out) {
  char *u;
  size_t n;
  *out = NULL;
  os_SetLastError(0);
  u = os_wine_get_unix_file_name(wpath);
  if (u == NULL) {
    DWORD e = os_GetLastError();
    if (e == ERROR_PROC_NOT_FOUND || e == ERROR_BAD_DEV_TYPE || e == 0)
      return MKLINK_ENOTSUP; /* no Unix side, or a UNC name */
    return e == ERROR_FILE_NOT_FOUND ? MKLINK_ENOPATH : mklink__error(e);
  }
  n = strlen(u);
  *out = malloc(n + 1);
  if (*out != NULL)
    memcpy(*out, u, n + 1);
  os_HeapFree(os_GetProcessHeap(), 0, u);
  return *out != NULL ? 0 : MKLINK_ENOMEM;
}

static int utf16_of(const char *s, size_t len, wchar_t **out) {
  int n = len == 0 ? 0 : os_MultiByteToWideChar(CP_UTF8, 0, s, (int)len, NULL, 0);
  *out = NULL;
  if (len > 0 && n <= 0)
    return MKLINK_EBADNAME;
  *out = malloc(((size_t)n + 1) * sizeof(wchar_t));
  if (*out == NULL)
    return MKLINK_ENOMEM;
  if (n > 0 && os_MultiByteToWideChar(CP_UTF8, 0, s, (int)len, *out, n) != n) {
    free(*out);
    *out = NULL;
    return MKLINK_EBADNAME;
  }
  (*out)[n] = L'\0';
  return 0;
}

static void swap_separators(wchar_t *w, wchar_t from, wchar_t to) {
  for (; *w; w++)
    if (*w == from)
      *w = to;
}

/* The Unix root of drive LETTER without a trailing '/' (malloc'ed), or NULL. */
static char *drive_root(wchar_t letter) {
  wchar_t root[4] = {letter, L':', L'\\', L'\0'};
  char *u = NULL;
  size_t n;
  if (mklink__wine_unix_path(root, &u) != 0)
    return NULL;
  n = strlen(u);
  while (n > 0 && u[n - 1] == '/')
    u[--n] = '\0';
  return u;
}

/* Does TEXT start with ROOT (N bytes) as whole components? */
static int under(const char *text, const char *root, size_t n) {
  return strncmp(text, root, n) == 0 && (text[n] == '/' || text[n] == '\0');
}

/* Wine names a drive X: by the symbolic link <prefix>/dosdevices/x:, and
   wine_get_unix_file_name answers every drive (mapped or not) with a path
   through it: a ROOT ending in "/dosdevices/c:" tells where the others are.
   Returns the letter TEXT names that way (its length in *N), or 0. */
static wchar_t dosdevices_drive(const char *text, const char *root, size_t *n) {
  static const char dir_name[] = "/dosdevices/";
  size_t len = strlen(root), dir, d = sizeof dir_name - 1;
  char c;
  if (len < d + 2 || root[len - 1] != ':' || strncmp(root + len - 2 - d, dir_name, d) != 0)
    return 0;
  dir = len - 2; /* up to and including "/dosdevices/" */
  if (strncmp(text, root, dir) != 0)
    return 0;
  c = text[dir];
  if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) || text[dir + 1] != ':' ||
      (text[dir + 2] != '/' && text[dir + 2] != '\0'))
    return 0;
  *n = dir + 2;
  return (wchar_t)(c >= 'a' ? c - 'a' + 'A' : c);
}

/* The Windows name of the absolute Unix path TEXT: "X:\rest" for the drive
   whose root is its longest prefix, "\\?\unix\..." when none is. */
static int dos_path(const char *text, wchar_t **out) {
  DWORD drives = os_GetLogicalDrives();
  size_t best = 0, n;
  wchar_t letter = 0, l;
  wchar_t *rest = NULL;
  int i, err;
  for (i = 0; i < 26; i++) {
    char *root;
    if (!(drives & (1u << i)) || (root = drive_root((wchar_t)(L'A' + i))) == NULL)
      continue;
    n = strlen(root);
    if (under(text, root, n) && (letter == 0 || n > best)) {
      best = n;
      letter = (wchar_t)(L'A' + i);
    }
    if ((l = dosdevices_drive(text, root, &n)) != 0 && (letter == 0 || n > best)) {
      best = n;
      letter = l;
    }
    free(root);
  }
  if (letter == 0) {
    err = utf16_of(text, strlen(text), &rest);
    if (err != 0)
      return err;
    *out = malloc((wcslen(rest) + 8) * sizeof(wchar_t));
    if (*out != NULL) {
      wcscpy(*out, L"\\\\?\\unix");
      wcscat(*out, rest);
      swap_separators(*out, L'/', L'\\');
    }
    free(rest);
    return *out != NULL ? 0 : MKLINK_ENOMEM;
  }
  err = utf16_of(text + best, strlen(text + best), &rest);
  if (err != 0)
    return err;
  *out = malloc((wcslen(rest) + 4) * sizeof(wchar_t));
  if (*out != NULL) {
    (*out)[0] = letter;
    (*out)[1] = L':';
    (*out)[2] = L'\0';
    wcscat(*out, rest[0] != L'\0' ? rest : L"\\");
    swap_separators(*out, L'/', L'\\');
  }
  free(rest);
  return *out != NULL ? 0 : MKLINK_ENOMEM;
}

/* ---- looking ------------------------------------------------------------ */

static unsigned mode_of(const unsigned char *st) {
  unsigned m;
  memcpy(&m, st + LINUX_STAT_MODE, sizeof m);
  return m;
}

static int is_link_mode(unsigned mode) { return (mode & LINUX_S_IFMT) == LINUX_S_IFLNK; }

/* lstat(2) of UPATH: 0 and its mode, or MKLINK_E*. */
static int unix_lstat(const char *upath, unsigned *mode) {
  unsigned char st[LINUX_STAT_SIZE];
  intptr_t ret = linux_call(LINUX_NR_LSTAT, P(upath), P(st), 0);
  *mode = 0; /* always set: GCC -O3 cannot tell linux_error() never gives 0 */
  if (ret != 0)
    return linux_error(ret, MKLINK_ENOFILE);
  *mode = mode_of(st);
  return 0;
}

/* readlink(2) of UPATH, NUL-terminated and malloc'ed. */
static int unix_readlink(const char *upath, char **text) {
  size_t cap = 256;
  for (;;) {
    intptr_t ret;
    char *buf = malloc(cap);
    if (buf == NULL)
      return MKLINK_ENOMEM;
    ret = linux_call(LINUX_NR_READLINK, P(upath), P(buf), (intptr_t)cap);
    if (ret < 0) {
      free(buf);
      /* EINVAL: no longer a link (swapped since it was looked at). */
      return ret == -LINUX_EINVAL ? MKLINK_ENOTLINK : linux_error(ret, MKLINK_ENOFILE);
    }
    if ((size_t)ret < cap) {
      buf[ret] = '\0';
      *text = buf;
      return 0;
    }
    free(buf);
    if (cap >= 65536)
      return MKLINK_ENAMETOOLONG;
    cap *= 2;
  }
}

static int is_junction_text(const char *text) {
  return text[0] == '/' && text[1] == '.' && text[2] == '/';
}

/* R for the link text TEXT: what a reparse buffer would hold. */
static int reparse_of_text(const char *text, mklink__reparse *r) {
  wchar_t *w = NULL;
  int err;
  if (is_junction_text(text)) {
    err = dos_path(text + 2, &w);
    if (err == 0)
      err = mklink__reparse_make_junction((const uint16_t *)w, wcslen(w), r);
  } else if (text[0] == '/') {
    err = dos_path(text, &w);
    if (err == 0)
      err = mklink__reparse_make_symlink((const uint16_t *)w, wcslen(w), 0, r);
  } else {
    err = utf16_of(text, strlen(text), &w);
    if (err == 0) {
      swap_separators(w, L'/', L'\\');
      err = w[0] != L'\0' ? mklink__reparse_make_symlink((const uint16_t *)w, wcslen(w), 1, r)
                          : MKLINK_EBADREPARSE;
    }
  }
  free(w);
  return err == MKLINK_EINVAL ? MKLINK_EBADREPARSE : err;
}

int mklink__wine_describe(const wchar_t *wpath, DWORD attrs, mklink__wstat *st,
                          mklink__reparse *r) {
  char *upath = NULL, *text = NULL;
  unsigned mode;
  int err;
  mklink__unix_side side = mklink__wine_side();
  if (side == MKLINK__UNIX_NONE)
    return MKLINK__NOT_UNIX_LINK;
  if (side == MKLINK__UNIX_BLIND) {
    st->unix_blind = 1;
    return MKLINK__NOT_UNIX_LINK;
  }
  err = mklink__wine_unix_path(wpath, &upath);
  if (err == 0)
    err = unix_lstat(upath, &mode);
  if (err == MKLINK_ENOFILE || err == MKLINK_ENOPATH || (err == 0 && !is_link_mode(mode))) {
    free(upath);
    return MKLINK__NOT_UNIX_LINK; /* nothing there, or no link: Win32 says */
  }
  if (err == MKLINK_ENOTSUP) {
    free(upath);
    st->unix_blind = 1; /* no Unix path (a UNC name): cannot tell */
    return MKLINK__NOT_UNIX_LINK;
  }
  if (err == 0)
    err = unix_readlink(upath, &text);
  if (err == 0)
    err = reparse_of_text(text, r);
  if (err == 0) {
    st->unix_link = 1;
    st->tag = r->tag;
    st->attrs = attrs != INVALID_FILE_ATTRIBUTES ? attrs : 0;
    st->nlink = 1;
    if (r->tag == MKLINK__IO_REPARSE_TAG_MOUNT_POINT)
      st->kind = MKLINK_JUNCTION;
    else
      st->kind = (st->attrs & FILE_ATTRIBUTE_DIRECTORY) ? MKLINK_DIR_SYMLINK
                                                        : MKLINK_FILE_SYMLINK;
  }
  free(upath);
  free(text);
  return err;
}

/* ---- changing ----------------------------------------------------------- */

static int is_sep(wchar_t c) { return c == L'\\' || c == L'/'; }

/* \\server\share..., not \\?\ or \\.\ (local names in NT form). */
static int is_unc_target(const wchar_t *t) {
  return is_sep(t[0]) && is_sep(t[1]) && !((t[2] == L'?' || t[2] == L'.') && is_sep(t[3]));
}

static int is_relative_target(const wchar_t *t) {
  if (t[0] == L'\\' || t[0] == L'/')
    return 0; /* rooted, or UNC */
  return !(t[0] != L'\0' && t[1] == L':');
}

/* The Unix path of the absolute target FULL, which may be missing, its
   directories too (a dangling link is allowed): Wine maps the part that
   exists, and the rest follows as typed. */
static int target_unix_path(const wchar_t *full, char **out) {
  size_t n = wcslen(full), cut = n;
  wchar_t *head;
  char *u = NULL, *rest = NULL;
  int err;
  head = malloc((n + 1) * sizeof(wchar_t));
  if (head == NULL)
    return MKLINK_ENOMEM;
  wcscpy(head, full);
  for (;;) {
    err = mklink__wine_unix_path(head, &u);
    if (err != MKLINK_ENOPATH || cut <= 3)
      break;
    /* Drop the last component, down to the root "X:\\" at most. */
    while (cut > 3 && head[cut - 1] != L'\\')
      cut--;
    if (cut > 3)
      cut--;
    head[cut] = L'\0';
  }
  if (err == 0 && cut < n) {
    wcscpy(head, full + cut);
    swap_separators(head, L'\\', L'/');
    err = mklink__utf8_dup(head, &rest);
    if (err == 0) {
      char *joined = malloc(strlen(u) + strlen(rest) + 1);
      err = joined != NULL ? 0 : MKLINK_ENOMEM;
      if (joined != NULL) {
        strcpy(joined, u);
        strcat(joined, rest);
      }
      free(u);
      u = joined;
    }
  }
  free(head);
  free(rest);
  if (err != 0) {
    free(u);
    return err;
  }
  *out = u;
  return 0;
}

/* The text the Unix link stores for STORED (see mklink__wine_symlink). */
static int link_text(const wchar_t *stored, mklink_kind kind, char **out) {
  wchar_t *full = NULL, *copy;
  char *u = NULL;
  size_t n;
  int err;
  *out = NULL;
  /* A network name has no Unix path, and Wine reaches none: the text is
     kept as typed (the POSIX backend's way), a link that reads back the
     same and leads nowhere here. */
  if (kind != MKLINK_JUNCTION && is_unc_target(stored))
    return mklink__utf8_dup(stored, out);
  if (kind != MKLINK_JUNCTION && is_relative_target(stored)) {
    copy = malloc((wcslen(stored) + 1) * sizeof(wchar_t));
    if (copy == NULL)
      return MKLINK_ENOMEM;
    wcscpy(copy, stored);
    swap_separators(copy, L'\\', L'/');
    err = mklink__utf8_dup(copy, out);
    free(copy);
    return err;
  }
  err = mklink__wfull(stored, &full);
  if (err == 0)
    err = target_unix_path(full, &u);
  free(full);
  if (err != 0)
    return err;
  if (kind != MKLINK_JUNCTION) {
    *out = u;
    return 0;
  }
  /* Normalised as the POSIX backend writes it: no trailing '/'. */
  n = strlen(u);
  while (n > 1 && u[n - 1] == '/')
    u[--n] = '\0';
  *out = malloc(n + 3);
  if (*out != NULL) {
    memcpy(*out, "/.", 2);
    strcpy(*out + 2, u);
  }
  free(u);
  return *out != NULL ? 0 : MKLINK_ENOMEM;
}

/* The Unix name of W for a change made from the Unix side: MKLINK_ENOTSUP
   where that side is not reached. */
static int unix_path_to_change(const wchar_t *w, char **upath) {
  if (mklink__wine_side() != MKLINK__UNIX_REACHED)
    return MKLINK_ENOTSUP;
  return mklink__wine_unix_path(w, upath);
}

int mklink__wine_symlink(const wchar_t *wlink, const wchar_t *stored, mklink_kind kind) {
  char *upath = NULL, *text = NULL, *back = NULL;
  unsigned mode;
  intptr_t ret;
  int err = unix_path_to_change(wlink, &upath);
  if (err == 0)
    err = link_text(stored, kind, &text);
  if (err != 0)
    goto out;
  ret = linux_call(LINUX_NR_SYMLINK, P(text), P(upath), 0);
  if (ret != 0) {
    /* EPERM from symlink(2): a file system without symbolic links (FAT),
       as in the POSIX backend. */
    err = ret == -LINUX_EPERM ? MKLINK_ENOTSUP : linux_error(ret, MKLINK_ENOPATH);
    goto out;
  }
  /* Read back from Linux: a link with our text, or it does not count (and
     what is there, made by someone else in between, is not ours to
     remove). */
  err = unix_lstat(upath, &mode);
  if (err == 0 && is_link_mode(mode))
    err = unix_readlink(upath, &back);
  else if (err == 0)
    err = MKLINK_ENOTCREATED;
  if (err != 0 || strcmp(back, text) != 0)
    err = MKLINK_ENOTCREATED;
out:
  free(upath);
  free(text);
  free(back);
  return err;
}

int mklink__wine_unlink(const wchar_t *wpath) {
  char *upath = NULL;
  unsigned mode;
  int err = unix_path_to_change(wpath, &upath);
  if (err == 0)
    err = unix_lstat(upath, &mode);
  /* unlink(2) never follows; a link is what was found, and what goes. */
  if (err == 0 && !is_link_mode(mode))
    err = MKLINK_ENOTLINK;
  if (err == 0) {
    intptr_t ret = linux_call(LINUX_NR_UNLINK, P(upath), 0, 0);
    err = ret == 0 ? 0 : linux_error(ret, MKLINK_ENOFILE);
  }
  free(upath);
  return err;
}

/* rename(2) of UFROM to UTO unless UTO exists: renameat2(RENAME_NOREPLACE),
   atomic; a file system or kernel without it (EINVAL, ENOSYS) has UTO
   checked just before instead, as the POSIX backend's mklink__rename_new
   does.  The negated errno, or 0. */
static intptr_t rename_noreplace(const char *ufrom, const char *uto) {
  unsigned char st[LINUX_STAT_SIZE];
  intptr_t ret = os_linux_syscall(LINUX_NR_RENAMEAT2, LINUX_AT_FDCWD, P(ufrom), LINUX_AT_FDCWD,
                                  P(uto), LINUX_RENAME_NOREPLACE);
  if (ret != -LINUX_EINVAL && ret != -LINUX_ENOSYS)
    return ret;
  ret = linux_call(LINUX_NR_LSTAT, P(uto), P(st), 0);
  if (ret == 0)
    return -LINUX_EEXIST;
  if (ret != -LINUX_ENOENT)
    return ret;
  return linux_call(LINUX_NR_RENAME, P(ufrom), P(uto), 0);
}

int mklink__wine_rename(const wchar_t *from, const wchar_t *to, int replace) {
  char *ufrom = NULL, *uto = NULL;
  int err = unix_path_to_change(from, &ufrom);
  if (err == 0)
    err = mklink__wine_unix_path(to, &uto);
  if (err == 0) {
    intptr_t ret = replace ? linux_call(LINUX_NR_RENAME, P(ufrom), P(uto), 0)
                           : rename_noreplace(ufrom, uto);
    err = ret == 0 ? 0 : linux_error(ret, MKLINK_ENOFILE);
  }
  free(ufrom);
  free(uto);
  return err;
}

/* ---- a directory's links ----------------------------------------------- */

/* struct linux_dirent64: d_ino 8, d_off 8, d_reclen 2, d_type 1, d_name. */
#define DIRENT_RECLEN 16
#define DIRENT_TYPE 18
#define DIRENT_NAME 19

/* FN(FD, NAME, ARG) for each entry of directory FD that may be a symbolic
   link (d_type DT_LNK, or DT_UNKNOWN where the file system does not say),
   until FN returns non-zero. */
typedef int (*entry_fn)(intptr_t fd, const char *name, void *arg);

static int each_link_entry(intptr_t fd, entry_fn fn, void *arg) {
  static const size_t cap = 8192;
  unsigned char *buf = malloc(cap);
  int err = buf != NULL ? 0 : MKLINK_ENOMEM;
  while (err == 0) {
    intptr_t got = linux_call(LINUX_NR_GETDENTS64, fd, P(buf), (intptr_t)cap), at = 0;
    if (got <= 0) {
      err = got == 0 ? 0 : linux_error(got, MKLINK_ENOPATH);
      break;
    }
    while (err == 0 && at < got) {
      unsigned short reclen;
      unsigned char type = buf[at + DIRENT_TYPE];
      memcpy(&reclen, buf + at + DIRENT_RECLEN, sizeof reclen);
      if (type == LINUX_DT_LNK || type == LINUX_DT_UNKNOWN)
        err = fn(fd, (const char *)buf + at + DIRENT_NAME, arg);
      at += reclen;
    }
  }
  free(buf);
  return err;
}

/* fstatat(2) of NAME in FD: 0 and its mode, or -errno. */
static intptr_t stat_at(intptr_t fd, const char *name, int follow, unsigned *mode) {
  unsigned char st[LINUX_STAT_SIZE];
  intptr_t ret = os_linux_syscall(LINUX_NR_NEWFSTATAT, fd, P(name), P(st),
                                  follow ? 0 : LINUX_AT_SYMLINK_NOFOLLOW, 0);
  if (ret == 0)
    *mode = mode_of(st);
  return ret;
}

/* Open the real directory WDIR on the Unix side, never through a link
   (unless FOLLOW). */
static int open_dir(const wchar_t *wdir, int follow, intptr_t *fd) {
  char *udir = NULL;
  int err = mklink__wine_unix_path(wdir, &udir);
  if (err != 0)
    return err;
  *fd = os_linux_syscall(LINUX_NR_OPENAT, -100 /* AT_FDCWD */, P(udir),
                         LINUX_O_DIRECTORY | (follow ? 0 : LINUX_O_NOFOLLOW) | LINUX_O_CLOEXEC,
                         0, 0);
  free(udir);
  if (*fd >= 0)
    return 0;
  /* ELOOP: the name was swapped for a link since it was looked at. */
  return *fd == -LINUX_ELOOP ? MKLINK_EBUSY : linux_error(*fd, MKLINK_ENOPATH);
}

typedef struct link_walk {
  mklink__unix_link_cb cb;
  void *arg;
} link_walk;

/* NAME in FD, if it is a symbolic link: to the callback, with whether it
   leads nowhere (following fails: Win32 does not list it). */
static int report_link(intptr_t fd, const char *name, void *arg) {
  link_walk *w = arg;
  unsigned mode;
  if (stat_at(fd, name, 0, &mode) != 0 || !is_link_mode(mode))
    return 0; /* gone meanwhile, or no link */
  return w->cb(w->arg, name, stat_at(fd, name, 1, &mode) != 0);
}

int mklink__wine_each_link(const wchar_t *wdir, int follow, mklink__unix_link_cb cb,
                           void *arg) {
  link_walk w;
  intptr_t fd;
  int err;
  switch (mklink__wine_side()) {
  case MKLINK__UNIX_NONE:
    return 0;
  case MKLINK__UNIX_BLIND:
    return MKLINK_ENOTSUP;
  default:
    break;
  }
  if ((err = open_dir(wdir, follow, &fd)) != 0)
    return err;
  w.cb = cb;
  w.arg = arg;
  err = each_link_entry(fd, report_link, &w);
  linux_call(LINUX_NR_CLOSE, fd, 0, 0);
  return err;
}

int mklink__wine_unlink_in(const wchar_t *wdir, const char *name) {
  unsigned mode;
  intptr_t fd, ret;
  int err;
  if (mklink__wine_side() != MKLINK__UNIX_REACHED)
    return MKLINK_ENOTSUP;
  if ((err = open_dir(wdir, 0, &fd)) != 0)
    return err;
  ret = stat_at(fd, name, 0, &mode);
  if (ret == 0 && !is_link_mode(mode))
    err = MKLINK_ENOTLINK; /* something else now: never removed here */
  else if (ret == 0)
    ret = linux_call(LINUX_NR_UNLINKAT, fd, P(name), 0);
  if (err == 0 && ret != 0)
    err = linux_error(ret, MKLINK_ENOFILE);
  linux_call(LINUX_NR_CLOSE, fd, 0, 0);
  return err;
}

/*
 * win32_plain_client.c -- a Windows program that knows nothing of mklink:
 * plain CreateFileW, WriteFile and FindFirstFileW, for the Windows suite to
 * run as a second process through links the library made.
 *
 *   win32_plain_client write PATH TEXT   create PATH (CREATE_ALWAYS) with TEXT
 *   win32_plain_client list DIR OUT      write the names in DIR, one a line
 *                                        ("." and ".." left out), into OUT
 *
 * Exit status 0, or the GetLastError() of the call that failed.
 */
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#include <stdio.h>
#include <string.h>
#include <wchar.h>

static int write_file(const wchar_t *path, const wchar_t *text) {
  char buf[1024];
  DWORD done;
  int n = WideCharToMultiByte(CP_UTF8, 0, text, -1, buf, sizeof buf, NULL, NULL);
  HANDLE h = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
  BOOL ok;
  if (h == INVALID_HANDLE_VALUE)
    return (int)GetLastError();
  ok = n > 0 && WriteFile(h, buf, (DWORD)n - 1, &done, NULL);
  CloseHandle(h);
  return ok ? 0 : (int)GetLastError();
}

static int list_dir(const wchar_t *dir, const wchar_t *out) {
  WIN32_FIND_DATAW fd;
  wchar_t pattern[1024];
  HANDLE h, o;
  DWORD done;
  swprintf(pattern, 1024, L"%ls\\*", dir);
  h = FindFirstFileW(pattern, &fd);
  if (h == INVALID_HANDLE_VALUE)
    return (int)GetLastError();
  o = CreateFileW(out, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
  if (o == INVALID_HANDLE_VALUE) {
    FindClose(h);
    return (int)GetLastError();
  }
  do {
    char name[1024];
    int n;
    if (wcscmp(fd.cFileName, L".") == 0 || wcscmp(fd.cFileName, L"..") == 0)
      continue;
    n = WideCharToMultiByte(CP_UTF8, 0, fd.cFileName, -1, name, sizeof name - 1, NULL, NULL);
    if (n > 0) {
      name[n - 1] = '\n';
      WriteFile(o, name, (DWORD)n, &done, NULL);
    }
  } while (FindNextFileW(h, &fd));
  FindClose(h);
  CloseHandle(o);
  return 0;
}

int wmain(int argc, wchar_t **argv) {
  if (argc == 4 && wcscmp(argv[1], L"write") == 0)
    return write_file(argv[2], argv[3]);
  if (argc == 4 && wcscmp(argv[1], L"list") == 0)
    return list_dir(argv[2], argv[3]);
  fputs("usage: win32_plain_client write PATH TEXT | list DIR OUT\n", stderr);
  return 87;
}

/*
 * run.c -- mklink__run on Win32: CreateProcessW with both output streams on
 * pipes and standard input on NUL.  Standard output is read to its end,
 * then standard error, whose pipe is made large enough for the few lines a
 * failing program prints, so neither stalls the program.
 */
#include "win32.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* Append ARG to LINE (at *N) quoted as CommandLineToArgvW splits it back:
   backslashes are doubled only before a quote, a quote is escaped. */
static void quote(wchar_t *line, size_t *n, const wchar_t *arg) {
  size_t i, slashes = 0, k;
  line[(*n)++] = L'"';
  for (i = 0;; i++) {
    if (arg[i] == L'\\') {
      slashes++;
      continue;
    }
    if (arg[i] == L'\0' || arg[i] == L'"') {
      for (k = 0; k < slashes * 2; k++)
        line[(*n)++] = L'\\';
      if (arg[i] == L'\0')
        break;
      line[(*n)++] = L'\\';
    } else {
      for (k = 0; k < slashes; k++)
        line[(*n)++] = L'\\';
    }
    slashes = 0;
    line[(*n)++] = arg[i];
  }
  line[(*n)++] = L'"';
}

static int command_line(const char *const argv[], wchar_t **out) {
  size_t cap = 1, n = 0, k;
  wchar_t *line, *w;
  int rc;
  for (k = 0; argv[k] != NULL; k++)
    cap += 3 + 2 * strlen(argv[k]);
  if ((line = malloc(cap * sizeof *line)) == NULL)
    return MKLINK_ENOMEM;
  for (k = 0; argv[k] != NULL; k++) {
    if ((rc = mklink__wtext(argv[k], &w)) != 0) {
      free(line);
      return rc;
    }
    if (k > 0)
      line[n++] = L' ';
    quote(line, &n, w);
    free(w);
  }
  line[n] = L'\0';
  *out = line;
  return 0;
}

/* Read H to its end into *BUF (NUL-terminated), *LEN bytes. */
static int drain(HANDLE h, char **buf, size_t *len) {
  size_t cap = 65536;
  char *p = malloc(cap), *q;
  DWORD got;
  *len = 0;
  if (p == NULL)
    return MKLINK_ENOMEM;
  for (;;) {
    if (cap - *len < 16385) {
      if ((q = realloc(p, cap * 2)) == NULL) {
        free(p);
        return MKLINK_ENOMEM;
      }
      p = q;
      cap *= 2;
    }
    if (!os_ReadFile(h, p + *len, 16384, &got, NULL) || got == 0)
      break; /* ERROR_BROKEN_PIPE: the program closed it */
    *len += got;
  }
  p[*len] = '\0';
  *buf = p;
  return 0;
}

int mklink__run(const char *const argv[], char **out, size_t *out_len, char **err,
                size_t *err_len, int *status) {
  SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
  HANDLE out_r = NULL, out_w = NULL, err_r = NULL, err_w = NULL, nul;
  STARTUPINFOW si;
  PROCESS_INFORMATION pi;
  wchar_t *line = NULL;
  DWORD code = 0;
  int rc;

  *out = *err = NULL;
  *out_len = *err_len = 0;
  *status = -1;
  if ((rc = command_line(argv, &line)) != 0)
    return rc;
  nul = os_CreateFileW(L"NUL", GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, &sa,
                       OPEN_EXISTING, 0, NULL);
  if (!os_CreatePipe(&out_r, &out_w, &sa, 0) || !os_CreatePipe(&err_r, &err_w, &sa, 1 << 20)) {
    rc = mklink__last_error();
    goto out;
  }
  /* Only the child's ends are inherited. */
  SetHandleInformation(out_r, HANDLE_FLAG_INHERIT, 0);
  SetHandleInformation(err_r, HANDLE_FLAG_INHERIT, 0);
  memset(&si, 0, sizeof si);
  si.cb = sizeof si;
  si.dwFlags = STARTF_USESTDHANDLES;
  si.hStdInput = nul;
  si.hStdOutput = out_w;
  si.hStdError = err_w;
  if (!os_CreateProcessW(NULL, line, NULL, NULL, TRUE, CREATE_NO_WINDOW, NULL, NULL, &si, &pi)) {
    rc = MKLINK_ENOTSUP; /* no such program here */
    goto out;
  }
  os_CloseHandle(out_w);
  os_CloseHandle(err_w);
  out_w = err_w = NULL;
  if ((rc = drain(out_r, out, out_len)) == 0)
    rc = drain(err_r, err, err_len);
  os_WaitForSingleObject(pi.hProcess, INFINITE);
  if (os_GetExitCodeProcess(pi.hProcess, &code))
    *status = (int)code;
  os_CloseHandle(pi.hProcess);
  os_CloseHandle(pi.hThread);
  if (rc != 0) {
    free(*out);
    free(*err);
    *out = *err = NULL;
  }
out:
  if (nul != INVALID_HANDLE_VALUE)
    os_CloseHandle(nul);
  if (out_r != NULL)
    os_CloseHandle(out_r);
  if (out_w != NULL)
    os_CloseHandle(out_w);
  if (err_r != NULL)
    os_CloseHandle(err_r);
  if (err_w != NULL)
    os_CloseHandle(err_w);
  free(line);
  return rc;
}

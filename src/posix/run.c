/*
 * run.c -- mklink__run on POSIX: posix_spawnp with the two output streams
 * on pipes, read together (poll) so that neither can fill up and stall the
 * program, standard input on /dev/null.
 */
#include "posix.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

typedef struct sink {
  char *buf;
  size_t len, cap;
} sink;

static int take(sink *s, int fd, int *open_fd) {
  char chunk[16384];
  ssize_t n = os_read(fd, chunk, sizeof chunk);
  if (n < 0)
    return errno == EINTR || errno == EAGAIN ? 0 : mklink__error(errno, MKLINK__CTX_PATH);
  if (n == 0) {
    os_close(fd);
    *open_fd = -1;
    return 0;
  }
  if (s->len + (size_t)n + 1 > s->cap) {
    size_t cap = s->cap > 0 ? s->cap : 65536;
    char *p;
    while (cap < s->len + (size_t)n + 1)
      cap *= 2;
    if ((p = realloc(s->buf, cap)) == NULL)
      return MKLINK_ENOMEM;
    s->buf = p;
    s->cap = cap;
  }
  memcpy(s->buf + s->len, chunk, (size_t)n);
  s->len += (size_t)n;
  return 0;
}

/* Read both pipes to their end. */
static int drain(int out_fd, int err_fd, sink *out, sink *err) {
  int rc = 0;
  while (rc == 0 && (out_fd >= 0 || err_fd >= 0)) {
    struct pollfd p[2];
    nfds_t n = 0;
    if (out_fd >= 0)
      p[n].fd = out_fd, p[n].events = POLLIN, p[n].revents = 0, n++;
    if (err_fd >= 0)
      p[n].fd = err_fd, p[n].events = POLLIN, p[n].revents = 0, n++;
    if (os_poll(p, n, -1) < 0) {
      if (errno == EINTR)
        continue;
      rc = mklink__error(errno, MKLINK__CTX_PATH);
      break;
    }
    if (out_fd >= 0 && (p[0].revents & (POLLIN | POLLHUP | POLLERR)))
      rc = take(out, out_fd, &out_fd);
    if (rc == 0 && err_fd >= 0 && (p[n - 1].revents & (POLLIN | POLLHUP | POLLERR)))
      rc = take(err, err_fd, &err_fd);
  }
  if (out_fd >= 0)
    os_close(out_fd);
  if (err_fd >= 0)
    os_close(err_fd);
  return rc;
}

static int terminate(sink *s) {
  if (s->buf == NULL && (s->buf = malloc(1)) == NULL)
    return MKLINK_ENOMEM;
  s->buf[s->len] = '\0';
  return 0;
}

int mklink__run(const char *const argv[], char **out, size_t *out_len, char **err,
                size_t *err_len, int *status) {
  int po[2] = {-1, -1}, pe[2] = {-1, -1}, rc = 0, ws = 0, spawned;
  posix_spawn_file_actions_t fa;
  sink so = {NULL, 0, 0}, se = {NULL, 0, 0};
  pid_t pid;

  *out = *err = NULL;
  *out_len = *err_len = 0;
  *status = -1;
  if (os_pipe(po) != 0 || os_pipe(pe) != 0) {
    rc = mklink__error(errno, MKLINK__CTX_PATH);
    goto out;
  }
  fcntl(po[0], F_SETFD, FD_CLOEXEC);
  fcntl(pe[0], F_SETFD, FD_CLOEXEC);
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, po[1], 1);
  posix_spawn_file_actions_adddup2(&fa, pe[1], 2);
  spawned = os_posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  os_close(po[1]);
  os_close(pe[1]);
  po[1] = pe[1] = -1;
  if (spawned != 0) {
    os_close(po[0]);
    os_close(pe[0]);
    rc = MKLINK_ENOTSUP; /* no such program here */
    goto out;
  }
  rc = drain(po[0], pe[0], &so, &se);
  while (os_waitpid(pid, &ws, 0) < 0 && errno == EINTR)
    ;
  /* glibc's posix_spawnp reports a program it cannot find as exit 127. */
  if (rc == 0 && WIFEXITED(ws) && WEXITSTATUS(ws) == 127 && so.len == 0)
    rc = MKLINK_ENOTSUP;
  if (rc == 0)
    *status = WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
  if (rc == 0 && (rc = terminate(&so)) == 0 && (rc = terminate(&se)) == 0) {
    *out = so.buf, *out_len = so.len;
    *err = se.buf, *err_len = se.len;
    so.buf = se.buf = NULL;
  }
out:
  if (po[1] >= 0)
    os_close(po[1]);
  if (pe[1] >= 0)
    os_close(pe[1]);
  free(so.buf);
  free(se.buf);
  return rc;
}

/*
 * consumer_checks.h -- the checks the consumer's tests share: CHECK(cond) and
 * CHECK_RC(call, expected) count failures and say where, SKIP is ctest's
 * SKIP_RETURN_CODE.
 */
#ifndef CONSUMER_CHECKS_H
#define CONSUMER_CHECKS_H

#include <mklink.h>

#include <stdio.h>

static int failures;


#define CHECK(cond)                                                          \
  do {                                                                       \
    if (!(cond)) {                                                           \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__,       \
              #cond);                                                        \
      failures++;                                                            \
    }                                                                        \
  } while (0)

#define CHECK_RC(call, expected)                                             \
  do {                                                                       \
    int rc_ = (call);                                                        \
    if (rc_ != (expected)) {                                                 \
      fprintf(stderr, "%s:%d: %s returned %s (%s), expected %s\n", __FILE__, \
              __LINE__, #call, mklink_err_name(rc_), mklink_strerror(rc_),   \
              mklink_err_name(expected));                                    \
      failures++;                                                            \
    }                                                                        \
  } while (0)

#define SKIP 77

#endif /* CONSUMER_CHECKS_H */

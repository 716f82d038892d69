/*
 * posix_fault.h -- fault injection and fakes over libmklink's OS-call table.
 *
 * fault_start() puts a counting wrapper on every entry of the table (the
 * test fails if the library has an entry this file does not know, so no
 * call escapes the count).  The wrappers call the real function unless a
 * planned failure says otherwise; a failing call sets errno and touches
 * nothing.  Plans and fakes set up with expect_*() need fault_start() first
 * and stay until fault_stop() or the teardown of posix_fs.h.
 */
#ifndef MKLINK_TEST_POSIX_FAULT_H
#define MKLINK_TEST_POSIX_FAULT_H

/* Wrap every entry, reset counters and plans. */
void fault_start(void);
/* Restore every entry to the system function and forget the plans. */
void fault_stop(void);

/* Calls made since fault_start(), all entries together or of one entry. */
unsigned fault_calls(void);
unsigned fault_calls_of(const char *entry);
/* The entry of call number N (1-based), for messages; "?" if none. */
const char *fault_call_entry(unsigned n);
/* Reset the counters (plans stay). */
void fault_reset_counts(void);

/* Make call number N (1-based, all entries counted together) fail with
   ERRNUM. */
void expect_fail_call(unsigned n, int errnum);
/* Make the Nth call of ENTRY fail with ERRNUM. */
void expect_fail(const char *entry, unsigned n, int errnum);
/* Make every call of ENTRY from the Nth on fail with ERRNUM. */
void expect_fail_from(const char *entry, unsigned n, int errnum);

/* statfs reports file-system type MAGIC (e.g. 0x6969, NFS_SUPER_MAGIC) for
   every path that exists, as a network mount would. */
void expect_statfs_magic(unsigned long magic);
/* readlinkat fills the whole buffer, as a link text too long for it. */
void expect_readlinkat_overflow(void);

#endif /* MKLINK_TEST_POSIX_FAULT_H */

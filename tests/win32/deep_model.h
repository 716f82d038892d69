/*
 * deep_model.h -- a chain of directories far deeper than a real Wine can
 * reach (Linux's PATH_MAX stops it near 2,000 one-letter levels, and its
 * path lookups make each call cost the depth), for the tree walk's depth
 * tests: TOP\d\d\...\d (LEVELS directories "d") holding one file "f" with
 * two names, answered through libmklink's OS-call table from a few bits of
 * state.  TOP itself is a real, empty directory; the names below it exist
 * only here.  The calls answered: CreateFileW, CloseHandle,
 * GetFileInformationByHandle, GetFileAttributesW, FindFirstFileExW,
 * FindNextFileW, FindClose, RemoveDirectoryW, DeleteFileW (any other name
 * goes to the real system), and GetProcAddress (Wine's exports hidden: no
 * Wine bridge, as on Windows).
 */
#ifndef MKLINK_DEEP_MODEL_H
#define MKLINK_DEEP_MODEL_H

#include <stddef.h>

/* Install the chain below the real directory TOP (UTF-8, relative to the
   test directory), LEVELS deep. */
void deep_model_install(const char *top, size_t levels);
/* Directories of the chain still there, and whether "f" is. */
size_t deep_model_dirs(void);
int deep_model_file(void);
/* Free the model's state (the table is restored by w32_teardown). */
void deep_model_free(void);

#endif /* MKLINK_DEEP_MODEL_H */

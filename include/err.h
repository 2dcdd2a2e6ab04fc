/* err.h — one error path for the whole program.
 *
 * A function that can fail returns a negative status and fills an `err`
 * record: the file (a scenario path, an output path, or "<command line>"),
 * the line in that file (0 when there is none), the scenario key or option
 * concerned (empty when there is none) and a message in plain words.
 * Only main() prints an error and chooses the exit code; `kind` tells it
 * which: ERR_INPUT (bad usage or scenario, exit 2) or ERR_RUNTIME (I/O,
 * HDF5, memory, exit 1).
 *
 * Thread-safety: an err record belongs to its caller; nothing here is shared.
 */
#ifndef REASSURE_ERR_H
#define REASSURE_ERR_H

#include <stddef.h>

enum err_kind { ERR_NONE = 0, ERR_INPUT = 2, ERR_RUNTIME = 1 };

typedef struct err {
    enum err_kind kind;
    char file[512];
    int line;
    char key[128];
    char msg[1024];
} err;

/* Clears the record. */
void err_clear(err *e);

/* Fills the record (file, key may be NULL) and returns -1, so callers can
 * write `return err_set(e, ...);`. The message is printf-formatted. */
int err_set(err *e, enum err_kind kind, const char *file, int line,
            const char *key, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Puts text before and after the message (either may be ""). */
void err_wrap(err *e, const char *before, const char *after);

/* Writes "file:line: key: message" (parts that are empty are left out). */
void err_format(const err *e, char *buf, size_t n);

#endif

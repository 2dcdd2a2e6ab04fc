/* scn_text.h — scenario text before libconfig sees it.
 *
 * Two jobs libconfig 1.5 does not do for us. (1) @include "file" is resolved
 * relative to the including file (libconfig resolves against one folder),
 * recursively, with cycles refused. (2) libconfig 1.5 silently wraps integer
 * literals beyond 32 bits (12345678901 reads as -539222987); such literals
 * get the L suffix so libconfig reads them as exact 64-bit integers, and
 * literals beyond 64 bits are refused. The expanded text keeps a map from its
 * lines back to (file, line) so every message names the right place.
 *
 * Ownership: scn_text_load's result is freed with scn_text_free.
 */
#ifndef REASSURE_SCN_TEXT_H
#define REASSURE_SCN_TEXT_H

#include <stddef.h>

#include "err.h"

typedef struct scn_text {
    char *original;      /* the top file, verbatim */
    char *expanded;      /* includes expanded, big literals marked */
    char **files;        /* every file read, the top one first */
    size_t n_files;
    int *line_file;      /* expanded line i+1 comes from files[line_file[i]] */
    int *line_no;        /* ... at this line */
    size_t n_lines;
} scn_text;

/* Reads path. Missing, unreadable or empty files, include failures and
 * oversized integers fill e (ERR_INPUT) and return NULL. Only regular files
 * are read, but for the top scenario (top = 1), which may be a pipe. */
scn_text *scn_text_load(const char *path, int top, err *e);
void scn_text_free(scn_text *t);

/* Maps a line of the expanded text to its file and line. */
void scn_text_where(const scn_text *t, int line, const char **file, int *file_line);

#endif

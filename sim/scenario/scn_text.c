/* scn_text.c — reading scenario files: @include and exact integers.
 *
 * See scn_text.h for why this exists. The expanded text has exactly one line
 * per source line (an @include line is replaced by the included file's
 * lines), so a libconfig line number maps back through line_file/line_no.
 */
#include "scn_text.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* MAX_FILE_BYTES bounds one file; MAX_TOTAL_BYTES and MAX_FILES_READ bound
 * a scenario with all its includes, which may include one file many times
 * (nine small files including each other ten deep are 10^9 reads). */
enum {
    MAX_INCLUDE_DEPTH = 16,
    MAX_FILE_BYTES = 16 << 20,
    MAX_TOTAL_BYTES = 16 << 20,
    MAX_FILES_READ = 1000
};

typedef struct buf {
    char *p;
    size_t len, cap;
} buf;

static int buf_put(buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (p == NULL)
            return -1;
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
    return 0;
}

typedef struct expander {
    scn_text *t;
    buf out;
    size_t cap_lines;
    const char *stack[MAX_INCLUDE_DEPTH];
    int depth;
    size_t bytes_read; /* every file read so far, includes counted each time */
    int top;           /* the top scenario (may be a pipe), not a base */
    err *e;
} expander;

/* An included file or a base scenario is opened without blocking (a FIFO
 * would wait forever for a writer) and read only when it is a regular
 * file. The top file is the user's own choice and may be a pipe:
 * `check <(generate)`. from_file is the including file, or NULL for a base. */
static FILE *open_regular(const char *path, const char *from_file, int from_line, err *e)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        if (from_file != NULL)
            err_set(e, ERR_INPUT, from_file, from_line, NULL, "cannot open included file %s: %s",
                    path, strerror(errno));
        else
            err_set(e, ERR_INPUT, path, 0, NULL, "cannot open scenario file: %s",
                    strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        if (from_file != NULL)
            err_set(e, ERR_INPUT, from_file, from_line, NULL,
                    "cannot include \"%s\": it is not a regular file (a pipe, device or socket)",
                    path);
        else
            err_set(e, ERR_INPUT, path, 0, NULL,
                    "is not a regular file (a pipe, device or socket)");
        return NULL;
    }
    int flags = fcntl(fd, F_GETFL);
    FILE *f = flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0 ? NULL : fdopen(fd, "rb");
    if (f == NULL) {
        err_set(e, ERR_INPUT, from_file ? from_file : path, from_line, NULL, "cannot open %s: %s",
                path, strerror(errno));
        close(fd);
    }
    return f;
}

static char *read_file(const char *path, const char *from_file, int from_line,
                       const char *what, int regular_only, err *e)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        if (from_file != NULL)
            err_set(e, ERR_INPUT, from_file, from_line, NULL,
                    "cannot include \"%s\": it is a folder, not a file", path);
        else
            err_set(e, ERR_INPUT, path, 0, NULL, "is a folder, not a scenario file");
        return NULL;
    }
    FILE *f = regular_only ? open_regular(path, from_file, from_line, e) : fopen(path, "rb");
    if (f == NULL) {
        if (!regular_only)
            err_set(e, ERR_INPUT, path, 0, NULL, "cannot open %s: %s", what, strerror(errno));
        return NULL;
    }
    buf b = {0};
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b.len + n > MAX_FILE_BYTES) {
            fclose(f);
            free(b.p);
            err_set(e, ERR_INPUT, path, 0, NULL, "file is larger than %d MiB",
                    MAX_FILE_BYTES >> 20);
            return NULL;
        }
        if (memchr(chunk, '\0', n) != NULL) {
            fclose(f);
            free(b.p);
            err_set(e, ERR_INPUT, path, 0, NULL,
                    "file contains a NUL byte: not a text scenario file");
            return NULL;
        }
        if (buf_put(&b, chunk, n) < 0) {
            fclose(f);
            free(b.p);
            err_set(e, ERR_RUNTIME, path, 0, NULL, "out of memory");
            return NULL;
        }
    }
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        free(b.p);
        if (from_file != NULL)
            err_set(e, ERR_INPUT, from_file, from_line, NULL, "cannot read included file %s",
                    path);
        else
            err_set(e, ERR_INPUT, path, 0, NULL, "cannot read the file");
        return NULL;
    }
    if (b.p == NULL)
        b.p = calloc(1, 1);
    /* A UTF-8 byte-order mark (some editors write one) is not text. */
    if (b.p != NULL && b.len >= 3 && memcmp(b.p, "\xEF\xBB\xBF", 3) == 0)
        memmove(b.p, b.p + 3, b.len - 2);
    return b.p;
}

/* Appends one line (without its newline) to the output, marking integer
 * literals that need 64 bits with an L suffix. *in_comment carries a block
 * comment across lines. */
static int put_line(expander *x, const char *line, size_t len, int file, int line_no,
                    int *in_comment)
{
    scn_text *t = x->t;
    if (t->n_lines == x->cap_lines) {
        size_t cap = x->cap_lines ? 2 * x->cap_lines : 256;
        int *lf = realloc(t->line_file, cap * sizeof *lf);
        if (lf == NULL)
            return err_set(x->e, ERR_RUNTIME, NULL, 0, NULL, "out of memory");
        t->line_file = lf;
        int *ln = realloc(t->line_no, cap * sizeof *ln);
        if (ln == NULL)
            return err_set(x->e, ERR_RUNTIME, NULL, 0, NULL, "out of memory");
        t->line_no = ln;
        x->cap_lines = cap;
    }
    t->line_file[t->n_lines] = file;
    t->line_no[t->n_lines] = line_no;
    t->n_lines++;

    size_t i = 0, done = 0;
    while (i < len) {
        char c = line[i];
        if (*in_comment) {
            if (c == '*' && i + 1 < len && line[i + 1] == '/') {
                *in_comment = 0;
                i += 2;
            } else {
                i++;
            }
            continue;
        }
        if (c == '#' || (c == '/' && i + 1 < len && line[i + 1] == '/'))
            break;
        if (c == '/' && i + 1 < len && line[i + 1] == '*') {
            *in_comment = 1;
            i += 2;
            continue;
        }
        if (c == '"') {
            for (i++; i < len && line[i] != '"'; i++)
                if (line[i] == '\\')
                    i++;
            i++;
            continue;
        }
        int starts = isdigit((unsigned char)c) &&
                     (i == 0 || !(isalnum((unsigned char)line[i - 1]) ||
                                  line[i - 1] == '_' || line[i - 1] == '.'));
        if (!starts) {
            i++;
            continue;
        }
        size_t s = i;
        int hex = c == '0' && i + 1 < len && (line[i + 1] == 'x' || line[i + 1] == 'X');
        if (hex) {
            i += 2;
            while (i < len && isxdigit((unsigned char)line[i]))
                i++;
        } else {
            while (i < len && isdigit((unsigned char)line[i]))
                i++;
            if (i < len && (line[i] == '.' || line[i] == 'e' || line[i] == 'E')) {
                while (i < len && (isalnum((unsigned char)line[i]) || line[i] == '.' ||
                                   ((line[i] == '+' || line[i] == '-') &&
                                    (line[i - 1] == 'e' || line[i - 1] == 'E'))))
                    i++;
                continue; /* a real number: libconfig reads it as a double */
            }
        }
        if (i < len && line[i] == 'L')
            continue; /* already 64-bit */
        char digits[64];
        size_t nd = i - s;
        if (nd >= sizeof digits)
            nd = sizeof digits - 1;
        memcpy(digits, line + s, nd);
        digits[nd] = '\0';
        errno = 0;
        unsigned long long v = strtoull(digits, NULL, hex ? 16 : 10);
        if (errno == ERANGE || (!hex && v > (unsigned long long)INT64_MAX))
            return err_set(x->e, ERR_INPUT, t->files[file], line_no, NULL,
                           "integer %s does not fit in 64 bits", digits);
        if (v > 0x7fffffffULL) {
            if (buf_put(&x->out, line + done, i - done) < 0 || buf_put(&x->out, "L", 1) < 0)
                return err_set(x->e, ERR_RUNTIME, NULL, 0, NULL, "out of memory");
            done = i;
        }
    }
    if (buf_put(&x->out, line + done, len - done) < 0 || buf_put(&x->out, "\n", 1) < 0)
        return err_set(x->e, ERR_RUNTIME, NULL, 0, NULL, "out of memory");
    return 0;
}

/* "@include "name"" alone on its line (libconfig's own rule): returns the
 * name in out, or 0 when the line is no include. */
static int include_name(const char *line, size_t len, char *out, size_t n)
{
    size_t i = 0;
    while (i < len && isspace((unsigned char)line[i]))
        i++;
    if (len - i < 8 || strncmp(line + i, "@include", 8) != 0)
        return 0;
    i += 8;
    while (i < len && isspace((unsigned char)line[i]))
        i++;
    if (i >= len || line[i] != '"')
        return -1;
    size_t s = ++i;
    while (i < len && line[i] != '"')
        i++;
    if (i >= len || i - s >= n)
        return -1;
    memcpy(out, line + s, i - s);
    out[i - s] = '\0';
    return 1;
}

static char *resolve(const char *including, const char *name)
{
    if (name[0] == '/')
        return strdup(name);
    const char *slash = strrchr(including, '/');
    size_t dir = slash ? (size_t)(slash - including) + 1 : 0;
    char *p = malloc(dir + strlen(name) + 1);
    if (p != NULL) {
        memcpy(p, including, dir);
        strcpy(p + dir, name);
    }
    return p;
}

static int expand(expander *x, const char *path, const char *from, int from_line)
{
    scn_text *t = x->t;
    for (int d = 0; d < x->depth; d++)
        if (strcmp(x->stack[d], path) == 0)
            return err_set(x->e, ERR_INPUT, from, from_line, NULL,
                           "@include \"%s\" includes itself (a cycle)", path);
    if (x->depth == MAX_INCLUDE_DEPTH)
        return err_set(x->e, ERR_INPUT, from, from_line, NULL,
                       "@include nested deeper than %d files", MAX_INCLUDE_DEPTH);
    if (t->n_files == MAX_FILES_READ)
        return err_set(x->e, ERR_INPUT, from, from_line, NULL,
                       "@include reads more than %d files in all (a file included many "
                       "times counts each time)", MAX_FILES_READ);
    char *text = read_file(path, from, from_line, from ? "included file" : "scenario file",
                           from != NULL || !x->top, x->e);
    if (text == NULL)
        return -1;
    x->bytes_read += strlen(text);
    if (from != NULL && x->bytes_read > MAX_TOTAL_BYTES) {
        free(text);
        return err_set(x->e, ERR_INPUT, from, from_line, NULL,
                       "@include: the scenario and its includes are larger than %d MiB in all "
                       "(a file included many times counts each time)", MAX_TOTAL_BYTES >> 20);
    }
    char **files = realloc(t->files, (t->n_files + 1) * sizeof *files);
    if (files == NULL) {
        free(text);
        return err_set(x->e, ERR_RUNTIME, NULL, 0, NULL, "out of memory");
    }
    t->files = files;
    int me = (int)t->n_files;
    t->files[t->n_files++] = strdup(path);
    if (from == NULL)
        t->original = text;
    x->stack[x->depth++] = t->files[me];

    int rc = 0, in_comment = 0, line_no = 0;
    for (const char *p = text; *p && rc == 0;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        line_no++;
        char name[1024];
        int inc = in_comment ? 0 : include_name(p, len, name, sizeof name);
        if (inc < 0) {
            rc = err_set(x->e, ERR_INPUT, t->files[me], line_no, NULL,
                         "malformed @include: write @include \"file.cfg\"");
        } else if (inc > 0) {
            char *target = resolve(t->files[me], name);
            if (target == NULL)
                rc = err_set(x->e, ERR_RUNTIME, NULL, 0, NULL, "out of memory");
            else
                rc = expand(x, target, t->files[me], line_no);
            free(target);
        } else {
            rc = put_line(x, p, len, me, line_no, &in_comment);
        }
        p = nl ? nl + 1 : p + len;
    }
    x->depth--;
    if (from != NULL)
        free(text);
    return rc;
}

scn_text *scn_text_load(const char *path, int top, err *e)
{
    scn_text *t = calloc(1, sizeof *t);
    if (t == NULL) {
        err_set(e, ERR_RUNTIME, path, 0, NULL, "out of memory");
        return NULL;
    }
    expander x = {.t = t, .top = top, .e = e};
    if (expand(&x, path, NULL, 0) < 0) {
        free(x.out.p);
        scn_text_free(t);
        return NULL;
    }
    t->expanded = x.out.p ? x.out.p : calloc(1, 1);
    return t;
}

void scn_text_free(scn_text *t)
{
    if (t == NULL)
        return;
    free(t->original);
    free(t->expanded);
    for (size_t i = 0; i < t->n_files; i++)
        free(t->files[i]);
    free(t->files);
    free(t->line_file);
    free(t->line_no);
    free(t);
}

void scn_text_where(const scn_text *t, int line, const char **file, int *file_line)
{
    if (line >= 1 && (size_t)line <= t->n_lines) {
        *file = t->files[t->line_file[line - 1]];
        *file_line = t->line_no[line - 1];
    } else if (line > 0 && t->n_lines > 0) {
        /* Past the end (libconfig reports a missing '}' there): the line
         * after the last one read. */
        *file = t->files[t->line_file[t->n_lines - 1]];
        *file_line = t->line_no[t->n_lines - 1] + (line - (int)t->n_lines);
    } else {
        *file = t->n_files ? t->files[0] : "";
        *file_line = 0;
    }
}

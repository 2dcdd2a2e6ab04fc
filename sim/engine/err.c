/* err.c — filling and formatting error records (see err.h). */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void err_clear(err *e)
{
    memset(e, 0, sizeof *e);
}

int err_set(err *e, enum err_kind kind, const char *file, int line,
            const char *key, const char *fmt, ...)
{
    if (e == NULL)
        return -1;
    e->kind = kind;
    snprintf(e->file, sizeof e->file, "%s", file ? file : "");
    e->line = line;
    snprintf(e->key, sizeof e->key, "%s", key ? key : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    return -1;
}

void err_format(const err *e, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
#define APPEND(...)                                                          \
    do {                                                                     \
        int k_ = snprintf(buf + used, used < n ? n - used : 0, __VA_ARGS__); \
        if (k_ > 0)                                                          \
            used += (size_t)k_;                                              \
        if (used >= n)                                                       \
            used = n - 1;                                                    \
    } while (0)
    if (e->file[0] != '\0') {
        if (e->line > 0)
            APPEND("%s:%d: ", e->file, e->line);
        else
            APPEND("%s: ", e->file);
    }
    if (e->key[0] != '\0')
        APPEND("%s: ", e->key);
    APPEND("%s", e->msg);
#undef APPEND
}

void err_wrap(err *e, const char *before, const char *after)
{
    char old[sizeof e->msg];
    memcpy(old, e->msg, sizeof old);
    size_t nb = strlen(before), no = strlen(old), na = strlen(after), cap = sizeof e->msg - 1;
    size_t used = 0;
    memcpy(e->msg, before, nb < cap ? nb : cap);
    used = nb < cap ? nb : cap;
    size_t k = no < cap - used ? no : cap - used;
    memcpy(e->msg + used, old, k);
    used += k;
    k = na < cap - used ? na : cap - used;
    memcpy(e->msg + used, after, k);
    used += k;
    e->msg[used] = '\0';
}

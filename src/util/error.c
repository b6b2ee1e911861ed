/* Error records: a code plus a sentence, formatted once where the error is found. */
#include "misi/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *misi_strerror(int code)
{
    switch (code) {
    case MISI_OK: return "success";
    case MISI_E_IO: return "input/output error";
    case MISI_E_PARSE: return "parse error";
    case MISI_E_NOMEM: return "out of memory";
    case MISI_E_RANGE: return "value out of range";
    case MISI_E_INVALID: return "invalid input";
    case MISI_E_LIMIT: return "limit exceeded";
    case MISI_E_GL: return "graphics error";
    case MISI_E_USAGE: return "usage error";
    case MISI_E_CANCELLED: return "cancelled";
    default: return "unknown error";
    }
}

int misi_error_set(misi_error *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->code = code;
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}

int misi_error_at(misi_error *err, int code, const char *path, long line,
                  const char *fmt, ...)
{
    if (err) {
        size_t cap = sizeof err->msg;
        int n = line > 0 ? snprintf(err->msg, cap, "%s:%ld: ", path ? path : "<input>", line)
                         : snprintf(err->msg, cap, "%s: ", path ? path : "<input>");
        size_t used = n < 0 ? 0 : (size_t)n >= cap ? cap - 1 : (size_t)n;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg + used, cap - used, fmt, ap);
        va_end(ap);
        err->code = code;
    }
    return code;
}

void misi_error_clear(misi_error *err)
{
    if (err) {
        err->code = MISI_OK;
        err->msg[0] = '\0';
    }
}

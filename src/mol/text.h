/* Private helpers shared by the structure readers: a line iterator that copes
 * with \r\n and embedded NUL bytes, bounded column access and number parsing
 * that refuses trailing garbage, NaN and Inf. Everything works on (pointer,
 * length) spans because input files are untrusted bytes, not C strings. */
#ifndef MISI_MOL_TEXT_H
#define MISI_MOL_TEXT_H

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A byte span; never NUL-terminated. */
typedef struct text_span {
    const char *p;
    size_t n;
} text_span;

typedef struct text_lines {
    const char *p, *end;
    long lineno; /* 1-based number of the line last returned */
} text_lines;

static inline void text_lines_init(text_lines *it, const char *text, size_t len)
{
    it->p = text;
    it->end = text + len;
    it->lineno = 0;
}

/* Next line without its terminator (\n, \r\n or a lone \r at the end). */
static inline bool text_next_line(text_lines *it, text_span *line)
{
    if (it->p >= it->end)
        return false;
    const char *s = it->p;
    const char *nl = memchr(s, '\n', (size_t)(it->end - s));
    const char *e = nl ? nl : it->end;
    it->p = nl ? nl + 1 : it->end;
    if (e > s && e[-1] == '\r')
        e--;
    line->p = s;
    line->n = (size_t)(e - s);
    it->lineno++;
    return true;
}

static inline bool text_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static inline text_span text_trim(text_span s)
{
    while (s.n && text_is_space(s.p[0])) {
        s.p++;
        s.n--;
    }
    while (s.n && text_is_space(s.p[s.n - 1]))
        s.n--;
    return s;
}

/* Columns first..last (1-based, inclusive) of a line that may be shorter. */
static inline text_span text_cols(text_span line, size_t first, size_t last)
{
    text_span r = {line.p, 0};
    if (first == 0 || first > line.n || last < first)
        return r;
    r.p = line.p + first - 1;
    r.n = (last > line.n ? line.n : last) - first + 1;
    return r;
}

static inline bool text_starts(text_span s, const char *prefix)
{
    size_t n = strlen(prefix);
    return s.n >= n && memcmp(s.p, prefix, n) == 0;
}

static inline bool text_eq(text_span s, const char *word)
{
    size_t n = strlen(word);
    return s.n == n && memcmp(s.p, word, n) == 0;
}

static inline bool text_blank(text_span s)
{
    return text_trim(s).n == 0;
}

/* Split on blanks into at most max fields; returns how many were found (the
 * count goes on past max so callers can tell "too many" apart). */
static inline size_t text_fields(text_span line, text_span *f, size_t max)
{
    size_t k = 0, i = 0;
    while (i < line.n) {
        while (i < line.n && text_is_space(line.p[i]))
            i++;
        if (i >= line.n)
            break;
        size_t s = i;
        while (i < line.n && !text_is_space(line.p[i]))
            i++;
        if (k < max)
            f[k] = (text_span){line.p + s, i - s};
        k++;
    }
    return k;
}

/* Copy a span into a C string of size cap, trimming blanks and replacing
 * bytes that are not printable ASCII so names stay safe to print. */
static inline void text_copy(char *dst, size_t cap, text_span s)
{
    s = text_trim(s);
    size_t n = s.n < cap - 1 ? s.n : cap - 1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s.p[i];
        dst[i] = (c >= 0x21 && c < 0x7f) ? (char)c : '?';
    }
    dst[n] = '\0';
}

/* A short printable rendering of a span for error messages. */
static inline const char *text_show(char *buf, size_t cap, text_span s)
{
    s = text_trim(s);
    size_t n = s.n < cap - 1 ? s.n : cap - 1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s.p[i];
        buf[i] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
    }
    buf[n] = '\0';
    if (n < s.n && cap > 4)
        memcpy(buf + cap - 4, "...", 4);
    return buf;
}

/* A decimal number with optional sign, fraction and exponent, and nothing
 * else: strtod alone would also take "nan", "inf", hex and trailing junk. */
static inline bool text_double(text_span s, double *out)
{
    char buf[64];
    s = text_trim(s);
    if (s.n == 0 || s.n >= sizeof buf)
        return false;
    bool digit = false;
    for (size_t i = 0; i < s.n; i++) {
        char c = s.p[i];
        if (c >= '0' && c <= '9')
            digit = true;
        else if (c != '+' && c != '-' && c != '.' && c != 'e' && c != 'E')
            return false;
    }
    if (!digit)
        return false;
    memcpy(buf, s.p, s.n);
    buf[s.n] = '\0';
    char *end;
    errno = 0;
    double v = strtod(buf, &end);
    if (end != buf + s.n || errno == ERANGE || !isfinite(v))
        return false;
    *out = v;
    return true;
}

/* A coordinate: a finite number within the range misi_mol_check_finite accepts. */
static inline bool text_coord(text_span s, float *out)
{
    double v;
    if (!text_double(s, &v) || fabs(v) > 1e6)
        return false;
    *out = (float)v;
    return true;
}

/* A decimal integer in [lo, hi] with optional sign and nothing else. */
static inline bool text_long(text_span s, long lo, long hi, long *out)
{
    char buf[32];
    s = text_trim(s);
    if (s.n == 0 || s.n >= sizeof buf)
        return false;
    for (size_t i = 0; i < s.n; i++) {
        char c = s.p[i];
        if (!((c >= '0' && c <= '9') || (i == 0 && (c == '+' || c == '-'))))
            return false;
    }
    memcpy(buf, s.p, s.n);
    buf[s.n] = '\0';
    char *end;
    errno = 0;
    long v = strtol(buf, &end, 10);
    if (end != buf + s.n || end == buf || errno == ERANGE || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

#endif

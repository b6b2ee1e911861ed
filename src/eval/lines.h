/* Reading a JSON Lines file held in memory, shared by the scorer and the
 * audit (src/eval only). */
#ifndef MISI_EVAL_LINES_H
#define MISI_EVAL_LINES_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* Next line of [*pos, len): sets start/length (without "\r\n"), advances
 * *pos. False at the end. */
static inline bool eval_next_line(const char *text, size_t len, size_t *pos, const char **start, size_t *n)
{
    if (*pos >= len)
        return false;
    const char *s = text + *pos;
    const char *nl = memchr(s, '\n', len - *pos);
    size_t k = nl ? (size_t)(nl - s) : len - *pos;
    *pos += k + (nl ? 1 : 0);
    if (k && s[k - 1] == '\r')
        k--;
    *start = s;
    *n = k;
    return true;
}

/* Only spaces and tabs (a line JSON Lines readers skip). */
static inline bool eval_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t')
            return false;
    return true;
}

#endif

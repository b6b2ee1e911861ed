/* Error codes and the error record every fallible call fills.
 *
 * Functions return 0 or a negative misi_status; when they take a misi_error *
 * they also leave a sentence there naming the file, the line and what was
 * expected. Only src/cli turns these into exit codes. */
#ifndef MISI_ERROR_H
#define MISI_ERROR_H

#include <stddef.h>

typedef enum misi_status {
    MISI_OK = 0,
    MISI_E_IO = -1,      /* a file could not be opened, read or written */
    MISI_E_PARSE = -2,   /* malformed input: see the message for file:line */
    MISI_E_NOMEM = -3,   /* allocation failed */
    MISI_E_RANGE = -4,   /* a value (index, count, coordinate) out of range */
    MISI_E_INVALID = -5, /* a valid file that cannot be used (empty ligand...) */
    MISI_E_LIMIT = -6,   /* a configured limit (atoms, image size) exceeded */
    MISI_E_GL = -7,      /* EGL / OpenGL ES failure */
    MISI_E_USAGE = -8,   /* bad arguments from the caller */
    MISI_E_CANCELLED = -9, /* stopped on request (SIGINT/SIGTERM); the work done so far is kept */
} misi_status;

#define MISI_ERROR_MSG_MAX 1024

typedef struct misi_error {
    int code;
    char msg[MISI_ERROR_MSG_MAX];
} misi_error;

/* Fixed text for a code ("parse error", ...). Never NULL. */
const char *misi_strerror(int code);

/* Fill err (which may be NULL) and return code, so callers can write
 * `return misi_error_set(err, MISI_E_PARSE, "...")`. */
int misi_error_set(misi_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Same, prefixed with "path:line: " (line 0 omits the line). */
int misi_error_at(misi_error *err, int code, const char *path, long line,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Clear err to MISI_OK with an empty message. */
void misi_error_clear(misi_error *err);

#endif

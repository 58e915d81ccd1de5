/* ltk's one error model.
 *
 * Library functions return an int status: LTK_OK (0) on success, a negative
 * LTK_E* code on failure.  When the caller passes a struct ltk_error, it is
 * filled with the file, line and column the problem was found at and a
 * message in lower case without a final full stop, ready for a tool to print
 * as "ltk-stats: results/x_stats.csv:3: expected 22 fields, got 9".
 *
 * The library never prints and never exits; tools decide what to do.
 */
#ifndef LTK_ERROR_H
#define LTK_ERROR_H

#include <stdio.h>

enum ltk_status {
    LTK_OK = 0,
    LTK_EIO = -1,      /* a file could not be opened, read or written */
    LTK_EFORMAT = -2,  /* input is not what it claims to be */
    LTK_ENOMEM = -3,   /* out of memory */
    LTK_EINVAL = -4,   /* bad argument from the caller (usage) */
    LTK_ELIMIT = -5,   /* input exceeds a safety limit (field size, name count) */
    LTK_ENOPROG = -6,  /* a helper program (gnuplot) is not installed */
};

struct ltk_error {
    int code;           /* one of enum ltk_status, LTK_OK when no error */
    char file[512];     /* file the error is about, "" when none */
    long line;          /* 1-based line, 0 when not applicable */
    long column;        /* 1-based column (field index for CSV), 0 when n/a */
    char msg[512];      /* what went wrong */
};

/* Resets err to "no error".  err may be NULL. */
void ltk_error_clear(struct ltk_error *err);

/* Records an error and returns code, so callers can write
 * "return ltk_error_set(err, LTK_EFORMAT, path, line, 0, "...", ...)".
 * err may be NULL (the code is still returned).  file may be NULL. */
int ltk_error_set(struct ltk_error *err, int code, const char *file, long line, long column,
                  const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* A short description of a status code ("input format error"). */
const char *ltk_strerror(int code);

/* Writes "file:line: msg" (parts omitted when unknown) to buf.  Returns buf. */
char *ltk_error_format(const struct ltk_error *err, char *buf, size_t size);

#endif

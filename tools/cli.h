/* Helpers shared by every ltk tool: exit codes, diagnostics, colour, and
 * closing standard output with its errors checked. */
#ifndef LTK_CLI_H
#define LTK_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>

#include "ltk/base/error.h"
#include "ltk/model/run.h"

/* Exit statuses, the same for every tool. */
enum {
    LTK_EXIT_OK = 0,       /* success */
    LTK_EXIT_FINDING = 1,  /* a check failed or a problem was found */
    LTK_EXIT_USAGE = 2,    /* bad usage or bad input */
};

/* "prog: file:line: message" on stderr. */
void ltk_cli_error(const char *prog, const struct ltk_error *err);

/* "prog: message" on stderr. */
void ltk_cli_fail(const char *prog, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints the run's warnings on stderr as "prog: warning: ...". */
void ltk_cli_print_warnings(const char *prog, const struct ltk_run *run);

/* True when colour should be used for fd: a terminal, no NO_COLOR in the
 * environment and no --no-color (no_color false). */
bool ltk_cli_color(int fd, bool no_color);

/* Closes stdout and reports a write error (a full disk is not a success).
 * Returns the exit status to use: status, or LTK_EXIT_USAGE on error. */
int ltk_cli_finish(const char *prog, int status);

/* Parses an option's number strictly (see ltk/base/num.h); on failure prints
 * "prog: --opt: expected a number, got 'x'" and returns false. */
bool ltk_cli_number(const char *prog, const char *opt, const char *text, double *out);

/* Writes one output through fn: to path atomically (a temporary file renamed
 * into place, see ltk/render/outfile.h), or to standard output when path is NULL.
 * fn returns LTK_OK or an error status (filling err when it can say more).
 * On failure prints why and returns false, leaving no partial file. */
typedef int (*ltk_cli_writer)(FILE *fp, void *ctx, struct ltk_error *err);
bool ltk_cli_write(const char *prog, const char *path, ltk_cli_writer fn, void *ctx);

/* Parses a history interval: "10", "10s", "2m", "1h" into whole seconds
 * >= 1.  Returns false when text is none of those. */
bool ltk_cli_interval(const char *text, int64_t *out);

/* Prints "prog (ltk) VERSION". */
void ltk_cli_version(const char *prog);

#endif

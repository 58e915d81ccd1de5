/* Helpers shared by the libFuzzer harnesses (one file per parser, fuzz_*.c).
 *
 * Each harness feeds the fuzzer's bytes to one parser through the public
 * API, then exercises what reads the parsed result (views, JSON, analyses)
 * so a value the parser lets through cannot crash a consumer either.  Every
 * failure must explain itself: a nonzero status with an empty message is a
 * bug, reported with abort() so the fuzzer keeps the input.
 *
 * The first line of each harness names its seed files for fuzz/run.sh:
 *     // seeds: samples/runs/NAME/NAME_stats.csv tests/data/bad/FILE.csv (globs)
 * and may give libFuzzer flags on the second:
 *     // options: -max_len=8192 */
#ifndef LTK_FUZZ_H
#define LTK_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ltk/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The input as a read-only stream (binary-safe); never NULL. */
static inline FILE *fuzz_stream(const uint8_t *data, size_t size)
{
    static const char empty[1] = "";
    FILE *fp = size ? fmemopen((void *)data, size, "rb") : fmemopen((void *)empty, 1, "rb");
    if (!fp)
        abort();
    if (!size)
        (void)fgetc(fp); /* fmemopen refuses size 0: consume the one byte */
    return fp;
}

/* The input as a NUL-terminated string (malloc'd); bytes after an embedded
 * NUL are cut, as they would be on a command line. */
static inline char *fuzz_string(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* A sink for views and JSON: writing is exercised, nothing is kept. */
static inline FILE *fuzz_sink(void)
{
    static FILE *sink;
    if (!sink && !(sink = fopen("/dev/null", "w")))
        abort();
    return sink;
}

/* The error contract: a failure carries its code and a message. */
static inline void fuzz_check_error(int rc, const struct ltk_error *err)
{
    if (rc == LTK_OK)
        return;
    if (rc > 0)
        return; /* a callback's own stop value */
    if (err->code != rc || err->msg[0] == '\0')
        abort();
}

#endif

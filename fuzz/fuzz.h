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

#include "ltk/base/error.h"

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

/* Output proportional to input: a report more than 16 times its input
 * (plus 8 KiB of fixed text) is an amplification bug, such as padding every
 * row of a table to the width of one hostile name. */
static inline void fuzz_bounded_output(size_t out_len, size_t in_len)
{
    if (out_len > 16 * in_len + 8192)
        abort();
}

/* Runs a writer into memory and checks the size of what it wrote. */
#define FUZZ_BOUNDED_WRITE(in_len, call_with_fp)                                                    \
    do {                                                                                             \
        char *out_ = NULL;                                                                           \
        size_t len_ = 0;                                                                             \
        FILE *fp_ = open_memstream(&out_, &len_);                                                    \
        if (!fp_)                                                                                    \
            abort();                                                                                 \
        int rc_ = call_with_fp(fp_);                                                                 \
        if (fclose(fp_) || rc_)                                                                      \
            abort();                                                                                 \
        fuzz_bounded_output(len_, (in_len));                                                         \
        free(out_);                                                                                  \
    } while (0)

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

/* The input as a regular file, for the parsers that take a path (raw logs,
 * summaries, metrics): one memfd per process, rewritten for each input and
 * named by /proc/self/fd/N.  Needs _GNU_SOURCE (memfd_create) defined by the
 * harness before its first #include. */
#ifdef _GNU_SOURCE
#include <sys/mman.h>
#include <unistd.h>

static inline const char *fuzz_file(const uint8_t *data, size_t size)
{
    static int fd = -1;
    static char path[64];
    if (fd < 0) {
        if ((fd = memfd_create("fuzz_input", 0)) < 0)
            abort();
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    }
    if (ftruncate(fd, 0) != 0)
        abort();
    for (size_t off = 0; off < size;) {
        ssize_t w = pwrite(fd, data + off, size - off, (off_t)off);
        if (w <= 0)
            abort();
        off += (size_t)w;
    }
    return path;
}
#endif

#endif

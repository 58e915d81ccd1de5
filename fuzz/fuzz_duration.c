// seeds: fuzz/seeds/duration/*
/* The strict number parsers of lib/base/num.c that read what users type and
 * files hold: ltk_parse_duration (--interval, --window, criteria windows)
 * with each bare unit, and the count, integer and real parsers beside it.
 * What they accept must be in range and finite; a value they format must
 * read back exactly. */
#include "fuzz.h"

#include <math.h>

#include "ltk/base/num.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_string(data, size);
    static const double bare[] = { 0, 1, 60, 0.001 };
    for (size_t i = 0; i < sizeof bare / sizeof bare[0]; i++) {
        double sec = -1;
        const char *why = ltk_parse_duration(s, bare[i], &sec);
        if (!why && (!isfinite(sec) || sec < 0))
            abort();
        if (why && !why[0])
            abort();
    }
    uint64_t c;
    if (!ltk_parse_count(s, &c) && c > LTK_MAX_EXACT_INT)
        abort();
    int64_t k;
    if (!ltk_parse_int(s, &k) && (k > (int64_t)LTK_MAX_EXACT_INT || k < -(int64_t)LTK_MAX_EXACT_INT))
        abort();
    double r;
    if (!ltk_parse_real(s, &r)) {
        if (!isfinite(r))
            abort();
        char buf[32], *t = ltk_format_double(r, buf);
        double back;
        if (ltk_parse_real(t, &back) || back != r)
            abort();
    }
    if (!ltk_parse_nonneg(s, &r) && (!isfinite(r) || r < 0))
        abort();
    free(s);
    return 0;
}

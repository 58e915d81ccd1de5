/* Strict parsing of numbers read from untrusted files (see ltk/base/num.h). */
#include "ltk/base/num.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

/* Only plain decimal notation: digits, one sign, one point, one exponent. */
static bool plain_decimal(const char *s)
{
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    bool digits = false, point = false;
    for (; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            digits = true;
        } else if (*p == '.' && !point) {
            point = true;
        } else if ((*p == 'e' || *p == 'E') && digits) {
            p++;
            if (*p == '+' || *p == '-')
                p++;
            if (!*p)
                return false;
            for (; *p; p++)
                if (*p < '0' || *p > '9')
                    return false;
            return true;
        } else {
            return false;
        }
    }
    return digits;
}

/* The common case of request logs, "1795801502.983492" or "13.242": digits,
 * an optional point and digits, at most 16 digits in all forming an integer
 * not above 2^53.  That integer and the power of ten are exact doubles, so
 * one division is correctly rounded: the same double strtod gives
 * (Clinger's fast path), several times faster.  false: not this simple
 * form, use strtod. */
static bool fast_decimal(const char *s, double *out)
{
    static const double pow10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
                                    1e13, 1e14, 1e15, 1e16 };
    uint64_t m = 0;
    const char *p = s;
    /* the integer part, then the fraction: m may wrap past 19 digits, but
     * then there are more than 16 and the result is not used */
    while ((unsigned)(*p - '0') < 10)
        m = m * 10 + (uint64_t)(*p++ - '0');
    size_t whole = (size_t)(p - s), frac = 0;
    if (whole == 0)
        return false;
    if (*p == '.') {
        const char *f = ++p;
        while ((unsigned)(*p - '0') < 10)
            m = m * 10 + (uint64_t)(*p++ - '0');
        frac = (size_t)(p - f);
        if (frac == 0)
            return false;
    }
    if (*p || whole + frac > 16 || m > LTK_MAX_EXACT_INT)
        return false;
    *out = frac ? (double)m / pow10[frac] : (double)m;
    return true;
}

const char *ltk_parse_real(const char *s, double *out)
{
    if (!s || !*s)
        return "a number, got an empty field";
    if (fast_decimal(s, out))
        return NULL;
    if (!plain_decimal(s))
        return "a number";
    errno = 0;
    char *end;
    double d = strtod(s, &end);
    if (*end)
        return "a number";
    if (errno == ERANGE && fabs(d) > 1.0)
        return "a number within range";
    if (!isfinite(d))
        return "a finite number";
    *out = d;
    return NULL;
}

const char *ltk_parse_nonneg(const char *s, double *out)
{
    double d;
    const char *why = ltk_parse_real(s, &d);
    if (why)
        return why;
    if (d < 0)
        return "a non-negative number";
    *out = d == 0 ? 0.0 : d;  /* no -0 */
    return NULL;
}

const char *ltk_parse_count(const char *s, uint64_t *out)
{
    if (!s || !*s)
        return "a count, got an empty field";
    const char *p = s;
    uint64_t v = 0;
    if (*p < '0' || *p > '9')
        return "a count (a non-negative integer)";
    for (; *p >= '0' && *p <= '9'; p++) {
        if (v > (LTK_MAX_EXACT_INT - (uint64_t)(*p - '0')) / 10)
            return "a count no larger than 2^53";
        v = v * 10 + (uint64_t)(*p - '0');
    }
    if (*p == '.') {
        for (p++; *p == '0'; p++)
            ;
    }
    if (*p)
        return "a count (a non-negative integer)";
    *out = v;
    return NULL;
}

const char *ltk_parse_int(const char *s, int64_t *out)
{
    if (!s || !*s)
        return "an integer, got an empty field";
    bool neg = *s == '-';
    uint64_t v;
    const char *why = ltk_parse_count(s + (neg || *s == '+'), &v);
    if (why)
        return "an integer within +-2^53";
    *out = neg ? -(int64_t)v : (int64_t)v;
    return NULL;
}

const char *ltk_parse_duration(const char *s, double bare_unit, double *seconds)
{
    static const struct { const char *suffix; double scale; } units[] = {
        { "ms", 0.001 }, { "s", 1 }, { "m", 60 }, { "h", 3600 },
    };
    const char *expected = bare_unit > 0 ? "a duration (250ms, 30s, 2m, 1h or seconds)"
                                         : "a duration with a unit (250ms, 30s, 2m, 1h)";
    if (!s || !*s)
        return expected;
    size_t len = strlen(s);
    double scale = bare_unit;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        size_t n = strlen(units[i].suffix);
        if (len > n && strcmp(s + len - n, units[i].suffix) == 0 &&
            ((s[len - n - 1] >= '0' && s[len - n - 1] <= '9') || s[len - n - 1] == '.')) {
            scale = units[i].scale;
            len -= n;
            break;
        }
    }
    char num[64];
    if (scale <= 0 || len >= sizeof num)
        return expected;
    memcpy(num, s, len);
    num[len] = '\0';
    double v;
    if (ltk_parse_nonneg(num, &v) || !isfinite(v * scale))
        return expected;
    *seconds = v * scale;
    return NULL;
}

char *ltk_format_double(double v, char buf[32])
{
    if (v == 0) {
        snprintf(buf, 32, "0");
        return buf;
    }
    double a = fabs(v);
    if (a >= 1e-4 && a < 1e16) {
        /* plain notation with the fewest decimals that read back exactly */
        char tmp[64];
        for (int prec = 0; prec <= 24; prec++) {
            int n = snprintf(tmp, sizeof tmp, "%.*f", prec, v);
            if (n > 0 && n < 32 && strtod(tmp, NULL) == v) {
                memcpy(buf, tmp, (size_t)n + 1);
                return buf;
            }
        }
    }
    char tmp[32] = "";
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, v);
        if (strtod(tmp, NULL) == v)
            break;
    }
    memcpy(buf, tmp, sizeof tmp);
    return buf;
}

static int cmp_median(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double ltk_median_sort(double *v, size_t n)
{
    if (!n)
        return NAN;
    qsort(v, n, sizeof *v, cmp_median);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Strict number parsing for untrusted input.
 *
 * Each function accepts the whole string or nothing: no leading or trailing
 * spaces, no hex, no "nan"/"inf", no overflow.  On failure it returns a
 * static description of what was expected, for messages such as
 * "column 'Request Count': expected a count, got 'abc'"; on success NULL. */
#ifndef LTK_NUM_H
#define LTK_NUM_H

#include <stdint.h>

/* Largest integer a double (and JSON) holds exactly: counts beyond are refused. */
#define LTK_MAX_EXACT_INT ((uint64_t)1 << 53)

/* A non-negative decimal integer not above LTK_MAX_EXACT_INT.  "12.0" is
 * accepted when its fraction is zero (Python prints some counts as floats). */
const char *ltk_parse_count(const char *s, uint64_t *out);

/* A signed decimal integer (timestamps, user counts) within +-2^53. */
const char *ltk_parse_int(const char *s, int64_t *out);

/* A finite decimal number ("3", "-1.5", "3.1245363404259914", "1e3"). */
const char *ltk_parse_real(const char *s, double *out);

/* Like ltk_parse_real, and also refuses negative values. */
const char *ltk_parse_nonneg(const char *s, double *out);

/* Writes the shortest decimal text ("%.{1..17}g") that strtod reads back as
 * exactly v; "nan"/"inf" are not produced: the caller handles non-finite
 * values.  buf must hold 32 bytes.  Returns buf. */
char *ltk_format_double(double v, char buf[32]);

#include <stddef.h>

/* Sorts v[0..n) ascending (NANs are the caller's to leave out) and returns
 * its median, the mean of the two middle values for an even n; NAN for
 * n == 0. */
double ltk_median_sort(double *v, size_t n);

/* A duration typed by a user: a non-negative number with a unit, "250ms",
 * "30s", "2m", "1h"; a bare number is bare_unit seconds each (1 for
 * seconds, 0 to refuse a bare number).  *seconds gets the value in seconds. */
const char *ltk_parse_duration(const char *s, double bare_unit, double *seconds);

#endif

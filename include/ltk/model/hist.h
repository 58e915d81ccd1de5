/* Response-time distributions and their percentiles, three ways.
 *
 * A struct ltk_hist collects response times (ms, doubles, may be fractional)
 * and answers count, min, max, mean and percentiles.  Three methods:
 *
 *   LTK_HIST_HDR     log-linear buckets, 3 significant digits.  Each power
 *                    of two [2^(e-1), 2^e) is cut into 1024 equal buckets, so
 *                    a bucket is at most 1/1024 of its lower bound wide.  A
 *                    percentile is the midpoint of the bucket holding the
 *                    nearest-rank sample, clamped to [min, max]: its relative
 *                    error against the exact nearest-rank value is at most
 *                    1/2048 (we state 0.001, "3 significant digits").  Values
 *                    from 2^-20 ms (about 1 ns) to 2^43 ms are bucketed; 0 has
 *                    its own bucket; smaller positive values share the lowest
 *                    bucket (absolute error below 1 ns).  Memory is bounded
 *                    (at most 64 x 1024 counters, allocated 256 at a time as
 *                    values arrive), whatever the number of values.
 *   LTK_HIST_LOCUST  Locust 2.x's own statistics (locust/stats.py): each time
 *                    is rounded to 1 ms below 100 ms, 10 ms below 1 s, 100 ms
 *                    below 10 s and 1 s above, half to even as Python's
 *                    round(x, -n) does on the exact binary value; a dict of
 *                    rounded time -> count; percentile p walks it from the
 *                    largest key down until num_requests - seen <=
 *                    int(num_requests * p); median is median_from_dict clamped
 *                    to [min, max].  Memory grows with the number of distinct
 *                    rounded keys (281 below 10 s, then one per second).
 *   LTK_HIST_EXACT   every value kept; percentile p is the nearest rank (the
 *                    smallest x with F(x) >= p, numpy's "inverted_cdf"):
 *                    sorted x[ceil(p*n) - 1], x[0] for p = 0.  Memory is 8
 *                    bytes per value.
 *
 * For every method count, min and max are exact, and the sum is kept exactly
 * at a resolution of 1 ns (each value is rounded to a whole number of
 * nanoseconds once, then added as an integer), so merging in any order gives
 * identical results, and times logged with up to 6 decimals of a ms add up
 * exactly.
 *
 * Merging: ltk_hist_merge(a, b) makes a the histogram of the union of both
 * inputs, exactly, for every method.  Serialising (for a later summary file):
 * ltk_hist_foreach gives every (key, count) pair and ltk_hist_add_key adds one
 * back; with count/min/max/sum from the getters and ltk_hist_set_totals the
 * histogram is rebuilt identically.  Keys: the bucket index for hdr, the
 * rounded ms for locust, the value itself for exact.
 */
#ifndef LTK_HIST_H
#define LTK_HIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ltk/base/error.h"

enum ltk_hist_method {
    LTK_HIST_HDR,
    LTK_HIST_LOCUST,
    LTK_HIST_EXACT,
};

/* Relative error bound of hdr percentiles, as stated in outputs. */
#define LTK_HIST_HDR_RELATIVE_ERROR 0.001

/* Largest time hdr (and every method) accepts, in ms (2^43, ~278 years). */
#define LTK_HIST_MAX_MS 8796093022208.0

struct ltk_hist;

/* "hdr", "locust", "exact". */
const char *ltk_hist_method_name(enum ltk_hist_method m);

/* Parses a method name.  Returns LTK_OK or LTK_EINVAL. */
int ltk_hist_method_parse(const char *s, enum ltk_hist_method *out);

/* Creates an empty histogram.  Free it with ltk_hist_free.  Returns LTK_OK
 * or LTK_ENOMEM (*out NULL). */
int ltk_hist_new(enum ltk_hist_method m, struct ltk_hist **out);

/* Frees h.  h may be NULL. */
void ltk_hist_free(struct ltk_hist *h);

enum ltk_hist_method ltk_hist_method_of(const struct ltk_hist *h);

/* Adds one response time in ms.  Returns LTK_OK, LTK_EINVAL (negative, NaN,
 * infinite or above LTK_HIST_MAX_MS: h is unchanged) or LTK_ENOMEM. */
int ltk_hist_add(struct ltk_hist *h, double ms);

/* Adds src into dst so dst describes the union.  Both must use the same
 * method (LTK_EINVAL otherwise).  LTK_ENOMEM leaves dst partly merged. */
int ltk_hist_merge(struct ltk_hist *dst, const struct ltk_hist *src);

/* Takes the times of src out of dst (src holds some of the times dst
 * holds: src's count at every key at most dst's), so dst describes the rest
 * exactly as if only they had been added; min and max are the rest's
 * smallest and largest time (which the histogram cannot know), ignored when
 * nothing is left.  LTK_EINVAL when src is not part of dst (dst may then be
 * partly changed). */
int ltk_hist_subtract(struct ltk_hist *dst, const struct ltk_hist *src, double min, double max);

uint64_t ltk_hist_count(const struct ltk_hist *h);
/* Exact minimum / maximum; NAN when empty. */
double ltk_hist_min(const struct ltk_hist *h);
double ltk_hist_max(const struct ltk_hist *h);
/* Sum of the values, each rounded to whole nanoseconds; 0 when empty. */
double ltk_hist_sum(const struct ltk_hist *h);
/* sum / count; NAN when empty. */
double ltk_hist_mean(const struct ltk_hist *h);

/* The q-quantile (q in [0, 1]) by the histogram's method; NAN when empty or
 * q is out of range.  For exact this sorts the values the first time (the
 * histogram is logically const; the sort is cached). */
double ltk_hist_quantile(const struct ltk_hist *h, double q);

/* The q-quantile by method m of the n values v, sorted ascending (n >= 1):
 * exactly what ltk_hist_quantile answers for a histogram of m holding them,
 * without building one (cheap for the few values of one interval).  NAN
 * when n is 0 or q is out of range. */
double ltk_hist_quantile_sorted(enum ltk_hist_method m, const double *v, size_t n, double q);

/* The position in a sorted array of n values that
 * ltk_hist_quantile_sorted reads for q, besides the first and the last (it
 * reads no others): callers that only need a few quantiles can put the
 * order statistics at these positions (a selection) instead of sorting.
 * n >= 1, q in [0, 1]. */
size_t ltk_hist_quantile_index(enum ltk_hist_method m, size_t n, double q);

/* The 1-based nearest rank of q among n values: ceil(q * n), at least 1 and
 * at most n, with q * n snapped to an integer within rounding noise (0.07 x
 * 100 is 7.000000000000001 in binary; its rank is 7).  The rank every
 * exact percentile of ltk uses. */
uint64_t ltk_hist_nearest_rank(double q, uint64_t n);

/* The median as the method defines it: Locust's median_from_dict clamped to
 * [min, max] for locust, quantile(0.5) otherwise.  NAN when empty. */
double ltk_hist_median(const struct ltk_hist *h);

/* The values a key of method m may stand for, [*lo, *hi] (hdr: the
 * bucket, hi excluded; locust: every time Locust rounds to the key, both
 * ends included, since half-to-even may go either way; exact: the key). */
void ltk_hist_key_span(enum ltk_hist_method m, double key, double *lo, double *hi);

/* How many values are at or under x: *lo values certainly are, *hi at
 * most (equal for exact, and whenever no key's span straddles x; for hdr
 * the one bucket holding x, at most 1/1024 of x wide, is the doubt; for
 * locust the keys x may have been rounded from, up to half a rounding step
 * each side).  Min and max are exact: every value is under x >= max, none
 * under x < min. */
void ltk_hist_count_le(const struct ltk_hist *h, double x, uint64_t *lo, uint64_t *hi);

/* Calls fn for every non-empty (key, count), keys ascending.  Stops and
 * returns fn's value when it is not LTK_OK. */
typedef int (*ltk_hist_key_fn)(double key, uint64_t count, void *ctx);
int ltk_hist_foreach(const struct ltk_hist *h, ltk_hist_key_fn fn, void *ctx);

/* Adds count at key (as ltk_hist_foreach gave it) without touching
 * count/min/max/sum; call ltk_hist_set_totals afterwards.  LTK_EINVAL for a
 * key the method cannot hold. */
int ltk_hist_add_key(struct ltk_hist *h, double key, uint64_t count);

/* Sets count, min, max and sum (as the getters return them) after a rebuild
 * with ltk_hist_add_key.  LTK_EINVAL when they are inconsistent. */
int ltk_hist_set_totals(struct ltk_hist *h, uint64_t count, double min, double max, double sum);

/* The sum exactly, in whole nanoseconds (see above).  It may pass 2^53, so
 * summaries write it as decimal text (ltk_hist_format_ns). */
__extension__ typedef unsigned __int128 ltk_u128;
ltk_u128 ltk_hist_sum_ns(const struct ltk_hist *h);

/* Like ltk_hist_set_totals with the sum in nanoseconds, exactly. */
int ltk_hist_set_totals_ns(struct ltk_hist *h, uint64_t count, double min, double max, ltk_u128 sum_ns);

/* Writes v in decimal to buf (40 bytes hold any value).  Returns buf. */
char *ltk_hist_format_ns(ltk_u128 v, char buf[48]);

/* Parses decimal digits (no sign, no spaces, at most 38 digits) into *out.
 * Returns LTK_OK or LTK_EINVAL. */
int ltk_hist_parse_ns(const char *s, ltk_u128 *out);

/* The ns grid value of one time: ms rounded to whole nanoseconds, as the sum
 * adds it. */
ltk_u128 ltk_hist_ms_to_ns(double ms);

/* The key a time goes to under method m (ltk_hist_foreach's keys): the hdr
 * bucket, Locust's rounding, or the time itself.  ms must be valid for
 * ltk_hist_add. */
double ltk_hist_key_of(enum ltk_hist_method m, double ms);

/* True when key is one that method m can hold (ltk_hist_add_key accepts it). */
bool ltk_hist_key_valid(enum ltk_hist_method m, double key);

/* The hdr bucket of a value (v >= 0) and the bounds [lo, hi) of a bucket.
 * Bucket 0 holds exactly 0. */
int64_t ltk_hist_hdr_index(double v);
void ltk_hist_hdr_bounds(int64_t index, double *lo, double *hi);

/* Locust's rounding of one response time (see above). */
double ltk_hist_locust_round(double ms);

#endif

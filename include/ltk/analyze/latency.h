/* Shares of requests by response time: Apdex, ranges ("under 800 ms") and
 * counts at or under a time, over successful requests, with how exact they
 * are.
 *
 * Every number here starts from one count: the successful requests of an
 * endpoint (or the total) at or under a time x.  Where it comes from,
 * best first:
 *   counted   a raw log read with x among its cuts (ltk_rawlog_options.cuts):
 *             each row compared with x while reading; exact.
 *   ok-hist   the successes' histogram (raw logs, ltk.summary/2): exact for
 *             --method exact, else the bounds of ltk_hist_count_le (the one
 *             hdr bucket or Locust rounding step holding x).
 *   all-hist  only a histogram of all requests (ltk.summary/1): its bounds,
 *             then the failures (unknown times) taken off the lower one.
 *   pct       Locust's CSV, only percentile columns: a column q of value v
 *             says more than floor(N q) requests were rounded to v or less
 *             (Locust's rule), so at least floor(N q) + 1 took at most
 *             v + half a rounding step; and at most floor(N q) were rounded
 *             below v, so when x rounds below v, at most floor(N q) took x
 *             or less.  The tightest columns on each side give [lo, hi];
 *             failures as for all-hist.
 * The result is an interval [lo, hi] of counts; lo == hi when exact. */
#ifndef LTK_LATENCY_H
#define LTK_LATENCY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ltk/model/run.h"

enum ltk_le_basis { LTK_LE_NONE, LTK_LE_COUNTED, LTK_LE_OK_HIST, LTK_LE_ALL_HIST, LTK_LE_PCT };

/* "none", "counted", "ok-hist", "all-hist", "pct". */
const char *ltk_le_basis_name(enum ltk_le_basis b);

/* Successful requests of e at or under x ms: [*lo, *hi].  Returns the
 * basis (LTK_LE_NONE: nothing to tell, *lo 0 and *hi e->requests). */
enum ltk_le_basis ltk_ok_le(const struct ltk_run *run, const struct ltk_endpoint *e, double x, uint64_t *lo,
                            uint64_t *hi);

/* A share in [0, 1] known to lie in [lo, hi] (equal when exact); NAN both
 * without requests. */
struct ltk_share {
    double lo, hi;
    enum ltk_le_basis basis;
};

/* Tolerating: up to this many times T (the Apdex standard's rule, JMeter's). */
#define LTK_APDEX_TOLERATING 4.0

/* Apdex with threshold t_ms: (satisfied + tolerating / 2) / requests, where
 * satisfied succeeded within T, tolerating within 4T (but not T), and
 * failed or slower requests are frustrated: (ok_le(T) + ok_le(4T)) / 2N. */
struct ltk_share ltk_apdex(const struct ltk_run *run, const struct ltk_endpoint *e, double t_ms);

/* Share of all requests that succeeded at or under x ms. */
struct ltk_share ltk_share_under(const struct ltk_run *run, const struct ltk_endpoint *e, double x_ms);

/* Ranges of cuts c1 < c2 < ... < cn (ms): n + 2 shares of all requests:
 * successful at or under c1, over c(i-1) and at or under ci, over cn, and
 * failed (exact), into out[0 .. n + 1]. */
void ltk_ranges(const struct ltk_run *run, const struct ltk_endpoint *e, const double *cuts, size_t n,
                struct ltk_share *out);

/* The q-quantile of e's successful requests (ok_hist), NAN when the input
 * does not tell them apart. */
double ltk_ok_quantile(const struct ltk_endpoint *e, double q);

/* Mean, min, max of e's successful requests; NAN as above. */
double ltk_ok_mean(const struct ltk_endpoint *e);

/* Parses a list of times ("800ms,1200ms", "1s,2.5s"; a bare number is
 * ms), strictly ascending, at most max, into out (ms).  Returns the count,
 * or -1 with a message in why (size whysize). */
int ltk_parse_cuts(const char *spec, double *out, size_t max, char *why, size_t whysize);

/* Adds x to the sorted set cuts (n of cap); no repeats.  Returns 0, or -1
 * when full. */
int ltk_cuts_add(double *cuts, size_t *n, size_t cap, double x);

/* The latency distribution of all of an endpoint's requests: n points
 * (ms[i], pct[i]), ms ascending, pct[i] the percent of its requests that
 * took ms[i] or less. */
struct ltk_cdf {
    double *ms, *pct;
    size_t n;
    bool from_hist;      /* true: every distinct time of its histogram (a raw
                          * log, a summary, Locust's JSON; hdr buckets at their
                          * middle, clamped to the histogram's min and max, as
                          * ltk_bins_from_hist); false: only the run's
                          * percentile columns (Locust's CSV), pct = q * 100
                          * at each column's value, nothing in between */
};

/* Fills out with e's distribution (n 0 when e has no requests, or neither a
 * histogram nor percentile columns).  Returns LTK_OK or LTK_ENOMEM; release
 * out with ltk_cdf_release either way. */
int ltk_endpoint_cdf(const struct ltk_run *run, const struct ltk_endpoint *e, struct ltk_cdf *out);

void ltk_cdf_release(struct ltk_cdf *c);

#endif

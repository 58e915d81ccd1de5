/* Building a run's table, failures and history from histograms: what raw
 * logs, summaries and Locust JSON (lib/read/) share, private to lib/.  Each
 * reader gathers its rows its own way; these turn the result into the run
 * model the same way for all of them, so their runs cannot drift apart. */
#ifndef LTK_RUN_BUILD_H
#define LTK_RUN_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "ltk/model/hist.h"
#include "ltk/model/run.h"

/* A cell of an interval (pos) and its endpoint's place in Locust's order. */
struct ltk_ranked {
    size_t rank, pos;
};

static inline int ltk_cmp_ranked(const void *x, const void *y)
{
    const struct ltk_ranked *a = x, *b = y;
    return (a->rank > b->rank) - (a->rank < b->rank);
}

/* By rank: insertion sort for the few cells of most intervals, qsort above 16. */
static inline void ltk_sort_ranked(struct ltk_ranked *v, size_t n)
{
    if (n > 16) {
        qsort(v, n, sizeof *v, ltk_cmp_ranked);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        struct ltk_ranked t = v[i];
        size_t j = i;
        while (j > 0 && v[j - 1].rank > t.rank) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = t;
    }
}

/* Room for n in *v (capacity *cap): 0, or -1 out of memory (v unchanged). */
static inline int ltk_ranked_reserve(struct ltk_ranked **v, size_t *cap, size_t n)
{
    if (n <= *cap)
        return 0;
    struct ltk_ranked *nv = realloc(*v, n * sizeof *nv);
    if (!nv)
        return -1;
    *v = nv;
    *cap = n;
    return 0;
}

/* The empty intervals of a gap [from, to) in steps of step that get a history
 * row: every one when the gap is short (whole), else only the first and the
 * last (LTK_RAWLOG_GAP_S).  Gives the one after k. */
static inline int64_t ltk_gap_next(int64_t k, int64_t to, int64_t step, bool whole)
{
    return whole || k == to - step ? k + step : to - step;
}

/* Copies the percentile set (fractions q, labels as "99.9") into both the
 * table's and the history's columns of run (empty before).  Returns LTK_OK
 * or LTK_ENOMEM. */
int ltk_run_set_percentiles(struct ltk_run *run, const double *q, char *const *labels, size_t n);

/* Fills one row of the run's table (method, name, counts, median, mean,
 * min, max, average size, rates over duration seconds, the run's percentile
 * columns) from the histogram h of its response times.  e->hist is not set.
 * Returns LTK_OK or LTK_ENOMEM. */
int ltk_run_fill_endpoint(struct ltk_endpoint *e, const struct ltk_run *run, const char *method, const char *name,
                          const struct ltk_hist *h, uint64_t failures, double bytes, uint64_t nbytes,
                          double duration);

/* Appends a failure group (copies of the texts).  *cap is the capacity of
 * run->failures (0 at first).  Returns LTK_OK, or LTK_ENOMEM with run as it
 * was. */
int ltk_run_add_failure(struct ltk_run *run, size_t *cap, const char *method, const char *name, const char *error,
                        uint64_t occurrences);

/* The cumulative counts of one history series (an endpoint, or the total)
 * up to the interval last added: Locust's history is cumulative. */
struct ltk_cumul {
    uint64_t requests, failures;
    ltk_u128 sum_ns;
    double min, max;
};

/* What one interval of one series held. */
struct ltk_interval_counts {
    uint64_t requests, failures;
    double min, max;      /* exact, when requests > 0 */
    ltk_u128 sum_ns;
};

/* Appends the history row of an interval at ts whose counts cover width_s
 * seconds: its rates, and the series' cumulative counts, mean, min and max
 * after adding c to cu; percentiles NAN, for the caller to fill from the
 * interval's distribution (run->history[run->nhistory - 1].pct).  Returns
 * LTK_OK or LTK_ENOMEM. */
int ltk_run_add_interval(struct ltk_run *run, size_t *cap, struct ltk_cumul *cu, int64_t ts, int64_t users,
                         double width_s, const char *method, const char *name, bool is_total,
                         const struct ltk_interval_counts *c);

/* Appends the status tick of the interval at ts (after the run's last
 * one) when n holds a request; *cap is the ticks' capacity.  Returns LTK_OK
 * or LTK_ENOMEM. */
int ltk_run_add_status_tick(struct ltk_run *run, size_t *cap, int64_t ts, const uint64_t n[LTK_SC_N]);

/* The seconds an interval [start, start + len) covers: len, but for the
 * last interval of a log only the whole seconds up to the one holding its
 * last timestamp tmax (floor(tmax) + 1 - start, at least 1), so that its
 * requests/s are not diluted by the time after the test ended. */
double ltk_interval_width(int64_t start, int64_t len, double tmax, bool last);

#endif

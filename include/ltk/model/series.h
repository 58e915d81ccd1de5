/* The time series of a run, and its plateaus of constant users.
 *
 * Built from stats_history.csv: one tick per second Locust wrote (the
 * Aggregated row, or one endpoint's rows).  Per-interval counts come from
 * differences of the cumulative columns, so they are exact; a drop in the
 * cumulative counts (a stats reset) restarts the differences.  Shared by
 * every analysis that looks at the run over time (test-type detection,
 * trends, capacity levels). */
#ifndef LTK_SERIES_H
#define LTK_SERIES_H

#include <stddef.h>
#include <stdint.h>

#include "ltk/model/run.h"

struct ltk_tick {
    int64_t ts;            /* Unix seconds */
    int64_t users;
    double rps;            /* Locust's own ~10 s estimate */
    double fail_per_s;
    uint64_t requests;     /* cumulative, as written */
    uint64_t failures;
    uint64_t d_requests;   /* requests since the previous tick (exact) */
    uint64_t d_failures;
    double p50, p95, p99;  /* NAN when unknown; windowed or cumulative (see kind) */
};

struct ltk_series {
    struct ltk_tick *t;
    size_t n;
    enum ltk_history_pct kind;   /* how p50/p95/p99 are to be read */
};

/* Extracts the series of one entry: type/name of an endpoint, or NULL/NULL
 * for the Aggregated rows.  Ticks with the same timestamp keep the last row
 * (Locust repeats seconds).  Returns LTK_OK, LTK_EINVAL when the run has no
 * history (or no rows for that endpoint), LTK_ENOMEM.  Free with
 * ltk_series_release. */
int ltk_series_from_run(const struct ltk_run *run, const char *type, const char *name,
                        struct ltk_series *out, struct ltk_error *err);

void ltk_series_release(struct ltk_series *s);

/* A stretch of ticks at one user count. */
struct ltk_plateau {
    size_t first, last;       /* tick indexes kept (after settling), inclusive */
    int64_t users;
    int64_t start, end;       /* ts of first and last kept tick */
    uint64_t requests;        /* in (start, end] from cumulative differences */
    uint64_t failures;
    double rps;               /* requests / (end - start) */
    double error_rate;        /* failures / requests, NAN when no requests */
    double p50, p95, p99;     /* median over the kept ticks of the windowed
                               * values (NAN when cumulative or unknown) */
};

/* Splits a series into plateaus of constant users.  The first settle
 * seconds after each change of users are dropped (Locust's rates and window
 * percentiles lag ~10 s), and plateaus shorter than min_seconds after that
 * are left out, as are plateaus at 0 users.  *out is malloc'd (free()), NULL
 * when none. Returns LTK_OK or LTK_ENOMEM. */
int ltk_series_plateaus(const struct ltk_series *s, int64_t settle, int64_t min_seconds,
                        struct ltk_plateau **out, size_t *n);

#endif

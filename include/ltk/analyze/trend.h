/* Is a run getting worse over time?  Trends at constant load.
 *
 * A soak test exists to catch slow degradation: latency creeping up while
 * the users stay the same, memory growing, throughput falling.  This module
 * looks at the steady segments of a run (stretches of constant users, as
 * ltk capacity finds them) and, per metric and endpoint, fits
 *
 *   - a least-squares slope with a 95 % confidence interval (Student t on the
 *     residual degrees of freedom).  When the run holds several user levels,
 *     each segment gets its own intercept and the slope is shared (a fixed-
 *     effects fit), so a step up in users is not mistaken for a trend;
 *   - the Theil-Sen slope: the median of the slopes of all pairs of points
 *     in the same segment, robust to outliers;
 *   - the Mann-Kendall test of a monotonic trend, two-sided, with the tie
 *     correction; over several segments the statistics are summed (the
 *     seasonal Kendall test of Hirsch et al.), so only pairs at the same
 *     user count are compared.
 *
 * Points are buckets of --bucket seconds (10 s by default: Locust's window for
 * the percentiles in stats_history.csv, so that successive points do not
 * share requests and the fits' independence assumption holds).  Request
 * rates and error rates come from exact differences of the cumulative counts
 * over the bucket; percentiles are Locust's windowed values at the bucket's
 * end.  Cumulative percentiles (a history written without
 * --csv-full-history) describe the whole run so far and have no trend worth
 * fitting: they are refused with a note.
 *
 * A metric is degrading when its slope is significant (Mann-Kendall p below
 * alpha and the 95 % interval excluding 0) and the fitted change over the
 * analysed time is at least min_change of its mean level, in the bad
 * direction (up for latency, errors, memory and CPU; down for throughput).
 */
#ifndef LTK_TREND_H
#define LTK_TREND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "ltk/base/error.h"
#include "ltk/read/metrics.h"
#include "ltk/analyze/profile.h"
#include "ltk/model/run.h"

/* The statistics of one trend fit, in the units of x and y given. */
struct ltk_trend_stats {
    size_t n;              /* points */
    size_t ngroups;        /* segments with at least one point */
    double mean;           /* mean of y */
    double slope;          /* least squares, common to all groups */
    double se;             /* its standard error */
    double ci_lo, ci_hi;   /* 95 % confidence interval of the slope */
    double theil_sen;      /* median within-group pairwise slope; NAN with no pair */
    double mk_s;           /* Mann-Kendall S (summed over groups) */
    double mk_var;         /* its variance under no trend, ties corrected */
    double mk_z;           /* continuity-corrected normal score */
    double p_value;        /* two-sided, from the normal approximation */
};

/* Fits y against x.  group[i] numbers the segment of point i (0, 1, ...;
 * points of a group in increasing x); group NULL means one group.  Needs at
 * least one more point than groups + 1 (a residual degree of freedom) and
 * some spread of x within a group.  Returns LTK_OK, LTK_EINVAL (too few
 * points, no spread: out->n still says how many) or LTK_ENOMEM. */
int ltk_trend_fit(const double *x, const double *y, const size_t *group, size_t n,
                  struct ltk_trend_stats *out);

enum ltk_trend_verdict {
    LTK_TREND_UNKNOWN = 0,   /* not enough data to say */
    LTK_TREND_STABLE,
    LTK_TREND_DEGRADING,
    LTK_TREND_IMPROVING,
};

/* "unknown", "stable", "degrading", "improving". */
const char *ltk_trend_verdict_name(enum ltk_trend_verdict v);

struct ltk_trend_options {
    int64_t bucket_s;       /* seconds per point (10); widened to keep <= max_points */
    int64_t settle_s;       /* seconds dropped after each change of users (10) */
    int64_t min_segment_s;  /* shortest steady segment used, after settling (30) */
    int64_t skip_s;         /* seconds dropped at the start of the run (0) */
    double alpha;           /* significance level (0.05) */
    double min_change;      /* smallest change over the analysed time that counts,
                             * as a fraction of the mean level (0.10) */
    size_t min_points;      /* fewer points than this: unknown (6) */
    size_t max_points;      /* most points per metric (2000) */
    bool endpoints;         /* also per endpoint (true; needs --csv-full-history) */
    enum ltk_test_type type;/* LTK_TT_UNKNOWN: detect from the run */
};

void ltk_trend_options_init(struct ltk_trend_options *opt);

/* One trend: a metric of one endpoint (or of the Aggregated row, or of a
 * resource of the metrics file). */
struct ltk_trend_metric {
    char metric[16];         /* p50 p95 p99 error_rate rps | cpu mem_mb mem_pct */
    char *type, *name;       /* the endpoint; both NULL for Aggregated and resources */
    const char *unit;        /* ms, %, req/s, MB */
    bool up_is_bad;          /* latency, errors, resources; false for rps */
    bool resource;           /* from the metrics file, not the run */
    struct ltk_trend_stats st;   /* x in hours since the run's start, y in unit */
    double pct_per_hour;     /* slope as a percentage of the mean level per hour */
    double change;           /* fitted change over the analysed time / mean level */
    double span_h;           /* analysed time (first to last point), hours */
    enum ltk_trend_verdict verdict;
    char note[200];          /* why unknown, or what decided the verdict */
};

/* A spike run has recovered when its windowed p95 is back within this
 * share of the p95 before the spike (issue #4's rule; ltk check's
 * "recovered" criterion and ltk trend's recovery time both use it). */
#define LTK_SPIKE_RECOVER_TOLERANCE 0.20

/* What happened around a spike (spike runs only). */
struct ltk_trend_spike {
    bool found;
    int64_t start, end;          /* the surge: seconds since the run's start */
    int64_t users_from, users;   /* users before and during the surge */
    double baseline_p95;         /* median windowed p95 of the level before, ms */
    double peak_p95;             /* highest windowed p95 during and after the surge */
    uint64_t requests, failures; /* during the surge (exact) */
    double error_rate;           /* failures / requests during the surge, NAN none */
    bool recovered;              /* a window after the surge had p95 back */
    double recovery_s;           /* from the end of the surge to the first such window */
    int64_t recovered_at;        /* seconds since the run's start */
    double tolerance;            /* back means <= baseline x (1 + tolerance): 0.20 */
    double within_after;         /* share of the windows from then on that stay back */
    char note[200];
};

/* Memory against latency: the module's leak signature. */
struct ltk_trend_leak {
    bool have;              /* a metrics file with memory and windowed p95 */
    size_t n;               /* buckets with both values */
    double r;               /* Pearson correlation of memory (MB, else %) and p95 */
    bool signature;         /* memory degrading, latency degrading and r >= 0.7 */
};

struct ltk_trend_segment {
    int64_t start, end;     /* seconds since the run's start, after settling */
    int64_t users;
};

struct ltk_trend_result {
    enum ltk_test_type type;
    char type_reason[256];
    bool type_given;                   /* from options, not detected */
    int64_t t0;                        /* Unix time of the run's first tick */
    int64_t bucket_s;                  /* seconds per point actually used */
    enum ltk_history_pct pct_kind;
    struct ltk_trend_segment *segments;
    size_t nsegments;
    struct ltk_trend_metric *metrics;  /* Aggregated first, then endpoints, then resources */
    size_t nmetrics;
    struct ltk_trend_spike spike;
    struct ltk_trend_leak leak;
    enum ltk_trend_verdict verdict;    /* over the Aggregated and resource metrics */
    char verdict_reason[256];
    char **notes;                      /* caveats, for people */
    size_t nnotes;
    struct ltk_trend_options opt;      /* as used */
};

/* Analyses run (its stats_history is needed) and, when metrics is not NULL,
 * the resource samples, joined on time.  opt NULL means the defaults.
 * Returns LTK_OK, LTK_EINVAL (no history, no steady segment: err says why)
 * or LTK_ENOMEM.  Release out with ltk_trend_release in every case. */
int ltk_trend_analyse(const struct ltk_run *run, const struct ltk_metrics *metrics,
                      const struct ltk_trend_options *opt, struct ltk_trend_result *out,
                      struct ltk_error *err);

void ltk_trend_release(struct ltk_trend_result *r);

/* The Aggregated trend of metric ("p95"), or NULL. */
const struct ltk_trend_metric *ltk_trend_find(const struct ltk_trend_result *r, const char *metric);

/* The result as an ltk.trend/1 document (free with cJSON_Delete); NULL when
 * out of memory.  label names the run. */
cJSON *ltk_trend_to_json(const struct ltk_trend_result *r, const char *label);

/* The result as a table for people.  Returns LTK_OK or LTK_EIO. */
int ltk_trend_write_table(FILE *fp, const struct ltk_trend_result *r, const char *label, bool color);

#endif

/* Mergeable summaries of raw request logs: the ltk.summary/2 format (version 1 still read).
 *
 * A summary holds what ltk needs of a request log to answer every question
 * later, in a form that merges exactly: per endpoint and in total a
 * histogram of the response times (by the log's percentile method), counts,
 * failures and sizes; failures grouped by error text; and the same per
 * interval of --interval seconds.  Summaries of parts of a log (split by
 * rows or by time, or of several logs of one run) merge into exactly the
 * summary of the whole:
 *
 *     ltk summarize a.csv -o a.ltk.json ; ltk summarize b.csv -o b.ltk.json
 *     ltk merge a.ltk.json b.ltk.json      # == ltk summarize a.csv b.csv
 *
 * Histograms are kept in a compact form (struct ltk_shist): the ascending
 * keys with a count each (hdr: bucket indices; locust: Locust's rounded ms;
 * exact: the distinct times), with count, min, max and the sum in whole
 * nanoseconds exact beside them.  See docs/json.md for the JSON.
 *
 * Order matters only where Locust's rules make it matter: endpoints and
 * failure groups are kept in the order they were first seen, so that the
 * --max-names cap and the failure-group cap pick the same names after a
 * merge as when the logs are read one after the other.
 */
#ifndef LTK_SUMMARY_H
#define LTK_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ltk/base/error.h"
#include "ltk/model/hist.h"
#include "ltk/model/run.h"
#include "ltk/model/status.h"

#define LTK_SUMMARY_SCHEMA "ltk.summary/2"
/* The version before: no "ok" histograms, no "status" codes; still read. */
#define LTK_SUMMARY_SCHEMA_V1 "ltk.summary/1"

/* Caps on what a summary file may hold (a hostile file cannot make ltk
 * allocate without bound): names, failure groups, intervals, keys. */
#define LTK_SUMMARY_MAX_ENDPOINTS 100000
#define LTK_SUMMARY_MAX_FAILURES 100000
#define LTK_SUMMARY_MAX_INTERVALS ((size_t)1 << 20)
#define LTK_SUMMARY_MAX_SOURCES 100000
#define LTK_SUMMARY_MAX_TEXT 65536
/* Largest time (Unix seconds) an interval may start at; raw logs refuse
 * later timestamps, so that their summaries read back. */
#define LTK_SUMMARY_MAX_T 1e15
/* Largest summary file read, in bytes.  Reading goes through cJSON's tree,
 * about 20 times the file's size in memory: this bounds that too. */
#define LTK_SUMMARY_MAX_BYTES ((size_t)256 << 20)

/* A histogram in compact form.  Empty: count 0, min/max NAN, n 0. */
struct ltk_shist {
    uint64_t count;
    double min, max;      /* exact */
    ltk_u128 sum_ns;      /* sum of the times in whole ns, exact */
    size_t n;             /* distinct keys */
    double *keys;         /* ascending (see ltk_hist_foreach) */
    uint64_t *counts;     /* > 0 each, summing to count */
};

struct ltk_summary_endpoint {
    char *method, *name;
    bool other;           /* the "(other)" row of names past --max-names */
    struct ltk_shist hist;
    uint64_t failures;
    double bytes;         /* sum of response sizes (exact while they are integers) */
    uint64_t sized;       /* requests with a size */
    struct ltk_shist ok;  /* the successful requests' times (has_ok) */
    struct ltk_status_list status;  /* HTTP codes, read or inferred */
    struct ltk_shist timing[LTK_TIMING_N];  /* latency, connect, TLS times
                                             * (has_timing[k]; else empty) */
};

struct ltk_summary_failure {
    char *method, *name, *error;
    uint64_t occurrences;
};

struct ltk_summary_cell {
    size_t endpoint;      /* index into endpoints */
    uint64_t failures;
    struct ltk_shist hist;
};

/* An interval holds no histogram of its own total: that is exactly the
 * union of its cells' (a file's "total" is checked to be so when read, and
 * written from them; ltk_summary_interval_total makes it).  Kept in memory
 * it doubled what a long summary cost. */
struct ltk_summary_interval {
    int64_t t;            /* start, Unix seconds, a multiple of interval_s */
    int64_t users;        /* -1 when unknown */
    uint64_t requests;    /* its cells' requests */
    uint64_t failures;    /* its cells' failures */
    struct ltk_summary_cell *cells;   /* ascending endpoint index, requests > 0 */
    size_t ncells;
    /* Its requests per HTTP status class (enum ltk_status_class), read or
     * inferred, all endpoints together: the optional "status_classes" of
     * an ltk.summary/2 interval, all 0 when it has none. */
    uint64_t status[LTK_SC_N];
};

struct ltk_summary_source {
    char *path;           /* the log as named when summarised */
    char *format;         /* "locust-hook", "jmeter", ... */
    uint64_t rows;        /* requests read */
    uint64_t skipped;     /* malformed rows skipped (--skip-bad) */
    char *first_bad;      /* "line N: what" of the first skipped row, or NULL */
    char *users_source;   /* stats_history.csv the users came from, or NULL */
    /* What the log held that was not read (ltk_run.ignored_columns, ...):
     * the optional "ignored" member of a source; none when both are 0. */
    char **ignored_columns;
    size_t nignored_columns;
    char **ignored_metrics;
    size_t nignored_metrics;
    bool ignored_more;
};

/* Copies src's ignored lists into dst (which has none).  Returns LTK_OK or
 * LTK_ENOMEM. */
int ltk_summary_source_copy_ignored(struct ltk_summary_source *dst, const struct ltk_summary_source *src);

struct ltk_summary {
    enum ltk_hist_method method;
    int64_t interval_s;
    bool fold;
    size_t max_names;
    size_t npct;
    double *pct_q;        /* percentile fractions, as --percentiles gives them */
    char **pct_label;     /* "50", "99.9" */

    struct ltk_summary_source *sources;
    size_t nsources;

    uint64_t timed;       /* requests with a timestamp */
    double tmin, tmax;    /* their first and last timestamp (s); NAN when none */

    struct ltk_summary_endpoint *endpoints;   /* in order first seen */
    size_t nendpoints;
    uint64_t other_requests;                  /* requests counted in "(other)" */
    struct ltk_shist total;
    uint64_t total_failures;
    double total_bytes;
    uint64_t total_sized;
    bool has_ok;          /* every endpoint's ok histogram is known (not so
                           * for ltk.summary/1, Locust's JSON, or a merge
                           * with either) */
    struct ltk_shist total_ok;
    struct ltk_status_list total_status;
    /* Latency, connect and TLS times (ltk/model/run.h, enum ltk_timing)
     * per endpoint and in total, of the requests that gave one; kind k is
     * kept when every log summarised or merged had it (the optional
     * "timing" members of ltk.summary/2: a summary without them reads as
     * before). */
    bool has_timing[LTK_TIMING_N];
    struct ltk_shist total_timing[LTK_TIMING_N];

    struct ltk_summary_failure *failures;     /* in order first seen */
    size_t nfailures;

    struct ltk_summary_interval *intervals;   /* ascending t; only those with requests */
    size_t nintervals;
    bool status_dropped;  /* an endpoint filter left out the intervals' status classes */

    uint64_t k6_orphans;  /* k6 http_req_failed rows without a duration row */
};

/* Distinct failure groups kept; further ones are counted in one group
 * ("", "(other)", "(further distinct errors)"), as raw logs do. */
#define LTK_SUMMARY_FAILURE_GROUPS 10000

/* Makes s empty.  Always call ltk_summary_release afterwards. */
void ltk_summary_init(struct ltk_summary *s);

/* Frees everything s owns and makes it empty.  s may be NULL. */
void ltk_summary_release(struct ltk_summary *s);

/* Frees what one interval owns (its histograms) and empties it. */
void ltk_summary_interval_release(struct ltk_summary_interval *iv);

/* Fills out (empty) with the histogram of all of iv's requests, the union
 * of its cells'.  Returns LTK_OK or LTK_ENOMEM (out then holds a part, for
 * ltk_shist_release). */
int ltk_summary_interval_total(const struct ltk_summary_interval *iv, struct ltk_shist *out);

/* The index of the "(other)" endpoint of names past --max-names, -1 when
 * there is none. */
long ltk_summary_other(const struct ltk_summary *s);

/* Makes h empty (count 0, min and max NAN) without freeing anything. */
void ltk_shist_init(struct ltk_shist *h);

/* Releases h's arrays and makes it empty.  h may be NULL. */
void ltk_shist_release(struct ltk_shist *h);

/* Fills out (empty) with the compact form of h.  Returns LTK_OK or
 * LTK_ENOMEM. */
int ltk_shist_from_hist(struct ltk_shist *out, const struct ltk_hist *h);

/* Fills out (empty) with the histogram of method m of the n values v,
 * sorted ascending: the same as ltk_shist_from_hist of a histogram holding
 * them.  Returns LTK_OK or LTK_ENOMEM. */
int ltk_shist_from_sorted(struct ltk_shist *out, enum ltk_hist_method m, const double *v, size_t n);

/* A new histogram of method m equal to h (free it with ltk_hist_free).
 * Returns LTK_OK, LTK_EINVAL (h is not a histogram of m) or LTK_ENOMEM. */
int ltk_shist_to_hist(const struct ltk_shist *h, enum ltk_hist_method m, struct ltk_hist **out);

/* Adds src into dst (the union of both).  Returns LTK_OK or LTK_ENOMEM. */
int ltk_shist_merge(struct ltk_shist *dst, const struct ltk_shist *src);

/* Adds src into dst as if dst's logs and then src's had been read one after
 * the other.  Both must have the same method, interval, percentiles, fold
 * and --max-names (LTK_EINVAL otherwise, with a message naming what
 * differs; dst is then unchanged).  LTK_ELIMIT when the result would have
 * more than LTK_SUMMARY_MAX_INTERVALS intervals (with requests: the span of
 * time between them is not limited).  LTK_ENOMEM may leave dst
 * partly merged. */
int ltk_summary_merge(struct ltk_summary *dst, const struct ltk_summary *src, struct ltk_error *err);

/* The same merge for a src read piece by piece (ltk_summary_load_each):
 * begin with src's head (all but its intervals: settings, sources,
 * endpoints, totals, failures), then each of src's intervals in time order,
 * then end, which puts the merged intervals into dst.  Memory: dst, and one
 * interval of src.  begin fails as ltk_summary_merge does, dst unchanged;
 * after it dst is changed, and an error of an interval (LTK_ENOMEM, or
 * LTK_ELIMIT past LTK_SUMMARY_MAX_INTERVALS) leaves it partly merged: call
 * end anyway (it is what frees the merger), and throw dst away. */
struct ltk_summary_merger {
    struct ltk_summary *dst;
    size_t *map;                          /* src's endpoints in dst */
    struct ltk_summary_interval *all;     /* the merged intervals so far */
    size_t nall, cap;
    size_t next;                          /* dst's first interval not yet in all */
    size_t nsrc;                          /* src's intervals merged */
    int64_t last_t;                       /* the start of the last of them */
    bool begun;
};

int ltk_summary_merge_begin(struct ltk_summary_merger *m, struct ltk_summary *dst, const struct ltk_summary *src,
                            struct ltk_error *err);
int ltk_summary_merge_interval(struct ltk_summary_merger *m, const struct ltk_summary_interval *iv,
                               struct ltk_error *err);
int ltk_summary_merge_end(struct ltk_summary_merger *m, struct ltk_error *err);

#endif

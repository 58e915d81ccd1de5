/* What the two halves of the raw-log reader (ltk/read/rawlog.h) share,
 * private to lib/read/:
 *   rawlog_stream.c   reading (zlib, the two-thread split), the aggregate
 *                     (endpoints, failure groups, intervals and their
 *                     reorder window), and the run or summary made of it;
 *   rawlog_formats.c  the dialects: which format a header is, its columns,
 *                     and how each kind of row becomes a request.
 * The stream hands every CSV record to ltk_rawlog_on_record; the dialect
 * gives each request back as a struct row to ltk_rawlog_add_row. */
#ifndef LTK_RAWLOG_INT_H
#define LTK_RAWLOG_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ltk/base/error.h"
#include "ltk/read/csv.h"
#include "ltk/read/rawlog.h"
#include "base/strutil.h"

/* The columns a dialect maps to a->col, by what they hold. */
enum role { COL_TS, COL_METHOD, COL_NAME, COL_TIME, COL_BYTES, COL_OK, COL_STATUS, COL_ERROR, COL_MSG, COL_METRIC,
            COL_EXPECTED, COL_URL, COL_USERS,
            /* the timings (enum ltk_timing, in its order from COL_LATENCY) */
            COL_LATENCY, COL_CONNECT, COL_TLS, COL_N };

/* A small string-keyed hash map (key -> index): the failure groups'
 * (struct agg), its functions in rawlog_stream.c. */
struct strmap {
    char **keys;          /* malloc'd keys, NULL for empty slots */
    size_t *lens;
    size_t *vals;
    size_t cap, n;
};

struct row {
    const char *method, *name, *error;
    size_t mlen, nlen;           /* of method and name */
    double ms, ts, bytes;        /* ts, bytes NAN when unknown */
    double users;                /* users running when it was logged; NAN unknown */
    bool ok;
    bool has_status;             /* the row said its HTTP status: */
    int status;                  /* 100..999, or 0 for no HTTP response */
    double timing[LTK_TIMING_N]; /* latency, connect, TLS ms; NAN when not given */
};

/* k6: a duration row waiting for its http_req_failed row. */
struct pending {
    bool active;
    char *method, *name, *error, *status, *expected;
    double ms, ts;
    double timing[LTK_TIMING_N]; /* from the timing rows after it; NAN none */
    long line;
};

/* The state of one read: the header's mapping and the dialect's (fmt, col,
 * pend, k6_orphans, skipped), and the aggregate rawlog_stream.c keeps (its
 * struct entry, interval and fgroup are private to that file). */
struct agg {
    const struct ltk_rawlog_options *opt;
    bool summary;                /* closed cells keep histograms, late rows count */
    const char *file;
    enum ltk_rawlog_format fmt;
    int col[COL_N];
    char *colname[COL_N];          /* header text of each mapped column */
    size_t nfields;
    int ts_scale;                /* 0 auto by magnitude, else 1 (s) or 1000 (ms) */

    struct entry *entries;
    size_t nentries, capentries;
    uint32_t *eslot;             /* entries by (method, name): index + 1, 0 empty */
    size_t ecap;                 /* a power of two, over twice the entries */
    long other;                  /* index of the "(other)" entry, -1 none */
    uint64_t other_requests;

    struct ltk_hist *total;
    uint64_t total_failures;
    double total_bytes;
    uint64_t total_nbytes;

    struct fgroup *groups;
    size_t ngroups, capgroups;
    struct strmap groupmap;

    /* The intervals that have requests (only those: memory follows the
     * rows, not the span of time), in the order their first rows came; in
     * time order once all are closed (agg_end).  ivmap finds one by its
     * number, open lists those numbered from closed_below on (the ones
     * close_intervals may still close: at most the reordering window). */
    struct interval *iv;
    size_t niv, capiv;
    size_t *ivmap;               /* hash on idx: position in iv + 1, 0 free */
    size_t capmap;               /* a power of two, or 0 */
    size_t ivlast;               /* position of the last row's interval */
    size_t *open;                /* positions in iv, by ascending idx */
    size_t nopen, capopen;
    int64_t ivlo, ivhi;          /* lowest and highest idx */
    int64_t closed_below;        /* intervals numbered below this are closed */
    double tmin, tmax;
    uint64_t no_ts;
    uint64_t late;               /* rows that came after their interval closed */
    long late_line;
    const double *q;             /* the percentiles to compute */
    size_t nq;

    struct pending pend;
    uint64_t k6_orphans;         /* http_req_failed rows without a duration row */
    long k6_orphan_line;

    uint64_t rows, skipped;
    char first_bad[700];

    struct ltk_buf key;          /* scratch for map keys */

    bool frac_bytes;             /* a size with a fraction was summed */
    int64_t keep_open_below;     /* the second part of a split read keeps the
                                  * intervals below this open to the end */
    int64_t first_idx;           /* interval of the first timed row, INT64_MIN none */
    uint64_t gaps;               /* gaps longer than LTK_RAWLOG_GAP_S (to_run) */
    int64_t gap_s, gap_from;     /* the longest: its length and start, s */
    int threads;                 /* how many read the file */
    uint64_t users_rows;         /* rows that said how many users were running */
    struct ltk_hist *total_ok;   /* successes of every endpoint (agg_end) */
    bool status_read;            /* some row said its HTTP status */
    /* Timings (ltk/model/run.h): kind k is in the log (a column of the
     * header, k6's metric rows); the total of the endpoints' (agg_end). */
    bool timing[LTK_TIMING_N];
    struct ltk_hist *total_timing[LTK_TIMING_N];
    /* What the log holds that is not read: header columns (map_header) and
     * k6 metrics (at most LTK_RUN_MAX_IGNORED; ignored_more past that). */
    char **ignored_cols;
    size_t nignored_cols;
    char **ignored_metrics;
    size_t nignored_metrics;
    bool ignored_more;
    /* A probe of a gzip log's times (the automatic interval): rows are
     * counted per whole second here and nowhere else, no intervals. */
    bool times_only;
    int64_t twidth;              /* seconds per count (1, doubled as they fill) */
    struct ltk_time_count {
        int64_t t;               /* Unix time / twidth */
        uint64_t rows;
    } *times;                    /* ascending once compacted; room for PROBE_COUNTS */
    size_t ntimes;
};

/* An out-of-memory error at line of the file read. */
static inline int ltk_rawlog_oom(const struct agg *a, long line, struct ltk_error *err)
{
    return ltk_error_set(err, LTK_ENOMEM, a->file, line, 0, "out of memory");
}

/* ---- rawlog_formats.c ---- */

/* The HTTP status a status field holds: false for an empty field; else
 * true with *code 100..999, or 0 for anything else (k6's 0, JMeter's "Non
 * HTTP response code: ..."): no HTTP response. */
bool ltk_rawlog_status_field(const char *s, int *code);

/* Which format a header is, LTK_RAW_NONE when none. */
enum ltk_rawlog_format ltk_rawlog_header_format(const struct ltk_csv_record *rec);

/* The record callback (ltk_csv_read_from) of a read, ctx its struct agg: the
 * header maps the columns, each further record gives its request (if any)
 * to ltk_rawlog_add_row; with --skip-bad a malformed row is counted and
 * passed over. */
int ltk_rawlog_on_record(const struct ltk_csv_record *rec, void *ctx, struct ltk_error *err);

/* k6: the pending duration row becomes a request, failed as have_failed
 * and failed say (else by its tags); nothing when none is pending. */
int ltk_rawlog_k6_finish_pending(struct agg *a, bool have_failed, bool failed, struct ltk_error *err);

/* Frees what p holds; p is inactive again. */
void ltk_rawlog_pending_clear(struct pending *p);

/* ---- rawlog_stream.c ---- */

/* Adds one request (of the record at line) to the aggregate. */
int ltk_rawlog_add_row(struct agg *a, const struct row *r, long line, struct ltk_error *err);

/* Records that users were running at ts (a k6 vus row, which is no
 * request): the interval holding ts keeps the largest count it is told.
 * Nothing for an unknown ts. */
int ltk_rawlog_add_users(struct agg *a, double ts, double users, long line, struct ltk_error *err);

#endif

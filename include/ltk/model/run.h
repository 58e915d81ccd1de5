/* The run model: everything ltk knows about one load-test run.
 *
 * Every input format is read into a struct ltk_run, and every analysis reads
 * from one, so tools share one loader.  Raw request logs (ltk/read/rawlog.h) fill
 * the same fields from their rows.  For Locust's --csv exports it holds
 * the per-endpoint table (stats.csv), the time series (stats_history.csv),
 * failures and exceptions, which files they came from, and warnings about
 * what was odd in them (a truncated last line, a stats reset).
 *
 * Unknown numbers are NAN (never 0): Locust's "N/A" percentiles, a 10 s
 * window that had no data, a value a file does not carry.
 */
#ifndef LTK_RUN_H
#define LTK_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ltk/base/error.h"
#include "ltk/model/hist.h"
#include "ltk/model/status.h"

enum ltk_source_kind {
    LTK_SRC_STATS,       /* PREFIX_stats.csv */
    LTK_SRC_HISTORY,     /* PREFIX_stats_history.csv */
    LTK_SRC_FAILURES,    /* PREFIX_failures.csv */
    LTK_SRC_EXCEPTIONS,  /* PREFIX_exceptions.csv */
    LTK_SRC_COUNT
};

/* The file-name suffix Locust gives each kind ("_stats.csv", ...). */
const char *ltk_source_suffix(enum ltk_source_kind kind);
/* A short name for each kind ("stats", "history", "failures", "exceptions"). */
const char *ltk_source_name(enum ltk_source_kind kind);

/* Parts of a request's time that some raw logs give beside the response
 * time, each read into a histogram of its own per endpoint and in total
 * (ltk_endpoint.timing), by the run's percentile method, so they merge
 * exactly as the response times do:
 *   LTK_TIMING_LATENCY  time to the first byte of the response: a JTL's
 *                       Latency column (JMeter counts the connect time in
 *                       it), k6's http_req_waiting (which leaves it out);
 *   LTK_TIMING_CONNECT  opening the TCP connection: a JTL's Connect, k6's
 *                       http_req_connecting (0 when a connection was reused);
 *   LTK_TIMING_TLS      the TLS handshake: k6's http_req_tls_handshaking. */
enum ltk_timing { LTK_TIMING_LATENCY, LTK_TIMING_CONNECT, LTK_TIMING_TLS, LTK_TIMING_N };

/* "latency", "connect", "tls": the JSON keys and the words outputs use. */
const char *ltk_timing_name(enum ltk_timing k);

/* The percentile columns of a file, in file order: "50%" is q 0.5, label "50". */
struct ltk_pct_columns {
    size_t n;
    double *q;        /* fractions in (0, 1] */
    char **label;     /* header text without the '%' sign */
};

/* One row of stats.csv: an endpoint, or the Aggregated total. */
struct ltk_endpoint {
    char *type;          /* "GET", "POST", ...; "" for the Aggregated row */
    char *name;          /* request name as Locust reported it (untrusted text) */
    uint64_t requests;
    uint64_t failures;
    double median;       /* ms, Locust's bucketed median */
    double mean;         /* ms */
    double min, max;     /* ms, exact */
    double avg_size;     /* bytes */
    double rps;          /* requests / run time */
    double fail_per_s;
    double *pct;         /* one value per run->stats_pct column; NAN for N/A */
    long line;           /* line of the file it came from */
    struct ltk_hist *hist; /* the whole-run distribution when the run came from
                            * raw data (a raw request log), NULL from stats.csv;
                            * owned by the run (ltk_run_release frees it) */
    struct ltk_hist *ok_hist; /* the same of the successful requests only, when
                               * the input tells them apart (raw logs,
                               * ltk.summary/2); NULL otherwise */
    struct ltk_status_list status; /* HTTP codes (ltk/model/status.h); empty
                                    * when the input has none */
    /* Successful requests at or under each of the run's cuts (run->cuts),
     * counted exactly while a raw log was read; NULL otherwise. */
    uint64_t *ok_le;
    /* Latency, connect and TLS times (enum ltk_timing) of the requests that
     * gave one, when the input has that kind (run->timing_from); NULL
     * otherwise.  Owned by the run. */
    struct ltk_hist *timing[LTK_TIMING_N];
};

/* How the percentile columns of stats_history.csv are to be read. */
enum ltk_history_pct {
    LTK_HPCT_CUMULATIVE,  /* whole run so far (Locust without --csv-full-history) */
    LTK_HPCT_WINDOW,      /* last ~10 s (with --csv-full-history); 0 meant "no window" */
};

/* One row of stats_history.csv. */
struct ltk_history_row {
    int64_t ts;           /* Unix seconds (Locust repeats and skips seconds) */
    int64_t users;
    char *type;           /* "" for Aggregated */
    char *name;
    bool is_total;        /* the Aggregated row closing each tick */
    double rps;           /* current requests/s (Locust's ~10 s estimate) */
    double fail_per_s;
    double *pct;          /* one value per run->history_pct column; NAN unknown */
    uint64_t requests;    /* cumulative since start (or since the last reset) */
    uint64_t failures;
    double median, mean, min, max, avg_size;  /* cumulative, ms / bytes */
    long line;
};

/* The HTTP status classes of one interval's requests, all endpoints
 * together (a raw log's, or its summary's, codes over time): read from the
 * input or inferred from a failure's text, as the run's status lists are.
 * A request without a code counts in none of them. */
struct ltk_status_tick {
    int64_t ts;               /* the interval's start, Unix seconds */
    uint64_t n[LTK_SC_N];     /* requests per class (enum ltk_status_class) */
};

struct ltk_failure {
    char *method;
    char *name;
    char *error;          /* Locust's repr of the error (untrusted text) */
    uint64_t occurrences;
    char *first_seen;     /* as written (newer Locust only), else NULL */
    char *last_seen;
    long line;
};

struct ltk_exception {
    uint64_t count;
    char *message;
    char *traceback;      /* multi-line */
    char *nodes;
    long line;
};

/* What part of the input a run holds after --from/--to and --only/--exclude
 * (ltk/model/select.h); window and filter both false for the whole input. */
struct ltk_selection {
    bool window, filter;
    char from_text[64], to_text[64];   /* the window as typed, "" for an open end */
    int64_t start;                     /* the run's start, Unix seconds */
    double from_s, to_s;               /* the part kept, seconds since start */
    char **only, **exclude;            /* the expressions as typed */
    size_t nonly, nexclude;
    size_t endpoints_kept, endpoints_dropped;
    char *basis;                       /* how the numbers of the selection were formed */
};

struct ltk_run {
    char *label;                          /* what the user named: prefix or file */
    char *source[LTK_SRC_COUNT];          /* path read for each kind, NULL when absent */

    struct ltk_pct_columns stats_pct;     /* percentile columns of the endpoint table */
    struct ltk_endpoint *endpoints;       /* in file order, without the total */
    size_t nendpoints;
    struct ltk_endpoint total;            /* the Aggregated row */
    bool has_total;
    bool endpoints_from_history;          /* table rebuilt from the last history tick */

    struct ltk_pct_columns history_pct;
    struct ltk_history_row *history;      /* in file order */
    size_t nhistory;
    bool history_full;                    /* per-endpoint rows present (--csv-full-history) */
    enum ltk_history_pct history_pct_kind;
    size_t history_resets;                /* times the cumulative counts dropped */

    struct ltk_failure *failures;
    size_t nfailures;
    bool failures_have_seen;              /* First Seen / Last Seen columns present */

    struct ltk_exception *exceptions;
    size_t nexceptions;

    char **warnings;                      /* "file:line: what", for the tool to show */
    size_t nwarnings;

    /* A raw request log (ltk/read/rawlog.h) instead of Locust's exports: the
     * table, failures and history are computed from its rows. */
    char *raw_source;                     /* path of the log, NULL otherwise */
    const char *raw_format;               /* static name: "locust-hook", "jmeter", ... */
    enum ltk_hist_method raw_method;      /* how its percentiles were computed */
    uint64_t raw_rows;                    /* requests read */
    uint64_t raw_skipped;                 /* malformed rows skipped (--skip-bad) */
    int raw_threads;                      /* threads that read the log (1 or 2) */
    char *users_source;                   /* where a raw log's users came from: the
                                           * stats_history.csv beside it, a column
                                           * of the log, or derived (ltk/model/users.h);
                                           * NULL otherwise */
    bool users_derived;                   /* users are requests in flight, not users */
    int64_t history_window_s;             /* window of windowed history percentiles:
                                           * 10 for Locust's, the interval for raw logs */
    bool status_read;                     /* a column of the input held HTTP codes */
    /* Codes over time: one tick per interval of a raw log (or summary)
     * that had a request with a code, ascending ts; none for Locust's
     * exports (their history has no codes).  status_ticks_dropped: the
     * input had them, but an endpoint filter left them out (they are
     * kept for all endpoints together, not per endpoint). */
    struct ltk_status_tick *status_ticks;
    size_t nstatus_ticks;
    bool status_ticks_dropped;
    double *cuts;                         /* times (ms, ascending) at which raw-log
                                           * rows were counted (ltk_endpoint.ok_le) */
    size_t ncuts;
    struct ltk_selection selection;       /* the part of the input kept (whole: none) */
    char *timing_from[LTK_TIMING_N];      /* where each kind of timing came from ("the
                                           * JTL's Latency column"); NULL: not in the input */
    /* What a raw log holds that ltk did not read, in the order first seen:
     * columns of its header, and for k6 the metrics of its rows (at most
     * LTK_RUN_MAX_IGNORED of each named; ignored_more when there were more). */
    char **ignored_columns;
    size_t nignored_columns;
    char **ignored_metrics;
    size_t nignored_metrics;
    bool ignored_more;
};

#define LTK_RUN_MAX_IGNORED 64

/* Frees what a selection owns and makes it select everything. */
void ltk_selection_release(struct ltk_selection *s);

/* Makes run empty.  Always call ltk_run_release afterwards. */
void ltk_run_init(struct ltk_run *run);

/* Frees everything run owns and makes it empty again.  run may be NULL. */
void ltk_run_release(struct ltk_run *run);

/* Frees what one endpoint row owns (names, percentiles, histogram). */
void ltk_endpoint_release(struct ltk_endpoint *e);

/* Free what one history row, failure group or exception owns. */
void ltk_history_row_release(struct ltk_history_row *h);
void ltk_failure_release(struct ltk_failure *f);
void ltk_exception_release(struct ltk_exception *e);

/* Appends a history row: h's numbers, copies of type and name, and a pct
 * array of run->history_pct.n values, all NAN, for the caller to fill
 * (run->history[run->nhistory - 1].pct).  *cap is the capacity of
 * run->history (0 at first).  Returns LTK_OK, or LTK_ENOMEM with run as it
 * was. */
int ltk_run_add_history(struct ltk_run *run, size_t *cap, const struct ltk_history_row *h, const char *type,
                        const char *name);

/* Appends a printf-formatted warning.  Returns LTK_OK or LTK_ENOMEM. */
int ltk_run_warn(struct ltk_run *run, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Users of the last Aggregated history row at or before ts (0 before the
 * first).  Calls must come in non-decreasing ts; start with { 0, 0 }. */
struct ltk_users_cursor {
    size_t next;      /* first history row not yet passed */
    int64_t users;    /* users of the last Aggregated row passed */
};
int64_t ltk_run_users_at(const struct ltk_run *h, struct ltk_users_cursor *cur, int64_t ts);

/* Guesses the kind of a file from its name; -1 when the name says nothing. */
int ltk_source_kind_from_path(const char *path);

/* Fills each endpoint's and the total's status codes from the run's failure
 * groups (inferred: ltk_status_from_text), for inputs that carry no codes
 * (Locust's CSV).  Groups of an endpoint the table lacks count in the total
 * only.  Returns LTK_OK or LTK_ENOMEM. */
int ltk_run_infer_status(struct ltk_run *run);

/* True when some row of run has timing k (ltk_endpoint.timing). */
bool ltk_run_has_timing(const struct ltk_run *run, enum ltk_timing k);

/* Fraction of failed requests of an endpoint; NAN when it had no requests. */
double ltk_endpoint_fail_ratio(const struct ltk_endpoint *e);

/* The value of the percentile column with fraction q (0.95), or NAN when the
 * column is missing or N/A.  q is matched to 1e-9. */
double ltk_endpoint_pct(const struct ltk_run *run, const struct ltk_endpoint *e, double q);

/* The endpoint of r with this type and name, or NULL. */
const struct ltk_endpoint *ltk_run_endpoint(const struct ltk_run *r, const char *type, const char *name);

/* Any percentile q in (0, 1] of an endpoint: its percentile column when the
 * run has one (ltk_endpoint_pct), else from its histogram (a raw log, a
 * summary, Locust's JSON: ltk_hist_quantile), else NAN. */
double ltk_endpoint_quantile(const struct ltk_run *run, const struct ltk_endpoint *e, double q);

/* True when the run holds percentile q for every row: a column of its
 * table, or histograms (then any q).  The median of a table without
 * percentile columns counts as q 0.5. */
bool ltk_run_has_pct(const struct ltk_run *run, double q);

/* "50, 66, 75, ..., 100": the percentile columns of run's table, for "it
 * has ..." messages.  malloc'd; NULL on out of memory. */
char *ltk_run_pct_list(const struct ltk_run *run);

#endif

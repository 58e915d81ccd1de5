/* Raw request logs: one CSV row per request, read into a struct ltk_run.
 *
 * Formats, recognised from the header line (columns by name, any order):
 *   locust-hook    timestamp,request_type,name,response_time,response_length,
 *                  success,exception[,users][,status]   (a Locust `request`
 *                  event hook; success 1/0 or True/False; timestamp epoch
 *                  seconds; status the HTTP code, 0 for no response)
 *   locust-logger  timestamp,request_type,name,response_time_ms,
 *                  response_length,status_code,exception   (Locust 2.44+
 *                  CsvRequestLogger; a request succeeded when status_code is
 *                  100-399 and exception is empty)
 *   jmeter         JTL CSV with a header: timeStamp (epoch ms), elapsed (ms),
 *                  label, success (true/false), and when present
 *                  responseCode, responseMessage, failureMessage, bytes,
 *                  Latency and Connect (ms: timings, below)
 *   k6             `k6 run --out csv`: metric_name,timestamp,metric_value,...
 *                  An http_req_duration row is a request (metric_value ms,
 *                  tags name, method, status, error); the http_req_failed row
 *                  k6 writes after it for the same request (same timestamp,
 *                  name and method) says whether it failed (1).  Without one,
 *                  the expected_response tag decides, else the status (100-399
 *                  is success).  The http_req_waiting,
 *                  http_req_connecting and http_req_tls_handshaking rows k6
 *                  writes between them (same timestamp, name and method)
 *                  are its timings.  Other metrics are ignored (listed in
 *                  the run: ltk_run.ignored_metrics).
 *   columns        any CSV with --columns name=COL,time=COL,ok=COL[,ts=COL]
 *                  [,method=COL][,error=COL][,bytes=COL][,latency=COL]
 *                  [,connect=COL][,tls=COL]
 *
 * Timings: a request's latency (time to first byte), connect and TLS
 * handshake times, where the format has them, go into a histogram per
 * endpoint and kind (ltk_endpoint.timing) by the same method as the
 * response times; a row with an empty field has none of that kind.  Header
 * columns no role reads are listed in ltk_run.ignored_columns.
 * Files may be gzip-compressed (decompressed with zlib while streaming; the
 * magic bytes decide, not the name).
 *
 * HTTP codes (ltk/model/status.h) are read from the status column of each
 * format that has one, or inferred from a failed row's error text, and
 * counted per endpoint; successful requests also go into a second histogram
 * per endpoint (ltk_endpoint.ok_hist), and are counted at opt->cuts.
 *
 * Every request is added to a histogram per (method, name) and to the total,
 * with the method asked for (ltk/model/hist.h), and, when rows have timestamps, to
 * per-interval histograms that become the run's history (requests, failures
 * and percentiles per interval and endpoint; cumulative counts, mean, min and
 * max as Locust's history has them; no user counts).  Failures are grouped by
 * (method, name, error text) as Locust's failures.csv groups them.
 *
 * Memory: one histogram per name (at most max_names + 1 names); the times of
 * the intervals still open (those ending less than LTK_RAWLOG_REORDER_S
 * before the latest timestamp, since logs are only nearly in time order:
 * JMeter writes start times at the end of each request); and, per closed
 * interval that has requests and name, its counts and percentiles.  It
 * grows with the number of such intervals and the request rate, not with
 * the number of rows (except for the exact method, whose whole-run
 * histograms keep every time) nor with the time between rows: a gap without
 * requests costs nothing (see LTK_RAWLOG_GAP_S).  A row that
 * comes after its interval closed is counted there but left out of the
 * interval's percentiles, with a warning.
 */
#ifndef LTK_RAWLOG_H
#define LTK_RAWLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ltk/base/error.h"
#include "ltk/model/hist.h"
#include "ltk/model/run.h"

enum ltk_rawlog_format {
    LTK_RAW_NONE,            /* not a raw log */
    LTK_RAW_LOCUST_HOOK,
    LTK_RAW_LOCUST_LOGGER,
    LTK_RAW_JMETER,
    LTK_RAW_K6,
    LTK_RAW_COLUMNS,
};

struct ltk_rawlog_options {
    enum ltk_hist_method method;  /* percentile method */
    int64_t interval_s;           /* history interval, whole seconds >= 1, or
                                   * LTK_RAWLOG_INTERVAL_AUTO (the default) */
    bool fold;                    /* fold ids in names into templates */
    size_t max_names;             /* distinct (method, name) kept; the rest: "(other)" */
    bool skip_bad;                /* skip malformed rows (counted, reported) */
    const char *columns;          /* "name=…,time=…,ok=…,ts=…" or NULL to detect */
    const char *percentiles;      /* "50,95,99.9" (percent) or NULL for Locust's set */
    int threads;                  /* 0: two for a large plain file, 1: one, 2: two
                                   * whenever the file can be split */
    /* Called now and then with the bytes read so far (of the file on disk,
     * compressed for gzip) and the file's size; from the calling thread
     * only.  NULL: none.  For a progress bar. */
    void (*progress)(void *ctx, uint64_t done, uint64_t total);
    void *progress_ctx;
    /* Times (ms, ascending, no repeats) at which to count the successful
     * requests at or under each exactly, per endpoint, while reading
     * (ltk_endpoint.ok_le: Apdex and ranges without the histogram's
     * bucket error).  NULL/0: none.  ltk_rawlog_load only. */
    const double *cuts;
    size_t ncuts;
};

#define LTK_RAWLOG_MAX_NAMES_DEFAULT 1000

/* The run's raw_format, and a summary source's format, for Locust's --json
 * statistics (read by ltk/read/locust_json.h as a summary of raw data). */
#define LTK_LOCUST_JSON_FORMAT "locust-json"

/* How far out of time order rows may come and still count in their
 * interval's percentiles, in seconds. */
#define LTK_RAWLOG_REORDER_S 300

/* The history has a row for each interval from the first timestamp to the
 * last, those without requests too (rps 0), as Locust writes one each tick
 * while a test runs; but of a gap without requests longer than this many
 * seconds (a pause between tests, a stray timestamp) only the first and the
 * last interval, with a warning.  So the history, and memory, follow the
 * intervals that have requests, not the span of time. */
#define LTK_RAWLOG_GAP_S 300
#define LTK_RAWLOG_OPTIONS_DEFAULT \
    { LTK_HIST_HDR, LTK_RAWLOG_INTERVAL_AUTO, false, LTK_RAWLOG_MAX_NAMES_DEFAULT, false, NULL, NULL, 0, NULL, NULL, NULL, 0 }

/* The automatic interval: 1 s, or for a log longer than
 * LTK_RAWLOG_AUTO_INTERVALS seconds the shortest of 2, 10, 30, 60, 120, 600,
 * 1800, 3600, 7200, 21600 and 86400 s (each a multiple of the one before)
 * that gives at most that many intervals.  Memory and charts then follow the
 * number of intervals, not the run's length: a 30-day log has 720 of an
 * hour.  The span is told from the first and last 256 KiB of the file (its
 * first and last times, rows being nearly in order); a gzip file cannot be
 * read from its end and gets 1 s (give --interval). */
#define LTK_RAWLOG_INTERVAL_AUTO 0
#define LTK_RAWLOG_AUTO_INTERVALS 1000

/* The interval chosen for a log spanning span_s seconds. */
int64_t ltk_rawlog_interval_for_span(double span_s);

/* The automatic interval of the log at path read with opt (its format,
 * --columns), and *span_s the span it told (NAN when it could not: then 1). */
int64_t ltk_rawlog_auto_interval(const char *path, const struct ltk_rawlog_options *opt, double *span_s);

/* "locust-hook", "locust-logger", "jmeter", "k6", "columns"; "none". */
const char *ltk_rawlog_format_name(enum ltk_rawlog_format f);

/* Where timing k (ltk/model/run.h) of a log of the format named format
 * ("jmeter", "k6", "columns") comes from: "the JTL's Latency column",
 * "k6's http_req_waiting metric", ...; NULL when that format has none. */
const char *ltk_rawlog_timing_from(const char *format, enum ltk_timing k);

/* Reads the header of path (gzip or plain) and tells which raw format it is,
 * LTK_RAW_NONE when it is none of them.  Returns LTK_OK or LTK_EIO /
 * LTK_EFORMAT (unreadable, corrupt gzip, bad quoting). */
int ltk_rawlog_detect(const char *path, enum ltk_rawlog_format *out, struct ltk_error *err);

/* Reads the raw log at path into run (freshly initialised apart from its
 * label): endpoints sorted by (name, method) as Locust sorts them, the total,
 * failures, history.  opt NULL means the defaults.  Returns LTK_OK,
 * LTK_EINVAL (bad options: a message says which), LTK_EIO, LTK_EFORMAT (a
 * malformed row: file, line and reason), LTK_ELIMIT (requests in more than
 * LTK_SUMMARY_MAX_INTERVALS intervals: file and line), LTK_ENOMEM. */
int ltk_rawlog_load(struct ltk_run *run, const char *path, const struct ltk_rawlog_options *opt,
                    struct ltk_error *err);

struct ltk_summary;

/* Reads the raw log at path into s (freshly initialised; ltk/model/summary.h): one
 * source, every histogram kept in compact form, per interval too, and rows
 * that come late in time order counted in their interval's histogram (a
 * summary does not depend on the order of rows).  Errors as
 * ltk_rawlog_load. */
int ltk_rawlog_summarize(struct ltk_summary *s, const char *path, const struct ltk_rawlog_options *opt,
                         struct ltk_error *err);

/* Folds the variable parts of a request name into placeholders: a path or
 * query segment that is a UUID becomes {uuid}, all digits {id}, 8 or more hex
 * digits with at least one digit {hex}; runs of 6 or more digits inside a
 * segment become {n}.  Returns a malloc'd string (free it) or NULL on out of
 * memory. */
char *ltk_rawlog_fold_name(const char *name);

/* Parses a percentile list ("50,95,99.9": percents in (0, 100]) into
 * fractions and labels ("99.9").  *q and *labels are malloc'd (free each
 * label, then both arrays).  Returns LTK_OK, LTK_EINVAL (message in err) or
 * LTK_ENOMEM. */
int ltk_rawlog_parse_percentiles(const char *spec, double **q, char ***labels, size_t *n,
                                 struct ltk_error *err);

#endif

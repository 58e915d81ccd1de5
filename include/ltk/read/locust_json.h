/* Locust's JSON statistics: what `locust --json` prints at the end of a run
 * and `--json-file NAME` writes (Locust 2.14 and later).  It is an array with
 * one object per endpoint (RequestStats.serialize_stats()):
 *
 *     [{"name": "/ask", "method": "POST", "num_requests": 8, "num_failures": 0,
 *       "num_none_requests": 0, "total_response_time": 61.9,
 *       "min_response_time": 3.26, "max_response_time": 18.9,
 *       "total_content_length": 4920, "start_time": 1670363793.67,
 *       "last_request_timestamp": 1670363796.91,
 *       "response_times": {"4": 3, "150.0": 1, ...},
 *       "num_reqs_per_sec": {"1670363793": 1, ...},
 *       "num_fail_per_sec": {...}}, ...]
 *
 * response_times is Locust's own histogram (times rounded as stats.py rounds
 * them), so the percentiles ltk computes from it with the locust method are
 * the ones Locust prints, and endpoints merge into an exact Aggregated row.
 * num_reqs_per_sec and num_fail_per_sec give requests and failures per
 * second; the file has no response times per second and no error texts.
 */
#ifndef LTK_LOCUST_JSON_H
#define LTK_LOCUST_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ltk/base/error.h"
#include "ltk/read/rawlog.h"
#include "ltk/model/run.h"
#include "ltk/model/summary.h"

/* LTK_LOCUST_JSON_FORMAT (ltk/read/rawlog.h) names such a file in a run and a summary. */

/* The error text of the one failure group per endpoint with failures. */
#define LTK_LOCUST_JSON_NO_ERROR "(failures without error texts: Locust's --json statistics hold none)"

/* Largest file read, bytes (cJSON's tree takes about 20 times as much). */
#define LTK_LOCUST_JSON_MAX_BYTES ((size_t)256 << 20)
/* Most distinct seconds in num_reqs_per_sec / num_fail_per_sec, over all
 * endpoints (12 days of a run). */
#define LTK_LOCUST_JSON_MAX_SECONDS ((size_t)1 << 20)
/* Most (endpoint, second) pairs in those objects. */
#define LTK_LOCUST_JSON_MAX_TICKS ((size_t)1 << 24)

/* True when path is a regular file whose first non-blank byte is '[': the
 * JSON array Locust writes (ltk's own JSON documents are objects). */
bool ltk_locust_json_sniff(const char *path);

/* The per-second requests and failures of a Locust JSON file. */
struct ltk_locust_tick {
    int64_t t;           /* Unix second */
    size_t endpoint;     /* index into the summary's endpoints */
    uint64_t requests, failures;
};

struct ltk_locust_series {
    struct ltk_locust_tick *ticks;   /* ascending (t, endpoint) */
    size_t n;
    uint64_t untimed;                /* num_none_requests, over all endpoints */
    double tmin, tmax;               /* the earliest start_time and latest
                                      * last_request_timestamp of endpoints
                                      * with timed requests */
};

void ltk_locust_series_release(struct ltk_locust_series *ts);

/* Parses len bytes of Locust JSON (name labels errors) into s, freshly
 * initialised: method locust, one source of format "locust-json", an endpoint
 * per entry in file order, the total merged from them, a failure group
 * (LTK_LOCUST_JSON_NO_ERROR) per endpoint with failures, no intervals and
 * so no time span (timed 0: RPS is unknown from such a summary).  opt
 * gives the percentiles, interval and --max-names of the summary (NULL: the
 * defaults); its method must be locust.  ts (may be NULL) receives the
 * per-second counts.  Returns LTK_OK, LTK_EINVAL (options), LTK_EFORMAT (what
 * is wrong and where: "[2].response_times: ..."), LTK_ELIMIT or LTK_ENOMEM;
 * on error s and ts are left empty. */
int ltk_locust_json_parse(struct ltk_summary *s, struct ltk_locust_series *ts, const char *text, size_t len,
                          const char *name, const struct ltk_rawlog_options *opt, struct ltk_error *err);

/* Reads the file at path with ltk_locust_json_parse (errors name path). */
int ltk_locust_json_summarize(struct ltk_summary *s, struct ltk_locust_series *ts, const char *path,
                              const struct ltk_rawlog_options *opt, struct ltk_error *err);

/* Loads the Locust JSON file at path into run (freshly initialised apart
 * from its label): the endpoint table with Locust's percentiles, the
 * Aggregated row, and a 1 s history of requests and failures per endpoint
 * (no percentiles: the file has none per second).  opt as above; NULL means
 * the locust method and the defaults. */
int ltk_locust_json_load(struct ltk_run *run, const char *path, const struct ltk_rawlog_options *opt,
                         struct ltk_error *err);

/* True when run was read from Locust's --json statistics
 * (this file): a raw_source whose table has Locust's percentiles
 * but whose history has no response times. */
bool ltk_run_from_locust_json(const struct ltk_run *run);

#endif

/* The criteria language of ltk check: one pass/fail rule per expression, in
 * the spirit of k6 thresholds and Taurus pass/fail criteria.
 *
 *   [ENDPOINT:] METRIC OP NUMBER[UNIT] [over DURATION | during PHASE]
 *
 *   p95<2s   p99<=3000ms   error_rate<1%   rps>=20   /query: p99<3s
 *   "GET /a:b": p95<1s   p95<1s over 60s   error_rate<5% during spike
 *   ok.p95<2s   status_5xx<1%   status_429==0   apdex>0.9   /query: apdex_2s>=0.8
 *   under_800ms>90%
 *   cpu<80%   cpu<70% over 5m   mem<85%   mem.max<2GB   connections<100
 *   queue_depth.max<100   net_tx<10MB/s   mem_growth<10MB/h  (need --metrics)
 *
 * docs/criteria.md is the reference.  Parsing never prints: a bad expression
 * comes back as LTK_EINVAL with err->column the 1-based column of the
 * offending character, for ltk_criteria_caret to point at. */
#ifndef LTK_CRITERIA_H
#define LTK_CRITERIA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ltk/base/error.h"
#include "ltk/analyze/profile.h"
#include "ltk/read/metrics.h"

enum ltk_metric {
    LTK_MET_PCT,         /* pNN: a percentile, ms */
    LTK_MET_MEAN,        /* mean or avg, ms */
    LTK_MET_MIN,         /* ms */
    LTK_MET_MAX,         /* ms */
    LTK_MET_MEDIAN,      /* Locust's Median Response Time column, ms */
    LTK_MET_ERROR_RATE,  /* failures / requests, in percent */
    LTK_MET_RPS,         /* requests per second */
    LTK_MET_REQUESTS,    /* count */
    LTK_MET_FAILURES,    /* count */
    LTK_MET_STATUS,      /* status_5xx, status_429: requests with the code or class / requests, percent */
    LTK_MET_APDEX,       /* apdex, apdex_2s: Apdex with T = --apdex-t or the one written, 0 to 1 */
    LTK_MET_UNDER,       /* under_800ms: requests that succeeded within the time / requests, percent */
    LTK_MET_RESOURCE,    /* cpu, mem, connections, queue_depth, net_rx, net_tx: from the metrics file */
    LTK_MET_MEM_GROWTH,  /* mem_growth: memory's least-squares slope at constant users, per hour */
};

/* Which statistic of a resource's samples a LTK_MET_RESOURCE criterion
 * compares: "cpu" the highest mean over 30 s (or over the window of
 * "over N"), "cpu.max" the highest sample, "cpu.mean" the mean of all. */
enum ltk_res_stat { LTK_RSTAT_SUSTAINED, LTK_RSTAT_MAX, LTK_RSTAT_MEAN };

enum ltk_cmp { LTK_CMP_LT, LTK_CMP_LE, LTK_CMP_GT, LTK_CMP_GE, LTK_CMP_EQ };

/* Maximum length of one expression, and of a criteria file's line list. */
#define LTK_CRITERION_MAX_LEN 1024
#define LTK_CRITERIA_MAX 1000

struct ltk_criterion {
    char *text;              /* the expression as written, trimmed */
    char *endpoint;          /* endpoint name, NULL for the Aggregated total */
    enum ltk_metric metric;
    double pct;              /* for LTK_MET_PCT: the percentile, in (0, 100] */
    bool ok;                 /* "ok." before a time metric: successful requests only */
    int status;              /* LTK_MET_STATUS: the code (429), or the class digit (5 for 5xx) */
    bool status_class;       /* LTK_MET_STATUS: status is a class */
    double at_ms;            /* LTK_MET_UNDER: the time; LTK_MET_APDEX: T, 0 for the tool's default */
    enum ltk_resource res;   /* LTK_MET_RESOURCE, LTK_MET_MEM_GROWTH: the column (mem: by the unit,
                              * MB/GB LTK_RES_MEM_MB, % LTK_RES_MEM_PCT) */
    enum ltk_res_stat rstat; /* LTK_MET_RESOURCE */
    char metric_name[24];    /* "p95", "p99.9", "mean", "error_rate" ... */
    enum ltk_cmp op;
    double limit;            /* in the metric's unit (ltk_criterion_unit): ms, percent, req/s, count,
                              * MB, B/s, MB/h */
    int64_t window_s;        /* "over N": window length in seconds, 0 when none */
    bool has_phase;          /* "during PHASE" */
    enum ltk_phase_kind phase;
};

/* Parses one expression.  On success *out owns copies of the text
 * (ltk_criterion_release).  Returns LTK_OK, LTK_EINVAL (err->column set,
 * err->msg says what was expected), LTK_ELIMIT or LTK_ENOMEM. */
int ltk_criterion_parse(const char *text, struct ltk_criterion *out, struct ltk_error *err);

void ltk_criterion_release(struct ltk_criterion *c);

/* Frees an array of n criteria and the array itself. */
void ltk_criteria_free(struct ltk_criterion *c, size_t n);

/* Reads a criteria file: one expression per line; blank lines and
 * everything from a '#' outside double quotes are ignored.  On a bad line
 * err names path, line and column, and the line (without its end) is copied
 * to badline (badsize bytes, may be 0) for the caret.  *out is malloc'd.
 * Returns LTK_OK, LTK_EINVAL, LTK_ELIMIT, LTK_EIO or LTK_ENOMEM. */
int ltk_criteria_read(FILE *fp, const char *path, struct ltk_criterion **out, size_t *n, char *badline,
                      size_t badsize, struct ltk_error *err);

/* Writes two lines into buf: "  TEXT" and a caret under 1-based column
 * (columns count code points; control characters are shown as '?'), without
 * a final newline. */
void ltk_criteria_caret(const char *text, long column, char *buf, size_t size);

/* True when value OP limit holds; false for NAN. */
bool ltk_cmp_holds(enum ltk_cmp op, double value, double limit);

/* "<", "<=", ">", ">=", "==". */
const char *ltk_cmp_text(enum ltk_cmp op);

/* The unit values of a metric are in: "ms", "%", "req/s" or "" (counts);
 * for the resource metrics the unit of their column (ltk_criterion_unit). */
const char *ltk_metric_unit(enum ltk_metric m);

/* The unit of c's value and limit: ltk_metric_unit, or for resources the
 * column's ("%", "MB", "", "B/s"), for mem_growth "MB/h" or "%/h". */
const char *ltk_criterion_unit(const struct ltk_criterion *c);

#endif

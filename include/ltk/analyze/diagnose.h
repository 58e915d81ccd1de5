/* Why did it break?  Findings about a load test, each with an id from a fixed
 * vocabulary, a confidence, the evidence behind it and a recommendation from
 * module M3.4's bottleneck playbook (Section 4) and Scaling Decision Matrix
 * (Section 5).
 *
 * Two sources of findings: the module's decision tree ("diagnose_bottleneck",
 * Section 4) applied to four numbers a person read off their monitoring
 * (ltk_diagnose_metrics), and a Locust run itself (ltk_diagnose_run: failure
 * classes and when they begin, trends, saturation, outliers, resource
 * samples).  A diagnosis is a list of findings; each source adds its own
 * with ltk_diagnosis_add and ltk_diagnose_add_evidence, then they are sorted
 * by confidence.
 *
 * The rules and recommendations are tables in lib/analyze/diagnose.c.  The library
 * never prints on its own or exits. */
#ifndef LTK_DIAGNOSE_H
#define LTK_DIAGNOSE_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ltk/analyze/pool.h"
#include "ltk/base/error.h"
#include "ltk/read/metrics.h"
#include "ltk/model/run.h"

/* The fixed vocabulary of finding ids (their JSON names in comments). */
enum ltk_diagnose_id {
    LTK_DIAG_RATE_LIMIT,      /* "rate_limit": an external API refuses (429) */
    LTK_DIAG_CONNECTION_POOL, /* "connection_pool": database pool exhausted */
    LTK_DIAG_CPU_BOUND,       /* "cpu_bound" */
    LTK_DIAG_MEMORY_BOUND,    /* "memory_bound" */
    LTK_DIAG_DEGRADATION,     /* "degradation": worse over time at steady load */
    LTK_DIAG_SATURATION,      /* "saturation": throughput plateaus as users rise */
    LTK_DIAG_OUTLIERS,        /* "outliers": high p99 with a normal p50 */
    LTK_DIAG_STRUGGLING,      /* "struggling": slow beyond the tail (the module's
                               * "Degrading" percentiles), or failing ltk check on latency */
    LTK_DIAG_SLOW_QUERIES,    /* "slow_queries": an endpoint slow already at the lowest load */
    LTK_DIAG_INCONSISTENT,    /* "inconsistent_latency": p95 far above p50 at steady load */
    LTK_DIAG_EXTERNAL_LATENCY,/* "external_latency": high latency despite low CPU */
    LTK_DIAG_LINEAR_LATENCY,  /* "linear_latency": latency grows in proportion to users */
    LTK_DIAG_APPROACHING,     /* "approaching_capacity": CPU sustained at 70-80 % (a warning) */
    LTK_DIAG_ERRORS_OTHER,    /* "errors_other": failures of another kind */
    LTK_DIAG_HEALTHY,         /* "healthy" */
    LTK_DIAG_UNKNOWN,         /* "unknown": errors, cause not identified */
    LTK_DIAG_NIDS
};

/* "rate_limit", ...; NULL for an id out of range. */
const char *ltk_diagnose_id_name(enum ltk_diagnose_id id);

/* The module's three bottleneck categories (Section 4); NONE for findings
 * that are a symptom whose category is not known yet (struggling, other or
 * unknown errors) or no problem at all (healthy). */
enum ltk_diagnose_category {
    LTK_CAT_NONE,
    LTK_CAT_APPLICATION,    /* "application_code" */
    LTK_CAT_EXTERNAL,       /* "external_service" */
    LTK_CAT_INFRASTRUCTURE, /* "infrastructure" */
};

/* "application_code", "external_service", "infrastructure"; NULL for
 * LTK_CAT_NONE or out of range. */
const char *ltk_diagnose_category_name(enum ltk_diagnose_category c);

/* What to do about a finding, from the module (static data).  cost and
 * complexity are the Scaling Decision Matrix columns, NULL where the module
 * gives none for this kind of problem. */
struct ltk_diagnose_recommendation {
    enum ltk_diagnose_category category;
    const char *title;      /* "external API rate limit" */
    const char *cause;      /* the likely cause */
    const char *fix;        /* what to do, most effective first */
    const char *cost;       /* "low-high", "medium", ... or NULL */
    const char *complexity; /* "medium", "low/high", ... or NULL */
    const char *source;     /* where in the module this comes from */
};

const struct ltk_diagnose_recommendation *ltk_diagnose_recommendation(enum ltk_diagnose_id id);

/* One fact behind a finding: a metric, its measured value (a number, or
 * text for the error type) and the rule it met. */
struct ltk_diagnose_evidence {
    char *metric; /* "cpu_pct", "mem_pct", "error_rate_pct", "error_type", ... */
    double value; /* the number; NAN when the evidence is text */
    char *text;   /* the text (untrusted, shown escaped); NULL for numbers */
    char *rule;   /* the condition met: "> 80", "contains \"429\"" */
};

struct ltk_diagnose_finding {
    enum ltk_diagnose_id id;
    double confidence; /* in [0, 1] */
    struct ltk_diagnose_evidence *evidence;
    size_t nevidence;
    const char *note;  /* static text: where ltk reads the inputs otherwise than the
                        * rule that decided (the tree's "connection" row on a refused
                        * connection); NULL when none */
};

struct ltk_diagnosis {
    struct ltk_diagnose_finding *findings;
    size_t nfindings, cap;
    char *run;          /* label of the run diagnosed; NULL for the tree alone */
    struct ltk_pool_plan *pool; /* the connection-pool plan, when asked for; owned */
};

void ltk_diagnosis_init(struct ltk_diagnosis *d);
void ltk_diagnosis_release(struct ltk_diagnosis *d);

/* Appends a finding with no evidence yet.  Returns it, or NULL on out of
 * memory or a confidence outside [0, 1].  The pointer is valid until the
 * next ltk_diagnosis_add or ltk_diagnosis_sort. */
struct ltk_diagnose_finding *ltk_diagnosis_add(struct ltk_diagnosis *d, enum ltk_diagnose_id id,
                                               double confidence);

/* Appends evidence to f (strings are copied; text and rule may be NULL).
 * Returns LTK_OK or LTK_ENOMEM. */
int ltk_diagnose_add_evidence(struct ltk_diagnose_finding *f, const char *metric, double value,
                              const char *text, const char *rule);

/* Orders findings by confidence, highest first; equal ones keep their order. */
void ltk_diagnosis_sort(struct ltk_diagnosis *d);

/* True when some finding is neither "healthy" nor the warning
 * "approaching_capacity" (the tools then exit 1). */
bool ltk_diagnosis_has_problem(const struct ltk_diagnosis *d);

/* ---- the module's decision tree ----------------------------------------- */

/* The four inputs of "diagnose_bottleneck". */
struct ltk_diagnose_metrics {
    double cpu_pct;        /* CPU use, 0-100 */
    double mem_pct;        /* memory use, 0-100 */
    double error_rate_pct; /* failed requests, 0-100 */
    const char *error_type;/* the most frequent error text; "" for none */
};

/* Checks the numbers are finite and within 0-100.  Returns LTK_OK or
 * LTK_EINVAL naming the metric. */
int ltk_diagnose_check_metrics(const struct ltk_diagnose_metrics *m, struct ltk_error *err);

/* The number the tree compares with for id: 80 (CPU % above) for
 * cpu_bound, 85 (memory % above) for memory_bound, 1 (error rate % below)
 * for healthy; NAN for the others.  Findings from a run use the same. */
double ltk_diagnose_tree_limit(enum ltk_diagnose_id id);

/* Applies the module's tree to m (the first rule that holds decides) and adds
 * its one finding, confidence 1, with the inputs that decided as evidence.
 * The tree is kept as the module wrote it: its "connection" row (any case)
 * also takes a refused, reset or dropped connection for pool exhaustion;
 * then the finding's note says that ltk_failure_classify calls the text a
 * connection failure, which a run's diagnosis counts under errors_other.
 * Returns LTK_OK, LTK_EINVAL (see ltk_diagnose_check_metrics) or
 * LTK_ENOMEM. */
int ltk_diagnose_metrics(struct ltk_diagnosis *d, const struct ltk_diagnose_metrics *m,
                         struct ltk_error *err);

/* ---- reading a run --------------------------------------------------------- */

/* What kind of failure an error text is, from Locust's failures.csv "Error"
 * column (or a raw log's exception). */
enum ltk_failure_class {
    LTK_FC_RATE_LIMIT,  /* 429, RateLimitError, "Too Many Requests", "rate limit" */
    LTK_FC_POOL,        /* QueuePool, "pool exhausted", "too many connections" (the
                         * server's database pool, not urllib3's HTTPConnectionPool) */
    LTK_FC_TIMEOUT,     /* "timeout", "timed out" */
    LTK_FC_CONNECTION,  /* connection refused, reset, aborted; remote disconnected */
    LTK_FC_5XX,         /* an HTTP 5xx status ("HTTP 503", "500 Server Error") */
    LTK_FC_4XX,         /* another HTTP 4xx status */
    LTK_FC_SLOW,        /* the locustfile failed it for taking too long ("too slow") */
    LTK_FC_OTHER,       /* none of these */
    LTK_FC_COUNT
};

/* "rate_limit", "pool", "timeout", "connection", "http_5xx", "http_4xx",
 * "too_slow", "other"; NULL out of range. */
const char *ltk_failure_class_name(enum ltk_failure_class c);

/* Classifies an error text (case-insensitive; the first class that matches
 * in the order of the enum, except that a rate limit is checked before all). */
enum ltk_failure_class ltk_failure_classify(const char *error);

struct ltk_diagnose_run_options {
    const struct ltk_metrics *metrics;  /* resource samples, or NULL */
    double cpu_pct, mem_pct;            /* one reading given by a person; NAN when not */
    int64_t skip_s;                     /* seconds of warm-up left out of onsets and trends */
    double pool_users;                  /* plan a connection pool for these users; 0 or NAN: not asked */
};

/* Diagnoses a run: adds its findings to d (and with opt->pool_users, the
 * pool plan measured on the run: d->pool) (with evidence a person can check
 * against the CSVs), a "healthy" finding when errors stay under 1 %, ltk
 * check's built-in latency criteria for the run's test type do not fail and
 * nothing of confidence 0.5 or more was found, then sorts d.  opt NULL means
 * no metrics and no readings.  The rules and confidences are in
 * docs/decide-and-diagnose.md.  Returns LTK_OK, LTK_EINVAL (the run has no
 * statistics at all) or LTK_ENOMEM. */
int ltk_diagnose_run(struct ltk_diagnosis *d, const struct ltk_run *run,
                     const struct ltk_diagnose_run_options *opt, struct ltk_error *err);

/* ---- output ---------------------------------------------------------------- */

/* The findings for a terminal, untrusted text escaped; m (may be NULL) is
 * echoed first.  Returns LTK_OK, LTK_EIO or LTK_ENOMEM. */
int ltk_diagnose_write_text(FILE *out, const struct ltk_diagnosis *d, const struct ltk_diagnose_metrics *m);

/* The ltk.diagnosis/1 document; m (may be NULL) becomes "inputs".  NULL on
 * out of memory. */
cJSON *ltk_diagnose_to_json(const struct ltk_diagnosis *d, const struct ltk_diagnose_metrics *m);

#endif

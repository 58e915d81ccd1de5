/* ltk check: did a run pass?  Built-in profiles per test type (the module's
 * "Success Criteria by Test Type" table, as data in lib/analyze/check.c), or the
 * caller's criteria; evaluation against stats.csv and stats_history.csv;
 * the verdict as a terminal table, JSON (schema "ltk.check/1") or JUnit XML.
 *
 * Whole-run values come from stats.csv (Locust's reported percentiles).
 * "over N" windows, "during PHASE" and the profiles' phase criteria come
 * from stats_history.csv (exact per-interval counts; Locust's ~10 s window
 * percentiles), see docs/criteria.md. */
#ifndef LTK_CHECK_H
#define LTK_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ltk/analyze/criteria.h"
#include "ltk/base/json.h"
#include "ltk/analyze/profile.h"
#include "ltk/model/run.h"
#include "ltk/read/metrics.h"

enum ltk_verdict {
    LTK_V_PASS,
    LTK_V_FAIL,
    LTK_V_NA,     /* could not be evaluated (the note says why); never a pass */
    LTK_V_INFO,   /* a finding, not pass/fail (stress: the breaking point) */
};

/* "pass", "FAIL", "miss", "n/a", "info". */
const char *ltk_verdict_name(enum ltk_verdict v);

struct ltk_check_result {
    char *expr;          /* the criterion as written ("p95<1s", "stable") */
    char *endpoint;      /* NULL for the Aggregated total (untrusted text) */
    char metric[24];     /* "p95", "error_rate", "stable", "breaking_point" ... */
    const char *op;      /* "<" ... or "" */
    const char *unit;    /* of value and limit: "ms", "%", "req/s", "users", "" */
    double value;        /* measured; NAN when unknown */
    double limit;        /* NAN when none */
    enum ltk_verdict verdict;
    char *source;        /* where the value comes from ("stats.csv", "history, 12 windows of 60 s") */
    char *note;          /* why n/a, or details; NULL when none */
    bool undecided;      /* n/a because the value is known only within an
                          * interval that straddles the limit (Apdex from
                          * Locust's CSV): a result, not an error */
};

struct ltk_check_opts {
    enum ltk_test_type type;               /* LTK_TT_UNKNOWN: detect */
    const struct ltk_criterion *criteria;  /* the caller's; NULL/0: the type's built-in profile */
    size_t ncriteria;
    int64_t skip_s;                        /* warm-up dropped from history-based values */
    double apdex_t_ms;                     /* T of "apdex" without one; 0: 500 ms */
    const struct ltk_metrics *metrics;     /* resource samples (--metrics); NULL: none, and the
                                            * resource criteria cannot be checked */
};

/* T of Apdex when neither the criterion nor --apdex-t gives one, ms. */
#define LTK_APDEX_T_DEFAULT_MS 500.0

struct ltk_check_report {
    char *run_label;
    enum ltk_test_type type;
    bool type_given;                       /* from opts, not detected */
    char type_reason[256];
    struct ltk_profile profile;            /* detected phases (empty without history) */
    bool builtin;                          /* built-in profile used */
    struct ltk_check_result *results;
    size_t nresults;
    size_t npass, nfail, nna, ninfo;
    bool passed;                           /* no FAIL */
    bool have_break;                       /* stress: a breaking point was looked for among levels */
    int64_t break_users;                   /* first level past 5 % errors; 0 when none */
    char *skip_note;                       /* set when skip_s > 0 */
};

/* Evaluates a run.  Criteria the caller wrote that cannot be evaluated
 * (unknown endpoint, a percentile column the run lacks, windows without
 * history) are errors (LTK_EINVAL, err says which); built-in ones become
 * n/a with a note.  Returns LTK_OK, LTK_EINVAL or LTK_ENOMEM. */
int ltk_check_run(const struct ltk_run *run, const struct ltk_check_opts *opts, struct ltk_check_report *out,
                  struct ltk_error *err);

void ltk_check_report_release(struct ltk_check_report *r);

/* The times a raw log should count successes at (ltk_rawlog_options.cuts)
 * for the Apdex and under_ criteria of opts to be exact: T and 4T of each
 * Apdex, the time of each under_; added to the sorted set cuts (n of cap).
 * Returns 0, or -1 when more than cap. */
int ltk_check_cuts(const struct ltk_check_opts *opts, double *cuts, size_t *n, size_t cap);

/* A check in which no criterion could be evaluated (every one n/a, none
 * judged, no finding) says nothing about the run, so it must not pass.
 * Returns LTK_OK when something was evaluated, else LTK_EINVAL with err
 * (file: the run) giving each reason and the criteria it stopped. */
int ltk_check_evaluated(const struct ltk_check_report *r, struct ltk_error *err);

/* The built-in criteria: the module's table, for --help and docs.  Returns
 * the static table and its size in *n. */
struct ltk_builtin_criterion {
    enum ltk_test_type type;
    const char *expr;       /* criteria-language text, or "stable", "recovered", "breaking_point" */
    const char *why;        /* where in the module it comes from */
};
const struct ltk_builtin_criterion *ltk_check_builtins(size_t *n);

/* The built-in profile's limit in ms for percentile pct (50, 95, 99) of the
 * whole run for type, from the table above; NAN when the profile has none. */
double ltk_check_builtin_pct_limit(enum ltk_test_type type, double pct);

/* The terminal table.  Untrusted text is escaped.  LTK_OK or LTK_EIO. */
int ltk_check_write_table(FILE *out, const struct ltk_check_report *r, bool color);

/* The "ltk.check/1" document.  NULL on out of memory. */
cJSON *ltk_check_to_json(const struct ltk_check_report *r);

/* JUnit XML: one testsuite, one testcase per criterion; a failed
 * criterion is a <failure> naming value and limit, an n/a one <skipped>.
 * All text is escaped for XML (invalid UTF-8 and control characters
 * replaced).  LTK_OK or LTK_EIO. */
int ltk_check_write_junit(FILE *out, const struct ltk_check_report *r);

#endif

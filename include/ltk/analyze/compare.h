/* Run-to-run comparison: is this run worse than the baseline?
 *
 * ltk_compare_build matches the endpoints of one or more baseline runs and a
 * current run by (method, name), and for each endpoint and the Aggregated
 * row puts requests, error rate, throughput and percentiles (p50/p95/p99
 * unless the options name others; any percentile a gate names; the mean when
 * gated) of both sides side by side with the change, absolute and relative.
 * When every run tells the successful requests apart (ltk_endpoint.ok_hist:
 * raw logs, ltk.summary/2), the same percentiles of the successful requests
 * alone follow ("ok.p95"), with ok.pNN and ok.mean gates; a gate on them is
 * refused when a run lacks them (Locust's CSV and JSON, ltk.summary/1).
 *
 * Is the change real?  That needs the distribution, which only raw data has
 * (a run whose endpoints carry a histogram: a raw request log today, a
 * summary file later).  Then, per row:
 *   - a Mann-Whitney U test of the two latency distributions (exact null
 *     distribution without ties and n1 + n2 <= LTK_MW_EXACT_MAX; otherwise
 *     the normal approximation with tie and continuity corrections);
 *   - percentile bootstrap intervals for the change of each percentile
 *     compared (resampling each histogram, a seeded GSL generator, so the
 *     same inputs give the same intervals);
 *   - Welch's t-test for the change of the mean, on the same bins;
 *   - Fisher's exact test for the error rate (it needs only the counts, so
 *     it is computed from stats.csv too).
 * All of it works on (value, count) bins (struct ltk_bins), whatever made
 * them.  With stats.csv on either side the latency change cannot be tested:
 * stats.csv holds a few fixed percentiles, not the distribution, and the
 * result says so; latency gates then act on the change alone.
 *
 * With several baseline runs the baseline is their distribution: a
 * metric's baseline is the mean over the runs, with their standard
 * deviation and range, and with three or more runs a 95 % prediction
 * interval for one more run (mean +- t(k-1) sd sqrt(1 + 1/k)); raw data of
 * the baselines is pooled for the tests.  docs/compare.md is the reference.
 *
 * Gates ("p95:10%,error_rate:0.5pp,rps:-5%") say how much worse a metric
 * may get; a row regresses when a gate is exceeded and the change is
 * significant (or when significance cannot be computed, exceeded alone,
 * with a note saying so).  Every gated within-run test (endpoints and the
 * total, times the gated metrics) is one of a family whose p-values are
 * Holm-adjusted together, so that the chance that any of them calls a
 * regression by chance stays below alpha/2 (each test is one-sided). */
#ifndef LTK_COMPARE_H
#define LTK_COMPARE_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ltk/base/error.h"
#include "ltk/model/hist.h"
#include "ltk/model/run.h"

/* ---- binned samples ------------------------------------------------------- */

/* A sample as distinct values with counts, values strictly ascending. */
struct ltk_bins {
    double *value;       /* n values, ms */
    uint64_t *count;     /* n counts, each >= 1 */
    size_t n;
    uint64_t total;      /* sum of count */
};

/* Bins of a histogram: for hdr the midpoint of each bucket clamped to the
 * histogram's [min, max] (values within 1/1024 of each other share a
 * bucket, and so count as tied), for locust the rounded time, for exact the
 * value.  out is overwritten (release it with ltk_bins_release).  Returns
 * LTK_OK or LTK_ENOMEM. */
int ltk_bins_from_hist(const struct ltk_hist *h, struct ltk_bins *out);

/* Bins of n raw values (any order).  Returns LTK_OK, LTK_EINVAL (a NAN) or
 * LTK_ENOMEM. */
int ltk_bins_from_values(const double *v, size_t n, struct ltk_bins *out);

/* Frees what b owns and empties it.  b may be NULL. */
void ltk_bins_release(struct ltk_bins *b);

/* The nearest-rank q-quantile (smallest value with F >= q) of bins; NAN
 * when empty or q outside [0, 1]. */
double ltk_bins_quantile(const struct ltk_bins *b, double q);

/* ---- Mann-Whitney U ----------------------------------------------------------- */

/* Up to this n1 + n2, a sample without ties gets the exact p-value. */
#define LTK_MW_EXACT_MAX 50

struct ltk_mw {
    uint64_t n1, n2;     /* sizes of a (baseline) and b (current) */
    double u;            /* U of b: pairs (x in a, y in b) with y > x, ties 1/2 */
    double prob_greater; /* u / (n1 n2): P(Y > X) + P(Y = X) / 2 */
    double z;            /* standardised U (continuity corrected); NAN when exact */
    double p;            /* two-sided p-value */
    bool exact;          /* p from the exact distribution (no ties, small) */
    bool ties;           /* some value occurs in both or twice */
};

/* Tests whether b's values tend to be larger or smaller than a's.  Returns
 * LTK_OK, LTK_EINVAL (an empty sample) or LTK_ENOMEM. */
int ltk_mann_whitney(const struct ltk_bins *a, const struct ltk_bins *b, struct ltk_mw *out);

/* P(U <= u) under the null for sizes n1, n2 without ties (n1 + n2 <=
 * LTK_MW_EXACT_MAX, else NAN).  For tests and tables. */
double ltk_mw_exact_cdf(unsigned n1, unsigned n2, double u);

/* ---- bootstrap ------------------------------------------------------------ */

struct ltk_boot_opts {
    unsigned resamples;  /* e.g. 2000 */
    unsigned long seed;  /* of GSL's mt19937 */
    double level;        /* of the interval, e.g. 0.95 */
};

#define LTK_BOOT_OPTS_DEFAULT { 2000, 1, 0.95 }

/* For each q[k], the change quantile(b) - quantile(a) (nearest rank) in
 * diff[k] and a percentile bootstrap interval [lo[k], hi[k]]: each side is
 * resampled with replacement (of its own size), the change recomputed, and
 * the interval is the (1 - level) / 2 and (1 + level) / 2 quantiles of the
 * resampled changes (linear interpolation between order statistics).  A
 * resample is never built: its order statistics are drawn directly (the
 * k-th smallest of n draws is the sample's inverse distribution function of
 * a Beta(k, n - k + 1) variate), which has exactly the distribution of
 * resampling the bins and costs O(log bins) per quantile, whatever the
 * sample's size.  The generator (GSL's mt19937) is seeded with opts->seed on
 * every call.  When p is not NULL, p[k] is the one-sided bootstrap p-value
 * of "b's quantile is not larger": (1 + the resampled changes <= 0) /
 * (1 + resamples), never 0, at least 1 / (1 + resamples).  Returns LTK_OK,
 * LTK_EINVAL (empty sample, bad options) or LTK_ENOMEM. */
int ltk_bootstrap_quantile_diff(const struct ltk_bins *a, const struct ltk_bins *b, const double *q, size_t nq,
                                const struct ltk_boot_opts *opts, double *diff, double *lo, double *hi, double *p);

/* ---- Holm's adjustment ------------------------------------------------------ */

/* Holm's step-down adjustment of n p-values for the familywise error rate:
 * with p sorted ascending, p'(k) = max over j <= k of min(1, (n - j + 1) p(j))
 * (1-based); adj[i] is the adjusted p[i] (adj may be p).  Rejecting where
 * adj < alpha keeps the chance of any false rejection below alpha, whatever
 * the dependence between the tests.  Returns LTK_OK, LTK_EINVAL (a p outside
 * [0, 1] or NAN) or LTK_ENOMEM. */
int ltk_holm_adjust(const double *p, size_t n, double *adj);

/* ---- Fisher's exact test --------------------------------------------------------- */

/* One-sided p-value that b's failure rate exceeds a's: P(X >= f2) for the
 * failures X of b given both margins (hypergeometric).  1 when nothing
 * failed; NAN when a count is beyond 2^32 - 1 or requests are 0. */
double ltk_fisher_greater(uint64_t req1, uint64_t fail1, uint64_t req2, uint64_t fail2);

/* ---- gates ------------------------------------------------------------------ */

/* What a row compares: counts, rates, the mean and any percentile. */
enum ltk_cmp_kind {
    LTK_CMK_REQUESTS,
    LTK_CMK_ERROR_RATE,  /* percent */
    LTK_CMK_RPS,
    LTK_CMK_PCT,         /* a percentile, ms */
    LTK_CMK_MEAN,        /* the mean response time, ms */
};

struct ltk_cmp_metric {
    enum ltk_cmp_kind kind;
    double q;            /* LTK_CMK_PCT: the fraction (0.999 for p99.9); else 0 */
    bool ok;             /* LTK_CMK_PCT or LTK_CMK_MEAN of the successful requests
                          * only (ltk_endpoint.ok_hist); name "ok.p95", "ok.mean" */
    char name[20];       /* "requests", "error_rate", "rps", "mean", "p95", "p99.9",
                          * "ok.p95", "ok.mean" */
};

/* The metric named s[0..len): requests, error_rate, rps, mean or "p" and a
 * percent in (0, 100] ("p95", "p99.9", "p100"), or "ok." and a percentile or
 * mean ("ok.p95", "ok.mean": the successful requests only); q is the double
 * nearest percent / 100, as --percentiles reads it.  Returns false for any
 * other text (a percent with an exponent, a sign or more than 12 characters
 * included). */
bool ltk_cmp_metric_parse(const char *s, size_t len, struct ltk_cmp_metric *out);

/* True when a and b are the same metric (percentiles within 1e-9; ok.p95
 * and p95 differ). */
bool ltk_cmp_metric_same(const struct ltk_cmp_metric *a, const struct ltk_cmp_metric *b);

/* A latency metric (a percentile or the mean): ms and s are its units. */
bool ltk_cmp_metric_is_latency(const struct ltk_cmp_metric *m);

enum ltk_gate_unit {
    LTK_GATE_PCT,        /* relative to the baseline, percent */
    LTK_GATE_PP,         /* percentage points (error rate) */
    LTK_GATE_MS,         /* absolute, ms (latency) */
};

struct ltk_gate {
    struct ltk_cmp_metric metric;
    double limit;        /* >= 0: how far it may get worse, in unit (0: not at all) */
    enum ltk_gate_unit unit;
    char text[64];       /* normalised: "p95:+10%", "rps:-5%", "error_rate:+0.5pp" */
};

/* The gates used when none are given: p95 +10 % and error rate +0.5 pp. */
#define LTK_GATES_DEFAULT "p95:+10%,error_rate:+0.5pp"

/* Parses a gate list:
 *   GATES := GATE { "," GATE }      GATE := METRIC ":" [+|-] NUMBER UNIT
 *   NUMBER := digits with an optional fraction and exponent ("10", "0.5", "1e-05")
 *   METRIC := error_rate | rps | mean | "p" PERCENT  (p95, p99.9, p75, p100)
 *           | "ok." ( mean | "p" PERCENT )        (successful requests only)
 *   UNIT := % (relative) | pp (error_rate only) | ms | s (latency only)
 * (see ltk_cmp_metric_parse).  Whether the inputs hold the percentile is
 * ltk_compare_build's question: the parser knows no input.
 * The limit is how far the metric may move in its worse direction (up for
 * latency and errors, down for rps); a sign, when written, must be that
 * direction.  Spaces around items are allowed; a metric may appear once.
 * "none" alone is no gate at all (*n is 0).
 * *out is malloc'd (free()).  Returns LTK_OK, LTK_EINVAL (err->column is
 * the 1-based column of the offending character, for ltk_criteria_caret)
 * or LTK_ENOMEM. */
int ltk_gates_parse(const char *text, struct ltk_gate **out, size_t *n, struct ltk_error *err);

/* ---- the comparison ------------------------------------------------------------ */

enum ltk_presence { LTK_PRESENT_BOTH, LTK_PRESENT_ADDED, LTK_PRESENT_REMOVED };

enum ltk_sig {
    LTK_SIG_NA,          /* cannot be computed (no test for it) */
    LTK_SIG_NO,
    LTK_SIG_YES,         /* significant in the worse direction */
};

struct ltk_compare_value {
    double base;         /* mean over the baseline runs that have it; NAN unknown */
    double base_sd;      /* sample sd over them; NAN with fewer than 2 */
    double base_min, base_max;
    size_t base_runs;    /* baseline runs with a value */
    double pi_lo, pi_hi; /* 95 % prediction interval (>= 3 runs), else NAN */
    double cur;
    double delta;        /* cur - base (percentage points for the error rate) */
    double delta_pct;    /* 100 delta / base; NAN when base is 0 or unknown */
    /* is it real? */
    enum ltk_sig sig;
    const char *test;    /* static: "bootstrap", "fisher", "prediction interval", NULL */
    double p;            /* one-sided p of the within-run test (Fisher's, or the
                          * bootstrap's for p50/p95/p99); NAN when none */
    double p_adj;        /* p after Holm's adjustment over the family of gated
                          * tests (ltk_compare.nfamily); NAN when not in it */
    double ci_lo, ci_hi; /* bootstrap interval of the change; NAN otherwise */
    bool outside_pi;     /* beyond the prediction interval on the worse side */
    /* the gate */
    const struct ltk_gate *gate; /* NULL when the metric has none */
    bool exceeded;       /* the change is beyond the gate */
    bool within_rounding;/* beyond the gate, but not beyond Locust's rounding step */
    bool regression;     /* exceeded and (significant or untestable) */
};

struct ltk_compare_row {
    char *type, *name;   /* copies; type "" and name "Aggregated" for the total */
    bool is_total;
    enum ltk_presence presence;
    size_t base_runs;    /* baseline runs that have the endpoint */
    struct ltk_compare_value *v; /* one per ltk_compare.metrics */
    bool tested;         /* raw data on both sides: mw and bootstrap are set */
    bool ok_tested;      /* the ok.* metrics' bootstrap and Welch test were run
                          * (ltk_compare.ok, successes on both sides) */
    struct ltk_mw mw;
    bool regression;
};

struct ltk_compare_opts {
    const struct ltk_gate *gates;
    size_t ngates;
    struct ltk_boot_opts boot;
    double alpha;        /* two-sided significance level, e.g. 0.05 */
    /* the percentiles every row shows (fractions, with labels such as
     * "99.9"); npct 0: p50, p95 and p99.  A gated percentile not among them
     * is shown after them, and the mean when it is gated. */
    const double *pct;
    const char *const *pct_label;
    size_t npct;
};

struct ltk_compare {
    struct ltk_cmp_metric *metrics;/* what each row compares: requests, error_rate, rps,
                                    * the percentiles, then mean when gated; with ok,
                                    * last, ok. of the shown percentiles, ok. gated
                                    * percentiles beyond them, ok.mean when gated */
    size_t nmetrics;
    struct ltk_compare_row *rows;  /* endpoints sorted by (name, type), then the total */
    size_t nrows;
    size_t nbase;
    bool raw;                      /* every input has raw data: latency is tested */
    bool ok;                       /* every input tells the successful requests apart
                                    * (ltk_cmp_run_has_ok): the ok.* metrics follow
                                    * the others, tested the same way */
    enum ltk_hist_method method;   /* of the raw data (when raw) */
    struct ltk_compare_opts opts;  /* gates point into the caller's array */
    size_t nregressions;           /* (row, metric) pairs that regress */
    size_t nexceeded;              /* gates exceeded, significant or not */
    size_t nfamily;                /* gated within-run tests, Holm-adjusted together */
    char **notes;                  /* what the reader must know (malloc'd) */
    size_t nnotes;
};

/* Compares current with nbase (>= 1) baselines.  Runs whose endpoints carry
 * histograms (ltk_endpoint.hist) must all use the same method.  A run
 * without histograms (Locust's stats.csv) holds a fixed set of percentile
 * columns: a gate on a percentile one of the runs lacks is refused (naming
 * the run and the percentiles it has); a shown percentile it lacks is n/a,
 * with a note.  A gate on ok.* when a run does not tell the successful
 * requests apart is refused the same way (naming the run and why).  out
 * must be released with ltk_compare_release, also after failure.  Returns
 * LTK_OK, LTK_EINVAL (no baseline, mixed histogram methods, a gated
 * percentile or ok.* metric not in an input) or LTK_ENOMEM. */
int ltk_compare_build(const struct ltk_run *const *base, size_t nbase, const struct ltk_run *cur,
                      const struct ltk_compare_opts *opts, struct ltk_compare *out, struct ltk_error *err);

/* The index in c->metrics of the metric named name ("p95", "mean"), or
 * SIZE_MAX when c does not compare it. */
size_t ltk_compare_metric_index(const struct ltk_compare *c, const char *name);

/* True when every row of r (endpoints and total) has its distribution
 * (ltk_endpoint.hist): latency can be tested. */
bool ltk_cmp_run_has_raw(const struct ltk_run *r);

/* True when every row of r has the distribution of its successful requests
 * (ltk_endpoint.ok_hist: raw logs, ltk.summary/2): ok.* can be compared. */
bool ltk_cmp_run_has_ok(const struct ltk_run *r);

/* Where r's table came from, for the reader ("stats.csv", "raw request log"). */
const char *ltk_cmp_source_text(const struct ltk_run *r);

void ltk_compare_release(struct ltk_compare *c);

#endif

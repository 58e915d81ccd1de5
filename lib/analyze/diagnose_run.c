/* Findings from a run itself: failure classes and their onset, trends,
 * saturation, outliers and resource samples (see ltk/analyze/diagnose.h).  The
 * confidence rules are documented in docs/decide-and-diagnose.md; their
 * numbers are the constants below. */
#include "ltk/analyze/diagnose.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gsl/gsl_fit.h>

#include "ltk/analyze/capacity.h"
#include "ltk/analyze/check.h"
#include "ltk/model/series.h"
#include "ltk/analyze/trend.h"
#include "ltk/base/num.h"
#include "base/strutil.h"

/* The module's thresholds come from where they are kept: the decision
 * tree (lib/analyze/diagnose.c: CPU 80 %, memory 85 %, errors 1 %) and the load
 * profile of the success-criteria table (lib/analyze/check.c: p50 1 s, p99 3 s). */
#define HEALTHY_ERROR_PCT ltk_diagnose_tree_limit(LTK_DIAG_HEALTHY)
#define NORMAL_P50_MS ltk_check_builtin_pct_limit(LTK_TT_LOAD, 50)
#define HIGH_P99_MS ltk_check_builtin_pct_limit(LTK_TT_LOAD, 99)
/* ltk's own choices */
#define OUTLIER_RATIO 5.0       /* p99 at least this many times p50 */
#define SUSTAINED_S LTK_METRICS_SUSTAINED_S /* a resource above its limit this long */
#define ONSET_WINDOW_S 10       /* errors begin: >= 2 failures and >= 1 % in 10 s */
#define COMPARE_S 30            /* before/after the onset */
#define APPROACHING_CPU_PCT 70.0 /* the module's "approaching capacity (70% CPU sustained)" */
#define LOW_CPU_PCT 50.0        /* "low CPU": under half a core's worth of the 80 % limit's headroom */
#define SLOW_QUERY_MS 1000.0    /* the module logs queries over 1 s as slow */
#define SLOW_MIN_TICKS 5        /* history ticks at the lowest load needed to judge */
#define INCONSISTENT_RATIO 3.0  /* p95 at least this many times p50 */
#define INCONSISTENT_MIN_MS 100.0 /* ... for an endpoint whose p50 is at least this */
#define INCONSISTENT_MIN_REQ 100  /* ... and has this many requests */
#define STEADY_SPREAD 0.1       /* users within 10 % of their highest ... */
#define STEADY_SHARE 0.8        /* ... for 80 % of the ticks: a steady load */
#define LINEAR_R2 0.9           /* latency against users: a straight line fits this well */
#define LINEAR_GROWTH 1.5       /* ... and latency grew at least this much */

const char *ltk_failure_class_name(enum ltk_failure_class c)
{
    static const char *const names[LTK_FC_COUNT] = {
        "rate_limit", "pool", "timeout", "connection", "http_5xx", "http_4xx", "too_slow", "other",
    };
    return (unsigned)c < LTK_FC_COUNT ? names[c] : NULL;
}

static bool has(const char *hay, const char *needle)
{
    return ltk_contains_nocase(hay, needle);
}

/* The HTTP status in an error text: "HTTP 503", "503 Server Error",
 * "status 429", "status_code=500"; 0 when none. */
static int http_status(const char *s)
{
    for (const char *p = s; *p; p++) {
        if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]) || !isdigit((unsigned char)p[2]) ||
            isdigit((unsigned char)p[3]) || (p > s && isalnum((unsigned char)p[-1])))
            continue;
        int code = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
        if (code < 400 || code > 599)
            continue;
        const char *after = p + 3;
        size_t before = (size_t)(p - s);
        if (strncasecmp(after, " Server Error", 13) == 0 || strncasecmp(after, " Client Error", 13) == 0 ||
            (before >= 5 && strncasecmp(p - 5, "HTTP ", 5) == 0) ||
            (before >= 7 && strncasecmp(p - 7, "status ", 7) == 0) ||
            (before >= 12 && strncasecmp(p - 12, "status_code=", 12) == 0))
            return code;
    }
    return 0;
}

enum ltk_failure_class ltk_failure_classify(const char *error)
{
    if (!error)
        return LTK_FC_OTHER;
    int code = http_status(error);
    if (code == 429 || has(error, "RateLimit") || has(error, "rate limit") || has(error, "Too Many Requests"))
        return LTK_FC_RATE_LIMIT;
    /* the server's database pool; urllib3's HTTPConnectionPool is the client's */
    if (has(error, "QueuePool") || has(error, "pool exhausted") || has(error, "pool limit") ||
        has(error, "pool timeout") || has(error, "too many connections") ||
        has(error, "remaining connection slots"))
        return LTK_FC_POOL;
    if (has(error, "too slow") || has(error, "took too long") || has(error, "took longer"))
        return LTK_FC_SLOW;
    if (has(error, "timeout") || has(error, "timed out"))
        return LTK_FC_TIMEOUT;
    if (has(error, "ConnectionRefused") || has(error, "Connection refused") || has(error, "ConnectionReset") ||
        has(error, "Connection reset") || has(error, "RemoteDisconnected") || has(error, "Connection aborted") ||
        has(error, "Broken pipe"))
        return LTK_FC_CONNECTION;
    if (code >= 500)
        return LTK_FC_5XX;
    if (code >= 400)
        return LTK_FC_4XX;
    return LTK_FC_OTHER;
}

/* Failures of the run by class. */
struct classes {
    uint64_t occ[LTK_FC_COUNT];
    const char *example[LTK_FC_COUNT];   /* the most frequent text of the class */
    uint64_t example_occ[LTK_FC_COUNT];
    char endpoints[LTK_FC_COUNT][160];   /* names affected, comma separated, cut */
    uint64_t total;
};

static void add_endpoint(char *list, size_t size, const char *name)
{
    size_t len = strlen(list);
    if (strstr(list, name) || len + 8 >= size)
        return;
    snprintf(list + len, size - len, "%s%s", len ? ", " : "", name);
    if (strlen(list) + 4 >= size)  /* cut: say so */
        snprintf(list + size - 5, 5, "...");
}

static void classify_failures(const struct ltk_run *run, struct classes *c)
{
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < run->nfailures; i++) {
        const struct ltk_failure *f = &run->failures[i];
        enum ltk_failure_class k = ltk_failure_classify(f->error);
        c->occ[k] += f->occurrences;
        c->total += f->occurrences;
        if (f->occurrences > c->example_occ[k]) {
            c->example[k] = f->error;
            c->example_occ[k] = f->occurrences;
        }
        add_endpoint(c->endpoints[k], sizeof c->endpoints[k], f->name ? f->name : "");
    }
}

/* When errors begin, and what the run looked like around it. */
struct onset {
    bool found;
    int64_t at;                 /* seconds since the first tick */
    int64_t users, users_after; /* at the onset, and the most after it */
    double ok_rps_before;       /* successful requests/s in the 10 s before */
    double ok_rps_after;        /* ... from the onset to the end */
    double p50_before, p50_after, p95_before, p95_after;  /* medians of windowed values; NAN */
};

/* Median of p50 (which 0) or p95 (1) over ticks with lo <= ts < hi. */
static double window_median(const struct ltk_series *s, int64_t lo, int64_t hi, int which, double *buf)
{
    if (s->kind != LTK_HPCT_WINDOW)
        return NAN;
    size_t n = 0;
    for (size_t i = 0; i < s->n; i++) {
        double v = which ? s->t[i].p95 : s->t[i].p50;
        if (s->t[i].ts >= lo && s->t[i].ts < hi && !isnan(v))
            buf[n++] = v;
    }
    return ltk_median_sort(buf, n);
}

static double ok_rate(const struct ltk_series *s, int64_t lo, int64_t hi)
{
    uint64_t ok = 0;
    int64_t first = -1, last = -1;
    for (size_t i = 0; i < s->n; i++) {
        if (s->t[i].ts <= lo || s->t[i].ts > hi)
            continue;
        ok += s->t[i].d_requests - (s->t[i].d_failures < s->t[i].d_requests ? s->t[i].d_failures : s->t[i].d_requests);
        if (first < 0)
            first = i ? s->t[i - 1].ts : s->t[i].ts;
        last = s->t[i].ts;
    }
    return last > first && first >= 0 ? (double)ok / (double)(last - first) : NAN;
}

static int find_onset(const struct ltk_series *s, int64_t skip_to, struct onset *o)
{
    memset(o, 0, sizeof *o);
    double *buf = malloc((s->n ? s->n : 1) * sizeof *buf);
    if (!buf)
        return LTK_ENOMEM;
    for (size_t i = 0; i < s->n && !o->found; i++) {
        if (s->t[i].ts < skip_to || !s->t[i].d_failures)
            continue;
        uint64_t req = 0, fail = 0;
        for (size_t j = i; j < s->n && s->t[j].ts < s->t[i].ts + ONSET_WINDOW_S; j++) {
            req += s->t[j].d_requests;
            fail += s->t[j].d_failures;
        }
        if (fail < 2 || (double)fail < 0.01 * (double)req)
            continue;
        int64_t t = s->t[i].ts;
        o->found = true;
        o->at = t - s->t[0].ts;
        o->users = s->t[i].users;
        for (size_t j = i; j < s->n; j++)
            if (s->t[j].users > o->users_after)
                o->users_after = s->t[j].users;
        o->ok_rps_before = ok_rate(s, t - ONSET_WINDOW_S - 1, t - 1);
        o->ok_rps_after = ok_rate(s, t - 1, s->t[s->n - 1].ts);
        o->p50_before = window_median(s, t - COMPARE_S, t, 0, buf);
        o->p95_before = window_median(s, t - COMPARE_S, t, 1, buf);
        /* Locust's window needs 10 s to fill with the new regime */
        o->p50_after = window_median(s, t + 10, t + 10 + COMPARE_S, 0, buf);
        o->p95_after = window_median(s, t + 10, t + 10 + COMPARE_S, 1, buf);
    }
    free(buf);
    return LTK_OK;
}

/* Evidence helpers: each returns LTK_OK or LTK_ENOMEM. */
static int ev_num(struct ltk_diagnose_finding *f, const char *metric, double v, const char *rule)
{
    return ltk_diagnose_add_evidence(f, metric, v, NULL, rule);
}

static int ev_text(struct ltk_diagnose_finding *f, const char *metric, const char *text, const char *rule)
{
    return ltk_diagnose_add_evidence(f, metric, NAN, text ? text : "", rule);
}

static int ev_onset(struct ltk_diagnose_finding *f, const struct onset *o)
{
    if (!o->found)
        return LTK_OK;
    int rc = ev_num(f, "onset_s", (double)o->at, "first 10 s with 2 or more failures and 1 % or more");
    rc = rc ? rc : ev_num(f, "onset_users", (double)o->users, NULL);
    rc = rc ? rc : ev_num(f, "ok_rps_before_onset", round(100 * o->ok_rps_before) / 100, NULL);
    rc = rc ? rc : ev_num(f, "ok_rps_after_onset", round(100 * o->ok_rps_after) / 100, NULL);
    if (!isnan(o->p50_before) && !isnan(o->p50_after)) {
        rc = rc ? rc : ev_num(f, "p50_before_onset_ms", o->p50_before, NULL);
        rc = rc ? rc : ev_num(f, "p50_after_onset_ms", o->p50_after, NULL);
        rc = rc ? rc : ev_num(f, "p95_before_onset_ms", o->p95_before, NULL);
        rc = rc ? rc : ev_num(f, "p95_after_onset_ms", o->p95_after, NULL);
    }
    return rc;
}

static double pct_of(uint64_t part, uint64_t whole)
{
    return whole ? round(10000.0 * (double)part / (double)whole) / 100 : NAN;
}

/* A confidence: in [0, 0.99], two decimals (the rules are not finer). */
static double clamp01(double v)
{
    v = round(100 * v) / 100;
    return v < 0 ? 0 : v > 0.99 ? 0.99 : v;
}

/* A class of failures with its share, example text and endpoints. */
static int class_finding(struct ltk_diagnosis *d, enum ltk_diagnose_id id, double conf, const struct classes *c,
                         enum ltk_failure_class k, uint64_t requests, const struct onset *o, const char *rule)
{
    struct ltk_diagnose_finding *f = ltk_diagnosis_add(d, id, clamp01(conf));
    if (!f)
        return LTK_ENOMEM;
    char name[64];
    snprintf(name, sizeof name, "%s_failures", ltk_failure_class_name(k));
    int rc = ev_num(f, name, (double)c->occ[k], NULL);
    rc = rc ? rc : ev_num(f, "share_of_failures_pct", pct_of(c->occ[k], c->total), NULL);
    rc = rc ? rc : ev_num(f, "share_of_requests_pct", pct_of(c->occ[k], requests), NULL);
    rc = rc ? rc : ev_text(f, "error_text", c->example[k], rule);
    rc = rc ? rc : ev_text(f, "endpoints", c->endpoints[k], NULL);
    return rc ? rc : ev_onset(f, o);
}

/* Where n codes came from (read of them read from a column), for the
 * evidence's rule. */
static const char *codes_rule(uint64_t read, uint64_t n)
{
    return read == n ? "HTTP status codes read from the log"
           : read    ? "HTTP status codes, read and inferred from failure texts"
                     : "HTTP status codes inferred from failure texts";
}

/* Requests of the total with a code of class (by_class) or the code, and
 * how many of them were read. */
static uint64_t total_codes(const struct ltk_run *run, int code, bool by_class, uint64_t *read)
{
    uint64_t n = 0;
    *read = 0;
    for (size_t k = 0; run->has_total && k < run->total.status.n; k++) {
        const struct ltk_status_count *v = &run->total.status.v[k];
        if (by_class ? (int)ltk_status_class_of(v->code) == code : v->code == code) {
            n += v->read + v->inferred;
            *read += v->read;
        }
    }
    return n;
}

/* Rate limit: 429 texts; the pattern (a ceiling on successful throughput
 * while users keep rising, p50 flat) adds confidence. */
static int rate_limit(struct ltk_diagnosis *d, const struct classes *cls, uint64_t requests, const struct onset *o,
                      const struct ltk_run *run)
{
    /* the codes, where the input has them: 429s whatever their texts say */
    uint64_t read429;
    uint64_t n429 = total_codes(run, 429, false, &read429);
    struct classes own;
    const struct classes *c = cls;
    if (!c->occ[LTK_FC_RATE_LIMIT] && read429) {
        /* no text says so, the status column does */
        own = *cls;
        /* 429s are failures, already in the total (under the class of their text) */
        own.occ[LTK_FC_RATE_LIMIT] = read429 < own.total ? read429 : own.total;
        if (!own.total)
            own.occ[LTK_FC_RATE_LIMIT] = own.total = read429;
        own.example[LTK_FC_RATE_LIMIT] = "HTTP 429 (from the status codes)";
        for (size_t i = 0; i < run->nendpoints; i++)
            if (ltk_status_count_of(&run->endpoints[i].status, 429, false))
                add_endpoint(own.endpoints[LTK_FC_RATE_LIMIT], sizeof own.endpoints[LTK_FC_RATE_LIMIT],
                             run->endpoints[i].name);
        c = &own;
    }
    if (!c->occ[LTK_FC_RATE_LIMIT])
        return LTK_OK;
    double share = (double)c->occ[LTK_FC_RATE_LIMIT] / (double)c->total;
    bool ceiling = o->found && o->users_after >= 1.2 * (double)o->users && o->ok_rps_after <= 1.2 * o->ok_rps_before;
    bool flat = o->found && !isnan(o->p50_after) && o->p50_after <= 1.5 * o->p50_before;
    double conf = 0.6 + 0.2 * share + (ceiling ? 0.1 : 0) + (flat ? 0.05 : 0);
    int rc = class_finding(d, LTK_DIAG_RATE_LIMIT, conf, c, LTK_FC_RATE_LIMIT, requests, o,
                           "429 / RateLimitError / Too Many Requests");
    struct ltk_diagnose_finding *f = rc ? NULL : &d->findings[d->nfindings - 1];
    if (rc == LTK_OK && n429) {
        rc = ev_num(f, "status_429", (double)n429, codes_rule(read429, n429));
        rc = rc ? rc : ev_num(f, "status_429_pct", pct_of(n429, requests), NULL);
    }
    if (rc == LTK_OK && ceiling)
        rc = ev_text(f, "pattern", "successful requests/s stop growing at the onset while users keep rising", NULL);
    if (rc == LTK_OK && flat)
        rc = ev_text(f, "pattern", "p50 stays within 1.5x of its value before the errors (refusals are fast)",
                     NULL);
    return rc;
}

/* Pool exhaustion: pool texts; errors and a latency jump together add
 * confidence. */
static int connection_pool(struct ltk_diagnosis *d, const struct classes *c, uint64_t requests,
                           const struct onset *o)
{
    if (!c->occ[LTK_FC_POOL])
        return LTK_OK;
    double share = (double)c->occ[LTK_FC_POOL] / (double)c->total;
    bool jump = o->found && ((!isnan(o->p95_after) && o->p95_after >= 1.3 * o->p95_before) ||
                             (!isnan(o->p50_after) && o->p50_after >= 1.3 * o->p50_before));
    double conf = 0.6 + 0.25 * share + (jump ? 0.1 : 0);
    int rc = class_finding(d, LTK_DIAG_CONNECTION_POOL, conf, c, LTK_FC_POOL, requests, o,
                           "QueuePool / pool exhausted / too many connections");
    if (rc == LTK_OK && jump)
        rc = ev_text(&d->findings[d->nfindings - 1], "pattern",
                     "p50 or p95 jumps by 30 % or more as the errors begin: requests wait for a connection", NULL);
    return rc;
}

/* Everything else with a recognisable class; texts nothing recognises are
 * "unknown". */

/* A refused or reset connection is not the database pool (whose texts are
 * LTK_FC_POOL's), though the module's flag-mode tree, matching "connection",
 * says so (see ltk_diagnose_metrics). */
static const char connection_rule[] =
    "refused / reset / closed: nothing listened on the port, or the server or a proxy dropped the "
    "connection (the module's Infrastructure symptom \"connection refused\"); not the database pool, "
    "whose errors name QueuePool";

static int other_errors(struct ltk_diagnosis *d, const struct classes *c, uint64_t requests, const struct onset *o,
                        const struct ltk_run *run)
{
    static const enum ltk_failure_class kinds[] = { LTK_FC_5XX, LTK_FC_TIMEOUT, LTK_FC_CONNECTION, LTK_FC_4XX,
                                                    LTK_FC_SLOW };
    uint64_t occ = 0;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        occ += c->occ[kinds[i]];
    int rc = LTK_OK;
    if (occ) {
        double rate = requests ? (double)occ / (double)requests : 0;
        struct ltk_diagnose_finding *f =
            ltk_diagnosis_add(d, LTK_DIAG_ERRORS_OTHER, clamp01(0.3 + 0.3 * fmin(1, rate / 0.05)));
        if (!f)
            return LTK_ENOMEM;
        rc = ev_num(f, "share_of_requests_pct", pct_of(occ, requests), NULL);
        for (size_t i = 0; rc == LTK_OK && i < sizeof kinds / sizeof kinds[0]; i++) {
            enum ltk_failure_class k = kinds[i];
            if (!c->occ[k])
                continue;
            char name[64];
            snprintf(name, sizeof name, "%s_failures", ltk_failure_class_name(k));
            rc = ev_num(f, name, (double)c->occ[k], NULL);
            rc = rc ? rc : ev_text(f, "error_text", c->example[k], k == LTK_FC_CONNECTION ? connection_rule : NULL);
            rc = rc ? rc : ev_text(f, "endpoints", c->endpoints[k], NULL);
        }
        /* the codes, where the input has them: 5xx and no response (0) */
        uint64_t read5, read0;
        uint64_t n5 = total_codes(run, LTK_SC_5XX, true, &read5), n0 = total_codes(run, 0, false, &read0);
        if (rc == LTK_OK && n5)
            rc = ev_num(f, "status_5xx", (double)n5, codes_rule(read5, n5));
        if (rc == LTK_OK && n0)
            rc = ev_num(f, "no_http_response", (double)n0, "status code 0: a timeout or a refused connection");
        rc = rc ? rc : ev_onset(f, o);
    }
    if (rc == LTK_OK && c->occ[LTK_FC_OTHER]) {
        double rate = requests ? (double)c->occ[LTK_FC_OTHER] / (double)requests : 0;
        rc = class_finding(d, LTK_DIAG_UNKNOWN, 0.3 + 0.3 * fmin(1, rate / 0.05), c, LTK_FC_OTHER, requests, o,
                           "no known pattern");
    }
    return rc;
}

/* Latency and memory worse over time at constant users (ltk trend). */
static int degradation(struct ltk_diagnosis *d, const struct ltk_run *run, const struct ltk_metrics *mx,
                       int64_t skip_s, double *mem_growth)
{
    *mem_growth = NAN;
    struct ltk_trend_options o;
    ltk_trend_options_init(&o);
    o.skip_s = skip_s;
    o.endpoints = false;
    struct ltk_trend_result t;
    struct ltk_error ignored;
    int rc = ltk_trend_analyse(run, mx, &o, &t, &ignored);
    if (rc) {
        ltk_trend_release(&t);
        return rc == LTK_ENOMEM ? rc : LTK_OK;  /* no history: nothing to say here */
    }
    const struct ltk_trend_metric *p95 = ltk_trend_find(&t, "p95"), *p50 = ltk_trend_find(&t, "p50"),
                                  *rps = ltk_trend_find(&t, "rps"), *mem = ltk_trend_find(&t, "mem_mb");
    if (!mem || mem->verdict == LTK_TREND_UNKNOWN)
        mem = ltk_trend_find(&t, "mem_pct");
    if (mem && mem->verdict == LTK_TREND_DEGRADING)
        *mem_growth = mem->st.slope;
    const struct ltk_trend_metric *lat = p95 && p95->verdict == LTK_TREND_DEGRADING   ? p95
                                         : p50 && p50->verdict == LTK_TREND_DEGRADING ? p50
                                                                                      : NULL;
    if (lat) {
        bool strong = lat->st.p_value < 0.001;
        bool falls = rps && rps->verdict == LTK_TREND_DEGRADING;
        double conf = 0.6 + (strong ? 0.15 : 0) + (falls ? 0.1 : 0) + (t.leak.signature ? 0.1 : 0);
        struct ltk_diagnose_finding *f = ltk_diagnosis_add(d, LTK_DIAG_DEGRADATION, clamp01(conf));
        if (!f) {
            ltk_trend_release(&t);
            return LTK_ENOMEM;
        }
        char name[48], rule[160];
        snprintf(name, sizeof name, "%s_slope_ms_per_hour", lat->metric);
        snprintf(rule, sizeof rule, "95 %% CI %.0f to %.0f, Mann-Kendall p = %.2g, %+.0f %% over %.0f s",
                 lat->st.ci_lo, lat->st.ci_hi, lat->st.p_value, 100 * lat->change, 3600 * lat->span_h);
        rc = ev_num(f, name, round(lat->st.slope), rule);
        if (rc == LTK_OK && falls) {
            snprintf(rule, sizeof rule, "95 %% CI %.3g to %.3g", rps->st.ci_lo, rps->st.ci_hi);
            rc = ev_num(f, "rps_slope_per_hour", round(100 * rps->st.slope) / 100, rule);
        }
        if (rc == LTK_OK && t.leak.have && !isnan(t.leak.r))
            rc = ev_num(f, "memory_p95_correlation", round(100 * t.leak.r) / 100,
                        t.leak.signature ? "memory and p95 grow together: the leak signature" : NULL);
        if (rc == LTK_OK && t.nsegments)
            rc = ev_num(f, "users", (double)t.segments[0].users, "constant during the trend");
    }
    ltk_trend_release(&t);
    return rc;
}

/* A resource's samples while the test ran: how many, how many above a
 * limit, the highest sample and the highest mean over SUSTAINED_S seconds
 * (single samples jitter; NAN when the samples span less). */
struct sustained {
    size_t n, above;
    double best, peak;
};

static struct sustained sustained(const struct ltk_run *run, const struct ltk_metrics *mx, enum ltk_resource res,
                                  double limit)
{
    struct sustained r = { 0, 0, NAN, 0 };
    if (!mx || !mx->v[res] || !run->nhistory)
        return r;
    double lo = (double)run->history[0].ts, hi = (double)run->history[run->nhistory - 1].ts;
    struct ltk_metrics_summary sm;
    ltk_metrics_summarise(mx, res, lo, hi, SUSTAINED_S, &sm);
    r.n = sm.n;
    r.best = sm.window_max;
    r.peak = sm.n ? sm.max : 0;
    for (size_t i = 0; i < mx->n; i++)
        r.above += mx->ts[i] >= lo && mx->ts[i] <= hi && mx->v[res][i] > limit;
    return r;
}

/* Resources from the metrics file or a reading given by a person. */
static int resources(struct ltk_diagnosis *d, const struct ltk_run *run, const struct ltk_diagnose_run_options *opt,
                     double mem_growth)
{
    static const struct {
        enum ltk_resource res;
        enum ltk_diagnose_id id;
        const char *key;
    } rules[] = {
        { LTK_RES_CPU, LTK_DIAG_CPU_BOUND, "cpu_pct" },
        { LTK_RES_MEM_PCT, LTK_DIAG_MEMORY_BOUND, "mem_pct" },
    };
    int rc = LTK_OK;
    bool memory_done = false;
    for (size_t k = 0; rc == LTK_OK && k < 2; k++) {
        double given = k == 0 ? opt->cpu_pct : opt->mem_pct;
        double limit = ltk_diagnose_tree_limit(rules[k].id);
        char rule[96];
        if (!isnan(given)) {
            if (given <= limit)
                continue;
            struct ltk_diagnose_finding *f = ltk_diagnosis_add(d, rules[k].id, 0.7);
            if (!f)
                return LTK_ENOMEM;
            snprintf(rule, sizeof rule, "> %.0f (the module's threshold), as given", limit);
            rc = ev_num(f, rules[k].key, given, rule);
            memory_done = memory_done || k == 1;
            continue;
        }
        struct sustained st = sustained(run, opt->metrics, rules[k].res, limit);
        double best = st.best, peak = st.peak;
        if (!st.n || !(best > limit))
            continue;
        double share = (double)st.above / (double)st.n;
        struct ltk_diagnose_finding *f = ltk_diagnosis_add(d, rules[k].id, clamp01(0.6 + 0.3 * share));
        if (!f)
            return LTK_ENOMEM;
        snprintf(rule, sizeof rule, "> %.0f on average over %.0f s (the module's threshold, sustained)",
                 limit, SUSTAINED_S);
        rc = ev_num(f, k == 0 ? "cpu_pct_30s_mean" : "mem_pct_30s_mean", round(10 * best) / 10, rule);
        rc = rc ? rc : ev_num(f, rules[k].key, peak, "the highest sample");
        rc = rc ? rc : ev_num(f, "share_of_samples_above_pct", round(1000 * share) / 10, NULL);
        memory_done = memory_done || k == 1;
    }
    if (rc == LTK_OK && !memory_done && !isnan(mem_growth)) {
        /* not above 85 %, but growing at constant load */
        struct ltk_diagnose_finding *f = ltk_diagnosis_add(d, LTK_DIAG_MEMORY_BOUND, 0.5);
        if (!f)
            return LTK_ENOMEM;
        rc = ev_num(f, opt->metrics && opt->metrics->v[LTK_RES_MEM_MB] ? "mem_growth_mb_per_hour"
                                                                        : "mem_growth_pct_per_hour",
                    round(10 * mem_growth) / 10, "memory grows at constant users (ltk trend: degrading)");
    }
    return rc;
}

/* Saturation: throughput stops growing while users rise and latency climbs
 * (ltk capacity's knee, falling levels and USL peak). */
static int saturation(struct ltk_diagnosis *d, const struct ltk_capacity_result *capr, const struct classes *c)
{
    const struct ltk_capacity_result cap = *capr;
    int rc = LTK_OK;
    bool falling = false;
    const struct ltk_capacity_level *first = NULL, *last = NULL;  /* fewest and most users */
    for (size_t i = 0; i < cap.nlevels; i++) {
        const struct ltk_capacity_level *l = &cap.levels[i];
        falling = falling || l->falling;
        if (!first || l->users < first->users)
            first = l;
        if (!last || l->users > last->users)
            last = l;
    }
    bool climbs = first && !isnan(first->p95) && !isnan(last->p95) && last->p95 >= 2 * first->p95;
    /* throughput grew less than half as fast as the users while p95 at least
     * doubled: requests queue (a spike's surge shows it with two levels) */
    bool sublinear = first && last->users > first->users && first->rps > 0 &&
                     last->rps / first->rps < 0.5 * (last->users / first->users) && climbs;
    if ((cap.nlevels >= 3 && (cap.knee >= 0 || falling)) || sublinear) {
        bool peak_inside = cap.usl_ok && !isnan(cap.usl.peak_users) && cap.usl.peak_users <= last->users;
        double conf = 0.45 + (peak_inside ? 0.2 : 0) + (climbs ? 0.15 : 0) + (falling ? 0.1 : 0);
        struct ltk_diagnose_finding *f = ltk_diagnosis_add(d, LTK_DIAG_SATURATION, clamp01(conf));
        if (!f)
            return LTK_ENOMEM;
        if (cap.knee >= 0)
            rc = ev_num(f, "knee_users", cap.levels[cap.knee].users, cap.knee_reason);
        if (rc == LTK_OK && peak_inside)
            rc = ev_num(f, "usl_peak_users", round(10 * cap.usl.peak_users) / 10,
                        "the Universal Scalability Law peak lies inside the users tested");
        if (rc == LTK_OK && falling)
            rc = ev_text(f, "pattern", "throughput falls as users rise (past the peak)", NULL);
        if (rc == LTK_OK && sublinear) {
            char rule[128];
            snprintf(rule, sizeof rule, "users x%.1f (%g -> %g), throughput only x%.1f", last->users / first->users,
                     first->users, last->users, last->rps / first->rps);
            rc = ev_num(f, "throughput_per_user_ratio", round(100 * (last->rps / last->users) /
                                                              (first->rps / first->users)) / 100, rule);
        }
        if (rc == LTK_OK && climbs) {
            char rule[96];
            snprintf(rule, sizeof rule, "from %g to %g users", first->users, last->users);
            rc = ev_num(f, "p95_growth_factor", round(10 * last->p95 / first->p95) / 10, rule);
        }
        if (rc == LTK_OK && c->occ[LTK_FC_5XX] && c->example[LTK_FC_5XX] &&
            (has(c->example[LTK_FC_5XX], "busy") || has(c->example[LTK_FC_5XX], "queue") ||
             http_status(c->example[LTK_FC_5XX]) == 503))
            rc = ev_text(f, "error_text", c->example[LTK_FC_5XX], "503 / busy / queue: the server turns work away");
    }
    return rc;
}

/* The run's whole-run Aggregated percentiles; NAN where unknown. */
struct pcts {
    double mean, p50, p95, p99;
};

static struct pcts whole_run(const struct ltk_run *run)
{
    struct pcts p = { NAN, NAN, NAN, NAN };
    if (!run->has_total)
        return p;
    p.mean = run->total.mean;
    p.p50 = ltk_endpoint_pct(run, &run->total, 0.50);
    if (isnan(p.p50))
        p.p50 = run->total.median;
    p.p95 = ltk_endpoint_pct(run, &run->total, 0.95);
    p.p99 = ltk_endpoint_pct(run, &run->total, 0.99);
    return p;
}

static bool is_latency(const struct ltk_check_result *x)
{
    return (x->metric[0] == 'p' && isdigit((unsigned char)x->metric[1])) || strcmp(x->metric, "median") == 0;
}

/* What ltk check's built-in profile says about latency: the profile of the
 * run's detected test type when it has latency criteria (smoke, load,
 * spike), else the load profile, the module's normal-capacity targets (a run
 * without history has no type; stress and soak have no latency rows).  rep
 * holds the report; release it. */
static int latency_check(const struct ltk_run *run, int64_t skip_s, struct ltk_check_report *rep)
{
    struct ltk_check_opts o = { .type = LTK_TT_UNKNOWN, .skip_s = skip_s };
    struct ltk_error ignored;
    int rc = ltk_check_run(run, &o, rep, &ignored);
    bool latency = false;
    for (size_t i = 0; rc == LTK_OK && i < rep->nresults; i++)
        latency = latency || is_latency(&rep->results[i]);
    if (rc == LTK_OK && !latency)
        ltk_check_report_release(rep);
    if (rc == LTK_EINVAL || (rc == LTK_OK && !latency)) {
        o.type = LTK_TT_LOAD;
        rc = ltk_check_run(run, &o, rep, &ignored);
    }
    return rc;
}

/* The module's percentile table (Section 3, "Interpreting Percentiles"):
 *
 *   Healthy    avg  500  p50  450  p95  800  p99  1200  consistent performance
 *   Outliers   avg  600  p50  450  p95 3500  p99  8000  some users have a terrible experience
 *   Degrading  avg 2000  p50 1800  p95 5000  p99 10000  system struggling under load
 *
 * read against the load test's targets (p50 < 1 s, p95 < 2 s, p99 < 3 s):
 * Outliers is a p99 far above a normal p50 (the Scaling Decision Matrix row
 * "High p99, normal p50"), Degrading a p50 that misses its target too, so the
 * typical request is slow.  And ltk check's latency verdict for the run's
 * own type: a run it fails on latency is "struggling" when no outlier
 * pattern explains it, never healthy.  *latency_bad says whether check
 * failed the run on latency or a finding was added here, *type with which
 * profile check judged (LTK_TT_UNKNOWN when it could not run). */
static int percentiles(struct ltk_diagnosis *d, const struct ltk_run *run, int64_t skip_s, bool *latency_bad,
                       enum ltk_test_type *type)
{
    *latency_bad = false;
    *type = LTK_TT_UNKNOWN;
    struct ltk_check_report rep;
    int rc = latency_check(run, skip_s, &rep);
    if (rc == LTK_ENOMEM)
        return rc;
    bool have_rep = rc == LTK_OK;
    size_t nfail = 0;
    for (size_t i = 0; have_rep && i < rep.nresults; i++)
        nfail += rep.results[i].verdict == LTK_V_FAIL && is_latency(&rep.results[i]);
    *latency_bad = nfail > 0;
    if (have_rep)
        *type = rep.type;
    rc = LTK_OK;

    struct pcts p = whole_run(run);
    bool outlier = !isnan(p.p50) && !isnan(p.p99) && p.p50 > 0 && p.p50 < NORMAL_P50_MS && p.p99 > HIGH_P99_MS &&
                   p.p99 >= OUTLIER_RATIO * p.p50;
    bool slow_typical = p.p50 >= NORMAL_P50_MS;
    *latency_bad = *latency_bad || outlier || slow_typical;
    if (outlier) {
        double ratio = p.p99 / p.p50;
        struct ltk_diagnose_finding *f = ltk_diagnosis_add(d, LTK_DIAG_OUTLIERS, clamp01(0.4 + 0.02 * fmin(ratio, 20)));
        rc = !f ? LTK_ENOMEM : ev_num(f, "p50_ms", p.p50, "< 1000 (the module's load-test p50)");
        rc = rc ? rc : ev_num(f, "p99_ms", p.p99, "> 3000 (the module's load-test p99)");
        rc = rc ? rc : ev_num(f, "p99_p50_ratio", round(10 * ratio) / 10, ">= 5");
    } else if (slow_typical || nfail) {
        /* a symptom, not a cause: after the findings that name one (added before it, so
         * memory growth at 0.5 stays ahead of it) */
        struct ltk_diagnose_finding *f = ltk_diagnosis_add(d, LTK_DIAG_STRUGGLING, slow_typical ? 0.5 : 0.45);
        if (!f)
            rc = LTK_ENOMEM;
        static const struct {
            const char *key;
            double pct;
        } cols[] = { { "p50_ms", 50 }, { "p95_ms", 95 }, { "p99_ms", 99 } };
        const double v[] = { p.p50, p.p95, p.p99 };
        size_t over = 0;
        for (size_t k = 0; rc == LTK_OK && k < 3; k++) {
            if (isnan(v[k]))
                continue;
            double limit = ltk_check_builtin_pct_limit(LTK_TT_LOAD, cols[k].pct);
            char rule[96];
            bool high = v[k] >= limit;
            over += high;
            snprintf(rule, sizeof rule, "%s %.0f (the module's load-test p%.0f%s)", high ? ">=" : "<", limit,
                     cols[k].pct, k == 0 && high ? ": even the typical request is slow" : "");
            rc = ev_num(f, cols[k].key, v[k], rule);
        }
        if (rc == LTK_OK && !isnan(p.mean))
            rc = ev_num(f, "mean_ms", round(p.mean), NULL);
        if (rc == LTK_OK && slow_typical && over == 3)
            rc = ev_text(f, "pattern", "p50, p95 and p99 all above the load-test targets, not only the tail: "
                                       "the module's \"Degrading\" row, system struggling under load", NULL);
        /* the load profile's limits are the rules above; another profile's failures are listed */
        for (size_t i = 0; rc == LTK_OK && have_rep && rep.type != LTK_TT_LOAD && i < rep.nresults; i++) {
            const struct ltk_check_result *x = &rep.results[i];
            if (x->verdict != LTK_V_FAIL || !is_latency(x))
                continue;
            char rule[160];
            snprintf(rule, sizeof rule, "%.0f ms, limit %s %.0f ms: fails ltk check's %s profile", x->value, x->op,
                     x->limit, ltk_test_type_name(rep.type));
            rc = ev_text(f, "check_failed", x->expr, rule);
        }
    }
    if (have_rep)
        ltk_check_report_release(&rep);
    return rc;
}


/* ---- the module's other symptoms (Section 4 and the Scaling Decision Matrix) ---- */

/* Users within STEADY_SPREAD of their highest for STEADY_SHARE of the
 * ticks after skip_s: the whole-run percentiles describe one load (a ramp
 * or steps do not, whatever their top). */
static bool steady_users(const struct ltk_run *run, int64_t skip_s)
{
    if (!run->nhistory)
        return false;
    int64_t hi = 0, t0 = run->history[0].ts;
    for (size_t i = 0; i < run->nhistory; i++)
        if (run->history[i].is_total && run->history[i].users > hi)
            hi = run->history[i].users;
    size_t n = 0, near = 0;
    for (size_t i = 0; i < run->nhistory; i++) {
        const struct ltk_history_row *h = &run->history[i];
        if (!h->is_total || h->ts < t0 + skip_s)
            continue;
        n++;
        near += (double)(hi - h->users) <= STEADY_SPREAD * (double)hi;
    }
    return hi > 0 && n && (double)near >= STEADY_SHARE * (double)n;
}

/* CPU over the test: the highest 30 s mean from the metrics, or the reading
 * given; NAN when neither. */
static double cpu_reading(const struct ltk_run *run, const struct ltk_diagnose_run_options *opt, bool *given)
{
    *given = !isnan(opt->cpu_pct);
    if (*given)
        return opt->cpu_pct;
    return sustained(run, opt->metrics, LTK_RES_CPU, ltk_diagnose_tree_limit(LTK_DIAG_CPU_BOUND)).best;
}

static bool found(const struct ltk_diagnosis *d, size_t from, enum ltk_diagnose_id id)
{
    for (size_t i = from; i < d->nfindings; i++)
        if (d->findings[i].id == id)
            return true;
    return false;
}

/* "approaching capacity (e.g. 70% CPU sustained)": at 70 % or more, not past
 * the 80 % that makes it a CPU bottleneck.  A warning (ltk_diagnosis_has_problem
 * ignores it). */
static int approaching(struct ltk_diagnosis *d, double cpu, bool given)
{
    double limit = ltk_diagnose_tree_limit(LTK_DIAG_CPU_BOUND);
    if (!(cpu >= APPROACHING_CPU_PCT && cpu <= limit))
        return LTK_OK;
    struct ltk_diagnose_finding *f = ltk_diagnosis_add(d, LTK_DIAG_APPROACHING, 0.45);
    if (!f)
        return LTK_ENOMEM;
    char rule[128];
    snprintf(rule, sizeof rule, ">= %.0f and <= %.0f%s", APPROACHING_CPU_PCT, limit,
             given ? ", as given" : " on average over 30 s");
    return ev_num(f, given ? "cpu_pct" : "cpu_pct_30s_mean", round(10 * cpu) / 10, rule);
}

/* "High latency despite low CPU": latency misses its targets while the
 * server's CPU stays under LOW_CPU_PCT: the time goes to waiting on
 * something outside (the LLM, the vector store, the database). */
static int external_latency(struct ltk_diagnosis *d, size_t from, double cpu, bool given, bool latency_bad,
                            const struct ltk_run *run)
{
    /* queueing (saturation) or a leak (degradation) explains latency better than
     * a slow outside party */
    if (!latency_bad || !(cpu < LOW_CPU_PCT) || found(d, from, LTK_DIAG_SATURATION) ||
        found(d, from, LTK_DIAG_DEGRADATION))
        return LTK_OK;
    /* a rate limit or an exhausted pool already names the outside party */
    bool named = found(d, from, LTK_DIAG_RATE_LIMIT) || found(d, from, LTK_DIAG_CONNECTION_POOL);
    struct ltk_diagnose_finding *f = ltk_diagnosis_add(d, LTK_DIAG_EXTERNAL_LATENCY, named ? 0.4 : 0.55);
    if (!f)
        return LTK_ENOMEM;
    char rule[96];
    snprintf(rule, sizeof rule, "< %.0f%s (ltk's line for low CPU)", LOW_CPU_PCT, given ? ", as given" : " at its busiest 30 s");
    int rc = ev_num(f, given ? "cpu_pct" : "cpu_pct_30s_max_mean", round(10 * cpu) / 10, rule);
    struct pcts p = whole_run(run);
    if (rc == LTK_OK && !isnan(p.p95))
        rc = ev_num(f, "p95_ms", p.p95, "latency misses the targets (see struggling or outliers)");
    return rc;
}

/* "DB queries slow" (the matrix) and "Log queries >1s" (Section 4): an
 * endpoint whose median is 1 s or more already at the lowest load of the
 * run, before queueing can explain it.  Needs windowed per-endpoint
 * history (--csv-full-history, a raw log, a summary). */
static int slow_queries(struct ltk_diagnosis *d, const struct ltk_run *run, int64_t skip_s)
{
    struct ltk_diagnose_finding *f = NULL;
    int rc = LTK_OK;
    double *buf = malloc((run->nhistory ? run->nhistory : 1) * sizeof *buf);
    if (!buf)
        return LTK_ENOMEM;
    for (size_t e = 0; rc == LTK_OK && e < run->nendpoints; e++) {
        const struct ltk_endpoint *ep = &run->endpoints[e];
        struct ltk_series s = { 0 };
        if (ltk_series_from_run(run, ep->type, ep->name, &s, NULL) != LTK_OK || s.kind != LTK_HPCT_WINDOW ||
            !s.n) {
            ltk_series_release(&s);
            continue;
        }
        int64_t t0 = s.t[0].ts + skip_s, low = INT64_MAX;
        for (size_t i = 0; i < s.n; i++)
            if (s.t[i].ts >= t0 && s.t[i].users > 0 && s.t[i].users < low)
                low = s.t[i].users;
        /* the lowest load's ticks, after Locust's 10 s window has filled with it */
        int64_t since = -1;
        size_t n = 0;
        for (size_t i = 0; i < s.n; i++) {
            if (s.t[i].ts < t0 || s.t[i].users != low) {
                if (n)
                    break;  /* the first stretch at that load only */
                continue;
            }
            if (since < 0)
                since = s.t[i].ts;
            if (s.t[i].ts >= since + 10 && !isnan(s.t[i].p50))
                buf[n++] = s.t[i].p50;
        }
        ltk_series_release(&s);
        if (n < SLOW_MIN_TICKS)
            continue;
        double med = ltk_median_sort(buf, n);
        if (med < SLOW_QUERY_MS)
            continue;
        if (!f && !(f = ltk_diagnosis_add(d, LTK_DIAG_SLOW_QUERIES, 0.4)))
            rc = LTK_ENOMEM;
        char rule[160];
        snprintf(rule, sizeof rule, ">= %.0f at %lld users, the run's lowest load (median of %zu windows)",
                 SLOW_QUERY_MS, (long long)low, n);
        rc = rc ? rc : ev_text(f, "endpoint", ep->name, NULL);
        rc = rc ? rc : ev_num(f, "p50_lowest_load_ms", med, rule);
        if (rc == LTK_OK && med >= 2 * SLOW_QUERY_MS)
            f->confidence = 0.5;
    }
    free(buf);
    return rc;
}

/* "Inconsistent latency" (the matrix: no caching): at a steady load, an
 * endpoint's p95 at least three times its p50, short of the outlier pattern
 * (p99 >= 5 x p50 beyond 3 s): some requests are served from work already
 * done, the others redo it. */
static int inconsistent(struct ltk_diagnosis *d, const struct ltk_run *run, int64_t skip_s)
{
    if (run->nhistory && !steady_users(run, skip_s))
        return LTK_OK;
    struct ltk_diagnose_finding *f = NULL;
    int rc = LTK_OK;
    for (size_t e = 0; rc == LTK_OK && e < run->nendpoints; e++) {
        const struct ltk_endpoint *ep = &run->endpoints[e];
        double p50 = ltk_endpoint_pct(run, ep, 0.50), p95 = ltk_endpoint_pct(run, ep, 0.95),
               p99 = ltk_endpoint_pct(run, ep, 0.99);
        if (isnan(p50))
            p50 = ep->median;
        if (ep->requests < INCONSISTENT_MIN_REQ || isnan(p50) || isnan(p95) || p50 < INCONSISTENT_MIN_MS ||
            p95 < INCONSISTENT_RATIO * p50)
            continue;
        if (!isnan(p99) && p99 >= OUTLIER_RATIO * p50 && p99 > HIGH_P99_MS)
            continue;  /* the outlier pattern */
        if (!f && !(f = ltk_diagnosis_add(d, LTK_DIAG_INCONSISTENT, 0.35)))
            return LTK_ENOMEM;
        char rule[64];
        snprintf(rule, sizeof rule, ">= %.0f x p50 at a steady load", INCONSISTENT_RATIO);
        rc = ev_text(f, "endpoint", ep->name, NULL);
        rc = rc ? rc : ev_num(f, "p50_ms", p50, NULL);
        rc = rc ? rc : ev_num(f, "p95_ms", p95, rule);
        rc = rc ? rc : ev_num(f, "p95_p50_ratio", round(10 * p95 / p50) / 10, NULL);
    }
    return rc;
}

/* "Latency increases linearly with users" and "no external API errors"
 * (Application Code): over three or more load levels, the mean response time
 * against users fits a rising straight line (R^2 >= 0.9) and grew by half or
 * more, with no rate-limit, timeout or connection failures. */
static int linear_latency(struct ltk_diagnosis *d, size_t from, const struct ltk_capacity_result *cap,
                          const struct classes *c)
{
    if (cap->nlevels < 3 || c->occ[LTK_FC_RATE_LIMIT] || c->occ[LTK_FC_TIMEOUT] || c->occ[LTK_FC_CONNECTION])
        return LTK_OK;
    double x[64], y[64];
    size_t n = 0;
    for (size_t i = 0; i < cap->nlevels && n < 64; i++) {
        double v = !isnan(cap->levels[i].mean_ms) ? cap->levels[i].mean_ms : cap->levels[i].p50;
        if (isnan(v))
            continue;
        x[n] = cap->levels[i].users;
        y[n++] = v;
    }
    if (n < 3)
        return LTK_OK;
    double c0, c1, cov00, cov01, cov11, sumsq, mean = 0, tss = 0;
    if (gsl_fit_linear(x, 1, y, 1, n, &c0, &c1, &cov00, &cov01, &cov11, &sumsq) != 0)
        return LTK_OK;
    for (size_t i = 0; i < n; i++)
        mean += y[i] / (double)n;
    for (size_t i = 0; i < n; i++)
        tss += (y[i] - mean) * (y[i] - mean);
    double r2 = tss > 0 ? 1 - sumsq / tss : 0;
    size_t lo = 0, hi = 0;
    for (size_t i = 1; i < n; i++) {
        lo = x[i] < x[lo] ? i : lo;
        hi = x[i] > x[hi] ? i : hi;
    }
    if (!(c1 > 0) || r2 < LINEAR_R2 || !(y[hi] >= LINEAR_GROWTH * y[lo]))
        return LTK_OK;
    bool cpu = found(d, from, LTK_DIAG_CPU_BOUND);
    struct ltk_diagnose_finding *f = ltk_diagnosis_add(d, LTK_DIAG_LINEAR_LATENCY, cpu ? 0.5 : 0.4);
    if (!f)
        return LTK_ENOMEM;
    char rule[128];
    snprintf(rule, sizeof rule, "least squares over %zu levels, %g to %g users", n, x[lo], x[hi]);
    int rc = ev_num(f, "ms_per_user", round(10 * c1) / 10, rule);
    rc = rc ? rc : ev_num(f, "r2", round(1000 * r2) / 1000, ">= 0.9");
    snprintf(rule, sizeof rule, ">= %.1f", LINEAR_GROWTH);
    rc = rc ? rc : ev_num(f, "latency_growth_factor", round(10 * y[hi] / y[lo]) / 10, rule);
    rc = rc ? rc : ev_text(f, "pattern", "no rate-limit, timeout or connection failures (no external API errors)",
                           NULL);
    if (rc == LTK_OK && found(d, from, LTK_DIAG_SATURATION))
        rc = ev_text(f, "pattern", "throughput also stopped growing: by Little's law a fixed throughput makes the "
                                   "response time grow in proportion to users, so look for what caps it", NULL);
    return rc;
}

/* The pool finding's numbers for the pool: the limits its error names, the
 * rule at the onset's users, and Little's law on the levels before it. */
static int pool_evidence(struct ltk_diagnosis *d, const struct classes *c, const struct onset *o,
                         const struct ltk_capacity_result *cap, bool have_cap)
{
    struct ltk_diagnose_finding *f = NULL;
    for (size_t i = 0; i < d->nfindings; i++)
        if (d->findings[i].id == LTK_DIAG_CONNECTION_POOL)
            f = &d->findings[i];
    if (!f)
        return LTK_OK;
    int rc = LTK_OK;
    struct ltk_pool_limits l = ltk_pool_parse_error(c->example[LTK_FC_POOL]);
    if (l.found)
        rc = ev_num(f, "pool_connections", (double)(l.size + l.overflow), "size + overflow named in the error");
    if (rc || !o->found || !(o->users > 0))
        return rc;
    struct ltk_pool_plan plan;
    struct ltk_error ignored;
    rc = ltk_pool_plan_given((double)o->users, NAN, NAN, &plan, &ignored);
    if (rc == LTK_OK)
        rc = ev_num(f, "rule_pool_size_at_onset", (double)plan.rule_size, "the module's users / 10");
    if (rc == LTK_OK && have_cap && ltk_pool_plan_measured((double)o->users, cap, HEALTHY_ERROR_PCT / 100, &plan, &ignored) == LTK_OK) {
        rc = ev_num(f, "little_in_flight_at_onset", round(10 * plan.in_flight) / 10,
                    "X R per user before the knee, times the onset's users");
        if (rc == LTK_OK && !isnan(plan.knee_in_flight))
            rc = ev_num(f, "little_in_flight_at_knee", round(10 * plan.knee_in_flight) / 10,
                        "X R where throughput stopped growing: about what the pool could serve");
    }
    return rc;
}

int ltk_diagnose_run(struct ltk_diagnosis *d, const struct ltk_run *run, const struct ltk_diagnose_run_options *opt,
                     struct ltk_error *err)
{
    struct ltk_diagnose_run_options none = {
        .metrics = NULL, .cpu_pct = NAN, .mem_pct = NAN, .skip_s = 0, .pool_users = NAN,
    };
    if (!opt)
        opt = &none;
    uint64_t requests = run->has_total ? run->total.requests : 0, failures = run->has_total ? run->total.failures : 0;
    struct classes c;
    classify_failures(run, &c);
    if (!run->has_total && !run->nhistory)
        return ltk_error_set(err, LTK_EINVAL, run->label, 0, 0,
                             "nothing to diagnose: the run has neither stats.csv nor stats_history.csv");
    if (!run->has_total && run->nhistory) {
        /* counts from the last history tick */
        for (size_t i = run->nhistory; i-- > 0;)
            if (run->history[i].is_total) {
                requests = run->history[i].requests;
                failures = run->history[i].failures;
                break;
            }
    }
    if (c.total < failures && !run->nfailures && failures)
        c.occ[LTK_FC_OTHER] = c.total = failures;  /* failures without failures.csv: unexplained */
    struct onset o = { 0 };
    struct ltk_series agg = { 0 };
    int rc = LTK_OK;
    if (run->nhistory && ltk_series_from_run(run, NULL, NULL, &agg, NULL) == LTK_OK)
        rc = find_onset(&agg, agg.t[0].ts + opt->skip_s, &o);
    ltk_series_release(&agg);
    double mem_growth = NAN;
    size_t before = d->nfindings;
    rc = rc ? rc : rate_limit(d, &c, requests, &o, run);
    rc = rc ? rc : connection_pool(d, &c, requests, &o);
    rc = rc ? rc : other_errors(d, &c, requests, &o, run);
    rc = rc ? rc : (run->nhistory ? degradation(d, run, opt->metrics, opt->skip_s, &mem_growth) : LTK_OK);
    rc = rc ? rc : resources(d, run, opt, mem_growth);
    struct ltk_capacity_options copt;
    ltk_capacity_options_init(&copt);
    struct ltk_capacity_result cap;
    struct ltk_error ignored;
    bool have_cap = false;
    if (rc == LTK_OK && run->nhistory) {
        int crc = ltk_capacity_levels_from_run(run, &copt, &cap, &ignored);
        if (crc == LTK_OK)
            crc = ltk_capacity_analyse(&cap, &copt);
        have_cap = crc == LTK_OK;
        if (!have_cap)
            ltk_capacity_release(&cap);
        if (crc == LTK_ENOMEM)
            rc = crc;
    }
    rc = rc ? rc : (have_cap ? saturation(d, &cap, &c) : LTK_OK);
    rc = rc ? rc : pool_evidence(d, &c, &o, &cap, have_cap);
    bool latency_bad = false;
    enum ltk_test_type lat_type = LTK_TT_UNKNOWN;
    rc = rc ? rc : percentiles(d, run, opt->skip_s, &latency_bad, &lat_type);
    bool cpu_given = false;
    double cpu = cpu_reading(run, opt, &cpu_given);
    rc = rc ? rc : approaching(d, cpu, cpu_given);
    rc = rc ? rc : external_latency(d, before, cpu, cpu_given, latency_bad, run);
    rc = rc ? rc : (run->nhistory ? slow_queries(d, run, opt->skip_s) : LTK_OK);
    rc = rc ? rc : inconsistent(d, run, opt->skip_s);
    rc = rc ? rc : (have_cap ? linear_latency(d, before, &cap, &c) : LTK_OK);
    if (rc == LTK_OK && opt->pool_users > 0) {
        struct ltk_pool_plan *plan = malloc(sizeof *plan);
        if (!plan) {
            rc = LTK_ENOMEM;
        } else if (!have_cap || ltk_pool_plan_measured(opt->pool_users, &cap, HEALTHY_ERROR_PCT / 100, plan, &ignored) != LTK_OK) {
            /* nothing to measure on: the rule alone, said so by its basis */
            if (ltk_pool_plan_given(opt->pool_users, NAN, NAN, plan, err) != LTK_OK) {
                free(plan);
                if (have_cap)
                    ltk_capacity_release(&cap);
                return LTK_EINVAL;
            }
        }
        if (plan) {
            free(d->pool);
            d->pool = plan;
        }
    }
    if (have_cap)
        ltk_capacity_release(&cap);
    if (rc == LTK_OK) {
        double error_pct = requests ? 100.0 * (double)failures / (double)requests : 0;
        bool serious = false;
        for (size_t i = before; i < d->nfindings; i++)
            serious = serious || d->findings[i].confidence >= 0.5;
        if (error_pct < HEALTHY_ERROR_PCT && !serious && !latency_bad) {
            struct ltk_diagnose_finding *f = ltk_diagnosis_add(d, LTK_DIAG_HEALTHY, 0.9);
            rc = !f ? LTK_ENOMEM : ev_num(f, "error_rate_pct", round(1000 * error_pct) / 1000, "< 1");
            /* the module's "Healthy" row: the percentiles within the targets ltk check used */
            struct pcts p = whole_run(run);
            const double v[] = { p.p50, p.p95, p.p99 }, q[] = { 50, 95, 99 };
            for (size_t k = 0; rc == LTK_OK && k < 3; k++) {
                if (isnan(v[k]))
                    continue;
                char key[16], rule[96];
                double limit = ltk_check_builtin_pct_limit(lat_type, q[k]);
                snprintf(key, sizeof key, "p%.0f_ms", q[k]);
                snprintf(rule, sizeof rule, "< %.0f (the module's %s-test p%.0f)", limit, ltk_test_type_name(lat_type),
                         q[k]);
                rc = ev_num(f, key, v[k], isnan(limit) ? NULL : rule);
            }
            if (rc == LTK_OK)
                rc = ev_text(f, "pattern", "no rate limiting, pool exhaustion, degradation, saturation, slow "
                                           "percentiles or resource limit found", NULL);
        } else if (d->nfindings == before) {
            struct ltk_diagnose_finding *f = ltk_diagnosis_add(d, LTK_DIAG_UNKNOWN, 0.5);  /* the tree's last rule */
            rc = !f ? LTK_ENOMEM : ev_num(f, "error_rate_pct", round(1000 * error_pct) / 1000, ">= 1");
        }
    }
    if (rc == LTK_OK && !d->run && !(d->run = ltk_strdup(run->label ? run->label : "")))
        rc = LTK_ENOMEM;
    if (rc)
        return ltk_error_set(err, rc, run->label, 0, 0, "out of memory");
    ltk_diagnosis_sort(d);
    return LTK_OK;
}

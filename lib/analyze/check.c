/* ltk check: built-in profiles, evaluation, and the table/JSON/JUnit views
 * (see ltk/analyze/check.h and docs/criteria.md). */
#include "ltk/analyze/check.h"

#include "ltk/analyze/capacity.h"
#include "ltk/analyze/latency.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ltk/base/json.h"
#include "ltk/read/locust_json.h"
#include "ltk/base/num.h"
#include "ltk/model/series.h"
#include "ltk/analyze/trend.h"
#include "base/strutil.h"

/* ---- the built-in profiles: the module's table, as data, in one place ----
 *
 * Section 3, "Success Criteria by Test Type":
 *   smoke  p50 <500ms  p95 <1s  p99 <2s   errors 0 %
 *   load   p50 <1s     p95 <2s  p99 <3s   errors <1 %
 *   stress N/A                            find the breaking point (errors > 5 %)
 *   spike  p50 <2s     p95 <5s  p99 <10s  errors <5 % during the spike (and it recovers)
 *   soak   stable (no increase)           errors <0.5 %
 * Section 2 also gives a smoke test "0% error rate, p95 <3s"; the table's
 * tighter latencies include that, so the table is what a smoke check gates
 * on.  "stable", "recovered" and "breaking_point" are evaluated by the
 * functions below. */
static const struct ltk_builtin_criterion builtins[] = {
    { LTK_TT_SMOKE, "p50<500ms", "module section 3 table" },
    { LTK_TT_SMOKE, "p95<1s", "module section 3 table (section 2: p95 <3s)" },
    { LTK_TT_SMOKE, "p99<2s", "module section 3 table" },
    { LTK_TT_SMOKE, "error_rate==0%", "module sections 2 and 3" },
    { LTK_TT_LOAD, "p50<1s", "module section 3 table" },
    { LTK_TT_LOAD, "p95<2s", "module sections 2 and 3" },
    { LTK_TT_LOAD, "p99<3s", "module section 3 table" },
    { LTK_TT_LOAD, "error_rate<1%", "module sections 2 and 3" },
    { LTK_TT_STRESS, "breaking_point", "module sections 2 and 3: first user level past 5 % errors" },
    { LTK_TT_SPIKE, "p50<2s during spike", "module section 3 table" },
    { LTK_TT_SPIKE, "p95<5s during spike", "module section 3 table" },
    { LTK_TT_SPIKE, "p99<10s during spike", "module section 3 table" },
    { LTK_TT_SPIKE, "error_rate<5% during spike", "module section 3 table" },
    { LTK_TT_SPIKE, "recovered", "module section 2: recovers without intervention" },
    { LTK_TT_SOAK, "stable", "module section 3 table: no increase over time" },
    { LTK_TT_SOAK, "error_rate<0.5%", "module section 3 table" },
    { LTK_TT_SOAK, "stable_memory", "module section 2: soak success criteria, stable memory (needs --metrics)" },
};

/* Parameters of the special criteria, beside the table. */
static const struct {
    double break_error_pct;      /* stress: an error rate above this breaks (the one rule in ltk/analyze/capacity.h) */
    double recover_tolerance;    /* spike: recovered when p95 <= baseline x (1 + this) */
    int64_t recover_tail_s;      /* spike: judged on the last this-many seconds */
} params = {
    .break_error_pct = 100 * LTK_CAPACITY_BREAK_ERROR_RATE, .recover_tolerance = LTK_SPIKE_RECOVER_TOLERANCE, .recover_tail_s = 10,
};

const struct ltk_builtin_criterion *ltk_check_builtins(size_t *n)
{
    *n = sizeof builtins / sizeof builtins[0];
    return builtins;
}

double ltk_check_builtin_pct_limit(enum ltk_test_type type, double pct)
{
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++) {
        if (builtins[i].type != type)
            continue;
        struct ltk_criterion cr;
        if (ltk_criterion_parse(builtins[i].expr, &cr, NULL) != LTK_OK)
            continue;  /* the special criteria (stable, recovered ...) */
        bool hit = cr.metric == LTK_MET_PCT && fabs(cr.pct - pct) < 1e-9 && !cr.endpoint && !cr.has_phase;
        double limit = cr.limit;
        ltk_criterion_release(&cr);
        if (hit)
            return limit;
    }
    return NAN;
}

const char *ltk_verdict_name(enum ltk_verdict v)
{
    switch (v) {
    case LTK_V_PASS: return "pass";
    case LTK_V_FAIL: return "FAIL";
    case LTK_V_NA: return "n/a";
    case LTK_V_INFO: return "info";
    }
    return "?";
}

void ltk_check_report_release(struct ltk_check_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nresults; i++) {
        free(r->results[i].expr);
        free(r->results[i].endpoint);
        free(r->results[i].source);
        free(r->results[i].note);
    }
    free(r->results);
    free(r->run_label);
    free(r->skip_note);
    ltk_profile_release(&r->profile);
    memset(r, 0, sizeof *r);
}

/* ---- evaluation context ---- */

struct ctx {
    const struct ltk_run *run;
    const struct ltk_check_opts *opts;
    struct ltk_check_report *rep;
    struct ltk_series agg;      /* Aggregated series; n == 0 without history */
    int64_t t0;                 /* first tick of the run */
    double *buf;                /* scratch for medians, agg.n or endpoint series sized */
    size_t bufn;
};

static int ensure_buf(struct ctx *c, size_t n)
{
    if (n <= c->bufn)
        return LTK_OK;
    double *b = realloc(c->buf, n * sizeof *b);
    if (!b)
        return LTK_ENOMEM;
    c->buf = b;
    c->bufn = n;
    return LTK_OK;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
    if (!n)
        return NAN;
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double tick_pct(const struct ltk_tick *t, double pct)
{
    if (pct == 50)
        return t->p50;
    if (pct == 95)
        return t->p95;
    if (pct == 99)
        return t->p99;
    return NAN;
}

/* Index of the first tick at or after ts in a series sorted by time. */
static size_t first_at(const struct ltk_series *s, int64_t ts)
{
    size_t a = 0, b = s->n;
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        if (s->t[mid].ts < ts)
            a = mid + 1;
        else
            b = mid;
    }
    return a;
}

static int cmp_tick_ts(const void *a, const void *b)
{
    const struct ltk_tick *x = a, *y = b;
    return (x->ts > y->ts) - (x->ts < y->ts);
}

/* The value of metric m over the ticks of s with ts in (lo, hi] (counts)
 * and [lo, hi] (Locust's window percentiles, median of them).  *why is set
 * when the metric cannot be had from the history at all.  It does not
 * depend on the order of the ticks; with sorted, s is sorted by time and
 * only the ticks in the interval are visited. */
static double interval_value_in(struct ctx *c, const struct ltk_series *s, bool sorted, int64_t lo,
                                int64_t hi, enum ltk_metric m, double pct, const char **why)
{
    *why = NULL;
    size_t i0 = sorted ? first_at(s, lo) : 0;
    if (m == LTK_MET_PCT || m == LTK_MET_MEDIAN) {
        double q = m == LTK_MET_MEDIAN ? 50 : pct;
        if (q != 50 && q != 95 && q != 99) {
            *why = "stats_history windows carry only p50, p95 and p99 here";
            return NAN;
        }
        if (s->kind != LTK_HPCT_WINDOW) {
            *why = "the run's stats_history percentiles are whole-run (cumulative; Locust ran without "
                   "--csv-full-history), so they say nothing about a window";
            return NAN;
        }
        if (ensure_buf(c, s->n)) {
            *why = "out of memory";
            return NAN;
        }
        size_t n = 0;
        for (size_t i = i0; i < s->n && !(sorted && s->t[i].ts > hi); i++)
            if (s->t[i].ts >= lo && s->t[i].ts <= hi) {
                double v = tick_pct(&s->t[i], q);
                if (!isnan(v))
                    c->buf[n++] = v;
            }
        return median(c->buf, n);
    }
    if (m == LTK_MET_MEAN || m == LTK_MET_MIN || m == LTK_MET_MAX) {
        *why = "mean, min and max are whole-run values only (stats.csv)";
        return NAN;
    }
    uint64_t req = 0, fail = 0;
    for (size_t i = i0; i < s->n && !(sorted && s->t[i].ts > hi); i++)
        if (s->t[i].ts > lo && s->t[i].ts <= hi) {
            req += s->t[i].d_requests;
            fail += s->t[i].d_failures;
        }
    switch (m) {
    case LTK_MET_ERROR_RATE: return req ? 100.0 * (double)fail / (double)req : NAN;
    case LTK_MET_RPS: return hi > lo ? (double)req / (double)(hi - lo) : NAN;
    case LTK_MET_REQUESTS: return (double)req;
    case LTK_MET_FAILURES: return (double)fail;
    default: return NAN;
    }
}

static double interval_value(struct ctx *c, const struct ltk_series *s, int64_t lo, int64_t hi,
                             enum ltk_metric m, double pct, const char **why)
{
    return interval_value_in(c, s, false, lo, hi, m, pct, why);
}

/* Finds the endpoint a criterion names: an exact name, or "METHOD name".
 * Sets *e (NULL for the total) or writes why it cannot be found. */
static const struct ltk_endpoint *find_endpoint(const struct ltk_run *run, const char *name, char *why,
                                                size_t wsize)
{
    const struct ltk_endpoint *hit = NULL;
    size_t hits = 0;
    for (size_t i = 0; i < run->nendpoints; i++)
        if (strcmp(run->endpoints[i].name, name) == 0) {
            hit = &run->endpoints[i];
            hits++;
        }
    if (hits == 1)
        return hit;
    if (hits > 1) {
        snprintf(why, wsize, "several methods share this name; write \"%s %s\"", hit->type, name);
        return NULL;
    }
    const char *sp = strchr(name, ' ');
    if (sp)
        for (size_t i = 0; i < run->nendpoints; i++) {
            const struct ltk_endpoint *e = &run->endpoints[i];
            if (strlen(e->type) == (size_t)(sp - name) && memcmp(e->type, name, (size_t)(sp - name)) == 0 &&
                strcmp(e->name, sp + 1) == 0)
                return e;
        }
    snprintf(why, wsize, "no such endpoint in the run");
    return NULL;
}

/* The same lookup over the per-endpoint rows of stats_history. */
static int history_endpoint(const struct ltk_run *run, const char *name, const char **type, const char **hname,
                            char *why, size_t wsize)
{
    const struct ltk_history_row *hit = NULL;
    for (size_t i = 0; i < run->nhistory; i++) {
        const struct ltk_history_row *h = &run->history[i];
        if (h->is_total || strcmp(h->name, name) != 0)
            continue;
        if (hit && strcmp(hit->type, h->type) != 0) {
            snprintf(why, wsize, "several methods share this name; write \"%s %s\"", h->type, name);
            return LTK_EINVAL;
        }
        hit = h;
    }
    if (hit) {
        *type = hit->type;
        *hname = hit->name;
        return LTK_OK;
    }
    const char *sp = strchr(name, ' ');
    for (size_t i = 0; sp && i < run->nhistory; i++) {
        const struct ltk_history_row *h = &run->history[i];
        if (!h->is_total && strlen(h->type) == (size_t)(sp - name) && memcmp(h->type, name, (size_t)(sp - name)) == 0 &&
            strcmp(h->name, sp + 1) == 0) {
            *type = h->type;
            *hname = h->name;
            return LTK_OK;
        }
    }
    snprintf(why, wsize, "no such endpoint in the run");
    return LTK_EINVAL;
}

static struct ltk_check_result *new_result(struct ctx *c)
{
    struct ltk_check_report *r = c->rep;
    struct ltk_check_result *nr = realloc(r->results, (r->nresults + 1) * sizeof *nr);
    if (!nr)
        return NULL;
    r->results = nr;
    struct ltk_check_result *res = &nr[r->nresults++];
    memset(res, 0, sizeof *res);
    res->value = NAN;
    res->limit = NAN;
    res->op = "";
    res->unit = "";
    return res;
}

static int set_str(char **dst, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int set_str(char **dst, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = ltk_vasprintf(fmt, ap);
    va_end(ap);
    if (!s)
        return LTK_ENOMEM;
    free(*dst);
    *dst = s;
    return LTK_OK;
}

static void judge(struct ltk_check_result *res, enum ltk_cmp op)
{
    if (isnan(res->value)) {
        res->verdict = LTK_V_NA;
        return;
    }
    bool ok = ltk_cmp_holds(op, res->value, res->limit);
    res->verdict = ok ? LTK_V_PASS : LTK_V_FAIL;
}

/* Where the time series came from, for the "from ..." line. */
static const char *history_name(const struct ctx *c)
{
    return c->run->raw_source ? "raw log intervals" : "stats_history";
}

/* How a percentile over a stretch of time was taken. */
static const char *window_words(const struct ctx *c, bool each)
{
    if (c->run->raw_source)
        return each ? " (median of the intervals' percentiles in each)" : " (median of the intervals' percentiles)";
    return each ? " (median of Locust's 10 s values in each)" : " (median of Locust's 10 s values)";
}

static int64_t skip_from(const struct ctx *c)
{
    return c->t0 + c->opts->skip_s;
}

/* Where a criterion without over/during took its value.  Under --from/--to
 * the run's table is the window's (ltk/model/select.h), not the whole run's. */
static const char *run_source(const struct ctx *c)
{
    bool window = c->run->selection.window;
    if (ltk_run_from_locust_json(c->run))
        return "Locust's JSON statistics (whole run)";
    if (c->run->raw_source)
        return window ? "the raw request log (the window)" : "the raw request log (whole run)";
    if (window)
        return "stats_history.csv (the window)";
    return c->run->endpoints_from_history ? "stats_history (last tick)" : "stats.csv";
}

/* The note of a whole-run criterion whose value is unknown although the
 * endpoint had requests: a window of Locust's CSV has no distribution. */
static int unknown_in_window(struct ltk_check_result *res)
{
    return set_str(&res->note, "Locust's CSV has no distribution of a window (--skip gates the whole "
                               "run's value; a raw request log has the window's)");
}

/* status_5xx, apdex, under_800ms: a share of the endpoint's requests, exact
 * or known to lie in an interval (ltk/analyze/latency.h); an interval that
 * straddles the limit is n/a, never a pass. */
static int eval_share(struct ctx *c, const struct ltk_criterion *cr, const struct ltk_endpoint *e,
                      struct ltk_check_result *res)
{
    if (set_str(&res->source, "%s", run_source(c)))
        return LTK_ENOMEM;
    if (!e->requests) {
        res->verdict = LTK_V_NA;
        return set_str(&res->note, "no requests");
    }
    double lo, hi;
    const char *how = NULL;
    if (cr->metric == LTK_MET_STATUS) {
        const struct ltk_status_list *st = &e->status;
        uint64_t with = ltk_status_total(st), inf = ltk_status_total_inferred(st);
        uint64_t n = 0;
        for (size_t k = 0; k < st->n; k++) {
            int code = st->v[k].code;
            bool match = cr->status_class ? code / 100 == cr->status : code == cr->status;
            if (match)
                n += st->v[k].read + st->v[k].inferred;
        }
        /* requests without a code might have it: any of them when a column
         * held codes; else only failures whose text named none, for a code
         * of 400 and above (a success is below 400: Locust, JMeter and k6
         * count 4xx and 5xx as failures unless told otherwise) */
        uint64_t none = e->requests > with ? e->requests - with : 0;
        uint64_t uncoded_fail = e->failures > with ? e->failures - with : 0;
        bool error_code = cr->status_class ? cr->status >= 4 : cr->status >= 400;
        uint64_t maybe = c->run->status_read ? none : error_code ? uncoded_fail : none;
        lo = 100.0 * (double)n / (double)e->requests;
        hi = 100.0 * (double)(n + maybe) / (double)e->requests;
        how = c->run->status_read ? "requests without a code could have it"
                                  : error_code ? "failures whose text names no code could have it"
                                               : "requests without a code could have it";
        if (inf && set_str(&res->note, "%llu of %llu code(s) inferred from failure texts", (unsigned long long)inf,
                           (unsigned long long)with))
            return LTK_ENOMEM;
    } else {
        double t = cr->at_ms > 0 ? cr->at_ms : c->opts->apdex_t_ms > 0 ? c->opts->apdex_t_ms : LTK_APDEX_T_DEFAULT_MS;
        struct ltk_share sh = cr->metric == LTK_MET_APDEX ? ltk_apdex(c->run, e, t) : ltk_share_under(c->run, e, t);
        if (sh.basis == LTK_LE_NONE) {
            res->verdict = LTK_V_NA;
            return set_str(&res->note, "the input has no response-time distribution");
        }
        double scale = cr->metric == LTK_MET_APDEX ? 1 : 100;
        lo = sh.lo * scale;
        hi = sh.hi * scale;
        how = sh.basis == LTK_LE_PCT       ? "bounded from Locust's percentile columns"
              : sh.basis == LTK_LE_ALL_HIST ? "bounded from the histogram of all requests"
                                            : "bounded by the histogram's bucket at the time";
        if (cr->metric == LTK_MET_APDEX && set_str(&res->note, "T = %g ms", t))
            return LTK_ENOMEM;
    }
    res->value = lo;
    bool hold_lo = ltk_cmp_holds(cr->op, lo, res->limit), hold_hi = ltk_cmp_holds(cr->op, hi, res->limit);
    if (lo == hi) {
        res->verdict = hold_lo ? LTK_V_PASS : LTK_V_FAIL;
        return LTK_OK;
    }
    res->value = (lo + hi) / 2;
    char extra[200];
    snprintf(extra, sizeof extra, "between %.4g and %.4g (%s)", lo, hi, how);
    char *old = res->note;
    res->note = NULL;
    int rc = set_str(&res->note, "%s%s%s", old ? old : "", old ? "; " : "", extra);
    free(old);
    if (rc)
        return rc;
    res->verdict = hold_lo && hold_hi ? LTK_V_PASS : !hold_lo && !hold_hi ? LTK_V_FAIL : LTK_V_NA;
    if (res->verdict == LTK_V_NA) {
        res->undecided = true;
        old = res->note;
        res->note = NULL;
        rc = set_str(&res->note, "%s: cannot tell against the limit", old);
        free(old);
    }
    return rc;
}

int ltk_check_cuts(const struct ltk_check_opts *opts, double *cuts, size_t *n, size_t cap)
{
    double t0 = opts->apdex_t_ms > 0 ? opts->apdex_t_ms : LTK_APDEX_T_DEFAULT_MS;
    for (size_t i = 0; i < opts->ncriteria; i++) {
        const struct ltk_criterion *cr = &opts->criteria[i];
        double t = cr->at_ms > 0 ? cr->at_ms : t0;
        if (cr->metric == LTK_MET_APDEX && (ltk_cuts_add(cuts, n, cap, t) || ltk_cuts_add(cuts, n, cap, LTK_APDEX_TOLERATING * t)))
            return -1;
        if (cr->metric == LTK_MET_UNDER && ltk_cuts_add(cuts, n, cap, t))
            return -1;
    }
    return 0;
}

/* The samples of the metrics file that belong to the run: the time of its
 * history (after --skip), or of the phases of one kind; every sample
 * without history.  Writes where they come from into res->source. */
static int resource_span(struct ctx *c, const struct ltk_criterion *cr, struct ltk_check_result *res, double *lo,
                         double *hi)
{
    *lo = -INFINITY;
    *hi = INFINITY;
    if (!c->agg.n) {
        if (cr->has_phase) {
            res->verdict = LTK_V_NA;
            return set_str(&res->note, "the run has no history: no phases");
        }
        return LTK_OK;
    }
    int64_t from = skip_from(c);
    *lo = (double)(c->agg.t[0].ts > from ? c->agg.t[0].ts : from);
    *hi = (double)c->agg.t[c->agg.n - 1].ts;
    if (cr->has_phase) {
        const struct ltk_profile *p = &c->rep->profile;
        size_t nph = 0;
        for (size_t k = 0; k < p->nphases; k++)
            if (p->phases[k].kind == cr->phase && p->phases[k].end > from) {
                if (!nph)
                    *lo = (double)(p->phases[k].start > from ? p->phases[k].start : from);
                *hi = (double)p->phases[k].end;
                nph++;
            }
        if (!nph) {
            res->verdict = LTK_V_NA;
            return set_str(&res->note, "the run has no %s phase%s", ltk_phase_name(cr->phase),
                           c->opts->skip_s ? " after --skip" : "");
        }
    }
    return LTK_OK;
}

static const char *no_metrics_note(void)
{
    return "needs --metrics FILE (resource samples; samples/metrics/collect.sh writes them)";
}

/* cpu<80%, mem.max<2GB, queue_depth<100 over 5m ...: a statistic of the
 * samples inside the run's time (resource_span). */
static int eval_resource(struct ctx *c, const struct ltk_criterion *cr, struct ltk_check_result *res)
{
    const struct ltk_metrics *mx = c->opts->metrics;
    res->verdict = LTK_V_NA;
    if (!mx)
        return set_str(&res->note, "%s", no_metrics_note());
    if (!mx->v[cr->res])
        return set_str(&res->note, "the metrics file has no %s column", ltk_resource_name(cr->res));
    double lo, hi;
    int rc = resource_span(c, cr, res, &lo, &hi);
    if (rc || res->note)
        return rc;
    double w = cr->window_s ? (double)cr->window_s : LTK_METRICS_SUSTAINED_S;
    struct ltk_metrics_summary sm;
    ltk_metrics_summarise(mx, cr->res, lo, hi, w, &sm);
    if (!sm.n)
        return set_str(&res->note, "no sample of %s in the metrics file falls inside the run%s",
                       ltk_resource_name(cr->res), cr->has_phase ? "'s phase" : "");
    const char *what = cr->rstat == LTK_RSTAT_MAX ? "the highest sample" : cr->rstat == LTK_RSTAT_MEAN ? "the mean"
                                                                                                     : NULL;
    res->value = cr->rstat == LTK_RSTAT_MAX ? sm.max : cr->rstat == LTK_RSTAT_MEAN ? sm.mean : sm.window_max;
    double t0 = c->agg.n ? (double)c->t0 : sm.first;
    if (what)
        rc = set_str(&res->source, "%s: %s of %zu samples, %.0f-%.0f s", mx->source, what, sm.n, sm.first - t0,
                     sm.last - t0);
    else
        rc = set_str(&res->source, "%s: the highest mean over %g s of %zu samples, %.0f-%.0f s", mx->source, w, sm.n,
                     sm.first - t0, sm.last - t0);
    if (rc)
        return rc;
    if (isnan(res->value))
        return set_str(&res->note, "the samples span %.0f s, less than the %g s window", sm.last - sm.first, w);
    judge(res, cr->op);
    char mean[32], max[32];
    ltk_format_double(round(100 * sm.mean) / 100, mean);
    ltk_format_double(round(100 * sm.max) / 100, max);
    return set_str(&res->note, "mean %s, highest sample %s%s%s", mean, max, *res->unit ? " " : "", res->unit);
}

/* ltk trend over the run (and the metrics file when given), as ltk check's
 * soak criteria judge it. */
static int check_trend(struct ctx *c, const struct ltk_metrics *mx, struct ltk_trend_result *tr, struct ltk_error *err)
{
    struct ltk_trend_options o;
    ltk_trend_options_init(&o);
    o.skip_s = c->opts->skip_s;
    o.endpoints = false;
    return ltk_trend_analyse(c->run, mx, &o, tr, err);
}

/* The memory trend: mem_mb, else mem_pct (as ltk trend's leak signature). */
static const struct ltk_trend_metric *memory_trend(const struct ltk_trend_result *tr, enum ltk_resource want)
{
    const struct ltk_trend_metric *m = ltk_trend_find(tr, ltk_resource_name(want));
    if (!m && want == LTK_RES_MEM_MB)
        m = ltk_trend_find(tr, "mem_pct");
    return m;
}

static int trend_source(struct ltk_check_result *res, const struct ltk_trend_result *tr, const char *what)
{
    return set_str(&res->source, "%s: ltk trend, %zu steady segment%s, a point every %lld s", what, tr->nsegments,
                   tr->nsegments == 1 ? "" : "s", (long long)tr->bucket_s);
}

/* mem_growth<10MB/h: the least-squares slope of memory at constant users
 * with its 95 % interval; the whole interval must hold to pass and fail to
 * fail; one that straddles the limit is n/a (undecided), never a pass. */
static int eval_mem_growth(struct ctx *c, const struct ltk_criterion *cr, struct ltk_check_result *res)
{
    const struct ltk_metrics *mx = c->opts->metrics;
    res->verdict = LTK_V_NA;
    if (!mx)
        return set_str(&res->note, "%s", no_metrics_note());
    if (!mx->v[cr->res])
        return set_str(&res->note, "the metrics file has no %s column%s", ltk_resource_name(cr->res),
                       cr->res == LTK_RES_MEM_PCT ? " (%/h is the machine's memory percent)" : "");
    struct ltk_trend_result tr;
    struct ltk_error err;
    int rc = check_trend(c, mx, &tr, &err);
    if (rc) {
        ltk_trend_release(&tr);
        return rc == LTK_ENOMEM ? rc : set_str(&res->note, "%s", err.msg);
    }
    const struct ltk_trend_metric *m = ltk_trend_find(&tr, ltk_resource_name(cr->res));
    if (!m || m->st.n < 3 || isnan(m->st.ci_lo)) {
        rc = set_str(&res->note, "no memory trend: %s", m && m->note[0] ? m->note : "too few points");
        ltk_trend_release(&tr);
        return rc;
    }
    res->value = m->st.slope;
    bool hold_lo = ltk_cmp_holds(cr->op, m->st.ci_lo, cr->limit), hold_hi = ltk_cmp_holds(cr->op, m->st.ci_hi, cr->limit);
    res->verdict = hold_lo && hold_hi ? LTK_V_PASS : !hold_lo && !hold_hi ? LTK_V_FAIL : LTK_V_NA;
    res->undecided = res->verdict == LTK_V_NA;
    rc = trend_source(res, &tr, mx->source);
    if (!rc)
        rc = set_str(&res->note, "slope %.4g %s, 95 %% CI %.4g to %.4g, over %zu points in %.0f s at constant users%s",
                     m->st.slope, res->unit, m->st.ci_lo, m->st.ci_hi, m->st.n, 3600 * m->span_h,
                     res->undecided ? ": the interval straddles the limit, cannot tell" : "");
    ltk_trend_release(&tr);
    return rc;
}

/* A criterion from the language. */
static int eval_expr(struct ctx *c, const struct ltk_criterion *cr, struct ltk_check_result *res)
{
    snprintf(res->metric, sizeof res->metric, "%s", cr->metric_name);
    res->op = ltk_cmp_text(cr->op);
    res->unit = ltk_criterion_unit(cr);
    res->limit = cr->limit;
    if (!(res->expr = ltk_strdup(cr->text)))
        return LTK_ENOMEM;
    if (cr->endpoint && !(res->endpoint = ltk_strdup(cr->endpoint)))
        return LTK_ENOMEM;
    if (cr->metric == LTK_MET_RESOURCE)
        return eval_resource(c, cr, res);
    if (cr->metric == LTK_MET_MEM_GROWTH)
        return eval_mem_growth(c, cr, res);
    char why[200] = "";
    const struct ltk_endpoint *e = NULL;
    if (!cr->window_s && !cr->has_phase) {
        if (cr->endpoint) {
            e = find_endpoint(c->run, cr->endpoint, why, sizeof why);
            if (!e) {
                res->verdict = LTK_V_NA;
                return set_str(&res->note, "%s", why);
            }
        } else if (c->run->has_total) {
            e = &c->run->total;
        }
        if (!e) {
            res->verdict = LTK_V_NA;
            return set_str(&res->note, "the run has no Aggregated row");
        }
        double v = NAN;
        switch (cr->metric) {
        case LTK_MET_PCT:
            if (cr->ok) {
                v = ltk_ok_quantile(e, cr->pct / 100);
                break;
            }
            v = ltk_endpoint_pct(c->run, e, cr->pct / 100);
            if (isnan(v)) {
                bool has_col = false;
                for (size_t k = 0; k < c->run->stats_pct.n; k++)
                    if (fabs(c->run->stats_pct.q[k] - cr->pct / 100) < 1e-9)
                        has_col = true;
                res->verdict = LTK_V_NA;
                if (!has_col)
                    return set_str(&res->note, "stats.csv has no %g%% column", cr->pct);
                if (c->run->selection.window && e->requests > 0)
                    return unknown_in_window(res);
                return set_str(&res->note, "no requests: Locust reported N/A");
            }
            break;
        case LTK_MET_MEAN: v = cr->ok ? ltk_ok_mean(e) : e->mean; break;
        case LTK_MET_MIN: v = cr->ok ? (e->ok_hist ? ltk_hist_min(e->ok_hist) : NAN) : e->min; break;
        case LTK_MET_MAX: v = cr->ok ? (e->ok_hist ? ltk_hist_max(e->ok_hist) : NAN) : e->max; break;
        case LTK_MET_MEDIAN: v = cr->ok ? (e->ok_hist ? ltk_hist_median(e->ok_hist) : NAN) : e->median; break;
        case LTK_MET_STATUS:
        case LTK_MET_APDEX:
        case LTK_MET_UNDER:
            return eval_share(c, cr, e, res);
        case LTK_MET_ERROR_RATE: v = 100 * ltk_endpoint_fail_ratio(e); break;
        case LTK_MET_RPS: v = e->rps; break;
        case LTK_MET_REQUESTS: v = (double)e->requests; break;
        case LTK_MET_FAILURES: v = (double)e->failures; break;
        case LTK_MET_RESOURCE:
        case LTK_MET_MEM_GROWTH: break;   /* evaluated above */
        }
        if (cr->ok && !e->ok_hist) {
            res->verdict = LTK_V_NA;
            return set_str(&res->note, "the input does not tell the successful requests' times apart (Locust's "
                                       "CSV and JSON, ltk.summary/1): ok. metrics need a raw request log");
        }
        res->value = v;
        if (set_str(&res->source, "%s", run_source(c)))
            return LTK_ENOMEM;
        judge(res, cr->op);
        if (res->verdict == LTK_V_NA)
            return c->run->selection.window && e->requests > 0 ? unknown_in_window(res)
                                                                : set_str(&res->note, "no requests");
        return LTK_OK;
    }

    /* from the history */
    struct ltk_series own = { 0 };
    const struct ltk_series *s = &c->agg;
    if (cr->endpoint) {
        struct ltk_error e2;
        if (!c->run->history_full) {
            res->verdict = LTK_V_NA;
            return set_str(&res->note, "stats_history has no per-endpoint rows (Locust ran without "
                                       "--csv-full-history)");
        }
        const char *type = NULL, *name = NULL;
        if (history_endpoint(c->run, cr->endpoint, &type, &name, why, sizeof why) ||
            ltk_series_from_run(c->run, type, name, &own, &e2)) {
            res->verdict = LTK_V_NA;
            return set_str(&res->note, "%s", why[0] ? why : "no stats_history rows for this endpoint");
        }
        s = &own;
    } else if (!c->agg.n) {
        res->verdict = LTK_V_NA;
        return set_str(&res->note, "the run has no stats_history.csv");
    }
    const char *why2 = NULL;
    int rc = LTK_OK;
    int64_t from = skip_from(c);
    if (cr->has_phase) {
        /* the ticks of every phase of that kind, together */
        const struct ltk_profile *p = &c->rep->profile;
        double v = NAN;
        size_t nph = 0;
        int64_t lo = 0, hi = 0;
        for (size_t k = 0; k < p->nphases; k++)
            if (p->phases[k].kind == cr->phase && p->phases[k].end > from) {
                if (!nph)
                    lo = p->phases[k].start > from ? p->phases[k].start : from;
                hi = p->phases[k].end;
                nph++;
            }
        if (!nph) {
            res->verdict = LTK_V_NA;
            rc = set_str(&res->note, "the run has no %s phase%s", ltk_phase_name(cr->phase),
                         c->opts->skip_s ? " after --skip" : "");
        } else {
            v = interval_value(c, s, lo, hi, cr->metric, cr->pct, &why2);
            res->value = v;
            if (why2) {
                res->verdict = LTK_V_NA;
                rc = set_str(&res->note, "%s", why2);
            } else {
                judge(res, cr->op);
                rc = set_str(&res->source, "%s, %s phase %lld-%lld s%s", history_name(c), ltk_phase_name(cr->phase),
                             (long long)(lo - c->t0), (long long)(hi - c->t0),
                             cr->metric == LTK_MET_PCT || cr->metric == LTK_MET_MEDIAN ? window_words(c, false) : "");
                if (!rc && res->verdict == LTK_V_NA)
                    rc = set_str(&res->note, "no data in the phase");
            }
        }
    } else {
        /* every window of window_s seconds must hold; the worst is shown.
         * The windows run over a copy of the ticks sorted by time, so each
         * visits only its own ticks, and stretches without any tick are
         * counted in one step: a hostile history whose timestamps jump by
         * 10^15 s would otherwise mean 10^14 windows (found by fuzzing). */
        int64_t W = cr->window_s;
        struct ltk_series sorted = *s;
        sorted.t = malloc((s->n ? s->n : 1) * sizeof *sorted.t);
        if (!sorted.t) {
            ltk_series_release(&own);
            return LTK_ENOMEM;
        }
        memcpy(sorted.t, s->t, s->n * sizeof *sorted.t);
        qsort(sorted.t, sorted.n, sizeof *sorted.t, cmp_tick_ts);
        size_t first = first_at(&sorted, from);
        if (first >= sorted.n) {
            res->verdict = LTK_V_NA;
            rc = set_str(&res->note, "no history after --skip");
        } else {
            int64_t s0 = sorted.t[first].ts, last = sorted.t[sorted.n - 1].ts;
            size_t nwin = 0, nbad = 0, nempty = 0;
            double worst = NAN;
            bool lower_is_worse = cr->op == LTK_CMP_GT || cr->op == LTK_CMP_GE;
            for (int64_t lo = s0; lo < last && !why2;) {
                int64_t hi = lo + W;
                if (hi > last) {
                    if ((last - lo) * 2 < W)
                        break;   /* a trailing remainder shorter than half a window */
                    hi = last;
                }
                /* the windows from lo up to the one holding the next tick
                 * at or after hi: this one, then `skip` without any tick */
                size_t next = first_at(&sorted, hi);
                int64_t skip = 0;
                if (next < sorted.n) {
                    int64_t k = (sorted.t[next].ts - s0) / W - 1;  /* the window before the tick's */
                    int64_t after = (hi - s0) / W;                   /* the window after this one */
                    skip = k > after ? k - after : 0;
                }
                for (int pass = 0; pass < 2 && !why2; pass++) {
                    int64_t count = pass ? skip : 1;
                    if (!count)
                        continue;
                    int64_t wlo = pass ? hi : lo, whi = pass ? hi + W : hi;
                    double v = interval_value_in(c, &sorted, true, wlo, whi, cr->metric, cr->pct, &why2);
                    if (why2)
                        break;
                    if (isnan(v)) {
                        nempty += (size_t)count;
                        continue;
                    }
                    nwin += (size_t)count;
                    if (!ltk_cmp_holds(cr->op, v, cr->limit))
                        nbad += (size_t)count;
                    if (isnan(worst) || (lower_is_worse ? v < worst : v > worst) ||
                        (cr->op == LTK_CMP_EQ && !ltk_cmp_holds(cr->op, v, cr->limit)))
                        worst = v;
                }
                lo = hi + skip * W;
            }
            if (why2) {
                res->verdict = LTK_V_NA;
                rc = set_str(&res->note, "%s", why2);
            } else if (!nwin) {
                res->verdict = LTK_V_NA;
                rc = set_str(&res->note, "no window of %lld s with data", (long long)W);
            } else {
                res->value = worst;
                res->verdict = nbad ? LTK_V_FAIL : LTK_V_PASS;
                rc = set_str(&res->source, "%s, worst of %zu windows of %lld s%s", history_name(c), nwin,
                             (long long)W,
                             cr->metric == LTK_MET_PCT || cr->metric == LTK_MET_MEDIAN ? window_words(c, true) : "");
                if (!rc && nbad)
                    rc = set_str(&res->note, "%zu of %zu windows fail", nbad, nwin);
                else if (!rc && nempty)
                    rc = set_str(&res->note, "%zu windows without requests not counted", nempty);
            }
        }
        free(sorted.t);
    }
    ltk_series_release(&own);
    return rc;
}

/* spike: p95 back within tolerance of the pre-spike level at the end. */
static int eval_recovered(struct ctx *c, struct ltk_check_result *res)
{
    snprintf(res->metric, sizeof res->metric, "%s", "recovered");
    res->op = "<=";
    res->unit = "ms";
    const struct ltk_profile *p = &c->rep->profile;
    const struct ltk_phase *base = NULL, *spike = NULL, *rec = NULL;
    for (size_t k = 0; k < p->nphases; k++) {
        if (p->phases[k].kind == LTK_PHASE_SPIKE && !spike)
            spike = &p->phases[k];
        else if (!spike && p->phases[k].kind == LTK_PHASE_STEADY)
            base = &p->phases[k];
        else if (spike && p->phases[k].kind == LTK_PHASE_RECOVERY)
            rec = &p->phases[k];
    }
    res->verdict = LTK_V_NA;
    if (!c->agg.n)
        return set_str(&res->note, "the run has no stats_history.csv: no phases");
    if (!spike)
        return set_str(&res->note, "the run has no spike phase");
    if (!rec)
        return set_str(&res->note, "users did not come back down after the spike: no recovery phase to judge "
                                   "(the criteria during the spike cover the held surge)");
    if (!base)
        return set_str(&res->note, "the spike started from 0 users: no steady level before it to recover to");
    const char *why;
    int64_t from = skip_from(c);
    double b = interval_value(c, &c->agg, base->start > from ? base->start : from, base->end, LTK_MET_PCT, 95, &why);
    if (why) {
        res->verdict = LTK_V_NA;
        return set_str(&res->note, "%s", why);
    }
    int64_t lo = rec->end - params.recover_tail_s;
    if (lo < rec->start)
        lo = rec->start;
    double v = interval_value(c, &c->agg, lo, rec->end, LTK_MET_PCT, 95, &why);
    res->value = v;
    res->limit = b * (1 + params.recover_tolerance);
    judge(res, LTK_CMP_LE);
    if (res->verdict == LTK_V_NA)
        return set_str(&res->note, "no p95 values before the spike or at the end of the recovery");
    if (set_str(&res->source, "%s: p95 at the end of the recovery (%lld-%lld s) vs before the spike",
                history_name(c), (long long)(lo - c->t0), (long long)(rec->end - c->t0)))
        return LTK_ENOMEM;
    return set_str(&res->note, "pre-spike p95 %.0f ms; limit is %.0f %% above it", b, 100 * params.recover_tolerance);
}

/* soak: no latency trend at constant users, judged as ltk trend judges it
 * (the module's table asks for p50, p95 and p99 all "stable"). */
static int eval_stable(struct ctx *c, struct ltk_check_result *res)
{
    snprintf(res->metric, sizeof res->metric, "%s", "stable");
    res->op = "<";
    res->unit = "%";
    struct ltk_trend_options o;
    ltk_trend_options_init(&o);
    res->limit = 100 * o.min_change;
    struct ltk_trend_result tr;
    struct ltk_error err;
    int rc = check_trend(c, NULL, &tr, &err);
    if (rc == LTK_ENOMEM) {
        ltk_trend_release(&tr);
        return rc;
    }
    res->verdict = LTK_V_NA;
    if (rc) {
        ltk_trend_release(&tr);
        return set_str(&res->note, "%s", err.msg);
    }
    static const char *const lat[] = { "p50", "p95", "p99" };
    struct ltk_buf why;
    ltk_buf_init(&why);
    size_t known = 0, bad = 0;
    for (size_t k = 0; k < 3; k++) {
        const struct ltk_trend_metric *m = ltk_trend_find(&tr, lat[k]);
        if (!m || m->verdict == LTK_TREND_UNKNOWN)
            continue;
        known++;
        bad += m->verdict == LTK_TREND_DEGRADING;
        ltk_buf_printf(&why, "%s%s %+.0f %% in %.0f s, Mann-Kendall p = %.2g: %s", known > 1 ? "; " : "", lat[k],
                       100 * m->change, 3600 * m->span_h, m->st.p_value, ltk_trend_verdict_name(m->verdict));
        if (k == 1)
            res->value = 100 * m->change;
    }
    if (known) {
        res->verdict = bad ? LTK_V_FAIL : LTK_V_PASS;
        rc = set_str(&res->note, "%s", why.failed ? "out of memory" : why.data);
        if (rc == LTK_OK)
            rc = trend_source(res, &tr, history_name(c));
    } else {
        rc = set_str(&res->note, "%s", tr.nnotes ? tr.notes[0] : tr.verdict_reason);
    }
    ltk_buf_release(&why);
    ltk_trend_release(&tr);
    return rc;
}

/* soak: stable memory (the module's section 2), judged as ltk trend judges
 * it: memory at constant users is degrading when its slope is significant
 * and the fitted change over the analysed time is at least 10 % of its
 * mean.  Needs the metrics file; without it n/a with the reason. */
static int eval_stable_memory(struct ctx *c, struct ltk_check_result *res)
{
    snprintf(res->metric, sizeof res->metric, "%s", "stable_memory");
    res->op = "<";
    res->unit = "%";
    struct ltk_trend_options o;
    ltk_trend_options_init(&o);
    res->limit = 100 * o.min_change;
    res->verdict = LTK_V_NA;
    const struct ltk_metrics *mx = c->opts->metrics;
    if (!mx)
        return set_str(&res->note, "memory unknown: %s", no_metrics_note());
    if (!mx->v[LTK_RES_MEM_MB] && !mx->v[LTK_RES_MEM_PCT])
        return set_str(&res->note, "the metrics file has no memory column (mem_mb, rss_kb, mem_percent ...)");
    struct ltk_trend_result tr;
    struct ltk_error err;
    int rc = check_trend(c, mx, &tr, &err);
    if (rc) {
        ltk_trend_release(&tr);
        return rc == LTK_ENOMEM ? rc : set_str(&res->note, "%s", err.msg);
    }
    const struct ltk_trend_metric *m = memory_trend(&tr, mx->v[LTK_RES_MEM_MB] ? LTK_RES_MEM_MB : LTK_RES_MEM_PCT);
    if (!m || m->verdict == LTK_TREND_UNKNOWN) {
        rc = set_str(&res->note, "no memory trend: %s", m && m->note[0] ? m->note : "too few points");
    } else {
        res->value = 100 * m->change;
        res->verdict = m->verdict == LTK_TREND_DEGRADING ? LTK_V_FAIL : LTK_V_PASS;
        rc = trend_source(res, &tr, mx->source);
        if (!rc)
            rc = set_str(&res->note, "%s %+.0f %% in %.0f s (slope %.4g %s/h, 95 %% CI %.4g to %.4g), Mann-Kendall "
                         "p = %.2g: %s", m->metric, 100 * m->change, 3600 * m->span_h, m->st.slope, m->unit,
                         m->st.ci_lo, m->st.ci_hi, m->st.p_value, ltk_trend_verdict_name(m->verdict));
    }
    ltk_trend_release(&tr);
    return rc;
}

/* stress: the first user level whose error rate passes the limit.  The
 * levels and the rule are ltk capacity's, so both tools name the same
 * breaking point for a run. */
static int eval_breaking_point(struct ctx *c, struct ltk_check_result *res)
{
    snprintf(res->metric, sizeof res->metric, "%s", "breaking_point");
    res->op = "";
    res->unit = "users";
    res->verdict = LTK_V_NA;   /* until there are levels to look at */
    if (!c->agg.n)
        return set_str(&res->note, "the run has no stats_history.csv: no user levels to look at");
    struct ltk_capacity_options opt;
    ltk_capacity_options_init(&opt);
    struct ltk_capacity_result cap;
    struct ltk_error err;
    if (ltk_capacity_levels_from_run(c->run, &opt, &cap, &err)) {
        ltk_capacity_release(&cap);
        return set_str(&res->note, "no user levels: %s", err.msg);
    }
    /* --skip drops the levels that end before it */
    int64_t from = skip_from(c);
    size_t kept = 0;
    for (size_t i = 0; i < cap.nlevels; i++)
        if (cap.source == LTK_CAP_TABLE || cap.levels[i].end > from)
            cap.levels[kept++] = cap.levels[i];
    cap.nlevels = kept;
    if (!kept) {
        ltk_capacity_release(&cap);
        return set_str(&res->note, "no user levels after --skip");
    }
    c->rep->have_break = true;
    res->verdict = LTK_V_INFO;
    int rc = ltk_capacity_analyse(&cap, &opt);
    if (rc == LTK_OK && cap.breaking >= 0) {
        const struct ltk_capacity_level *l = &cap.levels[cap.breaking];
        res->value = l->users;
        c->rep->break_users = (int64_t)llround(l->users);
        if (cap.capacity >= 0)
            rc = set_str(&res->note, "%s; the last level below it was %g users", cap.breaking_reason,
                         cap.levels[cap.capacity].users);
        else
            rc = set_str(&res->note, "%s, the first level", cap.breaking_reason);
    } else if (rc == LTK_OK) {
        double peak = cap.nlevels ? cap.levels[cap.nlevels - 1].users : 0;
        rc = set_str(&res->note, "not reached: at most %g %% errors on every level up to %g users",
                     params.break_error_pct, peak);
    }
    if (rc == LTK_OK)
        rc = set_str(&res->source, "%s, %s (as ltk capacity)", history_name(c),
                     cap.source == LTK_CAP_BINS ? "user bands of a ramp" : "levels of constant users");
    ltk_capacity_release(&cap);
    return rc;
}

static void count(struct ltk_check_report *r)
{
    r->npass = r->nfail = r->nna = r->ninfo = 0;
    for (size_t i = 0; i < r->nresults; i++)
        switch (r->results[i].verdict) {
        case LTK_V_PASS: r->npass++; break;
        case LTK_V_FAIL: r->nfail++; break;
        case LTK_V_NA: r->nna++; break;
        case LTK_V_INFO: r->ninfo++; break;
        }
    r->passed = r->nfail == 0;
}

int ltk_check_run(const struct ltk_run *run, const struct ltk_check_opts *opts, struct ltk_check_report *out,
                  struct ltk_error *err)
{
    memset(out, 0, sizeof *out);
    struct ctx c = { .run = run, .opts = opts, .rep = out };
    int rc = LTK_OK;
    if (!(out->run_label = ltk_strdup(run->label ? run->label : "")))
        return ltk_error_set(err, LTK_ENOMEM, NULL, 0, 0, "out of memory");
    if (run->nhistory) {
        struct ltk_error e2;
        if (ltk_series_from_run(run, NULL, NULL, &c.agg, &e2) == LTK_OK) {
            c.t0 = c.agg.t[0].ts;
            if ((rc = ltk_profile_detect(&c.agg, NULL, &out->profile, err)))
                goto done;
            if (out->profile.type != LTK_TT_UNKNOWN)
                c.t0 = out->profile.start;   /* times count from the first user */
        }
    }
    if (opts->skip_s > 0 &&
        !(out->skip_note = ltk_asprintf("--skip %llds applies to stats_history values (windows, phases); "
                                        "stats.csv values cover the whole run",
                                        (long long)opts->skip_s))) {
        rc = ltk_error_set(err, LTK_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    if (opts->type != LTK_TT_UNKNOWN) {
        out->type = opts->type;
        out->type_given = true;
        snprintf(out->type_reason, sizeof out->type_reason, "given with --type%s%s%s",
                 c.agg.n ? " (detected: " : "", c.agg.n ? ltk_test_type_name(out->profile.type) : "",
                 c.agg.n ? ")" : "");
    } else if (c.agg.n) {
        out->type = out->profile.type;
        snprintf(out->type_reason, sizeof out->type_reason, "%s", out->profile.reason);
    } else {
        out->type = LTK_TT_UNKNOWN;
        snprintf(out->type_reason, sizeof out->type_reason, "no stats_history.csv: users over time unknown");
    }
    if (!opts->ncriteria && out->type == LTK_TT_UNKNOWN) {
        rc = ltk_error_set(err, LTK_EINVAL, run->label, 0, 0,
                           "cannot tell the test type (%s); give --type or criteria", out->type_reason);
        goto done;
    }

    if (opts->ncriteria) {
        for (size_t i = 0; i < opts->ncriteria && !rc; i++) {
            struct ltk_check_result *res = new_result(&c);
            if (!res) {
                rc = LTK_ENOMEM;
                break;
            }
            rc = eval_expr(&c, &opts->criteria[i], res);
            if (!rc && res->verdict == LTK_V_NA && !res->undecided) {
                char e[300];
                ltk_quote_text(res->expr, e, sizeof e);
                rc = ltk_error_set(err, LTK_EINVAL, run->label, 0, 0, "criterion %s cannot be checked: %s", e,
                                   res->note ? res->note : "no value");
            }
        }
    } else {
        out->builtin = true;
        for (size_t i = 0; i < sizeof builtins / sizeof builtins[0] && !rc; i++) {
            const struct ltk_builtin_criterion *b = &builtins[i];
            if (b->type != out->type)
                continue;
            struct ltk_check_result *res = new_result(&c);
            if (!res) {
                rc = LTK_ENOMEM;
                break;
            }
            if (!(res->expr = ltk_strdup(b->expr))) {
                rc = LTK_ENOMEM;
                break;
            }
            if (strcmp(b->expr, "recovered") == 0)
                rc = eval_recovered(&c, res);
            else if (strcmp(b->expr, "stable") == 0)
                rc = eval_stable(&c, res);
            else if (strcmp(b->expr, "stable_memory") == 0)
                rc = eval_stable_memory(&c, res);
            else if (strcmp(b->expr, "breaking_point") == 0)
                rc = eval_breaking_point(&c, res);
            else {
                struct ltk_criterion cr;
                free(res->expr);
                res->expr = NULL;
                if ((rc = ltk_criterion_parse(b->expr, &cr, err)))
                    break;   /* cannot happen: the table is tested */
                rc = eval_expr(&c, &cr, res);
                ltk_criterion_release(&cr);
            }
        }
        if (rc == LTK_ENOMEM)
            ltk_error_set(err, LTK_ENOMEM, NULL, 0, 0, "out of memory");
    }
    count(out);
done:
    ltk_series_release(&c.agg);
    free(c.buf);
    if (rc)
        ltk_check_report_release(out);
    return rc;
}

int ltk_check_evaluated(const struct ltk_check_report *r, struct ltk_error *err)
{
    if (r->npass + r->nfail + r->ninfo)
        return LTK_OK;
    /* every criterion n/a: say why, one reason with all the criteria it stopped */
    struct ltk_buf b;
    ltk_buf_init(&b);
    ltk_buf_printf(&b, "no criterion could be evaluated (%zu n/a), so the run neither passes nor fails: ", r->nresults);
    bool any = false;
    for (size_t i = 0; i < r->nresults; i++) {
        const char *why = r->results[i].note ? r->results[i].note : "no value";
        bool seen = false;
        for (size_t k = 0; k < i && !seen; k++)
            seen = strcmp(why, r->results[k].note ? r->results[k].note : "no value") == 0;
        if (seen)
            continue;
        ltk_buf_puts(&b, any ? "; " : "");
        any = true;
        for (size_t k = i, n = 0; k < r->nresults; k++)
            if (strcmp(why, r->results[k].note ? r->results[k].note : "no value") == 0)
                ltk_buf_printf(&b, "%s%s", n++ ? ", " : "", r->results[k].expr);
        ltk_buf_printf(&b, ": %s", why);
    }
    if (!any)
        ltk_buf_puts(&b, "there are no criteria");
    if (r->type_given && r->profile.type != LTK_TT_UNKNOWN)
        ltk_buf_printf(&b, " (test type %s given with --type, detected: %s, %s)", ltk_test_type_name(r->type),
                       ltk_test_type_name(r->profile.type), r->profile.reason);
    else if (r->type_given)
        ltk_buf_printf(&b, " (test type %s given with --type)", ltk_test_type_name(r->type));
    int rc = ltk_error_set(err, LTK_EINVAL, r->run_label, 0, 0, "%s", b.failed ? "out of memory" : b.data);
    ltk_buf_release(&b);
    return rc;
}

/* ---- views ---- */

static void put_value(struct ltk_buf *b, double v, const char *unit)
{
    if (isnan(v)) {
        ltk_buf_puts(b, "-");
        return;
    }
    if (strcmp(unit, "%") == 0)
        ltk_buf_printf(b, "%.2f %%", v);
    else if (strcmp(unit, "req/s") == 0)
        ltk_buf_printf(b, "%.2f req/s", v);
    else if (strcmp(unit, "ms") == 0)
        ltk_buf_printf(b, v == floor(v) ? "%.0f ms" : "%.1f ms", v);
    else if (*unit)
        ltk_buf_printf(b, v == floor(v) || fabs(v) >= 100 ? "%.0f %s" : "%.1f %s", v, unit);
    else
        ltk_buf_printf(b, v == floor(v) ? "%.0f" : "%.3f", v);   /* Apdex: 0.912 */
}

static const char *phase_arrow(const struct ltk_phase *ph)
{
    return ph->kind == LTK_PHASE_RAMP_UP || ph->kind == LTK_PHASE_RAMP_DOWN || ph->kind == LTK_PHASE_RECOVERY
               ? "->" : "";
}

static void put_cell(struct ltk_buf *b, const char *text, size_t width, bool terminal)
{
    size_t before = b->len;
    if (terminal)
        ltk_buf_put_terminal(b, text);
    else
        ltk_buf_puts(b, text);
    size_t w = terminal ? ltk_terminal_width(text) : b->len - before;
    if (w < width)
        ltk_buf_pad(b, ' ', width - w);
}

int ltk_check_write_table(FILE *out, const struct ltk_check_report *r, bool color)
{
    struct ltk_buf b;
    ltk_buf_init(&b);
    ltk_buf_puts(&b, "run:       ");
    ltk_buf_put_terminal(&b, r->run_label);
    ltk_buf_printf(&b, "\ntest type: %s (", ltk_test_type_name(r->type));
    ltk_buf_put_terminal(&b, r->type_reason);
    ltk_buf_puts(&b, ")\n");
    if (r->profile.nphases) {
        ltk_buf_puts(&b, "phases:    ");
        int64_t t0 = r->profile.start;
        for (size_t i = 0; i < r->profile.nphases; i++) {
            const struct ltk_phase *ph = &r->profile.phases[i];
            ltk_buf_printf(&b, "%s%s ", i ? ", " : "", ltk_phase_name(ph->kind));
            if (*phase_arrow(ph))
                ltk_buf_printf(&b, "%lld->%lld users", (long long)ph->users_from, (long long)ph->users);
            else
                ltk_buf_printf(&b, "%lld user%s", (long long)ph->users, ph->users == 1 ? "" : "s");
            ltk_buf_printf(&b, " %lld-%lld s", (long long)(ph->start - t0), (long long)(ph->end - t0));
        }
        ltk_buf_puts(&b, "\n");
    }
    ltk_buf_puts(&b, "\n");

    /* column widths */
    size_t we = strlen("Criterion"), wn = strlen("Endpoint"), wv = strlen("Value"), wl = strlen("Limit");
    for (size_t i = 0; i < r->nresults; i++) {
        const struct ltk_check_result *x = &r->results[i];
        size_t w = ltk_terminal_width(x->expr);
        if (w > we)
            we = w;
        w = x->endpoint ? ltk_terminal_width(x->endpoint) : 5;
        if (w > wn)
            wn = w;
        struct ltk_buf t;
        ltk_buf_init(&t);
        put_value(&t, x->value, x->unit);
        if (t.len > wv)
            wv = t.len;
        ltk_buf_reset(&t);
        ltk_buf_printf(&t, "%s ", x->op);
        put_value(&t, x->limit, x->unit);
        if (t.len > wl)
            wl = t.len;
        ltk_buf_release(&t);
    }
    if (we > 60)
        we = 60;
    if (wn > 40)
        wn = 40;
    ltk_buf_puts(&b, "Result  ");
    put_cell(&b, "Criterion", we + 2, false);
    put_cell(&b, "Endpoint", wn + 2, false);
    put_cell(&b, "Value", wv + 2, false);
    ltk_buf_puts(&b, "Limit\n");
    for (size_t i = 0; i < r->nresults; i++) {
        const struct ltk_check_result *x = &r->results[i];
        const char *on = "", *off = "";
        if (color) {
            off = "\033[0m";
            on = x->verdict == LTK_V_PASS ? "\033[32m" : x->verdict == LTK_V_FAIL ? "\033[1;31m" : "";
        }
        ltk_buf_printf(&b, "%s%-6s%s  ", on, ltk_verdict_name(x->verdict), color ? off : "");
        put_cell(&b, x->expr, we + 2, true);
        put_cell(&b, x->endpoint ? x->endpoint : "(all)", wn + 2, true);
        struct ltk_buf t;
        ltk_buf_init(&t);
        put_value(&t, x->value, x->unit);
        put_cell(&b, t.failed ? "" : t.data, wv + 2, false);
        ltk_buf_reset(&t);
        if (!isnan(x->limit)) {
            ltk_buf_printf(&t, "%s ", x->op);
            put_value(&t, x->limit, x->unit);
        } else {
            ltk_buf_puts(&t, "-");
        }
        ltk_buf_puts(&b, t.failed ? "" : t.data);
        ltk_buf_release(&t);
        ltk_buf_puts(&b, "\n");
        if (x->source) {
            ltk_buf_puts(&b, "        from ");
            ltk_buf_put_terminal(&b, x->source);
            ltk_buf_puts(&b, "\n");
        }
        if (x->note) {
            ltk_buf_puts(&b, "        ");
            ltk_buf_put_terminal(&b, x->note);
            ltk_buf_puts(&b, "\n");
        }
    }
    ltk_buf_puts(&b, "\n");
    if (r->skip_note)
        ltk_buf_printf(&b, "note: %s\n", r->skip_note);
    if (r->have_break) {
        if (r->break_users)
            ltk_buf_printf(&b, "breaking point: %lld users (first level past %g %% errors)\n",
                           (long long)r->break_users, params.break_error_pct);
        else
            ltk_buf_printf(&b, "breaking point: not reached\n");
    }
    size_t judged = r->npass + r->nfail;
    if (!judged && !r->ninfo)
        ltk_buf_printf(&b, "result: NOT EVALUATED: no criterion could be evaluated (%zu n/a)\n", r->nna);
    else if (!judged)
        ltk_buf_printf(&b, "result: no pass/fail criteria (%zu finding%s, %zu n/a)\n", r->ninfo,
                       r->ninfo == 1 ? "" : "s", r->nna);
    else
        ltk_buf_printf(&b, "result: %s: %zu passed, %zu failed, %zu n/a\n", r->passed ? "PASSED" : "FAILED",
                       r->npass, r->nfail, r->nna);
    return ltk_buf_flush(out, &b);
}

cJSON *ltk_check_to_json(const struct ltk_check_report *r)
{
    struct ltk_jb b = { false };
    cJSON *doc = cJSON_CreateObject();
    ltk_jb_str(&b, doc, "schema", "ltk.check/1");
    ltk_jb_str(&b, doc, "run", r->run_label);
    ltk_jb_str(&b, doc, "test_type", r->type == LTK_TT_UNKNOWN ? NULL : ltk_test_type_name(r->type));
    ltk_jb_str(&b, doc, "test_type_source", r->type_given ? "given" : "detected");
    ltk_jb_str(&b, doc, "test_type_reason", r->type_reason);
    ltk_jb_str(&b, doc, "criteria_source", r->builtin ? "builtin" : "user");
    cJSON *phases = ltk_jb_arr(&b, doc, "phases");
    for (size_t i = 0; i < r->profile.nphases; i++) {
        const struct ltk_phase *ph = &r->profile.phases[i];
        cJSON *o = ltk_jb_obj(&b, phases, NULL);
        ltk_jb_str(&b, o, "kind", ltk_phase_name(ph->kind));
        ltk_jb_num(&b, o, "start", (double)ph->start);
        ltk_jb_num(&b, o, "end", (double)ph->end);
        ltk_jb_num(&b, o, "start_offset_s", (double)(ph->start - r->profile.start));
        ltk_jb_num(&b, o, "end_offset_s", (double)(ph->end - r->profile.start));
        ltk_jb_num(&b, o, "users_from", (double)ph->users_from);
        ltk_jb_num(&b, o, "users", (double)ph->users);
    }
    if (r->npass + r->nfail)
        ltk_jb_bool(&b, doc, "passed", r->passed);
    else
        ltk_jb_str(&b, doc, "passed", NULL);
    cJSON *crit = ltk_jb_arr(&b, doc, "criteria");
    static const char *const st[] = { "pass", "fail", "n/a", "info" };
    for (size_t i = 0; i < r->nresults; i++) {
        const struct ltk_check_result *x = &r->results[i];
        cJSON *o = ltk_jb_obj(&b, crit, NULL);
        ltk_jb_str(&b, o, "expr", x->expr);
        ltk_jb_str(&b, o, "endpoint", x->endpoint);
        ltk_jb_str(&b, o, "metric", x->metric);
        ltk_jb_str(&b, o, "op", x->op);
        ltk_jb_num(&b, o, "value", x->value);
        ltk_jb_num(&b, o, "limit", x->limit);
        ltk_jb_str(&b, o, "unit", x->unit);
        if (x->verdict == LTK_V_PASS || x->verdict == LTK_V_FAIL)
            ltk_jb_bool(&b, o, "passed", x->verdict == LTK_V_PASS);
        else
            ltk_jb_str(&b, o, "passed", NULL);
        ltk_jb_str(&b, o, "status", st[x->verdict]);
        ltk_jb_str(&b, o, "source", x->source);
        ltk_jb_str(&b, o, "note", x->note);
    }
    if (r->have_break) {
        cJSON *bp = ltk_jb_obj(&b, doc, "breaking_point");
        ltk_jb_num(&b, bp, "users", r->break_users ? (double)r->break_users : NAN);
        ltk_jb_num(&b, bp, "error_rate_limit_pct", params.break_error_pct);
    } else {
        ltk_jb_str(&b, doc, "breaking_point", NULL);
    }
    ltk_jb_str(&b, doc, "note", r->skip_note);
    if (b.failed || !doc) {
        cJSON_Delete(doc);
        return NULL;
    }
    return doc;
}

/* Appends s escaped for XML character data and attribute values: markup
 * characters as entities, characters XML 1.0 forbids (control characters)
 * and invalid UTF-8 bytes as U+FFFD. */
static void put_xml(struct ltk_buf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned char ch = *p;
        if (ch < 0x80) {
            switch (ch) {
            case '&': ltk_buf_puts(b, "&amp;"); break;
            case '<': ltk_buf_puts(b, "&lt;"); break;
            case '>': ltk_buf_puts(b, "&gt;"); break;
            case '"': ltk_buf_puts(b, "&quot;"); break;
            case '\'': ltk_buf_puts(b, "&apos;"); break;
            case '\t': ltk_buf_puts(b, "&#9;"); break;
            case '\n': ltk_buf_puts(b, "&#10;"); break;
            case '\r': ltk_buf_puts(b, "&#13;"); break;
            default:
                if (ch < 0x20 || ch == 0x7f)
                    ltk_buf_puts(b, "\xEF\xBF\xBD");
                else
                    ltk_buf_putc(b, (char)ch);
            }
            p++;
            continue;
        }
        /* a well-formed UTF-8 sequence, or U+FFFD for one bad byte */
        size_t len = ch >= 0xF0 && ch <= 0xF4 ? 4 : ch >= 0xE0 ? 3 : ch >= 0xC2 && ch <= 0xDF ? 2 : 0;
        if (ch >= 0xF5)
            len = 0;
        bool good = len > 0;
        uint32_t cp = len == 2 ? ch & 0x1F : len == 3 ? ch & 0x0F : ch & 0x07;
        for (size_t k = 1; good && k < len; k++) {
            if ((p[k] & 0xC0) != 0x80)
                good = false;
            else
                cp = (cp << 6) | (p[k] & 0x3F);
        }
        if (good && ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF)) ||
                     (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))))
            good = false;
        if (good) {
            ltk_buf_append(b, (const char *)p, len);
            p += len;
        } else {
            ltk_buf_puts(b, "\xEF\xBF\xBD");
            p++;
        }
    }
}

int ltk_check_write_junit(FILE *out, const struct ltk_check_report *r)
{
    struct ltk_buf b;
    ltk_buf_init(&b);
    size_t nskip = r->nna;
    ltk_buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"ltk check\" tests=\"");
    ltk_buf_printf(&b, "%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\">\n", r->nresults, r->nfail, nskip);
    ltk_buf_puts(&b, "  <testsuite name=\"");
    put_xml(&b, r->run_label);
    ltk_buf_printf(&b, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\">\n", r->nresults, r->nfail,
                   nskip);
    ltk_buf_puts(&b, "    <properties>\n      <property name=\"test_type\" value=\"");
    put_xml(&b, ltk_test_type_name(r->type));
    ltk_buf_puts(&b, "\"/>\n      <property name=\"test_type_reason\" value=\"");
    put_xml(&b, r->type_reason);
    ltk_buf_puts(&b, "\"/>\n    </properties>\n");
    for (size_t i = 0; i < r->nresults; i++) {
        const struct ltk_check_result *x = &r->results[i];
        ltk_buf_puts(&b, "    <testcase classname=\"ltk.check.");
        put_xml(&b, ltk_test_type_name(r->type));
        ltk_buf_puts(&b, "\" name=\"");
        if (x->endpoint) {
            put_xml(&b, x->endpoint);
            ltk_buf_puts(&b, ": ");
        }
        put_xml(&b, x->expr);
        ltk_buf_puts(&b, "\">\n");
        struct ltk_buf m;
        ltk_buf_init(&m);
        ltk_buf_puts(&m, "value ");
        put_value(&m, x->value, x->unit);
        if (!isnan(x->limit)) {
            ltk_buf_printf(&m, ", limit %s ", x->op);
            put_value(&m, x->limit, x->unit);
        }
        if (x->note) {
            ltk_buf_puts(&m, "; ");
            ltk_buf_puts(&m, x->note);
        }
        const char *msg = m.failed ? "" : m.data;
        if (x->verdict == LTK_V_FAIL) {
            ltk_buf_puts(&b, "      <failure type=\"criterion\" message=\"");
            put_xml(&b, msg);
            ltk_buf_puts(&b, "\">");
            put_xml(&b, msg);
            ltk_buf_puts(&b, "</failure>\n");
        } else if (x->verdict == LTK_V_NA) {
            ltk_buf_puts(&b, "      <skipped message=\"");
            put_xml(&b, msg);
            ltk_buf_puts(&b, "\"/>\n");
        } else {
            ltk_buf_printf(&b, "      <system-out>%s: ", ltk_verdict_name(x->verdict));
            put_xml(&b, msg);
            ltk_buf_puts(&b, "</system-out>\n");
        }
        ltk_buf_release(&m);
        ltk_buf_puts(&b, "    </testcase>\n");
    }
    ltk_buf_puts(&b, "  </testsuite>\n</testsuites>\n");
    return ltk_buf_flush(out, &b);
}

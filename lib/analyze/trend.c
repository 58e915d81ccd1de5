/* Trends at constant load: slopes, their uncertainty, and spike recovery
 * (see ltk/analyze/trend.h for the methods). */
#include "ltk/analyze/trend.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_multifit.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ltk/base/json.h"
#include "ltk/model/series.h"
#include "base/strutil.h"

#define LEAK_MIN_R 0.7        /* memory and latency move together at least this much */

const char *ltk_trend_verdict_name(enum ltk_trend_verdict v)
{
    static const char *const names[] = { "unknown", "stable", "degrading", "improving" };
    return (unsigned)v < sizeof names / sizeof names[0] ? names[v] : "?";
}

void ltk_trend_options_init(struct ltk_trend_options *opt)
{
    *opt = (struct ltk_trend_options){
        .bucket_s = 10, .settle_s = 10, .min_segment_s = 30, .skip_s = 0, .alpha = 0.05,
        .min_change = 0.10, .min_points = 6, .max_points = 2000, .endpoints = true,
        .type = LTK_TT_UNKNOWN,
    };
}

/* ---- the statistics ---------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Mann-Kendall S and its tie-corrected variance for y[0..n) in time order. */
static void mann_kendall(const double *y, size_t n, double *tmp, double *s, double *var)
{
    double sum = 0;
    for (size_t i = 0; i + 1 < n; i++)
        for (size_t j = i + 1; j < n; j++)
            sum += (y[j] > y[i]) - (y[j] < y[i]);
    memcpy(tmp, y, n * sizeof *tmp);
    qsort(tmp, n, sizeof *tmp, cmp_double);
    double ties = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j + 1 < n && tmp[j + 1] == tmp[i])
            j++;
        double t = (double)(j - i + 1);
        ties += t * (t - 1) * (2 * t + 5);
        i = j + 1;
    }
    double dn = (double)n;
    *s += sum;
    *var += (dn * (dn - 1) * (2 * dn + 5) - ties) / 18;
}

int ltk_trend_fit(const double *x, const double *y, const size_t *group, size_t n,
                  struct ltk_trend_stats *out)
{
    memset(out, 0, sizeof *out);
    out->n = n;
    out->slope = out->se = out->ci_lo = out->ci_hi = out->theil_sen = NAN;
    out->mk_z = 0;
    out->p_value = NAN;
    out->mean = NAN;
    if (n == 0)
        return LTK_EINVAL;
    /* groups are runs of equal group numbers */
    size_t ngroups = 1;
    for (size_t i = 1; i < n; i++)
        if (group && group[i] != group[i - 1])
            ngroups++;
    out->ngroups = ngroups;
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += y[i];
    out->mean = sum / (double)n;
    if (n < ngroups + 2)
        return LTK_EINVAL;

    /* spread of x within groups, and the pairs for Theil-Sen */
    double sxx = 0;
    size_t npairs = 0;
    for (size_t a = 0; a < n;) {
        size_t b = a;
        while (b + 1 < n && (!group || group[b + 1] == group[a]))
            b++;
        double mx = 0;
        for (size_t i = a; i <= b; i++)
            mx += x[i];
        mx /= (double)(b - a + 1);
        for (size_t i = a; i <= b; i++)
            sxx += (x[i] - mx) * (x[i] - mx);
        npairs += (b - a + 1) * (b - a) / 2;
        a = b + 1;
    }
    if (!(sxx > 0))
        return LTK_EINVAL;

    /* least squares with one intercept per group and a shared slope */
    size_t p = ngroups + 1;
    gsl_matrix *X = gsl_matrix_calloc(n, p);
    gsl_vector *Y = gsl_vector_alloc(n);
    gsl_vector *c = gsl_vector_alloc(p);
    gsl_matrix *cov = gsl_matrix_alloc(p, p);
    gsl_multifit_linear_workspace *w = gsl_multifit_linear_alloc(n, p);
    double *pairs = malloc((npairs ? npairs : 1) * sizeof *pairs);
    double *tmp = malloc(n * sizeof *tmp);
    int rc = LTK_ENOMEM;
    if (!X || !Y || !c || !cov || !w || !pairs || !tmp)
        goto done;
    size_t g = 0;
    for (size_t i = 0; i < n; i++) {
        if (i && group && group[i] != group[i - 1])
            g++;
        gsl_matrix_set(X, i, g, 1);
        gsl_matrix_set(X, i, ngroups, x[i]);
        gsl_vector_set(Y, i, y[i]);
    }
    double chisq;
    rc = LTK_EINVAL;
    if (gsl_multifit_linear(X, Y, c, cov, &chisq, w))
        goto done;
    double dof = (double)(n - p);
    out->slope = gsl_vector_get(c, ngroups);
    /* gsl scales cov by chisq/dof already */
    out->se = sqrt(gsl_matrix_get(cov, ngroups, ngroups));
    double t = gsl_cdf_tdist_Pinv(0.975, dof);
    out->ci_lo = out->slope - t * out->se;
    out->ci_hi = out->slope + t * out->se;

    /* Theil-Sen within groups; Mann-Kendall summed over groups */
    size_t k = 0;
    double s = 0, var = 0;
    for (size_t a = 0; a < n;) {
        size_t b = a;
        while (b + 1 < n && (!group || group[b + 1] == group[a]))
            b++;
        for (size_t i = a; i < b; i++)
            for (size_t j = i + 1; j <= b; j++)
                if (x[j] != x[i])
                    pairs[k++] = (y[j] - y[i]) / (x[j] - x[i]);
        mann_kendall(y + a, b - a + 1, tmp, &s, &var);
        a = b + 1;
    }
    if (k) {
        qsort(pairs, k, sizeof *pairs, cmp_double);
        out->theil_sen = gsl_stats_median_from_sorted_data(pairs, 1, k);
    }
    out->mk_s = s;
    out->mk_var = var;
    if (var > 0)
        out->mk_z = s > 0 ? (s - 1) / sqrt(var) : s < 0 ? (s + 1) / sqrt(var) : 0;
    out->p_value = var > 0 ? 2 * gsl_cdf_ugaussian_Q(fabs(out->mk_z)) : 1;
    if (out->p_value > 1)
        out->p_value = 1;
    rc = LTK_OK;
done:
    gsl_matrix_free(X);
    gsl_vector_free(Y);
    gsl_vector_free(c);
    gsl_matrix_free(cov);
    if (w)
        gsl_multifit_linear_free(w);
    free(pairs);
    free(tmp);
    return rc;
}

/* ---- points from the run ------------------------------------------------ */

/* One bucket of a series within a segment. */
struct bucket {
    size_t seg;
    double from, to;         /* Unix seconds: the bucket is (from, to] */
    double x;                /* hours since t0, the middle */
    double rps, err_pct, p50, p95, p99;
};

struct buckets {
    struct bucket *b;
    size_t n, cap;
};

static int add_bucket(struct buckets *bs, struct bucket b)
{
    if (bs->n == bs->cap) {
        size_t cap = bs->cap ? 2 * bs->cap : 64;
        struct bucket *nb = realloc(bs->b, cap * sizeof *nb);
        if (!nb)
            return LTK_ENOMEM;
        bs->b = nb;
        bs->cap = cap;
    }
    bs->b[bs->n++] = b;
    return LTK_OK;
}

/* Cuts the ticks of s inside each segment into buckets of bucket_s seconds
 * (the last, shorter one is dropped). */
static int bucketize(const struct ltk_series *s, const struct ltk_trend_result *r, struct buckets *out)
{
    bool window = s->kind == LTK_HPCT_WINDOW;
    for (size_t g = 0; g < r->nsegments; g++) {
        int64_t lo = r->t0 + r->segments[g].start, hi = r->t0 + r->segments[g].end;
        size_t i = 0;
        while (i < s->n && s->t[i].ts < lo)
            i++;
        if (i >= s->n || s->t[i].ts > hi)
            continue;
        int64_t from = s->t[i].ts;
        uint64_t req = 0, fail = 0;
        for (i++; i < s->n && s->t[i].ts <= hi; i++) {
            const struct ltk_tick *t = &s->t[i];
            req += t->d_requests;
            fail += t->d_failures;
            if (t->ts - from < r->bucket_s)
                continue;
            double dt = (double)(t->ts - from);
            struct bucket b = {
                .seg = g, .from = (double)from, .to = (double)t->ts,
                .x = ((double)(from + t->ts) / 2 - (double)r->t0) / 3600,
                .rps = (double)req / dt,
                .err_pct = req ? 100.0 * (double)fail / (double)req : NAN,
                .p50 = window ? t->p50 : NAN, .p95 = window ? t->p95 : NAN, .p99 = window ? t->p99 : NAN,
            };
            if (add_bucket(out, b))
                return LTK_ENOMEM;
            from = t->ts;
            req = fail = 0;
        }
    }
    return LTK_OK;
}

static int add_note(struct ltk_trend_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int add_note(struct ltk_trend_result *r, const char *fmt, ...)
{
    char **nn = realloc(r->notes, (r->nnotes + 1) * sizeof *nn);
    if (!nn)
        return LTK_ENOMEM;
    r->notes = nn;
    va_list ap;
    va_start(ap, fmt);
    char *s = ltk_vasprintf(fmt, ap);
    va_end(ap);
    if (!s)
        return LTK_ENOMEM;
    r->notes[r->nnotes++] = s;
    return LTK_OK;
}

static struct ltk_trend_metric *new_metric(struct ltk_trend_result *r, const char *metric, const char *type,
                                           const char *name, const char *unit, bool up_is_bad)
{
    struct ltk_trend_metric *m = realloc(r->metrics, (r->nmetrics + 1) * sizeof *m);
    if (!m)
        return NULL;
    r->metrics = m;
    m = &r->metrics[r->nmetrics];
    memset(m, 0, sizeof *m);
    snprintf(m->metric, sizeof m->metric, "%s", metric);
    m->unit = unit;
    m->up_is_bad = up_is_bad;
    m->verdict = LTK_TREND_UNKNOWN;
    if (name && (!(m->name = ltk_strdup(name)) || !(m->type = ltk_strdup(type ? type : "")))) {
        free(m->name);
        return NULL;
    }
    r->nmetrics++;
    return m;
}

/* Fits the points and decides the verdict of m. */
static int judge(struct ltk_trend_metric *m, const struct ltk_trend_options *opt, const double *x,
                 const double *y, const size_t *g, size_t n)
{
    int rc = ltk_trend_fit(x, y, g, n, &m->st);
    if (rc == LTK_ENOMEM)
        return rc;
    m->span_h = n ? x[n - 1] - x[0] : 0;
    for (size_t i = 0; i < n; i++)
        if (x[i] - x[0] > m->span_h)
            m->span_h = x[i] - x[0];
    if (rc || n < opt->min_points) {
        snprintf(m->note, sizeof m->note, "%zu point%s: too few for a trend (at least %zu)", n,
                 n == 1 ? "" : "s", opt->min_points < m->st.ngroups + 2 ? m->st.ngroups + 2 : opt->min_points);
        m->pct_per_hour = m->change = NAN;
        return LTK_OK;
    }
    const struct ltk_trend_stats *st = &m->st;
    double level = fabs(st->mean);
    m->pct_per_hour = level > 0 ? 100 * st->slope / level : NAN;
    double delta = st->slope * m->span_h;
    m->change = level > 0 ? delta / level : delta == 0 ? 0 : copysign(INFINITY, delta);
    bool significant = st->p_value < opt->alpha && (st->ci_lo > 0 || st->ci_hi < 0);
    bool large = fabs(m->change) >= opt->min_change;
    if (significant && large) {
        bool up = st->slope > 0;
        m->verdict = up == m->up_is_bad ? LTK_TREND_DEGRADING : LTK_TREND_IMPROVING;
        snprintf(m->note, sizeof m->note, "%s %.0f %% over %.2g h (Mann-Kendall p = %.2g, CI excludes 0)",
                 up ? "rises" : "falls", 100 * fabs(m->change), m->span_h, st->p_value);
    } else {
        m->verdict = LTK_TREND_STABLE;
        if (!significant)
            snprintf(m->note, sizeof m->note, "no significant trend (Mann-Kendall p = %.2g%s)", st->p_value,
                     st->ci_lo > 0 || st->ci_hi < 0 ? "" : ", CI includes 0");
        else
            snprintf(m->note, sizeof m->note, "significant but small: %+.1f %% over %.2g h (counts from %.0f %%)",
                     100 * m->change, m->span_h, 100 * opt->min_change);
    }
    return LTK_OK;
}

enum field { F_P50, F_P95, F_P99, F_ERR, F_RPS };
static const struct {
    const char *metric, *unit;
    bool up_is_bad, pct;
} fields[] = {
    [F_P50] = { "p50", "ms", true, true },
    [F_P95] = { "p95", "ms", true, true },
    [F_P99] = { "p99", "ms", true, true },
    [F_ERR] = { "error_rate", "%", true, false },
    [F_RPS] = { "rps", "req/s", false, false },
};

static double field_of(const struct bucket *b, enum field f)
{
    switch (f) {
    case F_P50: return b->p50;
    case F_P95: return b->p95;
    case F_P99: return b->p99;
    case F_ERR: return b->err_pct;
    case F_RPS: return b->rps;
    }
    return NAN;
}

struct work {
    double *x, *y;
    size_t *g;
    size_t cap;
};

static int work_reserve(struct work *w, size_t n)
{
    if (n <= w->cap)
        return LTK_OK;
    double *x = realloc(w->x, n * sizeof *x);
    if (x)
        w->x = x;
    double *y = realloc(w->y, n * sizeof *y);
    if (y)
        w->y = y;
    size_t *g = realloc(w->g, n * sizeof *g);
    if (g)
        w->g = g;
    if (!x || !y || !g)
        return LTK_ENOMEM;
    w->cap = n;
    return LTK_OK;
}

/* Every metric of one series (Aggregated when name is NULL). */
static int series_metrics(struct ltk_trend_result *r, const struct ltk_series *s, const char *type,
                          const char *name, struct work *w)
{
    struct buckets bs = { 0 };
    int rc = bucketize(s, r, &bs);
    if (rc == LTK_OK)
        rc = work_reserve(w, bs.n ? bs.n : 1);
    for (int f = 0; rc == LTK_OK && f <= F_RPS; f++) {
        if (fields[f].pct && s->kind != LTK_HPCT_WINDOW)
            continue;
        struct ltk_trend_metric *m = new_metric(r, fields[f].metric, type, name, fields[f].unit, fields[f].up_is_bad);
        if (!m) {
            rc = LTK_ENOMEM;
            break;
        }
        size_t n = 0;
        for (size_t i = 0; i < bs.n; i++) {
            double v = field_of(&bs.b[i], (enum field)f);
            if (isnan(v))
                continue;
            w->x[n] = bs.b[i].x;
            w->y[n] = v;
            w->g[n++] = bs.b[i].seg;
        }
        rc = judge(m, &r->opt, w->x, w->y, w->g, n);
    }
    free(bs.b);
    return rc;
}

/* Resource metrics: the mean of the samples in each bucket of the Aggregated
 * series; also the memory-latency correlation. */
static int resource_metrics(struct ltk_trend_result *r, const struct ltk_series *agg,
                            const struct ltk_metrics *mx, struct work *w)
{
    struct buckets bs = { 0 };
    int rc = bucketize(agg, r, &bs);
    if (rc == LTK_OK)
        rc = work_reserve(w, bs.n ? bs.n : 1);
    for (int res = 0; rc == LTK_OK && res < LTK_RES_COUNT; res++) {
        if (!mx->v[res])
            continue;
        struct ltk_trend_metric *m =
            new_metric(r, ltk_resource_name((enum ltk_resource)res), NULL, NULL,
                       ltk_resource_unit((enum ltk_resource)res), true);
        if (!m) {
            rc = LTK_ENOMEM;
            break;
        }
        m->resource = true;
        size_t n = 0;
        for (size_t i = 0; i < bs.n; i++) {
            double v = ltk_metrics_mean(mx, (enum ltk_resource)res, bs.b[i].from, bs.b[i].to);
            if (isnan(v))
                continue;
            w->x[n] = bs.b[i].x;
            w->y[n] = v;
            w->g[n++] = bs.b[i].seg;
        }
        rc = judge(m, &r->opt, w->x, w->y, w->g, n);
        if (rc == LTK_OK && n == 0)
            snprintf(m->note, sizeof m->note, "no samples of %s inside the run's steady segments",
                     mx->source ? "the metrics file" : "metrics");
    }
    /* memory against windowed p95 */
    enum ltk_resource mem = mx->v[LTK_RES_MEM_MB] ? LTK_RES_MEM_MB : LTK_RES_MEM_PCT;
    if (rc == LTK_OK && mx->v[mem] && agg->kind == LTK_HPCT_WINDOW) {
        size_t n = 0;
        for (size_t i = 0; i < bs.n; i++) {
            double v = ltk_metrics_mean(mx, mem, bs.b[i].from, bs.b[i].to);
            if (isnan(v) || isnan(bs.b[i].p95))
                continue;
            w->x[n] = v;
            w->y[n++] = bs.b[i].p95;
        }
        r->leak.have = true;
        r->leak.n = n;
        r->leak.r = n >= 3 ? gsl_stats_correlation(w->x, 1, w->y, 1, n) : NAN;
    }
    free(bs.b);
    return rc;
}

static double median_of(double *v, size_t n)
{
    if (!n)
        return NAN;
    qsort(v, n, sizeof *v, cmp_double);
    return gsl_stats_median_from_sorted_data(v, 1, n);
}

/* Spike: errors during the surge and the time until p95 is back. */
static int spike_analysis(struct ltk_trend_result *r, const struct ltk_series *agg, const struct ltk_profile *prof)
{
    struct ltk_trend_spike *sp = &r->spike;
    sp->tolerance = LTK_SPIKE_RECOVER_TOLERANCE;
    sp->baseline_p95 = sp->peak_p95 = sp->error_rate = sp->recovery_s = sp->within_after = NAN;
    const struct ltk_phase *base = NULL, *spike = NULL;
    for (size_t k = 0; k < prof->nphases && !spike; k++) {
        if (prof->phases[k].kind == LTK_PHASE_SPIKE)
            spike = &prof->phases[k];
        else if (prof->phases[k].kind == LTK_PHASE_STEADY)
            base = &prof->phases[k];
    }
    if (!spike || !base) {
        snprintf(sp->note, sizeof sp->note, "no spike found: needs a steady level, a jump and a return");
        return LTK_OK;
    }
    sp->found = true;
    sp->start = base->end - r->t0;
    sp->end = spike->end - r->t0;
    sp->users_from = base->users;
    sp->users = spike->users;
    for (size_t i = 0; i < agg->n; i++)
        if (agg->t[i].ts > base->end && agg->t[i].ts <= spike->end) {
            sp->requests += agg->t[i].d_requests;
            sp->failures += agg->t[i].d_failures;
        }
    sp->error_rate = sp->requests ? (double)sp->failures / (double)sp->requests : NAN;
    if (agg->kind != LTK_HPCT_WINDOW) {
        snprintf(sp->note, sizeof sp->note,
                 "recovery needs windowed percentiles (--csv-full-history); these are cumulative");
        return LTK_OK;
    }
    double *v = malloc(agg->n * sizeof *v);
    if (!v)
        return LTK_ENOMEM;
    size_t n = 0;
    int64_t from = base->start + r->opt.settle_s <= base->end ? base->start + r->opt.settle_s : base->start;
    for (size_t i = 0; i < agg->n; i++)
        if (agg->t[i].ts >= from && agg->t[i].ts <= base->end && !isnan(agg->t[i].p95))
            v[n++] = agg->t[i].p95;
    sp->baseline_p95 = median_of(v, n);
    free(v);
    if (isnan(sp->baseline_p95)) {
        snprintf(sp->note, sizeof sp->note, "no p95 values in the level before the spike");
        return LTK_OK;
    }
    double limit = sp->baseline_p95 * (1 + sp->tolerance);
    size_t after = 0, within = 0;
    for (size_t i = 0; i < agg->n; i++) {
        const struct ltk_tick *t = &agg->t[i];
        if (t->ts <= base->end || isnan(t->p95))
            continue;
        if (isnan(sp->peak_p95) || t->p95 > sp->peak_p95)
            sp->peak_p95 = t->p95;
        if (t->ts <= spike->end)
            continue;
        if (!sp->recovered && t->p95 <= limit) {
            sp->recovered = true;
            sp->recovered_at = t->ts - r->t0;
            sp->recovery_s = (double)(t->ts - spike->end);
        }
        if (sp->recovered) {
            after++;
            within += t->p95 <= limit;
        }
    }
    sp->within_after = after ? (double)within / (double)after : NAN;
    if (sp->recovered)
        snprintf(sp->note, sizeof sp->note,
                 "p95 first back within %.0f %% of %.0f ms %.0f s after the surge ended (Locust's window "
                 "lags up to 10 s); %.0f %% of the windows after that stayed within",
                 100 * sp->tolerance, sp->baseline_p95, sp->recovery_s, 100 * sp->within_after);
    else
        snprintf(sp->note, sizeof sp->note, "did not recover: p95 never came back within %.0f %% of %.0f ms",
                 100 * sp->tolerance, sp->baseline_p95);
    return LTK_OK;
}

/* Steady segments: plateaus of constant users after settling, minus --skip. */
static int find_segments(struct ltk_trend_result *r, const struct ltk_series *agg, struct ltk_error *err,
                         const char *label)
{
    struct ltk_plateau *pl = NULL;
    size_t npl = 0;
    if (ltk_series_plateaus(agg, r->opt.settle_s, 1, &pl, &npl))
        return ltk_error_set(err, LTK_ENOMEM, label, 0, 0, "out of memory");
    r->segments = calloc(npl ? npl : 1, sizeof *r->segments);
    if (!r->segments) {
        free(pl);
        return ltk_error_set(err, LTK_ENOMEM, label, 0, 0, "out of memory");
    }
    int64_t skip_to = r->t0 + r->opt.skip_s;
    int64_t total = 0;
    for (size_t i = 0; i < npl; i++) {
        int64_t lo = pl[i].start > skip_to ? pl[i].start : skip_to, hi = pl[i].end;
        if (hi - lo < r->opt.min_segment_s)
            continue;
        r->segments[r->nsegments++] = (struct ltk_trend_segment){ lo - r->t0, hi - r->t0, pl[i].users };
        total += hi - lo;
    }
    free(pl);
    if (!r->nsegments &&
        add_note(r, "no steady segment of at least %lld s at constant users (after %lld s settling%s): "
                    "nothing to fit; a stepped run's levels are for ltk capacity",
                 (long long)r->opt.min_segment_s, (long long)r->opt.settle_s, r->opt.skip_s ? " and --skip" : ""))
        return ltk_error_set(err, LTK_ENOMEM, label, 0, 0, "out of memory");
    /* keep at most max_points buckets: widen in steps of 10 s */
    int64_t b = r->opt.bucket_s;
    if (r->opt.max_points && (size_t)(total / b) > r->opt.max_points) {
        /* the least b + 10 k with total / (b + 10 k) <= max_points, i.e.
         * b + 10 k > total / (max_points + 1): found at once, not 10 s at a
         * time (a history spanning ages took that loop minutes) */
        int64_t need = total / ((int64_t)r->opt.max_points + 1) + 1;
        b += (need - b + 9) / 10 * 10;
    }
    r->bucket_s = b;
    if (b != r->opt.bucket_s && add_note(r, "points widened to %lld s to stay under %zu per metric", (long long)b,
                                         r->opt.max_points))
        return ltk_error_set(err, LTK_ENOMEM, label, 0, 0, "out of memory");
    return LTK_OK;
}

/* A number for a sentence: whole above 100, else 3 significant digits. */
static const char *readable(double v, char buf[32])
{
    snprintf(buf, 32, fabs(v) >= 100 ? "%.0f" : "%.3g", v);
    return buf;
}

/* The metric that explains the verdict: the first in the order people ask
 * about (latency, errors, throughput, then resources) with that verdict. */
static void verdict_reason(struct ltk_trend_result *r)
{
    static const char *const order[] = { "p95",     "p50",         "p99",         "error_rate", "rps",   "mem_mb",
                                         "mem_pct", "cpu",         "connections", "queue_depth", "net_rx", "net_tx" };
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
        const struct ltk_trend_metric *m = ltk_trend_find(r, order[k]);
        if (!m || m->verdict != r->verdict)
            continue;
        char s[32], lo[32], hi[32];
        snprintf(r->verdict_reason, sizeof r->verdict_reason,
                 "%s %s %s %s/h (95 %% CI %s to %s, %+.0f %%/h, Mann-Kendall p = %.2g)", m->metric,
                 m->st.slope > 0 ? "grows" : "falls", readable(fabs(m->st.slope), s), m->unit,
                 readable(m->st.ci_lo, lo), readable(m->st.ci_hi, hi), m->pct_per_hour, m->st.p_value);
        return;
    }
}

static void overall(struct ltk_trend_result *r)
{
    bool any[4] = { false };
    for (size_t i = 0; i < r->nmetrics; i++)
        if (!r->metrics[i].name)
            any[r->metrics[i].verdict] = true;
    r->verdict = any[LTK_TREND_DEGRADING]   ? LTK_TREND_DEGRADING
                 : any[LTK_TREND_IMPROVING] ? LTK_TREND_IMPROVING
                 : any[LTK_TREND_STABLE]    ? LTK_TREND_STABLE
                                            : LTK_TREND_UNKNOWN;
    if (r->verdict == LTK_TREND_DEGRADING || r->verdict == LTK_TREND_IMPROVING)
        verdict_reason(r);
    else if (r->verdict == LTK_TREND_STABLE)
        snprintf(r->verdict_reason, sizeof r->verdict_reason,
                 "no metric of the whole run changes significantly by %.0f %% or more", 100 * r->opt.min_change);
    else
        snprintf(r->verdict_reason, sizeof r->verdict_reason, "%s",
                 r->nsegments ? "too few points for any trend" : "no steady segment to fit");
}

/* The endpoints of the history, each once, in the order it first names
 * them (rows of the run; free() the array). */
static int history_endpoints(const struct ltk_run *run, const struct ltk_history_row ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    const struct ltk_history_row **list = NULL;
    size_t cap = 0;
    for (size_t i = 0; i < run->nhistory; i++) {
        const struct ltk_history_row *h = &run->history[i];
        if (h->is_total)
            continue;
        bool seen = false;
        for (size_t k = *n; k-- > 0 && !seen;)
            seen = strcmp(list[k]->name, h->name) == 0 && strcmp(list[k]->type, h->type) == 0;
        if (seen)
            continue;
        if (*n == cap) {
            cap = cap ? 2 * cap : 16;
            const struct ltk_history_row **nl = realloc(list, cap * sizeof *nl);
            if (!nl) {
                free(list);
                return LTK_ENOMEM;
            }
            list = nl;
        }
        list[(*n)++] = h;
    }
    *out = list;
    return LTK_OK;
}

int ltk_trend_analyse(const struct ltk_run *run, const struct ltk_metrics *metrics,
                      const struct ltk_trend_options *opt, struct ltk_trend_result *out,
                      struct ltk_error *err)
{
    memset(out, 0, sizeof *out);
    if (opt)
        out->opt = *opt;
    else
        ltk_trend_options_init(&out->opt);
    if (out->opt.bucket_s < 1)
        out->opt.bucket_s = 1;
    struct ltk_series agg;
    int rc = ltk_series_from_run(run, NULL, NULL, &agg, err);
    if (rc)
        return rc;
    out->pct_kind = agg.kind;
    out->t0 = agg.t[0].ts;
    struct ltk_profile prof;
    struct work w = { 0 };
    rc = ltk_profile_detect(&agg, NULL, &prof, err);
    if (rc) {
        ltk_series_release(&agg);
        return rc;
    }
    if (out->opt.type != LTK_TT_UNKNOWN) {
        out->type = out->opt.type;
        out->type_given = true;
        snprintf(out->type_reason, sizeof out->type_reason, "given with --type (detected: %s)",
                 ltk_test_type_name(prof.type));
    } else {
        out->type = prof.type;
        snprintf(out->type_reason, sizeof out->type_reason, "%s", prof.reason);
    }
    rc = find_segments(out, &agg, err, run->label);
    if (rc == LTK_OK && agg.kind != LTK_HPCT_WINDOW)
        rc = add_note(out, "the percentiles of stats_history.csv are whole-run (cumulative): Locust writes "
                           "windowed ones only with --csv-full-history, so there is no latency trend; "
                           "rerun with it, or give a raw request log");
    if (rc == LTK_OK && out->nsegments)
        rc = series_metrics(out, &agg, NULL, NULL, &w);
    if (rc == LTK_OK && out->opt.endpoints && out->nsegments) {
        if (!run->history_full && run->nendpoints > 1)
            rc = add_note(out, "per-endpoint trends need the per-endpoint rows of --csv-full-history");
        const struct ltk_history_row **eps = NULL;
        size_t neps = 0;
        if (rc == LTK_OK && run->history_full)
            rc = history_endpoints(run, &eps, &neps);
        for (size_t i = 0; rc == LTK_OK && i < neps; i++) {
            struct ltk_series es;
            struct ltk_error ignored;
            if (ltk_series_from_run(run, eps[i]->type, eps[i]->name, &es, &ignored) == LTK_OK)
                rc = series_metrics(out, &es, eps[i]->type, eps[i]->name, &w);
            ltk_series_release(&es);
        }
        free(eps);
    }
    if (rc == LTK_OK && metrics && out->nsegments)
        rc = resource_metrics(out, &agg, metrics, &w);
    if (rc == LTK_OK && out->type == LTK_TT_SPIKE)
        rc = spike_analysis(out, &agg, &prof);
    if (rc == LTK_OK) {
        overall(out);
        const struct ltk_trend_metric *mem = ltk_trend_find(out, "mem_mb");
        if (!mem || mem->verdict == LTK_TREND_UNKNOWN)
            mem = ltk_trend_find(out, "mem_pct");
        const struct ltk_trend_metric *p95 = ltk_trend_find(out, "p95"), *p50 = ltk_trend_find(out, "p50");
        bool lat = (p95 && p95->verdict == LTK_TREND_DEGRADING) || (p50 && p50->verdict == LTK_TREND_DEGRADING);
        out->leak.signature = out->leak.have && mem && mem->verdict == LTK_TREND_DEGRADING && lat &&
                              out->leak.r >= LEAK_MIN_R;
    }
    if (rc == LTK_ENOMEM)
        ltk_error_set(err, LTK_ENOMEM, run->label, 0, 0, "out of memory");
    free(w.x);
    free(w.y);
    free(w.g);
    ltk_profile_release(&prof);
    ltk_series_release(&agg);
    return rc;
}

void ltk_trend_release(struct ltk_trend_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nmetrics; i++) {
        free(r->metrics[i].type);
        free(r->metrics[i].name);
    }
    free(r->metrics);
    free(r->segments);
    for (size_t i = 0; i < r->nnotes; i++)
        free(r->notes[i]);
    free(r->notes);
    memset(r, 0, sizeof *r);
}

const struct ltk_trend_metric *ltk_trend_find(const struct ltk_trend_result *r, const char *metric)
{
    for (size_t i = 0; i < r->nmetrics; i++)
        if (!r->metrics[i].name && strcmp(r->metrics[i].metric, metric) == 0)
            return &r->metrics[i];
    return NULL;
}

/* ---- output ------------------------------------------------------------- */

cJSON *ltk_trend_to_json(const struct ltk_trend_result *r, const char *label)
{
    struct ltk_jb b = { false };
    cJSON *doc = cJSON_CreateObject();
    ltk_jb_str(&b, doc, "schema", "ltk.trend/1");
    ltk_jb_str(&b, doc, "run", label);
    ltk_jb_str(&b, doc, "test_type", ltk_test_type_name(r->type));
    ltk_jb_str(&b, doc, "test_type_reason", r->type_reason);
    ltk_jb_str(&b, doc, "verdict", ltk_trend_verdict_name(r->verdict));
    ltk_jb_str(&b, doc, "verdict_reason", r->verdict_reason);
    cJSON *m = ltk_jb_obj(&b, doc, "method");
    ltk_jb_num(&b, m, "bucket_s", (double)r->bucket_s);
    ltk_jb_num(&b, m, "settle_s", (double)r->opt.settle_s);
    ltk_jb_num(&b, m, "skip_s", (double)r->opt.skip_s);
    ltk_jb_num(&b, m, "alpha", r->opt.alpha);
    ltk_jb_num(&b, m, "min_change", r->opt.min_change);
    ltk_jb_str(&b, m, "percentiles", r->pct_kind == LTK_HPCT_WINDOW ? "windowed" : "cumulative");
    ltk_jb_str(&b, m, "slope", "least squares, one intercept per segment, 95 % Student t interval");
    ltk_jb_str(&b, m, "robust_slope", "Theil-Sen, pairs within a segment");
    ltk_jb_str(&b, m, "test", "Mann-Kendall, summed over segments, two-sided, ties corrected");
    cJSON *segs = ltk_jb_arr(&b, doc, "segments");
    for (size_t i = 0; i < r->nsegments; i++) {
        cJSON *s = ltk_jb_obj(&b, segs, NULL);
        ltk_jb_num(&b, s, "start_s", (double)r->segments[i].start);
        ltk_jb_num(&b, s, "end_s", (double)r->segments[i].end);
        ltk_jb_num(&b, s, "users", (double)r->segments[i].users);
    }
    cJSON *ms = ltk_jb_arr(&b, doc, "metrics");
    for (size_t i = 0; i < r->nmetrics; i++) {
        const struct ltk_trend_metric *t = &r->metrics[i];
        cJSON *o = ltk_jb_obj(&b, ms, NULL);
        ltk_jb_str(&b, o, "metric", t->metric);
        ltk_jb_str(&b, o, "endpoint", t->name);
        ltk_jb_str(&b, o, "type", t->type);
        ltk_jb_str(&b, o, "unit", t->unit);
        ltk_jb_str(&b, o, "source", t->resource ? "metrics" : "run");
        ltk_jb_num(&b, o, "points", (double)t->st.n);
        ltk_jb_num(&b, o, "mean", t->st.mean);
        ltk_jb_num(&b, o, "slope_per_hour", t->st.slope);
        cJSON *ci = ltk_jb_arr(&b, o, "ci95");
        if (ci && !(cJSON_AddItemToArray(ci, ltk_json_number(t->st.ci_lo)) &&
                    cJSON_AddItemToArray(ci, ltk_json_number(t->st.ci_hi))))
            b.failed = true;
        ltk_jb_num(&b, o, "pct_per_hour", t->pct_per_hour);
        ltk_jb_num(&b, o, "theil_sen_per_hour", t->st.theil_sen);
        ltk_jb_num(&b, o, "mann_kendall_s", t->st.mk_s);
        ltk_jb_num(&b, o, "mann_kendall_z", t->st.mk_z);
        ltk_jb_num(&b, o, "p_value", t->st.p_value);
        ltk_jb_num(&b, o, "change", t->change);
        ltk_jb_num(&b, o, "span_hours", t->span_h);
        ltk_jb_str(&b, o, "verdict", ltk_trend_verdict_name(t->verdict));
        ltk_jb_str(&b, o, "note", t->note);
    }
    if (r->spike.found || r->type == LTK_TT_SPIKE) {
        const struct ltk_trend_spike *sp = &r->spike;
        cJSON *s = ltk_jb_obj(&b, doc, "spike");
        ltk_jb_bool(&b, s, "found", sp->found);
        if (sp->found) {
            ltk_jb_num(&b, s, "start_s", (double)sp->start);
            ltk_jb_num(&b, s, "end_s", (double)sp->end);
            ltk_jb_num(&b, s, "users_from", (double)sp->users_from);
            ltk_jb_num(&b, s, "users", (double)sp->users);
            ltk_jb_num(&b, s, "requests", (double)sp->requests);
            ltk_jb_num(&b, s, "failures", (double)sp->failures);
            ltk_jb_num(&b, s, "error_rate", sp->error_rate);
            ltk_jb_num(&b, s, "baseline_p95", sp->baseline_p95);
            ltk_jb_num(&b, s, "peak_p95", sp->peak_p95);
            ltk_jb_bool(&b, s, "recovered", sp->recovered);
            ltk_jb_num(&b, s, "recovery_s", sp->recovery_s);
            ltk_jb_num(&b, s, "tolerance", sp->tolerance);
            ltk_jb_num(&b, s, "within_after", sp->within_after);
        }
        ltk_jb_str(&b, s, "note", sp->note);
    } else {
        ltk_jb_str(&b, doc, "spike", NULL);
    }
    if (r->leak.have) {
        cJSON *l = ltk_jb_obj(&b, doc, "leak");
        ltk_jb_num(&b, l, "points", (double)r->leak.n);
        ltk_jb_num(&b, l, "correlation", r->leak.r);
        ltk_jb_bool(&b, l, "signature", r->leak.signature);
    } else {
        ltk_jb_str(&b, doc, "leak", NULL);
    }
    cJSON *notes = ltk_jb_arr(&b, doc, "notes");
    for (size_t i = 0; i < r->nnotes && notes; i++)
        if (!cJSON_AddItemToArray(notes, cJSON_CreateString(r->notes[i])))
            b.failed = true;
    if (b.failed || !doc) {
        cJSON_Delete(doc);
        return NULL;
    }
    return doc;
}

/* v in width columns; values below 1e-9 of scale are rounding noise of the
 * fit and print as 0. */
static void num_cell(struct ltk_buf *b, double v, double scale, int width, bool sign)
{
    if (fabs(v) < 1e-9 * fabs(scale))
        v = 0;
    if (isnan(v))
        ltk_buf_printf(b, "%*s", width, "-");
    else if (fabs(v) >= 100 || v == 0)
        ltk_buf_printf(b, sign ? "%+*.0f" : "%*.0f", width, v);
    else
        ltk_buf_printf(b, sign ? "%+*.3g" : "%*.3g", width, v);
}

int ltk_trend_write_table(FILE *fp, const struct ltk_trend_result *r, const char *label, bool color)
{
    const char *bold = color ? "\x1b[1m" : "", *red = color ? "\x1b[31m" : "", *green = color ? "\x1b[32m" : "",
               *off = color ? "\x1b[0m" : "";
    struct ltk_buf b;
    ltk_buf_init(&b);
    ltk_buf_puts(&b, "Trend of ");
    ltk_buf_put_terminal(&b, label);
    ltk_buf_printf(&b, "\nTest type: %s (%s)\n", ltk_test_type_name(r->type), r->type_reason);
    if (r->nsegments)
        ltk_buf_printf(&b, "Analysed: %zu steady segment%s (", r->nsegments, r->nsegments == 1 ? "" : "s");
    else
        ltk_buf_puts(&b, "Analysed: no steady segment\n");
    for (size_t i = 0; i < r->nsegments; i++)
        ltk_buf_printf(&b, "%s%lld user%s %lld-%lld s", i ? ", " : "", (long long)r->segments[i].users,
                       r->segments[i].users == 1 ? "" : "s", (long long)r->segments[i].start,
                       (long long)r->segments[i].end);
    if (r->nsegments)
        ltk_buf_printf(&b, "); a point every %lld s; %s percentiles\n", (long long)r->bucket_s,
                       r->pct_kind == LTK_HPCT_WINDOW ? "windowed" : "cumulative");
    if (r->nmetrics)
        ltk_buf_printf(&b, "\n%s%-10s %-20s %4s %9s %10s %23s %8s %10s %8s  %s%s\n", bold, "Metric", "Endpoint", "N",
                   "Mean", "Slope/h", "95% CI", "%/h", "Theil-Sen", "MK p", "Verdict", off);
    for (size_t i = 0; i < r->nmetrics; i++) {
        const struct ltk_trend_metric *m = &r->metrics[i];
        ltk_buf_printf(&b, "%-10s ", m->metric);
        const char *ep = m->name ? m->name : m->resource ? "(metrics file)" : "Aggregated";
        ltk_buf_put_terminal(&b, ep);
        size_t w = ltk_terminal_width(ep);
        ltk_buf_pad(&b, ' ', w < 20 ? 20 - w : 0);
        ltk_buf_printf(&b, " %4zu", m->st.n);
        double sc = fabs(m->st.mean) > 1 ? fabs(m->st.mean) : 1;
        num_cell(&b, m->st.mean, 0, 9, false);
        num_cell(&b, m->st.slope, sc, 11, true);
        ltk_buf_puts(&b, "  [");
        num_cell(&b, m->st.ci_lo, sc, 9, true);
        ltk_buf_puts(&b, ",");
        num_cell(&b, m->st.ci_hi, sc, 9, true);
        ltk_buf_puts(&b, "]");
        num_cell(&b, m->pct_per_hour, 100, 8, true);
        num_cell(&b, m->st.theil_sen, sc, 11, true);
        if (isnan(m->st.p_value))
            ltk_buf_printf(&b, " %8s", "-");
        else if (m->st.p_value < 0.001)
            ltk_buf_printf(&b, " %8s", "<0.001");
        else
            ltk_buf_printf(&b, " %8.3f", m->st.p_value);
        const char *c = m->verdict == LTK_TREND_DEGRADING ? red : m->verdict == LTK_TREND_IMPROVING ? green : "";
        ltk_buf_printf(&b, "  %s%s%s\n", c, ltk_trend_verdict_name(m->verdict), *c ? off : "");
    }
    if (r->nmetrics) {
        ltk_buf_puts(&b, "\nUnits: latency ms, error_rate %, rps req/s, cpu %, mem_mb MB, mem_pct %");
        /* the columns beyond CPU and memory, when the metrics file had them */
        for (int res = LTK_RES_CONNECTIONS; res < LTK_RES_COUNT; res++)
            if (ltk_trend_find(r, ltk_resource_name((enum ltk_resource)res))) {
                const char *u = ltk_resource_unit((enum ltk_resource)res);
                ltk_buf_printf(&b, ", %s %s", ltk_resource_name((enum ltk_resource)res), *u ? u : "count");
            }
        ltk_buf_puts(&b, "; slopes per hour.\n");
    }
    if (r->spike.found || r->type == LTK_TT_SPIKE) {
        const struct ltk_trend_spike *sp = &r->spike;
        ltk_buf_printf(&b, "\n%sSpike%s: ", bold, off);
        if (!sp->found) {
            ltk_buf_printf(&b, "%s\n", sp->note);
        } else {
            ltk_buf_printf(&b, "%lld -> %lld users, %lld-%lld s; ", (long long)sp->users_from, (long long)sp->users,
                           (long long)sp->start, (long long)sp->end);
            if (isnan(sp->error_rate))
                ltk_buf_puts(&b, "no requests during the surge\n");
            else
                ltk_buf_printf(&b, "%.2f %% errors during the surge (%llu of %llu requests)\n",
                               100 * sp->error_rate, (unsigned long long)sp->failures,
                               (unsigned long long)sp->requests);
            if (!isnan(sp->peak_p95))
                ltk_buf_printf(&b, "  p95 before %.0f ms, peak %.0f ms\n", sp->baseline_p95, sp->peak_p95);
            if (sp->recovered)
                ltk_buf_printf(&b, "  recovered in %.0f s: %s\n", sp->recovery_s, sp->note);
            else
                ltk_buf_printf(&b, "  %s%s%s\n", red, sp->note, off);
        }
    }
    if (r->leak.have && isnan(r->leak.r)) {
        ltk_buf_printf(&b, "\nMemory vs p95: no correlation (%zu points, or one of them constant)\n", r->leak.n);
    } else if (r->leak.have) {
        ltk_buf_printf(&b, "\nMemory vs p95: r = %.2f over %zu points", r->leak.r, r->leak.n);
        ltk_buf_puts(&b, r->leak.signature ? "; memory and latency grow together: the leak signature\n" : "\n");
    }
    for (size_t i = 0; i < r->nnotes; i++)
        ltk_buf_printf(&b, "\nNote: %s\n", r->notes[i]);
    const char *vc = r->verdict == LTK_TREND_DEGRADING ? red : r->verdict == LTK_TREND_IMPROVING ? green : "";
    ltk_buf_printf(&b, "\n%sVerdict: %s%s%s: %s\n", bold, vc, ltk_trend_verdict_name(r->verdict), off,
                   r->verdict_reason);
    return ltk_buf_flush(fp, &b);
}

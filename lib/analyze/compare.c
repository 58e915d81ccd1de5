/* Run-to-run comparison and its statistics (see ltk/analyze/compare.h).
 *
 * The statistics work on binned samples (struct ltk_bins: distinct values
 * with counts), so any source of a distribution plugs in: the histograms of
 * a raw request log today, a summary file's histogram later.  Example:
 *
 *     ltk compare base1 base2 base3 current --max-regression 'p95:10%'
 *
 * Everything the tool prints is decided here: the tool only loads runs,
 * calls ltk_compare_build and picks an output. */
#include "ltk/analyze/compare.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ltk/base/json.h"
#include "ltk/read/locust_json.h"
#include "ltk/base/num.h"
#include "base/strutil.h"

/* ---- binned samples ------------------------------------------------------- */

void ltk_bins_release(struct ltk_bins *b)
{
    if (!b)
        return;
    free(b->value);
    free(b->count);
    memset(b, 0, sizeof *b);
}

static int bins_push(struct ltk_bins *b, size_t *cap, double v, uint64_t count)
{
    if (b->n && b->value[b->n - 1] == v) {
        b->count[b->n - 1] += count;
        b->total += count;
        return LTK_OK;
    }
    if (b->n == *cap) {
        size_t ncap = *cap ? 2 * *cap : 64;
        double *nv = realloc(b->value, ncap * sizeof *nv);
        if (!nv)
            return LTK_ENOMEM;
        b->value = nv;
        uint64_t *nc = realloc(b->count, ncap * sizeof *nc);
        if (!nc)
            return LTK_ENOMEM;
        b->count = nc;
        *cap = ncap;
    }
    b->value[b->n] = v;
    b->count[b->n] = count;
    b->n++;
    b->total += count;
    return LTK_OK;
}

struct bins_ctx {
    const struct ltk_hist *h;
    struct ltk_bins *b;
    size_t cap;
    bool sorted;
};

static int bins_key(double key, uint64_t count, void *vctx)
{
    struct bins_ctx *c = vctx;
    double v = key;
    if (ltk_hist_method_of(c->h) == LTK_HIST_HDR) {
        double lo, hi;
        ltk_hist_hdr_bounds((int64_t)key, &lo, &hi);
        v = key == 0 ? 0 : (lo + hi) / 2;
        double mn = ltk_hist_min(c->h), mx = ltk_hist_max(c->h);
        v = v < mn ? mn : v > mx ? mx : v;
    }
    if (c->b->n && v < c->b->value[c->b->n - 1])
        c->sorted = false;
    return bins_push(c->b, &c->cap, v, count);
}

struct pair {
    double v;
    uint64_t c;
};

static int cmp_pair(const void *x, const void *y)
{
    double a = ((const struct pair *)x)->v, b = ((const struct pair *)y)->v;
    return a < b ? -1 : a > b;
}

/* Sorts and merges bins that came out of order (defensive: every histogram
 * method gives ascending keys today). */
static int bins_sort(struct ltk_bins *b)
{
    struct pair *p = malloc((b->n ? b->n : 1) * sizeof *p);
    if (!p)
        return LTK_ENOMEM;
    for (size_t i = 0; i < b->n; i++)
        p[i] = (struct pair){ b->value[i], b->count[i] };
    qsort(p, b->n, sizeof *p, cmp_pair);
    size_t n = b->n, cap = b->n;
    b->n = 0;
    b->total = 0;
    for (size_t i = 0; i < n; i++)
        bins_push(b, &cap, p[i].v, p[i].c); /* cannot grow: cap is the old size */
    free(p);
    return LTK_OK;
}

int ltk_bins_from_hist(const struct ltk_hist *h, struct ltk_bins *out)
{
    memset(out, 0, sizeof *out);
    struct bins_ctx c = { .h = h, .b = out, .sorted = true };
    int rc = ltk_hist_foreach(h, bins_key, &c);
    if (rc == LTK_OK && !c.sorted)
        rc = bins_sort(out);
    if (rc)
        ltk_bins_release(out);
    return rc;
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

int ltk_bins_from_values(const double *v, size_t n, struct ltk_bins *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < n; i++)
        if (isnan(v[i]))
            return LTK_EINVAL;
    double *s = malloc((n ? n : 1) * sizeof *s);
    if (!s)
        return LTK_ENOMEM;
    memcpy(s, v, n * sizeof *s);
    qsort(s, n, sizeof *s, cmp_double);
    size_t cap = 0;
    int rc = LTK_OK;
    for (size_t i = 0; i < n && rc == LTK_OK; i++)
        rc = bins_push(out, &cap, s[i], 1);
    free(s);
    if (rc)
        ltk_bins_release(out);
    return rc;
}

double ltk_bins_quantile(const struct ltk_bins *b, double q)
{
    if (!b->total || !(q >= 0 && q <= 1))
        return NAN;
    uint64_t k = ltk_hist_nearest_rank(q, b->total), seen = 0;
    for (size_t i = 0; i < b->n; i++) {
        seen += b->count[i];
        if (seen >= k)
            return b->value[i];
    }
    return b->value[b->n - 1];
}

/* ---- Mann-Whitney U ------------------------------------------------------------ */

/* Coefficients of the Gaussian binomial [n1 + n2, n1] in x: c[u] is the
 * number of arrangements of the two samples with U = u.  Built as the
 * product over i = 1..n1 of (1 - x^(n2 + i)) / (1 - x^i), every partial
 * product a polynomial.  For n1 + n2 <= 50 every coefficient, also in
 * between, is an integer below 2^53, so doubles hold them exactly. */
static double *mw_counts(unsigned n1, unsigned n2)
{
    size_t deg = (size_t)n1 * n2;
    double *c = calloc(deg + n1 + 1 + 1, sizeof *c);
    if (!c)
        return NULL;
    c[0] = 1;
    size_t d = 0; /* degree so far */
    for (unsigned i = 1; i <= n1; i++) {
        size_t s = (size_t)n2 + i;
        for (size_t k = d + s; k >= s; k--)
            c[k] -= c[k - s];
        d += n2;
        for (size_t k = i; k <= d; k++)
            c[k] += c[k - i];
        for (size_t k = d + 1; k <= d + i; k++)
            c[k] = 0; /* the remainder is zero: the division is exact */
    }
    return c;
}

double ltk_mw_exact_cdf(unsigned n1, unsigned n2, double u)
{
    if (n1 + n2 > LTK_MW_EXACT_MAX || !n1 || !n2)
        return NAN;
    if (u < 0)
        return 0;
    double *c = mw_counts(n1, n2);
    if (!c)
        return NAN;
    size_t deg = (size_t)n1 * n2;
    double total = 0, below = 0;
    for (size_t k = 0; k <= deg; k++) {
        total += c[k];
        if ((double)k <= u + 1e-9)
            below += c[k];
    }
    free(c);
    return below / total;
}

int ltk_mann_whitney(const struct ltk_bins *a, const struct ltk_bins *b, struct ltk_mw *out)
{
    memset(out, 0, sizeof *out);
    out->z = out->p = out->u = out->prob_greater = NAN;
    if (!a->total || !b->total)
        return LTK_EINVAL;
    double n1 = (double)a->total, n2 = (double)b->total, n = n1 + n2;
    double rank_b = 0, below = 0, tie = 0;
    size_t i = 0, j = 0;
    while (i < a->n || j < b->n) {
        double v = i < a->n && (j >= b->n || a->value[i] <= b->value[j]) ? a->value[i] : b->value[j];
        double ca = i < a->n && a->value[i] == v ? (double)a->count[i++] : 0;
        double cb = j < b->n && b->value[j] == v ? (double)b->count[j++] : 0;
        double t = ca + cb;
        rank_b += cb * (below + (t + 1) / 2);
        if (t > 1) {
            tie += t * t * t - t;
            out->ties = true;
        }
        below += t;
    }
    out->n1 = a->total;
    out->n2 = b->total;
    out->u = rank_b - n2 * (n2 + 1) / 2;
    out->prob_greater = out->u / (n1 * n2);
    double mean = n1 * n2 / 2;
    if (!out->ties && n <= LTK_MW_EXACT_MAX) {
        double lo = ltk_mw_exact_cdf((unsigned)n1, (unsigned)n2, out->u);
        double hi = 1 - ltk_mw_exact_cdf((unsigned)n1, (unsigned)n2, out->u - 1);
        if (isnan(lo) || isnan(hi))
            return LTK_ENOMEM;
        out->exact = true;
        out->p = fmin(1, 2 * fmin(lo, hi));
        return LTK_OK;
    }
    double var = n1 * n2 / 12 * ((n + 1) - tie / (n * (n - 1)));
    if (!(var > 0)) {
        out->z = 0;
        out->p = 1;
        return LTK_OK;
    }
    double d = out->u - mean;
    double corrected = fmax(fabs(d) - 0.5, 0);
    out->z = (d < 0 ? -corrected : corrected) / sqrt(var);
    out->p = fmin(1, 2 * gsl_cdf_ugaussian_Q(fabs(out->z)));
    return LTK_OK;
}

/* ---- bootstrap ------------------------------------------------------------ */

/* The bin a uniform u in (0, 1) falls in: the first i with cum[i] >= u n,
 * i.e. the inverse of the sample's distribution function. */
static double inverse_cdf(const struct ltk_bins *b, const double *cum, double u)
{
    double target = u * (double)b->total;
    size_t lo = 0, hi = b->n - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cum[mid] >= target)
            hi = mid;
        else
            lo = mid + 1;
    }
    return b->value[lo];
}

/* The nearest-rank quantiles q (ascending order given by ord) of one
 * resample of b, of b's size, drawn without materialising it: the k-th
 * smallest of n draws from the sample is F^-1 of the k-th smallest of n
 * uniforms, which is Beta(k, n - k + 1); given it, the next order statistic
 * k' > k is u + (1 - u) Beta(k' - k, n - k' + 1).  Exactly the distribution
 * a resample's order statistics have, in O(log bins) per quantile. */
static void resample_quantiles(gsl_rng *r, const struct ltk_bins *b, const double *cum, const double *q,
                               const size_t *ord, size_t nq, double *out)
{
    double n = (double)b->total, u = 0;
    uint64_t prev = 0;
    for (size_t j = 0; j < nq; j++) {
        uint64_t k = ltk_hist_nearest_rank(q[ord[j]], b->total);
        if (k > prev) {
            double a = (double)(k - prev), rest = n - (double)k + 1;
            u += (1 - u) * gsl_ran_beta(r, a, rest);
            prev = k;
        }
        out[ord[j]] = inverse_cdf(b, cum, u);
    }
}

int ltk_bootstrap_quantile_diff(const struct ltk_bins *a, const struct ltk_bins *b, const double *q, size_t nq,
                                const struct ltk_boot_opts *opts, double *diff, double *lo, double *hi, double *p)
{
    for (size_t k = 0; k < nq; k++) {
        diff[k] = lo[k] = hi[k] = NAN;
        if (p)
            p[k] = NAN;
    }
    if (!a->total || !b->total || opts->resamples < 2 || !(opts->level > 0 && opts->level < 1))
        return LTK_EINVAL;
    for (size_t k = 0; k < nq; k++)
        if (!(q[k] >= 0 && q[k] <= 1))
            return LTK_EINVAL;
    if (!nq)
        return LTK_OK;
    unsigned B = opts->resamples;
    double *ca = malloc(a->n * sizeof *ca), *cb = malloc(b->n * sizeof *cb);
    double *qa = malloc(nq * sizeof *qa), *qb = malloc(nq * sizeof *qb);
    size_t *ord = malloc(nq * sizeof *ord);
    double *d = malloc((size_t)B * nq * sizeof *d);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    int rc = LTK_OK;
    if (!ca || !cb || !qa || !qb || !ord || !d || !r) {
        rc = LTK_ENOMEM;
        goto out;
    }
    gsl_rng_set(r, opts->seed);
    double run = 0;
    for (size_t i = 0; i < a->n; i++)
        ca[i] = run += (double)a->count[i];
    run = 0;
    for (size_t i = 0; i < b->n; i++)
        cb[i] = run += (double)b->count[i];
    /* quantiles in ascending order, for the sequential order statistics */
    for (size_t k = 0; k < nq; k++) {
        size_t j = k;
        while (j > 0 && q[ord[j - 1]] > q[k]) {
            ord[j] = ord[j - 1];
            j--;
        }
        ord[j] = k;
    }
    for (unsigned s = 0; s < B; s++) {
        resample_quantiles(r, a, ca, q, ord, nq, qa);
        resample_quantiles(r, b, cb, q, ord, nq, qb);
        for (size_t k = 0; k < nq; k++)
            d[k * B + s] = qb[k] - qa[k];
    }
    for (size_t k = 0; k < nq; k++) {
        double *dk = d + k * B;
        gsl_sort(dk, 1, B);
        if (p) {
            size_t le0 = 0; /* resampled changes at or below 0: the sorted prefix */
            while (le0 < B && dk[le0] <= 0)
                le0++;
            p[k] = (1 + (double)le0) / (1 + (double)B);
        }
        lo[k] = gsl_stats_quantile_from_sorted_data(dk, 1, B, (1 - opts->level) / 2);
        hi[k] = gsl_stats_quantile_from_sorted_data(dk, 1, B, (1 + opts->level) / 2);
        diff[k] = ltk_bins_quantile(b, q[k]) - ltk_bins_quantile(a, q[k]);
    }
out:
    gsl_rng_free(r);
    free(ca);
    free(cb);
    free(qa);
    free(qb);
    free(ord);
    free(d);
    return rc;
}

/* ---- Holm's step-down adjustment ---------------------------------------------- */

struct p_index {
    double p;
    size_t i;
};

static int cmp_p_index(const void *x, const void *y)
{
    const struct p_index *a = x, *b = y;
    if (a->p != b->p)
        return a->p < b->p ? -1 : 1;
    return a->i < b->i ? -1 : a->i > b->i;
}

int ltk_holm_adjust(const double *p, size_t n, double *adj)
{
    if (!n)
        return LTK_OK;
    struct p_index *o = malloc(n * sizeof *o);
    if (!o)
        return LTK_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        if (!(p[i] >= 0 && p[i] <= 1)) {
            free(o);
            return LTK_EINVAL;
        }
        o[i] = (struct p_index){ p[i], i };
    }
    qsort(o, n, sizeof *o, cmp_p_index);
    double run = 0;
    for (size_t k = 0; k < n; k++) {
        double a = fmin(1, (double)(n - k) * o[k].p);
        run = fmax(run, a); /* adjusted values never fall along the order */
        adj[o[k].i] = run;
    }
    free(o);
    return LTK_OK;
}

/* ---- Fisher's exact test --------------------------------------------------------- */

double ltk_fisher_greater(uint64_t req1, uint64_t fail1, uint64_t req2, uint64_t fail2)
{
    if (!req1 || !req2 || fail1 > req1 || fail2 > req2)
        return NAN;
    uint64_t f = fail1 + fail2, ok = req1 + req2 - f;
    if (f > UINT_MAX || ok > UINT_MAX || req2 > UINT_MAX)
        return NAN;
    if (fail2 == 0)
        return 1;
    /* X = failures among the req2 requests of b, drawn from f failures and
     * ok successes: P(X >= fail2) = Q(fail2 - 1) */
    return gsl_cdf_hypergeometric_Q((unsigned)(fail2 - 1), (unsigned)f, (unsigned)ok, (unsigned)req2);
}

/* ---- gates ------------------------------------------------------------------ */

static const char *const fixed_names[] = {
    [LTK_CMK_REQUESTS] = "requests", [LTK_CMK_ERROR_RATE] = "error_rate", [LTK_CMK_RPS] = "rps",
    [LTK_CMK_MEAN] = "mean",
};

static struct ltk_cmp_metric fixed_metric(enum ltk_cmp_kind k)
{
    struct ltk_cmp_metric m = { .kind = k };
    snprintf(m.name, sizeof m.name, "%s", fixed_names[k]);
    return m;
}

/* The percentile metric of fraction q with label ("99.9"); label NULL: q's
 * percent written shortest. */
static struct ltk_cmp_metric pct_metric(double q, const char *label)
{
    struct ltk_cmp_metric m = { .kind = LTK_CMK_PCT, .q = q };
    if (label)
        snprintf(m.name, sizeof m.name, "p%.12s", label);
    else
        snprintf(m.name, sizeof m.name, "p%.10g", q * 100);
    return m;
}

bool ltk_cmp_metric_parse(const char *s, size_t len, struct ltk_cmp_metric *out)
{
    /* "ok." and a latency metric: the same of the successful requests only */
    if (len > 3 && strncmp(s, "ok.", 3) == 0) {
        struct ltk_cmp_metric m;
        if (!ltk_cmp_metric_parse(s + 3, len - 3, &m) || m.ok || !ltk_cmp_metric_is_latency(&m))
            return false;
        m.ok = true;
        char name[sizeof m.name];
        snprintf(name, sizeof name, "ok.%.16s", m.name);
        memcpy(m.name, name, sizeof name);
        *out = m;
        return true;
    }
    for (int k = LTK_CMK_REQUESTS; k <= LTK_CMK_MEAN; k++)
        if (k != LTK_CMK_PCT && strlen(fixed_names[k]) == len && strncmp(s, fixed_names[k], len) == 0) {
            *out = fixed_metric((enum ltk_cmp_kind)k);
            return true;
        }
    /* "p" digits [ "." digits ], a percent in (0, 100] */
    if (len < 2 || len > 13 || s[0] != 'p')
        return false;
    size_t i = 1, int_digits = 0, frac_digits = 0;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++, int_digits++;
    if (i < len && s[i] == '.')
        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
            frac_digits++;
    if (i != len || !int_digits || (s[1 + int_digits] == '.' && !frac_digits))
        return false;
    char item[16], frac[24];
    memcpy(item, s + 1, len - 1);
    item[len - 1] = '\0';
    double v = strtod(item, NULL);
    if (!(v > 0 && v <= 100))
        return false;
    /* as --percentiles reads it: "99.9" -> the double nearest 0.999 */
    snprintf(frac, sizeof frac, "%se-2", item);
    /* the label as written, without leading or trailing zeros ("050.10" ->
     * "50.1"): never an exponent, so the gate's text reads back */
    char label[16];
    size_t a = 0, b = len - 1;
    while (a + 1 < b && item[a] == '0' && item[a + 1] != '.')
        a++;
    if (frac_digits) {
        while (item[b - 1] == '0')
            b--;
        if (item[b - 1] == '.')
            b--;
    }
    memcpy(label, item + a, b - a);
    label[b - a] = '\0';
    *out = pct_metric(strtod(frac, NULL), label);
    return true;
}

bool ltk_cmp_metric_same(const struct ltk_cmp_metric *a, const struct ltk_cmp_metric *b)
{
    return a->kind == b->kind && a->ok == b->ok && (a->kind != LTK_CMK_PCT || fabs(a->q - b->q) < 1e-9);
}

bool ltk_cmp_metric_is_latency(const struct ltk_cmp_metric *m)
{
    return m->kind == LTK_CMK_PCT || m->kind == LTK_CMK_MEAN;
}

/* +1: worse when it rises; -1: worse when it falls; 0: neither. */
static int worse_sign(const struct ltk_cmp_metric *m)
{
    return m->kind == LTK_CMK_REQUESTS ? 0 : m->kind == LTK_CMK_RPS ? -1 : 1;
}

static int gate_error(struct ltk_error *err, long col, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int gate_error(struct ltk_error *err, long col, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return ltk_error_set(err, LTK_EINVAL, NULL, 0, col, "%s", msg);
}

static void skip_spaces(const char *s, size_t *i)
{
    while (s[*i] == ' ' || s[*i] == '\t')
        (*i)++;
}

int ltk_gates_parse(const char *text, struct ltk_gate **out, size_t *n, struct ltk_error *err)
{
    *out = NULL;
    *n = 0;
    size_t cap = 4;
    struct ltk_gate *g = calloc(cap, sizeof *g);
    if (!g)
        return ltk_error_set(err, LTK_ENOMEM, NULL, 0, 0, "out of memory");
    size_t ng = 0, i = 0;
    int rc = LTK_OK;
    skip_spaces(text, &i);
    if (strncmp(text + i, "none", 4) == 0) {
        size_t e = i + 4;
        skip_spaces(text, &e);
        if (text[e] == '\0') {  /* no gates: report only, exit 0 */
            *out = g;
            return LTK_OK;
        }
    }
    for (;;) {
        skip_spaces(text, &i);
        size_t start = i;
        while ((text[i] >= 'a' && text[i] <= 'z') || (text[i] >= 'A' && text[i] <= 'Z') ||
               (text[i] >= '0' && text[i] <= '9') || text[i] == '_' || text[i] == '.')
            i++;
        long col = (long)start + 1;
        if (i == start) {
            rc = gate_error(err, col, ng ? "expected a gate after ',' such as p95:10%%"
                                               : "expected a gate such as p95:10%% or error_rate:0.5pp");
            break;
        }
        struct ltk_cmp_metric m;
        if (!ltk_cmp_metric_parse(text + start, i - start, &m) || m.kind == LTK_CMK_REQUESTS) {
            bool ok = strncmp(text + start, "ok.", 3) == 0;
            size_t at = ok ? start + 3 : start;
            bool pct = text[at] == 'p' && i - at > 1 && text[at + 1] >= '0' && text[at + 1] <= '9';
            rc = gate_error(err, col,
                            pct ? "unknown metric '%.*s': a percentile is p and a percent above 0 and at most "
                                  "100, such as p95 or p99.9"
                            : ok ? "unknown metric '%.*s': after 'ok.' (the successful requests only) comes a "
                                   "latency metric: mean or a percentile such as ok.p95"
                                 : "unknown metric '%.*s': expected error_rate, rps, mean, a percentile such as "
                                   "p95 or p99.9, or ok.mean or ok.p95 (successful requests only)",
                            (int)(i - start > 40 ? 40 : i - start), text + start);
            break;
        }
        bool dup = false;
        for (size_t k = 0; k < ng; k++)
            dup = dup || ltk_cmp_metric_same(&g[k].metric, &m);
        if (dup) {
            rc = gate_error(err, col, "%s has a gate already", m.name);
            break;
        }
        if (ng == cap) {
            struct ltk_gate *ng_ = realloc(g, 2 * cap * sizeof *g);
            if (!ng_) {
                rc = ltk_error_set(err, LTK_ENOMEM, NULL, 0, 0, "out of memory");
                break;
            }
            g = ng_;
            cap *= 2;
        }
        skip_spaces(text, &i);
        if (text[i] != ':') {
            rc = gate_error(err, (long)i + 1, "expected ':' after %s", m.name);
            break;
        }
        i++;
        skip_spaces(text, &i);
        int sign = 0;
        size_t sign_at = i;
        if (text[i] == '+' || text[i] == '-')
            sign = text[i++] == '+' ? 1 : -1;
        size_t num = i;
        bool digits = false, dot = false;
        while ((text[i] >= '0' && text[i] <= '9') || (text[i] == '.' && !dot)) {
            digits |= text[i] != '.';
            dot |= text[i] == '.';
            i++;
        }
        if (!digits) {
            rc = gate_error(err, (long)num + 1, "expected a number after '%s:'", m.name);
            break;
        }
        /* an exponent, as the normalised text writes very large and very
         * small limits ("p95:+1e-05%"), so that text reads back */
        if ((text[i] == 'e' || text[i] == 'E') &&
            ((text[i + 1] >= '0' && text[i + 1] <= '9') ||
             ((text[i + 1] == '+' || text[i + 1] == '-') && text[i + 2] >= '0' && text[i + 2] <= '9'))) {
            i += 2;
            while (text[i] >= '0' && text[i] <= '9')
                i++;
        }
        char buf[64];
        size_t len = i - num;
        if (len >= sizeof buf) { /* cut, it would be read as another number */
            rc = gate_error(err, (long)num + 1, "number longer than %zu characters", sizeof buf - 1);
            break;
        }
        memcpy(buf, text + num, len);
        buf[len] = '\0';
        double limit = strtod(buf, NULL);
        if (!isfinite(limit)) {
            rc = gate_error(err, (long)num + 1, "number out of range");
            break;
        }
        size_t unit_at = i;
        enum ltk_gate_unit unit;
        double scale = 1;
        if (text[i] == '%') {
            unit = LTK_GATE_PCT;
            i++;
        } else if (text[i] == 'p' && text[i + 1] == 'p') {
            unit = LTK_GATE_PP;
            i += 2;
        } else if (text[i] == 'm' && text[i + 1] == 's') {
            unit = LTK_GATE_MS;
            i += 2;
        } else if (text[i] == 's') {
            unit = LTK_GATE_MS;
            scale = 1000;
            i++;
        } else {
            rc = gate_error(err, (long)unit_at + 1,
                            m.kind == LTK_CMK_ERROR_RATE ? "expected a unit: %% (relative) or pp (percentage points)"
                            : m.kind == LTK_CMK_RPS      ? "expected the unit %% (relative)"
                                                         : "expected a unit: %% (relative), ms or s");
            break;
        }
        if (unit == LTK_GATE_PP && m.kind != LTK_CMK_ERROR_RATE) {
            rc = gate_error(err, (long)unit_at + 1, "pp (percentage points) is for error_rate only");
            break;
        }
        if (unit == LTK_GATE_MS && !ltk_cmp_metric_is_latency(&m)) {
            rc = gate_error(err, (long)unit_at + 1, "ms and s are for percentiles and the mean only");
            break;
        }
        int w = worse_sign(&m);
        if (sign && sign != w) {
            rc = gate_error(err, (long)sign_at + 1,
                            w > 0 ? "%s gets worse upwards: write %s:+%s%s (or without a sign)"
                                  : "%s gets worse downwards: write %s:-%s%s (or without a sign)",
                            m.name, m.name, buf,
                            unit == LTK_GATE_PCT ? "%" : unit == LTK_GATE_PP ? "pp" : scale > 1 ? "s" : "ms");
            break;
        }
        if (!isfinite(limit * scale)) {
            rc = gate_error(err, (long)num + 1, "number out of range");
            break;
        }
        g[ng].metric = m;
        g[ng].limit = limit * scale;
        g[ng].unit = unit;
        char lim[32];
        ltk_format_double(g[ng].limit, lim);
        snprintf(g[ng].text, sizeof g[ng].text, "%s:%c%s%s", m.name, w > 0 ? '+' : '-', lim,
                 unit == LTK_GATE_PCT ? "%" : unit == LTK_GATE_PP ? "pp" : "ms");
        ng++;
        skip_spaces(text, &i);
        if (text[i] == ',') {
            i++;
            continue;
        }
        if (text[i] == '\0')
            break;
        rc = gate_error(err, (long)i + 1, "expected ',' or the end after a gate");
        break;
    }
    if (rc) {
        free(g);
        return rc;
    }
    *out = g;
    *n = ng;
    return LTK_OK;
}

/* ---- the comparison ------------------------------------------------------------ */

/* True when the total and every endpoint of r have a histogram: of all
 * requests (ok false) or of the successful ones (ok true). */
static bool every_row_has(const struct ltk_run *r, bool ok)
{
    if (!r->has_total || !(ok ? r->total.ok_hist : r->total.hist))
        return false;
    for (size_t i = 0; i < r->nendpoints; i++)
        if (!(ok ? r->endpoints[i].ok_hist : r->endpoints[i].hist))
            return false;
    return true;
}

bool ltk_cmp_run_has_raw(const struct ltk_run *r)
{
    return every_row_has(r, false);
}

bool ltk_cmp_run_has_ok(const struct ltk_run *r)
{
    return every_row_has(r, true);
}

/* Why a run has no successful-only distribution, a clause ("it is read
 * from ..."). */
static const char *ok_missing_text(const struct ltk_run *r)
{
    if (ltk_run_from_locust_json(r))
        return "it is read from Locust's JSON statistics, which hold histograms of all requests, failures mixed "
               "in, not of the successful ones";
    if (r->raw_source && r->selection.window)
        return "its --from/--to window is formed from per-interval histograms, which hold all requests, not the "
               "successful ones apart";
    if (r->raw_source)
        return "it is an ltk summary without a histogram of the successful requests (ltk.summary/1, or a summary "
               "of Locust's JSON; summarize the raw logs again for ltk.summary/2)";
    if (r->endpoints_from_history)
        return "it is read from Locust's stats_history.csv, which holds percentiles of all requests only, failures "
               "mixed in";
    return "it is read from Locust's stats.csv, which holds percentiles of all requests only, failures mixed in";
}

/* Where a run's table came from, for the reader. */
const char *ltk_cmp_source_text(const struct ltk_run *r)
{
    if (ltk_run_from_locust_json(r))
        return "Locust's JSON statistics";
    if (r->raw_source)
        return "raw request log";
    if (r->endpoints_from_history)
        return "stats_history.csv";
    return "stats.csv";
}

static const struct ltk_endpoint *find_endpoint(const struct ltk_run *r, const char *type, const char *name,
                                                bool total)
{
    if (total)
        return r->has_total ? &r->total : NULL;
    return ltk_run_endpoint(r, type, name);
}

static double metric_value(const struct ltk_run *r, const struct ltk_endpoint *e, const struct ltk_cmp_metric *m)
{
    if (m->ok) {  /* the successful requests' histogram; n/a without a success */
        if (!e->ok_hist || !ltk_hist_count(e->ok_hist))
            return NAN;
        return m->kind == LTK_CMK_MEAN ? ltk_hist_mean(e->ok_hist) : ltk_hist_quantile(e->ok_hist, m->q);
    }
    switch (m->kind) {
    case LTK_CMK_REQUESTS: return (double)e->requests;
    case LTK_CMK_ERROR_RATE: return 100 * ltk_endpoint_fail_ratio(e);
    case LTK_CMK_RPS: return e->rps;
    case LTK_CMK_MEAN: return e->requests ? e->mean : NAN;
    case LTK_CMK_PCT: return ltk_endpoint_quantile(r, e, m->q);
    }
    return NAN;
}

size_t ltk_compare_metric_index(const struct ltk_compare *c, const char *name)
{
    for (size_t m = 0; m < c->nmetrics; m++)
        if (strcmp(c->metrics[m].name, name) == 0)
            return m;
    return SIZE_MAX;
}

/* Welch's t-test of "b's mean is not larger than a's" on bins: the
 * one-sided p-value, NAN when either side has fewer than 2 values or no
 * spread at all. */
static double welch_greater(const struct ltk_bins *a, const struct ltk_bins *b)
{
    double mean[2], var[2], n[2];
    const struct ltk_bins *s[2] = { a, b };
    for (int k = 0; k < 2; k++) {
        n[k] = (double)s[k]->total;
        if (n[k] < 2)
            return NAN;
        double sum = 0, ss = 0;
        for (size_t i = 0; i < s[k]->n; i++)
            sum += s[k]->value[i] * (double)s[k]->count[i];
        mean[k] = sum / n[k];
        for (size_t i = 0; i < s[k]->n; i++)
            ss += (s[k]->value[i] - mean[k]) * (s[k]->value[i] - mean[k]) * (double)s[k]->count[i];
        var[k] = ss / (n[k] - 1) / n[k]; /* the variance of the mean */
    }
    double se2 = var[0] + var[1];
    if (!(se2 > 0))
        return NAN;
    double t = (mean[1] - mean[0]) / sqrt(se2);
    double df = se2 * se2 / (var[0] * var[0] / (n[0] - 1) + var[1] * var[1] / (n[1] - 1));
    return gsl_cdf_tdist_Q(t, df);
}

/* Locust's resolution of a response time (stats.csv percentiles are
 * rounded to it): 1 ms below 100 ms, 10 below 1 s, 100 below 10 s, then 1 s. */
static double locust_step(double v)
{
    return v < 100 ? 1 : v < 1000 ? 10 : v < 10000 ? 100 : 1000;
}

static int add_note(struct ltk_compare *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int add_note(struct ltk_compare *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = ltk_vasprintf(fmt, ap);
    va_end(ap);
    char **p = s ? realloc(c->notes, (c->nnotes + 1) * sizeof *p) : NULL;
    if (!p) {
        free(s);
        return LTK_ENOMEM;
    }
    p[c->nnotes++] = s;
    c->notes = p;
    return LTK_OK;
}

struct key {
    const char *type, *name;
};

static int cmp_key(const void *x, const void *y)
{
    const struct key *a = x, *b = y;
    int c = strcmp(a->name, b->name);
    return c ? c : strcmp(a->type, b->type);
}

/* Baseline statistics of one metric over the runs that have it. */
static void baseline_stats(struct ltk_compare_value *v, const double *vals, size_t k, double alpha)
{
    double s = 0, mn = INFINITY, mx = -INFINITY;
    size_t n = 0;
    for (size_t i = 0; i < k; i++) {
        if (!isfinite(vals[i]))
            continue;
        s += vals[i];
        mn = fmin(mn, vals[i]);
        mx = fmax(mx, vals[i]);
        n++;
    }
    v->base_runs = n;
    v->base = n ? s / (double)n : NAN;
    v->base_min = n ? mn : NAN;
    v->base_max = n ? mx : NAN;
    v->base_sd = v->pi_lo = v->pi_hi = NAN;
    if (n >= 2) {
        double ss = 0;
        for (size_t i = 0; i < k; i++)
            if (isfinite(vals[i]))
                ss += (vals[i] - v->base) * (vals[i] - v->base);
        v->base_sd = sqrt(ss / (double)(n - 1));
    }
    if (n >= 3) {
        double t = gsl_cdf_tdist_Pinv(1 - alpha / 2, (double)(n - 1));
        double half = t * v->base_sd * sqrt(1 + 1 / (double)n);
        v->pi_lo = v->base - half;
        v->pi_hi = v->base + half;
    }
}

static bool gate_exceeded(const struct ltk_compare_value *v, const struct ltk_gate *g, int w)
{
    if (!isfinite(v->base) || !isfinite(v->cur))
        return false;
    double worse = w * v->delta;
    switch (g->unit) {
    case LTK_GATE_PCT:
        if (v->base == 0)
            return worse > 0; /* from zero any rise is an infinite percentage */
        return w * v->delta_pct > g->limit;
    case LTK_GATE_PP:
    case LTK_GATE_MS:
        return worse > g->limit;
    }
    return false;
}

/* The tests of one row on both sides' distributions, pooling the baselines:
 * of all requests (ok false: Mann-Whitney, the bootstrap intervals of every
 * percentile compared and Welch's t-test of the mean), or of the successful
 * requests only (ok true: the same bootstrap and Welch's test on the
 * successes' histograms, for the ok.* metrics; no Mann-Whitney). */
static int test_dist(const struct ltk_compare *c, struct ltk_compare_row *row, const struct ltk_endpoint *const *be,
                     size_t nbase, const struct ltk_endpoint *ce, const struct ltk_compare_opts *opts, bool ok)
{
    const struct ltk_hist *ch = ok ? ce->ok_hist : ce->hist;
    struct ltk_hist *pool = NULL;
    struct ltk_bins a = { 0 }, b = { 0 };
    double *q = malloc(c->nmetrics * sizeof *q), *diff = malloc(c->nmetrics * sizeof *diff);
    double *lo = malloc(c->nmetrics * sizeof *lo), *hi = malloc(c->nmetrics * sizeof *hi);
    double *p = malloc(c->nmetrics * sizeof *p);
    size_t *at = malloc(c->nmetrics * sizeof *at);
    int rc = q && diff && lo && hi && p && at ? ltk_hist_new(ltk_hist_method_of(ch), &pool) : LTK_ENOMEM;
    for (size_t r = 0; r < nbase && rc == LTK_OK; r++)
        if (be[r])
            rc = ltk_hist_merge(pool, ok ? be[r]->ok_hist : be[r]->hist);
    if (rc == LTK_OK)
        rc = ltk_bins_from_hist(pool, &a);
    if (rc == LTK_OK)
        rc = ltk_bins_from_hist(ch, &b);
    if (rc == LTK_OK && a.total && b.total) {
        if (!ok)
            rc = ltk_mann_whitney(&a, &b, &row->mw);
        size_t nq = 0;
        for (size_t m = 0; m < c->nmetrics; m++)
            if (c->metrics[m].kind == LTK_CMK_PCT && c->metrics[m].ok == ok) {
                at[nq] = m;
                q[nq++] = c->metrics[m].q;
            }
        if (rc == LTK_OK && nq)
            rc = ltk_bootstrap_quantile_diff(&a, &b, q, nq, &opts->boot, diff, lo, hi, p);
        for (size_t k = 0; rc == LTK_OK && k < nq; k++) {
            struct ltk_compare_value *v = &row->v[at[k]];
            v->ci_lo = lo[k];
            v->ci_hi = hi[k];
            v->p = p[k];
        }
        for (size_t m = 0; rc == LTK_OK && m < c->nmetrics; m++)
            if (c->metrics[m].kind == LTK_CMK_MEAN && c->metrics[m].ok == ok)
                row->v[m].p = welch_greater(&a, &b);
        if (ok)
            row->ok_tested = rc == LTK_OK;
        else
            row->tested = rc == LTK_OK;
    }
    ltk_hist_free(pool);
    ltk_bins_release(&a);
    ltk_bins_release(&b);
    free(q);
    free(diff);
    free(lo);
    free(hi);
    free(p);
    free(at);
    return rc;
}

static int build_row(struct ltk_compare *c, struct ltk_compare_row *row, const struct ltk_run *const *base,
                     size_t nbase, const struct ltk_run *cur, const struct ltk_compare_opts *opts)
{
    const struct ltk_endpoint *ce = find_endpoint(cur, row->type, row->name, row->is_total);
    double *vals = malloc(nbase * sizeof *vals);
    const struct ltk_endpoint **be = malloc(nbase * sizeof *be);
    if (!vals || !be) {
        free(vals);
        free(be);
        return LTK_ENOMEM;
    }
    uint64_t breq = 0, bfail = 0;
    row->base_runs = 0;
    for (size_t r = 0; r < nbase; r++) {
        const struct ltk_endpoint *e = be[r] = find_endpoint(base[r], row->type, row->name, row->is_total);
        if (e) {
            row->base_runs++;
            breq += e->requests;
            bfail += e->failures;
        }
    }
    row->presence = !ce ? LTK_PRESENT_REMOVED : row->base_runs ? LTK_PRESENT_BOTH : LTK_PRESENT_ADDED;
    for (size_t m = 0; m < c->nmetrics; m++) {
        struct ltk_compare_value *v = &row->v[m];
        for (size_t r = 0; r < nbase; r++)
            vals[r] = be[r] ? metric_value(base[r], be[r], &c->metrics[m]) : NAN;
        baseline_stats(v, vals, nbase, opts->alpha);
        v->cur = ce ? metric_value(cur, ce, &c->metrics[m]) : NAN;
        v->delta = v->cur - v->base;
        v->delta_pct = isfinite(v->delta) && v->base != 0 ? 100 * v->delta / v->base
                       : v->delta == 0                    ? 0
                                                          : NAN;
        v->p = v->p_adj = v->ci_lo = v->ci_hi = NAN;
        v->sig = LTK_SIG_NA;
    }
    free(vals);
    if (row->presence != LTK_PRESENT_BOTH) {
        free(be);
        return LTK_OK;
    }

    int rc = c->raw ? test_dist(c, row, be, nbase, ce, opts, false) : LTK_OK;
    if (rc == LTK_OK && c->ok)
        rc = test_dist(c, row, be, nbase, ce, opts, true);
    free(be);
    if (rc)
        return rc;

    for (size_t m = 0; m < c->nmetrics; m++) {
        struct ltk_compare_value *v = &row->v[m];
        const struct ltk_cmp_metric *mt = &c->metrics[m];
        int w = worse_sign(mt);
        if (!w)
            continue;
        /* the within-run test, where there is one: its one-sided p-value */
        if (mt->kind == LTK_CMK_ERROR_RATE) {
            v->p = ltk_fisher_greater(breq, bfail, ce->requests, ce->failures);
            if (isfinite(v->p))
                v->test = "fisher";
        } else if (mt->kind == LTK_CMK_PCT && (mt->ok ? row->ok_tested : row->tested) && isfinite(v->ci_lo) &&
                   isfinite(v->p)) {
            v->test = "bootstrap";
        } else if (mt->kind == LTK_CMK_MEAN && (mt->ok ? row->ok_tested : row->tested) && isfinite(v->p)) {
            v->test = "welch";
        } else {
            v->p = NAN;
        }
        for (size_t g = 0; g < opts->ngates; g++)
            if (ltk_cmp_metric_same(&opts->gates[g].metric, mt))
                v->gate = &opts->gates[g];
        if (!v->gate)
            continue;
        v->exceeded = gate_exceeded(v, v->gate, w);
        /* stats.csv percentiles are rounded: a change of one rounding step
         * may be no change at all */
        if (v->exceeded && mt->kind == LTK_CMK_PCT && !mt->ok && !c->raw &&
            w * v->delta <= locust_step(fmax(v->base, v->cur)))
            v->within_rounding = true;
    }
    return LTK_OK;
}

/* A gated within-run test, one of the family the regression gate corrects for. */
static bool in_family(const struct ltk_compare_row *row, const struct ltk_compare_value *v)
{
    return row->presence == LTK_PRESENT_BOTH && v->gate && v->test && isfinite(v->p);
}

/* Holm's adjustment over the family, then each value's significance
 * (with the prediction interval of three or more baselines) and verdict. */
static int decide(struct ltk_compare *c, const struct ltk_compare_opts *opts)
{
    size_t n = 0;
    for (size_t i = 0; i < c->nrows; i++)
        for (size_t m = 0; m < c->nmetrics; m++)
            n += in_family(&c->rows[i], &c->rows[i].v[m]);
    double *p = malloc((n ? n : 1) * sizeof *p), *adj = malloc((n ? n : 1) * sizeof *adj);
    int rc = p && adj ? LTK_OK : LTK_ENOMEM;
    size_t k = 0;
    for (size_t i = 0; rc == LTK_OK && i < c->nrows; i++)
        for (size_t m = 0; m < c->nmetrics; m++)
            if (in_family(&c->rows[i], &c->rows[i].v[m]))
                p[k++] = c->rows[i].v[m].p;
    if (rc == LTK_OK)
        rc = ltk_holm_adjust(p, n, adj);
    c->nfamily = n;
    k = 0;
    for (size_t i = 0; rc == LTK_OK && i < c->nrows; i++) {
        struct ltk_compare_row *row = &c->rows[i];
        for (size_t m = 0; m < c->nmetrics; m++) {
            struct ltk_compare_value *v = &row->v[m];
            v->p_adj = in_family(row, v) ? adj[k++] : NAN;
            int w = worse_sign(&c->metrics[m]);
            if (row->presence != LTK_PRESENT_BOTH || !w)
                continue;
            /* a gated test is judged by its adjusted p, the others by their own */
            double pj = isfinite(v->p_adj) ? v->p_adj : v->p;
            enum ltk_sig test = !v->test ? LTK_SIG_NA : pj < opts->alpha / 2 ? LTK_SIG_YES : LTK_SIG_NO;
            /* across runs: the prediction interval of three or more baselines */
            if (v->base_runs >= 3 && isfinite(v->pi_lo) && isfinite(v->cur)) {
                v->outside_pi = w > 0 ? v->cur > v->pi_hi : v->cur < v->pi_lo;
                v->sig = v->outside_pi && test != LTK_SIG_NO ? LTK_SIG_YES : LTK_SIG_NO;
                v->test = !v->test                                      ? "prediction interval"
                          : c->metrics[m].kind == LTK_CMK_ERROR_RATE ? "prediction interval and fisher"
                          : c->metrics[m].kind == LTK_CMK_MEAN       ? "prediction interval and welch"
                                                                     : "prediction interval and bootstrap";
            } else {
                v->sig = test;
            }
            if (!v->gate)
                continue;
            v->regression = v->exceeded && !v->within_rounding && v->sig != LTK_SIG_NO;
            if (v->exceeded)
                c->nexceeded++;
            if (v->regression) {
                c->nregressions++;
                row->regression = true;
            }
        }
    }
    free(p);
    free(adj);
    return rc;
}

static int push_metric(struct ltk_compare *c, struct ltk_cmp_metric m)
{
    for (size_t k = 0; k < c->nmetrics; k++)
        if (ltk_cmp_metric_same(&c->metrics[k], &m))
            return LTK_OK;
    struct ltk_cmp_metric *nm = realloc(c->metrics, (c->nmetrics + 1) * sizeof *nm);
    if (!nm)
        return LTK_ENOMEM;
    c->metrics = nm;
    c->metrics[c->nmetrics++] = m;
    return LTK_OK;
}

/* The first of the runs that lacks percentile q, or NULL. */
static const struct ltk_run *lacks_pct(const struct ltk_run *const *base, size_t nbase, const struct ltk_run *cur,
                                       double q)
{
    if (!ltk_run_has_pct(cur, q))
        return cur;
    for (size_t r = 0; r < nbase; r++)
        if (!ltk_run_has_pct(base[r], q))
            return base[r];
    return NULL;
}

/* What every row compares: requests, error rate, rps, the percentile
 * columns, the gated percentiles beyond them, and the mean when gated.  A
 * gated percentile an input lacks is an error; a shown one, a note. */
static int build_metrics(struct ltk_compare *c, const struct ltk_run *const *base, size_t nbase,
                         const struct ltk_run *cur, const struct ltk_compare_opts *opts, struct ltk_error *err)
{
    static const double default_q[] = { 0.5, 0.95, 0.99 };
    static const char *const default_label[] = { "50", "95", "99" };
    const double *q = opts->npct ? opts->pct : default_q;
    const char *const *label = opts->npct ? opts->pct_label : default_label;
    size_t nq = opts->npct ? opts->npct : 3;
    int rc = LTK_OK;
    for (int k = LTK_CMK_REQUESTS; k <= LTK_CMK_RPS && rc == LTK_OK; k++)
        rc = push_metric(c, fixed_metric((enum ltk_cmp_kind)k));
    for (size_t k = 0; k < nq && rc == LTK_OK; k++)
        rc = push_metric(c, pct_metric(q[k], label ? label[k] : NULL));
    for (int ok = 0; ok <= (c->ok ? 1 : 0) && rc == LTK_OK; ok++) {
        for (size_t k = 0; ok && k < nq && rc == LTK_OK; k++) {
            struct ltk_cmp_metric m = pct_metric(q[k], label ? label[k] : NULL);
            char name[sizeof m.name];
            snprintf(name, sizeof name, "ok.%.16s", m.name);
            memcpy(m.name, name, sizeof name);
            m.ok = true;
            rc = push_metric(c, m);
        }
        for (size_t g = 0; g < opts->ngates && rc == LTK_OK; g++)
            if (opts->gates[g].metric.kind == LTK_CMK_PCT && opts->gates[g].metric.ok == ok)
                rc = push_metric(c, opts->gates[g].metric);
        for (size_t g = 0; g < opts->ngates && rc == LTK_OK; g++)
            if (opts->gates[g].metric.kind == LTK_CMK_MEAN && opts->gates[g].metric.ok == ok)
                rc = push_metric(c, opts->gates[g].metric);
    }
    if (rc)
        return ltk_error_set(err, LTK_ENOMEM, NULL, 0, 0, "out of memory");
    /* the successful requests only: every run must tell them apart */
    const struct ltk_run *no_ok = !ltk_cmp_run_has_ok(cur) ? cur : NULL;
    bool some_ok = !no_ok;
    for (size_t r = 0; r < nbase; r++) {
        if (!no_ok && !ltk_cmp_run_has_ok(base[r]))
            no_ok = base[r];
        some_ok = some_ok || ltk_cmp_run_has_ok(base[r]);
    }
    for (size_t g = 0; g < opts->ngates && no_ok; g++) {
        if (!opts->gates[g].metric.ok)
            continue;
        return ltk_error_set(err, LTK_EINVAL, no_ok->label, 0, 0,
                             "gate %s: %s is the latency of the successful requests only, and this input does not "
                             "tell them apart: %s; whole raw request logs and ltk.summary/2 files do",
                             opts->gates[g].text, opts->gates[g].metric.name, ok_missing_text(no_ok));
    }
    if (no_ok && some_ok &&
        add_note(c, "successful requests only (ok.p50, ok.p95, ...): not shown, as %s does not tell them "
                    "apart: %s",
                 no_ok->label ? no_ok->label : "an input", ok_missing_text(no_ok)))
        return ltk_error_set(err, LTK_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t g = 0; g < opts->ngates; g++) {
        const struct ltk_cmp_metric *m = &opts->gates[g].metric;
        const struct ltk_run *r = m->kind == LTK_CMK_PCT && !m->ok ? lacks_pct(base, nbase, cur, m->q) : NULL;
        if (!r)
            continue;
        char *have = ltk_run_pct_list(r);
        rc = ltk_error_set(err, LTK_EINVAL, r->label, 0, 0,
                           "gate %s: %s is not in this input: %s holds the percentiles %s only; raw request "
                           "logs, ltk summaries and Locust's JSON hold any percentile",
                           opts->gates[g].text, m->name, ltk_cmp_source_text(r), have ? have : "?");
        free(have);
        return rc;
    }
    for (size_t m = 0; m < c->nmetrics && rc == LTK_OK; m++) {
        const struct ltk_run *r = c->metrics[m].kind == LTK_CMK_PCT && !c->metrics[m].ok
                                      ? lacks_pct(base, nbase, cur, c->metrics[m].q)
                                      : NULL;
        if (!r)
            continue;
        char *have = ltk_run_pct_list(r);
        rc = have ? add_note(c, "%s is n/a: %s is read from %s, which holds the percentiles %s only", c->metrics[m].name,
                             r->label ? r->label : "an input", ltk_cmp_source_text(r), have)
                  : LTK_ENOMEM;
        free(have);
    }
    if (rc)
        return ltk_error_set(err, LTK_ENOMEM, NULL, 0, 0, "out of memory");
    return LTK_OK;
}

int ltk_compare_build(const struct ltk_run *const *base, size_t nbase, const struct ltk_run *cur,
                      const struct ltk_compare_opts *opts, struct ltk_compare *out, struct ltk_error *err)
{
    memset(out, 0, sizeof *out);
    out->opts = *opts;
    out->nbase = nbase;
    if (!nbase)
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0, "no baseline run");
    if (!(opts->alpha > 0 && opts->alpha < 1))
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0, "alpha must be in (0, 1)");

    /* raw data everywhere, with one method? */
    out->raw = ltk_cmp_run_has_raw(cur);
    for (size_t r = 0; r < nbase; r++)
        out->raw = out->raw && ltk_cmp_run_has_raw(base[r]);
    if (out->raw) {
        out->method = ltk_hist_method_of(cur->total.hist);
        for (size_t r = 0; r < nbase; r++)
            if (ltk_hist_method_of(base[r]->total.hist) != out->method)
                return ltk_error_set(err, LTK_EINVAL, base[r]->label, 0, 0,
                                     "histograms of different methods (%s and %s) cannot be compared",
                                     ltk_hist_method_name(ltk_hist_method_of(base[r]->total.hist)),
                                     ltk_hist_method_name(out->method));
    }

    /* the successful requests apart everywhere, with the same method? */
    out->ok = ltk_cmp_run_has_ok(cur);
    for (size_t r = 0; r < nbase; r++)
        out->ok = out->ok && ltk_cmp_run_has_ok(base[r]);
    for (size_t r = 0; r < nbase && out->ok; r++)
        if (ltk_hist_method_of(base[r]->total.ok_hist) != ltk_hist_method_of(cur->total.ok_hist))
            return ltk_error_set(err, LTK_EINVAL, base[r]->label, 0, 0,
                                 "histograms of different methods (%s and %s) cannot be compared",
                                 ltk_hist_method_name(ltk_hist_method_of(base[r]->total.ok_hist)),
                                 ltk_hist_method_name(ltk_hist_method_of(cur->total.ok_hist)));

    int mrc = build_metrics(out, base, nbase, cur, opts, err);
    if (mrc)
        return mrc;

    /* the union of endpoints, in Locust's order */
    size_t nkeys = cur->nendpoints;
    for (size_t r = 0; r < nbase; r++)
        nkeys += base[r]->nendpoints;
    struct key *keys = malloc((nkeys ? nkeys : 1) * sizeof *keys);
    if (!keys)
        return ltk_error_set(err, LTK_ENOMEM, NULL, 0, 0, "out of memory");
    size_t k = 0;
    for (size_t i = 0; i < cur->nendpoints; i++)
        keys[k++] = (struct key){ cur->endpoints[i].type, cur->endpoints[i].name };
    for (size_t r = 0; r < nbase; r++)
        for (size_t i = 0; i < base[r]->nendpoints; i++)
            keys[k++] = (struct key){ base[r]->endpoints[i].type, base[r]->endpoints[i].name };
    qsort(keys, nkeys, sizeof *keys, cmp_key);
    size_t nuniq = 0;
    for (size_t i = 0; i < nkeys; i++)
        if (!nuniq || cmp_key(&keys[nuniq - 1], &keys[i]) != 0)
            keys[nuniq++] = keys[i];
    bool any_total = cur->has_total;
    for (size_t r = 0; r < nbase; r++)
        any_total = any_total || base[r]->has_total;
    out->rows = calloc(nuniq + 1, sizeof *out->rows);
    int rc = out->rows ? LTK_OK : LTK_ENOMEM;
    for (size_t i = 0; i < nuniq + (any_total ? 1 : 0) && rc == LTK_OK; i++) {
        struct ltk_compare_row *row = &out->rows[i];
        out->nrows = i + 1;
        row->is_total = i == nuniq;
        row->type = ltk_strdup(row->is_total ? "" : keys[i].type);
        row->name = ltk_strdup(row->is_total ? "Aggregated" : keys[i].name);
        row->v = calloc(out->nmetrics, sizeof *row->v);
        if (!row->type || !row->name || !row->v)
            rc = LTK_ENOMEM;
        else
            rc = build_row(out, row, base, nbase, cur, opts);
    }
    free(keys);
    if (rc == LTK_OK)
        rc = decide(out, opts);
    if (rc)
        return ltk_error_set(err, rc, NULL, 0, 0, "%s", rc == LTK_ENOMEM ? "out of memory" : ltk_strerror(rc));

    /* what the reader must know */
    if (!out->raw) {
        const struct ltk_run *which = !ltk_cmp_run_has_raw(cur) ? cur : NULL;
        for (size_t r = 0; r < nbase && !which; r++)
            if (!ltk_cmp_run_has_raw(base[r]))
                which = base[r];
        rc = add_note(out,
                      "latency significance cannot be computed: %s is read from Locust's %s, which holds a "
                      "few fixed percentiles, not the distribution of response times; latency gates act on the "
                      "change alone (give raw request logs on both sides for the tests)",
                      which && which->label ? which->label : "an input", which ? ltk_cmp_source_text(which) : "stats.csv");
    }
    char pnames[256] = "";
    bool mean = false;
    for (size_t m = 0, len = 0; m < out->nmetrics; m++) {
        if (out->metrics[m].ok)
            continue;
        mean = mean || out->metrics[m].kind == LTK_CMK_MEAN;
        if (out->metrics[m].kind == LTK_CMK_PCT && len + sizeof out->metrics[m].name + 1 < sizeof pnames)
            len += (size_t)snprintf(pnames + len, sizeof pnames - len, "%s%s", len ? "/" : "", out->metrics[m].name);
    }
    if (rc == LTK_OK && out->raw)
        rc = add_note(out,
                      "latency: Mann-Whitney U on the %s histograms (%s) and %u bootstrap resamples (seed %lu) for "
                      "%.0f %% percentile intervals of the %s change and its one-sided p-value (1 + the "
                      "resamples without a rise, over 1 + resamples)%s",
                      ltk_hist_method_name(out->method),
                      out->method == LTK_HIST_HDR ? "times within 0.1 % of each other count as ties"
                      : out->method == LTK_HIST_LOCUST ? "times rounded as Locust rounds them"
                                                       : "exact times",
                      opts->boot.resamples, opts->boot.seed, opts->boot.level * 100, pnames,
                      nbase > 1 ? "; the baselines' requests are pooled" : "");
    if (rc == LTK_OK && out->raw && mean)
        rc = add_note(out, "mean: Welch's t-test on the same bins (unequal variances, Welch-Satterthwaite degrees "
                           "of freedom), one-sided (is the current mean higher); the values are each run's exact "
                           "mean");
    if (rc == LTK_OK && !out->raw && mean)
        rc = add_note(out, "mean: the mean response time as the inputs report it; without raw data on both sides "
                           "its change is not tested and the mean gate acts on the change alone");
    if (rc == LTK_OK && out->ok) {
        char onames[256] = "";
        bool omean = false;
        for (size_t m = 0, len = 0; m < out->nmetrics; m++) {
            const struct ltk_cmp_metric *mt = &out->metrics[m];
            omean = omean || (mt->ok && mt->kind == LTK_CMK_MEAN);
            if (mt->ok && mt->kind == LTK_CMK_PCT && len + sizeof mt->name + 1 < sizeof onames)
                len += (size_t)snprintf(onames + len, sizeof onames - len, "%s%s", len ? "/" : "", mt->name);
        }
        rc = add_note(out,
                      "successful requests only (%s%s): the same figures of each run's successful requests "
                      "alone (failed ones, timeouts among them, left out), from the histogram of successes its "
                      "raw log or ltk.summary/2 keeps (%s); tested as all requests are: %u bootstrap resamples "
                      "(seed %lu) of the successes' bins for each percentile change%s%s",
                      onames, omean ? (*onames ? ", ok.mean" : "ok.mean") : "", ltk_hist_method_name(ltk_hist_method_of(cur->total.ok_hist)),
                      opts->boot.resamples, opts->boot.seed, omean ? ", Welch's t-test for ok.mean" : "",
                      nbase > 1 ? "; the baselines' successes are pooled" : "");
        /* rows where a side had no success: ok.* is n/a there, its gate cannot be exceeded */
        size_t none = 0;
        for (size_t i = 0; i < out->nrows; i++) {
            const struct ltk_compare_row *row = &out->rows[i];
            bool na = false;
            for (size_t m = 0; m < out->nmetrics; m++)
                na = na || (out->metrics[m].ok && row->presence == LTK_PRESENT_BOTH &&
                            (!isfinite(row->v[m].base) || !isfinite(row->v[m].cur)));
            none += na;
        }
        if (rc == LTK_OK && none)
            rc = add_note(out, "ok.* is n/a in %zu row(s) where a run had no successful request: an ok. gate cannot "
                               "be exceeded there (the error rate speaks for them)",
                          none);
    }
    if (rc == LTK_OK)
        rc = add_note(out, "error rate: Fisher's exact test on the request and failure counts%s, one-sided "
                           "(is the current rate higher), at alpha/2 = %g",
                      nbase > 1 ? " (baselines pooled)" : "", opts->alpha / 2);
    if (rc == LTK_OK && out->nfamily > 1)
        rc = add_note(out, "multiple comparisons: the %zu gated tests (endpoints and total, times the gated "
                           "metrics) are Holm-adjusted together; a change is significant when its adjusted p "
                           "(\"Holm p\") is below alpha/2 = %g, so the chance of any false regression stays below %g",
                      out->nfamily, opts->alpha / 2, opts->alpha / 2);
    /* where the bootstrap's resolution, not the data, kept a change from
     * being significant: no resample without a rise, yet adjusted too high */
    double floor_p = 1 / (1 + (double)opts->boot.resamples);
    size_t nfloor = 0;
    for (size_t i = 0; i < out->nrows; i++)
        for (size_t m = 0; m < out->nmetrics; m++) {
            const struct ltk_compare_value *v = &out->rows[i].v[m];
            nfloor += out->metrics[m].kind == LTK_CMK_PCT && isfinite(v->p_adj) && v->p <= floor_p &&
                      !(v->p_adj < opts->alpha / 2) && v->exceeded;
        }
    if (rc == LTK_OK && nfloor)
        rc = add_note(out, "%zu exceeded latency gate(s) had no bootstrap resample without a rise (p at its floor "
                           "1/(1 + %u) = %.3g) and are still not significant after adjustment over %zu tests: the "
                           "resamples, not the data, set that limit; give --resamples %.0f or more",
                      nfloor, opts->boot.resamples, floor_p, out->nfamily,
                      ceil(2 * (double)out->nfamily / opts->alpha) * 4);
    if (rc == LTK_OK && nbase >= 3)
        rc = add_note(out, "%zu baselines: each baseline value is their mean; a change is significant only when "
                           "the current value is also outside the %.0f %% prediction interval of one more "
                           "baseline run (mean +- t sd sqrt(1 + 1/k))",
                      nbase, (1 - opts->alpha) * 100);
    if (rc == LTK_OK && nbase == 2)
        rc = add_note(out, "2 baselines: each baseline value is their mean; 3 or more are needed to estimate "
                           "the spread across runs (a prediction interval)");
    bool rps_gate = false, rounding = false;
    for (size_t g = 0; g < opts->ngates; g++)
        rps_gate = rps_gate || opts->gates[g].metric.kind == LTK_CMK_RPS;
    for (size_t i = 0; i < out->nrows; i++)
        for (size_t m = 0; m < out->nmetrics; m++)
            rounding = rounding || out->rows[i].v[m].within_rounding;
    if (rc == LTK_OK && rps_gate && nbase < 3)
        rc = add_note(out, "throughput is one number per run, without a within-run test: with fewer than 3 "
                           "baselines the rps gate acts on the change alone");
    if (rc == LTK_OK && rounding)
        rc = add_note(out, "a latency change no larger than Locust's rounding of stats.csv percentiles (1 ms "
                           "below 100 ms, 10 ms below 1 s, 100 ms below 10 s) is not counted as a regression");
    if (rc)
        return ltk_error_set(err, LTK_ENOMEM, NULL, 0, 0, "out of memory");
    return LTK_OK;
}

void ltk_compare_release(struct ltk_compare *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nrows; i++) {
        free(c->rows[i].type);
        free(c->rows[i].name);
        free(c->rows[i].v);
    }
    free(c->rows);
    free(c->metrics);
    for (size_t i = 0; i < c->nnotes; i++)
        free(c->notes[i]);
    free(c->notes);
    memset(c, 0, sizeof *c);
}

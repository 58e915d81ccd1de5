/* Shares of requests by response time (see ltk/analyze/latency.h). */
#include "ltk/analyze/latency.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ltk/analyze/compare.h"
#include "ltk/base/num.h"
#include "ltk/model/hist.h"

const char *ltk_le_basis_name(enum ltk_le_basis b)
{
    switch (b) {
    case LTK_LE_NONE: return "none";
    case LTK_LE_COUNTED: return "counted";
    case LTK_LE_OK_HIST: return "ok-hist";
    case LTK_LE_ALL_HIST: return "all-hist";
    case LTK_LE_PCT: return "pct";
    }
    return "?";
}

static double locust_step(double v)
{
    return v < 100 ? 1 : v < 1000 ? 10 : v < 10000 ? 100 : 1000;
}

/* All requests at or under x from the percentile columns (Locust's CSV). */
static bool pct_le(const struct ltk_run *run, const struct ltk_endpoint *e, double x, uint64_t *lo, uint64_t *hi)
{
    uint64_t n = e->requests;
    *lo = 0;
    *hi = n;
    bool any = false;
    if (!isnan(e->max) && x >= e->max) {
        *lo = n;
        return true;
    }
    if (!isnan(e->min) && x < e->min) {
        *hi = 0;
        return true;
    }
    double rx = ltk_hist_locust_round(x);
    for (size_t k = 0; e->pct && k < run->stats_pct.n; k++) {
        double v = e->pct[k], q = run->stats_pct.q[k];
        if (isnan(v))
            continue;
        any = true;
        /* Locust: int(num_requests * percent) */
        uint64_t below = (uint64_t)((double)n * q);
        if (v + locust_step(v) / 2 <= x && below + 1 > *lo)
            *lo = below + 1 < n ? below + 1 : n;
        if (rx < v && below < *hi)
            *hi = below;
    }
    if (*lo > *hi)   /* inconsistent columns (a snapshot taken mid-update) */
        *lo = *hi;
    return any || !isnan(e->max) || !isnan(e->min);
}

enum ltk_le_basis ltk_ok_le(const struct ltk_run *run, const struct ltk_endpoint *e, double x, uint64_t *lo,
                            uint64_t *hi)
{
    uint64_t ok = e->requests >= e->failures ? e->requests - e->failures : 0;
    *lo = 0;
    *hi = ok;
    if (e->ok_le)
        for (size_t k = 0; k < run->ncuts; k++)
            if (run->cuts[k] == x) {
                *lo = *hi = e->ok_le[k];
                return LTK_LE_COUNTED;
            }
    if (e->ok_hist) {
        ltk_hist_count_le(e->ok_hist, x, lo, hi);
        return LTK_LE_OK_HIST;
    }
    uint64_t alo, ahi;
    enum ltk_le_basis b;
    if (e->hist) {
        ltk_hist_count_le(e->hist, x, &alo, &ahi);
        b = LTK_LE_ALL_HIST;
    } else if (pct_le(run, e, x, &alo, &ahi)) {
        b = LTK_LE_PCT;
    } else {
        return LTK_LE_NONE;
    }
    /* failures have times too, but ltk cannot tell which: at least all but
     * the failures of those under x succeeded, at most all of them */
    *lo = alo > e->failures ? alo - e->failures : 0;
    *hi = ahi < ok ? ahi : ok;
    if (*lo > *hi)
        *lo = *hi;
    return b;
}

struct ltk_share ltk_apdex(const struct ltk_run *run, const struct ltk_endpoint *e, double t_ms)
{
    struct ltk_share s = { NAN, NAN, LTK_LE_NONE };
    if (!e->requests)
        return s;
    uint64_t slo, shi, flo, fhi;
    s.basis = ltk_ok_le(run, e, t_ms, &slo, &shi);
    enum ltk_le_basis b2 = ltk_ok_le(run, e, LTK_APDEX_TOLERATING * t_ms, &flo, &fhi);
    if (s.basis == LTK_LE_NONE || b2 == LTK_LE_NONE) {
        s.basis = LTK_LE_NONE;
        return s;
    }
    if (b2 > s.basis)
        s.basis = b2;
    double n2 = 2.0 * (double)e->requests;
    s.lo = (double)(slo + flo) / n2;
    s.hi = (double)(shi + fhi) / n2;
    return s;
}

struct ltk_share ltk_share_under(const struct ltk_run *run, const struct ltk_endpoint *e, double x_ms)
{
    struct ltk_share s = { NAN, NAN, LTK_LE_NONE };
    if (!e->requests)
        return s;
    uint64_t lo, hi;
    s.basis = ltk_ok_le(run, e, x_ms, &lo, &hi);
    if (s.basis == LTK_LE_NONE)
        return s;
    s.lo = (double)lo / (double)e->requests;
    s.hi = (double)hi / (double)e->requests;
    return s;
}

void ltk_ranges(const struct ltk_run *run, const struct ltk_endpoint *e, const double *cuts, size_t n,
                struct ltk_share *out)
{
    uint64_t ok = e->requests >= e->failures ? e->requests - e->failures : 0;
    uint64_t plo = 0, phi = 0;   /* at or under the cut before */
    enum ltk_le_basis worst = LTK_LE_COUNTED;
    double N = (double)e->requests;
    for (size_t i = 0; i <= n; i++) {
        uint64_t lo = ok, hi = ok;
        if (i < n) {
            enum ltk_le_basis b = ltk_ok_le(run, e, cuts[i], &lo, &hi);
            if (b > worst || b == LTK_LE_NONE)
                worst = b;
            if (b == LTK_LE_NONE)
                break;
        }
        out[i].lo = e->requests ? (double)(lo > phi ? lo - phi : 0) / N : NAN;
        out[i].hi = e->requests ? (double)(hi - (plo < hi ? plo : hi)) / N : NAN;
        plo = lo;
        phi = hi;
    }
    for (size_t i = 0; i <= n; i++) {
        out[i].basis = worst;
        if (worst == LTK_LE_NONE)
            out[i].lo = out[i].hi = NAN;
    }
    out[n + 1].lo = out[n + 1].hi = e->requests ? (double)e->failures / N : NAN;
    out[n + 1].basis = worst == LTK_LE_NONE ? LTK_LE_NONE : LTK_LE_COUNTED;
}

double ltk_ok_quantile(const struct ltk_endpoint *e, double q)
{
    return e->ok_hist ? ltk_hist_quantile(e->ok_hist, q) : NAN;
}

double ltk_ok_mean(const struct ltk_endpoint *e)
{
    return e->ok_hist ? ltk_hist_mean(e->ok_hist) : NAN;
}

int ltk_cuts_add(double *cuts, size_t *n, size_t cap, double x)
{
    size_t i = 0;
    while (i < *n && cuts[i] < x)
        i++;
    if (i < *n && cuts[i] == x)
        return 0;
    if (*n == cap)
        return -1;
    memmove(cuts + i + 1, cuts + i, (*n - i) * sizeof *cuts);
    cuts[i] = x;
    (*n)++;
    return 0;
}

int ltk_parse_cuts(const char *spec, double *out, size_t max, char *why, size_t whysize)
{
    size_t n = 0;
    const char *p = spec;
    if (!p || !*p) {
        snprintf(why, whysize, "expected times such as 800ms,1200ms");
        return -1;
    }
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char item[64];
        if (len == 0 || len >= sizeof item) {
            snprintf(why, whysize, "expected times such as 800ms,1200ms, got an empty or overlong item");
            return -1;
        }
        memcpy(item, p, len);
        item[len] = '\0';
        double mult = 1;
        size_t l = len;
        if (l > 2 && strcmp(item + l - 2, "ms") == 0)
            item[l - 2] = '\0';
        else if (l > 1 && item[l - 1] == 's') {
            item[l - 1] = '\0';
            mult = 1000;
        }
        double v;
        if (ltk_parse_nonneg(item, &v) || !(v * mult > 0) || !(v * mult < LTK_HIST_MAX_MS)) {
            snprintf(why, whysize, "'%.*s': expected a time above 0 (800ms, 1.2s; a bare number is ms)", (int)len,
                     p);
            return -1;
        }
        v *= mult;
        if (n && !(v > out[n - 1])) {
            snprintf(why, whysize, "'%.*s': the times must be strictly ascending", (int)len, p);
            return -1;
        }
        if (n == max) {
            snprintf(why, whysize, "at most %zu times", max);
            return -1;
        }
        out[n++] = v;
        if (!comma)
            break;
        p = comma + 1;
    }
    return (int)n;
}

/* ---- the distribution ---------------------------------------------------------- */

void ltk_cdf_release(struct ltk_cdf *c)
{
    if (!c)
        return;
    free(c->ms);
    free(c->pct);
    memset(c, 0, sizeof *c);
}

int ltk_endpoint_cdf(const struct ltk_run *run, const struct ltk_endpoint *e, struct ltk_cdf *out)
{
    memset(out, 0, sizeof *out);
    if (e->hist && ltk_hist_count(e->hist)) {
        struct ltk_bins b;
        int rc = ltk_bins_from_hist(e->hist, &b);
        if (rc)
            return rc;
        out->ms = b.value; /* taken over: the values are the times */
        out->pct = malloc((b.n ? b.n : 1) * sizeof *out->pct);
        if (!out->pct) {
            free(b.count);
            ltk_cdf_release(out);
            return LTK_ENOMEM;
        }
        uint64_t seen = 0;
        for (size_t i = 0; i < b.n; i++) {
            seen += b.count[i];
            out->pct[i] = 100 * (double)seen / (double)b.total;
        }
        out->n = b.n;
        out->from_hist = true;
        free(b.count);
        return LTK_OK;
    }
    const struct ltk_pct_columns *pc = &run->stats_pct;
    if (!e->requests || !pc->n || !e->pct)
        return LTK_OK;
    out->ms = malloc(pc->n * sizeof *out->ms);
    out->pct = malloc(pc->n * sizeof *out->pct);
    if (!out->ms || !out->pct) {
        ltk_cdf_release(out);
        return LTK_ENOMEM;
    }
    /* columns ascending in q; several at one time (p99 = p100 = the max)
     * are one point, the highest share */
    for (size_t k = 0; k < pc->n; k++) {
        if (!isfinite(e->pct[k]) || (out->n && e->pct[k] < out->ms[out->n - 1]))
            continue;
        if (out->n && e->pct[k] == out->ms[out->n - 1]) {
            out->pct[out->n - 1] = fmax(out->pct[out->n - 1], 100 * pc->q[k]);
            continue;
        }
        out->ms[out->n] = e->pct[k];
        out->pct[out->n++] = 100 * pc->q[k];
    }
    return LTK_OK;
}

/* Time series and plateaus from stats_history.csv (see ltk/model/series.h). */
#include "ltk/model/series.h"

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static bool matches(const struct ltk_history_row *h, const char *type, const char *name)
{
    if (!name)
        return h->is_total;
    return !h->is_total && strcmp(h->name, name) == 0 && (!type || strcmp(h->type, type) == 0);
}

static double column(const struct ltk_run *run, const struct ltk_history_row *h, double q)
{
    for (size_t k = 0; k < run->history_pct.n; k++)
        if (fabs(run->history_pct.q[k] - q) < 1e-9)
            return h->pct[k];
    return NAN;
}

int ltk_series_from_run(const struct ltk_run *run, const char *type, const char *name,
                        struct ltk_series *out, struct ltk_error *err)
{
    memset(out, 0, sizeof *out);
    out->kind = run->history_pct_kind;
    if (!run->nhistory)
        return ltk_error_set(err, LTK_EINVAL, run->label, 0, 0,
                             "no stats_history.csv: the run has no time series");
    out->t = malloc(run->nhistory * sizeof *out->t);
    if (!out->t)
        return ltk_error_set(err, LTK_ENOMEM, run->label, 0, 0, "out of memory");
    for (size_t i = 0; i < run->nhistory; i++) {
        const struct ltk_history_row *h = &run->history[i];
        if (!matches(h, type, name))
            continue;
        struct ltk_tick t = {
            .ts = h->ts, .users = h->users, .rps = h->rps, .fail_per_s = h->fail_per_s,
            .requests = h->requests, .failures = h->failures,
            .p50 = column(run, h, 0.50), .p95 = column(run, h, 0.95), .p99 = column(run, h, 0.99),
        };
        if (out->n) {
            const struct ltk_tick *prev = &out->t[out->n - 1];
            bool reset = t.requests < prev->requests || t.failures < prev->failures;
            t.d_requests = reset ? t.requests : t.requests - prev->requests;
            t.d_failures = reset ? t.failures : t.failures - prev->failures;
            if (t.ts == prev->ts) {
                /* same second written twice: keep the later row, merge counts */
                t.d_requests += prev->d_requests;
                t.d_failures += prev->d_failures;
                out->t[out->n - 1] = t;
                continue;
            }
        } else {
            t.d_requests = t.requests;
            t.d_failures = t.failures;
        }
        out->t[out->n++] = t;
    }
    if (!out->n) {
        ltk_series_release(out);
        return ltk_error_set(err, LTK_EINVAL, run->label, 0, 0, "no stats_history rows for %s",
                             name ? name : "Aggregated");
    }
    return LTK_OK;
}

void ltk_series_release(struct ltk_series *s)
{
    if (!s)
        return;
    free(s->t);
    memset(s, 0, sizeof *s);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of the known values of one percentile over ticks [first, last]. */
static double median_of(const struct ltk_series *s, size_t first, size_t last, size_t off, double *buf)
{
    size_t n = 0;
    for (size_t i = first; i <= last; i++) {
        double v = *(const double *)((const char *)&s->t[i] + off);
        if (!isnan(v))
            buf[n++] = v;
    }
    if (!n)
        return NAN;
    qsort(buf, n, sizeof *buf, cmp_double);
    return n % 2 ? buf[n / 2] : (buf[n / 2 - 1] + buf[n / 2]) / 2;
}

int ltk_series_plateaus(const struct ltk_series *s, int64_t settle, int64_t min_seconds,
                        struct ltk_plateau **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    double *buf = malloc((s->n ? s->n : 1) * sizeof *buf);
    if (!buf)
        return LTK_ENOMEM;
    size_t i = 0;
    while (i < s->n) {
        size_t j = i;
        while (j + 1 < s->n && s->t[j + 1].users == s->t[i].users)
            j++;
        /* ticks i..j share a user count; drop the settling seconds */
        size_t first = i;
        while (first <= j && s->t[first].ts - s->t[i].ts < settle)
            first++;
        if (s->t[i].users > 0 && first < j && s->t[j].ts - s->t[first].ts >= min_seconds) {
            if (*n == cap) {
                size_t ncap = cap ? 2 * cap : 8;
                struct ltk_plateau *p = realloc(*out, ncap * sizeof *p);
                if (!p) {
                    free(buf);
                    free(*out);
                    *out = NULL;
                    *n = 0;
                    return LTK_ENOMEM;
                }
                *out = p;
                cap = ncap;
            }
            struct ltk_plateau p = { .first = first, .last = j, .users = s->t[i].users,
                                     .start = s->t[first].ts, .end = s->t[j].ts };
            for (size_t k = first + 1; k <= j; k++) {
                p.requests += s->t[k].d_requests;
                p.failures += s->t[k].d_failures;
            }
            p.rps = (double)p.requests / (double)(p.end - p.start);
            p.error_rate = p.requests ? (double)p.failures / (double)p.requests : NAN;
            if (s->kind == LTK_HPCT_WINDOW) {
                p.p50 = median_of(s, first, j, offsetof(struct ltk_tick, p50), buf);
                p.p95 = median_of(s, first, j, offsetof(struct ltk_tick, p95), buf);
                p.p99 = median_of(s, first, j, offsetof(struct ltk_tick, p99), buf);
            } else {
                p.p50 = p.p95 = p.p99 = NAN;
            }
            (*out)[(*n)++] = p;
        }
        i = j + 1;
    }
    free(buf);
    return LTK_OK;
}

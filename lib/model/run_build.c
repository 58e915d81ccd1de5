/* Building a run from histograms (see run_build.h). */
#include "model/run_build.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/strutil.h"

int ltk_run_set_percentiles(struct ltk_run *run, const double *q, char *const *labels, size_t n)
{
    struct ltk_pct_columns *cols[2] = { &run->stats_pct, &run->history_pct };
    for (int c = 0; c < 2 && n; c++) {
        struct ltk_pct_columns *dst = cols[c];
        dst->q = malloc(n * sizeof *dst->q);
        dst->label = calloc(n, sizeof *dst->label);
        if (!dst->q || !dst->label)
            return LTK_ENOMEM;
        dst->n = n;
        for (size_t k = 0; k < n; k++) {
            dst->q[k] = q[k];
            if (!(dst->label[k] = ltk_strdup(labels[k])))
                return LTK_ENOMEM;
        }
    }
    return LTK_OK;
}

int ltk_run_fill_endpoint(struct ltk_endpoint *e, const struct ltk_run *run, const char *method, const char *name,
                          const struct ltk_hist *h, uint64_t failures, double bytes, uint64_t nbytes,
                          double duration)
{
    e->type = ltk_strdup(method);
    e->name = ltk_strdup(name);
    e->pct = run->stats_pct.n ? malloc(run->stats_pct.n * sizeof *e->pct) : NULL;
    if (!e->type || !e->name || (run->stats_pct.n && !e->pct))
        return LTK_ENOMEM;
    e->requests = ltk_hist_count(h);
    e->failures = failures;
    e->median = ltk_hist_median(h);
    e->mean = ltk_hist_mean(h);
    e->min = ltk_hist_min(h);
    e->max = ltk_hist_max(h);
    e->avg_size = nbytes ? bytes / (double)nbytes : NAN;
    e->rps = duration > 0 ? (double)e->requests / duration : NAN;
    e->fail_per_s = duration > 0 ? (double)failures / duration : NAN;
    for (size_t k = 0; k < run->stats_pct.n; k++)
        e->pct[k] = ltk_hist_quantile(h, run->stats_pct.q[k]);
    return LTK_OK;
}

int ltk_run_add_failure(struct ltk_run *run, size_t *cap, const char *method, const char *name, const char *error,
                        uint64_t occurrences)
{
    if (run->nfailures == *cap) {
        size_t ncap = *cap ? 2 * *cap : 16;
        struct ltk_failure *nf = realloc(run->failures, ncap * sizeof *nf);
        if (!nf)
            return LTK_ENOMEM;
        run->failures = nf;
        *cap = ncap;
    }
    struct ltk_failure f = { .occurrences = occurrences };
    f.method = ltk_strdup(method);
    f.name = ltk_strdup(name);
    f.error = ltk_strdup(error);
    if (!f.method || !f.name || !f.error) {
        free(f.method);
        free(f.name);
        free(f.error);
        return LTK_ENOMEM;
    }
    run->failures[run->nfailures++] = f;
    return LTK_OK;
}

double ltk_interval_width(int64_t start, int64_t len, double tmax, bool last)
{
    /* the whole seconds it touched, as 1 s intervals count them: a last
     * request at 24.0 or 24.7 s is in the second [24, 25) */
    double covered = floor(tmax) + 1 - (double)start;
    if (!last || !isfinite(covered) || covered >= (double)len)
        return (double)len;
    return covered > 1 ? covered : 1;
}

int ltk_run_add_interval(struct ltk_run *run, size_t *cap, struct ltk_cumul *cu, int64_t ts, int64_t users,
                         double width_s, const char *method, const char *name, bool is_total,
                         const struct ltk_interval_counts *c)
{
    uint64_t n = c->requests;
    if (n) {
        if (!cu->requests || c->min < cu->min)
            cu->min = c->min;
        if (!cu->requests || c->max > cu->max)
            cu->max = c->max;
        cu->sum_ns += c->sum_ns;
    }
    cu->requests += n;
    cu->failures += c->failures;
    double interval = width_s;
    struct ltk_history_row h = {
        .ts = ts, .users = users, .is_total = is_total,
        .rps = (double)n / interval, .fail_per_s = (double)c->failures / interval,
        .requests = cu->requests, .failures = cu->failures, .median = NAN,
        .mean = cu->requests ? ((double)cu->sum_ns / 1e6) / (double)cu->requests : NAN,
        .min = cu->requests ? cu->min : NAN, .max = cu->requests ? cu->max : NAN, .avg_size = NAN,
        .line = 0,
    };
    return ltk_run_add_history(run, cap, &h, method, name);
}

int ltk_run_add_status_tick(struct ltk_run *run, size_t *cap, int64_t ts, const uint64_t n[LTK_SC_N])
{
    uint64_t any = 0;
    for (int k = 0; k < LTK_SC_N; k++)
        any |= n[k];
    if (!any)
        return LTK_OK;
    if (run->nstatus_ticks == *cap) {
        size_t ncap = *cap ? *cap * 2 : 64;
        struct ltk_status_tick *v = realloc(run->status_ticks, ncap * sizeof *v);
        if (!v)
            return LTK_ENOMEM;
        run->status_ticks = v;
        *cap = ncap;
    }
    struct ltk_status_tick *t = &run->status_ticks[run->nstatus_ticks++];
    t->ts = ts;
    memcpy(t->n, n, sizeof t->n);
    return LTK_OK;
}

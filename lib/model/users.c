/* Users over time from the requests themselves: Little's law per interval,
 * cut into stretches of constant load (see ltk/model/users.h). */
#include "ltk/model/users.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/strutil.h"

void ltk_level_opts_default(struct ltk_level_opts *o, int64_t interval_s)
{
    int64_t len = interval_s > 0 ? (30 + interval_s - 1) / interval_s : 3;
    o->min_len = len < 3 ? 3 : (size_t)len;
    o->abs_diff = 1;
    o->rel_diff = 0.2;
    o->min_t = 5;
    o->max_levels = 1000;
}

struct stretch {
    size_t a, b; /* [a, b) */
};

/* Mean and variance of x[a, b) from the prefix sums. */
static void moments(const double *s1, const double *s2, size_t a, size_t b, double *mean, double *var)
{
    double n = (double)(b - a);
    *mean = (s1[b] - s1[a]) / n;
    double v = (s2[b] - s2[a]) / n - *mean * *mean;
    *var = v > 0 ? v * n / (n > 1 ? n - 1 : 1) : 0;
}

/* The best split of [a, b) when o accepts it, else 0. */
static size_t best_split(const double *s1, const double *s2, size_t a, size_t b, const struct ltk_level_opts *o)
{
    if (b - a < 2 * o->min_len)
        return 0;
    double best = -1;
    size_t at = 0;
    double total = s1[b] - s1[a], n = (double)(b - a);
    for (size_t k = a + o->min_len; k + o->min_len <= b; k++) {
        double n1 = (double)(k - a), n2 = (double)(b - k);
        double m1 = (s1[k] - s1[a]) / n1, m2 = (total - (s1[k] - s1[a])) / n2;
        double score = n1 * n2 / n * (m1 - m2) * (m1 - m2);
        if (score > best) {
            best = score;
            at = k;
        }
    }
    if (!at)
        return 0;
    double m1, v1, m2, v2;
    moments(s1, s2, a, at, &m1, &v1);
    moments(s1, s2, at, b, &m2, &v2);
    double d = fabs(m1 - m2);
    double se = sqrt(v1 / (double)(at - a) + v2 / (double)(b - at));
    if (!(d >= o->abs_diff) || !(d >= o->rel_diff * fmax(m1, m2)))
        return 0;
    if (se > 0 && !(d / se >= o->min_t))
        return 0;
    return at;
}

size_t ltk_level_segments(const double *x, size_t n, const struct ltk_level_opts *o, double *level)
{
    if (!n)
        return 0;
    double *s1 = malloc((n + 1) * sizeof *s1), *s2 = malloc((n + 1) * sizeof *s2);
    size_t cap = o->max_levels ? o->max_levels : 1;
    struct stretch *stack = malloc(cap * sizeof *stack);
    if (!s1 || !s2 || !stack) {
        free(s1);
        free(s2);
        free(stack);
        return (size_t)-1;
    }
    s1[0] = s2[0] = 0;
    for (size_t i = 0; i < n; i++) {
        s1[i + 1] = s1[i] + x[i];
        s2[i + 1] = s2[i] + x[i] * x[i];
    }
    /* depth first: a stretch is split or becomes a level; the stack never
     * holds more than the stretches there are */
    size_t nstack = 0, nlevels = 0;
    stack[nstack++] = (struct stretch){ 0, n };
    while (nstack) {
        struct stretch st = stack[--nstack];
        size_t k = nlevels + nstack + 2 <= cap ? best_split(s1, s2, st.a, st.b, o) : 0;
        if (k) {
            stack[nstack++] = (struct stretch){ k, st.b };
            stack[nstack++] = (struct stretch){ st.a, k };
            continue;
        }
        double m = (s1[st.b] - s1[st.a]) / (double)(st.b - st.a);
        for (size_t i = st.a; i < st.b; i++)
            level[i] = m;
        nlevels++;
    }
    free(s1);
    free(s2);
    free(stack);
    return nlevels;
}

int ltk_run_derive_users(struct ltk_run *run)
{
    if (!run->raw_source || !run->nhistory || run->users_source || run->history_window_s < 1)
        return LTK_OK;
    size_t nt = 0;
    for (size_t i = 0; i < run->nhistory; i++) {
        if (run->history[i].users != 0)
            return LTK_OK;   /* the input had users */
        nt += run->history[i].is_total;
    }
    double *inflight = malloc((nt ? nt : 1) * sizeof *inflight), *level = malloc((nt ? nt : 1) * sizeof *level);
    if (!inflight || !level) {
        free(inflight);
        free(level);
        return LTK_ENOMEM;
    }
    /* per tick: the response times of its requests, from the change of the
     * cumulative count and mean */
    double prev_sum = 0;
    uint64_t prev_n = 0;
    size_t t = 0;
    bool usable = true;
    for (size_t i = 0; i < run->nhistory && usable; i++) {
        const struct ltk_history_row *h = &run->history[i];
        if (!h->is_total)
            continue;
        double sum = h->requests ? h->mean * (double)h->requests : 0;
        if (h->requests < prev_n || (h->requests && !isfinite(h->mean)))
            usable = false;  /* a reset, or no response times per tick (Locust's JSON) */
        double d = sum - prev_sum;
        inflight[t++] = d > 0 ? d / 1000 / (double)run->history_window_s : 0;
        prev_sum = sum;
        prev_n = h->requests;
    }
    int rc = LTK_OK;
    struct ltk_level_opts o;
    ltk_level_opts_default(&o, run->history_window_s);
    if (usable && ltk_level_segments(inflight, nt, &o, level) == (size_t)-1)
        rc = LTK_ENOMEM;
    if (usable && rc == LTK_OK) {
        /* a tick's rows are its endpoints' then the Aggregated one */
        size_t first = 0;
        t = 0;
        for (size_t i = 0; i < run->nhistory; i++) {
            if (!run->history[i].is_total)
                continue;
            double l = level[t++];
            int64_t u = l > 0 ? (int64_t)fmax(1, llround(l)) : 0;
            for (size_t k = first; k <= i; k++)
                run->history[k].users = u;
            first = i + 1;
        }
        run->users_source = ltk_strdup("requests in flight per interval (Little's law), in stretches of "
                                       "constant load");
        if (!run->users_source)
            rc = LTK_ENOMEM;
        run->users_derived = rc == LTK_OK;
    }
    free(inflight);
    free(level);
    return rc;
}

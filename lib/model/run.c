/* The run model (see ltk/model/run.h); loading one is ltk/read/load.h's job. */
#include "ltk/model/run.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strutil.h"

static const char *const suffixes[LTK_SRC_COUNT] = {
    [LTK_SRC_STATS] = "_stats.csv",
    [LTK_SRC_HISTORY] = "_stats_history.csv",
    [LTK_SRC_FAILURES] = "_failures.csv",
    [LTK_SRC_EXCEPTIONS] = "_exceptions.csv",
};

static const char *const kind_names[LTK_SRC_COUNT] = {
    [LTK_SRC_STATS] = "stats",
    [LTK_SRC_HISTORY] = "history",
    [LTK_SRC_FAILURES] = "failures",
    [LTK_SRC_EXCEPTIONS] = "exceptions",
};

const char *ltk_source_suffix(enum ltk_source_kind kind)
{
    return (unsigned)kind < LTK_SRC_COUNT ? suffixes[kind] : "";
}

const char *ltk_source_name(enum ltk_source_kind kind)
{
    return (unsigned)kind < LTK_SRC_COUNT ? kind_names[kind] : "unknown";
}

void ltk_run_init(struct ltk_run *run)
{
    memset(run, 0, sizeof *run);
}

static void pct_columns_release(struct ltk_pct_columns *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->label[i]);
    free(p->label);
    free(p->q);
    memset(p, 0, sizeof *p);
}

void ltk_endpoint_release(struct ltk_endpoint *e)
{
    free(e->type);
    free(e->name);
    free(e->pct);
    ltk_hist_free(e->hist);
    ltk_hist_free(e->ok_hist);
    ltk_status_release(&e->status);
    free(e->ok_le);
    for (int k = 0; k < LTK_TIMING_N; k++)
        ltk_hist_free(e->timing[k]);
}

void ltk_history_row_release(struct ltk_history_row *h)
{
    free(h->type);
    free(h->name);
    free(h->pct);
}

void ltk_failure_release(struct ltk_failure *f)
{
    free(f->method);
    free(f->name);
    free(f->error);
    free(f->first_seen);
    free(f->last_seen);
}

void ltk_exception_release(struct ltk_exception *e)
{
    free(e->message);
    free(e->traceback);
    free(e->nodes);
}

void ltk_run_release(struct ltk_run *run)
{
    if (!run)
        return;
    free(run->label);
    for (int k = 0; k < LTK_SRC_COUNT; k++)
        free(run->source[k]);
    for (size_t i = 0; i < run->nendpoints; i++)
        ltk_endpoint_release(&run->endpoints[i]);
    free(run->endpoints);
    if (run->has_total)
        ltk_endpoint_release(&run->total);
    pct_columns_release(&run->stats_pct);
    for (size_t i = 0; i < run->nhistory; i++)
        ltk_history_row_release(&run->history[i]);
    free(run->history);
    pct_columns_release(&run->history_pct);
    for (size_t i = 0; i < run->nfailures; i++)
        ltk_failure_release(&run->failures[i]);
    free(run->failures);
    for (size_t i = 0; i < run->nexceptions; i++)
        ltk_exception_release(&run->exceptions[i]);
    free(run->exceptions);
    for (size_t i = 0; i < run->nwarnings; i++)
        free(run->warnings[i]);
    free(run->warnings);
    free(run->raw_source);
    free(run->users_source);
    free(run->cuts);
    free(run->status_ticks);
    for (int k = 0; k < LTK_TIMING_N; k++)
        free(run->timing_from[k]);
    for (size_t i = 0; i < run->nignored_columns; i++)
        free(run->ignored_columns[i]);
    free(run->ignored_columns);
    for (size_t i = 0; i < run->nignored_metrics; i++)
        free(run->ignored_metrics[i]);
    free(run->ignored_metrics);
    ltk_selection_release(&run->selection);
    ltk_run_init(run);
}

const char *ltk_timing_name(enum ltk_timing k)
{
    switch (k) {
    case LTK_TIMING_LATENCY: return "latency";
    case LTK_TIMING_CONNECT: return "connect";
    case LTK_TIMING_TLS: return "tls";
    case LTK_TIMING_N: break;
    }
    return "?";
}

bool ltk_run_has_timing(const struct ltk_run *run, enum ltk_timing k)
{
    if (run->has_total && run->total.timing[k])
        return true;
    for (size_t i = 0; i < run->nendpoints; i++)
        if (run->endpoints[i].timing[k])
            return true;
    return false;
}

void ltk_selection_release(struct ltk_selection *s)
{
    for (size_t i = 0; i < s->nonly; i++)
        free(s->only[i]);
    for (size_t i = 0; i < s->nexclude; i++)
        free(s->exclude[i]);
    free(s->only);
    free(s->exclude);
    free(s->basis);
    memset(s, 0, sizeof *s);
}

int ltk_run_warn(struct ltk_run *run, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = ltk_vasprintf(fmt, ap);
    va_end(ap);
    char **nw = msg ? realloc(run->warnings, (run->nwarnings + 1) * sizeof *nw) : NULL;
    if (!nw) {
        free(msg);
        return LTK_ENOMEM;
    }
    run->warnings = nw;
    run->warnings[run->nwarnings++] = msg;
    return LTK_OK;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

int ltk_source_kind_from_path(const char *path)
{
    /* "_stats_history.csv" first: it does not end in "_stats.csv", but keep
     * the longest suffixes first anyway. */
    static const int order[] = { LTK_SRC_HISTORY, LTK_SRC_EXCEPTIONS, LTK_SRC_FAILURES, LTK_SRC_STATS };
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        if (ends_with(path, suffixes[order[i]]))
            return order[i];
    return -1;
}

double ltk_endpoint_fail_ratio(const struct ltk_endpoint *e)
{
    if (!e->requests)
        return NAN;
    return (double)e->failures / (double)e->requests;
}

double ltk_endpoint_pct(const struct ltk_run *run, const struct ltk_endpoint *e, double q)
{
    for (size_t k = 0; k < run->stats_pct.n; k++)
        if (fabs(run->stats_pct.q[k] - q) < 1e-9)
            return e->pct ? e->pct[k] : NAN;
    return NAN;
}

const struct ltk_endpoint *ltk_run_endpoint(const struct ltk_run *r, const char *type, const char *name)
{
    for (size_t i = 0; i < r->nendpoints; i++)
        if (strcmp(r->endpoints[i].type, type) == 0 && strcmp(r->endpoints[i].name, name) == 0)
            return &r->endpoints[i];
    return NULL;
}

double ltk_endpoint_quantile(const struct ltk_run *run, const struct ltk_endpoint *e, double q)
{
    for (size_t k = 0; k < run->stats_pct.n; k++)
        if (fabs(run->stats_pct.q[k] - q) < 1e-9)
            return e->pct ? e->pct[k] : NAN;
    if (q == 0.5 && !run->stats_pct.n && e->requests && !e->hist)
        return e->median;
    return e->hist && ltk_hist_count(e->hist) && q > 0 && q <= 1 ? ltk_hist_quantile(e->hist, q) : NAN;
}

bool ltk_run_has_pct(const struct ltk_run *run, double q)
{
    for (size_t k = 0; k < run->stats_pct.n; k++)
        if (fabs(run->stats_pct.q[k] - q) < 1e-9)
            return true;
    if (q == 0.5 && !run->stats_pct.n)
        return true;
    if (run->has_total && !run->total.hist)
        return false;
    for (size_t i = 0; i < run->nendpoints; i++)
        if (!run->endpoints[i].hist)
            return false;
    return run->has_total || run->nendpoints;
}

char *ltk_run_pct_list(const struct ltk_run *run)
{
    struct ltk_buf b;
    ltk_buf_init(&b);
    for (size_t j = 0; j < run->stats_pct.n; j++)
        ltk_buf_printf(&b, "%s%s", j ? ", " : "", run->stats_pct.label[j]);
    if (!run->stats_pct.n)
        ltk_buf_puts(&b, "none");
    if (b.failed) {
        ltk_buf_release(&b);
        return NULL;
    }
    return b.data;
}

int64_t ltk_run_users_at(const struct ltk_run *h, struct ltk_users_cursor *cur, int64_t ts)
{
    for (; cur->next < h->nhistory && h->history[cur->next].ts <= ts; cur->next++)
        if (h->history[cur->next].is_total)
            cur->users = h->history[cur->next].users;
    return cur->users;
}

int ltk_run_add_history(struct ltk_run *run, size_t *cap, const struct ltk_history_row *h, const char *type,
                        const char *name)
{
    if (run->nhistory == *cap) {
        size_t ncap = *cap ? 2 * *cap : 64;
        struct ltk_history_row *nh = realloc(run->history, ncap * sizeof *nh);
        if (!nh)
            return LTK_ENOMEM;
        run->history = nh;
        *cap = ncap;
    }
    struct ltk_history_row r = *h;
    size_t np = run->history_pct.n;
    r.type = ltk_strdup(type);
    r.name = ltk_strdup(name);
    r.pct = np ? malloc(np * sizeof *r.pct) : NULL;
    if (!r.type || !r.name || (np && !r.pct)) {
        free(r.type);
        free(r.name);
        free(r.pct);
        return LTK_ENOMEM;
    }
    for (size_t k = 0; k < np; k++)
        r.pct[k] = NAN;
    run->history[run->nhistory++] = r;
    return LTK_OK;
}


int ltk_run_infer_status(struct ltk_run *run)
{
    for (size_t i = 0; i < run->nfailures; i++) {
        const struct ltk_failure *f = &run->failures[i];
        int code = ltk_status_from_text(f->error);
        if (code < 0)
            continue;
        for (size_t k = 0; k < run->nendpoints; k++) {
            struct ltk_endpoint *e = &run->endpoints[k];
            if (strcmp(e->type, f->method) == 0 && strcmp(e->name, f->name) == 0) {
                if (ltk_status_add(&e->status, code, 0, f->occurrences))
                    return LTK_ENOMEM;
                break;
            }
        }
        if (run->has_total && ltk_status_add(&run->total.status, code, 0, f->occurrences))
            return LTK_ENOMEM;
    }
    return LTK_OK;
}

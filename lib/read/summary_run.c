/* A summary as a run (see ltk/read/summary_run.h), built the way a raw log
 * builds its run (model/run_build.h), so every tool reads a summary like the
 * logs it came from. */
#include "ltk/read/summary_run.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ltk/read/rawlog.h"
#include "ltk/read/summary_json.h"
#include "ltk/model/users.h"
#include "model/run_build.h"
#include "base/strutil.h"

/* ---- into the run ------------------------------------------------------- */

static int cmp_ep(const void *x, const void *y)
{
    const struct ltk_summary_endpoint *a = *(const struct ltk_summary_endpoint *const *)x;
    const struct ltk_summary_endpoint *b = *(const struct ltk_summary_endpoint *const *)y;
    int c = strcmp(a->name, b->name);
    return c ? c : strcmp(a->method, b->method);
}

static int fill_ep(struct ltk_endpoint *e, const struct ltk_summary *s, const struct ltk_run *run,
                   const char *method, const char *name, const struct ltk_shist *sh, uint64_t failures,
                   double bytes, uint64_t sized, double duration, const struct ltk_shist *ok,
                   const struct ltk_status_list *status, const struct ltk_shist *timing)
{
    for (int k = 0; k < LTK_TIMING_N; k++)
        if (s->has_timing[k] && ltk_shist_to_hist(&timing[k], s->method, &e->timing[k]))
            return LTK_ENOMEM;
    struct ltk_hist *h = NULL;
    if (ltk_shist_to_hist(sh, s->method, &h))
        return LTK_ENOMEM;
    e->hist = h;  /* the run owns it: ltk compare tests it, ltk report draws it */
    if ((s->has_ok && ltk_shist_to_hist(ok, s->method, &e->ok_hist)) || ltk_status_merge(&e->status, status))
        return LTK_ENOMEM;
    return ltk_run_fill_endpoint(e, run, method, name, h, failures, bytes, sized, duration);
}

/* One history row of a series from an interval's histogram c (NULL: none). */
static int hist_row(struct ltk_run *run, size_t *cap, const struct ltk_summary *s, int64_t ts, int64_t users,
                    const char *method, const char *name, bool is_total, const struct ltk_shist *c,
                    uint64_t failures, struct ltk_cumul *cu, bool last)
{
    struct ltk_interval_counts n = { c ? c->count : 0, failures, c ? c->min : NAN, c ? c->max : NAN,
                                     c ? c->sum_ns : 0 };
    struct ltk_hist *x = NULL;
    if ((n.requests && ltk_shist_to_hist(c, s->method, &x)) ||
        ltk_run_add_interval(run, cap, cu, ts, users, ltk_interval_width(ts, s->interval_s, s->tmax, last), method,
                             name, is_total, &n)) {
        ltk_hist_free(x);
        return LTK_ENOMEM;
    }
    double *pct = run->history[run->nhistory - 1].pct;
    for (size_t k = 0; k < run->history_pct.n && x; k++)
        pct[k] = ltk_hist_quantile(x, run->history_pct.q[k]);
    ltk_hist_free(x);
    return LTK_OK;
}

/* Gaps longer than LTK_RAWLOG_GAP_S without requests: how many, the longest. */
struct gaps {
    uint64_t n;
    int64_t longest_s, from;
};

/* Building a run from a summary, interval by interval. */
struct conv {
    struct ltk_run *run;
    const char *path;
    size_t *rank;            /* endpoint index -> its row in run->endpoints */
    struct ltk_cumul *cu;    /* each endpoint's and the total's running sums */
    struct ltk_ranked *by;   /* an interval's cells in Locust's order */
    size_t capby, cap, capst;
    int64_t users, prev_t;
    size_t seen;             /* intervals so far */
    struct gaps g;
};

/* Where each timing the summary has came from: the sources' formats'
 * ("the JTL's Latency column; k6's http_req_waiting metric"). */
static int timing_from(const struct ltk_summary *s, struct ltk_run *run)
{
    for (int k = 0; k < LTK_TIMING_N; k++) {
        if (!s->has_timing[k])
            continue;
        struct ltk_buf b;
        ltk_buf_init(&b);
        for (size_t i = 0; i < s->nsources; i++) {
            const char *from = ltk_rawlog_timing_from(s->sources[i].format, k);
            if (!from || (b.data && strstr(b.data, from)))
                continue;
            if (b.len)
                ltk_buf_puts(&b, "; ");
            ltk_buf_puts(&b, from);
        }
        if (b.failed)
            return LTK_ENOMEM;
        run->timing_from[k] = b.data ? b.data : ltk_strdup("the summary");
        if (!run->timing_from[k])
            return LTK_ENOMEM;
    }
    return LTK_OK;
}

/* Appends name to *v (n of them) unless it is there; at most
 * LTK_RUN_MAX_IGNORED, *more past that. */
static int add_name(char ***v, size_t *n, bool *more, const char *name)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*v)[i], name) == 0)
            return LTK_OK;
    if (*n >= LTK_RUN_MAX_IGNORED) {
        *more = true;
        return LTK_OK;
    }
    char **nv = realloc(*v, (*n + 1) * sizeof *nv);
    if (!nv)
        return LTK_ENOMEM;
    *v = nv;
    if (!(nv[*n] = ltk_strdup(name)))
        return LTK_ENOMEM;
    (*n)++;
    return LTK_OK;
}

/* What the summarised logs held that was not read: the sources' lists, each
 * name once, in the order first seen. */
static int ignored_of(const struct ltk_summary *s, struct ltk_run *run)
{
    for (size_t i = 0; i < s->nsources; i++) {
        const struct ltk_summary_source *x = &s->sources[i];
        run->ignored_more |= x->ignored_more;
        for (size_t k = 0; k < x->nignored_columns; k++)
            if (add_name(&run->ignored_columns, &run->nignored_columns, &run->ignored_more, x->ignored_columns[k]))
                return LTK_ENOMEM;
        for (size_t k = 0; k < x->nignored_metrics; k++)
            if (add_name(&run->ignored_metrics, &run->nignored_metrics, &run->ignored_more, x->ignored_metrics[k]))
                return LTK_ENOMEM;
    }
    return LTK_OK;
}

/* Everything but the intervals: the table, failures, where it came from. */
static int to_run_head(const struct ltk_summary *s, struct conv *cv)
{
    struct ltk_run *run = cv->run;
    const char *path = cv->path;
    if (ltk_run_set_percentiles(run, s->pct_q, s->pct_label, s->npct))
        return LTK_ENOMEM;
    run->raw_source = ltk_strdup(path);
    if (!run->raw_source)
        return LTK_ENOMEM;
    run->raw_format = "mixed";
    for (int f = LTK_RAW_LOCUST_HOOK; f <= LTK_RAW_COLUMNS + 1; f++) {
        const char *name = f <= LTK_RAW_COLUMNS ? ltk_rawlog_format_name((enum ltk_rawlog_format)f)
                                                : LTK_LOCUST_JSON_FORMAT;
        bool all = true;
        for (size_t i = 0; i < s->nsources && all; i++)
            all = strcmp(s->sources[i].format, name) == 0;
        if (all)
            run->raw_format = name;
    }
    run->raw_method = s->method;
    for (size_t k = 0; k < s->total_status.n; k++)
        run->status_read |= s->total_status.v[k].read > 0;   /* some source had a status column */
    run->raw_rows = s->total.count;
    for (size_t i = 0; i < s->nsources; i++) {
        run->raw_skipped += s->sources[i].skipped;
        if (!run->users_source && s->sources[i].users_source &&
            !(run->users_source = ltk_strdup(s->sources[i].users_source)))
            return LTK_ENOMEM;
    }
    if (timing_from(s, run) || ignored_of(s, run))
        return LTK_ENOMEM;
    int kinds[] = { LTK_SRC_STATS, LTK_SRC_FAILURES };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        free(run->source[kinds[i]]);
        if (!(run->source[kinds[i]] = ltk_strdup(path)))
            return LTK_ENOMEM;
    }
    double duration = s->timed ? s->tmax - s->tmin : NAN;
    size_t ne = s->nendpoints;
    const struct ltk_summary_endpoint **sorted = malloc((ne ? ne : 1) * sizeof *sorted);
    cv->rank = malloc((ne ? ne : 1) * sizeof *cv->rank);
    cv->cu = calloc(ne + 1, sizeof *cv->cu);
    run->endpoints = calloc(ne ? ne : 1, sizeof *run->endpoints);
    if (!sorted || !cv->rank || !cv->cu || !run->endpoints) {
        free(sorted);
        return LTK_ENOMEM;
    }
    for (size_t i = 0; i < ne; i++)
        sorted[i] = &s->endpoints[i];
    qsort(sorted, ne, sizeof *sorted, cmp_ep);
    int rc = LTK_OK;
    for (size_t i = 0; i < ne && rc == LTK_OK; i++) {
        const struct ltk_summary_endpoint *e = sorted[i];
        cv->rank[e - s->endpoints] = i;
        rc = fill_ep(&run->endpoints[i], s, run, e->method, e->name, &e->hist, e->failures, e->bytes, e->sized,
                     duration, &e->ok, &e->status, e->timing);
        run->nendpoints = i + 1;
    }
    free(sorted);
    if (rc == LTK_OK) {
        rc = fill_ep(&run->total, s, run, "", "Aggregated", &s->total, s->total_failures, s->total_bytes,
                     s->total_sized, duration, &s->total_ok, &s->total_status, s->total_timing);
        run->has_total = true;
    }
    size_t fcap = 0;
    for (size_t i = 0; i < s->nfailures && rc == LTK_OK; i++)
        rc = ltk_run_add_failure(run, &fcap, s->failures[i].method, s->failures[i].name, s->failures[i].error,
                                 s->failures[i].occurrences);
    return rc;
}

/* One interval: the empty ones before it (each, or the first and last of a
 * gap longer than LTK_RAWLOG_GAP_S, as a log gives them), then its cells
 * (not every endpoint: time follows the cells), then its total. */
static int to_run_interval(void *ctx, const struct ltk_summary *s, const struct ltk_summary_interval *iv, bool last)
{
    struct conv *cv = ctx;
    struct ltk_run *run = cv->run;
    size_t ne = s->nendpoints;
    int64_t len = s->interval_s;
    if (!cv->seen++) {
        free(run->source[LTK_SRC_HISTORY]);
        if (!(run->source[LTK_SRC_HISTORY] = ltk_strdup(cv->path)))
            return LTK_ENOMEM;
        run->history_full = true;
        run->history_pct_kind = LTK_HPCT_WINDOW;
        run->history_window_s = s->interval_s;
    }
    int64_t from = cv->seen > 1 ? cv->prev_t + len : iv->t;
    cv->prev_t = iv->t;
    bool whole = iv->t - from <= LTK_RAWLOG_GAP_S;
    if (!whole) {
        cv->g.n++;
        if (iv->t - from > cv->g.longest_s) {
            cv->g.longest_s = iv->t - from;
            cv->g.from = from;
        }
    }
    int rc = LTK_OK;
    for (int64_t t = from; t < iv->t && rc == LTK_OK; t = ltk_gap_next(t, iv->t, len, whole))
        rc = hist_row(run, &cv->cap, s, t, cv->users, "", "Aggregated", true, NULL, 0, &cv->cu[ne], false);
    if (iv->users >= 0)
        cv->users = iv->users;
    if (rc == LTK_OK && ltk_ranked_reserve(&cv->by, &cv->capby, iv->ncells))
        rc = LTK_ENOMEM;
    for (size_t c = 0; c < iv->ncells && rc == LTK_OK; c++)
        cv->by[c] = (struct ltk_ranked){ cv->rank[iv->cells[c].endpoint], c };
    if (rc == LTK_OK)
        ltk_sort_ranked(cv->by, iv->ncells);
    for (size_t k = 0; k < iv->ncells && rc == LTK_OK; k++) {
        const struct ltk_summary_cell *cell = &iv->cells[cv->by[k].pos];
        const struct ltk_summary_endpoint *e = &s->endpoints[cell->endpoint];
        rc = hist_row(run, &cv->cap, s, iv->t, cv->users, e->method, e->name, false, &cell->hist, cell->failures,
                      &cv->cu[cv->by[k].rank], last);
    }
    struct ltk_shist total;   /* the interval's, from its cells */
    ltk_shist_init(&total);
    if (rc == LTK_OK && (rc = ltk_summary_interval_total(iv, &total)) == LTK_OK)
        rc = hist_row(run, &cv->cap, s, iv->t, cv->users, "", "Aggregated", true, &total, iv->failures,
                      &cv->cu[ne], last);
    ltk_shist_release(&total);
    if (rc == LTK_OK)
        rc = ltk_run_add_status_tick(run, &cv->capst, iv->t, iv->status);
    return rc;
}

static void conv_release(struct conv *cv)
{
    free(cv->rank);
    free(cv->cu);
    free(cv->by);
}

/* The warnings of a summary read into a run, and its users. */
static int to_run_end(const struct ltk_summary *s, struct conv *cv, struct ltk_error *err)
{
    struct ltk_run *run = cv->run;
    const char *path = cv->path;
    const struct gaps *g = &cv->g;
    run->status_ticks_dropped = s->status_dropped;
    if (ltk_run_derive_users(run))
        return ltk_error_set(err, LTK_ENOMEM, path, 0, 0, "out of memory");
    for (size_t i = 0; i < s->nsources; i++)
        if (s->sources[i].skipped)
            ltk_run_warn(run, "%s: skipped %llu malformed row(s) (--skip-bad); the first: %s", s->sources[i].path,
                         (unsigned long long)s->sources[i].skipped, s->sources[i].first_bad);
    if (ltk_summary_other(s) >= 0)
        ltk_run_warn(run, "%s: more than %zu distinct names: %llu request(s) of further names are counted "
                          "in one '(other)' row (--fold folds ids in names)",
                     path, s->max_names, (unsigned long long)s->other_requests);
    if (s->timed && s->timed < s->total.count)
        ltk_run_warn(run, "%s: %llu request(s) without a timestamp are left out of the history", path,
                     (unsigned long long)(s->total.count - s->timed));
    if (g->n)
        ltk_run_warn(run, "%s: %llu gap(s) of more than %d s without requests, the longest %lld s from Unix time "
                          "%lld: the history has only their first and last intervals (a pause, or a stray "
                          "timestamp?)",
                     path, (unsigned long long)g->n, LTK_RAWLOG_GAP_S, (long long)g->longest_s, (long long)g->from);
    if (s->k6_orphans)
        ltk_run_warn(run, "%s: %llu http_req_failed row(s) without an http_req_duration row just "
                          "before them were ignored",
                     path, (unsigned long long)s->k6_orphans);
    if (s->nfailures >= LTK_SUMMARY_FAILURE_GROUPS)
        ltk_run_warn(run, "%s: more than %d distinct failures: the rest are counted in one group", path,
                     LTK_SUMMARY_FAILURE_GROUPS);
    if (!s->total.count)
        ltk_run_warn(run, "%s: no requests in the summary", path);
    return LTK_OK;
}

int ltk_summary_to_run(const struct ltk_summary *s, const char *path, struct ltk_run *run, struct ltk_error *err)
{
    struct conv cv = { .run = run, .path = path };
    int rc = to_run_head(s, &cv);
    for (size_t i = 0; rc == LTK_OK && i < s->nintervals; i++)
        rc = to_run_interval(&cv, s, &s->intervals[i], i + 1 == s->nintervals);
    conv_release(&cv);
    if (rc)
        return ltk_error_set(err, LTK_ENOMEM, path, 0, 0, "out of memory");
    return to_run_end(s, &cv, err);
}

/* The head is built when the first interval comes (s is read by then), or at
 * the end for a summary without intervals. */
struct stream_conv {
    struct conv cv;
    bool started;
    int rc;
};

static int stream_interval(void *ctx, const struct ltk_summary *s, const struct ltk_summary_interval *iv, bool last)
{
    struct stream_conv *sc = ctx;
    if (!sc->started) {
        sc->started = true;
        if ((sc->rc = to_run_head(s, &sc->cv)))
            return sc->rc;
    }
    return to_run_interval(&sc->cv, s, iv, last);
}

int ltk_summary_load_run(const char *path, struct ltk_run *run, struct ltk_error *err)
{
    struct ltk_summary s;
    ltk_summary_init(&s);
    struct stream_conv sc = { .cv = { .run = run, .path = path } };
    int rc = ltk_summary_load_each(&s, path, stream_interval, &sc, err);
    if (rc == LTK_OK && !sc.started && to_run_head(&s, &sc.cv))
        rc = ltk_error_set(err, LTK_ENOMEM, path, 0, 0, "out of memory");
    conv_release(&sc.cv);
    if (rc == LTK_OK)
        rc = to_run_end(&s, &sc.cv, err);
    ltk_summary_release(&s);
    return rc;
}
